"""The page contract, without a browser: next_state() and page() on a dataset written here.

The tiny dataset (tests/unit/tiny.py) stands alone, so these tests pin the app's behaviour,
not the bundled content. The last tests send real callback requests through the server.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painmap.app import create_app, ids, panels
from painmap.app.page import CONTROL_IDS, next_state, outputs, page, views
from painmap.app.wire import store_id
from painmap.figures import figure_dict, names
from painmap.viewstate import ViewState
from tests.unit.test_callbacks import text_of
from tests.unit.tiny import tiny_dataset, tiny_dataset_with_extras


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_dataset(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def show(tiny):
    """page() for a state, with the figure built once per (state, size)."""

    @lru_cache(maxsize=None)
    def build(state, arrangement, width):
        return views(tiny, state, arrangement, width)

    def run(state: ViewState, viewport=None, href="http://painmap.test/"):
        return page(tiny, state, viewport, href, build)

    return run


def props(items, key: str) -> list[str]:
    """The data-* attribute ``key`` of each rendered list item."""
    return [item.to_plotly_json()["props"][key] for item in items]


# --------------------------------------------------------------------------- panels


def test_a_weak_route_says_so_and_a_strong_one_does_not(show):
    weak = text_of(show(ViewState(route="pump-base-upper"))["summary"])
    strong = text_of(show(ViewState(route="pump-top-upper"))["summary"])
    assert "Weak evidence" in weak
    assert "Weak evidence" not in strong


def test_a_weak_source_is_marked_in_the_source_list(show):
    sources = show(ViewState(route="pump-base-upper"))["sources"][0].children
    marked = {item.to_plotly_json()["props"]["data-source"]: "weak source" in text_of(item) for item in sources}
    assert marked["rumour"] is True and marked["book"] is False


def test_a_rat_route_names_its_species_and_a_human_one_does_not(show):
    rat = text_of(show(ViewState(route="sac-rat"))["summary"])
    human = text_of(show(ViewState(route="pump-top-upper"))["summary"])
    assert "Rattus norvegicus" in rat and "not a human finding" in rat
    assert "not a human finding" not in human


def test_a_rat_route_names_its_species_in_its_headline_and_in_reverse_look_ups(show):
    headline = show(ViewState(route="sac-rat"))["summary"][0]
    assert text_of(headline) == "Sac wall in the rat (in Rattus norvegicus)"
    assert text_of(show(ViewState(route="pump-top-upper"))["summary"][0]) == "Pump top via the upper nerve"
    assert "(in Rattus norvegicus)" in text_of(show(ViewState(zone="low-back"))["summary"])
    assert "(in Rattus norvegicus)" in text_of(show(ViewState(segment="L1"))["summary"])


def test_disputed_routes_show_both_alternatives_with_their_sources(show):
    box = show(ViewState(route="pump-base-lower"))["dispute"]
    shown = text_of(box)
    assert "Sources disagree" in shown and "Which segments does the pump base reach?" in shown
    items = box[2].children
    assert props(items, "data-route") == ["pump-base-upper", "pump-base-lower"]
    assert "(shown)" in text_of(items[1]) and "(shown)" not in text_of(items[0])
    assert "A weak rumour" in text_of(items[0]) and "A tiny anatomy book" in text_of(items[1])
    assert show(ViewState(route="pump-top-upper"))["dispute"] == []


def test_the_chosen_language_reaches_every_panel(show):
    es = show(ViewState(route="pump-top-upper", lang="es"))
    en = show(ViewState(route="pump-top-upper"))
    assert "Parte alta de la bomba" in text_of(es["summary"]) and "Pump top" not in text_of(es["summary"])
    assert "Nervio alto" in text_of(es["summary"])
    assert "La bomba se para" in text_of(es["red_flags"]) and "Pump stops" not in text_of(es["red_flags"])
    assert [o["label"] for o in es["part_options"]] == ["Parte alta de la bomba", "Base de la bomba"]
    assert "Parte alta por el nervio alto" in es["route_options"][0]["label"]
    assert es["steps"] != en["steps"], "step captions name the parts in the chosen language"
    assert "Pump top" in text_of(en["summary"])
    assert es[ids.LANG] == "es" and es["search"].endswith("lang=es")


def test_an_unknown_language_falls_back_to_english(show):
    out = show(ViewState(organ="pump", lang="xx"))
    assert out[ids.LANG] == "en" and "Pump top" in text_of(out["summary"])


def grouped_routes(summary) -> dict[str, list[str]]:
    """{group kind: route ids} of a zone or segment summary's headed groups."""
    found = {}
    for part in summary:
        group = part.to_plotly_json()["props"].get("data-group") if hasattr(part, "to_plotly_json") else None
        if group:
            found[group] = props(part.children[1].children, "data-route")
    return found


def test_a_zone_lists_every_route_that_refers_there(show):
    belly = show(ViewState(zone="belly"))
    assert grouped_routes(belly["summary"]) == {"segmental": ["pump-top-upper", "pump-base-upper"]}
    assert "Belly skin" in text_of(belly["summary"])
    assert belly["player_hidden"] and belly["steps"] == []
    seat = show(ViewState(zone="seat"))
    assert grouped_routes(seat["summary"]) == {"segmental": ["pump-base-lower"]}


def test_a_zone_keeps_referred_pain_and_muscle_strain_apart(show):
    shown = show(ViewState(zone="low-back"))["summary"]
    assert grouped_routes(shown) == {"segmental": ["sac-rat"], "mechanical": ["sac-posture"]}
    assert "Referred through the cord (segmental)" in text_of(shown)
    assert "Posture and muscle strain (mechanical)" in text_of(shown)


def test_at_a_segment_muscle_strain_is_not_an_organ_whose_pain_enters(show):
    shown = show(ViewState(segment="L3"))["summary"]
    assert grouped_routes(shown) == {"mechanical": ["sac-posture"]}
    assert "Referred through the cord" not in text_of(shown)
    assert grouped_routes(show(ViewState(segment="L2"))["summary"]) == {"segmental": ["sac-rat"], "mechanical": ["sac-posture"]}


def test_a_segment_lists_the_routes_and_skin_that_enter_it(show):
    shown = text_of(show(ViewState(segment="T11"))["summary"])
    assert "Spinal segment T11" in shown
    assert "Pump top" in shown and "Pump base" in shown and "Sac wall" not in shown
    assert "Belly skin input" in shown
    assert "No organ route enters here." in text_of(show(ViewState(segment="S1"))["summary"])


def test_red_flags_of_the_organs_on_screen_come_first_and_all_stay(show):
    for state, first in ((ViewState(organ="sac"), "sac-bleeds"), (ViewState(organ="pump"), "pump-stops")):
        flags = props(show(state)["red_flags"], "data-flag")
        assert flags[0] == first and sorted(flags) == ["general", "pump-stops", "sac-bleeds"]
    flags = props(show(ViewState(zone="low-back"))["red_flags"], "data-flag")
    assert flags[0] == "sac-bleeds", "a zone's referring organs count as on screen"


def test_the_landing_page_invites_a_choice_and_hides_the_player(show):
    out = show(ViewState())
    assert "Choose an organ" in text_of(out["summary"])
    assert out["player_hidden"] and out["steps_hidden"] and out["caption"] == ""
    assert out["red_flags"], "red flags are always there"


def test_the_step_caption_follows_the_step(show, tiny):
    first = show(ViewState(route="pump-top-upper"))
    later = show(ViewState(route="pump-top-upper", step=2))
    assert first["caption"] != later["caption"]
    assert [item.className for item in later["steps"]][2] == "step current"
    too_far = show(ViewState(route="pump-top-upper", step=99))
    assert too_far["steps"][-1].className == "step current"


def test_a_comparison_names_the_shared_segments(show):
    shown = text_of(show(ViewState(organ="pump", compare="sac"))["summary"])
    assert "Pump and Sac share" in shown and "L1" in shown


def test_share_link_and_embed_keep_the_view_and_escape_the_address(show):
    out = show(ViewState(route="sac-rat", step=2), href='http://painmap.test/lesson"><script>/?x=1')
    assert out["share_link"].endswith("?organ=sac&part=sac-wall&route=sac-rat&step=2")
    assert "<script>" not in out["embed_code"] and "/embed?organ=sac&amp;part=sac-wall" in out["embed_code"]
    assert show(ViewState(organ="sac"), href="//?organ=sac")["share_link"] == "/?organ=sac"


def test_page_answers_every_output_and_nothing_else(show, tiny):
    assert set(show(ViewState(organ="pump"))) == set(outputs(tiny))


# --------------------------------------------------------------------------- transitions


def test_every_control_changes_the_view(tiny):
    start = "?organ=pump"
    expected = {
        ids.ORGAN: ("sac", lambda s: s.organ == "sac"),
        ids.PART: ("pump-base", lambda s: (s.organ, s.part) == ("pump", "pump-base")),
        ids.ROUTE: ("pump-base-lower", lambda s: (s.part, s.route) == ("pump-base", "pump-base-lower")),
        ids.ZONE: ("seat", lambda s: (s.zone, s.organ) == ("seat", "")),
        ids.SEGMENT: ("L1", lambda s: (s.segment, s.organ) == ("L1", "")),
        ids.COMPARE: ("sac", lambda s: s.compare == "sac"),
        ids.LAYERS: (["labels"], lambda s: s.layers == frozenset({"labels"})),
        ids.ANATOMY: ("lateral", lambda s: s.anatomy == "lateral"),
        ids.SEX: ("female", lambda s: s.sex == "female"),
        ids.SIDE: ("left", lambda s: s.side == "left"),
        ids.SPEED: (2.0, lambda s: s.speed == 2.0),
        ids.LANG: ("es", lambda s: s.lang == "es"),
    }
    assert set(expected) == set(CONTROL_IDS)
    for control, (value, holds) in expected.items():
        assert holds(next_state(tiny, start, control, value)), control


def test_a_new_question_clears_a_stale_comparison(tiny):
    compared = "?organ=pump&compare=sac&step=3"
    assert next_state(tiny, compared, None).compare == "sac"
    assert next_state(tiny, compared, ids.ZONE, "belly").compare == ""
    assert next_state(tiny, compared, ids.SEGMENT, "T11").compare == ""
    assert next_state(tiny, compared, ids.ORGAN, "sac").compare == "", "an organ is not compared with itself"
    assert next_state(tiny, "?organ=pump", ids.COMPARE, "pump").compare == ""
    assert next_state(tiny, compared, ids.ORGAN, "sac").step == 0


def test_clicks_choose_what_was_clicked(tiny):
    assert next_state(tiny, "", ids.GRAPH, click={"points": [{"customdata": "part:pump-base"}]}).part == "pump-base"
    figure = figure_dict(tiny, ViewState())
    zone_trace = next(i for i, t in enumerate(figure["data"]) if names.entity_of_trace(t.get("name")) == "zone:seat")
    clicked = next_state(tiny, "?organ=pump", ids.GRAPH, click={"points": [{"curveNumber": zone_trace}]}, shown=figure)
    assert (clicked.zone, clicked.organ) == ("seat", "")
    for nonsense in (None, "x", [], {"points": "x"}, {"points": [5]}, {"points": [{"customdata": "zone:nowhere"}]}):
        assert next_state(tiny, "?organ=pump", ids.GRAPH, click=nonsense) == ViewState(organ="pump").canonical(tiny)


def test_the_url_alone_opens_the_view_it_names(tiny):
    state = next_state(tiny, "?route=pump-base-lower&step=2&lang=es&anatomy=side", ids.URL)
    assert (state.organ, state.part, state.route, state.step, state.lang, state.anatomy) == (
        "pump", "pump-base", "pump-base-lower", 2, "es", "lateral",
    ), "an old link's anatomy=side opens the lateral view"
    assert next_state(tiny, "?organ=pump-base", None).part == "pump-base", "a part id given as the organ"
    assert next_state(tiny, "?segment=t11", None).segment == "T11"


KEYS = ["organ", "part", "route", "zone", "segment", "compare", "step", "speed", "layers", "anatomy", "lang", "sex",
        "embed", "x", ""]
#: Values a URL or a control might carry: ids of the tiny dataset, unicode digits, broken escapes.
NASTY = ["pump", "pump-base", "sac", "sac-rat", "belly", "seat", "T11", "t11", "es", "side", "lateral", "female",
         "\u00b2", "%C2%B2", "\u0662", "\u2460", "1e999", "inf", "-Infinity", "nan", "%", "%ZZ", "%00", "99999999999",
         "-1", " 3", "labels,somatic", "none", "1", "true", "//", "?", "&", "=", "#", "\ud7ff", "\x00"]
query_values = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))
query_strings = st.builds(
    lambda pairs, lead: lead + "&".join(f"{k}={v}" for k, v in pairs),
    st.lists(st.tuples(st.sampled_from(KEYS), query_values), max_size=6),
    st.sampled_from(["?", "", "??", "?&"]),
)
any_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8,
)
searches = st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=60), query_strings, any_json)
triggers = st.one_of(st.none(), st.sampled_from([*CONTROL_IDS, ids.GRAPH, ids.URL]), st.text(max_size=8), any_json)
values = st.one_of(any_json, st.sampled_from([*NASTY, 2.0, 0.5, float("inf"), ["labels"], [{"a": 1}], [["x"]]]))
clicks = st.one_of(
    any_json,
    st.builds(lambda c: {"points": [{"curveNumber": c}]}, st.one_of(st.integers(-3, 200), any_json)),
    st.builds(lambda t: {"points": [{"customdata": t}]}, st.one_of(st.sampled_from(
        ["part:pump-base", "zone:seat", "segment:L1", "route:sac-rat", "organ:sac", "zone:", ":", "x:y"]), any_json)),
)
viewports = st.one_of(
    any_json,
    st.fixed_dictionaries({"width": st.one_of(st.floats(), st.integers(), any_json), "graph": st.one_of(
        st.floats(), st.integers(min_value=-10, max_value=10**400), any_json)}),
)
hrefs = st.one_of(any_json, st.sampled_from(["//?organ=sac", "http://painmap.test/embed?x=1", "/embed/", "", "//evil.test/"]))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(search=searches, trigger=triggers, value=values, click=clicks, viewport=viewports, href=hrefs)
def test_any_input_gives_a_working_page_with_red_flags(tiny, show, search, trigger, value, click, viewport, href):
    state = next_state(tiny, search, trigger, value, click)
    assert state == state.canonical(tiny)
    out = show(state, viewport, href)
    assert set(out) == set(outputs(tiny))
    assert props(out["red_flags"], "data-flag"), "red flags never vanish"
    assert ViewState.from_query(out["search"]).canonical(tiny) == state, "the address bar reopens the same view"
    assert not out["share_link"].startswith("//") and "/embed" not in out["share_link"].split("?")[0]
    json.dumps(out["figure"])  # the figure is plain JSON


def test_a_link_that_compares_the_organ_with_itself_says_the_comparison_was_dropped(tiny):
    out = page(tiny, next_state(tiny, "?organ=pump&compare=pump"), search="?organ=pump&compare=pump")
    assert out["search"] == "?organ=pump" and out[ids.COMPARE] is None
    assert "The comparison was dropped: Pump cannot be compared with itself." in text_of(out["summary"])
    part_as_organ = page(tiny, next_state(tiny, "?part=pump-base&compare=pump"), search="?part=pump-base&compare=pump")
    assert "comparison was dropped" in text_of(part_as_organ["summary"])
    for fine in ("?organ=pump&compare=sac", "?organ=pump", None, 5, "?compare=pump"):
        assert "comparison was dropped" not in text_of(page(tiny, next_state(tiny, fine), search=fine)["summary"])


# --------------------------------------------------------------------------- the registered callback


def post_callback(app, changed: str | None, values: dict[str, object]) -> dict:
    """Send the render callback's request as the browser does; return {component: {prop: value}}."""
    return json.loads(served_answer(app, changed, values))["response"]


def served_answer(app, changed: str | None, values: dict[str, object]) -> bytes:
    """The render callback's answer to the browser's request, as served (before compression)."""
    key = next(k for k in app.callback_map if f"{ids.GRAPH}.figure" in k)
    spec = app.callback_map[key]

    def fill(items):
        return [{**item, "value": values.get(f"{item['id']}.{item['property']}")} for item in items]

    body = {
        "output": key,
        "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")],
        "inputs": fill(spec["inputs"]),
        "state": fill(spec["state"]),
        "changedPropIds": [changed] if changed else [],
    }
    reply = app.server.test_client().post("/_dash-update-component", json=body)
    assert reply.status_code == 200, reply.data[:300]
    return reply.data


def test_the_served_callback_applies_controls_and_clicks(tiny):
    app = create_app(tiny)
    base = {"url.search": "?organ=pump", "url.href": "http://painmap.test/?organ=pump"}
    chose = post_callback(app, f"{ids.ORGAN}.value", {**base, f"{ids.ORGAN}.value": "sac"})
    assert chose[ids.URL]["search"] == "?organ=sac"
    assert "Sac wall" in json.dumps(chose[store_id(ids.SUMMARY)]["data"])
    clicked = post_callback(
        app, f"{ids.SCENE_GRAPH}.clickData", {**base, f"{ids.SCENE_GRAPH}.clickData": {"points": [{"customdata": "zone:seat"}]}}
    )
    assert clicked[ids.URL]["search"] == "?zone=seat"
    spanish = post_callback(app, f"{ids.LANG}.value", {**base, f"{ids.LANG}.value": "es"})
    assert "Parte alta de la bomba" in json.dumps(spanish[store_id(ids.SUMMARY)]["data"])


def test_a_click_overtaken_by_a_resize_is_still_applied_and_only_once(tiny):
    """Dash drops an answer on its way when the page asks again (it re-measured its size a
    moment after the click): the next request carries the click, and the server applies it."""
    app = create_app(tiny)
    click = {"points": [{"customdata": "zone:seat"}], "timestamp": 1_700_000_000_000}
    base = {"url.search": "?organ=pump", "url.href": "http://painmap.test/?organ=pump"}
    first = post_callback(app, None, {**base, "viewport.data": {"width": 1280, "graph": 955}})
    shown_before_click = first[ids.SHOWN]["data"]
    resized = {
        **base,
        f"{ids.SCENE_GRAPH}.clickData": click,
        "viewport.data": {"width": 1280, "graph": 795},
        f"{ids.SHOWN}.data": shown_before_click,
    }
    overtaking = post_callback(app, f"{ids.VIEWPORT}.data", resized)
    assert overtaking[ids.URL]["search"] == "?zone=seat"
    assert click["timestamp"] in overtaking[ids.SHOWN]["data"]["clicks"]

    def search_after_resize(clicked: object, shown: object) -> str:
        values = {**resized, f"{ids.SCENE_GRAPH}.clickData": clicked, f"{ids.SHOWN}.data": shown}
        reply = post_callback(app, f"{ids.VIEWPORT}.data", values)
        return reply.get(ids.URL, {}).get("search", "(unchanged)")

    # a click an answer has seen is not applied again (the user has moved on since)
    seen = {**shown_before_click, "clicks": [click["timestamp"], 0]}
    assert search_after_resize(click, seen) == "(unchanged)"
    # a value that is not a click time never counts as a new click
    for odd in ("soon", True, None, [1], {"t": 1}):
        assert search_after_resize({**click, "timestamp": odd}, shown_before_click) == "(unchanged)"
    assert search_after_resize(click, {**shown_before_click, "clicks": "garbage"}) == "?zone=seat"


def test_the_served_callback_survives_a_broken_link(tiny):
    app = create_app(tiny)
    reply = post_callback(app, None, {"url.search": "?organ=pump&step=%C2%B2&speed=nan", "url.href": 5})
    assert reply[ids.URL]["search"] == "?organ=pump"
    assert "pump-stops" in json.dumps(reply[store_id(ids.RED_FLAGS)]["data"])


# --------------------------------------------------------------------------- explanations (panels)


@pytest.fixture(scope="module")
def explained(tmp_path_factory):
    """The tiny dataset with mechanisms, a forked route with a somatic phase and a systemic route."""
    return tiny_dataset_with_extras(tmp_path_factory.mktemp("tiny-extra"))


def test_a_route_shows_the_mechanism_that_explains_it_plain_words_first_with_sources(explained):
    assert panels.mechanisms_explaining(explained, explained.route["sac-fork"]) == ["cross-talk"]
    item = panels.mechanism_item(explained, "cross-talk", "en")
    assert item.to_plotly_json()["props"]["data-mechanism"] == "cross-talk"
    words = text_of(item)
    assert words.index("Two organs on one segment") < words.index("(Cross-talk)") < words.index("A weak rumour")
    assert "rumour" in panels.source_ids_on_screen(explained, [explained.route["sac-fork"]])


@pytest.mark.parametrize(
    ("route", "mechanism"),
    [("pump-top-upper", "convergence-projection"), ("sac-posture", "mechanical-strain"), ("sac-fever", "systemic-cytokines")],
)
def test_a_route_without_its_own_mechanism_is_explained_by_its_kind(explained, route, mechanism):
    assert panels.mechanisms_explaining(explained, explained.route[route]) == [mechanism]
    sources = explained.mechanisms[[m.id for m in explained.mechanisms].index(mechanism)].sources
    assert set(sources) <= set(panels.source_ids_on_screen(explained, [explained.route[route]]))


def test_a_dataset_without_mechanisms_shows_no_empty_explanation(tiny):
    assert panels.mechanisms_explaining(tiny, tiny.route["pump-top-upper"]) == []
    assert panels.mechanisms_panel(tiny, [], "en") == []


def test_the_mechanism_follows_the_language(explained):
    shown = text_of(panels.mechanism_item(explained, "cross-talk", "es"))
    assert "Dos órganos en un segmento" in shown and "Two organs" not in shown


def test_alternatives_read_as_or_and_the_somatic_phase_as_not_referred(explained):
    shown = " ".join(text_of(panels.route_summary(explained, explained.route["sac-fork"], "en")).split())
    assert "Hub plexus \u2192 Left fork nerve or Right fork nerve" in shown
    assert "Felt first in: Belly skin" in shown
    assert "Then: Then the side wall hurts" in shown and "somatic, not referred" in shown
    assert "rat-study" in panels.source_ids_on_screen(explained, [explained.route["sac-fork"]])


def test_the_ascending_pathways_are_named(explained):
    shown = " ".join(text_of(panels.route_summary(explained, explained.route["pump-top-upper"], "en")).split())
    assert "Rises to the brain in: the spinothalamic tract" in shown and "dorsal columns" not in shown


def test_a_somatic_phase_is_its_own_group_in_the_reverse_look_ups(explained):
    side = panels.zone_summary(explained, "side", "en")
    assert grouped_routes(side) == {"somatic_phase": ["sac-fork"]}
    assert "somatic, not referred" in text_of(side)
    assert grouped_routes(panels.segment_summary(explained, "T12", "en"))["somatic_phase"] == ["sac-fork"]


def test_a_whole_body_zone_is_not_the_skin_of_segments(explained):
    shown = panels.zone_summary(explained, "everywhere", "en")
    assert grouped_routes(shown) == {"systemic": ["sac-fever"]}
    assert "Skin of segments" not in text_of(shown) and "Whole-body (systemic)" in text_of(shown)
    assert "Skin of segments T10-T12" in text_of(panels.zone_summary(explained, "belly", "en"))


def test_each_step_links_to_the_mechanism_that_explains_it(tmp_path):
    """A step's "Why?" link points at an explanation that is on the page, in the chosen language."""
    from tests.unit.tiny import tiny_dataset_with_extras

    extras = tiny_dataset_with_extras(tmp_path)
    for lang in ("en", "es"):
        out = page(extras, ViewState(route="sac-fork", lang=lang))
        links = [
            child
            for item in out["steps"]
            for child in item.children
            if getattr(child, "className", "") == "why"
        ]
        assert links, "steps link to their explanations"
        anchors = {item.id for item in out["mechanisms"] if not getattr(item, "hidden", None)}
        assert {link.href.lstrip("#") for link in links} <= anchors
        assert any(link.href == "#mechanism-convergence-projection" for link in links)
    spanish = page(extras, ViewState(route="sac-fork", lang="es"))
    assert "Convergencia-proyección" in text_of(spanish["steps"])


def test_red_flags_say_how_urgent_they_are_emergencies_first(show):
    """An emergency is marked as one and comes before 'see a doctor today' flags of its group."""
    flags = show(ViewState(organ="sac"))["red_flags"]
    urgency = {item.to_plotly_json()["props"]["data-flag"]: item.to_plotly_json()["props"]["data-urgency"] for item in flags}
    assert urgency == {"pump-stops": "emergency", "sac-bleeds": "today", "general": "today"}
    assert text_of(flags[-1]).startswith("Emergency: get help now"), "the pump is not on screen: its flag comes last"
    assert text_of(flags[0]).startswith("See a doctor today")
    first = show(ViewState(zone="belly"))["red_flags"]
    assert " ".join(text_of(first[0]).split()).startswith("Emergency: get help now Pump stops:")


@pytest.fixture(scope="module")
def served(tiny):
    return create_app(tiny)


CHANGED = [f"{ids.URL}.search", f"{ids.SCENE_GRAPH}.clickData", f"{ids.VIEWPORT}.data",
           *(f"{c}.value" for c in CONTROL_IDS if c != ids.LANG), f"{ids.LANG}.data", f"{ids.LANG}.value", None]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changed=st.sampled_from(CHANGED),
    search=searches, value=values, click=clicks, viewport=viewports, href=hrefs,
)
def test_the_served_callback_answers_any_request_with_red_flags(served, changed, search, value, click, viewport, href):
    """What a browser, a stale tab or a hand-made request may send: always a 200 with red flags."""
    sent = {
        "url.search": search, "url.href": href, f"{ids.SCENE_GRAPH}.clickData": click, f"{ids.VIEWPORT}.data": viewport,
    }
    if changed and changed.split(".")[0] in CONTROL_IDS:
        sent[changed] = value
    reply = post_callback(served, changed, sent)
    assert json.loads(json.dumps(reply[store_id(ids.RED_FLAGS)]["data"])), "red flags never vanish"
    assert isinstance(reply[ids.URL]["search"], str)


def test_the_served_callback_says_when_a_comparison_was_dropped(served):
    reply = post_callback(served, None, {"url.search": "?organ=pump&compare=pump", "url.href": "http://t/?organ=pump"})
    assert reply[ids.URL]["search"] == "?organ=pump"
    assert "cannot be compared with itself" in json.dumps(reply[store_id(ids.SUMMARY)]["data"])
