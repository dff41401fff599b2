"""Checks across the files of a dataset: ids are unique, every id referred to exists,
segments are in the dataset's spinal cord, chains have no cycle, fibres have a style."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from painmap.model import (
    ALL_SEGMENTS,
    SECTIONS,
    DatasetFile,
    DeepStructure,
    Dispute,
    Lamina,
    Mechanism,
    NerveStructure,
    Organ,
    RedFlag,
    Route,
    SomaticInput,
    Source,
    SpinalCord,
    Zone,
)
from painmap.problems import Problem, closest, problem_at, segments_text
from painmap.safeyaml import FieldPath, ParsedFile


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


E = TypeVar("E", covariant=True)


@dataclass(frozen=True)
class Section(Generic[E]):
    """A list section of a dataset file, by name, with a typed way to read it."""

    name: str
    get: Callable[[DatasetFile], Sequence[E]]


SOURCES: Section[Source] = Section("sources", lambda m: m.sources)
ORGANS: Section[Organ] = Section("organs", lambda m: m.organs)
NERVES: Section[NerveStructure] = Section("nerves", lambda m: m.nerves)
LAMINAE: Section[Lamina] = Section("laminae", lambda m: m.laminae)
ZONES: Section[Zone] = Section("zones", lambda m: m.zones)
DEEP_STRUCTURES: Section[DeepStructure] = Section("deep_structures", lambda m: m.deep_structures)
SOMATIC_INPUTS: Section[SomaticInput] = Section("somatic_inputs", lambda m: m.somatic_inputs)
ROUTES: Section[Route] = Section("routes", lambda m: m.routes)
DISPUTES: Section[Dispute] = Section("disputes", lambda m: m.disputes)
RED_FLAGS: Section[RedFlag] = Section("red_flags", lambda m: m.red_flags)
MECHANISMS: Section[Mechanism] = Section("mechanisms", lambda m: m.mechanisms)
#: Every list section, in the order of ``model.SECTIONS``.
ALL_SECTIONS: tuple[Section[_HasId], ...] = (
    SOURCES, ORGANS, NERVES, LAMINAE, ZONES, DEEP_STRUCTURES, SOMATIC_INPUTS, ROUTES, DISPUTES, RED_FLAGS, MECHANISMS,
)  # fmt: skip
assert tuple(s.name for s in ALL_SECTIONS) == SECTIONS, "references.ALL_SECTIONS must follow model.SECTIONS"


@dataclass
class Document:
    """One file of a dataset: its parsed YAML (for locations) and its validated model."""

    parsed: ParsedFile
    model: DatasetFile


def entries(docs: Sequence[Document], section: Section[E]) -> Iterator[tuple[Document, int, E]]:
    """(document, index, entry) of every entry of ``section`` across ``docs``, in file order."""
    for doc in docs:
        for i, entry in enumerate(section.get(doc.model)):
            yield doc, i, entry


def check_references(docs: Sequence[Document]) -> list[Problem]:
    """Every id referred to exists, ids are unique, segments are known, chains have no cycle."""
    problems: list[Problem] = []
    first_seen: dict[str, tuple[Document, FieldPath]] = {}

    def report(doc: Document, path: FieldPath, message: str) -> None:
        problems.append(problem_at(doc.parsed, path, message))

    def declare(doc: Document, path: FieldPath, ident: str) -> None:
        if ident in first_seen:
            other_doc, other_path = first_seen[ident]
            line, _ = other_doc.parsed.locate(other_path)
            report(doc, path, f"duplicate id {ident!r} (first defined at {other_doc.parsed.path}:{line})")
        else:
            first_seen[ident] = (doc, path)

    for section in ALL_SECTIONS:
        for doc, i, entry in entries(docs, section):
            declare(doc, (section.name, i, "id"), entry.id)
            if isinstance(entry, Organ):  # an organ's parts share the one id space
                for j, part in enumerate(entry.parts):
                    declare(doc, ("organs", i, "parts", j, "id"), part.id)
    ids = {section.name: {e.id for _, _, e in entries(docs, section)} for section in ALL_SECTIONS}
    parts_of = {organ.id: {p.id for p in organ.parts} for _, _, organ in entries(docs, ORGANS)}
    problems.extend(_cord_problems(docs))
    cords = _cords(docs)
    known_segments = {s.id for s in cords[0][1].segments} if cords else set()
    known_order = [s for s in ALL_SEGMENTS if s in known_segments]
    known_text = segments_text(known_order) if known_order else "none"

    def need(doc: Document, path: FieldPath, value: str, sections: tuple[str, ...], what: str) -> None:
        if any(value in ids[s] for s in sections):
            return
        pool: set[str] = set().union(*(ids[s] for s in sections))  # only for the 'did you mean' hint
        report(doc, path, f"unknown {what} {value!r}{closest(value, pool, list_up_to=12)}")

    def need_segments(doc: Document, path: FieldPath, segments: Sequence[str] | None) -> None:
        unknown = [s for s in segments or () if s not in known_segments]
        if unknown and known_segments:
            these = f"segment {unknown[0]} is" if len(unknown) == 1 else f"segments {segments_text(unknown)} are"
            report(doc, path, f"{these} not in this dataset's spinal_cord (it knows {known_text})")

    def need_all(doc: Document, path: FieldPath, values: Sequence[str], sections: tuple[str, ...], what: str) -> None:
        for k, value in enumerate(values):
            need(doc, path + (k,), value, sections, what)

    for doc, i, zone in entries(docs, ZONES):
        need_segments(doc, ("zones", i, "dermatomes"), zone.dermatomes)
    for doc, i, deep in entries(docs, DEEP_STRUCTURES):
        need_segments(doc, ("deep_structures", i, "segments"), deep.segments)
    for doc, i, somatic in entries(docs, SOMATIC_INPUTS):
        base: FieldPath = ("somatic_inputs", i)
        need(doc, base + ("nerve",), somatic.nerve, ("nerves",), "nerve")
        need(doc, base + ("target",), somatic.target, ("zones", "deep_structures"), "zone or deep structure")
        need_all(doc, base + ("laminae",), somatic.laminae, ("laminae",), "lamina")
        need_all(doc, base + ("sources",), somatic.sources, ("sources",), "source")
        need_segments(doc, base + ("segments",), somatic.segments)
    for doc, i, route in entries(docs, ROUTES):
        base = ("routes", i)
        need(doc, base + ("organ",), route.organ, ("organs",), "organ")
        if route.organ in parts_of and route.part not in parts_of[route.organ]:
            hint = closest(route.part, parts_of[route.organ], list_up_to=12)
            report(doc, base + ("part",), f"{route.part!r} is not a part of organ {route.organ!r}{hint}")
        need_all(doc, base + ("chain",), route.chain, ("nerves",), "nerve, plexus or ganglion")
        seen: dict[str, int] = {}
        for k, step in enumerate(route.chain):
            if step in seen:
                report(doc, base + ("chain", k), f"the chain returns to {step!r} (step {seen[step] + 1}): a cycle")
            seen.setdefault(step, k)
        need_segments(doc, base + ("segments",), route.segments)
        need_all(doc, base + ("laminae",), route.laminae, ("laminae",), "lamina")
        need_all(doc, base + ("zones",), route.zones, ("zones",), "zone")
        need_all(doc, base + ("strains",), route.strains, ("deep_structures",), "deep structure")
        need_all(doc, base + ("sources",), route.sources, ("sources",), "source")
    routes = {r.id: r for _, _, r in entries(docs, ROUTES)}
    for doc, i, dispute in entries(docs, DISPUTES):
        where: FieldPath = ("disputes", i, "routes")
        need_all(doc, where, dispute.routes, ("routes",), "route")
        if len(set(dispute.routes)) < len(dispute.routes):
            report(doc, where, "a route is listed twice")
        parts = {routes[r].part for r in dispute.routes if r in routes}
        if len(parts) > 1:
            report(doc, where, f"disputed routes must be about one organ part, not {', '.join(sorted(parts))}")
    for doc, i, flag in entries(docs, RED_FLAGS):
        need_all(doc, ("red_flags", i, "organs"), flag.organs, ("organs",), "organ")
        need_all(doc, ("red_flags", i, "sources"), flag.sources, ("sources",), "source")
    for doc, i, mechanism in entries(docs, MECHANISMS):
        need_all(doc, ("mechanisms", i, "sources"), mechanism.sources, ("sources",), "source")

    entity_sections = ("organs", "nerves", "zones", "deep_structures", "laminae")
    drawable = {p for parts in parts_of.values() for p in parts}.union(*(ids[s] for s in entity_sections))
    for doc in docs:
        for key in doc.model.outlines:
            if key not in drawable:
                report(doc, ("outlines", key), f"outline for unknown id {key!r}{closest(key, drawable)}")

    styled = {k for doc in docs for k in doc.model.fibre_styles}
    for doc, i, nerve in entries(docs, NERVES):
        for k, fibre in enumerate(nerve.fibres):
            if fibre not in styled:
                report(doc, ("nerves", i, "fibres", k), f"fibre type {fibre!r} has no entry in fibre_styles")
    return problems


def _cord_problems(docs: Sequence[Document]) -> list[Problem]:
    """Exactly one file defines the spinal cord; its segments are listed once; drawn ones are known."""
    cords = _cords(docs)
    if not cords:
        return [Problem(docs[0].parsed.path, 1, 1, "spinal_cord", "no file defines 'spinal_cord'")]
    problems = [
        problem_at(doc.parsed, ("spinal_cord",), "'spinal_cord' is defined in more than one file") for doc, _ in cords[1:]
    ]
    doc, cord = cords[0]
    known: set[str] = set()
    for j, segment in enumerate(cord.segments):
        if segment.id in known:
            problems.append(
                problem_at(doc.parsed, ("spinal_cord", "segments", j, "id"), f"segment {segment.id} listed twice")
            )
        known.add(segment.id)
    missing = [s for s in cord.drawn if s not in known]
    if missing:
        message = f"drawn segments {segments_text(missing)} are not in spinal_cord.segments"
        problems.append(problem_at(doc.parsed, ("spinal_cord", "drawn"), message))
    return problems


def _cords(docs: Sequence[Document]) -> list[tuple[Document, SpinalCord]]:
    """Every (file, spinal cord) of the dataset: one is right."""
    return [(doc, cord) for doc in docs if (cord := doc.model.spinal_cord) is not None]
