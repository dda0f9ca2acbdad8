"""Hypothesis strategies for shipments, rule sets and shipment tables, built from the models.

The same models that validate a declaration generate test data here, so whatever is drawn
validates. :func:`shipments` concentrates values where rule tables are fragile: at, one minor
unit below and one minor unit above every de minimis threshold and low-value ceiling of the
rule version in force, in the regime's currency, with shipment fields (mode, ship-from country,
destination, region, gift) that satisfy the threshold's ``when`` condition most of the time.
:func:`rule_sets` draws valid regimes of every kind the schema allows, so a property can be
tested against rules nobody has written yet.

Needs the optional extra: ``pip install 'lvs_duty[testing]'``. Every argument is checked
before any drawing, and a bad one raises :class:`~lvs_duty.errors.ArgumentError` naming it.

>>> from hypothesis import Phase, find, settings
>>> from lvs_duty import load_rules
>>> quick = settings(phases=[Phase.generate], database=None, max_examples=1000)
>>> find(shipments(load_rules("CA")), lambda s: s.goods_value == 150, settings=quick).currency
'CAD'
"""

from __future__ import annotations

try:
    from hypothesis import strategies as st
    from hypothesis.strategies import SearchStrategy
except ImportError as _missing:  # pragma: no cover - exercised in a subprocess-free test
    raise ImportError(
        "lvs_duty.strategies needs hypothesis, an optional dependency: "
        "pip install 'lvs_duty[testing]'"
    ) from _missing

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal, get_args

import pandas as pd

from ._args import amount_arg, date_arg
from .assess import allocate
from .countries import COUNTRIES, subdivisions
from .errors import ArgumentError
from .money import (
    CONTEXT,
    CURRENCIES,
    ROUNDING_MODES,
    RoundingMode,
    from_minor,
    minor_digits,
    minor_unit,
    quantize,
    whole_units,
)
from .rules import (
    CategoryDuty,
    Condition,
    DutyMethod,
    ExcludedFrom,
    Measure,
    RateBandDuty,
    RuleSet,
    RuleVersion,
    covered_destinations,
    known_regions,
)
from .shipment import HS_CHAPTERS, Item, Shipment

DUTY_KINDS: tuple[str, ...] = ("mfn", "free", "flat", "categories", "rate_bands")
"""The duty method kinds :func:`rule_sets` can draw."""

_MODES: tuple[Literal["post", "courier"], ...] = ("courier", "post")
_SHIP_FROM = ("US", "MX", "CN", "DE", "GB")
_DESTINATIONS = ("FR", "DE", "IT")
_REGIONS = ("ON", "QC", "NS")
_PREFIXES = (
    "61",
    "6109",
    "62",
    "64",
    "4901",
    "2203",
    "2204",
    "2208",
    "24",
    "8517",
    "851712",
    "95",
    "3303",
    "10",
)
_EXCLUDED_FROM: tuple[str, ...] = get_args(ExcludedFrom)
CONDITION_VALUES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "mode": _MODES,
        "ship_from": _SHIP_FROM[:3],
        "origin": _SHIP_FROM[1:4],
        "destination": _DESTINATIONS,
        "region": _REGIONS,
    }
)
"""The values :func:`rule_sets` draws for each field of a ``when`` condition (and for regional
tax keys): draw shipments from these, and from values outside them, to meet every branch.
Booleans aside, one field is not here: ``without_hs`` is drawn from the HS prefixes the rule
sets use elsewhere (a shipment meets it through its lines' HS codes)."""
_FIRST_DATE = dt.date(2015, 1, 1)
_LAST_DATE = dt.date(2030, 12, 31)

# ---------------------------------------------------------------------------------------------
# Argument checks: every public argument is checked before anything is drawn.


def _fail(function: str, argument: str, expected: str, got: object) -> ArgumentError:
    return ArgumentError(function, argument, expected, got)


def _int_arg(function: str, name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(function, name, f"an int from {low} to {high}", value)
    return value


def _bool_arg(function: str, name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _fail(function, name, "True or False", value)
    return value


def _currency_arg(function: str, value: object) -> str:
    if not isinstance(value, str) or value not in CURRENCIES:
        raise _fail(
            function,
            "currency",
            f"an ISO 4217 code lvs_duty knows ({', '.join(CURRENCIES)})",
            value,
        )
    return value


def _rules_arg(function: str, value: object) -> RuleSet | None:
    if value is not None and not isinstance(value, RuleSet):
        raise _fail(function, "rules", "a lvs_duty.RuleSet or None", type(value).__name__)
    return value


def _prefix_arg(function: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise _fail(function, "prefixes", "a list or tuple of HS prefixes (2 to 10 digits)", value)
    for prefix in value:
        if not (
            isinstance(prefix, str)
            and prefix.isascii()
            and prefix.isdigit()
            and 2 <= len(prefix) <= 10
        ):
            raise _fail(function, "prefixes", "HS prefixes of 2 to 10 digits", prefix)
    return tuple(value)


def _interval(function: str, low_name: str, low: object, high_name: str, high: object) -> None:
    if isinstance(low, (int, Decimal)) and isinstance(high, (int, Decimal)) and high < low:
        raise _fail(
            function,
            high_name,
            f"at least {low_name}={low}; cannot have {high_name}={high} < {low_name}={low}",
            high,
        )


# ---------------------------------------------------------------------------------------------
# Money and HS codes.


def _units(currency: str, amount: Decimal, up: bool) -> int:
    scaled = amount.scaleb(minor_digits(currency), context=CONTEXT)
    whole = scaled.to_integral_value(
        rounding="ROUND_CEILING" if up else "ROUND_FLOOR", context=CONTEXT
    )
    return int(whole)


def _scale(currency: str) -> Decimal:
    """A plausible size of "one unit" of money: 1 for dollars and euros, 100 for yen or won."""
    return Decimal(1) if minor_digits(currency) else Decimal(100)


def _value_range(
    fn: str, currency: object, min_value: object, max_value: object
) -> tuple[str, Decimal, Decimal]:
    """The currency and the amount range of ``money`` and ``items``, checked up front."""
    cur = _currency_arg(fn, currency)
    low = amount_arg(fn, "min_value", min_value)
    high = amount_arg(fn, "max_value", max_value)
    _interval(fn, "min_value", low, "max_value", high)
    return cur, low, high


def money(
    currency: str,
    *,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = 10_000,
) -> SearchStrategy[Decimal]:
    """Amounts in ``currency``, whole minor units from ``min_value`` to ``max_value``.

    Never a float, never more decimal places than the currency has (2 for CAD, 0 for JPY).

    >>> from hypothesis import find
    >>> find(money("CAD", min_value="19.995"), lambda amount: amount > 20)
    Decimal('20.01')
    """
    fn = "money"
    cur, low, high = _value_range(fn, currency, min_value, max_value)
    lo, hi = _units(cur, low, up=True), _units(cur, high, up=False)
    if hi < lo:
        raise _fail(
            fn,
            "max_value",
            f"room for one amount in whole {cur} minor units between "
            f"min_value={low} and max_value={high}",
            high,
        )
    return st.integers(lo, hi).map(lambda units: from_minor(units, cur))


def hs_codes(
    *,
    prefixes: Sequence[str] = (),
    min_digits: int = 6,
    max_digits: int = 10,
) -> SearchStrategy[str]:
    """HS codes as digit strings of ``min_digits`` to ``max_digits`` digits.

    With ``prefixes``, every code starts with one of them (a prefix longer than ``min_digits``
    gives codes of at least its own length), so drawn lines fall in a rule's categories and
    exclusions rather than next to them.

    >>> from hypothesis import find
    >>> find(hs_codes(prefixes=["6109"]), lambda code: True)
    '610900'
    """
    fn = "hs_codes"
    pool = _prefix_arg(fn, prefixes)
    low = _int_arg(fn, "min_digits", min_digits, 2, 10)
    high = _int_arg(fn, "max_digits", max_digits, 2, 10)
    _interval(fn, "min_digits", low, "max_digits", high)
    if not pool:  # a chapter that exists, then any digits
        return st.integers(low, high).flatmap(
            lambda n: st.builds(
                str.__add__,
                st.sampled_from(sorted(HS_CHAPTERS)),
                st.text("0123456789", min_size=n - 2, max_size=n - 2),
            )
        )
    fits = tuple(p for p in pool if len(p) <= high)
    if not fits:
        raise _fail(
            fn, "prefixes", f"at least one prefix of at most max_digits={high} digits", list(pool)
        )
    return _prefixed_codes(fits, low, high)


@st.composite
def _prefixed_codes(draw: st.DrawFn, prefixes: tuple[str, ...], low: int, high: int) -> str:
    prefix = draw(st.sampled_from(prefixes))
    length = draw(st.integers(max(low, len(prefix)), high))
    return prefix + "".join(str(draw(st.integers(0, 9))) for _ in range(length - len(prefix)))


def _rates(points: Sequence[Decimal] = ()) -> SearchStrategy[Decimal]:
    """MFN-style ad valorem rates: the given edge points often, any rate to 4 places otherwise."""
    exact = st.integers(0, 3000).map(lambda k: Decimal(k).scaleb(-4))
    common = st.sampled_from(
        [Decimal("0"), Decimal("0.05"), Decimal("0.065"), Decimal("0.18"), *points]
    )
    return st.one_of(common, exact)


def items(
    currency: str = "EUR",
    *,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = 2_000,
    prefixes: Sequence[str] = (),
    max_quantity: int = 3,
    details: bool = True,
    categories: Sequence[str] = (),
) -> SearchStrategy[Item]:
    """Item lines with values in ``currency``'s minor units.

    With ``details`` (the default) every line carries what any rule may ask for, its MFN
    ``duty_rate``, ``weight_kg``, ``volume_l`` and ``abv``, and an HS code of at least six
    digits, so it can be assessed under any regime. ``categories`` are names a line may carry
    as its explicit tariff category.

    >>> from hypothesis import find
    >>> find(items("JPY", min_value=10_000, max_value=50_000), lambda item: True).value
    Decimal('10000')
    """
    fn = "items"
    cur, low, high = _value_range(fn, currency, min_value, max_value)
    try:
        values = money(cur, min_value=low, max_value=high)
    except ArgumentError as exc:
        raise _fail(fn, exc.argument, exc.expected, exc.got) from None
    pool = _prefix_arg(fn, prefixes)
    most = _int_arg(fn, "max_quantity", max_quantity, 1, 10_000)
    full = _bool_arg(fn, "details", details)
    if (
        isinstance(categories, str)
        or not isinstance(categories, (list, tuple))
        or not all(isinstance(c, str) and c for c in categories)
    ):
        raise _fail(fn, "categories", "a list or tuple of category names", categories)
    return _items(values, pool, most, full, tuple(categories), ())


def _items(
    values: SearchStrategy[Decimal],
    prefixes: tuple[str, ...],
    most: int,
    full: bool,
    categories: tuple[str, ...],
    rate_points: tuple[Decimal, ...],
) -> SearchStrategy[Item]:
    codes = (
        st.one_of(hs_codes(prefixes=prefixes), hs_codes())
        if prefixes
        else hs_codes(min_digits=6 if full else 2)
    )
    category = st.one_of(st.none(), st.sampled_from(categories)) if categories else st.none()
    return _line(
        codes, values, st.integers(1, most), category, _rates(rate_points) if full else None
    )


_WEIGHTS = st.integers(1, 20_000).map(lambda k: Decimal(k).scaleb(-3))
_VOLUMES = st.integers(1, 5_000).map(lambda k: Decimal(k).scaleb(-3))
_ABVS = st.integers(0, 700).map(lambda k: Decimal(k).scaleb(-3))


@st.composite
def _line(
    draw: st.DrawFn,
    codes: SearchStrategy[str],
    values: SearchStrategy[Decimal],
    quantities: SearchStrategy[int],
    category: SearchStrategy[str | None],
    rates: SearchStrategy[Decimal] | None,
) -> Item:
    extra: dict[str, Any] = {}
    if rates is not None:
        extra = {
            "duty_rate": draw(rates),
            "weight_kg": draw(_WEIGHTS),
            "volume_l": draw(_VOLUMES),
            "abv": draw(_ABVS),
        }
    return Item(
        draw(codes), draw(values), quantity=draw(quantities), category=draw(category), **extra
    )


# ---------------------------------------------------------------------------------------------
# Shipments near the thresholds of a rule set.


@dataclass(frozen=True)
class _Target:
    """A value edge of a rule version: a threshold or the low-value ceiling."""

    scope: Literal["consignment", "item"]
    measure: Measure
    amount: Decimal
    when: Condition


@dataclass(frozen=True)
class _Plan:
    """What a rule version makes interesting to draw."""

    targets: tuple[_Target, ...]
    prefixes: tuple[str, ...]
    modes: tuple[Literal["post", "courier"], ...]
    ship_from: tuple[str, ...]
    origins: tuple[str, ...]
    destinations: tuple[str, ...]
    required_destinations: tuple[str, ...]
    regions: tuple[str, ...]
    required_regions: tuple[str, ...]
    categories: tuple[str, ...]
    rate_points: tuple[Decimal, ...]
    top: Decimal


def _method_points(
    methods: list[DutyMethod], prefixes: set[str]
) -> tuple[set[Decimal], list[set[str]]]:
    """The MFN rate edges and category names of the duty methods (their prefixes added)."""
    rate_points: set[Decimal] = set()
    category_sets: list[set[str]] = []
    for method in methods:
        if isinstance(method, CategoryDuty):
            category_sets.append({c.name for c in method.categories})
            for c in method.categories:
                prefixes.update(c.hs_prefixes)
                rate_points.update(r for r in (c.mfn_min, c.mfn_max) if r is not None)
        elif isinstance(method, RateBandDuty):
            rate_points.update(b.below for b in method.bands if b.below is not None)
    return rate_points, category_sets


def _plan(rules: RuleSet, version: RuleVersion) -> _Plan:
    targets = [_Target(t.scope, t.measure, t.amount, t.when) for t in version.thresholds]
    low = version.duty.low_value
    if low is not None:
        targets.append(_Target("consignment", low.measure, low.ceiling, Condition()))
    specials = version.duty.special
    targets.extend(
        _Target("consignment", sp.measure, sp.ceiling, sp.when)
        for sp in specials
        if sp.ceiling is not None
    )
    targets.extend(
        _Target("consignment", "customs_value", a.amount, a.when) for a in version.allowances
    )
    conditions = (
        [t.when for t in version.thresholds]
        + [f.when for f in version.fees]
        + [sp.when for sp in specials]
        + [a.when for a in version.allowances]
        + [s.when for s in version.duty.surcharges]
    )
    prefixes: set[str] = {p for e in version.exclusions for p in e.hs_prefixes}
    prefixes.update(p for c in conditions for p in (c.without_hs or ()))
    methods = (
        [version.duty.general]
        + ([low.method] if low is not None else [])
        + [sp.method for sp in specials]
    )
    rate_points, category_sets = _method_points(methods, prefixes)
    tax = version.tax
    required_destinations: tuple[str, ...] = ()
    required_regions: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    if tax is not None:
        prefixes.update(p for c in tax.categories for p in c.hs_prefixes)
        keys = tuple(r.key for r in tax.rates)
        if tax.rate is None and tax.rate_key == "destination":
            required_destinations = tuple(k for k in keys if k in COUNTRIES)
        if tax.rate is None and tax.rate_key == "region":
            required_regions = tuple(k for k in keys if _is_region(k))
    covered = covered_destinations(rules, version)
    if covered is not None:  # a destination outside the rules is refused: draw only covered ones
        required_destinations = tuple(sorted(covered))
    known = known_regions(rules, version)
    destinations = {d for c in conditions for d in (c.destination or ())}
    home = rules.code.split("+")[0]
    if home in COUNTRIES:
        destinations.add(home)
    if tax is not None and tax.rate_key == "destination":
        destinations.update(k for k in keys if k in COUNTRIES)
    regions = {r for c in conditions for r in (c.region or ()) if _is_region(r)}
    if tax is not None and tax.rate_key == "region":
        regions.update(k for k in keys if _is_region(k))
    if known is not None and not required_regions and not known.issuperset(_REGIONS):
        required_regions = tuple(sorted(regions or known))  # an unknown region is refused
    if tax is not None and tax.rate is None and tax.rate_key == "region" and covered:
        # every region of the country, not only those with a rate: a province the rates
        # forget (and no default) is a flaw check_rules must be able to find
        provinces = {r for country in covered for r in subdivisions(country)}
        required_regions = tuple(sorted(set(required_regions) | provinces))
    common = set.intersection(*category_sets) if category_sets else set()
    # a name every category method in force knows is safe to put on an item
    amounts = [t.amount for t in targets] or [Decimal(0)]
    unit = rules.minor_unit
    top = max(CONTEXT.multiply(max(amounts), Decimal(3)), _scale(rules.currency) * 100) + unit
    return _Plan(
        targets=tuple(targets),
        prefixes=tuple(sorted(prefixes)),
        modes=tuple(sorted({m for c in conditions for m in (c.mode or ())})) or _MODES,
        ship_from=tuple(sorted({s for c in conditions for s in (c.ship_from or ())})),
        origins=tuple(sorted({s for c in conditions for s in (c.origin or ())})),
        destinations=tuple(sorted(destinations)),
        required_destinations=tuple(sorted(required_destinations)),
        regions=tuple(sorted(regions)),
        required_regions=tuple(sorted(required_regions)),
        categories=tuple(sorted(common)),
        rate_points=tuple(sorted(rate_points)),
        top=top,
    )


def _is_region(key: str) -> bool:
    return 1 <= len(key) <= 3 and key.isascii() and key.isalnum() and key.upper() == key


def _pick(
    draw: st.DrawFn,
    forced: tuple[str, ...] | None,
    required: tuple[str, ...],
    pool: tuple[str, ...],
    fallback: tuple[str, ...],
    optional: bool,
) -> str | None:
    """A field value: the condition's when asked to satisfy it, a rule's required key, else any."""
    if forced:
        # a condition the rules can never assess (its keys have no rate) yields to the rates
        allowed = tuple(v for v in forced if not required or v in required) or required
        return draw(st.sampled_from(allowed or forced))
    if required:
        return draw(st.sampled_from(required))
    if optional and draw(st.booleans()):
        return None
    if pool and draw(st.integers(0, 3)) != 3:
        return draw(st.sampled_from(pool))
    return draw(st.sampled_from(fallback))


def _valued(units: int, factor: Decimal, mode: RoundingMode) -> int:
    """A line's value after the valuation factor, in whole minor units as the engine rounds it."""
    if factor == 1:
        return units
    return int(quantize(CONTEXT.multiply(Decimal(units), factor), Decimal(1), mode))


def _valued_sum(values: list[int], factor: Decimal, mode: RoundingMode) -> int:
    """Customs value of the goods in minor units, each line valued and rounded on its own."""
    return sum(_valued(v, factor, mode) for v in values)


def _solve(target: int, others: int, factor: Decimal, mode: RoundingMode) -> int:
    """Units of one line whose valued amount plus ``others`` hits ``target`` or comes closest.

    The valuation factor makes the valued amount step unevenly, so an exact hit may not exist.
    """
    want = target - others
    if want <= 0:
        return 0
    if factor == 1:
        return want
    guess = int(CONTEXT.divide(Decimal(want), factor))
    best, gap = guess, None
    for units in range(max(0, guess - 3), guess + 4):
        valued = _valued(units, factor, mode)
        if valued == want:
            return units
        if gap is None or abs(valued - want) < gap:
            best, gap = units, abs(valued - want)
    return best


def _split(total: int, weights: list[int]) -> list[int]:
    return [
        int(share) for share in allocate(Decimal(total), [Decimal(w) for w in weights], Decimal(1))
    ]


@st.composite
def _values_near(
    draw: st.DrawFn,
    target: _Target,
    lines: list[Item],
    version: RuleVersion,
    unit: Decimal,
    shipping: int,
    insurance: int,
) -> tuple[list[int], int, int]:
    """Item values (minor units) putting the target's measure at, under or over its amount.

    Transport is dropped when it alone would exceed the amount.
    """
    factor = version.valuation.factor
    mode = version.rounding.mode
    cif_basis = version.valuation.basis == "CIF"
    with_transport = target.measure == "cif" or (target.measure == "customs_value" and cif_basis)
    measured_goods = target.measure == "goods"
    offset = draw(st.sampled_from((0, -1, 1)))
    quantity = lines[0].quantity if target.scope == "item" else 1
    edge = CONTEXT.multiply(target.amount, Decimal(quantity))
    aim = max(0, whole_units(edge, unit) + offset)
    n = len(lines)
    if target.scope == "consignment":
        weights = [draw(st.integers(1, 9)) for _ in range(n)]
        if with_transport and aim < shipping + insurance:
            shipping = insurance = 0
        goods_aim = aim - (shipping + insurance if with_transport else 0)
        if measured_goods or factor == 1:
            return _split(goods_aim, weights), shipping, insurance
        rough = _split(int(CONTEXT.divide(Decimal(goods_aim), factor)), weights)
        others = _valued_sum(rough[1:], factor, mode)
        return [_solve(goods_aim, others, factor, mode), *rough[1:]], shipping, insurance
    rest = [whole_units(line.value, unit) for line in lines[1:]]
    if measured_goods:
        return [aim, *rest], shipping, insurance
    first = _solve(aim, 0, factor, mode)
    if with_transport:
        for _ in range(3):  # the line's share of transport depends on its own value
            valued = [_valued(v, factor, mode) for v in [first, *rest]]
            share = (_split(shipping, valued)[0] if sum(valued) else shipping) + (
                _split(insurance, valued)[0] if sum(valued) else insurance
            )
            first = _solve(aim, share, factor, mode)
    return [first, *rest], shipping, insurance


def shipments(
    rules: RuleSet | None = None,
    *,
    near_thresholds: bool = True,
    on: dt.date | None = None,
    currency: str | None = None,
    destination: str | None = None,
    min_items: int = 1,
    max_items: int = 4,
    max_value: Decimal | int | str | None = None,
    max_quantity: int = 3,
) -> SearchStrategy[Shipment]:
    """Consignments that can be assessed under ``rules`` (or any consignments, without rules).

    With ``rules``, shipments are in the regime's currency and dated on ``on`` (or on a day of
    a randomly chosen version). With ``near_thresholds``, most draws aim one threshold or the
    low-value ceiling of the version in force and put its measure (goods, customs value or CIF,
    per consignment or per item) at, one minor unit below or one above the amount; their
    mode, ship-from country, destination, region and gift flag satisfy the threshold's ``when``
    three times in four. Other draws spread values over the rest of the range up to
    ``max_value`` (default: three times the largest amount in the version). HS codes come from
    the rules' own prefixes half of the time; destinations and regions from their keys.

    >>> import datetime as dt
    >>> from hypothesis import Phase, find, settings
    >>> from lvs_duty import load_rules
    >>> quick = settings(phases=[Phase.generate], database=None, max_examples=1000)
    >>> s = find(shipments(load_rules("CA"), on=dt.date(2026, 1, 1)),
    ...          lambda s: s.goods_value == 20 and s.mode == "post", settings=quick)
    >>> s.goods_value, s.currency, s.date
    (Decimal('20.00'), 'CAD', datetime.date(2026, 1, 1))
    """
    fn = "shipments"
    regime = _rules_arg(fn, rules)
    _bool_arg(fn, "near_thresholds", near_thresholds)
    when = date_arg(fn, on, regime)
    if currency is not None:
        _currency_arg(fn, currency)
        if regime is not None and currency != regime.currency:
            raise _fail(
                fn,
                "currency",
                f"None or the regime's currency {regime.currency} "
                "(lvs_duty never converts in strategies)",
                currency,
            )
    if destination is not None and (
        not isinstance(destination, str) or destination not in COUNTRIES
    ):
        raise _fail(fn, "destination", "an ISO 3166-1 alpha-2 country code or None", destination)
    fewest = _int_arg(fn, "min_items", min_items, 1, 50)
    most = _int_arg(fn, "max_items", max_items, 1, 50)
    _interval(fn, "min_items", fewest, "max_items", most)
    cap = None if max_value is None else amount_arg(fn, "max_value", max_value)
    if cap is not None and cap <= 0:
        raise _fail(fn, "max_value", "a positive amount or None", max_value)
    per_line = _int_arg(fn, "max_quantity", max_quantity, 1, 10_000)
    if regime is None:
        return _free_shipments(when, currency, destination, fewest, most, cap, per_line)
    return _regime_shipments(
        regime, near_thresholds, when, destination, fewest, most, cap, per_line
    )


def _free_shipments(
    on: dt.date | None,
    currency: str | None,
    destination: str | None,
    fewest: int,
    most: int,
    cap: Decimal | None,
    per_line: int,
) -> SearchStrategy[Shipment]:
    @st.composite
    def draw_one(draw: st.DrawFn) -> Shipment:
        cur = currency or draw(st.sampled_from(sorted(CURRENCIES)))
        top = cap if cap is not None else _scale(cur) * 3000
        lines = draw(
            st.lists(
                items(cur, max_value=top, max_quantity=per_line), min_size=fewest, max_size=most
            )
        )
        transport = money(cur, max_value=_scale(cur) * 50)
        return Shipment(
            destination or draw(st.sampled_from(sorted(COUNTRIES))),
            on or draw(st.dates(_FIRST_DATE, _LAST_DATE)),
            cur,
            lines,
            ship_from=draw(st.one_of(st.none(), st.sampled_from(_SHIP_FROM))),
            origin=draw(st.one_of(st.none(), st.sampled_from(_SHIP_FROM))),
            shipping=draw(st.one_of(st.just(Decimal(0)), transport)),
            insurance=draw(st.one_of(st.just(Decimal(0)), transport)),
            mode=draw(st.sampled_from(_MODES)),
            region=draw(st.one_of(st.none(), st.sampled_from(_REGIONS))),
            gift=draw(st.booleans()),
            seller_registered=draw(st.sampled_from((None, True, False))),
        )

    return draw_one()


def _regime_shipments(
    rules: RuleSet,
    near: bool,
    on: dt.date | None,
    destination: str | None,
    fewest: int,
    most: int,
    cap: Decimal | None,
    per_line: int,
) -> SearchStrategy[Shipment]:
    plans = {id(v): _plan(rules, v) for v in rules.versions}
    cur = rules.currency
    unit = rules.minor_unit
    lines_of: dict[int, SearchStrategy[list[Item]]] = {}
    for version in rules.versions:
        plan = plans[id(version)]
        top = cap if cap is not None else plan.top
        line = _items(
            money(cur, max_value=max(unit, top)),
            plan.prefixes,
            per_line,
            True,
            plan.categories,
            plan.rate_points,
        )
        lines_of[id(version)] = st.lists(line, min_size=fewest, max_size=most)
    transport = money(cur, max_value=_scale(cur) * 60)

    @st.composite
    def draw_one(draw: st.DrawFn) -> Shipment:
        version, date = _version_and_date(draw, rules, on)
        plan = plans[id(version)]
        focus = None
        if near and plan.targets and draw(st.integers(0, 3)) != 3:
            focus = draw(st.sampled_from(plan.targets))
        satisfy = focus is not None and draw(st.integers(0, 3)) != 3
        cond = focus.when if focus is not None and satisfy else Condition()
        lines = draw(lines_of[id(version)])
        shipping = draw(st.one_of(st.just(Decimal(0)), transport))
        insurance = draw(st.one_of(st.just(Decimal(0)), transport))
        if focus is not None:
            lines, shipping, insurance = _aimed(
                draw, focus, lines, version, cur, shipping, insurance
            )
        dest = destination or _pick(
            draw,
            cond.destination,
            plan.required_destinations,
            plan.destinations,
            _DESTINATIONS,
            optional=False,
        )
        region = _pick(
            draw, cond.region, plan.required_regions, plan.regions, _REGIONS, optional=True
        )
        return Shipment(
            dest,
            date,
            cur,
            lines,
            ship_from=_pick(draw, cond.ship_from, (), plan.ship_from, _SHIP_FROM, optional=True),
            origin=_pick(draw, cond.origin, (), plan.origins, _SHIP_FROM, optional=True),
            shipping=shipping,
            insurance=insurance,
            mode=draw(st.sampled_from(cond.mode or _MODES)),
            region=region,
            gift=cond.gift if cond.gift is not None else draw(st.booleans()),
            seller_registered=(
                cond.seller_registered
                if cond.seller_registered is not None
                else draw(st.sampled_from((None, True, False)))
            ),
        )

    return draw_one()


def _version_and_date(
    draw: st.DrawFn, rules: RuleSet, on: dt.date | None
) -> tuple[RuleVersion, dt.date]:
    """The version a shipment falls in and its date: ``on``'s, or any day of a drawn version."""
    if on is not None:
        return rules.at(on), on
    version = draw(st.sampled_from(rules.versions))
    last = (
        version.valid_to - dt.timedelta(days=1)
        if version.valid_to
        else max(version.valid_from, _LAST_DATE)
    )
    return version, draw(st.dates(version.valid_from, last))


def _aimed(
    draw: st.DrawFn,
    focus: _Target,
    lines: list[Item],
    version: RuleVersion,
    cur: str,
    shipping: Decimal,
    insurance: Decimal,
) -> tuple[list[Item], Decimal, Decimal]:
    """Lines, shipping and insurance re-valued to sit at, just under or just over ``focus``."""
    unit = minor_unit(cur)
    units, ship_units, ins_units = draw(
        _values_near(
            focus,
            lines,
            version,
            unit,
            whole_units(shipping, unit),
            whole_units(insurance, unit),
        )
    )
    valued = [
        line.model_copy(update={"value": from_minor(v, cur)})
        for line, v in zip(lines, units, strict=True)
    ]
    return valued, from_minor(ship_units, cur), from_minor(ins_units, cur)


def _lines_for(rules: RuleSet, version: RuleVersion) -> SearchStrategy[Item]:
    """Lines that suit one rule version (its prefixes, categories and rate edges)."""
    plan = _plan(rules, version)
    return _items(
        money(rules.currency, max_value=plan.top),
        plan.prefixes,
        3,
        True,
        plan.categories,
        plan.rate_points,
    )


def shipment_frames(
    rules: RuleSet | None = None,
    *,
    min_shipments: int = 1,
    max_shipments: int = 10,
    **shipment_args: Any,
) -> SearchStrategy[pd.DataFrame]:
    """Shipment tables in the canonical layout of :mod:`lvs_duty.tabular`, ids ``S1``, ``S2``...

    ``shipment_args`` are those of :func:`shipments` and are checked the same way.

    >>> from hypothesis import Phase, find, settings
    >>> quick = settings(phases=[Phase.generate], database=None, max_examples=1000)
    >>> frame = find(shipment_frames(min_shipments=2, max_shipments=2), lambda f: True,
    ...              settings=quick)
    >>> list(frame["shipment_id"])
    ['S1', 'S2']
    """
    fn = "shipment_frames"
    fewest = _int_arg(fn, "min_shipments", min_shipments, 0, 100_000)
    most = _int_arg(fn, "max_shipments", max_shipments, 0, 100_000)
    _interval(fn, "min_shipments", fewest, "max_shipments", most)
    try:
        one = shipments(rules, **shipment_args)
    except TypeError as exc:
        raise _fail(fn, "shipment_args", "keyword arguments of shipments()", str(exc)) from None
    except ArgumentError as exc:
        raise _fail(fn, exc.argument, exc.expected, exc.got) from None

    def table(population: list[Shipment]) -> pd.DataFrame:
        from .tabular import shipments_to_frame

        named = [s.model_copy(update={"id": f"S{i}"}) for i, s in enumerate(population, 1)]
        return shipments_to_frame(named)

    return st.lists(one, min_size=fewest, max_size=most).map(table)


# ---------------------------------------------------------------------------------------------
# Rule sets of every kind.


def _decimal_between(low: int, high: int, places: int) -> SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda k: Decimal(k).scaleb(-places))


def _rate() -> SearchStrategy[Decimal]:
    return st.one_of(
        st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.1"), Decimal("0.2")]),
        st.sampled_from([Decimal("0.0725"), Decimal("0.065"), Decimal("0.125"), Decimal("1")]),
        _decimal_between(0, 1000, 3),
    )


def rule_sets(
    *,
    currency: str | None = None,
    max_versions: int = 2,
    duty_kinds: Sequence[str] = DUTY_KINDS,
    max_thresholds: int = 4,
) -> SearchStrategy[RuleSet]:
    """Valid random regimes: every duty method, threshold scope, relief and rounding mode.

    Drawn sets have one to ``max_versions`` contiguous dated versions; each has thresholds
    (per consignment or per item, exempt or collected at sale, with and without conditions),
    a general duty of one of ``duty_kinds`` (mfn, free, flat rate or amount per shipment, item
    or subheading, with or without a deduction, categories, rate bands), sometimes a low-value
    method under a ceiling and special methods by condition and ceiling, exclusions, a tax
    with regional rates, tax categories or components (by rate or by ratio), fees, minimum
    collectable amounts, and any rounding mode, quantum and per-line or per-shipment rounding.
    They go through the same validation as a rule file.

    >>> from hypothesis import Phase, find, settings
    >>> quick = settings(phases=[Phase.generate], database=None, max_examples=1000)
    >>> find(rule_sets(currency="JPY"), lambda r: len(r.versions) == 2, settings=quick).currency
    'JPY'
    """
    fn = "rule_sets"
    if currency is not None:
        _currency_arg(fn, currency)
    versions = _int_arg(fn, "max_versions", max_versions, 1, 10)
    if isinstance(duty_kinds, str) or not isinstance(duty_kinds, (list, tuple)) or not duty_kinds:
        raise _fail(fn, "duty_kinds", f"a non-empty list of {', '.join(DUTY_KINDS)}", duty_kinds)
    for kind in duty_kinds:
        if kind not in DUTY_KINDS:
            raise _fail(fn, "duty_kinds", f"kinds among {', '.join(DUTY_KINDS)}", kind)
    thresholds = _int_arg(fn, "max_thresholds", max_thresholds, 0, 20)
    kinds = tuple(duty_kinds)

    @st.composite
    def draw_one(draw: st.DrawFn) -> RuleSet:
        cur = currency or draw(st.sampled_from(sorted(CURRENCIES)))
        count = draw(st.integers(1, versions))
        start = draw(st.dates(dt.date(2015, 1, 1), dt.date(2025, 1, 1)))
        data: list[dict[str, Any]] = []
        for i in range(count):
            version = draw(_version(cur, kinds, thresholds))
            version["valid_from"] = start
            if i < count - 1 or draw(st.booleans()):
                start = start + dt.timedelta(days=draw(st.integers(1, 1500)))
                version["valid_to"] = start
            version.update(draw(_words(("label", "note"))))
            data.append(version)
        source = {"title": "Generated rule (lvs_duty.strategies.rule_sets)"}
        source.update(draw(_words(("url", "note"))))
        regime = {
            "code": "GEN",
            "name": "Generated regime",
            "currency": cur,
            "sources": {"law": source},
            "versions": data,
            **draw(_words(("description",))),
        }
        if draw(st.booleans()):
            regime["category_tables"] = {"table": draw(_category_table(cur))}
        _doubt(draw, regime)
        return RuleSet.build(regime, file="<rule_sets()>")

    return draw_one()


def _words(fields: tuple[str, ...]) -> SearchStrategy[dict[str, str]]:
    """Sometimes a free-text value (a label, note, description or URL) for each field."""
    return st.fixed_dictionaries(
        {}, optional={f: st.just(f"https://example.org/{f}" if f == "url" else f) for f in fields}
    )


def _doubt(draw: st.DrawFn, node: object) -> None:
    """Mark some sourced values unconfirmed or annotated with a note, all through ``node``."""
    if isinstance(node, list):
        for child in node:
            _doubt(draw, child)
    if not isinstance(node, dict):
        return
    for child in node.values():
        _doubt(draw, child)
    if "source" in node and node["source"] == "law" and draw(st.integers(0, 5)) == 0:
        node["unconfirmed"] = True
        node["note"] = "drawn"


@st.composite
def _category_table(draw: st.DrawFn, currency: str) -> dict[str, Any]:
    """A named category table shipped with the regime (for options.category_tariff)."""
    method = draw(_method(currency, ("categories",)))
    table = {k: v for k, v in method.items() if k != "kind"}
    if draw(st.booleans()):
        table["ceiling"] = draw(_money_in(currency, 1000))
    return table


def _money_in(currency: str, most: int, fine: bool = False) -> SearchStrategy[Decimal]:
    """Amounts up to ``most`` (x the currency's scale).

    ``fine`` adds amounts with a fraction of the minor unit (a threshold at 12.015, a specific
    duty of 0.125), which rules may hold but fees and rounding quanta may not.
    """
    digits = minor_digits(currency)
    scale = int(_scale(currency))
    whole = st.integers(0, most).map(lambda k: Decimal(k * scale))
    exact = st.integers(0, most * scale * 10**digits).map(lambda k: Decimal(k).scaleb(-digits))
    if not fine:
        return st.one_of(whole, exact)
    finer = st.integers(0, most * scale * 10 ** (digits + 1)).map(
        lambda k: Decimal(k).scaleb(-digits - 1)
    )
    return st.one_of(whole, exact, finer)


def _condition() -> SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "mode": st.lists(st.sampled_from(_MODES), min_size=1, max_size=2, unique=True),
            "ship_from": st.lists(
                st.sampled_from(_SHIP_FROM[:3]), min_size=1, max_size=2, unique=True
            ),
            "origin": st.lists(
                st.sampled_from(_SHIP_FROM[1:4]), min_size=1, max_size=2, unique=True
            ),
            "destination": st.lists(
                st.sampled_from(_DESTINATIONS), min_size=1, max_size=2, unique=True
            ),
            "region": st.lists(st.sampled_from(_REGIONS), min_size=1, max_size=2, unique=True),
            "gift": st.booleans(),
            "seller_registered": st.booleans(),
            "without_hs": st.lists(st.sampled_from(_PREFIXES), min_size=1, max_size=2, unique=True),
        },
    )


@st.composite
def _method(draw: st.DrawFn, currency: str, kinds: tuple[str, ...]) -> dict[str, Any]:
    kind = draw(st.sampled_from(kinds))
    method: dict[str, Any] = {"kind": kind, "source": "law"}
    if kind == "flat":
        if draw(st.booleans()):
            method["rate"] = draw(_rate())
            if draw(st.integers(0, 3)) == 0:
                method["deduction"] = draw(_money_in(currency, 20, fine=True))
        else:
            method["amount"] = draw(_money_in(currency, 20, fine=True))
            method["per"] = draw(st.sampled_from(("shipment", "item", "subheading")))
    elif kind == "categories":
        count = draw(st.integers(1, 4))
        categories = []
        for i in range(count):
            category: dict[str, Any] = {"name": f"c{i}"}
            charge = draw(st.sampled_from(("rate", "amount", "item_rate")))
            if charge == "rate":
                category["rate"] = draw(_rate())
                if draw(st.booleans()):
                    low = draw(_decimal_between(0, 200, 3))
                    category["mfn_min"] = low
                    category["mfn_max"] = low + draw(_decimal_between(0, 200, 3))
            elif charge == "amount":
                category["amount"] = draw(_money_in(currency, 20, fine=True))
                category["per"] = draw(st.sampled_from(("item", "kg", "litre", "litre_alcohol")))
            else:
                category["item_rate"] = True
            category["hs_prefixes"] = draw(
                st.lists(st.sampled_from(_PREFIXES), max_size=2, unique=True)
            )
            if draw(st.booleans()):
                category["source"] = "law"
            categories.append(category)
        method["categories"] = categories
        if draw(st.booleans()):
            method["default"] = draw(st.sampled_from([c["name"] for c in categories]))
    elif kind == "rate_bands":
        edges = sorted(draw(st.lists(_decimal_between(1, 500, 3), max_size=3, unique=True)))
        amounts = sorted(
            draw(
                st.lists(
                    _money_in(currency, 300, fine=True),
                    min_size=len(edges) + 1,
                    max_size=len(edges) + 1,
                )
            )
        )
        bands: list[dict[str, Any]] = [
            {"below": e, "inclusive": draw(st.booleans()), "amount": a}
            for e, a in zip(edges, amounts, strict=False)
        ]
        bands.append({"amount": amounts[-1]})
        method["bands"] = bands
        method["per"] = draw(st.sampled_from(("shipment", "item")))
    return method


@st.composite
def _tax(draw: st.DrawFn, basis: str, currency: str) -> dict[str, Any]:
    tax: dict[str, Any] = {"name": "VAT", "source": "law"}
    shape = draw(st.sampled_from(("rate", "regional", "components")))
    rate = draw(_rate())
    if shape != "components" and draw(st.booleans()):
        tax["categories"] = [
            {
                "name": f"reduced{i}",
                "rate": draw(_rate()),
                "source": "law",
                "hs_prefixes": draw(
                    st.lists(st.sampled_from(_PREFIXES), min_size=1, max_size=2, unique=True)
                ),
            }
            for i in range(draw(st.integers(1, 2)))
        ]
    if shape == "rate":
        tax["rate"] = rate
    elif shape == "regional":
        key = draw(st.sampled_from(("region", "destination")))
        pool = _REGIONS if key == "region" else _DESTINATIONS
        keys = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
        tax["rate_key"] = key
        tax["rates"] = [{"key": k, "rate": draw(_rate()), "source": "law"} for k in keys]
        if draw(st.booleans()):
            tax["rate"] = rate
    elif draw(st.booleans()):
        first = draw(_decimal_between(0, int(rate * 1000), 3))
        tax["rate"] = rate
        tax["components"] = [
            {"name": "national", "rate": first, "source": "law", **draw(_quantum(currency))},
            {"name": "local", "rate": rate - first, "source": "law"},
        ]
    else:  # Japan's form: the local part an exact ratio of the rounded national part
        tax["rate"] = Decimal("0.1")
        tax["components"] = [
            {"name": "national", "rate": Decimal("0.078"), "source": "law"},
            {
                "name": "local",
                "of": "national",
                "ratio": (22, 78),
                "source": "law",
                **draw(_quantum(currency)),
            },
        ]
    parts = ["goods", "customs_value", "duty"]
    parts += [] if basis == "CIF" else ["shipping", "insurance"]
    tax["base"] = draw(
        st.lists(st.sampled_from(parts), min_size=1, max_size=len(parts), unique=True)
    )
    tax["sale_base"] = draw(
        st.lists(
            st.sampled_from(("goods", "shipping", "insurance")), min_size=1, max_size=3, unique=True
        )
    )
    if draw(st.integers(0, 3)) == 0:  # New Zealand: GST on the duty alone for a registered seller
        tax["registered_base"] = draw(
            st.lists(st.sampled_from(parts), min_size=1, max_size=len(parts), unique=True)
        )
    return tax


def _quantum(currency: str) -> SearchStrategy[dict[str, Decimal]]:
    """Sometimes a component's own rounding quantum (whole minor units)."""
    unit = Decimal(1).scaleb(-minor_digits(currency))
    return st.one_of(st.just({}), st.sampled_from((unit, unit * 5, unit * 100)).map(_as_quantum))


def _as_quantum(quantum: Decimal) -> dict[str, Decimal]:
    return {"quantum": quantum}


@st.composite
def _version(
    draw: st.DrawFn, currency: str, kinds: tuple[str, ...], most_thresholds: int
) -> dict[str, Any]:
    basis = draw(st.sampled_from(("FOB", "CIF")))
    factor = draw(
        st.sampled_from((Decimal(1), Decimal(1), Decimal("0.6"), Decimal("0.5"), Decimal("0.333")))
    )
    version: dict[str, Any] = {
        "valuation": {"basis": basis, "factor": factor, "source": "law"},
        "duty": {"general": draw(_method(currency, kinds))},
    }
    thresholds = []
    for i in range(draw(st.integers(0, most_thresholds))):
        thresholds.append(
            {
                "name": f"t{i}",
                "applies_to": draw(st.sampled_from(("duty", "tax"))),
                "amount": draw(_money_in(currency, 1000, fine=True)),
                "inclusive": draw(st.booleans()),
                "measure": draw(st.sampled_from(("goods", "customs_value", "cif"))),
                "scope": draw(st.sampled_from(("consignment", "item"))),
                "relief": draw(st.sampled_from(("exempt", "sale"))),
                "when": draw(_condition()),
                "source": "law",
            }
        )
    version["thresholds"] = thresholds
    if draw(st.booleans()):
        version["duty"]["low_value"] = {
            "ceiling": draw(_money_in(currency, 1000, fine=True)),
            "inclusive": draw(st.booleans()),
            "measure": draw(st.sampled_from(("goods", "customs_value", "cif"))),
            "method": draw(_method(currency, kinds)),
            "source": "law",
        }
    version["duty"]["special"] = [
        {
            "name": f"s{i}",
            "when": draw(_condition()),
            "ceiling": draw(st.one_of(st.none(), _money_in(currency, 3000, fine=True))),
            "inclusive": draw(st.booleans()),
            "measure": draw(st.sampled_from(("goods", "customs_value", "cif"))),
            "method": draw(_method(currency, kinds)),
            "source": "law",
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    if draw(st.booleans()):
        version["duty"]["min_collectable"] = draw(_minimum(currency))
    if draw(st.integers(0, 3)):
        version["tax"] = draw(_tax(basis, currency))
        if draw(st.booleans()):
            version["tax"]["min_collectable"] = draw(_minimum(currency))
    if draw(st.booleans()):
        version["min_collectable"] = draw(_minimum(currency))
    version["fees"] = draw(_fees(currency))
    version["exclusions"] = draw(_exclusions())
    version["rounding"] = draw(_rounding(currency))
    version["allowances"] = draw(_allowances(currency))
    names: list[str] = [str(t["name"]) for t in thresholds]
    names += [a["name"] for a in version["allowances"]]
    for exclusion in version["exclusions"]:  # some scoped to named thresholds or allowances
        scoped: bool = draw(st.booleans())
        if names and scoped:
            exclusion["thresholds"] = draw(
                st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True)
            )
    version["duty"]["surcharges"] = [  # charges on the duty (India's 10% surcharge)
        {"name": f"s{i}", "rate": draw(_rate()), "when": draw(_condition()), "source": "law"}
        for i in range(draw(st.sampled_from((0, 0, 1, 2))))
    ]
    if "tax" in version and draw(st.booleans()):  # a share of customs value in the tax base
        version["tax"]["uplift"] = {"rate": draw(_rate()), "source": "law"}
    return version


@st.composite
def _fees(draw: st.DrawFn, currency: str) -> list[dict[str, Any]]:
    """Zero to two fees per shipment, line or item, by condition, some only with border duty."""
    return [
        {
            "name": f"fee{i}",
            "amount": draw(_money_in(currency, 20)),
            "per": draw(st.sampled_from(("shipment", "item", "line"))),
            "when": draw(_condition()),
            "border_only": draw(st.booleans()),
            "source": "law",
            **draw(_fee_band(currency)),
        }
        for i in range(draw(st.integers(0, 2)))
    ]


@st.composite
def _fee_band(draw: st.DrawFn, currency: str) -> dict[str, Any]:
    """Sometimes a value band for a fee: a floor, a ceiling or both, on any measure."""
    band: dict[str, Any] = {}
    if draw(st.booleans()):
        return band
    low = draw(st.one_of(st.none(), _money_in(currency, 300, fine=True)))
    high = draw(st.one_of(st.none(), _money_in(currency, 1000, fine=True)))
    if low is not None:
        band["min_value"] = low
    if high is not None:
        band["max_value"] = high if low is None else max(low, high)
    band["inclusive"] = draw(st.booleans())
    band["measure"] = draw(st.sampled_from(("goods", "customs_value", "cif")))
    if draw(st.integers(0, 2)) == 0:  # France: per article, on the parcel's value
        band["band_scope"] = "consignment"
    return band


@st.composite
def _exclusions(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Zero to two exclusions by HS prefix, from any relief or method."""
    return [
        {
            "name": f"x{i}",
            "hs_prefixes": draw(
                st.lists(st.sampled_from(_PREFIXES), min_size=1, max_size=2, unique=True)
            ),
            "excluded_from": draw(
                st.lists(
                    st.sampled_from(_EXCLUDED_FROM),
                    min_size=1,
                    max_size=len(_EXCLUDED_FROM),
                    unique=True,
                )
            ),
            "source": "law",
        }
        for i in range(draw(st.integers(0, 2)))
    ]


@st.composite
def _allowances(draw: st.DrawFn, currency: str) -> list[dict[str, Any]]:
    """Zero to two allowances (excess-only relief) by condition, some the importer may decline."""
    return [
        {
            "name": f"a{i}",
            "amount": draw(_money_in(currency, 300, fine=True).filter(lambda a: a > 0)),
            "when": draw(_condition()),
            "best_of": draw(st.booleans()),
            "source": "law",
        }
        for i in range(draw(st.sampled_from((0, 0, 1, 2))))
    ]


@st.composite
def _rounding(draw: st.DrawFn, currency: str) -> dict[str, Any]:
    """Any rounding mode, quanta in whole minor units, per line or per shipment."""
    unit = Decimal(1).scaleb(-minor_digits(currency))
    quanta = st.sampled_from((None, unit, unit * 5, unit * 100))
    return {
        "mode": draw(st.sampled_from(ROUNDING_MODES)),
        "quantum": draw(quanta),
        "per": draw(st.sampled_from(("shipment", "line"))),
        "duty_quantum": draw(quanta),
        "tax_base_quantum": draw(quanta),
        **({"source": "law"} if draw(st.booleans()) else {}),
    }


def _minimum(currency: str) -> SearchStrategy[dict[str, Any]]:
    """A minimum collectable amount, inclusive or not."""
    return st.fixed_dictionaries(
        {
            "amount": _money_in(currency, 5, fine=True),
            "inclusive": st.booleans(),
            "source": st.just("law"),
        }
    )


__all__ = [
    "CONDITION_VALUES",
    "DUTY_KINDS",
    "hs_codes",
    "items",
    "money",
    "rule_sets",
    "shipment_frames",
    "shipments",
]
