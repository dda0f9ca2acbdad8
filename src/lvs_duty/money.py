"""Exact money: Decimal amounts, integer minor units, explicit rounding, floats refused.

No function here reads the ambient ``decimal`` context: every rounding names its quantum and
mode, and arithmetic runs in :data:`CONTEXT` (60 significant digits, so no amount a customs
office could meet is ever silently rounded by precision).
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final, Literal, ParamSpec, TypeVar, get_args

import iso4217

from .errors import ArgumentError

RoundingMode = Literal[
    "ROUND_HALF_UP",
    "ROUND_HALF_EVEN",
    "ROUND_HALF_DOWN",
    "ROUND_UP",
    "ROUND_DOWN",
    "ROUND_CEILING",
    "ROUND_FLOOR",
]
ROUNDING_MODES: Final[tuple[str, ...]] = get_args(RoundingMode)

CONTEXT: Final = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""The arithmetic context of every assessment: wide enough that products and sums are exact."""

MAX_AMOUNT: Final = Decimal("1E+18")
"""The largest amount lvs_duty supports, in units of any currency: 10^18.

Every amount of a shipment or a rule file is at most this; larger ones are refused by name. It
keeps every product and sum exact in :data:`CONTEXT`. The frame path holds less (int64 minor
units, every intermediate under 2**59): it flags a larger shipment for :func:`lvs_duty.assess`.
"""

MAX_QUANTITY: Final = 10**9
"""The largest number of units on one line (a billion)."""

MAX_FX: Final = Decimal(10**9)
"""The largest exchange rate accepted (regime-currency units per unit of the shipment's)."""


def fx_rate(function: str, currency: object, value: object) -> Decimal:
    """A caller's exchange rate as a finite positive Decimal, or ArgumentError naming it."""
    name = f"fx[{currency!r}]"
    try:
        rate = to_decimal(value, name)
    except TypeError:
        raise ArgumentError(
            function, name, "a Decimal, int or str rate (not a float)", value
        ) from None
    except ValueError:
        raise ArgumentError(
            function, name, "a finite, positive rate as a decimal number", value
        ) from None
    if rate <= 0:
        raise ArgumentError(function, name, "a finite, positive rate", value)
    if rate > MAX_FX:
        raise ArgumentError(function, name, f"a rate of at most {MAX_FX}", value)
    return rate


WITHDRAWN: Final = MappingProxyType({"BGN": 2, "HRK": 2})
"""Codes withdrawn from ISO 4217 that dated rules and old shipments still need (the Bulgarian
lev, replaced by the euro on 2026-01-01; the Croatian kuna, on 2023-01-01)."""

CURRENCIES: Final = MappingProxyType(
    {c.code: c.exponent for c in iso4217.Currency if c.exponent is not None} | dict(WITHDRAWN)
)
"""ISO 4217 currencies (from the maintained ``iso4217`` package) and their minor-unit digits.

Funds and metals without a minor unit (XAU, XDR) are left out: no parcel is valued in them.
"""


P = ParamSpec("P")
R = TypeVar("R")


def own_context(function: Callable[P, R]) -> Callable[P, R]:
    """Run a public function in :data:`CONTEXT`, never the caller's decimal context."""

    @functools.wraps(function)
    def in_context(*args: P.args, **kwargs: P.kwargs) -> R:
        with decimal.localcontext(CONTEXT):
            return function(*args, **kwargs)

    return in_context


def minor_digits(currency: str) -> int:
    """Number of decimal places of a currency's minor unit (2 for CAD, 0 for JPY).

    >>> minor_digits("CAD"), minor_digits("JPY")
    (2, 0)
    """
    try:
        return CURRENCIES[currency]
    except KeyError:
        raise ValueError(
            f"currency: expected an ISO 4217 currency code, got {currency!r}"
        ) from None


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of a currency as a Decimal quantum (``Decimal('0.01')`` for CAD)."""
    return Decimal(1).scaleb(-minor_digits(currency))


def to_decimal(value: object, field: str) -> Decimal:
    """Turn an int, str or Decimal into a finite Decimal; refuse floats and booleans by name.

    >>> to_decimal("0.18", "rate")
    Decimal('0.18')
    >>> to_decimal(0.18, "rate")
    Traceback (most recent call last):
    ...
    TypeError: rate: expected a Decimal, int or str amount (not a float: floats cannot hold cents exactly), got 0.18
    """  # noqa: E501
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise TypeError(f"{field}: expected a Decimal, int or str amount, got bool {value!r}")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        raise TypeError(
            f"{field}: expected a Decimal, int or str amount (not a float: floats cannot hold "
            f"cents exactly), got {value!r}"
        )
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace("_", ""))
        except decimal.InvalidOperation:
            raise ValueError(f"{field}: expected a decimal number, got {value!r}") from None
    else:
        raise TypeError(
            f"{field}: expected a Decimal, int or str amount, got {type(value).__name__}"
        )
    if not result.is_finite():
        raise ValueError(f"{field}: expected a finite decimal number, got {value!r}")
    return result


def quantize(amount: Decimal, quantum: Decimal, mode: RoundingMode) -> Decimal:
    """Round ``amount`` to a multiple of ``quantum`` with an explicit rounding mode.

    Works for quanta other than powers of ten (JPY 100, CHF 0.05) by rounding the quotient.

    >>> quantize(Decimal("27.0018"), Decimal("0.01"), "ROUND_HALF_UP")
    Decimal('27.00')
    >>> quantize(Decimal("1014"), Decimal("100"), "ROUND_DOWN")
    Decimal('1000')
    >>> quantize(Decimal("2.675"), Decimal("0.05"), "ROUND_HALF_UP")
    Decimal('2.70')
    """
    if quantum <= 0:
        raise ValueError(f"quantum: expected a positive decimal, got {quantum}")
    units = CONTEXT.divide(amount, quantum).quantize(Decimal(1), rounding=mode, context=CONTEXT)
    result = CONTEXT.multiply(units, quantum)
    exponent = quantum.as_tuple().exponent
    places = min(exponent, 0) if isinstance(exponent, int) else 0
    return result.quantize(Decimal(1).scaleb(places), context=CONTEXT)


def round_fraction(value: Fraction, mode: RoundingMode) -> int:
    """Round an exact fraction to an integer with a named rounding mode, in integer arithmetic.

    >>> [round_fraction(Fraction(5, 2), m) for m in ("ROUND_HALF_UP", "ROUND_HALF_EVEN",
    ...                                                "ROUND_DOWN", "ROUND_CEILING")]
    [3, 2, 2, 3]
    >>> round_fraction(Fraction(-5, 2), "ROUND_FLOOR"), round_fraction(Fraction(-5, 2), "ROUND_UP")
    (-3, -3)
    """
    floor = value.numerator // value.denominator
    rest = value - floor  # in [0, 1)
    if rest == 0:
        return floor
    toward_zero = floor if value > 0 else floor + 1
    away = floor + 1 if value > 0 else floor
    if mode == "ROUND_FLOOR":
        return floor
    if mode == "ROUND_CEILING":
        return floor + 1
    if mode == "ROUND_DOWN":
        return toward_zero
    if mode == "ROUND_UP":
        return away
    half = Fraction(1, 2)
    if rest != half:
        return floor if rest < half else floor + 1
    if mode == "ROUND_HALF_UP":
        return away
    if mode == "ROUND_HALF_DOWN":
        return toward_zero
    return floor if floor % 2 == 0 else floor + 1  # ROUND_HALF_EVEN


def quantize_fraction(value: Fraction, quantum: Decimal, mode: RoundingMode) -> Decimal:
    """Round an exact fraction to a multiple of ``quantum`` (for ratios such as 22/78).

    >>> quantize_fraction(Fraction(1000 * 22, 78), Decimal("100"), "ROUND_DOWN")
    Decimal('200')
    """
    units = round_fraction(value / Fraction(quantum), mode)
    return quantize(CONTEXT.multiply(Decimal(units), quantum), quantum, mode)


def to_minor(amount: Decimal, currency: str) -> int:
    """Exact integer minor units of an amount; refuses sub-minor fractions rather than rounding.

    >>> to_minor(Decimal("150.01"), "CAD"), to_minor(Decimal("10000"), "JPY")
    (15001, 10000)
    """
    scaled = amount.scaleb(minor_digits(currency), context=CONTEXT)
    if scaled != scaled.to_integral_value(context=CONTEXT):
        raise ValueError(
            f"amount: expected at most {minor_digits(currency)} decimal places for {currency}, "
            f"got {amount}"
        )
    return int(scaled)


def from_minor(units: int, currency: str) -> Decimal:
    """The Decimal amount of an integer number of minor units.

    >>> from_minor(15001, "CAD")
    Decimal('150.01')
    """
    return Decimal(units).scaleb(-minor_digits(currency))


def whole_units(amount: Decimal, unit: Decimal) -> int:
    """How many whole ``unit`` fit in ``amount`` (rounded down), in the library's context."""
    return int(
        CONTEXT.divide(amount, unit).to_integral_value(rounding="ROUND_FLOOR", context=CONTEXT)
    )


__all__ = [
    "CONTEXT",
    "CURRENCIES",
    "MAX_AMOUNT",
    "MAX_FX",
    "MAX_QUANTITY",
    "ROUNDING_MODES",
    "WITHDRAWN",
    "RoundingMode",
    "from_minor",
    "fx_rate",
    "minor_digits",
    "minor_unit",
    "own_context",
    "quantize",
    "quantize_fraction",
    "round_fraction",
    "to_decimal",
    "to_minor",
    "whole_units",
]
