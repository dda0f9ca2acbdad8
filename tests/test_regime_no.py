"""Norway (data/tariff_categories/no.toml): VOEC worked examples at the threshold and dates.

Rules used (see the file's sources): from 2020-04-01, an item below NOK 3,000 (strict, per item,
shipping excluded from the test) is duty-free with 25% VAT charged at sale on its price +
shipping + insurance; at or above NOK 3,000, and for foodstuffs, alcohol, tobacco, medicines and
weapons at any value, MFN duty on the CIF value and VAT on (CIF + duty) at the border; food VAT
15%, books 0%. Shipping is spread over lines in proportion to value. Rounding half-up to the
ore, once per tax group.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess, load_rules


@pytest.fixture(scope="module")
def no() -> RuleSet:
    return load_rules("NO")


def parcel(*items: Item, date: str = "2024-06-01", **fields: Any) -> Shipment:
    return Shipment("NO", date, "NOK", list(items), **fields)


def jacket(value: str, rate: str = "0.10", **more: Any) -> Item:
    return Item("6201", value, duty_rate=rate, **more)


# --- the NOK 3,000 per-item threshold (strict) -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "duty", "tax", "border", "sale"),
    [
        # below: VOEC, duty-free; VAT at sale 2999.99 x 0.25 = 749.9975 -> 750.00
        ("2999.99", "0.00", "750.00", "0.00", "750.00"),
        # TC-NO-02, at NOK 3,000 (strict '<'): not VOEC. Duty 3000.00 x 0.10 = 300.00;
        # VAT (3000.00 + 300.00) x 0.25 = 825.00, both at the border
        ("3000.00", "300.00", "825.00", "1125.00", "0.00"),
        # above: duty 3000.01 x 0.10 = 300.001 -> 300.00;
        # VAT (3000.01 + 300.00) x 0.25 = 825.0025 -> 825.00
        ("3000.01", "300.00", "825.00", "1125.00", "0.00"),
    ],
)
def test_voec_threshold(
    no: RuleSet, value: str, duty: str, tax: str, border: str, sale: str
) -> None:
    a = assess(parcel(jacket(value)), no)
    assert (a.duty, a.tax, a.total) == (D(duty), D(tax), D(duty) + D(tax))
    assert (a.collected_at_border, a.collected_at_sale) == (D(border), D(sale))


def test_shipping_out_of_the_test_but_in_the_vat_base(no: RuleSet) -> None:
    # item 2900.00 + shipping 150.00 = 3050.00, but the test is on the item: VOEC.
    # VAT at sale (2900.00 + 150.00) x 0.25 = 762.50
    a = assess(parcel(jacket("2900.00"), shipping="150.00"), no)
    assert (a.duty, a.tax, a.tax_collection) == (D("0.00"), D("762.50"), "sale")
    # border: CIF 3000.00 + 100.00 = 3100.00; duty 310.00; VAT (3100 + 310) x 0.25 = 852.50
    a = assess(parcel(jacket("3000.00"), shipping="100.00"), no)
    assert (a.duty, a.tax, a.total) == (D("310.00"), D("852.50"), D("1162.50"))


def test_threshold_is_per_item(no: RuleSet) -> None:
    # two items of 2000.00 (consignment 4000.00): each below 3,000, both VOEC.
    # VAT at sale 4000.00 x 0.25 = 1000.00
    a = assess(parcel(jacket("2000.00"), jacket("2000.00")), no)
    assert (a.duty, a.tax, a.collected_at_sale) == (D("0.00"), D("1000.00"), D("1000.00"))


def test_mixed_items_split_the_shipping(no: RuleSet) -> None:
    # items 2999.99 (VOEC) and 3000.00 (border, MFN free), shipping 100.00 spread by value:
    # line 1 gets floor(10000 x 299999 / 599999) = 4999 ore = 49.99, line 2 the other 50.01.
    # Sale VAT (2999.99 + 49.99) x 0.25 = 762.495 -> 762.50;
    # border VAT (3000.00 + 50.01) x 0.25 = 762.5025 -> 762.50
    a = assess(parcel(jacket("2999.99"), jacket("3000.00", rate="0"), shipping="100.00"), no)
    assert [ln.tax_collection for ln in a.lines] == ["sale", "border"]
    assert (a.collected_at_sale, a.collected_at_border) == (D("762.50"), D("762.50"))
    assert a.total == D("1525.00")


@pytest.mark.parametrize(
    ("value", "where", "tax"),
    [
        # 2 units for 5999.98: 2999.99 each, below 3,000: VAT at sale 5999.98 x 0.25 =
        # 1499.995 -> 1500.00
        ("5999.98", "sale", "1500.00"),
        # 2 units for 6000.00: 3000.00 each, not below: border, MFN free, VAT 1500.00
        ("6000.00", "border", "1500.00"),
    ],
)
def test_quantity_tests_the_unit_value(no: RuleSet, value: str, where: str, tax: str) -> None:
    a = assess(parcel(jacket(value, rate="0", quantity=2)), no)
    assert (a.tax, a.tax_collection) == (D(tax), where)


def test_half_ore_rounds_up(no: RuleSet) -> None:
    # VAT 0.02 x 0.25 = 0.005 -> 0.01 (half-up)
    assert assess(parcel(jacket("0.02")), no).tax == D("0.01")


# --- excluded goods and tax categories ---------------------------------------------------------


def test_tc_no_03_food_pays_at_the_border(no: RuleSet) -> None:
    # 1 kg chocolate, NOK 98 including freight (78.00 + 20.00), MFN free as input (the real
    # chocolate excise is not modelled, so toll.no's NOK 61 is not reproduced):
    # food VAT 15% at the border on CIF 98.00 = 14.70
    a = assess(parcel(Item("1806", "78.00", duty_rate="0"), shipping="20.00"), no)
    assert (a.tax, a.tax_collection) == (D("14.70"), "border")
    assert a.lines[0].tax_rate == D("0.15")


def test_alcohol_pays_at_the_border(no: RuleSet) -> None:
    # wine 200.00, MFN free: VAT 25% at the border = 50.00
    a = assess(parcel(Item("2204", "200.00", duty_rate="0")), no)
    assert (a.tax, a.tax_collection) == (D("50.00"), "border")


def test_books_zero_rated_in_and_out_of_voec(no: RuleSet) -> None:
    # a book of 500.00 + shipping 50.00 stays in VOEC at 0%: no VAT
    a = assess(parcel(Item("4901", "500.00"), shipping="50.00"), no)
    assert (a.duty, a.tax, a.total) == (D("0.00"), D("0.00"), D("0.00"))
    # a book of 3500.00 at the border (MFN free): VAT 0% = 0.00
    assert assess(parcel(Item("4901", "3500.00", duty_rate="0")), no).total == D("0.00")


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "period"),
    [
        ("2023-12-31", "2020-04-01 to 2024-01-01 (exclusive)"),
        ("2024-01-01", "2024-01-01 to open"),
    ],
)
def test_2024_switch_keeps_voec_amounts(no: RuleSet, date: str, period: str) -> None:
    # the NOK 350 change concerns sellers outside VOEC, which the table does not model:
    # the same VOEC item gives the same 2999.99 x 0.25 = 750.00 at sale on both sides
    a = assess(parcel(jacket("2999.99"), date=date), no)
    assert (a.version, a.tax, a.tax_collection) == (period, D("750.00"), "sale")


def test_no_version_before_voec(no: RuleSet) -> None:
    with pytest.raises(NotInForceError, match="2020-03-31"):
        assess(parcel(jacket("100.00"), date="2020-03-31"), no)


def test_explain_names_sources_and_flags_doubt(no: RuleSet) -> None:
    a = assess(parcel(Item("1806", "78.00", duty_rate="0"), shipping="20.00"), no)
    text = a.explain()
    assert "The VOEC scheme" in text
    assert "toll.no/en/online-shopping/the-voec-scheme" in text
    assert "foodstuffs, beverages and supplements" in text
    assert "[unconfirmed value]" in text  # the HS reading of "foodstuffs" is [U]


def test_explain_flags_an_applied_unconfirmed_tax_category(no: RuleSet) -> None:
    # the book's 0% comes from the category 'books and newspapers (zero rate)', flagged
    # unconfirmed (HS 4901/4902 as "books" is [U]); the tax step says so and names it
    a = assess(parcel(Item("4901", "500.00")), no)
    tax_step = next(step for step in a.steps if step.topic == "tax")
    assert tax_step.unconfirmed
    assert "books and newspapers (zero rate)" in tax_step.text
