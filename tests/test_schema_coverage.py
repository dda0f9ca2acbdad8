"""Every field of the rule schema is drawn, shown and documented.

The test walks the :class:`~lvs_duty.rules.RuleSet` model recursively (every nested model,
every variant of a union) and fails for a field that

* ``lvs_duty.strategies.rule_sets()`` never draws with a value other than its default (so the
  two-speeds property test would never exercise it);
* ``lvs-duty rules show`` does not print where a drawn rule set sets it;
* data/tariff_categories/README.md does not name (in backticks).

Adding a field to the schema without its generator, its display and its documentation fails
here, not in a user's hands.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

from lvs_duty.cli import show_rules
from lvs_duty.rules import RuleSet
from lvs_duty.strategies import rule_sets

README = Path(__file__).parents[1] / "data" / "tariff_categories" / "README.md"
DRAWS = 400


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def schema_fields() -> set[tuple[str, str]]:
    """(model name, field name) for every field reachable from RuleSet."""
    seen: set[type[BaseModel]] = set()
    out: set[tuple[str, str]] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            out.add((model.__name__, name))
            for sub in _models(info.annotation):
                walk(sub)

    walk(RuleSet)
    return out


def set_fields(node: object, path: str) -> list[tuple[str, str, str]]:
    """(model, field, path in `rules show`) for every field that differs from its default."""
    out: list[tuple[str, str, str]] = []
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            value = getattr(node, name)
            if not info.is_required() and value == info.get_default(call_default_factory=True):
                continue
            here = f"{path}.{name}" if path else name
            out.append((type(node).__name__, name, here))
            out += set_fields(value, here)
    elif isinstance(node, dict):
        for key, child in node.items():
            out += set_fields(child, f"{path}.{key}")
    elif isinstance(node, (list, tuple)):
        for k, child in enumerate(node):
            out += set_fields(child, f"{path}[{k}]")
    return out


def test_the_walk_reaches_every_model() -> None:
    fields = schema_fields()
    models = {m for m, _ in fields}
    # a hand-kept floor, so a broken walk cannot pass by finding nothing
    assert {"RuleSet", "RuleVersion", "Threshold", "Fee", "TaxComponent", "RateBand"} <= models
    assert ("Fee", "per") in fields
    assert ("Condition", "gift") in fields


def test_every_field_is_drawn_and_shown() -> None:
    drawn: set[tuple[str, str]] = set()
    not_shown: set[str] = set()

    @settings(
        max_examples=DRAWS,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(rule_sets())
    def collect(rules: RuleSet) -> None:
        page = show_rules(rules)
        latest = rules.versions[-1]
        regime = rules.model_copy(update={"versions": ()})
        found = set_fields(regime, "") + [
            (m, f, p.replace("versions[0]", "versions", 1))
            for m, f, p in set_fields(latest, "versions[0]")
        ]
        for model, field, path in found:
            drawn.add((model, field))
            if path.startswith("versions[") or path == "versions":
                continue  # the list of versions itself is the summary's "Versions:" block
            if not re.search(re.escape(path) + r"(\.|\[| =)", page):
                not_shown.add(f"{model}.{field} ({path})")
        for v in rules.versions:
            drawn.update((m, f) for m, f, _ in set_fields(v, "versions"))

    collect()
    never = sorted(f"{m}.{f}" for m, f in schema_fields() - drawn)
    assert never == [], f"rule_sets() never draws: {never}"
    assert sorted(not_shown) == [], f"`lvs-duty rules show` does not print: {sorted(not_shown)}"


def test_every_field_is_documented() -> None:
    doc = re.sub(r"```.*?```", "", README.read_text(encoding="utf-8"), flags=re.S)
    spans = " ".join(re.findall(r"`([^`]+)`", doc))
    missing = sorted(
        f"{m}.{f}" for m, f in schema_fields() if not re.search(rf"\b{re.escape(f)}\b", spans)
    )
    assert missing == [], f"not documented in {README.name}: {missing}"
