"""Behavioural response: undervaluation, bunching and splitting, each worked by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from lvs_duty import ArgumentError, Item, RuleSet, Shipment, assess, load_rules
from lvs_duty.behaviour import Response, compare_with_response, respond


def ca_parcel(id_: str, *values: str, ship_from: str = "CN") -> Shipment:
    return Shipment(
        "CA",
        "2026-03-01",
        "CAD",
        [Item("610910", v, duty_rate="0.18") for v in values],
        ship_from=ship_from,
        region="ON",
        id=id_,
    )


def test_undervaluation_hand_worked(ca: RuleSet) -> None:
    parcels = [ca_parcel("s2", "100.00")]
    table = compare_with_response(
        parcels, {"baseline": ca}, Response(undervaluation="1", declared_fraction="0.5")
    ).set_index("scenario")
    # static: duty 18.00, HST (100 + 18) x .13 = 15.34, total 33.34
    # declared at half, 50.00: duty 9.00, HST 59.00 x .13 = 7.67, total 16.67
    assert table.loc["static", "revenue"] == D("33.34")
    assert table.loc["behavioural", "revenue"] == D("16.67")


def test_bunching_below_the_au_notch() -> None:
    au = load_rules("AU")

    def parcel(value: str) -> Shipment:
        return Shipment("AU", "2026-02-01", "AUD", [Item("640399", value, duty_rate="0.05")])

    # The AUD 1,000 notch's dominated band ends at 1,065.07 (see analysis.notches):
    # 1,050.00 bunches to 1,000.00, where GST at sale is 100.00 (not duty 52.50 + GST 10% of
    # 1,102.50 = 110.25, 162.75); 1,100.00 is above the band and stays.
    moved = respond([parcel("1050.00"), parcel("1100.00")], au, Response(bunching="1"))
    assert [p.goods_value for p in moved] == [D("1000.00"), D("1100.00")]
    assert assess(parcel("1050.00"), au).total == D("162.75")
    assert assess(moved[0], au).total == D("100.00")


def test_splitting_where_it_pays(ca: RuleSet) -> None:
    parcels = [ca_parcel("w", "100.00", "100.00", ship_from="US")]
    table = compare_with_response(parcels, {"baseline": ca}, Response(splitting="1")).set_index(
        "scenario"
    )
    # whole CAD 200 > CUSMA 150: duty 36.00, HST 236 x .13 = 30.68, total 66.68; as two
    # CAD 100 parcels, each duty-free, HST 13.00 each: 26.00 over 2 parcels
    assert table.loc["static", "revenue"] == D("66.68")
    assert table.loc["behavioural", "revenue"] == D("26.00")
    assert table.loc["behavioural", "shipments"] == 2


def test_static_response_changes_nothing_and_shares_pick_by_seed(ca: RuleSet) -> None:
    parcels = [ca_parcel(f"p{i}", "100.00") for i in range(40)]
    assert respond(parcels, ca, Response()) == parcels
    half = Response(undervaluation="0.5", declared_fraction="0.5", seed=1)
    first = respond(parcels, ca, half)
    assert first == respond(parcels, ca, half)  # deterministic for a seed
    halved = sum(p.goods_value == D("50.00") for p in first)
    assert 0 < halved < 40
    assert first != respond(
        parcels, ca, Response(undervaluation="0.5", declared_fraction="0.5", seed=2)
    )


def test_response_checks() -> None:
    with pytest.raises(ArgumentError, match="between 0 and 1"):
        Response(bunching="1.5")
    with pytest.raises(ArgumentError, match="not a float"):
        Response(splitting=0.5)  # type: ignore[arg-type]
    assert "50%" in Response(bunching="0.5").describe()
