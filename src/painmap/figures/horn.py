"""Panel 3: a close-up of one dorsal horn: its laminae (scene); the laminae a route ends in,
the two afferents meeting on one neuron, and the tract that carries the signal up to the
brain (layer)."""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import pairwise

from painmap.figures import names, style
from painmap.i18n import N_, gettext
from painmap.figures.common import COMET, along, at, layer_on, nerve_trace, signal_trace
from painmap.figures.geometry import Pt, ellipse, polylines_xy, wrap
from painmap.figures.canvas import Canvas, Fibre, hidden_points
from painmap.figures.steps import (
    ascending_tract,
    convergence_laminae,
    converging_inputs,
    dorsal_column_tract,
    is_lamina_x,
    lower_first,
    split_chain,
)
from painmap.model import Dataset, Lamina, Route, text

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


#: Lamina X: the grey matter around the central canal, drawn as a ring around it.
LAMINA_X_RADIUS = 4.6
#: The neuron around the central canal that starts the postsynaptic dorsal column pathway.
NEURON_X_AT = (CANAL[0] - 3.0, CANAL[1] + 3.2)
#: The dorsal column of the same side: between the horn and the midline, up to the gracile nucleus.
COLUMN_X = 34.2
GRACILE = (COLUMN_X, 92.0)


def lamina_bands(ds: Dataset) -> list[tuple[Lamina, list[Pt]]]:
    """Each lamina with its shape, shallowest first: a band across the horn, or (lamina X)
    a ring around the central canal."""
    laminae = sorted(ds.laminae, key=lambda lam: lam.depth)
    around = [lam for lam in laminae if is_lamina_x(ds, lam.id)]
    horn = [lam for lam in laminae if lam not in around]
    last = min(1.0, horn[-1].depth + 0.2) if horn else 1.0
    bounds = [0.0, *((a.depth + b.depth) / 2 for a, b in pairwise(horn)), last]
    out = [(lamina, band(depth_y(bounds[i]), depth_y(bounds[i + 1]))) for i, lamina in enumerate(horn)]
    ring = [(x, max(y, 0.5)) for x, y in ellipse(*CANAL, LAMINA_X_RADIUS, LAMINA_X_RADIUS, 24)]
    return out + [(lamina, ring) for lamina in around]


def lamina_label_at(ds: Dataset, lamina: Lamina) -> Pt:
    if is_lamina_x(ds, lamina.id):
        return (CANAL[0], CANAL[1] + LAMINA_X_RADIUS + 2.2)
    return (CENTRE_X - RADIUS - 4.0, depth_y(lamina.depth))


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
    # the central canal, over lamina X's ring
    xs, ys = polylines_xy([ellipse(*CANAL, 1.6, 1.6, 16)], close=True)
    c.add(
        PANEL,
        {
            "name": names.CENTRAL_CANAL,
            "mode": "lines",
            "x": xs,
            "y": ys,
            "fill": "toself",
            "fillcolor": style.WHITE,
            "line": {"color": style.CORD_LINE, "width": 1},
            "hoverinfo": "skip",
        },
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
        c.add_revealed(
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
            "convergence",
        )
    for lamina, _ in lamina_bands(ds) if not c.placement.large else ():  # patient mode: no lamina numbers
        lit = lamina.id in route_laminae
        roman = lamina.id.upper()
        x, y = lamina_label_at(ds, lamina)
        c.label(PANEL, x, y, f"<b>{roman}</b>" if lit else roman, colour=style.INK if lit else style.MUTED)
    c.label(PANEL, MIDLINE_X, 1.5, N_("midline"), colour=style.MUTED, position="top center", priority=-1)
    if route is None or not segmental:
        if route is not None:
            why = (
                gettext(c.lang, "cytokines act on the whole body")
                if route.kind == "systemic"
                else gettext(c.lang, "the strain is in muscles and joints")
            )
            words = gettext(c.lang, "No convergence here:<br>{why}").format(why=wrap(why, 18))
            c.label(PANEL, 25, 82, words, colour=style.MUTED)
        _empty_signals(c)
        return
    neurons = [(NEURON_X, depth_y(ds.lamina[lam].depth)) for lam in convergence_laminae(ds, route) if lam in ds.lamina]
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
    column = "dorsal-column" in route.ascending
    # the visceral afferent also ends around the central canal (lamina X) when the route ascends there
    to_x = [visceral_path[-1], (28.0, NEURON_X_AT[1] + 1.5), NEURON_X_AT] if column else []
    c.add_revealed(
        PANEL,
        {
            **nerve_trace(
                names.HORN_VISCERAL,
                [visceral_path, to_x] if to_x else [visceral_path],
                sensory,
                f"<b>Visceral afferent</b> from the {lower_first(part)}<br>enters through the dorsal root",
                width=2.2,
            ),
            "meta": {"nerve": root},
        },
        "entry",
    )
    c.fibre_legend(sensory)
    inputs = converging_inputs(ds, route)
    if inputs and layer_on(c, "somatic"):
        labels = "<br>".join(c.label_of(i) for i in inputs)
        c.add_revealed(
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
            "somatic",
            "convergence",
        )
        c.fibre_legend(somatic)
    tract = ascending_tract(ds) if "spinothalamic" in route.ascending else None
    if tract is not None:
        c.add_revealed(
            PANEL,
            nerve_trace(
                names.nerve_trace(tract.id),
                [tract_path],
                cns,
                c.hover(tract, extra=gettext(c.lang, "Crosses the midline, then ascends to the brain")),
                width=2.5,
            ),
            "ascend",
        )
        c.fibre_legend(cns)
        if sel.has("labels"):
            _reserve_upright(c, TRACT_X + 2.8, 52, c.label_of(tract))
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
    if tract is not None:
        c.label(PANEL, BRAIN[0], BRAIN[1] + 0.5, N_("brain"), colour=cns.colour, position="top center")
    column_path = _draw_dorsal_column(c, route) if column else []
    lamina_names = " and ".join(lam.upper() for lam in route.laminae)
    c.add_revealed(
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
        "convergence",
    )

    def halo(step, index: int) -> dict:
        lit = list(neurons) if step.kind in ("convergence", "ascend", "dorsal-column", "projection") else []
        if column_path and step.kind in ("dorsal-column", "projection"):
            lit.append(NEURON_X_AT)
        return {"x": [p[0] for p in lit], "y": [round(p[1], 2) for p in lit]}

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
        if step.kind == "projection" and tract is not None:
            return at(tract_path[-1])
        return hidden_points(COMET)

    def somatic_signal(step, index: int) -> dict:
        if step.kind == "somatic":
            return along(somatic_path, 0.25, 0.75)
        if step.kind == "convergence":
            return at((deepest[0] - 0.8, deepest[1]))
        if step.kind == "parietal-afferent":  # the somatic phase: the lining's own nerve
            return along(somatic_path, 0.25, 1.0)
        if step.kind == "localised":
            return along(tract_path, 0.35, 1.0) if tract is not None else at(deepest)
        return hidden_points(COMET)

    c.add_moving(PANEL, signal_trace(names.SIGNAL_HORN, sensory), c.step_patches(visceral))
    c.add_moving(PANEL, signal_trace(names.SIGNAL_HORN_SOMATIC, somatic), c.step_patches(somatic_signal))
    if column_path:

        def column_signal(step, index: int) -> dict:
            if step.kind == "dorsal-column":
                return along(column_path, 0.1, 1.0)
            if step.kind == "projection":
                return at(column_path[-1])
            return hidden_points(COMET)

        c.add_moving(PANEL, signal_trace(names.SIGNAL_DORSAL_COLUMN, column_fibre(c)), c.step_patches(column_signal))


def column_fibre(c: Canvas) -> Fibre:
    """The dorsal column pathway: the central colour, with its own dash and symbol."""
    cns = c.fibre("cns")
    return replace(cns, key="dorsal-column", label="Dorsal column, same side", dash="dot", symbol="diamond")


def _draw_dorsal_column(c: Canvas, route: Route) -> list[Pt]:
    """Lamina X's neuron and the postsynaptic dorsal column pathway: up the dorsal column of
    the same side (it does not cross) to the gracile nucleus. Returns the path."""
    ds = c.ds
    fibre = column_fibre(c)
    path = [NEURON_X_AT, (COLUMN_X, NEURON_X_AT[1] + 4.5), (COLUMN_X, 40.0), (COLUMN_X, 70.0), GRACILE]
    column = dorsal_column_tract(ds)
    hover = (
        "<b>Postsynaptic dorsal column pathway</b><br>From neurons around the central canal (lamina X),"
        "<br>up the dorsal column of the same side to the gracile nucleus.<br>Carries pelvic visceral pain."
    )
    if column is not None:
        hover = c.hover(column, extra=hover)
    c.add_revealed(
        PANEL,
        {
            **nerve_trace(names.DORSAL_COLUMN, [path], fibre, hover, width=2.5),
            "meta": {"step": "dorsal-column", "nerve": column.id if column else "", "laminae": ["x"]},
        },
        "dorsal-column",
    )
    c.legend_entry(
        "dorsal-column",
        N_("Dorsal column, same side"),
        {
            "mode": "lines+markers",
            "line": {"color": fibre.colour, "dash": fibre.dash, "width": 2.5},
            "marker": {"symbol": fibre.symbol, "color": fibre.colour, "size": 8},
        },
    )
    c.add_revealed(
        PANEL,
        {
            "name": names.NEURON_LAMINA_X,
            "mode": "markers",
            "x": [NEURON_X_AT[0]],
            "y": [NEURON_X_AT[1]],
            "marker": {"symbol": "circle", "size": 11, "color": style.WHITE, "line": {"color": fibre.colour, "width": 2.5}},
            "hovertext": gettext(c.lang, "<b>Neuron around the central canal</b> (lamina X)<br>Takes pelvic visceral input"),
            "hoverinfo": "text",
            "meta": {"step": "dorsal-column", "laminae": ["x"]},
        },
        "dorsal-column",
    )
    if c.sel.has("labels"):
        column_words = gettext(c.lang, "Dorsal column")
        _reserve_upright(c, COLUMN_X - 2.4, 80, column_words)
        c.annotations.append(
            {
                "text": column_words,
                "textangle": -90,
                "x": COLUMN_X - 2.4,
                "y": 80,
                "showarrow": False,
                "xref": c.axes(PANEL)["xaxis"],
                "yref": c.axes(PANEL)["yaxis"],
                "font": {"size": c.placement.label_size, "color": fibre.colour},
            }
        )
    c.label(PANEL, GRACILE[0] - 3.0, GRACILE[1] + 1.5, "gracile<br>nucleus", colour=fibre.colour, position="top center")
    return path


def _reserve_upright(c: Canvas, x: float, y: float, words: str) -> None:
    """Keep the labels off a text written upwards (rotated -90 degrees) centred at (x, y)."""
    char, line = c.text_units(PANEL)
    half_long, half_short = len(words) * char / 2, line / 2
    c.reserve(PANEL, (x - half_short, y - half_long, x + half_short, y + half_long))


def _description(c: Canvas, lamina: Lamina) -> str:
    return f"<i>{text(lamina.description, c.lang)}</i>" if lamina.description else ""


def _empty_signals(c: Canvas) -> None:
    """The horn's signal traces exist in every figure (empty when nothing converges)."""
    patches = c.step_patches(lambda step, i: hidden_points(COMET))
    c.add_moving(PANEL, signal_trace(names.SIGNAL_HORN, c.fibre("sensory")), patches)
    c.add_moving(PANEL, signal_trace(names.SIGNAL_HORN_SOMATIC, c.fibre("somatic")), patches)
