"""Annual totals of a weighted comparison: each shipment counted ``weight`` times, exactly.

A calibrated population's ``weight`` column says how many real parcels each synthetic one
stands for; :func:`lvs_duty.compare` carries it to each row. The totals here are the one
definition of "per year": integer weight x exact amount (Decimal, or int64 minor units read
as Python integers when a product could leave int64), summed per option. Used by
:func:`lvs_duty.summarize` (the ``*_per_year`` columns) and
:func:`lvs_duty.simulate.annual_totals`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .money import CONTEXT, CURRENCIES

TOTALS: tuple[str, ...] = (
    "option", "currency", "parcels", "parcels_charged", "border_collection_events", "duty",
    "tax", "fees", "revenue",
)  # fmt: skip
"""Columns of :func:`weighted_totals`."""

PER_YEAR: dict[str, str] = {
    "parcels": "parcels_per_year",
    "parcels_charged": "parcels_charged_per_year",
    "border_collection_events": "border_collection_events_per_year",
    "duty": "duty_per_year",
    "tax": "tax_per_year",
    "fees": "fees_per_year",
    "revenue": "revenue_per_year",
}
"""The name :func:`lvs_duty.summarize` gives each annual total."""

_MONEY = ("duty", "tax", "fees", "total")
_COUNTED = ("parcels", "parcels_charged", "border_collection_events", *_MONEY)


def _dot(amounts: Any, weights: Any) -> int:
    """Exact sum of amount x weight over int64 columns (Python integers past int64's range)."""
    if len(amounts) == 0:
        return 0
    top = int(np.abs(amounts).max()) * int(weights.max())
    if top * len(amounts) < 2**62:
        return int((amounts * weights).sum())
    return sum(int(a) * int(w) for a, w in zip(amounts, weights, strict=True))


def partial_totals(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per option, exact weighted sums of a piece of a comparison (integers or Decimals)."""
    minor = "total_minor" in comparison.columns
    rows = []
    for option, group in comparison.groupby("option", sort=False, observed=True):
        w = group["weight"].to_numpy(dtype=np.int64)
        row: dict[str, Any] = {
            "option": option,
            "currency": sorted({str(c) for c in group["currency"].unique()}),
            "parcels": int(w.sum()),
            "border_collection_events": int(w[group["border_collection"].to_numpy(bool)].sum()),
            "minor": minor,
        }
        for name in _MONEY:
            if minor:
                row[name] = _dot(group[f"{name}_minor"].to_numpy(dtype=np.int64), w)
            else:
                values = group[name].to_numpy(dtype=object)
                total = Decimal(0)
                for v, k in zip(values, w, strict=True):
                    total = CONTEXT.add(total, CONTEXT.multiply(Decimal(v), Decimal(int(k))))
                row[name] = total
        totals = group["total_minor" if minor else "total"].to_numpy(dtype=object)
        row["parcels_charged"] = int(w[np.array([t > 0 for t in totals], dtype=bool)].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def combine_totals(partials: list[pd.DataFrame]) -> pd.DataFrame:
    """One row of :data:`TOTALS` per option (in order of first appearance), exact Decimals."""
    merged: dict[Any, dict[str, Any]] = {}
    for part in partials:
        records: list[dict[str, Any]] = part.to_dict("records")  # type: ignore[assignment]
        for row in records:
            seen = merged.setdefault(row["option"], {**row, **dict.fromkeys(_COUNTED, 0)})
            for key in _COUNTED:
                seen[key] += row[key]
            seen["currency"] = sorted(set(seen["currency"]) | set(row["currency"]))
    out = []
    for option, row in merged.items():
        currency = "/".join(row["currency"])
        places = CURRENCIES.get(row["currency"][0], 2) if row["currency"] else 2

        def money(amount: Any, places: int = places, minor: bool = bool(row["minor"])) -> Decimal:
            return Decimal(int(amount)).scaleb(-places) if minor else Decimal(amount)

        out.append(
            {
                "option": option,
                "currency": currency,
                "parcels": int(row["parcels"]),
                "parcels_charged": int(row["parcels_charged"]),
                "border_collection_events": int(row["border_collection_events"]),
                "duty": money(row["duty"]),
                "tax": money(row["tax"]),
                "fees": money(row["fees"]),
                "revenue": money(row["total"]),
            }
        )
    return pd.DataFrame(out, columns=list(TOTALS))


def weighted_totals(comparison: Any) -> pd.DataFrame:
    """Annual totals per option of a comparison with a ``weight`` column (pandas or Dask)."""
    from .frame import is_dask

    if is_dask(comparison):
        from .frame.on_dask import summarize_dask

        return summarize_dask(comparison, partial_totals, combine_totals)
    return combine_totals([partial_totals(comparison)])


__all__ = ["PER_YEAR", "TOTALS", "combine_totals", "partial_totals", "weighted_totals"]
