"""Seller registration in the bundled regimes (issue 11): hand-worked, on both paths.

Each case is assessed by :func:`assess` and :func:`assess_frame` (which must agree to the cent
and on where the charge is collected) before the hand-worked amounts are asserted. A row is
(duty, tax, collected at the border); tax at sale shows as a tax with nothing at the border.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

import lvs_duty
from lvs_duty import Item, Shipment, assess, shipments_to_frame
from lvs_duty.frame import assess_frame, to_decimal_frame


def both(code: str, shipment: Shipment) -> tuple[D, D, D]:
    rules = lvs_duty.load_rules(code)
    a = assess(shipment, rules)
    f = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), rules)).iloc[0]
    assert (f["duty"], f["tax"], f["total"]) == (a.duty, a.tax, a.total)
    assert bool(f["border_collection"]) == a.border_collection
    return a.duty, a.tax, a.collected_at_border


def parcel(
    dest: str,
    date: str,
    cur: str,
    value: str,
    registered: bool | None,
    rate: str | None = "0.10",
    shipping: str = "0",
) -> Shipment:
    item = Item("610910", value, duty_rate=rate)
    return Shipment(dest, date, cur, [item], seller_registered=registered, shipping=shipping)


# --- EU: IOSS ---------------------------------------------------------------------------------


@pytest.mark.parametrize("registered", [True, None])
def test_eu_ioss_seller_vat_at_sale(registered: bool | None) -> None:
    # DE 2026-03-01, goods 100.00 <= 150: duty relieved; VAT 19% x 100.00 = 19.00 at sale
    got = both("EU", parcel("DE", "2026-03-01", "EUR", "100.00", registered, "0.12"))
    assert got == (D("0.00"), D("19.00"), D("0.00"))


def test_eu_seller_outside_ioss_pays_vat_at_the_border() -> None:
    # no IOSS: the at-sale threshold does not hold; VAT 19% x CIF 100.00 = 19.00 at the border
    got = both("EU", parcel("DE", "2026-03-01", "EUR", "100.00", False, "0.12"))
    assert got == (D("0.00"), D("19.00"), D("19.00"))


def test_eu_from_2026_07_01_outside_ioss_vat_on_value_and_the_eur_3_duty() -> None:
    # EUR 3 per subheading; IOSS: VAT 19% x 100.00 = 19.00 at sale, duty 3.00 at the border;
    # outside IOSS: VAT 19% x (100.00 + 3.00) = 19.57, all 22.57 at the border
    assert both("EU", parcel("DE", "2026-07-01", "EUR", "100.00", True, "0.12")) == (
        D("3.00"),
        D("19.00"),
        D("3.00"),
    )
    assert both("EU", parcel("DE", "2026-07-01", "EUR", "100.00", False, "0.12")) == (
        D("3.00"),
        D("19.57"),
        D("22.57"),
    )


@pytest.mark.parametrize("registered", [True, False])
def test_eu_eur_22_history_does_not_depend_on_the_seller(registered: bool) -> None:
    # 2021-06-30: 22.00 <= 22 exempt; 22.01: VAT 19% x 22.01 = 4.1819 -> 4.18 at the border
    assert both("EU", parcel("DE", "2021-06-30", "EUR", "22.00", registered, "0.12")) == (
        D("0.00"),
        D("0.00"),
        D("0.00"),
    )
    assert both("EU", parcel("DE", "2021-06-30", "EUR", "22.01", registered, "0.12")) == (
        D("0.00"),
        D("4.18"),
        D("4.18"),
    )


# --- NO: VOEC and the NOK 350 exemption -------------------------------------------------------


def test_norway_before_2024_sellers_outside_voec_keep_the_nok_350_exemption() -> None:
    # 2023-06-01, VOEC seller, 349.99 < 3,000 per item: no duty, VAT 25% x 349.99 = 87.4975
    # -> 87.50 at sale; outside VOEC: CIF 349.99 < 350: nothing due
    assert both("NO", parcel("NO", "2023-06-01", "NOK", "349.99", True)) == (
        D("0.00"),
        D("87.50"),
        D("0.00"),
    )
    assert both("NO", parcel("NO", "2023-06-01", "NOK", "349.99", False)) == (D("0.00"),) * 3
    # at 350.00 (strictly below fails): duty 10% x 350.00 = 35.00; VAT 25% x 385.00 = 96.25
    assert both("NO", parcel("NO", "2023-06-01", "NOK", "350.00", False)) == (
        D("35.00"),
        D("96.25"),
        D("131.25"),
    )


def test_norway_from_2024_sellers_outside_voec_pay_from_the_first_krone() -> None:
    # VOEC: VAT 25% x 300.00 = 75.00 at sale; outside: duty 30.00, VAT 25% x 330.00 = 82.50
    assert both("NO", parcel("NO", "2024-01-01", "NOK", "300.00", True)) == (
        D("0.00"),
        D("75.00"),
        D("0.00"),
    )
    assert both("NO", parcel("NO", "2024-01-01", "NOK", "300.00", False)) == (
        D("30.00"),
        D("82.50"),
        D("112.50"),
    )


# --- SG: relief at the border for sellers not GST-registered ----------------------------------


def test_singapore_unregistered_seller_relieved_up_to_cif_400() -> None:
    # goods 380.00 + shipping 20.00 = CIF 400.00 <= 400: no GST; 20.01: CIF 400.01,
    # GST 9% x 400.01 = 36.0009 -> 36.00 at the border
    assert both("SG", parcel("SG", "2024-06-01", "SGD", "380.00", False, None, "20.00")) == (
        (D("0.00"),) * 3
    )
    assert both("SG", parcel("SG", "2024-06-01", "SGD", "380.00", False, None, "20.01")) == (
        D("0.00"),
        D("36.00"),
        D("36.00"),
    )
    # a GST-registered seller: item 380.00 <= 400, GST 9% x 400.01 = 36.00 at sale
    assert both("SG", parcel("SG", "2024-06-01", "SGD", "380.00", True, None, "20.01")) == (
        D("0.00"),
        D("36.00"),
        D("0.00"),
    )


# --- AU, NZ, GB: decided from the law [U] -----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cur", "value", "at_sale"),
    [
        ("AU", "AUD", "500.00", "50.00"),  # GST 10% x 500.00, under AUD 1,000
        ("NZ", "NZD", "500.00", "75.00"),  # GST 15% x 500.00, under NZD 1,000
        ("GB", "GBP", "100.00", "20.00"),  # VAT 20% x 100.00, under GBP 135
    ],
)
def test_unregistered_seller_pays_nothing_at_the_border_under_the_threshold(
    code: str, cur: str, value: str, at_sale: str
) -> None:
    # registered: the tax at sale; not registered: nothing at sale and nothing at the border
    assert both(code, parcel(code, "2026-03-01", cur, value, True)) == (
        D("0.00"),
        D(at_sale),
        D("0.00"),
    )
    assert both(code, parcel(code, "2026-03-01", cur, value, False)) == (D("0.00"),) * 3


# --- CL, MY -----------------------------------------------------------------------------------


def test_chile_unregistered_seller_pays_duty_and_vat_at_the_border() -> None:
    # registered: no duty, IVA 19% x 100.00 = 19.00 at sale; not registered: duty 6% x 100.00
    # = 6.00, IVA 19% x 106.00 = 20.14, all 26.14 at the border
    assert both("CL", parcel("CL", "2026-01-05", "USD", "100.00", True, "0.06")) == (
        D("0.00"),
        D("19.00"),
        D("0.00"),
    )
    assert both("CL", parcel("CL", "2026-01-05", "USD", "100.00", False, "0.06")) == (
        D("6.00"),
        D("20.14"),
        D("26.14"),
    )


def test_malaysia_unregistered_seller_falls_to_the_rm500_de_minimis() -> None:
    # registered: 10% x 500.00 = 50.00 at sale; not registered: CIF 500.00 <= 500, nothing due;
    # 500.01 (over both): 10% x 500.01 = 50.001 -> 50.00 at the border, whoever the seller
    assert both("MY", parcel("MY", "2025-03-01", "MYR", "500.00", True, "0")) == (
        D("0.00"),
        D("50.00"),
        D("0.00"),
    )
    assert both("MY", parcel("MY", "2025-03-01", "MYR", "500.00", False, "0")) == (D("0.00"),) * 3
    for registered in (True, False):
        assert both("MY", parcel("MY", "2025-03-01", "MYR", "500.01", registered, "0")) == (
            D("0.00"),
            D("50.00"),
            D("50.00"),
        )


# --- NZ: GST on the duty alone when the supplier already charged GST --------------------------


def test_new_zealand_registered_supplier_over_nzd_1000_pays_gst_on_the_duty() -> None:
    # 1,200.00 > 1,000: duty 10% x 1,200.00 = 120.00; registered: GST 15% x 120.00 = 18.00;
    # not given or not registered: GST 15% x (1,200.00 + 120.00) = 198.00
    assert both("NZ", parcel("NZ", "2026-03-01", "NZD", "1200.00", True)) == (
        D("120.00"),
        D("18.00"),
        D("138.00"),
    )
    for registered in (None, False):
        assert both("NZ", parcel("NZ", "2026-03-01", "NZD", "1200.00", registered)) == (
            D("120.00"),
            D("198.00"),
            D("318.00"),
        )


def test_new_zealand_at_nzd_1000_the_registered_supplier_collects_at_sale() -> None:
    # 1,000.00 <= 1,000: no duty; GST 15% x 1,000.00 = 150.00 at sale; 1,000.01: duty 100.00
    # (10% x 1,000.01 = 100.001), GST 15% x 100.00 = 15.00 at the border
    assert both("NZ", parcel("NZ", "2026-03-01", "NZD", "1000.00", True)) == (
        D("0.00"),
        D("150.00"),
        D("0.00"),
    )
    assert both("NZ", parcel("NZ", "2026-03-01", "NZD", "1000.01", True)) == (
        D("100.00"),
        D("15.00"),
        D("115.00"),
    )


def test_new_zealand_before_2019_12_01_registration_changes_nothing() -> None:
    # 2019-11-30: no threshold, duty 10% x 500.00 = 50.00, GST 15% x 550.00 = 82.50, whoever
    for registered in (True, None, False):
        assert both("NZ", parcel("NZ", "2019-11-30", "NZD", "500.00", registered)) == (
            D("50.00"),
            D("82.50"),
            D("132.50"),
        )
