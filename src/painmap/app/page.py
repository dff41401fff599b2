"""The page contract, testable without a browser: two pure functions.

    next_state(ds, query, trigger, value, click, shown) -> ViewState
        the view after a user's action (a control, a click on the figure, or the URL itself);
    page(ds, state, viewport, href) -> dict
        everything the page shows for that view, keyed by the names of ``outputs(ds)``.

The server callback (callbacks.py) is a few lines that call these two. Both are total:
any query string, trigger, value, click or viewport gives a working page with its red flags.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from dash import html

from painmap import figures, query
from painmap.anatomy_sex import for_sex
from painmap.app import embed, ids, panels
from painmap.app.transitions import apply_click, apply_control
from painmap.model import Dataset, Route, text
from painmap.viewstate import LAYERS, ViewState

#: The controls whose value is part of the view, in the order the layout shows them.
CONTROL_IDS: tuple[str, ...] = (
    ids.ORGAN, ids.PART, ids.ROUTE, ids.ZONE, ids.SEGMENT, ids.COMPARE, ids.LAYERS, ids.ANATOMY, ids.SEX, ids.SPEED,
    ids.LANG,
)
#: Below this viewport width (CSS pixels) the figure stacks its panels for a phone.
PHONE_WIDTH = 600
LANDING_TEXT = (
    "Choose an organ to follow its pain into the spinal cord, or choose where pain is felt "
    "to see which organs can refer there. You can also click the picture."
)

FigureBuilder = Callable[[ViewState, str, int], dict]
#: '' (both), 'female', 'male' -> the dataset that anatomy sees (anatomy_sex.by_sex).
Anatomies = Mapping[str, Dataset]


def dataset_for(ds: Dataset, sex: str, anatomies: Anatomies | None = None) -> Dataset:
    """The dataset the ``sex`` anatomy sees: from ``anatomies`` when given (the app builds
    them once), else made now (tests, exports)."""
    if anatomies is not None and sex in anatomies:
        return anatomies[sex]
    return for_sex(ds, sex)


def control_property(ds: Dataset, control: str) -> str:
    """The property that holds a control's value (one language: the picker is a Store)."""
    return "data" if control == ids.LANG and len(ds.languages) < 2 else "value"


def outputs(ds: Dataset) -> dict[str, tuple[str, str]]:
    """Name -> (component id, property) of everything ``page`` returns: the callback's outputs."""
    named = {
        "search": (ids.URL, "search"),
        "figure": (ids.GRAPH, "figure"),
        "graph_style": (ids.GRAPH, "style"),
        **{control: (control, control_property(ds, control)) for control in CONTROL_IDS},
        "organ_options": (ids.ORGAN, "options"),
        "compare_options": (ids.COMPARE, "options"),
        "zone_options": (ids.ZONE, "options"),
        "part_options": (ids.PART, "options"),
        "route_options": (ids.ROUTE, "options"),
        "summary": (ids.SUMMARY, "children"),
        "dispute": (ids.DISPUTE, "children"),
        "steps": (ids.STEPS, "children"),
        "caption": (ids.STEP_CAPTION, "children"),
        "player_hidden": (ids.PLAYER, "hidden"),
        "steps_hidden": (ids.STEPS_PANEL, "hidden"),
        "sources": (ids.SOURCES, "children"),
        "red_flags": (ids.RED_FLAGS, "children"),
        "share_link": (ids.SHARE_LINK, "value"),
        "embed_code": (ids.EMBED_CODE, "value"),
        "page_class": (ids.PAGE, "className"),
        "open_link": (embed.OPEN_APP, "href"),
        "open_link_hidden": (embed.OPEN_APP, "hidden"),
    }
    return named


# --------------------------------------------------------------------------- next_state


def next_state(
    ds: Dataset,
    search: object,
    trigger: object = None,
    value: object = None,
    click: object = None,
    shown: dict | None = None,
    anatomies: Anatomies | None = None,
) -> ViewState:
    """The view after ``trigger``: a control id (with its new ``value``), ``ids.GRAPH`` (with
    the ``click`` event data and the figure ``shown`` when it was clicked), or anything else
    (the URL itself: ``search`` is the address bar's query string). Ids are read in the
    dataset of the view's anatomy (``anatomies``, see :func:`dataset_for`)."""
    state = ViewState.from_query(search)
    seen = dataset_for(ds, state.sex if isinstance(state.sex, str) else "", anatomies)
    state = state.canonical(seen)
    if trigger == ids.GRAPH:
        state = apply_click(seen, state, clicked_entity(click, shown))
    elif trigger in CONTROL_IDS:
        state = apply_control(seen, state, trigger, value)
    return state.canonical(dataset_for(ds, state.sex, anatomies))


def clicked_entity(click: object, figure: dict | None) -> str | None:
    """'part:<id>', 'zone:<id>', ... for a click: the point's customdata, else its trace's name.

    plotly.js gives no customdata for a click on a filled area, so the trace is looked up
    in the figure the user clicked. Anything that is not a plotly click gives None.
    """
    points = click.get("points") if isinstance(click, dict) else None
    point = points[0] if isinstance(points, list) and points and isinstance(points[0], dict) else {}
    if isinstance(point.get("customdata"), str):
        return point["customdata"]
    data = figure.get("data", []) if isinstance(figure, dict) else []
    curve = point.get("curveNumber")
    if isinstance(curve, int) and 0 <= curve < len(data):
        return figures.names.entity_of_trace(data[curve].get("name"))
    return None


# --------------------------------------------------------------------------- page


def figure_size(viewport: object) -> tuple[str, int]:
    """(arrangement, width) for the graph box the browser reported.

    'tall' stacks the panels on a phone. Widths snap to 40-pixel steps (10 on a phone) so
    that figures of nearby sizes share a cache entry; nonsense sizes give the defaults.
    """
    info = viewport if isinstance(viewport, dict) else {}

    def number(key: str) -> float | None:
        found = info.get(key)
        if isinstance(found, bool) or not isinstance(found, (int, float)):
            return None
        try:
            value = float(found)
        except OverflowError:  # an int too big for a float is just big
            value = 1e6
        return value if math.isfinite(value) and value > 0 else None

    window = number("width") or 1280.0
    box = number("graph")
    arrangement = "tall" if window < PHONE_WIDTH else "wide"
    if box is None:
        return arrangement, {"wide": 1280, "tall": 390}[arrangement]
    box = min(box, 4000.0)
    return arrangement, int(box // 40 * 40) if arrangement == "wide" else int(box // 10 * 10)


def in_page(figure: dict) -> dict:
    """The figure as the page shows it: without the in-figure play buttons, which serve
    standalone exports; the page has its own, larger player."""
    layout = {k: v for k, v in figure["layout"].items() if k != "updatemenus"}
    return {**figure, "layout": layout}


def page_link(href: object, state: ViewState, **extra: str) -> str:
    """The absolute link that reopens ``state`` in the full app (``extra`` adds query parameters).

    From an embed's address too: the link names the app, not the frame's /embed."""
    query_string = state.to_query()
    if extra:
        query_string += ("&" if query_string else "?") + urlencode(extra)
    return embed.app_base(href) + query_string


def compare_notice(ds: Dataset, search: object) -> str:
    """The line that says why a link's comparison was dropped: it compared the organ with itself."""
    incoming = ViewState.from_query(search)
    if not incoming.compare:
        return ""
    seen = dataset_for(ds, incoming.sex if isinstance(incoming.sex, str) else "")
    organ = incoming.with_(compare="").canonical(seen).organ
    if organ and incoming.compare == organ:
        return f"The comparison was dropped: {text(seen.organ[organ].label, incoming.lang)} cannot be compared with itself."
    return ""


def summary_panel(
    ds: Dataset, state: ViewState, route: Route | None, steps: list | None = None, notice: str = ""
) -> list:
    """The question on screen answered in words: a zone, a segment, a route or the landing text.

    A route's explanation lists every mechanism its ``steps`` link to; ``notice`` (what a link
    asked for that could not be shown) comes first."""
    lang = state.lang
    if state.zone:
        summary = panels.zone_summary(ds, state.zone, lang)
    elif state.segment:
        summary = panels.segment_summary(ds, state.segment, lang)
    elif route is not None:
        step_mechanisms = tuple(dict.fromkeys(s.mechanism for s in steps or () if s.mechanism))
        summary = panels.route_summary(ds, route, lang, step_mechanisms)
    else:
        summary = [html.P(LANDING_TEXT)]
    if state.compare and state.organ:
        summary = [*summary, *panels.compare_summary(ds, state.organ, state.compare, lang)]
    if notice:
        summary = [html.P(notice, className="notice", role="status"), *summary]
    return summary


def routes_on_screen(ds: Dataset, state: ViewState, selection: figures.Selection) -> list[Route]:
    """Routes the page speaks of: the drawn ones, or a zone's or a segment's look-up."""
    shown = [ds.route[r] for r in selection.routes]
    if state.zone:
        shown += query.routes_for_zone(ds, state.zone)
    elif state.segment:
        shown += query.routes_for_segment(ds, state.segment)
    return shown


def organ_options(ds: Dataset, lang: str = "en") -> list[dict[str, str]]:
    """The organ picker's choices (and the comparison's): the organs of the view's anatomy."""
    return [{"label": text(o.label, lang), "value": o.id} for o in ds.organs]


def control_values(ds: Dataset, state: ViewState, route: Route | None) -> dict[str, object]:
    """What each control shows for ``state`` (None: nothing chosen)."""
    return {
        ids.ORGAN: state.organ or None,
        ids.PART: state.part or None,
        ids.ROUTE: state.route or (route.id if route is not None and state.organ else None),
        ids.ZONE: state.zone or None,
        ids.SEGMENT: state.segment or None,
        ids.COMPARE: state.compare or None,
        ids.LAYERS: [layer for layer in LAYERS if layer in state.layers],
        ids.ANATOMY: state.anatomy,
        ids.SEX: state.sex,
        ids.SPEED: state.speed,
        ids.LANG: state.lang,
    }


def page(
    ds: Dataset,
    state: ViewState,
    viewport: object = None,
    href: object = None,
    build: FigureBuilder | None = None,
    anatomies: Anatomies | None = None,
    search: object = None,
) -> dict[str, object]:
    """Everything the page shows for ``state``, keyed like ``outputs(ds)``.

    ``build(state, arrangement, width)`` makes the figure (the app passes a cached one);
    ``href`` is the page's address, for the share link and the embed code (a path ending in
    /embed is the embedded view); ``search`` is the query the view came from, for notices. Organs, zones,
    names and red flags are those of the view's anatomy (``state.sex``; ``anatomies`` holds
    the datasets the app built once, see :func:`dataset_for`).
    """
    notice = compare_notice(ds, search)
    ds = dataset_for(ds, state.sex if isinstance(state.sex, str) else "", anatomies)
    state = state.canonical(ds)
    lang = state.lang
    build = build or (lambda s, arrangement, width: figures.figure_dict(ds, s, arrangement, width))
    selection = figures.resolve_selection(ds, state)
    route = ds.route.get(selection.route)

    part_options = []
    route_options = []
    if state.organ:
        part_options = [{"label": text(p.label, lang), "value": p.id} for p in ds.organ[state.organ].parts]
        route_options = [
            {"label": f"{text(r.label, lang) or r.id} ({r.kind})", "value": r.id}
            for r in query.routes_for_organ(ds, state.part or state.organ)
        ]

    steps = figures.animation_steps(ds, route, lang) if route is not None else []
    step = min(state.step, len(steps) - 1) if steps else 0
    caption = f"{steps[step].caption} ({steps[step].term})" if steps else ""  # for screen readers
    shown_routes = routes_on_screen(ds, state, selection)
    organs_on_screen = [o for o in dict.fromkeys([*(r.organ for r in shown_routes), state.organ, state.compare]) if o]
    embedded = embed.is_embed(href)
    title = embed.view_title(ds, state)
    figure = build(state, *figure_size(viewport))
    return {
        "search": state.to_query(),
        "figure": in_page(figure),
        "graph_style": {"height": f"{figure['layout']['height']}px"},
        **control_values(ds, state, route),
        "organ_options": organ_options(ds, lang),
        "compare_options": organ_options(ds, lang),
        "zone_options": [{"label": text(z.label, lang), "value": z.id} for z in ds.zones],
        "part_options": part_options,
        "route_options": route_options,
        "summary": summary_panel(ds, state, route, steps, notice),
        "dispute": panels.dispute_box(ds, route, lang),
        "steps": panels.steps_list(steps, step, ds, lang),
        "caption": caption,
        "player_hidden": not steps,
        "steps_hidden": not steps,
        "sources": panels.sources_panel(ds, panels.source_ids_on_screen(ds, shown_routes)),
        "red_flags": panels.red_flags_panel(ds, organs_on_screen, lang),
        "share_link": page_link(href, state),
        "embed_code": embed.embed_codes(embed.embed_base(href) + state.to_query(), title),
        "page_class": "page embed" if embedded else "page",
        "open_link": page_link(href, state),
        "open_link_hidden": not embedded,
    }
