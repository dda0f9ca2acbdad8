"""The three GEA options as pure transforms, with the reference's OE-01..03 worked by hand."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

import lvs_duty
from _toy import parcel, toy
from lvs_duty import ArgumentError, Category, Item, RuleFileError, RuleSet, Shipment, assess
from lvs_duty.options import (
    DEFAULT_CATEGORIES,
    category_tariff,
    default_ceiling,
    duty_free_vat,
    flat_rate,
    gea_options,
)


@pytest.fixture
def baseline() -> RuleSet:
    # toy regime, no thresholds, general MFN, no tax: duty effects alone
    return toy(tax=None)


# --- option 1 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "duty"),
    [
        ("250.00", "50.00"),  # OE-01: 250.00 x 0.20
        ("1000.00", "200.00"),  # at the inclusive ceiling: 1000.00 x 0.20
        ("1000.01", "100.00"),  # above: baseline MFN 10%: 100.001 -> 100.00
    ],
)
def test_flat_rate_ad_valorem(baseline: RuleSet, value: str, duty: str) -> None:
    option = flat_rate(baseline, rate="0.20", ceiling="1000")
    a = assess(parcel(Item("6109", value, duty_rate="0.10")), option)
    assert a.duty == D(duty)


def test_flat_rate_needs_no_classification(baseline: RuleSet) -> None:
    option = flat_rate(baseline, rate="0.20", ceiling="1000")
    # no HS code and no MFN rate at all: still assessable below the ceiling
    a = assess(parcel(Item(None, "10.00"), Item(None, "5.00")), option)
    assert (a.duty, a.classifications) == (D("3.00"), 0)


def test_flat_amount_per_subheading_like_the_eu(baseline: RuleSet) -> None:
    option = flat_rate(baseline, amount="3", per="subheading", ceiling="150")
    # 1 pair of shoes + 2 dolls + 5 cotton T-shirts: three subheadings -> EUR 9.00
    a = assess(
        parcel(
            Item("640399", "40.00"),
            Item("950300", "20.00", quantity=2),
            Item("610910", "50.00", quantity=5),
        ),
        option,
    )
    assert a.duty == D("9.00")


# --- option 2 ----------------------------------------------------------------------------------


def test_category_tariff_on_canada_uses_the_9825_baskets(ca: RuleSet) -> None:
    option = category_tariff(ca)  # the ca-9825 table and its CAD 500 ceiling

    def tshirt(value: str, mfn: str = "0.18") -> Shipment:
        return Shipment(
            "CA",
            "2026-03-01",
            "CAD",
            [Item("610910", value, duty_rate=mfn)],
            ship_from="CN",
            region="ON",
        )

    # OE-02: MFN 18% -> 20% basket: duty 100 x 0.20 = 20.00; HST (100 + 20) x 0.13 = 15.60
    a = assess(tshirt("100.00"), option)
    assert (a.duty, a.tax, a.lines[0].category) == (D("20.00"), D("15.60"), "9825.30.00")
    # 500.01 > 500: not eligible, MFN 18%: 90.0018 -> 90.00; HST 590.01 x 0.13 = 76.7013 -> 76.70
    a = assess(tshirt("500.01"), option)
    assert (a.duty, a.tax) == (D("90.00"), D("76.70"))
    # MFN 14%: in the gap between the 8% and 20% bands: falls to MFN, 100 x 0.14 = 14.00
    a = assess(tshirt("100.00", "0.14"), option)
    assert (a.duty, a.lines[0].category) == (D("14.00"), None)


def test_category_tariff_accepts_dicts_and_default(baseline: RuleSet) -> None:
    option = category_tariff(
        baseline,
        ceiling="500",
        default="other",
        categories=[
            {"name": "textiles", "rate": "0.20", "hs_prefixes": ["50", "61", "62"]},
            Category(name="other", rate=D("0.05")),
        ],
    )
    # 61 -> textiles: 100 x 0.20 = 20.00; 8517 -> other: 100 x 0.05 = 5.00
    a = assess(parcel(Item("6109", "100.00"), Item("8517", "100.00")), option)
    assert a.duty == D("25.00")
    assert [ln.category for ln in a.lines] == ["textiles", "other"]


def test_default_categories_are_used_without_a_table(au: RuleSet) -> None:
    option = category_tariff(au, ceiling="2000")
    assert option.versions[-1].duty.low_value is not None
    method = option.versions[-1].duty.low_value.method
    assert method.kind == "categories"
    assert method.categories == DEFAULT_CATEGORIES


# --- option 3 ----------------------------------------------------------------------------------


def test_duty_free_vat_collects_at_sale_from_the_first_cent(baseline: RuleSet) -> None:
    option = duty_free_vat(baseline, ceiling="1000", rate="0.10")
    # OE-03: 999.99 -> no duty; GST 99.999 -> 100.00 at sale
    a = assess(parcel(Item("6109", "999.99", duty_rate="0.05")), option)
    assert (a.duty, a.tax, a.tax_collection, a.border_collection) == (
        D("0.00"),
        D("100.00"),
        "sale",
        False,
    )
    # one cent: GST 0.001 -> 0.00 (half-up); 1.00 -> 0.10 at sale
    assert assess(parcel(Item("6109", "1.00", duty_rate="0.05")), option).tax == D("0.10")
    # 1000.01: border regime: duty 5% = 50.0005 -> 50.00; GST (1000.01 + 50.00) x 0.1 = 105.00
    a = assess(parcel(Item("6109", "1000.01", duty_rate="0.05")), option)
    assert (a.duty, a.tax, a.tax_collection) == (D("50.00"), D("105.00"), "border")


def test_duty_free_vat_replaces_de_minimis_but_keeps_gift_relief(ca: RuleSet) -> None:
    option = duty_free_vat(ca, ceiling="150")
    thresholds = option.versions[-1].thresholds
    assert [t.name for t in thresholds] == ["GEA option 3 duty", "GEA option 3 tax"]
    # the gift relief is an allowance now (CAD 60, excess-only): it stays with the version
    assert [a.name for a in option.versions[-1].allowances] == ["gift (mail or courier)"]
    # CAD 15 from China used to be relieved (<= 20); now GST 5% at sale: 0.75
    a = assess(
        Shipment(
            "CA",
            "2026-03-01",
            "CAD",
            [Item("6109", "15.00", duty_rate="0.18")],
            ship_from="CN",
            region="AB",
        ),
        option,
    )
    assert (a.duty, a.tax, a.tax_collection) == (D("0.00"), D("0.75"), "sale")


def test_duty_free_vat_needs_a_rate_without_baseline_tax(baseline: RuleSet) -> None:
    with pytest.raises(ArgumentError, match=r"duty_free_vat: rate expected a VAT/GST rate"):
        duty_free_vat(baseline, ceiling="100")


# --- purity and the bundle -----------------------------------------------------------------------


def test_options_never_touch_the_baseline(ca: RuleSet) -> None:
    before = ca.model_dump_json()
    built = gea_options(ca)
    assert ca.model_dump_json() == before
    assert built["baseline"] is ca
    assert {k: v.code for k, v in built.items()} == {
        "baseline": "CA",
        "flat_rate": "CA+flat",
        "category_tariff": "CA+categories",
        "duty_free_vat": "CA+vat",
    }
    for option in built.values():
        assert [v.valid_from for v in option.versions] == [v.valid_from for v in ca.versions]
        assert "gea-2021" in option.sources or option is ca


@pytest.mark.parametrize(("code", "ceiling"), [("CA", "150"), ("AU", "1000"), ("SG", "400")])
def test_default_ceiling(code: str, ceiling: str) -> None:
    assert default_ceiling(lvs_duty.load_rules(code)) == D(ceiling)


BAD_ARGS: list[tuple[Any, dict[str, Any], str]] = [
    (flat_rate, {"rate": "0.1", "amount": "3", "ceiling": "150"}, "exactly one of rate= or"),
    (flat_rate, {"ceiling": "150"}, "exactly one of rate= or amount="),
    (flat_rate, {"rate": 0.1, "ceiling": "150"}, "rate expected a Decimal, int or str"),
    (flat_rate, {"rate": "1.5", "ceiling": "150"}, "rate expected a rate between 0 and 1"),
    (flat_rate, {"rate": "0.1", "ceiling": "-1"}, "ceiling expected a non-negative amount"),
    (flat_rate, {"amount": "3", "per": "parcel", "ceiling": "150"}, "per expected 'shipment'"),
    (category_tariff, {"categories": [], "ceiling": "150"}, "categories expected at least one"),
    (
        category_tariff,
        {"categories": [{"name": "a", "rate": "0.1"}]},
        "ceiling expected the value at or below which",
    ),
    (
        category_tariff,
        {"categories": [{"name": "a", "rate": "0.1"}], "ceiling": "9", "default": "b"},
        r"default expected one of the category names \(a\)",
    ),
    (category_tariff, {"categories": [42], "ceiling": "9"}, r"categories\[0\] expected a Category"),
    (duty_free_vat, {"ceiling": 150.0}, "ceiling expected a Decimal, int or str"),
]


@pytest.mark.parametrize(("function", "kwargs", "message"), BAD_ARGS)
def test_bad_arguments_name_the_argument(
    ca: RuleSet, function: Any, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ArgumentError, match=message):
        function(ca, **kwargs)


def test_bad_category_dict_is_a_rule_error(ca: RuleSet) -> None:
    with pytest.raises(
        RuleFileError,
        match=r"categories\[0\]: .*rate: expected a decimal "
        "between 0 and 1, got '20'",
    ):
        category_tariff(ca, categories=[{"name": "x", "rate": "20"}], ceiling="100")


def test_baseline_must_be_a_rule_set() -> None:
    with pytest.raises(ArgumentError, match="flat_rate: baseline expected a RuleSet"):
        flat_rate("CA", rate="0.1", ceiling="10")  # type: ignore[arg-type]
