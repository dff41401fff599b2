"""The story's stages on small standalone datasets (tests/unit/tiny.py and its two extra files):
a fork, a peripheral ganglion and a root ganglion at the cord, lamina X and the dorsal column,
the later somatic phase, mechanical strain of a joint, a ligament and fascia, a systemic route,
animal findings, a route's own captions, and which mechanism explains each step.

What a user sees is asserted: the order of the steps, what each lights (targets), its stage,
its technical term, the mechanism it links to, and the words of the caption that carry the
meaning (not every word, so a rewording for the reveal does not break these tests).
"""

from __future__ import annotations

import pytest

from painmap.figures import steps as st
from painmap.figures.steps import animation_steps
from painmap.loader import load
from tests.unit.tiny import TINY_EXTRA_YAML, TINY_MORE_YAML, TINY_YAML, tiny_dataset_with_extras, tiny_dataset_with_more


@pytest.fixture(scope="module")
def more(tmp_path_factory):
    return tiny_dataset_with_more(tmp_path_factory.mktemp("more"))


@pytest.fixture(scope="module")
def extras(tmp_path_factory):
    return tiny_dataset_with_extras(tmp_path_factory.mktemp("extras"))


def by_name(ds, route, lang="en"):
    return {s.name: s for s in animation_steps(ds, route, lang)}


# --------------------------------------------------------------------------- the referred stage


def test_a_route_through_a_ganglion_into_the_cord_tells_each_passage(more):
    steps = animation_steps(more, "pouch-deep")
    assert [s.name for s in steps] == [
        "stimulus", "pelvic-nerves", "gut-ganglion", "entry", "somatic", "convergence", "ascend", "dorsal-column",
        "projection",
    ]
    assert {s.stage for s in steps} == {st.REFERRED}
    nerve, ganglion, entry = steps[1], steps[2], steps[3]
    assert nerve.caption == "The signal runs along the pelvic nerves (splanchnic)", "one nerve keeps its aside"
    assert (nerve.kind, nerve.targets, nerve.term) == ("afferent", ("pelvic-nerves",), "visceral afferent")
    assert ganglion.caption == "It passes through the gut ganglion (no synapse there)"
    assert (ganglion.kind, ganglion.target, ganglion.targets) == ("afferent", "gut-ganglion", ("gut-ganglion",))
    # the root ganglion and the root (sensory only, or a root) are where it enters, not passages
    assert entry.caption == "It enters the spinal cord at S2-S3 through the sacral root ganglion"
    assert (entry.kind, entry.term, entry.targets) == ("entry", "dorsal root entry", ("root-ganglion", "sacral-root"))


def test_the_converging_input_is_the_one_from_the_routes_own_skin(more):
    somatic = by_name(more, "pouch-deep")["somatic"]
    assert somatic.caption.endswith(": Seat skin, through the lower nerve")
    assert (somatic.kind, somatic.target, somatic.targets, somatic.term) == ("somatic", "seat", ("seat",), "somatic afferent")
    projection = by_name(more, "pouch-deep")["projection"]
    assert (projection.target, projection.targets) == ("seat", ("seat", "pouch-skin")), "every zone it is felt in lights"
    assert projection.caption.endswith("Felt in: Seat skin; Skin over the pouch")
    assert by_name(more, "pouch-deep", "es")["entry"].caption.endswith("ganglio de la raíz sacra")


def test_without_input_from_its_own_skin_one_converging_input_is_drawn_and_told(more):
    route = more.route["pouch-roots"]
    assert [s.id for s in st.converging_inputs(more, route)] == ["hip-input"]
    story = animation_steps(more, route)
    assert [s.name for s in story][:3] == ["stimulus", "entry", "somatic"], "two entry elements, no passage"
    assert story[1].targets == ("root-ganglion", "sacral-root")
    assert story[2].target == "hip-joint" and "Hip joint, through the back nerve" in story[2].caption


def test_lamina_x_belongs_to_the_dorsal_column_not_to_the_convergence(more):
    story = by_name(more, "pouch-deep")
    assert story["convergence"].targets == ("one", "five")
    assert story["convergence"].caption.endswith("in laminae ONE and FIVE")
    # a route that meets only in lamina X still names it
    alone = by_name(more, "pouch-column")["convergence"]
    assert alone.targets == ("x",)
    assert alone.caption.endswith("in lamina X")


def test_two_ascending_tracts_are_told_one_after_the_other(more):
    story = by_name(more, "pouch-deep")
    ascend, column = story["ascend"], story["dorsal-column"]
    assert ascend.caption.startswith("It crosses the midline") and "spinothalamic tract" in ascend.caption
    assert (ascend.kind, ascend.target, ascend.term) == ("ascend", "pain-tract", "anterolateral spinothalamic tract")
    assert column.caption.startswith("It also reaches neurons around the central canal (lamina X)")
    assert "dorsal column of the same side to the gracile nucleus" in column.caption
    assert column.caption.endswith("the postsynaptic dorsal column pathway")
    assert (column.kind, column.target, column.targets) == ("dorsal-column", "column-tract", ("column-tract",))
    assert column.term == "postsynaptic dorsal column pathway"


def test_a_route_up_the_dorsal_column_alone_has_no_spinothalamic_step(more):
    story = animation_steps(more, "pouch-column")
    assert [s.name for s in story] == ["stimulus", "entry", "convergence", "dorsal-column", "projection"]
    column = story[3]
    assert column.caption.startswith("It reaches neurons around the central canal")
    assert column.target == "column-tract"
    assert story[1].caption == "It enters the spinal cord at S2-S3", "a root is no ganglion to pass through"
    assert story[1].targets == ("sacral-root",)


def test_one_tract_route_ascends_plainly_in_the_datasets_spinothalamic_tract(more):
    ascend = by_name(more, "sac-inflamed")["ascend"]
    assert ascend.caption == "The signal ascends to the brain"
    assert (ascend.target, ascend.targets) == ("pain-tract", ("pain-tract",))
    assert by_name(more, "sac-inflamed", "es")["ascend"].term == "tracto espinotalámico"


def test_without_a_tract_named_spinothalamic_the_first_other_tract_carries_it(tmp_path):
    (tmp_path / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (tmp_path / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    (tmp_path / "tiny-more.yaml").write_text(
        TINY_MORE_YAML.replace("Anterolateral spinothalamic tract (to the brain)", "Anterolateral tract (to the brain)")
        .replace("Tracto espinotalámico (al cerebro)", "Tracto anterolateral (al cerebro)"),
        encoding="utf-8",
    )
    ds = load(tmp_path)
    ascend = by_name(ds, "pouch-deep")["ascend"]
    assert ascend.target == "side-tract", "the dorsal column is never the tract that crosses"
    assert ascend.term == "side tract"
    assert by_name(ds, "pouch-deep")["dorsal-column"].target == "column-tract"


def test_without_any_tract_the_steps_still_name_the_pathway(extras):
    ascend = by_name(extras, "sac-fork")["ascend"]
    assert (ascend.term, ascend.target, ascend.targets) == ("spinothalamic tract", "", ())


def test_a_fork_is_one_step_that_lights_every_alternative(extras):
    story = animation_steps(extras, "sac-fork")
    fork = story[2]
    assert story[1].caption == "The signal passes through the hub plexus", "the first passage says 'the signal'"
    assert fork.name == "fork-left|fork-right"
    assert fork.caption == "The signal runs along the left or the right fork nerve"
    assert (fork.term, fork.kind, fork.target, fork.targets) == (
        "visceral afferent: alternative paths", "afferent", "fork-left", ("fork-left", "fork-right"),
    )
    spanish = animation_steps(extras, "sac-fork", "es")[2].caption
    assert spanish == "La señal recorre: nervio de la rama izquierda o nervio de la rama derecha"


@pytest.mark.parametrize(
    ("labels", "said"),
    [
        (["Lesser splanchnic nerve", "Least splanchnic nerve"], "the lesser or the least splanchnic nerve"),
        (["Left nerve (upper)", "Right nerve"], "the left or the right nerve"),
        (["Vagus", "Pelvic nerve"], "the vagus or the pelvic nerve"),
        (["Nerve", "Nerve", "Nerve"], "the nerve, the nerve or the nerve"),
        (["A nerve", "B nerve", "C nerve"], "the a, the b or the c nerve"),
        (["One"], "the one"),
        (["Left nerve", "Right lower nerve"], "the left or the right lower nerve"),
        (["IBS flare"], "the IBS flare"),
    ],
)
def test_alternatives_say_their_shared_words_once(labels, said):
    assert st.alternatives_phrase(labels) == said


def test_small_word_helpers_keep_acronyms_and_asides_right():
    assert st.lower_first("Pelvic nerve") == "pelvic nerve"
    assert st.lower_first("IBS flare") == "IBS flare"
    assert st.lower_first("X") == "X"
    assert st.lower_first("Xy") == "xy"
    assert st.without_aside("Tract (to the brain)") == "Tract"
    assert st.without_aside("(only an aside)") == "(only an aside)"
    assert st.join_words(["a", "", "b", "c"]) == "a, b and c"
    assert st.join_words(["a", "b"], "or") == "a or b"
    assert st.join_words(["a"]) == "a"
    assert st.join_words([]) == ""


# --------------------------------------------------------------------------- the somatic phase


def test_a_somatic_phase_follows_the_referred_stage_and_lights_its_own_nerve_and_skin(more):
    story = animation_steps(more, "sac-inflamed")
    assert [(s.name, s.stage) for s in story][-4:] == [
        ("projection", st.REFERRED), ("peritoneum", st.SOMATIC), ("parietal-afferent", st.SOMATIC),
        ("localised", st.SOMATIC),
    ]
    projection, peritoneum, afferent, localised = story[-4:]
    assert projection.caption.startswith("At first the brain projects it onto the skin")
    assert projection.caption.endswith("Felt first in: Belly skin"), "the later zone is not felt first"
    assert projection.targets == ("belly",)
    assert projection.term == "early referred pain (convergence-projection)"
    assert "from the sac wall" in peritoneum.caption
    assert peritoneum.caption.endswith("(the parietal peritoneum) and irritates it")
    assert (peritoneum.kind, peritoneum.target, peritoneum.term) == ("peritoneum", "sac-wall", "parietal peritoneal irritation")
    assert "(back nerve)" in afferent.caption and afferent.caption.endswith("T12-L1")
    assert (afferent.kind, afferent.target, afferent.targets) == ("parietal-afferent", "back-nerve", ("back-nerve",))
    assert afferent.term == "somatic afferent (parietal peritoneum)"
    assert localised.caption.startswith("The pain moves and is now sharp and well localised")
    assert "not referred" in localised.caption and localised.caption.endswith("Felt in: Side skin")
    assert (localised.kind, localised.target, localised.targets) == ("localised", "side", ("side",))
    assert localised.term == "somatic (parietal) pain, well localised"


def test_a_somatic_phase_speaks_the_chosen_language(more):
    story = by_name(more, "sac-inflamed", "es")
    assert "pared del saco" in story["peritoneum"].caption
    assert "(nervio de la espalda)" in story["parietal-afferent"].caption
    assert story["localised"].caption.endswith("Piel del costado")
    assert story["projection"].caption.endswith("Piel del vientre")


# --------------------------------------------------------------------------- mechanical and systemic


def test_a_mechanical_route_names_each_strain_by_its_kind(more):
    story = animation_steps(more, "pouch-strain")
    assert [(s.name, s.kind, s.targets) for s in story] == [
        ("trigger", "trigger", ("pouch-floor",)),
        ("hip-joint", "strain", ("hip-joint",)),
        ("back-ligament", "strain", ("back-ligament",)),
        ("back-fascia", "strain", ("back-fascia",)),
        ("felt", "felt", ("seat", "pouch-skin")),
    ]
    assert {s.stage for s in story} == {st.MECHANICAL}
    assert [s.term for s in story[1:4]] == ["joint loading", "ligament strain", "fascial strain"]
    assert story[0].caption == "It starts in the pouch floor", "a route without a label starts at its part"
    assert story[0].term == "trigger"
    assert story[2].caption == "Strain builds in the back ligament (long)"
    felt = story[-1]
    assert "hip joint, back ligament and back fascia" in felt.caption
    assert felt.caption.endswith("Felt in: Seat skin; Skin over the pouch")
    assert (felt.target, felt.term) == ("seat", "mechanical pain from muscles and joints")
    spanish = animation_steps(more, "pouch-strain", "es")
    assert spanish[0].caption.endswith("suelo de la bolsa")
    assert "articulación de la cadera, ligamento de la espalda" in spanish[-1].caption
    assert "fascia de la espalda" in spanish[-1].caption


def test_a_systemic_route_spreads_through_the_blood_and_is_felt_everywhere(extras):
    story = animation_steps(extras, "sac-fever")
    assert [(s.name, s.kind, s.stage) for s in story] == [
        ("trigger", "trigger", st.SYSTEMIC), ("cytokines", "cytokines", st.SYSTEMIC), ("felt", "felt", st.SYSTEMIC),
    ]
    trigger, cytokines, felt = story
    assert trigger.caption == "Inflammation in the sac wall"
    assert (trigger.term, trigger.target, trigger.targets) == ("inflammation", "sac-wall", ("sac-wall",))
    assert cytokines.caption.startswith("Cytokines from the immune response") and "blood" in cytokines.caption
    assert (cytokines.term, cytokines.targets) == ("systemic cytokines", ())
    assert "all over" in felt.caption and felt.caption.endswith("Felt in: Everywhere (aches)")
    assert (felt.term, felt.targets) == ("diffuse myalgia (systemic, not segmental)", ("everywhere",))
    assert animation_steps(extras, "sac-fever", "es")[-1].caption.endswith("Todo el cuerpo")
    assert animation_steps(extras, "sac-fever", "es")[0].caption.endswith("pared del saco")


# --------------------------------------------------------------------------- species and own captions


def test_an_animal_without_a_common_name_is_named_by_its_species(more):
    story = animation_steps(more, "pouch-mouse")
    assert story[0].caption == "In Mus musculus: Inflammation in the pouch floor"
    assert all(s.caption.startswith("In Mus musculus: ") for s in story)


def test_a_routes_own_captions_replace_the_defaults_and_still_say_the_species(more):
    story = by_name(more, "sac-rat-told")
    assert story["stimulus"].caption == "In the rat: The wall is stretched", "the species is said once"
    assert story["entry"].caption == "In the rat: It arrives at the lumbar cord"
    assert story["lower-nerve"].caption == "In the rat: The signal runs along the lower nerve"
    assert by_name(more, "sac-rat-told", "es")["entry"].caption == "En Rattus norvegicus: Llega a la médula lumbar"


def test_species_words(more):
    assert st.species_words(more.route["pouch-deep"].species) == ""
    assert st.species_words(more.route["sac-rat-told"].species) == "the rat"
    assert st.species_words(more.route["pouch-mouse"].species) == "Mus musculus"
    assert st.species_prefix(more.route["pouch-deep"].species) == ""


# --------------------------------------------------------------------------- mechanisms


def test_each_step_links_the_most_specific_mechanism_the_route_names(more):
    story = by_name(more, "pouch-deep")
    assert {n: s.mechanism for n, s in story.items()} == {
        "stimulus": "convergence-projection",
        "pelvic-nerves": "pelvic-pain-line",
        "gut-ganglion": "pelvic-pain-line",
        "entry": "pelvic-pain-line",
        "somatic": "convergence-projection",
        "convergence": "convergence-projection",
        "ascend": "convergence-projection",
        "dorsal-column": "convergence-projection",
        "projection": "convergence-projection",
    }
    strain = by_name(more, "pouch-strain")
    assert [strain[n].mechanism for n in ("trigger", "hip-joint", "back-fascia", "felt")] == [
        "mechanical-strain", "viscerosomatic-reflex", "viscerosomatic-reflex", "mechanical-strain",
    ]


def test_a_route_without_fitting_mechanisms_takes_its_stages_default(more, extras):
    assert {s.mechanism for s in animation_steps(more, "pouch-mouse")} == {"systemic-cytokines"}
    fork = by_name(extras, "sac-fork")  # names only cross-talk, which no step shows
    assert fork["stimulus"].mechanism == "convergence-projection"
    assert fork["localised"].mechanism == "", "no mechanism of direct somatic pain in this dataset"
    assert {s.mechanism for s in animation_steps(extras, "sac-posture")} == {"mechanical-strain"}


def test_the_somatic_phase_links_the_datasets_own_name_for_direct_somatic_pain(more):
    for route in ("sac-fork", "sac-inflamed"):
        story = by_name(more, route)
        assert [story[n].mechanism for n in ("peritoneum", "parietal-afferent", "localised")] == ["direct-somatic-pain"] * 3
        assert story["projection"].mechanism == "convergence-projection"


def test_a_routes_own_somatic_mechanism_wins_over_the_default(tmp_path):
    (tmp_path / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (tmp_path / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    (tmp_path / "tiny-more.yaml").write_text(TINY_MORE_YAML, encoding="utf-8")
    (tmp_path / "tiny-parietal.yaml").write_text(
        "mechanisms:\n"
        "  - {id: parietal-peritoneal-pain, label: {en: Parietal pain, es: Dolor parietal},\n"
        "     text: {en: The lining hurts, es: El revestimiento duele}, sources: [book]}\n",
        encoding="utf-8",
    )
    ds = load(tmp_path)
    assert by_name(ds, "sac-fork")["localised"].mechanism == "parietal-peritoneal-pain"
    assert by_name(ds, "sac-inflamed")["localised"].mechanism == "direct-somatic-pain"
    assert by_name(ds, "sac-inflamed")["stimulus"].mechanism == "convergence-projection"


def test_a_dataset_without_mechanisms_links_none(tmp_path):
    (tmp_path / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    ds = load(tmp_path)
    for route in ("pump-top-upper", "sac-posture", "sac-rat"):
        assert {s.mechanism for s in animation_steps(ds, route)} == {""}


def test_every_step_lights_at_least_what_it_is_about(more):
    for route in more.routes:
        for step in animation_steps(more, route.id):
            assert step.stage in (st.REFERRED, st.SOMATIC, st.MECHANICAL, st.SYSTEMIC)
            if step.target:
                assert step.targets[0] == step.target
            assert step.caption and step.term


def test_lamina_x_is_known_by_its_central_canal_and_a_fork_mid_chain_keeps_what_follows(tmp_path):
    (tmp_path / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (tmp_path / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    (tmp_path / "tiny-canal.yaml").write_text(
        "laminae:\n"
        "  - {id: canal, label: {en: Grey matter of the Central Canal, es: Sustancia gris del canal central},\n"
        "     ontology: 'UBERON:0002256', depth: 0.9}\n"
        "nerves:\n"
        "  - {id: gracile-path, label: {en: Path to the gracile nucleus, es: Vía grácil}, ontology: 'UBERON:0002179',\n"
        "     kind: tract, fibres: [sensory]}\n"
        "routes:\n"
        "  - {id: sac-canal, organ: sac, part: sac-wall, kind: segmental, chain: [hub, fork-left, fork-right, upper-nerve],\n"
        "     alternatives: [[fork-left, fork-right]], segments: T10-T11, laminae: [five, canal],\n"
        "     ascending: [dorsal-column], zones: [belly], sources: [book]}\n",
        encoding="utf-8",
    )
    ds = load(tmp_path)
    story = by_name(ds, "sac-canal")
    assert list(story) == [
        "stimulus", "hub", "fork-left|fork-right", "upper-nerve", "entry", "somatic", "convergence", "dorsal-column",
        "projection",
    ]
    assert story["convergence"].targets == ("five",), "the lamina around the central canal is the dorsal column's"
    assert story["dorsal-column"].target == "gracile-path"
    assert st.is_lamina_x(ds, "canal") and not st.is_lamina_x(ds, "five") and not st.is_lamina_x(ds, "nowhere")


def test_a_later_stage_felt_in_two_places_lights_both_and_a_strain_felt_nowhere_lights_no_skin(tmp_path):
    (tmp_path / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (tmp_path / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    (tmp_path / "tiny-two.yaml").write_text(
        "routes:\n"
        "  - id: pump-spread\n"
        "    organ: pump\n"
        "    part: pump-top\n"
        "    kind: segmental\n"
        "    chain: [upper-nerve]\n"
        "    segments: T10-T11\n"
        "    laminae: [one]\n"
        "    ascending: [spinothalamic, dorsal-column]\n"
        "    zones: [belly]\n"
        "    somatic_phase: {label: {en: Then both, es: Luego ambos}, nerve: back-nerve, segments: T12-L1,\n"
        "                    zones: [side, low-back], sources: [book]}\n"
        "    sources: [book]\n"
        "  - {id: pump-stiff, organ: pump, part: pump-top, kind: mechanical, segments: L1-L5, strains: [back-muscle],\n"
        "     sources: [book]}\n",
        encoding="utf-8",
    )
    ds = load(tmp_path)
    localised = by_name(ds, "pump-spread")["localised"]
    assert (localised.target, localised.targets) == ("side", ("side", "low-back"))
    assert localised.caption.endswith("Felt in: Side skin; Low back skin")
    felt = by_name(ds, "pump-stiff")["felt"]
    assert (felt.target, felt.targets) == ("", ())
    assert by_name(ds, "pump-stiff")["back-muscle"].targets == ("back-muscle",)
    column = by_name(ds, "pump-spread")["dorsal-column"]
    assert (column.target, column.targets) == ("", ()), "no dorsal column drawn in this dataset: nothing to light"


def test_one_root_after_a_nerve_is_the_entry_and_the_nerve_is_still_a_passage(tmp_path):
    for name, yaml in (("tiny", TINY_YAML), ("tiny-extra", TINY_EXTRA_YAML), ("tiny-more", TINY_MORE_YAML)):
        (tmp_path / f"{name}.yaml").write_text(yaml, encoding="utf-8")
    (tmp_path / "short.yaml").write_text(
        "routes:\n"
        "  - {id: pouch-short, organ: pouch, part: pouch-floor, kind: segmental, chain: [pelvic-nerves, sacral-root],\n"
        "     segments: S2-S3, laminae: [one], zones: [pouch-skin], sources: [book]}\n",
        encoding="utf-8",
    )
    story = animation_steps(load(tmp_path), "pouch-short")
    assert [(s.name, s.targets) for s in story[:3]] == [
        ("stimulus", ("pouch-floor",)), ("pelvic-nerves", ("pelvic-nerves",)), ("entry", ("sacral-root",)),
    ]
