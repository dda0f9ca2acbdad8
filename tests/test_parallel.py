"""A batch cut into windows of whole shipments, assessed in threads, gives the whole's answer.

tests/test_two_speeds.py checks every random example with windows too (``in_windows``); here
are the windows themselves and what only a large or bad batch shows: problems, their order,
exceptions, and compare's reuse of the windows across options.
"""

from __future__ import annotations

from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

import lvs_duty
from _windows import in_windows
from lvs_duty import FrameError, compare
from lvs_duty.frame import assess_frame, parallel
from lvs_duty.frame.compare import effective_bp
from lvs_duty.frame.input import read_batch
from lvs_duty.frame.kernel import Outcome
from lvs_duty.options import gea_options
from lvs_duty.simulate import population

CA = lvs_duty.load_rules("CA")


def _table() -> pd.DataFrame:
    """Four parcels of 1, 2, 1 and 3 lines (values 10.00 to 70.00 CAD)."""
    ids = [1, 2, 2, 3, 4, 4, 4]
    return pd.DataFrame(
        {
            "shipment_id": ids,
            "destination": "CA",
            "date": pd.Timestamp("2026-07-01").date(),
            "currency": "CAD",
            "region": "ON",
            "value_minor": [1000, 2000, 3000, 4000, 5000, 6000, 7000],
            "hs_code": "610910",
        }
    )


def test_a_window_is_a_view_of_its_shipments_and_their_lines() -> None:
    batch = read_batch(_table())
    part = parallel.window(batch, 1, 3)  # parcels 2 and 3: input rows 1, 2 and 3
    assert part.size == 2
    assert part.ids.tolist() == [2, 3]
    assert part.rows.tolist() == [1, 2, 3]
    assert part.seg.sid.tolist() == [0, 0, 1]
    assert part.seg.starts.tolist() == [0, 2]
    assert part.seg.counts.tolist() == [2, 1]
    assert part.value.tolist() == [2000, 3000, 4000]
    assert np.shares_memory(part.value, batch.value)  # no column is copied
    assert part.problems is not batch.problems
    assert part.extra == {}
    last = parallel.window(batch, 3, 4)  # the last parcel runs to the last line
    assert last.rows.tolist() == [4, 5, 6]
    assert last.seg.counts.tolist() == [3]


def test_windows_cut_between_shipments_in_about_equal_parts_and_are_kept() -> None:
    batch = read_batch(_table())
    cut = parallel.windows(batch, 3)  # 4 shipments in 3: 4 * k // 3 = 0, 1, 2, 4
    assert cut.cuts == [(0, 1), (1, 2), (2, 4)]
    assert cut.made() == []  # a window is made by the thread that first runs it
    last = cut.part(batch, 2)
    assert last.ids.tolist() == [3, 4]
    assert cut.part(batch, 2) is last
    assert parallel.windows(batch, 3) is cut  # the next option reuses them
    assert cut.made() == [last]


def test_small_batches_and_one_core_run_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    batch = read_batch(_table())
    seen: list[int] = []

    def run(part: object, *_: object) -> object:
        seen.append(part.size)  # type: ignore[attr-defined]
        return "whole"

    monkeypatch.setattr(parallel, "cores", lambda: 8)
    assert parallel.run_windows(run, batch, CA, CA.versions[-1], None) == "whole"
    assert seen == [4]  # 4 shipments are fewer than two windows of WINDOW
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    assert parallel.run_windows(run, batch, CA, CA.versions[-1], None, smallest=1) == "whole"
    assert seen == [4, 4]


def test_bad_rows_in_every_window_are_reported_as_by_the_whole() -> None:
    frame = population(3000, "CA", seed=11, layout="minor")
    frame["region"] = frame["region"].astype(object)
    ids = frame["shipment_id"].drop_duplicates().to_numpy()  # windows: 0-999, 1000-1999, 2000-
    for k, region in ((3, "XX"), (1500, "ZZ"), (2999, "QQ")):  # regions the rules do not know
        frame.loc[frame["shipment_id"] == ids[k], "region"] = region
    frame.loc[(frame["shipment_id"] == ids[1001]).to_numpy().nonzero()[0][0], "value_minor"] = -5
    frame["currency"] = frame["currency"].astype(object)
    for k in (10, 1010, 2010):  # found by the kernel, in each window: no exchange rate
        frame.loc[frame["shipment_id"] == ids[k], "currency"] = "USD"
    with pytest.raises(FrameError) as whole:
        assess_frame(frame, CA)
    with in_windows(), pytest.raises(FrameError) as windowed:
        assess_frame(frame, CA)
    assert str(windowed.value) == str(whole.value)
    flagged = assess_frame(frame, CA, errors="flag")
    with in_windows():
        pd.testing.assert_frame_equal(assess_frame(frame, CA, errors="flag"), flagged)
    assert flagged["status"].astype(str).value_counts()["error"] == 7
    assert "fx={'USD'" in str(whole.value)


def test_a_window_int64_cannot_hold_whole_is_halved_and_its_good_parcels_kept() -> None:
    # parcel 4 of 6 has a rate only the Decimal path holds: its window (parcels 4-5, of
    # windows 0-1, 2-3, 4-5) cannot be written in place, so it is assessed half by half
    frame = population(6, "CA", seed=3, layout="minor")
    frame["duty_rate"] = frame["duty_rate"].astype(object)
    ids = frame["shipment_id"].drop_duplicates().to_numpy()
    frame.loc[frame["shipment_id"] == ids[4], "duty_rate"] = D("0.1234567890123456789")
    whole = assess_frame(frame, CA, errors="flag")
    assert whole["status"].astype(str).tolist() == ["ok"] * 4 + ["error", "ok"]
    assert "int64" in whole["error"].iloc[4]
    with in_windows():
        pd.testing.assert_frame_equal(assess_frame(frame, CA, errors="flag"), whole)


def test_compare_in_windows_equals_compare_whole() -> None:
    frame = population(2000, "CA", seed=5)  # canonical layout, Decimal amounts
    options = gea_options(CA)
    whole = compare(frame, options, amounts="minor")
    with in_windows():
        pd.testing.assert_frame_equal(compare(frame, options, amounts="minor"), whole)
        decimal = compare(frame, options)
    assert decimal["total"].map(type).eq(D).all()
    pd.testing.assert_frame_equal(decimal, compare(frame, options))


def test_no_threads_within_a_callers_thread() -> None:
    """Called from a thread (a Dask worker's, a server's), the batch runs whole, in it."""
    from concurrent.futures import ThreadPoolExecutor

    batch = read_batch(_table())
    sizes: list[int] = []

    def run(part: object, *_: object) -> object:
        sizes.append(part.size)  # type: ignore[attr-defined]
        return Outcome.zeros(part.size)  # type: ignore[attr-defined]

    with in_windows(), ThreadPoolExecutor(1) as pool:
        got = pool.submit(parallel.run_windows, run, batch, CA, CA.versions[-1], None).result()
    assert got.total.tolist() == [0, 0, 0, 0]
    assert sizes == [4]
    with in_windows():  # the same call from the main thread: 3 windows of 1, 1 and 2 shipments
        parallel.run_windows(run, batch, CA, CA.versions[-1], None)
    assert sorted(sizes[1:]) == [1, 1, 2]


def test_an_elementwise_column_in_slices_is_the_whole_column() -> None:
    # compare's effective rate (total / goods in basis points, half-even), in three slices:
    # 1/3 -> 3333.33 bp -> 3333; 1/8 -> 1250; 3/16000 -> 1.875 bp -> 2; 5/40000 -> 1.25 -> 1;
    # goods 0 -> 0; a total past 2**62 / 10**4 in Python ints: 2**61 / 2**61 -> 10000
    total = np.array([1, 1, 3, 5, 7, 2**61], dtype=np.int64)
    goods = np.array([3, 8, 16000, 40000, 0, 2**61], dtype=np.int64)
    expected = [3333, 1250, 2, 1, 0, 10000]
    assert effective_bp(total, goods).tolist() == expected
    out = np.full(len(total), -1, dtype=np.int64)
    with in_windows():
        parallel.elementwise(effective_bp, out, total, goods)
    assert out.tolist() == expected
