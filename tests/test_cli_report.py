"""`lvs-duty report`: one self-contained HTML file, parsed back."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lvs_duty.cli import main
from lvs_duty.report import SECTIONS

pytest.importorskip("matplotlib")


class _Page(HTMLParser):
    """Section ids, embedded images and the title of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and found.get("id"):
            self.sections.append(str(found["id"]))
        if tag == "img":
            self.images.append(str(found.get("src", "")))
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def test_report_writes_a_self_contained_html_file(tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    out = io.StringIO()
    argv = ["report", "--rules", "CA", "--n", "300", "--seed", "2", "--date", "2026-03-01"]
    assert main([*argv, "--cost-parcel", "0.25", "--out", str(page_file)], out=out) == 0
    assert f"wrote {page_file}" in out.getvalue()
    text = page_file.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    # no uncertainty or behaviour section unless asked for
    assert page.sections == [s for s in SECTIONS if s not in ("uncertainty", "behaviour")]
    assert page.title == "Canada: policy options compared"
    assert len(page.images) >= 3
    assert all(src.startswith("data:image/png;base64,") for src in page.images)
    assert "seed 2" in text
    assert "CAD 0.25 per parcel processed" in text


def test_report_needs_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--rules", "CA"], out=io.StringIO()) == 2
    assert "--out" in capsys.readouterr().err


def test_report_with_seeds_adds_intervals(tmp_path: Path) -> None:
    page_file = tmp_path / "mx.html"
    argv = ["report", "--rules", "MX", "--n", "200", "--seeds", "3", "--out", str(page_file)]
    assert main(argv, out=io.StringIO()) == 0
    page = _Page()
    page.feed(page_file.read_text(encoding="utf-8"))
    assert "uncertainty" in page.sections


def test_seeds_need_synthetic_parcels(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sample = str(Path(__file__).resolve().parents[1] / "data" / "samples" / "ca_shipments.csv")
    argv = ["report", "--shipments", sample, "--seeds", "3", "--out", str(tmp_path / "r.html")]
    assert main(argv, out=io.StringIO()) == 2
    assert "--seeds: expected synthetic parcels" in capsys.readouterr().err


def _uncertainty_rows(text: str) -> list[str]:
    """The body rows of the report's uncertainty table."""
    part = text[text.index('<section id="uncertainty"') :]
    part = part[: part.index("</table>")]
    return part.split("<tr>")[2:]


def test_report_with_bootstrap_resamples_any_parcels(tmp_path: Path) -> None:
    # --seeds needs synthetic parcels; --bootstrap resamples the parcels given, a file too
    sample = str(Path(__file__).resolve().parents[1] / "data" / "samples" / "ca_shipments.csv")
    page_file = tmp_path / "boot.html"
    argv = ["report", "--shipments", sample, "--bootstrap", "20", "--level", "0.8"]
    assert main([*argv, "--out", str(page_file)], out=io.StringIO()) == 0
    text = page_file.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert "uncertainty" in page.sections
    rows = _uncertainty_rows(text)
    assert rows
    assert all(row.endswith("<td>20</td></tr>") for row in rows[:-1])  # draws
    # figures in words; a count is shown as a count (whole, or a half as a median of 20 draws)
    charged = rows[0].split("<td>")[1:]
    assert charged[:2] == ["Current rules (CA)</td>", "Shipments charged</td>"]
    assert all(cell[:-5].replace(".5", "").isdigit() for cell in charged[2:5]), charged
    assert "<th>Net revenue</th>" in text


def test_report_on_a_calibrated_profile_with_bootstrap(tmp_path: Path) -> None:
    # Found while using --bootstrap: report --profile refused the profile's own weight column
    # ("unknown column") when listing the parcels; the weight is for compare (annual totals).
    page_file = tmp_path / "eu.html"
    argv = ["report", "--rules", "EU", "--profile", "eu_2024", "--n", "300", "--bootstrap", "5"]
    assert main([*argv, "--out", str(page_file)], out=io.StringIO()) == 0
    text = page_file.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert "uncertainty" in page.sections
    assert "<th>Revenue per year</th>" in text
    assert all(row.endswith("<td>5</td></tr>") for row in _uncertainty_rows(text)[:-1])


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--seeds", "3", "--bootstrap", "5"], "--seeds and --bootstrap: expected one of them"),
        (["--level", "0.8"], "--level: expected with --seeds or --bootstrap"),
        (["--bootstrap", "5", "--level", "0.9x"], "level"),
        (["--bootstrap", "5", "--level", "1"], "a share strictly between 0 and 1"),
    ],
)
def test_interval_flags_are_checked(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    argv = ["report", "--n", "40", *flags, "--out", str(tmp_path / "r.html")]
    assert main(argv, out=io.StringIO()) != 0
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_report_flags_for_breakdowns_bands_and_response(tmp_path: Path) -> None:
    page_file = tmp_path / "b.html"
    argv = ["report", "--n", "60", "--bands", "20,40,150", "--by", "value_band,mode"]
    argv += ["--bunching", "0.5", "--sweep", "0,75,150,300", "--out", str(page_file)]
    assert main(argv, out=io.StringIO()) == 0
    text = page_file.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert "behaviour" in page.sections
    assert "<h3>By value band</h3><" in text
    assert "<h3>By mode</h3>" in text
    assert "<h3>By ship from</h3>" not in text
    assert "50% of parcels in a dominated band bunch at the notch" in text
    sweep = text[text.index('<section id="threshold"') :]
    sweep = sweep[: sweep.index("</table>")]
    assert sweep.count("<tr>") == 1 + 4  # the header and the four thresholds asked for


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [
        ("--bunching", "2", "--bunching: expected a share between 0 and 1, got '2'"),
        ("--bands", "40,20", "--bands: expected increasing amounts separated by commas"),
        ("--sweep", "a,b", "--sweep: expected increasing amounts separated by commas"),
        ("--by", "region", "--by: expected keys from value_band, ship_from, mode, hs_chapter"),
    ],
)
def test_bad_report_flags_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flag: str, value: str, said: str
) -> None:
    assert main(["report", flag, value, "--out", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert said in err
    assert not (tmp_path / "x.html").exists()
