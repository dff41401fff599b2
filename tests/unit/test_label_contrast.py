"""Every word on the figure reaches 4.5:1 contrast (WCAG AA) against the white halo it is drawn on."""

from __future__ import annotations

import pytest

from painmap.figures import figure_dict, style
from painmap.loader import load
from painmap.viewstate import ViewState


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb' or 'rgb(a)(r, g, b[, a])'."""
    if colour.startswith("rgb"):
        rgb = [float(v) for v in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    else:
        value = colour.lstrip("#")
        rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def word_colours(fig: dict) -> set[str]:
    """The colours of every text trace and annotation (labels, caption, titles, notes)."""
    found: set[str] = set()
    for trace in fig["data"]:
        if "text" in str(trace.get("mode", "")):
            colour = (trace.get("textfont") or {}).get("color", style.INK)
            found |= set(colour) if isinstance(colour, list) else {colour}
    for note in fig["layout"].get("annotations", []):
        found.add((note.get("font") or {}).get("color", style.INK))
    return found


@pytest.fixture(scope="module")
def ds():
    return load()


def test_every_label_colour_reads_on_white(ds):
    views = [ViewState(), ViewState(zone="flank"), ViewState(segment="L1"), ViewState(organ="bladder", compare="uterus")]
    views += [ViewState(route=route.id, step=99) for route in ds.routes]
    weak = {}
    for state in views:
        for colour in word_colours(figure_dict(ds, state, notes=True)):
            if contrast_on_white(colour) < 4.5:
                weak[colour] = round(contrast_on_white(colour), 2)
    assert weak == {}
    assert style.HALO.count("#ffffff") >= 1, "labels are drawn on a white halo"
