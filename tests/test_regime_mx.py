"""Mexico (data/tariff_categories/mx.toml): the courier global rates by origin, on both paths.

Rules used (see the file's sources): courier consignments up to USD 2,500 (customs value, CIF,
inclusive) pay one global rate standing for duty and VAT: goods originating in the US or Canada
are free up to USD 50, pay 17% over USD 50 up to USD 117 and 19% above; goods originating in a
TIPAT, Pacific Alliance country or Panama are free up to USD 1; all others pay 19% (from
2025-01-01), 33.5% (from 2025-08-15). Above USD 2,500, for alcohol and tobacco, and for post:
the caller's MFN rate and VAT 16% on CIF + duty. Rounding half-up to the cent per shipment.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from _both_paths import both
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess, load_rules


@pytest.fixture(scope="module")
def mx() -> RuleSet:
    return load_rules("MX")


def parcel(
    value: str, origin: str = "CN", date: str = "2025-09-01", hs: str = "610910", **more: Any
) -> Shipment:
    more.setdefault("ship_from", origin)
    item = Item(hs, value, duty_rate="0.20")
    return Shipment("MX", date, "USD", [item], origin=origin, mode="courier", **more)


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        ("50.00", "0.00", "0.00"),  # at USD 50 (inclusive): free of duty and VAT
        ("50.01", "8.50", "0.00"),  # 17% x 50.01 = 8.5017 -> 8.50
        ("117.00", "19.89", "0.00"),  # 17% x 117.00 = 19.89
        ("117.01", "22.23", "0.00"),  # 19% x 117.01 = 22.2319 -> 22.23
        ("2500.00", "475.00", "0.00"),  # 19% x 2,500.00 = 475.00
        # over USD 2,500: general regime, MFN 20% x 2,500.01 = 500.002 -> 500.00;
        # IVA 16% x (2,500.01 + 500.00) = 480.0016 -> 480.00
        ("2500.01", "500.00", "480.00"),
    ],
)
def test_t_mec_bands(mx: RuleSet, value: str, duty: str, tax: str) -> None:
    a = both(parcel(value, origin="US"), mx)
    assert (a.duty, a.tax) == (D(duty), D(tax))


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        ("10.00", "3.35", "0.00"),  # 33.5% from the first dollar: 3.35
        ("2500.00", "837.50", "0.00"),  # 33.5% x 2,500.00
        ("2500.01", "500.00", "480.00"),  # general regime, as above
    ],
)
def test_global_rate_33_5(mx: RuleSet, value: str, duty: str, tax: str) -> None:
    a = both(parcel(value, origin="CN"), mx)
    assert (a.duty, a.tax) == (D(duty), D(tax))


@pytest.mark.parametrize(
    ("date", "duty"),
    [
        ("2025-01-01", "19.00"),  # 19% x 100.00
        ("2025-08-14", "19.00"),
        ("2025-08-15", "33.50"),  # 33.5% x 100.00
    ],
)
def test_the_2025_08_15_switch(mx: RuleSet, date: str, duty: str) -> None:
    assert both(parcel("100.00", date=date), mx).duty == D(duty)


def test_t_mec_rates_did_not_change_on_2025_08_15(mx: RuleSet) -> None:
    # 17% x 100.00 = 17.00 and 19% x 200.00 = 38.00 on either side of the switch
    for date in ("2025-08-14", "2025-08-15"):
        assert both(parcel("100.00", origin="CA", date=date), mx).duty == D("17.00")
        assert both(parcel("200.00", origin="CA", date=date), mx).duty == D("38.00")


def test_freight_counts_in_the_customs_value(mx: RuleSet) -> None:
    # US goods 40.00 + freight 10.01 = CIF 50.01 > 50: 17% x 50.01 = 8.5017 -> 8.50
    assert both(parcel("40.00", origin="US", shipping="10.01"), mx).duty == D("8.50")
    # 40.00 + 10.00 = 50.00: free
    assert both(parcel("40.00", origin="US", shipping="10.00"), mx).total == D("0.00")
    # CN goods 40.00 + 10.00 freight: 33.5% x 50.00 = 16.75
    assert both(parcel("40.00", shipping="10.00"), mx).duty == D("16.75")


def test_t_mec_is_by_origin_not_by_place_of_shipment(mx: RuleSet) -> None:
    # US-made goods shipped from China: 17% x 100.00 = 17.00
    assert both(parcel("100.00", origin="US", ship_from="CN"), mx).duty == D("17.00")
    # Chinese goods shipped from the US: 33.5% x 100.00 = 33.50
    assert both(parcel("100.00", origin="CN", ship_from="US"), mx).duty == D("33.50")


@pytest.mark.parametrize(
    ("value", "duty"),
    [("1.00", "0.00"), ("1.01", "0.34")],  # 33.5% x 1.01 = 0.33835 -> 0.34
)
def test_treaty_countries_usd_1(mx: RuleSet, value: str, duty: str) -> None:
    assert both(parcel(value, origin="JP"), mx).duty == D(duty)


def test_post_and_alcohol_take_the_general_regime(mx: RuleSet) -> None:
    # post is outside rule 3.7.35: MFN 20% x 100.00 = 20.00; IVA 16% x 120.00 = 19.20
    post = Shipment("MX", "2025-09-01", "USD", [Item("610910", "100.00", duty_rate="0.20")],
                    origin="CN", ship_from="CN", mode="post")  # fmt: skip
    a = both(post, mx)
    assert (a.duty, a.tax, a.total) == (D("20.00"), D("19.20"), D("39.20"))
    # wine by courier: excluded from the global rate and its VAT relief: the same 20.00 + 19.20
    a = both(parcel("100.00", hs="220421"), mx)
    assert (a.duty, a.tax) == (D("20.00"), D("19.20"))


@pytest.mark.parametrize(
    ("pesos", "duty"),
    [
        ("1000.00", "0.00"),  # MXN 1,000.00 x 0.05 = USD 50.00: free (T-MEC)
        ("1000.20", "8.50"),  # x 0.05 = 50.01: 17% = 8.5017 -> 8.50
    ],
)
def test_a_peso_price_is_converted_at_the_callers_rate(mx: RuleSet, pesos: str, duty: str) -> None:
    s = Shipment("MX", "2025-09-01", "MXN", [Item("610910", pesos)], origin="US", ship_from="US")
    assert both(s, mx, fx={"MXN": D("0.05")}).duty == D(duty)


def test_no_version_before_2025(mx: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel("10.00", date="2024-12-31"), mx)


def test_explain_names_the_band_and_flags_doubt(mx: RuleSet) -> None:
    a = assess(parcel("100.00", origin="US"), mx)
    text = a.explain()
    assert "T-MEC global rate 17% (over USD 50 up to USD 117)" in text
    assert "[unconfirmed value]" in text
    assert a.classifications == 0  # a global rate needs no classification
