"""The project's own suite uses the kit: every bundled regime passes check_rules.

A regime may meet documented notches (a threshold or ceiling where the charge falls) and the
freight dilution effect; those are reported, never failures. The number of examples per
invariant is the hypothesis profile's ``max_examples`` (25 with HYPOTHESIS_PROFILE=dev, 300
with ci). Random rule sets drawn by ``rule_sets()`` must at least always be assessable.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

import lvs_duty
from lvs_duty import RuleSet
from lvs_duty.options import gea_options
from lvs_duty.strategies import rule_sets
from lvs_duty.testing import FREIGHT_DILUTION, INVARIANTS, check_rules

EXAMPLES = hypothesis_settings.default.max_examples


@pytest.mark.parametrize("code", lvs_duty.available_rules())
def test_bundled_regime_passes_check_rules(code: str) -> None:
    report = check_rules(lvs_duty.load_rules(code), examples=EXAMPLES)
    assert report.ok, str(report)
    assert [r.name for r in report.results] == list(INVARIANTS)
    for notch in report.notches:  # documented exceptions only: a threshold, ceiling or freight
        assert notch == FREIGHT_DILUTION or " threshold " in notch or "ceiling" in notch, notch


@pytest.mark.parametrize("option", ["flat_rate", "category_tariff", "duty_free_vat"])
def test_gea_options_of_canada_pass_check_rules(option: str) -> None:
    rules = gea_options(lvs_duty.load_rules("CA"))[option]
    report = check_rules(
        rules,
        examples=EXAMPLES,
        invariants=[
            "assessable",
            "de_minimis",
            "total_is_sum",
            "monotone_in_value",
            "adding_an_item",
            "rounding",
        ],
    )
    assert report.ok, str(report)


@hypothesis_settings(
    max_examples=max(3, EXAMPLES // 5), suppress_health_check=[HealthCheck.nested_given]
)  # check_rules searches
@given(rule_sets())
def test_random_rule_sets_are_always_assessable(rules: RuleSet) -> None:
    report = check_rules(
        rules, examples=20, invariants=["assessable", "total_is_sum", "non_negative"]
    )
    assert report.ok, str(report)
