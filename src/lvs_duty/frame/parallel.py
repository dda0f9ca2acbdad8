"""A large batch assessed in windows of whole shipments, one thread per core.

Shipments are independent, so a batch cut between shipments gives, window by window, exactly
the outcome of the whole; numpy releases the GIL in its loops, so windows run in parallel on
the cores this process may use. Only from the main thread: a caller that already runs lvs_duty
in threads (Dask's workers, a server) gets no threads within threads. Each window is a view of
the batch (no column is copied) with problems of its own, moved to the batch's in window order
once it is done; the split is kept on the batch, so ``compare``'s options reuse it (and each
window's kept valuation).
"""

from __future__ import annotations

import decimal
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from fractions import Fraction
from itertools import pairwise
from typing import Any

from ..money import CONTEXT
from ..rules import RuleSet, RuleVersion
from .input import Batch, Coded
from .ints import Segments
from .kernel import Outcome
from .problems import Problems

WINDOW = 1 << 16
"""The fewest shipments worth a thread of their own (below, threads cost more than they save)."""

LARGEST = 1 << 18
"""The most shipments in one window: more windows than threads keep fewer in flight at once."""

Run = Callable[[Batch, RuleSet, RuleVersion, Mapping[str, Fraction] | None], Outcome]


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads_for(most: int) -> int:
    """Threads for work of at most ``most`` slices: one per core, none within a caller's thread.

    A caller that already runs lvs_duty in threads (Dask's workers, a server) gets 1.
    """
    if threading.current_thread() is not threading.main_thread():
        return 1
    return min(cores(), most)


def window(batch: Batch, start: int, stop: int) -> Batch:
    """Shipments ``start`` to ``stop`` (and their lines) as a batch of their own: views."""
    seg = batch.seg
    first, last = (
        int(seg.starts[start]),
        int(seg.starts[stop] if stop < batch.size else len(seg.sid)),
    )
    ships, lines = slice(start, stop), slice(first, last)

    def at(coded: Coded, where: slice) -> Coded:
        return Coded(coded.codes[where], coded.values)

    changed: dict[str, Any] = {
        "size": stop - start,
        "rows": batch.rows[lines],
        "seg": Segments(seg.sid[lines] - start, stop - start, seg.starts[ships] - first),
        "ids": batch.ids[ships],
        "problems": Problems(batch.problems.labels, batch.problems.row_ship),
        "extra": {},
        "gift": batch.gift[ships],
        "shipping": batch.shipping[ships],
        "insurance": batch.insurance[ships],
        "value": batch.value[lines],
        "quantity": batch.quantity[lines],
        "schedule_line": None if batch.schedule_line is None else at(batch.schedule_line, lines),
    }
    changed.update({name: at(getattr(batch, name), ships) for name in _SHIPMENT_CODED})
    changed.update({name: at(getattr(batch, name), lines) for name in _LINE_CODED})
    return replace(batch, **changed)


_SHIPMENT_CODED = (
    "destination",
    "date",
    "currency",
    "ship_from",
    "origin",
    "region",
    "mode",
    "seller_registered",
)
_LINE_CODED = ("hs_code", "duty_rate", "category", "weight_kg", "volume_l", "abv")


def windows(batch: Batch, count: int) -> list[tuple[int, int, Batch]]:
    """``count`` windows of about equal size, kept on the batch for the next option."""
    key = f"windows {count}"
    kept: list[tuple[int, int, Batch]] | None = batch.extra.get(key)
    if kept is None:
        cuts = [batch.size * k // count for k in range(count + 1)]
        kept = [(a, b, window(batch, a, b)) for a, b in pairwise(cuts)]
        batch.extra[key] = kept
    return kept


def run_windows(
    run: Run,
    batch: Batch,
    rules: RuleSet,
    version: RuleVersion,
    fx: Mapping[str, Fraction] | None,
    smallest: int | None = None,
    into: Outcome | None = None,
) -> Outcome:
    """``run`` on the whole batch, or on windows of at least ``smallest`` shipments in threads.

    The outcome and the problems are those of one run on the whole batch: each shipment is
    assessed alone, problems are sorted by row when reported, and an exception is raised for
    the first window (in order) that raises. The windows' outcomes are written into ``into``
    (columns of the batch's size: ``compare``'s own) when given, and it is returned.
    """
    most = batch.size // max(WINDOW if smallest is None else smallest, 1)  # windows at most
    threads = threads_for(most)
    if threads < 2:  # few shipments, one core, or called in a thread (Dask's, a server's) already
        return run(batch, rules, version, fx)
    parts = windows(batch, min(most, max(threads, -(-batch.size // LARGEST))))

    def one(part: Batch) -> Outcome:
        with decimal.localcontext(CONTEXT):  # a thread starts in the default context
            return run(part, rules, version, fx)

    try:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lvs_duty") as pool:
            outcomes = list(pool.map(one, [p for _, _, p in parts]))
        # calloc'd: a page is resident once a window lands; the windows cover every shipment
        out = Outcome.zeros(batch.size) if into is None else into
        for a, b, _ in parts:
            out.put(slice(a, b), outcomes.pop(0))  # each freed once copied, not all held to the end
        for _, _, part in parts:
            batch.problems.entries.extend(part.problems.entries)
        return out
    finally:
        for _, _, part in parts:
            part.problems.entries.clear()


def elementwise(work: Callable[..., Any], out: Any, *columns: Any) -> None:
    """``out[:] = work(*columns)`` for a function of each row alone, in slices, one per core.

    Exact as a whole: row ``i`` of the result depends on row ``i`` of the columns only. Slices
    only from the main thread and for 2 x WINDOW rows or more, as batches are cut.
    """
    n = len(out)
    threads = threads_for(n // WINDOW)
    if threads < 2:
        out[:] = work(*columns)
        return
    cuts = [n * k // threads for k in range(threads + 1)]

    def one(a: int, b: int) -> None:
        out[a:b] = work(*(c[a:b] for c in columns))

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lvs_duty") as pool:
        for done in [pool.submit(one, a, b) for a, b in pairwise(cuts)]:
            done.result()  # the first slice's exception, in order


__all__ = ["WINDOW", "cores", "elementwise", "run_windows", "window", "windows"]
