"""Two speeds, one answer: assess_frame equals assess to the cent, for every shipment and field.

Random rule sets from :func:`lvs_duty.strategies.rule_sets` (the one generator, which draws
every field of the rule schema: tests/test_schema_coverage.py holds it to that) meet random
shipments that sit at, just under and just over every amount in the rule set, dated around every
version boundary. Then every bundled regime and its GEA options.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal as D
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lvs_duty
from _windows import in_windows, split_groups
from lvs_duty import Item, LvsDutyError, RuleSet, Shipment, assess, shipments_to_frame
from lvs_duty.countries import COUNTRIES
from lvs_duty.frame import AMOUNTS, assess_frame, to_decimal_frame
from lvs_duty.money import minor_unit
from lvs_duty.options import gea_options
from lvs_duty.schedules import Schedule, available_schedules, load_schedule
from lvs_duty.strategies import CONDITION_VALUES, rule_sets

# Hundreds of examples in CI; LVS_FRAME_EXAMPLES lowers it for a quick local run.
EXAMPLES = int(os.environ.get("LVS_FRAME_EXAMPLES", "300"))
settings.register_profile(
    "frame-ci", max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
CI = settings.get_profile("frame-ci")

HS = [
    "610910",
    "61091000",
    "6109",
    "851762",
    "2203",
    "220300",
    "220421",
    "2208",
    "24",
    "240220",
    "490199",
    "8703",
    "640399",
    "64",
    "950300",
    "851712",
    "620342",
    "330300",
    "100630",
    None,
]
RATES = ["0", "0.05", "0.065", "0.18", "0.0725", "0.2", "1", "0.125"]
# every value rule_sets() puts in a condition or a regional key, and one it never does
CONDITION_FIELDS = {
    name: [*pool, *extra]
    for (name, pool), extra in zip(
        CONDITION_VALUES.items(), ([], ["JP"], ["JP"], ["CA", "JP"], ["AB"]), strict=True
    )
}


# --- shipments --------------------------------------------------------------------------------


def edges(rules: RuleSet) -> list[D]:
    """Every amount a value can be compared with, and the cent either side of it."""
    unit = rules.minor_unit
    found: set[D] = set()
    for v in rules.versions:
        found |= {t.amount for t in v.thresholds}
        found |= {s.ceiling for s in v.duty.special if s.ceiling is not None}
        if v.duty.low_value is not None:
            found.add(v.duty.low_value.ceiling)
        found |= {a for f in v.fees for a in (f.min_value, f.max_value) if a is not None}
    out = set()
    for amount in found:
        base = amount.quantize(unit, rounding="ROUND_FLOOR")
        for delta in (-1, 0, 1, 2):
            value = base + delta * unit
            if value >= 0:
                out.add(value)
    return sorted(out)


@st.composite
def values(draw: st.DrawFn, rules: RuleSet, near: list[D]) -> D:
    unit = rules.minor_unit
    if near and draw(st.booleans()):
        return draw(st.sampled_from(near))
    return draw(st.integers(0, 60_000)) * unit


@st.composite
def items(draw: st.DrawFn, rules: RuleSet, near: list[D], currency: str) -> Item:
    value = draw(values(rules, near))
    if currency != rules.currency:
        value = D(draw(st.integers(0, 40_000))) * minor_unit(currency)
    extra: dict[str, Any] = {}
    if draw(st.integers(0, 2)) == 0:
        extra["weight_kg"] = draw(st.sampled_from(["0.5", "1.25", "2", "0.333"]))
    if draw(st.integers(0, 1)) == 0:
        extra["volume_l"] = draw(st.sampled_from(["0.33", "1", "0.75", "2.5"]))
    if draw(st.integers(0, 1)) == 0:
        extra["abv"] = draw(st.sampled_from(["0.05", "0.4", "0.125"]))
    category = draw(st.sampled_from([None] * 6 + ["c0", "c1", "nope"]))
    return Item(
        draw(st.sampled_from(HS)),
        value,
        quantity=draw(st.integers(1, 3)),
        duty_rate=draw(st.sampled_from([*RATES, None])),
        category=category,
        **extra,
    )


@st.composite
def shipments(draw: st.DrawFn, rules: RuleSet, index: int) -> Shipment:
    near = edges(rules)
    currency = (
        rules.currency
        if draw(st.integers(0, 4))
        else draw(st.sampled_from(["USD", "EUR", "JPY", "CAD"]))
    )
    day = draw(st.sampled_from(around_versions(rules)))
    unit = minor_unit(currency)
    return Shipment(
        draw(st.sampled_from(CONDITION_FIELDS["destination"])),
        day,
        currency,
        [draw(items(rules, near, currency)) for _ in range(draw(st.integers(1, 4)))],
        ship_from=draw(st.sampled_from([*CONDITION_FIELDS["ship_from"], None])),
        origin=draw(st.sampled_from([*CONDITION_FIELDS["origin"], None])),
        mode=draw(st.sampled_from(CONDITION_FIELDS["mode"])),
        region=draw(st.sampled_from([*CONDITION_FIELDS["region"], None])),
        gift=draw(st.booleans()),
        seller_registered=draw(st.sampled_from([None, True, False])),
        shipping=draw(st.sampled_from([0, 1, 999, 2500])) * unit,
        insurance=draw(st.sampled_from([0, 0, 1, 333])) * unit,
        id=f"s{index}",
    )


def around_versions(rules: RuleSet) -> list[dt.date]:
    """Each version's first and last day and the days either side (before the first: refused)."""
    one = dt.timedelta(days=1)
    days = set()
    for v in rules.versions:
        days |= {v.valid_from - one, v.valid_from, v.valid_from + 400 * one}
        if v.valid_to is not None:
            days |= {v.valid_to - one, v.valid_to}
    return sorted(days)


FX = {"USD": D("1.3579"), "EUR": D("1.4712"), "JPY": D("0.0091"), "CAD": D("0.6811")}


def same_answers(
    population: list[Shipment],
    rules: RuleSet,
    fx: dict[str, D] | None = None,
    schedule: Schedule | None = None,
) -> None:
    """assess_frame gives every shipment exactly what assess gives it, or flags what it refuses."""
    frame = shipments_to_frame(population)
    result = assess_frame(frame, rules, fx=fx, errors="flag", schedule=schedule)
    with in_windows():  # cut between every shipment, three threads: the very same frame
        windowed = assess_frame(frame, rules, fx=fx, errors="flag", schedule=schedule)
    pd.testing.assert_frame_equal(windowed, result)
    with split_groups():  # shipments of several rounding groups rounded apart: the same again
        apart = assess_frame(frame, rules, fx=fx, errors="flag", schedule=schedule)
    pd.testing.assert_frame_equal(apart, result)
    got = to_decimal_frame(result)
    assert len(got) == len(population)
    for position, shipment in enumerate(population):
        row = got.iloc[position]
        assert row["shipment_id"] == shipment.id
        try:
            expected = assess(shipment, rules, fx=fx, schedule=schedule)
        except LvsDutyError:
            assert row["status"] == "error", f"{shipment.id}: scalar refused, frame did not"
            continue
        assert row["status"] == "ok", f"{shipment.id}: {row['error']}"
        for name in AMOUNTS:
            assert row[name] == getattr(expected, name), (shipment.id, name)
            assert str(row[name]) == str(getattr(expected, name)), (shipment.id, name)
        for name in ("duty_collection", "tax_collection", "border_collection", "classifications"):
            assert row[name] == getattr(expected, name), (shipment.id, name)


# Schedule lines for the HS codes above, in every rate form, some amounts finer than a cent:
# rate-less items take them (a line's own rate still wins), by the longest prefix.
SCHEDULE_LINES: list[dict[str, Any]] = [
    {"hs": "6109", "ad_valorem": "0.12"},
    {"hs": "610910", "ad_valorem": "0.165"},
    {"hs": "2203", "specific": {"amount": "0.193", "per": "litre"}},
    {"hs": "220421", "ad_valorem": "0.05", "specific": {"amount": "0.04", "per": "litre"},
     "combine": "max"},
    {"hs": "2402", "ad_valorem": "0.3", "specific": {"amount": "1.275", "per": "kg"},
     "combine": "min"},
    {"hs": "640399", "ad_valorem": "0.1", "specific": {"amount": "0.90", "per": "pair"},
     "combine": "sum"},
    {"hs": "851762", "ad_valorem": "0"},
    {"hs": "950300", "specific": {"amount": "0.0333", "per": "item"}},
    {"hs": "620342", "ad_valorem": "0.166", "specific": {"amount": "0.772", "per": "kg"},
     "combine": "sum"},
]  # fmt: skip


@st.composite
def schedules(draw: st.DrawFn, rules: RuleSet) -> Schedule:
    """A schedule in the rule set's currency, in force from a day around its versions."""
    lines = draw(
        st.lists(st.sampled_from(SCHEDULE_LINES), min_size=1, unique_by=lambda ln: ln["hs"])
    )
    return Schedule.build(
        {
            "code": "XX",
            "name": "Drawn schedule",
            "currency": rules.currency,
            "sources": {"t": {"title": "Drawn tariff"}},
            "versions": [
                {
                    "valid_from": draw(st.sampled_from(around_versions(rules))),
                    "lines": [{**ln, "source": "t"} for ln in lines],
                }
            ],
        }
    )


@CI
@given(data=st.data())
def test_random_rule_sets_and_shipments(data: st.DataObject) -> None:
    rules = data.draw(rule_sets(), label="rules")
    population = [data.draw(shipments(rules, k)) for k in range(data.draw(st.integers(1, 6)))]
    schedule = data.draw(st.none() | schedules(rules), label="schedule")
    same_answers(population, rules, fx=FX, schedule=schedule)


# --- every bundled regime and its GEA options -------------------------------------------------


def bundled() -> dict[str, RuleSet]:
    out: dict[str, RuleSet] = {}
    for code in lvs_duty.available_rules():
        rules = lvs_duty.load_rules(code)
        out[code] = rules
        try:
            options = gea_options(rules)
        except LvsDutyError:
            continue
        for name, option in options.items():
            out[f"{code}/{name}"] = option
    return out


BUNDLED = bundled()


def destinations(rules: RuleSet) -> list[str]:
    """The regime's own country, or the member states its tax is keyed on (the EU)."""
    own = rules.code.split("+")[0].split("_")[0]
    if own in COUNTRIES:
        return [own]
    keys = {r.key for v in rules.versions if v.tax is not None for r in v.tax.rates}
    return sorted(k for k in keys if k in COUNTRIES)[:5] or ["FR"]


def bundled_schedule(rules: RuleSet) -> Schedule | None:
    """The bundled schedule of the regime, when there is one in its currency."""
    code = rules.code.split("+")[0]
    if code not in available_schedules():
        return None
    schedule = load_schedule(code)
    return schedule if schedule.currency == rules.currency else None


@st.composite
def scheduled_item(draw: st.DrawFn, rules: RuleSet, schedule: Schedule, near: list[D]) -> Item:
    """An item without duty_rate whose HS code one of the schedule's lines covers."""
    version = draw(st.sampled_from(schedule.versions))
    line = draw(st.sampled_from(version.lines))
    tail = draw(st.sampled_from(["", "0", "00", "1234"]))
    return Item(
        (line.hs + tail)[:10],
        draw(values(rules, near)),
        quantity=draw(st.integers(1, 3)),
        weight_kg=draw(st.sampled_from(["0.25", "1", "2.375", None])),
        volume_l=draw(st.sampled_from(["0.75", "1", None])),
    )


@st.composite
def bundled_shipment(draw: st.DrawFn, rules: RuleSet, index: int) -> Shipment:
    version = draw(st.sampled_from(rules.versions))
    end = version.valid_to or version.valid_from + dt.timedelta(days=730)
    day = version.valid_from + dt.timedelta(
        days=draw(st.integers(0, (end - version.valid_from).days - 1))
    )
    near = edges(rules)
    schedule = bundled_schedule(rules)
    scheduled = (
        []
        if schedule is None
        else [draw(scheduled_item(rules, schedule, near)) for _ in range(draw(st.integers(0, 2)))]
    )
    return Shipment(
        draw(st.sampled_from(destinations(rules))),
        day,
        rules.currency,
        scheduled
        + [
            Item(
                draw(st.sampled_from([h for h in HS if h])),
                draw(values(rules, near)),
                quantity=draw(st.integers(1, 3)),
                duty_rate=draw(st.sampled_from(RATES[:6])),
                volume_l="1",
                abv="0.05",
                weight_kg="1",
            )
            for _ in range(draw(st.integers(0 if scheduled else 1, 3)))
        ],
        ship_from=draw(st.sampled_from(["US", "MX", "CN", "GB", None])),
        origin=draw(st.sampled_from(["CN", "US", None])),
        mode=draw(st.sampled_from(["courier", "post"])),
        region=draw(st.sampled_from(["ON", "NS", "AB", None])),
        shipping=draw(st.sampled_from([0, 1, 999, 2500])) * rules.minor_unit,
        gift=draw(st.booleans()),
        seller_registered=draw(st.sampled_from([None, True, False])),
        id=f"b{index}",
    )


@pytest.mark.parametrize("name", sorted(BUNDLED))
@settings(CI, max_examples=max(EXAMPLES // 12, 5))
@given(data=st.data())
def test_every_bundled_regime(name: str, data: st.DataObject) -> None:
    rules = BUNDLED[name]
    population = [data.draw(bundled_shipment(rules, k)) for k in range(6)]
    same_answers(population, rules, schedule=bundled_schedule(rules))
