"""What the side panels say, word for word where the words are ours, on the tiny dataset.

The panels are what a student or a patient reads: the sentences, their order, the language
they are in and the classes the stylesheet hangs on (a weak finding is styled as weak, a
technical term as a term). The mutation run (`make mutate`) found these unasserted; each
test below names the promise, not the code that keeps it.
"""

from __future__ import annotations

import pytest

from painmap.app import panels
from painmap.figures.steps import animation_steps
from painmap.loader import load
from tests.unit.tiny import TINY_YAML, tiny_dataset, tiny_dataset_with_more


def markup(node) -> str:
    """A component tree as HTML-like text: tag, attributes (sorted) and children."""
    if node is None:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(markup(n) for n in node)
    if isinstance(node, (str, int, float)):
        return str(node)
    props = node.to_plotly_json()["props"]
    attrs = "".join(f' {k}="{v}"' for k, v in sorted(props.items()) if k != "children" and v is not None)
    tag = type(node).__name__.lower()
    return f"<{tag}{attrs}>{markup(props.get('children'))}</{tag}>"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_dataset(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def variant(tmp_path_factory):
    """The tiny dataset with a PubMed-only source, a dispute note, a zone nothing refers to,
    and a rat route moved off the pump's segments (so pump and sac share none)."""
    yaml = (
        TINY_YAML.replace(
            "  - {id: rat-study, title: A study in rats, authors: Author R, year: 2003, doi: 10.1000/rat, evidence: moderate}",
            "  - {id: rat-study, title: A study in rats, authors: Author R, year: 2003, doi: 10.1000/rat, evidence: moderate}\n"
            "  - {id: pubmed-only, title: An indexed paper, pmid: '12345', evidence: strong}",
        )
        .replace("    segments: L1-L2\n", "    segments: L4-L5\n")
        .replace(
            "    routes: [pump-base-upper, pump-base-lower]\n",
            "    routes: [pump-base-upper, pump-base-lower]\n    note: {en: Both are cited., es: Ambas se citan.}\n",
        )
        .replace(
            "deep_structures:",
            "  - {id: scalp, label: {en: Scalp, es: Cuero cabelludo}, ontology: \"UBERON:0002097\", dermatomes: T10, views: [front]}\n"
            "deep_structures:",
        )
    )
    path = tmp_path_factory.mktemp("variant") / "variant.yaml"
    path.write_text(yaml, encoding="utf-8")
    return load(path)


# --------------------------------------------------------------------------- a route


def test_a_route_reads_from_the_organ_to_where_it_is_felt(tiny):
    shown = markup(panels.route_summary(tiny, tiny.route["pump-top-upper"], "en"))
    assert shown.startswith("<h3>Pump top via the upper nerve</h3>")
    assert '<p><strong>From: </strong>Pump top <span className="term">(UBERON:0000948)</span></p>' in shown
    assert "<p><strong>Travels: </strong>Upper nerve</p>" in shown
    assert "<p><strong>Enters the spinal cord at: </strong>T10-T12</p>" in shown
    assert "<p><strong>Meets the back's input in: </strong>Lamina one, Lamina five</p>" in shown
    assert (
        "<details><summary>1 skin and muscle inputs share these segments</summary>"
        "<ul><li>Belly skin input</li></ul></details>"
    ) in shown
    assert shown.endswith("<p><strong>Felt in: </strong>Belly skin</p>"), "a strong human route adds no warning"


def test_a_route_reads_in_the_chosen_language(tiny):
    shown = markup(panels.route_summary(tiny, tiny.route["pump-top-upper"], "es"))
    for words in ("Parte alta por el nervio alto", "Parte alta de la bomba", "Nervio alto", "Lámina uno, Lámina cinco",
                  "<li>Entrada de la piel del vientre</li>", "Se nota en: </strong>Piel del vientre"):
        assert words in shown, words


def test_weak_evidence_and_animal_findings_are_styled_as_warnings(tiny):
    weak = markup(panels.route_summary(tiny, tiny.route["pump-base-upper"], "en"))
    assert weak.endswith('<p className="evidence-weak">Weak evidence: sources vary for this route.</p>')
    rat = markup(panels.route_summary(tiny, tiny.route["sac-rat"], "en"))
    assert rat.endswith('<p className="evidence-weak">Species: Rattus norvegicus (not a human finding)</p>')


def test_a_mechanical_route_names_what_it_strains(tiny):
    shown = markup(panels.route_summary(tiny, tiny.route["sac-posture"], "es"))
    assert "<strong>Sobrecarga: </strong>Músculo de la espalda (niveles nerviosos L1-L5)" in shown
    assert "Recorre" not in shown


# --------------------------------------------------------------------------- zone, segment, comparison


def test_a_zone_lists_each_referring_organ_part_and_levels(tiny):
    for lang, organ, part in (("en", "Pump", "Pump top"), ("es", "Bomba", "Parte alta de la bomba")):
        shown = markup(panels.zone_summary(tiny, "belly", lang))
        assert f'<li data-route="pump-top-upper"><strong>{organ}</strong> \u2014 {part} (T10-T12)</li>' in shown
    assert "<h3>Dolor que se nota en: Piel del vientre</h3><p>Piel de los segmentos T10-T12." in markup(
        panels.zone_summary(tiny, "belly", "es")
    )


def test_a_zone_nothing_refers_to_says_so(variant):
    shown = markup(panels.zone_summary(variant, "scalp", "es"))
    assert "<h3>Dolor que se nota en: Cuero cabelludo</h3>" in shown
    assert shown.endswith("<p>Ningún órgano de estos datos refiere dolor aquí.</p>")


def test_a_segment_lists_its_routes_and_the_skin_that_reports_there(tiny):
    shown = markup(panels.segment_summary(tiny, "T11", "es"))
    assert shown.startswith("<h3>Segmento medular T11</h3>")
    assert '<li data-route="pump-base-upper"><strong>Bomba</strong> \u2014 Base de la bomba (T11-L1)</li>' in shown
    assert shown.endswith("<p>Piel y músculo que informan aquí:</p><ul><li>Entrada de la piel del vientre</li></ul>")
    empty = markup(panels.segment_summary(tiny, "S1", "en"))
    assert empty == (
        "<h3>Spinal segment S1</h3><p>No organ route enters here.</p>"
        "<p>Skin and muscle that report here:</p><p>none in this dataset</p>"
    )


def test_a_comparison_names_the_shared_segments_and_the_term(tiny):
    shown = markup(panels.compare_summary(tiny, "pump", "sac", "es"))
    assert shown == (
        "<h3>Bomba y Saco comparten 1 segmentos</h3>"
        '<p>Compartidos: <span className="shared-segments">L1</span>. Los órganos que comparten segmentos pueden '
        'sensibilizarse entre sí <span className="term">(sensibilización cruzada víscero-visceral)</span>: el dolor de '
        "uno puede hacer que el otro duela más.</p>"
    )


def test_organs_that_share_nothing_are_told_so(variant):
    assert markup(panels.compare_summary(variant, "pump", "sac", "es")) == (
        "<h3>Bomba y Saco</h3><p>En estos datos no comparten ningún segmento medular.</p>"
    )


# --------------------------------------------------------------------------- disputes, sources, flags, steps


def test_a_dispute_shows_each_alternative_with_levels_and_citations(tiny):
    shown = markup(panels.dispute_box(tiny, tiny.route["pump-base-lower"], "es"))
    assert shown == (
        "<h3>Las fuentes no coinciden</h3><p>¿A qué segmentos llega la base de la bomba?</p><ul>"
        '<li data-route="pump-base-upper"><strong>Base por el nervio alto: </strong>T11-L1. <em>A weak rumour</em></li>'
        '<li data-route="pump-base-lower"><strong>Base por el nervio bajo (mostrada): </strong>S2-S3. '
        "<em>A tiny anatomy book</em></li></ul>"
    )


def test_a_dispute_note_is_shown_in_the_language_as_a_note(variant):
    shown = markup(panels.dispute_box(variant, variant.route["pump-base-upper"], "es"))
    assert shown.endswith('<p className="note">Ambas se citan.</p>')


def test_sources_read_title_authors_year_and_open_their_link_safely(tiny, variant):
    shown = markup(panels.sources_panel(tiny, ["book", "rumour", "rat-study"]))
    assert shown == (
        "<ol>"
        '<li data-source="book"><span className="source-title">A tiny anatomy book</span> \u2014 Author A 2001'
        " ISBN 978-0-00-000000-2</li>"
        '<li data-source="rumour"><span className="source-title">A weak rumour</span> \u2014 2002 '
        '<a href="https://example.org/rumour" rel="noopener" target="_blank">link</a>'
        '<span className="evidence-weak"> weak source</span></li>'
        '<li data-source="rat-study"><span className="source-title">A study in rats</span> \u2014 Author R 2003 '
        '<a href="https://doi.org/10.1000/rat" rel="noopener" target="_blank">link</a></li>'
        "</ol>"
    )
    pubmed = markup(panels.sources_panel(variant, ["pubmed-only"]))
    assert pubmed == (
        '<ol><li data-source="pubmed-only"><span className="source-title">An indexed paper</span> '
        '<a href="https://pubmed.ncbi.nlm.nih.gov/12345/" rel="noopener" target="_blank">link</a></li></ol>'
    ), "no authors or year: no dash; a PubMed id gives a PubMed link"


def test_no_sources_invites_a_choice():
    assert markup(panels.sources_panel(None, [])) == "<p>Choose an organ, zone or segment to see its sources.</p>"


def test_sources_on_screen_take_in_every_alternative_of_a_dispute(tiny):
    found = panels.source_ids_on_screen(tiny, [tiny.route["pump-base-lower"]])
    assert found == ["book", "rumour"]


def test_red_flags_read_label_then_advice_in_the_language(tiny):
    assert markup(panels.red_flags_panel(tiny, ["sac"], "es")) == (
        '<li className="flag flag-today" data-flag="sac-bleeds" data-urgency="today">'
        '<span className="urgency urgency-today">Consulte a un médico hoy</span> '
        '<strong>Sangre en el saco: </strong>Vea a un médico hoy.</li>'
        '<li className="flag flag-today" data-flag="general" data-urgency="today">'
        '<span className="urgency urgency-today">Consulte a un médico hoy</span> '
        '<strong>Piernas dormidas: </strong>Urgencias ahora.</li>'
        '<li className="flag flag-emergency" data-flag="pump-stops" data-urgency="emergency">'
        '<span className="urgency urgency-emergency">Urgencia: pida ayuda ya</span> '
        '<strong>La bomba se para: </strong>Llame a una ambulancia ahora.</li>'
    )


def test_the_step_list_marks_the_current_step_and_names_each_term(tiny):
    steps = animation_steps(tiny, "pump-base-lower")
    items = panels.steps_list(steps, 1)
    assert [item.className for item in items] == ["step", "step current"] + ["step"] * (len(steps) - 2)
    assert markup(items[1]) == (
        f'<li className="step current" data-step="1"><span className="caption">{steps[1].caption}</span> '
        f'<span className="term">({steps[1].term})</span></li>'
    )


# --------------------------------------------------------------------------- the other kinds of route (tiny.py's extra files)


@pytest.fixture(scope="module")
def more(tmp_path_factory):
    """The tiny dataset with forks, a somatic phase, mechanisms, both ascending tracts,
    mechanical strains of three kinds, a systemic route and a mouse finding."""
    return tiny_dataset_with_more(tmp_path_factory.mktemp("more"))


def test_a_route_up_two_tracts_names_both_and_why_it_is_felt_there(more):
    shown = markup(panels.route_summary(more, more.route["pouch-deep"], "en"))
    assert "<strong>Travels: </strong>Pelvic nerves (splanchnic) \u2192 Gut ganglion \u2192 Sacral root ganglion \u2192 Sacral root</p>" in shown
    assert "<strong>Meets the back's input in: </strong>Lamina one, Lamina five, Lamina ten</p>" in shown
    rises = shown.split("<strong>Rises to the brain in: </strong>")[1].split("</p>")[0]
    assert rises.startswith("the spinothalamic tract (") and " and the dorsal columns (" in rises
    assert "lamina X: the postsynaptic dorsal column pathway" in rises
    assert "<summary>2 skin and muscle inputs share these segments</summary><ul><li>Hip joint input</li><li>Seat skin input</li></ul>" in shown
    assert "<p><strong>Felt in: </strong>Seat skin, Skin over the pouch</p>" in shown
    why = panels.mechanisms_explaining(more, more.route["pouch-deep"])
    assert why[:2] == ["pelvic-pain-line", "convergence-projection"], "the route's own mechanisms, in its order"
    assert markup(panels.mechanism_item(more, "pelvic-pain-line", "en")) == (
        '<li data-mechanism="pelvic-pain-line" id="mechanism-pelvic-pain-line">Below the line pain takes the pelvic nerves '
        '<span className="term">(Pelvic pain line)</span> <em className="mechanism-sources">Sources: A tiny anatomy book</em></li>'
    ), "plain words first, the term, the sources, and an anchor the steps link to"
    assert shown.endswith('<p className="note">Seen in clinics</p>'), "a curator's note closes a strong human route"
    assert markup(panels.route_summary(more, more.route["pouch-deep"], "es")).endswith('<p className="note">Visto en clínicas</p>')


def test_a_fork_reads_as_alternatives_side_by_side(more):
    shown = markup(panels.route_summary(more, more.route["sac-fork"], "es"))
    assert "<strong>Recorre: </strong>Plexo central \u2192 Nervio de la rama izquierda o Nervio de la rama derecha</p>" in shown


def test_a_somatic_phase_reads_as_a_later_somatic_pain_with_its_nerve_and_note(more):
    shown = markup(panels.route_summary(more, more.route["sac-inflamed"], "en"))
    assert "<p><strong>Felt first in: </strong>Belly skin" in shown
    phase = shown.split('<div className="somatic-phase">')[1].split("</div>")[0]
    assert phase.startswith("<p><strong>Then: </strong>Then the side hurts sharply</p>")
    assert "<p><strong>Felt in: </strong>Side skin, reported by the back nerve (T12-L1). " in phase
    assert "somatic, not referred" in phase
    assert "This pain is somatic, not referred: it is felt where the inflammation is." in phase
    assert phase.endswith('<p className="note">Not in every patient</p>')
    spanish_note = markup(panels.route_summary(more, more.route["sac-inflamed"], "es"))
    assert '<p className="note">No en todos los pacientes</p></div>' in spanish_note
    spanish = markup(panels.route_summary(more, more.route["sac-fork"], "es"))
    assert "<strong>Después: </strong>Luego duele la pared lateral</p>" in spanish
    assert "Piel del costado, comunicado por: nervio de la espalda (T12-L1)" in spanish
    assert '<p className="note">' not in spanish.split('<div className="somatic-phase">')[1].split("</div>")[0]


def test_a_systemic_route_spreads_through_the_blood_and_an_animal_one_says_its_species(more):
    fever = markup(panels.route_summary(more, more.route["sac-fever"], "es"))
    assert fever.startswith("<h3>Dolores por fiebre del saco</h3>")
    assert "<p><strong>Se extiende: </strong>por la sangre (citocinas), no a lo largo de un nervio</p>" in fever
    assert "<p><strong>Se nota en: </strong>Todo el cuerpo</p>" in fever
    assert "Recorre" not in fever and "Sobrecarga" not in fever
    assert panels.mechanisms_explaining(more, more.route["sac-fever"]) == ["systemic-cytokines"]
    why = markup(panels.mechanism_item(more, "systemic-cytokines", "es"))
    assert why.startswith('<li data-mechanism="systemic-cytokines" id="mechanism-systemic-cytokines">Mensajeros en la sangre')
    assert '<span className="term">(Inflamación sistémica)</span>' in why
    mouse = markup(panels.route_summary(more, more.route["pouch-mouse"], "en"))
    assert mouse.startswith("<h3>Pouch floor (in Mus musculus)</h3>"), "no label: the part names it"
    assert mouse.endswith('<p className="evidence-weak">Species: Mus musculus (not a human finding)</p>')
    spanish = markup(panels.route_summary(more, more.route["pouch-mouse"], "es"))
    assert spanish.startswith("<h3>Suelo de la bolsa (en Mus musculus)</h3>")


def test_a_mechanical_route_lists_every_structure_it_strains_and_its_mechanisms(more):
    shown = markup(panels.route_summary(more, more.route["pouch-strain"], "en"))
    assert "<strong>Strains: </strong>Hip joint, Back ligament (long), Back fascia (nerve levels L4-S1)</p>" in shown
    why = panels.mechanisms_explaining(more, more.route["pouch-strain"])
    assert [m for m in why if m in ("viscerosomatic-reflex", "mechanical-strain")] == ["viscerosomatic-reflex", "mechanical-strain"]
    assert '<em className="mechanism-sources">Sources: A tiny anatomy book; A study in rats</em>' in markup(
        [panels.mechanism_item(more, m, "en") for m in why]
    )


def test_a_label_loses_its_capital_in_a_sentence_unless_it_is_an_acronym_or_a_segment():
    assert panels.lower_first("Back nerve") == "back nerve"
    assert panels.lower_first("IBS nerve") == "IBS nerve"
    assert panels.lower_first("T12 nerve") == "T12 nerve"
    assert panels.lower_first("") == ""


def test_a_fork_in_the_middle_of_a_chain_keeps_what_follows(tmp_path):
    from tests.unit.tiny import TINY_EXTRA_YAML

    (tmp_path / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (tmp_path / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    (tmp_path / "mid.yaml").write_text(
        "routes:\n"
        "  - {id: sac-mid, organ: sac, part: sac-wall, kind: segmental, chain: [hub, fork-left, fork-right, upper-nerve],\n"
        "     alternatives: [[fork-left, fork-right]], segments: T10-T11, laminae: [five], zones: [belly], sources: [book]}\n",
        encoding="utf-8",
    )
    ds = load(tmp_path)
    shown = markup(panels.route_summary(ds, ds.route["sac-mid"], "en"))
    assert "<strong>Travels: </strong>Hub plexus \u2192 Left fork nerve or Right fork nerve \u2192 Upper nerve</p>" in shown


def test_the_mechanisms_the_steps_name_are_explained_too_once_each(more):
    route = more.route["sac-fork"]
    shown = panels.mechanisms_explaining(more, route, ("convergence-projection", "cross-talk", "not-a-mechanism"))
    assert shown == ["cross-talk", "convergence-projection"]
    assert markup(panels.mechanism_item(more, "convergence-projection", "en")) == (
        '<li data-mechanism="convergence-projection" id="mechanism-convergence-projection">Organ and skin share one neuron '
        '<span className="term">(Convergence-projection)</span> '
        '<em className="mechanism-sources">Sources: A tiny anatomy book</em></li>'
    )
    assert panels.mechanism_anchor("cross-talk") == "mechanism-cross-talk"


def test_the_page_holds_every_mechanism_and_shows_those_on_screen_first(more):
    items = panels.mechanisms_panel(more, ["cross-talk"], "en")
    assert [item.id for item in items][0] == "mechanism-cross-talk" and not items[0].hidden
    assert len(items) == len(more.mechanisms) and all(item.hidden for item in items[1:])


def test_a_route_with_nothing_to_explain_has_no_why(tiny):
    assert "Why it is felt there" not in markup(panels.route_summary(tiny, tiny.route["pump-top-upper"], "en"))
    assert panels.mechanisms_explaining(tiny, tiny.route["pump-top-upper"], ("convergence-projection",)) == []


def test_a_whole_body_zone_groups_its_systemic_routes(more):
    shown = markup(panels.zone_summary(more, "everywhere", "en"))
    assert shown.startswith("<h3>Pain felt in: Everywhere (aches)</h3><p>The whole body: aches that spread through the blood")
    assert (
        '<section className="route-group route-group-systemic" data-group="systemic"><h4>Whole-body (systemic)</h4><ul>'
        '<li data-route="sac-fever"><strong>Sac</strong> \u2014 Sac wall</li>'
        '<li data-route="pouch-mouse"><strong>Pouch</strong> \u2014 Pouch floor (in Mus musculus)</li></ul></section>'
    ) in shown, "no segments: no levels in brackets"


def test_the_later_somatic_stage_is_its_own_group_with_its_own_levels(more):
    shown = markup(panels.zone_summary(more, "side", "es"))
    assert "<p>Piel de los segmentos T12-L1. Qué puede doler aquí, y cómo:</p>" in shown
    referred, later = shown.split("<section")[1:]
    assert 'data-group="segmental"' in referred and '<li data-route="sac-inflamed"><strong>Saco</strong> \u2014 Pared del saco (T10-T12)</li>' in referred
    assert 'className="route-group route-group-somatic_phase" data-group="somatic_phase"' in later
    assert "<h4>Se nota sobre el propio órgano, más tarde (somático, no referido)</h4>" in later
    assert '<li data-route="sac-inflamed"><strong>Saco</strong> \u2014 Pared del saco (T12-L1)</li>' in later
    mechanical = markup(panels.zone_summary(more, "seat", "en"))
    assert '<li data-route="pouch-strain"><strong>Pouch</strong> \u2014 Pouch floor (L4-S1)</li>' in mechanical


def test_each_step_links_to_the_explanation_of_its_mechanism_in_the_language(more):
    steps = animation_steps(more, "pouch-deep")
    items = panels.steps_list(steps, 0, more, "es")
    assert markup(items[1]) == (
        f'<li className="step" data-step="1"><span className="caption">{steps[1].caption}</span> '
        f'<span className="term">({steps[1].term})</span> '
        '<a className="why" data-mechanism="pelvic-pain-line" href="#mechanism-pelvic-pain-line">¿Por qué? Línea de dolor pélvico</a></li>'
    )
    assert "Why?" not in markup(panels.steps_list(steps, 0)), "without the dataset no link is made"


def test_sources_on_screen_take_in_somatic_inputs_the_later_stage_and_mechanisms(more):
    assert panels.source_ids_on_screen(more, [more.route["sac-inflamed"]]) == ["book", "rat-study"]
    assert panels.source_ids_on_screen(more, [more.route["pouch-deep"]]) == ["book", "handout", "rumour"]
    assert panels.source_ids_on_screen(more, [more.route["sac-fork"]]) == ["book", "rat-study", "rumour"]


def test_a_later_stage_felt_in_two_places_names_both(tmp_path):
    from tests.unit.tiny import TINY_EXTRA_YAML

    (tmp_path / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (tmp_path / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    (tmp_path / "two.yaml").write_text(
        "routes:\n"
        "  - {id: pump-spread, organ: pump, part: pump-top, kind: segmental, chain: [upper-nerve], segments: T10-T11,\n"
        "     laminae: [one], zones: [belly], sources: [book],\n"
        "     somatic_phase: {label: {en: Then both, es: Luego ambos}, nerve: back-nerve, segments: T12-L1,\n"
        "                     zones: [side, low-back], sources: [book]}}\n",
        encoding="utf-8",
    )
    ds = load(tmp_path)
    shown = markup(panels.route_summary(ds, ds.route["pump-spread"], "en"))
    assert "<p><strong>Felt in: </strong>Side skin, Low back skin, reported by the back nerve (T12-L1)." in shown


def test_organs_that_share_several_segments_list_them_all(more):
    shown = markup(panels.compare_summary(more, "pump", "sac", "en"))
    assert '<span className="shared-segments">T10, T11, T12, L1</span>' in shown


def test_a_disputed_alternative_cites_all_its_sources_and_a_source_without_a_year_shows_its_authors(more):
    shown = markup(panels.dispute_box(more, more.route["pouch-deep"], "en"))
    assert (
        '<li data-route="pouch-column"><strong>Pouch floor by the column: </strong>S2-S3. '
        "<em>A tiny anatomy book; A clinic handout</em></li>"
    ) in shown
    assert markup(panels.sources_panel(more, ["handout"])) == (
        '<ol><li data-source="handout"><span className="source-title">A clinic handout</span> \u2014 Clinic B '
        '<a href="https://example.org/handout" rel="noopener" target="_blank">link</a></li></ol>'
    )
