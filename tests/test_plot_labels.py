"""Figures fit for a report: reader's names, whole units, captions, the policy zone."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from lvs_duty import Item, RuleSet, Shipment, compare, plot, summarize  # noqa: E402
from lvs_duty.costs import CollectionCosts  # noqa: E402
from lvs_duty.labels import amount, caption, option_names  # noqa: E402
from lvs_duty.options import gea_options  # noqa: E402


def parcels() -> list[Shipment]:
    return [
        Shipment(
            "CA", "2026-03-01", "CAD", [Item("610910", v, duty_rate="0.18")],
            ship_from="CN", region="ON", id=f"p{i}",
        )
        for i, v in enumerate(("15.00", "100.00", "100.00", "300.00"))
    ]  # fmt: skip


def test_option_names_for_readers(ca: RuleSet) -> None:
    names = option_names(gea_options(ca))
    assert names["flat_rate"] == names["CA+flat"] == "Flat rate 10% up to CAD 150"
    assert names["baseline"] == "Current rules (CA)"
    assert names["duty_free_vat"] == "Duty-free, GST/HST at sale up to CAD 150"


def test_amounts_whole_when_large_and_in_the_minor_unit() -> None:
    assert amount(D("9999.99"), "CAD") == "CAD 9,999.99"
    assert amount(D("10000.49"), "CAD") == "CAD 10,000"
    assert amount(D("123.5"), "JPY") == "JPY 124"  # half-even: 123.5 -> 124
    assert amount(D("-12345.5"), "EUR") == "EUR -12,346"


def test_revenue_labels_whole_units_on_large_amounts(ca: RuleSet) -> None:
    many = [p.model_copy(update={"id": f"{p.id}-{k}"}) for k in range(300) for p in parcels()]
    summary = summarize(compare(many, {"baseline": ca}))
    # each block of four (from CN, Ontario): 15.00 relieved (<= CAD 20); 100.00 pays duty
    # 18.00 and HST 13% of 118.00 = 15.34, 33.34 (twice); 300.00 pays duty 54.00 and HST 13%
    # of 354.00 = 46.02, 100.02: 166.70 a block, x 300 = 50,010.00
    assert summary["revenue"].iat[0] == D("50010.00")
    fig = plot.revenue_by_option(summary, names={"baseline": "Current rules (CA)"})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["50,010"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Current rules (CA)"]


def test_burden_chart_shows_the_policy_zone_and_caption(ca: RuleSet) -> None:
    text = caption(population="synthetic", n=4, seed=1, ceiling=D(150), currency="CAD")
    fig = plot.burden_by_value_band(
        compare(parcels(), gea_options(ca)), bands=(20, 150, 500), ceiling=150, caption=text
    )
    ax = fig.axes[0]
    # bands 0–20, 20–150 are at or under CAD 150: the zone ends on their boundary, x = 1.5
    (zone,) = [p for p in ax.patches if p.get_label().startswith("at or under the ceiling")]
    assert zone.get_x() == -0.5
    assert zone.get_width() == pytest.approx(2.0)
    assert "ceiling CAD 150" in [t.get_text() for t in ax.texts]
    assert fig._supxlabel.get_text() == text  # type: ignore[attr-defined]


def test_dashboard_with_costs_intervals_and_names(ca: RuleSet) -> None:
    options = gea_options(ca)
    table = compare(parcels(), options)
    names = option_names(options)
    intervals = pd.DataFrame(
        {
            "option": list(options),
            "figure": ["revenue"] * 4,
            "estimate": [D("100")] * 4,
            "low": [D("90")] * 4,
            "high": [D("110")] * 4,
        }
    )
    fig = plot.summary_dashboard(
        table,
        costs=CollectionCosts(per_border_collection="5"),
        intervals=intervals,
        names=names,
        ceiling=150,
        caption="Population: four parcels.",
    )
    ax_rev = fig.axes[0]
    # long names wrap on the axis (22 characters a line), not rotated
    assert [t.get_text() for t in ax_rev.get_xticklabels()][1] == "Flat rate 10% up to\nCAD 150"
    (net,) = [ln for ln in ax_rev.get_lines() if ln.get_marker() == "D"]
    # baseline: 0 + 33.34 + 33.34 + 100.02 = 166.70 less 3 border collections x 5 = 151.70
    assert net.get_ydata()[0] == pytest.approx(151.70)
    whiskers = [ln for ln in ax_rev.get_lines() if list(ln.get_ydata()) == [90.0, 110.0]]
    assert len(whiskers) == 4


def test_burden_table_means_in_whole_yen() -> None:
    from lvs_duty import load_rules

    jp = load_rules("JP")
    parcels = [
        Shipment("JP", "2026-03-01", "JPY", [Item("610910", v, duty_rate="0.1")], id=f"j{v}")
        for v in ("50000", "60001", "70001")
    ]
    table = plot.burden_table(compare(parcels, {"JP": jp}), bands=(100_000,))
    mean = table["mean_burden"].iat[0]
    assert mean.as_tuple().exponent == 0  # JPY has no minor unit: no .00


def test_compare_plot_in_the_cli_uses_readers_names_and_a_caption(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `lvs-duty compare --plot` drew option keys (flat_rate) with no caption; now the same
    # names, caption and policy zone as the report's dashboard.
    import io
    from pathlib import Path

    from matplotlib.figure import Figure

    from lvs_duty.cli import main

    saved: list[Figure] = []
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: saved.append(self))
    argv = ["compare", "--n", "200", "--seed", "3", "--date", "2026-03-01", "--no-progress"]
    assert main([*argv, "--plot", str(Path(str(tmp_path)) / "f.png")], out=io.StringIO()) == 0
    (fig,) = saved
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == [
        "Current rules (CA)",
        "Flat rate 10% up to\nCAD 150",
        "Category tariff, 3\nrates, up to CAD 150",
        "Duty-free, GST/HST at\nsale up to CAD 150",
    ]
    texts = [t.get_text() for t in fig.texts]
    assert any(
        "Population: synthetic, seed 3, destination CA, dated 2026-03-01" in t
        and "n = 200. Rules as of 2026-03-01. Ceiling CAD 150." in t
        for t in texts
    ), texts


def test_readable_renames_once_per_option_and_leaves_the_input_alone() -> None:
    # `compare --plot` at 10^6 parcels spent 1 s and 600 MB renaming a 4-million-row
    # comparison row by row; the names are now given once per distinct option (categorical)
    from lvs_duty.labels import readable

    frame = pd.DataFrame({"option": pd.Categorical(["a", "b", "a", "c"]), "total": [1, 2, 3, 4]})
    out = readable(frame, {"a": "Alpha", "b": "Beta"})
    assert out["option"].tolist() == ["Alpha", "Beta", "Alpha", "c"]
    assert isinstance(out["option"].dtype, pd.CategoricalDtype)
    assert frame["option"].tolist() == ["a", "b", "a", "c"]  # the input is not changed
    assert out["total"].tolist() == [1, 2, 3, 4]
    # two options given the same name: still one name per row, as text
    same = readable(frame, {"a": "X", "b": "X"})
    assert same["option"].tolist() == ["X", "X", "X", "c"]
