"""Tax rounding groups: shipments whose lines fall in several groups, rounded apart from the rest.

The toy regime (tests/_toy.py: EUR, FOB, the caller's MFN duty, VAT 20% on customs value +
duty) with books (HS 49) zero-rated, no threshold, half-up rounding once per group of (duty
point, tax point, tax rate). A parcel of a book and a T-shirt is two groups; a parcel of
T-shirts is one. The frame path rounds the one-group parcels as shipments and the few others
apart (``lvs_duty.frame.tax.SPLIT_SHARE``); every figure here is worked by hand and checked on
both paths.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from unittest import mock

import pandas as pd
import pytest

from _toy import parcel as toy_parcel
from _toy import toy
from _windows import split_groups
from lvs_duty import FrameError, Item, Shipment, assess, shipments_to_frame
from lvs_duty.frame import assess_frame, tax, to_decimal_frame

# the toy regime (tests/_toy.py), its VAT with books zero-rated
RULES = toy(
    tax={
        "name": "VAT",
        "rate": "0.20",
        "base": ["customs_value", "duty"],
        "categories": [{"name": "books", "rate": "0", "hs_prefixes": ["49"], "source": "law"}],
        "source": "law",
    }
)


def shirt(value: str) -> Item:
    return Item("610910", value, duty_rate="0.10")


def book(value: str) -> Item:
    return Item("490199", value, duty_rate="0.10")


def parcel(id_: str, *items: Item) -> Shipment:
    return toy_parcel(*items, id=id_)


# P0: book 0.05 and T-shirt 0.05, each duty 10% x 0.05 = 0.005, rounded per group: 0.01 + 0.01
# = 0.02 (one rounding would give 0.01); VAT: the book's group 0% = 0, the T-shirt's group
# 20% x (0.05 + 0.01) = 0.012 -> 0.01; base 0.06 + 0.06 = 0.12.
# P1-P7: one T-shirt 100.00: duty 10.00, VAT 20% x 110.00 = 22.00, base 110.00.
MIXED = parcel("P0", book("0.05"), shirt("0.05"))
PLAIN = [parcel(f"P{k}", shirt("100.00")) for k in range(1, 8)]


def figures(frame: pd.DataFrame) -> list[tuple[D, D, D]]:
    got = to_decimal_frame(frame)
    return list(zip(got["duty"], got["tax"], got["tax_base"], strict=True))


def test_a_parcel_of_two_groups_rounds_each_among_parcels_of_one() -> None:
    population = [MIXED, *PLAIN]
    with mock.patch.object(
        tax.TaxStep, "split", autospec=True, side_effect=tax.TaxStep.split
    ) as spy:
        result = assess_frame(shipments_to_frame(population), RULES)
    assert spy.call_count == 1  # 1 parcel in 8 of several groups: rounded apart
    expected = [(D("0.02"), D("0.01"), D("0.12"))] + [(D("10.00"), D("22.00"), D("110.00"))] * 7
    assert figures(result) == expected
    scalar = [assess(s, RULES) for s in population]
    assert [(a.duty, a.tax, a.tax_base) for a in scalar] == expected


def test_lines_of_one_group_apart_in_the_parcel_still_round_together() -> None:
    # P0: T-shirt 0.05, book 0.05, T-shirt 0.05: the T-shirts' duty 0.010 -> 0.01, the book's
    # 0.005 -> 0.01: 0.02; VAT 20% x (0.10 + 0.01) = 0.022 -> 0.02; the book's 0; base 0.11 + 0.06
    mixed = parcel("P0", shirt("0.05"), book("0.05"), shirt("0.05"))
    population = [*PLAIN[:3], mixed, *PLAIN[3:]]
    result = assess_frame(shipments_to_frame(population), RULES)
    plain = (D("10.00"), D("22.00"), D("110.00"))
    assert figures(result) == [plain] * 3 + [(D("0.02"), D("0.02"), D("0.17"))] + [plain] * 4
    assert (assess(mixed, RULES).tax, assess(mixed, RULES).tax_base) == (D("0.02"), D("0.17"))


def test_rounded_apart_or_grouped_together_the_frame_is_the_same() -> None:
    population = [MIXED, *PLAIN, parcel("P8", book("3.33"), shirt("7.77"), book("1.01"))]
    frame = shipments_to_frame(population)
    with mock.patch.object(tax, "SPLIT_SHARE", 10**6):  # never apart: every line grouped
        grouped = assess_frame(frame, RULES)
    with split_groups():
        apart = assess_frame(frame, RULES)
    pd.testing.assert_frame_equal(apart, grouped)


# 3e15 EUR is 3e17 cents: its VAT product (x 20, the rate in hundredths) passes int64's safe
# range (2**59), so the frame path flags that parcel and assesses the others.
@pytest.mark.parametrize("big_in", ["mixed", "plain"])
def test_an_overflow_flags_its_own_parcel_whether_rounded_apart_or_not(big_in: str) -> None:
    huge = "3000000000000000"
    mixed = parcel("P0", book("0.05"), shirt(huge if big_in == "mixed" else "0.05"))
    plain = [*PLAIN[:6], parcel("P7", shirt(huge if big_in == "plain" else "100.00"))]
    result = assess_frame(shipments_to_frame([mixed, *plain]), RULES, errors="flag")
    bad = 0 if big_in == "mixed" else 7
    assert [k for k, s in enumerate(result["status"]) if s == "error"] == [bad]
    assert "int64" in result["error"].iloc[bad]
    good = figures(result.drop(index=bad))
    if big_in == "plain":
        assert good[0] == (D("0.02"), D("0.01"), D("0.12"))
    assert good[-1] == (D("10.00"), D("22.00"), D("110.00"))
    with pytest.raises(FrameError, match=re.escape("int64")):
        assess_frame(shipments_to_frame([mixed, *plain]), RULES)
