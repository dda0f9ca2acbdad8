"""Scaling curve of the out-of-core path: write a population to Parquet, compare, summarize.

Usage::

    python benchmarks/bench_scale.py                         # 10^4, 10^5, 10^6, 10^7 parcels
    python benchmarks/bench_scale.py --sizes 100000000       # 10^8 (about 10 GB of disk)
    python benchmarks/bench_scale.py --address tcp://host:8786   # on a Dask cluster

For each size, in a fresh process and a fresh temporary directory (``--dir``, removed after):
``lvs_duty.outofcore.write_population(dir, n, "CA", seed=7)`` (Parquet files of
``--per-partition`` parcels each (250,000 by default), the fast layout), then
``compare_to_parquet(dir, gea_options(load_rules("CA")), out)`` (the four GEA options,
partition by partition, comparison written to Parquet, summary read back). Printed: wall
seconds of each stage, parcels per second end to end, shipment-assessments per second of the
comparison (parcels x 4 options / seconds), Parquet bytes on disk, and the peak resident
memory of the process (``resource.getrusage(RUSAGE_SELF).ru_maxrss``; dask's default threaded
scheduler runs in that process; with ``--address`` the workers' memory is not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TUNING = {
    "MALLOC_MMAP_THRESHOLD_": "4294967296",
    "MALLOC_TRIM_THRESHOLD_": "4294967296",
    "MALLOC_TOP_PAD_": "1073741824",
}


def _bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def measure(n: int, per_partition: int, root: str | None, address: str | None) -> dict[str, Any]:
    """Every figure for one size (run in its own process)."""
    import lvs_duty
    from lvs_duty.options import gea_options
    from lvs_duty.outofcore import compare_to_parquet, write_population

    client = None
    if address:
        from distributed import Client

        client = Client(address)
    work = Path(tempfile.mkdtemp(prefix="lvs-scale-", dir=root))
    try:
        options = gea_options(lvs_duty.load_rules("CA"))
        start = time.perf_counter()
        write_population(work / "pop", n, "CA", seed=7, per_partition=per_partition)
        written = time.perf_counter()
        summary = compare_to_parquet(work / "pop", options, work / "out")
        done = time.perf_counter()
        return {
            "n": n,
            "partitions": len(list((work / "pop").glob("*.parquet"))),
            "write_seconds": written - start,
            "compare_seconds": done - written,
            "population_bytes": _bytes(work / "pop"),
            "comparison_bytes": _bytes(work / "out"),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "revenue": [str(v) for v in summary["revenue"]],
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if client is not None:
            client.close()


def report(results: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table, one row per size."""
    lines = [
        "| parcels | files | write (s) | compare+summarize (s) | parcels/s end to end"
        " | assessments/s (x4 options) | Parquet in + out (MB) | peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        total = r["write_seconds"] + r["compare_seconds"]
        lines.append(
            f"| {r['n']:,} | {r['partitions']} | {r['write_seconds']:.1f}"
            f" | {r['compare_seconds']:.1f} | {r['n'] / total:,.0f}"
            f" | {4 * r['n'] / r['compare_seconds']:,.0f}"
            f" | {(r['population_bytes'] + r['comparison_bytes']) / 2**20:,.0f}"
            f" | {r['peak_rss_mb']:,.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every size in a fresh process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10**4, 10**5, 10**6, 10**7])
    parser.add_argument("--per-partition", type=int, default=250_000)
    parser.add_argument("--dir", help="where the temporary Parquet files go (default: $TMPDIR)")
    parser.add_argument("--address", help="a Dask scheduler address (distributed.Client)")
    parser.add_argument("--no-malloc-tuning", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process
    args = parser.parse_args(argv)
    if args.one:
        figures = measure(args.one, args.per_partition, args.dir, args.address)
        print(json.dumps(figures))
        return 0
    env = dict(os.environ)
    if not args.no_malloc_tuning:
        env.update(TUNING)
    load_before = os.getloadavg()[0]
    results = []
    for n in args.sizes:
        command = [sys.executable, __file__, "--one", str(n)]
        command += ["--per-partition", str(args.per_partition)]
        command += ["--dir", args.dir] if args.dir else []
        command += ["--address", args.address] if args.address else []
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"{n:,} parcels done", file=sys.stderr)
    print(f"load average (1 min) before/after: {load_before:.2f}/{os.getloadavg()[0]:.2f}")
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
