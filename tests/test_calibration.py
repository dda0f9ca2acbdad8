"""Calibration: populations reproduce their profiles' moments; profiles fit to data; bad files."""

from __future__ import annotations

import math
from decimal import Decimal as D
from pathlib import Path

import pytest

from lvs_duty import LvsDutyError
from lvs_duty._lognormal import TruncatedLogNormal, fit_mean_share, fit_mean_sigma
from lvs_duty.calibration import Z
from lvs_duty.profiles import ProfileError, UnknownProfileError, load_profile, loads_profile
from lvs_duty.simulate import calibration_report, fit_profile, population

NAMES = ["au_2024", "ca_2024", "eu_2024", "gb_2024", "us_2024"]
EU_TEXT = (Path(__file__).parents[1] / "data" / "populations" / "eu_2024.toml").read_text()


@pytest.fixture(scope="module")
def eu_population() -> object:
    return population(200_000, "EU", seed=2024, profile="eu_2024")


@pytest.mark.parametrize("name", NAMES)
def test_200k_parcels_reproduce_every_targeted_moment(name: str) -> None:
    profile = load_profile(name)
    frame = population(200_000, profile.market, seed=2024, profile=profile)
    report = calibration_report(frame, profile)
    missed = report[~report["within"]]
    assert missed.empty, missed.to_string()
    moments = set(report["moment"])
    assert {"parcels_per_year", "value.mean", "gift", "seller_registered"} <= moments
    assert {f"hs_mix[{code}]" for code in profile.hs_mix.shares} <= moments


def test_tolerances_are_the_sampling_error(eu_population: object) -> None:
    report = calibration_report(eu_population, load_profile("eu_2024")).set_index("moment")  # type: ignore[arg-type]
    # parcels per year is exact: the integer weights sum to 4,600,000,000
    assert report.loc["parcels_per_year", "model"] == D("4600000000")
    assert report.loc["parcels_per_year", "tolerance"] == 0
    # a share p of 200,000 parcels: 4 x sqrt(p(1 - p) / n); CN 0.91: 4 x sqrt(0.0819 / 200000)
    assert report.loc["ship_from[CN]", "tolerance"] == D("0.002560")
    # the mean: 4 x sd / sqrt(n) + half a cent; the fitted sd is about EUR 9.95
    sd = load_profile("eu_2024").value_distribution().sd()
    expected = Z * sd / math.sqrt(200_000) + 0.005
    assert abs(float(report.loc["value.mean", "tolerance"]) - expected) < 1e-6
    assert 0.09 < expected < 0.1


def test_a_wrong_profile_is_caught(eu_population: object) -> None:
    report = calibration_report(eu_population, load_profile("us_2024"))  # type: ignore[arg-type]
    wrong = set(report.loc[~report["within"], "moment"])
    assert {"value.mean", "seller_registered", "ship_from[CN]"} <= wrong


def test_fit_profile_recovers_the_profile(eu_population: object) -> None:
    profile = load_profile("eu_2024")
    fitted = fit_profile(eu_population)  # type: ignore[arg-type]
    assert fitted.market == "EU"
    assert fitted.currency == "EUR"
    assert fitted.year == 2024
    assert fitted.parcels_per_year.value == profile.parcels_per_year.value
    report = calibration_report(eu_population, profile).set_index("moment")  # type: ignore[arg-type]
    tolerance = report["tolerance"]
    # each fitted share is the population's share, so it lies within the report's tolerance
    for table in ("lines", "hs_mix", "ship_from", "mode", "member_states"):
        for key, share in getattr(profile, table).shares.items():
            got = getattr(fitted, table).shares.get(key, D(0))
            assert abs(got - share) <= tolerance[f"{table}[{key}]"], (table, key)
    assert abs(fitted.value.mean.value - D("8.00")) <= tolerance["value.mean"]
    assert abs(fitted.seller_registered.value - D("0.94")) <= tolerance["seller_registered"]
    assert fitted.kg_per_item == profile.kg_per_item.model_copy(  # type: ignore[union-attr]
        update={"role": "calibrate", "source": "data", "note": "median per unit"}
    )


def test_a_population_of_the_fitted_profile_reproduces_it(eu_population: object) -> None:
    fitted = fit_profile(eu_population)  # type: ignore[arg-type]
    again = population(100_000, "EU", seed=7, profile=fitted)
    report = calibration_report(again, fitted)
    assert report["within"].all(), report[~report["within"]].to_string()


def test_fit_profile_without_optional_columns() -> None:
    frame = population(2_000, "CA", seed=3, profile="ca_2024")
    bare = frame.drop(columns=["gift", "seller_registered", "weight", "weight_kg", "shipping"])
    fitted = fit_profile(bare)
    assert fitted.parcels_per_year.value == 2_000  # no weight column: one parcel each
    assert fitted.gift.role == "assumption"
    assert fitted.gift.value == 0
    assert fitted.shipping.free_share.value == 1
    assert fitted.kg_per_item is None
    assert set(fitted.regions.shares) <= {
        "ON",
        "QC",
        "BC",
        "AB",
        "MB",
        "SK",
        "NS",
        "NB",
        "NL",
        "PE",
    }  # type: ignore[union-attr]


def test_fit_profile_refuses_data_it_cannot_read() -> None:
    frame = population(50, "CA", seed=3, profile="ca_2024")
    with pytest.raises(LvsDutyError, match="fit_profile: frame expected a ship_from"):
        fit_profile(frame.drop(columns=["ship_from"]))
    with pytest.raises(LvsDutyError, match="canonical layout, got 'a frame missing hs_code'"):
        fit_profile(frame.drop(columns=["hs_code"]))


def test_log_normal_fits_by_hand() -> None:
    # untruncated, mean = exp(mu + sigma^2 / 2): mean 8, sigma 1 -> mu = ln 8 - 0.5 = 1.5794;
    # a cap of 150 removes mass above it, so the fitted mu is a little higher (1.5868)
    fitted = fit_mean_sigma(8.0, 1.0, 150.0)
    assert fitted is not None
    assert abs(fitted.mean() - 8.0) < 1e-9
    assert math.log(8) - 0.5 < fitted.mu < math.log(8) - 0.5 + 0.01
    # mean 10 and half the mass at or below 6: median 6, so mu = ln 6 when the cap is far away
    both = fit_mean_share(10.0, 6.0, 0.5, 1e6)
    assert both is not None
    assert abs(both.mu - math.log(6)) < 1e-6
    assert abs(both.sigma - math.sqrt(2 * math.log(10 / 6))) < 1e-6  # exp(s^2/2) = 10/6
    assert fit_mean_sigma(200.0, 1.0, 150.0) is None  # a mean above the cap
    assert TruncatedLogNormal(0.0, 1.0, 1e9).share_at_or_below(1.0) == pytest.approx(0.5)


def _bad(old: str, new: str) -> str:
    assert old in EU_TEXT, old
    return EU_TEXT.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_bad('"610910" = 0.07', '"610910" = 0.08'), "bad.toml: hs_mix.shares: expected shares"),
        (_bad('"610910" = 0.07', '"61091" = 0.07'), "hs_mix.shares.61091: expected 6 digits"),
        (_bad('source = "ec-ioss-2022"', 'source = "nowhere"'), "seller_registered.source"),
        (_bad("value = 0.94", "value = 1.94"), "seller_registered.value: expected a share"),
        (
            _bad(
                '[gift]\nvalue = 0.01\nrole = "assumption"\nnote = "B2C',
                '[gift]\nvalue = 0.01\nrole = "assumption"\nnotes = "B2C',
            ),
            "gift.notes",
        ),
        (_bad("value = 8.00, ", "value = 800, "), "value.mean: expected moments a truncated"),
        (_bad('market = "EU"', 'market = "CH"'), "member_states: expected no member_states"),
        (_bad("year = 2024", 'year = "recent"'), "bad.toml: year"),
        (
            _bad('role = "calibrate"\nsource = "taxud', 'role = "measured"\nsource = "taxud'),
            "parcels_per_year.role: expected",
        ),
        (EU_TEXT + "\n[[", "bad.toml: expected valid TOML"),
    ],
)
def test_bad_profile_files_name_file_and_field(text: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace(".", r"\.")) as caught:
        loads_profile(text, file="bad.toml")
    assert isinstance(caught.value, ValueError)


def test_a_bad_file_on_disk_is_named(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(_bad("value = 0.94", "value = -1"))
    with pytest.raises(ProfileError, match=r"mine\.toml: seller_registered\.value"):
        load_profile(path)
    with pytest.raises(UnknownProfileError, match="expected one of au_2024, ca_2024"):
        load_profile(tmp_path / "absent.toml")


@pytest.mark.parametrize("name", NAMES)
def test_a_profile_written_as_toml_reads_back_equal(name: str) -> None:
    profile = load_profile(name)
    assert loads_profile(profile.to_toml(), file="again.toml") == profile


def test_a_fitted_profile_can_be_saved_and_reloaded(tmp_path: Path) -> None:
    fitted = fit_profile(population(3_000, "AU", seed=8, profile="au_2024"))
    path = tmp_path / "au_fitted.toml"
    path.write_text(fitted.to_toml())
    assert load_profile(path) == fitted
    again = population(50, "AU", seed=1, profile=path)
    assert again.equals(population(50, "AU", seed=1, profile=fitted))
