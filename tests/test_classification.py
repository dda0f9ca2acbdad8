"""Classification burden: alternatives per decision and bits, worked by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from lvs_duty import ArgumentError, Item, RuleSet, Shipment, compare, shipments_to_frame
from lvs_duty.classification import HS6_SUBHEADINGS, alternatives, classification_burden
from lvs_duty.options import flat_rate, gea_options


def population() -> list[Shipment]:
    return [
        Shipment(
            "CA",
            "2026-03-01",
            "CAD",
            [Item("610910", v, duty_rate="0.18")],
            ship_from=f,
            region=r,
            id=i,
        )
        for i, v, f, r in (
            ("s1", "15.00", "CN", "ON"),
            ("s2", "100.00", "CN", "ON"),
            ("s3", "100.00", "US", "ON"),
            ("s4", "300.00", "US", "AB"),
        )
    ]


def test_burden_tells_the_options_apart(ca: RuleSet) -> None:
    options = gea_options(ca)
    burden = classification_burden(compare(population(), options), options).set_index("option")
    # Baseline: s2 (CAD 100 from CN) and s4 (CAD 300) each need an HS6 decision among 5,609:
    # log2 5609 = 12.4535..., 2 decisions = 24.907... -> 24.91 bits, 12.45 per decision.
    base = burden.loc["baseline"]
    assert base["classifications"] == 2
    assert base["alternatives_per_decision"] == D("5609.0")
    assert base["bits"] == D("24.91")
    assert base["bits_per_decision"] == D("12.45")
    # Option 2 classifies s2 the same number of times, but among Canada's 3 baskets
    # (log2 3 = 1.58496...); s4 is above the CAD 150 ceiling, so HS: 1.585 + 12.454 = 14.04;
    # mean alternatives (3 + 5609) / 2 = 2806.0.
    cat = burden.loc["category_tariff"]
    assert cat["classifications"] == 2
    assert cat["alternatives_per_decision"] == D("2806.0")
    assert cat["bits"] == D("14.04")
    assert cat["bits_per_decision"] == D("7.02")
    assert cat["bits"] < base["bits"]
    # Option 1 needs no classification at or under the ceiling: only s4, 12.45 bits.
    assert burden.loc["flat_rate", "bits"] == D("12.45")


def test_frame_path_same_burden(ca: RuleSet) -> None:
    options = gea_options(ca)
    minor = compare(shipments_to_frame(population()), options, amounts="minor")
    assert classification_burden(minor, options).equals(
        classification_burden(compare(population(), options), options)
    )


def test_alternatives_by_method(ca: RuleSet) -> None:
    assert alternatives(ca.versions[-1].duty.general) == HS6_SUBHEADINGS
    eu_style = flat_rate(ca, amount="3", per="subheading", ceiling="150")
    assert alternatives(eu_style.versions[-1].duty.low_value.method) == HS6_SUBHEADINGS
    assert alternatives(ca.versions[-1].duty.general, hs_subheadings=10) == 10


def test_burden_checks_its_arguments(ca: RuleSet) -> None:
    table = compare(population(), {"baseline": ca})
    with pytest.raises(ArgumentError, match="option 'baseline'"):
        classification_burden(table, {"other": ca})
    with pytest.raises(ArgumentError, match="hs_subheadings"):
        classification_burden(table, {"baseline": ca}, hs_subheadings=1)
