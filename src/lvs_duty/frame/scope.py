"""Exclusions scoped to a threshold or allowance, on the frame path (asked once per HS code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import decide
from .input import hs_lut
from .ints import Bools

if TYPE_CHECKING:
    from .kernel import Kernel


def excluded_under(kernel: Kernel, kind: str, name: str, excluded: Bools | None) -> Bools | None:
    """Per line, whether it is kept out of ``kind`` relief under the threshold ``name``.

    ``excluded`` (the exclusions that hold under every threshold) plus those scoped to ``name``
    (:func:`lvs_duty.decide.excluded_under`); None when no line is excluded.
    """
    version = kernel.version
    if not any(name in e.thresholds for e in version.exclusions):
        return excluded
    hs = kernel.b.hs_code
    scoped: Bools = hs_lut(
        [kind in decide.excluded_under(version, h, name) for h in hs.values], hs, False
    )
    return scoped if excluded is None else scoped | excluded


__all__ = ["excluded_under"]
