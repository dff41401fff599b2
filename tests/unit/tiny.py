"""A small dataset written inside the tests: it stands alone (no `extends: bundled`, no
bundled ids), so a curator fixing a fact in the bundled data breaks no test of the app.

Two organs (a "pump" with two parts whose sources disagree, and a "sac"), two languages,
a weak route, a rat route, a mechanical route, zones front and back, red flags.
"""

from __future__ import annotations

from pathlib import Path

from painmap.loader import load
from painmap.model import Dataset

#: The cord every small test dataset uses: T10-S3, drawn whole.
CORD_YAML = """
spinal_cord:
  drawn: T10-S3
  segments:
    - {id: T10, ontology: "UBERON:0006466"}
    - {id: T11, ontology: "UBERON:0006467"}
    - {id: T12, ontology: "UBERON:0006468"}
    - {id: L1, ontology: "UBERON:0006448"}
    - {id: L2, ontology: "UBERON:0006450"}
    - {id: L3, ontology: "UBERON:0006451"}
    - {id: L4, ontology: "UBERON:0006452"}
    - {id: L5, ontology: "UBERON:0006453"}
    - {id: S1, ontology: "UBERON:0006454"}
    - {id: S2, ontology: "UBERON:0006461"}
    - {id: S3, ontology: "UBERON:0006462"}
"""

TINY_YAML = """
languages: [en, es]
""" + CORD_YAML.strip("\n") + """
fibre_styles:
  sensory: {label: {en: Sensory, es: Sensitiva}, colour: "#2A62F6", dash: solid, symbol: circle}
  sympathetic: {label: {en: Sympathetic, es: Simpática}, colour: "#EA3423", dash: dash, symbol: triangle-up}
  parasympathetic: {label: {en: Parasympathetic, es: Parasimpática}, colour: "#3F8F4A", dash: dot, symbol: square}
  somatic: {label: {en: Somatic, es: Somática}, colour: "#98561D", dash: longdash, symbol: diamond}
laminae:
  - {id: one, label: {en: Lamina one, es: Lámina uno}, ontology: "UBERON:0002256", depth: 0.1}
  - {id: five, label: {en: Lamina five, es: Lámina cinco}, ontology: "UBERON:0002256", depth: 0.6}
sources:
  - {id: book, title: A tiny anatomy book, authors: Author A, year: 2001, isbn: 978-0-00-000000-2, evidence: strong}
  - {id: rumour, title: A weak rumour, year: 2002, url: "https://example.org/rumour", evidence: weak}
  - {id: rat-study, title: A study in rats, authors: Author R, year: 2003, doi: 10.1000/rat, evidence: moderate}
organs:
  - id: pump
    label: {en: Pump, es: Bomba}
    ontology: "UBERON:0000948"
    system: cardiovascular
    colour: teal
    paired: true  # a left and a right pump: side=left|right
    parts:
      - {id: pump-top, label: {en: Pump top, es: Parte alta de la bomba}, ontology: "UBERON:0000948"}
      - {id: pump-base, label: {en: Pump base, es: Base de la bomba}, ontology: "UBERON:0000948"}
  - id: sac
    label: {en: Sac, es: Saco}
    ontology: "UBERON:0001255"
    system: urinary
    colour: "#E3B23C"
    parts:
      - {id: sac-wall, label: {en: Sac wall, es: Pared del saco}, ontology: "UBERON:0001255"}
nerves:
  - {id: upper-nerve, label: {en: Upper nerve, es: Nervio alto}, ontology: "UBERON:0001021", kind: nerve, fibres: [sensory, sympathetic]}
  - {id: lower-nerve, label: {en: Lower nerve, es: Nervio bajo}, ontology: "UBERON:0001021", kind: nerve, fibres: [sensory, parasympathetic]}
  - {id: back-nerve, label: {en: Back nerve, es: Nervio de la espalda}, ontology: "UBERON:0001021", kind: nerve, fibres: [somatic]}
zones:
  - {id: belly, label: {en: Belly skin, es: Piel del vientre}, ontology: "UBERON:0002097", dermatomes: T10-T12, views: [front]}
  - {id: low-back, label: {en: Low back skin, es: Piel de la zona lumbar}, ontology: "UBERON:0002097", dermatomes: L1-L3, views: [back]}
  - {id: seat, label: {en: Seat skin, es: Piel del asiento}, ontology: "UBERON:0002097", dermatomes: S2-S3, views: [back]}
deep_structures:
  - {id: back-muscle, label: {en: Back muscle, es: Músculo de la espalda}, ontology: "UBERON:0001134", kind: muscle, segments: L1-L5}
somatic_inputs:
  - {id: belly-skin-input, label: {en: Belly skin input, es: Entrada de la piel del vientre}, nerve: back-nerve, segments: T10-T12,
     target: belly, laminae: [one, five], sources: [book]}
routes:
  - id: pump-top-upper
    organ: pump
    part: pump-top
    kind: segmental
    label: {en: Pump top via the upper nerve, es: Parte alta por el nervio alto}
    chain: [upper-nerve]
    segments: T10-T12
    laminae: [one, five]
    zones: [belly]
    sources: [book]
    evidence: strong
  - id: pump-base-upper
    organ: pump
    part: pump-base
    kind: segmental
    label: {en: Pump base via the upper nerve, es: Base por el nervio alto}
    chain: [upper-nerve]
    segments: T11-L1
    laminae: [one]
    zones: [belly]
    sources: [rumour]
    evidence: weak
  - id: pump-base-lower
    organ: pump
    part: pump-base
    kind: segmental
    label: {en: Pump base via the lower nerve, es: Base por el nervio bajo}
    chain: [lower-nerve]
    segments: S2-S3
    laminae: [one]
    zones: [seat]
    sources: [book]
  - id: sac-rat
    organ: sac
    part: sac-wall
    kind: segmental
    label: {en: Sac wall in the rat, es: Pared del saco en la rata}
    chain: [lower-nerve]
    segments: L1-L2
    laminae: [one]
    zones: [low-back]
    sources: [rat-study]
    species: {ontology: "NCBITaxon:10116", label: Rattus norvegicus, common: rat}
  - id: sac-posture
    organ: sac
    part: sac-wall
    kind: mechanical
    label: {en: Sac pain and a bent back, es: Dolor del saco y espalda encorvada}
    segments: L1-L5
    strains: [back-muscle]
    zones: [low-back]
    sources: [book]
disputes:
  - id: pump-base-levels
    question: {en: Which segments does the pump base reach?, es: ¿A qué segmentos llega la base de la bomba?}
    routes: [pump-base-upper, pump-base-lower]
red_flags:
  - {id: pump-stops, label: {en: Pump stops, es: La bomba se para}, text: {en: Call an ambulance now., es: Llame a una ambulancia ahora.},
     urgency: emergency, organs: [pump], sources: [book]}
  - {id: sac-bleeds, label: {en: Blood in the sac, es: Sangre en el saco}, text: {en: See a doctor today., es: Vea a un médico hoy.},
     organs: [sac], sources: [book]}
  - {id: general, label: {en: Numb legs, es: Piernas dormidas}, text: {en: Emergency care now., es: Urgencias ahora.}, sources: [book]}
"""


def tiny_dataset(folder: Path) -> Dataset:
    """Write the tiny dataset into ``folder`` and load it."""
    path = folder / "tiny.yaml"
    path.write_text(TINY_YAML, encoding="utf-8")
    return load(path)


#: Added to the tiny dataset (a second file of the same folder) for the panels' explanations:
#: mechanisms, a forked chain with a somatic phase, a whole-body zone and a systemic route.
#: The tiny dataset itself stays as it is (tests/unit/test_evidence.py edits its text).
TINY_EXTRA_YAML = """
nerves:
  - {id: hub, label: {en: Hub plexus, es: Plexo central}, ontology: "UBERON:0001021", kind: plexus, fibres: [sensory, sympathetic],
     precedes: [fork-left, fork-right]}
  - {id: fork-left, label: {en: Left fork nerve, es: Nervio de la rama izquierda}, ontology: "UBERON:0001021", kind: nerve,
     fibres: [sensory, sympathetic]}
  - {id: fork-right, label: {en: Right fork nerve, es: Nervio de la rama derecha}, ontology: "UBERON:0001021", kind: nerve,
     fibres: [sensory, sympathetic]}
zones:
  - {id: side, label: {en: Side skin, es: Piel del costado}, ontology: "UBERON:0002097", dermatomes: T12-L1, views: [front]}
  - {id: everywhere, label: {en: Everywhere (aches), es: Todo el cuerpo}, ontology: "UBERON:0002097", dermatomes: T10-S3,
     views: [front, back]}
mechanisms:
  - {id: convergence-projection, label: {en: Convergence-projection, es: Convergencia-proyección},
     text: {en: Organ and skin share one neuron, es: Órgano y piel comparten una neurona}, sources: [book]}
  - {id: mechanical-strain, label: {en: Mechanical strain, es: Tensión mecánica},
     text: {en: A bent back tires its muscles, es: Una espalda encorvada cansa sus músculos}, sources: [book]}
  - {id: systemic-cytokines, label: {en: Systemic inflammation, es: Inflamación sistémica},
     text: {en: Messengers in the blood make muscles ache, es: Mensajeros en la sangre duelen los músculos}, sources: [rat-study]}
  - {id: cross-talk, label: {en: Cross-talk, es: Diafonía},
     text: {en: Two organs on one segment make each other worse, es: Dos órganos en un segmento se empeoran}, sources: [rumour]}
routes:
  - id: sac-fork
    organ: sac
    part: sac-wall
    kind: segmental
    label: {en: Sac wall through a fork, es: Pared del saco por una bifurcación}
    chain: [hub, fork-left, fork-right]
    alternatives: [[fork-left, fork-right]]
    segments: T10-T11
    laminae: [one, five]
    zones: [belly]
    mechanisms: [cross-talk]
    somatic_phase:
      label: {en: Then the side wall hurts, es: Luego duele la pared lateral}
      nerve: back-nerve
      segments: T12-L1
      zones: [side]
      sources: [rat-study]
    sources: [book]
  - id: sac-fever
    organ: sac
    part: sac-wall
    kind: systemic
    label: {en: Sac fever aches, es: Dolores por fiebre del saco}
    zones: [everywhere]
    sources: [book]
"""


def tiny_dataset_with_extras(folder: Path) -> Dataset:
    """The tiny dataset plus :data:`TINY_EXTRA_YAML`, loaded as one folder."""
    (folder / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (folder / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    return load(folder)


#: A third file for the story's remaining kinds (added to the tiny dataset and its extras):
#: a female "pouch" whose route enters the cord through a root ganglion and a root, passes a
#: peripheral ganglion on the way, meets input in lamina one and lamina X and rises in both the
#: spinothalamic tract and the dorsal column; a dorsal-column-only route that disputes it; a route
#: that is all root (no passage); a mouse route (no common name) and a rat route with its own
#: captions; a mechanical route that strains a joint, a ligament and fascia and is felt in two
#: zones; a somatic phase with its own (parietal) mechanism; a zone of one sex.
TINY_MORE_YAML = """
fibre_styles:
  cns: {label: {en: Central, es: Central}, colour: "#555555", dash: dot, symbol: x}
sources:
  - {id: handout, title: A clinic handout, authors: Clinic B, url: "https://example.org/handout", evidence: moderate,
     note: "curator: ask the clinic for the 2024 edition"}
laminae:
  - {id: x, label: {en: Lamina ten, es: Lámina diez}, ontology: "UBERON:0002256", depth: 0.9}
organs:
  - id: pouch
    label: {en: Pouch, es: Bolsa}
    ontology: "UBERON:0000995"
    system: reproductive
    sex: female
    colour: "#8E44AD"
    parts:
      - {id: pouch-floor, label: {en: Pouch floor, es: Suelo de la bolsa}, ontology: "UBERON:0000995"}
nerves:
  - {id: side-tract, label: {en: Side tract, es: Tracto lateral}, ontology: "UBERON:0002179", kind: tract, fibres: [cns]}
  - {id: column-tract, label: {en: Dorsal column, es: Columna dorsal}, ontology: "UBERON:0002179", kind: tract, fibres: [cns]}
  - {id: pain-tract, label: {en: Anterolateral spinothalamic tract (to the brain), es: Tracto espinotalámico (al cerebro)},
     ontology: "UBERON:0002179", kind: tract, fibres: [cns]}
  - {id: pelvic-nerves, label: {en: Pelvic nerves (splanchnic), es: Nervios pélvicos (esplácnicos)}, ontology: "UBERON:0001021", kind: nerve,
     fibres: [sensory, parasympathetic]}
  - {id: gut-ganglion, label: {en: Gut ganglion, es: Ganglio intestinal}, ontology: "UBERON:0001021", kind: ganglion,
     fibres: [sensory, sympathetic]}
  - {id: root-ganglion, label: {en: Sacral root ganglion, es: Ganglio de la raíz sacra}, ontology: "UBERON:0001021",
     kind: ganglion, fibres: [sensory]}
  - {id: sacral-root, label: {en: Sacral root, es: Raíz sacra}, ontology: "UBERON:0001021", kind: root,
     fibres: [sensory, parasympathetic]}
zones:
  - {id: pouch-skin, label: {en: Skin over the pouch, es: Piel sobre la bolsa}, ontology: "UBERON:0002097", dermatomes: S2-S3,
     views: [front], sex: female}
deep_structures:
  - {id: hip-joint, label: {en: Hip joint, es: Articulación de la cadera}, ontology: "UBERON:0001485", kind: joint, segments: L4-S1}
  - {id: back-ligament, label: {en: Back ligament (long), es: Ligamento de la espalda}, ontology: "UBERON:0000211", kind: ligament,
     segments: L4-S1}
  - {id: back-fascia, label: {en: Back fascia, es: Fascia de la espalda}, ontology: "UBERON:0008982", kind: fascia, segments: L1-S1}
somatic_inputs:
  - {id: hip-input, label: {en: Hip joint input, es: Entrada de la cadera}, nerve: back-nerve, segments: S2-S3, target: hip-joint,
     laminae: [one], sources: [book]}
  - {id: seat-input, label: {en: Seat skin input, es: Entrada de la piel del asiento}, nerve: lower-nerve, segments: S2-S3,
     target: seat, laminae: [five], sources: [rumour]}
mechanisms:
  - {id: pelvic-pain-line, label: {en: Pelvic pain line, es: Línea de dolor pélvico},
     text: {en: Below the line pain takes the pelvic nerves, es: Bajo la línea el dolor va por los nervios pélvicos}, sources: [book]}
  - {id: viscerosomatic-reflex, label: {en: Viscerosomatic reflex, es: Reflejo viscerosomático},
     text: {en: The organ tenses the back, es: El órgano tensa la espalda}, sources: [book, rat-study]}
  - {id: direct-somatic-pain, label: {en: Direct somatic pain, es: Dolor somático directo},
     text: {en: The lining itself hurts, es: El revestimiento mismo duele}, sources: [rat-study]}
routes:
  - id: pouch-deep
    organ: pouch
    part: pouch-floor
    kind: segmental
    label: {en: Pouch floor two ways up, es: Suelo de la bolsa por dos vías}
    chain: [pelvic-nerves, gut-ganglion, root-ganglion, sacral-root]
    segments: S2-S3
    laminae: [one, five, x]
    ascending: [spinothalamic, dorsal-column]
    zones: [seat, pouch-skin]
    mechanisms: [pelvic-pain-line, convergence-projection]
    note: {en: Seen in clinics, es: Visto en clínicas}
    sources: [book]
  - id: pouch-column
    organ: pouch
    part: pouch-floor
    kind: segmental
    label: {en: Pouch floor by the column, es: Suelo de la bolsa por la columna}
    chain: [sacral-root]
    segments: S2-S3
    laminae: [x]
    ascending: [dorsal-column]
    zones: [pouch-skin]
    sources: [book, handout]
  - id: pouch-roots
    organ: pouch
    part: pouch-floor
    kind: segmental
    chain: [root-ganglion, sacral-root]
    segments: S2-S3
    laminae: [one, five]
    zones: [pouch-skin]
    sources: [book]
  - id: pouch-mouse
    organ: pouch
    part: pouch-floor
    kind: systemic
    zones: [everywhere]
    species: {ontology: "NCBITaxon:10090", label: Mus musculus}
    sources: [rat-study]
  - id: sac-rat-told
    organ: sac
    part: sac-wall
    kind: segmental
    label: {en: Sac wall in the rat (told), es: Pared del saco en la rata (contada)}
    chain: [lower-nerve]
    segments: L1-L2
    laminae: [one]
    zones: [low-back]
    steps:
      stimulus: {en: "In the rat: The wall is stretched", es: "In the rat: La pared se estira"}
      entry: {en: It arrives at the lumbar cord, es: Llega a la médula lumbar}
    species: {ontology: "NCBITaxon:10116", label: Rattus norvegicus, common: rat}
    sources: [rat-study]
  - id: pouch-strain
    organ: pouch
    part: pouch-floor
    kind: mechanical
    segments: L4-S1
    strains: [hip-joint, back-ligament, back-fascia]
    zones: [seat, pouch-skin]
    mechanisms: [viscerosomatic-reflex, mechanical-strain]
    sources: [book]
  - id: sac-inflamed
    organ: sac
    part: sac-wall
    kind: segmental
    label: {en: Sac wall inflamed, es: Pared del saco inflamada}
    chain: [upper-nerve]
    segments: T10-T12
    laminae: [one]
    zones: [belly, side]
    mechanisms: [direct-somatic-pain]
    somatic_phase:
      label: {en: Then the side hurts sharply, es: Luego el costado duele con precisión}
      nerve: back-nerve
      segments: T12-L1
      zones: [side]
      note: {en: Not in every patient, es: No en todos los pacientes}
      sources: [book]
    sources: [book]
disputes:
  - id: pouch-ways
    question: {en: Does the pouch floor use both tracts?, es: ¿Usa el suelo de la bolsa ambos tractos?}
    routes: [pouch-deep, pouch-column]
"""


def tiny_dataset_with_more(folder: Path) -> Dataset:
    """The tiny dataset, :data:`TINY_EXTRA_YAML` and :data:`TINY_MORE_YAML`, loaded as one folder."""
    (folder / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (folder / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    (folder / "tiny-more.yaml").write_text(TINY_MORE_YAML, encoding="utf-8")
    return load(folder)
