"""Notebooks are committed without outputs, so diffs stay readable and CI regenerates them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_five_notebooks() -> None:
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path) -> None:
    cells = json.loads(path.read_text())["cells"]
    assert cells[0]["cell_type"] == "markdown"  # opens with what it shows and why
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: run python tools/strip_notebooks.py"
            assert cell.get("execution_count") is None
