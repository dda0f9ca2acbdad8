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
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal, cast

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
    any_bad = bool(bad.any())
    for name in ("duty_collection", "tax_collection"):
        codes = getattr(outcome, name)
        codes = np.where(bad, -1, codes) if any_bad else codes
        data[name] = categorical(codes.astype(np.int8, copy=False), list(WHERE))
    border = outcome.collected_at_border > 0
    data["border_collection"] = pd.arrays.BooleanArray(border, bad.copy()) if flag else border
    data["classifications"] = (
        pd.arrays.IntegerArray(outcome.classifications, bad.copy())
        if flag
        else outcome.classifications
    )
    data["status"] = categorical(bad.view(np.int8), ["ok", "error"])  # bad is the frame's own
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


def _decimals(units: Any, places: int, made: dict[int, Decimal]) -> Any:
    """Decimal objects for integer minor units (None where missing), one object per value.

    ``units`` is an int64 array, a nullable ``Int64`` array or anything ``pd.array`` reads as
    one; the first two are factorized as they are (no copy). ``made`` holds the Decimals already
    made for ``places`` (shared across columns: a comparison's goods and customs values, its
    options' equal totals), so equal amounts are one object, not one per row.
    """
    if not (isinstance(units, np.ndarray) and units.dtype.kind in "iu") and not isinstance(
        units, pd.arrays.IntegerArray
    ):
        units = pd.array(units, dtype="Int64")
    codes, uniques = pd.factorize(units, use_na_sentinel=True)
    shown: list[Decimal | None] = []
    for value in uniques.tolist():
        decimal = made.get(value)
        if decimal is None:
            decimal = made[value] = Decimal(int(value)).scaleb(-places)
        shown.append(decimal)
    shown.append(None)  # code -1: missing
    table = np.empty(len(shown), dtype=object)
    table[:] = shown
    return table[codes]


def _raw(values: Any) -> Any:
    """The array behind a column: numpy for numpy dtypes, the extension array otherwise."""
    if isinstance(values, pd.Series):
        return values.to_numpy() if isinstance(values.dtype, np.dtype) else values.array
    return values


def _by_currency(currency: Any) -> list[tuple[str, Any]]:
    """Each currency of the rows with the mask of its rows (None: every row is in it)."""
    codes, names = pd.factorize(_raw(currency), use_na_sentinel=False)
    if len(names) == 1:
        return [(str(names[0]), None)]
    return [(str(name), codes == k) for k, name in enumerate(names)]


def _in_units(
    values: Any,
    places: Callable[[str], int],
    groups: list[tuple[str, Any]],
    made: dict[int, dict[int, Decimal]],
) -> Any:
    """One amount column as Decimal objects (each currency's rows with its own places)."""
    if len(groups) == 1:
        code = groups[0][0]
        return _decimals(values, places(code), made.setdefault(places(code), {}))
    converted = np.empty(len(values), dtype=object)
    for code, here in groups:
        converted[here] = _decimals(values[here], places(code), made.setdefault(places(code), {}))
    return converted


def as_objects(values: Any) -> Any:
    """A column as an object array, missing cells None (``"border"``... for collections).

    A categorical column is read through its codes: one object per category, shared by its
    rows (``astype(object)`` on a str-backed categorical makes a new str for every row).
    """
    raw = _raw(values)
    if isinstance(raw, pd.Categorical):
        table = np.empty(len(raw.categories) + 1, dtype=object)
        table[:-1] = raw.categories.astype(object).tolist()
        table[-1] = None  # code -1: missing (for collections: nothing collected)
        return table[raw.codes]
    shown: Any = np.asarray(raw, dtype=object).copy()
    shown[pd.isna(shown)] = None
    return shown


def decimal_columns(columns: dict[str, Any]) -> dict[str, Any]:
    """The columns of a minor-unit result with Decimal amounts, in order (see to_decimal_frame).

    Takes each column out of ``columns`` as it converts it, so a caller that owns them (compare
    converting its own minor-unit columns) holds each minor column no longer than needed;
    a caller converting someone else's frame passes a dict of its columns. Amount columns come
    back as object arrays, collection columns too; other columns as they were given.
    """
    groups = _by_currency(columns["currency"])
    made: dict[int, dict[int, Decimal]] = {}
    out: dict[str, Any] = {}
    for column in list(columns):
        values = columns.pop(column)
        if column.endswith("_minor") or column == "effective_rate_bp":
            name = column.removesuffix("_minor").removesuffix("_bp")
            bp = column == "effective_rate_bp"

            def places(code: str, bp: bool = bp) -> int:
                return 4 if bp else CURRENCIES[code]

            out[name] = _in_units(_raw(values), places, groups, made)
        elif column in ("duty_collection", "tax_collection"):
            out[column] = as_objects(values)
        else:
            out[column] = values
    return out


def object_frame(columns: dict[str, Any], index: pd.Index) -> pd.DataFrame:
    """A frame of the given columns without copying them (object arrays stay object dtype).

    Each column keeps a block of its own: a consolidating constructor would copy every object
    column into one 2-D block while the columns are still alive, doubling the peak.
    """
    data = {
        name: pd.Series(column, dtype=object, index=index, copy=False)
        if isinstance(column, np.ndarray) and column.dtype == object
        else column
        for name, column in columns.items()
    }
    return pd.DataFrame(data, index=index, copy=False)


@own_context
def to_decimal_frame(result: pd.DataFrame) -> pd.DataFrame:
    """The result with exact Decimal amounts, as :func:`lvs_duty.assess` gives them.

    Every ``<field>_minor`` column becomes ``<field>`` (``Decimal('27.00')`` for 2700 CAD
    minor units, using each row's ``currency``), ``effective_rate_bp`` becomes
    ``effective_rate`` (``Decimal('0.3334')``), and the collection columns hold
    ``"border"``, ``"sale"``, ``"mixed"`` or None. Other columns are kept as they are.
    ``result`` itself is left untouched; equal amounts share one Decimal object.
    """
    if not isinstance(result, pd.DataFrame) or "currency" not in result.columns:
        raise ArgumentError(
            "to_decimal_frame",
            "result",
            "a frame from assess_frame or compare (with a currency column)",
            type(result).__name__,
        )
    columns = cast("dict[str, Any]", dict(result.items()))  # a dict of its own to consume
    return object_frame(decimal_columns(columns), result.index)


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
    "as_objects",
    "assess_frame",
    "assess_pandas",
    "check_fx",
    "decimal_columns",
    "is_dask",
    "object_frame",
    "to_dask",
    "to_decimal_frame",
]
