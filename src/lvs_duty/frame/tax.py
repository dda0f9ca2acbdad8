"""Step 6 of the frame path: tax rate per line, rounding groups, tax bases and components.

Follows step 6 of :mod:`lvs_duty.assess`: one rounding per group of duty point, tax point and
rate (or per line), components and ratios; the rate of each line is the one
:func:`lvs_duty.decide.tax_category` or :func:`lvs_duty.decide.shipment_tax_rate` gives, asked
once per distinct HS code and per distinct region or destination.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import decide
from .charges import uplift
from .codes import EXEMPT, NOT_COLLECTED, POINT_OF_RELIEF
from .input import hs_lut
from .ints import Guard, Ints, Segments, digits, quantize, scaled
from .settle import waived

if TYPE_CHECKING:
    from .duty import DutyCharger
    from .kernel import Kernel


class TaxStep:
    """Step 6 for one kernel (its batch, version, rounding and guards)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel
        self.group_guard = kernel.guard

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
            per_ship = hs_lut(
                [index(decide.shipment_tax_rate(tax, v)[0]) for v in keyed.values],
                keyed,
                missing,
            ).astype(np.int8)
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
        return np.where(active, chosen, 0), table

    def tax_groups(
        self, charger: DutyCharger, duty_relief: Ints, tax_relief: Ints, parts: dict[str, Ints]
    ) -> dict[str, Ints]:
        """Round duty and tax once per group (duty point, tax point, rate) or per line."""
        guard, tax, mode = self.k.guard, self.k.version.tax, self.k.mode
        rate_index, table = self.tax_rates(tax_relief)
        # a line whose duty is zero (MFN free) still groups with its dutiable neighbours
        point = np.array(POINT_OF_RELIEF, dtype=np.int8)  # relief code -> point code
        duty_point = point[duty_relief]
        tax_point = np.zeros(len(self.k.sid), dtype=np.int8) if tax is None else point[tax_relief]
        order, gseg, owner = self.grouping(duty_point, tax_point, rate_index, len(table))
        self.group_guard = Guard(owner, self.k.b.size)
        self.group_guard.bad = guard.bad  # one flag per shipment, shared

        def gsum(x: Ints) -> Ints:
            return gseg.sum(x if order is None else x[order], guard, owner)

        heads = gseg.starts if order is None else order[gseg.starts]  # each group's first line

        def first(x: Any) -> Any:
            if gseg.single and order is None:  # one group per line, in order
                return x
            return x[heads]

        g_duty_point, g_tax_point, g_rate = first(duty_point), first(tax_point), first(rate_index)
        duty = quantize(gsum(charger.duty), 10**charger.places, self.k.duty_quantum, mode)
        # a group whose exact duty is 0 rounds to 0: its duty point does not matter
        # one group per shipment (the usual case): a group's sum is its shipment's
        whole = None if gseg.size == self.k.b.size else Segments(owner, self.k.b.size)

        def per_shipment(x: Ints) -> Ints:
            return x if whole is None else whole.sum(x, guard)

        duty_border = np.where(g_duty_point == 1, duty, 0)
        # a border duty its own minimum waives is not levied: it stays out of the tax base
        levied = duty
        minimum = self.k.version.duty.min_collectable
        if minimum is not None and tax is not None:
            dropped = waived(minimum, self.k.minor, per_shipment(duty_border))
            levied = np.where(dropped[owner] & (g_duty_point == 1), 0, duty)
        if tax is None:
            base = tax_due = np.zeros(gseg.size, dtype=np.int64)
        else:
            with_duty = np.zeros(3, dtype=bool)
            sums = {}
            for where, names in ((1, tax.base), (2, tax.sale_base)):
                with_duty[where] = "duty" in names
                kept = [parts[name] for name in names if name != "duty"]
                sums[where] = (
                    sum(kept[1:], kept[0]) if kept else np.zeros(len(self.k.sid), dtype=np.int64)
                )
            points = _values(tax_point)
            if tax.base == tax.sale_base or points <= {0, 1}:
                line_part = sums[1]
            elif points <= {0, 2}:
                line_part = sums[2]
            else:
                line_part = np.where(tax_point == 1, sums[1], sums[2])
            base = gsum(line_part)
            # a group's customs value is at most its shipment's, whose sum valuation guarded
            if tax.uplift is not None:
                base = base + uplift(self.k, gsum(parts["customs_value"]), g_tax_point)
            if with_duty[1] and (with_duty[2] or points <= {0, 1}):
                base = base + levied
            elif with_duty[1] or with_duty[2]:
                base = base + np.where(with_duty[g_tax_point], levied, 0)
            if self.k.base_quantum is not None:
                base = quantize(base, 1, self.k.base_quantum, mode)
            tax_due = self.tax_amount(base, g_rate, table)
            if 0 in points:
                taxed = g_tax_point != NOT_COLLECTED
                base = np.where(taxed, base, 0)
                tax_due = np.where(taxed, tax_due, 0)
        # duty and tax are 0 where nothing is collected: "sale" is what is not at the border
        tax_border = np.where(g_tax_point == 1, tax_due, 0)

        def at_sale(due: Ints, border: Ints) -> Ints:
            rest = due - border  # often all 0 (nothing collected at sale): no sum needed
            return per_shipment(rest) if bool(rest.any()) else np.zeros(self.k.b.size, np.int64)

        return {
            "duty_border": per_shipment(duty_border),
            "duty_sale": at_sale(duty, duty_border),
            "tax_border": per_shipment(tax_border),
            "tax_sale": at_sale(tax_due, tax_border),
            "base": per_shipment(base),
        }

    def tax_amount(self, base: Ints, rate_index: Ints, table: list[Fraction]) -> Ints:
        """The rounded tax of each group: by component, or at the group's rate."""
        mode, mul = self.k.mode, self.group_guard.mul
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
        return quantize(mul(base, nums[rate_index]), 10**places, self.k.quantum, mode)

    def grouping(
        self, duty_point: Any, tax_point: Any, rate_index: Ints, rates: int
    ) -> tuple[Ints | None, Segments, Ints]:
        """The rounding groups: line order (None: as is), group segments, each group's shipment.

        Per shipment, a group is the lines sharing (duty point, tax point, tax rate); with
        per-line rounding every line is its own group.
        """
        seg = self.k.seg
        if seg.single:
            return None, seg, seg.sid
        if self.k.version.rounding.per == "line":
            lines = len(self.k.sid)
            return None, Segments(np.arange(lines, dtype=np.int64), lines), self.k.sid
        # the key within a shipment, in int64: (int8 points) * rates wraps from 16 rates on
        own = (duty_point.astype(np.int64) * 3 + tax_point) * rates + rate_index
        if len(own) and not bool(((own[1:] != own[:-1]) & ~seg.first[1:]).any()):
            # every line keys as the line before in its shipment: one group per shipment
            return None, copy.copy(seg), np.arange(seg.size, dtype=np.int64)
        key = self.k.sid * (9 * rates) + own
        order = None
        descent = key[1:] < key[:-1]
        if bool(descent.any()):  # sort the lines of the few shipments whose keys are unsorted
            touched = np.zeros(seg.size, dtype=bool)
            touched[self.k.sid[1:][descent]] = True
            unsorted = np.flatnonzero(touched[self.k.sid])
            order = np.arange(len(key), dtype=np.int64)
            order[unsorted] = unsorted[np.argsort(key[unsorted], kind="stable")]  # in its block
            key = key[order]
        change = np.ones(len(key), dtype=bool)  # a line that starts a group
        np.not_equal(key[1:], key[:-1], out=change[1:])
        starts = np.flatnonzero(change)
        if len(starts) == seg.size:  # one group per shipment: the shipments' segments
            return None, copy.copy(seg), np.arange(seg.size, dtype=np.int64)
        group_of = np.cumsum(change) - 1
        groups = Segments(group_of, len(starts), starts)
        owner: Ints = (self.k.sid if order is None else self.k.sid[order])[groups.starts]
        return order, groups, owner


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


__all__ = ["TaxStep"]
