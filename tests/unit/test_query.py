"""Queries in both directions: organ -> routes -> segments and zones, zone or segment -> organs."""

from __future__ import annotations

import pytest

from painmap import query
from painmap.loader import load
from painmap.query import UnknownId


def ids(items) -> list[str]:
    return [item.id for item in items]


# --------------------------------------------------------------------------- organ -> routes


def test_routes_for_an_organ_are_its_routes_in_dataset_order(dataset):
    routes = query.routes_for_organ(dataset, "uterus")
    assert ids(routes) == [r.id for r in dataset.routes if r.organ == "uterus"]
    assert {"uterine-body-sympathetic", "cervix-pelvic-splanchnic", "cervix-sympathetic"} <= set(ids(routes))
    assert {r.part for r in routes} == {"uterine-body", "cervix"}


def test_an_organ_part_id_gives_only_that_part_s_routes(dataset):
    routes = query.routes_for_organ(dataset, "cervix")
    assert ids(routes) == [r.id for r in dataset.routes if r.part == "cervix"]
    assert {"cervix-pelvic-splanchnic", "cervix-sympathetic"} <= set(ids(routes))
    assert ids(query.routes_for_organ(dataset, "uterus", "cervix")) == ids(routes)
    assert query.organ_or_raise(dataset, "cervix").id == "uterus"


def test_an_organ_has_segmental_mechanical_and_systemic_routes(dataset):
    kinds = {r.kind for r in query.routes_for_organ(dataset, "gut")}
    assert kinds == {"segmental", "mechanical", "systemic"}


# --------------------------------------------------------------------------- zone or segment -> organs


def test_routes_for_a_zone_are_those_felt_there(dataset):
    routes = query.routes_for_zone(dataset, "low-back")
    assert ids(routes) == [r.id for r in dataset.routes if "low-back" in r.zones]
    assert {"cervix-sympathetic", "bladder-pelvic-floor-loop", "gut-flare-posture"} <= set(ids(routes))
    assert {"bladder", "uterus", "gut"} <= set(query.organs_of(routes))


def test_routes_for_the_sacrum_come_from_three_pelvic_organs(dataset):
    organs = query.organs_of(query.routes_for_zone(dataset, "sacrum"))
    assert organs == list(dict.fromkeys(organs))  # no repeats
    assert {"bladder", "uterus", "gut"} <= set(organs)
    assert "kidney" not in organs


def test_routes_for_a_segment_are_those_entering_or_loading_it(dataset):
    routes = query.routes_for_segment(dataset, "S3")
    assert ids(routes) == [r.id for r in dataset.routes if r.segments and "S3" in r.segments]
    pelvic = {"bladder-neck-pelvic-splanchnic", "cervix-pelvic-splanchnic", "rectum-pelvic-splanchnic"}
    assert pelvic <= set(ids(routes))
    assert "bladder-pelvic-floor-loop" in ids(routes)  # a mechanical route loading L4-S4
    assert not any(r.kind == "systemic" for r in routes)


def test_a_segment_name_is_canonicalised(dataset):
    assert ids(query.routes_for_segment(dataset, "s3")) == ids(query.routes_for_segment(dataset, "S3"))
    assert query.segment_or_raise(dataset, " t10 ") == "T10"


def test_zones_for_a_segment_hold_its_dermatome_bands_and_the_routes_zones(dataset):
    zones = query.zones_for_segment(dataset, "S3")
    assert {"sacrum", "perineum-saddle"} <= set(zones)
    assert "periumbilical" not in zones
    referred = {z for r in query.routes_for_segment(dataset, "S3") for z in r.zones}
    assert all("S3" in dataset.zone[z].dermatomes or z in referred for z in zones)


def test_somatic_inputs_for_a_segment(dataset):
    inputs = query.somatic_inputs_for_segment(dataset, "L1")
    assert ids(inputs) == [s.id for s in dataset.somatic_inputs if "L1" in s.segments]
    assert {"l1-iliohypogastric-skin", "l1-ilioinguinal-skin"} <= set(ids(inputs))


# --------------------------------------------------------------------------- convergence


CONVERGENCE_TEST = """extends: bundled
somatic_inputs:
  - id: test-same-segment-other-lamina
    label: {en: "Same segment, lamina II only"}
    nerve: pudendal-nerve
    segments: S3
    target: sacrum
    laminae: [ii]
    sources: [dermatome-charts]
  - id: test-same-lamina-other-segment
    label: {en: Lamina V but at T4}
    nerve: lower-intercostal-nerves
    segments: T4
    target: flank
    laminae: [v]
    sources: [dermatome-charts]
  - id: test-same-segment-same-lamina
    label: {en: S4 and lamina V}
    nerve: pudendal-nerve
    segments: S4-S5
    target: perineum-saddle
    laminae: [v]
    sources: [dermatome-charts]
"""


@pytest.fixture(scope="module")
def with_test_inputs(tmp_path_factory):
    path = tmp_path_factory.mktemp("convergence") / "inputs.yaml"
    path.write_text(CONVERGENCE_TEST, encoding="utf-8")
    return load(path)


def test_convergence_needs_the_same_segment_and_the_same_lamina(with_test_inputs):
    ds = with_test_inputs
    found = ids(query.somatic_inputs_for_route(ds, ds.route["bladder-neck-pelvic-splanchnic"]))
    assert "test-same-segment-same-lamina" in found
    assert "test-same-segment-other-lamina" not in found
    assert "test-same-lamina-other-segment" not in found
    for somatic in found:
        entry = ds.somatic_input[somatic]
        assert set(entry.segments) & {"S2", "S3", "S4"} and set(entry.laminae) & {"i", "v"}


def test_the_bladder_neck_meets_the_saddle_and_the_sacrum(dataset):
    found = ids(query.somatic_inputs_for_route(dataset, dataset.route["bladder-neck-pelvic-splanchnic"]))
    assert {"s2-s4-pudendal-skin", "s2-s4-sacral-skin", "s2-s4-pelvic-floor-muscle"} <= set(found)
    assert not any(dataset.somatic_input[s].segments == ("T10", "T11", "T12") for s in found)


def test_only_segmental_routes_converge(dataset):
    for route in dataset.routes:
        if route.kind != "segmental":
            assert query.somatic_inputs_for_route(dataset, route) == [], route.id
    assert query.somatic_inputs_for_route(dataset, dataset.route["kidney-splanchnic"])


# --------------------------------------------------------------------------- shared segments


def test_uterus_and_gut_share_t10_l1_and_s2_s4(dataset):
    shared = query.shared_segments(dataset, "uterus", "gut")
    assert shared.organ_a == "uterus" and shared.organ_b == "gut"
    assert {"T10", "T11", "T12", "L1", "S2", "S3", "S4"} <= set(shared.segments)
    assert list(shared.segments) == sorted(shared.segments, key=list(dataset.segment).index)
    assert {"uterine-body-sympathetic", "cervix-pelvic-splanchnic"} <= set(shared.routes_a)
    assert "rectum-pelvic-splanchnic" in shared.routes_b
    assert all(dataset.route[r].kind == "segmental" for r in shared.routes_a + shared.routes_b)


def test_shared_segments_are_symmetric_and_take_part_ids(dataset):
    forward = query.shared_segments(dataset, "uterus", "gut")
    backward = query.shared_segments(dataset, "gut", "uterus")
    assert forward.segments == backward.segments
    assert forward.routes_a == backward.routes_b
    assert query.shared_segments(dataset, "cervix", "gut").organ_a == "uterus"


def test_organs_without_a_common_segment_share_nothing(dataset):
    assert query.shared_segments(dataset, "airways", "bladder").segments == ()
    assert query.organ_segments(dataset, "airways") == ()


# --------------------------------------------------------------------------- translations


TRANSLATED = """extends: bundled
languages: [de]
organs:
  - id: liver
    label: {en: Liver, de: Leber}
    ontology: "UBERON:0002107"
    parts:
      - {id: liver-whole, label: {en: Liver, de: Leber}, ontology: "UBERON:0002107"}
red_flags:
  - id: test-jaundice
    label: {en: Yellow skin or eyes}
    text: {en: See a doctor the same day., de: Noch heute zum Arzt.}
    organs: [liver]
    sources: [source-sick-back-pain]
"""


def test_missing_translations_count_every_text_without_the_language(dataset, tmp_path):
    path = tmp_path / "de.yaml"
    path.write_text(TRANSLATED, encoding="utf-8")
    german = load(path)
    assert german.languages == ("en", "es", "de")
    assert query.missing_translations(dataset) == {"es": 0}  # the bundled dataset has all its texts in Spanish
    counts = query.missing_translations(german)
    assert set(counts) == {"es", "de"}
    assert counts["es"] == 4, "the new file's four texts have no Spanish"
    # Every text of the bundled dataset lacks German; the new file adds one untranslated text
    # (the red flag's label) and three translated ones.
    bundled_texts = count_texts(dataset)
    assert counts["de"] == bundled_texts + 1


def count_texts(ds) -> int:
    """Texts ({'en': ...} values) anywhere in the dataset, counted independently of the query."""
    found = 0

    def walk(value):
        nonlocal found
        if isinstance(value, dict):
            if "en" in value and all(isinstance(v, str) for v in value.values()):
                found += 1
                return
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    walk(ds.model_dump(exclude={"origin", "outlines", "scaffold", "languages"}))
    return found


def test_count_texts_sees_texts_of_every_kind(dataset):
    """The independent count covers red flags, mechanisms, fibre styles and landmarks too."""
    assert count_texts(dataset) > len(dataset.organs) + len(dataset.routes) + len(dataset.fibre_styles)


# --------------------------------------------------------------------------- unknown ids


def test_an_unknown_organ_names_the_closest_known_ids(dataset):
    with pytest.raises(UnknownId) as caught:
        query.routes_for_organ(dataset, "bladdr")
    assert "bladder" in caught.value.suggestions
    assert caught.value.value == "bladdr"
    message = str(caught.value)
    assert "unknown organ 'bladdr'" in message and "did you mean bladder" in message
    assert "painmap list organs" in message


def test_an_unknown_zone_and_segment_name_the_closest_known_ids(dataset):
    with pytest.raises(UnknownId) as caught:
        query.routes_for_zone(dataset, "flnk")
    assert caught.value.suggestions[0] == "flank"
    assert "painmap list zones" in str(caught.value)
    with pytest.raises(UnknownId) as caught:
        query.routes_for_segment(dataset, "T99")
    assert "unknown segment 'T99'" in str(caught.value)
    assert "painmap list segments" in str(caught.value)


def test_an_id_far_from_everything_gets_no_suggestion(dataset):
    with pytest.raises(UnknownId) as caught:
        query.routes_for_organ(dataset, "zzzzzzzz")
    assert caught.value.suggestions == []
    assert "did you mean" not in str(caught.value)


# --------------------------------------------------------------------------- JSON answers


def test_pathway_json_lists_each_route_with_its_chain_segments_and_sources(dataset):
    answer = query.pathway_json(dataset, "bladder")
    assert answer["organ"] == "bladder" and answer["label"] == "Bladder"
    by_id = {r["id"]: r for r in answer["routes"]}
    neck = by_id["bladder-neck-pelvic-splanchnic"]
    assert neck["segments"] == ["S2", "S3", "S4"]
    assert neck["chain"][:2] == ["inferior-hypogastric-plexus", "pelvic-splanchnic-nerves"]
    assert neck["lamina"] == ["i", "v", "x"]
    assert neck["ascending"] == ["spinothalamic", "dorsal-column"]
    assert {"id": "sacrum", "label": dataset.zone["sacrum"].label["en"]} in neck["zones"]
    assert {s["id"] for s in neck["sources"]} == set(dataset.route["bladder-neck-pelvic-splanchnic"].sources)
    assert neck["disputed"] is False


def test_a_disputed_route_says_so(dataset):
    routes = query.pathway_json(dataset, "cervix")["routes"]
    assert {r["id"] for r in routes} >= {"cervix-pelvic-splanchnic", "cervix-sympathetic"}
    assert all(r["disputed"] and r["dispute"] == "cervix-afferents" for r in routes if r["part"] == "cervix")


def test_labels_follow_the_language_with_english_fallback(tmp_path):
    path = tmp_path / "de.yaml"
    path.write_text(TRANSLATED, encoding="utf-8")
    german = load(path)
    assert query.pathway_json(german, "liver", "de")["label"] == "Leber"
    assert query.pathway_json(german, "bladder", "de")["label"] == "Bladder"


# --------------------------------------------------------------------------- three kinds of answer


@pytest.fixture(scope="module")
def explained(tmp_path_factory):
    from tests.unit.tiny import tiny_dataset_with_extras

    return tiny_dataset_with_extras(tmp_path_factory.mktemp("tiny-extra"))


def kinds(groups) -> dict[str, list[str]]:
    return {g.kind: [r.id for r in g.routes] for g in groups if g.routes}


def test_zone_groups_keep_every_group_in_order_and_sort_routes_by_kind(explained):
    groups = query.zone_groups(explained, "low-back")
    assert [g.kind for g in groups] == ["segmental", "somatic_phase", "mechanical", "systemic"]
    assert kinds(groups) == {"segmental": ["sac-rat"], "mechanical": ["sac-posture"]}
    assert kinds(query.zone_groups(explained, "everywhere")) == {"systemic": ["sac-fever"]}
    assert kinds(query.zone_groups(explained, "side")) == {"somatic_phase": ["sac-fork"]}


def test_segment_groups_put_a_somatic_phase_at_its_body_wall_nerve_s_segments(explained):
    assert kinds(query.segment_groups(explained, "t12")) == {"segmental": ["pump-top-upper", "pump-base-upper"], "somatic_phase": ["sac-fork"]}
    assert kinds(query.segment_groups(explained, "L3")) == {"mechanical": ["sac-posture"]}


def test_a_zone_only_systemic_routes_name_is_whole_body_and_no_segment_s_skin(explained):
    assert query.whole_body_zones(explained) == {"everywhere"}
    assert "everywhere" not in query.zones_for_segment(explained, "L3")
    assert "side" in query.zones_for_segment(explained, "L1"), "the somatic phase's zone"


def test_zone_json_answers_in_labelled_groups(explained):
    answer = query.zone_json(explained, "everywhere")
    assert answer["whole_body"] is True
    assert list(answer["groups"]) == ["segmental", "somatic_phase", "mechanical", "systemic"]
    assert answer["groups"]["systemic"]["label"] == "Whole-body (systemic)"
    assert answer["groups"]["systemic"]["organs"] == ["sac"]
    assert answer["groups"]["segmental"] == {"label": "Referred through the cord (segmental)", "organs": [], "routes": []}
    side = query.zone_json(explained, "side")["groups"]["somatic_phase"]["routes"]
    assert side == [{"id": "sac-fork", "organ": "sac", "part": "sac-wall", "kind": "segmental",
                     "segments": ["T12", "L1"], "species": "Homo sapiens"}]


def test_segment_json_answers_in_labelled_groups(explained):
    groups = query.segment_json(explained, "L2")["groups"]
    assert [r["id"] for r in groups["segmental"]["routes"]] == ["sac-rat"]
    assert groups["segmental"]["routes"][0]["species"] == "Rattus norvegicus"
    assert [r["id"] for r in groups["mechanical"]["routes"]] == ["sac-posture"]
    assert groups["systemic"]["routes"] == []


def test_route_json_gives_forks_ascending_pathways_somatic_phase_and_mechanisms(explained):
    fork = query.route_json(explained, explained.route["sac-fork"])
    assert fork["alternatives"] == [["fork-left", "fork-right"]]
    assert fork["ascending"] == ["spinothalamic"]
    assert fork["mechanisms"] == ["cross-talk"]
    assert fork["somatic_phase"]["zones"] == [{"id": "side", "label": "Side skin"}]
    assert fork["somatic_phase"]["segments"] == ["T12", "L1"]
    assert query.route_json(explained, explained.route["sac-posture"])["mechanisms"] == ["mechanical-strain"]
    assert query.route_json(explained, explained.route["pump-top-upper"])["somatic_phase"] is None


def test_bundled_flu_aches_are_whole_body_not_the_skin_of_t1_s5(dataset):
    groups = query.zone_json(dataset, "whole-body-aches")
    assert groups["whole_body"] is True
    assert groups["groups"]["segmental"]["routes"] == []
    assert "airways" in groups["groups"]["systemic"]["organs"]
    assert "whole-body-aches" not in {z["id"] for z in query.segment_json(dataset, "L4")["zones"]}


def test_bundled_l4_has_no_organ_referring_through_the_cord_only_muscle_strain(dataset):
    groups = query.segment_json(dataset, "L4")["groups"]
    assert groups["segmental"]["routes"] == []
    assert {"bladder", "gut", "airways"} <= set(groups["mechanical"]["organs"])


def test_bundled_right_iliac_fossa_pain_is_the_appendix_s_somatic_phase(dataset):
    groups = query.zone_json(dataset, "right-iliac-fossa")["groups"]
    assert [r["id"] for r in groups["somatic_phase"]["routes"]] == ["midgut-appendix"]
    assert all(r["id"] != "midgut-appendix" for r in groups["segmental"]["routes"])
