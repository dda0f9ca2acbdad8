"""Korea (data/tariff_categories/kr.toml): USD 150, USD 200 shipped from the US, on both paths.

Rules used (see the file's sources): goods priced at USD 150 or less (USD 200 or less when
shipped from the US), measured on the goods without international freight, inclusive, are free
of duty and VAT; over it, MFN duty on the CIF value and VAT 10% on CIF + duty, on the whole
consignment. Alcohol, tobacco and perfume are never relieved. Amounts in USD (KRW with `fx`),
rounded half-up to the cent once per shipment.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from _both_paths import both
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess, load_rules


@pytest.fixture(scope="module")
def kr() -> RuleSet:
    return load_rules("KR")


def parcel(*items: Item, date: str = "2025-06-01", **fields: Any) -> Shipment:
    fields.setdefault("ship_from", "CN")
    return Shipment("KR", date, "USD", list(items), **fields)


def shirt(value: str, rate: str = "0.13") -> Item:
    return Item("610910", value, duty_rate=rate)


@pytest.mark.parametrize(
    ("value", "shipping", "duty", "tax"),
    [
        # at USD 150.00 (inclusive): relieved; the 20.00 of freight is not in the test
        ("150.00", "20.00", "0.00", "0.00"),
        ("149.99", "0", "0.00", "0.00"),
        # over: CIF 150.01 + 10.00 = 160.01; duty 13% = 20.8013 -> 20.80;
        # VAT 10% x (160.01 + 20.80) = 18.081 -> 18.08
        ("150.01", "10.00", "20.80", "18.08"),
    ],
)
def test_usd_150_from_elsewhere(
    kr: RuleSet, value: str, shipping: str, duty: str, tax: str
) -> None:
    a = both(parcel(shirt(value), shipping=shipping), kr)
    assert (a.duty, a.tax, a.total) == (D(duty), D(tax), D(duty) + D(tax))


@pytest.mark.parametrize(
    ("value", "ship_from", "duty", "tax"),
    [
        # shipped from the US: USD 200 (inclusive)
        ("200.00", "US", "0.00", "0.00"),
        ("180.00", "US", "0.00", "0.00"),
        # 200.01: duty 13% = 26.0013 -> 26.00; VAT 10% x (200.01 + 26.00) = 22.601 -> 22.60
        ("200.01", "US", "26.00", "22.60"),
        # the same USD 180.00 shipped from China: duty 23.40; VAT 10% x 203.40 = 20.34
        ("180.00", "CN", "23.40", "20.34"),
    ],
)
def test_usd_200_shipped_from_the_us(
    kr: RuleSet, value: str, ship_from: str, duty: str, tax: str
) -> None:
    a = both(parcel(shirt(value), ship_from=ship_from, origin=ship_from), kr)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_the_us_limit_follows_the_place_of_shipment_not_origin(kr: RuleSet) -> None:
    # made in the US but shipped from Japan: USD 150 applies; 180.00 pays 23.40 + 20.34
    a = both(parcel(shirt("180.00"), ship_from="JP", origin="US"), kr)
    assert (a.duty, a.tax) == (D("23.40"), D("20.34"))
    # made in China, shipped from the US: USD 200 applies
    assert both(parcel(shirt("180.00"), ship_from="US", origin="CN"), kr).total == D("0.00")


def test_over_the_limit_the_whole_consignment_pays(kr: RuleSet) -> None:
    # 100.00 + 60.00 = 160.00 > 150: both lines pay; duty 13% x 100 + 8% x 60 = 13.00 + 4.80
    # = 17.80; VAT 10% x (160.00 + 17.80) = 17.78
    a = both(parcel(shirt("100.00"), Item("950300", "60.00", duty_rate="0.08")), kr)
    assert (a.duty, a.tax, a.total) == (D("17.80"), D("17.78"), D("35.58"))


def test_alcohol_pays_at_any_value(kr: RuleSet) -> None:
    # wine 50.00 at 15%: duty 7.50; VAT 10% x 57.50 = 5.75 (liquor tax not modelled)
    a = both(parcel(Item("220421", "50.00", duty_rate="0.15")), kr)
    assert (a.duty, a.tax) == (D("7.50"), D("5.75"))


@pytest.mark.parametrize(
    ("won", "total"),
    [
        # KRW 200,000 x 0.00075 = USD 150.00: relieved
        ("200000", "0.00"),
        # KRW 200,014 x 0.00075 = 150.0105 -> 150.01: duty 8% = 12.0008 -> 12.00;
        # VAT 10% x 162.01 = 16.201 -> 16.20; total 28.20
        ("200014", "28.20"),
    ],
)
def test_a_won_price_is_converted_at_the_callers_rate(kr: RuleSet, won: str, total: str) -> None:
    s = Shipment("KR", "2025-06-01", "KRW", [Item("950300", won, duty_rate="0.08")], ship_from="CN")
    assert both(s, kr, fx={"KRW": D("0.00075")}).total == D(total)


def test_no_version_before_the_coverage_start(kr: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel(shirt("10.00"), date="2022-12-31"), kr)


def test_explain_names_the_us_limit_and_flags_doubt(kr: RuleSet) -> None:
    text = assess(parcel(shirt("180.00"), ship_from="US"), kr).explain()
    assert "list clearance, shipped from the US (duty)" in text
    assert "Clearance procedures for express cargo" in text
    assert "[unconfirmed value]" in text
