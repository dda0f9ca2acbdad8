"""How the engines use a schedule: which line applies, and what it gives where a rate is needed.

Both engines call these, so the rules of use are written once:

* the line that applies to a declaration line is :meth:`Schedule.line_for` (longest HS
  prefix, version in force on the assessment date), asked only when the line carries no
  ``duty_rate`` of its own (the line's own rate wins);
* where the rules need a *rate* (the general tariff, a category charged at the item's MFN
  rate, an MFN band), a line with only an ad valorem part gives that part; a line with a
  specific part gives no rate: the general tariff charges its duty with :func:`line_duty`,
  and every other use refuses with RateUnavailableError naming the schedule line;
* a schedule in another currency than the rule set's is refused by name when it has any
  specific amount (that amount would be charged in the wrong money); an ad valorem schedule
  holds in any currency (KR and MX keep their rules in USD, their schedules in KRW and MXN).
"""

from __future__ import annotations

from decimal import Decimal

from ..errors import ArgumentError
from ..rules import RuleSet
from .model import Schedule, ScheduleLine


def check_schedule(function: str, schedule: object, rules: RuleSet) -> Schedule | None:
    """The caller's schedule, checked: a Schedule usable in the rule set's currency, or None."""
    if schedule is None:
        return None
    if not isinstance(schedule, Schedule):
        raise ArgumentError(
            function, "schedule", "a lvs_duty.schedules.Schedule (see load_schedule) or None",
            type(schedule).__name__,
        )  # fmt: skip
    specific = any(line.specific is not None for v in schedule.versions for line in v.lines)
    if schedule.currency != rules.currency and specific:
        raise ArgumentError(
            function,
            "schedule",
            f"a schedule in {rules.currency}, the currency of {rules.code} "
            f"({schedule.code} is in {schedule.currency} and has specific amounts)",
            schedule.code,
        )
    return schedule


def rate_of(line: ScheduleLine) -> Decimal | None:
    """The rate a line gives where the rules need a rate: its ad valorem part, if that is all.

    >>> rate_of(ScheduleLine(hs="610910", ad_valorem="0.12", source="t"))
    Decimal('0.12')
    >>> rate_of(ScheduleLine(hs="2106", specific={"amount": "0.04", "per": "kg"}, source="t"))
    """
    return line.ad_valorem if line.specific is None else None


def no_rate(line: ScheduleLine) -> str:
    """Why a line with a specific part cannot stand in for a rate (for RateUnavailableError)."""
    return f"an ad valorem rate (schedule line {line.hs} charges {line.rate_text})"


def uncovered(hs_code: str | None) -> str:
    """What is missing when a line has no rate and no schedule line covers it."""
    return f" or a schedule line covering HS {hs_code}"


__all__ = ["check_schedule", "no_rate", "rate_of", "uncovered"]
