"""compare's flags: --fx, --version, help text, --progress, costs, --profile, the minor path."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shlex
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from lvs_duty import cli, compare, load_rules, summarize
from lvs_duty.cli import build_parser, main
from lvs_duty.options import gea_options
from lvs_duty.progress import compare_with_progress
from lvs_duty.regime_population import population_for
from lvs_duty.schedules import load_schedule
from lvs_duty.simulate import population


def run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv), out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("lvs-duty: error: ")
    return err


def test_the_minor_unit_path_prints_the_decimal_paths_summary() -> None:
    # The CLI compares in int64 minor units; the Decimal path over the same parcels must give
    # the very same printed table.
    text = run("compare", "--rules", "CA", "--n", "400", "--seed", "5", "--date", "2026-03-01")
    rules = load_rules("CA")
    frame, _ = population_for(rules, 400, seed=5, on=dt.date(2026, 3, 1))
    summary = summarize(compare(frame, gea_options(rules)))
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        assert summary.to_string(index=False) in text


def test_fx_prices_parcels_in_the_destination_currency() -> None:
    text = run("compare", "--rules", "BR", "--n", "200", "--fx", "BRL=0.18", "--no-progress")
    assert "priced in BRL, converted at 0.18 USD per BRL" in text
    assert "amounts in USD" in text


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("XYZ=1", "--fx: expected CUR=RATE with an ISO 4217 code as CUR, got 'XYZ=1'"),
        ("BRL", "--fx: expected CUR=RATE with an ISO 4217 code as CUR, got 'BRL'"),
        ("BRL=-1", "--fx: expected a positive decimal rate for BRL, got 'BRL=-1'"),
        ("BRL=abc", "--fx: expected a positive decimal rate for BRL, got 'BRL=abc'"),
        ("BRL=inf", "--fx: expected a positive decimal rate for BRL, got 'BRL=inf'"),
    ],
)
def test_bad_fx_is_one_line(capsys: pytest.CaptureFixture[str], value: str, said: str) -> None:
    assert said in fails(capsys, "compare", "--rules", "BR", "--n", "10", "--fx", value)


def test_fx_given_twice(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "compare", "--n", "10", "--fx", "USD=1.4", "--fx", "usd=1.3")
    assert "--fx: USD given twice" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == "lvs-duty 0.1.0"


def _actions(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.Action]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += [(f"{name} {a.dest}", a) for a in child._actions]
        else:
            found.append((action.dest, action))
    return found


def test_every_flag_and_subcommand_has_help_without_rst() -> None:
    parser = build_parser()
    for where, action in _actions(parser):
        assert action.help, f"{where} has no help"
        assert "``" not in action.help, where
        assert ":func:" not in action.help, where
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, child in sub.choices.items():
        assert child.description, f"{name} has no description"
    assert "``" not in (parser.description or "")


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run("compare", "--n", "50")
    assert capsys.readouterr().err == ""
    run("compare", "--n", "50", "--no-progress")
    assert capsys.readouterr().err == ""


def test_progress_asked_for_draws_a_bar(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # small chunks so that 300 parcels make several steps
    monkeypatch.setattr(cli, "compare_with_progress", partial(compare_with_progress, chunk=100))
    quiet = run("compare", "--n", "300", "--seed", "1", "--date", "2026-03-01", "--no-progress")
    assert capsys.readouterr().err == ""
    loud = run("compare", "--n", "300", "--seed", "1", "--date", "2026-03-01", "--progress")
    assert "compare: 100%" in capsys.readouterr().err
    assert loud == quiet  # the bar changes nothing printed on stdout


def test_cost_flags_price_collection() -> None:
    # Bundled CA sample, 24 parcels; baseline: 15 border collection events.
    # 15 x 2 + 24 x 0.50 = 42.00; net revenue 484.39 - 42.00 = 442.39.
    text = run("compare", "--cost-border", "2", "--cost-parcel", "0.50")
    assert "CAD 2 per border collection event, CAD 0 per classification decision" in text
    baseline = next(line for line in text.splitlines() if line.strip().startswith("baseline"))
    assert baseline.split()[-2:] == ["42.00", "442.39"]


def test_cost_preset_in_another_currency_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "compare", "--cost-preset", "cbp-postal-2025")
    assert "cbp-postal-2025 is in USD, the rules in CAD" in err


def test_cost_preset_for_a_us_regime() -> None:
    text = run("compare", "--rules", "US", "--n", "50", "--cost-preset", "cbp-postal-2025")
    assert "USD 8.55 per border collection event" in text


def test_bad_cost_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "compare", "--cost-parcel", "-1")
    assert "--cost-parcel: expected a non-negative amount in CAD, got '-1'" in err


def test_profile_takes_its_rates_from_the_bundled_schedule() -> None:
    # Profile parcels carry no duty_rate: with no --schedule the rules' own bundled schedule
    # gives them, and the printed table is the Python call's to the cent.
    # The profile measures the 2024 market; the parcels are dated today by default, under the
    # rules and rates in force now (a profile's own date, 2024-07-01, predates the schedule).
    on = dt.date(2026, 7, 1)
    text = run(
        "compare", "--rules", "EU", "--profile", "eu_2024", "--n", "600", "--seed", "3",
        "--date", str(on),
    )  # fmt: skip
    assert "MFN rates: schedule EU" in text
    assert "dated 2026-07-01" in text
    rules, schedule = load_rules("EU"), load_schedule("EU")
    frame = population(600, "EU", seed=3, profile="eu_2024", date=on)
    summary = summarize(compare(frame, gea_options(rules), schedule=schedule))
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        assert summary.to_string(index=False) in text


def test_bad_profile_or_schedule_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "compare", "--profile", "nope")
    assert "--profile: expected one of au_2024" in err
    err = fails(capsys, "compare", "--rules", "CA", "--n", "50", "--schedule", "nope")
    assert "--schedule: expected one of AU, CA" in err
    # the US schedule charges specific amounts in USD: not usable under CAD rules
    err = fails(capsys, "compare", "--rules", "CA", "--n", "50", "--schedule", "US")
    assert "a schedule in CAD, the currency of CA (US is in USD and has specific amounts)" in err


def test_an_ad_valorem_schedule_holds_in_another_currency() -> None:
    # KR's rules are in USD (its thresholds are), its schedule in KRW with no specific amount:
    # the rates apply as they are.
    text = run("compare", "--rules", "KR", "--n", "200", "--schedule", "KR", "--no-progress")
    assert "MFN rates: schedule KR" in text


def test_rules_show_prints_special_duties() -> None:
    page = run("rules", "show", "BR")
    assert "Duty, special RTS up to USD 50 (cif <= USD 50); when always: flat 0.20" in page
    assert "flat 0.60 less USD 20" in page


def test_out_keeps_decimal_amounts(tmp_path: Path) -> None:
    csv = f"{tmp_path}/c.csv"
    run("compare", "--n", "30", "--out", csv)
    table = pd.read_csv(csv, dtype=str)
    assert len(table) == 4 * 30
    assert "effective_rate" in table.columns
    assert all("." in v for v in table["total"])


def test_every_readme_command_line_example_parses() -> None:
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = text[text.index("## Command line") :]
    block = section[section.index("```bash") : section.index("```\n", 10)]
    commands = block.replace("\\\n", " ").splitlines()[1:]
    parser = build_parser()
    parsed = 0
    for line in commands:
        words = shlex.split(line.split("#")[0])
        if words[:1] != ["lvs-duty"] or words[1:2] in (["--version"], []) or "--help" in words:
            continue
        parser.parse_args(words[1:])
        parsed += 1
    assert parsed >= 10


def test_a_date_outside_the_rules_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "compare", "--rules", "TR", "--n", "10", "--date", "2024-05-01")
    assert "--date: expected a date inside the rules' versions (2024-08-21 to 2026-02-06" in err


def test_a_destination_the_rules_do_not_cover_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = fails(capsys, "compare", "--rules", "EU", "--n", "10", "--destination", "US")
    assert "--destination: expected one of AT, BE" in err
    assert "(the countries EU rules cover), got US" in err
    assert "destination FR" in run("compare", "--rules", "EU", "--n", "10", "--destination", "fr")
