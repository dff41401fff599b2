"""Panels 4 and 5: the body from the front and from the back, with soft dermatome bands,
the skin zones, the referred zone(s) lit, the somatic input, strain and systemic shading."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    Pt,
    SlotFinder,
    area,
    bbox,
    ellipse,
    inside,
    label_point,
    oriented,
    overlaps,
    polylines_tagged,
    polylines_xy,
    rounded_rect,
    spread_boxes,
    text_box,
    union_box,
    wrap,
)
from painmap.figures.scene import Scene, hidden_points, points_patch
from painmap.figures.steps import converging_inputs, without_aside
from painmap.model import SEGMENT_ORDER, Dataset, format_segment_range, parse_segment

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


def spread_labels(points: list[Pt], words: list[str], char: float, line: float) -> list[Pt]:
    """Label positions moved down just enough that no two labels sit on each other."""
    boxes = [text_box(x, y, w, char, line) for (x, y), w in zip(points, words, strict=True)]
    return [(x, y - dy) for (x, y), dy in zip(points, spread_boxes(boxes), strict=True)]


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


def _closed_outlines(scene: Scene, entity_id: str) -> dict[str, list[list[Pt]]]:
    """The entity's closed outlines in each body view that has any."""
    found = {view: [list(o.points) for o in scene.outlines(entity_id, view) if o.closed] for view in VIEWS}
    return {view: polys for view, polys in found.items() if polys}


def plan_body(scene: Scene, x_range: tuple[float, float]) -> BodyPlan:
    ds = scene.ds
    plan = BodyPlan()
    slots = {
        view: SlotFinder([(x, 95.0 - 9.0 * k) for k in range(11) for x in (x_range[0] + 9, x_range[1] - 9)], taken=[])
        for view in VIEWS
    }
    for zone in ds.zones:
        outlined = _closed_outlines(scene, zone.id)
        plan.zones.update({(zone.id, view): polys for view, polys in outlined.items()})
        if not outlined:
            view = zone.views[0]
            cx, cy = slots[view].place(ZONE_BLOB[0] + 1, ZONE_BLOB[1] + 1)
            w, h = ZONE_BLOB
            plan.zones[(zone.id, view)] = [rounded_rect(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, 2.5)]
            plan.zone_fallback.add((zone.id, view))
    wanted = set(scene.sel.strains)
    if scene.sel.kind == "segmental":
        wanted |= {i.target for i in converging_inputs(ds, ds.route[scene.sel.route])}
    for deep in ds.deep_structures:
        outlined = _closed_outlines(scene, deep.id)
        plan.deep.update({(deep.id, view): polys for view, polys in outlined.items()})
        if not outlined and deep.id in wanted:
            view = "back" if "back" in deep.views else deep.views[0]
            segments = tuple(s for s in deep.segments if s[0] in "TLS")
            plan.deep[(deep.id, view)] = _deep_fallback(segments, deep.kind)
    return plan


def draw_bodies(scene: Scene, x_range: tuple[float, float]) -> None:
    plan = plan_body(scene, x_range)
    somatic = _somatic_plan(scene, plan)
    for view in VIEWS:
        _draw_view(scene, plan, view, somatic)


def _somatic_plan(scene: Scene, plan: BodyPlan) -> list[tuple[str, str, list[Pt]]]:
    """(somatic nerve id, view, path from the skin or muscle to the spine) per converging input."""
    sel, ds = scene.sel, scene.ds
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
            drawn = [list(o.points) for o in scene.outlines(given.nerve, view)]
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


def _draw_view(scene: Scene, plan: BodyPlan, view: str, somatic: list[tuple[str, str, list[Pt]]]) -> None:
    ds, sel = scene.ds, scene.sel
    panel = view
    bodies = silhouettes(ds, view)
    for body in bodies:
        scene.shape(panel, body, fillcolor=style.BODY_FILL, line={"color": style.BODY_LINE, "width": 1.2})
    for key, outlines in ds.scaffold.items():
        if key.startswith(DERMATOME_KEY):
            continue
        for outline in outlines:
            if outline.view == view and list(outline.points) not in bodies:
                scene.shape(
                    panel,
                    outline.points,
                    outline.closed,
                    fillcolor="rgba(0, 0, 0, 0)",
                    line={"color": style.BODY_LINE, "width": 0.8},
                )
    if sel.has("dermatomes"):
        _draw_dermatomes(scene, view)
    strained: dict[str, list[list[Pt]]] = {}
    for deep in ds.deep_structures:
        polys = plan.deep.get((deep.id, view))
        if not polys:
            continue
        scene.add(
            panel,
            scene.area_trace(
                names.deep_trace(deep.id, view),
                polys,
                f"deep:{deep.id}",
                scene.hover(deep, extra=f"Segments: {format_segment_range(deep.segments)}"),
                fillcolor="rgba(150, 110, 90, 0.05)",
                line={"color": "rgba(150, 110, 90, 0.45)", "width": 0.8, "dash": "dot"},
            ),
        )
        if deep.id in sel.strains:
            strained[deep.id] = polys
    _draw_zones(scene, plan, view)
    for nerve_id, where, path in somatic:
        if where != view or nerve_id not in ds.nerve:
            continue
        fibre = scene.fibre("somatic")
        if layer_on(scene, "somatic"):
            scene.add(
                panel,
                nerve_trace(
                    f"{names.NERVE_PREFIX}{nerve_id}/{view}",
                    [path],
                    fibre,
                    f"nerve:{nerve_id}",
                    scene.hover(ds.nerve[nerve_id], extra="The skin and muscle input of the same segment"),
                    approximate=not scene.outlines(nerve_id, view),
                ),
            )
            scene.fibre_legend(fibre)
    _draw_systemic(scene, view, bodies)
    _draw_lit(scene, plan, view)
    add_strain(scene, panel, strained)
    first = somatic[0] if somatic else None
    somatic_fibre = scene.fibre("somatic")

    def signal(step, index: int) -> dict:
        if first is not None and first[1] == view and step.kind == "somatic":
            return along(first[2], 0.15, 1.0)
        return hidden_points(COMET)

    if first is not None and first[1] == view:
        scene.add_moving(panel, signal_trace(names.SIGNAL_SOMATIC, somatic_fibre), scene.step_patches(signal))
        scene.legend_entry(
            "signal-somatic",
            "Signal from the skin or muscle",
            {"mode": "markers", "marker": {"symbol": somatic_fibre.symbol, "color": somatic_fibre.colour, "size": 10}},
        )
    fallback = [
        (zone_id, polys)
        for (zone_id, v), polys in plan.zones.items()
        if v == view and (zone_id, v) in plan.zone_fallback
    ]
    if fallback:
        points = [label_point(polys[0]) for _, polys in fallback]
        scene.add(
            panel,
            {
                "name": names.per_panel(names.FALLBACK, panel),
                "mode": "text",
                "x": [round(p[0], 2) for p in points],
                "y": [round(p[1], 2) for p in points],
                "text": [wrap(scene.label_of(ds.zone[z]), 16) for z, _ in fallback],
                "textfont": {"size": scene.placement.label_size - 2, "color": style.INK, "family": style.FONT},
                "customdata": [f"zone:{z}" for z, _ in fallback],
                "hovertext": [_zone_hover(scene, z, fallback=True) for z, _ in fallback],
                "hoverinfo": "text",
            },
        )


def _zone_hover(scene: Scene, zone_id: str, fallback: bool = False) -> str:
    ds = scene.ds
    zone = ds.zone[zone_id]
    parts = list(dict.fromkeys(scene.label_of(ds.part[r.part]) for r in ds.routes if zone_id in r.zones))
    extra = f"Dermatomes: {format_segment_range(zone.dermatomes)}"
    if parts:
        extra += "<br>Pain from: " + ", ".join(parts)
    if fallback:
        extra += "<br><i>No outline in the dataset: drawn as a placeholder</i>"
    return scene.hover(zone, extra=extra)


def _draw_dermatomes(scene: Scene, view: str) -> None:
    bands = dermatome_bands(scene.ds, view)
    if not bands:
        return
    lit = set(scene.sel.segments_lit)
    groups: dict[str, list[list[Pt]]] = {"even": [], "odd": [], "lit": []}
    for segment, polys in bands.items():
        tint = "lit" if segment in lit else ("even" if SEGMENT_ORDER[segment] % 2 == 0 else "odd")
        groups[tint] += polys
    for tint, polys in groups.items():
        if not polys:
            continue
        rgb = style.DERMATOME_TINTS[tint]
        strength = 1.7 if tint == "lit" else 0.7
        xs, ys = polylines_xy(polys, close=True)
        base = {"mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip"}
        # a soft outer line under a translucent fill: bands blend into their neighbours
        scene.add(
            view,
            {
                **base,
                "name": f"{names.DERMATOME}/{view}/{tint}/glow",
                "line": {"color": style.rgba(rgb, 0.07 * strength), "width": 10},
            },
        )
        scene.add(
            view,
            {
                **base,
                "name": f"{names.DERMATOME}/{view}/{tint}/fill",
                "fill": "toself",
                "fillcolor": style.rgba(rgb, 0.16 * strength),
                "line": {"color": style.rgba(rgb, 0.14 * strength), "width": 4},
            },
        )
    handles = []
    taken: list = []
    char, line = scene.text_units(view, scene.placement.label_size - 1)
    for segment, polys in bands.items():
        biggest = max(polys, key=lambda p: bbox(p)[2] - bbox(p)[0])
        x0, y0, x1, y1 = bbox(biggest)
        right = max(biggest, key=lambda p: p[0])
        left = min(biggest, key=lambda p: p[0])
        handles.append((segment, (x1 + 0.8, min(max(right[1], y0), y1))))
        for x, y, anchor, position in (
            (x1 + 0.8, right[1], "left", "middle right"),
            (x0 - 0.8, left[1], "right", "middle left"),
        ):
            box = text_box(x, y, segment, char, line, anchor)
            if not any(overlaps(box, other) for other in taken):
                taken.append(box)
                scene.label(
                    view,
                    x,
                    y,
                    segment,
                    size=scene.placement.label_size - 1,
                    colour=style.darker(style.LIT, 0.7) if segment in lit else style.MUTED,
                    position=position,
                )
                break
    scene.add(
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
        },
    )


def _draw_zones(scene: Scene, plan: BodyPlan, view: str) -> None:
    sel = scene.sel
    emphasised = set(sel.route_zones) | set(sel.zones_lit)
    in_view = [(zone_id, polys) for (zone_id, v), polys in plan.zones.items() if v == view]
    # Largest first: a small zone drawn over a large one gets the hover and the click.
    in_view.sort(key=lambda item: -sum(abs(area(poly)) for poly in item[1]))
    for zone_id, polys in in_view:
        strong = zone_id in emphasised
        fallback = (zone_id, view) in plan.zone_fallback
        line = (
            {"color": style.with_alpha(style.PAIN, 0.85), "width": 1.6, "dash": "dash"}
            if strong
            else {"color": style.FAINT, "width": 0.8, "dash": "dot" if not fallback else "dash"}
        )
        scene.add(
            view,
            scene.area_trace(
                names.zone_trace(zone_id, view),
                polys,
                f"zone:{zone_id}",
                _zone_hover(scene, zone_id, fallback),
                fillcolor="rgba(255, 255, 255, 0.55)" if fallback else "rgba(255, 255, 255, 0.02)",
                line=line,
            ),
        )


def _draw_lit(scene: Scene, plan: BodyPlan, view: str) -> None:
    sel = scene.sel
    last = len(scene.steps) - 1

    def lit_at(index: int) -> list[str]:
        zones = list(sel.zones_lit)
        if index == last and index >= 0:
            zones += [z for z in sel.route_zones if z not in zones]
        return [z for z in zones if (z, view) in plan.zones]

    def patch(step, index: int) -> dict:
        items = [(poly, f"zone:{z}") for z in lit_at(index) for poly in plan.zones[(z, view)]]
        xs, ys, tags = polylines_tagged(items, close=True)
        return {"x": xs, "y": ys, "customdata": tags}

    def label_patch(step, index: int) -> dict:
        zones = [z for z in lit_at(index) if (z, view) not in plan.zone_fallback]  # placeholders carry a label
        points = [label_point(max(plan.zones[(z, view)], key=lambda p: bbox(p)[2] - bbox(p)[0])) for z in zones]
        words = [f"<b>{wrap(without_aside(scene.label_of(scene.ds.zone[z])), 14)}</b>" for z in zones]
        char, line = scene.text_units(view)
        return {**points_patch(spread_labels(points, words, char * 1.1, line)), "text": words}

    static_items = [(poly, f"zone:{z}") for z in lit_at(-2) for poly in plan.zones[(z, view)]]
    xs, ys, tags = polylines_tagged(static_items, close=True)
    final = list(dict.fromkeys(list(sel.zones_lit) + list(sel.route_zones)))
    scene.add_moving(
        view,
        {
            "name": f"{names.ZONE_LIT}/{view}",
            "mode": "lines",
            "fill": "toself",
            "x": xs,
            "y": ys,
            "customdata": tags,
            "fillcolor": style.with_alpha(style.PAIN, 0.25 if sel.kind == "systemic" else 0.55),
            "line": {"color": style.darker(style.PAIN, 0.8), "width": 0.8 if sel.kind == "systemic" else 1.8},
            "hoveron": "fills",
            "text": "Pain is felt here",
            "hoverinfo": "text",
            "meta": {"zones": [z for z in final if (z, view) in plan.zones]},
        },
        scene.step_patches(patch),
    )
    if final:
        scene.legend_entry(
            "pain",
            "Where the pain is felt",
            {"mode": "markers", "marker": {"symbol": "square", "size": 11, "color": style.with_alpha(style.PAIN, 0.6)}},
        )
    if sel.has("labels"):
        base = label_patch(None, -2) if not scene.steps else {}
        scene.add_moving(
            view,
            {
                "name": f"{names.ZONE_LIT_LABELS}/{view}",
                "mode": "text",
                "x": [],
                "y": [],
                "text": [],
                "textfont": {"size": scene.placement.label_size, "color": style.INK, "family": style.FONT},
                "hoverinfo": "skip",
                "cliponaxis": False,
                **base,
            },
            scene.step_patches(label_patch),
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


def _draw_systemic(scene: Scene, view: str, bodies: list[list[Pt]]) -> None:
    if scene.sel.kind != "systemic":
        return
    xs, ys = polylines_xy(bodies, close=True)

    def shade(step, index: int) -> dict:
        return {"x": xs, "y": ys} if step.kind in ("cytokines", "felt") else {"x": [], "y": []}

    scene.add_moving(
        view,
        {
            "name": f"{names.SYSTEMIC_SHADE}/{view}",
            "mode": "lines",
            "fill": "toself",
            "fillcolor": style.with_alpha(style.SYSTEMIC, 0.22),
            "line": {"color": style.with_alpha(style.SYSTEMIC, 0.18), "width": 12},
            "hoveron": "fills",
            "text": "Diffuse aches: the whole body, not one segment",
            "hoverinfo": "text",
        },
        scene.step_patches(shade),
    )
    box = union_box(bbox(p) for p in bodies) or (0, 0, 100, 100)
    spread = _spread_inside(bodies, CYTOKINES)

    def cytokines(step, index: int) -> dict:
        if step.kind == "trigger":
            return hidden_points(CYTOKINES)
        if step.kind == "cytokines":
            return points_patch(spiral((50.0, 60.0), 12, box))
        return points_patch(spread)

    scene.add_moving(view, cytokine_trace(f"{names.SIGNAL_CYTOKINES}/{view}"), scene.step_patches(cytokines))
    scene.legend_entry(
        "systemic",
        "Whole-body (systemic) effect",
        {
            "mode": "markers",
            "marker": {"symbol": "square", "size": 11, "color": style.with_alpha(style.SYSTEMIC, 0.45)},
        },
    )
