"""Seller registration: relief at sale only for a seller in the destination's scheme.

Hand-worked on a small regime (no duty, 20% tax on the customs value), on both paths: every
case is assessed by :func:`assess` and by :func:`assess_frame`, which must agree to the cent
and on where the tax is collected, before the hand-worked amounts are asserted.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lvs_duty import Item, RuleSet, Shipment, assess, shipments_to_frame
from lvs_duty.frame import assess_frame, to_decimal_frame
from lvs_duty.tabular import read_shipments_csv, write_shipments_csv

SALE = {
    "name": "scheme: tax at sale",
    "applies_to": "tax",
    "amount": "150",
    "inclusive": True,
    "measure": "goods",
    "relief": "sale",
    "source": "law",
}
BORDER_RELIEF = {  # Singapore's shape: relief at the border for sellers outside the scheme
    "name": "unregistered seller: relief at the border",
    "applies_to": "tax",
    "amount": "40",
    "inclusive": True,
    "measure": "goods",
    "when": {"seller_registered": False},
    "source": "law",
}


def regime(*thresholds: dict[str, Any]) -> RuleSet:
    return RuleSet.build(
        {
            "code": "REG",
            "name": "Seller registration",
            "currency": "EUR",
            "sources": {"law": {"title": "Test"}},
            "versions": [
                {
                    "valid_from": "2026-01-01",
                    "valuation": {"basis": "FOB", "source": "law"},
                    "duty": {"general": {"kind": "free", "source": "law"}},
                    "thresholds": list(thresholds),
                    "tax": {
                        "name": "VAT",
                        "rate": "0.20",
                        "base": ["customs_value", "duty"],
                        "sale_base": ["goods"],
                        "source": "law",
                    },
                    "rounding": {"mode": "ROUND_HALF_UP"},
                }
            ],
        }
    )


def parcel(value: str, registered: bool | None, sid: str = "p") -> Shipment:
    return Shipment(
        "FR", "2026-03-01", "EUR", [Item("610910", value)], seller_registered=registered, id=sid
    )


def both(shipments: list[Shipment], rules: RuleSet) -> list[tuple[D, str | None]]:
    """(tax, where collected) per shipment from the scalar path, once the frame path agrees."""
    scalar = [assess(s, rules) for s in shipments]
    frame = to_decimal_frame(assess_frame(shipments_to_frame(shipments), rules))
    assert list(frame["tax"]) == [a.tax for a in scalar]
    assert list(frame["total"]) == [a.total for a in scalar]
    assert list(frame["border_collection"]) == [a.border_collection for a in scalar]
    return [(a.tax, "border" if a.border_collection else "sale") for a in scalar]


def test_a_registered_seller_collects_at_sale_an_unregistered_one_pays_at_the_border() -> None:
    rules = regime(SALE)
    # goods 100.00 <= 150: 20% x 100.00 = 20.00, at sale for a registered (or assumed) seller;
    # the seller outside the scheme has no threshold left: 20.00 at the border
    got = both(
        [parcel("100.00", True, "r"), parcel("100.00", None, "n"), parcel("100.00", False, "u")],
        rules,
    )
    assert got == [(D("20.00"), "sale"), (D("20.00"), "sale"), (D("20.00"), "border")]


def test_over_the_threshold_registration_changes_nothing() -> None:
    rules = regime(SALE)
    # goods 150.01 > 150: 20% x 150.01 = 30.002 -> 30.00 at the border, whoever the seller
    got = both([parcel("150.01", r, f"s{r}") for r in (True, None, False)], rules)
    assert got == [(D("30.00"), "border")] * 3


def test_at_the_threshold_the_sale_relief_needs_a_registered_seller() -> None:
    rules = regime(SALE)
    # goods 150.00 <= 150 (inclusive): 30.00 at sale; unregistered: 30.00 at the border
    got = both([parcel("150.00", True, "r"), parcel("150.00", False, "u")], rules)
    assert got == [(D("30.00"), "sale"), (D("30.00"), "border")]


def test_a_row_for_unregistered_sellers_relieves_at_the_border() -> None:
    rules = regime(SALE, BORDER_RELIEF)
    # unregistered, goods 40.00 <= 40: exempt, 0.00; 40.01 > 40: 20% x 40.01 = 8.002 -> 8.00
    # at the border; registered, 40.00 <= 150: 8.00 at sale (the border row is for the others)
    got = both(
        [
            parcel("39.99", False, "a"),
            parcel("40.00", False, "b"),
            parcel("40.01", False, "c"),
            parcel("40.00", True, "d"),
            parcel("40.00", None, "e"),
        ],
        rules,
    )
    assert got == [
        (D("0.00"), "sale"),  # nothing due anywhere: no border collection
        (D("0.00"), "sale"),
        (D("8.00"), "border"),
        (D("8.00"), "sale"),
        (D("8.00"), "sale"),
    ]


def test_a_condition_on_registration_does_not_take_an_unknown_seller() -> None:
    rules = regime(BORDER_RELIEF)
    # not given counts as registered: the row for unregistered sellers does not hold, so the
    # tax is due in full at the border: 20% x 30.00 = 6.00; the unregistered seller: exempt
    got = both([parcel("30.00", None, "n"), parcel("30.00", False, "u")], rules)
    assert got == [(D("6.00"), "border"), (D("0.00"), "sale")]


def test_explain_names_the_assumption_and_the_threshold_passed_over() -> None:
    rules = regime(SALE)
    assumed = assess(parcel("100.00", None), rules).explain()
    assert "Assumption: seller registration not given" in assumed
    assert "'scheme: tax at sale'" in assumed
    known = assess(parcel("100.00", True), rules).explain()
    assert "Assumption: seller registration" not in known
    unregistered = assess(parcel("100.00", False), rules).explain()
    assert "Seller not registered in the destination's collection scheme" in unregistered
    assert "does not apply" in unregistered


def test_the_condition_is_described_in_words() -> None:
    rules = regime(BORDER_RELIEF)
    text = assess(parcel("30.00", False), rules).explain()
    assert "(seller not registered)" in text


def test_a_nullable_boolean_column_reads_like_the_shipments() -> None:
    rules = regime(SALE)
    shipments = [parcel("100.00", r, f"s{k}") for k, r in enumerate((True, None, False))]
    frame = shipments_to_frame(shipments)
    frame["seller_registered"] = pd.array([True, None, False], dtype="boolean")
    got = to_decimal_frame(assess_frame(frame, rules))
    # the third seller is outside the scheme: 20.00 at the border; the others at sale
    assert list(got["tax"]) == [D("20.00")] * 3
    assert list(got["border_collection"]) == [False, False, True]


def test_a_frame_without_the_column_keeps_todays_behaviour() -> None:
    rules = regime(SALE)
    frame = shipments_to_frame([parcel("100.00", False)]).drop(columns=["seller_registered"])
    got = to_decimal_frame(assess_frame(frame, rules))
    assert list(got["border_collection"]) == [False]  # 20.00 at sale, as before the column


def test_csv_round_trip_keeps_registration(tmp_path: Path) -> None:
    shipments = [parcel("100.00", r, f"s{k}") for k, r in enumerate((True, None, False))]
    path = tmp_path / "parcels.csv"
    write_shipments_csv(shipments, path)
    back = read_shipments_csv(path)
    assert [s.seller_registered for s in back] == [True, None, False]
    text = pd.read_csv(path, dtype=str, keep_default_na=False)
    got = to_decimal_frame(assess_frame(text, regime(SALE)))
    assert list(got["border_collection"]) == [False, False, True]


@pytest.mark.parametrize("cell", ["maybe", "2"])
def test_a_bad_registration_cell_is_refused_by_name(cell: str) -> None:
    frame = shipments_to_frame([parcel("100.00", None)]).astype({"seller_registered": object})
    frame.loc[0, "seller_registered"] = cell
    got = assess_frame(frame, regime(SALE), errors="flag")
    assert list(got["status"]) == ["error"]
    assert "seller_registered" in str(got["error"].iloc[0])


# --- a tax base of its own for registered sellers (New Zealand: GST on the duty alone) -------


def duty_regime(**tax: Any) -> RuleSet:
    """10% duty on FOB above a EUR 100 duty threshold; 20% tax, at sale up to EUR 100."""
    return RuleSet.build(
        {
            "code": "REGB",
            "name": "Registered base",
            "currency": "EUR",
            "sources": {"law": {"title": "Test"}},
            "versions": [
                {
                    "valid_from": "2026-01-01",
                    "valuation": {"basis": "FOB", "source": "law"},
                    "duty": {"general": {"kind": "flat", "rate": "0.10", "source": "law"}},
                    "thresholds": [
                        {**SALE, "amount": "100", "name": "at sale"},
                        {**SALE, "amount": "100", "applies_to": "duty", "relief": "exempt"},
                    ],
                    "tax": {
                        "name": "GST",
                        "rate": "0.20",
                        "base": ["customs_value", "duty", "shipping"],
                        "sale_base": ["goods"],
                        "source": "law",
                        **tax,
                    },
                    "rounding": {"mode": "ROUND_HALF_UP"},
                }
            ],
        }
    )


def shipped(value: str, registered: bool | None, sid: str) -> Shipment:
    return Shipment(
        "NZ",
        "2026-03-01",
        "EUR",
        [Item("610910", value)],
        shipping="10.00",
        seller_registered=registered,
        id=sid,
    )


def test_a_registered_seller_pays_tax_on_the_duty_alone_at_the_border() -> None:
    rules = duty_regime(registered_base=["duty"])
    # 120.00 > 100: duty 10% x 120.00 = 12.00; registered: GST 20% x 12.00 = 2.40;
    # not given or not registered: GST 20% x (120.00 + 12.00 + 10.00) = 28.40
    got = both([shipped("120.00", r, f"s{r}") for r in (True, None, False)], rules)
    assert got == [(D("2.40"), "border"), (D("28.40"), "border"), (D("28.40"), "border")]


def test_under_the_threshold_the_registered_seller_still_collects_at_sale() -> None:
    rules = duty_regime(registered_base=["duty"])
    # 100.00 <= 100: no duty; GST 20% x 100.00 = 20.00 at sale, the border base is not used
    assert both([shipped("100.00", True, "r")], rules) == [(D("20.00"), "sale")]


def test_without_a_registered_base_registration_changes_no_border_tax() -> None:
    rules = duty_regime()
    # 28.40 at the border, as above, for every seller
    got = both([shipped("120.00", r, f"s{r}") for r in (True, None, False)], rules)
    assert got == [(D("28.40"), "border")] * 3


def test_explain_says_which_base_and_why() -> None:
    rules = duty_regime(registered_base=["duty"])
    registered = assess(shipped("120.00", True, "r"), rules).explain()
    assert "Seller registered: GST was charged on the goods at sale" in registered
    assert "border base is duty" in registered
    unknown = assess(shipped("120.00", None, "n"), rules).explain()
    assert "Assumption: seller registration not given, so GST at the border" in unknown


def test_a_registered_base_counting_transport_twice_is_refused() -> None:
    data = {
        "code": "BAD",
        "name": "Bad",
        "currency": "EUR",
        "sources": {"law": {"title": "Test"}},
        "versions": [
            {
                "valid_from": "2026-01-01",
                "valuation": {"basis": "CIF", "source": "law"},
                "duty": {"general": {"kind": "free", "source": "law"}},
                "tax": {
                    "name": "VAT",
                    "rate": "0.2",
                    "registered_base": ["customs_value", "shipping"],
                    "source": "law",
                },
            }
        ],
    }
    with pytest.raises(Exception, match="registered_base"):
        RuleSet.build(data)
