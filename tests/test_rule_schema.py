"""Issue 9: the rule-file format as a JSON Schema, and ``lvs-duty rules check FILE``."""

from __future__ import annotations

import datetime as dt
import io
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from lvs_duty.cli import main
from lvs_duty.rules import rule_file_schema

jsonschema = pytest.importorskip("jsonschema")

BUNDLED = sorted(Path("data/tariff_categories").glob("*.toml"))
PUBLISHED = Path("data/tariff_categories/rule-file.schema.json")


def as_json(value: Any) -> Any:
    """A TOML document as a JSON tool sees it: dates and decimals as strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (Decimal, dt.date)):
        return str(value)
    return value


def validator() -> Any:
    return jsonschema.Draft202012Validator(
        rule_file_schema(), format_checker=jsonschema.FormatChecker()
    )


def test_the_published_schema_is_the_generated_one() -> None:
    published = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    assert published == json.loads(json.dumps(rule_file_schema()))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_file_is_valid_under_the_schema(path: Path) -> None:
    data = as_json(tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))
    assert [e.message for e in validator().iter_errors(data)] == []


def test_the_schema_refuses_a_wrong_shape() -> None:
    data = as_json(tomllib.loads(BUNDLED[0].read_text(encoding="utf-8"), parse_float=Decimal))
    data["versions"][0]["thresholds"][0]["inclusive"] = "yes"
    data["versions"][0]["valuation"]["basis"] = "FAS"
    messages = sorted(e.message for e in validator().iter_errors(data))
    assert messages == ["'FAS' is not one of ['FOB', 'CIF']", "'yes' is not of type 'boolean'"]


def test_rules_schema_prints_it() -> None:
    out = io.StringIO()
    assert main(["rules", "schema"], out=out) == 0
    assert json.loads(out.getvalue())["title"] == "lvs_duty rule file"


def test_rules_check_a_good_file() -> None:
    out = io.StringIO()
    argv = ["rules", "check", "data/tariff_categories/sg.toml", "--examples", "3"]
    assert main(argv, out=out) == 0
    text = out.getvalue()
    assert "data/tariff_categories/sg.toml: loads and validates (" in text
    assert "check_rules SG:" in text
    assert ": OK" in text


def test_rules_check_a_bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = BUNDLED[0].read_text(encoding="utf-8").replace('currency = "', 'currency = "X', 1)
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["rules", "check", str(path)], out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lvs-duty: error: {path}: currency: expected an ISO 4217 currency code")
