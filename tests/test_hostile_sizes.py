"""Issue 9: sizes and types that used to crash outside the error family now get named errors.

The frame path flags a shipment it cannot hold in int64 and assesses every good neighbour; the
scalar path refuses amounts beyond the largest supported one (``lvs_duty.money.MAX_AMOUNT``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pandas as pd
import pytest

import lvs_duty
from lvs_duty import (
    ArgumentError,
    FrameError,
    Item,
    LvsDutyError,
    Shipment,
    ShipmentError,
    assess,
    shipments_to_frame,
)
from lvs_duty.frame import assess_frame


def _ca(value: object = "100.00", rate: str = "0.18", id_: str = "P1", **more: object) -> Shipment:
    fields: dict[str, object] = {"ship_from": "US", "region": "ON", "id": id_, **more}
    return Shipment("CA", "2026-03-01", "CAD", [Item("6109", value, duty_rate=rate)], **fields)


def _two(column: str, bad: object) -> pd.DataFrame:
    frame = shipments_to_frame([_ca(id_="G"), _ca(id_="B")]).astype(object)
    frame.loc[1, column] = bad
    return frame


# Good parcel G: 100.00 > CAD 40 tax threshold and <= CAD 150 CUSMA duty threshold:
# duty 0; HST 100.00 x 13% = 13.00; total 13.00 (1300 cents).
GOOD_TOTAL = 1300


@pytest.mark.parametrize(
    ("column", "bad", "problem"),
    [
        ("value", "1e17", "int64"),
        ("value", 10**70, "at most 1E+18"),
        ("quantity", 10**20, "at most 1000000000"),
        ("duty_rate", "0.1234567890123456789", "int64"),
    ],
)
def test_frame_flags_the_shipment_it_cannot_hold_and_keeps_the_good(
    column: str, bad: object, problem: str
) -> None:
    ca = lvs_duty.load_rules("CA")
    result = assess_frame(_two(column, bad), ca, errors="flag")
    assert result["status"].tolist() == ["ok", "error"]
    assert result["total_minor"].iloc[0] == GOOD_TOTAL
    assert problem in result["error"].iloc[1]
    with pytest.raises(FrameError, match=re.escape(problem)) as caught:
        assess_frame(_two(column, bad), ca)
    assert [c.row for c in caught.value.cases] == [1]


def test_a_tiny_rate_only_the_decimal_path_holds_is_still_assessed_there() -> None:
    rate = "0.1234567890123456789"
    # 100.00 x 0.1234567890123456789 = 12.34567890... -> 12.35 duty (the CUSMA duty relief
    # is for <= 150 only when shipped from US: ship from CN instead)
    a = assess(_ca(rate=rate, ship_from="CN"), lvs_duty.load_rules("CA"))
    assert a.duty == D("12.35")


@pytest.mark.parametrize("value", ["1e58", 10**70, "1E+999999", "1000000000000000000.01"])
def test_scalar_refuses_amounts_beyond_the_largest_supported(value: object) -> None:
    with pytest.raises(ShipmentError, match=r"^value: expected an amount of at most 1E\+18"):
        _ca(value)


def test_the_largest_supported_amount_is_assessed_exactly() -> None:
    # 10^18 x 18% = 1.8 x 10^17 duty; HST (10^18 + 1.8 x 10^17) x 13% = 1.534 x 10^17
    a = assess(_ca("1000000000000000000", ship_from="CN"), lvs_duty.load_rules("CA"))
    assert (a.duty, a.tax) == (D("180000000000000000.00"), D("153400000000000000.00"))


def _usd() -> Shipment:
    return Shipment(
        "CA", "2026-03-01", "USD", [Item("6109", "10.00", duty_rate="0.1")], region="ON"
    )


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (1.3, "not a float"),
        ("NaN", "a finite, positive rate"),
        ("abc", "a decimal number"),
        ("1e70", "at most 1000000000"),
        ("0", "a finite, positive rate"),
    ],
)
def test_bad_fx_rates_are_argument_errors_on_both_paths(rate: object, expected: str) -> None:
    ca = lvs_duty.load_rules("CA")
    with pytest.raises(ArgumentError, match=rf"assess: fx\['USD'\] expected .*{expected}"):
        assess(_usd(), ca, fx={"USD": rate})
    with pytest.raises(ArgumentError, match=rf"assess_frame: fx\['USD'\] expected .*{expected}"):
        assess_frame(shipments_to_frame([_usd()]), ca, fx={"USD": rate})


def test_fx_with_many_digits_is_exact_on_the_scalar_path_and_flagged_on_the_frame() -> None:
    ca = lvs_duty.load_rules("CA")
    fx = {"USD": "1.2345678901234567890123"}
    # 10.00 USD x 1.2345678901234567890123 = 12.345678... -> 12.35 CAD, under CAD 40: nothing
    assert assess(_usd(), ca, fx=fx).goods_value == D("12.35")
    frame = shipments_to_frame([_ca(id_="G"), _usd().model_copy(update={"id": "U"})])
    result = assess_frame(frame, ca, fx=fx, errors="flag")
    assert result["status"].tolist() == ["ok", "error"]
    assert result["total_minor"].iloc[0] == GOOD_TOTAL


@pytest.mark.parametrize("on", [dt.datetime(2026, 1, 1, 12, 0), "2015-01-01", 20260101])
def test_on_must_be_a_date(on: object) -> None:
    with pytest.raises(ArgumentError, match=r"assess: on expected a datetime\.date or None"):
        assess(_ca(), lvs_duty.load_rules("CA"), on=on)  # type: ignore[arg-type]


def test_a_duplicated_column_name_is_a_frame_error() -> None:
    frame = shipments_to_frame([_ca()])
    frame.columns = [*frame.columns[:-1], "value"]
    with pytest.raises(FrameError, match=r"'value'.*a column name used once"):
        assess_frame(frame, lvs_duty.load_rules("CA"))


def test_errors_are_lvs_duty_errors() -> None:
    assert issubclass(FrameError, LvsDutyError)


def test_a_gift_whose_thresholds_alone_int64_cannot_hold_is_flagged_not_undercharged() -> None:
    # A gift is assessed twice (the allowance, then the thresholds alone) and the lower total
    # kept. Value just above 2**59 / 18 cents: on the excess over the CAD 60 gift allowance,
    # (value - 60.00) x 18% fits the kernel's int64 headroom (2**59 minor units); on the whole
    # value (the thresholds alone: shipped from CN, no CUSMA relief) it does not. The frame
    # path must flag the parcel, not keep the overflowed (lower) second total.
    cents = 2**59 // 18 + 100
    value = str(D(cents).scaleb(-2))
    gift = _ca(value, ship_from="CN", id_="B", gift=True, mode="courier")
    expected = assess(gift, lvs_duty.load_rules("CA"))
    assert expected.total == D("106773341565514.44")  # the scalar path holds it exactly
    frame = shipments_to_frame([_ca(id_="G"), gift])
    result = assess_frame(frame, lvs_duty.load_rules("CA"), errors="flag")
    assert result["status"].tolist() == ["ok", "error"]
    assert result["total_minor"].iloc[0] == GOOD_TOTAL
    assert "int64" in result["error"].iloc[1]
