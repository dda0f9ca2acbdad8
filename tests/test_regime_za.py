"""South Africa (za.toml): worked examples at, under and over ZAR 500, across 2024-09-01.

Rules: FOB value; below ZAR 500 a flat 20% duty (no VAT until 2024-08-31, 15% VAT from
2024-09-01); from ZAR 500 the caller's MFN rate and VAT. VAT 15% on the added tax value: customs
value + duty + 10% of the customs value. Half-up to the cent per group.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

import lvs_duty
from _both_paths import both
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess


@pytest.fixture(scope="module")
def za() -> RuleSet:
    return lvs_duty.load_rules("ZA")


def parcel(value: str, date: str, shipping: str = "0") -> Shipment:
    return Shipment("ZA", date, "ZAR", [Item("6109", value, duty_rate="0.45")], shipping=shipping)


@pytest.mark.parametrize(
    ("value", "date", "duty", "vat"),
    [
        # before 2024-09-01, 499.99 (< 500): flat 20% = 99.998 -> 100.00; no VAT
        ("499.99", "2024-08-31", "100.00", "0.00"),
        # at 500.00 (not below 500): MFN 45% = 225.00; ATV 500.00 + 225.00 + 50.00 = 775.00;
        # VAT 15% = 116.25
        ("500.00", "2024-08-31", "225.00", "116.25"),
        # from 2024-09-01, 400.00: flat 80.00; ATV 400.00 + 80.00 + 40.00 = 520.00; VAT 78.00
        ("400.00", "2024-09-01", "80.00", "78.00"),
        # 499.99: flat 100.00; ATV 499.99 + 100.00 + 50.00 (49.999 -> 50.00) = 649.99;
        # VAT 97.4985 -> 97.50
        ("499.99", "2024-09-01", "100.00", "97.50"),
        # 600.00: MFN 270.00; ATV 600.00 + 270.00 + 60.00 = 930.00; VAT 139.50
        ("600.00", "2024-09-01", "270.00", "139.50"),
    ],
)
def test_flat_rate_and_vat_on_the_added_tax_value(
    za: RuleSet, value: str, date: str, duty: str, vat: str
) -> None:
    a = both(parcel(value, date), za)
    assert (a.duty, a.tax) == (D(duty), D(vat))
    assert a.total == D(duty) + D(vat)


def test_the_uplift_is_explained(za: RuleSet) -> None:
    a = both(parcel("400.00", "2025-06-01"), za)
    assert "Tax base uplift: 10% of the customs value ZAR 400.00 = ZAR 40.00" in a.explain()
    assert a.tax_base == D("520.00")


def test_freight_is_not_in_the_fob_value(za: RuleSet) -> None:
    # 450.00 + freight 100.00: FOB 450.00 < 500: flat 90.00; ATV 450 + 90 + 45 = 585.00;
    # VAT 87.75
    a = both(parcel("450.00", "2025-06-01", shipping="100.00"), za)
    assert (a.duty, a.tax) == (D("90.00"), D("87.75"))


def test_no_version_before_2023(za: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel("100.00", "2022-12-31"), za)
