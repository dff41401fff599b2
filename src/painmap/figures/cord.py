"""Panel 2: the spinal column over the drawn segments: vertebrae, cord segments, ganglia
(scene); the segments a selection lights, the loaded spine and the signal (layer)."""

from __future__ import annotations

from dataclasses import dataclass

from painmap.figures import names, style
from painmap.i18n import N_, gettext, translator
from painmap.figures.common import COMET, along, at, signal_trace
from painmap.figures.geometry import Pt, ellipse, polylines_tagged, polylines_xy, rounded_rect, text_box
from painmap.figures.canvas import Canvas, hidden_points, points_patch
from painmap.figures.selection import cord_range
from painmap.figures.steps import Step
from painmap.model import SEGMENT_ORDER, Dataset, text

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


def _segment_hover(c: Canvas, name: str) -> str:
    ds = c.ds
    _ = translator(c.lang)
    segment = ds.segment[name]
    broader = " " + _("(broader term)") if segment.ontology_match == "broader" else ""
    lines = [
        "<b>" + _("{segment} spinal cord segment").format(segment=name) + "</b>",
        f"{segment.ontology}{broader}",
    ]
    if segment.drg_ontology:
        lines.append(_("Dorsal root ganglion: {ontology}").format(ontology=segment.drg_ontology))
    if segment.landmark:
        lines.append(_("Skin landmark: {landmark}").format(landmark=text(segment.landmark, c.lang)))
    entering = [r for r in ds.routes if r.kind == "segmental" and name in (r.segments or ())]
    if entering:
        parts = list(dict.fromkeys(c.label_of(ds.part[r.part]) for r in entering))
        lines.append(_("Pain from: {parts}").format(parts=", ".join(parts)))
    return c.hover_text(lines, c.sources_of(name))


def scene_segments(ds: Dataset) -> tuple[str, ...]:
    """The segments the cord panel draws: the dataset's drawn range, widened to every
    segmental route's segments (a teacher's heart enters T1-T4), whatever is selected."""
    entered = [s for r in ds.routes if r.kind == "segmental" for s in r.segments or ()]
    return cord_range(ds, entered)


def _segment_highlight(
    c: Canvas,
    places: dict[str, SegmentPlace],
    name: str,
    segments: tuple[str, ...],
    reveal: tuple[str, ...] = (),
    **look: object,
) -> list[str]:
    """One trace over the boxes and ganglia of ``segments``; returns those drawn.

    Its hover is skipped, so a click passes through to the segment below; its customdata
    ('segment:<id>' per point) and meta say which segments it lights. With ``reveal`` (step
    names or kinds) it is hidden until the first such step.
    """
    drawn = [s for s in segments if s in places]
    items = [(poly, f"segment:{s}") for s in drawn for poly in (places[s].box, places[s].ganglion())]
    xs, ys, tags = polylines_tagged(items, close=True)
    trace = {"name": name, "mode": "lines", "x": xs, "y": ys, "fill": "toself", **look}
    c.add_revealed(
        PANEL, {**trace, "customdata": tags, "hoverinfo": "skip", "meta": {"segments": drawn}}, *reveal
    )
    return drawn


def draw_cord_scene(c: Canvas) -> None:
    """Vertebrae, the cord up to the brain, and one clickable trace per segment (box and ganglion)."""
    places = segment_places(scene_segments(c.ds))
    # vertebrae: one block per segment level, the sacral ones fused into one
    sacral = [p for p in places.values() if p.name.startswith("S")]
    for place in places.values():
        if place.name.startswith("S") and len(sacral) > 1:
            continue
        c.shape(
            PANEL,
            rounded_rect(VERTEBRA_X[0], place.y0 + 0.55, VERTEBRA_X[1], place.y1 - 0.55, 1.6),
            fillcolor=style.VERTEBRA_FILL,
            line={"color": style.VERTEBRA_LINE, "width": 1},
        )
    if len(sacral) > 1:
        c.shape(
            PANEL,
            rounded_rect(VERTEBRA_X[0] + 0.5, sacral[-1].y0 + 0.5, VERTEBRA_X[1] - 0.5, sacral[0].y1 - 0.55, 3.0),
            fillcolor=style.VERTEBRA_FILL,
            line={"color": style.VERTEBRA_LINE, "width": 1},
        )
    # the cord continues up to the brain
    c.shape(
        PANEL,
        rounded_rect(CORD_X[0], TOP + 0.3, CORD_X[1], BRAIN[1] - 1.5, 1.0),
        fillcolor=style.CORD_FILL,
        line={"color": style.CORD_LINE, "width": 1, "dash": "dot"},
    )
    for place in places.values():
        c.shape(
            PANEL,
            [(CORD_X[1], place.cy), (GANGLION_X - 2.4, place.cy)],
            closed=False,
            line={"color": style.CORD_LINE, "width": 1.2},
        )
    for place in places.values():
        c.add(
            PANEL,
            c.area_trace(
                names.segment_trace(place.name),
                [place.box, place.ganglion()],
                _segment_hover(c, place.name),
                fillcolor=style.CORD_FILL,
                line={"color": style.CORD_LINE, "width": 1},
            ),
        )


def draw_cord_layer(c: Canvas) -> None:
    """Lit and shared segments, segment labels, the loaded spine and the signal."""
    sel = c.sel
    places = segment_places(scene_segments(c.ds))
    lit = _segment_highlight(
        c,
        places,
        names.SEGMENT_LIT,
        sel.segments_lit,
        # a route's segments light when the signal enters the cord; a chosen segment from the start
        () if sel.segment else ("entry",),
        fillcolor=style.with_alpha(style.LIT, 0.85),
        line={"color": style.darker(style.LIT, 0.75), "width": 1.5},
    )
    if lit:
        c.legend_entry(
            "segments-lit",
            gettext(c.lang, "Segments entered ({species})").format(species=sel.species.removeprefix("the "))
            if sel.species
            else N_("Segments the pain enters"),
            {"mode": "markers", "marker": {"symbol": "square", "color": style.LIT, "size": 11}},
        )
    shared = _segment_highlight(
        c,
        places,
        names.SEGMENT_SHARED,
        sel.segments_shared,
        fillcolor=style.with_alpha(style.SHARED, 0.25),
        fillpattern={"shape": "/", "fgcolor": style.SHARED, "size": 5, "solidity": 0.4},
        line={"color": style.SHARED, "width": 2.5},
    )
    if sel.compare:
        c.legend_entry(
            "segments-shared",
            N_("Shared segments, hatched"),
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
    somatic = [s for s in sel.somatic_segments if s in places]
    if somatic and c.steps:
        items = [(poly, f"segment:{s}") for s in somatic for poly in (places[s].box, places[s].ganglion())]
        xs, ys, tags = polylines_tagged(items, close=True)
        shown = ("parietal-afferent", "localised")

        def somatic_patch(step: Step, index: int) -> dict:
            return {"x": xs, "y": ys} if step.kind in shown else {"x": [], "y": []}

        c.add_moving(
            PANEL,
            {
                "name": names.SEGMENT_SOMATIC,
                "mode": "lines",
                "line": {"color": style.darker(style.SOMATIC_PAIN, 0.8), "width": 2.5},
                "hoverinfo": "skip",
                "meta": {"segments": somatic, "step": "parietal-afferent", "stage": "somatic"},
            },
            c.step_patches(somatic_patch),
        )
    for place in places.values():
        emphasis = place.name in lit or place.name in shared or place.name == sel.segment
        c.label(
            PANEL,
            3.8,
            place.cy,
            f"<b>{place.name}</b>" if emphasis else place.name,
            colour=style.INK if emphasis else style.MUTED,
            priority=1 if emphasis else -1,  # where rows are too close, only the lit ones are named
        )
    c.label(
        PANEL, CORD_X[1] + 1.0, BRAIN[1] - 1.5, N_("to the<br>brain"), colour=style.MUTED, position="middle right", priority=-1
    )
    _draw_strained_spine(c, places)
    _draw_signal(c, places)
    _species_note(c)


def species_note_text(species: str) -> str:
    """'Rat levels: not human segments' for a route found in the rat."""
    words = species.removeprefix("the ")
    return f"<b>{words[:1].upper()}{words[1:]} levels</b>: not human segments"


def _species_note(c: Canvas) -> None:
    """A non-human route's levels are that species' segment numbers: the panel says so."""
    if not c.sel.species:
        return
    char, line = c.text_units(PANEL)
    c.reserve(PANEL, text_box(sum(X_RANGE) / 2, BOTTOM / 2, species_note_text(c.sel.species), char, 1.4 * line))
    c.annotations.append(
        {
            "name": names.SPECIES_NOTE,
            "text": species_note_text(c.sel.species),
            "x": sum(X_RANGE) / 2,
            "y": BOTTOM / 2,
            "xref": c.axes(PANEL)["xaxis"],
            "yref": c.axes(PANEL)["yaxis"],
            "xanchor": "center",
            "yanchor": "middle",
            "showarrow": False,
            "bgcolor": style.NOTE_FILL,
            "bordercolor": style.VERMILLION,
            "borderwidth": 1,
            "borderpad": 2,
            "font": {"size": c.placement.label_size, "color": style.INK},
        }
    )


def _draw_strained_spine(c: Canvas, places: dict[str, SegmentPlace]) -> None:
    sel = c.sel
    if sel.kind != "mechanical" or not sel.route:
        return
    ds = c.ds
    route = ds.route[sel.route]
    # Only joints and discs are in the spine: a strained muscle does not load the vertebrae.
    joints = [ds.deep_structure[d] for d in route.strains if d in ds.deep_structure]
    loaded = [s for s in places if any(d.kind == "joint" and s in d.segments for d in joints)]
    if not loaded:
        return
    blocks = [rounded_rect(VERTEBRA_X[0], places[s].y0 + 0.55, VERTEBRA_X[1], places[s].y1 - 0.55, 1.6) for s in loaded]
    xs, ys = polylines_xy(blocks, close=True)

    strained_joints = {d.id for d in joints if d.kind == "joint"}
    seen = [
        {s.target for s in c.steps[: i + 1] if s.kind == "strain"} & strained_joints for i in range(len(c.steps))
    ]

    def patch(step: Step, index: int) -> dict:
        return {"x": xs, "y": ys} if seen[index] or step.kind == "felt" else {"x": [], "y": []}

    c.add_moving(
        PANEL,
        {
            "name": names.STRAIN_SPINE,
            "mode": "lines",
            "fill": "toself",
            "fillcolor": style.with_alpha(style.STRAIN, 0.2),
            "line": {"color": style.STRAIN, "width": 2},
            "hoverinfo": "skip",
            "meta": {"segments": loaded, "deep": sorted(strained_joints)},
        },
        c.step_patches(patch),
    )


def _draw_signal(c: Canvas, places: dict[str, SegmentPlace]) -> None:
    sel = c.sel
    route = c.ds.route.get(sel.route)
    entered = [s for s in (route.segments or ()) if s in places] if route and route.kind == "segmental" else []
    entered.sort(key=SEGMENT_ORDER.__getitem__)
    phase = [s for s in sel.somatic_segments if s in places]

    def spread(points: list[Pt]) -> dict:
        return points_patch([points[i % len(points)] for i in range(COMET)])

    def patch(step: Step, index: int) -> dict:
        if not entered:
            return hidden_points(COMET)
        if step.kind in ("entry", "somatic"):
            return spread([places[s].ganglion_centre for s in entered])
        if step.kind == "convergence":
            return spread([places[s].centre for s in entered])
        if step.kind in ("ascend", "dorsal-column"):
            return along([places[entered[0]].centre, BRAIN], 0.2, 1.0)
        if step.kind == "parietal-afferent" and phase:
            return spread([places[s].ganglion_centre for s in phase])
        if step.kind in ("projection", "localised"):
            return at(BRAIN)
        return hidden_points(COMET)

    c.add_moving(PANEL, signal_trace(names.SIGNAL_CORD, c.fibre("sensory")), c.step_patches(patch))
