"""The figure in two parts: a static scene and a route layer, and the two composed.

    scene(ds, arrangement, width, lang, anatomy) -> dict      anatomy that no selection changes
    route_layer(ds, state, arrangement, width) -> dict        what the view state lights and moves
    compose(scene, layer) -> dict                             the figure plotly draws
    figure_dict(ds, state, arrangement, width) = compose(scene(...), route_layer(...))

The scene depends only on the dataset, the language, the anatomy view, the arrangement and
the width: a page can send it once and answer every choice with the layer alone.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go  # type: ignore[import-untyped]  # plotly ships no type hints

from painmap.i18n import N_, gettext, translator
from painmap.figures import names, style
from painmap.figures.anatomy import draw_anatomy_layer, draw_anatomy_scene
from painmap.figures.body import body_x_range, draw_bodies_layer, draw_bodies_scene
from painmap.figures.canvas import Canvas, escaped_markup
from painmap.figures.cord import X_RANGE as CORD_X_RANGE
from painmap.figures.cord import draw_cord_layer, draw_cord_scene, scene_segments
from painmap.figures.geometry import wrap
from painmap.figures.horn import X_RANGE as HORN_X_RANGE
from painmap.figures.horn import draw_horn_layer, draw_horn_scene
from painmap.figures.layout import ARRANGEMENTS, AXES, MARGIN, Placement, legend_entry_px, place
from painmap.figures.selection import Selection, resolve_selection
from painmap.figures.steps import Step, animation_steps
from painmap.model import Dataset, format_segment_range, text
from painmap.viewstate import ANATOMY_VIEWS, DEFAULT_ANATOMY, SPEEDS, ViewState

Figure = dict[str, Any]

#: Layout keys the route layer owns (compose() lays them over the scene's layout).
LAYER_LAYOUT_KEYS = ("showlegend", "legend", "meta", "sliders", "updatemenus")


def _placement(
    ds: Dataset, arrangement: str, width: int | None, notes: bool = False, large: bool = False
) -> Placement:
    body_x = body_x_range(ds)
    ranges = {
        "anatomy": ((0.0, 100.0), (0.0, 100.0)),
        "cord": (CORD_X_RANGE, (0.0, 100.0)),
        "horn": (HORN_X_RANGE, (0.0, 100.0)),
        "front": (body_x, (0.0, 100.0)),
        "back": (body_x, (0.0, 100.0)),
    }
    return place(ranges, arrangement if arrangement in ARRANGEMENTS else "wide", width, notes, large)


def scene(
    ds: Dataset,
    arrangement: str = "wide",
    width: int | None = None,
    lang: str = "en",
    anatomy: str = DEFAULT_ANATOMY,
    notes: bool = False,
    large: bool = False,
) -> Figure:
    """Everything no selection changes: panels, every outline unlit, click targets, titles.

    ``{"data": [...], "layout": {...}}`` (shapes and annotations in the layout). It depends on
    the language, the anatomy view (a name of :data:`painmap.viewstate.ANATOMY_VIEWS`), the
    arrangement, the width and ``large`` (patient mode: text 16 px or more) only. Scene traces
    that belong to a layer (the dermatome bands) carry ``meta: {"layer": ...}``;
    :func:`compose` hides them when that layer is off.
    """
    anatomy = anatomy if anatomy in ANATOMY_VIEWS else DEFAULT_ANATOMY
    sel = resolve_selection(ds, ViewState(lang=lang, anatomy=anatomy))
    c = Canvas(ds, sel, [], 0, _placement(ds, arrangement, width, notes, large))
    draw_anatomy_scene(c)
    draw_cord_scene(c)
    draw_horn_scene(c)
    draw_bodies_scene(c, body_x_range(ds))
    _titles(c, anatomy)
    return escaped_markup({"data": c.traces, "layout": {**_scene_layout(c), "shapes": c.shapes, "annotations": c.annotations}})


def route_layer(
    ds: Dataset,
    state: ViewState,
    arrangement: str = "wide",
    width: int | None = None,
    notes: bool = False,
    large: bool = False,
) -> Figure:
    """Everything ``state`` decides, drawn over the scene, with the animation's frames.

    ``{"data", "shapes", "annotations", "frames", "layout"}``: the lit parts, segments,
    zones and laminae, the route's nerves, the signal, labels, caption, notes and legend;
    ``layout`` holds only the keys the layer owns (:data:`LAYER_LAYOUT_KEYS`). Frame trace
    indices count within the layer's own ``data``. ``large``: as for :func:`scene` (the two
    must agree, so that panels line up).
    """
    sel = resolve_selection(ds, state)
    steps = animation_steps(ds, sel.route, sel.lang) if sel.route else []
    if steps and state.mode == "patient" and not state.terms:  # plain words, no technical term
        from painmap.plain import plain_steps  # painmap.plain reads figures.steps: import late

        steps = plain_steps(ds, ds.route[sel.route], steps, sel.lang)
    step = min(max(state.step, 0), len(steps) - 1) if steps else 0
    c = Canvas(ds, sel, steps, step, _placement(ds, arrangement, width, notes, large))
    _draw_caption(c)
    draw_anatomy_layer(c)
    draw_cord_layer(c)
    draw_horn_layer(c)
    draw_bodies_layer(c, body_x_range(ds))
    c.flush_labels()
    _keepers(c)
    _horn_title(c)
    _dispute_note(c)
    return escaped_markup(
        {
            "data": c.traces + list(c.legend.values()),
            "shapes": c.shapes,
            "annotations": c.annotations,
            "frames": _frames(c),
            "layout": _layer_layout(c, state.speed),
        }
    )


def compose(scene: Figure, layer: Figure) -> Figure:
    """The figure plotly draws: the layer's traces after the scene's, its frames re-pointed.

    Shapes and annotations are concatenated (scene first); the layer's layout keys are laid
    over the scene's. Scene traces tagged ``meta.layer`` are hidden when the layer's
    ``meta.layers`` does not hold their layer (their indices stay, for patches).
    """
    offset = len(scene["data"])
    layer_layout = layer.get("layout", {})
    shown = set((layer_layout.get("meta") or {}).get("layers", ()))
    data = [_visible(trace, shown) for trace in scene["data"]] + list(layer.get("data", []))
    frames = [{**frame, "traces": [i + offset for i in frame["traces"]]} for frame in layer.get("frames", [])]
    scene_layout = scene.get("layout", {})
    layout = {
        **scene_layout,
        **layer_layout,
        "shapes": [*scene_layout.get("shapes", []), *layer.get("shapes", [])],
        "annotations": [*scene_layout.get("annotations", []), *layer.get("annotations", [])],
    }
    return {"data": data, "layout": layout, "frames": frames}


def _visible(trace: dict, shown: set[str]) -> dict:
    meta = trace.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("layer"), str) and meta["layer"] not in shown:
        return {**trace, "visible": False}
    return trace


def figure_dict(
    ds: Dataset,
    state: ViewState,
    arrangement: str = "wide",
    width: int | None = None,
    notes: bool = False,
    large: bool = False,
) -> Figure:
    """The figure as plain data ({"data", "layout", "frames"}), not yet validated by plotly.

    ``width`` (CSS pixels) lays the panels out for that width; the default is the
    arrangement's own (1280 wide, 390 tall). Text keeps its size whatever the width;
    ``large`` makes every text 16 px or more (patient mode).
    """
    base = scene(ds, arrangement, width, lang=state.lang, anatomy=state.anatomy, notes=notes, large=large)
    return compose(base, route_layer(ds, state, arrangement, width, notes, large))


def build_figure(
    ds: Dataset,
    state: ViewState,
    arrangement: str = "wide",
    validate: bool = False,
    width: int | None = None,
    notes: bool = True,
    large: bool = False,
) -> go.Figure:
    """One figure: anatomy, spinal cord, dorsal horn and body panels that animate together.

    Plotly's validation costs about three times the drawing itself, so it is off by default:
    the unit tests validate the same dicts (``go.Figure(figure_dict(...))``) for every kind of view.
    """
    fig_dict = figure_dict(ds, state, arrangement, width, notes, large)
    if validate:
        return go.Figure(fig_dict)
    try:
        return go.Figure(fig_dict, _validate=False)
    except TypeError:  # a plotly without the private switch: validate after all
        return go.Figure(fig_dict)


def _keepers(c: Canvas) -> None:
    """One invisible point per panel that every frame lists.

    plotly.js redraws, on an animation step without redraw, only the subplots that hold a
    trace of the frame, and empties the others; a keeper in each frame keeps every panel drawn.
    A view with nothing to play has them too (listed by no frame). The page's graph that
    animates keeps a panel's keeper only where nothing else its frames list is drawn in that
    panel (painmap.app.page.split_layer); figures and exports keep them all.
    """
    for panel in names.PANELS:
        place = c.placement.panels[panel]
        point = {"x": [place.x_range[0]], "y": [place.y_range[0]]}
        c.add_moving(
            panel,
            {
                "name": names.per_panel(names.KEEPER, panel),
                "mode": "markers",
                "hoverinfo": "skip",
                "marker": {"size": 1, "opacity": 0},
                **point,
            },
            [dict(point) for _ in c.steps],
            always=True,
        )


# --------------------------------------------------------------------------- caption


#: A one-sided view's note under the caption.
SIDE_ONLY = {"left": N_("left side only"), "right": N_("right side only")}


def caption_text(c: Canvas, index: int) -> str:
    step = c.steps[index]
    head = fitted(f"{index + 1}/{len(c.steps)} {step.caption}", c.placement.caption_wrap, c.placement.caption_lines)
    side = " \u00b7 " + gettext(c.lang, SIDE_ONLY[c.sel.side]) if c.sel.side in SIDE_ONLY else ""
    return f"<b>{head}</b><br><i>{step.term}{side}</i>" if step.term or side else f"<b>{head}</b>"


def fitted(words: str, width: int, lines: int) -> str:
    """``words`` wrapped at ``width`` characters in at most ``lines`` lines, the last one ending
    in an ellipsis when words were left out (the page shows the whole caption)."""
    wrapped = wrap(words, width).split("<br>")
    if len(wrapped) <= lines:
        return "<br>".join(wrapped)
    last = wrapped[lines - 1]
    while len(last) + 1 > width and " " in last:
        last = last.rsplit(" ", 1)[0]
    return "<br>".join([*wrapped[: lines - 1], last.rstrip(",;:") + "\u2026"])


def _guide(c: Canvas) -> str:
    ds, sel = c.ds, c.sel
    _ = translator(c.lang)
    lines: list[str] = []
    if sel.zone:
        lines.append(
            _("Pain felt in: {zone}. The organ parts that refer here are outlined").format(zone=c.label_of(ds.zone[sel.zone]))
        )
    if sel.segment:
        lines.append(_("Segment {segment}: the organ parts whose pain enters it are outlined").format(segment=sel.segment))
    if sel.compare and sel.organ:
        shared = format_segment_range(sel.segments_shared) if sel.segments_shared else _("none")
        lines.append(
            _("{a} and {b}: shared segments hatched ({segments})").format(
                a=c.label_of(ds.organ[sel.organ]),
                b=c.label_of(ds.organ[sel.compare]),
                segments=", ".join(sel.segments_shared) or shared,
            )
        )
    if not lines:
        lines.append(_("Choose an organ to follow its pain signal to the spinal cord and out to the skin"))
    body = fitted(". ".join(lines), c.placement.caption_wrap, c.placement.caption_lines)
    return f"<b>{body}</b><br><i>{_('referred pain')}</i>"


def _draw_caption(c: Canvas) -> None:
    trace = {
        "name": names.CAPTION,
        "mode": "text",
        "x": [50],
        "y": [50],
        "text": [_guide(c)],
        "textposition": "middle center",
        "textfont": {"size": c.placement.caption_size, "color": style.INK, "family": style.FONT},
        "hoverinfo": "skip",
        "cliponaxis": False,
    }
    patches = [{"text": [caption_text(c, i)]} for i in range(len(c.steps))]
    c.add_moving("caption", trace, patches)


# --------------------------------------------------------------------------- notes


def _title(c: Canvas, panel: str, title: str) -> None:
    """A panel's title, above it, wrapped to the panel's width."""
    place = c.placement.panels[panel]
    size = c.placement.label_size + 1
    panel_px = (place.x_range[1] - place.x_range[0]) * c.placement.px_per_unit[panel]
    if c.placement.title_lines > 1:  # a narrow figure: the title may overhang into the gaps
        title = fitted(title, max(6, int((panel_px + 16) / (0.55 * size))), c.placement.title_lines)
    c.annotations.append(
        {
            "text": f"<b>{title}</b>",
            "x": (place.domain_x[0] + place.domain_x[1]) / 2,
            "y": c.placement.title_y[panel],
            "xref": "paper",
            "yref": "paper",
            "xanchor": "center",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": size, "color": style.INK},
        }
    )


#: The anatomy views as the anatomy panel's title names them.
VIEW_WORDS = {"front": N_("front"), "lateral": N_("lateral")}


def _titles(c: Canvas, anatomy: str) -> None:
    """The c's panel titles (the dorsal horn's names its segment: the layer draws it)."""
    _ = translator(c.lang)
    titles = {
        "anatomy": _("Organs and nerves ({view})").format(view=_(VIEW_WORDS.get(anatomy, anatomy))),
        "cord": _("Spinal cord {segments}").format(segments=format_segment_range(scene_segments(c.ds))),
        "front": _("Body, front"),
        "back": _("Body, back"),
    }
    for panel, title in titles.items():
        _title(c, panel, title)


def _horn_title(c: Canvas) -> None:
    segment = c.sel.horn_segment
    _ = translator(c.lang)
    species = (
        " " + _("({species} level)").format(species=c.sel.species.removeprefix("the ")) if c.sel.species and segment else ""
    )
    _title(c, "horn", _("Dorsal horn at {segment}").format(segment=segment) + species if segment else _("Dorsal horn"))


def dispute_text(c: Canvas) -> str:
    """'Sources disagree': the question, then each alternative with its segments and sources."""
    ds, sel = c.ds, c.sel
    dispute = next(d for d in ds.disputes if d.id == sel.dispute)
    width = c.placement.note_wrap
    lines = [wrap(f"<b>Sources disagree:</b> {text(dispute.question, c.lang)}", width + 7)]
    for route_id in dispute.routes:
        route = ds.route.get(route_id)
        if route is None:
            continue
        label = text(route.label, c.lang) if route.label else route.id
        titles = "; ".join(ds.source[s].title for s in route.sources if s in ds.source)
        segments = format_segment_range(route.segments or ())
        lines.append(wrap(f"- {label} [{segments}]. Sources: {titles}", width))
    return "<br>".join(lines)


def route_note_text(c: Canvas) -> str:
    """The route's label, its note, the evidence and the species the finding comes from."""
    route = c.ds.route[c.sel.route]
    width = c.placement.note_wrap
    head = text(route.label, c.lang) if route.label else route.id
    facts = [f"evidence: {route.evidence}"]
    if route.species.label != "Homo sapiens":
        facts.append(f"species: {route.species.label}")
    lines = [wrap(f"<b>{head}</b> ({'; '.join(facts)})", width + 7)]
    if route.note:
        lines.append(wrap(text(route.note, c.lang), width))
    return "<br>".join(lines)


def _dispute_note(c: Canvas) -> None:
    """The route's note, or what the sources disagree on, under the legend of a standalone
    figure (the page shows both beside the figure)."""
    if not c.sel.route or not c.placement.notes:
        return
    disputed = bool(c.sel.dispute)
    c.annotations.append(
        {
            "name": names.DISPUTE_NOTE if disputed else names.ROUTE_NOTE,
            "text": dispute_text(c) if disputed else route_note_text(c),
            "x": 0.0,
            "y": c.placement.note_y,
            "xref": "paper",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "top",
            "align": "left",
            "showarrow": False,
            "bgcolor": style.NOTE_FILL if disputed else style.TRANSPARENT,
            "bordercolor": style.VERMILLION if disputed else style.TRANSPARENT,
            "borderwidth": 1.5 if disputed else 0,
            "borderpad": 5,
            "font": {"size": c.placement.label_size, "color": style.INK},
        }
    )


# --------------------------------------------------------------------------- layout


def _axes(c: Canvas) -> dict:
    out: dict = {}
    for panel, suffix in AXES.items():
        place = c.placement.panels[panel]
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


def _scene_layout(c: Canvas) -> dict:
    """The scene's layout: size, paper, fonts, hover and the panels' axes."""
    return {
        "height": c.placement.height,
        "margin": {"l": MARGIN, "r": MARGIN, "t": MARGIN, "b": MARGIN},
        "paper_bgcolor": style.PAPER,
        "plot_bgcolor": style.PAPER,
        "font": {"family": style.FONT, "color": style.INK, "size": c.placement.small_text},
        "hovermode": "closest",
        "hoverlabel": {
            "bgcolor": style.WHITE,
            "bordercolor": style.FAINT,
            "font": {"size": c.placement.small_text, "color": style.INK},
            "align": "left",
        },
        "dragmode": False,
        # nothing on the figure is selected by dragging: the mode bar offers only the download
        "modebar": {"remove": ["select2d", "lasso2d"]},
        **_axes(c),
    }


def _layer_layout(c: Canvas, speed: float) -> dict:
    """The layout keys the layer owns: legend, meta (with the playback timing), player."""
    placement = c.placement
    tall = placement.arrangement == "tall"
    layout: dict = {
        "showlegend": bool(c.legend),
        "legend": {
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": placement.legend_y,
            "yanchor": "top",
            "font": {"size": placement.label_size},
            "bgcolor": style.TRANSPARENT,
            "itemclick": False,
            "itemdoubleclick": False,
            # fixed widths: the rows are as many as the placement kept room for
            "entrywidth": legend_entry_px(placement.label_size),
            "entrywidthmode": "pixels",
        },
        "meta": {
            "arrangement": placement.arrangement,
            "width": placement.width,  # the width it was laid out for (the page re-asks if its box differs)
            "lang": c.sel.lang,
            "route": c.sel.route,
            "steps": len(c.steps),
            "step": c.step,
            # Per step: its name, its stage and the id of the mechanism that explains it (for the
            # panels' links and a reveal that runs in the browser).
            "step_names": [s.name for s in c.steps],
            "step_stages": [s.stage for s in c.steps],
            "step_mechanisms": [s.mechanism for s in c.steps],
            "layers": sorted(c.sel.layers),
            # Playback at 1x, one timing for the page's player (painmap.js) and the exports.
            "playback": {"frame_ms": style.FRAME_MS, "transition_ms": style.TRANSITION_MS},
            # The speed chosen: the exports' slider and buttons play at it; on the page, a new
            # speed is a new figure, which the player takes up at its own step (painmap.js, newFigure).
            "speed": min(SPEEDS, key=lambda s: abs(s - speed)),
        },
    }
    if c.steps and placement.arrangement != "embed":  # an embed's page has the player
        speed = min(SPEEDS, key=lambda s: abs(s - speed))
        frame_args = {
            "mode": "immediate",
            "frame": {"duration": 0, "redraw": False},
            "transition": {"duration": int(style.TRANSITION_MS / speed), "easing": "cubic-in-out"},
        }
        layout["sliders"] = [
            {
                "active": c.step,
                "steps": [
                    {"label": str(i + 1), "method": "animate", "args": [[str(i)], frame_args]}
                    for i in range(len(c.steps))
                ],
                "x": 0.0 if tall else 0.2,
                "len": 1.0 if tall else 0.8,
                "y": 0.0,
                "yanchor": "bottom",
                "pad": {"t": 0, "b": 0, "l": 10, "r": 10},
                "currentvalue": {"visible": False},
                "font": {"size": placement.label_size},
                "bgcolor": style.SLIDER_FILL,
                "activebgcolor": style.LIT,
                "bordercolor": style.FAINT,
                "ticklen": 4,
                "name": names.STEPS_SLIDER,
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
                "font": {"size": placement.small_text},
                "name": names.PLAYBACK_MENU,
                "buttons": [
                    {"label": "Play", "method": "animate", "args": _play_args(speed), "name": names.PLAY_BUTTON},
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
                        "name": names.PAUSE_BUTTON,
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
                "font": {"size": placement.label_size},
                "name": names.SPEED_MENU,
                "buttons": [
                    {"label": f"{s:g}x", "method": "animate", "args": _play_args(s), "name": names.speed_button(s)}
                    for s in SPEEDS
                ],
            },
        ]
    return layout


def _frames(c: Canvas) -> list[dict]:
    """One sparse frame per step: only the moving traces, only what moves.

    A trace the story reveals changes only its opacity: its entry is that alone (plotly keeps
    the trace's type), a few bytes a frame.
    """
    if not c.steps:
        return []
    indices = sorted(c.moving)

    def entry(patch: dict) -> dict:
        return dict(patch) if set(patch) == {"opacity"} else {"type": "scatter", **patch}

    return [
        {
            "name": str(k),
            "traces": list(indices),
            "data": [entry(c.moving[i][k]) for i in indices],
        }
        for k in range(len(c.steps))
    ]
