"""A rule set's data, field by field, as ``lvs-duty rules show`` prints it under the summary.

Each field that differs from its default is one line, named by its path in the rule file
(``versions.thresholds[0].amount = 150``), so every field of the schema, old or new, is shown
without a display of its own; the summary above it says the same in words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .rules import RuleSet, RuleVersion


def field_lines(rules: RuleSet, version: RuleVersion) -> list[str]:
    """Every non-default field of the regime and of ``version``, one ``path = value`` a line."""
    regime = rules.model_dump(exclude_defaults=True, exclude={"versions"})
    out = [f"  {path} = {value}" for path, value in _flatten(regime, "")]
    data = version.model_dump(exclude_defaults=True)
    out += [f"  {path} = {value}" for path, value in _flatten(data, "versions")]
    return out


def _flatten(node: Any, path: str) -> list[tuple[str, str]]:
    """(path, value in words) for every leaf under ``node``."""
    if isinstance(node, dict):
        if not node:
            return []
        return [
            pair
            for key, child in node.items()
            for pair in _flatten(child, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(node, (list, tuple)) and any(isinstance(c, (dict, list, tuple)) for c in node):
        return [pair for k, child in enumerate(node) for pair in _flatten(child, f"{path}[{k}]")]
    return [(path, _words(node))]


def _words(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_words(v) for v in value) + "]"
    if isinstance(value, (Decimal, dt.date)):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if not isinstance(value, str) else repr(value)


__all__ = ["field_lines"]
