"""The scalar path: assess one shipment under one rule set, exactly, in Decimal.

The steps, in the order a customs officer takes them:

1. pick the rule version in force on the shipment date;
2. convert to the regime currency with the caller's rates (never fetched), rounding each amount;
3. value the goods (FOB or CIF, after any valuation factor) and spread transport and insurance
   over the lines in proportion to their value, in whole minor units;
4. test the first matching duty and tax thresholds (consignment or per item) and apply their
   relief, except to goods excluded from it;
5. charge duty per line: low-value method under the ceiling, general method above it;
6. build each tax base from its named parts, apply the rate (regional, by HS category or by
   component) and round once per tax group (per shipment) or per line;
7. waive amounts under the minimum collectable, add fees, and total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Literal, get_args

from . import decide
from .decide import first_threshold, matches
from .errors import ArgumentError, CurrencyError, RateUnavailableError, UnknownCategoryError
from .explain import Assessment, Collection, LineAssessment, Step
from .money import CONTEXT, RoundingMode, fx_rate, minor_unit, quantize, quantize_fraction
from .rules import (
    Allowance,
    Category,
    CategoryDuty,
    DutyMethod,
    ExcludedFrom,
    Fee,
    FlatDuty,
    FreeDuty,
    Measure,
    MfnDuty,
    MinCollectable,
    RateBandDuty,
    RegionalRate,
    RuleSet,
    RuleVersion,
    Source,
    SpecialDuty,
    TaxCategory,
    TaxRule,
    Threshold,
    check_coverage,
)
from .schedules.duty import line_duty
from .schedules.model import Schedule, ScheduleLine
from .schedules.use import check_schedule, no_rate, rate_of, uncovered
from .shipment import Item, Shipment

ZERO = Decimal(0)
MEASURES: tuple[Measure, ...] = get_args(Measure)
Point = Literal["border", "sale"]


def classify(item: Item, method: CategoryDuty, location: str) -> tuple[Category | None, str]:
    """The category of a line, and how it was chosen.

    In the order of :data:`lvs_duty.decide.CLASSIFICATION_ORDER`: the item's explicit
    category; the longest matching HS prefix; the MFN band (the nearest category rate among
    bands that admit the line's MFN rate); the default category.
    """
    named = decide.category_named(method, item.category)
    if named == decide.UNKNOWN:
        raise UnknownCategoryError(
            location, item.category or "", [c.name for c in method.categories]
        )
    by_hs, length = decide.category_by_hs(method, item.hs_code)
    by = {
        "named": named,
        "hs": by_hs,
        "band": decide.category_by_band(method, item.duty_rate),
        "default": decide.category_default(method),
    }
    how = decide.classified_by(by)
    if how is None:
        return None, "no category matches"
    why = {
        "named": "named on the item",
        "hs": f"HS {item.hs_code} matches prefix of length {length}",
        "band": f"MFN rate {_pct(item.duty_rate or ZERO)} falls in its band",
        "default": "default category",
    }[how]
    return method.categories[by[how]], why


def _shown(amount: Decimal, unit: Decimal) -> Decimal:
    """An amount written with the currency's minor digits when that is exact (0 -> 0.00)."""
    shown = amount.quantize(unit, context=CONTEXT)
    return shown if shown == amount else amount


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _money(amount: Decimal, currency: str) -> str:
    return f"{currency} {amount}"


@dataclass
class _Line:
    """Working state of one line while it is assessed."""

    index: int
    item: Item
    value: Decimal
    valued: Decimal
    shipping: Decimal
    insurance: Decimal
    customs_value: Decimal
    cif: Decimal
    excluded: frozenset[ExcludedFrom]
    duty_relief: str | None = None
    tax_relief: str | None = None
    duty: Decimal = ZERO
    duty_basis: str = ""
    category: str | None = None
    classified: bool = False
    tax_rate: Decimal = ZERO
    tax_record: TaxCategory | RegionalRate | None = None
    match: tuple[Category, str] | None = None  # the category and why, once classified
    scheduled: ScheduleLine | None = None  # a schedule line with a specific part, if it applies
    unscheduled: str = ""  # why no schedule line stands in for a missing rate

    @property
    def measures(self) -> dict[str, Decimal]:
        """The line's values a per-item threshold or a fee band is tested on."""
        return {"goods": self.value, "customs_value": self.customs_value, "cif": self.cif}


def allocate(total: Decimal, weights: list[Decimal], unit: Decimal) -> list[Decimal]:
    """Spread ``total`` over lines in proportion to ``weights``, in whole minor units.

    Line ``i`` gets ``floor(T * C_i / W) - floor(T * C_{i-1} / W)`` units, where ``C_i`` is the
    cumulative weight: the shares add up to ``total`` exactly, with no remainder to place. With
    zero total weight the first line takes everything.

    >>> allocate(Decimal("10.00"), [Decimal("1"), Decimal("1"), Decimal("1")], Decimal("0.01"))
    [Decimal('3.33'), Decimal('3.33'), Decimal('3.34')]
    """
    units = int(CONTEXT.divide(total, unit))
    weight_units = [int(CONTEXT.divide(w, unit)) for w in weights]
    whole = sum(weight_units)
    if whole == 0:
        return [total] + [ZERO * unit] * (len(weights) - 1)
    shares, cumulative, previous = [], 0, 0
    for w in weight_units:
        cumulative += w
        upto = units * cumulative // whole
        shares.append(CONTEXT.multiply(Decimal(upto - previous), unit))
        previous = upto
    return shares


def _convert(
    shipment: Shipment,
    rules: RuleSet,
    version: RuleVersion,
    fx: Mapping[str, Decimal] | None,
    steps: list[Step],
) -> tuple[list[Decimal], Decimal, Decimal]:
    values = [item.value for item in shipment.items]
    if shipment.currency == rules.currency:
        return values, shipment.shipping, shipment.insurance
    label = shipment.id or ""
    if fx is None or shipment.currency not in fx:
        raise CurrencyError(label, shipment.currency, rules.currency)
    rate = fx_rate("assess", shipment.currency, fx[shipment.currency])
    unit, mode = minor_unit(rules.currency), version.rounding.mode

    def convert(amount: Decimal) -> Decimal:
        return quantize(amount * rate, unit, mode)

    steps.append(
        Step(
            "currency",
            f"Converted from {shipment.currency} at the caller's rate "
            f"{rate} {rules.currency} per {shipment.currency}, each amount rounded "
            f"{mode} to {unit}.",
        )
    )
    return [convert(v) for v in values], convert(shipment.shipping), convert(shipment.insurance)


def _measure(kind: str, goods: Decimal, customs_value: Decimal, cif: Decimal) -> Decimal:
    return {"goods": goods, "customs_value": customs_value, "cif": cif}[kind]


def assess(
    shipment: Shipment,
    rules: RuleSet,
    *,
    fx: Mapping[str, Decimal] | None = None,
    on: dt.date | None = None,
    schedule: Schedule | None = None,
) -> Assessment:
    """Assess the duty, tax and fees one shipment owes under a rule set, with its explanation.

    ``fx`` maps a shipment currency to the number of regime-currency units per unit of it
    (needed only when the two differ); ``on`` overrides the shipment date for choosing the
    version in force. ``schedule`` (in the regime's currency) gives a line without its own
    ``duty_rate`` the duty of the schedule line covering its HS code (see
    :mod:`lvs_duty.schedules.use` for the rules of use).

    >>> from lvs_duty import Item, Shipment, load_rules
    >>> parcel = Shipment("CA", "2026-03-01", "CAD", [Item("6109", "150.01", duty_rate="0.18")],
    ...                   ship_from="US", region="ON")
    >>> a = assess(parcel, load_rules("CA"))
    >>> a.duty, a.tax, a.total
    (Decimal('27.00'), Decimal('23.01'), Decimal('50.01'))
    """
    if not isinstance(shipment, Shipment):
        raise ArgumentError("assess", "shipment", "a lvs_duty.Shipment", type(shipment).__name__)
    if not isinstance(rules, RuleSet):
        raise ArgumentError(
            "assess", "rules", "a lvs_duty.RuleSet (see load_rules)", type(rules).__name__
        )
    if on is not None and (not isinstance(on, dt.date) or isinstance(on, dt.datetime)):
        raise ArgumentError("assess", "on", "a datetime.date or None", on)
    if fx is not None and not isinstance(fx, Mapping):
        raise ArgumentError("assess", "fx", "a mapping of currency code to rate", type(fx).__name__)
    checked = check_schedule("assess", schedule, rules)
    with localcontext(CONTEXT):
        return _better_of(shipment, rules, fx, on or shipment.date, checked)


@dataclass
class _Case:
    """One shipment being assessed: its rule version, lines, totals and explanation so far."""

    shipment: Shipment
    rules: RuleSet
    version: RuleVersion
    steps: list[Step]
    lines: list[_Line]
    goods: Decimal = ZERO
    customs_value: Decimal = ZERO
    cif: Decimal = ZERO

    @property
    def cur(self) -> str:
        return self.rules.currency

    @property
    def unit(self) -> Decimal:
        return minor_unit(self.rules.currency)

    def src(self, refs: tuple[str, ...]) -> tuple[Source, ...]:
        return self.rules.source_of(refs)

    def measure(self, kind: str) -> Decimal:
        """A consignment amount a threshold or ceiling is tested on."""
        return _measure(kind, self.goods, self.customs_value, self.cif)


@dataclass
class _Taxed:
    """What step 6 leaves for step 7: amounts by point of collection and the per-line figures."""

    duty_at: dict[Point, Decimal]
    tax_at: dict[Point, Decimal]
    tax_base: Decimal
    duty_assessed: Decimal
    tax_assessed: Decimal
    line_results: dict[int, tuple[Decimal, Decimal, Decimal]]


def _assess(
    shipment: Shipment,
    rules: RuleSet,
    fx: Mapping[str, Decimal] | None,
    on: dt.date,
    schedule: Schedule | None = None,
    allowances: bool = True,
) -> Assessment:
    """The seven steps of the module docstring, each a function below.

    ``allowances=False`` assesses by the thresholds alone (the other side of a ``best_of``
    allowance); coverage is still checked on the whole version, allowances included.
    """
    version = rules.at(on)  # 1.
    check_coverage(rules, version, shipment)
    if not allowances:
        version = version.model_copy(update={"allowances": ()})
    steps: list[Step] = [
        Step(
            "rules",
            f"{rules.name} ({rules.code}), version in force on {on}: "
            f"{version.period}" + (f", {version.label}" if version.label else ""),
        )
    ]
    version = _for_seller(version, shipment, rules, steps)
    values, shipping, insurance = _convert(shipment, rules, version, fx, steps)  # 2.
    case = _Case(shipment, rules, version, steps, [])
    _value(case, values, shipping, insurance)  # 3.
    _apply_thresholds(case)  # 4.
    if schedule is not None:
        _from_schedule(case, schedule, on)
    charged_on = _apply_allowance(case)  # 4b. an allowance, in place of the thresholds
    _charge_on(case, charged_on["duty"])
    _charge_duties(case)  # 5.
    _surcharge(case)  # 5b. charges levied on the duty
    _charge_on(case, charged_on["tax"])
    taxed = _charge_tax(case)  # 6.
    _charge_on(case, charged_on["full"])
    return _settle(case, taxed)  # 7.


def _for_seller(
    version: RuleVersion, shipment: Shipment, rules: RuleSet, steps: list[Step]
) -> RuleVersion:
    """The version for the shipment's seller, with a step when a registered seller changes it."""
    chosen = decide.for_seller(version, shipment.seller_registered)
    if chosen is not version and chosen.tax is not None:
        tax = chosen.tax
        steps.append(
            Step(
                "seller",
                f"Seller registered: {tax.name} was charged on the goods at sale, so the "
                f"border base is {' + '.join(tax.base)}.",
                rules.source_of(tax.source),
                tax.unconfirmed,
            )
        )
    elif shipment.seller_registered is None and version.tax is not None:
        _assumed_full_base(version.tax, steps)
    return chosen


def _assumed_full_base(tax: TaxRule, steps: list[Step]) -> None:
    """Name the assumption when a tax has a base for registered sellers and none is given."""
    if tax.registered_base is not None:
        steps.append(
            Step(
                "seller",
                f"Assumption: seller registration not given, so {tax.name} at the border is on "
                f"{' + '.join(tax.base)} (a registered seller that charged it at sale: "
                f"seller_registered=True, base {' + '.join(tax.registered_base)}).",
            )
        )


def _value(case: _Case, values: list[Decimal], shipping: Decimal, insurance: Decimal) -> None:
    """Step 3: customs value per line (FOB or CIF, after the factor), transport spread by value."""
    version, unit, mode = case.version, case.unit, case.version.rounding.mode
    valuation = version.valuation
    factor = valuation.factor
    valued = values if factor == 1 else [quantize(v * factor, unit, mode) for v in values]
    ship_shares = allocate(shipping, valued, unit)
    ins_shares = allocate(insurance, valued, unit)
    cif_basis = valuation.basis == "CIF"
    for i, item in enumerate(case.shipment.items):
        cif_i = valued[i] + ship_shares[i] + ins_shares[i]
        excluded = decide.exclusions(version, item.hs_code)
        case.lines.append(
            _Line(
                i,
                item,
                values[i],
                valued[i],
                ship_shares[i],
                ins_shares[i],
                cif_i if cif_basis else valued[i],
                cif_i,
                excluded,
            )
        )
    case.goods = sum(values, ZERO)
    case.customs_value = sum((line.customs_value for line in case.lines), ZERO)
    case.cif = sum(valued, ZERO) + shipping + insurance
    factor_text = f" x factor {factor}" if factor != 1 else ""
    transport = (
        f" + shipping {_shown(shipping, unit)} + insurance {_shown(insurance, unit)}"
        if cif_basis
        else ""
    )
    case.steps.append(
        Step(
            "valuation",
            f"Customs value ({valuation.basis}): goods "
            f"{_shown(case.goods, unit)}"
            f"{factor_text}{transport} = {_money(_shown(case.customs_value, unit), case.cur)}.",
            case.src(valuation.source),
            valuation.unconfirmed,
        )
    )
    _explain_exclusions(case)


def _explain_exclusions(case: _Case) -> None:
    for exclusion in case.version.exclusions:
        hit = [
            line.index
            for line in case.lines
            if decide.longest_prefix(line.item.hs_code, exclusion.hs_prefixes)
        ]
        if hit:
            which = ", ".join(str(h + 1) for h in hit)
            case.steps.append(
                Step(
                    "exclusion",
                    f"Line{'s' if len(hit) > 1 else ''} {which}: "
                    f"{exclusion.name}, excluded from "
                    f"{', '.join(exclusion.excluded_from)}.",
                    case.src(exclusion.source),
                    exclusion.unconfirmed,
                )
            )


def _apply_thresholds(case: _Case) -> None:
    """Step 4: test the first matching duty and tax thresholds and set each line's relief."""
    cur, lines = case.cur, case.lines
    for kind in ("duty", "tax"):
        if kind == "tax" and case.version.tax is None:
            case.steps.append(Step("threshold", "No import tax in this regime."))
            continue
        threshold = decide.first_threshold(case.version, case.shipment, kind)
        _explain_seller(case, kind, threshold)
        _explain_goods(case, kind, threshold)
        relief_key = f"{kind}_relief"
        if threshold is None:
            case.steps.append(
                Step(
                    "threshold", f"No {kind} threshold applies: {kind} is due from the first cent."
                )
            )
            continue
        admitted = decide.admitted(
            threshold,
            {k: case.measure(k) for k in MEASURES},
            [ln.measures for ln in lines],
            [ln.item.quantity for ln in lines],
        )
        if threshold.scope == "consignment":
            measured = case.measure(threshold.measure)
            test = (
                f"{threshold.measure.replace('_', ' ')} {_money(measured, cur)} "
                f"{threshold.comparison} {_money(threshold.amount, cur)}? "
                f"{'yes' if admitted[0] else 'no'}"
            )
        else:
            within = [str(ln.index + 1) for ln, a in zip(lines, admitted, strict=True) if a]
            test = (
                f"per item {threshold.comparison} {_money(threshold.amount, cur)}: lines "
                f"within: {', '.join(within) or 'none'}"
            )
        outcome = {"exempt": "relieved (not charged)", "sale": "charged at the point of sale"}
        for line, ok in zip(lines, admitted, strict=True):
            relief = decide.relief(
                threshold, ok, _excluded_under(case, line, relief_key, threshold)
            )
            setattr(line, relief_key, relief)
        relieved = any(getattr(ln, relief_key) for ln in lines)
        case.steps.append(
            Step(
                "threshold",
                f"{kind.capitalize()} threshold {threshold.name!r} "
                f"({threshold.when.describe()}): {test}: {kind} "
                f"{outcome[threshold.relief] if relieved else 'not relieved'}.",
                case.src(threshold.source),
                threshold.unconfirmed,
            )
        )


def _explain_goods(case: _Case, kind: str, threshold: Threshold | None) -> None:
    """Name the lines that keep an earlier threshold out by its ``when.without_hs``."""
    for t in decide.candidate_thresholds(case.version, kind):
        if t is threshold:
            return
        cond = t.when
        if cond.without_hs is None or decide.matches(cond, case.shipment):
            continue
        if not decide.matches(cond.model_copy(update={"without_hs": None}), case.shipment):
            continue  # another field already fails: the goods are not why
        hit = [
            f"line {ln.index + 1} (HS {ln.item.hs_code})"
            for ln in case.lines
            if not decide.allows(cond, "without_hs", (ln.item.hs_code,))
        ]
        case.steps.append(
            Step(
                "threshold",
                f"{kind.capitalize()} threshold {t.name!r} does not apply: {', '.join(hit)} "
                f"under its without_hs prefixes ({'/'.join(cond.without_hs)}).",
                case.src(t.source),
                t.unconfirmed,
            )
        )


def _explain_seller(case: _Case, kind: str, threshold: Threshold | None) -> None:
    """Say how the seller's registration chose the threshold; not given, it is an assumption."""
    given = case.shipment.seller_registered
    if given is False:
        passed = [
            t
            for t in decide.candidate_thresholds(case.version, kind)
            if not decide.threshold_open(t, False) and decide.matches(t.when, case.shipment)
        ]
        for t in passed:
            case.steps.append(
                Step(
                    "seller",
                    f"Seller not registered in the destination's collection scheme: "
                    f"{kind} threshold {t.name!r} (collected at the point of sale) does not "
                    f"apply.",
                    case.src(t.source),
                    t.unconfirmed,
                )
            )
        return
    decided = threshold is not None and (
        threshold.relief == "sale" or threshold.when.seller_registered is not None
    )
    if given is None and threshold is not None and decided:
        case.steps.append(
            Step(
                "seller",
                f"Assumption: seller registration not given, so the seller is taken as "
                f"registered in the destination's collection scheme ({threshold.name!r}); "
                f"for a seller outside it pass seller_registered=False.",
            )
        )


def _low_value(case: _Case) -> bool:
    """Whether the consignment is under the low-value duty ceiling (with its step)."""
    low = case.version.duty.low_value
    if low is None:
        return False
    cur = case.cur
    measured = case.measure(low.measure)
    in_low = low.admits(measured)
    sign = "<=" if low.inclusive else "<"
    verdict = "yes: the low-value method applies" if in_low else "no: the general tariff applies"
    case.steps.append(
        Step(
            "low-value duty",
            f"Low-value duty ceiling: {low.measure.replace('_', ' ')} "
            f"{_money(measured, cur)} {sign} {_money(low.ceiling, cur)}? {verdict}.",
            case.src(low.source),
            low.unconfirmed,
        )
    )
    return in_low


def _charge_duties(case: _Case) -> None:
    """Step 5: each line's duty method (by :func:`lvs_duty.decide.duty_method`), then charge.

    One group per method and shipment, so a per-shipment amount or rate band is charged once.
    A line no category of a table matches (and no default) joins the method
    :func:`lvs_duty.decide.fallback` names before anything is charged.
    """
    version = case.version
    in_low = _low_value(case)
    special = _first_special(case)
    charged: dict[int, list[_Line]] = {}
    methods: dict[int, DutyMethod] = {}
    fell: dict[int, tuple[CategoryDuty, list[_Line]]] = {}
    fallbacks: dict[int, DutyMethod] = {}
    for line in case.lines:
        if line.duty_relief == "exempt":
            line.duty_basis = "relieved by the duty threshold"
            continue
        method = decide.duty_method(
            version, in_low, None if special is None else special.method, line.excluded
        )
        while isinstance(method, CategoryDuty):
            category, why = classify(line.item, method, f"items[{line.index}]")
            if category is not None:
                line.match = (category, why)  # kept for the charge: classified once
                break
            fell.setdefault(id(method), (method, []))[1].append(line)
            table = method
            method = fallbacks.setdefault(id(table), decide.fallback(version, table))
        methods[id(method)] = method
        charged.setdefault(id(method), []).append(line)
    targets = {id(m) for m in fallbacks.values()}
    for method_id, group in charged.items():
        if method_id not in targets:
            _charge_duty(methods[method_id], group, version, case.rules, case.steps)
    for table, fallback in fell.values():
        case.steps.append(
            Step(
                "duty",
                f"Lines {_nums(fallback)}: no category and no default: the general tariff applies.",
                case.src(table.source),
            )
        )
    for method_id, group in charged.items():
        if method_id in targets:
            _charge_duty(methods[method_id], group, version, case.rules, case.steps)


def _tax_groups(case: _Case) -> list[list[_Line]]:
    """Lines grouped for rounding: by duty point, tax point and tax rate, or one per line."""
    tax, per_line = case.version.tax, case.version.rounding.per == "line"
    groups: dict[tuple[object, ...], list[_Line]] = {}
    for line in case.lines:
        if tax is not None and line.tax_relief != "exempt":
            line.tax_rate, line.tax_record = _tax_rate(line, case)
        # a line whose duty happens to be zero (MFN free) still groups with its dutiable
        # neighbours
        duty_point = _point(line.duty_relief, True)
        tax_point = None if tax is None else _point(line.tax_relief, True)
        key: tuple[object, ...] = (
            (line.index,) if per_line else (duty_point, tax_point, line.tax_rate)
        )
        groups.setdefault(key, []).append(line)
    return list(groups.values())


def _charge_tax(case: _Case) -> _Taxed:
    """Step 6: round duty per group, build each tax base, apply the rate, round per group."""
    version, tax = case.version, case.version.tax
    rounding = version.rounding
    quantum = rounding.quantum or case.unit
    duty_quantum, mode = rounding.duty_quantum or quantum, rounding.mode
    duty_at: dict[Point, Decimal] = {"border": ZERO, "sale": ZERO}
    tax_at: dict[Point, Decimal] = {"border": ZERO, "sale": ZERO}
    tax_base_total = ZERO
    line_results: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    rounded: list[tuple[list[_Line], Decimal, Point | None]] = []
    for group in _tax_groups(case):
        exact_duty = sum((ln.duty for ln in group), ZERO)
        group_duty = quantize(exact_duty, duty_quantum, mode)
        duty_point = _point(group[0].duty_relief, exact_duty != 0)
        if duty_point is not None:
            duty_at[duty_point] += group_duty
        rounded.append((group, group_duty, duty_point))
    # A border duty its own minimum waives is not levied, so it stays out of the tax base.
    duty_minimum = version.duty.min_collectable
    duty_waived = (
        duty_minimum is not None
        and duty_at["border"] != 0
        and duty_minimum.waives(duty_at["border"])
    )
    for group, group_duty, duty_point in rounded:
        left_out = duty_waived and duty_point == "border"
        levied = ZERO if left_out else group_duty
        tax_point = None if tax is None else _point(group[0].tax_relief, True)
        group_tax, base = ZERO, ZERO
        if tax is not None and tax_point is not None:
            parts = tax.base if tax_point == "border" else tax.sale_base
            base = sum((_base(parts, ln, ZERO) for ln in group), ZERO)
            base += _uplift(case, group, tax_point)
            if "duty" in parts:
                base += levied
            if rounding.tax_base_quantum is not None:
                base = quantize(base, rounding.tax_base_quantum, mode)
            if tax.components:
                group_tax = _components(tax, base, quantum, mode)
            else:
                group_tax = quantize(base * group[0].tax_rate, quantum, mode)
            tax_at[tax_point] += group_tax
            tax_base_total += base
        for ln in group:
            if rounding.per == "line":
                line_results[ln.index] = (group_duty, base, group_tax)
            elif tax is not None and tax_point is not None:
                parts = tax.base if tax_point == "border" else tax.sale_base
                line_base = _base(parts, ln, ZERO if left_out else ln.duty)
                line_results[ln.index] = (ln.duty, line_base, line_base * ln.tax_rate)
            else:
                line_results[ln.index] = (ln.duty, ZERO, ZERO)
    taxed = _Taxed(
        duty_at,
        tax_at,
        tax_base_total,
        duty_at["border"] + duty_at["sale"],
        tax_at["border"] + tax_at["sale"],
        line_results,
    )
    _explain_rounding(case, taxed)
    if duty_waived and duty_minimum is not None:
        in_base = tax is not None and "duty" in tax.base
        case.steps.append(
            _minimum_step(
                "Duty",
                duty_at["border"],
                duty_minimum,
                case.cur,
                case.src,
                ", so not in the tax base." if in_base else ".",
            )
        )
        duty_at["border"] = ZERO
    if tax is not None:
        _explain_tax(tax_at, tax_base_total, case.lines, tax, case.rules, case.steps)
        if tax.rate_key is not None and any(
            ln.tax_record is None and ln.tax_relief != "exempt" for ln in case.lines
        ):
            shipment = case.shipment
            given = shipment.region if tax.rate_key == "region" else shipment.destination
            case.steps[-1] = replace(
                case.steps[-1], text=case.steps[-1].text + _default_rate(tax, given)
            )
    return taxed


def _explain_rounding(case: _Case, taxed: _Taxed) -> None:
    rounding, tax = case.version.rounding, case.version.tax
    quantum = rounding.quantum or case.unit
    duty_quantum = rounding.duty_quantum or quantum
    rounding_text = (
        f"Rounded {rounding.mode} to {duty_quantum} (duty)"
        + (f" and {quantum} (tax)" if tax is not None else "")
        + (
            f", tax base to {rounding.tax_base_quantum}"
            if rounding.tax_base_quantum and tax is not None
            else ""
        )
        + (
            ", line by line."
            if rounding.per == "line"
            else ", once per shipment (per tax group)."
            if tax is not None
            else ", once per shipment."
        )
    )
    case.steps.append(
        Step(
            "rounding",
            f"{rounding_text} Duty {_money(_shown(taxed.duty_assessed, case.unit), case.cur)}.",
            case.src(rounding.source),
            rounding.unconfirmed,
        )
    )


def _charge_fees(case: _Case, border: Decimal) -> Decimal:
    """The fees a shipment pays: each fee :func:`lvs_duty.decide.fee_applies` to, x its count."""
    fees = ZERO
    lines = case.lines
    for fee in case.version.fees:
        if not decide.fee_applies(fee, decide.matches(fee.when, case.shipment), border != 0):
            continue
        if decide.fee_measured_on(fee) == "shipment":
            counted = lines if fee.admits(case.measure(fee.measure)) else []
        else:
            counted = [ln for ln in lines if fee.admits(ln.measures[fee.measure])]
        count = {"shipment": min(len(counted), 1), "line": len(counted)}.get(
            fee.per, sum(ln.item.quantity for ln in counted)
        )
        if count == 0:
            continue
        fees += fee.amount * count
        case.steps.append(
            Step(
                "fee",
                f"Fee {fee.name!r}{_fee_band(fee, case.cur)}: {_money(fee.amount, case.cur)} per "
                f"{fee.per} x {count} = {_money(fee.amount * count, case.cur)}.",
                case.src(fee.source),
                fee.unconfirmed,
            )
        )
    return fees


def _fee_band(fee: Fee, cur: str) -> str:
    """A fee's value band in words (empty when it has none)."""
    if fee.min_value is None and fee.max_value is None:
        return ""
    low = "" if fee.min_value is None else f" from {_money(fee.min_value, cur)}"
    sign = "up to" if fee.inclusive else "below"
    high = "" if fee.max_value is None else f" {sign} {_money(fee.max_value, cur)}"
    where = "consignment" if decide.fee_measured_on(fee) == "shipment" else "line"
    return f" ({fee.measure.replace('_', ' ')} of the {where}{low}{high})"


def _settle(case: _Case, taxed: _Taxed) -> Assessment:
    """Step 7: waive amounts under the minimum collectable, add fees, total.

    The minimum collectable is a border-collection rule: what the seller collects at sale is
    never waived.
    """
    duty_at, tax_at = _waive_minimums(
        case.version, taxed.duty_at, taxed.tax_at, case.cur, case.steps, case.src
    )
    duty_total = duty_at["border"] + duty_at["sale"]
    tax_total = tax_at["border"] + tax_at["sale"]
    border = duty_at["border"] + tax_at["border"]
    fees = _charge_fees(case, border)
    total = duty_total + tax_total + fees
    unit, tax = case.unit, case.version.tax

    def fix(amount: Decimal) -> Decimal:
        return _shown(amount, unit)

    results = taxed.line_results
    line_out = tuple(
        LineAssessment(
            index=ln.index,
            hs_code=ln.item.hs_code,
            value=ln.value,
            customs_value=ln.customs_value,
            duty=results[ln.index][0],
            duty_basis=ln.duty_basis,
            duty_collection=_point(ln.duty_relief, ln.duty != 0),
            category=ln.category,
            classified=ln.classified,
            tax_rate=ln.tax_rate,
            tax_base=results[ln.index][1],
            tax=results[ln.index][2],
            tax_collection=None if tax is None else _point(ln.tax_relief, True),
        )
        for ln in case.lines
    )
    return Assessment(
        shipment_id=case.shipment.id,
        rules=case.rules.code,
        version=case.version.period,
        currency=case.cur,
        goods_value=fix(case.goods),
        customs_value=fix(case.customs_value),
        tax_base=fix(taxed.tax_base),
        duty_assessed=fix(taxed.duty_assessed),
        tax_assessed=fix(taxed.tax_assessed),
        duty=fix(duty_total),
        tax=fix(tax_total),
        fees=fix(fees),
        total=fix(total),
        duty_collection=_where(duty_at),
        tax_collection=_where(tax_at),
        collected_at_border=fix(border),
        collected_at_sale=fix(duty_at["sale"] + tax_at["sale"]),
        classifications=sum(1 for ln in case.lines if ln.classified),
        lines=line_out,
        steps=tuple(case.steps),
    )


def _components(tax: TaxRule, base: Decimal, quantum: Decimal, mode: RoundingMode) -> Decimal:
    """A tax computed in components, each rounded on its own; ratios of earlier ones exactly."""
    amounts: dict[str, Decimal] = {}
    for c in tax.components:
        step = c.quantum or quantum
        if c.rate is not None:
            amounts[c.name] = quantize(base * c.rate, step, mode)
        else:
            assert c.of is not None
            assert c.ratio is not None
            share = Fraction(amounts[c.of]) * Fraction(c.ratio[0], c.ratio[1])
            amounts[c.name] = quantize_fraction(share, step, mode)
    return sum(amounts.values(), ZERO)


def _waive_minimums(
    version: RuleVersion,
    duty_at: dict[Point, Decimal],
    tax_at: dict[Point, Decimal],
    cur: str,
    steps: list[Step],
    src: Callable[[tuple[str, ...]], tuple[Source, ...]],
) -> tuple[dict[Point, Decimal], dict[Point, Decimal]]:
    """Waive border tax, or duty and tax together, when under their minimum collectable.

    The duty's own minimum acts earlier, before the tax, because a duty not levied is not in
    the tax base.
    """
    checks = (
        ("Tax", version.tax.min_collectable if version.tax else None, (tax_at,)),
        ("Duty and tax together", version.min_collectable, (duty_at, tax_at)),
    )
    for label, minimum, amounts in checks:
        due = sum((a["border"] for a in amounts), ZERO)
        if minimum is None or due == 0 or not minimum.waives(due):
            continue
        steps.append(_minimum_step(label, due, minimum, cur, src, "."))
        for a in amounts:
            a["border"] = ZERO
    return duty_at, tax_at


def _minimum_step(
    label: str,
    due: Decimal,
    minimum: MinCollectable,
    cur: str,
    src: Callable[[tuple[str, ...]], tuple[Source, ...]],
    end: str,
) -> Step:
    """The step saying a border amount is within its minimum collectable and not collected."""
    return Step(
        "minimum",
        f"{label} collected at the border {_money(due, cur)}: within the "
        f"minimum collectable {_money(minimum.amount, cur)}, not collected{end}",
        src(minimum.source),
        minimum.unconfirmed,
    )


def _first_special(case: _Case) -> SpecialDuty | None:
    """The first special duty method whose condition and ceiling hold, with its step."""
    cur = case.cur
    for special in case.version.duty.special:
        if not decide.matches(special.when, case.shipment):
            continue
        measured = case.measure(special.measure)
        if special.admits(measured):
            limit = (
                ""
                if special.ceiling is None
                else f", {special.measure.replace('_', ' ')} {_money(measured, cur)}"
                f" {'<=' if special.inclusive else '<'} "
                f"{_money(special.ceiling, cur)}"
            )
            case.steps.append(
                Step(
                    "special duty",
                    f"Special duty {special.name!r} applies ({special.when.describe()}{limit}).",
                    case.src(special.source),
                    special.unconfirmed,
                )
            )
            return special
    return None


def _point(relief: str | None, due: bool) -> Point | None:
    if relief == "exempt" or not due:
        return None
    return "sale" if relief == "sale" else "border"


def _where(amounts: Mapping[Point, Decimal]) -> Collection | None:
    border, sale = amounts["border"] > 0, amounts["sale"] > 0
    if border and sale:
        return "mixed"
    return "border" if border else "sale" if sale else None


def _base(parts: tuple[str, ...], line: _Line, duty: Decimal) -> Decimal:
    amounts = {
        "goods": line.value,
        "customs_value": line.customs_value,
        "duty": duty,
        "shipping": line.shipping,
        "insurance": line.insurance,
    }
    return sum((amounts[p] for p in parts), ZERO)


def _tax_rate(line: _Line, case: _Case) -> tuple[Decimal, TaxCategory | RegionalRate | None]:
    """The tax rate of a line, and the category or regional rate it came from (if any)."""
    tax = case.version.tax
    assert tax is not None
    category = decide.tax_category(tax, line.item.hs_code)
    if category is not None:
        return category.rate, category
    shipment = case.shipment
    key = None if tax.rate_key is None else getattr(shipment, tax.rate_key)
    rate, regional = decide.shipment_tax_rate(tax, key)
    if rate is None:
        raise RateUnavailableError(
            f"Shipment {shipment.id or ''}".strip(),
            tax.rate_key or "region",
            f"one of {', '.join(r.key for r in tax.rates)} ({case.rules.code} {tax.name} "
            f"has no default rate)",
            key,
        )
    return rate, regional


def _default_rate(tax: TaxRule, key: str | None) -> str:
    """The assumption behind a default rate, named (a missing region is never silent)."""
    if key is None:
        return (
            f" Assumption: no {tax.rate_key} given, so the default rate {_pct(tax.rate or ZERO)} "
            f"applies (a {tax.rate_key} with its own rate: {', '.join(r.key for r in tax.rates)})."
        )
    return f" {key} has no rate of its own: the default rate {_pct(tax.rate or ZERO)} applies."


def _explain_tax(
    tax_at: Mapping[Point, Decimal],
    base: Decimal,
    lines: list[_Line],
    tax: TaxRule,
    rules: RuleSet,
    steps: list[Step],
) -> None:
    charged = [ln for ln in lines if ln.tax_relief != "exempt"]
    rates = sorted({ln.tax_rate for ln in charged})
    rate_text = ", ".join(_pct(r) for r in rates) or "none"
    cur = rules.currency
    where = ", ".join(f"{_money(v, cur)} at the {k}" for k, v in tax_at.items() if v > 0)
    records = list(dict.fromkeys(ln.tax_record for ln in charged if ln.tax_record is not None))
    applied = "; ".join(
        f"{getattr(r, 'key', None) or getattr(r, 'name', '')} {_pct(r.rate)}" for r in records
    )
    refs = tuple(dict.fromkeys(ref for r in (tax, *records) for ref in r.source))
    unconfirmed = tax.unconfirmed or any(r.unconfirmed for r in records)
    steps.append(
        Step(
            "tax",
            f"{tax.name} at {rate_text}"
            + (f" ({applied})" if applied else "")
            + f" on a base of {_money(base, cur)}: {where or 'nothing due'}.",
            rules.source_of(refs),
            unconfirmed,
        )
    )


def _charge_duty(
    method: DutyMethod, group: list[_Line], version: RuleVersion, rules: RuleSet, steps: list[Step]
) -> None:
    """Set the exact duty, basis and classification of each line charged under ``method``."""
    cur = rules.currency
    src = rules.source_of
    if isinstance(method, FreeDuty):
        for line in group:
            line.duty_basis = "duty free"
        steps.append(
            Step(
                "duty", f"Lines {_nums(group)}: duty free.", src(method.source), method.unconfirmed
            )
        )
    elif isinstance(method, MfnDuty):
        for line in group:
            if line.scheduled is not None:
                _charge_scheduled(line, steps, src(method.source), method.unconfirmed)
                continue
            rate = _need_rate(line, rules, "the line's MFN rate: the general tariff applies")
            line.duty = line.customs_value * rate
            line.duty_basis = f"general tariff (MFN) {_pct(rate)}"
            line.classified = True
            steps.append(
                Step(
                    "duty",
                    f"Line {line.index + 1} (HS {line.item.hs_code}): general "
                    f"tariff {_pct(rate)} x {_money(line.customs_value, cur)} = "
                    f"{line.duty}.",
                    src(method.source),
                    method.unconfirmed,
                )
            )
    elif isinstance(method, FlatDuty):
        _charge_flat(method, group, rules, steps)
    elif isinstance(method, CategoryDuty):
        for line in group:
            # grouping classified every line of a table's group, and moved the unmatched ones
            assert line.match is not None
            category, why = line.match
            line.category = category.name
            line.classified = True
            line.duty, charge = _category_charge(category, line, rules)
            line.duty_basis = f"category {category.name!r}: {charge}"
            sources = src(category.source) or src(method.source)
            steps.append(
                Step(
                    "duty",
                    f"Line {line.index + 1}: category {category.name!r} "
                    f"({why}): {charge} = {line.duty}.",
                    sources,
                    method.unconfirmed or category.unconfirmed,
                )
            )
    elif isinstance(method, RateBandDuty):
        _charge_bands(method, group, rules, steps)


def _nums(group: list[_Line]) -> str:
    return ", ".join(str(ln.index + 1) for ln in group)


def _need_rate(line: _Line, rules: RuleSet, expected: str) -> Decimal:
    if line.scheduled is not None:
        raise RateUnavailableError(
            f"items[{line.index}]", "duty_rate", f"{no_rate(line.scheduled)} ({rules.code})"
        )
    if line.item.duty_rate is None:
        raise RateUnavailableError(
            f"items[{line.index}]", "duty_rate", f"{expected}{line.unscheduled} ({rules.code})"
        )
    return line.item.duty_rate


def _from_schedule(case: _Case, schedule: Schedule, on: dt.date) -> None:
    """Lines without their own rate take the schedule's line for their HS code, said in a step.

    A line with only an ad valorem part becomes the item's rate; one with a specific part is
    kept for the general tariff to charge with :func:`lvs_duty.schedules.line_duty`.
    """
    for line in case.lines:
        if line.item.duty_rate is not None:
            continue
        found = schedule.line_for(line.item.hs_code, on)
        if found is None:
            line.unscheduled = uncovered(line.item.hs_code)
            continue
        rate = rate_of(found)
        if rate is None:
            line.scheduled = found
        else:
            line.item = line.item.model_copy(update={"duty_rate": rate})
        if line.duty_relief != "exempt":
            case.steps.append(
                Step(
                    "duty",
                    f"Line {line.index + 1} (HS {line.item.hs_code}) has no duty_rate of its "
                    f"own: {schedule.cite(found)}.",
                    (),
                    bool(found.unconfirmed),
                )
            )


def _charge_scheduled(
    line: _Line, steps: list[Step], sources: tuple[Source, ...], unconfirmed: bool
) -> None:
    """The general tariff on a line whose schedule line has a specific part (exact, unrounded)."""
    item, scheduled = line.item, line.scheduled
    assert scheduled is not None
    charged = line_duty(
        scheduled,
        customs_value=line.customs_value,
        quantity=item.quantity,
        weight_kg=item.weight_kg,
        volume_litres=item.volume_l,
        location=f"items[{line.index}]",
    )
    line.duty = charged.amount
    line.duty_basis = f"general tariff (schedule line {scheduled.hs}) {scheduled.rate_text}"
    line.classified = True
    steps.append(
        Step(
            "duty",
            f"Line {line.index + 1} (HS {item.hs_code}): general tariff {scheduled.rate_text}, "
            f"charged on {' and '.join(charged.measures)}: {charged.working} = {line.duty}.",
            sources,
            unconfirmed,
        )
    )


def _category_charge(category: Category, line: _Line, rules: RuleSet) -> tuple[Decimal, str]:
    cur = rules.currency
    if category.rate is not None:
        return (
            line.customs_value * category.rate,
            f"{_pct(category.rate)} x {_money(line.customs_value, cur)}",
        )
    if category.item_rate:
        rate = _need_rate(line, rules, f"the line's MFN rate (category {category.name!r})")
        return line.customs_value * rate, f"MFN {_pct(rate)} x {_money(line.customs_value, cur)}"
    amount = category.amount
    assert amount is not None
    item = line.item
    location = f"items[{line.index}]"
    if category.per == "item":
        return amount * item.quantity, f"{_money(amount, cur)} x {item.quantity} items"
    if category.per == "kg":
        if item.weight_kg is None:
            raise RateUnavailableError(location, "weight_kg", f"the weight in kg ({category.name})")
        return amount * item.weight_kg, f"{_money(amount, cur)}/kg x {item.weight_kg} kg"
    if item.volume_l is None:
        raise RateUnavailableError(location, "volume_l", f"the volume in litres ({category.name})")
    if category.per == "litre":
        return amount * item.volume_l, f"{_money(amount, cur)}/l x {item.volume_l} l"
    if item.abv is None:
        raise RateUnavailableError(location, "abv", f"the alcohol by volume ({category.name})")
    return (
        amount * item.volume_l * item.abv,
        f"{_money(amount, cur)}/l of alcohol x {item.volume_l} l x {item.abv} ABV",
    )


def _charge_flat(method: FlatDuty, group: list[_Line], rules: RuleSet, steps: list[Step]) -> None:
    cur = rules.currency
    sources = rules.source_of(method.source)
    if method.rate is not None:
        for line in group:
            line.duty = line.customs_value * method.rate
            line.duty_basis = f"flat rate {_pct(method.rate)}"
        base = sum((ln.customs_value for ln in group), ZERO)
        deduction = ""
        if method.deduction:
            remaining = method.deduction
            for line in group:  # taken off line by line, in order, never below zero
                taken = min(remaining, line.duty)
                line.duty -= taken
                remaining -= taken
            deduction = f" minus a deduction of {_money(method.deduction, cur)} (not below 0)"
        steps.append(
            Step(
                "duty",
                f"Flat rate {_pct(method.rate)} on the customs value of lines "
                f"{_nums(group)} ({_money(base, cur)}){deduction}, no classification "
                "needed.",
                sources,
                method.unconfirmed,
            )
        )
        return
    amount = method.amount
    assert amount is not None
    if method.per == "shipment":
        group[0].duty = amount
        for line in group:
            line.duty_basis = f"flat {_money(amount, cur)} per shipment"
        steps.append(
            Step("duty", f"Flat {_money(amount, cur)} per shipment.", sources, method.unconfirmed)
        )
    elif method.per == "item":
        for line in group:
            line.duty = amount * line.item.quantity
            line.duty_basis = f"flat {_money(amount, cur)} per item"
        count = sum(ln.item.quantity for ln in group)
        steps.append(
            Step(
                "duty",
                f"Flat {_money(amount, cur)} per item x {count} items.",
                sources,
                method.unconfirmed,
            )
        )
    else:
        seen: set[str] = set()
        for line in group:
            sub = line.item.subheading
            if sub is None:
                raise RateUnavailableError(
                    f"items[{line.index}]",
                    "hs_code",
                    "a 6-digit HS subheading: the flat amount is charged "
                    f"per distinct subheading ({rules.code})",
                )
            line.classified = True
            line.duty_basis = f"flat {_money(amount, cur)} per subheading ({sub})"
            if sub not in seen:
                seen.add(sub)
                line.duty = amount
        steps.append(
            Step(
                "duty",
                f"Flat {_money(amount, cur)} per distinct subheading x "
                f"{len(seen)} ({', '.join(sorted(seen))}).",
                sources,
                method.unconfirmed,
            )
        )


def _charge_bands(
    method: RateBandDuty, group: list[_Line], rules: RuleSet, steps: list[Step]
) -> None:
    cur = rules.currency
    sources = rules.source_of(method.source)
    for line in group:
        _need_rate(line, rules, "the line's tariff rate, which picks the specific-duty band")
        line.classified = True

    def band_amount(rate: Decimal) -> Decimal:
        return next(b.amount for b in method.bands if b.admits(rate))

    if method.per == "item":
        for line in group:
            rate = line.item.duty_rate or ZERO
            line.duty = band_amount(rate) * line.item.quantity
            line.duty_basis = f"rate band of {_pct(rate)}: {_money(band_amount(rate), cur)}/item"
            steps.append(
                Step(
                    "duty",
                    f"Line {line.index + 1}: rate {_pct(rate)} falls in the "
                    f"band of {_money(band_amount(rate), cur)} per item x "
                    f"{line.item.quantity} = {line.duty}.",
                    sources,
                    method.unconfirmed,
                )
            )
    else:
        top = max(line.item.duty_rate or ZERO for line in group)
        group[0].duty = band_amount(top)
        for line in group:
            line.duty_basis = f"rate band of {_pct(top)}: {_money(band_amount(top), cur)}/shipment"
        steps.append(
            Step(
                "duty",
                f"Highest rate {_pct(top)} falls in the band of "
                f"{_money(band_amount(top), cur)} per shipment.",
                sources,
                method.unconfirmed,
            )
        )


# -- allowances (excess-only relief) ---------------------------------------------------------


def _better_of(
    shipment: Shipment,
    rules: RuleSet,
    fx: Mapping[str, Decimal] | None,
    on: dt.date,
    schedule: Schedule | None = None,
) -> Assessment:
    """The assessment; under a ``best_of`` allowance, the lower of it and the thresholds alone.

    The thresholds are tried only when the allowance leaves something to pay.
    """
    chosen = _assess(shipment, rules, fx, on, schedule)
    version = rules.at(on)
    allowance = decide.first_allowance(version, shipment)
    if allowance is None or not allowance.best_of or chosen.total == 0:
        return chosen  # nothing is lower than 0: the thresholds are not tried
    without = _assess(shipment, rules, fx, on, schedule, allowances=False)
    keep = decide.keeps_allowance(allowance, without.total < chosen.total)
    picked = chosen if keep else without
    cur = rules.currency
    step = Step(
        "allowance",
        f"Better of: with the allowance {allowance.name!r} the total is "
        f"{_money(chosen.total, cur)}, by the thresholds alone {_money(without.total, cur)}: "
        f"{'the allowance' if keep else 'the thresholds'} applied (the lower; the allowance on "
        "a tie).",
        rules.source_of(allowance.source),
        allowance.unconfirmed,
    )
    return replace(picked, steps=(*picked.steps, step))


def _apply_allowance(case: _Case) -> dict[str, list[Decimal]]:
    """Step 4b: the first allowance whose condition holds replaces the thresholds' relief.

    Returns the value each line is charged on, for duty, for tax and in full. Per kind, the
    lines that share the allowance (:func:`lvs_duty.decide.shares_allowance`) are exempt when
    their customs value together is within the amount; above it, the excess (rounded down to
    the minor unit) is spread over them by customs value (:func:`allocate`).
    """
    full = [ln.customs_value for ln in case.lines]
    out = {"duty": full, "tax": full, "full": full}
    allowance = decide.first_allowance(case.version, case.shipment)
    if allowance is None:
        return out
    cur, texts = case.cur, []
    for kind in ("duty", "tax") if case.version.tax is not None else ("duty",):
        shares = [
            decide.shares_allowance(_excluded_under(case, ln, f"{kind}_relief", allowance))
            for ln in case.lines
        ]
        weights = [v if s else ZERO for v, s in zip(full, shares, strict=True)]
        shared = sum(weights, ZERO)
        within = shared <= allowance.amount
        for line, s in zip(case.lines, shares, strict=True):
            setattr(line, f"{kind}_relief", decide.allowance_relief(within, s))
        if within:
            texts.append(
                f"{kind}: {_money(shared, cur)} <= {_money(allowance.amount, cur)}, exempt"
            )
            continue
        excess = quantize(shared - allowance.amount, case.unit, "ROUND_DOWN")
        spread = allocate(excess, weights, case.unit)
        out[kind] = [e if s else v for e, s, v in zip(spread, shares, full, strict=True)]
        texts.append(
            f"{kind}: {_money(shared, cur)} - {_money(allowance.amount, cur)} = excess "
            f"{_money(excess, cur)}, charged (spread over the lines by customs value)"
        )
    case.steps.append(
        Step(
            "allowance",
            f"Allowance {allowance.name!r} ({allowance.when.describe()}), in place of the "
            f"thresholds: {'; '.join(texts)}.",
            case.src(allowance.source),
            allowance.unconfirmed,
        )
    )
    return out


def _charge_on(case: _Case, values: list[Decimal]) -> None:
    """Set each line's customs value to the value it is charged on (or back to its own)."""
    for line, value in zip(case.lines, values, strict=True):
        line.customs_value = value


def _excluded_under(case: _Case, line: _Line, kind: str, rule: Threshold | Allowance) -> bool:
    """Whether a line is kept out of a relief under a threshold or allowance (scopes included)."""
    if kind in line.excluded:
        return True
    return kind in decide.excluded_under(case.version, line.item.hs_code, rule.name)


# -- charges on charges: a surcharge on the duty, a tax base uplift ------------------------


def _surcharge(case: _Case) -> None:
    """Step 5b: the surcharges levied on the duty, added to each line's exact duty."""
    surcharges = decide.surcharges_on(case.version.duty, case.shipment)
    if not surcharges:
        return
    factor = decide.surcharge_factor(surcharges)
    for line in case.lines:
        line.duty = line.duty * factor
    for surcharge in surcharges:
        case.steps.append(
            Step(
                "duty",
                f"{surcharge.name}: {_pct(surcharge.rate)} of the duty, added to it (each line's "
                f"duty x {factor}, rounded with it).",
                case.src(surcharge.source),
                surcharge.unconfirmed,
            )
        )


def _uplift(case: _Case, group: list[_Line], point: Point) -> Decimal:
    """The share of a tax group's customs value added to its base (rounded to the minor unit)."""
    tax = case.version.tax
    rate = ZERO if tax is None else decide.uplift_rate(tax, point)
    if rate == 0 or tax is None or tax.uplift is None:
        return ZERO
    value = sum((ln.customs_value for ln in group), ZERO)
    added = quantize(value * rate, case.unit, case.version.rounding.mode)
    case.steps.append(
        Step(
            "tax",
            f"Tax base uplift: {_pct(rate)} of the customs value {_money(value, case.cur)} = "
            f"{_money(added, case.cur)}, added to the {tax.name} base.",
            case.src(tax.uplift.source),
            tax.uplift.unconfirmed,
        )
    )
    return added


__all__ = ["allocate", "assess", "classify", "first_threshold", "matches"]
