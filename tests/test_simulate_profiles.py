"""Populations drawn from a profile: deterministic, weighted to annual totals, exact, assessable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lvs_duty
from lvs_duty import ArgumentError, assess, frame_to_shipments
from lvs_duty.countries import EU_MEMBER_STATES
from lvs_duty.frame import assess_frame, to_decimal_frame
from lvs_duty.options import gea_options
from lvs_duty.populations import weights
from lvs_duty.profiles import available_profiles, load_profile
from lvs_duty.simulate import EXTRA_COLUMNS, population

MARKETS = {"eu_2024": "EU", "us_2024": "US", "ca_2024": "CA", "au_2024": "AU", "gb_2024": "GB"}

# Stand-in MFN rates by HS chapter until the bundled schedules fill duty_rate (test-side only).
RATES = {"61": D("0.12"), "62": D("0.12"), "64": D("0.17"), "42": D("0.03"), "33": D("0.065")}


def with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """The population without its extra columns, every line given a stand-in rate."""
    out = frame.drop(columns=list(EXTRA_COLUMNS))
    chapters = out["hs_code"].astype(str).str[:2]
    out["duty_rate"] = [RATES.get(c, D("0.02")) for c in chapters]
    return out


def test_the_five_profiles_are_bundled_and_load() -> None:
    assert set(MARKETS) <= set(available_profiles())
    for name, market in MARKETS.items():
        profile = load_profile(name)
        assert profile.market == market
        assert profile.year == 2024
        assert len(profile.hs_mix.shares) == 40
        assert profile.validation, f"{name} keeps no figure apart for validation"


def test_every_calibrated_figure_cites_a_source_of_the_file() -> None:
    from lvs_duty.profiles import _figures

    for name in MARKETS:
        profile = load_profile(name)
        for where, figure in _figures(profile):
            if figure.role == "calibrate":
                assert figure.source in profile.sources, (name, where)
            else:
                assert figure.note, (name, where)


def test_same_seed_same_population_other_seed_another() -> None:
    first = population(2_000, "US", seed=4, profile="us_2024")
    assert first.equals(population(2_000, "US", seed=4, profile="us_2024"))
    assert not first.equals(population(2_000, "US", seed=5, profile="us_2024"))


@pytest.mark.parametrize("name", sorted(MARKETS))
def test_weights_sum_to_the_annual_count(name: str) -> None:
    profile = load_profile(name)
    frame = population(3_000, profile.market, seed=1, profile=profile)
    per_parcel = frame.drop_duplicates("shipment_id")["weight"]
    assert len(per_parcel) == 3_000
    assert int(per_parcel.sum()) == int(profile.parcels_per_year.value)
    # e.g. EU: 4,600,000,000 / 3,000 = 1,533,333 rest 1,000: 1,000 parcels weigh one more
    assert int(per_parcel.max()) - int(per_parcel.min()) <= 1


def test_integer_weights_by_hand() -> None:
    # 10 parcels a year over 4 synthetic ones: 10 = 4 x 2 + 2, the first two weigh 3
    assert weights(10, 4).tolist() == [3, 3, 2, 2]
    assert weights(4_600_000_000, 200_000).tolist() == [23_000] * 200_000


@pytest.mark.parametrize("layout", ["canonical", "minor"])
def test_amounts_are_exact_and_parcels_within_the_cap(layout: str) -> None:
    frame = population(3_000, "GB", seed=2, profile="gb_2024", layout=layout)  # type: ignore[arg-type]
    assert not any(pd.api.types.is_float_dtype(t) for t in frame.dtypes)
    if layout == "canonical":
        assert all(isinstance(v, D) and v == v.quantize(D("0.01")) for v in frame["value"])
        parcel = frame.groupby("shipment_id")["value"].sum()
        assert parcel.min() >= D("0.01")
        assert parcel.max() <= D("135")  # the GBP 135 cap of the profile's scope
    else:
        assert frame["value_minor"].dtype == np.int64
        assert int(frame["value_minor"].min()) >= 1


def test_the_two_layouts_hold_the_same_amounts() -> None:
    canonical = population(500, "AU", seed=3, profile="au_2024")
    minor = population(500, "AU", seed=3, profile="au_2024", layout="minor")
    assert [int(v * 100) for v in canonical["value"]] == minor["value_minor"].tolist()
    assert [int(v * 100) for v in canonical["shipping"]] == minor["shipping_minor"].tolist()


def test_profile_population_columns() -> None:
    frame = population(2_000, "EU", seed=1, profile="eu_2024")
    assert frame["duty_rate"].isna().all()  # rates come from a schedule, not the population
    assert set(frame["destination"].astype(str)) <= EU_MEMBER_STATES
    assert set(frame["date"].astype(object)) == {dt.date(2024, 7, 1)}
    assert set(frame["currency"].astype(str)) == {"EUR"}
    assert set(frame["hs_code"].astype(str)) <= set(load_profile("eu_2024").hs_mix.shares)
    # weight_kg = kg per item x quantity: socks 0.10 kg, so a line of 3 pairs weighs 0.300 kg
    socks = frame[(frame["hs_code"].astype(str) == "611595") & (frame["quantity"] == 3)]
    assert set(socks["weight_kg"]) <= {D("0.300")}


def test_date_can_be_given() -> None:
    frame = population(10, "CA", seed=1, profile="ca_2024", date=dt.date(2025, 1, 2))
    assert set(frame["date"].astype(object)) == {dt.date(2025, 1, 2)}


def test_without_a_profile_the_default_date_is_unchanged() -> None:
    frame = population(5, "CA", seed=1)
    assert set(frame["date"].astype(object)) == {dt.date(2026, 3, 1)}
    assert "weight" not in frame.columns


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"destination": "CA"}, "destination expected the profile's market EU"),
        ({"single_item": True}, "single_item expected False with a profile"),
        ({"profile": "xx_2024"}, "'xx_2024' is neither a bundled profile"),
    ],
)
def test_bad_arguments_with_a_profile(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"destination": "EU", "seed": 1, "profile": "eu_2024", **kwargs}
    with pytest.raises(lvs_duty.LvsDutyError, match=message):
        population(3, args.pop("destination"), **args)  # type: ignore[arg-type]


def test_an_argument_error_is_a_value_error() -> None:
    with pytest.raises(ArgumentError):
        population(3, "US", seed=1, profile="eu_2024")


@pytest.mark.parametrize(
    "name", ["ca_2024", "gb_2024", "au_2024", "eu_2024"]
)  # US: no VAT, no option 3
def test_assesses_under_every_option_with_rates_supplied(name: str) -> None:
    profile = load_profile(name)
    frame = with_rates(population(1_000, profile.market, seed=5, profile=profile))
    rules = lvs_duty.load_rules(profile.market)
    for option in gea_options(rules).values():
        result = assess_frame(frame, option, on=profile.date)
        assert (result["status"] == "ok").all()
        assert len(result) == 1_000


def test_frame_equals_scalar_on_a_profile_population() -> None:
    frame = with_rates(population(300, "CA", seed=2, profile="ca_2024"))
    shipments = frame_to_shipments(frame)
    rules = lvs_duty.load_rules("CA")
    got = to_decimal_frame(assess_frame(frame, rules))
    assert got["total"].tolist() == [assess(s, rules).total for s in shipments]


def test_eu_2024_duty_falls_only_on_perfume() -> None:
    # EU 2024: consignments of EUR 150 or less are relieved of duty (Reg. 1186/2009 Art. 23),
    # except alcohol, perfumes and toilet waters, tobacco (Art. 24). The profile's scope caps
    # every parcel at EUR 150, and its only excluded subheading is 330300 (perfumes): so duty
    # is charged on a parcel if and only if it holds a perfume line (at the stand-in 2%, a
    # perfume line of at least EUR 0.25 rounds to a duty of at least EUR 0.01).
    frame = with_rates(population(3_000, "EU", seed=9, profile="eu_2024"))
    result = to_decimal_frame(assess_frame(frame, lvs_duty.load_rules("EU")))
    perfume = frame["hs_code"].astype(str) == "330300"
    perfume_value = frame[perfume].groupby("shipment_id")["value"].sum()
    charged = set(result.loc[result["duty"] > 0, "shipment_id"])
    assert len(charged) > 20  # 1% of about 4,500 lines are perfume: some 45 parcels
    assert charged <= set(perfume_value.index)
    assert set(perfume_value[perfume_value >= D("0.25")].index) <= charged


def test_a_callers_decimal_context_changes_nothing() -> None:
    from decimal import Context, localcontext

    expected = population(500, "EU", seed=3, profile="eu_2024")
    with localcontext(Context(prec=2)):
        assert population(500, "EU", seed=3, profile="eu_2024").equals(expected)


@pytest.mark.parametrize("amounts", ["decimal", "minor"])
def test_annual_totals_weigh_each_parcel(amounts: str) -> None:
    from lvs_duty.simulate import annual_totals

    # 290,000,000 parcels a year over 8 synthetic ones: each stands for 36,250,000
    frame = population(8, "GB", seed=1, profile="gb_2024")
    options = gea_options(lvs_duty.load_rules("GB"))
    comparison = lvs_duty.compare(with_rates(frame), options, amounts=amounts)  # type: ignore[arg-type]
    totals = annual_totals(comparison, frame).set_index("option")
    assert totals["parcels"].tolist() == [290_000_000] * len(options)
    decimal = to_decimal_frame(comparison) if amounts == "minor" else comparison
    for option, group in decimal.groupby("option", sort=False):
        assert totals.loc[option, "revenue"] == sum(group["total"]) * 36_250_000
        assert totals.loc[option, "tax"] == sum(group["tax"]) * 36_250_000
        charged = int((group["total"] > 0).sum())
        assert totals.loc[option, "parcels_charged"] == charged * 36_250_000


def test_annual_totals_needs_the_weights() -> None:
    from lvs_duty.simulate import annual_totals

    frame = population(4, "GB", seed=1, profile="gb_2024")
    comparison = lvs_duty.compare(with_rates(frame), gea_options(lvs_duty.load_rules("GB")))
    with pytest.raises(ArgumentError, match="annual_totals: population expected a profile"):
        annual_totals(comparison, frame.drop(columns=["weight"]))


@given(
    st.lists(st.tuples(st.integers(1, 10**7), st.integers(1, 5)), min_size=1, max_size=50),
    st.integers(0, 2**32),
)
def test_a_parcel_value_splits_exactly_over_its_lines(
    parcels: list[tuple[int, int]], seed: int
) -> None:
    from lvs_duty.populations import _split

    value = np.array([v for v, _ in parcels], dtype=np.int64)
    lines = np.minimum(np.array([k for _, k in parcels], dtype=np.int64), value)
    parts = _split(np.random.default_rng(seed), value, lines)
    owner = np.repeat(np.arange(len(value)), lines)
    assert np.bincount(owner, weights=parts).astype(np.int64).tolist() == value.tolist()
    assert int(parts.min()) >= 1


@given(st.integers(0, 10**12), st.integers(1, 10**4))
def test_integer_weights_always_sum_to_the_total(total: int, n: int) -> None:
    drawn = weights(total, n)
    assert int(drawn.sum()) == total
    assert int(drawn.max()) - int(drawn.min()) <= 1
