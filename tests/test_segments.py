"""The frame engine's primitives (issue 15): sums by line rank, factorizing, gathers, masks."""

from __future__ import annotations

from decimal import Context, Decimal

import numpy as np
import pandas as pd
import pytest

from lvs_duty.frame.input import _factorize
from lvs_duty.frame.ints import Segments, div_round, gather, only
from lvs_duty.frame.tax import _shares
from lvs_duty.money import ROUNDING_MODES


def test_sums_by_rank_follow_each_parcel() -> None:
    # parcels: 0 = lines 0-1, 1 = line 2, 2 = lines 3-5
    seg = Segments(np.array([0, 0, 1, 2, 2, 2], dtype=np.int64), 3)
    x = np.array([5, 7, 11, 1, 2, 4], dtype=np.int64)
    # 5 + 7 = 12; 11; 1 + 2 + 4 = 7
    assert seg.sum(x).tolist() == [12, 11, 7]
    # rank 1: parcels 0 and 2 (lines 1 and 4); rank 2: parcel 2 (line 5)
    assert [(s.tolist(), a.tolist()) for s, a in seg.ranks()] == [([0, 2], [1, 4]), ([2], [5])]
    assert x.tolist() == [5, 7, 11, 1, 2, 4]  # the input is not written to


def test_factorizing_by_identity_gives_pandas_codes_for_equal_cells_of_distinct_objects() -> None:
    one, two = Decimal("1.50"), Decimal("2")
    cells = [one, two, Decimal("1.5"), None, one, Decimal("2.00"), float("nan")] * 300
    series = pd.Series(cells, dtype=object)
    codes, uniques = _factorize(series)
    expected_codes, expected_uniques = pd.factorize(series, use_na_sentinel=True)
    # 1.50 == 1.5 and 2 == 2.00 share a code; None and NaN are missing (-1)
    assert codes.tolist() == expected_codes.tolist()
    assert codes[:7].tolist() == [0, 1, 0, -1, 0, 1, -1]
    assert [str(u) for u in uniques] == [str(u) for u in expected_uniques] == ["1.50", "2"]


def test_counts_of_flags_are_int64_whatever_the_segments() -> None:
    seg = Segments(np.array([0, 0, 1, 2, 2, 2], dtype=np.int64), 3)
    flags = np.array([True, True, False, True, False, True])
    counted = seg.count(flags)
    assert counted.tolist() == [2, 0, 2]
    assert counted.dtype == np.int64
    single = Segments(np.arange(3, dtype=np.int64), 3)  # one line each: the flags themselves
    counted = single.count(np.array([True, False, True]))
    assert counted.tolist() == [1, 0, 1]
    assert counted.dtype == np.int64


def test_duty_cases_present_are_found_by_passes_or_counted() -> None:
    from lvs_duty.frame.kernel import _present

    key = np.array([0, 3, 1, 3, 9, 0], dtype=np.int8)
    mask = np.array([True, True, False, True, False, True])  # 1 and 9 are on unmasked lines
    assert _present(key, mask, 16) == [0, 3]  # max 9: counted
    assert _present(key[:4], mask[:4], 16) == [0, 3]  # max 3: a pass per value 0..3
    assert _present(key[:0], mask[:0], 16) == []


@pytest.mark.parametrize("den", [2, 3, 10, 100, 7_000, 2**40 + 2, 2**59])
def test_rounding_by_a_scalar_matches_decimal_in_every_mode(den: int) -> None:
    rng = np.random.default_rng(den % 1000)
    top = min(50 * den, 2**62)
    halves = np.arange(0, min(6 * den, top), max(1, den // 2))  # exact halves and multiples
    near = [0, 1, den - 1, den, den + 1, 2**62]  # up to BIG: an offset and one division
    past = [2**62 + 5, 2**63 - 1, 3 * den + den // 2]  # past BIG: the long way
    exact = Context(prec=60)
    for values in (np.concatenate([rng.integers(0, top, 500), halves, near]), past):
        num = np.asarray(values, dtype=np.int64)
        for mode in ROUNDING_MODES:
            expected = [
                int(exact.divide(Decimal(int(x)), Decimal(den)).quantize(Decimal(1), mode))
                for x in num
            ]
            assert div_round(num, den, mode).tolist() == expected, mode
    for num in (np.array([1], dtype=np.int64), np.array(past, dtype=np.int64)):
        with pytest.raises(ValueError, match="rounding mode"):
            div_round(num, den, "ROUND_05UP_TYPO")


def test_gather_by_small_codes_reads_the_missing_slot_for_minus_one() -> None:
    table = np.array([10, 20, 30, 99], dtype=np.int64)  # 99: the trailing "missing" slot
    codes = np.array([0, 2, -1, 1, -1], dtype=np.int8)
    out = gather(table, codes)
    assert out.tolist() == [10, 30, 99, 20, 99]
    assert out.dtype == np.int64
    small = gather(np.array([1, 0, 2], dtype=np.int8), np.array([2, 0, 1], dtype=np.int16))
    assert small.tolist() == [2, 1, 0]
    assert small.dtype == np.int8  # the table's dtype, whatever the codes'


def test_only_keeps_a_value_on_the_rows_of_its_mask_and_zero_elsewhere() -> None:
    mask = np.array([True, False, True, False])
    assert only(mask, np.array([5, -3, 7, 2**62], dtype=np.int64)).tolist() == [5, 0, 7, 0]
    codes = only(mask, np.array([3, 4, -2, 1], dtype=np.int8))
    assert codes.tolist() == [3, 0, -2, 0]
    assert codes.dtype == np.int8
    assert only(mask, np.int64(6)).tolist() == [6, 0, 6, 0]  # a scalar spread over the mask


def test_border_and_sale_shares_follow_the_points_present() -> None:
    due = np.array([100, 0, 40, 7], dtype=np.int64)
    point = np.array([1, 0, 2, 1], dtype=np.int8)  # border, not collected, sale, border
    border, sale = _shares({0, 1, 2}, point, due)
    assert border is not None
    assert sale is not None
    assert border.tolist() == [100, 0, 0, 7]
    assert sale.tolist() == [0, 0, 40, 0]
    at_border = np.array([1, 0, 1, 1], dtype=np.int8)  # no group at sale: the border takes all
    border, sale = _shares({0, 1}, at_border, due)
    assert border is due
    assert sale is None
    border, sale = _shares({0, 2}, np.array([2, 0, 2, 2], dtype=np.int8), due)
    assert border is None
    assert sale is due
