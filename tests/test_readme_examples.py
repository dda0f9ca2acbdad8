"""Every ```python example of README.md runs, in order, in one namespace, as a reader would.

``my_rules.toml`` is the worked example of data/tariff_categories/README.md, and
``hts_2026.json`` the USITC fixture of tests/data/schedules, both written to a temporary
directory the examples run in (they save figures there too). A function an example defines
as a hypothesis test (``test_*``) is called, so a property example must hold.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(path: Path, language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(path.read_text("utf-8")) if lang == language]


def test_readme_has_python_examples() -> None:
    assert len(blocks(ROOT / "README.md", "python")) >= 6


def test_every_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    pytest.importorskip("hypothesis")
    import matplotlib

    matplotlib.use("Agg")
    (worked,) = blocks(ROOT / "data" / "tariff_categories" / "README.md", "toml")[-1:]
    (tmp_path / "my_rules.toml").write_text(worked, "utf-8")
    # The schedules example reads a USITC export: a small hand-made one stands in for it.
    sample = ROOT / "tests" / "data" / "schedules" / "hts_sample.json"
    (tmp_path / "hts_2026.json").write_text(sample.read_text("utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "readme"}
    for number, code in enumerate(blocks(ROOT / "README.md", "python"), start=1):
        code = code.replace("examples=300", "examples=25")  # the dev profile's size
        try:
            exec(compile(code, f"README.md python example {number}", "exec"), namespace)
            for name, value in list(namespace.items()):
                if name.startswith("test_") and callable(value):
                    value()
                    del namespace[name]
        except Exception as exc:
            exc.add_note(f"in README.md python example {number}:\n{code}")
            raise


def test_notebooks_readme_lists_every_notebook() -> None:
    text = (ROOT / "notebooks" / "README.md").read_text("utf-8")
    on_disk = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    listed = sorted(set(re.findall(r"\(([0-9]\w*\.ipynb)\)", text)))
    assert listed == on_disk
    assert "pip install" in text
