"""Speed of painmap's dataset loading, reported as ratios to a baseline run in the same process.

    python bench/run.py            # everything; rewrites the results section of bench/README.md
    python bench/run.py --quick    # skip the 100k-route dataset; prints only (a smoke run)
    python bench/run.py --profile 10000   # cProfile of one load() of 10k routes, GC on and off

Measured: ``painmap.loader.load`` (read + parse + validate + cross-check) of the bundled dataset
and of synthetic datasets (bench/synthetic.py) of 1k, 10k and 100k routes, each interleaved
with its baseline: ``yaml.load(text, Loader=yaml.CSafeLoader)`` of the same files, results kept
as a loader must keep them. Each size is measured in a process of its own (``--one NAME``), so
one size's heap, caches and garbage never weigh on the next; that process also measures the
memory a loaded dataset keeps (tracemalloc) and its peak resident size. Also ``painmap
validate`` as a subprocess against ``python -c pass``, and ``painmap.cli.schema_json()``
against ``load()`` of the bundled dataset.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pydantic
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402  (bench/synthetic.py, found through the line above)

from painmap import loader  # noqa: E402
from painmap.cli import schema_json  # noqa: E402
from painmap.loader import DatasetError, load  # noqa: E402

README = HERE / "README.md"
START_MARK = "<!-- bench:results:start -->"
END_MARK = "<!-- bench:results:end -->"
BASELINE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Per-route cost ratios up to this count as linear growth on a noisy machine: of load() alone,
#: or of load() over its baseline's own growth measured in the same rounds.
LINEAR_LIMIT = 1.25
#: The issue's target for the bundled dataset.
BUNDLED_TARGET_S = 0.100


@dataclass(frozen=True)
class Plan:
    """How often to measure one dataset: up to ``max_runs``, stopping after ``seconds``
    once ``min_runs`` are done (so the whole run stays within a few minutes)."""

    name: str
    routes: int  # synthetic routes; 0 for the bundled dataset
    max_runs: int
    min_runs: int
    seconds: float


PLANS = (
    Plan("bundled", 0, 41, 9, 15),
    Plan("1k", 1_000, 15, 7, 40),
    Plan("10k", 10_000, 9, 5, 90),
    Plan("100k", 100_000, 5, 3, 240),
)
PLAN = {plan.name: plan for plan in PLANS}


@dataclass
class Pair:
    """Interleaved timings of a measured call and its baseline (seconds)."""

    measured: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return len(self.measured)

    @property
    def measured_median(self) -> float:
        return statistics.median(self.measured)

    @property
    def baseline_median(self) -> float:
        return statistics.median(self.baseline)

    @property
    def ratio(self) -> float:
        return self.measured_median / self.baseline_median


@dataclass
class DatasetResult:
    plan: Plan
    files: int
    routes: int
    yaml_bytes: int
    pair: Pair
    kept_bytes: int = 0  # what one loaded Dataset keeps allocated (tracemalloc, after the load)
    peak_bytes: int = 0  # the most allocated at once during that load (tracemalloc)
    max_rss_bytes: int = 0  # the measuring process's peak resident size

    def to_json(self) -> dict:
        return {
            "plan": self.plan.name, "files": self.files, "routes": self.routes, "yaml_bytes": self.yaml_bytes,
            "measured": self.pair.measured, "baseline": self.pair.baseline,
            "kept_bytes": self.kept_bytes, "peak_bytes": self.peak_bytes, "max_rss_bytes": self.max_rss_bytes,
        }

    @classmethod
    def from_json(cls, found: dict) -> DatasetResult:
        return cls(
            PLAN[found["plan"]], found["files"], found["routes"], found["yaml_bytes"],
            Pair(found["measured"], found["baseline"]), found["kept_bytes"], found["peak_bytes"], found["max_rss_bytes"],
        )


# --------------------------------------------------------------------------- timing


def time_once(call: Callable[[], object]) -> float:
    """Seconds one call takes; garbage from earlier calls is collected first, outside the timing."""
    gc.collect()
    start = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def interleave(
    measured: Callable[[], object],
    baseline: Callable[[], object],
    max_runs: int,
    min_runs: int = 1,
    seconds: float = float("inf"),
) -> Pair:
    """Time ``measured`` and ``baseline`` in alternating order, round after round."""
    pair = Pair()
    began = time.perf_counter()
    for round_no in range(max_runs):
        if round_no >= min_runs and time.perf_counter() - began > seconds:
            break
        if round_no % 2 == 0:
            pair.baseline.append(time_once(baseline))
            pair.measured.append(time_once(measured))
        else:
            pair.measured.append(time_once(measured))
            pair.baseline.append(time_once(baseline))
    return pair


def parse_all(texts: list[str]) -> list[object]:
    """The baseline: libyaml-backed safe parsing of every file, keeping each result."""
    return [yaml.load(text, Loader=BASELINE_LOADER) for text in texts]


# --------------------------------------------------------------------------- measurements


def measure_dataset(plan: Plan, path: Path | None, files: list[Path]) -> DatasetResult:
    """load(path) against parse_all of exactly the files load() reads."""
    texts = [f.read_text(encoding="utf-8") for f in files]
    seen: dict[str, object] = {}

    def load_dataset() -> object:
        dataset = load(path)
        seen.setdefault("routes", len(dataset.routes))
        seen.setdefault("origin", [Path(p).resolve() for p in dataset.origin])
        return dataset

    pair = interleave(load_dataset, lambda: parse_all(texts), plan.max_runs, plan.min_runs, plan.seconds)
    if seen["origin"] != [f.resolve() for f in files]:
        raise RuntimeError(f"{plan.name}: load() read {seen['origin']}, the baseline parsed {files}")
    kept, peak = memory_of(lambda: load(path))
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB
    return DatasetResult(plan, len(files), int(seen["routes"]), sum(len(t.encode()) for t in texts), pair, kept, peak, max_rss)


def memory_of(call: Callable[[], object]) -> tuple[int, int]:
    """(bytes still allocated while the result is kept, most bytes allocated at once) of one call,
    traced by tracemalloc (slower: never timed)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = call()
        gc.collect()
        now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return now - before, peak - before


def measure_one(name: str, bundled_dir: Path, work: Path) -> DatasetResult:
    """Generate and measure one dataset size (run in a process of its own: see :func:`measure_apart`)."""
    loader.bundled_data_dir = lambda: bundled_dir  # used by load(None) and by 'extends: bundled'
    plan = PLAN[name]
    base_files = [Path(p) for p in load().origin]  # also warms imports, regexes and validators
    if plan.routes == 0:
        return measure_dataset(plan, None, base_files)
    path = work / plan.name
    files = base_files + synthetic.write_dataset(path, plan.routes, ids=synthetic.BundledIds.from_dataset(load()))
    try:
        return measure_dataset(plan, path, files)
    finally:
        for f in path.iterdir():
            f.unlink()


def measure_apart(name: str, bundled_dir: Path, work: Path) -> DatasetResult:
    """:func:`measure_one` in a fresh interpreter: its answer comes back as one line of JSON."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one", name, "--bundled", str(bundled_dir), "--work", str(work)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"measuring {name} failed (exit {done.returncode})")
    return DatasetResult.from_json(json.loads(done.stdout.strip().splitlines()[-1]))


def measure_startup(data: Path, runs: int) -> Pair:
    """`painmap validate --data DATA` as a user runs it, against `python -c pass`."""
    script = Path(sys.executable).with_name("painmap")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "painmap.cli"]
    validate = [*command, "validate", "--data", str(data)]
    bare = [sys.executable, "-c", "pass"]

    def run(command: list[str]) -> Callable[[], object]:
        def call() -> object:
            done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')}")
            return None

        return call

    run(validate)(), run(bare)()  # warm the file cache and the bytecode cache
    return interleave(run(validate), run(bare), runs)


def measure_schema(runs: int) -> Pair:
    """JSON Schema generation against load() of the bundled dataset."""
    return interleave(schema_json, load, runs)


# --------------------------------------------------------------------------- report


def fmt_time(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.3g} ms"


def fmt_bytes(size: int) -> str:
    return f"{size / 1024:.0f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MiB"


def per_route(r: DatasetResult, bundled: DatasetResult | None, baseline: bool = False) -> float:
    """Median seconds per synthetic route: the bundled files every synthetic dataset also
    loads (through ``extends: bundled``) are taken off first."""

    def median(x: DatasetResult) -> float:
        return x.pair.baseline_median if baseline else x.pair.measured_median

    if bundled is None:
        return median(r) / r.routes
    return (median(r) - median(bundled)) / (r.routes - bundled.routes)


def growth(
    current: DatasetResult, previous: DatasetResult, bundled: DatasetResult | None, baseline: bool = False
) -> float:
    """Per-route cost of ``current`` over that of ``previous`` (1.0: linear growth)."""
    return per_route(current, bundled, baseline) / per_route(previous, bundled, baseline)


def bundled_result(results: list[DatasetResult]) -> DatasetResult | None:
    return next((r for r in results if r.plan.routes == 0), None)


def kept_per_route(r: DatasetResult, bundled: DatasetResult | None) -> float:
    """Bytes a loaded dataset keeps per synthetic route (the bundled dataset's own taken off)."""
    if bundled is None or r is bundled:
        return r.kept_bytes / max(r.routes, 1)
    return (r.kept_bytes - bundled.kept_bytes) / (r.routes - bundled.routes)


def dataset_table(results: list[DatasetResult]) -> list[str]:
    bundled = bundled_result(results)
    lines = [
        "| dataset | files | routes | YAML | runs | `load()` median | baseline median | load / baseline "
        "| per-route cost vs. previous row: load | same: baseline | load over baseline growth "
        "| kept after load | kept per route | peak while loading | process peak RSS |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    previous = None
    for r in results:
        load_growth = base_growth = relative = ""
        if previous is not None:
            grown, base = growth(r, previous, bundled), growth(r, previous, bundled, baseline=True)
            load_growth, base_growth, relative = f"{grown:.2f}", f"{base:.2f}", f"{grown / base:.2f}"
        lines.append(
            f"| {r.plan.name} | {r.files} | {r.routes:,} | {fmt_bytes(r.yaml_bytes)} | {r.pair.runs} "
            f"| {fmt_time(r.pair.measured_median)} | {fmt_time(r.pair.baseline_median)} | {r.pair.ratio:.2f} "
            f"| {load_growth} | {base_growth} | {relative} | {fmt_bytes(r.kept_bytes)} "
            f"| {kept_per_route(r, bundled) / 1024:.1f} KiB | {fmt_bytes(r.peak_bytes)} | {fmt_bytes(r.max_rss_bytes)} |"
        )
        previous = r if r.plan.routes else None
    return lines


def other_table(startup: Pair, schema: Pair) -> list[str]:
    return [
        "| measured | baseline | runs | measured median | baseline median | ratio |",
        "|---|---|--:|--:|--:|--:|",
        f"| `painmap validate --data <copy of data/>` (subprocess) | `python -c pass` | {startup.runs} "
        f"| {fmt_time(startup.measured_median)} | {fmt_time(startup.baseline_median)} | {startup.ratio:.1f} |",
        f"| `painmap.cli.schema_json()` | `load()` of the bundled data | {schema.runs} "
        f"| {fmt_time(schema.measured_median)} | {fmt_time(schema.baseline_median)} | {schema.ratio:.2f} |",
    ]


def verdicts(results: list[DatasetResult]) -> list[str]:
    lines = []
    bundled = bundled_result(results)
    if bundled:
        ok = bundled.pair.measured_median < BUNDLED_TARGET_S
        lines.append(
            f"- Bundled dataset: `load()` median {fmt_time(bundled.pair.measured_median)}, "
            f"{'under' if ok else 'OVER'} the {BUNDLED_TARGET_S * 1000:.0f} ms target; "
            f"the YAML parse alone takes {fmt_time(bundled.pair.baseline_median)}."
        )
    synthetic_rows = [r for r in results if r.plan.routes]
    for r in synthetic_rows:
        lines.append(
            f"- {r.plan.name}: {fmt_time(per_route(r, bundled) * 1000)} per 1,000 synthetic routes "
            f"(baseline {fmt_time(per_route(r, bundled, baseline=True) * 1000)})."
        )
    for previous, current in zip(synthetic_rows, synthetic_rows[1:]):
        load_growth = growth(current, previous, bundled)
        base_growth = growth(current, previous, bundled, baseline=True)
        memory_growth = kept_per_route(current, bundled) / kept_per_route(previous, bundled)
        # The baseline, timed in the same rounds, grows with the machine's load and caches too:
        # growth that the plain YAML parse shows as well is not load()'s own.
        linear = min(load_growth, load_growth / base_growth) <= LINEAR_LIMIT
        lines.append(
            f"- {previous.plan.name} -> {current.plan.name}: per-route cost of `load()` x{load_growth:.2f} "
            f"(baseline x{base_growth:.2f}, so x{load_growth / base_growth:.2f} over the baseline's own growth); "
            f"memory kept per route x{memory_growth:.2f}: {'about linear' if linear else 'NOT linear'} "
            f"(linear: up to {LINEAR_LIMIT}, alone or over the baseline)."
        )
    return lines


def machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    libyaml = "with libyaml" if getattr(yaml, "__with_libyaml__", False) else "WITHOUT libyaml"
    return (
        f"{cpus} CPUs (nproc), Python {platform.python_version()} ({platform.machine()}, {platform.system()}), "
        f"PyYAML {yaml.__version__} {libyaml}, pydantic {pydantic.VERSION}"
    )


def code_version() -> str:
    """The commit measured, and whether src/ or data/ had changes not committed yet (read-only git)."""
    root = HERE.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", "--no-optional-locks", *args], cwd=root, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "code version unknown (no git)"
    dirty = git("status", "--porcelain", "--", "src/painmap", "data")
    return f"commit {commit}" + (" + uncommitted changes in src/painmap or data/" if dirty else "")


def results_markdown(results: list[DatasetResult], startup: Pair, schema: Pair, quick: bool, minutes: float) -> str:
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"Run {when} on {machine()}; {code_version()}; "
        f"{'quick run (no 100k)' if quick else 'full run'}, {minutes:.1f} minutes in all.",
        "",
        *dataset_table(results),
        "",
        *other_table(startup, schema),
        "",
        *verdicts(results),
    ]
    return "\n".join(lines)


def rewrite_readme(section: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start < 0 or end < start:
        raise SystemExit(f"{README}: marker comments {START_MARK} ... {END_MARK} not found")
    README.write_text(text[: start + len(START_MARK)] + "\n" + section + "\n" + text[end:], encoding="utf-8")


# --------------------------------------------------------------------------- main


def snapshot_bundled(folder: Path) -> Path:
    """Copy the bundled dataset into ``folder`` and make the loader use the copy.

    Other work in the checkout may edit data/ during a run of several minutes: the copy keeps
    every measurement on the same files. (The code measured is fixed when it is imported.)
    """
    source = loader.bundled_data_dir()
    folder.mkdir()
    for file in loader.dataset_files(source):
        (folder / file.name).write_bytes(file.read_bytes())
    loader.bundled_data_dir = lambda: folder  # used by load(None) and by 'extends: bundled'
    return folder


def run_all(quick: bool, write_readme: bool) -> str:
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="painmap-bench-") as tmp:
        bundled_dir = snapshot_bundled(Path(tmp) / "bundled")
        results: list[DatasetResult] = []
        for plan in PLANS:
            if quick and plan.routes >= 100_000:
                continue
            print(f"measuring {plan.name} ({plan.routes:,} synthetic routes) in its own process ...", file=sys.stderr, flush=True)
            results.append(measure_apart(plan.name, bundled_dir, Path(tmp)))
        print("measuring start-up and schema ...", file=sys.stderr, flush=True)
        startup = measure_startup(bundled_dir, runs=11)
        schema = measure_schema(runs=21)
    section = results_markdown(results, startup, schema, quick, (time.perf_counter() - began) / 60)
    if write_readme:
        rewrite_readme(section)
    return section


def profile(routes: int) -> None:
    """cProfile one load() of a synthetic dataset, then time it with the cyclic GC on and off."""
    with tempfile.TemporaryDirectory(prefix="painmap-bench-") as tmp:
        synthetic.write_dataset(Path(tmp), routes)
        profiler = cProfile.Profile()
        gc.collect()
        profiler.runcall(load, tmp)
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats("painmap", 15)
        with_gc = time_once(lambda: load(tmp))
        gc.disable()
        try:
            without_gc = time_once(lambda: load(tmp))
        finally:
            gc.enable()
        print(f"load() of {routes:,} routes: GC on {fmt_time(with_gc)}, GC off {fmt_time(without_gc)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100k dataset and leave README.md alone")
    parser.add_argument("--no-readme", action="store_true", help="print the results only")
    parser.add_argument("--profile", type=int, metavar="ROUTES", help="profile one load() of this many routes")
    parser.add_argument("--one", choices=sorted(PLAN), help=argparse.SUPPRESS)  # one size, answered as JSON
    parser.add_argument("--bundled", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.one:
            print(json.dumps(measure_one(args.one, args.bundled, args.work).to_json()))
        elif args.profile:
            profile(args.profile)
        else:
            print(run_all(args.quick, write_readme=not (args.quick or args.no_readme)))
    except DatasetError as exc:
        shown = "\n".join(str(p) for p in exc.problems[:5])
        print(f"bench: the dataset does not load ({len(exc.problems)} problems):\n{shown}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
