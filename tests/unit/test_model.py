"""The dataset model: segment ranges, colours, texts, route kinds (no YAML, no loader)."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from painmap.model import (
    ALL_SEGMENTS,
    NAMED_COLOURS,
    SEGMENT_RANGE_PATTERN,
    Dispute,
    FibreStyle,
    Organ,
    Outline,
    Route,
    Segment,
    Source,
    Zone,
    format_segment_range,
    parse_segment,
    parse_segment_range,
    text,
    validate_colour,
)

# --------------------------------------------------------------------------- segments


def test_a_range_lists_every_segment_it_covers_in_order():
    assert parse_segment_range("T10-L2") == ("T10", "T11", "T12", "L1", "L2")
    assert parse_segment_range("S2-S4") == ("S2", "S3", "S4")
    assert parse_segment_range("L5-S1") == ("L5", "S1")
    assert parse_segment_range("C8-T1") == ("C8", "T1")
    assert parse_segment_range("L1") == ("L1",)
    assert parse_segment_range("T10-T10") == ("T10",)
    assert len(parse_segment_range("C1-Co1")) == len(ALL_SEGMENTS) == 31


def test_segment_names_are_canonicalised():
    assert parse_segment("t10") == "T10"
    assert parse_segment(" s3 ") == "S3"
    assert parse_segment("co1") == parse_segment("CO1") == "Co1"
    assert parse_segment_range("t10-l1") == ("T10", "T11", "T12", "L1")
    assert parse_segment_range(" T10 - L1 ") == ("T10", "T11", "T12", "L1")


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("T99", ["unknown spinal segment 'T99'", "T1-T12"]),
        ("T0", ["unknown spinal segment 'T0'"]),
        ("L6", ["unknown spinal segment 'L6'"]),
        ("C9", ["unknown spinal segment 'C9'"]),
        ("Co2", ["unknown spinal segment 'Co2'"]),
        ("L2-T10", ["runs backwards", "T10-L2"]),
        ("S1-L5", ["runs backwards", "L5-S1"]),
        ("T10-", ["not a segment range"]),
        ("-T10", ["not a segment range"]),
        ("T10-L1-S2", ["not a segment range"]),
        ("", ["not a segment range"]),
        ("T10 to L1", ["unknown spinal segment"]),
    ],
)
def test_bad_segment_ranges_say_what_is_wrong(given, words):
    with pytest.raises(ValueError) as caught:
        parse_segment_range(given)
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize("given", [10, 10.5, None, ["T10", "L1"]])
def test_a_range_must_be_text(given):
    with pytest.raises(ValueError, match="a segment range is text"):
        parse_segment_range(given)


def test_format_is_the_inverse_of_parse():
    for first in range(len(ALL_SEGMENTS)):
        for last in range(first, len(ALL_SEGMENTS)):
            covered = ALL_SEGMENTS[first : last + 1]
            assert parse_segment_range(format_segment_range(covered)) == covered
    assert format_segment_range(()) == ""


def test_the_json_schema_pattern_accepts_exactly_the_canonical_names():
    pattern = re.compile(SEGMENT_RANGE_PATTERN)
    for first in ALL_SEGMENTS:
        assert pattern.match(first)
        for last in ALL_SEGMENTS:
            text_range = f"{first}-{last}"
            assert pattern.match(text_range)
            backwards = ALL_SEGMENTS.index(last) < ALL_SEGMENTS.index(first)
            if not backwards:
                assert parse_segment_range(text_range)[0] == first
    for bad in ("T99", "T0", "L6", "C9", "Co2", "T10-", "T10-L1-S2", "10"):
        assert not pattern.match(bad)


def test_a_segment_entry_must_be_written_canonically():
    assert Segment(id="T10", ontology="UBERON:0003038").id == "T10"
    with pytest.raises(ValidationError, match="write the segment as 'T10'"):
        Segment(id="t10", ontology="UBERON:0003038")
    with pytest.raises(ValidationError, match="unknown spinal segment"):
        Segment(id="T13", ontology="UBERON:0003038")


def test_a_zone_parses_its_dermatomes_and_writes_them_back():
    zone = Zone(
        id="flank",
        label={"en": "Flank"},
        ontology="UBERON:0002097",
        dermatomes="T10-L1",
        views=["back"],
    )
    assert zone.dermatomes == ("T10", "T11", "T12", "L1")
    assert zone.model_dump()["dermatomes"] == "T10-L1"
    assert Zone.model_validate(zone.model_dump()) == zone


# --------------------------------------------------------------------------- colours


@pytest.mark.parametrize(
    ("colour", "normalised"),
    [
        ("#2a62f6", "#2a62f6"),
        ("#2A62F6", "#2a62f6"),
        ("#abc", "#aabbcc"),
        ("#abcd", "rgba(170, 187, 204, 0.867)"),
        ("#2a62f680", "rgba(42, 98, 246, 0.502)"),
        ("rgb(42, 98, 246)", "#2a62f6"),
        ("rgba(42, 98, 246, 0.5)", "rgba(42, 98, 246, 0.5)"),
        ("rgba(42,98,246,.5)", "rgba(42, 98, 246, 0.5)"),
        ("rgb(10%, 20%, 30%)", "#1a334d"),
        ("hsl(210, 50%, 40%)", "#336699"),
        ("hsla(210, 50%, 40%, 0.3)", "rgba(51, 102, 153, 0.3)"),
        ("teal", "#008080"),
        ("Teal", "#008080"),
        (" darkorange ", "#ff8c00"),
        ("darkslategray", "#2f4f4f"),
        ("rebeccapurple", "#663399"),
    ],
)
def test_valid_colours_are_written_as_hex_or_rgba(colour, normalised):
    """Names and every other form become '#rrggbb' (or rgba() with an alpha): figures can shade any of them."""
    assert validate_colour(colour) == normalised
    assert FibreStyle(label={"en": "x"}, colour=colour).colour == normalised


def test_every_css_colour_name_is_accepted_as_its_hex():
    import webcolors

    for name in webcolors.names(webcolors.CSS3):
        assert validate_colour(name) == webcolors.name_to_hex(name), name
    assert len(NAMED_COLOURS) >= 148


@pytest.mark.parametrize("colour", ["teal", "darkslategray", "hsl(210, 50%, 40%)", "#abc"])
def test_a_normalised_colour_can_be_made_translucent_and_darker(colour):
    """The figures' helpers read hex and rgba(): a name passed through them was drawn opaque."""
    from painmap.figures import style

    assert style.rgb_of(validate_colour(colour)) is not None
    assert style.with_alpha(validate_colour(colour), 0.5).startswith("rgba(")


def test_a_misspelt_colour_name_gets_a_hint():
    with pytest.raises(ValueError, match="did you mean 'teal'") as caught:
        validate_colour("tael")
    assert "#2a62f6" in str(caught.value)


@pytest.mark.parametrize("colour", ["rgb(300, 0, 0)", "rgb(-1, 2, 3)", "rgba(1, 2, 3, 2)", "hsl(10, 150%, 50%)"])
def test_colour_values_out_of_range_are_refused(colour):
    with pytest.raises(ValueError, match="run from|outside"):
        validate_colour(colour)


@pytest.mark.parametrize(
    "colour",
    [
        "#2a62f",
        "#12345",
        "#zzzzzz",
        "2a62f6",
        "blu",
        "reddish-brown",
        "rgb(1, 2)",
        "rgb(1, 2, 3, 4, 5)",
        "rgb 1 2 3",
        "url(javascript:alert(1))",
        "",
    ],
)
def test_invalid_colours_are_refused_with_an_example_of_a_good_one(colour):
    with pytest.raises(ValueError, match="is not a colour plotly.js accepts") as caught:
        validate_colour(colour)
    assert "#2a62f6" in str(caught.value)
    with pytest.raises(ValidationError):
        FibreStyle(label={"en": "x"}, colour=colour)


def plotly_accepts(colour: str) -> bool:
    import plotly.graph_objects as go

    try:
        go.Scatter(marker_color=colour)
    except ValueError:
        return False
    return True


def test_every_named_colour_the_model_knows_is_one_plotly_accepts():
    refused = sorted(name for name in NAMED_COLOURS if not plotly_accepts(validate_colour(name)))
    assert refused == []


@pytest.mark.parametrize("colour", ["rgb(-1, 2, 3)", "rgb(1.2.3, 4, 5)"])
def test_the_model_refuses_colours_plotly_would_refuse(colour):
    with pytest.raises(ValueError):
        validate_colour(colour)


def test_plotly_accepts_every_colour_the_model_accepts_in_the_samples():
    samples = ["#2a62f6", "#abc", "#abcd", "rgba(42, 98, 246, 0.5)", "hsla(210, 50%, 40%, 0.3)", "teal", "transparent"]
    assert all(plotly_accepts(validate_colour(c)) for c in samples)


# --------------------------------------------------------------------------- texts


def organ(label: dict) -> Organ:
    return Organ(
        id="liver",
        label=label,
        ontology="UBERON:0002107",
        parts=[{"id": "liver-whole", "label": {"en": "Liver"}, "ontology": "UBERON:0002107"}],
    )


def test_text_needs_english_and_takes_other_languages():
    assert organ({"en": "Liver", "de": "Leber", "pt-BR": "Fígado"}).label["pt-BR"] == "Fígado"
    with pytest.raises(ValidationError, match=r"English \('en'\) text is required"):
        organ({"de": "Leber"})
    with pytest.raises(ValidationError, match="text for language 'de' is empty"):
        organ({"en": "Liver", "de": "  "})
    with pytest.raises(ValidationError):
        organ({"en": "Liver", "deutsch": "Leber"})


def test_text_falls_back_to_english():
    assert text({"en": "Liver", "de": "Leber"}, "de") == "Leber"
    assert text({"en": "Liver"}, "fr") == "Liver"
    assert text(None) == ""


# --------------------------------------------------------------------------- routes


def route(**fields) -> Route:
    base = {"id": "r", "organ": "kidney", "part": "kidney-whole", "sources": ["s"]}
    return Route(**{**base, **fields})


SEGMENTAL = {"kind": "segmental", "chain": ["drg"], "segments": "T10-L1", "laminae": ["i"], "zones": ["flank"]}


def test_a_complete_segmental_route_is_accepted():
    made = route(**SEGMENTAL)
    assert made.segments == ("T10", "T11", "T12", "L1")
    assert made.species.label == "Homo sapiens" and made.species.ontology == "NCBITaxon:9606"


@pytest.mark.parametrize("missing", ["chain", "segments", "laminae", "zones"])
def test_a_segmental_route_needs_chain_segments_laminae_and_zones(missing):
    fields = {k: v for k, v in SEGMENTAL.items() if k != missing}
    with pytest.raises(ValidationError, match=f"a segmental route needs {missing}"):
        route(**fields)


def test_a_segmental_route_lists_everything_it_lacks():
    with pytest.raises(ValidationError, match="a segmental route needs chain, segments, laminae, zones"):
        route(kind="segmental")


def test_a_mechanical_route_needs_segments_and_strains():
    assert route(kind="mechanical", segments="L4-S1", strains=["erector-spinae"]).strains == ("erector-spinae",)
    with pytest.raises(ValidationError, match="a mechanical route needs strains"):
        route(kind="mechanical", segments="L4-S1")
    with pytest.raises(ValidationError, match="a mechanical route needs segments"):
        route(kind="mechanical", strains=["erector-spinae"])


def test_a_systemic_route_has_no_segments():
    assert route(kind="systemic", zones=["whole-body-aches"]).segments is None
    with pytest.raises(ValidationError, match="a systemic route has no segments"):
        route(kind="systemic", segments="T10")


def test_a_route_needs_a_source_and_a_known_kind():
    with pytest.raises(ValidationError, match="at least 1 item"):
        route(kind="systemic", sources=[])
    with pytest.raises(ValidationError, match="'segmental', 'mechanical' or 'systemic'"):
        route(kind="spiritual")


def test_models_are_frozen_and_refuse_unknown_fields():
    made = route(kind="systemic")
    with pytest.raises(ValidationError):
        made.kind = "segmental"
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        route(kind="systemic", colour="red")


def test_a_dispute_needs_two_routes():
    with pytest.raises(ValidationError, match="at least 2 items"):
        Dispute(id="d", question={"en": "Which?"}, routes=["only-one"])


def test_ids_and_identifiers_follow_their_patterns():
    with pytest.raises(ValidationError):
        route(id="Kidney Route", kind="systemic")
    assert Source(id="s", title="A book", doi="10.3389/fphar.2014.00017").doi
    with pytest.raises(ValidationError):
        Source(id="s", title="A book", doi="doi:10.3389/x")
    with pytest.raises(ValidationError):
        Source(id="s", title="A book", url="www.example.org")
    with pytest.raises(ValidationError):
        Source(id="s", title="A book", year=1492 + 1000)


def test_an_outline_needs_two_points_in_a_known_view():
    outline = Outline(view="abdomen", points=[(45, 8), (55, 8), (50, 16)])
    assert outline.closed is True
    with pytest.raises(ValidationError):
        Outline(view="abdomen", points=[(45, 8)])
    with pytest.raises(ValidationError):
        Outline(view="sideways", points=[(45, 8), (55, 8)])


@pytest.mark.parametrize("point", [(float("nan"), 10.0), (float("inf"), 10.0), (1e6, 10.0)])
def test_outline_points_are_finite_and_near_the_panel(point):
    with pytest.raises(ValidationError):
        Outline(view="abdomen", points=[point, (50, 50)])


def test_outline_points_can_be_written_as_in_svg():
    outline = Outline(view="front", points="50,12 52,13.5\n  55,20")
    assert outline.points == ((50.0, 12.0), (52.0, 13.5), (55.0, 20.0))
    with pytest.raises(ValidationError, match=r"point 2 '52;13' is not written 'x,y'"):
        Outline(view="front", points="50,12 52;13")
    with pytest.raises(ValidationError):
        Outline(view="front", points="50,12 500,13")  # far outside the panel
