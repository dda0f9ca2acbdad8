"""Progress bars: on a terminal or when asked, silent otherwise; chunked compare is compare."""

from __future__ import annotations

import io
import sys

import numpy as np
import pandas as pd
import pytest

import lvs_duty
from lvs_duty import ArgumentError, compare
from lvs_duty.options import gea_options
from lvs_duty.progress import compare_with_progress, compute, enabled, shipment_cuts, steps
from lvs_duty.simulate import population


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bars_follow_the_terminal_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not enabled(None)
    assert enabled(True)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert enabled(None)
    assert not enabled(False)
    with pytest.raises(ArgumentError, match="True, False or None"):
        enabled("yes")  # type: ignore[arg-type]


def test_steps_draws_on_stderr_only_when_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert list(steps(range(3), total=3)) == [0, 1, 2]
    assert quiet.getvalue() == ""
    loud = _Terminal()
    monkeypatch.setattr(sys, "stderr", loud)
    assert list(steps(range(3), total=3, desc="work")) == [0, 1, 2]
    assert "work" in loud.getvalue()
    assert "3/3" in loud.getvalue()
    silenced = _Terminal()
    monkeypatch.setattr(sys, "stderr", silenced)
    assert list(steps(range(3), progress=False)) == [0, 1, 2]
    assert silenced.getvalue() == ""


def test_cuts_fall_only_between_shipments() -> None:
    ids = np.array([1, 1, 2, 2, 2, 3])
    # size 2: row 2 starts shipment 2 -> cut at 2; 2 + 2 = 4 is inside shipment 2 (rows 2-4),
    # so the cut moves on to row 5 where shipment 3 starts; then the end, 6
    assert shipment_cuts(ids, 2) == [0, 2, 5, 6]
    assert shipment_cuts(ids, 10) == [0, 6]


@pytest.mark.parametrize("amounts", ["minor", "decimal"])
def test_compare_in_chunks_is_compare(amounts: str) -> None:
    frame = population(300, "CA", seed=3)
    options = gea_options(lvs_duty.load_rules("CA"))
    expected = compare(frame, options, amounts=amounts)  # type: ignore[arg-type]
    got = compare_with_progress(
        frame,
        options,
        amounts=amounts,
        chunk=70,
        progress=False,  # type: ignore[arg-type]
    )
    pd.testing.assert_frame_equal(got, expected)


def test_compute_with_dask_diagnostics(monkeypatch: pytest.MonkeyPatch) -> None:
    dask = pytest.importorskip("dask")
    loud = _Terminal()
    monkeypatch.setattr(sys, "stderr", loud)
    assert compute(dask.delayed(sum)([1, 2, 3]), progress=True) == (6,)
    assert "100% Completed" in loud.getvalue()
    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert compute(dask.delayed(sum)([1, 2]), progress=False) == (3,)
    assert quiet.getvalue() == ""
