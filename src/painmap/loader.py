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
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
from painmap.references import ALL_SECTIONS, Document, check_references, reference_warnings, texts_languages
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
    not_a_file,
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
    "FolderListing",
    "Loaded",
    "Location",
    "ParsedFile",
    "Problem",
    "bundled_data_dir",
    "check_references",
    "dataset_files",
    "format_field",
    "folder_listing",
    "load",
    "load_checked",
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
    """The YAML files of ``path``: the file itself, or a folder's *.yaml files in name order.

    Only regular files: :func:`folder_listing` says what else a folder holds under a YAML name.
    """
    if path.is_dir():
        files = folder_listing(path).files
        if not files:
            raise DatasetReadError(f"{path}: no .yaml files in this folder")
        return files
    if path.is_file():
        return [path]
    if not path.exists() and not path.is_symlink():
        raise DatasetReadError(f"{path}: no such file or folder")
    raise DatasetReadError(f"{path}: {not_a_file(path) or 'not a file or folder'}")


@dataclass(frozen=True)
class FolderListing:
    """What a dataset folder holds under YAML names: the files to read, and what is wrong."""

    files: list[Path]
    problems: list[Problem]
    warnings: list[Problem]


#: Names a file manager or an editor gives a copy: 'geometry (copy).yaml', 'Copy of x.yaml', 'x copy 2.yml', 'x.bak.yaml'.
_COPY_NAME = re.compile(r"(\(copy( \d+)?\)|\bcopy( \d+)?$|^copy of |[ _.-](bak|backup|orig|old)$|\(\d+\)$)", re.IGNORECASE)


def folder_listing(folder: Path) -> FolderListing:
    """The regular *.yaml / *.yml files of ``folder`` in name order; as problems, every entry named
    like one that cannot be read as one (an upper-case suffix, a link loop or to nowhere, a FIFO,
    a device, a folder); as warnings, files named like a backup copy."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise DatasetReadError(f"{folder}: cannot read this folder: {exc.strerror or exc}") from exc
    files: list[Path] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    names = {p.name for p in entries}
    for entry in entries:
        suffix = entry.suffix
        if suffix.lower() not in YAML_SUFFIXES:
            continue
        if suffix not in YAML_SUFFIXES:
            fixed = entry.stem + suffix.lower()
            also = f" (and {fixed} is there too: keep one)" if fixed in names else ""
            problems.append(
                Problem(
                    str(entry), 1, 1, "",
                    f"the suffix {suffix!r} is not lower-case, so this file would be left out: rename it {fixed}{also}",
                )
            )  # fmt: skip
            continue
        why = not_a_file(entry)
        if why:
            problems.append(Problem(str(entry), 1, 1, "", f"{why}; every *.yaml of a dataset folder is read"))
            continue
        files.append(entry)
        if _COPY_NAME.search(entry.stem):
            warnings.append(
                Problem(
                    str(entry), 1, 1, "",
                    "named like a backup copy: every *.yaml of the folder is read, so a copy is drawn twice; "
                    "move it out of the folder if it is one",
                )
            )  # fmt: skip
    return FolderListing(files, problems, warnings)


def load(path: str | Path | None = None) -> Dataset:
    """Load and cross-check a dataset: a YAML file, a folder of them, or (None) the bundled one.

    Raises DatasetReadError when the path cannot be read and DatasetError (with every
    problem found) when the content is not valid. Load datasets before serving starts:
    see :func:`_no_cyclic_gc`. :func:`load_checked` also gives the warnings.
    """
    return load_checked(path).dataset


@dataclass(frozen=True)
class Loaded:
    """A dataset and what may be intended but deserves a look (``painmap validate`` prints them)."""

    dataset: Dataset
    warnings: list[Problem]


def load_checked(path: str | Path | None = None) -> Loaded:
    """As :func:`load`, with the warnings: a file named like a backup copy, a fibre style a later
    file replaces, a language no text has (not offered), the same file listed twice."""
    root = Path(path) if path is not None else bundled_data_dir()
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if root.is_dir():
        listing = folder_listing(root)
        if not listing.files and not listing.problems:
            raise DatasetReadError(f"{root}: no .yaml files in this folder")
        files, problems, warnings = listing.files, list(listing.problems), list(listing.warnings)
    else:
        files = dataset_files(root)
    with _no_cyclic_gc():
        return _load(files, problems, warnings)


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


def _parse_documents(
    files: list[Path], problems: list[Problem], warnings: list[Problem], seen: dict[Path, str], listed: bool = True
) -> list[Document]:
    """Read and validate ``files`` (and the bundled ones a file ``extends``), each file once.

    ``listed``: the files were named by the user (a folder's listing); the same file reached a
    second time there (a symbolic link to another file of the folder) is a warning. The bundled
    files an ``extends`` brings in again are read once, silently.
    """
    docs: list[Document] = []
    for file in files:
        real = file.resolve()
        if real in seen:
            if listed:
                warnings.append(Problem(str(file), 1, 1, "", f"the same file as {seen[real]}: read once"))
            continue
        seen[real] = str(file)
        try:
            parsed = read_yaml(file)
        except DatasetError as exc:
            problems.extend(exc.problems)
            continue
        except DatasetReadError as exc:
            problems.append(Problem(str(file), 1, 1, "", str(exc).removeprefix(f"{file}: ")))
            continue
        try:
            model = DatasetFile.model_validate(parsed.data)
        except ValidationError as exc:
            problems.extend(schema_problems(parsed, exc))
            continue
        parsed.data = None  # the model holds it all now: a large dataset's peak memory is lower without the copy
        if model.extends == "bundled":
            docs.extend(_parse_documents(dataset_files(bundled_data_dir()), problems, warnings, seen, listed=False))
        docs.append(Document(parsed, model))
    return docs


def _same_content(docs: list[Document]) -> list[Problem]:
    """A file whose bytes are another file's: a copy, whose every entry would be read twice.

    Reported at the one named like a copy ('geometry (copy).yaml'), else at the later one.
    """
    first: dict[str, Document] = {}
    problems = []
    for doc in docs:
        if not doc.parsed.digest:
            continue
        original = first.setdefault(doc.parsed.digest, doc)
        if original is doc:
            continue
        copy = doc
        if _COPY_NAME.search(Path(original.parsed.path).stem) and not _COPY_NAME.search(Path(doc.parsed.path).stem):
            copy, original = original, doc
        named = "named like a backup copy, with" if _COPY_NAME.search(Path(copy.parsed.path).stem) else "with"
        message = f"{named} the same content as {original.parsed.path}: a copy is read twice (its outlines drawn twice): remove it"
        problems.append(Problem(copy.parsed.path, 1, 1, "", message))
    return problems


def _load(files: list[Path], problems: list[Problem] | None = None, warnings: list[Problem] | None = None) -> Loaded:
    problems = problems if problems is not None else []
    warnings = warnings if warnings is not None else []
    docs = _parse_documents(files, problems, warnings, {})
    problems.extend(_same_content(docs))
    if docs and not problems:  # references are only checked across files that all parsed
        order = {doc.parsed.path: i for i, doc in enumerate(docs)}
        found = check_references(docs)
        problems.extend(sorted(found, key=lambda p: (order.get(p.file, len(order)), p.line, p.column)))
    if problems:
        raise DatasetError(problems)
    offered, language_warnings = texts_languages(docs)
    warnings.extend(reference_warnings(docs))
    warnings.extend(language_warnings)
    cord = next(cord for d in docs if (cord := d.model.spinal_cord) is not None)
    merged = {section.name: tuple(e for d in docs for e in section.get(d.model)) for section in ALL_SECTIONS}
    styles: dict[FibreType, FibreStyle] = {}
    outlines: dict[str, tuple[Outline, ...]] = {}
    scaffold: dict[str, tuple[Outline, ...]] = {}
    plain_words: dict[str, object] = {}
    for doc in docs:
        styles.update(doc.model.fibre_styles)  # a later file's style wins: a warning (references.py)
        for key, shapes in doc.model.outlines.items():
            outlines[key] = outlines.get(key, ()) + tuple(shapes)
        for key, shapes in doc.model.scaffold.items():
            scaffold[key] = scaffold.get(key, ()) + tuple(shapes)
        plain_words.update(doc.model.plain_words)  # a second file's word for an id: a problem (references.py)
    dataset = Dataset.model_validate(
        {
            "languages": offered,
            "spinal_cord": cord,
            "fibre_styles": styles,
            "outlines": outlines,
            "scaffold": scaffold,
            "plain_words": plain_words,
            "origin": tuple(d.parsed.path for d in docs),
            **merged,
        }
    )
    return Loaded(dataset, warnings)
