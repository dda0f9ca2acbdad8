"""The scalar engine, one feature at a time, on a toy regime; every figure worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from _toy import parcel, th, toy
from lvs_duty import (
    ArgumentError,
    CurrencyError,
    Item,
    NotInForceError,
    RateUnavailableError,
    ShipmentError,
    UnknownCategoryError,
    assess,
)
from lvs_duty.assess import allocate
from lvs_duty.frame import assess_frame, to_decimal_frame
from lvs_duty.tabular import shipments_to_frame

# --- thresholds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        # at the inclusive duty threshold: relieved; VAT still due from the first cent:
        # 150.00 x 0.20 = 30.00
        ("150.00", "0.00", "30.00"),
        # one cent below: relieved; VAT 149.99 x 0.2 = 29.998 -> 30.00
        ("149.99", "0.00", "30.00"),
        # one cent above: duty 150.01 x 0.10 = 15.001 -> 15.00;
        # VAT (150.01 + 15.00) x 0.20 = 33.002 -> 33.00
        ("150.01", "15.00", "33.00"),
    ],
)
def test_inclusive_duty_threshold(value: str, duty: str, tax: str) -> None:
    rules = toy(thresholds=[th("duty", "150")])
    a = assess(parcel(Item("6109", value, duty_rate="0.10")), rules)
    assert (a.duty, a.tax, a.total) == (D(duty), D(tax), D(duty) + D(tax))


@pytest.mark.parametrize(
    ("value", "tax"),
    [
        ("21.99", "0.00"),  # 21.99 < 22: relieved
        ("22.00", "4.40"),  # 22.00 is not below 22: 22.00 x 0.20 = 4.40
    ],
)
def test_strict_tax_threshold(value: str, tax: str) -> None:
    rules = toy(
        thresholds=[th("tax", "22", inclusive=False)],
        duty={"general": {"kind": "free", "source": "law"}},
    )
    assert assess(parcel(Item("6109", value)), rules).tax == D(tax)


def test_threshold_measure_cif_counts_transport() -> None:
    # goods 140 + shipping 10.01 = 150.01 > 150 on the CIF measure: duty is due.
    # FOB valuation: duty = 140.00 x 0.10 = 14.00
    rules = toy(thresholds=[th("duty", "150", measure="cif")])
    a = assess(parcel(Item("6109", "140.00", duty_rate="0.10"), shipping="10.01"), rules)
    assert a.duty == D("14.00")
    # the same consignment measured on goods only is relieved
    rules = toy(thresholds=[th("duty", "150", measure="goods")])
    assert assess(
        parcel(Item("6109", "140.00", duty_rate="0.10"), shipping="10.01"), rules
    ).duty == D("0.00")


def test_first_matching_threshold_wins_by_condition() -> None:
    rules = toy(
        thresholds=[
            th("duty", "150", when={"mode": ["courier"], "ship_from": ["US", "MX"]}),
            th("duty", "20"),
        ]
    )
    item = Item("6109", "100.00", duty_rate="0.10")
    # courier from the US: the CAD-150-style row applies, 100 <= 150 relieved
    assert assess(parcel(item, ship_from="US"), rules).duty == D("0.00")
    # by post from the US: the condition fails, the general row applies: 100 x 0.10 = 10.00
    assert assess(parcel(item, ship_from="US", mode="post"), rules).duty == D("10.00")
    # courier from China: 10.00
    assert assess(parcel(item, ship_from="CN"), rules).duty == D("10.00")


def test_item_scope_tests_unit_value() -> None:
    rules = toy(
        thresholds=[th("tax", "100", scope="item", relief="sale")],
        duty={"general": {"kind": "free", "source": "law"}},
    )
    # line 1: 2 units for 200.00 -> unit value 100.00 <= 100: at sale, 200 x 0.2 = 40.00
    # line 2: 1 unit for 100.01 > 100: at the border, 100.01 x 0.2 = 20.002 -> 20.00
    a = assess(parcel(Item("6109", "200.00", quantity=2), Item("8517", "100.01")), rules)
    assert a.collected_at_sale == D("40.00")
    assert a.collected_at_border == D("20.00")
    assert a.tax == D("60.00")
    assert a.tax_collection == "mixed"
    assert [ln.tax_collection for ln in a.lines] == ["sale", "border"]


def test_sale_relief_uses_the_sale_base() -> None:
    rules = toy(
        thresholds=[th("duty", "1000"), th("tax", "1000", relief="sale")],
        tax={
            "name": "GST",
            "rate": "0.10",
            "base": ["customs_value", "duty"],
            "sale_base": ["goods", "shipping"],
            "source": "law",
        },
    )
    # GST at sale on goods 999.99 + shipping 20.00 = 1019.99 x 0.10 = 101.999 -> 102.00
    a = assess(parcel(Item("6109", "999.99", duty_rate="0.05"), shipping="20.00"), rules)
    assert (a.duty, a.tax, a.tax_collection) == (D("0.00"), D("102.00"), "sale")
    assert not a.border_collection


def test_exclusion_keeps_alcohol_out_of_relief() -> None:
    rules = toy(
        thresholds=[th("duty", "150"), th("tax", "150")],
        exclusions=[{"name": "alcohol", "hs_prefixes": ["2204"], "source": "law"}],
    )
    # wine 30.00 at 10%: duty 3.00; VAT (30.00 + 3.00) x 0.20 = 6.60. The shirt is relieved.
    a = assess(
        parcel(Item("2204", "30.00", duty_rate="0.10"), Item("6109", "30.00", duty_rate="0.10")),
        rules,
    )
    assert (a.duty, a.tax) == (D("3.00"), D("6.60"))
    assert "alcohol" in a.explain()


# --- valuation and transport -------------------------------------------------------------------


def test_allocate_spreads_exact_cents() -> None:
    assert allocate(D("10.00"), [D("1"), D("1"), D("1")], D("0.01")) == [
        D("3.33"),
        D("3.33"),
        D("3.34"),
    ]
    # weights 1:3 of 0.01: floor(1 x 1/4) = 0, floor(1 x 4/4) = 1 -> [0.00, 0.01]
    assert allocate(D("0.01"), [D("1.00"), D("3.00")], D("0.01")) == [D("0.00"), D("0.01")]
    # zero total weight: the first line takes it all
    assert allocate(D("5.00"), [D("0"), D("0")], D("0.01")) == [D("5.00"), D("0.00")]


def test_cif_customs_value_spreads_shipping_by_value() -> None:
    rules = toy(valuation={"basis": "CIF", "source": "law"})
    # shipping 9.00 over 100.00 and 200.00: 3.00 and 6.00.
    # duty = 103.00 x 0.10 + 206.00 x 0.05 = 10.30 + 10.30 = 20.60
    # VAT = (309.00 + 20.60) x 0.20 = 65.92
    a = assess(
        parcel(
            Item("6109", "100.00", duty_rate="0.10"),
            Item("8517", "200.00", duty_rate="0.05"),
            shipping="9.00",
        ),
        rules,
    )
    assert a.customs_value == D("309.00")
    assert [ln.customs_value for ln in a.lines] == [D("103.00"), D("206.00")]
    assert (a.duty, a.tax, a.total) == (D("20.60"), D("65.92"), D("86.52"))


def test_cif_base_cannot_count_shipping_twice() -> None:
    from lvs_duty import RuleFileError

    with pytest.raises(
        RuleFileError,
        match=r"tax\.base: expected a tax base that counts "
        "shipping once",
    ):
        toy(
            valuation={"basis": "CIF", "source": "law"},
            tax={
                "name": "VAT",
                "rate": "0.2",
                "base": ["customs_value", "shipping"],
                "source": "law",
            },
        )


# --- rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("per", "mode", "duty"),
    [
        # each line 0.05 x 0.50 = 0.025; per line half-up 0.03 + 0.03 = 0.06
        ("line", "ROUND_HALF_UP", "0.06"),
        # per shipment: 0.025 + 0.025 = 0.050 -> 0.05
        ("shipment", "ROUND_HALF_UP", "0.05"),
        # per line truncating: 0.02 + 0.02 = 0.04
        ("line", "ROUND_DOWN", "0.04"),
        # per line half-even: 0.02 + 0.02 = 0.04
        ("line", "ROUND_HALF_EVEN", "0.04"),
    ],
)
def test_rounding_is_explicit(per: str, mode: str, duty: str) -> None:
    rules = toy(rounding={"per": per, "mode": mode}, tax=None)
    a = assess(
        parcel(Item("6109", "0.05", duty_rate="0.5"), Item("6110", "0.05", duty_rate="0.5")), rules
    )
    assert a.duty == D(duty)


def test_japan_like_truncation_components_and_factor() -> None:
    # TC-JP-02 arithmetic on a toy: retail 20,000 x 0.6 = 12,000; duty 10% = 1,200;
    # base 13,200 truncated to 13,000; national 7.8% = 1,014 -> 1,000; local 2.2% = 286 -> 200
    rules = toy(
        valuation={"basis": "FOB", "factor": "0.6", "source": "law"},
        rounding={"mode": "ROUND_DOWN", "duty_quantum": "100", "tax_base_quantum": "1000"},
        tax={
            "name": "consumption tax",
            "rate": "0.10",
            "base": ["customs_value", "duty"],
            "source": "law",
            "components": [
                {"name": "national", "rate": "0.078", "quantum": "100", "source": "law"},
                {"name": "local", "rate": "0.022", "quantum": "100", "source": "law"},
            ],
        },
    )
    shipment = parcel(Item("6205", "20000", duty_rate="0.10"), destination="JP", currency="JPY")
    import lvs_duty

    rules = lvs_duty.RuleSet.build({**rules.model_dump(), "currency": "JPY"})
    a = assess(shipment, rules)
    assert (a.customs_value, a.duty, a.tax, a.total) == (
        D("12000"),
        D("1200"),
        D("1200"),
        D("2400"),
    )
    assert a.tax_base == D("13000")


# --- duty methods ------------------------------------------------------------------------------


def test_flat_amount_per_distinct_subheading() -> None:
    rules = toy(
        duty={"general": {"kind": "flat", "amount": "3", "per": "subheading", "source": "law"}},
        tax=None,
    )
    # silk blouse 6206.10 + 2 woollen blouses 6206.20: two subheadings -> 2 x 3 = 6.00
    a = assess(parcel(Item("620610", "40.00"), Item("620620", "40.00", quantity=2)), rules)
    assert a.duty == D("6.00")
    assert a.classifications == 2
    # five T-shirts in one line: one subheading -> 3.00
    assert assess(parcel(Item("610910", "50.00", quantity=5)), rules).duty == D("3.00")
    with pytest.raises(RateUnavailableError, match=r"items\[0\]\.hs_code: expected a 6-digit"):
        assess(parcel(Item("6109", "10.00")), rules)


@pytest.mark.parametrize(
    ("per", "expected"),
    [("shipment", "2.00"), ("item", "8.00")],  # once; or 2.00 x (3 + 1) units
)
def test_flat_amount_per_shipment_or_item(per: str, expected: str) -> None:
    rules = toy(
        duty={"general": {"kind": "flat", "amount": "2", "per": per, "source": "law"}}, tax=None
    )
    a = assess(parcel(Item("6109", "10.00", quantity=3), Item(None, "5.00")), rules)
    assert a.duty == D(expected)
    assert a.classifications == 0  # no HS code needed


CATEGORIES = {
    "kind": "categories",
    "source": "law",
    "default": "other",
    "categories": [
        {"name": "apparel", "rate": "0.20", "hs_prefixes": ["61", "62"]},
        {"name": "t-shirts", "rate": "0.15", "hs_prefixes": ["6109"]},
        {"name": "other", "rate": "0.05"},
    ],
}


@pytest.mark.parametrize(
    ("item", "category", "duty"),
    [
        (Item("611030", "100.00"), "apparel", "20.00"),  # 61 matches: 100 x 0.20
        (Item("610910", "100.00"), "t-shirts", "15.00"),  # 6109 beats 61: 100 x 0.15
        (Item("851762", "100.00"), "other", "5.00"),  # nothing matches: default 5%
        (Item("851762", "100.00", category="apparel"), "apparel", "20.00"),  # named
    ],
)
def test_category_tariff_classification(item: Item, category: str, duty: str) -> None:
    rules = toy(duty={"general": CATEGORIES}, tax=None)
    a = assess(parcel(item), rules)
    assert a.lines[0].category == category
    assert a.duty == D(duty)


def test_unknown_category_is_an_error() -> None:
    rules = toy(duty={"general": CATEGORIES}, tax=None)
    with pytest.raises(
        UnknownCategoryError,
        match=r"items\[0\]\.category: expected one of "
        "apparel, t-shirts, other, got 'toys'",
    ):
        assess(parcel(Item("9503", "10.00", category="toys")), rules)


BASKETS = {
    "kind": "categories",
    "source": "law",
    "categories": [
        {"name": "0%", "rate": "0", "mfn_min": "0", "mfn_max": "0.05"},
        {"name": "8%", "rate": "0.08", "mfn_min": "0.03", "mfn_max": "0.13"},
        {"name": "20%", "rate": "0.20", "mfn_min": "0.15", "mfn_max": "0.25"},
    ],
}


@pytest.mark.parametrize(
    ("mfn", "basket", "duty"),
    [
        ("0.18", "20%", "20.00"),  # OE-02: cotton T-shirt MFN 18% -> 20% basket: 100 x 0.20
        ("0.04", "0%", "0.00"),  # in both the 0% and 8% bands; |4-0| = 4 < |4-8| = 4? tie ->
        # first listed; here 4 vs 4 is a tie and the 0% basket is listed first
        ("0.05", "8%", "8.00"),  # |5-0| = 5 > |5-8| = 3: the 8% basket
        ("0.14", None, "14.00"),  # the gap: no basket, no default: general MFN 100 x 0.14
    ],
)
def test_mfn_band_baskets(mfn: str, basket: str | None, duty: str) -> None:
    rules = toy(
        duty={
            "general": {"kind": "mfn", "source": "law"},
            "low_value": {"ceiling": "500", "method": BASKETS, "source": "law"},
        },
        tax=None,
    )
    a = assess(parcel(Item(None, "100.00", duty_rate=mfn)), rules)
    assert a.lines[0].category == basket
    assert a.duty == D(duty)


def test_per_shipment_flat_general_is_charged_once_when_lines_fall_back_two_ways() -> None:
    # Low-value table: one category (10% on HS 61), no default; the general tariff is a flat
    # EUR 3 per shipment; wine is excluded from the low-value method. Wine 10.00 goes to the
    # general method by the exclusion, the phone 10.00 by having no category: both are lines
    # of one shipment under one per-shipment method, so EUR 3 is due once, not twice.
    # The shirt 10.00: 10% = 1.00. Duty 3.00 + 1.00 = 4.00.
    rules = toy(
        duty={
            "general": {"kind": "flat", "amount": "3", "per": "shipment", "source": "law"},
            "low_value": {
                "ceiling": "150",
                "source": "law",
                "method": {
                    "kind": "categories",
                    "source": "law",
                    "categories": [{"name": "apparel", "rate": "0.10", "hs_prefixes": ["61"]}],
                },
            },
        },
        exclusions=[
            {
                "name": "wine",
                "hs_prefixes": ["2204"],
                "source": "law",
                "excluded_from": ["low_value_duty"],
            }
        ],
        tax=None,
    )
    shipment = parcel(Item("2204", "10.00"), Item("8517", "10.00"), Item("6109", "10.00"))
    a = assess(shipment, rules)
    assert [line.duty for line in a.lines] == [D("3.00"), D("0.00"), D("1.00")]
    assert a.duty == D("4.00")
    assert "Lines 2: no category and no default" in a.explain()
    # the frame path agrees, to the cent
    out = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), rules))
    assert out["duty"].tolist() == [D("4.00")]


def test_a_line_no_table_matches_falls_through_both_tables_to_mfn() -> None:
    # Low-value table (apparel 10% on HS 61) and general table (wine EUR 2 per item on HS 2204),
    # neither with a default. Under the EUR 150 ceiling: the shirt 20.00 -> 10% = 2.00; the
    # wine is unmatched by the low-value table and matched by the general one -> 2.00; the
    # phone 30.00 is matched by neither, so it pays its MFN rate 5% = 1.50. Duty 5.50.
    rules = toy(
        duty={
            "general": {
                "kind": "categories",
                "source": "law",
                "categories": [
                    {"name": "wine", "amount": "2", "per": "item", "hs_prefixes": ["2204"]}
                ],
            },
            "low_value": {
                "ceiling": "150",
                "source": "law",
                "method": {
                    "kind": "categories",
                    "source": "law",
                    "categories": [{"name": "apparel", "rate": "0.10", "hs_prefixes": ["61"]}],
                },
            },
        },
        tax=None,
    )
    shipment = parcel(
        Item("6109", "20.00"), Item("2204", "10.00"), Item("8517", "30.00", duty_rate="0.05")
    )
    a = assess(shipment, rules)
    assert [line.duty for line in a.lines] == [D("2.00"), D("2.00"), D("1.50")]
    assert a.duty == D("5.50")
    out = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), rules))
    assert out["duty"].tolist() == [D("5.50")]


def test_low_value_ceiling_boundary() -> None:
    rules = toy(
        duty={
            "general": {"kind": "mfn", "source": "law"},
            "low_value": {"ceiling": "500", "method": BASKETS, "source": "law"},
        },
        tax=None,
    )
    # 500.00 <= 500: basket 20% -> 100.00; 500.01 > 500: MFN 18% -> 90.0018 -> 90.00
    assert assess(parcel(Item(None, "500.00", duty_rate="0.18")), rules).duty == D("100.00")
    assert assess(parcel(Item(None, "500.01", duty_rate="0.18")), rules).duty == D("90.00")


@pytest.mark.parametrize(
    ("rate", "amount"),
    [("0.10", "80"), ("0.159", "80"), ("0.16", "160"), ("0.25", "160"), ("0.251", "200")],
)
def test_rate_band_specific_duty(rate: str, amount: str) -> None:
    # TC-US-02 bands: < 16% -> 80; 16% to 25% inclusive -> 160; above -> 200
    rules = toy(
        duty={
            "general": {
                "kind": "rate_bands",
                "per": "shipment",
                "source": "law",
                "bands": [
                    {"below": "0.16", "amount": "80"},
                    {"below": "0.25", "inclusive": True, "amount": "160"},
                    {"amount": "200"},
                ],
            }
        },
        tax=None,
    )
    assert assess(parcel(Item("9503", "20.00", duty_rate=rate)), rules).duty == D(amount)


def test_category_specific_duties_per_litre_of_alcohol() -> None:
    # SG stout example: 75 l x 5% ABV x 76 per litre of alcohol = 285.00
    rules = toy(
        duty={
            "general": {
                "kind": "categories",
                "source": "law",
                "categories": [
                    {
                        "name": "stout",
                        "amount": "76",
                        "per": "litre_alcohol",
                        "hs_prefixes": ["2203"],
                    }
                ],
            }
        },
        tax=None,
    )
    a = assess(parcel(Item("2203", "100.00", volume_l="75", abv="0.05")), rules)
    assert a.duty == D("285.00")
    with pytest.raises(RateUnavailableError, match=r"items\[0\]\.volume_l"):
        assess(parcel(Item("2203", "100.00")), rules)


def test_mfn_needs_the_line_rate() -> None:
    with pytest.raises(
        RateUnavailableError,
        match=r"items\[1\]\.duty_rate: expected the line's "
        "MFN rate",
    ):
        assess(parcel(Item("6109", "10.00", duty_rate="0.1"), Item("6110", "10.00")), toy())


# --- minimums, fees ----------------------------------------------------------------------------


def test_minimum_collectable_for_duty_tax_and_payment() -> None:
    item = Item("6109", "9.00", duty_rate="0.10")  # duty 0.90; VAT (9.00+0.90) x 0.2 = 1.98
    assert assess(parcel(item), toy()).total == D("2.88")
    duty_min = toy(
        duty={
            "general": {"kind": "mfn", "source": "law"},
            "min_collectable": {"amount": "1", "source": "law"},
        }
    )
    a = assess(parcel(item), duty_min)
    # duty 0.90 <= 1: waived, so not levied and not in the tax base: VAT 9.00 x 0.2 = 1.80
    assert (a.duty_assessed, a.duty, a.tax_base, a.tax) == (
        D("0.90"),
        D("0.00"),
        D("9.00"),
        D("1.80"),
    )
    payment_min = toy(min_collectable={"amount": "2.88", "source": "law"})
    a = assess(parcel(item), payment_min)
    assert (a.duty, a.tax, a.total) == (D("0.00"), D("0.00"), D("0.00"))
    strict = toy(min_collectable={"amount": "2.88", "inclusive": False, "source": "law"})
    assert assess(parcel(item), strict).total == D("2.88")


def test_fees_per_item_and_border_only() -> None:
    rules = toy(
        thresholds=[th("duty", "150"), th("tax", "150")],
        fees=[
            {"name": "handling", "amount": "2", "per": "item", "source": "law"},
            {
                "name": "clearance",
                "amount": "5",
                "per": "shipment",
                "border_only": True,
                "source": "law",
            },
        ],
    )
    # relieved consignment: handling 2 x 3 units = 6.00; no border collection, no clearance
    small = assess(parcel(Item("6109", "30.00", quantity=3, duty_rate="0.1")), rules)
    assert (small.fees, small.total) == (D("6.00"), D("6.00"))
    # 200.00: duty 20.00, VAT 44.00, fees 2.00 + 5.00
    big = assess(parcel(Item("6109", "200.00", duty_rate="0.1")), rules)
    assert (big.fees, big.total) == (D("7.00"), D("71.00"))


# --- currency and dates ------------------------------------------------------------------------


def test_caller_supplied_exchange_rate() -> None:
    # USD 100.00 x 1.0950 = EUR 109.50; duty 10.95; VAT (109.50 + 10.95) x 0.2 = 24.09
    shipment = parcel(Item("6109", "100.00", duty_rate="0.10"), currency="USD")
    a = assess(shipment, toy(), fx={"USD": D("1.0950")})
    assert (a.customs_value, a.duty, a.tax) == (D("109.50"), D("10.95"), D("24.09"))
    with pytest.raises(CurrencyError, match=r"regime is in EUR but the shipment is in USD"):
        assess(shipment, toy())
    with pytest.raises(ArgumentError, match=r"fx\['USD'\] expected .*not a float"):
        assess(shipment, toy(), fx={"USD": 1.095})  # type: ignore[dict-item]


def test_date_outside_every_version() -> None:
    with pytest.raises(
        NotInForceError,
        match=r"no version in force on 2019-12-31; expected a "
        r"date in 2020-01-01 to open",
    ):
        assess(parcel(Item("6109", "1.00"), date="2019-12-31"), toy())
    # `on` overrides the shipment date
    assert assess(
        parcel(Item("6109", "1.00", duty_rate="0"), date="2019-12-31"),
        toy(),
        on=dt.date(2021, 1, 1),
    ).total == D("0.20")


def test_regional_rate_without_default() -> None:
    rules = toy(
        tax={
            "name": "VAT",
            "rate_key": "destination",
            "source": "law",
            "rates": [{"key": "DE", "rate": "0.19", "source": "law"}],
        }
    )
    assert assess(parcel(Item("6109", "100.00", duty_rate="0"), destination="DE"), rules).tax == D(
        "19.00"
    )
    # a rule set keyed on destination with no default covers only its keys
    with pytest.raises(ShipmentError, match=r"destination: expected DE \(the countries TOY"):
        assess(parcel(Item("6109", "100.00", duty_rate="0"), destination="FR"), rules)


# --- explanation -------------------------------------------------------------------------------


def test_explanation_names_threshold_rate_base_and_sources() -> None:
    rules = toy(thresholds=[th("duty", "150", unconfirmed=True, source="blog")])
    text = assess(parcel(Item("6109", "150.01", duty_rate="0.10"), id="P-1"), rules).explain()
    assert "shipment P-1" in text
    assert "customs value EUR 150.01 <= EUR 150? no" in text
    assert "general tariff 10% x EUR 150.01" in text
    assert "VAT at 20% on a base of EUR 165.01" in text
    assert "source: A customs blog" in text
    assert "source: Toy Customs Act s. 1 <https://example.org/toy-act>" in text
    assert "[unconfirmed value]" in text
    assert text.rstrip().endswith("total 48.00 EUR (border 48.00, sale 0.00)")
