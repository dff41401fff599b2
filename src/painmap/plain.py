"""Plain words for patient mode: the animation's steps and the look-ups, told across a desk.

No segment names, laminae, nerve names, ontology ids or Latin: things are named by the
dataset's ``plain_words`` (``data/plain-words.yaml``), else by their label without its
bracketed aside ("Low back (lumbar)" -> "Low back"). Pure functions of the dataset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from painmap import query
from painmap.figures.steps import Step, lower_first, without_aside
from painmap.i18n import translator
from painmap.model import Dataset, Route, text


def plain_name(ds: Dataset, entity_id: str, lang: str = "en") -> str:
    """What a patient calls an organ, part, zone, muscle or nerve (lower case unless a name)."""
    if entity_id in ds.plain_words:
        return text(ds.plain_words[entity_id], lang)
    for table in (ds.organ, ds.part, ds.zone, ds.deep_structure, ds.nerve):
        if entity_id in table:
            return lower_first(without_aside(text(table[entity_id].label, lang)))
    return entity_id


def listed(items: Sequence[str], lang: str = "en") -> str:
    """'a', 'a and b', 'a, b and c' (in the view's language); items that hold a list
    themselves ('kidney and ureter') are kept apart with semicolons."""
    _ = translator(lang)
    items = [i for i in dict.fromkeys(items) if i]
    if len(items) < 2:
        return "".join(items)
    if any("," in item or " and " in item or " y " in item for item in items):
        return "; ".join(items)  # 'a, b and c; d' would read as one list
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def spine_region(ds: Dataset, route: Route, lang: str = "en") -> str:
    """Where along the back a route enters the cord, in everyday words: 'the lower back'."""
    _ = translator(lang)
    if not route.segments:
        return _("the spine")
    first, last = route.segments[0], route.segments[-1]
    regions = {"T": _("the middle of the back"), "L": _("the lower back"), "S": _("the very bottom of the spine")}
    top, bottom = regions.get(first[:1], _("the spine")), regions.get(last[:1], _("the spine"))
    return top if top == bottom else _("{top} down to {bottom}").format(top=top, bottom=bottom)


def step_sentences(ds: Dataset, route: Route, steps: Sequence[Step], lang: str = "en") -> list[str]:
    """One plain sentence per animation step of ``route`` (the same count and order as ``steps``)."""
    _ = translator(lang)
    part = plain_name(ds, route.part, lang)
    organ = plain_name(ds, route.organ, lang)
    zones = listed([plain_name(ds, z, lang) for z in route.zones], lang)
    phase_zones = listed([plain_name(ds, z, lang) for z in route.somatic_phase.zones], lang) if route.somatic_phase else zones
    strains = listed([plain_name(ds, s, lang) for s in route.strains], lang)
    sentences: list[str] = []
    seen_afferent = False
    for step in steps:
        kind = step.kind
        if kind == "stimulus":
            words = _("It starts in the {part}: something there irritates its nerve endings.").format(part=part)
        elif kind == "afferent":
            words = (
                _("On the way, the message passes through more nerves near the spine.")
                if seen_afferent
                else _("A pain message travels along nerves from the {organ} towards the spine.").format(organ=organ)
            )
            seen_afferent = True
        elif kind == "entry":
            words = _("It reaches the spinal cord at the level of {region}.").format(region=spine_region(ds, route, lang))
        elif kind == "somatic":
            words = _("The same part of the spinal cord also gets messages from the skin and muscles of these places: {zones}.").format(
                zones=zones
            )
        elif kind == "convergence":
            words = _("Both messages arrive at the same nerve cells in the spinal cord.")
        elif kind == "ascend":
            words = _("From there, the message goes up to the brain.")
        elif kind == "dorsal-column":
            words = _("A second path in the spinal cord carries it up to the brain too.")
        elif kind == "projection":
            words = _(
                "The brain cannot tell where the message began, so the pain is felt here: {zones}. "
                "This is called referred pain."
            ).format(zones=zones)
        elif kind == "peritoneum":
            words = _("Later, the sore {organ} irritates the lining of the belly next to it.").format(organ=part)
        elif kind == "parietal-afferent":
            words = _("The nerves of the belly wall pick this up, and they know exactly where it is.")
        elif kind == "localised":
            words = _("Now the pain is felt right over the organ: {zones}.").format(zones=phase_zones)
        elif kind == "trigger" and route.kind == "mechanical":
            words = _("Pain or illness in the {organ} changes how the body moves and holds itself.").format(
                organ=organ
            )
        elif kind == "strain":
            target = plain_name(ds, step.target, lang) if step.target else strains
            words = _("Strain builds up in the {structure}.").format(structure=target)
        elif kind == "felt" and route.kind == "mechanical":
            words = _("This strain is what hurts here: {zones}. It comes from muscles and joints, not from a nerve shortcut.").format(zones=zones)
        elif kind == "trigger":
            words = _("Fighting an infection or inflammation, the body's defences release messenger chemicals into the blood.")
        elif kind == "cytokines":
            words = _("These chemicals reach the whole body, muscles and nerves included.")
        elif kind == "felt":
            words = _("They make muscles ache and nerves more sensitive: {zones}.").format(zones=zones)
        else:
            words = step.caption
        sentences.append(words[:1].upper() + words[1:])
    return sentences


def plain_steps(ds: Dataset, route: Route, steps: Sequence[Step], lang: str = "en") -> list[Step]:
    """``steps`` with plain captions and no technical term (the figure's caption in patient mode)."""
    return [replace(step, caption=words, term="") for step, words in zip(steps, step_sentences(ds, route, steps, lang))]


@dataclass(frozen=True)
class PlainAnswer:
    """One way pain can reach a zone, in plain words: a heading and the organs it names."""

    kind: str
    heading: str
    explanation: str
    causes: tuple[str, ...]


def zone_answer(ds: Dataset, zone_id: str, lang: str = "en") -> list[PlainAnswer]:
    """"Where does it hurt?" answered for a zone: the organs and mechanisms that can cause pain
    there, grouped by how, in plain words (empty groups left out). Unknown zone: []."""
    if zone_id not in ds.zone:
        return []
    _ = translator(lang)
    explain = {
        "segmental": (
            _("Nerves from an organ"),
            _("Its nerves meet the nerves of this skin in the spinal cord, so the brain can feel the organ's pain here."),
        ),
        "somatic_phase": (_("The organ itself, later on"), _("When an organ is inflamed, the pain can move to the skin right over it.")),
        "mechanical": (
            _("Tight muscles and strained joints"),
            _("Pain changes how we move and sit; the muscles and joints that take the strain hurt here."),
        ),
        "systemic": (_("Being ill"), _("An infection like flu, or an inflammation, can make muscles ache all over.")),
    }
    answers = []
    for group in query.zone_groups(ds, zone_id):
        if not group.routes:
            continue
        heading, explanation = explain.get(group.kind, (group.label, ""))
        causes = tuple(dict.fromkeys(plain_name(ds, r.part if group.kind == "segmental" else r.organ, lang) for r in group.routes))
        answers.append(PlainAnswer(group.kind, heading, explanation, causes))
    return answers
