"""The frame path on hand-worked cases: amounts, rounding modes, bad rows, order, layouts."""

from __future__ import annotations

import gc
import io
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

import lvs_duty
from _toy import parcel, toy
from lvs_duty import (
    ArgumentError,
    FrameError,
    Item,
    RuleSet,
    Shipment,
    assess,
    compare,
    shipments_to_frame,
    summarize,
)
from lvs_duty.frame import RESULT_COLUMNS, assess_frame, to_dask, to_decimal_frame
from lvs_duty.options import gea_options

VAT5_FREE = {
    "duty": {"general": {"kind": "free", "source": "law"}},
    "tax": {"name": "VAT", "rate": "0.05", "base": ["customs_value"], "source": "law"},
}


def ca_parcel(id_: str, value: str, rate: str | None = "0.18", **more: object) -> Shipment:
    fields = {"ship_from": "US", "region": "ON", "id": id_, **more}
    return Shipment("CA", "2026-03-01", "CAD", [Item("6109", value, duty_rate=rate)], **fields)


def test_canadian_parcel_hand_worked(ca: object) -> None:
    # 150.01 > CAD 150 CUSMA duty threshold: duty 150.01 x 18% = 27.0018 -> 27.00;
    # HST (150.01 + 27.00) x 13% = 23.0113 -> 23.01; total 50.01, all at the border
    result = assess_frame(shipments_to_frame([ca_parcel("P1", "150.01")]), ca)
    assert list(result.columns) == list(RESULT_COLUMNS)
    row = result.iloc[0]
    assert (row["duty_minor"], row["tax_minor"], row["total_minor"]) == (2700, 2301, 5001)
    assert row["tax_base_minor"] == 17701  # 150.01 + 27.00
    assert (row["duty_collection"], row["tax_collection"]) == ("border", "border")
    assert bool(row["border_collection"])
    assert row["classifications"] == 1
    assert row["status"] == "ok"
    shown = to_decimal_frame(result).iloc[0]
    assert (shown["duty"], shown["tax"], shown["total"]) == (D("27.00"), D("23.01"), D("50.01"))


def test_transport_spread_by_cumulative_floor_and_group_rounding() -> None:
    # CIF: shipping 10.00 over three lines of 10.00: floor(1000 x 1/3) = 333, then 666, then
    # 1000 -> 3.33, 3.33, 3.34. Customs values 13.33, 13.33, 13.34 (total 40.00).
    # Duty exact 1.333 + 1.333 + 13.34 x 0.5 = 6.67 -> 9.336 -> 9.34 (one group);
    # VAT (40.00 + 9.34) x 0.20 = 9.868 -> 9.87; total 19.21.
    rules = toy(valuation={"basis": "CIF", "source": "law"})
    shipment = parcel(
        Item("6109", "10.00", duty_rate="0.10"),
        Item("6109", "10.00", duty_rate="0.10"),
        Item("6109", "10.00", duty_rate="0.5"),
        shipping="10.00",
        id="T",
    )
    row = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), rules)).iloc[0]
    assert (row["customs_value"], row["duty"], row["tax"], row["total"]) == (
        D("40.00"),
        D("9.34"),
        D("9.87"),
        D("19.21"),
    )
    scalar = assess(shipment, rules)
    assert (scalar.duty, scalar.tax, scalar.total) == (D("9.34"), D("9.87"), D("19.21"))


@pytest.mark.parametrize(
    ("mode", "on_110", "on_130"),
    [
        # VAT 5%: 1.10 -> 0.055 (a tie at the half cent), 1.30 -> 0.065 (a tie, 6 is even)
        ("ROUND_HALF_UP", "0.06", "0.07"),
        ("ROUND_HALF_EVEN", "0.06", "0.06"),
        ("ROUND_HALF_DOWN", "0.05", "0.06"),
        ("ROUND_UP", "0.06", "0.07"),
        ("ROUND_DOWN", "0.05", "0.06"),
        ("ROUND_CEILING", "0.06", "0.07"),
        ("ROUND_FLOOR", "0.05", "0.06"),
    ],
)
def test_every_rounding_mode_in_integers(mode: str, on_110: str, on_130: str) -> None:
    rules = toy(rounding={"mode": mode}, **VAT5_FREE)
    frame = shipments_to_frame(
        [parcel(Item("6109", "1.10"), id="a"), parcel(Item("6109", "1.30"), id="b")]
    )
    got = to_decimal_frame(assess_frame(frame, rules))["tax"].tolist()
    assert got == [D(on_110), D(on_130)]


def test_rows_are_never_dropped_or_reordered() -> None:
    # shipments interleaved, index labels shuffled and not 0..n-1: results come in order of
    # first appearance (B, A, C) and each one equals the scalar assessment of its lines
    rules = toy()
    a = parcel(
        Item("6109", "100.00", duty_rate="0.10"), Item("8517", "50.00", duty_rate="0"), id="A"
    )
    b = parcel(
        Item("6109", "20.00", duty_rate="0.10"), Item("6109", "30.00", duty_rate="0.20"), id="B"
    )
    c = parcel(Item("4901", "12.34", duty_rate="0"), id="C")
    rows = shipments_to_frame([a, b, c])  # A0 A1 B0 B1 C0
    frame = rows.iloc[[2, 0, 3, 4, 1]].copy()  # B0 A0 B1 C0 A1
    frame.index = [40, 10, 30, 20, 50]
    result = to_decimal_frame(assess_frame(frame, rules))
    assert result["shipment_id"].tolist() == ["B", "A", "C"]
    for shipment, (_, row) in zip([b, a, c], result.iterrows(), strict=True):
        expected = assess(shipment, rules)
        assert (row["duty"], row["tax"], row["total"]) == (
            expected.duty,
            expected.tax,
            expected.total,
        )
    # the input itself is untouched
    assert frame.index.tolist() == [40, 10, 30, 20, 50]


def test_raise_reports_every_bad_row_with_its_label(ca: object) -> None:
    frame = shipments_to_frame(
        [
            ca_parcel("ok", "10.00"),
            ca_parcel("no-rate", "500.00", None),
            ca_parcel("also-ok", "99.00"),
        ]
    )
    frame.index = [7, 8, 9]
    frame.loc[9, "value"] = 12.5  # a float amount
    frame.loc[7, "hs_code"] = "61x9"
    with pytest.raises(FrameError) as caught:
        assess_frame(frame, ca)
    cases = caught.value.failure_cases
    assert list(cases.columns) == ["row", "column", "problem", "value"]
    assert sorted(zip(cases["row"], cases["column"], strict=True)) == [
        (7, "hs_code"),
        (8, "duty_rate"),
        (9, "value"),
    ]
    problems = dict(zip(cases["column"], cases["problem"], strict=True))
    assert "not a float" in problems["value"]
    assert "MFN rate" in problems["duty_rate"]


def test_flag_assesses_the_good_and_marks_the_bad(ca: object) -> None:
    frame = shipments_to_frame(
        [ca_parcel("ok", "15.00"), ca_parcel("no-rate", "500.00", None), ca_parcel("big", "300.00")]
    )
    result = assess_frame(frame, ca, errors="flag")
    assert result["status"].tolist() == ["ok", "error", "ok"]
    assert result["error"].iloc[0] is None
    assert "duty_rate" in result["error"].iloc[1]
    # 15.00 <= 20: nothing due. 300.00 > 150: duty 54.00, HST (300 + 54) x 13% = 46.02
    assert result["total_minor"].tolist() == [0, pd.NA, 5400 + 4602]
    assert pd.isna(result["duty_collection"].iloc[1])
    assert to_decimal_frame(result)["total"].tolist() == [D("0.00"), None, D("100.02")]


def test_fast_layout_equals_the_canonical_one(ca: object) -> None:
    population = [
        ca_parcel("a", "150.01"),
        ca_parcel("b", "20.00", ship_from="CN"),
        ca_parcel("c", "1234.56", shipping="12.00"),
    ]
    canonical = shipments_to_frame(population)
    fast = canonical.drop(columns=["value", "shipping", "insurance"])
    fast["value_minor"] = np.array([15001, 2000, 123456], dtype=np.int64)
    fast["shipping_minor"] = np.array([0, 0, 1200], dtype=np.int64)
    assert assess_frame(fast, ca).equals(assess_frame(canonical, ca))


def test_csv_text_cells_assess_the_same(ca: object) -> None:
    population = [ca_parcel("a", "150.01", gift=True), ca_parcel("b", "41.00", mode="post")]
    buffer = io.StringIO()
    shipments_to_frame(population).to_csv(buffer, index=False)
    buffer.seek(0)
    text = pd.read_csv(buffer, dtype=str, keep_default_na=False)
    got = to_decimal_frame(assess_frame(text, ca))
    assert got["total"].tolist() == [assess(s, ca).total for s in population]


def test_a_date_out_of_force_is_a_bad_row() -> None:
    rules = toy()  # in force from 2020-01-01
    frame = shipments_to_frame(
        [parcel(Item("6109", "10.00", duty_rate="0"), date="2019-12-31", id="early")]
    )
    result = assess_frame(frame, rules, errors="flag")
    assert result["status"].tolist() == ["error"]
    assert "no version in force" in result["error"].iloc[0]


def test_int64_overflow_is_reported_never_wrapped() -> None:
    # 5e15 EUR = 5e17 cents x 0.18 (as 18 hundredths) = 9e18 > 2**59: refused, not wrapped
    rules = toy()
    huge = parcel(Item("6109", "5000000000000000.00", duty_rate="0.18"), id="huge")
    small = parcel(Item("6109", "100.00", duty_rate="0.18"), id="small")
    frame = shipments_to_frame([huge, small])
    result = assess_frame(frame, rules, errors="flag")
    assert result["status"].tolist() == ["error", "ok"]
    assert "int64" in result["error"].iloc[0]
    # small: duty 18.00, VAT (100 + 18) x 20% = 23.60
    assert result["total_minor"].iloc[1] == 1800 + 2360
    with pytest.raises(FrameError, match="int64"):
        assess_frame(frame, rules)
    assert assess(huge, rules).duty == D("900000000000000.00")  # the scalar path copes


def test_sub_minor_rounding_is_refused_by_name() -> None:
    rules = toy(rounding={"quantum": "0.001"})
    with pytest.raises(ArgumentError, match=r"rounding\.quantum"):
        assess_frame(shipments_to_frame([parcel(Item("6109", "1.00", duty_rate="0"))]), rules)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rules": "CA"}, "rules expected a lvs_duty.RuleSet"),
        ({"errors": "ignore"}, "errors expected 'raise' or 'flag'"),
        ({"fx": {"USD": 1.35}}, r"fx\['USD'\] expected a Decimal"),
        ({"fx": {"USD": "-1"}}, r"fx\['USD'\] expected a finite, positive rate"),
        ({"on": "2026-01-01"}, "on expected a datetime.date"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"rules": toy(), **kwargs}
    rules = args.pop("rules")
    with pytest.raises(ArgumentError, match=message):
        assess_frame(
            shipments_to_frame([parcel(Item("6109", "1.00"))]),
            rules,  # type: ignore[arg-type]
            **args,
        )  # type: ignore[arg-type]


def test_not_a_frame_and_bad_headers() -> None:
    with pytest.raises(ArgumentError, match="frame expected a pandas or dask DataFrame"):
        assess_frame([parcel(Item("6109", "1.00"))], toy())
    frame = shipments_to_frame([parcel(Item("6109", "1.00"))]).drop(columns=["currency"])
    frame["colour"] = "red"
    with pytest.raises(FrameError) as caught:
        assess_frame(frame, toy())
    cases = caught.value.failure_cases
    assert set(zip(cases["row"], cases["column"], strict=True)) == {
        ("(header)", "currency"),
        ("(header)", "colour"),
    }
    with pytest.raises(ArgumentError, match="to_decimal_frame"):
        to_decimal_frame("not a frame")  # type: ignore[arg-type]


def test_empty_table_gives_an_empty_result() -> None:
    frame = shipments_to_frame([])
    result = assess_frame(frame, toy())
    assert list(result.columns) == list(RESULT_COLUMNS)
    assert len(result) == 0


def test_foreign_currency_converted_per_amount() -> None:
    # USD 10.00 at 1.3579 EUR/USD = 13.579 -> 13.58 (half up); duty 13.58 x 10% = 1.358 -> 1.36;
    # VAT (13.58 + 1.36) x 20% = 2.988 -> 2.99
    shipment = parcel(Item("6109", "10.00", duty_rate="0.10"), currency="USD", id="usd")
    fx = {"USD": D("1.3579")}
    row = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), toy(), fx=fx)).iloc[0]
    assert (row["customs_value"], row["duty"], row["tax"]) == (D("13.58"), D("1.36"), D("2.99"))
    flagged = assess_frame(shipments_to_frame([shipment]), toy(), errors="flag")
    assert "fx=" in flagged["error"].iloc[0]


def test_compare_minor_and_summaries_equal_the_scalar_ones(ca: object) -> None:
    population = [
        ca_parcel("s1", "15.00", ship_from="CN"),
        ca_parcel("s2", "100.00", ship_from="CN"),
        ca_parcel("s3", "100.00"),
        ca_parcel("s4", "300.00", region="AB"),
    ]
    options = gea_options(ca)
    minor = compare(shipments_to_frame(population), options, amounts="minor")
    scalar = compare(population, options)
    shown = to_decimal_frame(minor)
    for column in ("duty", "tax", "total", "effective_rate"):
        assert shown[column].tolist() == scalar[column].tolist()
    assert summarize(minor).equals(summarize(scalar))
    assert to_dask is not None


def test_assessing_a_frame_leaves_no_reference_cycles(ca: RuleSet) -> None:
    # Every temporary column must be freed when a call returns, not when the cyclic garbage
    # collector next runs: a simulation assesses millions of rows in a loop, and arrays held
    # by a cycle (a recursive closure, once) grew the peak memory by ~90 MB per 10^6 rows per
    # call. With the collector paused, a call must leave nothing for it to collect.
    frame = lvs_duty.simulate.population(500, "CA", seed=3)
    options = gea_options(ca)
    for rules in options.values():
        assess_frame(frame, rules)  # warm imports and lazy caches first
    gc.collect()
    gc.disable()
    try:
        for rules in options.values():
            assess_frame(frame, rules)
            assert gc.collect() == 0
        compare(frame, options, amounts="minor")
        assert gc.collect() == 0
    finally:
        gc.enable()
