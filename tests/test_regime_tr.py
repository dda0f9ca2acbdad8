"""Turkey (data/tariff_categories/tr.toml): the single flat tax up to EUR 30, then its repeal.

Rules used (see the file's sources): from 2024-08-21 to 2026-02-05, post and express goods of a
customs value (CIF) of EUR 30 or less pay one flat tax instead of duty and VAT: 30% when the
goods originate in and are dispatched from an EU member state, 60% otherwise. Above EUR 30: the
caller's MFN rate on CIF and VAT 20% on CIF + duty. From 2026-02-06 the EUR 30 limit is
repealed: MFN duty on CIF and KDV 20% on CIF + duty from the first euro, whatever the origin
(the medicines flat tax up to EUR 1,500 is not modelled). No version before 2024-08-21.
Rounding half-up to the cent, once per shipment.
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
    hs: str = "610910",
    rate: str = "0.12",
) -> Shipment:
    item = Item(hs, value, duty_rate=rate)
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


def test_no_version_before_the_sourced_period(tr: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel("10.00", date="2024-08-20"), tr)


def test_last_day_in_force(tr: RuleSet) -> None:
    assert both(parcel("10.00", date="2026-02-05"), tr).duty == D("6.00")  # 60% x 10.00


def test_explain_names_the_flat_tax_and_the_ministry(tr: RuleSet) -> None:
    text = assess(parcel("10.00", "DE", "DE"), tr).explain()
    assert "single flat tax 30% (EU origin and dispatch)" in text
    assert "Expedited Shipments FAQ" in text


# -- from 2026-02-06: the EUR 30 limit repealed, duty and KDV from the first euro ------------

REPEAL = "2026-02-06"


def test_parcel_over_eur_30_on_the_first_day_of_the_repeal(tr: RuleSet) -> None:
    # EUR 29.00 goods + EUR 2.00 shipping from CN, MFN 12%: customs value (CIF) 31.00;
    # duty 12% x 31.00 = 3.72; KDV 20% x (31.00 + 3.72) = 6.944 -> 6.94; total 10.66.
    a = both(parcel("29.00", shipping="2.00", date=REPEAL), tr)
    assert (a.duty, a.tax, a.total) == (D("3.72"), D("6.94"), D("10.66"))


def test_the_same_parcel_the_day_before_was_already_over_eur_30(tr: RuleSet) -> None:
    # 2026-02-05, 2024 version: CIF 31.00 > 30, so the general regime then too: 3.72 + 6.94.
    a = both(parcel("29.00", shipping="2.00", date="2026-02-05"), tr)
    assert (a.duty, a.tax, a.total) == (D("3.72"), D("6.94"), D("10.66"))


@pytest.mark.parametrize(
    ("date", "duty", "tax"),
    [
        # 2026-02-05: CIF 25.00 + 2.00 = 27.00 <= 30: flat tax 60% x 27.00 = 16.20, no VAT.
        ("2026-02-05", "16.20", "0.00"),
        # 2026-02-06: no threshold: duty 12% x 27.00 = 3.24; KDV 20% x (27.00 + 3.24) =
        # 6.048 -> 6.05; total 9.29.
        (REPEAL, "3.24", "6.05"),
    ],
)
def test_a_parcel_under_eur_30_across_the_repeal(
    tr: RuleSet, date: str, duty: str, tax: str
) -> None:
    a = both(parcel("25.00", shipping="2.00", date=date), tr)
    assert (a.duty, a.tax, a.total) == (D(duty), D(tax), D(duty) + D(tax))


@pytest.mark.parametrize(
    ("date", "duty", "tax"),
    [
        ("2026-02-05", "3.00", "0.00"),  # EU origin and dispatch, 10.00 <= 30: 30% x 10.00
        # From the repeal the EU rate is gone too: duty 12% x 10.00 = 1.20;
        # KDV 20% x (10.00 + 1.20) = 2.24.
        (REPEAL, "1.20", "2.24"),
    ],
)
def test_eu_goods_across_the_repeal(tr: RuleSet, date: str, duty: str, tax: str) -> None:
    a = both(parcel("10.00", "DE", "DE", date=date), tr)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_duty_and_kdv_from_the_first_euro(tr: RuleSet) -> None:
    # EUR 1.00 from CN: duty 12% x 1.00 = 0.12; KDV 20% x 1.12 = 0.224 -> 0.22.
    a = both(parcel("1.00", date=REPEAL), tr)
    assert (a.duty, a.tax, a.total) == (D("0.12"), D("0.22"), D("0.34"))


def test_kdv_rounds_half_up_once_per_shipment(tr: RuleSet) -> None:
    # EUR 10.05 at MFN 10%: duty 1.005 -> 1.01 (half-up; half-even would give 1.00);
    # KDV 20% x (10.05 + 1.01) = 2.212 -> 2.21.
    a = both(parcel("10.05", date=REPEAL, rate="0.10"), tr)
    assert (a.duty, a.tax) == (D("1.01"), D("2.21"))


def test_medicines_are_assessed_at_duty_and_kdv_the_flat_tax_is_not_modelled(
    tr: RuleSet,
) -> None:
    # HS 3004 medicaments, EUR 100.00 from CN at MFN 0%: the law's flat tax (60% = 60.00 on a
    # prescription, up to EUR 1,500) is not in the file (see its header); it charges the
    # general regime: duty 0.00, KDV 20% x 100.00 = 20.00.
    a = both(parcel("100.00", date=REPEAL, hs="300490", rate="0"), tr)
    assert (a.duty, a.tax) == (D("0.00"), D("20.00"))


def test_explain_after_the_repeal_names_the_general_tariff_and_the_2026_decision(
    tr: RuleSet,
) -> None:
    text = assess(parcel("10.00", date=REPEAL), tr).explain()
    assert "single flat tax 60%" not in text
    assert "general tariff 12% x EUR 10.00" in text
    assert "Official Gazette 2026-01-07" in text
