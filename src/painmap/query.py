"""Questions asked of a dataset, as pure functions (no Dash, no Plotly).

Both directions: organ -> routes -> segments and zones, and zone or segment -> organs.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from painmap.i18n import N_
from painmap.model import (
    SEGMENT_ORDER,
    Dataset,
    Route,
    SomaticInput,
    format_segment_range,
    parse_segment,
    text,
)


class UnknownId(LookupError):
    """An id the dataset does not have; the message names the closest known ids."""

    def __init__(self, what: str, value: str, known: list[str]):
        close = difflib.get_close_matches(value, known, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        super().__init__(f"unknown {what} {value!r}{hint} (see 'painmap list {what}s')")
        self.value = value
        self.suggestions = close


def organ_or_raise(ds: Dataset, organ_id: str):
    """The organ with ``organ_id``; an organ *part* id is accepted too and gives its organ."""
    if organ_id in ds.organ:
        return ds.organ[organ_id]
    if organ_id in ds.organ_of_part:
        return ds.organ_of_part[organ_id]
    raise UnknownId("organ", organ_id, [*ds.organ, *ds.part])


def zone_or_raise(ds: Dataset, zone_id: str):
    if zone_id in ds.zone:
        return ds.zone[zone_id]
    raise UnknownId("zone", zone_id, list(ds.zone))


def segment_or_raise(ds: Dataset, name: str) -> str:
    try:
        segment = parse_segment(name)
    except ValueError:
        segment = name
    if segment in ds.segment:
        return segment
    raise UnknownId("segment", name, list(ds.segment))


def routes_for_organ(ds: Dataset, organ_id: str, part_id: str | None = None) -> list[Route]:
    """Routes of an organ (or one of its parts), in dataset order."""
    organ = organ_or_raise(ds, organ_id)
    if part_id is None and organ_id != organ.id:
        part_id = organ_id
    return [r for r in ds.routes_of_organ.get(organ.id, ()) if part_id is None or r.part == part_id]


def routes_for_zone(ds: Dataset, zone_id: str) -> list[Route]:
    """Routes whose pain is felt in ``zone_id`` (the clinician's reverse question), also in
    their later, somatic stage. Every kind together; :func:`zone_groups` sorts them by how the
    pain gets there."""
    zone_or_raise(ds, zone_id)
    return list(ds.routes_at_zone.get(zone_id, ()))


def routes_for_segment(ds: Dataset, segment: str) -> list[Route]:
    """Routes that enter ``segment`` (mechanical ones: strain muscles of its nerve level; somatic
    stages: its body-wall nerve reports them). Every kind together; :func:`segment_groups` sorts
    them by how the pain gets there."""
    name = segment_or_raise(ds, segment)
    return list(ds.routes_at_segment.get(name, ()))


def somatic_phases_for_zone(ds: Dataset, zone_id: str) -> list[Route]:
    """Routes whose later, somatic stage is felt in ``zone_id`` (appendicitis: the right iliac fossa)."""
    zone_or_raise(ds, zone_id)
    return list(ds.somatic_phases_at_zone.get(zone_id, ()))


def somatic_phases_for_segment(ds: Dataset, segment: str) -> list[Route]:
    """Routes whose somatic stage is reported by a body-wall nerve of ``segment``."""
    name = segment_or_raise(ds, segment)
    return list(ds.somatic_phases_at_segment.get(name, ()))


def whole_body_zones(ds: Dataset) -> frozenset[str]:
    """Zones only systemic routes name: the whole body, not the skin of the segments they span.

    Their dermatomes (say T1-S5) say where to draw them; no segment's look-up lists them.
    """
    systemic = {z for r in ds.routes if r.kind == "systemic" for z in r.zones}
    other = {z for r in ds.routes if r.kind != "systemic" for z in r.zones}
    other |= {z for r in ds.routes if r.somatic_phase is not None for z in r.somatic_phase.zones}
    other |= {s.target for s in ds.somatic_inputs}
    return frozenset(systemic - other)


# --------------------------------------------------------------------------- three kinds of answer

#: How pain gets to a zone or segment, in the order the panels and the JSON give the groups.
#: 'somatic_phase' is the later stage of a segmental route (appendicitis): felt over the organ, not referred.
#: The labels are English; the app shows them with ``painmap.i18n.translator(lang)``.
GROUPS: tuple[tuple[str, str], ...] = (
    ("segmental", N_("Referred through the cord (segmental)")),
    ("somatic_phase", N_("Felt over the organ itself, later (somatic, not referred)")),
    ("mechanical", N_("Posture and muscle strain (mechanical)")),
    ("systemic", N_("Whole-body (systemic)")),
)
GROUP_LABELS: dict[str, str] = dict(GROUPS)


@dataclass(frozen=True)
class RouteGroup:
    """Routes that reach one zone or segment the same way."""

    kind: str
    label: str
    routes: tuple[Route, ...]

    @property
    def organs(self) -> list[str]:
        return organs_of(list(self.routes))


def _grouped(by_kind: dict[str, list[Route]]) -> list[RouteGroup]:
    return [RouteGroup(kind, label, tuple(by_kind.get(kind, ()))) for kind, label in GROUPS]


def zone_groups(ds: Dataset, zone_id: str) -> list[RouteGroup]:
    """Routes felt in ``zone_id``, in the four groups of :data:`GROUPS` (empty groups included)."""
    by_kind: dict[str, list[Route]] = {}
    for route in routes_for_zone(ds, zone_id):
        if zone_id in route.zones:
            by_kind.setdefault(route.kind, []).append(route)
    by_kind["somatic_phase"] = somatic_phases_for_zone(ds, zone_id)
    return _grouped(by_kind)


def segment_groups(ds: Dataset, segment: str) -> list[RouteGroup]:
    """Routes at ``segment``: segmental ones enter it, mechanical ones strain muscles of its nerve
    level, somatic phases are reported by its body-wall nerve. No systemic route has a segment."""
    by_kind: dict[str, list[Route]] = {}
    name = segment_or_raise(ds, segment)
    for route in routes_for_segment(ds, name):
        if route.segments and name in route.segments:
            by_kind.setdefault(route.kind, []).append(route)
    by_kind["somatic_phase"] = somatic_phases_for_segment(ds, name)
    return _grouped(by_kind)


def organs_of(routes: list[Route]) -> list[str]:
    """Organ ids of ``routes``, first appearance first, no repeats."""
    return list(dict.fromkeys(r.organ for r in routes))


def somatic_inputs_for_route(ds: Dataset, route: Route) -> list[SomaticInput]:
    """The back's and body wall's inputs that converge with a segmental route.

    An input converges when it enters one of the route's segments and ends in one of
    the route's laminae: the same dorsal-horn neurons (convergence-projection).
    """
    if route.kind != "segmental" or not route.segments:
        return []
    laminae = set(route.laminae)
    entering = sorted({i for segment in route.segments for i in ds.somatic_inputs_at_segment.get(segment, ())})
    return [s for s in (ds.somatic_inputs[i] for i in entering) if laminae.intersection(s.laminae)]


def somatic_inputs_for_segment(ds: Dataset, segment: str) -> list[SomaticInput]:
    name = segment_or_raise(ds, segment)
    return [s for s in ds.somatic_inputs if name in s.segments]


def zones_for_segment(ds: Dataset, segment: str) -> list[str]:
    """Skin zones whose dermatomes include ``segment``, or that a segmental route entering it
    refers to (or its somatic stage reaches). Whole-body zones and the zones of mechanical routes
    are not the skin of a segment."""
    name = segment_or_raise(ds, segment)
    whole_body = whole_body_zones(ds)
    ids = [z.id for z in ds.zones if name in z.dermatomes and z.id not in whole_body]
    ids += [z for r in routes_for_segment(ds, name) if r.kind == "segmental" and name in (r.segments or ()) for z in r.zones]
    ids += [z for r in somatic_phases_for_segment(ds, name) if r.somatic_phase for z in r.somatic_phase.zones]
    return list(dict.fromkeys(ids))


@dataclass(frozen=True)
class SharedSegments:
    """Segments two organs share: where they can sensitise each other."""

    organ_a: str
    organ_b: str
    segments: tuple[str, ...]
    routes_a: tuple[str, ...]
    routes_b: tuple[str, ...]


def organ_segments(ds: Dataset, organ_id: str, kinds: tuple[str, ...] = ("segmental",)) -> tuple[str, ...]:
    """Cord segments an organ's routes of ``kinds`` enter, rostral first."""
    found = {s for r in routes_for_organ(ds, organ_id) if r.kind in kinds for s in r.segments or ()}
    return tuple(sorted(found, key=SEGMENT_ORDER.__getitem__))


def shared_segments(ds: Dataset, organ_a: str, organ_b: str) -> SharedSegments:
    """Viscero-visceral cross-sensitisation: the segmental-route segments both organs enter."""
    a, b = organ_or_raise(ds, organ_a).id, organ_or_raise(ds, organ_b).id
    shared = tuple(s for s in organ_segments(ds, a) if s in set(organ_segments(ds, b)))

    def touching(organ: str) -> tuple[str, ...]:
        return tuple(
            r.id
            for r in routes_for_organ(ds, organ)
            if r.kind == "segmental" and set(r.segments or ()).intersection(shared)
        )

    return SharedSegments(a, b, shared, touching(a), touching(b))


def missing_translations(ds: Dataset) -> dict[str, int]:
    """For each language the dataset offers besides English, how many texts lack it."""
    counts = {lang: 0 for lang in ds.languages if lang != "en"}
    if not counts:
        return counts

    def visit(value: object) -> None:
        if isinstance(value, dict) and "en" in value and all(isinstance(v, str) for v in value.values()):
            for lang in counts:
                counts[lang] += lang not in value
        elif isinstance(value, dict):
            for v in value.values():
                visit(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                visit(v)

    # Every text the app can show: legends, landmarks, red flags and mechanisms too.
    visit(ds.model_dump(exclude={"origin", "outlines", "scaffold", "languages", "sources"}))
    return counts


@dataclass(frozen=True)
class TextCoverage:
    """How many of a dataset's texts one language has (the rest fall back to English)."""

    lang: str
    total: int
    translated: int
    awaiting_review: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def _texts(value: object) -> list[Mapping[str, str]]:
    """Every text (a mapping language -> words, with English) inside ``value``."""
    if isinstance(value, Mapping) and "en" in value and all(isinstance(v, str) for v in value.values()):
        return [value]
    if isinstance(value, Mapping):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


#: The sections of a dataset file whose texts are medical: written in a new language, they
#: wait for a clinician's review (a file's ``awaiting_review``).
MEDICAL_SECTIONS = ("red_flags", "stories", "routes", "mechanisms", "disputes")


def awaiting_review(documents: Iterable[Mapping[str, object]]) -> dict[str, int]:
    """How many medical texts (see :data:`MEDICAL_SECTIONS`) each language has in the files
    (parsed YAML documents) that mark that language ``awaiting_review``."""
    counts: dict[str, int] = {}
    for doc in documents:
        marked = doc.get("awaiting_review") or []
        for lang in marked if isinstance(marked, list) else []:
            found = [t for section in MEDICAL_SECTIONS for t in _texts(doc.get(section))]
            counts[lang] = counts.get(lang, 0) + sum(1 for t in found if lang in t)
    return counts


def text_coverage(ds: Dataset, review: Mapping[str, int] | None = None) -> list[TextCoverage]:
    """Each language the dataset offers besides English: of its texts (every text the app can
    show: labels, legends, landmarks, red flags, stories, mechanisms), how many it has; with
    ``review`` (see :func:`awaiting_review`), how many of those await clinical review."""
    texts = _texts(ds.model_dump(exclude={"origin", "outlines", "scaffold", "languages", "sources"}))
    return [
        TextCoverage(lang, len(texts), sum(1 for t in texts if lang in t), (review or {}).get(lang, 0))
        for lang in ds.languages
        if lang != "en"
    ]


# --------------------------------------------------------------------------- JSON answers


def _zones_json(ds: Dataset, zone_ids: list[str], lang: str) -> list[dict]:
    return [{"id": z, "label": text(ds.zone[z].label, lang)} for z in zone_ids]


def _source_json(ds: Dataset, source_id: str) -> dict:
    source = ds.source[source_id]
    found = source.model_dump(exclude_none=True, exclude={"note"})
    return found


def _somatic_phase_json(ds: Dataset, route: Route, lang: str) -> dict | None:
    phase = route.somatic_phase
    if phase is None:
        return None
    return {
        "label": text(phase.label, lang),
        "nerve": phase.nerve,
        "segments": list(phase.segments),
        "zones": _zones_json(ds, list(phase.zones), lang),
        "sources": list(phase.sources),
        "note": text(phase.note, lang) or None,
    }


#: The mechanism that explains a route of each kind when the route names none.
DEFAULT_MECHANISM: dict[str, str] = {
    "segmental": "convergence-projection",
    "mechanical": "mechanical-strain",
    "systemic": "systemic-cytokines",
}


def mechanisms_for_route(ds: Dataset, route: Route) -> list[str]:
    """Ids of the mechanisms that explain ``route``: its own, else the one of its kind (if the dataset has it)."""
    if route.mechanisms:
        return list(route.mechanisms)
    known = {m.id for m in ds.mechanisms}
    default = DEFAULT_MECHANISM.get(route.kind)
    return [default] if default in known else []


def route_json(ds: Dataset, route: Route, lang: str = "en") -> dict:
    """A route as the CLI and the app's sources panel present it."""
    return {
        "id": route.id,
        "label": text(route.label, lang),
        "organ": route.organ,
        "part": route.part,
        "kind": route.kind,
        "chain": list(route.chain),
        "alternatives": [list(group) for group in route.alternatives],
        "segments": list(route.segments or ()),
        "lamina": list(route.laminae),
        "ascending": list(route.ascending),
        "zones": _zones_json(ds, list(route.zones), lang),
        "strains": list(route.strains),
        "somatic_phase": _somatic_phase_json(ds, route, lang),
        "mechanisms": mechanisms_for_route(ds, route),
        "somatic_inputs": [s.id for s in somatic_inputs_for_route(ds, route)],
        "disputed": route.id in ds.disputed_routes,
        "dispute": ds.disputed_routes[route.id].id if route.id in ds.disputed_routes else None,
        "species": route.species.label,
        "evidence": route.evidence,
        "sources": [_source_json(ds, s) for s in route.sources],
    }


def pathway_json(ds: Dataset, organ_id: str, lang: str = "en") -> dict:
    organ = organ_or_raise(ds, organ_id)
    return {
        "organ": organ.id,
        "label": text(organ.label, lang),
        "parts": [{"id": p.id, "label": text(p.label, lang), "ontology": p.ontology} for p in organ.parts],
        "routes": [route_json(ds, r, lang) for r in routes_for_organ(ds, organ_id)],
    }


def _route_brief(route: Route) -> dict:
    return {
        "id": route.id,
        "organ": route.organ,
        "part": route.part,
        "kind": route.kind,
        "segments": list(route.segments or ()),
        "species": route.species.label,
    }


def _groups_json(groups: list[RouteGroup]) -> dict:
    """{kind: {label, organs, routes}} for every group, in :data:`GROUPS` order (empty ones too)."""
    def brief(kind: str, route: Route) -> dict:
        found = _route_brief(route)
        if kind == "somatic_phase" and route.somatic_phase is not None:
            found["segments"] = list(route.somatic_phase.segments)  # the body-wall nerve's, not the organ's
        return found

    return {g.kind: {"label": g.label, "organs": g.organs, "routes": [brief(g.kind, r) for r in g.routes]} for g in groups}


def segment_json(ds: Dataset, segment: str, lang: str = "en") -> dict:
    """What reaches one segment. ``groups`` keeps the kinds apart; ``organs`` and ``routes`` list
    every route that touches the segment, of any kind (each brief in ``groups`` says its kind)."""
    name = segment_or_raise(ds, segment)
    routes = routes_for_segment(ds, name)
    return {
        "segment": name,
        "organs": organs_of(routes),
        "routes": [r.id for r in routes],
        "groups": _groups_json(segment_groups(ds, name)),
        "zones": _zones_json(ds, zones_for_segment(ds, name), lang),
        "somatic_inputs": [s.id for s in somatic_inputs_for_segment(ds, name)],
    }


def zone_json(ds: Dataset, zone_id: str, lang: str = "en") -> dict:
    """What can hurt in one zone, in ``groups`` by kind; ``organs`` and ``routes`` list them all.
    A whole-body zone (``whole_body``) is not the skin of its ``dermatomes``."""
    zone = zone_or_raise(ds, zone_id)
    routes = routes_for_zone(ds, zone_id)
    return {
        "zone": zone.id,
        "label": text(zone.label, lang),
        "dermatomes": format_segment_range(zone.dermatomes),
        "whole_body": zone.id in whole_body_zones(ds),
        "organs": organs_of(routes),
        "routes": [_route_brief(r) for r in routes],
        "groups": _groups_json(zone_groups(ds, zone_id)),
    }


def stories_json(ds: Dataset, lang: str = "en") -> list[dict]:
    """Every story as ``painmap list stories --json`` gives it, in dataset order."""
    return [
        {
            "id": s.id,
            "label": text(s.condition, lang),
            "title": text(s.title, lang),
            "organ": s.organ,
            "routes": list(s.routes),
            "mechanism": s.mechanism,
            "steps": len(s.steps),
            "red_flags": list(s.red_flags),
            "sources": list(s.sources),
        }
        for s in ds.stories
    ]


def story_narration(ds: Dataset, story_id: str, lang: str = "en") -> list[tuple[str, int, str]]:
    """A story's narration: (route id, index of the step in that route's animation, plain text in
    ``lang``) for each of its steps, in order. The index is the ``step`` of a view of that route."""
    if story_id not in ds.story:
        raise UnknownId("story", story_id, [s.id for s in ds.stories])
    story = ds.story[story_id]
    return [(s.route, ds.step_names(s.route).index(s.step), text(s.text, lang)) for s in story.steps]
