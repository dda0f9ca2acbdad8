"""India (in.toml): worked examples for heading 9804 personal imports, on both paths.

Rules: CIF assessable value; BCD 10%, then the Social Welfare Surcharge 10% of the BCD (inside
``duty``), then IGST 18% on value + BCD + SWS; gifts up to INR 10,000 free, above BCD 20% with
no SWS; duty and IGST together under INR 100 not collected. Half-up to the paisa per group.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

import lvs_duty
from _both_paths import both
from lvs_duty import Item, NotInForceError, RuleSet, Shipment, assess


@pytest.fixture(scope="module")
def india() -> RuleSet:
    return lvs_duty.load_rules("IN")


def parcel(value: str, date: str = "2026-01-01", **fields: Any) -> Shipment:
    return Shipment("IN", date, "INR", [Item("6109", value)], **fields)


def test_reference_example_inr_1000(india: RuleSet) -> None:
    # INR 1,000: BCD 100.00; SWS 10% x 100.00 = 10.00 -> duty 110.00;
    # IGST 18% x (1,000.00 + 110.00) = 199.80; total 309.80 (30.98%)
    a = both(parcel("1000.00"), india)
    assert (a.duty, a.tax, a.total) == (D("110.00"), D("199.80"), D("309.80"))
    assert "Social Welfare Surcharge" in a.explain()


@pytest.mark.parametrize("mode", ["post", "courier"])
def test_freight_and_insurance_are_in_the_assessable_value(india: RuleSet, mode: str) -> None:
    # goods 900.00 + freight 80.00 + insurance 20.00 = CIF 1,000.00: as above, 309.80
    a = both(parcel("900.00", shipping="80.00", insurance="20.00", mode=mode), india)
    assert a.total == D("309.80")


@pytest.mark.parametrize(
    ("value", "duty", "tax", "total"),
    [
        # 322.76: BCD 32.276 x 1.10 = 35.5036 -> 35.50; IGST 18% x 358.26 = 64.4868 -> 64.49;
        # together 99.99 < 100: not collected
        ("322.76", "0.00", "0.00", "0.00"),
        # 322.79: 32.279 x 1.10 = 35.5069 -> 35.51; IGST 18% x 358.30 = 64.494 -> 64.49;
        # together 100.00, not less than 100: collected
        ("322.79", "35.51", "64.49", "100.00"),
    ],
)
def test_under_inr_100_nothing_is_collected(
    india: RuleSet, value: str, duty: str, tax: str, total: str
) -> None:
    a = both(parcel(value), india)
    assert (a.duty, a.tax, a.total) == (D(duty), D(tax), D(total))


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        ("9999.99", "0.00", "0.00"),  # under the gift exemption
        ("10000.00", "0.00", "0.00"),  # at it (up to INR 10,000)
        # over: BCD 20% x 10,000.01 = 2,000.002 -> 2,000.00, no SWS on gifts;
        # IGST 18% x (10,000.01 + 2,000.00) = 2,160.0018 -> 2,160.00; total 4,160.00 (41.60%)
        ("10000.01", "2000.00", "2160.00"),
    ],
)
def test_gifts(india: RuleSet, value: str, duty: str, tax: str) -> None:
    a = both(parcel(value, gift=True), india)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_not_a_gift_at_inr_10000_pays_30_98_percent(india: RuleSet) -> None:
    # 10,000.00 bought: BCD 1,000.00 + SWS 100.00 = 1,100.00; IGST 18% x 11,100.00 = 1,998.00
    a = both(parcel("10000.00"), india)
    assert (a.duty, a.tax, a.total) == (D("1100.00"), D("1998.00"), D("3098.00"))


def test_coverage_starts_2025_09_22(india: RuleSet) -> None:
    assert both(parcel("1000.00", date="2025-09-22"), india).total == D("309.80")
    with pytest.raises(NotInForceError):
        assess(parcel("1000.00", date="2025-09-21"), india)
