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

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from .compare import summarize
from .costs import CollectionCosts, check_costs, collection_cost
from .errors import ArgumentError
from .labels import amount as _amount_text
from .labels import readable
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


def _footer(fig: Figure, *lines: str | None) -> None:
    """Text under the figure (the population caption, notch keys), kept clear of the axes."""
    text = "\n".join(line for line in lines if line)
    if text:
        fig.supxlabel(text, fontsize="x-small", x=0.01, ha="left", color="0.25")


def _renamed(frame: pd.DataFrame, names: Mapping[str, str] | None) -> pd.DataFrame:
    if names is None:
        return frame
    if not isinstance(names, Mapping):
        raise ArgumentError("plot", "names", "a mapping of option to a reader's name", names)
    return readable(frame, names)


def _unit_of(currency: str) -> Decimal:
    """The currency's minor unit (0.01 for one lvs_duty does not know): JPY means in yen."""
    return Decimal(1).scaleb(-CURRENCIES.get(currency, 2))


def _f(amount: Decimal) -> float:
    """An exact amount as a float, only ever as a drawing coordinate (never summed)."""
    return float(amount)


def _options_axis(ax: Axes, options: Sequence[str]) -> list[float]:
    """Options along x; a reader's long names wrapped on two or three lines, not rotated."""
    positions = [float(i) for i in range(len(options))]
    ax.set_xticks(positions, [textwrap.fill(str(o), 22) for o in options])
    ax.set_xlabel("Option")
    ax.tick_params(axis="x", labelsize="small")
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
            _amount_text(total, currency).split(" ", 1)[1],
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


def revenue_by_option(
    summary: pd.DataFrame,
    *,
    title: str | None = None,
    names: Mapping[str, str] | None = None,
    caption: str | None = None,
) -> Figure:
    """Revenue of each option, duty, tax and fees stacked, its exact total written on top.

    ``summary`` is :func:`lvs_duty.summarize` of a comparison (a comparison frame is summarized
    for you). The y axis is in the regime currency; options must share one currency. Totals
    of 10,000 or more are written in whole units. ``names`` gives options a reader's name
    (:func:`lvs_duty.labels.option_names`); ``caption`` is set under the figure
    (:func:`lvs_duty.labels.caption`).
    """
    fn = "revenue_by_option"
    frame = _renamed(_as_summary(fn, summary), names)
    fig = _new_figure()
    _footer(fig, caption)
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
    ``charges`` (exact sums), ``mean_burden`` (charges / shipments, half-even to the
    currency's minor unit; None for an empty band) and ``effective_rate`` (charges / value,
    half-even to 0.0001).

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
        unit = max(_unit_of(str(c)) for c in group["currency"].unique())
        sums = (
            _band_sums_minor(group, value, edges, places)
            if _minor(frame)
            else _band_sums(fn, group, value, lows, highs)
        )
        for low, high, (n, worth, charges) in zip(lows, highs, sums, strict=True):
            rows.append(_band_row(option, low, high, n, worth, charges, unit))
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


def _band_row(
    option: object,
    low: Decimal | None,
    high: Decimal | None,
    n: int,
    worth: Decimal,
    charges: Decimal,
    unit: Decimal,
) -> tuple[Any, ...]:
    """One row of :func:`burden_table`: the band's sums, mean charge and effective rate."""
    mean = (
        CONTEXT.divide(charges, Decimal(n)).quantize(
            unit, rounding="ROUND_HALF_EVEN", context=CONTEXT
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
    return (option, _band_label(low, high), low or Decimal(0), high, n, worth, charges, mean, rate)


def _draw_burden(
    ax: Axes,
    comparison: pd.DataFrame,
    bands: Sequence[Decimal | int | str],
    value: ValueMeasure,
    show: BurdenShown,
    function: str,
    ceiling: Decimal | None = None,
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
    if ceiling is not None:
        _policy_zone(ax, _bands(function, bands), ceiling, currency)
    ax.legend(loc="upper left", fontsize="small", title="Option", title_fontsize="small")
    return currency


def _policy_zone(ax: Axes, edges: list[Decimal], ceiling: Decimal, currency: str) -> None:
    """Shade the bands at or under the ceiling, where the option's own rule applies."""
    inside = sum(1 for e in edges if e <= ceiling)  # bands wholly at or under the ceiling
    # the zone ends on the boundary when the ceiling is a band edge, else mid-band
    end = inside - 0.5 if inside and edges[inside - 1] == ceiling else float(inside)
    ax.axvspan(-0.5, end, color="0.92", zorder=0, label=f"at or under the ceiling ({currency})")
    ax.axvline(end, color="0.35", linestyle=":", linewidth=1.2)
    ax.annotate(
        f"ceiling {currency} {ceiling:,}",
        (end, 1),
        xycoords=("data", "axes fraction"),
        xytext=(3, -3),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize="x-small",
        color="0.3",
    )


def burden_by_value_band(
    comparison: pd.DataFrame,
    bands: Sequence[Decimal | int | str] = DEFAULT_BANDS,
    *,
    value: ValueMeasure = "goods_value",
    show: BurdenShown = "mean_burden",
    title: str | None = None,
    ceiling: Decimal | int | str | None = None,
    names: Mapping[str, str] | None = None,
    caption: str | None = None,
) -> Figure:
    """Who pays how much: the mean charge per parcel (or the effective rate) by value band.

    One group of bars per band, one bar per option; see :func:`burden_table` for the band
    semantics and the exact figures. ``show="effective_rate"`` plots charges as a percentage
    of the value in the band instead of the mean charge in the regime currency. With
    ``ceiling`` the bands at or under it (the policy zone, where an option's own rule
    applies) are shaded and the ceiling marked.
    """
    fn = "burden_by_value_band"
    frame = _renamed(
        _frame(
            fn,
            "comparison",
            comparison,
            _comparison_needs(comparison),
            "the frame returned by lvs_duty.compare",
        ),
        names,
    )
    limit = None if ceiling is None else _amount(fn, "ceiling", ceiling)
    fig = _new_figure(8.5, 4.5)
    _footer(fig, caption)
    ax = fig.add_subplot()
    currency = _draw_burden(ax, frame, bands, value, show, fn, limit)
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

    Superseded by :func:`lvs_duty.summarize`'s ``net_revenue`` column, which prices every
    count with a :class:`lvs_duty.costs.CollectionCosts` (per border collection, per
    classification decision, per parcel); kept working for existing callers. This is the
    same figure with only a cost per border collection event.

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
    return _net(fn, frame, CollectionCosts(per_border_collection=cost))


def _net(function: str, frame: pd.DataFrame, costs: CollectionCosts) -> list[Decimal]:
    """Revenue less the collection cost of each row's counts (counts a cost needs must exist)."""
    revenue = _column(function, "frame", frame, "revenue")
    n = len(revenue)

    def counts(column: str, needed: bool) -> list[int]:
        if column in frame.columns:
            return _counts(function, "frame", frame, column)
        if needed:
            raise ArgumentError(
                function, "frame", f"a frame with {column!r} (the costs price it)", "none"
            )
        return [0] * n

    events = counts("border_collection_events", bool(costs.per_border_collection))
    decisions = counts("classifications", bool(costs.per_classification))
    parcels = counts("shipments", bool(costs.per_parcel))
    return [
        CONTEXT.subtract(
            r,
            collection_cost(costs, shipments=p, border_collection_events=e, classifications=d),
        )
        for r, e, d, p in zip(revenue, events, decisions, parcels, strict=True)
    ]


def _draw_sweep_option(
    fn: str,
    ax_rev: Axes,
    ax_share: Axes,
    group: pd.DataFrame,
    colour: str,
    name: str,
    priced: CollectionCosts | None,
) -> None:
    """One option's revenue (and net revenue) and parcels-charged curves of a sweep."""
    xs = _column(fn, "sweep", group, "threshold")
    order = sorted(range(len(xs)), key=xs.__getitem__)
    revenue = _column(fn, "sweep", group, "revenue")
    charged = _counts(fn, "sweep", group, "shipments_charged")
    x = [_f(xs[i]) for i in order]
    ax_rev.plot(x, [_f(revenue[i]) for i in order], marker=".", color=colour, label=name)
    if priced is not None:
        net = _net(fn, group, priced)
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


def _draw_notch_marks(
    marks: list[tuple[str, Decimal]], currency: str, axes: tuple[Axes, Axes]
) -> list[str]:
    """Dashed, numbered notch lines on both panels; the numbered labels for the footer."""
    for ax in axes:
        for number, (_label, at) in enumerate(marks, start=1):
            ax.axvline(_f(at), color="0.4", linestyle="--", linewidth=1)
            ax.annotate(
                str(number),
                (_f(at), 1),
                xycoords=("data", "axes fraction"),
                xytext=(0, 2 + 9 * ((number - 1) % 3)),  # three levels: close notches stay apart
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize="x-small",
                color="0.3",
            )
        ax.set_xlabel(f"Threshold ({currency})")
        ax.legend(loc="best", fontsize="x-small")
    keys = []
    for number, (label, at) in enumerate(marks, start=1):
        short = label if len(label) <= _MARK_CHARS else label[: _MARK_CHARS - 1] + "…"
        keys.append(f"{number}: {currency} {at:,} {short}")
    return keys


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
    costs: CollectionCosts | None = None,
    names: Mapping[str, str] | None = None,
    caption: str | None = None,
) -> Figure:
    """Revenue and parcels charged as a threshold moves: the policy curve, one line per option.

    ``sweep`` is the table of :func:`lvs_duty.analysis.threshold_sweep`: a ``threshold``
    column, ``revenue`` and ``shipments_charged`` (and ``option`` when it holds several
    options). ``notches`` marks amounts with dashed vertical lines: a list of amounts,
    ``{label: amount}``, or a frame with an ``at`` column and an optional ``label``, as
    :func:`lvs_duty.analysis.notch_table` returns. Each notch is numbered above the
    panels, staggered so close notches stay apart, and its label (cut to 48 characters)
    written under the figure by number, clear of the curves. With ``costs`` (a
    :class:`lvs_duty.costs.CollectionCosts`), or ``collection_cost`` per border collection
    event (needs ``border_collection_events``), a dotted line shows the net revenue,
    computed exactly. ``names`` renames options; ``caption`` goes under the figure.
    """
    fn = "threshold_curve"
    if collection_cost is not None and costs is not None:
        raise ArgumentError(fn, "collection_cost", "None when costs= is given", collection_cost)
    if collection_cost is not None:
        per_event = _amount(fn, "collection_cost", collection_cost)
        if per_event < 0:
            raise ArgumentError(fn, "collection_cost", "a non-negative amount", per_event)
        costs = CollectionCosts(per_border_collection=per_event)
    priced = None if costs is None else check_costs(fn, costs)
    needs = (
        (*_SWEEP_NEEDS, "border_collection_events")
        if priced is not None and priced.per_border_collection
        else _SWEEP_NEEDS
    )
    frame = _renamed(
        _frame(
            fn, "sweep", sweep, needs, "a threshold sweep (see lvs_duty.analysis.threshold_sweep)"
        ),
        names,
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
        _draw_sweep_option(fn, ax_rev, ax_share, group, f"C{k}", str(option), priced)
    keys = _draw_notch_marks(marks, currency, (ax_rev, ax_share))
    ax_rev.axhline(0, color="0.6", linewidth=0.8)
    cost_text = "" if priced is None else " (dotted: net of collection costs)"
    ax_rev.set_ylabel(f"Revenue ({currency})")
    ax_rev.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    pad = 6.0 + (9 * min(len(marks), 3) + 4 if marks else 0)  # room for the notch numbers
    ax_rev.set_title(f"Revenue{cost_text}", fontsize="medium", pad=pad)
    ax_share.set_title("Parcels charged", fontsize="medium", pad=pad)
    fig.suptitle(
        title
        if title is not None
        else f"Revenue and parcels charged as the threshold moves ({currency})"
    )
    _footer(fig, ("Notches: " + "; ".join(keys)) if keys else None, caption)
    return fig


# ---------------------------------------------------------------------------------------------
# Dashboard.


def summary_dashboard(
    comparison: pd.DataFrame,
    *,
    title: str | None = None,
    bands: Sequence[Decimal | int | str] = DEFAULT_BANDS,
    ceiling: Decimal | int | str | None = None,
    costs: CollectionCosts | None = None,
    intervals: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
    caption: str | None = None,
) -> Figure:
    """The comparison at a glance: revenue, parcels charged, burden by value band, workload.

    Four panels of :func:`revenue_by_option`, :func:`share_charged`,
    :func:`burden_by_value_band` and :func:`workload`. ``lvs-duty compare --plot FILE.png``
    saves this figure. ``ceiling`` shades the policy zone of the burden panel; ``costs``
    marks each option's net revenue (a diamond) on the revenue panel; ``intervals`` (from
    :mod:`lvs_duty.uncertainty`) draws the revenue interval as a whisker; ``names`` renames
    the options (also in ``intervals``); ``caption`` goes under the figure.
    """
    fn = "summary_dashboard"
    frame = _renamed(
        _frame(
            fn,
            "comparison",
            comparison,
            _comparison_needs(
                comparison, "duty", "tax", "fees", "border_collection", "classifications"
            ),
            "the frame returned by lvs_duty.compare",
        ),
        names,
    )
    priced = check_costs(fn, costs)
    summary = summarize(frame, costs=priced)
    limit = None if ceiling is None else _amount(fn, "ceiling", ceiling)
    fig = _new_figure(14, 9)
    _footer(fig, caption)
    (ax_rev, ax_share), (ax_burden, ax_work) = fig.subplots(2, 2)
    currency = _draw_revenue(ax_rev, summary, fn)
    if not priced.is_zero:
        nets = _column(fn, "summary", summary, "net_revenue")
        ax_rev.plot(
            range(len(nets)),
            [_f(v) for v in nets],
            linestyle="none",
            marker="D",
            color="k",
            label="net of collection cost",
        )
        ax_rev.legend(loc="upper center", ncols=2, fontsize="small")
    if intervals is not None:
        _whiskers(ax_rev, summary, _renamed(intervals, names), fn)
    ax_rev.set_title(f"Revenue by option ({currency})", fontsize="medium")
    _draw_share(ax_share, summary, fn)
    ax_share.set_title("Share of parcels charged", fontsize="medium")
    _draw_burden(ax_burden, frame, bands, "goods_value", "mean_burden", fn, limit)
    ax_burden.set_title(f"Mean charge per parcel by value band ({currency})", fontsize="medium")
    _draw_workload(ax_work, summary, fn)
    ax_work.set_title("Classification decisions and border collection events", fontsize="medium")
    shipments = _counts(fn, "summary", summary, "shipments")
    rules = (
        ", ".join(dict.fromkeys(str(r).split("+")[0] for r in frame["rules"].unique()))
        if "rules" in frame.columns
        else ""
    )
    default = f"Policy options compared over {max(shipments):,} parcels" + (
        f" ({rules})" if rules else ""
    )
    fig.suptitle(title if title is not None else default)
    return fig


def _whiskers(ax: Axes, summary: pd.DataFrame, intervals: pd.DataFrame, function: str) -> None:
    """The revenue interval of each option as a whisker over its bar."""
    frame = _frame(
        function,
        "intervals",
        intervals,
        ("option", "figure", "low", "high"),
        "the frame of lvs_duty.uncertainty.across_seeds or bootstrap",
    )
    revenue = frame[frame["figure"] == "revenue"].set_index("option")
    for i, option in enumerate(str(o) for o in summary["option"]):
        if option not in revenue.index:
            continue
        low = _amount(function, f"intervals[{option!r}].low", revenue.loc[option, "low"])
        high = _amount(function, f"intervals[{option!r}].high", revenue.loc[option, "high"])
        ax.plot([i, i], [_f(low), _f(high)], color="0.15", linewidth=1.5)
        ax.plot([i - 0.08, i + 0.08], [_f(low), _f(low)], color="0.15", linewidth=1.5)
        ax.plot([i - 0.08, i + 0.08], [_f(high), _f(high)], color="0.15", linewidth=1.5)


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
