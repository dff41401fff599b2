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
