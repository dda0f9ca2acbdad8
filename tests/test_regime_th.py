"""Thailand (data/tariff_categories/th.toml): the THB 1,500 de minimis and its end, both paths.

Rules used (see the file's sources): until 2024-07-04 goods of THB 1,500 or less (CIF,
inclusive) pay neither duty nor VAT; from 2024-07-05 duty is still waived up to THB 1,500 but
VAT 7% is due on anything over THB 1; from 2026-01-01 duty and VAT are due on anything over
THB 1. Above the limits: the caller's MFN rate on CIF, VAT 7% on CIF + duty. Rounding half-up to
the satang, once per shipment.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from _both_paths import both
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess, load_rules


@pytest.fixture(scope="module")
def th() -> RuleSet:
    return load_rules("TH")


def parcel(value: str, date: str, shipping: str = "0") -> Shipment:
    item = Item("610910", value, duty_rate="0.30")
    return Shipment("TH", date, "THB", [item], shipping=shipping, ship_from="CN")


@pytest.mark.parametrize(
    ("value", "shipping", "duty", "tax"),
    [
        # CIF 1,400.00 + 100.00 = 1,500.00 (inclusive): free of duty and VAT
        ("1400.00", "100.00", "0.00", "0.00"),
        # CIF 1,400.01 + 100.00 = 1,500.01: duty 30% = 450.003 -> 450.00;
        # VAT 7% x (1,500.01 + 450.00) = 136.5007 -> 136.50
        ("1400.01", "100.00", "450.00", "136.50"),
    ],
)
def test_until_2024_07_04(th: RuleSet, value: str, shipping: str, duty: str, tax: str) -> None:
    a = both(parcel(value, "2023-06-01", shipping), th)
    assert (a.duty, a.tax) == (D(duty), D(tax))


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        ("1.00", "0.00", "0.00"),  # THB 1 or less: still exempt
        ("1.01", "0.00", "0.07"),  # VAT 7% x 1.01 = 0.0707 -> 0.07, duty waived
        ("1500.00", "0.00", "105.00"),  # 7% x 1,500.00, duty waived (inclusive)
        ("1500.01", "450.00", "136.50"),  # as before: 450.003 -> 450.00; 136.5007 -> 136.50
    ],
)
def test_vat_from_the_first_baht(th: RuleSet, value: str, duty: str, tax: str) -> None:
    a = both(parcel(value, "2025-06-01"), th)
    assert (a.duty, a.tax) == (D(duty), D(tax))


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        ("1.00", "0.00", "0.00"),  # THB 1 or less: exempt
        # 100.00: duty 30% = 30.00; VAT 7% x 130.00 = 9.10
        ("100.00", "30.00", "9.10"),
        # 1,500.00: duty 450.00; VAT 7% x 1,950.00 = 136.50
        ("1500.00", "450.00", "136.50"),
    ],
)
def test_duty_and_vat_from_2026(th: RuleSet, value: str, duty: str, tax: str) -> None:
    a = both(parcel(value, "2026-01-01"), th)
    assert (a.duty, a.tax) == (D(duty), D(tax))


@pytest.mark.parametrize(
    ("date", "duty", "tax"),
    [
        ("2024-07-04", "0.00", "0.00"),  # THB 1,000.00: exempt
        ("2024-07-05", "0.00", "70.00"),  # VAT 7% x 1,000.00
        ("2025-12-31", "0.00", "70.00"),
        ("2026-01-01", "300.00", "91.00"),  # duty 30% = 300.00; VAT 7% x 1,300.00 = 91.00
    ],
)
def test_the_date_switches(th: RuleSet, date: str, duty: str, tax: str) -> None:
    a = both(parcel("1000.00", date), th)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_no_version_before_2023(th: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel("100.00", "2022-12-31"), th)


def test_explain_names_the_waiver_and_flags_doubt(th: RuleSet) -> None:
    text = assess(parcel("1000.00", "2025-06-01"), th).explain()
    assert "duty waiver up to THB 1,500" in text
    assert "Notification No. 116/2567" in text
    assert "[unconfirmed value]" in text
