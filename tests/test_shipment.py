"""Bad shipments get a clear error from the LvsDutyError family naming the field, never a number."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal as D
from typing import Any

import pytest

from lvs_duty import AmountTypeError, Item, LvsDutyError, Shipment, ShipmentError
from lvs_duty.errors import ReasonCode

GOOD: dict[str, Any] = {"destination": "CA", "date": "2026-03-01", "currency": "CAD"}

BAD_SHIPMENTS: list[tuple[dict[str, Any], type[Exception], ReasonCode, str]] = [
    (
        {"items": [Item("6109", "1")], "shipping": 5.0},
        AmountTypeError,
        ReasonCode.FLOAT_AMOUNT,
        "shipping: expected a Decimal, int or str amount, not a float, got 5.0",
    ),
    (
        {"items": [Item("6109", "1")], "insurance": "-1"},
        ShipmentError,
        ReasonCode.NEGATIVE_AMOUNT,
        "insurance: expected a non-negative, finite amount, got '-1'",
    ),
    (
        {"items": [Item("6109", "1")], "currency": "CAN"},
        ShipmentError,
        ReasonCode.UNKNOWN_CURRENCY,
        "currency: expected an ISO 4217 currency code",
    ),
    (
        {"items": [Item("6109", "1")], "destination": "XX"},
        ShipmentError,
        ReasonCode.UNKNOWN_COUNTRY,
        "destination: expected an ISO 3166-1 alpha-2 country code",
    ),
    (
        {"items": [Item("6109", "1")], "ship_from": "USA"},
        ShipmentError,
        ReasonCode.UNKNOWN_COUNTRY,
        "ship_from: expected an ISO 3166-1 alpha-2",
    ),
    (
        {"items": []},
        ShipmentError,
        ReasonCode.EMPTY_ITEMS,
        "items: expected at least one item (a consignment has one line or more)",
    ),
    (
        {"items": [Item("6109", "1.005")]},
        ShipmentError,
        ReasonCode.INVALID_VALUE,
        "items[0].value: expected at most 2 decimal places for CAD, got 1.005",
    ),
    (
        {"items": [Item("6109", "1")], "mode": "air"},
        ShipmentError,
        ReasonCode.INVALID_VALUE,
        "mode: expected 'post' or 'courier', got 'air'",
    ),
    (
        {"items": [Item("6109", "1")], "date": "2026-02-30"},
        ShipmentError,
        ReasonCode.INVALID_VALUE,
        "date: expected a valid date",
    ),
    (
        {"items": [Item("6109", "1")], "colour": "red"},
        ShipmentError,
        ReasonCode.INVALID_VALUE,
        "colour: expected no such field",
    ),
]


@pytest.mark.parametrize(("fields", "error", "reason", "message"), BAD_SHIPMENTS)
def test_bad_shipment(
    fields: dict[str, Any], error: type[Exception], reason: ReasonCode, message: str
) -> None:
    args = {**GOOD, **fields}
    with pytest.raises(error) as caught:
        Shipment(
            args.pop("destination"),
            args.pop("date"),
            args.pop("currency"),
            args.pop("items"),
            id="P-7",
            **args,
        )
    assert isinstance(caught.value, LvsDutyError)
    assert caught.value.reason is reason
    assert str(caught.value).startswith("Shipment 'P-7': ")
    assert message in str(caught.value)
    assert str(pickle.loads(pickle.dumps(caught.value))) == str(caught.value)


BAD_ITEMS: list[tuple[dict[str, Any], type[Exception], str]] = [
    (
        {"value": 12.5},
        AmountTypeError,
        "value: expected a Decimal, int or str amount, not a float, got 12.5",
    ),
    ({"value": "-3"}, ShipmentError, "value: expected a non-negative, finite amount, got '-3'"),
    ({"value": "NaN"}, ShipmentError, "value: expected a non-negative, finite amount"),
    ({"value": None}, ShipmentError, "value: expected a Decimal, int or str amount, got None"),
    ({"hs_code": "61O9"}, ShipmentError, "hs_code: expected an HS code of 2 to 10 digits"),
    ({"hs_code": "6"}, ShipmentError, "hs_code: expected an HS code of 2 to 10 digits"),
    ({"hs_code": 6109}, ShipmentError, "hs_code: expected an HS code as a string"),
    ({"quantity": 0}, ShipmentError, "quantity: expected a whole number of units, at least 1"),
    ({"quantity": True}, ShipmentError, "quantity: expected a whole number of units"),
    (
        {"duty_rate": "18"},
        ShipmentError,
        "duty_rate: expected a rate as a decimal fraction between 0 and 1, got '18'",
    ),
    (
        {"duty_rate": 0.18},
        AmountTypeError,
        "duty_rate: expected a Decimal, int or str amount, not a float",
    ),
]


@pytest.mark.parametrize(("fields", "error", "message"), BAD_ITEMS)
def test_bad_item(fields: dict[str, Any], error: type[Exception], message: str) -> None:
    args = {"hs_code": "6109", "value": "10.00", **fields}
    with pytest.raises(error, match=None) as caught:
        Item(**args)
    assert message in str(caught.value)


def test_float_error_is_also_a_type_error() -> None:
    with pytest.raises(TypeError):
        Item("6109", 1.5)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ShipmentError) as caught:
        Shipment("XX", "2026-03-01", "CAN", [Item("6109", "1")], shipping="-1")
    fields = [p.field for p in caught.value.problems]
    assert fields == ["destination", "currency", "shipping"]
    assert "3 problems" in str(caught.value)


def test_good_shipment_normalises_codes() -> None:
    s = Shipment("ca", dt.date(2026, 3, 1), "cad", [Item("6109.10.00", 7)], ship_from="us")
    assert (s.destination, s.currency, s.ship_from) == ("CA", "CAD", "US")
    assert s.items[0].hs_code == "61091000"
    assert s.items[0].subheading == "610910"
    assert s.items[0].value == D(7)
    assert s.goods_value == D(7)


def test_shipments_are_frozen() -> None:
    s = Shipment("CA", "2026-03-01", "CAD", [Item("6109", "1")])
    with pytest.raises(ValueError, match="frozen"):
        s.currency = "USD"  # type: ignore[misc]


def test_json_round_trip_is_exact() -> None:
    s = Shipment(
        "CA",
        "2026-03-01",
        "CAD",
        [Item("6109", "19.99", duty_rate="0.18")],
        shipping="4.50",
        id="J",
    )
    assert Shipment.model_validate_json(s.model_dump_json()) == s
