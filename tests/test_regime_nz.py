"""New Zealand (data/tariff_categories/nz.toml): worked examples at every threshold and date switch.

Rules used (see the file's sources): from 2019-12-01, NZD 1,000 on the consignment's customs
value (FOB, transport and insurance excluded from the test): at or under it no duty and GST 15%
at the point of sale on goods + shipping + insurance; above it MFN duty on the FOB value and GST
on (value + duty + shipping + insurance) at the border; alcohol and tobacco at the border at any
value. From 2010-10-01 to 2019-12-01, duty and GST not collected when together under NZD 60.
Rounding half-up to the cent, once per tax group.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess, load_rules


@pytest.fixture(scope="module")
def nz() -> RuleSet:
    return load_rules("NZ")


def parcel(*items: Item, date: str = "2024-06-01", **fields: Any) -> Shipment:
    return Shipment("NZ", date, "NZD", list(items), **fields)


def shirt(value: str, rate: str = "0.10") -> Item:
    return Item("6205", value, duty_rate=rate)


# --- the NZD 1,000 threshold (from 2019-12-01) -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "duty", "tax", "border", "sale"),
    [
        # at the threshold (inclusive): no duty; GST at sale 1000.00 x 0.15 = 150.00
        ("1000.00", "0.00", "150.00", "0.00", "150.00"),
        # one cent below: GST at sale 999.99 x 0.15 = 149.9985 -> 150.00
        ("999.99", "0.00", "150.00", "0.00", "150.00"),
        # one cent above: duty 1000.01 x 0.10 = 100.001 -> 100.00 at the border;
        # GST (1000.01 + 100.00) x 0.15 = 165.0015 -> 165.00 at the border; total 265.00
        ("1000.01", "100.00", "165.00", "265.00", "0.00"),
    ],
)
def test_nzd_1000_threshold(
    nz: RuleSet, value: str, duty: str, tax: str, border: str, sale: str
) -> None:
    a = assess(parcel(shirt(value)), nz)
    assert (a.duty, a.tax, a.total) == (D(duty), D(tax), D(duty) + D(tax))
    assert (a.collected_at_border, a.collected_at_sale) == (D(border), D(sale))


def test_transport_and_insurance_excluded_from_the_test_but_in_the_bases(nz: RuleSet) -> None:
    # goods 990.00 (<= 1000) + shipping 40.00 + insurance 10.00 = 1040.00: still low value;
    # GST at sale on 990.00 + 40.00 + 10.00 = 1040.00 x 0.15 = 156.00
    a = assess(parcel(shirt("990.00"), shipping="40.00", insurance="10.00"), nz)
    assert (a.duty, a.tax, a.tax_collection) == (D("0.00"), D("156.00"), "sale")
    # goods 1000.01: duty on FOB 1000.01 x 0.10 = 100.00; GST on
    # 1000.01 + 100.00 + 40.00 + 10.00 = 1150.01 x 0.15 = 172.5015 -> 172.50
    a = assess(parcel(shirt("1000.01"), shipping="40.00", insurance="10.00"), nz)
    assert (a.duty, a.tax, a.total) == (D("100.00"), D("172.50"), D("272.50"))
    assert a.tax_collection == "border"


def test_threshold_is_per_consignment_not_per_item(nz: RuleSet) -> None:
    # two items of 600.00 each: each under 1,000 but the consignment is 1,200 > 1,000.
    # duty 600.00 x 0.10 + 600.00 x 0.05 = 60.00 + 30.00 = 90.00;
    # GST (1200.00 + 90.00) x 0.15 = 193.50; total 283.50, all at the border
    a = assess(parcel(shirt("600.00"), shirt("600.00", rate="0.05")), nz)
    assert (a.duty, a.tax, a.total) == (D("90.00"), D("193.50"), D("283.50"))
    assert a.collected_at_border == D("283.50")


def test_alcohol_pays_at_the_border_whatever_the_value(nz: RuleSet) -> None:
    # consignment 150.00 <= 1000. Shirt 100.00: no duty, GST at sale 100.00 x 0.15 = 15.00.
    # Wine 50.00 (excluded): duty 50.00 x 0.05 = 2.50; GST (50.00 + 2.50) x 0.15 = 7.875
    # -> 7.88 (half-up) at the border. Tax 15.00 + 7.88 = 22.88; border 2.50 + 7.88 = 10.38.
    a = assess(parcel(shirt("100.00"), Item("2204", "50.00", duty_rate="0.05")), nz)
    assert (a.duty, a.tax, a.total) == (D("2.50"), D("22.88"), D("25.38"))
    assert (a.collected_at_border, a.collected_at_sale) == (D("10.38"), D("15.00"))
    assert (a.duty_collection, a.tax_collection) == ("border", "mixed")
    assert "alcohol and tobacco" in a.explain()


# --- the date switch on 2019-12-01 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "duty", "tax", "sale"),
    [
        # old version: no value threshold. Duty 500.00 x 0.10 = 50.00;
        # GST (500.00 + 50.00) x 0.15 = 82.50; 132.50 is not under NZD 60: collected
        ("2019-11-30", "50.00", "82.50", "0.00"),
        # new version: 500.00 <= 1000: no duty; GST at sale 500.00 x 0.15 = 75.00
        ("2019-12-01", "0.00", "75.00", "75.00"),
    ],
)
def test_switch_to_gst_at_sale(nz: RuleSet, date: str, duty: str, tax: str, sale: str) -> None:
    a = assess(parcel(shirt("500.00"), date=date), nz)
    assert (a.duty, a.tax, a.collected_at_sale) == (D(duty), D(tax), D(sale))


def test_no_version_before_2010_10_01(nz: RuleSet) -> None:
    with pytest.raises(NotInForceError, match="2010-09-30"):
        assess(parcel(shirt("100.00"), date="2010-09-30"), nz)


# --- the NZD 60 minimum (2010-10-01 to 2019-12-01): duty + GST together, strict '<' -----------


@pytest.mark.parametrize(
    ("item", "assessed", "collected"),
    [
        # MFN free: GST 399.96 x 0.15 = 59.994 -> 59.99 < 60: not collected
        (shirt("399.96", rate="0"), "59.99", "0.00"),
        # GST 399.97 x 0.15 = 59.9955 -> 60.00: not under 60 (strict), collected
        (shirt("399.97", rate="0"), "60.00", "60.00"),
        # 400.00 x 0.15 = 60.00 exactly: collected
        (shirt("400.00", rate="0"), "60.00", "60.00"),
        # duty and GST together: duty 200.00 x 0.10 = 20.00, GST (200 + 20) x 0.15 = 33.00;
        # 53.00 < 60: neither is collected
        (shirt("200.00"), "53.00", "0.00"),
        # duty 30.00 + GST (300 + 30) x 0.15 = 49.50: 79.50 >= 60: both collected
        (shirt("300.00"), "79.50", "79.50"),
    ],
)
def test_nzd_60_minimum_before_2019(nz: RuleSet, item: Item, assessed: str, collected: str) -> None:
    a = assess(parcel(item, date="2015-01-01"), nz)
    assert a.duty_assessed + a.tax_assessed == D(assessed)
    assert a.total == D(collected)


# --- TC-NZ-02: GST already collected by the supplier above NZD 1,000 -------------------------


def test_tc_nz_02_general_border_case(nz: RuleSet) -> None:
    # The file models the general border case (the supplier-collected case cannot be keyed on a
    # shipment field): duty 1000.01 x 0.10 = 100.00; GST (1000.01 + 100.00) x 0.15 = 165.00.
    a = assess(parcel(shirt("1000.01")), nz)
    assert (a.duty, a.tax) == (D("100.00"), D("165.00"))


def test_tc_nz_02_supplier_collected_variant(nz: RuleSet) -> None:
    # A user who knows the supplier already charged GST assesses with a copy of the rules whose
    # border GST base is the duty alone: duty 100.00; GST 100.00 x 0.15 = 15.00 (TC-NZ-02).
    data = nz.model_dump()
    data["versions"][-1]["tax"]["base"] = ["duty"]
    prepaid = RuleSet.build(data)
    a = assess(parcel(shirt("1000.01")), prepaid)
    assert (a.duty, a.tax, a.total) == (D("100.00"), D("15.00"), D("115.00"))
    assert a.collected_at_border == D("115.00")


# --- explanation --------------------------------------------------------------------------------


def test_explain_names_sources_and_flags_doubt(nz: RuleSet) -> None:
    a = assess(parcel(shirt("1000.01")), nz)
    text = a.explain()
    assert "New Zealand Customs Service, important notice" in text
    assert "customs.govt.nz" in text
    assert "[unconfirmed value]" in text  # FOB valuation and the GST base are [U]
    assert a.unconfirmed
    assert nz.at(dt.date(2024, 6, 1)).label in text
