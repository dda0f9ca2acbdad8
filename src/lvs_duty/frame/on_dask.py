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


def _edges(part: pd.DataFrame, number: int, before: Any) -> Any:
    """Check a partition against the ids of the earlier ones; return the ids seen so far.

    A shipment's rows must all be in one partition: one that continues the previous partition,
    or comes back after others, would be assessed twice with its amounts split.
    """
    seen: set[Any] = set() if before is None else before[1]
    last = None if before is None else before[0]
    if len(part) == 0:
        return last, seen
    cells = [i for i in _ids(part) if _hashable(i)]  # an unhashable id is refused in the part
    ids = pd.unique(np.asarray(cells, dtype=object)) if cells else np.asarray([], dtype=object)
    if len(ids) == 0:
        return last, seen
    first = ids[0]
    again = [i for i in ids.tolist() if i in seen]
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
    seen.update(ids.tolist())
    last_id = ids[-1]
    return last_id, seen


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
