"""Robustness over every bundled rule file: each loads, its history is contiguous, every applied
value is sourced, rates and amounts are in range, and sampled shipments assess cleanly.

Parametrized over ``lvs_duty.available_rules()``, so a regime file added later is covered
without touching this module (python-stdnum's robustness loop, OpenFisca's dated parameters).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import ROUND_DOWN, Decimal

import pytest
from pydantic import BaseModel

import lvs_duty
from lvs_duty import Item, RuleSet, RuleVersion, Shipment, Source, assess
from lvs_duty.countries import is_country
from lvs_duty.money import minor_unit
from lvs_duty.rules import Category, CategoryDuty, CategoryTable, DutyRule

CODES = lvs_duty.available_rules()


@pytest.fixture(scope="module", params=CODES)
def code(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def rules(code: str) -> RuleSet:
    return lvs_duty.load_rules(code)


def test_some_rules_are_bundled() -> None:
    # The reference regimes this helper added, besides those of the core skeleton.
    assert {"AU", "CA", "EU", "GB", "SG", "US", "US_POSTAL_SPECIFIC"} <= set(CODES)


def test_loads_under_its_own_code(code: str, rules: RuleSet) -> None:
    # load_rules(CODE) reads code.toml; the file must declare the same code, so that
    # `lvs-duty rules show CODE` and Assessment.rules agree.
    assert rules.code == code
    assert rules.versions


def test_versions_are_contiguous(rules: RuleSet) -> None:
    # Checked from the data, not trusted to the loader: ordered, each closed but the last,
    # each valid_to the next valid_from (half-open periods: no gap, no overlap).
    versions = rules.versions
    for version in versions:
        assert version.valid_to is None or version.valid_to > version.valid_from
    for before, after in itertools.pairwise(versions):
        assert before.valid_to is not None, f"{rules.code}: only the last version may be open"
        assert before.valid_to == after.valid_from, (
            f"{rules.code}: {before.period} then {after.period}"
        )


def test_at_finds_each_version_on_its_first_and_last_day(rules: RuleSet) -> None:
    for version in rules.versions:
        assert rules.at(version.valid_from) is version
        if version.valid_to is not None:
            assert rules.at(version.valid_to - dt.timedelta(days=1)) is version


def _sourced(rules: RuleSet) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every applied value (threshold, rate, category, exclusion, fee, valuation, duty method,
    minimum) as (where, its source ids); a category without its own source inherits its
    table's or method's."""

    def duty_methods(duty: DutyRule) -> Iterator[tuple[str, BaseModel]]:
        yield "duty.general", duty.general
        if duty.low_value is not None:
            yield "duty.low_value", duty.low_value
            yield "duty.low_value.method", duty.low_value.method
        if duty.min_collectable is not None:
            yield "duty.min_collectable", duty.min_collectable

    def categories(
        where: str, parent: CategoryDuty | CategoryTable, rows: tuple[Category, ...]
    ) -> Iterator[tuple[str, tuple[str, ...]]]:
        for category in rows:
            yield f"{where}.categories[{category.name!r}]", category.source or parent.source

    for i, version in enumerate(rules.versions):
        at = f"versions[{i}] ({version.valid_from})"
        yield f"{at}.valuation", version.valuation.source
        for threshold in version.thresholds:
            yield f"{at}.thresholds[{threshold.name!r}]", threshold.source
        for exclusion in version.exclusions:
            yield f"{at}.exclusions[{exclusion.name!r}]", exclusion.source
        for fee in version.fees:
            yield f"{at}.fees[{fee.name!r}]", fee.source
        if version.min_collectable is not None:
            yield f"{at}.min_collectable", version.min_collectable.source
        for where, method in duty_methods(version.duty):
            yield f"{at}.{where}", getattr(method, "source", ())
            if isinstance(method, CategoryDuty):
                yield from categories(f"{at}.{where}", method, method.categories)
        tax = version.tax
        if tax is not None:
            yield f"{at}.tax", tax.source
            for rate in tax.rates:
                yield f"{at}.tax.rates[{rate.key!r}]", rate.source
            for group in (tax.categories, tax.components):
                for part in group:
                    yield f"{at}.tax[{part.name!r}]", part.source
            if tax.min_collectable is not None:
                yield f"{at}.tax.min_collectable", tax.min_collectable.source
    for name, table in rules.category_tables.items():
        yield f"category_tables[{name!r}]", table.source
        yield from categories(f"category_tables[{name!r}]", table, table.categories)


def test_every_applied_value_is_sourced(rules: RuleSet) -> None:
    missing, unresolved = [], []
    for where, refs in _sourced(rules):
        if not refs:
            missing.append(where)
        resolved = rules.source_of(refs)
        if len(resolved) != len(refs) or not all(isinstance(s, Source) for s in resolved):
            unresolved.append(f"{where}: {refs}")
    assert not missing, f"{rules.code}: values without a source: {missing}"
    assert not unresolved, f"{rules.code}: source ids not under [sources]: {unresolved}"


def test_sources_have_titles(rules: RuleSet) -> None:
    for key, source in rules.sources.items():
        assert source.title.strip(), key
        assert source.url is None or source.url.startswith(("http://", "https://")), key


RATE_FIELDS = {"rate", "mfn_min", "mfn_max", "below", "factor"}


def _decimals(node: object, path: str) -> Iterator[tuple[str, str, Decimal]]:
    """Every Decimal field in a rule set, as (path, field name, value)."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if isinstance(value, Decimal):
                yield f"{path}.{name}", name, value
            else:
                yield from _decimals(value, f"{path}.{name}")
    elif isinstance(node, tuple):
        for i, element in enumerate(node):
            yield from _decimals(element, f"{path}[{i}]")
    elif isinstance(node, dict):
        for key, element in node.items():
            yield from _decimals(element, f"{path}.{key}")


def test_rates_and_amounts_in_range(rules: RuleSet) -> None:
    found = list(_decimals(rules, rules.code))
    assert found
    for path, name, value in found:
        assert value.is_finite(), path
        assert value >= 0, f"{path} = {value}: amounts and rates are never negative"
        if name in RATE_FIELDS:
            assert value <= 1, f"{path} = {value}: a rate is a fraction between 0 and 1"


def test_explained_periods_are_the_versions(rules: RuleSet) -> None:
    periods = [v.period for v in rules.versions]
    assert len(set(periods)) == len(periods)


# --- Sampled shipments -------------------------------------------------------------------


def _days(version: RuleVersion) -> list[dt.date]:
    """A date inside the version: its first day, and its last day when it is closed."""
    days = [version.valid_from]
    if version.valid_to is not None:
        last = version.valid_to - dt.timedelta(days=1)
        if last != version.valid_from:
            days.append(last)
    return days


def _destination(rules: RuleSet, version: RuleVersion) -> tuple[str, str | None]:
    """A destination country and region that the version's tax can price."""
    tax = version.tax
    keys = [r.key for r in tax.rates] if tax is not None else []
    if tax is not None and tax.rate_key == "destination" and keys:
        return keys[0], None
    head = rules.code.split("_")[0].split("+")[0][:2]
    country = head if is_country(head) else "US"
    region = keys[0] if tax is not None and tax.rate_key == "region" and keys else None
    return country, region


def _values(rules: RuleSet, version: RuleVersion) -> tuple[Decimal, Decimal, Decimal]:
    """A small, a mid and a large goods value, placed around the version's thresholds."""
    unit = minor_unit(rules.currency)
    marks = [t.amount for t in version.thresholds if t.amount > 0]
    if version.duty.low_value is not None:
        marks.append(version.duty.low_value.ceiling)
    if not marks:
        marks = [Decimal(100) if unit < 1 else Decimal(10000)]
    low, high = min(marks), max(marks)
    small = max((low / 2).quantize(unit, rounding=ROUND_DOWN), unit)
    return small, high + unit, (high * 10).quantize(unit, rounding=ROUND_DOWN)


def _split(total: Decimal, shares: tuple[int, ...], unit: Decimal) -> list[Decimal]:
    """Split a value over lines in whole minor units, the last line taking the remainder."""
    parts = [(total * share / 100).quantize(unit, rounding=ROUND_DOWN) for share in shares[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]


def _samples(rules: RuleSet) -> Iterator[tuple[str, Shipment]]:
    unit = minor_unit(rules.currency)
    for version in rules.versions:
        destination, region = _destination(rules, version)
        small, mid, large = _values(rules, version)
        for day in _days(version):
            # A small postal parcel from China: one T-shirt line.
            yield (
                f"{day} small",
                Shipment(
                    destination,
                    day,
                    rules.currency,
                    [Item("610910", small, duty_rate="0.12", weight_kg="0.2")],
                    mode="post",
                    ship_from="CN",
                    origin="CN",
                    region=region,
                ),
            )
            # A mid courier parcel just above the highest threshold: clothing and toys.
            shirts, toys = _split(mid, (60, 40), unit)
            yield (
                f"{day} mid",
                Shipment(
                    destination,
                    day,
                    rules.currency,
                    [
                        Item("610910", shirts, quantity=3, duty_rate="0.12", weight_kg="0.6"),
                        Item("950300", toys, quantity=2, duty_rate="0.04", weight_kg="0.5"),
                    ],
                    mode="courier",
                    ship_from="US",
                    origin="US",
                    region=region,
                    shipping=(mid / 10).quantize(unit, rounding=ROUND_DOWN),
                ),
            )
            # A large courier parcel with an excise line (wine) and a book.
            shoes, wine, book = _split(large, (70, 20, 10), unit)
            yield (
                f"{day} large",
                Shipment(
                    destination,
                    day,
                    rules.currency,
                    [
                        Item("640419", shoes, duty_rate="0.17", weight_kg="1.1"),
                        Item(
                            "220421",
                            wine,
                            quantity=2,
                            duty_rate="0.10",
                            weight_kg="1.6",
                            volume_l="1.5",
                            abv="0.12",
                        ),
                        Item("490199", book, duty_rate="0", weight_kg="0.4"),
                    ],
                    mode="courier",
                    ship_from="GB",
                    origin="FR",
                    region=region,
                    shipping=(large / 20).quantize(unit, rounding=ROUND_DOWN),
                    insurance=(large / 100).quantize(unit, rounding=ROUND_DOWN),
                ),
            )


def test_sampled_shipments_assess_cleanly(rules: RuleSet) -> None:
    count = 0
    for label, shipment in _samples(rules):
        a = assess(shipment, rules)
        where = f"{rules.code} {label}"
        assert a.total == a.duty + a.tax + a.fees, where
        for name in (
            "duty",
            "tax",
            "fees",
            "total",
            "duty_assessed",
            "tax_assessed",
            "customs_value",
            "tax_base",
            "collected_at_border",
            "collected_at_sale",
        ):
            assert getattr(a, name) >= 0, f"{where}: {name} = {getattr(a, name)}"
        assert a.collected_at_border + a.collected_at_sale == a.duty + a.tax, where
        assert a.duty <= a.duty_assessed, where
        assert a.tax <= a.tax_assessed, where
        assert a.goods_value == shipment.goods_value, where
        assert len(a.lines) == len(shipment.items), where
        assert rules.code in a.explain(), where
        count += 1
    assert count >= 3 * len(rules.versions)
