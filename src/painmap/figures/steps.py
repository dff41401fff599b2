"""The animation's steps for a route: a plain-words caption and the technical term.

Step names (keys for ``Route.steps`` caption overrides):

- segmental: ``stimulus``, one per peripheral chain element (the nerve's id), ``entry``,
  ``somatic``, ``convergence``, ``ascend``, ``projection``;
- mechanical: ``trigger``, one per strained structure (its id), ``load``, ``felt``;
- systemic: ``trigger``, ``cytokines``, ``felt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from painmap.model import Dataset, NerveStructure, Route, format_segment_range, text
from painmap.query import somatic_inputs_for_route


@dataclass(frozen=True)
class Step:
    """One step of the animation."""

    name: str
    caption: str
    term: str
    #: What happens: stimulus, afferent, entry, somatic, convergence, ascend, projection,
    #: trigger, strain, load, felt, cytokines.
    kind: str = ""
    #: The entity the step is about (a nerve or deep structure id), if any.
    target: str = ""


def lower_first(label: str) -> str:
    """'Pelvic splanchnic nerves' -> 'pelvic splanchnic nerves'; 'IBS flare' stays."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def without_aside(label: str) -> str:
    """'Spinothalamic tract (to the brain)' -> 'Spinothalamic tract'."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", label).strip() or label


def join_words(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def is_entry_element(nerve: NerveStructure | None) -> bool:
    """Dorsal root ganglion and dorsal root: only sensory fibres, or a root."""
    return nerve is not None and (nerve.kind == "root" or set(nerve.fibres) <= {"sensory"})


def split_chain(ds: Dataset, route: Route) -> tuple[list[str], list[str]]:
    """The route's chain as (peripheral elements, entry elements at the cord)."""
    chain = list(route.chain)
    cut = len(chain)
    while cut > 0 and is_entry_element(ds.nerve.get(chain[cut - 1])):
        cut -= 1
    return chain[:cut], chain[cut:]


def ascending_tract(ds: Dataset) -> NerveStructure | None:
    return next((n for n in ds.nerves if n.kind == "tract"), None)


def converging_inputs(ds: Dataset, route: Route):
    """The somatic inputs drawn converging: those from the route's own zones first."""
    inputs = somatic_inputs_for_route(ds, route)
    own = [s for s in inputs if s.target in route.zones]
    return own or inputs[:1]


def _label(ds: Dataset, entity_id: str, lang: str) -> str:
    for table in (ds.part, ds.nerve, ds.zone, ds.deep_structure, ds.organ):
        if entity_id in table:
            return text(table[entity_id].label, lang)
    return entity_id


def _segmental(ds: Dataset, route: Route, lang: str) -> list[Step]:
    part = lower_first(_label(ds, route.part, lang))
    steps = [Step("stimulus", f"Stimulus in the {part}", "nociceptor activation", "stimulus", route.part)]
    peripheral, entry = split_chain(ds, route)
    for i, nerve_id in enumerate(peripheral):
        nerve = ds.nerve.get(nerve_id)
        name = lower_first(_label(ds, nerve_id, lang))
        if nerve is not None and nerve.kind == "plexus":
            caption = f"It passes through the {name}"
        elif nerve is not None and nerve.kind == "ganglion":
            caption = f"It passes through the {name} (no synapse there)"
        else:
            caption = f"The signal runs along the {name}"
        if i == 0:
            caption = caption.replace("It passes", "The signal passes")
        steps.append(Step(nerve_id, caption, "visceral afferent", "afferent", nerve_id))
    segments = format_segment_range(route.segments or ())
    ganglion = next((ds.nerve[n] for n in entry if ds.nerve[n].kind == "ganglion"), None)
    through = f" through the {lower_first(text(ganglion.label, lang))}" if ganglion else ""
    steps.append(Step("entry", f"It enters the spinal cord at {segments}{through}", "dorsal root entry", "entry"))
    inputs = converging_inputs(ds, route)
    if inputs:
        first = inputs[0]
        source = _label(ds, first.target, lang)
        through_nerve = lower_first(_label(ds, first.nerve, lang))
        caption = (
            "Skin and muscle input of the same segment arrives on the same neuron: "
            f"{source}, through the {through_nerve}"
        )
        steps.append(Step("somatic", caption, "somatic afferent", "somatic", first.target))
    laminae = [lam.upper() for lam in route.laminae]
    where = f"lamina {laminae[0]}" if len(laminae) == 1 else f"laminae {join_words(laminae)}"
    steps.append(
        Step(
            "convergence",
            f"The two meet on one dorsal-horn neuron in {where}",
            "viscerosomatic convergence",
            "convergence",
        )
    )
    tract = ascending_tract(ds)
    term = lower_first(without_aside(text(tract.label, lang))) if tract else "ascending tract"
    steps.append(Step("ascend", "The signal ascends to the brain", term, "ascend", tract.id if tract else ""))
    zones = [text(ds.zone[z].label, lang) for z in route.zones if z in ds.zone]
    steps.append(
        Step(
            "projection",
            f"The brain projects it onto the skin. Felt in: {'; '.join(zones)}",
            "referred pain (convergence-projection)",
            "projection",
        )
    )
    return steps


def _mechanical(ds: Dataset, route: Route, lang: str) -> list[Step]:
    part = lower_first(_label(ds, route.part, lang))
    caption = text(route.label, lang) if route.label else f"It starts in the {part}"
    steps = [Step("trigger", caption, "trigger", "trigger", route.part)]
    terms = {
        "muscle": "muscle strain",
        "joint": "joint loading",
        "ligament": "ligament strain",
        "fascia": "fascial strain",
    }
    for deep_id in route.strains:
        deep = ds.deep_structure.get(deep_id)
        if deep is None:
            continue
        label = lower_first(text(deep.label, lang))
        steps.append(Step(deep_id, f"Strain builds in the {label}", terms[deep.kind], "strain", deep_id))
    segments = format_segment_range(route.segments or ())
    steps.append(Step("load", f"The spine is loaded at {segments}", "mechanical load", "load"))
    zones = [text(ds.zone[z].label, lang) for z in route.zones if z in ds.zone]
    steps.append(Step("felt", f"The back hurts. Felt in: {'; '.join(zones)}", "mechanical back pain", "felt"))
    return steps


def _systemic(ds: Dataset, route: Route, lang: str) -> list[Step]:
    part = lower_first(_label(ds, route.part, lang))
    zones = [text(ds.zone[z].label, lang) for z in route.zones if z in ds.zone]
    return [
        Step("trigger", f"Inflammation in the {part}", "inflammation", "trigger", route.part),
        Step(
            "cytokines",
            "Cytokines from the immune response spread through the blood",
            "systemic cytokines",
            "cytokines",
        ),
        Step(
            "felt",
            f"Muscles ache all over, not in one band. Felt in: {'; '.join(zones)}",
            "diffuse myalgia (systemic, not segmental)",
            "felt",
        ),
    ]


def animation_steps(ds: Dataset, route: Route | str, lang: str = "en") -> list[Step]:
    """The steps of ``route``'s animation; ``Route.steps`` overrides captions by step name."""
    if isinstance(route, str):
        route = ds.route[route]
    build = {"segmental": _segmental, "mechanical": _mechanical, "systemic": _systemic}[route.kind]
    steps = build(ds, route, lang)
    if route.steps:
        steps = [
            Step(s.name, text(route.steps[s.name], lang), s.term, s.kind, s.target) if s.name in route.steps else s
            for s in steps
        ]
    return steps
