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

from collections.abc import Iterable, Mapping
from decimal import Decimal, localcontext
from typing import Any, Literal

import pandas as pd

from ._frame_compare import MINOR_COLUMNS, combine_summaries, compare_minor, partial_summary
from .assess import assess
from .errors import ArgumentError, LvsDutyError
from .money import CONTEXT, own_context
from .rules import RuleSet
from .shipment import Shipment
from .tabular import frame_to_shipments, shipment_label

COMPARISON_COLUMNS: tuple[str, ...] = (
    "shipment_id", "option", "rules", "currency", "goods_value", "customs_value", "duty", "tax",
    "fees", "total", "effective_rate", "duty_collection", "tax_collection", "border_collection",
    "classifications",
)  # fmt: skip

SUMMARY_COLUMNS: tuple[str, ...] = (
    "option", "currency", "shipments", "shipments_charged", "border_collection_events",
    "duty", "tax", "fees", "revenue", "mean_burden", "median_burden", "classifications",
)  # fmt: skip


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
) -> Any:
    """One row per option and shipment (options in the given order, shipments in theirs).

    Columns: ``shipment_id``, ``option``, ``rules``, ``currency``, ``goods_value``,
    ``customs_value``, ``duty``, ``tax``, ``fees``, ``total`` (Decimal), ``effective_rate``
    (total / goods value, Decimal to 4 places), ``duty_collection`` and ``tax_collection``
    (``"border"``, ``"sale"``, ``"mixed"`` or None), ``border_collection`` (bool) and
    ``classifications`` (classification decisions the option needed for the shipment).

    A shipment table (pandas or Dask) is assessed on the frame path; with
    ``amounts="minor"`` its amounts stay int64 minor units (see
    :data:`lvs_duty._frame_compare.MINOR_COLUMNS`). A Dask table gives a lazy Dask frame,
    ordered by partition, then option, then shipment; its bad rows raise FrameError when
    it is computed.
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
    if isinstance(shipments, pd.DataFrame) or _is_dask(shipments):
        return _compare_frame(shipments, options, fx, amounts)
    population = _shipments(shipments)
    rows: list[tuple[Any, ...]] = []
    for name, rules in options.items():
        for position, shipment in enumerate(population):
            label = shipment_label(shipment, position)
            try:
                a = assess(shipment, rules, fx=fx)
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
    from .frame import _is_dask as is_dask

    return is_dask(frame)


def _compare_frame(
    frame: Any, options: Mapping[str, RuleSet], fx: Mapping[str, Decimal] | None, amounts: str
) -> Any:
    from .frame import check_fx

    rates = check_fx("compare", fx)

    def run(part: pd.DataFrame) -> pd.DataFrame:
        out = compare_minor(part, options, rates)
        return out if amounts == "minor" else _as_decimal(out)

    if _is_dask(frame):
        from ._frame_dask import map_shipments

        return map_shipments(frame, run)
    return run(frame)


def _as_decimal(minor: pd.DataFrame) -> pd.DataFrame:
    """The minor-unit comparison as the scalar compare() gives it: Decimal, str ids, None."""
    from .frame import to_decimal_frame

    out = to_decimal_frame(minor)
    out["shipment_id"] = pd.Series(
        [None if v is None else str(v) for v in minor["shipment_id"]], dtype=object, index=out.index
    )
    for column in ("option", "rules", "currency"):
        out[column] = pd.Series(
            minor[column].astype(object).to_numpy(), dtype=object, index=out.index
        )
    out["border_collection"] = minor["border_collection"].astype(bool)
    out["classifications"] = minor["classifications"].astype("int64")
    return out[list(COMPARISON_COLUMNS)]


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return Decimal(0)
    if n % 2:
        return ordered[n // 2]
    return CONTEXT.divide(ordered[n // 2 - 1] + ordered[n // 2], Decimal(2))


def summarize(comparison: Any) -> pd.DataFrame:
    """One row per option: shipments charged, border collection events, revenue and burden.

    Revenue is split in duty, tax, fees and total; burden per shipment is the mean and
    median; classification decisions are counted. Means and medians are rounded half-even
    to 0.01 for display; sums are exact. Accepts the
    Decimal comparison, the minor-unit one (``amounts="minor"``) and a Dask comparison,
    which is reduced partition by partition.
    """
    with localcontext(CONTEXT):
        return _summarize(comparison)


def _summarize(comparison: Any) -> pd.DataFrame:
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
            return combine_summaries([partial_summary(comparison)], SUMMARY_COLUMNS)
        from ._frame_dask import summarize_dask

        return summarize_dask(
            comparison, partial_summary, lambda parts: combine_summaries(parts, SUMMARY_COLUMNS)
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
    for option, group in comparison.groupby("option", sort=False):
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
                _median(totals).quantize(cent, rounding="ROUND_HALF_EVEN", context=CONTEXT),
                int(group["classifications"].astype("int64").sum()),
            )
        )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


__all__ = ["COMPARISON_COLUMNS", "SUMMARY_COLUMNS", "compare", "summarize"]
