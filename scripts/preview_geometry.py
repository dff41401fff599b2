"""Render the dataset's outlines to PNG files so a person can look at them.

    .venv/bin/python scripts/preview_geometry.py                 # /tmp/geometry-<view>.png
    .venv/bin/python scripts/preview_geometry.py --labels --out-dir /tmp/geo
    .venv/bin/python scripts/preview_geometry.py --data examples/my-dataset.yaml

Writes one image per panel (abdomen, side, front, back) with the scaffold in grey, organ parts
in their organ's colour, nerves in their first fibre colour, zones in orange and deep
structures in purple, plus front-dermatomes and back-dermatomes images of the T9-S5 bands.
This is a drawing check for the data, not the app's figure code.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import plotly.graph_objects as go

from painmap.loader import load
from painmap.model import Dataset, Outline

VIEWS = ("abdomen", "side", "front", "back")
SCAFFOLD_LINE = "rgba(90, 90, 90, 0.75)"
SCAFFOLD_FILL = "rgba(120, 120, 120, 0.06)"
ZONE_COLOUR = "#E8862A"
DEEP_COLOUR = "#7A4FB0"
BIG_AREA = 1200.0
BAND_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#843c39",
)


def _rgba(hex_colour: str, alpha: float) -> str:
    text = hex_colour.lstrip("#")
    red, green, blue = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def _area(outline: Outline) -> float:
    points = outline.points
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))
    ) / 2


def _trace(outline: Outline, colour: str, name: str, fill_alpha: float, width: float = 1.5) -> go.Scatter:
    xs = [p[0] for p in outline.points]
    ys = [p[1] for p in outline.points]
    if outline.closed and _area(outline) > BIG_AREA:
        fill_alpha = 0.0  # a whole-body outline would hide everything under it
    if outline.closed:
        xs.append(xs[0])
        ys.append(ys[0])
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        name=name,
        showlegend=False,
        line={"color": colour, "width": width},
        fill="toself" if outline.closed and fill_alpha > 0 else None,
        fillcolor=_rgba(colour, fill_alpha) if colour.startswith("#") else None,
    )


def _label(outlines: list[Outline], text: str, colour: str) -> go.Scatter:
    xs = [p[0] for o in outlines for p in o.points]
    ys = [p[1] for o in outlines for p in o.points]
    return go.Scatter(
        x=[sum(xs) / len(xs)],
        y=[sum(ys) / len(ys)],
        mode="text",
        text=[text],
        textfont={"size": 9, "color": colour},
        showlegend=False,
    )


def _entity_colours(dataset: Dataset) -> dict[str, tuple[str, float, float]]:
    """Colour, fill opacity and line width for every drawable id."""
    colours: dict[str, tuple[str, float, float]] = {}
    for organ in dataset.organs:
        for part in organ.parts:
            colours[part.id] = (organ.colour, 0.25, 1.6)
    for nerve in dataset.nerves:
        style = dataset.fibre_styles.get(nerve.fibres[0])
        colours[nerve.id] = (style.colour if style else "#444444", 0.5, 1.8)
    for zone in dataset.zones:
        colours[zone.id] = (ZONE_COLOUR, 0.2, 1.2)
    for deep in dataset.deep_structures:
        colours[deep.id] = (DEEP_COLOUR, 0.15, 1.2)
    return colours


def _frame(title: str, fig: go.Figure, width: int, height: int, box: list[float] | None = None) -> go.Figure:
    x0, x1, y0, y1 = box or (0, 100, 0, 100)
    axis = {"showgrid": True, "gridcolor": "#eeeeee", "zeroline": False, "dtick": 10}
    fig.update_layout(
        title={"text": title, "font": {"size": 14}},
        width=width,
        height=height,
        margin={"l": 40, "r": 20, "t": 40, "b": 30},
        plot_bgcolor="white",
        xaxis={**axis, "range": [x0, x1]},
        yaxis={**axis, "range": [y0, y1], "scaleanchor": "x", "scaleratio": 1},
    )
    return fig


def view_figure(
    dataset: Dataset, view: str, labels: bool, box: list[float] | None = None, only: list[str] | None = None
) -> go.Figure:
    """Scaffold plus every entity outline in one panel (or only the ids in ``only``)."""
    fig = go.Figure()
    for key, outlines in dataset.scaffold.items():
        if key.startswith("dermatome-"):
            continue
        for outline in outlines:
            if outline.view == view:
                fig.add_trace(_trace(outline, SCAFFOLD_LINE, key, 0.0, 1.0))
    colours = _entity_colours(dataset)
    for key, outlines in dataset.outlines.items():
        if only and key not in only:
            continue
        here = [o for o in outlines if o.view == view]
        colour, alpha, width = colours.get(key, ("#333333", 0.2, 1.2))
        for outline in here:
            fig.add_trace(_trace(outline, colour, key, alpha, width))
        if labels and here:
            fig.add_trace(_label(here, key, colour))
    return _frame(f"{view} view", fig, 900, 900, box)


def dermatome_figure(dataset: Dataset, view: str, box: list[float] | None = None) -> go.Figure:
    """The T9-S5 dermatome bands on the body silhouette."""
    fig = go.Figure()
    for outline in dataset.scaffold.get(f"body-{view}", ()):
        fig.add_trace(_trace(outline, SCAFFOLD_LINE, "body", 0.0, 1.0))
    bands = [k for k in dataset.scaffold if k.startswith("dermatome-")]
    for i, key in enumerate(bands):
        here = [o for o in dataset.scaffold[key] if o.view == view]
        colour = BAND_COLOURS[i % len(BAND_COLOURS)]
        for outline in here:
            fig.add_trace(_trace(outline, colour, key, 0.35, 0.8))
        if here:
            fig.add_trace(_label(here, key.removeprefix("dermatome-").upper(), "#000000"))
    return _frame(f"{view} dermatomes", fig, 900, 900, box)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset file or folder (default: bundled)")
    parser.add_argument("--out-dir", type=Path, default=Path("/tmp"), help="where the PNG files go")
    parser.add_argument("--labels", action="store_true", help="write each id at its outline's centre")
    parser.add_argument("--box", nargs=4, type=float, metavar=("X0", "X1", "Y0", "Y1"), help="zoom to this box")
    parser.add_argument("--only", nargs="*", help="draw only these ids (the scaffold is always drawn)")
    parser.add_argument("--views", nargs="*", default=list(VIEWS) + ["front-dermatomes", "back-dermatomes"])
    args = parser.parse_args(argv)

    dataset = load(args.data)
    try:
        import kaleido

        kaleido.start_sync_server()
    except (ImportError, AttributeError):
        pass
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name in args.views:
        if name.endswith("-dermatomes"):
            fig = dermatome_figure(dataset, name.removesuffix("-dermatomes"), args.box)
        else:
            fig = view_figure(dataset, name, args.labels, args.box, args.only)
        target = args.out_dir / f"geometry-{name}.png"
        fig.write_image(target)
        print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
