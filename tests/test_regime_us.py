"""United States (us.toml, us_postal_specific.toml): worked examples at, below and above each
threshold and across each date switch, expected values worked by hand in the comments.

Cases TC-US-01 to TC-US-05 come from the project reference (regimes.md, section 15); the
others are our own. Duty is half-up to the cent, once per shipment; the US has no border tax.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import lvs_duty
from lvs_duty import (
    Assessment,
    Item,
    LvsDutyError,
    NotInForceError,
    RateUnavailableError,
    RuleSet,
    Shipment,
    assess,
    assess_frame,
    shipments_to_frame,
    to_decimal_frame,
)


@pytest.fixture(scope="module")
def us() -> RuleSet:
    return lvs_duty.load_rules("US")


@pytest.fixture(scope="module")
def us_specific() -> RuleSet:
    return lvs_duty.load_rules("US_POSTAL_SPECIFIC")


def parcel(
    date: str,
    *items: Item,
    mode: str = "courier",
    shipping: str = "0",
    gift: bool = False,
    origin: str | None = None,
) -> Shipment:
    return Shipment(
        "US",
        date,
        "USD",
        list(items),
        mode=mode,
        shipping=shipping,
        gift=gift,
        ship_from=origin,
        origin=origin,
    )


def shirt(value: str, rate: str = "0.20", quantity: int = 1, **more: object) -> Item:
    return Item("610910", value, quantity=quantity, duty_rate=rate, **more)


# --- Section 321 de minimis (before 2025-08-29) -------------------------------------------


@pytest.mark.parametrize(
    ("value", "rate", "duty"),
    [
        # 799.99 <= 800: relieved
        ("799.99", "0.05", "0.00"),
        # 800.00 <= 800 (inclusive): relieved
        ("800.00", "0.05", "0.00"),
        # 800.01 > 800: duty 800.01 x 0.05 = 40.0005 -> 40.00
        ("800.01", "0.05", "40.00"),
    ],
)
def test_section_321_edge_2024(us: RuleSet, value: str, rate: str, duty: str) -> None:
    a = assess(parcel("2024-06-01", shirt(value, rate)), us)
    assert a.duty == Decimal(duty)
    assert a.tax == 0  # no federal consumption tax
    assert a.tax_collection is None
    assert a.total == Decimal(duty)


def test_section_321_measured_on_goods_not_freight(us: RuleSet) -> None:
    # Goods 800.00 + freight 30.00: the test is on the goods (fair retail value) -> relieved.
    a = assess(parcel("2024-06-01", shirt("800.00"), shipping="30.00"), us)
    assert a.duty == 0


def test_section_321_is_per_consignment_across_lines(us: RuleSet) -> None:
    # 500.00 + 300.01 = 800.01 > 800: both lines dutiable at 10%: 80.001 -> 80.00.
    a = assess(parcel("2024-06-01", shirt("500.00", "0.10"), shirt("300.01", "0.10")), us)
    assert a.duty == Decimal("80.00")


@pytest.mark.parametrize(
    ("value", "duty"),
    [
        # TC-US-01: 2025-08-28, Vietnam, express, fair retail value 800.00 -> duty 0.
        ("800.00", "0.00"),
        # TC-US-01: 800.01 -> not eligible; at an effective rate of 20%:
        # 800.01 x 0.20 = 160.002 -> 160.00.
        ("800.01", "160.00"),
    ],
)
def test_tc_us_01_pre_suspension(us: RuleSet, value: str, duty: str) -> None:
    a = assess(parcel("2025-08-28", shirt(value, "0.20"), origin="VN"), us)
    assert a.duty == Decimal(duty)


# --- Suspension for all countries (from 2025-08-29) ----------------------------------------


@pytest.mark.parametrize(
    ("date", "duty"),
    [
        # 2025-08-28: 800.00 <= 800, relieved.
        ("2025-08-28", "0.00"),
        # 2025-08-29: de minimis suspended: 800.00 x 0.20 = 160.00.
        ("2025-08-29", "160.00"),
    ],
)
def test_suspension_date_switch(us: RuleSet, date: str, duty: str) -> None:
    a = assess(parcel(date, shirt("800.00", "0.20"), origin="VN"), us)
    assert a.duty == Decimal(duty)


def test_suspension_small_parcel_pays_from_first_cent(us: RuleSet) -> None:
    # 2025-09-15, 20.00 at 15%: 3.00; no threshold relieves it.
    a = assess(parcel("2025-09-15", shirt("20.00", "0.15")), us)
    assert a.duty == Decimal("3.00")
    assert a.duty_collection == "border"


def test_tc_us_03_postal_ad_valorem(us: RuleSet) -> None:
    # TC-US-03: 2025-10-01, package USD 50, effective IEEPA rate 15%: 50 x 0.15 = 7.50.
    a = assess(parcel("2025-10-01", shirt("50.00", "0.15"), mode="post"), us)
    assert a.duty == Decimal("7.50")
    assert a.total == Decimal("7.50")


@pytest.mark.parametrize(
    ("gift", "value", "duty"),
    [
        # Gift 99.99 <= 100: relieved.
        (True, "99.99", "0.00"),
        # Gift 100.00 <= 100 (inclusive): relieved.
        (True, "100.00", "0.00"),
        # Gift 100.01 > 100: 100.01 x 0.15 = 15.0015 -> 15.00.
        (True, "100.01", "15.00"),
        # Not a gift, 100.00: no threshold: 100.00 x 0.15 = 15.00.
        (False, "100.00", "15.00"),
    ],
)
def test_gift_threshold_survives_suspension(us: RuleSet, gift: bool, value: str, duty: str) -> None:
    a = assess(parcel("2025-10-01", shirt(value, "0.15"), gift=gift), us)
    assert a.duty == Decimal(duty)


def test_suspension_needs_the_callers_rate(us: RuleSet) -> None:
    with pytest.raises(RateUnavailableError, match="duty_rate"):
        assess(parcel("2025-10-01", Item("610910", "50.00")), us)


# --- After the IEEPA ruling (from 2026-02-24) ----------------------------------------------


@pytest.mark.parametrize(
    ("date", "duty"),
    [
        # 2026-02-23: general tariff at the caller's 25%: 50.00 x 0.25 = 12.50
        ("2026-02-23", "12.50"),
        # 2026-02-24: a postal item pays the Section 122 surcharge alone: 50.00 x 0.10 = 5.00
        ("2026-02-24", "5.00"),
    ],
)
def test_section_122_postal_date_switch(us: RuleSet, date: str, duty: str) -> None:
    a = assess(parcel(date, shirt("50.00", "0.25"), mode="post"), us)
    assert a.duty == Decimal(duty)


def test_section_122_courier_goods_pay_the_callers_rate(us: RuleSet) -> None:
    # 2026-03-10, courier: the caller's rate (MFN + surcharge) 12.5%: 50.00 x 0.125 = 6.25
    a = assess(parcel("2026-03-10", shirt("50.00", "0.125")), us)
    assert a.duty == Decimal("6.25")
    assert a.lines[0].duty_basis == "general tariff (MFN) 12.5%"


def test_section_122_explain_says_unconfirmed_and_cites(us: RuleSet) -> None:
    a = assess(parcel("2026-03-10", shirt("50.00", "0.25"), mode="post"), us)
    text = a.explain()
    assert a.unconfirmed
    assert "Trade Act of 1974, s. 122" in text
    step = next(line for line in text.splitlines() if "Section 122 surcharge, postal" in line)
    assert "unconfirmed" in step


def both(shipment: Shipment, rules: RuleSet) -> Assessment:
    """The scalar assessment, after checking that the frame path gives the same amounts."""
    a = assess(shipment, rules)
    row = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), rules)).iloc[0]
    for field in ("duty_assessed", "duty", "tax_assessed", "tax", "fees", "total"):
        assert row[field] == getattr(a, field), field
    return a


@pytest.mark.parametrize(
    ("date", "duty", "version"),
    [
        # A postal item of 50.00 whose effective rate (MFN, surcharge included before
        # 2026-07-24) the caller gives as 25%.
        # 2026-06-23: the 10% surcharge alone: 50.00 x 0.10 = 5.00
        ("2026-06-23", "5.00", "2026-02-24"),
        # 2026-06-24: CBP's interim final rules; postal duty still the surcharge: 5.00
        ("2026-06-24", "5.00", "2026-06-24"),
        # 2026-07-23: the surcharge's last day: 5.00
        ("2026-07-23", "5.00", "2026-06-24"),
        # 2026-07-24: surcharge over; postal informal entry at the caller's rate:
        # 50.00 x 0.25 = 12.50
        ("2026-07-24", "12.50", "2026-07-24"),
        # 2027-06-30 and 2027-07-01 (statutory repeal): the same 12.50
        ("2027-06-30", "12.50", "2026-10-01"),  # split on 2026-10-01 for the entry fee (featb)
        ("2027-07-01", "12.50", "2027-07-01"),
    ],
)
def test_postal_duty_across_the_2026_and_2027_switches(
    us: RuleSet, date: str, duty: str, version: str
) -> None:
    a = both(parcel(date, shirt("50.00", "0.25"), mode="post"), us)
    assert a.duty == Decimal(duty)
    assert a.version.startswith(version)


@pytest.mark.parametrize("date", ["2026-06-23", "2026-07-24", "2027-07-01"])
def test_courier_pays_the_callers_rate_in_every_period(us: RuleSet, date: str) -> None:
    # courier, 50.00 at the caller's 12.5%: 6.25 before and after each switch
    assert both(parcel(date, shirt("50.00", "0.125")), us).duty == Decimal("6.25")


@pytest.mark.parametrize("date", ["2026-06-24", "2026-07-24", "2027-07-01"])
@pytest.mark.parametrize(
    ("value", "duty"),
    [
        ("99.99", "0.00"),  # gift under USD 100: free
        ("100.00", "0.00"),  # at USD 100 (inclusive): free
        ("100.01", "15.00"),  # over: 100.01 x 0.15 = 15.0015 -> 15.00 (courier, caller's rate)
    ],
)
def test_gift_exemption_survives_the_rules_and_the_repeal(
    us: RuleSet, date: str, value: str, duty: str
) -> None:
    assert both(parcel(date, shirt(value, "0.15"), gift=True), us).duty == Decimal(duty)


def test_each_period_cites_its_legal_basis(us: RuleSet) -> None:
    ifr = assess(parcel("2026-07-01", shirt("50.00", "0.25"), mode="post"), us).explain()
    assert "91 FR 37801" in ifr
    after = assess(parcel("2026-08-01", shirt("50.00", "0.25"), mode="post"), us).explain()
    assert "Supply Chain Dive" in after
    assert "Section 122 surcharge, postal" not in after
    repeal = assess(parcel("2027-07-01", shirt("50.00", "0.25")), us).explain()
    assert "Pub. L. 119-21" in repeal


def test_china_period_threshold_is_flagged(us: RuleSet) -> None:
    # 2025-05-20, Chinese origin: the origin row applies, and explain says the threshold is
    # unconfirmed and cites EO 14256.
    a = assess(parcel("2025-05-20", shirt("50.00", "0.54"), mode="post", origin="CN"), us)
    text = a.explain()
    threshold_line = next(line for line in text.splitlines() if "[threshold] Duty" in line)
    assert "[unconfirmed value]" in threshold_line
    assert "Executive Order 14256" in text


def test_tc_us_04_china_postal_ad_valorem(us: RuleSet) -> None:
    # TC-US-04: 2025-05-20, China, package USD 50, ad valorem method at 54%: 27.00.
    a = assess(parcel("2025-05-20", shirt("50.00", "0.54"), mode="post", origin="CN"), us)
    assert a.duty == Decimal("27.00")
    assert "China and Hong Kong origin: no de minimis" in a.explain()
    # the same parcel of Vietnamese origin keeps the USD 800 de minimis: 50 <= 800
    assert assess(
        parcel("2025-05-20", shirt("50.00", "0.54"), mode="post", origin="VN"), us
    ).duty == Decimal("0.00")


def test_us_not_in_force_before_2016(us: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel("2016-03-09", shirt("50.00")), us)


# --- Postal specific duty (us_postal_specific.toml) ----------------------------------------


@pytest.mark.parametrize(
    ("rate", "duty"),
    [
        # TC-US-02: rate < 16% -> USD 80; 16% to 25% inclusive -> USD 160; > 25% -> USD 200.
        ("0.10", "80.00"),
        ("0.159", "80.00"),
        ("0.16", "160.00"),
        ("0.25", "160.00"),
        ("0.251", "200.00"),
    ],
)
def test_tc_us_02_specific_bands(us_specific: RuleSet, rate: str, duty: str) -> None:
    # The value is irrelevant: a USD 20 item still pays the band amount.
    a = assess(parcel("2025-10-01", shirt("20.00", rate), mode="post"), us_specific)
    assert a.duty == Decimal(duty)


def test_specific_duty_is_per_item(us_specific: RuleSet) -> None:
    # 1 item at 10% (USD 80) + 2 items at 30% (2 x USD 200): 80 + 400 = 480.
    a = assess(
        parcel(
            "2025-10-01", shirt("20.00", "0.10"), shirt("70.00", "0.30", quantity=2), mode="post"
        ),
        us_specific,
    )
    assert a.duty == Decimal("480.00")
    assert [line.duty for line in a.lines] == [Decimal("80"), Decimal("400")]


@pytest.mark.parametrize(
    ("gift", "value", "duty"),
    [
        # Gift 100.00 <= 100: relieved.
        (True, "100.00", "0.00"),
        # Gift 100.01 > 100: band of 10% -> USD 80.
        (True, "100.01", "80.00"),
    ],
)
def test_specific_gift_edge(us_specific: RuleSet, gift: bool, value: str, duty: str) -> None:
    a = assess(parcel("2025-10-01", shirt(value, "0.10"), mode="post", gift=gift), us_specific)
    assert a.duty == Decimal(duty)


def test_tc_us_04_china_postal_specific(us_specific: RuleSet) -> None:
    # TC-US-04: 2025-05-20, China/Hong Kong postal item, specific method: USD 100 per item;
    # 2 items: 200.00.
    one = assess(
        parcel("2025-05-20", shirt("50.00", "0.54"), mode="post", origin="CN"), us_specific
    )
    two = assess(
        parcel("2025-05-20", shirt("50.00", "0.54", quantity=2), mode="post", origin="HK"),
        us_specific,
    )
    assert one.duty == Decimal("100.00")
    assert two.duty == Decimal("200.00")


@pytest.mark.parametrize(
    ("date", "duty"),
    [
        # 2025-08-28: China/Hong Kong period: USD 100 per item whatever the rate.
        ("2025-08-28", "100.00"),
        # 2025-08-29: bands for all countries: 10% -> USD 80.
        ("2025-08-29", "80.00"),
        # 2026-02-23: the last day of the specific method (the IEEPA duties that pick the band
        # end on 2026-02-24; the guard is tested below).
        ("2026-02-23", "80.00"),
    ],
)
def test_specific_date_switches(us_specific: RuleSet, date: str, duty: str) -> None:
    a = assess(parcel(date, shirt("20.00", "0.10"), mode="post"), us_specific)
    assert a.duty == Decimal(duty)


@pytest.mark.parametrize(
    "date", ["2026-02-24", "2026-02-28", "2026-03-01", "2026-03-10", "2025-05-01"]
)
def test_tc_us_05_date_guard(us_specific: RuleSet, date: str) -> None:
    # TC-US-05: a postal item entered 2026-03-10 with the specific method requested is an
    # error (the method was announced to expire after 2026-02-28); before 2025-05-02 there was
    # no such method. The days 2026-02-24 to 2026-02-28 are a gap: the bands are keyed on the
    # IEEPA rate, the IEEPA duties ended on 2026-02-24 and no source says the method survived
    # them, so the file ends there and the error names the periods it covers.
    with pytest.raises(NotInForceError, match="2026-02-24 \\(exclusive\\)") as info:
        assess(parcel(date, shirt("20.00", "0.10"), mode="post"), us_specific)
    assert info.value.on == date
    assert info.value.rules == "US_POSTAL_SPECIFIC"


def test_tc_us_05_ad_valorem_still_works_after_the_guard(us: RuleSet) -> None:
    # The same parcel on 2026-03-10 under us.toml (ad valorem): 20.00 x 0.10 = 2.00.
    a = assess(parcel("2026-03-10", shirt("20.00", "0.10"), mode="post"), us)
    assert a.duty == Decimal("2.00")


def test_date_guard_on_the_frame_path(us_specific: RuleSet) -> None:
    # The frame path flags the same gap row by row: 2026-02-23 assessed (USD 80), 2026-02-24
    # refused with the covered periods in the message.
    frame = shipments_to_frame(
        [
            parcel("2026-02-23", shirt("20.00", "0.10"), mode="post"),
            parcel("2026-02-24", shirt("20.00", "0.10"), mode="post"),
        ]
    )
    out = assess_frame(frame, us_specific, errors="flag")
    assert out["status"].tolist() == ["ok", "error"]
    assert out["duty_minor"].tolist()[0] == 8000
    assert "2026-02-24 (exclusive)" in str(out["error"].tolist()[1])
    with pytest.raises(LvsDutyError):
        assess_frame(frame, us_specific)


def test_specific_explain_cites_cbp_and_flags(us_specific: RuleSet) -> None:
    a = assess(parcel("2025-10-01", shirt("20.00", "0.20"), mode="post"), us_specific)
    text = a.explain()
    assert "CBP guidance of 2025-08-15" in text
    assert "[unconfirmed value]" in text
    assert a.version == "2025-08-29 to 2026-02-24 (exclusive)"


def test_specific_on_date_override(us_specific: RuleSet) -> None:
    # The ``on`` argument picks the version, not the shipment date.
    shipment = parcel("2025-10-01", shirt("20.00", "0.10"), mode="post")
    with pytest.raises(NotInForceError):
        assess(shipment, us_specific, on=dt.date(2026, 3, 1))


def test_explain_without_an_import_tax_speaks_of_duty_only(us: RuleSet) -> None:
    # The US has no import tax: the threshold step says so, and the rounding step names the
    # duty quantum alone (no "(tax)" quantum, no tax groups).
    a = assess(parcel("2026-01-10", shirt("100.00", "0.12")), us)
    text = a.explain()
    assert "No import tax in this regime." in text
    rounding = next(line for line in text.splitlines() if "[rounding]" in line)
    assert "Rounded ROUND_HALF_UP to 0.01 (duty), once per shipment. Duty USD 12.00." in rounding
    assert "(tax)" not in rounding
