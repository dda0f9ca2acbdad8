"""The rule decisions: *what applies* to a shipment or a line, with no arithmetic.

Both engines ask this module, and only this module, which condition holds, which threshold is
tested, which duty method and category a line falls to, which tax rate applies and which fees
are charged. The scalar path (:mod:`lvs_duty.assess`) asks per line; the frame path
(:mod:`lvs_duty.frame`) asks once per distinct value of a column (an HS code, a region, an MFN
rate) and spreads the answer over the rows with a lookup table. Amounts, rounding and
explanations stay in the engines.

A new rule feature is one function here plus its arithmetic in each engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, get_args

from .rules import (
    Allowance,
    CategoryDuty,
    Condition,
    DutyMethod,
    DutyRule,
    ExcludedFrom,
    Exclusion,
    Fee,
    MfnDuty,
    RegionalRate,
    Relief,
    RuleVersion,
    Surcharge,
    TaxCategory,
    TaxRule,
    Threshold,
)
from .shipment import Shipment

CONDITION_FIELDS: tuple[str, ...] = tuple(Condition.model_fields)
"""The shipment attributes a rule's ``when`` condition can test, in the model's order
(``without_hs`` tests the HS codes of the shipment's lines: :func:`attribute`)."""

EXCLUSION_KINDS: tuple[ExcludedFrom, ...] = get_args(ExcludedFrom)
"""What an exclusion can keep goods out of."""

RELIEFS: tuple[Relief | None, ...] = (None, "exempt", "sale")
"""Reliefs in the order the frame path numbers them (0 none, 1 exempt, 2 sale)."""

UNKNOWN = -2
"""Category index of a line naming a category the table does not have."""
NO_CATEGORY = -1
"""Category index of a line no category of the table takes (it falls back)."""


# -- conditions -------------------------------------------------------------------------------


def allows(condition: Condition, field: str, value: object) -> bool:
    """Whether one attribute of a shipment passes one field of a ``when`` condition.

    For ``without_hs`` the attribute is the HS codes of the shipment's lines (see
    :func:`attribute`): it passes when no line falls under a listed prefix, so a shipment
    passes exactly when each of its lines passes alone (the frame path asks per HS code).
    """
    allowed = getattr(condition, field)
    if allowed is None:
        return True
    if field == "gift":
        return bool(allowed == value)
    if field == "seller_registered":
        return bool(allowed == seller_registered(value if isinstance(value, bool) else None))
    if field == "without_hs":
        codes = value if isinstance(value, tuple) else ()
        return not any(longest_prefix(code, allowed) for code in codes)
    return value in allowed


def attribute(shipment: Shipment, field: str) -> object:
    """What a condition field tests on a shipment: the attribute of that name.

    For ``without_hs``, the tuple of its lines' HS codes (None for a line without one).
    """
    if field == "without_hs":
        return tuple(item.hs_code for item in shipment.items)
    return getattr(shipment, field)


def matches(condition: Condition, shipment: Shipment) -> bool:
    """Whether a rule's ``when`` condition holds for a shipment (every field given matches)."""
    return all(allows(condition, f, attribute(shipment, f)) for f in CONDITION_FIELDS)


def tested_fields(condition: Condition) -> tuple[str, ...]:
    """The fields a condition tests (an empty condition always holds)."""
    return tuple(f for f in CONDITION_FIELDS if getattr(condition, f) is not None)


# -- seller registration ----------------------------------------------------------------------


def seller_registered(value: bool | None) -> bool:
    """Whether a seller counts as registered in the destination's collection scheme.

    None (not known) counts as registered: the assumption every regime made before the field
    existed, named in the explanation.
    """
    return True if value is None else value


def threshold_open(threshold: Threshold, registered: bool) -> bool:
    """Whether a threshold can be the one tested for a seller.

    Relief at sale needs a seller registered in the scheme that collects at sale; any other
    threshold is open to every seller.
    """
    return registered or threshold.relief != "sale"


def for_seller(version: RuleVersion, registered: bool | None) -> RuleVersion:
    """The version a shipment is assessed under, given what is known of its seller.

    A seller known to be registered charged the tax on the goods already: where the tax has a
    ``registered_base`` (New Zealand: GST on the duty alone), that is its border base. Not known
    (None) keeps the version as it is.
    """
    tax = version.tax
    if registered is not True or tax is None or tax.registered_base is None:
        return version
    return version.model_copy(update={"tax": tax.model_copy(update={"base": tax.registered_base})})


# -- thresholds and exclusions ----------------------------------------------------------------


def candidate_thresholds(version: RuleVersion, kind: str) -> tuple[Threshold, ...]:
    """The duty or tax thresholds in the order they are tried.

    The first whose condition holds is the one tested.
    """
    return tuple(t for t in version.thresholds if t.applies_to == kind)


def first_threshold(version: RuleVersion, shipment: Shipment, kind: str) -> Threshold | None:
    """The duty or tax threshold tested for a shipment (None: the charge is due in full)."""
    registered = seller_registered(shipment.seller_registered)
    return next(
        (
            t
            for t in candidate_thresholds(version, kind)
            if matches(t.when, shipment) and threshold_open(t, registered)
        ),
        None,
    )


def relief(threshold: Threshold | None, admitted: bool, excluded: bool) -> Relief | None:
    """The relief a line gets: its threshold's, when admitted and not excluded from relief."""
    if threshold is None or not admitted or excluded:
        return None
    return threshold.relief


def admitted(
    threshold: Threshold,
    consignment: Mapping[str, Decimal],
    lines: Sequence[Mapping[str, Decimal]],
    quantities: Sequence[int],
) -> list[bool]:
    """Which lines a threshold admits.

    All alike on the consignment's value, or each line on its own value against the amount x
    its quantity (per-item scope). ``consignment`` and each of ``lines`` map a measure
    (goods, customs_value, cif) to a value.
    """
    if threshold.scope == "consignment":
        return [threshold.admits(consignment[threshold.measure])] * len(lines)
    return [
        threshold.admits(m[threshold.measure], q) for m, q in zip(lines, quantities, strict=True)
    ]


def longest_prefix(hs_code: object, prefixes: tuple[str, ...]) -> int:
    """Length of the longest of ``prefixes`` that ``hs_code`` starts with (0 when none)."""
    if not isinstance(hs_code, str):
        return 0
    return max((len(p) for p in prefixes if hs_code.startswith(p)), default=0)


def exclusions(version: RuleVersion, hs_code: object) -> frozenset[ExcludedFrom]:
    """What a line's HS code keeps it out of (duty relief, tax relief, low-value, special)."""
    out: set[ExcludedFrom] = set()
    for exclusion in version.exclusions:
        if longest_prefix(hs_code, exclusion.hs_prefixes):
            out.update(k for k in exclusion.excluded_from if everywhere(exclusion, k))
    return frozenset(out)


RELIEF_KINDS: tuple[ExcludedFrom, ...] = ("duty_relief", "tax_relief")
"""The exclusion kinds an exclusion's ``thresholds`` can scope."""


def everywhere(exclusion: Exclusion, kind: ExcludedFrom) -> bool:
    """Whether an exclusion keeps goods out of ``kind`` under every threshold (not scoped)."""
    return not exclusion.thresholds or kind not in RELIEF_KINDS


def excluded_under(version: RuleVersion, hs_code: object, name: str) -> frozenset[ExcludedFrom]:
    """The reliefs a line's HS code is kept out of by exclusions scoped to threshold ``name``.

    Adds to :func:`exclusions` (which leaves scoped reliefs out): a threshold or allowance
    named in an exclusion's ``thresholds`` does not relieve the goods it lists.
    """
    out: set[ExcludedFrom] = set()
    for exclusion in version.exclusions:
        if name in exclusion.thresholds and longest_prefix(hs_code, exclusion.hs_prefixes):
            out.update(k for k in exclusion.excluded_from if k in RELIEF_KINDS)
    return frozenset(out)


# -- duty method and category -----------------------------------------------------------------


def duty_method(
    version: RuleVersion,
    in_low: bool,
    special: DutyMethod | None,
    excluded: frozenset[ExcludedFrom],
) -> DutyMethod:
    """The duty method of a line a threshold does not exempt, by precedence.

    The low-value method under its ceiling, else the special method that applies to the
    shipment (if any), else the general method; an exclusion skips the first two.
    """
    low = version.duty.low_value
    if low is not None and in_low and "low_value_duty" not in excluded:
        return low.method
    if special is not None and "special_duty" not in excluded:
        return special
    return version.duty.general


def fallback(version: RuleVersion, table: CategoryDuty) -> DutyMethod:
    """Where the lines no category of ``table`` takes go.

    The general method, or the MFN tariff when the table is itself the general method.
    """
    general = version.duty.general
    if general is not table:
        return general
    return MfnDuty(kind="mfn", source=table.source)


def category_named(method: CategoryDuty, name: object) -> int:
    """Index of the category a line names, :data:`NO_CATEGORY` when none, :data:`UNKNOWN`."""
    if not isinstance(name, str):
        return NO_CATEGORY
    return next((k for k, c in enumerate(method.categories) if c.name == name), UNKNOWN)


def category_by_hs(method: CategoryDuty, hs_code: object) -> tuple[int, int]:
    """The category with the longest HS prefix of the code (first on a tie), and its length.

    (:data:`NO_CATEGORY`, 0) when none matches.
    """
    best, best_len = NO_CATEGORY, 0
    for k, category in enumerate(method.categories):
        length = longest_prefix(hs_code, category.hs_prefixes)
        if length > best_len:
            best, best_len = k, length
    return best, best_len


def category_by_band(method: CategoryDuty, mfn: object) -> int:
    """The category whose MFN band admits the rate, else :data:`NO_CATEGORY`.

    On an overlap, the nearest category rate (the first on a tie).
    """
    best, gap = NO_CATEGORY, Fraction(-1)
    if not isinstance(mfn, Decimal):
        return best
    for k, c in enumerate(method.categories):
        if c.rate is None or (c.mfn_min is None and c.mfn_max is None):
            continue
        if (c.mfn_min is not None and mfn < c.mfn_min) or (
            c.mfn_max is not None and mfn > c.mfn_max
        ):
            continue
        distance = abs(Fraction(mfn) - Fraction(c.rate))
        if gap < 0 or distance < gap:
            best, gap = k, distance
    return best


def category_default(method: CategoryDuty) -> int:
    """Index of the table's default category, or :data:`NO_CATEGORY`."""
    return NO_CATEGORY if method.default is None else category_named(method, method.default)


CLASSIFICATION_ORDER: tuple[str, ...] = ("named", "hs", "band", "default")
"""How a line finds its category, first first: the category it names, the longest HS prefix,
the MFN band, the table's default (the keys of :func:`classify`'s ``by``)."""


def classified_by(by: Mapping[str, int]) -> str | None:
    """Which way of :data:`CLASSIFICATION_ORDER` chose a line's category (None: no category)."""
    return next((how for how in CLASSIFICATION_ORDER if by[how] != NO_CATEGORY), None)


def _pick(take: bool, chosen: int, otherwise: int) -> int:
    return chosen if take else otherwise


def classify(by: Mapping[str, Any], where: Callable[..., Any] = _pick) -> Any:
    """The category index of a line, from the index each way of classification gives.

    ``by`` maps each of :data:`CLASSIFICATION_ORDER`; the frame path passes index arrays and
    ``numpy.where``.
    """
    out: Any = NO_CATEGORY
    for how in reversed(CLASSIFICATION_ORDER):
        out = where(by[how] != NO_CATEGORY, by[how], out)
    return out


# -- tax --------------------------------------------------------------------------------------


def tax_category(tax: TaxRule, hs_code: object) -> TaxCategory | None:
    """The tax category with the longest HS prefix of the code (first on a tie), if any."""
    best, best_len = None, 0
    for category in tax.categories:
        length = longest_prefix(hs_code, category.hs_prefixes)
        if length > best_len:
            best, best_len = category, length
    return best


def regional_rate(tax: TaxRule, key: object) -> RegionalRate | None:
    """The regional rate for a region or destination, if the tax has one for it."""
    return next((r for r in tax.rates if r.key == key), None)


def shipment_tax_rate(tax: TaxRule, key: object) -> tuple[Decimal | None, RegionalRate | None]:
    """The tax rate of a shipment's lines no tax category takes, and its regional record.

    Its regional rate, else the tax's own rate; (None, None) when that is missing too.
    """
    if tax.rate_key is not None:
        regional = regional_rate(tax, key)
        if regional is not None:
            return regional.rate, regional
    return tax.rate, None


# -- fees -------------------------------------------------------------------------------------


def fee_applies(fee: Fee, condition_holds: bool, collected_at_border: bool) -> bool:
    """Whether a fee is charged on a shipment.

    Its condition holds, and a fee charged only with a border collection has one.
    """
    return condition_holds and (collected_at_border or not fee.border_only)


def fee_measured_on(fee: Fee) -> Literal["shipment", "line"]:
    """Which value a fee's value band is tested on.

    The consignment's for a fee per shipment, each line's for a fee per line or per item (a
    line outside the band is not counted), unless the fee's ``band_scope`` says otherwise.
    """
    if fee.band_scope is not None:
        return "shipment" if fee.band_scope == "consignment" else "line"
    return "shipment" if fee.per == "shipment" else "line"


# -- allowances (excess-only relief) ---------------------------------------------------------


def first_allowance(version: RuleVersion, shipment: Shipment) -> Allowance | None:
    """The allowance that applies to a shipment: the first whose condition holds (or None)."""
    return next((a for a in version.allowances if matches(a.when, shipment)), None)


def shares_allowance(excluded: bool) -> bool:
    """Whether a line takes a share of an allowance for a kind (duty or tax).

    A line excluded from that kind's relief does not: it pays on its whole value.
    """
    return not excluded


def allowance_relief(within: bool, shares: bool) -> Relief | None:
    """A line's relief under an allowance: exempt when it shares and the shared value is within.

    Otherwise none: charged on its share of the excess, or on its whole value.
    """
    return "exempt" if within and shares else None


def keeps_allowance(allowance: Allowance, cheaper_without: bool) -> bool:
    """Whether the allowance's assessment stands.

    Always, unless the allowance is ``best_of`` and the assessment without it (by the
    thresholds) has a strictly lower total: on a tie the allowance stands.
    """
    return not (allowance.best_of and cheaper_without)


# -- charges on charges: a surcharge on the duty, a tax base uplift ------------------------


def surcharges_on(duty: DutyRule, shipment: Shipment) -> tuple[Surcharge, ...]:
    """The surcharges levied on a shipment's duty: those whose condition holds."""
    return tuple(s for s in duty.surcharges if matches(s.when, shipment))


def surcharge_factor(surcharges: Sequence[Surcharge]) -> Decimal:
    """What a line's duty is multiplied by for the surcharges levied on it.

    1 + the sum of their rates: each is a share of the duty itself, not of another surcharge.
    """
    return sum((s.rate for s in surcharges), Decimal(1))


def uplift_rate(tax: TaxRule, point: str) -> Decimal:
    """The share of the customs value added to a tax base collected at ``point``.

    The uplift's rate at the border ("border"); 0 at the point of sale (not an import tax base).
    """
    if tax.uplift is None or point != "border":
        return Decimal(0)
    return tax.uplift.rate


__all__ = [
    "CLASSIFICATION_ORDER",
    "CONDITION_FIELDS",
    "EXCLUSION_KINDS",
    "NO_CATEGORY",
    "RELIEFS",
    "RELIEF_KINDS",
    "UNKNOWN",
    "admitted",
    "allowance_relief",
    "allows",
    "attribute",
    "candidate_thresholds",
    "category_by_band",
    "category_by_hs",
    "category_default",
    "category_named",
    "classified_by",
    "classify",
    "duty_method",
    "everywhere",
    "excluded_under",
    "exclusions",
    "fallback",
    "fee_applies",
    "fee_measured_on",
    "first_allowance",
    "first_threshold",
    "for_seller",
    "keeps_allowance",
    "longest_prefix",
    "matches",
    "regional_rate",
    "relief",
    "seller_registered",
    "shares_allowance",
    "shipment_tax_rate",
    "surcharge_factor",
    "surcharges_on",
    "tax_category",
    "tested_fields",
    "threshold_open",
    "uplift_rate",
]
