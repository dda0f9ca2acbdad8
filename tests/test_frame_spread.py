"""Frame engine primitives of round 3 (perf3, issue 15): allocation by rank, rounding groups."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from lvs_duty.frame.ints import Guard, Segments
from lvs_duty.frame.tax import TaxStep


def test_allocation_by_rank_gives_each_line_its_cumulative_floor() -> None:
    # parcels: 0 = lines 0-2 (weights 1, 1, 1), 1 = line 3, 2 = lines 4-5 with no weight
    sid = np.array([0, 0, 0, 1, 2, 2], dtype=np.int64)
    seg = Segments(sid, 3)
    weights = np.array([1, 1, 1, 9, 0, 0], dtype=np.int64)
    total = np.array([100, 7, 5], dtype=np.int64)
    guard = Guard(sid, 3)
    share = seg.allocate(total, seg.sum(weights), seg.cumsum(weights), guard)
    # parcel 0: floors 100*1//3 = 33, 100*2//3 = 66, 100*3//3 = 100 -> 33, 33, 34
    # parcel 1: one line takes all of 7; parcel 2: no weights, the first line takes all of 5
    assert share.tolist() == [33, 33, 34, 7, 5, 0]
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
    points = np.array([2, 0], dtype=np.int8)
    order, groups, owner = step.grouping(points, points, np.zeros(2, dtype=np.int64), 32)
    assert groups.size == 2  # two rounding groups, both of parcel 0
    assert owner.tolist() == [0, 0]
    # sorted by key within the parcel: the (0, 0) line (key 0) first, then the (2, 2) line
    assert order is not None
    assert order.tolist() == [1, 0]
