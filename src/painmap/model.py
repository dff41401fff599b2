"""Validated, immutable models of the painmap pathway dataset.

Nothing here imports Dash or Plotly: the model knows no screen. A dataset is read from
one or more YAML files (see ``loader``); each file is a :class:`DatasetFile` whose sections
are all optional, and the files together make one :class:`Dataset`.
"""

from __future__ import annotations

import colorsys
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Literal, TypeVar

import webcolors  # type: ignore[import-untyped]  # webcolors ships no py.typed marker

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    WithJsonSchema,
    WrapSerializer,
    model_validator,
)

# --------------------------------------------------------------------------- segments

SEGMENT_REGIONS: tuple[tuple[str, int], ...] = (("C", 8), ("T", 12), ("L", 5), ("S", 5), ("Co", 1))
#: Every spinal segment name, rostral to caudal.
ALL_SEGMENTS: tuple[str, ...] = tuple(
    f"{region}{n}" for region, count in SEGMENT_REGIONS for n in range(1, count + 1)
)
SEGMENT_ORDER: dict[str, int] = {name: i for i, name in enumerate(ALL_SEGMENTS)}
_SEGMENT_NAMES_HELP = "C1-C8, T1-T12, L1-L5, S1-S5 or Co1"
SEGMENT_RANGE_PATTERN = r"^(C[1-8]|T([1-9]|1[0-2])|L[1-5]|S[1-5]|Co1)(-(C[1-8]|T([1-9]|1[0-2])|L[1-5]|S[1-5]|Co1))?$"


def parse_segment(text: str) -> str:
    """Return the canonical segment name for ``text`` ('t10' -> 'T10'), or raise ValueError."""
    cleaned = text.strip()
    canonical = cleaned[:2].capitalize() + cleaned[2:] if cleaned[:2].lower() == "co" else cleaned.upper()
    if canonical not in SEGMENT_ORDER:
        raise ValueError(f"unknown spinal segment {text!r} (expected {_SEGMENT_NAMES_HELP})")
    return canonical


def parse_segment_range(text: str) -> tuple[str, ...]:
    """Parse 'T10-L2' or 'S3' into the ordered tuple of segments it covers.

    Raises ValueError for unknown segments ('T99') and backward ranges ('L2-T10').
    """
    if not isinstance(text, str):
        raise ValueError(f"a segment range is text like 'T10-L2', not {type(text).__name__}")
    parts = text.split("-")
    if len(parts) > 2 or not all(p.strip() for p in parts):
        raise ValueError(f"{text!r} is not a segment range like 'T10-L2' or 'S3'")
    first = parse_segment(parts[0])
    last = parse_segment(parts[-1])
    start, stop = SEGMENT_ORDER[first], SEGMENT_ORDER[last]
    if stop < start:
        raise ValueError(f"segment range {text!r} runs backwards: write it rostral to caudal, {last}-{first}")
    return ALL_SEGMENTS[start : stop + 1]


def format_segment_range(segments: tuple[str, ...]) -> str:
    """The inverse of :func:`parse_segment_range`."""
    if not segments:
        return ""
    return segments[0] if len(segments) == 1 else f"{segments[0]}-{segments[-1]}"


def _validate_range(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return parse_segment_range(value)  # type: ignore[arg-type]


SegmentRange = Annotated[
    tuple[str, ...],
    BeforeValidator(_validate_range),
    PlainSerializer(format_segment_range, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": SEGMENT_RANGE_PATTERN,
            "description": "Spinal segments, rostral first: 'S2-S4', 'T10-L1' or one segment 'L1'.",
            "examples": ["T10-L1", "S2-S4", "L1"],
        }
    ),
]

# --------------------------------------------------------------------------- scalars

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        max_length=80,
        description="Lower-case id: letters, digits and hyphens, e.g. 'bladder-neck'.",
    ),
]
OntologyId = Annotated[
    str,
    Field(
        pattern=r"^(UBERON|FMA|ILX|NCBITaxon|PATO):[0-9]{4,8}$",
        description="Ontology term, e.g. 'UBERON:0001255', 'FMA:15900' or 'ILX:0795054'.",
    ),
]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_NUMBER = r"[-+]?(?:\d+(?:\.\d+)?|\.\d+)%?"
_FUNC = re.compile(
    rf"^(rgba?|hsla?)\(\s*({_NUMBER})\s*,\s*({_NUMBER})\s*,\s*({_NUMBER})\s*(?:,\s*({_NUMBER})\s*)?\)$",
    re.IGNORECASE,
)
#: Every CSS colour name plotly.js knows: CSS3's 147 (webcolors), CSS4's one addition, and transparent.
NAMED_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        **{name: webcolors.name_to_hex(name) for name in webcolors.names(webcolors.CSS3)},
        "rebeccapurple": "#663399",
        "transparent": "rgba(0, 0, 0, 0)",
    }
)


def _channel(text: str, scale: float) -> float:
    """'50%' -> 0.5 * scale; '128' -> 128."""
    return float(text[:-1]) / 100 * scale if text.endswith("%") else float(text)


def _alpha_text(alpha: float) -> str:
    return f"{alpha:.3f}".rstrip("0").rstrip(".") if 0 < alpha < 1 else str(int(alpha))


def _from_rgb(rgb: tuple[float, float, float], alpha: float | None) -> str:
    """'#rrggbb', or 'rgba(r, g, b, a)' when an alpha was written."""
    r, g, b = (int(c + 0.5) for c in rgb)  # half up, as CSS rounds (round() would go to even)
    if alpha is None:
        return webcolors.rgb_to_hex((r, g, b))
    return f"rgba({r}, {g}, {b}, {_alpha_text(alpha)})"


def normalise_colour(value: str) -> str:
    """Any CSS colour plotly.js accepts, written one way: '#rrggbb', or 'rgba(r, g, b, a)' with an alpha.

    Accepts '#rgb', '#rgba', '#rrggbb', '#rrggbbaa', 'rgb(...)', 'rgba(...)', 'hsl(...)',
    'hsla(...)' and every CSS colour name ('teal' -> '#008080'). Raises ValueError with a
    hint for anything else. The figures can then make any colour lighter, darker or
    translucent: a name they could not read would be drawn opaque.
    """
    text = value.strip().lower()
    if text in NAMED_COLOURS:
        return NAMED_COLOURS[text]
    if _HEX.match(text):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        channels = (float(int(digits[0:2], 16)), float(int(digits[2:4], 16)), float(int(digits[4:6], 16)))
        return _from_rgb(channels, int(digits[6:8], 16) / 255 if len(digits) == 8 else None)
    match = _FUNC.match(text)
    if match:
        kind, first, second, third, fourth = match.groups()
        alpha = None if fourth is None else _channel(fourth, 1)
        if alpha is not None and not 0 <= alpha <= 1:
            raise ValueError(f"{value!r}: the alpha {fourth} is outside 0-1")
        rgb: tuple[float, float, float]
        if kind.startswith("rgb"):
            rgb = (_channel(first, 255), _channel(second, 255), _channel(third, 255))
            if not all(0 <= c <= 255 for c in rgb):
                raise ValueError(f"{value!r}: red, green and blue run from 0 to 255 (or 0% to 100%)")
        else:
            hue = float(first.rstrip("%")) % 360 / 360
            saturation, lightness = _channel(second, 1), _channel(third, 1)
            if not (0 <= saturation <= 1 and 0 <= lightness <= 1):
                raise ValueError(f"{value!r}: saturation and lightness run from 0% to 100%")
            red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
            rgb = (red * 255, green * 255, blue * 255)
        return _from_rgb(rgb, alpha)
    close = difflib.get_close_matches(text.replace(" ", ""), list(NAMED_COLOURS), n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(
        f"{value!r} is not a colour plotly.js accepts: use '#2a62f6', 'rgba(42, 98, 246, 0.5)' or a CSS name{hint}"
    )


def validate_colour(value: str) -> str:
    """The colour written one way (see :func:`normalise_colour`); ValueError when it is not a colour."""
    return normalise_colour(value)


Colour = Annotated[
    str,
    AfterValidator(normalise_colour),
    Field(description="CSS colour: '#2a62f6', 'rgba(42,98,246,0.5)', 'hsl(...)' or a name like 'teal'."),
]


def _require_english(value: Mapping[str, str]) -> Mapping[str, str]:
    if "en" not in value:
        raise ValueError("English ('en') text is required; other languages are optional")
    for lang, text in value.items():
        if not text.strip():
            raise ValueError(f"text for language {lang!r} is empty")
    return value


K = TypeVar("K")
V = TypeVar("V")


def _read_only(value: Mapping[K, V]) -> Mapping[K, V]:
    return value if isinstance(value, MappingProxyType) else MappingProxyType(dict(value))


def _as_dict(value: Mapping[K, V], serialize: SerializerFunctionWrapHandler) -> object:
    return serialize(dict(value))


#: A mapping nobody can change after validation (a ``types.MappingProxyType``); serialised as a dict.
ReadOnlyMapping = Annotated[Mapping[K, V], AfterValidator(_read_only), WrapSerializer(_as_dict)]


Text = Annotated[
    Mapping[LanguageCode, str],
    AfterValidator(_require_english),
    AfterValidator(_read_only),
    WrapSerializer(_as_dict),
    Field(description="Text per language: {en: 'Bladder', de: 'Harnblase'}; 'en' is required."),
    WithJsonSchema(
        {
            "type": "object",
            "required": ["en"],
            "propertyNames": {"pattern": "^[a-z]{2}(-[A-Z]{2})?$"},
            "additionalProperties": {"type": "string", "minLength": 1},
            "description": "Text per language: {en: 'Bladder', de: 'Harnblase'}; 'en' is required.",
        }
    ),
]

#: Panel units: 0..100, with a margin for shapes that bleed past the edge.
Coordinate = Annotated[float, Field(ge=-20, le=120, allow_inf_nan=False)]
Point = tuple[Coordinate, Coordinate]


class Frozen(BaseModel):
    """Base of every dataset model: immutable, unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# --------------------------------------------------------------------------- geometry

View = Literal["front", "back", "side", "abdomen", "cord", "horn"]


def parse_points(value: object) -> object:
    """'50,12 52,13.5 ...' (as in SVG) -> [(50, 12), (52, 13.5), ...]; lists pass through."""
    if not isinstance(value, str):
        return value
    points = []
    for number, pair in enumerate(value.split(), start=1):
        xy = pair.split(",")
        try:
            if len(xy) != 2:
                raise ValueError
            points.append((float(xy[0]), float(xy[1])))
        except ValueError:
            raise ValueError(f"point {number} {pair!r} is not written 'x,y' (two numbers and a comma)") from None
    return points


Points = Annotated[
    tuple[Point, ...],
    BeforeValidator(parse_points),
    Field(min_length=2),
    WithJsonSchema(
        {
            "description": "Points 'x,y x,y ...' (as in SVG), or a list [[x, y], ...], in panel units 0-100.",
            "anyOf": [
                {"type": "string", "pattern": r"^\s*-?[0-9.]+,-?[0-9.]+(\s+-?[0-9.]+,-?[0-9.]+)+\s*$"},
                {"type": "array", "minItems": 2, "items": {"type": "array", "minItems": 2, "maxItems": 2}},
            ],
        }
    ),
]


class Outline(Frozen):
    """A closed outline or an open path in one panel's coordinates (0-100 each way)."""

    view: View = Field(description="Panel the points are drawn in.")
    points: Points
    closed: bool = Field(default=True, description="Closed shape (organ, zone) or open path (nerve).")


# --------------------------------------------------------------------------- sources


Evidence = Literal["strong", "moderate", "weak"]
#: What kind of work a source is. 'lay' is patient information: it may motivate a story,
#: never be the only support of a strong route.
SourceKind = Literal["article", "review", "guideline", "textbook", "database", "web", "lay"]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="A date, YYYY-MM-DD.")]


class Source(Frozen):
    """A citation a reader can find: authors (or the issuing body), year, title, where it was
    published, and a locator (doi, pmid, isbn, or a url with the date it was accessed)."""

    id: Id
    title: str = Field(min_length=3)
    authors: str | None = Field(default=None, description="Authors, or the issuing body (NICE, RCEM, ...).")
    year: int | None = Field(default=None, ge=1800, le=2100)
    published_in: str | None = Field(
        default=None, description="Journal (with volume and pages) or publisher; for a web page, the site."
    )
    kind: SourceKind = "article"
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    pmid: str | None = Field(default=None, pattern=r"^\d{1,9}$")
    isbn: str | None = Field(default=None, pattern=r"^[0-9Xx-]{10,17}$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    accessed: IsoDate | None = Field(default=None, description="When the url was last read (web pages).")
    verified: bool = Field(
        default=True, description="false: the citation could not be confirmed as written; `validate --strict` fails on it."
    )
    evidence: Evidence = Field(default="moderate", description="How much weight the project gives this source.")
    note: str | None = None


class Species(Frozen):
    label: str = Field(default="Homo sapiens", description="Species the finding comes from.")
    ontology: OntologyId = "NCBITaxon:9606"
    common: str | None = Field(
        default=None, description="Its common name for captions ('rat' for Rattus norvegicus); default: the label."
    )


HUMAN = Species()


class Anatomical(Frozen):
    """Something in the body: it has a label and an ontology id."""

    id: Id
    label: Text
    ontology: OntologyId
    ontology_match: Literal["exact", "broader"] = Field(
        "exact", description="'broader' when the id names a containing structure, not this one."
    )
    description: Text | None = None


#: Which anatomy an organ, part or zone belongs to; None: both.
Sex = Literal["female", "male"]


class OrganPart(Anatomical):
    pain_line: Literal["above", "below", "across"] | None = Field(
        None, description="Position relative to the pelvic pain line (lower limit of the peritoneum)."
    )
    sex: Sex | None = Field(default=None, description="Only in this anatomy (default: its organ's, or both).")


class Organ(Anatomical):
    sex: Sex | None = Field(default=None, description="Only in this anatomy (e.g. the uterus: female); default both.")
    colour: Colour = "#c76a6a"
    system: str | None = Field(default=None, description="Body system, e.g. 'urinary', 'reproductive'.")
    paired: bool = Field(
        default=False,
        description="A left and a right organ (kidneys, ovaries): a view may show one side's pain "
        "(side=left|right); its outlines draw both.",
    )
    parts: tuple[OrganPart, ...] = Field(min_length=1)


FibreType = Literal["sensory", "sympathetic", "parasympathetic", "somatic", "cns", "enteric"]


class NerveStructure(Anatomical):
    """A nerve, plexus, ganglion, root or tract that an afferent signal runs through."""

    kind: Literal["nerve", "plexus", "ganglion", "root", "tract"]
    fibres: tuple[FibreType, ...] = Field(min_length=1, description="Fibre types it carries.")
    precedes: tuple[Id, ...] = Field(
        default_factory=tuple,
        description="Structures an afferent signal reaches after this one: in any chain that has both, "
        "this one comes first (the loader refuses a chain out of anatomical order).",
    )


class Segment(Frozen):
    """A spinal cord segment the dataset knows (its ids, its dorsal root ganglion)."""

    id: str = Field(description="Segment name, e.g. 'T10'.")
    ontology: OntologyId
    ontology_match: Literal["exact", "broader"] = "exact"
    drg_ontology: OntologyId | None = Field(default=None, description="Ontology id of its dorsal root ganglion.")
    landmark: Text | None = Field(default=None, description="Dermatome landmark, e.g. 'umbilicus'.")

    @model_validator(mode="after")
    def _known_name(self) -> Segment:
        parse_segment(self.id)
        if self.id != parse_segment(self.id):
            raise ValueError(f"write the segment as {parse_segment(self.id)!r}")
        return self


class SpinalCord(Frozen):
    drawn: SegmentRange = Field(description="Segments the app draws, e.g. 'T9-S5'.")
    segments: tuple[Segment, ...] = Field(min_length=1, description="Every segment the dataset knows.")


class Lamina(Anatomical):
    """A Rexed lamina of the dorsal horn (id 'i', 'ii', 'v', ...)."""

    depth: float = Field(default=0.5, ge=0, le=1, description="Depth in the dorsal horn, 0 = surface.")


class Zone(Anatomical):
    """A skin zone where pain can be felt: dermatome band or named region."""

    kind: Literal["skin"] = "skin"
    dermatomes: SegmentRange
    views: tuple[Literal["front", "back"], ...] = Field(min_length=1)
    sex: Sex | None = Field(default=None, description="Only in this anatomy (e.g. the tip of the penis: male).")


class DeepStructure(Anatomical):
    """Muscle, joint or ligament of the body wall that sends somatic input (or is strained)."""

    kind: Literal["muscle", "joint", "ligament", "fascia"]
    segments: SegmentRange
    views: tuple[Literal["front", "back"], ...] = Field(default_factory=lambda: ("back",))


class SomaticInput(Frozen):
    """The back's (or body wall's) input into a segment: a nerve from a skin zone or muscle."""

    id: Id
    label: Text
    nerve: Id = Field(description="Id of the somatic nerve in 'nerves'.")
    segments: SegmentRange
    target: Id = Field(description="Id of the zone or deep structure it comes from.")
    laminae: tuple[Id, ...] = Field(default_factory=lambda: ("i", "v"))
    sources: tuple[Id, ...] = Field(min_length=1)


RouteKind = Literal["segmental", "mechanical", "systemic"]
#: Ascending pathways from the dorsal horn to the brain.
#: spinothalamic: laminae I and V, crossing, in the anterolateral column;
#: dorsal-column: the postsynaptic dorsal column pathway from around the central canal
#: (lamina X), which carries pelvic visceral pain.
Ascending = Literal["spinothalamic", "dorsal-column"]


class SomaticPhase(Frozen):
    """A later, somatic stage of a route: the inflamed organ irritates the parietal
    peritoneum (or the body wall) next to it, whose own somatic nerves report it, so the
    pain moves to the skin over the organ and is well localised (not referred)."""

    label: Text
    nerve: Id = Field(description="The somatic nerve that carries it (id in 'nerves').")
    segments: SegmentRange
    zones: tuple[Id, ...] = Field(min_length=1, description="Where the pain is then felt.")
    sources: tuple[Id, ...] = Field(min_length=1)
    note: Text | None = None


class Route(Frozen):
    """How pain from one organ part reaches the cord (or the body) and where it is felt.

    - segmental: viscerosomatic convergence; needs chain, segments, laminae and zones.
    - mechanical: posture and muscle strain; needs segments (the loaded levels) and strains.
    - systemic: circulating cytokines; no segment, felt diffusely.
    """

    id: Id
    organ: Id
    part: Id
    kind: RouteKind
    label: Text | None = None
    chain: tuple[Id, ...] = Field(default_factory=tuple, description="Ordered afferent chain, organ to cord.")
    alternatives: tuple[tuple[Id, ...], ...] = Field(
        default_factory=tuple,
        description="Groups of chain members that are alternatives, not in series (SCKAN: 'lesser OR least "
        "splanchnic'); each group stands together in the chain and the figure draws a fork.",
    )
    segments: SegmentRange | None = None
    laminae: tuple[Id, ...] = Field(default_factory=tuple)
    ascending: tuple[Ascending, ...] = Field(
        default=("spinothalamic",), min_length=1, description="Pathways that carry the signal up to the brain."
    )
    zones: tuple[Id, ...] = Field(default_factory=tuple)
    strains: tuple[Id, ...] = Field(default_factory=tuple, description="Deep structures a mechanical route loads.")
    somatic_phase: SomaticPhase | None = Field(
        default=None, description="A later somatic stage (appendicitis: periumbilical, then right iliac fossa)."
    )
    mechanisms: tuple[Id, ...] = Field(
        default_factory=tuple, description="Mechanisms (ids in 'mechanisms') that explain this route."
    )
    species: Species = HUMAN
    sources: tuple[Id, ...] = Field(min_length=1)
    evidence: Evidence = "moderate"
    steps: ReadOnlyMapping[str, Text] = Field(
        default_factory=dict, description="Optional captions per animation step (overrides defaults)."
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Route:
        missing = []
        if self.kind == "segmental":
            missing = [f for f in ("chain", "segments", "laminae", "zones") if not getattr(self, f)]
        elif self.kind == "mechanical":
            missing = [f for f in ("segments", "strains") if not getattr(self, f)]
        elif self.segments:
            raise ValueError("a systemic route has no segments: cytokines act on the whole body")
        if missing:
            raise ValueError(f"a {self.kind} route needs {', '.join(missing)}")
        return self


class Dispute(Frozen):
    """Sources disagree: two or more routes for the same organ part, each with its sources."""

    id: Id
    question: Text
    routes: tuple[Id, ...] = Field(min_length=2)
    note: Text | None = None


class RedFlag(Frozen):
    """When to get help now: what to look out for, how urgently, and who says so."""

    id: Id
    label: Text
    text: Text
    urgency: Literal["emergency", "today"] = Field(
        default="today", description="'emergency': call an ambulance or go to the emergency department now."
    )
    organs: tuple[Id, ...] = Field(default_factory=tuple, description="Empty: applies to all.")
    sources: tuple[Id, ...] = Field(min_length=1)


class Mechanism(Frozen):
    id: Id
    label: Text
    text: Text
    sources: tuple[Id, ...] = Field(min_length=1)


class FibreStyle(Frozen):
    label: Text
    colour: Colour
    dash: Literal["solid", "dot", "dash", "longdash", "dashdot", "longdashdot"] = "solid"
    symbol: str = Field(default="circle", description="Marker symbol, so meaning never rests on colour alone.")


# --------------------------------------------------------------------------- stories


def _require_words(value: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    for lang, words in value.items():
        if any(not word.strip() for word in words):
            raise ValueError(f"a synonym for language {lang!r} is empty")
    return value


#: Words per language: {en: [cystitis, painful bladder], es: [cistitis]}.
Words = Annotated[
    Mapping[LanguageCode, tuple[str, ...]],
    AfterValidator(_require_words),
    AfterValidator(_read_only),
    WrapSerializer(_as_dict),
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]{2}(-[A-Z]{2})?$"},
            "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "description": "Words per language that people use for it: {en: [cystitis], es: [cistitis]}.",
        }
    ),
]


class Claim(Frozen):
    """Something a story says (what triggers or eases it), in plain words, with who reports it."""

    text: Text
    sources: tuple[Id, ...] = Field(min_length=1, description="Ids in 'sources' that report it.")


class StoryStep(Frozen):
    """One narrated step of a story: a step of one of its routes' animation, told in plain words."""

    route: Id = Field(description="The route whose animation this step narrates (one of the story's routes).")
    step: str = Field(
        min_length=1,
        description="The name of that route's animation step: 'stimulus', a nerve's id, 'entry', 'somatic', "
        "'convergence', 'ascend', 'projection'; 'trigger', a strained structure's id, 'felt'; 'cytokines'.",
    )
    text: Text = Field(description="What to tell a patient at this step: short sentences, no Latin, no ids.")


class Story(Frozen):
    """A condition told as narrated steps over its routes' animation: what a clinician explains.

    Opens with ``?story=ID``; listed by ``painmap list stories``. Its id is a name in a link,
    in its own id space (a story may share its id with a red flag, for instance).
    """

    id: Id
    title: Text
    condition: Text = Field(description="The condition's name, e.g. 'Interstitial cystitis (painful bladder syndrome)'.")
    synonyms: Words = Field(
        default_factory=lambda: MappingProxyType({}), description="Words people use for the condition, per language."
    )
    organ: Id
    routes: tuple[Id, ...] = Field(min_length=1, description="The routes the story walks through, in order.")
    mechanism: RouteKind = Field(description="The main mechanism that explains it: segmental, mechanical or systemic.")
    summary: Text | None = Field(default=None, description="The story in two or three plain sentences.")
    steps: tuple[StoryStep, ...] = Field(min_length=1)
    triggers: tuple[Claim, ...] = Field(default_factory=tuple, description="What brings it on or makes it worse.")
    eases: tuple[Claim, ...] = Field(default_factory=tuple, description="What eases it, as its sources report it.")
    red_flags: tuple[Id, ...] = Field(min_length=1, description="Ids in 'red_flags': when to get help now.")
    sources: tuple[Id, ...] = Field(min_length=1)
    note: Text | None = None


SECTIONS = (
    "sources",
    "organs",
    "nerves",
    "laminae",
    "zones",
    "deep_structures",
    "somatic_inputs",
    "routes",
    "disputes",
    "red_flags",
    "mechanisms",
    "stories",
)


class DatasetFile(Frozen):
    """One YAML file of a dataset. Every section is optional; the files of a folder add up."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        title="painmap pathway dataset file",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    extends: Literal["bundled"] | None = Field(
        None, description="'bundled': load painmap's bundled dataset first and add this file to it."
    )
    languages: list[LanguageCode] = Field(default_factory=list, description="Languages this file offers.")
    awaiting_review: list[LanguageCode] = Field(
        default_factory=list,
        description=(
            "Languages whose medical texts in this file (red flags, stories, route notes and steps, "
            "mechanisms, disputes) were written without a clinician's review yet: `painmap validate` counts them."
        ),
    )
    spinal_cord: SpinalCord | None = None
    fibre_styles: dict[FibreType, FibreStyle] = Field(default_factory=dict)
    sources: list[Source] = Field(default_factory=list)
    organs: list[Organ] = Field(default_factory=list)
    nerves: list[NerveStructure] = Field(default_factory=list)
    laminae: list[Lamina] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list)
    deep_structures: list[DeepStructure] = Field(default_factory=list)
    somatic_inputs: list[SomaticInput] = Field(default_factory=list)
    routes: list[Route] = Field(default_factory=list)
    disputes: list[Dispute] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
    mechanisms: list[Mechanism] = Field(default_factory=list)
    stories: list[Story] = Field(default_factory=list, description="Conditions told as narrated steps over routes.")
    outlines: dict[Id, list[Outline]] = Field(
        default_factory=dict,
        description="Where to draw an organ, part, nerve, zone or deep structure, keyed by its id.",
    )
    scaffold: dict[Id, list[Outline]] = Field(
        default_factory=dict, description="Drawing-only shapes: body silhouette, pelvis, vertebrae."
    )
    plain_words: dict[Id, Text] = Field(
        default_factory=dict,
        description="Everyday words for patient mode, keyed by the id of an organ, part, zone, deep structure or nerve "
        "('back muscles' for the erector spinae). Default: the label without its bracketed aside.",
    )


class Dataset(Frozen):
    """A whole, cross-checked dataset: what the app draws. Build it with ``loader.load``.

    Truly read-only: its sequences are tuples and its mappings (and look-up tables) are
    ``types.MappingProxyType``, so a figure cache built from it can never go stale because
    someone changed it; so are the texts per language inside its entries.
    """

    languages: tuple[LanguageCode, ...] = ("en",)
    spinal_cord: SpinalCord
    fibre_styles: ReadOnlyMapping[FibreType, FibreStyle]
    sources: tuple[Source, ...]
    organs: tuple[Organ, ...]
    nerves: tuple[NerveStructure, ...]
    laminae: tuple[Lamina, ...]
    zones: tuple[Zone, ...]
    deep_structures: tuple[DeepStructure, ...]
    somatic_inputs: tuple[SomaticInput, ...]
    routes: tuple[Route, ...]
    disputes: tuple[Dispute, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    mechanisms: tuple[Mechanism, ...] = ()
    stories: tuple[Story, ...] = ()
    outlines: ReadOnlyMapping[str, tuple[Outline, ...]] = Field(default_factory=lambda: MappingProxyType({}))
    scaffold: ReadOnlyMapping[str, tuple[Outline, ...]] = Field(default_factory=lambda: MappingProxyType({}))
    plain_words: ReadOnlyMapping[str, Text] = Field(default_factory=lambda: MappingProxyType({}))
    origin: tuple[str, ...] = Field(default=(), description="Files the dataset was read from.")

    # Look-up tables, built once (the model is frozen, so they never go stale) and read-only.
    @cached_property
    def organ(self) -> Mapping[str, Organ]:
        return MappingProxyType({o.id: o for o in self.organs})

    @cached_property
    def part(self) -> Mapping[str, OrganPart]:
        return MappingProxyType({p.id: p for o in self.organs for p in o.parts})

    @cached_property
    def organ_of_part(self) -> Mapping[str, Organ]:
        return MappingProxyType({p.id: o for o in self.organs for p in o.parts})

    @cached_property
    def nerve(self) -> Mapping[str, NerveStructure]:
        return MappingProxyType({n.id: n for n in self.nerves})

    @cached_property
    def source(self) -> Mapping[str, Source]:
        return MappingProxyType({s.id: s for s in self.sources})

    @cached_property
    def zone(self) -> Mapping[str, Zone]:
        return MappingProxyType({z.id: z for z in self.zones})

    @cached_property
    def deep_structure(self) -> Mapping[str, DeepStructure]:
        return MappingProxyType({d.id: d for d in self.deep_structures})

    @cached_property
    def lamina(self) -> Mapping[str, Lamina]:
        return MappingProxyType({lam.id: lam for lam in self.laminae})

    @cached_property
    def route(self) -> Mapping[str, Route]:
        return MappingProxyType({r.id: r for r in self.routes})

    @cached_property
    def somatic_input(self) -> Mapping[str, SomaticInput]:
        return MappingProxyType({s.id: s for s in self.somatic_inputs})

    @cached_property
    def story(self) -> Mapping[str, Story]:
        return MappingProxyType({s.id: s for s in self.stories})

    @cached_property
    def segment(self) -> Mapping[str, Segment]:
        return MappingProxyType({s.id: s for s in self.spinal_cord.segments})

    @cached_property
    def disputed_routes(self) -> Mapping[str, Dispute]:
        """Route id -> the dispute it is an alternative in."""
        return MappingProxyType({r: d for d in self.disputes for r in d.routes})

    # Reverse look-ups (zone or segment -> routes), built at the first question, in dataset order.
    @cached_property
    def routes_at_zone(self) -> Mapping[str, tuple[Route, ...]]:
        """Zone id -> routes felt there: in their own zones or their somatic phase's."""
        return _index(self.routes, lambda r: (*r.zones, *(r.somatic_phase.zones if r.somatic_phase else ())))

    @cached_property
    def somatic_phases_at_zone(self) -> Mapping[str, tuple[Route, ...]]:
        """Zone id -> routes whose later, somatic stage is felt there."""
        return _index(self.routes, lambda r: r.somatic_phase.zones if r.somatic_phase else ())

    @cached_property
    def routes_at_segment(self) -> Mapping[str, tuple[Route, ...]]:
        """Segment -> routes that enter it, or whose somatic stage its body-wall nerve reports."""
        return _index(self.routes, lambda r: (*(r.segments or ()), *(r.somatic_phase.segments if r.somatic_phase else ())))

    @cached_property
    def somatic_phases_at_segment(self) -> Mapping[str, tuple[Route, ...]]:
        """Segment -> routes whose somatic stage its body-wall nerve reports."""
        return _index(self.routes, lambda r: r.somatic_phase.segments if r.somatic_phase else ())

    @cached_property
    def somatic_inputs_at_segment(self) -> Mapping[str, tuple[int, ...]]:
        """Segment -> the positions in ``somatic_inputs`` of the inputs that enter it."""
        found: dict[str, list[int]] = {}
        for position, given in enumerate(self.somatic_inputs):
            for segment in dict.fromkeys(given.segments):
                found.setdefault(segment, []).append(position)
        return MappingProxyType({key: tuple(value) for key, value in found.items()})

    @cached_property
    def routes_of_organ(self) -> Mapping[str, tuple[Route, ...]]:
        """Organ id -> its routes."""
        return _index(self.routes, lambda r: (r.organ,))

    def step_names(self, route: Route | str) -> tuple[str, ...]:
        """The names of a route's animation steps (see :func:`route_step_names`)."""
        found = self.route[route] if isinstance(route, str) else route
        return route_step_names(found, self.nerve, self.somatic_inputs)

    @property
    def drawn_segments(self) -> tuple[str, ...]:
        return self.spinal_cord.drawn


def _index(routes: Sequence[Route], keys: Callable[[Route], Sequence[str]]) -> Mapping[str, tuple[Route, ...]]:
    """Key -> the routes ``keys`` gives it (each route once per key, in ``routes``' order), read-only."""
    found: dict[str, list[Route]] = {}
    for route in routes:
        for key in dict.fromkeys(keys(route)):
            found.setdefault(key, []).append(route)
    return MappingProxyType({key: tuple(value) for key, value in found.items()})


def route_step_names(
    route: Route, nerves: Mapping[str, NerveStructure], somatic_inputs: Sequence[SomaticInput]
) -> tuple[str, ...]:
    """The names of ``route``'s animation steps, in order: the keys a ``Route.steps`` caption and a
    story's step are written with (see :mod:`painmap.figures.steps`, whose steps carry these names).

    - segmental: ``stimulus``; one per peripheral chain element (its id) or group of alternatives
      (their ids joined with ``|``); ``entry``; ``somatic`` (when an input of the back converges);
      ``convergence``; ``ascend`` and/or ``dorsal-column``; ``projection``; with a somatic phase,
      then ``peritoneum``, ``parietal-afferent`` and ``localised``;
    - mechanical: ``trigger``, one per strained structure (its id), ``felt``;
    - systemic: ``trigger``, ``cytokines``, ``felt``.

    ``nerves`` (id -> structure) and ``somatic_inputs`` are the dataset's: they decide where the
    chain enters the cord and whether the back's input converges.
    """
    if route.kind == "mechanical":
        return ("trigger", *route.strains, "felt")
    if route.kind == "systemic":
        return ("trigger", "cytokines", "felt")

    def is_entry(nerve_id: str) -> bool:  # the dorsal root ganglion and root: sensory only, or a root
        nerve = nerves.get(nerve_id)
        return nerve is not None and (nerve.kind == "root" or set(nerve.fibres) <= {"sensory"})

    chain = list(route.chain)
    cut = len(chain)
    while cut > 0 and is_entry(chain[cut - 1]):
        cut -= 1
    peripheral = chain[:cut]
    group_of = {member: group for group in route.alternatives for member in group}
    names: list[str] = ["stimulus"]
    seen: set[str] = set()
    for nerve_id in peripheral:
        if nerve_id in seen:
            continue
        group = group_of.get(nerve_id)
        members = (nerve_id,) if group is None or len(group) < 2 else tuple(n for n in peripheral if n in group)
        names.append("|".join(members))
        seen.update(members)
    names.append("entry")
    segments, laminae = set(route.segments or ()), set(route.laminae)
    if any(segments.intersection(s.segments) and laminae.intersection(s.laminae) for s in somatic_inputs):
        names.append("somatic")
    names.append("convergence")
    if "spinothalamic" in route.ascending:
        names.append("ascend")
    if "dorsal-column" in route.ascending:
        names.append("dorsal-column")
    names.append("projection")
    if route.somatic_phase is not None:
        names += ["peritoneum", "parietal-afferent", "localised"]
    return tuple(names)


def text(value: Mapping[str, str] | None, lang: str = "en") -> str:
    """The text in ``lang``, falling back to English."""
    if not value:
        return ""
    return value.get(lang) or value["en"]
