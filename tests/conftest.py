"""Shared fixtures: the bundled rule sets, loaded once per session."""

from __future__ import annotations

import pytest

import lvs_duty
from lvs_duty import RuleSet


@pytest.fixture(scope="session")
def ca() -> RuleSet:
    return lvs_duty.load_rules("CA")


@pytest.fixture(scope="session")
def au() -> RuleSet:
    return lvs_duty.load_rules("AU")


@pytest.fixture(scope="session")
def sg() -> RuleSet:
    return lvs_duty.load_rules("SG")
