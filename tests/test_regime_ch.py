"""Switzerland (data/tariff_categories/ch.toml): the CHF 5 minimums, per-kg duty, reduced VAT.

Rules used (see the file's sources): VAT 8.1% (2.6% on food, books, magazines, medicines) from
2024-01-01, 7.7% (2.5%) before, on goods + shipping + insurance + duty, not levied when the VAT
amount is CHF 5 or less; before 2024 duty per gross kg by tariff number (sports shoes CHF
2.06/kg, cotton dresses CHF 1.71/kg, books and electronics free); from 2024-01-01 industrial
goods (chapters 25-97) free and agricultural goods at the caller's rate; duty not levied when
CHF 5 or less; private gifts up to CHF 100 duty-free. Rounding half-up to the centime, once per
tax group. Every worked case runs on both paths (``both``: assess and assess_frame agree).
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from lvs_duty import (
    Assessment,
    Item,
    NotInForceError,
    RateUnavailableError,
    RuleSet,
    Shipment,
    assess,
    assess_frame,
    load_rules,
    shipments_to_frame,
    to_decimal_frame,
)


@pytest.fixture(scope="module")
def ch() -> RuleSet:
    return load_rules("CH")


def parcel(*items: Item, date: str = "2025-06-01", **fields: Any) -> Shipment:
    return Shipment("CH", date, "CHF", list(items), **fields)


def both(shipment: Shipment, rules: RuleSet) -> Assessment:
    """The scalar assessment, after checking that the frame path gives the same amounts."""
    a = assess(shipment, rules)
    row = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), rules)).iloc[0]
    for field in ("duty_assessed", "duty", "tax_assessed", "tax", "fees", "total"):
        assert row[field] == getattr(a, field), field
    return a


def phone(value: str) -> Item:
    return Item("8517", value)  # duty-free electronics, standard VAT 8.1%


def book(value: str) -> Item:
    return Item("4901", value)  # duty-free, reduced VAT 2.6%


def dress(value: str, kg: str) -> Item:
    return Item("620442", value, weight_kg=kg)  # CHF 1.71 per gross kg


# --- the CHF 5 tax-amount minimum --------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "assessed", "levied"),
    [
        # standard rate: 61.72 x 0.081 = 4.99932 -> 5.00: not more than CHF 5, not levied
        (phone("61.72"), "5.00", "0.00"),
        # 61.73 x 0.081 = 5.00013 -> 5.00: at CHF 5, not levied
        (phone("61.73"), "5.00", "0.00"),
        # 61.79 x 0.081 = 5.00499 -> 5.00: the last centime not levied
        (phone("61.79"), "5.00", "0.00"),
        # 61.80 x 0.081 = 5.0058 -> 5.01: levied
        (phone("61.80"), "5.01", "5.01"),
        # TC-CH-02, reduced rate: books 190.00 x 0.026 = 4.94: not levied
        (book("190.00"), "4.94", "0.00"),
        # 192.49 x 0.026 = 5.00474 -> 5.00: not levied
        (book("192.49"), "5.00", "0.00"),
        # 192.50 x 0.026 = 5.005 -> 5.01 (half-up): levied
        (book("192.50"), "5.01", "5.01"),
        # TC-CH-02: 200.00 x 0.026 = 5.20: levied
        (book("200.00"), "5.20", "5.20"),
    ],
)
def test_chf_5_tax_minimum(ch: RuleSet, item: Item, assessed: str, levied: str) -> None:
    a = both(parcel(item), ch)
    assert (a.tax_assessed, a.tax, a.total) == (D(assessed), D(levied), D(levied))


def test_tax_minimum_applies_to_the_whole_declaration(ch: RuleSet) -> None:
    # a book of 100.00 alone: 2.60, not levied
    assert assess(parcel(book("100.00")), ch).tax == D("0.00")
    # with a phone of 30.00: 2.60 + 30.00 x 0.081 = 2.60 + 2.43 = 5.03 > 5: all levied
    a = both(parcel(book("100.00"), phone("30.00")), ch)
    assert (a.tax, a.total) == (D("5.03"), D("5.03"))
    assert sorted(ln.tax_rate for ln in a.lines) == [D("0.026"), D("0.081")]


# --- before 2024: per-kg duties on industrial goods, VAT 7.7% / 2.5% ----------------------------
# The law changed on 2024-01-01: duties on industrial goods (HS chapters 25-97) were abolished
# and VAT rose to 8.1% / 2.6%. The per-kg duty cases below therefore run on 2023 dates.

OLD = "2023-06-01"


@pytest.mark.parametrize(
    ("item", "assessed", "levied"),
    [
        # 64.93 x 0.077 = 4.99961 -> 5.00: under CHF 5 before rounding, at it after: not levied
        (phone("64.93"), "5.00", "0.00"),
        # 64.99 x 0.077 = 5.00423 -> 5.00: at CHF 5, not levied
        (phone("64.99"), "5.00", "0.00"),
        # 65.00 x 0.077 = 5.005 -> 5.01 (half-up): over CHF 5, levied
        (phone("65.00"), "5.01", "5.01"),
        # reduced 2.5%: 200.00 x 0.025 = 5.00: at CHF 5, not levied (5.20 at 2.6% in 2024)
        (book("200.00"), "5.00", "0.00"),
        # 200.20 x 0.025 = 5.005 -> 5.01: levied
        (book("200.20"), "5.01", "5.01"),
    ],
)
def test_chf_5_tax_minimum_at_7_7_percent(
    ch: RuleSet, item: Item, assessed: str, levied: str
) -> None:
    a = both(parcel(item, date=OLD), ch)
    assert (a.tax_assessed, a.tax, a.total) == (D(assessed), D(levied), D(levied))


def test_vat_base_adds_shipping_and_duty_2023(ch: RuleSet) -> None:
    # dress 2.93 kg: duty 1.71 x 2.93 = 5.0103 -> 5.01 > 5, levied.
    # VAT (100.00 + 10.00 shipping + 5.01) x 0.077 = 115.01 x 0.077 = 8.85577 -> 8.86
    a = both(parcel(dress("100.00", "2.93"), shipping="10.00", date=OLD), ch)
    assert (a.duty, a.tax, a.total) == (D("5.01"), D("8.86"), D("13.87"))


@pytest.mark.parametrize(
    ("kg", "assessed", "levied"),
    [
        ("2.92", "4.99", "0.00"),  # 1.71 x 2.92 = 4.9932 -> 4.99: under CHF 5, not levied
        ("2.924", "5.00", "0.00"),  # 1.71 x 2.924 = 5.00004 -> 5.00: at CHF 5, not levied
        ("2.93", "5.01", "5.01"),  # 1.71 x 2.93 = 5.0103 -> 5.01: over, levied
    ],
)
def test_chf_5_duty_minimum_2023(ch: RuleSet, kg: str, assessed: str, levied: str) -> None:
    a = both(parcel(dress("100.00", kg), date=OLD), ch)
    assert (a.duty_assessed, a.duty) == (D(assessed), D(levied))


def test_waived_duty_leaves_the_vat_base(ch: RuleSet) -> None:
    # 2023: duty 4.99 is not levied, so VAT is on 100.00 + 10.00 = 110.00 x 0.077 = 8.47
    # (with the duty in the base: (110.00 + 4.99) x 0.077 = 8.85423 -> 8.85)
    shipment = parcel(dress("100.00", "2.92"), shipping="10.00", date=OLD)
    a = both(shipment, ch)
    assert (a.duty_assessed, a.duty, a.tax_base, a.tax) == (
        D("4.99"),
        D("0.00"),
        D("110.00"),
        D("8.47"),
    )
    assert "not collected, so not in the tax base" in a.explain()
    row = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), ch))
    assert row["tax_base"].tolist() == [D("110.00")]


def test_sports_shoes_per_kg_2023(ch: RuleSet) -> None:
    # 2.5 kg x CHF 2.06 = 5.15 duty; VAT (80.00 + 5.15) x 0.077 = 6.55655 -> 6.56
    a = both(parcel(Item("640411", "80.00", weight_kg="2.5"), date=OLD), ch)
    assert (a.duty, a.tax, a.total) == (D("5.15"), D("6.56"), D("11.71"))


def test_missing_weight_or_rate_is_refused_2023(ch: RuleSet) -> None:
    with pytest.raises(RateUnavailableError, match="weight_kg"):
        assess(parcel(Item("620442", "100.00"), date=OLD), ch)
    # a line outside the listed rows falls to the general tariff, which needs a rate
    with pytest.raises(RateUnavailableError, match="duty_rate"):
        assess(parcel(Item("9503", "50.00"), date=OLD), ch)


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        # 2023 gift at CHF 100.00: duty-free; VAT 100.00 x 0.077 = 7.70
        ("100.00", "0.00", "7.70"),
        # gift of 99.99: duty-free; VAT 7.69923 -> 7.70
        ("99.99", "0.00", "7.70"),
        # gift of 100.01: duty 1.71 x 3 = 5.13; VAT (100.01 + 5.13) x 0.077 = 8.09578 -> 8.10
        ("100.01", "5.13", "8.10"),
    ],
)
def test_gift_threshold_2023(ch: RuleSet, value: str, duty: str, tax: str) -> None:
    a = both(parcel(dress(value, "3"), gift=True, date=OLD), ch)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_gift_rule_needs_a_gift_2023(ch: RuleSet) -> None:
    # the same 100.00 dress bought, not given: duty 5.13 levied
    assert both(parcel(dress("100.00", "3"), date=OLD), ch).duty == D("5.13")


# --- from 2024-01-01: industrial duties abolished ---------------------------------------------


@pytest.mark.parametrize(
    ("date", "duty", "tax"),
    [
        # 2023-12-31: dress 2.93 kg pays 1.71 x 2.93 = 5.01; VAT 115.01 x 0.077 = 8.86
        ("2023-12-31", "5.01", "8.86"),
        # 2024-01-01: chapter 62 is industrial: duty 0; VAT 110.00 x 0.081 = 8.91
        ("2024-01-01", "0.00", "8.91"),
        # 2025-06-01: the same
        ("2025-06-01", "0.00", "8.91"),
    ],
)
def test_industrial_duties_abolished_from_2024(ch: RuleSet, date: str, duty: str, tax: str) -> None:
    # Before the change this test expected per-kg duty in 2025 too: the law changed.
    a = both(parcel(dress("100.00", "2.93"), shipping="10.00", date=date), ch)
    assert (a.duty, a.tax) == (D(duty), D(tax))


@pytest.mark.parametrize(
    ("date", "tax"),
    [
        # VAT rate switch on a phone of 64.99: 2023: 64.99 x 0.077 = 5.00423 -> 5.00, not levied
        ("2023-12-31", "0.00"),
        # 2024: 64.99 x 0.081 = 5.26419 -> 5.26, levied
        ("2024-01-01", "5.26"),
    ],
)
def test_vat_rate_switch_on_2024_01_01(ch: RuleSet, date: str, tax: str) -> None:
    assert both(parcel(phone("64.99"), date=date), ch).tax == D(tax)


def test_industrial_goods_need_no_weight_or_rate_from_2024(ch: RuleSet) -> None:
    # shoes (ch. 64), a toy (ch. 95) and a dress without weight: all free, no rate asked.
    # VAT (80.00 + 50.00 + 100.00) x 0.081 = 230.00 x 0.081 = 18.63
    a = both(parcel(Item("640411", "80.00"), Item("9503", "50.00"), Item("620442", "100.00")), ch)
    assert (a.duty, a.tax, a.total) == (D("0.00"), D("18.63"), D("18.63"))
    assert "industrial products (HS chapters 25-97)" in a.explain()


@pytest.mark.parametrize(
    ("rate", "assessed", "levied"),
    [
        # chocolate (ch. 18) keeps its duty: caller's ad valorem equivalent on CHF 50.00
        ("0.0998", "4.99", "0.00"),  # 50.00 x 0.0998 = 4.99: under CHF 5, not levied
        ("0.10", "5.00", "0.00"),  # 5.00: at CHF 5, not levied
        ("0.1002", "5.01", "5.01"),  # 5.01: over, levied
    ],
)
def test_agricultural_duty_and_its_minimum_from_2024(
    ch: RuleSet, rate: str, assessed: str, levied: str
) -> None:
    a = both(parcel(Item("1806", "50.00", duty_rate=rate)), ch)
    assert (a.duty_assessed, a.duty) == (D(assessed), D(levied))
    # reduced VAT 2.6% on at most 55.01: at most 1.43, under CHF 5: not levied
    assert a.tax == D("0.00")


def test_agricultural_goods_need_a_rate_from_2024(ch: RuleSet) -> None:
    with pytest.raises(RateUnavailableError, match="duty_rate"):
        assess(parcel(Item("1806", "50.00")), ch)


@pytest.mark.parametrize(
    ("value", "duty"),
    [
        ("100.00", "0.00"),  # agricultural gift at CHF 100: duty-free
        ("100.01", "12.00"),  # over: 100.01 x 0.12 = 12.0012 -> 12.00
    ],
)
def test_gift_threshold_from_2024(ch: RuleSet, value: str, duty: str) -> None:
    a = both(parcel(Item("1806", value, duty_rate="0.12"), gift=True), ch)
    assert a.duty == D(duty)


# --- dates and explanation ---------------------------------------------------------------------


def test_no_version_before_2018(ch: RuleSet) -> None:
    with pytest.raises(NotInForceError, match="2018-01-01"):
        assess(parcel(phone("100.00"), date="2017-12-31"), ch)


def test_explain_names_sources_and_flags_doubt(ch: RuleSet) -> None:
    a = assess(parcel(book("190.00")), ch)
    text = a.explain()
    assert "BAZG" in text
    assert "within the minimum collectable CHF 5" in text
    a = assess(parcel(dress("100.00", "2.93"), date=OLD), ch)
    assert "dutycalculator.com" in a.explain()
    assert "[unconfirmed value]" in a.explain()  # the per-kg examples are [S]
    # from 2024 the explanation cites the abolition of industrial duties
    assert "Aufhebung Industriezoelle" in assess(parcel(dress("100.00", "2.93")), ch).explain()
