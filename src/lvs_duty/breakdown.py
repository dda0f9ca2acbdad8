"""Carry shipment fields (origin, ship-from, mode, region, HS code) into a comparison.

:func:`lvs_duty.compare` gives one row per option and shipment with the charges only;
:func:`attach` joins the shipments' own fields onto it by shipment id, so that
``summarize(comparison, by="origin")`` can break the figures down. It works on either path:
a list of Shipment or the canonical table (one row per item line). A shipment's ``hs_code``
is its first line's (a parcel of several lines is counted under its first line's chapter).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from .errors import ArgumentError
from .shipment import Shipment
from .tabular import shipment_label

#: Shipment fields a comparison can be broken down by (``hs_code``: the first line's).
FIELDS: tuple[str, ...] = (
    "origin",
    "ship_from",
    "mode",
    "region",
    "destination",
    "gift",
    "hs_code",
)


def _from_shipments(shipments: Sequence[Shipment], columns: Sequence[str]) -> pd.DataFrame:
    rows = []
    for position, shipment in enumerate(shipments):
        if not isinstance(shipment, Shipment):
            raise ArgumentError(
                "attach", f"shipments[{position}]", "a Shipment", type(shipment).__name__
            )
        row: dict[str, Any] = {"shipment_id": shipment_label(shipment, position)}
        for column in columns:
            if column == "hs_code":
                row[column] = shipment.items[0].hs_code if shipment.items else None
            else:
                row[column] = getattr(shipment, column)
        rows.append(row)
    return pd.DataFrame(rows, columns=["shipment_id", *columns], dtype=object)


def _from_frame(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in ("shipment_id", *columns) if c not in frame.columns]
    if missing:
        raise ArgumentError(
            "attach",
            "shipments",
            "a shipment table with the columns asked for",
            f"a table missing {', '.join(missing)}",
        )
    first = frame.drop_duplicates("shipment_id", keep="first")
    out = first[["shipment_id", *columns]].astype(object).reset_index(drop=True)
    out["shipment_id"] = [str(v) for v in out["shipment_id"]]
    return out


def attach(
    comparison: pd.DataFrame,
    shipments: Iterable[Shipment] | pd.DataFrame,
    columns: Sequence[str] = ("origin", "ship_from", "mode", "hs_code"),
) -> pd.DataFrame:
    """The comparison with the shipments' ``columns`` added, matched by shipment id.

    Rows keep their order; a shipment id the shipments do not hold is an error (never a
    silently empty cell). ``columns`` are shipment fields (see :data:`FIELDS`) or, for a
    table, any of its columns.

    >>> import lvs_duty
    >>> parcels = [lvs_duty.Shipment("AU", "2026-05-01", "AUD",
    ...                              [lvs_duty.Item("6109", v, duty_rate="0.05")],
    ...                              origin=o, id=i)
    ...            for i, v, o in (("a", "10.00", "CN"), ("b", "30.00", "US"))]
    >>> table = attach(lvs_duty.compare(parcels, {"AU": lvs_duty.load_rules("AU")}), parcels)
    >>> table[["shipment_id", "origin", "hs_code"]].values.tolist()
    [['a', 'CN', '6109'], ['b', 'US', '6109']]
    """
    if not isinstance(comparison, pd.DataFrame) or "shipment_id" not in comparison.columns:
        raise ArgumentError(
            "attach", "comparison", "the frame returned by lvs_duty.compare", comparison
        )
    if isinstance(columns, str) or not all(isinstance(c, str) for c in columns):
        raise ArgumentError("attach", "columns", "a sequence of column names", columns)
    clash = [c for c in columns if c in comparison.columns]
    if clash:
        raise ArgumentError(
            "attach", "columns", "columns the comparison does not have yet", ", ".join(clash)
        )
    if isinstance(shipments, pd.DataFrame):
        fields = _from_frame(shipments, columns)
    else:
        listed = list(shipments)
        unknown = [c for c in columns if c not in FIELDS]
        if unknown:
            raise ArgumentError(
                "attach", "columns", f"shipment fields ({', '.join(FIELDS)})", ", ".join(unknown)
            )
        fields = _from_shipments(listed, columns)
    lookup = fields.drop_duplicates("shipment_id", keep="first").set_index("shipment_id")
    ids = [str(v) for v in comparison["shipment_id"]]
    unknown_ids = sorted(set(ids) - set(lookup.index))
    if unknown_ids:
        raise ArgumentError(
            "attach",
            "shipments",
            "the shipments the comparison was made from",
            f"no shipment with id {unknown_ids[0]!r}",
        )
    out = comparison.copy()
    for column in columns:
        values = lookup[column].reindex(ids).to_numpy(dtype=object)
        out[column] = pd.Series(values, index=out.index, dtype=object)
    return out


__all__ = ["FIELDS", "attach"]
