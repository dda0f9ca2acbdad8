"""Schedules in the engines: a line without duty_rate takes its schedule line, on both paths.

Amounts are worked by hand from the CA rules (ON HST 13% on value for duty + duty, CUSMA
courier thresholds CAD 150 duty / CAD 40 tax, so a CAD 160.01 parcel from the US pays both)
and the small schedule below.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

from lvs_duty import (
    Item,
    Shipment,
    assess,
    assess_frame,
    compare,
    load_rules,
    shipments_to_frame,
    summarize,
    to_decimal_frame,
)
from lvs_duty.errors import (
    ArgumentError,
    FrameError,
    NotInForceError,
    RateUnavailableError,
)
from lvs_duty.rules import RuleSet
from lvs_duty.schedules import Schedule, load_schedule, loads_schedule
from lvs_duty.simulate import annual_totals

SCHEDULE = loads_schedule(
    """\
code = "CA"
name = "Test schedule"
currency = "CAD"
[sources]
t = { title = "Test tariff" }
[[versions]]
valid_from = 2025-01-01
lines = [
  { hs = "6109", ad_valorem = "0.18", description = "T-shirts", source = "t" },
  { hs = "640411", ad_valorem = "0.18", specific = { amount = "0.90", per = "pair" }, \
combine = "sum", source = "t" },
  { hs = "2106", specific = { amount = "0.045", per = "kg" }, source = "t", \
unconfirmed = "[S] a test value" },
]
"""
)
CA = load_rules("CA")


def parcel(*items: Item, day: str = "2026-03-01") -> Shipment:
    return Shipment("CA", day, "CAD", list(items), ship_from="US", region="ON", id="P1")


def frame_row(shipment: Shipment, rules: RuleSet = CA, **kw: object) -> pd.Series:
    out = assess_frame(shipments_to_frame([shipment]), rules, schedule=SCHEDULE, **kw)  # type: ignore[arg-type]
    return to_decimal_frame(out).iloc[0]


def test_an_ad_valorem_line_stands_in_for_the_rate_on_both_paths() -> None:
    # 18% x 150.01 = 27.0018 -> 27.00; HST 13% x (150.01 + 27.00) = 23.0113 -> 23.01
    p = parcel(Item("610910", "150.01"))
    a = assess(p, CA, schedule=SCHEDULE)
    assert (a.duty, a.tax, a.total) == (D("27.00"), D("23.01"), D("50.01"))
    row = frame_row(p)
    assert (row["duty"], row["tax"], row["total"]) == (a.duty, a.tax, a.total)
    text = a.explain()
    assert "CA schedule line 6109 (T-shirts): 18% [Test tariff]" in text


def test_the_line_s_own_rate_wins() -> None:
    # 5% x 150.01 = 7.5005 -> 7.50, not the schedule's 18%
    p = parcel(Item("610910", "150.01", duty_rate="0.05"))
    assert assess(p, CA, schedule=SCHEDULE).duty == D("7.50")
    assert frame_row(p)["duty"] == D("7.50")
    assert "schedule line" not in assess(p, CA, schedule=SCHEDULE).explain()


def test_specific_duties_use_quantity_and_weight_and_say_which() -> None:
    # 18% x 150.01 + 0.90 x 2 pairs = 27.0018 + 1.80 = 28.8018; 0.045 x 2.5 kg = 0.1125
    # duty 28.9143 -> 28.91; HST 13% x (160.01 + 28.91) = 24.5596 -> 24.56
    p = parcel(Item("640411", "150.01", quantity=2), Item("210690", "10.00", weight_kg="2.5"))
    a = assess(p, CA, schedule=SCHEDULE)
    assert (a.duty, a.tax, a.total) == (D("28.91"), D("24.56"), D("53.47"))
    row = frame_row(p)
    assert (row["duty"], row["tax"], row["total"]) == (a.duty, a.tax, a.total)
    text = a.explain()
    assert "charged on value and pair: 0.18 x 150.01 + 0.90/pair x 2 pairs = 28.8018" in text
    assert "charged on kg: 0.045/kg x 2.5 kg = 0.1125" in text
    assert "CA schedule line 2106: 0.045 CAD/kg [Test tariff] [S] a test value" in text


def test_a_weight_the_line_needs_is_refused_by_name_on_both_paths() -> None:
    p = parcel(Item("210690", "160.01"))
    with pytest.raises(RateUnavailableError, match=r"items\[0\]\.weight_kg: expected the weight"):
        assess(p, CA, schedule=SCHEDULE)
    with pytest.raises(FrameError, match="weight_kg"):
        assess_frame(shipments_to_frame([p]), CA, schedule=SCHEDULE)


def test_an_uncovered_line_is_refused_naming_the_schedule() -> None:
    p = parcel(Item("950300", "160.01"))
    with pytest.raises(RateUnavailableError, match="or a schedule line covering HS 950300"):
        assess(p, CA, schedule=SCHEDULE)
    assert frame_row(p, errors="flag")["status"] == "error"


def test_a_schedule_not_in_force_is_refused_on_both_paths() -> None:
    p = parcel(Item("610910", "160.01"), day="2024-06-01")
    with pytest.raises(NotInForceError):
        assess(p, CA, schedule=SCHEDULE)
    row = frame_row(p, errors="flag")
    assert row["status"] == "error"
    assert "schedule CA has no version in force" in row["error"]


def test_a_schedule_in_another_currency_is_refused_by_name() -> None:
    us = load_schedule("US")
    p = parcel(Item("610910", "160.01"))
    for call in (
        lambda: assess(p, CA, schedule=us),
        lambda: assess_frame(shipments_to_frame([p]), CA, schedule=us),
        lambda: compare([p], {"CA": CA}, schedule=us),
    ):
        with pytest.raises(ArgumentError, match=r"a schedule in CAD, the currency of CA \(US is"):
            call()


def test_a_rate_needed_from_a_specific_line_is_refused_naming_it() -> None:
    # a category charged at the item's MFN rate cannot take a specific line's duty as a rate
    data = CA.model_dump()
    version = data["versions"][-1]
    version["duty"]["general"] = {
        "kind": "categories",
        "source": ["cbsa"] if "cbsa" in data["sources"] else [next(iter(data["sources"]))],
        "categories": [{"name": "mfn", "item_rate": True, "hs_prefixes": ["21"]}],
    }
    rules = RuleSet.model_validate(data)
    p = parcel(Item("210690", "160.01", weight_kg="1"))
    with pytest.raises(RateUnavailableError, match=r"schedule line 2106 charges 0\.045/kg"):
        assess(p, rules, schedule=SCHEDULE)
    row = frame_row(p, rules, errors="flag")
    assert row["status"] == "error"
    assert "schedule line 2106 charges 0.045/kg" in row["error"]


def test_compare_passes_the_schedule_to_every_option_on_both_paths() -> None:
    ships = [parcel(Item("610910", "150.01")), parcel(Item("640411", "150.01", quantity=2))]
    ships[1] = ships[1].model_copy(update={"id": "P2"})
    listed = compare(ships, {"CA": CA}, schedule=SCHEDULE)
    framed = compare(shipments_to_frame(ships), {"CA": CA}, schedule=SCHEDULE)
    # 27.00 and 28.80 (18% x 150.01 + 1.80 = 28.8018)
    assert listed["duty"].tolist() == [D("27.00"), D("28.80")]
    assert framed["duty"].tolist() == listed["duty"].tolist()


# --- weights ------------------------------------------------------------------------------------


def weighted_frame() -> pd.DataFrame:
    ships = [
        parcel(Item("610910", "150.01", duty_rate="0.18")),  # total 50.01
        parcel(Item("610910", "10.00", duty_rate="0.18")),  # under both thresholds: 0
    ]
    ships[1] = ships[1].model_copy(update={"id": "P2"})
    frame = shipments_to_frame(ships)
    frame["weight"] = np.array([3, 1_000_000_000_000], dtype=np.int64)
    return frame


def test_weights_are_carried_and_summarize_gives_exact_annual_totals() -> None:
    frame = weighted_frame()
    for amounts in ("decimal", "minor"):
        comparison = compare(frame, {"CA": CA}, amounts=amounts)  # type: ignore[arg-type]
        assert comparison["weight"].tolist() == [3, 1_000_000_000_000]
        row = summarize(comparison).iloc[0]
        # 3 x 50.01 + 10^12 x 0 = 150.03; parcels 3 + 10^12; charged: the first only
        assert row["revenue_per_year"] == D("150.03")
        assert row["parcels_per_year"] == 1_000_000_000_003
        assert row["parcels_charged_per_year"] == 3
        assert row["revenue"] == D("50.01")  # per-parcel figures unchanged
    assert assess_frame(frame, CA)["weight"].tolist() == [3, 1_000_000_000_000]


def test_annual_totals_and_summarize_are_one_definition() -> None:
    frame = weighted_frame()
    comparison = compare(frame, {"CA": CA})
    annual = annual_totals(comparison.drop(columns=["weight"]), frame).iloc[0]
    row = summarize(comparison).iloc[0]
    assert annual["revenue"] == row["revenue_per_year"] == D("150.03")


def test_summarize_weights_on_dask() -> None:
    dd = pytest.importorskip("dask.dataframe")
    from lvs_duty.frame import to_dask

    frame = weighted_frame()
    lazy = compare(to_dask(frame, 2), {"CA": CA}, amounts="minor")
    row = summarize(lazy).iloc[0]
    assert row["revenue_per_year"] == D("150.03")
    assert row["parcels_per_year"] == 1_000_000_000_003
    assert dd is not None


def test_a_bad_weight_is_refused_by_row() -> None:
    frame = weighted_frame()
    frame["weight"] = pd.Series([3, -1], dtype=object)
    with pytest.raises(FrameError, match=r"column .weight.: expected a whole number of parcels"):
        assess_frame(frame, CA)


def test_the_bundled_schedules_feed_a_calibrated_population() -> None:
    from lvs_duty.simulate import population

    pop = population(200, "CA", seed=3, profile="ca_2024", date=dt.date(2026, 7, 1))
    pop = pop.drop(columns=["seller_registered"])
    out = compare(pop, {"CA": CA}, schedule=load_schedule("CA"), amounts="minor")
    assert (out["weight"] > 0).all()
    assert isinstance(load_schedule("CA"), Schedule)


def test_a_schedule_on_dask_gives_the_pandas_answer() -> None:
    pytest.importorskip("dask.dataframe")
    from lvs_duty.frame import to_dask

    ships = [parcel(Item("640411", "150.01", quantity=2)), parcel(Item("610910", "150.01"))]
    ships[1] = ships[1].model_copy(update={"id": "P2"})
    frame = shipments_to_frame(ships)
    lazy = assess_frame(to_dask(frame, 2), CA, schedule=SCHEDULE).compute()
    # 28.8018 -> 28.80 and 27.0018 -> 27.00, as on pandas
    assert lazy["duty_minor"].tolist() == [2880, 2700]
