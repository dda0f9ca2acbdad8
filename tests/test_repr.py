"""Rule sets and the GEA options print in one line (notebooks showed 16 KB of fields)."""

from __future__ import annotations

from lvs_duty import load_rules
from lvs_duty.options import gea_options


def test_rule_set_repr_is_one_line() -> None:
    rules = load_rules("CA")
    assert (
        repr(rules) == "RuleSet(code='CA', name='Canada', currency='CAD', versions=3, 2015-04-01..)"
    )
    assert str(rules) == "code='CA' name='Canada' currency='CAD' versions=3 2015-04-01.."


def test_a_closed_history_shows_its_end() -> None:
    assert repr(load_rules("US_POSTAL_SPECIFIC")).endswith("versions=2, 2025-05-02..2026-02-24)")


def test_version_repr_is_its_period_and_label() -> None:
    first = load_rules("CA").versions[0]
    assert repr(first) == (
        "RuleVersion(2015-04-01..2020-07-01, label='CAD 20 for all courier and postal imports')"
    )


def test_gea_options_repr_is_four_short_lines() -> None:
    shown = repr(gea_options(load_rules("CA")))
    assert len(shown) < 500
    assert "RuleSet(code='CA+vat', name='Canada: GEA option 3" in shown


def test_equality_and_hash_are_untouched() -> None:
    assert load_rules("CA") == load_rules("CA")
    assert hash(load_rules("CA")) == hash(load_rules("CA"))
