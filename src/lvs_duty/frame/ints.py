"""Integer arithmetic for the frame path: exact rationals, rounding modes, segments, overflow.

Every amount of the frame path is a count of minor units in an int64 array, every rate a
rational ``n / d`` with integer parts. This module rounds such quotients for every mode of
:data:`lvs_duty.money.ROUNDING_MODES` using integers only, sums rows by shipment, and guards
int64 overflow: a product or sum that could pass :data:`LIMIT` marks its rows instead of
wrapping around, so a bad number can never come out.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import ArgumentError
from ..money import ROUNDING_MODES

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

LIMIT = 2**59
"""Largest magnitude a checked product or sum may reach (16 of them still add inside int64)."""
BIG = 2**62
"""A bound no checked amount reaches: "admitted whatever the value"."""


def fraction(value: Decimal | int) -> Fraction:
    """The exact rational value of a Decimal or int.

    >>> fraction(Decimal("0.125"))
    Fraction(1, 8)
    """
    return Fraction(value)


def digits(value: Decimal) -> int:
    """Decimal places a Decimal really needs, trailing zeros dropped (``1.250`` needs 2).

    >>> digits(Decimal("1.250")), digits(Decimal("100")), digits(Decimal("0.00"))
    (2, 0, 0)
    """
    _, coefficient, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0 or not any(coefficient):
        return 0
    places, end = -exponent, len(coefficient)
    while places > 0 and end > 0 and coefficient[end - 1] == 0:
        places, end = places - 1, end - 1
    return places


def scaled(value: Decimal | Fraction, places: int) -> int:
    """``value * 10**places`` as an exact integer (``places`` must cover its digits)."""
    exact = Fraction(value) * 10**places
    if exact.denominator != 1:
        raise ValueError(f"{value} has more than {places} decimal places")
    return int(exact.numerator)


def bound(limit: Fraction, inclusive: bool) -> int:
    """The largest integer ``x`` with ``x <= limit`` (inclusive) or ``x < limit``, capped at BIG.

    Integer comparisons then replace rational ones: ``x <= bound(t, True)`` iff ``x <= t``.

    >>> bound(Fraction(2001, 100), True), bound(Fraction(20), False)
    (20, 19)
    """
    whole = limit.numerator // limit.denominator
    if not inclusive and whole * limit.denominator == limit.numerator:
        whole -= 1
    return int(min(whole, BIG))


def check_constant(value: int, what: str) -> int:
    """Refuse a rule constant too large for int64 arithmetic, naming it."""
    if value > LIMIT:
        raise ArgumentError(
            "assess_frame",
            what,
            "a value the int64 frame path can hold (use lvs_duty.assess for this rule set)",
            value,
        )
    return value


def div_round(num: Ints, den: int | Ints, mode: str) -> Ints:
    """``round(num / den)`` for non-negative ``num`` and positive ``den``, by rounding mode.

    >>> a = np.array([5, 15, 25, 26], dtype=np.int64)
    >>> div_round(a, 10, "ROUND_HALF_EVEN").tolist(), div_round(a, 10, "ROUND_HALF_UP").tolist()
    ([0, 2, 2, 3], [1, 2, 3, 3])
    >>> div_round(a, 10, "ROUND_HALF_DOWN").tolist(), div_round(a, 10, "ROUND_UP").tolist()
    ([0, 1, 2, 3], [1, 2, 3, 3])
    """
    if mode not in ROUNDING_MODES:
        raise ValueError(
            f"rounding mode: expected one of lvs_duty.money.ROUNDING_MODES, got {mode!r}"
        )
    if isinstance(den, int):
        if den == 1:
            return num
        check_constant(den, "rounding denominator")
        if num.size == 0 or int(num.max()) <= BIG:  # num + den stays inside int64
            return _div_round_by(num, den, mode)
        quotient = num // den  # numpy divides by a scalar fast; divmod would be 5x slower
        rest = num - quotient * den
    else:
        quotient, rest = np.divmod(num, den)  # by an array: one pass gives both
    if mode in ("ROUND_DOWN", "ROUND_FLOOR"):
        return quotient
    if mode in ("ROUND_UP", "ROUND_CEILING"):
        return quotient + (rest > 0)
    other = den - rest  # compare rest with den / 2 without doubling (no overflow)
    if mode == "ROUND_HALF_UP":
        return quotient + (rest >= other)
    if mode == "ROUND_HALF_DOWN":
        return quotient + (rest > other)
    # ROUND_HALF_EVEN
    up: Bools = rest > other
    tie = rest == other
    if tie.any():  # a half: up only from an odd quotient (& 1 is % 2 for any int64)
        up |= tie & (quotient & 1).astype(bool)
    quotient += up  # quotient is a fresh array
    return quotient


def _div_round_by(num: Ints, den: int, mode: str) -> Ints:
    """``div_round`` by a scalar, ``num + den`` inside int64: an offset, then one floor division.

    ``floor((num + h) / den)`` rounds up from ``num / den``'s fraction ``(den - h) / den``:
    ``h = den - 1`` is ROUND_UP, ``den // 2`` ROUND_HALF_UP, ``(den - 1) // 2`` ROUND_HALF_DOWN.
    Two passes instead of a remainder and comparisons (each new array costs a pass too).
    """
    if mode in ("ROUND_DOWN", "ROUND_FLOOR"):
        return num // den
    offsets = {
        "ROUND_UP": den - 1,
        "ROUND_CEILING": den - 1,
        "ROUND_HALF_UP": den // 2,
        "ROUND_HALF_EVEN": den // 2,
        "ROUND_HALF_DOWN": (den - 1) // 2,
    }
    out = num + offsets[mode]
    if mode != "ROUND_HALF_EVEN" or den % 2:  # an odd denominator has no halves
        out //= den
        return out
    quotient = out // den  # halves rounded up so far; a half is a sum that den divides
    rest = quotient * den
    np.subtract(out, rest, out=rest)
    tie = rest == 0
    if tie.any():  # a half rounded up to an odd quotient goes down to the even one
        tie &= (quotient & 1).astype(bool)
        quotient -= tie
    return quotient


def gather(table: Any, index: Any) -> Any:
    """``table[index]``, a small-integer index (codes, int8 keys) widened to intp first.

    numpy gathers by an intp index about twice as fast as by an int8 one (notes/perf7.md).
    """
    return table[index.astype(np.intp, copy=False)]


def only(mask: Bools, x: Any) -> Any:
    """``x`` on the rows of ``mask``, 0 elsewhere: a product with the mask's 1s and 0s.

    Exact on integers, and several times faster than a masked ``numpy.where`` when the mask
    is mixed (that loop branches on every row; measured, notes/perf7.md).
    """
    return x * mask


def quantize(num: Ints, den: int, quantum: int, mode: str) -> Ints:
    """The multiple of ``quantum`` nearest ``num / den`` by ``mode`` (all in minor units)."""
    out = div_round(num, den * quantum, mode)
    return out if quantum == 1 else out * quantum


class Guard:
    """Marks the shipments whose arithmetic would leave int64, instead of letting it wrap.

    ``bad`` has one flag per shipment; products and sums are checked against :data:`LIMIT`
    cheaply (one max per array) and row by row only when the maxima could overflow.
    """

    def __init__(self, sid: Ints, shipments: int) -> None:
        self.sid = sid
        self.bad: Bools = np.zeros(shipments, dtype=bool)

    def _mark(self, over: Bools, per_line: bool) -> None:
        if per_line:
            self.bad[self.sid[over]] = True
        else:
            self.bad |= over

    @staticmethod
    def fits(a: Ints, b: Ints | int) -> bool:
        """Whether no row of ``a * b`` (non-negative operands) can pass LIMIT."""
        if a.size == 0:
            return True
        top_b = int(b) if isinstance(b, int) else int(b.max())
        return int(a.max()) * top_b <= LIMIT

    def mul(self, a: Ints, b: Ints | int, *, per_line: bool = True) -> Ints:
        """``a * b`` for non-negative operands; rows that would pass LIMIT are marked, give 0."""
        if a.size == 0:
            return a.copy()
        if self.fits(a, b):
            return a * b
        over: Bools = a > LIMIT // np.maximum(b, 1)
        self._mark(over, per_line)
        kept: Ints = np.where(over, 0, a)
        return kept * b

    def cap(self, a: Ints, *, per_line: bool = True) -> Ints:
        """``a`` with rows above LIMIT marked and zeroed (after a fixed sum of checked terms)."""
        if a.size == 0 or int(a.max()) <= LIMIT:
            return a
        over = a > LIMIT
        self._mark(over, per_line)
        return np.where(over, 0, a)


class Segments:
    """Lines grouped by shipment: line ``i`` belongs to shipment ``sid[i]``, lines contiguous."""

    def __init__(self, sid: Ints, shipments: int, starts: Ints | None = None) -> None:
        """``starts``: each segment's first line, when the caller knows them already."""
        self.sid = sid
        self.size = shipments
        lines = len(sid)
        self.single = lines == shipments
        if self.single:
            self.starts = np.arange(shipments, dtype=np.int64)
            self.counts = np.ones(shipments, dtype=np.int64)
        else:
            if starts is None:
                starts = np.flatnonzero(sid[1:] != sid[:-1]) + 1
                starts = np.concatenate([np.zeros(min(lines, 1), dtype=np.int64), starts])
            self.starts = starts
            self.counts = np.empty(shipments, dtype=np.int64)
            if shipments:
                np.subtract(starts[1:], starts[:-1], out=self.counts[:-1])
                self.counts[-1] = lines - starts[-1]
        self.longest = int(self.counts.max()) if shipments else 0
        self._first: Bools | None = None
        self._ranks: list[tuple[Ints, Ints]] | None = None

    @property
    def first(self) -> Bools:
        """Whether each line is its segment's first, made when first asked for, then kept.

        A subset's segments seldom are asked; two threads may both make it (alike).
        """
        if self._first is None:
            if self.single:
                first = np.ones(len(self.sid), dtype=bool)
            else:
                first = np.zeros(len(self.sid), dtype=bool)
                first[self.starts] = True
            self._first = first
        return self._first

    def ranks(self) -> list[tuple[Ints, Ints]]:
        """For line rank k = 1, 2, ...: the segments with more than k lines, and their line k.

        Most parcels have one line, so the work of a per-segment sum or running sum is on the
        few segments that have a second (third...) line: computed once, kept.
        """
        if self._ranks is None:
            ranks = []
            ships = np.flatnonzero(self.counts > 1)
            k = 1
            while len(ships):
                ranks.append((ships, self.starts[ships] + k))
                k += 1
                ships = ships[self.counts[ships] > k]
            self._ranks = ranks
        return self._ranks

    def subset(self, ships: Ints) -> tuple[Ints, Segments]:
        """The lines of the segments at ``ships`` (ascending), and their segments renumbered.

        From the starts and counts alone: O(len(ships) + their lines), no pass over the rest.
        """
        counts = self.counts[ships]
        starts = np.zeros(len(ships), dtype=np.int64)  # each kept segment's first line, anew
        np.cumsum(counts[:-1], out=starts[1:])
        lines = np.repeat(self.starts[ships] - starts, counts)
        lines += np.arange(len(lines), dtype=np.int64)
        sid = np.repeat(np.arange(len(ships), dtype=np.int64), counts)
        return lines, Segments(sid, len(ships), starts)

    def sum(self, x: Ints, guard: Guard | None = None, owner: Ints | None = None) -> Ints:
        """Per-segment sums of a per-line array of non-negative values.

        With a ``guard``, segments whose sum could pass LIMIT are marked (through ``owner``, the
        shipment of each segment, when segments are not shipments) and sum to 0.
        """
        if self.single:
            return x
        if self.size == 0:
            return np.zeros(0, dtype=np.int64)
        if guard is not None and x.size and int(x.max()) * self.longest > LIMIT:
            coarse = np.add.reduceat(x >> 31, self.starts)
            over = (coarse + self.counts) > (LIMIT >> 31)
            guard.bad[over if owner is None else owner[over]] = True
            x = np.where(over[self.sid], 0, x)
        out: Ints = x[self.starts].astype(np.int64, copy=False)  # line 0, then 1, 2... if any
        for ships, at in self.ranks():
            out[ships] += x[at]
        return out

    def allocate(self, total: Ints, whole: Ints, weights: Ints, guard: Guard) -> Ints:
        """Spread each segment's ``total`` over its lines by the cumulative-floor method.

        ``whole`` is the sum of each segment's ``weights``. A line's share is
        ``total * running // whole`` (``running``: the weights up to it) less the line
        before's; the first line takes all of an empty segment. A one-line segment's share is
        its total; running sums and floors are taken only on the lines of segments with
        several lines and something to spread, gathered once into contiguous arrays.
        Segments whose ``total * whole`` could pass LIMIT are marked in ``guard``, share 0.
        """
        if not guard.fits(total, whole):  # checked row by row only when the maxima could pass
            guard.mul(total, whole, per_line=False)
            if guard.bad.any():
                total = np.where(guard.bad, 0, total)
        share: Ints = total[self.sid]  # one line, or nothing to spread (0 on each): all of it
        several = np.flatnonzero((self.counts > 1) & (total != 0))  # something to spread
        if not len(several):
            return share
        lines, part = self.subset(several)
        kept = weights[lines]
        running = np.cumsum(kept)  # across segments, then less each segment's start: numpy
        running -= (running[part.starts] - kept[part.starts])[part.sid]
        # wraps int64 sums modulo 2**64, so a running sum (at most its whole) comes out exact
        floor = total[several][part.sid]  # per segment, to its lines: gathers free the GIL
        floor *= running  # at most total * whole: no overflow
        floor //= np.maximum(whole[several], 1)[part.sid]
        spread = floor.copy()
        spread[1:] -= floor[:-1]  # less the line before's floor...
        spread[part.starts] = floor[part.starts]  # ...but a segment's first line's
        share[lines] = spread
        empty = whole[several] == 0  # no weights at all: the first line takes the total
        if empty.any():
            share[self.starts[several[empty]]] = total[several[empty]]
        return share

    def count(self, flags: Bools) -> Ints:
        """Per-shipment count of true flags."""
        if not bool(flags.any()):  # often none or all: no sum needed
            return np.zeros(self.size, dtype=np.int64)
        if bool(flags.all()):
            return self.counts.copy()
        if self.single:
            return flags.astype(np.int64)
        return self.sum(flags.view(np.int8))  # summed into int64 (line 0's gather casts)


def sub_segments(sid: Ints, mask: Bools) -> tuple[Ints, Ints, Bools]:
    """The masked lines, their starts per shipment, and whether each is its shipment's first.

    A *group* of the scalar engine (lines charged by one call of a duty method) is the masked
    lines of one shipment; ``first`` marks the line the scalar engine calls ``group[0]``.
    """
    index = np.flatnonzero(mask)
    owner = sid[index]
    first = np.ones(len(index), dtype=bool)
    if len(index) > 1:
        first[1:] = owner[1:] != owner[:-1]
    return index, np.flatnonzero(first), first


__all__ = [
    "BIG",
    "LIMIT",
    "Guard",
    "Segments",
    "bound",
    "check_constant",
    "digits",
    "div_round",
    "fraction",
    "gather",
    "only",
    "quantize",
    "scaled",
    "sub_segments",
]
