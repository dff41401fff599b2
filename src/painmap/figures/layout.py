"""Where the panels go: "wide" (about 1280x800, side by side), "tall" (a 390-pixel phone) or
"embed" (side by side in a lesson's iframe, whose page has its own player: no slider, and a
two-line caption on a narrow frame, so that figure and player fit 680x520).

Every panel is an x/y axis pair in the dataset's 0..100 coordinates with ``scaleanchor`` so
shapes keep their aspect; domains are computed in pixels so no panel is squeezed.
"""

from __future__ import annotations

from dataclasses import dataclass

ARRANGEMENTS = ("wide", "tall", "embed")
MARGIN = 8

#: Axis suffix of each panel ("" for the first pair: xaxis/yaxis).
AXES = {"caption": "", "anatomy": "2", "cord": "3", "horn": "4", "front": "5", "back": "6"}


@dataclass(frozen=True)
class PanelPlace:
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    domain_x: tuple[float, float]
    domain_y: tuple[float, float]


@dataclass(frozen=True)
class Placement:
    """Pixel sizes and paper positions of one arrangement."""

    arrangement: str
    width: int
    height: int
    panels: dict[str, PanelPlace]
    #: Paper y of the panel titles of each row (panel key -> y).
    title_y: dict[str, float]
    legend_y: float
    note_y: float
    #: Whether the route's note is drawn in the figure (a standalone figure) or beside it (the page).
    notes: bool
    #: Paper y of the bottom of the play, pause and speed buttons.
    buttons_y: float
    #: Pixels per data unit of each panel.
    px_per_unit: dict[str, float]
    #: Lines a panel's title may take (two on a narrow figure, wrapped to the panel's width).
    title_lines: int
    caption_wrap: int
    #: Lines the caption's bold head may take (then its italic term).
    caption_lines: int
    caption_size: int
    label_size: int
    note_wrap: int
    #: Patient mode's large text (every text at least ``LABEL_SIZE_LARGE``).
    large: bool = False

    @property
    def small_text(self) -> int:
        """Size of the figure's secondary text (hover boxes, buttons): 12 px, or the labels'
        size when the figure is large."""
        return self.label_size if self.large else LABEL_SIZE


#: Smallest text on the figure (CSS pixels), and the larger size for wide screens.
LABEL_SIZE = 12
LABEL_SIZE_WIDE = 14
#: Smallest text of a large figure (patient mode: "figure labels 16 px or more" at any width).
LABEL_SIZE_LARGE = 16
#: Figure width (CSS pixels) from which labels take the larger size (the graph of a 1920-wide
#: window is about 1270 px wide; of a 1280-wide one, 970).
WIDE_FROM = 1200


def label_size_for(width: int, large: bool = False) -> int:
    """The labels' font size for a figure ``width`` pixels wide: never under 12 px (16 when
    ``large``)."""
    if large:
        return LABEL_SIZE_LARGE
    return LABEL_SIZE_WIDE if width >= WIDE_FROM else LABEL_SIZE


def _paper_y(px_from_top: float, height: int) -> float:
    return max(0.0, min(1.0, 1 - px_from_top / (height - 2 * MARGIN)))


#: The width (CSS pixels) each arrangement is designed for, and the narrowest it accepts.
DESIGN_WIDTH = {"wide": 1280, "tall": 390, "embed": 1280}
MIN_WIDTH = {"wide": 600, "tall": 300, "embed": 600}


#: Figure width (CSS pixels) under which the side-by-side panels' titles wrap.
TITLES_WRAP_UNDER = 900
#: Legend entries a view can show at most (fibres, signals, pain, strain...): room is kept for them.
LEGEND_ENTRIES = 12
#: Characters of a legend entry's text that fit its fixed width (longer ones are shortened).
LEGEND_CHARS = 24
#: Characters the longest caption has room for (a longer one ends in an ellipsis; the page
#: shows it whole in the steps list).
CAPTION_CHARS = 200


def legend_entry_px(label_size: int) -> int:
    """Width of a legend entry's text (plotly's ``entrywidth``): ``LEGEND_CHARS`` characters."""
    return round(0.55 * label_size * LEGEND_CHARS)


def legend_per_row(inner_w: float, label_size: int) -> int:
    """Legend entries per row: the text's width plus plotly's 40 px symbol and a gap each."""
    return max(1, int(inner_w // (legend_entry_px(label_size) + 50)))


def _legend_px(inner_w: float, label_size: int) -> int:
    """Height of the legend's rows, room for ``LEGEND_ENTRIES`` entries."""
    rows = -(-LEGEND_ENTRIES // legend_per_row(inner_w, label_size))
    return round(rows * 1.9 * label_size + 4)


def caption_size_for(width: int, arrangement: str, large: bool = False) -> int:
    """The caption's font size: 16 px, 14 px on a phone or a narrow figure; ``large``: 18 px,
    16 px on a phone or a narrow figure."""
    small = arrangement == "tall" or width < TITLES_WRAP_UNDER
    if large:
        return 16 if small else 18
    return 14 if small else 16


def caption_head_lines(width: int, arrangement: str, large: bool = False) -> tuple[int, int]:
    """(characters per line, lines) of the caption's bold head at this width (an embed keeps
    to two: its page shows the whole caption under the player)."""
    per_px = (44 / DESIGN_WIDTH["tall"]) if arrangement == "tall" else (120 / DESIGN_WIDTH["wide"])
    reference = 14 if arrangement == "tall" else 16  # the size those characters per pixel are of
    per_line = round(per_px * width * reference / caption_size_for(width, arrangement, large))
    lines = max(2, -(-CAPTION_CHARS // per_line))
    return per_line, min(lines, 2) if arrangement == "embed" and width < TITLES_WRAP_UNDER else lines


def place(
    ranges: dict[str, tuple[tuple[float, float], tuple[float, float]]],
    arrangement: str,
    width: int | None = None,
    notes: bool = False,
    large: bool = False,
) -> Placement:
    """Domains for panels with the given data ranges (keys: anatomy, cord, horn, front, back).

    ``large`` (patient mode): every text 16 px or more; the label placer then leaves out or
    moves what no longer fits.

    Under the panels come the legend, then (``notes``: a standalone figure, whose page does not
    show the route's note and sources beside it) room for the note, then the steps slider.
    """
    units = {k: r[0][1] - r[0][0] for k, r in ranges.items()}
    design = DESIGN_WIDTH[arrangement]
    width = max(MIN_WIDTH[arrangement], min(int(width or design), 2 * design))
    label_size = label_size_for(width, large)
    inner_w = width - 2 * MARGIN
    caption_size = caption_size_for(width, arrangement, large)
    title_lines = 1
    caption_wrap, caption_lines = caption_head_lines(width, arrangement, large)
    caption_px = round((caption_lines + 1) * 1.25 * caption_size + 12)
    legend_px = _legend_px(inner_w, label_size)
    if arrangement == "tall":
        rows = [["anatomy"], ["cord", "horn"], ["front", "back"]]
        title_px, gap = 24, 6
        note_px = 170 if notes else 0
        player_px = 70  # slider, and the play buttons above it in a standalone figure
    else:
        rows = [["anatomy", "cord", "horn", "front", "back"]]
        title_px, gap = 24, 10
        # the narrow panels' titles take two lines (sooner when the text is larger)
        if width < TITLES_WRAP_UNDER * label_size / LABEL_SIZE:
            title_lines, title_px = 2, 2 * round(1.25 * (label_size + 1)) + 6
        # Text keeps its size on a narrower figure, so lines wrap sooner and need more room.
        note_px = round(130 * max(1.0, design / width)) if notes else 0
        player_px = 0 if arrangement == "embed" else 44
    tail_px = 6 + legend_px + note_px + player_px
    row_px: list[tuple[list[str], float]] = []
    for row in rows:
        total_units = sum(units[k] for k in row)
        per_unit = (inner_w - gap * (len(row) - 1)) / total_units
        row_px.append((row, per_unit))
    body_px = sum(per_unit * 100 + title_px for _, per_unit in row_px)
    height = round(caption_px + body_px + tail_px + 2 * MARGIN)
    panels: dict[str, PanelPlace] = {}
    title_y: dict[str, float] = {}
    px_per_unit = {key: per_unit for row, per_unit in row_px for key in row}
    top: float = caption_px
    for row, per_unit in row_px:
        x = 0.0
        panel_px = per_unit * 100
        for key in row:
            w = units[key] * per_unit
            panels[key] = PanelPlace(
                x_range=ranges[key][0],
                y_range=ranges[key][1],
                domain_x=(round(x / inner_w, 4), round(min(1.0, (x + w) / inner_w), 4)),
                domain_y=(
                    round(_paper_y(top + title_px + panel_px, height), 4),
                    round(_paper_y(top + title_px, height), 4),
                ),
            )
            title_y[key] = _paper_y(top + title_px - 4, height)
            x += w + gap
        top += title_px + panel_px
    panels["caption"] = PanelPlace((0, 100), (0, 100), (0.0, 1.0), (round(_paper_y(caption_px, height), 4), 1.0))
    return Placement(
        arrangement=arrangement,
        width=width,
        height=height,
        panels=panels,
        title_y=title_y,
        px_per_unit=px_per_unit,
        legend_y=_paper_y(top + 6, height),
        note_y=_paper_y(top + 6 + legend_px, height),
        notes=notes,
        buttons_y=0.0 if arrangement == "wide" else round(40 / (height - 2 * MARGIN), 4),
        title_lines=title_lines,
        caption_wrap=caption_wrap,
        caption_lines=caption_lines,
        caption_size=caption_size,
        label_size=label_size,
        note_wrap=round((58 if arrangement == "tall" else 150) * width / design),
        large=large,
    )
