"""Switzerland (data/tariff_categories/ch.toml): the CHF 5 minimums, per-kg duty, reduced VAT.

Rules used (see the file's sources): VAT 8.1% (2.6% on food, books, magazines, medicines) on
goods + shipping + insurance + duty, not levied when the VAT amount is CHF 5 or less; duty per
gross kg by tariff number (sports shoes CHF 2.06/kg, cotton dresses CHF 1.71/kg, books and
electronics free), not levied when CHF 5 or less; private gifts up to CHF 100 duty-free.
Rounding half-up to the centime, once per tax group.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from lvs_duty import (
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
    a = assess(parcel(item), ch)
    assert (a.tax_assessed, a.tax, a.total) == (D(assessed), D(levied), D(levied))


def test_tax_minimum_applies_to_the_whole_declaration(ch: RuleSet) -> None:
    # a book of 100.00 alone: 2.60, not levied
    assert assess(parcel(book("100.00")), ch).tax == D("0.00")
    # with a phone of 30.00: 2.60 + 30.00 x 0.081 = 2.60 + 2.43 = 5.03 > 5: all levied
    a = assess(parcel(book("100.00"), phone("30.00")), ch)
    assert (a.tax, a.total) == (D("5.03"), D("5.03"))
    assert sorted(ln.tax_rate for ln in a.lines) == [D("0.026"), D("0.081")]


# --- duty per gross kg and the CHF 5 duty minimum ---------------------------------------------


def test_vat_base_adds_shipping_and_duty(ch: RuleSet) -> None:
    # dress 2.93 kg: duty 1.71 x 2.93 = 5.0103 -> 5.01 > 5, levied.
    # VAT (100.00 + 10.00 shipping + 5.01) x 0.081 = 115.01 x 0.081 = 9.31581 -> 9.32
    a = assess(parcel(dress("100.00", "2.93"), shipping="10.00"), ch)
    assert (a.duty, a.tax, a.total) == (D("5.01"), D("9.32"), D("14.33"))


@pytest.mark.parametrize(
    ("kg", "assessed", "levied"),
    [
        ("2.92", "4.99", "0.00"),  # 1.71 x 2.92 = 4.9932 -> 4.99: not levied
        ("2.924", "5.00", "0.00"),  # 1.71 x 2.924 = 5.00004 -> 5.00: at CHF 5, not levied
        ("2.93", "5.01", "5.01"),  # 1.71 x 2.93 = 5.0103 -> 5.01: levied
    ],
)
def test_chf_5_duty_minimum(ch: RuleSet, kg: str, assessed: str, levied: str) -> None:
    a = assess(parcel(dress("100.00", kg)), ch)
    assert (a.duty_assessed, a.duty) == (D(assessed), D(levied))


def test_waived_duty_leaves_the_vat_base(ch: RuleSet) -> None:
    # duty 4.99 is not levied, so VAT is on 100.00 + 10.00 = 110.00 x 0.081 = 8.91
    # (with the duty in the base: (110.00 + 4.99) x 0.081 = 9.31419 -> 9.31)
    a = assess(parcel(dress("100.00", "2.92"), shipping="10.00"), ch)
    assert (a.duty_assessed, a.duty, a.tax_base, a.tax) == (
        D("4.99"),
        D("0.00"),
        D("110.00"),
        D("8.91"),
    )
    assert "not collected, so not in the tax base" in a.explain()
    # the frame path leaves it out too
    row = to_decimal_frame(
        assess_frame(shipments_to_frame([parcel(dress("100.00", "2.92"), shipping="10.00")]), ch)
    )
    assert (row["duty"].tolist(), row["tax_base"].tolist(), row["tax"].tolist()) == (
        [D("0.00")],
        [D("110.00")],
        [D("8.91")],
    )


def test_sports_shoes_per_kg(ch: RuleSet) -> None:
    # 2.5 kg x CHF 2.06 = 5.15 duty; VAT (80.00 + 5.15) x 0.081 = 6.89715 -> 6.90
    a = assess(parcel(Item("640411", "80.00", weight_kg="2.5")), ch)
    assert (a.duty, a.tax, a.total) == (D("5.15"), D("6.90"), D("12.05"))


def test_missing_weight_or_rate_is_refused(ch: RuleSet) -> None:
    with pytest.raises(RateUnavailableError, match="weight_kg"):
        assess(parcel(Item("620442", "100.00")), ch)
    # a line outside the listed rows falls to the general tariff, which needs a rate
    with pytest.raises(RateUnavailableError, match="duty_rate"):
        assess(parcel(Item("9503", "50.00")), ch)


# --- gifts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        # gift at CHF 100.00: duty-free; VAT 100.00 x 0.081 = 8.10
        ("100.00", "0.00", "8.10"),
        # gift of 99.99: duty-free; VAT 8.09919 -> 8.10
        ("99.99", "0.00", "8.10"),
        # gift of 100.01: duty 1.71 x 3 = 5.13; VAT (100.01 + 5.13) x 0.081 = 8.51634 -> 8.52
        ("100.01", "5.13", "8.52"),
    ],
)
def test_gift_threshold(ch: RuleSet, value: str, duty: str, tax: str) -> None:
    a = assess(parcel(dress(value, "3"), gift=True), ch)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_gift_rule_needs_a_gift(ch: RuleSet) -> None:
    # the same 100.00 dress bought, not given: duty 5.13 levied
    assert assess(parcel(dress("100.00", "3")), ch).duty == D("5.13")


# --- dates and explanation ---------------------------------------------------------------------


def test_no_version_before_2024(ch: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel(phone("100.00"), date="2023-12-31"), ch)


def test_explain_names_sources_and_flags_doubt(ch: RuleSet) -> None:
    a = assess(parcel(book("190.00")), ch)
    text = a.explain()
    assert "BAZG" in text
    assert "within the minimum collectable CHF 5" in text
    a = assess(parcel(dress("100.00", "2.93")), ch)
    assert "dutycalculator.com" in a.explain()
    assert "[unconfirmed value]" in a.explain()  # the per-kg examples are [S]
