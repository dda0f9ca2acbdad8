"""Write plain nested data as TOML: enough for a profile to be saved and read back exactly.

Handles strings, booleans, integers, Decimals (written in plain notation, so they read back as
the same number with ``parse_float=Decimal``), tables and arrays of tables. Not a general TOML
writer: no dates, no arrays of scalars other than empty ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list) and not value:
        return "[]"
    raise TypeError(f"cannot write {type(value).__name__} as a TOML value")


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _write(data: Mapping[str, Any], path: list[str], out: list[str]) -> None:
    for key, value in data.items():
        if not _is_table(value) and not _is_table_array(value):
            out.append(f"{_key(key)} = {_value(value)}")
    for key, value in data.items():
        if _is_table(value):
            header = ".".join(_key(k) for k in [*path, key])
            out.extend(["", f"[{header}]"])
            _write(value, [*path, key], out)
    for key, value in data.items():
        if _is_table_array(value):
            header = ".".join(_key(k) for k in [*path, key])
            for entry in value:
                out.extend(["", f"[[{header}]]"])
                _write(entry, [*path, key], out)


def dumps(data: Mapping[str, Any]) -> str:
    """``data`` as TOML text.

    >>> print(dumps({"name": "x", "share": Decimal("0.25"), "mode": {"post": Decimal(1)}}))
    name = "x"
    share = 0.25
    <BLANKLINE>
    [mode]
    post = 1
    """
    out: list[str] = []
    _write(data, [], out)
    return "\n".join(out).lstrip("\n") + "\n"


__all__ = ["dumps"]
