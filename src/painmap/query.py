"""Questions asked of a dataset, as pure functions (no Dash, no Plotly).

Both directions: organ -> routes -> segments and zones, and zone or segment -> organs.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

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
    return [r for r in ds.routes if r.organ == organ.id and (part_id is None or r.part == part_id)]


def routes_for_zone(ds: Dataset, zone_id: str) -> list[Route]:
    """Routes whose pain is felt in ``zone_id`` (the clinician's reverse question)."""
    zone_or_raise(ds, zone_id)
    return [r for r in ds.routes if zone_id in r.zones]


def routes_for_segment(ds: Dataset, segment: str) -> list[Route]:
    """Routes that enter (or, mechanical ones, load) ``segment``."""
    name = segment_or_raise(ds, segment)
    return [r for r in ds.routes if r.segments and name in r.segments]


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
    segments, laminae = set(route.segments), set(route.laminae)
    return [
        s for s in ds.somatic_inputs if segments.intersection(s.segments) and laminae.intersection(s.laminae)
    ]


def somatic_inputs_for_segment(ds: Dataset, segment: str) -> list[SomaticInput]:
    name = segment_or_raise(ds, segment)
    return [s for s in ds.somatic_inputs if name in s.segments]


def zones_for_segment(ds: Dataset, segment: str) -> list[str]:
    """Zones whose dermatomes include ``segment`` or that a route entering it refers to."""
    name = segment_or_raise(ds, segment)
    ids = [z.id for z in ds.zones if name in z.dermatomes]
    ids += [z for r in routes_for_segment(ds, name) for z in r.zones]
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


# --------------------------------------------------------------------------- JSON answers


def _zones_json(ds: Dataset, zone_ids: list[str], lang: str) -> list[dict]:
    return [{"id": z, "label": text(ds.zone[z].label, lang)} for z in zone_ids]


def _source_json(ds: Dataset, source_id: str) -> dict:
    source = ds.source[source_id]
    found = source.model_dump(exclude_none=True, exclude={"note"})
    return found


def route_json(ds: Dataset, route: Route, lang: str = "en") -> dict:
    """A route as the CLI and the app's sources panel present it."""
    return {
        "id": route.id,
        "label": text(route.label, lang),
        "organ": route.organ,
        "part": route.part,
        "kind": route.kind,
        "chain": list(route.chain),
        "segments": list(route.segments or ()),
        "lamina": list(route.laminae),
        "zones": _zones_json(ds, list(route.zones), lang),
        "strains": list(route.strains),
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


def segment_json(ds: Dataset, segment: str, lang: str = "en") -> dict:
    name = segment_or_raise(ds, segment)
    routes = routes_for_segment(ds, name)
    return {
        "segment": name,
        "organs": organs_of(routes),
        "routes": [r.id for r in routes],
        "zones": _zones_json(ds, zones_for_segment(ds, name), lang),
        "somatic_inputs": [s.id for s in somatic_inputs_for_segment(ds, name)],
    }


def zone_json(ds: Dataset, zone_id: str, lang: str = "en") -> dict:
    zone = zone_or_raise(ds, zone_id)
    routes = routes_for_zone(ds, zone_id)
    return {
        "zone": zone.id,
        "label": text(zone.label, lang),
        "dermatomes": format_segment_range(zone.dermatomes),
        "organs": organs_of(routes),
        "routes": [
            {"id": r.id, "organ": r.organ, "part": r.part, "kind": r.kind, "segments": list(r.segments or ())}
            for r in routes
        ],
    }
