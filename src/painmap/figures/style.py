"""Style constants of the figures, in one place (colours, fonts, sizes, panel geometry).

Highlight colours come from the Okabe-Ito palette (safe for colour-blind readers); the
dataset supplies organ colours and fibre styles. Meaning is never carried by colour alone:
fibres also differ in dash and marker symbol, shared segments are hatched, strain is a zigzag,
and a zone felt directly has a solid outline where a referred zone's is dashed. Only what no
frame animates is hatched: plotly.js throws ("e.classed is not a function") when an animation
step redraws a patterned fill.
"""

from __future__ import annotations

import re

FONT = "Arial, Helvetica, sans-serif"
INK = "#2b2b2b"
MUTED = "#6b6b6b"
FAINT = "#b9b4ae"
#: A white halo round every label (CSS text-shadow), so a label stays legible over any fill.
HALO = "0 0 2px #ffffff, 0 0 3px #ffffff, 0 0 4px #ffffff"
PAPER = "white"
WHITE = "#ffffff"
#: Nothing at all: a transparent fill, border or background.
TRANSPARENT = "rgba(0, 0, 0, 0)"

# Okabe-Ito (the ones in use)
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"

#: Segments a route enters (cord, ganglia, dermatome tint).
LIT = ORANGE
#: Where the pain is felt (referred zone).
PAIN = VERMILLION
#: Where pain is felt directly, by a somatic nerve (the somatic phase): not referred (Okabe-Ito blue).
SOMATIC_PAIN = "#0072B2"
#: Shared segments of two compared organs, and the compared organ's outline.
SHARED = GREEN
#: Organ parts highlighted (the chosen part, reverse look-ups): a dark ring, not a signal colour.
HIGHLIGHT = "#1f1f1f"
#: Strained deep structures of a mechanical route.
STRAIN = "#B35C00"
#: Text in the lit and strain colours, dark enough to read (4.5:1 on white).
LIT_TEXT = "#8a5a00"
STRAIN_TEXT = "#8f4a00"
#: Diffuse shading of a systemic route.
SYSTEMIC = PURPLE

SCAFFOLD_LINE = "#cbc3ba"
SCAFFOLD_FILL = "rgba(238, 233, 227, 0.45)"
BODY_FILL = "rgba(244, 239, 233, 1)"
BODY_LINE = "#a89f96"
VERTEBRA_FILL = "#ece7e1"
VERTEBRA_LINE = "#c9c1b8"
CORD_FILL = "#f6f3f0"
CORD_LINE = "#9d958c"
LAMINA_FILLS = ("#f3efe9", "#e9e3db")
#: The dorsal half of the cord around the horn, and the laminae's borders.
CORD_SECTION_FILL = "#fbfaf8"
LAMINA_LINE = "rgba(157, 149, 140, 0.6)"
#: Nerve outlines of the anatomy view before a route lights them.
NERVE_OUTLINE = "rgba(150, 140, 130, 0.45)"
#: Deep structures (muscles, joints): a faint fill and a dotted line.
DEEP_FILL_ANATOMY = "rgba(160, 120, 100, 0.06)"
DEEP_FILL_BODY = "rgba(150, 110, 90, 0.05)"
DEEP_LINE = "rgba(150, 110, 90, 0.45)"
#: Skin zones: almost clear (so a click lands on them), or a white card for a placeholder.
ZONE_FILL = "rgba(255, 255, 255, 0.02)"
ZONE_FILL_PLACEHOLDER = "rgba(255, 255, 255, 0.55)"
#: The in-figure player's slider, and the box of a 'sources disagree' note.
SLIDER_FILL = "#f2efeb"
NOTE_FILL = "rgba(255, 255, 255, 0.95)"
DERMATOME_TINTS = {"even": (118, 150, 190), "odd": (150, 178, 160), "lit": (230, 159, 0)}

#: Fallback fibre styles if a dataset lacks one (colour, dash, symbol).
DEFAULT_FIBRE = {
    "sensory": ("#2A62F6", "solid", "circle"),
    "sympathetic": ("#EA3423", "dash", "triangle-up"),
    "parasympathetic": ("#3F8F4A", "dot", "square"),
    "somatic": ("#98561D", "longdash", "diamond"),
    "cns": ("#9B1FC1", "solid", "star"),
    "enteric": ("#C0D040", "dashdot", "x"),
}

#: Markers per travelling signal (a short comet: small tail, big head).
COMET_SIZES = (5, 6, 7, 9, 11, 14)
#: Playback at 1x: how long a step stays, and how long the move between steps takes (ms).
#: The one timing: the figure carries it in layout.meta.playback, and the page's player
#: (assets/painmap.js) reads it from there. 2.2 s lets a reader finish a step's caption.
FRAME_MS = 2200
TRANSITION_MS = 700

# --------------------------------------------------------------------------- fallbacks
# Approximate heights used only where the dataset has no outline to draw.

#: Height (panel y) where a segment's nerves meet the spine in the "abdomen" and "side" views.
SPINE_LEVEL_ABDOMEN = {
    "T9": 87, "T10": 82, "T11": 76, "T12": 70, "L1": 64, "L2": 58, "L3": 52, "L4": 46, "L5": 40,
    "S1": 33, "S2": 28, "S3": 24, "S4": 20, "S5": 17,
}  # fmt: skip
#: x of the spine in each outline view of the anatomy panel (the values of
#: painmap.viewstate.ANATOMY_VIEWS), and of the sympathetic trunks; a view not listed
#: gets the defaults (a front view).
SPINE_X = {"abdomen": 50.0, "side": 85.0}
TRUNK_X = {"abdomen": (43.0, 57.0), "side": (78.0, 78.0)}
SPINE_X_DEFAULT = 50.0
TRUNK_X_DEFAULT = (43.0, 57.0)


def spine_level_anatomy(segment: str) -> float:
    """Panel y of a segment's level in the anatomy views (approximate, for fallbacks)."""
    if segment in SPINE_LEVEL_ABDOMEN:
        return SPINE_LEVEL_ABDOMEN[segment]
    return 100.0 if segment[0] in "CT" else 12.0


def spine_level_body(segment: str) -> float:
    """Panel y of a vertebral level on the standing body (front/back views), approximate."""
    match = re.match(r"([A-Za-z]+)(\d+)", segment)
    if match is None:
        return 49.5
    region, n = match[1], int(match[2])
    if region == "C":
        return 89.0 - 1.0 * n
    if region == "T":
        return 81.0 - 1.4 * (n - 1)
    if region == "L":
        return 64.0 - 1.6 * (n - 1)
    if region == "S":
        return 56.0 - 1.3 * (n - 1)
    return 49.5


#: A plain standing body, used when the dataset has no body silhouette for a view.
FALLBACK_BODY = [
    (47, 86), (44, 88), (43.5, 93), (46, 98), (50, 99), (54, 98), (56.5, 93), (56, 88), (53, 86),
    (53, 84), (63, 82), (67, 79), (69, 66), (71, 52), (68.5, 51), (66, 64), (64, 70), (63, 58),
    (64, 48), (61, 26), (61, 4), (55, 2), (55, 6), (56, 26), (52, 46), (50, 47), (48, 46), (44, 26),
    (45, 6), (45, 2), (39, 4), (39, 26), (36, 48), (37, 58), (36, 70), (34, 64), (31.5, 51),
    (29, 52), (31, 66), (33, 79), (37, 82), (47, 84),
]  # fmt: skip


def rgb_of(colour: str) -> tuple[int, int, int] | None:
    """(r, g, b) of a '#rgb', '#rrggbb(aa)' or 'rgb(a)(...)' colour; None for names and hsl."""
    text = colour.strip()
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits[:3])
        try:
            return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
        except ValueError:
            return None
    match = re.match(r"rgba?\(\s*([0-9.]+)\s*,\s*([0-9.]+)\s*,\s*([0-9.]+)", text)
    if match and "%" not in text:
        r, g, b = (int(float(v)) for v in match.groups())
        return r, g, b
    return None


def with_alpha(colour: str, alpha: float) -> str:
    """``colour`` at ``alpha`` as rgba(); a colour name or hsl comes back as it is."""
    rgb = rgb_of(colour)
    if rgb is None:
        match = re.match(r"hsla?\(\s*([^,]+),\s*([^,]+),\s*([^,)]+)", colour.strip())
        return f"hsla({match[1]}, {match[2]}, {match[3]}, {alpha:.2f})" if match else colour
    return f"rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, {alpha:.2f})"


def darker(colour: str, factor: float = 0.6) -> str:
    """A darker shade for outlines (names and hsl come back unchanged)."""
    rgb = rgb_of(colour)
    if rgb is None:
        return colour
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in rgb))


def rgba(rgb: tuple[int, int, int], alpha: float) -> str:
    return f"rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, {alpha:.2f})"
