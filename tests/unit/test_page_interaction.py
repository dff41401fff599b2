"""A choice is answered with what it changes: the scene once per page, the route layer as a Patch.

The figure is two graphs (page.views): the static scene under the route layer. These tests
read the served callback's answers as the browser gets them, and apply the Patch operations
the way dash-renderer does, to check that the browser ends up with exactly the new figure.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painmap.app import create_app, ids
from painmap.app.page import answer, figure_patch, list_patch, page, views
from painmap.figures import names
from painmap.loader import load
from painmap.viewstate import ViewState
from tests.conftest import DATA
from tests.unit.test_page import post_callback

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
    search = shown_page[ids.URL]["search"]
    return post_callback(
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
    assert kidney[ids.RED_FLAGS], "the red flags follow the organ"


def test_the_patched_layer_is_the_new_layer(app, bundled):
    """Choice after choice, the Patches turn the figure the browser holds into the new one."""
    shown = first_page(app, "?organ=bladder")
    figure = shown[ids.GRAPH]["figure"]
    flags = as_json(shown[ids.RED_FLAGS]["children"])
    for control, value in [
        (ids.ORGAN, "kidney"), (ids.ORGAN, "uterus"), (ids.LAYERS, ["sympathetic"]), (ids.ORGAN, "gut"),
        (ids.ZONE, "low-back"), (ids.ORGAN, "airways"), (ids.SPEED, 2.0), (ids.ANATOMY, "lateral"), (ids.ORGAN, "bladder"),
    ]:
        answer_ = choose(app, shown, control, value)
        update = answer_.get(ids.GRAPH, {}).get("figure")
        if isinstance(update, dict) and "__dash_patch_update" in update:
            figure = apply(figure, update)
        elif update is not None:
            figure = update
        state = ViewState.from_query(answer_[ids.URL]["search"]).canonical(bundled)
        _, expected = views(bundled, state, "wide", 880)
        assert figure == as_json(expected), f"after {control}={value!r} the layer differs"
        red = answer_.get(ids.RED_FLAGS, {}).get("children")
        if isinstance(red, dict) and "__dash_patch_update" in red:
            flags = apply(flags, red)
        elif red is not None:
            flags = as_json(red)
        assert flags == as_json(page(bundled, state)["red_flags"]), f"after {control}={value!r} the red flags differ"
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
    layers = [views(bundled, s.canonical(bundled), "wide", 880)[1] for s in states]
    for old in layers:
        for new in layers:
            assert apply(as_json(old), figure_patch(old, new).to_plotly_json()) == as_json(new)


@given(old=st.permutations(list(range(8))), new=st.lists(st.integers(0, 10), unique=True, max_size=10))
def test_a_list_patch_turns_the_old_list_into_the_new(old, new):
    items = {i: {"flag": i, "text": "x" * 40} for i in range(11)}
    patch = list_patch([items[i] for i in old], [items[i] for i in new])
    if patch is not None:
        assert apply([items[i] for i in old], patch.to_plotly_json()) == [items[i] for i in new]


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
