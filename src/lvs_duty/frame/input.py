"""Read a shipment table for the frame path: validate every cell, group the rows by shipment.

Each column is factorized, so every distinct value is checked once with the very validators
:class:`~lvs_duty.shipment.Shipment` and :class:`~lvs_duty.shipment.Item` use, and a bad value
is reported on every row that carries it. Rows are grouped by ``shipment_id`` in order of first
appearance, lines of a shipment kept in row order; nothing is dropped or reordered in the
result, only looked at in shipment order.
"""

from __future__ import annotations

import datetime as dt
import decimal
import importlib
import re
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from types import MappingProxyType
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field, TypeAdapter, ValidationError

from .._validation import shorten
from ..errors import FrameError, RowProblem
from ..money import CURRENCIES, MAX_AMOUNT, MAX_QUANTITY
from ..shipment import (
    Amount,
    Country,
    Currency,
    HsCode,
    Mode,
    OptionalAmount,
    OptionalCountry,
    Quantity,
    Rate,
)
from ..tabular import COLUMNS, ITEM_COLUMNS, SHIPMENT_COLUMNS, coerce_cell, is_id, plain_cell
from .ints import Bools, Ints, Segments, digits, gather
from .problems import Problems

FAST_COLUMNS: Mapping[str, str] = MappingProxyType({
    "value_minor": "value", "shipping_minor": "shipping", "insurance_minor": "insurance",
})  # fmt: skip
"""Columns of the fast layout: integer minor units of the shipment currency, for simulations."""

_HEADROOM = 2**59  # the kernel's headroom, in minor units
OVERSIZE = (
    "expected an amount small enough for exact int64 arithmetic (under 2**59 minor units; "
    "use lvs_duty.assess for this shipment)"
)
_REGION = re.compile(r"^[A-Z0-9]{1,3}$")
_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    "destination": TypeAdapter(Country),
    "date": TypeAdapter(dt.date),
    "currency": TypeAdapter(Currency),
    "ship_from": TypeAdapter(OptionalCountry),
    "origin": TypeAdapter(OptionalCountry),
    "shipping": TypeAdapter(Amount),
    "insurance": TypeAdapter(Amount),
    "mode": TypeAdapter(Mode),
    "region": TypeAdapter(Annotated[str, Field(pattern=_REGION.pattern)]),
    "gift": TypeAdapter(bool),
    "seller_registered": TypeAdapter(bool),
    "hs_code": TypeAdapter(HsCode),
    "value": TypeAdapter(Amount),
    "quantity": TypeAdapter(Quantity),
    "description": TypeAdapter(str),
    "duty_rate": TypeAdapter(Rate),
    "category": TypeAdapter(str),
    "weight_kg": TypeAdapter(OptionalAmount),
    "volume_l": TypeAdapter(OptionalAmount),
    "abv": TypeAdapter(Rate),
}
_PLAIN_RANGE: dict[str, Decimal] = {
    **dict.fromkeys(("shipping", "insurance", "value", "weight_kg", "volume_l"), MAX_AMOUNT),
    **dict.fromkeys(("duty_rate", "abv"), Decimal(1)),
}
"""Amount and rate columns whose validator returns a finite Decimal in [0, top] unchanged:
such cells skip pydantic (every other cell is validated, so messages stay the validator's)."""
_ZERO = Decimal(0)  # compared with Decimals: faster than the int 0
_DEFAULTS: dict[str, Any] = {
    "mode": "courier",
    "gift": False,
    "seller_registered": None,
    "quantity": 1,
    "shipping": Decimal(0),
    "insurance": Decimal(0),
}


def _expected(exc: ValidationError) -> str:
    error = exc.errors()[0]
    ctx = error.get("ctx") or {}
    if "expected" in ctx and error["type"] not in ("literal_error", "enum"):
        return f"expected {ctx['expected']}"
    return f"expected {error['msg'][0].lower()}{error['msg'][1:]}"


@dataclass
class Coded:
    """A column as codes into its distinct values: ``codes[i] == -1`` means missing."""

    codes: Any  # a signed integer array (int8 to int64): -1 indexes the missing slot
    values: list[Any]

    def take(self, positions: Ints | None) -> Coded:
        """The same column for some rows only (all of them, in order, for None)."""
        return self if positions is None else Coded(self.codes[positions], self.values)


@dataclass
class Batch:
    """A validated shipment table in shipment order, ready for the integer kernel.

    Line arrays follow shipment order (``rows`` gives each line's position in the input);
    shipment arrays follow order of first appearance. Amounts are integer minor units of the
    *shipment* currency; conversion happens in the kernel, under the version's rounding mode.
    """

    size: int
    rows: Ints
    seg: Segments
    ids: Any
    labels: pd.Index
    problems: Problems
    destination: Coded
    date: Coded
    currency: Coded
    ship_from: Coded
    origin: Coded
    region: Coded
    mode: Coded
    gift: Bools
    shipping: Ints
    insurance: Ints
    value: Ints
    quantity: Ints
    hs_code: Coded
    duty_rate: Coded
    category: Coded
    weight_kg: Coded
    volume_l: Coded
    abv: Coded
    seller_registered: Coded  # True, False or None (not known), never missing: see _with_default
    extra: dict[str, Any] = field(default_factory=dict)
    schedule_line: Coded | None = None  # schedule lines with a specific part (frame/schedule.py)

    @property
    def first_rows(self) -> Ints:
        """Input position of each shipment's first row."""
        return self.rows[self.seg.starts]


def _factor(series: pd.Series) -> Coded:
    """Codes into the distinct cells of a column, missing cells (None, NaN, "") as -1."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.array.codes  # a read-only view (no Series made around it)
        uniques: list[Any] = list(series.cat.categories)
    else:
        try:
            raw, index, objects = _factorize_objects(series)
        except TypeError:  # a list or dict in a cell: wrap it so validation refuses it by name
            series = series.map(lambda v: v if _hashable(v) else Unhashable(v))
            raw, index = pd.factorize(series, use_na_sentinel=True)
            objects = None
        codes, uniques = raw.astype(np.int64, copy=False), list(index)
        if series.dtype == object:
            codes, uniques = _by_type(series, codes, uniques, objects)
    cells = [u if type(u) is Decimal and not u.is_nan() else plain_cell(u) for u in uniques]
    if any(c is None for c in cells):
        keep = [i for i, c in enumerate(cells) if c is not None]
        lut = np.full(len(cells) + 1, -1, dtype=codes.dtype)
        lut[keep] = np.arange(len(keep))
        codes = lut[codes]  # -1 indexes the trailing -1
        cells = [cells[i] for i in keep]
    return Coded(codes, cells)


_CPYTHON = sys.implementation.name == "cpython"
try:  # pandas' own hash table of int64 (what pd.factorize uses), sized by us
    _INT64_TABLE: Any = importlib.import_module("pandas._libs.hashtable").Int64HashTable
except (ImportError, AttributeError):  # a private module: pd.factorize if it moves
    _INT64_TABLE = None
if np.dtype(np.intp) != np.dtype(np.int64):  # addresses of 32 bits: not that table's type
    _INT64_TABLE = None


def _factorize(series: pd.Series) -> tuple[Any, Any]:
    """``pd.factorize(series)``, first by object identity when the cells are Python objects."""
    codes, uniques, _ = _factorize_objects(series)
    return codes, uniques


def _factorize_objects(series: pd.Series) -> tuple[Any, Any, Any]:
    """``pd.factorize(series)``, and the distinct objects of its cells (None if not grouped).

    Hashing a Decimal is slow, and a column usually holds the same few thousand objects many
    times over: the cells are grouped by address first (one integer pass), then only the
    distinct objects are factorized by value, so equal cells still share a code, in order of
    first appearance, exactly as ``pd.factorize`` gives them. The addresses are read from the
    array's buffer of object pointers, which is CPython's layout; elsewhere, plain factorize.
    """
    if series.dtype != object or len(series) < 1024 or not _CPYTHON:
        plain = pd.factorize(series, use_na_sentinel=True)
        return plain[0], plain[1], None
    cells = np.ascontiguousarray(series.to_numpy(dtype=object))
    by_object, at = _by_address(np.asarray(_Pointers(cells)))
    objects = cells[at]
    by_value, distinct = pd.factorize(objects, use_na_sentinel=True)
    if len(distinct) == len(objects) and bool(np.all(by_value[1:] > by_value[:-1])):
        return by_object, distinct, objects  # one object per value: the codes are the same
    return by_value[by_object], distinct, objects


class _Pointers:
    """An object array's buffer seen as its pointers (``np.asarray`` of it): no copy.

    The view's base is this holder, which keeps the array, and so every object, alive.
    """

    def __init__(self, cells: Any) -> None:
        self.cells = cells
        self.__array_interface__ = {
            "shape": cells.shape,
            "typestr": np.dtype(np.intp).str,
            "data": (cells.ctypes.data, True),  # read only
            "version": 3,
        }


def _by_address(address: Ints) -> tuple[Ints, Ints]:
    """Codes of equal addresses in order of first appearance, and a position of each code.

    Any position will do: every cell of a code holds the very same object. One object
    everywhere (a column of defaults) needs no hashing. Otherwise pandas' int64 hash table,
    sized for every cell (as pd.factorize does) only when a sample's cells are nearly all
    distinct objects: for a few thousand objects repeated, a table of 2^17 slots resized as
    needed is faster than a sparse one of n whose pages are touched at random (measured).
    """
    n = len(address)
    if bool(np.all(address == address[0])):
        return np.zeros(n, dtype=np.intp), np.zeros(1, dtype=np.intp)
    if _INT64_TABLE is None:  # pandas moved its hash table: its factorize, sized for n
        by_object, distinct = pd.factorize(address)
    else:
        sample = address[: 1 << 14]  # nearly all distinct: each cell its own object, likely
        try:
            many = len(_INT64_TABLE(len(sample)).factorize(sample)[0]) > len(sample) * 3 // 4
            hint = n if many else min(n, 1 << 17)
            distinct, by_object = _INT64_TABLE(hint).factorize(address, na_sentinel=-1)
        except TypeError:  # a private API whose signature changed: pandas' public one
            by_object, distinct = pd.factorize(address)
    at = np.empty(len(distinct), dtype=np.intp)
    at[by_object] = np.arange(n)  # which of a code's positions is written does not matter
    return by_object, at


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class Unhashable:
    """A cell holding a list, dict or other unhashable value: never valid, shown as itself."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __repr__(self) -> str:
        return repr(self.value)


_ONE_KIND = frozenset({"string", "decimal", "integer", "floating", "boolean", "date", "empty"})


def _by_type(
    series: pd.Series, codes: Any, uniques: list[Any], objects: Any = None
) -> tuple[Any, list[Any]]:
    """Split the codes of equal cells of different types (200.0 == Decimal(200), 1 == True).

    pandas factorizes by hash and equality, which would let the first cell's type decide for
    every equal one: each cell's own type must decide. ``objects``, when given, are the
    distinct objects of the cells: their types are the column's, so they are scanned instead.
    """
    kind = pd.api.types.infer_dtype(series if objects is None else objects, skipna=True)
    if kind in _ONE_KIND:
        return codes, uniques  # a C scan: the usual all-Decimal or all-str column costs nothing
    types = np.fromiter(map(type, series), dtype=object, count=len(series))
    kinds, kind_values = pd.factorize(types)
    if len(kind_values) < 2:
        return codes, uniques
    present = codes >= 0
    split, _ = pd.factorize(codes[present] * len(kind_values) + kinds[present])
    values = series.to_numpy(dtype=object)[present]
    _, firsts = np.unique(split, return_index=True)
    out = np.full(len(codes), -1, dtype=np.int64)
    out[present] = split
    return out, [values[i] for i in firsts.tolist()]


def _validate(column: str, coded: Coded, problems: Problems) -> Coded:
    """Check each distinct value once; report bad ones on their rows; normalize the rest."""
    adapter = _ADAPTERS[column]
    values: list[Any] = []
    bad: list[int] = []
    messages: list[str] = []
    top = _PLAIN_RANGE.get(column)
    for i, cell in enumerate(coded.values):
        if top is not None and type(cell) is Decimal and cell.is_finite() and _ZERO <= cell <= top:
            values.append(cell)  # a plain Decimal in range: what the validator would give
            continue
        try:
            values.append(adapter.validate_python(coerce_cell(column, cell)))
        except ValidationError as exc:
            values.append(None)
            bad.append(i)
            messages.append(_expected(exc))
    if bad:
        lut = np.full(len(values), -1, dtype=np.int64)
        lut[bad] = np.arange(len(bad))
        which = lut[coded.codes[coded.codes >= 0]]
        positions = np.flatnonzero(coded.codes >= 0)[which >= 0]
        picked = which[which >= 0]
        problems.add(
            positions,
            column,
            [messages[k] for k in picked],
            [_show(coded.values[bad[k]]) for k in picked],
        )
    return Coded(coded.codes, values)


def _show(value: object) -> str:
    return shorten(repr(value))


def _header(frame: pd.DataFrame, source: str) -> None:
    cases: list[RowProblem] = []
    columns = [str(c) for c in frame.columns]
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:  # which of two 'value' columns would count is anyone's guess: refuse
        cases = [RowProblem("(header)", c, "a column name used once", "repeated") for c in twice]
        raise FrameError(cases, source)
    has_id = "shipment_id" in columns or frame.index.name == "shipment_id"
    for name in ("shipment_id", "destination", "date", "currency", "value"):
        present = has_id if name == "shipment_id" else name in columns
        if name == "value":
            present = "value" in columns or "value_minor" in columns
        if not present:
            cases.append(RowProblem("(header)", name, "required column missing", "absent"))
    allowed = set(COLUMNS) | set(FAST_COLUMNS) | {"weight"}  # weights: frame/weights.py
    for name in columns:
        if name not in allowed:
            cases.append(
                RowProblem(
                    "(header)",
                    name,
                    "a canonical column ("
                    + ", ".join(COLUMNS)
                    + ") or a fast-layout column ("
                    + ", ".join(FAST_COLUMNS)
                    + ")",
                    "unknown column",
                )
            )
    for fast, plain in FAST_COLUMNS.items():
        if fast in columns and plain in columns:
            cases.append(
                RowProblem("(header)", fast, f"either {plain} or {fast}, not both", "both present")
            )
        elif fast in columns and not pd.api.types.is_integer_dtype(frame[fast].dtype):
            cases.append(
                RowProblem(
                    "(header)", fast, "an integer dtype (minor units)", str(frame[fast].dtype)
                )
            )
    if cases:
        raise FrameError(cases, source)


def _shipment_keys(frame: pd.DataFrame) -> tuple[Ints, Any, Bools, Ints | None]:
    """Each row's shipment number (by first appearance), the ids, rows lacking an id.

    And each shipment's first row when the ids are sorted integers (None otherwise).
    """
    ids = (
        frame["shipment_id"]
        if "shipment_id" in frame.columns
        else pd.Series(frame.index, index=frame.index)
    )
    if pd.api.types.is_integer_dtype(ids.dtype) and not isinstance(ids.dtype, pd.CategoricalDtype):
        key = ids.to_numpy(dtype=np.int64)
        if len(key) < 2 or bool(np.all(key[1:] >= key[:-1])):
            sid = np.empty(len(key), dtype=np.int64)
            sid[:1] = 0
            change = np.ones(len(key), dtype=bool)  # a row whose id differs from the row before
            np.not_equal(key[1:], key[:-1], out=change[1:])
            np.cumsum(change[1:], out=sid[1:])
            starts = np.flatnonzero(change)
            return sid, ids.to_numpy()[starts], np.zeros(len(key), dtype=bool), starts
    try:
        codes, uniques = pd.factorize(ids, use_na_sentinel=False)
    except TypeError:  # a list or dict as an id: no id at all, refused as such
        ids = ids.map(lambda v: v if _hashable(v) else None)
        codes, uniques = pd.factorize(ids, use_na_sentinel=False)
    values = np.asarray(uniques)
    if values.dtype.kind not in "iu":
        cells = np.empty(len(values), dtype=object)
        cells[:] = [u if is_id(plain_cell(u)) else None for u in values]
        values = cells
    absent = np.array([not is_id(plain_cell(u)) for u in uniques] + [False], dtype=bool)
    return codes.astype(np.int64), values, absent[codes], None


def _in_shipment_order(frame: pd.DataFrame) -> tuple[Ints, Any, Bools, Ints, Segments, bool]:
    """Each row's shipment, the ids, rows lacking one, the rows in shipment order, segments.

    And whether the table is in that order already (then ``rows`` is every row, in order).
    """
    sid_rows, ids, missing_id, starts = _shipment_keys(frame)
    n, m = len(frame), len(ids)
    ordered = starts is not None or n == 0 or bool(np.all(sid_rows[1:] >= sid_rows[:-1]))
    if ordered:  # every shipment's rows together, in order of first appearance
        rows = np.arange(n, dtype=np.int64)
        return sid_rows, ids, missing_id, rows, Segments(sid_rows, m, starts), True
    rows = np.argsort(sid_rows, kind="stable").astype(np.int64)
    return sid_rows, ids, missing_id, rows, Segments(sid_rows[rows], m), False


@dataclass(frozen=True)
class _Table:
    """A table being read: its rows in shipment order, and where each shipment starts."""

    frame: pd.DataFrame
    sid_rows: Ints  # each row's shipment
    ids: Any
    rows: Ints  # the rows in shipment order
    seg: Segments
    ordered: bool  # the table is in shipment order already: ``rows`` is every row, in order
    first: Ints  # each shipment's first row
    at_rows: Ints | None  # ``rows``, None when they are every row in order (no copy)
    at_first: Ints | None  # ``first``, None when it is every row in order
    factored: Callable[[str], Coded]  # a present column's codes (_factor), in input order

    def column(self, name: str, problems: Problems) -> Coded:
        """A column validated, in input order (every cell missing when there is none)."""
        if name not in self.frame.columns:
            return Coded(np.broadcast_to(np.int8(-1), (len(self.frame),)), [])
        return _validate(name, self.factored(name), problems)


def _table(frame: pd.DataFrame, factored: Callable[[str], Coded]) -> tuple[_Table, Bools]:
    """The table in shipment order, and the rows lacking a shipment id."""
    sid_rows, ids, missing_id, rows, seg, ordered = _in_shipment_order(frame)
    first = seg.starts if ordered else rows[seg.starts]  # rows: every row, in order
    at_rows = None if ordered else rows
    at_first = None if ordered and seg.single else first
    table = _Table(frame, sid_rows, ids, rows, seg, ordered, first, at_rows, at_first, factored)
    return table, missing_id


def read_batch(frame: pd.DataFrame, source: str = "shipment table") -> Batch:
    """Validate and group a shipment table (canonical or fast layout) for the kernel.

    Each column is read on its own, in threads (one per core) for tables of 8 x WINDOW rows
    or more whose amounts are not Python objects (``_threads``: measured, notes/read6.md);
    the problems are those of a serial read, column by column, in the same order.
    """
    _header(frame, source)
    with _Tasks(frame, _threads(frame)) as tasks:
        for name in COLUMNS[1:]:  # Python objects factorized (in threads) while the order is found
            if name in frame.columns and name != "quantity" and frame[name].dtype == object:
                tasks.before(f"factor {name}", partial(_factor, frame[name]))
        table, missing_id = _table(frame, tasks.factored)
        problems = Problems(frame.index, table.sid_rows)
        problems.add(np.flatnonzero(missing_id), "shipment_id", "expected a shipment id", "None")
        for name in SHIPMENT_COLUMNS:
            if name not in ("shipping", "insurance"):
                tasks.add(name, partial(_shipment_column, table, name))
        if any(_needs_digits(frame, name) for name in ("shipping", "insurance", "value")):
            tasks.add("digits", lambda _: _digits_of(tasks.result("currency")))
        for name in ("shipping", "insurance", "value"):
            tasks.add(name, partial(_amount_of, table, name, tasks))
        tasks.add("quantity", partial(_quantity, frame, table.rows, table.ordered))
        tasks.add("lines", partial(_line_columns, table))  # a few codes each: one task
        got = tasks.run(problems, early=("currency", "digits", "value", "shipping", "insurance"))
    gift = np.array([bool(v) for v in got["gift"].values] + [False], dtype=bool)
    return Batch(
        size=len(table.ids),
        rows=table.rows,
        seg=table.seg,
        ids=table.ids,
        labels=frame.index,
        problems=problems,
        gift=gather(gift, got["gift"].codes),
        mode=_with_default(got["mode"], "mode"),
        seller_registered=_with_default(got["seller_registered"], "seller_registered"),
        **{name: got[name] for name in _AS_READ},
        **{name: got["lines"][name] for name in _LINE_FIELDS},
    )


_OBJECT_AMOUNTS_IN_THREADS = False
"""Whether a table with amounts as Python objects (Decimals) is read in threads: that read is
bound by the GIL (hashing, validation, ``as_integer_ratio``); threads were 1.08x one thread
under load, 0.81x once with a core nearly free (notes/read6.md). Tests set it."""


_WINDOWS_PER_THREAD = 4
"""A thread's fewest rows, in WINDOWs: threads from 8 x WINDOW rows. With a core free they
were 1.03x one thread at 4 x WINDOW rows, 0.88x at 8, 0.80x at 20 (notes/read6.md)."""


def _threads(frame: pd.DataFrame) -> int:
    """Threads to read a table with: one per core from 8 x WINDOW rows, else 1."""
    from . import parallel  # parallel imports this module

    amounts = [name for name in ("shipping", "insurance", "value") if name in frame.columns]
    if not _OBJECT_AMOUNTS_IN_THREADS and any(frame[c].dtype == object for c in amounts):
        return 1
    return parallel.threads_for(len(frame) // (_WINDOWS_PER_THREAD * parallel.WINDOW))


class _Tasks:
    """A table's columns read one by one, or in threads, with the problems of a serial read.

    Tasks are added in the serial read's order; in threads, each gets problems of its own,
    appended to the batch's in that order once all are done. A task may wait for an earlier
    one's result (``result``): tasks start in the order submitted, so the one waited for has
    started (or finished) by then. Serially, everything runs in the serial read's order.
    """

    def __init__(self, frame: pd.DataFrame, threads: int) -> None:
        self.frame = frame
        self.work: dict[str, Callable[[Problems], Any]] = {}
        self.done: dict[str, Future[Any]] = {}
        self.lazy: dict[str, Callable[[], Any]] = {}
        self.context = decimal.getcontext()  # a thread starts in the default context
        self.pool = ThreadPoolExecutor(threads, "lvs_duty") if threads > 1 else None

    def __enter__(self) -> _Tasks:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.work.clear()  # the tasks refer to this (waiting for results): no cycle left
        self.done.clear()
        self.lazy.clear()

    def before(self, name: str, work: Callable[[], Any]) -> None:
        """Work that records no problems: started at once in threads, serially when needed."""
        if self.pool is None:
            self.lazy[name] = work
        else:
            self.done[name] = self.pool.submit(self._in_context, work)

    def add(self, name: str, work: Callable[[Problems], Any]) -> None:
        """Add a task: ``work`` adds its problems to the Problems it is given."""
        self.work[name] = work

    def result(self, name: str) -> Any:
        """A task's result, once it is done (its exception if it raised)."""
        if name in self.lazy:
            self.done[name] = Future()
            self.done[name].set_result(self.lazy.pop(name)())
        return self.done[name].result()

    def factored(self, name: str) -> Coded:
        """A present column's codes (``before`` as "factor NAME", or factorized now).

        Each is asked for once, by its column's task: not kept after (a row-sized array).
        """
        key = f"factor {name}"
        if key in self.lazy:
            coded: Coded = self.lazy.pop(key)()
        elif key in self.done:
            coded = self.done.pop(key).result()
        else:  # not worth a task of its own (a categorical's codes)
            coded = _factor(self.frame[name])
        return coded

    def run(self, problems: Problems, early: tuple[str, ...]) -> dict[str, Any]:
        """Every task's result; in threads, the ``early`` ones submitted first (in that order).

        Serially, an exception stops the read where it is raised; in threads, the first
        task in serial order that raised has its exception raised.
        """
        if self.pool is None:
            for name, work in self.work.items():
                self.done[name] = Future()
                self.done[name].set_result(work(problems))
            return {name: self.result(name) for name in self.work}
        own = {name: Problems(problems.labels, problems.row_ship) for name in self.work}
        for name in (*early, *(name for name in self.work if name not in early)):
            if name in self.work:
                work = partial(self.work[name], own[name])
                self.done[name] = self.pool.submit(self._in_context, work)
        for name in self.work:  # waits for each in turn: the first exception in serial order
            exc = self.done[name].exception()
            if exc is not None:
                raise exc
        for name in self.work:
            problems.entries.extend(own[name].entries)
        return {name: self.result(name) for name in self.work}

    def _in_context(self, work: Callable[[], Any]) -> Any:
        with decimal.localcontext(self.context):
            return work()


_AS_READ = (
    "destination", "date", "currency", "ship_from", "origin", "region", "shipping", "insurance",
    "value", "quantity",
)  # fmt: skip
"""The Batch's fields that are the read's results as they are."""
_LINE_FIELDS = ("hs_code", "duty_rate", "category", "weight_kg", "volume_l", "abv")
"""The Batch's line columns (description is validated, not kept)."""


def _shipment_column(table: _Table, name: str, problems: Problems) -> Coded:
    """A shipment column at each shipment's first row: validated, the same on every row."""
    frame = table.frame
    if name == "gift" and name in frame.columns and frame[name].dtype == bool:
        return Coded(frame[name].to_numpy().view(np.int8), [False, True]).take(table.at_first)
    coded = table.column(name, problems)
    _consistent(name, coded, frame, table.seg, table.rows, problems, table.ids, table.ordered)
    taken = coded.take(table.at_first)  # at_first None: every row is a shipment's first
    if name in ("destination", "date", "currency"):
        lost = table.first[taken.codes < 0]
        problems.add(lost, name, "expected a value (this field is required)", "None")
    return taken


def _amount_of(table: _Table, name: str, tasks: _Tasks, problems: Problems) -> Ints:
    """A shipment amount (at first rows) or the line value, once the currencies are read."""
    line = name == "value"
    return _amount(
        table.frame,
        name,
        table.seg,
        table.rows,
        table.at_rows if line else table.at_first,
        tasks.result("digits") if _needs_digits(table.frame, name) else _NO_DIGITS,
        problems,
        table.ids,
        None if line else table.ordered,
        table.factored(name) if name in table.frame.columns else None,
    )


def _needs_digits(frame: pd.DataFrame, name: str) -> bool:
    """Whether an amount is read with the currencies' digits (not in minor units already)."""
    return f"{name}_minor" not in frame.columns


_NO_DIGITS = np.zeros(0, dtype=np.int64)  # for amounts in minor units: digits not used


def _line_columns(table: _Table, problems: Problems) -> dict[str, Coded]:
    """The line columns (but value and quantity), validated, in shipment order."""
    return {
        name: table.column(name, problems).take(table.at_rows)
        for name in ITEM_COLUMNS
        if name not in ("value", "quantity")
    }


def _with_default(coded: Coded, name: str) -> Coded:
    """Missing cells take the field's default (mode "courier", seller_registered None)."""
    if not bool(np.any(coded.codes < 0)):
        return coded
    values = [*coded.values, _DEFAULTS[name]]
    return Coded(np.where(coded.codes < 0, len(values) - 1, coded.codes), values)


def _digits_of(currency: Coded) -> Ints:
    """Minor digits of each shipment's currency (-1 where the currency is bad or missing)."""
    lut = np.array(
        [CURRENCIES.get(c, -1) if isinstance(c, str) else -1 for c in currency.values] + [-1],
        dtype=np.int64,
    )
    out: Ints = gather(lut, currency.codes)
    return out


def _consistent(
    name: str,
    coded: Coded,
    frame: pd.DataFrame,
    seg: Segments,
    rows: Ints,
    problems: Problems,
    ids: list[Any],
    ordered: bool,
) -> None:
    """A shipment field must be the same on every row of its shipment (as read from the cell).

    ``ordered``: the rows are already in shipment order (``rows`` is every row, in order).
    """
    if seg.single or name not in frame.columns:
        return
    codes = coded.codes if ordered else coded.codes[rows]
    if _all_same(codes, seg):
        return
    head = codes[seg.starts][seg.sid]
    differ = np.flatnonzero(codes != head)
    if len(differ) == 0:
        return
    raw = frame[name].to_numpy(dtype=object)
    firsts = raw[rows[seg.starts[seg.sid[differ]]]]
    problems.add(
        rows[differ],
        name,
        [
            f"expected the same value on every row of shipment {plain_cell(ids[s])!r} ({f!r})"
            for s, f in zip(seg.sid[differ].tolist(), firsts, strict=True)
        ],
        [repr(v) for v in raw[rows[differ]]],
    )


def _all_same(cells: Any, seg: Segments) -> bool:
    """Whether every line holds its shipment's first cell (each equals the line before it)."""
    if len(cells) < 2:
        return True
    differ = cells[1:] != cells[:-1]
    differ &= ~seg.first[1:]
    return not bool(differ.any())


def _amount(
    frame: pd.DataFrame,
    name: str,
    seg: Segments,
    rows: Ints,
    where: Ints | None,
    places: Ints,
    problems: Problems,
    ids: list[Any],
    ordered: bool | None,
    factored: Coded | None = None,
) -> Ints:
    """An amount column as integer minor units of each row's shipment currency.

    ``ordered`` is None for a line amount; for a shipment amount, whether the rows are
    already in shipment order (the consistency check then reads the column as it is).
    ``places`` are the minor digits of each shipment's currency (spread to the lines of a
    line amount here, and only when the batch has currencies of different digits).
    """
    per_shipment = ordered is not None
    rows_of = None if per_shipment or seg.single else seg.sid  # a line amount's shipments
    fast = f"{name}_minor"
    if fast in frame.columns:
        raw = frame[fast].to_numpy()
        if per_shipment:
            _consistent_minor(fast, raw, seg, rows, problems, ids, bool(ordered))
        out = (raw if where is None else raw[where]).astype(
            np.int64, copy=False
        )  # read only when where is None: the kernel copies
        if out.size and int(out.min()) < 0:
            out = out.copy()
            negative = np.flatnonzero(out < 0)
            problems.add(
                negative if where is None else where[negative],
                fast,
                "expected a non-negative number of minor units",
                [str(v) for v in out[negative]],
            )
            out[negative] = 0
        return out
    if name not in frame.columns:
        return np.zeros(len(places) if rows_of is None else len(rows_of), dtype=np.int64)
    coded = _validate(name, _factor(frame[name]) if factored is None else factored, problems)
    if per_shipment:
        _consistent(name, coded, frame, seg, rows, problems, ids, bool(ordered))
    codes = coded.codes if where is None else coded.codes[where]
    missing = _DEFAULTS.get(name)
    if missing is None:
        lost = np.flatnonzero(codes < 0)
        problems.add(lost if where is None else where[lost], name, _NO_AMOUNT, "None")
    if len(places) > 0 and int(places.min()) == int(places.max()) >= 0:  # one currency's
        return _minor_units(name, coded.values, codes, None, int(places[0]), where, problems)
    places = places if rows_of is None else places[rows_of]
    out = np.zeros(len(codes), dtype=np.int64)
    for d in np.unique(places[places >= 0]).tolist():
        here = np.flatnonzero(places == d)
        out[here] = _minor_units(name, coded.values, codes[here], here, d, where, problems)
    return out


_NO_AMOUNT = "expected a Decimal, int or str amount"


def _minor_units(
    name: str,
    values: list[Any],
    codes: Ints,
    at: Ints | None,
    d: int,
    where: Ints | None,
    problems: Problems,
) -> Ints:
    """Amounts of ``d`` minor digits from their codes (0 and a problem where one cannot be).

    ``at`` are the positions of ``codes`` among the column's rows (None: all of them), and
    ``where`` the rows' input positions (None: the same).
    """
    unit, units, bad = 10**d, [], []
    for i, v in enumerate(values):  # lists, then one array: a numpy item set per value is slow
        if isinstance(v, Decimal):  # exact: a Decimal's ratio has a denominator 2^a 5^b
            top, bottom = v.as_integer_ratio()
            if unit % bottom == 0:  # v in minor units is then top * (unit // bottom)
                whole = top * (unit // bottom)
                if whole < _HEADROOM:
                    units.append(whole)
                    continue
            bad.append(i)
        units.append(0)  # not a Decimal: a missing or bad cell, reported already
    out: Ints = gather(np.array([*units, 0], dtype=np.int64), codes)
    if not bad:
        return out
    refused = np.zeros(len(values) + 1, dtype=bool)
    refused[bad] = True
    over = np.flatnonzero(refused[codes])
    at_over = over if at is None else at[over]
    problems.add(
        at_over if where is None else where[at_over],
        name,
        [
            f"expected at most {d} decimal places for the shipment currency"
            if digits(values[c]) > d
            else OVERSIZE
            for c in codes[over]
        ],
        [_show(values[c]) for c in codes[over]],
    )
    return out


def _consistent_minor(
    name: str,
    raw: Any,
    seg: Segments,
    rows: Ints,
    problems: Problems,
    ids: list[Any],
    ordered: bool,
) -> None:
    """A shipment amount in minor units must be the same on every row of its shipment."""
    if seg.single:
        return
    values = raw if ordered else raw[rows]
    if _all_same(values, seg):
        return
    head = values[seg.starts][seg.sid]
    differ = np.flatnonzero(values != head)
    problems.add(
        rows[differ],
        name,
        [
            f"expected the same value on every row of shipment {plain_cell(ids[s])!r} ({h!r})"
            for s, h in zip(seg.sid[differ].tolist(), head[differ].tolist(), strict=True)
        ],
        [repr(v) for v in values[differ].tolist()],
    )


def _quantity(frame: pd.DataFrame, rows: Ints, ordered: bool, problems: Problems) -> Ints:
    """Quantities per line (shipment order): whole numbers of at least 1, default 1."""
    if "quantity" not in frame.columns:
        return np.ones(len(rows), dtype=np.int64)
    series = frame["quantity"]
    if (
        pd.api.types.is_integer_dtype(series.dtype)
        and series.dtype != bool
        and not (isinstance(series.dtype, pd.CategoricalDtype))
        and not series.hasnans
    ):
        out = series.to_numpy(dtype=np.int64)
        out = out if ordered else out[rows]
        if out.size == 0 or (int(out.min()) >= 1 and int(out.max()) <= MAX_QUANTITY):
            return out
        out = out.copy()
        low = np.flatnonzero((out < 1) | (out > MAX_QUANTITY))
        problems.add(
            rows[low],
            "quantity",
            f"expected a whole number of units, at least 1 and at most {MAX_QUANTITY}",
            [str(v) for v in out[low]],
        )
        out[low] = 1
        return out
    coded = _validate("quantity", _factor(series), problems)
    lut = np.array([v if isinstance(v, int) else 1 for v in coded.values] + [1], dtype=np.int64)
    quantities: Ints = lut[coded.codes[rows]]
    return quantities


def hs_lut(
    values: list[bool] | list[int], coded: Coded, missing: bool | int, dtype: Any = None
) -> Any:
    """A per-row array from one value per distinct cell (``missing`` for missing cells)."""
    table = np.array([*values, missing], dtype=dtype)
    uniform = bool((table[:-1] == table[0]).all()) and (  # no missing cell, or it is the same
        bool(table[-1] == table[0]) or not bool((coded.codes < 0).any())
    )
    if uniform:  # one value for every row (often): no gather
        return np.full(len(coded.codes), table[0], dtype=table.dtype)
    return gather(table, coded.codes)


__all__ = ["FAST_COLUMNS", "Batch", "Coded", "Problems", "hs_lut", "read_batch"]
