"""The route layer's lines with fewer points (app/thin.py): the same drawing to within the
tolerance, every marker, end and gap kept."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from painmap.app.thin import TOLERANCE, distance_to_segment, thinned

coordinate = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
point = st.one_of(st.tuples(coordinate, coordinate), st.just((None, None)))


def runs(points: list) -> list[list]:
    """The unbroken runs of a line's points, between its gaps (None)."""
    out: list[list] = [[]]
    for p in points:
        if p[0] is None:
            out.append([])
        else:
            out[-1].append(p)
    return out


def strays(original: list, kept: list) -> float:
    """How far the original points lie, at most, from the kept line (run by run, between gaps)."""
    worst = 0.0
    kept_runs, original_runs = runs(kept), runs(original)
    assert len(kept_runs) == len(original_runs), "every gap is kept"
    for line, points in zip(kept_runs, original_runs):
        for p in points:
            near = min(
                (distance_to_segment(*p, *a, *b) for a, b in zip(line, line[1:])),
                default=math.hypot(p[0] - line[0][0], p[1] - line[0][1]) if line else 0.0,
            )
            worst = max(worst, near)
    return worst


@settings(max_examples=300, deadline=None)
@given(st.lists(point, min_size=0, max_size=60), st.sets(st.integers(0, 59)))
def test_a_thinned_line_is_the_same_line_with_its_marks_ends_and_gaps(points, marked):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    sizes = [7 if i in marked else 0 for i in range(len(points))]
    trace = {"mode": "lines+markers", "x": xs, "y": ys, "marker": {"size": sizes, "color": "#000", "symbol": ["circle"] * len(xs)}}
    out = thinned(trace)
    kept = list(zip(out["x"], out["y"]))
    assert strays(points, kept) <= TOLERANCE + 1e-9
    assert [s for s in out["marker"]["size"] if s] == [s for s in sizes if s], "every marker is drawn"
    assert len(out["marker"]["symbol"]) == len(out["x"]) and out["marker"]["color"] == "#000"
    assert all(p in points for p in kept)
    for run, kept_run in zip(runs(points), runs(kept)):
        if run:
            assert (kept_run[0], kept_run[-1]) == (run[0], run[-1]), "each run keeps its ends"


def test_a_dense_curve_loses_most_of_its_points_and_what_is_not_a_plain_line_is_left_alone():
    arc = [(50 + 20 * math.cos(t / 100), 50 + 20 * math.sin(t / 100)) for t in range(0, 315)]
    line = {"mode": "lines", "x": [p[0] for p in arc], "y": [p[1] for p in arc]}
    assert len(thinned(line)["x"]) < len(arc) / 3
    for kept_whole in (
        {**line, "mode": "lines+markers", "marker": {"size": 6}},  # a marker at every point
        {**line, "line": {"shape": "spline"}},
        {**line, "mode": "text"},
        {**line, "mode": "lines+text"},
    ):
        assert thinned(kept_whole) == kept_whole
