"""A batch through the frame path: the version in force per shipment, then one kernel each.

Shipments already reported as bad are not assessed; a shipment whose arithmetic would leave
int64 is reported (never wrapped around); the versions in force are found once per
distinct date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction

import numpy as np
import pandas as pd

from .. import decide
from .._validation import shorten
from ..errors import ArgumentError, Problem
from ..rules import RuleSet, RuleVersion, coverage_problem
from .allowance import better_of
from .input import Batch, hs_lut
from .ints import Bools, Ints
from .kernel import Kernel, Outcome
from .parallel import run_windows


def version_index(batch: Batch, rules: RuleSet, on: dt.date | None) -> Ints:
    """The rule version in force for each shipment (-1, reported, where none is)."""

    def find(day: object) -> int:
        if not isinstance(day, dt.date):
            return -2
        return next((k for k, v in enumerate(rules.versions) if v.contains(day)), -1)

    found = [find(on)] if on is not None else [find(d) for d in batch.date.values]
    if on is not None:
        out = np.full(batch.size, found[0], dtype=np.int64)
    else:
        out = hs_lut(found, batch.date, -2, np.int64)  # -2 for a missing date
    missing = np.flatnonzero(out == -1) if -1 in found else np.zeros(0, dtype=np.int64)
    if len(missing):
        periods = ", ".join(v.period for v in rules.versions)
        shown = [
            repr(on) if on is not None else repr(batch.date.values[c])
            for c in batch.date.codes[missing]
        ]
        batch.problems.add(
            batch.first_rows[missing],
            "date",
            [f"expected a date in {periods} ({rules.code} has no version in force then)"]
            * len(missing),
            shown,
        )
    return out


def outside(batch: Batch, rules: RuleSet, versions: Ints) -> None:
    """Report (and leave unassessed) shipments whose destination or region the rules do not cover.

    Checked once per distinct (version, destination, region), with the scalar path's rule.
    """
    dest, region = batch.destination, batch.region
    nd, nr = len(dest.values) + 1, len(region.values) + 1
    if len(versions) and int(versions.min()) == int(versions.max()):  # one version (usual)
        version = int(versions[0])
        if nd * nr <= FEW_PLACES:  # the rules asked of every possible pair; rows read if refused
            for d, r in np.ndindex(nd - 1, nr):
                found = _refused(batch, rules, version, d, r - 1)
                if found is not None:
                    _report(batch, found, (dest.codes == d) & (region.codes == r - 1), versions)
            return
        keys, present = _places(batch, nd * nr)  # kept: compare's options read the same
        offset = (version + 3) * nd * nr
    else:
        keys = ((versions + 3) * nd + dest.codes + 1) * nr + region.codes + 1
        present, offset = pd.unique(keys), 0  # hashing, O(n): one check per distinct combination
    for combo in (present + offset).tolist():
        k, rest = divmod(combo, nd * nr)
        found = _refused(batch, rules, k - 3, rest // nr - 1, rest % nr - 1)
        if found is not None:
            _report(batch, found, keys == combo - offset, versions)


FEW_PLACES = 64
"""The most (destination, region) pairs the rules are asked of one by one, present or not."""


def _refused(batch: Batch, rules: RuleSet, k: int, d: int, r: int) -> Problem | None:
    """Why version ``k`` does not cover destination code ``d`` and region code ``r`` (-1: none)."""
    dest, region = batch.destination, batch.region
    if k < 0 or d < 0 or not isinstance(dest.values[d], str):
        return None
    place = region.values[r] if r >= 0 else None
    return coverage_problem(rules, rules.versions[k], dest.values[d], place)


def _report(batch: Batch, problem: Problem, where: Bools, versions: Ints) -> None:
    """Report the shipments ``where`` outside the rules, and leave them unassessed."""
    ships = np.flatnonzero(where)
    if len(ships):
        batch.problems.add(
            batch.first_rows[ships], problem.field, f"expected {problem.expected}", problem.got
        )
        versions[ships] = -3


def _places(batch: Batch, pairs: int) -> tuple[Ints, Ints]:
    """Each shipment's (destination, region) pair (``d * nr + r``), and the pairs present.

    Counted in a table of every possible pair (a pass, no hashing) unless there are many more
    possible pairs than shipments (hostile tables: then hashed).
    """
    kept: tuple[Ints, Ints] | None = batch.extra.get("places")
    if kept is None:
        nr = len(batch.region.values) + 1
        key = batch.destination.codes.astype(np.int64)
        key += 1
        key *= nr
        key += batch.region.codes
        key += 1
        counted = pairs <= 4 * batch.size + 1024
        present = np.flatnonzero(np.bincount(key, minlength=pairs)) if counted else pd.unique(key)
        kept = batch.extra["places"] = (key, present)
    return kept


def subset(batch: Batch, ships: Ints) -> Batch:
    """The shipments at positions ``ships`` (ascending) and their lines, as a batch of its own.

    Built from the shipments' segments alone, in O(len(ships) + their lines): a rerun of a few
    shipments (``better_of``) does not pay a pass over the whole batch.
    """
    lines, seg = batch.seg.subset(ships)
    return Batch(
        size=len(ships),
        rows=batch.rows[lines],
        seg=seg,
        ids=batch.ids[ships],
        labels=batch.labels,
        problems=batch.problems,
        destination=batch.destination.take(ships),
        date=batch.date.take(ships),
        currency=batch.currency.take(ships),
        ship_from=batch.ship_from.take(ships),
        origin=batch.origin.take(ships),
        region=batch.region.take(ships),
        mode=batch.mode.take(ships),
        gift=batch.gift[ships],
        shipping=batch.shipping[ships],
        insurance=batch.insurance[ships],
        value=batch.value[lines],
        quantity=batch.quantity[lines],
        hs_code=batch.hs_code.take(lines),
        duty_rate=batch.duty_rate.take(lines),
        category=batch.category.take(lines),
        weight_kg=batch.weight_kg.take(lines),
        volume_l=batch.volume_l.take(lines),
        abv=batch.abv.take(lines),
        schedule_line=None if batch.schedule_line is None else batch.schedule_line.take(lines),
        seller_registered=batch.seller_registered.take(ships),
    )


OVERFLOW = (
    "expected amounts small enough for exact int64 arithmetic (every intermediate "
    "under 2**59 minor units; use lvs_duty.assess for this shipment)"
)


def run_isolated(
    batch: Batch,
    rules: RuleSet,
    version: RuleVersion,
    fx: Mapping[str, Fraction] | None,
    into: Outcome | None = None,
) -> Outcome:
    """Run the kernel; if a value it cannot hold in int64 stops it, find and flag the shipments.

    A shipment only the Decimal path can hold (a 19-digit rate, a 22-digit exchange rate) must
    not make its valid neighbours fail: the batch is halved until each such shipment is alone,
    and flagged. Past a few dozen such shipments (a rule set the frame path cannot hold), the
    rest are flagged without more tries, so the cost stays bounded. The outcome is written
    into ``into`` when given (see ``Kernel.run``), unless int64 could not hold the batch.
    """
    whole = _run(batch, rules, version, fx, into)
    if not isinstance(whole, str):
        return whole
    out = Outcome.zeros(batch.size)
    budget = 32
    failing = [(np.arange(batch.size), whole)]  # a stack, not a recursive closure (no cycle)
    while failing:
        ships, failure = failing.pop()
        if len(ships) == 1 or budget <= 0:
            budget -= 1
            batch.problems.add(batch.first_rows[ships], "value", OVERFLOW, shorten(failure, 120))
            continue
        for half in (ships[: len(ships) // 2], ships[len(ships) // 2 :]):
            result = _run(subset(batch, half), rules, version, fx)
            if isinstance(result, str):
                failing.append((half, result))
            else:
                out.put(half, result)
    return out


def _run(
    batch: Batch,
    rules: RuleSet,
    version: RuleVersion,
    fx: Mapping[str, Fraction] | None,
    into: Outcome | None = None,
) -> Outcome | str:
    """The kernel's outcome, its overflows flagged; or why int64 could not hold the batch."""
    try:
        kernel = Kernel(batch, rules, version, fx)
        result = kernel.run(into)

        def thresholds_alone(ships: Ints, bare: RuleVersion) -> Outcome:
            again = Kernel(subset(batch, ships), rules, bare, fx)
            outcome = again.run()
            # a shipment int64 cannot hold this way is flagged, never compared (its figures
            # are not its own: a lower total would be kept)
            kernel.guard.bad[ships[again.guard.bad]] = True
            return outcome

        result = better_of(  # an allowance the importer may decline for the thresholds
            kernel, result, thresholds_alone, written=into is not None
        )
    except OverflowError as exc:
        return str(exc)
    except ArgumentError as exc:
        if "int64" not in exc.expected:
            raise  # about the rule set itself (a sub-minor quantum): the caller's to fix
        return str(exc)
    over = np.flatnonzero(kernel.guard.bad)
    batch.problems.add(batch.first_rows[over], "value", OVERFLOW, "too large")
    return result


def assess_batch(
    batch: Batch,
    rules: RuleSet,
    fx: Mapping[str, Fraction] | None,
    on: dt.date | None,
    into: Outcome | None = None,
) -> Outcome:
    """Assess every shipment of a batch under the version in force for it; report the bad.

    ``into``: columns the outcome may be written into (see ``run_windows``); the caller
    checks whether the outcome returned is it.
    """
    out: Outcome | None = None  # made only when shipments fall under several versions
    bad = batch.problems.bad_shipments(batch.size)
    versions = version_index(batch, rules, on)
    outside(batch, rules, versions)
    if bad.any():
        versions[bad] = -3  # already reported: not assessed
    if batch.size and (first := int(versions.min())) == int(versions.max()):  # one (usual)
        used = {first: batch.size} if first >= 0 else {}
    else:
        counts = np.bincount(versions + 3, minlength=len(rules.versions) + 3)[3:]
        used = {k: int(counts[k]) for k in np.flatnonzero(counts).tolist()}
    for k, count in used.items():
        whole = count == batch.size
        ships = np.arange(batch.size) if whole else np.flatnonzero(versions == k)
        for seller_ships, version in by_seller(batch, rules.versions[k], ships):
            every = len(seller_ships) == batch.size
            part = batch if every else subset(batch, seller_ships)
            result = run_windows(
                run_isolated, part, rules, version, fx, into=into if every else None
            )
            if every:
                return result
            if out is None:
                out = Outcome.zeros(batch.size)
            out.put(seller_ships, result)
    return Outcome.zeros(batch.size) if out is None else out


def by_seller(batch: Batch, version: RuleVersion, ships: Ints) -> list[tuple[Ints, RuleVersion]]:
    """The shipments of a version, grouped by the version their seller is assessed under.

    One group (all of them) unless the tax has a base of its own for registered sellers.
    """
    coded = batch.seller_registered
    variants = [decide.for_seller(version, v) for v in coded.values]
    if all(v is version for v in variants):
        return [(ships, version)]
    own = np.array([v is not version for v in variants] + [False])[coded.codes[ships]]
    groups = [(ships[~own], version), (ships[own], decide.for_seller(version, True))]
    return [(s, v) for s, v in groups if len(s)]


__all__ = ["OVERFLOW", "assess_batch", "subset", "version_index"]
