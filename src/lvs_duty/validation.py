"""The model beside published figures: each calibrated profile through its regime and schedule.

:func:`model_figures` draws a profile's population (dated in the profile's year), assesses it
under the regime in force then and with its duty thresholds removed ("duty at any value"),
with the bundled schedule's rates, and returns annual figures (weights x exact amounts).
:data:`CHECKS` puts each published figure kept for validation (a profile's
``[[validation]]`` rows, never its calibrated ones) beside the model's, with the band the
model can honestly claim and why the two differ. ``notebooks/05_validation.ipynb`` shows them.

Two assumptions hold for every profile and are said wherever the figures are shown:

* the bundled schedules are in force from 2026; the profiles are of 2024. The schedule's
  lines are taken as the 2024 rates (:func:`backdated`): MFN rates of these 40 lines rarely
  move, but US Section 301 and 2025-26 surcharges are not in any schedule;
* "duty at any value" keeps the regime's version of the profile's year and drops its duty
  thresholds only (tax thresholds stand), as the published "removing the relief" estimates do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from .compare import compare, summarize
from .loading import load_rules
from .money import CONTEXT
from .options import rescoped_exclusions
from .rules import RuleSet
from .schedules import Schedule, load_schedule

PROFILES: dict[str, str] = {
    "eu_2024": "EU",
    "us_2024": "US",
    "ca_2024": "CA",
    "au_2024": "AU",
    "gb_2024": "GB",
}
# one figure per market at least; every figure a [[validation]] row of its profile
"""Each calibrated profile and the bundled regime (and schedule) it runs through."""


def backdated(schedule: Schedule, start: dt.date) -> Schedule:
    """The schedule with its first version starting at ``start`` (an assumption: say it)."""
    first = schedule.versions[0]
    if first.valid_from <= start:
        return schedule
    data = schedule.model_dump()
    data["versions"][0]["valid_from"] = start
    return Schedule.build(data, file=f"{schedule.code} schedule, backdated to {start}")


def at_any_value(rules: RuleSet, on: dt.date) -> RuleSet:
    """The version in force on ``on`` alone, its duty thresholds dropped (duty from 1 cent)."""
    version = rules.at(on)
    data = rules.model_dump()
    kept = version.model_dump()
    kept["thresholds"] = [t for t in kept["thresholds"] if t["applies_to"] != "duty"]
    dropped = {t.name for t in version.thresholds if t.applies_to == "duty"}
    kept["exclusions"] = rescoped_exclusions(version, dropped)
    kept["duty"]["low_value"] = None
    kept["valid_to"] = None
    data["versions"] = [kept]
    data["code"] = f"{rules.code}_ANY_VALUE"
    data["name"] = f"{rules.name}: duty at any value"
    return RuleSet.model_validate(data)


@dataclass(frozen=True)
class Figures:
    """A profile's annual figures under its regime in its year, and with duty at any value."""

    profile: str
    regime: str
    currency: str
    summary: pd.DataFrame  # one row per option, with the *_per_year columns
    by_band: pd.DataFrame  # the same, by goods value at or below 22 (currency units) or over
    population: pd.DataFrame

    def per_year(self, option: str, column: str) -> Any:
        """One annual figure (``revenue_per_year``...) of one option."""
        row = self.summary.set_index("option").loc[option]
        return row[column]


def model_figures(profile: str, n: int = 20_000, seed: int = 2024) -> Figures:
    """Draw ``profile``'s population and assess it as it stood in the profile's year."""
    from .profiles import load_profile
    from .simulate import population

    code = PROFILES[profile]
    year = load_profile(profile).year
    day = dt.date(year, 7, 1)
    destination = code
    pop = population(n, destination, seed=seed, profile=profile, date=day)
    pop = pop.drop(columns=["seller_registered"], errors="ignore")
    rules = load_rules(code)
    schedule = backdated(load_schedule(code), dt.date(year, 1, 1))
    options = {"baseline": rules, "duty_at_any_value": at_any_value(rules, day)}
    comparison = compare(pop, options, schedule=schedule, amounts="minor")
    summary = summarize(comparison)
    by_band = summarize(comparison, by="value_band", bands=[22])
    return Figures(profile, code, rules.currency, summary, by_band, pop)


@dataclass(frozen=True)
class Check:
    """A published figure kept for validation, the model's, and what the model can claim."""

    profile: str
    figure: str  # the published figure, as its profile's [[validation]] row gives it
    source: str  # the source id of that [[validation]] row
    published: Decimal
    unit: str
    option: str  # the option whose annual figure is compared
    column: str  # the *_per_year column (or "share_at_or_below_22")
    low: Decimal  # the band the model claims: model / published within [low, high]
    high: Decimal
    gap: str  # why the two differ

    def model(self, figures: Figures) -> Decimal:
        """The model's figure for this check, in the published figure's unit."""
        if self.column == "tax_per_parcel_to_22":
            rows = figures.by_band
            row = rows[(rows["option"] == self.option) & (rows["value_band"] == "0–22")].iloc[0]
            parcels = Decimal(int(row["parcels_per_year"]))
            return CONTEXT.divide(Decimal(row["tax_per_year"]), parcels)
        amount = figures.per_year(self.option, self.column)
        return CONTEXT.divide(Decimal(amount), _SCALE[self.unit])


_SCALE = {"bn": Decimal(10) ** 9, "m": Decimal(10) ** 6, "per parcel": Decimal(1)}

CHECKS: tuple[Check, ...] = (
    Check(
        "eu_2024",
        "About EUR 1 billion a year from removing the EUR 150 duty relief (press, S)",
        "press-duty-1bn",
        Decimal(1),
        "bn",
        "duty_at_any_value",
        "duty_per_year",
        Decimal("0.5"),
        Decimal(5),
        "The model charges the schedule's MFN rates on 4.6 bn parcels at their declared value "
        "(mean EUR 8): its figure is a pure rate x value sum. The press figure is another "
        "model's, on an older (smaller) volume, and the same source says 65% of parcels are "
        "undervalued, so declared-value duty is what both compute; the model's HS mix (the 40 "
        "common lines, equal for all markets) is an assumption that leans to apparel and "
        "footwear (12-17%), which raises it.",
    ),
    Check(
        "eu_2024",
        "EUR 690 million VAT from parcels under EUR 22, July-December 2021; about 500 million "
        "items (P): EUR 1.38 per item",
        "ec-ioss-2022",
        Decimal("1.38"),
        "per parcel",
        "baseline",
        "tax_per_parcel_to_22",
        Decimal("0.5"),
        Decimal(2),
        "Read as 500 m items under EUR 22 (the release can also be read as 500 m items in "
        "all): VAT per item at or below EUR 22. The 2021 half-year is the first of IOSS and "
        "its mix of values is not 2024's; the model's parcels at or below EUR 22 have the "
        "calibrated 2024 value distribution (an assumed spread, sigma 1.0) and every one pays "
        "VAT at sale (the regime treats every parcel of EUR 150 or less as IOSS).",
    ),
    Check(
        "us_2024",
        "About USD 10 billion a year from ending de minimis (White House, press, S)",
        "press-revenue",
        Decimal(10),
        "bn",
        "duty_at_any_value",
        "duty_per_year",
        Decimal("0.3"),
        Decimal("1.5"),
        "The model charges MFN only (the US schedule has no Section 301 or IEEPA duties, which "
        "FR 2025-01074 puts at 21.2% combined with MFN on these goods), so it should fall "
        "short of an estimate that counts them; behaviour (fewer parcels once charged) works "
        "the other way and is not modelled.",
    ),
    Check(
        "gb_2024",
        "About GBP 600 million a year from abolishing the GBP 135 relief (press, S)",
        "press-600m",
        Decimal("0.6"),
        "bn",
        "duty_at_any_value",
        "duty_per_year",
        Decimal("0.5"),
        Decimal(4),
        "290 m parcels is GBP 5.8 bn (calibrated) over an assumed mean of GBP 20; the "
        "published estimate is another model's. Both charge MFN on declared value; the model's "
        "HS mix (an assumption) weighs apparel and footwear at 12-17%.",
    ),
    Check(
        "ca_2024",
        "CAD 170 million spent to collect CAD 40 million (testimony, S)",
        "hoc-testimony",
        Decimal(40),
        "m",
        "baseline",
        "revenue_per_year",
        Decimal(2),
        Decimal(200),
        "Not the same quantity: the testimony's CAD 40 m is what CBSA collected on postal "
        "low-value items years before CUSMA; the model's is duty and GST/HST due on 109 m "
        "parcels (an assumed count, [U]) under the 2024 thresholds, collected or not. The "
        "model is far above it, as it should be: the band only says it is of that order "
        "or more.",
    ),
    Check(
        "au_2024",
        "GST on low-value goods: KPMG AUD 930 million a year (P/S)",
        "senate-lvg",
        Decimal("0.93"),
        "bn",
        "baseline",
        "tax_per_year",
        Decimal("0.5"),
        Decimal(3),
        "KPMG's figure is for full compliance before the 2018 reform; the model's is GST at "
        "sale on 150 m parcels (count grown from 2010-11 by an assumed factor, [U]) of an "
        "assumed mean of AUD 70, all collected. The count and mean are assumptions, so only "
        "the order of magnitude is claimed.",
    ),
)
"""Every published figure the model is checked against (each from a [[validation]] row)."""


def roles(profile: str) -> pd.DataFrame:
    """Every figure of a profile that calibrates (or is assumed), then every validation row.

    The two lists never share a figure: a profile's moments come from its ``calibrate`` rows,
    and :data:`CHECKS` compares the model only with its ``[[validation]]`` rows.
    """
    from pydantic import BaseModel

    from .profiles import load_profile

    loaded = load_profile(profile)
    rows: list[dict[str, str]] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, BaseModel):
            role = getattr(node, "role", None)
            if isinstance(role, str) and path:
                rows.append({"figure": path, "role": role, "source": getattr(node, "source", "")})
            for name in type(node).model_fields:
                if name != "validation":
                    walk(getattr(node, name), f"{path}.{name}" if path else name)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}[{key}]")

    walk(loaded, "")
    for row in loaded.validation:
        rows.append({"figure": row.figure, "role": "validate", "source": row.source})
    return pd.DataFrame(rows, columns=["figure", "role", "source"])


def validation_table(figures: dict[str, Figures]) -> pd.DataFrame:
    """One row per check: published, model, ratio, the claimed band and whether it holds."""
    rows = []
    for check in CHECKS:
        if check.profile not in figures:
            continue
        model = check.model(figures[check.profile])
        ratio = CONTEXT.divide(model, check.published)
        rows.append(
            {
                "profile": check.profile,
                "figure": check.figure,
                "published": check.published,
                "model": model.quantize(Decimal("0.01"), context=CONTEXT),
                "unit": f"{figures[check.profile].currency} {check.unit}",
                "ratio": ratio.quantize(Decimal("0.01"), context=CONTEXT),
                "band": f"{check.low}-{check.high}",
                "within": check.low <= ratio <= check.high,
                "gap": check.gap,
            }
        )
    return pd.DataFrame(rows)


__all__ = [
    "CHECKS",
    "PROFILES",
    "Check",
    "Figures",
    "at_any_value",
    "backdated",
    "model_figures",
    "roles",
    "validation_table",
]
