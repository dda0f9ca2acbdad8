"""Check a population against its profile, and fit a profile to declaration data.

:func:`calibration_report` puts every moment a profile fixes (published or assumed) beside the
population's value, with a tolerance that is the sampling error for that population's size:
``Z`` = 4 standard errors (a false alarm about once in 16,000 moments), plus half a minor unit
for means of rounded amounts. :func:`fit_profile` reads a frame in the canonical layout (a
customs administration's own declarations) into a :class:`~lvs_duty.profiles.Profile`, so the
same population machinery runs on real microdata. Statistics are Decimals; amounts stay exact.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Any

import numpy as np
import pandas as pd

from .countries import EU_MEMBER_STATES
from .errors import ArgumentError
from .money import CURRENCIES
from .profiles import Figure, Profile, Shares, in_library_context

Z = 4
"""Tolerance in standard errors of the sampling error at the population's size."""

_CONTEXT = Context(prec=28)
_SIX = Decimal("0.000001")


@dataclass(frozen=True)
class _Parcels:
    """The parcel-level view of a population: one entry per shipment, in order."""

    value: Any  # int64 minor units per parcel
    lines: Any  # int64 lines per parcel
    first: pd.DataFrame  # first row of each parcel
    frame: pd.DataFrame  # every line
    unit: int
    count: int


def _minor(frame: pd.DataFrame, column: str, unit: int) -> Any:
    if f"{column}_minor" in frame.columns:
        return frame[f"{column}_minor"].to_numpy(dtype=np.int64)
    exponent = round(math.log10(unit))
    cells = frame[column].astype(object)
    return np.array([int(Decimal(str(v)).scaleb(exponent)) for v in cells], dtype=np.int64)


def _parcels(frame: pd.DataFrame, function: str) -> _Parcels:
    needed = ["shipment_id", "destination", "date", "currency", "hs_code"]
    missing = [c for c in needed if c not in frame.columns]
    if "value" not in frame.columns and "value_minor" not in frame.columns:
        missing.append("value")
    if missing or len(frame) == 0:
        got = f"a frame missing {', '.join(missing)}" if missing else "an empty frame"
        raise ArgumentError(function, "frame", "a population in the canonical layout", got)
    currencies = frame["currency"].astype(object).unique()
    if len(currencies) != 1 or str(currencies[0]) not in CURRENCIES:
        raise ArgumentError(function, "frame", "one currency", ", ".join(map(str, currencies)))
    unit = 10 ** CURRENCIES[str(currencies[0])]
    ids = frame["shipment_id"].to_numpy()
    codes, _ = pd.factorize(ids)
    order = np.argsort(codes, kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    codes = codes[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    line_value = _minor(frame, "value", unit)
    return _Parcels(
        value=np.add.reduceat(line_value, starts),
        lines=np.diff(np.r_[starts, len(frame)]),
        first=frame.iloc[starts].reset_index(drop=True),
        frame=frame,
        unit=unit,
        count=len(starts),
    )


def _d(x: float | int) -> Decimal:
    return Decimal(repr(float(x))).quantize(_SIX, context=_CONTEXT)


def _share_rows(name: str, table: Shares, labels: Any) -> list[dict[str, Any]]:
    counts = Counter(str(v) for v in labels)
    n = len(labels)
    rows = []
    for key in sorted(set(table.shares) | set(counts)):
        p = float(table.shares.get(key, 0))
        model = Decimal(counts.get(key, 0)) / Decimal(n) if n else Decimal(0)
        tolerance = Z * math.sqrt(p * (1 - p) / n) if n else 0.0
        rows.append(
            _row(f"{name}[{key}]", table, table.shares.get(key, Decimal(0)), model, tolerance)
        )
    return rows


def _row(
    moment: str, figure: Figure | Shares, published: Decimal, model: Decimal, tolerance: float
) -> dict[str, Any]:
    published = published.quantize(_SIX, context=_CONTEXT)
    model = model.quantize(_SIX, context=_CONTEXT)
    difference = model - published
    tol = _d(tolerance)
    return {
        "moment": moment,
        "basis": figure.role,
        "source": figure.source,
        "published": published,
        "model": model,
        "difference": difference,
        "tolerance": tol,
        "within": abs(difference) <= tol,
    }


@in_library_context
def calibration_report(population: pd.DataFrame, profile: Profile) -> pd.DataFrame:
    """Every moment ``profile`` fixes, its published (or assumed) value, the population's value.

    Columns: ``moment``, ``basis`` (calibrate: a published figure; assumption; implied: a
    consequence of the fitted value distribution), ``source``, ``published``, ``model``,
    ``difference`` (model - published), ``tolerance`` (``Z`` standard errors at this size) and
    ``within``. Shares are of parcels, except ``hs_mix`` and ``quantity`` (of lines).
    """
    parcels = _parcels(population, "calibration_report")
    n, unit, first = parcels.count, parcels.unit, parcels.first
    rows: list[dict[str, Any]] = []
    counted = (
        int(first["weight"].sum()) if "weight" in first.columns else n
    )  # real parcels the population stands for
    rows.append(
        _row(
            "parcels_per_year",
            profile.parcels_per_year,
            profile.parcels_per_year.value,
            Decimal(counted),
            0.0,
        )
    )
    fitted = profile.value_distribution()
    mean = Decimal(int(parcels.value.sum())) / Decimal(n * unit)
    tolerance = Z * fitted.sd() / math.sqrt(n) + 0.5 / unit
    rows.append(_row("value.mean", profile.value.mean, profile.value.mean.value, mean, tolerance))
    band = profile.value.share_below
    amount = band.amount if band is not None else Decimal(repr(round(fitted.quantile(0.5), 2)))
    p = float(band.value) if band is not None else fitted.share_at_or_below(float(amount))
    below = Decimal(int((parcels.value <= int(amount * unit)).sum())) / Decimal(n)
    implied = Figure(value=_d(p), role="assumption", note="implied by the value model")
    rows.append(
        {
            **_row(
                f"value.share_at_or_below[{amount}]",
                band or implied,
                band.value if band else _d(p),
                below,
                Z * math.sqrt(p * (1 - p) / n),
            ),
            **({} if band else {"basis": "implied"}),
        }
    )
    line_counts = [str(k) for k in parcels.lines]
    rows += _share_rows("lines", profile.lines, line_counts)
    rows += _share_rows("quantity", profile.quantity, parcels.frame["quantity"].astype(str))
    rows += _share_rows("hs_mix", profile.hs_mix, parcels.frame["hs_code"].astype(str))
    rows += _share_rows("ship_from", profile.ship_from, first["ship_from"].astype(str))
    rows += _share_rows("mode", profile.mode, first["mode"].astype(str))
    if profile.member_states is not None:
        places = first["destination"].astype(str)
        rows += _share_rows("member_states", profile.member_states, places)
    if profile.regions is not None:
        rows += _share_rows("regions", profile.regions, first["region"].astype(str))
    for name, figure, column in (
        ("gift", profile.gift, "gift"),
        ("seller_registered", profile.seller_registered, "seller_registered"),
    ):
        if column in first.columns:
            p = float(figure.value)
            share = Decimal(int(first[column].astype(bool).sum())) / Decimal(n)
            rows.append(_row(name, figure, figure.value, share, Z * math.sqrt(p * (1 - p) / n)))
    rows += _shipping_rows(profile, first, n, unit)
    return pd.DataFrame(rows)


def _shipping_rows(
    profile: Profile, first: pd.DataFrame, n: int, unit: int
) -> list[dict[str, Any]]:
    costs = profile.shipping
    shipping = _minor(first, "shipping", unit)
    p = float(costs.free_share.value)
    free = Decimal(int((shipping == 0).sum())) / Decimal(n)
    rows = [_row("shipping.free_share", costs.free_share, costs.free_share.value, free,
                 Z * math.sqrt(p * (1 - p) / n))]  # fmt: skip
    paid = shipping[shipping > 0]
    if len(paid):
        median = float(costs.median.value)
        se = median * float(costs.sigma.value) * math.sqrt(math.pi / 2 / len(paid))
        model = Decimal(int(np.sort(paid)[(len(paid) - 1) // 2])) / Decimal(unit)
        rows.append(
            _row("shipping.median", costs.median, costs.median.value, model, Z * se + 1 / unit)
        )
    return rows


def _shares_of(labels: Any, *, role: str = "calibrate", note: str = "") -> dict[str, Any]:
    """Shares of each label, 6 decimals, the largest absorbing the rounding (sum exactly 1)."""
    counts = Counter(str(v) for v in labels)
    n = sum(counts.values())
    shares = {
        k: (Decimal(c) / Decimal(n)).quantize(_SIX, context=_CONTEXT) for k, c in counts.items()
    }
    largest = max(shares, key=lambda k: (shares[k], k))
    shares[largest] += 1 - sum(shares.values(), Decimal(0))
    return {"shares": dict(sorted(shares.items())), "role": role, "source": "data", "note": note}


def _figure(value: Any, *, note: str = "") -> dict[str, Any]:
    return {"value": value, "role": "calibrate", "source": "data", "note": note}


@in_library_context
def fit_profile(
    frame: pd.DataFrame, *, name: str = "fitted", cap: Decimal | None = None
) -> Profile:
    """A profile fitted to declarations in the canonical layout (one row per line).

    Counts, shares and the value distribution's mean and median are read from the data, so a
    population drawn from the result reproduces them; ``cap`` (default: the largest parcel
    value) bounds the value distribution. Parcels per year is the sum of a ``weight`` column
    when there is one, else the number of parcels. Columns the data lack (gift, shipping,
    seller registration, weights per item) become named assumptions.
    """
    parcels = _parcels(frame, "fit_profile")
    first, lines, unit, n = parcels.first, parcels.frame, parcels.unit, parcels.count
    for column in ("ship_from", "mode"):
        if column not in frame.columns or first[column].isna().any():
            raise ArgumentError("fit_profile", "frame", f"a {column} on every parcel", "gaps")
    hs = lines["hs_code"].astype(str)
    if not hs.str.fullmatch(r"\d{6,10}").all():
        raise ArgumentError("fit_profile", "frame", "HS codes of 6 to 10 digits", "shorter")
    places = {str(p) for p in first["destination"].astype(object).unique()}
    market = "EU" if places <= EU_MEMBER_STATES else next(iter(places))
    if market != "EU" and len(places) > 1:
        raise ArgumentError("fit_profile", "frame", "one destination market", sorted(places))
    values = parcels.value
    top = cap if cap is not None else Decimal(int(values.max())) / unit
    mean = (Decimal(int(values.sum())) / Decimal(n * unit)).quantize(_SIX, context=_CONTEXT)
    median = Decimal(int(np.sort(values)[(n - 1) // 2]))
    share = Decimal(int((values <= median).sum())) / Decimal(n)
    data: dict[str, Any] = {
        "name": name,
        "market": market,
        "year": pd.Timestamp(str(first["date"].iloc[0])).year,
        "currency": str(first["currency"].iloc[0]),
        "scope": f"The {n} parcels of the declaration data given to fit_profile.",
        "sources": {
            "data": {"title": f"Declarations given to fit_profile ({n} parcels)", "tag": "P"}
        },
        "parcels_per_year": _figure(int(first["weight"].sum()) if "weight" in first.columns else n),
        "value": {
            "distribution": "lognormal",
            "cap": top,
            "mean": _figure(mean),
            "share_below": {
                **_figure(share.quantize(_SIX, context=_CONTEXT)),
                "amount": median / unit,
            },
        },
        "lines": _shares_of(parcels.lines),
        "quantity": _shares_of(
            lines["quantity"] if "quantity" in lines.columns else [1] * len(lines)
        ),
        "hs_mix": _shares_of(hs.str[:6]),
        "ship_from": _shares_of(first["ship_from"].astype(str)),
        "mode": _shares_of(first["mode"].astype(str)),
        "gift": _flag(first, "gift"),
        "seller_registered": _flag(first, "seller_registered"),
        "shipping": _fit_shipping(first, unit),
    }
    if market == "EU":
        data["member_states"] = _shares_of(first["destination"].astype(str))
    if "region" in first.columns and first["region"].notna().all():
        data["regions"] = _shares_of(first["region"].astype(str))
    if "weight_kg" in lines.columns and lines["weight_kg"].notna().all():
        data["kg_per_item"] = _kg_per_item(lines, hs.str[:6])
    return Profile.build(data, file="fit_profile")


def _flag(first: pd.DataFrame, column: str) -> dict[str, Any]:
    if column not in first.columns:
        note = f"Not in the data: no parcel is counted as {column.replace('_', ' ')}."
        return {"value": Decimal(0), "role": "assumption", "note": note}
    flags = first[column].fillna(False).astype(bool)
    return _figure((Decimal(int(flags.sum())) / Decimal(len(first))).quantize(_SIX))


def _fit_shipping(first: pd.DataFrame, unit: int) -> dict[str, Any]:
    if "shipping" not in first.columns and "shipping_minor" not in first.columns:
        note = "Not in the data: every parcel ships free."
        return {
            "free_share": {"value": Decimal(1), "role": "assumption", "note": note},
            "median": {"value": Decimal(1), "role": "assumption", "note": note},
            "sigma": {"value": Decimal("0.1"), "role": "assumption", "note": note},
        }
    shipping = _minor(first.fillna({"shipping": Decimal(0)}), "shipping", unit)
    paid = np.sort(shipping[shipping > 0])
    free = (Decimal(int((shipping == 0).sum())) / Decimal(len(shipping))).quantize(_SIX)
    if len(paid) < 2:
        note = "Too few paid parcels in the data to fit; placeholder."
        return {
            "free_share": _figure(free),
            "median": {"value": Decimal(1), "role": "assumption", "note": note},
            "sigma": {"value": Decimal("0.1"), "role": "assumption", "note": note},
        }
    sigma = float(np.std(np.log(paid / unit), ddof=1)) or 0.01
    return {
        "free_share": _figure(free),
        "median": _figure(Decimal(int(paid[(len(paid) - 1) // 2])) / unit),
        "sigma": _figure(_d(sigma)),
    }


def _kg_per_item(lines: pd.DataFrame, hs: Any) -> dict[str, Any]:
    quantity = lines["quantity"] if "quantity" in lines.columns else [1] * len(lines)
    per_unit = pd.Series(
        [Decimal(str(w)) / int(q) for w, q in zip(lines["weight_kg"], quantity, strict=True)]
    )
    medians: dict[str, Decimal] = {}
    for code, group in per_unit.groupby(hs.to_numpy()):
        ordered = sorted(group)
        medians[str(code)] = max(ordered[(len(ordered) - 1) // 2], Decimal("0.001")).quantize(
            Decimal("0.001"), context=_CONTEXT
        )
    return {"values": medians, "role": "calibrate", "source": "data", "note": "median per unit"}


__all__ = ["Z", "calibration_report", "fit_profile"]
