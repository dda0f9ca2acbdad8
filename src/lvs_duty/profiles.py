"""Population profiles: one market and year of low-value parcels, every number sourced.

A profile (``data/populations/<name>.toml``) says how many parcels a market receives a year and
what they look like: value distribution, lines and quantities, HS mix, ship-from and mode
mixes, gifts, transport costs, the share of sellers registered in the collection scheme, and
for the EU the member state of destination. Each number is a :class:`Figure` (or a table of
shares) marked ``role = "calibrate"`` with the id of its published source, or ``role =
"assumption"`` with the reasoning; published figures kept apart for validation are listed under
``validation`` and never used. :func:`load_profile` validates a file with one pydantic model
and raises :class:`ProfileError` naming the file, location and field of every problem.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from decimal import Decimal, localcontext
from functools import wraps
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._lognormal import TruncatedLogNormal, fit_mean_share, fit_mean_sigma
from ._toml_writer import dumps
from ._validation import problems_from
from .countries import EU_MEMBER_STATES
from .errors import LvsDutyError, Problem, RuleFileError
from .money import CONTEXT, CURRENCIES
from .toml_files import bundled_names, parse, read_bundled, read_path

_P = ParamSpec("_P")
_R = TypeVar("_R")


def in_library_context(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` in the library's decimal context, never the caller's."""

    @wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(CONTEXT):
            return function(*args, **kwargs)

    return wrapper


Role = Literal["calibrate", "assumption"]
MODES = ("courier", "post")
_HS6 = re.compile(r"^\d{6}$")
_ISO = re.compile(r"^[A-Z]{2}$")


class ProfileError(RuleFileError):
    """A population profile that does not validate: file, location and field of each problem."""


class UnknownProfileError(LookupError, LvsDutyError):
    """A profile name that is not bundled, or a path that does not exist."""

    source: str
    available: tuple[str, ...]

    def __init__(self, source: str, available: list[str]) -> None:
        LvsDutyError.__init__(self, source=source, available=tuple(available))

    def __str__(self) -> str:
        return (
            f"load_profile: {self.source!r} is neither a bundled profile nor an existing file; "
            f"expected one of {', '.join(self.available)} or a path to a .toml profile"
        )


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """A publication a figure comes from; ``tag`` P = the authority's own, S = secondary."""

    title: str = Field(min_length=1)
    url: str = ""
    accessed: str = ""
    tag: Literal["P", "S"]


class Figure(_Frozen):
    """One number: published (``calibrate``, with its source) or assumed (with the reasoning)."""

    value: Decimal
    role: Role
    source: str = ""
    note: str = ""


class Shares(_Frozen):
    """Shares over named categories, summing to exactly 1, with their role and source."""

    shares: dict[str, Decimal] = Field(min_length=1)
    role: Role
    source: str = ""
    note: str = ""


class Table(_Frozen):
    """A positive number per category (kilograms per item by HS code), with role and source."""

    values: dict[str, Decimal] = Field(min_length=1)
    role: Role
    source: str = ""
    note: str = ""


class Band(Figure):
    """The share of parcels whose value is at or below ``amount``."""

    amount: Decimal = Field(gt=0)


class ValueModel(_Frozen):
    """Parcel value (sum of its lines): a log-normal truncated at ``cap``, fitted on load.

    Either ``mean`` and ``share_below`` (two published moments fix both parameters) or ``mean``
    and ``sigma`` (the log-sd assumed when no band share is published).
    """

    distribution: Literal["lognormal"]
    cap: Decimal = Field(gt=0)
    mean: Figure
    sigma: Figure | None = None
    share_below: Band | None = None


class Shipping(_Frozen):
    """Transport cost per parcel: free on a share of parcels, else log-normal (median, sigma)."""

    free_share: Figure
    median: Figure
    sigma: Figure


class Kept(_Frozen):
    """A published figure deliberately not used here, kept for validating the model."""

    figure: str = Field(min_length=1)
    source: str
    use: str = Field(min_length=1)


class Profile(_Frozen):
    """One market and year of low-value parcels (see the module docstring)."""

    name: str = Field(min_length=1)
    market: str = Field(min_length=2)
    year: int = Field(ge=1990, le=2100)
    currency: str
    description: str = ""
    scope: str = Field(min_length=1)
    sources: dict[str, Source]
    parcels_per_year: Figure
    value: ValueModel
    lines: Shares
    quantity: Shares
    hs_mix: Shares
    kg_per_item: Table | None = None
    ship_from: Shares
    mode: Shares
    gift: Figure
    shipping: Shipping
    seller_registered: Figure
    member_states: Shares | None = None
    regions: Shares | None = None
    validation: list[Kept] = []

    @property
    def date(self) -> dt.date:
        """The date a population of this profile is assessed on by default: 1 July of the year."""
        return dt.date(self.year, 7, 1)

    def to_toml(self) -> str:
        """The profile as TOML text, which :func:`loads_profile` reads back to an equal profile."""
        return dumps(self.model_dump(exclude_none=True))

    def value_distribution(self) -> TruncatedLogNormal:
        """The fitted parcel-value distribution (checked on load, so it exists)."""
        fitted = _fit(self.value)
        assert fitted is not None  # load refuses a profile whose moments cannot be fitted
        return fitted

    @classmethod
    @in_library_context
    def build(cls, data: Any, *, file: str = "<in code>") -> Profile:
        """Validate a mapping into a Profile; raise ProfileError listing every problem."""
        try:
            profile = cls.model_validate(data)
        except ValidationError as exc:
            raise ProfileError(file, problems_from(exc, data)) from None
        problems = _cross_checks(profile)
        if problems:
            raise ProfileError(file, problems)
        return profile


def _fit(value: ValueModel) -> TruncatedLogNormal | None:
    cap, mean = float(value.cap), float(value.mean.value)
    if value.share_below is not None:
        band = value.share_below
        return fit_mean_share(mean, float(band.amount), float(band.value), cap)
    if value.sigma is not None:
        return fit_mean_sigma(mean, float(value.sigma.value), cap)
    return None


def _figures(profile: Profile) -> list[tuple[str, Figure | Shares | Table]]:
    named: list[tuple[str, Figure | Shares | Table | None]] = [
        ("parcels_per_year", profile.parcels_per_year),
        ("value.mean", profile.value.mean),
        ("value.sigma", profile.value.sigma),
        ("value.share_below", profile.value.share_below),
        ("lines", profile.lines),
        ("quantity", profile.quantity),
        ("hs_mix", profile.hs_mix),
        ("kg_per_item", profile.kg_per_item),
        ("ship_from", profile.ship_from),
        ("mode", profile.mode),
        ("gift", profile.gift),
        ("shipping.free_share", profile.shipping.free_share),
        ("shipping.median", profile.shipping.median),
        ("shipping.sigma", profile.shipping.sigma),
        ("seller_registered", profile.seller_registered),
        ("member_states", profile.member_states),
        ("regions", profile.regions),
    ]
    return [(name, figure) for name, figure in named if figure is not None]


def _key_problems(where: str, keys: list[str], rule: str, good: Any) -> list[Problem]:
    return [Problem(f"{where}.shares", key, rule, repr(key)) for key in keys if not good(key)]


def _cross_checks(profile: Profile) -> list[Problem]:
    problems: list[Problem] = []
    if profile.currency not in CURRENCIES:
        problems.append(Problem("", "currency", "an ISO 4217 code", repr(profile.currency)))
    for name, figure in _figures(profile):
        problems.extend(_figure_problems(profile, name, figure))
    for kept in profile.validation:
        if kept.source not in profile.sources:
            problems.append(Problem("validation", "source", "an id under [sources]", kept.source))
    problems += _key_problems("hs_mix", list(profile.hs_mix.shares), "6 digits", _HS6.match)
    problems += _key_problems("ship_from", list(profile.ship_from.shares), "ISO code", _ISO.match)
    problems += _key_problems("mode", list(profile.mode.shares), "courier or post", MODES.count)
    for table in ("lines", "quantity"):
        keys = list(getattr(profile, table).shares)
        problems += _key_problems(table, keys, "a whole number 1-99", _count)
    if profile.kg_per_item is not None and set(profile.kg_per_item.values) != set(
        profile.hs_mix.shares
    ):
        problems.append(
            Problem("kg_per_item", "values", "one weight per hs_mix code", "other codes")
        )
    is_eu = profile.market == "EU"
    if is_eu != (profile.member_states is not None):
        expected = "a member_states table (EU)" if is_eu else "no member_states table (EU only)"
        problems.append(Problem("", "member_states", expected, profile.market))
    if profile.member_states is not None:
        keys = list(profile.member_states.shares)
        problems += _key_problems("member_states", keys, "an EU member state", _member)
    value = profile.value
    if (value.sigma is None) == (value.share_below is None):
        problems.append(Problem("value", "sigma", "exactly one of sigma or share_below", "both"))
    elif _fit(value) is None:
        problems.append(
            Problem("value", "mean", "moments a truncated log-normal can reach", "no fit")
        )
    return problems


def _count(key: str) -> bool:
    return key.isdigit() and 1 <= int(key) <= 99


def _member(key: str) -> bool:
    return key in EU_MEMBER_STATES


def _figure_problems(profile: Profile, name: str, figure: Figure | Shares | Table) -> list[Problem]:
    problems: list[Problem] = []
    if figure.role == "calibrate" and figure.source not in profile.sources:
        problems.append(Problem(name, "source", "an id under [sources] (role calibrate)", ""))
    if figure.source and figure.source not in profile.sources:
        problems.append(Problem(name, "source", "an id under [sources]", figure.source))
    if figure.role == "assumption" and not figure.note:
        problems.append(Problem(name, "note", "the reasoning of an assumption", "none"))
    if isinstance(figure, Table):
        for key, amount in figure.values.items():
            if amount <= 0:
                problems.append(Problem(f"{name}.values", key, "a positive number", str(amount)))
    elif isinstance(figure, Shares):
        total = sum(figure.shares.values(), Decimal(0))
        if total != 1:
            problems.append(Problem(name, "shares", "shares summing to exactly 1", str(total)))
        for key, share in figure.shares.items():
            if not 0 <= share <= 1:
                problems.append(Problem(f"{name}.shares", key, "a share in [0, 1]", str(share)))
    elif name in ("gift", "seller_registered", "shipping.free_share", "value.share_below"):
        if not 0 <= figure.value <= 1:
            problems.append(Problem(name, "value", "a share in [0, 1]", str(figure.value)))
    elif figure.value <= 0:
        problems.append(Problem(name, "value", "a positive number", str(figure.value)))
    return problems


_FOLDER = "populations"


def available_profiles() -> list[str]:
    """Names of the bundled profiles, sorted.

    >>> "eu_2024" in available_profiles()
    True
    """
    return bundled_names(_FOLDER)


def load_profile(source: str | os.PathLike[str]) -> Profile:
    """A profile from a bundled name (``"eu_2024"``) or the path of a profile file.

    >>> load_profile("ca_2024").currency
    'CAD'
    """
    if isinstance(source, str) and "/" not in source and not source.endswith(".toml"):
        bundled = read_bundled(_FOLDER, source, ProfileError)
        if bundled is not None:
            return Profile.build(bundled[0], file=bundled[1])
    path = Path(source)
    if path.is_file():
        return Profile.build(read_path(path, ProfileError), file=str(path))
    raise UnknownProfileError(str(source), available_profiles())


def loads_profile(text: str, *, file: str = "<string>") -> Profile:
    """A profile from TOML text; numbers are read as exact decimals."""
    data = parse(text.encode("utf-8", "surrogatepass"), file, ProfileError)
    return Profile.build(data, file=file)


__all__ = [
    "Band",
    "Figure",
    "Kept",
    "Profile",
    "ProfileError",
    "Shares",
    "Shipping",
    "Source",
    "Table",
    "UnknownProfileError",
    "ValueModel",
    "available_profiles",
    "in_library_context",
    "load_profile",
    "loads_profile",
]
