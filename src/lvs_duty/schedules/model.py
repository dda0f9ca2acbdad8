"""Tariff schedules as frozen data: dated versions of lines keyed by HS prefix, each sourced.

A :class:`Schedule` answers one question for the engines: which line of the tariff covers
this HS code on this date. Lines inherit as tariffs do: the longest prefix that matches an
item's HS code wins (a line for ``4202`` covers ``420221`` unless ``420221`` has its own).
The file format is documented field by field in ``data/schedules/README.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from .._validation import custom, problems_from
from ..dated import Dated, history_problems, in_force
from ..errors import NotInForceError, Problem, RuleFileError, UnknownRulesError
from ..rules import Currency, Money, Rate, SourceRefs

Unit = Literal["kg", "litre", "item", "pair"]
"""What a specific duty is charged per: the line's weight, volume, or number of items or pairs."""
Combine = Literal["sum", "max", "min"]
"""How an ad valorem and a specific part combine: compound (sum), the greater, or the lesser."""


class ScheduleFileError(RuleFileError):
    """A tariff schedule (file or download) that does not validate; lists every problem."""


class UnknownScheduleError(UnknownRulesError):
    """A bundled schedule code that does not exist, or a schedule file path that is missing."""

    def __str__(self) -> str:
        known = ", ".join(self.available) or "none bundled"
        return (
            f"load_schedule: {self.source!r} is neither a bundled schedule nor an existing file; "
            f"expected one of {known} or a path to a .toml schedule file"
        )


class ScheduleNotInForceError(NotInForceError):
    """No version of a tariff schedule is in force on the requested date."""

    def __str__(self) -> str:
        return (
            f"Schedule {self.rules!r} has no version in force on {self.on}; "
            f"expected a date in {', '.join(self.periods)}"
        )


def _hs(value: object) -> str:
    what = "an HS code of 4 to 10 digits, digits only, as a string such as '610910'"
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        raise custom("schedule_hs", what, value)
    if not 4 <= len(value) <= 10:
        raise custom("schedule_hs", what, value)
    return value


def _flag(value: object) -> str:
    what = "a flag and its reason, such as '[S] rate read from a secondary source'"
    if not isinstance(value, str):
        raise custom("unconfirmed", what, value)
    if value and not (value.startswith(("[S]", "[U]")) and value[3:].strip()):
        raise custom("unconfirmed", what, value)
    return value


HsDigits = Annotated[str, BeforeValidator(_hs)]
Flag = Annotated[str, BeforeValidator(_flag)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScheduleSource(_Frozen):
    """Where a schedule's rates were read: the title a lawyer would cite, the address, the day."""

    title: str = Field(min_length=1)
    url: str | None = None
    accessed: dt.date | None = None
    note: str = ""


class Specific(_Frozen):
    """A specific duty: ``amount`` of the schedule's currency per kg, litre, item or pair."""

    amount: Money
    per: Unit


class ScheduleLine(_Frozen):
    """One tariff line: its HS prefix and its rate, an ad valorem, a specific, or both combined.

    ``combine`` is required when both parts are given and refused otherwise: ``"sum"`` for a
    compound duty (``5% + 1.5c/kg``), ``"max"`` for the greater of the two (``8% MIN 2/kg``),
    ``"min"`` for the lesser (a specific duty capped at a percentage).
    """

    hs: HsDigits
    description: str = ""
    ad_valorem: Rate | None = None
    specific: Specific | None = None
    combine: Combine | None = None
    source: SourceRefs = Field(min_length=1)
    unconfirmed: Flag = ""
    note: str = ""

    @model_validator(mode="after")
    def _one_form(self) -> ScheduleLine:
        both = self.ad_valorem is not None and self.specific is not None
        if self.ad_valorem is None and self.specific is None:
            raise custom(
                "schedule_rate",
                "a rate: ad_valorem, specific, or both with combine",
                "none",
                field="ad_valorem",
            )
        if both and self.combine is None:
            raise custom(
                "schedule_combine",
                "combine = 'sum', 'max' or 'min' when a line has both ad_valorem and specific",
                "none",
                field="combine",
            )
        if not both and self.combine is not None:
            raise custom(
                "schedule_combine",
                "no combine unless the line has both ad_valorem and specific",
                self.combine,
                field="combine",
            )
        return self

    @property
    def rate_text(self) -> str:
        """The rate in words, e.g. ``5% + 0.044/kg`` or ``the greater of 8% and 2/item``."""
        parts = []
        if self.ad_valorem is not None:
            parts.append(f"{_percent(self.ad_valorem)}")
        if self.specific is not None:
            parts.append(f"{self.specific.amount}/{self.specific.per}")
        if self.combine == "max":
            return f"the greater of {parts[0]} and {parts[1]}"
        if self.combine == "min":
            return f"the lesser of {parts[0]} and {parts[1]}"
        return " + ".join(parts)


def _percent(rate: Decimal) -> str:
    text = format(rate.scaleb(2).normalize(), "f")
    return "Free" if rate == 0 else f"{text}%"


class ScheduleVersion(_Frozen, Dated):
    """A schedule as it stood over ``[valid_from, valid_to)``; ``valid_to`` None means open."""

    note: str = ""
    lines: tuple[ScheduleLine, ...] = Field(min_length=1)
    _index: dict[str, ScheduleLine] = PrivateAttr(default_factory=dict)
    _indexed: tuple[ScheduleLine, ...] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _one_line_per_hs(self) -> ScheduleVersion:
        seen: dict[str, int] = {}
        for i, line in enumerate(self.lines):
            if line.hs in seen:
                raise custom(
                    "schedule_duplicate",
                    f"one line per HS code; {line.hs!r} is already lines[{seen[line.hs]}]",
                    line.hs,
                    location=f"lines[{i}] ({line.hs!r})",
                    field="hs",
                )
            seen[line.hs] = i
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScheduleVersion):
            return NotImplemented
        fields = type(self).model_fields
        return all(getattr(self, name) == getattr(other, name) for name in fields)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in type(self).model_fields))

    def _lines_by_hs(self) -> dict[str, ScheduleLine]:
        """The lines by HS code, built on first use and again if a copy changed the lines."""
        if self._indexed is not self.lines:
            self._index = {line.hs: line for line in self.lines}
            self._indexed = self.lines
        return self._index

    def line_for(self, hs_code: str | None) -> ScheduleLine | None:
        """The line with the longest HS prefix of ``hs_code`` (dots and spaces ignored), or None.

        An HS code shorter than every matching line (``6109`` against a line ``610910``) has no
        line: the schedule cannot know which subheading it is.
        """
        if hs_code is None:
            return None
        digits = hs_code.replace(".", "").replace(" ", "")
        index = self._lines_by_hs()
        for length in range(min(len(digits), 10), 3, -1):
            line = index.get(digits[:length])
            if line is not None:
                return line
        return None


class Schedule(_Frozen):
    """A regime's tariff schedule: dated versions of sourced lines, looked up by HS code.

    >>> s = Schedule.build({
    ...     "code": "XX", "name": "Example", "currency": "CAD",
    ...     "sources": {"t": {"title": "Example tariff"}},
    ...     "versions": [{"valid_from": dt.date(2024, 1, 1), "lines": [
    ...         {"hs": "6109", "ad_valorem": "0.18", "source": "t"},
    ...         {"hs": "610990", "ad_valorem": "0.10", "source": "t"}]}]})
    >>> s.line_for("6109.10.0012", dt.date(2025, 1, 1)).ad_valorem
    Decimal('0.18')
    >>> s.line_for("610990", dt.date(2025, 1, 1)).ad_valorem
    Decimal('0.10')
    """

    code: str = Field(pattern=r"^[A-Z][A-Za-z0-9_+\-]*$")
    name: str = Field(min_length=1)
    currency: Currency
    nomenclature: str = ""
    coverage: str = ""
    sources: dict[str, ScheduleSource] = Field(min_length=1)
    versions: tuple[ScheduleVersion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _history_and_sources(self) -> Schedule:
        problems = history_problems(self.versions) + _source_problems(self)
        if problems:
            raise custom(
                "schedule",
                f"a consistent schedule ({len(problems)} problems)",
                problems=tuple(problems),  # type: ignore[arg-type]
            )
        return self

    def at(self, on: dt.date) -> ScheduleVersion:
        """The version in force on ``on``; raises ScheduleNotInForceError naming the periods."""
        version = in_force(self.versions, on)
        if version is None:
            periods = [v.period for v in self.versions]
            raise ScheduleNotInForceError(self.code, on.isoformat(), periods)
        return version

    def line_for(self, hs_code: str | None, on: dt.date) -> ScheduleLine | None:
        """The line covering ``hs_code`` on ``on`` (longest prefix), or None when none does."""
        return self.at(on).line_for(hs_code)

    def lines_for(
        self, hs_codes: Iterable[str | None], on: dt.date
    ) -> tuple[tuple[ScheduleLine, ...], list[int]]:
        """Lines for many HS codes at once: the distinct lines, and each code's index (-1: none).

        Each distinct code is looked up once, so a column of a million codes costs a dict pass.
        """
        version = self.at(on)
        lines: list[ScheduleLine] = []
        position: dict[str, int] = {}
        memo: dict[str | None, int] = {}
        out = []
        for code in hs_codes:
            if code not in memo:
                line = version.line_for(code)
                if line is None:
                    memo[code] = -1
                else:
                    if line.hs not in position:
                        position[line.hs] = len(lines)
                        lines.append(line)
                    memo[code] = position[line.hs]
            out.append(memo[code])
        return tuple(lines), out

    def source_of(self, refs: Sequence[str]) -> tuple[ScheduleSource, ...]:
        """The source records a line cites (unknown ids are refused on load)."""
        return tuple(self.sources[ref] for ref in refs if ref in self.sources)

    def cite(self, line: ScheduleLine) -> str:
        """A line as an explanation names it: schedule, HS line, description, rate, sources, flag.

        >>> s = Schedule.build({"code": "XX", "name": "Example", "currency": "USD",
        ...     "sources": {"t": {"title": "Example tariff 2026"}},
        ...     "versions": [{"valid_from": dt.date(2026, 1, 1), "lines": [{"hs": "640411",
        ...         "ad_valorem": "0.20", "specific": {"amount": "0.90", "per": "pair"},
        ...         "combine": "sum", "description": "Sports footwear", "source": "t"}]}]})
        >>> s.cite(s.versions[0].lines[0])
        'XX schedule line 640411 (Sports footwear): 20% + 0.90 USD/pair [Example tariff 2026]'
        """
        what = f" ({line.description})" if line.description else ""
        rate = (
            line.rate_text.replace(f"/{line.specific.per}", f" {self.currency}/{line.specific.per}")
            if line.specific
            else line.rate_text
        )
        titles = "; ".join(s.title for s in self.source_of(line.source))
        flag = f" {line.unconfirmed}" if line.unconfirmed else ""
        return f"{self.code} schedule line {line.hs}{what}: {rate} [{titles}]{flag}"

    @classmethod
    def build(cls, data: Mapping[str, Any], *, file: str = "<in code>") -> Schedule:
        """Validate a mapping into a Schedule; raise ScheduleFileError listing every problem."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ScheduleFileError(file, problems_from(exc, data)) from None


def _source_problems(schedule: Schedule) -> list[Problem]:
    problems = []
    known = ", ".join(sorted(schedule.sources)) or "none defined"
    for v, version in enumerate(schedule.versions):
        for i, line in enumerate(version.lines):
            for ref in line.source:
                if ref not in schedule.sources:
                    problems.append(
                        Problem(
                            f"versions[{v}] (from {version.valid_from}).lines[{i}] ({line.hs!r})",
                            "source",
                            f"an id defined under [sources] ({known})",
                            repr(ref),
                        )
                    )
    return problems


__all__ = [
    "Combine",
    "Schedule",
    "ScheduleFileError",
    "ScheduleLine",
    "ScheduleNotInForceError",
    "ScheduleSource",
    "ScheduleVersion",
    "Specific",
    "Unit",
    "UnknownScheduleError",
]
