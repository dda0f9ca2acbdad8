"""Brazil's simplified regime (RTS), a live flat-rate regime: TC-BR-01 and its edges by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

import lvs_duty
from lvs_duty import (
    Assessment,
    Item,
    RuleSet,
    Shipment,
    assess,
    assess_frame,
    shipments_to_frame,
    to_decimal_frame,
)


@pytest.fixture(scope="module")
def br() -> RuleSet:
    return lvs_duty.load_rules("BR")


def both(shipment: Shipment, rules: RuleSet) -> Assessment:
    """The scalar assessment, after checking that the frame path gives the same amounts."""
    a = assess(shipment, rules)
    row = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), rules)).iloc[0]
    for field in ("duty_assessed", "duty", "tax_assessed", "tax", "fees", "total"):
        assert row[field] == getattr(a, field), field
    return a


def parcel(
    value: str,
    date: str = "2025-03-01",
    shipping: str = "0",
    hs: str = "6109",
    rate: str | None = "0.35",
) -> Shipment:
    return Shipment("BR", date, "USD", [Item(hs, value, duty_rate=rate)], shipping=shipping)


@pytest.mark.parametrize(
    ("value", "shipping", "duty"),
    [
        ("50.00", "0", "10.00"),  # TC-BR-01: CIF 50.00 <= 50: 20% x 50 = 10.00
        ("49.99", "0", "10.00"),  # 20% x 49.99 = 9.998 -> 10.00
        ("40.00", "10.01", "10.01"),  # CIF 40.00 + 10.01 = 50.01 > 50: 30.006 - 20 -> 10.01
        ("100.00", "0", "40.00"),  # TC-BR-01: 60% x 100 - 20 = 40.00
        ("3000.00", "0", "1780.00"),  # at the ceiling: 1800 - 20
        ("3000.01", "0", "1050.00"),  # outside RTS: normal regime at the caller's 35%: 1050.0035
    ],
)
def test_remessa_conforme_from_2024_08_01(
    br: RuleSet, value: str, shipping: str, duty: str
) -> None:
    a = both(parcel(value, shipping=shipping), br)
    assert a.duty == D(duty)
    assert a.tax == D("0.00")  # ICMS is not modelled


def test_deduction_never_makes_duty_negative(br: RuleSet) -> None:
    # a shipment of USD 30 goods + USD 21 shipping: CIF 51.00 > 50: 60% x 51 = 30.60 - 20 = 10.60
    assert assess(parcel("30.00", shipping="21.00"), br).duty == D("10.60")
    # two lines: 60% x (10.00 + 45.00) = 33.00 - 20 = 13.00; line 1's 6.00 is fully deducted
    two = Shipment("BR", "2025-03-01", "USD", [Item("6109", "10.00"), Item("8517", "45.00")])
    a = assess(two, br)
    assert a.duty == D("13.00")
    assert a.classifications == 0  # a flat rate needs no classification


def test_before_2024_08_01(br: RuleSet) -> None:
    # USD 50 FOB relieved; 50.01 -> RTS 60%: 30.006 -> 30.01
    assert both(parcel("50.00", date="2024-07-31"), br).duty == D("0.00")
    assert both(parcel("50.01", date="2024-07-31"), br).duty == D("30.01")


@pytest.mark.parametrize(
    ("value", "shipping", "duty"),
    [
        # 2024-07-31: the USD 3,000 ceiling is on FOB (the goods), not CIF.
        # FOB 2,990.00 <= 3,000 although CIF 3,010.00 > 3,000: RTS 60% x 2,990.00 = 1,794.00
        ("2990.00", "20.00", "1794.00"),
        # FOB at the ceiling, 3,000.00 + 20 shipping: RTS 60% x 3,000.00 = 1,800.00
        ("3000.00", "20.00", "1800.00"),
        # FOB 3,000.01 > 3,000: normal regime at the caller's 35% on FOB: 1,050.0035 -> 1,050.00
        ("3000.01", "0", "1050.00"),
    ],
)
def test_rts_ceiling_on_fob_before_2024_08_01(
    br: RuleSet, value: str, shipping: str, duty: str
) -> None:
    a = both(parcel(value, date="2024-07-31", shipping=shipping), br)
    assert a.duty == D(duty)


def test_rts_ceiling_on_cif_from_2024_08_01(br: RuleSet) -> None:
    # The same FOB 2,990.00 + 20.00 shipping on 2024-08-01: CIF 3,010.00 > 3,000: outside RTS,
    # normal regime at 35% on the CIF value: 3,010.00 x 0.35 = 1,053.50
    assert both(parcel("2990.00", date="2024-08-01", shipping="20.00"), br).duty == D("1053.50")


def test_alcohol_is_outside_the_simplified_regime(br: RuleSet) -> None:
    # wine USD 40 at the caller's 27%: the normal regime, 40 x 0.27 = 10.80 (RTS: 8.00)
    a = assess(parcel("40.00", hs="220421", rate="0.27"), br)
    assert a.duty == D("10.80")
    assert "RTS" not in a.lines[0].duty_basis


def test_explain_names_the_special_and_the_deduction(br: RuleSet) -> None:
    text = assess(parcel("100.00"), br).explain()
    assert "Special duty 'RTS up to USD 3,000' applies" in text
    assert "minus a deduction of USD 20" in text
    assert "DHL, Brazil value basis" in text
    assert "[unconfirmed value]" in text
