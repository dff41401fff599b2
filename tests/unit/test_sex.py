"""Female, male or both anatomies (issue 7): for_sex, the URL's sex=, and the page per sex.

On a small dataset written here (it stands alone, like tests/unit/tiny.py): a womb (female),
a gland (male) and a sac (both), whose route is felt at a zone each sex has its own of.
"""

from __future__ import annotations

import json
from types import MappingProxyType

import plotly.utils
import pytest

from painmap.anatomy_sex import by_sex, for_sex
from painmap.app import ids
from painmap.app.page import next_state, page
from painmap.loader import load
from painmap.viewstate import ViewState
from tests.unit.tiny import CORD_YAML

SEXED_YAML = """
languages: [en]
""" + CORD_YAML.strip("\n") + """
fibre_styles:
  sensory: {label: {en: Sensory}, colour: "#2A62F6"}
  sympathetic: {label: {en: Sympathetic}, colour: "#EA3423", dash: dash}
  parasympathetic: {label: {en: Parasympathetic}, colour: "#3F8F4A", dash: dot}
  somatic: {label: {en: Somatic}, colour: "#98561D", dash: longdash}
laminae:
  - {id: one, label: {en: Lamina one}, ontology: "UBERON:0002256", depth: 0.1}
sources:
  - {id: book, title: A tiny anatomy book, authors: Author A, year: 2001, isbn: 978-0-00-000000-2, evidence: strong}
organs:
  - id: womb
    label: {en: Womb}
    ontology: "UBERON:0000995"
    sex: female
    parts:
      - {id: womb-body, label: {en: Womb body}, ontology: "UBERON:0000995"}
  - id: gland
    label: {en: Gland}
    ontology: "UBERON:0002367"
    sex: male
    parts:
      - {id: gland-body, label: {en: Gland body}, ontology: "UBERON:0002367"}
  - id: sac
    label: {en: Sac}
    ontology: "UBERON:0001255"
    parts:
      - {id: sac-wall, label: {en: Sac wall}, ontology: "UBERON:0001255"}
      - {id: sac-duct, label: {en: Sac duct of a man}, ontology: "UBERON:0001255", sex: male}
nerves:
  - {id: shared-nerve, label: {en: Shared nerve}, ontology: "UBERON:0001021", kind: nerve, fibres: [sensory, parasympathetic]}
  - {id: gland-plexus, label: {en: Gland plexus}, ontology: "UBERON:0001016", kind: plexus, fibres: [sensory, sympathetic],
     precedes: [shared-nerve]}
  - {id: skin-nerve, label: {en: Skin nerve}, ontology: "UBERON:0001021", kind: nerve, fibres: [somatic]}
zones:
  - {id: belly, label: {en: Belly skin}, ontology: "UBERON:0002097", dermatomes: T10-T12, views: [front]}
  - {id: seat, label: {en: Seat skin}, ontology: "UBERON:0002097", dermatomes: S2-S3, views: [back]}
  - {id: penis-tip, label: {en: Tip of the penis}, ontology: "UBERON:0002097", dermatomes: S2-S3, views: [front], sex: male}
  - {id: vulva, label: {en: Vulva skin}, ontology: "UBERON:0000997", dermatomes: S2-S3, views: [front], sex: female}
somatic_inputs:
  - {id: penis-input, label: {en: Skin of the penis tip}, nerve: skin-nerve, segments: S2-S3, target: penis-tip, laminae: [one],
     sources: [book]}
  - {id: seat-input, label: {en: Seat skin input}, nerve: skin-nerve, segments: S2-S3, target: seat, laminae: [one], sources: [book]}
routes:
  - {id: sac-sacral, organ: sac, part: sac-wall, kind: segmental, chain: [shared-nerve], segments: S2-S3, laminae: [one],
     zones: [seat, penis-tip, vulva], sources: [book], label: {en: Sac wall to the sacral cord}}
  - {id: sac-duct-route, organ: sac, part: sac-duct, kind: segmental, chain: [shared-nerve], segments: S2-S3, laminae: [one],
     zones: [penis-tip], sources: [book]}
  - {id: womb-route, organ: womb, part: womb-body, kind: segmental, chain: [shared-nerve], segments: T10-T12, laminae: [one],
     zones: [belly], sources: [book]}
  - {id: gland-upper, organ: gland, part: gland-body, kind: segmental, chain: [gland-plexus, shared-nerve], segments: T10-L1,
     laminae: [one], zones: [belly], sources: [book]}
  - {id: gland-lower, organ: gland, part: gland-body, kind: segmental, chain: [shared-nerve], segments: S2-S3, laminae: [one],
     zones: [seat, penis-tip], sources: [book]}
disputes:
  - {id: gland-levels, question: {en: Which segments does the gland reach?}, routes: [gland-upper, gland-lower]}
red_flags:
  - {id: womb-flag, label: {en: Womb bleeds}, text: {en: See a doctor today.}, organs: [womb], sources: [book]}
  - {id: gland-flag, label: {en: Gland twists}, text: {en: Emergency care now.}, urgency: emergency, organs: [gland], sources: [book]}
  - {id: shared-flag, label: {en: Sac or gland hurts}, text: {en: See a doctor today.}, organs: [sac, gland], sources: [book]}
  - {id: general, label: {en: Numb legs}, text: {en: Emergency care now.}, urgency: emergency, sources: [book]}
outlines:
  womb-body: [{view: abdomen, points: "45,20 55,20 50,30"}]
  gland-body: [{view: abdomen, points: "45,2 55,2 50,6"}]
  sac-wall: [{view: abdomen, points: "40,8 60,8 50,18"}]
  gland-plexus: [{view: abdomen, points: "47,10 53,10 50,13"}]
  penis-tip: [{view: front, points: "49,44 51,44 50,46"}]
  vulva: [{view: front, points: "49,44 51,44 50,46"}]
  belly: [{view: front, points: "40,55 60,55 50,65"}]
"""


@pytest.fixture(scope="module")
def sexed(tmp_path_factory):
    path = tmp_path_factory.mktemp("sexed") / "sexed.yaml"
    path.write_text(SEXED_YAML, encoding="utf-8")
    return load(path)


def ids_of(items) -> set[str]:
    return {item.id for item in items}


def page_text(result: dict) -> str:
    """Everything a page answers (panels, options, the figure) as one JSON text."""
    return json.dumps(result, cls=plotly.utils.PlotlyJSONEncoder)


# --------------------------------------------------------------------------- for_sex


def test_a_female_anatomy_drops_the_male_organs_parts_zones_routes_and_flags(sexed):
    female = for_sex(sexed, "female")
    assert ids_of(female.organs) == {"womb", "sac"}
    assert {p.id for o in female.organs for p in o.parts} == {"womb-body", "sac-wall"}
    assert ids_of(female.zones) == {"belly", "seat", "vulva"}
    assert ids_of(female.routes) == {"sac-sacral", "womb-route"}
    assert female.route["sac-sacral"].zones == ("seat", "vulva"), "the shared route keeps only her zones"
    assert ids_of(female.disputes) == set()
    assert ids_of(female.somatic_inputs) == {"seat-input"}
    assert ids_of(female.red_flags) == {"womb-flag", "shared-flag", "general"}
    assert female.red_flags[1].organs == ("sac",)
    assert "gland-plexus" not in female.nerve, "a nerve only the male routes used"
    assert {"gland-body", "gland-plexus", "penis-tip"}.isdisjoint(female.outlines)
    assert {"womb-body", "vulva", "belly", "sac-wall"} <= set(female.outlines)


def test_a_male_anatomy_drops_the_female_ones_and_keeps_both_sex_ones(sexed):
    male = for_sex(sexed, "male")
    assert ids_of(male.organs) == {"gland", "sac"}
    assert ids_of(male.zones) == {"belly", "seat", "penis-tip"}
    assert ids_of(male.routes) == {"sac-sacral", "sac-duct-route", "gland-upper", "gland-lower"}
    assert male.route["sac-sacral"].zones == ("seat", "penis-tip")
    assert ids_of(male.disputes) == {"gland-levels"}
    assert ids_of(male.red_flags) == {"gland-flag", "shared-flag", "general"}
    assert "gland-plexus" in male.nerve and "vulva" not in male.outlines


def test_both_is_the_dataset_itself_and_nonsense_is_both(sexed):
    assert for_sex(sexed, "") is sexed
    assert for_sex(sexed, None) is sexed
    assert for_sex(sexed, "other") is sexed
    assert set(by_sex(sexed)) == {"", "female", "male"}
    assert by_sex(sexed)[""] is sexed


@pytest.mark.parametrize("sex", ["female", "male"])
def test_an_anatomy_is_read_only_and_passes_the_loaders_checks(sexed, tmp_path, sex):
    one = for_sex(sexed, sex)
    assert isinstance(one.routes, tuple) and isinstance(one.outlines, MappingProxyType)
    with pytest.raises(Exception):
        one.organs = ()  # type: ignore[misc]
    dumped = one.model_dump(mode="json", exclude={"origin"}, exclude_none=True)
    path = tmp_path / f"{sex}.yaml"
    path.write_text(json.dumps(dumped), encoding="utf-8")  # JSON is YAML
    again = load(path)  # raises DatasetError on any dangling id
    assert ids_of(again.routes) == ids_of(one.routes)
    assert ids_of(again.zones) == ids_of(one.zones)


# --------------------------------------------------------------------------- URL


def test_sex_round_trips_through_the_url():
    for sex in ("female", "male"):
        state = ViewState(sex=sex, organ="sac")
        assert f"sex={sex}" in state.to_query()
        assert ViewState.from_query(state.to_query()) == state
    assert "sex" not in ViewState(organ="sac").to_query(), "both is the default"
    assert ViewState.from_query("?sex=other").sex == ""
    assert ViewState.from_query("?sex=FEMALE").sex == ""


def test_canonical_keeps_only_known_sexes(sexed):
    assert ViewState(sex="robot").canonical(sexed).sex == ""
    assert ViewState(sex="male").canonical(sexed).sex == "male"


def test_an_organ_of_the_other_sex_in_the_url_is_dropped(sexed):
    state = next_state(sexed, "?sex=male&organ=womb&step=3")
    assert (state.sex, state.organ, state.route) == ("male", "", "")
    assert next_state(sexed, "?sex=female&route=gland-lower").route == ""
    assert next_state(sexed, "?sex=female&zone=penis-tip").zone == ""
    assert next_state(sexed, "?sex=female&organ=sac&compare=gland").compare == ""
    assert next_state(sexed, "?sex=female&organ=womb").organ == "womb"
    assert next_state(sexed, "?organ=womb").organ == "womb", "both anatomies show every organ"


# --------------------------------------------------------------------------- the page


def test_the_sex_control_changes_the_view(sexed):
    state = next_state(sexed, "?organ=gland", ids.SEX, "female")
    assert (state.sex, state.organ) == ("female", "")
    assert next_state(sexed, "?organ=sac", ids.SEX, "male") == ViewState(organ="sac", sex="male")
    assert next_state(sexed, "?sex=male&organ=sac", ids.SEX, "").sex == ""
    assert next_state(sexed, "?organ=sac", ids.SEX, {"not": "a sex"}).sex == ""


def test_the_pickers_offer_the_organs_and_zones_of_the_chosen_anatomy(sexed):
    female = page(sexed, ViewState(sex="female"))
    male = page(sexed, ViewState(sex="male"))
    both = page(sexed, ViewState())
    assert [o["value"] for o in female["organ_options"]] == ["womb", "sac"]
    assert [o["value"] for o in male["organ_options"]] == ["gland", "sac"]
    assert [o["value"] for o in both["organ_options"]] == ["womb", "gland", "sac"]
    assert "penis-tip" not in [z["value"] for z in female["zone_options"]]
    assert "vulva" not in [z["value"] for z in male["zone_options"]]
    assert female[ids.SEX] == "female" and both[ids.SEX] == ""


def test_no_zone_label_of_one_sex_appears_in_the_others_page(sexed):
    female = page_text(page(sexed, ViewState(sex="female", route="sac-sacral")))
    male = page_text(page(sexed, ViewState(sex="male", route="sac-sacral")))
    both = page_text(page(sexed, ViewState(route="sac-sacral")))
    assert "Vulva skin" in female and "penis" not in female.lower()
    assert "Tip of the penis" in male and "vulva" not in male.lower()
    assert "Tip of the penis" in both and "Vulva skin" in both


def test_red_flags_follow_the_anatomy(sexed):
    female = page_text(page(sexed, ViewState(sex="female", organ="sac"))["red_flags"])
    assert "Sac or gland hurts" in female and "Gland twists" not in female


def test_the_bundled_female_page_of_the_bladder_neck_names_no_penis(dataset):
    female = page(dataset, ViewState(sex="female", route="bladder-neck-pelvic-splanchnic"))
    assert "penis" not in page_text(female).lower()
    male = for_sex(dataset, "male")
    assert all(o.sex != "female" for o in male.organs) and all(z.sex != "female" for z in male.zones)
    assert {"prostate", "testis"} <= set(male.organ) and "ovary" not in male.organ
