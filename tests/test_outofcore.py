"""Out of core: a population written to Parquet in chunks, compared through Dask partitions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("pyarrow")

import lvs_duty
from lvs_duty import ArgumentError, compare, summarize
from lvs_duty.frame import assess_frame
from lvs_duty.options import gea_options
from lvs_duty.outofcore import (
    chunk_seed,
    chunk_sizes,
    compare_to_parquet,
    read_population,
    write_population,
)

N, PER = 20_000, 5_000


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_population(
        tmp_path_factory.mktemp("pop"), N, "CA", seed=7, per_partition=PER, progress=False
    )


def test_chunks_split_evenly_with_distinct_seeds() -> None:
    assert chunk_sizes(10, 3) == [4, 3, 3]  # 4 + 3 + 3 = 10, the remainder goes first
    assert chunk_sizes(N, 4) == [PER] * 4
    assert chunk_seed(7, 0) == chunk_seed(7, 0)
    assert len({chunk_seed(7, k) for k in range(100)} | {chunk_seed(8, 0)}) == 101


def test_files_hold_whole_shipments_with_ids_one_to_n(written: Path) -> None:
    files = sorted(written.glob("*.parquet"))
    assert [f.name for f in files] == [f"part-0000{k}.parquet" for k in range(4)]
    for k, file in enumerate(files):
        ids = pd.read_parquet(file)["shipment_id"]
        # file k holds exactly shipments 5000k+1 .. 5000(k+1), each contiguous, none cut
        assert ids.iloc[0] == PER * k + 1
        assert ids.iloc[-1] == PER * (k + 1)
        assert ids.is_monotonic_increasing
        assert ids.nunique() == PER
    assert read_population(written).npartitions == 4


def test_writing_is_deterministic_and_chunks_differ(written: Path, tmp_path: Path) -> None:
    again = write_population(tmp_path / "again", N, "CA", seed=7, per_partition=PER)
    for name in ("part-00000.parquet", "part-00003.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(again / name), pd.read_parquet(written / name)
        )
    first = pd.read_parquet(written / "part-00000.parquet")["value_minor"].head(50).tolist()
    second = pd.read_parquet(written / "part-00001.parquet")["value_minor"].head(50).tolist()
    assert first != second


def test_assess_frame_over_the_files_equals_pandas_in_order(written: Path) -> None:
    rules = lvs_duty.load_rules("CA")
    whole = pd.read_parquet(written)
    expected = assess_frame(whole, rules)
    got = assess_frame(read_population(written), rules).compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)
    assert got["shipment_id"].tolist() == list(range(1, N + 1))


def test_compare_to_parquet_equals_the_pandas_path_to_the_cent(
    written: Path, tmp_path: Path
) -> None:
    options = gea_options(lvs_duty.load_rules("CA"))
    summary = compare_to_parquet(written, options, tmp_path / "out", progress=False)
    expected = compare(pd.read_parquet(written), options, amounts="minor")
    assert summary.equals(summarize(expected))
    got = pd.read_parquet(tmp_path / "out")
    assert len(got) == 4 * N
    for option in options:  # within an option, shipments keep the population's order
        mine = got[got["option"] == option].reset_index(drop=True)
        theirs = expected[expected["option"] == option].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, theirs, check_categorical=False)


def test_existing_files_are_never_overwritten(written: Path) -> None:
    with pytest.raises(ArgumentError, match="a new or empty directory"):
        write_population(written, 10, "CA", seed=1)
    with pytest.raises(ArgumentError, match="a new or empty directory"):
        compare_to_parquet(written, gea_options(lvs_duty.load_rules("CA")), written)
