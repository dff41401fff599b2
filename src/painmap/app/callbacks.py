"""Callbacks, registered on one app inside the factory (never module-level @callback).

One server callback turns (URL, control or click) into a ViewState and renders from it;
playback and stepping run in the browser (assets/painmap.js) with no server round trip.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

import dash
from dash import ClientsideFunction, Input, Output, State, ctx

from painmap import figures, query
from painmap.app import ids, panels
from painmap.app.transitions import apply_click, apply_control, clean
from painmap.model import Dataset, text
from painmap.viewstate import LAYERS, ViewState

CONTROL_IDS = (
    ids.ORGAN, ids.PART, ids.ROUTE, ids.ZONE, ids.SEGMENT, ids.COMPARE, ids.LAYERS, ids.ANATOMY, ids.SPEED, ids.LANG,
)
#: Below this viewport width (CSS pixels) the figure stacks its panels for a phone.
PHONE_WIDTH = 700


def register_callbacks(app: dash.Dash, ds: Dataset) -> None:
    """Wire the app's callbacks for dataset ``ds``."""

    @lru_cache(maxsize=256)
    def cached_figure(state: ViewState, arrangement: str, width: int) -> dict:
        # Figures are pure functions of (dataset, state, size): cache them per process.
        return figures.figure_dict(ds, state, arrangement, width)

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.GRAPH, "figure"),
        Output(ids.GRAPH, "style"),
        *(Output(c, "value" if c != ids.LANG or len(ds.languages) > 1 else "data") for c in CONTROL_IDS),
        Output(ids.PART, "options"),
        Output(ids.ROUTE, "options"),
        Output(ids.SUMMARY, "children"),
        Output(ids.DISPUTE, "children"),
        Output(ids.STEPS, "children"),
        Output(ids.STEP_CAPTION, "children"),
        Output(ids.PLAYER, "hidden"),
        Output(ids.STEPS_PANEL, "hidden"),
        Output(ids.SOURCES, "children"),
        Output(ids.RED_FLAGS, "children"),
        Output(ids.SHARE_LINK, "value"),
        Output(ids.EMBED_CODE, "value"),
        Output("page", "className"),
        Input(ids.URL, "search"),
        Input(ids.GRAPH, "clickData"),
        *(Input(c, "value" if c != ids.LANG or len(ds.languages) > 1 else "data") for c in CONTROL_IDS),
        Input(ids.VIEWPORT, "data"),
        State(ids.URL, "href"),
    )
    def render(search, click, *values):
        *control_values, viewport, href = values
        trigger = ctx.triggered_id
        state = clean(ds, ViewState.from_query(search))
        if trigger == ids.GRAPH and click:
            shown = cached_figure(state, *figure_size(viewport))
            state = clean(ds, apply_click(ds, state, clicked_entity(click, shown)))
        elif trigger in CONTROL_IDS:
            value = control_values[CONTROL_IDS.index(trigger)]
            state = clean(ds, apply_control(ds, state, trigger, value))
        return view_outputs(ds, state, viewport, href, cached_figure)

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


def in_page(figure: dict) -> dict:
    """The figure as the page shows it: without the in-figure play buttons, which serve
    standalone exports; the page has its own, larger player."""
    layout = {k: v for k, v in figure["layout"].items() if k != "updatemenus"}
    return {**figure, "layout": layout}


def figure_size(viewport: object) -> tuple[str, int]:
    """(arrangement, width) for the graph box the browser reported.

    'tall' stacks the panels on a phone. Widths snap to 40-pixel steps so that figures of
    nearby sizes share a cache entry.
    """
    info = viewport if isinstance(viewport, dict) else {}
    window = info.get("width") if isinstance(info.get("width"), (int, float)) else 1280
    box = info.get("graph") if isinstance(info.get("graph"), (int, float)) and info.get("graph") > 0 else None
    arrangement = "tall" if window < PHONE_WIDTH else "wide"
    if box is None:
        return arrangement, {"wide": 1280, "tall": 390}[arrangement]
    return arrangement, int(box // 40 * 40) if arrangement == "wide" else int(box // 10 * 10)


def clicked_entity(click: dict, figure: dict) -> str | None:
    """'part:<id>', 'zone:<id>', ... for a click: the point's customdata, else its trace's name.

    plotly.js gives no customdata for a click on a filled area, so the trace is looked up
    in the figure the user clicked (the cached figure of the current state).
    """
    point = (click.get("points") or [{}])[0]
    if isinstance(point.get("customdata"), str):
        return point["customdata"]
    data = figure.get("data", [])
    curve = point.get("curveNumber")
    if isinstance(curve, int) and 0 <= curve < len(data):
        return figures.names.entity_of_trace(data[curve].get("name"))
    return None


def page_link(href: str | None, state: ViewState, **extra: str) -> str:
    """The absolute link that reopens ``state`` (``extra`` adds query parameters)."""
    base = (href or "/").split("?")[0].split("#")[0]
    query_string = state.to_query()
    if extra:
        query_string += ("&" if query_string else "?") + urlencode(extra)
    return base + query_string


def view_outputs(ds: Dataset, state: ViewState, viewport, href, cached_figure) -> tuple:
    """Everything the page shows for ``state``, in the order of the callback's outputs."""
    lang = state.lang
    selection = figures.resolve_selection(ds, state)
    route = ds.route.get(selection.route)

    parts = []
    if state.organ:
        parts = [{"label": text(p.label, lang), "value": p.id} for p in ds.organ[state.organ].parts]
    route_options = []
    if state.organ:
        route_options = [
            {"label": f"{text(r.label, lang) or r.id} ({r.kind})", "value": r.id}
            for r in query.routes_for_organ(ds, state.part or state.organ)
        ]

    if state.zone:
        summary = panels.zone_summary(ds, state.zone, lang)
    elif state.segment:
        summary = panels.segment_summary(ds, state.segment, lang)
    elif route is not None:
        summary = panels.route_summary(ds, route, lang)
    else:
        summary = [
            "Choose an organ to follow its pain into the spinal cord, or choose where pain is felt "
            "to see which organs can refer there. You can also click the picture."
        ]
    if state.compare and state.organ:
        summary = [*summary, *panels.compare_summary(ds, state.organ, state.compare, lang)]

    steps = figures.animation_steps(ds, route) if route is not None else []
    step = min(state.step, len(steps) - 1) if steps else 0
    caption = f"{steps[step].caption} ({steps[step].term})" if steps else ""  # for screen readers
    shown_routes = [ds.route[r] for r in selection.routes]
    if state.zone:
        shown_routes += query.routes_for_zone(ds, state.zone)
    elif state.segment:
        shown_routes += query.routes_for_segment(ds, state.segment)
    organs_on_screen = list(dict.fromkeys([*(r.organ for r in shown_routes), state.organ, state.compare]))
    link = page_link(href, state.with_(embed=False))
    embed_link = page_link(href, state.with_(embed=True))
    embed_code = (
        f'<iframe src="{embed_link}" width="960" height="640" style="border:0" '
        f'title="painmap: referred pain" loading="lazy"></iframe>'
    )
    control_values = (
        state.organ or None,
        state.part or None,
        state.route or (route.id if route is not None and state.organ else None),
        state.zone or None,
        state.segment or None,
        state.compare or None,
        [layer for layer in LAYERS if layer in state.layers],
        state.anatomy,
        state.speed,
        state.lang,
    )
    figure = cached_figure(state, *figure_size(viewport))
    return (
        state.to_query(),
        in_page(figure),
        {"height": f"{figure['layout']['height']}px"},
        *control_values,
        parts,
        route_options,
        summary,
        panels.dispute_box(ds, route, lang),
        panels.steps_list(steps, step),
        caption,
        not steps,
        not steps,
        panels.sources_panel(ds, panels.source_ids_on_screen(ds, shown_routes)),
        panels.red_flags_panel(ds, [o for o in organs_on_screen if o], lang),
        link,
        embed_code,
        "page embed" if state.embed else "page",
    )
