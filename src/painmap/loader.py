"""Read YAML pathway files into a validated :class:`~painmap.model.Dataset`.

Every problem is reported as ``file:line:column: field: message``, and all problems of a
dataset are reported together. The work is split at its seams:

- :mod:`painmap.safeyaml`: YAML -> plain Python with locations (tags refused, budgets, depth guard);
- :mod:`painmap.problems`: :class:`Problem`, :class:`DatasetError` and the wording of schema errors;
- :mod:`painmap.references`: checks across files (ids, segments, chains, styles);
- this module: which files make a dataset, and loading them into one :class:`Dataset`.

The names other modules import from here (``load``, ``DatasetError``, ``Problem``, ...)
stay importable from here.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from painmap.model import Dataset, DatasetFile, FibreStyle, FibreType, Outline
from painmap.problems import (
    DatasetError,
    DatasetReadError,
    Problem,
    format_field,
    problem_at,
    schema_problems,
    yaml_problem,
)
from painmap.references import ALL_SECTIONS, Document, check_references
from painmap.safeyaml import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    FieldPath,
    Location,
    ParsedFile,
    YamlError,
    YamlUnreadable,
)
from painmap.safeyaml import parse_yaml_text as _parse_yaml_text
from painmap.safeyaml import read_yaml as _read_yaml

__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "YAML_SUFFIXES",
    "DatasetError",
    "DatasetReadError",
    "Document",
    "FieldPath",
    "Location",
    "ParsedFile",
    "Problem",
    "bundled_data_dir",
    "check_references",
    "dataset_files",
    "format_field",
    "load",
    "parse_yaml_text",
    "problem_at",
    "read_yaml",
]

YAML_SUFFIXES = (".yaml", ".yml")


def read_yaml(path: Path, display: str | None = None) -> ParsedFile:
    """Parse one dataset file safely; DatasetError names file:line:col, DatasetReadError an unreadable file."""
    try:
        return _read_yaml(path, display)
    except YamlError as exc:
        raise DatasetError([yaml_problem(exc)]) from None
    except YamlUnreadable as exc:
        raise DatasetReadError(str(exc)) from exc


def parse_yaml_text(raw: bytes, name: str) -> ParsedFile:
    """Parse YAML bytes named ``name`` (used in messages); DatasetError when refused."""
    try:
        return _parse_yaml_text(raw, name)
    except YamlError as exc:
        raise DatasetError([yaml_problem(exc)]) from None


def bundled_data_dir() -> Path:
    """The dataset shipped with painmap (inside the wheel, or data/ in a source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent.parent / "data"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise DatasetReadError("the bundled dataset is missing from this installation")


def dataset_files(path: Path) -> list[Path]:
    """The YAML files of ``path``: the file itself, or a folder's *.yaml files in name order."""
    if path.is_dir():
        try:
            files = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
        except OSError as exc:
            raise DatasetReadError(f"{path}: cannot read this folder: {exc.strerror or exc}") from exc
        if not files:
            raise DatasetReadError(f"{path}: no .yaml files in this folder")
        return files
    if path.is_file():
        return [path]
    if not path.exists():
        raise DatasetReadError(f"{path}: no such file or folder")
    raise DatasetReadError(f"{path}: not a file or folder")


def load(path: str | Path | None = None) -> Dataset:
    """Load and cross-check a dataset: a YAML file, a folder of them, or (None) the bundled one.

    Raises DatasetReadError when the path cannot be read and DatasetError (with every
    problem found) when the content is not valid. Load datasets before serving starts:
    see :func:`_no_cyclic_gc`.
    """
    root = Path(path) if path is not None else bundled_data_dir()
    with _no_cyclic_gc():
        return _load(dataset_files(root))


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector while loading, and restore it afterwards (also when loading fails).

    Loading makes many long-lived objects (YAML nodes, models) and no cycles worth
    collecting; left on, the collector rescans them again and again and a large dataset
    loads several times slower (bench/README.md).

    The switch is process-wide: while a load runs, no thread of the process collects
    cycles. So datasets are loaded before serving starts (``create_app`` loads its dataset
    once, when the app is made), never per request.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_documents(files: list[Path], problems: list[Problem], seen: set[Path]) -> list[Document]:
    docs: list[Document] = []
    for file in files:
        if file.resolve() in seen:
            continue
        seen.add(file.resolve())
        try:
            parsed = read_yaml(file)
        except DatasetError as exc:
            problems.extend(exc.problems)
            continue
        try:
            model = DatasetFile.model_validate(parsed.data)
        except ValidationError as exc:
            problems.extend(schema_problems(parsed, exc))
            continue
        if model.extends == "bundled":
            docs.extend(_parse_documents(dataset_files(bundled_data_dir()), problems, seen))
        docs.append(Document(parsed, model))
    return docs


def _load(files: list[Path]) -> Dataset:
    problems: list[Problem] = []
    docs = _parse_documents(files, problems, set())
    if docs and not problems:  # references are only checked across files that all parsed
        order = {doc.parsed.path: i for i, doc in enumerate(docs)}
        found = check_references(docs)
        problems.extend(sorted(found, key=lambda p: (order.get(p.file, len(order)), p.line, p.column)))
    if problems:
        raise DatasetError(problems)
    cord = next(cord for d in docs if (cord := d.model.spinal_cord) is not None)
    merged = {section.name: tuple(e for d in docs for e in section.get(d.model)) for section in ALL_SECTIONS}
    styles: dict[FibreType, FibreStyle] = {}
    outlines: dict[str, tuple[Outline, ...]] = {}
    scaffold: dict[str, tuple[Outline, ...]] = {}
    plain_words: dict[str, object] = {}
    languages: list[str] = ["en"]
    for doc in docs:
        styles.update(doc.model.fibre_styles)
        for key, shapes in doc.model.outlines.items():
            outlines[key] = outlines.get(key, ()) + tuple(shapes)
        for key, shapes in doc.model.scaffold.items():
            scaffold[key] = scaffold.get(key, ()) + tuple(shapes)
        plain_words.update(doc.model.plain_words)  # a second file's word for an id: a problem (references.py)
        languages += [lang for lang in doc.model.languages if lang not in languages]
    return Dataset.model_validate(
        {
            "languages": tuple(languages),
            "spinal_cord": cord,
            "fibre_styles": styles,
            "outlines": outlines,
            "scaffold": scaffold,
            "plain_words": plain_words,
            "origin": tuple(d.parsed.path for d in docs),
            **merged,
        }
    )
