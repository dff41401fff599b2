"""Render a painmap figure to PNG (kaleido) to look at it.

    .venv/bin/python scripts/preview_figure.py --organ bladder --step 8 -o /tmp/bladder.png
    .venv/bin/python scripts/preview_figure.py --query "?organ=uterus&compare=gut" --tall
    .venv/bin/python scripts/preview_figure.py --organ kidney --all-steps -o /tmp/kidney.png

With --all-steps one PNG per animation step is written (name-<step>.png).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import plotly.graph_objects as go

from painmap.figures import animation_steps, figure_dict, resolve_selection
from painmap.loader import load
from painmap.viewstate import ViewState


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="dataset file or folder (default: the bundled dataset)")
    parser.add_argument("--query", default="", help="a view as a URL query, e.g. '?organ=bladder&step=3'")
    for field in ("organ", "part", "route", "zone", "segment", "compare", "anatomy"):
        parser.add_argument(f"--{field}", default=None)
    parser.add_argument("--step", type=int, default=None)
    parser.add_argument("--layers", default=None, help="comma-separated layers that stay on")
    parser.add_argument("--tall", action="store_true", help="the 390-pixel phone arrangement")
    parser.add_argument("--all-steps", action="store_true", help="one PNG per animation step")
    parser.add_argument("--html", help="also write a standalone HTML file (plotly.js inline)")
    parser.add_argument("-o", "--output", default="/tmp/painmap-preview.png")
    args = parser.parse_args(argv)

    ds = load(args.data)
    state = ViewState.from_query(args.query)
    changes = {f: getattr(args, f) for f in ("organ", "part", "route", "zone", "segment", "compare", "anatomy")}
    state = state.with_(**{k: v for k, v in changes.items() if v is not None})
    if args.step is not None:
        state = state.with_(step=args.step)
    if args.layers is not None:
        state = state.with_(layers=frozenset(x for x in args.layers.split(",") if x))
    arrangement = "tall" if args.tall else "wide"

    import kaleido

    kaleido.start_sync_server()
    output = Path(args.output)
    selection = resolve_selection(ds, state)
    steps = animation_steps(ds, selection.route, selection.lang) if selection.route else []
    wanted = range(len(steps)) if args.all_steps and steps else [state.step]
    for step in wanted:
        started = time.perf_counter()
        fig = go.Figure(figure_dict(ds, state.with_(step=step), arrangement))
        built = time.perf_counter() - started
        width = 390 if args.tall else 1280
        path = output.with_name(f"{output.stem}-{step}{output.suffix}") if args.all_steps else output
        fig.write_image(path, width=width, height=fig.layout.height)
        print(f"{path}  (built in {built * 1000:.0f} ms)")
    if args.html:
        fig = go.Figure(figure_dict(ds, state, arrangement))
        fig.write_html(args.html, include_plotlyjs=True, auto_play=False)
        print(args.html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
