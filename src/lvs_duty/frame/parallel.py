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

Run = Callable[
    [Batch, RuleSet, RuleVersion, Mapping[str, Fraction] | None, Outcome | None], Outcome
]
"""A batch's assessment, written into the outcome given (when it can be) and returned."""


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


class Windows:
    """A batch's cuts into windows of whole shipments; each window made on first use, kept.

    A window is made by the thread that first runs it (its segments are new arrays), so the
    cutting costs no serial time; it holds views of the batch's columns, not the batch itself.
    """

    def __init__(self, size: int, count: int) -> None:
        self.cuts = list(pairwise(size * k // count for k in range(count + 1)))
        self._made: list[Batch | None] = [None] * count

    def part(self, batch: Batch, k: int) -> Batch:
        """Window ``k`` of ``batch`` (the batch these cuts were made for)."""
        made = self._made[k]
        if made is None:
            made = self._made[k] = window(batch, *self.cuts[k])
        return made

    def made(self) -> list[Batch]:
        """The windows made so far, in order."""
        return [part for part in self._made if part is not None]


def windows(batch: Batch, count: int) -> Windows:
    """``count`` windows of about equal size, kept on the batch for the next option."""
    key = f"windows {count}"
    kept: Windows | None = batch.extra.get(key)
    if kept is None:
        kept = batch.extra[key] = Windows(batch.size, count)
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
    the first window (in order) that raises. Each window's outcome is written by its own thread
    (by the kernel itself, in place) into ``into`` (columns of the batch's size: ``compare``'s
    own) when given, and it is returned; otherwise into new columns, left unset only where
    windows raised. Run whole, ``run`` is given ``into`` too: the caller checks what it got.
    """
    most = batch.size // max(WINDOW if smallest is None else smallest, 1)  # windows at most
    threads = threads_for(most)
    if threads < 2:  # few shipments, one core, or called in a thread (Dask's, a server's) already
        return run(batch, rules, version, fx, into)
    parts = windows(batch, min(most, max(threads, -(-batch.size // LARGEST))))
    out = Outcome.empty(batch.size) if into is None else into  # the windows cover every shipment

    def one(k: int) -> None:
        part, mine = parts.part(batch, k), out.window(*parts.cuts[k])
        with decimal.localcontext(CONTEXT):  # a thread starts in the default context
            outcome = run(part, rules, version, fx, mine)
        if outcome is not mine:  # not written in place (a batch int64 could not hold whole)
            mine.put(slice(None), outcome)

    try:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lvs_duty") as pool:
            for done in [pool.submit(one, k) for k in range(len(parts.cuts))]:
                done.result()  # the first window's exception, in order
        for part in parts.made():
            batch.problems.entries.extend(part.problems.entries)
        return out
    finally:
        for part in parts.made():
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


__all__ = ["WINDOW", "Windows", "cores", "elementwise", "run_windows", "window", "windows"]
