"""The view state round-trips through a URL, and bad URLs fall back to defaults."""

from functools import lru_cache

import pytest

from painmap.viewstate import ANATOMY_VIEWS, DEFAULT_LAYERS, MAX_STEP, SPEEDS, ViewState
from tests.conftest import DATA


@lru_cache(maxsize=1)
def bundled_ds():
    from painmap.loader import load

    return load(DATA)


def test_default_state_has_an_empty_query():
    assert ViewState().to_query() == ""


def test_round_trip_keeps_every_field():
    state = ViewState(
        organ="uterus", part="cervix", route="cervix-sympathetic", compare="gut",
        layers=frozenset({"labels", "somatic"}), step=4, speed=2.0, anatomy="lateral", lang="de",
    )
    query = state.to_query()
    assert "organ=uterus" in query and "step=4" in query and "anatomy=lateral" in query
    assert ViewState.from_query(query) == state


def test_all_layers_off_survives_the_url():
    state = ViewState(layers=frozenset())
    assert "layers=none" in state.to_query()
    assert ViewState.from_query(state.to_query()).layers == frozenset()


def test_bad_values_fall_back_to_defaults():
    state = ViewState.from_query("?step=-3&speed=fast&anatomy=top&layers=bogus,labels&unknown=1")
    assert state.step == 0
    assert state.speed == 1.0
    assert state.anatomy == "front"
    assert state.layers == frozenset({"labels"})


def test_states_are_hashable_cache_keys():
    assert hash(ViewState(organ="gut")) == hash(ViewState(organ="gut"))
    assert ViewState().layers == DEFAULT_LAYERS


def test_the_lateral_view_is_named_lateral_and_old_side_links_still_open():
    assert ANATOMY_VIEWS == {"front": "abdomen", "lateral": "side"} and list(ANATOMY_VIEWS) == ["front", "lateral"]
    assert ANATOMY_VIEWS["side"] == "side", "old names still look up their view"
    assert ViewState.from_query("?anatomy=side").anatomy == "lateral"
    assert ViewState.from_query("?anatomy=lateral").to_query() == "?anatomy=lateral"
    assert ViewState(anatomy="side").canonical(bundled_ds()).anatomy == "lateral"


def test_embed_is_the_path_not_the_state():
    assert ViewState.from_query("?organ=gut&embed=1") == ViewState(organ="gut")
    assert not hasattr(ViewState(), "embed")


@pytest.mark.parametrize(
    "query",
    ["?step=%C2%B2", "?step=\u0662", "?step=99999999999999", "?speed=inf", "?speed=-Infinity", "?speed=nan",
     "?speed=1e999", "?step=%FF%FE", "?organ=%00", "?" + "a=1&" * 2000, "?step=1&step=%C2%B2", "=&&=&"],
)
def test_broken_numbers_fall_back_to_defaults(query):
    state = ViewState.from_query(query)
    assert 0 <= state.step <= MAX_STEP and state.speed in SPEEDS


@pytest.mark.parametrize("search", [None, 5, 2.5, b"?organ=gut", ["?organ=gut"], {"organ": "gut"}, float("inf")])
def test_a_search_that_is_not_a_string_is_the_landing_page(search):
    assert ViewState.from_query(search) == ViewState()
