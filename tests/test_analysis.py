"""lvs_duty.analysis: notches, threshold sweeps and split incentives, worked by hand.

The toy regime (tests/_toy.py): EUR, FOB, each line's MFN rate, VAT 20% on (customs value +
duty), rounded half-up to the cent once per shipment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pandas as pd
import pytest

import lvs_duty
from _toy import parcel, th, toy
from lvs_duty import ArgumentError, Item
from lvs_duty.analysis import notch_table, notches, split_incentive, threshold_sweep

SHIRT = Item("610910", "10.00", duty_rate="0.12")


def law(kind: str, **more: Any) -> dict[str, Any]:
    return {"kind": kind, "source": "law", **more}


# -- notches ------------------------------------------------------------------------------------


def test_notches_at_the_tax_and_duty_thresholds() -> None:
    rules = toy(thresholds=[th("duty", "150"), th("tax", "22")])
    found = notches(rules, parcel(SHIRT))
    assert [n.at for n in found] == [D("22.00"), D("150.00")]
    vat, duty = found

    # EUR 22.00: both relieved, 0. EUR 22.01: VAT 20% x 22.01 = 4.402 -> 4.40
    assert vat.kinds == ("tax threshold",)
    assert vat.rule == "tax threshold 'tax 22' (customs_value <= EUR 22)"
    assert (vat.total_at, vat.total_above, vat.jump, vat.excess) == (
        D("0.00"),
        D("4.40"),
        D("4.40"),
        D("4.40"),
    )
    # net of charges 22.00 at the notch; V - 0.2 V < 22 up to 27.49 (tax 5.50, net 21.99);
    # at 27.50 tax 5.50, net 22.00
    assert vat.dominated_to == D("27.49")
    assert vat.band == (D("22.01"), D("27.49"))

    # EUR 150.00: VAT 30.00. EUR 150.01: duty 12% = 18.0012 -> 18.00, VAT 20% x (150.01 +
    # 18.00) = 33.602 -> 33.60, total 51.60; held under the threshold, VAT alone 30.002 ->
    # 30.00, so all 21.60 of the jump is the notch
    assert (duty.total_at, duty.total_above, duty.jump, duty.excess) == (
        D("30.00"),
        D("51.60"),
        D("21.60"),
        D("21.60"),
    )
    # net 120.00 at the notch; at 182.91: duty 21.9492 -> 21.95, VAT 20% x 204.86 = 40.972
    # -> 40.97, total 62.92, net 119.99; at 182.92: duty 21.95, VAT 40.974 -> 40.97, net 120.00
    assert duty.dominated_to == D("182.91")


def test_a_ceiling_where_the_charge_falls_has_no_dominated_band() -> None:
    # flat 10% up to EUR 100, MFN 5% above it; no tax
    rules = toy(
        duty={
            "general": law("mfn"),
            "low_value": {"ceiling": "100", "method": law("flat", rate="0.10"), "source": "law"},
        },
        tax=None,
    )
    found = notches(rules, parcel(Item("950300", "1", duty_rate="0.05")))
    assert len(found) == 1
    ceiling = found[0]
    # 100.00 x 10% = 10.00; 100.01 x 5% = 5.0005 -> 5.00; held in the band, 10.001 -> 10.00
    assert ceiling.at == D("100.00")
    assert ceiling.kinds == ("low-value ceiling",)
    assert (ceiling.total_at, ceiling.total_above, ceiling.jump, ceiling.excess) == (
        D("10.00"),
        D("5.00"),
        D("-5.00"),
        D("-5.00"),
    )
    assert ceiling.dominated_to is None
    assert ceiling.band is None


def test_a_minimum_collectable_makes_a_notch() -> None:
    # flat 5% duty, CAD-style minimum: duty of EUR 2.00 or less is not collected
    rules = toy(
        duty={
            "general": law("flat", rate="0.05"),
            "min_collectable": {"amount": "2", "source": "law"},
        },
        tax=None,
    )
    found = notches(rules, parcel(SHIRT))
    assert len(found) == 1
    minimum = found[0]
    # 40.09 x 5% = 2.0045 -> 2.00, waived; 40.10 x 5% = 2.005 -> 2.01, collected
    assert minimum.at == D("40.09")
    assert minimum.kinds == ("minimum collectable",)
    assert minimum.rule == ("duty no longer waived under the minimum collectable (duty EUR 2)")
    assert (minimum.total_at, minimum.total_above, minimum.jump) == (
        D("0.00"),
        D("2.01"),
        D("2.01"),
    )
    assert minimum.excess == D("2.00")  # the jump less the cent the duty rose by anyway
    # net 40.09 at the notch; 42.19: duty 2.1095 -> 2.11, net 40.08; 42.20: 2.11, net 40.09
    assert minimum.dominated_to == D("42.19")


def test_per_item_threshold_notches_line_by_line() -> None:
    # VAT relief per item, EUR 22 or less each; lines worth 1:3 of the basket; MFN free
    rules = toy(thresholds=[th("tax", "22", scope="item", measure="goods")])
    basket = parcel(Item("950300", "10.00", duty_rate="0"), Item("950300", "30.00", duty_rate="0"))
    found = notches(rules, basket, max_value="100")
    # V cents spread 1:3 in whole cents: line 1 floor(V/4), line 2 the rest.
    # line 2 reaches 22.01 at V = 29.34 (7.33 + 22.01); line 1 at V = 88.04 (22.01 + 66.03)
    assert [n.at for n in found] == [D("29.33"), D("88.03")]
    first, second = found
    assert first.rule.endswith(", per item), line 2")
    # 29.34: line 2 taxed, 20% x 22.01 = 4.402 -> 4.40
    assert (first.total_at, first.total_above, first.excess) == (D("0.00"), D("4.40"), D("4.40"))
    # net 29.33; 34.50: line 2 25.88, tax 5.176 -> 5.18, net 29.32; 34.51: line 2 25.89,
    # tax 5.178 -> 5.18, net 29.33
    assert first.dominated_to == D("34.50")
    # 88.03: line 2 66.03 taxed, 13.206 -> 13.21. 88.04: both taxed, 20% x 88.04 = 17.608
    # -> 17.61; held, line 1 stays relieved: 13.21
    assert (second.total_at, second.total_above, second.jump, second.excess) == (
        D("13.21"),
        D("17.61"),
        D("4.40"),
        D("4.40"),
    )
    # net 74.82; 93.51: tax 18.702 -> 18.70, net 74.81; 93.52: 18.704 -> 18.70, net 74.82
    assert second.dominated_to == D("93.51")


RTS = toy(
    duty={
        "general": law("mfn"),
        "special": [
            {
                "name": "up to 50",
                "ceiling": "50",
                "measure": "cif",
                "method": law("flat", rate="0.20"),
                "source": "law",
            },
            {
                "name": "up to 3000",
                "ceiling": "3000",
                "measure": "cif",
                "method": law("flat", rate="0.60", deduction="20"),
                "source": "law",
            },
        ],
    },
    tax=None,
)
"""Brazil's simplified regime in miniature: 20% to 50, 60% less 20 to 3,000, MFN above."""


def test_a_kink_is_no_notch_but_a_fall_at_a_ceiling_is() -> None:
    found = notches(RTS, parcel(Item("950300", "1", duty_rate="0.20")), max_value="4000")
    # at 50.00: 20% = 10.00; at 50.01: 60% x 50.01 - 20 = 10.006 -> 10.01, where staying at
    # 20% gives 10.002 -> 10.00: a rounding cent, but unrounded the two meet at 50 (a kink)
    assert [n.at for n in found] == [D("3000.00")]
    fall = found[0]
    # at 3000.00: 60% x 3000 - 20 = 1780.00; at 3000.01 MFN 20% = 600.002 -> 600.00, where
    # the special kept would give 1780.006 -> 1780.01
    assert fall.kinds == ("special-duty ceiling",)
    assert fall.rule == "special duty 'up to 3000' ceiling (cif <= EUR 3000)"
    assert (fall.total_at, fall.total_above, fall.jump, fall.excess) == (
        D("1780.00"),
        D("600.00"),
        D("-1180.00"),
        D("-1180.01"),
    )
    assert fall.dominated_to is None


def test_sweep_of_a_special_duty_ceiling_by_name() -> None:
    sweep = threshold_sweep(POPULATION, RTS, [0, 100], which="ceiling", name="up to 50")
    # ceiling 0: all three in the 60% band less 20: 10.00 x 60% = 6.00 - 20 -> 0 (not below
    #   zero), 60.00 - 20 = 40.00, 120.00 - 20 = 100.00: 140.00
    # ceiling 100: 10.00 and 100.00 at 20% (2.00 + 20.00), 200.00 at 60% less 20 (100.00)
    assert list(sweep["revenue"]) == [D("140.00"), D("122.00")]


def test_a_threshold_that_changes_nothing_is_no_notch() -> None:
    # duty threshold at EUR 150 on duty-free goods: crossing it changes no amount
    rules = toy(thresholds=[th("duty", "150")], tax=None)
    assert notches(rules, parcel(Item("490199", "5", duty_rate="0"))) == []


def test_notches_of_a_lone_item_under_a_bundled_regime() -> None:
    # Canada, courier from the US: tax relieved to CAD 40, duty to CAD 150 (HST 13% in ON)
    rules = lvs_duty.load_rules("CA")
    basket = lvs_duty.Shipment(
        "CA",
        "2026-03-01",
        "CAD",
        [Item("6109", "10", duty_rate="0.18")],
        ship_from="US",
        region="ON",
    )
    found = notches(rules, basket)
    # 40.01 x 13% = 5.2013 -> 5.20; at 150.01 duty 27.0018 -> 27.00 and HST 13% x 177.01 =
    # 23.0113 -> 23.01, total 50.01 against 13% x 150 = 19.50
    assert [(n.at, n.total_above) for n in found] == [
        (D("40.00"), D("5.20")),
        (D("150.00"), D("50.01")),
    ]
    table = notch_table(found)
    assert list(table["at"]) == [D("40.00"), D("150.00")]
    assert list(table["label"]) == list(table["rule"])


def test_an_item_basket_needs_a_country_coded_regime() -> None:
    with pytest.raises(ArgumentError, match="notches: basket expected a Shipment"):
        notches(toy(), SHIRT)


# -- threshold sweeps ---------------------------------------------------------------------------


POPULATION = [
    parcel(Item("610910", v, duty_rate="0.12"), id=f"P{i}")
    for i, v in enumerate(("10.00", "100.00", "200.00"))
]


def test_sweep_of_the_duty_threshold() -> None:
    rules = toy(thresholds=[th("duty", "150"), th("tax", "22")])
    before = rules.model_copy(deep=True)
    sweep = threshold_sweep(POPULATION, rules, ["0", "150"], which="duty")
    assert list(sweep["threshold"]) == [D("0"), D("150")]
    # duty threshold 0: 10.00 -> duty 1.20, VAT relieved (<= 22): 1.20;
    #   100.00 -> duty 12.00 + VAT 20% x 112.00 = 22.40: 34.40;
    #   200.00 -> duty 24.00 + VAT 20% x 224.00 = 44.80: 68.80. Revenue 104.40.
    # duty threshold 150: 10.00 -> 0; 100.00 -> VAT 20.00; 200.00 -> 68.80. Revenue 88.80.
    assert list(sweep["revenue"]) == [D("104.40"), D("88.80")]
    assert list(sweep["duty"]) == [D("37.20"), D("24.00")]
    assert list(sweep["shipments_charged"]) == [3, 2]
    assert list(sweep["border_collection_events"]) == [3, 2]
    assert list(sweep["classifications"]) == [3, 1]  # MFN lines classified only when dutiable
    assert list(sweep["shipments"]) == [3, 3]
    assert rules == before  # the baseline is untouched


def test_sweep_of_the_tax_threshold_from_a_frame() -> None:
    rules = toy(thresholds=[th("duty", "150"), th("tax", "22")])
    frame = lvs_duty.shipments_to_frame(POPULATION)
    sweep = threshold_sweep(frame, rules, [0, 150], which="tax")
    # tax threshold 0: 10.00 -> VAT 2.00; 100.00 -> 20.00; 200.00 -> 68.80. Revenue 90.80.
    # tax threshold 150: 10.00 -> 0; 100.00 -> 0; 200.00 -> 68.80.
    assert list(sweep["revenue"]) == [D("90.80"), D("68.80")]
    assert list(sweep["tax"]) == [D("66.80"), D("44.80")]


def test_sweep_of_a_frame_runs_the_frame_path_and_equals_the_list(ca: lvs_duty.RuleSet) -> None:
    # A table is swept on the vectorised path (one compare over every moved rule set); the
    # figures must be those of the per-shipment path, row for row and to the cent, including
    # repeated amounts, which keep their own rows in the given order.
    frame = lvs_duty.simulate.population(300, "CA", seed=7)
    amounts = [D("150"), D("0"), D("20"), D("150"), D("300")]
    for rules in lvs_duty.options.gea_options(ca).values():
        on_frame = threshold_sweep(frame, rules, amounts, which="duty")
        on_list = threshold_sweep(lvs_duty.frame_to_shipments(frame), rules, amounts, which="duty")
        pd.testing.assert_frame_equal(on_frame, on_list)
        assert list(on_frame["threshold"]) == amounts


def test_sweep_adds_a_threshold_where_there_is_none() -> None:
    sweep = threshold_sweep(POPULATION, toy(tax=None), [D("50")], which="duty")
    # only the 100.00 and 200.00 parcels pay 12% duty: 12.00 + 24.00
    assert list(sweep["revenue"]) == [D("36.00")]


def test_sweep_of_the_ceiling() -> None:
    rules = toy(
        duty={
            "general": law("mfn"),
            "low_value": {"ceiling": "100", "method": law("flat", rate="0.05"), "source": "law"},
        },
        tax=None,
    )
    sweep = threshold_sweep(POPULATION, rules, [0, 1000], which="ceiling")
    # ceiling 0: MFN 12% on all: 1.20 + 12.00 + 24.00 = 37.20; ceiling 1000: 5% flat on all,
    # 0.50 + 5.00 + 10.00 = 15.50
    assert list(sweep["revenue"]) == [D("37.20"), D("15.50")]
    assert list(sweep["classifications"]) == [3, 0]


def test_sweep_moves_only_the_named_threshold_and_keeps_gift_reliefs() -> None:
    rules = lvs_duty.load_rules("CA")
    gift = lvs_duty.Shipment(
        "CA",
        "2026-03-01",
        "CAD",
        [Item("6109", "50", duty_rate="0.18")],
        mode="post",
        gift=True,
        region="ON",
    )
    plain = gift.model_copy(update={"gift": False})
    sweep = threshold_sweep(
        [gift, plain], rules, [100], which="duty", name="CAD 20 remission, duty"
    )
    # the postal gift relief (CAD 60) still frees the gift; the plain parcel's duty is now
    # relieved (50 <= 100) and it pays HST 13% of 50 = 6.50 (the tax threshold stays CAD 20)
    assert list(sweep["revenue"]) == [D("6.50")]


# -- split incentive ----------------------------------------------------------------------------


def test_splitting_two_lines_under_the_duty_de_minimis() -> None:
    rules = toy(thresholds=[th("duty", "150"), th("tax", "22")])
    whole = parcel(
        Item("610910", "100.00", duty_rate="0.12"),
        Item("620442", "100.00", duty_rate="0.12"),
        shipping="10.00",
    )
    result = split_incentive(whole, rules)
    # whole: goods 200 > 150: duty 12% x 200 = 24.00, VAT 20% x 224.00 = 44.80: 68.80.
    # split: each 100 <= 150, no duty; VAT 20% x 100 = 20.00 each: 40.00
    assert (result.total, result.split_total, result.saving) == (D("68.80"), D("40.00"), D("28.80"))
    assert result.lowers
    assert result.how == "lines 1 | 2"
    assert result.parts is not None
    first, second = result.parts
    assert (first.shipping, second.shipping) == (D("5.00"), D("5.00"))  # shared by value


def test_halving_a_single_line() -> None:
    rules = toy(thresholds=[th("duty", "150"), th("tax", "22")])
    result = split_incentive(
        parcel(Item("610910", "200.00", quantity=2, duty_rate="0.12", weight_kg="1.5")), rules
    )
    assert (result.total, result.split_total, result.saving) == (D("68.80"), D("40.00"), D("28.80"))
    assert result.how == "its one line halved"
    assert result.parts is not None
    assert [p.items[0].quantity for p in result.parts] == [1, 1]
    assert [p.items[0].weight_kg for p in result.parts] == [D("0.75"), D("0.75")]


def test_no_incentive_when_splitting_changes_nothing() -> None:
    rules = toy()  # no thresholds: VAT from the first cent
    result = split_incentive(parcel(Item("490199", "100.00", duty_rate="0")), rules)
    # VAT 20% x 100 = 20.00 whole; 20% x 50 = 10.00 twice
    assert (result.total, result.split_total, result.saving) == (D("20.00"), D("20.00"), D("0.00"))
    assert not result.lowers


# -- bad arguments ------------------------------------------------------------------------------

TOY = toy()
BASKET = parcel(SHIRT)


BAD_ARGS: list[tuple[Any, tuple[Any, ...], dict[str, Any], str]] = [
    (notches, ("TOY", BASKET), {}, "rules"),
    (notches, (TOY, "basket"), {}, "basket"),
    (notches, (TOY, BASKET.model_copy(update={"currency": "USD"})), {}, "basket"),
    (notches, (TOY, BASKET), {"on": dt.date(1990, 1, 1)}, "on"),
    (notches, (TOY, BASKET), {"max_value": 1.5}, "max_value"),
    (notches, (TOY, BASKET), {"max_value": 0}, "max_value"),
    (threshold_sweep, (POPULATION, TOY, [10]), {"which": "vat"}, "which"),
    (threshold_sweep, (POPULATION, TOY, [10.5]), {}, "thresholds[0]"),
    (threshold_sweep, (POPULATION, TOY, [-1]), {}, "thresholds[0]"),
    (threshold_sweep, (POPULATION, TOY, []), {}, "thresholds"),
    (threshold_sweep, (POPULATION, TOY, "150"), {}, "thresholds"),
    (threshold_sweep, (POPULATION, TOY, [10]), {"which": "ceiling"}, "which"),
    (threshold_sweep, (POPULATION, TOY, [10]), {"which": "ceiling", "name": "x"}, "name"),
    (threshold_sweep, (POPULATION, TOY, [10]), {"name": 3}, "name"),
    (threshold_sweep, (POPULATION, TOY, [10]), {"name": "nope"}, "name"),
    (threshold_sweep, ([1], TOY, [10]), {}, "population[0]"),
    (threshold_sweep, ("parcels", TOY, [10]), {}, "population"),
    (threshold_sweep, (POPULATION, None, [10]), {}, "rules"),
    (split_incentive, ("parcel", TOY), {}, "shipment"),
    (split_incentive, (BASKET, TOY), {"max_lines": 0}, "max_lines"),
    (split_incentive, (parcel(*[SHIRT] * 3), TOY), {"max_lines": 2}, "shipment"),
    (split_incentive, (BASKET, TOY), {"on": "2025-01-01"}, "on"),
]


@pytest.mark.parametrize(
    ("function", "args", "kwargs", "argument"),
    BAD_ARGS,
    ids=[f"{f.__name__}-{a}-{i}" for i, (f, _, _, a) in enumerate(BAD_ARGS)],
)
def test_bad_arguments_are_named(
    function: Any, args: tuple[Any, ...], kwargs: dict[str, Any], argument: str
) -> None:
    with pytest.raises(ArgumentError) as caught:
        function(*args, **kwargs)
    assert caught.value.argument == argument
    assert f"{function.__name__}: {argument} expected" in str(caught.value)


def test_sweep_result_frame_shape() -> None:
    sweep = threshold_sweep(POPULATION, toy(), [1, 2, 3])
    assert isinstance(sweep, pd.DataFrame)
    assert list(sweep.columns)[:2] == ["threshold", "currency"]
    assert len(sweep) == 3
