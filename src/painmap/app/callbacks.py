"""Callbacks, registered on one app inside the factory (never module-level @callback).

One server callback turns (URL, control or click) into a ViewState with ``page.next_state``
and shows it with ``page.page``; its outputs are named, so nothing has to stay in step by
hand. Playback and stepping run in the browser (assets/painmap.js) with no server round trip.

The figure is two graphs (see ``page.views``): the static scene, sent once per page, and the
route layer over it. The browser keeps, in ``ids.SHOWN``, which page the server drew last;
the answer to a choice carries only what differs from it (``page.answer``): a ``Patch`` of
what changed in the layer and in each panel's data (or the new value, when that is shorter),
and ``no_update`` for every unchanged output, the scene among them. The text panels travel as
compact data the page draws itself (``wire.py``, ``assets/panels.js``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache

import dash
from dash import ClientsideFunction, Input, Output, State, ctx

from painmap import figures
from painmap.anatomy_sex import by_sex
from painmap.app import ids, quiz_view
from painmap.app.answer_cache import keep_answers
from painmap.app.bounded import bytes_bounded, deep_size, json_estimate
from painmap.app.page import (
    CONTROL_IDS,
    answer,
    compare_notice,
    clicks_record,
    control_property,
    figure_size,
    layers_of,
    next_state,
    outputs,
    outputs_json,
    page,
    route_layers,
    scene_figure,
    shown_of,
    unseen_click,
)
from painmap.app.panels import PICKER_OPTIONS, organ_options, search_results
from painmap.app.wire import PANELS, on_the_wire, store_id
from painmap.figures.bodymap import body_map
from painmap.figures.layout import DESIGN_WIDTH, MIN_WIDTH
from painmap.model import Dataset
from painmap.viewstate import ViewState

#: Bytes of built views each worker keeps (their route layers, estimated by bounded.json_estimate;
#: the scene they draw over is shared and counted once, in the scene cache); a view is a pure
#: function of (dataset, state, size).
FIGURE_CACHE_BYTES = 24 * 1024 * 1024
#: Bytes of scenes each worker keeps, in each of the two scene caches (one per anatomy, language,
#: size and scene layers; a scene is 0.5-2 MB of Python objects).
SCENE_CACHE_BYTES = 32 * 1024 * 1024
#: Bytes of pages each worker keeps (their outputs, the route layer among them but not the
#: shared scene, and their JSON), to tell what a choice changes.
PAGE_CACHE_BYTES = 32 * 1024 * 1024
#: Answers (what changes between two pages) each worker keeps.
PAGE_CACHE_SIZE = 256

#: The language picker: the page's own words are its layout's, one layout per language
#: (factory.layout_language), so a new language reloads the page with ``lang`` in its query.
#: Nothing happens when the page's layout is in that language already (its ``data-layout-lang``)
#: or the address the page was loaded from asked for it (no reload loop when a proxy withholds the
#: referrer and the English layout comes back: ``<html lang>`` is no guide, painmap.js sets it to
#: the figure's). The server's answer to the choice may have written ``lang`` into the address
#: already: the page is reloaded all the same.
SWITCH_LANGUAGE = """function(lang) {
    var params = new URLSearchParams(window.location.search);
    var root = document.getElementById('page');
    var layout = (root && root.getAttribute('data-layout-lang')) || 'en';
    var first = (window.performance && performance.getEntriesByType('navigation')[0]) || {name: window.location.href};
    var opened = new URL(first.name, window.location.href).searchParams.get('lang') || 'en';
    if (typeof lang !== 'string' || !lang || lang === layout || lang === opened) {
        return;
    }
    params.set('lang', lang);
    window.location.search = '?' + params.toString();
}"""


def drawn_size(size: tuple[str, int]) -> tuple[str, int]:
    """(arrangement, width) with the width clamped as the figures clamp it (figures.layout.place:
    from the arrangement's narrowest to twice its design width): boxes wider or narrower than
    that draw the same figure, so they share one cache entry."""
    arrangement, width = size
    return arrangement, max(MIN_WIDTH[arrangement], min(width, 2 * DESIGN_WIDTH[arrangement]))


def address(href: object) -> str:
    """The page's address without its query and fragment: all that ``page`` reads of it."""
    return (href if isinstance(href, str) and href else "/").split("?")[0].split("#")[0]


def story_search(ds: Dataset, words: object, lang: object = "en", search: object = "") -> list:
    """The search box's answer: links to the stories, organs, parts and zones ``words`` may mean
    (see :func:`painmap.app.panels.search_results`), shown as the page at ``search`` (its query)
    shows things: language, mode, anatomy. Total for any input."""
    return search_results(
        ds, words, lang if isinstance(lang, str) and lang in ds.languages else "en", keep=ViewState.from_query(search)
    )


def kept_page_bytes(kept: tuple[dict, dict[str, str]]) -> int:
    """About the bytes a kept page takes (its outputs and their JSON, see ``cached_page``): its
    route layer, which the page's JSON leaves out, and that JSON."""
    outputs, texts = kept
    return json_estimate(outputs.get("figure")) + sum(map(json_estimate, texts.values()))


def register_callbacks(app: dash.Dash, ds: Dataset, anatomies: Mapping[str, Dataset] | None = None) -> None:
    """Wire the app's callbacks for dataset ``ds`` (``anatomies``: its female, male and both
    views, built once by the factory; read-only, never per request)."""
    anatomies = anatomies if anatomies is not None else by_sex(ds)

    def seen(sex: str) -> Dataset:
        return anatomies.get(sex, ds)

    @bytes_bounded(SCENE_CACHE_BYTES, size_of=deep_size)
    def cached_base(sex: str, lang: str, anatomy: str, arrangement: str, width: int, large: bool = False) -> dict:
        return figures.scene(seen(sex), arrangement, width, lang=lang, anatomy=anatomy, large=large)

    @bytes_bounded(SCENE_CACHE_BYTES, size_of=deep_size)  # what it shares with its base is counted twice: an upper bound
    def cached_scene(
        sex: str, lang: str, anatomy: str, arrangement: str, width: int, layers: tuple[str, ...], large: bool = False
    ) -> dict:
        base = cached_base(sex, lang, anatomy, arrangement, width, large)
        return scene_figure(base, {"layout": {"meta": {"layers": list(layers)}}})

    @bytes_bounded(FIGURE_CACHE_BYTES, size_of=lambda views: json_estimate(views[1:]))
    def cached_views(state: ViewState, arrangement: str, width: int) -> tuple[dict, dict, dict]:
        large = state.mode == "patient"  # patient mode: figure text 16 px or more
        base = cached_base(state.sex, state.lang, state.anatomy, arrangement, width, large)
        layer = figures.route_layer(seen(state.sex), state, arrangement, width, large=large)
        scene = cached_scene(state.sex, state.lang, state.anatomy, arrangement, width, tuple(layers_of(layer)), large)
        return (scene, *route_layers(base, layer))

    @bytes_bounded(PAGE_CACHE_BYTES, size_of=kept_page_bytes)
    def cached_page(state: ViewState, arrangement: str, width: int, href: str, search: str):
        out = on_the_wire(page(ds, state, None, href, cached_views, anatomies, search=search, size=(arrangement, width)))
        return out, outputs_json(out)

    registered = set(app.callback_map)
    @app.callback(
        output={name: Output(component, prop) for name, (component, prop) in outputs(ds).items()},
        inputs={
            "search": Input(ids.URL, "search"),
            "click": Input(ids.SCENE_GRAPH, "clickData"),
            "body_click": Input(ids.BODY_MAP, "clickData"),
            "controls": {c: Input(c, control_property(ds, c)) for c in CONTROL_IDS},
            "viewport": Input(ids.VIEWPORT, "data"),
            "href": State(ids.URL, "href"),
            "shown": State(ids.SHOWN, "data"),
        },
    )
    def render(search, click, body_click, controls, viewport, href, shown):
        trigger = ctx.triggered_id
        clicks = {ids.SCENE_GRAPH: click, ids.BODY_MAP: body_click}
        if trigger == ids.VIEWPORT:  # a re-measured size overtook a click's answer: apply the click
            trigger = unseen_click(clicks, shown) or trigger
        figure = None
        if trigger == ids.BODY_MAP:  # patient mode's body map: its traces name the zone touched
            touched = ViewState.from_query(search)
            figure, click = body_map(seen(touched.sex if isinstance(touched.sex, str) else ""), touched.lang), body_click
        if trigger == ids.SCENE_GRAPH:  # the scene the user clicked: its traces name what was hit
            clicked = ViewState.from_query(search)
            figure = cached_views(clicked.canonical(seen(clicked.sex)), *drawn_size(figure_size(viewport)))[0]
        value = controls.get(trigger) if isinstance(trigger, str) else None
        state = next_state(ds, search, trigger, value, click, figure, anatomies)
        here = address(href)
        # the address the view came from matters only for its notice: a page is built once for all others
        origin = search if isinstance(search, str) and compare_notice(ds, search) else ""
        now = (state, *drawn_size(figure_size(viewport)), here, origin)
        before = shown_of(shown)
        drawn = cached_page(*now)[0]
        if before is None:
            out = dict(drawn)
        else:
            query, old_arrangement, old_width, old_search = before
            was = (next_state(ds, query, anatomies=anatomies), *drawn_size((old_arrangement, old_width)), here, old_search)
            out = dict(cached_answer(was, now))
        if trigger in CONTROL_IDS:
            # the control shows the value the user just gave it, not the page's before: send the
            # server's value whole (a change to the old value would be applied to the new one)
            out[trigger] = dash.no_update if drawn[trigger] == value else drawn[trigger]
        # every click this request carried has been answered, applied or overruled
        out["shown"] = {**drawn["shown"], "clicks": clicks_record(clicks)}
        return out

    # The page's answers kept encoded (see answer_cache): a repeated request costs no JSON.
    keep_answers(app.server, next(iter(set(app.callback_map) - registered)))

    @lru_cache(maxsize=PAGE_CACHE_SIZE)
    def cached_answer(was: tuple, now: tuple) -> dict:
        """What changes from page ``was`` to page ``now`` (both keys of ``cached_page``)."""
        new, new_json = cached_page(*now)
        old, old_json = cached_page(*was)
        return answer(new, old, old_json, new_json)

    @app.callback(
        Output(ids.STORY_RESULTS, "children"),
        Input(ids.STORY_SEARCH, "value"),
        State(ids.LANG, control_property(ds, ids.LANG)),
        State(ids.URL, "search"),
    )
    def search(words, lang, query):
        return story_search(ds, words, lang, query)

    quiz_view.register_quiz_callbacks(app, ds)

    if any(len(view.organs) > PICKER_OPTIONS for view in (ds, *anatomies.values())):
        # a long organ list is sent as the organs matching what the user types (panels.organ_options)
        for picker in (ids.ORGAN, ids.COMPARE):

            @app.callback(
                Output(picker, "options", allow_duplicate=True),
                Input(picker, "search_value"),
                State(picker, "value"),
                State(ids.URL, "search"),
                prevent_initial_call=True,
            )
            def matching_organs(words, chosen, search):
                shown = ViewState.from_query(search)
                lang = shown.lang if shown.lang in ds.languages else "en"
                return organ_options(seen(shown.sex if isinstance(shown.sex, str) else ""), lang, chosen, words)

    if len(ds.languages) > 1:  # the picker opens the page in its language (see SWITCH_LANGUAGE)
        app.clientside_callback(SWITCH_LANGUAGE, Input(ids.LANG, "value"), prevent_initial_call=True)
    # the text panels are drawn by the page from their stores (wire.py, assets/panels.js)
    app.clientside_callback(
        "function() { window.dash_clientside.panels.draw(%s, arguments); }" % json.dumps(list(PANELS.values())),
        *(Input(store_id(container), "data") for container in PANELS.values()),
    )
    # the route's still drawing is drawn by the page from its figure (assets/still.js)
    app.clientside_callback(
        "function(figure) { window.dash_clientside.still.show(figure); }", Input(ids.STILL_FIGURE, "data")
    )
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
