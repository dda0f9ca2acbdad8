"""Force the frame path to cut every batch into windows of one shipment, in three threads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from lvs_duty.frame import parallel


@contextmanager
def in_windows(count: int = 3) -> Iterator[None]:
    """Within the block, any batch of ``count`` shipments or more runs in ``count`` windows."""
    with (
        mock.patch.object(parallel, "WINDOW", 1),
        mock.patch.object(parallel, "cores", return_value=count),
    ):
        yield
