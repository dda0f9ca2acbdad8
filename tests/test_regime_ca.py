"""Canada (data/tariff_categories/ca.toml): worked examples at every threshold and date switch.

Rules used (see the file's sources): courier goods shipped from the US or Mexico since
2020-07-01: duty relieved at VFD <= CAD 150, GST/HST at VFD <= CAD 40; everything else CAD 20
for both; gifts: a CAD 60 allowance by mail or courier, duty and tax on the excess only, or
the CUSMA relief when cheaper (best_of); alcohol and tobacco never relieved; MFN duty
on the FOB value for duty; GST 5% or HST (ON 13%, NB/NL/PE 15%, NS 15% then 14% from
2025-04-01) on (VFD + duty); duty and tax together at or under CAD 2 not collected at the
border. Rounding half-up to the cent, once per tax group.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from lvs_duty import (
    Assessment,
    Item,
    NotInForceError,
    RuleSet,
    Shipment,
    assess,
    assess_frame,
    shipments_to_frame,
    to_decimal_frame,
)


def parcel(*items: Item, date: str = "2026-03-01", **fields: Any) -> Shipment:
    fields.setdefault("region", "ON")
    return Shipment("CA", date, "CAD", list(items), **fields)


def tee(value: str, rate: str = "0.18") -> Item:
    return Item("6109", value, duty_rate=rate)


# --- CUSMA: courier from the US or Mexico (CAD 150 duty, CAD 40 tax) ---------------------------


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        # TC-CA-04: duty 150.01 x 0.18 = 27.0018 -> 27.00;
        # HST (150.01 + 27.00) x 0.13 = 23.0113 -> 23.01
        ("150.01", "27.00", "23.01"),
        # at CAD 150: duty relieved; 150.00 > 40 so HST 150.00 x 0.13 = 19.50
        ("150.00", "0.00", "19.50"),
        # one cent below: HST 149.99 x 0.13 = 19.4987 -> 19.50
        ("149.99", "0.00", "19.50"),
        # tax threshold: 40.01 > 40: HST 40.01 x 0.13 = 5.2013 -> 5.20; duty relieved
        ("40.01", "0.00", "5.20"),
        ("40.00", "0.00", "0.00"),  # at CAD 40: both relieved
        ("39.99", "0.00", "0.00"),  # below: both relieved
    ],
)
def test_cusma_courier_thresholds(ca: RuleSet, value: str, duty: str, tax: str) -> None:
    a = assess(parcel(tee(value), ship_from="US"), ca)
    assert (a.duty, a.tax, a.total) == (D(duty), D(tax), D(duty) + D(tax))


def test_tc_ca_04_cusma_origin_claimed(ca: RuleSet) -> None:
    # duty 0 under the CUSMA preference: HST 150.01 x 0.13 = 19.5013 -> 19.50
    a = assess(parcel(tee("150.01", rate="0"), ship_from="MX"), ca)
    assert (a.duty, a.tax) == (D("0.00"), D("19.50"))


# --- CAD 20: rest of the world, and post from anywhere ----------------------------------------


@pytest.mark.parametrize(
    ("value", "duty", "tax"),
    [
        ("20.00", "0.00", "0.00"),  # TC-CA-05: at CAD 20, relieved
        ("19.99", "0.00", "0.00"),
        # TC-CA-05: duty 20.01 x 0.18 = 3.6018 -> 3.60; HST (20.01 + 3.60) x 0.13 = 3.0693
        # -> 3.07; total 6.67
        ("20.01", "3.60", "3.07"),
    ],
)
def test_tc_ca_05_rest_of_world(ca: RuleSet, value: str, duty: str, tax: str) -> None:
    a = assess(parcel(tee(value), ship_from="CN"), ca)
    assert (a.duty, a.tax, a.total) == (D(duty), D(tax), D(duty) + D(tax))


def test_tc_ca_06_place_of_direct_shipment_and_cad_2(ca: RuleSet) -> None:
    # made in the US, shipped from the UK: CAD 20 applies, not CAD 40. Alberta, MFN free:
    # GST 35.00 x 0.05 = 1.75 assessed; 1.75 <= CAD 2: not collected at the border
    a = assess(parcel(tee("35.00", rate="0"), ship_from="GB", origin="US", region="AB"), ca)
    assert (a.duty_assessed, a.tax_assessed) == (D("0.00"), D("1.75"))
    assert (a.tax, a.total) == (D("0.00"), D("0.00"))
    assert "minimum collectable CAD 2" in a.explain()


@pytest.mark.parametrize(
    ("value", "collected"),
    [
        ("40.00", "0.00"),  # GST 40.00 x 0.05 = 2.00: at CAD 2, not collected
        ("40.10", "2.01"),  # GST 40.10 x 0.05 = 2.005 -> 2.01 (half-up): collected
    ],
)
def test_cad_2_minimum_edge(ca: RuleSet, value: str, collected: str) -> None:
    a = assess(parcel(tee(value, rate="0"), ship_from="CN", region="AB"), ca)
    assert a.total == D(collected)


def test_post_from_the_us_uses_cad_20(ca: RuleSet) -> None:
    # CUSMA thresholds are courier only: by post, 35.00 > 20; MFN free; HST 35 x 0.13 = 4.55
    a = assess(parcel(tee("35.00", rate="0"), ship_from="US", mode="post"), ca)
    assert a.tax == D("4.55")


# --- gifts: CAD 60 or less free, by mail or courier (CBSA) -------------------------------------


def both(shipment: Shipment, rules: RuleSet) -> Assessment:
    """The scalar assessment, after checking that the frame path gives the same amounts."""
    a = assess(shipment, rules)
    row = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), rules)).iloc[0]
    for field in ("duty_assessed", "duty", "tax_assessed", "tax", "fees", "total"):
        assert row[field] == getattr(a, field), field
    return a


@pytest.mark.parametrize("mode", ["post", "courier"])
@pytest.mark.parametrize("value", ["59.99", "60.00"])
def test_gift_at_or_under_cad_60_is_free_by_mail_or_courier(
    ca: RuleSet, mode: str, value: str
) -> None:
    # a gift from China worth 59.99 or 60.00 (<= 60): no duty, no tax, by post or by courier
    # (before this correction a courier gift over CAD 20 paid on its whole value)
    a = both(parcel(tee(value), ship_from="CN", mode=mode, gift=True, region="AB"), ca)
    assert (a.duty_assessed, a.tax_assessed, a.total) == (D("0.00"), D("0.00"), D("0.00"))


@pytest.mark.parametrize("date", ["2019-06-01", "2026-03-01"])
def test_courier_gift_rule_in_every_version(ca: RuleSet, date: str) -> None:
    # courier gift of 45.00 from Germany (CAD 20 rule otherwise): free in 2019 and 2026
    a = both(parcel(tee("45.00"), ship_from="DE", gift=True, date=date), ca)
    assert a.total == D("0.00")


def test_alcohol_gift_is_not_relieved(ca: RuleSet) -> None:
    # wine sent as a gift, CAD 50.00 by post, Alberta, caller's rate 10%: alcohol does not
    # qualify: duty 50.00 x 0.10 = 5.00; GST (50.00 + 5.00) x 0.05 = 2.75; total 7.75
    a = both(
        parcel(
            Item("220421", "50.00", duty_rate="0.10"),
            ship_from="FR",
            mode="post",
            gift=True,
            region="AB",
        ),
        ca,
    )
    assert (a.duty, a.tax, a.total) == (D("5.00"), D("2.75"), D("7.75"))


@pytest.mark.parametrize("mode", ["post", "courier"])
def test_gift_over_cad_60_pays_on_the_excess(ca: RuleSet, mode: str) -> None:
    # Reference example (section 18): gift CAD 100, Alberta, MFN 18%, by post or courier
    # (from the UK: no CUSMA relief). Excess 100.00 - 60.00 = 40.00;
    # duty 40.00 x 0.18 = 7.20; GST 5% x (40.00 + 7.20) = 47.20 x 0.05 = 2.36; total 9.56
    a = both(parcel(tee("100.00"), ship_from="GB", mode=mode, gift=True, region="AB"), ca)
    assert (a.duty, a.tax, a.total) == (D("7.20"), D("2.36"), D("9.56"))


def test_gift_one_cent_over_cad_60(ca: RuleSet) -> None:
    # 60.01 by post: excess 0.01; duty 0.01 x 0.18 = 0.0018 -> 0.00;
    # GST (0.01 + 0.00) x 0.05 = 0.0005 -> 0.00 (half-up at the cent); total 0.00
    a = both(parcel(tee("60.01"), ship_from="CN", mode="post", gift=True, region="AB"), ca)
    assert (a.duty_assessed, a.tax_assessed, a.total) == (D("0.00"), D("0.00"), D("0.00"))


def test_gift_cbsa_example_cad_200_in_ontario(ca: RuleSet) -> None:
    # CBSA's own example: a gift of CAD 200 pays on CAD 140. Ontario, MFN 18%:
    # duty 140.00 x 0.18 = 25.20; HST (140.00 + 25.20) x 0.13 = 165.20 x 0.13 = 21.476 -> 21.48;
    # total 46.68
    a = both(parcel(tee("200.00"), ship_from="CN", mode="post", gift=True), ca)
    assert (a.duty, a.tax, a.total) == (D("25.20"), D("21.48"), D("46.68"))


def test_courier_gift_from_the_us_between_cad_40_and_60(ca: RuleSet) -> None:
    # a gift of CAD 50 by courier from the US: the gift exemption (<= 60) waives duty and tax;
    # today the CUSMA rows match first and charge HST on 50.00 > 40 (6.50 in Ontario).
    a = both(parcel(tee("50.00"), ship_from="US", gift=True), ca)
    assert a.total == D("0.00")


def test_courier_gift_from_the_us_keeps_cusma_when_cheaper(ca: RuleSet) -> None:
    # a gift of CAD 100 by courier from the US, Ontario, MFN 18%:
    # gift allowance: excess 40.00, duty 7.20, HST (40.00 + 7.20) x 0.13 = 6.136 -> 6.14: 13.34;
    # CUSMA: duty relieved (<= 150), HST 100.00 x 0.13 = 13.00 -> the lower, 13.00 (best_of)
    a = both(parcel(tee("100.00"), ship_from="US", gift=True), ca)
    assert (a.duty, a.tax, a.total) == (D("0.00"), D("13.00"), D("13.00"))
    assert "the thresholds applied" in a.explain()


def test_gift_with_wine_the_wine_takes_no_share(ca: RuleSet) -> None:
    # by post from France, Alberta: wine 30.00 at 10% + shirt 70.00 at 18%; the wine is
    # excluded: the shirt alone shares the CAD 60: excess 10.00, duty 1.80; wine duty 3.00;
    # GST (10.00 + 30.00 + 4.80) x 0.05 = 2.24; total 7.04
    a = both(
        parcel(
            Item("220421", "30.00", duty_rate="0.10"),
            tee("70.00"),
            ship_from="FR",
            mode="post",
            gift=True,
            region="AB",
        ),
        ca,
    )
    assert (a.duty, a.tax, a.total) == (D("4.80"), D("2.24"), D("7.04"))


# --- multi-item shipments, exclusions, rounding ------------------------------------------------


def test_two_lines_one_tax_group(ca: RuleSet) -> None:
    # from China, 100.00 > 20: duty 60.00 x 0.18 + 40.00 x 0 = 10.80;
    # HST (100.00 + 10.80) x 0.13 = 14.404 -> 14.40; total 25.20
    a = assess(parcel(tee("60.00"), tee("40.00", rate="0"), ship_from="CN"), ca)
    assert (a.duty, a.tax, a.total) == (D("10.80"), D("14.40"), D("25.20"))


def test_wine_is_never_relieved_and_half_cents_round_up(ca: RuleSet) -> None:
    # courier from the US, consignment 40.00 (<= 40 and <= 150): the shirt is relieved; the wine
    # (excluded) pays: duty 30.00 x 0.05 = 1.50; HST (30.00 + 1.50) x 0.13 = 4.095 -> 4.10
    a = assess(parcel(Item("2204", "30.00", duty_rate="0.05"), tee("10.00"), ship_from="US"), ca)
    assert (a.duty, a.tax, a.total) == (D("1.50"), D("4.10"), D("5.60"))
    assert a.lines[1].duty_collection is None


@pytest.mark.parametrize(
    ("region", "tax"),
    [
        ("ON", "13.00"),  # 100.00 x 0.13
        ("NB", "15.00"),
        ("AB", "5.00"),  # GST only
        ("QC", "5.00"),  # provincial tax not collected here: GST only
        (None, "5.00"),  # no province given: GST
    ],
)
def test_tax_rate_by_province(ca: RuleSet, region: str | None, tax: str) -> None:
    a = assess(parcel(tee("100.00", rate="0"), ship_from="CN", region=region), ca)
    assert a.tax == D(tax)


# --- date switches ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "duty", "tax"),
    [
        # before CUSMA: CAD 20 for all. Duty 100.00 x 0.18 = 18.00; HST 118.00 x 0.13 = 15.34
        ("2020-06-30", "18.00", "15.34"),
        # CUSMA: 100.00 <= 150 duty relieved; 100.00 > 40: HST 13.00
        ("2020-07-01", "0.00", "13.00"),
    ],
)
def test_cusma_switch(ca: RuleSet, date: str, duty: str, tax: str) -> None:
    a = assess(parcel(tee("100.00"), ship_from="US", date=date), ca)
    assert (a.duty, a.tax) == (D(duty), D(tax))


@pytest.mark.parametrize(("date", "tax"), [("2025-03-31", "15.00"), ("2025-04-01", "14.00")])
def test_nova_scotia_hst_switch(ca: RuleSet, date: str, tax: str) -> None:
    # 100.00 from China, MFN free: HST 15% then 14% (confirmed by the provincial release)
    a = both(parcel(tee("100.00", rate="0"), ship_from="CN", region="NS", date=date), ca)
    assert a.tax == D(tax)


def test_nova_scotia_14_percent_is_confirmed(ca: RuleSet) -> None:
    tax = ca.at(dt.date(2025, 4, 1)).tax
    assert tax is not None
    ns = next(r for r in tax.rates if r.key == "NS")
    assert (ns.rate, ns.unconfirmed) == (D("0.14"), False)
    assert "ns-release-2025" in ns.source


def test_no_version_before_2015_04_01(ca: RuleSet) -> None:
    with pytest.raises(NotInForceError):
        assess(parcel(tee("100.00"), ship_from="CN", date="2015-03-31"), ca)


def test_explain_names_sources_and_flags_doubt(ca: RuleSet) -> None:
    a = assess(parcel(tee("150.01"), ship_from="US"), ca)
    text = a.explain()
    assert "SI/2020-34" in text
    assert "CUSMA courier, duty" in text
    assert "[unconfirmed value]" in text  # FOB valuation and the tax base are [U]/[S]
