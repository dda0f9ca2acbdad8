"""The lvs-duty command: compare, assess, rules list and show."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from lvs_duty.cli import main


def run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


def test_compare_on_the_bundled_sample(tmp_path: Path) -> None:
    csv = tmp_path / "cmp.csv"
    text = run("compare", "--out", str(csv))
    assert "GEA options for Canada (CA), ceiling CAD 150, 24 shipments" in text
    for option in ("baseline", "flat_rate", "category_tariff", "duty_free_vat"):
        assert option in text
    table = pd.read_csv(csv, dtype=str)
    assert len(table) == 4 * 24
    assert set(table["option"]) == {"baseline", "flat_rate", "category_tariff", "duty_free_vat"}


def test_assess_prints_the_explanation() -> None:
    # TC-CA-04: duty 27.00, HST 23.01
    text = run(
        "assess",
        "--rules",
        "CA",
        "--date",
        "2026-03-01",
        "--hs",
        "6109",
        "--value",
        "150.01",
        "--duty-rate",
        "0.18",
        "--ship-from",
        "US",
        "--region",
        "ON",
    )
    assert "Result: duty 27.00 + tax 23.01 + fees 0.00 = total 50.01 CAD" in text
    assert "CUSMA courier, duty" in text


def test_assess_several_items() -> None:
    # 2 lines of 60.00 at 18% from China, AB: duty 21.60; GST (120 + 21.60) x 0.05 = 7.08
    text = run(
        "assess",
        "--rules",
        "CA",
        "--date",
        "2026-03-01",
        "--item",
        "6109,60.00,0.18",
        "--item",
        "6110,60.00,0.18",
        "--ship-from",
        "CN",
        "--region",
        "AB",
    )
    assert "total 28.68 CAD" in text


def test_rules_list_and_show() -> None:
    listing = run("rules", "list")
    assert "CA" in listing
    assert "Canada" in listing
    page = run("rules", "show", "CA", "--date", "2020-06-30")
    assert "In force on 2020-06-30: 2015-04-01 to 2020-07-01 (exclusive)" in page
    assert "CAD 20 remission, duty" in page
    assert "[si-2020-34]" in page
    assert "UNCONFIRMED" in page


def test_errors_exit_with_a_message(capsys: object) -> None:
    assert main(["rules", "show", "ZZ"], out=io.StringIO()) == 2
