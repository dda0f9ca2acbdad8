"""Read rule files: the only code that opens ``data/tariff_categories/*.toml``.

``load_rules("CA")`` loads a bundled regime; ``load_rules("my_rules.toml")`` loads a user's own
file through exactly the same validation. The bundled files are a default, not a favourite.
TOML is parsed with ``parse_float=Decimal``, so ``0.18`` is exactly ``Decimal("0.18")``.
"""

from __future__ import annotations

import os
import tomllib
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import Problem, RuleFileError, UnknownRulesError
from .rules import RuleSet

_PACKAGE_DATA = ("_data", "tariff_categories")


def _bundled_dir() -> Traversable:
    """The bundled rule directory: inside the installed wheel, or ``data/`` of a source checkout."""
    packaged = resources.files("lvs_duty").joinpath(*_PACKAGE_DATA)
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "data" / "tariff_categories"
    return checkout


def available_rules() -> list[str]:
    """Codes of the bundled regimes, sorted (``["AU", "CA", ...]``).

    >>> "CA" in available_rules()
    True
    """
    directory = _bundled_dir()
    if not directory.is_dir():
        return []
    return sorted(
        entry.name.removesuffix(".toml").upper()
        for entry in directory.iterdir()
        if entry.name.endswith(".toml")
    )


def load_rules(source: str | os.PathLike[str]) -> RuleSet:
    """Load a rule set from a bundled regime code (``"CA"``) or the path of a rule file.

    Raises RuleFileError listing every problem of a bad file (file, location, field, expected,
    got), and UnknownRulesError when ``source`` is neither a bundled code nor a file.

    >>> load_rules("CA").currency
    'CAD'
    """
    if isinstance(source, str) and "." not in source and "/" not in source and os.sep not in source:
        entry = _bundled_dir().joinpath(f"{source.lower()}.toml")
        if entry.is_file():
            return _parse(entry.read_bytes(), f"data/tariff_categories/{source.lower()}.toml")
    path = Path(source)
    if path.is_file():
        return _parse(path.read_bytes(), str(path))
    raise UnknownRulesError(str(source), available_rules())


def loads_rules(text: str, *, file: str = "<string>") -> RuleSet:
    """Load a rule set from TOML text (handy in notebooks and tests)."""
    return _parse(text.encode(), file)


def _parse(raw: bytes, file: str) -> RuleSet:
    try:
        data = tomllib.loads(raw.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError as exc:
        raise RuleFileError(file, [Problem("", "", "UTF-8 text", str(exc))]) from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(file, [Problem("", "", "valid TOML", str(exc))]) from None
    return RuleSet.build(data, file=file)


__all__ = ["available_rules", "load_rules", "loads_rules"]
