"""The Decimal output of the frame path: to_decimal_frame and compare(amounts="decimal").

Both convert int64 minor units column by column, one Decimal object per distinct amount, and
build the result without copying (issue 15's memory target); these tests hold the values,
dtypes, order, index and None-for-missing to what they were, worked by hand.
"""

from __future__ import annotations

from decimal import Decimal as D

import numpy as np
import pandas as pd

from _toy import parcel as toy_parcel
from lvs_duty import Item, RuleSet, Shipment, compare, shipments_to_frame
from lvs_duty.compare import COMPARISON_COLUMNS
from lvs_duty.frame import to_decimal_frame
from lvs_duty.options import gea_options


def two_currencies() -> pd.DataFrame:
    """A minor-unit result by hand: CAD (2 places) and JPY (0), a missing row, an odd index."""
    return pd.DataFrame(
        {
            "shipment_id": ["a", "b", "c", "d"],
            "currency": pd.Categorical(["CAD", "JPY", "CAD", "JPY"]),
            "total_minor": pd.array([2700, 2700, pd.NA, 150], dtype="Int64"),
            "effective_rate_bp": pd.array([3334, 0, pd.NA, 10000], dtype="Int64"),
            "duty_collection": pd.Categorical(
                ["border", None, None, "sale"], categories=["border", "sale", "mixed"]
            ),
            "status": ["ok", "ok", "error", "ok"],
        },
        index=[10, 11, 12, 13],
    )


def test_each_row_in_its_own_currency_and_the_argument_untouched() -> None:
    result = two_currencies()
    before = result.copy(deep=True)
    shown = to_decimal_frame(result)
    pd.testing.assert_frame_equal(result, before)  # the caller's frame is never consumed
    assert list(shown.columns) == [
        "shipment_id", "currency", "total", "effective_rate", "duty_collection", "status",
    ]  # fmt: skip
    assert list(shown.index) == [10, 11, 12, 13]
    # 2700 CAD minor units = 27.00; 2700 yen = 2700; 3334 bp = 0.3334; missing: None
    assert shown["total"].tolist() == [D("27.00"), D("2700"), None, D("150")]
    assert [str(v) for v in shown["total"]] == ["27.00", "2700", "None", "150"]
    assert shown["effective_rate"].tolist() == [D("0.3334"), D("0.0000"), None, D("1.0000")]
    assert shown["duty_collection"].tolist() == ["border", None, None, "sale"]
    assert shown["total"].dtype == object
    assert shown["duty_collection"].dtype == object
    assert shown["currency"].dtype == "category"  # other columns kept as they are
    assert shown["status"].tolist() == ["ok", "ok", "error", "ok"]


def test_plain_int64_columns_and_equal_amounts_share_one_object() -> None:
    result = pd.DataFrame(
        {
            "currency": ["CAD"] * 3,
            "goods_value_minor": np.array([1999, 5, 1999], dtype=np.int64),
            "customs_value_minor": np.array([1999, 1999, -7], dtype=np.int64),
        }
    )
    shown = to_decimal_frame(result)
    assert shown["goods_value"].tolist() == [D("19.99"), D("0.05"), D("19.99")]
    assert shown["customs_value"].tolist() == [D("19.99"), D("19.99"), D("-0.07")]
    one = shown["goods_value"].iloc[0]
    assert shown["goods_value"].iloc[2] is one
    assert shown["customs_value"].iloc[1] is one


def parcel(value: str, ship_from: str) -> Shipment:
    """A Canadian parcel to Ontario: one T-shirt at 18% MFN."""
    item = Item("610910", value, duty_rate="0.18")
    return toy_parcel(item, destination="CA", date="2026-03-01", currency="CAD",
                      ship_from=ship_from, region="ON")  # fmt: skip


def test_decimal_comparison_of_integer_ids(ca: RuleSet) -> None:
    frame = shipments_to_frame([parcel("100.00", "CN"), parcel("100.00", "US")])
    frame["shipment_id"] = np.array([7, 9], dtype=np.int64)
    options = gea_options(ca)
    table = compare(frame, options)
    assert list(table.columns) == list(COMPARISON_COLUMNS)
    assert list(table.index) == list(range(8))
    assert table["shipment_id"].tolist() == ["7", "9"] * 4  # str, as the scalar path gives
    assert table["option"].tolist() == [o for o in options for _ in range(2)]
    assert {type(v) for c in ("option", "rules", "currency") for v in table[c]} == {str}
    for column in (*COMPARISON_COLUMNS[:4], "goods_value", "duty", "total", "tax_collection"):
        assert table[column].dtype == object, column
    assert table["border_collection"].dtype == bool
    assert table["classifications"].dtype == np.int64
    rows = {(r.option, r.shipment_id): r for r in table.itertuples()}
    # baseline, from CN: duty 18.00, HST (100 + 18) x 13% = 15.34, at the border
    # from US: duty relieved (<= 150), HST 100 x 13% = 13.00
    # duty_free_vat: HST 100 x 13% = 13.00 collected at sale, nothing at the border
    base_cn, base_us, vat_cn = (
        rows["baseline", "7"],
        rows["baseline", "9"],
        rows["duty_free_vat", "7"],
    )
    assert (base_cn.duty, base_cn.tax, base_cn.total) == (D("18.00"), D("15.34"), D("33.34"))
    assert base_cn.effective_rate == D("0.3334")
    assert base_cn.duty_collection == "border"
    assert (base_us.duty, base_us.tax, base_us.duty_collection) == (D("0.00"), D("13.00"), None)
    assert (vat_cn.tax, vat_cn.tax_collection, vat_cn.border_collection) == (
        D("13.00"),
        "sale",
        False,
    )
    assert table["goods_value"].tolist() == [D("100.00")] * 8
