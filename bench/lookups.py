"""Look-ups at scale: the reverse questions (a zone's, a segment's routes) and the page that
answers them, on a synthetic dataset of 50,000 routes (bench/synthetic.py), with the memory a
route costs.

    .venv/bin/python bench/lookups.py               # 50k routes; prints a Markdown table
    .venv/bin/python bench/lookups.py --routes 10000 --rounds 3

Every time is a median of interleaved rounds, read against a **baseline in the same run**:
the same page (``?zone=suprapubic``) on the bundled dataset, answered by the same code. The
page's answer is the dict of every output the page callback sends (``painmap.app.page.page``)
**without the figure** (its ``build`` gives an empty scene and layer: the figure builders'
placement of outline-less parts is quadratic and is measured on its own, ``--figure``), encoded
as Dash encodes it (plotly's JSON encoder); its size is what a browser downloads, before
compression. The look-ups are timed against a plain scan of ``ds.routes`` (what
``query.routes_for_zone`` did before the dataset kept its indexes).

Memory: ``tracemalloc`` of one ``load()`` of ``--memory-routes`` synthetic routes, minus the
bundled dataset's, per route (the data the process keeps after the load: models, indexes).
Nothing is written outside a temporary folder; the results are printed, for bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import plotly.utils  # type: ignore[import-untyped]  # noqa: E402

from painmap import figures, query  # noqa: E402
from painmap.app import page as page_module  # noqa: E402
from painmap.loader import load  # noqa: E402
from painmap.model import Dataset, Route  # noqa: E402
from painmap.viewstate import ViewState  # noqa: E402
from synthetic import write_dataset  # noqa: E402

ZONE = "suprapubic"
SEGMENT = "T11"


def median_time(call: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(measured: Callable[[], object], baseline: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Medians of ``measured`` and ``baseline``, timed turn about (the machine's noise hits both)."""
    m: list[float] = []
    b: list[float] = []
    for i in range(rounds):
        for call, into in ((measured, m), (baseline, b)) if i % 2 == 0 else ((baseline, b), (measured, m)):
            gc.collect()
            start = time.perf_counter()
            call()
            into.append(time.perf_counter() - start)
    return statistics.median(m), statistics.median(b)


def scan_zone(ds: Dataset, zone: str) -> list[Route]:
    """The look-up as a scan of every route (the code before the indexes)."""
    return [r for r in ds.routes if zone in r.zones or (r.somatic_phase is not None and zone in r.somatic_phase.zones)]


def scan_segment(ds: Dataset, segment: str) -> list[Route]:
    return [
        r
        for r in ds.routes
        if (r.segments and segment in r.segments) or (r.somatic_phase is not None and segment in r.somatic_phase.segments)
    ]


#: The page's figures left out (see the module's docstring): an empty scene and route layer.
NO_FIGURE = ({"data": [], "layout": {"height": 400}}, {"data": [], "layout": {"height": 400}})


def page_without_figure(ds: Dataset, search: str) -> dict:
    return page_module.page(ds, ViewState.from_query(search), build=lambda state, arrangement, width: NO_FIGURE)


def answer_bytes(ds: Dataset, search: str) -> tuple[int, dict[str, int]]:
    """Bytes of the page's answer for ``search``, and the five largest outputs."""
    answer = page_without_figure(ds, search)
    sizes = {key: len(json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder)) for key, value in answer.items()}
    return sum(sizes.values()), dict(sorted(sizes.items(), key=lambda kv: -kv[1])[:5])


def memory_per_route(routes: int, folder: Path) -> tuple[float, float]:
    """(KB per route kept after load, KB per route at the load's peak), from tracemalloc."""

    def traced(path: Path | None) -> tuple[int, int, Dataset]:
        gc.collect()
        tracemalloc.start()
        ds = load(path)
        ds.route  # noqa: B018  # the look-up tables the app builds at its first page
        query.routes_for_zone(ds, ZONE)
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return current, peak, ds

    base_current, base_peak, _ = traced(None)
    write_dataset(folder, routes)
    current, peak, _ = traced(folder)
    return (current - base_current) / routes / 1024, (peak - base_peak) / routes / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routes", type=int, default=50_000)
    parser.add_argument("--memory-routes", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--figure", type=int, nargs="*", metavar="ROUTES", default=[],
                        help="also time the scene figure of synthetic datasets of these sizes (e.g. 250 500 1000)")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="painmap-lookups-") as tmp:
        folder = Path(tmp) / "big"
        write_dataset(folder, args.routes)
        start = time.perf_counter()
        big = load(folder)
        load_s = time.perf_counter() - start
        bundled = load()
        print(f"{len(big.routes)} routes in {len(big.origin)} files, loaded in {load_s:.1f} s", file=sys.stderr)

        start = time.perf_counter()
        first = query.routes_for_zone(big, ZONE)
        first_s = time.perf_counter() - start
        found = len(first)
        indexed, scanned = interleaved(lambda: query.routes_for_zone(big, ZONE), lambda: scan_zone(big, ZONE), args.rounds * 4)
        rows.append((f"routes_for_zone({ZONE}) [{found} routes]", f"{indexed * 1e3:.2f} ms", f"scan {scanned * 1e3:.1f} ms",
                     f"x{indexed / scanned:.3f}"))  # fmt: skip
        rows.append(("first look-up (builds the indexes)", f"{first_s * 1e3:.0f} ms", "-", "-"))
        indexed, scanned = interleaved(
            lambda: query.routes_for_segment(big, SEGMENT), lambda: scan_segment(big, SEGMENT), args.rounds * 4
        )
        found = len(query.routes_for_segment(big, SEGMENT))
        rows.append((f"routes_for_segment({SEGMENT}) [{found} routes]", f"{indexed * 1e3:.2f} ms",
                     f"scan {scanned * 1e3:.1f} ms", f"x{indexed / scanned:.3f}"))  # fmt: skip
        indexed, small = interleaved(lambda: query.zone_groups(big, ZONE), lambda: query.zone_groups(bundled, ZONE), args.rounds * 4)
        rows.append((f"zone_groups({ZONE})", f"{indexed * 1e3:.2f} ms", f"bundled {small * 1e3:.3f} ms", f"x{indexed / small:.1f}"))

        for search in (f"?zone={ZONE}", f"?segment={SEGMENT}"):
            big_s, small_s = interleaved(
                lambda s=search: page_without_figure(big, s),  # type: ignore[misc]
                lambda s=search: page_without_figure(bundled, s),  # type: ignore[misc]
                args.rounds,
            )
            big_bytes, largest = answer_bytes(big, search)
            small_bytes, _ = answer_bytes(bundled, search)
            rows.append((f"page {search} (no figure): time", f"{big_s * 1e3:.0f} ms", f"bundled {small_s * 1e3:.0f} ms", f"x{big_s / small_s:.1f}"))
            rows.append((f"page {search} (no figure): answer", f"{big_bytes / 1e6:.2f} MB", f"bundled {small_bytes / 1e3:.0f} KB",
                         f"x{big_bytes / small_bytes:.1f}"))  # fmt: skip
            print(f"{search}: largest outputs " + ", ".join(f"{k} {v / 1e3:.0f} KB" for k, v in largest.items()), file=sys.stderr)
        del big
        gc.collect()
        for size in args.figure:
            sized = load(write_dataset(Path(tmp) / f"figure-{size}", size)[0].parent)
            built, base = interleaved(lambda: figures.scene(sized), lambda: figures.scene(bundled), 1)  # noqa: B023
            rows.append((f"scene figure, {size} routes ({len(sized.part)} parts)", f"{built:.1f} s", f"bundled {base:.2f} s",
                         f"x{built / base:.0f}"))  # fmt: skip
        kept, peak = memory_per_route(args.memory_routes, Path(tmp) / "memory")
        rows.append((f"memory per route ({args.memory_routes} routes, tracemalloc)", f"{kept:.1f} KB kept",
                     f"{peak:.1f} KB at the peak", "-"))  # fmt: skip
    print("| measured | median | baseline (same run) | ratio |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
