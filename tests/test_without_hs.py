"""The ``when.without_hs`` condition: no line of the parcel under one of the listed HS prefixes.

The toy regime (tests/_toy.py: EUR, FOB, MFN duty at the line's rate, VAT 20% on customs value
+ duty, half-up to the cent) with two pairs of thresholds: EUR 100 for duty and tax when no
line falls under the listed prefixes (of 2, 4, 6 and 10 digits), then EUR 10 for everyone. A
parcel of EUR 50 at 10% duty is exempt under the first and pays under the second:
duty 10% x 50.00 = 5.00; VAT 20% x (50.00 + 5.00) = 11.00; total 16.00.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pandas as pd
import pytest

from _both_paths import both
from _toy import parcel, th, toy
from lvs_duty import Item, LvsDutyError, assess, assess_frame, decide, shipments_to_frame
from lvs_duty.cli import show_rules
from lvs_duty.frame import to_decimal_frame
from lvs_duty.rules import Condition, RuleSet
from lvs_duty.testing import check_rules

PREFIXES = ["21", "3004", "851712", "6109100000"]
PAYS = D("16.00")  # duty 5.00 + VAT 11.00, worked in the module docstring


def regime(**when: Any) -> RuleSet:
    cond = {"without_hs": PREFIXES, **when}
    return toy(
        thresholds=[
            th("duty", "100", when=cond),
            th("tax", "100", when=cond),
            th("duty", "10"),
            th("tax", "10"),
        ]
    )


def line(hs: str | None, value: str = "50.00") -> Item:
    return Item(hs, value, duty_rate="0.10")


@pytest.mark.parametrize(
    ("hs", "total"),
    [
        ("210690", PAYS),  # under "21" (a chapter)
        ("21", PAYS),  # the chapter itself
        ("300490", PAYS),  # under "3004" (a heading)
        ("30049000", PAYS),
        ("85171200", PAYS),  # under "851712" (a subheading)
        ("8517130000", D("0.00")),  # 851713 is not 851712: the EUR 100 holds
        ("6109100000", PAYS),  # the 10-digit prefix itself
        ("610910", D("0.00")),  # classified less finely than the 10-digit prefix: not under it
        ("6109100010", D("0.00")),  # a 10-digit code is the longest: only an equal one is under
        ("22", D("0.00")),  # chapter 22 is not 21
        (None, D("0.00")),  # a line without an HS code falls under no prefix
    ],
)
def test_one_line(hs: str | None, total: D) -> None:
    assert both(parcel(line(hs)), regime()).total == total


def test_one_listed_line_takes_the_whole_parcel_out() -> None:
    # EUR 5 under "21" + EUR 45 of clothing (6204): the EUR 100 does not hold; goods 50.00 > 10:
    # duty 10% x 5.00 + 10% x 45.00 = 5.00; VAT 20% x 55.00 = 11.00
    a = both(parcel(line("210690", "5.00"), line("620462", "45.00")), regime())
    assert (a.duty, a.tax, a.total) == (D("5.00"), D("11.00"), PAYS)
    # the same clothing with a line of no HS code: nothing listed, EUR 50 <= 100, exempt
    assert both(parcel(line(None, "5.00"), line("620462", "45.00")), regime()).total == 0


def test_it_combines_with_the_other_fields() -> None:
    # the EUR 100 needs both: shipped from the US and nothing listed
    rules = regime(ship_from=["US"])
    assert both(parcel(line("620462"), ship_from="US"), rules).total == 0
    assert both(parcel(line("620462"), ship_from="CN"), rules).total == PAYS
    assert both(parcel(line("210690"), ship_from="US"), rules).total == PAYS


def test_a_batch_of_parcels_is_tested_parcel_by_parcel() -> None:
    # several parcels in one frame: a listed line must only take its own parcel out
    rules = regime()
    parcels = [
        parcel(line("620462"), id="a"),  # nothing listed: exempt
        parcel(line("620462", "25.00"), line("300490", "25.00"), id="b"),  # second line listed
        parcel(line(None), id="c"),  # no HS code: exempt
        parcel(line("851712", "25.00"), line(None, "25.00"), id="d"),  # first line listed
        parcel(line("610910", "20.00"), line("950300", "20.00"), line("6109", "10.00"), id="e"),
    ]
    frame = to_decimal_frame(assess_frame(shipments_to_frame(parcels), rules))
    totals = dict(zip(frame["shipment_id"], frame["total"], strict=True))
    expected = {"a": D("0.00"), "b": PAYS, "c": D("0.00"), "d": PAYS, "e": D("0.00")}
    assert totals == expected
    assert {p.id: assess(p, rules).total for p in parcels} == expected


def test_decide_per_line_and_per_parcel() -> None:
    cond = Condition(without_hs=["21", "3004"])
    assert decide.allows(cond, "without_hs", ("620462", None))
    assert not decide.allows(cond, "without_hs", ("620462", "300410"))
    assert decide.allows(cond, "without_hs", (None,))
    assert decide.tested_fields(cond) == ("without_hs",)
    shipment = parcel(line("620462"), line("2106"))
    assert decide.attribute(shipment, "without_hs") == ("620462", "2106")
    assert not decide.matches(cond, shipment)


def test_prefixes_are_read_as_hs_prefixes() -> None:
    cond = Condition(without_hs=["21", "3004.10", "8517 12"])
    assert cond.without_hs == ("21", "300410", "851712")
    assert Condition(without_hs="33").without_hs == ("33",)
    assert cond.describe() == "no goods of HS 21/300410/851712"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([], "at least one HS prefix"),
        (["7701"], "77 is reserved"),
        (["1"], "2 to 10 digits"),
        (["12345678901"], "2 to 10 digits"),
        ([21], "an HS prefix as a string"),
    ],
)
def test_bad_prefixes_are_refused_by_name(value: object, expected: str) -> None:
    with pytest.raises(LvsDutyError) as caught:
        RuleSet.build(
            {
                **regime().model_dump(mode="json", exclude={"versions"}),
                "versions": [
                    {
                        "valid_from": "2020-01-01",
                        "valuation": {"basis": "FOB", "source": "law"},
                        "duty": {"general": {"kind": "mfn", "source": "law"}},
                        "thresholds": [th("duty", "100", when={"without_hs": value})],
                    }
                ],
            }
        )
    assert "without_hs" in str(caught.value)
    assert expected in str(caught.value)


def test_rules_show_prints_it() -> None:
    page = show_rules(regime())
    assert "when no goods of HS 21/3004/851712/6109100000" in page
    assert "versions.thresholds[0].when.without_hs = ['21', '3004', '851712', '6109100000']" in page


def test_a_frame_of_one_line_parcels() -> None:
    # one line per parcel (the frame path's single-segment case), read from a plain DataFrame
    frame = pd.DataFrame(
        {
            "shipment_id": ["x", "y"],
            "destination": ["FR", "FR"],
            "date": ["2025-06-01", "2025-06-01"],
            "currency": ["EUR", "EUR"],
            "hs_code": ["210690", "620462"],
            "value": ["50.00", "50.00"],
            "duty_rate": ["0.10", "0.10"],
        }
    )
    out = to_decimal_frame(assess_frame(frame, regime()))
    assert list(out["total"]) == [PAYS, D("0.00")]


def test_check_rules_reports_a_goods_condition_as_a_notch() -> None:
    # a EUR 5.00 handling fee on parcels with no goods of chapter 21: adding a line of chapter 21
    # removes the fee and lowers the total (EUR 5.00 -> 0.00 for lines worth nothing); that is
    # the law's notch, reported, not a failure of adding_an_item
    rules = toy(
        fees=[
            {
                "name": "handling",
                "amount": "5.00",
                "per": "shipment",
                "when": {"without_hs": ["21"]},
                "source": "law",
            }
        ]
    )
    report = check_rules(rules, examples=60, invariants=["adding_an_item"])
    assert report.ok, str(report)
    assert "fee 'handling' condition (no goods of HS 21)" in report.notches
