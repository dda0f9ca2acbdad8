"""The default synthetic population fitted to one rule set: what each regime needs to run.

:func:`lvs_duty.simulate.population` draws parcels for a destination; a rule set adds
requirements of its own. :func:`fit` reads them from the rules, never from a table of codes:

* **destination**: the country the rules cover; for rules covering several (the EU's member
  states) the first in alphabetical order, unless one is given;
* **date**: the one given, else today when a version is in force today, else the start of
  the last version (a regime that has ended, such as Turkey's EUR 30 regime);
* **currency**: the rules' own (Korea's, Mexico's, Chile's, Indonesia's and Brazil's files are
  in USD), unless ``fx`` converts the destination's own currency, which is then used;
* **weights**: a ``weight_kg`` per line when the version in force charges per kilogram
  (Switzerland's specific duties) or measures a threshold by weight.

:func:`population_for` draws the population with those choices and returns them with it, so a
caller (the CLI) can print what was assumed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from .errors import ArgumentError
from .rules import RuleSet, RuleVersion, covered_destinations
from .simulate import CURRENCY_OF, Layout, population


@dataclass(frozen=True)
class Fitted:
    """What a population for one rule set was drawn with, and why (``notes``)."""

    destination: str
    date: dt.date
    currency: str
    weights: bool
    fx: Mapping[str, Decimal] | None
    notes: tuple[str, ...]

    def describe(self) -> str:
        """The choices in one line, for a caption or the CLI's header."""
        return f"destination {self.destination}, dated {self.date}, priced in {self.currency}" + (
            ", with weights" if self.weights else ""
        )


def _in_force(rules: RuleSet, on: dt.date) -> RuleVersion | None:
    for version in rules.versions:
        if version.valid_from <= on and (version.valid_to is None or on < version.valid_to):
            return version
    return None


def _charges_by_weight(node: Any) -> bool:
    """Whether a dumped rule version has an amount per kilogram or a weight measure."""
    if isinstance(node, dict):
        if node.get("per") == "kg" or "weight" in str(node.get("measure", "")):
            return True
        return any(_charges_by_weight(child) for child in node.values())
    if isinstance(node, (list, tuple)):
        return any(_charges_by_weight(child) for child in node)
    return False


def fit(
    rules: RuleSet,
    *,
    destination: str | None = None,
    on: dt.date | None = None,
    fx: Mapping[str, Decimal] | None = None,
    today: dt.date | None = None,
) -> Fitted:
    """The destination, date, currency and weights a population for ``rules`` needs.

    >>> from lvs_duty import load_rules
    >>> fit(load_rules("US_POSTAL_SPECIFIC"), today=dt.date(2026, 11, 29)).describe()
    'destination US, dated 2025-08-29, priced in USD'
    >>> fit(load_rules("EU"), today=dt.date(2026, 11, 29)).destination
    'AT'
    """
    if not isinstance(rules, RuleSet):
        raise ArgumentError("fit", "rules", "a RuleSet", type(rules).__name__)
    notes: list[str] = []
    today = dt.date.today() if today is None else today
    if on is None:
        if _in_force(rules, today) is not None:
            on = today
        else:
            on = rules.versions[-1].valid_from
            notes.append(f"no version in force today ({today}): dated at the last version's start")
    version = _in_force(rules, on)
    if version is None:
        periods = ", ".join(v.period for v in rules.versions)
        raise ArgumentError("fit", "on", f"a date inside the rules' versions ({periods})", on)
    covered = covered_destinations(rules, version)
    if destination is not None and covered is not None and destination not in covered:
        expected = f"one of {', '.join(sorted(covered))} (the countries {rules.code} rules cover)"
        raise ArgumentError("fit", "destination", expected, destination)
    if destination is None:
        if covered is None:
            destination = rules.code.split("+")[0].split("_")[0]
        else:
            destination = sorted(covered)[0]
            if len(covered) > 1:
                notes.append(f"{rules.code} covers {len(covered)} countries: {destination} chosen")
    own = CURRENCY_OF.get(destination)
    if own is not None and own != rules.currency and fx and own in fx:
        currency = own
        notes.append(f"priced in {own}, converted at {fx[own]} {rules.currency} per {own}")
    else:
        currency = rules.currency
    weights = _charges_by_weight(version.model_dump())
    used = {currency: fx[currency]} if fx and currency in fx else None
    return Fitted(destination, on, currency, weights, used, tuple(notes))


def population_for(
    rules: RuleSet,
    n: int,
    *,
    seed: int,
    destination: str | None = None,
    on: dt.date | None = None,
    fx: Mapping[str, Decimal] | None = None,
    layout: Layout = "canonical",
    today: dt.date | None = None,
) -> tuple[pd.DataFrame, Fitted]:
    """``n`` default synthetic parcels fitted to ``rules`` (see :func:`fit`), and the choices.

    >>> from lvs_duty import load_rules
    >>> frame, chosen = population_for(load_rules("KR"), 2, seed=1, today=dt.date(2026, 11, 29))
    >>> str(frame["currency"].iloc[0]), str(frame["destination"].iloc[0])
    ('USD', 'KR')
    """
    chosen = fit(rules, destination=destination, on=on, fx=fx, today=today)
    frame = population(
        n,
        chosen.destination,
        seed=seed,
        date=chosen.date,
        layout=layout,
        currency=chosen.currency,
        weights=chosen.weights,
    )
    return frame, chosen


__all__ = ["Fitted", "fit", "population_for"]
