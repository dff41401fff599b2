"""Plane geometry for drawing: centroids, paths, comets, blobs, zigzags, free slots.

Pure functions on lists of (x, y) points; no plotting here.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Pt = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def bbox(points: Iterable[Pt]) -> Box:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def union_box(boxes: Iterable[Box]) -> Box | None:
    boxes = list(boxes)
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def centroid(points: Sequence[Pt]) -> Pt:
    """Area centroid of a polygon (the mean of the points if it has no area)."""
    area = cx = cy = 0.0
    n = len(points)
    for i in range(n):
        x0, y0 = points[i]
        x1, y1 = points[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        return sum(p[0] for p in points) / n, sum(p[1] for p in points) / n
    return cx / (3 * area), cy / (3 * area)


def area(points: Sequence[Pt]) -> float:
    n = len(points)
    return abs(sum(points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1] for i in range(n))) / 2


def inside(point: Pt, polygon: Sequence[Pt]) -> bool:
    """Even-odd rule point-in-polygon test."""
    x, y = point
    result = False
    n = len(polygon)
    for i in range(n):
        x0, y0 = polygon[i]
        x1, y1 = polygon[(i + 1) % n]
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            result = not result
    return result


def label_point(points: Sequence[Pt]) -> Pt:
    """A point inside the polygon for a label: its centroid, or the inner point nearest to it."""
    c = centroid(points)
    if inside(c, points):
        return c
    x0, y0, x1, y1 = bbox(points)
    best, best_d = c, math.inf
    for i in range(1, 12):
        for j in range(1, 12):
            p = (x0 + (x1 - x0) * i / 12, y0 + (y1 - y0) * j / 12)
            d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2
            if d < best_d and inside(p, points):
                best, best_d = p, d
    return best


def distance(a: Pt, b: Pt) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def length(path: Sequence[Pt]) -> float:
    return sum(distance(path[i], path[i + 1]) for i in range(len(path) - 1))


def point_at(path: Sequence[Pt], t: float) -> Pt:
    """The point a fraction ``t`` (0..1) of the way along ``path``."""
    if len(path) == 1:
        return path[0]
    total = length(path)
    if total == 0:
        return path[0]
    goal = max(0.0, min(1.0, t)) * total
    run = 0.0
    for i in range(len(path) - 1):
        step = distance(path[i], path[i + 1])
        if run + step >= goal and step > 0:
            f = (goal - run) / step
            return path[i][0] + f * (path[i + 1][0] - path[i][0]), path[i][1] + f * (path[i + 1][1] - path[i][1])
        run += step
    return path[-1]


def sub_path(path: Sequence[Pt], t0: float, t1: float) -> list[Pt]:
    """The stretch of ``path`` between fractions t0 and t1, its corners kept."""
    total = length(path)
    if total == 0:
        return [path[0], path[0]]
    out = [point_at(path, t0)]
    run = 0.0
    for i in range(len(path) - 1):
        run += distance(path[i], path[i + 1])
        if t0 * total < run < t1 * total:
            out.append(path[i + 1])
    out.append(point_at(path, t1))
    return out


def comet(path: Sequence[Pt], t0: float, t1: float, count: int) -> list[Pt]:
    """``count`` points evenly between fractions t0 (tail) and t1 (head) of ``path``."""
    if count == 1:
        return [point_at(path, t1)]
    return [point_at(path, t0 + (t1 - t0) * i / (count - 1)) for i in range(count)]


def oriented(path: Sequence[Pt], near: Pt) -> list[Pt]:
    """``path`` reversed if its end lies nearer to ``near`` than its start."""
    return list(path) if distance(path[0], near) <= distance(path[-1], near) else list(reversed(path))


def ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 28) -> list[Pt]:
    return [(cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n)) for i in range(n)]


def rounded_rect(x0: float, y0: float, x1: float, y1: float, r: float, per_corner: int = 5) -> list[Pt]:
    """A rectangle with rounded corners, counter-clockwise from the lower left."""
    r = max(0.0, min(r, (x1 - x0) / 2, (y1 - y0) / 2))
    corners = ((x1 - r, y0 + r, -90), (x1 - r, y1 - r, 0), (x0 + r, y1 - r, 90), (x0 + r, y0 + r, 180))
    points: list[Pt] = []
    for cx, cy, start in corners:
        for k in range(per_corner + 1):
            a = math.radians(start + 90 * k / per_corner)
            points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return points


def principal_axis(points: Sequence[Pt]) -> tuple[Pt, Pt, float, float]:
    """Centre, unit long axis, unit short axis, and the half-extent along the long axis."""
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    sxx = sum((p[0] - cx) ** 2 for p in points)
    syy = sum((p[1] - cy) ** 2 for p in points)
    sxy = sum((p[0] - cx) * (p[1] - cy) for p in points)
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    ux, uy = math.cos(angle), math.sin(angle)
    along = [(p[0] - cx) * ux + (p[1] - cy) * uy for p in points]
    across = [-(p[0] - cx) * uy + (p[1] - cy) * ux for p in points]
    half_long = (max(along) - min(along)) / 2
    half_short = (max(across) - min(across)) / 2
    return (cx, cy), (ux, uy), half_long, half_short


def zigzag(points: Sequence[Pt], teeth: int = 7) -> list[Pt]:
    """A zigzag along the long axis of a shape: the sign for strain."""
    (cx, cy), (ux, uy), half_long, half_short = principal_axis(points)
    half = max(half_long * 0.8, 1.0)
    amplitude = max(min(half_short * 0.6, half * 0.35), 0.6)
    out = []
    for i in range(2 * teeth + 1):
        s = -half + 2 * half * i / (2 * teeth)
        side = amplitude if i % 2 else -amplitude
        if i in (0, 2 * teeth):
            side = 0.0
        out.append((cx + s * ux - side * uy, cy + s * uy + side * ux))
    return out


def polylines_xy(paths: Iterable[Sequence[Pt]], close: bool) -> tuple[list, list]:
    """x and y lists for plotly, the paths separated by None (closed when ``close``)."""
    xs: list = []
    ys: list = []
    for path in paths:
        if xs:
            xs.append(None)
            ys.append(None)
        pts = list(path) + ([path[0]] if close and path and path[0] != path[-1] else [])
        xs.extend(round(p[0], 1) for p in pts)
        ys.extend(round(p[1], 1) for p in pts)
    return xs, ys


def polylines_tagged(items: Iterable[tuple[Sequence[Pt], str]], close: bool) -> tuple[list, list, list]:
    """Like :func:`polylines_xy`, plus a tag per point (None at the breaks): for customdata."""
    xs: list = []
    ys: list = []
    tags: list = []
    for path, tag in items:
        px, py = polylines_xy([path], close)
        if xs:
            xs.append(None)
            ys.append(None)
            tags.append(None)
        xs += px
        ys += py
        tags += [tag] * len(px)
    return xs, ys, tags


def svg_path(points: Sequence[Pt], close: bool = True) -> str:
    """An SVG path for a layout shape."""
    body = "L".join(f"{x:.2f},{y:.2f}" for x, y in points)
    return f"M{body}{'Z' if close else ''}"


def overlaps(a: Box, b: Box, pad: float = 0.0) -> bool:
    return not (a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or b[3] + pad <= a[1])


@dataclass
class SlotFinder:
    """Places placeholders in free spots of a panel: the first candidate that overlaps nothing,
    else the first that overlaps least.

    Each candidate's overlap with what is taken is kept per placeholder size and brought up to
    date as boxes are taken, so placing n placeholders costs n x candidates, not n^2 x
    candidates (a teacher's dataset of thousands of organs without outlines)."""

    candidates: list[Pt]
    taken: list[Box] = field(default_factory=list)
    _overlaps: dict[tuple[float, float], list[float]] = field(default_factory=dict, init=False, repr=False)

    def _box(self, centre: Pt, size: tuple[float, float]) -> Box:
        (cx, cy), (width, height) = centre, size
        return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)

    def place(self, width: float, height: float) -> Pt:
        size = (width, height)
        if size not in self._overlaps:
            self._overlaps[size] = [
                sum(_overlap_area(self._box(c, size), other) for other in self.taken) for c in self.candidates
            ]
        found = self._overlaps[size]
        best = self.candidates[min(range(len(found)), key=found.__getitem__)]
        box = self._box(best, size)
        self.taken.append(box)
        for kept_size, kept in self._overlaps.items():
            for i, centre in enumerate(self.candidates):
                kept[i] += _overlap_area(self._box(centre, kept_size), box)
        return best


def _overlap_area(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def grid(x0: float, x1: float, y0: float, y1: float, columns: int, rows: int) -> list[Pt]:
    """Candidate slots on a grid, top row first, outer columns first within a row."""
    xs = [x0 + (x1 - x0) * (i + 0.5) / columns for i in range(columns)]
    order = sorted(range(columns), key=lambda i: -abs(i - (columns - 1) / 2))
    ys = [y1 - (y1 - y0) * (j + 0.5) / rows for j in range(rows)]
    return [(xs[i], y) for y in ys for i in order]


def wrap(text: str, width: int) -> str:
    """``text`` wrapped at ``width`` characters (words never broken), lines joined with <br>,
    plotly's line break."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def text_box(x: float, y: float, words: str, unit_per_char: float, line_height: float, anchor: str = "center") -> Box:
    """Approximate box of a text label (plotly text, '<br>' line breaks)."""
    lines = [re.sub(r"<[^>]+>", "", line) for line in words.split("<br>")]
    width = max((len(line) for line in lines), default=0) * unit_per_char
    height = len(lines) * line_height
    x0 = x - width / 2 if anchor == "center" else (x if anchor == "left" else x - width)
    return x0, y - height / 2, x0 + width, y + height / 2


def spread_boxes(boxes: list[Box], step: float = 0.8, limit: int = 40) -> list[float]:
    """Downward shifts that keep boxes apart, placing them top first (first come first served)."""
    order = sorted(range(len(boxes)), key=lambda i: -boxes[i][3])
    placed: list[Box] = []
    shifts = [0.0] * len(boxes)
    for i in order:
        box = boxes[i]
        for _ in range(limit):
            if not any(overlaps(box, other) for other in placed):
                break
            box = (box[0], box[1] - step, box[2], box[3] - step)
            shifts[i] += step
        placed.append(box)
    return shifts


def on_side(polys: Sequence[Sequence[Pt]], side: str, mid: float, mirrored: bool) -> list:
    """The polygons on the patient's ``side`` ('left' or 'right'; '' keeps all).

    ``mirrored``: a front view, where the patient's left is on the viewer's right. A polygon
    across the midline ``mid`` is kept (the low back belongs to both sides).
    """
    if side not in ("left", "right"):
        return list(polys)
    right_of_mid = (side == "left") == mirrored
    kept = []
    for poly in polys:
        x0, _, x1, _ = bbox(poly)
        if x0 < mid < x1 or ((x0 + x1) / 2 > mid) == right_of_mid:
            kept.append(poly)
    return kept
