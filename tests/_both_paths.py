"""Assess one shipment on both paths (``assess`` and ``assess_frame``) and insist they agree.

The regime worked-example modules check every hand-worked amount through :func:`both`, so each
expected value is proved on the per-shipment path and on the frame path at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from lvs_duty import RuleSet, Shipment, assess, assess_frame, shipments_to_frame, to_decimal_frame
from lvs_duty.explain import Assessment

AMOUNTS = ("duty", "tax", "fees", "total", "collected_at_border", "collected_at_sale")


def both(shipment: Shipment, rules: RuleSet, fx: Mapping[str, Decimal] | None = None) -> Assessment:
    """The scalar assessment, after checking the frame path gives the same amounts to the cent."""
    scalar = assess(shipment, rules, fx=fx)
    row = to_decimal_frame(assess_frame(shipments_to_frame([shipment]), rules, fx=fx)).iloc[0]
    assert row["status"] == "ok", row
    for name in AMOUNTS:
        assert row[name] == getattr(scalar, name), (name, row[name], getattr(scalar, name))
    return scalar
