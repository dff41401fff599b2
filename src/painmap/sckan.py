"""Import SCKAN neuron populations (a SPARQL JSON result) as a painmap dataset file.

SCKAN, the SPARC Connectivity Knowledge base of the Autonomic Nervous system, describes each
neuron population in one sentence, for example "T10-L2 dorsal root ganglia with axon sensory
terminal in uterus via hypogastric nerve with axon terminal in T10-L2 spinal cord". The
importer turns the afferent (sensory) spinal populations into segmental routes of painmap's
own schema, naming organ parts and nerves by the bundled dataset's ids, and writes a file
that extends the bundled dataset. Whatever it cannot map is reported with the reason, never
guessed: efferent populations, vagal afferents, organs the dataset lacks, and segment
numbers that exist in rodents but not in humans (rat T13, L6).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from painmap.loader import DatasetReadError, bundled_data_dir, load
from painmap.model import (
    Dataset,
    Id,
    Route,
    Source,
    Species,
    format_segment_range,
    parse_segment_range,
    text,
)
from painmap.problems import format_field
from painmap.safeyaml import YamlError, YamlUnreadable, read_yaml

SCKAN_RELEASE = "2025-11-10"
LICENCE_NOTE = f"SCKAN release {SCKAN_RELEASE}, CC BY 4.0"
ALL_SPECIES = "all"
ID_PREFIX = "imported-sckan-"
#: A SPARQL JSON file larger than this is refused before parsing (the whole SCKAN dump is far smaller).
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: Zones whose dermatomes span more segments than this are diffuse ("whole body"), never inferred.
MAX_INFERRED_ZONE_SEGMENTS = 8
#: Laminae assumed when SCKAN names none: where visceral and skin afferents converge.
DEFAULT_LAMINAE = ("i", "v")


class SckanError(Exception):
    """The SCKAN file cannot be read or is not a SPARQL JSON result of neuron records.

    ``unreadable`` is True when the file itself cannot be read (missing, a folder, no
    permission): the CLI's exit 2. Otherwise the content is wrong: exit 1.
    """

    def __init__(self, message: str, unreadable: bool = False):
        super().__init__(message)
        self.unreadable = unreadable


# --------------------------------------------------------------------------- species


@dataclass(frozen=True)
class Taxon:
    label: str
    taxid: str
    common: str

    @property
    def species(self) -> Species:
        return Species(label=self.label, ontology=f"NCBITaxon:{self.taxid}", common=self.common)


# --------------------------------------------------------------------------- the tables (data, not code)

#: SCKAN's words -> painmap's ids: organ parts, nerves, species. Shipped beside this module.
TABLES_PATH = Path(__file__).with_name("sckan_ids.yaml")


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _PartRow(_Row):
    pattern: str
    part: Id | None


class _NerveRow(_Row):
    pattern: str
    nerve: Id


class _TaxonRow(_Row):
    label: str = Field(min_length=1)
    taxid: str = Field(pattern=r"^[0-9]{1,8}$")
    common: str = Field(min_length=1)

    def taxon(self) -> Taxon:
        return Taxon(self.label, self.taxid, self.common)


class _Tables(_Row):
    parts: tuple[_PartRow, ...] = Field(min_length=1)
    nerves: tuple[_NerveRow, ...] = Field(min_length=1)
    taxa: tuple[_TaxonRow, ...] = Field(min_length=1)
    unstated: _TaxonRow

    @model_validator(mode="after")
    def _patterns_compile(self) -> _Tables:
        for pattern in [row.pattern for row in self.parts] + [row.pattern for row in self.nerves]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} is not a regular expression: {exc}") from None
        return self


@dataclass(frozen=True)
class ImporterTables:
    """The importer's look-up tables, read from :data:`TABLES_PATH`."""

    part_patterns: tuple[tuple[str, str | None], ...]
    nerve_patterns: tuple[tuple[str, str], ...]
    taxa: tuple[Taxon, ...]
    unstated: Taxon


def read_tables(path: Path = TABLES_PATH) -> ImporterTables:
    """Read the importer's tables with painmap's safe YAML reader; SckanError names file:line:col."""
    try:
        parsed = read_yaml(path)
    except YamlUnreadable as exc:
        raise SckanError(f"the SCKAN importer's tables: {exc}", unreadable=True) from None
    except YamlError as exc:
        raise SckanError(f"the SCKAN importer's tables: {exc}") from None
    try:
        tables = _Tables.model_validate(parsed.data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = tuple(p for p in first["loc"] if isinstance(p, int) or not str(p).startswith(("function-", "[")))
        line, column = parsed.locate(where)
        raise SckanError(f"{path}:{line}:{column}: {format_field(where)}: {first['msg']}") from None
    return ImporterTables(
        part_patterns=tuple((row.pattern, row.part) for row in tables.parts),
        nerve_patterns=tuple((row.pattern, row.nerve) for row in tables.nerves),
        taxa=tuple(row.taxon() for row in tables.taxa),
        unstated=tables.unstated.taxon(),
    )


TABLES = read_tables()
#: Organ text (one alternative of "terminal in A or B or C") -> bundled organ part id.
#: ``None`` marks text that is recognised on purpose but left unmapped (it fits no one part).
PART_PATTERNS = TABLES.part_patterns
#: SCKAN nerve, plexus or ganglion name -> bundled nerve id (whole name, lower case).
NERVE_PATTERNS = TABLES.nerve_patterns
TAXA = TABLES.taxa
HUMAN_TAXON = TAXA[0]
#: Records with no species, imported only under --species all: Mammalia, the class every SCKAN model is of.
UNSTATED_TAXON = TABLES.unstated


def _taxon_named(name: str) -> Taxon | None:
    wanted = name.strip().lower()
    return next((t for t in TAXA if wanted in (t.label.lower(), t.common)), None)


def species_filter(species: str) -> str | None:
    """The SCKAN species label ``species`` selects (``None`` for 'all'); SckanError if unknown."""
    if species.strip().lower() == ALL_SPECIES:
        return None
    taxon = _taxon_named(species)
    if taxon is None:
        known = ", ".join(f"{t.label!r} ({t.common})" for t in TAXA)
        raise SckanError(f"unknown species {species!r}: use 'all' or one of {known}")
    return taxon.label


# --------------------------------------------------------------------------- reading


def read_records(path: Path) -> list[dict[str, str]]:
    """The records of a SPARQL JSON result as {column: value}; SckanError names what is wrong."""
    try:
        if path.is_dir():
            raise SckanError(f"{path}: is a folder, not a SPARQL JSON file", unreadable=True)
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise SckanError(f"{path}: file is {size} bytes; the limit is {MAX_INPUT_BYTES}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SckanError(f"{path}: no such file", unreadable=True) from None
    except OSError as exc:
        raise SckanError(f"{path}: cannot read: {exc.strerror or exc}", unreadable=True) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SckanError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise SckanError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    return records_from_json(data, str(path))


def records_from_json(data: object, name: str) -> list[dict[str, str]]:
    """Check the SPARQL JSON structure of ``data`` (read from ``name``) and flatten its records."""
    if not isinstance(data, dict):
        raise SckanError(
            f"{name}: the top level is a {type(data).__name__}; a SPARQL JSON result is an object "
            "with 'head' and 'results'"
        )
    results = data.get("results")
    if not isinstance(results, dict) or "bindings" not in results:
        raise SckanError(f"{name}: no results.bindings: not a SPARQL JSON result (SELECT query output)")
    bindings = results["bindings"]
    if not isinstance(bindings, list):
        raise SckanError(f"{name}: results.bindings is a {type(bindings).__name__}, not a list of records")
    records = []
    for number, binding in enumerate(bindings, start=1):
        if not isinstance(binding, dict):
            raise SckanError(f"{name}: record {number} is a {type(binding).__name__}, not an object")
        record: dict[str, str] = {}
        for column, cell in binding.items():
            if not isinstance(cell, dict) or not isinstance(cell.get("value"), str):
                raise SckanError(
                    f"{name}: record {number}: {column!r} is not a SPARQL value like "
                    '{"type": "literal", "value": "..."}'
                )
            record[str(column)] = cell["value"].strip()
        for column in ("Neuron_IRI", "Neuron_Pref_Label"):
            if not record.get(column):
                raise SckanError(f"{name}: record {number} lacks {column}")
        records.append(record)
    return records


# --------------------------------------------------------------------------- names -> ids

_DRG_HEAD = re.compile(
    r"^(?:(?:left|right)\s+)?(?P<segments>[A-Za-z]{1,2}\d{1,2}(?:\s*-\s*[A-Za-z]{1,2}\d{1,2})?)\s+"
    r"(?:dorsal root gangli(?:on|a)|DRG)\b",
    re.IGNORECASE,
)
_SENSORY_TERMINAL = re.compile(r"\bwith axon sensory terminal in\s+", re.IGNORECASE)
_CENTRAL_TERMINAL = re.compile(r"\s+with axon terminal in\s+", re.IGNORECASE)
_VIA = re.compile(r"\s+via\s+", re.IGNORECASE)
_OR = re.compile(r"\s+or\s+", re.IGNORECASE)
_SIDE = re.compile(r"^(left|right)\s+", re.IGNORECASE)
_LAMINA_LIST = re.compile(r"\(laminae?\s+([^)]*)\)", re.IGNORECASE)
_ROMAN = re.compile(r"^(i{1,3}|iv|v|vi{0,3}|ix|x)$", re.IGNORECASE)
_DOI = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$", re.IGNORECASE)
_PMID = re.compile(r"^https?://www\.ncbi\.nlm\.nih\.gov/pubmed/(\d{1,9})$", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$")


def _clean(name: str) -> str:
    name = _SIDE.sub("", name.strip().lower())
    return re.sub(r"^the\s+", "", name)


def part_for(organ_text: str) -> str | None:
    """The bundled organ part id for one SCKAN organ alternative, or None."""
    cleaned = _clean(organ_text)
    for pattern, part in PART_PATTERNS:
        if re.search(pattern, cleaned):
            return part
    return None


def nerve_for(name: str) -> str | None:
    """The bundled nerve id for one SCKAN nerve name, or None."""
    cleaned = _clean(name)
    return next((nerve for pattern, nerve in NERVE_PATTERNS if re.fullmatch(pattern, cleaned)), None)


def expand_alternatives(step: str) -> list[str]:
    """'lesser OR least splanchnic nerve' -> ['lesser splanchnic nerve', 'least splanchnic nerve']."""
    items = [item.strip() for item in _OR.split(step) if item.strip()]
    tail = items[-1].split(" ", 1)[1] if " " in items[-1] else ""
    return [f"{item} {tail}" if " " not in item and tail else item for item in items]


def laminae_named(central: str) -> list[str]:
    """Lamina ids named in SCKAN's '(lamina I, V, VII, substantia gelatinosa)'."""
    found: list[str] = []
    match = _LAMINA_LIST.search(central)
    if match:
        for token in (t.strip().lower() for t in match.group(1).split(",")):
            if token == "substantia gelatinosa":
                found.append("ii")
            elif _ROMAN.match(token):
                found.append(token)
    return list(dict.fromkeys(found))


def record_key(iri: str) -> str:
    """A short, id-safe name for a record: '.../sparc-nlp/femrep/101' -> 'femrep-101'."""
    parts = [p for p in iri.rstrip("/").split("/") if p]
    last = parts[-1] if parts else iri
    if last.startswith("neuron-type-"):
        key = last.removeprefix("neuron-type-")
    elif len(parts) >= 2 and re.fullmatch(r"[0-9][0-9a-z-]*", last, re.IGNORECASE):
        key = f"{parts[-2]}-{last}"
    else:
        key = last
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    return slug or "record"


# --------------------------------------------------------------------------- zones


def infer_zones(ds: Dataset, part: str, segments: tuple[str, ...]) -> tuple[list[str], str]:
    """Zones for a route SCKAN gives no zones for, and how they were chosen.

    Candidates are the dataset's zones whose dermatomes overlap ``segments`` (diffuse
    "whole body" zones excluded). The narrowest choice that leaves any zone wins: those the
    dataset's own segmental routes of the same part use, else those whose dermatomes lie
    inside ``segments``, else every overlapping one.
    """
    wanted = set(segments)
    overlapping = [
        z for z in ds.zones if wanted.intersection(z.dermatomes) and len(z.dermatomes) <= MAX_INFERRED_ZONE_SEGMENTS
    ]
    used = {z for r in ds.routes if r.part == part and r.kind == "segmental" for z in r.zones}
    span = format_segment_range(segments)
    choices = (
        (
            [z.id for z in overlapping if z.id in used],
            f"the bundled zones whose dermatomes overlap {span} and that this part's routes use",
        ),
        (
            [z.id for z in overlapping if wanted.issuperset(z.dermatomes)],
            f"the bundled zones whose dermatomes lie within {span}",
        ),
        ([z.id for z in overlapping], f"every bundled zone whose dermatomes overlap {span}"),
    )
    return next(((zones, how) for zones, how in choices if zones), ([], "no zone"))


# --------------------------------------------------------------------------- the import


@dataclass(frozen=True)
class Skipped:
    """A record that was not imported, and why."""

    record: str
    species: str
    reason: str

    def line(self) -> str:
        return f"{self.record} ({self.species or 'species unknown'}): {self.reason}"


@dataclass(frozen=True)
class ImportResult:
    """Routes and sources made from one SCKAN file, the YAML to write, and what was left out."""

    file_name: str
    species: str
    records: int
    routes: tuple[Route, ...]
    sources: tuple[Source, ...]
    skipped: tuple[Skipped, ...]
    partial: tuple[str, ...]
    yaml_text: str = field(repr=False)

    def summary(self) -> str:
        """One line: how many routes from how many records, of which species."""
        by_species = Counter(r.species.label for r in self.routes)
        species = ", ".join(f"{n} {label}" for label, n in by_species.items()) or "none"
        return (
            f"imported {len(self.routes)} routes ({species}) from {self.records} SCKAN records in "
            f"{self.file_name} (species: {self.species}); {len(self.skipped)} records not imported"
        )

    def report_lines(self) -> list[str]:
        """One line per record not imported (and per record only partly mapped), with the reason."""
        lines = [f"not imported: {s.line()}" for s in self.skipped]
        return lines + [f"partly mapped: {p}" for p in self.partial]


@dataclass
class _Importer:
    """Turns records into routes against one base dataset (the bundled one)."""

    base: Dataset
    wanted: str | None
    routes: list[Route] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    seen_iris: set[str] = field(default_factory=set)
    seen_keys: set[str] = field(default_factory=set)

    def skip(self, key: str, species: str, reason: str) -> None:
        self.skipped.append(Skipped(key, species, reason))

    def add(self, record: dict[str, str]) -> None:
        iri = record["Neuron_IRI"]
        key = record_key(iri)
        species = record.get("Species", "")
        if iri in self.seen_iris:
            self.skip(key, species, "the same neuron IRI appears earlier in the file")
            return
        self.seen_iris.add(iri)
        base_key, n = key, 1
        while key in self.seen_keys:  # two IRIs with the same short name: keep ids unique
            n += 1
            key = f"{base_key}-{n}"
        self.seen_keys.add(key)
        taxon = self._taxon(key, species)
        if taxon is None:
            return
        phenotypes = record.get("Phenotypes", "")
        if "sensory" not in phenotypes.lower():
            kind = phenotypes or "no phenotype"
            self.skip(key, species, f"not an afferent population ({kind}): painmap maps pain (sensory) routes only")
            return
        if not _URL.match(record["Neuron_IRI"]):
            self.skip(key, species, f"its IRI {record['Neuron_IRI']!r} is not an http(s) address to cite")
            return
        label = record["Neuron_Pref_Label"]
        head = _DRG_HEAD.match(label)
        if head is None:
            vagal = re.search(r"nodose|vag(us|al)", label, re.IGNORECASE)
            reason = (
                "sensory, but through the nodose ganglion and the vagus nerve: no spinal segment to map"
                if vagal
                else "sensory, but not in the form "
                "'<segments> dorsal root ganglia with axon sensory terminal in <organ> via <nerve>'"
            )
            self.skip(key, species, reason)
            return
        segment_text = re.sub(r"\s+", "", head.group("segments"))
        segments = self._segments(key, species, taxon, segment_text)
        if segments is None:
            return
        terminal = _SENSORY_TERMINAL.search(label)
        if terminal is None:
            self.skip(key, species, "names no organ ('with axon sensory terminal in ...')")
            return
        pieces = _CENTRAL_TERMINAL.split(label[terminal.end() :], maxsplit=1)
        central = pieces[1] if len(pieces) > 1 else ""
        try:
            self._build(record, key, taxon, segments, pieces[0], central)
        except ValidationError as exc:  # text the schema refuses (an over-long or odd value): report, never crash
            problem = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in problem["loc"])
            self.skip(key, species, f"cannot be written in painmap's schema ({where}: {problem['msg']})")

    def _taxon(self, key: str, species: str) -> Taxon | None:
        if self.wanted is not None:
            if not species:
                self.skip(key, species, "species unknown: SCKAN gives none (--species all imports it anyway)")
                return None
            if species.lower() != self.wanted.lower():
                self.skip(key, species, f"species {species}: not imported (use --species all or --species {species!r})")
                return None
        if not species:
            return UNSTATED_TAXON
        taxon = _taxon_named(species)
        if taxon is None:
            self.skip(key, species, f"species {species!r} has no NCBITaxon id in the importer's table")
        return taxon

    def _segments(self, key: str, species: str, taxon: Taxon, segment_text: str) -> tuple[str, ...] | None:
        try:
            segments = parse_segment_range(segment_text)
        except ValueError as exc:
            if taxon is HUMAN_TAXON:
                self.skip(key, species, f"segments {segment_text}: {exc}")
            else:
                numbering = (
                    f"{taxon.common} segment numbers are" if species else "segment numbers of an unstated species are"
                )
                self.skip(key, species, f"segments {segment_text}: {exc}; {numbering} never used as human segments")
            return None
        unknown = [s for s in segments if s not in self.base.segment]
        if unknown:
            known = format_segment_range(tuple(self.base.segment))
            self.skip(key, species, f"segment {unknown[0]} is not in the dataset's spinal cord (knows {known})")
            return None
        return segments

    def _build(
        self,
        record: dict[str, str],
        key: str,
        taxon: Taxon,
        segments: tuple[str, ...],
        peripheral: str,
        central: str,
    ) -> None:
        species = record.get("Species", "")
        organ_text, *steps = _VIA.split(peripheral.strip())
        alternatives = [a for a in _OR.split(organ_text) if a.strip()]
        nerves: list[str] = []
        unmapped_steps: list[str] = []
        for step in reversed(steps):  # SCKAN lists the path from the ganglion outwards; a chain runs organ first
            for name in expand_alternatives(step):
                nerve = nerve_for(name)
                if nerve is not None and nerve in self.base.nerve:
                    nerves.append(nerve)
                else:
                    unmapped_steps.append(name)
        nerves = list(dict.fromkeys(nerves))
        path_text = ", ".join(" ".join(step.split()) for step in reversed(steps))
        path_text = re.sub(r"\bOR\b", "or", path_text)
        parts: list[str] = []
        unmapped_targets: list[str] = []
        for alternative in alternatives:
            part = part_for(alternative)
            if part is not None and part in self.base.part:
                parts.append(part)
            else:
                unmapped_targets.append(alternative.strip())
        parts = list(dict.fromkeys(parts))
        if not parts:
            reason = f"no organ part in the dataset for {' '.join(organ_text.split())!r}"
            if nerves and all(self.base.nerve[n].fibres == ("somatic",) for n in nerves):
                reason += (
                    f" (the territory of the somatic {path_text}: skin and body-wall input belongs in somatic_inputs)"
                )
            self.skip(key, species, reason)
            return
        if not nerves:
            names = ", ".join(steps) or "none given"
            self.skip(key, species, f"none of its nerves ({names}) is in the dataset")
            return
        named_in_sckan = set(laminae_named(central))
        named = [lam.id for lam in self.base.laminae if lam.id in named_in_sckan]
        laminae = named or [lam for lam in DEFAULT_LAMINAE if lam in self.base.lamina]
        source = self._source(record, key, taxon, segments, organ_text)
        range_text = format_segment_range(segments)
        new_routes: list[Route] = []  # kept aside until all are built: a schema error leaves nothing half-added
        for part in parts:
            zones, how = infer_zones(self.base, part, segments)
            if not zones:
                self.skip(key, species, f"no bundled zone has dermatomes in {range_text} for {part}")
                continue
            sex = f", {record['Sex']}" if record.get("Sex") else ""
            name = record.get("Neuron_Label") or key
            notes = [f"Imported from SCKAN release {SCKAN_RELEASE} ({name}; {taxon.label}{sex})."]
            if taxon is not HUMAN_TAXON:
                common = taxon.common
                notes.append(f"{common.capitalize()} data: {range_text} are {common} segment numbers, not human ones.")
            notes.append(f"Zones inferred from dermatomes (SCKAN gives none): {how}.")
            lamina_list = _LAMINA_LIST.search(central)
            if not named:
                notes.append("Laminae I and V assumed: SCKAN names no lamina for this population.")
            elif lamina_list:
                notes.append(f"SCKAN names lamina {lamina_list.group(1)}.")
            if unmapped_steps:
                notes.append(f"SCKAN path steps with no painmap nerve: {', '.join(unmapped_steps)}.")
            if unmapped_targets:
                notes.append(f"SCKAN also names: {'; '.join(unmapped_targets)}.")
            if record.get("Alert"):
                notes.append(f"SCKAN alert: {' '.join(record['Alert'].split())}")
            part_label = text(self.base.part[part].label)
            route_id = ID_PREFIX + key if len(parts) == 1 else f"{ID_PREFIX}{key}-{part}"
            new_routes.append(
                Route(
                    id=route_id[:80].rstrip("-"),
                    organ=self.base.organ_of_part[part].id,
                    part=part,
                    kind="segmental",
                    label={"en": f"{part_label} via the {path_text} ({range_text}; SCKAN {key}, {taxon.common})"},
                    chain=(*nerves, "dorsal-root-ganglion", "dorsal-root"),
                    segments=segments,
                    laminae=tuple(laminae),
                    zones=tuple(zones),
                    species=taxon.species,
                    sources=(source.id,),
                    evidence="moderate" if taxon is HUMAN_TAXON else "weak",
                    note={"en": " ".join(notes)},
                )
            )
        if new_routes:
            self.routes.extend(new_routes)
            self.sources.append(source)
        if unmapped_steps or unmapped_targets:
            left_out = [*unmapped_targets, *unmapped_steps]
            self.partial.append(f"{key} ({species or 'species unknown'}): imported; not mapped: {', '.join(left_out)}")

    def _source(
        self, record: dict[str, str], key: str, taxon: Taxon, segments: tuple[str, ...], organ_text: str
    ) -> Source:
        citations = [c.strip() for c in record.get("Citations", "").split(",") if c.strip()]
        doi = next((m.group(1) for c in citations if (m := _DOI.match(c))), None)
        pmid = next((m.group(1) for c in citations if (m := _PMID.match(c))), None)
        note = [f"{LICENCE_NOTE}."]
        if _URL.match(record.get("Composer_URI", "")):
            note.append(f"Composer: {record['Composer_URI']}.")
        if citations:
            note.append(f"Citations: {', '.join(citations)}.")
        organ = re.sub(r"\bOR\b", "or", " ".join(organ_text.split()))
        organ = organ if len(organ) <= 90 else organ[:87].rstrip() + "..."
        name = record.get("Neuron_Label") or key
        return Source(
            id=f"{ID_PREFIX}source-{key}"[:80].rstrip("-"),
            title=(
                f"SCKAN {name}: {format_segment_range(segments)} DRG with sensory terminals in {organ} ({taxon.label})"
            ),
            authors="SCKAN (NIH SPARC)",
            year=int(SCKAN_RELEASE[:4]),
            published_in=LICENCE_NOTE,
            kind="database",
            url=record["Neuron_IRI"],
            doi=doi,
            pmid=pmid,
            evidence="moderate" if taxon is HUMAN_TAXON else "weak",
            note=" ".join(note),
        )


def _route_yaml(route: Route) -> dict:
    data = route.model_dump(mode="json", exclude_none=True)
    return {k: v for k, v in data.items() if v not in ([], {}) or k == "species"}


def dataset_yaml(
    routes: Iterable[Route], sources: Iterable[Source], header: list[str], schema_ref: str | None
) -> str:
    """The YAML text of an extending dataset file with ``sources`` and ``routes``."""
    body: dict = {"extends": "bundled"}
    sources, routes = list(sources), list(routes)
    if sources:
        body["sources"] = [s.model_dump(mode="json", exclude_none=True) for s in sources]
    if routes:
        body["routes"] = [_route_yaml(r) for r in routes]
    if schema_ref:
        lines = [f"# yaml-language-server: $schema={schema_ref}"]
    else:
        lines = [
            "# yaml-language-server: $schema=schema.json",
            "# (write schema.json next to this file: painmap schema -o schema.json)",
        ]
    lines += [f"# {line}" for line in header]
    dumped = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    return "\n".join(lines) + "\n" + dumped


def import_records(
    records: list[dict[str, str]],
    species: str = HUMAN_TAXON.label,
    base: Dataset | None = None,
    file_name: str = "SCKAN records",
    schema_ref: str | None = None,
) -> ImportResult:
    """Import already-read SCKAN records against ``base`` (default: the bundled dataset)."""
    wanted = species_filter(species)
    importer = _Importer(base if base is not None else load(None), wanted)
    for record in records:
        importer.add(record)
    species_text = "all" if wanted is None else wanted
    header = [
        f"Generated by `painmap import-sckan` from {file_name} (species: {species_text}).",
        f"Source: SCKAN release {SCKAN_RELEASE}, NIH SPARC programme, CC BY 4.0.",
        f"{len(importer.routes)} routes from {len(records)} records; {len(importer.skipped)} records not imported.",
        "Zones are inferred from dermatomes (SCKAN has none); each route's note says how.",
    ]
    return ImportResult(
        file_name=file_name,
        species=species_text,
        records=len(records),
        routes=tuple(importer.routes),
        sources=tuple(importer.sources),
        skipped=tuple(importer.skipped),
        partial=tuple(importer.partial),
        yaml_text=dataset_yaml(importer.routes, importer.sources, header, schema_ref),
    )


def default_schema_ref() -> str | None:
    """Where the installed painmap keeps schema.json (an absolute path), if it does."""
    try:
        schema = bundled_data_dir() / "schema.json"
    except DatasetReadError:  # a missing bundled dataset is reported by load(), not here
        return None
    return schema.as_posix() if schema.is_file() else None


def import_file(path: Path, species: str = HUMAN_TAXON.label, schema_ref: str | None = None) -> ImportResult:
    """Read a SCKAN SPARQL JSON file and import its afferent routes (see the module docstring).

    ``species``: 'Homo sapiens' (default), another species label or common name, or 'all'.
    ``schema_ref``: the $schema path written in the YAML header (default: the installed schema.json).
    Raises SckanError when the file cannot be read or is not a SPARQL JSON result.
    """
    path = Path(path)
    species_filter(species)  # an unknown species is refused before the file is read
    records = read_records(path)
    return import_records(
        records,
        species=species,
        file_name=path.name,
        schema_ref=schema_ref if schema_ref is not None else default_schema_ref(),
    )
