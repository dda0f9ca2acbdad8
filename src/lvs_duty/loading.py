"""Read rule files: the only code that opens ``data/tariff_categories/*.toml``.

``load_rules("CA")`` loads a bundled regime; ``load_rules("my_rules.toml")`` loads a user's own
file through exactly the same validation. The bundled files are a default, not a favourite.
TOML is parsed with ``parse_float=Decimal``, so ``0.18`` is exactly ``Decimal("0.18")``.
"""

from __future__ import annotations

import os
import re
import tomllib
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import ArgumentError, Problem, RuleFileError, UnknownRulesError
from .rules import RuleSet

_PACKAGE_DATA = ("_data", "tariff_categories")

MAX_FILE_BYTES = 1_000_000
"""The largest rule file read (1 MB; the biggest bundled file, the EU's, is under 80 KB)."""

MAX_DEPTH = 24
"""The deepest nesting of tables, arrays and dotted keys a rule file may have (bundled: 6)."""

_STRINGS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'',
    re.DOTALL,
)
_COMMENTS = re.compile(r"#[^\n]*")
_DOTTED = re.compile(r"[\w-]+(?:[ \t]*\.[ \t]*[\w-]+)+[ \t]*(?:=|\])")
_BRACKETS = re.compile(r"[\[\]{}]")


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
    if not isinstance(source, (str, os.PathLike)):
        raise ArgumentError(
            "load_rules",
            "source",
            "a regime code such as 'CA' or the path of a .toml rule file",
            type(source).__name__,
        )
    if isinstance(source, str) and "." not in source and "/" not in source and os.sep not in source:
        entry = _bundled_dir().joinpath(f"{source.lower()}.toml")
        if entry.is_file():
            return _parse(entry.read_bytes(), f"data/tariff_categories/{source.lower()}.toml")
    path = Path(source)
    if path.is_file():
        with path.open("rb") as handle:
            return _parse(handle.read(MAX_FILE_BYTES + 1), str(path))
    raise UnknownRulesError(str(source), available_rules())


def loads_rules(text: str, *, file: str = "<string>") -> RuleSet:
    """Load a rule set from TOML text (handy in notebooks and tests)."""
    if not isinstance(text, str):
        raise ArgumentError("loads_rules", "text", "TOML text as a str", type(text).__name__)
    return _parse(text.encode("utf-8", "surrogatepass"), file)


def _parse(raw: bytes, file: str) -> RuleSet:
    if len(raw) > MAX_FILE_BYTES:
        raise RuleFileError(
            file, [Problem("", "", f"a rule file of at most {MAX_FILE_BYTES} bytes", "more")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError(file, [Problem("", "", "UTF-8 text", str(exc))]) from None
    depth = _depth(text)
    if depth > MAX_DEPTH:
        raise RuleFileError(
            file,
            [
                Problem(
                    "",
                    "",
                    f"tables, arrays and dotted keys nesting at most {MAX_DEPTH} deep",
                    f"{depth} levels",
                )
            ],
        )
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(file, [Problem("", "", "valid TOML", str(exc))]) from None
    return RuleSet.build(data, file=file)


def _depth(text: str) -> int:
    """An upper bound of a TOML text's nesting, read before parsing (deep text costs memory).

    Strings and comments are blanked first; then the deepest bracket nesting plus the longest
    dotted key counts.
    """
    bare = _COMMENTS.sub("", _STRINGS.sub('""', text))
    level = deepest = 0
    for match in _BRACKETS.finditer(bare):
        level += 1 if match.group() in "[{" else -1
        deepest = max(deepest, level)
    dots = max((m.group().count(".") for m in _DOTTED.finditer(bare)), default=0)
    return deepest + dots


__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "available_rules", "load_rules", "loads_rules"]
