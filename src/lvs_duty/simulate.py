"""Synthetic parcel populations: a plausible year of low-value imports, deterministic by seed.

:func:`population` draws ``n`` consignments for one destination in the canonical layout of
:mod:`lvs_duty.tabular` (or the fast layout of :mod:`lvs_duty.frame`), ready for
:func:`lvs_duty.compare` and :func:`lvs_duty.frame.assess_frame`. It is the embedded default
of the CLI and the notebooks, and the workload of ``benchmarks/bench_frame.py``.

With ``profile=`` (``"eu_2024"``, ``"us_2024"``, ``"ca_2024"``, ``"au_2024"``, ``"gb_2024"`` or
your own file) parcels are drawn from a sourced market profile instead (see
:mod:`lvs_duty.profiles` and :mod:`lvs_duty.populations`), weighted to the year's count;
:func:`calibration_report` checks a population against its profile and :func:`fit_profile`
builds a profile from declaration data (:mod:`lvs_duty.calibration`). The rest of this
docstring describes the default population, without a profile.

What the default is calibrated on: **nothing measured**. Every figure below is an assumption
chosen to look like cross-border e-commerce parcels (many cheap single items, a long tail of
dearer ones, apparel and electronics dominant, most parcels from China), not fitted to customs
statistics; the one public figure we quote, about 5.9 billion low-value items entering the EU
in 2025 (the project's issue 4), gives the scale, not the shape. Change the module constants
(or pass your own tables) to calibrate on real data.

* Line value: log-normal, median ``MEDIAN_VALUE`` of the currency (35 CAD, 40 AUD, 35 SGD,
  roughly USD 25 in currencies of small units: 3,000 JPY, 1,000 THB, 130 MYR, 300 NOK,
  2,000 INR, 450 ZAR, 600,000 VND; 30 elsewhere) with sigma 1.1 (mean about 1.8 x the
  median), at least one minor unit, at most 20,000 x the currency's scale (its median over
  30, whole, at least 1: 1 for CAD, 100 for JPY, 20,000 for VND). Drawn in float64 from
  numpy's generator and rounded to **integer minor units before it becomes an amount**: the
  float is only the shape of the distribution.
* Lines per parcel: 1 + Poisson(0.35), at most 5 (about 70% single-line parcels). Quantity
  per line: 1 (85%), 2 (10%), 3 (5%).
* HS chapters (share of lines): apparel 61 18%, 62 10%, household textiles 63 4%, footwear
  64 8%, electronics 85 15%, machines 84 5%, toys 95 8%, bags 42 6%, cosmetics 33 7%,
  plastics 39 6%, jewellery 71 4%, books 49 4%, optics 90 3%, beverages 22 1%, tobacco 24 1%;
  each with two or three 6-digit subheadings.
* ``duty_rate`` per line from a small MFN table by chapter (:data:`MFN_BY_CHAPTER`): for
  Canada 18% on apparel, textiles and footwear, 8% bags, 6.5% cosmetics and plastics, 8.5%
  jewellery, free electronics, machines, toys, books and optics (the usual pattern of the
  Canadian tariff, rounded; not looked up line by line); for Australia 5% or free; for
  Singapore 0 (its duties are specific, by category). Beverages carry a volume and an ABV.
* Mode: courier 60%, post 40%. Ship-from: CN 55%, US 25%, HK 5%, GB 5%, MX 2%, DE 3%, JP 3%,
  KR 2%; origin = ship-from. Gifts 3%.
* Shipping: free on half the parcels, else log-normal median 8 x the scale (sigma 0.5), at
  most 500 x the scale, integer minor units. Insurance 0.
* Canadian region (``region``): ON 39%, QC 22%, BC 14%, AB 12%, MB 3%, SK 3%, NS 3%, NB 2%,
  NL 1%, PE 1% (roughly the provinces' shares of the population, as a proxy).
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from .calibration import calibration_report, fit_profile
from .countries import COUNTRIES, EU_MEMBER_STATES
from .errors import ArgumentError
from .frame.codes import categorical
from .money import CURRENCIES, own_context
from .populations import EXTRA_COLUMNS, annual_totals, draw
from .profiles import Profile, available_profiles, load_profile

CURRENCY_OF: dict[str, str] = {
    "CA": "CAD", "AU": "AUD", "SG": "SGD", "NZ": "NZD", "GB": "GBP", "US": "USD", "JP": "JPY",
    "CH": "CHF", "NO": "NOK", "BR": "BRL", **{c: "EUR" for c in EU_MEMBER_STATES},
}  # fmt: skip
"""The currency a destination's parcels are declared in (its regime's currency)."""

MEDIAN_VALUE: dict[str, int] = {
    "CAD": 35, "AUD": 40, "SGD": 35, "JPY": 3000, "THB": 1000, "MYR": 130, "NOK": 300,
    "INR": 2000, "ZAR": 450, "VND": 600_000,
}  # fmt: skip
"""Median line value in whole currency units (assumption; 30 for currencies not listed).

The small-unit currencies take about USD 25 at 2025 exchange rates (an assumption, like the
shape: a VND parcel drawn at the 30 of the default would be worth a tenth of a US cent)."""


def unit_scale(currency: str) -> int:
    """How many times the default's units a currency's amounts run to: its median over 30.

    >>> unit_scale("CAD"), unit_scale("JPY"), unit_scale("VND")
    (1, 100, 20000)
    """
    return max(1, MEDIAN_VALUE.get(currency, 30) // 30)


CHAPTERS: dict[str, tuple[float, tuple[str, ...]]] = {
    "61": (0.18, ("610910", "611030", "610462")), "62": (0.10, ("620342", "620462")),
    "63": (0.04, ("630260", "630790")), "64": (0.08, ("640399", "640411")),
    "85": (0.15, ("851762", "851830", "850440")), "84": (0.05, ("847130", "841510")),
    "95": (0.08, ("950300", "950490")), "42": (0.06, ("420222", "420292")),
    "33": (0.07, ("330499", "330300")), "39": (0.06, ("392690", "392410")),
    "71": (0.04, ("711719", "711319")), "49": (0.04, ("490199",)),
    "90": (0.03, ("900410", "901890")), "22": (0.01, ("220300", "220421")),
    "24": (0.01, ("240220",)),
}  # fmt: skip
"""HS chapter: (share of lines, subheadings drawn uniformly). Shares are assumptions."""

MFN_BY_CHAPTER: dict[str, dict[str, str]] = {
    "CA": {"61": "0.18", "62": "0.18", "63": "0.18", "64": "0.18", "85": "0", "84": "0",
           "95": "0", "42": "0.08", "33": "0.065", "39": "0.065", "71": "0.085", "49": "0",
           "90": "0", "22": "0", "24": "0"},
    "AU": {"61": "0.05", "62": "0.05", "63": "0.05", "64": "0.05", "85": "0", "84": "0",
           "95": "0", "42": "0.05", "33": "0.05", "39": "0.05", "71": "0.05", "49": "0",
           "90": "0", "22": "0.05", "24": "0.05"},
    "SG": {chapter: "0" for chapter in CHAPTERS},
}  # fmt: skip
"""Illustrative MFN rate per HS chapter and destination (others use Canada's)."""

SHIP_FROM = {
    "CN": 0.55,
    "US": 0.25,
    "HK": 0.05,
    "GB": 0.05,
    "MX": 0.02,
    "DE": 0.03,
    "JP": 0.03,
    "KR": 0.02,
}
CA_REGIONS = {
    "ON": 0.39,
    "QC": 0.22,
    "BC": 0.14,
    "AB": 0.12,
    "MB": 0.03,
    "SK": 0.03,
    "NS": 0.03,
    "NB": 0.02,
    "NL": 0.01,
    "PE": 0.01,
}
KG_PER_ITEM: dict[str, int] = {
    "61": 250, "62": 400, "63": 500, "64": 900, "85": 300, "84": 1800, "95": 500, "42": 600,
    "33": 200, "39": 300, "71": 50, "49": 450, "90": 100, "22": 1200, "24": 300,
}  # fmt: skip
"""Gross grams per item by HS chapter, packaging included (assumptions, not measured)."""
BEVERAGES = {"220300": ("0.5", "0.05"), "220421": ("0.75", "0.13")}
"""Volume (litres) and ABV of the beverage subheadings."""

Layout = Literal["canonical", "minor"]


def _pick(rng: np.random.Generator, shares: dict[str, float], size: int) -> Any:
    names = list(shares)
    weights = np.array([shares[k] for k in names])
    codes = rng.choice(len(names), size=size, p=weights / weights.sum())
    return categorical(codes.astype(np.int16), names)


def _log_normal_minor(
    rng: np.random.Generator, median: float, sigma: float, size: int, digits: int, top: int
) -> Any:
    """Log-normal draws as integer minor units (the float is only the distribution's shape)."""
    drawn = rng.lognormal(mean=np.log(median), sigma=sigma, size=size)
    return np.clip(np.rint(drawn * 10**digits).astype(np.int64), 1, top * 10**digits)


def _decimals(units: Any, digits: int) -> Any:
    codes, uniques = pd.factorize(units)
    table = np.array([Decimal(int(u)).scaleb(-digits) for u in uniques] + [None], dtype=object)
    return table[codes]


def _check_arguments(
    n: object,
    destination: str,
    seed: object,
    date: object,
    layout: object,
    currency: str | None,
    profile: object,
) -> None:
    """Refuse by name what :func:`population` cannot draw."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ArgumentError("population", "n", "a non-negative int", n)
    if currency is not None and (profile is not None or currency not in CURRENCIES):
        expected = "None with a profile" if profile is not None else "an ISO 4217 code"
        raise ArgumentError("population", "currency", expected, currency)
    if currency is not None and destination not in COUNTRIES:
        raise ArgumentError("population", "destination", "an ISO 3166-1 code", destination)
    if destination not in CURRENCY_OF and profile is None and currency is None:
        raise ArgumentError(
            "population", "destination", f"one of {', '.join(sorted(CURRENCY_OF))}", destination
        )
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ArgumentError("population", "seed", "an int", seed)
    if layout not in ("canonical", "minor"):
        raise ArgumentError("population", "layout", "'canonical' or 'minor'", layout)
    if date is not None and not isinstance(date, dt.date):
        raise ArgumentError("population", "date", "a datetime.date", date)


def _goods(
    rng: np.random.Generator, rows: int, destination: str
) -> tuple[dict[str, Any], Any, list[str]]:
    """Each line's HS subheading (chapter by share, then uniform), MFN rate, volume and ABV."""
    chapters = list(CHAPTERS)
    shares = np.array([CHAPTERS[c][0] for c in chapters])
    chapter = rng.choice(len(chapters), size=rows, p=shares / shares.sum())
    subheadings = [s for c in chapters for s in CHAPTERS[c][1]]
    first = np.cumsum([0] + [len(CHAPTERS[c][1]) for c in chapters])[:-1]
    counts = np.array([len(CHAPTERS[c][1]) for c in chapters])
    hs = first[chapter] + (rng.random(rows) * counts[chapter]).astype(np.int64)
    mfn = MFN_BY_CHAPTER.get(destination, MFN_BY_CHAPTER["CA"])
    rate_names = sorted(set(mfn.values()), key=Decimal)
    rate_code = np.array([rate_names.index(mfn[c]) for c in chapters])[chapter]
    volume_names = sorted({v for v, _ in BEVERAGES.values()})
    abv_names = sorted({a for _, a in BEVERAGES.values()})
    volume = np.array(
        [volume_names.index(BEVERAGES[s][0]) if s in BEVERAGES else -1 for s in subheadings]
    )[hs]
    abv = np.array(
        [abv_names.index(BEVERAGES[s][1]) if s in BEVERAGES else -1 for s in subheadings]
    )[hs]
    columns = {
        "hs_code": categorical(hs.astype(np.int16), subheadings),
        "duty_rate": categorical(rate_code.astype(np.int8), [Decimal(r) for r in rate_names]),
        "volume_l": categorical(volume.astype(np.int8), [Decimal(v) for v in volume_names]),
        "abv": categorical(abv.astype(np.int8), [Decimal(a) for a in abv_names]),
    }
    return columns, hs, subheadings


@own_context
def population(
    n: int,
    destination: str,
    *,
    seed: int,
    date: dt.date | None = None,
    layout: Layout = "canonical",
    single_item: bool = False,
    profile: str | os.PathLike[str] | Profile | None = None,
    currency: str | None = None,
    weights: bool = False,
) -> pd.DataFrame:
    """``n`` synthetic consignments to ``destination``, one row per line, deterministic by seed.

    With ``profile`` (a bundled name such as ``"eu_2024"``, a file, or a loaded
    :class:`~lvs_duty.profiles.Profile` whose market is ``destination``), the parcels are drawn
    from the profile and carry two more columns: ``seller_registered`` and ``weight`` (the real
    parcels each stands for; they sum to the profile's parcels per year); ``duty_rate`` is
    missing (rates come from a schedule by HS code) and ``date`` defaults to 1 July of the
    profile's year. Without a profile, the uncalibrated defaults described above are used and
    ``date`` defaults to 2026-03-01.

    ``currency`` prices the default population in that currency instead of the destination's
    (for a rule set kept in USD or EUR, or a destination without an entry in
    :data:`CURRENCY_OF`); ``weights=True`` adds a gross ``weight_kg`` per line
    (:data:`KG_PER_ITEM`, an assumption), for regimes that charge per kilogram.
    :func:`lvs_duty.regime_population.population_for` chooses both from a rule set.

    ``layout="canonical"`` gives Decimal amounts (the layout of
    :func:`~lvs_duty.shipments_to_frame`); ``layout="minor"`` the fast layout, with
    ``value_minor`` and ``shipping_minor`` integer columns instead. ``single_item=True``
    draws one line per parcel. String columns are categorical; ``shipment_id`` is 1..n.

    >>> frame = population(3, "CA", seed=1)
    >>> frame["shipment_id"].unique().tolist(), str(frame["currency"].iloc[0])
    ([1, 2, 3], 'CAD')
    >>> population(3, "CA", seed=1).equals(frame)
    True
    >>> eu = population(4, "EU", seed=1, profile="eu_2024")
    >>> eu.drop_duplicates("shipment_id")["weight"].tolist()  # 4.6 billion parcels / 4
    [1150000000, 1150000000, 1150000000, 1150000000]
    """
    _check_arguments(n, destination, seed, date, layout, currency, profile)
    if profile is not None:
        chosen = profile if isinstance(profile, Profile) else load_profile(profile)
        if chosen.market != destination:
            raise ArgumentError(
                "population", "destination", f"the profile's market {chosen.market}", destination
            )
        if single_item:
            raise ArgumentError("population", "single_item", "False with a profile", True)
        return draw(chosen, n, seed=seed, date=date, layout=layout)
    date = dt.date(2026, 3, 1) if date is None else date
    rng = np.random.default_rng(seed)
    currency = CURRENCY_OF[destination] if currency is None else currency
    digits = CURRENCIES[currency]
    lines_per = (
        np.ones(n, dtype=np.int64)
        if single_item
        else np.minimum(1 + rng.poisson(0.35, size=n), 5).astype(np.int64)
    )
    owner = np.repeat(np.arange(n, dtype=np.int64), lines_per)
    rows = len(owner)
    goods, hs, subheadings = _goods(rng, rows, destination)
    scale = unit_scale(currency)
    value = _log_normal_minor(
        rng, MEDIAN_VALUE.get(currency, 30), 1.1, rows, digits, 20_000 * scale
    )
    quantity = rng.choice(3, size=rows, p=[0.85, 0.10, 0.05]).astype(np.int64) + 1
    free = rng.random(n) < 0.5  # drawn before the amounts: a seed's parcels stay as they were
    shipping = np.where(free, 0, _log_normal_minor(rng, 8 * scale, 0.5, n, digits, 500 * scale))[
        owner
    ]
    mode = _pick(rng, {"courier": 0.6, "post": 0.4}, n)
    ship_from = _pick(rng, SHIP_FROM, n)
    region = (
        _pick(rng, CA_REGIONS, n)
        if destination == "CA"
        else categorical(np.full(n, -1, dtype=np.int8), ["ON"])
    )
    gift = rng.random(n) < 0.03

    def per_row(c: Any) -> Any:
        return categorical(np.asarray(c.codes)[owner], list(c.categories))

    def one(value: object) -> Any:
        return categorical(np.zeros(rows, dtype=np.int8), [value])

    frame = pd.DataFrame(
        {
            "shipment_id": owner + 1,
            "destination": one(destination),
            "date": one(date),
            "currency": one(currency),
            "ship_from": per_row(ship_from),
            "origin": per_row(ship_from),
            "mode": per_row(mode),
            "region": per_row(region),
            "gift": gift[owner],
            "hs_code": goods["hs_code"],
            "quantity": quantity,
            "duty_rate": goods["duty_rate"],
            "volume_l": goods["volume_l"],
            "abv": goods["abv"],
        }
    )
    if layout == "minor":
        frame.insert(5, "shipping_minor", shipping)
        frame.insert(6, "insurance_minor", np.zeros(rows, dtype=np.int64))
        frame.insert(11, "value_minor", value)
    else:
        frame.insert(5, "shipping", _decimals(shipping, digits))
        frame.insert(6, "insurance", _decimals(np.zeros(rows, dtype=np.int64), digits))
        frame.insert(11, "value", _decimals(value, digits))
    if weights:
        grams = np.array([KG_PER_ITEM[s[:2]] for s in subheadings], dtype=np.int64)[hs]
        frame["weight_kg"] = _decimals(grams * quantity, 3)
    return frame


__all__ = [
    "CHAPTERS",
    "CURRENCY_OF",
    "EXTRA_COLUMNS",
    "KG_PER_ITEM",
    "MEDIAN_VALUE",
    "MFN_BY_CHAPTER",
    "annual_totals",
    "available_profiles",
    "calibration_report",
    "fit_profile",
    "load_profile",
    "population",
    "unit_scale",
]
