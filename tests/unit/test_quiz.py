"""The quiz: generated from the dataset, one right choice per question, seeded, printable.

Each question's answer is checked here against the dataset's own routes and zones, worked out
again in the test (not through the quiz's helpers); the link names what the question is about.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from painmap import quiz
from painmap.cli import EXIT_OK, EXIT_UNREADABLE, main
from painmap.loader import load
from painmap.model import Dataset
from painmap.viewstate import ViewState

from .tiny import CORD_YAML, TINY_EXTRA_YAML, TINY_YAML, tiny_dataset, tiny_dataset_with_more

ROOT = Path(__file__).resolve().parents[2]
HEART = ROOT / "examples" / "heart"
BASE = "https://school.example/painmap/"


class WithStories:
    """A dataset with a ``stories`` section (the model may not have one yet): reads through to ``ds``."""

    def __init__(self, ds: Dataset, stories: tuple):
        self._ds, self.stories = ds, stories

    def __getattr__(self, name: str):
        return getattr(self._ds, name)


def fake_stories(ds: Dataset) -> tuple:
    """Three stories, one per mechanism, over routes of the bundled dataset."""
    first = {kind: next(r.id for r in ds.routes if r.kind == kind) for kind in ("segmental", "mechanical", "systemic")}
    return (
        SimpleNamespace(id="bladder-story", title={"en": "A burning bladder"}, condition={"en": "Cystitis"},
                        mechanism="segmental", routes=(first["segmental"],)),
        SimpleNamespace(id="posture-story", title={"en": "Curled up with belly pain"}, condition={"en": "IBS"},
                        mechanism="mechanical", routes=(first["mechanical"],)),
        SimpleNamespace(id="flu-story", title={"en": "Aching all over"}, condition={"en": "Flu"},
                        mechanism="systemic", routes=(first["systemic"],)),
    )


@pytest.fixture(scope="module")
def heart() -> Dataset:
    return load(HEART)


@pytest.fixture
def tiny(tmp_path) -> Dataset:
    return tiny_dataset(tmp_path)


@pytest.fixture
def tiny_more(tmp_path) -> Dataset:
    return tiny_dataset_with_more(tmp_path)


# --------------------------------------------------------------------------- the dataset's own answer


def _span(segments) -> set[str]:
    return set(segments or ())


def _range(ds: Dataset, text: str) -> set[str]:
    """'T11-L2' -> the segments from T11 to L2, in the cord's order (known to the dataset)."""
    order = [s.id for s in ds.spinal_cord.segments]
    first, _, last = text.partition("-")
    return set(order[order.index(first) : order.index(last or first) + 1])


def _organ_ids(ds, label: str) -> set[str]:
    return {o.id for o in ds.organs if o.label["en"] == label or label in o.label.values()}


def _nerve_ids(ds, label: str) -> set[str]:
    return {n.id for n in ds.nerves if label in n.label.values()}


def check(ds, q: quiz.Question, base_url: str = "") -> ViewState:
    """Assert that ``q`` is right by the dataset: its answer true, every other choice false,
    its link reopening a view of the ids it is about. Returns the link's state."""
    assert q.kind in quiz.KINDS
    assert 0 <= q.answer < len(q.choices)
    assert quiz.MIN_CHOICES <= len(q.choices) <= quiz.MAX_CHOICES
    assert len(set(q.choices)) == len(q.choices)
    assert q.explanation and q.question
    assert q.link.startswith(base_url)
    state = ViewState.from_query(q.link[len(base_url) :])
    canonical = state.canonical(ds)
    right, wrong = q.choices[q.answer], [c for i, c in enumerate(q.choices) if i != q.answer]
    if q.kind in ("part-segments", "route-nerve"):
        assert state.route and canonical.route == state.route and canonical.part == state.part
        route = ds.route[state.route]
        same_part = [r for r in ds.routes if r.part == route.part]
        assert route.kind == "segmental"
        if q.kind == "part-segments":
            ranges = {f"{r.segments[0]}-{r.segments[-1]}" if len(r.segments) > 1 else r.segments[0]
                      for r in same_part if r.kind == "segmental"}
            entered = set().union(*(_span(r.segments) for r in same_part if r.kind == "segmental"))
            assert right in ranges
            for choice in wrong:  # each names a segment the part's pain never enters
                assert not _range(ds, choice) <= entered, choice
        else:
            passed = {n for r in same_part for n in r.chain} | {
                r.somatic_phase.nerve for r in same_part if r.somatic_phase is not None
            }
            assert _nerve_ids(ds, right) & set(route.chain)
            for choice in wrong:
                assert _nerve_ids(ds, choice) and not _nerve_ids(ds, choice) & passed, choice
    elif q.kind == "zone-organs":
        assert state.zone and canonical.zone == state.zone
        reaching = {
            r.organ
            for r in ds.routes
            if state.zone in r.zones or (r.somatic_phase is not None and state.zone in r.somatic_phase.zones)
        }
        assert _organ_ids(ds, right) & reaching
        for choice in wrong:
            assert _organ_ids(ds, choice) and not _organ_ids(ds, choice) & reaching, choice
    elif q.kind == "segment-organs":
        assert state.segment and canonical.segment == state.segment
        entering = {r.organ for r in ds.routes if r.kind == "segmental" and state.segment in _span(r.segments)}
        touching = entering | {r.organ for r in ds.routes if state.segment in _span(r.segments)} | {
            r.organ for r in ds.routes if r.somatic_phase is not None and state.segment in r.somatic_phase.segments
        }
        assert _organ_ids(ds, right) & entering
        for choice in wrong:
            assert _organ_ids(ds, choice) and not _organ_ids(ds, choice) & touching, choice
    else:
        story = next(s for s in ds.stories if s.title["en"] in q.question)
        assert f"({story.mechanism})" in right
        assert not any(f"({story.mechanism})" in c for c in wrong)
        assert set(q.choices) == {"Referred through the cord (segmental)", "Posture and muscle strain (mechanical)",
                                  "Whole-body (systemic)"}
    return state


# --------------------------------------------------------------------------- the quiz


def test_a_ten_question_quiz_has_every_kind_evenly(dataset):
    ds = WithStories(dataset, fake_stories(dataset))
    questions = quiz.generate(ds, n=10, seed=11)
    assert len(questions) == 10
    assert sorted(q.kind for q in questions) == sorted(quiz.KINDS * 2)
    for q in questions:
        check(ds, q)


@pytest.mark.parametrize("seed", range(8))
def test_every_answer_is_right_and_every_other_choice_wrong(dataset, seed):
    ds = WithStories(dataset, fake_stories(dataset))
    for q in quiz.generate(ds, n=60, seed=seed):
        check(ds, q)


def test_without_stories_there_is_no_story_question(dataset):
    questions = quiz.generate(dataset, n=200, seed=1)
    kinds = {q.kind for q in questions}
    assert ("story-mechanism" in kinds) == bool(getattr(dataset, "stories", ()))
    assert kinds >= set(quiz.KINDS) - {"story-mechanism"}


def test_no_question_twice_and_fewer_when_the_dataset_runs_out(dataset):
    questions = quiz.generate(dataset, n=1000, seed=4)
    assert 10 < len(questions) < 1000
    assert len({q.question for q in questions}) == len(questions)


def test_the_same_seed_gives_the_same_quiz_and_another_seed_another(dataset):
    def jsons(seed):
        return [q.to_json() for q in quiz.generate(dataset, n=10, seed=seed)]

    assert jsons(3) == jsons(3)
    assert jsons(3) != jsons(4)


def test_the_global_random_generator_is_left_alone(dataset):
    random.seed(99)
    before = random.getstate()
    quiz.generate(dataset, n=10, seed=1)
    quiz.generate(dataset, n=10)
    assert random.getstate() == before


def test_kinds_limit_the_quiz_and_an_unknown_kind_is_refused(dataset):
    assert {q.kind for q in quiz.generate(dataset, n=10, seed=1, kinds=["zone-organs"])} == {"zone-organs"}
    with pytest.raises(ValueError, match="unknown question kind 'zone'"):
        quiz.generate(dataset, kinds=["zone"])


def test_links_carry_the_base_url_and_open_the_answer(dataset):
    for q in quiz.generate(dataset, n=20, seed=2, base_url=BASE):
        check(dataset, q, base_url=BASE)


def test_a_question_checks_a_pick_by_index_letter_or_text(dataset):
    q = quiz.generate(dataset, n=1, seed=5)[0]
    wrong = (q.answer + 1) % len(q.choices)
    assert q.is_correct(q.answer) and not q.is_correct(wrong)
    assert q.is_correct("ABCD"[q.answer].lower()) and not q.is_correct("ABCD"[wrong])
    assert q.is_correct(q.choices[q.answer]) and not q.is_correct(q.choices[wrong])


def test_the_explanation_names_the_source_of_the_fact(dataset):
    for q in quiz.generate(dataset, n=30, seed=6):
        route = dataset.route.get(ViewState.from_query(q.link).route)
        if route is not None:
            assert any(dataset.source[s].title in q.explanation for s in route.sources), q


# --------------------------------------------------------------------------- other datasets


def test_the_heart_example_gets_questions_about_the_heart(heart):
    questions = quiz.generate(heart, n=500, seed=1)
    for q in questions:
        check(heart, q)
    about_heart = [q for q in questions if "heart" in q.link]
    assert {q.kind for q in about_heart} >= {"part-segments", "route-nerve"}


def test_the_tiny_dataset_works_and_a_rat_route_says_so(tiny):
    questions = quiz.generate(tiny, n=100, seed=1)
    assert questions
    for q in questions:
        check(tiny, q)
    rat = [q for q in questions if ViewState.from_query(q.link).route == "sac-rat"]
    assert rat
    for q in rat:
        assert q.question.startswith("In the rat, ")
        assert "rat" in q.explanation
    human = [q for q in questions if ViewState.from_query(q.link).route == "pump-top-upper"]
    assert human and not any("rat" in q.question for q in human)


def test_the_tiny_dataset_with_more_routes(tiny_more):
    questions = quiz.generate(tiny_more, n=100, seed=2)
    assert {q.kind for q in questions} == set(quiz.KINDS) - {"story-mechanism"}
    for q in questions:
        check(tiny_more, q)


def test_labels_and_links_in_the_chosen_language(tiny):
    questions = quiz.generate(tiny, n=10, seed=3, lang="es")
    spanish = {label for o in tiny.organs for label in [o.label["es"]]}
    assert any(set(q.choices) & spanish for q in questions)
    for q in questions:
        assert ViewState.from_query(q.link).lang == "es"
        check(tiny, q)


LONE_YAML = CORD_YAML + """
fibre_styles:
  sensory: {label: {en: Sensory}, colour: "#2A62F6"}
laminae:
  - {id: one, label: {en: Lamina one}, ontology: "UBERON:0002256"}
sources:
  - {id: book, title: A book, authors: Author A, year: 2001, isbn: 978-0-00-000000-2}
organs:
  - id: lone
    label: {en: Lone organ}
    ontology: "UBERON:0000948"
    parts:
      - {id: lone-part, label: {en: Lone part}, ontology: "UBERON:0000948"}
nerves:
  - {id: lone-nerve, label: {en: Lone nerve}, ontology: "UBERON:0001021", kind: nerve, fibres: [sensory]}
"""
LONE_ROUTE_YAML = """
zones:
  - {id: belly, label: {en: Belly skin}, ontology: "UBERON:0002097", dermatomes: T10-T12, views: [front]}
routes:
  - {id: lone-route, organ: lone, part: lone-part, kind: segmental, chain: [lone-nerve], segments: T10-T12,
     laminae: [one], zones: [belly], sources: [book]}
"""


def test_a_dataset_with_no_zones_and_no_routes_gives_no_question(tmp_path):
    path = tmp_path / "lone.yaml"
    path.write_text(LONE_YAML, encoding="utf-8")
    ds = load(path)
    assert quiz.generate(ds, n=10, seed=1) == []
    assert quiz.generate(WithStories(ds, ()), n=10, seed=1) == []


def test_one_organ_gives_fewer_questions_not_an_error(tmp_path):
    path = tmp_path / "lone.yaml"
    path.write_text(LONE_YAML + LONE_ROUTE_YAML, encoding="utf-8")
    ds = load(path)
    questions = quiz.generate(ds, n=10, seed=1)
    # No other organ to offer as a wrong choice, no other nerve: only the segments it enters.
    assert [q.kind for q in questions] == ["part-segments"]
    check(ds, questions[0])


#: Two stories in the model's own terms, over the tiny dataset and its extras.
STORIES_YAML = """
stories:
  - id: sac-ache
    title: {en: Why a sore sac makes the back ache, es: Por qué un saco dolorido duele en la espalda}
    condition: {en: Sac ache, es: Dolor de saco}
    organ: sac
    routes: [sac-posture]
    mechanism: mechanical
    steps:
      - {route: sac-posture, step: trigger, text: {en: The sac hurts and you bend over., es: El saco duele y se encorva.}}
    red_flags: [sac-bleeds]
    sources: [rumour]
  - id: sac-fever
    title: {en: Aching all over with a sick sac, es: Dolor en todo el cuerpo}
    condition: {en: Sac fever, es: Fiebre del saco}
    organ: sac
    routes: [sac-fever]
    mechanism: systemic
    steps:
      - {route: sac-fever, step: cytokines, text: {en: Messengers in the blood., es: Mensajeros en la sangre.}}
    red_flags: [general]
    sources: [book]
"""


def test_the_datasets_own_stories_give_story_questions(tmp_path):
    for name, text in (("tiny.yaml", TINY_YAML), ("tiny-extra.yaml", TINY_EXTRA_YAML), ("stories.yaml", STORIES_YAML)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    ds = load(tmp_path)
    if not hasattr(ds, "stories"):
        pytest.skip("the model has no stories yet")
    questions = quiz.generate(ds, n=10, seed=1, kinds=["story-mechanism"])
    assert len(questions) == 2
    for q in questions:
        check(ds, q)
        story = next(s for s in ds.stories if s.title["en"] in q.question)
        assert ds.source[story.sources[0]].title in q.explanation
    spanish = quiz.generate(ds, n=10, seed=1, lang="es", kinds=["story-mechanism"])
    assert any("Por qué un saco dolorido" in q.question for q in spanish)


def test_a_story_of_an_unknown_mechanism_or_no_title_is_skipped(dataset):
    stories = (
        SimpleNamespace(id="odd", title={"en": "Odd"}, mechanism="magic", routes=()),
        SimpleNamespace(id="untitled", title=None, condition=None, mechanism="segmental", routes=()),
    )
    assert quiz.generate(WithStories(dataset, stories), n=100, seed=1, kinds=["story-mechanism"]) == []


def test_a_story_question_links_to_the_story_or_its_route(dataset):
    ds = WithStories(dataset, fake_stories(dataset))
    for q in quiz.generate(ds, n=10, seed=1, kinds=["story-mechanism"]):
        state = ViewState.from_query(q.link)
        story = next(s for s in ds.stories if s.title["en"] in q.question)
        if hasattr(state, "story"):
            assert state.story == story.id
        else:
            assert state.route == story.routes[0]


# --------------------------------------------------------------------------- the command


def test_cli_prints_questions_then_the_answer_key(capsys):
    assert main(["quiz", "-n", "5", "--seed", "8"]) == EXIT_OK
    out = capsys.readouterr().out
    questions = quiz.generate(load(None), n=5, seed=8)
    sheet, key = out.split("Answer key", 1)
    for number, q in enumerate(questions, 1):
        assert f"{number}. {q.question}" in sheet
        for letter, choice in zip("ABCD", q.choices):
            assert f"{letter}. {choice}" in sheet
        assert f"{number}. {'ABCD'[q.answer]}: {q.choices[q.answer]}" in key
        assert q.explanation in key and q.explanation not in sheet
    assert "seed 8" in out


def test_cli_json_is_the_documented_list_and_repeats_with_its_seed(capsys):
    assert main(["quiz", "-n", "4", "--seed", "2", "--json", "--base-url", BASE]) == EXIT_OK
    first = json.loads(capsys.readouterr().out)
    assert main(["quiz", "-n", "4", "--seed", "2", "--json", "--base-url", BASE]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == first
    assert len(first) == 4
    for item in first:
        assert set(item) == {"kind", "question", "choices", "answer", "explanation", "link"}
        assert isinstance(item["answer"], int) and 0 <= item["answer"] < len(item["choices"])
        assert item["link"].startswith(BASE + "?")


def test_cli_reads_another_dataset(capsys):
    assert main(["quiz", "--data", str(HEART), "-n", "3", "--seed", "1", "--json"]) == EXIT_OK
    assert len(json.loads(capsys.readouterr().out)) == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["-n", "0"], "-n must be 1 or more"), (["--data", "/no/such/dataset"], "/no/such/dataset")],
)
def test_cli_bad_arguments_exit_2_with_a_message(capsys, argv, message):
    assert main(["quiz", *argv]) == EXIT_UNREADABLE
    out, err = capsys.readouterr()
    assert message in err and "Traceback" not in err
    assert out == ""


def test_a_printed_spanish_quiz_has_its_title_key_and_links_in_spanish(capsys):
    from painmap.cli import main

    assert main(["quiz", "-n", "3", "--seed", "5", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cuestionario de painmap: 3 preguntas (semilla 5)")
    assert "Soluciones" in out and "Véalo: ?" in out
    assert "Answer key" not in out and "See:" not in out and "questions" not in out
