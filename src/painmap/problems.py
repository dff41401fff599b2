"""Problems with a dataset and their wording: where each one is, and plain words for it.

A :class:`Problem` is ``file:line:column: field: message``. This module turns the YAML
reader's refusals and pydantic's validation errors into problems a curator can act on
(readable words instead of regular expressions, "did you mean" hints, the line to change).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from painmap.model import SEGMENT_ORDER, DatasetFile, format_segment_range
from painmap.safeyaml import FieldPath, ParsedFile, YamlError


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


def problem_at(parsed: ParsedFile, path: FieldPath, message: str) -> Problem:
    """A problem about the value at ``path`` of ``parsed``, placed where that value is written."""
    line, column = parsed.locate(path)
    return Problem(parsed.path, line, column, format_field(path), message)


def yaml_problem(error: YamlError) -> Problem:
    """The YAML reader's refusal as a problem."""
    return Problem(error.name, error.line, error.column, format_field(error.path), error.message)


def closest(value: str, known: Iterable[str], list_up_to: int = 0) -> str:
    """'; did you mean ...?' with the closest known ids; with none close, all of them when few."""
    ordered = sorted(known)
    close = difflib.get_close_matches(value, ordered, n=3)
    if close:
        return f"; did you mean {', '.join(repr(c) for c in close)}?"
    if ordered and len(ordered) <= list_up_to:
        return f"; known: {', '.join(ordered)}"
    return ""


def segments_text(segments: Sequence[str]) -> str:
    """['L2', 'L3', 'L4'] -> 'L2-L4'; gaps are listed: 'T9, L2-L3'."""
    runs: list[list[str]] = []
    for segment in segments:
        if runs and SEGMENT_ORDER[segment] == SEGMENT_ORDER[runs[-1][-1]] + 1:
            runs[-1].append(segment)
        else:
            runs.append([segment])
    return ", ".join(format_segment_range(tuple(run)) for run in runs)


# --------------------------------------------------------------------------- schema errors


def _unwrap(annotation: object) -> list[object]:
    """The model/container types inside Optional[...], Annotated[...], list[...] and so on."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def known_fields(path: FieldPath) -> list[str]:
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
        {name for c in candidates if isinstance(c, type) and issubclass(c, BaseModel) for name in c.model_fields}
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


def _pattern_message(item: ErrorDetails) -> str | None:
    pattern = str((item.get("ctx") or {}).get("pattern", ""))
    for start, hint in _PATTERN_HINTS:
        if pattern.startswith(start):
            return f"{item['input']!r} {hint}"
    return None


def _named_field(path: FieldPath, message: str, given: object) -> str | None:
    """The one field of the entry at ``path`` that a whole-entry message is about, if it names one.

    'a systemic route has no segments' is about the route's ``segments``: pointing there
    puts the editor's cursor on the line to change.
    """
    known = set(known_fields(path))
    named = known.intersection(re.findall(r"[a-z_]+", message))
    if not named and isinstance(given, dict):
        named = {k for k, v in given.items() if k in known and isinstance(v, str) and repr(v) in message}
    return named.pop() if len(named) == 1 else None


def _clean_path(loc: tuple[str | int, ...]) -> FieldPath:
    """Pydantic's location without its validator steps ('function-after[...]', '[key]')."""
    return tuple(p for p in loc if isinstance(p, int) or not str(p).startswith(("function-", "[")))


def schema_problems(parsed: ParsedFile, error: ValidationError) -> list[Problem]:
    """Pydantic's complaints about one file, in plain words, each placed where it is written."""
    problems = []
    bad_keys: set[FieldPath] = set()
    items = error.errors(include_url=False)
    for item in items:
        if "[key]" in item["loc"]:
            bad_keys.add(tuple(p for p in item["loc"] if p != "[key]"))
    paths = [_clean_path(item["loc"]) for item in items]
    for item in items:
        is_key = "[key]" in item["loc"]
        path = _clean_path(item["loc"])
        if not is_key and path in bad_keys:
            continue  # the key is wrong: its value's complaint would only repeat that
        if item["type"] == "too_short" and any(len(p) > len(path) and p[: len(path)] == path for p in paths):
            continue  # a tuple is "too short" only because its items failed: those are the problems
        kind, message = item["type"], item["msg"]
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        given = item.get("input")
        if kind in ("tuple_type", "too_short", "too_long"):  # read-only lists are tuples; YAML calls them lists
            message = message.replace("valid tuple", "valid list").replace("Tuple should", "List should")
        if kind == "string_pattern_mismatch":
            message = _pattern_message(item) or f"{message} (got {given!r})"
        elif is_key and kind == "literal_error":
            expected = re.findall(r"'([^']*)'", str((item.get("ctx") or {}).get("expected", "")))
            message = f"{given!r} is not one of: {', '.join(expected)}{closest(str(given), expected)}"
        elif kind == "missing":
            message = "required field is missing"
        elif kind == "extra_forbidden":
            known = known_fields(path[:-1])
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
        problems.append(problem_at(parsed, path, message))
    return sorted(problems, key=lambda p: (p.line, p.column))
