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
    rows.append(row("warm SVG", warm["svg"]))
    rows.append(("PNG / SVG size", f"median {statistics.median(sizes['png']) / 1024:.0f} KB / {statistics.median(sizes['svg']) / 1024:.0f} KB"))
    rows.append(("warm PDF handout (a story)", f"median {statistics.median(pdf_times):.2f} s over {len(pdf_times)}"))
    rows.append(("standalone HTML (a story)", f"{len(page) / 1e6:.2f} MB ({plotly_size / 1e6:.2f} MB plotly.js, "  # type: ignore[arg-type]
                 f"{(len(page) - plotly_size) / 1024:.0f} KB page and figure with frames), built in {html_time:.2f} s"))  # type: ignore[arg-type]
    rows.append(("lesson package", f"{lesson_files} files, {lesson_size / 1e6:.2f} MB "
                 f"({plotly_size / 1e6:.2f} MB of it the one plotly.min.js), written in {lesson_time:.2f} s"))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"Measured {datetime.date.today()} at {commit or '?'} on {platform.machine()}, Python {platform.python_version()}, "
          f"{export.chromium_path()}:\n")
    print("| what | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
