"""Malaysia (data/tariff_categories/my.toml): RM500 de minimis and the LVG sales tax, both paths.

Rules used (see the file's sources): consignments of CIF RM500 or less pay no import duty (and,
before 2024, no sales tax); from 2024-01-01 each item priced at RM500 or less carries 10% sales
tax at sale on its price alone; otherwise duty at the caller's rate on CIF and 10% sales tax on
CIF + duty at the border. Tobacco, liquor and smoking goods are never relieved. Rounding half-up
to the sen once per tax group.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from _both_paths import both
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess, load_rules


@pytest.fixture(scope="module")
def my() -> RuleSet:
    return load_rules("MY")


def parcel(*items: Item, date: str = "2024-06-01", **fields: Any) -> Shipment:
    return Shipment("MY", date, "MYR", list(items), ship_from="CN", **fields)


def shirt(value: str, **more: Any) -> Item:
    return Item("610910", value, duty_rate="0.20", **more)


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        ("450.00", "0.00", "0.00"),  # CIF 450.00 + 50.00 = 500.00 (inclusive): free
        # CIF 500.01: duty 20% = 100.002 -> 100.00; sales tax 10% x 600.01 = 60.001 -> 60.00
        ("450.01", "100.00", "60.00"),
    ],
)
def test_de_minimis_in_2023(my: RuleSet, value: str, duty: str, tax: str) -> None:
    a = both(parcel(shirt(value), date="2023-06-01", shipping="50.00"), my)
    assert (a.duty, a.tax, a.collected_at_sale) == (D(duty), D(tax), D("0.00"))


@pytest.mark.parametrize(
    ("value", "shipping", "duty", "sale", "border"),
    [
        # CIF 500.00: no duty; LVG tax at sale 10% x 450.00 (the price alone) = 45.00
        ("450.00", "50.00", "0.00", "45.00", "0.00"),
        # item 500.00 (LVG) but CIF 550.00 > 500: duty 20% x 550.00 = 110.00 at the border;
        # sales tax at sale 10% x 500.00 = 50.00
        ("500.00", "50.00", "110.00", "50.00", "110.00"),
        # item 500.01: not LVG; duty 100.002 -> 100.00; tax 10% x 600.01 = 60.001 -> 60.00
        ("500.01", "0", "100.00", "0.00", "160.00"),
    ],
)
def test_lvg_sales_tax_from_2024(
    my: RuleSet, value: str, shipping: str, duty: str, sale: str, border: str
) -> None:
    a = both(parcel(shirt(value), shipping=shipping), my)
    assert (a.duty, a.collected_at_sale, a.collected_at_border) == (D(duty), D(sale), D(border))


def test_lvg_is_per_item(my: RuleSet) -> None:
    # two items of 300.00: each LVG, 10% x 600.00 = 60.00 at sale; CIF 600.00 > 500: duty
    # 20% x 600.00 = 120.00 at the border
    a = both(parcel(shirt("300.00"), shirt("300.00")), my)
    assert (a.collected_at_sale, a.collected_at_border) == (D("60.00"), D("120.00"))
    # one line of 2 units at 250.00 each: the unit price is tested, LVG: 10% x 500.00 at sale
    a = both(parcel(shirt("500.00", quantity=2)), my)
    assert (a.duty, a.collected_at_sale) == (D("0.00"), D("50.00"))


def test_liquor_pays_at_the_border(my: RuleSet) -> None:
    # wine 100.00 at 15%: duty 15.00; sales tax 10% x 115.00 = 11.50, both at the border
    a = both(parcel(Item("220421", "100.00", duty_rate="0.15")), my)
    assert (a.duty, a.tax, a.collected_at_border) == (D("15.00"), D("11.50"), D("26.50"))


@pytest.mark.parametrize(
    ("date", "sale"),
    [("2023-12-31", "0.00"), ("2024-01-01", "10.00")],  # 10% x 100.00 from 2024-01-01
)
def test_the_2024_01_01_switch(my: RuleSet, date: str, sale: str) -> None:
    assert both(parcel(shirt("100.00"), date=date), my).collected_at_sale == D(sale)


def test_no_version_before_2023(my: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel(shirt("10.00"), date="2022-12-31"), my)


def test_explain_names_the_lvg_relief_and_flags_doubt(my: RuleSet) -> None:
    text = assess(parcel(shirt("100.00")), my).explain()
    assert "low-value goods (sales tax at sale)" in text
    assert "Low Value Goods) Order 2023" in text
    assert "[unconfirmed value]" in text
