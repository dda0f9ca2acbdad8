"""The frame path's assessment: the steps of :mod:`lvs_duty.assess`, on whole columns at once.

One :class:`Kernel` assesses every shipment of a batch that falls in one rule version, in the
scalar engine's order: convert, value and allocate transport, thresholds, duty per line, tax
groups, minimum collectable, fees. All amounts are int64 minor units of the regime currency;
line duties are exact numerators until their group is rounded; rounding is integer division
by rounding mode (:func:`lvs_duty.frame.ints.div_round`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from .. import decide
from ..errors import ArgumentError
from ..money import CURRENCIES, minor_digits
from ..rules import (
    CategoryDuty,
    Condition,
    DutyMethod,
    ExcludedFrom,
    RuleSet,
    RuleVersion,
    Threshold,
)
from .allowance import on_excess
from .charges import surcharge
from .codes import COLLECTION_CODES, EXEMPT, outcome_dtype
from .duty import DutyCharger
from .input import Batch, Coded, hs_lut
from .ints import (
    BIG,
    Bools,
    Guard,
    Ints,
    bound,
    digits,
    div_round,
    gather,
    scaled,
)
from .scope import excluded_under
from .settle import charge_fees, waive_minimums
from .tax import TaxStep


@dataclass
class Outcome:
    """Per-shipment results of one batch (amounts in minor units of the regime currency)."""

    goods_value: Ints
    customs_value: Ints
    tax_base: Ints
    duty_assessed: Ints
    tax_assessed: Ints
    duty: Ints
    tax: Ints
    fees: Ints
    total: Ints
    collected_at_border: Ints
    collected_at_sale: Ints
    duty_collection: Ints
    tax_collection: Ints
    classifications: Ints

    @classmethod
    def zeros(cls, size: int) -> Outcome:
        """An outcome of zeros (nothing collected) for ``size`` shipments."""
        fields = {name: np.zeros(size, dtype=np.int64) for name in cls.__dataclass_fields__}
        fields.update({name: np.full(size, -1, dtype=np.int8) for name in COLLECTION_CODES})
        return cls(**fields)

    @classmethod
    def empty(cls, size: int) -> Outcome:
        """An outcome for ``size`` shipments, its columns not set: for callers that set them all."""
        return cls(**{name: empty_column(name, size) for name in cls.__dataclass_fields__})

    def window(self, start: int, stop: int) -> Outcome:
        """Shipments ``start`` to ``stop``: views of these columns, written through."""
        return Outcome(
            **{name: getattr(self, name)[start:stop] for name in self.__dataclass_fields__}
        )

    def put(self, ships: Ints | slice, other: Outcome) -> None:
        """Write ``other`` (for a subset of shipments) at positions ``ships``."""
        for name in self.__dataclass_fields__:
            getattr(self, name)[ships] = getattr(other, name)


def empty_column(field: str, size: int) -> Any:
    """An unset column of an outcome's ``field`` for ``size`` shipments (int8 codes or int64)."""
    return np.empty(size, dtype=outcome_dtype(field))


DutyCase = tuple[tuple[bool, DutyMethod | None, frozenset[ExcludedFrom]], Bools]
"""Lines whose duty method is picked alike: (under the low-value ceiling, special method,
exclusions), and their mask."""


def _whole(amount: Decimal, minor: int, what: str) -> int:
    """An amount that must be whole minor units (a quantum or fee), as an integer."""
    if digits(amount) > minor:
        raise ArgumentError(
            "assess_frame",
            what,
            f"a whole number of minor units ({minor} "
            "decimal places): the frame path keeps amounts in minor units "
            "(use lvs_duty.assess for this rule set)",
            amount,
        )
    return scaled(amount, minor)


def _present(key: Any, mask: Bools, top: int) -> list[int]:
    """The distinct values (below ``top``) of ``key`` on the lines of ``mask``, ascending.

    A pass per possible value when there are few (an int8 comparison is cheap), else counted.
    """
    top = min(top, int(key.max()) + 1) if len(key) else 0
    if top <= 8:
        return [k for k in range(top) if bool((mask & (key == k)).any())]
    return [int(k) for k in np.flatnonzero(np.bincount(key[mask], minlength=1))]


def _where(border: Ints, sale: Ints) -> Ints:
    """-1 nothing, 0 border, 1 sale, 2 both ("mixed"), as int8 codes."""
    out: Ints = (sale > 0).view(np.int8) * np.int8(2)  # int8 arithmetic: no widening
    out += (border > 0).view(np.int8)
    out -= np.int8(1)
    return out


class Kernel:
    """Assess the shipments of ``batch`` (all in ``version``) under ``rules``.

    Valuation, thresholds and duty are here; tax groups come from
    :class:`~lvs_duty.frame.tax.TaxStep`, minimums and fees from :mod:`lvs_duty.frame.settle`.
    """

    def __init__(
        self, batch: Batch, rules: RuleSet, version: RuleVersion, fx: Mapping[str, Fraction] | None
    ) -> None:
        self.b, self.rules, self.version, self.fx = batch, rules, version, fx
        self.seg = batch.seg
        self.sid = batch.seg.sid
        self.minor = minor_digits(rules.currency)
        self.mode = version.rounding.mode
        self.guard = Guard(self.sid, batch.size)
        rounding = version.rounding
        unit = Decimal(1).scaleb(-self.minor)
        quantum = rounding.quantum or unit
        self.quantum = _whole(quantum, self.minor, "rules: rounding.quantum")
        self.duty_quantum = _whole(
            rounding.duty_quantum or quantum, self.minor, "rules: rounding.duty_quantum"
        )
        self.base_quantum = (
            None
            if rounding.tax_base_quantum is None
            else _whole(rounding.tax_base_quantum, self.minor, "rules: rounding.tax_base_quantum")
        )
        tax = version.tax
        self.components = (
            []
            if tax is None
            else [
                (c, _whole(c.quantum or quantum, self.minor, f"rules: tax component {c.name}"))
                for c in tax.components
            ]
        )
        self.fees = [
            (fee, _whole(fee.amount, self.minor, f"rules: fee {fee.name}")) for fee in version.fees
        ]
        self._matched: dict[tuple[str, object], Bools] = {}
        self._spread: tuple[Ints, Ints] | None = None  # the spread's weights and their sums

    def lines(self, per_shipment: Any) -> Any:
        """A per-shipment array spread over the lines (itself when every parcel is one line)."""
        return per_shipment if self.seg.single else per_shipment[self.sid]

    # -- reporting ----------------------------------------------------------------------------

    def fail_lines(self, lines: Ints, column: str, problem: str) -> None:
        """Lines that cannot be assessed: reported on their rows, their shipments marked."""
        self.b.problems.add(self.b.rows[lines], column, problem, "None")

    def fail_ships(self, ships: Ints, column: str, problem: str, value: str) -> None:
        """Shipments that cannot be assessed: reported on their first rows."""
        self.b.problems.add(self.b.first_rows[ships], column, problem, value)

    def match(self, condition: Condition) -> Bools:
        """Which shipments a rule's ``when`` condition holds for (a fresh array)."""
        ok: Bools | None = None
        for name in decide.tested_fields(condition):
            allowed = getattr(condition, name)
            key = (name, allowed)
            if key not in self._matched:  # thresholds for duty and tax often share a test
                if name == "gift":
                    self._matched[key] = gather(
                        np.array([decide.allows(condition, name, g) for g in (False, True)]),
                        self.b.gift.view(np.int8),
                    )
                elif name == "without_hs":  # asked per HS code; a parcel passes if every line does
                    hs = self.b.hs_code
                    line = [decide.allows(condition, name, (v,)) for v in [*hs.values, None]]
                    self._matched[key] = self.seg.count(~hs_lut(line[:-1], hs, line[-1])) == 0
                else:
                    coded: Coded = getattr(self.b, name)
                    self._matched[key] = hs_lut(
                        [decide.allows(condition, name, v) for v in coded.values], coded, False
                    )
            ok = self._matched[key].copy() if ok is None else ok & self._matched[key]
        return np.ones(self.b.size, dtype=bool) if ok is None else ok

    # -- 2. and 3. currency, valuation, transport ---------------------------------------------

    def convert(self) -> tuple[Ints, Ints, Ints]:
        """Line values, shipping and insurance in the regime currency, rounded per amount."""
        guard, b = self.guard, self.b
        values = guard.cap(b.value)
        shipping = guard.cap(b.shipping, per_line=False)
        insurance = guard.cap(b.insurance, per_line=False)
        converted = False
        for code, name in enumerate(b.currency.values):
            ships = b.currency.codes == code
            if name == self.rules.currency or not isinstance(name, str) or not ships.any():
                continue
            rate = None if self.fx is None else self.fx.get(name)
            if rate is None:
                self.fail_ships(
                    np.flatnonzero(ships),
                    "currency",
                    f"expected {self.rules.currency}, or fx={{{name!r}: <rate>}} "
                    "(lvs_duty never fetches exchange rates)",
                    repr(name),
                )
                continue
            factor = rate * Fraction(10) ** (self.minor - CURRENCIES[name])
            p, q = factor.numerator, factor.denominator
            lines = self.lines(ships)
            if not converted:  # the caller's columns are never written to
                values, shipping, insurance = values.copy(), shipping.copy(), insurance.copy()
                converted = True
            values[lines] = div_round(guard.mul(values[lines], p), q, self.mode)
            for amounts in (shipping, insurance):
                amounts[ships] = div_round(
                    guard.mul(amounts[ships], p, per_line=False), q, self.mode
                )
        return values, shipping, insurance

    def allocate(self, total: Ints, weights: Ints) -> Ints:
        """Spread each shipment's ``total`` over its lines: the cumulative-floor method.

        The weights' sums are kept for the next call with the same weights
        (shipping, then insurance); :meth:`Segments.allocate` spreads.
        """
        seg = self.seg
        if seg.single:
            return total
        if not total.any():  # nothing to spread (no insurance, no excess): no sums needed
            return np.zeros(len(self.sid), dtype=np.int64)
        if self._spread is None or self._spread[0] is not weights:  # shipping, insurance: once
            self._spread = (weights, seg.sum(weights, self.guard))
        _, whole = self._spread
        return seg.allocate(total, whole, weights, self.guard)

    def valuation(self) -> tuple[Ints, ...]:
        """Steps 2 and 3: line values, shipping and insurance shares, CIF and customs values.

        Per line: values, customs value, CIF value, shipping share, insurance share; per
        shipment: goods, customs value, CIF. They depend on the batch and on the currency,
        exchange rates, rounding mode and valuation only: kept on the batch (read-only) for the
        next kernel with the same (``compare``'s options), unless a shipment was reported.
        """
        version, fx = self.version, self.fx
        key = "valuation " + repr(
            (
                self.rules.currency,
                None if fx is None else sorted(fx.items()),
                self.mode,
                Fraction(version.valuation.factor),
                version.valuation.basis,
            )
        )
        kept: tuple[Ints, ...] | None = self.b.extra.get(key)
        if kept is not None:
            return kept
        seg, guard, mark = self.seg, self.guard, self.b.problems.checkpoint()
        values, shipping, insurance = self.convert()
        factor = Fraction(version.valuation.factor)
        valued = (
            values
            if factor == 1
            else div_round(guard.mul(values, factor.numerator), factor.denominator, self.mode)
        )
        ship_share = self.allocate(shipping, valued)
        ins_share = self.allocate(insurance, valued)
        cif_line = valued + ship_share + ins_share
        cv_line = cif_line if version.valuation.basis == "CIF" else valued
        spread = self._spread
        goods = spread[1].copy() if spread and spread[0] is values else seg.sum(values, guard)
        # an FOB customs value is the valued lines', the weights of the transport spread
        customs_value = (
            spread[1].copy() if spread and spread[0] is cv_line else seg.sum(cv_line, guard)
        )
        cif = (seg.sum(valued, guard) if self._spread is None else self._spread[1]) + shipping
        cif += insurance
        out = (values, cv_line, cif_line, ship_share, ins_share, goods, customs_value, cif)
        if not guard.bad.any() and self.b.problems.checkpoint() == mark:
            for array in out:
                array.flags.writeable = False  # shared by kernels: never written to
            self.b.extra[key] = out
        return out

    # -- the whole assessment -----------------------------------------------------------------

    def run(self, into: Outcome | None = None) -> Outcome:
        """Every step, in the scalar engine's order; the figures written into ``into`` if given.

        ``into``: columns of the batch's size, the caller's to write (views of a larger
        table: a window's part of the result), so the figures are not copied again.
        """
        values, cv_line, cif_line, ship_share, ins_share, goods, customs_value, cif = (
            self.valuation()
        )
        self.ship_measure = {"goods": goods, "customs_value": customs_value, "cif": cif}
        self.line_measure = {"goods": values, "customs_value": cv_line, "cif": cif_line}
        excluded = self.exclusions()
        duty_relief = self.relief("duty", excluded["duty_relief"])
        tax_relief = self.relief("tax", excluded["tax_relief"])
        duty_relief, tax_relief, cv_duty, cv_tax, self.best_of = on_excess(
            self, excluded, duty_relief, tax_relief, cv_line
        )  # 4b. an allowance, in place of the thresholds: values charged on the excess
        charger = self.charge_duty(duty_relief, excluded, cv_duty)
        surcharge(self, charger)  # 5b. charges levied on the duty
        parts = {
            "goods": values,
            "customs_value": cv_line,
            "shipping": ship_share,
            "insurance": ins_share,
        }
        parts["customs_value"] = cv_tax
        at = TaxStep(self).tax_groups(charger, duty_relief, tax_relief, parts)
        return self.figures(at, goods, customs_value, charger.classified, into)

    def figures(
        self, at: dict[str, Ints], goods: Ints, cv: Ints, classified: Bools, into: Outcome | None
    ) -> Outcome:
        """Step 7: each shipment's figures from its duty and tax at the border and at sale.

        Written into ``into``'s columns when given; otherwise into new ones (the caller's own,
        never the kept arrays of the valuation).
        """
        out = Outcome.empty(self.b.size) if into is None else into

        def put(name: str, values: Any) -> None:
            if into is None and values.dtype == getattr(out, name).dtype:
                setattr(out, name, values)  # the step's own array, taken as it is (no copy)
            else:
                getattr(out, name)[:] = values

        np.copyto(out.goods_value, goods)
        np.copyto(out.customs_value, cv)
        put("tax_base", at["base"])
        np.add(at["duty_border"], at["duty_sale"], out=out.duty_assessed)
        np.add(at["tax_border"], at["tax_sale"], out=out.tax_assessed)
        waive_minimums(self, at)
        np.add(at["duty_border"], at["duty_sale"], out=out.duty)
        np.add(at["tax_border"], at["tax_sale"], out=out.tax)
        np.add(at["duty_border"], at["tax_border"], out=out.collected_at_border)
        put("fees", charge_fees(self, out.collected_at_border))
        np.add(out.duty, out.tax, out=out.total)
        out.total += out.fees
        np.add(at["duty_sale"], at["tax_sale"], out=out.collected_at_sale)
        put("duty_collection", _where(at["duty_border"], at["duty_sale"]))
        put("tax_collection", _where(at["tax_border"], at["tax_sale"]))
        put("classifications", self.seg.count(classified))
        return out

    # -- 4. exclusions and thresholds ---------------------------------------------------------

    def exclusions(self) -> dict[str, Bools | None]:
        """Per line, whether its HS code keeps it out of duty relief, tax relief, low-value duty."""
        hs = self.b.hs_code
        kinds = decide.EXCLUSION_KINDS
        bits = [
            sum(1 << k for k, kind in enumerate(kinds) if kind in out)
            for out in (decide.exclusions(self.version, h) for h in hs.values)
        ]
        if not any(bits):
            return dict.fromkeys(kinds)  # None: no line is excluded from anything
        flags = gather(np.array([*bits, 0], dtype=np.int8), hs.codes)
        return {kind: (flags & (1 << k)) != 0 for k, kind in enumerate(kinds)}

    def relief(self, kind: str, excluded: Bools | None) -> Any:
        """Per line: 0 no relief, 1 exempt, 2 collected at sale, by the threshold tested."""
        candidates = decide.candidate_thresholds(self.version, kind)
        if not candidates:
            return np.zeros(len(self.sid), dtype=np.int8)
        free = np.ones(self.b.size, dtype=bool)  # shipments no earlier threshold's condition took
        # the relief of each (admitted, excluded) pair; a line not admitted has none (code 0), so
        # adding the codes of the lines of each threshold is exact. A consignment threshold admits
        # whole shipments: its codes are added per shipment (one array per exclusion mask, as
        # excluded or not) and spread over the lines once at the end.
        per_ship: dict[int, tuple[Bools | None, Any, Any]] = {}
        per_line: Any = None
        for t in candidates:  # the first whose condition holds
            ships = self.match(t.when)
            ships &= free
            ships &= self.open_to(t)
            if not bool(ships.any()):
                continue
            free ^= ships  # within free: taken by this threshold
            limit = Fraction(t.amount) * 10**self.minor
            codes = np.array(
                [
                    decide.RELIEFS.index(decide.relief(t, a, e))
                    for a in (False, True)
                    for e in (False, True)
                ],
                dtype=np.int8,
            )
            scoped = excluded_under(self, f"{kind}_relief", t.name, excluded)
            if t.scope == "consignment":
                ships &= self.ship_measure[t.measure] <= bound(limit, t.inclusive)
                zeros = np.zeros(self.b.size, dtype=np.int8)
                kept = None if scoped is None else zeros.copy()
                _, clear, kept_out = per_ship.setdefault(id(scoped), (scoped, zeros, kept))
                # codes added where admitted as a product: numpy's masked (where=) loops are
                # tens of times slower than a plain one
                taken = ships.view(np.int8)
                clear += taken * codes[2]  # admitted, not excluded
                if kept_out is not None:
                    kept_out += taken * codes[3]  # admitted, excluded
                continue
            per_qty = self.quantity_bound(limit, t.inclusive)
            admitted = self.lines(ships) & (self.line_measure[t.measure] <= per_qty)
            key = admitted.view(np.int8) * np.int8(2)
            if scoped is not None:
                key += scoped.view(np.int8)
            per_line = gather(codes, key) if per_line is None else per_line + gather(codes, key)
        for scoped, clear, kept_out in per_ship.values():
            spread = self.lines(clear)
            if scoped is not None:
                spread = np.where(scoped, self.lines(kept_out) if kept_out.any() else 0, spread)
            per_line = spread if per_line is None else per_line + spread
        return np.zeros(len(self.sid), dtype=np.int8) if per_line is None else per_line

    def open_to(self, threshold: Threshold) -> Bools:
        """Which shipments' sellers a threshold is open to (relief at sale: registered ones)."""
        coded = self.b.seller_registered
        out: Bools = hs_lut(
            [decide.threshold_open(threshold, decide.seller_registered(v)) for v in coded.values],
            coded,
            True,
        )
        return out

    def quantity_bound(self, limit: Fraction, inclusive: bool) -> Ints | int:
        """Per line, the largest whole amount within ``limit`` x quantity."""
        qty = self.b.quantity
        if len(qty) == 0 or int(qty.max()) == 1:
            return bound(limit, inclusive)
        p, q = limit.numerator, limit.denominator
        safe = qty <= BIG // max(p, 1)
        product = np.where(safe, qty, 0) * p
        whole = product // q
        if not inclusive:
            whole = whole - (product % q == 0)
        out: Ints = np.where(safe, whole, BIG)
        return out

    # -- 5. duty ------------------------------------------------------------------------------

    def charge_duty(
        self, relief: Ints, excluded: dict[str, Bools | None], customs_value: Ints
    ) -> DutyCharger:
        """Each line's exact duty, by the scalar engine's precedence of methods.

        The low-value method under its ceiling, else the first special whose condition and
        ceiling hold, else the general method; lines a threshold exempts are not charged.
        """
        b, version = self.b, self.version
        charger = DutyCharger(
            seg=self.seg,
            guard=self.guard,
            fail=self.fail_lines,
            rules=self.rules,
            version=version,
            minor=self.minor,
            customs_value=customs_value,
            quantity=b.quantity,
            hs_code=b.hs_code,
            category=b.category,
            rate=b.duty_rate,
            weight=b.weight_kg,
            volume=b.volume_l,
            abv=b.abv,
            scheduled=b.schedule_line,
        )
        charged = relief != EXEMPT
        plan: dict[int, tuple[DutyMethod, Bools]] = {}
        fallbacks: dict[int, DutyMethod] = {}

        def add(method: DutyMethod, mask: Bools) -> None:
            # the scalar engine charges one group per method object: merge identical ones
            _, before = plan.get(id(method), (method, np.zeros(len(mask), dtype=bool)))
            plan[id(method)] = (method, before | mask)

        def assign(method: DutyMethod, mask: Bools) -> None:
            # lines no category of a table matches join the fallback method's group before
            # anything is charged. A loop, not recursion: a self-referencing closure would be
            # a reference cycle that keeps every mask alive until the garbage collector runs.
            while isinstance(method, CategoryDuty):
                unmatched = mask & (charger.classify(method) == decide.NO_CATEGORY)
                if not bool(unmatched.any()):
                    break
                add(method, mask & ~unmatched)
                table, mask = method, unmatched
                method = fallbacks.setdefault(id(table), decide.fallback(self.version, table))
            add(method, mask)

        for (in_low, special, excluded_from), mask in self.duty_cases(charged, excluded):
            method = decide.duty_method(self.version, in_low, special, excluded_from)
            assign(method, mask)
        for method, mask in plan.values():
            charger.charge(method, mask)
        return charger

    def duty_cases(self, charged: Bools, excluded: dict[str, Bools | None]) -> list[DutyCase]:
        """The charged lines split by what picks their duty method.

        Under the low-value ceiling or not, the special method of their shipment, what they are
        excluded from: :func:`lvs_duty.decide.duty_method` is asked once per case present.
        """
        duty = self.version.duty
        if duty.low_value is None and not duty.special:
            return [((False, None, frozenset()), charged)]
        specials = len(duty.special) + 1
        small = 8 * specials <= 127  # every key fits an int8 (the usual case): cheaper passes
        kind = np.int8 if small else np.int64
        key: Any = np.zeros(len(self.sid), dtype=kind)
        if duty.low_value is not None:
            low = duty.low_value
            in_low = self.ship_measure[low.measure] <= bound(
                Fraction(low.ceiling) * 10**self.minor, low.inclusive
            )
            key += self.lines(in_low)
        special = np.full(self.b.size, -1, dtype=kind)
        for k, candidate in enumerate(duty.special):
            hit = (special == -1) & self.match(candidate.when)
            if candidate.ceiling is not None:
                hit &= self.ship_measure[candidate.measure] <= bound(
                    Fraction(candidate.ceiling) * 10**self.minor, candidate.inclusive
                )
            special[hit] = k
        if duty.special:
            key += 2 * (self.lines(special) + 1)
        # an exclusion from a method the version does not have cannot change the method
        kinds: tuple[ExcludedFrom, ...] = ("low_value_duty", "special_duty")
        relevant = (duty.low_value is not None, bool(duty.special))
        for bit, kind_of in enumerate(kinds):
            flags = excluded[kind_of]
            if flags is not None and relevant[bit]:
                key += flags.view(np.int8) * kind(2 * specials << bit)
        present = _present(key, charged, 8 * specials)
        cases: list[DutyCase] = []
        for k in present:
            s = (k // 2) % specials - 1
            out = frozenset(
                kind_of for bit, kind_of in enumerate(kinds) if (k // (2 * specials)) >> bit & 1
            )
            case = (bool(k % 2), None if s < 0 else duty.special[s].method, out)
            mask: Bools = charged if len(present) == 1 else charged & (key == k)
            cases.append((case, mask))
        return cases

    # -- 6. tax rates, groups, rounding -------------------------------------------------------


__all__ = ["Kernel", "Outcome"]
