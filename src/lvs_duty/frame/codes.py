"""The small integer codes the frame path keeps in its columns instead of words.

Reliefs follow :data:`lvs_duty.decide.RELIEFS`; points of collection number a line's duty or
tax point; :data:`WHERE` names the collection codes of the result.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..decide import RELIEFS

NO_RELIEF, EXEMPT, SALE = (RELIEFS.index(r) for r in (None, "exempt", "sale"))
"""Relief codes of a line: no relief, exempt, collected at the point of sale."""

NOT_COLLECTED, AT_BORDER, AT_SALE = 0, 1, 2
"""Point codes of a line's duty or tax: not collected, at the border, at the point of sale."""

POINT_OF_RELIEF = (AT_BORDER, NOT_COLLECTED, AT_SALE)
"""The point of collection of each relief code (indexed by it)."""

WHERE = ("border", "sale", "mixed")
"""Collection codes of the result: 0 border, 1 sale, 2 mixed, -1 nothing collected."""

COLLECTION_CODES = ("duty_collection", "tax_collection")
"""The outcome's columns of collection codes (int8; its others are int64 amounts)."""


def outcome_dtype(field: str) -> Any:
    """The dtype of an outcome's column: int8 collection codes, int64 for the rest."""
    return np.int8 if field in COLLECTION_CODES else np.int64


def categorical(codes: Any, names: list[Any]) -> Any:
    """A categorical column from integer codes (-1 missing) and the names they stand for.

    The codes are the library's own, each -1 or an index of ``names``: not checked again
    (pandas' check is a pass over every row).
    """
    maker: Any = pd.Categorical.from_codes
    return maker(codes, categories=names, validate=False)


__all__ = [
    "AT_BORDER",
    "AT_SALE",
    "COLLECTION_CODES",
    "EXEMPT",
    "NOT_COLLECTED",
    "NO_RELIEF",
    "POINT_OF_RELIEF",
    "SALE",
    "WHERE",
    "categorical",
    "outcome_dtype",
]
