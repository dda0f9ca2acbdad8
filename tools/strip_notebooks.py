"""Strip outputs from the notebooks, or check that they are stripped (for CI and pre-commit).

Notebooks are committed without outputs, execution counts or kernel run metadata, so diffs show
only what a person wrote. CI re-executes them from top to bottom with nbmake.

Usage::

    python tools/strip_notebooks.py            # strip every notebooks/*.ipynb in place
    python tools/strip_notebooks.py --check    # exit 1 naming each notebook that has outputs
    python tools/strip_notebooks.py a.ipynb    # only these files

Needs only the standard library (the .ipynb format is JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
KEPT_METADATA = ("kernelspec", "language_info")


def stripped(notebook: dict[str, Any]) -> dict[str, Any]:
    """The notebook without outputs, execution counts, cell ids' run metadata or widget state."""
    out = dict(notebook)
    out["metadata"] = {k: v for k, v in notebook.get("metadata", {}).items() if k in KEPT_METADATA}
    cells = []
    for cell in notebook.get("cells", []):
        cell = dict(cell)
        cell["metadata"] = {}
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    out["cells"] = cells
    return out


def dump(notebook: dict[str, Any]) -> str:
    """The notebook as Jupyter writes it: one-space indent, sorted keys, final newline."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Strip (or with ``--check``, verify) the given notebooks, by default all of notebooks/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if any notebook is not stripped",
    )
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    dirty = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        clean = dump(stripped(json.loads(text)))
        if clean != text:
            dirty.append(path)
            if not args.check:
                path.write_text(clean, encoding="utf-8")
    for path in dirty:
        verb = "has outputs or run metadata" if args.check else "stripped"
        print(f"{path}: {verb}", file=sys.stderr if args.check else sys.stdout)
    return 1 if args.check and dirty else 0


if __name__ == "__main__":
    sys.exit(main())
