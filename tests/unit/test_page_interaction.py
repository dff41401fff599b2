"""A choice is answered with what it changes: the scene once per page, the route layer as a Patch.

The figure is two graphs (page.views): the static scene under the route layer. These tests
read the served callback's answers as the browser gets them, and apply the Patch operations
the way dash-renderer does, to check that the browser ends up with exactly the new figure.
"""

from __future__ import annotations

import json
import re

import pytest
from dash import Patch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painmap.app import create_app, ids
from painmap.app.page import answer, figure_patch, page, value_patch, views
from painmap.app.wire import on_the_wire, store_id
from painmap.figures import names
from painmap.loader import load
from painmap.viewstate import ViewState
from tests.conftest import DATA
from tests.unit.test_page import post_callback, served_answer

#: The red flags' store (wire.py): all the flags once, then each choice's order.
FLAGS = store_id(ids.RED_FLAGS)
VIEWPORT = {"width": 1280, "height": 800, "graph": 900}
HREF = "http://painmap.test/"


@pytest.fixture(scope="module")
def bundled():
    return load(DATA)


@pytest.fixture(scope="module")
def app(bundled):
    return create_app(bundled)


def apply(value, patch: dict):
    """Apply a Dash Patch (as JSON) to ``value`` as dash-renderer does (the operations used here)."""
    value = json.loads(json.dumps(value))
    for op in patch["operations"]:
        *path, last = op["location"] or [None]
        target = value
        for key in path:
            target = target[key]
        kind, params = op["operation"], op["params"]
        if kind == "Assign":
            target[last] = params["value"]
        elif kind == "Delete":
            if isinstance(target, list):
                del target[last]
            else:
                target.pop(last, None)
        elif kind == "Extend":
            (target if last is None else target[last]).extend(params["value"])
        elif kind == "Insert":
            (target if last is None else target[last]).insert(params["index"], params["value"])
        else:
            raise AssertionError(f"unexpected Patch operation {kind}")
    return value


def as_json(value):
    return json.loads(json.dumps(value, default=lambda o: o.to_plotly_json()))


def first_page(app, search: str) -> dict:
    return post_callback(app, None, {"url.search": search, "url.href": HREF + search, "viewport.data": VIEWPORT})


def choose(app, shown_page: dict, control: str, value) -> dict:
    return json.loads(choice_served(app, shown_page, control, value))["response"]


def choice_served(app, shown_page: dict, control: str, value) -> bytes:
    """The answer to a choice made on ``shown_page``, as served."""
    search = shown_page[ids.URL]["search"]
    return served_answer(
        app,
        f"{control}.value",
        {
            "url.search": search,
            "url.href": HREF + search,
            "viewport.data": VIEWPORT,
            f"{control}.value": value,
            "shown.data": shown_page[ids.SHOWN]["data"],
        },
    )


SCENE_NAMES = (names.PART_HANDLES, names.DERMATOME_HANDLES, f'"{names.ORGAN_PREFIX}', f'"{names.ZONE_PREFIX}')


def test_an_organ_choice_sends_no_scene_and_patches_the_route_layer(app):
    landing = first_page(app, "?organ=bladder")
    assert ids.SCENE_GRAPH in landing, "the first answer draws the scene"
    kidney = choose(app, landing, ids.ORGAN, "kidney")
    assert kidney[ids.URL]["search"] == "?organ=kidney"
    assert ids.SCENE_GRAPH not in kidney, "the scene is not sent again"
    sent = json.dumps(kidney)
    for scene_trace in SCENE_NAMES:
        assert scene_trace not in sent, f"a scene outline ({scene_trace}) was re-sent"
    assert "__dash_patch_update" in json.dumps(kidney[ids.GRAPH]["figure"]), "the layer comes as a Patch"
    for unchanged in (ids.ZONE, ids.ANATOMY, ids.LANG, ids.SEX):
        assert unchanged not in kidney, f"{unchanged} did not change and is not sent"
    assert kidney[FLAGS], "the red flags follow the organ"


def test_the_patched_layer_is_the_new_layer(app, bundled):
    """Choice after choice, the Patches turn the figures the browser holds into the new ones."""
    shown = first_page(app, "?organ=bladder")
    # the still layer travels in a store (the page draws it), the layer that animates as a figure
    outputs = {ids.STILL_FIGURE: "data", ids.GRAPH: "figure"}
    held = {graph: shown[graph][prop] for graph, prop in outputs.items()}
    flags = as_json(shown[FLAGS]["data"])
    for control, value in [
        (ids.ORGAN, "kidney"), (ids.ORGAN, "uterus"), (ids.LAYERS, ["sympathetic"]), (ids.ORGAN, "gut"),
        (ids.ZONE, "low-back"), (ids.ORGAN, "airways"), (ids.SPEED, 2.0), (ids.ANATOMY, "lateral"), (ids.ORGAN, "bladder"),
    ]:
        answer_ = choose(app, shown, control, value)
        state = ViewState.from_query(answer_[ids.URL]["search"]).canonical(bundled)
        _, *expected = views(bundled, state, "wide", 880)
        for (graph, prop), wanted in zip(outputs.items(), expected):
            update = answer_.get(graph, {}).get(prop)
            if isinstance(update, dict) and "__dash_patch_update" in update:
                held[graph] = apply(held[graph], update)
            elif update is not None:
                held[graph] = update
            assert held[graph] == as_json(wanted), f"after {control}={value!r} {graph} differs"
        red = answer_.get(FLAGS, {}).get("data")
        if isinstance(red, dict) and "__dash_patch_update" in red:
            flags = apply(flags, red)
        elif red is not None:
            flags = as_json(red)
        wanted = on_the_wire(page(bundled, state))["red_flags"]
        assert flags == as_json(wanted), f"after {control}={value!r} the red flags differ"
        shown = {**shown, **{k: v for k, v in answer_.items() if k in (ids.URL, ids.SHOWN)}}


def test_the_scene_is_sent_again_only_when_it_changes(app):
    shown = first_page(app, "?organ=bladder")
    assert ids.SCENE_GRAPH not in choose(app, shown, ids.ORGAN, "gut")
    assert ids.SCENE_GRAPH not in choose(app, shown, ids.SPEED, 2.0)
    assert ids.SCENE_GRAPH in choose(app, shown, ids.ANATOMY, "lateral"), "another anatomy view is another scene"
    assert ids.SCENE_GRAPH in choose(app, shown, ids.SEX, "female"), "another body is another scene"
    assert ids.SCENE_GRAPH in choose(app, shown, ids.LAYERS, ["sympathetic"]), "dermatome bands off: the scene hides them"


def test_a_click_on_the_scene_under_the_layer_is_read_from_the_scene(app, bundled):
    shown = first_page(app, "?organ=kidney")
    scene = shown[ids.SCENE_GRAPH]["figure"]
    flank = next(i for i, t in enumerate(scene["data"]) if t.get("name") == names.zone_trace("flank", "back"))
    search = shown[ids.URL]["search"]
    clicked = post_callback(
        app,
        f"{ids.SCENE_GRAPH}.clickData",
        {
            "url.search": search, "url.href": HREF + search, "viewport.data": VIEWPORT,
            f"{ids.SCENE_GRAPH}.clickData": {"points": [{"curveNumber": flank}]},
            "shown.data": shown[ids.SHOWN]["data"],
        },
    )
    assert clicked[ids.URL]["search"] == "?zone=flank"


def test_patches_reproduce_any_pair_of_layers(bundled):
    states = [ViewState(), ViewState(organ="kidney", step=3), ViewState(organ="uterus", layers=("labels",)),
              ViewState(zone="flank"), ViewState(segment="S3"), ViewState(organ="gut", compare="bladder")]
    drawn = [views(bundled, s.canonical(bundled), "wide", 880) for s in states]
    for graph in (1, 2):  # the still layer, then the graph that animates
        for old in (d[graph] for d in drawn):
            for new in (d[graph] for d in drawn):
                assert apply(as_json(old), figure_patch(old, new).to_plotly_json()) == as_json(new)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from("abcd"), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(old=json_values, new=json_values)
def test_a_value_patch_turns_the_old_value_into_the_new(old, new):
    """Any two values: what is sent (the new value, or a Patch of its changes) makes the new one."""
    sent = value_patch(old, new)
    if isinstance(sent, Patch):
        assert apply(old, sent.to_plotly_json()) == new
    else:
        assert sent == new


def test_reordered_items_are_sent_as_their_new_order():
    items = {name: ["li", {"data-flag": name}, "words " * 30] for name in "abcdef"}
    sent = value_patch({"items": items, "order": list("abcdef")}, {"items": items, "order": list("fedcba")})
    assert isinstance(sent, Patch) and "words" not in json.dumps(sent.to_plotly_json())


def test_without_a_page_shown_the_answer_is_everything(bundled):
    out = page(bundled, ViewState(organ="kidney"))
    assert answer(out, None) == out


shown_values = st.one_of(
    st.none(), st.integers(), st.text(max_size=5),
    st.fixed_dictionaries({}, optional={
        "query": st.one_of(st.text(max_size=30), st.integers(), st.just("?organ=kidney")),
        "size": st.one_of(st.lists(st.one_of(st.sampled_from(["wide", "tall", "x"]), st.integers(-5, 5000), st.floats()), max_size=3), st.text(max_size=3)),
        "search": st.one_of(st.text(max_size=10), st.none(), st.integers()),
        "scene": st.text(max_size=10),
    }),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shown=shown_values, organ=st.sampled_from(["kidney", "gut", "nonsense", None]))
def test_any_shown_value_gives_a_working_answer(app, shown, organ):
    """A stale or hand-made store of what the page shows: still a 200 with the red flags."""
    reply = post_callback(
        app, f"{ids.ORGAN}.value",
        {"url.search": "?organ=bladder", "url.href": HREF, "viewport.data": VIEWPORT, f"{ids.ORGAN}.value": organ, "shown.data": shown},
    )
    assert isinstance(reply[ids.URL]["search"], str)
    assert ids.SHOWN in reply


def whole_frames(frames: list) -> list[dict]:
    """The page's frames made whole again, as assets/painmap.js does (wholeFrames): each trace's
    entry is the latest one sent, frame by frame; an entry marked ``extend`` adds its points to
    the line before it."""
    state: dict = {}
    whole = []
    for frame in frames:
        for t, entry in zip(frame["traces"], frame["data"]):
            if entry.get("extend") is True:
                entry = {"x": state[t]["x"] + entry["x"], "y": state[t]["y"] + entry["y"]}
            state[t] = entry
        whole.append(dict(state))
    return whole


def test_the_page_layer_plays_every_step_as_the_figure_does(bundled):
    """The layer the page is sent (changes-only frames, the reveal's opacities once in its meta,
    slimmed traces) shows at every step what the figure builders' frames show."""
    from painmap import figures
    from painmap.app.page import layer_figure, slim, trace_writes

    for route in bundled.route.values():
        state = ViewState(organ=route.organ, route=route.id).canonical(bundled)
        base = figures.scene(bundled, "wide", 1240)
        layer = figures.route_layer(bundled, state, "wide", 1240)
        sent = layer_figure(base, layer)
        def keys(traces):  # a trace's name, and which of the traces of that name it is
            seen: dict = {}
            return [(t["name"], seen.setdefault(t["name"], []).append(1) or len(seen[t["name"]])) for t in traces]

        named = keys(sent["data"])
        assert sorted(named) == sorted(keys(layer["data"])), route.id
        index = [named.index(key) for key in keys(layer["data"])]  # the page may send the traces in another order
        writes = [trace_writes(t) for t in layer["data"]]
        reveal = sent["layout"]["meta"].get("reveal", {"traces": [], "at": []})
        revealed = dict(zip(reveal["traces"], reveal["at"]))
        assert len(sent["frames"]) == len(layer["frames"]), route.id
        for k, (frame, whole) in enumerate(zip(layer["frames"], whole_frames(sent["frames"]))):
            for t, entry in zip(frame["traces"], frame["data"]):
                if index[t] in revealed:
                    assert entry == {"opacity": revealed[index[t]][k]}, (route.id, k, t)
                else:
                    assert whole[index[t]] == slim(entry, writes[t], entry=True), (route.id, k, t)
        for t, trace in enumerate(layer["data"]):
            assert sent["data"][index[t]] == slim(trace, writes[t]), (route.id, t)
        assert len(json.dumps(sent)) < len(json.dumps(layer)), "the page's layer is the smaller"


def test_the_graph_that_animates_holds_only_what_moves(bundled):
    """The route layer split in two (page.split_layer): every trace drawn once, in one graph or
    the other; the animated graph holds only the traces its frames move, and a panel's keeper
    only where none of those is drawn, and plays the same frames; the reveal points at the same
    traces in the still one."""
    from painmap import figures
    from painmap.app.page import layer_figure, split_layer

    def keeper(trace):
        return trace["name"].startswith("keeper/")

    base = figures.scene(bundled, "wide", 1240)
    for route in bundled.route.values():
        state = ViewState(organ=route.organ, route=route.id).canonical(bundled)
        layer = layer_figure(base, figures.route_layer(bundled, state, "wide", 1240))
        still, moving = split_layer(layer)
        drawing = [t for t in layer["data"] if not keeper(t)]
        assert sorted(map(json.dumps, still["data"] + [t for t in moving["data"] if not keeper(t)])) == sorted(
            map(json.dumps, drawing)
        ), route.id
        assert not any(keeper(t) for t in still["data"])
        assert "frames" not in still and "sliders" not in still["layout"], "the still graph never animates"
        assert "shapes" not in still["layout"] and moving["layout"]["shapes"] == layer["layout"]["shapes"]
        listed = {t for frame in moving["frames"] for t in frame["traces"]}
        busy = {moving["data"][t].get("xaxis", "x") for t in listed if not keeper(moving["data"][t])}
        for t, trace in enumerate(moving["data"]):
            assert t in listed or keeper(trace), (route.id, trace["name"])
            assert not keeper(trace) or trace.get("xaxis", "x") not in busy, (route.id, "a keeper where nothing else is")
        every_panel = {t.get("xaxis", "x") for t in layer["data"] if keeper(t)}
        assert {t.get("xaxis", "x") for t in moving["data"]} == every_panel, "every panel keeps a trace the frames list"
        where = {json.dumps(trace): i for i, trace in enumerate(layer["data"])}
        for frame, sent in zip(layer["frames"], moving["frames"]):
            kept = [(t, e) for t, e in zip(frame["traces"], frame["data"]) if json.dumps(layer["data"][t]) in map(json.dumps, moving["data"])]
            assert sent["data"] == [e for _, e in kept], route.id
            assert [where[json.dumps(moving["data"][t])] for t in sent["traces"]] == [t for t, _ in kept], route.id
        reveal = layer["layout"]["meta"].get("reveal")
        if reveal:
            shown = still["layout"]["meta"]["reveal"]
            assert shown["at"] == reveal["at"]
            assert [where[json.dumps(still["data"][t])] for t in shown["traces"]] == reveal["traces"], route.id
        assert still["layout"]["meta"]["route"] == moving["layout"]["meta"]["route"] == route.id


#: What the page's drawing of the still layer draws (assets/still.js): a trace or annotation
#: that needs more would be drawn wrong, or not at all.
STILL_TRACE_KEYS = {
    "name", "x", "y", "xaxis", "yaxis", "mode", "opacity", "visible", "showlegend", "legendgroup", "meta",
    "cliponaxis", "fill", "fillcolor", "fillpattern", "line", "marker", "text", "textfont", "textposition",
}
STILL_PARTS = {
    "line": {"color", "width", "dash", "shape", "smoothing"},
    "marker": {"symbol", "size", "color", "opacity", "line"},
    "textfont": {"color", "size", "family", "shadow"},
    "fillpattern": {"shape", "size", "solidity", "fgcolor"},
}
STILL_ANNOTATION_KEYS = {"text", "x", "y", "xref", "yref", "xanchor", "yanchor", "showarrow", "textangle", "font"}


def still_problems(still: dict) -> list[str]:
    """What of ``still`` (a still layer) the page's drawing of it does not draw."""
    problems = [f"layout.{k}" for k in still["layout"] if k not in ("annotations", "legend", "showlegend", "template", "meta")]
    for trace in still["data"]:
        name = trace.get("name")
        problems += [f"{name}: {k}" for k in trace if k not in STILL_TRACE_KEYS]
        problems += [f"{name}: {part}.{k}" for part, keys in STILL_PARTS.items() for k in trace.get(part, {}) if k not in keys]
        if set(trace.get("mode", "lines").split("+")) - {"lines", "markers", "text"}:
            problems.append(f"{name}: mode {trace['mode']}")
        if trace.get("fill", "none") not in ("none", "toself"):
            problems.append(f"{name}: fill {trace['fill']}")
        if trace.get("line", {}).get("shape", "linear") not in ("linear", "spline"):
            problems.append(f"{name}: line shape {trace['line']['shape']}")
        if trace.get("fillpattern", {}).get("shape", "/") != "/":
            problems.append(f"{name}: pattern {trace['fillpattern']['shape']}")
        symbols = trace.get("marker", {}).get("symbol", "circle")
        for symbol in symbols if isinstance(symbols, list) else [symbols]:
            if symbol not in ("circle", "square", "diamond", "triangle-up", "star"):
                problems.append(f"{name}: symbol {symbol}")
        texts = trace.get("text", [])
        for text in texts if isinstance(texts, list) else [texts]:
            problems += [f"{name}: <{tag}>" for tag in re.findall(r"</?([a-zA-Z]+)", str(text or "")) if tag.lower() not in ("b", "br", "i")]
    legend = still["layout"].get("legend", {})
    if (legend.get("orientation"), legend.get("xanchor"), legend.get("yanchor"), legend.get("entrywidthmode")) != ("h", "left", "top", "pixels"):
        problems.append(f"legend {legend}")
    for note in still["layout"].get("annotations", []):
        problems += [f"annotation {k}" for k in note if k not in STILL_ANNOTATION_KEYS]
        if note.get("showarrow") is not False:
            problems.append("annotation arrow")
    return problems


def test_the_still_layer_asks_only_for_what_the_page_draws(bundled):
    """The page draws the route's still layer itself, as SVG (assets/still.js), and draws only
    what the route layer uses of plotly: every route, wide and tall, comparisons, patient mode
    and Spanish with terms."""
    states = [(ViewState(organ=r.organ, route=r.id), size) for r in bundled.routes for size in (("wide", 1240), ("tall", 360))]
    organs = sorted({r.organ for r in bundled.routes})
    states += [(ViewState(organ=a, compare=b), ("wide", 1240)) for a, b in zip(organs, organs[1:])]
    states += [(ViewState(organ="uterus", mode="patient"), ("wide", 1240)), (ViewState(organ="kidney", lang="es", terms=True), ("wide", 900))]
    for state, size in states:
        still = page(bundled, state, size=size)["still"]
        assert still["data"], state
        assert still_problems(still) == [], (state, size)


def test_the_control_the_user_set_gets_the_server_value_whole(app):
    """A control the user has just changed shows their value, not the page's before: a Patch
    made from the old value would be applied to theirs. The server's own value is sent whole,
    or nothing when it agrees."""
    shown = first_page(app, "?organ=kidney")
    odd = choose(app, shown, ids.LAYERS, ["sympathetic", "no-such-layer"])
    assert odd[ids.LAYERS]["value"] == ["sympathetic"], "the unknown layer is dropped, in a plain value"
    agreed = choose(app, shown, ids.LAYERS, ["sympathetic"])
    assert ids.LAYERS not in agreed, "the control already shows the server's value"


#: The issue's budget for an organ choice's answer: JSON before compression.
ANSWER_BUDGET = 40 * 1024


def test_every_organ_choice_is_answered_in_at_most_40_kb(app, bundled):
    """From the landing page to each organ, and from each organ to each other one: the answer
    the browser gets (as served, before compression) stays within the budget."""
    organs = [o.id for o in bundled.organs]
    starts = {"": first_page(app, "")} | {organ: first_page(app, f"?organ={organ}") for organ in organs}
    sizes = {}
    for start, shown in starts.items():
        for organ in organs:
            if organ != start:
                sizes[start or "landing", organ] = len(choice_served(app, shown, ids.ORGAN, organ))
    assert len(sizes) == len(organs) ** 2
    over = {pair: size for pair, size in sizes.items() if size > ANSWER_BUDGET}
    assert not over, over
