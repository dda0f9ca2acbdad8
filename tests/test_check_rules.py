"""lvs_duty.testing.check_rules: it passes sound rules, names notches, and catches real faults.

Faults are injected by replacing the engine the checker calls (``lvs_duty.testing.assess``)
with a deliberately broken one, so each invariant is shown to fail when it should, with a
shrunk counter-example that exhibits the fault.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from decimal import Decimal as D
from typing import Any

import pytest

import lvs_duty
from _toy import parcel, th, toy
from lvs_duty import ArgumentError, Item, RateUnavailableError, RuleSet, Shipment
from lvs_duty import assess as real_assess
from lvs_duty.explain import Assessment
from lvs_duty.testing import INVARIANTS, check_rules, describe

FAST = 100  # examples per invariant: enough for each injected fault, with a fixed seed
ALL_BUT_FRAME = [name for name in INVARIANTS if name != "frame_agrees"]


def law(kind: str, **more: Any) -> dict[str, Any]:
    return {"kind": kind, "source": "law", **more}


# -- sound rules pass, notches are reported -----------------------------------------------------


def test_sound_toy_rules_pass_every_invariant() -> None:
    rules = toy(thresholds=[th("duty", "150"), th("tax", "22")])
    report = check_rules(rules, examples=FAST, invariants=ALL_BUT_FRAME)
    assert report.ok, str(report)
    assert [r.name for r in report.results] == ALL_BUT_FRAME
    assert all(r.status == "passed" for r in report.results)


def test_a_ceiling_where_the_charge_falls_is_a_notch_not_a_failure() -> None:
    # 30% flat below EUR 100, duty free above: at EUR 100.00 duty is 30.00, at 100.01 it is 0
    rules = toy(
        duty={
            "general": law("free"),
            "low_value": {"ceiling": "100", "method": law("flat", rate="0.30"), "source": "law"},
        },
        tax=None,
    )
    report = check_rules(rules, examples=FAST, invariants=["monotone_in_value", "adding_an_item"])
    assert report.ok, str(report)
    label = "low-value duty ceiling (customs_value <= EUR 100)"
    assert label in report["monotone_in_value"].notches
    assert label in report.notches


def test_decreasing_rate_bands_fail_adding_an_item_with_a_minimal_example() -> None:
    # per shipment, the band of the highest rate: below 10% EUR 10, else EUR 2. A parcel of
    # low-rate goods pays 10.00; add one line at 10% or more and it pays 2.00
    bands = law(
        "rate_bands", per="shipment", bands=[{"below": "0.1", "amount": "10"}, {"amount": "2"}]
    )
    rules = toy(duty={"general": bands}, tax=None)
    report = check_rules(rules, examples=FAST, invariants=["adding_an_item"])
    result = report["adding_an_item"]
    assert result.status == "failed"
    assert not report.ok
    assert "the total fell from EUR 10.00 to EUR 2.00" in result.message
    assert result.counter_example is not None
    assert result.compared_with is not None
    assert len(result.counter_example.items) == 1  # shrunk to one line plus the added one
    assert result.counter_example.items[0].duty_rate is not None
    assert result.counter_example.items[0].duty_rate < D("0.1")
    added = result.compared_with.items[-1]
    assert added.duty_rate is not None
    assert added.duty_rate >= D("0.1")


def test_a_regional_key_in_lower_case_is_normalised_and_assessable() -> None:
    # "on" once could never match a shipment's region ("ON") and every parcel was unassessable;
    # codes in rule files are now upper-cased on load, so the rate applies
    rules = toy(
        tax={
            "name": "HST",
            "rate_key": "region",
            "source": "law",
            "rates": [{"key": "on", "rate": "0.13", "source": "law"}],
        }
    )
    assert rules.versions[0].tax is not None
    assert rules.versions[0].tax.rates[0].key == "ON"
    report = check_rules(rules, examples=FAST, invariants=["assessable", "non_negative"])
    assert report["assessable"].passed
    # a parcel with no region still cannot be assessed: no default rate, and it says why
    with pytest.raises(RateUnavailableError, match="region: expected one of ON"):
        real_assess(parcel(Item("6109", "10.00", duty_rate="0")), rules)


def test_the_frame_invariant_is_skipped_without_the_frame_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("lvs_duty.testing._frame_path", lambda: None)
    report = check_rules(toy(), examples=5, invariants=["frame_agrees"])
    result = report["frame_agrees"]
    assert result.status == "skipped"
    assert result.message == "skipped: frame path unavailable"
    assert report.ok
    assert not result.passed


# -- injected faults are caught -----------------------------------------------------------------


def broken(change: Any) -> Any:
    def fake(shipment: Shipment, rules: RuleSet, **kw: Any) -> Assessment:
        return change(shipment, real_assess(shipment, rules, **kw))

    return fake


def test_a_total_that_does_not_add_up_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # the fake engine adds a cent to the total of parcels worth more than EUR 50
    def add_a_cent(s: Shipment, a: Assessment) -> Assessment:
        return dataclasses.replace(a, total=a.total + D("0.01")) if s.goods_value > 50 else a

    monkeypatch.setattr("lvs_duty.testing.assess", broken(add_a_cent))
    report = check_rules(toy(), examples=FAST, invariants=["total_is_sum"])
    result = report["total_is_sum"]
    assert result.status == "failed"
    assert result.counter_example is not None
    # a real violation: the parcel is worth more than EUR 50 and the fake engine's total
    # does not add up on it (how far hypothesis shrinks the basket is not part of the promise)
    example = result.counter_example
    assert example.goods_value > 50
    faked = broken(add_a_cent)(example, toy())
    assert faked.total != faked.duty + faked.tax + faked.fees
    assert result.message.startswith("total ")


def test_a_negative_amount_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def negative_for_gifts(s: Shipment, a: Assessment) -> Assessment:
        return dataclasses.replace(a, fees=D("-1.00")) if s.gift else a

    monkeypatch.setattr("lvs_duty.testing.assess", broken(negative_for_gifts))
    report = check_rules(toy(), examples=FAST, invariants=["non_negative"])
    result = report["non_negative"]
    assert result.status == "failed"
    assert result.message == "fees is negative: EUR -1.00"
    assert result.counter_example is not None
    assert result.counter_example.gift


def test_duty_charged_under_the_de_minimis_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # the fake engine charges EUR 1.00 of duty on every parcel, relieved or not
    def always_duty(s: Shipment, a: Assessment) -> Assessment:
        return dataclasses.replace(a, duty=a.duty + 1, total=a.total + 1)

    monkeypatch.setattr("lvs_duty.testing.assess", broken(always_duty))
    rules = toy(thresholds=[th("duty", "150")])
    report = check_rules(rules, examples=FAST, invariants=["de_minimis"])
    result = report["de_minimis"]
    assert result.status == "failed"
    assert result.counter_example is not None
    assert result.counter_example.goods_value <= 150
    assert "every line is within the duty threshold 'duty 150'" in result.message


def test_rounding_a_whole_cent_away_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # the rules say ROUND_HALF_UP; the fake engine rounds every amount up (away from zero),
    # up to a whole cent from the exact amount, where half a cent is allowed
    from lvs_duty import money

    real_quantize = money.quantize

    def up(amount: D, quantum: D, mode: Any) -> D:
        return real_quantize(amount, quantum, "ROUND_UP")

    monkeypatch.setattr(sys.modules["lvs_duty.assess"], "quantize", up)
    rules = toy(tax=None)  # MFN duty only: duty = rate x value, rounded once
    report = check_rules(rules, examples=FAST, invariants=["rounding"])
    result = report["rounding"]
    assert result.status == "failed"
    assert result.message.startswith("duty ")
    assert "1 rounding steps of 0.01, ROUND_HALF_UP" in result.message


def test_same_seed_same_counter_example(monkeypatch: pytest.MonkeyPatch) -> None:
    bands = law("rate_bands", bands=[{"below": "0.1", "amount": "10"}, {"amount": "2"}])
    rules = toy(duty={"general": bands}, tax=None)
    first = check_rules(rules, examples=FAST, seed=7, invariants=["adding_an_item"])
    second = check_rules(rules, examples=FAST, seed=7, invariants=["adding_an_item"])
    assert first["adding_an_item"].counter_example == second["adding_an_item"].counter_example


# -- the report ---------------------------------------------------------------------------------


def test_report_prints_every_invariant_and_the_counter_example() -> None:
    bands = law("rate_bands", bands=[{"below": "0.1", "amount": "10"}, {"amount": "2"}])
    report = check_rules(
        toy(duty={"general": bands}, tax=None),
        examples=FAST,
        invariants=["total_is_sum", "adding_an_item"],
    )
    text = str(report)
    assert text.startswith("check_rules TOY: 2 invariants, 100 examples each, seed 0: 1 FAILED")
    assert "  [pass] total_is_sum: " in text
    assert "  [FAIL] adding_an_item: line 2 added: the total fell" in text
    counter = report["adding_an_item"].counter_example
    assert counter is not None
    assert f"counter-example: {describe(counter)}" in text
    assert report.failures == (report["adding_an_item"],)
    with pytest.raises(KeyError, match="no invariant 'rounding'"):
        report["rounding"]


def test_describe_reads_like_a_declaration() -> None:
    parcel = Shipment(
        "GB",
        "2026-01-01",
        "GBP",
        [lvs_duty.Item("490199", "5.00")],
        ship_from="US",
        gift=True,
        shipping="3.50",
    )
    assert describe(parcel) == (
        "to GB on 2026-01-01 by courier from US, a gift, shipping 3.50, "
        "insurance 0: 1 x 490199 worth GBP 5.00"
    )


# -- bad arguments ------------------------------------------------------------------------------


BAD_ARGS: list[tuple[Any, dict[str, Any], str]] = [
    ("CA", {}, "rules"),
    (None, {"examples": 0}, "examples"),
    (None, {"examples": True}, "examples"),
    (None, {"seed": "1"}, "seed"),
    (None, {"on": "2026-01-01"}, "on"),
    (None, {"on": dt.date(1990, 1, 1)}, "on"),
    (None, {"invariants": "rounding"}, "invariants"),
    (None, {"invariants": ["speed"]}, "invariants"),
]


@pytest.mark.parametrize(
    ("rules", "kwargs", "argument"),
    BAD_ARGS,
    ids=[f"{a}-{i}" for i, (_, _, a) in enumerate(BAD_ARGS)],
)
def test_bad_arguments_are_named(rules: Any, kwargs: dict[str, Any], argument: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        check_rules(toy() if rules is None else rules, **kwargs)
    assert caught.value.argument == argument
    assert f"check_rules: {argument} expected" in str(caught.value)
