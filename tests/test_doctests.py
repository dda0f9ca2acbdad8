"""Run every docstring example of the installed package, so the docs cannot drift from the code."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import lvs_duty

OPTIONAL = {
    "plot": "matplotlib",
    "strategies": "hypothesis",
    "_hypothesis_plugin": "hypothesis",
    "testing": "hypothesis",
}
MODULES = sorted(
    name for _, name, _ in pkgutil.iter_modules(lvs_duty.__path__) if name != "__main__"
)


@pytest.mark.parametrize("name", ["__init__", *MODULES])
def test_docstring_examples(name: str) -> None:
    if name in OPTIONAL:
        pytest.importorskip(OPTIONAL[name])
    module = lvs_duty if name == "__init__" else importlib.import_module(f"lvs_duty.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
