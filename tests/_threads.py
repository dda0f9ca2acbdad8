"""Force the table read's threads on small tables (as tests/_windows.py forces windows)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from lvs_duty.frame import input, parallel


@contextmanager
def read_in_threads(count: int = 2) -> Iterator[None]:
    """Within the block, a table of 2 rows or more is read by ``count`` threads.

    Amounts as Python objects too (read serially otherwise: ``input._threads``).
    """
    with (
        objects_in_threads(),
        mock.patch.object(parallel, "WINDOW", 1),
        mock.patch.object(parallel, "cores", return_value=count),
        mock.patch.object(input, "_WINDOWS_PER_THREAD", 1),
    ):
        yield


@contextmanager
def read_serially() -> Iterator[None]:
    """Within the block, every table is read by one thread (one core)."""
    with mock.patch.object(parallel, "cores", return_value=1):
        yield


@contextmanager
def objects_in_threads() -> Iterator[None]:
    """Within the block, tables of 2 x WINDOW rows or more are read in threads (one per core),
    those with amounts as Python objects too."""
    with (
        mock.patch.object(input, "_OBJECT_AMOUNTS_IN_THREADS", True),
        mock.patch.object(input, "_WINDOWS_PER_THREAD", 1),
    ):
        yield
