"""The vectorised path: assess a whole table of shipments at once, exact to the cent.

:func:`assess_frame` gives, for every shipment of a table, the same figures as
:func:`lvs_duty.assess` (a property test holds it to that, field by field), millions of
shipments per second. It reads the canonical layout of :mod:`lvs_duty.tabular` (one row per
item line, ``shipment_id`` repeated; amounts as ``Decimal`` or exact decimal strings), or the
*fast layout*, where ``value``, ``shipping`` and ``insurance`` are replaced by the int64 columns
``value_minor``, ``shipping_minor`` and ``insurance_minor`` in minor units of the shipment
currency (so a simulation never builds a ``Decimal``). Any column may be categorical.

Result, one row per shipment in order of first appearance:

* ``shipment_id`` and ``currency`` (the regime's);
* amounts as **int64 minor units** of that currency, named ``<field>_minor``:
  ``goods_value_minor``, ``customs_value_minor``, ``tax_base_minor``, ``duty_assessed_minor``,
  ``tax_assessed_minor``, ``duty_minor``, ``tax_minor``, ``fees_minor``, ``total_minor``,
  ``collected_at_border_minor``, ``collected_at_sale_minor``. :func:`to_decimal_frame` turns
  them into ``Decimal`` columns named as :class:`~lvs_duty.explain.Assessment` names them
  (``duty``, ``tax``...), equal to what ``assess`` returns;
* ``duty_collection`` and ``tax_collection`` (categorical ``border``/``sale``/``mixed``, NaN
  when nothing is collected), ``border_collection`` (bool), ``classifications`` (int);
* ``status`` (``ok`` or ``error``); with ``errors="flag"`` also ``error`` (the first problem
  in words), and amounts become nullable (``Int64``), missing on error rows: never a 0 that
  was not assessed.

Money never passes through a float: amounts are integers, rates exact rationals, and each
rounding is an integer division by the rule's rounding mode. Intermediates are held under
2**59 minor units; a shipment that would need more is reported as bad, never wrapped around.
Rounding quanta and fees must be whole minor units (every real regime's are); a rule set with
finer ones is refused with :class:`~lvs_duty.errors.ArgumentError`.

Dask: a ``dask.dataframe.DataFrame`` is assessed partition by partition (lazily, in bounded
memory) and a dask frame comes back. Every shipment's rows must lie in one partition: split
tables with :func:`to_dask` (which cuts only between shipments) or index them by
``shipment_id`` (``ddf.set_index("shipment_id")``). A shipment that runs across a partition
boundary is reported as a :class:`~lvs_duty.errors.FrameError` when the result is computed.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import ArgumentError, FrameError
from ..money import CURRENCIES, fx_rate, own_context
from ..rules import RuleSet
from ..schedules.model import Schedule
from ..schedules.use import check_schedule
from .batch import assess_batch
from .codes import WHERE, categorical
from .input import FAST_COLUMNS, Batch, read_batch
from .kernel import Outcome
from .schedule import with_schedule
from .weights import read_weights, weights_of

Errors = Literal["raise", "flag"]

AMOUNTS: tuple[str, ...] = (
    "goods_value", "customs_value", "tax_base", "duty_assessed", "tax_assessed", "duty", "tax",
    "fees", "total", "collected_at_border", "collected_at_sale",
)  # fmt: skip
"""Amount fields of the result, each held as an int64 column ``<field>_minor``."""

RESULT_COLUMNS: tuple[str, ...] = (
    "shipment_id", "currency", *(f"{a}_minor" for a in AMOUNTS), "duty_collection",
    "tax_collection", "border_collection", "classifications", "status",
)  # fmt: skip
"""Columns of :func:`assess_frame`'s result (``error`` follows with ``errors="flag"``)."""


def check_fx(function: str, fx: object) -> dict[str, Fraction] | None:
    """The caller's exchange rates as exact positive rationals, or ArgumentError naming the key."""
    if fx is None:
        return None
    if not isinstance(fx, Mapping):
        raise ArgumentError(function, "fx", "a mapping of currency code to rate", type(fx).__name__)
    out: dict[str, Fraction] = {}
    for key, value in fx.items():
        out[str(key)] = Fraction(fx_rate(function, key, value))
    return out


def _check(function: str, rules: object, errors: object, on: object) -> None:
    if not isinstance(rules, RuleSet):
        raise ArgumentError(
            function, "rules", "a lvs_duty.RuleSet (see load_rules)", type(rules).__name__
        )
    if errors not in ("raise", "flag"):
        raise ArgumentError(function, "errors", "'raise' or 'flag'", errors)
    if on is not None and (not isinstance(on, dt.date) or isinstance(on, dt.datetime)):
        raise ArgumentError(function, "on", "a datetime.date or None", on)


def is_dask(frame: object) -> bool:
    """Whether ``frame`` is a dask DataFrame (checked without importing dask)."""
    module = type(frame).__module__
    return module.startswith(("dask.", "dask_expr")) and hasattr(frame, "map_partitions")


@own_context
def assess_frame(
    frame: Any,
    rules: RuleSet,
    *,
    fx: Mapping[str, Decimal | int | str] | None = None,
    on: dt.date | None = None,
    errors: Errors = "raise",
    schedule: Schedule | None = None,
) -> Any:
    """Assess every shipment of a table under one rule set; one result row per shipment.

    ``fx``, ``on`` and ``schedule`` mean what they mean for :func:`lvs_duty.assess`. With
    ``errors="raise"`` a table with any bad row raises one
    :class:`~lvs_duty.errors.FrameError` whose ``failure_cases`` lists every bad cell (row
    label, column, problem, value), including shipments the rules cannot assess (a missing
    MFN rate, no version in force); with ``errors="flag"`` the good shipments are assessed
    and the bad ones marked ``status == "error"`` with the reason in ``error``.

    >>> from lvs_duty import Item, Shipment, load_rules, shipments_to_frame
    >>> parcel = Shipment("CA", "2026-03-01", "CAD", [Item("6109", "150.01", duty_rate="0.18")],
    ...                   ship_from="US", region="ON", id="P1")
    >>> result = assess_frame(shipments_to_frame([parcel]), load_rules("CA"))
    >>> result[["duty_minor", "tax_minor", "total_minor"]].values.tolist()
    [[2700, 2301, 5001]]
    >>> to_decimal_frame(result)["total"].tolist()
    [Decimal('50.01')]
    """
    _check("assess_frame", rules, errors, on)
    rates = check_fx("assess_frame", fx)
    checked = check_schedule("assess_frame", schedule, rules)
    if is_dask(frame):
        from .on_dask import assess_dask

        return assess_dask(frame, rules, rates, on, errors, checked)
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentError(
            "assess_frame",
            "frame",
            "a pandas or dask DataFrame in the canonical layout (see lvs_duty.shipments_to_frame)",
            type(frame).__name__,
        )
    return assess_pandas(frame, rules, rates, on, errors, checked)


def assess_pandas(
    frame: pd.DataFrame,
    rules: RuleSet,
    fx: Mapping[str, Fraction] | None,
    on: dt.date | None,
    errors: str,
    schedule: Schedule | None = None,
) -> pd.DataFrame:
    """assess_frame on a pandas frame, arguments already checked (fx as exact rationals)."""
    batch = with_schedule(read_weights(frame, read_batch(frame)), schedule, on)
    outcome = assess_batch(batch, rules, fx, on)
    return result_frame(batch, outcome, rules, "flag" if errors == "flag" else "raise")


def result_frame(batch: Batch, outcome: Outcome, rules: RuleSet, errors: Errors) -> pd.DataFrame:
    """The result table of a batch; raises FrameError (errors="raise") if any row is bad."""
    bad = batch.problems.bad_shipments(batch.size)
    if errors == "raise" and bool(bad.any()):
        raise FrameError(batch.problems.cases())
    size = batch.size
    data: dict[str, Any] = {
        "shipment_id": batch.ids,
        "currency": categorical(np.zeros(size, dtype=np.int8), [rules.currency]),
    }
    flag = errors == "flag"
    for name in AMOUNTS:
        values = getattr(outcome, name)
        data[f"{name}_minor"] = pd.arrays.IntegerArray(values, bad.copy()) if flag else values
    for name in ("duty_collection", "tax_collection"):
        codes = np.where(bad, -1, getattr(outcome, name)).astype(np.int8)
        data[name] = categorical(codes, list(WHERE))
    border = outcome.collected_at_border > 0
    data["border_collection"] = pd.arrays.BooleanArray(border, bad.copy()) if flag else border
    data["classifications"] = (
        pd.arrays.IntegerArray(outcome.classifications, bad.copy())
        if flag
        else outcome.classifications
    )
    data["status"] = categorical(bad.astype(np.int8), ["ok", "error"])
    weight = weights_of(batch)
    if weight is not None:
        data["weight"] = weight
    if flag:
        messages = batch.problems.first_message(size)
        error = np.full(size, None, dtype=object)
        for ship, text in messages.items():
            error[ship] = text
        data["error"] = pd.Series(error, dtype=object)  # None, not NaN, for "no error"
    return pd.DataFrame(data, copy=False)


def _decimals(units: Any, places: int) -> Any:
    """Decimal objects for integer minor units (None where missing), converting each value once."""
    array = pd.array(units, dtype="Int64")
    codes, uniques = pd.factorize(array, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = [Decimal(int(u)).scaleb(-places) for u in uniques]
    table[-1] = None
    return table[codes]


@own_context
def to_decimal_frame(result: pd.DataFrame) -> pd.DataFrame:
    """The result with exact Decimal amounts, as :func:`lvs_duty.assess` gives them.

    Every ``<field>_minor`` column becomes ``<field>`` (``Decimal('27.00')`` for 2700 CAD
    minor units, using each row's ``currency``), ``effective_rate_bp`` becomes
    ``effective_rate`` (``Decimal('0.3334')``), and the collection columns hold
    ``"border"``, ``"sale"``, ``"mixed"`` or None. Other columns are kept as they are.
    """
    if not isinstance(result, pd.DataFrame) or "currency" not in result.columns:
        raise ArgumentError(
            "to_decimal_frame",
            "result",
            "a frame from assess_frame or compare (with a currency column)",
            type(result).__name__,
        )
    currency = result["currency"].astype(object).to_numpy()
    out: dict[str, Any] = {}
    for column in result.columns:
        values = result[column]
        if column.endswith("_minor") or column == "effective_rate_bp":
            name = column.removesuffix("_minor").removesuffix("_bp")
            converted = np.empty(len(result), dtype=object)
            for code in pd.unique(currency):
                here = currency == code
                places = 4 if column == "effective_rate_bp" else CURRENCIES[str(code)]
                converted[here] = _decimals(values.to_numpy()[here], places)
            out[name] = converted
        elif column in ("duty_collection", "tax_collection"):
            shown: Any = values.astype(object).to_numpy().copy()
            shown[pd.isna(shown)] = None
            out[column] = shown
        else:
            out[column] = values
    for name, column in out.items():
        if isinstance(column, np.ndarray):
            out[name] = pd.Series(column, dtype=object, index=result.index)
    return pd.DataFrame(out, index=result.index)


def to_dask(frame: pd.DataFrame, npartitions: int) -> Any:
    """A dask frame of a shipment table cut into about ``npartitions`` pieces between shipments.

    Rows of one shipment must be contiguous (as :func:`~lvs_duty.shipments_to_frame` and
    :func:`lvs_duty.simulate.population` lay them out); every cut falls where
    ``shipment_id`` changes, so no shipment straddles two partitions.
    """
    dd: Any = importlib.import_module("dask.dataframe")
    if not isinstance(npartitions, int) or isinstance(npartitions, bool) or npartitions < 1:
        raise ArgumentError("to_dask", "npartitions", "a positive int", npartitions)
    ids = frame["shipment_id"].to_numpy()
    n = len(frame)
    cuts = [0]
    for k in range(1, npartitions):
        at = max(k * n // npartitions, cuts[-1] + 1)
        while 0 < at < n and ids[at] == ids[at - 1]:
            at += 1
        if at < n:
            cuts.append(at)
    cuts.append(n)
    pieces = [frame.iloc[a:b] for a, b in pairwise(cuts) if b > a]
    if not pieces:
        pieces = [frame]
    return dd.concat([dd.from_pandas(p, npartitions=1, sort=False) for p in pieces])


__all__ = [
    "AMOUNTS",
    "FAST_COLUMNS",
    "RESULT_COLUMNS",
    "assess_frame",
    "assess_pandas",
    "check_fx",
    "is_dask",
    "to_dask",
    "to_decimal_frame",
]
