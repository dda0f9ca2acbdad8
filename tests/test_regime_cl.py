"""Chile (data/tariff_categories/cl.toml): USD 41, then VAT at sale up to USD 500, both paths.

Rules used (see the file's sources): until 2025-10-24, consignments under USD 41 (customs value,
CIF, strict) are free of duty and VAT; above, duty at the caller's rate on CIF and VAT 19% on
CIF + duty. From 2025-10-25, purchases up to USD 500 (goods price, inclusive) from registered
sellers carry VAT 19% at sale on goods + shipping + insurance and no duty; above, duty and VAT
at the border. Rounding half-up to the cent once per shipment.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from _both_paths import both
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess, load_rules


@pytest.fixture(scope="module")
def cl() -> RuleSet:
    return load_rules("CL")


def parcel(value: str, date: str, shipping: str = "0") -> Shipment:
    item = Item("610910", value, duty_rate="0.06")
    return Shipment("CL", date, "USD", [item], shipping=shipping, ship_from="CN")


@pytest.mark.parametrize(
    ("value", "shipping", "duty", "tax"),
    [
        ("40.99", "0", "0.00", "0.00"),  # under USD 41: free
        # at USD 41.00 (strict): duty 6% x 41.00 = 2.46; VAT 19% x 43.46 = 8.2574 -> 8.26
        ("41.00", "0", "2.46", "8.26"),
        # freight counts: 35.00 + 6.00 = CIF 41.00, the same 2.46 + 8.26
        ("35.00", "6.00", "2.46", "8.26"),
    ],
)
def test_usd_41_until_2025_10_24(
    cl: RuleSet, value: str, shipping: str, duty: str, tax: str
) -> None:
    a = both(parcel(value, "2024-06-01", shipping), cl)
    assert (a.duty, a.tax) == (D(duty), D(tax))
    assert a.collected_at_sale == D("0.00")


@pytest.mark.parametrize(
    ("value", "duty", "tax", "where"),
    [
        # at USD 500.00 (inclusive): no duty; VAT at sale 19% x (500.00 + 10.00) = 96.90
        ("500.00", "0.00", "96.90", "sale"),
        ("30.00", "0.00", "7.60", "sale"),  # 19% x (30.00 + 10.00) = 7.60
        # 500.01: border; CIF 510.01, duty 6% = 30.6006 -> 30.60;
        # VAT 19% x (510.01 + 30.60) = 102.7159 -> 102.72
        ("500.01", "30.60", "102.72", "border"),
    ],
)
def test_vat_at_sale_up_to_usd_500(
    cl: RuleSet, value: str, duty: str, tax: str, where: str
) -> None:
    a = both(parcel(value, "2025-11-01", shipping="10.00"), cl)
    assert (a.duty, a.tax, a.tax_collection) == (D(duty), D(tax), where)


@pytest.mark.parametrize(
    ("date", "tax", "sale"),
    [
        ("2025-10-24", "0.00", "0.00"),  # USD 30.00 under USD 41: free
        ("2025-10-25", "5.70", "5.70"),  # 19% x 30.00 at sale
    ],
)
def test_the_2025_10_25_switch(cl: RuleSet, date: str, tax: str, sale: str) -> None:
    a = both(parcel("30.00", date), cl)
    assert (a.duty, a.tax, a.collected_at_sale) == (D("0.00"), D(tax), D(sale))


def test_a_peso_price_is_converted_at_the_callers_rate(cl: RuleSet) -> None:
    # CLP 30,000 x 0.00105 = USD 31.50; VAT at sale 19% x 31.50 = 5.985 -> 5.99
    s = Shipment("CL", "2025-11-01", "CLP", [Item("610910", "30000")], ship_from="CN")
    assert both(s, cl, fx={"CLP": D("0.00105")}).tax == D("5.99")


def test_no_version_before_2023(cl: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel("10.00", "2022-12-31"), cl)


def test_explain_names_the_sale_relief_and_flags_doubt(cl: RuleSet) -> None:
    text = assess(parcel("30.00", "2025-11-01"), cl).explain()
    assert "remote purchase up to USD 500 (VAT at sale)" in text
    assert "[unconfirmed value]" in text
