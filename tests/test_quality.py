"""The code stays ruff clean and mypy --strict clean: checked with the tools of the test extra."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_clean() -> None:
    pytest.importorskip("ruff")
    result = _run(sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_clean() -> None:
    pytest.importorskip("mypy")
    result = _run(sys.executable, "-m", "mypy", "--strict", "src/lvs_duty")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_clean() -> None:
    pytest.importorskip("ruff")
    paths = ("src", "tests", "benchmarks", "tools")
    result = _run(sys.executable, "-m", "ruff", "format", "--check", *paths)
    assert result.returncode == 0, result.stdout + result.stderr
