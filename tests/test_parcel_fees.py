"""National parcel fees (issue 11): fees by destination and value band, on both paths.

A synthetic regime checks ``band_scope`` (a fee per line tested on the parcel's value); the EU
rule file's Romanian, French and Italian fees are then worked by hand across their start dates
and value limits. Every case is assessed by :func:`assess` and :func:`assess_frame`, which
must agree to the cent before the hand-worked amounts are asserted.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

import lvs_duty
from lvs_duty import Item, RuleSet, Shipment, assess, shipments_to_frame
from lvs_duty.errors import RuleFileError
from lvs_duty.frame import assess_frame, to_decimal_frame

EU = lvs_duty.load_rules("EU")


def fees_only(**fee: Any) -> RuleSet:
    return RuleSet.build(
        {
            "code": "FEES",
            "name": "Fees only",
            "currency": "EUR",
            "sources": {"law": {"title": "Test"}},
            "versions": [
                {
                    "valid_from": "2026-01-01",
                    "valuation": {"basis": "FOB", "source": "law"},
                    "duty": {"general": {"kind": "free", "source": "law"}},
                    "rounding": {"mode": "ROUND_HALF_UP"},
                    "fees": [{"name": "fee", "source": "law", **fee}],
                }
            ],
        }
    )


def parcel(dest: str, date: str, *values: str, sid: str = "p", qty: int = 1) -> Shipment:
    items = [Item(f"6109{k}0", v, duty_rate="0.12", quantity=qty) for k, v in enumerate(values)]
    return Shipment(dest, date, "EUR", items, id=sid)


def both(shipments: list[Shipment], rules: RuleSet) -> list[tuple[D, D]]:
    """(fees, total) per shipment from the scalar path, after checking the frame path agrees."""
    scalar = [assess(s, rules) for s in shipments]
    frame = to_decimal_frame(assess_frame(shipments_to_frame(shipments), rules))
    assert list(frame["fees"]) == [a.fees for a in scalar]
    assert list(frame["total"]) == [a.total for a in scalar]
    return [(a.fees, a.total) for a in scalar]


# --- band_scope -------------------------------------------------------------------------------


def test_a_fee_per_line_on_the_parcels_value_counts_every_line() -> None:
    rules = fees_only(
        amount="2", per="line", band_scope="consignment", max_value="150", inclusive=False
    )
    # 60.00 + 40.00 = 100.00 < 150: 2 lines x 2 = 4.00; 60.00 + 89.99 = 149.99: 4.00;
    # 60.00 + 90.00 = 150.00 (not under 150): none, though each line is under 150
    got = both(
        [
            parcel("FR", "2026-03-01", "60.00", "40.00", sid="a"),
            parcel("FR", "2026-03-01", "60.00", "89.99", sid="b"),
            parcel("FR", "2026-03-01", "60.00", "90.00", sid="c"),
        ],
        rules,
    )
    assert [fees for fees, _ in got] == [D("4.00"), D("4.00"), D("0.00")]


def test_a_fee_per_item_on_the_parcels_value_counts_every_unit() -> None:
    rules = fees_only(amount="0.50", per="item", band_scope="consignment", max_value="150")
    # 2 lines of 3 units, 30.00 + 20.00 = 50.00 <= 150: 6 units x 0.50 = 3.00
    got = both([parcel("FR", "2026-03-01", "30.00", "20.00", qty=3)], rules)
    assert got == [(D("3.00"), D("3.00"))]


def test_the_default_still_tests_each_line() -> None:
    rules = fees_only(amount="2", per="line", max_value="150", inclusive=False)
    # lines 60.00 and 90.00 are each under 150 (the parcel is not): 2 x 2 = 4.00
    assert both([parcel("FR", "2026-03-01", "60.00", "90.00")], rules) == [(D("4.00"),) * 2]


def test_a_fee_per_shipment_cannot_test_lines() -> None:
    with pytest.raises(RuleFileError, match="band_scope"):
        fees_only(amount="2", per="shipment", band_scope="line", max_value="150")


# --- EU national parcel fees ------------------------------------------------------------------


def test_romania_ron_25_from_2026() -> None:
    # 2026-01-01, goods 100.00: duty relieved, VAT 21% x 100.00 = 21.00 at sale (IOSS, assumed);
    # fee RON 25 = EUR 4.91: total 25.91; 149.99 < 150: VAT 31.4979 -> 31.50 + 4.91 = 36.41;
    # 150.00 is not under 150: no fee, 31.50; the day before: no fee, 21.00
    got = both(
        [
            parcel("RO", "2026-01-01", "100.00", sid="a"),
            parcel("RO", "2026-01-01", "149.99", sid="b"),
            parcel("RO", "2026-01-01", "150.00", sid="c"),
            parcel("RO", "2025-12-31", "100.00", sid="d"),
        ],
        EU,
    )
    assert got == [
        (D("4.91"), D("25.91")),
        (D("4.91"), D("36.41")),
        (D("0.00"), D("31.50")),
        (D("0.00"), D("21.00")),
    ]


def test_france_eur_2_per_article_from_2026_03_01() -> None:
    # 2026-03-01, lines 60.00 + 40.00: 2 x 2 = 4.00 + VAT 20% x 100.00 = 20.00: 24.00;
    # lines 60.00 + 100.00 = 160.00 (not under 150): no fee; duty: 12% x 160.00 = 19.20, VAT
    # 20% x 179.20 = 35.84: 55.04; on 2026-02-28: no fee, 20.00
    got = both(
        [
            parcel("FR", "2026-03-01", "60.00", "40.00", sid="a"),
            parcel("FR", "2026-03-01", "60.00", "100.00", sid="b"),
            parcel("FR", "2026-02-28", "60.00", "40.00", sid="c"),
        ],
        EU,
    )
    assert got == [(D("4.00"), D("24.00")), (D("0.00"), D("55.04")), (D("0.00"), D("20.00"))]


def test_italy_eur_2_per_consignment_from_2026_07_01() -> None:
    # 2026-07-01, goods 100.00: EUR 3 duty (one subheading) + VAT 22% x 100.00 = 22.00 at
    # sale + fee 2.00 = 27.00; 150.00 (up to 150): 3.00 + 33.00 + 2.00 = 38.00; on
    # 2026-06-30: duty relieved, 22.00, no fee
    got = both(
        [
            parcel("IT", "2026-07-01", "100.00", sid="a"),
            parcel("IT", "2026-07-01", "150.00", sid="b"),
            parcel("IT", "2026-06-30", "100.00", sid="c"),
        ],
        EU,
    )
    assert got == [(D("2.00"), D("27.00")), (D("2.00"), D("38.00")), (D("0.00"), D("22.00"))]


def test_a_fee_of_one_member_state_is_not_charged_in_another() -> None:
    # DE 2026-07-01, goods 100.00: 3.00 duty + VAT 19% x 100.00 = 19.00, no national fee
    assert both([parcel("DE", "2026-07-01", "100.00")], EU) == [(D("0.00"), D("22.00"))]


def test_explain_cites_the_fee_and_its_band() -> None:
    text = assess(parcel("FR", "2026-03-01", "60.00", "40.00"), EU).explain()
    assert "France: EUR 2 per article" in text
    assert "(goods of the consignment below EUR 150)" in text


# --- US: informal entry fee, fiscal year 2026 -------------------------------------------------

US = lvs_duty.load_rules("US")


def us_parcel(date: str, value: str, sid: str, **more: Any) -> Shipment:
    return Shipment("US", date, "USD", [Item("610910", value, duty_rate="0.25")], id=sid, **more)


def test_us_informal_entry_fee_on_courier_entries_in_fiscal_year_2026() -> None:
    # courier 2025-10-01, 50.00 at 25%: duty 12.50 + fee 2.69 = 15.19; the day before (FY2025,
    # not modelled): 12.50; by post: 12.50 (no informal entry fee); 2026-09-30: 15.19;
    # 2026-10-01 (FY2027, not modelled): 12.50
    got = both(
        [
            us_parcel("2025-10-01", "50.00", "a"),
            us_parcel("2025-09-30", "50.00", "b"),
            us_parcel("2025-10-01", "50.00", "c", mode="post"),
            us_parcel("2026-09-30", "50.00", "d"),
            us_parcel("2026-10-01", "50.00", "e"),
        ],
        US,
    )
    assert got == [
        (D("2.69"), D("15.19")),
        (D("0.00"), D("12.50")),
        (D("0.00"), D("12.50")),
        (D("2.69"), D("15.19")),
        (D("0.00"), D("12.50")),
    ]


def test_us_informal_entry_fee_needs_an_informal_entry_with_duty() -> None:
    # 2,500.00 (informal, up to USD 2,500): duty 625.00 + 2.69 = 627.69; 2,500.01 (formal
    # entry): 625.0025 -> 625.00, no fee; a gift of 50.00 (relieved, nothing collected): 0
    got = both(
        [
            us_parcel("2026-03-01", "2500.00", "a"),
            us_parcel("2026-03-01", "2500.01", "b"),
            us_parcel("2026-03-01", "50.00", "c", gift=True),
        ],
        US,
    )
    assert got == [(D("2.69"), D("627.69")), (D("0.00"), D("625.00")), (D("0.00"), D("0.00"))]
