"""European Union (eu.toml): worked examples at, below and above EUR 22 and EUR 150, across the
2021-07-01, 2026-07-01 and 2028-07-01 switches and each dated VAT rate change, with expected
values worked by hand in the comments.

Valuation is CIF; import VAT is on (CIF customs value + duty); IOSS VAT at sale is on the price
of the goods plus delivery. Half-up to the cent, once per tax group. Cases TC-EU-03 and
TC-EU-04 come from the project reference (regimes.md, section 15).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import lvs_duty
from lvs_duty import (
    Item,
    NotInForceError,
    RateUnavailableError,
    RuleSet,
    Shipment,
    ShipmentError,
    assess,
)


@pytest.fixture(scope="module")
def eu() -> RuleSet:
    return lvs_duty.load_rules("EU")


def parcel(date: str, *items: Item, to: str = "DE", shipping: str = "0") -> Shipment:
    return Shipment(to, date, "EUR", list(items), shipping=shipping, ship_from="CN")


def item(hs: str, value: str, quantity: int = 1, rate: str = "0.12") -> Item:
    return Item(hs, value, quantity=quantity, duty_rate=rate)


def shirt(value: str, quantity: int = 1, rate: str = "0.12") -> Item:
    return item("610910", value, quantity, rate)


# --- Before 2021-07-01: EUR 22 VAT exemption, EUR 150 duty relief ---------------------------


@pytest.mark.parametrize(
    ("value", "vat"),
    [
        # 21.99 <= 22: VAT exempt.
        ("21.99", "0.00"),
        # 22.00 <= 22 (inclusive): VAT exempt.
        ("22.00", "0.00"),
        # 22.01 > 22: import VAT at the border 22.01 x 0.19 = 4.1819 -> 4.18; duty relieved.
        ("22.01", "4.18"),
    ],
)
def test_eur_22_edge(eu: RuleSet, value: str, vat: str) -> None:
    a = assess(parcel("2020-03-01", shirt(value)), eu)
    assert (a.duty, a.tax) == (Decimal("0.00"), Decimal(vat))
    assert a.collected_at_sale == 0


def test_eur_22_measured_on_goods_vat_on_cif(eu: RuleSet) -> None:
    # 22.00 + shipping 5.00: the exemption tests the goods (22.00 <= 22) -> no VAT.
    assert assess(parcel("2020-03-01", shirt("22.00"), shipping="5.00"), eu).tax == 0
    # 22.01 + 5.00: VAT on CIF 27.01 x 0.19 = 5.1319 -> 5.13.
    assert assess(parcel("2020-03-01", shirt("22.01"), shipping="5.00"), eu).tax == Decimal("5.13")


@pytest.mark.parametrize(
    ("value", "duty", "vat"),
    [
        # 150.00 <= 150: duty relieved; VAT 150.00 x 0.19 = 28.50.
        ("150.00", "0.00", "28.50"),
        # 150.01: duty 150.01 x 0.12 = 18.0012 -> 18.00; VAT (150.01 + 18.00) x 0.19 =
        # 168.01 x 0.19 = 31.9219 -> 31.92.
        ("150.01", "18.00", "31.92"),
    ],
)
def test_eur_150_duty_relief_edge_2020(eu: RuleSet, value: str, duty: str, vat: str) -> None:
    a = assess(parcel("2020-03-01", shirt(value)), eu)
    assert (a.duty, a.tax) == (Decimal(duty), Decimal(vat))


def test_pre_2021_alcohol_excluded_from_both_reliefs(eu: RuleSet) -> None:
    # Wine 20.00 (<= 22 and <= 150, but excluded): duty 20.00 x 0.10 = 2.00; VAT (20.00 + 2.00)
    # x 0.19 = 4.18.
    a = assess(parcel("2020-03-01", item("220421", "20.00", rate="0.10")), eu)
    assert (a.duty, a.tax) == (Decimal("2.00"), Decimal("4.18"))


def test_not_in_force_before_2020(eu: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel("2019-12-31", shirt("50.00")), eu)


# --- VAT rate changes (100.00 of goods, so the VAT is the rate in euros) --------------------


@pytest.mark.parametrize(
    ("to", "date", "vat"),
    [
        # Germany 19%, 16% from 2020-07-01 to 2020-12-31 (import VAT at the border).
        ("DE", "2020-06-30", "19.00"),
        ("DE", "2020-07-01", "16.00"),
        ("DE", "2020-12-31", "16.00"),
        ("DE", "2021-01-01", "19.00"),
        # Ireland 23%, 21% from 2020-09-01 to 2021-02-28.
        ("IE", "2020-08-31", "23.00"),
        ("IE", "2020-09-01", "21.00"),
        ("IE", "2021-02-28", "21.00"),
        ("IE", "2021-03-01", "23.00"),
        # Luxembourg 17%, 16% in 2023 (IOSS at sale).
        ("LU", "2022-12-31", "17.00"),
        ("LU", "2023-01-01", "16.00"),
        ("LU", "2023-12-31", "16.00"),
        ("LU", "2024-01-01", "17.00"),
        # Estonia 20%, 22% from 2024-01-01, 24% from 2025-07-01.
        ("EE", "2023-12-31", "20.00"),
        ("EE", "2024-01-01", "22.00"),
        ("EE", "2025-06-30", "22.00"),
        ("EE", "2025-07-01", "24.00"),
        # Finland 24%, 25.5% from 2024-09-01.
        ("FI", "2024-08-31", "24.00"),
        ("FI", "2024-09-01", "25.50"),
        # Slovakia 20%, 23% from 2025-01-01.
        ("SK", "2024-12-31", "20.00"),
        ("SK", "2025-01-01", "23.00"),
        # Romania 19%, 21% from 2025-08-01.
        ("RO", "2025-07-31", "19.00"),
        ("RO", "2025-08-01", "21.00"),
    ],
)
def test_vat_rate_changes(eu: RuleSet, to: str, date: str, vat: str) -> None:
    a = assess(parcel(date, shirt("100.00"), to=to), eu)
    assert a.tax == Decimal(vat)


# Standard rates of the project reference's addendum 17, as in force on 2026-08-01.
REFERENCE_RATES = {
    "AT": "20", "BE": "21", "BG": "20", "CY": "19", "CZ": "21", "DE": "19", "DK": "25",
    "EE": "24", "ES": "21", "FI": "25.5", "FR": "20", "GR": "24", "HR": "25", "HU": "27",
    "IE": "23", "IT": "22", "LT": "21", "LU": "17", "LV": "21", "MT": "18", "NL": "21",
    "PL": "23", "PT": "23", "RO": "21", "SE": "25", "SI": "22", "SK": "23",
}  # fmt: skip


@pytest.mark.parametrize(("to", "percent"), sorted(REFERENCE_RATES.items()))
def test_every_member_state_rate(eu: RuleSet, to: str, percent: str) -> None:
    # 100.00 of goods at sale (IOSS): VAT = the percentage in euros; duty EUR 3 (one subheading).
    a = assess(parcel("2026-08-01", shirt("100.00"), to=to), eu)
    assert a.tax == Decimal(percent).quantize(Decimal("0.01"))
    assert a.duty == Decimal("3.00")


def test_every_member_state_has_a_rate_in_every_version(eu: RuleSet) -> None:
    for version in eu.versions:
        assert version.tax is not None
        assert {r.key for r in version.tax.rates} == set(REFERENCE_RATES), version.period


def test_destination_outside_the_eu_raises(eu: RuleSet) -> None:
    # The EU rules cover the member states only (the keys of its destination-keyed VAT).
    with pytest.raises(ShipmentError, match=r"destination: expected one of AT, .*, got 'NO'"):
        assess(parcel("2022-05-01", shirt("50.00"), to="NO"), eu)


# --- From 2021-07-01: IOSS and the EUR 150 duty relief -------------------------------------


@pytest.mark.parametrize(
    ("date", "vat", "border", "sale"),
    [
        # 2021-06-30, 20.00 to DE: <= 22, VAT exempt.
        ("2021-06-30", "0.00", "0.00", "0.00"),
        # 2021-07-01: EUR 22 exemption abolished; IOSS VAT at sale 20.00 x 0.19 = 3.80.
        ("2021-07-01", "3.80", "0.00", "3.80"),
    ],
)
def test_ioss_date_switch_small(eu: RuleSet, date: str, vat: str, border: str, sale: str) -> None:
    a = assess(parcel(date, shirt("20.00")), eu)
    assert a.tax == Decimal(vat)
    assert (a.collected_at_border, a.collected_at_sale) == (Decimal(border), Decimal(sale))


@pytest.mark.parametrize(
    ("date", "collection"),
    [
        # 100.00 to DE: 19.00 either way, at the border before, at sale from 2021-07-01.
        ("2021-06-30", "border"),
        ("2021-07-01", "sale"),
    ],
)
def test_ioss_moves_vat_to_sale(eu: RuleSet, date: str, collection: str) -> None:
    a = assess(parcel(date, shirt("100.00")), eu)
    assert a.tax == Decimal("19.00")
    assert a.tax_collection == collection


@pytest.mark.parametrize(
    ("value", "duty", "vat", "collection"),
    [
        # 149.99 + shipping 10.00 to FR (20%): no duty; IOSS VAT at sale on the price with
        # delivery 159.99 x 0.20 = 31.998 -> 32.00.
        ("149.99", "0.00", "32.00", "sale"),
        # 150.00 + 10.00: intrinsic value 150.00 <= 150: no duty; VAT at sale 160.00 x 0.20 =
        # 32.00.
        ("150.00", "0.00", "32.00", "sale"),
        # 150.01 + 10.00: no IOSS, no relief. CIF 160.01; duty 160.01 x 0.12 = 19.2012 -> 19.20;
        # VAT (160.01 + 19.20) x 0.20 = 179.21 x 0.20 = 35.842 -> 35.84 at the border.
        ("150.01", "19.20", "35.84", "border"),
    ],
)
def test_ioss_eur_150_edge(eu: RuleSet, value: str, duty: str, vat: str, collection: str) -> None:
    a = assess(parcel("2025-03-01", shirt(value), to="FR", shipping="10.00"), eu)
    assert (a.duty, a.tax) == (Decimal(duty), Decimal(vat))
    assert a.tax_collection == collection


def test_ioss_wine_excluded_from_relief_and_ioss(eu: RuleSet) -> None:
    # Wine 30.00 to DE (2022): duty 30.00 x 0.10 = 3.00; VAT at the border (30.00 + 3.00) x 0.19
    # = 6.27.
    a = assess(parcel("2022-05-01", item("220421", "30.00", rate="0.10")), eu)
    assert (a.duty, a.tax) == (Decimal("3.00"), Decimal("6.27"))
    assert a.collected_at_border == Decimal("9.27")


def test_ioss_perfume_dutiable_but_in_ioss(eu: RuleSet) -> None:
    # Perfume 40.00 to FR (2022), caller's rate 5%: excluded from duty relief -> duty 2.00 at
    # the border; perfume is not an excise good, so VAT at sale 40.00 x 0.20 = 8.00.
    a = assess(parcel("2022-05-01", item("330300", "40.00", rate="0.05"), to="FR"), eu)
    assert (a.duty, a.tax) == (Decimal("2.00"), Decimal("8.00"))
    assert (a.collected_at_border, a.collected_at_sale) == (Decimal("2.00"), Decimal("8.00"))


# --- From 2026-07-01: EUR 3 per distinct subheading ----------------------------------------


@pytest.mark.parametrize(
    ("items", "duty"),
    [
        # 5 T-shirts (one subheading 6109.10): EUR 3.
        ([shirt("50.00", quantity=5)], "3.00"),
        # 1 T-shirt + 1 watch (6109.10, 9102.11): EUR 6.
        ([shirt("20.00"), item("910211", "80.00")], "6.00"),
        # TC-EU-03: 1 silk blouse (6206.10) + 2 woollen blouses (6206.20), EUR 80: EUR 6.
        ([item("620610", "30.00"), item("620620", "50.00", quantity=2)], "6.00"),
        # 1 pair of shoes + 2 dolls + 5 cotton T-shirts (6404.19, 9503.00, 6109.10): EUR 9.
        (
            [
                item("640419", "40.00"),
                item("950300", "20.00", quantity=2),
                shirt("50.00", quantity=5),
            ],
            "9.00",
        ),
        # Silk shirt + wool hat (6206.10, 6505.00): EUR 6.
        ([item("620610", "40.00"), item("650500", "25.00")], "6.00"),
        # Two lines of the same subheading: one charge, EUR 3.
        ([shirt("10.00"), shirt("20.00")], "3.00"),
    ],
)
def test_eur_3_official_examples(eu: RuleSet, items: list[Item], duty: str) -> None:
    a = assess(parcel("2026-08-01", *items), eu)
    assert a.duty == Decimal(duty)
    assert a.duty_collection == "border"


def test_eur_3_with_ioss_vat(eu: RuleSet) -> None:
    # 1 T-shirt 20.00 + 1 watch 80.00 to DE: duty 6.00 at the border; IOSS VAT at sale on the
    # goods 100.00 x 0.19 = 19.00 (the EUR 3 is left out of the sale base). Total 25.00.
    a = assess(parcel("2026-08-01", shirt("20.00"), item("910211", "80.00")), eu)
    assert (a.duty, a.tax, a.total) == (Decimal("6.00"), Decimal("19.00"), Decimal("25.00"))
    assert (a.collected_at_border, a.collected_at_sale) == (Decimal("6.00"), Decimal("19.00"))


@pytest.mark.parametrize(
    ("value", "duty", "vat", "collection"),
    [
        # TC-EU-04, 2026-08-01, one subheading: 150.00 -> EUR 3.00; VAT at sale 150.00 x 0.19 =
        # 28.50.
        ("150.00", "3.00", "28.50", "sale"),
        # 149.99 -> EUR 3.00; VAT at sale 149.99 x 0.19 = 28.4981 -> 28.50.
        ("149.99", "3.00", "28.50", "sale"),
        # TC-EU-04, 150.01 -> not in the low-value regime: TARIC 150.01 x 0.12 = 18.0012 ->
        # 18.00; no IOSS: VAT at the border (150.01 + 18.00) x 0.19 = 31.9219 -> 31.92.
        ("150.01", "18.00", "31.92", "border"),
    ],
)
def test_tc_eu_04_eur_150_edge(
    eu: RuleSet, value: str, duty: str, vat: str, collection: str
) -> None:
    a = assess(parcel("2026-08-01", shirt(value)), eu)
    assert (a.duty, a.tax) == (Decimal(duty), Decimal(vat))
    assert a.tax_collection == collection


def test_tc_eu_04_above_150_needs_a_taric_rate(eu: RuleSet) -> None:
    with pytest.raises(RateUnavailableError, match="duty_rate"):
        assess(parcel("2026-08-01", Item("610910", "150.01")), eu)


def test_eur_3_measured_on_intrinsic_value(eu: RuleSet) -> None:
    # Goods 150.00 + shipping 8.00: intrinsic value 150.00 <= 150 -> EUR 3.00; VAT at sale on
    # (150.00 + 8.00) x 0.19 = 30.02.
    a = assess(parcel("2026-08-01", shirt("150.00"), shipping="8.00"), eu)
    assert (a.duty, a.tax) == (Decimal("3.00"), Decimal("30.02"))


def test_eur_3_covers_wine_but_ioss_does_not(eu: RuleSet) -> None:
    # Wine 30.00 + T-shirt 20.00 to DE: duty 2 x EUR 3 = 6.00 (wine now covered). T-shirt VAT at
    # sale 20.00 x 0.19 = 3.80; wine VAT at the border (30.00 + 3.00) x 0.19 = 6.27.
    # Total 16.07: border 3.00 + 3.00 + 6.27 = 12.27, sale 3.80.
    a = assess(parcel("2026-08-01", item("220421", "30.00", rate="0.10"), shirt("20.00")), eu)
    assert (a.duty, a.tax, a.total) == (Decimal("6.00"), Decimal("10.07"), Decimal("16.07"))
    assert (a.collected_at_border, a.collected_at_sale) == (Decimal("12.27"), Decimal("3.80"))


def test_eur_3_needs_a_six_digit_subheading(eu: RuleSet) -> None:
    with pytest.raises(RateUnavailableError, match="subheading"):
        assess(parcel("2026-08-01", Item("6109", "20.00", duty_rate="0.12")), eu)


@pytest.mark.parametrize(
    ("date", "duty"),
    [
        # 50.00 T-shirt at 12%: 2026-06-30 relieved (<= 150) -> 0.00.
        ("2026-06-30", "0.00"),
        # 2026-07-01: EUR 3.
        ("2026-07-01", "3.00"),
        # 2028-06-30: still EUR 3.
        ("2028-06-30", "3.00"),
        # 2028-07-01: TARIC at any value: 50.00 x 0.12 = 6.00.
        ("2028-07-01", "6.00"),
    ],
)
def test_eur_3_date_switches(eu: RuleSet, date: str, duty: str) -> None:
    a = assess(parcel(date, shirt("50.00")), eu)
    assert a.duty == Decimal(duty)
    # IOSS VAT at sale throughout: 50.00 x 0.19 = 9.50.
    assert a.tax == Decimal("9.50")
    assert a.tax_collection == "sale"


def test_explain_eur_3_cites_and_flags(eu: RuleSet) -> None:
    a = assess(parcel("2026-08-01", shirt("50.00", quantity=5)), eu)
    text = a.explain()
    duty_step = next(line for line in text.splitlines() if "[duty] Flat EUR 3" in line)
    assert "[unconfirmed value]" in duty_step
    assert "Lithuanian Customs" in text
    assert "Council Regulation (EU) 2026/382" in text


def step(text: str, marker: str) -> list[str]:
    """The explanation line containing ``marker`` and the source lines indented below it."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line)
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("      source:"):
            break
        block.append(line)
    return block


def test_explain_duty_relief_cites_regulation_1186(eu: RuleSet) -> None:
    a = assess(parcel("2022-05-01", shirt("50.00")), eu)
    relief = step(a.explain(), "[threshold] Duty threshold")
    assert any("Regulation (EC) No 1186/2009" in line for line in relief[1:])
    assert "[unconfirmed value]" not in relief[0]  # the EUR 150 relief is [C]
    tax = step(a.explain(), "[tax] VAT at 19%")
    assert "[unconfirmed value]" in tax[0]  # the rate is [U]


def test_explain_cites_the_applied_member_state_rate(eu: RuleSet) -> None:
    # Germany's temporary 16% (2020-08-01) is sourced to the Corona-Steuerhilfegesetz.
    a = assess(parcel("2020-08-01", shirt("100.00")), eu)
    assert a.tax == Decimal("16.00")
    tax = step(a.explain(), "[tax] import VAT at 16%")
    assert any("Corona-Steuerhilfegesetz" in line for line in tax[1:])
