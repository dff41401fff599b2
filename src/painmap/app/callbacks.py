"""Callbacks, registered on one app inside the factory (never module-level @callback).

One server callback turns (URL, control or click) into a ViewState with ``page.next_state``
and shows it with ``page.page``; its outputs are named, so nothing has to stay in step by
hand. Playback and stepping run in the browser (assets/painmap.js) with no server round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import dash
from dash import ClientsideFunction, Input, Output, State, ctx

from painmap import figures
from painmap.anatomy_sex import by_sex
from painmap.app import ids
from painmap.app.page import CONTROL_IDS, control_property, figure_size, next_state, outputs, page
from painmap.model import Dataset
from painmap.viewstate import ViewState

#: Views each worker keeps built; a view is a pure function of (dataset, state, size).
FIGURE_CACHE_SIZE = 256


def register_callbacks(app: dash.Dash, ds: Dataset, anatomies: Mapping[str, Dataset] | None = None) -> None:
    """Wire the app's callbacks for dataset ``ds`` (``anatomies``: its female, male and both
    views, built once by the factory; read-only, never per request)."""
    anatomies = anatomies if anatomies is not None else by_sex(ds)

    @lru_cache(maxsize=FIGURE_CACHE_SIZE)
    def cached_figure(state: ViewState, arrangement: str, width: int) -> dict:
        return figures.figure_dict(anatomies.get(state.sex, ds), state, arrangement, width)

    @app.callback(
        output={name: Output(component, prop) for name, (component, prop) in outputs(ds).items()},
        inputs={
            "search": Input(ids.URL, "search"),
            "click": Input(ids.GRAPH, "clickData"),
            "controls": {c: Input(c, control_property(ds, c)) for c in CONTROL_IDS},
            "viewport": Input(ids.VIEWPORT, "data"),
            "href": State(ids.URL, "href"),
        },
    )
    def render(search, click, controls, viewport, href):
        trigger = ctx.triggered_id
        shown = None
        if trigger == ids.GRAPH:  # the figure the user clicked: its traces name what was hit
            clicked = ViewState.from_query(search)
            shown = cached_figure(clicked.canonical(anatomies.get(clicked.sex, ds)), *figure_size(viewport))
        value = controls.get(trigger) if isinstance(trigger, str) else None
        state = next_state(ds, search, trigger, value, click, shown, anatomies)
        return page(ds, state, viewport, href, cached_figure, anatomies, search=search)

    app.clientside_callback(
        ClientsideFunction(namespace="painmap", function_name="viewport"),
        Output(ids.VIEWPORT, "data"),
        Input(ids.URL, "pathname"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="painmap", function_name="player"),
        Output(ids.STEP_STORE, "data"),
        Input(ids.STEP_BACK, "n_clicks"),
        Input(ids.STEP_FORWARD, "n_clicks"),
        Input(ids.STEP_PLAY, "n_clicks"),
        Input(ids.STEP_PAUSE, "n_clicks"),
        Input(ids.SPEED, "value"),
        Input(ids.GRAPH, "figure"),
        prevent_initial_call=True,
    )
