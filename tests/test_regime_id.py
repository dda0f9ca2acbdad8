"""Indonesia (data/tariff_categories/id.toml): USD 3 de minimis, 7.5% or MFN, VAT, both paths.

Rules used (see the file's sources): consignments of FOB USD 3 or less are free of duty; over it
up to FOB USD 1,500 the listed commodities pay their MFN rate (the caller's) and the rest 7.5%,
on the CIF value; over USD 1,500 every line pays its MFN rate. VAT 11% on CIF + duty from the
first cent. Cosmetics joined the MFN list on 2023-10-17. Rounding half-up to the cent per
shipment.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from _both_paths import both
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess, load_rules


@pytest.fixture(scope="module")
def id_() -> RuleSet:
    return load_rules("ID")


def parcel(*items: Item, date: str = "2024-06-01", **fields: Any) -> Shipment:
    return Shipment("ID", date, "USD", list(items), ship_from="CN", **fields)


def shirt(value: str) -> Item:
    return Item("610910", value, duty_rate="0.25")  # an MFN commodity (chapter 61)


def toy(value: str) -> Item:
    return Item("950300", value, duty_rate="0.10")  # single tariff 7.5% up to USD 1,500


@pytest.mark.parametrize(
    ("item", "duty", "tax"),
    [
        # FOB 3.00 (inclusive): no duty; VAT 11% x CIF 5.00 = 0.55
        (shirt("3.00"), "0.00", "0.55"),
        # FOB 3.01, CIF 5.01: MFN 25% = 1.2525 -> 1.25; VAT 11% x 6.26 = 0.6886 -> 0.69
        (shirt("3.01"), "1.25", "0.69"),
        # single tariff: 7.5% x 5.01 = 0.37575 -> 0.38; VAT 11% x 5.39 = 0.5929 -> 0.59
        (toy("3.01"), "0.38", "0.59"),
    ],
)
def test_usd_3_de_minimis_on_fob(id_: RuleSet, item: Item, duty: str, tax: str) -> None:
    a = both(parcel(item, shipping="2.00"), id_)
    assert (a.duty, a.tax) == (D(duty), D(tax))


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        # FOB 1,500.00 (inclusive): 7.5% = 112.50; VAT 11% x 1,612.50 = 177.375 -> 177.38
        ("1500.00", "112.50", "177.38"),
        # 1,500.01: the toy's MFN 10% = 150.001 -> 150.00; VAT 11% x 1,650.01 = 181.5011
        ("1500.01", "150.00", "181.50"),
    ],
)
def test_usd_1500_ceiling(id_: RuleSet, value: str, duty: str, tax: str) -> None:
    a = both(parcel(toy(value)), id_)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_a_consignment_mixes_mfn_and_the_single_tariff(id_: RuleSet) -> None:
    # shirt 10.00 at 25% = 2.50; toy 10.00 at 7.5% = 0.75; duty 3.25;
    # VAT 11% x (20.00 + 3.25) = 2.5575 -> 2.56
    a = both(parcel(shirt("10.00"), toy("10.00")), id_)
    assert (a.duty, a.tax) == (D("3.25"), D("2.56"))
    # two lines of 2.00: FOB 4.00 > 3, both pay: 0.50 + 0.15 = 0.65; VAT 11% x 4.65 = 0.5115
    a = both(parcel(shirt("2.00"), toy("2.00")), id_)
    assert (a.duty, a.tax) == (D("0.65"), D("0.51"))


@pytest.mark.parametrize(
    ("date", "duty"),
    [
        ("2023-10-16", "7.50"),  # PMK 199/2019: cosmetics at the single 7.5% x 100.00
        ("2023-10-17", "15.00"),  # PMK 96/2023: cosmetics at their MFN 15% x 100.00
    ],
)
def test_cosmetics_join_the_mfn_list(id_: RuleSet, date: str, duty: str) -> None:
    a = both(parcel(Item("330499", "100.00", duty_rate="0.15"), date=date), id_)
    assert a.duty == D(duty)


def test_a_rupiah_price_is_converted_at_the_callers_rate(id_: RuleSet) -> None:
    # IDR 48,000 x 0.0000625 = USD 3.00: no duty; VAT 11% x 3.00 = 0.33
    s = Shipment("ID", "2024-06-01", "IDR", [toy("48000")], ship_from="CN")
    a = both(s, id_, fx={"IDR": D("0.0000625")})
    assert (a.duty, a.tax) == (D("0.00"), D("0.33"))


def test_no_version_before_2023(id_: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel(toy("10.00"), date="2022-12-31"), id_)


def test_explain_names_the_category_and_flags_doubt(id_: RuleSet) -> None:
    text = assess(parcel(shirt("10.00")), id_).explain()
    assert "MFN commodities (PMK 96/2023 list)" in text
    assert "[unconfirmed value]" in text
