"""Tariff schedules: loading, the error catalogue, longest-prefix lookup, dated versions, and
each rate form's duty worked by hand, on the Decimal path and the int64 column path alike."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import pickle
import tomllib
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lvs_duty import RateUnavailableError, load_rules
from lvs_duty.errors import ArgumentError, LvsDutyError
from lvs_duty.schedules import (
    MEASURE_BITS,
    Column,
    Schedule,
    ScheduleFileError,
    ScheduleLine,
    ScheduleNotInForceError,
    UnknownScheduleError,
    available_schedules,
    dumps_schedule,
    duty_places,
    line_duties,
    line_duty,
    load_schedule,
    loads_schedule,
    measure_names,
)

DATA = Path(__file__).parent / "data" / "schedules"
GOOD = DATA / "good.toml"
ROOT = Path(__file__).resolve().parents[1]
D = Decimal
ON = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def good() -> Schedule:
    return load_schedule(GOOD)


# -- loading ---------------------------------------------------------------------------------


def test_good_file_loads_with_its_header(good: Schedule) -> None:
    assert (good.code, good.currency, good.nomenclature) == ("XX", "USD", "HS2022")
    assert [v.period for v in good.versions] == [
        "2024-01-01 to 2025-01-01 (exclusive)",
        "2025-01-01 to open",
    ]
    assert good.sources["t"].accessed == dt.date(2026, 11, 29)
    line = good.line_for("610910", ON)
    assert line is not None
    assert line.source == ("t", "u")
    assert [s.title for s in good.source_of(line.source)] == ["Test tariff", "Second test source"]


def test_rates_are_exact_decimals(good: Schedule) -> None:
    line = good.line_for("2106", ON)
    assert line is not None
    assert line.specific is not None
    assert line.specific.amount == D("0.044")
    assert type(line.specific.amount) is Decimal


def test_loads_schedule_equals_load_schedule(good: Schedule) -> None:
    assert loads_schedule(GOOD.read_text(), file="good.toml") == good


def test_unconfirmed_flag_is_kept(good: Schedule) -> None:
    line = good.line_for("330410", ON)
    assert line is not None
    assert line.unconfirmed == "[S] invented for the test"


def test_dumps_schedule_loads_back_equal(good: Schedule) -> None:
    text = dumps_schedule(good)
    assert loads_schedule(text) == good
    assert 'ad_valorem = "0.165"' in text  # rates stay strings, never floats


def test_cite_names_line_rate_sources_and_flag(good: Schedule) -> None:
    line = good.line_for("330410", ON)
    assert line is not None
    assert good.cite(line) == (
        "XX schedule line 3304 (Make-up: 25% but not more than 1.50 each): "
        "the lesser of 25% and 1.50 USD/item [Test tariff] [S] invented for the test"
    )


# -- the error catalogue: one broken file per failure mode -----------------------------------

V0 = "versions[0] (from 2025-01-01)"
CATALOGUE = {
    "backwards_dates": f"{V0}.valid_to: expected valid_to after valid_from; cannot have "
    "valid_to=2024-01-01 <= valid_from=2025-01-01",
    "bad_flag": f"{V0}.lines[0] ('610910').unconfirmed: expected a flag and its reason",
    "bad_toml": "expected valid TOML, got Expected ']' at the end of a table declaration",
    "bad_unit": f"{V0}.lines[0] ('610910').specific.per: expected 'kg', 'litre', 'item' or "
    "'pair', got 'dozen'",
    "both_without_combine": f"{V0}.lines[0] ('610910').combine: expected combine = 'sum', "
    "'max' or 'min' when a line has both ad_valorem and specific, got 'none'",
    "combine_alone": f"{V0}.lines[0] ('610910').combine: expected no combine unless the line "
    "has both ad_valorem and specific, got 'max'",
    "dotted_hs": f"{V0}.lines[0] ('6109.10').hs: expected an HS code of 4 to 10 digits, "
    "digits only",
    "duplicate_hs": f"{V0}.lines[1] ('610910').hs: expected one line per HS code; '610910' is "
    "already lines[0]",
    "gap": "versions[1] (from 2025-01-01).valid_from: expected 2024-06-01: it leaves a gap "
    "after versions[0]",
    "missing_currency": "currency: expected a value (this field is required)",
    "negative_amount": f"{V0}.lines[0] ('610910').specific.amount: expected a non-negative "
    "decimal amount, got '-0.1'",
    "no_lines": f"{V0}.lines: expected ",
    "no_rate": f"{V0}.lines[0] ('610910').ad_valorem: expected a rate: ad_valorem, specific, "
    "or both with combine, got 'none'",
    "open_then_more": "versions[0] (from 2024-01-01).valid_to: expected a closing date, since "
    "versions[1] follows it",
    "overlap": "versions[1] (from 2025-01-01).valid_from: expected 2025-06-01: it overlaps "
    "versions[0]",
    "rate_over_one": f"{V0}.lines[0] ('610910').ad_valorem: expected a decimal between 0 and 1, "
    "got '12'",
    "short_hs": f"{V0}.lines[0] ('61').hs: expected an HS code of 4 to 10 digits",
    "unknown_key": f"{V0}.lines[0] ('610910').rate: expected no such field",
    "unknown_source": f"{V0}.lines[0] ('610910').source: expected an id defined under "
    "[sources] (t), got 'nope'",
}


def test_catalogue_covers_every_broken_file() -> None:
    assert sorted(CATALOGUE) == sorted(p.stem for p in (DATA / "bad").glob("*.toml"))


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_broken_file_message_names_file_row_and_field(name: str) -> None:
    path = DATA / "bad" / f"{name}.toml"
    with pytest.raises(ScheduleFileError) as caught:
        load_schedule(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert CATALOGUE[name] in message
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, LvsDutyError)


def test_float_rate_built_in_code_is_refused() -> None:
    data = tomllib.loads(GOOD.read_text(), parse_float=Decimal)
    data["versions"][1]["lines"][1]["ad_valorem"] = 0.12
    with pytest.raises(
        ScheduleFileError, match=r"lines\[1\] \('610910'\)\.ad_valorem: .*not a float"
    ):
        Schedule.build(data, file="in code")


def test_every_problem_is_listed_at_once() -> None:
    data = tomllib.loads(GOOD.read_text(), parse_float=Decimal)
    data["versions"][1]["lines"][0]["ad_valorem"] = "2"
    data["versions"][1]["lines"][3]["specific"]["per"] = "gallon"
    with pytest.raises(ScheduleFileError) as caught:
        Schedule.build(data, file="in code")
    assert len(caught.value.problems) == 2
    assert "lines[0] ('6109').ad_valorem" in str(caught.value)
    assert "lines[3] ('2106').specific.per" in str(caught.value)


def test_unknown_schedule_names_the_source() -> None:
    with pytest.raises(UnknownScheduleError, match=r"load_schedule: 'ZZ' is neither a bundled"):
        load_schedule("ZZ")
    with pytest.raises(LookupError, match=r"'no/such/file.toml'"):
        load_schedule("no/such/file.toml")


def test_schedule_errors_pickle_intact() -> None:
    errors: list[LvsDutyError] = [
        ScheduleFileError("f.toml", []),
        UnknownScheduleError("ZZ", ["CA"]),
        ScheduleNotInForceError("XX", "2023-01-01", ["2024-01-01 to open"]),
    ]
    with pytest.raises(ScheduleFileError) as caught:
        load_schedule(DATA / "bad" / "gap.toml")
    errors.append(caught.value)
    for error in errors:
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error)
        assert str(again) == str(error)


# -- lookup: longest prefix, dated versions --------------------------------------------------


@pytest.mark.parametrize(
    ("hs_code", "on", "expected_hs", "rate"),
    [
        ("6109100012", ON, "61091000", "0"),  # the 8-digit national line beats 610910 and 6109
        ("6109.10.90", ON, "610910", "0.12"),  # dots ignored; 610910 beats the heading
        ("610990", ON, "6109", "0.10"),  # only the heading matches
        ("610910", dt.date(2024, 12, 31), "610910", "0.165"),  # last day of the old version
        ("610910", dt.date(2025, 1, 1), "610910", "0.12"),  # first day of the new one
        ("61091000", dt.date(2024, 6, 1), "610910", "0.165"),  # no national line in 2024
    ],
)
def test_longest_prefix_wins_on_the_date(
    good: Schedule, hs_code: str, on: dt.date, expected_hs: str, rate: str
) -> None:
    line = good.line_for(hs_code, on)
    assert line is not None
    assert (line.hs, line.ad_valorem) == (expected_hs, D(rate))


@pytest.mark.parametrize("hs_code", ["610", "6110", "0101210000", None])
def test_codes_no_line_covers(good: Schedule, hs_code: str | None) -> None:
    # "610" and "6110" are shorter than or beside every line; a schedule never guesses.
    assert good.line_for(hs_code, ON) is None


def test_a_copy_with_other_lines_looks_up_its_own_lines(good: Schedule) -> None:
    version = good.versions[1]
    assert version.line_for("610910") is not None
    heading_only = version.model_copy(update={"lines": version.lines[:1]})
    line = heading_only.line_for("610910")
    assert line is not None
    assert line.hs == "6109"


def test_date_outside_every_version(good: Schedule) -> None:
    with pytest.raises(ScheduleNotInForceError) as caught:
        good.line_for("610910", dt.date(2023, 12, 31))
    assert str(caught.value) == (
        "Schedule 'XX' has no version in force on 2023-12-31; expected a date in "
        "2024-01-01 to 2025-01-01 (exclusive), 2025-01-01 to open"
    )


def test_lines_for_many_codes_indexes_distinct_lines(good: Schedule) -> None:
    codes = ["6109100012", "610990", None, "0101", "6109100099", "6109"]
    lines, index = good.lines_for(codes, ON)
    assert [ln.hs for ln in lines] == ["61091000", "6109"]
    assert index == [0, 1, -1, -1, 0, 1]


# -- each rate form worked by hand -----------------------------------------------------------


def _duty(good: Schedule, hs: str, value: str, **kw: object) -> tuple[Decimal, tuple[str, ...]]:
    line = good.line_for(hs, ON)
    assert line is not None
    result = line_duty(line, customs_value=D(value), **kw)  # type: ignore[arg-type]
    return result.amount, result.measures


CASES = [
    # (hs, customs value, quantity, kg, litres, duty, measures)
    ("610910", "40.00", 1, None, None, "4.80", ("value",)),  # 12% x 40.00
    ("6109100012", "40.00", 1, None, None, "0", ("value",)),  # Free national line
    ("210690", "9.99", 1, "2.5", None, "0.11", ("kg",)),  # 0.044 x 2.5 kg = 0.1100
    ("220210", "3.00", 2, None, "1.5", "0.45", ("litre",)),  # 0.3 x 1.5 l
    ("950300", "20.00", 3, None, None, "1.53", ("item",)),  # 0.51 x 3 items
    ("640299", "50.00", 2, None, None, "1.80", ("pair",)),  # 0.90 x 2 pairs
    ("420222", "100.00", 1, "2.5", None, "5.0375", ("value", "kg")),  # 5.00 + 0.015 x 2.5
    ("851713", "20.00", 1, None, None, "2.00", ("item",)),  # max(1.60, 2.00)
    ("851713", "100.00", 1, None, None, "8.00", ("value",)),  # max(8.00, 2.00)
    ("851713", "25.00", 1, None, None, "2.00", ("value",)),  # max(2.00, 2.00): tie to value
    ("330410", "10.00", 1, None, None, "1.50", ("item",)),  # min(2.50, 1.50)
    ("330410", "4.00", 1, None, None, "1.00", ("value",)),  # min(1.00, 1.50)
    ("330410", "6.00", 1, None, None, "1.50", ("value",)),  # min(1.50, 1.50): tie to value
    ("851713", "20.00", 3, None, None, "6.00", ("item",)),  # max(1.60, 2.00 x 3 = 6.00)
]


@pytest.mark.parametrize(("hs", "value", "qty", "kg", "litres", "duty", "measures"), CASES)
def test_rate_forms_by_hand(
    good: Schedule,
    hs: str,
    value: str,
    qty: int,
    kg: str | None,
    litres: str | None,
    duty: str,
    measures: tuple[str, ...],
) -> None:
    amount, used = _duty(
        good,
        hs,
        value,
        quantity=qty,
        weight_kg=None if kg is None else D(kg),
        volume_litres=None if litres is None else D(litres),
    )
    assert amount == D(duty)
    assert used == measures


def test_working_says_what_was_charged(good: Schedule) -> None:
    line = good.line_for("420222", ON)
    assert line is not None
    working = line_duty(line, customs_value=D("100.00"), weight_kg=D("2.5")).working
    assert working == "0.05 x 100.00 + 0.015/kg x 2.5 kg"
    assert line.rate_text == "5% + 0.015/kg"
    phone = good.line_for("851713", ON)
    assert phone is not None
    assert phone.rate_text == "the greater of 8% and 2.00/item"


@pytest.mark.parametrize(("hs", "field"), [("210690", "weight_kg"), ("220210", "volume_l")])
def test_specific_duty_without_its_measure_names_the_field(
    good: Schedule, hs: str, field: str
) -> None:
    line = good.line_for(hs, ON)
    assert line is not None
    with pytest.raises(RateUnavailableError) as caught:
        line_duty(line, customs_value=D("10.00"), location="items[2]")
    assert str(caught.value).startswith(f"items[2].{field}: expected ")
    assert f"schedule line {line.hs}" in str(caught.value)


def test_compound_without_weight_is_refused_not_halved(good: Schedule) -> None:
    line = good.line_for("420222", ON)
    assert line is not None
    with pytest.raises(RateUnavailableError, match="weight_kg"):
        line_duty(line, customs_value=D("100.00"))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"customs_value": 10.0}, "not a float"),
        ({"customs_value": D("10"), "quantity": -1}, "quantity"),
        ({"customs_value": D("-1")}, "customs_value expected a non-negative amount"),
        ({"customs_value": D("1"), "weight_kg": 0.5}, "weight_kg"),
    ],
)
def test_bad_arguments_are_named(good: Schedule, kwargs: dict[str, object], match: str) -> None:
    line = good.line_for("210690", ON)
    assert line is not None
    with pytest.raises((TypeError, ValueError), match=match):
        line_duty(line, **kwargs)  # type: ignore[arg-type]


# -- the int64 column path gives the same numbers --------------------------------------------


def test_line_duties_match_the_hand_worked_cases(good: Schedule) -> None:
    lines, index = good.lines_for([c[0] for c in CASES] + ["0101"], ON)
    minor = 2
    kg = Column.of([None if c[3] is None else D(c[3]) for c in CASES] + [None])
    litres = Column.of([None if c[4] is None else D(c[4]) for c in CASES] + [None])
    cv = np.array([int(D(c[1]) * 100) for c in CASES] + [12345], dtype=np.int64)
    qty = np.array([c[2] for c in CASES] + [1], dtype=np.int64)
    out = line_duties(
        lines,
        np.array(index, dtype=np.int64),
        minor=minor,
        customs_value=cv,
        quantity=qty,
        weight=kg,
        volume=litres,
    )
    scale = 10 ** (minor + out.places)
    assert out.nums.tolist() == [int(D(c[5]) * scale) for c in CASES] + [0]
    assert [measure_names(int(b)) for b in out.measures] == [c[6] for c in CASES] + [()]
    assert not out.overflow.any()
    assert not out.missing["weight_kg"].any()
    assert not out.missing["volume_l"].any()


def test_line_duties_flag_missing_weight_and_volume(good: Schedule) -> None:
    lines, index = good.lines_for(["210690", "220210", "420222", "610910"], ON)
    out = line_duties(
        lines,
        np.array(index, dtype=np.int64),
        minor=2,
        customs_value=np.array([1000, 1000, 1000, 1000], dtype=np.int64),
        quantity=np.ones(4, dtype=np.int64),
        weight=Column.of([None, None, None, None]),
        volume=Column.of([None, None, None, None]),
    )
    assert out.missing["weight_kg"].tolist() == [True, False, True, False]
    assert out.missing["volume_l"].tolist() == [False, True, False, False]
    # 12% x 10.00 = 1.20 on the last row; the rows that lack their measure charge nothing yet
    assert out.nums.tolist()[:3] == [0, 0, 0]
    assert out.nums[3] == 120 * 10**out.places


def test_line_duties_over_an_engine_denominator(good: Schedule) -> None:
    lines, index = good.lines_for(["210690", "610910"], ON)
    weight = Column.of([D("2.5"), None])  # 1 place
    columns = {
        "minor": 2,
        "customs_value": np.array([999, 4000], dtype=np.int64),
        "quantity": np.ones(2, dtype=np.int64),
        "weight": weight,
        "volume": Column.of([None, None]),
    }
    # 0.044/kg needs 1 place past the cent, times 1 place of kg: 2; 12% needs 2
    assert duty_places(lines, minor=2, weight_places=1) == 2
    out = line_duties(lines, np.array(index, dtype=np.int64), places=6, **columns)  # type: ignore[arg-type]
    # 0.044 x 2.5 = 0.11 and 0.12 x 40.00 = 4.80, over 10**(2 + 6)
    assert out.places == 6
    assert out.nums.tolist() == [11_000_000, 480_000_000]
    with pytest.raises(ArgumentError, match="line_duties: places expected at least 2"):
        line_duties(lines, np.array(index, dtype=np.int64), places=1, **columns)  # type: ignore[arg-type]


UNITS = st.sampled_from(["kg", "litre", "item", "pair"])
RATES = st.integers(0, 1000).map(lambda n: D(n).scaleb(-3))
AMOUNTS = st.integers(0, 10**6).map(lambda n: D(n).scaleb(-3))


@st.composite
def schedule_lines(draw: st.DrawFn) -> ScheduleLine:
    form = draw(st.sampled_from(["ad", "specific", "sum", "max", "min"]))
    data: dict[str, object] = {"hs": "1234", "source": "t"}
    if form != "specific":
        data["ad_valorem"] = draw(RATES)
    if form != "ad":
        data["specific"] = {"amount": draw(AMOUNTS), "per": draw(UNITS)}
    if form in ("sum", "max", "min"):
        data["combine"] = form
    return ScheduleLine.model_validate(data)


@given(
    lines=st.lists(schedule_lines(), min_size=1, max_size=4),
    rows=st.lists(
        st.tuples(
            st.integers(-1, 3),
            st.integers(0, 10**7),
            st.integers(1, 50),
            st.none() | st.integers(0, 10**5).map(lambda n: D(n).scaleb(-2)),
            st.none() | st.integers(0, 10**4).map(lambda n: D(n).scaleb(-1)),
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_both_forms_agree_to_the_last_digit(
    lines: list[ScheduleLine],
    rows: list[tuple[int, int, int, Decimal | None, Decimal | None]],
) -> None:
    index = np.array([i if i < len(lines) else -1 for i, *_ in rows], dtype=np.int64)
    out = line_duties(
        lines,
        index,
        minor=2,
        customs_value=np.array([r[1] for r in rows], dtype=np.int64),
        quantity=np.array([r[2] for r in rows], dtype=np.int64),
        weight=Column.of([r[3] for r in rows]),
        volume=Column.of([r[4] for r in rows]),
    )
    scale = D(10) ** (2 + out.places)
    for k, (_, cv, qty, kg, litres) in enumerate(rows):
        if index[k] < 0:
            assert (out.nums[k], out.measures[k]) == (0, 0)
            continue
        line = lines[int(index[k])]
        needs = {"kg": ("weight_kg", kg), "litre": ("volume_l", litres)}
        field, measure = needs.get(line.specific.per if line.specific else "", ("", D(0)))
        if measure is None:
            with pytest.raises(RateUnavailableError, match=field):
                line_duty(line, customs_value=D(cv).scaleb(-2), quantity=qty)
            assert out.missing[field][k]
            assert out.nums[k] == 0
            continue
        expected = line_duty(
            line,
            customs_value=D(cv).scaleb(-2),
            quantity=qty,
            weight_kg=kg,
            volume_litres=litres,
        )
        assert not out.missing["weight_kg"][k]
        assert not out.missing["volume_l"][k]
        assert D(int(out.nums[k])) == expected.amount * scale
        assert measure_names(int(out.measures[k])) == expected.measures


def test_measure_bits_are_distinct_powers_of_two() -> None:
    assert sorted(MEASURE_BITS.values()) == [1, 2, 4, 8, 16]


# -- bundled schedules -----------------------------------------------------------------------

COMMON = """610910 611020 611030 610462 620342 620462 620443 611595 630790 640411 640299 640399
420221 420222 420232 851713 851762 851830 854442 850440 850760 847130 950450 330300 330410
330499 950300 950691 950699 711319 711719 910211 490199 851631 851679 210690 392690 392410
732393 900410""".split()

BUNDLED = available_schedules() or [
    pytest.param("none", marks=pytest.mark.skip(reason="no bundled schedule in this checkout"))
]


def test_the_common_list_has_forty_subheadings() -> None:
    assert len(COMMON) == len(set(COMMON)) == 40


@pytest.mark.parametrize("code", BUNDLED)
def test_bundled_schedule_covers_the_common_goods(code: str) -> None:
    schedule = load_schedule(code)
    assert schedule.code == code
    for version in schedule.versions:
        missing = [hs for hs in COMMON if version.line_for(hs) is None]
        assert missing == [], f"{code} {version.period} lacks {missing}"


@pytest.mark.parametrize("code", BUNDLED)
def test_bundled_schedule_matches_its_regime_currency(code: str) -> None:
    # Ad valorem rates hold in any currency; a specific amount only in its own. KR and MX keep
    # their rule files in USD, as the law states their thresholds, and their schedules in KRW
    # and MXN, which is fine while every line of those schedules is ad valorem.
    schedule = load_schedule(code)
    specific = [line.hs for v in schedule.versions for line in v.lines if line.specific]
    if specific and (ROOT / "data" / "tariff_categories" / f"{code.lower()}.toml").exists():
        assert schedule.currency == load_rules(code).currency, specific


def test_schedules_ship_in_the_wheel() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["data/schedules"] == "lvs_duty/_data/schedules"


@pytest.mark.parametrize(
    "module",
    [
        "lvs_duty.schedules",
        "lvs_duty.schedules.model",
        "lvs_duty.schedules.duty",
        "lvs_duty.schedules.rates",
    ],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
