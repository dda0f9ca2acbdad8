"""Step 7 of the frame path: minimum collectable and fees, per shipment.

Follows step 7 of :mod:`lvs_duty.assess`: a minimum waives only what is collected at the
border; a fee is charged where :func:`lvs_duty.decide.fee_applies` says so.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from .. import decide
from ..rules import Fee, MinCollectable
from .ints import Bools, Ints, bound, only

if TYPE_CHECKING:
    from .kernel import Kernel


def waived(minimum: MinCollectable, minor: int, due: Ints) -> Bools:
    """Per shipment, whether a non-zero amount due is within ``minimum`` (minor units)."""
    limit = bound(Fraction(minimum.amount) * 10**minor, minimum.inclusive)
    out: Bools = (due != 0) & (due <= limit)
    return out


def waive_minimums(kernel: Kernel, at: dict[str, Ints]) -> None:
    """Waive border duty, border tax, or both together, under their minimum collectable."""
    version = kernel.version
    tax = version.tax
    checks = (
        (version.duty.min_collectable, ("duty_border",)),
        (tax.min_collectable if tax is not None else None, ("tax_border",)),
        (version.min_collectable, ("duty_border", "tax_border")),
    )
    for minimum, names in checks:
        if minimum is None:
            continue
        due = at[names[0]] if len(names) == 1 else at[names[0]] + at[names[1]]
        dropped = waived(minimum, kernel.minor, due)
        for name in names:
            at[name] = only(~dropped, at[name])


def charge_fees(kernel: Kernel, border: Ints) -> Ints:
    """Fees per shipment, line or item (in its value band), where each fee applies."""
    b, guard = kernel.b, kernel.guard
    fees = np.zeros(b.size, dtype=np.int64)
    for fee, amount in kernel.fees:
        # the decision for each (condition holds, collected at the border) pair
        table = np.array(
            [decide.fee_applies(fee, h, c) for h in (False, True) for c in (False, True)]
        )
        applies = table[kernel.match(fee.when).view(np.int8) * 2 + (border != 0)]
        fees += only(applies, guard.mul(_count(kernel, fee), amount, per_line=False))
    return fees


def _count(kernel: Kernel, fee: Fee) -> Ints:
    """Per shipment, how many times a fee is charged: once, per line or per item in its band."""
    b, seg, guard = kernel.b, kernel.seg, kernel.guard
    banded = fee.min_value is not None or fee.max_value is not None
    if not banded:
        return {
            "shipment": np.ones(b.size, dtype=np.int64),
            "line": seg.counts,
            "item": seg.sum(b.quantity, guard),
        }[fee.per]
    on_shipment = decide.fee_measured_on(fee) == "shipment"
    value = (kernel.ship_measure if on_shipment else kernel.line_measure)[fee.measure]
    within = np.ones(len(value), dtype=bool)
    scale = 10**kernel.minor
    if fee.min_value is not None:  # value >= min: above the largest whole amount below it
        within &= value > bound(Fraction(fee.min_value) * scale, False)
    if fee.max_value is not None:
        within &= value <= bound(Fraction(fee.max_value) * scale, fee.inclusive)
    if on_shipment:  # the consignment in the band: each of its lines or items counts
        out: Ints = within.astype(np.int64) * _unbanded(kernel, fee)
        return out
    per_line = within.astype(np.int64)
    if fee.per == "item":
        per_line = per_line * b.quantity
    return seg.sum(per_line, guard)


def _unbanded(kernel: Kernel, fee: Fee) -> Ints:
    """Per shipment, how many times a fee is charged with no value band."""
    b, seg, guard = kernel.b, kernel.seg, kernel.guard
    if fee.per == "shipment":
        return np.ones(b.size, dtype=np.int64)
    return seg.counts if fee.per == "line" else seg.sum(b.quantity, guard)


__all__ = ["charge_fees", "waive_minimums", "waived"]
