"""Duty methods of the frame path: each charges a mask of lines, exactly as the scalar engine.

Line duties are kept exact, as integer numerators over ``10**(minor digits + places)``: an ad
valorem duty is ``customs value x rate``, a specific duty ``amount x quantity`` (or weight,
volume, alcohol). A *group* is what one call of a duty method charges in one shipment (the
scalar engine's ``group``; a table's unmatched lines join the general group before any charge):
a per-shipment flat amount lands on its first line, a subheading is charged once per group, a
per-shipment rate band is keyed on the group's highest rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .. import decide
from ..rules import (
    Category,
    CategoryDuty,
    DutyMethod,
    FlatDuty,
    FreeDuty,
    MfnDuty,
    RateBandDuty,
    RuleSet,
    RuleVersion,
)
from .input import Coded
from .ints import (
    Bools,
    Guard,
    Ints,
    Segments,
    bound,
    digits,
    gather,
    only,
    scaled,
    sub_segments,
)
from .schedule import charge_scheduled, refuse_scheduled, scheduled_places

Fail = Callable[[Ints, str, str], None]
"""Report lines (positions) that cannot be charged: column and what was expected."""


@dataclass
class Exact:
    """A per-line decimal column as integer numerators over ``10**places``; ``has`` if given."""

    nums: Ints
    has: Bools
    places: int
    coded: Coded

    @classmethod
    def of(cls, coded: Coded) -> Exact:
        """Numerators of the values the lines use, over the smallest common power of ten."""
        index = coded.codes.astype(np.intp, copy=False)  # widened once (see ints.gather)
        seen = np.zeros(len(coded.values) + 1, dtype=bool)
        seen[index] = True  # -1 marks the trailing "missing" slot
        used = seen[:-1]
        values = coded.values
        places = max(
            (digits(v) for v, u in zip(values, used, strict=True) if u and isinstance(v, Decimal)),
            default=0,
        )
        lut = np.array(
            [
                scaled(v, places) if u and isinstance(v, Decimal) else 0
                for v, u in zip(values, used, strict=True)
            ]
            + [0],
            dtype=np.int64,
        )
        known = np.array([isinstance(v, Decimal) for v in values] + [False], dtype=bool)
        return cls(lut[index], known[index], places, coded)

    def at(self, places: int) -> Ints:
        """The numerators over ``10**places`` (``places >= self.places``)."""
        factor = 10 ** (places - self.places)
        return self.nums if factor == 1 else self.nums * factor


def _extra(amount: Decimal, minor: int) -> int:
    return max(0, digits(amount) - minor)


class DutyCharger:
    """Charges duty methods on masks of lines; holds each line's exact duty and classification."""

    def __init__(
        self,
        *,
        seg: Segments,
        guard: Guard,
        fail: Fail,
        rules: RuleSet,
        version: RuleVersion,
        minor: int,
        customs_value: Ints,
        quantity: Ints,
        hs_code: Coded,
        category: Coded,
        rate: Coded,
        weight: Coded,
        volume: Coded,
        abv: Coded,
        scheduled: Coded | None = None,
    ) -> None:
        self.seg, self.guard, self.fail = seg, guard, fail
        self.rules, self.version, self.minor = rules, version, minor
        self.cv, self.quantity, self.hs, self.category = customs_value, quantity, hs_code, category
        self.rate = Exact.of(rate)
        self._columns = {"weight": weight, "volume": volume, "abv": abv}
        n = len(customs_value)
        self.duty: Ints = np.zeros(n, dtype=np.int64)
        self.classified: Bools = np.zeros(n, dtype=bool)
        self._classified: dict[int, tuple[CategoryDuty, Ints]] = {}
        low = version.duty.low_value
        methods = [version.duty.general, *(s.method for s in version.duty.special)]
        methods += [low.method] if low is not None else []
        self.places = max([self.rate.places] + [self._places(m) for m in methods])
        self.scheduled = scheduled  # schedule lines with a specific part, per line
        self.places = max(self.places, scheduled_places(self))

    # -- exact numerators ---------------------------------------------------------------------

    @cached_property
    def weight(self) -> Exact:
        """Weights in kg, read only when a category charges per kg."""
        return Exact.of(self._columns["weight"])

    @cached_property
    def volume(self) -> Exact:
        """Volumes in litres, read only when a category charges per litre."""
        return Exact.of(self._columns["volume"])

    @cached_property
    def abv(self) -> Exact:
        """Alcohol by volume, read only when a category charges per litre of alcohol."""
        return Exact.of(self._columns["abv"])

    def _places(self, method: DutyMethod) -> int:
        """Decimal places beyond the minor unit that the method's exact duties need."""
        if isinstance(method, FlatDuty):
            return (
                max(digits(method.rate), _extra(method.deduction, self.minor))
                if method.rate is not None
                else _extra(method.amount or Decimal(0), self.minor)
            )
        if isinstance(method, RateBandDuty):
            return max(_extra(b.amount, self.minor) for b in method.bands)
        if isinstance(method, CategoryDuty):
            return max(self._category_places(c) for c in method.categories)
        return 0

    def _category_places(self, category: Category) -> int:
        if category.rate is not None:
            return digits(category.rate)
        if category.item_rate or category.amount is None:
            return 0
        extra = _extra(category.amount, self.minor)
        return extra + {
            "kg": self.weight.places,
            "litre": self.volume.places,
            "litre_alcohol": self.volume.places + self.abv.places,
        }.get(category.per, 0)

    def _amount(self, amount: Decimal, less: int = 0) -> int:
        """A money amount as a numerator over ``10**(minor + places - less)``."""
        return scaled(amount, self.minor + self.places - less)

    def _ad_valorem(self, lines: Ints, rate: Decimal | Ints) -> None:
        if isinstance(rate, Decimal):
            self.duty[lines] = self.guard.mul(self.cv[lines], scaled(rate, self.places))
        else:
            self.duty[lines] = self.guard.mul(self.cv[lines], rate)

    def _item_rates(self, lines: Ints) -> Ints:
        return self.rate.at(self.places)[lines]

    def _ad_valorem_on(self, mask: Bools, rate: int | Ints) -> None:
        """Customs value x rate on the lines of ``mask`` (whole columns: no gather, no scatter)."""
        if bool(mask.all()):
            self.duty = self.guard.mul(self.cv, rate)
            return
        if self.guard.fits(self.cv, rate):  # no line can overflow (usual): no masked copy
            product = self.cv * rate
        else:  # only the lines of the mask may be marked
            product = self.guard.mul(only(mask, self.cv), rate)
        product *= mask  # the mask's lines take the product, the others keep their duty
        self.duty *= ~mask
        self.duty += product

    def _need_rate(self, mask: Bools, expected: str) -> Bools:
        """Lines of ``mask`` that carry their MFN rate; the others are reported."""
        missing = refuse_scheduled(self, np.flatnonzero(mask & ~self.rate.has))
        self.fail(missing, "duty_rate", f"expected {expected} ({self.rules.code})")
        out: Bools = mask & self.rate.has
        return out

    # -- methods ------------------------------------------------------------------------------

    def charge(self, method: DutyMethod, mask: Bools) -> None:
        """Charge ``method`` on the lines of ``mask`` (one group per shipment)."""
        if not bool(mask.any()) or isinstance(method, FreeDuty):
            return
        if isinstance(method, MfnDuty):
            mask = charge_scheduled(self, mask)  # lines whose schedule line is specific
            ok = self._need_rate(mask, "the line's MFN rate: the general tariff applies")
            self._ad_valorem_on(ok, self.rate.at(self.places))
            self.classified |= ok
        elif isinstance(method, FlatDuty):
            self._flat(method, mask)
        elif isinstance(method, CategoryDuty):
            self._categories(method, mask)
        elif isinstance(method, RateBandDuty):
            self._bands(method, mask)

    def _flat(self, method: FlatDuty, mask: Bools) -> None:
        lines = np.flatnonzero(mask)
        if method.rate is not None:
            self._ad_valorem_on(mask, scaled(method.rate, self.places))
            if method.deduction:
                # taken off line by line, in order, never below zero: a line keeps what its
                # group's running duty exceeds the deduction by, at most its own duty
                index, starts, _ = sub_segments(self.seg.sid, mask)
                own = self.duty[index]
                running = np.cumsum(own)
                running -= np.repeat(
                    running[starts] - own[starts], np.diff(np.append(starts, len(index)))
                )
                deduction = self._amount(method.deduction)
                self.duty[index] = np.clip(running - deduction, 0, own)
            return
        amount = self._amount(method.amount or Decimal(0))
        if method.per == "shipment":
            index, _, first = sub_segments(self.seg.sid, mask)
            self.duty[index[first]] = amount
        elif method.per == "item":
            self.duty[lines] = self.guard.mul(self.quantity[lines], amount)
        else:
            subs = [h[:6] if isinstance(h, str) and len(h) >= 6 else None for h in self.hs.values]
            numbers = {s: k for k, s in enumerate(dict.fromkeys(x for x in subs if x))}
            sub_code = np.array(
                [-1 if s is None else numbers[s] for s in subs] + [-1], dtype=np.int64
            )[self.hs.codes]
            self.fail(
                lines[sub_code[lines] < 0],
                "hs_code",
                "expected a 6-digit HS subheading: the flat amount is charged per "
                f"distinct subheading ({self.rules.code})",
            )
            self.classified[lines] = True
            ok = lines[sub_code[lines] >= 0]
            key = self.seg.sid[ok] * (len(subs) + 1) + sub_code[ok]
            fresh = ~pd.Series(key).duplicated().to_numpy()
            self.duty[ok[fresh]] = amount

    def _categories(self, method: CategoryDuty, mask: Bools) -> None:
        chosen = self.classify(method)
        unknown = np.flatnonzero(mask & (chosen == decide.UNKNOWN))
        names = ", ".join(c.name for c in method.categories)
        self.fail(unknown, "category", f"expected one of {names}")
        classified = mask & (chosen >= 0)
        self.classified |= classified
        # every ad valorem category in one pass: a table of rates indexed by category
        cats = method.categories
        rates = np.array(
            [scaled(c.rate, self.places) if c.rate is not None else 0 for c in cats] + [0, 0],
            dtype=np.int64,
        )  # slots for -2 and -1
        by_rate = np.array([c.rate is not None for c in cats] + [False, False])
        ad_valorem = classified & by_rate[chosen]
        if bool(ad_valorem.any()):
            self._ad_valorem_on(ad_valorem, rates[chosen])
        for k, category in enumerate(cats):
            if category.rate is not None:
                continue
            lines = np.flatnonzero(mask & (chosen == k))
            if len(lines):
                self._category_charge(category, lines)

    def classify(self, method: CategoryDuty) -> Ints:
        """Category index of each line: -1 none (general tariff), -2 an unknown name."""
        held = self._classified.get(id(method))
        if held is None or held[0] is not method:
            held = self._classified[id(method)] = (method, self._classify(method))
        return held[1]

    def _classify(self, method: CategoryDuty) -> Ints:
        # each way of classification is decided once per distinct value of its column; a way
        # that places no line at all stays a scalar, so it costs no pass over the lines
        by = {
            "named": _lut(
                [decide.category_named(method, v) for v in self.category.values],
                self.category.codes,
            ),
            "hs": _lut(
                [decide.category_by_hs(method, h)[0] for h in self.hs.values], self.hs.codes
            ),
            "band": _lut(
                [decide.category_by_band(method, r) for r in self.rate.coded.values],
                self.rate.coded.codes,
            ),
            "default": decide.category_default(method),
        }
        out = decide.classify(by, _where)
        if isinstance(out, int):
            return np.full(len(self.cv), out, dtype=np.int64)
        chosen: Ints = out
        return chosen

    def _category_charge(self, category: Category, lines: Ints) -> None:
        where = f"category {category.name!r}"
        if category.rate is not None:
            self._ad_valorem(lines, category.rate)
            return
        if category.item_rate:
            mask = np.zeros(len(self.cv), dtype=bool)
            mask[lines] = True
            ok = np.flatnonzero(self._need_rate(mask, f"the line's MFN rate ({where})"))
            self._ad_valorem(ok, self._item_rates(ok))
            return
        amount = category.amount or Decimal(0)
        qty = self.quantity[lines]
        if category.per == "item":
            self.duty[lines] = self.guard.mul(qty, self._amount(amount))
            return
        if category.per == "kg":
            has = self._has(self.weight, lines, "weight_kg", f"the weight in kg ({category.name})")
            unit = self._amount(amount, self.weight.places)
            self.duty[has] = self.guard.mul(self.weight.nums[has], unit)
            return
        has = self._has(self.volume, lines, "volume_l", f"the volume in litres ({category.name})")
        if category.per == "litre":
            unit = self._amount(amount, self.volume.places)
            self.duty[has] = self.guard.mul(self.volume.nums[has], unit)
            return
        has = self._has(self.abv, has, "abv", f"the alcohol by volume ({category.name})")
        unit = self._amount(amount, self.volume.places + self.abv.places)
        litres = self.guard.mul(self.volume.nums[has], self.abv.nums[has])
        self.duty[has] = self.guard.mul(litres, unit)

    def _has(self, column: Exact, lines: Ints, name: str, expected: str) -> Ints:
        self.fail(lines[~column.has[lines]], name, f"expected {expected}")
        out: Ints = lines[column.has[lines]]
        return out

    def _bands(self, method: RateBandDuty, mask: Bools) -> None:
        ok = self._need_rate(mask, "the line's tariff rate, which picks the specific-duty band")
        self.classified[mask] = True
        rates = self.rate.nums
        limits = [
            None
            if b.below is None
            else bound(Fraction(b.below) * 10**self.rate.places, b.inclusive)
            for b in method.bands
        ]
        amounts = np.array([self._amount(b.amount) for b in method.bands], dtype=np.int64)

        def band(values: Ints) -> Ints:
            which = np.full(len(values), len(limits) - 1, dtype=np.int64)
            for k in range(len(limits) - 1, -1, -1):
                limit = limits[k]
                if limit is None:
                    which[:] = k
                else:
                    which[values <= limit] = k
            return which

        if method.per == "item":
            lines = np.flatnonzero(ok)
            self.duty[lines] = self.guard.mul(self.quantity[lines], amounts[band(rates[lines])])
            return
        index, starts, first = sub_segments(self.seg.sid, mask)
        top = np.maximum.reduceat(np.where(self.rate.has[index], rates[index], 0), starts)
        self.duty[index[first]] = amounts[band(top)]


def _lut(values: list[int], codes: Ints) -> Ints | int:
    """A per-line array from one value per distinct cell (missing cells: no category).

    The scalar :data:`~lvs_duty.decide.NO_CATEGORY` when no cell has a category.
    """
    if all(v == decide.NO_CATEGORY for v in values):
        return decide.NO_CATEGORY
    table: Ints = np.array([*values, decide.NO_CATEGORY], dtype=np.int64)
    out: Ints = gather(table, codes)
    return out


def _where(take: Any, chosen: Any, otherwise: Any) -> Any:
    """``numpy.where``, short-circuited when the condition is one scalar."""
    if isinstance(take, (bool, np.bool_)):
        return chosen if take else otherwise
    return np.where(take, chosen, otherwise)


__all__ = ["DutyCharger", "Exact"]
