"""Fewer points for the same line: the route layer's nerves and outlines as the page is sent them.

A nerve is drawn from a densely sampled path (the builders sample curves finely so that exports
print smooth at any size). On the page, most of those points lie within a fraction of a pixel of
the straight line through their neighbours: they cost bytes on every choice, and plotly.js spends
time on each point of a trace with markers even where the marker has size 0. :func:`thinned`
drops them (Ramer-Douglas-Peucker), keeping every point that draws a marker, every end and every
gap, so the drawing is the same to within :data:`TOLERANCE`.
"""

from __future__ import annotations

import math

#: How far the thinned line may stray from the drawn one, in a panel's units. A panel is about
#: 100 units across 300-700 px, so 0.1 is under a pixel (the page's points are rounded to 0.1
#: already, see ``page.coarse``).
TOLERANCE = 0.1


def polyline(trace: object) -> bool:
    """Whether ``trace`` draws straight lines between its points (no text, not a spline)."""
    if not isinstance(trace, dict):
        return False
    mode = str(trace.get("mode", ""))
    line = trace.get("line")
    line = line if isinstance(line, dict) else {}
    return "lines" in mode and "text" not in mode and line.get("shape", "linear") == "linear"


def thinned(trace: dict, tolerance: float = TOLERANCE) -> dict:
    """``trace`` with the points its line does not need left out, or ``trace`` itself when it
    is not a plain polyline (text, visible markers at every point, a spline, no points)."""
    xs, ys = trace.get("x"), trace.get("y")
    mode = str(trace.get("mode", ""))
    marker = trace.get("marker")
    marker = marker if isinstance(marker, dict) else {}
    if not isinstance(xs, list) or not isinstance(ys, list) or len(xs) != len(ys) or len(xs) < 3 or not polyline(trace):
        return trace
    sizes = marker.get("size", 0) if "markers" in mode else 0
    if isinstance(sizes, list):
        if len(sizes) != len(xs):
            return trace
        marked = {i for i, size in enumerate(sizes) if size}
    elif sizes:  # a marker at every point: each point is drawn
        return trace
    else:
        marked = set()
    kept = kept_points(xs, ys, marked, tolerance)
    if len(kept) == len(xs):
        return trace
    out = {**trace, "x": [xs[i] for i in kept], "y": [ys[i] for i in kept]}
    if marker:
        n = len(xs)
        out["marker"] = {k: [v[i] for i in kept] if isinstance(v, list) and len(v) == n else v for k, v in marker.items()}
    return out


def kept_points(xs: list, ys: list, marked: set[int], tolerance: float) -> list[int]:
    """The indices to keep: each run of points between gaps (None) thinned, its ends, the
    ``marked`` points and the gaps themselves kept."""
    kept: list[int] = []
    run: list[int] = []
    for i, (x, y) in enumerate(zip(xs, ys)):
        if isinstance(x, (int, float)) and isinstance(y, (int, float)) and math.isfinite(x) and math.isfinite(y):
            run.append(i)
            continue
        kept += thin_run(xs, ys, run, marked, tolerance)
        kept.append(i)
        run = []
    kept += thin_run(xs, ys, run, marked, tolerance)
    return kept


def thin_run(xs: list, ys: list, run: list[int], marked: set[int], tolerance: float) -> list[int]:
    """Ramer-Douglas-Peucker over one unbroken run of point indices, between fixed anchors."""
    if len(run) < 3:
        return run
    anchors = sorted({0, len(run) - 1} | {k for k, i in enumerate(run) if i in marked})
    keep = set(anchors)
    stack = list(zip(anchors, anchors[1:]))
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        far, at = -1.0, first
        for k in range(first + 1, last):
            d = distance_to_segment(xs[run[k]], ys[run[k]], xs[run[first]], ys[run[first]], xs[run[last]], ys[run[last]])
            if d > far:
                far, at = d, k
        if far > tolerance:
            keep.add(at)
            stack += [(first, at), (at, last)]
    return [run[k] for k in sorted(keep)]


def distance_to_segment(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    """The distance from point P to the segment AB."""
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))
