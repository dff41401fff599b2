"""The bundled drawing data (data/geometry.yaml): complete, inside the panels, well formed, the right way round."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from painmap.figures.geometry import SlotFinder, _overlap_area, grid
from painmap.figures.geometry import length as path_length
from painmap.loader import load
from painmap.model import ALL_SEGMENTS, Dataset, Outline

#: Nerves the cord and horn panels draw in code: they need no outline.
DRAWN_IN_CODE = {"dorsal-root", "dorsal-root-ganglion", "spinothalamic-tract"}
DERMATOME_SEGMENTS = ALL_SEGMENTS[ALL_SEGMENTS.index("T9") : ALL_SEGMENTS.index("S5") + 1]
REQUIRED_SCAFFOLD = (
    "body-front",
    "body-back",
    "body-side",
    "spine-back",
    "pelvis-abdomen",
    "ribs-abdomen",
    "diaphragm-abdomen",
    "vertebrae-side",
)
MIN_AREA = 0.2  # square panel units: a closed outline must enclose something


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    """The dataset exactly as the app gets it: load() with no path."""
    return load()


def area(points: list[tuple[float, float]]) -> float:
    """Signed area by the shoelace formula."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1])) / 2


def centroid(outlines: list[Outline]) -> tuple[float, float]:
    """Area-weighted centroid of closed outlines."""
    total, cx, cy = 0.0, 0.0, 0.0
    for outline in outlines:
        pts = list(outline.points)
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
            cross = x0 * y1 - x1 * y0
            total += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    assert total, "outlines without area have no centroid"
    return cx / (3 * total), cy / (3 * total)


def in_view(dataset: Dataset, key: str, view: str, *, scaffold: bool = False) -> list[Outline]:
    source = dataset.scaffold if scaffold else dataset.outlines
    return [o for o in source.get(key, ()) if o.view == view]


def all_outlines(dataset: Dataset) -> list[tuple[str, Outline]]:
    return [(k, o) for k, shapes in dataset.outlines.items() for o in shapes] + [
        (k, o) for k, shapes in dataset.scaffold.items() for o in shapes
    ]


# --------------------------------------------------------------------------- it loads


def test_bundled_dataset_reads_geometry_file(bundled):
    assert "geometry.yaml" in {Path(p).name for p in bundled.origin}
    assert len(bundled.outlines) > 40
    assert len(bundled.scaffold) > 20


# --------------------------------------------------------------------------- completeness


def test_every_organ_part_is_drawn_in_abdomen_and_side(bundled):
    missing = [
        (part.id, view)
        for organ in bundled.organs
        for part in organ.parts
        for view in ("abdomen", "side")
        if not [o for o in in_view(bundled, part.id, view) if o.closed]
    ]
    assert missing == []


def test_every_zone_is_drawn_in_each_of_its_views(bundled):
    missing = [(z.id, v) for z in bundled.zones for v in z.views if not in_view(bundled, z.id, v)]
    assert missing == []


def test_every_deep_structure_is_drawn_in_each_of_its_views(bundled):
    missing = [(d.id, v) for d in bundled.deep_structures for v in d.views if not in_view(bundled, d.id, v)]
    assert missing == []


def test_every_nerve_outside_the_cord_panels_is_drawn(bundled):
    missing = [n.id for n in bundled.nerves if n.id not in DRAWN_IN_CODE and not bundled.outlines.get(n.id)]
    assert missing == []


def test_visceral_nerves_are_in_abdomen_and_side_somatic_nerves_on_the_body(bundled):
    for nerve in bundled.nerves:
        if nerve.id in DRAWN_IN_CODE:
            continue
        views = {o.view for o in bundled.outlines[nerve.id]}
        if "somatic" in nerve.fibres:
            assert views & {"front", "back"}, nerve.id
        else:
            assert {"abdomen", "side"} <= views, nerve.id


def test_nerves_are_open_paths_and_plexuses_may_be_closed(bundled):
    for nerve in bundled.nerves:
        shapes = bundled.outlines.get(nerve.id, ())
        if nerve.kind == "nerve":
            assert shapes and all(not o.closed for o in shapes), nerve.id
        elif shapes and not any(o.closed for o in shapes):
            # a plexus along a vessel (the testicular plexus) is a line: a long one, not a dot
            assert all(path_length(o.points) > 3 for o in shapes), f"{nerve.id}: a {nerve.kind} drawn as a dot"


@pytest.mark.parametrize("segment", DERMATOME_SEGMENTS)
def test_every_dermatome_band_is_drawn_front_and_back(bundled, segment):
    key = f"dermatome-{segment.lower()}"
    for view in ("front", "back"):
        bands = [o for o in in_view(bundled, key, view, scaffold=True) if o.closed]
        assert bands, (key, view)


def test_required_scaffold_is_present(bundled):
    assert [k for k in REQUIRED_SCAFFOLD if not bundled.scaffold.get(k)] == []


def test_scaffold_named_for_a_panel_stays_in_that_panel(bundled):
    for key, shapes in bundled.scaffold.items():
        suffix = key.rsplit("-", 1)[-1]
        if suffix in ("abdomen", "side", "front", "back"):
            assert {o.view for o in shapes} == {suffix}, key


# --------------------------------------------------------------------------- well formed


def test_every_point_lies_inside_its_panel(bundled):
    outside = [
        (key, o.view, p) for key, o in all_outlines(bundled) for p in o.points if not (0 <= p[0] <= 100 and 0 <= p[1] <= 100)
    ]
    assert outside == []


def test_closed_outlines_have_enough_points_and_real_area(bundled):
    bad = [
        (key, o.view, len(o.points), round(area(list(o.points)), 2))
        for key, o in all_outlines(bundled)
        if o.closed and (len(o.points) < 6 or abs(area(list(o.points))) < MIN_AREA)
    ]
    assert bad == []


def test_no_outline_repeats_a_point_back_to_back(bundled):
    repeats = [
        (key, o.view)
        for key, o in all_outlines(bundled)
        if any(a == b for a, b in zip(o.points, o.points[1:]))
    ]
    assert repeats == []


def test_shoelace_sees_a_degenerate_outline():
    assert area([(0, 0), (10, 0), (20, 0), (5, 0), (1, 0), (2, 0)]) == 0
    assert area([(0, 0), (4, 0), (4, 3)]) == 6


# --------------------------------------------------------------------------- placed where the anatomy is


def test_periumbilical_zone_is_centred_on_the_navel(bundled):
    x, y = centroid(in_view(bundled, "periumbilical", "front"))
    assert abs(x - 50) < 2.5 and abs(y - 60) < 2.5


def test_right_iliac_fossa_is_on_the_patients_right(bundled):
    x, _ = centroid(in_view(bundled, "right-iliac-fossa", "front"))
    assert x < 50
    x_left, _ = centroid(in_view(bundled, "left-lower-quadrant", "front"))
    assert x_left > 50


def test_abdomen_panel_puts_the_patients_right_on_the_viewers_left(bundled):
    caecum_x, caecum_y = centroid([o for o in in_view(bundled, "appendix-caecum-ascending-colon", "abdomen") if o.closed])
    descending_x, _ = centroid([o for o in in_view(bundled, "descending-sigmoid-colon", "abdomen") if o.closed])
    assert caecum_x < 35 < 65 < descending_x
    kidneys = sorted(centroid([o])[0] for o in in_view(bundled, "kidney-upper-ureter", "abdomen"))
    assert len(kidneys) == 2 and kidneys[0] < 40 and kidneys[1] > 60


def test_abdomen_landmarks_follow_the_convention(bundled):
    _, bladder_y = centroid(in_view(bundled, "bladder-dome", "abdomen") + in_view(bundled, "bladder-neck-trigone", "abdomen"))
    _, uterus_y = centroid([o for o in in_view(bundled, "uterine-body", "abdomen") if o.closed])
    _, cervix_y = centroid(in_view(bundled, "cervix", "abdomen"))
    _, lung_y = centroid(in_view(bundled, "airways-whole-body", "abdomen"))
    assert 6 < bladder_y < 16 < cervix_y < uterus_y < 35
    assert lung_y > 80
    dome_y = centroid(in_view(bundled, "bladder-dome", "abdomen"))[1]
    neck_y = centroid(in_view(bundled, "bladder-neck-trigone", "abdomen"))[1]
    assert dome_y > neck_y


def test_side_panel_has_the_belly_at_x0_and_the_back_at_x100(bundled):
    bladder_x, _ = centroid(in_view(bundled, "bladder-dome", "side"))
    rectum_x, _ = centroid(in_view(bundled, "distal-sigmoid-rectum", "side"))
    spine = [p[0] for o in in_view(bundled, "vertebrae-side", "side", scaffold=True) for p in o.points]
    assert bladder_x < 40 < rectum_x < sum(spine) / len(spine)
    assert 75 < sum(spine) / len(spine) < 92


def test_back_view_structures_sit_on_the_lower_back(bundled):
    discs_x, discs_y = centroid(in_view(bundled, "lumbar-discs-l4-s1", "back"))
    assert abs(discs_x - 50) < 1 and 52 < discs_y < 60
    columns = sorted(centroid([o])[0] for o in in_view(bundled, "erector-spinae", "back"))
    assert len(columns) == 2 and columns[0] < 50 < columns[1]


def test_dermatome_t10_crosses_the_umbilicus_and_s5_is_innermost_at_the_anus(bundled):
    _, t10_y = centroid(in_view(bundled, "dermatome-t10", "front", scaffold=True))
    assert abs(t10_y - 60) < 2.5
    s3 = centroid(in_view(bundled, "dermatome-s3", "back", scaffold=True))
    s5 = centroid(in_view(bundled, "dermatome-s5", "back", scaffold=True))
    assert abs(s3[0] - s5[0]) < 1 and abs(s3[1] - s5[1]) < 1.5
    s3_area = sum(abs(area(list(o.points))) for o in in_view(bundled, "dermatome-s3", "back", scaffold=True))
    s5_area = sum(abs(area(list(o.points))) for o in in_view(bundled, "dermatome-s5", "back", scaffold=True))
    assert s3_area > 3 * s5_area
    _, l4_y = centroid(in_view(bundled, "dermatome-l4", "front", scaffold=True))
    _, l1_y = centroid(in_view(bundled, "dermatome-l1", "front", scaffold=True))
    assert l4_y < 30 < 45 < l1_y


def test_slot_finder_places_as_a_search_of_every_slot_would_at_any_count():
    """The first slot that overlaps nothing, else the first that overlaps least: kept up to date
    as boxes are taken (not re-summed over all of them for each placeholder)."""
    rng = random.Random(7)
    slots = grid(3, 97, 3, 97, 4, 8)
    taken = [(rng.uniform(0, 80), rng.uniform(0, 80), rng.uniform(80, 100), rng.uniform(80, 100)) for _ in range(3)]
    finder, reference = SlotFinder(slots, taken=list(taken)), list(taken)
    for n in range(120):
        width, height = ((10.0, 6.0), (4.0, 4.0))[n % 2]
        boxes = [(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2) for cx, cy in slots]
        loads = [sum(_overlap_area(box, other) for other in reference) for box in boxes]
        expected = slots[loads.index(min(loads))]
        assert finder.place(width, height) == pytest.approx(expected)
        reference.append(boxes[slots.index(expected)])
