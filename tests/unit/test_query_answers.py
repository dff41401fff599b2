"""The JSON answers (what `painmap pathway/segment/zone --json` prints) and the unknown-id
message, on the tiny dataset, in the chosen language. Gaps the mutation run found.
"""

from __future__ import annotations

import pytest

from painmap import query
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_dataset(tmp_path_factory.mktemp("tiny"))


def test_a_pathway_answer_names_parts_and_routes_in_the_language(tiny):
    answer = query.pathway_json(tiny, "pump", "es")
    assert (answer["organ"], answer["label"]) == ("pump", "Bomba")
    assert answer["parts"] == [
        {"id": "pump-top", "label": "Parte alta de la bomba", "ontology": "UBERON:0000948"},
        {"id": "pump-base", "label": "Base de la bomba", "ontology": "UBERON:0000948"},
    ]
    first = answer["routes"][0]
    assert [r["id"] for r in answer["routes"]] == ["pump-top-upper", "pump-base-upper", "pump-base-lower"]
    assert (first["label"], first["organ"], first["part"], first["evidence"]) == (
        "Parte alta por el nervio alto", "pump", "pump-top", "strong",
    )
    assert first["zones"] == [{"id": "belly", "label": "Piel del vientre"}]
    assert first["strains"] == [] and first["somatic_inputs"] == ["belly-skin-input"]


def test_a_route_answer_cites_its_sources_without_empty_fields_or_curator_notes(tiny):
    answer = query.route_json(tiny, tiny.route["pump-base-upper"])
    assert answer["label"] == "Pump base via the upper nerve", "English by default"
    (source,) = answer["sources"]
    assert source["id"] == "rumour" and source["url"] == "https://example.org/rumour"
    assert "note" not in source and None not in source.values() and "authors" not in source
    mechanical = query.route_json(tiny, tiny.route["sac-posture"], "es")
    assert mechanical["strains"] == ["back-muscle"]


def test_segment_and_zone_answers_label_zones_in_the_language(tiny):
    segment = query.segment_json(tiny, "t11", "es")
    assert segment["segment"] == "T11" and segment["zones"] == [{"id": "belly", "label": "Piel del vientre"}]
    assert query.segment_json(tiny, "T11")["zones"] == [{"id": "belly", "label": "Belly skin"}]
    zone = query.zone_json(tiny, "low-back", "es")
    assert (zone["label"], zone["dermatomes"], zone["organs"]) == ("Piel de la zona lumbar", "L1-L3", ["sac"])
    assert query.zone_json(tiny, "low-back")["label"] == "Low back skin"


def test_zones_for_a_segment_keep_its_dermatome_bands_and_add_the_routes_zones(tiny):
    assert query.zones_for_segment(tiny, "L1") == ["low-back", "belly"]


def test_an_unknown_id_suggests_the_close_ones_in_one_plain_sentence(tiny):
    with pytest.raises(query.UnknownId) as caught:
        query.organ_or_raise(tiny, "pumpp")
    assert str(caught.value) == "unknown organ 'pumpp'; did you mean pump, pump-top, pump-base? (see 'painmap list organs')"
    with pytest.raises(query.UnknownId) as loose:
        query.organ_or_raise(tiny, "pxxp")
    assert loose.value.suggestions == ["pump"], "half the letters in place is close enough to suggest"
    with pytest.raises(query.UnknownId) as far:
        query.zone_or_raise(tiny, "sxx")
    assert str(far.value) == "unknown zone 'sxx' (see 'painmap list zones')"


def test_an_unknown_segment_name_is_refused(tiny):
    with pytest.raises(query.UnknownId):
        query.segment_or_raise(tiny, "not a segment")


# --------------------------------------------------------------------------- the later somatic stage, mechanisms, the whole body


@pytest.fixture(scope="module")
def more(tmp_path_factory):
    from tests.unit.tiny import tiny_dataset_with_more

    return tiny_dataset_with_more(tmp_path_factory.mktemp("more"))


def test_a_route_answer_gives_its_later_somatic_stage_in_the_language(more):
    phase = query.route_json(more, more.route["sac-inflamed"], "es")["somatic_phase"]
    assert phase == {
        "label": "Luego el costado duele con precisión",
        "nerve": "back-nerve",
        "segments": ["T12", "L1"],
        "zones": [{"id": "side", "label": "Piel del costado"}],
        "sources": ["book"],
        "note": "No en todos los pacientes",
    }
    without_note = query.route_json(more, more.route["sac-fork"])["somatic_phase"]
    assert without_note["note"] is None and without_note["label"] == "Then the side wall hurts"
    assert without_note["sources"] == ["rat-study"]
    assert query.route_json(more, more.route["pouch-deep"])["somatic_phase"] is None


def test_a_route_answer_names_its_fork_tracts_and_mechanisms(more):
    fork = query.route_json(more, more.route["sac-fork"])
    assert fork["alternatives"] == [["fork-left", "fork-right"]]
    assert fork["mechanisms"] == ["cross-talk"], "the route's own mechanisms"
    deep = query.route_json(more, more.route["pouch-deep"])
    assert deep["ascending"] == ["spinothalamic", "dorsal-column"] and deep["lamina"] == ["one", "five", "x"]
    assert deep["somatic_inputs"] == ["hip-input", "seat-input"]
    assert query.route_json(more, more.route["pouch-mouse"])["species"] == "Mus musculus"
    assert query.mechanisms_for_route(more, more.route["sac-fever"]) == ["systemic-cytokines"], "the kind's default"
    assert query.mechanisms_for_route(more, more.route["sac-posture"]) == ["mechanical-strain"]
    assert query.mechanisms_for_route(more, more.route["pump-top-upper"]) == ["convergence-projection"]


def test_without_mechanisms_in_the_dataset_a_route_names_none(tiny):
    assert query.mechanisms_for_route(tiny, tiny.route["pump-top-upper"]) == []
    assert query.route_json(tiny, tiny.route["sac-posture"])["mechanisms"] == []


def test_a_segment_answer_gives_the_later_stage_the_body_walls_levels(more):
    groups = query.segment_json(more, "T12")["groups"]
    later = {r["id"]: r["segments"] for r in groups["somatic_phase"]["routes"]}
    assert later == {"sac-fork": ["T12", "L1"], "sac-inflamed": ["T12", "L1"]}
    referred = {r["id"]: r["segments"] for r in groups["segmental"]["routes"]}
    assert referred["sac-inflamed"] == ["T10", "T11", "T12"], "the same route, referred: the organ's levels"


def test_only_zones_that_nothing_but_systemic_routes_name_are_the_whole_body(tmp_path):
    from painmap.loader import load
    from tests.unit.tiny import TINY_EXTRA_YAML, TINY_YAML

    (tmp_path / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (tmp_path / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    (tmp_path / "flu.yaml").write_text(
        "zones:\n"
        "  - {id: flank, label: {en: Flank skin, es: Piel del flanco}, ontology: 'UBERON:0002097', dermatomes: L1, views: [back]}\n"
        "somatic_inputs:\n"
        "  - {id: flank-input, label: {en: Flank input, es: Entrada del flanco}, nerve: back-nerve, segments: L1,\n"
        "     target: flank, laminae: [one], sources: [book]}\n"
        "routes:\n"
        "  - {id: sac-flu, organ: sac, part: sac-wall, kind: systemic, zones: [everywhere, side, flank, seat], sources: [book]}\n",
        encoding="utf-8",
    )
    ds = load(tmp_path)
    assert query.whole_body_zones(ds) == frozenset({"everywhere"})
    assert query.zone_json(ds, "everywhere")["whole_body"] is True
    for zone in ("side", "flank", "seat"):
        assert query.zone_json(ds, zone)["whole_body"] is False, zone


def test_a_curators_note_on_a_source_stays_out_of_the_answer(more):
    handout = query.route_json(more, more.route["pouch-column"])["sources"][1]
    assert "note" not in handout
    assert (handout["id"], handout["title"], handout["authors"]) == ("handout", "A clinic handout", "Clinic B")
