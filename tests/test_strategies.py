"""lvs_duty.strategies: what is drawn validates, lands on the thresholds, and bad calls are named.

Values "near a threshold" are proved by finding them: a uniform draw over a regime's range
would hit CAD 150.00 exactly about once in 45,000 draws, so `find` succeeding within a few
hundred examples shows the strategy aims there.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import sys
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import lvs_duty
from lvs_duty import ArgumentError, Item, RuleSet, Shipment, assess
from lvs_duty._hypothesis_plugin import _hypothesis_setup_hook
from lvs_duty.analysis import measures
from lvs_duty.rules import CategoryDuty, FlatDuty, RateBandDuty
from lvs_duty.strategies import (
    DUTY_KINDS,
    hs_codes,
    items,
    money,
    rule_sets,
    shipment_frames,
    shipments,
)
from lvs_duty.tabular import COLUMNS, frame_to_shipments

# the editable install may not carry the entry point yet: register by hand as hypothesis would
_hypothesis_setup_hook()

CA = lvs_duty.load_rules("CA")
JP = lvs_duty.load_rules("JP")
SG = lvs_duty.load_rules("SG")
BUNDLED = {code: lvs_duty.load_rules(code) for code in lvs_duty.available_rules()}
ON = dt.date(2026, 1, 1)
SEARCH = settings(
    max_examples=500,
    derandomize=True,  # a fixed search: the same draws every run, never a flaky miss
    database=None,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def found(strategy: Any, condition: Callable[[Any], bool]) -> Any:
    return find(strategy, condition, settings=SEARCH)


# -- the extra ----------------------------------------------------------------------------------


def test_without_hypothesis_the_import_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.setitem(sys.modules, "hypothesis.strategies", None)
    monkeypatch.delitem(sys.modules, "lvs_duty.strategies")
    with pytest.raises(ImportError, match=r"pip install 'lvs_duty\[testing\]'"):
        importlib.import_module("lvs_duty.strategies")


def test_check_rules_without_hypothesis_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from lvs_duty.testing import check_rules

    monkeypatch.setitem(sys.modules, "hypothesis", None)
    with pytest.raises(ImportError, match=r"pip install 'lvs_duty\[testing\]'"):
        check_rules(CA, examples=1)


def test_the_entry_point_text_resolves_to_the_registration_hook() -> None:
    # the text the lead puts under [project.entry-points.hypothesis] in pyproject.toml
    entry = importlib.metadata.EntryPoint(
        name="lvs_duty",
        value="lvs_duty._hypothesis_plugin:_hypothesis_setup_hook",
        group="hypothesis",
    )
    hook = entry.load()
    assert hook is _hypothesis_setup_hook
    hook()  # registering twice is harmless


# -- money and HS codes -------------------------------------------------------------------------


@given(money("CAD", min_value="19.995", max_value="20.01"))
def test_money_is_whole_cents_within_bounds(amount: D) -> None:
    # 19.995 rounds up to the first whole cent, 20.00; the only other cent is 20.01
    assert amount in (D("20.00"), D("20.01"))
    assert amount.as_tuple().exponent == -2


@given(money("JPY", max_value="1000.5"))
def test_money_in_yen_has_no_decimals(amount: D) -> None:
    assert amount == amount.to_integral_value()
    assert 0 <= amount <= 1000


@given(hs_codes(prefixes=["6109", "24"], min_digits=4, max_digits=8))
def test_hs_codes_start_with_a_prefix(code: str) -> None:
    assert code.isdigit()
    assert 4 <= len(code) <= 8
    assert code.startswith(("6109", "24"))


@given(items("EUR", max_value=50))
def test_items_carry_every_detail_and_validate(item: Item) -> None:
    assert Item.model_validate(item.model_dump()) == item
    assert item.hs_code is not None
    assert len(item.hs_code) >= 6
    assert None not in (item.duty_rate, item.weight_kg, item.volume_l, item.abv)
    assert 0 <= item.value <= 50


# -- shipments ----------------------------------------------------------------------------------


@given(shipments())
def test_free_shipments_validate_and_round_trip(shipment: Shipment) -> None:
    assert Shipment.model_validate_json(shipment.model_dump_json()) == shipment


@given(data=st.data(), code=st.sampled_from(sorted(BUNDLED)))
def test_shipments_under_every_bundled_regime_assess(data: st.DataObject, code: str) -> None:
    rules = BUNDLED[code]
    shipment = data.draw(shipments(rules))
    assert shipment.currency == rules.currency
    a = assess(shipment, rules)
    assert a.total == a.duty + a.tax + a.fees


@given(shipments(CA, on=ON, min_items=2, max_items=3))
def test_shipments_keep_date_and_item_count(shipment: Shipment) -> None:
    assert shipment.date == ON
    assert 2 <= len(shipment.items) <= 3


@pytest.mark.parametrize("goods", ["149.99", "150.00", "150.01"])
def test_shipments_aim_at_the_cusma_duty_threshold_and_meet_its_condition(goods: str) -> None:
    # CUSMA courier duty threshold: CAD 150, courier goods shipped from the US or Mexico
    hit = found(
        shipments(CA, on=ON),
        lambda s: s.goods_value == D(goods) and s.mode == "courier" and s.ship_from in ("US", "MX"),
    )
    assert hit.goods_value == D(goods)


@pytest.mark.parametrize("customs", [9_999, 10_000, 10_001])
def test_shipments_hit_a_threshold_through_a_valuation_factor(customs: int) -> None:
    # Japan values personal imports at 0.6 x price, truncated to the yen: the strategy solves
    # for prices whose valued sum is exactly 9,999 / 10,000 / 10,001 yen (e.g. 16,667 x 0.6 =
    # 10,000.2 -> 10,000)
    version = JP.versions[-1]
    hit = found(
        shipments(JP), lambda s: measures(s, version, "JPY").consignment["customs_value"] == customs
    )
    assert measures(hit, version, "JPY").consignment["customs_value"] == customs


def test_shipments_aim_at_a_per_item_threshold_times_quantity() -> None:
    # Singapore: SGD 400 per item; a line of 2 units is within it up to SGD 800.00
    hit = found(
        shipments(SG), lambda s: s.items[0].quantity == 2 and s.items[0].value == D("800.01")
    )
    assert hit.items[0].value == D("800.01")


def test_regional_rates_without_default_force_a_known_region() -> None:
    rules = lvs_duty.loads_rules(_TOY_REGIONAL)

    @given(shipments(rules))
    def check(shipment: Shipment) -> None:
        assert shipment.region in ("ON", "NS")
        assess(shipment, rules)

    check()


_TOY_REGIONAL = """
code = "TOYR"
name = "Toy regional"
currency = "CAD"
[sources.law]
title = "Toy law"
[[versions]]
valid_from = 2020-01-01
valuation = { basis = "FOB", source = "law" }
duty.general = { kind = "free", source = "law" }
[versions.tax]
name = "HST"
rate_key = "region"
source = "law"
rates = [
  { key = "ON", rate = "0.13", source = "law" },
  { key = "NS", rate = "0.14", source = "law" },
]
"""


# -- frames and rule sets -----------------------------------------------------------------------


@given(shipment_frames(CA, min_shipments=1, max_shipments=4))
def test_shipment_frames_are_canonical_and_read_back(frame: pd.DataFrame) -> None:
    assert tuple(frame.columns) == COLUMNS
    back = frame_to_shipments(frame)
    assert [s.id for s in back] == [f"S{i}" for i in range(1, len(back) + 1)]
    assert sum(len(s.items) for s in back) == len(frame)


@settings(max_examples=15)
@given(rule_sets())
def test_rule_sets_validate_and_survive_json(rules: RuleSet) -> None:
    assert RuleSet.model_validate_json(rules.model_dump_json()) == rules
    for before, after in zip(rules.versions, rules.versions[1:], strict=False):
        assert before.valid_to == after.valid_from


@pytest.mark.parametrize("kind", DUTY_KINDS)
def test_rule_sets_draw_the_duty_kinds_asked_for(kind: str) -> None:
    expected = {
        "mfn": "mfn",
        "free": "free",
        "flat": FlatDuty,
        "categories": CategoryDuty,
        "rate_bands": RateBandDuty,
    }[kind]

    @settings(max_examples=5)
    @given(rule_sets(duty_kinds=[kind]))
    def check(rules: RuleSet) -> None:
        for version in rules.versions:
            method = version.duty.general
            if isinstance(expected, str):
                assert method.kind == expected
            else:
                assert isinstance(method, expected)

    check()


@settings(max_examples=10)
@given(data=st.data())
def test_shipments_drawn_for_random_rule_sets_assess(data: st.DataObject) -> None:
    rules = data.draw(rule_sets())
    shipment = data.draw(shipments(rules))
    a = assess(shipment, rules)
    assert a.total >= 0


# -- st.from_type -------------------------------------------------------------------------------


@given(st.from_type(Shipment), st.from_type(Item))
def test_from_type_builds_the_models(shipment: Shipment, item: Item) -> None:
    assert isinstance(shipment, Shipment)
    assert isinstance(item, Item)


@settings(max_examples=3)
@given(st.from_type(RuleSet))
def test_from_type_builds_rule_sets(rules: RuleSet) -> None:
    assert rules.code == "GEN"


# -- bad arguments ------------------------------------------------------------------------------


BAD_ARGS: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], str]] = [
    (money, ("XXX",), {}, "currency"),
    (money, ("CAD",), {"min_value": 1.5}, "min_value"),
    (money, ("CAD",), {"max_value": -1}, "max_value"),
    (money, ("CAD",), {"min_value": 10, "max_value": 5}, "max_value"),
    (money, ("CAD",), {"min_value": "0.001", "max_value": "0.009"}, "max_value"),
    (hs_codes, (), {"prefixes": "61"}, "prefixes"),
    (hs_codes, (), {"prefixes": ["6a"]}, "prefixes"),
    (hs_codes, (), {"min_digits": 1}, "min_digits"),
    (hs_codes, (), {"min_digits": 8, "max_digits": 6}, "max_digits"),
    (hs_codes, (), {"prefixes": ["12345678"], "max_digits": 6}, "prefixes"),
    (items, ("CAD",), {"max_quantity": 0}, "max_quantity"),
    (items, ("CAD",), {"details": "yes"}, "details"),
    (items, ("CAD",), {"categories": "toys"}, "categories"),
    (items, ("CAD",), {"min_value": 100, "max_value": 10}, "max_value"),
    (shipments, ("CA",), {}, "rules"),
    (shipments, (), {"near_thresholds": 1}, "near_thresholds"),
    (shipments, (CA,), {"on": dt.date(1999, 1, 1)}, "on"),
    (shipments, (), {"on": "2026-01-01"}, "on"),
    (shipments, (CA,), {"currency": "USD"}, "currency"),
    (shipments, (), {"currency": "XXX"}, "currency"),
    (shipments, (), {"destination": "XX"}, "destination"),
    (shipments, (), {"min_items": 0}, "min_items"),
    (shipments, (), {"min_items": 3, "max_items": 2}, "max_items"),
    (shipments, (), {"max_value": 0.5}, "max_value"),
    (shipments, (), {"max_value": 0}, "max_value"),
    (shipments, (), {"max_quantity": True}, "max_quantity"),
    (shipment_frames, (), {"min_shipments": -1}, "min_shipments"),
    (shipment_frames, (), {"min_shipments": 5, "max_shipments": 2}, "max_shipments"),
    (shipment_frames, (), {"max_items": 0}, "max_items"),
    (shipment_frames, (), {"bogus": 1}, "shipment_args"),
    (rule_sets, (), {"currency": "XXX"}, "currency"),
    (rule_sets, (), {"max_versions": 0}, "max_versions"),
    (rule_sets, (), {"duty_kinds": ["vat"]}, "duty_kinds"),
    (rule_sets, (), {"duty_kinds": []}, "duty_kinds"),
    (rule_sets, (), {"duty_kinds": "mfn"}, "duty_kinds"),
    (rule_sets, (), {"max_thresholds": -1}, "max_thresholds"),
]


@pytest.mark.parametrize(
    ("function", "args", "kwargs", "argument"),
    BAD_ARGS,
    ids=[f"{f.__name__}-{a}" for f, _, _, a in BAD_ARGS],
)
def test_bad_arguments_are_named_before_anything_is_drawn(
    function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], argument: str
) -> None:
    with pytest.raises(ArgumentError) as caught:
        function(*args, **kwargs)
    assert caught.value.argument == argument
    assert caught.value.function == function.__name__
    assert f"{function.__name__}: {argument} expected" in str(caught.value)
