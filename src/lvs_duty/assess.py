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
from typing import Literal

from .errors import ArgumentError, CurrencyError, RateUnavailableError, UnknownCategoryError
from .explain import Assessment, Collection, LineAssessment, Step
from .money import CONTEXT, RoundingMode, fx_rate, minor_unit, quantize, quantize_fraction
from .rules import (
    Category,
    CategoryDuty,
    Condition,
    DutyMethod,
    FlatDuty,
    FreeDuty,
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
from .shipment import Item, Shipment

ZERO = Decimal(0)
Point = Literal["border", "sale"]


def matches(condition: Condition, shipment: Shipment) -> bool:
    """Whether a rule's ``when`` condition holds for a shipment."""
    checks: tuple[tuple[tuple[str, ...] | None, str | None], ...] = (
        (condition.mode, shipment.mode),
        (condition.ship_from, shipment.ship_from),
        (condition.origin, shipment.origin),
        (condition.destination, shipment.destination),
        (condition.region, shipment.region),
    )
    for allowed, actual in checks:
        if allowed is not None and actual not in allowed:
            return False
    return condition.gift is None or condition.gift == shipment.gift


def first_threshold(version: RuleVersion, shipment: Shipment, kind: str) -> Threshold | None:
    """The first duty or tax threshold whose condition matches the shipment."""
    for threshold in version.thresholds:
        if threshold.applies_to == kind and matches(threshold.when, shipment):
            return threshold
    return None


def longest_prefix(hs_code: str | None, prefixes: tuple[str, ...]) -> int:
    """Length of the longest of ``prefixes`` that ``hs_code`` starts with (0 when none)."""
    if hs_code is None:
        return 0
    return max((len(p) for p in prefixes if hs_code.startswith(p)), default=0)


def classify(item: Item, method: CategoryDuty, location: str) -> tuple[Category | None, str]:
    """The category of a line, and how it was chosen.

    Order: the item's explicit category; the longest matching HS prefix; the MFN band (the
    nearest category rate among bands that admit the line's MFN rate); the default category.
    """
    names = [c.name for c in method.categories]
    if item.category is not None:
        chosen = method.by_name(item.category)
        if chosen is None:
            raise UnknownCategoryError(location, item.category, names)
        return chosen, "named on the item"
    best, best_len = None, 0
    for category in method.categories:
        length = longest_prefix(item.hs_code, category.hs_prefixes)
        if length > best_len:
            best, best_len = category, length
    if best is not None:
        return best, f"HS {item.hs_code} matches prefix of length {best_len}"
    if item.duty_rate is not None:
        mfn = item.duty_rate
        banded = [
            c
            for c in method.categories
            if c.rate is not None
            and (c.mfn_min is not None or c.mfn_max is not None)
            and (c.mfn_min is None or c.mfn_min <= mfn)
            and (c.mfn_max is None or mfn <= c.mfn_max)
        ]
        if banded:
            nearest = min(banded, key=lambda c: abs(mfn - (c.rate or ZERO)))
            return nearest, f"MFN rate {_pct(mfn)} falls in its band"
    if method.default is not None:
        return method.by_name(method.default), "default category"
    return None, "no category matches"


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
    excluded: frozenset[str]
    duty_relief: str | None = None
    tax_relief: str | None = None
    duty: Decimal = ZERO
    duty_basis: str = ""
    category: str | None = None
    classified: bool = False
    tax_rate: Decimal = ZERO
    tax_record: TaxCategory | RegionalRate | None = None
    match: tuple[Category, str] | None = None  # the category and why, once classified


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
) -> Assessment:
    """Assess the duty, tax and fees one shipment owes under a rule set, with its explanation.

    ``fx`` maps a shipment currency to the number of regime-currency units per unit of it
    (needed only when the two differ); ``on`` overrides the shipment date for choosing the
    version in force.

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
    with localcontext(CONTEXT):
        return _assess(shipment, rules, fx, on or shipment.date)


def _assess(
    shipment: Shipment, rules: RuleSet, fx: Mapping[str, Decimal] | None, on: dt.date
) -> Assessment:
    version = rules.at(on)
    check_coverage(rules, version, shipment)
    cur = rules.currency
    rounding = version.rounding
    unit = minor_unit(cur)
    quantum = rounding.quantum or unit
    duty_quantum = rounding.duty_quantum or quantum
    mode = rounding.mode
    steps: list[Step] = [
        Step(
            "rules",
            f"{rules.name} ({rules.code}), version in force on {on}: "
            f"{version.period}" + (f", {version.label}" if version.label else ""),
        )
    ]
    src = rules.source_of

    values, shipping, insurance = _convert(shipment, rules, version, fx, steps)

    # 3. valuation
    valuation = version.valuation
    factor = valuation.factor
    valued = values if factor == 1 else [quantize(v * factor, unit, mode) for v in values]
    ship_shares = allocate(shipping, valued, unit)
    ins_shares = allocate(insurance, valued, unit)
    cif_basis = valuation.basis == "CIF"
    lines: list[_Line] = []
    for i, item in enumerate(shipment.items):
        cif_i = valued[i] + ship_shares[i] + ins_shares[i]
        excluded: set[str] = set()
        for exclusion in version.exclusions:
            if longest_prefix(item.hs_code, exclusion.hs_prefixes):
                excluded.update(exclusion.excluded_from)
        lines.append(
            _Line(
                i,
                item,
                values[i],
                valued[i],
                ship_shares[i],
                ins_shares[i],
                cif_i if cif_basis else valued[i],
                cif_i,
                frozenset(excluded),
            )
        )
    goods = sum(values, ZERO)
    customs_value = sum((line.customs_value for line in lines), ZERO)
    cif = sum(valued, ZERO) + shipping + insurance
    factor_text = f" x factor {factor}" if factor != 1 else ""
    transport = (
        f" + shipping {_shown(shipping, unit)} + insurance {_shown(insurance, unit)}"
        if cif_basis
        else ""
    )
    steps.append(
        Step(
            "valuation",
            f"Customs value ({valuation.basis}): goods "
            f"{_shown(goods, unit)}"
            f"{factor_text}{transport} = {_money(_shown(customs_value, unit), cur)}.",
            src(valuation.source),
            valuation.unconfirmed,
        )
    )
    for exclusion in version.exclusions:
        hit = [
            line.index for line in lines if longest_prefix(line.item.hs_code, exclusion.hs_prefixes)
        ]
        if hit:
            which = ", ".join(str(h + 1) for h in hit)
            steps.append(
                Step(
                    "exclusion",
                    f"Line{'s' if len(hit) > 1 else ''} {which}: "
                    f"{exclusion.name}, excluded from "
                    f"{', '.join(exclusion.excluded_from)}.",
                    src(exclusion.source),
                    exclusion.unconfirmed,
                )
            )

    # 4. thresholds
    for kind in ("duty", "tax"):
        if kind == "tax" and version.tax is None:
            steps.append(Step("threshold", "No import tax in this regime."))
            continue
        threshold = first_threshold(version, shipment, kind)
        relief_key = f"{kind}_relief"
        if threshold is None:
            steps.append(
                Step(
                    "threshold", f"No {kind} threshold applies: {kind} is due from the first cent."
                )
            )
            continue
        if threshold.scope == "consignment":
            measured = _measure(threshold.measure, goods, customs_value, cif)
            ok = threshold.admits(measured)
            admitted = [ok] * len(lines)
            test = (
                f"{threshold.measure.replace('_', ' ')} {_money(measured, cur)} "
                f"{threshold.comparison} {_money(threshold.amount, cur)}? "
                f"{'yes' if ok else 'no'}"
            )
        else:
            admitted = [
                threshold.admits(
                    _measure(threshold.measure, ln.value, ln.customs_value, ln.cif),
                    ln.item.quantity,
                )
                for ln in lines
            ]
            within = [str(ln.index + 1) for ln, a in zip(lines, admitted, strict=True) if a]
            test = (
                f"per item {threshold.comparison} {_money(threshold.amount, cur)}: lines "
                f"within: {', '.join(within) or 'none'}"
            )
        outcome = {"exempt": "relieved (not charged)", "sale": "charged at the point of sale"}
        for line, ok in zip(lines, admitted, strict=True):
            if ok and relief_key not in line.excluded:
                setattr(line, relief_key, threshold.relief)
        relieved = any(getattr(ln, relief_key) for ln in lines)
        steps.append(
            Step(
                "threshold",
                f"{kind.capitalize()} threshold {threshold.name!r} "
                f"({threshold.when.describe()}): {test}: {kind} "
                f"{outcome[threshold.relief] if relieved else 'not relieved'}.",
                src(threshold.source),
                threshold.unconfirmed,
            )
        )

    # 5. duty per line
    low = version.duty.low_value
    in_low = False
    if low is not None:
        measured = _measure(low.measure, goods, customs_value, cif)
        in_low = low.admits(measured)
        sign = "<=" if low.inclusive else "<"
        verdict = (
            "yes: the low-value method applies" if in_low else "no: the general tariff applies"
        )
        measure_name = low.measure.replace("_", " ")
        steps.append(
            Step(
                "low-value duty",
                f"Low-value duty ceiling: {measure_name} "
                f"{_money(measured, cur)} {sign} {_money(low.ceiling, cur)}? "
                f"{verdict}.",
                src(low.source),
                low.unconfirmed,
            )
        )
    special = _first_special(version, shipment, goods, customs_value, cif, steps, rules)
    # One group per method and shipment, so a per-shipment amount or rate band is charged once.
    # A line no category of a table matches (and no default) joins the general method's group
    # before anything is charged (or the MFN group, when the table is the general method).
    charged: dict[int, list[_Line]] = {}
    methods: dict[int, DutyMethod] = {}
    fell: dict[int, tuple[CategoryDuty, list[_Line]]] = {}
    mfn_for: dict[int, MfnDuty] = {}
    for line in lines:
        if line.duty_relief == "exempt":
            line.duty_basis = "relieved by the duty threshold"
            continue
        if low is not None and in_low and "low_value_duty" not in line.excluded:
            method = low.method
        elif special is not None and "special_duty" not in line.excluded:
            method = special.method
        else:
            method = version.duty.general
        while isinstance(method, CategoryDuty):
            category, why = classify(line.item, method, f"items[{line.index}]")
            if category is not None:
                line.match = (category, why)  # kept for the charge: classified once
                break
            fell.setdefault(id(method), (method, []))[1].append(line)
            table = method
            method = version.duty.general
            if method is table:
                method = mfn_for.setdefault(id(table), MfnDuty(kind="mfn", source=table.source))
        methods[id(method)] = method
        charged.setdefault(id(method), []).append(line)
    targets = {id(version.duty.general), *(id(m) for m in mfn_for.values())} if fell else set()
    for method_id, group in charged.items():
        if method_id not in targets:
            _charge_duty(methods[method_id], group, version, rules, steps)
    for table, fallback in fell.values():
        steps.append(
            Step(
                "duty",
                f"Lines {_nums(fallback)}: no category and no default: the general tariff applies.",
                src(table.source),
            )
        )
    for method_id, group in charged.items():
        if method_id in targets:
            _charge_duty(methods[method_id], group, version, rules, steps)

    # 6. tax rates, groups, rounding
    tax = version.tax
    for line in lines:
        if tax is None or line.tax_relief == "exempt":
            continue
        line.tax_rate, line.tax_record = _tax_rate(line, shipment, rules, version)
    groups: dict[tuple[object, ...], list[_Line]] = {}
    for line in lines:
        # lines group by where their duty and tax are collected and their tax rate; a line
        # whose duty happens to be zero (MFN free) still groups with its dutiable neighbours
        duty_point = _point(line.duty_relief, True)
        tax_point = None if tax is None else _point(line.tax_relief, True)
        key: tuple[object, ...] = (
            (line.index,) if rounding.per == "line" else (duty_point, tax_point, line.tax_rate)
        )
        groups.setdefault(key, []).append(line)

    duty_at: dict[Point, Decimal] = {"border": ZERO, "sale": ZERO}
    tax_at: dict[Point, Decimal] = {"border": ZERO, "sale": ZERO}
    tax_base_total = ZERO
    line_results: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    rounded: list[tuple[list[_Line], Decimal, Point | None]] = []
    for group in groups.values():
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
            if "duty" in parts:
                base += levied
            if rounding.tax_base_quantum is not None:
                base = quantize(base, rounding.tax_base_quantum, mode)
            rate = group[0].tax_rate
            if tax.components:
                group_tax = _components(tax, base, quantum, mode)
            else:
                group_tax = quantize(base * rate, quantum, mode)
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

    duty_assessed = duty_at["border"] + duty_at["sale"]
    tax_assessed = tax_at["border"] + tax_at["sale"]
    rounding_text = (
        f"Rounded {mode} to {duty_quantum} (duty)"
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
    steps.append(
        Step(
            "rounding",
            f"{rounding_text} Duty {_money(_shown(duty_assessed, unit), cur)}.",
            src(rounding.source),
            rounding.unconfirmed,
        )
    )
    if duty_waived and duty_minimum is not None:
        in_base = tax is not None and "duty" in tax.base
        steps.append(
            _minimum_step(
                "Duty",
                duty_at["border"],
                duty_minimum,
                cur,
                src,
                ", so not in the tax base." if in_base else ".",
            )
        )
        duty_at["border"] = ZERO
    if tax is not None:
        _explain_tax(tax_at, tax_base_total, lines, tax, rules, steps)
        if tax.rate_key is not None and any(
            ln.tax_record is None and ln.tax_relief != "exempt" for ln in lines
        ):
            given = shipment.region if tax.rate_key == "region" else shipment.destination
            steps[-1] = replace(steps[-1], text=steps[-1].text + _default_rate(tax, given))

    # 7. minimum collectable (a border-collection rule: what the seller collects at sale is
    # never waived), fees, total
    duty_at, tax_at = _waive_minimums(version, duty_at, tax_at, cur, steps, src)
    duty_total = duty_at["border"] + duty_at["sale"]
    tax_total = tax_at["border"] + tax_at["sale"]
    border = duty_at["border"] + tax_at["border"]
    fees = ZERO
    for fee in version.fees:
        if not matches(fee.when, shipment) or (fee.border_only and border == 0):
            continue
        count = {"shipment": 1, "line": len(lines), "item": sum(ln.item.quantity for ln in lines)}[
            fee.per
        ]
        fees += fee.amount * count
        steps.append(
            Step(
                "fee",
                f"Fee {fee.name!r}: {_money(fee.amount, cur)} per {fee.per} "
                f"x {count} = {_money(fee.amount * count, cur)}.",
                src(fee.source),
                fee.unconfirmed,
            )
        )
    total = duty_total + tax_total + fees

    def fix(amount: Decimal) -> Decimal:
        return _shown(amount, unit)

    line_out = tuple(
        LineAssessment(
            index=ln.index,
            hs_code=ln.item.hs_code,
            value=ln.value,
            customs_value=ln.customs_value,
            duty=line_results[ln.index][0],
            duty_basis=ln.duty_basis,
            duty_collection=_point(ln.duty_relief, ln.duty != 0),
            category=ln.category,
            classified=ln.classified,
            tax_rate=ln.tax_rate,
            tax_base=line_results[ln.index][1],
            tax=line_results[ln.index][2],
            tax_collection=None if tax is None else _point(ln.tax_relief, True),
        )
        for ln in lines
    )
    return Assessment(
        shipment_id=shipment.id,
        rules=rules.code,
        version=version.period,
        currency=cur,
        goods_value=fix(goods),
        customs_value=fix(customs_value),
        tax_base=fix(tax_base_total),
        duty_assessed=fix(duty_assessed),
        tax_assessed=fix(tax_assessed),
        duty=fix(duty_total),
        tax=fix(tax_total),
        fees=fix(fees),
        total=fix(total),
        duty_collection=_where(duty_at),
        tax_collection=_where(tax_at),
        collected_at_border=fix(border),
        collected_at_sale=fix(duty_at["sale"] + tax_at["sale"]),
        classifications=sum(1 for ln in lines if ln.classified),
        lines=line_out,
        steps=tuple(steps),
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


def _first_special(
    version: RuleVersion,
    shipment: Shipment,
    goods: Decimal,
    customs_value: Decimal,
    cif: Decimal,
    steps: list[Step],
    rules: RuleSet,
) -> SpecialDuty | None:
    """The first special duty method whose condition and ceiling hold, with its step."""
    for special in version.duty.special:
        if not matches(special.when, shipment):
            continue
        measured = _measure(special.measure, goods, customs_value, cif)
        if special.admits(measured):
            limit = (
                ""
                if special.ceiling is None
                else f", {special.measure.replace('_', ' ')} {_money(measured, rules.currency)}"
                f" {'<=' if special.inclusive else '<'} "
                f"{_money(special.ceiling, rules.currency)}"
            )
            steps.append(
                Step(
                    "special duty",
                    f"Special duty {special.name!r} applies ({special.when.describe()}{limit}).",
                    rules.source_of(special.source),
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


def _tax_rate(
    line: _Line, shipment: Shipment, rules: RuleSet, version: RuleVersion
) -> tuple[Decimal, TaxCategory | RegionalRate | None]:
    """The tax rate of a line, and the category or regional rate it came from (if any)."""
    tax = version.tax
    assert tax is not None
    best, best_len = None, 0
    for category in tax.categories:
        length = longest_prefix(line.item.hs_code, category.hs_prefixes)
        if length > best_len:
            best, best_len = category, length
    if best is not None:
        return best.rate, best
    if tax.rate_key is not None:
        key = shipment.region if tax.rate_key == "region" else shipment.destination
        for regional in tax.rates:
            if regional.key == key:
                return regional.rate, regional
        if tax.rate is None:
            raise RateUnavailableError(
                f"Shipment {shipment.id or ''}".strip(),
                tax.rate_key,
                f"one of {', '.join(r.key for r in tax.rates)} ({rules.code} {tax.name} "
                f"has no default rate)",
                key,
            )
    assert tax.rate is not None
    return tax.rate, None


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
    if line.item.duty_rate is None:
        raise RateUnavailableError(
            f"items[{line.index}]", "duty_rate", f"{expected} ({rules.code})"
        )
    return line.item.duty_rate


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


__all__ = ["allocate", "assess", "classify", "first_threshold", "matches"]
