"""A paired organ's view shows one side's pain: side=left|right (the patient's), default both."""

from __future__ import annotations

import pytest

from painmap.figures import figure_dict, names
from painmap.figures.body import body_midline
from painmap.figures.geometry import bbox, on_side
from painmap.loader import load
from painmap.viewstate import ViewState


@pytest.fixture(scope="module")
def ds():
    return load()


def lit_polygons(fig: dict, name: str) -> list[list[tuple[float, float]]]:
    """The closed paths a lit-zone trace draws at the last step (None separates them)."""
    found = next(t for t in fig["data"] if t.get("name") == name)
    index = fig["data"].index(found)
    last = fig["frames"][-1]
    entry = next((d for i, d in zip(last["traces"], last["data"]) if i == index), found)
    polys, current = [], []
    for x, y in zip(entry["x"], entry["y"]):
        if x is None:
            polys, current = polys + [current], []
        else:
            current.append((x, y))
    return polys + ([current] if current else [])


def test_side_in_the_url_is_read_kept_for_paired_organs_and_dropped_elsewhere(ds):
    assert ViewState.from_query("?organ=kidney&side=left").side == "left"
    assert ViewState.from_query("?organ=kidney&side=middle").side == ""
    assert ViewState.from_query("?organ=kidney&side=right").canonical(ds).side == "right"
    assert ViewState.from_query("?organ=bladder&side=right").canonical(ds).side == "", "the bladder has no side"
    assert "side=left" in ViewState(organ="kidney", side="left").to_query()
    assert all(ds.organ[o].paired for o in ("kidney", "ovary", "testis"))
    assert not ds.organ["bladder"].paired


@pytest.mark.parametrize("side", ["left", "right"])
def test_one_flank_lights_on_the_patients_side(ds, side):
    fig = figure_dict(ds, ViewState(organ="kidney", side=side, step=99))
    both = figure_dict(ds, ViewState(organ="kidney", step=99))
    checked = 0
    for view, name in (("front", names.ZONE_LIT_FRONT), ("back", names.ZONE_LIT_BACK)):
        polys = lit_polygons(fig, name)
        if not lit_polygons(both, name):
            continue
        assert polys and len(polys) < len(lit_polygons(both, name)), f"{view}: one flank, not two"
        checked += 1
        mid = body_midline(ds, view)
        # the patient's left is the viewer's right from the front, the viewer's left from behind
        on_right = (side == "left") == (view == "front")
        for poly in polys:
            x0, _, x1, _ = bbox(poly)
            assert (x0 + x1) / 2 > mid if on_right else (x0 + x1) / 2 < mid
    assert checked, "the flank lights in a body view"
    captions = [d["text"][0] for frame in fig["frames"] for d in frame["data"] if "text" in d]
    assert captions and all(f"{side} side only" in c for c in captions)


def test_a_polygon_across_the_midline_belongs_to_both_sides():
    low_back = [(40.0, 0.0), (60.0, 0.0), (60.0, 10.0), (40.0, 10.0)]
    right = [(70.0, 0.0), (80.0, 0.0), (80.0, 10.0)]
    assert on_side([low_back, right], "left", 50.0, mirrored=True) == [low_back, right]
    assert on_side([low_back, right], "right", 50.0, mirrored=True) == [low_back]
    assert on_side([low_back, right], "right", 50.0, mirrored=False) == [low_back, right]
    assert on_side([right], "", 50.0, mirrored=True) == [right]
