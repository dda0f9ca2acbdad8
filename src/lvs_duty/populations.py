"""Draw a synthetic population from a profile: one market and year, weighted to annual totals.

Each of the ``n`` parcels stands for ``weight`` real ones (integers that sum exactly to the
profile's parcels per year). Parcel values come from the profile's fitted value distribution,
rounded to integer minor units, then split over the parcel's lines in integer minor units, so
the parcel's value is exactly the drawn one; floats only shape the draws. ``duty_rate`` is left
missing: rates come from a tariff schedule by HS code, not from the population.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from .annual import weighted_totals
from .errors import ArgumentError
from .money import CURRENCIES
from .profiles import Profile, Shares, in_library_context

EXTRA_COLUMNS: tuple[str, ...] = ("seller_registered", "weight")
"""Columns a profile population carries beyond the canonical layout.

``weight`` is accepted by the frame engines and carried to ``compare``/``summarize``;
``seller_registered`` must still be dropped until the engines read it.
"""


def _categorical(codes: Any, names: list[Any]) -> Any:
    maker: Any = pd.Categorical.from_codes
    return maker(codes, categories=names)


def _draw(rng: np.random.Generator, table: Shares, size: int) -> tuple[Any, list[str]]:
    """Category codes drawn with the table's shares, and the category names."""
    names = list(table.shares)
    shares = np.array([float(table.shares[k]) for k in names])
    return rng.choice(len(names), size=size, p=shares / shares.sum()), names


def _decimals(units: Any, digits: int) -> Any:
    codes, uniques = pd.factorize(units)
    table = np.array([Decimal(int(u)).scaleb(-digits) for u in uniques] + [None], dtype=object)
    return table[codes]


def weights(total: int, n: int) -> Any:
    """Integer weights for ``n`` parcels summing exactly to ``total`` (the first get the rest).

    >>> weights(10, 4).tolist()
    [3, 3, 2, 2]
    """
    base, rest = divmod(total, n)
    out = np.full(n, base, dtype=np.int64)
    out[:rest] += 1
    return out


def _split(rng: np.random.Generator, value: Any, lines: Any) -> Any:
    """Each parcel's value split over its lines in whole minor units, each line at least 1."""
    owner = np.repeat(np.arange(len(value)), lines)
    share = rng.random(len(owner)) + 1e-9
    share = share / np.bincount(owner, weights=share)[owner]
    spare = (value - lines)[owner]
    part = 1 + np.floor(share * spare).astype(np.int64)
    if len(value) == 0:
        return part
    last = np.cumsum(lines) - 1
    part[last] += value - np.add.reduceat(part, last - lines + 1)
    return part


@in_library_context
def draw(profile: Profile, n: int, *, seed: int, date: dt.date | None, layout: str) -> pd.DataFrame:
    """``n`` parcels drawn from ``profile`` (see the module docstring); validated by the caller."""
    rng = np.random.default_rng(seed)
    digits = CURRENCIES[profile.currency]
    unit = 10**digits
    top = int(profile.value.cap * unit)
    value = np.rint(profile.value_distribution().draw(rng, n) * unit).astype(np.int64)
    value = np.clip(value, 1, top)
    line_codes, line_names = _draw(rng, profile.lines, n)
    lines = np.minimum(np.array([int(k) for k in line_names])[line_codes], value)
    owner = np.repeat(np.arange(n, dtype=np.int64), lines)
    rows = len(owner)
    line_value = _split(rng, value, lines)

    hs, hs_names = _draw(rng, profile.hs_mix, rows)
    qty_codes, qty_names = _draw(rng, profile.quantity, rows)
    quantity = np.array([int(k) for k in qty_names], dtype=np.int64)[qty_codes]
    ship_from, ship_names = _draw(rng, profile.ship_from, n)
    mode, mode_names = _draw(rng, profile.mode, n)
    gift = rng.random(n) < float(profile.gift.value)
    registered = rng.random(n) < float(profile.seller_registered.value)
    shipping = _shipping(rng, profile, n, unit)
    if profile.member_states is not None:
        place, place_names = _draw(rng, profile.member_states, n)
    else:
        place, place_names = np.zeros(n, dtype=np.int64), [profile.market]
    if profile.regions is not None:
        region, region_names = _draw(rng, profile.regions, n)
    else:
        region, region_names = np.full(n, -1), ["ON"]

    def parcel(codes: Any, names: list[Any]) -> Any:
        return _categorical(np.asarray(codes, dtype=np.int16)[owner], names)

    def constant(value: Any) -> Any:
        return _categorical(np.zeros(rows, dtype=np.int8), [value])

    frame = pd.DataFrame(
        {
            "shipment_id": owner + 1,
            "destination": parcel(place, place_names),
            "date": constant(date or profile.date),
            "currency": constant(profile.currency),
            "ship_from": parcel(ship_from, ship_names),
            "origin": parcel(ship_from, ship_names),
            "mode": parcel(mode, mode_names),
            "region": parcel(region, region_names),
            "gift": gift[owner],
            "hs_code": _categorical(hs.astype(np.int16), hs_names),
            "quantity": quantity,
            "duty_rate": _categorical(np.full(rows, -1, dtype=np.int8), [Decimal(0)]),
        }
    )
    if profile.kg_per_item is not None:
        grams = np.array([int(profile.kg_per_item.values[k] * 1000) for k in hs_names])
        frame["weight_kg"] = _decimals(grams[hs] * quantity, 3)
    if layout == "minor":
        frame.insert(5, "shipping_minor", shipping[owner])
        frame.insert(6, "insurance_minor", np.zeros(rows, dtype=np.int64))
        frame.insert(11, "value_minor", line_value)
    else:
        frame.insert(5, "shipping", _decimals(shipping[owner], digits))
        frame.insert(6, "insurance", _decimals(np.zeros(rows, dtype=np.int64), digits))
        frame.insert(11, "value", _decimals(line_value, digits))
    frame["seller_registered"] = registered[owner]
    frame["weight"] = weights(int(profile.parcels_per_year.value), n)[owner] if n else owner
    return frame


ANNUAL_COLUMNS: tuple[str, ...] = (
    "option", "currency", "parcels", "parcels_charged", "border_collection_events", "duty",
    "tax", "fees", "revenue",
)  # fmt: skip
"""Columns of :func:`annual_totals`: real parcels a year and exact annual amounts per option."""


@in_library_context
def annual_totals(comparison: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Annual totals per option: each compared shipment counted ``weight`` times.

    ``comparison`` is :func:`lvs_duty.compare` of the population (Decimal amounts, or
    ``amounts="minor"``); ``population`` the frame it was drawn as, with its ``weight``
    column. Amounts are exact: Decimal x integer weight, summed, by the one definition in
    :func:`lvs_duty.annual.weighted_totals` (which ``summarize`` uses when the comparison
    carries the weights itself, as ``compare`` of a population now does).
    """
    if "weight" not in population.columns:
        raise ArgumentError(
            "annual_totals", "population", "a profile population (with weight)", "no weight"
        )
    parcels = population.drop_duplicates("shipment_id")
    weight = pd.Series(parcels["weight"].to_numpy(), index=parcels["shipment_id"].astype(str))
    w = weight.reindex(comparison["shipment_id"].astype(str)).to_numpy()
    if np.isnan(w.astype(float)).any():
        raise ArgumentError(
            "annual_totals", "comparison", "shipments of this population", "other ids"
        )
    weighted = comparison.drop(columns=["weight"], errors="ignore").assign(
        weight=w.astype(np.int64)
    )
    return weighted_totals(weighted)[list(ANNUAL_COLUMNS)]


def _shipping(rng: np.random.Generator, profile: Profile, n: int, unit: int) -> Any:
    costs = profile.shipping
    median = float(costs.median.value)
    paid = rng.lognormal(np.log(median), float(costs.sigma.value), size=n)
    paid_minor = np.clip(np.rint(paid * unit).astype(np.int64), 1, int(100 * median * unit))
    free = rng.random(n) < float(costs.free_share.value)
    return np.where(free, 0, paid_minor)


__all__ = ["ANNUAL_COLUMNS", "EXTRA_COLUMNS", "annual_totals", "draw", "weights"]
