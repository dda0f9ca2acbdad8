"""Shared fixtures: the bundled rule sets, loaded once per session; hypothesis profiles.

Hypothesis profiles, chosen by the HYPOTHESIS_PROFILE environment variable (default "ci" where
the CI environment variable is set, as .ci/run and most CI services do, else "dev"):
"ci" draws 300 examples per property with no deadline and no example database, large enough
to mean something; "dev" draws 25 and stays quick. Tests that set their own ``max_examples``
keep it. ``check_rules`` runs in the suite read the profile's ``max_examples``.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

import lvs_duty
from lvs_duty import RuleSet

settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,  # CI draws the same examples every run: a red run is reproducible
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


@pytest.fixture(scope="session")
def ca() -> RuleSet:
    return lvs_duty.load_rules("CA")


@pytest.fixture(scope="session")
def au() -> RuleSet:
    return lvs_duty.load_rules("AU")


@pytest.fixture(scope="session")
def sg() -> RuleSet:
    return lvs_duty.load_rules("SG")
