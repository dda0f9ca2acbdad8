"""Progress bars for long work: shown on a terminal, silent otherwise or when asked.

Every function takes ``progress``: ``None`` (the default) shows a bar only when standard error
is a terminal, ``True`` always, ``False`` never. Bars go to standard error, so piped output
stays clean. In-process loops use ``tqdm``; Dask work uses Dask's own diagnostics
(``dask.diagnostics.ProgressBar`` on the local schedulers, ``distributed.progress`` when a
``distributed.Client`` is active). Without ``tqdm`` installed the loops run silently.

:func:`compare_with_progress` is :func:`lvs_duty.compare` on a pandas table, run over
chunks of whole shipments with a bar; its result is exactly ``compare``'s, row for row.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from itertools import pairwise
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from .errors import ArgumentError
from .rules import RuleSet
from .schedules import Schedule

T = TypeVar("T")

DEFAULT_CHUNK = 250_000
"""Table rows per chunk of :func:`compare_with_progress` (bounds the engine's temporaries)."""


def enabled(progress: bool | None) -> bool:
    """Whether to draw a bar: as asked, or by default only when stderr is a terminal."""
    if progress is not None and not isinstance(progress, bool):
        raise ArgumentError("progress", "progress", "True, False or None", progress)
    if progress is not None:
        return progress
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty is not None and isatty())


def _tqdm() -> Any:
    try:
        return importlib.import_module("tqdm").tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency; run silently without it
        return None


def steps(
    items: Iterable[T],
    *,
    total: int | None = None,
    desc: str = "",
    unit: str = "it",
    progress: bool | None = None,
) -> Iterator[T]:
    """The items, one by one, with a tqdm bar on stderr when :func:`enabled`."""
    bar = _tqdm() if enabled(progress) else None
    if bar is None:
        yield from items
        return
    yield from bar(items, total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)


def _client() -> Any:
    """The active distributed client, or None (no distributed, or no client started)."""
    try:
        distributed = importlib.import_module("distributed")
    except ImportError:
        return None
    try:
        return distributed.default_client()
    except ValueError:
        return None


@contextmanager
def dask_bar(progress: bool | None = None) -> Iterator[None]:
    """Dask's ProgressBar (local schedulers) around the block, when :func:`enabled`."""
    if not enabled(progress):
        yield
        return
    diagnostics = importlib.import_module("dask.diagnostics")
    with diagnostics.ProgressBar(out=sys.stderr):
        yield


def compute(*lazy: Any, progress: bool | None = None) -> tuple[Any, ...]:
    """``dask.compute`` of the lazy objects with Dask's progress display when enabled.

    On a ``distributed`` cluster (a ``Client`` is active) the work is submitted to it and
    ``distributed.progress`` draws the bar; otherwise dask's ``ProgressBar`` does.
    """
    client = _client()
    if client is not None:
        futures = client.compute(list(lazy))
        if enabled(progress):
            importlib.import_module("distributed").progress(futures)
        return tuple(client.gather(futures))
    dask = importlib.import_module("dask")
    with dask_bar(progress):
        return tuple(dask.compute(*lazy))


def shipment_cuts(ids: Any, size: int) -> list[int]:
    """Row offsets cutting a table into pieces of about ``size`` rows, never inside a shipment.

    Rows of one shipment must be contiguous (as ``population`` and ``shipments_to_frame``
    lay them out); a cut moves forward to where ``shipment_id`` changes.
    """
    n = len(ids)
    cuts = [0]
    while cuts[-1] < n:
        at = cuts[-1] + size
        if at >= n:
            cuts.append(n)
            break
        changes = np.flatnonzero(ids[at:] != ids[at - 1])
        cuts.append(at + int(changes[0]) if len(changes) else n)
    return cuts


def compare_with_progress(
    frame: pd.DataFrame,
    options: Mapping[str, RuleSet],
    *,
    fx: Mapping[str, Decimal] | None = None,
    amounts: Literal["decimal", "minor"] = "decimal",
    chunk: int = DEFAULT_CHUNK,
    progress: bool | None = None,
    schedule: Schedule | None = None,
) -> pd.DataFrame:
    """``lvs_duty.compare(frame, options)`` in chunks of whole shipments, with a bar.

    The result equals ``compare``'s (options outermost, shipments in table order, a fresh
    RangeIndex); a bad row raises the same FrameError, naming the row by its label.
    """
    from .compare import compare

    if not isinstance(frame, pd.DataFrame):
        raise ArgumentError("compare_with_progress", "frame", "a pandas DataFrame", frame)
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ArgumentError("compare_with_progress", "chunk", "a positive int", chunk)
    if "shipment_id" not in frame.columns or len(frame) <= chunk:
        whole: pd.DataFrame = compare(frame, options, fx=fx, amounts=amounts, schedule=schedule)
        return whole
    ids = frame["shipment_id"].to_numpy()
    cuts = shipment_cuts(ids, chunk)
    per_option: list[list[pd.DataFrame]] = [[] for _ in options]
    pieces = steps(
        pairwise(cuts),
        total=len(cuts) - 1,
        desc="compare",
        unit="chunk",
        progress=progress,
    )
    for start, stop in pieces:
        part = compare(frame.iloc[start:stop], options, fx=fx, amounts=amounts, schedule=schedule)
        shipments = len(part) // len(per_option)
        for k, rows in enumerate(per_option):
            rows.append(part.iloc[k * shipments : (k + 1) * shipments])
    return pd.concat([p for rows in per_option for p in rows], ignore_index=True)


__all__ = [
    "DEFAULT_CHUNK",
    "compare_with_progress",
    "compute",
    "dask_bar",
    "enabled",
    "shipment_cuts",
    "steps",
]
