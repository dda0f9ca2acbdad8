"""The lvs_duty error family: every error names where, which field, what was expected and what came.

Each error also inherits the matching builtin (``ValueError``, ``TypeError``, ``LookupError``),
so ``except ValueError`` keeps working, and each one pickles intact for multiprocessing users.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class ReasonCode(enum.Enum):
    """Why an input was refused: a stable code for programs, beside the message for people."""

    INVALID_VALUE = "invalid_value"
    FLOAT_AMOUNT = "float_amount"
    NEGATIVE_AMOUNT = "negative_amount"
    UNKNOWN_CURRENCY = "unknown_currency"
    UNKNOWN_COUNTRY = "unknown_country"
    MALFORMED_HS_CODE = "malformed_hs_code"
    EMPTY_ITEMS = "empty_items"
    NOT_IN_FORCE = "not_in_force"
    MISSING_FX_RATE = "missing_fx_rate"
    CURRENCY_MISMATCH = "currency_mismatch"
    UNKNOWN_CATEGORY = "unknown_category"
    RATE_UNAVAILABLE = "rate_unavailable"
    UNKNOWN_RULES = "unknown_rules"
    RULE_FILE = "rule_file"
    BAD_ARGUMENT = "bad_argument"
    BAD_ROWS = "bad_rows"
    NOT_COVERED = "not_covered"
    TOO_LARGE = "too_large"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is, which field, what was expected, what came."""

    location: str
    field: str
    expected: str
    got: str = ""

    def __str__(self) -> str:
        where = ".".join(part for part in (self.location, self.field) if part)
        got = f", got {self.got}" if self.got else ""
        return f"{where + ': ' if where else ''}expected {self.expected}{got}"


class LvsDutyError(Exception):
    """Base of every error lvs_duty raises on purpose."""

    reason: ReasonCode = ReasonCode.INVALID_VALUE

    def __init__(self, **fields: Any) -> None:
        self._fields = fields
        for key, value in fields.items():
            setattr(self, key, value)
        super().__init__(str(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._fields))

    def __str__(self) -> str:  # pragma: no cover - every subclass overrides
        return repr(self._fields)


def _rebuild(cls: type[LvsDutyError], fields: dict[str, Any]) -> LvsDutyError:
    return cls(**fields)


def _quote(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


class ShipmentError(ValueError, LvsDutyError):
    """A shipment or item that cannot be assessed: lists every bad field at once."""

    problems: tuple[Problem, ...]
    shipment: str

    def __init__(
        self, problems: Sequence[Problem], *, shipment: str = "", reason: ReasonCode | None = None
    ) -> None:
        self.reason = reason or _common_reason(problems) or ReasonCode.INVALID_VALUE
        LvsDutyError.__init__(self, problems=tuple(problems), shipment=shipment, reason=self.reason)

    def __str__(self) -> str:
        head = f"Shipment {self.shipment!r}: " if self.shipment else ""
        if len(self.problems) == 1:
            return head + str(self.problems[0])
        lines = "\n".join(f"  - {p}" for p in self.problems)
        return f"{head}{len(self.problems)} problems:\n{lines}"


def _common_reason(problems: Sequence[Problem]) -> ReasonCode | None:
    text = " ".join(p.expected for p in problems)
    for code, marker in (
        (ReasonCode.FLOAT_AMOUNT, "not a float"),
        (ReasonCode.NEGATIVE_AMOUNT, "non-negative"),
        (ReasonCode.UNKNOWN_CURRENCY, "ISO 4217"),
        (ReasonCode.UNKNOWN_COUNTRY, "ISO 3166"),
        (ReasonCode.MALFORMED_HS_CODE, "HS code"),
        (ReasonCode.EMPTY_ITEMS, "at least one item"),
    ):
        if marker in text:
            return code
    return None


class AmountTypeError(TypeError, ShipmentError):
    """A money amount given as a float: floats cannot hold cents exactly, so they are refused."""

    reason = ReasonCode.FLOAT_AMOUNT

    def __init__(
        self, problems: Sequence[Problem], *, shipment: str = "", reason: ReasonCode | None = None
    ) -> None:
        ShipmentError.__init__(
            self, problems, shipment=shipment, reason=reason or ReasonCode.FLOAT_AMOUNT
        )


class RuleFileError(ValueError, LvsDutyError):
    """A rule table that does not validate: lists every problem with file, location and field."""

    reason = ReasonCode.RULE_FILE
    file: str
    problems: tuple[Problem, ...]

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        LvsDutyError.__init__(self, file=file, problems=tuple(problems))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return f"{self.file}: {self.problems[0]}"
        lines = "\n".join(f"  - {self.file}: {p}" for p in self.problems)
        return f"{self.file}: {len(self.problems)} problems:\n{lines}"


class UnknownRulesError(LookupError, LvsDutyError):
    """A bundled regime code that does not exist, or a rule file path that is missing."""

    reason = ReasonCode.UNKNOWN_RULES
    source: str
    available: tuple[str, ...]

    def __init__(self, source: str, available: Sequence[str]) -> None:
        LvsDutyError.__init__(self, source=source, available=tuple(available))

    def __str__(self) -> str:
        return (
            f"load_rules: {self.source!r} is neither a bundled regime nor an existing file; "
            f"expected one of {', '.join(self.available)} or a path to a .toml rule file"
        )


class NotInForceError(LookupError, LvsDutyError):
    """No version of a rule set is in force on the requested date."""

    reason = ReasonCode.NOT_IN_FORCE
    rules: str
    on: str
    periods: tuple[str, ...]

    def __init__(self, rules: str, on: str, periods: Sequence[str]) -> None:
        LvsDutyError.__init__(self, rules=rules, on=on, periods=tuple(periods))

    def __str__(self) -> str:
        return (
            f"Rule set {self.rules!r} has no version in force on {self.on}; "
            f"expected a date in {', '.join(self.periods)}"
        )


class CurrencyError(ValueError, LvsDutyError):
    """A shipment in another currency than its regime's, without a caller-supplied rate."""

    reason = ReasonCode.MISSING_FX_RATE
    shipment: str
    currency: str
    regime_currency: str

    def __init__(self, shipment: str, currency: str, regime_currency: str) -> None:
        LvsDutyError.__init__(
            self, shipment=shipment, currency=currency, regime_currency=regime_currency
        )

    def __str__(self) -> str:
        who = f"Shipment {self.shipment!r}" if self.shipment else "Shipment"
        return (
            f"{who}.currency: regime is in {self.regime_currency} but the shipment is in "
            f"{self.currency}; expected fx={{'{self.currency}': <{self.regime_currency} per 1 "
            f"{self.currency}>}} (lvs_duty never fetches exchange rates)"
        )


class UnknownCategoryError(LookupError, LvsDutyError):
    """An item names a tariff category the rule set does not have."""

    reason = ReasonCode.UNKNOWN_CATEGORY
    location: str
    category: str
    available: tuple[str, ...]

    def __init__(self, location: str, category: str, available: Sequence[str]) -> None:
        LvsDutyError.__init__(
            self, location=location, category=category, available=tuple(available)
        )

    def __str__(self) -> str:
        return (
            f"{self.location}.category: expected one of {', '.join(self.available)}, "
            f"got {self.category!r}"
        )


class RateUnavailableError(LookupError, LvsDutyError):
    """The rule in force needs a value the item does not carry (its MFN rate, weight, volume)."""

    reason = ReasonCode.RATE_UNAVAILABLE
    location: str
    field: str
    expected: str
    got: object

    def __init__(self, location: str, field: str, expected: str, got: object = None) -> None:
        LvsDutyError.__init__(self, location=location, field=field, expected=expected, got=got)

    def __str__(self) -> str:
        return f"{self.location}.{self.field}: expected {self.expected}, got {_quote(self.got)}"


class ArgumentError(ValueError, LvsDutyError):
    """A public function called with an argument it cannot use; names the function and argument."""

    reason = ReasonCode.BAD_ARGUMENT
    function: str
    argument: str
    expected: str
    got: object

    def __init__(self, function: str, argument: str, expected: str, got: object) -> None:
        LvsDutyError.__init__(
            self, function=function, argument=argument, expected=expected, got=got
        )

    def __str__(self) -> str:
        return f"{self.function}: {self.argument} expected {self.expected}, got {_quote(self.got)}"


@dataclass(frozen=True)
class RowProblem:
    """One bad cell of a shipment table: its row label, column, the problem, and the value."""

    row: object
    column: str
    problem: str
    value: str


class FrameError(ValueError, LvsDutyError):
    """A shipment table with bad rows, every one listed.

    ``failure_cases`` is a table of (row, column, problem, value), like pandera's lazy
    validation. Nothing is assessed while a row is bad.
    """

    reason = ReasonCode.BAD_ROWS
    cases: tuple[RowProblem, ...]
    source: str

    def __init__(self, cases: Sequence[RowProblem], source: str = "shipment table") -> None:
        LvsDutyError.__init__(self, cases=tuple(cases), source=source)

    @property
    def failure_cases(self) -> Any:
        """Every bad cell as a pandas DataFrame with columns row, column, problem, value."""
        import pandas as pd

        return pd.DataFrame(
            [(c.row, c.column, c.problem, c.value) for c in self.cases],
            columns=["row", "column", "problem", "value"],
        )

    def __str__(self) -> str:
        shown = "\n".join(
            f"  - row {c.row!r}, column {c.column!r}: {c.problem}, got {c.value}"
            for c in self.cases[:20]
        )
        more = f"\n  ... and {len(self.cases) - 20} more" if len(self.cases) > 20 else ""
        return f"{self.source}: {len(self.cases)} bad cells:\n{shown}{more}"


__all__ = [
    "AmountTypeError",
    "ArgumentError",
    "CurrencyError",
    "FrameError",
    "LvsDutyError",
    "NotInForceError",
    "Problem",
    "RateUnavailableError",
    "ReasonCode",
    "RowProblem",
    "RuleFileError",
    "ShipmentError",
    "UnknownCategoryError",
    "UnknownRulesError",
]
