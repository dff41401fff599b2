"""A figure part under construction: plain-dict traces, shapes and annotations per panel.

Both builders draw on a Canvas: :func:`painmap.figures.scene` with a selection of nothing
(only language and view), :func:`painmap.figures.route_layer` with the user's selection.
Traces are plain dicts (plotly validation is slow; the figure is validated once at the
end). A *moving* trace has one patch per animation step: the layer's base data shows
the current step, and each frame carries only the moving traces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from painmap.i18n import gettext
from painmap.figures import names, style
from painmap.figures.geometry import Box, Pt, overlaps, polylines_xy, svg_path, text_box, wrap
from painmap.figures.layout import AXES, LEGEND_CHARS, Placement
from painmap.figures.selection import Selection
from painmap.figures.steps import Step, without_aside
from painmap.model import Dataset, FibreStyle, Outline, text

#: Where a legend-only trace keeps its one point: outside every panel's range (clipped away).
OFF_PANEL = -1000.0


@dataclass(frozen=True)
class Label:
    """A text on the picture, at an anchor point, shown at the steps ``shown`` says (every step
    when None)."""

    x: float
    y: float
    words: str
    size: int
    colour: str
    position: str
    priority: int = 0
    shown: tuple[bool, ...] | None = None

    def box(self, char: float, line: float, dx: float = 0.0, dy: float = 0.0) -> Box:
        """Approximate box of the text, from its anchor point and position (moved by dx, dy)."""
        vertical, horizontal = self.position.split()
        x, y = self.x + dx, self.y + dy
        x0, y0, x1, y1 = text_box(x, y, self.words, char, line)
        width, height = x1 - x0, y1 - y0
        if horizontal == "right":
            x0, x1 = x, x + width
        elif horizontal == "left":
            x0, x1 = x - width, x
        if vertical == "bottom":
            y0, y1 = y - height, y
        elif vertical == "top":
            y0, y1 = y, y + height
        return x0, y0, x1, y1


@dataclass(frozen=True)
class Fibre:
    """How a fibre type is drawn: colour, dash and marker symbol (never colour alone)."""

    key: str
    label: str
    colour: str
    dash: str
    symbol: str


@dataclass
class Canvas:
    ds: Dataset
    sel: Selection
    steps: list[Step]
    step: int
    placement: Placement
    traces: list[dict] = field(default_factory=list)
    shapes: list[dict] = field(default_factory=list)
    annotations: list[dict] = field(default_factory=list)
    #: trace index -> one patch per step
    moving: dict[int, list[dict]] = field(default_factory=dict)
    #: panel -> labels, drawn as one text trace per panel
    labels: dict[str, list[Label]] = field(default_factory=dict)
    #: legend key -> legend-only trace
    legend: dict[str, dict] = field(default_factory=dict)
    #: panel -> boxes labels keep off (texts drawn as annotations)
    reserved: dict[str, list[Box]] = field(default_factory=dict)
    _sources: dict[str, list[str]] | None = None

    # ------------------------------------------------------------------ adding

    def axes(self, panel: str) -> dict:
        suffix = AXES[panel]
        return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}

    def add(self, panel: str, trace: dict) -> int:
        trace.setdefault("type", "scatter")
        trace.setdefault("showlegend", False)
        trace.update(self.axes(panel))
        self.traces.append(trace)
        return len(self.traces) - 1

    def add_moving(self, panel: str, trace: dict, patches: Sequence[dict], always: bool = False) -> int:
        """A trace that changes per step; ``patches`` has one dict per step (x, y, text...).

        Frames list it only when it does change, unless ``always``.
        """
        if patches:
            assert len(patches) == len(self.steps), (trace.get("name"), len(patches), len(self.steps))
            trace = {**trace, **patches[self.step]}
        index = self.add(panel, trace)
        if patches and (always or any(p != patches[0] for p in patches)):
            self.moving[index] = [dict(p) for p in patches]
        return index

    def step_index(self, *keys: str) -> int | None:
        """Index of the first step named or of the kind of one of ``keys``; None when none is."""
        for i, step in enumerate(self.steps):
            if step.name in keys or step.kind in keys:
                return i
        return None

    def shown_from(self, *keys: str) -> list[bool] | None:
        """Per step, whether the first step named or of the kind of one of ``keys`` has come
        (None when there is no such step: always shown)."""
        at = self.step_index(*keys)
        return None if at is None else [i >= at for i in range(len(self.steps))]

    def add_revealed(self, panel: str, trace: dict, *keys: str) -> int:
        """A trace the story reveals: hidden (opacity 0) until the first step named or of the
        kind of one of ``keys``, drawn as given from then on; always drawn when the view has no
        animation or no such step. Its ``meta.step`` names the step that lights it.

        Only the trace's opacity changes from step to step, so each frame carries a few bytes
        for it (a hidden nerve keeps its hover: the scene draws its outline there).
        """
        at = self.step_index(*keys)
        if at is None:
            return self.add(panel, trace)
        meta = trace.get("meta")
        trace = {**trace, "meta": {**(meta if isinstance(meta, dict) else {}), "step": self.steps[at].name}}
        shown = trace.get("opacity", 1)
        return self.add_moving(panel, trace, [{"opacity": shown if i >= at else 0} for i in range(len(self.steps))])

    def shape(self, panel: str, points: Sequence[Pt], closed: bool = True, **props) -> None:
        suffix = AXES[panel]
        shape = {
            "type": "path",
            "path": svg_path(points, closed),
            "xref": f"x{suffix}",
            "yref": f"y{suffix}",
            "layer": "below",
            "line": {"color": style.SCAFFOLD_LINE, "width": 1},
        }
        if closed:
            shape["fillcolor"] = style.SCAFFOLD_FILL
        shape.update(props)
        self.shapes.append(shape)

    def label(
        self,
        panel: str,
        x: float,
        y: float,
        words: str,
        size: int | None = None,
        colour: str = style.INK,
        position: str = "middle center",
        priority: int = 0,
        shown: Sequence[bool] | None = None,
    ) -> None:
        """A text on the picture at (x, y), shown at every step or where ``shown`` (one flag per
        step) says. :meth:`flush_labels` places every label of a panel together, so that no two
        overlap at any step: a crowded one moves (with a leader line) or, lowest priority first,
        is left out (its name stays on hover and in the side panels)."""
        pattern = tuple(bool(v) for v in shown) if shown is not None and self.steps else None
        if pattern is not None and all(pattern):
            pattern = None
        if pattern is not None and not any(pattern):
            return
        words = gettext(self.lang, words)  # painmap's own words (marked N_ where written) in the view's language
        self.labels.setdefault(panel, []).append(
            Label(x, y, words, max(size or 0, self.placement.label_size), colour, position, priority, pattern)
        )

    def reserve(self, panel: str, box: Box) -> None:
        """Keep labels off ``box`` (data units of ``panel``): a text drawn another way."""
        self.reserved.setdefault(panel, []).append(box)

    def legend_entry(self, key: str, label: str, trace: dict) -> None:
        """A legend-only entry (its display text is ``label``; it draws nothing)."""
        if key in self.legend:
            return
        self.legend[key] = {
            "type": "scatter",
            "name": legend_text(gettext(self.lang, label)),  # marked N_ where written
            # one point far outside the panel, clipped away: a trace with no point has no legend
            # entry, and a None point is drawn at the panel's corner mid-transition
            "x": [OFF_PANEL],
            "y": [OFF_PANEL],
            "showlegend": True,
            "legendgroup": key,
            "hoverinfo": "skip",
            "meta": names.legend(key),
            **trace,
        }

    def flush_labels(self) -> None:
        """The panels' labels as text traces: one per panel and pattern of steps that shows
        them, with their leader lines; none when the labels layer is off."""
        if not self.sel.has("labels"):
            return
        for panel, items in self.labels.items():
            groups: dict[tuple[bool, ...] | None, list[tuple[Label, Pt | None]]] = {}
            for placed, leader in self._placed_labels(panel, items):
                groups.setdefault(placed.shown, []).append((placed, leader))
            for number, (pattern, group) in enumerate(groups.items()):
                suffix = "" if number == 0 else f"/{number}"
                kept = [item for item, _ in group]
                text_trace = {
                    "name": names.per_panel(names.LABELS, panel) + suffix,
                    "mode": "text",
                    "x": [round(item.x, 2) for item in kept],
                    "y": [round(item.y, 2) for item in kept],
                    "text": [item.words for item in kept],
                    "textposition": [item.position for item in kept],
                    "textfont": {
                        "size": [item.size for item in kept],
                        "color": [item.colour for item in kept],
                        "family": style.FONT,
                        "shadow": style.HALO,
                    },
                    "hoverinfo": "skip",
                    "cliponaxis": False,
                }
                leaders = [(item, end) for item, end in group if end is not None]
                traces = [text_trace]
                if leaders:
                    xs: list[float | None] = []
                    ys: list[float | None] = []
                    for item, (x, y) in leaders:
                        xs += [round(x, 2), round(item.x, 2), None]
                        ys += [round(y, 2), round(item.y, 2), None]
                    traces.append(
                        {
                            "name": names.per_panel(names.LEADERS, panel) + suffix,
                            "mode": "lines",
                            "x": xs[:-1],
                            "y": ys[:-1],
                            "line": {"color": style.MUTED, "width": 0.8},
                            "hoverinfo": "skip",
                        }
                    )
                for trace in traces:
                    if pattern is None:
                        self.add(panel, trace)
                    else:
                        self.add_moving(panel, trace, [{"opacity": 1 if on else 0} for on in pattern])

    def _placed_labels(self, panel: str, items: list[Label]) -> list[tuple[Label, Pt | None]]:
        """Labels moved (up to a few lines, or to the side) so no two boxes meet and each stays
        inside its panel; each with the anchor point of its leader line when it moved far."""
        place = self.placement.panels.get(panel)
        bounds = (
            (min(place.x_range), min(place.y_range), max(place.x_range), max(place.y_range))
            if place is not None
            else None
        )
        taken: list[Box] = list(self.reserved.get(panel, ()))
        kept: list[tuple[Label, Pt | None]] = []
        for item in sorted(items, key=lambda it: -it.priority):
            char, line = self.text_units(panel, item.size)
            x0, y0, x1, y1 = item.box(char, line)
            width = x1 - x0
            if bounds is not None and (width > bounds[2] - bounds[0] or y1 - y0 > bounds[3] - bounds[1]):
                continue  # wider than its panel (a narrow figure): hover still names it
            # a minor label (priority below 0) only shifts a little, never to a leader line
            reach = (1,) if item.priority < 0 else (1, 2, 3, 4)
            moves = [(0.0, 0.0)] + [
                (dx, dy)
                for k in reach
                for dx, dy in ((0.0, -k * line), (0.0, k * line), (-k * width / 2, 0.0), (k * width / 2, 0.0))
                if item.priority >= 0 or dx == 0
            ]
            for dx, dy in moves:
                dx, dy = self._inside(item.box(char, line, dx, dy), bounds, dx, dy)
                box = item.box(char, line, dx, dy)
                if any(overlaps(box, other) for other in taken):
                    continue
                taken.append(box)
                moved = replace(item, x=item.x + dx, y=item.y + dy)
                far = abs(dy) > 1.2 * line or abs(dx) > 0.6 * width
                kept.append((moved, (item.x, item.y) if far else None))
                break
        return kept

    @staticmethod
    def _inside(box: Box, bounds: Box | None, dx: float, dy: float) -> tuple[float, float]:
        """(dx, dy) changed so that ``box`` (already moved by them) lies within ``bounds``."""
        if bounds is None:
            return dx, dy
        x0, y0, x1, y1 = box
        if x0 < bounds[0]:
            dx += bounds[0] - x0
        elif x1 > bounds[2]:
            dx -= x1 - bounds[2]
        if y0 < bounds[1]:
            dy += bounds[1] - y0
        elif y1 > bounds[3]:
            dy -= y1 - bounds[3]
        return dx, dy

    def text_units(self, panel: str, size: int | None = None) -> tuple[float, float]:
        """(width of a character, height of a line) of label text in ``panel``'s units: generous,
        so a label's box holds its drawn text (bold Arial capitals included)."""
        size = size or self.placement.label_size
        per_unit = self.placement.px_per_unit.get(panel, 4.0)
        return 0.62 * size / per_unit, 1.3 * size / per_unit

    # ------------------------------------------------------------------ look-ups

    @property
    def lang(self) -> str:
        return self.sel.lang

    def label_of(self, entity) -> str:
        """An entity's name on the figure: its label, or in patient mode (a large figure) its
        everyday words (``Dataset.plain_words``, else the label without its aside)."""
        if self.placement.large:
            from painmap.plain import plain_name  # painmap.plain reads figures.steps: import late

            words = plain_name(self.ds, entity.id, self.lang)
            return words[:1].upper() + words[1:]
        return text(entity.label, self.lang)

    def outlines(self, entity_id: str, view: str) -> list[Outline]:
        return [o for o in self.ds.outlines.get(entity_id, ()) if o.view == view]

    def fibre(self, key: str) -> Fibre:
        found: FibreStyle | None = next((v for k, v in self.ds.fibre_styles.items() if k == key), None)
        if found is not None:
            label = text(found.label, self.lang)
            if self.placement.large:  # patient mode: 'Sensory (afferent)' -> 'Sensory'
                label = without_aside(label)
            return Fibre(key, label, found.colour, found.dash, found.symbol)
        colour, dash, symbol = style.DEFAULT_FIBRE.get(key, style.DEFAULT_FIBRE["sensory"])
        return Fibre(key, key.capitalize(), colour, dash, symbol)

    def fibre_legend(self, fibre: Fibre) -> None:
        self.legend_entry(
            f"fibre-{fibre.key}",
            fibre.label,
            {
                "mode": "lines+markers",
                "line": {"color": fibre.colour, "dash": fibre.dash, "width": 2.5},
                "marker": {"symbol": fibre.symbol, "color": fibre.colour, "size": 8},
            },
        )

    def sources_of(self, entity_id: str) -> list[str]:
        """Ids of the sources behind an entity (via the routes and inputs that use it)."""
        if self._sources is None:
            found: dict[str, dict[str, None]] = {}  # per entity, its sources in first-seen order

            def note(key: str, source_ids) -> None:
                found.setdefault(key, {}).update(dict.fromkeys(source_ids))

            for route in self.ds.routes:
                for key in (
                    route.part,
                    route.organ,
                    *route.chain,
                    *route.zones,
                    *route.strains,
                    *(route.segments or ()),
                ):
                    note(key, route.sources)
            for given in self.ds.somatic_inputs:
                for key in (given.nerve, given.target, *given.segments):
                    note(key, given.sources)
            self._sources = {key: list(ids) for key, ids in found.items()}
        return self._sources.get(entity_id, [])

    def hover(self, entity, extra: str = "", sources: list[str] | None = None) -> str:
        """Name, ontology id ('(broader term)' when broader) and the sources' titles."""
        lines = [f"<b>{self.label_of(entity)}</b>"]
        ontology = getattr(entity, "ontology", None)
        if ontology:
            broader = getattr(entity, "ontology_match", "exact") == "broader"
            lines.append(f"{ontology}{' ' + gettext(self.lang, '(broader term)') if broader else ''}")
        if extra:
            lines.append(extra)
        return self.hover_text(lines, self.sources_of(entity.id) if sources is None else sources)

    def hover_text(self, lines: list[str], source_ids: list[str]) -> str:
        """Hover lines followed by the titles of ``source_ids``."""
        titles = [self.ds.source[s].title for s in source_ids if s in self.ds.source]
        if titles:
            more = [gettext(self.lang, "... and {count} more").format(count=len(titles) - 4)] if len(titles) > 4 else []
            shown = titles[:4] + more
            lines = [*lines, gettext(self.lang, "Sources:") + "<br>" + "<br>".join(wrap("- " + t, 70) for t in shown)]
        return "<br>".join(lines)

    # ------------------------------------------------------------------ small builders

    def area_trace(self, name: str, polygons: Sequence[Sequence[Pt]], hovertext: str, **props: object) -> dict:
        """A filled area (fill 'toself'); hover on the fill and on its outline shows ``hovertext``.

        A click target's id is its ``name`` (see :func:`names.entity_of_trace`), once per trace.
        """
        xs, ys = polylines_xy(polygons, close=True)
        trace: dict[str, object] = {
            "name": name,
            "mode": "lines",
            "x": xs,
            "y": ys,
            "fill": "toself",
            "hoveron": "fills+points",
            "text": hovertext,
            "hoverinfo": "text",
        }
        trace.update(props)
        return trace

    def step_patches(self, fn) -> list[dict]:
        """``fn(step, index)`` for each step (an empty list when there is no animation)."""
        return [fn(step, i) for i, step in enumerate(self.steps)]


def legend_text(label: str) -> str:
    """A legend entry's text, short enough for its fixed width (the aside in brackets goes first)."""
    if len(label) <= LEGEND_CHARS:
        return label
    label = without_aside(label)
    return label if len(label) <= LEGEND_CHARS else label[: LEGEND_CHARS - 1].rstrip() + "\u2026"


#: The markup painmap's own figure texts use: plotly.js draws these and no more of ours.
OWN_MARKUP = ("<b>", "</b>", "<i>", "</i>", "<br>", "<sup>", "</sup>", "<sub>", "</sub>", "<extra>", "</extra>")
_OWN_MARKUP = re.compile("|".join(re.escape(tag.replace("<", "&lt;").replace(">", "&gt;")) for tag in OWN_MARKUP))
#: The keys whose text plotly.js draws as markup: trace texts, hovers, legend names, annotations, titles, buttons.
_TEXT_KEYS = frozenset({"text", "hovertext", "hovertemplate", "texttemplate", "name", "label"})
#: Keys plotly never draws as text (ids, data for the page's code): not walked.
_DATA_KEYS = frozenset({"meta", "customdata", "x", "y", "ids", "args", "args2"})


def figure_markup(words: str) -> str:
    """``words`` as plotly.js must draw it: every '<', '>' and '&' escaped except painmap's own
    :data:`OWN_MARKUP` (bold, italics, line breaks), so a dataset text such as
    ``<a href=...>`` shows as written, never as a live link or a style."""
    if "<" not in words and ">" not in words and "&" not in words:
        return words
    escaped = words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _OWN_MARKUP.sub(lambda m: m.group().replace("&lt;", "<").replace("&gt;", ">"), escaped)


def escaped_markup(value):
    """A figure (or any part of one) with :func:`figure_markup` applied to every text plotly.js
    draws as markup: the one place where dataset text becomes figure text is checked here."""
    if isinstance(value, dict):
        return {
            key: (
                _escaped_text(item)
                if key in _TEXT_KEYS and not isinstance(item, dict)
                else item
                if key in _DATA_KEYS
                else escaped_markup(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [escaped_markup(item) for item in value]
    return value


def _escaped_text(value):
    if isinstance(value, str):
        return figure_markup(value)
    if isinstance(value, list | tuple):
        return [figure_markup(v) if isinstance(v, str) else v for v in value]
    return value


def hidden_points(count: int) -> dict:
    """No points: a hidden signal or cloud (``count`` is how many it has when shown).

    Not ``None`` per point: plotly.js draws a point whose position becomes ``None`` in a
    transition at its subplot's corner until the transition ends (stray markers that flashed
    in the panels' corners); a point that leaves the data fades out instead.
    """
    return {"x": [], "y": []}


def points_patch(points: Sequence[Pt]) -> dict:
    return {"x": [round(p[0], 2) for p in points], "y": [round(p[1], 2) for p in points]}
