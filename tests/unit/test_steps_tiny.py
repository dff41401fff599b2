"""The animation's story, word for word, on the tiny dataset: each step's caption (in the chosen
language), its technical term and what it points at. Gaps the mutation run found.
"""

from __future__ import annotations

import pytest

from painmap.figures.steps import animation_steps
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_dataset(tmp_path_factory.mktemp("tiny"))


def story(ds, route, lang="en"):
    return [(s.name, s.caption, s.term, s.kind, s.target) for s in animation_steps(ds, route, lang)]


def test_a_segmental_route_tells_its_story_in_order(tiny):
    assert story(tiny, "pump-top-upper") == [
        ("stimulus", "Stimulus in the pump top", "nociceptor activation", "stimulus", "pump-top"),
        ("upper-nerve", "The signal runs along the upper nerve", "visceral afferent", "afferent", "upper-nerve"),
        ("entry", "It enters the spinal cord at T10-T12", "dorsal root entry", "entry", ""),
        (
            "somatic",
            "Skin and muscle input of the same segment arrives on the same neuron: Belly skin, through the back nerve",
            "somatic afferent", "somatic", "belly",
        ),
        ("convergence", "The two meet on one dorsal-horn neuron in laminae ONE and FIVE", "viscerosomatic convergence",
         "convergence", ""),
        ("ascend", "The signal ascends to the brain", "spinothalamic tract", "ascend", ""),
        ("projection", "The brain projects it onto the skin. Felt in: Belly skin", "referred pain (convergence-projection)",
         "projection", "belly"),
    ]


def test_the_story_names_parts_nerves_and_zones_in_the_chosen_language(tiny):
    captions = [caption for _, caption, *_ in story(tiny, "pump-top-upper", "es")]
    assert captions[0] == "Estímulo en: parte alta de la bomba"
    assert captions[1] == "La señal recorre: nervio alto"
    assert captions[3].endswith("Piel del vientre, a través de: nervio de la espalda")
    assert captions[-1] == "El cerebro lo proyecta sobre la piel. Se nota en: Piel del vientre"


def test_one_lamina_is_named_in_the_singular_and_a_route_without_converging_input_skips_that_step(tiny):
    names = [name for name, *_ in story(tiny, "pump-base-lower")]
    assert names == ["stimulus", "lower-nerve", "entry", "convergence", "ascend", "projection"]
    assert story(tiny, "pump-base-lower")[3][1] == "The two meet on one dorsal-horn neuron in lamina ONE"


def test_an_animal_finding_says_so_in_every_caption(tiny):
    captions = [caption for _, caption, *_ in story(tiny, "sac-rat")]
    assert all(caption.startswith("In the rat: ") for caption in captions)
    assert "In the rat: Stimulus in the sac wall" in captions
    assert not any("In the rat" in caption for _, caption, *_ in story(tiny, "pump-base-lower"))


def test_a_mechanical_route_strains_its_structures_and_says_where_it_is_felt(tiny):
    steps = story(tiny, "sac-posture", "es")
    assert [(name, kind, target) for name, _, _, kind, target in steps] == [
        ("trigger", "trigger", "sac-wall"), ("back-muscle", "strain", "back-muscle"), ("felt", "felt", "low-back"),
    ]
    assert steps[0][1] == "Dolor del saco y espalda encorvada", "the route's own label starts its story"
    assert (steps[1][1], steps[1][2]) == ("La sobrecarga se acumula en: músculo de la espalda", "sobrecarga muscular")
    assert steps[2][1].endswith("Se nota en: Piel de la zona lumbar")
