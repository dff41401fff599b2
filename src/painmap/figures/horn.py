"""Panel 3: a close-up of one dorsal horn: its laminae (scene); the laminae a route ends in,
the two afferents meeting on one neuron, and the tract that carries the signal up to the
brain (layer)."""

from __future__ import annotations

import math
from itertools import pairwise

from painmap.figures import names, style
from painmap.figures.common import COMET, along, at, layer_on, nerve_trace, signal_trace
from painmap.figures.geometry import Pt, ellipse, polylines_xy
from painmap.figures.canvas import Canvas, hidden_points
from painmap.figures.steps import ascending_tract, converging_inputs, lower_first, split_chain
from painmap.model import Dataset, Lamina, text

PANEL = "horn"
X_RANGE = (0.0, 50.0)
CENTRE_X, RADIUS = 21.0, 12.0
TIP_Y, BASE_Y = 62.0, 10.0
NEURON_X = 21.0
MIDLINE_X = 36.0
CANAL = (MIDLINE_X, 8.0)
TRACT_X = 45.0
BRAIN = (TRACT_X, 95.0)

VISCERAL_ENTRY = [(1.0, 93.0), (7.5, 87.0), (14.0, 79.0), (19.5, 71.0), (NEURON_X + 2.2, 63.0)]
SOMATIC_ENTRY = [(1.0, 87.0), (6.5, 82.0), (12.0, 75.0), (16.5, 68.0), (NEURON_X - 2.2, 62.0)]


def depth_y(depth: float) -> float:
    return TIP_Y - depth * (TIP_Y - BASE_Y)


def half_width(y: float) -> float:
    """Half-width of the horn at height y: straight sides under a round cap."""
    cap = TIP_Y - RADIUS
    if y <= cap:
        return RADIUS
    return math.sqrt(max(RADIUS**2 - (y - cap) ** 2, 0.0))


def band(y_top: float, y_bottom: float) -> list[Pt]:
    """The horn between two heights, as a polygon."""
    ys = [y_top + (y_bottom - y_top) * i / 10 for i in range(11)]
    left = [(CENTRE_X - half_width(y), y) for y in ys]
    right = [(CENTRE_X + half_width(y), y) for y in reversed(ys)]
    return left + right


def _cord_outline() -> list[Pt]:
    """The dorsal half of the cord's surface, as far as the panel shows."""
    cx, cy, rx, ry = MIDLINE_X, 24.0, 35.0, 47.0
    points = []
    for k in range(0, 61):
        a = math.radians(62 + 148 * k / 60)
        x, y = cx + rx * math.cos(a), cy + ry * math.sin(a)
        if y >= 0.5 and x >= 0.5:
            points.append((x, y))
    return points


def lamina_bands(ds: Dataset) -> list[tuple[Lamina, list[Pt]]]:
    """Each lamina with its band in the horn, shallowest first."""
    laminae = sorted(ds.laminae, key=lambda lam: lam.depth)
    bounds = [0.0, *((a.depth + b.depth) / 2 for a, b in pairwise(laminae)), 1.0]
    return [(lamina, band(depth_y(bounds[i]), depth_y(bounds[i + 1]))) for i, lamina in enumerate(laminae)]


def draw_horn_scene(c: Canvas) -> None:
    """The dorsal half of the cord, the horn and its laminae (unlit, each with its hover)."""
    outline = _cord_outline()
    c.shape(
        PANEL,
        outline + [(outline[-1][0], 0.5), (outline[0][0], 0.5)],
        fillcolor=style.CORD_SECTION_FILL,
        line={"color": style.SCAFFOLD_LINE, "width": 1},
    )
    c.shape(
        PANEL,
        [(MIDLINE_X, 0.5), (MIDLINE_X, 70.8)],
        closed=False,
        line={"color": style.FAINT, "width": 1, "dash": "dot"},
    )
    c.shape(
        PANEL,
        band(TIP_Y, BASE_Y - 3),
        fillcolor=style.LAMINA_FILLS[0],
        line={"color": style.CORD_LINE, "width": 1},
    )
    c.shape(PANEL, ellipse(*CANAL, 1.6, 1.6, 16), fillcolor=style.WHITE, line={"color": style.CORD_LINE, "width": 1})
    for i, (lamina, polygon) in enumerate(lamina_bands(c.ds)):
        c.add(
            PANEL,
            c.area_trace(
                names.lamina_trace(lamina.id),
                [polygon],
                c.hover(lamina, extra=_description(c, lamina)),
                fillcolor=style.LAMINA_FILLS[i % 2],
                line={"color": style.LAMINA_LINE, "width": 0.8},
            ),
        )


def draw_horn_layer(c: Canvas) -> None:
    """The route's laminae lit, the two afferents meeting on one neuron, the tract, the signal."""
    ds, sel = c.ds, c.sel
    route = ds.route.get(sel.route)
    segmental = route is not None and route.kind == "segmental"
    route_laminae = set(route.laminae) if route is not None and segmental else set()
    lit_bands = [polygon for lamina, polygon in lamina_bands(ds) if lamina.id in route_laminae]
    if lit_bands:
        xs, ys = polylines_xy(lit_bands, close=True)
        c.add(
            PANEL,
            {
                "name": names.LAMINA_LIT,
                "mode": "lines",
                "x": xs,
                "y": ys,
                "fill": "toself",
                "fillcolor": style.with_alpha(style.LIT, 0.3),
                "line": {"color": style.LAMINA_LINE, "width": 0.8},
                "hoverinfo": "skip",
                "meta": {"laminae": sorted(route_laminae)},
            },
        )
    for lamina, _ in lamina_bands(ds):
        lit = lamina.id in route_laminae
        roman = lamina.id.upper()
        c.label(
            PANEL,
            CENTRE_X - RADIUS - 4.0,
            depth_y(lamina.depth),
            f"<b>{roman}</b>" if lit else roman,
            colour=style.INK if lit else style.MUTED,
        )
    c.label(PANEL, MIDLINE_X, 1.5, "midline", colour=style.FAINT, position="top center")
    if route is None or not segmental:
        if route is not None:
            why = (
                "cytokines act on the whole body" if route.kind == "systemic" else "the strain is in muscles and joints"
            )
            c.label(PANEL, 25, 82, f"No convergence here:<br>{why}", colour=style.MUTED)
        _empty_signals(c)
        return
    neurons = [(NEURON_X, depth_y(ds.lamina[lam].depth)) for lam in route.laminae if lam in ds.lamina]
    neurons.sort(key=lambda p: -p[1])
    if not neurons:
        neurons = [(NEURON_X, depth_y(0.5))]
    deepest = neurons[-1]
    visceral_path = VISCERAL_ENTRY + [(VISCERAL_ENTRY[-1][0], neurons[0][1]), (VISCERAL_ENTRY[-1][0], deepest[1])]
    somatic_path = SOMATIC_ENTRY + [(SOMATIC_ENTRY[-1][0], neurons[0][1]), (SOMATIC_ENTRY[-1][0], deepest[1])]
    tract_path = [
        deepest,
        (NEURON_X + 4, deepest[1] - 7),
        (MIDLINE_X - 5, 11.0),
        (MIDLINE_X + 2.5, 4.5),
        (TRACT_X - 1.5, 9.0),
        (TRACT_X, 30.0),
        (TRACT_X, BRAIN[1] - 3),
    ]
    sensory = c.fibre("sensory")
    somatic = c.fibre("somatic")
    cns = c.fibre("cns")
    _, entry = split_chain(ds, route)
    root = next((n for n in entry if ds.nerve[n].kind == "root"), entry[-1] if entry else "")
    part = c.label_of(ds.part[route.part])
    c.add(
        PANEL,
        {
            **nerve_trace(
                names.HORN_VISCERAL,
                [visceral_path],
                sensory,
                f"<b>Visceral afferent</b> from the {lower_first(part)}<br>enters through the dorsal root",
                width=2.2,
            ),
            "meta": {"nerve": root},
        },
    )
    c.fibre_legend(sensory)
    inputs = converging_inputs(ds, route)
    if inputs and layer_on(c, "somatic"):
        labels = "<br>".join(c.label_of(i) for i in inputs)
        c.add(
            PANEL,
            {
                **nerve_trace(
                    names.HORN_SOMATIC,
                    [somatic_path],
                    somatic,
                    f"<b>Somatic afferent</b> (skin and muscle of the same segment)<br>{labels}",
                    width=2.2,
                ),
                "meta": {"nerve": inputs[0].nerve},
            },
        )
        c.fibre_legend(somatic)
    tract = ascending_tract(ds)
    if tract is not None:
        c.add(
            PANEL,
            nerve_trace(
                names.nerve_trace(tract.id),
                [tract_path],
                cns,
                c.hover(tract, extra="Crosses the midline, then ascends to the brain"),
                width=2.5,
            ),
        )
        c.fibre_legend(cns)
        if sel.has("labels"):
            c.annotations.append(
                {
                    "text": c.label_of(tract),
                    "textangle": -90,
                    "x": TRACT_X + 2.8,
                    "y": 52,
                    "showarrow": False,
                    "xref": c.axes(PANEL)["xaxis"],
                    "yref": c.axes(PANEL)["yaxis"],
                    "font": {"size": c.placement.label_size, "color": cns.colour},
                }
            )
    c.label(PANEL, BRAIN[0], BRAIN[1] + 0.5, "brain", colour=cns.colour, position="top center")
    lamina_names = " and ".join(lam.upper() for lam in route.laminae)
    c.add(
        PANEL,
        {
            "name": names.NEURON,
            "mode": "lines+markers",
            "x": [p[0] for p in neurons],
            "y": [round(p[1], 2) for p in neurons],
            "line": {"color": cns.colour, "width": 2},
            "marker": {
                "symbol": "circle",
                "size": 13,
                "color": style.WHITE,
                "line": {"color": cns.colour, "width": 2.5},
            },
            "hovertext": (
                f"<b>Dorsal-horn neuron</b> (laminae {lamina_names})<br>Visceral and somatic afferents converge on it"
            ),
            "hoverinfo": "text",
        },
    )

    def halo(step, index: int) -> dict:
        lit = step.kind in ("convergence", "ascend", "projection")
        return {"x": [p[0] for p in neurons], "y": [round(p[1], 2) for p in neurons]} if lit else {"x": [], "y": []}

    c.add_moving(
        PANEL,
        {
            "name": names.NEURON_LIT,
            "mode": "markers",
            "hoverinfo": "skip",
            "marker": {
                "symbol": "circle",
                "size": 30,
                "color": style.with_alpha(cns.colour, 0.28),
                "line": {"color": cns.colour, "width": 1},
            },
        },
        c.step_patches(halo),
    )

    def visceral(step, index: int) -> dict:
        if step.kind == "entry":
            return along(visceral_path, 0.0, 0.45)
        if step.kind == "somatic":
            return along(visceral_path, 0.45, 0.75)
        if step.kind == "convergence":
            return at(deepest)
        if step.kind == "ascend":
            return along(tract_path, 0.35, 1.0)
        if step.kind == "projection":
            return at(tract_path[-1])
        return hidden_points(COMET)

    def somatic_signal(step, index: int) -> dict:
        if step.kind == "somatic":
            return along(somatic_path, 0.25, 0.75)
        if step.kind == "convergence":
            return at((deepest[0] - 0.8, deepest[1]))
        return hidden_points(COMET)

    c.add_moving(PANEL, signal_trace(names.SIGNAL_HORN, sensory), c.step_patches(visceral))
    c.add_moving(PANEL, signal_trace(names.SIGNAL_HORN_SOMATIC, somatic), c.step_patches(somatic_signal))


def _description(c: Canvas, lamina: Lamina) -> str:
    return f"<i>{text(lamina.description, c.lang)}</i>" if lamina.description else ""


def _empty_signals(c: Canvas) -> None:
    """The horn's signal traces exist in every figure (empty when nothing converges)."""
    patches = c.step_patches(lambda step, i: hidden_points(COMET))
    c.add_moving(PANEL, signal_trace(names.SIGNAL_HORN, c.fibre("sensory")), patches)
    c.add_moving(PANEL, signal_trace(names.SIGNAL_HORN_SOMATIC, c.fibre("somatic")), patches)
