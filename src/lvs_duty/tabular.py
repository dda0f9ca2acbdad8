"""The canonical shipment table: one row per item line, shipment fields repeated, exact both ways.

Columns (in this order): ``shipment_id``, the shipment fields ``destination``, ``date``,
``currency``, ``ship_from``, ``origin``, ``shipping``, ``insurance``, ``mode``, ``region``,
``gift``, ``seller_registered``, then the item fields ``hs_code``, ``value``, ``quantity``,
``description``, ``duty_rate``, ``category``, ``weight_kg``, ``volume_l``, ``abv``. Amounts and
rates are ``Decimal`` objects (or their strings, as read from CSV); ``shipping`` and
``insurance`` are the shipment's totals, repeated on each of its rows. Row order is line order.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .errors import FrameError, Problem, RowProblem, ShipmentError
from .money import own_context
from .shipment import Item, Shipment

SHIPMENT_COLUMNS: tuple[str, ...] = (
    "destination", "date", "currency", "ship_from", "origin", "shipping", "insurance", "mode",
    "region", "gift", "seller_registered",
)  # fmt: skip
ITEM_COLUMNS: tuple[str, ...] = (
    "hs_code", "value", "quantity", "description", "duty_rate", "category", "weight_kg",
    "volume_l", "abv",
)  # fmt: skip
COLUMNS: tuple[str, ...] = ("shipment_id", *SHIPMENT_COLUMNS, *ITEM_COLUMNS)
REQUIRED: tuple[str, ...] = ("shipment_id", "destination", "date", "currency", "value")


def shipment_label(shipment: Shipment, position: int) -> str:
    """The id a shipment goes by in tables: its own ``id``, else its 1-based position."""
    return shipment.id if shipment.id is not None else str(position + 1)


def shipments_to_frame(shipments: Iterable[Shipment]) -> pd.DataFrame:
    """Shipments as the canonical table (one row per item line); exact, nothing converted.

    >>> from lvs_duty import Item, Shipment
    >>> s = Shipment("AU", "2026-01-05", "AUD", [Item("6109", "20.00"), Item("4901", "9.95")],
    ...              id="A1")
    >>> shipments_to_frame([s])[["shipment_id", "hs_code", "value"]].values.tolist()
    [['A1', '6109', Decimal('20.00')], ['A1', '4901', Decimal('9.95')]]
    """
    rows: list[tuple[Any, ...]] = []
    for position, shipment in enumerate(shipments):
        if not isinstance(shipment, Shipment):
            raise TypeError(
                f"shipments[{position}]: expected a Shipment, got {type(shipment).__name__}"
            )
        head = (
            shipment_label(shipment, position),
            *(getattr(shipment, c) for c in SHIPMENT_COLUMNS),
        )
        for item in shipment.items:
            rows.append((*head, *(getattr(item, c) for c in ITEM_COLUMNS)))
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
    return frame


def plain_cell(value: Any) -> Any:
    """A frame cell as a plain Python value: missing markers become None, numpy scalars unboxed."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return None if value == "" else value
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return None
    if isinstance(value, Decimal) and value.is_nan():
        return None  # pandas reads Decimal("NaN") as missing too: both paths agree
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def coerce_cell(column: str, value: Any) -> Any:
    """Strings read from CSV into the field types (quantity, gift, seller_registered).

    Other values pass through.
    """
    if value is None:
        return None
    if column == "quantity" and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if column in ("gift", "seller_registered") and isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
    return value


@own_context
def frame_to_shipments(frame: pd.DataFrame, *, source: str = "shipment table") -> list[Shipment]:
    """Shipments from the canonical table, in order of first appearance of each shipment_id.

    Every bad cell is reported at once in a :class:`~lvs_duty.errors.FrameError` whose
    ``failure_cases`` names row, column, problem and value; no row is dropped or reordered.
    """
    names = [str(c) for c in frame.columns]
    twice = sorted({c for c in names if names.count(c) > 1})
    if twice:
        raise FrameError(
            [RowProblem("(header)", c, "a column name used once", "repeated") for c in twice],
            source,
        )
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise FrameError(
            [RowProblem("(header)", c, "required column missing", "absent") for c in missing],
            source,
        )
    unknown = [c for c in frame.columns if c not in COLUMNS]
    if unknown:
        expected = f"a canonical column ({', '.join(COLUMNS)})"
        raise FrameError(
            [RowProblem("(header)", str(c), expected, "unknown column") for c in unknown], source
        )
    columns = [c for c in COLUMNS if c in frame.columns]
    groups: dict[Any, list[tuple[Any, dict[str, Any]]]] = {}
    blank: list[RowProblem] = []
    for label, values in zip(
        frame.index, frame[columns].itertuples(index=False, name=None), strict=True
    ):
        cells = {c: plain_cell(v) for c, v in zip(columns, values, strict=True)}
        row = {c: coerce_cell(c, v) for c, v in cells.items()}
        row["_cells"] = cells  # as read, for the same-value check the frame path makes
        if not is_id(row["shipment_id"]):
            # a blank id would merge unrelated parcels into one
            blank.append(RowProblem(label, "shipment_id", "expected a shipment id", "None"))
            continue
        groups.setdefault(row["shipment_id"], []).append((label, row))
    shipments: list[Shipment] = []
    cases: list[RowProblem] = blank
    for shipment_id, rows in groups.items():
        first_label, first = rows[0]
        for label, row in rows[1:]:
            for c in SHIPMENT_COLUMNS:
                mine, theirs = row["_cells"].get(c), first["_cells"].get(c)
                if c in row and (mine != theirs or type(mine) is not type(theirs)):
                    cases.append(
                        RowProblem(
                            label,
                            c,
                            f"the same value on every row of shipment "
                            f"{shipment_id!r} ({first[c]!r})",
                            repr(row[c]),
                        )
                    )
        items: list[Item] = []
        for label, row in rows:
            fields = {c: row[c] for c in ITEM_COLUMNS if c in row and row[c] is not None}
            try:
                items.append(Item(**fields))
            except ShipmentError as exc:
                cases.extend(_cases(exc.problems, label, row))
        if len(items) != len(rows):
            continue
        fields = {c: first[c] for c in SHIPMENT_COLUMNS if c in first and first[c] is not None}
        try:
            shipments.append(
                Shipment(
                    items=items, id=None if shipment_id is None else str(shipment_id), **fields
                )
            )
        except ShipmentError as exc:
            for problem in exc.problems:
                index = _item_index(problem.location)
                label, row = rows[index] if index is not None else (first_label, first)
                cases.extend(_cases([problem], label, row))
    if cases:
        raise FrameError(cases, source)
    return shipments


def is_id(value: object) -> bool:
    """Whether a cell can be a shipment id: present, hashable, and text that encodes as UTF-8."""
    if value is None:
        return False
    try:
        hash(value)
        if isinstance(value, str):
            value.encode("utf-8")
    except (TypeError, UnicodeEncodeError):
        return False
    return True


def _item_index(location: str) -> int | None:
    if location.startswith("items[") and "]" in location:
        return int(location[len("items[") : location.index("]")])
    return None


def _cases(problems: Iterable[Problem], label: Any, row: dict[str, Any]) -> list[RowProblem]:
    out = []
    for problem in problems:
        column = problem.field or problem.location
        value = repr(row.get(column)) if column in row else problem.got
        out.append(RowProblem(label, column, f"expected {problem.expected}", value))
    return out


def read_shipments_csv(path: str | os.PathLike[str]) -> list[Shipment]:
    """Shipments from a CSV file in the canonical layout, every cell read as exact text."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.index = frame.index + 2  # report CSV line numbers (line 1 is the header)
    return frame_to_shipments(frame, source=str(path))


def write_shipments_csv(shipments: Iterable[Shipment], path: str | os.PathLike[str]) -> None:
    """Write shipments as a canonical CSV, amounts in their exact decimal text."""
    shipments_to_frame(shipments).to_csv(path, index=False)


__all__ = [
    "COLUMNS",
    "ITEM_COLUMNS",
    "SHIPMENT_COLUMNS",
    "coerce_cell",
    "frame_to_shipments",
    "plain_cell",
    "read_shipments_csv",
    "shipment_label",
    "shipments_to_frame",
    "write_shipments_csv",
]
