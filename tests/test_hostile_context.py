"""Issue 9: every public entry computes in the library's own decimal context, whatever the caller's.

Each entry runs once in the default context and again under a narrow context (3 digits) and a
trapping one (Inexact and Rounded raise): the answers must be identical, to the digit.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pandas as pd
import pytest

import lvs_duty
from lvs_duty import Item, Shipment
from lvs_duty.analysis import notches, split_incentive, threshold_sweep
from lvs_duty.frame import assess_frame, to_decimal_frame
from lvs_duty.options import gea_options
from lvs_duty.simulate import population
from lvs_duty.testing import check_rules

CA = lvs_duty.load_rules("CA")
PARCEL = Shipment(
    "CA",
    "2026-03-01",
    "CAD",
    [Item("6109", "1234.56", duty_rate="0.18"), Item("851762", "99.99", duty_rate="0.065")],
    ship_from="CN",
    region="ON",
    shipping="12.34",
    id="P1",
)
USD = PARCEL.model_copy(update={"currency": "USD", "id": "U1"})
FX = {"USD": "1.3579"}


def _frame(result: pd.DataFrame) -> Any:
    return result.astype(str).values.tolist()


ENTRIES: dict[str, Callable[[], Any]] = {
    "Shipment": lambda: (
        PARCEL.goods_value,
        Shipment("CA", "2026-03-01", "CAD", [Item("61", "1234.56")]).goods_value,
    ),
    "assess": lambda: lvs_duty.assess(PARCEL, CA).explain(),
    "assess fx": lambda: lvs_duty.assess(USD, CA, fx=FX).explain(),
    "assess_frame": lambda: _frame(
        assess_frame(lvs_duty.shipments_to_frame([PARCEL, USD]), CA, fx=FX)
    ),
    "to_decimal_frame": lambda: _frame(
        to_decimal_frame(assess_frame(lvs_duty.shipments_to_frame([PARCEL]), CA))
    ),
    "compare+summarize": lambda: _frame(
        lvs_duty.summarize(lvs_duty.compare([PARCEL], gea_options(CA)))
    ),
    "compare frame": lambda: _frame(
        lvs_duty.summarize(lvs_duty.compare(population(30, "CA", seed=1), gea_options(CA)))
    ),
    "gea_options": lambda: gea_options(CA, ceiling="150.005", flat="0.0333").keys(),
    "notches": lambda: [str(n) for n in notches(CA, PARCEL)],
    "threshold_sweep": lambda: _frame(threshold_sweep([PARCEL], CA, ["20", "40.01"], "tax")),
    "split_incentive": lambda: str(split_incentive(PARCEL, CA)),
    "population": lambda: _frame(population(20, "CA", seed=3)),
    "check_rules": lambda: str(check_rules(CA, examples=3, invariants=["non_negative"])),
    "load_rules": lambda: lvs_duty.load_rules("JP").model_dump_json(),
}

HOSTILE = {
    "prec=3": decimal.Context(prec=3, rounding=decimal.ROUND_DOWN),
    "trapping": decimal.Context(prec=5, traps=[decimal.Inexact, decimal.Rounded]),
}


@pytest.mark.parametrize("context", sorted(HOSTILE))
@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_a_hostile_ambient_context_changes_nothing(entry: str, context: str) -> None:
    expected = ENTRIES[entry]()
    with decimal.localcontext(HOSTILE[context]):
        got = ENTRIES[entry]()
    assert got == expected


def test_the_parcel_is_worth_checking() -> None:
    # 1234.56 + 99.99 = 1334.55: a sum a 3-digit context would round to 1.33E+3
    assert PARCEL.goods_value == D("1334.55")
