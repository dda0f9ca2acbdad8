"""Threshold diagnostics: notches, threshold sweeps and the incentive to split a consignment.

A de minimis threshold makes the charge jump: one cent over CAD 150 and a parcel owes duty on
all of its value. :func:`notches` finds every such jump for a basket as its value rises, how
big it is, and the dominated band above it; :func:`threshold_sweep` gives the table behind a
policy curve (revenue, parcels charged, border collections, classification work) as one
threshold moves; :func:`split_incentive` says whether sending a consignment as two parcels
lowers the charge, the behaviour de minimis thresholds invite. Everything is exact Decimal:
candidate points come from the rule set's own amounts, and each is pinned to the minor unit by
integer bisection on the exact rule, never by a float search.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import pandas as pd

from . import decide
from ._args import amount_arg, date_arg
from .assess import allocate, assess
from .compare import SUMMARY_COLUMNS, compare, summarize
from .countries import COUNTRIES
from .decide import first_threshold as applicable
from .decide import matches as holds
from .errors import ArgumentError, NotInForceError
from .explain import Assessment
from .money import CONTEXT, minor_unit, own_context, quantize, whole_units
from .rules import RuleSet, RuleVersion, Source, Threshold
from .schedules import Schedule
from .shipment import Item, Shipment

NotchKind = Literal[
    "duty threshold",
    "tax threshold",
    "low-value ceiling",
    "special-duty ceiling",
    "minimum collectable",
    "border-only fee",
]

# ---------------------------------------------------------------------------------------------
# What a threshold is measured on, computed from the rules (shared with lvs_duty.testing).


@dataclass(frozen=True)
class Measures:
    """The values thresholds are tested on: per consignment and per line.

    Keys are the threshold measures: ``goods``, ``customs_value`` and ``cif``.
    """

    consignment: dict[str, Decimal]
    lines: tuple[dict[str, Decimal], ...]


def measures(shipment: Shipment, version: RuleVersion, currency: str) -> Measures:
    """Goods, customs and CIF value of a shipment and of each line, in the regime currency.

    Valued as the rule version says: factor, FOB or CIF, transport spread over lines by value.
    """
    unit = minor_unit(currency)
    factor = version.valuation.factor
    mode = version.rounding.mode
    values = [item.value for item in shipment.items]
    valued = (
        values
        if factor == 1
        else [quantize(CONTEXT.multiply(v, factor), unit, mode) for v in values]
    )
    ship = allocate(shipment.shipping, valued, unit)
    ins = allocate(shipment.insurance, valued, unit)
    cif = [CONTEXT.add(CONTEXT.add(v, s), i) for v, s, i in zip(valued, ship, ins, strict=True)]
    customs = cif if version.valuation.basis == "CIF" else valued
    total_cif = sum(valued, Decimal(0)) + shipment.shipping + shipment.insurance
    return Measures(
        {
            "goods": sum(values, Decimal(0)),
            "customs_value": sum(customs, Decimal(0)),
            "cif": total_cif,
        },
        tuple(
            {"goods": v, "customs_value": c, "cif": f}
            for v, c, f in zip(values, customs, cif, strict=True)
        ),
    )


def admitted(threshold: Threshold, shipment: Shipment, measured: Measures) -> list[bool]:
    """Whether each line is within the threshold (all alike for a consignment threshold)."""
    quantities = [item.quantity for item in shipment.items]
    return decide.admitted(threshold, measured.consignment, measured.lines, quantities)


EXACT_QUANTUM = Decimal("1E-30")
"""The rounding quantum of :func:`exact_rules`: far below any amount a customs office meets."""


def exact_rules(rules: RuleSet) -> RuleSet:
    """The same rules rounding to 1E-30, with no duty, tax-base or component quanta.

    What the charges would be without rounding (up to 1E-30): the reference against which
    rounding is judged, and the smooth charge against which a notch is told from a kink.
    """
    data = rules.model_dump(mode="python", round_trip=True)
    for version in data["versions"]:
        version["rounding"].update(quantum=EXACT_QUANTUM, duty_quantum=None, tax_base_quantum=None)
        if version.get("tax"):
            for component in version["tax"].get("components", ()):
                component["quantum"] = None
    return RuleSet.model_validate(data)


# ---------------------------------------------------------------------------------------------
# Argument checks.


def _rules_arg(fn: str, rules: object) -> RuleSet:
    if not isinstance(rules, RuleSet):
        raise ArgumentError(
            fn, "rules", "a lvs_duty.RuleSet (see load_rules)", type(rules).__name__
        )
    return rules


def _money(currency: str, amount: Decimal) -> str:
    return f"{currency} {amount}"


# ---------------------------------------------------------------------------------------------
# Notches.


@dataclass(frozen=True)
class Notch:
    """One discontinuity of the total charge as a basket's goods value rises.

    ``at`` is the last goods value on the lower side (the threshold value: CAD 150.00 for an
    inclusive CAD 150 de minimis on the goods); one minor unit above it the charge is
    ``total_above`` instead of ``total_at``. ``jump`` is that change as the buyer sees it;
    ``excess`` the part of it the rules' flip causes (the jump less what the charge would have
    risen by anyway, computed with the rules held on their lower side). A kink, where only the
    slope changes (Brazil's 20% to 60% less USD 20 at USD 50), is no notch even when rounding
    shows a cent one unit above it: the unrounded charges must jump by a minor unit or more.
    Several rules may flip at one value (a duty and a tax threshold of the same amount): they
    make one notch, listed in ``kinds`` and ``rules``.

    ``dominated_to`` ends the dominated band ``(at, dominated_to]``: values above the notch at
    which the goods net of charges, ``value - total``, are worth less than at the notch, so
    the buyer pays more in total (price plus charges) than the extra goods are worth; no
    buyer who could stop at ``at`` gains by buying there. None when the jump is not upward or
    the very next unit already recovers it.
    """

    at: Decimal
    kinds: tuple[NotchKind, ...]
    rules: tuple[str, ...]
    total_at: Decimal
    total_above: Decimal
    jump: Decimal
    excess: Decimal
    dominated_to: Decimal | None

    @property
    def rule(self) -> str:
        """The rules that flip at this value, in words, joined by "; "."""
        return "; ".join(self.rules)

    @property
    def band(self) -> tuple[Decimal, Decimal] | None:
        """The dominated band as (first, last) goods value, both inclusive; None if empty."""
        if self.dominated_to is None:
            return None
        step = Decimal(1).scaleb(self.at.as_tuple().exponent)  # type: ignore[arg-type]
        return self.at + step, self.dominated_to


def notch_table(found: Iterable[Notch]) -> pd.DataFrame:
    """Notches as a table: at, kind, rule (also as ``label``), totals, jump, excess, band end.

    The frame :func:`lvs_duty.plot.threshold_curve` accepts as ``notches``.
    """
    columns = ["at", "kind", "rule", "total_at", "total_above", "jump", "excess", "dominated_to"]
    rows = [
        [
            n.at,
            " + ".join(n.kinds),
            n.rule,
            n.total_at,
            n.total_above,
            n.jump,
            n.excess,
            n.dominated_to,
        ]
        for n in found
    ]
    table = pd.DataFrame(rows, columns=columns, dtype=object)
    table["label"] = table["rule"]
    return table


_Edge = tuple[int, NotchKind, str, Callable[[int, RuleSet], RuleSet] | None]
"""A candidate notch: last value on the lower side, kind, rule, counterfactual maker."""


@dataclass
class _Path:
    """A basket whose goods value is scaled: value V (minor units) spread over its lines."""

    rules: RuleSet
    basket: Shipment
    weights: list[Decimal]
    on: dt.date
    unit: Decimal
    # assessments by rule set and value; each entry holds its rule set, so the id of a
    # counterfactual rule set cannot be reused by another while its results are cached
    cache: dict[int, tuple[RuleSet, dict[int, Assessment]]]
    unrounded: RuleSet | None = None

    def at(self, units: int) -> Shipment:
        values = allocate(CONTEXT.multiply(Decimal(units), self.unit), self.weights, self.unit)
        lines = tuple(
            item.model_copy(update={"value": v})
            for item, v in zip(self.basket.items, values, strict=True)
        )
        return self.basket.model_copy(update={"items": lines})

    def assess(self, units: int, rules: RuleSet | None = None) -> Assessment:
        regime = rules or self.rules
        _, results = self.cache.setdefault(id(regime), (regime, {}))
        if units not in results:
            results[units] = assess(self.at(units), regime, on=self.on)
        return results[units]

    def total(self, units: int) -> Decimal:
        return self.assess(units).total

    def exact(self) -> RuleSet:
        if self.unrounded is None:
            self.unrounded = exact_rules(self.rules)
        return self.unrounded


def _last_true(test: Callable[[int], bool], low: int, high: int) -> int | None:
    """The last V in [low, high] where ``test`` holds, for a test true then false over it.

    None unless it holds at ``low`` and fails at ``high``.
    """
    if not test(low) or test(high):
        return None
    while high - low > 1:
        middle = (low + high) // 2
        if test(middle):
            low = middle
        else:
            high = middle
    return low


_CEILING = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_CEILING,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero],
)


def _with_amount(rules: RuleSet, index: int, path: tuple[Any, ...], amount: Decimal) -> RuleSet:
    """The rules with one amount of version ``index`` replaced and made inclusive.

    The counterfactual that keeps a rule on its lower side one unit further up.
    """
    data = rules.model_dump(mode="python", round_trip=True)
    node = data["versions"][index]
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = amount
    node["inclusive"] = True
    return RuleSet.model_validate(data)


def _top_units(fn: str, version: RuleVersion, unit: Decimal, cur: str, max_value: object) -> int:
    """The highest value searched, in minor units.

    ``max_value``, or twice the largest threshold or ceiling amount (at least 100 units of the
    currency).
    """
    amounts = [t.amount for t in version.thresholds]
    if version.duty.low_value is not None:
        amounts.append(version.duty.low_value.ceiling)
    amounts.extend(sp.ceiling for sp in version.duty.special if sp.ceiling is not None)
    if max_value is None:
        top = max(
            [CONTEXT.multiply(a, Decimal(2)) for a in amounts]
            + [Decimal(100) if unit < 1 else Decimal(10_000)]
        )
    else:
        top = amount_arg(fn, "max_value", max_value)
        if top <= 0:
            raise ArgumentError(fn, "max_value", "a positive amount", max_value)
    high = whole_units(top, unit)
    if high < 1:
        raise ArgumentError(fn, "max_value", f"at least one minor unit of {cur}", max_value)
    return high


def _threshold_edges(path: _Path, version: RuleVersion, at_index: int, high: int) -> list[_Edge]:
    """The edges of the duty and tax thresholds that apply (per line for per-item ones)."""
    regime, shipment = path.rules, path.basket
    cur = regime.currency
    found: list[_Edge] = []
    probe = path.at(0)
    for kind in ("duty", "tax"):
        threshold = applicable(version, probe, kind)
        if threshold is None:
            continue
        index = version.thresholds.index(threshold)
        label = (
            f"{kind} threshold {threshold.name!r} ({threshold.measure} "
            f"{threshold.comparison} {_money(cur, threshold.amount)}"
            f"{', per item' if threshold.scope == 'item' else ''})"
        )
        lines = range(len(shipment.items)) if threshold.scope == "item" else [None]
        for line in lines:
            edge = _threshold_edge(path, version, threshold, line, cur, high)
            if edge is None:
                continue

            def counterfactual(
                b: int,
                base: RuleSet,
                t: Threshold = threshold,
                i: int = index,
                j: int | None = line,
            ) -> RuleSet:
                m = measures(path.at(b + 1), version, cur)
                value = (
                    m.consignment[t.measure]
                    if j is None
                    else _CEILING.divide(m.lines[j][t.measure], Decimal(shipment.items[j].quantity))
                )
                return _with_amount(base, at_index, ("thresholds", i, "amount"), value)

            kind_name: NotchKind = "duty threshold" if kind == "duty" else "tax threshold"
            where = "" if line is None else f", line {line + 1}"
            found.append((edge, kind_name, label + where, counterfactual))
    return found


def _ceiling_edges(path: _Path, version: RuleVersion, at_index: int, high: int) -> list[_Edge]:
    """The edges of the low-value ceiling and of the special-duty ceilings that apply."""
    cur = path.rules.currency
    probe = path.at(0)
    found: list[_Edge] = []
    low = version.duty.low_value
    if low is not None:
        edge = _last_true(_under(path, version, low.admits, low.measure, cur), 0, high)
        if edge is not None:

            def ceiling_cf(b: int, base: RuleSet) -> RuleSet:
                m = measures(path.at(b + 1), version, cur).consignment[low.measure]
                return _with_amount(base, at_index, ("duty", "low_value", "ceiling"), m)

            sign = "<=" if low.inclusive else "<"
            found.append(
                (
                    edge,
                    "low-value ceiling",
                    f"low-value duty ceiling ({low.measure} {sign} {_money(cur, low.ceiling)})",
                    ceiling_cf,
                )
            )
    for i, special in enumerate(version.duty.special):
        if special.ceiling is None or not holds(special.when, probe):
            continue
        edge = _last_true(_under(path, version, special.admits, special.measure, cur), 0, high)
        if edge is not None:

            def special_cf(
                b: int, base: RuleSet, i: int = i, measure: str = special.measure
            ) -> RuleSet:
                m = measures(path.at(b + 1), version, cur).consignment[measure]
                return _with_amount(base, at_index, ("duty", "special", i, "ceiling"), m)

            sign = "<=" if special.inclusive else "<"
            found.append(
                (
                    edge,
                    "special-duty ceiling",
                    f"special duty {special.name!r} "
                    f"ceiling ({special.measure} {sign} {_money(cur, special.ceiling)})",
                    special_cf,
                )
            )
    return found


@own_context
def notches(
    rules: RuleSet,
    basket: Shipment | Item,
    *,
    on: dt.date | None = None,
    max_value: Decimal | int | str | None = None,
) -> list[Notch]:
    """Every discontinuity of the total charge as the goods value of ``basket`` rises.

    ``basket`` is a Shipment (its lines keep their shares of the goods value as it scales,
    spread in whole minor units; transport, quantities and other fields stay) or a single
    Item (sent alone to the regime's country). Candidate points come from the version in force
    (``on``, else the basket's date): the duty and tax thresholds that apply (per consignment,
    or per line for per-item thresholds), the low-value ceiling, and, where the version has
    them, minimum collectable amounts and border-only fees; each is pinned to the minor unit by
    bisection on the exact rule. Values run from 0 to ``max_value`` (default: twice the
    largest threshold or ceiling amount, at least 100 units of the currency). Sorted by value.

    >>> from lvs_duty import Item, load_rules
    >>> found = notches(load_rules("AU"), Item("640399", "1", duty_rate="0.05"),
    ...                 on=dt.date(2026, 1, 1))
    >>> [(n.at, n.kinds, n.total_at, n.total_above, n.dominated_to) for n in found]
    [(Decimal('1000.00'), ('duty threshold', 'tax threshold'), Decimal('100.00'), Decimal('155.00'), Decimal('1065.07'))]

    At AUD 1,000.00 GST of 10% is collected at sale (AUD 100.00); at AUD 1,000.01 duty of 5%
    (50.0005, rounded 50.00) is due and GST moves to the border on value plus duty (10% of
    1,050.01 = 105.001, rounded 105.00): AUD 155.00. Net of charges the goods are worth
    900.00 at the notch; at AUD 1,065.07 they are worth 1,065.07 - 53.25 - 111.83 = 899.99,
    at 1,065.08 exactly 900.00 again, so the dominated band ends at AUD 1,065.07.
    """  # noqa: E501
    fn = "notches"
    regime = _rules_arg(fn, rules)
    when = date_arg(fn, on, regime)
    shipment = _basket(fn, basket, regime, when)
    date = when or shipment.date
    try:
        version = regime.at(date)
    except NotInForceError as exc:
        raise ArgumentError(
            fn,
            "basket",
            f"a shipment dated when {regime.code} is in force ({', '.join(exc.periods)}), or on=",
            shipment.date,
        ) from None
    unit = regime.minor_unit
    cur = regime.currency
    high = _top_units(fn, version, unit, cur, max_value)
    weights = [item.value for item in shipment.items]
    if not any(weights):
        weights = [Decimal(item.quantity) for item in shipment.items]
    path = _Path(regime, shipment, weights, date, unit, {})
    at_index = regime.versions.index(version)
    found = _threshold_edges(path, version, at_index, high)
    found += _ceiling_edges(path, version, at_index, high)
    found.extend(_collection_edges(path, version, sorted({f[0] for f in found}), high, cur))
    out = []
    for b in sorted({f[0] for f in found}):
        notch = _notch(path, b, [f for f in found if f[0] == b], high)
        if notch is not None:
            out.append(notch)
    return out


def _basket(fn: str, basket: object, rules: RuleSet, on: dt.date | None) -> Shipment:
    if isinstance(basket, Item):
        home = rules.code.split("+")[0]
        if home not in COUNTRIES:
            raise ArgumentError(
                fn,
                "basket",
                f"a Shipment: rule set {rules.code!r} names no country to send a lone Item to",
                "an Item",
            )
        date = on or rules.versions[-1].valid_from
        return Shipment(home, date, rules.currency, [basket])
    if not isinstance(basket, Shipment):
        raise ArgumentError(fn, "basket", "a Shipment or an Item", type(basket).__name__)
    if basket.currency != rules.currency:
        raise ArgumentError(
            fn, "basket", f"a shipment in the regime currency {rules.currency}", basket.currency
        )
    return basket


def _threshold_edge(
    path: _Path,
    version: RuleVersion,
    threshold: Threshold,
    line: int | None,
    currency: str,
    high: int,
) -> int | None:
    def within(v: int) -> bool:
        shipment = path.at(v)
        verdicts = admitted(threshold, shipment, measures(shipment, version, currency))
        return verdicts[0 if line is None else line]

    return _last_true(within, 0, high)


def _collection_edges(
    path: _Path, version: RuleVersion, edges: list[int], high: int, currency: str
) -> list[_Edge]:
    """Where a minimum collectable stops waiving, or a border-only fee starts.

    Searched in each stretch between the threshold edges, where the amounts only rise.
    """
    tests: list[tuple[NotchKind, str, Callable[[Assessment], bool]]] = []
    together = version.min_collectable
    for kind, own in (
        ("duty", version.duty.min_collectable),
        ("tax", version.tax.min_collectable if version.tax else None),
    ):
        named = [f"{kind} {_money(currency, own.amount)}"] if own is not None else []
        if together is not None:
            named.append(f"duty and tax together {_money(currency, together.amount)}")
        if named:
            tests.append(
                (
                    "minimum collectable",
                    f"{kind} no longer waived under the minimum collectable ({'; '.join(named)})",
                    _nothing(kind),
                )
            )
    if any(fee.border_only for fee in version.fees):
        tests.append(
            (
                "border-only fee",
                "fees due only with a border collection",
                lambda a: not a.border_collection,
            )
        )
    out: list[_Edge] = []
    starts = [0, *(e + 1 for e in edges)]
    ends = [*edges, high]
    for low, end in zip(starts, ends, strict=True):
        if end <= low:
            continue
        for kind, label, test in tests:
            edge = _last_true(_on_path(path, test), low, end)
            if edge is not None:
                out.append((edge, kind, label, None))
    return out


def _under(
    path: _Path,
    version: RuleVersion,
    admits: Callable[[Decimal], bool],
    measure: str,
    currency: str,
) -> Callable[[int], bool]:
    """Whether the basket at V is under a ceiling, measured as the ceiling says."""
    return lambda v: admits(measures(path.at(v), version, currency).consignment[measure])


def _nothing(kind: str) -> Callable[[Assessment], bool]:
    if kind == "duty":
        return lambda a: a.duty == 0
    return lambda a: a.tax == 0


def _on_path(path: _Path, test: Callable[[Assessment], bool]) -> Callable[[int], bool]:
    return lambda units: test(path.assess(units))


def _held(
    path: _Path, b: int, makers: list[Callable[[int, RuleSet], RuleSet]], base: RuleSet
) -> RuleSet:
    for make in makers:
        base = make(b, base)
    return base


def _notch(path: _Path, b: int, edges: list[_Edge], high: int) -> Notch | None:
    below, above = path.assess(b), path.assess(b + 1)
    jump = above.total - below.total
    makers = [e[3] for e in edges if e[3] is not None]
    if makers:
        excess = above.total - path.assess(b + 1, _held(path, b, makers, path.rules)).total
        # a kink (the slope changes, the charge does not jump) shows one unit above as a
        # rounding cent; tell it from a jump by the unrounded charges, extrapolated back to b
        exact = path.exact()
        held = _held(path, b, makers, exact)
        gaps = [path.assess(b + k, exact).total - path.assess(b + k, held).total for k in (1, 2)]
        if abs(2 * gaps[0] - gaps[1]) < path.unit:
            return None
    else:
        rise = (above.duty_assessed + above.tax_assessed) - (
            below.duty_assessed + below.tax_assessed
        )
        excess = jump - rise
    if excess == 0:
        return None
    unit = path.unit
    at = below.goods_value
    dominated = None
    if jump > 0:
        net = at - below.total

        def worse(v: int) -> bool:
            a = path.assess(v)
            return a.goods_value - a.total < net

        last = _gallop(worse, b + 1, high)
        if last is not None:
            dominated = CONTEXT.multiply(Decimal(last), unit).quantize(unit, context=CONTEXT)
    kinds = tuple(dict.fromkeys(e[1] for e in edges))
    return Notch(
        at, kinds, tuple(e[2] for e in edges), below.total, above.total, jump, excess, dominated
    )


def _gallop(test: Callable[[int], bool], start: int, high: int) -> int | None:
    """The last V of the run of ``test`` starting at ``start`` (doubling steps, then bisection)."""
    if start > high or not test(start):
        return None
    good, step = start, 1
    while True:
        probe = min(good + step, high)
        if probe == good:
            return good
        if not test(probe):
            return _last_true(test, good, probe)
        good, step = probe, step * 2


# ---------------------------------------------------------------------------------------------
# Threshold sweeps.


SWEEP_SOURCE = Source(
    title="lvs_duty.analysis.threshold_sweep: the analyst's threshold",
    note="A policy parameter, not law.",
)


def _moved(rules: RuleSet, which: str, amount: Decimal, name: str | None) -> RuleSet:
    data = rules.model_dump(mode="python", round_trip=True)
    data["code"] = f"{rules.code}+sweep"
    data["name"] = f"{rules.name}: {which} threshold at {rules.currency} {amount}"
    data["sources"] = {**data["sources"], "sweep": SWEEP_SOURCE.model_dump()}
    moved = 0
    for version in data["versions"]:
        if which == "ceiling" and name is not None:
            for special in version["duty"].get("special", ()):
                if special["name"] == name:
                    special["ceiling"] = amount
                    moved += 1
            continue
        if which == "ceiling":
            low = version["duty"].get("low_value")
            if low is not None:
                low["ceiling"] = amount
                moved += 1
            continue
        hits = [
            t
            for t in version["thresholds"]
            if t["applies_to"] == which
            and (t["name"] == name if name is not None else not t["when"].get("gift"))
        ]
        for t in hits:
            t["amount"] = amount
        moved += len(hits)
        if not hits and name is None:
            version["thresholds"] = [
                *version["thresholds"],
                {
                    "name": f"swept {which} threshold",
                    "applies_to": which,
                    "amount": amount,
                    "inclusive": True,
                    "source": ("sweep",),
                },
            ]
            moved += 1
    if moved == 0:
        what = (
            "a low-value duty ceiling in some version"
            if which == "ceiling" and name is None
            else f"a special duty named {name!r}"
            if which == "ceiling"
            else f"a {which} threshold named {name!r}"
        )
        raise ArgumentError(
            "threshold_sweep",
            "name" if name is not None else "which",
            f"{what} in rule set {rules.code!r}",
            name or which,
        )
    return RuleSet.build(data, file=f"<threshold_sweep of {rules.code}>")


@own_context
def threshold_sweep(
    population: Sequence[Shipment] | pd.DataFrame,
    rules: RuleSet,
    thresholds: Iterable[Decimal | int | str],
    which: Literal["duty", "tax", "ceiling"] = "duty",
    *,
    name: str | None = None,
    schedule: Schedule | None = None,
) -> pd.DataFrame:
    """Revenue, parcels charged, border collections and classification work as a threshold moves.

    For each amount in ``thresholds`` a new rule set is built from ``rules`` (never changed)
    with the threshold moved there, in every version: ``which="duty"`` or ``"tax"`` moves
    every threshold of that kind except gift reliefs (``when.gift = true``, kept as they are),
    or only the one called ``name``; a version with none gets one (inclusive, on the customs
    value, exempt). ``which="ceiling"`` moves the low-value duty ceiling, or with ``name`` the
    ceiling of the special duty of that name (Brazil's USD 50). The population (a
    list of Shipment or a canonical frame) is assessed under each; one row per amount, in the
    given order, with the columns of :func:`lvs_duty.summarize` after ``threshold``.

    >>> from lvs_duty import Item, Shipment, load_rules
    >>> parcels = [Shipment("AU", "2026-02-01", "AUD", [Item("640399", v, duty_rate="0.05")])
    ...            for v in ("400.00", "800.00")]
    >>> sweep = threshold_sweep(parcels, load_rules("AU"), [0, 500, 1000], which="duty")
    >>> sweep[["threshold", "border_collection_events", "duty", "revenue"]].values.tolist()
    [[Decimal('0'), 2, Decimal('60.00'), Decimal('180.00')], [Decimal('500'), 1, Decimal('40.00'), Decimal('160.00')], [Decimal('1000'), 0, Decimal('0.00'), Decimal('120.00')]]

    GST stays at sale under its own AUD 1,000 threshold: 10% of 400 + 800 = 120.00 in every
    row. With the duty threshold at 0 both parcels pay 5% duty at the border (20 + 40); at
    AUD 500 only the AUD 800 parcel does (40); at AUD 1,000 neither.
    """  # noqa: E501
    fn = "threshold_sweep"
    regime = _rules_arg(fn, rules)
    if which not in ("duty", "tax", "ceiling"):
        raise ArgumentError(fn, "which", "'duty', 'tax' or 'ceiling'", which)
    if name is not None and not isinstance(name, str):
        raise ArgumentError(
            fn,
            "name",
            "the name of a threshold (or of a special duty, with which='ceiling'), or None",
            name,
        )
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Iterable):
        raise ArgumentError(fn, "thresholds", "a list of amounts", thresholds)
    amounts = [amount_arg(fn, f"thresholds[{i}]", t) for i, t in enumerate(thresholds)]
    if not amounts:
        raise ArgumentError(fn, "thresholds", "at least one amount", "[]")
    moved = {str(i): _moved(regime, which, amount, name) for i, amount in enumerate(amounts)}
    if isinstance(population, pd.DataFrame):
        # The frame path: the table is read once and each moved rule set is one vectorised
        # pass, with the same amounts as the per-shipment path.
        summary = summarize(compare(population, moved, amounts="minor", schedule=schedule))
    elif isinstance(population, (list, tuple)):
        for i, parcel in enumerate(population):
            if not isinstance(parcel, Shipment):
                raise ArgumentError(fn, f"population[{i}]", "a Shipment", type(parcel).__name__)
        summary = summarize(compare(list(population), moved, schedule=schedule))
    else:
        raise ArgumentError(
            fn, "population", "a list of Shipment or a canonical frame", type(population).__name__
        )
    rows = []
    for amount, (_, row) in zip(amounts, summary.iterrows(), strict=True):
        rows.append({"threshold": amount, **row.drop("option").to_dict()})
    columns = ["threshold", *(c for c in SUMMARY_COLUMNS if c != "option")]
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------------
# Splitting a consignment.


@dataclass(frozen=True)
class SplitIncentive:
    """Whether sending a consignment as two parcels lowers the total charge, and by how much.

    ``parts`` is the cheapest split found (None when no split is possible: one line of one
    unit worth one minor unit); ``saving = total - split_total`` (positive: splitting pays).
    """

    total: Decimal
    split_total: Decimal
    saving: Decimal
    parts: tuple[Shipment, Shipment] | None
    how: str

    @property
    def lowers(self) -> bool:
        """Whether the best split costs the buyer less in charges than the whole consignment."""
        return self.saving > 0


def _halves(
    shipment: Shipment, first: list[Item], second: list[Item], unit: Decimal
) -> tuple[Shipment, Shipment]:
    weights = [
        sum((i.value for i in first), Decimal(0)),
        sum((i.value for i in second), Decimal(0)),
    ]
    ship = allocate(shipment.shipping, weights, unit)
    ins = allocate(shipment.insurance, weights, unit)
    name = shipment.id or "split"
    return tuple(  # type: ignore[return-value]
        shipment.model_copy(
            update={"items": tuple(lines), "shipping": s, "insurance": i, "id": f"{name}-{tag}"}
        )
        for lines, s, i, tag in ((first, ship[0], ins[0], "a"), (second, ship[1], ins[1], "b"))
    )


def _split_line(item: Item, unit: Decimal) -> tuple[Item, Item] | None:
    q = item.quantity
    if q >= 2:
        shares = [Decimal(q // 2), Decimal(q - q // 2)]
        quantities = [q // 2, q - q // 2]
    else:
        if item.value < 2 * unit:
            return None
        shares, quantities = [Decimal(1), Decimal(1)], [1, 1]
    values = allocate(item.value, shares, unit)

    def part(k: int) -> Item:
        share = CONTEXT.divide(shares[k], shares[0] + shares[1])
        update: dict[str, Any] = {"value": values[k], "quantity": quantities[k]}
        for field in ("weight_kg", "volume_l"):
            amount = getattr(item, field)
            if amount is not None:
                update[field] = CONTEXT.multiply(amount, share)
        return item.model_copy(update=update)

    return part(0), part(1)


@own_context
def split_incentive(
    shipment: Shipment,
    rules: RuleSet,
    *,
    on: dt.date | None = None,
    max_lines: int = 12,
) -> SplitIncentive:
    """Whether splitting the consignment in two lowers the total charge, and by how much.

    Every split of its lines into two non-empty parcels is tried (a single line is halved: its
    quantity, or its value when it is one unit; weight and volume follow). Transport and
    insurance are shared between the parcels in proportion to their goods value. Up to
    ``max_lines`` lines (2**(n-1) - 1 splits).

    >>> from lvs_duty import Item, Shipment, load_rules
    >>> parcel = Shipment("CA", "2026-03-01", "CAD", [Item("610910", "100.00", duty_rate="0.18"),
    ...                   Item("640399", "100.00", duty_rate="0.18")], ship_from="US", region="ON")
    >>> result = split_incentive(parcel, load_rules("CA"))
    >>> result.total, result.split_total, result.saving, result.how
    (Decimal('66.68'), Decimal('26.00'), Decimal('40.68'), 'lines 1 | 2')

    Whole, CAD 200 is over the CUSMA CAD 150 duty de minimis: duty 18% = 36.00 and HST 13% of
    236.00 = 30.68, total 66.68. As two CAD 100 parcels each is within the duty de minimis
    and over the CAD 40 tax one: HST 13.00 each, 26.00 in all.
    """
    fn = "split_incentive"
    regime = _rules_arg(fn, rules)
    if not isinstance(shipment, Shipment):
        raise ArgumentError(fn, "shipment", "a Shipment", type(shipment).__name__)
    when = date_arg(fn, on, regime)
    if isinstance(max_lines, bool) or not isinstance(max_lines, int) or not 1 <= max_lines <= 20:
        raise ArgumentError(fn, "max_lines", "an int from 1 to 20", max_lines)
    if len(shipment.items) > max_lines:
        raise ArgumentError(
            fn,
            "shipment",
            f"at most max_lines={max_lines} lines (2**(n-1) - 1 splits are tried)",
            f"{len(shipment.items)} lines",
        )
    unit = minor_unit(regime.currency)
    total = assess(shipment, regime, on=when).total
    candidates: list[tuple[tuple[Shipment, Shipment], str]] = []
    lines = list(shipment.items)
    if len(lines) == 1:
        halves = _split_line(lines[0], unit)
        if halves is not None:
            how = "its one line halved"
            candidates.append((_halves(shipment, [halves[0]], [halves[1]], unit), how))
    else:
        rest = range(1, len(lines))
        for size in range(0, len(lines) - 1):
            for chosen in itertools.combinations(rest, size):
                first = [0, *chosen]
                second = [i for i in range(len(lines)) if i not in first]
                how = (
                    f"lines {', '.join(str(i + 1) for i in first)} | "
                    f"{', '.join(str(i + 1) for i in second)}"
                )
                candidates.append(
                    (
                        _halves(
                            shipment, [lines[i] for i in first], [lines[i] for i in second], unit
                        ),
                        how,
                    )
                )
    best: tuple[Decimal, tuple[Shipment, Shipment] | None, str] = (total, None, "not split")
    for parts, how in candidates:
        cost = sum((assess(p, regime, on=when).total for p in parts), Decimal(0))
        if best[1] is None or cost < best[0]:
            best = (cost, parts, how)
    return SplitIncentive(total, best[0], total - best[0], best[1], best[2])


__all__ = [
    "SWEEP_SOURCE",
    "Measures",
    "Notch",
    "NotchKind",
    "SplitIncentive",
    "admitted",
    "applicable",
    "holds",
    "measures",
    "notch_table",
    "notches",
    "split_incentive",
    "threshold_sweep",
]
