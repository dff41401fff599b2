"""Where the panels go: "wide" (about 1280x800, side by side) or "tall" (a 390-pixel phone).

Every panel is an x/y axis pair in the dataset's 0..100 coordinates with ``scaleanchor`` so
shapes keep their aspect; domains are computed in pixels so no panel is squeezed.
"""

from __future__ import annotations

from dataclasses import dataclass

ARRANGEMENTS = ("wide", "tall")
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
    #: Paper y of the bottom of the play, pause and speed buttons.
    buttons_y: float
    #: Pixels per data unit of each panel.
    px_per_unit: dict[str, float]
    caption_wrap: int
    caption_size: int
    label_size: int
    note_wrap: int


#: Smallest text on the figure (CSS pixels), and the larger size for wide screens.
LABEL_SIZE = 12
LABEL_SIZE_WIDE = 14
#: Figure width (CSS pixels) from which labels take the larger size (a 1920-wide window's graph).
WIDE_FROM = 1400


def label_size_for(width: int) -> int:
    """The labels' font size for a figure ``width`` pixels wide: never under 12 px."""
    return LABEL_SIZE_WIDE if width >= WIDE_FROM else LABEL_SIZE


def _paper_y(px_from_top: float, height: int) -> float:
    return max(0.0, min(1.0, 1 - px_from_top / (height - 2 * MARGIN)))


#: The width (CSS pixels) each arrangement is designed for, and the narrowest it accepts.
DESIGN_WIDTH = {"wide": 1280, "tall": 390}
MIN_WIDTH = {"wide": 760, "tall": 300}


def place(
    ranges: dict[str, tuple[tuple[float, float], tuple[float, float]]], arrangement: str, width: int | None = None
) -> Placement:
    """Domains for panels with the given data ranges (keys: anatomy, cord, horn, front, back)."""
    units = {k: r[0][1] - r[0][0] for k, r in ranges.items()}
    design = DESIGN_WIDTH[arrangement]
    width = max(MIN_WIDTH[arrangement], min(int(width or design), 2 * design))
    if arrangement == "tall":
        rows = [["anatomy"], ["cord", "horn"], ["front", "back"]]
        caption_px, title_px, gap, tail_px = 96, 24, 6, 430
    else:
        rows = [["anatomy", "cord", "horn", "front", "back"]]
        # Text keeps its size on a narrower figure, so lines wrap sooner and need more room.
        caption_px, title_px, gap, tail_px = 76, 24, 10, round(200 * max(1.0, design / width))
    inner_w = width - 2 * MARGIN
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
        note_y=_paper_y(top + (round(62 * max(1.0, design / width)) if arrangement == "wide" else 162), height),
        buttons_y=0.0 if arrangement == "wide" else round(62 / (height - 2 * MARGIN), 4),
        caption_wrap=round((44 if arrangement == "tall" else 120) * width / design),
        caption_size=14 if arrangement == "tall" else 16,
        label_size=label_size_for(width),
        note_wrap=round((58 if arrangement == "tall" else 150) * width / design),
    )
