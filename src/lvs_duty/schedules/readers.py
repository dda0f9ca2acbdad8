"""Readers for the tariff downloads users already have: USITC HTS, WITS/TRAINS, UK Trade Tariff.

Each reader turns a download into a :class:`Schedule` through the same validation as a
schedule file. A row whose rate cannot be read exactly is reported by row, never guessed: with
``errors="raise"`` (the default) one ScheduleFileError lists every such row; with
``errors="flag"`` those rows are left out and listed in :attr:`Reading.problems`.

Formats, from their public documentation:

* USITC HTS export (hts.usitc.gov, "Export" as JSON or CSV): one row per HTS line, the
  ``general`` / ``General Rate of Duty`` text in the USITC's notation. A 10-digit statistical
  line prints no rate and inherits its 8-digit line's rate, which the schedule's longest-prefix
  lookup does by itself; rows without a rate (headings, statistical lines) are skipped.
* WITS/TRAINS tariff export (wits.worldbank.org): one row per HS6 product, rates in percent.
  An HS6 average is a rate only where every national line shares it (minimum = maximum) and
  none is a non-ad-valorem duty; any other row is reported.
* UK Trade Tariff commodities API (``/api/v2/commodities/{code}``, JSON:API): the measure of
  type 103 (third-country duty) and its duty expression's ``base`` text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from ..errors import ArgumentError, Problem
from .model import Schedule, ScheduleFileError
from .rates import RateTextError, parse_uk, parse_usitc

Errors = Literal["raise", "flag"]
PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class Reading:
    """A schedule read from a download, and the rows left out (only with ``errors="flag"``)."""

    schedule: Schedule
    problems: tuple[Problem, ...] = ()


class _Collector:
    """Lines and problems gathered row by row, with duplicate HS codes caught at their row."""

    def __init__(self, file: str, function: str, errors: str) -> None:
        if errors not in ("raise", "flag"):
            raise ArgumentError(function, "errors", "'raise' or 'flag'", errors)
        self.file, self.errors = file, errors
        self.lines: list[dict[str, Any]] = []
        self.problems: list[Problem] = []
        self._rows: dict[str, str] = {}
        self._conflicts: set[str] = set()

    def add(self, row: str, field: str, hs: str, description: str, read: Any) -> None:
        """Add one line read from ``row``; ``read`` is a callable giving its rate fields."""
        if not (hs.isascii() and hs.isdigit() and 4 <= len(hs) <= 10):
            self.problems.append(Problem(row, "hs", "an HS code of 4 to 10 digits", repr(hs)))
            return
        if hs in self._rows:
            self.problems.append(
                Problem(
                    row,
                    "hs",
                    f"one row per HS code; {hs} is already {self._rows[hs]} (both left out)",
                    hs,
                )
            )
            self._conflicts.add(hs)
            return
        try:
            fields = read()
        except RateTextError as exc:
            where = exc.args[2] if len(exc.args) > 2 else field
            self.problems.append(Problem(row, where, exc.args[0], _got(exc)))
            return
        self._rows[hs] = row
        self.lines.append({"hs": hs, "description": description, **fields, "source": "export"})

    def kept_lines(self) -> list[dict[str, Any]]:
        """The lines read, less every HS code given twice (a conflict is never settled by guess)."""
        return [line for line in self.lines if line["hs"] not in self._conflicts]

    def finish(self, header: Mapping[str, Any], versions: list[dict[str, Any]]) -> Reading:
        """Raise every problem (errors='raise') or keep them; validate the schedule."""
        if self.problems and self.errors == "raise":
            raise ScheduleFileError(self.file, self.problems)
        for version in versions:
            version["lines"] = [ln for ln in version["lines"] if ln["hs"] not in self._conflicts]
        if not any(v["lines"] for v in versions):
            raise ScheduleFileError(
                self.file, [*self.problems, Problem("", "", "at least one row with a rate", "none")]
            )
        data = {**header, "versions": [v for v in versions if v["lines"]]}
        return Reading(Schedule.build(data, file=self.file), tuple(self.problems))


def _got(exc: RateTextError) -> str:
    return repr(exc.args[1]) if len(exc.args) > 1 else ""


def _rate(parse: Any, text: str, *args: Any) -> Any:
    def read() -> Any:
        try:
            return parse(text, *args)
        except RateTextError as exc:
            raise RateTextError(str(exc), text) from None

    return read


def _text(path: PathLike) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ArgumentError("read", "path", "an existing file", str(path)) from None
    except UnicodeDecodeError as exc:
        raise ScheduleFileError(str(path), [Problem("", "", "UTF-8 text", str(exc))]) from None


def _json(path: PathLike) -> Any:
    try:
        return json.loads(_text(path))
    except json.JSONDecodeError as exc:
        raise ScheduleFileError(str(path), [Problem("", "", "valid JSON", str(exc))]) from None


def _csv_rows(
    path: PathLike, required: Sequence[Sequence[str]]
) -> tuple[list[dict[str, str]], list[str]]:
    """The rows of a CSV file, and for each required column the header name it goes by."""
    reader = csv.DictReader(io.StringIO(_text(path)))
    header = reader.fieldnames or []
    names, missing = [], []
    for aliases in required:
        found = next((a for a in aliases if a in header), None)
        if found is None:
            missing.append(" or ".join(repr(a) for a in aliases))
        names.append(found or "")
    if missing:
        raise ScheduleFileError(
            str(path), [Problem("header", "", f"a column {m}", ", ".join(header)) for m in missing]
        )
    return list(reader), names


def _sources(title: str, url: str, accessed: dt.date | None) -> dict[str, Any]:
    source: dict[str, Any] = {"title": title, "url": url}
    if accessed is not None:
        source["accessed"] = accessed
    return {"export": source}


# -- USITC HTS -------------------------------------------------------------------------------


def read_hts(
    path: PathLike,
    *,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    edition: str = "",
    errors: Errors = "raise",
) -> Reading:
    """A US schedule from a USITC HTS export (JSON or CSV), General (column 1) rates.

    ``valid_from`` is when the HTS edition took effect (the export does not say); ``edition``
    names it in the source (``"2026 Revision 3"``).
    """
    file = str(path)
    collector = _Collector(file, "read_hts", errors)
    if file.lower().endswith(".json"):
        rows = _json(path)
        if not isinstance(rows, list):
            raise ScheduleFileError(
                file, [Problem("", "", "a JSON array of HTS rows", type(rows).__name__)]
            )
        keys, where = ("htsno", "general", "description"), "rows[{i}]"
        start = 0
    else:
        rows, names = _csv_rows(path, [["HTS Number"], ["General Rate of Duty"], ["Description"]])
        keys, where = (names[0], names[1], names[2]), "line {i}"
        start = 2  # the header is line 1
    for i, row in enumerate(rows, start=start):
        if not isinstance(row, Mapping):
            collector.problems.append(Problem(where.format(i=i), "", "an object", repr(row)))
            continue
        number = str(row.get(keys[0]) or "").strip()
        general = str(row.get(keys[1]) or "").strip()
        if not number or not general:
            continue  # a heading, or a statistical line inheriting its 8-digit rate
        hs = number.replace(".", "").replace(" ", "")
        label = f"{where.format(i=i)} ({number})"
        description = str(row.get(keys[2]) or "").strip()
        collector.add(label, keys[1], hs, description, _rate(parse_usitc, general))
    title = "Harmonized Tariff Schedule of the United States" + (f", {edition}" if edition else "")
    header = {
        "code": "US",
        "name": f"United States: HTS general rates ({Path(file).name})",
        "currency": "USD",
        "nomenclature": "HTSUS",
        "coverage": f"Every HTS line of {Path(file).name} with a General rate read exactly.",
        "sources": _sources(f"{title} (USITC export)", "https://hts.usitc.gov/", None),
    }
    version = {"valid_from": valid_from, "valid_to": valid_to, "lines": collector.lines}
    return collector.finish(header, [version])


# -- WITS / TRAINS ---------------------------------------------------------------------------

_WITS_COLUMNS = [
    ["ProductCode", "Product"],
    ["Year", "Tariff Year"],
    ["Min_Rate", "Minimum Rate"],
    ["Max_Rate", "Maximum Rate"],
]


def _percent(text: str, column: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise RateTextError("a rate in percent", text, column) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise RateTextError("a rate in percent between 0 and 100", text, column)
    return value


def read_wits(
    path: PathLike,
    *,
    code: str,
    currency: str,
    duty_type: str = "MFN",
    partner: str | None = None,
    errors: Errors = "raise",
) -> Reading:
    """A schedule of HS6 ad valorem rates from a WITS/TRAINS tariff export (CSV).

    Reads the bulk download columns (``ProductCode``, ``Year``, ``Min_Rate``, ``Max_Rate``,
    ``Nbr_NA_Lines``, ``Partner``) or the query result's (``Product``, ``Tariff Year``,
    ``Minimum Rate``, ``Maximum Rate``, ``Duty Type``, ``Partner``). Each tariff year becomes a
    version over that calendar year. With a ``Duty Type`` column, only rows of ``duty_type``
    (``MFN``, ``PRF``, ``AHS``, ``BND``) are read; ``partner`` keeps one partner's rows.
    """
    file = str(path)
    collector = _Collector(file, "read_wits", errors)
    if duty_type != "MFN" and partner is None:
        raise ArgumentError(
            "read_wits", "partner", f"the partner whose {duty_type} rates to read", None
        )
    rows, names = _csv_rows(path, _WITS_COLUMNS)
    product, year_col, low_col, high_col = names
    header_row = rows[0] if rows else {}
    type_col = next((c for c in ("Duty Type", "DutyType") if c in header_row), None)
    na_col = next((c for c in ("Nbr_NA_Lines",) if c in header_row), None)
    by_year: dict[int, _Collector] = {}
    for i, row in enumerate(rows, start=2):
        if type_col is not None and row[type_col].strip() != duty_type:
            continue
        if partner is not None and "Partner" in row and row["Partner"].strip() != partner:
            continue
        hs = row[product].strip()
        hs = hs.zfill(6) if len(hs) == 5 and hs.isdigit() else hs  # a lost leading zero
        label = f"line {i} ({hs})"
        try:
            year = int(row[year_col].strip())
        except ValueError:
            collector.problems.append(Problem(label, year_col, "a year", repr(row[year_col])))
            continue
        target = by_year.setdefault(year, _Collector(file, "read_wits", errors))

        def read(row: dict[str, str] = row) -> dict[str, Any]:
            if na_col is not None and row[na_col].strip() not in ("", "0"):
                raise RateTextError(
                    f"no non-ad-valorem national line ({na_col} = 0): WITS cannot state a "
                    "specific duty as a rate",
                    row[na_col],
                    na_col,
                )
            low = _percent(row[low_col], low_col)
            high = _percent(row[high_col], high_col)
            if low != high:
                raise RateTextError(
                    f"one rate for the subheading ({low_col} = {high_col}); its national lines "
                    f"run from {low}% to {high}%, and an average is no line's rate",
                    f"{low}..{high}",
                )
            return {"ad_valorem": low.scaleb(-2)}

        target.add(label, high_col, hs, "", read)
    versions = []
    for year in sorted(by_year):
        collector.problems.extend(by_year[year].problems)
        versions.append(
            {
                "valid_from": dt.date(year, 1, 1),
                "valid_to": dt.date(year + 1, 1, 1),
                "lines": by_year[year].kept_lines(),
            }
        )
    header = {
        "code": code,
        "name": f"{code}: {duty_type} rates by HS6 from WITS/TRAINS ({Path(file).name})",
        "currency": currency,
        "coverage": f"The HS6 products of {Path(file).name} with one ad valorem rate.",
        "sources": _sources(
            f"WITS/TRAINS tariff export {Path(file).name}", "https://wits.worldbank.org/", None
        ),
    }
    return collector.finish(header, versions or [{"valid_from": dt.date.min, "lines": []}])


# -- UK Trade Tariff -------------------------------------------------------------------------


def _documents(source: PathLike | Iterable[PathLike]) -> list[tuple[str, Any]]:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        paths = sorted(path.glob("*.json")) if path.is_dir() else [path]
    else:
        paths = [Path(p) for p in source]
    documents = []
    for path in paths:
        data = _json(path)
        for i, document in enumerate(data if isinstance(data, list) else [data]):
            documents.append(
                (f"{path.name}[{i}]" if isinstance(data, list) else path.name, document)
            )
    return documents


def _third_country_base(document: Any) -> tuple[str, str, str]:
    """The commodity code, its description and the base text of its measure of type 103."""
    if not isinstance(document, Mapping) or not isinstance(document.get("data"), Mapping):
        raise RateTextError("a commodities API response with 'data' and 'included'", "")
    attributes = document["data"].get("attributes") or {}
    code = str(attributes.get("goods_nomenclature_item_id") or "")
    description = str(attributes.get("description") or "")
    included = [x for x in document.get("included") or [] if isinstance(x, Mapping)]
    by_id = {(x.get("type"), str(x.get("id"))): x for x in included}
    bases = set()
    for item in included:
        if item.get("type") != "measure":
            continue
        links = item.get("relationships") or {}
        kind = ((links.get("measure_type") or {}).get("data") or {}).get("id")
        if str(kind) != "103":
            continue
        ref = (links.get("duty_expression") or {}).get("data") or {}
        expression = by_id.get(("duty_expression", str(ref.get("id"))), {})
        bases.add(str((expression.get("attributes") or {}).get("base") or ""))
    if len(bases) != 1:
        raise RateTextError(
            "exactly one third-country duty (a measure of type 103 with a duty expression)",
            ", ".join(sorted(bases)) or "none",
        )
    return code, description, bases.pop()


def read_uk_tariff(
    source: PathLike | Iterable[PathLike],
    *,
    valid_from: dt.date,
    accessed: dt.date | None = None,
    errors: Errors = "raise",
) -> Reading:
    """A GB schedule of third-country duties from UK Trade Tariff commodities API responses.

    ``source`` is one JSON file (one response, or an array of them), a directory of them, or
    a list of paths. ``valid_from`` is the date the responses describe (the API answers for
    the day it is asked).
    """
    collector = _Collector(str(source), "read_uk_tariff", errors)
    for label, document in _documents(source):
        try:
            code, description, base = _third_country_base(document)
        except RateTextError as exc:
            data = document.get("data") if isinstance(document, Mapping) else None
            attributes = (data.get("attributes") or {}) if isinstance(data, Mapping) else {}
            code = str(attributes.get("goods_nomenclature_item_id") or "")
            where = f"{label} ({code})" if code else label
            collector.problems.append(Problem(where, "included", exc.args[0], _got(exc)))
            continue
        collector.add(
            f"{label} ({code})", "duty_expression.base", code, description, _rate(parse_uk, base)
        )
    header = {
        "code": "GB",
        "name": "United Kingdom: third-country duties from the UK Trade Tariff",
        "currency": "GBP",
        "nomenclature": "UK commodity codes",
        "coverage": "The commodity codes of the responses read, each with its measure type 103.",
        "sources": _sources(
            "UK Trade Tariff commodities API, measure type 103 (third-country duty)",
            "https://www.trade-tariff.service.gov.uk/api/v2/commodities",
            accessed,
        ),
    }
    return collector.finish(header, [{"valid_from": valid_from, "lines": collector.lines}])


__all__ = ["Errors", "Reading", "read_hts", "read_uk_tariff", "read_wits"]
