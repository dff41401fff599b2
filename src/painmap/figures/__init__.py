"""Pure figure builders: (Dataset, ViewState) -> plotly figure. No Dash here.

    build_figure(ds, state, arrangement="wide") -> go.Figure
    figure_dict(ds, state, arrangement="wide") -> dict (plain data, not validated)
    resolve_selection(ds, state) -> Selection
    animation_steps(ds, route, lang="en") -> list[Step]

Trace names are constants in :mod:`painmap.figures.names`.
"""

from painmap.figures.build import build_figure, figure_dict
from painmap.figures.selection import Selection, resolve_selection
from painmap.figures.steps import Step, animation_steps

__all__ = ["Selection", "Step", "animation_steps", "build_figure", "figure_dict", "resolve_selection"]
