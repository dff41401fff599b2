"""Stories: a condition told as narrated steps over its routes (issue 9). A story is data: a
teacher writes one in YAML, without code, and the loader checks it like every other section."""

from __future__ import annotations

from pathlib import Path

import pytest

from painmap.figures.steps import animation_steps
from painmap.loader import load
from painmap.model import Dataset
from tests.unit.tiny import TINY_EXTRA_YAML, TINY_MORE_YAML, TINY_YAML

#: A teacher's story about the tiny dataset's sac: its own file, added to the tiny dataset.
STORY_YAML = """
stories:
  - id: sac-ache
    title: {en: Why a sore sac makes the back ache, es: Por qué un saco dolorido duele en la espalda}
    condition: {en: Sac ache, es: Dolor de saco}
    synonyms: {en: [sore sac, saccitis], es: [saquitis]}
    organ: sac
    routes: [sac-posture]
    mechanism: mechanical
    steps:
      - route: sac-posture
        step: trigger
        text: {en: The sac hurts and you bend over., es: El saco duele y se encorva.}
      - route: sac-posture
        step: back-muscle
        text: {en: The back muscle gets tired., es: El músculo de la espalda se cansa.}
      - route: sac-posture
        step: felt
        text: {en: You feel it in the low back., es: Se nota en la zona lumbar.}
    triggers:
      - text: {en: Bending over for a long time, es: Estar encorvado mucho tiempo}
        sources: [book]
    eases:
      - text: {en: Standing up straight, es: Ponerse derecho}
        sources: [book, rumour]
    red_flags: [sac-bleeds, general]
    sources: [book]
"""


def write(folder: Path, story: str = STORY_YAML, extra: bool = False) -> Path:
    (folder / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    if extra:
        (folder / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    (folder / "tiny-story.yaml").write_text(story, encoding="utf-8")
    return folder


@pytest.fixture
def storied(tmp_path: Path) -> Dataset:
    return load(write(tmp_path))


# --------------------------------------------------------------------------- the model


def test_a_teachers_story_loads_with_its_texts_in_both_languages(storied: Dataset) -> None:
    story = storied.story["sac-ache"]
    assert [s.id for s in storied.stories] == ["sac-ache"]
    assert story.organ == "sac" and story.routes == ("sac-posture",) and story.mechanism == "mechanical"
    assert [s.step for s in story.steps] == ["trigger", "back-muscle", "felt"]
    assert story.title["es"].startswith("Por qué")
    assert story.synonyms["en"] == ("sore sac", "saccitis")
    assert story.triggers[0].sources == ("book",) and story.eases[0].text["en"] == "Standing up straight"


def test_a_story_is_read_only(storied: Dataset) -> None:
    story = storied.story["sac-ache"]
    with pytest.raises(TypeError):
        storied.story["other"] = story  # type: ignore[index]
    with pytest.raises(TypeError):
        story.synonyms["de"] = ("Sack",)  # type: ignore[index]
    with pytest.raises(ValueError):
        story.organ = "pump"  # type: ignore[misc]


def test_a_dataset_without_stories_has_none(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    assert load(tmp_path / "tiny.yaml").stories == ()


def test_a_story_may_share_its_id_with_a_red_flag(tmp_path: Path) -> None:
    """Story ids are names in links (?story=ID): their own id space."""
    ds = load(write(tmp_path, STORY_YAML.replace("id: sac-ache", "id: sac-bleeds")))
    assert "sac-bleeds" in ds.story and any(f.id == "sac-bleeds" for f in ds.red_flags)


def test_step_names_are_the_animations_step_names(tmp_path: Path) -> None:
    """The names a story's step is written with are those of the animation, for every kind of route."""
    (tmp_path / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    (tmp_path / "tiny-extra.yaml").write_text(TINY_EXTRA_YAML, encoding="utf-8")
    (tmp_path / "tiny-more.yaml").write_text(TINY_MORE_YAML, encoding="utf-8")
    for ds in (load(tmp_path), load()):
        for route in ds.routes:
            assert ds.step_names(route) == tuple(s.name for s in animation_steps(ds, route)), route.id


# --------------------------------------------------------------------------- the loader's rules


def problems_of(folder: Path, story: str) -> list[str]:
    from painmap.loader import DatasetError

    with pytest.raises(DatasetError) as caught:
        load(write(folder, story))
    return [str(p) for p in caught.value.problems]


def line_of(story: str, needle: str, nth: int = 1) -> int:
    lines = story.splitlines()
    found = [n for n, line in enumerate(lines, start=1) if needle in line]
    return found[nth - 1]


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("sac-posture", "sac-postur", "stories[0].routes[0]", ["unknown route 'sac-postur'", "sac-posture"]),
        ("organ: sac", "organ: sack", "stories[0].organ", ["unknown organ 'sack'", "did you mean 'sac'"]),
        ("red_flags: [sac-bleeds, general]", "red_flags: [sac-bleeds, gneral]", "stories[0].red_flags[1]", ["unknown red flag 'gneral'"]),
    ],
)
def test_an_unknown_id_in_a_story_is_reported_at_its_file_and_line(
    tmp_path: Path, old: str, new: str, field: str, words: list[str]
) -> None:
    story = STORY_YAML.replace(old, new)
    found = problems_of(tmp_path, story)
    assert len(found) == 1, found
    assert found[0].startswith(f"{tmp_path / 'tiny-story.yaml'}:{line_of(story, new.split()[-1])}:")
    assert f": {field}: " in found[0]
    assert all(w in found[0] for w in words), found[0]


def test_an_unknown_source_of_a_trigger_is_reported_at_its_line(tmp_path: Path) -> None:
    story = STORY_YAML.replace("sources: [book]\n    eases", "sources: [bok]\n    eases")
    (found,) = problems_of(tmp_path, story)
    assert f"tiny-story.yaml:{line_of(story, '[bok]')}:" in found
    assert "stories[0].triggers[0].sources[0]: unknown source 'bok'" in found


def test_a_step_must_name_one_of_the_storys_routes(tmp_path: Path) -> None:
    story = STORY_YAML.replace("      - route: sac-posture\n        step: felt", "      - route: sac-rat\n        step: felt")
    (found,) = problems_of(tmp_path, story)
    assert f"tiny-story.yaml:{line_of(story, 'route: sac-rat')}:" in found
    assert "stories[0].steps[2].route: 'sac-rat' is not one of this story's routes" in found


def test_a_step_must_be_a_step_of_its_route(tmp_path: Path) -> None:
    story = STORY_YAML.replace("step: back-muscle", "step: back-muscel")
    (found,) = problems_of(tmp_path, story)
    assert f"tiny-story.yaml:{line_of(story, 'back-muscel')}:" in found
    assert "stories[0].steps[1].step: 'back-muscel' is not a step of route 'sac-posture'" in found
    assert "did you mean 'back-muscle'" in found and "trigger, back-muscle, felt" in found


def test_a_storys_routes_are_its_organs(tmp_path: Path) -> None:
    story = STORY_YAML.replace("routes: [sac-posture]", "routes: [sac-posture, pump-top-upper]")
    (found,) = problems_of(tmp_path, story)
    assert "stories[0].routes[1]: route 'pump-top-upper' is about organ 'pump', not the story's organ 'sac'" in found


def test_a_story_without_steps_or_english_is_refused_where_written(tmp_path: Path) -> None:
    story = STORY_YAML.replace("condition: {en: Sac ache, es: Dolor de saco}", "condition: {es: Dolor de saco}")
    (found,) = problems_of(tmp_path, story)
    assert f"tiny-story.yaml:{line_of(story, 'condition:')}:" in found and "English ('en') text is required" in found


def test_two_stories_with_one_id_are_refused(tmp_path: Path) -> None:
    body = STORY_YAML.split("stories:\n", 1)[1]
    story = "stories:\n" + body + body
    found = problems_of(tmp_path, story)
    assert len(found) == 1 and "duplicate id 'sac-ache'" in found[0]


# --------------------------------------------------------------------------- validate --strict


def strict_messages(folder: Path, story: str, extra_sources: str = "") -> list[str]:
    from painmap import evidence

    write(folder, story + extra_sources)
    return [str(p) for p in evidence.strict_problems(load(folder)) if "stories" in p.field]


LAY_SOURCE = """
sources:
  - {id: blog, title: A patient blog, kind: lay, url: "https://example.org/blog", accessed: "2026-01-01", evidence: weak}
"""


def test_strict_passes_a_story_on_a_real_source(tmp_path: Path) -> None:
    assert strict_messages(tmp_path, STORY_YAML) == []


def test_strict_refuses_a_story_whose_only_source_is_a_patient_blog(tmp_path: Path) -> None:
    story = STORY_YAML.replace("    red_flags: [sac-bleeds, general]\n    sources: [book]", "    red_flags: [sac-bleeds, general]\n    sources: [blog]")
    (found,) = strict_messages(tmp_path, story, LAY_SOURCE)
    assert f"tiny-story.yaml:{line_of(story, 'sources: [blog]')}:" in found
    assert "stories[0].sources: 'sac-ache': its only sources are lay" in found


def test_strict_refuses_a_trigger_that_only_a_patient_blog_reports(tmp_path: Path) -> None:
    story = STORY_YAML.replace("sources: [book]\n    eases", "sources: [blog]\n    eases")
    (found,) = strict_messages(tmp_path, story, LAY_SOURCE)
    assert "stories[0].triggers: 'sac-ache': triggers 1 ('Bending over for a long time') rests on lay sources alone" in found


def test_strict_refuses_a_story_that_leaves_out_an_emergency_of_its_organ(tmp_path: Path) -> None:
    """The pump's emergency is not the sac's; a flag for every organ (no organs) is everyone's."""
    flags = """
red_flags:
  - {id: sac-bursts, label: {en: Sac bursts}, text: {en: Call an ambulance.}, urgency: emergency, organs: [sac], sources: [book]}
  - {id: faint, label: {en: Fainting}, text: {en: Call an ambulance.}, urgency: emergency, sources: [book]}
"""
    (found,) = strict_messages(tmp_path, STORY_YAML, flags)
    assert "stories[0].red_flags: 'sac-ache': leaves out the emergencies of organ 'sac': sac-bursts, faint" in found
    listed = STORY_YAML.replace("red_flags: [sac-bleeds, general]", "red_flags: [sac-bleeds, general, sac-bursts, faint]")
    assert strict_messages(tmp_path, listed, flags) == []


# --------------------------------------------------------------------------- the bundled stories

FIVE = ("interstitial-cystitis", "period-pain", "gut-flare", "kidney-infection", "flu-back-ache")


def test_the_bundled_dataset_tells_the_five_stories_in_english_and_spanish() -> None:
    ds = load()
    assert set(FIVE) <= set(ds.story)
    for story_id in FIVE:
        story = ds.story[story_id]
        texts = [story.title, story.condition, *(s.text for s in story.steps)]
        texts += [c.text for c in (*story.triggers, *story.eases)]
        assert all({"en", "es"} <= set(t) for t in texts), story_id
        assert {"en", "es"} <= set(story.synonyms), story_id


def test_the_bundled_stories_speak_plain_words() -> None:
    """A patient reads the steps: no ontology ids, no segment names, no step or route ids."""
    import re

    jargon = re.compile(r"UBERON|FMA:|ILX:|\b[TLS][0-9]{1,2}\b|lamina|splanchnic|afferent", re.IGNORECASE)
    for story in load().stories:
        for step in story.steps:
            for lang, words in step.text.items():
                assert not jargon.search(words), (story.id, lang, words)


def test_the_bundled_stories_pass_validate_strict() -> None:
    from painmap import evidence

    assert [f for f in evidence.strict_findings(load()) if f.section == "stories"] == []


# --------------------------------------------------------------------------- painmap list stories


def test_painmap_list_stories_lists_a_teachers_sixth_story(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from painmap.cli import main

    write(tmp_path)
    assert main(["list", "stories", "--data", str(tmp_path)]) == 0
    assert capsys.readouterr().out.split() == ["sac-ache", "Sac", "ache", "[sac,", "mechanical]"]
    assert main(["list", "stories", "--data", str(tmp_path), "--json", "--lang", "es"]) == 0
    (story,) = json.loads(capsys.readouterr().out)
    assert story["id"] == "sac-ache" and story["label"] == "Dolor de saco" and story["routes"] == ["sac-posture"]
    assert story["mechanism"] == "mechanical" and story["red_flags"] == ["sac-bleeds", "general"]


def test_painmap_list_stories_lists_the_bundled_five(capsys: pytest.CaptureFixture[str]) -> None:
    from painmap.cli import main

    assert main(["list", "stories"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert set(FIVE) <= set(listed)
