"""Reading the library's TOML data files: rule files, tariff schedules and population profiles.

One reader for the three kinds, bundled or the user's own, so every file meets the same guards
before the parser sees it (at most :data:`MAX_FILE_BYTES`, UTF-8, nesting at most
:data:`MAX_DEPTH`) and every number is an exact decimal (``parse_float=Decimal``). Each kind
keeps its own model and error class; the error names the file and what was expected.
"""

from __future__ import annotations

import os
import re
import tomllib
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from .errors import Problem, RuleFileError

MAX_FILE_BYTES = 1_000_000
"""The largest data file read (1 MB; the biggest bundled file, the EU rules, is under 80 KB)."""

MAX_DEPTH = 24
"""The deepest nesting of tables, arrays and dotted keys a file may have (bundled: 6)."""

_STRINGS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'',
    re.DOTALL,
)
_COMMENTS = re.compile(r"#[^\n]*")
_DOTTED = re.compile(r"[\w-]+(?:[ \t]*\.[ \t]*[\w-]+)+[ \t]*(?:=|\])")
_BRACKETS = re.compile(r"[\[\]{}]")


def bundled_dir(folder: str) -> Traversable:
    """A bundled data folder (``schedules``): in the installed wheel, or ``data/`` of a checkout."""
    packaged = resources.files("lvs_duty").joinpath("_data", folder)
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / folder


def bundled_names(folder: str) -> list[str]:
    """The names (file stems) of the TOML files of a bundled data folder, sorted."""
    directory = bundled_dir(folder)
    if not directory.is_dir():
        return []
    return sorted(
        e.name.removesuffix(".toml") for e in directory.iterdir() if e.name.endswith(".toml")
    )


def read_bundled(
    folder: str, name: str, error: type[RuleFileError]
) -> tuple[dict[str, Any], str] | None:
    """The parsed bundled file ``data/<folder>/<name>.toml`` and that name, or None if absent."""
    entry = bundled_dir(folder).joinpath(f"{name}.toml")
    if not entry.is_file():
        return None
    file = f"data/{folder}/{name}.toml"
    return parse(entry.read_bytes(), file, error), file


def read_source(
    source: str | os.PathLike[str], folder: str, error: type[RuleFileError]
) -> tuple[dict[str, Any], str] | None:
    """A bundled code (a bare name: no dot, no slash) or a file's path, parsed with its name.

    None when ``source`` is neither; the caller raises its own "unknown" error.
    """
    if isinstance(source, str) and "." not in source and "/" not in source and os.sep not in source:
        bundled = read_bundled(folder, source.lower(), error)
        if bundled is not None:
            return bundled
    path = Path(source)
    if path.is_file():
        return read_path(path, error), str(path)
    return None


def read_path(path: Path, error: type[RuleFileError]) -> dict[str, Any]:
    """The parsed file at ``path`` (no more than the size limit and a byte is read)."""
    with path.open("rb") as handle:
        return parse(handle.read(MAX_FILE_BYTES + 1), str(path), error)


def parse(raw: bytes, file: str, error: type[RuleFileError]) -> dict[str, Any]:
    """TOML bytes as a mapping with exact decimals; ``error(file, problems)`` when they are bad."""
    if len(raw) > MAX_FILE_BYTES:
        raise error(file, [Problem("", "", f"a file of at most {MAX_FILE_BYTES} bytes", "more")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(file, [Problem("", "", "UTF-8 text", str(exc))]) from None
    depth = _depth(text)
    if depth > MAX_DEPTH:
        expected = f"tables, arrays and dotted keys nesting at most {MAX_DEPTH} deep"
        raise error(file, [Problem("", "", expected, f"{depth} levels")])
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise error(file, [Problem("", "", "valid TOML", str(exc))]) from None


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


__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "bundled_dir",
    "bundled_names",
    "parse",
    "read_bundled",
    "read_path",
    "read_source",
]
