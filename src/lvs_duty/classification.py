"""Classification burden that tells the options apart: how many alternatives each decision has.

:func:`lvs_duty.summarize` counts classification decisions, one per line an officer or
broker must classify to charge it. A count alone treats choosing among a category tariff's
three rows like choosing among the Harmonized System's thousands of subheadings, though the
point of GEA option 2 is that the first is easier. This module weighs each decision by the
number of alternatives it chooses among, and by its log2, the "bits of classification" (one
bit: a yes/no question; log2 5,609 = 12.5 bits: a full HS6 classification).

The alternatives come from the option's duty method, read from its rule set (no engine
change): the general tariff, a per-subheading flat amount and a rate-band duty need the HS
subheading (:data:`HS6_SUBHEADINGS`); a category table needs one of its rows; a flat rate per
shipment or item and a free duty need none. A comparison row's decisions are counted under
the low-value method when the row's value is within its ceiling (goods or customs value as
the ceiling measures it; a CIF ceiling is read on the customs value), else under the general
method (a special duty that classifies counts as HS). An approximation: the engine's own
line-by-line record of which method charged a line would be exact (noted for the next phase).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from .errors import ArgumentError
from .money import CONTEXT, CURRENCIES
from .rules import CategoryDuty, FlatDuty, FreeDuty, MfnDuty, RateBandDuty, RuleSet, RuleVersion

HS6_SUBHEADINGS = 5609
"""Six-digit subheadings of the Harmonized System, 2022 edition (World Customs Organization).

[U] the count as recalled from the WCO's HS 2022 presentation, not read from the nomenclature
here; the issue's "~5,000+" agrees in order of magnitude, and log2 changes by 0.03 bit per 2%.
"""

BURDEN_COLUMNS: tuple[str, ...] = (
    "option",
    "classifications",
    "alternatives_per_decision",
    "bits_per_decision",
    "bits",
)

_BITS = Decimal("0.01")


def alternatives(method: Any, hs_subheadings: int = HS6_SUBHEADINGS) -> int:
    """How many alternatives one classification decision under ``method`` chooses among.

    >>> from lvs_duty import load_rules
    >>> from lvs_duty.options import category_tariff, flat_rate
    >>> alternatives(load_rules("AU").versions[-1].duty.general)
    5609
    >>> alternatives(flat_rate(load_rules("AU"), rate="0.1", ceiling=1000)
    ...              .versions[-1].duty.low_value.method)
    1
    >>> alternatives(category_tariff(load_rules("AU"), ceiling=1000)
    ...              .versions[-1].duty.low_value.method)
    3
    """
    if isinstance(method, (MfnDuty, RateBandDuty)):
        return hs_subheadings
    if isinstance(method, FlatDuty):
        return hs_subheadings if method.per == "subheading" else 1
    if isinstance(method, CategoryDuty):
        return len(method.categories)
    if isinstance(method, FreeDuty):
        return 1
    raise ArgumentError("alternatives", "method", "a duty method of a rule set", method)


def _classifies(method: Any) -> bool:
    return alternatives(method) > 1


def _log2(n: int) -> Decimal:
    if n <= 1:
        return Decimal(0)
    return CONTEXT.divide(Decimal(n).ln(CONTEXT), Decimal(2).ln(CONTEXT))


def _version(rules: RuleSet, on: dt.date | None) -> RuleVersion:
    return rules.versions[-1] if on is None else rules.at(on)


def _outside(version: RuleVersion, hs_subheadings: int) -> int:
    """Alternatives of a decision outside the low-value band: general or a classifying special."""
    methods = [version.duty.general, *(sp.method for sp in version.duty.special)]
    counts = [alternatives(m, hs_subheadings) for m in methods if _classifies(m)]
    return max(counts, default=hs_subheadings)


def _values(group: pd.DataFrame, column: str) -> list[Decimal]:
    if f"{column}_minor" in group.columns:
        scale = Decimal(10) ** max(CURRENCIES.get(str(c), 2) for c in group["currency"].unique())
        return [CONTEXT.divide(Decimal(int(v)), scale) for v in group[f"{column}_minor"]]
    return [Decimal(v) for v in group[column]]


def classification_burden(
    comparison: pd.DataFrame,
    options: Mapping[str, RuleSet],
    *,
    on: dt.date | None = None,
    hs_subheadings: int = HS6_SUBHEADINGS,
) -> pd.DataFrame:
    """Per option: decisions, mean alternatives per decision, bits per decision, total bits.

    ``comparison`` is :func:`lvs_duty.compare`'s frame (Decimal or minor units) and
    ``options`` the rule sets it was made with; ``on`` picks the version (default: each
    option's latest). ``alternatives_per_decision`` is the decisions' mean number of
    alternatives (half-even to 0.1), ``bits`` the sum of log2(alternatives) over decisions
    and ``bits_per_decision`` its mean (both half-even to 0.01).

    Four Canadian parcels under the baseline and option 2 (see tests/test_classification.py):
    the baseline's two MFN decisions are 2 x log2 5,609 = 24.90 bits; option 2 classifies
    the CAD 100 parcel among 3 baskets (log2 3 = 1.58) and the CAD 300 one in HS: 14.04 bits.
    """
    fn = "classification_burden"
    if not isinstance(comparison, pd.DataFrame) or "classifications" not in comparison.columns:
        raise ArgumentError(fn, "comparison", "the frame returned by lvs_duty.compare", comparison)
    if not isinstance(options, Mapping) or not all(
        isinstance(r, RuleSet) for r in options.values()
    ):
        raise ArgumentError(fn, "options", "the mapping of name to RuleSet compared", options)
    if (
        isinstance(hs_subheadings, bool)
        or not isinstance(hs_subheadings, int)
        or hs_subheadings < 2
    ):
        raise ArgumentError(fn, "hs_subheadings", "a whole number of 2 or more", hs_subheadings)
    rows = []
    for option, group in comparison.groupby("option", sort=False, observed=True):
        if str(option) not in options:
            raise ArgumentError(fn, "options", f"a rule set for option {option!r}", "none")
        version = _version(options[str(option)], on)
        low = version.duty.low_value
        outside = _outside(version, hs_subheadings)
        inside = alternatives(low.method, hs_subheadings) if low is not None else outside
        counts = [int(c) for c in group["classifications"]]
        if low is not None:
            measure = "goods_value" if low.measure == "goods" else "customs_value"
            admitted = [low.admits(v) for v in _values(group, measure)]
        else:
            admitted = [False] * len(counts)
        decisions = sum(counts)
        weighted = sum(
            c * (inside if a else outside) for c, a in zip(counts, admitted, strict=True)
        )
        bits = sum(
            (
                CONTEXT.multiply(Decimal(c), _log2(inside if a else outside))
                for c, a in zip(counts, admitted, strict=True)
                if c
            ),
            Decimal(0),
        )
        mean_alt = (
            CONTEXT.divide(Decimal(weighted), Decimal(decisions)) if decisions else Decimal(0)
        )
        per = CONTEXT.divide(bits, Decimal(decisions)) if decisions else Decimal(0)
        rows.append(
            (
                option,
                decisions,
                mean_alt.quantize(Decimal("0.1"), rounding="ROUND_HALF_EVEN", context=CONTEXT),
                per.quantize(_BITS, rounding="ROUND_HALF_EVEN", context=CONTEXT),
                bits.quantize(_BITS, rounding="ROUND_HALF_EVEN", context=CONTEXT),
            )
        )
    return pd.DataFrame(rows, columns=list(BURDEN_COLUMNS))


__all__ = ["BURDEN_COLUMNS", "HS6_SUBHEADINGS", "alternatives", "classification_burden"]
