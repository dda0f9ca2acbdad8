"""Dated versions: in force over a half-open period ``[valid_from, valid_to)``.

What a rule version and a schedule version share (OpenFisca's dated parameters are the model):
the period check on each version, the history check across them (contiguous: each version
starts the day the one before ends, only the last is open) and the lookup by date.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Self, TypeVar

from pydantic import BaseModel, model_validator

from ._validation import custom
from .errors import Problem


class Dated(BaseModel):
    """In force from ``valid_from`` (inclusive) to ``valid_to`` (exclusive; None: still open)."""

    valid_from: dt.date
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _interval(self) -> Self:
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise custom(
                "interval",
                f"valid_to after valid_from; cannot have "
                f"valid_to={self.valid_to} <= valid_from={self.valid_from}",
                "",
                field="valid_to",
            )
        return self

    @property
    def period(self) -> str:
        """The period in words, e.g. ``2020-07-01 to 2025-04-01 (exclusive)``."""
        end = f"{self.valid_to} (exclusive)" if self.valid_to else "open"
        return f"{self.valid_from} to {end}"

    def contains(self, on: dt.date) -> bool:
        """Whether this version is in force on ``on``."""
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


V = TypeVar("V", bound=Dated)


def in_force(versions: Sequence[V], on: dt.date) -> V | None:
    """The version in force on ``on``, or None when no version covers that day."""
    for version in versions:
        if version.contains(on):
            return version
    return None


def history_problems(versions: Sequence[Dated]) -> list[Problem]:
    """Every break in a history: an open version before another, a gap or an overlap."""
    problems = []
    for i, (before, after) in enumerate(itertools.pairwise(versions), start=1):
        if before.valid_to is None:
            problems.append(
                Problem(
                    f"versions[{i - 1}] (from {before.valid_from})",
                    "valid_to",
                    f"a closing date, since versions[{i}] follows it",
                    "none",
                )
            )
        elif after.valid_from != before.valid_to:
            kind = "overlaps" if after.valid_from < before.valid_to else "leaves a gap after"
            problems.append(
                Problem(
                    f"versions[{i}] (from {after.valid_from})",
                    "valid_from",
                    f"{before.valid_to}: it {kind} versions[{i - 1}], which runs to "
                    f"{before.valid_to} (exclusive)",
                    str(after.valid_from),
                )
            )
    return problems


__all__ = ["Dated", "history_problems", "in_force"]
