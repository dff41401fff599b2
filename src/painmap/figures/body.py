"""Panels 4 and 5: the body from the front and from the back. The scene draws the
silhouettes, soft dermatome bands, deep structures and skin zones; the layer lights the
route's dermatomes and zones, the somatic input, strain and systemic shading."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from painmap.i18n import N_, gettext
from painmap.figures import names, style
from painmap.figures.common import (
    COMET,
    CYTOKINES,
    add_strain,
    along,
    cytokine_trace,
    layer_on,
    nerve_trace,
    signal_trace,
    spiral,
)
from painmap.figures.geometry import (
    Box,
    Pt,
    SlotFinder,
    area,
    bbox,
    distance,
    ellipse,
    inside,
    label_point,
    oriented,
    overlaps,
    on_side,
    polylines_tagged,
    polylines_xy,
    rounded_rect,
    spread_boxes,
    text_box,
    union_box,
    wrap,
)
from painmap.figures.canvas import Canvas, hidden_points, points_patch
from painmap.figures.steps import Step, converging_inputs, without_aside
from painmap.model import SEGMENT_ORDER, Dataset, DeepStructure, format_segment_range, parse_segment

VIEWS = ("front", "back")
DERMATOME_KEY = "dermatome-"
ZONE_BLOB = (16.0, 6.0)


def body_x_range(ds: Dataset) -> tuple[float, float]:
    """x range of the body panels: the silhouettes' width and a margin, centred on x=50."""
    boxes = [bbox(o.points) for outlines in ds.scaffold.values() for o in outlines if o.view in VIEWS]
    box = union_box(boxes) or bbox(style.FALLBACK_BODY)
    half = min(max(max(50 - box[0], box[2] - 50) + 1.5, 20.0), 50.0)
    return round(50 - half, 2), round(50 + half, 2)


def silhouettes(ds: Dataset, view: str) -> list[list[Pt]]:
    """The body outline of a view: the largest closed scaffold shape keyed 'body...', else a plain body."""
    found = [
        list(o.points)
        for key, outlines in ds.scaffold.items()
        if key.startswith("body")
        for o in outlines
        if o.view == view and o.closed
    ]
    return [max(found, key=area)] if found else [list(style.FALLBACK_BODY)]


def dermatome_bands(ds: Dataset, view: str) -> dict[str, list[list[Pt]]]:
    """Segment -> band outlines in ``view`` from scaffold entries 'dermatome-<segment>'."""
    bands: dict[str, list[list[Pt]]] = {}
    for key, outlines in ds.scaffold.items():
        if not key.startswith(DERMATOME_KEY):
            continue
        try:
            segment = parse_segment(key[len(DERMATOME_KEY) :])
        except ValueError:
            continue
        for outline in outlines:
            if outline.view == view and outline.closed:
                bands.setdefault(segment, []).append(list(outline.points))
    return dict(sorted(bands.items(), key=lambda item: SEGMENT_ORDER[item[0]]))


@dataclass
class BodyPlan:
    """Where zones and deep structures are drawn in each body view (fallbacks placed once)."""

    zones: dict[tuple[str, str], list[list[Pt]]] = field(default_factory=dict)
    zone_fallback: set[tuple[str, str]] = field(default_factory=set)
    deep: dict[tuple[str, str], list[list[Pt]]] = field(default_factory=dict)


def _deep_fallback(segments: tuple[str, ...], kind: str) -> list[list[Pt]]:
    """A deep structure with no outline, placed beside the spine at its segments' levels."""
    levels = [style.spine_level_body(s) for s in segments] or [60.0]
    top, bottom = max(levels) + 0.8, min(levels) - 0.8
    mid, half = (top + bottom) / 2, max((top - bottom) / 2, 1.2)
    if kind == "joint":
        return [ellipse(50.0, mid, 2.2, half, 24)]
    return [ellipse(50.0 - 4.2, mid, 2.3, half, 24), ellipse(50.0 + 4.2, mid, 2.3, half, 24)]


def _closed_outlines(c: Canvas, entity_id: str) -> dict[str, list[list[Pt]]]:
    """The entity's closed outlines in each body view that has any."""
    found = {view: [list(o.points) for o in c.outlines(entity_id, view) if o.closed] for view in VIEWS}
    return {view: polys for view, polys in found.items() if polys}


def plan_body(c: Canvas, x_range: tuple[float, float]) -> BodyPlan:
    """Zones (outlined, or a placeholder in a free slot) and the outlined deep structures."""
    ds = c.ds
    plan = BodyPlan()
    slots = {
        view: SlotFinder([(x, 95.0 - 9.0 * k) for k in range(11) for x in (x_range[0] + 9, x_range[1] - 9)], taken=[])
        for view in VIEWS
    }
    for zone in ds.zones:
        outlined = _closed_outlines(c, zone.id)
        plan.zones.update({(zone.id, view): polys for view, polys in outlined.items()})
        if not outlined:
            view = zone.views[0]
            cx, cy = slots[view].place(ZONE_BLOB[0] + 1, ZONE_BLOB[1] + 1)
            w, h = ZONE_BLOB
            plan.zones[(zone.id, view)] = [rounded_rect(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, 2.5)]
            plan.zone_fallback.add((zone.id, view))
    for deep in ds.deep_structures:
        outlined = _closed_outlines(c, deep.id)
        plan.deep.update({(deep.id, view): polys for view, polys in outlined.items()})
    return plan


def body_midline(ds: Dataset, view: str) -> float:
    """The x of the body's midline in ``view`` (the centre of its outline)."""
    box = union_box(bbox(p) for p in silhouettes(ds, view)) or (0.0, 0.0, 100.0, 100.0)
    return (box[0] + box[2]) / 2


def one_side(c: Canvas, plan: BodyPlan) -> BodyPlan:
    """The plan with its zones cut to the side the view shows (a paired organ's), if any."""
    if not c.sel.side:
        return plan
    zones = {}
    for (zone_id, view), polys in plan.zones.items():
        kept = on_side(polys, c.sel.side, body_midline(c.ds, view), mirrored=view == "front")
        zones[(zone_id, view)] = kept or polys
    return BodyPlan(zones, plan.zone_fallback, plan.deep)


def _wanted_deep(c: Canvas, plan: BodyPlan) -> dict[tuple[str, str], list[list[Pt]]]:
    """Deep structures the route needs that have no outline: placed beside the spine."""
    ds, sel = c.ds, c.sel
    wanted = set(sel.strains)
    if sel.kind == "segmental":
        wanted |= {i.target for i in converging_inputs(ds, ds.route[sel.route])}
    out: dict[tuple[str, str], list[list[Pt]]] = {}
    for deep in ds.deep_structures:
        if deep.id in wanted and not any(d == deep.id for d, _ in plan.deep):
            view = "back" if "back" in deep.views else deep.views[0]
            segments = tuple(s for s in deep.segments if s[0] in "TLS")
            out[(deep.id, view)] = _deep_fallback(segments, deep.kind)
    return out


def _deep_trace(c: Canvas, deep: DeepStructure, view: str, polys: list[list[Pt]]) -> dict:
    return c.area_trace(
        names.deep_trace(deep.id, view),
        polys,
        c.hover(deep, extra=gettext(c.lang, "Segments: {segments}").format(segments=format_segment_range(deep.segments))),
        fillcolor=style.DEEP_FILL_BODY,
        line={"color": style.DEEP_LINE, "width": 0.8, "dash": "dot"},
    )


def draw_bodies_scene(c: Canvas, x_range: tuple[float, float]) -> None:
    """Both body views: silhouette, dermatome bands, deep structures and every skin zone, unlit."""
    plan = plan_body(c, x_range)
    ds = c.ds
    for view in VIEWS:
        bodies = silhouettes(ds, view)
        for body in bodies:
            c.shape(view, body, fillcolor=style.BODY_FILL, line={"color": style.BODY_LINE, "width": 1.2})
        for key, outlines in ds.scaffold.items():
            if key.startswith(DERMATOME_KEY):
                continue
            for outline in outlines:
                if outline.view == view and list(outline.points) not in bodies:
                    c.shape(
                        view,
                        outline.points,
                        outline.closed,
                        fillcolor=style.TRANSPARENT,
                        line={"color": style.BODY_LINE, "width": 0.8},
                    )
        _draw_dermatomes(c, view)
        for deep in ds.deep_structures:
            polys = plan.deep.get((deep.id, view))
            if polys:
                c.add(view, _deep_trace(c, deep, view, polys))
        _draw_zones(c, plan, view)
        _draw_zone_placeholders(c, plan, view)


def draw_bodies_layer(c: Canvas, x_range: tuple[float, float]) -> None:
    """What the selection adds to both body views: lit dermatomes, the route's zones, the
    somatic input and its signal, strain, systemic shading and, last, the felt zone."""
    plan = one_side(c, plan_body(c, x_range))
    extra_deep = _wanted_deep(c, plan)
    somatic = _somatic_plan(c, BodyPlan(plan.zones, plan.zone_fallback, {**plan.deep, **extra_deep}))
    ds, sel = c.ds, c.sel
    char, line = c.text_units("front")
    for zone_id, view in plan.zone_fallback:  # the scene writes its name on the placeholder
        point = label_point(plan.zones[(zone_id, view)][0])
        c.reserve(view, text_box(*point, wrap(c.label_of(ds.zone[zone_id]), 16), char, line))
    for view in VIEWS:
        if sel.has("dermatomes"):
            _draw_dermatomes_lit(c, view)
        _draw_zone_outline(c, plan, view)
        strained: dict[str, list[list[Pt]]] = {}
        for deep in ds.deep_structures:
            polys = extra_deep.get((deep.id, view))
            if polys:
                c.add(view, _deep_trace(c, deep, view, polys))
            polys = polys or plan.deep.get((deep.id, view))
            if polys and deep.id in sel.strains:
                strained[deep.id] = polys
        _draw_somatic(c, view, somatic)
        _draw_systemic(c, view, silhouettes(ds, view))
        _draw_lit(c, plan, view)
        _draw_somatic_phase(c, plan, view)
        add_strain(c, view, strained)
        _draw_somatic_signal(c, view, somatic)


def _somatic_plan(c: Canvas, plan: BodyPlan) -> list[tuple[str, str, list[Pt]]]:
    """(somatic nerve id, view, path from the skin or muscle to the spine) per converging input."""
    sel, ds = c.sel, c.ds
    if sel.kind != "segmental":
        return []
    out = []
    for given in converging_inputs(ds, ds.route[sel.route]):
        for view in ("back", "front"):
            polys = plan.zones.get((given.target, view)) or plan.deep.get((given.target, view))
            if not polys:
                continue
            start = label_point(max(polys, key=lambda p: bbox(p)[2] - bbox(p)[0]))
            segment = (
                sel.horn_segment if sel.horn_segment in given.segments else given.segments[len(given.segments) // 2]
            )
            end = (50.0, style.spine_level_body(segment))
            drawn = [list(o.points) for o in c.outlines(given.nerve, view)]
            if drawn:
                path = oriented(
                    min(
                        drawn,
                        key=lambda p: min(
                            (p[0][0] - start[0]) ** 2 + (p[0][1] - start[1]) ** 2,
                            (p[-1][0] - start[0]) ** 2 + (p[-1][1] - start[1]) ** 2,
                        ),
                    ),
                    start,
                )
            else:
                path = [start, ((start[0] * 2 + end[0]) / 3, (start[1] + end[1]) / 2), end]
            out.append((given.nerve, view, path))
            break
    return out


def _draw_somatic(c: Canvas, view: str, somatic: list[tuple[str, str, list[Pt]]]) -> None:
    """The somatic nerve of the skin and muscle input, in the view where it is drawn."""
    ds = c.ds
    for nerve_id, where, path in somatic:
        if where != view or nerve_id not in ds.nerve or not layer_on(c, "somatic"):
            continue
        fibre = c.fibre("somatic")
        c.add_revealed(
            view,
            nerve_trace(
                names.nerve_trace(nerve_id, view),
                [path],
                fibre,
                c.hover(ds.nerve[nerve_id], extra=gettext(c.lang, "The skin and muscle input of the same segment")),
                approximate=not c.outlines(nerve_id, view),
            ),
            "somatic",  # the back's input lights when it arrives
        )
        c.fibre_legend(fibre)


def _draw_somatic_signal(c: Canvas, view: str, somatic: list[tuple[str, str, list[Pt]]]) -> None:
    first = somatic[0] if somatic else None
    if first is None or first[1] != view:
        return
    somatic_fibre = c.fibre("somatic")
    path = first[2]

    def signal(step: Step, index: int) -> dict:
        return along(path, 0.15, 1.0) if step.kind == "somatic" else hidden_points(COMET)

    c.add_moving(view, signal_trace(names.SIGNAL_SOMATIC, somatic_fibre), c.step_patches(signal))
    c.legend_entry(
        "signal-somatic",
        N_("Skin or muscle signal"),
        {"mode": "markers", "marker": {"symbol": somatic_fibre.symbol, "color": somatic_fibre.colour, "size": 10}},
    )


def _draw_zone_placeholders(c: Canvas, plan: BodyPlan, view: str) -> None:
    """The names of zones with no outline, on their placeholder blobs (clickable)."""
    fallback = [
        (zone_id, polys)
        for (zone_id, v), polys in plan.zones.items()
        if v == view and (zone_id, v) in plan.zone_fallback
    ]
    if not fallback:
        return
    points = [label_point(polys[0]) for _, polys in fallback]
    c.add(
        view,
        {
            "name": names.per_panel(names.FALLBACK, view),
            "mode": "text",
            "x": [round(p[0], 2) for p in points],
            "y": [round(p[1], 2) for p in points],
            "text": [wrap(c.label_of(c.ds.zone[z]), 16) for z, _ in fallback],
            "textfont": {"size": c.placement.label_size, "color": style.INK, "family": style.FONT, "shadow": style.HALO},
            "customdata": [f"zone:{z}" for z, _ in fallback],
            "hovertext": [_zone_hover(c, z, fallback=True) for z, _ in fallback],
            "hoverinfo": "text",
        },
    )


def _zone_hover(c: Canvas, zone_id: str, fallback: bool = False) -> str:
    ds = c.ds
    zone = ds.zone[zone_id]
    parts = list(dict.fromkeys(c.label_of(ds.part[r.part]) for r in ds.routes if zone_id in r.zones))
    extra = gettext(c.lang, "Dermatomes: {segments}").format(segments=format_segment_range(zone.dermatomes))
    if parts:
        extra += "<br>" + gettext(c.lang, "Pain from: {parts}").format(parts=", ".join(parts))
    if fallback:
        extra += "<br><i>" + gettext(c.lang, "No outline in the dataset: drawn as a placeholder") + "</i>"
    return c.hover(zone, extra=extra)


def _band_traces(
    name_of: Callable[[str], str], polys: list[list[Pt]], tint: str, meta: dict | None = None
) -> list[dict]:
    """A soft outer line under a translucent fill: bands blend into their neighbours."""
    rgb = style.DERMATOME_TINTS[tint]
    strength = 1.7 if tint == "lit" else 0.7
    xs, ys = polylines_xy(polys, close=True)
    base = {"mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip", **({"meta": meta} if meta else {})}
    return [
        {**base, "name": name_of("glow"), "line": {"color": style.rgba(rgb, 0.07 * strength), "width": 10}},
        {
            **base,
            "name": name_of("fill"),
            "fill": "toself",
            "fillcolor": style.rgba(rgb, 0.16 * strength),
            "line": {"color": style.rgba(rgb, 0.14 * strength), "width": 4},
        },
    ]


#: Scene traces that belong to a layer carry meta {"layer": ...}; compose() hides them when it is off.
DERMATOMES_META = {"layer": "dermatomes"}


def _draw_dermatomes(c: Canvas, view: str) -> None:
    """Every dermatome band, tinted even/odd, and an invisible click handle per band (scene)."""
    bands = dermatome_bands(c.ds, view)
    if not bands:
        return
    groups: dict[str, list[list[Pt]]] = {"even": [], "odd": []}
    for segment, polys in bands.items():
        groups["even" if SEGMENT_ORDER[segment] % 2 == 0 else "odd"] += polys
    for tint, polys in groups.items():
        if polys:
            for trace in _band_traces(partial(names.dermatome, view, tint), polys, tint, DERMATOMES_META):
                c.add(view, trace)
    handles = [(segment, _band_ends(polys)[0]) for segment, polys in bands.items()]
    c.add(
        view,
        {
            "name": names.per_panel(names.DERMATOME_HANDLES, view),
            "mode": "markers",
            "x": [round(h[1][0] + 1.5, 2) for h in handles],
            "y": [round(h[1][1], 2) for h in handles],
            "marker": {"size": 12, "opacity": 0, "color": style.MUTED},
            "customdata": [f"segment:{s}" for s, _ in handles],
            "hovertext": [
                f"<b>{s} dermatome</b><br>Skin supplied by the {s} segment's nerves"
                "<br><i>Dermatome maps differ and overlap</i>"
                for s, _ in handles
            ],
            "hoverinfo": "text",
            "meta": DERMATOMES_META,
        },
    )


def _band_ends(polys: list[list[Pt]]) -> tuple[Pt, Pt, Pt]:
    """Of a band's widest outline: the handle point (right edge), and its rightmost and leftmost points."""
    biggest = max(polys, key=lambda p: bbox(p)[2] - bbox(p)[0])
    x0, y0, x1, y1 = bbox(biggest)
    right = max(biggest, key=lambda p: p[0])
    left = min(biggest, key=lambda p: p[0])
    return (x1 + 0.8, min(max(right[1], y0), y1)), (x1 + 0.8, right[1]), (x0 - 0.8, left[1])


def _draw_dermatomes_lit(c: Canvas, view: str) -> None:
    """The lit segments' bands drawn over the scene's, and every band's segment name (layer)."""
    bands = dermatome_bands(c.ds, view)
    if not bands:
        return
    lit = set(c.sel.segments_lit)
    polys = [poly for segment, outlines in bands.items() if segment in lit for poly in outlines]
    polys = on_side(polys, c.sel.side, body_midline(c.ds, view), mirrored=view == "front") or polys
    if polys:
        meta = {"segments": sorted(lit & set(bands))}
        # one trace (fill and a wide soft edge) over the scene's bands: lit with the zone, last
        rgb = style.DERMATOME_TINTS["lit"]
        xs, ys = polylines_xy(polys, close=True)
        lit_band = {
            "name": names.dermatome_lit(view, "fill"),
            "mode": "lines",
            "x": xs,
            "y": ys,
            "fill": "toself",
            "fillcolor": style.rgba(rgb, 0.27),
            "line": {"color": style.rgba(rgb, 0.16), "width": 8},
            "hoverinfo": "skip",
            "meta": meta,
        }
        c.add_revealed(view, lit_band, "projection")
    if c.steps:  # a route: only its segments are named, when they light (last)
        named = [segment for segment in bands if segment in lit]
        shown = c.shown_from("projection")
    else:  # no route: every band is named where there is room
        named, shown = list(bands), None
    for segment in named:
        _, right, left = _band_ends(bands[segment])
        x, y = right if view == "front" else left
        c.label(
            view,
            x,
            y,
            segment,
            colour=style.LIT_TEXT if segment in lit else style.MUTED,
            position="middle right" if view == "front" else "middle left",
            priority=1 if segment in lit else -1,
            shown=shown,
        )


def _draw_zones(c: Canvas, plan: BodyPlan, view: str) -> None:
    """Every skin zone of the view: a faint, clickable outline (its id in its name)."""
    in_view = [(zone_id, polys) for (zone_id, v), polys in plan.zones.items() if v == view]
    # Largest first: a small zone drawn over a large one gets the hover and the click.
    in_view.sort(key=lambda item: -sum(abs(area(poly)) for poly in item[1]))
    for zone_id, polys in in_view:
        fallback = (zone_id, view) in plan.zone_fallback
        c.add(
            view,
            c.area_trace(
                names.zone_trace(zone_id, view),
                polys,
                _zone_hover(c, zone_id, fallback),
                fillcolor=style.ZONE_FILL_PLACEHOLDER if fallback else style.ZONE_FILL,
                line={"color": style.FAINT, "width": 0.8, "dash": "dash" if fallback else "dot"},
            ),
        )


def _draw_zone_outline(c: Canvas, plan: BodyPlan, view: str) -> None:
    """The route's zones and the chosen zone, outlined in the pain colour (over the scene)."""
    sel = c.sel
    zones = [z for z in dict.fromkeys([*sel.route_zones, *sel.zones_lit]) if (z, view) in plan.zones]
    if not zones:
        return
    xs, ys = polylines_xy([poly for z in zones for poly in plan.zones[(z, view)]], close=True)
    c.add_revealed(
        view,
        {
            "name": names.per_panel(names.ZONE_OUTLINE, view),
            "mode": "lines",
            "x": xs,
            "y": ys,
            "line": {"color": style.with_alpha(style.PAIN, 0.85), "width": 1.6, "dash": "dash"},
            "hoverinfo": "skip",
            "meta": {"zones": zones},
        },
        *(() if sel.zones_lit else ("projection", "felt")),  # a chosen zone is outlined from the start
    )


def referred_lit(c: Canvas, index: int) -> bool:
    """Whether the route's referred zones are lit at step ``index``: from the end of the referred
    stage (its projection, or a mechanical or systemic route's last step) until the somatic
    phase's pain is felt, when the pain has moved."""
    if not 0 <= index < len(c.steps):
        return False
    step = c.steps[index]
    if step.kind == "localised":
        return False
    if step.stage == "somatic":
        return True
    return step.kind == "projection" or index == len(c.steps) - 1


def somatic_lit(c: Canvas, index: int) -> bool:
    """Whether the somatic phase's zones are lit at step ``index`` (its last step: 'localised')."""
    return 0 <= index < len(c.steps) and c.steps[index].kind == "localised"


def _draw_lit(c: Canvas, plan: BodyPlan, view: str) -> None:
    sel = c.sel

    def lit_at(index: int) -> list[str]:
        zones = list(sel.zones_lit)
        if referred_lit(c, index):
            zones += [z for z in sel.route_zones if z not in zones]
        return [z for z in zones if (z, view) in plan.zones]

    def labelled_at(index: int) -> list[str]:
        somatic = [z for z in sel.somatic_zones if somatic_lit(c, index) and (z, view) in plan.zones]
        return lit_at(index) + [z for z in somatic if z not in lit_at(index)]

    def patch(step, index: int) -> dict:
        items = [(poly, f"zone:{z}") for z in lit_at(index) for poly in plan.zones[(z, view)]]
        xs, ys, tags = polylines_tagged(items, close=True)
        return {"x": xs, "y": ys, "customdata": tags}

    static_items = [(poly, f"zone:{z}") for z in lit_at(-2) for poly in plan.zones[(z, view)]]
    xs, ys, tags = polylines_tagged(static_items, close=True)
    final = list(dict.fromkeys(list(sel.zones_lit) + list(sel.route_zones)))
    c.add_moving(
        view,
        {
            "name": names.per_panel(names.ZONE_LIT, view),
            "mode": "lines",
            "fill": "toself",
            "x": xs,
            "y": ys,
            "customdata": tags,
            "fillcolor": style.with_alpha(style.PAIN, 0.25 if sel.kind == "systemic" else 0.55),
            "line": {"color": style.darker(style.PAIN, 0.8), "width": 0.8 if sel.kind == "systemic" else 1.8},
            "hoveron": "fills",
            "text": gettext(c.lang, "Pain is felt here"),
            "hoverinfo": "text",
            # ids for the tests and the panels, plain names for the figure's text description
            "meta": {
                "zones": [z for z in final if (z, view) in plan.zones],
                "zone_labels": [without_aside(c.label_of(c.ds.zone[z])) for z in final if (z, view) in plan.zones],
            },
        },
        c.step_patches(patch),
    )
    if final:
        c.legend_entry(
            "pain",
            N_("Where the pain is felt"),
            {"mode": "markers", "marker": {"symbol": "square", "size": 11, "color": style.with_alpha(style.PAIN, 0.6)}},
        )
    indices = range(len(c.steps)) if c.steps else [-2]
    for zone_id in dict.fromkeys(z for i in indices for z in labelled_at(i)):
        if (zone_id, view) in plan.zone_fallback:  # a placeholder carries its own name
            continue
        point = label_point(max(plan.zones[(zone_id, view)], key=lambda p: bbox(p)[2] - bbox(p)[0]))
        c.label(
            view,
            point[0],
            point[1],
            f"<b>{wrap(without_aside(c.label_of(c.ds.zone[zone_id])), 14)}</b>",
            priority=3,
            shown=[zone_id in labelled_at(i) for i in indices] if c.steps else None,
        )


def _spread_inside(polys: list[list[Pt]], count: int) -> list[Pt]:
    """``count`` points spread over the inside of the body outline(s)."""
    box = union_box(bbox(p) for p in polys) or (0, 0, 100, 100)
    candidates = []
    for j in range(24):
        for i in range(12):
            x = box[0] + (box[2] - box[0]) * (i + 0.5 + 0.3 * (j % 2)) / 12
            y = box[1] + (box[3] - box[1]) * (j + 0.5) / 24
            if any(inside((x, y), p) for p in polys):
                candidates.append((x, y))
    if not candidates:
        return [((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)] * count
    stride = len(candidates) / count
    return [candidates[int(k * stride)] for k in range(count)]


def _draw_systemic(c: Canvas, view: str, bodies: list[list[Pt]]) -> None:
    if c.sel.kind != "systemic":
        return
    xs, ys = polylines_xy(bodies, close=True)

    def shade(step, index: int) -> dict:
        return {"x": xs, "y": ys} if step.kind in ("cytokines", "felt") else {"x": [], "y": []}

    c.add_moving(
        view,
        {
            "name": names.per_panel(names.SYSTEMIC_SHADE, view),
            "mode": "lines",
            "fill": "toself",
            "fillcolor": style.with_alpha(style.SYSTEMIC, 0.22),
            "line": {"color": style.with_alpha(style.SYSTEMIC, 0.18), "width": 12},
            "hoveron": "fills",
            "text": gettext(c.lang, "Diffuse aches: the whole body, not one segment"),
            "hoverinfo": "text",
        },
        c.step_patches(shade),
    )
    box = union_box(bbox(p) for p in bodies) or (0, 0, 100, 100)
    spread = _spread_inside(bodies, CYTOKINES)

    def cytokines(step, index: int) -> dict:
        if step.kind == "trigger":
            return hidden_points(CYTOKINES)
        if step.kind == "cytokines":
            return points_patch(spiral((50.0, 60.0), 12, box))
        return points_patch(spread)

    c.add_moving(view, cytokine_trace(names.per_panel(names.SIGNAL_CYTOKINES, view)), c.step_patches(cytokines))
    c.legend_entry(
        "systemic",
        N_("Whole-body effect"),
        {
            "mode": "markers",
            "marker": {"symbol": "square", "size": 11, "color": style.with_alpha(style.SYSTEMIC, 0.45)},
        },
    )


# --------------------------------------------------------------------------- the somatic phase


def _phase_path(c: Canvas, polys: list[list[Pt]], nerve_id: str, segments: tuple[str, ...], view: str) -> list[Pt]:
    """From the zone of the somatic phase to the spine at its segments: along the nerve's
    outline in this view when the dataset has one, else a plain curve."""
    start = label_point(max(polys, key=lambda p: bbox(p)[2] - bbox(p)[0]))
    middle = segments[len(segments) // 2] if segments else "T12"
    end = (50.0, style.spine_level_body(middle))
    drawn = [list(o.points) for o in c.outlines(nerve_id, view)]
    if drawn:
        nearest = min(drawn, key=lambda p: min(distance(p[0], start), distance(p[-1], start)))
        return [start, *oriented(nearest, start)]
    return [start, ((start[0] * 2 + end[0]) / 3, (start[1] + end[1]) / 2), end]


def _draw_somatic_phase(c: Canvas, plan: BodyPlan, view: str) -> None:
    """The later somatic stage: the zone felt directly (its own style, not the referred one),
    and the somatic nerve that carries it, each shown from its own step on."""
    sel, ds = c.sel, c.ds
    route = ds.route.get(sel.route)
    phase = route.somatic_phase if route is not None else None
    zones = [z for z in sel.somatic_zones if (z, view) in plan.zones]
    if phase is None or not zones or not c.steps:
        return
    polys = [poly for z in zones for poly in plan.zones[(z, view)]]
    items = [(poly, f"zone:{z}") for z in zones for poly in plan.zones[(z, view)]]
    xs, ys, tags = polylines_tagged(items, close=True)

    def zone_patch(step: Step, index: int) -> dict:
        return {"x": xs, "y": ys, "customdata": tags} if somatic_lit(c, index) else {"x": [], "y": [], "customdata": []}

    c.add_moving(
        view,
        {
            "name": names.per_panel(names.ZONE_SOMATIC, view),
            "mode": "lines",
            "fill": "toself",
            "fillcolor": style.with_alpha(style.SOMATIC_PAIN, 0.45),
            # a solid dark outline, where a referred zone's is dashed (no fill pattern: plotly.js
            # cannot animate one, see painmap.figures.style)
            "line": {"color": style.darker(style.SOMATIC_PAIN, 0.8), "width": 2.2},
            "hoveron": "fills",
            "text": gettext(c.lang, "Felt here directly: somatic pain from the inflamed lining (not referred)"),
            "hoverinfo": "text",
            "meta": {"zones": zones, "step": "localised", "stage": "somatic"},
        },
        c.step_patches(zone_patch),
    )
    c.legend_entry(
        "pain-somatic",
        N_("Direct, not referred"),
        {
            "mode": "markers",
            "marker": {
                "symbol": "square",
                "size": 11,
                "color": style.with_alpha(style.SOMATIC_PAIN, 0.6),
                "line": {"color": style.darker(style.SOMATIC_PAIN, 0.8), "width": 1.5},
            },
        },
    )
    if phase.nerve not in ds.nerve:
        return
    fibre = c.fibre("somatic")
    path = _phase_path(c, polys, phase.nerve, phase.segments, view)
    shown = ("parietal-afferent", "localised")
    nerve = nerve_trace(
        names.per_panel(names.PHASE_NERVE, view),
        [path],
        fibre,
        c.hover(ds.nerve[phase.nerve], extra=gettext(c.lang, "Carries the pain of the irritated parietal peritoneum (somatic)")),
        approximate=not c.outlines(phase.nerve, view),
    )
    full = {"x": nerve["x"], "y": nerve["y"]}

    def nerve_patch(step: Step, index: int) -> dict:
        return full if step.kind in shown else {"x": [], "y": []}

    c.add_moving(view, {**nerve, "meta": {"nerve": phase.nerve, "step": "parietal-afferent"}}, c.step_patches(nerve_patch))

    def signal(step: Step, index: int) -> dict:
        return along(path, 0.15, 1.0) if step.kind == "parietal-afferent" else hidden_points(COMET)

    c.add_moving(view, signal_trace(names.per_panel(names.SIGNAL_PHASE, view), fibre), c.step_patches(signal))
