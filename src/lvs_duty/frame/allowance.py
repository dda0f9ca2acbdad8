"""Allowances (excess-only relief) on the frame path: the scalar engine's step 4b on columns.

The first allowance whose condition holds replaces the thresholds' relief of a shipment. Per
kind (duty, tax), the lines that share it are exempt when their customs value together is
within the amount; above it, the excess (whole minor units, rounded down) is spread over them
by customs value with the transport allocation's cumulative-floor method. Under a ``best_of``
allowance, the shipments are assessed again by the thresholds alone and the lower total kept.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from .. import decide
from ..rules import RuleVersion
from .ints import Bools, Ints, bound
from .scope import excluded_under

if TYPE_CHECKING:
    from .kernel import Kernel, Outcome


def on_excess(
    kernel: Kernel,
    excluded: dict[str, Bools | None],
    duty_relief: Ints,
    tax_relief: Ints,
    customs_value: Ints,
) -> tuple[Ints, Ints, Ints, Ints, Bools | None]:
    """Relief and charged customs value per line, for duty and for tax, under allowances.

    Also which shipments fell under a ``best_of`` allowance (None when the version has none).
    """
    allowances = kernel.version.allowances
    if not allowances:
        return duty_relief, tax_relief, customs_value, customs_value, None
    chosen = np.full(kernel.b.size, -1, dtype=np.int64)
    for j, allowance in enumerate(allowances):  # the first whose condition holds
        hit = kernel.match(allowance.when)
        chosen[hit & (chosen == -1)] = j
    applies = chosen >= 0
    limits = [Fraction(a.amount) * 10**kernel.minor for a in allowances]
    within_at = np.array([*(bound(x, True) for x in limits), 0], dtype=np.int64)[chosen]
    over_at = np.array([*(-bound(-x, True) for x in limits), 0], dtype=np.int64)[chosen]
    best_of: Bools = np.array([*(a.best_of for a in allowances), False])[chosen] & applies
    on = kernel.lines(applies)
    out: dict[str, tuple[Ints, Ints]] = {}
    for kind, relief in (("duty", duty_relief), ("tax", tax_relief)):
        if kind == "tax" and kernel.version.tax is None:
            out[kind] = (relief, customs_value)
            continue
        flags = excluded[f"{kind}_relief"]
        for j, allowance in enumerate(allowances):  # exclusions scoped to an allowance's name
            scoped = excluded_under(kernel, f"{kind}_relief", allowance.name, flags)
            if scoped is not flags and scoped is not None:
                mine = kernel.lines(chosen == j)
                flags = np.where(mine, scoped, False if flags is None else flags)
        share_of = np.array([decide.shares_allowance(e) for e in (False, True)])
        shares = on & (share_of[0] if flags is None else share_of[flags.view(np.int8)])
        weights = np.where(shares, customs_value, 0)
        shared = kernel.seg.sum(weights, kernel.guard)
        within = shared <= within_at
        codes = np.array(
            [
                decide.RELIEFS.index(decide.allowance_relief(w, s))
                for w in (False, True)
                for s in (False, True)
            ],
            dtype=np.int8,
        )
        key = kernel.lines(within).view(np.int8) * np.int8(2) + shares.view(np.int8)
        relief = np.where(on, codes[key], relief).astype(np.int8)
        excess = np.where(applies & ~within, shared - over_at, 0)
        spread = kernel.allocate(excess, weights)
        charged = np.where(shares & ~kernel.lines(within), spread, customs_value)
        out[kind] = (relief, charged)
    return out["duty"][0], out["tax"][0], out["duty"][1], out["tax"][1], best_of


def better_of(
    kernel: Kernel, outcome: Outcome, rerun: Callable[[Ints, RuleVersion], Outcome]
) -> Outcome:
    """Under a ``best_of`` allowance, the lower total of the outcome and the thresholds alone.

    ``rerun(ships, version)`` assesses the shipments at ``ships`` under ``version``. A shipment
    whose total is already 0 is not assessed again (nothing is lower).
    """
    mask = kernel.best_of
    if mask is None:
        return outcome
    ships = np.flatnonzero(mask & (outcome.total > 0))
    if len(ships) == 0:
        return outcome
    problems = kernel.b.problems
    mark = problems.checkpoint()
    bad_before = np.zeros(len(problems.row_ship) + 1, dtype=bool)  # by input shipment
    for rows, *_ in problems.entries:
        bad_before[problems.row_ship[rows]] = True
    without = rerun(ships, kernel.version.model_copy(update={"allowances": ()}))
    found = problems.entries[mark:]
    problems.rollback(mark)
    for rows, column, said, values in found:  # new problems only (the scalar path raises)
        keep = np.flatnonzero(~bad_before[problems.row_ship[rows]])
        problems.add(rows[keep], column, [said[i] for i in keep], [values[i] for i in keep])
    best = next(a for a in kernel.version.allowances if a.best_of)  # keeps reads best_of only
    stays = np.array([decide.keeps_allowance(best, cheaper) for cheaper in (False, True)])
    switch = ~stays[(without.total < outcome.total[ships]).view(np.int8)]
    for name in outcome.__dataclass_fields__:
        # a fresh array: a column of the outcome may be a read-only view of the input table
        merged = np.array(getattr(outcome, name), dtype=np.int64)
        merged[ships[switch]] = getattr(without, name)[switch]
        setattr(outcome, name, merged)
    return outcome


__all__ = ["better_of", "on_excess"]
