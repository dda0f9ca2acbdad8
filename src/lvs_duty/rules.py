"""Rule tables: a regime's thresholds, duty and tax rules, dated and sourced, as frozen data.

:class:`RuleSet` is the one schema every regime file and every rule set built in code goes
through. It holds a regime's dated history as :class:`RuleVersion` periods, half-open
``[valid_from, valid_to)``, contiguous, the last one open-ended or closed. Every rule value
names at least one entry of the file's ``sources`` and may be flagged ``unconfirmed``.

The models here know nothing of the assessment engine: they hold definitions, and
:mod:`lvs_duty.assess` gives them meaning. The file format is documented field by field in
``data/tariff_categories/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ._validation import custom, problems_from
from .countries import COUNTRIES, subdivisions
from .dated import Dated, history_problems, in_force
from .errors import NotInForceError, Problem, ReasonCode, RuleFileError, ShipmentError
from .money import CURRENCIES, MAX_AMOUNT, RoundingMode, minor_unit
from .shipment import HS_CHAPTERS, Mode

# ---------------------------------------------------------------------------------------------
# Field types: exact decimals only, checked with messages a rule-file author can act on.


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, float):
        raise custom(
            "float_amount", f'{what} as a decimal string such as "0.18", not a float', value
        )
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise custom("decimal_type", what, value)
    try:
        result = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except ArithmeticError:
        raise custom("decimal_syntax", what, value) from None
    if not result.is_finite():
        raise custom("decimal_syntax", what, value)
    return result


def _rate(value: object) -> Decimal:
    what = "a decimal between 0 and 1"
    result = _decimal(value, what)
    if not 0 <= result <= 1:
        raise custom("rate_range", what, value)
    return result


def _money(value: object) -> Decimal:
    what = "a non-negative decimal amount"
    result = _decimal(value, what)
    if result < 0:
        raise custom("negative_amount", what, value)
    if result > MAX_AMOUNT:
        raise custom(
            "amount_range", f"an amount of at most {MAX_AMOUNT} (the largest supported)", value
        )
    return result


def _factor(value: object) -> Decimal:
    what = "a decimal factor greater than 0 and at most 1"
    result = _decimal(value, what)
    if not 0 < result <= 1:
        raise custom("factor_range", what, value)
    return result


def _hs_prefix(value: object) -> str:
    if not isinstance(value, str):
        raise custom("hs_prefix", "an HS prefix as a string of 2 to 10 digits", value)
    digits = value.replace(".", "").replace(" ", "")
    if not (digits.isascii() and digits.isdigit() and 2 <= len(digits) <= 10):
        raise custom("hs_prefix", "an HS chapter, heading or subheading of 2 to 10 digits", value)
    if digits[:2] not in HS_CHAPTERS:
        raise custom(
            "hs_prefix", "an HS prefix whose chapter exists (01 to 97; 77 is reserved)", value
        )
    return digits


def _source_refs(value: object) -> object:
    return (value,) if isinstance(value, str) else value


def _currency(value: object) -> str:
    if not isinstance(value, str) or value.strip().upper() not in CURRENCIES:
        raise custom("currency", "an ISO 4217 currency code such as 'EUR'", value)
    return value.strip().upper()


def _codes(value: object, what: str, valid: Callable[[str], bool]) -> object:
    """A condition's codes, upper-cased and checked; never empty (an empty list never matches)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise custom("codes", f"a list of {what}", value)
    if not value:
        raise custom(
            "codes", f"at least one {what} (an empty list never matches; omit the key)", []
        )
    out = []
    for code in value:
        if not isinstance(code, str) or not valid(code.strip().upper()):
            raise custom("codes", f"a list of {what}", code)
        out.append(code.strip().upper())
    return tuple(out)


def _is_region(code: str) -> bool:
    return 1 <= len(code) <= 3 and code.isascii() and code.isalnum()


def _countries(value: object) -> object:
    return _codes(value, "ISO 3166-1 alpha-2 country codes such as 'CN'", COUNTRIES.__contains__)


def _regions(value: object) -> object:
    return _codes(value, "region codes of 1 to 3 letters or digits such as 'ON'", _is_region)


def _hs_list(value: object) -> object:
    """A condition's HS prefixes as a list; never empty (an empty list says nothing)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and not value:
        raise custom(
            "codes", "at least one HS prefix (an empty list lists no goods; omit the key)", []
        )
    return value


def _key(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


_MAX_TERM = 10**6  # a tax ratio's terms (Japan's 22/78): exact, and small enough for int64

Rate = Annotated[Decimal, BeforeValidator(_rate)]
Money = Annotated[Decimal, BeforeValidator(_money)]
Factor = Annotated[Decimal, BeforeValidator(_factor)]
HsPrefix = Annotated[str, BeforeValidator(_hs_prefix)]
SourceRefs = Annotated[
    tuple[str, ...], BeforeValidator(_source_refs, json_schema_input_type=str | list[str])
]
Currency = Annotated[str, BeforeValidator(_currency)]
Countries = Annotated[
    tuple[str, ...] | None,
    BeforeValidator(_countries, json_schema_input_type=str | list[str] | None),
]
Regions = Annotated[
    tuple[str, ...] | None,
    BeforeValidator(_regions, json_schema_input_type=str | list[str] | None),
]
HsPrefixes = Annotated[
    tuple[HsPrefix, ...] | None,
    BeforeValidator(_hs_list, json_schema_input_type=str | list[str] | None),
]

Measure = Literal["goods", "customs_value", "cif"]
"""What a threshold is measured on: the goods alone, the customs value, or goods + transport."""
Scope = Literal["consignment", "item"]
Per = Literal["shipment", "item", "subheading", "kg", "litre", "litre_alcohol"]
BasePart = Literal["goods", "customs_value", "duty", "shipping", "insurance"]
Relief = Literal["exempt", "sale"]
ExcludedFrom = Literal["duty_relief", "tax_relief", "low_value_duty", "special_duty"]


class ReadOnlyDict(dict[str, Any]):
    """A mapping of a frozen RuleSet: refuses every change, hashes and pickles by content."""

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(
            "RuleSet mappings are read-only: build a changed rule set instead "
            "(RuleSet.build, model_copy(update=...) or lvs_duty.options)"
        )

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    pop = _refuse
    popitem = _refuse
    clear = _refuse
    update = _refuse
    setdefault = _refuse

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))


def _read_only(value: dict[str, Any]) -> dict[str, Any]:
    return ReadOnlyDict(value)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """A legal or documentary source: the title a lawyer would cite, and where to read it."""

    title: str = Field(min_length=1)
    url: str | None = None
    note: str = ""


class Sourced(_Frozen):
    """A rule value that cites its sources by id; ``unconfirmed`` keeps doubtful values visible."""

    source: SourceRefs = Field(min_length=1)
    unconfirmed: bool = False
    note: str = ""


class Condition(_Frozen):
    """When a rule applies: every field given must match the shipment; an empty one always does.

    ``without_hs`` lists HS prefixes (2 to 10 digits) none of the shipment's lines may fall
    under: Korea's USD 200 list clearance holds only for a parcel with no goods of the
    general-clearance chapters. A line without an HS code falls under no prefix.
    """

    mode: tuple[Mode, ...] | None = None
    ship_from: Countries = None
    origin: Countries = None
    destination: Countries = None
    region: Regions = None
    gift: bool | None = None
    seller_registered: bool | None = None
    without_hs: HsPrefixes = None

    def describe(self) -> str:
        """The condition in words, e.g. ``mode courier, ship_from US/MX``."""
        parts = []
        for key in ("mode", "ship_from", "origin", "destination", "region"):
            values = getattr(self, key)
            if values is not None:
                parts.append(f"{key} {'/'.join(values)}")
        if self.gift is not None:
            parts.append("gift" if self.gift else "not a gift")
        if self.seller_registered is not None:
            parts.append(f"seller {'' if self.seller_registered else 'not '}registered")
        if self.without_hs is not None:
            parts.append(f"no goods of HS {'/'.join(self.without_hs)}")
        return ", ".join(parts) or "always"


class Threshold(Sourced):
    """A de minimis threshold for duty or tax, and how consignments at or under it are relieved.

    ``relief = "exempt"`` waives the charge; ``relief = "sale"`` keeps it due but moves its
    collection to the point of sale (the seller or marketplace collects it, as Australia's GST
    on low-value goods). The first threshold of its kind whose ``when`` matches is the one
    applied; order them from the most specific to the general.
    A ``"sale"`` threshold holds only for a seller registered in the destination's scheme
    (``Shipment.seller_registered`` true or not given): for an unregistered seller it is passed
    over, and the next threshold that matches (or none: the charge at the border) applies.
    """

    name: str = Field(min_length=1)
    applies_to: Literal["duty", "tax"]
    amount: Money
    inclusive: bool
    measure: Measure = "customs_value"
    scope: Scope = "consignment"
    relief: Relief = "exempt"
    when: Condition = Condition()

    def admits(self, value: Decimal, quantity: int = 1) -> bool:
        """Whether a value (of ``quantity`` units, for per-item scope) is within the threshold."""
        limit = self.amount * quantity
        return value <= limit if self.inclusive else value < limit

    @property
    def comparison(self) -> str:
        """The comparison sign the threshold uses, for explanations."""
        return "<=" if self.inclusive else "<"


class Category(_Frozen):
    """A tariff category: one rate for many HS codes (Canada's heading 98.25 baskets, Japan's rows).

    Exactly one of ``rate`` (ad valorem on the line's customs value), ``amount`` (a specific
    duty ``per`` unit, kg, litre or litre of pure alcohol) or ``item_rate`` (charge the line's
    own general MFN rate) says what the category charges. Lines join it by explicit
    ``category``, by the longest matching ``hs_prefixes``, or by their MFN rate falling in
    ``[mfn_min, mfn_max]``.
    """

    name: str = Field(min_length=1)
    rate: Rate | None = None
    amount: Money | None = None
    per: Per = "item"
    item_rate: bool = False
    hs_prefixes: tuple[HsPrefix, ...] = ()
    mfn_min: Rate | None = None
    mfn_max: Rate | None = None
    source: SourceRefs = ()
    unconfirmed: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _one_charge(self) -> Category:
        given = [self.rate is not None, self.amount is not None, self.item_rate]
        if sum(given) != 1:
            raise custom(
                "category_charge",
                "exactly one of rate, amount or item_rate = true",
                "none" if not any(given) else "several",
                field="rate",
            )
        if self.per == "shipment" or self.per == "subheading":
            raise custom(
                "category_per",
                "per = 'item', 'kg', 'litre' or 'litre_alcohol'",
                self.per,
                field="per",
            )
        if self.mfn_min is not None and self.mfn_max is not None and self.mfn_min > self.mfn_max:
            raise custom(
                "mfn_band",
                f"mfn_min <= mfn_max; cannot have mfn_max={self.mfn_max} < mfn_min={self.mfn_min}",
                "",
                field="mfn_max",
            )
        return self


class MfnDuty(Sourced):
    """The general tariff: each line's own MFN ad valorem rate (``Item.duty_rate``)."""

    kind: Literal["mfn"]


class FreeDuty(Sourced):
    """No customs duty."""

    kind: Literal["free"]


class FlatDuty(Sourced):
    """GEA option 1: one flat duty, no product-specific rates.

    Either one ad valorem ``rate`` on the customs value, or a fixed ``amount`` per shipment,
    per item or per distinct 6-digit subheading (the EU's EUR 3 from 2026-07-01).
    """

    kind: Literal["flat"]
    rate: Rate | None = None
    amount: Money | None = None
    per: Literal["shipment", "item", "subheading"] = "shipment"
    deduction: Money = Decimal(0)

    @model_validator(mode="after")
    def _rate_or_amount(self) -> FlatDuty:
        if (self.rate is None) == (self.amount is None):
            raise custom("flat_charge", "exactly one of rate or amount", "", field="rate")
        if self.deduction and self.rate is None:
            raise custom(
                "flat_deduction",
                "a deduction only with an ad valorem rate",
                self.deduction,
                field="deduction",
            )
        return self


class CategoryDuty(Sourced):
    """GEA option 2: a handful of categories, each one charge, instead of thousands of HS lines.

    A line with no category falls in ``default``; with no default, in the general tariff.
    """

    kind: Literal["categories"]
    categories: tuple[Category, ...] = Field(min_length=1)
    default: str | None = None

    @model_validator(mode="after")
    def _names(self) -> CategoryDuty:
        names = [c.name for c in self.categories]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise custom(
                "category_names", "unique category names", ", ".join(duplicates), field="categories"
            )
        if self.default is not None and self.default not in names:
            raise custom(
                "category_default",
                f"one of the category names ({', '.join(names)})",
                self.default,
                field="default",
            )
        return self

    def by_name(self, name: str) -> Category | None:
        """The category called ``name``, if there is one."""
        return next((c for c in self.categories if c.name == name), None)


class RateBand(_Frozen):
    """One band of a specific duty keyed on the line's MFN (or tariff) rate."""

    below: Rate | None = None
    inclusive: bool = False
    amount: Money

    def admits(self, rate: Decimal) -> bool:
        """Whether ``rate`` falls in this band (open-ended when ``below`` is None)."""
        if self.below is None:
            return True
        return rate <= self.below if self.inclusive else rate < self.below


class RateBandDuty(Sourced):
    """A specific duty whose amount depends on the line's rate band (US postal method, 2025).

    ``per = "shipment"`` charges once per consignment at the band of its highest rate;
    ``per = "item"`` charges every unit at the band of its line's rate.
    """

    kind: Literal["rate_bands"]
    bands: tuple[RateBand, ...] = Field(min_length=1)
    per: Literal["shipment", "item"] = "shipment"

    @model_validator(mode="after")
    def _open_last(self) -> RateBandDuty:
        if self.bands[-1].below is not None:
            raise custom(
                "bands_open",
                "the last band open-ended (no 'below')",
                self.bands[-1].below,
                field="bands",
            )
        return self


DutyMethod = Annotated[
    MfnDuty | FreeDuty | FlatDuty | CategoryDuty | RateBandDuty, Field(discriminator="kind")
]


class LowValueDuty(Sourced):
    """A simplified duty for consignments at or under ``ceiling``; above it the general applies."""

    ceiling: Money
    inclusive: bool = True
    measure: Measure = "customs_value"
    method: DutyMethod

    def admits(self, value: Decimal) -> bool:
        """Whether a consignment of this value is in the low-value band."""
        return value <= self.ceiling if self.inclusive else value < self.ceiling


class MinCollectable(Sourced):
    """An amount of duty or tax too small to collect (Canada's CAD 2, Switzerland's CHF 5)."""

    amount: Money
    inclusive: bool = True

    def waives(self, amount: Decimal) -> bool:
        """Whether ``amount`` is small enough not to be collected."""
        return amount <= self.amount if self.inclusive else amount < self.amount


class SpecialDuty(Sourced):
    """A duty method for the shipments that meet a condition and, optionally, a value ceiling.

    The first special whose ``when`` and ceiling hold replaces the general method (US postal
    items after 2026-02-24; Brazil's simplified regime up to USD 50 and up to USD 3,000).
    """

    name: str = Field(min_length=1)
    when: Condition = Condition()
    ceiling: Money | None = None
    inclusive: bool = True
    measure: Measure = "customs_value"
    method: DutyMethod

    def admits(self, value: Decimal) -> bool:
        """Whether a consignment of this value is under the ceiling (always, with none)."""
        if self.ceiling is None:
            return True
        return value <= self.ceiling if self.inclusive else value < self.ceiling


class Surcharge(Sourced):
    """A charge levied on the duty: ``rate`` x the line's duty, added to it.

    So it also enters a tax base that counts the duty. India's Social Welfare Surcharge: 10% of
    the basic customs duty (not on gifts). Levied on the shipments its ``when`` holds for.
    """

    name: str = Field(min_length=1)
    rate: Rate
    when: Condition = Condition()


class DutyRule(_Frozen):
    """Customs duty: the general method, specials by condition, a low-value method, a minimum.

    Precedence for a line not relieved by a threshold: the low-value method (under its
    ceiling, unless the goods are excluded from it), else the first matching special, else
    the general method.
    """

    general: DutyMethod
    special: tuple[SpecialDuty, ...] = ()
    low_value: LowValueDuty | None = None
    min_collectable: MinCollectable | None = None
    surcharges: tuple[Surcharge, ...] = ()


class RegionalRate(Sourced):
    """A tax rate for one region (a Canadian province) or destination (an EU member state)."""

    key: Annotated[str, BeforeValidator(_key)] = Field(min_length=1)
    rate: Rate


class TaxCategory(Sourced):
    """A tax rate for goods by HS prefix (zero-rated books, a reduced food rate)."""

    name: str = Field(min_length=1)
    rate: Rate
    hs_prefixes: tuple[HsPrefix, ...] = Field(min_length=1)


class TaxComponent(Sourced):
    """One part of a tax computed and rounded on its own (Japan's national and local tax).

    Either a ``rate`` on the tax base, or a ``ratio`` of an earlier component named by ``of``
    (Japan's local consumption tax is the rounded national tax x 22/78): ``ratio = [22, 78]``
    is exact, where 0.282 would not be.
    """

    name: str = Field(min_length=1)
    rate: Rate | None = None
    of: str | None = None
    ratio: tuple[int, int] | None = None
    quantum: Money | None = None

    @model_validator(mode="after")
    def _rate_or_ratio(self) -> TaxComponent:
        if (self.rate is None) == (self.of is None) or (self.of is None) != (self.ratio is None):
            raise custom(
                "component_kind",
                "either rate, or of with ratio = [numerator, denominator]",
                "",
                field="rate",
            )
        if self.ratio is not None and not (
            0 <= self.ratio[0] <= _MAX_TERM and 0 < self.ratio[1] <= _MAX_TERM
        ):
            raise custom(
                "component_ratio",
                f"a ratio [numerator >= 0, denominator > 0], each at most {_MAX_TERM}",
                list(self.ratio),
                field="ratio",
            )
        return self

    def effective_rate(self, rates: Mapping[str, Fraction]) -> Fraction:
        """The component's rate on the base, given the effective rates of earlier components."""
        if self.rate is not None:
            return Fraction(self.rate)
        assert self.of is not None
        assert self.ratio is not None
        return rates[self.of] * Fraction(self.ratio[0], self.ratio[1])


class Uplift(Sourced):
    """A share of the customs value added to the border tax base.

    South Africa: VAT on the added tax value, customs value + duty + 10% of the customs value.
    """

    rate: Rate


class TaxRule(Sourced):
    """Import VAT, GST or consumption tax: its rate, its base and its minimum.

    ``base`` is the border tax base built from named parts; ``sale_base`` the base when the
    tax is collected at the point of sale; ``registered_base``, if set, the border base for a
    seller known to be registered, who charged the tax on the goods already (New Zealand: GST
    on the duty alone). With ``rate_key``, the rate is looked up in ``rates``
    by the shipment's ``region`` or ``destination``, ``rate`` being the default.
    """

    name: str = Field(min_length=1)
    rate: Rate | None = None
    rate_key: Literal["region", "destination"] | None = None
    rates: tuple[RegionalRate, ...] = ()
    categories: tuple[TaxCategory, ...] = ()
    components: tuple[TaxComponent, ...] = ()
    base: tuple[BasePart, ...] = ("customs_value", "duty")
    sale_base: tuple[BasePart, ...] = ("goods", "shipping", "insurance")
    registered_base: tuple[BasePart, ...] | None = None
    min_collectable: MinCollectable | None = None
    uplift: Uplift | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TaxRule:
        if self.rate is None and not self.rates:
            raise custom("tax_rate", "a rate, or rates with a rate_key", "none", field="rate")
        if self.rates and self.rate_key is None:
            raise custom(
                "tax_rate_key",
                "rate_key = 'region' or 'destination' with rates",
                "none",
                field="rate_key",
            )
        keys = [r.key for r in self.rates]
        for i, key in enumerate(keys):
            ok = key in COUNTRIES if self.rate_key == "destination" else _is_region(key)
            if not ok:
                what = (
                    "an ISO 3166-1 alpha-2 country code (rate_key = 'destination')"
                    if self.rate_key == "destination"
                    else "a region code of 1 to 3 letters or digits (rate_key = 'region')"
                )
                raise custom("tax_key", what, key, field=f"rates[{i}].key")
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise custom("tax_rates", "one rate per key", ", ".join(duplicates), field="rates")
        if self.components:
            effective: dict[str, Fraction] = {}
            for component in self.components:
                if component.of is not None and component.of not in effective:
                    raise custom(
                        "component_of",
                        "the name of an earlier component",
                        component.of,
                        field="components",
                    )
                effective[component.name] = component.effective_rate(effective)
            total = sum(effective.values(), Fraction(0))
            if self.rates or self.categories or self.rate is None or total != self.rate:
                raise custom(
                    "tax_components",
                    f"components whose rates add up to rate "
                    f"({self.rate}) and no regional or category rates",
                    f"{float(total):.6g}",
                    field="components",
                )
        for name in ("base", "sale_base"):
            parts: tuple[str, ...] = getattr(self, name)
            if not parts or len(set(parts)) != len(parts):
                raise custom(
                    "tax_base", "a non-empty list of distinct parts", list(parts), field=name
                )
        return self

    @model_validator(mode="after")
    def _registered_base_parts(self) -> TaxRule:
        parts = self.registered_base
        if parts is not None and (not parts or len(set(parts)) != len(parts)):
            raise custom(
                "tax_base",
                "a non-empty list of distinct parts",
                list(parts),
                field="registered_base",
            )
        return self


class Fee(Sourced):
    """A fixed fee charged to the buyer (a handling fee, a carrier's clearance fee).

    ``min_value`` / ``max_value`` limit it to a value band (EU national parcel fees only up to
    EUR 150): measured on the consignment for a fee per shipment, on each line's value for a
    fee per line or per item (only the lines in the band count). The band is ``min_value <=
    value`` and ``value <= max_value`` (``<`` when ``inclusive`` is false), on ``measure``.
    ``band_scope = "consignment"`` tests a fee per line or item on the consignment's value
    instead (France's EUR 2 per article of a parcel under EUR 150: every line counts).
    """

    name: str = Field(min_length=1)
    amount: Money
    per: Literal["shipment", "item", "line"] = "shipment"
    when: Condition = Condition()
    border_only: bool = False
    min_value: Money | None = None
    max_value: Money | None = None
    inclusive: bool = True
    measure: Measure = "customs_value"
    band_scope: Literal["consignment", "line"] | None = None

    @model_validator(mode="after")
    def _band_scope(self) -> Fee:
        if self.band_scope == "line" and self.per == "shipment":
            raise custom(
                "fee_band_scope",
                "band_scope = 'consignment' (or none) for a fee per shipment",
                self.band_scope,
                field="band_scope",
            )
        return self

    @model_validator(mode="after")
    def _band(self) -> Fee:
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.max_value < self.min_value
        ):
            raise custom("fee_band", "max_value >= min_value", self.max_value, field="max_value")
        return self

    def admits(self, value: Decimal) -> bool:
        """Whether a value (of the consignment or of a line, see ``per``) is in the fee's band."""
        if self.min_value is not None and value < self.min_value:
            return False
        if self.max_value is None:
            return True
        return value <= self.max_value if self.inclusive else value < self.max_value


class Exclusion(Sourced):
    """Goods, by HS prefix, kept out of de minimis relief or the low-value duty (alcohol...)."""

    name: str = Field(min_length=1)
    hs_prefixes: tuple[HsPrefix, ...] = Field(min_length=1)
    excluded_from: tuple[ExcludedFrom, ...] = (
        "duty_relief",
        "tax_relief",
        "low_value_duty",
        "special_duty",
    )
    thresholds: tuple[str, ...] = ()
    """Names of the thresholds and allowances whose relief it excludes from (empty: all).

    Scopes ``duty_relief`` / ``tax_relief`` only (GB: perfume kept out of the GBP 135 rows,
    not out of gift relief); ``low_value_duty`` and ``special_duty`` stand whatever the scope.
    """


class Allowance(Sourced):
    """Relief of the first ``amount`` of a consignment's customs value: duty and tax on the excess.

    Canada's gifts (CAD 60 by mail or courier), travellers' allowances. The first allowance
    whose ``when`` holds applies in place of the thresholds; a line excluded from a kind's
    relief (``duty_relief``, ``tax_relief``) takes no share and pays on its whole value. Up to
    ``amount`` (inclusive) the sharing lines are exempt; above it, the excess is spread over
    them in proportion to customs value, in whole minor units. ``best_of``: the importer may
    choose the thresholds instead when they cost less (the lower total is charged).
    """

    name: str = Field(min_length=1)
    amount: Money = Field(gt=0)
    when: Condition = Condition()
    best_of: bool = False


class Valuation(Sourced):
    """How the customs value is built.

    ``FOB`` counts the goods only, ``CIF`` the goods + transport + insurance, after the goods
    are multiplied by ``factor`` (Japan's 0.6 for personal imports).
    """

    basis: Literal["FOB", "CIF"]
    factor: Factor = Decimal(1)


class Rounding(_Frozen):
    """How amounts are rounded: mode, quantum and whether per line or once per shipment.

    ``duty_quantum`` and ``tax_base_quantum`` override the quantum for duty amounts and for the
    tax base (Japan truncates the base to JPY 1,000 and duty to JPY 100).
    """

    mode: RoundingMode = "ROUND_HALF_UP"
    quantum: Money | None = None
    per: Literal["shipment", "line"] = "shipment"
    duty_quantum: Money | None = None
    tax_base_quantum: Money | None = None
    source: SourceRefs = ()
    unconfirmed: bool = False
    note: str = ""

    @field_validator("quantum", "duty_quantum", "tax_base_quantum")
    @classmethod
    def _positive(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value <= 0:
            raise custom("quantum", 'a positive quantum such as "0.01"', value)
        return value


class CategoryTable(Sourced):
    """A named category table shipped with a regime, ready for :func:`options.category_tariff`."""

    categories: tuple[Category, ...] = Field(min_length=1)
    default: str | None = None
    ceiling: Money | None = None


class RuleVersion(_Frozen, Dated):
    """A regime as it stood over ``[valid_from, valid_to)``; ``valid_to`` None means still open.

    ``min_collectable`` here applies to duty and tax together (one payment), where the duty
    and tax rules' own minimums apply to each alone.
    """

    label: str = ""
    valuation: Valuation
    thresholds: tuple[Threshold, ...] = ()
    allowances: tuple[Allowance, ...] = ()
    duty: DutyRule
    tax: TaxRule | None = None
    fees: tuple[Fee, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    rounding: Rounding = Rounding()
    min_collectable: MinCollectable | None = None
    note: str = ""

    @model_validator(mode="after")
    def _tax_base_once(self) -> RuleVersion:
        if self.tax is not None and self.valuation.basis == "CIF":
            for part in ("shipping", "insurance"):
                if part in self.tax.base and "customs_value" in self.tax.base:
                    raise custom(
                        "tax_base_double",
                        f"a tax base that counts {part} once: with "
                        "CIF valuation the customs value already includes it",
                        list(self.tax.base),
                        location="tax",
                        field="base",
                    )
        return self

    @model_validator(mode="after")
    def _registered_base_once(self) -> RuleVersion:
        base = None if self.tax is None else self.tax.registered_base
        if base is not None and self.valuation.basis == "CIF" and "customs_value" in base:
            for part in ("shipping", "insurance"):
                if part in base:
                    raise custom(
                        "tax_base_double",
                        f"a tax base that counts {part} once: with "
                        "CIF valuation the customs value already includes it",
                        list(base),
                        location="tax",
                        field="registered_base",
                    )
        return self

    @model_validator(mode="after")
    def _exclusion_scopes(self) -> RuleVersion:
        names = {t.name for t in self.thresholds} | {a.name for a in self.allowances}
        for k, exclusion in enumerate(self.exclusions):
            for name in exclusion.thresholds:
                if name not in names:
                    raise custom(
                        "exclusion_scope",
                        f"the name of a threshold or allowance of this version "
                        f"({', '.join(sorted(names)) or 'none'})",
                        name,
                        location=f"exclusions[{k}]",
                        field="thresholds",
                    )
        return self


class RuleSet(_Frozen):
    """A regime's complete dated history: what ``load_rules`` returns and the options transform.

    >>> from lvs_duty import load_rules
    >>> import datetime as dt
    >>> load_rules("CA").at(dt.date(2026, 1, 1)).valuation.basis
    'FOB'
    """

    code: str = Field(pattern=r"^[A-Z][A-Za-z0-9_+\-]*$")
    name: str = Field(min_length=1)
    currency: Currency
    description: str = ""
    sources: Annotated[dict[str, Source], AfterValidator(_read_only)] = Field(
        default_factory=ReadOnlyDict
    )
    versions: tuple[RuleVersion, ...] = Field(min_length=1)
    category_tables: Annotated[dict[str, CategoryTable], AfterValidator(_read_only)] = Field(
        default_factory=ReadOnlyDict
    )

    @model_validator(mode="after")
    def _history_and_sources(self) -> RuleSet:
        problems = history_problems(self.versions) + _source_problems(self)
        if problems:
            raise custom(
                "rule_set",
                f"a consistent rule set ({len(problems)} problems)",
                problems=tuple(problems),  # type: ignore[arg-type]
            )
        return self

    def at(self, on: dt.date) -> RuleVersion:
        """The version in force on ``on``; raises NotInForceError naming the covered periods."""
        version = in_force(self.versions, on)
        if version is None:
            raise NotInForceError(self.code, on.isoformat(), [v.period for v in self.versions])
        return version

    @property
    def minor_unit(self) -> Decimal:
        """The regime currency's minor unit, the default rounding quantum."""
        return minor_unit(self.currency)

    def source_of(self, refs: tuple[str, ...]) -> tuple[Source, ...]:
        """The Source records for a tuple of source ids (unknown ids are refused on load)."""
        return tuple(self.sources[ref] for ref in refs if ref in self.sources)

    @classmethod
    def build(cls, data: Mapping[str, Any], *, file: str = "<in code>") -> RuleSet:
        """Validate a plain mapping into a RuleSet; raise RuleFileError listing every problem."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise RuleFileError(file, problems_from(exc, data)) from None


# Short reprs (cli, issue 14): a rule set or version in one line in notebooks, where every
# field made them 16 KB. pydantic builds __repr__, __str__ and __rich_repr__ from these.
class _Bare(str):
    def __repr__(self) -> str:
        return str(self)


def _span(versions: tuple[RuleVersion, ...]) -> _Bare:
    return _Bare(f"{versions[0].valid_from}..{versions[-1].valid_to or ''}")


def _rule_set_repr_args(self: RuleSet) -> Iterator[tuple[str | None, Any]]:
    yield from (("code", self.code), ("name", self.name), ("currency", self.currency))
    yield from (("versions", len(self.versions)), (None, _span(self.versions)))


def _version_repr_args(self: RuleVersion) -> Iterator[tuple[str | None, Any]]:
    yield from ((None, _span((self,))), ("label", self.label))


RuleSet.__repr_args__ = _rule_set_repr_args  # type: ignore[method-assign,assignment]
RuleVersion.__repr_args__ = _version_repr_args  # type: ignore[method-assign,assignment]


def rule_file_schema() -> dict[str, Any]:
    """The rule-file format as a JSON Schema (draft 2020-12), for editors and other tools.

    It accepts every bundled file read as JSON (dates as ``YYYY-MM-DD`` strings, decimals as
    strings or numbers). It checks shapes and types; the cross-checks (contiguous versions,
    known source ids, codes) need the loader: ``lvs-duty rules check FILE``.
    """
    schema = RuleSet.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://lvs-duty.invalid/rule-file.schema.json",
        **schema,
        "title": "lvs_duty rule file",
        "description": (
            "A regime's dated duty and tax rules (data/tariff_categories/*.toml). Generated from "
            "lvs_duty.rules.RuleSet by lvs_duty.rules.rule_file_schema()."
        ),
    }


def covered_destinations(rules: RuleSet, version: RuleVersion) -> frozenset[str] | None:
    """The destinations a version covers, or None when its rules name no country.

    A rule set covers the country its code starts with (``CA``, ``CA+flat``, ``CA-draft``,
    ``US_POSTAL_SPECIFIC``)
    and the countries its tax is keyed on by destination (the EU member states). A user's
    own rule set whose code names no country (``TOY``) and keys no rate by destination covers
    any destination.
    """
    home = re.split(r"[+_\-]", rules.code)[0]  # "CA+flat", "US_POSTAL_SPECIFIC", "CA-draft"
    covered = {home} if home in COUNTRIES else set()
    tax = version.tax
    if tax is not None and tax.rate_key == "destination" and (covered or tax.rate is None):
        covered.update(r.key for r in tax.rates)
    return frozenset(covered) or None


def known_regions(rules: RuleSet, version: RuleVersion) -> frozenset[str] | None:
    """The regions a version knows, or None when no rule of it depends on the region.

    Those are the regions its rates and conditions name, and the ISO 3166-2 subdivisions of
    the countries it covers (Quebec has no HST row but is a Canadian province).
    """
    conditions = [t.when for t in version.thresholds] + [s.when for s in version.duty.special]
    conditions += [f.when for f in version.fees]
    conditions += [a.when for a in version.allowances] + [s.when for s in version.duty.surcharges]
    named = {r for c in conditions for r in (c.region or ())}
    tax = version.tax
    keyed = tax is not None and tax.rate_key == "region"
    if not named and not keyed:
        return None
    if tax is not None and keyed:
        named.update(r.key for r in tax.rates)
    for country in covered_destinations(rules, version) or ():
        named.update(subdivisions(country))
    return frozenset(named)


def coverage_problem(
    rules: RuleSet, version: RuleVersion, destination: str, region: str | None
) -> Problem | None:
    """Why a shipment's destination or region is outside a version's rules, if it is."""
    covered = covered_destinations(rules, version)
    if covered is not None and destination not in covered:
        listed = ", ".join(sorted(covered))
        which = listed if len(covered) == 1 else f"one of {listed}"
        return Problem(
            "",
            "destination",
            f"{which} (the countries {rules.code} rules cover; assess a shipment under the "
            "rules of its destination)",
            repr(destination),
        )
    known = known_regions(rules, version)
    if region is not None and known is not None and region not in known:
        return Problem(
            "",
            "region",
            f"one of {', '.join(sorted(known))} (the regions {rules.code} rules know)",
            repr(region),
        )
    return None


def check_coverage(rules: RuleSet, version: RuleVersion, shipment: Any) -> None:
    """Refuse, by name, a shipment whose destination or region the version does not cover."""
    problem = coverage_problem(rules, version, shipment.destination, shipment.region)
    if problem is not None:
        raise ShipmentError([problem], shipment=shipment.id or "", reason=ReasonCode.NOT_COVERED)


def _source_problems(rules: RuleSet) -> list[Problem]:
    problems = []
    for location, refs in _source_refs_in(rules):
        for ref in refs:
            if ref not in rules.sources:
                known = ", ".join(sorted(rules.sources)) or "none defined"
                problems.append(
                    Problem(
                        location, "source", f"an id defined under [sources] ({known})", repr(ref)
                    )
                )
    return problems


def _source_refs_in(rules: RuleSet) -> Iterator[tuple[str, tuple[str, ...]]]:
    def walk(node: object, path: str) -> Iterator[tuple[str, tuple[str, ...]]]:
        if isinstance(node, BaseModel):
            refs = getattr(node, "source", None)
            if isinstance(refs, tuple) and path:
                yield path, refs
            for name in type(node).model_fields:
                if name != "source":
                    yield from walk(getattr(node, name), f"{path}.{name}" if path else name)
        elif isinstance(node, tuple):
            for i, element in enumerate(node):
                label = getattr(element, "name", None)
                row = f"{path}[{i}]" + (f" ({label!r})" if isinstance(label, str) else "")
                if isinstance(element, RuleVersion):
                    row = f"{path}[{i}] (from {element.valid_from})"
                yield from walk(element, row)
        elif isinstance(node, dict):
            for key, element in node.items():
                yield from walk(element, f"{path}.{key}")

    yield from walk(rules.versions, "versions")
    yield from walk(rules.category_tables, "category_tables")


__all__ = [
    "Allowance",
    "BasePart",
    "Category",
    "CategoryDuty",
    "CategoryTable",
    "Condition",
    "DutyMethod",
    "DutyRule",
    "Exclusion",
    "Fee",
    "FlatDuty",
    "FreeDuty",
    "LowValueDuty",
    "Measure",
    "MfnDuty",
    "MinCollectable",
    "Per",
    "RateBand",
    "RateBandDuty",
    "RegionalRate",
    "Rounding",
    "RuleSet",
    "RuleVersion",
    "Source",
    "Sourced",
    "SpecialDuty",
    "Surcharge",
    "TaxCategory",
    "TaxComponent",
    "TaxRule",
    "Threshold",
    "Uplift",
    "Valuation",
    "check_coverage",
    "coverage_problem",
    "covered_destinations",
    "known_regions",
    "rule_file_schema",
]
