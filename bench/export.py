"""Speed and size of painmap's exports, with one warm browser per batch (as `painmap export --all`).

    python bench/export.py            # prints a Markdown table for bench/README.md ("Exports")
    python bench/export.py -n 5       # fewer warm files per format (a smoke run)

Measured, in one process and one kaleido Chromium (the system's):
- cold: the first PNG of a batch, browser start included;
- warm: each further PNG and SVG (a different route each time), median and slowest;
- the one-page PDF handout of a story (figure SVG + Chromium's printToPDF), warm;
- the standalone HTML (plotly.js inline): time to build and its size, and the part that is
  the figure (frames included) rather than plotly.js;
- the lesson package: total size, and how much of it is the one shared plotly.min.js.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from painmap import export, lesson
from painmap.loader import load

TARGET_WARM_S = 0.5


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def compare_with_kaleido(ds, routes, renderer, n: int) -> dict[str, tuple[list[float], list[float]]]:
    """The same figures drawn by painmap's Renderer and by kaleido's (same Chromium), one after
    the other, so that a busy machine slows both alike."""
    import asyncio
    import threading

    import kaleido  # type: ignore[import-untyped]

    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()

    def run(coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(120)

    async def start():
        k = kaleido.Kaleido(path=export.chromium_path(), mathjax=False)
        await k.__aenter__()
        return k

    k = run(start())
    out: dict[str, tuple[list[float], list[float]]] = {"png": ([], []), "svg": ([], [])}
    try:
        figures = [export.static_figure(ds, routes[i % len(routes)]) for i in range(n)]
        run(k.calc_fig(figures[0], opts={"format": "png", "width": export.STATIC_WIDTH, "height": 800}))  # warm
        for figure in figures:
            height = int(figure["layout"]["height"])
            for fmt in ("png", "svg"):
                opts = {"format": fmt, "width": export.STATIC_WIDTH, "height": height, "scale": 1}
                out[fmt][0].append(timed(lambda: renderer.image(figure, fmt, export.STATIC_WIDTH, height))[0])
                out[fmt][1].append(timed(lambda: run(k.calc_fig(figure, opts=opts)))[0])
    finally:
        run(k.__aexit__(None, None, None))
        loop.call_soon_threadsafe(loop.stop)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=15, help="warm files per format (default 15)")
    args = parser.parse_args()
    ds = load(None)
    views = export.all_views(ds)
    routes = [v for v in views if v.route] or views
    rows: list[tuple[str, str]] = []
    with export.Renderer() as renderer:
        cold, _ = timed(lambda: export.export_view(ds, routes[0], "png", renderer))
        warm: dict[str, list[float]] = {"png": [], "svg": []}
        sizes: dict[str, list[int]] = {"png": [], "svg": []}
        for i in range(args.n):
            view = routes[(i + 1) % len(routes)]
            for fmt in ("png", "svg"):
                seconds, content = timed(lambda: export.export_view(ds, view, fmt, renderer))
                warm[fmt].append(seconds)
                sizes[fmt].append(len(content))  # type: ignore[arg-type]
        one_x = []
        for i in range(args.n):  # the same figures at 1x: how much of a PNG's time is its 4x pixels
            figure = export.static_figure(ds, routes[(i + 1) % len(routes)])
            one_x.append(timed(lambda: renderer.image(figure, "png", export.STATIC_WIDTH, figure["layout"]["height"]))[0])
        compared = compare_with_kaleido(ds, routes, renderer, args.n)
        story = export.view_from(ds, story=ds.stories[0].id) if ds.stories else routes[0]
        pdf_times = [timed(lambda: export.export_view(ds, story, "pdf", renderer, "https://example.org/"))[0] for _ in range(3)]
    html_time, page = timed(lambda: export.export_view(ds, story, "html"))
    plotly_size = len(export.plotly_js().encode("utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        lesson_time, written = timed(lambda: lesson.write_lesson(ds, Path(folder) / "lesson"))
        lesson_size = sum(p.stat().st_size for p in written)  # type: ignore[attr-defined]
        lesson_files = len(written)  # type: ignore[arg-type]

    def row(name: str, values: list[float]) -> tuple[str, str]:
        verdict = "meets" if statistics.median(values) < TARGET_WARM_S else "misses"
        return name, (
            f"median {statistics.median(values):.2f} s, slowest {max(values):.2f} s over {len(values)} files "
            f"({verdict} the {TARGET_WARM_S} s target)"
        )

    rows.append(("first PNG of a batch (cold, browser start)", f"{cold:.2f} s"))
    rows.append(row("warm PNG (2x, 2560 px wide)", warm["png"]))
    rows.append(row("warm PNG at 1x (1280 px, figure only)", one_x))
    rows.append(row("warm SVG", warm["svg"]))
    for fmt, (ours, theirs) in compared.items():
        rows.append((f"warm {fmt.upper()} figure, interleaved: painmap's tab / kaleido 1.5 calc_fig",
                     f"median {statistics.median(ours):.2f} s / {statistics.median(theirs):.2f} s "
                     f"({statistics.median(theirs) / statistics.median(ours):.1f}x)"))
    rows.append(("PNG / SVG size", f"median {statistics.median(sizes['png']) / 1024:.0f} KB / {statistics.median(sizes['svg']) / 1024:.0f} KB"))
    rows.append(("warm PDF handout (a story)", f"median {statistics.median(pdf_times):.2f} s over {len(pdf_times)}"))
    rows.append(("standalone HTML (a story)", f"{len(page) / 1e6:.2f} MB ({plotly_size / 1e6:.2f} MB plotly.js, "  # type: ignore[arg-type]
                 f"{(len(page) - plotly_size) / 1024:.0f} KB page and figure with frames), built in {html_time:.2f} s"))  # type: ignore[arg-type]
    rows.append(("lesson package", f"{lesson_files} files, {lesson_size / 1e6:.2f} MB "
                 f"({plotly_size / 1e6:.2f} MB of it the one plotly.min.js), written in {lesson_time:.2f} s"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    load_1, load_5, _ = os.getloadavg()
    print(f"Measured {datetime.date.today()} at {commit or '?'} on {platform.machine()} ({os.cpu_count()} cores, load average "
          f"{load_1:.1f} / {load_5:.1f} at the end), Python {platform.python_version()}, {export.chromium_path()}:\n")
    print("| what | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
