"""Tax steps of the frame path: rates, rounding groups, components, minimums and fees.

A mixin of :class:`lvs_duty.frame.kernel.Kernel`, kept apart to keep each module short: it
follows steps 6 and 7 of :mod:`lvs_duty.assess` (tax rate per line, one rounding per group
of duty point, tax point and rate or per line, components and ratios, minimum collectable
on what is collected at the border, fees).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from ..assess import longest_prefix
from ..rules import Condition, Fee, MinCollectable, RuleSet, RuleVersion, TaxComponent
from .input import hs_lut
from .ints import Bools, Guard, Ints, Segments, bound, digits, quantize, scaled

if TYPE_CHECKING:
    from .duty import DutyCharger
    from .input import Batch

_NONE, _EXEMPT, _SALE = 0, 1, 2


class TaxSteps:
    """Steps 6 and 7 for a kernel: the attributes below are the kernel's."""

    b: Batch
    rules: RuleSet
    version: RuleVersion
    seg: Segments
    sid: Ints
    guard: Guard
    minor: int
    mode: str
    quantum: int
    duty_quantum: int
    base_quantum: int | None
    components: list[tuple[TaxComponent, int]]
    fees: list[tuple[Fee, int]]
    group_guard: Guard
    lines: Callable[[Any], Any]
    fail_lines: Callable[[Ints, str, str], None]
    match: Callable[[Condition], Bools]

    def tax_rates(self, relief: Ints) -> tuple[Ints, list[Fraction]]:
        """Per line, an index into the table of tax rates (0 where no tax is due)."""
        tax = self.version.tax
        n = len(self.sid)
        if tax is None:
            return np.zeros(n, dtype=np.int64), [Fraction(0)]
        table: list[Fraction] = [Fraction(0)]

        def index(rate: Decimal) -> int:
            value = Fraction(rate)
            if value not in table:
                table.append(value)
            return table.index(value)

        def best(hs: object) -> int:
            top, top_len = -1, 0
            for category in tax.categories:
                length = longest_prefix(_code(hs), category.hs_prefixes)
                if length > top_len:
                    top, top_len = index(category.rate), length
            return top

        if tax.rate_key is None:
            per_ship: Any = np.full(self.b.size, index(tax.rate or Decimal(0)), dtype=np.int8)
        else:
            keyed = self.b.region if tax.rate_key == "region" else self.b.destination
            rates = {r.key: r.rate for r in tax.rates}
            default = -2 if tax.rate is None else index(tax.rate)
            per_ship = hs_lut(
                [index(rates[k]) if k in rates else default for k in keyed.values], keyed, default
            ).astype(np.int8)
        chosen = self.lines(per_ship)
        if tax.categories:
            by_hs = hs_lut([best(h) for h in self.b.hs_code.values], self.b.hs_code, -1)
            chosen = np.where(by_hs >= 0, by_hs, chosen)
        active = relief != _EXEMPT
        if tax.rate_key is not None and tax.rate is None:
            missing = np.flatnonzero(active & (chosen == -2))
            if len(missing):
                keys = ", ".join(r.key for r in tax.rates)
                self.fail_lines(
                    missing,
                    tax.rate_key or "region",
                    f"expected one of {keys} ({self.rules.code} {tax.name} has no default rate)",
                )
            chosen = np.maximum(chosen, 0)
        if bool(active.all()):
            return chosen, table
        return np.where(active, chosen, 0), table

    def tax_groups(
        self, charger: DutyCharger, duty_relief: Ints, tax_relief: Ints, parts: dict[str, Ints]
    ) -> dict[str, Ints]:
        """Round duty and tax once per group (duty point, tax point, rate) or per line."""
        guard, tax, mode = self.guard, self.version.tax, self.mode
        rate_index, table = self.tax_rates(tax_relief)
        # a line whose duty is zero (MFN free) still groups with its dutiable neighbours
        point = np.array([1, _NONE, 2], dtype=np.int8)  # relief none/exempt/sale -> point
        duty_point = point[duty_relief]
        tax_point = np.zeros(len(self.sid), dtype=np.int8) if tax is None else point[tax_relief]
        order, gseg, owner = self.grouping(duty_point, tax_point, rate_index, len(table))
        self.group_guard = Guard(owner, self.b.size)
        self.group_guard.bad = guard.bad  # one flag per shipment, shared

        def gsum(x: Ints) -> Ints:
            return gseg.sum(x if order is None else x[order], guard, owner)

        def first(x: Any) -> Any:
            if gseg.single and order is None:  # one group per line, in order
                return x
            return (x if order is None else x[order])[gseg.starts]

        g_duty_point, g_tax_point, g_rate = first(duty_point), first(tax_point), first(rate_index)
        duty = quantize(gsum(charger.duty), 10**charger.places, self.duty_quantum, mode)
        # a group whose exact duty is 0 rounds to 0: its duty point does not matter
        whole = self.seg if gseg is self.seg else Segments(owner, self.b.size)

        def per_shipment(x: Ints) -> Ints:
            return whole.sum(x, guard)

        duty_border = np.where(g_duty_point == 1, duty, 0)
        # a border duty its own minimum waives is not levied: it stays out of the tax base
        levied = duty
        minimum = self.version.duty.min_collectable
        if minimum is not None and tax is not None:
            waived = self.waived(minimum, per_shipment(duty_border))
            levied = np.where(waived[owner] & (g_duty_point == 1), 0, duty)
        if tax is None:
            base = tax_due = np.zeros(gseg.size, dtype=np.int64)
        else:
            with_duty = np.zeros(3, dtype=bool)
            sums = {}
            for where, names in ((1, tax.base), (2, tax.sale_base)):
                with_duty[where] = "duty" in names
                kept = [parts[name] for name in names if name != "duty"]
                sums[where] = (
                    sum(kept[1:], kept[0]) if kept else np.zeros(len(self.sid), dtype=np.int64)
                )
            points = _values(tax_point)
            if tax.base == tax.sale_base or points <= {0, 1}:
                line_part = sums[1]
            elif points <= {0, 2}:
                line_part = sums[2]
            else:
                line_part = np.where(tax_point == 1, sums[1], sums[2])
            base = gsum(line_part)
            if with_duty[1] and (with_duty[2] or points <= {0, 1}):
                base = base + levied
            elif with_duty[1] or with_duty[2]:
                base = base + np.where(with_duty[g_tax_point], levied, 0)
            if self.base_quantum is not None:
                base = quantize(base, 1, self.base_quantum, mode)
            tax_due = self.tax_amount(base, g_rate, table)
            if 0 in points:
                taxed = g_tax_point != _NONE
                base = np.where(taxed, base, 0)
                tax_due = np.where(taxed, tax_due, 0)
        # duty and tax are 0 where nothing is collected: "sale" is what is not at the border
        tax_border = np.where(g_tax_point == 1, tax_due, 0)
        return {
            "duty_border": per_shipment(duty_border),
            "duty_sale": per_shipment(duty - duty_border),
            "tax_border": per_shipment(tax_border),
            "tax_sale": per_shipment(tax_due - tax_border),
            "base": per_shipment(base),
        }

    def tax_amount(self, base: Ints, rate_index: Ints, table: list[Fraction]) -> Ints:
        """The rounded tax of each group: by component, or at the group's rate."""
        mode, mul = self.mode, self.group_guard.mul
        if self.components:
            amounts: dict[str, Ints] = {}
            for component, quantum in self.components:
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
        return quantize(mul(base, nums[rate_index]), 10**places, self.quantum, mode)

    def grouping(
        self, duty_point: Any, tax_point: Any, rate_index: Ints, rates: int
    ) -> tuple[Ints | None, Segments, Ints]:
        """The rounding groups: line order (None: as is), group segments, each group's shipment.

        Per shipment, a group is the lines sharing (duty point, tax point, tax rate); with
        per-line rounding every line is its own group.
        """
        seg = self.seg
        if seg.single:
            return None, seg, seg.sid
        if self.version.rounding.per == "line":
            lines = len(self.sid)
            return None, Segments(np.arange(lines, dtype=np.int64), lines), self.sid
        key = self.sid * (9 * rates) + (duty_point * 3 + tax_point) * rates + rate_index
        order = None
        if len(key) > 1 and not bool(np.all(key[1:] >= key[:-1])):
            order = np.argsort(key, kind="stable")
            key = key[order]
        group_of = np.zeros(len(key), dtype=np.int64)
        if len(key) > 1:
            np.cumsum(key[1:] != key[:-1], out=group_of[1:])
        count = int(group_of[-1]) + 1 if len(key) else 0
        groups = Segments(group_of, count)
        owner: Ints = (self.sid if order is None else self.sid[order])[groups.starts]
        return order, groups, owner

    # -- 7. minimum collectable, fees ---------------------------------------------------------

    def waive_minimums(self, at: dict[str, Ints]) -> None:
        """Waive border duty, border tax, or both together, under their minimum collectable."""
        tax = self.version.tax
        checks = (
            (self.version.duty.min_collectable, ("duty_border",)),
            (tax.min_collectable if tax is not None else None, ("tax_border",)),
            (self.version.min_collectable, ("duty_border", "tax_border")),
        )
        for minimum, names in checks:
            if minimum is None:
                continue
            due = at[names[0]] if len(names) == 1 else at[names[0]] + at[names[1]]
            waived = self.waived(minimum, due)
            for name in names:
                at[name] = np.where(waived, 0, at[name])

    def waived(self, minimum: MinCollectable, due: Ints) -> Bools:
        """Per shipment, whether a non-zero amount due is within ``minimum`` (minor units)."""
        limit = bound(Fraction(minimum.amount) * 10**self.minor, minimum.inclusive)
        out: Bools = (due != 0) & (due <= limit)
        return out

    def charge_fees(self, border: Ints) -> Ints:
        """Fees per shipment, line or item, where their condition holds."""
        fees = np.zeros(self.b.size, dtype=np.int64)
        for fee, amount in self.fees:
            applies = self.match(fee.when)
            if fee.border_only:
                applies &= border != 0
            count = {
                "shipment": np.ones(self.b.size, dtype=np.int64),
                "line": self.seg.counts,
                "item": self.seg.sum(self.b.quantity, self.guard),
            }[fee.per]
            fees += np.where(applies, self.guard.mul(count, amount, per_line=False), 0)
        return fees


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


def _code(hs: object) -> str | None:
    return hs if isinstance(hs, str) else None


__all__ = ["TaxSteps"]
