"""United Kingdom (gb.toml): worked examples at, below and above GBP 135 and GBP 39 and across
the 2021-01-01 start, expected values worked by hand in the comments.

Valuation is CIF (goods + postage + insurance), VAT 20% (both unconfirmed); VAT at the border is
on (CIF customs value + duty). Half-up to the penny, once per tax group.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import lvs_duty
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess


@pytest.fixture(scope="module")
def gb() -> RuleSet:
    return lvs_duty.load_rules("GB")


def parcel(
    *items: Item, date: str = "2024-05-01", shipping: str = "0", gift: bool = False
) -> Shipment:
    return Shipment("GB", date, "GBP", list(items), shipping=shipping, gift=gift, ship_from="CN")


def shirt(value: str, rate: str = "0.12") -> Item:
    return Item("610910", value, duty_rate=rate)


@pytest.mark.parametrize(
    ("value", "duty", "vat", "border", "sale"),
    [
        # 134.99 + postage 5.00 (goods 134.99 <= 135): no duty; VAT at sale on the price with
        # delivery: 139.99 x 0.20 = 27.998 -> 28.00.
        ("134.99", "0.00", "28.00", "0.00", "28.00"),
        # 135.00 + 5.00 (goods 135.00 <= 135, inclusive; postage not counted): no duty; VAT at
        # sale 140.00 x 0.20 = 28.00.
        ("135.00", "0.00", "28.00", "0.00", "28.00"),
        # TC-UK-03, 135.01 + 5.00: duty and VAT at the border. CIF 140.01; duty 140.01 x 0.12 =
        # 16.8012 -> 16.80; VAT (140.01 + 16.80) x 0.20 = 156.81 x 0.20 = 31.362 -> 31.36.
        ("135.01", "16.80", "31.36", "48.16", "0.00"),
    ],
)
def test_gbp_135_edge(gb: RuleSet, value: str, duty: str, vat: str, border: str, sale: str) -> None:
    a = assess(parcel(shirt(value), shipping="5.00"), gb)
    assert (a.duty, a.tax) == (Decimal(duty), Decimal(vat))
    assert a.collected_at_border == Decimal(border)
    assert a.collected_at_sale == Decimal(sale)
    assert a.total == Decimal(duty) + Decimal(vat)


def test_gbp_135_is_per_consignment(gb: RuleSet) -> None:
    # Two items of 70.00 and 65.01 (each under 135) make a 135.01 consignment: border regime.
    # Duty (70.00 + 65.01) x 0.12 = 16.2012 -> 16.20; VAT (135.01 + 16.20) x 0.20 = 151.21 x 0.20
    # = 30.242 -> 30.24.
    a = assess(parcel(shirt("70.00"), shirt("65.01")), gb)
    assert (a.duty, a.tax) == (Decimal("16.20"), Decimal("30.24"))
    assert a.tax_collection == "border"


@pytest.mark.parametrize(
    ("value", "duty", "vat"),
    [
        # Gift 38.99 <= 39: no duty (<= 135), no VAT.
        ("38.99", "0.00", "0.00"),
        # Gift 39.00 <= 39 (inclusive): no duty, no VAT.
        ("39.00", "0.00", "0.00"),
        # Gift 39.01 > 39: still no duty (<= 135), import VAT at the border (a gift is not a
        # sale): 39.01 x 0.20 = 7.802 -> 7.80.
        ("39.01", "0.00", "7.80"),
        # Gift 135.01: duty 135.01 x 0.12 = 16.2012 -> 16.20; VAT (135.01 + 16.20) x 0.20 =
        # 30.242 -> 30.24.
        ("135.01", "16.20", "30.24"),
    ],
)
def test_gift_edges(gb: RuleSet, value: str, duty: str, vat: str) -> None:
    a = assess(parcel(shirt(value), gift=True), gb)
    assert (a.duty, a.tax) == (Decimal(duty), Decimal(vat))
    assert a.collected_at_sale == 0


def test_gift_vat_base_includes_postage(gb: RuleSet) -> None:
    # Gift 50.00 + postage 4.00: VAT at the border on (50.00 + 4.00) x 0.20 = 10.80.
    a = assess(parcel(shirt("50.00"), gift=True, shipping="4.00"), gb)
    assert (a.duty, a.tax) == (Decimal("0.00"), Decimal("10.80"))


@pytest.mark.parametrize(
    ("hs", "value", "rate", "duty", "vat"),
    [
        # Wine 20.00 (excise goods, any value): duty 20.00 x 0.10 = 2.00; VAT (20.00 + 2.00)
        # x 0.20 = 4.40, both at the border.
        ("220421", "20.00", "0.10", "2.00", "4.40"),
        # Cigars 30.00 at 0.25: duty 7.50; VAT (30.00 + 7.50) x 0.20 = 7.50.
        ("240210", "30.00", "0.25", "7.50", "7.50"),
        # Perfume 40.00 at 0.0: duty 0.00; VAT at the border 40.00 x 0.20 = 8.00.
        ("330300", "40.00", "0", "0.00", "8.00"),
    ],
)
def test_excise_goods_charged_at_any_value(
    gb: RuleSet, hs: str, value: str, rate: str, duty: str, vat: str
) -> None:
    a = assess(parcel(Item(hs, value, duty_rate=rate)), gb)
    assert (a.duty, a.tax) == (Decimal(duty), Decimal(vat))
    assert a.collected_at_border == Decimal(duty) + Decimal(vat)
    assert a.collected_at_sale == 0


def test_mixed_consignment_excise_line_at_border_rest_at_sale(gb: RuleSet) -> None:
    # T-shirt 100.00 + wine 20.00 (120.00 <= 135). T-shirt: no duty, VAT at sale 100.00 x 0.20 =
    # 20.00. Wine: duty 20.00 x 0.10 = 2.00, VAT at the border (20.00 + 2.00) x 0.20 = 4.40.
    # Total 26.40: border 6.40, sale 20.00.
    a = assess(parcel(shirt("100.00"), Item("220421", "20.00", duty_rate="0.10")), gb)
    assert (a.duty, a.tax, a.total) == (Decimal("2.00"), Decimal("24.40"), Decimal("26.40"))
    assert (a.collected_at_border, a.collected_at_sale) == (Decimal("6.40"), Decimal("20.00"))
    assert a.tax_collection == "mixed"


def test_excise_gift_not_relieved(gb: RuleSet) -> None:
    # A gift of wine worth 20.00: alcohol is excluded from the gift relief. Duty 2.00, VAT 4.40.
    a = assess(parcel(Item("220421", "20.00", duty_rate="0.10"), gift=True), gb)
    assert (a.duty, a.tax) == (Decimal("2.00"), Decimal("4.40"))


def test_books_zero_rated_above_135(gb: RuleSet) -> None:
    # Books 200.00 (duty free at 0%): VAT category 0%: nothing to pay.
    a = assess(parcel(Item("490199", "200.00", duty_rate="0")), gb)
    assert (a.duty, a.tax, a.total) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    assert a.lines[0].tax_rate == 0


def test_books_and_shirt_above_135(gb: RuleSet) -> None:
    # Books 100.00 (0%) + T-shirt 50.00 at 12% = 150.00 > 135. Duty 50.00 x 0.12 = 6.00.
    # VAT: books 0; T-shirt (50.00 + 6.00) x 0.20 = 11.20.
    a = assess(parcel(Item("490199", "100.00", duty_rate="0"), shirt("50.00")), gb)
    assert (a.duty, a.tax) == (Decimal("6.00"), Decimal("11.20"))


@pytest.mark.parametrize(
    ("date", "raises"),
    [
        # The regime starts on 2021-01-01; this table has no earlier version.
        ("2020-12-31", True),
        ("2021-01-01", False),
    ],
)
def test_start_date(gb: RuleSet, date: str, raises: bool) -> None:
    shipment = parcel(shirt("50.00"), date=date)
    if raises:
        with pytest.raises(NotInForceError, match="2021-01-01 to open"):
            assess(shipment, gb)
    else:
        # 50.00 <= 135: VAT at sale 50.00 x 0.20 = 10.00.
        assert assess(shipment, gb).tax == Decimal("10.00")


def test_explain_cites_govuk_and_flags_vat(gb: RuleSet) -> None:
    a = assess(parcel(shirt("135.01")), gb)
    text = a.explain()
    assert "GOV.UK, Tax and customs for goods sent from abroad" in text
    vat_step = next(line for line in text.splitlines() if "[tax] VAT at 20%" in line)
    assert "[unconfirmed value]" in vat_step
    assert a.unconfirmed
