"""Consignments and their lines: what a customs declaration for a parcel says.

A :class:`Shipment` is one consignment to one consignee; each :class:`Item` is one line of it
(one kind of goods, with its total value and quantity). Both are frozen and validated on
construction: a float amount, a negative value, an unknown currency or country, a malformed HS
code or an empty item list raises :class:`~lvs_duty.errors.ShipmentError` naming the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from ._validation import custom, problems_from
from .countries import COUNTRIES
from .errors import AmountTypeError, ReasonCode, ShipmentError
from .money import CONTEXT, CURRENCIES, MAX_AMOUNT, MAX_QUANTITY, minor_digits

Mode = Literal["post", "courier"]


def _amount(value: object) -> Decimal:
    if isinstance(value, float):
        raise custom("float_amount", "a Decimal, int or str amount, not a float", value)
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise custom("amount_type", "a Decimal, int or str amount", value)
    try:
        result = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except ArithmeticError:
        raise custom("amount_syntax", "a decimal number", value) from None
    if not result.is_finite() or result < 0:
        raise custom("negative_amount", "a non-negative, finite amount", value)
    if result > MAX_AMOUNT:
        raise custom(
            "amount_range", f"an amount of at most {MAX_AMOUNT} (the largest supported)", value
        )
    return result


def _optional_amount(value: object) -> Decimal | None:
    return None if value is None else _amount(value)


def _rate(value: object) -> Decimal | None:
    if value is None:
        return None
    result = _amount(value)
    if result > 1:
        raise custom("rate_range", "a rate as a decimal fraction between 0 and 1", value)
    return result


HS_CHAPTERS: frozenset[str] = frozenset(f"{n:02d}" for n in range(1, 98) if n != 77)
"""The chapters of the Harmonized System: 01 to 97, chapter 77 being reserved and unused."""

NO_CHAPTER = "an HS code whose chapter exists (01 to 97; 77 is reserved)"


def _hs_code(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise custom("hs_code", "an HS code as a string of 2 to 10 digits", value)
    digits = value.replace(".", "").replace(" ", "")
    if not digits.isdigit() or not 2 <= len(digits) <= 10 or not digits.isascii():
        raise custom("hs_code", "an HS code of 2 to 10 digits (dots allowed)", value)
    if digits[:2] not in HS_CHAPTERS:
        raise custom("hs_code", NO_CHAPTER, value)
    return digits


def _country(value: object) -> str:
    if not isinstance(value, str) or value.upper() not in COUNTRIES:
        raise custom("country", "an ISO 3166-1 alpha-2 country code such as 'CA'", value)
    return value.upper()


def _optional_country(value: object) -> str | None:
    return None if value is None else _country(value)


def _currency(value: object) -> str:
    if not isinstance(value, str) or value.upper() not in CURRENCIES:
        raise custom("currency", "an ISO 4217 currency code such as 'EUR'", value)
    return value.upper()


def _items(value: object) -> object:
    if value is None or (isinstance(value, (list, tuple)) and not value):
        raise custom("empty_items", "at least one item (a consignment has one line or more)", value)
    return value


def _quantity(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        raise custom(
            "quantity", f"a whole number of units, at least 1 and at most {MAX_QUANTITY}", value
        )
    return value


Amount = Annotated[Decimal, BeforeValidator(_amount)]
OptionalAmount = Annotated[Decimal | None, BeforeValidator(_optional_amount)]
Rate = Annotated[Decimal | None, BeforeValidator(_rate)]
HsCode = Annotated[str | None, BeforeValidator(_hs_code)]
Country = Annotated[str, BeforeValidator(_country)]
OptionalCountry = Annotated[str | None, BeforeValidator(_optional_country)]
Currency = Annotated[str, BeforeValidator(_currency)]
Quantity = Annotated[int, BeforeValidator(_quantity)]


def _construct(model: BaseModel, data: dict[str, Any], label: str) -> None:
    try:
        BaseModel.__init__(model, **data)
    except ValidationError as exc:
        problems = problems_from(exc, data)
        kinds = {error["type"] for error in exc.errors()}
        error_type = AmountTypeError if "float_amount" in kinds else ShipmentError
        reason = ReasonCode.FLOAT_AMOUNT if "float_amount" in kinds else None
        raise error_type(problems, shipment=label, reason=reason) from None


class Item(BaseModel):
    """One line of a consignment: goods of one kind, their HS code and their total value.

    ``value`` is the line's total value in the shipment currency (not the unit price).
    ``duty_rate`` is the line's general (MFN) ad valorem rate when the caller knows it from
    their own tariff data; regimes that charge the general tariff need it. ``category`` names
    a tariff category explicitly, overriding classification by HS code.

    >>> Item("6109.10", "25.00", quantity=2).hs_code
    '610910'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    hs_code: HsCode
    value: Amount
    quantity: Quantity = 1
    description: str = ""
    duty_rate: Rate = None
    category: str | None = None
    weight_kg: OptionalAmount = None
    volume_l: OptionalAmount = None
    abv: Rate = None

    def __init__(
        self,
        hs_code: object = None,
        value: object = None,
        quantity: object = 1,
        description: object = "",
        duty_rate: object = None,
        category: object = None,
        **more: object,
    ) -> None:
        data = {
            "hs_code": hs_code,
            "value": value,
            "quantity": quantity,
            "description": description,
            "duty_rate": duty_rate,
            "category": category,
            **more,
        }
        _construct(self, data, "")

    @property
    def subheading(self) -> str | None:
        """The 6-digit HS subheading of the line, or None when classified less finely."""
        return self.hs_code[:6] if self.hs_code and len(self.hs_code) >= 6 else None


class Shipment(BaseModel):
    """One consignment to one consignee, as declared at import.

    ``destination``, ``ship_from`` (the country of direct shipment, which Canada's thresholds
    depend on) and ``origin`` are ISO 3166-1 alpha-2 codes; ``region`` is a sub-national code
    where the tax depends on it (a Canadian province such as ``"ON"``). ``shipping`` and
    ``insurance`` are the transport and insurance costs to the destination, in ``currency``.
    ``seller_registered`` says whether the seller is registered in the destination's collection
    scheme (EU IOSS, Norway's VOEC, GST or VAT registration); None (not known) keeps the
    assumption that a seller collects the tax a threshold moves to the point of sale.

    >>> s = Shipment("CA", "2026-03-01", "CAD", [Item("6109", "35.00")], ship_from="US")
    >>> s.goods_value, s.mode
    (Decimal('35.00'), 'courier')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    destination: Country
    date: dt.date
    currency: Currency
    items: Annotated[tuple[Item, ...], BeforeValidator(_items)]
    ship_from: OptionalCountry = None
    origin: OptionalCountry = None
    shipping: Amount = Decimal(0)
    insurance: Amount = Decimal(0)
    mode: Mode = "courier"
    region: str | None = Field(default=None, pattern=r"^[A-Z0-9]{1,3}$")
    gift: bool = False
    seller_registered: bool | None = None
    id: str | None = None

    def __init__(
        self,
        destination: object = None,
        date: object = None,
        currency: object = None,
        items: object = None,
        **more: object,
    ) -> None:
        data = {"destination": destination, "date": date, "currency": currency, **more}
        data["items"] = items
        label = more.get("id")
        _construct(self, data, label if isinstance(label, str) else "")

    @model_validator(mode="after")
    def _amounts_fit_currency(self) -> Shipment:
        digits = minor_digits(self.currency)
        amounts: list[tuple[str, str, Decimal]] = [
            ("", "shipping", self.shipping),
            ("", "insurance", self.insurance),
        ]
        amounts += [(f"items[{i}]", "value", item.value) for i, item in enumerate(self.items)]
        for location, field, amount in amounts:
            exponent = amount.normalize(context=CONTEXT).as_tuple().exponent
            if isinstance(exponent, int) and -exponent > digits:
                raise custom(
                    "amount_precision",
                    f"at most {digits} decimal places for {self.currency}",
                    amount,
                    location=location,
                    field=field,
                )
        return self

    @property
    def goods_value(self) -> Decimal:
        """Total value of the goods (sum of the line values), excluding shipping and insurance."""
        with localcontext(CONTEXT):
            return sum((item.value for item in self.items), Decimal(0))


__all__ = ["HS_CHAPTERS", "Item", "Mode", "Shipment"]
