"""Words for a reader: option names, amounts in whole units or the minor unit, captions.

A policy team reads "Flat rate 10% up to CAD 150", not ``CA+flat``; "CAD 1,234,568", not
``1234567.89`` on revenue in the millions; and wants every figure to say what population it
stands on. These helpers are pure (no matplotlib) so figures, tables and reports share them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import numpy as np
import pandas as pd

from .money import CONTEXT, CURRENCIES
from .rules import CategoryDuty, FlatDuty, RuleSet

LARGE = Decimal(10_000)
"""Amounts at or above this (in absolute value) are shown in whole currency units."""


def _pct(rate: Decimal) -> str:
    return f"{CONTEXT.multiply(rate, Decimal(100)).normalize(CONTEXT):f}%"


def describe_option(name: str, rules: RuleSet) -> str:
    """A reader's name for an option: what it charges and up to what value.

    >>> from lvs_duty import load_rules
    >>> from lvs_duty.options import gea_options
    >>> [describe_option(k, r) for k, r in gea_options(load_rules("CA")).items()]
    ['Current rules (CA)', 'Flat rate 10% up to CAD 150', 'Category tariff, 3 rates, up to CAD 150', 'Duty-free, GST/HST at sale up to CAD 150']
    """  # noqa: E501
    version = rules.versions[-1]
    cur = rules.currency
    code = rules.code
    low = version.duty.low_value
    if code.endswith("+flat") and low is not None and isinstance(low.method, FlatDuty):
        method = low.method
        if method.rate is not None:
            return f"Flat rate {_pct(method.rate)} up to {cur} {low.ceiling:,}"
        return f"Flat {cur} {method.amount} per {method.per} up to {cur} {low.ceiling:,}"
    if code.endswith("+categories") and low is not None and isinstance(low.method, CategoryDuty):
        return f"Category tariff, {len(low.method.categories)} rates, up to {cur} {low.ceiling:,}"
    if code.endswith("+vat"):
        amounts = [t.amount for t in version.thresholds if t.name.startswith("GEA option 3")]
        tax = version.tax.name if version.tax is not None else "VAT"
        ceiling = f" up to {cur} {max(amounts):,}" if amounts else ""
        return f"Duty-free, {tax} at sale{ceiling}"
    if "+" not in code and name in ("baseline", code):
        return f"Current rules ({code})"
    return name if name != code else rules.name


def option_names(options: Mapping[str, RuleSet]) -> dict[str, str]:
    """A reader's name for every option, by key and by rule-set code (``CA+flat``)."""
    names: dict[str, str] = {}
    for key, rules in options.items():
        text = describe_option(key, rules)
        names[key] = text
        names.setdefault(rules.code, text)
    return names


def readable(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The frame with its ``option`` column in the reader's words (``rules`` keeps the codes)."""
    if "option" not in frame.columns:
        return frame.copy()
    out = frame.copy(deep=False)  # the other columns are shared, not copied (a comparison of
    # millions of rows is renamed once per distinct option, not per row)
    codes, uniques = pd.factorize(out["option"], use_na_sentinel=False)
    shown = [names.get(str(v), str(v)) for v in uniques]
    if len(set(shown)) == len(shown):  # categorical: no per-row strings to build or infer
        out["option"] = pd.Categorical.from_codes(codes, categories=pd.Index(shown))
    else:
        out["option"] = np.asarray(shown, dtype=object)[codes]
    return out


def amount(value: Decimal, currency: str, *, whole_from: Decimal = LARGE) -> str:
    """An amount as a reader wants it: the minor unit, whole units from ``whole_from`` on.

    >>> amount(Decimal("1234567.89"), "CAD"), amount(Decimal("12.5"), "CAD")
    ('CAD 1,234,568', 'CAD 12.50')
    >>> amount(Decimal("2500.4"), "JPY")
    'JPY 2,500'
    """
    places = CURRENCIES.get(currency, 2)
    if abs(value) >= whole_from:
        places = 0
    quantum = Decimal(1).scaleb(-places)
    shown = value.quantize(quantum, rounding="ROUND_HALF_EVEN", context=CONTEXT)
    return f"{currency} {shown:,}"


def caption(
    *,
    population: str,
    n: int,
    seed: int | None = None,
    on: dt.date | None = None,
    ceiling: Decimal | None = None,
    currency: str | None = None,
) -> str:
    """What a figure stands on: the population, its size and seed, the date, the ceiling.

    >>> caption(population="synthetic (lvs_duty.simulate)", n=20000, seed=1,
    ...         on=dt.date(2026, 3, 1), ceiling=Decimal(150), currency="CAD")
    'Population: synthetic (lvs_duty.simulate), n = 20,000, seed 1. Rules as of 2026-03-01. Ceiling CAD 150.'
    """  # noqa: E501
    parts = [
        f"Population: {population}, n = {n:,}" + (f", seed {seed}" if seed is not None else "")
    ]
    if on is not None:
        parts.append(f"Rules as of {on.isoformat()}")
    if ceiling is not None:
        parts.append(f"Ceiling {currency + ' ' if currency else ''}{ceiling:,}")
    return ". ".join(parts) + "."


__all__ = ["LARGE", "amount", "caption", "describe_option", "option_names", "readable"]
