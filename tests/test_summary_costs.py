"""Net revenue and breakdowns in summarize, worked by hand on four Canadian parcels."""

from __future__ import annotations

from decimal import Decimal as D

import pandas as pd
import pytest

from lvs_duty import ArgumentError, Item, RuleSet, Shipment, compare, shipments_to_frame, summarize
from lvs_duty.breakdown import attach
from lvs_duty.costs import CBP_POSTAL_2025, CollectionCosts, collection_cost
from lvs_duty.options import gea_options


def population() -> list[Shipment]:
    def ca(id_: str, value: str, ship_from: str, region: str = "ON") -> Shipment:
        return Shipment(
            "CA",
            "2026-03-01",
            "CAD",
            [Item("610910" if id_ != "s4" else "851830", value, duty_rate="0.18")],
            ship_from=ship_from,
            origin=ship_from,
            region=region,
            id=id_,
        )

    return [
        ca("s1", "15.00", "CN"),
        ca("s2", "100.00", "CN"),
        ca("s3", "100.00", "US"),
        ca("s4", "300.00", "US", "AB"),
    ]


COSTS = CollectionCosts(per_border_collection="8.55", per_classification="1.20", per_parcel="0.10")


def test_net_revenue_hand_worked(ca: RuleSet) -> None:
    summary = summarize(compare(population(), gea_options(ca)), costs=COSTS).set_index("option")
    base = summary.loc["baseline"]
    # baseline totals 0.00, 33.34, 13.00, 71.70 = 118.04; 3 border collections (s2, s3, s4),
    # 2 classification decisions (s2 and s4 pay MFN duty), 4 parcels:
    # cost 3 x 8.55 + 2 x 1.20 + 4 x 0.10 = 25.65 + 2.40 + 0.40 = 28.45; net 89.59
    assert base["revenue"] == D("118.04")
    assert base["collection_cost"] == D("28.45")
    assert base["net_revenue"] == D("89.59")
    vat = summary.loc["duty_free_vat"]
    # option 3: s1-s3 pay HST at sale (1.95 + 13.00 + 13.00), s4 above the ceiling at the
    # border as the baseline (71.70): revenue 99.65, 1 border collection, 1 classification:
    # cost 8.55 + 1.20 + 0.40 = 10.15; net 89.50
    assert vat["revenue"] == D("99.65")
    assert vat["border_collection_events"] == 1
    assert vat["collection_cost"] == D("10.15")
    assert vat["net_revenue"] == D("89.50")


def test_no_costs_by_default(ca: RuleSet) -> None:
    summary = summarize(compare(population(), gea_options(ca)))
    assert (summary["collection_cost"] == D(0)).all()
    assert (summary["net_revenue"] == summary["revenue"]).all()


def test_frame_path_prices_the_same_counts(ca: RuleSet) -> None:
    options = gea_options(ca)
    minor = compare(shipments_to_frame(population()), options, amounts="minor")
    assert summarize(minor, costs=COSTS).equals(
        summarize(compare(population(), options), costs=COSTS)
    )


def test_collection_cost_and_its_checks() -> None:
    assert collection_cost(
        CBP_POSTAL_2025, shipments=10, border_collection_events=2, classifications=5
    ) == D("17.10")  # 2 x 8.55
    with pytest.raises(ArgumentError, match="non-negative"):
        CollectionCosts(per_parcel="-1")
    with pytest.raises(ArgumentError, match="exact amount"):
        CollectionCosts(per_parcel=0.5)  # type: ignore[arg-type]


def test_costs_in_another_currency_refused(ca: RuleSet) -> None:
    with pytest.raises(ArgumentError, match="currency"):
        summarize(compare(population(), gea_options(ca)), costs=CBP_POSTAL_2025)


def test_jpy_means_in_whole_yen() -> None:
    from lvs_duty import load_rules

    jp = load_rules("JP")
    parcels = [
        Shipment("JP", "2026-03-01", "JPY", [Item("610910", v, duty_rate="0.1")], id=f"j{v}")
        for v in ("50000", "60001", "70001")
    ]
    summary = summarize(compare(parcels, {"JP": jp}))
    for column in ("mean_burden", "median_burden"):
        value = summary[column].iat[0]
        assert value == value.to_integral_value()
        assert value.as_tuple().exponent == 0


def test_breakdown_by_value_band_hand_worked(ca: RuleSet) -> None:
    table = compare(population(), gea_options(ca))
    by = summarize(table, by="value_band", bands=(20, 150), costs=COSTS)
    assert list(by.columns[:2]) == ["option", "value_band"]
    base = by[by["option"] == "baseline"].set_index("value_band")
    assert list(base.index) == ["0–20", "20–150", "over 150"]
    # 0–20: s1 relieved; 20–150: s2 33.34 + s3 13.00 = 46.34, two border collections, one
    # classification: cost 2 x 8.55 + 1.20 + 2 x 0.10 = 18.50, net 27.84; over 150: s4 71.70
    assert base.loc["0–20", "revenue"] == D("0.00")
    assert base.loc["20–150", "revenue"] == D("46.34")
    assert base.loc["20–150", "net_revenue"] == D("27.84")
    assert base.loc["over 150", "revenue"] == D("71.70")


@pytest.mark.parametrize(
    ("by", "bands"),
    [("value_band", (20, 150)), ("origin", None), ("ship_from", None), ("hs_chapter", None)],
)
def test_breakdown_sums_to_total(ca: RuleSet, by: str, bands: tuple[int, ...] | None) -> None:
    parcels = population()
    table = attach(compare(parcels, gea_options(ca)), parcels)
    total = summarize(table, costs=COSTS).set_index("option")
    parts = summarize(table, by=by, bands=bands, costs=COSTS)
    for column in (
        "shipments",
        "shipments_charged",
        "border_collection_events",
        "classifications",
        "duty",
        "tax",
        "fees",
        "revenue",
        "collection_cost",
        "net_revenue",
    ):
        sums = parts.groupby("option", sort=False)[column].sum()
        for option, value in sums.items():
            assert value == total.loc[option, column], (option, column)


def test_breakdown_on_the_frame_path_agrees(ca: RuleSet) -> None:
    frame = shipments_to_frame(population())
    options = gea_options(ca)
    minor = attach(compare(frame, options, amounts="minor"), frame, ("origin",))
    scalar = attach(compare(population(), options), population(), ("origin",))
    for by, bands in (("value_band", (20, 150)), ("origin", None)):
        assert summarize(minor, by=by, bands=bands).equals(summarize(scalar, by=by, bands=bands))


def test_hs_chapter_breakdown(ca: RuleSet) -> None:
    parcels = population()
    table = attach(compare(parcels, {"baseline": ca}), parcels)
    by = summarize(table, by="hs_chapter").set_index("hs_chapter")
    # s1-s3 are HS 61 (T-shirts): 0.00 + 33.34 + 13.00; s4 is HS 85 (headphones): 71.70
    assert by.loc["61", "revenue"] == D("46.34")
    assert by.loc["85", "revenue"] == D("71.70")


def test_breakdown_errors(ca: RuleSet) -> None:
    table = compare(population(), {"baseline": ca})
    with pytest.raises(ArgumentError, match="origin"):
        summarize(table, by="origin")
    with pytest.raises(ArgumentError, match="hs_code"):
        summarize(table, by="hs_chapter")
    with pytest.raises(ArgumentError, match="bands"):
        summarize(table, by="value_band")
    with pytest.raises(ArgumentError, match="bands"):
        summarize(table, by="value_band", bands=(150, 20))
    with pytest.raises(ArgumentError, match="shipment"):
        attach(table, population()[:2])
    assert isinstance(attach(table, shipments_to_frame(population())), pd.DataFrame)
