"""Pictures of a comparison: revenue, parcels charged, burden by value band, customs workload.

Policy analysts decide by looking. Each function here draws one titled figure whose axes name
their unit and the regime's currency, and returns a :class:`matplotlib.figure.Figure` built
with the object API (no ``pyplot``, no global state), so it works under any backend, in
threads and in notebooks. Save one with ``fig.savefig("revenue.png")``.

Sums are done in Decimal first, from the exact amounts of :func:`lvs_duty.compare` (or in
integers from its minor-unit comparison, ``amounts="minor"``, which is what a population of
millions should plot); an amount becomes a float only as the height of a bar or a point on a
line, at the very edge, for drawing. The figures' text labels show the exact Decimal figures.

matplotlib is an optional extra: ``pip install 'lvs_duty[plot]'``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from .compare import summarize
from .errors import ArgumentError
from .money import CONTEXT, CURRENCIES, to_decimal

try:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter
except ImportError as exc:  # pragma: no cover - exercised by a test that hides matplotlib
    raise ImportError(
        "lvs_duty.plot needs matplotlib, an optional extra: pip install 'lvs_duty[plot]'"
    ) from exc

#: Default value bands (upper bounds, in the regime currency): a 1-2-5 ladder. Pass the
#: regime's own thresholds instead (Canada: ``(20, 40, 150, 500)``) to see its notches.
DEFAULT_BANDS: tuple[int, ...] = (10, 20, 50, 100, 200, 500, 1000)

#: Colours of the revenue components and of the workload series (matplotlib's cycle names).
_COMPONENTS: tuple[tuple[str, str, str], ...] = (
    ("duty", "Duty", "C0"), ("tax", "Tax (VAT/GST)", "C1"), ("fees", "Fees", "C2"),
)  # fmt: skip
_WORKLOAD: tuple[tuple[str, str, str], ...] = (
    ("classifications", "Classification decisions", "C4"),
    ("border_collection_events", "Border collection events", "C3"),
)
_SUMMARY_NEEDS = (
    "option",
    "currency",
    "shipments",
    "shipments_charged",
    "border_collection_events",
    "duty",
    "tax",
    "fees",
    "revenue",
    "classifications",
)
_COMPARISON_NEEDS = ("option", "currency", "goods_value", "customs_value", "total")
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")

ValueMeasure = Literal["goods_value", "customs_value"]
BurdenShown = Literal["mean_burden", "effective_rate"]

# ---------------------------------------------------------------------------------------------
# Checking inputs: every problem names the function, the argument and what was expected.


def _frame(
    function: str, argument: str, frame: object, needs: Sequence[str], what: str
) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentError(function, argument, what, type(frame).__name__)
    missing = [c for c in needs if c not in frame.columns]
    if missing:
        raise ArgumentError(function, argument, what, f"a frame missing {', '.join(missing)}")
    if frame.empty:
        raise ArgumentError(function, argument, f"{what}, with at least one row", "an empty frame")
    return frame


def _as_summary(function: str, frame: object) -> pd.DataFrame:
    """A summary frame; a comparison frame (one row per shipment) is summarized first."""
    if isinstance(frame, pd.DataFrame) and "shipment_id" in frame.columns:
        frame = summarize(frame)
    return _frame(
        function,
        "summary",
        frame,
        _SUMMARY_NEEDS,
        "the frame returned by lvs_duty.summarize (or by compare)",
    )


def _currency(function: str, argument: str, values: Iterable[object]) -> str:
    found = sorted({str(v) for v in values})
    if len(found) != 1 or "/" in found[0]:
        raise ArgumentError(
            function,
            f"{argument}.currency",
            "one currency for every option (amounts in different currencies cannot share an axis)",
            "/".join(found),
        )
    return found[0]


def _amount(function: str, where: str, value: object) -> Decimal:
    try:
        return to_decimal(value, where)
    except (TypeError, ValueError):
        raise ArgumentError(
            function, where, "an exact amount (Decimal, int or str; not a float)", value
        ) from None


def _count(function: str, where: str, value: object) -> int:
    index = getattr(value, "__index__", None)
    if isinstance(value, bool) or index is None:
        raise ArgumentError(function, where, "a whole number", value)
    return int(index())


def _column(function: str, argument: str, frame: pd.DataFrame, column: str) -> list[Decimal]:
    return [
        _amount(function, f"{argument}[{column!r}][{label!r}]", v)
        for label, v in frame[column].items()
    ]


def _counts(function: str, argument: str, frame: pd.DataFrame, column: str) -> list[int]:
    return [
        _count(function, f"{argument}[{column!r}][{label!r}]", v)
        for label, v in frame[column].items()
    ]


def _new_figure(width: float = 7.5, height: float = 4.5) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _f(amount: Decimal) -> float:
    """An exact amount as a float, only ever as a drawing coordinate (never summed)."""
    return float(amount)


def _options_axis(ax: Axes, options: Sequence[str]) -> list[float]:
    positions = [float(i) for i in range(len(options))]
    ax.set_xticks(positions, [str(o) for o in options])
    ax.set_xlabel("Option")
    ax.tick_params(axis="x", labelrotation=15)
    return positions


# ---------------------------------------------------------------------------------------------
# Revenue by option: duty, tax and fees stacked.


def _draw_revenue(ax: Axes, summary: pd.DataFrame, function: str) -> str:
    currency = _currency(function, "summary", summary["currency"])
    options = [str(o) for o in summary["option"]]
    x = _options_axis(ax, options)
    bottom = [Decimal(0)] * len(options)
    for column, label, colour in _COMPONENTS:
        parts = _column(function, "summary", summary, column)
        ax.bar(
            x,
            [_f(p) for p in parts],
            bottom=[_f(b) for b in bottom],
            label=label,
            color=colour,
            width=0.6,
        )
        bottom = [b + p for b, p in zip(bottom, parts, strict=True)]
    totals = _column(function, "summary", summary, "revenue")
    for i, (stacked, total) in enumerate(zip(bottom, totals, strict=True)):
        if stacked != total:
            raise ArgumentError(
                function,
                f"summary['revenue'][{summary.index[i]!r}]",
                f"duty + tax + fees = {stacked}",
                total,
            )
        ax.annotate(
            f"{total:,}",
            (x[i], _f(total)),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize="small",
        )
    ax.set_ylabel(f"Revenue ({currency})")
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    top = max((_f(t) for t in totals), default=0.0)
    ax.set_ylim(0, top * 1.3 if top > 0 else 1.0)
    ax.legend(loc="upper center", ncols=3, fontsize="small")
    return currency


def revenue_by_option(summary: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Revenue of each option, duty, tax and fees stacked, its exact total written on top.

    ``summary`` is :func:`lvs_duty.summarize` of a comparison (a comparison frame is summarized
    for you). The y axis is in the regime currency; options must share one currency.
    """
    fn = "revenue_by_option"
    frame = _as_summary(fn, summary)
    fig = _new_figure()
    ax = fig.add_subplot()
    currency = _draw_revenue(ax, frame, fn)
    default = f"Revenue by option, duty and tax ({currency})"
    ax.set_title(title if title is not None else default)
    return fig


# ---------------------------------------------------------------------------------------------
# Share of parcels charged.


def _share(charged: int, shipments: int) -> Decimal:
    """Charged parcels as a percentage of all, rounded half-even to 0.1 for display."""
    if shipments == 0:
        return Decimal(0)
    return CONTEXT.divide(Decimal(charged) * _HUNDRED, Decimal(shipments)).quantize(
        Decimal("0.1"), rounding="ROUND_HALF_EVEN", context=CONTEXT
    )


def _draw_share(ax: Axes, summary: pd.DataFrame, function: str) -> None:
    options = [str(o) for o in summary["option"]]
    x = _options_axis(ax, options)
    charged = _counts(function, "summary", summary, "shipments_charged")
    shipments = _counts(function, "summary", summary, "shipments")
    border = _counts(function, "summary", summary, "border_collection_events")
    shares = [_share(c, n) for c, n in zip(charged, shipments, strict=True)]
    at_border = [_share(b, n) for b, n in zip(border, shipments, strict=True)]
    ax.bar(x, [_f(s) for s in shares], width=0.6, color="C5", label="charged (anywhere)")
    ax.plot(
        x,
        [_f(s) for s in at_border],
        linestyle="none",
        marker="_",
        markersize=28,
        markeredgewidth=2.5,
        color="C3",
        label="charged at the border",
    )
    for i, (share, c, n) in enumerate(zip(shares, charged, shipments, strict=True)):
        ax.annotate(
            f"{share}%\n({c:,} of {n:,})",
            (x[i], _f(share)),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize="small",
        )
    ax.set_ylabel("Parcels charged (% of parcels)")
    ax.set_ylim(0, 130)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.legend(loc="upper center", ncols=2, fontsize="small")


def share_charged(summary: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Share of parcels that pay anything under each option, and the share charged at the border.

    Bars: parcels with a total charge above zero, in % of all parcels (count written on top).
    Markers: parcels whose duty or tax the carrier must collect at the border.
    """
    fn = "share_charged"
    frame = _as_summary(fn, summary)
    fig = _new_figure()
    ax = fig.add_subplot()
    _draw_share(ax, frame, fn)
    ax.set_title(title if title is not None else "Share of parcels charged")
    return fig


# ---------------------------------------------------------------------------------------------
# Burden by value band.


def _bands(function: str, bands: object) -> list[Decimal]:
    if isinstance(bands, (str, bytes)) or not isinstance(bands, Iterable):
        raise ArgumentError(
            function,
            "bands",
            "an ascending sequence of band upper bounds such as (20, 40, 150, 500)",
            bands,
        )
    edges = [_amount(function, f"bands[{i}]", b) for i, b in enumerate(bands)]
    if not edges:
        raise ArgumentError(function, "bands", "at least one band upper bound", "()")
    for i, edge in enumerate(edges):
        if edge < 0:
            raise ArgumentError(function, f"bands[{i}]", "a non-negative amount", edge)
        if i and edge <= edges[i - 1]:
            raise ArgumentError(
                function,
                f"bands[{i}]",
                f"an upper bound above bands[{i - 1}] = {edges[i - 1]} (bands ascend)",
                edge,
            )
    return edges


def _band_label(low: Decimal | None, high: Decimal | None) -> str:
    if high is None:
        return f"over {low:,}"
    return f"{low or 0:,}–{high:,}"


def _minor(frame: object) -> bool:
    """Whether a comparison holds int64 minor units (``compare(..., amounts="minor")``)."""
    return isinstance(frame, pd.DataFrame) and "total_minor" in frame.columns


def _comparison_needs(frame: object, *extra: str) -> tuple[str, ...]:
    """Columns a comparison must have, named as its layout (Decimal or minor) names them."""
    names = (*_COMPARISON_NEEDS, *extra)
    if not _minor(frame):
        return names
    kept = ("option", "currency", "border_collection", "classifications")
    return tuple(n if n in kept else f"{n}_minor" for n in names)


def _band_sums(
    fn: str,
    group: pd.DataFrame,
    value: str,
    lows: Sequence[Decimal | None],
    highs: Sequence[Decimal | None],
) -> list[tuple[int, Decimal, Decimal]]:
    """Per band: shipments, value and charges (exact Decimal sums) of a Decimal comparison."""
    values = _column(fn, "comparison", group, value)
    totals = _column(fn, "comparison", group, "total")
    out = []
    for low, high in zip(lows, highs, strict=True):
        inside = [
            (v, t)
            for v, t in zip(values, totals, strict=True)
            if (low is None or v > low) and (high is None or v <= high)
        ]
        worth = sum((v for v, _ in inside), Decimal(0))
        out.append((len(inside), worth, sum((t for _, t in inside), Decimal(0))))
    return out


def _band_sums_minor(
    group: pd.DataFrame, value: str, edges: Sequence[Decimal], places: int
) -> list[tuple[int, Decimal, Decimal]]:
    """:func:`_band_sums` on int64 minor units: integer band cuts and sums, exact."""
    values = group[f"{value}_minor"].to_numpy(dtype=np.int64)
    totals = group["total_minor"].to_numpy(dtype=np.int64)
    # v <= high  <=>  v_minor <= floor(high * 10**places), v_minor an integer
    cuts = [int((e.scaleb(places, context=CONTEXT)).to_integral_value(ROUND_FLOOR)) for e in edges]
    band = np.searchsorted(np.array(cuts, dtype=np.int64), values, side="left")
    counts = np.bincount(band, minlength=len(edges) + 1)
    worth = pd.Series(values).groupby(band).sum()
    charges = pd.Series(totals).groupby(band).sum()
    out = []
    for b, n in enumerate(counts.tolist()):
        if n == 0:
            out.append((0, Decimal(0), Decimal(0)))
            continue
        out.append(
            (
                n,
                Decimal(int(worth[b])).scaleb(-places, context=CONTEXT),
                Decimal(int(charges[b])).scaleb(-places, context=CONTEXT),
            )
        )
    return out


def burden_table(
    comparison: pd.DataFrame,
    bands: Sequence[Decimal | int | str] = DEFAULT_BANDS,
    *,
    value: ValueMeasure = "goods_value",
) -> pd.DataFrame:
    """The table behind :func:`burden_by_value_band`: what parcels in each value band pay.

    ``bands`` are ascending upper bounds in the regime currency; each band holds the values
    above the previous bound up to and including its own (as an inclusive de minimis does),
    the first from 0, and a last open band holds everything above the top bound. Columns:
    ``option``, ``band``, ``low``, ``high`` (None when open), ``shipments``, ``value`` and
    ``charges`` (exact sums), ``mean_burden`` (charges / shipments, half-even to 0.01; None for
    an empty band) and ``effective_rate`` (charges / value, half-even to 0.0001).

    Australia: GST 10% collected at sale up to AUD 1,000, so 10.00 pays 1.00 and 30.00 pays
    3.00; 1,200.00 pays duty 5% = 60.00 plus GST 10% of 1,260.00 = 126.00, in all 186.00.

    >>> import lvs_duty
    >>> parcels = [lvs_duty.Shipment("AU", "2026-05-01", "AUD",
    ...                              [lvs_duty.Item("6109", v, duty_rate="0.05")])
    ...            for v in ("10.00", "30.00", "1200.00")]
    >>> table = burden_table(lvs_duty.compare(parcels, {"AU": lvs_duty.load_rules("AU")}),
    ...                      bands=(20, 1000))
    >>> for row in table[["band", "shipments", "mean_burden"]].itertuples(index=False):
    ...     print(*row)
    0–20 1 1.00
    20–1,000 1 3.00
    over 1,000 1 186.00
    """
    fn = "burden_table"
    frame = _frame(
        fn,
        "comparison",
        comparison,
        _comparison_needs(comparison),
        "the frame returned by lvs_duty.compare",
    )
    if value not in ("goods_value", "customs_value"):
        raise ArgumentError(fn, "value", "'goods_value' or 'customs_value'", value)
    edges = _bands(fn, bands)
    lows: list[Decimal | None] = [None, *edges]
    highs: list[Decimal | None] = [*edges, None]
    rows: list[tuple[Any, ...]] = []
    places = CURRENCIES.get(str(frame["currency"].iloc[0]), 2) if _minor(frame) else 0
    for option, group in frame.groupby("option", sort=False, observed=True):
        sums = (
            _band_sums_minor(group, value, edges, places)
            if _minor(frame)
            else _band_sums(fn, group, value, lows, highs)
        )
        for low, high, (n, worth, charges) in zip(lows, highs, sums, strict=True):
            mean = (
                CONTEXT.divide(charges, Decimal(n)).quantize(
                    _CENT, rounding="ROUND_HALF_EVEN", context=CONTEXT
                )
                if n
                else None
            )
            rate = (
                CONTEXT.divide(charges, worth).quantize(
                    Decimal("0.0001"), rounding="ROUND_HALF_EVEN", context=CONTEXT
                )
                if worth
                else None
            )
            rows.append(
                (
                    option,
                    _band_label(low, high),
                    low or Decimal(0),
                    high,
                    n,
                    worth,
                    charges,
                    mean,
                    rate,
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "option",
            "band",
            "low",
            "high",
            "shipments",
            "value",
            "charges",
            "mean_burden",
            "effective_rate",
        ],
    )


def _draw_burden(
    ax: Axes,
    comparison: pd.DataFrame,
    bands: Sequence[Decimal | int | str],
    value: ValueMeasure,
    show: BurdenShown,
    function: str,
) -> str:
    currency = _currency(function, "comparison", comparison["currency"].unique())
    if show not in ("mean_burden", "effective_rate"):
        raise ArgumentError(function, "show", "'mean_burden' or 'effective_rate'", show)
    table = burden_table(comparison, bands, value=value)
    options = list(dict.fromkeys(table["option"]))
    labels = list(dict.fromkeys(table["band"]))
    width = 0.8 / len(options)
    for k, option in enumerate(options):
        rows = table[table["option"] == option]
        heights = [
            float("nan") if h is None else _f(h * _HUNDRED if show == "effective_rate" else h)
            for h in rows[show]
        ]
        x = [i - 0.4 + width * (k + 0.5) for i in range(len(labels))]
        ax.bar(x, heights, width=width, label=str(option), color=f"C{k}")
    ax.set_xticks([float(i) for i in range(len(labels))], labels)
    ax.tick_params(axis="x", labelrotation=20)
    what = "goods value" if value == "goods_value" else "customs value"
    ax.set_xlabel(f"Band of {what} ({currency}; upper bound included)")
    if show == "mean_burden":
        ax.set_ylabel(f"Mean charge per parcel ({currency})")
    else:
        ax.set_ylabel(f"Charges as % of {what} (%)")
    ax.legend(fontsize="small", title="Option", title_fontsize="small")
    return currency


def burden_by_value_band(
    comparison: pd.DataFrame,
    bands: Sequence[Decimal | int | str] = DEFAULT_BANDS,
    *,
    value: ValueMeasure = "goods_value",
    show: BurdenShown = "mean_burden",
    title: str | None = None,
) -> Figure:
    """Who pays how much: the mean charge per parcel (or the effective rate) by value band.

    One group of bars per band, one bar per option; see :func:`burden_table` for the band
    semantics and the exact figures. ``show="effective_rate"`` plots charges as a percentage
    of the value in the band instead of the mean charge in the regime currency.
    """
    fn = "burden_by_value_band"
    frame = _frame(
        fn,
        "comparison",
        comparison,
        _comparison_needs(comparison),
        "the frame returned by lvs_duty.compare",
    )
    fig = _new_figure(8.5, 4.5)
    ax = fig.add_subplot()
    currency = _draw_burden(ax, frame, bands, value, show, fn)
    what = (
        f"mean charge per parcel ({currency})" if show == "mean_burden" else "charges as % of value"
    )
    default = f"Burden on buyers by value band: {what}"
    ax.set_title(title if title is not None else default)
    return fig


# ---------------------------------------------------------------------------------------------
# Workload: classification decisions and border collection events.


def _draw_workload(ax: Axes, summary: pd.DataFrame, function: str) -> None:
    options = [str(o) for o in summary["option"]]
    x = _options_axis(ax, options)
    width = 0.38
    for k, (column, label, colour) in enumerate(_WORKLOAD):
        counts = _counts(function, "summary", summary, column)
        offset = (k - 0.5) * width
        bars = ax.bar([p + offset for p in x], counts, width=width, label=label, color=colour)
        ax.bar_label(bars, labels=[f"{c:,}" for c in counts], fontsize="x-small", padding=2)
    ax.set_ylabel("Count (decisions or events)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    top = max((float(c) for c in summary[_WORKLOAD[0][0]]), default=0.0)
    top = max([top, *(float(c) for c in summary[_WORKLOAD[1][0]])])
    ax.set_ylim(0, top * 1.3 if top > 0 else 1.0)
    ax.legend(loc="upper center", ncols=2, fontsize="small")


def workload(summary: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Customs work each option needs: HS classification decisions and border collection events.

    A classification decision is one line an officer or broker must classify to charge it; a
    border collection event is one parcel whose duty or tax the carrier collects at the border.
    """
    fn = "workload"
    frame = _as_summary(fn, summary)
    fig = _new_figure()
    ax = fig.add_subplot()
    _draw_workload(ax, frame, fn)
    default = "Classification decisions and border collection events"
    ax.set_title(title if title is not None else default)
    return fig


# ---------------------------------------------------------------------------------------------
# Threshold sweep.

_SWEEP_NEEDS = ("threshold", "revenue", "shipments_charged")
_MARK_CHARS = 48  # longer notch labels are cut, so they fit beside the line


def _notch_marks(function: str, notches: object) -> list[tuple[str, Decimal]]:
    if notches is None:
        return []
    if isinstance(notches, pd.DataFrame):
        column = next(
            (c for c in ("threshold", "at", "value", "amount") if c in notches.columns), None
        )
        if column is None:
            raise ArgumentError(
                function,
                "notches",
                "a frame with a 'threshold', 'at', 'value' or 'amount' column",
                f"columns {list(notches.columns)}",
            )
        labels = notches["label"] if "label" in notches.columns else notches[column]
        return [
            (str(lab), _amount(function, f"notches[{column!r}][{i}]", v))
            for i, (lab, v) in enumerate(zip(labels, notches[column], strict=True))
        ]
    if isinstance(notches, Mapping):
        return [(str(k), _amount(function, f"notches[{k!r}]", v)) for k, v in notches.items()]
    if isinstance(notches, (str, bytes)) or not isinstance(notches, Iterable):
        raise ArgumentError(
            function,
            "notches",
            "amounts, a mapping of label to amount, or a frame of notches",
            notches,
        )
    marks = []
    for i, v in enumerate(notches):
        amount = _amount(function, f"notches[{i}]", v)
        marks.append((f"{amount:,}", amount))
    return marks


def net_revenue(frame: pd.DataFrame, cost_per_event: Decimal | int | str) -> list[Decimal]:
    """Revenue less ``cost_per_event`` for each border collection event, row by row, exact.

    What collecting costs the state (or the carrier, passed on) can exceed what a small parcel
    yields; this is the revenue left once each border collection is paid for.

    >>> frame = pd.DataFrame({"revenue": [Decimal("100.00")], "border_collection_events": [6]})
    >>> net_revenue(frame, "12.50")   # 100.00 - 6 x 12.50
    [Decimal('25.00')]
    """
    fn = "net_revenue"
    frame = _frame(
        fn,
        "frame",
        frame,
        ("revenue", "border_collection_events"),
        "a summary or threshold-sweep frame",
    )
    cost = _amount(fn, "cost_per_event", cost_per_event)
    if cost < 0:
        raise ArgumentError(fn, "cost_per_event", "a non-negative amount", cost)
    revenue = _column(fn, "frame", frame, "revenue")
    events = _counts(fn, "frame", frame, "border_collection_events")
    return [r - cost * e for r, e in zip(revenue, events, strict=True)]


def threshold_curve(
    sweep: pd.DataFrame,
    notches: Iterable[Decimal | int | str]
    | Mapping[str, Decimal | int | str]
    | pd.DataFrame
    | None = None,
    *,
    collection_cost: Decimal | int | str | None = None,
    currency: str | None = None,
    title: str | None = None,
) -> Figure:
    """Revenue and parcels charged as a threshold moves: the policy curve, one line per option.

    ``sweep`` is the table of :func:`lvs_duty.analysis.threshold_sweep`: a ``threshold``
    column, ``revenue`` and ``shipments_charged`` (and ``option`` when it holds several
    options). ``notches`` marks amounts with dashed vertical lines: a list of amounts,
    ``{label: amount}``, or a frame with an ``at`` column and an optional ``label``, as
    :func:`lvs_duty.analysis.notch_table` returns (labels are cut to 48 characters). With
    ``collection_cost`` per border collection event (needs ``border_collection_events``), a
    dotted line shows the net revenue, computed exactly by :func:`net_revenue`.
    """
    fn = "threshold_curve"
    needs = (
        (*_SWEEP_NEEDS, "border_collection_events") if collection_cost is not None else _SWEEP_NEEDS
    )
    frame = _frame(
        fn, "sweep", sweep, needs, "a threshold sweep (see lvs_duty.analysis.threshold_sweep)"
    )
    if currency is None:
        if "currency" not in frame.columns:
            raise ArgumentError(
                fn,
                "currency",
                "the currency of the amounts (the sweep has no 'currency' column)",
                None,
            )
        currency = _currency(fn, "sweep", frame["currency"])
    marks = _notch_marks(fn, notches)
    fig = _new_figure(11, 4.5)
    ax_rev, ax_share = fig.subplots(1, 2)
    groups = (
        frame.groupby("option", sort=False) if "option" in frame.columns else [("revenue", frame)]
    )
    for k, (option, group) in enumerate(groups):
        xs = _column(fn, "sweep", group, "threshold")
        order = sorted(range(len(xs)), key=xs.__getitem__)
        revenue = _column(fn, "sweep", group, "revenue")
        charged = _counts(fn, "sweep", group, "shipments_charged")
        colour, name = f"C{k}", str(option)
        x = [_f(xs[i]) for i in order]
        ax_rev.plot(x, [_f(revenue[i]) for i in order], marker=".", color=colour, label=name)
        if collection_cost is not None:
            net = net_revenue(group, collection_cost)
            ax_rev.plot(
                x, [_f(net[i]) for i in order], linestyle=":", color=colour, label=f"{name}, net"
            )
        if "shipments" in group.columns:
            totals = _counts(fn, "sweep", group, "shipments")
            ys = [_f(_share(charged[i], totals[i])) for i in order]
            ax_share.set_ylabel("Parcels charged (% of parcels)")
        else:
            ys = [float(charged[i]) for i in order]
            ax_share.set_ylabel("Parcels charged (count)")
            ax_share.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax_share.plot(x, ys, marker=".", color=colour, label=name)
    for ax in (ax_rev, ax_share):
        for label, at in marks:
            short = label if len(label) <= _MARK_CHARS else label[: _MARK_CHARS - 1] + "…"
            ax.axvline(_f(at), color="0.4", linestyle="--", linewidth=1)
            ax.annotate(
                short,
                (_f(at), 1),
                xycoords=("data", "axes fraction"),
                xytext=(2, -2),
                textcoords="offset points",
                rotation=90,
                ha="left",
                va="top",
                fontsize="x-small",
                color="0.3",
            )
        ax.set_xlabel(f"Threshold ({currency})")
        ax.legend(loc="best", fontsize="x-small")
    ax_rev.axhline(0, color="0.6", linewidth=0.8)
    cost_text = (
        ""
        if collection_cost is None
        else (
            f"; dotted: net of {currency} {_amount(fn, 'collection_cost', collection_cost)} per "
            "border collection"
        )
    )
    ax_rev.set_ylabel(f"Revenue ({currency})")
    ax_rev.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax_rev.set_title(f"Revenue{cost_text}", fontsize="medium")
    ax_share.set_title("Parcels charged", fontsize="medium")
    fig.suptitle(
        title
        if title is not None
        else f"Revenue and parcels charged as the threshold moves ({currency})"
    )
    return fig


# ---------------------------------------------------------------------------------------------
# Dashboard.


def summary_dashboard(
    comparison: pd.DataFrame,
    *,
    title: str | None = None,
    bands: Sequence[Decimal | int | str] = DEFAULT_BANDS,
) -> Figure:
    """The comparison at a glance: revenue, parcels charged, burden by value band, workload.

    Four panels of :func:`revenue_by_option`, :func:`share_charged`,
    :func:`burden_by_value_band` and :func:`workload`. ``lvs-duty compare --plot FILE.png``
    saves this figure.
    """
    fn = "summary_dashboard"
    frame = _frame(
        fn,
        "comparison",
        comparison,
        _comparison_needs(
            comparison, "duty", "tax", "fees", "border_collection", "classifications"
        ),
        "the frame returned by lvs_duty.compare",
    )
    summary = summarize(frame)
    fig = _new_figure(14, 9)
    (ax_rev, ax_share), (ax_burden, ax_work) = fig.subplots(2, 2)
    currency = _draw_revenue(ax_rev, summary, fn)
    ax_rev.set_title(f"Revenue by option ({currency})", fontsize="medium")
    _draw_share(ax_share, summary, fn)
    ax_share.set_title("Share of parcels charged", fontsize="medium")
    _draw_burden(ax_burden, frame, bands, "goods_value", "mean_burden", fn)
    ax_burden.set_title(f"Mean charge per parcel by value band ({currency})", fontsize="medium")
    _draw_workload(ax_work, summary, fn)
    ax_work.set_title("Classification decisions and border collection events", fontsize="medium")
    shipments = _counts(fn, "summary", summary, "shipments")
    rules = (
        ", ".join(dict.fromkeys(str(r) for r in frame["rules"].unique()))
        if "rules" in frame.columns
        else ""
    )
    default = f"Policy options compared over {max(shipments):,} parcels" + (
        f" ({rules})" if rules else ""
    )
    fig.suptitle(title if title is not None else default)
    return fig


__all__ = [
    "DEFAULT_BANDS",
    "burden_by_value_band",
    "burden_table",
    "net_revenue",
    "revenue_by_option",
    "share_charged",
    "summary_dashboard",
    "threshold_curve",
    "workload",
]
