"""Charges on charges on the frame path: a surcharge on the duty, a tax base uplift.

The scalar engine's step 5b (each line's exact duty x :func:`lvs_duty.decide.surcharge_factor`)
and its tax base uplift (a share of each tax group's customs value, rounded to the minor unit,
added to a border base), on whole columns.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from .. import decide
from .codes import AT_BORDER, AT_SALE, NOT_COLLECTED
from .ints import Guard, Ints, digits, div_round, scaled

if TYPE_CHECKING:
    from .duty import DutyCharger
    from .kernel import Kernel


def surcharge(kernel: Kernel, charger: DutyCharger) -> None:
    """Multiply each line's exact duty by its shipment's surcharge factor (places grow)."""
    surcharges = kernel.version.duty.surcharges
    if not surcharges:
        return
    places = max(digits(s.rate) for s in surcharges)
    factor: Ints = np.full(kernel.b.size, 10**places, dtype=np.int64)
    for s in surcharges:  # decide.surcharges_on, one condition at a time
        levied = decide.surcharge_factor([s]) - 1
        factor += kernel.match(s.when) * scaled(levied, places)
    charger.duty = kernel.guard.mul(charger.duty, kernel.lines(factor))
    charger.places += places


def uplift(kernel: Kernel, customs_value: Ints, point: Ints, guard: Guard) -> Ints | int:
    """Per tax group, the share of its customs value added to its base (0 where none).

    ``guard`` is the groups' own (a group's overflow marks its shipment).
    """
    tax = kernel.version.tax
    if tax is None or tax.uplift is None:
        return 0
    names = {NOT_COLLECTED: "none", AT_BORDER: "border", AT_SALE: "sale"}
    rates = [Fraction(decide.uplift_rate(tax, names[p])) for p in sorted(names)]
    out: Ints = np.zeros(len(customs_value), dtype=np.int64)
    for code, rate in zip(sorted(names), rates, strict=True):
        if rate == 0:
            continue
        here = point == code
        # the product of every group (0 elsewhere): an overflow marks the group's own shipment
        product = guard.mul(np.where(here, customs_value, 0), rate.numerator)
        out[here] = div_round(product[here], rate.denominator, kernel.mode)
    return out


__all__ = ["surcharge", "uplift"]
