"""What a view lights, on the tiny dataset: which route is followed, which parts, segments and
zones are lit, which segment the dorsal-horn close-up shows. Gaps the mutation run found.
"""

from __future__ import annotations

import pytest

from painmap.figures.selection import resolve_selection
from painmap.viewstate import ViewState
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_dataset(tmp_path_factory.mktemp("tiny"))


def test_an_organ_follows_its_first_segmental_route_and_lights_its_first_part(tiny):
    sac = resolve_selection(tiny, ViewState(organ="sac"))
    assert (sac.part, sac.route, sac.kind, sac.routes) == ("sac-wall", "sac-rat", "segmental", ("sac-rat",))
    assert (sac.parts_lit, sac.segments_lit, sac.route_zones) == (("sac-wall",), ("L1", "L2"), ("low-back",))
    assert (sac.zones_lit, sac.dispute, sac.lang, sac.view) == ((), "", "en", "abdomen")


def test_a_disputed_part_draws_both_alternatives_and_lights_their_segments(tiny):
    base = resolve_selection(tiny, ViewState(part="pump-base"))
    assert (base.organ, base.route, base.dispute) == ("pump", "pump-base-upper", "pump-base-levels")
    assert base.routes == ("pump-base-upper", "pump-base-lower")
    assert base.segments_lit == ("T11", "T12", "L1", "S2", "S3")
    assert base.horn_segment == "T12", "the middle of the followed route's segments"


def test_a_zone_lights_every_part_and_segment_that_refers_there(tiny):
    belly = resolve_selection(tiny, ViewState(zone="belly"))
    assert (belly.organ, belly.route, belly.routes, belly.kind) == ("", "", (), "")
    assert (belly.zones_lit, belly.parts_lit) == (("belly",), ("pump-top", "pump-base"))
    assert belly.segments_lit == ("T10", "T11", "T12", "L1")
    assert belly.horn_segment == "T10"
    both = resolve_selection(tiny, ViewState(organ="pump", zone="seat"))
    assert both.parts_lit == ("pump-top", "pump-base") and both.segments_lit == ("T10", "T11", "T12", "S2", "S3")


def test_a_segment_lights_the_parts_entering_it_and_the_close_up_shows_it(tiny):
    t11 = resolve_selection(tiny, ViewState(segment="T11"))
    assert (t11.segment, t11.segments_lit, t11.parts_lit, t11.horn_segment) == (
        "T11", ("T11",), ("pump-top", "pump-base"), "T11",
    )
    s1 = resolve_selection(tiny, ViewState(segment="S1", lang="es"))
    assert (s1.parts_lit, s1.horn_segment, s1.lang) == ((), "S1", "es")
    elsewhere = resolve_selection(tiny, ViewState(organ="pump", segment="S2"))
    assert elsewhere.horn_segment == "T11", "a segment the followed route does not enter: the route's own"
    assert elsewhere.parts_lit == ("pump-top", "pump-base") and elsewhere.segments_lit == ("T10", "T11", "T12", "S2")


def test_a_comparison_lights_both_organs_and_their_shared_segments(tiny):
    pair = resolve_selection(tiny, ViewState(organ="pump", compare="sac"))
    assert (pair.compare, pair.segments_shared, pair.parts_compared) == ("sac", ("L1",), ("sac-wall",))
    assert pair.parts_lit == ("pump-top", "pump-base")


def test_a_mechanical_route_strains_its_structures_in_the_side_view(tiny):
    posture = resolve_selection(tiny, ViewState(route="sac-posture", anatomy="side"))
    assert (posture.kind, posture.strains, posture.view, posture.segments_lit) == (
        "mechanical", ("back-muscle",), "side", (),
    )
    assert posture.horn_segment == "L3"
    assert posture.cord_segments == ("T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3")
