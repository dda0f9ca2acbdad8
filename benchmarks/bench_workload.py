"""Benchmark of the workload users run: multi-item populations, both layouts, with a profile.

Usage::

    python benchmarks/bench_workload.py                    # 10^6 parcels, 3 repeats
    python benchmarks/bench_workload.py --n 100000 --repeats 5
    python benchmarks/bench_workload.py --profile 25       # and the 25 costliest functions
    python benchmarks/bench_workload.py --cases fast canonical
    python benchmarks/bench_workload.py --memory-only      # only the peak RSS per entry point
    python benchmarks/bench_workload.py --no-memory        # without it

Workloads (each in a fresh process, so its peak memory is its own), all
``lvs_duty.simulate.population(n, "CA", seed=7, ...)`` under
``lvs_duty.options.gea_options(load_rules("CA"))``:

* ``fast``: multi-item parcels (about 1.35 lines per parcel), fast layout (``layout="minor"``);
* ``canonical``: the same parcels in the canonical layout (Decimal amounts), what
  ``population``'s default and ``lvs-duty compare --n`` give;
* ``single``: single-item parcels, fast layout (the easy case of ``bench_frame.py``).

Figures per workload: shipment-assessments per second of ``assess_frame`` for each option
(the whole call: reading the table, the assessment, the result frame), best of
``--repeats`` after one warm-up; ``compare`` of the four options (``amounts="minor"``, and
once with the default ``amounts="decimal"``), seconds; the slowest option's time divided by
one numpy pass over the value column (``value_minor.sum()``, or the integer minor units of
the canonical ``value`` column); peak memory, two ways: the process's peak resident set
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``, which includes building the population) and
the peak traced by ``tracemalloc`` during one ``compare`` call alone (numpy reports its
buffers to tracemalloc; run apart from the timed calls, as tracing slows them).

Peak RSS per entry point (issue 15's target: < 1 GB at 10^6 in every one), printed as a
table of its own: for the ``fast`` and ``canonical`` layouts, each entry point in a fresh
process *without* malloc tuning (the tuning pads the heap by 1 GB, so a peak taken under it
measures the padding): (a) building the population alone, (b) the population then
``compare(amounts="minor")``, (c) then ``compare`` (``amounts="decimal"``), (d) then
``to_decimal_frame(assess_frame(frame, baseline))``. Each figure is the child's
``ru_maxrss`` at the end (what ``/usr/bin/time -f %M`` reports), interpreter and imports
included. About 30 s at 10^6; ``--no-memory`` skips it, ``--memory-only`` runs only it.

Cores: the frame engine runs a batch of 2 x 65,536 shipments or more in windows of whole
shipments, one thread per core the process may use (``lvs_duty.frame.parallel``).
``--cores N`` pins every measured process to N cores (``--cores 1``: the engine on one
thread); the line above the table says how many each process had. ``--profile`` is taken
pinned to one core, as cProfile sees one thread only.

Prints figures, never asserts them: timings on a shared machine vary (note the load).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import time
import tracemalloc
from typing import Any

TUNING = {
    "MALLOC_MMAP_THRESHOLD_": "4294967296",
    "MALLOC_TRIM_THRESHOLD_": "4294967296",
    "MALLOC_TOP_PAD_": "1073741824",
}
CASES = ("fast", "canonical", "single")


def best_of(runs: int, work: Any) -> float:
    """Best wall time of ``runs`` calls (after the caller's warm-up)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def _population(case: str, n: int, seed: int) -> Any:
    from lvs_duty.simulate import population

    if case == "fast":
        return population(n, "CA", seed=seed, layout="minor")
    if case == "single":
        return population(n, "CA", seed=seed, layout="minor", single_item=True)
    return population(n, "CA", seed=seed)


def _value_units(frame: Any) -> Any:
    """The value column as int64 minor units (the numpy pass's input)."""
    import numpy as np

    if "value_minor" in frame.columns:
        return frame["value_minor"].to_numpy()
    return np.array([int(v.scaleb(2)) for v in frame["value"]], dtype=np.int64)


def _profile(work: Any, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats("lvs_duty", top)  # the stages, nested
    return text.getvalue()


def measure(case: str, n: int, seed: int, repeats: int, top: int) -> dict[str, Any]:
    """Every figure for one workload (run in its own process)."""
    import lvs_duty
    from lvs_duty import compare
    from lvs_duty.frame import assess_frame
    from lvs_duty.frame.parallel import cores
    from lvs_duty.options import gea_options

    options = gea_options(lvs_duty.load_rules("CA"))
    start = time.perf_counter()
    frame = _population(case, n, seed)
    out: dict[str, Any] = {
        "case": case,
        "cores": cores(),
        "n": n,
        "rows": len(frame),
        "population_seconds": time.perf_counter() - start,
        "options": {},
    }
    for name, rules in options.items():
        assess_frame(frame, rules)  # warm-up (first touch of the memory)
        seconds = best_of(repeats, lambda rules=rules: assess_frame(frame, rules))
        out["options"][name] = {"seconds": seconds, "per_second": n / seconds}
    compare(frame, options, amounts="minor")
    out["compare_seconds"] = best_of(repeats, lambda: compare(frame, options, amounts="minor"))
    start = time.perf_counter()
    compare(frame, options)
    out["compare_decimal_seconds"] = time.perf_counter() - start
    values = _value_units(frame)
    out["numpy_pass_seconds"] = best_of(max(5, repeats), lambda: values.sum())
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    tracemalloc.reset_peak()
    compare(frame, options, amounts="minor")
    out["compare_traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    if top:
        slow = max(options, key=lambda k: out["options"][k]["seconds"])
        out["profile_option"] = slow
        allowed = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {min(allowed)})  # one core, no windows: cProfile sees one thread
        try:
            out["profile"] = _profile(lambda: assess_frame(frame, options[slow]), top)
        finally:
            os.sched_setaffinity(0, allowed)
    return out


MEMORY_CASES = ("fast", "canonical")
ENTRY_POINTS = {
    "population": "population",
    "minor": "+ compare minor",
    "decimal": "+ compare decimal",
    "assess": "+ assess_frame + to_decimal_frame",
}


def peak_rss(case: str, entry: str, n: int, seed: int) -> dict[str, Any]:
    """The process's peak resident set after one entry point (run in its own process)."""
    import lvs_duty
    from lvs_duty.frame import assess_frame, to_decimal_frame
    from lvs_duty.options import gea_options

    options = gea_options(lvs_duty.load_rules("CA"))
    frame = _population(case, n, seed)
    if entry == "minor":
        lvs_duty.compare(frame, options, amounts="minor")
    elif entry == "decimal":
        lvs_duty.compare(frame, options)
    elif entry == "assess":
        to_decimal_frame(assess_frame(frame, options["baseline"]))
    mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"case": case, "entry": entry, "peak_rss_mb": mb}


def memory_table(n: int, seed: int, cores: int) -> str:
    """Peak RSS of each entry point and layout, each in a fresh process, no malloc tuning."""
    env = {k: v for k, v in os.environ.items() if k not in TUNING}
    rows = []
    for case in MEMORY_CASES:
        cells = []
        for entry in ENTRY_POINTS:
            command = [sys.executable, __file__, "--rss", case, entry, "--n", str(n)]
            command += ["--seed", str(seed), "--cores", str(cores)]
            done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
            cells.append(json.loads(done.stdout.strip().splitlines()[-1])["peak_rss_mb"])
            print(f"memory: {case} {entry} done", file=sys.stderr)
        rows.append(f"| {case} | " + " | ".join(f"{mb:,.0f}" for mb in cells) + " |")
    head = "| layout | " + " | ".join(f"{e} (MB)" for e in ENTRY_POINTS.values()) + " |"
    rule = "|" + "---|" * (len(ENTRY_POINTS) + 1)
    title = (
        f"peak RSS per entry point at n = {n:,} (fresh process each, no malloc tuning; "
        "target < 1,000 MB)"
    )
    return "\n".join([title, "", head, rule, *rows])


def report(results: list[dict[str, Any]]) -> str:
    """The figures as a Markdown table, one row per workload."""
    names = list(results[0]["options"])
    head = (
        "| workload | parcels | lines | "
        + " | ".join(f"{n} (M/s)" for n in names)
        + " | compare x4 minor (s) | compare x4 decimal (s) | x numpy pass"
        " | peak RSS (MB) | compare traced peak (MB) |"
    )
    rule = "|" + "---|" * (len(names) + 8)
    lines = [head, rule]
    for r in results:
        rates = [r["options"][n]["per_second"] for n in names]
        worst = max(r["options"][n]["seconds"] for n in names)
        lines.append(
            f"| {r['case']} | {r['n']:,} | {r['rows']:,} | "
            + " | ".join(f"{x / 1e6:.2f}" for x in rates)
            + f" | {r['compare_seconds']:.3f} | {r['compare_decimal_seconds']:.2f}"
            f" | {worst / r['numpy_pass_seconds']:,.0f}"
            f" | {r['peak_rss_mb']:,.0f} | {r['compare_traced_peak_mb']:,.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every workload in a fresh process and print the tables (and the profiles)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="parcels (default 10^6)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per figure (best)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cases", nargs="*", choices=CASES, default=list(CASES))
    parser.add_argument(
        "--profile", type=int, default=0, metavar="TOP", help="cProfile's TOP functions"
    )
    parser.add_argument("--no-malloc-tuning", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    memory = parser.add_mutually_exclusive_group()
    memory.add_argument("--no-memory", action="store_true", help="skip the peak RSS table")
    memory.add_argument("--memory-only", action="store_true", help="only the peak RSS table")
    parser.add_argument(
        "--cores",
        type=int,
        default=0,
        help="pin each measured process to this many cores (default: every core it may use; "
        "the frame engine runs one thread per core on batches of 2 x 65,536 shipments or more)",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child process
    parser.add_argument("--rss", nargs=2, help=argparse.SUPPRESS)  # child: CASE ENTRY
    args = parser.parse_args(argv)
    if args.cores and (args.one or args.rss):  # before lvs_duty sees how many cores it has
        os.sched_setaffinity(0, range(args.cores))
    if args.one:
        print(json.dumps(measure(args.one, args.n, args.seed, args.repeats, args.profile)))
        return 0
    if args.rss:
        print(json.dumps(peak_rss(*args.rss, args.n, args.seed)))
        return 0
    if not args.memory_only:
        _timings(args)
    if not args.no_memory:
        print()
        print(memory_table(args.n, args.seed, args.cores))
    return 0


def _timings(args: argparse.Namespace) -> None:
    """Every timed workload in a fresh process: the table, the profiles, the JSON."""
    env = dict(os.environ)
    if not args.no_malloc_tuning:
        env.update(TUNING)
    load_before = os.getloadavg()[0]
    results = []
    for case in args.cases:
        command = [sys.executable, __file__, "--one", case, "--n", str(args.n)]
        command += ["--repeats", str(args.repeats), "--seed", str(args.seed)]
        command += ["--profile", str(args.profile), "--cores", str(args.cores)]
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"{case} done", file=sys.stderr)
    print(f"load average (1 min) before/after: {load_before:.2f}/{os.getloadavg()[0]:.2f}; "
          f"malloc tuning {'off' if args.no_malloc_tuning else 'on'}; "
          f"cores per process {results[0]['cores']}")  # fmt: skip
    print(report(results))
    for r in results:
        if "profile" in r:
            print(f"\n## profile: {r['case']}, option {r['profile_option']} (pinned to one core)"
                  f"\n{r['profile']}")  # fmt: skip
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if k != "profile"} for r in results]))


if __name__ == "__main__":
    raise SystemExit(main())
