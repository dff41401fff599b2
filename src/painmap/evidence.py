"""Can a reader find every source, and does every strong claim rest on more than hearsay?

The checks behind ``painmap validate --strict``, as pure functions of a loaded
:class:`~painmap.model.Dataset`:

- :func:`untraceable_sources`: a source a reader cannot find. It has no DOI, PMID, ISBN or
  URL; or no year (an undated web or lay page may give the date it was accessed instead); or a web, lay or
  guideline page's URL has no ``accessed`` date; or it says ``verified: false`` (it could not
  be confirmed as written).
- :func:`unsupported_strong_routes`: a route graded *strong* whose sources are all weak or lay
  (patient information may motivate a story, never carry a strong claim alone).
- :func:`unsupported_stories`: a story whose sources, or one of whose triggers or eases, are all
  lay; a story that leaves out an emergency red flag of its organ.

Each finding names the entry (``sources`` or ``routes``, its id, the field); :func:`place`
turns findings into ``file:line:column: field: message`` problems, like the loader's, by
finding the entry in the files the dataset was read from. :func:`citations` answers the
reverse question: which routes, inputs, red flags and mechanisms cite each source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from painmap.model import Dataset, Source, text
from painmap.problems import DatasetError, DatasetReadError, Problem, format_field, problem_at
from painmap.safeyaml import FieldPath, ParsedFile, YamlError, YamlUnreadable, read_yaml

#: Kinds of source that are pages on the web: their URL needs the date it was read.
PAGE_KINDS = frozenset({"web", "lay", "guideline"})
#: Kinds of source that may give the date they were read instead of a year (undated web pages).
UNDATED_KINDS = frozenset({"web", "lay"})
#: Kinds that count as weak support whatever their grade: patient information.
LAY_KINDS = frozenset({"lay"})


@dataclass(frozen=True)
class Finding:
    """One strict-check failure: which entry (section and id), which field, and why."""

    section: str  # 'sources', 'routes' or 'stories'
    entry: str  # the entry's id
    field: str  # the field the message is about ('' for the whole entry)
    message: str

    def __str__(self) -> str:
        return f"{self.section} {self.entry!r}: {self.field + ': ' if self.field else ''}{self.message}"


def has_locator(source: Source) -> bool:
    """A DOI, PMID, ISBN or URL."""
    return any((source.doi, source.pmid, source.isbn, source.url))


def source_findings(source: Source) -> list[Finding]:
    """Why a reader could not find ``source`` (empty: they can)."""
    found = []

    def add(field: str, message: str) -> None:
        found.append(Finding("sources", source.id, field, message))

    if not has_locator(source):
        add("", "untraceable: give a doi, pmid, isbn, or a url with the date it was accessed")
    if source.year is None and not (source.kind in UNDATED_KINDS and source.accessed):
        add("year", "no year: give the year it was published (an undated web or lay page: the date it was accessed)")
    if source.url and source.kind in PAGE_KINDS and not source.accessed:
        add("accessed", f"a {source.kind} page's url needs the date it was read: accessed: YYYY-MM-DD")
    if not source.verified:
        add("verified", "verified: false, the citation could not be confirmed as written")
    return found


def untraceable_sources(ds: Dataset) -> list[Finding]:
    """Every source a reader could not find, in dataset order."""
    return [finding for source in ds.sources for finding in source_findings(source)]


def is_weak(source: Source) -> bool:
    """Weak support: graded weak, or patient information (lay)."""
    return source.evidence == "weak" or source.kind in LAY_KINDS


def unsupported_strong_routes(ds: Dataset) -> list[Finding]:
    """Routes graded strong whose every source is weak or lay."""
    found = []
    for route in ds.routes:
        if route.evidence != "strong":
            continue
        cited = [ds.source[s] for s in route.sources if s in ds.source]
        if cited and all(is_weak(s) for s in cited):
            names = ", ".join(f"{s.id} ({'lay' if s.kind in LAY_KINDS else 'weak'})" for s in cited)
            found.append(
                Finding(
                    "routes",
                    route.id,
                    "evidence",
                    f"graded strong, but its only sources are weak or lay ({names}): "
                    "cite a peer-reviewed source or grade it lower",
                )
            )
    return found


def _only_lay(ds: Dataset, source_ids: Iterable[str]) -> list[Source] | None:
    """The cited sources when every one of them is lay (patient information), else None."""
    cited = [ds.source[s] for s in source_ids if s in ds.source]
    return cited if cited and all(s.kind in LAY_KINDS for s in cited) else None


def unsupported_stories(ds: Dataset) -> list[Finding]:
    """Stories that rest on patient information alone, or leave out an emergency of their organ.

    - a story cites at least one source that is not lay;
    - each thing it says triggers or eases the condition is reported by a source that is not lay;
    - it lists every emergency red flag of its organ (and those of every organ).
    """
    found = []
    for story in ds.stories:
        if _only_lay(ds, story.sources) is not None:
            found.append(
                Finding("stories", story.id, "sources", "its only sources are lay (patient information): cite one that is not")
            )
        for field, claims in (("triggers", story.triggers), ("eases", story.eases)):
            for k, claim in enumerate(claims):
                lay = _only_lay(ds, claim.sources)
                if lay is not None:
                    found.append(
                        Finding(
                            "stories",
                            story.id,
                            field,
                            f"{field} {k + 1} ({text(claim.text)!r}) rests on lay sources alone "
                            f"({', '.join(s.id for s in lay)}): a patient article is never the only support of a claim",
                        )
                    )
        emergencies = [
            f.id for f in ds.red_flags if f.urgency == "emergency" and (not f.organs or story.organ in f.organs)
        ]
        missing = [f for f in emergencies if f not in story.red_flags]
        if missing:
            found.append(
                Finding(
                    "stories",
                    story.id,
                    "red_flags",
                    f"leaves out the emergencies of organ {story.organ!r}: {', '.join(missing)}",
                )
            )
    return found


def strict_findings(ds: Dataset) -> list[Finding]:
    """Everything ``validate --strict`` refuses."""
    return untraceable_sources(ds) + unsupported_strong_routes(ds) + unsupported_stories(ds)


# --------------------------------------------------------------------------- citations

#: The kinds of entry that cite sources, as named in ``list sources --json``.
CITERS = ("routes", "somatic_inputs", "red_flags", "mechanisms", "stories")


def citations(ds: Dataset) -> dict[str, dict[str, list[str]]]:
    """Source id -> {'routes': [...], 'somatic_inputs': [...], 'red_flags': [...], 'mechanisms': [...],
    'stories': [...]}.

    A route's somatic phase counts as the route citing the source; a story cites its own
    sources and those of what it says sets it off or eases it.
    """
    cited: dict[str, dict[str, list[str]]] = {s.id: {kind: [] for kind in CITERS} for s in ds.sources}

    def add(kind: str, entry: str, sources: Iterable[str]) -> None:
        for source in sources:
            ids = cited.setdefault(source, {k: [] for k in CITERS})[kind]
            if entry not in ids:
                ids.append(entry)

    for route in ds.routes:
        add("routes", route.id, route.sources)
        if route.somatic_phase is not None:
            add("routes", route.id, route.somatic_phase.sources)
    for somatic in ds.somatic_inputs:
        add("somatic_inputs", somatic.id, somatic.sources)
    for flag in ds.red_flags:
        add("red_flags", flag.id, flag.sources)
    for story in ds.stories:
        add("stories", story.id, [*story.sources, *(s for claim in (*story.triggers, *story.eases) for s in claim.sources)])
    for mechanism in ds.mechanisms:
        add("mechanisms", mechanism.id, mechanism.sources)
    return cited


def source_json(source: Source, cited_by: Mapping[str, list[str]]) -> dict:
    """One source as ``list sources --json`` gives it: every field, then who cites it."""
    return {**source.model_dump(mode="json"), "cited_by": {kind: list(cited_by.get(kind, [])) for kind in CITERS}}


def sources_json(ds: Dataset) -> list[dict]:
    """Every source with its fields and the ids of the entries that cite it, in dataset order."""
    cited = citations(ds)
    return [source_json(s, cited[s.id]) for s in ds.sources]


# --------------------------------------------------------------------------- where


def _read(path: str) -> ParsedFile | None:
    try:
        return read_yaml(Path(path))
    except (YamlError, YamlUnreadable, DatasetError, DatasetReadError, OSError):
        return None


def place(ds: Dataset, findings: Iterable[Finding]) -> list[Problem]:
    """Findings as ``file:line:column: field: message`` problems.

    The entry is looked up by id in the files the dataset was read from (``ds.origin``); a
    finding whose entry cannot be found there is placed at the first file's start.
    """
    files = [parsed for path in ds.origin if (parsed := _read(path)) is not None]
    index: dict[tuple[str, str], tuple[ParsedFile, int, dict]] = {}
    for parsed in files:
        data = parsed.data if isinstance(parsed.data, dict) else {}
        for section in ("sources", "routes", "stories"):
            entries = data.get(section)
            if isinstance(entries, list):
                for i, entry in enumerate(entries):
                    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                        index.setdefault((section, entry["id"]), (parsed, i, entry))
    problems = []
    for finding in findings:
        where = index.get((finding.section, finding.entry))
        message = f"{finding.entry!r}: {finding.message}"
        if where is None:
            first = ds.origin[0] if ds.origin else "<dataset>"
            problems.append(Problem(first, 1, 1, f"{finding.section}.{finding.field}".rstrip("."), message))
            continue
        parsed, i, entry = where
        path: FieldPath = (finding.section, i, finding.field) if finding.field else (finding.section, i)
        if finding.field and finding.field not in entry:
            # a missing field: point at the entry's id, and still name the field
            problem = problem_at(parsed, (finding.section, i, "id"), message)
            problems.append(Problem(problem.file, problem.line, problem.column, format_field(path), message))
        else:
            problems.append(problem_at(parsed, path, message))
    return problems


def strict_problems(ds: Dataset) -> list[Problem]:
    """What ``validate --strict`` refuses, placed in the files."""
    return place(ds, strict_findings(ds))
