"""Exclusions scoped to named thresholds or allowances: hand-worked cases on both paths.

GB (gb.toml): perfume (HS 3303) is kept out of the two GBP 135 rows, not out of the GBP 39 gift
VAT row; alcohol and tobacco stay out of every relief. A regime in code checks the scope on an
allowance (advertising matter out of a gift allowance only) and the file check.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

import lvs_duty
from _both_paths import both
from lvs_duty import Item, RuleSet, Shipment
from lvs_duty.errors import LvsDutyError


@pytest.fixture(scope="module")
def gb() -> RuleSet:
    return lvs_duty.load_rules("GB")


def gb_parcel(item: Item, gift: bool) -> Shipment:
    return Shipment("GB", "2024-05-01", "GBP", [item], gift=gift, ship_from="CN")


@pytest.mark.parametrize(
    ("value", "rate", "gift", "duty", "vat"),
    [
        # perfume gift 30.00 (<= 39): the gift VAT row is not in the scope: no VAT;
        # duty: the GBP 135 duty row is, so duty is charged at the caller's 0%: 0.00
        ("30.00", "0", True, "0.00", "0.00"),
        # at 39.00 with a caller's 4%: duty 39.00 x 0.04 = 1.56 (out of the 135 duty row);
        # VAT relieved (<= 39)
        ("39.00", "0.04", True, "1.56", "0.00"),
        # over, 39.01: the gift row does not admit it: VAT at the border 39.01 x 0.20 = 7.802
        # -> 7.80
        ("39.01", "0", True, "0.00", "7.80"),
        # not a gift, 30.00: the GBP 135 VAT-at-sale row excludes perfume: VAT at the border
        # 30.00 x 0.20 = 6.00
        ("30.00", "0", False, "0.00", "6.00"),
    ],
)
def test_gb_perfume_is_out_of_the_135_regime_not_out_of_gift_relief(
    gb: RuleSet, value: str, rate: str, gift: bool, duty: str, vat: str
) -> None:
    a = both(gb_parcel(Item("330300", value, duty_rate=rate), gift), gb)
    assert (a.duty, a.tax) == (D(duty), D(vat))
    assert a.collected_at_sale == 0


def test_gb_wine_gift_is_still_excluded(gb: RuleSet) -> None:
    # wine gift 20.00 at 10%: alcohol is out of every relief: duty 2.00; VAT 22.00 x 0.20 = 4.40
    a = both(gb_parcel(Item("220421", "20.00", duty_rate="0.10"), True), gb)
    assert (a.duty, a.tax) == (D("2.00"), D("4.40"))


def regime(scope: list[str]) -> dict[str, Any]:
    return {
        "code": "SCP",
        "name": "Scoped exclusion test regime",
        "currency": "CAD",
        "sources": {"law": {"title": "test law"}},
        "versions": [
            {
                "valid_from": "2020-01-01",
                "valuation": {"basis": "FOB", "source": "law"},
                "thresholds": [
                    {
                        "name": f"CAD 20, {kind}",
                        "applies_to": kind,
                        "amount": "20",
                        "inclusive": True,
                        "source": "law",
                    }
                    for kind in ("duty", "tax")
                ],
                "allowances": [
                    {"name": "gift", "amount": "60", "when": {"gift": True}, "source": "law"}
                ],
                "exclusions": [
                    {
                        "name": "advertising matter",
                        "hs_prefixes": ["4911"],
                        "thresholds": scope,
                        "source": "law",
                    }
                ],
                "duty": {"general": {"kind": "mfn", "source": "law"}},
                "tax": {
                    "name": "VAT",
                    "rate": "0.10",
                    "base": ["customs_value", "duty"],
                    "source": "law",
                },
            }
        ],
    }


def ship(*items: Item, gift: bool) -> Shipment:
    return Shipment("CA", "2026-01-01", "CAD", list(items), gift=gift)


def test_an_exclusion_scoped_to_an_allowance() -> None:
    rules = RuleSet.build(regime(["gift"]))
    ads, shirt = Item("491110", "50.00", duty_rate="0.10"), Item("6109", "50.00", duty_rate="0.10")
    # a gift: the advertising matter takes no share: the shirt alone, 50.00 <= 60, exempt;
    # the ads pay in full: duty 5.00, VAT (50.00 + 5.00) x 0.10 = 5.50
    a = both(ship(ads, shirt, gift=True), rules)
    assert (a.duty, a.tax) == (D("5.00"), D("5.50"))
    # not a gift, ads of 15.00 (<= 20): the CAD 20 rows are not in the scope: exempt
    b = both(ship(Item("491110", "15.00", duty_rate="0.10"), gift=False), rules)
    assert b.total == D("0.00")


def test_an_exclusion_scoped_to_a_threshold() -> None:
    rules = RuleSet.build(regime(["CAD 20, tax"]))
    # ads 15.00 (<= 20), not a gift: duty relieved (the duty row is not in the scope); tax
    # not relieved: VAT 15.00 x 0.10 = 1.50
    a = both(ship(Item("491110", "15.00", duty_rate="0.10"), gift=False), rules)
    assert (a.duty, a.tax) == (D("0.00"), D("1.50"))
    # a gift of ads 15.00: the allowance is not in the scope: exempt
    assert both(ship(Item("491110", "15.00", duty_rate="0.10"), gift=True), rules).total == 0


def test_a_scope_must_name_a_threshold_or_allowance() -> None:
    with pytest.raises(LvsDutyError, match=r"exclusions\[0\].*thresholds.*CAD 20, duty"):
        RuleSet.build(regime(["CAD 150"]))


def test_option_3_moves_a_scoped_exclusion_onto_the_thresholds_it_replaces() -> None:
    # GB perfume (HS 3303) is excluded from the GBP 135 regime only. Option 3 replaces the
    # GBP 135 thresholds with its own: the exclusion follows them, gift relief stays as it is.
    from lvs_duty import load_rules
    from lvs_duty.options import gea_options

    vat = gea_options(load_rules("GB"))["duty_free_vat"]
    version = vat.versions[-1]
    names = {t.name for t in version.thresholds}
    scoped = [e for e in version.exclusions if e.thresholds]
    assert scoped, "gb.toml's scoped exclusion is kept"
    for exclusion in scoped:
        assert set(exclusion.thresholds) <= names
        assert "GEA option 3 duty" in exclusion.thresholds
        assert "GEA option 3 tax" in exclusion.thresholds
