"""The reveal (issue 8), measured on what a user sees: at the first step only the organ part
and the stimulus stand out; the story lights the rest step by step, the skin zone last.

Strongly coloured pixels of the drawn figure (HSV saturation > 0.45 and value > 0.35) at the
last step are at least 1.6 times those at the first step, for every organ of the bundled
dataset and the teacher's heart.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app
from painmap.figures import animation_steps, resolve_selection
from painmap.loader import load
from painmap.viewstate import ViewState
from tests.browser.helpers import figure_ready, svg_texts
from tests.conftest import DATA, EXAMPLES

pytestmark = pytest.mark.browser

#: (dataset, organ): the bundled organs and the teacher's heart.
CASES = [
    *((None, organ) for organ in ("bladder", "uterus", "gut", "kidney", "airways", "prostate", "ovary", "testis")),
    (EXAMPLES / "heart", "heart"),
]
RATIO = 1.6


def png_pixels(png: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, bytes per pixel, raw rows unfiltered) of an 8-bit RGB(A) PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = bpp = 0
    while pos < len(png):
        (size,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + size]
        pos += 12 + size
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * bpp
    out = bytearray(stride * height)
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        out[row * stride : (row + 1) * stride] = line
        previous = line
    return width, height, bpp, bytes(out)


def strong_pixels(png: bytes, saturation: float = 0.45, value: float = 0.35) -> int:
    """Pixels whose HSV saturation > ``saturation`` and value > ``value``."""
    width, height, bpp, data = png_pixels(png)
    count = 0
    low_value = value * 255
    for k in range(0, width * height * bpp, bpp):
        r, g, b = data[k], data[k + 1], data[k + 2]
        high = max(r, g, b)
        if high > low_value and (high - min(r, g, b)) > saturation * high:
            count += 1
    return count


def drawn_at(dash_duo, query: str, steps: int, step: int) -> int:
    """Open ``query`` at ``step``, wait for the figure to show that step, count its strong pixels."""
    dash_duo.driver.get(dash_duo.server_url + "/" + query + f"&step={step}")
    figure_ready(dash_duo)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: f"{step + 1}/{steps} " in svg_texts(dash_duo))
    dash_duo.driver.execute_script("return new Promise(function (r) { setTimeout(r, 400); });")
    png = dash_duo.find_element("#graph").screenshot_as_png
    keep = os.environ.get("PAINMAP_REVEAL_DIR")  # to look at what was measured
    if keep:
        name = query.replace("?", "").replace("&", "_").replace("=", "-")
        (Path(keep) / f"{name}-{step}.png").write_bytes(png)
    return strong_pixels(png)


def reveal_ratio(dash_duo, data, organ: str) -> tuple[int, int]:
    ds = load(data or DATA)
    route = resolve_selection(ds, ViewState(organ=organ)).route
    steps = len(animation_steps(ds, route))
    dash_duo.driver.set_window_size(1280, 800)
    query = f"?organ={organ}"
    return drawn_at(dash_duo, query, steps, 0), drawn_at(dash_duo, query, steps, steps - 1)


@pytest.mark.parametrize(("data", "organ"), CASES, ids=[organ for _, organ in CASES])
def test_pm080_the_story_reveals_itself(dash_duo, data, organ):
    dash_duo.start_server(create_app(data))
    first, last = reveal_ratio(dash_duo, data, organ)
    print(f"reveal {organ}: first {first}, last {last}, ratio {last / max(first, 1):.2f}")
    assert last >= RATIO * first, f"{organ}: {last} strong pixels at the last step vs {first} at the first"
    assert dash_duo.get_logs() == []


#: Visible markers of the figure's traces that sit within 14 px of a panel's corner (the panels
#: are the scene's: the graph that animates draws in one panel over them all).
CORNER_MARKERS_JS = """
var gd = document.querySelector('#graph .js-plotly-plot'), scene = document.querySelector('#graph-scene .js-plotly-plot');
if (!gd || !gd._fullLayout || !scene || !scene._fullLayout) { return '[]'; }
var fl = scene._fullLayout, corners = [], out = [];
Object.keys(fl).forEach(function (k) {
  if (!/^xaxis\\d*$/.test(k)) { return; }
  var xa = fl[k], ya = fl['y' + k.slice(1)]; if (!ya) { return; }
  [[0, 0], [1, 0], [0, 1], [1, 1]].forEach(function (c) {
    corners.push([xa._offset + c[0] * xa._length, ya._offset + c[1] * ya._length]); });
});
var svg = gd.querySelector('svg.main-svg').getBoundingClientRect();
gd.querySelectorAll('g.trace.scatter').forEach(function (g) {
  var cd = g.__data__, name = cd && cd[0] && cd[0].trace ? cd[0].trace.name : '?';
  g.querySelectorAll('path.point').forEach(function (p) {
    if (!p.closest('.cartesianlayer')) { return; }  // the legend's symbols are not data
    var r = p.getBoundingClientRect(), cs = getComputedStyle(p);
    var seen = parseFloat(cs.opacity) * parseFloat(getComputedStyle(g).opacity) * parseFloat(cs.fillOpacity);
    var x = r.x + r.width / 2 - svg.x, y = r.y + r.height / 2 - svg.y;
    if (seen > 0.05 && r.width > 0 && corners.some(function (c) { return Math.abs(c[0] - x) < 14 && Math.abs(c[1] - y) < 14; })) {
      out.push(name);
    }
  });
});
return JSON.stringify(out);
"""


def test_pm081_no_marker_flashes_in_a_panel_corner_while_playing(dash_duo):
    """A signal that hides mid-story leaves the data: plotly.js drew points turned None at
    their subplot's corner for the length of a transition."""
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?organ=kidney&speed=2")
    figure_ready(dash_duo)
    steps = animation_steps(load(DATA), resolve_selection(load(DATA), ViewState(organ="kidney")).route)
    dash_duo.find_element("#step-play").click()
    seen: set[str] = set()

    def finished(driver) -> bool:
        seen.update(json.loads(driver.execute_script(CORNER_MARKERS_JS)))
        return f"{len(steps)}/{len(steps)} " in svg_texts(dash_duo)

    WebDriverWait(dash_duo.driver, 40, poll_frequency=0.01).until(finished)
    assert not seen, f"markers in a panel corner mid-transition: {sorted(seen)}"
    assert dash_duo.get_logs() == []
