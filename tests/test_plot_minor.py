"""Plots read a minor-unit comparison (amounts="minor") exactly as the Decimal one."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

pytest.importorskip("matplotlib")

import lvs_duty
from lvs_duty import compare
from lvs_duty.options import gea_options
from lvs_duty.plot import burden_table, summary_dashboard
from lvs_duty.simulate import population


def test_burden_table_on_minor_units_equals_the_decimal_table() -> None:
    frame = population(400, "CA", seed=5)
    options = gea_options(lvs_duty.load_rules("CA"))
    bands = (20, "40.005", 150, 500)  # 40.005 CAD: a bound between two cents
    decimal = burden_table(compare(frame, options), bands)
    minor = burden_table(compare(frame, options, amounts="minor"), bands)
    pd.testing.assert_frame_equal(minor, decimal)
    assert len(minor) == 4 * 5  # four options, four bounds + the open band


def test_band_bounds_include_their_upper_value_in_minor_units() -> None:
    # Australia, GST 10% at sale up to AUD 1,000: 20.00 pays 2.00 (band 0-20, upper bound
    # included), 20.01 pays 2.00 (10% of 20.01 = 2.001 -> 2.00) in the band above.
    parcels = [
        lvs_duty.Shipment("AU", "2026-05-01", "AUD", [lvs_duty.Item("6109", v, duty_rate="0")])
        for v in ("20.00", "20.01")
    ]
    table = burden_table(compare(parcels, {"AU": lvs_duty.load_rules("AU")}), bands=(20,))
    frame = lvs_duty.shipments_to_frame(parcels)
    minor = burden_table(compare(frame, {"AU": lvs_duty.load_rules("AU")}, amounts="minor"), (20,))
    assert minor["shipments"].tolist() == [1, 1]
    assert minor["value"].tolist() == [Decimal("20.00"), Decimal("20.01")]
    assert minor["charges"].tolist() == [Decimal("2.00"), Decimal("2.00")]
    pd.testing.assert_frame_equal(minor, table)


def test_dashboard_draws_a_minor_comparison() -> None:
    frame = population(200, "CA", seed=2, layout="minor")
    comparison = compare(frame, gea_options(lvs_duty.load_rules("CA")), amounts="minor")
    figure = summary_dashboard(comparison)
    assert len(figure.axes) == 4
    assert "200 parcels" in figure.get_suptitle()
