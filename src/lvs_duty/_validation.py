"""Turn pydantic's ValidationError into Problems that name the row, the field and the value.

Rows are named by their key where they have one, as a customs officer would read them:
``versions[1] (from 2020-07-01).thresholds[0] ('courier CUSMA duty').amount``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from .errors import Problem

_KEY_FIELDS = ("name", "key", "code", "id", "hs")

_EXPECTED = {
    "missing": "a value (this field is required)",
    "extra_forbidden": "no such field (unknown key; check its spelling)",
    "frozen_instance": "no change (the object is frozen)",
}


def custom(kind: str, expected: str, got: object = "", **where: str) -> PydanticCustomError:
    """A pydantic error that carries a Problem's parts, so its message survives unmangled."""
    ctx = {"expected": expected, "got": _show(got) if got != "" else "", **where}
    return PydanticCustomError(kind, "expected {expected}", ctx)


def _show(value: object) -> str:
    """A value as echoed in an error: repr of text (control characters escaped), at most 60."""
    text = repr(value) if isinstance(value, (str, Mapping, list, tuple)) else str(value)
    return shorten(text)


def shorten(text: str, limit: int = 60) -> str:
    """Text cut to ``limit`` characters with an ellipsis, so a huge value cannot flood a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _row_label(element: object, index: int, parent: str) -> str:
    label = f"{parent}[{index}]"
    if isinstance(element, Mapping):
        for key in _KEY_FIELDS:
            if isinstance(element.get(key), str) and element[key]:
                return f"{label} ({element[key]!r})"
        if "valid_from" in element:
            return f"{label} (from {element['valid_from']})"
    return label


def _walk(data: object, loc: Sequence[int | str]) -> tuple[list[str], str]:
    """Split a pydantic ``loc`` into readable path parts and the final field name."""
    parts: list[str] = []
    node: object = data
    pending = ""
    tagged: object = None
    for step in loc:
        if isinstance(step, str) and node is not tagged and _is_tag(node, step):
            tagged = node  # a union tag is inserted once; the same name next is the real key
            continue
        if isinstance(step, int):
            element = node[step] if isinstance(node, Sequence) and step < len(node) else None
            parts.append(_row_label(element, step, pending))
            pending = ""
            node = element
        else:
            if pending:
                parts.append(pending)
            pending = str(step)
            node = node.get(step) if isinstance(node, Mapping) else getattr(node, step, None)
    return parts, pending


def _is_tag(node: object, step: str) -> bool:
    """Whether a loc step is a union tag or validator name pydantic inserted, not a key."""
    if step.startswith("function-"):
        return True
    if isinstance(node, Mapping):
        return node.get("kind") == step
    return step in ("str", "decimal", "int", "list[str]", "tuple[str, ...]")


def _expected(error: ErrorDetails) -> tuple[str, str]:
    ctx = error.get("ctx") or {}
    if error["type"] == "union_tag_invalid":
        return f"kind to be one of {ctx.get('expected_tags')}", repr(ctx.get("tag"))
    if error["type"] == "union_tag_not_found":
        return f"a 'kind' key, one of {ctx.get('expected_tags', 'the method kinds')}", ""
    if "expected" in ctx and error["type"] not in ("literal_error", "enum"):
        return str(ctx["expected"]), str(ctx.get("got", ""))
    kind = error["type"]
    got = "" if kind == "missing" else _show(error.get("input"))
    if kind in _EXPECTED:
        return _EXPECTED[kind], got
    msg = error["msg"]
    for prefix in ("Input should be ", "Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return msg, got


def problems_from(exc: ValidationError, data: object, root: str = "") -> list[Problem]:
    """Every error in ``exc`` as a Problem, in the order pydantic found them."""
    problems = []
    errors = exc.errors()
    for error in errors:
        if error["type"] == "too_short" and _has_inner(error["loc"], errors):
            continue  # "too short" only because its bad elements were refused: noise
        ctx: Mapping[str, Any] = error.get("ctx") or {}
        if ctx.get("problems"):
            problems.extend(ctx["problems"])  # cross-checks of a whole rule set, already located
            continue
        parts, field = _walk(data, error["loc"])
        expected, got = _expected(error)
        location = ".".join(p for p in (root, *parts) if p)
        if "location" in ctx:
            location = ".".join(p for p in (location, str(ctx["location"])) if p)
        if "field" in ctx:
            field = ".".join(p for p in (field, str(ctx["field"])) if p)
        problems.append(Problem(location, field, expected, got))
    return problems


def _has_inner(loc: tuple[int | str, ...], errors: list[ErrorDetails]) -> bool:
    return any(len(e["loc"]) > len(loc) and e["loc"][: len(loc)] == loc for e in errors)
