"""A charge levied on the duty (surcharges) and a tax base uplift: hand-worked, both paths.

A regime in code: currency EUR, FOB, MFN duty, VAT 20% on (customs value + duty), a VAT
threshold of EUR 50 collected at the point of sale; surcharges and uplift as each test sets.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from _both_paths import both
from lvs_duty import (
    Item,
    RuleSet,
    Shipment,
    assess,
    assess_frame,
    shipments_to_frame,
    to_decimal_frame,
)


def regime(
    surcharges: list[dict[str, Any]], uplift: str | None = None, per: str = "shipment"
) -> RuleSet:
    tax: dict[str, Any] = {
        "name": "VAT",
        "rate": "0.20",
        "base": ["customs_value", "duty"],
        "source": "law",
    }
    if uplift is not None:
        tax["uplift"] = {"rate": uplift, "source": "law"}
    return RuleSet.build(
        {
            "code": "CHG",
            "name": "Charges on charges test regime",
            "currency": "EUR",
            "sources": {"law": {"title": "test law"}},
            "versions": [
                {
                    "valid_from": "2020-01-01",
                    "valuation": {"basis": "FOB", "source": "law"},
                    "rounding": {"per": per, "source": "law"},
                    "thresholds": [
                        {
                            "name": "sale",
                            "applies_to": "tax",
                            "amount": "50",
                            "inclusive": True,
                            "relief": "sale",
                            "source": "law",
                        }
                    ],
                    "duty": {
                        "general": {"kind": "mfn", "source": "law"},
                        "surcharges": [{**s, "source": "law"} for s in surcharges],
                    },
                    "tax": tax,
                }
            ],
        }
    )


def ship(value: str, rate: str = "0.10", **fields: Any) -> Shipment:
    return Shipment("FR", "2026-01-01", "EUR", [Item("6109", value, duty_rate=rate)], **fields)


def test_two_surcharges_each_on_the_duty_not_on_each_other() -> None:
    rules = regime([{"name": "a", "rate": "0.05"}, {"name": "b", "rate": "0.03"}])
    # 100.00 at 10%: duty 10.00 x (1 + 0.05 + 0.03) = 10.80 (not 10.00 x 1.05 x 1.03 = 10.815);
    # VAT 20% x (100.00 + 10.80) = 22.16
    a = both(ship("100.00"), rules)
    assert (a.duty, a.tax) == (D("10.80"), D("22.16"))


def test_a_surcharge_rounds_with_the_duty() -> None:
    rules = regime([{"name": "a", "rate": "0.10"}])
    # 100.05 at 10%: exact duty 10.005 x 1.10 = 11.0055 -> 11.01 (rounding 10.005 first would
    # give 10.01 x 1.10 = 11.011 -> 11.01 here too; 100.04: 10.004 x 1.1 = 11.0044 -> 11.00)
    assert both(ship("100.05"), rules).duty == D("11.01")
    assert both(ship("100.04"), rules).duty == D("11.00")


def test_a_surcharge_only_where_its_condition_holds() -> None:
    rules = regime([{"name": "postal", "rate": "0.50", "when": {"mode": ["post"]}}])
    # by post: duty 10.00 x 1.50 = 15.00; VAT 20% x 115.00 = 23.00
    a = both(ship("100.00", mode="post"), rules)
    assert (a.duty, a.tax) == (D("15.00"), D("23.00"))
    # by courier: duty 10.00; VAT 20% x 110.00 = 22.00
    b = both(ship("100.00", mode="courier"), rules)
    assert (b.duty, b.tax) == (D("10.00"), D("22.00"))


def test_uplift_on_the_border_base() -> None:
    rules = regime([], uplift="0.10")
    # 100.00 (> 50, at the border): duty 10.00; base 100.00 + 10.00 + 10% x 100.00 = 120.00;
    # VAT 24.00
    a = both(ship("100.00"), rules)
    assert (a.duty, a.tax, a.tax_base) == (D("10.00"), D("24.00"), D("120.00"))
    # 0.05 of uplift on 0.45 rounds half-up: 50.45 at 0%: base 50.45 + 5.045 -> 5.05 = 55.50;
    # VAT 11.10
    assert both(ship("50.45", rate="0"), rules).tax == D("11.10")


def test_no_uplift_on_a_tax_collected_at_sale() -> None:
    rules = regime([], uplift="0.10")
    # 40.00 (<= 50): VAT at sale on the sale base (goods + shipping + insurance) 40.00 x 20% =
    # 8.00, no uplift; duty 4.00 at the border
    a = both(ship("40.00"), rules)
    assert (a.tax, a.collected_at_sale, a.tax_base) == (D("8.00"), D("8.00"), D("40.00"))


def test_an_uplift_too_large_for_int64_flags_its_own_parcel() -> None:
    # uplift 15% = 3/20: the frame path multiplies each tax group's customs value by 3. Rounded
    # per line, the groups are not the parcels: a mark must reach the group's own parcel (it
    # used to be a ValueError, groups and parcels counted alike). 100.00 at 0%: base 100.00 +
    # 15.00 = 115.00, VAT 23.00; 2e15 EUR is 2e17 cents, x 3 passes int64's safe range (2**59).
    rules = regime([], uplift="0.15", per="line")
    big = Shipment(
        "FR",
        "2026-01-01",
        "EUR",
        [Item("6109", "2" + "0" * 15, duty_rate="0"), Item("6110", "1", duty_rate="0")],
    )
    frame = shipments_to_frame([ship("100.00", rate="0"), big, ship("100.00", rate="0")])
    result = to_decimal_frame(assess_frame(frame, rules, errors="flag"))
    assert result["status"].tolist() == ["ok", "error", "ok"]
    assert "int64" in result["error"].iloc[1]
    assert result["tax"].iloc[[0, 2]].tolist() == [D("23.00"), D("23.00")]
    assert assess(big, rules).tax == D("460000000000000.23")  # the Decimal path holds it
