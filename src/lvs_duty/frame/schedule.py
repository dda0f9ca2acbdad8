"""Schedules on the frame path: lines without a rate take the schedule's, as the scalar engine.

:func:`with_schedule` runs once per batch, before the kernel: each line without ``duty_rate``
asks :meth:`~lvs_duty.schedules.Schedule.lines_for` (once per distinct HS code and schedule
version, never per row). A schedule line with only an ad valorem part becomes the line's
rate; one with a specific part is kept in ``Batch.schedule_line`` for the general tariff,
which :func:`charge_scheduled` charges with :func:`lvs_duty.schedules.line_duties`, the
int64 form of the scalar engine's :func:`~lvs_duty.schedules.line_duty`. The rules of use
are :mod:`lvs_duty.schedules.use`, shared with the scalar engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .input import Batch, Coded
from .ints import Bools, Ints

if TYPE_CHECKING:
    from ..schedules import Schedule, ScheduleLine
    from .duty import DutyCharger


def _version_of_days(
    batch: Batch, schedule: Schedule, on: dt.date | None, lines: Ints
) -> tuple[Ints, list[dt.date]]:
    """Per line of ``lines``: which version of the schedule is in force (-1, reported: none)."""
    from ..schedules import ScheduleNotInForceError

    day_codes = batch.date.codes[batch.seg.sid[lines]].astype(np.int64)
    days: list[dt.date] = []
    table = np.full(len(batch.date.values) + 1, -1, dtype=np.int64)
    for code in np.unique(day_codes).tolist():
        day = on if on is not None else batch.date.values[code] if code >= 0 else None
        if not isinstance(day, dt.date):
            continue  # a missing or bad date is reported by the reader already
        try:
            version = schedule.at(day)
        except ScheduleNotInForceError:
            periods = ", ".join(v.period for v in schedule.versions)
            bad = lines[day_codes == code]
            batch.problems.add(
                batch.rows[bad],
                "date",
                f"expected a date in {periods} (schedule {schedule.code} has no version in "
                "force then)",
                repr(day),
            )
            continue
        known = [k for k, d in enumerate(days) if schedule.at(d) is version]
        if not known:
            days.append(day)
        table[code] = known[0] if known else len(days) - 1
    return table[day_codes], days


def with_schedule(batch: Batch, schedule: Schedule | None, on: dt.date | None) -> Batch:
    """The batch with each rate-less line's schedule line: a rate, or kept for its duty."""
    from ..schedules.use import rate_of

    if schedule is None:
        return batch
    lines = np.flatnonzero(np.asarray(batch.duty_rate.codes) < 0)
    if not len(lines):
        return batch
    version_of, days = _version_of_days(batch, schedule, on, lines)
    hs = batch.hs_code
    found: list[ScheduleLine] = []
    slots = np.full((len(days) + 1, len(hs.values) + 1), -1, dtype=np.int64)
    for v, day in enumerate(days):
        distinct, index = schedule.lines_for(hs.values, day)
        start = len(found)
        found.extend(distinct)
        slots[v, :-1] = [-1 if k < 0 else start + k for k in index]
    slot = slots[version_of, np.asarray(hs.codes)[lines].astype(np.int64)]
    rate_codes = np.asarray(batch.duty_rate.codes).astype(np.int64)  # a copy: never the input's
    rate_values = list(batch.duty_rate.values)
    own_codes = np.full(len(rate_codes), -1, dtype=np.int64)
    own_values: list[Any] = []
    for k in np.unique(slot[slot >= 0]).tolist():
        at = lines[slot == k]
        rate = rate_of(found[k])
        if rate is None:
            own_codes[at] = len(own_values)
            own_values.append(found[k])
        else:
            rate_codes[at] = len(rate_values)
            rate_values.append(rate)
    return replace(
        batch,
        duty_rate=Coded(rate_codes, rate_values),
        schedule_line=Coded(own_codes, own_values) if own_values else None,
    )


def scheduled_places(charger: DutyCharger) -> int:
    """Places beyond the minor unit that the kept schedule lines' exact duties need."""
    from ..schedules import duty_places

    kept = charger.scheduled
    if kept is None:
        return 0
    lines: list[ScheduleLine] = kept.values
    per = {ln.specific.per for ln in lines if ln.specific is not None}
    return duty_places(
        lines,
        minor=charger.minor,
        weight_places=charger.weight.places if "kg" in per else 0,
        volume_places=charger.volume.places if "litre" in per else 0,
    )


def refuse_scheduled(charger: DutyCharger, lines: Ints) -> Ints:
    """Report the lines (of ``lines``, all lacking a rate) whose schedule line is specific.

    A rule that needs a *rate* cannot take a specific duty as one: each such line is refused
    naming its schedule line, as the scalar engine does. Returns the other lines.
    """
    from ..schedules.use import no_rate

    kept = charger.scheduled
    if kept is None or not len(lines):
        return lines
    codes = np.asarray(kept.codes)[lines]
    for k, line in enumerate(kept.values):
        charger.fail(
            lines[codes == k], "duty_rate", f"expected {no_rate(line)} ({charger.rules.code})"
        )
    rest: Ints = lines[codes < 0]
    return rest


def charge_scheduled(charger: DutyCharger, mask: Bools) -> Bools:
    """Charge the general tariff on the lines of ``mask`` a kept schedule line covers.

    Returns the lines of ``mask`` left for the item's own rate.
    """
    from ..schedules import Column, line_duties

    kept = charger.scheduled
    if kept is None:
        return mask
    on = mask & (np.asarray(kept.codes) >= 0)
    if not bool(on.any()):
        return mask
    rows = np.flatnonzero(on)
    lines: list[ScheduleLine] = kept.values
    per = {ln.specific.per for ln in lines if ln.specific is not None}
    empty = Column(np.zeros(len(rows), dtype=np.int64), np.zeros(len(rows), dtype=bool), 0)
    weight, volume = empty, empty
    if "kg" in per:
        w = charger.weight
        weight = Column(w.nums[rows], w.has[rows], w.places)
    if "litre" in per:
        v = charger.volume
        volume = Column(v.nums[rows], v.has[rows], v.places)
    out = line_duties(
        lines,
        np.asarray(kept.codes)[rows].astype(np.int64),
        minor=charger.minor,
        customs_value=charger.cv[rows],
        quantity=charger.quantity[rows],
        weight=weight,
        volume=volume,
        places=charger.places,
    )
    charger.duty[rows] = out.nums
    needs = {"weight_kg": "the weight in kg", "volume_l": "the volume in litres"}
    for field, missing in out.missing.items():
        for k, line in enumerate(lines):
            lacking = rows[missing & (np.asarray(kept.codes)[rows] == k)]
            if len(lacking) and line.specific is not None:
                charger.fail(
                    lacking,
                    field,
                    f"expected {needs[field]} (schedule line {line.hs}: "
                    f"{line.specific.amount}/{line.specific.per})",
                )
    charger.guard.bad[charger.seg.sid[rows[out.overflow]]] = True
    charger.classified[rows] = True
    result: Bools = mask & ~on
    return result


__all__ = ["charge_scheduled", "refuse_scheduled", "scheduled_places", "with_schedule"]
