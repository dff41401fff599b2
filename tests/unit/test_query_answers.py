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
