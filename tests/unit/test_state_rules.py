"""The rules of a view, on the tiny dataset: what a URL opens, what a control or a click
clears, and what a nonsense value falls back to. Gaps the mutation run found (`make mutate`).
"""

from __future__ import annotations

import pytest

from painmap.app import ids
from painmap.app.transitions import apply_click, apply_control
from painmap.viewstate import MAX_ID_LENGTH, ViewState
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_dataset(tmp_path_factory.mktemp("tiny"))


# --------------------------------------------------------------------------- the URL


def test_a_link_to_a_zone_opens_that_zone():
    assert ViewState.from_query("?zone=belly").zone == "belly"


def test_an_id_of_the_longest_allowed_length_survives_the_url_and_a_longer_one_is_dropped():
    assert ViewState.from_query("?organ=" + "a" * MAX_ID_LENGTH).organ == "a" * MAX_ID_LENGTH
    assert ViewState.from_query("?organ=" + "a" * (MAX_ID_LENGTH + 1)).organ == ""


@pytest.mark.parametrize("word", ["1", "true", "yes"])
def test_an_embed_link_may_say_1_true_or_yes(word):
    """The embed is its own path now: the server redirects these words to /embed (test_embed)."""
    from painmap.app.embed import EMBED_FLAGS

    assert word in EMBED_FLAGS and "no" not in EMBED_FLAGS
    assert ViewState.from_query(f"?organ=gut&embed={word}") == ViewState(organ="gut"), "not part of the view"


def test_cache_keys_tell_different_views_apart_and_ignore_layer_order():
    assert ViewState(organ="pump").key() != ViewState(organ="sac").key()
    assert ViewState(layers=frozenset({"labels", "somatic"})).key() == ViewState(layers=frozenset({"somatic", "labels"})).key()
    assert ViewState(layers=frozenset({"labels"})).key() != ViewState().key()


# --------------------------------------------------------------------------- what the ids mean


def test_an_explicit_part_wins_over_a_part_id_given_as_the_organ(tiny):
    state = ViewState(organ="pump-base", part="pump-top").canonical(tiny)
    assert (state.organ, state.part) == ("pump", "pump-top")


def test_unknown_view_speed_and_segment_fall_back(tiny):
    state = ViewState(anatomy="top", speed=3.0, segment="C1").canonical(tiny)
    assert (state.anatomy, state.speed, state.segment) == ("front", 1.0, "")


# --------------------------------------------------------------------------- controls


@pytest.mark.parametrize("control, value", [(ids.PART, "pump-top"), (ids.ROUTE, "pump-top-upper")])
def test_choosing_a_part_or_a_route_starts_its_story_over(tiny, control, value):
    state = ViewState(organ="pump", part="pump-base", route="pump-base-lower", zone="belly", segment="T11", step=4)
    after = apply_control(tiny, state, control, value)
    assert (after.zone, after.segment, after.step) == ("", "", 0)
    assert after.route == ("pump-top-upper" if control == ids.ROUTE else "")


def test_a_zone_or_a_segment_clears_a_comparison_and_an_unknown_one_chooses_nothing(tiny):
    compared = ViewState(organ="pump", compare="sac")
    for control, value in ((ids.ZONE, "belly"), (ids.SEGMENT, "T11")):
        assert apply_control(tiny, compared, control, value).compare == ""
    assert apply_control(tiny, compared, ids.ZONE, "nowhere").zone == ""
    assert apply_control(tiny, compared, ids.SEGMENT, "Z9").segment == ""


def test_an_unknown_language_or_speed_falls_back_to_the_default(tiny):
    state = ViewState(lang="es", speed=2.0)
    assert apply_control(tiny, state, ids.LANG, "xx").lang == "en"
    assert apply_control(tiny, state, ids.SPEED, 3.0).speed == 1.0
    assert apply_control(tiny, state, ids.SPEED, 0.5).speed == 0.5


def test_clicking_an_organ_or_a_route_chooses_it(tiny):
    assert apply_click(tiny, ViewState(), "organ:sac").organ == "sac"
    chosen = apply_click(tiny, ViewState(organ="sac"), "route:pump-base-lower")
    assert (chosen.organ, chosen.part, chosen.route) == ("pump", "pump-base", "pump-base-lower")
