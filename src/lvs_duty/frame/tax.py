"""Step 6 of the frame path: tax rate per line, rounding groups, tax bases and components.

Follows step 6 of :mod:`lvs_duty.assess`: one rounding per group of duty point, tax point and
rate (or per line), components and ratios; the rate of each line is the one
:func:`lvs_duty.decide.tax_category` or :func:`lvs_duty.decide.shipment_tax_rate` gives, asked
once per distinct HS code and per distinct region or destination. Most parcels' lines share one
group: those shipments are rounded as shipments, and the few of several groups apart, as a
batch of their own (shipments are independent, so the figures are the same).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import decide
from .charges import uplift
from .codes import AT_BORDER, AT_SALE, EXEMPT, NOT_COLLECTED, POINT_OF_RELIEF
from .input import hs_lut
from .ints import Bools, Guard, Ints, Segments, digits, gather, only, quantize, scaled
from .settle import waived

if TYPE_CHECKING:
    from .duty import DutyCharger
    from .kernel import Kernel


SPLIT_SHARE = 8
"""Shipments of several rounding groups are rounded apart when at most one in SPLIT_SHARE is:
the rest, one group each, need no grouping pass (the usual parcel's lines share one rate)."""


class TaxStep:
    """Step 6 for one kernel (its batch, version, rounding and guards)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel
        self.table: list[Fraction] = [Fraction(0)]  # the tax rates (tax_rates gives them)
        self.places = 0  # decimal places of the exact line duties

    def tax_rates(self, relief: Ints) -> tuple[Ints, list[Fraction]]:
        """Per line, an index into the table of tax rates (0 where no tax is due)."""
        k = self.k
        tax = k.version.tax
        n = len(k.sid)
        if tax is None:
            return np.zeros(n, dtype=np.int64), [Fraction(0)]
        table: list[Fraction] = [Fraction(0)]

        def index(rate: Decimal | None) -> int:
            if rate is None:
                return -2  # the regional rate is needed and missing
            value = Fraction(rate)
            if value not in table:
                table.append(value)
            return table.index(value)

        if tax.rate_key is None:  # one rate for every line
            per_ship: Any = np.full(n, index(tax.rate or Decimal(0)), dtype=np.int8)
        else:
            keyed = k.b.region if tax.rate_key == "region" else k.b.destination
            missing = index(decide.shipment_tax_rate(tax, None)[0])
            codes = [index(decide.shipment_tax_rate(tax, v)[0]) for v in keyed.values]
            small = len(table) <= 127  # (the usual) a few rates: a gather of bytes
            per_ship = hs_lut(codes, keyed, missing, np.int8 if small else np.int64)
        chosen = per_ship if tax.rate_key is None else k.lines(per_ship)
        if tax.categories:
            by_hs = hs_lut(
                [
                    -1 if (c := decide.tax_category(tax, h)) is None else index(c.rate)
                    for h in k.b.hs_code.values
                ],
                k.b.hs_code,
                -1,
            )
            chosen = np.where(by_hs >= 0, by_hs, chosen)
        active = relief != EXEMPT
        if tax.rate_key is not None and tax.rate is None:
            missing_lines = np.flatnonzero(active & (chosen == -2))
            if len(missing_lines):
                keys = ", ".join(r.key for r in tax.rates)
                k.fail_lines(
                    missing_lines,
                    tax.rate_key or "region",
                    f"expected one of {keys} ({k.rules.code} {tax.name} has no default rate)",
                )
            chosen = np.maximum(chosen, 0)
        if bool(active.all()):
            return chosen, table
        return only(active, chosen), table

    def tax_groups(
        self, charger: DutyCharger, duty_relief: Ints, tax_relief: Ints, parts: dict[str, Ints]
    ) -> dict[str, Ints]:
        """Round duty and tax once per group (duty point, tax point, rate) or per line.

        Per shipment: duty and tax at the border and at sale, and the tax base.
        """
        k = self.k
        rate_index, table = self.tax_rates(tax_relief)
        # a line whose duty is zero (MFN free) still groups with its dutiable neighbours
        point = np.array(POINT_OF_RELIEF, dtype=np.int8)  # relief code -> point code
        tax_point = np.zeros(len(k.sid), dtype=np.int8)
        if k.version.tax is not None:
            tax_point = gather(point, tax_relief)
        duty_point = gather(point, duty_relief)
        lines = Lines(
            k.seg, k.guard, charger.duty, duty_point, tax_point, rate_index, parts,
            _values(duty_point), _values(tax_point),
        )  # fmt: skip
        self.table, self.places = table, charger.places
        if k.seg.single or k.version.rounding.per == "line":  # groups as the lines are
            return self.rounded(lines, self.grouping(lines))
        own = lines.own_key(len(self.table))
        several = self.several_groups(lines, own)
        if several is None:  # every shipment is one group (the usual case)
            return self.rounded(lines, _one_per_shipment(k.seg))
        ships = np.flatnonzero(several)
        if len(ships) * SPLIT_SHARE > k.b.size:  # many of several groups: group them all
            return self.rounded(lines, self.grouping(lines, own))
        return self.split(lines, several, ships)

    def several_groups(self, lines: Lines, own: Ints) -> Bools | None:
        """The shipments whose lines fall in several rounding groups (None: no such shipment).

        ``own`` is each line's group key within its shipment (``Lines.own_key``).
        """
        seg = lines.seg
        differ = own[1:] != own[:-1]  # keyed unlike the line before, in the same shipment
        differ &= ~seg.first[1:]
        if not bool(differ.any()):
            return None
        out = np.zeros(seg.size, dtype=bool)
        out[seg.sid[1:][differ]] = True
        return out

    def split(self, lines: Lines, several: Bools, ships: Ints) -> dict[str, Ints]:
        """Round the shipments of one group as such, the few of several groups apart.

        Shipments are independent (each is rounded and guarded on its own lines), so the
        shipments of several groups are rounded again as a batch of their own and written over
        the first pass's figures for them; the first pass's overflow marks count for the
        others only (a group's sum is at most its shipment's).
        """
        guard = lines.guard
        first_pass = Guard(guard.sid, guard.bad.size)
        first_pass.bad = guard.bad.copy()
        whole = self.rounded(replace(lines, guard=first_pass), _one_per_shipment(lines.seg))
        part = lines.take(ships)
        apart = self.rounded(part, self.grouping(part))
        guard.bad |= first_pass.bad & ~several
        guard.bad[ships] |= part.guard.bad
        for name, column in whole.items():
            if not column.flags.writeable:
                column = whole[name] = column.copy()
            column[ships] = apart[name]
        return whole

    def rounded(self, lines: Lines, groups: Grouping) -> dict[str, Ints]:
        """Per shipment of ``lines``: duty and tax at the border and at sale, and the base."""
        order, gseg, owner = groups
        seg, guard, mode = lines.seg, lines.guard, self.k.mode
        group_guard = Guard(owner, seg.size)
        group_guard.bad = guard.bad  # one flag per shipment, shared

        def gsum(x: Ints) -> Ints:
            return gseg.sum(x if order is None else x[order], guard, owner)

        heads = gseg.starts if order is None else order[gseg.starts]  # each group's first line

        def first(x: Any) -> Any:
            return x if gseg.single and order is None else x[heads]  # one group per line

        g_duty_point = first(lines.duty_point)
        duty = quantize(gsum(lines.duty), 10**self.places, self.k.duty_quantum, mode)
        # a group whose exact duty is 0 rounds to 0: its duty point does not matter
        # one group per shipment (the usual case): a group's sum is its shipment's
        whole = None if gseg.size == seg.size else Segments(owner, seg.size)

        def per_shipment(x: Ints) -> Ints:
            return x if whole is None else whole.sum(x, guard)

        def in_all(x: Ints | None) -> Ints:  # per shipment; None: nothing (0 on each)
            return np.zeros(seg.size, np.int64) if x is None else per_shipment(x)

        duty_border, duty_sale = _shares(lines.duty_points, g_duty_point, duty)
        # a border duty its own minimum waives is not levied: it stays out of the tax base
        levied = duty
        minimum = self.k.version.duty.min_collectable
        if minimum is not None and self.k.version.tax is not None:
            dropped = waived(minimum, self.k.minor, in_all(duty_border))
            levied = only(~(dropped[owner] & (g_duty_point == 1)), duty)
        g_tax_point = first(lines.tax_point)
        base, tax_due = self.tax_due(lines, gsum, first, g_tax_point, levied, group_guard)
        tax_border, tax_sale = _shares(lines.tax_points, g_tax_point, tax_due)
        return {
            "duty_border": in_all(duty_border),
            "duty_sale": in_all(duty_sale),
            "tax_border": in_all(tax_border),
            "tax_sale": in_all(tax_sale),
            "base": per_shipment(base),
        }

    def tax_due(
        self,
        lines: Lines,
        gsum: Callable[[Ints], Ints],
        first: Callable[[Any], Any],
        g_tax_point: Ints,
        levied: Ints,
        group_guard: Guard,
    ) -> tuple[Ints, Ints]:
        """Per group: the tax base and the rounded tax (0 where nothing is collected)."""
        tax, mode, groups = self.k.version.tax, self.k.mode, len(levied)
        if tax is None:
            return np.zeros(groups, dtype=np.int64), np.zeros(groups, dtype=np.int64)
        parts, n = lines.parts, len(lines.duty)
        with_duty = np.array([False, "duty" in tax.base, "duty" in tax.sale_base])

        def line_sum(names: tuple[str, ...]) -> Ints:  # the base's parts but duty, per line
            kept = [parts[name] for name in names if name != "duty"]
            return sum(kept[1:], kept[0]) if kept else np.zeros(n, dtype=np.int64)

        points = lines.tax_points
        if tax.base == tax.sale_base or points <= {0, 1}:  # a sum only for the bases used
            line_part = line_sum(tax.base)
        elif points <= {0, 2}:
            line_part = line_sum(tax.sale_base)
        else:  # each line's base by its point: as products with the masks (ints.only)
            border = lines.tax_point == AT_BORDER
            line_part = only(border, line_sum(tax.base))
            line_part += only(~border, line_sum(tax.sale_base))
        base = gsum(line_part)
        # a group's customs value is at most its shipment's, whose sum valuation guarded
        if tax.uplift is not None:
            base = base + uplift(self.k, gsum(parts["customs_value"]), g_tax_point, group_guard)
        if with_duty[1] and (with_duty[2] or points <= {0, 1}):
            base = base + levied
        elif with_duty[1] or with_duty[2]:
            base = base + only(gather(with_duty, g_tax_point), levied)
        if self.k.base_quantum is not None:
            base = quantize(base, 1, self.k.base_quantum, mode)
        tax_due = self.tax_amount(base, first(lines.rate), group_guard)
        if 0 in points:
            taxed = g_tax_point != NOT_COLLECTED
            base = only(taxed, base)
            if self.k.components:  # at the group's rate, an untaxed group's is 0 already
                tax_due = only(taxed, tax_due)
        return base, tax_due

    def tax_amount(self, base: Ints, rate_index: Ints, group_guard: Guard) -> Ints:
        """The rounded tax of each group: by component, or at the group's rate."""
        mode, mul, table = self.k.mode, group_guard.mul, self.table
        if self.k.components:
            amounts: dict[str, Ints] = {}
            for component, quantum in self.k.components:
                if component.rate is not None:
                    places = digits(component.rate)
                    amounts[component.name] = quantize(
                        mul(base, scaled(component.rate, places)), 10**places, quantum, mode
                    )
                else:
                    top, bottom = component.ratio or (0, 1)
                    amounts[component.name] = quantize(
                        mul(amounts[component.of or ""], top), bottom, quantum, mode
                    )
            return sum(amounts.values(), np.zeros(len(base), dtype=np.int64))
        places = max(_frac_places(r) for r in table)
        nums = np.array([scaled(r, places) for r in table], dtype=np.int64)
        return quantize(mul(base, gather(nums, rate_index)), 10**places, self.k.quantum, mode)

    def grouping(self, lines: Lines, own: Ints | None = None) -> Grouping:
        """The rounding groups: line order (None: as is), group segments, each group's shipment.

        Per shipment, a group is the lines sharing (duty point, tax point, tax rate); with
        per-line rounding every line is its own group. ``own``: the lines' keys, if known.
        """
        seg = lines.seg
        if seg.single:
            return None, seg, seg.sid
        if self.k.version.rounding.per == "line":
            n = len(seg.sid)
            return None, Segments(np.arange(n, dtype=np.int64), n), seg.sid
        rates = len(self.table)
        key = seg.sid * (9 * rates) + (lines.own_key(rates) if own is None else own)
        order = None
        descent = key[1:] < key[:-1]
        if bool(descent.any()):  # sort the lines of the few shipments whose keys are unsorted
            touched = np.zeros(seg.size, dtype=bool)
            touched[seg.sid[1:][descent]] = True
            unsorted = np.flatnonzero(touched[seg.sid])
            order = np.arange(len(key), dtype=np.int64)
            order[unsorted] = unsorted[np.argsort(key[unsorted], kind="stable")]  # in its block
            key = key[order]
        change = np.ones(len(key), dtype=bool)  # a line that starts a group
        np.not_equal(key[1:], key[:-1], out=change[1:])
        starts = np.flatnonzero(change)
        if len(starts) == seg.size:  # one group per shipment: the shipments' segments
            return _one_per_shipment(seg)
        group_of = np.cumsum(change) - 1
        groups = Segments(group_of, len(starts), starts)
        owner: Ints = (seg.sid if order is None else seg.sid[order])[groups.starts]
        return order, groups, owner


Grouping = tuple[Ints | None, Segments, Ints]
"""Rounding groups: the lines' order (None: as they are), the groups' segments, each group's
shipment."""


def _one_per_shipment(seg: Segments) -> Grouping:
    """Each shipment's lines, one group."""
    return None, copy.copy(seg), np.arange(seg.size, dtype=np.int64)


@dataclass(frozen=True)
class Lines:
    """The tax step's per-line inputs for some shipments, their segments and overflow guard."""

    seg: Segments
    guard: Guard
    duty: Ints  # exact duty, numerators over 10**places
    duty_point: Any  # int8 point codes (frame/codes.py)
    tax_point: Any
    rate: Ints  # index into the table of tax rates (0, a rate of 0, where no tax is due)
    parts: dict[str, Ints]  # goods, customs value, shipping, insurance per line
    duty_points: set[int]  # the point codes present (for a subset of the lines: a superset)
    tax_points: set[int]

    def own_key(self, rates: int) -> Ints:
        """Each line's group key within its shipment: (duty point, tax point, rate)."""
        # in int64: (int8 points) * rates wraps from 16 rates on
        key: Ints = (self.duty_point.astype(np.int64) * 3 + self.tax_point) * rates + self.rate
        return key

    def take(self, ships: Ints) -> Lines:
        """The same for the shipments at ``ships`` (ascending) alone, with a guard of their own."""
        at, seg = self.seg.subset(ships)
        guard = Guard(seg.sid, seg.size)
        guard.bad = self.guard.bad[ships]  # a copy: the caller merges the new marks back
        return Lines(
            seg,
            guard,
            self.duty[at],
            self.duty_point[at],
            self.tax_point[at],
            self.rate[at],
            {name: part[at] for name, part in self.parts.items()},
            self.duty_points,
            self.tax_points,
        )


def _shares(points: set[int], point: Any, due: Ints) -> tuple[Ints | None, Ints | None]:
    """What of each group's ``due`` is collected at the border, and at sale (None: nothing).

    A group not collected owes nothing (its lines are exempt: no duty is charged on them,
    its tax is at rate 0), so where no group is collected at sale, the border's is ``due``.
    ``points``: the point codes of the lines (or a superset).
    """
    if AT_SALE not in points:
        return due, None
    if AT_BORDER not in points:
        return None, due
    border = only(point == AT_BORDER, due)
    return border, due - border


def _values(small: Any) -> set[int]:
    """The distinct values of a small-int array (a few passes, no sort)."""
    if len(small) == 0:
        return set()
    low, high = int(small.min()), int(small.max())
    return {low, high} | ({v for v in range(low + 1, high) if bool((small == v).any())})


def _frac_places(value: Fraction) -> int:
    """Decimal places of a rate held as a Fraction (its denominator is 2^a 5^b)."""
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    return places


__all__ = ["Lines", "TaxStep"]
