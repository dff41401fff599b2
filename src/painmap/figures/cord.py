"""Panel 2: the spinal column over the drawn segments: vertebrae, cord segments, ganglia."""

from __future__ import annotations

from dataclasses import dataclass

from painmap.figures import names, style
from painmap.figures.common import COMET, along, at, signal_trace
from painmap.figures.geometry import Pt, ellipse, polylines_tagged, rounded_rect
from painmap.figures.scene import Scene, hidden_points, points_patch
from painmap.model import SEGMENT_ORDER, text

PANEL = "cord"
X_RANGE = (0.0, 30.0)
TOP, BOTTOM = 90.0, 4.0
CORD_X = (11.0, 17.0)
VERTEBRA_X = (7.5, 20.5)
GANGLION_X = 24.0
BRAIN = (14.0, 96.0)


@dataclass(frozen=True)
class SegmentPlace:
    name: str
    y0: float
    y1: float

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def box(self) -> list[Pt]:
        return rounded_rect(CORD_X[0], self.y0 + 0.3, CORD_X[1], self.y1 - 0.3, 1.2, per_corner=3)

    @property
    def centre(self) -> Pt:
        return (sum(CORD_X) / 2, self.cy)

    @property
    def ganglion_centre(self) -> Pt:
        return (GANGLION_X, self.cy)

    def ganglion(self) -> list[Pt]:
        return ellipse(GANGLION_X, self.cy, 2.4, min((self.y1 - self.y0) * 0.36, 2.3), 14)


def segment_places(drawn: tuple[str, ...]) -> dict[str, SegmentPlace]:
    pitch = (TOP - BOTTOM) / max(len(drawn), 1)
    return {name: SegmentPlace(name, TOP - (i + 1) * pitch, TOP - i * pitch) for i, name in enumerate(drawn)}


def _segment_hover(scene: Scene, name: str) -> str:
    ds = scene.ds
    segment = ds.segment[name]
    lines = [
        f"<b>{name} spinal cord segment</b>",
        f"{segment.ontology}{' (broader term)' if segment.ontology_match == 'broader' else ''}",
    ]
    if segment.drg_ontology:
        lines.append(f"Dorsal root ganglion: {segment.drg_ontology}")
    if segment.landmark:
        lines.append(f"Skin landmark: {text(segment.landmark, scene.lang)}")
    entering = [r for r in ds.routes if r.kind == "segmental" and name in (r.segments or ())]
    if entering:
        parts = list(dict.fromkeys(scene.label_of(ds.part[r.part]) for r in entering))
        lines.append("Pain from: " + ", ".join(parts))
    return scene.hover_text(lines, scene.sources_of(name))


def _segment_highlight(
    scene: Scene, places: dict[str, SegmentPlace], name: str, segments: tuple[str, ...], **look: object
) -> list[str]:
    """One trace filling the boxes and ganglia of ``segments`` (clickable); returns those drawn."""
    drawn = [s for s in segments if s in places]
    items = [(poly, f"segment:{s}") for s in drawn for poly in (places[s].box, places[s].ganglion())]
    xs, ys, tags = polylines_tagged(items, close=True)
    trace = {"name": name, "mode": "lines", "x": xs, "y": ys, "fill": "toself", **look}
    scene.add(PANEL, {**trace, "customdata": tags, "hoverinfo": "skip", "meta": {"segments": list(segments)}})
    return drawn


def draw_cord(scene: Scene) -> None:
    ds, sel = scene.ds, scene.sel
    drawn = sel.cord_segments or tuple(ds.drawn_segments)
    places = segment_places(drawn)
    # vertebrae: one block per segment level, the sacral ones fused into one
    sacral = [p for p in places.values() if p.name.startswith("S")]
    for place in places.values():
        if place.name.startswith("S") and len(sacral) > 1:
            continue
        scene.shape(
            PANEL,
            rounded_rect(VERTEBRA_X[0], place.y0 + 0.55, VERTEBRA_X[1], place.y1 - 0.55, 1.6),
            fillcolor=style.VERTEBRA_FILL,
            line={"color": style.VERTEBRA_LINE, "width": 1},
        )
    if len(sacral) > 1:
        scene.shape(
            PANEL,
            rounded_rect(VERTEBRA_X[0] + 0.5, sacral[-1].y0 + 0.5, VERTEBRA_X[1] - 0.5, sacral[0].y1 - 0.55, 3.0),
            fillcolor=style.VERTEBRA_FILL,
            line={"color": style.VERTEBRA_LINE, "width": 1},
        )
    # the cord continues up to the brain
    scene.shape(
        PANEL,
        rounded_rect(CORD_X[0], TOP + 0.3, CORD_X[1], BRAIN[1] - 1.5, 1.0),
        fillcolor=style.CORD_FILL,
        line={"color": style.CORD_LINE, "width": 1, "dash": "dot"},
    )
    for place in places.values():
        scene.shape(
            PANEL,
            [(CORD_X[1], place.cy), (GANGLION_X - 2.4, place.cy)],
            closed=False,
            line={"color": style.CORD_LINE, "width": 1.2},
        )
    for place in places.values():
        scene.add(
            PANEL,
            scene.area_trace(
                f"{names.SEGMENT_PREFIX}{place.name}",
                [place.box],
                f"segment:{place.name}",
                _segment_hover(scene, place.name),
                fillcolor=style.CORD_FILL,
                line={"color": style.CORD_LINE, "width": 1},
            ),
        )
    ganglion = next((n for n in ds.nerves if n.kind == "ganglion" and set(n.fibres) <= {"sensory"}), None)
    ganglion_hover = scene.hover(ganglion) if ganglion else "Dorsal root ganglion"
    xs, ys, tags = polylines_tagged([(p.ganglion(), f"segment:{p.name}") for p in places.values()], close=True)
    scene.add(
        PANEL,
        {
            "name": names.GANGLIA,
            "mode": "lines",
            "x": xs,
            "y": ys,
            "fill": "toself",
            "fillcolor": style.GANGLION_FILL,
            "line": {"color": style.CORD_LINE, "width": 1},
            "customdata": tags,
            "text": ganglion_hover,
            "hoverinfo": "text",
            "hoveron": "fills+points",
        },
    )
    lit = _segment_highlight(
        scene,
        places,
        names.SEGMENT_LIT,
        sel.segments_lit,
        fillcolor=style.with_alpha(style.LIT, 0.85),
        line={"color": style.darker(style.LIT, 0.75), "width": 1.5},
    )
    if lit:
        scene.legend_entry(
            "segments-lit",
            "Cord segments the pain enters",
            {"mode": "markers", "marker": {"symbol": "square", "color": style.LIT, "size": 11}},
        )
    shared = _segment_highlight(
        scene,
        places,
        names.SEGMENT_SHARED,
        sel.segments_shared,
        fillcolor=style.with_alpha(style.SHARED, 0.25),
        fillpattern={"shape": "/", "fgcolor": style.SHARED, "size": 5, "solidity": 0.4},
        line={"color": style.SHARED, "width": 2.5},
    )
    if sel.compare:
        scene.legend_entry(
            "segments-shared",
            "Segments both organs share (hatched)",
            {
                "mode": "markers",
                "marker": {
                    "symbol": "square",
                    "color": style.with_alpha(style.SHARED, 0.4),
                    "size": 11,
                    "line": {"color": style.SHARED, "width": 2},
                },
            },
        )
    for place in places.values():
        emphasis = place.name in lit or place.name in shared or place.name == sel.segment
        scene.label(
            PANEL,
            3.8,
            place.cy,
            f"<b>{place.name}</b>" if emphasis else place.name,
            colour=style.INK if emphasis else style.MUTED,
        )
    scene.label(PANEL, CORD_X[1] + 1.0, BRAIN[1] - 1.5, "to the<br>brain", colour=style.MUTED, position="middle right")
    _draw_strained_spine(scene, places)
    _draw_signal(scene, places)


def _draw_strained_spine(scene: Scene, places: dict[str, SegmentPlace]) -> None:
    sel = scene.sel
    if sel.kind != "mechanical" or not sel.route:
        return
    route = scene.ds.route[sel.route]
    loaded = [s for s in route.segments or () if s in places]
    if not loaded:
        return
    blocks = [
        (rounded_rect(VERTEBRA_X[0], places[s].y0 + 0.55, VERTEBRA_X[1], places[s].y1 - 0.55, 1.6), f"segment:{s}")
        for s in loaded
    ]
    xs, ys, tags = polylines_tagged(blocks, close=True)

    def patch(step, index: int) -> dict:
        return (
            {"x": xs, "y": ys, "customdata": tags}
            if step.kind in ("load", "felt")
            else {"x": [], "y": [], "customdata": []}
        )

    scene.add_moving(
        PANEL,
        {
            "name": names.STRAIN_SPINE,
            "mode": "lines",
            "fill": "toself",
            "fillcolor": style.with_alpha(style.STRAIN, 0.2),
            "fillpattern": {"shape": "x", "fgcolor": style.STRAIN, "size": 6, "solidity": 0.3},
            "line": {"color": style.STRAIN, "width": 2},
            "hoverinfo": "skip",
            "meta": {"segments": loaded},
        },
        scene.step_patches(patch),
    )


def _draw_signal(scene: Scene, places: dict[str, SegmentPlace]) -> None:
    sel = scene.sel
    route = scene.ds.route.get(sel.route)
    entered = [s for s in (route.segments or ()) if s in places] if route and route.kind == "segmental" else []
    entered.sort(key=SEGMENT_ORDER.__getitem__)

    def spread(points: list[Pt]) -> dict:
        return points_patch([points[i % len(points)] for i in range(COMET)])

    def patch(step, index: int) -> dict:
        if not entered:
            return hidden_points(COMET)
        if step.kind in ("entry", "somatic"):
            return spread([places[s].ganglion_centre for s in entered])
        if step.kind == "convergence":
            return spread([places[s].centre for s in entered])
        if step.kind == "ascend":
            return along([places[entered[0]].centre, BRAIN], 0.2, 1.0)
        if step.kind == "projection":
            return at(BRAIN)
        return hidden_points(COMET)

    scene.add_moving(PANEL, signal_trace(names.SIGNAL_CORD, scene.fibre("sensory")), scene.step_patches(patch))
