"""What a ViewState selects in a dataset: the pure, forgiving resolution of ids.

Unknown ids are ignored (a stale link still opens), never raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from painmap.model import SEGMENT_ORDER, Dataset, Route, parse_segment
from painmap.query import shared_segments
from painmap.viewstate import LAYERS, ViewState


@dataclass(frozen=True)
class Selection:
    """Ids chosen and everything they light, resolved against one dataset."""

    organ: str = ""
    part: str = ""
    #: The route the animation follows ('' when none).
    route: str = ""
    #: Routes drawn: the route and, when sources disagree, its alternatives.
    routes: tuple[str, ...] = ()
    kind: str = ""
    #: Id of the dispute the route is part of ('' when undisputed).
    dispute: str = ""
    zone: str = ""
    segment: str = ""
    compare: str = ""
    #: Zones lit from the start (a chosen zone).
    zones_lit: tuple[str, ...] = ()
    #: Zones the route refers to: lit at its last step.
    route_zones: tuple[str, ...] = ()
    #: Cord segments lit: the drawn routes', the chosen one, a zone's reverse look-up.
    segments_lit: tuple[str, ...] = ()
    #: Segments shared with the compared organ.
    segments_shared: tuple[str, ...] = ()
    #: Organ parts highlighted (the chosen part, reverse look-ups, the first organ in a comparison).
    parts_lit: tuple[str, ...] = ()
    #: The compared organ's parts.
    parts_compared: tuple[str, ...] = ()
    #: Deep structures a mechanical route strains.
    strains: tuple[str, ...] = ()
    #: The segment shown in the dorsal-horn close-up.
    horn_segment: str = ""
    layers: frozenset[str] = field(default_factory=lambda: frozenset(LAYERS))
    lang: str = "en"
    #: Outline view of the anatomy panel: "abdomen" (front) or "side".
    view: str = "abdomen"
    #: Cord segments the spinal-column panel draws: the dataset's drawn range, widened to
    #: take in the segments of the routes on screen (a teacher's heart enters T1-T4).
    cord_segments: tuple[str, ...] = ()

    def has(self, layer: str) -> bool:
        return layer in self.layers


def _ordered(segments) -> tuple[str, ...]:
    return tuple(sorted(set(segments), key=SEGMENT_ORDER.__getitem__))


def _first_route(routes: list[Route]) -> Route | None:
    """The first segmental route, else the first route."""
    return next((r for r in routes if r.kind == "segmental"), routes[0] if routes else None)


def _canonical_segment(ds: Dataset, name: str) -> str:
    try:
        segment = parse_segment(name)
    except ValueError:
        return ""
    return segment if segment in ds.segment else ""


def cord_range(ds: Dataset, extra: list[str]) -> tuple[str, ...]:
    """The dataset's drawn segments, widened (contiguously) to include ``extra`` known ones."""
    wanted = [s for s in (*ds.drawn_segments, *extra) if s in ds.segment]
    if not wanted:
        return tuple(ds.drawn_segments)
    first = min(SEGMENT_ORDER[s] for s in wanted)
    last = max(SEGMENT_ORDER[s] for s in wanted)
    return tuple(s for s in ds.segment if first <= SEGMENT_ORDER[s] <= last)


def resolve_selection(ds: Dataset, state: ViewState) -> Selection:
    """Resolve a ViewState: organ/part/route, zone, segment, compare and layers."""
    route: Route | None = ds.route.get(state.route)
    part = state.part if state.part in ds.part else ""
    organ = state.organ if state.organ in ds.organ else ""
    if not part and state.organ in ds.part:  # a part id given as the organ
        part = state.organ
    if route is not None:
        organ, part = route.organ, route.part
    elif part:
        organ = ds.organ_of_part[part].id
        route = _first_route([r for r in ds.routes if r.part == part])
    elif organ:
        route = _first_route([r for r in ds.routes if r.organ == organ])
        part = route.part if route else ds.organ[organ].parts[0].id

    routes: tuple[str, ...] = ()
    dispute = ""
    if route is not None:
        routes = (route.id,)
        if route.id in ds.disputed_routes:
            found = ds.disputed_routes[route.id]
            dispute = found.id
            routes += tuple(r for r in found.routes if r != route.id and r in ds.route)

    segments: list[str] = [s for r in routes for s in (ds.route[r].segments or ()) if ds.route[r].kind == "segmental"]
    parts_lit: list[str] = [part] if part else []

    zone = state.zone if state.zone in ds.zone else ""
    if zone:
        referring = [r for r in ds.routes if zone in r.zones]
        parts_lit += [r.part for r in referring]
        segments += [s for r in referring if r.kind == "segmental" for s in r.segments or ()]

    segment = _canonical_segment(ds, state.segment) if state.segment else ""
    if segment:
        segments.append(segment)
        parts_lit += [r.part for r in ds.routes if r.kind == "segmental" and segment in (r.segments or ())]

    compare = (
        state.compare
        if state.compare in ds.organ
        else (ds.organ_of_part[state.compare].id if state.compare in ds.organ_of_part else "")
    )
    shared: tuple[str, ...] = ()
    parts_compared: tuple[str, ...] = ()
    if compare:
        parts_compared = tuple(p.id for p in ds.organ[compare].parts)
        if organ and compare != organ:
            shared = shared_segments(ds, organ, compare).segments
            parts_lit += [p.id for p in ds.organ[organ].parts]
        elif compare == organ:
            compare, parts_compared = "", ()

    primary = ds.route[routes[0]] if routes else None
    drawn = list(cord_range(ds, [s for r in routes for s in (ds.route[r].segments or ())]))
    if segment and (primary is None or primary.kind != "segmental" or segment in (primary.segments or ())):
        horn = segment
    elif primary is not None and primary.segments:
        in_view = [s for s in primary.segments if s in drawn] or list(primary.segments)
        horn = in_view[len(in_view) // 2]
    elif segments:
        horn = _ordered(segments)[0]
    else:
        horn = drawn[len(drawn) // 2] if drawn else ""

    return Selection(
        organ=organ,
        part=part,
        route=routes[0] if routes else "",
        routes=routes,
        kind=primary.kind if primary else "",
        dispute=dispute,
        zone=zone,
        segment=segment,
        compare=compare,
        zones_lit=(zone,) if zone else (),
        route_zones=tuple(z for z in (primary.zones if primary else ()) if z in ds.zone),
        segments_lit=_ordered(s for s in segments if s in ds.segment),
        segments_shared=tuple(shared),
        parts_lit=tuple(dict.fromkeys(parts_lit)),
        parts_compared=parts_compared,
        strains=tuple(s for s in (primary.strains if primary else ()) if s in ds.deep_structure),
        horn_segment=horn,
        layers=frozenset(layer for layer in state.layers if layer in LAYERS),
        lang=state.lang if state.lang in ds.languages else "en",
        view="side" if state.anatomy == "side" else "abdomen",
        cord_segments=tuple(drawn),
    )
