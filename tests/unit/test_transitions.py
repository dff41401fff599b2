"""What a click or a control does to the view (pure functions, no browser)."""

from painmap.app import ids
from painmap.app.transitions import apply_click, apply_control, clean
from painmap.viewstate import ViewState


def test_choosing_an_organ_starts_a_fresh_question(dataset):
    state = ViewState(zone="low-back", segment="S3", step=5)
    after = apply_control(dataset, state, ids.ORGAN, "kidney")
    assert (after.organ, after.zone, after.segment, after.step) == ("kidney", "", "", 0)


def test_choosing_a_part_sets_its_organ(dataset):
    after = apply_control(dataset, ViewState(), ids.PART, "cervix")
    assert (after.organ, after.part) == ("uterus", "cervix")


def test_choosing_a_route_sets_organ_and_part(dataset):
    after = apply_control(dataset, ViewState(), ids.ROUTE, "lower-ureter-lumbar")
    assert (after.organ, after.part, after.route) == ("kidney", "lower-ureter", "lower-ureter-lumbar")


def test_zone_and_segment_clear_the_organ(dataset):
    state = ViewState(organ="bladder", part="bladder-dome", compare="gut")
    assert apply_control(dataset, state, ids.ZONE, "sacrum").organ == ""
    assert apply_control(dataset, state, ids.SEGMENT, "L1").segment == "L1"
    assert apply_control(dataset, state, ids.SEGMENT, "L1").compare == ""


def test_compare_ignores_the_same_organ(dataset):
    state = ViewState(organ="gut")
    assert apply_control(dataset, state, ids.COMPARE, "gut").compare == ""
    assert apply_control(dataset, state, ids.COMPARE, "uterus").compare == "uterus"


def test_clicks_are_routed_by_their_tag(dataset):
    assert apply_click(dataset, ViewState(), "part:bladder-dome").organ == "bladder"
    assert apply_click(dataset, ViewState(organ="gut"), "zone:flank").zone == "flank"
    assert apply_click(dataset, ViewState(), "segment:S2").segment == "S2"
    assert apply_click(dataset, ViewState(organ="gut"), "nonsense") == ViewState(organ="gut")
    assert apply_click(dataset, ViewState(), "zone:not-a-zone") == ViewState()


def test_clean_drops_unknown_ids_and_fills_the_organ(dataset):
    state = clean(dataset, ViewState(organ="spleen", route="kidney-splanchnic", lang="xx"))
    assert (state.organ, state.part, state.route, state.lang) == ("kidney", "kidney-upper-ureter", "kidney-splanchnic", "en")
