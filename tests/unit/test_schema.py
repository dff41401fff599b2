"""The committed JSON Schema is current, and every bundled file points editors at it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from painmap.cli import schema_json
from painmap.model import SECTIONS, DatasetFile

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SCHEMA = DATA / "schema.json"
MODELINE = "# yaml-language-server: $schema=schema.json"
DATA_FILES = sorted(DATA.glob("*.yaml"))


def test_the_committed_schema_is_the_one_the_model_makes():
    committed = SCHEMA.read_text(encoding="utf-8")
    assert committed == schema_json(), "data/schema.json is stale: run `make schema` and commit it"


def test_the_schema_describes_every_section_of_a_dataset_file():
    schema = json.loads(schema_json())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(DatasetFile.model_fields)
    assert set(SECTIONS) <= set(schema["properties"])


def test_there_are_bundled_files():
    assert len(DATA_FILES) >= 3


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_bundled_file_starts_with_the_schema_modeline(path):
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == MODELINE, f"{path.name} must start with {MODELINE!r}"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_bundled_file_validates_against_the_json_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10])
