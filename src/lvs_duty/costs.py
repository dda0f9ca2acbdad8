"""What collecting costs: per border collection event, per classification decision, per parcel.

Revenue is what an option raises; net revenue is what is left once the state (or the carrier,
passing it on) has paid for collecting it. :class:`CollectionCosts` holds the three unit costs
as named, frozen, exact parameters; :func:`collection_cost` prices the counts a summary
already carries (``border_collection_events``, ``classifications``, ``shipments``), so the
per-shipment and the frame path need nothing new.

The default costs nothing: no published figure gives a unit cost that holds for every regime,
so every unit cost is zero unless the analyst sets it, and the report says so. The one
published unit cost we hold is CBP's USD 8.55 processing cost per postal shipment (proposed
rule, FR 2025-01074), offered as :data:`CBP_POSTAL_2025`, for US regimes only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .errors import ArgumentError
from .money import CONTEXT, to_decimal


@dataclass(frozen=True)
class CollectionCosts:
    """Unit costs of collection, in ``currency`` (None: whatever currency the summary is in).

    ``per_border_collection``: one parcel whose duty or tax is collected at the border (held,
    assessed, charged, released). ``per_classification``: one line an officer or broker must
    classify to charge it. ``per_parcel``: every parcel processed, charged or not. ``sources``
    says where each non-zero figure comes from; ``note`` how it is applied.
    """

    per_border_collection: Decimal = Decimal(0)
    per_classification: Decimal = Decimal(0)
    per_parcel: Decimal = Decimal(0)
    currency: str | None = None
    sources: tuple[str, ...] = ()
    note: str = "No unit cost set: every collection cost is zero (no published figure applies)."

    def __post_init__(self) -> None:
        for name in ("per_border_collection", "per_classification", "per_parcel"):
            value = getattr(self, name)
            try:
                amount = to_decimal(value, name)
            except (TypeError, ValueError):
                raise ArgumentError(
                    "CollectionCosts", name, "an exact amount (Decimal, int or str)", value
                ) from None
            if amount < 0:
                raise ArgumentError("CollectionCosts", name, "a non-negative amount", value)
            object.__setattr__(self, name, amount)
        if self.currency is not None and not isinstance(self.currency, str):
            raise ArgumentError("CollectionCosts", "currency", "an ISO 4217 code or None", None)

    @property
    def is_zero(self) -> bool:
        """Whether every unit cost is zero (net revenue is then the revenue)."""
        return not (self.per_border_collection or self.per_classification or self.per_parcel)

    def describe(self) -> str:
        """The unit costs in one line, for a caption or a report."""
        cur = f"{self.currency} " if self.currency else ""
        return (
            f"{cur}{self.per_border_collection} per border collection event, "
            f"{cur}{self.per_classification} per classification decision, "
            f"{cur}{self.per_parcel} per parcel processed"
        )


NO_COSTS = CollectionCosts()
"""Every unit cost zero: the default, since no published figure holds for every regime."""

CBP_POSTAL_2025 = CollectionCosts(
    per_border_collection=Decimal("8.55"),
    currency="USD",
    sources=(
        "U.S. Customs and Border Protection, proposed rule 'Entry of Low-Value Shipments', "
        "Federal Register 2025-01074 (January 2025): USD 8.55 processing cost per postal "
        "shipment [P, via /work/shared/reference/published_figures.md]",
    ),
    note=(
        "CBP's cost of processing one postal shipment, applied to every parcel whose duty or "
        "tax is collected at the border. Applying it per collection event (not per parcel) is "
        "the analyst's reading [S]; for US regimes only."
    ),
)
"""CBP's published USD 8.55 per postal shipment, as a cost per border collection event."""


def collection_cost(
    costs: CollectionCosts, *, shipments: int, border_collection_events: int, classifications: int
) -> Decimal:
    """The cost of collecting over a population, from its counts, exactly.

    >>> c = CollectionCosts(per_border_collection="8.55", per_classification="1.20",
    ...                     per_parcel="0.10")
    >>> collection_cost(c, shipments=4, border_collection_events=3, classifications=2)
    Decimal('28.45')

    3 x 8.55 = 25.65, 2 x 1.20 = 2.40, 4 x 0.10 = 0.40: 28.45.
    """
    if not isinstance(costs, CollectionCosts):
        raise ArgumentError(
            "collection_cost", "costs", "a lvs_duty.costs.CollectionCosts", type(costs).__name__
        )
    parts = (
        CONTEXT.multiply(costs.per_border_collection, Decimal(border_collection_events)),
        CONTEXT.multiply(costs.per_classification, Decimal(classifications)),
        CONTEXT.multiply(costs.per_parcel, Decimal(shipments)),
    )
    return CONTEXT.add(CONTEXT.add(parts[0], parts[1]), parts[2])


def check_costs(function: str, costs: object) -> CollectionCosts:
    """``costs`` as a CollectionCosts (None: :data:`NO_COSTS`), or an ArgumentError."""
    if costs is None:
        return NO_COSTS
    if not isinstance(costs, CollectionCosts):
        raise ArgumentError(
            function, "costs", "a lvs_duty.costs.CollectionCosts or None", type(costs).__name__
        )
    return costs


def priced(frame: pd.DataFrame, costs: CollectionCosts) -> pd.DataFrame:
    """A summary or threshold sweep with ``collection_cost`` and ``net_revenue`` set by ``costs``.

    Needs ``revenue``, ``shipments``, ``border_collection_events`` and ``classifications``
    (every frame :func:`lvs_duty.summarize` or :func:`lvs_duty.analysis.threshold_sweep`
    returns); other columns are kept, these two replaced.

    >>> sweep = pd.DataFrame({"threshold": [0, 20], "revenue": [Decimal("100.00")] * 2,
    ...                       "shipments": [10, 10], "border_collection_events": [6, 2],
    ...                       "classifications": [6, 2]})
    >>> priced(sweep, CollectionCosts(per_border_collection="12.50"))["net_revenue"].tolist()
    [Decimal('25.00'), Decimal('75.00')]
    """
    fn = "priced"
    chosen = check_costs(fn, costs)
    needs = ("revenue", "shipments", "border_collection_events", "classifications")
    if not isinstance(frame, pd.DataFrame) or any(c not in frame.columns for c in needs):
        raise ArgumentError(
            fn, "frame", f"a summary or sweep with {', '.join(needs)}", type(frame).__name__
        )
    records: list[dict[str, object]] = frame.to_dict("records")  # type: ignore[assignment]
    spent = [
        collection_cost(
            chosen,
            shipments=int(str(r["shipments"])),
            border_collection_events=int(str(r["border_collection_events"])),
            classifications=int(str(r["classifications"])),
        )
        for r in records
    ]
    out = frame.copy()
    out["collection_cost"] = pd.Series(spent, index=out.index, dtype=object)
    out["net_revenue"] = pd.Series(
        [
            CONTEXT.subtract(to_decimal(r["revenue"], "revenue"), c)
            for r, c in zip(records, spent, strict=True)
        ],
        index=out.index,
        dtype=object,
    )
    return out


__all__ = [
    "CBP_POSTAL_2025",
    "NO_COSTS",
    "CollectionCosts",
    "check_costs",
    "collection_cost",
    "priced",
]
