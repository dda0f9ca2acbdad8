"""Singapore (data/tariff_categories/sg.toml): LVG per item, GST 8% then 9%, the stout duty.

Rules used (see the file's sources): from 2023-01-01, each item of SGD 400 or less (goods value,
inclusive, per item) that is not dutiable carries GST at sale on its price + shipping +
insurance; otherwise GST at the border on CIF + duty. GST 8% in 2023, 9% from 2024-01-01. Duty
only on liquor, tobacco, motor vehicles and petroleum; beer and stout SGD 76 per litre of
alcohol. Shipping is spread over lines in proportion to value. Rounding half-up to the cent.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from lvs_duty import Item, NotInForceError, RateUnavailableError, RuleSet, Shipment, assess


def parcel(*items: Item, date: str = "2024-06-01", **fields: Any) -> Shipment:
    return Shipment("SG", date, "SGD", list(items), **fields)


def lamp(value: str, **more: Any) -> Item:
    return Item("9405", value, **more)


def stout(value: str = "300.00") -> Item:
    return Item("2203", value, volume_l="75", abv="0.05")


# --- the SGD 400 per-item LVG threshold --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shipping", "tax", "where"),
    [
        # at SGD 400 (inclusive): GST at sale (400.00 + 10.00) x 0.09 = 36.90
        ("400.00", "10.00", "36.90", "sale"),
        # below: (399.99 + 10.00) x 0.09 = 36.8991 -> 36.90 at sale
        ("399.99", "10.00", "36.90", "sale"),
        # above: border GST on CIF (400.01 + 10.00) x 0.09 = 36.9009 -> 36.90; no duty
        ("400.01", "10.00", "36.90", "border"),
        # freight is not in the test: 390.00 + 20.00 = 410.00 is still LVG
        ("390.00", "20.00", "36.90", "sale"),
    ],
)
def test_lvg_threshold(sg: RuleSet, value: str, shipping: str, tax: str, where: str) -> None:
    a = assess(parcel(lamp(value), shipping=shipping), sg)
    assert (a.duty, a.tax, a.tax_collection) == (D("0.00"), D(tax), where)


def test_lvg_is_per_item(sg: RuleSet) -> None:
    # two lamps of 300.00 (consignment 600.00): each <= 400, both at sale: 600 x 0.09 = 54.00
    a = assess(parcel(lamp("300.00"), lamp("300.00")), sg)
    assert (a.tax, a.collected_at_sale) == (D("54.00"), D("54.00"))
    # 300.00 and 500.00: the first at sale 27.00, the second at the border 45.00
    a = assess(parcel(lamp("300.00"), lamp("500.00")), sg)
    assert (a.collected_at_sale, a.collected_at_border) == (D("27.00"), D("45.00"))
    assert a.tax_collection == "mixed"


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("800.00", "sale"),  # 2 units at 400.00 each: LVG
        ("800.02", "border"),  # 2 units at 400.01 each: not LVG
    ],
)
def test_lvg_tests_the_unit_value(sg: RuleSet, value: str, where: str) -> None:
    # GST 800.00 x 0.09 = 72.00; 800.02 x 0.09 = 72.0018 -> 72.00
    a = assess(parcel(lamp(value, quantity=2)), sg)
    assert (a.tax, a.tax_collection) == (D("72.00"), where)


# --- the 2024-01-01 rate switch -----------------------------------------------------------------


@pytest.mark.parametrize(("date", "tax"), [("2023-12-31", "8.00"), ("2024-01-01", "9.00")])
def test_gst_8_then_9(sg: RuleSet, date: str, tax: str) -> None:
    # 100.00 x 0.08 = 8.00 in 2023; x 0.09 = 9.00 from 2024
    assert assess(parcel(lamp("100.00"), date=date), sg).tax == D(tax)


def test_no_version_before_2023(sg: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel(lamp("100.00"), date="2022-12-31"), sg)


# --- dutiable goods -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "tax"),
    [
        # TC-SG-03: duty 75 l x 0.05 x (16 + 60) = 285.00. Dutiable, so never LVG: border GST on
        # (300.00 + 285.00) x 0.09 = 52.65 in 2024; x 0.08 = 46.80 in 2023
        ("2024-06-01", "52.65"),
        ("2023-06-01", "46.80"),
    ],
)
def test_tc_sg_03_stout(sg: RuleSet, date: str, tax: str) -> None:
    a = assess(parcel(stout(), date=date), sg)
    assert (a.duty, a.tax, a.total) == (D("285.00"), D(tax), D("285.00") + D(tax))
    assert a.tax_collection == "border"


def test_stout_and_a_book_split_collection(sg: RuleSet) -> None:
    # book 20.00 at sale: 1.80; stout as above at the border: duty 285.00, GST 52.65
    a = assess(parcel(Item("4901", "20.00"), stout()), sg)
    assert (a.collected_at_sale, a.collected_at_border) == (D("1.80"), D("337.65"))


def test_other_liquor_needs_its_rate(sg: RuleSet) -> None:
    with pytest.raises(RateUnavailableError, match="duty_rate"):
        assess(parcel(Item("2204", "50.00")), sg)


def test_explain_names_sources_and_flags_doubt(sg: RuleSet) -> None:
    a = assess(parcel(lamp("400.00")), sg)
    text = a.explain()
    assert "IRAS: GST on imports of low-value goods" in text
    assert "[unconfirmed value]" in text  # per-item scope and freight in the test are [S]/[U]
    a = assess(parcel(stout()), sg)
    assert "Duties and dutiable goods" in a.explain()
