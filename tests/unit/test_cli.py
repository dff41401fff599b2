"""The `painmap` command: exit codes, one line per problem, the documented JSON shapes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from painmap import query
from painmap.cli import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, main, schema_json
from painmap.loader import DatasetError, load
from painmap.model import ALL_SEGMENTS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
BAD = ROOT / "tests" / "bad_datasets"

#: `file:line:col: field: message` (a problem of a whole file has no field).
PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:(?P<field>[\w.\[\]-]+): )?(?P<message>.+)$")

LIVER = """extends: bundled
organs:
  - id: liver
    label: {en: Liver, de: Leber}
    ontology: "UBERON:0002107"
    parts:
      - {id: liver-capsule, label: {en: Liver capsule}, ontology: "UBERON:0002107", ontology_match: broader}
routes:
  - id: liver-aches
    organ: liver
    part: liver-capsule
    kind: systemic
    zones: [whole-body-aches]
    sources: [source-sick-back-pain]
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert (code, err) == (EXIT_OK, "")
    return json.loads(out)


@pytest.fixture
def liver_file(tmp_path) -> Path:
    path = tmp_path / "liver.yaml"
    path.write_text(LIVER, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- validate


def test_validate_the_bundled_dataset_prints_one_summary_line_and_one_per_language(capsys, dataset):
    code, out, err = run(capsys, "validate")
    assert code == EXIT_OK
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("es: 100 % of ") and " awaiting clinical review; interface " in lines[1]
    assert lines[0].startswith("ok: ")
    assert f"{len(dataset.organs)} organs" in lines[0]
    assert f"{len(dataset.routes)} routes" in lines[0]
    assert f"{len(dataset.zones)} zones" in lines[0]
    assert f"{len(dataset.sources)} sources" in lines[0]


def test_validate_names_missing_translations(capsys, liver_file):
    path = liver_file.with_name("de.yaml")
    path.write_text(LIVER.replace("extends: bundled\n", "extends: bundled\nlanguages: [de]\n"), encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--data", str(path))
    assert code == EXIT_OK
    assert re.search(r"\d+ texts lack 'de'", out)


def test_validate_prints_one_line_per_problem_and_exits_1(capsys):
    path = BAD / "three-mistakes.yaml"
    code, out, err = run(capsys, "validate", "--data", str(path))
    assert code == EXIT_INVALID
    assert out == ""
    lines = err.splitlines()
    assert lines[:3] == [
        f"{path}:5:5: sources[0].year: Input should be a valid integer, "
        "got a number with a fractional part (got 1066.5)",
        f"{path}:10:5: organs[0].colour: '#zzzzzz' is not a colour plotly.js accepts: use '#2a62f6', "
        "'rgba(42, 98, 246, 0.5)' or a CSS name",
        f"{path}:12:75: organs[0].parts[0].pain_line: Input should be 'above', 'below' or 'across' (got 'sideways')",
    ]
    assert lines[3:] == ["3 problem(s) found"]


def expected_cases() -> list[str]:
    return sorted(p.name for p in BAD.iterdir() if p.name != "expected.txt")


@pytest.mark.parametrize("name", expected_cases())
def test_validate_every_bad_dataset_without_a_traceback(capsys, name):
    path = BAD / name
    code, out, err = run(capsys, "validate", "--data", str(path))
    assert "Traceback" not in err and "Traceback" not in out
    assert out == ""
    if code == EXIT_UNREADABLE:
        assert err.startswith("painmap: ") and len(err.splitlines()) == 1
        return
    assert code == EXIT_INVALID
    *problems, summary = err.splitlines()
    with pytest.raises(DatasetError) as caught:
        load(path)
    assert problems == [str(p) for p in caught.value.problems]
    assert summary == f"{len(problems)} problem(s) found"
    for line in problems:
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert Path(match["file"]).exists(), line
        assert int(match["line"]) >= 1 and int(match["col"]) >= 1


def test_a_problem_line_has_the_field_between_place_and_message(capsys):
    code, _, err = run(capsys, "validate", "--data", str(BAD / "unknown-zone.yaml"))
    assert code == EXIT_INVALID
    match = PROBLEM_LINE.match(err.splitlines()[0])
    assert match["file"] == str(BAD / "unknown-zone.yaml")
    assert (match["line"], match["col"], match["field"]) == ("10", "20", "routes[0].zones[1]")
    assert match["message"] == "unknown zone 'grion'; did you mean 'groin'?"


def test_an_unreadable_path_exits_2_naming_it(capsys, tmp_path):
    missing = tmp_path / "missing.yaml"
    code, out, err = run(capsys, "validate", "--data", str(missing))
    assert code == EXIT_UNREADABLE
    assert out == ""
    assert err == f"painmap: {missing}: no such file or folder\n"
    code, _, err = run(capsys, "pathway", "bladder", "--data", str(BAD / "no-yaml-folder"))
    assert code == EXIT_UNREADABLE
    assert "no .yaml files" in err


# --------------------------------------------------------------------------- pathway


ROUTE_KEYS = {"id", "part", "kind", "chain", "segments", "lamina", "zones", "somatic_inputs", "disputed", "sources"}


def test_pathway_json_has_the_documented_shape(capsys, dataset):
    answer = run_json(capsys, "pathway", "bladder")
    assert {"organ", "label", "routes"} <= set(answer)
    assert answer["organ"] == "bladder" and answer["label"] == "Bladder"
    assert [r["id"] for r in answer["routes"]] == [r.id for r in query.routes_for_organ(dataset, "bladder")]
    for route in answer["routes"]:
        assert ROUTE_KEYS <= set(route), route["id"]
        assert route["part"] in {p.id for p in dataset.organ["bladder"].parts}
        assert route["kind"] in {"segmental", "mechanical", "systemic"}
        assert all(isinstance(step, str) and step in dataset.nerve for step in route["chain"])
        assert all(s in ALL_SEGMENTS for s in route["segments"])
        assert route["zones"] and all(set(z) == {"id", "label"} for z in route["zones"])
        assert all(z["id"] in dataset.zone and z["label"] for z in route["zones"])
        assert all(s in dataset.somatic_input for s in route["somatic_inputs"])
        assert isinstance(route["disputed"], bool)
        assert route["sources"] and all(s["id"] in dataset.source and s["title"] for s in route["sources"])
    neck = next(r for r in answer["routes"] if r["id"] == "bladder-neck-pelvic-splanchnic")
    assert neck["segments"] == ["S2", "S3", "S4"]
    assert neck["chain"] == list(dataset.route["bladder-neck-pelvic-splanchnic"].chain)
    assert "i" in neck["lamina"] and "v" in neck["lamina"]
    assert "s2-s4-pudendal-skin" in neck["somatic_inputs"]


def test_pathway_json_marks_the_disputed_cervix_routes(capsys):
    answer = run_json(capsys, "pathway", "uterus")
    cervix = {r["id"]: r for r in answer["routes"] if r["part"] == "cervix"}
    assert {"cervix-pelvic-splanchnic", "cervix-sympathetic"} <= set(cervix)
    assert all(r["disputed"] is True for r in cervix.values())
    assert cervix["cervix-pelvic-splanchnic"]["segments"] != cervix["cervix-sympathetic"]["segments"]
    assert all(r["disputed"] is False for r in answer["routes"] if r["part"] != "cervix")


def test_pathway_in_words(capsys):
    code, out, err = run(capsys, "pathway", "uterus")
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith("Uterus (uterus): ")
    assert "- cervix-sympathetic [segmental]" in out
    assert "[sources disagree]" in out
    assert "segments: T10, T11, T12, L1" in out


def test_pathway_of_an_organ_part(capsys):
    answer = run_json(capsys, "pathway", "cervix")
    assert answer["organ"] == "uterus"
    assert {r["part"] for r in answer["routes"]} == {"cervix"}


# --------------------------------------------------------------------------- segment, zone, list


def test_segment_json_has_the_documented_shape(capsys, dataset):
    answer = run_json(capsys, "segment", "s3")
    assert {"segment", "organs", "routes", "zones", "somatic_inputs"} <= set(answer)
    assert answer["segment"] == "S3"
    assert answer["routes"] == [r.id for r in query.routes_for_segment(dataset, "S3")]
    assert {"bladder", "uterus", "gut"} <= set(answer["organs"])
    assert all(set(z) == {"id", "label"} for z in answer["zones"])
    assert {"sacrum", "perineum-saddle"} <= {z["id"] for z in answer["zones"]}
    assert "s2-s4-pudendal-skin" in answer["somatic_inputs"]


def test_zone_json_names_the_organs_and_routes_that_refer_there(capsys, dataset):
    answer = run_json(capsys, "zone", "low-back")
    assert answer["zone"] == "low-back" and answer["label"] == dataset.zone["low-back"].label["en"]
    assert {r["id"] for r in answer["routes"]} == {r.id for r in query.routes_for_zone(dataset, "low-back")}
    assert {"bladder", "uterus", "gut"} <= set(answer["organs"])
    assert all({"id", "organ", "part", "kind", "segments"} <= set(r) for r in answer["routes"])


def test_zone_in_words(capsys):
    code, out, _ = run(capsys, "zone", "sacrum")
    assert code == EXIT_OK
    assert out.startswith("Over the sacrum (sacrum, dermatomes S2-S4)")
    assert "bladder-neck-pelvic-splanchnic [segmental] S2-S4" in out


@pytest.mark.parametrize(
    ("what", "section"), [("organs", "organs"), ("zones", "zones"), ("routes", "routes"), ("segments", None)]
)
def test_list_gives_every_id_in_dataset_order(capsys, dataset, what, section):
    rows = run_json(capsys, "list", what)
    entries = dataset.spinal_cord.segments if section is None else getattr(dataset, section)
    expected = [e.id for e in entries]
    assert [row["id"] for row in rows] == expected
    code, out, _ = run(capsys, "list", what)
    assert code == EXIT_OK
    assert [line.split()[0] for line in out.splitlines()] == expected


# --------------------------------------------------------------------------- unknown ids


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["pathway", "bladdr"], ["unknown organ 'bladdr'", "bladder", "painmap list organs"]),
        (["pathway", "kidny", "--json"], ["unknown organ 'kidny'", "kidney"]),
        (["segment", "T99"], ["unknown segment 'T99'", "T9", "painmap list segments"]),
        (["segment", "C3"], ["unknown segment 'C3'"]),
        (["zone", "flnk"], ["unknown zone 'flnk'", "flank", "painmap list zones"]),
    ],
)
def test_an_unknown_id_exits_1_naming_the_closest_known_ids(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == EXIT_INVALID
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("painmap: ")
    for word in words:
        assert word in err


# --------------------------------------------------------------------------- --data


def test_every_dataset_subcommand_takes_data(capsys, liver_file):
    data = ["--data", str(liver_file)]
    assert run(capsys, "validate", *data)[0] == EXIT_OK
    assert run_json(capsys, "pathway", "liver", *data)["routes"][0]["id"] == "liver-aches"
    assert "liver" in [row["id"] for row in run_json(capsys, "list", "organs", *data)]
    assert "liver" in run_json(capsys, "zone", "whole-body-aches", *data)["organs"]
    assert run_json(capsys, "segment", "T10", *data)["segment"] == "T10"
    # and without --data the bundled dataset, which has no liver
    code, _, err = run(capsys, "pathway", "liver")
    assert code == EXIT_INVALID and "unknown organ 'liver'" in err


def test_data_may_be_a_folder(capsys, tmp_path, liver_file):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "liver.yaml").write_text(liver_file.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_json(capsys, "pathway", "liver", "--data", str(folder))["organ"] == "liver"


def test_a_query_on_an_invalid_dataset_reports_its_problems(capsys):
    code, out, err = run(capsys, "pathway", "bladder", "--data", str(BAD / "unknown-zone.yaml"))
    assert code == EXIT_INVALID and out == ""
    assert err.splitlines()[0].endswith("routes[0].zones[1]: unknown zone 'grion'; did you mean 'groin'?")


def test_labels_in_another_language(capsys, liver_file):
    assert run_json(capsys, "pathway", "liver", "--data", str(liver_file), "--lang", "de")["label"] == "Leber"


# --------------------------------------------------------------------------- schema


def test_schema_prints_the_json_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == EXIT_OK
    assert out == schema_json()
    schema = json.loads(out)
    assert schema["title"] == "painmap pathway dataset file"
    assert {"organs", "routes", "spinal_cord"} <= set(schema["properties"])


def test_schema_writes_a_file_and_refuses_a_folder(capsys, tmp_path):
    target = tmp_path / "schema.json"
    code, out, err = run(capsys, "schema", "-o", str(target))
    assert (code, out) == (EXIT_OK, "")
    assert target.read_text(encoding="utf-8") == schema_json()
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    code, _, err = run(capsys, "schema", "-o", str(tmp_path))
    assert code == EXIT_UNREADABLE and "is a folder" in err and "Traceback" not in err
    code, _, err = run(capsys, "schema", "-o", str(tmp_path / "no" / "schema.json"))
    assert code == EXIT_UNREADABLE and "does not exist" in err


def test_a_usage_mistake_is_argparse_s_exit_2(capsys):
    for argv in ([], ["frobnicate"], ["list", "kidneys"], ["pathway"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
    assert "usage: painmap" in capsys.readouterr().err


# --------------------------------------------------------------------------- the console script


def console_script() -> Path:
    script = Path(sys.executable).with_name("painmap")
    if not script.exists():
        pytest.skip("the painmap console script is not installed next to this Python")
    return script


def test_the_console_script_works_and_keeps_the_exit_codes(tmp_path):
    script = console_script()
    def painmap(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([script, *argv], capture_output=True, text=True, timeout=120, check=False)

    ok = painmap("validate")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok: ") and ok.stderr == ""
    bad = painmap("validate", "--data", str(BAD / "python-tag.yaml"))
    assert bad.returncode == 1
    assert "is not allowed" in bad.stderr and "Traceback" not in bad.stderr
    missing = painmap("pathway", "bladder", "--data", str(tmp_path / "none"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    answer = painmap("pathway", "kidney", "--json")
    assert answer.returncode == 0
    assert json.loads(answer.stdout)["organ"] == "kidney"


# --------------------------------------------------------------------------- list sources


def test_list_sources_json_gives_each_source_its_fields_and_who_cites_it(capsys, tmp_path):
    from tests.unit.tiny import tiny_dataset

    ds = tiny_dataset(tmp_path)
    rows = run_json(capsys, "list", "sources", "--data", str(tmp_path / "tiny.yaml"))
    assert [row["id"] for row in rows] == [s.id for s in ds.sources]
    book = rows[0]
    for field in ("title", "authors", "year", "published_in", "kind", "doi", "pmid", "isbn", "url", "accessed"):
        assert field in book
    assert (book["evidence"], book["kind"], book["verified"], book["isbn"]) == ("strong", "article", True, "978-0-00-000000-2")
    assert book["cited_by"] == {
        "routes": ["pump-top-upper", "pump-base-lower", "sac-posture"],
        "somatic_inputs": ["belly-skin-input"],
        "red_flags": ["pump-stops", "sac-bleeds", "general"],
        "mechanisms": [],
        "stories": [],
    }
    assert rows[1]["cited_by"]["routes"] == ["pump-base-upper"] and rows[1]["evidence"] == "weak"


def test_list_sources_json_counts_a_story_as_citing_its_sources_and_its_claims(capsys):
    from painmap.loader import load

    ds = load(None)
    rows = {row["id"]: row for row in run_json(capsys, "list", "sources")}
    for story in ds.stories:
        claimed = [s for claim in (*story.triggers, *story.eases) for s in claim.sources]
        for source in (*story.sources, *claimed):
            assert story.id in rows[source]["cited_by"]["stories"], (story.id, source)


def test_list_sources_in_words_names_title_authors_year_kind_and_grade(capsys, tmp_path):
    from tests.unit.tiny import tiny_dataset

    tiny_dataset(tmp_path)
    code, out, _ = run(capsys, "list", "sources", "--data", str(tmp_path / "tiny.yaml"))
    assert code == EXIT_OK
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["book", "rumour", "rat-study"]
    assert lines[0].split(None, 1)[1] == "A tiny anatomy book (Author A, 2001) [article, strong]"
    assert lines[1].endswith("A weak rumour (2002) [article, weak]")
    (tmp_path / "tiny.yaml").write_text(
        (tmp_path / "tiny.yaml").read_text(encoding="utf-8").replace("evidence: weak}", "evidence: weak, verified: false}", 1),
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "list", "sources", "--data", str(tmp_path / "tiny.yaml"))
    assert out.splitlines()[1].endswith("A weak rumour (2002) [article, weak, unverified]")


def test_zone_and_segment_answers_are_grouped_by_mechanism(tmp_path, capsys):
    """Pain referred through the cord is never listed with posture strain under one heading."""
    from tests.unit.tiny import TINY_YAML

    data = tmp_path / "tiny.yaml"
    data.write_text(TINY_YAML, encoding="utf-8")
    assert main(["zone", "low-back", "--data", str(data)]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    segmental = lines.index("  Referred through the cord (segmental):")
    mechanical = lines.index("  Posture and muscle strain (mechanical):")
    assert "sac-rat [segmental] L1-L2 (Rattus norvegicus)" in lines[segmental + 1]
    assert "sac-posture [mechanical]" in lines[mechanical + 1]
    assert main(["segment", "L4", "--data", str(data)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Referred through the cord" not in out and "sac-posture [mechanical]" in out
