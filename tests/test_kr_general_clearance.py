"""Korea's general clearance (data/tariff_categories/kr.toml): USD 150 even from the US.

Goods of HS chapters 01-31, 33, 41, 43-47 and 93 (food, supplements, medicines, cosmetics...) are
cleared generally, exempt only up to USD 150 even when shipped from the US, and a parcel mixing
them with list-clearance goods is cleared generally as a whole (boxoregon's example). The file's
valuation: thresholds measured on the goods price, inclusive; over them, MFN duty (the line's
rate) on the CIF value and VAT 10% on CIF + duty, rounded half-up to the cent per shipment.
Every amount is checked on both paths.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from _both_paths import both
from lvs_duty import Item, RuleSet, Shipment, load_rules


@pytest.fixture(scope="module")
def kr() -> RuleSet:
    return load_rules("KR")


def parcel(*items: Item, ship_from: str = "US", **fields: Any) -> Shipment:
    return Shipment("KR", "2025-06-01", "USD", list(items), ship_from=ship_from, **fields)


def vitamins(value: str, hs: str = "210690") -> Item:
    return Item(hs, value, duty_rate="0.08")


def clothing(value: str) -> Item:
    return Item("610910", value, duty_rate="0.13")


@pytest.mark.parametrize("hs", ["210690", "3004"])
def test_us_vitamins_over_usd_150_pay_on_the_whole(kr: RuleSet, hs: str) -> None:
    # goods 180.00 > 150 (the US USD 200 does not hold: chapter 21 / 30 is general clearance);
    # CIF 180.00 + 10.00 freight = 190.00; duty 8% x 190.00 = 15.20;
    # VAT 10% x (190.00 + 15.20) = 20.52; total 35.72
    a = both(parcel(vitamins("180.00", hs), shipping="10.00"), kr)
    assert (a.duty, a.tax, a.total) == (D("15.20"), D("20.52"), D("35.72"))
    assert "small-amount exemption USD 150 (duty)" in a.explain()


@pytest.mark.parametrize("value", ["140.00", "150.00"])
def test_us_vitamins_within_usd_150_are_exempt(kr: RuleSet, value: str) -> None:
    # goods 140.00 (150.00) <= 150, inclusive: no duty, no VAT
    a = both(parcel(vitamins(value)), kr)
    assert (a.duty, a.tax, a.total) == (D("0.00"), D("0.00"), D("0.00"))


def test_us_vitamins_a_cent_over_usd_150(kr: RuleSet) -> None:
    # goods 150.01 > 150: duty 8% x 150.01 = 12.0008 -> 12.00; VAT 10% x 162.01 = 16.201 -> 16.20
    a = both(parcel(vitamins("150.01")), kr)
    assert (a.duty, a.tax) == (D("12.00"), D("16.20"))


def test_us_clothing_keeps_usd_200(kr: RuleSet) -> None:
    # list-clearance goods only: 190.00 <= 200, exempt
    a = both(parcel(clothing("190.00")), kr)
    assert a.total == D("0.00")
    assert "list clearance, shipped from the US (duty)" in a.explain()


@pytest.mark.parametrize("ship_from", ["US", "CN"])
def test_chocolate_with_clothing_is_taxed_in_full(kr: RuleSet, ship_from: str) -> None:
    # boxoregon: USD 5 of chocolate (1806) + USD 190 of clothing in one parcel are both cleared
    # generally; goods 195.00 > 150 (from the US and from China alike), all lines pay:
    # duty 8% x 5.00 + 13% x 190.00 = 0.40 + 24.70 = 25.10;
    # VAT 10% x (195.00 + 25.10) = 22.01; total 47.11
    a = both(
        parcel(Item("1806", "5.00", duty_rate="0.08"), clothing("190.00"), ship_from=ship_from), kr
    )
    assert (a.duty, a.tax, a.total) == (D("25.10"), D("22.01"), D("47.11"))


def test_a_mixed_us_parcel_within_usd_150_is_exempt(kr: RuleSet) -> None:
    # 5.00 of chocolate + 140.00 of clothing = 145.00 <= 150: general clearance still exempts
    a = both(parcel(Item("1806", "5.00", duty_rate="0.08"), clothing("140.00")), kr)
    assert a.total == D("0.00")


def test_wine_in_a_us_parcel_brings_the_usd_150(kr: RuleSet) -> None:
    # wine (2204, chapter 22: general clearance) 50.00 + clothing 120.00 from the US: goods 170.00
    # > 150 (the USD 200 does not hold), all pay: duty 15% x 50.00 + 13% x 120.00 = 7.50 + 15.60
    # = 23.10; VAT 10% x (170.00 + 23.10) = 19.31; total 42.41
    s = parcel(Item("220421", "50.00", duty_rate="0.15"), clothing("120.00"))
    a = both(s, kr)
    assert (a.duty, a.tax, a.total) == (D("23.10"), D("19.31"), D("42.41"))


def test_a_line_without_hs_code_is_not_general_clearance(kr: RuleSet) -> None:
    # no HS code: not under any general-clearance chapter, so the US USD 200 holds: 180.00 exempt
    a = both(parcel(Item(None, "180.00", duty_rate="0.08")), kr)
    assert a.total == D("0.00")


def test_explain_names_the_line_that_keeps_the_usd_200_out(kr: RuleSet) -> None:
    text = both(parcel(clothing("190.00"), Item("1806", "5.00", duty_rate="0.08")), kr).explain()
    assert "'list clearance, shipped from the US (duty)' does not apply: line 2 (HS 1806)" in text
    assert "'small-amount exemption USD 150 (duty)'" in text
    # from China the US threshold fails on ship_from already: the goods are not named
    text = both(parcel(Item("1806", "5.00", duty_rate="0.08"), ship_from="CN"), kr).explain()
    assert "does not apply" not in text
