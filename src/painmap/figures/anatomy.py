"""Panel 1: abdomen and pelvis: every organ and nerve outline (scene), the chosen organ
raised and the nerves of the selected route(s) with the travelling signal (layer)."""

from __future__ import annotations

from dataclasses import dataclass

from painmap.i18n import N_, gettext
from painmap.figures import names, style
from painmap.figures.common import (
    COMET,
    add_strain,
    along,
    at,
    burst,
    cytokine_trace,
    fibre_class,
    layer_on,
    nerve_class,
    nerve_trace,
    signal_trace,
    spiral,
)
from painmap.figures.geometry import (
    Pt,
    SlotFinder,
    area,
    bbox,
    distance,
    grid,
    label_point,
    length,
    on_side,
    oriented,
    point_at,
    polylines_xy,
    rounded_rect,
    text_box,
    sub_path,
    wrap,
)
from painmap.figures.canvas import Canvas, hidden_points, points_patch
from painmap.figures.selection import Selection
from painmap.figures.steps import chain_units, split_chain, unit_name
from painmap.model import Organ, OrganPart, Route

PANEL = "anatomy"
BLOB_W, BLOB_H = 21.0, 9.0


@dataclass(frozen=True)
class PartDrawing:
    """Where an organ part is drawn in the anatomy view."""

    polygons: tuple[tuple[Pt, ...], ...]
    anchor: Pt
    how: str  # "own" outline, inside its "organ" outline, or a "fallback" blob
    #: Open outlines (a ureter, the loops of the small intestine), drawn as thick lines.
    lines: tuple[tuple[Pt, ...], ...] = ()


@dataclass(frozen=True)
class RoutePath:
    route: Route
    #: (nerve id, points, drawn from the dataset's outline), in chain order. The members of a
    #: fork (a group of alternatives) each have their own branch, from the same start point to
    #: the same end point.
    sections: tuple[tuple[str, tuple[Pt, ...], bool], ...]
    start: Pt
    #: The groups of alternatives drawn as forks.
    forks: tuple[tuple[str, ...], ...] = ()

    @property
    def alternates(self) -> frozenset[str]:
        """Fork members after the first: the signal's main line follows the first branch."""
        return frozenset(n for fork in self.forks for n in fork[1:])

    @property
    def main(self) -> list[tuple[str, tuple[Pt, ...]]]:
        """The sections of the signal's main line (each fork by its first branch)."""
        skip = self.alternates
        return [(n, pts) for n, pts, _ in self.sections if n not in skip]

    @property
    def points(self) -> list[Pt]:
        out: list[Pt] = [self.start]
        for _, pts in self.main:
            for p in pts:
                if distance(p, out[-1]) > 1e-6:
                    out.append(p)
        return out

    def fork_of(self, nerve_id: str) -> tuple[str, ...]:
        """The fork ``nerve_id`` is a member of, or just the nerve."""
        return next((fork for fork in self.forks if nerve_id in fork), (nerve_id,))

    def branch(self, nerve_id: str) -> tuple[Pt, ...]:
        return next(pts for n, pts, _ in self.sections if n == nerve_id)


def place_parts(c: Canvas) -> dict[str, PartDrawing]:
    """Every organ part gets a place: its outline, a handle in its organ, or a labelled blob."""
    ds, view = c.ds, c.sel.view
    drawn_boxes = [
        bbox(o.points)
        for organ in ds.organs
        for key in (organ.id, *(p.id for p in organ.parts))
        for o in c.outlines(key, view)
        if o.closed
    ]
    slots = SlotFinder(grid(3, 97, 3, 97, 4, 8), taken=list(drawn_boxes))
    placed: dict[str, PartDrawing] = {}
    for organ in ds.organs:
        organ_polys = [tuple(o.points) for o in c.outlines(organ.id, view) if o.closed]
        for i, part in enumerate(organ.parts):
            own = [tuple(o.points) for o in c.outlines(part.id, view) if o.closed]
            lines = tuple(tuple(o.points) for o in c.outlines(part.id, view) if not o.closed)
            if own:
                biggest = max(own, key=lambda pts: bbox(pts)[2] - bbox(pts)[0] + bbox(pts)[3] - bbox(pts)[1])
                placed[part.id] = PartDrawing(tuple(own), label_point(biggest), "own", lines)
            elif lines:
                longest = max(lines, key=length)
                placed[part.id] = PartDrawing((), point_at(longest, 0.5), "own", lines)
            elif organ_polys:
                x, y = label_point(organ_polys[0])
                placed[part.id] = PartDrawing((), (x, y - 3.5 * i), "organ")
            else:
                cx, cy = slots.place(BLOB_W + 2, BLOB_H + 2)
                blob = rounded_rect(cx - BLOB_W / 2, cy - BLOB_H / 2, cx + BLOB_W / 2, cy + BLOB_H / 2, 3.5)
                placed[part.id] = PartDrawing((tuple(blob),), (cx, cy), "fallback")
    return placed


def spine_anchor(c: Canvas, route: Route) -> Pt:
    segments = list(route.segments or ())
    level = style.spine_level_anatomy(segments[len(segments) // 2]) if segments else 50.0
    return style.SPINE_X.get(c.sel.view, style.SPINE_X_DEFAULT), level


def _dedupe(points: list[Pt], gap: float = 0.5) -> tuple[Pt, ...]:
    out: list[Pt] = []
    for p in points:
        if not out or distance(p, out[-1]) > gap:
            out.append(p)
    if len(out) == 1:
        out.append(out[0])
    return tuple(out)


def fork_branches(start: Pt, end: Pt, drawn: list[list[Pt] | None], spread: float = 3.0) -> list[tuple[Pt, ...]]:
    """One branch per alternative, each from ``start`` to ``end``: a member's outline joined to
    both ends, or (with no outline) a bow to one side, so that no two branches lie on each other."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    norm = max((dx * dx + dy * dy) ** 0.5, 1e-6)
    across = (-dy / norm, dx / norm)
    branches = []
    for k, points in enumerate(drawn):
        if points:
            branches.append(_dedupe([start, *points, end]))
            continue
        off = (k - (len(drawn) - 1) / 2) * spread or spread / 2
        bow = [
            (start[0] + f * dx + off * across[0], start[1] + f * dy + off * across[1]) for f in (0.25, 0.75)
        ]
        branches.append(_dedupe([start, *bow, end]))
    return branches


def route_path(c: Canvas, route: Route, start: Pt) -> RoutePath:
    """The route's nerves end to end, from the organ part to the spine.

    Nerves with an outline in this view are followed as drawn (each turned to continue
    from where the last ended); nerves without one get an approximate stretch: along the
    sympathetic trunk to the level of the route's segments, then to the spine. A group of
    alternatives (``Route.alternatives``) forks: each member gets a branch from where the
    chain has reached to where it goes on, and the branches rejoin there.
    """
    ds, view = c.ds, c.sel.view
    _, entry = split_chain(ds, route)
    raw: list[tuple[tuple[str, ...], list[list[Pt] | None]]] = []
    cursor = start
    for unit in chain_units(route):
        found: list[list[Pt] | None] = []
        for nerve_id in unit:
            candidates = [list(o.points) for o in c.outlines(nerve_id, view)]
            if candidates:
                best = min(candidates, key=lambda pts: min(distance(pts[0], cursor), distance(pts[-1], cursor)))
                found.append(oriented(best, cursor))
            else:
                found.append(None)
        ends = [pts[-1] for pts in found if pts]
        if ends:
            cursor = (sum(p[0] for p in ends) / len(ends), sum(p[1] for p in ends) / len(ends))
        raw.append((unit, found))
    anchor = spine_anchor(c, route)
    sections: list[tuple[str, tuple[Pt, ...], bool]] = []
    forks: list[tuple[str, ...]] = []
    previous = start
    i = 0
    while i < len(raw):
        unit, found = raw[i]
        if len(unit) > 1:
            after = raw[i + 1][1] if i + 1 < len(raw) else []
            nexts = [pts for pts in after if pts]
            drawn_ends = [pts[-1] for pts in found if pts]
            if nexts and len(raw[i + 1][0]) == 1:
                end = nexts[0][0]  # they rejoin where the next nerve begins
            elif drawn_ends:  # they rejoin at the spine, level with where they end
                end = (anchor[0], sum(p[1] for p in drawn_ends) / len(drawn_ends))
            else:
                end = anchor
            for nerve_id, points, branch in zip(unit, found, fork_branches(previous, end, found), strict=True):
                sections.append((nerve_id, branch, points is not None))
            forks.append(unit)
            previous = end
            i += 1
            continue
        nerve_id, drawn = unit[0], found[0]
        if drawn is not None:
            lead = [previous] if distance(previous, drawn[0]) > 0.5 else []
            sections.append((nerve_id, tuple(lead + drawn), True))
            previous = drawn[-1]
            i += 1
            continue
        j = i
        while j < len(raw) and len(raw[j][0]) == 1 and raw[j][1][0] is None:
            j += 1
        run = [u[0] for u, _ in raw[i:j]]
        following = raw[j][1][0] if j < len(raw) and len(raw[j][0]) == 1 else None
        bridge: list[Pt]
        if following is not None:
            bridge = [previous, following[0]]
        elif distance(previous, anchor) <= 0.5 or abs(previous[0] - anchor[0]) < 1.0:
            bridge = [previous, anchor]  # already at the spine: along it to the segments' level
        else:
            trunk_x = min(style.TRUNK_X.get(view, style.TRUNK_X_DEFAULT), key=lambda x: abs(x - previous[0]))
            bridge = [previous, (trunk_x, previous[1]), (trunk_x, anchor[1]), anchor]
            bridge = [p for k, p in enumerate(bridge) if k == 0 or distance(p, bridge[k - 1]) > 1e-6]
        moving = [n for n in run if n not in entry] or run[:1]
        for n in run:
            if n in moving:
                k = moving.index(n)
                piece = sub_path(bridge, k / len(moving), (k + 1) / len(moving)) if length(bridge) else bridge
                sections.append((n, tuple(piece), False))
            else:
                sections.append((n, (bridge[-1], bridge[-1]), False))
        previous = bridge[-1]
        i = j
    return RoutePath(route, tuple(sections), start, tuple(forks))


#: Fill alpha of every organ part in the scene; the layer raises the chosen ones above it.
BASE_ALPHA = 0.5
BASE_WIDTH = 1.2


def _part_look(sel: Selection, organ_id: str, part_id: str) -> tuple[float, float] | None:
    """(fill alpha, line width) a part is raised to by the selection; None when it stays as drawn."""
    if part_id == sel.part:
        return 0.9, 2.5
    if organ_id in (sel.organ, sel.compare) or part_id in sel.parts_lit:
        return 0.65, 1.5
    return None


def _over(target: float) -> float:
    """Alpha of an overlay in the same colour that turns BASE_ALPHA into ``target``."""
    return round(1 - (1 - target) / (1 - BASE_ALPHA), 3)


def draw_anatomy_scene(c: Canvas) -> None:
    """The static anatomy: scaffold, nerve outlines, deep structures, every organ part unlit."""
    ds, view = c.ds, c.sel.view
    for key, outlines in ds.scaffold.items():
        if key.startswith("dermatome-"):
            continue
        for outline in outlines:
            if outline.view == view:
                c.shape(PANEL, outline.points, outline.closed)
    for nerve in ds.nerves:
        for outline in c.outlines(nerve.id, view):
            c.shape(
                PANEL,
                outline.points,
                outline.closed,
                fillcolor=style.TRANSPARENT,
                line={"color": style.NERVE_OUTLINE, "width": 1.2},
            )
    placed = place_parts(c)
    for deep in ds.deep_structures:
        closed = [o.points for o in c.outlines(deep.id, view) if o.closed]
        if closed:
            c.add(
                PANEL,
                c.area_trace(
                    names.deep_trace(deep.id, PANEL),
                    closed,
                    c.hover(deep),
                    fillcolor=style.DEEP_FILL_ANATOMY,
                    line={"color": style.DEEP_LINE, "width": 0.8, "dash": "dot"},
                ),
            )
    _draw_organs(c, placed)


def draw_anatomy_layer(c: Canvas) -> None:
    """What the selection adds: raised parts, their labels, strain, rings, nerves, the signal."""
    placed = place_parts(c)
    strained = {
        d: [list(o.points) for o in c.outlines(d, c.sel.view) if o.closed] for d in c.sel.strains
    }
    add_strain(c, PANEL, {d: polys for d, polys in strained.items() if polys})
    _draw_raised(c, placed)
    _draw_labels(c, placed)
    _draw_highlights(c, placed)
    paths = _draw_nerves(c, placed)
    _draw_signal(c, placed, paths)


#: The front view's x beyond which a part lies on the patient's left (x=50 is the midline).
LEFT_OF_MIDLINE = 58.0


def far_side_parts(c: Canvas) -> frozenset[str]:
    """Parts on the far side of the lateral view, which looks from the patient's right: those
    the front view draws on the patient's left (the descending colon, say). In the lateral
    view they lie behind the near ones (the ascending colon), and are drawn so."""
    if c.sel.view != "side":
        return frozenset()
    far = set()
    for organ in c.ds.organs:
        for part in organ.parts:
            boxes = [bbox(o.points) for o in c.outlines(part.id, "abdomen")]
            if boxes and all((box[0] + box[2]) / 2 > LEFT_OF_MIDLINE for box in boxes):
                far.add(part.id)
    return frozenset(far)


def _draw_organs(c: Canvas, placed: dict[str, PartDrawing]) -> None:
    ds, view = c.ds, c.sel.view
    handles: list[tuple[Pt, str, str, str]] = []
    fallback: list[tuple[Pt, str, str, str]] = []
    far = far_side_parts(c)

    def draw_part(organ: Organ, part: OrganPart) -> None:
        colour = organ.colour
        drawing = placed[part.id]
        behind = part.id in far
        hover = _part_hover(c, organ, part, drawing)
        if behind:
            hover += "<br><i>On the far (left) side: drawn behind</i>"
        if drawing.polygons:
            c.add(
                PANEL,
                c.area_trace(
                    names.part_trace(part.id),
                    drawing.polygons,
                    hover,
                    fillcolor=style.with_alpha(colour, BASE_ALPHA * (0.45 if behind else 1)),
                    line={
                        "color": style.darker(colour),
                        "width": BASE_WIDTH * (0.8 if behind else 1),
                        "dash": "dot" if drawing.how == "fallback" else "dash" if behind else "solid",
                    },
                ),
            )
        if drawing.lines:
            xs, ys = polylines_xy(drawing.lines, close=False)
            c.add(
                PANEL,
                {
                    "name": names.part_trace(part.id, "lines"),
                    "mode": "lines",
                    "x": xs,
                    "y": ys,
                    "line": _line_look(colour, BASE_ALPHA * (0.45 if behind else 1)),
                    "hovertext": hover,
                    "hoverinfo": "text",
                },
            )
        if drawing.how == "fallback":
            fallback.append((drawing.anchor, wrap(c.label_of(part), 15), f"part:{part.id}", hover))
        else:
            handles.append((drawing.anchor, colour, f"part:{part.id}", hover))

    # the far side first, under the near one
    for organ in ds.organs:
        for part in organ.parts:
            if part.id in far:
                draw_part(organ, part)
    for organ in ds.organs:
        organ_outlines = [o.points for o in c.outlines(organ.id, view) if o.closed]
        if organ_outlines:
            c.add(
                PANEL,
                c.area_trace(
                    names.organ_trace(organ.id),
                    organ_outlines,
                    c.hover(organ),
                    fillcolor=style.with_alpha(organ.colour, BASE_ALPHA * 0.8),
                    line={"color": style.darker(organ.colour), "width": BASE_WIDTH},
                ),
            )
        for part in organ.parts:
            if part.id not in far:
                draw_part(organ, part)
    if handles:
        c.add(
            PANEL,
            {
                "name": names.PART_HANDLES,
                "mode": "markers",
                "x": [round(h[0][0], 2) for h in handles],
                "y": [round(h[0][1], 2) for h in handles],
                "marker": {"color": [h[1] for h in handles], "size": 8, "line": {"color": style.WHITE, "width": 1.5}},
                "customdata": [h[2] for h in handles],
                "hovertext": [h[3] for h in handles],
                "hoverinfo": "text",
            },
        )
    if fallback:
        c.add(
            PANEL,
            {
                "name": names.per_panel(names.FALLBACK, PANEL),
                "mode": "text",
                "x": [round(f[0][0], 2) for f in fallback],
                "y": [round(f[0][1], 2) for f in fallback],
                "text": [f[1] for f in fallback],
                "textfont": {"size": c.placement.label_size, "color": style.INK, "family": style.FONT, "shadow": style.HALO},
                "customdata": [f[2] for f in fallback],
                "hovertext": [f[3] for f in fallback],
                "hoverinfo": "text",
            },
        )


def _part_hover(c: Canvas, organ: Organ, part: OrganPart, drawing: PartDrawing) -> str:
    note = ""
    if drawing.how == "fallback":
        note = "<i>No outline in this view: drawn as a placeholder</i>"
    elif drawing.how == "organ":
        note = f"<i>Drawn within the {c.label_of(organ).lower()} outline</i>"
    part_of = gettext(c.lang, "Part of: {organ}").format(organ=c.label_of(organ))
    return c.hover(part, extra=part_of + (f"<br>{note}" if note else ""))


def _line_look(colour: str, alpha: float) -> dict:
    """How an open part outline (a ureter, the loops of the small intestine) is drawn."""
    return {
        "color": style.with_alpha(colour, min(1.0, alpha + 0.15)),
        "width": 4.5,
        "shape": "spline",
        "smoothing": 0.6,
    }


def _draw_raised(c: Canvas, placed: dict[str, PartDrawing]) -> None:
    """The chosen organs' parts drawn again over the scene, stronger (one trace per part)."""
    sel = c.sel
    chosen: tuple[Pt, str] | None = None
    far = far_side_parts(c)
    for organ in c.ds.organs:
        for part in organ.parts:
            look = _part_look(sel, organ.id, part.id)
            drawing = placed[part.id]
            if look is None:
                continue
            alpha, width = look
            behind = part.id in far and part.id != sel.part  # still behind the near side
            if part.id == sel.part and drawing.how != "fallback":
                chosen = (drawing.anchor, organ.colour)
            if drawing.polygons:
                xs, ys = polylines_xy(drawing.polygons, close=True)
                c.add(
                    PANEL,
                    {
                        "name": names.raised(part.id),
                        "mode": "lines",
                        "x": xs,
                        "y": ys,
                        "fill": "toself",
                        "fillcolor": style.with_alpha(organ.colour, 0.25 if behind else _over(alpha)),
                        "line": {
                            "color": style.darker(organ.colour),
                            "width": width,
                            "dash": "dot" if drawing.how == "fallback" else "dash" if behind else "solid",
                        },
                        "hoverinfo": "skip",
                    },
                )
            if drawing.lines:
                xs, ys = polylines_xy(drawing.lines, close=False)
                c.add(
                    PANEL,
                    {
                        "name": names.raised(part.id, "lines"),
                        "mode": "lines",
                        "x": xs,
                        "y": ys,
                        "line": _line_look(organ.colour, alpha),
                        "hoverinfo": "skip",
                    },
                )
    if chosen is not None:
        (x, y), colour = chosen
        c.add(
            PANEL,
            {
                "name": names.raised("handle"),
                "mode": "markers",
                "x": [round(x, 2)],
                "y": [round(y, 2)],
                "marker": {"color": colour, "size": 11, "line": {"color": style.WHITE, "width": 1.5}},
                "hoverinfo": "skip",
            },
        )


def _draw_labels(c: Canvas, placed: dict[str, PartDrawing]) -> None:
    """Names of the chosen organs' parts; the other organs by their own (muted) name."""
    sel = c.sel
    if not sel.has("labels"):
        return
    char, line = c.text_units(PANEL)
    for drawing, part in ((placed[p.id], p) for o in c.ds.organs for p in o.parts):
        if drawing.how == "fallback":  # the scene writes its name on the placeholder
            c.reserve(PANEL, text_box(*drawing.anchor, wrap(c.label_of(part), 15), char, line))
    for organ in c.ds.organs:
        chosen = organ.id in (sel.organ, sel.compare)
        for part in organ.parts:
            drawing = placed[part.id]
            if drawing.how != "fallback" and (chosen or part.id in sel.parts_lit):
                c.label(
                    PANEL,
                    drawing.anchor[0],
                    drawing.anchor[1] - 2.2,
                    wrap(c.label_of(part), 18),
                    colour=style.INK,
                    position="bottom center",
                    priority=2 if part.id == sel.part else 1,
                )
        if not chosen:
            drawn = [placed[p.id] for p in organ.parts if placed[p.id].how != "fallback"]
            if drawn and not any(p.id in sel.parts_lit for p in organ.parts):
                biggest = max(drawn, key=lambda d: sum(area(poly) for poly in d.polygons))
                c.label(
                    PANEL,
                    biggest.anchor[0],
                    biggest.anchor[1] - 2.2,
                    wrap(c.label_of(organ), 16),
                    colour=style.MUTED,
                    position="bottom center",
                )


def _outline_of(placed: dict[str, PartDrawing], part_id: str) -> list[tuple[Pt, ...]]:
    """Closed paths around a part (open outlines are walked there and back)."""
    drawing = placed.get(part_id)
    if drawing is None:
        return []
    if drawing.polygons or drawing.lines:
        return list(drawing.polygons) + [line + tuple(reversed(line)) for line in drawing.lines]
    x, y = drawing.anchor
    return [tuple(rounded_rect(x - 3, y - 2, x + 3, y + 2, 2))]


def _draw_highlights(c: Canvas, placed: dict[str, PartDrawing]) -> None:
    """A dark ring around the lit parts; a dashed one around the compared organ's parts."""
    sel = c.sel
    rings = [poly for p in sel.parts_lit for poly in _outline_of(placed, p)]
    if sel.view == "abdomen":  # a front view: the chosen side's kidney (the patient's left on the right)
        rings = on_side(rings, sel.side, 50.0, mirrored=True) or rings
    c.add(PANEL, _ring(names.PART_HIGHLIGHT, rings, style.HIGHLIGHT, "solid", {"parts": list(sel.parts_lit)}, 2.2))
    if sel.parts_compared:
        rings = [poly for p in sel.parts_compared for poly in _outline_of(placed, p)]
        c.add(PANEL, _ring(names.COMPARE_HIGHLIGHT, rings, style.SHARED, "dash", {"parts": list(sel.parts_compared)}))


def _ring(name: str, polygons: list[tuple[Pt, ...]], colour: str, dash: str, meta: dict, width: float = 3.0) -> dict:
    """Outlines drawn over the scene; clicks pass through to the part below (hover skipped)."""
    xs, ys = polylines_xy(polygons, close=True)
    return {
        "name": name,
        "mode": "lines",
        "x": xs,
        "y": ys,
        "line": {"color": colour, "width": width, "dash": dash},
        "hoverinfo": "skip",
        "meta": meta,
    }


def _draw_nerves(c: Canvas, placed: dict[str, PartDrawing]) -> dict[str, RoutePath]:
    """The drawn routes' nerves, by fibre type; disputed routes dashed."""
    ds, sel = c.ds, c.sel
    paths: dict[str, RoutePath] = {}
    seen: set[str] = set()
    for route_id in sel.routes:
        route = ds.route[route_id]
        if route.kind != "segmental":
            continue
        start = placed[route.part].anchor if route.part in placed else (50.0, 30.0)
        path = route_path(c, route, start)
        paths[route_id] = path
        _, entry = split_chain(ds, route)
        company = fibre_class(ds, route)
        for nerve_id, points, from_outline in path.sections:
            if nerve_id in seen or nerve_id not in ds.nerve or len(set(points)) < 2:
                continue
            seen.add(nerve_id)
            nerve = ds.nerve[nerve_id]
            fibre = c.fibre(nerve_class(nerve.fibres, company))
            if not layer_on(c, fibre.key):
                continue
            fork = path.fork_of(nerve_id)
            outlines = [
                list(o.points) + ([o.points[0]] if o.closed else []) for o in c.outlines(nerve_id, sel.view)
            ]
            if len(fork) > 1:
                # the branch first (from the fork's start to where it rejoins), then the nerve's other outlines
                drawn = [list(points)] + [o for o in outlines if not _used_in(o, points)]
            else:
                drawn = outlines if from_outline else [list(points)]
            fibres = ", ".join(f if c.lang == "en" or f not in ds.fibre_styles else c.fibre(f).label.lower() for f in nerve.fibres)
            extra = gettext(c.lang, "Carries: {fibres} fibres").format(fibres=fibres)
            if len(fork) > 1:
                others = [c.label_of(ds.nerve[n]) for n in fork if n != nerve_id and n in ds.nerve]
                extra += "<br>" + gettext(c.lang, "<b>One of alternative paths</b>: or the {others}").format(
                    others=", ".join(o.lower() for o in others)
                )
            if not from_outline:
                extra += "<br><i>Approximate path: no outline in the dataset</i>"
            if sel.dispute:
                extra += "<br><b>Disputed route</b>: sources disagree"
            meta: dict = {
                "nerve": nerve_id,
                "label": c.label_of(ds.nerve[nerve_id]),  # for the page's text description
                "step": "entry" if nerve_id in entry else unit_name(fork),
            }
            if len(fork) > 1:
                meta["fork"] = list(fork)
            # each nerve lights as the signal passes (another drawn route's, when the signal enters the cord)
            c.add_revealed(
                PANEL,
                {
                    **nerve_trace(
                        names.nerve_trace(nerve_id),
                        drawn,
                        fibre,
                        c.hover(nerve, extra=extra, sources=list(route.sources)),
                        dashed=bool(sel.dispute),
                        approximate=not from_outline,
                    ),
                    "meta": meta,
                },
                meta["step"],
                *(() if route_id == sel.route else ("entry",)),
            )
            c.fibre_legend(fibre)
            if len(fork) > 1:
                c.legend_entry(
                    "fork",
                    N_("Either nerve (a fork)"),
                    {"mode": "lines", "line": {"color": fibre.colour, "width": 2.5, "dash": fibre.dash}},
                )
    if sel.dispute:
        c.legend_entry(
            "disputed",
            N_("Disputed route (dashed)"),
            {"mode": "lines", "line": {"color": style.MUTED, "dash": "dash", "width": 2.5}},
        )
    return paths


def _used_in(outline: list[Pt], branch: tuple[Pt, ...]) -> bool:
    """Whether a fork branch was drawn along ``outline`` (both its ends lie on the branch)."""
    return any(distance(outline[0], p) < 1e-6 for p in branch) and any(distance(outline[-1], p) < 1e-6 for p in branch)


def _draw_signal(c: Canvas, placed: dict[str, PartDrawing], paths: dict[str, RoutePath]) -> None:
    sel = c.sel
    sensory = c.fibre("sensory")
    start = placed[sel.part].anchor if sel.part in placed else (50.0, 30.0)
    route_path_ = paths.get(sel.route)

    if sel.kind == "systemic":
        box = (3.0, 3.0, 97.0, 97.0)

        def cytokines(step, index: int) -> dict:
            if step.kind == "trigger":
                return points_patch(spiral(start, 3, box))
            return points_patch(spiral(start, 28 if step.kind == "cytokines" else 48, box))

        c.add_moving(
            PANEL, cytokine_trace(names.per_panel(names.SIGNAL_CYTOKINES, PANEL)), c.step_patches(cytokines)
        )
        c.legend_entry(
            "cytokines", N_("Cytokines in the blood"), {"mode": "markers", "marker": {"color": style.SYSTEMIC, "size": 8}}
        )

    full = route_path_.points if route_path_ else [start]
    total = length(full) or 1.0
    main = route_path_.main if route_path_ else []
    ends: list[float] = []
    run = 0.0
    for _, points in main:
        run += length(points)
        ends.append(run / total)
    chain = [n for n, _ in main]
    _, entry = split_chain(c.ds, route_path_.route) if route_path_ else ([], [])
    alternates = route_path_.alternates if route_path_ else frozenset()

    def fraction_of(nerve_id: str) -> tuple[float, float]:
        i = chain.index(nerve_id)
        return (ends[i - 1] if i else 0.0), ends[i]

    def branches_of(step) -> list[tuple[Pt, ...]]:
        """A fork step's branches (each alternative's), else none."""
        if route_path_ is None or len(step.targets) < 2:
            return []
        return [route_path_.branch(n) for n in step.targets if n in chain or n in alternates]

    def visceral(step, index: int) -> dict:
        if step.kind in ("stimulus", "trigger", "peritoneum"):
            return burst(start)
        branches = branches_of(step)
        if step.kind == "afferent" and branches:
            # the comet split over the alternatives: every branch carries part of it
            return points_patch(
                [point_at(branches[k % len(branches)], 0.3 + 0.7 * k / (COMET - 1)) for k in range(COMET)]
            )
        if step.kind == "afferent" and step.target in chain:
            t0, t1 = fraction_of(step.target)
            return along(full, max(0.0, t1 - max(t1 - t0, 0.12)), t1)
        if step.kind == "entry" and route_path_:
            t0 = min((fraction_of(n)[0] for n in entry if n in chain), default=1.0)
            return along(full, min(t0, 0.92), 1.0) if t0 < 1.0 else at(full[-1])
        return hidden_points(COMET)

    def with_branches(points: list[Pt], upto: float) -> dict:
        """The trail: the main line up to ``upto``, and every other branch of the forks passed."""
        xs: list[float | None] = [round(p[0], 2) for p in points]
        ys: list[float | None] = [round(p[1], 2) for p in points]
        for fork in route_path_.forks if route_path_ else ():
            if fork[0] in chain and fraction_of(fork[0])[1] <= upto + 1e-9:
                for n in fork[1:]:
                    branch = route_path_.branch(n)  # type: ignore[union-attr]
                    xs += [None, *(round(p[0], 2) for p in branch)]
                    ys += [None, *(round(p[1], 2) for p in branch)]
        return {"x": xs, "y": ys}

    def trail(step, index: int) -> dict:
        if not route_path_ or step.kind in ("stimulus", "trigger"):
            return {"x": [], "y": []}
        if step.kind == "afferent" and step.target in chain:
            upto = fraction_of(step.target)[1]
            return with_branches(sub_path(full, 0.0, upto), upto)
        return with_branches(full, 1.0)

    c.add_moving(
        PANEL,
        {
            "name": names.SIGNAL_TRAIL,
            "mode": "lines",
            "line": {"color": style.with_alpha(sensory.colour, 0.35), "width": 7},
            "hoverinfo": "skip",
            "x": [],
            "y": [],
        },
        c.step_patches(trail),
    )
    c.add_moving(PANEL, signal_trace(names.SIGNAL_VISCERAL, sensory), c.step_patches(visceral))
    if sel.kind == "segmental":
        c.legend_entry(
            "signal-visceral",
            N_("Signal from the organ"),
            {"mode": "markers", "marker": {"symbol": sensory.symbol, "color": sensory.colour, "size": 10}},
        )
