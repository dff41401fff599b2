"""The loader: every bad dataset is refused with its exact place, and the bundled one loads right."""

from __future__ import annotations

import gc
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from painmap import loader, safeyaml
from painmap.loader import DatasetError, DatasetReadError, Problem, load, parse_yaml_text, problem_at, read_yaml
from painmap.model import Dataset

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
BAD = ROOT / "tests" / "bad_datasets"
EXPECTED = BAD / "expected.txt"


# --------------------------------------------------------------------------- expectations file


@dataclass(frozen=True)
class Expected:
    """One problem a bad dataset must give (or, with ``read`` set, a read error)."""

    file: str = ""
    line: int = 0
    column: int | None = 0  # None: the YAML parser's column, not asserted
    field: str = ""
    words: tuple[str, ...] = ()
    read: bool = False


def read_expectations() -> dict[str, list[Expected]]:
    cases: dict[str, list[Expected]] = {}
    current: list[Expected] | None = None
    for number, raw in enumerate(EXPECTED.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("== "):
            name = line[3:].strip()
            assert name not in cases, f"expected.txt:{number}: case {name} given twice"
            current = cases[name] = []
            continue
        assert current is not None, f"expected.txt:{number}: a problem line before any '== NAME'"
        parts = [p.strip() for p in line.split(" | ")]
        if parts[0] == "READ":
            current.append(Expected(words=tuple(parts[1:]), read=True))
            continue
        where = re.fullmatch(r"(.+):(\d+):(\d+|\*)", parts[0])
        assert where and len(parts) >= 3, f"expected.txt:{number}: write FILE:LINE:COL | FIELD | key words"
        field = "" if parts[1] == "-" else parts[1]
        column = None if where[3] == "*" else int(where[3])
        current.append(Expected(where[1], int(where[2]), column, field, tuple(parts[2:])))
    return cases


CASES = read_expectations()


def relative(file: str) -> str:
    return Path(file).resolve().relative_to(BAD.resolve()).as_posix()


def test_every_bad_dataset_has_expectations_and_there_are_at_least_30():
    on_disk = {p.name for p in BAD.iterdir() if p.name != EXPECTED.name}
    assert on_disk == set(CASES), "tests/bad_datasets and expected.txt must list the same cases"
    assert len(CASES) >= 30
    assert all(CASES.values()), "every case expects at least one problem"


def assert_inside_the_file(problem: Problem) -> None:
    """The place named is one a curator can go to: a line of that file, a column of that line."""
    lines = Path(problem.file).read_text(encoding="utf-8", errors="replace").splitlines() or [""]
    assert 1 <= problem.line <= len(lines) + 1, str(problem)
    width = len(lines[problem.line - 1]) if problem.line <= len(lines) else 0
    assert 1 <= problem.column <= width + 1, str(problem)


#: Both PyYAML parsers: what we promise must not depend on which one a machine has.
PARSERS = {"libyaml": getattr(yaml, "CSafeLoader", None), "pure-python": yaml.SafeLoader}


@pytest.fixture(params=sorted(PARSERS))
def parser(request, monkeypatch):
    chosen = PARSERS[request.param]
    if chosen is None:
        pytest.skip("this PyYAML has no libyaml")
    monkeypatch.setattr(safeyaml, "_SafeLoader", chosen)
    return request.param


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_dataset_gives_exactly_the_expected_problems(name, parser):
    expected = CASES[name]
    if expected[0].read:
        with pytest.raises(DatasetReadError) as caught:
            load(BAD / name)
        message = str(caught.value)
        for word in expected[0].words:
            assert word in message
        return
    with pytest.raises(DatasetError) as caught:
        load(BAD / name)
    problems = caught.value.problems
    got = [f"{relative(p.file)}:{p.line}:{p.column} | {p.field or '-'} | {p.message}" for p in problems]
    assert len(problems) == len(expected), "\n".join(got)
    for problem, want, shown in zip(problems, expected, got, strict=True):
        assert isinstance(problem, Problem)
        assert (relative(problem.file), problem.line) == (want.file, want.line), shown
        if want.column is not None:
            assert problem.column == want.column, shown
        assert_inside_the_file(problem)
        assert "\n" not in problem.message and "Traceback" not in problem.message, shown
        assert problem.field == want.field, shown
        for word in want.words:
            assert word in problem.message, f"{word!r} not in: {shown}"


def test_a_file_with_three_mistakes_reports_all_three_at_once():
    with pytest.raises(DatasetError) as caught:
        load(BAD / "three-mistakes.yaml")
    problems = caught.value.problems
    assert [p.field for p in problems] == [
        "sources[0].year",
        "organs[0].colour",
        "organs[0].parts[0].pain_line",
    ]
    assert [p.line for p in problems] == [5, 10, 12]
    # the exception's text is the one-line-per-problem report
    assert str(caught.value).splitlines() == [str(p) for p in problems]


def test_reference_problems_of_two_files_are_all_reported_in_file_order():
    with pytest.raises(DatasetError) as caught:
        load(BAD / "mistakes-in-two-files")
    files = [Path(p.file).name for p in caught.value.problems]
    assert files == ["anatomy.yaml"] + ["routes.yaml"] * 5


# --------------------------------------------------------------------------- cases made here


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def only_problem(path: Path) -> Problem:
    with pytest.raises(DatasetError) as caught:
        load(path)
    assert len(caught.value.problems) == 1, str(caught.value)
    return caught.value.problems[0]


def test_a_binary_file_is_refused_with_its_line(tmp_path):
    problem = only_problem(write(tmp_path / "image.yaml", b"extends: bundled\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert (problem.line, problem.column, problem.field) == (4, 1, "")
    assert "binary file" in problem.message


def test_non_utf8_bytes_are_refused_with_line_and_column(tmp_path):
    latin1 = "extends: bundled\norgans:\n  - id: liver\n    label: {en: Leber, de: Lebersträng}\n".encode("latin-1")
    problem = only_problem(write(tmp_path / "latin1.yaml", latin1))
    assert (problem.line, problem.column) == (4, 36)
    assert "not UTF-8" in problem.message
    assert "0xe4" in problem.message


def test_a_utf16_file_is_named_as_such(tmp_path):
    problem = only_problem(write(tmp_path / "utf16.yaml", "extends: bundled\n".encode("utf-16")))
    assert (problem.line, problem.column) == (1, 1)
    assert "UTF-16" in problem.message and "UTF-8" in problem.message


def test_a_utf8_byte_order_mark_is_fine(tmp_path):
    path = write(tmp_path / "bom.yaml", "\ufeffextends: bundled\n".encode())
    assert len(load(path).routes) == len(load(DATA).routes)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"extends: bundled\n")
        handle.write(b"# padding\n" * (loader.MAX_FILE_BYTES // 10 + 1))
    problem = only_problem(path)
    assert (problem.line, problem.column) == (1, 1)
    assert str(path.stat().st_size) in problem.message
    assert f"limit is {loader.MAX_FILE_BYTES}" in problem.message


def test_a_file_just_under_the_size_limit_is_read(tmp_path):
    path = tmp_path / "padded.yaml"
    padding = b"#" * 99 + b"\n"
    with path.open("wb") as handle:
        handle.write(b"extends: bundled\n")
        handle.write(padding * ((loader.MAX_FILE_BYTES - 100) // len(padding)))
    assert path.stat().st_size <= loader.MAX_FILE_BYTES
    assert load(path).organ["bladder"]


def test_a_missing_path_is_a_read_error_that_names_it(tmp_path):
    missing = tmp_path / "nowhere" / "pathways.yaml"
    with pytest.raises(DatasetReadError, match="no such file or folder") as caught:
        load(missing)
    assert str(missing) in str(caught.value)


def test_a_folder_of_only_other_files_is_a_read_error(tmp_path):
    write(tmp_path / "notes.txt", "organs: []\n")
    write(tmp_path / "pathways.yaml.bak", "organs: []\n")
    with pytest.raises(DatasetReadError, match="no .yaml files"):
        load(tmp_path)


def test_a_bomb_by_value_count_is_refused(tmp_path):
    """Few aliases, each of a long list: the value budget stops it, not the alias budget."""
    items = loader.MAX_NODES // (loader.MAX_ALIASES - 10) + 1
    aliases = ", ".join(["*big"] * (loader.MAX_ALIASES - 5))
    text = f"extends: bundled\nbig: &big [{', '.join(['1'] * items)}]\nmany: [{aliases}]\n"
    problem = only_problem(write(tmp_path / "wide-bomb.yaml", text))
    assert f"more than {loader.MAX_NODES} values" in problem.message
    assert "YAML bomb" in problem.message


def test_an_alias_to_itself_is_refused(tmp_path):
    problem = only_problem(write(tmp_path / "loop.yaml", "extends: bundled\nscaffold: &s {a: [*s]}\n"))
    assert "YAML aliases" in problem.message


@pytest.mark.parametrize("depth", [loader.MAX_DEPTH + 1, 999, 1001, 20_000])
def test_very_deep_nesting_is_refused_not_a_crash(tmp_path, parser, depth):
    """Thousands of '[' used to overflow the stack (RecursionError, or a segfault in libyaml's composer).

    Our guard refuses more than MAX_DEPTH; a libyaml may refuse very deep files first (PyYAML
    6.0.4's stops at 1000). Either way: one problem, on the line of the nesting, in our words.
    """
    path = write(tmp_path / "deep.yaml", "extends: bundled\nx: " + "[" * depth + "]" * depth + "\n")
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.line == 2
    assert_inside_the_file(problem)
    assert problem.message == f"lists and mappings nested more than {loader.MAX_DEPTH} deep: refused"


def test_the_depth_guard_names_the_first_value_past_the_limit(tmp_path, parser):
    """Where our own guard finds the place, it is exact: the first '[' past MAX_DEPTH levels."""
    depth = loader.MAX_DEPTH + 5
    problem = only_problem(write(tmp_path / "deep.yaml", "extends: bundled\nx: " + "[" * depth + "]" * depth + "\n"))
    assert (problem.line, problem.column) == (2, 3 + loader.MAX_DEPTH)  # the top mapping is level 1


PYTHON_TAGS = {
    "apply": "sources:\n  - !!python/object/apply:os.system ['touch {marker}']\n",
    "apply-in-key": "sources:\n  - ? !!python/object/apply:os.system ['touch {marker}']\n    : 1\n",
    "new": "sources: !!python/object/new:subprocess.call [['touch', '{marker}']]\n",
    "object": "sources:\n  - !!python/object:subprocess.Popen {{args: ['touch', '{marker}']}}\n",
    "name-in-flow": "sources: [{{id: x, title: !!python/name:os.system }}]\n",
    "in-merge": "sources:\n  - <<: !!python/object/apply:os.system ['touch {marker}']\n    id: x\n",
    "local-tag": "sources:\n  - !touch '{marker}'\n",
}


@pytest.mark.parametrize("case", sorted(PYTHON_TAGS))
def test_python_tags_are_refused_and_never_run(tmp_path, case):
    marker = tmp_path / "code-ran"
    path = write(tmp_path / f"{case}.yaml", "extends: bundled\n" + PYTHON_TAGS[case].format(marker=marker))
    problem = only_problem(path)
    assert "is not allowed" in problem.message
    assert problem.line >= 2
    assert not marker.exists(), "a YAML tag ran code"


# --------------------------------------------------------------------------- never a traceback


GENERATED: dict[str, bytes] = {
    "binary.yaml": b"\x00\x01\x02\xff" * 64,
    "latin1.yaml": "organs:\n  - id: h\u00e4\n".encode("latin-1"),
    "utf16.yaml": "organs: []\n".encode("utf-16"),
    "bad-date.yaml": b"extends: bundled\nsources:\n  - {id: x, title: t, year: 2001-13-45}\n",
    "bad-int.yaml": b"extends: bundled\nsources:\n  - {id: x, title: t, year: !!float abc}\n",
    "null-top.yaml": b"null\n",
    "text-top.yaml": b"just some words\n",
    "bool-key.yaml": b"extends: bundled\ntrue: 1\n",
    "list-key.yaml": b"extends: bundled\n? [a, b]\n: 1\n",
    "merge-scalar.yaml": b"extends: bundled\nsources:\n  - <<: 5\n    id: x\n",
    "empty-section.yaml": b"extends: bundled\norgans:\n",
    "nan-depth.yaml": b"extends: bundled\nlaminae:\n  - {id: vi, label: {en: VI}, ontology: 'UBERON:1234', depth: .nan}\n",
    "huge-int.yaml": b"extends: bundled\nsources:\n  - {id: x, title: title, year: 1" + b"0" * 5000 + b"}\n",
    "unclosed-quote.yaml": b'extends: bundled\nsources:\n  - {id: x, title: "never closed}\n',
    "only-dashes.yaml": b"---\n...\n",
    "stray-colon.yaml": b"extends: bundled\norgans: : :\n",
    "extends-other.yaml": b"extends: elsewhere\n",
}


def every_bad_path(tmp_path: Path) -> list[Path]:
    paths = [BAD / name for name in sorted(CASES)]
    for name, content in GENERATED.items():
        paths.append(write(tmp_path / name, content))
    paths.append(tmp_path / "missing.yaml")
    return paths


def test_the_loader_raises_only_its_own_errors_for_every_bad_dataset(tmp_path):
    for path in every_bad_path(tmp_path):
        try:
            load(path)
        except DatasetError as exc:
            assert exc.problems, path
            for problem in exc.problems:
                assert problem.line >= 1 and problem.column >= 1, (path, problem)
                assert problem.message, (path, problem)
        except DatasetReadError as exc:
            assert str(exc), path
        else:
            pytest.fail(f"{path.name} loaded but is not a valid dataset")


def test_truncated_and_damaged_bundled_files_never_escape_as_other_exceptions(tmp_path):
    """Cut pathways.yaml at many places and damage single bytes: only DatasetError may come out."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("anatomy.yaml", "sources.yaml"):
        shutil.copy(DATA / name, folder / name)
    original = (DATA / "pathways.yaml").read_bytes()
    damaged = [original[:cut] for cut in range(0, len(original), len(original) // 25)]
    for at in range(7, len(original), len(original) // 15):
        for byte in (b"\t", b"{", b"*", b"!", b"\xff"):
            damaged.append(original[:at] + byte + original[at + 1 :])
    outcomes = {"loaded": 0, "refused": 0}
    for variant in damaged:
        (folder / "pathways.yaml").write_bytes(variant)
        try:
            load(folder)
            outcomes["loaded"] += 1
        except DatasetError as exc:
            assert all(p.line >= 1 for p in exc.problems)
            outcomes["refused"] += 1
    assert outcomes["refused"] > len(damaged) // 4


# --------------------------------------------------------------------------- YAML reading


def test_parse_yaml_text_records_where_every_key_and_item_is():
    parsed = parse_yaml_text(b"organs:\n  - id: liver\n    parts:\n      - {id: lobe}\n", "inline.yaml")
    assert parsed.data == {"organs": [{"id": "liver", "parts": [{"id": "lobe"}]}]}
    assert parsed.locate(("organs",)) == (1, 1)
    assert parsed.locate(("organs", 0)) == (2, 5)
    assert parsed.locate(("organs", 0, "parts")) == (3, 5)
    assert parsed.locate(("organs", 0, "parts", 0, "id")) == (4, 10)
    # a path that is not there is placed at its nearest ancestor
    assert parsed.locate(("organs", 0, "colour")) == (2, 5)
    problem = problem_at(parsed, ("organs", 0, "parts", 0, "id"), "bad id")
    assert str(problem) == "inline.yaml:4:10: organs[0].parts[0].id: bad id"


def test_read_yaml_names_the_file_as_given(tmp_path):
    path = write(tmp_path / "a.yaml", "organs: []\n")
    assert read_yaml(path).path == str(path)
    assert read_yaml(path, display="shown.yaml").path == "shown.yaml"
    with pytest.raises(DatasetReadError, match="cannot read"):
        read_yaml(tmp_path / "missing.yaml")


def test_yaml_1_1_booleans_stay_text_but_true_and_false_are_booleans():
    """'no' is Norwegian: as a key or a label it must stay text (YAML 1.2 semantics)."""
    parsed = parse_yaml_text(b"label: {en: 'Yes', no: Ja, de: on}\nclosed: false\nopen: yes\n", "b.yaml")
    assert parsed.data == {"label": {"en": "Yes", "no": "Ja", "de": "on"}, "closed": False, "open": "yes"}


def test_dates_and_numeric_keys_stay_as_written():
    parsed = parse_yaml_text(b"title: 2001-01-01\n1: one\n", "d.yaml")
    assert parsed.data == {"title": "2001-01-01", "1": "one"}


def test_merge_keys_work_and_a_mapping_own_key_wins(tmp_path):
    text = """extends: bundled
zones:
  - &band {id: mid-back-left, label: {en: Left mid back}, ontology: "UBERON:0002097",
           ontology_match: broader, dermatomes: T6-T8, views: [back]}
  - <<: *band
    id: mid-back-right
    label: {en: Right mid back}
"""
    ds = load(write(tmp_path / "merge.yaml", text))
    left, right = ds.zone["mid-back-left"], ds.zone["mid-back-right"]
    assert right.label == {"en": "Right mid back"}
    assert right.dermatomes == left.dermatomes == ("T6", "T7", "T8")


def test_a_merged_value_is_located_where_it_is_written():
    parsed = parse_yaml_text(b"a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n", "m.yaml")
    assert parsed.data["b"] == {"k": 1, "j": 2}
    assert parsed.locate(("b", "k")) == (1, 8)
    assert parsed.locate(("b", "j")) == (4, 3)


def test_a_few_aliases_are_fine():
    parsed = parse_yaml_text(b"a: &v [T10, L1]\nb: *v\nc: *v\n", "alias.yaml")
    assert parsed.data == {"a": ["T10", "L1"], "b": ["T10", "L1"], "c": ["T10", "L1"]}


# --------------------------------------------------------------------------- the bundled dataset


def raw_sections() -> dict[str, list]:
    """The bundled YAML read with plain PyYAML, added up across files (the loader's job, done naively)."""
    totals: dict[str, list] = {}
    for path in sorted(DATA.glob("*.yaml")):
        for key, value in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if isinstance(value, list):
                totals.setdefault(key, []).extend(value)
    return totals


def test_the_bundled_dataset_loads_with_the_counts_its_files_hold(dataset):
    assert isinstance(dataset, Dataset)
    raw = raw_sections()
    for section in ("sources", "organs", "nerves", "laminae", "zones", "deep_structures", "somatic_inputs", "routes"):
        assert len(getattr(dataset, section)) == len(raw[section]), section
        assert [e.id for e in getattr(dataset, section)] == [e["id"] for e in raw[section]], section
    assert len(dataset.disputes) == len(raw.get("disputes", []))
    assert {Path(f).name for f in dataset.origin} == {p.name for p in DATA.glob("*.yaml")}
    # the floor the app is built around
    assert {"bladder", "uterus", "gut", "kidney", "airways"} <= set(dataset.organ)
    assert len(dataset.routes) >= 17 and len(dataset.zones) >= 16 and len(dataset.sources) >= 30


def test_load_without_a_path_gives_the_bundled_dataset(dataset):
    assert load(None) == dataset
    assert load() == dataset


def test_bundled_lookups(dataset):
    assert dataset.organ["bladder"].label["en"] == "Bladder"
    assert dataset.part["cervix"].pain_line == "across"
    assert dataset.organ_of_part["cervix"].id == "uterus"
    assert dataset.nerve["pelvic-splanchnic-nerves"].kind == "nerve"
    assert dataset.zone["sacrum"].dermatomes == ("S2", "S3", "S4")
    assert dataset.lamina["v"].depth > dataset.lamina["i"].depth
    assert dataset.segment["T10"].landmark == {"en": "umbilicus", "es": "ombligo"}
    assert dataset.drawn_segments[0] == "T9" and dataset.drawn_segments[-1] == "S5"
    assert dataset.route["bladder-neck-pelvic-splanchnic"].segments == ("S2", "S3", "S4")
    assert dataset.somatic_input["s2-s4-pudendal-skin"].nerve == "pudendal-nerve"
    assert set(dataset.fibre_styles) == {"sensory", "sympathetic", "parasympathetic", "somatic", "cns", "enteric"}


def test_the_cervix_dispute_has_two_routes_entering_different_segments(dataset):
    dispute = next(d for d in dataset.disputes if d.id == "cervix-afferents")
    routes = [dataset.route[r] for r in dispute.routes]
    assert len(routes) == 2
    assert {r.part for r in routes} == {"cervix"}
    assert routes[0].segments != routes[1].segments
    assert not set(routes[0].segments).intersection(routes[1].segments)
    assert {"S2", "T10"} <= set(routes[0].segments) | set(routes[1].segments)
    assert all(dataset.disputed_routes[r.id] is dispute for r in routes)


def test_every_route_has_sources_that_exist(dataset):
    for route in dataset.routes:
        assert route.sources, route.id
        for source in route.sources:
            assert dataset.source[source].title, source


def test_every_segmental_route_is_complete_and_within_the_cord(dataset):
    for route in dataset.routes:
        if route.kind == "segmental":
            assert route.chain and route.laminae and route.zones, route.id
            assert all(s in dataset.segment for s in route.segments), route.id
            assert route.chain[-1] == "dorsal-root", route.id
        if route.kind == "systemic":
            assert route.segments is None, route.id


ONTOLOGY = re.compile(r"^(UBERON|FMA|ILX|NCBITaxon|PATO):[0-9]{4,8}$")


def test_every_anatomical_entity_has_an_ontology_id(dataset):
    entities = [
        *dataset.organs,
        *(p for o in dataset.organs for p in o.parts),
        *dataset.nerves,
        *dataset.laminae,
        *dataset.zones,
        *dataset.deep_structures,
        *dataset.spinal_cord.segments,
    ]
    assert len(entities) > 60
    for entity in entities:
        assert ONTOLOGY.match(entity.ontology), entity.id
        assert entity.ontology_match in ("exact", "broader")


def test_a_dataset_file_can_extend_the_bundled_one(tmp_path, dataset):
    text = """extends: bundled
languages: [de]
organs:
  - id: liver
    label: {en: Liver, de: Leber}
    ontology: "UBERON:0002107"
    parts:
      - {id: liver-capsule, label: {en: Liver capsule}, ontology: "UBERON:0002107", ontology_match: broader}
"""
    extended = load(write(tmp_path / "liver.yaml", text))
    assert len(extended.organs) == len(dataset.organs) + 1
    assert extended.organ_of_part["liver-capsule"].id == "liver"
    assert extended.languages == ("en", "es", "de")
    assert extended.origin[-1] == str(tmp_path / "liver.yaml")


def test_a_folder_dataset_adds_its_files_up(tmp_path, dataset):
    for path in DATA.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    copied = load(tmp_path)
    assert [r.id for r in copied.routes] == [r.id for r in dataset.routes]
    assert copied.organs == dataset.organs


# --------------------------------------------------------------------------- a loaded dataset is read-only


def test_a_loaded_dataset_cannot_be_changed(dataset):
    """The figure cache is built from the dataset: a change to it would corrupt every later figure."""
    with pytest.raises(AttributeError):
        dataset.fibre_styles.clear()
    with pytest.raises(TypeError):
        dataset.fibre_styles["sensory"] = dataset.fibre_styles["somatic"]
    with pytest.raises(TypeError):
        dataset.outlines["bladder"] = ()
    with pytest.raises(TypeError):
        del dataset.scaffold[next(iter(dataset.scaffold))]
    for table in (dataset.organ, dataset.part, dataset.route, dataset.zone, dataset.segment, dataset.disputed_routes):
        with pytest.raises(TypeError):
            table["new"] = None  # type: ignore[index]
    for sequence in (dataset.organs, dataset.routes, dataset.organs[0].parts, dataset.routes[0].chain,
                     dataset.routes[0].zones, dataset.nerves[0].fibres, dataset.spinal_cord.segments,
                     dataset.outlines[next(iter(dataset.outlines))][0].points):  # fmt: skip
        assert isinstance(sequence, tuple), type(sequence)
    with pytest.raises(Exception, match="frozen"):
        dataset.outlines = {}  # type: ignore[misc]
    with pytest.raises(TypeError):  # the texts per language too: a label changed here would show everywhere
        dataset.organs[0].label["en"] = "Renamed"  # type: ignore[index]


def test_a_dataset_keeps_its_own_copy_of_the_mappings_it_was_built_from(dataset):
    styles = dict(dataset.fibre_styles)
    fields = {name: getattr(dataset, name) for name in Dataset.model_fields}
    made = Dataset.model_validate({**fields, "fibre_styles": styles})
    styles.clear()
    assert set(made.fibre_styles) == set(dataset.fibre_styles)
    assert made == dataset
    # a read-only dataset still serialises (the CLI's --json and query.py dump it)
    assert made.model_dump(mode="json")["fibre_styles"]["sensory"]["colour"].startswith(("#", "rgba("))


# --------------------------------------------------------------------------- colours are normalised when loaded

COLOURED = """extends: bundled
organs:
  - id: liver
    label: {en: Liver}
    ontology: "UBERON:0002107"
    colour: COLOUR
    parts:
      - {id: liver-whole, label: {en: Liver}, ontology: "UBERON:0002107"}
"""


@pytest.mark.parametrize(("written", "loaded"), [("teal", "#008080"), ("DarkSlateGray", "#2f4f4f"),
                                                 ("'rgba(0, 128, 128, 0.5)'", "rgba(0, 128, 128, 0.5)")])  # fmt: skip
def test_colour_names_load_as_hex(tmp_path, written, loaded):
    ds = load(write(tmp_path / "liver.yaml", COLOURED.replace("COLOUR", written)))
    assert ds.organ["liver"].colour == loaded
    assert all(s.colour.startswith(("#", "rgba(")) for s in ds.fibre_styles.values())


def test_a_bad_colour_name_is_refused_with_its_place_and_a_hint(tmp_path):
    path = write(tmp_path / "liver.yaml", COLOURED.replace("COLOUR", "darkslategrey-ish"))
    problem = only_problem(path)
    assert (problem.file, problem.line, problem.column) == (str(path), 6, 5)
    assert problem.field == "organs[0].colour"
    assert "'darkslategrey-ish' is not a colour" in problem.message
    assert "did you mean 'darkslategrey'" in problem.message


# --------------------------------------------------------------------------- the cycle collector


def test_loading_pauses_the_cycle_collector_and_turns_it_back_on(tmp_path, monkeypatch):
    seen: list[bool] = []
    real = loader._load

    def spy(*args):
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(loader, "_load", spy)
    assert gc.isenabled()
    load(DATA)
    assert seen == [False], "the collector runs during a load"
    assert gc.isenabled(), "a load left the cycle collector off for the whole process"
    with pytest.raises(DatasetError):
        load(BAD / "three-mistakes.yaml")
    assert gc.isenabled(), "a load that failed left the cycle collector off"
    with pytest.raises(DatasetReadError):
        load(tmp_path / "missing.yaml")
    assert gc.isenabled()


def test_a_load_leaves_a_collector_that_was_off_off():
    gc.disable()
    try:
        load(DATA)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_safe_yaml_reader_imports_nothing_of_painmap():
    """safeyaml is the one reader for every YAML file painmap reads: it must stand alone."""
    import ast

    tree = ast.parse(Path(safeyaml.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name == "painmap" or name.startswith("painmap.")}


def test_the_names_importers_use_are_still_in_the_loader():
    for name in ("load", "DatasetError", "DatasetReadError", "Problem", "MAX_FILE_BYTES", "bundled_data_dir",
                 "dataset_files", "parse_yaml_text", "read_yaml", "check_references", "format_field"):  # fmt: skip
        assert hasattr(loader, name), name


# --------------------------------------------------------------------------- anatomical order, forks, somatic phase
# Curator-proof: each rule on the tiny standalone dataset plus one small file; the bundled facts
# are tested under their own names (test_bundled_...).


def tiny_with(tmp_path: Path, extra: str) -> list[Problem]:
    """Problems of the tiny dataset plus ``extra`` (a second file); [] when it loads."""
    from tests.unit.tiny import TINY_YAML

    tmp_path.mkdir(parents=True, exist_ok=True)
    write(tmp_path / "a-tiny.yaml", TINY_YAML)
    write(tmp_path / "b-extra.yaml", extra)
    try:
        load(tmp_path)
    except DatasetError as exc:
        return exc.problems
    return []


ORDERED_NERVES = """nerves:
  - {id: first, label: {en: First}, ontology: "UBERON:0001021", kind: plexus, fibres: [sensory], precedes: [second]}
  - {id: second, label: {en: Second}, ontology: "UBERON:0001021", kind: nerve, fibres: [sensory], precedes: [third]}
  - {id: third, label: {en: Third}, ontology: "UBERON:0001021", kind: nerve, fibres: [sensory]}
  - {id: other, label: {en: Other}, ontology: "UBERON:0001021", kind: nerve, fibres: [sensory]}
"""


def route_with(chain: str, more: str = "") -> str:
    return ORDERED_NERVES + f"""routes:
  - id: sac-ordered
    organ: sac
    part: sac-wall
    kind: segmental
    chain: {chain}
    segments: T10
    laminae: [one]
    zones: [belly]
    sources: [book]
{more}"""


def test_a_chain_in_the_declared_order_loads(tmp_path):
    assert tiny_with(tmp_path, route_with("[first, second, third]")) == []


def test_a_chain_against_the_declared_order_is_refused_at_the_step_out_of_place(tmp_path):
    problems = tiny_with(tmp_path, route_with("[second, first, third]"))
    assert [(p.field, p.line, p.column) for p in problems] == [("routes[0].chain[1]", 11, 21)]
    assert "'first' comes after 'second' (step 1)" in problems[0].message
    assert "b-extra.yaml:2" in problems[0].message, "names where the order is declared"


def test_the_declared_order_is_followed_through(tmp_path):
    problems = tiny_with(tmp_path, route_with("[third, other, first]"))
    assert [p.field for p in problems] == ["routes[0].chain[2]"]
    assert "'first' comes after 'third'" in problems[0].message


def test_an_order_that_runs_in_a_circle_is_refused(tmp_path):
    circle = ORDERED_NERVES.replace("fibres: [sensory]}\n  - {id: other", "fibres: [sensory], precedes: [first]}\n  - {id: other")
    problems = tiny_with(tmp_path, circle)
    assert {p.field for p in problems} == {"nerves[0].precedes[0]", "nerves[1].precedes[0]", "nerves[2].precedes[0]"}
    assert all("circle" in p.message for p in problems)


def test_alternatives_side_by_side_load_and_apart_are_refused(tmp_path):
    assert tiny_with(tmp_path / "ok", route_with("[first, second, other, third]", "    alternatives: [[second, other]]")) == []
    problems = tiny_with(tmp_path / "apart", route_with("[first, second, third, other]", "    alternatives: [[second, other]]"))
    assert [p.field for p in problems] == ["routes[0].alternatives[0]"]
    assert "'third' stands between them" in problems[0].message


def test_an_alternative_outside_the_chain_is_refused(tmp_path):
    problems = tiny_with(tmp_path, route_with("[first, second]", "    alternatives: [[second, other]]"))
    assert [p.field for p in problems] == ["routes[0].alternatives[0][1]"]
    assert "'other' is not in this route's chain" in problems[0].message


def phase(nerve: str, zones: str = "[seat]") -> str:
    return f"""    somatic_phase:
      label: {{en: Then the seat}}
      nerve: {nerve}
      segments: S2-S3
      zones: {zones}
      sources: [book]"""


def test_a_somatic_phase_with_a_somatic_nerve_loads(tmp_path):
    assert tiny_with(tmp_path, route_with("[first]", phase("back-nerve"))) == []


def test_a_somatic_phase_needs_a_somatic_nerve_and_known_zones(tmp_path):
    problems = tiny_with(tmp_path, route_with("[first]", phase("upper-nerve", "[seet]")))
    assert [p.field for p in problems] == ["routes[0].somatic_phase.nerve", "routes[0].somatic_phase.zones[0]"]
    assert "carries no somatic fibres" in problems[0].message
    assert "did you mean 'seat'?" in problems[1].message


def test_a_route_s_mechanisms_must_exist(tmp_path):
    problems = tiny_with(tmp_path, route_with("[first]", "    mechanisms: [convergence]"))
    assert [p.field for p in problems] == ["routes[0].mechanisms[0]"]


def test_bundled_bladder_neck_chain_is_in_anatomical_order(dataset):
    chain = dataset.route["bladder-neck-pelvic-splanchnic"].chain
    assert chain == ("inferior-hypogastric-plexus", "pelvic-splanchnic-nerves", "dorsal-root-ganglion", "dorsal-root")
    assert "pelvic-splanchnic-nerves" in dataset.nerve["inferior-hypogastric-plexus"].precedes


def test_bundled_kidney_lesser_and_least_splanchnic_are_alternatives(dataset):
    kidney = dataset.route["kidney-splanchnic"]
    assert kidney.alternatives == (("lesser-splanchnic-nerve", "least-splanchnic-nerve"),)


def test_bundled_appendix_is_referred_to_t10_then_somatic_in_the_right_iliac_fossa(dataset):
    appendix = dataset.route["midgut-appendix"]
    assert appendix.segments[0] == "T10" and appendix.zones == ("periumbilical",)
    assert appendix.somatic_phase is not None and appendix.somatic_phase.zones == ("right-iliac-fossa",)
    assert "somatic" in dataset.nerve[appendix.somatic_phase.nerve].fibres
    assert "convergence-projection" not in str(appendix.somatic_phase.model_dump())


def test_bundled_sacral_pelvic_routes_reach_lamina_x_and_the_dorsal_column(dataset):
    for rid in ("bladder-neck-pelvic-splanchnic", "cervix-pelvic-splanchnic", "rectum-pelvic-splanchnic"):
        route = dataset.route[rid]
        assert "x" in route.laminae and route.ascending == ("spinothalamic", "dorsal-column"), rid
        assert "al-chaer-1996-gracilis" in route.sources, rid


def test_bundled_texts_carry_no_unattributed_lay_statistics(dataset):
    note = dataset.route["uterine-body-sympathetic"].note["en"]
    assert "PGF2alpha" in note and "lay claims" in note
    assert "sacral cord also takes input from the low back" not in dataset.route["bladder-neck-pelvic-splanchnic"].note["en"]


def test_bundled_cervix_sympathetic_level_is_its_sources_t10_l2(dataset):
    assert dataset.route["cervix-sympathetic"].segments[-1] == "L2"


def test_bundled_ibs_is_not_an_inflammation_and_crohn_s_is(dataset):
    systemic = [r for r in dataset.routes if r.organ == "gut" and r.kind == "systemic"]
    assert systemic and all("Crohn" in r.label["en"] and "not IBS" in r.label["en"] for r in systemic)
    assert "IBS" in dataset.route["gut-flare-posture"].label["en"]


def test_bundled_lumbosacral_back_zone_spans_the_buttock_and_thigh_segments(dataset):
    assert dataset.zone["lumbosacral-back"].dermatomes[-1] == "S3"


def test_bundled_broader_ids_are_not_the_narrower_part(dataset):
    assert dataset.part["appendix-caecum-ascending-colon"].ontology != "UBERON:0001153"
    assert dataset.part["bladder-dome"].ontology != "UBERON:0006082"
    assert dataset.deep_structure["lumbar-discs-l4-s1"].ontology == "UBERON:0001066"
    assert dataset.segment["T10"].ontology == "UBERON:0006466" and dataset.segment["T10"].ontology_match == "exact"
