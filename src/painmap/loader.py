"""Read YAML pathway files into a validated :class:`~painmap.model.Dataset`.

Every problem is reported as ``file:line:column: field: message``, and all problems of a
dataset are reported together. YAML is read with safe-load semantics (no Python tags), with
a size limit and an alias limit so that a "billion laughs" file is refused at once.
"""

from __future__ import annotations

import difflib
import gc
import re
import types
import typing
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from painmap.model import (
    ALL_SEGMENTS,
    SECTIONS,
    SEGMENT_ORDER,
    Dataset,
    DatasetFile,
    format_segment_range,
)

#: A file larger than this is refused before parsing.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: YAML aliases (``*name``) allowed in one file; real datasets need few or none.
MAX_ALIASES = 100
#: Values (scalars, lists, mappings) allowed in one file after aliases are expanded.
MAX_NODES = 500_000
#: Lists and mappings nested in each other; a dataset needs about 8, a crafted file could overflow the stack.
MAX_DEPTH = 64
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
    """Reading stopped: a value the loader will not build (bad tag, duplicate key, bomb)."""

    def __init__(self, line: int, column: int, message: str, path: FieldPath = ()):
        self.line, self.column, self.message, self.path = line, column, message, path


@dataclass
class ParsedFile:
    """A YAML file turned into plain Python; where each value was written is found on demand.

    Locations are looked up in the composed YAML nodes only when a problem is reported,
    so a valid file pays nothing for them.
    """

    path: str
    data: object
    root: yaml.Node | None = None

    def locate(self, path: FieldPath) -> Location:
        """Line and column of ``path`` (a key where one is written), or of its nearest ancestor."""
        node, found = self.root, (1, 1)
        if node is not None:
            found = _mark(node)
        for part in path:
            if isinstance(node, yaml.MappingNode):
                pair = _find_key(node, str(part), set())
                if pair is None:
                    break
                found, node = _mark(pair[0]), pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                found = _mark(node)
            else:
                break
        return found

    def problem(self, path: FieldPath, message: str) -> Problem:
        line, column = self.locate(path)
        return Problem(self.path, line, column, format_field(path), message)


def _find_key(node: yaml.MappingNode, key: str, visited: set[int]) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of ``key`` in a mapping: its own keys first, then '<<' merges."""
    if id(node) in visited:
        return None
    visited.add(id(node))
    merges = []
    for key_node, value_node in node.value:
        if key_node.tag == _CORE + "merge":
            merges += value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        elif isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    for source in merges:
        if isinstance(source, yaml.MappingNode) and (pair := _find_key(source, key, visited)):
            return pair
    return None


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

    def fail(line: int, column: int, message: str, path: FieldPath = ()) -> DatasetError:
        return DatasetError([Problem(name, line, column, format_field(path), message)])

    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            raise fail(1, 1, f"this is {encoding} text: save the file as UTF-8")
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        raise fail(line, 1, "this is a binary file, not YAML text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not UTF-8 text (bad byte 0x{raw[exc.start]:02x} at offset {exc.start}): save the file as UTF-8"
        raise fail(line, column, message) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise fail(1, 1, "file is empty: expected a mapping of sections such as 'organs:' and 'routes:'")

    parsed = ParsedFile(name, None)
    loader = _SafeLoader(text)
    try:
        if _might_nest_deeper_than(text, MAX_DEPTH):
            _check_depth(text)
        node = loader.get_single_node()
        if node is None:
            raise fail(1, 1, "file is empty: expected a mapping of sections such as 'organs:' and 'routes:'")
        parsed.root = node
        parsed.data = _to_python(loader, node, (), _Budget())
    except _Refused as exc:
        raise fail(exc.line, exc.column, exc.message, exc.path) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise fail(line, col, f"invalid YAML: {_yaml_message(exc, text)}") from None
    except yaml.YAMLError as exc:
        raise fail(1, 1, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(parsed.data, dict):
        kind = _KIND_NAMES.get(type(parsed.data), type(parsed.data).__name__)
        raise fail(1, 1, f"the top level must be a mapping of sections (organs:, routes:, ...), not {kind}")
    return parsed


#: Byte-order marks of encodings that are not UTF-8 (their text is full of NUL bytes).
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_KIND_NAMES = {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false", type(None): "null"}


def _yaml_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    """The parser's complaint, with a plain hint for the usual causes."""
    message = exc.problem or "invalid YAML"
    if "single document" in str(exc.context):
        return "a dataset file holds one YAML document: remove the '---' line or split the file in two"
    if exc.context:
        message = f"{exc.context}: {message}" if "found" in message else f"{message} ({exc.context})"
        if "block" in exc.context and "indicator" in message:
            message += "; check this line's indentation against the lines above"
    mark, lines = exc.problem_mark, text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        message += "; YAML indents with spaces, not tabs"
    return message


_BRACKETS = re.compile(r"[\[\]{}]")
_LINE_INDENT = re.compile(r"^[ \t?:-]*", re.MULTILINE)


def _might_nest_deeper_than(text: str, limit: int) -> bool:
    """A cheap upper bound on nesting: flow brackets plus block indentation.

    Brackets inside quotes or comments only make the bound larger, never smaller, so a
    file under it is safe and only a file over it pays for the exact check.
    """
    depth = peak = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        peak = max(peak, depth)
    indent = max((match.end() - match.start() for match in _LINE_INDENT.finditer(text)), default=0)
    return peak + indent > limit


def _check_depth(text: str) -> None:
    """Refuse values nested deeper than MAX_DEPTH before composing them (deep nesting overflows the stack)."""
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                message = f"lists and mappings nested more than {MAX_DEPTH} deep: refused"
                raise _Refused(mark.line + 1, mark.column + 1, message)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = (_CORE + "map", _CORE + "seq")
_SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null"))
#: Tags a plain scalar can get that carry no meaning here: keep the text as written.
_TEXT_TAGS = frozenset(_CORE + t for t in ("timestamp", "merge", "value"))
#: YAML 1.1 reads these as booleans; in YAML 1.2 (and here) they stay text ('no' is Norwegian).
_YAML11_BOOLS = frozenset("yes Yes YES no No NO on On ON off Off OFF".split())


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _mark(node: yaml.Node) -> Location:
    return node.start_mark.line + 1, node.start_mark.column + 1


@dataclass
class _Budget:
    """What one file may still use: values after alias expansion, and aliases."""

    values: int = MAX_NODES
    aliases: int = MAX_ALIASES
    seen: set[int] = field(default_factory=set)

    def spend(self, node: yaml.Node) -> None:
        """Count one value (and an alias when ``node`` was reached before); refuse past the budget."""
        self.values -= 1
        if self.values < 0:
            raise _Refused(
                *_mark(node), f"more than {MAX_NODES} values once aliases are expanded: refused (a YAML bomb?)"
            )
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self.seen:  # a collection reached a second time comes through an alias
                self.aliases -= 1
                if self.aliases < 0:
                    raise _Refused(*_mark(node), f"more than {MAX_ALIASES} YAML aliases: refused (a YAML bomb?)")
            self.seen.add(id(node))


def _to_python(loader: yaml.BaseLoader, node: yaml.Node, path: FieldPath, budget: _Budget) -> object:
    budget.spend(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(loader, node, path)
    if node.tag not in _PLAIN_TAGS:
        raise _Refused(*_mark(node), _tag_refused(node.tag), path)
    if isinstance(node, yaml.MappingNode):
        return _mapping(loader, node, path, budget)
    return [_to_python(loader, item, path + (i,), budget) for i, item in enumerate(node.value)]


def _tag_refused(tag: str) -> str:
    return f"YAML tag {_show_tag(tag)!r} is not allowed: a dataset holds plain data only"


_STR, _INT, _FLOAT = _CORE + "str", _CORE + "int", _CORE + "float"
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def _scalar(loader: yaml.BaseLoader, node: yaml.Node, path: FieldPath) -> object:
    tag, value = node.tag, node.value
    if tag == _STR:  # the common cases without PyYAML's constructor (a dataset has thousands)
        return value
    if tag in (_INT, _FLOAT) and len(value) < 40 and _PLAIN_NUMBER.fullmatch(value):
        return int(value) if tag == _INT else float(value)
    if tag in _TEXT_TAGS or (tag == _CORE + "bool" and value in _YAML11_BOOLS):
        return value
    if tag not in _SCALAR_TAGS:
        raise _Refused(*_mark(node), _tag_refused(tag), path)
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError):  # '!!int abc'
        raise _Refused(*_mark(node), f"{value!r} is not a valid {_show_tag(tag)}", path) from None


def _key(node: yaml.Node, path: FieldPath) -> str:
    """A mapping key as written: keys are always text ('no:' is Norwegian, '1:' is '1')."""
    if node.tag not in _SCALAR_TAGS and node.tag not in _TEXT_TAGS and node.tag not in _PLAIN_TAGS:
        raise _Refused(*_mark(node), _tag_refused(node.tag), path)
    if not isinstance(node, yaml.ScalarNode):
        raise _Refused(*_mark(node), "a key must be text, not a list or mapping", path)
    return node.value


def _mapping(loader: yaml.BaseLoader, node: yaml.MappingNode, path: FieldPath, budget: _Budget) -> dict[str, object]:
    """A mapping; '<<: *name' merges are applied here (their keys yield to the mapping's own)."""
    result: dict[str, object] = {}
    merged: set[str] = set()
    for key_node, value_node in node.value:
        if key_node.tag != _CORE + "merge":
            continue
        if value_node.tag not in _PLAIN_TAGS and not isinstance(value_node, yaml.ScalarNode):
            raise _Refused(*_mark(value_node), _tag_refused(value_node.tag), path)
        if isinstance(value_node, yaml.SequenceNode):
            budget.spend(value_node)
            sources = value_node.value
        else:
            sources = [value_node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise _Refused(*_mark(source), "'<<' merges a mapping, or a list of mappings, named like *name", path)
            entries = _to_python(loader, source, path, budget)
            for key, value in entries.items():  # type: ignore[union-attr]
                if key not in result:  # the first mapping merged wins
                    result[key] = value
                    merged.add(key)
    own: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        if key_node.tag == _CORE + "merge":
            continue
        key = _key(key_node, path)
        if key in own:
            line, col = _mark(key_node)
            first = own[key].start_mark.line + 1
            raise _Refused(line, col, f"duplicate key {key!r} (first given at line {first})", path + (key,))
        own[key] = key_node
        result[key] = _to_python(loader, value_node, path + (key,), budget)
    return result


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


#: Readable words for the model's text patterns (pydantic would print the regular expression).
_PATTERN_HINTS = (
    ("^(UBERON|", "is not an ontology id like 'UBERON:0001255', 'FMA:15900' or 'ILX:0795054'"),
    ("^[a-z]{2}(", "is not a language code like 'en', 'de' or 'pt-BR'"),
    ("^[a-z0-9][a-z0-9-]*$", "is not a valid id: use lower-case letters, digits and hyphens"),
    ("^10\\.", "is not a DOI like '10.3389/fphar.2014.00017'"),
    ("^\\d", "is not a PubMed id (digits only)"),
    ("^[0-9Xx-]", "is not an ISBN (digits, X and hyphens)"),
    ("^https?://", "is not a web address starting with 'https://' or 'http://'"),
)


def _pattern_message(item: dict) -> str | None:
    pattern = str(item.get("ctx", {}).get("pattern", ""))
    for start, hint in _PATTERN_HINTS:
        if pattern.startswith(start):
            return f"{item['input']!r} {hint}"
    return None


def _named_field(path: FieldPath, message: str, given: object) -> str | None:
    """The one field of the entry at ``path`` that a whole-entry message is about, if it names one.

    'a systemic route has no segments' is about the route's ``segments``: pointing there
    puts the editor's cursor on the line to change.
    """
    known = set(_known_fields(path))
    named = known.intersection(re.findall(r"[a-z_]+", message))
    if not named and isinstance(given, dict):
        named = {k for k, v in given.items() if k in known and isinstance(v, str) and repr(v) in message}
    return named.pop() if len(named) == 1 else None


def _schema_problems(parsed: ParsedFile, error: ValidationError) -> list[Problem]:
    problems = []
    bad_keys: set[FieldPath] = set()
    items = error.errors(include_url=False)
    for item in items:
        if "[key]" in item["loc"]:
            bad_keys.add(tuple(p for p in item["loc"] if p != "[key]"))
    for item in items:
        is_key = "[key]" in item["loc"]
        path = tuple(p for p in item["loc"] if isinstance(p, int) or not str(p).startswith(("function-", "[")))
        if not is_key and path in bad_keys:
            continue  # the key is wrong: its value's complaint would only repeat that
        kind, message = item["type"], item["msg"]
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        given = item.get("input")
        if kind == "string_pattern_mismatch":
            message = _pattern_message(item) or f"{message} (got {given!r})"
        elif is_key and kind == "literal_error":
            expected = re.findall(r"'([^']*)'", str(item.get("ctx", {}).get("expected", "")))
            message = f"{given!r} is not one of: {', '.join(expected)}{_closest(str(given), expected)}"
        elif kind == "missing":
            message = "required field is missing"
        elif kind == "extra_forbidden":
            known = _known_fields(path[:-1])
            close = difflib.get_close_matches(str(path[-1]), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else (f"; expected one of: {', '.join(known)}" if known else "")
            message = f"unknown field {path[-1]!r}{hint}"
        elif kind == "value_error" and isinstance(given, dict):
            named = _named_field(path, message, given)
            path = path + (named,) if named else path
        elif "input" in item and kind not in ("model_type", "dict_type") and not isinstance(given, dict | list):
            if not (isinstance(given, str) and repr(given) in message):
                message = f"{message} (got {given!r})"
            if kind == "string_type" and isinstance(given, bool):
                message += ": put text in quotes, YAML reads true and false as booleans"
        if is_key:
            message = f"key {message}"
        problems.append(parsed.problem(path, message))
    return sorted(problems, key=lambda p: (p.line, p.column))


# --------------------------------------------------------------------------- cross references


@dataclass
class _Document:
    parsed: ParsedFile
    model: DatasetFile


def _entries(docs: list[_Document], section: str) -> Iterator[tuple[_Document, int, object]]:
    for doc in docs:
        for i, entry in enumerate(getattr(doc.model, section)):
            yield doc, i, entry


def _closest(value: str, known: Iterable[str], list_up_to: int = 0) -> str:
    """'; did you mean ...?' with the closest known ids; with none close, all of them when few."""
    known = sorted(known)
    close = difflib.get_close_matches(value, known, n=3)
    if close:
        return f"; did you mean {', '.join(repr(c) for c in close)}?"
    if known and len(known) <= list_up_to:
        return f"; known: {', '.join(known)}"
    return ""


def _segments_text(segments: list[str]) -> str:
    """['L2', 'L3', 'L4'] -> 'L2-L4'; gaps are listed: 'T9, L2-L3'."""
    runs: list[list[str]] = []
    for segment in segments:
        if runs and SEGMENT_ORDER[segment] == SEGMENT_ORDER[runs[-1][-1]] + 1:
            runs[-1].append(segment)
        else:
            runs.append([segment])
    return ", ".join(format_segment_range(tuple(run)) for run in runs)


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
                doc.parsed.problem(
                    ("spinal_cord", "drawn"), f"drawn segments {_segments_text(missing)} are not in spinal_cord.segments"
                )
            )
    known_order = [s for s in ALL_SEGMENTS if s in known_segments]
    known_text = _segments_text(known_order) if known_order else "none"

    def need(doc: _Document, path: FieldPath, value: str, section: str | tuple[str, ...], what: str) -> None:
        sections = (section,) if isinstance(section, str) else section
        if any(value in ids[s] for s in sections):
            return
        pool = set().union(*(ids[s] for s in sections))  # only for the 'did you mean' hint
        if value not in pool:
            problems.append(doc.parsed.problem(path, f"unknown {what} {value!r}{_closest(value, pool, list_up_to=12)}"))

    def need_segments(doc: _Document, path: FieldPath, segments: tuple[str, ...] | None) -> None:
        unknown = [s for s in segments or () if s not in known_segments]
        if unknown and known_segments:
            these = f"segment {unknown[0]} is" if len(unknown) == 1 else f"segments {_segments_text(unknown)} are"
            message = f"{these} not in this dataset's spinal_cord (it knows {known_text})"
            problems.append(doc.parsed.problem(path, message))

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
                    f"{route.part!r} is not a part of organ {route.organ!r}"
                    f"{_closest(route.part, parts_of[route.organ], list_up_to=12)}",
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
    with _no_cyclic_gc():
        return _load(dataset_files(root))


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector while loading.

    Loading makes many long-lived objects (YAML nodes, models) and no cycles worth
    collecting; left on, the collector rescans them again and again and a large dataset
    loads several times slower (bench/README.md).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(files: list[Path]) -> Dataset:
    problems: list[Problem] = []
    docs = _parse_documents(files, problems, set())
    if docs and not problems:  # references are only checked across files that all parsed
        order = {doc.parsed.path: i for i, doc in enumerate(docs)}
        found = check_references(docs)
        problems.extend(sorted(found, key=lambda p: (order.get(p.file, len(order)), p.line, p.column)))
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
