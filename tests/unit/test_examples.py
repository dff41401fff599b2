"""The teacher's example dataset (examples/heart): it loads, validates and answers questions."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest
import yaml

from painmap import cli
from painmap.loader import load
from painmap.model import View

ROOT = Path(__file__).resolve().parents[2]
HEART = ROOT / "examples" / "heart"
VIEWS = set(typing.get_args(View))


@pytest.fixture(scope="module")
def heart_dataset():
    return load(HEART)


@pytest.fixture(scope="module")
def heart_file() -> dict:
    return yaml.safe_load((HEART / "heart.yaml").read_text(encoding="utf-8"))


def _run_json(capsys, *argv: str) -> dict:
    assert cli.main([*argv, "--json", "--data", str(HEART)]) == 0
    return json.loads(capsys.readouterr().out)


def test_example_extends_the_bundled_dataset(heart_dataset, heart_file):
    assert heart_file["extends"] == "bundled"
    assert heart_dataset.organ["heart"].ontology == "UBERON:0000948"
    assert heart_dataset.organ["heart"].parts
    assert "uterus" in heart_dataset.organ  # the bundled organs are still there
    assert heart_dataset.organ_of_part["heart-muscle"].id == "heart"


def test_validate_exits_zero(capsys):
    assert cli.main(["validate", "--data", str(HEART)]) == 0
    assert capsys.readouterr().out.startswith("ok:")


def test_pathway_heart_gives_t1_t4_and_the_left_arm(capsys):
    answer = _run_json(capsys, "pathway", "heart")
    (route,) = answer["routes"]
    assert route["segments"] == ["T1", "T2", "T3", "T4"]
    assert route["lamina"] == ["i", "v"]
    assert "left-medial-arm" in [z["id"] for z in route["zones"]]
    assert {"t1-medial-arm-skin", "t2-intercostobrachial-skin"} <= set(route["somatic_inputs"])
    assert route["chain"][0] == "cardiac-plexus" and route["chain"][-1] == "dorsal-root"
    assert all(s["title"] for s in route["sources"])


def test_zone_left_arm_finds_the_heart(capsys):
    answer = _run_json(capsys, "zone", "left-medial-arm")
    assert answer["organs"] == ["heart"]
    assert answer["dermatomes"] == "T1-T2"


def test_red_flag_sends_to_emergency_services(heart_dataset):
    flags = [f for f in heart_dataset.red_flags if "heart" in f.organs]
    assert flags
    assert "emergency services" in flags[0].text["en"]
    assert all(heart_dataset.source[s].url or heart_dataset.source[s].isbn for s in flags[0].sources)


def test_outlines_use_valid_views_and_cover_what_is_new(heart_dataset, heart_file):
    outlines = heart_file["outlines"]
    for key, shapes in outlines.items():
        for shape in shapes:
            assert shape["view"] in VIEWS - {"cord", "horn"}, (key, shape["view"])
            assert all(0 <= x <= 100 and 0 <= y <= 100 for x, y in shape["points"]), key
    heart_views = {o.view for o in heart_dataset.outlines["heart-muscle"]}
    assert {"abdomen", "side"} <= heart_views
    for zone in heart_file["zones"]:
        drawn = {o.view for o in heart_dataset.outlines[zone["id"]]}
        assert set(zone["views"]) <= drawn, zone["id"]


def test_heart_sits_top_left_of_centre_in_the_abdomen_panel(heart_dataset):
    (abdomen,) = [o for o in heart_dataset.outlines["heart-muscle"] if o.view == "abdomen"]
    xs = [x for x, _ in abdomen.points]
    ys = [y for _, y in abdomen.points]
    assert 44 <= min(xs) and max(xs) <= 63  # the patient's left is x > 50
    assert sum(xs) / len(xs) > 50
    assert min(ys) >= 85 and max(ys) <= 100
    # in "front" the patient's left arm is on the x > 50 side
    (arm,) = heart_dataset.outlines["left-medial-arm"]
    assert min(x for x, _ in arm.points) > 50


def test_new_ids_do_not_reuse_bundled_ones(heart_file):
    bundled = load(None)
    sections = ("organs", "nerves", "zones", "sources", "routes", "somatic_inputs", "red_flags")
    taken = {e.id for section in sections for e in getattr(bundled, section)}
    new = {e["id"] for section in sections for e in heart_file.get(section, [])}
    assert new and not new & taken


def test_readme_tells_a_teacher_what_to_run():
    readme = (HEART / "README.md").read_text(encoding="utf-8")
    assert "painmap validate --data" in readme
    assert "make run DATA=" in readme
    assert "T9-S5" in readme  # the cord panel's limit is stated
