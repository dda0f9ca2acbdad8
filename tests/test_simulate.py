"""Synthetic populations: deterministic, exact (no float amounts), plausible, assessable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

import lvs_duty
from lvs_duty import ArgumentError, assess, frame_to_shipments
from lvs_duty.frame import assess_frame, to_decimal_frame
from lvs_duty.options import gea_options
from lvs_duty.simulate import population, unit_scale


def test_same_seed_same_population_other_seed_another() -> None:
    assert population(500, "CA", seed=7).equals(population(500, "CA", seed=7))
    assert not population(500, "CA", seed=7).equals(population(500, "CA", seed=8))


@pytest.mark.parametrize("layout", ["canonical", "minor"])
def test_no_float_anywhere(layout: str) -> None:
    frame = population(300, "AU", seed=1, layout=layout)  # type: ignore[arg-type]
    assert not any(pd.api.types.is_float_dtype(t) for t in frame.dtypes)
    if layout == "canonical":
        assert all(isinstance(v, D) for v in frame["value"])
        assert all(isinstance(v, D) for v in frame["shipping"])
    else:
        assert frame["value_minor"].dtype == np.int64
        assert int(frame["value_minor"].min()) >= 1


def test_the_two_layouts_hold_the_same_amounts() -> None:
    canonical = population(400, "SG", seed=3)
    minor = population(400, "SG", seed=3, layout="minor")
    cents = [int(v * 100) for v in canonical["value"]]
    assert cents == minor["value_minor"].tolist()


def test_shape_matches_the_documented_assumptions() -> None:
    frame = population(20_000, "CA", seed=11)
    lines = frame.groupby("shipment_id").size()
    # 1 + Poisson(0.35): P(one line) = exp(-0.35) = 0.705
    assert 0.68 < (lines == 1).mean() < 0.73
    assert lines.max() <= 5
    values = np.array([float(v) for v in frame["value"]])  # test-side statistics only
    # log-normal with median CAD 35 and sigma 1.1
    assert 32 < np.median(values) < 38
    chapters = frame["hs_code"].astype(str).str[:2].value_counts(normalize=True)
    assert 0.16 < chapters["61"] < 0.20
    assert 0.13 < chapters["85"] < 0.17
    shares = frame.drop_duplicates("shipment_id")["ship_from"].value_counts(normalize=True)
    assert 0.52 < shares["CN"] < 0.58
    regions = frame.drop_duplicates("shipment_id")["region"].value_counts(normalize=True)
    assert 0.36 < regions["ON"] < 0.42
    # apparel carries Canada's 18% MFN rate, electronics are free
    apparel = frame[frame["hs_code"].astype(str).str.startswith("61")]["duty_rate"]
    assert set(apparel.astype(object)) == {D("0.18")}


@pytest.mark.parametrize("destination", ["CA", "AU", "SG"])
@pytest.mark.parametrize("layout", ["canonical", "minor"])
def test_assesses_under_every_option_without_errors(destination: str, layout: str) -> None:
    frame = population(3_000, destination, seed=5, layout=layout)  # type: ignore[arg-type]
    for rules in gea_options(lvs_duty.load_rules(destination)).values():
        result = assess_frame(frame, rules)  # errors="raise": any bad row would raise
        assert (result["status"] == "ok").all()
        assert len(result) == 3_000


def test_frame_equals_scalar_on_the_population() -> None:
    frame = population(400, "CA", seed=2)
    shipments = frame_to_shipments(frame)
    for rules in gea_options(lvs_duty.load_rules("CA")).values():
        got = to_decimal_frame(assess_frame(frame, rules))
        assert got["total"].tolist() == [assess(s, rules).total for s in shipments]


def test_single_item_and_date() -> None:
    frame = population(50, "AU", seed=1, single_item=True, date=dt.date(2025, 1, 2))
    assert len(frame) == 50
    assert set(frame["date"].astype(object)) == {dt.date(2025, 1, 2)}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": -1}, "n expected a non-negative int"),
        ({"destination": "XX"}, "destination expected one of"),
        ({"seed": "1"}, "seed expected an int"),
        ({"layout": "wide"}, "layout expected 'canonical' or 'minor'"),
        ({"date": "2026-01-01"}, "date expected a datetime.date"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"n": 3, "destination": "CA", "seed": 1, **kwargs}
    with pytest.raises(ArgumentError, match=message):
        population(args.pop("n"), args.pop("destination"), **args)  # type: ignore[arg-type]


def test_small_unit_currencies_get_parcels_of_a_like_worth() -> None:
    # Found with vn.toml: at the default median of 30 units a VND parcel was worth a tenth of a
    # US cent, so every VN figure meant nothing. Median VND 600,000 (about USD 25), the cap and
    # the shipping scaled by 600,000 // 30 = 20,000: shipping median 8 x 20,000 = VND 160,000.
    frame = population(20_000, "VN", seed=5, currency="VND", layout="minor")
    assert 560_000 < np.median(frame["value_minor"]) < 640_000
    assert frame["value_minor"].max() <= 20_000 * 20_000
    paid = frame.drop_duplicates("shipment_id")["shipping_minor"]
    assert 145_000 < np.median(paid[paid > 0]) < 175_000
    assert unit_scale("CAD") == unit_scale("USD") == 1  # the default populations are unchanged
