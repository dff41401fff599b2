"""Pieces several panels share: nerve lines with symbols, the signal comet, strain, cytokines."""

from __future__ import annotations

import math
from collections.abc import Sequence

from painmap.figures import names, style
from painmap.figures.geometry import (
    Pt,
    bbox,
    comet,
    distance,
    polylines_tagged,
    text_box,
    union_box,
    wrap,
    zigzag,
)
from painmap.figures.canvas import Fibre, Canvas, hidden_points, points_patch
from painmap.figures.steps import without_aside
from painmap.model import Dataset, Route

COMET = len(style.COMET_SIZES)


def fibre_class(ds: Dataset, route: Route) -> str:
    """The autonomic company a route's visceral afferents keep: parasympathetic or sympathetic."""
    sets = [set(ds.nerve[n].fibres) for n in route.chain if n in ds.nerve]
    if any("parasympathetic" in f and "sympathetic" not in f for f in sets):
        return "parasympathetic"
    if any("sympathetic" in f for f in sets):
        return "sympathetic"
    return "sensory"


def nerve_class(fibres: Sequence[str], route_class: str) -> str:
    """How to draw one nerve of a route: the route's class if it carries it, else its own."""
    if route_class in fibres:
        return route_class
    for key in ("sympathetic", "parasympathetic", "somatic", "cns", "enteric"):
        if key in fibres:
            return key
    return "sensory"


LAYER_OF_CLASS = {"sympathetic": "sympathetic", "parasympathetic": "parasympathetic", "somatic": "somatic"}


def layer_on(c: Canvas, fibre_key: str) -> bool:
    layer = LAYER_OF_CLASS.get(fibre_key)
    return layer is None or c.sel.has(layer)


def with_symbols(paths: Sequence[Sequence[Pt]], every: float = 7.0) -> tuple[list, list, list]:
    """x, y and marker sizes: points added every ``every`` units, a symbol on each of them."""
    xs: list = []
    ys: list = []
    sizes: list = []
    for path in paths:
        if xs:
            xs.append(None)
            ys.append(None)
            sizes.append(0)
        run = every / 2
        for i, point in enumerate(path):
            if i:
                a, b = path[i - 1], point
                step = distance(a, b)
                t = every - run
                while t < step:
                    f = t / step
                    xs.append(round(a[0] + f * (b[0] - a[0]), 2))
                    ys.append(round(a[1] + f * (b[1] - a[1]), 2))
                    sizes.append(7)
                    t += every
                run = (run + step) % every
            xs.append(round(point[0], 2))
            ys.append(round(point[1], 2))
            sizes.append(0)
    return xs, ys, sizes


def nerve_trace(
    name: str,
    paths: Sequence[Sequence[Pt]],
    fibre: Fibre,
    hovertext: str,
    dashed: bool = False,
    approximate: bool = False,
    width: float = 2.5,
) -> dict:
    """A nerve drawn by colour, dash pattern and marker symbol together (its id is in ``name``)."""
    xs, ys, sizes = with_symbols(paths)
    return {
        "name": name,
        "mode": "lines+markers",
        "x": xs,
        "y": ys,
        "line": {
            "color": fibre.colour,
            "dash": "dash" if dashed else fibre.dash,
            "width": width * (0.7 if approximate else 1),
        },
        "marker": {"symbol": fibre.symbol, "size": sizes, "color": fibre.colour, "line": {"width": 0}},
        "opacity": 0.6 if approximate else 0.95,
        "hovertext": hovertext,
        "hoverinfo": "text",
        "legendgroup": f"fibre-{fibre.key}",
    }


def signal_trace(name: str, fibre: Fibre) -> dict:
    """Base of a travelling signal: a comet of markers (positions come from the steps)."""
    return {
        "name": name,
        "mode": "markers",
        "marker": {
            "symbol": fibre.symbol,
            "size": list(style.COMET_SIZES),
            "color": fibre.colour,
            "opacity": [0.35, 0.45, 0.6, 0.75, 0.9, 1.0],
            "line": {"color": style.WHITE, "width": 1},
        },
        "hoverinfo": "skip",
        "legendgroup": f"fibre-{fibre.key}",
        **hidden_points(COMET),
    }


def along(path: Sequence[Pt], t0: float = 0.0, t1: float = 1.0) -> dict:
    return points_patch(comet(path, t0, t1, COMET))


def at(point: Pt) -> dict:
    return points_patch([point] * COMET)


def burst(point: Pt, radius: float = 1.8) -> dict:
    """The comet's markers in a small ring: a stimulus."""
    ring = [
        (point[0] + radius * math.cos(2 * math.pi * i / COMET), point[1] + radius * math.sin(2 * math.pi * i / COMET))
        for i in range(COMET)
    ]
    return points_patch(ring)


# --------------------------------------------------------------------------- strain


def add_strain(c: Canvas, panel: str, shapes: dict[str, list[list[Pt]]]) -> None:
    """Strained deep structures (mechanical routes): shaded fill, zigzag and label, step by step.
    No fill pattern: plotly.js cannot animate a patterned fill (see painmap.figures.style)."""
    if c.sel.kind != "mechanical" or not shapes:
        return
    order = list(c.sel.strains)

    def shown_at(step, index: int) -> list[str]:
        if step.kind in ("load", "felt"):
            return [d for d in order if d in shapes]
        seen = {s.target for s in c.steps[: index + 1] if s.kind == "strain"}
        return [d for d in order if d in shapes and d in seen]

    def fill_patch(step, index: int) -> dict:
        items = [(poly, f"deep:{d}") for d in shown_at(step, index) for poly in shapes[d]]
        xs, ys, tags = polylines_tagged(items, close=True)
        return {"x": xs, "y": ys, "customdata": tags}

    def zigzag_patch(step, index: int) -> dict:
        xs: list = []
        ys: list = []
        for deep_id in shown_at(step, index):
            for poly in shapes[deep_id]:
                line = zigzag(poly)
                if xs:
                    xs.append(None)
                    ys.append(None)
                xs += [round(p[0], 2) for p in line]
                ys += [round(p[1], 2) for p in line]
        return {"x": xs, "y": ys}

    hover = "Strained: " + ", ".join(c.label_of(c.ds.deep_structure[d]) for d in order if d in shapes)
    c.add_moving(
        panel,
        {
            "name": names.per_panel(names.STRAIN, panel),
            "mode": "lines",
            "fill": "toself",
            "fillcolor": style.with_alpha(style.STRAIN, 0.18),
            "line": {"color": style.STRAIN, "width": 2},
            "hoveron": "fills+points",
            "text": hover,
            "hoverinfo": "text",
            "meta": {"deep": [d for d in order if d in shapes]},
        },
        c.step_patches(fill_patch) if c.steps else [],
    )
    c.add_moving(
        panel,
        {
            "name": names.per_panel(names.STRAIN_ZIGZAG, panel),
            "mode": "lines",
            "line": {"color": style.STRAIN, "width": 2.5},
            "hoverinfo": "skip",
        },
        c.step_patches(zigzag_patch) if c.steps else [],
    )
    for deep_id in order:
        if deep_id not in shapes:
            continue
        x0, y0, _, y1 = union_box(bbox(poly) for poly in shapes[deep_id]) or (50, 50, 50, 50)
        c.label(
            panel,
            x0 - 0.8,
            (y0 + y1) / 2,
            wrap(without_aside(c.label_of(c.ds.deep_structure[deep_id])), 16),
            colour=style.STRAIN_TEXT,
            position="middle left",
            priority=2,
            shown=[deep_id in shown_at(step, i) for i, step in enumerate(c.steps)] if c.steps else None,
        )
    c.legend_entry(
        "strain",
        "Strained muscle or joint",
        {"mode": "lines", "line": {"color": style.STRAIN, "width": 2.5}, "fill": "none"},
    )


# --------------------------------------------------------------------------- cytokines

CYTOKINES = 16


def spiral(centre: Pt, radius: float, box: tuple[float, float, float, float], count: int = CYTOKINES) -> list[Pt]:
    """``count`` points spread evenly over a disc (golden-angle spiral), kept inside ``box``."""
    golden = math.pi * (3 - math.sqrt(5))
    x0, y0, x1, y1 = box
    out = []
    for i in range(count):
        r = radius * math.sqrt((i + 0.5) / count)
        a = i * golden
        out.append((min(x1, max(x0, centre[0] + r * math.cos(a))), min(y1, max(y0, centre[1] + r * math.sin(a)))))
    return out


def cytokine_trace(name: str) -> dict:
    return {
        "name": name,
        "mode": "markers",
        "marker": {
            "symbol": "circle",
            "size": 7,
            "color": style.SYSTEMIC,
            "opacity": 0.8,
            "line": {"color": style.WHITE, "width": 1},
        },
        "hoverinfo": "skip",
        **hidden_points(CYTOKINES),
    }
