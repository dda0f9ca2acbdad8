"""Compare policy options over a population of shipments: revenue, burden, collection, work.

``compare`` assesses the same shipments under several rule sets (a baseline and its GEA
options, or two real regimes) and returns one row per shipment and option; ``summarize``
reduces that to one row per option. Money stays Decimal throughout, or exact integer minor
units on the frame path.

A list of shipments is assessed one by one with :func:`lvs_duty.assess`. A shipment table
(pandas or Dask, canonical or fast layout) goes through :func:`lvs_duty.frame.assess_frame`'s
engine: the table is read once and each option is one vectorised pass. With
``amounts="decimal"`` (the default) the result has the very columns and Decimal values the
list gives; with ``amounts="minor"`` amounts stay int64 minor units (``duty_minor``...,
``effective_rate_bp``), which :func:`lvs_duty.frame.to_decimal_frame` converts, and which a
simulation of millions of parcels should use. ``summarize`` accepts either.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from .annual import PER_YEAR, weighted_totals
from .assess import assess
from .costs import CollectionCosts, check_costs, collection_cost
from .errors import ArgumentError, LvsDutyError
from .frame.compare import (
    MINOR_COLUMNS,
    combine_summaries,
    compare_minor,
    minor_columns,
    partial_summary,
)
from .money import CONTEXT, CURRENCIES, own_context, to_decimal
from .rules import RuleSet
from .schedules.model import Schedule
from .schedules.use import check_schedule
from .shipment import Shipment
from .tabular import frame_to_shipments, shipment_label

COMPARISON_COLUMNS: tuple[str, ...] = (
    "shipment_id", "option", "rules", "currency", "goods_value", "customs_value", "duty", "tax",
    "fees", "total", "effective_rate", "duty_collection", "tax_collection", "border_collection",
    "classifications",
)  # fmt: skip

_COUNTED_COLUMNS: tuple[str, ...] = (
    "option", "currency", "shipments", "shipments_charged", "border_collection_events",
    "duty", "tax", "fees", "revenue", "mean_burden", "median_burden", "classifications",
)  # fmt: skip
SUMMARY_COLUMNS: tuple[str, ...] = (*_COUNTED_COLUMNS, "collection_cost", "net_revenue")
"""Columns of :func:`summarize` (a breakdown puts its ``by`` column after ``option``)."""


def _shipments(shipments: Iterable[Shipment] | pd.DataFrame) -> list[Shipment]:
    if isinstance(shipments, pd.DataFrame):
        return frame_to_shipments(shipments)
    out = list(shipments)
    for i, shipment in enumerate(out):
        if not isinstance(shipment, Shipment):
            raise ArgumentError("compare", f"shipments[{i}]", "a Shipment", type(shipment).__name__)
    return out


@own_context
def compare(
    shipments: Iterable[Shipment] | pd.DataFrame | Any,
    options: Mapping[str, RuleSet],
    *,
    fx: Mapping[str, Decimal] | None = None,
    amounts: Literal["decimal", "minor"] = "decimal",
    schedule: Schedule | None = None,
) -> Any:
    """One row per option and shipment (options in the given order, shipments in theirs).

    Columns: ``shipment_id``, ``option``, ``rules``, ``currency``, ``goods_value``,
    ``customs_value``, ``duty``, ``tax``, ``fees``, ``total`` (Decimal), ``effective_rate``
    (total / goods value, Decimal to 4 places), ``duty_collection`` and ``tax_collection``
    (``"border"``, ``"sale"``, ``"mixed"`` or None), ``border_collection`` (bool) and
    ``classifications`` (classification decisions the option needed for the shipment).

    A shipment table (pandas or Dask) is assessed on the frame path; with
    ``amounts="minor"`` its amounts stay int64 minor units (see
    :data:`lvs_duty.frame.compare.MINOR_COLUMNS`). A Dask table gives a lazy Dask frame,
    ordered by partition, then option, then shipment; its bad rows raise FrameError when
    it is computed. ``schedule`` gives lines without ``duty_rate`` their duty under every
    option, as :func:`lvs_duty.assess` does (each option must share its currency).
    """
    if not isinstance(options, Mapping) or not options:
        raise ArgumentError(
            "compare", "options", "a non-empty mapping of name to RuleSet", type(options).__name__
        )
    for name, rules in options.items():
        if not isinstance(rules, RuleSet):
            raise ArgumentError("compare", f"options[{name!r}]", "a RuleSet", type(rules).__name__)
    if amounts not in ("decimal", "minor"):
        raise ArgumentError("compare", "amounts", "'decimal' or 'minor'", amounts)
    for rules in options.values():
        check_schedule("compare", schedule, rules)
    if isinstance(shipments, pd.DataFrame) or _is_dask(shipments):
        return _compare_frame(shipments, options, fx, amounts, schedule)
    population = _shipments(shipments)
    rows: list[tuple[Any, ...]] = []
    for name, rules in options.items():
        for position, shipment in enumerate(population):
            label = shipment_label(shipment, position)
            try:
                a = assess(shipment, rules, fx=fx, schedule=schedule)
            except LvsDutyError as exc:
                exc.add_note(f"while assessing shipment {label!r} under option {name!r}")
                raise
            rows.append(
                (
                    label,
                    name,
                    rules.code,
                    a.currency,
                    a.goods_value,
                    a.customs_value,
                    a.duty,
                    a.tax,
                    a.fees,
                    a.total,
                    a.effective_rate,
                    a.duty_collection,
                    a.tax_collection,
                    a.border_collection,
                    a.classifications,
                )
            )
    frame = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS), dtype=object)
    frame["border_collection"] = frame["border_collection"].astype(bool)
    frame["classifications"] = frame["classifications"].astype("int64")
    return frame


def _is_dask(frame: object) -> bool:
    from .frame import is_dask

    return is_dask(frame)


def _compare_frame(
    frame: Any,
    options: Mapping[str, RuleSet],
    fx: Mapping[str, Decimal] | None,
    amounts: str,
    schedule: Schedule | None = None,
) -> Any:
    from .frame import check_fx

    rates = check_fx("compare", fx)

    def run(part: pd.DataFrame) -> pd.DataFrame:
        if amounts == "minor":
            return compare_minor(part, options, rates, schedule)
        return _as_decimal(minor_columns(part, options, rates, schedule))

    if _is_dask(frame):
        from .frame.on_dask import map_shipments

        return map_shipments(frame, run)
    return run(frame)


def _as_decimal(minor: dict[str, Any]) -> pd.DataFrame:
    """The minor-unit comparison as the scalar compare() gives it: Decimal, str ids, None.

    Consumes ``minor`` (compare's own columns, see minor_columns): each minor column is
    dropped once converted, and the frame is built without copying, so the peak is about
    the Decimal comparison plus one column, not both comparisons at once.
    """
    from .frame import as_objects, decimal_columns, object_frame

    size = len(minor["shipment_id"])
    out = decimal_columns(minor)
    out["shipment_id"] = _id_words(out["shipment_id"])
    for column in ("option", "rules", "currency"):
        out[column] = as_objects(out[column])
    out["border_collection"] = np.asarray(out["border_collection"], dtype=bool)
    out["classifications"] = np.asarray(out["classifications"], dtype=np.int64)
    order = [*COMPARISON_COLUMNS, *(["weight"] if "weight" in out else [])]
    return object_frame({c: out.pop(c) for c in order}, pd.RangeIndex(size))


def _id_words(ids: Any) -> Any:
    """Shipment ids as str (None kept), one str object per distinct integer id."""
    if isinstance(ids, np.ndarray) and ids.dtype.kind in "iu":
        codes, uniques = pd.factorize(ids)
        table = np.empty(len(uniques), dtype=object)
        table[:] = [str(v) for v in uniques.tolist()]
        return table[codes]
    shown = np.empty(len(ids), dtype=object)
    shown[:] = [None if v is None else str(v) for v in ids]
    return shown


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return Decimal(0)
    if n % 2:
        return ordered[n // 2]
    return CONTEXT.divide(ordered[n // 2 - 1] + ordered[n // 2], Decimal(2))


def _unit(currency: str) -> Decimal:
    """The display quantum of a summary's means: the currency's minor unit (JPY: 1)."""
    places = {CURRENCIES.get(c, 2) for c in str(currency).split("/")}
    return Decimal(1).scaleb(-max(places))


@own_context
def summarize(
    comparison: Any,
    *,
    costs: CollectionCosts | None = None,
    by: str | None = None,
    bands: Sequence[Decimal | int | str] | None = None,
) -> pd.DataFrame:
    """One row per option: shipments charged, border collection events, revenue and burden.

    Revenue is split in duty, tax, fees and total; burden per shipment is the mean and
    median; classification decisions are counted. Means and medians are rounded half-even
    to the currency's minor unit (0.01 CAD, 1 JPY) for display; sums are exact.
    ``collection_cost`` prices the counts with ``costs`` (a
    :class:`~lvs_duty.costs.CollectionCosts`; None costs nothing, see :mod:`lvs_duty.costs`)
    and ``net_revenue`` is revenue less that cost, both exact. Accepts the Decimal
    comparison, the minor-unit one (``amounts="minor"``) and a Dask comparison, which is
    reduced partition by partition.

    ``by`` breaks each option down by a column of the comparison (one row per option and
    value, the column after ``option``), or by a derived one: ``"value_band"`` (goods value
    in the bands whose ascending upper bounds are ``bands``, each including its upper bound,
    the last open: ``"0–20"``, ``"20–150"``, ``"over 150"``) or ``"hs_chapter"`` (the first
    two digits of an ``hs_code`` column). The rows of a breakdown add up to the option's
    total in every count and amount.

    A comparison with a ``weight`` column (a calibrated population's: real parcels per
    shipment) also gets annual totals, exact (integer weight x amount): ``parcels_per_year``,
    ``parcels_charged_per_year``, ``border_collection_events_per_year``, ``duty_per_year``,
    ``tax_per_year``, ``fees_per_year`` and ``revenue_per_year`` (see :mod:`lvs_duty.annual`).
    """
    cost = check_costs("summarize", costs)
    if by is None:
        if bands is not None:
            raise ArgumentError("summarize", "bands", "None unless by='value_band'", bands)
        return _per_year(_priced(_summary(comparison), cost), comparison)
    if _is_dask(comparison):
        raise ArgumentError("summarize", "by", "None for a Dask comparison (compute it first)", by)
    keys, order = _breakdown(comparison, by, bands)
    parts = []
    for key in order:
        mask = (keys == key).to_numpy()
        if not mask.any():
            continue
        part = _per_year(_summary(comparison[mask]), comparison[mask])
        part.insert(1, by, key)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    names = list(dict.fromkeys(str(o) for o in comparison["option"]))
    rank = {name: i for i, name in enumerate(names)}
    position = {key: i for i, key in enumerate(order)}
    out = out.iloc[
        sorted(
            range(len(out)),
            key=lambda i: (rank[str(out["option"].iat[i])], position[out[by].iat[i]]),
        )
    ].reset_index(drop=True)
    priced = _priced(out, cost)
    return priced[
        [c for c in priced.columns if c not in PER_YEAR.values()]
        + [c for c in PER_YEAR.values() if c in priced.columns]
    ]


def _per_year(summary: pd.DataFrame, comparison: Any) -> pd.DataFrame:
    """The summary with annual totals after it, when the comparison carries weights."""
    if "weight" not in comparison.columns:
        return summary
    totals = weighted_totals(comparison).set_index("option")
    for name, column in PER_YEAR.items():
        summary[column] = pd.Series(
            [totals.at[o, name] for o in summary["option"]], index=summary.index, dtype=object
        )
    return summary


def _breakdown(comparison: Any, by: object, bands: object) -> tuple[pd.Series, list[Any]]:
    """The key of each row for ``by``, and the keys in display order."""
    fn = "summarize"
    if not isinstance(comparison, pd.DataFrame):
        raise ArgumentError(fn, "comparison", "the frame returned by compare()", comparison)
    if not isinstance(by, str):
        raise ArgumentError(fn, "by", "a column name, 'value_band' or 'hs_chapter'", by)
    if by == "value_band":
        return _value_bands(comparison, bands)
    if bands is not None:
        raise ArgumentError(fn, "bands", "None unless by='value_band'", bands)
    if by == "hs_chapter" and "hs_chapter" not in comparison.columns:
        if "hs_code" not in comparison.columns:
            raise ArgumentError(
                fn, "by", "'hs_chapter' only for a comparison with an 'hs_code' column", by
            )
        keys = pd.Series(
            ["".join(ch for ch in str(v) if ch.isdigit())[:2] for v in comparison["hs_code"]],
            index=comparison.index,
            dtype=object,
        )
        return keys, sorted(set(keys))
    if by not in comparison.columns or by == "option":
        raise ArgumentError(
            fn,
            "by",
            "a column of the comparison (other than 'option'), 'value_band' or 'hs_chapter'",
            by,
        )
    keys = pd.Series(comparison[by].astype(object).to_numpy(), index=comparison.index)
    return keys, sorted(set(keys), key=lambda k: (k is None, str(k)))


def _value_bands(comparison: pd.DataFrame, bands: object) -> tuple[pd.Series, list[Any]]:
    fn = "summarize"
    if bands is None or isinstance(bands, (str, bytes)) or not isinstance(bands, Iterable):
        raise ArgumentError(
            fn, "bands", "ascending band upper bounds such as (20, 40, 150, 500)", bands
        )
    edges: list[Decimal] = []
    for i, b in enumerate(bands):
        try:
            edge = to_decimal(b, f"bands[{i}]")
        except (TypeError, ValueError):
            raise ArgumentError(fn, f"bands[{i}]", "an exact amount (not a float)", b) from None
        if edge < 0 or (edges and edge <= edges[-1]):
            raise ArgumentError(fn, f"bands[{i}]", "a non-negative amount above the last", b)
        edges.append(edge)
    if not edges:
        raise ArgumentError(fn, "bands", "at least one band upper bound", "()")
    labels = [band_label(None if i == 0 else edges[i - 1], e) for i, e in enumerate(edges)]
    labels.append(band_label(edges[-1], None))
    if "goods_value_minor" in comparison.columns:
        places = {CURRENCIES.get(str(c), 2) for c in comparison["currency"].unique()}
        scale = Decimal(10) ** max(places)
        values = [CONTEXT.divide(Decimal(int(v)), scale) for v in comparison["goods_value_minor"]]
    elif "goods_value" in comparison.columns:
        values = [Decimal(v) for v in comparison["goods_value"]]
    else:
        raise ArgumentError(
            fn, "comparison", "a comparison with a goods value column", "no goods_value"
        )
    keys = [labels[bisect.bisect_left(edges, v)] for v in values]
    return pd.Series(keys, index=comparison.index, dtype=object), labels


def band_label(low: Decimal | None, high: Decimal | None) -> str:
    """A value band in words: ``0–20`` (above 0 up to 20 included) or ``over 150``."""
    if high is None:
        return f"over {low:,}"
    return f"{low or 0:,}–{high:,}"


def _priced(summary: pd.DataFrame, costs: CollectionCosts) -> pd.DataFrame:
    """The summary with ``collection_cost`` and ``net_revenue``, means in the minor unit."""
    summary = summary.copy()
    currencies = [str(c) for c in summary["currency"]]
    if costs.currency is not None:
        other = sorted({c for c in currencies if c != costs.currency})
        if other and not costs.is_zero:
            raise ArgumentError(
                "summarize",
                "costs",
                f"unit costs in the comparison's currency ({'/'.join(other)})",
                f"costs in {costs.currency}",
            )
    means, medians, spent, net = [], [], [], []
    records: list[dict[str, Any]] = summary.to_dict("records")  # type: ignore[assignment]
    for row, currency in zip(records, currencies, strict=True):
        unit = _unit(currency)
        n = int(row["shipments"])
        revenue = Decimal(row["revenue"])
        mean = CONTEXT.divide(revenue, Decimal(n)) if n else Decimal(0)
        means.append(mean.quantize(unit, rounding="ROUND_HALF_EVEN", context=CONTEXT))
        median = Decimal(row["median_burden"])
        medians.append(median.quantize(unit, rounding="ROUND_HALF_EVEN", context=CONTEXT))
        cost = collection_cost(
            costs,
            shipments=n,
            border_collection_events=int(row["border_collection_events"]),
            classifications=int(row["classifications"]),
        )
        spent.append(cost)
        net.append(CONTEXT.subtract(revenue, cost))
    summary["mean_burden"] = pd.Series(means, index=summary.index, dtype=object)
    summary["median_burden"] = pd.Series(medians, index=summary.index, dtype=object)
    summary["collection_cost"] = pd.Series(spent, index=summary.index, dtype=object)
    summary["net_revenue"] = pd.Series(net, index=summary.index, dtype=object)
    return summary


def _summary(comparison: Any) -> pd.DataFrame:
    """The counts and sums of :func:`summarize`, before costs."""
    if _is_dask(comparison) or (
        isinstance(comparison, pd.DataFrame) and "total_minor" in comparison.columns
    ):
        missing = [c for c in MINOR_COLUMNS if c not in comparison.columns]
        if missing:
            raise ArgumentError(
                "summarize",
                "comparison",
                "the frame returned by compare()",
                f"a frame missing {', '.join(missing)}",
            )
        if isinstance(comparison, pd.DataFrame):
            return combine_summaries([partial_summary(comparison)], _COUNTED_COLUMNS)
        from .frame.on_dask import summarize_dask

        return summarize_dask(
            comparison, partial_summary, lambda parts: combine_summaries(parts, _COUNTED_COLUMNS)
        )
    if not isinstance(comparison, pd.DataFrame):
        raise ArgumentError(
            "summarize", "comparison", "the frame returned by compare()", type(comparison).__name__
        )
    missing = [
        c
        for c in (
            "option",
            "total",
            "duty",
            "tax",
            "fees",
            "border_collection",
            "classifications",
            "currency",
        )
        if c not in comparison.columns
    ]
    if missing:
        raise ArgumentError(
            "summarize",
            "comparison",
            "the frame returned by compare()",
            f"a frame missing {', '.join(missing)}",
        )
    rows = []
    cent = Decimal("0.01")
    for option, group in comparison.groupby("option", sort=False, observed=True):
        totals = [Decimal(t) for t in group["total"]]
        n = len(totals)
        revenue = sum(totals, Decimal(0))
        mean = CONTEXT.divide(revenue, Decimal(n)) if n else Decimal(0)
        rows.append(
            (
                option,
                "/".join(sorted(set(group["currency"]))),
                n,
                sum(1 for t in totals if t > 0),
                int(group["border_collection"].astype(bool).sum()),
                sum((Decimal(d) for d in group["duty"]), Decimal(0)),
                sum((Decimal(t) for t in group["tax"]), Decimal(0)),
                sum((Decimal(f) for f in group["fees"]), Decimal(0)),
                revenue,
                mean.quantize(cent, rounding="ROUND_HALF_EVEN", context=CONTEXT),
                _median(totals),
                int(group["classifications"].astype("int64").sum()),
            )
        )
    return pd.DataFrame(rows, columns=list(_COUNTED_COLUMNS))


__all__ = ["COMPARISON_COLUMNS", "SUMMARY_COLUMNS", "band_label", "compare", "summarize"]
