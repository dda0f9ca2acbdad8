"""One self-contained HTML report of a comparison, for a policy team to open in a browser.

:func:`build_report` takes a baseline, its options and a population and returns the HTML as a
string: the options, the summary with net revenue, breakdowns, the classification burden,
the dashboard, intervals and behavioural response when given, the threshold sweep with the
baseline's notches, and the assumptions and sources. Figures are embedded as base64 PNG, so
the file needs nothing beside it. Nothing is written: the caller saves the string.

The future ``lvs-duty report`` is a thin wrapper: it loads the rules, draws or reads the
parcels, builds :class:`~lvs_duty.costs.CollectionCosts` and
:class:`~lvs_duty.behaviour.Response` from flags, optionally calls
:func:`lvs_duty.uncertainty.across_seeds`, and writes what this returns.

matplotlib is needed (``pip install 'lvs_duty[plot]'``).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from .analysis import notch_table, notches, threshold_sweep
from .behaviour import Response, compare_with_response
from .breakdown import attach
from .classification import HS6_SUBHEADINGS, classification_burden
from .compare import compare, summarize
from .costs import CollectionCosts, check_costs
from .errors import ArgumentError, LvsDutyError
from .labels import amount, caption, option_names, readable
from .money import CONTEXT, to_decimal
from .options import default_ceiling, gea_options
from .rules import RuleSet
from .schedules import Schedule
from .shipment import Item, Shipment
from .tabular import frame_to_shipments

#: Section ids of every report, in order (``uncertainty`` and ``behaviour`` when given).
SECTIONS: tuple[str, ...] = (
    "options",
    "summary",
    "breakdowns",
    "classification",
    "dashboard",
    "uncertainty",
    "behaviour",
    "threshold",
    "assumptions",
)

_MONEY = ("duty", "tax", "fees", "revenue", "mean_burden", "median_burden", "collection_cost",
          "net_revenue")  # fmt: skip
_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}
th,td{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}
img{max-width:100%;height:auto;display:block;margin:.5em 0}
.caption{color:#555;font-size:.85em}
"""


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


def _table(frame: pd.DataFrame, currency: str) -> str:
    shown = frame.copy()
    for column in shown.columns:
        if column in _MONEY or column in ("estimate", "low", "high"):
            shown[column] = [
                amount(Decimal(v), currency).split(" ", 1)[1]
                if isinstance(v, (Decimal, int)) and not isinstance(v, bool)
                else v
                for v in shown[column]
            ]
        elif shown[column].dtype.kind in "iu":
            shown[column] = [f"{int(v):,}" for v in shown[column]]
    headers = "".join(f"<th>{html.escape(_words(c))}</th>" for c in shown.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in shown.itertuples(index=False)
    )
    return f"<table><thead><tr>{headers}</tr></thead><tbody>{rows}</tbody></table>"


def _words(name: object) -> str:
    """A column or figure name as a reader says it: ``net_revenue`` -> "Net revenue"."""
    text = str(name).replace("_", " ")
    return text[:1].upper() + text[1:]


def _intervals_shown(intervals: pd.DataFrame) -> pd.DataFrame:
    """The intervals table for a reader: figures in words, counts as counts (not money)."""
    shown = intervals.copy()
    counts = ~shown["figure"].isin(_MONEY)
    for column in ("estimate", "low", "high"):
        shown[column] = [
            f"{Decimal(v).normalize(CONTEXT):,f}" if count else v
            for v, count in zip(shown[column], counts, strict=True)
        ]
    shown["figure"] = [_words(f) for f in shown["figure"]]
    return shown


def _section(id_: str, title: str, *body: str) -> str:
    return f'<section id="{id_}"><h2>{html.escape(title)}</h2>{"".join(body)}</section>'


def _p(text: str, cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{html.escape(text)}</p>"


def _bands(ceiling: Decimal) -> tuple[Decimal, ...]:
    """Value bands around the ceiling: a fifth, two fifths, the ceiling, twice and four times."""
    steps = (Decimal("0.2"), Decimal("0.4"), Decimal(1), Decimal(2), Decimal(4))
    return tuple(_plain(CONTEXT.multiply(ceiling, s)) for s in steps)


def _plain(value: Decimal) -> Decimal:
    """A Decimal without exponent or trailing zeros (30, not 3E+1 or 30.0)."""
    if value == value.to_integral_value(context=CONTEXT):
        return value.quantize(Decimal(1), context=CONTEXT)
    return value.normalize(CONTEXT)


def _basket(parcels: list[Shipment]) -> Shipment:
    """The first parcel's dearest line alone, one unit, no transport: the notch basket."""
    first = parcels[0]
    main = max(first.items, key=lambda i: i.value)
    return first.model_copy(
        update={
            "items": (main.model_copy(update={"quantity": 1}),),
            "shipping": Decimal(0),
            "insurance": Decimal(0),
        }
    )


@dataclass(frozen=True)
class _Context:
    """What every section of one report shares: the options, the comparison and its caption."""

    baseline: RuleSet
    chosen: dict[str, RuleSet]
    names: dict[str, str]
    listed: list[Shipment]
    given: list[Shipment] | pd.DataFrame
    table: pd.DataFrame
    priced: CollectionCosts
    limit: Decimal
    edges: tuple[Decimal | int | str, ...]
    note: str
    on: dt.date | None
    fx: Mapping[str, Decimal] | None
    schedule: Schedule | None

    @property
    def currency(self) -> str:
        return self.baseline.currency


def build_report(
    baseline: RuleSet,
    parcels: Sequence[Shipment] | pd.DataFrame,
    *,
    options: Mapping[str, RuleSet] | None = None,
    population: str = "the parcels given",
    seed: int | None = None,
    on: dt.date | None = None,
    ceiling: Decimal | int | str | None = None,
    costs: CollectionCosts | None = None,
    bands: Sequence[Decimal | int | str] | None = None,
    by: Sequence[str] = ("value_band", "ship_from", "mode", "hs_chapter"),
    sweep: Sequence[Decimal | int | str] | None = None,
    basket: Shipment | Item | None = None,
    intervals: pd.DataFrame | None = None,
    response: Response | None = None,
    title: str | None = None,
    fx: Mapping[str, Decimal] | None = None,
    schedule: Schedule | None = None,
) -> str:
    """The comparison of ``options`` (default: the baseline and its GEA options) as HTML.

    ``population`` says what the parcels are ("synthetic (lvs_duty.simulate)", a profile's
    name) and ``seed`` how they were drawn, for every caption; ``on`` is the date the rules
    are read at (captions; the options' latest versions otherwise). ``ceiling`` (default: the
    baseline's, as :func:`lvs_duty.options.gea_options`) sets the policy zone, the default
    value ``bands`` (a fifth, two fifths, one, two and four times it) and the threshold
    ``sweep`` (0 to twice it in eighths). ``basket`` is the one-line parcel whose notches are
    marked (default: the first parcel's dearest line). ``intervals`` (from
    :mod:`lvs_duty.uncertainty`) and ``response`` add their sections. ``schedule`` gives MFN
    rates by HS code to lines without one (a calibrated profile's parcels).
    """
    ctx = _context(
        baseline, parcels, options, population, seed, on, ceiling, costs, bands, fx, schedule
    )
    body = [
        _options_section(ctx),
        _summary_section(ctx),
        _breakdowns_section(ctx, by),
        _classification_section(ctx),
        _dashboard_section(ctx, intervals),
    ]
    if intervals is not None:
        body.append(
            _section(
                "uncertainty",
                "Uncertainty",
                _table(_intervals_shown(readable(intervals, ctx.names)), ctx.currency),
                _p("Median across draws and the interval holding the central share.", "caption"),
            )
        )
    if response is not None:
        body.append(_behaviour_section(ctx, response))
    body.append(_threshold_section(ctx, sweep, basket))
    body.append(_assumptions_section(ctx, response))
    heading = title or f"{baseline.name}: policy options compared"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(heading)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(heading)}</h1>{_p(ctx.note, 'caption')}{''.join(body)}</body></html>"
    )


def _context(
    baseline: object,
    parcels: Sequence[Shipment] | pd.DataFrame,
    options: Mapping[str, RuleSet] | None,
    population: str,
    seed: int | None,
    on: dt.date | None,
    ceiling: Decimal | int | str | None,
    costs: CollectionCosts | None,
    bands: Sequence[Decimal | int | str] | None,
    fx: Mapping[str, Decimal] | None,
    schedule: Schedule | None,
) -> _Context:
    """Check the arguments, compare the options once and caption the population."""
    fn = "build_report"
    if not isinstance(baseline, RuleSet):
        raise ArgumentError(fn, "baseline", "a RuleSet", type(baseline).__name__)
    priced = check_costs(fn, costs)
    if ceiling is None:
        limit = default_ceiling(baseline)
    else:
        try:
            limit = to_decimal(ceiling, "ceiling")
        except (TypeError, ValueError):
            raise ArgumentError(fn, "ceiling", "an exact amount (not a float)", ceiling) from None
    chosen = dict(options) if options is not None else gea_options(baseline, ceiling=limit)
    listed = (  # a calibrated population's weight (parcels per row) is for compare alone
        frame_to_shipments(parcels.drop(columns=["weight"], errors="ignore"))
        if isinstance(parcels, pd.DataFrame)
        else list(parcels)
    )
    if not listed:
        raise ArgumentError(fn, "parcels", "at least one parcel", "none")
    note = caption(
        population=population,
        n=len(listed),
        seed=seed,
        on=on,
        ceiling=limit,
        currency=baseline.currency,
    )
    given: list[Shipment] | pd.DataFrame = parcels if isinstance(parcels, pd.DataFrame) else listed
    table = attach(
        compare(given, chosen, fx=fx, schedule=schedule), given, ("ship_from", "mode", "hs_code")
    )
    return _Context(
        baseline=baseline,
        chosen=chosen,
        names=option_names(chosen),
        listed=listed,
        given=given,
        table=table,
        priced=priced,
        limit=limit,
        edges=tuple(bands) if bands is not None else _bands(limit),
        note=note,
        on=on,
        fx=fx,
        schedule=schedule,
    )


def _options_section(ctx: _Context) -> str:
    rows = [
        (ctx.names.get(k, k), k, r.code, r.name, str(r.versions[-1].valid_from))
        for k, r in ctx.chosen.items()
    ]
    columns = ["option", "key", "rules", "regime", "latest version"]
    return _section(
        "options",
        "Options compared",
        _table(pd.DataFrame(rows, columns=columns), ctx.currency),
        _p(ctx.note, "caption"),
    )


def _summary_section(ctx: _Context) -> str:
    summary = summarize(ctx.table, costs=ctx.priced)
    priced = ctx.priced
    return _section(
        "summary",
        f"Revenue, net revenue and burden ({ctx.currency})",
        _table(readable(summary, ctx.names), ctx.currency),
        _p(
            "Net revenue is revenue less collection costs: "
            + priced.describe()
            + (". " + priced.note if priced.note else ""),
            "caption",
        ),
    )


def _breakdowns_section(ctx: _Context, by: Sequence[str]) -> str:
    parts = []
    for key in by:
        if key == "value_band":
            frame = summarize(ctx.table, by=key, bands=ctx.edges, costs=ctx.priced)
        else:
            frame = summarize(ctx.table, by=key, costs=ctx.priced)
        keep = ["option", key, "shipments", "shipments_charged", "revenue", "net_revenue"]
        parts.append(f"<h3>By {html.escape(key.replace('_', ' '))}</h3>")
        parts.append(_table(readable(frame[keep], ctx.names), ctx.currency))
    return _section("breakdowns", "Breakdowns", *parts)


def _classification_section(ctx: _Context) -> str:
    burden = classification_burden(ctx.table, ctx.chosen, on=ctx.on)
    return _section(
        "classification",
        "Classification burden",
        _table(readable(burden, ctx.names), ctx.currency),
        _p(
            "A decision among a category table's rows is easier than among the "
            f"{HS6_SUBHEADINGS:,} HS subheadings: bits = log2 of the alternatives "
            "(lvs_duty.classification).",
            "caption",
        ),
    )


def _dashboard_section(ctx: _Context, intervals: pd.DataFrame | None) -> str:
    from . import plot

    dashboard = plot.summary_dashboard(
        ctx.table,
        bands=ctx.edges,
        ceiling=ctx.limit,
        costs=ctx.priced,
        intervals=intervals,
        names=ctx.names,
        caption=ctx.note,
    )
    burden = plot.burden_by_value_band(
        ctx.table, ctx.edges, ceiling=ctx.limit, names=ctx.names, caption=ctx.note
    )
    return _section("dashboard", "Dashboard", _png(dashboard), _png(burden))


def _behaviour_section(ctx: _Context, response: Response) -> str:
    moved = compare_with_response(
        ctx.listed, ctx.chosen, response, costs=ctx.priced, fx=ctx.fx, schedule=ctx.schedule
    )
    keep = ["option", "scenario", "shipments", "revenue", "net_revenue"]
    return _section(
        "behaviour",
        "Behavioural response",
        _table(readable(moved[keep], ctx.names), ctx.currency),
        _p("Assumed: " + response.describe() + ".", "caption"),
    )


def _threshold_section(
    ctx: _Context,
    sweep: Sequence[Decimal | int | str] | None,
    basket: Shipment | Item | None,
) -> str:
    from . import plot

    baseline, limit = ctx.baseline, ctx.limit
    amounts = (
        list(sweep)
        if sweep is not None
        else [
            _plain(CONTEXT.divide(CONTEXT.multiply(limit, Decimal(k)), Decimal(4)))
            for k in range(9)
        ]
    )
    curve = threshold_sweep(ctx.given, baseline, amounts, which="duty", schedule=ctx.schedule)
    try:
        found = notch_table(
            notches(baseline, basket if basket is not None else _basket(ctx.listed))
        )
        notch_note = f"Notches of the baseline for a one-line basket ({len(found)} found)."
    except LvsDutyError as exc:
        found, notch_note = None, f"Notches not computed: {exc}"
    figure = plot.threshold_curve(
        curve.assign(option=f"{baseline.code}, duty threshold moved"),
        found,
        costs=None if ctx.priced.is_zero else ctx.priced,
        caption=ctx.note,
    )
    return _section(
        "threshold",
        "Threshold sweep and notches",
        _png(figure),
        _table(curve[["threshold", "shipments_charged", "revenue"]], ctx.currency),
        _p(notch_note, "caption"),
        ""
        if found is None
        else _table(found[["at", "kind", "rule", "jump", "dominated_to"]], ctx.currency),
    )


def _assumptions_section(ctx: _Context, response: Response | None) -> str:
    sources: dict[str, str] = {}
    for rules in ctx.chosen.values():
        for sid, source in rules.sources.items():
            link = (
                f' <a href="{html.escape(source.url)}">{html.escape(source.url)}</a>'
                if source.url
                else ""
            )
            sources.setdefault(
                sid, f"<li>[{html.escape(sid)}] {html.escape(source.title)}{link}</li>"
            )
    priced = ctx.priced
    return _section(
        "assumptions",
        "Assumptions and sources",
        _p(ctx.note),
        _p("Collection costs: " + priced.describe() + ". " + priced.note),
        *(_p(s) for s in priced.sources),
        _p(
            "Behavioural response: "
            + (response.describe() if response is not None else "none (static comparison)")
            + "."
        ),
        _p(
            "Classification burden counts each decision under the low-value method when the "
            "parcel is within its ceiling, else under the general method (an approximation)."
        ),
        "<ul>" + "".join(sources.values()) + "</ul>",
    )
