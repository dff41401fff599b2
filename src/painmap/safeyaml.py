"""Safe YAML reading: text -> plain Python values, with where each value was written.

Nothing here knows painmap: this module imports no painmap module, so any file the project
reads (a dataset, the SCKAN importer's tables) goes through the same guards:

- safe-load semantics, and stricter: every tag beyond the plain core ones is refused, so a
  ``!!python/...`` tag can never run code;
- YAML 1.2 readings: ``no``/``yes``/``on``/``off`` stay text, dates stay text, keys are text;
- budgets: a size limit (:data:`MAX_FILE_BYTES`), an alias limit and a value limit after alias
  expansion (a "billion laughs" file is refused at once), and a nesting limit checked before
  anything is composed (deep nesting would overflow the stack);
- every failure is a :class:`YamlError` with a line, a column, the field path (when there is
  one) and a plain message; a file that cannot be read at all is a :class:`YamlUnreadable`.

Locations are looked up in the composed YAML nodes only when asked for
(:meth:`ParsedFile.locate`), so a valid file pays nothing for them.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

#: A file larger than this is refused before parsing.
MAX_FILE_BYTES = 4 * 1024 * 1024
#: YAML aliases (``*name``) allowed in one file; real datasets need few or none.
MAX_ALIASES = 100
#: Values (scalars, lists, mappings) allowed in one file after aliases are expanded.
MAX_NODES = 500_000
#: Lists and mappings nested in each other; a dataset needs about 8, a crafted file could overflow the stack.
MAX_DEPTH = 64

Location = tuple[int, int]
FieldPath = tuple[str | int, ...]

EMPTY_MESSAGE = "file is empty: expected a mapping of sections such as 'organs:' and 'routes:'"
DEEP_MESSAGE = f"lists and mappings nested more than {MAX_DEPTH} deep: refused"


class YamlError(Exception):
    """The file was read but is not YAML this reader accepts; where and why, in plain words."""

    def __init__(self, name: str, line: int, column: int, message: str, path: FieldPath = ()):
        self.name, self.line, self.column, self.message, self.path = name, line, column, message, path
        super().__init__(f"{name}:{line}:{column}: {message}")


class YamlUnreadable(Exception):
    """The file cannot be read at all (missing, a folder, permission denied)."""


#: libyaml's C parser when PyYAML has it (about 10x faster), else the pure-Python one.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(Exception):
    """Reading stopped: a value the reader will not build (bad tag, duplicate key, bomb)."""

    def __init__(self, location: Location, message: str, path: FieldPath = ()):
        self.line, self.column = location
        self.message, self.path = message, path


# --------------------------------------------------------------------------- the result


@dataclass
class ParsedFile:
    """A YAML file turned into plain Python; where each value was written is found on demand."""

    path: str
    data: object
    root: yaml.Node | None = None
    #: SHA-256 of the file's bytes (set by :func:`read_yaml`): two files with one content are a copy.
    digest: str = ""
    #: The file's text. Its YAML nodes (``root``) are not kept after parsing (they cost several
    #: times the data they describe): the first :meth:`locate` composes them again from here.
    text: str = ""

    def locate(self, path: FieldPath) -> Location:
        """Line and column of ``path`` (a key where one is written), or of its nearest ancestor."""
        if self.root is None and self.text:
            self.root = _compose(self.text)
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


def _compose(text: str) -> yaml.Node | None:
    """The YAML nodes of a text already parsed once (so known to be valid and not too deep)."""
    loader = _SafeLoader(text)
    try:
        return loader.get_node() if loader.check_node() else None
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _find_key(node: yaml.MappingNode, key: str, visited: set[int]) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of ``key`` in a mapping: its own keys first, then '<<' merges."""
    if id(node) in visited:
        return None
    visited.add(id(node))
    merges: list[yaml.Node] = []
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            merges += value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        elif isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    for source in merges:
        if isinstance(source, yaml.MappingNode) and (pair := _find_key(source, key, visited)):
            return pair
    return None


# --------------------------------------------------------------------------- entry points


def read_yaml(path: Path, display: str | None = None) -> ParsedFile:
    """Parse one YAML file safely. ``display`` names it in messages (default: ``path`` as given).

    Raises YamlUnreadable when the file cannot be read, YamlError when its content is refused.
    """
    name = display or str(path)
    try:
        kind = not_a_file(path)
        if kind:
            raise YamlUnreadable(f"{name}: {kind}")
        # O_NONBLOCK: a file swapped for a FIFO after the check above cannot make open() wait
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise YamlUnreadable(f"{name}: not a regular file: refused")
            raw = handle.read(MAX_FILE_BYTES + 1)  # never more, whatever the file's size claims
    except OSError as exc:
        raise YamlUnreadable(f"{name}: cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_FILE_BYTES:
        size = max(path.stat().st_size, len(raw)) if path.exists() else len(raw)
        raise YamlError(name, 1, 1, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
    parsed = parse_yaml_text(raw, name)
    parsed.digest = hashlib.sha256(raw).hexdigest()
    return parsed


def not_a_file(path: Path) -> str:
    """Why ``path`` is not a regular file one can read as YAML ('' when it is one).

    Followed through symbolic links, without opening anything: a FIFO would make a read
    wait forever, a device such as /dev/zero never ends, a link loop never resolves.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops (it leads back to itself): remove it or point it at a file"
        if path.is_symlink():
            return f"a symbolic link to {os.readlink(path)!r}, which does not exist"
        if exc.errno == errno.ENOENT:
            return "cannot read: no such file"
        return ""  # permission denied and the like: reading it says so
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder, not a file (painmap reads the YAML files of one folder, not of folders inside it)"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file: refused (reading it could wait forever)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        target = f" ({os.path.realpath(path)})" if path.is_symlink() else ""
        return f"a device{target}, not a file: refused"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file: refused"
    return "not a regular file: refused"


def parse_yaml_text(raw: bytes, name: str) -> ParsedFile:
    """Parse YAML bytes named ``name`` (used in messages); the top level must be a mapping."""
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            raise YamlError(name, 1, 1, f"this is {encoding} text: save the file as UTF-8")
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise YamlError(name, raw.count(b"\n", 0, offset) + 1, 1, "this is a binary file, not YAML text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not UTF-8 text (bad byte 0x{raw[exc.start]:02x} at offset {exc.start}): save the file as UTF-8"
        raise YamlError(name, line, column, message) from None
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlError(name, 1, 1, EMPTY_MESSAGE)

    parsed = ParsedFile(name, None)
    loader = _SafeLoader(text)
    try:
        if _might_nest_deeper_than(text, MAX_DEPTH):
            _check_depth(text)
        node = loader.get_node() if loader.check_node() else None
        if node is None:
            raise YamlError(name, 1, 1, EMPTY_MESSAGE)
        if loader.check_node():
            line = _second_document_line(text, node)
            raise YamlError(
                name, line, 1, "a dataset file holds one YAML document: remove the '---' line or split the file in two"
            )
        parsed.data = _to_python(loader, node, (), _Budget())
        parsed.text = text  # the nodes go: locate() composes them again when a problem needs a place
    except _Refused as exc:
        raise YamlError(name, exc.line, exc.column, exc.message, exc.path) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlError(name, line, col, _yaml_message(exc, text)) from None
    except yaml.YAMLError as exc:
        raise YamlError(name, 1, 1, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(parsed.data, dict):
        kind = _KIND_NAMES.get(type(parsed.data), type(parsed.data).__name__)
        raise YamlError(name, 1, 1, f"the top level must be a mapping of sections (organs:, routes:, ...), not {kind}")
    return parsed


#: Byte-order marks of encodings that are not UTF-8 (their text is full of NUL bytes).
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_KIND_NAMES: dict[type, str] = {
    list: "a list",
    str: "text",
    int: "a number",
    float: "a number",
    bool: "true/false",
    type(None): "null",
}
_DOCUMENT_START = re.compile(r"^---(\s|$)")


def _second_document_line(text: str, first: yaml.Node) -> int:
    """The line of the '---' that starts a second document (found in the text, after the first)."""
    lines = text.splitlines()
    for number in range(first.end_mark.line, len(lines)):
        if _DOCUMENT_START.match(lines[number]):
            return number + 1
    return min(first.end_mark.line + 1, max(len(lines), 1))


def _yaml_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    """The parser's complaint, with plain hints for the usual causes that we find in the text ourselves."""
    problem = exc.problem or ""
    if "nesting depth" in problem:  # libyaml's own limit (1000) was reached before our guard saw the events
        return DEEP_MESSAGE
    message = problem or "the parser stopped here"
    if exc.context:
        message = f"{exc.context}: {message}" if "found" in message else f"{message} ({exc.context})"
    mark, lines = exc.problem_mark, text.splitlines()
    if mark is not None and mark.line < len(lines):
        here = lines[mark.line]
        if "\t" in here[: len(here) - len(here.lstrip())] or "\t" in here[: mark.column + 1]:
            message += "; YAML indents with spaces, not tabs"
        elif _indent(here) not in {_indent(ln) for ln in lines[: mark.line] if ln.strip()}:
            message += "; check this line's indentation against the lines above"
    return f"invalid YAML: {message}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# --------------------------------------------------------------------------- nesting


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
                raise _Refused(_event_mark(event), DEEP_MESSAGE)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _event_mark(event: yaml.Event) -> Location:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


# --------------------------------------------------------------------------- nodes -> Python


_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"
_PLAIN_TAGS = (_CORE + "map", _CORE + "seq")
_SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null"))
#: Tags a plain scalar can get that carry no meaning here: keep the text as written.
_TEXT_TAGS = frozenset(_CORE + t for t in ("timestamp", "merge", "value"))
#: YAML 1.1 reads these as booleans; in YAML 1.2 (and here) they stay text ('no' is Norwegian).
_YAML11_BOOLS = frozenset("yes Yes YES no No NO on On ON off Off OFF".split())
_STR, _INT, _FLOAT = _CORE + "str", _CORE + "int", _CORE + "float"
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _tag_refused(tag: str) -> str:
    return f"YAML tag {_show_tag(tag)!r} is not allowed: a dataset holds plain data only"


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
            raise _Refused(_mark(node), f"more than {MAX_NODES} values once aliases are expanded: refused (a YAML bomb?)")
        if isinstance(node, yaml.CollectionNode):
            if id(node) in self.seen:  # a collection reached a second time comes through an alias
                self.aliases -= 1
                if self.aliases < 0:
                    raise _Refused(_mark(node), f"more than {MAX_ALIASES} YAML aliases: refused (a YAML bomb?)")
            self.seen.add(id(node))


def _to_python(loader: yaml.SafeLoader, node: yaml.Node, path: FieldPath, budget: _Budget) -> object:
    budget.spend(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(loader, node, path)
    if node.tag not in _PLAIN_TAGS:
        raise _Refused(_mark(node), _tag_refused(node.tag), path)
    if isinstance(node, yaml.MappingNode):
        return _mapping(loader, node, path, budget)
    return [_to_python(loader, item, path + (i,), budget) for i, item in enumerate(node.value)]


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode, path: FieldPath) -> object:
    tag, value = node.tag, node.value
    if tag == _STR:  # the common cases without PyYAML's constructor (a dataset has thousands)
        return value
    if tag in (_INT, _FLOAT) and len(value) < 40 and _PLAIN_NUMBER.fullmatch(value):
        return int(value) if tag == _INT else float(value)
    if tag in _TEXT_TAGS or (tag == _CORE + "bool" and value in _YAML11_BOOLS):
        return value
    if tag not in _SCALAR_TAGS:
        raise _Refused(_mark(node), _tag_refused(tag), path)
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError):  # '!!int abc'
        raise _Refused(_mark(node), f"{value!r} is not a valid {_show_tag(tag)}", path) from None


def _key(node: yaml.Node, path: FieldPath) -> str:
    """A mapping key as written: keys are always text ('no:' is Norwegian, '1:' is '1')."""
    if node.tag not in _SCALAR_TAGS and node.tag not in _TEXT_TAGS and node.tag not in _PLAIN_TAGS:
        raise _Refused(_mark(node), _tag_refused(node.tag), path)
    if not isinstance(node, yaml.ScalarNode):
        raise _Refused(_mark(node), "a key must be text, not a list or mapping", path)
    return str(node.value)


def _merge_sources(node: yaml.MappingNode, path: FieldPath, budget: _Budget) -> Iterator[yaml.MappingNode]:
    """The mappings that '<<' keys of ``node`` merge in, in order."""
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE:
            continue
        if value_node.tag not in _PLAIN_TAGS and not isinstance(value_node, yaml.ScalarNode):
            raise _Refused(_mark(value_node), _tag_refused(value_node.tag), path)
        if isinstance(value_node, yaml.SequenceNode):
            budget.spend(value_node)
            sources = list(value_node.value)
        else:
            sources = [value_node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise _Refused(_mark(source), "'<<' merges a mapping, or a list of mappings, named like *name", path)
            yield source


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, path: FieldPath, budget: _Budget) -> dict[str, object]:
    """A mapping; '<<: *name' merges are applied here (their keys yield to the mapping's own)."""
    result: dict[str, object] = {}
    for source in _merge_sources(node, path, budget):
        entries = _to_python(loader, source, path, budget)
        if isinstance(entries, dict):  # always: a MappingNode with a plain tag becomes a dict
            for key, value in entries.items():
                result.setdefault(key, value)  # the first mapping merged wins
    own: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            continue
        key = _key(key_node, path)
        if key in own:
            first = own[key].start_mark.line + 1
            raise _Refused(_mark(key_node), f"duplicate key {key!r} (first given at line {first})", path + (key,))
        own[key] = key_node
        result[key] = _to_python(loader, value_node, path + (key,), budget)
    return result

