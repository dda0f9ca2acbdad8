"""ISO 3166 country and region codes, from the maintained ``pycountry`` data, and the EU members.

Country codes are ISO 3166-1 alpha-2; region codes are the part after the hyphen of an
ISO 3166-2 subdivision code (``"ON"`` for ``CA-ON``), as customs declarations write them.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import pycountry

COUNTRIES: Final[frozenset[str]] = frozenset(c.alpha_2 for c in pycountry.countries)

EU_MEMBER_STATES: Final[frozenset[str]] = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code.

    >>> is_country("CA"), is_country("XX")
    (True, False)
    """
    return code in COUNTRIES


@cache
def subdivisions(country: str) -> frozenset[str]:
    """The first-level ISO 3166-2 region codes of a country, without the country prefix.

    >>> sorted(subdivisions("CA"))[:4], len(subdivisions("CA"))
    (['AB', 'BC', 'MB', 'NB'], 13)
    >>> subdivisions("XX")
    frozenset()
    """
    found = (
        pycountry.subdivisions.get(country_code=country)  # type: ignore[no-untyped-call]
        if country in COUNTRIES
        else None
    )
    return frozenset(
        s.code.split("-", 1)[1] for s in (found or ()) if getattr(s, "parent_code", None) is None
    )
