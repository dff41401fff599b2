"""The SCKAN importer on the real SCKAN extract (examples/sckan), and on broken input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from painmap import cli, sckan
from painmap.loader import load
from painmap.model import ALL_SEGMENTS

ROOT = Path(__file__).resolve().parents[2]
SCKAN_FILE = ROOT / "examples" / "sckan" / "sckan-pelvic-2025-11-10.json"
LICENCE = "SCKAN release 2025-11-10, CC BY 4.0"


def _records() -> dict[str, dict[str, str]]:
    """The extract's records by short key, straight from the JSON (no importer code)."""
    data = json.loads(SCKAN_FILE.read_text(encoding="utf-8"))
    return {
        sckan.record_key(b["Neuron_IRI"]["value"]): {k: v["value"] for k, v in b.items()}
        for b in data["results"]["bindings"]
    }


@pytest.fixture(scope="module")
def human():
    return sckan.import_file(SCKAN_FILE, "Homo sapiens")


@pytest.fixture(scope="module")
def every_species():
    return sckan.import_file(SCKAN_FILE, "all")


@pytest.fixture(scope="module")
def human_dataset(human, tmp_path_factory):
    out = tmp_path_factory.mktemp("sckan") / "human.yaml"
    out.write_text(human.yaml_text, encoding="utf-8")
    return load(out)


@pytest.fixture(scope="module")
def all_dataset(every_species, tmp_path_factory):
    out = tmp_path_factory.mktemp("sckan") / "all.yaml"
    out.write_text(every_species.yaml_text, encoding="utf-8")
    return load(out)


def _report_for(result, key: str) -> list[str]:
    return [line for line in result.report_lines() if f" {key} (" in f" {line.split(': ', 1)[1]}"]


# --------------------------------------------------------------------------- the real file


def test_repo_copy_keeps_the_attribution():
    readme = (SCKAN_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "2025-11-10" in readme and "CC BY 4.0" in readme and "SPARC" in readme
    assert len(_records()) == 134


def test_output_extends_bundled_and_validates(human, human_dataset):
    first, *rest = human.yaml_text.splitlines()
    assert first.startswith("# yaml-language-server: $schema=")
    assert yaml.safe_load(human.yaml_text)["extends"] == "bundled"
    imported = [r for r in human_dataset.routes if r.id.startswith("imported-")]
    assert {r.id for r in imported} == {r.id for r in human.routes}
    assert len(imported) >= 4
    # the bundled dataset is there too: the file refers to its nerves, zones and laminae
    assert "uterine-body-sympathetic" in human_dataset.route


def test_every_generated_id_is_prefixed(every_species):
    ids = [r.id for r in every_species.routes] + [s.id for s in every_species.sources]
    assert ids and all(i.startswith("imported-") for i in ids)
    assert len(ids) == len(set(ids))


def test_uterus_t10_l2_via_the_hypogastric_nerve(human_dataset):
    route = human_dataset.route["imported-sckan-femrep-102"]
    assert (route.organ, route.part, route.kind) == ("uterus", "uterine-body", "segmental")
    assert route.segments == ("T10", "T11", "T12", "L1", "L2")
    assert route.chain[0] == "hypogastric-nerve"
    assert route.chain[-2:] == ("dorsal-root-ganglion", "dorsal-root")
    assert (route.species.label, route.species.ontology) == ("Homo sapiens", "NCBITaxon:9606")
    assert route.laminae == ("i", "v")
    assert "zones inferred from dermatomes" in route.note["en"].lower()
    for zone in route.zones:  # inferred zones overlap the route's segments
        assert set(human_dataset.zone[zone].dermatomes) & set(route.segments)


def test_cervix_s2_s4_and_t10_l2_records(human_dataset):
    pelvic = human_dataset.route["imported-sckan-femrep-101"]
    assert (pelvic.part, pelvic.segments) == ("cervix", ("S2", "S3", "S4"))
    assert pelvic.chain[0] == "pelvic-splanchnic-nerves"
    assert set(pelvic.zones) <= {"sacrum", "perineum-saddle", "urethra-penile-tip"}
    sympathetic = human_dataset.route["imported-sckan-femrep-103"]
    assert (sympathetic.part, sympathetic.segments[0], sympathetic.segments[-1]) == ("cervix", "T10", "L2")


def test_kidney_t10_l1_via_lesser_or_least_splanchnic(human_dataset):
    route = human_dataset.route["imported-sckan-kidney-139"]
    assert (route.organ, route.part) == ("kidney", "kidney-upper-ureter")
    assert route.segments == ("T10", "T11", "T12", "L1")
    assert {"lesser-splanchnic-nerve", "least-splanchnic-nerve"} <= set(route.chain)
    assert "flank" in route.zones


def test_each_route_cites_its_own_record(human_dataset):
    records = _records()
    route = human_dataset.route["imported-sckan-femrep-102"]
    (source_id,) = route.sources
    source = human_dataset.source[source_id]
    record = records["femrep-102"]
    assert source.url == record["Neuron_IRI"]
    assert LICENCE in source.note
    assert record["Composer_URI"] in source.note
    assert source.doi == "10.3389/fphar.2014.00017"  # taken from the record's Citations
    for r in human_dataset.routes:
        if r.id.startswith("imported-"):
            assert all(human_dataset.source[s].url.startswith("http") for s in r.sources)
            assert all(LICENCE in human_dataset.source[s].note for s in r.sources)


def test_rat_records_are_left_out_by_default(human):
    assert {r.species.label for r in human.routes} == {"Homo sapiens"}
    (line,) = _report_for(human, "keast-11")
    assert "Rattus norvegicus" in line and "--species all" in line
    (blank,) = _report_for(human, "sdcol-c")
    assert "species unknown" in blank


def test_all_species_keeps_each_species(every_species, all_dataset):
    rat = [r for r in all_dataset.routes if r.species.label == "Rattus norvegicus"]
    assert rat and all(r.species.ontology == "NCBITaxon:10116" for r in rat)
    keast = all_dataset.route["imported-sckan-keast-11-bladder-dome"]
    assert keast.species.label == "Rattus norvegicus"
    assert "rat segment numbers, not human ones" in keast.note["en"]
    mouse = all_dataset.route["imported-sckan-kidney-144"]
    assert mouse.species.ontology == "NCBITaxon:10090"
    cat = all_dataset.route["imported-sckan-kidney-148"]
    assert cat.species.ontology == "NCBITaxon:9685"
    human_routes = [r for r in all_dataset.routes if r.id.startswith("imported-") and r.species.label == "Homo sapiens"]
    assert {r.id for r in human_routes} == {r.id for r in sckan.import_file(SCKAN_FILE).routes}


def test_rodent_segments_never_become_human_segments(every_species):
    records = _records()
    for key in ("femrep-60", "keast-10", "kidney-154", "femrep-62", "femrep-63"):
        (line,) = _report_for(every_species, key)
        assert "never used as human segments" in line, line
        assert not [r for r in every_species.routes if key in r.id]
    assert "T13" in _report_for(every_species, "femrep-60")[0]
    assert "L6" in _report_for(every_species, "keast-10")[0]
    # a non-human route keeps SCKAN's own numbers, never a shifted or clipped range
    for route in every_species.routes:
        if route.species.label != "Homo sapiens":
            key = route.sources[0].removeprefix("imported-sckan-source-")
            first, last = route.segments[0], route.segments[-1]
            label = records[key]["Neuron_Pref_Label"]
            assert f"{first}-{last}" in label or (first == last and first in label)
            assert all(s in ALL_SEGMENTS for s in route.segments)


def test_report_lists_unmapped_records_with_reasons(human):
    lines = human.report_lines()
    assert any("femrep-104" in l and "clitoris" in l and "no organ part" in l for l in lines)
    assert any("kidney-131" in l and "not an afferent" in l for l in lines)
    assert any("senmot-160" in l and "somatic_inputs" in l for l in lines)
    imported = {r.sources[0].removeprefix("imported-sckan-source-") for r in human.routes}
    # every record is either imported or reported: nothing vanishes silently
    reported = {s.record for s in human.skipped}
    assert imported | reported == set(_records())
    assert not imported & reported
    assert "imported 4 routes" in human.summary() and "134 SCKAN records" in human.summary()


def test_partly_mapped_records_say_what_was_left_out(every_species, all_dataset):
    (line,) = [l for l in every_species.report_lines() if l.startswith("partly mapped: keast-11")]
    assert "inferior mesenteric ganglion" in line and "pelvic ganglion" in line
    route = all_dataset.route["imported-sckan-keast-11-bladder-dome"]
    assert route.chain[:2] == ("hypogastric-nerve", "lumbar-splanchnic-nerves")  # organ first
    assert route.laminae == ("i", "ii", "v")  # SCKAN names lamina I, V and the substantia gelatinosa
    assert "pelvic ganglion" in route.note["en"]


def test_vagal_afferents_are_reported(every_species):
    (line,) = _report_for(every_species, "femrep-64")
    assert "nodose" in line


def test_species_by_common_name(tmp_path):
    rat = sckan.import_file(SCKAN_FILE, "rat")
    assert rat.routes and {r.species.label for r in rat.routes} == {"Rattus norvegicus"}
    assert rat.species == "Rattus norvegicus"


def test_import_is_deterministic(human):
    assert sckan.import_file(SCKAN_FILE, "Homo sapiens").yaml_text == human.yaml_text


# --------------------------------------------------------------------------- small inputs


def _binding(label: str, species: str = "Homo sapiens", iri: str = "http://example.org/neuron/1") -> dict:
    return {
        "Neuron_IRI": {"type": "uri", "value": iri},
        "Neuron_Pref_Label": {"type": "literal", "value": label},
        "Species": {"type": "literal", "value": species},
        "Phenotypes": {"type": "literal", "value": "Sensory phenotype"},
    }


def _write(tmp_path: Path, bindings: list) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"head": {"vars": []}, "results": {"bindings": bindings}}), encoding="utf-8")
    return path


def test_human_record_with_a_non_human_segment_is_reported(tmp_path):
    label = "T13-L2 dorsal root ganglia with axon sensory terminal in uterus via hypogastric nerve"
    path = _write(tmp_path, [_binding(label)])
    result = sckan.import_file(path)
    assert result.routes == ()
    assert "T13" in result.report_lines()[0]


def test_duplicate_records_are_reported_once(tmp_path):
    label = "T10-L1 dorsal root ganglion with axon sensory terminal in kidney via least splanchnic nerve"
    result = sckan.import_file(_write(tmp_path, [_binding(label), _binding(label)]))
    assert len(result.routes) == 1
    assert "appears earlier" in result.report_lines()[0]


def test_empty_result_is_still_a_valid_file(tmp_path):
    result = sckan.import_file(_write(tmp_path, []))
    out = tmp_path / "out.yaml"
    out.write_text(result.yaml_text, encoding="utf-8")
    assert [r for r in load(out).routes if r.id.startswith("imported-")] == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("this is not json", "not JSON"),
        ("[1, 2]", "top level is a list"),
        ('{"head": {}}', "no results.bindings"),
        ('{"results": {"bindings": {}}}', "not a list of records"),
        ('{"results": {"bindings": [7]}}', "record 1 is a int"),
        ('{"results": {"bindings": [{"Neuron_IRI": "x"}]}}', "record 1: 'Neuron_IRI' is not a SPARQL value"),
    ],
)
def test_bad_input_raises_sckan_error(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(sckan.SckanError) as caught:
        sckan.import_file(path)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)
    assert caught.value.unreadable is False


def test_record_without_pref_label_is_named(tmp_path):
    good = _binding("L1 dorsal root ganglia with axon sensory terminal in kidney via lumbar splanchnic nerve")
    bad = {"Neuron_IRI": {"type": "uri", "value": "http://example.org/neuron/2"}}
    with pytest.raises(sckan.SckanError, match="record 2 lacks Neuron_Pref_Label"):
        sckan.import_file(_write(tmp_path, [good, bad]))


def test_not_utf8_and_missing_file(tmp_path):
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(sckan.SckanError, match="not UTF-8"):
        sckan.import_file(binary)
    with pytest.raises(sckan.SckanError, match="no such file") as caught:
        sckan.import_file(tmp_path / "missing.json")
    assert caught.value.unreadable is True
    with pytest.raises(sckan.SckanError) as folder:
        sckan.import_file(tmp_path)
    assert folder.value.unreadable is True


def test_unknown_species_is_refused():
    with pytest.raises(sckan.SckanError, match="unknown species 'Homo sapien'"):
        sckan.import_file(SCKAN_FILE, "Homo sapien")


# --------------------------------------------------------------------------- the command


def test_cli_writes_a_valid_file(tmp_path, capsys):
    out = tmp_path / "imported.yaml"
    assert cli.main(["import-sckan", str(SCKAN_FILE), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("imported 4 routes")
    assert "femrep-104" in printed
    written = out.read_text(encoding="utf-8")
    schema_line, _, body = written.partition("\n")
    assert body == sckan.import_file(SCKAN_FILE).yaml_text.partition("\n")[2]
    # the $schema path is relative to the written file, so it still resolves from there
    schema_ref = schema_line.split("$schema=")[1]
    assert not schema_ref.startswith("/") and (out.parent / schema_ref).resolve() == (ROOT / "data" / "schema.json").resolve()
    assert cli.main(["validate", "--data", str(out)]) == 0
    assert capsys.readouterr().out.startswith("ok:")
    assert cli.main(["pathway", "uterus", "--json", "--data", str(out)]) == 0
    answer = json.loads(capsys.readouterr().out)
    imported = [r for r in answer["routes"] if r["id"] == "imported-sckan-femrep-102"]
    assert imported and imported[0]["species"] == "Homo sapiens"


def test_cli_all_species(tmp_path, capsys):
    out = tmp_path / "all.yaml"
    assert cli.main(["import-sckan", str(SCKAN_FILE), "-o", str(out), "--species", "all"]) == 0
    assert "Rattus norvegicus" in capsys.readouterr().out
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert {r["species"]["ontology"] for r in data["routes"]} >= {"NCBITaxon:9606", "NCBITaxon:10116"}


# --------------------------------------------------------------------------- the importer's tables (data)


def test_the_tables_are_data_beside_the_importer_and_name_bundled_ids(dataset):
    assert sckan.TABLES_PATH == Path(sckan.__file__).with_name("sckan_ids.yaml")
    tables = sckan.read_tables()
    assert tables.part_patterns == sckan.PART_PATTERNS and tables.taxa == sckan.TAXA
    assert {part for _, part in tables.part_patterns if part} <= set(dataset.part)
    assert {nerve for _, nerve in tables.nerve_patterns} <= set(dataset.nerve)
    assert sckan.HUMAN_TAXON.species.ontology == "NCBITaxon:9606"
    assert sckan.UNSTATED_TAXON.taxid == "40674"
    # organ ids live in the data file, not in the code
    code = Path(sckan.__file__).read_text(encoding="utf-8")
    assert "uterine-body" not in code and "hypogastric-nerve" not in code and "10116" not in code


def test_the_tables_are_read_with_the_safe_reader(tmp_path):
    marker = tmp_path / "code-ran"
    bad = tmp_path / "tables.yaml"
    bad.write_text(f"parts: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(sckan.SckanError, match=r"tables.yaml:1:8: YAML tag .* is not allowed"):
        sckan.read_tables(bad)
    assert not marker.exists()


def test_a_broken_table_row_is_refused_with_its_place(tmp_path):
    text = sckan.TABLES_PATH.read_text(encoding="utf-8").replace("'\\bcervix\\b'", "'(cervix'", 1)
    assert text != sckan.TABLES_PATH.read_text(encoding="utf-8")
    broken = tmp_path / "tables.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(sckan.SckanError, match=r"not a regular expression"):
        sckan.read_tables(broken)
    broken.write_text(text.replace("'(cervix'", "'cervix'").replace('taxid: "9606"', "taxid: human"), encoding="utf-8")
    with pytest.raises(sckan.SckanError) as caught:
        sckan.read_tables(broken)
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if "Homo sapiens" in ln)
    assert f"tables.yaml:{line}:" in str(caught.value) and "taxa[0].taxid" in str(caught.value)


def test_non_human_routes_are_graded_weak_and_say_their_species(all_dataset, human_dataset):
    """A rat level is not a human level: an imported rat route is weak evidence and says 'rat'."""
    imported = [r for r in all_dataset.routes if r.id.startswith("imported-")]
    animals = [r for r in imported if r.species.label != "Homo sapiens"]
    people = [r for r in imported if r.species.label == "Homo sapiens"]
    assert animals and people
    assert {r.evidence for r in animals} == {"weak"}
    assert {r.evidence for r in people} == {"moderate"}
    assert all(r.species.label == "Homo sapiens" for r in human_dataset.routes if r.id.startswith("imported-"))


def test_an_imported_animal_route_names_its_species_in_every_caption(all_dataset):
    """The importer writes the common name, so captions say 'In the rat:', not a Latin label."""
    from painmap.figures import animation_steps

    rat = next(r for r in all_dataset.routes if r.species.label == "Rattus norvegicus")
    assert rat.species.common == "rat"
    assert all(step.caption.startswith("In the rat") for step in animation_steps(all_dataset, rat))
