"""build_figure: (Dataset, ViewState) -> one Plotly figure with frames that play in the browser."""

from __future__ import annotations

import plotly.graph_objects as go

from painmap.figures import names, style
from painmap.figures.anatomy import draw_anatomy
from painmap.figures.body import body_x_range, draw_bodies
from painmap.figures.cord import X_RANGE as CORD_X_RANGE
from painmap.figures.cord import draw_cord
from painmap.figures.geometry import wrap
from painmap.figures.horn import X_RANGE as HORN_X_RANGE
from painmap.figures.horn import draw_horn
from painmap.figures.layout import ARRANGEMENTS, AXES, MARGIN, place
from painmap.figures.scene import Scene
from painmap.figures.selection import resolve_selection
from painmap.figures.steps import animation_steps
from painmap.model import Dataset, format_segment_range, text
from painmap.viewstate import SPEEDS, ViewState


def figure_dict(ds: Dataset, state: ViewState, arrangement: str = "wide", width: int | None = None) -> dict:
    """The figure as plain data ({"data", "layout", "frames"}), not yet validated by plotly.

    ``width`` (CSS pixels) lays the panels out for that width; the default is the
    arrangement's own (1280 wide, 390 tall). Text keeps its size whatever the width.
    """
    if arrangement not in ARRANGEMENTS:
        arrangement = "wide"
    sel = resolve_selection(ds, state)
    steps = animation_steps(ds, sel.route, sel.lang) if sel.route else []
    step = min(max(state.step, 0), len(steps) - 1) if steps else 0
    body_x = body_x_range(ds)
    ranges = {
        "anatomy": ((0.0, 100.0), (0.0, 100.0)),
        "cord": (CORD_X_RANGE, (0.0, 100.0)),
        "horn": (HORN_X_RANGE, (0.0, 100.0)),
        "front": (body_x, (0.0, 100.0)),
        "back": (body_x, (0.0, 100.0)),
    }
    scene = Scene(ds, sel, steps, step, place(ranges, arrangement, width))
    _draw_caption(scene)
    draw_anatomy(scene)
    draw_cord(scene)
    draw_horn(scene)
    draw_bodies(scene, body_x)
    scene.flush_labels()
    _keepers(scene)
    _titles(scene)
    _dispute_note(scene)
    layout = _layout(scene, state.speed)
    return {
        "data": scene.traces + list(scene.legend.values()),
        "layout": layout,
        "frames": _frames(scene),
    }


def build_figure(
    ds: Dataset, state: ViewState, arrangement: str = "wide", validate: bool = False, width: int | None = None
) -> go.Figure:
    """One figure: anatomy, spinal cord, dorsal horn and body panels that animate together.

    Plotly's validation costs about three times the drawing itself, so it is off by default:
    the unit tests validate the same dicts (``go.Figure(figure_dict(...))``) for every kind of view.
    """
    fig_dict = figure_dict(ds, state, arrangement, width)
    if validate:
        return go.Figure(fig_dict)
    try:
        return go.Figure(fig_dict, _validate=False)
    except TypeError:  # a plotly without the private switch: validate after all
        return go.Figure(fig_dict)


def _keepers(scene: Scene) -> None:
    """One invisible point per panel that every frame lists.

    plotly.js redraws, on an animation step without redraw, only the subplots that hold a
    trace of the frame, and empties the others; a keeper in each frame keeps every panel drawn.
    """
    if not scene.steps:
        return
    for panel in names.PANELS:
        place = scene.placement.panels[panel]
        point = {"x": [place.x_range[0]], "y": [place.y_range[0]]}
        scene.add_moving(
            panel,
            {
                "name": names.per_panel(names.KEEPER, panel),
                "mode": "markers",
                "hoverinfo": "skip",
                "marker": {"size": 1, "opacity": 0},
            },
            [dict(point) for _ in scene.steps],
            always=True,
        )


# --------------------------------------------------------------------------- caption


def caption_text(scene: Scene, index: int) -> str:
    step = scene.steps[index]
    wrap_at = scene.placement.caption_wrap
    head = wrap(f"{index + 1}/{len(scene.steps)}  {step.caption}", wrap_at)
    return f"<b>{head}</b><br><i>{step.term}</i>"


def _guide(scene: Scene) -> str:
    ds, sel = scene.ds, scene.sel
    lines: list[str] = []
    if sel.zone:
        lines.append(f"Pain felt in: {scene.label_of(ds.zone[sel.zone])}. The organ parts that refer here are outlined")
    if sel.segment:
        lines.append(f"Segment {sel.segment}: the organ parts whose pain enters it are outlined")
    if sel.compare and sel.organ:
        shared = format_segment_range(sel.segments_shared) if sel.segments_shared else "none"
        lines.append(
            f"{scene.label_of(ds.organ[sel.organ])} and {scene.label_of(ds.organ[sel.compare])}: "
            f"shared segments hatched ({', '.join(sel.segments_shared) or shared})"
        )
    if not lines:
        lines.append("Choose an organ to follow its pain signal to the spinal cord and out to the skin")
    body = "<br>".join(wrap(line, scene.placement.caption_wrap) for line in lines)
    return f"<b>{body}</b><br><i>referred pain</i>"


def _draw_caption(scene: Scene) -> None:
    trace = {
        "name": names.CAPTION,
        "mode": "text",
        "x": [50],
        "y": [50],
        "text": [_guide(scene)],
        "textposition": "middle center",
        "textfont": {"size": scene.placement.caption_size, "color": style.INK, "family": style.FONT},
        "hoverinfo": "skip",
        "cliponaxis": False,
    }
    patches = [{"text": [caption_text(scene, i)]} for i in range(len(scene.steps))]
    scene.add_moving("caption", trace, patches)


# --------------------------------------------------------------------------- notes


def _titles(scene: Scene) -> None:
    sel = scene.sel
    view_name = "side" if sel.view == "side" else "front"
    drawn = sel.cord_segments or scene.ds.drawn_segments
    titles = {
        "anatomy": f"Organs and nerves ({view_name})",
        "cord": f"Spinal cord {format_segment_range(drawn)}",
        "horn": f"Dorsal horn at {sel.horn_segment}" if sel.horn_segment else "Dorsal horn",
        "front": "Body, front",
        "back": "Body, back",
    }
    for panel, title in titles.items():
        place = scene.placement.panels[panel]
        scene.annotations.append(
            {
                "text": f"<b>{title}</b>",
                "x": (place.domain_x[0] + place.domain_x[1]) / 2,
                "y": scene.placement.title_y[panel],
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12 if scene.placement.arrangement == "tall" else 13, "color": style.INK},
            }
        )


def dispute_text(scene: Scene) -> str:
    """'Sources disagree': the question, then each alternative with its segments and sources."""
    ds, sel = scene.ds, scene.sel
    dispute = next(d for d in ds.disputes if d.id == sel.dispute)
    width = scene.placement.note_wrap
    lines = [wrap(f"<b>Sources disagree:</b> {text(dispute.question, scene.lang)}", width + 7)]
    for route_id in dispute.routes:
        route = ds.route.get(route_id)
        if route is None:
            continue
        label = text(route.label, scene.lang) if route.label else route.id
        titles = "; ".join(ds.source[s].title for s in route.sources if s in ds.source)
        segments = format_segment_range(route.segments or ())
        lines.append(wrap(f"- {label} [{segments}]. Sources: {titles}", width))
    return "<br>".join(lines)


def route_note_text(scene: Scene) -> str:
    """The route's label, its note, the evidence and the species the finding comes from."""
    route = scene.ds.route[scene.sel.route]
    width = scene.placement.note_wrap
    head = text(route.label, scene.lang) if route.label else route.id
    facts = [f"evidence: {route.evidence}"]
    if route.species.label != "Homo sapiens":
        facts.append(f"species: {route.species.label}")
    lines = [wrap(f"<b>{head}</b> ({'; '.join(facts)})", width + 7)]
    if route.note:
        lines.append(wrap(text(route.note, scene.lang), width))
    return "<br>".join(lines)


def _dispute_note(scene: Scene) -> None:
    if not scene.sel.route:
        return
    disputed = bool(scene.sel.dispute)
    scene.annotations.append(
        {
            "name": "sources-disagree" if disputed else "route-note",
            "text": dispute_text(scene) if disputed else route_note_text(scene),
            "x": 0.0,
            "y": scene.placement.note_y,
            "xref": "paper",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "top",
            "align": "left",
            "showarrow": False,
            "bgcolor": "rgba(255, 255, 255, 0.95)" if disputed else "rgba(255, 255, 255, 0)",
            "bordercolor": style.VERMILLION if disputed else "rgba(0, 0, 0, 0)",
            "borderwidth": 1.5 if disputed else 0,
            "borderpad": 5,
            "font": {"size": 10 if scene.placement.arrangement == "tall" else 11, "color": style.INK},
        }
    )


# --------------------------------------------------------------------------- layout


def _axes(scene: Scene) -> dict:
    out: dict = {}
    for panel, suffix in AXES.items():
        place = scene.placement.panels[panel]
        common = {"visible": False, "fixedrange": True, "showgrid": False, "zeroline": False}
        x = {**common, "domain": list(place.domain_x), "range": list(place.x_range), "anchor": f"y{suffix}"}
        y = {**common, "domain": list(place.domain_y), "range": list(place.y_range), "anchor": f"x{suffix}"}
        if panel != "caption":
            x["constrain"] = "domain"
            y.update({"scaleanchor": f"x{suffix}", "scaleratio": 1, "constrain": "domain"})
        out[f"xaxis{suffix}"] = x
        out[f"yaxis{suffix}"] = y
    return out


def _play_args(speed: float) -> list:
    return [
        None,
        {
            "frame": {"duration": int(style.FRAME_MS / speed), "redraw": False},
            "transition": {"duration": int(style.TRANSITION_MS / speed), "easing": "cubic-in-out"},
            "fromcurrent": True,
            "mode": "immediate",
        },
    ]


def _layout(scene: Scene, speed: float) -> dict:
    placement = scene.placement
    tall = placement.arrangement == "tall"
    layout: dict = {
        "height": placement.height,
        "margin": {"l": MARGIN, "r": MARGIN, "t": MARGIN, "b": MARGIN},
        "paper_bgcolor": style.PAPER,
        "plot_bgcolor": style.PAPER,
        "font": {"family": style.FONT, "color": style.INK, "size": 12},
        "hovermode": "closest",
        "hoverlabel": {
            "bgcolor": "white",
            "bordercolor": style.FAINT,
            "font": {"size": 12, "color": style.INK},
            "align": "left",
        },
        "dragmode": False,
        "showlegend": bool(scene.legend),
        "legend": {
            "orientation": "h",
            "x": 0.0 if tall else 0.5,
            "xanchor": "left" if tall else "center",
            "y": placement.legend_y,
            "yanchor": "top",
            "font": {"size": 9 if tall else 11},
            "bgcolor": "rgba(255, 255, 255, 0)",
            "itemclick": False,
            "itemdoubleclick": False,
            **({"entrywidth": 135, "entrywidthmode": "pixels"} if tall else {}),
        },
        "shapes": scene.shapes,
        "annotations": scene.annotations,
        "meta": {"arrangement": "tall" if tall else "wide", "route": scene.sel.route, "steps": len(scene.steps)},
        **_axes(scene),
    }
    if scene.steps:
        speed = min(SPEEDS, key=lambda s: abs(s - speed))
        frame_args = {
            "mode": "immediate",
            "frame": {"duration": 0, "redraw": False},
            "transition": {"duration": int(style.TRANSITION_MS / speed), "easing": "cubic-in-out"},
        }
        layout["sliders"] = [
            {
                "active": scene.step,
                "steps": [
                    {"label": str(i + 1), "method": "animate", "args": [[str(i)], frame_args]}
                    for i in range(len(scene.steps))
                ],
                "x": 0.0 if tall else 0.2,
                "len": 1.0 if tall else 0.8,
                "y": 0.0,
                "yanchor": "bottom",
                "pad": {"t": 0, "b": 0, "l": 10, "r": 10},
                "currentvalue": {"visible": False},
                "font": {"size": 10},
                "bgcolor": "#f2efeb",
                "activebgcolor": style.LIT,
                "bordercolor": style.FAINT,
                "ticklen": 4,
                "name": "steps",
            }
        ]
        button_y = placement.buttons_y
        layout["updatemenus"] = [
            {
                "type": "buttons",
                "direction": "left",
                "showactive": False,
                "x": 0.0,
                "y": button_y,
                "xanchor": "left",
                "yanchor": "bottom",
                "pad": {"t": 0, "r": 6},
                "font": {"size": 12},
                "name": "playback",
                "buttons": [
                    {"label": "Play", "method": "animate", "args": _play_args(speed), "name": "play"},
                    {
                        "label": "Pause",
                        "method": "animate",
                        "args": [
                            [None],
                            {
                                "frame": {"duration": 0, "redraw": False},
                                "mode": "immediate",
                                "transition": {"duration": 0},
                            },
                        ],
                        "name": "pause",
                    },
                ],
            },
            {
                "type": "buttons",
                "direction": "left",
                "showactive": True,
                "active": SPEEDS.index(speed),
                "x": 0.5 if tall else 0.1,
                "y": button_y,
                "xanchor": "left",
                "yanchor": "bottom",
                "pad": {"t": 0},
                "font": {"size": 11},
                "name": "speed",
                "buttons": [
                    {"label": f"{s:g}x", "method": "animate", "args": _play_args(s), "name": f"speed-{s:g}"}
                    for s in SPEEDS
                ],
            },
        ]
    return layout


def _frames(scene: Scene) -> list[dict]:
    """One sparse frame per step: only the moving traces, only what moves."""
    if not scene.steps:
        return []
    indices = sorted(scene.moving)
    return [
        {
            "name": str(k),
            "traces": list(indices),
            "data": [{"type": "scatter", **scene.moving[i][k]} for i in indices],
        }
        for k in range(len(scene.steps))
    ]
