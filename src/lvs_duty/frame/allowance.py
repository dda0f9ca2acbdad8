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
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import decide
from ..rules import RuleVersion
from .codes import outcome_dtype
from .ints import Bools, Guard, Ints, Segments, bound, gather, only
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
    chosen: Ints = np.full(kernel.b.size, -1, dtype=np.int64)  # the first whose condition holds
    for j, allowance in enumerate(allowances):  # added as products: -1 + (j + 1) is j
        chosen += only(kernel.match(allowance.when) & (chosen == -1), np.int64(j + 1))
    applies = chosen >= 0
    limits = [Fraction(a.amount) * 10**kernel.minor for a in allowances]
    best_of: Bools = np.array([*(a.best_of for a in allowances), False])[chosen] & applies
    if not applies.any():
        return duty_relief, tax_relief, customs_value, customs_value, best_of
    # the work is on the lines of the shipments an allowance applies to (often few: gifts)
    ships, lines, seg, guard = _part(kernel, applies)
    within_at = np.array([*(bound(x, True) for x in limits), 0], dtype=np.int64)[chosen[ships]]
    over_at = np.array([*(-bound(-x, True) for x in limits), 0], dtype=np.int64)[chosen[ships]]
    value = customs_value[lines]
    out: dict[str, tuple[Ints, Ints]] = {}
    done: dict[int, tuple[Bools | None, Ints, Ints]] = {}  # by exclusion flags (often None)
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
        held = done.get(id(flags))
        if held is None:  # duty and tax alike unless their exclusions differ: worked out once
            shares = _shares(flags, lines, value)
            held = done[id(flags)] = (
                flags,
                *_excess(seg, guard, shares, value, within_at, over_at, customs_value, lines),
            )
        relief = relief.astype(np.int8)  # a copy: the caller's array is not written to
        relief[lines] = held[1]
        out[kind] = (relief, held[2])
    if guard is not kernel.guard:
        kernel.guard.bad[ships] |= guard.bad
    return out["duty"][0], out["tax"][0], out["duty"][1], out["tax"][1], best_of


def _shares(flags: Bools | None, lines: Ints | slice, value: Ints) -> Bools:
    """Which lines of the allowance's shipments share it (their exclusion ``flags`` decide)."""
    share_of = np.array([decide.shares_allowance(e) for e in (False, True)])
    shares = share_of[0] if flags is None else gather(share_of, flags[lines].view(np.int8))
    out: Bools = np.broadcast_to(shares, value.shape)
    return out


def _excess(
    seg: Segments,
    guard: Guard,
    shares: Bools,
    value: Ints,
    within_at: Ints,
    over_at: Ints,
    customs_value: Ints,
    lines: Ints | slice,
) -> tuple[Any, Ints]:
    """The relief codes of the allowance's lines, and every line's customs value charged.

    Lines that share an allowance are exempt while their shipment's shared value is within
    it; above, the excess is spread over them by value (the cumulative-floor method).
    """
    weights = only(shares, value)
    shared = seg.sum(weights, guard)
    within = shared <= within_at
    codes = np.array(
        [
            decide.RELIEFS.index(decide.allowance_relief(w, s))
            for w in (False, True)
            for s in (False, True)
        ],
        dtype=np.int8,
    )
    within_lines = within[seg.sid]
    key = within_lines.view(np.int8) * np.int8(2) + shares.view(np.int8)
    excess = only(~within, shared - over_at)
    if seg.single or not excess.any():  # one line each, or nothing to spread
        spread = excess[seg.sid]
    else:
        spread = seg.allocate(excess, shared, weights, guard)
    charged = customs_value.copy()
    charged[lines] = np.where(shares & ~within_lines, spread, value)
    return gather(codes, key), charged


def _part(kernel: Kernel, applies: Bools) -> tuple[Ints | slice, Ints | slice, Segments, Guard]:
    """The shipments an allowance applies to, their lines, their segments and an overflow guard.

    All of the batch (and the kernel's own segments and guard) when it applies to every one.
    """
    if bool(applies.all()):
        return slice(None), slice(None), kernel.seg, kernel.guard
    ships = np.flatnonzero(applies)
    lines, seg = kernel.seg.subset(ships)
    guard = Guard(seg.sid, len(ships))
    guard.bad = kernel.guard.bad[ships]  # a copy; new marks go back to the kernel's guard
    return ships, lines, seg, guard


def better_of(
    kernel: Kernel,
    outcome: Outcome,
    rerun: Callable[[Ints, RuleVersion], Outcome],
    written: bool = False,
) -> Outcome:
    """Under a ``best_of`` allowance, the lower total of the outcome and the thresholds alone.

    ``rerun(ships, version)`` assesses the shipments at ``ships`` under ``version``. A shipment
    whose total is already 0 is not assessed again (nothing is lower). ``written``: the
    outcome's columns are the caller's to write (``Kernel.run``'s ``into``), merged in place.
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
    seen: set[int] = set()
    for name in outcome.__dataclass_fields__:
        merged = getattr(outcome, name)
        kind = outcome_dtype(name)
        if not written and not _own(merged, kind, seen):  # a view (of the table, a kept array)
            merged = np.array(merged, dtype=kind)
        merged[ships[switch]] = getattr(without, name)[switch]
        setattr(outcome, name, merged)
    return outcome


def _own(column: Ints, kind: type[np.integer[Any]], seen: set[int]) -> bool:
    """Whether an outcome column may be written in place: of its ``kind``, its own buffer.

    Writable, and not another column's too: ``seen`` collects the columns met so far.
    """
    fresh = column.dtype == kind and column.flags.owndata and column.flags.writeable
    fresh = fresh and id(column) not in seen
    seen.add(id(column))
    return bool(fresh)


__all__ = ["better_of", "on_excess"]
