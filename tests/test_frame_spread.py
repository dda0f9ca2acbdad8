"""Frame engine primitives of round 3 (perf3, issue 15): allocation by rank, rounding groups."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import numpy as np

from lvs_duty.frame.ints import Guard, Segments
from lvs_duty.frame.tax import Lines, TaxStep


def test_allocation_by_rank_gives_each_line_its_cumulative_floor() -> None:
    # parcels: 0 = lines 0-2 (weights 1, 1, 1), 1 = line 3, 2 = lines 4-5 with no weight
    sid = np.array([0, 0, 0, 1, 2, 2], dtype=np.int64)
    seg = Segments(sid, 3)
    weights = np.array([1, 1, 1, 9, 0, 0], dtype=np.int64)
    total = np.array([100, 7, 5], dtype=np.int64)
    guard = Guard(sid, 3)
    share = seg.allocate(total, seg.sum(weights), weights, guard)
    # parcel 0: floors 100*1//3 = 33, 100*2//3 = 66, 100*3//3 = 100 -> 33, 33, 34
    # parcel 1: one line takes all of 7; parcel 2: no weights, the first line takes all of 5
    assert share.tolist() == [33, 33, 34, 7, 5, 0]
    assert not guard.bad.any()


def cumulative_floor(total: int, weights: list[int]) -> list[int]:
    """The scalar definition, line by line: running floor less the line before's."""
    whole = sum(weights)
    if whole == 0:
        return [total] + [0] * (len(weights) - 1)
    out, before, running = [], 0, 0
    for w in weights:
        running += w
        floor = total * running // whole
        out.append(floor - before)
        before = floor
    return out


def test_allocation_equals_the_cumulative_floor_line_by_line_on_random_parcels() -> None:
    # parcels of 1 to 6 lines, weights often 0, totals often 0 (no shipping): the floors are
    # divided out only for parcels with something to spread, a last line takes the rest
    rng = np.random.default_rng(20261130)
    for _ in range(200):
        counts = rng.integers(1, 7, size=rng.integers(1, 40))
        sid = np.repeat(np.arange(len(counts)), counts).astype(np.int64)
        weights = rng.integers(0, 5, size=len(sid)) * rng.integers(0, 2, size=len(sid))
        total = rng.integers(0, 1000, size=len(counts)) * rng.integers(0, 2, size=len(counts))
        seg = Segments(sid, len(counts))
        guard = Guard(sid, len(counts))
        share = seg.allocate(total, seg.sum(weights), weights, guard)
        starts = np.concatenate([[0], np.cumsum(counts)])
        expected = [
            x
            for p in range(len(counts))
            for x in cumulative_floor(int(total[p]), weights[starts[p] : starts[p + 1]].tolist())
        ]
        assert share.tolist() == expected
        assert not guard.bad.any()


def test_rounding_groups_keep_lines_of_different_points_apart_with_many_tax_rates() -> None:
    # one parcel of two lines: duty and tax at sale (points 2, 2) and not collected (0, 0),
    # both at tax rate index 0 of 32 rates. Keys within the parcel: (2*3 + 2)*32 + 0 = 256
    # and 0: in int8 arithmetic 256 wrapped to 0 and the two lines made one group.
    seg = Segments(np.array([0, 0], dtype=np.int64), 1)
    kernel = SimpleNamespace(
        seg=seg, sid=seg.sid, version=SimpleNamespace(rounding=SimpleNamespace(per="group"))
    )
    step = TaxStep.__new__(TaxStep)
    step.k = kernel  # type: ignore[assignment]
    step.table = [Fraction(0)] * 32
    points = np.array([2, 0], dtype=np.int8)
    zeros = np.zeros(2, dtype=np.int64)
    order, groups, owner = step.grouping(
        Lines(seg, Guard(seg.sid, 1), zeros, points, points, zeros, {}, {0, 2}, {0, 2})
    )
    assert groups.size == 2  # two rounding groups, both of parcel 0
    assert owner.tolist() == [0, 0]
    # sorted by key within the parcel: the (0, 0) line (key 0) first, then the (2, 2) line
    assert order is not None
    assert order.tolist() == [1, 0]


def test_running_sums_past_int64_across_parcels_still_spread_exactly() -> None:
    # 70 parcels of weights 2^57 + 1 and 2^57 - 1 (whole 2^58, total 2: 2 x 2^58 = LIMIT):
    # the running sum over all of them (70 x 2^58 > 2^63) wraps, each parcel's does not
    count = 70
    sid = np.repeat(np.arange(count), 2).astype(np.int64)
    weights = np.tile(np.array([2**57 + 1, 2**57 - 1], dtype=np.int64), count)
    total = np.full(count, 2, dtype=np.int64)
    seg = Segments(sid, count)
    guard = Guard(sid, count)
    share = seg.allocate(total, seg.sum(weights), weights, guard)
    # floors: 2 x (2^57 + 1) // 2^58 = 1, then 2 x 2^58 // 2^58 = 2: shares 1 and 1
    assert share.tolist() == [1, 1] * count
    assert not guard.bad.any()
