"""Populations larger than memory: Parquet partitions streamed through Dask, in bounded memory.

:func:`write_population` draws a synthetic population chunk by chunk (each chunk its own
seed, derived from the caller's, and its own range of shipment ids) and writes each chunk to
one Parquet file of one row group, so no shipment is ever cut across files and only one
chunk is in memory at a time. :func:`read_population` opens the directory as a Dask frame,
one partition per file. :func:`compare_to_parquet` runs :func:`lvs_duty.compare` partition
by partition, writes the per-shipment comparison to Parquet and returns
:func:`lvs_duty.summarize` of it, read back partition by partition. The same calls run on a
Dask cluster once a ``distributed.Client(address)`` is active (the files must then be on
storage the workers see).

Files are in the fast layout (int64 minor units); categorical values that are not strings
(dates, Decimal rates) are written as their exact text (``"2026-03-01"``, ``"0.18"``), which
the frame engine reads back as the same values. Needs the ``dask`` extra
(``pip install 'lvs_duty[dask]'``: dask, distributed, pyarrow).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ArgumentError
from .progress import compute, dask_bar, steps
from .rules import RuleSet

PER_PARTITION = 250_000
"""Parcels per Parquet file by default: about 340,000 rows; a partition in flight (its rows,
the engine's temporaries, its four-option comparison) peaks at a few hundred MB."""


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - only without the extra
        raise ImportError(
            f"lvs_duty.outofcore needs {name}: pip install 'lvs_duty[dask]'"
        ) from None


def chunk_seed(seed: int, number: int) -> int:
    """The seed of chunk ``number``: distinct per chunk, a pure function of (seed, number)."""
    state = np.random.SeedSequence([seed, number]).generate_state(2, dtype=np.uint32)
    return int(state[0]) << 32 | int(state[1])


def chunk_sizes(n: int, partitions: int) -> list[int]:
    """``n`` parcels split into ``partitions`` chunks differing by at most one parcel."""
    return [n // partitions + (k < n % partitions) for k in range(partitions)]


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns whose values are not strings get their exact text as categories."""
    out = frame.copy(deep=False)
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype) and not all(
            isinstance(c, str) for c in values.cat.categories
        ):
            out[column] = values.cat.rename_categories([str(c) for c in values.cat.categories])
    return out


def write_population(
    path: str | Path,
    n: int,
    destination: str,
    *,
    seed: int,
    per_partition: int = PER_PARTITION,
    profile: Any = None,
    progress: bool | None = None,
) -> Path:
    """Write ``n`` synthetic parcels to ``path`` (a new or empty directory) as Parquet files.

    Chunk ``k`` is ``simulate.population(size, destination, seed=chunk_seed(seed, k),
    layout="minor")`` with shipment ids shifted to follow the previous chunk's, so ids run
    1..n over the files ``part-00000.parquet``... in order. Deterministic by ``seed``;
    memory holds one chunk at a time. ``profile`` is passed to ``population`` when given.
    """
    from .simulate import population

    pq = _module("pyarrow.parquet")
    pa = _module("pyarrow")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ArgumentError("write_population", "n", "a non-negative int", n)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ArgumentError("write_population", "seed", "a non-negative int", seed)
    if isinstance(per_partition, bool) or not isinstance(per_partition, int) or per_partition < 1:
        raise ArgumentError("write_population", "per_partition", "a positive int", per_partition)
    folder = Path(path)
    if folder.exists() and any(folder.iterdir()):
        raise ArgumentError("write_population", "path", "a new or empty directory", str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    partitions = max(1, -(-n // per_partition))
    extra = {} if profile is None else {"profile": profile}
    first = 0
    sizes = chunk_sizes(n, partitions)
    chunks = steps(
        enumerate(sizes), total=partitions, desc="population", unit="file", progress=progress
    )
    for number, size in chunks:
        frame = population(
            size, destination, seed=chunk_seed(seed, number), layout="minor", **extra
        )
        frame["shipment_id"] += first
        first += size
        table = pa.Table.from_pandas(_as_text(frame), preserve_index=False)
        pq.write_table(table, folder / f"part-{number:05d}.parquet", row_group_size=len(frame) or 1)
        del frame, table
    return folder


def read_population(path: str | Path) -> Any:
    """The Parquet files of :func:`write_population` (or any such) as a Dask frame.

    One partition per file, in file-name order; every shipment's rows must lie in one file
    (``assess_frame`` and ``compare`` refuse a shipment continued across files).
    """
    dd = _module("dask.dataframe")
    return dd.read_parquet(str(path), split_row_groups=False, blocksize=None)


def compare_to_parquet(
    population: str | Path | Any,
    options: Mapping[str, RuleSet],
    out: str | Path,
    *,
    fx: Mapping[str, Decimal] | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Compare the options over a Parquet population, write the comparison, return its summary.

    ``population`` is a directory of Parquet files or a Dask frame. The comparison
    (``compare(..., amounts="minor")``: one row per partition, option and shipment, in that
    order) goes to ``out`` as ``part-00000.parquet``...; the summary is ``summarize`` of the
    files just written, reduced partition by partition. Memory holds a few partitions at a
    time, whatever the size of the population.
    """
    from .compare import compare, summarize

    frame = population if hasattr(population, "map_partitions") else read_population(population)
    comparison = compare(frame, options, fx=fx, amounts="minor")
    target = str(out)
    local = Path(target) if "://" not in target else None  # s3://... and the like: not checked
    if local is not None and local.exists() and any(local.iterdir()):
        raise ArgumentError("compare_to_parquet", "out", "a new or empty directory", target)
    writing = comparison.to_parquet(
        target,
        write_index=False,
        compute=False,
        name_function=lambda number: f"part-{number:05d}.parquet",
    )
    compute(writing, progress=progress)
    with dask_bar(progress):
        return summarize(read_population(target))


__all__ = [
    "PER_PARTITION",
    "chunk_seed",
    "chunk_sizes",
    "compare_to_parquet",
    "read_population",
    "write_population",
]
