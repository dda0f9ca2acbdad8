"""Read rule files: the only code that opens ``data/tariff_categories/*.toml``.

``load_rules("CA")`` loads a bundled regime; ``load_rules("my_rules.toml")`` loads a user's own
file through exactly the same validation. The bundled files are a default, not a favourite.
TOML is parsed with ``parse_float=Decimal``, so ``0.18`` is exactly ``Decimal("0.18")``; the
guards every data file meets first (size, encoding, nesting) are in :mod:`lvs_duty.toml_files`.
"""

from __future__ import annotations

import os

from .errors import ArgumentError, RuleFileError, UnknownRulesError
from .rules import RuleSet
from .toml_files import MAX_DEPTH, MAX_FILE_BYTES, bundled_names, parse, read_source

_FOLDER = "tariff_categories"


def available_rules() -> list[str]:
    """Codes of the bundled regimes, sorted (``["AU", "CA", ...]``).

    >>> "CA" in available_rules()
    True
    """
    return [name.upper() for name in bundled_names(_FOLDER)]


def load_rules(source: str | os.PathLike[str]) -> RuleSet:
    """Load a rule set from a bundled regime code (``"CA"``) or the path of a rule file.

    Raises RuleFileError listing every problem of a bad file (file, location, field, expected,
    got), and UnknownRulesError when ``source`` is neither a bundled code nor a file.

    >>> load_rules("CA").currency
    'CAD'
    """
    if not isinstance(source, (str, os.PathLike)):
        raise ArgumentError(
            "load_rules",
            "source",
            "a regime code such as 'CA' or the path of a .toml rule file",
            type(source).__name__,
        )
    found = read_source(source, _FOLDER, RuleFileError)
    if found is None:
        raise UnknownRulesError(str(source), available_rules())
    return RuleSet.build(found[0], file=found[1])


def loads_rules(text: str, *, file: str = "<string>") -> RuleSet:
    """Load a rule set from TOML text (handy in notebooks and tests)."""
    if not isinstance(text, str):
        raise ArgumentError("loads_rules", "text", "TOML text as a str", type(text).__name__)
    data = parse(text.encode("utf-8", "surrogatepass"), file, RuleFileError)
    return RuleSet.build(data, file=file)


__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "available_rules", "load_rules", "loads_rules"]
