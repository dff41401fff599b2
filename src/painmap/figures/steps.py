"""The animation's steps for a route: a plain-words caption and the technical term.

Step names (keys for ``Route.steps`` caption overrides):

- segmental: ``stimulus``; one per peripheral chain element (the nerve's id), or one per
  group of alternatives (their ids joined with ``|``, e.g.
  ``lesser-splanchnic-nerve|least-splanchnic-nerve``); ``entry``, ``somatic``,
  ``convergence``, then ``ascend`` (spinothalamic) and/or ``dorsal-column`` (the postsynaptic
  dorsal column pathway), then ``projection``;
  with a somatic phase, then ``peritoneum``, ``parietal-afferent`` and ``localised``;
- mechanical: ``trigger``, one per strained structure (its id), ``felt``;
- systemic: ``trigger``, ``cytokines``, ``felt``.

Every step says which mechanism explains it (``Step.mechanism``, an id in
``Dataset.mechanisms`` or '' when the dataset has none that fits), which stage it belongs
to (``Step.stage``) and which entities it is about (``Step.targets``), so a panel can link a
step to its explanation and a reveal can light each element at its own step.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from painmap.i18n import N_, gettext, translator
from painmap.model import Dataset, NerveStructure, Route, Species, format_segment_range, text
from painmap.query import somatic_inputs_for_route

#: Stages of a route's story.
REFERRED = "referred"
SOMATIC = "somatic"
MECHANICAL = "mechanical"
SYSTEMIC = "systemic"


@dataclass(frozen=True)
class Step:
    """One step of the animation."""

    name: str
    caption: str
    term: str
    #: What happens: stimulus, afferent, entry, somatic, convergence, ascend, dorsal-column,
    #: projection; peritoneum, parietal-afferent, localised (the somatic phase);
    #: trigger, strain, felt (mechanical); trigger, cytokines, felt (systemic).
    kind: str = ""
    #: The entity the step is about (a nerve or deep structure id), if any: the first of ``targets``.
    target: str = ""
    #: Id of the mechanism that explains the step (in ``Dataset.mechanisms``), '' when none fits.
    mechanism: str = ""
    #: Every entity the step is about: a fork's alternatives, the zones felt, the strained structures.
    targets: tuple[str, ...] = ()
    #: referred, somatic (the later somatic phase), mechanical or systemic.
    stage: str = ""


def lower_first(label: str) -> str:
    """'Pelvic splanchnic nerves' -> 'pelvic splanchnic nerves'; 'IBS flare' stays."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def without_aside(label: str) -> str:
    """'Spinothalamic tract (to the brain)' -> 'Spinothalamic tract'."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", label).strip() or label


def join_words(items: list[str], word: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def alternatives_phrase(labels: list[str]) -> str:
    """['Lesser splanchnic nerve', 'Least splanchnic nerve'] -> 'the lesser or the least splanchnic nerve'.

    The words the labels end with in common are said once, after the alternatives.
    """
    words = [lower_first(without_aside(label)).split() for label in labels]
    if len(words) == 1:
        return "the " + " ".join(words[0])
    shared = 0
    while all(len(w) > shared + 1 for w in words) and len({w[-1 - shared] for w in words}) == 1:
        shared += 1
    tail = " ".join(words[0][len(words[0]) - shared :]) if shared else ""
    heads = ["the " + " ".join(w[: len(w) - shared]) for w in words]
    return join_words(heads, "or") + (f" {tail}" if tail else "")


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


def chain_units(route: Route, chain: list[str] | None = None) -> list[tuple[str, ...]]:
    """The chain (or a stretch of it) as units: one nerve, or a group of alternatives (a fork).

    A group's members stand together in the chain; they come out once, in chain order,
    where the first of them stands.
    """
    group_of = {member: group for group in route.alternatives for member in group}
    units: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for nerve_id in route.chain if chain is None else chain:
        if nerve_id in seen:
            continue
        group = group_of.get(nerve_id)
        if group is None or len(group) < 2:
            units.append((nerve_id,))
            seen.add(nerve_id)
            continue
        members = tuple(n for n in (route.chain if chain is None else chain) if n in group)
        units.append(members)
        seen.update(members)
    return units


def unit_name(unit: tuple[str, ...]) -> str:
    """A step name for a chain unit: the nerve's id, or a fork's ids joined with '|'."""
    return "|".join(unit)


def _tract_text(nerve: NerveStructure) -> str:
    return f"{nerve.id} {text(nerve.label)}".lower()


def ascending_tract(ds: Dataset) -> NerveStructure | None:
    """The spinothalamic tract: a tract named so, else the first tract that is not the dorsal column."""
    tracts = [n for n in ds.nerves if n.kind == "tract"]
    named = [n for n in tracts if "spinothalamic" in _tract_text(n)]
    others = [n for n in tracts if n is not dorsal_column_tract(ds)]
    found = named or others
    return found[0] if found else None


def dorsal_column_tract(ds: Dataset) -> NerveStructure | None:
    """The dataset's dorsal column pathway (a tract named 'dorsal column' or 'gracile'), if any."""
    return next(
        (n for n in ds.nerves if n.kind == "tract" and re.search(r"dorsal.column|gracil", _tract_text(n))), None
    )


def converging_inputs(ds: Dataset, route: Route):
    """The somatic inputs drawn converging: those from the route's own zones first."""
    inputs = somatic_inputs_for_route(ds, route)
    own = [s for s in inputs if s.target in route.zones]
    return own or inputs[:1]


def referred_zones(route: Route) -> tuple[str, ...]:
    """The zones of the referred stage: the route's zones, less those of its somatic phase."""
    later = set(route.somatic_phase.zones) if route.somatic_phase else set()
    return tuple(z for z in route.zones if z not in later) or route.zones


def is_lamina_x(ds: Dataset, lamina_id: str) -> bool:
    """Lamina X, the grey matter around the central canal."""
    lamina = ds.lamina.get(lamina_id)
    label = text(lamina.label).lower() if lamina else ""
    return lamina_id.lower() == "x" or "central canal" in label


def convergence_laminae(ds: Dataset, route: Route) -> list[str]:
    """The laminae where visceral and somatic input meet (lamina X is the dorsal column's)."""
    return [lam for lam in route.laminae if not is_lamina_x(ds, lam)] or list(route.laminae)


def species_words(species: Species) -> str:
    """'' for a human finding; 'the rat' for a species whose common name is 'rat'; else its label."""
    if species.label == "Homo sapiens":
        return ""
    return f"the {species.common}" if species.common else species.label


def species_prefix(species: Species, lang: str = "en") -> str:
    """'In the rat: ' before every caption of a non-human route ('' for a human one); in
    another language the species' Latin name ('En Rattus norvegicus: ')."""
    words = species_words(species)
    if not words:
        return ""
    return gettext(lang, "In {species}: ").format(species=words if lang == "en" else species.label)


def _named(labels: list[str], lang: str) -> str:
    """The structures a step passes: 'the lesser or the least splanchnic nerve' in English;
    in another language the labels themselves, joined by its 'or' (its word order differs)."""
    if lang == "en":
        return alternatives_phrase(labels)
    return join_words([lower_first(without_aside(label)) for label in labels], gettext(lang, "or"))


def _label(ds: Dataset, entity_id: str, lang: str) -> str:
    for table in (ds.part, ds.nerve, ds.zone, ds.deep_structure, ds.organ):
        if entity_id in table:
            return text(table[entity_id].label, lang)
    return entity_id


def _zones_text(ds: Dataset, zones: tuple[str, ...], lang: str) -> str:
    return "; ".join(text(ds.zone[z].label, lang) for z in zones if z in ds.zone)


def _passes(ds: Dataset, unit: tuple[str, ...], lang: str, first: bool) -> str:
    _ = translator(lang)
    nerve = ds.nerve.get(unit[0])
    if len(unit) > 1:
        name = _named([_label(ds, n, lang) for n in unit], lang)
    else:
        name = ("the " if lang == "en" else "") + lower_first(_label(ds, unit[0], lang))
    if nerve is not None and nerve.kind == "plexus":
        caption = _("The signal passes through {name}") if first else _("It passes through {name}")
    elif nerve is not None and nerve.kind == "ganglion":
        caption = (
            _("The signal passes through {name} (no synapse there)") if first
            else _("It passes through {name} (no synapse there)")
        )
    else:
        caption = _("The signal runs along {name}")
    return caption.format(name=name)


def _segmental(ds: Dataset, route: Route, lang: str) -> list[Step]:
    _ = translator(lang)
    part = lower_first(_label(ds, route.part, lang))
    steps = [Step("stimulus", _("Stimulus in the {part}").format(part=part), N_("nociceptor activation"), "stimulus", route.part)]
    peripheral, entry = split_chain(ds, route)
    for i, unit in enumerate(chain_units(route, peripheral)):
        term = N_("visceral afferent") if len(unit) == 1 else N_("visceral afferent: alternative paths")
        steps.append(
            Step(unit_name(unit), _passes(ds, unit, lang, i == 0), term, "afferent", unit[0], targets=unit)
        )
    segments = format_segment_range(route.segments or ())
    ganglion = next((ds.nerve[n] for n in entry if ds.nerve[n].kind == "ganglion"), None)
    entering = (
        _("It enters the spinal cord at {segments} through the {ganglion}").format(
            segments=segments, ganglion=lower_first(text(ganglion.label, lang))
        )
        if ganglion
        else _("It enters the spinal cord at {segments}").format(segments=segments)
    )
    steps.append(
        Step(
            "entry",
            entering,
            N_("dorsal root entry"),
            "entry",
            targets=tuple(entry),
        )
    )
    inputs = converging_inputs(ds, route)
    if inputs:
        first = inputs[0]
        source = _label(ds, first.target, lang)
        through_nerve = lower_first(_label(ds, first.nerve, lang))
        caption = _(
            "Skin and muscle input of the same segment arrives on the same neuron: {source}, through the {nerve}"
        ).format(source=source, nerve=through_nerve)
        steps.append(Step("somatic", caption, N_("somatic afferent"), "somatic", first.target, targets=(first.target,)))
    laminae = [lam.upper() for lam in convergence_laminae(ds, route)]
    where = (
        _("lamina {name}").format(name=laminae[0])
        if len(laminae) == 1
        else _("laminae {names}").format(names=join_words(laminae, _("and")))
    )
    steps.append(
        Step(
            "convergence",
            _("The two meet on one dorsal-horn neuron in {where}").format(where=where),
            N_("viscerosomatic convergence"),
            "convergence",
            targets=tuple(convergence_laminae(ds, route)),
        )
    )
    both = set(route.ascending) >= {"spinothalamic", "dorsal-column"}
    if "spinothalamic" in route.ascending:
        tract = ascending_tract(ds)
        term = lower_first(without_aside(text(tract.label, lang))) if tract else N_("spinothalamic tract")
        caption = (
            _("It crosses the midline and ascends to the brain in the spinothalamic tract")
            if both
            else _("The signal ascends to the brain")
        )
        steps.append(Step("ascend", caption, term, "ascend", tract.id if tract else ""))
    if "dorsal-column" in route.ascending:
        column = dorsal_column_tract(ds)
        caption = (
            _(
                "It also reaches neurons around the central canal (lamina X), which send it up the dorsal column "
                "of the same side to the gracile nucleus: the postsynaptic dorsal column pathway"
            )
            if both
            else _(
                "It reaches neurons around the central canal (lamina X), which send it up the dorsal column "
                "of the same side to the gracile nucleus: the postsynaptic dorsal column pathway"
            )
        )
        steps.append(
            Step(
                "dorsal-column",
                caption,
                N_("postsynaptic dorsal column pathway"),
                "dorsal-column",
                column.id if column else "",
            )
        )
    zones = referred_zones(route)
    if route.somatic_phase is not None:
        caption = _(
            "At first the brain projects it onto the skin of the same segments, vaguely. Felt first in: {zones}"
        ).format(zones=_zones_text(ds, zones, lang))
        term = N_("early referred pain (convergence-projection)")
    else:
        caption = _("The brain projects it onto the skin. Felt in: {zones}").format(zones=_zones_text(ds, zones, lang))
        term = N_("referred pain (convergence-projection)")
    steps.append(Step("projection", caption, term, "projection", zones[0] if zones else "", targets=zones))
    steps = [replace(s, stage=REFERRED) for s in steps]
    if route.somatic_phase is not None:
        steps += _somatic_phase(ds, route, lang)
    return steps


def _somatic_phase(ds: Dataset, route: Route, lang: str) -> list[Step]:
    """The later stage: the inflamed organ irritates the parietal peritoneum, whose own somatic
    nerve reports it; the pain is then felt, well localised, over the organ. Not referred."""
    _ = translator(lang)
    phase = route.somatic_phase
    assert phase is not None
    part = lower_first(_label(ds, route.part, lang))
    nerve = lower_first(without_aside(_label(ds, phase.nerve, lang)))
    segments = format_segment_range(phase.segments)
    return [
        Step(
            "peritoneum",
            _(
                "Later, the inflammation spreads from the {part} to the lining of the body wall next to it "
                "(the parietal peritoneum) and irritates it"
            ).format(part=part),
            N_("parietal peritoneal irritation"),
            "peritoneum",
            route.part,
            stage=SOMATIC,
        ),
        Step(
            "parietal-afferent",
            _("The lining has its own somatic nerve supply ({nerve}), which carries the signal to {segments}").format(
                nerve=nerve, segments=segments
            ),
            N_("somatic afferent (parietal peritoneum)"),
            "parietal-afferent",
            phase.nerve,
            targets=(phase.nerve,),
            stage=SOMATIC,
        ),
        Step(
            "localised",
            _(
                "The pain moves and is now sharp and well localised: direct somatic pain from the inflamed "
                "peritoneum, not referred. Felt in: {zones}"
            ).format(zones=_zones_text(ds, phase.zones, lang)),
            N_("somatic (parietal) pain, well localised"),
            "localised",
            phase.zones[0],
            targets=phase.zones,
            stage=SOMATIC,
        ),
    ]


def _mechanical(ds: Dataset, route: Route, lang: str) -> list[Step]:
    _ = translator(lang)
    part = lower_first(_label(ds, route.part, lang))
    caption = text(route.label, lang) if route.label else _("It starts in the {part}").format(part=part)
    steps = [Step("trigger", caption, N_("trigger"), "trigger", route.part, stage=MECHANICAL)]
    terms = {
        "muscle": N_("muscle strain"),
        "joint": N_("joint loading"),
        "ligament": N_("ligament strain"),
        "fascia": N_("fascial strain"),
    }
    strained = [ds.deep_structure[d] for d in route.strains if d in ds.deep_structure]
    for deep in strained:
        label = lower_first(text(deep.label, lang))
        steps.append(
            Step(
                deep.id, _("Strain builds in the {structure}").format(structure=label), terms[deep.kind], "strain",
                deep.id, stage=MECHANICAL,
            )
        )
    what = join_words([lower_first(without_aside(text(d.label, lang))) for d in strained], _("and"))
    zones = _zones_text(ds, route.zones, lang)
    steps.append(
        Step(
            "felt",
            _("What hurts now is the strain in the {structures}: not a nerve shortcut. Felt in: {zones}").format(
                structures=what, zones=zones
            ),
            N_("mechanical pain from muscles and joints"),
            "felt",
            route.zones[0] if route.zones else "",
            targets=route.zones,
            stage=MECHANICAL,
        )
    )
    return steps


def _systemic(ds: Dataset, route: Route, lang: str) -> list[Step]:
    _ = translator(lang)
    part = lower_first(_label(ds, route.part, lang))
    zones = _zones_text(ds, route.zones, lang)
    return [
        Step(
            "trigger", _("Inflammation in the {part}").format(part=part), N_("inflammation"), "trigger", route.part,
            stage=SYSTEMIC,
        ),
        Step(
            "cytokines",
            _("Cytokines from the immune response spread through the blood"),
            N_("systemic cytokines"),
            "cytokines",
            stage=SYSTEMIC,
        ),
        Step(
            "felt",
            _("Muscles ache all over, not in one band. Felt in: {zones}").format(zones=zones),
            N_("diffuse myalgia (systemic, not segmental)"),
            "felt",
            targets=route.zones,
            stage=SYSTEMIC,
        ),
    ]


# --------------------------------------------------------------------------- mechanisms

#: The mechanism that explains a step when the route names none that fits, by stage.
DEFAULT_MECHANISM: Mapping[str, str] = {
    REFERRED: "convergence-projection",
    SOMATIC: "parietal-peritoneal-pain",
    MECHANICAL: "mechanical-strain",
    SYSTEMIC: "systemic-cytokines",
}

#: Which steps (stage, kind) each known mechanism explains. A route's own mechanisms are tried
#: first: of those that fit a step, the most specific (fewest steps) wins, then the route's order.
#: Mechanisms that no single step shows (central sensitisation, cross-sensitisation, branching
#: afferents, facilitation of the zone) are explained in the panels, not tied to a step.
MECHANISM_FITS: Mapping[str, frozenset[tuple[str, str]]] = {
    "pelvic-pain-line": frozenset({(REFERRED, "afferent"), (REFERRED, "entry")}),
    "viscerosomatic-reflex": frozenset({(MECHANICAL, "strain")}),
    "convergence-projection": frozenset(
        (REFERRED, k)
        for k in ("stimulus", "afferent", "entry", "somatic", "convergence", "ascend", "dorsal-column", "projection")
    ),
    "mechanical-strain": frozenset((MECHANICAL, k) for k in ("trigger", "strain", "felt")),
    "systemic-cytokines": frozenset((SYSTEMIC, k) for k in ("trigger", "cytokines", "felt")),
}

#: Words in a mechanism id that say it explains direct somatic (parietal) pain.
SOMATIC_MECHANISM = re.compile(r"parietal|somatic-pain|direct-somatic")


def _fit_size(mechanism_id: str, step: Step) -> int | None:
    """How many steps the mechanism explains if it explains ``step`` (fewer: more specific), else None."""
    fits = MECHANISM_FITS.get(mechanism_id)
    if fits is not None:
        return len(fits) if (step.stage, step.kind) in fits else None
    # a mechanism the table does not know: a somatic (parietal) one explains the somatic phase
    return 0 if step.stage == SOMATIC and SOMATIC_MECHANISM.search(mechanism_id) else None


def mechanism_for(ds: Dataset, route: Route, step: Step) -> str:
    """The id of the mechanism that explains ``step``: the route's own, where one fits, else
    the stage's default; '' when the dataset has neither."""
    known = [m.id for m in ds.mechanisms]
    fitting = [
        (size, order, m)
        for order, m in enumerate(route.mechanisms)
        if m in known and (size := _fit_size(m, step)) is not None
    ]
    if fitting:
        return min(fitting)[2]
    default = DEFAULT_MECHANISM.get(step.stage, "")
    if default in known:
        return default
    if step.stage == SOMATIC:  # the dataset's own name for direct somatic pain
        return next((m for m in known if SOMATIC_MECHANISM.search(m)), "")
    return ""


# --------------------------------------------------------------------------- steps


def animation_steps(ds: Dataset, route: Route | str, lang: str = "en") -> list[Step]:
    """The steps of ``route``'s animation; ``Route.steps`` overrides captions by step name.

    A non-human route says its species in every caption ('In the rat: ...'). Captions and
    terms are in ``lang`` (the dataset's texts, and the interface's catalog for the rest).
    """
    if isinstance(route, str):
        route = ds.route[route]
    _ = translator(lang)
    build = {"segmental": _segmental, "mechanical": _mechanical, "systemic": _systemic}[route.kind]
    steps = build(ds, route, lang)
    prefix = species_prefix(route.species, lang)
    out = []
    for step in steps:
        caption = text(route.steps[step.name], lang) if step.name in route.steps else step.caption
        if prefix and not caption.startswith(prefix):
            caption = prefix + caption
        targets = step.targets or ((step.target,) if step.target else ())
        out.append(
            replace(step, caption=caption, term=_(step.term), targets=targets, mechanism=mechanism_for(ds, route, step))
        )
    return out
