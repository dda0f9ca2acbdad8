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


def test_no_function_in_src_is_longer_than_a_reader_can_follow() -> None:
    # The architecture rule of issue 10: no function of src/ over about 80 lines of code
    # (its docstring not counted), so each step has a name a reader can find.
    import ast

    limit, long = 85, []
    for path in sorted((ROOT / "src" / "lvs_duty").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = node.body[0]
                doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                start = node.body[1].lineno if doc and len(node.body) > 1 else first.lineno
                if (node.end_lineno or start) - start + 1 > limit:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert long == []
