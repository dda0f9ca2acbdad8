"""compare and summarize on the frame path: one read of the table, one kernel run per option.

Amounts stay int64 minor units (``amounts="minor"``) or become the very Decimal columns the
scalar :func:`lvs_duty.compare` gives (``amounts="decimal"``). Summaries are integer sums,
exact, then Decimal; the median comes from the sorted totals (or, over Dask, from merged
counts of each distinct total), so no float ever touches a figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ..errors import FrameError
from ..money import CONTEXT, CURRENCIES
from ..rules import RuleSet
from ..schedules.model import Schedule
from .batch import assess_batch
from .codes import WHERE, categorical
from .input import read_batch
from .ints import Ints, div_round
from .kernel import Outcome, empty_column
from .parallel import elementwise
from .schedule import with_schedule
from .weights import read_weights, weights_of

MINOR_COLUMNS: tuple[str, ...] = (
    "shipment_id", "option", "rules", "currency", "goods_value_minor", "customs_value_minor",
    "duty_minor", "tax_minor", "fees_minor", "total_minor", "effective_rate_bp",
    "duty_collection", "tax_collection", "border_collection", "classifications",
)  # fmt: skip
"""Columns of ``compare(frame, options, amounts="minor")``: amounts in int64 minor units,
``effective_rate_bp`` the total / goods value in basis points (0.0001), rounded half-even."""


_AMOUNT_COLUMNS = (
    "goods_value_minor",
    "customs_value_minor",
    "duty_minor",
    "tax_minor",
    "fees_minor",
    "total_minor",
    "effective_rate_bp",
)
"""The int64 amount columns of a comparison, in order."""


_SHOWN = {
    "goods_value": "goods_value_minor",
    "customs_value": "customs_value_minor",
    "duty": "duty_minor",
    "tax": "tax_minor",
    "fees": "fees_minor",
    "total": "total_minor",
    "classifications": "classifications",
}
"""The outcome's fields a comparison shows, and their int64 columns."""
_NOT_SHOWN = tuple(f for f in Outcome.__dataclass_fields__ if f not in _SHOWN)


def effective_bp(total: Ints, goods: Ints) -> Ints:
    """Total / goods in basis points, rounded half-even (0 for free goods), in integers."""
    if len(total) and int(goods.min()) > 0 and int(total.max()) <= (2**62) // 10_000:
        return div_round(total * 10_000, goods, "ROUND_HALF_EVEN")  # the usual case: no masks
    out = np.zeros(len(total), dtype=np.int64)
    has = goods > 0
    safe = has & (total <= (2**62) // 10_000)
    out[safe] = div_round(total[safe] * 10_000, goods[safe], "ROUND_HALF_EVEN")
    for i in np.flatnonzero(has & ~safe).tolist():  # astronomically large totals: Python ints
        q, r = divmod(int(total[i]) * 10_000, int(goods[i]))
        out[i] = q + (2 * r > goods[i] or (2 * r == goods[i] and q % 2 == 1))
    return out


def compare_minor(
    frame: pd.DataFrame,
    options: Mapping[str, RuleSet],
    fx: Mapping[str, Fraction] | None,
    schedule: Schedule | None = None,
) -> pd.DataFrame:
    """One row per option and shipment, amounts in minor units (options outermost)."""
    return pd.DataFrame(minor_columns(frame, options, fx, schedule), copy=False)


def minor_columns(
    frame: pd.DataFrame,
    options: Mapping[str, RuleSet],
    fx: Mapping[str, Fraction] | None,
    schedule: Schedule | None = None,
) -> dict[str, Any]:
    """compare_minor's columns, in order, held by nothing else (a caller may consume them).

    compare(amounts="decimal") converts them one by one, dropping each minor column once
    converted, which a DataFrame (holding every column until it goes) would not allow.
    """
    batch = with_schedule(read_weights(frame, read_batch(frame)), schedule, None)
    mark = batch.problems.checkpoint()
    if mark:
        raise FrameError(batch.problems.cases())
    names = list(options)
    size, count = batch.size, len(options)
    codes = list(dict.fromkeys(r.code for r in options.values()))
    currencies = list(dict.fromkeys(r.currency for r in options.values()))
    amounts = {
        c: np.empty(size * count, dtype=np.int64) for c in (*_AMOUNT_COLUMNS, "classifications")
    }
    where = {
        c: np.empty(size * count, dtype=np.int8)
        for c in ("option", "rules", "currency", "duty_collection", "tax_collection")
    }
    border = np.empty(size * count, dtype=bool)
    scratch = {name: empty_column(name, size) for name in _NOT_SHOWN}  # reused across options
    for k, (name, rules) in enumerate(options.items()):
        part = slice(k * size, (k + 1) * size)
        into = Outcome(**{f: amounts[c][part] for f, c in _SHOWN.items()}, **scratch)
        outcome = assess_batch(batch, rules, fx, None, into)
        if batch.problems.checkpoint() > mark:
            error = FrameError(batch.problems.cases())
            error.add_note(f"while assessing under option {name!r}")
            raise error
        if outcome is not into:  # written into the columns already when run in windows
            for field, column in _SHOWN.items():
                amounts[column][part] = getattr(outcome, field)
        elementwise(
            effective_bp, amounts["effective_rate_bp"][part], outcome.total, outcome.goods_value
        )
        where["option"][part] = k
        where["rules"][part] = codes.index(rules.code)
        where["currency"][part] = currencies.index(rules.currency)
        where["duty_collection"][part] = outcome.duty_collection
        where["tax_collection"][part] = outcome.tax_collection
        border[part] = outcome.collected_at_border > 0
        del outcome
    ids = batch.ids
    data: dict[str, Any] = {
        "shipment_id": np.concatenate([ids] * count) if count > 1 else ids,
        "option": categorical(where["option"], names),
        "rules": categorical(where["rules"], codes),
        "currency": categorical(where["currency"], currencies),
        **{c: amounts[c] for c in _AMOUNT_COLUMNS},
        "duty_collection": categorical(where["duty_collection"], list(WHERE)),
        "tax_collection": categorical(where["tax_collection"], list(WHERE)),
        "border_collection": border,
        "classifications": amounts["classifications"],
    }
    weight = weights_of(batch)
    if weight is not None:
        data["weight"] = np.concatenate([weight] * count) if count > 1 else weight
    return data


def _summary_of(group: pd.DataFrame) -> dict[str, Any]:
    """Exact partial sums of one option's rows (integers), and the counts of each total."""
    totals = group["total_minor"].to_numpy(dtype=np.int64)
    return {
        "shipments": len(totals),
        "shipments_charged": int((totals > 0).sum()),
        "border_collection_events": int(group["border_collection"].astype(bool).sum()),
        "duty": _exact_sum(group["duty_minor"].to_numpy(dtype=np.int64)),
        "tax": _exact_sum(group["tax_minor"].to_numpy(dtype=np.int64)),
        "fees": _exact_sum(group["fees_minor"].to_numpy(dtype=np.int64)),
        "revenue": _exact_sum(totals),
        "classifications": _exact_sum(group["classifications"].to_numpy(dtype=np.int64)),
        "currency": sorted({str(c) for c in group["currency"].unique()}),
        "counts": pd.Series(totals).value_counts(),
    }


def _exact_sum(values: Ints) -> int:
    if len(values) == 0:
        return 0
    if int(np.abs(values).max()) * len(values) < 2**62:
        return int(values.sum())
    return sum(int(v) for v in values)


def partial_summary(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per option, the exact partial sums of a piece of a comparison (one row per option)."""
    rows = []
    for option, group in comparison.groupby("option", sort=False, observed=True):
        rows.append({"option": option, **_summary_of(group)})
    return pd.DataFrame(rows)


def _median(counts: pd.Series, n: int) -> Fraction:
    """The median of values given as counts of each distinct value."""
    if n == 0:
        return Fraction(0)
    ordered = counts.groupby(level=0).sum().sort_index()
    cumulative = np.cumsum(ordered.to_numpy())
    values = ordered.index.to_numpy()

    def nth(k: int) -> int:  # the k-th smallest, 0-based
        return int(values[int(np.searchsorted(cumulative, k, side="right"))])

    if n % 2:
        return Fraction(nth(n // 2))
    return Fraction(nth(n // 2 - 1) + nth(n // 2), 2)


def combine_summaries(partials: list[pd.DataFrame], columns: tuple[str, ...]) -> pd.DataFrame:
    """One summary row per option (in order of first appearance) from partial sums."""
    merged: dict[Any, dict[str, Any]] = {}
    for part in partials:
        records: list[dict[str, Any]] = part.to_dict("records")  # type: ignore[assignment]
        for row in records:
            seen = merged.get(row["option"])
            if seen is None:
                merged[row["option"]] = dict(row)
                continue
            for key in (
                "shipments",
                "shipments_charged",
                "border_collection_events",
                "duty",
                "tax",
                "fees",
                "revenue",
                "classifications",
            ):
                seen[key] += row[key]
            seen["currency"] = sorted(set(seen["currency"]) | set(row["currency"]))
            seen["counts"] = pd.concat([seen["counts"], row["counts"]])
    cent = Decimal("0.01")
    rows = []
    for option, row in merged.items():
        places = CURRENCIES[row["currency"][0]] if row["currency"] else 2
        n = row["shipments"]

        def money(units: int | Fraction, places: int = places) -> Decimal:
            value = Fraction(units) / 10**places
            return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))

        revenue = money(row["revenue"]).quantize(Decimal(1).scaleb(-places), context=CONTEXT)
        mean = CONTEXT.divide(revenue, Decimal(n)) if n else Decimal(0)
        median = money(_median(row["counts"], n))
        rows.append(
            (
                option,
                "/".join(row["currency"]),
                n,
                row["shipments_charged"],
                row["border_collection_events"],
                *(
                    money(row[k]).quantize(Decimal(1).scaleb(-places), context=CONTEXT)
                    for k in ("duty", "tax", "fees")
                ),
                revenue,
                mean.quantize(cent, rounding="ROUND_HALF_EVEN", context=CONTEXT),
                median.quantize(cent, rounding="ROUND_HALF_EVEN", context=CONTEXT),
                int(row["classifications"]),
            )
        )
    return pd.DataFrame(rows, columns=list(columns))


__all__ = [
    "MINOR_COLUMNS",
    "combine_summaries",
    "compare_minor",
    "effective_bp",
    "minor_columns",
    "partial_summary",
]
