"""Issue 9: every user error of lvs-duty is one clear message and exit status 2, no traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from lvs_duty.cli import main

HEADER = "shipment_id,destination,date,currency,value,duty_rate,ship_from,region\n"


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run lvs-duty expecting a user error: status 2, one 'lvs-duty: error:' message."""
    assert main(list(argv), out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.startswith("lvs-duty: error: "), err
    assert "Traceback" not in err
    return err


def test_missing_shipments_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = fails(capsys, "compare", "--shipments", str(tmp_path / "nope.csv"))
    assert "--shipments: expected an existing CSV file" in err


def test_shipments_is_a_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = fails(capsys, "compare", "--shipments", str(tmp_path))
    assert "--shipments: expected an existing CSV file" in err


def test_shipments_not_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(HEADER.encode() + "1,CA,2026-03-01,CAD,10.00,0,US,ON,\xe9\n".encode("latin-1"))
    err = fails(capsys, "compare", "--shipments", str(path))
    assert "UTF-8" in err


@pytest.mark.parametrize("text", ["", HEADER], ids=["empty", "header-only"])
def test_shipments_without_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(text, encoding="utf-8")
    err = fails(capsys, "compare", "--shipments", str(path))
    assert "at least one shipment row" in err


def test_unwritable_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = fails(capsys, "compare", "--out", str(tmp_path / "no" / "such" / "dir.csv"))
    assert "--out: expected a file path in an existing, writable directory" in err


def test_out_is_a_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = fails(capsys, "compare", "--plot", str(tmp_path))
    assert "--plot: expected a file path" in err


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("6109", "--item expected HS,VALUE[,DUTY_RATE[,QUANTITY]]"),
        ("6109,10.00,0.18,two", "--item expected a whole number as QUANTITY"),
        ("6109,abc", "value: expected a decimal number"),
    ],
)
def test_malformed_item(capsys: pytest.CaptureFixture[str], item: str, message: str) -> None:
    err = fails(capsys, "assess", "--date", "2026-03-01", "--region", "ON", "--item", item)
    assert message in err


@pytest.mark.parametrize("fx", ["abc", "NaN", "-1"])
def test_bad_fx(capsys: pytest.CaptureFixture[str], fx: str) -> None:
    err = fails(
        capsys, "assess", "--currency", "USD", "--fx", fx, "--value", "10", "--region", "ON"
    )
    assert "fx['USD'] expected" in err


def test_negative_seed(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "compare", "--n", "10", "--seed", "-1")
    assert "--seed: expected a whole number >= 0, got '-1'" in err


def test_n_zero_is_refused_not_replaced_by_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "compare", "--n", "0")
    assert "--n: expected a whole number >= 1, got '0'" in err


def test_n_too_large_is_refused_with_the_estimate(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "compare", "--n", str(10**15))
    assert "--n: 1000000000000000 shipments need about" in err
    assert "GB of memory" in err


def test_assess_under_eu_rules_asks_for_the_destination(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = fails(capsys, "assess", "--rules", "EU", "--value", "10", "--date", "2026-03-01")
    assert "--destination: expected one of AT, BE" in err
    out = io.StringIO()
    argv = ["assess", "--rules", "EU", "--destination", "FR", "--value", "10", "--hs", "4901"]
    assert main([*argv, "--date", "2026-03-01", "--duty-rate", "0"], out=out) == 0
    assert "FR 20%" in out.getvalue()


def test_echoed_values_are_shortened_and_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "assess", "--region", "ON", "--value", "1" * 500 + "\x1b[31m")
    assert "\x1b" not in err
    assert len(err) < 300


def test_rules_show_escapes_control_characters(tmp_path: Path) -> None:
    text = Path("data/tariff_categories/sg.toml").read_text(encoding="utf-8")
    path = tmp_path / "evil.toml"
    path.write_text(text.replace('name = "', 'name = "\\u001b[2J', 1), encoding="utf-8")
    out = io.StringIO()
    assert main(["rules", "show", str(path)], out=out) == 0
    assert "\x1b" not in out.getvalue()
    assert "\\x1b[2J" in out.getvalue()


def test_out_csv_neutralises_formulas(tmp_path: Path) -> None:
    shipments = tmp_path / "s.csv"
    shipments.write_text(
        HEADER + '=HYPERLINK("x"),CA,2026-03-01,CAD,100.00,0.18,US,ON\n'
        "@SUM(A1),CA,2026-03-01,CAD,20.00,0.18,US,ON\n",
        encoding="utf-8",
    )
    out_csv = tmp_path / "out.csv"
    argv = ["compare", "--shipments", str(shipments), "--out", str(out_csv)]
    assert main(argv, out=io.StringIO()) == 0
    ids = pd.read_csv(out_csv, dtype=str)["shipment_id"].unique().tolist()
    assert ids == ['\'=HYPERLINK("x")', "'@SUM(A1)"]


def test_compare_without_a_sample_says_what_to_pass(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "compare", "--rules", "EU")
    assert "no bundled sample shipments for EU; pass --shipments FILE.csv" in err


def test_assess_to_a_country_the_rules_do_not_cover(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "assess", "--destination", "DE", "--value", "10", "--region", "ON")
    assert "destination: expected CA (the countries CA rules cover" in err


def test_compare_refuses_blank_shipment_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "blank.csv"
    row = ",CA,2026-03-01,CAD,10.00,0,US,ON\n"
    path.write_text(HEADER + row + row, encoding="utf-8")
    err = fails(capsys, "compare", "--shipments", str(path))
    assert "row 2, column 'shipment_id': expected a shipment id" in err
    assert "row 3, column 'shipment_id': expected a shipment id" in err
