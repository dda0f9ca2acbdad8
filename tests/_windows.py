"""Force the frame path's other roads: windows of one shipment, three threads; tax groups apart."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from lvs_duty.frame import parallel, tax


@contextmanager
def in_windows(count: int = 3) -> Iterator[None]:
    """Within the block, any batch of ``count`` shipments or more runs in ``count`` windows."""
    with (
        mock.patch.object(parallel, "WINDOW", 1),
        mock.patch.object(parallel, "cores", return_value=count),
    ):
        yield


@contextmanager
def split_groups() -> Iterator[None]:
    """Within the block, shipments of several tax rounding groups are always rounded apart."""
    with mock.patch.object(tax, "SPLIT_SHARE", 0):
        yield
