"""The catalogue of broken rule files: one file per failure mode, each message checked.

Every message must name the file, the row (by its key where it has one), the field, what was
expected and what was found.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import lvs_duty
from lvs_duty import RuleFileError, UnknownRulesError

BAD = Path(__file__).parent / "data" / "bad_rules"

CATALOGUE = {
    "bad_hs_prefix": "versions[1] (from 2026-01-01).duty.general.categories[1] ('textiles')"
    ".hs_prefixes[1]: expected an HS chapter, heading or subheading of 2 to 10 digits, got '6x'",
    "bad_relief": "versions[0] (from 2025-01-01).thresholds[0] ('de minimis').relief: "
    "expected 'exempt' or 'sale', got 'waived'",
    "bad_rounding_mode": "versions[0] (from 2025-01-01).rounding.mode: expected 'ROUND_HALF_UP'",
    "default_not_a_category": "versions[1] (from 2026-01-01).duty.general.default: expected one "
    "of the category names (general, textiles), got 'clothing'",
    "gap_between_versions": "versions[1] (from 2026-02-01).valid_from: expected 2026-01-01: "
    "it leaves a gap after versions[0], which runs to 2026-01-01 (exclusive)",
    "missing_inclusive": "versions[0] (from 2025-01-01).thresholds[0] ('de minimis').inclusive: "
    "expected a value (this field is required)",
    "negative_threshold": "versions[0] (from 2025-01-01).thresholds[0] ('de minimis').amount: "
    "expected a non-negative decimal amount, got '-150'",
    "no_source": "versions[0] (from 2025-01-01).duty.general.source: expected a value",
    "not_toml": "expected valid TOML, got Expected ']' at the end of a table declaration "
    "(at line 5",
    "open_version_not_last": "versions[0] (from 2025-01-01).valid_to: expected a closing date, "
    "since versions[1] follows it",
    "overlapping_versions": "versions[1] (from 2025-06-01).valid_from: expected 2026-01-01: "
    "it overlaps versions[0], which runs to 2026-01-01 (exclusive)",
    "percent_rate": "versions[0] (from 2025-01-01).tax.rate: expected a decimal between 0 and 1,"
    " got '20%'",
    "rate_above_one": "versions[1] (from 2026-01-01).duty.general.categories[1] ('textiles')"
    ".rate: expected a decimal between 0 and 1, got '18'",
    "tax_without_rate": "versions[0] (from 2025-01-01).tax.rate: expected a rate, or rates with "
    "a rate_key",
    "unknown_currency": "currency: expected an ISO 4217 currency code",
    "unknown_key": "versions[0] (from 2025-01-01).thresholds[0] ('de minimis').included: "
    "expected no such field (unknown key; check its spelling)",
    "unknown_method_kind": "versions[0] (from 2025-01-01).duty.general: expected kind to be one "
    "of 'mfn', 'free', 'flat', 'categories', 'rate_bands', got 'mfm'",
    "unknown_source": "versions[0] (from 2025-01-01).duty.general.source: expected an id "
    "defined under [sources] (law), got 'lawbook'",
    "valid_to_before_from": "versions[0] (from 2025-01-01).valid_to: expected valid_to after "
    "valid_from; cannot have valid_to=2024-01-01 <= valid_from=2025-01-01",
}


def test_every_broken_file_is_catalogued() -> None:
    on_disk = {p.stem for p in BAD.glob("*.toml")} - {"many_problems"}
    assert on_disk == set(CATALOGUE)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_message_names_file_row_and_field(name: str) -> None:
    path = BAD / f"{name}.toml"
    with pytest.raises(RuleFileError) as caught:
        lvs_duty.load_rules(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert CATALOGUE[name] in message
    assert isinstance(caught.value, ValueError)
    assert caught.value.file == str(path)
    # the error survives pickling intact (multiprocessing users see the same message)
    assert str(pickle.loads(pickle.dumps(caught.value))) == message


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(RuleFileError) as caught:
        lvs_duty.load_rules(BAD / "many_problems.toml")
    fields = {(p.field, p.got) for p in caught.value.problems}
    assert ("amount", "'-1'") in fields
    assert ("rate", "'2'") in fields
    assert ("rate", "'x'") in fields
    assert "3 problems" in str(caught.value)


def test_rule_set_built_in_code_goes_through_the_same_validation() -> None:
    with pytest.raises(RuleFileError, match=r"<in code>: .*currency: expected an ISO 4217"):
        lvs_duty.RuleSet.build({"code": "X", "name": "x", "currency": "XXX", "versions": []})


def test_unknown_bundled_code_lists_what_exists() -> None:
    with pytest.raises(
        UnknownRulesError,
        match=r"'ZZ' is neither a bundled regime nor an "
        r"existing file; expected one of .*CA",
    ):
        lvs_duty.load_rules("ZZ")
    with pytest.raises(LookupError):
        lvs_duty.load_rules("no/such/file.toml")


def test_user_file_loads_like_a_bundled_one(tmp_path: Path) -> None:
    text = (BAD.parent.parent.parent / "data" / "tariff_categories" / "au.toml").read_text()
    mine = tmp_path / "my_au.toml"
    mine.write_text(text)
    assert lvs_duty.load_rules(mine) == lvs_duty.load_rules("AU")
