"""Properties of every assessment under the core regimes and their GEA options.

Amounts are never negative; total = duty + tax + fees; collected never exceeds assessed; every
amount is a whole number of the regime's minor units. Values are drawn around every threshold.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

import lvs_duty
from lvs_duty import Item, RuleSet, Shipment, assess
from lvs_duty.money import to_minor
from lvs_duty.options import gea_options

REGIMES: dict[str, RuleSet] = {}
for code in ("CA", "AU", "SG"):
    for name, rules in gea_options(lvs_duty.load_rules(code)).items():
        REGIMES[f"{code}/{name}"] = rules

EDGES = sorted(
    {t.amount for r in REGIMES.values() for v in r.versions for t in v.thresholds}
    | {D("150"), D("500"), D("1000")}
)
CENT = D("0.01")


@st.composite
def values(draw: st.DrawFn) -> D:
    if draw(st.booleans()):
        edge = draw(st.sampled_from(EDGES))
        return max(D(0), edge + draw(st.sampled_from([-CENT, D(0), CENT])))
    return D(draw(st.integers(0, 300_000))) * CENT


@st.composite
def shipments(draw: st.DrawFn, rules: RuleSet) -> Shipment:
    version = draw(st.sampled_from(rules.versions))
    start = version.valid_from
    end = version.valid_to or dt.date(2027, 12, 31)
    date = start + dt.timedelta(days=draw(st.integers(0, (end - start).days - 1)))
    items = [
        Item(
            draw(st.sampled_from(["610910", "851762", "220421", "490199", "2203", "640399"])),
            draw(values()),
            quantity=draw(st.integers(1, 3)),
            duty_rate=draw(st.sampled_from(["0", "0.05", "0.065", "0.18"])),
            volume_l="1",
            abv="0.05",
        )
        for _ in range(draw(st.integers(1, 3)))
    ]
    destination = rules.code.split("+")[0]
    return Shipment(
        destination,
        date,
        rules.currency,
        items,
        ship_from=draw(st.sampled_from(["US", "MX", "CN", "GB", None])),
        mode=draw(st.sampled_from(["courier", "post"])),
        region=draw(st.sampled_from(["ON", "NS", "AB", None])),
        shipping=draw(st.sampled_from([D(0), D("0.01"), D("9.99"), D("25.00")])),
        gift=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(REGIMES)))
def test_amounts_are_never_negative_and_add_up(data: st.DataObject, name: str) -> None:
    rules = REGIMES[name]
    shipment = data.draw(shipments(rules))
    a = assess(shipment, rules)
    for amount in (a.duty, a.tax, a.fees, a.total, a.duty_assessed, a.tax_assessed):
        assert amount >= 0
        to_minor(amount, rules.currency)  # a whole number of cents, or it raises
    assert a.total == a.duty + a.tax + a.fees
    assert a.total == a.collected_at_border + a.collected_at_sale + a.fees
    assert a.duty <= a.duty_assessed
    assert a.tax <= a.tax_assessed
    assert a.classifications <= len(shipment.items)
