"""Japan (data/tariff_categories/jp.toml): worked examples at every threshold, TC-JP-01..05.

Rules used (see the file's sources): personal imports, customs (taxable) value = retail x 0.6,
truncated to the yen; JPY 10,000 or less exempt from duty and consumption tax (knitwear, leather
bags, footwear, alcohol, tobacco excepted); simplified rates for a consignment of taxable value
up to JPY 200,000 (knitwear, leather bags, footwear, tobacco, grains excepted); consumption tax
on (taxable value + duty) truncated to JPY 1,000, national 7.8% and local 2.2% each truncated to
JPY 100; duty truncated to JPY 100. From 2028-04-01 (FY2026 reform, [S]): CIF value with no
0.6 factor, no JPY 10,000 exemption except for gifts ([U]); the reform cases run on both paths.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from lvs_duty import (
    Assessment,
    Item,
    NotInForceError,
    RateUnavailableError,
    RuleSet,
    Shipment,
    assess,
    assess_frame,
    load_rules,
    shipments_to_frame,
    to_decimal_frame,
)


@pytest.fixture(scope="module")
def jp() -> RuleSet:
    return load_rules("JP")


@pytest.fixture(scope="module")
def jp_commercial(jp: RuleSet) -> RuleSet:
    """The same table for a commercial import: CIF value, no 0.6 factor."""
    data = jp.model_dump()
    data["versions"][0]["valuation"].update(basis="CIF", factor="1")
    return RuleSet.build(data)


def parcel(*items: Item, date: str = "2024-06-01", **fields: Any) -> Shipment:
    return Shipment("JP", date, "JPY", list(items), **fields)


def woven(retail: str) -> Item:
    return Item("6205", retail)  # woven shirt: simplified row 4, 10%


# --- the JPY 10,000 exemption (TC-JP-01) and the 0.6 value ------------------------------------


@pytest.mark.parametrize(
    ("retail", "value", "duty", "tax"),
    [
        # TC-JP-01: 16,666 x 0.6 = 9,999.6 -> 9,999 <= 10,000: exempt
        ("16666", "9999", "0", "0"),
        # 16,667 x 0.6 = 10,000.2 -> 10,000 (the value is truncated to the yen): at the
        # threshold, exempt
        ("16667", "10000", "0", "0"),
        # 16,668 x 0.6 = 10,000.8 -> 10,000: still exempt (the reference's "16,666" line
        # assumes no truncation of the 0.6 value; this is flagged unconfirmed)
        ("16668", "10000", "0", "0"),
        # 16,669 x 0.6 = 10,001.4 -> 10,001 > 10,000: duty 10,001 x 10% = 1,000.1 -> 1,000;
        # base 11,001 -> 11,000; national 858 -> 800; local 242 -> 200; tax 1,000
        ("16669", "10001", "1000", "1000"),
    ],
)
def test_jpy_10000_exemption(jp: RuleSet, retail: str, value: str, duty: str, tax: str) -> None:
    a = assess(parcel(woven(retail)), jp)
    assert (a.customs_value, a.duty, a.tax) == (D(value), D(duty), D(tax))
    assert a.total == D(duty) + D(tax)


def test_tc_jp_02_woven_shirt(jp: RuleSet) -> None:
    # retail 20,000 x 0.6 = 12,000; duty 12,000 x 10% = 1,200; base 13,200 -> 13,000;
    # national 13,000 x 7.8% = 1,014 -> 1,000; local 13,000 x 2.2% = 286 -> 200; tax 1,200
    a = assess(parcel(woven("20000")), jp)
    assert (a.duty, a.tax, a.total) == (D("1200"), D("1200"), D("2400"))
    assert a.tax_base == D("13000")


# --- the JPY 200,000 simplified-rate ceiling (TC-JP-03, TC-JP-04) -----------------------------


def test_tc_jp_03_at_the_ceiling_personal(jp: RuleSet) -> None:
    # 166,667 x 0.6 = 100,000.2 -> 100,000 each: total 200,000 <= 200,000, simplified rates.
    # plastic (row 5) 3% = 3,000; other goods (row 7) 5% = 5,000; duty 8,000.
    # base 208,000; national 16,224 -> 16,200; local 4,576 -> 4,500; tax 20,700
    a = assess(parcel(Item("3926", "166667"), Item("8517", "166667")), jp)
    assert a.customs_value == D("200000")
    assert (a.duty, a.tax, a.total) == (D("8000"), D("20700"), D("28700"))
    assert [ln.category for ln in a.lines] == [
        "plastic, glass and base-metal articles, furniture, toys",
        "all other goods",
    ]


def test_tc_jp_03_at_the_ceiling_commercial(jp_commercial: RuleSet) -> None:
    # TC-JP-03 as written (customs value 100,000 + 100,000): the same 8,000 and 20,700
    a = assess(parcel(Item("3926", "100000"), Item("8517", "100000")), jp_commercial)
    assert (a.duty, a.tax, a.total) == (D("8000"), D("20700"), D("28700"))


def test_tc_jp_04_above_the_ceiling_needs_the_general_tariff(jp: RuleSet) -> None:
    # 166,667 -> 100,000 and 166,669 -> 100,001: total 200,001 > 200,000
    with pytest.raises(RateUnavailableError, match="duty_rate"):
        assess(parcel(Item("3926", "166667"), Item("8517", "166669")), jp)
    # with the general rates supplied: duty 100,000 x 3.9% + 100,001 x 0% = 3,900;
    # base 203,901 -> 203,000; national 15,834 -> 15,800; local 4,466 -> 4,400; tax 20,200
    a = assess(
        parcel(Item("3926", "166667", duty_rate="0.039"), Item("8517", "166669", duty_rate="0")), jp
    )
    assert (a.duty, a.tax, a.total) == (D("3900"), D("20200"), D("24100"))


# --- exclusions (TC-JP-05) ----------------------------------------------------------------------


def test_tc_jp_05_knitwear_ignores_both_reliefs(jp: RuleSet) -> None:
    # retail 15,000 x 0.6 = 9,000 <= 10,000, but knitwear is excluded from the exemption and
    # from the simplified rates: the general tariff rate is needed
    with pytest.raises(RateUnavailableError, match="duty_rate"):
        assess(parcel(Item("6110", "15000")), jp)
    # general 10.9%: duty 9,000 x 10.9% = 981 -> 900; base 9,900 -> 9,000;
    # national 702 -> 700; local 198 -> 100; tax 800
    a = assess(parcel(Item("6110", "15000", duty_rate="0.109")), jp)
    assert (a.duty, a.tax, a.total) == (D("900"), D("800"), D("1700"))
    assert "knitted or crocheted apparel" in a.explain()


def test_exempt_and_excluded_lines_in_one_consignment(jp: RuleSet) -> None:
    # woven 5,000 -> 3,000 and knit 5,000 -> 3,000: total 6,000 <= 10,000.
    # Woven: exempt. Knit: duty 3,000 x 10.9% = 327 -> 300; base 3,300 -> 3,000;
    # national 234 -> 200; local 66 -> 0; tax 200
    a = assess(parcel(woven("5000"), Item("6110", "5000", duty_rate="0.109")), jp)
    assert (a.duty, a.tax, a.total) == (D("300"), D("200"), D("500"))
    assert a.lines[0].duty_collection is None
    assert a.lines[0].tax_collection is None


@pytest.mark.parametrize(
    ("retail", "litres", "duty", "tax"),
    [
        # 2 bottles: 6,000 x 0.6 = 3,600 <= 10,000 but alcohol is excluded from the exemption;
        # wine row JPY 70/l x 1.5 l = 105 -> 100; base 3,700 -> 3,000; national 234 -> 200;
        # local 66 -> 0
        ("6000", "1.5", "100", "200"),
        # 12 bottles: 36,000 x 0.6 = 21,600; 70 x 9 = 630 -> 600; base 22,200 -> 22,000;
        # national 1,716 -> 1,700; local 484 -> 400
        ("36000", "9", "600", "2100"),
    ],
)
def test_wine_pays_the_simplified_per_litre_rate(
    jp: RuleSet, retail: str, litres: str, duty: str, tax: str
) -> None:
    a = assess(parcel(Item("2204", retail, volume_l=litres)), jp)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_wine_without_volume_is_refused(jp: RuleSet) -> None:
    with pytest.raises(RateUnavailableError, match="volume_l"):
        assess(parcel(Item("2204", "36000")), jp)


def test_rice_keeps_the_exemption_but_not_the_simplified_rates(jp: RuleSet) -> None:
    # 15,000 x 0.6 = 9,000 <= 10,000: exempt (rice is excluded from the simplified rates only)
    assert assess(parcel(Item("1006", "15000")), jp).total == D("0")
    # 20,000 x 0.6 = 12,000: the general tariff applies, so a rate is needed
    with pytest.raises(RateUnavailableError):
        assess(parcel(Item("1006", "20000")), jp)


# --- rounding -----------------------------------------------------------------------------------


def test_free_and_dutiable_lines_share_one_truncated_base(jp: RuleSet) -> None:
    # rubber 2,500 -> 1,500 (free row) and plastic 17,500 -> 10,500 (3% = 315):
    # duty 315 -> 300; one base 12,000 + 300 = 12,300 -> 12,000;
    # national 936 -> 900; local 264 -> 200; tax 1,100
    a = assess(parcel(Item("4016", "2500"), Item("3926", "17500")), jp)
    assert (a.duty, a.tax, a.tax_base) == (D("300"), D("1100"), D("12000"))


def test_local_tax_as_22_78_of_the_national_tax(jp: RuleSet) -> None:
    # plastic 23,334 x 0.6 = 14,000.4 -> 14,000; duty 3% = 420 -> 400; base 14,400 -> 14,000;
    # national 14,000 x 7.8% = 1,092 -> 1,000; local (the law) 1,000 x 22/78 = 282.05 -> 200;
    # tax 1,200 (2.2% of the base would have given 308 -> 300)
    a = assess(parcel(Item("3926", "23334")), jp)
    assert (a.duty, a.tax) == (D("400"), D("1200"))


# --- dates and explanation ---------------------------------------------------------------------


def test_no_version_before_2019_10_01(jp: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel(woven("20000"), date="2019-09-30"), jp)


def test_explain_names_sources_and_flags_doubt(jp: RuleSet) -> None:
    a = assess(parcel(woven("20000")), jp)
    text = a.explain()
    assert "Customs Answer 1001" in text
    assert "x factor 0.6" in text
    assert "[unconfirmed value]" in text  # the 0.6 value and the simplified rates are [S]
    assert a.unconfirmed


# --- the FY2026 reform, from 2028-04-01 --------------------------------------------------------


def both(shipment: Shipment, rules: RuleSet) -> Assessment:
    """The scalar assessment, after checking that the frame path gives the same amounts."""
    a = assess(shipment, rules)
    row = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), rules)).iloc[0]
    for field in ("customs_value", "duty_assessed", "duty", "tax_assessed", "tax", "total"):
        assert row[field] == getattr(a, field), field
    return a


def phone(value: str) -> Item:
    return Item("8517", value)  # "all other goods", 5%


@pytest.mark.parametrize(
    ("date", "value", "duty", "tax"),
    [
        # 2028-03-31: woven shirt, retail 16,000 x 0.6 = 9,600 <= 10,000: exempt
        ("2028-03-31", "9600", "0", "0"),
        # 2028-04-01: value 16,000 (no factor); duty 10% = 1,600; base 17,600 -> 17,000;
        # national 17,000 x 7.8% = 1,326 -> 1,300; local 1,300 x 22/78 = 366.7 -> 300; tax 1,600
        ("2028-04-01", "16000", "1600", "1600"),
    ],
)
def test_reform_switch_on_2028_04_01(
    jp: RuleSet, date: str, value: str, duty: str, tax: str
) -> None:
    a = both(parcel(woven("16000"), date=date), jp)
    assert (a.customs_value, a.duty, a.tax) == (D(value), D(duty), D(tax))


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        # mail order from 2028, "other goods" 5%, nothing exempt any more:
        # 9,999: duty 499.95 -> 400 (truncated to 100); base 10,399 -> 10,000;
        # national 780 -> 700; local 700 x 22/78 = 197.4 -> 100; tax 800
        ("9999", "400", "800"),
        # 10,000: duty 500; base 10,500 -> 10,000; tax 700 + 100 = 800
        ("10000", "500", "800"),
        # 10,001: duty 500.05 -> 500; base 10,501 -> 10,000; tax 800
        ("10001", "500", "800"),
    ],
)
def test_no_exemption_for_mail_order_from_2028(
    jp: RuleSet, value: str, duty: str, tax: str
) -> None:
    a = both(parcel(phone(value), date="2028-06-01"), jp)
    assert (a.duty, a.tax, a.tax_collection) == (D(duty), D(tax), "border")


@pytest.mark.parametrize(
    ("value", "shipping", "duty", "tax"),
    [
        ("9999", "0", "0", "0"),  # gift under JPY 10,000: exempt [U]
        ("10000", "0", "0", "0"),  # at JPY 10,000 (inclusive): exempt
        # over: 10,001 x 5% = 500.05 -> 500; base 10,501 -> 10,000; tax 800
        ("10001", "0", "500", "800"),
        # freight now counts (CIF): 9,000 + 1,500 = 10,500 > 10,000: duty 525 -> 500;
        # base 11,000; national 858 -> 800; local 800 x 22/78 = 225.6 -> 200; tax 1,000
        ("9000", "1500", "500", "1000"),
    ],
)
def test_gift_keeps_the_exemption_from_2028(
    jp: RuleSet, value: str, shipping: str, duty: str, tax: str
) -> None:
    a = both(parcel(phone(value), date="2028-06-01", gift=True, shipping=shipping), jp)
    assert (a.duty, a.tax) == (D(duty), D(tax))


def test_reform_is_flagged_and_cited(jp: RuleSet) -> None:
    a = assess(parcel(phone("5000"), date="2028-06-01"), jp)
    assert a.unconfirmed
    assert "FY2026" in a.explain()
