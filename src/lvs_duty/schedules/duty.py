"""The duty a schedule line charges: one definition, in Decimal and in int64 columns.

:func:`line_duty` computes one line's duty exactly in :data:`lvs_duty.money.CONTEXT`;
:func:`line_duties` computes many at once as integer numerators over
``10**(minor digits + places)``, as the frame engine keeps its amounts. Neither rounds: the
engines round per their rule table. Both say which measure they charged on, and a test holds
them equal to the last digit.

Measures: ``value`` (the customs value, for the ad valorem part), ``kg`` (the line's weight),
``litre`` (its volume), ``item`` and ``pair`` (its quantity: an item's ``quantity`` counts pairs
for goods a tariff charges by the pair, such as footwear).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal, Protocol

import numpy as np
import numpy.typing as npt

from ..errors import ArgumentError, RateUnavailableError
from ..frame.ints import Bools, Guard, Ints, digits, scaled
from ..money import CONTEXT, to_decimal
from .model import ScheduleLine

Measure = Literal["value", "kg", "litre", "item", "pair"]

MEASURE_BITS: Final = {"value": 1, "kg": 2, "litre": 4, "item": 8, "pair": 16}
"""Bit of each measure in :attr:`DutyColumns.measures` (a compound duty sets two bits)."""

_NEEDS: Final = {
    "kg": ("weight_kg", "the weight in kg"),
    "litre": ("volume_l", "the volume in litres"),
}


@dataclass(frozen=True)
class LineDuty:
    """A line's duty before rounding, the measures it was charged on, and the working in words."""

    amount: Decimal
    measures: tuple[Measure, ...]
    working: str


def _charge_specific(
    line: ScheduleLine,
    quantity: int,
    weight_kg: Decimal | None,
    volume_litres: Decimal | None,
    location: str,
) -> tuple[Decimal, str]:
    specific = line.specific
    assert specific is not None
    measure: Decimal | None
    if specific.per in ("item", "pair"):
        measure = Decimal(quantity)
        unit = "items" if specific.per == "item" else "pairs"
    elif specific.per == "kg":
        measure, unit = weight_kg, "kg"
    else:
        measure, unit = volume_litres, "l"
    if measure is None:
        field, what = _NEEDS[specific.per]
        raise RateUnavailableError(
            location or "line",
            field,
            f"{what} (schedule line {line.hs}: {specific.amount}/{specific.per})",
        )
    amount = CONTEXT.multiply(specific.amount, measure)
    return amount, f"{specific.amount}/{specific.per} x {measure} {unit}"


def line_duty(
    line: ScheduleLine,
    *,
    customs_value: Decimal,
    quantity: int = 1,
    weight_kg: Decimal | None = None,
    volume_litres: Decimal | None = None,
    location: str = "",
) -> LineDuty:
    """The duty ``line`` charges on one declaration line, exact and unrounded.

    A compound line (``combine = "sum"``) charges both parts; ``"max"`` and ``"min"`` charge
    the greater or the lesser, the ad valorem part winning a tie. A specific part per kg or
    litre needs the weight or volume: without it, RateUnavailableError names the field.

    >>> from lvs_duty.schedules import ScheduleLine
    >>> line = ScheduleLine(hs="400000", ad_valorem="0.05", combine="sum",
    ...                     specific={"amount": "0.015", "per": "kg"}, source="t")
    >>> d = line_duty(line, customs_value=Decimal("100.00"), weight_kg=Decimal("2.5"))
    >>> d.amount, d.measures  # 5% x 100.00 + 0.015 x 2.5 = 5.00 + 0.0375
    (Decimal('5.0375'), ('value', 'kg'))
    """
    value = to_decimal(customs_value, "customs_value")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
        raise ArgumentError("line_duty", "quantity", "a whole number of units", quantity)
    weight = None if weight_kg is None else to_decimal(weight_kg, "weight_kg")
    volume = None if volume_litres is None else to_decimal(volume_litres, "volume_litres")
    for name, amount in (
        ("customs_value", value),
        ("weight_kg", weight),
        ("volume_litres", volume),
    ):
        if amount is not None and amount < 0:
            raise ArgumentError("line_duty", name, "a non-negative amount", amount)
    parts: list[tuple[Decimal, Measure, str]] = []
    if line.ad_valorem is not None:
        ad = CONTEXT.multiply(value, line.ad_valorem)
        parts.append((ad, "value", f"{line.ad_valorem} x {value}"))
    if line.specific is not None:
        amount, text = _charge_specific(line, quantity, weight, volume, location)
        parts.append((amount, line.specific.per, text))
    if line.combine == "sum":
        total = CONTEXT.add(parts[0][0], parts[1][0])
        return LineDuty(total, (parts[0][1], parts[1][1]), f"{parts[0][2]} + {parts[1][2]}")
    if line.combine is None:
        amount, measure, text = parts[0]
        return LineDuty(amount, (measure,), text)
    ad_part, specific_part = parts
    pick_ad = (
        ad_part[0] >= specific_part[0] if line.combine == "max" else ad_part[0] <= specific_part[0]
    )
    chosen = ad_part if pick_ad else specific_part
    word = "greater" if line.combine == "max" else "lesser"
    text = f"the {word} of {ad_part[2]} = {ad_part[0]} and {specific_part[2]} = {specific_part[0]}"
    return LineDuty(chosen[0], (chosen[1],), text)


class ExactColumn(Protocol):
    """A decimal column as integer numerators over ``10**places``; ``has`` marks given values."""

    @property
    def nums(self) -> Ints:
        """The numerators, one per row."""
        ...

    @property
    def has(self) -> Bools:
        """Whether each row has a value."""
        ...

    @property
    def places(self) -> int:
        """The decimal places every numerator is scaled by."""
        ...


@dataclass(frozen=True)
class Column:
    """A plain :class:`ExactColumn` (the frame engine's own ``Exact`` fits the same shape)."""

    nums: Ints
    has: Bools
    places: int

    @classmethod
    def of(cls, values: Sequence[Decimal | None]) -> Column:
        """Numerators of Decimal values over their smallest common power of ten; None is absent."""
        places = max((digits(v) for v in values if v is not None), default=0)
        nums = np.array([0 if v is None else scaled(v, places) for v in values], dtype=np.int64)
        has = np.array([v is not None for v in values], dtype=bool)
        return cls(nums, has, places)


@dataclass(frozen=True)
class DutyColumns:
    """Many lines' duties: numerators over ``10**(minor + places)``, measures, what is missing.

    ``measures`` holds :data:`MEASURE_BITS` per row (0: no schedule line). ``missing`` maps a
    field (``weight_kg``, ``volume_l``) to the rows whose line needs it and lack it; their duty
    is 0 and must be reported. ``overflow`` marks rows past int64's safe range (also 0).
    """

    nums: Ints
    places: int
    measures: npt.NDArray[np.int64]
    missing: dict[str, Bools]
    overflow: Bools


def duty_places(
    lines: Iterable[ScheduleLine], *, minor: int, weight_places: int = 0, volume_places: int = 0
) -> int:
    """Decimal places beyond the minor unit that these lines' exact duties need.

    An engine that keeps every duty over one denominator reserves this many places up front
    (for all the lines of the version in force), with the places of its weight and volume.

    >>> line = ScheduleLine(hs="2106", specific={"amount": "0.044", "per": "kg"}, source="t")
    >>> duty_places([line], minor=2, weight_places=1)  # 0.044 needs 1 place past cents, kg 1
    2
    """
    unit_places = {"kg": weight_places, "litre": volume_places, "item": 0, "pair": 0}
    places = 0
    for line in lines:
        if line.ad_valorem is not None:
            places = max(places, digits(line.ad_valorem))
        if line.specific is not None:
            extra = max(0, digits(line.specific.amount) - minor)
            places = max(places, extra + unit_places[line.specific.per])
    return places


def line_duties(
    lines: Sequence[ScheduleLine],
    index: Ints,
    *,
    minor: int,
    customs_value: Ints,
    quantity: Ints,
    weight: ExactColumn,
    volume: ExactColumn,
    places: int | None = None,
) -> DutyColumns:
    """The duties of many declaration lines, exactly as :func:`line_duty` computes each.

    ``places`` fixes the denominator ``10**(minor + places)`` of the result (an engine passes
    its own, at least :func:`duty_places`); by default it is the smallest exact one.

    ``index[i]`` is row ``i``'s position in ``lines`` (-1: no line, duty 0); ``customs_value``
    is in minor units (``minor`` digits), ``quantity`` whole units.
    """
    n = len(index)
    unit_places = {"kg": weight.places, "litre": volume.places, "item": 0, "pair": 0}
    needed = duty_places(
        lines, minor=minor, weight_places=weight.places, volume_places=volume.places
    )
    if places is None:
        places = needed
    elif places < needed:
        raise ArgumentError(
            "line_duties", "places", f"at least {needed} for these lines and columns", places
        )
    ad_k, sp_k, kind, unit = [], [], [], []
    for ln in lines:
        ad_k.append(0 if ln.ad_valorem is None else scaled(ln.ad_valorem, places))
        if ln.specific is None:
            sp_k.append(0)
            unit.append(0)
        else:
            sp_k.append(scaled(ln.specific.amount, minor + places - unit_places[ln.specific.per]))
            unit.append(MEASURE_BITS[ln.specific.per])
        kind.append({None: 0, "sum": 1, "max": 2, "min": 3}[ln.combine])
    slot = np.where(index >= 0, index, len(lines))  # the last slot: no line, all zeros
    ad_rate = np.array([*ad_k, 0], dtype=np.int64)[slot]
    sp_amount = np.array([*sp_k, 0], dtype=np.int64)[slot]
    unit_bit = np.array([*unit, 0], dtype=np.int64)[slot]
    combine = np.array([*kind, 0], dtype=np.int64)[slot]
    has_ad = np.array([ln.ad_valorem is not None for ln in lines] + [False])[slot]

    guard = Guard(np.arange(n, dtype=np.int64), n)
    ad = guard.mul(customs_value, ad_rate)
    measure = np.select(
        [unit_bit == MEASURE_BITS["kg"], unit_bit == MEASURE_BITS["litre"], unit_bit >= 8],
        [weight.nums, volume.nums, quantity],
        0,
    )
    missing = {
        "weight_kg": (unit_bit == MEASURE_BITS["kg"]) & ~weight.has,
        "volume_l": (unit_bit == MEASURE_BITS["litre"]) & ~volume.has,
    }
    lacking = missing["weight_kg"] | missing["volume_l"]
    sp = guard.mul(np.where(lacking, 0, measure), sp_amount)
    ad_bit = has_ad.astype(np.int64) * MEASURE_BITS["value"]
    ad_wins = np.where(combine == 2, ad >= sp, ad <= sp)  # max or min; a tie goes to ad valorem
    pick_ad = np.where(combine >= 2, ad_wins, has_ad)
    compound = combine == 1
    total = np.where(compound, ad + sp, np.where(pick_ad, ad, sp))
    measures = np.where(compound, ad_bit | unit_bit, np.where(pick_ad, ad_bit, unit_bit))
    total = guard.cap(np.where(lacking, 0, total))
    return DutyColumns(total, places, measures, missing, guard.bad)


def measure_names(bits: int) -> tuple[Measure, ...]:
    """The measures set in a :attr:`DutyColumns.measures` value, in a fixed order.

    >>> measure_names(3)
    ('value', 'kg')
    """
    names: tuple[Measure, ...] = ("value", "kg", "litre", "item", "pair")
    return tuple(name for name in names if bits & MEASURE_BITS[name])


__all__ = [
    "MEASURE_BITS",
    "Column",
    "DutyColumns",
    "ExactColumn",
    "LineDuty",
    "Measure",
    "duty_places",
    "line_duties",
    "line_duty",
    "measure_names",
]
