"""compare and summarize over a small population whose every figure is worked by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

import lvs_duty
from lvs_duty import ArgumentError, Item, RuleSet, Shipment, compare, summarize
from lvs_duty.compare import COMPARISON_COLUMNS, SUMMARY_COLUMNS
from lvs_duty.options import gea_options


def population() -> list[Shipment]:
    def ca(id_: str, value: str, ship_from: str, region: str = "ON") -> Shipment:
        return Shipment(
            "CA",
            "2026-03-01",
            "CAD",
            [Item("610910", value, duty_rate="0.18")],
            ship_from=ship_from,
            region=region,
            id=id_,
        )

    return [
        ca("s1", "15.00", "CN"),
        ca("s2", "100.00", "CN"),
        ca("s3", "100.00", "US"),
        ca("s4", "300.00", "US", "AB"),
    ]


def test_comparison_rows_hand_worked(ca: RuleSet) -> None:
    options = gea_options(ca)  # ceiling CAD 150, flat 10%, CA 98.25 baskets, GST/HST at sale
    table = compare(population(), options)
    assert list(table.columns) == list(COMPARISON_COLUMNS)
    assert len(table) == 16
    assert list(table["option"].unique()) == list(options)
    got = {
        (r.option, r.shipment_id): (r.duty, r.tax, r.total, r.classifications)
        for r in table.itertuples()
    }
    # baseline: s1 15.00 <= 20 relieved. s2 from CN: duty 18.00, HST (100+18) x .13 = 15.34.
    # s3 from US: duty relieved (<= 150), HST 100 x .13 = 13.00 (> 40).
    # s4 300 > 150: duty 54.00, GST (300+54) x .05 = 17.70
    assert got["baseline", "s1"] == (D("0.00"), D("0.00"), D("0.00"), 0)
    assert got["baseline", "s2"] == (D("18.00"), D("15.34"), D("33.34"), 1)
    assert got["baseline", "s3"] == (D("0.00"), D("13.00"), D("13.00"), 0)
    assert got["baseline", "s4"] == (D("54.00"), D("17.70"), D("71.70"), 1)
    # flat 10% up to 150: s2 duty 10.00, HST 110 x .13 = 14.30; s4 above: as baseline
    assert got["flat_rate", "s2"] == (D("10.00"), D("14.30"), D("24.30"), 0)
    assert got["flat_rate", "s4"] == got["baseline", "s4"]
    # baskets up to 150: s2 MFN 18% -> 20% basket: 20.00, HST 120 x .13 = 15.60
    assert got["category_tariff", "s2"] == (D("20.00"), D("15.60"), D("35.60"), 1)
    # option 3: s1 GST/HST at sale from the first cent: 15 x .13 = 1.95; s2 100 x .13 = 13.00
    assert got["duty_free_vat", "s1"] == (D("0.00"), D("1.95"), D("1.95"), 0)
    assert got["duty_free_vat", "s2"] == (D("0.00"), D("13.00"), D("13.00"), 0)
    by = table.set_index(["option", "shipment_id"])
    assert by.loc[("duty_free_vat", "s2"), "tax_collection"] == "sale"
    assert not by.loc[("duty_free_vat", "s2"), "border_collection"]
    assert by.loc[("baseline", "s2"), "effective_rate"] == D("0.3334")


def test_summary_hand_worked(ca: RuleSet) -> None:
    summary = summarize(compare(population(), gea_options(ca)))
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    base = summary.set_index("option").loc["baseline"]
    # totals 0.00, 33.34, 13.00, 71.70: revenue 118.04, mean 29.51, median (13.00+33.34)/2
    assert base["shipments"] == 4
    assert base["shipments_charged"] == 3
    assert base["border_collection_events"] == 3
    assert base["revenue"] == D("118.04")
    assert base["duty"] == D("72.00")
    assert base["tax"] == D("46.04")
    assert base["mean_burden"] == D("29.51")
    assert base["median_burden"] == D("23.17")
    assert base["classifications"] == 2
    vat = summary.set_index("option").loc["duty_free_vat"]
    # s1..s3 at sale (1.95 + 13.00 + 13.00); s4 at the border (duty 54.00 + GST 17.70)
    assert vat["border_collection_events"] == 1
    assert vat["revenue"] == D("99.65")


def test_compare_accepts_the_canonical_frame(ca: RuleSet) -> None:
    frame = lvs_duty.shipments_to_frame(population())
    options = {"baseline": ca}
    assert compare(frame, options).equals(compare(population(), options))


def test_compare_names_the_failing_shipment_and_option(ca: RuleSet) -> None:
    bad = [
        Shipment("CA", "2026-03-01", "CAD", [Item("6109", "99.00")], ship_from="CN", id="no-rate")
    ]
    with pytest.raises(lvs_duty.RateUnavailableError) as caught:
        compare(bad, {"base": ca})
    assert "while assessing shipment 'no-rate' under option 'base'" in caught.value.__notes__


@pytest.mark.parametrize(
    ("options", "message"),
    [({}, "options expected a non-empty mapping"), ({"x": "CA"}, r"options\['x'\] expected a")],
)
def test_bad_options(options: object, message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        compare(population(), options)  # type: ignore[arg-type]
