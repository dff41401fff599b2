"""Patient mode (?mode=patient) from the page contract: plain words one step at a time, no
jargon, side and anatomy in one click, the red flags of every organ on screen, and the body
map that answers "Where does it hurt?"."""

from __future__ import annotations

import re

import pytest
from dash import dcc, html

from painmap import figures
from painmap.app import ids, patient
from painmap.app.page import next_state, page
from painmap.loader import load
from painmap.viewstate import ViewState
from tests.conftest import DATA
from tests.unit.test_plain import JARGON


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


def words(component) -> str:
    """Every text a component tree shows, joined."""
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(words(c) for c in component)
    children = getattr(component, "children", None)
    return words(children) if children is not None else ""


def links(component) -> list:
    found = []
    if isinstance(component, (list, tuple)):
        for c in component:
            found += links(c)
    elif isinstance(component, dcc.Link):
        found.append(component)
    elif getattr(component, "children", None) is not None:
        found += links(component.children)
    return found


def test_patient_mode_tells_each_step_in_plain_words_and_hides_the_technical_panels(ds):
    state = ViewState(organ="bladder", mode="patient")
    shown = page(ds, state)
    route = ds.route[figures.resolve_selection(ds, state).route]
    steps = figures.animation_steps(ds, route, "en")
    told = words(shown["patient"])
    assert not shown["patient_hidden"]
    assert "mode-patient" in shown["page_class"].split() and "terms" not in shown["page_class"].split()
    assert told.count("Step ") == len(steps)
    assert not JARGON.search(told), JARGON.search(told)
    assert not JARGON.search(words(shown["patient_more"]))
    # the figure's caption is the plain sentence too, with no technical term under it
    frames = shown["figure"]["frames"]
    assert all("<i>" not in str(f) for f in frames)


def test_outside_patient_mode_nothing_of_it_is_drawn(ds):
    shown = page(ds, ViewState(organ="bladder"))
    assert shown["patient_hidden"] and shown["patient"] == [] and shown["body_map"]["data"] == []
    assert "mode-patient" not in shown["page_class"]


def test_show_the_technical_terms_is_one_link_and_it_keeps_the_view(ds):
    state = ViewState(organ="kidney", mode="patient", step=3)
    toggle = next(l for l in links(page(ds, state)["patient"]) if "technical terms" in l.children)
    opened = ViewState.from_query(toggle.href).canonical(ds)
    assert opened == state.with_(terms=True)
    assert "terms" in page(ds, opened)["page_class"].split()
    leave = next(l for l in links(page(ds, state)["patient"]) if "Leave" in l.children)
    assert ViewState.from_query(leave.href).canonical(ds) == state.with_(mode="")


def test_side_and_anatomy_are_one_click_each(ds):
    state = ViewState(organ="kidney", mode="patient")
    targets = {l.children: ViewState.from_query(l.href) for l in links(patient.choices(ds, state))}
    assert targets["Left"].side == "left" and targets["Right"].side == "right"
    assert targets["Female"].sex == "female" and targets["Male"].sex == "male"
    assert all(t.mode == "patient" and t.organ == "kidney" for t in targets.values())
    # no side for an organ that has one
    assert "Left" not in words(patient.choices(ds, ViewState(organ="bladder", mode="patient")))


def test_the_red_flags_box_holds_every_flag_of_the_organs_on_screen_emergencies_first(ds):
    box = patient.red_flags_box(ds, ["kidney"], "en")
    flags = list(box[1].children)
    ids_shown = [getattr(li, "data-flag") for li in flags]
    expected = {f.id for f in ds.red_flags if not f.organs or "kidney" in f.organs}
    assert expected <= set(ids_shown)
    urgencies = [getattr(li, "data-urgency") for li in flags]
    assert urgencies == sorted(urgencies, key=lambda u: u != "emergency")
    assert patient.red_flags_box(ds, [], "en")[1].children  # nothing chosen yet: every emergency


def test_touching_the_body_map_opens_that_zone_in_patient_mode(ds):
    state = ViewState(mode="patient")
    figure = patient.body_map_figure(ds, state)
    zone_traces = [t for t in figure["data"] if t["name"].startswith("zone/")]
    assert {t["name"].split("/")[1] for t in zone_traces} >= {"low-back", "flank", "suprapubic"}
    curve = next(i for i, t in enumerate(figure["data"]) if t["name"] == "zone/low-back/back")
    click = {"points": [{"curveNumber": curve}]}  # a click inside a filled zone
    after = next_state(ds, state.to_query(), ids.BODY_MAP, None, click, figure)
    assert after.zone == "low-back" and after.mode == "patient"
    answered = page(ds, after)
    assert "Pain felt here: low back" in words(answered["patient"])
    assert "bladder" in words(answered["patient"])
    chosen = next(t for t in answered["body_map"]["data"] if t["name"] == "zone/low-back/back")
    assert chosen["fillcolor"] != next(t for t in figure["data"] if t["name"] == "zone/flank/back")["fillcolor"]


def test_the_body_map_labels_left_and_right_as_the_patients_own(ds):
    notes = [a["text"] for a in patient.body_map_figure(ds, ViewState(mode="patient"))["layout"]["annotations"]]
    # front: the patient's right is on the viewer's left; back: their left is on the viewer's left
    assert notes[1:3] == ["Right", "Left"] and notes[4:6] == ["Left", "Right"]


def test_nonsense_clicks_on_the_body_map_give_a_working_page(ds):
    for click in (None, {}, {"points": "x"}, {"points": [{"curveNumber": 10**9}]}, {"points": [{"customdata": 5}]}):
        state = next_state(ds, "?mode=patient", ids.BODY_MAP, None, click, patient.body_map_figure(ds, ViewState()))
        assert state.mode == "patient" and page(ds, state)["patient_flags"]


def test_starting_points_list_the_stories_and_organs_in_patient_mode(ds):
    more = page(ds, ViewState(mode="patient"))["patient_more"]
    targets = [ViewState.from_query(l.href) for l in links(more)]
    assert {t.story for t in targets if t.story} == {s.id for s in ds.stories}
    assert {t.organ for t in targets if t.organ} == {o.id for o in ds.organs}
    assert all(t.mode == "patient" for t in targets)
    assert isinstance(more[0], html.Ul)  # aches all over, which the map cannot show, comes first
    assert re.search("aches all over", words(more[0]), re.I)


def test_a_search_answer_keeps_the_patient_view_and_its_language(ds):
    from painmap.app.callbacks import story_search

    found = links(story_search(ds, "kidney", "en", "?organ=bladder&mode=patient&sex=female&step=3"))
    opened = [ViewState.from_query(link.href) for link in found]
    assert opened and all(s.mode == "patient" and s.sex == "female" and s.step == 0 for s in opened)
    assert {s.story for s in opened if s.story} == {"kidney-infection"}
    assert all(not (s.organ == "bladder") for s in opened)  # the question is asked afresh
    for nonsense in (None, 5, "?mode=%ff", "?" + "x" * 10_000):
        assert isinstance(story_search(ds, "kidney", "en", nonsense), list)


def test_the_share_panel_says_how_to_cite_the_view_with_its_sources_and_versions(ds):
    shown = page(ds, ViewState(organ="kidney", step=2), href="http://painmap.test/?organ=kidney")
    cited = words(shown["cite"])
    assert "How to cite this figure" in cited and "painmap 0.1.0" in cited and "MIT" in cited
    assert "http://painmap.test/?organ=kidney&step=2" in cited
    route = ds.route[figures.resolve_selection(ds, ViewState(organ="kidney")).route]
    first = ds.source[route.sources[0]]
    assert str(first.year) in cited
    from painmap.app.cite import dataset_version

    assert dataset_version(ds) in cited and len(dataset_version(ds)) == 10
