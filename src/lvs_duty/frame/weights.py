"""The ``weight`` column: how many real parcels each synthetic shipment stands for.

A calibrated population (:func:`lvs_duty.simulate.population` with a profile) gives every
shipment an integer weight, so that money x weight stays exact and the weights sum to the
parcels of a year. The frame path accepts the column, checks it (a whole number of parcels,
at least 0, the same on every row of a shipment) and carries it, one value per shipment, to
the result of :func:`lvs_duty.frame.assess_frame` and :func:`lvs_duty.compare`;
:func:`lvs_duty.summarize` then adds annual totals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .input import Batch
from .ints import Ints

WEIGHT = "weight"
"""The column's name."""

EXPECTED = "a whole number of parcels (0 or more), the same on every row of a shipment"


def _whole(cell: object) -> int | None:
    if isinstance(cell, (bool, np.bool_)):
        return None
    if isinstance(cell, (int, np.integer)):
        return int(cell) if cell >= 0 else None
    return None


def read_weights(frame: pd.DataFrame, batch: Batch) -> Batch:
    """Put the frame's per-shipment weights in ``batch.extra["weight"]``; report bad cells."""
    if WEIGHT not in frame.columns:
        return batch
    column = frame[WEIGHT]
    values = column.to_numpy()
    if values.dtype.kind in "iu":
        rows: Ints = values.astype(np.int64)
        bad = rows < 0
    else:
        cells = [_whole(v) for v in values]
        bad = np.array([c is None for c in cells], dtype=bool)
        rows = np.array([0 if c is None else c for c in cells], dtype=np.int64)
    ordered = rows[batch.rows]
    first = ordered[batch.seg.starts]
    differs = ordered != first[batch.seg.sid]
    wrong = bad[batch.rows] | differs
    if bool(wrong.any()):
        at = batch.rows[np.flatnonzero(wrong)]
        shown: list[str] = [repr(v) for v in values[at]]
        batch.problems.add(at, WEIGHT, f"expected {EXPECTED}", shown)
    batch.extra[WEIGHT] = first
    return batch


def weights_of(batch: Batch) -> Ints | None:
    """The per-shipment weights the batch carries, or None."""
    out: Ints | None = batch.extra.get(WEIGHT)
    return out


__all__ = ["EXPECTED", "WEIGHT", "read_weights", "weights_of"]
