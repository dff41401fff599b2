"""Read YAML pathway files into a validated :class:`~painmap.model.Dataset`.

Every problem is reported as ``file:line:column: field: message``, and all problems of a
dataset are reported together. YAML is read with safe-load semantics (no Python tags), with
a size limit and an alias limit so that a "billion laughs" file is refused at once.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from painmap.model import (
    ALL_SEGMENTS,
    SECTIONS,
    Dataset,
    DatasetFile,
)

#: A file larger than this is refused before parsing.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: YAML aliases (``*name``) allowed in one file; real datasets need few or none.
MAX_ALIASES = 100
#: Values (scalars, lists, mappings) allowed in one file after aliases are expanded.
MAX_NODES = 500_000
YAML_SUFFIXES = (".yaml", ".yml")

Location = tuple[int, int]
FieldPath = tuple[str | int, ...]


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, with where it is."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DatasetError(Exception):
    """The dataset was read but is not valid; ``problems`` lists every issue found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class DatasetReadError(Exception):
    """The path given cannot be read at all (missing, permission denied, no YAML files)."""


def format_field(path: FieldPath) -> str:
    """('routes', 3, 'chain', 1) -> 'routes[3].chain[1]'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --------------------------------------------------------------------------- YAML reading


#: libyaml's C parser when PyYAML has it (about 10x faster), else the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(Exception):
    def __init__(self, line: int, column: int, message: str):
        self.line, self.column, self.message = line, column, message


@dataclass
class ParsedFile:
    """A YAML file turned into plain Python, with the line and column of every value."""

    path: str
    data: object
    locations: dict[FieldPath, Location] = field(default_factory=dict)

    def locate(self, path: FieldPath) -> Location:
        """Line and column of ``path``, or of its nearest ancestor that exists."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.locations:
                return self.locations[path[:end]]
        return (1, 1)

    def problem(self, path: FieldPath, message: str) -> Problem:
        line, column = self.locate(path)
        return Problem(self.path, line, column, format_field(path), message)


def read_yaml(path: Path, display: str | None = None) -> ParsedFile:
    """Parse one YAML file safely; raise DatasetError naming file:line:col on failure."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DatasetError([Problem(name, 1, 1, "", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")])
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetReadError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    return parse_yaml_text(raw, name)


def parse_yaml_text(raw: bytes, name: str) -> ParsedFile:
    """Parse YAML bytes named ``name`` (used in messages)."""

    def fail(line: int, column: int, message: str) -> DatasetError:
        return DatasetError([Problem(name, line, column, "", message)])

    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        raise fail(line, 1, "this is a binary file, not YAML text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise fail(line, 1, f"not UTF-8 text (bad byte at offset {exc.start})") from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise fail(1, 1, "file is empty: expected a mapping of sections such as 'organs:' and 'routes:'")

    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise fail(1, 1, "file is empty")
        parsed = ParsedFile(name, None)
        parsed.data = _to_python(loader, node, (), parsed.locations, _Budget())
    except _Refused as exc:
        raise fail(exc.line, exc.column, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{exc.context}: {message}" if "found" in message else f"{message} ({exc.context})"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise fail(line, col, f"invalid YAML: {message}") from None
    except yaml.YAMLError as exc:
        raise fail(1, 1, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(parsed.data, dict):
        kind = type(parsed.data).__name__
        raise fail(1, 1, f"the top level must be a mapping of sections (organs:, routes:, ...), not a {kind}")
    return parsed


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


@dataclass
class _Budget:
    """What one file may still use: values after alias expansion, and aliases."""

    values: int = MAX_NODES
    aliases: int = MAX_ALIASES
    seen: set[int] = field(default_factory=set)

    def spend(self, node: yaml.Node) -> None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.values -= 1
        if self.values < 0:
            raise _Refused(line, column, f"more than {MAX_NODES} values once aliases are expanded: refused (a YAML bomb?)")
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self.seen:  # a collection reached a second time comes through an alias
                self.aliases -= 1
                if self.aliases < 0:
                    raise _Refused(line, column, f"more than {MAX_ALIASES} YAML aliases: refused")
            self.seen.add(id(node))


def _to_python(
    loader: yaml.BaseLoader,
    node: yaml.Node,
    path: FieldPath,
    locations: dict[FieldPath, Location],
    budget: _Budget,
) -> object:
    budget.spend(node)
    if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        raise _Refused(line, column, f"YAML tag {node.tag!r} is not allowed: a dataset holds plain data only")
    locations.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise _Refused(line, col, f"a key must be text, not {type(key).__name__}")
            key = str(key)
            if key in result:
                first = locations.get(path + (key,), (line, col))
                raise _Refused(line, col, f"duplicate key {key!r} (first given at line {first[0]})")
            locations[path + (key,)] = (line, col)
            result[key] = _to_python(loader, value_node, path + (key,), locations, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(loader, item, path + (i,), locations, budget) for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


# --------------------------------------------------------------------------- schema errors


def _unwrap(annotation: object) -> list[object]:
    """The model/container types inside Optional[...], Annotated[...], list[...] and so on."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _known_fields(path: FieldPath) -> list[str]:
    """Field names the model accepts at ``path`` (for 'did you mean' hints)."""
    candidates: list[object] = [DatasetFile]
    for part in path:
        following: list[object] = []
        for candidate in candidates:
            origin = typing.get_origin(candidate)
            if isinstance(part, int) and origin in (list, tuple):
                following += _unwrap(typing.get_args(candidate)[0])
            elif origin is dict:
                following += _unwrap(typing.get_args(candidate)[1])
            elif isinstance(candidate, type) and issubclass(candidate, BaseModel):
                info = candidate.model_fields.get(str(part))
                if info is not None:
                    following += _unwrap(info.annotation)
        candidates = following
    return sorted(
        {
            name
            for c in candidates
            if isinstance(c, type) and issubclass(c, BaseModel)
            for name in c.model_fields
        }
    )


def _schema_problems(parsed: ParsedFile, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        path = tuple(p for p in item["loc"] if isinstance(p, int) or not str(p).startswith(("function-", "[")))
        kind, message = item["type"], item["msg"]
        if "[key]" in item["loc"]:
            problems.append(parsed.problem(path, f"{path[-1]!r} is not a language code like 'en', 'de' or 'pt-BR'"))
            continue
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if kind == "missing":
            message = "required field is missing"
        elif kind == "extra_forbidden":
            known = _known_fields(path[:-1])
            close = difflib.get_close_matches(str(path[-1]), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else (f"; expected one of: {', '.join(known)}" if known else "")
            message = f"unknown field {path[-1]!r}{hint}"
        elif kind == "string_pattern_mismatch" and path and path[-1] == "id":
            message = f"{item['input']!r} is not a valid id: use lower-case letters, digits and hyphens"
        elif "input" in item and kind not in ("model_type", "dict_type") and not isinstance(item["input"], dict | list):
            message = f"{message} (got {item['input']!r})"
        problems.append(parsed.problem(path, message))
    return problems


# --------------------------------------------------------------------------- cross references


@dataclass
class _Document:
    parsed: ParsedFile
    model: DatasetFile


def _entries(docs: list[_Document], section: str) -> Iterator[tuple[_Document, int, object]]:
    for doc in docs:
        for i, entry in enumerate(getattr(doc.model, section)):
            yield doc, i, entry


def _closest(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=3)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def check_references(docs: list[_Document]) -> list[Problem]:
    """Every id referred to exists, ids are unique, segments are known, chains have no cycle."""
    problems: list[Problem] = []
    first_seen: dict[str, tuple[_Document, FieldPath]] = {}

    def declare(doc: _Document, path: FieldPath, ident: str) -> None:
        if ident in first_seen:
            other_doc, other_path = first_seen[ident]
            line, _ = other_doc.parsed.locate(other_path)
            problems.append(
                doc.parsed.problem(path, f"duplicate id {ident!r} (first defined at {other_doc.parsed.path}:{line})")
            )
        else:
            first_seen[ident] = (doc, path)

    for section in SECTIONS:
        for doc, i, entry in _entries(docs, section):
            declare(doc, (section, i, "id"), entry.id)
            for j, part in enumerate(getattr(entry, "parts", ())):
                declare(doc, (section, i, "parts", j, "id"), part.id)

    ids = {section: {e.id for _, _, e in _entries(docs, section)} for section in SECTIONS}
    parts_of = {organ.id: {p.id for p in organ.parts} for _, _, organ in _entries(docs, "organs")}
    cords = [(doc, doc.model.spinal_cord) for doc in docs if doc.model.spinal_cord is not None]
    known_segments: set[str] = set()
    if not cords:
        problems.append(Problem(docs[0].parsed.path, 1, 1, "spinal_cord", "no file defines 'spinal_cord'"))
    for doc, cord in cords[1:]:
        problems.append(doc.parsed.problem(("spinal_cord",), "'spinal_cord' is defined in more than one file"))
    if cords:
        doc, cord = cords[0]
        for j, segment in enumerate(cord.segments):
            if segment.id in known_segments:
                problems.append(doc.parsed.problem(("spinal_cord", "segments", j, "id"), f"segment {segment.id} listed twice"))
            known_segments.add(segment.id)
        missing = [s for s in cord.drawn if s not in known_segments]
        if missing:
            problems.append(
                doc.parsed.problem(("spinal_cord", "drawn"), f"drawn segments {', '.join(missing)} are not in spinal_cord.segments")
            )
    known_order = [s for s in ALL_SEGMENTS if s in known_segments]
    known_text = f"{known_order[0]}-{known_order[-1]}" if known_order else "none"

    def need(doc: _Document, path: FieldPath, value: str, section: str | tuple[str, ...], what: str) -> None:
        sections = (section,) if isinstance(section, str) else section
        pool = set().union(*(ids[s] for s in sections))
        if value not in pool:
            problems.append(doc.parsed.problem(path, f"unknown {what} {value!r}{_closest(value, pool)}"))

    def need_segments(doc: _Document, path: FieldPath, segments: tuple[str, ...] | None) -> None:
        unknown = [s for s in segments or () if s not in known_segments]
        if unknown and known_segments:
            problems.append(
                doc.parsed.problem(path, f"segment {unknown[0]} is not in this dataset's spinal_cord (knows {known_text})")
            )

    def need_all(doc: _Document, path: FieldPath, values: list[str], section: str | tuple[str, ...], what: str) -> None:
        for k, value in enumerate(values):
            need(doc, path + (k,), value, section, what)

    for doc, i, zone in _entries(docs, "zones"):
        need_segments(doc, ("zones", i, "dermatomes"), zone.dermatomes)
    for doc, i, deep in _entries(docs, "deep_structures"):
        need_segments(doc, ("deep_structures", i, "segments"), deep.segments)
    for doc, i, somatic in _entries(docs, "somatic_inputs"):
        base = ("somatic_inputs", i)
        need(doc, base + ("nerve",), somatic.nerve, "nerves", "nerve")
        need(doc, base + ("target",), somatic.target, ("zones", "deep_structures"), "zone or deep structure")
        need_all(doc, base + ("laminae",), somatic.laminae, "laminae", "lamina")
        need_all(doc, base + ("sources",), somatic.sources, "sources", "source")
        need_segments(doc, base + ("segments",), somatic.segments)
    for doc, i, route in _entries(docs, "routes"):
        base = ("routes", i)
        need(doc, base + ("organ",), route.organ, "organs", "organ")
        if route.organ in parts_of and route.part not in parts_of[route.organ]:
            problems.append(
                doc.parsed.problem(
                    base + ("part",),
                    f"{route.part!r} is not a part of organ {route.organ!r}{_closest(route.part, parts_of[route.organ])}",
                )
            )
        need_all(doc, base + ("chain",), route.chain, "nerves", "nerve, plexus or ganglion")
        seen: dict[str, int] = {}
        for k, step in enumerate(route.chain):
            if step in seen:
                problems.append(
                    doc.parsed.problem(base + ("chain", k), f"the chain returns to {step!r} (step {seen[step] + 1}): a cycle")
                )
            seen.setdefault(step, k)
        need_segments(doc, base + ("segments",), route.segments)
        need_all(doc, base + ("laminae",), route.laminae, "laminae", "lamina")
        need_all(doc, base + ("zones",), route.zones, "zones", "zone")
        need_all(doc, base + ("strains",), route.strains, "deep_structures", "deep structure")
        need_all(doc, base + ("sources",), route.sources, "sources", "source")
    routes = {r.id: r for _, _, r in _entries(docs, "routes")}
    for doc, i, dispute in _entries(docs, "disputes"):
        base = ("disputes", i, "routes")
        need_all(doc, base, dispute.routes, "routes", "route")
        if len(set(dispute.routes)) < len(dispute.routes):
            problems.append(doc.parsed.problem(base, "a route is listed twice"))
        parts = {routes[r].part for r in dispute.routes if r in routes}
        if len(parts) > 1:
            problems.append(
                doc.parsed.problem(base, f"disputed routes must be about one organ part, not {', '.join(sorted(parts))}")
            )
    for doc, i, flag in _entries(docs, "red_flags"):
        need_all(doc, ("red_flags", i, "organs"), flag.organs, "organs", "organ")
        need_all(doc, ("red_flags", i, "sources"), flag.sources, "sources", "source")
    for doc, i, mechanism in _entries(docs, "mechanisms"):
        need_all(doc, ("mechanisms", i, "sources"), mechanism.sources, "sources", "source")

    entity_sections = ("organs", "nerves", "zones", "deep_structures", "laminae")
    drawable = set(ids["organs"]) | {p for parts in parts_of.values() for p in parts}
    drawable |= set().union(*(ids[s] for s in entity_sections))
    for doc in docs:
        for key in doc.model.outlines:
            if key not in drawable:
                problems.append(
                    doc.parsed.problem(("outlines", key), f"outline for unknown id {key!r}{_closest(key, drawable)}")
                )

    styled = {k for doc in docs for k in doc.model.fibre_styles}
    for doc, i, nerve in _entries(docs, "nerves"):
        for k, fibre in enumerate(nerve.fibres):
            if fibre not in styled:
                problems.append(
                    doc.parsed.problem(("nerves", i, "fibres", k), f"fibre type {fibre!r} has no entry in fibre_styles")
                )
    return problems


# --------------------------------------------------------------------------- entry points


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
        files = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
        if not files:
            raise DatasetReadError(f"{path}: no .yaml files in this folder")
        return files
    if path.is_file():
        return [path]
    if not path.exists():
        raise DatasetReadError(f"{path}: no such file or folder")
    raise DatasetReadError(f"{path}: not a file or folder")


def _parse_documents(files: list[Path], problems: list[Problem], seen: set[Path]) -> list[_Document]:
    docs: list[_Document] = []
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
            problems.extend(_schema_problems(parsed, exc))
            continue
        if model.extends == "bundled":
            docs.extend(_parse_documents(dataset_files(bundled_data_dir()), problems, seen))
        docs.append(_Document(parsed, model))
    return docs


def load(path: str | Path | None = None) -> Dataset:
    """Load and cross-check a dataset: a YAML file, a folder of them, or (None) the bundled one.

    Raises DatasetReadError when the path cannot be read and DatasetError (with every
    problem found) when the content is not valid.
    """
    root = Path(path) if path is not None else bundled_data_dir()
    problems: list[Problem] = []
    docs = _parse_documents(dataset_files(root), problems, set())
    if docs and not problems:  # references are only checked across files that all parsed
        problems.extend(check_references(docs))
    if problems:
        raise DatasetError(problems)
    cord = next(d.model.spinal_cord for d in docs if d.model.spinal_cord is not None)
    merged = {section: tuple(e for d in docs for e in getattr(d.model, section)) for section in SECTIONS}
    styles: dict = {}
    outlines: dict = {}
    scaffold: dict = {}
    languages: list[str] = ["en"]
    for doc in docs:
        styles.update(doc.model.fibre_styles)
        for key, shapes in doc.model.outlines.items():
            outlines[key] = outlines.get(key, ()) + tuple(shapes)
        for key, shapes in doc.model.scaffold.items():
            scaffold[key] = scaffold.get(key, ()) + tuple(shapes)
        languages += [lang for lang in doc.model.languages if lang not in languages]
    return Dataset(
        languages=tuple(languages),
        spinal_cord=cord,
        fibre_styles=styles,
        outlines=outlines,
        scaffold=scaffold,
        origin=tuple(d.parsed.path for d in docs),
        **merged,
    )
