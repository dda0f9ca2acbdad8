"""Scale-out with Dask: the frame path run partition by partition, lazily, in bounded memory.

Each partition is assessed on its own, so every shipment's rows must lie in one partition.
Each partition also learns the last shipment id of the partitions before it (a tiny value,
not their data), and refuses to run if its first shipment continues one that started
earlier: the cut a ``from_pandas`` or ``read_csv`` split makes inside a contiguous shipment is
caught when the result is computed, not silently assessed as two shipments.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ..errors import FrameError, RowProblem
from ..rules import RuleSet


def _dask() -> tuple[Any, Any]:
    try:
        dask = importlib.import_module("dask")
        dd = importlib.import_module("dask.dataframe")
    except ImportError:  # pragma: no cover - only without the extra
        raise ImportError(
            "lvs_duty: Dask frames need the dask extra: pip install 'lvs_duty[dask]'"
        ) from None
    return dask, dd


def _ids(part: pd.DataFrame) -> Any:
    return part["shipment_id"] if "shipment_id" in part.columns else part.index


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class _Seen:
    """The shipment ids of the partitions so far, kept small at any size.

    Integer ids are runs of consecutive integers, ``[low, high]`` pairs in two sorted arrays:
    the ids 1..n of a population written chunk by chunk stay one pair at 10^8 parcels (a set of
    the ids themselves grew by about 9 MB per partition: 9 GB at 10^8). Other ids (text) are
    kept in a set.
    """

    def __init__(self) -> None:
        self.lows = np.empty(0, dtype=np.int64)
        self.highs = np.empty(0, dtype=np.int64)
        self.others: set[Any] = set()

    def _runs_hit(self, ints: Any) -> Any:
        """Which of ``ints`` (int64) fall in a run already seen."""
        at = np.searchsorted(self.lows, ints, side="right") - 1
        inside = at >= 0
        hit = np.zeros(len(ints), dtype=bool)
        hit[inside] = ints[inside] <= self.highs[at[inside]]
        return hit

    def again(self, ints: Any, others: list[Any]) -> list[Any]:
        """The ids (in the order given) seen in an earlier partition."""
        hits = ints[self._runs_hit(ints)].tolist() if len(self.lows) else []
        return hits + [i for i in others if i in self.others]

    def add(self, ints: Any, others: list[Any]) -> None:
        """Record a partition's ids (none of them seen before)."""
        self.others.update(others)
        if not len(ints):
            return
        ids = np.unique(ints)
        start = np.ones(len(ids), dtype=bool)
        start[1:] = np.diff(ids) != 1
        ends = np.append(np.flatnonzero(start)[1:] - 1, len(ids) - 1)
        lows = np.concatenate([self.lows, ids[start]])
        highs = np.concatenate([self.highs, ids[ends]])
        order = np.argsort(lows, kind="stable")
        lows, highs = lows[order], highs[order]
        join = np.ones(len(lows), dtype=bool)  # the runs are disjoint: adjacent ones merge
        join[1:] = (lows[1:] - highs[:-1]) != 1
        self.lows = lows[join]
        self.highs = highs[np.append(np.flatnonzero(join)[1:] - 1, len(highs) - 1)]


def _split_ids(part: pd.DataFrame) -> tuple[Any, Any, list[Any]]:
    """A partition's distinct ids in order of appearance: all, the integers, the others."""
    column = _ids(part)
    values = column.to_numpy()
    if values.dtype.kind == "i" or (
        values.dtype.kind == "u" and (len(values) == 0 or values.max() <= np.iinfo(np.int64).max)
    ):
        ints = pd.unique(values.astype(np.int64))
        return ints, ints, []
    cells = [i for i in column if _hashable(i)]  # an unhashable id is refused in the part
    ids = pd.unique(np.asarray(cells, dtype=object)) if cells else np.asarray([], dtype=object)
    whole = [
        i for i in ids.tolist() if isinstance(i, (int, np.integer)) and not isinstance(i, bool)
    ]
    fits = [i for i in whole if -(2**63) <= i < 2**63]
    chosen = set(map(id, fits))
    rest = [i for i in ids.tolist() if id(i) not in chosen]
    return ids, np.asarray(fits, dtype=np.int64), rest


def _edges(part: pd.DataFrame, number: int, before: Any) -> Any:
    """Check a partition against the ids of the earlier ones; return the ids seen so far.

    A shipment's rows must all be in one partition: one that continues the previous partition,
    or comes back after others, would be assessed twice with its amounts split.
    """
    seen: _Seen = _Seen() if before is None else before[1]
    last = None if before is None else before[0]
    if len(part) == 0:
        return last, seen
    ids, ints, others = _split_ids(part)
    if len(ids) == 0:
        return last, seen
    first = _plain(ids[0])
    again = seen.again(ints, others)
    if again:
        continues = first == last
        problem = (
            f"all rows of a shipment in one partition: shipment {first!r} continues from an "
            "earlier partition"
            if continues
            else f"all rows of a shipment in one partition: shipment {again[0]!r} also has rows "
            "in an earlier partition"
        )
        raise FrameError(
            [
                RowProblem(
                    part.index[0],
                    "shipment_id",
                    problem + " (split with lvs_duty.frame.to_dask or index by shipment_id)",
                    repr(first if continues else again[0]),
                )
            ],
            f"dask partition {number}",
        )
    seen.add(ints, others)
    return _plain(ids[-1]), seen


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value (``5``, not ``np.int64(5)``, in a message)."""
    return value.item() if isinstance(value, np.generic) else value


def map_shipments(frame: Any, run: Callable[[pd.DataFrame], pd.DataFrame]) -> Any:
    """Apply ``run`` to every partition (shipments kept whole); a lazy dask frame comes back."""
    dask, dd = _dask()
    meta = run(frame._meta)
    parts = frame.to_delayed()
    known = bool(frame.known_divisions) and (
        frame.index.name == "shipment_id" and "shipment_id" not in frame.columns
    )

    def guarded(part: pd.DataFrame, checked: Any) -> pd.DataFrame:
        return run(part)

    outs, before = [], None
    for number, part in enumerate(parts):
        if not known:
            before = dask.delayed(_edges)(part, number, before)
        outs.append(dask.delayed(guarded)(part, before))
    return dd.from_delayed(outs, meta=meta, verify_meta=False)


def assess_dask(
    frame: Any,
    rules: RuleSet,
    fx: Mapping[str, Fraction] | None,
    on: dt.date | None,
    errors: str,
    schedule: Any = None,
) -> Any:
    """assess_frame over a dask frame, partition by partition."""
    from . import assess_pandas

    def run(part: pd.DataFrame) -> pd.DataFrame:
        return assess_pandas(part, rules, fx, on, errors, schedule)

    return map_shipments(frame, run)


def summarize_dask(
    comparison: Any,
    partial: Callable[[pd.DataFrame], pd.DataFrame],
    combine: Callable[[list[pd.DataFrame]], pd.DataFrame],
) -> pd.DataFrame:
    """Summaries of a lazy comparison from per-partition partial sums, exactly."""
    dask, _ = _dask()
    pieces = [dask.delayed(partial)(p) for p in comparison.to_delayed()]
    computed: list[pd.DataFrame] = list(dask.compute(*pieces))
    return combine(computed)


__all__ = ["assess_dask", "map_shipments", "summarize_dask"]
