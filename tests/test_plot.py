"""lvs_duty.plot: one titled figure per call, axes in the regime currency, exact figures drawn.

Population: two parcels under the toy regime (EUR, MFN duty, VAT 20% on customs value + duty),
each one line of HS 6109 at MFN 10%:
  P1 goods 10.00:  duty 10% x 10.00 = 1.00;  VAT 20% x (10.00 + 1.00) = 2.20;  total 3.20
  P2 goods 100.00: duty 10% x 100.00 = 10.00; VAT 20% x (100.00 + 10.00) = 22.00; total 32.00
Options:
  "none":   no threshold: both parcels as above.
  "dm_22":  duty and tax de minimis EUR 22 (inclusive, exempt): P1 pays 0, P2 pays 32.00.
  "fee_5":  no threshold, a EUR 5.00 handling fee per shipment: P1 8.20, P2 37.00.
"""

from __future__ import annotations

import importlib
import sys
from decimal import Decimal
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from _toy import parcel, th, toy  # noqa: E402
from lvs_duty import ArgumentError, Item, compare, plot, summarize  # noqa: E402

D = Decimal


@pytest.fixture(scope="module")
def comparison() -> pd.DataFrame:
    parcels = [
        parcel(Item("6109", "10.00", duty_rate="0.10"), id="P1"),
        parcel(Item("6109", "100.00", duty_rate="0.10"), id="P2"),
    ]
    options = {
        "none": toy(),
        "dm_22": toy(thresholds=[th("duty", "22"), th("tax", "22")]),
        "fee_5": toy(fees=[{"name": "handling", "amount": "5.00", "source": "law"}]),
    }
    return compare(parcels, options)


@pytest.fixture(scope="module")
def summary(comparison: pd.DataFrame) -> pd.DataFrame:
    return summarize(comparison)


def bars(ax: object) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]  # type: ignore[attr-defined]


def heights(container: BarContainer) -> list[float]:
    """Bar heights as drawn: floats at the drawing edge (the exact figures are in the labels)."""
    return [round(patch.get_height(), 9) for patch in container.patches]


def texts(ax: object) -> list[str]:
    return [t.get_text() for t in ax.texts]  # type: ignore[attr-defined]


def test_fixture_amounts_are_the_hand_worked_ones(summary: pd.DataFrame) -> None:
    # The pictures below rest on these sums; worked in the module docstring.
    assert summary["revenue"].tolist() == [D("35.20"), D("32.00"), D("45.20")]
    assert summary["fees"].tolist() == [D("0.00"), D("0.00"), D("10.00")]


def test_revenue_by_option_stacks_duty_tax_fees_per_option(summary: pd.DataFrame) -> None:
    fig = plot.revenue_by_option(summary)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_title() == "Revenue by option, duty and tax (EUR)"
    assert ax.get_ylabel() == "Revenue (EUR)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["none", "dm_22", "fee_5"]
    duty, tax, fees = bars(ax)
    assert all(len(c.patches) == 3 for c in (duty, tax, fees))  # one bar per option
    # duty: 1.00 + 10.00 = 11.00; 0 + 10.00 = 10.00; 11.00
    assert heights(duty) == [11.0, 10.0, 11.0]
    # tax: 2.20 + 22.00 = 24.20; 22.00; 24.20 -- stacked on the duty
    assert heights(tax) == [24.2, 22.0, 24.2]
    assert [p.get_y() for p in tax.patches] == [11.0, 10.0, 11.0]
    # fees: 0, 0, 2 x 5.00 = 10.00, stacked on duty + tax (35.20, 32.00, 35.20)
    assert heights(fees) == [0.0, 0.0, 10.0]
    assert [p.get_y() for p in fees.patches] == pytest.approx([35.2, 32.0, 35.2])
    # exact totals written on top, from the Decimal sums
    assert texts(ax) == ["35.20", "32.00", "45.20"]


def test_revenue_by_option_accepts_a_comparison_and_a_title(comparison: pd.DataFrame) -> None:
    fig = plot.revenue_by_option(comparison, title="Toy regime")
    assert fig.axes[0].get_title() == "Toy regime"
    assert texts(fig.axes[0]) == ["35.20", "32.00", "45.20"]


def test_share_charged_in_percent_of_parcels(summary: pd.DataFrame) -> None:
    fig = plot.share_charged(summary)
    (ax,) = fig.axes
    assert ax.get_title() == "Share of parcels charged"
    assert ax.get_ylabel() == "Parcels charged (% of parcels)"
    (charged,) = bars(ax)
    # none: 2 of 2 = 100%; dm_22: 1 of 2 = 50%; fee_5: 2 of 2 = 100%
    assert heights(charged) == [100.0, 50.0, 100.0]
    assert texts(ax) == ["100.0%\n(2 of 2)", "50.0%\n(1 of 2)", "100.0%\n(2 of 2)"]


def test_workload_counts_classifications_and_border_events(summary: pd.DataFrame) -> None:
    fig = plot.workload(summary)
    (ax,) = fig.axes
    assert ax.get_title() == "Classification decisions and border collection events"
    assert ax.get_ylabel() == "Count (decisions or events)"
    classified, border = bars(ax)
    assert len(classified.patches) == len(border.patches) == 3
    # every charged MFN line needs one classification: none 2, dm_22 1 (P1 relieved), fee_5 2;
    # every charged parcel is collected at the border (no sale relief in the toy regime)
    assert heights(classified) == [2.0, 1.0, 2.0]
    assert heights(border) == [2.0, 1.0, 2.0]


def test_burden_table_by_band_exact(comparison: pd.DataFrame) -> None:
    table = plot.burden_table(comparison, bands=("20",))
    assert table["band"].tolist() == ["0–20", "over 20"] * 3
    assert table["shipments"].tolist() == [1, 1] * 3
    # 0-20 holds P1 (10.00), over 20 holds P2 (100.00)
    assert table["charges"].tolist() == [
        D("3.20"),
        D("32.00"),
        D("0.00"),
        D("32.00"),
        D("8.20"),
        D("37.00"),
    ]
    assert table["mean_burden"].tolist() == [
        D("3.20"),
        D("32.00"),
        D("0.00"),
        D("32.00"),
        D("8.20"),
        D("37.00"),
    ]
    # 3.20 / 10.00 = 0.3200; 8.20 / 10.00 = 0.8200; 37.00 / 100.00 = 0.3700
    assert table["effective_rate"].tolist() == [
        D("0.3200"),
        D("0.3200"),
        D("0"),
        D("0.3200"),
        D("0.8200"),
        D("0.3700"),
    ]


def test_burden_band_upper_bound_is_included(comparison: pd.DataFrame) -> None:
    # P1 is worth exactly 10.00: it belongs to the band "0-10", not "10-100"
    table = plot.burden_table(comparison, bands=(10, 100))
    none = table[table["option"] == "none"]
    assert none["shipments"].tolist() == [1, 1, 0]
    assert none["mean_burden"].tolist() == [D("3.20"), D("32.00"), None]


def test_burden_by_value_band_draws_one_bar_per_option_and_band(comparison: pd.DataFrame) -> None:
    fig = plot.burden_by_value_band(comparison, bands=(20,))
    (ax,) = fig.axes
    assert ax.get_title() == "Burden on buyers by value band: mean charge per parcel (EUR)"
    assert ax.get_ylabel() == "Mean charge per parcel (EUR)"
    assert "EUR" in ax.get_xlabel()
    containers = bars(ax)
    assert len(containers) == 3  # one series per option
    assert [heights(c) for c in containers] == [[3.2, 32.0], [0.0, 32.0], [8.2, 37.0]]
    rate = plot.burden_by_value_band(comparison, bands=(20,), show="effective_rate")
    assert rate.axes[0].get_ylabel() == "Charges as % of goods value (%)"
    assert heights(bars(rate.axes[0])[2]) == [82.0, 37.0]  # 0.8200 and 0.3700 as %


def test_summary_dashboard_has_the_four_panels_and_writes_a_png(
    comparison: pd.DataFrame, tmp_path: Path
) -> None:
    fig = plot.summary_dashboard(comparison)
    assert fig.get_suptitle() == "Policy options compared over 2 parcels (TOY)"
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == [
        "Revenue by option (EUR)",
        "Share of parcels charged",
        "Mean charge per parcel by value band (EUR)",
        "Classification decisions and border collection events",
    ]
    assert all(len(c.patches) == 3 for c in bars(fig.axes[0]))
    path = tmp_path / "dashboard.png"
    fig.savefig(path)  # exactly what `lvs-duty compare --plot` does
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert plot.summary_dashboard(comparison, title="Toy").get_suptitle() == "Toy"


# --- threshold curve -------------------------------------------------------------------------

SWEEP = pd.DataFrame(
    {
        "option": ["a", "a", "a", "b", "b", "b"],
        "threshold": [D("0"), D("20"), D("40")] * 2,
        "currency": ["EUR"] * 6,
        "shipments": [10] * 6,
        "shipments_charged": [10, 6, 2, 10, 10, 10],
        "border_collection_events": [10, 6, 2, 10, 4, 0],
        "revenue": [D("100.00"), D("80.00"), D("30.00"), D("100.00"), D("100.00"), D("100.00")],
    }
)


def test_net_revenue_is_exact() -> None:
    # a: 100.00 - 10 x 2.50 = 75.00; 80.00 - 6 x 2.50 = 65.00; 30.00 - 2 x 2.50 = 25.00
    # b: 100.00 - 25.00 = 75.00; 100.00 - 4 x 2.50 = 90.00; 100.00 - 0 = 100.00
    assert plot.net_revenue(SWEEP, "2.50") == [
        D("75.00"),
        D("65.00"),
        D("25.00"),
        D("75.00"),
        D("90.00"),
        D("100.00"),
    ]


def test_threshold_curve_lines_notches_and_net() -> None:
    fig = plot.threshold_curve(SWEEP, notches={"current": "20"}, collection_cost="2.50")
    ax_rev, ax_share = fig.axes
    assert fig.get_suptitle() == "Revenue and parcels charged as the threshold moves (EUR)"
    assert ax_rev.get_ylabel() == "Revenue (EUR)"
    assert ax_rev.get_xlabel() == ax_share.get_xlabel() == "Threshold (EUR)"
    assert ax_share.get_ylabel() == "Parcels charged (% of parcels)"
    lines = {line.get_label(): line for line in ax_rev.get_lines()}
    assert list(lines["a"].get_ydata()) == [100.0, 80.0, 30.0]
    assert list(lines["a, net"].get_ydata()) == [75.0, 65.0, 25.0]
    assert list(lines["b, net"].get_ydata()) == [75.0, 90.0, 100.0]
    share = {line.get_label(): line for line in ax_share.get_lines()}
    assert list(share["a"].get_ydata()) == [100.0, 60.0, 20.0]  # 10, 6, 2 of 10 parcels
    # the notch: one dashed vertical line at 20 on each panel, labelled
    for ax in (ax_rev, ax_share):
        marks = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
        assert [list(m.get_xdata()) for m in marks] == [[20.0, 20.0]]
        assert texts(ax) == ["1"]  # numbered above the panel, keyed under the figure
    assert fig._supxlabel.get_text() == "Notches: 1: EUR 20 current"  # type: ignore[attr-defined]


def test_threshold_curve_takes_a_notch_table_and_cuts_long_labels() -> None:
    table = pd.DataFrame(
        {
            "at": [D("20.00"), D("40.00")],
            "label": [
                "duty threshold 'CAD 20 remission, duty' (customs_value <= CAD 20)",
                "tax 40",
            ],
        }
    )
    fig = plot.threshold_curve(SWEEP, table)
    ax = fig.axes[0]
    marks = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert [m.get_xdata()[0] for m in marks] == [20.0, 40.0]
    # numbered above the panel, on staggered levels so close notches do not overlap
    numbers = [t for t in ax.texts]
    assert [t.get_text() for t in numbers] == ["1", "2"]
    assert numbers[0].xyann[1] != numbers[1].xyann[1]
    # keyed under the figure: the first 47 characters of the 65-character label and an
    # ellipsis (48 in all), clear of the curves
    assert fig._supxlabel.get_text() == (  # type: ignore[attr-defined]
        "Notches: 1: EUR 20.00 duty threshold 'CAD 20 remission, duty' (custom…; "
        "2: EUR 40.00 tax 40"
    )


def test_threshold_curve_sorts_by_threshold_and_needs_a_currency() -> None:
    shuffled = SWEEP.iloc[[2, 0, 1]].drop(columns=["currency", "option"])
    fig = plot.threshold_curve(shuffled, currency="CAD")
    (line,) = [ln for ln in fig.axes[0].get_lines() if ln.get_marker() == "."]
    assert list(line.get_xdata()) == [0.0, 20.0, 40.0]
    assert list(line.get_ydata()) == [100.0, 80.0, 30.0]
    assert fig.axes[0].get_ylabel() == "Revenue (CAD)"
    with pytest.raises(ArgumentError, match=r"threshold_curve: currency expected"):
        plot.threshold_curve(shuffled)


# --- bad input: a clear error naming the function and argument, never a wrong picture --------


def test_float_amounts_are_refused_by_name(summary: pd.DataFrame) -> None:
    floats = summary.assign(duty=[float(d) for d in summary["duty"]])
    with pytest.raises(
        ArgumentError,
        match=r"revenue_by_option: summary\['duty'\]\[0\] "
        r"expected an exact amount \(Decimal, int or str; not a float\)",
    ):
        plot.revenue_by_option(floats)


def test_mixed_currencies_cannot_share_an_axis(summary: pd.DataFrame) -> None:
    mixed = summary.assign(currency=["EUR", "EUR", "CAD"])
    with pytest.raises(
        ArgumentError,
        match=r"summary.currency expected one currency .* "
        r"got 'CAD/EUR'",
    ):
        plot.revenue_by_option(mixed)


def test_revenue_must_add_up(summary: pd.DataFrame) -> None:
    wrong = summary.assign(revenue=[D("35.21"), D("32.00"), D("45.20")])
    with pytest.raises(
        ArgumentError,
        match=r"summary\['revenue'\]\[0\] expected duty \+ tax "
        r"\+ fees = 35.20, got 35.21",
    ):
        plot.revenue_by_option(wrong)


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ((20, 10), r"bands\[1\] expected an upper bound above bands\[0\] = 20"),
        ((), r"bands expected at least one band upper bound"),
        ((-1,), r"bands\[0\] expected a non-negative amount"),
        ((20.5,), r"bands\[0\] expected an exact amount"),
        ("20", r"bands expected an ascending sequence"),
    ],
)
def test_bad_bands(comparison: pd.DataFrame, bands: object, message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        plot.burden_by_value_band(comparison, bands=bands)  # type: ignore[arg-type]


def test_wrong_frames_name_the_missing_columns(comparison: pd.DataFrame) -> None:
    with pytest.raises(
        ArgumentError,
        match=r"workload: summary expected the frame returned by "
        r"lvs_duty.summarize .* got 'a frame missing .*classifications'",
    ):
        plot.workload(pd.DataFrame({"option": ["a"]}))
    with pytest.raises(
        ArgumentError, match=r"summary_dashboard: comparison expected .* got 'list'"
    ):
        plot.summary_dashboard([])  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"with at least one row, got 'an empty frame'"):
        plot.burden_table(comparison.iloc[0:0])
    with pytest.raises(
        ArgumentError,
        match=r"net_revenue: cost_per_event expected a "
        r"non-negative amount",
    ):
        plot.net_revenue(SWEEP, "-1")


def test_import_without_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.delitem(sys.modules, "lvs_duty.plot")
    with pytest.raises(ImportError, match=r"pip install 'lvs_duty\[plot\]'"):
        importlib.import_module("lvs_duty.plot")
