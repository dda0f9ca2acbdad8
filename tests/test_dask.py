"""The frame path on Dask: a small population on a local cluster equals the pandas path."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")

import lvs_duty  # noqa: E402
from lvs_duty import FrameError, compare, summarize  # noqa: E402
from lvs_duty.frame import assess_frame, to_dask  # noqa: E402
from lvs_duty.options import gea_options  # noqa: E402
from lvs_duty.simulate import population  # noqa: E402


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """A local distributed cluster when ``distributed`` is installed, else dask's threads."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        import dask

        with dask.config.set(scheduler="threads"):
            yield None
        return
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        Client(local) as client,
    ):
        yield client
    # the closed cluster's event loop leaves reference cycles: collect them here, so a later
    # test that counts what a call leaves for the collector counts only its own
    gc.collect()


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def test_assess_frame_on_dask_equals_pandas(cluster: object) -> None:
    pop = population(3_000, "CA", seed=9)
    rules = lvs_duty.load_rules("CA")
    expected = assess_frame(pop, rules)
    lazy = assess_frame(to_dask(pop, 4), rules)
    assert lazy.npartitions == 4
    got = lazy.compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True))


def test_compare_and_summarize_on_dask_equal_pandas(cluster: object) -> None:
    pop = population(2_000, "AU", seed=4, layout="minor")
    options = gea_options(lvs_duty.load_rules("AU"))
    expected = compare(pop, options, amounts="minor")
    lazy = compare(to_dask(pop, 3), options, amounts="minor")
    got = lazy.compute()
    keys = ["option", "shipment_id"]
    pd.testing.assert_frame_equal(
        _sorted(got, keys), _sorted(expected, keys), check_categorical=False
    )
    assert summarize(lazy).equals(summarize(expected))


def test_indexed_by_shipment_needs_no_boundary_check(cluster: object) -> None:
    pop = population(1_000, "SG", seed=2)
    rules = lvs_duty.load_rules("SG")
    expected = assess_frame(pop, rules)
    indexed = dd.from_pandas(pop, npartitions=3).set_index("shipment_id", sorted=True)
    got = assess_frame(indexed, rules).compute().reset_index(drop=True)
    assert got["total_minor"].tolist() == expected["total_minor"].tolist()


def test_a_shipment_across_partitions_is_refused(cluster: object) -> None:
    pop = population(40, "CA", seed=1)
    ids = pop["shipment_id"].to_numpy()
    cut = next(i for i in range(1, len(pop)) if ids[i] == ids[i - 1])  # inside a shipment
    parts = [
        dd.from_pandas(pop.iloc[:cut], npartitions=1, sort=False),
        dd.from_pandas(pop.iloc[cut:], npartitions=1, sort=False),
    ]
    with pytest.raises(FrameError, match="continues from an earlier partition"):
        assess_frame(dd.concat(parts), lvs_duty.load_rules("CA")).compute()


def test_integer_ids_back_in_a_later_partition_are_refused_by_value(cluster: object) -> None:
    # integer ids take the compact path (runs of ids, not a set of them): the shipment whose
    # rows come back two partitions later is still named, as a plain 12, not np.int64(12)
    pop = population(30, "CA", seed=4)
    ids = pop["shipment_id"]
    order = [ids <= 10, (ids > 12) & (ids <= 20), ids == 12, ids == 11, ids > 20]
    parts = [dd.from_pandas(pop[m], npartitions=1, sort=False) for m in order]
    with pytest.raises(FrameError, match=r"shipment 12 .*also has rows|shipment 12 continues"):
        assess_frame(
            dd.concat([parts[0], parts[2], parts[1], parts[2]]), lvs_duty.load_rules("CA")
        ).compute()
    ok = assess_frame(dd.concat(parts), lvs_duty.load_rules("CA")).compute()
    assert sorted(ok["shipment_id"].tolist()) == list(range(1, 31))


def test_the_ids_seen_stay_small_at_any_number_of_partitions() -> None:
    # Found by the 10^8 run: the set of every id seen grew by ~9 MB a partition (9.4 GB peak).
    # 1,000 partitions of 250 consecutive ids are one run [1, 250000]; gaps make more runs.
    import numpy as np

    from lvs_duty.frame.on_dask import _Seen

    seen = _Seen()
    for k in range(1000):
        seen.add(np.arange(250 * k + 1, 250 * k + 251, dtype=np.int64), [])
    assert (seen.lows.tolist(), seen.highs.tolist()) == ([1], [250_000])
    seen.add(np.array([250_010, 250_002, 250_001], dtype=np.int64), ["X"])
    assert (seen.lows.tolist(), seen.highs.tolist()) == ([1, 250_010], [250_002, 250_010])
    assert seen.again(np.array([7, 250_003, 250_010], dtype=np.int64), ["X", "Y"]) == [
        7,
        250_010,
        "X",
    ]


def test_to_dask_cuts_only_between_shipments() -> None:
    pop = population(500, "CA", seed=3)
    pieces = to_dask(pop, 7).to_delayed()
    frames = [p.compute() for p in pieces]
    assert sum(len(f) for f in frames) == len(pop)
    seen: set[int] = set()
    for frame in frames:
        ids = set(frame["shipment_id"].tolist())
        assert not ids & seen
        seen |= ids
