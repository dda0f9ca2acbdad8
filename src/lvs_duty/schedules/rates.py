"""Rate texts as tariffs print them, read into schedule line fields, exactly or not at all.

Two notations: the USITC's "General" column (``Free``, ``6.8%``, ``4.4¢/kg``,
``1.5¢/kg + 5%``, ``$1.20/doz. + 4%``) and the UK Trade Tariff's duty expressions
(``12.00 %``, ``2.00 % + 4.50 GBP / 100 kg``, ``8.00 % MIN 1.20 GBP / p/st``). A text that
does not fit the grammar raises RateTextError saying what was expected: a rate is never
guessed. Amounts per dozen or per 100 kg are divided exactly or refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Final

from ..money import CONTEXT

Fields = dict[str, Any]
"""Line fields: ``ad_valorem``, ``specific`` and ``combine``, as ScheduleLine takes them."""


class RateTextError(ValueError):
    """A rate text outside the grammar a reader understands; the message says what was expected."""


_NUMBER = r"(\d+(?:\.\d+)?)"

USITC_EXPECTED: Final = (
    "a USITC rate: Free, N%, N¢ or $N per kg, liter, No., pr., doz., doz. pr., gross or each, "
    "or one ad valorem and one specific part joined by +"
)
_USITC_UNITS: Final = {
    "kg": ("kg", 1),
    "liter": ("litre", 1),
    "no.": ("item", 1),
    "each": ("item", 1),
    "pr.": ("pair", 1),
    "doz.": ("item", 12),
    "doz. pr.": ("pair", 12),
    "gross": ("item", 144),
}
_USITC_SPECIFIC = re.compile(
    rf"^(?:{_NUMBER}¢|\${_NUMBER})\s*(?:/\s*(kg|liter|no\.|pr\.|doz\.\s*pr\.|doz\.|gross)|\s+each)$"
)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the patterns only pass digits
        raise RateTextError(f"a decimal number, not {text!r}") from None


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros, and never in exponent notation (``1E+1`` is ``10``)."""
    normal = value.normalize(CONTEXT)
    exponent = normal.as_tuple().exponent
    return normal.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else normal


def _exact(amount: Decimal, divisor: int, what: str) -> Decimal:
    """``amount / divisor`` as an exact Decimal, or RateTextError when it does not terminate."""
    quotient = Fraction(amount) / divisor
    denominator = quotient.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        raise RateTextError(
            f"{what} that divides exactly into a decimal amount per unit "
            f"({amount} / {divisor} does not terminate)"
        )
    return _plain(CONTEXT.divide(amount, Decimal(divisor)))


def _usitc_part(text: str) -> Fields:
    part = text.strip()
    if part.lower() == "free":
        return {"ad_valorem": Decimal(0)}
    percent = re.fullmatch(rf"{_NUMBER}\s*%", part)
    if percent:
        return {"ad_valorem": _plain(_decimal(percent.group(1)).scaleb(-2))}
    specific = _USITC_SPECIFIC.fullmatch(part.lower())
    if specific is None:
        raise RateTextError(USITC_EXPECTED)
    cents, dollars, unit_text = specific.groups()
    amount = _decimal(cents).scaleb(-2) if cents is not None else _decimal(dollars)
    unit_key = re.sub(r"\s+", " ", unit_text) if unit_text else "each"
    per, divisor = _USITC_UNITS[unit_key]
    if divisor != 1:
        amount = _exact(amount, divisor, f"an amount per {unit_key}")
    return {"specific": {"amount": amount, "per": per}}


def _combine(parts: list[Fields], combine: str, expected: str) -> Fields:
    if len(parts) == 1:
        return parts[0]
    first, second = parts
    if ("ad_valorem" in first) == ("ad_valorem" in second):
        raise RateTextError(f"{expected} (one ad valorem and one specific part, not two alike)")
    return {**first, **second, "combine": combine}


def parse_usitc(text: str) -> Fields:
    """Line fields from the USITC "General" column text.

    >>> parse_usitc("6.8%")
    {'ad_valorem': Decimal('0.068')}
    >>> parse_usitc("1.5¢/kg + 5%")
    {'specific': {'amount': Decimal('0.015'), 'per': 'kg'}, 'ad_valorem': Decimal('0.05'), 'combine': 'sum'}
    >>> parse_usitc("$1.20/doz. + 4%")["specific"]
    {'amount': Decimal('0.1'), 'per': 'item'}
    """  # noqa: E501
    parts = [p for p in text.split("+")]
    if not text.strip() or len(parts) > 2 or any(not p.strip() for p in parts):
        raise RateTextError(USITC_EXPECTED)
    return _combine([_usitc_part(p) for p in parts], "sum", USITC_EXPECTED)


UK_EXPECTED: Final = (
    "a UK duty expression: N %, or N GBP / kg, 100 kg, l, hl, p/st, 100 p/st, 1000 p/st or pa, "
    "or one of each joined by +, MIN or MAX"
)
_UK_UNITS: Final = {
    "kg": ("kg", 1),
    "100 kg": ("kg", 100),
    "l": ("litre", 1),
    "hl": ("litre", 100),
    "p/st": ("item", 1),
    "100 p/st": ("item", 100),
    "1000 p/st": ("item", 1000),
    "pa": ("pair", 1),
}
_UK_SPECIFIC = re.compile(rf"^{_NUMBER}\s+([A-Z]{{3}})\s*/\s*(.+)$")


def _uk_part(text: str, currency: str) -> Fields:
    part = re.sub(r"\s+", " ", text.strip())
    percent = re.fullmatch(rf"{_NUMBER}\s*%", part)
    if percent:
        return {"ad_valorem": _plain(_decimal(percent.group(1)).scaleb(-2))}
    specific = _UK_SPECIFIC.fullmatch(part)
    if specific is None or specific.group(3) not in _UK_UNITS:
        raise RateTextError(UK_EXPECTED)
    if specific.group(2) != currency:
        raise RateTextError(f"an amount in {currency}, the schedule's currency, not {part!r}")
    per, divisor = _UK_UNITS[specific.group(3)]
    amount = _exact(_decimal(specific.group(1)), divisor, f"an amount per {specific.group(3)}")
    return {"specific": {"amount": amount, "per": per}}


def parse_uk(text: str, currency: str = "GBP") -> Fields:
    """Line fields from a UK Trade Tariff duty expression (the measure's ``base`` text).

    ``MIN`` reads "but not less than" (the greater of the two parts), ``MAX`` "but not more
    than" (the lesser).

    >>> parse_uk("12.00 %")
    {'ad_valorem': Decimal('0.12')}
    >>> parse_uk("8.00 % MIN 1.20 GBP / 100 kg")["combine"]
    'max'
    """
    tokens = re.split(r"\s+(\+|MIN|MAX)\s+", text.strip())
    if not text.strip() or len(tokens) not in (1, 3):
        raise RateTextError(UK_EXPECTED)
    parts = [_uk_part(t, currency) for t in tokens[::2]]
    combine = {"+": "sum", "MIN": "max", "MAX": "min"}[tokens[1]] if len(tokens) == 3 else "sum"
    return _combine(parts, combine, UK_EXPECTED)


__all__ = ["Fields", "RateTextError", "parse_uk", "parse_usitc"]
