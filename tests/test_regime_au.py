"""Australia (data/tariff_categories/au.toml): worked examples at the threshold and date switch.

Rules used (see the file's sources): AUD 1,000 on the customs value (FOB, transport and
insurance excluded from the test), inclusive. From 2018-07-01, at or under it no duty and GST
10% at sale on goods + shipping + insurance; before, no duty and no GST. Above it MFN duty on
the FOB value and GST 10% on the VoTI = customs value + duty + transport + insurance, at the
border. Alcohol and tobacco never relieved. Rounding half-up to the cent, once per tax group.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess


def parcel(*items: Item, date: str = "2024-06-01", **fields: Any) -> Shipment:
    return Shipment("AU", date, "AUD", list(items), **fields)


def goods(value: str, rate: str = "0.05") -> Item:
    return Item("8516", value, duty_rate=rate)


def test_official_example(au: RuleSet) -> None:
    # customs.gov.au example: CV 1,200.00; duty 5% = 60.00; T&I 150.00 (100 + 50);
    # VoTI 1200 + 60 + 150 = 1410.00; GST 141.00; total 201.00 at the border
    a = assess(parcel(goods("1200.00"), shipping="100.00", insurance="50.00"), au)
    assert (a.duty, a.tax_base, a.tax, a.total) == (
        D("60.00"),
        D("1410.00"),
        D("141.00"),
        D("201.00"),
    )
    assert a.collected_at_border == D("201.00")


@pytest.mark.parametrize(
    ("value", "duty", "tax", "where"),
    [
        # OE-03 style: 999.99 -> GST at sale 99.999 -> 100.00, no duty
        ("999.99", "0.00", "100.00", "sale"),
        # at AUD 1,000 (inclusive): GST at sale 100.00
        ("1000.00", "0.00", "100.00", "sale"),
        # above: duty 1000.01 x 0.05 = 50.0005 -> 50.00; GST (1000.01 + 50.00) x 0.10 =
        # 105.001 -> 105.00 at the border
        ("1000.01", "50.00", "105.00", "border"),
    ],
)
def test_aud_1000_threshold(au: RuleSet, value: str, duty: str, tax: str, where: str) -> None:
    a = assess(parcel(goods(value)), au)
    assert (a.duty, a.tax, a.tax_collection) == (D(duty), D(tax), where)
    assert a.total == D(duty) + D(tax)


def test_transport_excluded_from_the_test_but_in_the_sale_base(au: RuleSet) -> None:
    # goods 950.00 + shipping 80.00: the test is on 950.00: GST at sale (950 + 80) x 0.10 = 103.00
    a = assess(parcel(goods("950.00"), shipping="80.00"), au)
    assert (a.duty, a.tax, a.tax_collection) == (D("0.00"), D("103.00"), "sale")


def test_multi_item_consignment_above_the_threshold(au: RuleSet) -> None:
    # three lines of 400.00 (1,200 > 1,000): duty 400 x 5% + 400 x 0% + 400 x 10% = 60.00;
    # GST (1200 + 60) x 0.10 = 126.00; total 186.00
    a = assess(parcel(goods("400.00"), goods("400.00", rate="0"), goods("400.00", rate="0.10")), au)
    assert (a.duty, a.tax, a.total) == (D("60.00"), D("126.00"), D("186.00"))


def test_rounding_to_the_cent(au: RuleSet) -> None:
    # duty 1234.56 x 0.05 = 61.728 -> 61.73; GST (1234.56 + 61.73) x 0.10 = 129.629 -> 129.63
    a = assess(parcel(goods("1234.56")), au)
    assert (a.duty, a.tax) == (D("61.73"), D("129.63"))


def test_alcohol_pays_at_the_border(au: RuleSet) -> None:
    # shirt 200.00: GST at sale 20.00. Wine 100.00 (excluded): duty 5.00; GST (100 + 5) x 0.10
    # = 10.50 at the border. Tax 30.50; total 35.50; border 15.50, sale 20.00
    a = assess(parcel(goods("200.00"), Item("2204", "100.00", duty_rate="0.05")), au)
    assert (a.duty, a.tax, a.total) == (D("5.00"), D("30.50"), D("35.50"))
    assert (a.collected_at_border, a.collected_at_sale) == (D("15.50"), D("20.00"))


# --- the 2018-07-01 switch ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "tax", "where"),
    [
        ("2018-06-30", "0.00", None),  # before: 500.00 <= 1,000, no GST at all
        ("2018-07-01", "50.00", "sale"),  # GST on low-value goods at sale: 500.00 x 0.10
    ],
)
def test_gst_on_low_value_goods_switch(au: RuleSet, date: str, tax: str, where: str | None) -> None:
    a = assess(parcel(goods("500.00"), date=date), au)
    assert (a.duty, a.tax, a.tax_collection) == (D("0.00"), D(tax), where)


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        ("1000.00", "0.00", "0.00"),  # before 2018: at the threshold, nothing
        ("1000.01", "50.00", "105.00"),  # above: duty and GST at the border, as today
    ],
)
def test_threshold_before_2018(au: RuleSet, value: str, duty: str, tax: str) -> None:
    a = assess(parcel(goods(value), date="2010-01-01"), au)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_no_version_before_2005_10_01(au: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel(goods("100.00"), date="2005-09-30"), au)


def test_explain_names_sources_and_flags_doubt(au: RuleSet) -> None:
    a = assess(parcel(goods("999.99")), au)
    text = a.explain()
    assert "LCR 2018/1" in text
    assert "GST on low value imported goods (at sale)" in text
    assert "[unconfirmed value]" in text  # FOB duty base [S]
