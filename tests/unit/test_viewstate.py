"""The view state round-trips through a URL, and bad URLs fall back to defaults."""

from painmap.viewstate import DEFAULT_LAYERS, ViewState


def test_default_state_has_an_empty_query():
    assert ViewState().to_query() == ""


def test_round_trip_keeps_every_field():
    state = ViewState(
        organ="uterus", part="cervix", route="cervix-sympathetic", compare="gut",
        layers=frozenset({"labels", "somatic"}), step=4, speed=2.0, anatomy="side", lang="de", embed=True,
    )
    query = state.to_query()
    assert "organ=uterus" in query and "step=4" in query and "embed=1" in query
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
