"""Issue 9: a mutation harness that stays. Every hostile rule file or shipment table ends in a
correct assessment or an LvsDutyError: never another exception, never a disagreement.

Rule files: every bundled file, mutated (a value swapped for a hostile one, a line dropped or
doubled, nesting, bad bytes, truncation). Tables: the bundled sample, a cell swapped for a
hostile value of another type, a row doubled, a column renamed. Whatever loads is assessed on
both paths, which must agree shipment by shipment.

Bounded and deterministic: 500 examples per test under the ``ci`` profile (derandomized, no
database; about 15 s for both here), 25 under ``dev``; FUZZ_EXAMPLES overrides. Each example
is a handful of shipments.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal as D
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lvs_duty
from lvs_duty import LvsDutyError, RuleSet, assess, frame_to_shipments, loads_rules
from lvs_duty.frame import AMOUNTS, assess_frame, to_decimal_frame

CI = (os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")) == "ci"
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "500" if CI else "25")),
    deadline=None,
    database=None,
    derandomize=CI,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

RULE_FILES = {
    p.stem: p.read_text(encoding="utf-8")
    for p in sorted(Path("data/tariff_categories").glob("*.toml"))
}
SAMPLE = pd.read_csv("data/samples/ca_shipments.csv", dtype=str, keep_default_na=False)

HOSTILE_TOML = [
    '"1e30"', "-1", "true", "[]", "{}", '"ZZ"', '"cn"', '"NaN"', "1.5", "0",
    '"0.123456789012345678901"', '"\\u0000"', '"\\u001b[2J"', '"😀"', '["on", "ZZZZ"]',
    "[[[[[[[[[[1]]]]]]]]]]", '"2026-13-45"', "2026-02-30", '"000000"', '"7700"', '""', "1e400",
    '{ a = { b = { c = 1 } } }', '"' + "9" * 80 + '"',
]  # fmt: skip

HOSTILE_CELLS: list[object] = [
    None, "", 200.0, 1.5, True, 0, -1, 10**20, 10**70, "1e17", "1E+999999", "NaN", "abc",
    D("NaN"), D("-5"), D("0.001"), D("123.456789"), "ZZ", "cn", "on", "ONT", "0N", "\x1b[2J",
    "=cmd()", "000000", "7700", "2026-13-45", dt.date(1900, 1, 1), "9" * 80, [1, 2],
    "\ud800", "ＣＡ", "６１０９", "１２.５", "\ufeff10.00", {"a": 1}, b"CA",
]  # fmt: skip


@st.composite
def mutated_rule_files(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(RULE_FILES)))
    lines = RULE_FILES[name].splitlines()
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["value", "value", "value", "drop", "double", "nest"]))
        if kind == "value" and "=" in lines[at]:
            key = lines[at].split("=", 1)[0]
            lines[at] = f"{key}= {draw(st.sampled_from(HOSTILE_TOML))}"
        elif kind == "drop":
            del lines[at]
        elif kind == "double":
            lines.insert(at, lines[at])
        elif kind == "nest":
            depth = draw(st.integers(1, 60))
            lines.insert(at, "deep = " + "[" * depth + "]" * depth)
        lines = lines or [""]
    text = "\n".join(lines)
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    if draw(st.integers(0, 9)) == 0:  # encodings: a BOM, a NUL, a lone surrogate, odd scripts
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + draw(st.sampled_from(["\ufeff", "\x00", "\udcff", "ＣＡ", "١٢"]))
            + text[at:]
        )
    return name, text


def shipments_for(rules: RuleSet) -> pd.DataFrame:
    """The CA sample, sent to a country the rules cover, in their currency."""
    frame = SAMPLE.head(8).copy()
    version = rules.versions[-1]
    covered = lvs_duty.rules.covered_destinations(rules, version)
    frame["destination"] = sorted(covered)[0] if covered else "CA"
    frame["currency"] = rules.currency
    frame["date"] = str(max(version.valid_from, dt.date(2020, 1, 1)))
    frame["value"] = "10" if rules.currency in ("JPY", "KRW", "CLP", "ISK", "VND") else "10.00"
    frame["shipping"] = "0"
    return frame


def agree(frame: pd.DataFrame, rules: RuleSet) -> None:
    """Both paths: each shipment assessed alike, or refused with an LvsDutyError on both."""
    try:
        result = assess_frame(frame, rules, errors="flag")
    except LvsDutyError:
        try:
            for shipment in frame_to_shipments(frame):
                assess(shipment, rules)
        except LvsDutyError:
            return  # a whole-table problem (a header, a repeated column): refused on both
        raise AssertionError("the frame path refused a table the list path assessed") from None
    ids = [i for i in dict.fromkeys(map(_key, frame["shipment_id"])) if i is not None]
    shown = to_decimal_frame(result)
    keys = [_key(v) for v in shown["shipment_id"]]
    # nothing dropped, merged or reordered: each id once, in order of first appearance; rows
    # without a usable id come back as refused shipments of their own
    assert [k for k in keys if k is not None] == ids
    for position, shipment_id in enumerate(keys):
        if shipment_id is None:
            assert shown.iloc[position]["status"] == "error"
            continue
        row = shown.iloc[position]
        rows = frame[[_key(v) == shipment_id for v in frame["shipment_id"]]]
        try:
            (shipment,) = frame_to_shipments(rows)
            expected = assess(shipment, rules)
        except LvsDutyError:
            assert row["status"] == "error", f"{shipment_id}: scalar refused, frame did not"
            continue
        if row["status"] == "error" and "int64" in row["error"]:
            continue  # documented: the frame path sends a shipment beyond int64 to assess
        assert row["status"] == "ok", f"{shipment_id}: {row['error']}"
        for name in AMOUNTS:
            assert row[name] == getattr(expected, name), (shipment_id, name)


def _key(value: object) -> object:
    """A shipment id as both paths group it: missing markers and unhashable cells are no id."""
    try:
        hash(value)
    except TypeError:
        return None
    if value is None or value == "" or (isinstance(value, (float, D)) and value != value):
        return None
    if isinstance(value, str) and value.encode("utf-8", "replace") != value.encode(
        "utf-8", "surrogatepass"
    ):
        return None  # a lone surrogate is no id
    return value


@FUZZ
@given(mutated_rule_files())
def test_mutated_rule_files_load_or_fail_by_name(case: tuple[str, str]) -> None:
    name, text = case
    try:
        rules = loads_rules(text, file=f"{name}.toml")
    except LvsDutyError as exc:
        message = str(exc)
    else:
        agree(shipments_for(rules), rules)
        return
    assert message.startswith(f"{name}.toml: ")


@st.composite
def mutated_tables(draw: st.DrawFn) -> pd.DataFrame:
    frame = SAMPLE.head(draw(st.integers(1, 10))).astype(object).copy()
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "double", "rename"]))
        if kind == "cell":
            row = draw(st.integers(0, len(frame) - 1))
            column = draw(st.integers(0, frame.shape[1] - 1))
            frame.iat[row, column] = draw(st.sampled_from(HOSTILE_CELLS))
        elif kind == "double":
            row = draw(st.integers(0, len(frame) - 1))
            frame = pd.concat([frame, frame.iloc[[row]]], ignore_index=True)
        else:
            column = draw(st.sampled_from(list(frame.columns)))
            frame = frame.rename(columns={column: draw(st.sampled_from(["value", "Value", "x"]))})
    return frame


@FUZZ
@given(mutated_tables())
def test_mutated_tables_are_assessed_alike_or_refused_by_name(frame: pd.DataFrame) -> None:
    agree(frame, CA)


CA = lvs_duty.load_rules("CA")


def test_the_harness_sees_a_real_assessment() -> None:
    # the sample's first parcel: 18.50 CAD T-shirt from the US, under every threshold: nothing
    frame = SAMPLE.head(1)
    result = assess_frame(frame, CA)
    assert result["total_minor"].tolist() == [0]
    agree(frame, CA)
