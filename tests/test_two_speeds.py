"""Two speeds, one answer: assess_frame equals assess to the cent, for every shipment and field.

Random rule sets exercise every feature of the rule schema (version choice by date, fx,
valuation factor, CIF, thresholds with conditions, scopes, measures and reliefs, exclusions,
low-value methods, every duty method, regional, category and component taxes, every rounding
mode and quantum, per-line rounding, minimums, fees); random shipments sit at, just under and
just over every amount in the rule set. Then every bundled regime and its GEA options.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import lvs_duty
from lvs_duty import Item, LvsDutyError, RuleSet, Shipment, assess, shipments_to_frame
from lvs_duty.countries import COUNTRIES
from lvs_duty.errors import RuleFileError
from lvs_duty.frame import AMOUNTS, assess_frame, to_decimal_frame
from lvs_duty.money import ROUNDING_MODES, minor_unit
from lvs_duty.options import gea_options

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
    None,
]
RATES = ["0", "0.05", "0.065", "0.18", "0.0725", "0.2", "1", "0.125"]
CONDITION_FIELDS = {
    "mode": ["post", "courier"],
    "ship_from": ["US", "MX", "CN", "GB"],
    "origin": ["CN", "US"],
    "destination": ["CA", "FR", "JP"],
    "region": ["ON", "NS", "AB"],
}
SOURCE = "law"

# --- rule sets --------------------------------------------------------------------------------


def money(draw: st.DrawFn, digits: int, top: int = 400) -> str:
    """An amount in the regime currency, sometimes with a fraction of the minor unit."""
    whole = draw(st.integers(0, top))
    if digits == 0:
        return str(draw(st.sampled_from([whole, whole * 10, whole * 100])))
    cents = draw(st.sampled_from(["00", "01", "50", "99"]))
    extra = draw(st.sampled_from(["", "", "", "5"]))
    return f"{whole}.{cents}{extra}"


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, pool in CONDITION_FIELDS.items():
        if draw(st.integers(0, 3)) == 0:
            out[key] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))
    if draw(st.integers(0, 4)) == 0:
        out["gift"] = draw(st.booleans())
    return out


@st.composite
def categories(draw: st.DrawFn, digits: int) -> list[dict[str, Any]]:
    out = []
    for k in range(draw(st.integers(1, 4))):
        charge = draw(
            st.sampled_from(["rate", "rate", "item_rate", "item", "kg", "litre", "litre_alcohol"])
        )
        row: dict[str, Any] = {"name": f"c{k}"}
        if charge == "rate":
            row["rate"] = draw(st.sampled_from(RATES))
        elif charge == "item_rate":
            row["item_rate"] = True
        else:
            row["amount"] = draw(st.sampled_from(["0.5", "3", "0.125", "76", "1.01"]))
            row["per"] = charge
        if draw(st.booleans()):
            row["hs_prefixes"] = draw(
                st.lists(
                    st.sampled_from(["61", "6109", "610910", "22", "2203", "85", "24", "49"]),
                    max_size=2,
                    unique=True,
                )
            )
        if "rate" in row and draw(st.booleans()):
            low = draw(st.sampled_from(["0", "0.03", "0.05", "0.15"]))
            high = draw(st.sampled_from(["0.05", "0.13", "0.25", "1"]))
            if D(low) <= D(high):
                row["mfn_min"], row["mfn_max"] = low, high
        out.append(row)
    del digits
    return out


@st.composite
def duty_methods(draw: st.DrawFn, digits: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(["mfn", "free", "flat", "categories", "rate_bands"]))
    method: dict[str, Any] = {"kind": kind, "source": SOURCE}
    if kind == "flat":
        if draw(st.booleans()):
            method["rate"] = draw(st.sampled_from(RATES))
            if draw(st.booleans()):
                method["deduction"] = draw(st.sampled_from(["1", "0.005", "3.50", "20"]))
        else:
            method["amount"] = draw(st.sampled_from(["3", "2.50", "0.125", "10"]))
            method["per"] = draw(st.sampled_from(["shipment", "item", "subheading"]))
    elif kind == "categories":
        cats = draw(categories(digits))
        method["categories"] = cats
        if draw(st.booleans()):
            method["default"] = draw(st.sampled_from([c["name"] for c in cats]))
    elif kind == "rate_bands":
        bands: list[dict[str, Any]] = []
        for below in sorted(
            draw(st.lists(st.sampled_from(["0.05", "0.065", "0.15"]), max_size=2, unique=True)),
            key=D,
        ):
            bands.append(
                {
                    "below": below,
                    "inclusive": draw(st.booleans()),
                    "amount": draw(st.sampled_from(["0", "1.5", "0.125", "10"])),
                }
            )
        bands.append({"amount": draw(st.sampled_from(["3", "20", "4.005"]))})
        method["bands"] = bands
        method["per"] = draw(st.sampled_from(["shipment", "item"]))
    return method


@st.composite
def taxes(draw: st.DrawFn, basis: str, digits: int) -> dict[str, Any]:
    tax: dict[str, Any] = {"name": "VAT", "source": SOURCE}
    style = draw(st.sampled_from(["plain", "plain", "keyed", "components"]))
    rate = draw(st.sampled_from(["0.05", "0.2", "0.10", "0.0725", "0.125", "0"]))
    if style == "components":
        first = draw(st.sampled_from(["0.078", "0.05", "0.1"]))
        second = draw(st.sampled_from(["0.022", "0.025", "0"]))
        tax["rate"] = str(D(first) + D(second))
        quantum = "100" if digits == 0 else draw(st.sampled_from(["0.01", "1", "0.05"]))
        tax["components"] = [
            {
                "name": "national",
                "rate": first,
                "source": SOURCE,
                **({"quantum": quantum} if draw(st.booleans()) else {}),
            },
            {"name": "local", "rate": second, "source": SOURCE},
        ]
        if draw(st.booleans()):  # a ratio of the rounded national part, as Japan's 22/78
            tax["rate"] = "0.1"
            tax["components"] = [
                {
                    "name": "national",
                    "rate": "0.078",
                    "source": SOURCE,
                    **({"quantum": quantum} if draw(st.booleans()) else {}),
                },
                {
                    "name": "local",
                    "of": "national",
                    "ratio": [22, 78],
                    "source": SOURCE,
                    **({"quantum": quantum} if draw(st.booleans()) else {}),
                },
            ]
    else:
        if style == "keyed":
            tax["rate_key"] = draw(st.sampled_from(["region", "destination"]))
            keys = CONDITION_FIELDS[tax["rate_key"]]
            tax["rates"] = [
                {
                    "key": k,
                    "rate": draw(st.sampled_from(["0.13", "0.15", "0.14", "0.2"])),
                    "source": SOURCE,
                }
                for k in draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
            ]
            if draw(st.booleans()):
                tax["rate"] = rate
        else:
            tax["rate"] = rate
        if draw(st.booleans()):
            tax["categories"] = [
                {"name": "books", "rate": "0", "hs_prefixes": ["49"], "source": SOURCE},
                {"name": "food", "rate": "0.055", "hs_prefixes": ["2203", "64"], "source": SOURCE},
            ][: draw(st.integers(1, 2))]
    parts = ["goods", "customs_value", "duty", "shipping", "insurance"]
    base = draw(st.lists(st.sampled_from(parts), min_size=1, max_size=4, unique=True))
    if basis == "CIF" and "customs_value" in base:
        base = [p for p in base if p not in ("shipping", "insurance")]
    tax["base"] = base
    tax["sale_base"] = draw(st.lists(st.sampled_from(parts), min_size=1, max_size=3, unique=True))
    if draw(st.integers(0, 3)) == 0:
        tax["min_collectable"] = {
            "amount": money(draw, digits, 10),
            "inclusive": draw(st.booleans()),
            "source": SOURCE,
        }
    return tax


@st.composite
def versions(draw: st.DrawFn, digits: int, start: dt.date, end: dt.date | None) -> dict[str, Any]:
    basis = draw(st.sampled_from(["FOB", "CIF"]))
    version: dict[str, Any] = {
        "valid_from": start,
        "valuation": {
            "basis": basis,
            "source": SOURCE,
            "factor": draw(st.sampled_from(["1", "1", "0.6", "0.333", "0.75"])),
        },
        "duty": {"general": draw(duty_methods(digits))},
    }
    if end is not None:
        version["valid_to"] = end
    unit = "1" if digits == 0 else "0.01"
    rounding: dict[str, Any] = {
        "mode": draw(st.sampled_from(ROUNDING_MODES)),
        "per": draw(st.sampled_from(["shipment", "shipment", "line"])),
    }
    if draw(st.integers(0, 3)) == 0:
        rounding["quantum"] = draw(st.sampled_from([unit, "100" if digits == 0 else "0.05"]))
    if draw(st.integers(0, 3)) == 0:
        rounding["duty_quantum"] = draw(st.sampled_from(["1", "100" if digits == 0 else "0.10"]))
    if draw(st.integers(0, 4)) == 0:
        rounding["tax_base_quantum"] = draw(st.sampled_from(["1", "10", "1000"]))
    version["rounding"] = rounding
    thresholds = []
    for k in range(draw(st.integers(0, 4))):
        thresholds.append(
            {
                "name": f"t{k}",
                "applies_to": draw(st.sampled_from(["duty", "tax"])),
                "amount": money(draw, digits, 200),
                "inclusive": draw(st.booleans()),
                "measure": draw(st.sampled_from(["goods", "customs_value", "cif"])),
                "scope": draw(st.sampled_from(["consignment", "consignment", "item"])),
                "relief": draw(st.sampled_from(["exempt", "sale"])),
                "when": draw(conditions()),
                "source": SOURCE,
            }
        )
    version["thresholds"] = thresholds
    if draw(st.booleans()):
        version["exclusions"] = [
            {
                "name": f"x{k}",
                "source": SOURCE,
                "hs_prefixes": draw(
                    st.lists(
                        st.sampled_from(["22", "2203", "24", "8703", "61"]),
                        min_size=1,
                        max_size=2,
                        unique=True,
                    )
                ),
                "excluded_from": draw(
                    st.lists(
                        st.sampled_from(
                            ["duty_relief", "tax_relief", "low_value_duty", "special_duty"]
                        ),
                        min_size=1,
                        unique=True,
                    )
                ),
            }
            for k in range(draw(st.integers(1, 2)))
        ]
    if draw(st.booleans()):
        version["duty"]["low_value"] = {
            "ceiling": money(draw, digits, 300),
            "inclusive": draw(st.booleans()),
            "measure": draw(st.sampled_from(["goods", "customs_value", "cif"])),
            "method": draw(duty_methods(digits)),
            "source": SOURCE,
        }
    if draw(st.integers(0, 2)) == 0:
        version["duty"]["special"] = [
            {
                "name": f"sp{k}",
                "when": draw(conditions()),
                "method": draw(duty_methods(digits)),
                "measure": draw(st.sampled_from(["goods", "customs_value", "cif"])),
                "inclusive": draw(st.booleans()),
                "source": SOURCE,
                **({"ceiling": money(draw, digits, 300)} if draw(st.booleans()) else {}),
            }
            for k in range(draw(st.integers(1, 2)))
        ]
    if draw(st.integers(0, 3)) == 0:
        version["duty"]["min_collectable"] = {
            "amount": money(draw, digits, 5),
            "inclusive": draw(st.booleans()),
            "source": SOURCE,
        }
    if draw(st.integers(0, 4)) > 0:
        version["tax"] = draw(taxes(basis, digits))
    if draw(st.integers(0, 3)) == 0:
        version["min_collectable"] = {
            "amount": money(draw, digits, 8),
            "inclusive": draw(st.booleans()),
            "source": SOURCE,
        }
    fees = []
    for k in range(draw(st.integers(0, 2))):
        fees.append(
            {
                "name": f"f{k}",
                "amount": "5" if digits == 0 else draw(st.sampled_from(["2.00", "0.35", "10"])),
                "per": draw(st.sampled_from(["shipment", "item", "line"])),
                "when": draw(conditions()),
                "border_only": draw(st.booleans()),
                "source": SOURCE,
            }
        )
    version["fees"] = fees
    return version


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    currency = draw(st.sampled_from(["CAD", "CAD", "EUR", "JPY"]))
    digits = 0 if currency == "JPY" else 2
    split = draw(st.booleans())
    first_end = dt.date(2024, 1, 1) if split else None
    data = {
        "code": "RND",
        "name": "Random regime",
        "currency": currency,
        "sources": {SOURCE: {"title": "Random Act"}},
        "versions": [draw(versions(digits, dt.date(2020, 1, 1), first_end))]
        + ([draw(versions(digits, dt.date(2024, 1, 1), None))] if split else []),
    }
    try:
        return RuleSet.build(data)
    except RuleFileError:
        assume(False)
        raise


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
    day = draw(
        st.sampled_from(
            [
                dt.date(2019, 12, 31),
                dt.date(2020, 1, 1),
                dt.date(2023, 12, 31),
                dt.date(2024, 1, 1),
                dt.date(2026, 3, 1),
            ]
        )
    )
    unit = minor_unit(currency)
    return Shipment(
        draw(st.sampled_from(CONDITION_FIELDS["destination"])),
        day,
        currency,
        [draw(items(rules, near, currency)) for _ in range(draw(st.integers(1, 4)))],
        ship_from=draw(st.sampled_from([*CONDITION_FIELDS["ship_from"], None])),
        origin=draw(st.sampled_from([*CONDITION_FIELDS["origin"], None])),
        mode=draw(st.sampled_from(["post", "courier"])),
        region=draw(st.sampled_from([*CONDITION_FIELDS["region"], None])),
        gift=draw(st.booleans()),
        shipping=draw(st.sampled_from([0, 1, 999, 2500])) * unit,
        insurance=draw(st.sampled_from([0, 0, 1, 333])) * unit,
        id=f"s{index}",
    )


FX = {"USD": D("1.3579"), "EUR": D("1.4712"), "JPY": D("0.0091"), "CAD": D("0.6811")}


def same_answers(
    population: list[Shipment], rules: RuleSet, fx: dict[str, D] | None = None
) -> None:
    """assess_frame gives every shipment exactly what assess gives it, or flags what it refuses."""
    result = assess_frame(shipments_to_frame(population), rules, fx=fx, errors="flag")
    got = to_decimal_frame(result)
    assert len(got) == len(population)
    for position, shipment in enumerate(population):
        row = got.iloc[position]
        assert row["shipment_id"] == shipment.id
        try:
            expected = assess(shipment, rules, fx=fx)
        except LvsDutyError:
            assert row["status"] == "error", f"{shipment.id}: scalar refused, frame did not"
            continue
        assert row["status"] == "ok", f"{shipment.id}: {row['error']}"
        for name in AMOUNTS:
            assert row[name] == getattr(expected, name), (shipment.id, name)
            assert str(row[name]) == str(getattr(expected, name)), (shipment.id, name)
        for name in ("duty_collection", "tax_collection", "border_collection", "classifications"):
            assert row[name] == getattr(expected, name), (shipment.id, name)


@CI
@given(data=st.data())
def test_random_rule_sets_and_shipments(data: st.DataObject) -> None:
    rules = data.draw(rule_sets(), label="rules")
    population = [data.draw(shipments(rules, k)) for k in range(data.draw(st.integers(1, 6)))]
    same_answers(population, rules, fx=FX)


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


@st.composite
def bundled_shipment(draw: st.DrawFn, rules: RuleSet, index: int) -> Shipment:
    version = draw(st.sampled_from(rules.versions))
    end = version.valid_to or version.valid_from + dt.timedelta(days=730)
    day = version.valid_from + dt.timedelta(
        days=draw(st.integers(0, (end - version.valid_from).days - 1))
    )
    near = edges(rules)
    return Shipment(
        draw(st.sampled_from(destinations(rules))),
        day,
        rules.currency,
        [
            Item(
                draw(st.sampled_from([h for h in HS if h])),
                draw(values(rules, near)),
                quantity=draw(st.integers(1, 3)),
                duty_rate=draw(st.sampled_from(RATES[:6])),
                volume_l="1",
                abv="0.05",
                weight_kg="1",
            )
            for _ in range(draw(st.integers(1, 3)))
        ],
        ship_from=draw(st.sampled_from(["US", "MX", "CN", "GB", None])),
        origin=draw(st.sampled_from(["CN", "US", None])),
        mode=draw(st.sampled_from(["courier", "post"])),
        region=draw(st.sampled_from(["ON", "NS", "AB", None])),
        shipping=draw(st.sampled_from([0, 1, 999, 2500])) * rules.minor_unit,
        gift=draw(st.booleans()),
        id=f"b{index}",
    )


@pytest.mark.parametrize("name", sorted(BUNDLED))
@settings(CI, max_examples=max(EXAMPLES // 12, 5))
@given(data=st.data())
def test_every_bundled_regime(name: str, data: st.DataObject) -> None:
    rules = BUNDLED[name]
    population = [data.draw(bundled_shipment(rules, k)) for k in range(6)]
    same_answers(population, rules)
