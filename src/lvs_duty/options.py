"""The three GEA policy options as pure transforms: baseline RuleSet in, new RuleSet out.

The Global Express Association's proposal to the WTO's working group on small businesses
(2021) set out three ways of taxing low-value shipments. Each function here applies one to
every version of a baseline regime and returns a new rule set; the baseline is never touched.

Semantics shared by all three: for a consignment whose value is at or below ``ceiling`` (in
the regime currency, measured on the customs value unless ``measure`` says otherwise) the
option's duty rule replaces the baseline's; above it the baseline applies unchanged. Baseline
de minimis thresholds still apply unless the option overrides them (option 3 does).

Sources:
    Global Express Association, "Proposal on Duty/Tax Collection on Imported Low Value
    Shipments"; summarised in ITC/WTO, Trade4MSMEs guide "Express consignments and low-value
    shipments".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, Protocol

from pydantic import ValidationError

from ._validation import problems_from
from .errors import ArgumentError, RuleFileError
from .money import own_context, to_decimal
from .rules import (
    Category,
    CategoryDuty,
    FlatDuty,
    LowValueDuty,
    Measure,
    RuleSet,
    RuleVersion,
    Source,
    TaxRule,
    Threshold,
)

GEA_SOURCE_ID = "gea-2021"
GEA_SOURCE = Source(
    title="Global Express Association, Proposal on Duty/Tax Collection on Imported Low Value "
    "Shipments (three options), as summarised by ITC/WTO Trade4MSMEs",
    url="https://trade4msmes.org/guides/express-consignments-and-low-value-shipments/",
    note="Policy template: the parameters are the analyst's, not law.",
)

#: Illustrative categories for option 2 when the baseline ships no category table of its own:
#: apparel, textiles and footwear in one band (as Canada's 20% basket), books and electronics
#: free, everything else in a middle band. Policy parameters, not law.
DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category(
        name="apparel_footwear",
        rate=Decimal("0.20"),
        hs_prefixes=tuple(str(ch) for ch in range(50, 65)),
    ),
    Category(name="free", rate=Decimal("0"), hs_prefixes=("49", "84", "85", "90")),
    Category(name="general", rate=Decimal("0.08")),
)
DEFAULT_FLAT_RATE = Decimal("0.10")


class PolicyOption(Protocol):
    """The shape of every policy option: a baseline and keyword parameters in, a RuleSet out."""

    def __call__(self, baseline: RuleSet, /, *, ceiling: Any, **params: Any) -> RuleSet:
        """Return a new rule set; never modify ``baseline``."""
        ...


def _check_baseline(function: str, baseline: object) -> RuleSet:
    if not isinstance(baseline, RuleSet):
        raise ArgumentError(
            function, "baseline", "a RuleSet (see lvs_duty.load_rules)", type(baseline).__name__
        )
    return baseline


def _amount(function: str, name: str, value: object, *, rate: bool = False) -> Decimal:
    try:
        result = to_decimal(value, name)
    except (TypeError, ValueError):
        raise ArgumentError(function, name, "a Decimal, int or str (not a float)", value) from None
    if result < 0 or (rate and result > 1):
        expected = "a rate between 0 and 1" if rate else "a non-negative amount"
        raise ArgumentError(function, name, expected, value)
    return result


def _transform(baseline: RuleSet, suffix: str, name: str, change: Any) -> RuleSet:
    """Apply ``change(version) -> dict of updates`` to every version; validate the result."""
    data = baseline.model_dump(mode="python", round_trip=True)
    data["code"] = f"{baseline.code}+{suffix}"
    data["name"] = f"{baseline.name}: {name}"
    data["sources"] = {**data["sources"], GEA_SOURCE_ID: GEA_SOURCE.model_dump()}
    data["versions"] = [
        {**version_data, **change(version)}
        for version, version_data in zip(baseline.versions, data["versions"], strict=True)
    ]
    return RuleSet.build(data, file=f"<{suffix} option of {baseline.code}>")


def _low_value(ceiling: Decimal, inclusive: bool, measure: Measure, method: Any) -> dict[str, Any]:
    return LowValueDuty(
        ceiling=ceiling,
        inclusive=inclusive,
        measure=measure,
        method=method,
        source=(GEA_SOURCE_ID,),
    ).model_dump(round_trip=True)


def flat_rate(
    baseline: RuleSet,
    *,
    rate: Decimal | int | str | None = None,
    amount: Decimal | int | str | None = None,
    per: Literal["shipment", "item", "subheading"] = "shipment",
    ceiling: Decimal | int | str,
    inclusive: bool = True,
    measure: Measure = "customs_value",
) -> RuleSet:
    """GEA option 1: one flat duty at or below ``ceiling``, no product-specific duties.

    Either an ad valorem ``rate`` on the customs value, or a fixed ``amount`` per
    ``"shipment"``, ``"item"`` or ``"subheading"`` (distinct 6-digit HS subheading, as the
    EU's EUR 3 from 2026-07-01). No HS classification is needed except per subheading.

    >>> from lvs_duty import load_rules
    >>> option = flat_rate(load_rules("AU"), rate="0.05", ceiling=1000)
    >>> option.code, option.versions[-1].duty.low_value.method.rate
    ('AU+flat', Decimal('0.05'))
    """
    fn = "flat_rate"
    _check_baseline(fn, baseline)
    if (rate is None) == (amount is None):
        raise ArgumentError(
            fn,
            "rate/amount",
            "exactly one of rate= or amount=",
            f"rate={rate!r}, amount={amount!r}",
        )
    if per not in ("shipment", "item", "subheading"):
        raise ArgumentError(fn, "per", "'shipment', 'item' or 'subheading'", per)
    limit = _amount(fn, "ceiling", ceiling)
    method = FlatDuty(
        kind="flat",
        rate=None if rate is None else _amount(fn, "rate", rate, rate=True),
        amount=None if amount is None else _amount(fn, "amount", amount),
        per=per,
        source=(GEA_SOURCE_ID,),
    )
    return _transform(
        baseline,
        "flat",
        "GEA option 1, flat rate",
        lambda v: {
            "duty": {
                **v.duty.model_dump(round_trip=True),
                "low_value": _low_value(limit, inclusive, measure, method),
            }
        },
    )


def category_tariff(
    baseline: RuleSet,
    *,
    categories: Sequence[Category | Mapping[str, Any]] | None = None,
    ceiling: Decimal | int | str | None = None,
    default: str | None = None,
    inclusive: bool = True,
    measure: Measure = "customs_value",
) -> RuleSet:
    """GEA option 2: a Canadian-style category tariff at or below ``ceiling``.

    ``categories`` are :class:`~lvs_duty.rules.Category` (or dicts with ``name``, ``rate``,
    ``hs_prefixes``); the longest HS prefix wins, an item may name its category, and an item
    matching none falls in ``default`` (or, with no default, in the general tariff). Without
    ``categories`` the baseline's own first category table is used (Canada's 98.25 baskets),
    else :data:`DEFAULT_CATEGORIES`.
    """
    fn = "category_tariff"
    _check_baseline(fn, baseline)
    table = next(iter(baseline.category_tables.values()), None)
    if categories is None:
        cats: tuple[Category, ...] = table.categories if table else DEFAULT_CATEGORIES
        if default is None:
            default = table.default if table else "general"
        if ceiling is None and table is not None:
            ceiling = table.ceiling
    else:
        cats = tuple(_category(fn, i, c) for i, c in enumerate(categories))
        if not cats:
            raise ArgumentError(fn, "categories", "at least one category", "[]")
    if ceiling is None:
        raise ArgumentError(fn, "ceiling", "the value at or below which the categories apply", None)
    limit = _amount(fn, "ceiling", ceiling)
    names = [c.name for c in cats]
    if default is not None and default not in names:
        raise ArgumentError(
            fn, "default", f"one of the category names ({', '.join(names)})", default
        )
    method = CategoryDuty(
        kind="categories", categories=cats, default=default, source=(GEA_SOURCE_ID,)
    )
    return _transform(
        baseline,
        "categories",
        "GEA option 2, category tariff",
        lambda v: {
            "duty": {
                **v.duty.model_dump(round_trip=True),
                "low_value": _low_value(limit, inclusive, measure, method),
            }
        },
    )


def _category(fn: str, index: int, value: Category | Mapping[str, Any]) -> Category:
    if isinstance(value, Category):
        return value
    if isinstance(value, Mapping):
        try:
            return Category.model_validate(dict(value))
        except ValidationError as exc:
            raise RuleFileError(f"{fn}: categories[{index}]", problems_from(exc, value)) from None
    raise ArgumentError(
        fn,
        f"categories[{index}]",
        "a Category or a dict with name, rate and hs_prefixes",
        type(value).__name__,
    )


def duty_free_vat(
    baseline: RuleSet,
    *,
    ceiling: Decimal | int | str,
    rate: Decimal | int | str | None = None,
    inclusive: bool = True,
    measure: Measure = "customs_value",
) -> RuleSet:
    """GEA option 3: no duty at or below ``ceiling``; VAT/GST from the first cent, at sale.

    Replaces the baseline's duty and tax thresholds (gift reliefs are kept) with one duty
    exemption and one collection-at-sale threshold at ``ceiling``, as Australia since 2018;
    an exclusion scoped to a replaced threshold applies to its replacements instead.
    ``rate`` overrides the baseline's tax rate (and is required when the baseline has no tax).
    """
    fn = "duty_free_vat"
    _check_baseline(fn, baseline)
    limit = _amount(fn, "ceiling", ceiling)
    new_rate = None if rate is None else _amount(fn, "rate", rate, rate=True)
    if new_rate is None and any(v.tax is None for v in baseline.versions):
        raise ArgumentError(
            fn,
            "rate",
            f"a VAT/GST rate: baseline {baseline.code!r} has no tax in some of its versions",
            None,
        )

    def change(version: RuleVersion) -> dict[str, Any]:
        kept = [t for t in version.thresholds if t.when.gift]
        new = [
            Threshold(
                name=f"GEA option 3 {kind}",
                applies_to=kind,
                amount=limit,
                inclusive=inclusive,
                measure=measure,
                relief=relief,
                source=(GEA_SOURCE_ID,),
            )
            for kind, relief in (("duty", "exempt"), ("tax", "sale"))
        ]
        if version.tax is None or new_rate is not None:
            tax = TaxRule(
                name=version.tax.name if version.tax else "VAT",
                rate=new_rate,
                base=version.tax.base if version.tax else ("customs_value", "duty"),
                sale_base=version.tax.sale_base
                if version.tax
                else ("goods", "shipping", "insurance"),
                source=(GEA_SOURCE_ID,),
            )
        else:
            tax = version.tax
        return {
            "thresholds": [t.model_dump(round_trip=True) for t in (*kept, *new)],
            "tax": tax.model_dump(round_trip=True),
            "exclusions": rescoped_exclusions(
                version,
                {t.name for t in version.thresholds} - {t.name for t in kept},
                [t.name for t in new],
            ),
        }

    return _transform(baseline, "vat", "GEA option 3, duty-free plus VAT/GST at sale", change)


def rescoped_exclusions(
    version: RuleVersion, removed: set[str], added: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """``version``'s exclusions (as data) once the thresholds named ``removed`` are gone.

    An exclusion scoped to a removed threshold applies to the ``added`` ones that replace it
    (option 3: GB perfume, excluded from the GBP 135 regime only, stays out of the thresholds
    that replace it; gift relief is untouched); with nothing added and nothing of its scope
    left, it has nothing to exclude from and is dropped (an empty scope would mean "all").
    """
    out = []
    for exclusion in version.exclusions:
        if set(exclusion.thresholds) & removed:
            names = [n for n in exclusion.thresholds if n not in removed] + list(added)
            if not names:
                continue
            exclusion = exclusion.model_copy(update={"thresholds": tuple(dict.fromkeys(names))})
        out.append(exclusion.model_dump(round_trip=True))
    return out


@own_context
def gea_options(
    baseline: RuleSet,
    *,
    ceiling: Decimal | int | str | None = None,
    flat: Decimal | int | str = DEFAULT_FLAT_RATE,
    categories: Sequence[Category | Mapping[str, Any]] | None = None,
    vat_rate: Decimal | int | str | None = None,
) -> dict[str, RuleSet]:
    """The baseline and the three GEA options, keyed by name, ready for :func:`compare`.

    Defaults, chosen so the options differ only where the baseline already simplifies:
    ``ceiling`` is the baseline's highest duty de minimis (or low-value ceiling) in its latest
    version; option 1 charges ``flat`` (10%) ad valorem; option 2 uses the baseline's own
    category table (Canada's 98.25 baskets) or :data:`DEFAULT_CATEGORIES`; option 3 keeps the
    baseline's tax rate unless ``vat_rate`` is given.

    >>> from lvs_duty import load_rules
    >>> sorted(gea_options(load_rules("AU")))
    ['baseline', 'category_tariff', 'duty_free_vat', 'flat_rate']
    """
    fn = "gea_options"
    _check_baseline(fn, baseline)
    limit = _amount(fn, "ceiling", ceiling) if ceiling is not None else default_ceiling(baseline)
    return {
        "baseline": baseline,
        "flat_rate": flat_rate(baseline, rate=flat, ceiling=limit),
        "category_tariff": category_tariff(baseline, categories=categories, ceiling=limit),
        "duty_free_vat": duty_free_vat(baseline, ceiling=limit, rate=vat_rate),
    }


def default_ceiling(baseline: RuleSet) -> Decimal:
    """The baseline's highest duty de minimis or low-value ceiling in its latest version.

    A regime with neither (Singapore charges duty on four categories only) falls back to its
    highest tax threshold (Singapore's SGD 400 for low-value goods).

    >>> from lvs_duty import load_rules
    >>> default_ceiling(load_rules("CA")), default_ceiling(load_rules("SG"))
    (Decimal('150'), Decimal('400'))
    """
    latest = baseline.versions[-1]
    amounts = [t.amount for t in latest.thresholds if t.applies_to == "duty"]
    if latest.duty.low_value is not None:
        amounts.append(latest.duty.low_value.ceiling)
    if not amounts:
        amounts = [t.amount for t in latest.thresholds]
    if not amounts:
        raise ArgumentError(
            "gea_options",
            "ceiling",
            f"a ceiling: baseline {baseline.code!r} has no duty threshold to default to",
            None,
        )
    return max(amounts)


__all__ = [
    "DEFAULT_CATEGORIES",
    "DEFAULT_FLAT_RATE",
    "GEA_SOURCE",
    "PolicyOption",
    "category_tariff",
    "default_ceiling",
    "duty_free_vat",
    "flat_rate",
    "gea_options",
    "rescoped_exclusions",
]
