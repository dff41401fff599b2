"""?story=ID: the view state carries a story; a story decides its organ and its route."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painmap.loader import load
from painmap.model import Dataset
from painmap.query import UnknownId, story_narration
from painmap.viewstate import ViewState


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load()


def test_a_story_link_opens_its_organ_and_first_route(ds: Dataset) -> None:
    state = ViewState.from_query("?story=period-pain").canonical(ds)
    assert (state.story, state.organ, state.route) == ("period-pain", "uterus", "uterine-body-sympathetic")
    assert ViewState.from_query(state.to_query()).canonical(ds) == state


def test_a_story_keeps_one_of_its_own_routes_and_replaces_another(ds: Dataset) -> None:
    own = ViewState.from_query("?story=interstitial-cystitis&route=bladder-pelvic-floor-loop&step=2").canonical(ds)
    assert (own.route, own.step) == ("bladder-pelvic-floor-loop", 2)
    other = ViewState.from_query("?story=kidney-infection&organ=gut&route=flu-cough-strain").canonical(ds)
    assert (other.organ, other.route) == ("kidney", "kidney-splanchnic")


def test_an_unknown_story_is_dropped_and_the_rest_kept(ds: Dataset) -> None:
    state = ViewState.from_query("?story=no-such-story&organ=kidney").canonical(ds)
    assert (state.story, state.organ) == ("", "kidney")


def test_a_story_of_the_other_anatomy_is_dropped(ds: Dataset) -> None:
    assert ViewState.from_query("?story=period-pain&sex=male").canonical(ds).story == ""


BUNDLED = load()


@given(st.text(max_size=120))
def test_any_story_value_gives_a_canonical_state(value: str) -> None:
    ds = BUNDLED
    state = ViewState(story=value).canonical(ds)
    assert state.story in ("", *ds.story)
    assert state.canonical(ds) == state


def test_story_narration_gives_each_step_its_route_and_animation_step(ds: Dataset) -> None:
    from painmap.figures.steps import animation_steps

    told = story_narration(ds, "kidney-infection", "es")
    assert len(told) == len(ds.story["kidney-infection"].steps)
    for (route, index, words), step in zip(told, ds.story["kidney-infection"].steps, strict=True):
        assert animation_steps(ds, route)[index].name == step.step
        assert words == step.text["es"]
    with pytest.raises(UnknownId, match="did you mean"):
        story_narration(ds, "kidney-infektion")


def test_a_teachers_story_opens_from_its_link(tmp_path: Path) -> None:
    from tests.unit.test_stories import write

    tiny = load(write(tmp_path))
    state = ViewState.from_query("?story=sac-ache").canonical(tiny)
    assert (state.organ, state.route) == ("sac", "sac-posture")
    assert [i for _, i, _ in story_narration(tiny, "sac-ache")] == [0, 1, 2]
