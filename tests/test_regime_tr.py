"""Turkey (data/tariff_categories/tr.toml): the single flat tax up to EUR 30, on both paths.

Rules used (see the file's sources): from 2024-08-21 to 2026-02-05, post and express goods of a
customs value (CIF) of EUR 30 or less pay one flat tax instead of duty and VAT: 30% when the
goods originate in and are dispatched from an EU member state, 60% otherwise. Above EUR 30: the
caller's MFN rate on CIF and VAT 20% on CIF + duty. No version outside those dates. Rounding
half-up to the cent, once per shipment.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from _both_paths import both
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess, load_rules


@pytest.fixture(scope="module")
def tr() -> RuleSet:
    return load_rules("TR")


def parcel(
    value: str,
    origin: str = "CN",
    ship_from: str = "CN",
    shipping: str = "0",
    date: str = "2025-06-01",
) -> Shipment:
    item = Item("610910", value, duty_rate="0.12")
    return Shipment(
        "TR", date, "EUR", [item], origin=origin, ship_from=ship_from, shipping=shipping
    )


@pytest.mark.parametrize(
    ("value", "origin", "ship_from", "duty"),
    [
        ("30.00", "DE", "DE", "9.00"),  # EU origin and dispatch, at EUR 30: 30% x 30.00
        ("10.00", "FR", "IT", "3.00"),  # 30% x 10.00: any member state for each
        ("30.00", "CN", "CN", "18.00"),  # other goods: 60% x 30.00
        ("20.00", "DE", "GB", "12.00"),  # EU origin dispatched from outside: 60% x 20.00
        ("20.00", "CN", "DE", "12.00"),  # dispatched from the EU, not of EU origin: 60%
    ],
)
def test_flat_tax_by_origin_and_dispatch(
    tr: RuleSet, value: str, origin: str, ship_from: str, duty: str
) -> None:
    a = both(parcel(value, origin, ship_from), tr)
    assert (a.duty, a.tax, a.total) == (D(duty), D("0.00"), D(duty))


@pytest.mark.parametrize(
    ("shipping", "duty", "tax"),
    [
        ("5.00", "18.00", "0.00"),  # CIF 25.00 + 5.00 = 30.00: flat 60% = 18.00
        # CIF 30.01 > 30: general regime, duty 12% x 30.01 = 3.6012 -> 3.60;
        # VAT 20% x (30.01 + 3.60) = 6.722 -> 6.72 (less than the flat tax: a notch)
        ("5.01", "3.60", "6.72"),
    ],
)
def test_transport_counts_in_the_eur_30_test(
    tr: RuleSet, shipping: str, duty: str, tax: str
) -> None:
    a = both(parcel("25.00", shipping=shipping), tr)
    assert (a.duty, a.tax) == (D(duty), D(tax))


@pytest.mark.parametrize("date", ["2024-08-20", "2026-02-06"])
def test_no_version_outside_the_sourced_period(tr: RuleSet, date: str) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel("10.00", date=date), tr)


def test_last_day_in_force(tr: RuleSet) -> None:
    assert both(parcel("10.00", date="2026-02-05"), tr).duty == D("6.00")  # 60% x 10.00


def test_explain_names_the_flat_tax_and_the_ministry(tr: RuleSet) -> None:
    text = assess(parcel("10.00", "DE", "DE"), tr).explain()
    assert "single flat tax 30% (EU origin and dispatch)" in text
    assert "Expedited Shipments FAQ" in text
