"""Fees limited to a value band, per shipment, line or item: hand-worked, on both paths.

EU national parcel fees apply only up to EUR 150 (regimes.md, "EU national parcel fees"). The
regime below charges no duty and no tax, so every amount assessed is a fee.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from lvs_duty import Item, RuleSet, Shipment, assess, shipments_to_frame
from lvs_duty.errors import RuleFileError
from lvs_duty.frame import assess_frame, to_decimal_frame


def regime(*fees: dict[str, Any]) -> RuleSet:
    return RuleSet.build(
        {
            "code": "FEES",
            "name": "Fees only",
            "currency": "EUR",
            "sources": {"law": {"title": "Test"}},
            "versions": [
                {
                    "valid_from": "2026-01-01",
                    "valuation": {"basis": "FOB", "source": "law"},
                    "duty": {"general": {"kind": "free", "source": "law"}},
                    "rounding": {"mode": "ROUND_HALF_UP"},
                    "fees": [{"source": "law", **fee} for fee in fees],
                }
            ],
        }
    )


def parcel(*lines: tuple[str, int], sid: str = "p") -> Shipment:
    items = [Item("610910", value, quantity=qty) for value, qty in lines]
    return Shipment("FR", "2026-03-01", "EUR", items, id=sid)


def fees_both_ways(shipments: list[Shipment], rules: RuleSet) -> list[D]:
    """Each shipment's fees from the scalar path, after checking the frame path agrees."""
    scalar = [assess(s, rules).fees for s in shipments]
    frame = to_decimal_frame(assess_frame(shipments_to_frame(shipments), rules))
    assert list(frame["fees"]) == scalar
    return scalar


def test_per_line_fee_counts_only_lines_up_to_the_ceiling() -> None:
    rules = regime({"name": "parcel fee", "amount": "2", "per": "line", "max_value": "150"})
    # lines 100.00 and 150.00 are within (inclusive), 150.01 is not: 2 lines x EUR 2 = 4.00
    # a lone 150.01 line: no line in the band, no fee
    got = fees_both_ways(
        [parcel(("100.00", 1), ("150.00", 1), ("150.01", 1)), parcel(("150.01", 1), sid="q")],
        rules,
    )
    assert got == [D("4.00"), D("0.00")]


def test_per_shipment_fee_tests_the_consignment_below_an_exclusive_ceiling() -> None:
    rules = regime(
        {"name": "fee", "amount": "2", "max_value": "150", "inclusive": False, "measure": "goods"}
    )
    # 100.00 + 49.99 = 149.99 < 150: EUR 2; 100.00 + 50.00 = 150.00 is not below 150: nothing
    got = fees_both_ways(
        [parcel(("100.00", 1), ("49.99", 1)), parcel(("100.00", 1), ("50.00", 1), sid="q")],
        rules,
    )
    assert got == [D("2.00"), D("0.00")]


def test_per_item_fee_counts_the_items_of_lines_in_the_band() -> None:
    rules = regime(
        {"name": "handling", "amount": "0.50", "per": "item", "min_value": "10", "max_value": "150"}
    )
    # line 9.99 x 3 items is under the floor; line 10.00 x 2 items is in the band (floor
    # inclusive); line 200.00 x 1 is over the ceiling: 2 items x EUR 0.50 = 1.00
    got = fees_both_ways([parcel(("9.99", 3), ("10.00", 2), ("200.00", 1))], rules)
    assert got == [D("1.00")]


def test_a_fee_without_a_band_is_unchanged() -> None:
    rules = regime({"name": "handling", "amount": "0.50", "per": "item"})
    # 3 + 2 + 1 = 6 items x EUR 0.50 = 3.00, whatever the values
    got = fees_both_ways([parcel(("9.99", 3), ("10.00", 2), ("200.00", 1))], rules)
    assert got == [D("3.00")]


def test_the_explanation_names_the_band() -> None:
    rules = regime({"name": "parcel fee", "amount": "2", "per": "line", "max_value": "150"})
    text = assess(parcel(("100.00", 1), ("150.01", 1)), rules).explain()
    assert "Fee 'parcel fee' (customs value of the line up to EUR 150)" in text
    assert "EUR 2 per line x 1 = EUR 2" in text


def test_a_band_upside_down_is_refused() -> None:
    with pytest.raises(RuleFileError, match="max_value"):
        regime({"name": "fee", "amount": "2", "min_value": "150", "max_value": "22"})
