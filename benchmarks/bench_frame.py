"""Benchmark of the frame path: shipment-assessments per second, compare, memory, speed-ups.

Usage::

    python benchmarks/bench_frame.py            # 10^4, 10^5, 10^6 shipments
    python benchmarks/bench_frame.py --huge     # ... and 10^7
    python benchmarks/bench_frame.py --sizes 100000 --no-malloc-tuning

For each size, in a fresh process (so peak memory is that size's own): a synthetic Canadian
population of single-item parcels (``lvs_duty.simulate.population``, fast layout), then

* shipment-assessments per second of ``assess_frame`` for each GEA option
  (``lvs_duty.options.gea_options`` on CA), best of three runs after a warm-up;
* ``compare`` over all four options (``amounts="minor"``), seconds, best of three;
* the scalar path (``lvs_duty.assess``) timed on the first 2,000 shipments and extrapolated,
  and the speed-up of the frame path over it;
* the ratio of one assessment to one numpy pass over the value column (``value.sum()``): how
  far from the memory-bandwidth floor the engine is;
* peak resident memory of the process (``resource.getrusage``).

glibc hands big freed blocks back to the kernel, so every fresh temporary array costs page
faults; by default each size runs with ``MALLOC_MMAP_THRESHOLD_``/``MALLOC_TRIM_THRESHOLD_``
raised so freed memory is reused (``--no-malloc-tuning`` shows the untuned figures).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

TUNING = {
    "MALLOC_MMAP_THRESHOLD_": "4294967296",
    "MALLOC_TRIM_THRESHOLD_": "4294967296",
    "MALLOC_TOP_PAD_": "1073741824",
}
SCALAR_SAMPLE = 2_000


def best_of(runs: int, work: Any) -> float:
    """Best wall time of ``runs`` calls (after the caller's warm-up)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(size: int) -> dict[str, Any]:
    """Every figure for one population size (run in its own process)."""
    import lvs_duty
    from lvs_duty import assess, compare, frame_to_shipments
    from lvs_duty.frame import assess_frame
    from lvs_duty.options import gea_options
    from lvs_duty.simulate import population

    options = gea_options(lvs_duty.load_rules("CA"))
    frame = population(size, "CA", seed=2026, layout="minor", single_item=True)
    out: dict[str, Any] = {"size": size, "options": {}}
    for name, rules in options.items():
        assess_frame(frame, rules)  # warm-up (first touch of the memory)
        seconds = best_of(3, lambda rules=rules: assess_frame(frame, rules))
        out["options"][name] = {"seconds": seconds, "per_second": size / seconds}
    compare(frame, options, amounts="minor")
    out["compare_seconds"] = best_of(3, lambda: compare(frame, options, amounts="minor"))
    values = frame["value_minor"].to_numpy()
    out["numpy_pass_seconds"] = best_of(5, lambda: values.sum())
    sample = frame_to_shipments(
        population(min(size, SCALAR_SAMPLE), "CA", seed=2026, single_item=True)
    )
    baseline = options["baseline"]
    start = time.perf_counter()
    for shipment in sample:
        assess(shipment, baseline)
    out["scalar_per_second"] = len(sample) / (time.perf_counter() - start)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def report(results: list[dict[str, Any]], tuned: bool) -> str:
    """The figures as a Markdown table, one row per size."""
    names = list(results[0]["options"])
    head = (
        "| shipments | "
        + " | ".join(f"{n} (M/s)" for n in names)
        + " | compare x4 (s) | scalar (/s) | speed-up | x numpy pass | peak RSS (MB) |"
    )
    rule = "|" + "---|" * (len(names) + 6)
    lines = [f"malloc tuning: {'on' if tuned else 'off'}", head, rule]
    for r in results:
        rates = [r["options"][n]["per_second"] for n in names]
        worst = max(r["options"][n]["seconds"] for n in names)
        lines.append(
            f"| {r['size']:,} | "
            + " | ".join(f"{x / 1e6:.2f}" for x in rates)
            + f" | {r['compare_seconds']:.3f} | {r['scalar_per_second']:,.0f}"
            f" | {min(rates) / r['scalar_per_second']:,.0f}x"
            f" | {worst / r['numpy_pass_seconds']:,.0f}"
            f" | {r['peak_rss_mb']:,.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every size in a fresh process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", action="store_true", help="also 10^7 shipments")
    parser.add_argument("--sizes", type=int, nargs="*", help="sizes instead of the defaults")
    parser.add_argument("--no-malloc-tuning", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    sizes = args.sizes or [10_000, 100_000, 1_000_000] + ([10_000_000] if args.huge else [])
    env = dict(os.environ)
    if not args.no_malloc_tuning:
        env.update(TUNING)
    results = []
    for size in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"{size:,} shipments done", file=sys.stderr)
    print(report(results, not args.no_malloc_tuning))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
