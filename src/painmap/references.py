"""Checks across the files of a dataset: ids are unique, every id referred to exists,
segments are in the dataset's spinal cord, chains have no cycle and follow the order the
anatomy fixes (``precedes``), alternatives stand together in their chain, a somatic phase
names a somatic nerve, fibres have a style, a story's steps are steps of its own routes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

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
    Story,
    Zone,
    route_step_names,
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
STORIES: Section[Story] = Section("stories", lambda m: m.stories)
#: Every list section, in the order of ``model.SECTIONS``.
ALL_SECTIONS: tuple[Section[_HasId], ...] = (
    SOURCES, ORGANS, NERVES, LAMINAE, ZONES, DEEP_STRUCTURES, SOMATIC_INPUTS, ROUTES, DISPUTES, RED_FLAGS, MECHANISMS,
    STORIES,
)  # fmt: skip
#: Sections whose ids have a space of their own (a story's id is a name in a link: ``?story=ID``).
OWN_ID_SPACE: frozenset[str] = frozenset({"stories"})
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
    first_seen: dict[tuple[str, str], tuple[Document, FieldPath]] = {}

    def report(doc: Document, path: FieldPath, message: str) -> None:
        problems.append(problem_at(doc.parsed, path, message))

    def declare(doc: Document, path: FieldPath, ident: str, space: str = "") -> None:
        if (space, ident) in first_seen:
            other_doc, other_path = first_seen[(space, ident)]
            line, _ = other_doc.parsed.locate(other_path)
            report(doc, path, f"duplicate id {ident!r} (first defined at {other_doc.parsed.path}:{line})")
        else:
            first_seen[(space, ident)] = (doc, path)

    for section in ALL_SECTIONS:
        space = section.name if section.name in OWN_ID_SPACE else ""
        for doc, i, entry in entries(docs, section):
            declare(doc, (section.name, i, "id"), entry.id, space)
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
    nerves = {n.id: n for _, _, n in entries(docs, NERVES)}
    nerve_at = {n.id: (doc, i) for doc, i, n in entries(docs, NERVES)}
    for doc, i, nerve in entries(docs, NERVES):
        need_all(doc, ("nerves", i, "precedes"), nerve.precedes, ("nerves",), "nerve, plexus or ganglion")
    order_of, order_problems = _anatomical_order(docs)
    problems.extend(order_problems)
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
        problems.extend(_order_problems(doc, i, route, order_of, nerve_at))
        problems.extend(_alternatives_problems(doc, i, route))
        need_all(doc, base + ("mechanisms",), route.mechanisms, ("mechanisms",), "mechanism")
        phase = route.somatic_phase
        if phase is not None:
            at: FieldPath = base + ("somatic_phase",)
            if route.kind != "segmental":
                report(doc, at, f"only a segmental route has a somatic phase (this one is {route.kind})")
            need(doc, at + ("nerve",), phase.nerve, ("nerves",), "nerve")
            if phase.nerve in nerves and "somatic" not in nerves[phase.nerve].fibres:
                report(
                    doc,
                    at + ("nerve",),
                    f"{phase.nerve!r} carries no somatic fibres: a somatic phase is reported by the body wall's "
                    "own somatic nerve, not by a visceral one",
                )
            need_segments(doc, at + ("segments",), phase.segments)
            need_all(doc, at + ("zones",), phase.zones, ("zones",), "zone")
            need_all(doc, at + ("sources",), phase.sources, ("sources",), "source")
        need_segments(doc, base + ("segments",), route.segments)
        need_all(doc, base + ("laminae",), route.laminae, ("laminae",), "lamina")
        need_all(doc, base + ("zones",), route.zones, ("zones",), "zone")
        need_all(doc, base + ("strains",), route.strains, ("deep_structures",), "deep structure")
        need_all(doc, base + ("sources",), route.sources, ("sources",), "source")
    routes = {r.id: r for _, _, r in entries(docs, ROUTES)}
    disputed: dict[str, tuple[Document, int, Dispute]] = {}
    for doc, i, dispute in entries(docs, DISPUTES):
        where: FieldPath = ("disputes", i, "routes")
        need_all(doc, where, dispute.routes, ("routes",), "route")
        if len(set(dispute.routes)) < len(dispute.routes):
            report(doc, where, "a route is listed twice")
        for k, route_id in enumerate(dict.fromkeys(dispute.routes)):
            if route_id in disputed:
                other_doc, n, other = disputed[route_id]
                line, _ = other_doc.parsed.locate(("disputes", n, "id"))
                report(
                    doc,
                    where + (dispute.routes.index(route_id),),
                    f"route {route_id!r} is already an alternative in dispute {other.id!r} "
                    f"({other_doc.parsed.path}:{line}): a route belongs to one dispute; merge the two",
                )
            disputed.setdefault(route_id, (doc, i, dispute))
        parts = {routes[r].part for r in dispute.routes if r in routes}
        if len(parts) > 1:
            report(doc, where, f"disputed routes must be about one organ part, not {', '.join(sorted(parts))}")
    for doc, i, flag in entries(docs, RED_FLAGS):
        need_all(doc, ("red_flags", i, "organs"), flag.organs, ("organs",), "organ")
        need_all(doc, ("red_flags", i, "sources"), flag.sources, ("sources",), "source")
    for doc, i, mechanism in entries(docs, MECHANISMS):
        need_all(doc, ("mechanisms", i, "sources"), mechanism.sources, ("sources",), "source")
    inputs = [s for _, _, s in entries(docs, SOMATIC_INPUTS)]
    for doc, i, story in entries(docs, STORIES):
        base = ("stories", i)
        need(doc, base + ("organ",), story.organ, ("organs",), "organ")
        need_all(doc, base + ("routes",), story.routes, ("routes",), "route")
        for k, route_id in enumerate(story.routes):
            if route_id in story.routes[:k]:
                report(doc, base + ("routes", k), f"route {route_id!r} is listed twice")
            elif route_id in routes and story.organ in parts_of and routes[route_id].organ != story.organ:
                report(
                    doc,
                    base + ("routes", k),
                    f"route {route_id!r} is about organ {routes[route_id].organ!r}, not the story's organ {story.organ!r}",
                )
        for k, told in enumerate(story.steps):
            at = base + ("steps", k)
            if told.route not in story.routes:
                hint = closest(told.route, story.routes, list_up_to=12)
                report(doc, at + ("route",), f"{told.route!r} is not one of this story's routes{hint}")
            elif told.route in routes:
                names = route_step_names(routes[told.route], nerves, inputs)
                if told.step not in names:
                    hint = closest(told.step, names)
                    report(
                        doc,
                        at + ("step",),
                        f"{told.step!r} is not a step of route {told.route!r}{hint} (its steps: {', '.join(names)})",
                    )
        for field, claims in (("triggers", story.triggers), ("eases", story.eases)):
            for k, claim in enumerate(claims):
                need_all(doc, base + (field, k, "sources"), claim.sources, ("sources",), "source")
        need_all(doc, base + ("red_flags",), story.red_flags, ("red_flags",), "red flag")
        need_all(doc, base + ("sources",), story.sources, ("sources",), "source")

    entity_sections = ("organs", "nerves", "zones", "deep_structures", "laminae")
    drawable = {p for parts in parts_of.values() for p in parts}.union(*(ids[s] for s in entity_sections))
    drawn: dict[tuple[str, str, str], Document] = {}  # (section, id, view) -> the file that draws it
    for doc in docs:
        for key in doc.model.outlines:
            if key not in drawable:
                report(doc, ("outlines", key), f"outline for unknown id {key!r}{closest(key, drawable)}")
        for kind, outlines in (("outlines", doc.model.outlines), ("scaffold", doc.model.scaffold)):
            for key, shapes in outlines.items():
                for view in dict.fromkeys(shape.view for shape in shapes):
                    first = drawn.setdefault((kind, key, view), doc)
                    if first is not doc:
                        line, _ = first.parsed.locate((kind, key))
                        report(
                            doc,
                            (kind, key),
                            f"{key!r} is already drawn in the {view} view by {first.parsed.path}:{line}: "
                            "two files drawing one id draw it twice (a copy of a file?); keep one",
                        )
                        break

    worded: dict[str, Document] = {}
    for doc in docs:
        for key in doc.model.plain_words:
            if key not in drawable:
                report(doc, ("plain_words", key), f"plain words for unknown id {key!r}{closest(key, drawable)}")
            elif key in worded:
                report(doc, ("plain_words", key), f"plain words for {key!r} are already given in {Path(worded[key].parsed.path).name}")
            worded.setdefault(key, doc)

    styled = {k for doc in docs for k in doc.model.fibre_styles}
    for doc, i, nerve in entries(docs, NERVES):
        for k, fibre in enumerate(nerve.fibres):
            if fibre not in styled:
                report(doc, ("nerves", i, "fibres", k), f"fibre type {fibre!r} has no entry in fibre_styles")
    return problems


def reference_warnings(docs: Sequence[Document]) -> list[Problem]:
    """What can be intended but must not pass unsaid: a later file's fibre style replaces an earlier one's."""
    warnings: list[Problem] = []
    styled: dict[str, Document] = {}
    for doc in docs:
        for key in doc.model.fibre_styles:
            first = styled.setdefault(key, doc)
            if first is not doc:
                line, _ = first.parsed.locate(("fibre_styles", key))
                warnings.append(
                    problem_at(
                        doc.parsed,
                        ("fibre_styles", key),
                        f"replaces the style of {key!r} given at {first.parsed.path}:{line} (the later file wins)",
                    )
                )
                styled[key] = doc
    return warnings


def texts_languages(docs: Sequence[Document]) -> tuple[tuple[str, ...], list[Problem]]:
    """The languages the files declare that some text has ('en' first), and a warning at each
    declaration of a language no text has (it is not offered: the picker would show English)."""
    declared = [lang for doc in docs for lang in doc.model.languages]
    wanted = {lang for lang in declared if lang != "en"}
    found = _languages_of_texts([doc.model for doc in docs], wanted)
    offered = ("en", *dict.fromkeys(lang for lang in declared if lang in found))
    warnings = [
        problem_at(
            doc.parsed,
            ("languages", k),
            f"no text of the dataset has {lang!r}: it is not offered in the language picker "
            "(add texts in it, or remove it from 'languages')",
        )
        for doc in docs
        for k, lang in enumerate(doc.model.languages)
        if lang != "en" and lang not in found
    ]
    return offered, warnings


def _languages_of_texts(values: list[object], wanted: set[str]) -> set[str]:
    """Which of ``wanted`` some text (a mapping with 'en' and words in other languages) inside
    ``values`` (models, mappings, tuples) has; the walk stops as soon as every wanted language
    is found, and skips lists of numbers (outline points)."""
    found: set[str] = set()
    todo = list(values)
    while todo and found != wanted:
        value = todo.pop()
        if isinstance(value, BaseModel):
            todo.extend(v for v in value.__dict__.values() if isinstance(v, BaseModel | Mapping | tuple | list))
        elif isinstance(value, Mapping):
            if isinstance(value.get("en"), str):
                found.update(k for k in value if k in wanted and isinstance(value[k], str))
            else:
                todo.extend(v for v in value.values() if isinstance(v, BaseModel | Mapping | tuple | list))
        elif isinstance(value, tuple | list) and value and isinstance(value[0], BaseModel | Mapping | tuple | list):
            if not (isinstance(value[0], tuple | list) and value[0] and isinstance(value[0][0], int | float)):
                todo.extend(value)
    return found


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


def _anatomical_order(docs: Sequence[Document]) -> tuple[dict[str, set[str]], list[Problem]]:
    """Every structure -> all structures a signal reaches after it (``precedes``, followed through).

    A declared order that leads back to where it started is a problem, placed at the
    ``precedes`` entry that closes the loop.
    """
    direct: dict[str, list[str]] = {}
    for _, _, nerve in entries(docs, NERVES):
        direct.setdefault(nerve.id, []).extend(nerve.precedes)
    after: dict[str, set[str]] = {}
    for start in direct:
        reached: set[str] = set()
        todo = list(direct[start])
        while todo:
            step = todo.pop()
            if step not in reached:
                reached.add(step)
                todo.extend(direct.get(step, ()))
        after[start] = reached
    problems = []
    for doc, i, nerve in entries(docs, NERVES):
        for k, later in enumerate(nerve.precedes):
            if later == nerve.id or nerve.id in after.get(later, ()):
                problems.append(
                    problem_at(
                        doc.parsed,
                        ("nerves", i, "precedes", k),
                        f"{nerve.id!r} precedes {later!r}, which (through 'precedes') comes back to "
                        f"{nerve.id!r}: an order cannot run in a circle",
                    )
                )
    return after, problems


def _order_problems(
    doc: Document,
    i: int,
    route: Route,
    after: dict[str, set[str]],
    nerve_at: dict[str, tuple[Document, int]],
) -> list[Problem]:
    """A chain step that the anatomy puts before an earlier step of the same chain.

    Members of one alternatives group are side by side, not in series: no order between them.
    """
    together = {m: g for g, group in enumerate(route.alternatives) for m in group}
    problems = []
    for k, step in enumerate(route.chain):
        if step in route.chain[:k]:
            continue  # a step that comes back is a cycle, reported as one
        for j in range(k):
            earlier = route.chain[j]
            if step in together and together.get(earlier) == together[step]:
                continue
            if earlier in after.get(step, ()):
                where_doc, n = nerve_at[step]
                line, _ = where_doc.parsed.locate(("nerves", n, "precedes"))
                message = (
                    f"{step!r} comes after {earlier!r} (step {j + 1}) in this chain, but the anatomy puts it "
                    f"first ({step!r} precedes {earlier!r}: {where_doc.parsed.path}:{line}); "
                    "a chain runs from the organ to the cord"
                )
                problems.append(problem_at(doc.parsed, ("routes", i, "chain", k), message))
                break
    return problems


def _alternatives_problems(doc: Document, i: int, route: Route) -> list[Problem]:
    """Each alternatives group: two or more chain members, each in one group, standing together."""
    problems = []
    base: FieldPath = ("routes", i, "alternatives")
    position = {step: k for k, step in enumerate(route.chain)}
    grouped: dict[str, int] = {}
    for g, group in enumerate(route.alternatives):
        if len(set(group)) < 2:
            problems.append(
                problem_at(doc.parsed, base + (g,), "an alternatives group names two or more different chain members")
            )
            continue
        for m, member in enumerate(group):
            if member not in position:
                problems.append(
                    problem_at(
                        doc.parsed,
                        base + (g, m),
                        f"{member!r} is not in this route's chain; alternatives are chain members that stand side "
                        "by side (chain: " + ", ".join(route.chain) + ")",
                    )
                )
            elif member in grouped:
                problems.append(
                    problem_at(doc.parsed, base + (g, m), f"{member!r} is already in alternatives group {grouped[member] + 1}")
                )
            grouped.setdefault(member, g)
        places = sorted(position[m] for m in set(group) if m in position)
        if len(places) == len(set(group)) and places[-1] - places[0] != len(places) - 1:
            between = [route.chain[k] for k in range(places[0], places[-1] + 1) if route.chain[k] not in group]
            problems.append(
                problem_at(
                    doc.parsed,
                    base + (g,),
                    f"alternatives {', '.join(group)} must stand together in the chain (a fork), "
                    f"but {', '.join(repr(b) for b in between)} stands between them",
                )
            )
    return problems
