"""Intervals across seeds and by bootstrap: contain the estimate, deterministic for seeds."""

from __future__ import annotations

from decimal import Decimal as D
from functools import partial

import pandas as pd
import pytest

from lvs_duty import ArgumentError, RuleSet, compare
from lvs_duty.costs import CollectionCosts
from lvs_duty.options import gea_options
from lvs_duty.simulate import population
from lvs_duty.uncertainty import FIGURES, _interval, across_seeds, bootstrap

COSTS = CollectionCosts(per_border_collection="5")


def _contain(table: pd.DataFrame) -> None:
    for row in table.itertuples():
        assert row.low <= row.estimate <= row.high, row


def test_across_seeds_contains_and_repeats(ca: RuleSet) -> None:
    options = gea_options(ca)
    draw = partial(population, 200, "CA")
    table = across_seeds(lambda s: draw(seed=s), options, seeds=[1, 2, 3, 4, 5], costs=COSTS)
    assert set(table["figure"]) == set(FIGURES)
    assert len(table) == len(options) * len(FIGURES)
    assert (table["draws"] == 5).all()
    _contain(table)
    # the parcels differ by seed, so revenue moves: a real interval, not a point
    revenue = table[(table["option"] == "baseline") & (table["figure"] == "revenue")].iloc[0]
    assert revenue["low"] < revenue["high"]
    again = across_seeds(lambda s: draw(seed=s), options, seeds=[1, 2, 3, 4, 5], costs=COSTS)
    assert table.equals(again)


def test_bootstrap_contains_and_repeats(ca: RuleSet) -> None:
    table = compare(population(100, "CA", seed=7), gea_options(ca), amounts="minor")
    first = bootstrap(table, draws=30, seed=3)
    _contain(first)
    assert first.equals(bootstrap(table, draws=30, seed=3))
    assert not first.equals(bootstrap(table, draws=30, seed=4))


def test_interval_by_rank_hand_worked() -> None:
    values = [D(v) for v in ("5", "1", "4", "2", "3")]
    # sorted 1..5; level 0.5 leaves 0.25 x 4 = 1 rank in each tail: [2, 4], median 3
    assert _interval(values, D("0.5")) == (D("3"), D("2"), D("4"))
    # level 0.9: tails 0.05 x 4 = 0.2 -> floor 0 and ceil 3.8 = 4: the extremes
    assert _interval(values, D("0.9")) == (D("3"), D("1"), D("5"))
    # an even count: the median is the mean of the middle two
    assert _interval([D(1), D(2), D(4), D(8)], D("0.5"))[0] == D(3)


def test_checks(ca: RuleSet) -> None:
    with pytest.raises(ArgumentError, match="seeds"):
        across_seeds(lambda s: [], {"baseline": ca}, seeds=[])
    with pytest.raises(ArgumentError, match="level"):
        across_seeds(lambda s: [], {"baseline": ca}, seeds=[1], level=0.9)  # type: ignore[arg-type]
