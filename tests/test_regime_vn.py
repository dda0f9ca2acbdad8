"""Vietnam (data/tariff_categories/vn.toml): the express VND 1,000,000 exemption and VAT 8%/10%.

Rules used (see the file's sources): express consignments with a customs value (CIF) of
VND 1,000,000 or less pay no duty and no VAT until 2025-02-17; from 2025-02-18 VAT is due from
the first dong while the duty exemption stays (Decree 134/2016, the file's reading). Post has
no exemption. Above it: the caller's MFN rate on CIF, VAT on CIF + duty at 10%, or 8% from
2023-07-01 to 2026-12-31 except the appendix goods (IT goods and chemicals only to 2025-06-30;
metals, mining products and SCT goods throughout); medicines 5%. Rounding half-up to the dong,
once per shipment. Every amount is checked on both paths (``both``).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from _both_paths import both
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess, load_rules


@pytest.fixture(scope="module")
def vn() -> RuleSet:
    return load_rules("VN")


def parcel(
    value: str,
    date: str,
    shipping: str = "0",
    mode: str = "courier",
    hs: str = "610910",
    rate: str = "0.20",
) -> Shipment:
    item = Item(hs, value, duty_rate=rate)
    return Shipment("VN", date, "VND", [item], shipping=shipping, ship_from="CN", mode=mode)


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        # CIF 949,999 + 50,000 = 999,999: under the limit, free of duty and VAT
        ("949999", "0", "0"),
        # CIF 950,000 + 50,000 = 1,000,000: "or less", free
        ("950000", "0", "0"),
        # CIF 1,000,001: duty 20% = 200,000.2 -> 200,000;
        # VAT 8% x (1,000,001 + 200,000) = 96,000.08 -> 96,000
        ("950001", "200000", "96000"),
    ],
)
def test_express_exemption_before_2025_02_18(vn: RuleSet, value: str, duty: str, tax: str) -> None:
    a = both(parcel(value, "2024-06-01", shipping="50000"), vn)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_over_the_limit_at_10_percent_before_the_reduction(vn: RuleSet) -> None:
    # 2023-03-01, VAT 10%: CIF 1,000,001: duty 200,000; VAT 10% x 1,200,001 = 120,000.1 -> 120,000
    a = both(parcel("950001", "2023-03-01", shipping="50000"), vn)
    assert (a.duty, a.tax, a.total) == (D("200000"), D("120000"), D("320000"))


def test_post_has_no_exemption(vn: RuleSet) -> None:
    # By post, 500,000: duty 20% = 100,000; VAT 8% x 600,000 = 48,000
    a = both(parcel("500000", "2024-06-01", mode="post"), vn)
    assert (a.duty, a.tax) == (D("100000"), D("48000"))


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        ("1", "0", "0"),  # VAT 8% x 1 = 0.08 -> 0 (half-up to the dong)
        ("500000", "0", "40000"),  # duty still exempt; VAT 8% x 500,000
        ("1000000", "0", "80000"),  # at the limit: duty exempt; VAT 8% x 1,000,000
        # 1,000,001: duty 200,000.2 -> 200,000; VAT 8% x 1,200,001 = 96,000.08 -> 96,000
        ("1000001", "200000", "96000"),
    ],
)
def test_vat_from_the_first_dong_from_2025_02_18(
    vn: RuleSet, value: str, duty: str, tax: str
) -> None:
    a = both(parcel(value, "2025-03-01"), vn)
    assert (a.duty, a.tax) == (D(duty), D(tax))


@pytest.mark.parametrize(
    ("date", "tax"),
    [
        ("2025-02-17", "0"),  # VND 500,000 express: Decision 78/2010 still in force
        ("2025-02-18", "40000"),  # repealed: VAT 8% x 500,000
        ("2026-12-31", "40000"),
        ("2027-01-01", "50000"),  # the reduction has lapsed: VAT 10% x 500,000
    ],
)
def test_the_exemption_switch(vn: RuleSet, date: str, tax: str) -> None:
    a = both(parcel("500000", date), vn)
    assert (a.duty, a.tax) == (D("0"), D(tax))


@pytest.mark.parametrize(
    ("date", "tax"),
    [
        # VND 2,000,000 T-shirt: duty 20% = 400,000 throughout; VAT on 2,400,000
        ("2023-06-30", "240000"),  # 10%
        ("2023-07-01", "192000"),  # 8% (Decree 44/2023)
        ("2023-12-31", "192000"),
        ("2024-01-01", "192000"),  # Decree 94/2023
        ("2024-07-01", "192000"),  # Decree 72/2024
        ("2025-01-01", "192000"),  # Decree 180/2024
        ("2025-07-01", "192000"),  # Decree 174/2025
        ("2026-12-31", "192000"),
        ("2027-01-01", "240000"),  # 10% again, unless extended
    ],
)
def test_the_vat_rate_switches(vn: RuleSet, date: str, tax: str) -> None:
    a = both(parcel("2000000", date), vn)
    assert (a.duty, a.tax) == (D("400000"), D(tax))


@pytest.mark.parametrize(
    ("hs", "before", "after"),
    [
        # VND 2,000,000 at duty 0: VAT = rate x 2,000,000, on 2024-06-01 and on 2025-08-01
        ("610910", "160000", "160000"),  # T-shirt: 8% both
        ("851713", "200000", "160000"),  # smartphone: IT goods (Appendix III) 10%, then 8%
        ("851762", "200000", "160000"),  # smart watch: IT goods, the same
        ("330300", "200000", "160000"),  # perfume: read as a chemical product 10%, then 8%
        ("271012", "200000", "160000"),  # motor spirit: 10% (petroleum, SCT), gasoline 8%
        ("732393", "200000", "200000"),  # stainless kitchenware: metal products 10% both
        ("220300", "200000", "200000"),  # beer: SCT goods 10% both (SCT not modelled)
        ("300490", "100000", "100000"),  # medicine: 5% both
        ("711719", "160000", "160000"),  # imitation jewellery: not a metal product here, 8%
    ],
)
def test_goods_at_8_and_10_percent(vn: RuleSet, hs: str, before: str, after: str) -> None:
    assert both(parcel("2000000", "2024-06-01", hs=hs, rate="0"), vn).tax == D(before)
    assert both(parcel("2000000", "2025-08-01", hs=hs, rate="0"), vn).tax == D(after)


def test_a_mixed_parcel_pays_each_rate_on_its_own_line(vn: RuleSet) -> None:
    # 2025-03-01: T-shirt 600,000 (MFN 20%) + smartphone 500,000 (MFN 0): CIF 1,100,000 > limit.
    # Duty: 20% x 600,000 = 120,000. VAT: 8% x (600,000 + 120,000) = 57,600 on the T-shirt;
    # 10% x 500,000 = 50,000 on the phone (IT goods not reduced to 2025-06-30); 107,600 in all.
    items = [Item("610910", "600000", duty_rate="0.20"), Item("851713", "500000", duty_rate="0")]
    shipment = Shipment("VN", "2025-03-01", "VND", items, ship_from="CN", mode="courier")
    a = both(shipment, vn)
    assert (a.duty, a.tax, a.total) == (D("120000"), D("107600"), D("227600"))


def test_a_parcel_priced_in_usd_is_converted(vn: RuleSet) -> None:
    # USD 30.00 at VND 26,000 per USD = VND 780,000: under the limit before 2025-02-18 (free);
    # after it VAT 8% x 780,000 = 62,400, duty still exempt.
    fx = {"USD": D("26000")}
    item = Item("610910", "30.00", duty_rate="0.20")
    before = Shipment("VN", "2024-06-01", "USD", [item], ship_from="CN", mode="courier")
    after = Shipment("VN", "2025-06-01", "USD", [item], ship_from="CN", mode="courier")
    assert both(before, vn, fx=fx).total == D("0")
    assert (both(after, vn, fx=fx).duty, both(after, vn, fx=fx).tax) == (D("0"), D("62400"))


def test_no_version_before_2023(vn: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel("100000", "2022-12-31"), vn)


def test_explain_names_the_exemption_the_rate_and_the_doubt(vn: RuleSet) -> None:
    text = assess(parcel("500000", "2024-06-01"), vn).explain()
    assert "express consignment VND 1,000,000 (VAT)" in text
    assert "Decision No. 78/2010/QD-TTg" in text
    assert "[unconfirmed value]" in text
    later = assess(parcel("2000000", "2027-06-01", hs="851713", rate="0"), vn).explain()
    assert "unless extended" in later
    assert "VAT at 10%" in later
