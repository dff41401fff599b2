"""What a ViewState selects in a dataset: the pure, forgiving resolution of ids.

Unknown ids are ignored (a stale link still opens), never raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from painmap.model import SEGMENT_ORDER, Dataset, Route
from painmap.query import shared_segments
from painmap.figures.steps import referred_zones, species_words
from painmap.viewstate import ANATOMY_VIEWS, LAYERS, ViewState


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
    #: Zones the route refers to: lit when the referred stage ends (its projection step).
    route_zones: tuple[str, ...] = ()
    #: Zones of the route's later somatic phase: felt directly, not referred (lit at its last step).
    somatic_zones: tuple[str, ...] = ()
    #: Segments the somatic phase's nerve enters.
    somatic_segments: tuple[str, ...] = ()
    #: The species the route's finding comes from, in words ('the rat'); '' when human.
    species: str = ""
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
    #: The patient's side whose pain a paired organ's view shows ('left', 'right'); '' both.
    side: str = ""
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


def _segments(route: Route) -> tuple[str, ...]:
    return tuple(route.segments or ())


def cord_range(ds: Dataset, extra: list[str]) -> tuple[str, ...]:
    """The dataset's drawn segments, widened (contiguously) to include ``extra`` known ones."""
    wanted = [s for s in (*ds.drawn_segments, *extra) if s in ds.segment]
    if not wanted:
        return tuple(ds.drawn_segments)
    first = min(SEGMENT_ORDER[s] for s in wanted)
    last = max(SEGMENT_ORDER[s] for s in wanted)
    return tuple(s for s in ds.segment if first <= SEGMENT_ORDER[s] <= last)


def _followed_route(ds: Dataset, state: ViewState) -> Route | None:
    """The route the animation follows: the chosen one, else the part's or the organ's first."""
    if state.route:
        return ds.route[state.route]
    if state.part:
        return _first_route([r for r in ds.routes if r.part == state.part])
    if state.organ:
        return _first_route([r for r in ds.routes if r.organ == state.organ])
    return None


def _drawn_routes(ds: Dataset, route: Route | None) -> tuple[tuple[str, ...], str]:
    """(routes drawn, dispute id): the route and, when sources disagree, its alternatives."""
    if route is None:
        return (), ""
    dispute = ds.disputed_routes.get(route.id)
    if dispute is None:
        return (route.id,), ""
    return (route.id, *(r for r in dispute.routes if r != route.id and r in ds.route)), dispute.id


def _horn_segment(primary: Route | None, segment: str, lit: tuple[str, ...], drawn: list[str]) -> str:
    """The segment the dorsal-horn close-up shows."""
    if segment and (primary is None or primary.kind != "segmental" or segment in _segments(primary)):
        return segment
    if primary is not None and primary.segments:
        in_view = [s for s in primary.segments if s in drawn] or list(primary.segments)
        return in_view[len(in_view) // 2]
    if lit:
        return lit[0]
    return drawn[len(drawn) // 2] if drawn else ""


def resolve_selection(ds: Dataset, state: ViewState) -> Selection:
    """Resolve a ViewState: organ/part/route, zone, segment, compare and layers.

    What the ids mean is :meth:`ViewState.canonical`'s rule; this adds what they light.
    """
    state = state.canonical(ds)
    route = _followed_route(ds, state)
    organ = state.organ
    part = route.part if route is not None and not state.part else state.part
    if organ and not part:
        part = ds.organ[organ].parts[0].id
    routes, dispute = _drawn_routes(ds, route)
    phase = route.somatic_phase if route is not None else None

    segments = [s for r in routes if ds.route[r].kind == "segmental" for s in _segments(ds.route[r])]
    parts_lit = [part] if part else []
    if state.zone:
        referring = [r for r in ds.routes if state.zone in r.zones]
        parts_lit += [r.part for r in referring]
        segments += [s for r in referring if r.kind == "segmental" for s in _segments(r)]
    if state.segment:
        segments.append(state.segment)
        parts_lit += [r.part for r in ds.routes if r.kind == "segmental" and state.segment in _segments(r)]

    shared: tuple[str, ...] = ()
    parts_compared: tuple[str, ...] = ()
    if state.compare:
        parts_compared = tuple(p.id for p in ds.organ[state.compare].parts)
        if organ:
            shared = shared_segments(ds, organ, state.compare).segments
            parts_lit += [p.id for p in ds.organ[organ].parts]

    drawn = list(cord_range(ds, [s for r in routes for s in _segments(ds.route[r])]))
    lit = _ordered(s for s in segments if s in ds.segment)
    return Selection(
        organ=organ,
        part=part,
        route=route.id if route is not None else "",
        routes=routes,
        kind=route.kind if route is not None else "",
        dispute=dispute,
        zone=state.zone,
        segment=state.segment,
        compare=state.compare,
        zones_lit=(state.zone,) if state.zone else (),
        route_zones=tuple(z for z in (referred_zones(route) if route is not None else ()) if z in ds.zone),
        somatic_zones=tuple(z for z in (phase.zones if phase is not None else ()) if z in ds.zone),
        somatic_segments=tuple(s for s in (phase.segments if phase is not None else ()) if s in ds.segment),
        species=species_words(route.species) if route is not None else "",
        segments_lit=lit,
        segments_shared=tuple(shared),
        parts_lit=tuple(dict.fromkeys(parts_lit)),
        parts_compared=parts_compared,
        strains=tuple(s for s in (route.strains if route is not None else ()) if s in ds.deep_structure),
        horn_segment=_horn_segment(route, state.segment, lit, drawn),
        layers=state.layers,
        lang=state.lang,
        side=state.side,
        view=ANATOMY_VIEWS[state.anatomy],
        cord_segments=tuple(drawn),
    )
