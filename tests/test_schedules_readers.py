"""Readers of tariff downloads (USITC HTS, WITS/TRAINS, UK Trade Tariff) on hand-made fixtures.

Each rate is checked against the text of its fixture row; each unreadable row is reported by
row and field, never guessed, and left out only when the caller asks (errors="flag").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from lvs_duty.errors import ArgumentError
from lvs_duty.schedules import (
    Reading,
    ScheduleFileError,
    dumps_schedule,
    line_duty,
    loads_schedule,
    read_hts,
    read_uk_tariff,
    read_wits,
)
from lvs_duty.schedules.rates import RateTextError, parse_uk, parse_usitc

DATA = Path(__file__).parent / "data" / "schedules"
D = Decimal
JAN = dt.date(2026, 1, 1)


# -- the rate notations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("Free", {"ad_valorem": D("0")}),
        ("6.8%", {"ad_valorem": D("0.068")}),
        ("16.5%", {"ad_valorem": D("0.165")}),
        ("4.4¢/kg", {"specific": {"amount": D("0.044"), "per": "kg"}}),
        ("$1.20/kg", {"specific": {"amount": D("1.20"), "per": "kg"}}),
        ("51¢ each", {"specific": {"amount": D("0.51"), "per": "item"}}),
        ("2.5¢/liter", {"specific": {"amount": D("0.025"), "per": "litre"}}),
        ("48¢/pr.", {"specific": {"amount": D("0.48"), "per": "pair"}}),
        ("$2.16/gross", {"specific": {"amount": D("0.015"), "per": "item"}}),  # 2.16 / 144
        ("$1.80/doz. pr.", {"specific": {"amount": D("0.15"), "per": "pair"}}),  # 1.80 / 12
        (
            "1.5¢/kg + 5%",
            {
                "specific": {"amount": D("0.015"), "per": "kg"},
                "ad_valorem": D("0.05"),
                "combine": "sum",
            },
        ),
        (
            "$1.20/doz. + 4%",  # 1.20 / 12 = 0.10 per item
            {
                "specific": {"amount": D("0.1"), "per": "item"},
                "ad_valorem": D("0.04"),
                "combine": "sum",
            },
        ),
    ],
)
def test_usitc_texts(text: str, fields: dict[str, object]) -> None:
    assert parse_usitc(text) == fields


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "a USITC rate"),
        ("5% + 3%", "not two alike"),
        ("$0.80/doz.", "0.80 / 12 does not terminate"),  # 0.0666...: refused, not rounded
        ("51¢ each + 6.25% on the case + 5.3% on the battery", "a USITC rate"),
        ("See 9903.88.15", "a USITC rate"),
        ("4.4¢/m2", "a USITC rate"),
        ("The rate applicable to the article", "a USITC rate"),
    ],
)
def test_usitc_texts_never_guessed(text: str, reason: str) -> None:
    with pytest.raises(RateTextError, match=reason.replace("+", r"\+").replace(".", r"\.")):
        parse_usitc(text)


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("12.00 %", {"ad_valorem": D("0.12")}),
        ("0.00 %", {"ad_valorem": D("0")}),
        ("4.50 GBP / 100 kg", {"specific": {"amount": D("0.045"), "per": "kg"}}),
        ("2.10 GBP / hl", {"specific": {"amount": D("0.021"), "per": "litre"}}),
        ("0.35 GBP / p/st", {"specific": {"amount": D("0.35"), "per": "item"}}),
        ("12.00 GBP / 1000 p/st", {"specific": {"amount": D("0.012"), "per": "item"}}),
        (
            "2.00 % + 4.50 GBP / 100 kg",
            {
                "ad_valorem": D("0.02"),
                "specific": {"amount": D("0.045"), "per": "kg"},
                "combine": "sum",
            },
        ),
        (
            "16.00 % MIN 1.20 GBP / pa",  # "but not less than": the greater
            {
                "ad_valorem": D("0.16"),
                "specific": {"amount": D("1.2"), "per": "pair"},
                "combine": "max",
            },
        ),
        (
            "8.00 % MAX 2.40 GBP / 100 kg",  # "but not more than": the lesser
            {
                "ad_valorem": D("0.08"),
                "specific": {"amount": D("0.024"), "per": "kg"},
                "combine": "min",
            },
        ),
    ],
)
def test_uk_expressions(text: str, fields: dict[str, object]) -> None:
    assert parse_uk(text) == fields


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("90.045 GBP / 100 kg - 30.00 %", "a UK duty expression"),
        ("3.00 EUR / kg", "in GBP"),
        ("1.00 GBP / m2", "a UK duty expression"),
        ("2.00 % + 1.00 GBP / kg + 3.00 %", "a UK duty expression"),
        ("", "a UK duty expression"),
    ],
)
def test_uk_expressions_never_guessed(text: str, reason: str) -> None:
    with pytest.raises(RateTextError, match=reason):
        parse_uk(text)


# -- USITC HTS -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hts_sample.json", "hts_sample.csv"])
def test_hts_export_reads_general_rates(name: str) -> None:
    reading = read_hts(DATA / name, valid_from=JAN, edition="2026 Basic")
    schedule = reading.schedule
    assert reading.problems == ()
    assert (schedule.code, schedule.currency) == ("US", "USD")
    assert "2026 Basic" in schedule.sources["export"].title
    rates = {ln.hs: ln.rate_text for ln in schedule.versions[0].lines}
    assert rates == {
        "61091000": "16.5%",
        "4202221500": "16%",
        "64029931": "6%",
        "21069099": "6.4%",
        "17049035": "5.6%",
        "04090000": "0.019/kg",
        "18062020": "5% + 0.015/kg",
        "91021110": "4% + 0.1/item",
        "85171300": "Free",
        "64041120": "20% + 0.48/pair",
    }


def test_hts_statistical_lines_inherit_their_8_digit_rate() -> None:
    schedule = read_hts(DATA / "hts_sample.json", valid_from=JAN).schedule
    line = schedule.line_for("6109.10.00.12", JAN)  # printed without a rate in the export
    assert line is not None
    assert (line.hs, line.ad_valorem) == ("61091000", D("0.165"))
    assert schedule.line_for("6109", JAN) is None  # a heading row carries no rate


def test_hts_json_and_csv_give_the_same_lines() -> None:
    a = read_hts(DATA / "hts_sample.json", valid_from=JAN).schedule
    b = read_hts(DATA / "hts_sample.csv", valid_from=JAN).schedule
    assert a.versions == b.versions


def test_hts_compound_duty_by_hand() -> None:
    schedule = read_hts(DATA / "hts_sample.json", valid_from=JAN).schedule
    line = schedule.line_for("6404.11.20.10", JAN)
    assert line is not None
    # 48c/pr. + 20%: 2 pairs worth 30.00 -> 0.48 x 2 + 0.20 x 30.00 = 0.96 + 6.00 = 6.96
    duty = line_duty(line, customs_value=D("30.00"), quantity=2)
    assert duty.amount == D("6.96")
    assert duty.measures == ("value", "pair")


def test_hts_unreadable_rows_are_reported_by_line() -> None:
    path = DATA / "hts_bad.csv"
    with pytest.raises(ScheduleFileError) as caught:
        read_hts(path, valid_from=JAN)
    message = str(caught.value)
    assert message.startswith(f"{path}: 3 problems:")
    assert (
        "line 3 (9102.11.45).General Rate of Duty: expected a USITC rate: Free, N%, N¢ or $N per"
        in message
    )
    assert "got '51¢ each + 6.25% on the case + 5.3% on the battery'" in message
    assert "line 5 (3926.90.99).General Rate of Duty: expected a USITC rate" in message
    assert "line 6 (6110.20.20).hs: expected one row per HS code; 61102020 is already line 4" in (
        message
    )


def test_hts_flag_leaves_out_only_the_bad_rows() -> None:
    reading = read_hts(DATA / "hts_bad.csv", valid_from=JAN, errors="flag")
    # the rate texts are left out, and both rows of the conflicting 6110.20.20 with them
    assert [ln.hs for ln in reading.schedule.versions[0].lines] == ["61091000"]
    assert [p.location for p in reading.problems] == [
        "line 3 (9102.11.45)",
        "line 5 (3926.90.99)",
        "line 6 (6110.20.20)",
    ]


# -- WITS / TRAINS ---------------------------------------------------------------------------


def test_wits_bulk_export_reports_averages_that_are_no_rate() -> None:
    path = DATA / "wits_mfn.csv"
    with pytest.raises(ScheduleFileError) as caught:
        read_wits(path, code="CA", currency="CAD")
    message = str(caught.value)
    assert "line 4 (420222).Max_Rate: expected one rate for the subheading" in message
    assert "got '7..10.5'" in message
    assert "line 5 (220210).Nbr_NA_Lines: expected no non-ad-valorem national line" in message


def test_wits_bulk_export_one_version_per_tariff_year() -> None:
    reading = read_wits(DATA / "wits_mfn.csv", code="CA", currency="CAD", errors="flag")
    schedule = reading.schedule
    assert len(reading.problems) == 2
    assert [v.period for v in schedule.versions] == [
        "2023-01-01 to 2024-01-01 (exclusive)",
        "2024-01-01 to 2025-01-01 (exclusive)",
    ]
    first, second = ({ln.hs: ln.ad_valorem for ln in v.lines} for v in schedule.versions)
    # 010121 lost its leading zero in the export ("10121") and gets it back
    assert first == {"610910": D("0.18"), "851713": D("0"), "010121": D("0")}
    assert second == {"610910": D("0.18"), "851713": D("0"), "640411": D("0.18")}


def test_wits_query_result_mfn_rows() -> None:
    reading = read_wits(DATA / "wits_query.csv", code="CA", currency="CAD", errors="flag")
    rates = {ln.hs: ln.ad_valorem for ln in reading.schedule.versions[0].lines}
    assert rates == {"610910": D("0.18"), "330410": D("0.065")}
    assert [str(p) for p in reading.problems] == [
        "line 7 (640299).Maximum Rate: expected a rate in percent, got 'n/a'"
    ]


def test_wits_preferential_rates_for_one_partner() -> None:
    reading = read_wits(
        DATA / "wits_query.csv", code="CA", currency="CAD", duty_type="PRF", partner="842"
    )
    rates = {ln.hs: ln.ad_valorem for ln in reading.schedule.versions[0].lines}
    assert rates == {"610910": D("0"), "330410": D("0")}


def test_wits_preferential_rates_need_a_partner() -> None:
    with pytest.raises(ArgumentError, match="read_wits: partner expected the partner"):
        read_wits(DATA / "wits_query.csv", code="CA", currency="CAD", duty_type="PRF")


def test_wits_without_its_columns_names_them() -> None:
    with pytest.raises(ScheduleFileError, match=r"header: expected a column 'ProductCode' or"):
        read_wits(DATA / "hts_sample.csv", code="CA", currency="CAD")


# -- UK Trade Tariff -------------------------------------------------------------------------


def test_uk_third_country_duties_from_a_directory() -> None:
    reading = read_uk_tariff(DATA / "uk", valid_from=JAN, accessed=dt.date(2026, 11, 29))
    schedule = reading.schedule
    assert (schedule.code, schedule.currency) == ("GB", "GBP")
    rates = {ln.hs: ln.rate_text for ln in schedule.versions[0].lines}
    assert rates == {
        "6109100010": "12%",  # the 103 measure, not the 142 preference nor the 305 VAT
        "8517130000": "Free",
        "1806202000": "8% + 0.187/kg",  # 18.70 GBP / 100 kg = 0.187 per kg
        "6404110000": "the greater of 16% and 1.2/pair",
    }
    assert schedule.sources["export"].accessed == dt.date(2026, 11, 29)


def test_uk_minimum_duty_by_hand() -> None:
    schedule = read_uk_tariff([DATA / "uk" / "more.json"], valid_from=JAN).schedule
    line = schedule.line_for("6404110000", JAN)
    assert line is not None
    # 16% MIN 1.20 GBP / pa: 2 pairs worth 10.00 -> max(1.60, 2.40) = 2.40, charged per pair
    duty = line_duty(line, customs_value=D("10.00"), quantity=2)
    assert (duty.amount, duty.measures) == (D("2.40"), ("pair",))


def test_uk_unreadable_responses_are_reported() -> None:
    path = DATA / "uk_bad.json"
    with pytest.raises(ScheduleFileError) as caught:
        read_uk_tariff(path, valid_from=JAN)
    message = str(caught.value)
    assert "uk_bad.json[0] (0207141000).duty_expression.base: expected a UK duty expression" in (
        message
    )
    assert "got '90.045 GBP / 100 kg - 30.00 %'" in message
    assert "uk_bad.json[1] (4202221000).included: expected exactly one third-country duty" in (
        message
    )
    reading = read_uk_tariff(path, valid_from=JAN, errors="flag")
    assert [ln.hs for ln in reading.schedule.versions[0].lines] == ["3304100000"]
    assert len(reading.problems) == 2


@pytest.mark.parametrize(
    "read",
    [
        lambda: read_hts(DATA / "hts_sample.json", valid_from=JAN),
        lambda: read_wits(DATA / "wits_mfn.csv", code="CA", currency="CAD", errors="flag"),
        lambda: read_uk_tariff(DATA / "uk", valid_from=JAN, accessed=dt.date(2026, 11, 29)),
    ],
)
def test_a_reading_saves_as_a_schedule_file(read: Callable[[], Reading]) -> None:
    schedule = read().schedule
    assert loads_schedule(dumps_schedule(schedule)) == schedule


# -- arguments -------------------------------------------------------------------------------


def test_errors_argument_is_checked() -> None:
    with pytest.raises(ArgumentError, match="read_hts: errors expected 'raise' or 'flag'"):
        read_hts(DATA / "hts_sample.json", valid_from=JAN, errors="ignore")  # type: ignore[arg-type]


def test_missing_file_is_named() -> None:
    with pytest.raises(ArgumentError, match=r"no_such\.json"):
        read_hts(DATA / "no_such.json", valid_from=JAN)
