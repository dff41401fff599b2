"""Pure figure builders: (Dataset, ViewState) -> plotly figure data. No Dash here.

    scene(ds, arrangement="wide", width=None, lang="en", anatomy="front") -> dict
        the static anatomy, the same for every selection: send it once per page
    route_layer(ds, state, arrangement="wide", width=None) -> dict
        what the view state lights and moves: traces, shapes, annotations, frames, layout keys
    compose(scene, layer) -> dict (the figure: {"data", "layout", "frames"})
    figure_dict(ds, state, arrangement="wide", width=None) -> dict = compose(scene, route_layer)
        notes=True (each builder) draws the route's note under the legend: a standalone
        figure's; the page shows the note beside the figure instead
    build_figure(ds, state, arrangement="wide") -> go.Figure
    resolve_selection(ds, state) -> Selection
    animation_steps(ds, route, lang="en") -> list[Step]

Trace names are constants and builders in :mod:`painmap.figures.names`.
"""

from painmap.figures.build import build_figure, compose, figure_dict, route_layer, scene
from painmap.figures.layout import ARRANGEMENTS
from painmap.figures.selection import Selection, resolve_selection
from painmap.figures.steps import Step, animation_steps

__all__ = [
    "ARRANGEMENTS",
    "Selection",
    "Step",
    "animation_steps",
    "build_figure",
    "compose",
    "figure_dict",
    "resolve_selection",
    "route_layer",
    "scene",
]
