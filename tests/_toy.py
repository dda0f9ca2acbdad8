"""A small hand-built regime for engine tests: change one feature at a time and work it by hand."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from lvs_duty import Item, RuleSet, Shipment

TOY: dict[str, Any] = {
    "code": "TOY",
    "name": "Toy regime",
    "currency": "EUR",
    "sources": {
        "law": {"title": "Toy Customs Act s. 1", "url": "https://example.org/toy-act"},
        "blog": {"title": "A customs blog"},
    },
    "versions": [
        {
            "valid_from": dt.date(2020, 1, 1),
            "valuation": {"basis": "FOB", "source": "law"},
            "duty": {"general": {"kind": "mfn", "source": "law"}},
            "tax": {
                "name": "VAT",
                "rate": "0.20",
                "base": ["customs_value", "duty"],
                "source": "law",
            },
        }
    ],
}


def toy(**version: Any) -> RuleSet:
    """The toy regime with some keys of its single version replaced."""
    data = copy.deepcopy(TOY)
    data["versions"][0].update(version)
    return RuleSet.build(data)


def parcel(*items: Item, **fields: Any) -> Shipment:
    """A shipment to France in EUR on 2025-06-01 unless told otherwise."""
    args = {"destination": "FR", "date": "2025-06-01", "currency": "EUR"}
    args.update(fields)
    return Shipment(
        args.pop("destination"), args.pop("date"), args.pop("currency"), list(items), **args
    )


def th(kind: str, amount: str, **more: Any) -> dict[str, Any]:
    """A threshold row for the toy regime."""
    return {
        "name": f"{kind} {amount}",
        "applies_to": kind,
        "amount": amount,
        "inclusive": more.pop("inclusive", True),
        "source": "law",
        **more,
    }
