"""Behavioural response as explicit assumptions: bunching, undervaluation, splitting.

A static comparison holds the parcels fixed; buyers and sellers do not. :class:`Response`
states three responses as shares (each an assumption the analyst sets; all zero by default),
:func:`respond` applies them to a population under one rule set, and
:func:`compare_with_response` gives each option's static and behavioural figures side by side.

* **Undervaluation**: a share of parcels is declared at ``declared_fraction`` of its value
  (every line scaled, rounded half-even to the minor unit).
* **Bunching**: a share of the parcels whose goods value falls in a notch's dominated band
  (:func:`lvs_duty.analysis.notches`: above the notch, where the buyer pays more in charges
  than the extra goods are worth) is moved down to the notch value, the last one on the lower
  side (Kleven and Waseem's bunching below a notch). The band is computed for a one-line
  basket holding the parcel's goods value at its dearest line's HS code and rate, with the
  parcel's own route, mode and date, without transport, and cached by what picks the
  thresholds and the rate (not the region: its tax rate only moves the band's end): an
  approximation for multi-line parcels, CIF-measured thresholds and regional tax rates.
* **Splitting**: a share of the parcels holding two or more units for which
  :func:`lvs_duty.analysis.split_incentive` finds a cheaper split is sent as the two parcels.

Applied in that order, to parcels picked by numpy's generator seeded with ``seed`` (only which
parcels respond is random; every amount stays exact). The literature behind the choices is in
notes/analyst.md: Fajgelbaum and Khandelwal (2024) on the US de minimis, Kleven and Waseem
(2013) on notches; the EU's "65% of parcels undervalued" (a press figure) is an illustration
of the order of magnitude, not a default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .analysis import notches, split_incentive
from .compare import compare, summarize
from .costs import CollectionCosts
from .errors import ArgumentError, LvsDutyError
from .money import CONTEXT, minor_unit, quantize, to_decimal
from .rules import CategoryDuty, RuleSet
from .schedules import Schedule
from .shipment import Shipment
from .tabular import frame_to_shipments

_PARTS = 1_000_000  # shares are compared with a uniform integer draw in [0, 10**6)


@dataclass(frozen=True)
class Response:
    """How parcels respond to the rules: three shares and a seed, all stated assumptions.

    ``bunching``: share of parcels in a dominated band moved to the notch. ``undervaluation``:
    share declared at ``declared_fraction`` of their value. ``splitting``: share of the
    parcels a split makes cheaper that are split. Shares and the fraction are in [0, 1].
    """

    bunching: Decimal = Decimal(0)
    undervaluation: Decimal = Decimal(0)
    declared_fraction: Decimal = Decimal(1)
    splitting: Decimal = Decimal(0)
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("bunching", "undervaluation", "declared_fraction", "splitting"):
            raw = getattr(self, name)
            try:
                value = to_decimal(raw, name)
            except (TypeError, ValueError):
                raise ArgumentError(
                    "Response", name, "a share such as '0.5' (not a float)", raw
                ) from None
            if not 0 <= value <= 1:
                raise ArgumentError("Response", name, "a share between 0 and 1", raw)
            object.__setattr__(self, name, value)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ArgumentError("Response", "seed", "an int", self.seed)

    @property
    def is_static(self) -> bool:
        """Whether nothing responds (every share zero, or everything declared in full)."""
        return (
            not self.bunching
            and not self.splitting
            and (not self.undervaluation or self.declared_fraction == 1)
        )

    def describe(self) -> str:
        """The assumptions in one sentence, for a caption or a report."""
        return (
            f"{_pct(self.bunching)} of parcels in a dominated band bunch at the notch; "
            f"{_pct(self.undervaluation)} declared at {_pct(self.declared_fraction)} of value; "
            f"{_pct(self.splitting)} of parcels a split makes cheaper are split (seed {self.seed})"
        )


def _pct(share: Decimal) -> str:
    return f"{CONTEXT.multiply(share, Decimal(100)).normalize(CONTEXT):f}%"


def _picked(rng: np.random.Generator, share: Decimal) -> bool:
    threshold = int(CONTEXT.multiply(share, Decimal(_PARTS)))
    return int(rng.integers(0, _PARTS)) < threshold


def _scaled(parcel: Shipment, target: Decimal) -> Shipment:
    """The parcel with its lines scaled so its goods value is ``target`` (exact, to the unit)."""
    from .assess import allocate

    unit = minor_unit(parcel.currency)
    weights = [item.value for item in parcel.items]
    if not any(weights):
        return parcel
    values = allocate(target, weights, unit)
    lines = tuple(
        i.model_copy(update={"value": v}) for i, v in zip(parcel.items, values, strict=True)
    )
    return parcel.model_copy(update={"items": lines})


def _undervalued(parcel: Shipment, fraction: Decimal) -> Shipment:
    unit = minor_unit(parcel.currency)
    lines = tuple(
        i.model_copy(
            update={"value": quantize(CONTEXT.multiply(i.value, fraction), unit, "ROUND_HALF_EVEN")}
        )
        for i in parcel.items
    )
    return parcel.model_copy(update={"items": lines})


def _basket_key(parcel: Shipment, rules: RuleSet) -> tuple[Any, ...] | None:
    """What the notch bands of a parcel's basket depend on; None when out of any band's reach.

    The rule version, the route, mode and gift flag that pick thresholds, the dearest line's
    rate (and its HS chapter where a category table applies). Not the region: its tax rate
    moves only the end of a dominated band, so the first parcel seen stands for all regions.
    """
    try:
        version = rules.at(parcel.date)
    except LvsDutyError:
        return None
    amounts = [t.amount for t in version.thresholds]
    if version.duty.low_value is not None:
        amounts.append(version.duty.low_value.ceiling)
    amounts.extend(sp.ceiling for sp in version.duty.special if sp.ceiling is not None)
    if not amounts or parcel.goods_value > CONTEXT.multiply(Decimal(2), max(amounts)):
        return None  # beyond notches()'s default reach
    main = max(parcel.items, key=lambda i: i.value)
    methods = [version.duty.general, *(sp.method for sp in version.duty.special)]
    if version.duty.low_value is not None:
        methods.append(version.duty.low_value.method)
    chapter = (
        (main.hs_code or "")[:2] if any(isinstance(m, CategoryDuty) for m in methods) else None
    )
    return (
        version.valid_from, parcel.destination, parcel.currency, parcel.ship_from,
        parcel.origin, parcel.mode, parcel.gift, main.duty_rate, main.category, chapter,
    )  # fmt: skip


def _bunched(
    parcel: Shipment, rules: RuleSet, cache: dict[tuple[Any, ...], list[tuple[Decimal, Decimal]]]
) -> Shipment:
    key = _basket_key(parcel, rules)
    if key is None:
        return parcel
    bands = cache.get(key)
    if bands is None:
        main = max(parcel.items, key=lambda i: i.value)
        basket = parcel.model_copy(
            update={
                "items": (main.model_copy(update={"quantity": 1}),),
                "shipping": Decimal(0),
                "insurance": Decimal(0),
            }
        )
        try:
            found = notches(rules, basket)
        except LvsDutyError:
            found = []
        bands = [(n.at, n.dominated_to) for n in found if n.dominated_to is not None]
        cache[key] = bands
    value = parcel.goods_value
    for at, end in bands:
        if at < value <= end:
            return _scaled(parcel, at)
    return parcel


def respond(
    parcels: Iterable[Shipment] | pd.DataFrame, rules: RuleSet, response: Response
) -> list[Shipment]:
    """The parcels as they would be declared and sent under ``rules``, given ``response``.

    Same order; a split parcel becomes its two parts, ids suffixed ``-a`` and ``-b``.
    """
    fn = "respond"
    if not isinstance(rules, RuleSet):
        raise ArgumentError(fn, "rules", "a RuleSet", type(rules).__name__)
    if not isinstance(response, Response):
        raise ArgumentError(
            fn, "response", "a lvs_duty.behaviour.Response", type(response).__name__
        )
    population = frame_to_shipments(parcels) if isinstance(parcels, pd.DataFrame) else list(parcels)
    rng = np.random.default_rng(response.seed)
    cache: dict[tuple[Any, ...], list[tuple[Decimal, Decimal]]] = {}
    out: list[Shipment] = []
    for i, parcel in enumerate(population):
        if not isinstance(parcel, Shipment):
            raise ArgumentError(fn, f"parcels[{i}]", "a Shipment", type(parcel).__name__)
        # three draws per parcel, always, so one share never shifts who responds to another
        under, bunch, split = (_picked(rng, s) for s in (
            response.undervaluation, response.bunching, response.splitting
        ))  # fmt: skip
        if under and response.declared_fraction != 1:
            parcel = _undervalued(parcel, response.declared_fraction)
        if bunch:
            parcel = _bunched(parcel, rules, cache)
        units = sum(item.quantity for item in parcel.items)
        if split and units >= 2 and len(parcel.items) <= 12:
            found = split_incentive(parcel, rules)
            if found.lowers and found.parts is not None:
                out.extend(found.parts)
                continue
        out.append(parcel)
    return out


def compare_with_response(
    parcels: Iterable[Shipment] | pd.DataFrame,
    options: Mapping[str, RuleSet],
    response: Response,
    *,
    costs: CollectionCosts | None = None,
    fx: Mapping[str, Decimal] | None = None,
    schedule: Schedule | None = None,
) -> pd.DataFrame:
    """Each option's summary without and with the response, side by side.

    One row per option and ``scenario`` (``"static"``, then ``"behavioural"``), the columns
    of :func:`lvs_duty.summarize` after ``scenario``. Each option's parcels respond to that
    option's own rules (bunching below its notches, splitting where it rewards it).
    """
    fn = "compare_with_response"
    if not isinstance(options, Mapping) or not options:
        raise ArgumentError(fn, "options", "a non-empty mapping of name to RuleSet", options)
    population = frame_to_shipments(parcels) if isinstance(parcels, pd.DataFrame) else list(parcels)
    static = summarize(compare(population, options, fx=fx, schedule=schedule), costs=costs)
    rows = []
    for k, (name, rules) in enumerate(options.items()):
        moved = summarize(
            compare(respond(population, rules, response), {name: rules}, fx=fx, schedule=schedule),
            costs=costs,
        )
        for scenario, frame in (("static", static.iloc[[k]]), ("behavioural", moved)):
            part = frame.copy()
            part.insert(1, "scenario", scenario)
            rows.append(part)
    return pd.concat(rows, ignore_index=True)


__all__ = ["Response", "compare_with_response", "respond"]
