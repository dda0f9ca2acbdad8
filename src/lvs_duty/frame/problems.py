"""Bad cells of a shipment table, collected by row position until they are reported.

Every problem the frame path finds (a cell that does not validate, a line the rules cannot
charge, an amount too large for int64) is kept with its row, so ``errors="raise"`` can list
every bad row at once and ``errors="flag"`` can name each bad shipment's first problem.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import RowProblem
from .ints import Bools, Ints


class Problems:
    """Every bad cell found so far, by row position, until they become RowProblems."""

    def __init__(self, labels: pd.Index, row_ship: Ints) -> None:
        self.labels = labels
        self.row_ship = row_ship
        self.entries: list[tuple[Ints, str, list[str], list[str]]] = []

    def add(
        self, rows: Ints, column: str, problem: str | Sequence[str], value: str | Sequence[str]
    ) -> None:
        """Record one problem (or one per row) on the rows at positions ``rows``."""
        if len(rows) == 0:
            return
        n = len(rows)
        problems = [problem] * n if isinstance(problem, str) else list(problem)
        values = [value] * n if isinstance(value, str) else list(value)
        self.entries.append((np.asarray(rows, dtype=np.int64), column, problems, values))

    def checkpoint(self) -> int:
        """A mark to roll back to (problems found under one option must not leak to the next)."""
        return len(self.entries)

    def rollback(self, mark: int) -> None:
        """Forget the problems found since ``mark``."""
        del self.entries[mark:]

    def bad_shipments(self, shipments: int) -> Bools:
        """Which shipments have a bad cell."""
        bad = np.zeros(shipments, dtype=bool)
        for rows, *_ in self.entries:
            bad[self.row_ship[rows]] = True
        return bad

    def cases(self) -> list[RowProblem]:
        """Every problem as a RowProblem, in row order (then in the order found)."""
        flat: list[tuple[int, int, RowProblem]] = []
        serial = 0
        for rows, column, problems, values in self.entries:
            for row, problem, value in zip(rows.tolist(), problems, values, strict=True):
                flat.append((row, serial, RowProblem(self.labels[row], column, problem, value)))
                serial += 1
        return [case for _, _, case in sorted(flat, key=lambda t: (t[0], t[1]))]

    def first_message(self, shipments: int) -> dict[int, str]:
        """For each bad shipment, its first problem in words (for the ``error`` column)."""
        out: dict[int, tuple[int, str]] = {}
        for rows, column, problems, values in self.entries:
            for row, problem, value in zip(rows.tolist(), problems, values, strict=True):
                ship = int(self.row_ship[row])
                if ship not in out or row < out[ship][0]:
                    text = f"row {self.labels[row]!r}, column {column!r}: {problem}, got {value}"
                    out[ship] = (row, text)
        return {ship: text for ship, (_, text) in out.items()}


__all__ = ["Problems"]
