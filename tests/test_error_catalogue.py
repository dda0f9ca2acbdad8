"""The error catalogue of the README: every error class, when it is raised, an example message.

Like the bad-rule-file catalogue: each row's example is produced by a real call here, and every
error class lvs_duty exports has its row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import lvs_duty
from lvs_duty import Item, LvsDutyError, Shipment, assess, errors, load_rules, loads_rules
from lvs_duty.frame import assess_frame
from lvs_duty.options import gea_options

CA = load_rules("CA")
BROKEN = """
code = "MINE"
name = "My rules"
currency = "XX"
[sources]
s = { title = "My tariff" }
[[versions]]
valid_from = 2026-01-01
valuation = { basis = "FOB", source = "s" }
duty = { general = { kind = "free", source = "s" } }
"""


def _ca(value: str, **more: object) -> Shipment:
    fields: dict[str, object] = {"region": "ON", "ship_from": "CN", "id": "P1", **more}
    currency = str(fields.pop("currency", "CAD"))
    date = str(fields.pop("date", "2026-03-01"))
    items = [Item("6109", value, category=fields.pop("category", None))]
    return Shipment(str(fields.pop("destination", "CA")), date, currency, items, **fields)


TRIGGERS: dict[str, Callable[[], object]] = {
    "ShipmentError": lambda: Item("6109", "-5"),
    "AmountTypeError": lambda: Item("6109", 19.99),
    "RuleFileError": lambda: loads_rules(BROKEN, file="mine.toml"),
    "UnknownRulesError": lambda: load_rules("XX"),
    "NotInForceError": lambda: assess(_ca("10.00", date="1990-01-01"), CA),
    "CurrencyError": lambda: assess(_ca("10.00", currency="USD"), CA),
    "UnknownCategoryError": lambda: assess(
        _ca("100.00", category="toys"), gea_options(CA)["category_tariff"]
    ),
    "RateUnavailableError": lambda: assess(_ca("200.00"), CA),
    "ArgumentError": lambda: assess(_ca("10.00", currency="USD"), CA, fx={"USD": "abc"}),
    "FrameError": lambda: assess_frame(
        pd.DataFrame(
            {
                "shipment_id": ["A"],
                "destination": ["CA"],
                "date": ["2026-03-01"],
                "currency": ["CAD"],
                "value": [19.99],
            }
        ),
        CA,
    ),
}


def catalogue() -> dict[str, tuple[str, str]]:
    """The README's catalogue rows: class -> (when raised, example message)."""
    text = Path("README.md").read_text(encoding="utf-8")
    block = text.split("<!-- error-catalogue -->")[1]
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \| `(.+)` \|$", block, re.M)
    return {name: (when, example) for name, when, example in rows}


def test_every_error_class_is_catalogued() -> None:
    exported = {
        name
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
        and issubclass(getattr(errors, name), LvsDutyError)
        and name != "LvsDutyError"
    }
    assert set(catalogue()) == exported == set(TRIGGERS)


@pytest.mark.parametrize("name", sorted(TRIGGERS))
def test_the_example_message_is_what_the_call_says(name: str) -> None:
    when, example = catalogue()[name]
    assert when.strip()
    with pytest.raises(LvsDutyError) as caught:
        TRIGGERS[name]()
    assert type(caught.value).__name__ == name
    assert example in str(caught.value).replace("\n", " ")
    assert isinstance(caught.value, getattr(lvs_duty, name))
