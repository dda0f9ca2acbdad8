"""Up-front checks of public arguments shared by the analysis, testing and strategies modules.

Each raises :class:`~lvs_duty.errors.ArgumentError` naming the function, the argument and what
was expected, before any work is done.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .errors import ArgumentError, NotInForceError
from .money import to_decimal
from .rules import RuleSet


def amount_arg(fn: str, name: str, value: object) -> Decimal:
    """A non-negative, finite amount given as Decimal, int or str (never a float)."""
    try:
        result = to_decimal(value, name)
    except (TypeError, ValueError):
        raise ArgumentError(fn, name, "a Decimal, int or str amount (not a float)", value) from None
    if result < 0:
        raise ArgumentError(fn, name, "a non-negative amount", value)
    return result


def date_arg(fn: str, value: object, rules: RuleSet | None) -> dt.date | None:
    """None, or a date (not a datetime) on which ``rules``, when given, are in force."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ArgumentError(fn, "on", "a datetime.date or None", value)
    if rules is not None:
        try:
            rules.at(value)
        except NotInForceError as exc:
            raise ArgumentError(
                fn,
                "on",
                f"a date on which {rules.code} is in force ({', '.join(exc.periods)})",
                value,
            ) from None
    return value
