"""How much the summary figures move with the population: intervals across seeds, or bootstrap.

A synthetic population is one draw; another seed gives other figures. :func:`across_seeds`
draws the population once per seed, compares the options on each and reports every summary
figure as the median across seeds with an interval (the central ``level`` share of the
seeds' values, by rank). :func:`bootstrap` does the same for one fixed comparison, resampling
its shipments with replacement. Both are deterministic for given seeds, and exact: figures
stay Decimal, an interval end is one of the values seen (never an interpolated float).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .compare import compare, summarize
from .costs import CollectionCosts
from .errors import ArgumentError
from .money import CONTEXT, to_decimal
from .rules import RuleSet

#: The summary figures given with an interval.
FIGURES: tuple[str, ...] = (
    "shipments_charged",
    "border_collection_events",
    "classifications",
    "duty",
    "tax",
    "fees",
    "revenue",
    "mean_burden",
    "collection_cost",
    "net_revenue",
)
INTERVAL_COLUMNS: tuple[str, ...] = ("option", "figure", "estimate", "low", "high", "draws")


def _level(function: str, level: object) -> Decimal:
    try:
        value = to_decimal(level, "level")
    except (TypeError, ValueError):
        raise ArgumentError(
            function, "level", "a share such as '0.9' (not a float)", level
        ) from None
    if not 0 < value < 1:
        raise ArgumentError(function, "level", "a share strictly between 0 and 1", level)
    return value


def _interval(values: Sequence[Decimal], level: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Median and the rank interval holding the central ``level`` share of ``values``."""
    ordered = sorted(values)
    k = len(ordered)
    tail = CONTEXT.multiply(
        CONTEXT.divide(CONTEXT.subtract(Decimal(1), level), Decimal(2)), Decimal(k - 1)
    )
    low = ordered[math.floor(tail)]
    high = ordered[math.ceil(CONTEXT.subtract(Decimal(k - 1), tail))]
    if k % 2:
        median = ordered[k // 2]
    else:
        median = CONTEXT.divide(CONTEXT.add(ordered[k // 2 - 1], ordered[k // 2]), Decimal(2))
    return median, low, high


def intervals(summaries: Sequence[pd.DataFrame], level: Decimal | str = "0.9") -> pd.DataFrame:
    """One row per option and figure of :data:`FIGURES`: median, interval ends, draws."""
    share = _level("intervals", level)
    if not summaries:
        raise ArgumentError("intervals", "summaries", "at least one summary", "[]")
    options = list(dict.fromkeys(str(o) for s in summaries for o in s["option"]))
    rows = []
    for option in options:
        for figure in FIGURES:
            values: list[Decimal] = []
            for summary in summaries:
                hit = summary[summary["option"].astype(str) == option]
                values.extend(Decimal(v) for v in hit[figure])
            if values:
                rows.append((option, figure, *_interval(values, share), len(values)))
    return pd.DataFrame(rows, columns=list(INTERVAL_COLUMNS))


def across_seeds(
    population: Callable[[int], Any],
    options: Mapping[str, RuleSet],
    seeds: Iterable[int],
    *,
    costs: CollectionCosts | None = None,
    level: Decimal | str = "0.9",
    fx: Mapping[str, Decimal] | None = None,
) -> pd.DataFrame:
    """Every summary figure across populations drawn with ``seeds``: median and interval.

    ``population(seed)`` returns the parcels (a list of Shipment or a shipment table, as
    :func:`lvs_duty.simulate.population` with ``functools.partial``); a table is compared on
    the frame path in minor units. Columns: ``option``, ``figure``, ``estimate`` (median
    across seeds), ``low`` and ``high`` (the central ``level`` share of the seeds' values, by
    rank, so ``low <= estimate <= high``), ``draws``.
    """
    fn = "across_seeds"
    if not callable(population):
        raise ArgumentError(fn, "population", "a function of the seed", population)
    drawn = list(seeds) if not isinstance(seeds, (str, bytes)) else []
    if not drawn or not all(isinstance(s, int) and not isinstance(s, bool) for s in drawn):
        raise ArgumentError(fn, "seeds", "one or more int seeds", seeds)
    share = _level(fn, level)
    summaries = []
    for seed in drawn:
        parcels = population(seed)
        if isinstance(parcels, pd.DataFrame):
            table = compare(parcels, options, fx=fx, amounts="minor")
        else:
            table = compare(parcels, options, fx=fx)
        summaries.append(summarize(table, costs=costs))
    return intervals(summaries, share)


def bootstrap(
    comparison: pd.DataFrame,
    *,
    draws: int = 200,
    seed: int = 0,
    costs: CollectionCosts | None = None,
    level: Decimal | str = "0.9",
) -> pd.DataFrame:
    """Every summary figure of one comparison, resampled: median and interval over draws.

    Each draw picks the comparison's shipments with replacement (the same shipments under
    every option, so the options stay paired), with numpy's generator seeded by ``seed``;
    only positions are random, never an amount. Columns as :func:`across_seeds`.
    """
    fn = "bootstrap"
    if not isinstance(comparison, pd.DataFrame) or "option" not in comparison.columns:
        raise ArgumentError(fn, "comparison", "the frame returned by lvs_duty.compare", comparison)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise ArgumentError(fn, "draws", "a positive int", draws)
    share = _level(fn, level)
    groups = [g for _, g in comparison.groupby("option", sort=False, observed=True)]
    n = len(groups[0])
    if any(len(g) != n for g in groups):
        raise ArgumentError(
            fn, "comparison", "the same shipments under every option", "options of unequal size"
        )
    rng = np.random.default_rng(seed)
    summaries = []
    for _ in range(draws):
        picks = rng.integers(0, n, size=n)
        sample = pd.concat([g.iloc[picks] for g in groups], ignore_index=True)
        summaries.append(summarize(sample, costs=costs))
    return intervals(summaries, share)


__all__ = ["FIGURES", "INTERVAL_COLUMNS", "across_seeds", "bootstrap", "intervals"]
