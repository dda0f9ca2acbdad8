"""Validation: each calibrated profile through its regime and schedule, beside published figures.

The bands are what :mod:`lvs_duty.validation` claims (model / published), each with its
explanation; a change to rates, rules or profiles that moves a figure out of its band fails
here and must be explained, not re-tuned. Figures used to calibrate are never checked here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from lvs_duty import Item, Shipment, assess, load_rules
from lvs_duty.profiles import load_profile
from lvs_duty.schedules import load_schedule
from lvs_duty.validation import (
    CHECKS,
    PROFILES,
    Figures,
    at_any_value,
    backdated,
    model_figures,
    validation_table,
)

N = 20_000


@pytest.fixture(scope="module")
def figures() -> dict[str, Figures]:
    return {name: model_figures(name, N) for name in PROFILES}


def test_every_check_is_a_validation_row_of_its_profile_never_a_calibrated_one() -> None:
    for check in CHECKS:
        profile = load_profile(check.profile)
        assert check.source in {row.source for row in profile.validation}, check.figure
    assert {c.profile for c in CHECKS} == set(PROFILES)  # every profile is validated


def test_every_model_figure_lies_in_the_band_it_claims(figures: dict[str, Figures]) -> None:
    table = validation_table(figures)
    assert len(table) == len(CHECKS)
    outside = table[~table["within"]]
    assert outside.empty, outside[["profile", "figure", "model", "ratio", "band"]]


def test_annual_figures_are_per_parcel_sums_times_the_weight(figures: dict[str, Figures]) -> None:
    # EU: 4.6 bn parcels / 20,000 = 230,000 each, so every annual sum is 230,000 x the sum
    eu = figures["eu_2024"].summary.set_index("option")
    assert set(figures["eu_2024"].population["weight"]) == {230_000}
    for option in eu.index:
        assert eu.at[option, "parcels_per_year"] == 4_600_000_000
        assert eu.at[option, "revenue_per_year"] == eu.at[option, "revenue"] * 230_000
    # 2024: every EU parcel is within the EUR 150 relief, so duty is due only at any value
    assert eu.at["baseline", "duty_per_year"] == 0
    assert eu.at["duty_at_any_value", "duty_per_year"] > 0


def test_duty_at_any_value_drops_duty_thresholds_only() -> None:
    eu = load_rules("EU")
    day = dt.date(2024, 7, 1)
    any_value = at_any_value(eu, day)
    assert [t.applies_to for t in any_value.versions[0].thresholds] == ["tax"]
    schedule = backdated(load_schedule("EU"), dt.date(2024, 1, 1))
    parcel = Shipment("FR", day, "EUR", [Item("610910", "100.00")], ship_from="CN", id="P")
    # EU schedule 610910: 12% -> 12.00 at any value; nothing under the EUR 150 relief
    assert assess(parcel, any_value, schedule=schedule).duty == D("12.00")
    assert assess(parcel, eu, schedule=schedule).duty == D("0.00")


def test_backdating_moves_only_the_first_version_s_start() -> None:
    schedule = load_schedule("EU")
    moved = backdated(schedule, dt.date(2024, 1, 1))
    assert moved.versions[0].valid_from == dt.date(2024, 1, 1)
    assert moved.versions[0].lines == schedule.versions[0].lines
    assert backdated(moved, dt.date(2025, 1, 1)) is moved  # already in force: unchanged
