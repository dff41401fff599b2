"""The page contract, testable without a browser: two pure functions.

    next_state(ds, query, trigger, value, click, shown) -> ViewState
        the view after a user's action (a control, a click on the figure, or the URL itself);
    page(ds, state, viewport, href) -> dict
        everything the page shows for that view, keyed by the names of ``outputs(ds)``.

The server callback (callbacks.py) is a few lines that call these two. Both are total:
any query string, trigger, value, click or viewport gives a working page with its red flags.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from dash import Patch, html, no_update
from plotly.io.json import to_json_plotly  # type: ignore[import-untyped]  # plotly ships no type hints

from painmap import figures, query
from painmap.anatomy_sex import for_sex
from painmap.app import cite, embed, ids, panels, patient, quiz_view, wire
from painmap.app.downloads import DOWNLOAD_LINKS, download_links
from painmap.app.thin import thinned
from painmap.app.transitions import apply_click, apply_control
from painmap.i18n import N_, gettext, translator
from painmap.model import Dataset, Route, text
from painmap.viewstate import LAYERS, ViewState

#: The controls whose value is part of the view, in the order the layout shows them.
CONTROL_IDS: tuple[str, ...] = (
    ids.ORGAN, ids.PART, ids.ROUTE, ids.ZONE, ids.SEGMENT, ids.COMPARE, ids.LAYERS, ids.ANATOMY, ids.SEX, ids.SIDE, ids.SPEED,
    ids.LANG,
)
#: Below this viewport width (CSS pixels) the figure stacks its panels for a phone.
PHONE_WIDTH = 600
LANDING_TEXT = N_(
    "Choose an organ to follow its pain into the spinal cord, or choose where pain is felt "
    "to see which organs can refer there. You can also click the picture."
)
#: How a route's kind reads after its name in the pathway choices.
ROUTE_KIND_WORDS = {"segmental": N_("segmental"), "mechanical": N_("mechanical"), "systemic": N_("systemic")}

#: (state, arrangement, width) -> (scene, still, moving): the three figures the page draws, one
#: over the other (see :func:`views`); the app passes a cached one.
FigureBuilder = Callable[[ViewState, str, int], tuple[dict, dict, dict]]
#: A graph with nothing to show (the body map outside patient mode).
EMPTY_FIGURE: dict = {"data": [], "layout": {}}
#: The route layer's background: the scene shows through it.
TRANSPARENT = "rgba(0,0,0,0)"
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
        "scene": (ids.SCENE_GRAPH, "figure"),
        "scene_style": (ids.SCENE_GRAPH, "style"),
        "still": (ids.STILL_FIGURE, "data"),
        "still_style": (ids.STILL_GRAPH, "style"),
        "shown": (ids.SHOWN, "data"),
        **{control: (control, control_property(ds, control)) for control in CONTROL_IDS},
        "organ_options": (ids.ORGAN, "options"),
        "compare_options": (ids.COMPARE, "options"),
        "zone_options": (ids.ZONE, "options"),
        "part_options": (ids.PART, "options"),
        "route_options": (ids.ROUTE, "options"),
        "summary": (ids.SUMMARY, "children"),
        "mechanisms": (ids.MECHANISMS, "children"),
        "dispute": (ids.DISPUTE, "children"),
        "steps": (ids.STEPS, "children"),
        "caption": (ids.STEP_CAPTION, "children"),
        "player_hidden": (ids.PLAYER, "hidden"),
        "side_hidden": (ids.SIDE_GROUP, "hidden"),
        "steps_hidden": (ids.STEPS_PANEL, "hidden"),
        "sources": (ids.SOURCES, "children"),
        "story": (ids.STORY_PANEL, "children"),
        "story_hidden": (ids.STORY_PANEL, "hidden"),
        "quiz": (ids.QUIZ_PANEL, "children"),
        "quiz_hidden": (ids.QUIZ_PANEL, "hidden"),
        "patient": (ids.PATIENT_PANEL, "children"),
        "patient_more": (ids.PATIENT_MORE, "children"),
        "patient_hidden": (ids.PATIENT_SIDE, "hidden"),
        "patient_flags": (ids.PATIENT_FLAGS, "children"),
        "body_map": (ids.BODY_MAP, "figure"),
        "cite": (ids.CITE, "children"),
        "red_flags": (ids.RED_FLAGS, "children"),
        "share_link": (ids.SHARE_LINK, "value"),
        "embed_code": (ids.EMBED_CODE, "value"),
        "page_class": (ids.PAGE, "className"),
        "open_link": (embed.OPEN_APP, "href"),
        "open_link_hidden": (embed.OPEN_APP, "hidden"),
        "download_links": (DOWNLOAD_LINKS, "children"),
    }
    # the text panels travel as compact data, drawn by the page (see wire.py)
    return {name: ((wire.store_id(component), "data") if name in wire.PANELS else (component, prop))
            for name, (component, prop) in named.items()}


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
    dataset of the view's anatomy (``anatomies``, see :func:`dataset_for`). A click on the
    scene (``ids.SCENE_GRAPH``, under the route layer) or on patient mode's body map
    (``ids.BODY_MAP``, with that map as ``shown``) counts as a click on the figure."""
    state = ViewState.from_query(search)
    seen = dataset_for(ds, state.sex if isinstance(state.sex, str) else "", anatomies)
    state = state.canonical(seen)
    if trigger in (ids.GRAPH, ids.SCENE_GRAPH, ids.BODY_MAP):
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

    'tall' stacks the panels on a phone; 'embed' (the browser says the page is /embed) is
    side by side with no slider of its own. Widths snap to 40-pixel steps (10 on a phone) so
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
    arrangement = "tall" if window < PHONE_WIDTH else "embed" if info.get("embed") is True else "wide"
    if box is None:
        return arrangement, 390 if arrangement == "tall" else 1280
    box = min(box, 4000.0)
    return arrangement, int(box // 10 * 10) if arrangement == "tall" else int(box // 40 * 40)


def in_page(figure: dict) -> dict:
    """The figure as the page shows it: without the in-figure play buttons, which serve
    standalone exports; the page has its own, larger player."""
    layout = {k: v for k, v in figure["layout"].items() if k != "updatemenus"}
    return {**figure, "layout": layout}


# --------------------------------------------------------------------------- three layers
#
# The page draws the figure as three layers in one place: the static scene (ids.SCENE_GRAPH,
# a plotly graph), sent and drawn once per page (again only when the language, the anatomy,
# the size or a scene layer changes), and over it the route layer, transparent, which every
# choice redraws. Plotly.react redraws every trace of a graph it is given, so the ~80 scene
# traces and ~140 shapes are kept out of what changes. The route layer is itself two parts
# (see :func:`split_layer`): what no step moves (ids.STILL_GRAPH, drawn by the page as plain
# SVG from ids.STILL_FIGURE: assets/still.js), and over it what the animation moves
# (ids.GRAPH, a plotly graph), so that a step of the animation redraws only that. The server
# builds that graph over the scene's panels; the page draws it in one panel over them all, each
# point where the scene drew its panel (assets/still.js, ``onePanel``): plotly.js redraws every
# panel of a graph at each choice.


def scene_figure(base: dict, layer: dict) -> dict:
    """The scene as the page draws it: its traces (those of a layer switched off hidden, as
    :func:`painmap.figures.compose` hides them), shapes, annotations and panels."""
    shown = figures.compose(base, {"layout": {"meta": {"layers": layers_of(layer)}}})
    layout = {k: v for k, v in shown["layout"].items() if k != "meta"}
    return {"data": shown["data"], "layout": layout}


def layers_of(layer: dict) -> list[str]:
    meta = layer.get("layout", {}).get("meta")
    found = meta.get("layers", []) if isinstance(meta, dict) else []
    return [str(x) for x in found] if isinstance(found, list) else []


def layer_figure(base: dict, layer: dict) -> dict:
    """The route layer as its own figure, drawn over the scene: the scene's panels and size
    (so the two line up), the layer's traces, shapes, annotations and frames, and a
    transparent paper. Without the in-figure play buttons and step slider: the page has its
    own player, and draws the step slider itself in the room the figure keeps for it
    (assets/painmap.js, ``drawSlider``; plotly.js's slider was a third of a choice's redraw)."""
    layout = {k: v for k, v in base["layout"].items() if k not in ("shapes", "annotations")}
    layout.update({k: v for k, v in layer.get("layout", {}).items() if k not in ("updatemenus", "sliders")})
    layout.update(
        shapes=list(layer.get("shapes", [])),
        annotations=list(layer.get("annotations", [])),
        paper_bgcolor=TRANSPARENT,
        plot_bgcolor=TRANSPARENT,
    )
    data, frames = steady_first(list(layer.get("data", [])), list(layer.get("frames", [])))
    writes = [trace_writes(t) for t in data]  # a frame's entry for a trace has no mode of its own
    revealed = reveal_schedule(frames)
    frames = frame_changes([trimmed_entries(frame, writes, set(revealed.get("traces", []))) for frame in frames])
    meta = {k: v for k, v in layout.get("meta", {}).items() if k not in FIGURE_ONLY_META}
    layout.update(meta={**meta, **({"reveal": revealed} if revealed else {}), "frames": "changes"}, template=LAYER_TEMPLATE)
    return {"data": [slim(t, w) for t, w in zip(data, writes)], "layout": layout, "frames": frames}


#: What the figure's meta tells its readers (exports, notebooks) that the page does not read.
FIGURE_ONLY_META = ("step_stages", "step_mechanisms")


#: What the page's drawing of the still layer reads of its layout (assets/still.js); the panels'
#: places and the font are the scene's, as drawn.
STILL_LAYOUT = ("annotations", "legend", "showlegend", "template")


def split_layer(layer: dict) -> tuple[dict, dict]:
    """(still, moving): the page's route layer (:func:`layer_figure`) as two graphs, one drawn
    over the other.

    At each step of an animation plotly.js runs its defaults and ``calc`` over every trace of
    the graph it animates, and redraws every trace of each panel that a frame touches, whatever
    the frame lists. So the graph that animates (``moving``, ``ids.GRAPH``) holds only the
    traces a frame lists (the signal, its trail, the caption, the lit zones), with the frames
    and the figure's meta. plotly.js empties a panel that a frame leaves out, so a
    panel's keeper (one invisible point) goes with them only where no such trace is drawn in
    that panel (on a page with nothing to play, in every panel); the others are left out. The
    rest (``still``, ``ids.STILL_GRAPH``: the nerves, segments and zones the page reveals
    itself, the labels, the annotations and the legend) is drawn once per choice under it, by
    the page as plain SVG (assets/still.js) over the scene's panels: its layout says only what
    that drawing reads (:data:`STILL_LAYOUT`), and its ``layout.meta.reveal`` points at its own
    traces. Shapes, which that drawing does not draw, go with the graph that animates."""
    data, frames, layout = layer["data"], layer.get("frames", []), layer["layout"]
    keeper = [str(t.get("name", "")).startswith(f"{figures.names.KEEPER}/") for t in data]
    listed = {t for frame in frames for t in frame.get("traces", []) if isinstance(t, int) and not keeper[t]}
    busy = {data[t].get("xaxis", "x") for t in listed}
    # a panel's keeper only where nothing else the frames list is drawn in it (see the docstring)
    idle_keeper = [k and t.get("xaxis", "x") not in busy for k, t in zip(keeper, data)]
    moves = [i in listed or idle_keeper[i] for i in range(len(data))]
    moving_index = {old: new for new, old in enumerate(i for i, m in enumerate(moves) if m)}
    still_index = {old: new for new, old in enumerate(i for i, m in enumerate(moves) if not m and not keeper[i])}
    meta = dict(layout.get("meta", {}))
    reveal = meta.pop("reveal", None)
    still_meta: dict = {"route": meta.get("route")}
    if reveal:
        still_meta["reveal"] = {"traces": [still_index[t] for t in reveal["traces"]], "at": reveal["at"]}
    still_layout = {k: v for k, v in layout.items() if k in STILL_LAYOUT}
    still = {"data": [t for i, t in enumerate(data) if i in still_index], "layout": {**still_layout, "meta": still_meta}}
    moving = {
        "data": [t for t, m in zip(data, moves) if m],
        "layout": {**layout, "annotations": [], "showlegend": False, "meta": meta},
        "frames": [moved_frame(frame, moving_index) for frame in frames],
    }
    return still, moving


def moved_frame(frame: dict, index: dict[int, int]) -> dict:
    """``frame`` pointing at the traces' places in the graph that animates (``index``: old to
    new); entries for a trace not there (a panel's keeper left out) go."""
    pairs = [(index[t], entry) for t, entry in zip(frame.get("traces", []), frame.get("data", [])) if t in index]
    return {**frame, "traces": [t for t, _ in pairs], "data": [entry for _, entry in pairs]}


def steady(trace: object) -> bool:
    """A trace every route's layer has alike, which draws nothing: a legend entry, a panel's keeper."""
    return isinstance(trace, dict) and (
        trace.get("showlegend") is True or str(trace.get("name", "")).startswith(f"{figures.names.KEEPER}/")
    )


def steady_first(data: list, frames: list) -> tuple[list, list]:
    """The traces that every route's layer has alike (the legend's entries, the panels'
    keepers) moved to the front, frames re-pointed: the same trace then has the same index
    from one organ to the next, and a choice's Patch leaves it out. Neither draws anything,
    and the legend keeps its order."""
    order = sorted(range(len(data)), key=lambda i: not steady(data[i]))
    if order == list(range(len(data))):
        return data, frames
    moved_to = {old: new for new, old in enumerate(order)}
    frames = [
        {**frame, "traces": [moved_to.get(i, i) if isinstance(i, int) else i for i in frame.get("traces", [])]}
        for frame in frames
    ]
    return [data[i] for i in order], frames


def frame_changes(frames: list) -> list:
    """Each frame after the first as its changes from the one before: an entry the same as the
    previous frame's for that trace is left out (a lit zone stays lit, a panel's keeper stays
    put), and a line that only grows (the signal's trail) is sent as its new points, marked
    ``"extend": true``. The page makes the frames whole again before it plays them
    (assets/painmap.js, ``wholeFrames``)."""
    out = frames[:1]
    for before, frame in zip(frames, frames[1:]):
        was = dict(zip(before.get("traces", []), before.get("data", [])))
        traces, entries = [], []
        for i, entry in zip(frame.get("traces", []), frame.get("data", [])):
            if i not in was or was[i] != entry:
                traces.append(i)
                entries.append(grown_part(was.get(i), entry))
        out.append({**frame, "traces": traces, "data": entries})
    return out


def grown_part(before: object, entry: object) -> object:
    """``entry``'s new points as ``{"x": [...], "y": [...], "extend": True}`` when it is
    ``before``'s line with points added at its end; otherwise ``entry``."""
    if not (isinstance(before, dict) and isinstance(entry, dict) and set(before) == set(entry) == {"x", "y"}):
        return entry
    old_x, old_y, x, y = before["x"], before["y"], entry["x"], entry["y"]
    if not all(isinstance(v, list) for v in (old_x, old_y, x, y)) or len(old_x) != len(old_y) or len(x) != len(y):
        return entry
    n = len(old_x)
    if not 0 < n < len(x) or x[:n] != old_x or y[:n] != old_y:
        return entry
    return {"x": x[n:], "y": y[n:], "extend": True}


def reveal_schedule(frames: list) -> dict:
    """``{"traces": [i, ...], "at": [[opacity at step 0, 1, ...], ...]}``: the traces whose every
    frame entry is their opacity alone (a nerve, a segment, a zone lit as the signal passes).
    The page draws that reveal itself (assets/painmap.js), so the layer it is sent sends these
    opacities once here rather than as an entry per trace per frame (the exports keep them)."""
    listed = [dict(zip(frame.get("traces", []), frame.get("data", []))) for frame in frames]
    alone: set | None = None
    for entries in listed:
        here = {
            t for t, e in entries.items()
            if isinstance(t, int) and isinstance(e, dict) and set(e) == {"opacity"}
            and isinstance(e["opacity"], (int, float)) and not isinstance(e["opacity"], bool)
        }
        alone = here if alone is None else alone & here
    traces = sorted(alone or ())
    return {"traces": traces, "at": [[entries[t]["opacity"] for entries in listed] for t in traces]} if traces else {}


def trimmed_entries(frame: dict, writes: list[bool], revealed: set[int]) -> dict:
    """A frame as the page is sent it: no entry for a revealed trace (see
    :func:`reveal_schedule`), each entry :func:`slim`."""
    traces, entries = [], []
    for i, entry in zip(frame.get("traces", []), frame.get("data", [])):
        if i in revealed:
            continue
        traces.append(i)
        entries.append(slim(entry, writes[i] if isinstance(i, int) and 0 <= i < len(writes) else True, entry=True))
    return {**frame, "traces": traces, "data": entries}


#: What only hover and clicks read: the page's layer lets the pointer through to the scene
#: (painmap-layers.css), so it is not sent with each choice.
HOVER_ONLY = ("customdata", "hovertext", "hoverinfo", "hoveron", "hovertemplate")


def trace_writes(trace: object) -> bool:
    """Whether a trace writes its ``text`` on the figure (rather than showing it on hover)."""
    return isinstance(trace, dict) and "text" in str(trace.get("mode", ""))


#: Attributes that take one value or one per point: a list of one value repeated is sent as that value.
PER_POINT: dict[str, tuple[str, ...] | None] = {"textposition": None, "textfont": ("size", "color"), "marker": ("size", "color", "opacity", "symbol")}
#: The route layer's trace defaults, sent once in its layout (:data:`LAYER_TEMPLATE`): a trace
#: says only where it differs (:func:`without_defaults`). Every trace there names its mode; the
#: labels' font is the layout's and their white halo is every label's (the caption sits on white);
#: the rest are plotly's own defaults, said once.
LAYER_DEFAULTS: dict = {
    "showlegend": False,
    "mode": "lines",
    "textfont": {"family": figures.style.FONT, "shadow": figures.style.HALO},
    "textposition": "middle center",
    "line": {"dash": "solid"},
    "marker": {"line": {"width": 0}},
}
LAYER_TEMPLATE = {"data": {"scatter": [LAYER_DEFAULTS]}}


def slim(trace: dict, writes: bool, entry: bool = False) -> dict:
    """``trace`` (or, with ``entry``, a frame's entry for it) as the page's layer is sent it: the
    same drawing in fewer bytes. Left out: hover text and click ids (what only hover and clicks
    read: the layer lets the pointer through to the scene, painmap-layers.css), ``text`` unless
    the trace ``writes`` it, ``type: scatter``, a legend group where the trace is not in the
    legend, and in a trace (not in an entry, where leaving a value out keeps the one before) what
    :data:`LAYER_DEFAULTS` says. A per-point list of one value is that value; the points of a
    line are rounded to 0.1 of a panel's unit (a fraction of a pixel; a label's place is kept as
    the label placer chose it), and those it does not need are left out
    (:func:`painmap.app.thin.thinned`)."""
    out = {}
    for key, value in thinned(trace).items():
        if key in HOVER_ONLY or (key == "text" and not writes) or (key == "type" and value == "scatter"):
            continue
        if key == "legendgroup" and trace.get("showlegend") is not True:
            continue
        if key in ("x", "y") and not writes and isinstance(value, list):
            value = [coarse(v) for v in value]
        elif key in PER_POINT:
            inner = PER_POINT[key]
            value = one_value(value) if inner is None else per_point(value, inner)
        out[key] = value
    return out if entry else without_defaults(out, LAYER_DEFAULTS)


def without_defaults(value: dict, defaults: dict) -> dict:
    """``value`` without what equals ``defaults`` (nested dicts key by key; a dict left empty
    by that goes too)."""
    out = {}
    for key, item in value.items():
        if key in defaults:
            if item == defaults[key]:
                continue
            if isinstance(item, dict) and isinstance(defaults[key], dict):
                item = without_defaults(item, defaults[key])
                if not item:
                    continue
        out[key] = item
    return out


def coarse(value: object) -> object:
    """A coordinate to 0.1, written without a trailing '.0' (None, a gap, stays None)."""
    if isinstance(value, float) and math.isfinite(value):
        rounded = round(value, 1)
        return int(rounded) if rounded.is_integer() else rounded
    return value


def one_value(value: object) -> object:
    """A list whose items are all equal as that one item (plotly applies it to every point)."""
    if isinstance(value, list) and value and all(item == value[0] for item in value):
        return value[0]
    return value


def per_point(value: object, keys: tuple[str, ...]) -> object:
    if not isinstance(value, dict):
        return value
    return {k: one_value(v) if k in keys else v for k, v in value.items()}


def views(ds: Dataset, state: ViewState, arrangement: str, width: int) -> tuple[dict, dict, dict]:
    """(scene, still, moving) for ``state`` at a size: the three figures the page draws."""
    large = state.mode == "patient"  # patient mode: figure text 16 px or more
    base = figures.scene(ds, arrangement, width, lang=state.lang, anatomy=state.anatomy, large=large)
    layer = figures.route_layer(ds, state, arrangement, width, large=large)
    return (scene_figure(base, layer), *route_layers(base, layer))


def route_layers(base: dict, layer: dict) -> tuple[dict, dict]:
    """(still, moving): the route ``layer`` over the scene ``base``, as the page draws it."""
    return split_layer(layer_figure(base, layer))


def scene_key(state: ViewState, arrangement: str, width: int, scene: dict) -> str:
    """What the scene graph shows depends on only this: anatomy (sex and view), language, size
    and which of the scene's own layers are on."""
    tagged = {
        t["meta"]["layer"]
        for t in scene.get("data", [])
        if isinstance(t.get("meta"), dict) and isinstance(t["meta"].get("layer"), str)
    }
    on = ",".join(sorted(tagged.intersection(state.layers)))
    large = "|large" if state.mode == "patient" else ""  # patient mode's text is larger
    return f"{state.sex}|{state.lang}|{state.anatomy}|{arrangement}|{width}|{on}{large}"


def figure_patch(old: dict, new: dict) -> Patch:
    """``new`` as a change to ``old`` (the layer figure the page shows): what differs, each part
    sent whole or as changes to its own parts, whichever is shorter (see :func:`changes`)."""
    operations = []
    for key in ("data", "layout", "frames"):
        empty: object = {} if key == "layout" else []
        operations += changes([key], old.get(key, empty), new.get(key, empty))
    return to_patch(operations)


def value_patch(old: object, new: object) -> object:
    """What to send for an output the page shows as ``old`` and should show as ``new``: ``new``
    itself, or a Patch of its changes when that is shorter (the red flags' new order alone)."""
    operations = changes([], old, new)
    if len(operations) == 1 and operations[0][0] == "assign" and not operations[0][1]:
        return new
    return to_patch(operations)


def to_patch(operations: list[Operation]) -> Patch:
    """The operations of :func:`changes` as a dash Patch."""
    patch = Patch()
    for operation, location, value in operations:
        target = patch
        for step in location[:-1] if operation != "extend" else location:
            target = target[step]
        if operation == "extend":
            target.extend(value)  # type: ignore[arg-type]
        elif operation == "delete":
            del target[location[-1]]
        else:
            target[location[-1]] = value
    return patch


#: A Patch operation's own bytes besides its location and value, about.
OPERATION_BYTES = 60


Operation = tuple[str, list, object]


def changes(location: list, old: object, new: object) -> list[Operation]:
    """The operations ('assign' | 'delete' | 'extend', location, value) that turn ``old`` into
    ``new``: the value sent whole, or, for two dicts or two lists, the changes of their items,
    whichever is shorter as JSON (a route's nerves keep their style and change their points; a
    longer list of steps keeps the first ones)."""
    return _changes(location, old, new, location_size(location))[0]


def _changes(location: list, old: object, new: object, place: int) -> tuple[list[Operation], int, int]:
    """(operations, their bytes, the bytes of ``new`` as JSON): each value's size is reckoned
    once, from its parts', so that a whole figure costs one pass (``place``: the bytes of
    ``location``, reckoned the same way)."""
    if type(old) is type(new) and old == new:
        return [], 0, json_size(new)
    at = OPERATION_BYTES + place  # an operation's bytes besides its value
    parts: list[Operation] = []
    cost = 0
    if isinstance(old, dict) and isinstance(new, dict):
        size = 1 + len(new)  # braces and commas
        for key in dict.fromkeys([*old, *new]):
            if key not in new:
                parts.append(("delete", [*location, key], None))
                cost += at + json_size(key) + 1
                continue
            if key in old:
                inner, inner_cost, inner_size = _changes([*location, key], old[key], new[key], place + json_size(key) + 1)
            else:
                inner_size = json_size(new[key])
                inner, inner_cost = [("assign", [*location, key], new[key])], at + json_size(key) + 1 + inner_size
            parts += inner
            cost += inner_cost
            size += json_size(key) + 1 + inner_size
    elif isinstance(old, list) and isinstance(new, list) and old and new:
        kept = min(len(old), len(new))
        size = 1 + max(len(new), 1)
        for i in range(kept):
            inner, inner_cost, inner_size = _changes([*location, i], old[i], new[i], place + json_size(i) + 1)
            parts += inner
            cost += inner_cost
            size += inner_size
        for i in range(len(old) - 1, kept - 1, -1):
            parts.append(("delete", [*location, i], None))
            cost += at + 4
        if len(new) > kept:
            added = json_size(new[kept:])
            parts.append(("extend", location, new[kept:]))
            cost += at + added
            size += added
    else:
        size = json_size(new)
        return [("assign", location, new)], at + size, size
    if at + size <= cost:
        return [("assign", location, new)], at + size, size
    return parts, cost, size


def json_size(value: object) -> int:
    """About how many bytes ``value`` takes as JSON (for choosing what to send, not exact: a
    string's escapes are not counted). A plain value is reckoned without the JSON encoder,
    which costs more to set up than to run on it; a diff reckons tens of thousands of them."""
    if isinstance(value, str):
        return len(value) + 2
    if value is None or value is True:
        return 4
    if value is False:
        return 5
    if isinstance(value, (int, float)) and math.isfinite(value):
        return len(repr(value))
    return len(json.dumps(value, separators=(",", ":"), default=str))


def location_size(location: list) -> int:
    """About how many bytes a Patch location takes as JSON."""
    return 2 + sum(json_size(step) + 1 for step in location)


def answer(new: Mapping[str, object], old: Mapping[str, object] | None, old_json: Mapping[str, str] | None = None,
           new_json: Mapping[str, str] | None = None) -> dict[str, object]:
    """What the callback sends when the page shows ``old`` and should show ``new``: nothing
    (``no_update``) for what is unchanged, a :class:`dash.Patch` of the route layer, and the
    scene only when its key changed. ``old`` None (a first render, a reload, a size or an
    address the server did not draw): everything. ``old_json``/``new_json`` are the outputs
    as JSON when known (the app caches them), else made here."""
    if old is None:
        return dict(new)
    old_shown, new_shown = old.get("shown"), new.get("shown")
    same_scene = (
        isinstance(old_shown, dict) and isinstance(new_shown, dict) and old_shown.get("scene") == new_shown.get("scene")
    )
    out: dict[str, object] = {}
    for name, value in new.items():
        if name == "scene":
            out[name] = no_update if same_scene else value
        elif name == "figure":
            old_figure = old.get("figure")
            if same_scene and isinstance(old_figure, dict) and isinstance(value, dict):
                out[name] = no_update if old_figure == value else figure_patch(old_figure, value)
            else:
                out[name] = value
        else:
            was = old_json[name] if old_json is not None and name in old_json else to_json_plotly(old.get(name))
            now = new_json[name] if new_json is not None and name in new_json else to_json_plotly(value)
            if was == now:
                out[name] = no_update
            elif isinstance(value, (list, dict)) and isinstance(old.get(name), (list, dict)):
                out[name] = value_patch(old.get(name), value)
            else:
                out[name] = value
    return out


def outputs_json(out: Mapping[str, object]) -> dict[str, str]:
    """Each output but the scene and the animated figure as JSON, to tell what changed (see :func:`answer`)."""
    return {name: to_json_plotly(value) for name, value in out.items() if name not in ("figure", "scene")}


def shown_of(shown: object) -> tuple[str, str, int, str] | None:
    """(query, arrangement, width, search) of the page the browser says it shows (ids.SHOWN),
    or None when the value is not one the server wrote."""
    if not isinstance(shown, dict):
        return None
    query, size, search = shown.get("query"), shown.get("size"), shown.get("search", "")
    if not isinstance(query, str) or not isinstance(search, str) or not isinstance(size, list) or len(size) != 2:
        return None
    arrangement, width = size
    if arrangement not in figures.ARRANGEMENTS or isinstance(width, bool) or not isinstance(width, int) or not 0 < width <= 4000:
        return None
    return query, arrangement, width, search


#: The graphs a click on which changes the view (dcc.Graph stamps each click's ``timestamp``).
CLICKABLE = (ids.SCENE_GRAPH, ids.BODY_MAP)


def click_time(click: object) -> float:
    """When the page reported ``click`` (dcc.Graph's ``timestamp``, ms), or 0 for none."""
    stamp = click.get("timestamp") if isinstance(click, dict) else None
    return float(stamp) if isinstance(stamp, int | float) and not isinstance(stamp, bool) and math.isfinite(stamp) else 0.0


def clicks_record(clicks: Mapping[str, object]) -> list[float]:
    """What ``shown["clicks"]`` keeps of a request's clicks: their times, in :data:`CLICKABLE` order."""
    return [click_time(clicks.get(name)) for name in CLICKABLE]


def clicks_seen(shown: object) -> dict[str, float]:
    """The click times the page's last answer had seen, per graph (``shown["clicks"]``)."""
    found = shown.get("clicks") if isinstance(shown, dict) else None
    if not isinstance(found, list) or len(found) != len(CLICKABLE):
        return {}
    return {name: click_time({"timestamp": when}) for name, when in zip(CLICKABLE, found)}


def unseen_click(clicks: Mapping[str, object], shown: object) -> str | None:
    """The graph whose click no answer has seen yet, or None.

    Dash drops an answer still on its way when the same callback is asked again: a click
    whose answer was overtaken (the page re-measured its size a moment later, say) would be
    lost. The next request still carries that click, so the server applies it then."""
    seen = clicks_seen(shown)
    for name in CLICKABLE:
        when = click_time(clicks.get(name))
        if when and when > seen.get(name, 0.0):
            return name
    return None


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
        lang = incoming.lang if incoming.lang in ds.languages else "en"
        return gettext(lang, "The comparison was dropped: {organ} cannot be compared with itself.").format(
            organ=text(seen.organ[organ].label, lang)
        )
    return ""


def summary_panel(ds: Dataset, state: ViewState, route: Route | None, notice: str = "") -> list:
    """The question on screen answered in words: a zone, a segment, a route or the landing text
    (a route's mechanisms are their own list, :func:`mechanisms_on_screen`); ``notice`` (what a
    link asked for that could not be shown) comes first."""
    lang = state.lang
    if state.zone:
        summary = panels.zone_summary(ds, state.zone, lang)
    elif state.segment:
        summary = panels.segment_summary(ds, state.segment, lang)
    elif route is not None:
        summary = panels.route_summary(ds, route, lang)
    else:
        summary = [html.P(translator(lang)(LANDING_TEXT))]
    if state.compare and state.organ:
        summary = [*summary, *panels.compare_summary(ds, state.organ, state.compare, lang)]
    if notice:
        summary = [html.P(notice, className="notice", role="status"), *summary]
    return summary


def mechanisms_on_screen(ds: Dataset, route: Route | None, steps: list | None = None) -> list[str]:
    """Why the route on screen is felt where it is: the mechanisms that explain it and those
    its ``steps`` link to, in order (none without a route)."""
    if route is None:
        return []
    return panels.mechanisms_explaining(ds, route, tuple(dict.fromkeys(s.mechanism for s in steps or () if s.mechanism)))


def routes_on_screen(ds: Dataset, state: ViewState, selection: figures.Selection) -> list[Route]:
    """Routes the page speaks of: the drawn ones, or a zone's or a segment's look-up."""
    shown = [ds.route[r] for r in selection.routes]
    if state.zone:
        shown += query.routes_for_zone(ds, state.zone)
    elif state.segment:
        shown += query.routes_for_segment(ds, state.segment)
    return shown


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
        ids.SIDE: state.side,
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
    size: tuple[str, int] | None = None,
) -> dict[str, object]:
    """Everything the page shows for ``state``, keyed like ``outputs(ds)``.

    ``build(state, arrangement, width)`` makes the scene and the route layer's two graphs (see :func:`views`;
    the app passes a cached one); ``size`` (arrangement, width) overrides ``viewport``'s;
    ``href`` is the page's address, for the share link and the embed code (a path ending in
    /embed is the embedded view); ``search`` is the query the view came from, for notices. Organs, zones,
    names and red flags are those of the view's anatomy (``state.sex``; ``anatomies`` holds
    the datasets the app built once, see :func:`dataset_for`).
    """
    notice = compare_notice(ds, search)
    ds = dataset_for(ds, state.sex if isinstance(state.sex, str) else "", anatomies)
    state = state.canonical(ds)
    lang = state.lang
    _ = translator(lang)
    build = build or (lambda s, arrangement, width: views(ds, s, arrangement, width))
    selection = figures.resolve_selection(ds, state)
    route = ds.route.get(selection.route)

    part_options = []
    route_options = []
    if state.organ:
        part_options = [{"label": text(p.label, lang), "value": p.id} for p in ds.organ[state.organ].parts]
        route_options = [
            {"label": f"{text(r.label, lang) or r.id} ({_(ROUTE_KIND_WORDS.get(r.kind, r.kind))})", "value": r.id}
            for r in query.routes_for_organ(ds, state.part or state.organ)
        ]

    steps = figures.animation_steps(ds, route, lang) if route is not None else []
    step = min(state.step, len(steps) - 1) if steps else 0
    caption = f"{steps[step].caption} ({steps[step].term})" if steps else ""  # for screen readers
    shown_routes = routes_on_screen(ds, state, selection)
    organs_on_screen = [o for o in dict.fromkeys([*(r.organ for r in shown_routes), state.organ, state.compare]) if o]
    embedded = embed.is_embed(href)
    title = embed.view_title(ds, state)
    told = ds.story.get(state.story)
    story = panels.story_panel(
        ds, state.story, route.id if route is not None else "", step, lang,
        lambda r, n: state.with_(route=r, step=n).to_query(), state.with_(story="").to_query(),
    ) if told is not None else []
    quiz = quiz_view.quiz_panel(ds, state) if state.mode == "quiz" else []
    patient_mode = state.mode == "patient"
    sources_on_screen = panels.source_ids_on_screen(ds, shown_routes)
    flags_first = told.red_flags if told is not None else ()
    arrangement, width = size or figure_size(viewport)
    scene, still, layer = build(state, arrangement, width)
    height = {"height": f"{layer['layout']['height']}px"}
    return {
        "search": state.to_query(),
        "figure": layer,
        "graph_style": height,
        "scene": scene,
        "scene_style": height,
        "still": still,
        "still_style": height,
        "shown": {
            "query": state.to_query(),
            "size": [arrangement, width],
            "scene": scene_key(state, arrangement, width, scene),
            "search": search if isinstance(search, str) else "",
        },
        **control_values(ds, state, route),
        "organ_options": panels.organ_options(ds, lang, state.organ),
        "compare_options": panels.organ_options(ds, lang, state.compare),
        "zone_options": [{"label": text(z.label, lang), "value": z.id} for z in ds.zones],
        "part_options": part_options,
        "route_options": route_options,
        "summary": summary_panel(ds, state, route, notice),
        "mechanisms": panels.mechanisms_panel(ds, mechanisms_on_screen(ds, route, steps), lang),
        "dispute": panels.dispute_box(ds, route, lang),
        "steps": panels.steps_list(steps, step, ds, lang),
        "caption": caption,
        "player_hidden": not steps,
        "side_hidden": not (state.organ in ds.organ and ds.organ[state.organ].paired),
        "steps_hidden": not steps,
        "sources": panels.sources_panel(ds, sources_on_screen, lang),
        "cite": cite.citation(ds, page_link(href, state), sources_on_screen, lang),
        "story": story,
        "story_hidden": not story,
        "quiz": quiz,
        "quiz_hidden": not quiz,
        "patient": patient.patient_panel(ds, state, route, steps, step) if patient_mode else [],
        "patient_more": patient.patient_more(ds, state, route) if patient_mode else [],
        "patient_hidden": not patient_mode,
        "patient_flags": patient.red_flags_box(ds, organs_on_screen, lang, flags_first) if patient_mode else [],
        "body_map": patient.body_map_figure(ds, state) if patient_mode else EMPTY_FIGURE,
        "red_flags": panels.red_flags_panel(ds, organs_on_screen, lang, flags_first),
        "share_link": page_link(href, state),
        "embed_code": embed.embed_codes(embed.embed_base(href) + state.to_query(), title),
        "page_class": " ".join(
            ["page", *(["embed"] if embedded else []), *([f"mode-{state.mode}"] if state.mode else []), *(["terms"] if state.terms else [])]
        ),
        "open_link": page_link(href, state),
        "open_link_hidden": not embedded,
        "download_links": download_links(state),
    }
