"""Reading amount columns of Decimal objects (issue 15, round 5): grouping cells by address.

The reader groups a column's cells by object address before it compares values; every branch
of that grouping must give pandas' own codes, and amounts must come out in minor units of each
shipment's currency with every bad cell reported on its row.
"""

from __future__ import annotations

import gc
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lvs_duty.frame import input as reader
from lvs_duty.frame.input import OVERSIZE, _factorize, _Pointers, read_batch


def _same_as_pandas(cells: list[Any]) -> tuple[list[int], list[str]]:
    """The reader's codes and uniques for these cells, checked against pd.factorize."""
    series = pd.Series(cells, dtype=object)
    codes, uniques = _factorize(series)
    expected_codes, expected_uniques = pd.factorize(series, use_na_sentinel=True)
    assert codes.tolist() == expected_codes.tolist()
    assert [str(u) for u in uniques] == [str(u) for u in expected_uniques]
    return codes.tolist(), [str(u) for u in uniques]


def test_one_object_in_every_cell_is_one_code_without_hashing() -> None:
    zero = Decimal("0.00")
    codes, uniques = _same_as_pandas([zero] * 2000)
    assert set(codes) == {0}
    assert uniques == ["0.00"]
    # one None everywhere: every cell missing
    codes, uniques = _same_as_pandas([None] * 2000)
    assert set(codes) == {-1}
    assert uniques == []


def test_equal_values_in_distinct_objects_share_a_code() -> None:
    # 2000 distinct objects, values 0.5 and 1.50 == 1.5 alternating, then a None
    cells: list[Any] = [Decimal(f"{(i % 2) + 0.5}") for i in range(2000)] + [None]
    cells[1] = Decimal("1.50")
    codes, uniques = _same_as_pandas(cells)
    assert codes[:4] == [0, 1, 0, 1]
    assert codes[-1] == -1
    assert uniques == ["0.5", "1.50"]


def test_few_and_many_distinct_objects_give_pandas_codes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sizes: list[int] = []  # the hash tables' size hints: the sample's, then the column's

    def table(hint: int) -> Any:
        sizes.append(hint)
        return real(hint)

    real = reader._INT64_TABLE
    monkeypatch.setattr(reader, "_INT64_TABLE", table)
    # few: three objects repeated, 200,000 cells: a table of 2^17 slots, not one per cell
    a, b, c = Decimal("3.10"), Decimal("7"), Decimal("0.01")
    codes, uniques = _same_as_pandas([a, b, a, c] * 50_000)
    assert codes[:8] == [0, 1, 0, 2, 0, 1, 0, 2]
    assert uniques == ["3.10", "7", "0.01"]
    assert sizes == [2**14, 2**17]
    # many: each cell a distinct object and value, first 20,000 then repeats: sized for all
    many = [Decimal(i) / 100 for i in range(20_000)]
    sizes.clear()
    codes, uniques = _same_as_pandas(many + many[:5])
    assert sizes == [2**14, 20_005]
    assert codes[:3] == [0, 1, 2]
    assert codes[-5:] == [0, 1, 2, 3, 4]
    assert uniques[:3] == ["0", "0.01", "0.02"]
    assert len(uniques) == 20_000


def test_without_pandas_int64_table_the_codes_are_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cells = [Decimal("2.5"), Decimal("2.50"), None, Decimal("9")] * 600
    with_table = _same_as_pandas(cells)
    monkeypatch.setattr(reader, "_INT64_TABLE", None)
    without = _same_as_pandas(cells)
    assert with_table == without
    assert without[0][:4] == [0, 0, -1, 1]


def test_the_address_view_keeps_its_objects_alive() -> None:
    cells = np.array([Decimal(i) / 7 for i in range(3000)], dtype=object)
    ids = [id(c) for c in cells]
    view = np.asarray(_Pointers(cells))
    del cells
    gc.collect()
    assert view.tolist() == ids  # the pointers, read in place
    assert not view.flags.writeable
    held = view.base.cells  # the holder keeps the array, so every object, alive
    assert [id(c) for c in held] == ids
    assert str(held[7]) == str(Decimal(1))


def test_line_amounts_in_currencies_of_different_digits() -> None:
    # 1,200 rows so the address grouping runs; shipments interleaved (out of order):
    # shipment 1 in JPY (0 digits), 2 in CAD (2 digits), lines alternating 1, 2, 1, 2, ...
    n = 1200
    values = [Decimal("12")] * n
    values[0] = Decimal("1.5")  # JPY: 1 decimal place too many
    values[1] = Decimal("12.345")  # CAD: 1 decimal place too many
    values[3] = Decimal("1E+17")  # CAD: 10^19 cents, over 2^59
    values[5] = Decimal("12.34")  # CAD: 1234 cents
    values[6] = Decimal("700")  # JPY: 700 yen
    frame = pd.DataFrame(
        {
            "shipment_id": [1 + i % 2 for i in range(n)],
            "destination": "CA",
            "date": pd.Timestamp("2026-07-01").date(),
            "currency": ["JPY" if i % 2 == 0 else "CAD" for i in range(n)],
            "value": pd.Series(values, dtype=object),
            "hs_code": "610910",
        }
    )
    frame.index = pd.Index([f"r{i}" for i in range(n)])
    batch = read_batch(frame)
    assert batch.rows[:3].tolist() == [0, 2, 4]  # shipment 1's lines first
    by_row = dict(zip(batch.rows.tolist(), batch.value.tolist(), strict=True))
    # bad cells read as 0; 12 yen = 12, 12 CAD = 1200 cents
    assert [by_row[i] for i in range(8)] == [0, 0, 12, 0, 12, 1234, 700, 1200]
    cases = [(c.row, c.column, c.problem, c.value) for c in batch.problems.cases()]
    places = "expected at most {} decimal places for the shipment currency"
    assert cases == [
        ("r0", "value", places.format(0), "Decimal('1.5')"),
        ("r1", "value", places.format(2), "Decimal('12.345')"),
        ("r3", "value", OVERSIZE, "Decimal('1E+17')"),
    ]


def test_shipment_amounts_of_one_currency_and_no_good_currency() -> None:
    n = 1100  # 1,100 one-line shipments in CAD: shipping 0.10 or a default object
    frame = pd.DataFrame(
        {
            "shipment_id": range(n),
            "destination": "CA",
            "date": pd.Timestamp("2026-07-01").date(),
            "currency": "CAD",
            "value": pd.Series([Decimal("5")] * n, dtype=object),
            "shipping": pd.Series([Decimal("0.10"), None] * (n // 2), dtype=object),
            "hs_code": "610910",
        }
    )
    batch = read_batch(frame)
    assert batch.shipping[:4].tolist() == [10, 0, 10, 0]  # 0.10 CAD = 10 cents; None is 0
    assert batch.value[:2].tolist() == [500, 500]
    assert batch.problems.cases() == []
    frame["currency"] = "XXX"  # no currency anyone knows: amounts 0, the currency reported
    batch = read_batch(frame)
    assert batch.value[:2].tolist() == [0, 0]
    assert {c.column for c in batch.problems.cases()} == {"currency"}


def test_hostile_cells_read_by_address_as_by_value(monkeypatch: pytest.MonkeyPatch) -> None:
    # 1,400 rows (the address path) of every kind of bad cell, each kind 100 times over
    kinds: list[Any] = [
        Decimal("1.5"), 1.5, "1.5", float("nan"), None, Decimal("NaN"), float("inf"), -1,
        True, 1, Decimal("1E+30"), "abc", Decimal("-0"), Decimal("1.500"),
    ]  # fmt: skip
    cells = kinds * 100
    codes, _ = _same_as_pandas(cells)
    assert codes[:14] == [0, 0, 1, -1, -1, -1, 2, 3, 4, 4, 5, 6, 7, 0]
    frame = pd.DataFrame(
        {
            "shipment_id": range(len(cells)),
            "destination": "CA",
            "date": pd.Timestamp("2026-07-01").date(),
            "currency": "CAD",
            "value": pd.Series(cells, dtype=object),
            "hs_code": "610910",
        }
    )
    by_address = read_batch(frame)
    monkeypatch.setattr(reader, "_CPYTHON", False)  # the plain path: pd.factorize by value
    by_value = read_batch(frame)
    assert by_address.value.tolist() == by_value.value.tolist()
    assert by_address.value[:14].tolist() == [150, 0, 150, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 150]
    found = [(c.row, c.problem, c.value) for c in by_address.problems.cases()]
    assert found == [(c.row, c.problem, c.value) for c in by_value.problems.cases()]
    assert len(found) == 9 * 100  # 1.5, nan, None, NaN, inf, -1, True, 1E+30, "abc"
