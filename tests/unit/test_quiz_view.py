"""Quiz mode's panel and marking, without a browser: what a student sees for a seed, what a
checked answer gets, the score a tab keeps, and a working page for anything a URL or a click sends."""

from __future__ import annotations

from functools import lru_cache

import pytest
from dash import no_update
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painmap.anatomy_sex import for_sex
from painmap.app import ids
from painmap.app.page import page, views
from painmap.app.quiz_view import (
    MAX_KEPT_QUIZZES,
    QUESTIONS,
    about_state,
    mark,
    next_seed,
    quiz_key,
    quiz_panel,
    quiz_state,
    shown_state,
)
from painmap.loader import load
from plotly.io.json import to_json_plotly  # type: ignore[import-untyped]
from painmap.model import Dataset
from painmap.quiz import LETTERS, Question, generate
from painmap.viewstate import MAX_SEED, ViewState
from tests.unit.test_callbacks import text_of
from tests.unit.test_quiz import LONE_ROUTE_YAML, LONE_YAML


def walk(component):
    """Every component of a tree, depth first."""
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from walk(c)
        return
    if component is None or isinstance(component, (str, int, float)):
        return
    yield component
    yield from walk(getattr(component, "children", None))


def said(component) -> str:
    """The text a component tree shows, as one line (spaces between its pieces collapsed)."""
    return " ".join(text_of(component).replace(" .", ".").split())


def props(component) -> dict:
    return component.to_plotly_json()["props"]


def of_type(panel, kind: str) -> list:
    """The components of ``panel`` whose pattern-matching id has this type, in page order."""
    return [c for c in walk(panel) if isinstance(props(c).get("id"), dict) and props(c)["id"].get("type") == kind]


def with_class(panel, name: str) -> list:
    return [c for c in walk(panel) if name in str(props(c).get("className", "")).split()]


def quiz_view(seed: int = 0, **more) -> ViewState:
    return ViewState(mode="quiz", seed=seed, **more)


def right_of(q: Question) -> int:
    return q.answer


def wrong_of(q: Question) -> int:
    return next(i for i in range(len(q.choices)) if i != q.answer)


def check_click(index: int) -> dict:
    return {"type": ids.QUIZ_CHECK, "index": index}


RESTART = {"type": ids.QUIZ_RESTART, "index": 0}


# --------------------------------------------------------------------------- the panel


@pytest.mark.parametrize("seed", [0, 3, 7, MAX_SEED])
def test_the_panel_asks_the_questions_of_its_seed_with_their_choices(dataset: Dataset, seed: int):
    questions = generate(dataset, QUESTIONS, seed)
    panel = quiz_panel(dataset, quiz_view(seed))
    legends = [c for c in walk(panel) if type(c).__name__ == "Legend"]
    assert len(questions) == QUESTIONS
    assert [text_of(legend) for legend in legends] == [
        f"Question {i} of {QUESTIONS} {q.question}" for i, q in enumerate(questions, 1)
    ]
    radios = of_type(panel, ids.QUIZ_CHOICE)
    assert [[o["label"] for o in props(r)["options"]] for r in radios] == [
        [f"{LETTERS[k]}. {choice}" for k, choice in enumerate(q.choices)] for q in questions
    ]
    assert all(props(r)["value"] is None for r in radios)  # nothing picked for the student
    assert [props(b)["children"] for b in of_type(panel, ids.QUIZ_CHECK)] == ["Check"] * QUESTIONS
    # Each question is a fieldset named by its legend, and its feedback is announced.
    assert sum(type(c).__name__ == "Fieldset" for c in walk(panel)) == QUESTIONS
    assert all(props(f)["aria-live"] == "polite" for f in of_type(panel, ids.QUIZ_FEEDBACK))
    assert text_of(of_type(panel, ids.QUIZ_SCORE_LINE)) == "No answers yet: 10 questions to go."
    assert "Test yourself" in text_of(panel)
    # The answer is not on the page before the student checks: no explanation is.
    assert not any(q.explanation in text_of(panel) for q in questions)


def test_the_panel_links_a_new_quiz_the_quiz_itself_and_the_way_out(dataset: Dataset):
    panel = quiz_panel(dataset, quiz_view(3, lang="en", sex="female", anatomy="lateral"))
    links = {text_of(c): props(c)["href"] for c in walk(panel) if type(c).__name__ == "Link"}
    new = ViewState.from_query(links["New quiz"])
    assert new.mode == "quiz" and new.seed == next_seed(3) != 3
    assert (new.sex, new.anatomy) == ("female", "lateral")  # the same anatomy, other questions
    assert [q.question for q in generate(dataset, QUESTIONS, new.seed)] != [q.question for q in generate(dataset, QUESTIONS, 3)]
    assert ViewState.from_query(links["Link to this quiz (quiz 3)"]) == quiz_view(3, sex="female", anatomy="lateral")
    out = ViewState.from_query(links["Back to exploring"])
    assert out.mode == "" and out.seed == 0 and out.sex == "female"
    assert [text_of(b) for b in of_type(panel, ids.QUIZ_RESTART)] == ["Start again"]


def test_new_quiz_always_opens_another_seed_within_the_urls_range():
    for seed in [0, 1, 2, 3, 500, MAX_SEED - 1, MAX_SEED]:
        assert next_seed(seed) != seed and 1 <= next_seed(seed) <= MAX_SEED
        assert next_seed(seed) == next_seed(seed)  # the same for the whole class


def test_the_panel_is_the_same_for_every_view_of_one_quiz(dataset: Dataset):
    """"Show me" changes the view, not the quiz: the page sends no new panel, so the student's
    picks stay on screen."""
    first = to_json_plotly(quiz_panel(dataset, quiz_view(3)))
    for query in ["?organ=kidney&step=4", "?zone=low-back", "?segment=T11", "?story=kidney-infection"]:
        other = ViewState.from_query(query).with_(mode="quiz", seed=3).canonical(dataset)
        assert other.organ or other.zone or other.segment
        assert to_json_plotly(quiz_panel(dataset, other)) == first, query
    assert to_json_plotly(quiz_panel(dataset, quiz_view(4))) != first


def test_the_page_shows_the_quiz_in_quiz_mode_only(dataset: Dataset):
    @lru_cache(maxsize=None)
    def build(state, arrangement, width):
        return views(dataset, state, arrangement, width)

    quiz = page(dataset, quiz_view(3), None, "http://painmap.test/", build)
    assert quiz["quiz_hidden"] is False and "mode-quiz" in str(quiz["page_class"]).split()
    assert generate(dataset, QUESTIONS, 3)[0].question in text_of(quiz["quiz"])
    exploring = page(dataset, ViewState(seed=3), None, "http://painmap.test/", build)
    assert exploring["quiz"] == [] and exploring["quiz_hidden"] is True


def test_show_me_opens_the_view_of_each_answer_inside_the_quiz(dataset: Dataset):
    quiz = quiz_view(3, sex="female", anatomy="lateral")
    female = for_sex(dataset, "female")  # the quiz of the female anatomy asks of its organs
    for q in generate(female, QUESTIONS, 3):
        asked = ViewState.from_query(q.link)
        shown = shown_state(quiz, q).canonical(female)
        assert (shown.mode, shown.seed, shown.sex, shown.anatomy) == ("quiz", 3, "female", "lateral")
        for name in ("organ", "part", "route", "zone", "segment", "story"):
            if getattr(asked, name):
                assert getattr(shown, name) == getattr(asked, name), (q.kind, name)
        assert quiz_state(shown) == quiz_state(quiz)  # still the same quiz


def test_a_bad_seed_in_the_url_gives_the_default_quiz(dataset: Dataset):
    default = [q.question for q in generate(dataset, QUESTIONS, 0)]
    for query in ["?mode=quiz&seed=abc", "?mode=quiz&seed=-4", "?mode=quiz&seed=%C2%B2", "?mode=quiz&seed="]:
        state = ViewState.from_query(query).canonical(dataset)
        legends = [text_of(c) for c in walk(quiz_panel(dataset, state)) if type(c).__name__ == "Legend"]
        assert [legend.split(" ", 4)[-1] for legend in legends] == default, query


def test_a_small_teachers_dataset_gets_a_shorter_quiz_and_an_empty_one_says_why(tmp_path):
    lone = tmp_path / "lone.yaml"
    lone.write_text(LONE_YAML + LONE_ROUTE_YAML, encoding="utf-8")
    small = load(lone)
    panel = quiz_panel(small, quiz_view(5))
    assert len(of_type(panel, ids.QUIZ_CHOICE)) == 1
    assert "Question 1 of 1" in text_of(panel) and "No answers yet: 1 question to go." in text_of(panel)

    empty = tmp_path / "empty.yaml"
    empty.write_text(LONE_YAML, encoding="utf-8")
    panel = quiz_panel(load(empty), quiz_view(5))
    assert of_type(panel, ids.QUIZ_CHOICE) == [] and of_type(panel, ids.QUIZ_ABOUT) == []
    assert "nothing to ask yet" in text_of(panel) and "Back to exploring" in text_of(panel)


# --------------------------------------------------------------------------- marking


@pytest.fixture(scope="module")
def seed3(dataset: Dataset) -> list[Question]:
    return generate(dataset, QUESTIONS, 3)


def answer(questions, picks: dict[int, int], stored=None, quiz=None):
    """Check each of ``picks`` in turn, as a student would (the store carried along)."""
    quiz = quiz or quiz_view(3)
    values: list = [None] * len(questions)
    checks = [0] * len(questions)
    out = None
    for index, pick in picks.items():
        values[index] = pick
        checks[index] += 1
        out = mark(questions, quiz, check_click(index), checks, [0], values, stored)
        stored = out["store"] if out["store"] is not no_update else stored
        values = out["values"]
    return out, stored


def test_a_right_and_a_wrong_answer_are_marked_scored_and_kept(seed3):
    out, stored = answer(seed3, {0: right_of(seed3[0]), 1: wrong_of(seed3[1])})
    assert out["score"] == ["1 of 2 answered right (8 still to answer)."]
    assert stored == {quiz_key(quiz_view(3)): {"0": right_of(seed3[0]), "1": wrong_of(seed3[1])}}
    first, second = said(out["feedback"][0]), said(out["feedback"][1])
    assert first.startswith(f"Right: {LETTERS[seed3[0].answer]}, {seed3[0].answer_text}.")
    assert " ".join(seed3[0].explanation.split()) in first and "Show me" in first
    assert second.startswith(f"Not quite: the answer is {LETTERS[seed3[1].answer]}, {seed3[1].answer_text}.")
    assert f"You chose {LETTERS[wrong_of(seed3[1])]}" in second
    assert out["feedback"][2:] == [[]] * 8
    # Checked questions are locked, their choices say which was right and which was picked.
    assert all(o["disabled"] for o in out["options"][1]) and not any(o["disabled"] for o in out["options"][2])
    labels = [o["label"] for o in out["options"][1]]
    assert labels[seed3[1].answer].endswith("(the right answer)") and labels[wrong_of(seed3[1])].endswith("(your answer)")
    assert out["buttons"][:3] == ["Checked", "Checked", "Check"]


def test_show_me_in_the_feedback_opens_the_answers_view_in_the_quiz(seed3, dataset: Dataset):
    out, _ = answer(seed3, {0: right_of(seed3[0])})
    show = next(c for c in walk(out["feedback"][0]) if "quiz-show" in str(props(c).get("className", "")))
    explore = next(c for c in walk(out["feedback"][0]) if "quiz-explore" in str(props(c).get("className", "")))
    assert ViewState.from_query(props(show)["href"]) == shown_state(quiz_view(3), seed3[0])
    assert ViewState.from_query(props(explore)["href"]).mode == ""
    assert ViewState.from_query(props(show)["href"]).route == ViewState.from_query(seed3[0].link).route


def test_a_checked_answer_cannot_be_changed_by_checking_again(seed3):
    out, stored = answer(seed3, {0: wrong_of(seed3[0])})
    again = mark(seed3, quiz_view(3), check_click(0), [2] + [0] * 9, [0], [right_of(seed3[0])] + [None] * 9, stored)
    assert again["store"] is no_update and again["values"][0] == wrong_of(seed3[0])
    assert again["score"] == ["0 of 1 answered right (9 still to answer)."]


def test_check_without_a_choice_asks_for_one_and_keeps_nothing(seed3):
    out = mark(seed3, quiz_view(3), check_click(4), [0, 0, 0, 0, 1, 0, 0, 0, 0, 0], [0], [None] * 10, None)
    assert text_of(out["feedback"][4]) == "Choose an answer first, then press Check."
    assert out["store"] is no_update and out["score"] == ["No answers yet: 10 questions to go."]


def test_a_reload_brings_back_the_picks_feedback_and_score(seed3, dataset: Dataset):
    _, stored = answer(seed3, {0: right_of(seed3[0]), 1: wrong_of(seed3[1])})
    # The panel was drawn afresh: nothing pressed, no radio picked; the tab's store remembers.
    out = mark(seed3, quiz_view(3), None, [None] * 10, [None], [None] * 10, stored)
    assert out["score"] == ["1 of 2 answered right (8 still to answer)."]
    assert out["values"][:3] == [right_of(seed3[0]), wrong_of(seed3[1]), None]
    assert text_of(out["feedback"][0]).startswith("Right:") and text_of(out["feedback"][1]).startswith("Not quite:")
    assert out["store"] is no_update
    # Another seed (or language) is another quiz: its own score.
    other = generate(dataset, QUESTIONS, 4)
    assert mark(other, quiz_view(4), None, [None] * 10, [None], [None] * 10, stored)["score"] == ["No answers yet: 10 questions to go."]


def test_start_again_clears_this_quiz_only(seed3):
    _, stored = answer(seed3, {0: right_of(seed3[0])})
    stored = {"7|en|": {"0": 1}, **stored}
    out = mark(seed3, quiz_view(3), RESTART, [1] + [0] * 9, [1], [right_of(seed3[0])] + [None] * 9, stored)
    assert out["store"] == {"7|en|": {"0": 1}, quiz_key(quiz_view(3)): {}}
    assert out["values"] == [None] * 10 and out["feedback"] == [[]] * 10
    assert out["score"] == ["No answers yet: 10 questions to go."]
    assert not any(o["disabled"] for options in out["options"] for o in options)


def test_all_answered_says_done(seed3):
    out, _ = answer(seed3, {i: right_of(q) if i % 2 else wrong_of(q) for i, q in enumerate(seed3)})
    assert out["score"] == ["All done: 5 of 10 answered right."]


def test_the_store_keeps_a_bounded_number_of_quizzes_and_drops_the_oldest(seed3):
    stored = {f"{s}|en|": {"0": 0} for s in range(100, 100 + MAX_KEPT_QUIZZES + 5)}
    out, kept = answer(seed3, {0: right_of(seed3[0])}, stored=stored)
    assert len(kept) == MAX_KEPT_QUIZZES and list(kept)[-1] == quiz_key(quiz_view(3))
    assert "100|en|" not in kept and f"{100 + MAX_KEPT_QUIZZES + 4}|en|" in kept


def test_a_store_the_browser_changed_is_read_for_what_it_can_mean(seed3):
    key = quiz_key(quiz_view(3))
    junk = {key: {"0": 99, "1": "a", "x": 1, "2": True, "3": right_of(seed3[3]), "999": 0}, 5: [], "other": "text"}
    out = mark(seed3, quiz_view(3), None, [None] * 10, [None], [None] * 10, junk)
    assert out["score"] == ["1 of 1 answered right (9 still to answer)."]
    assert out["values"][3] == right_of(seed3[3]) and out["values"][0] is None


def test_the_quiz_on_the_page_is_read_from_its_store_whatever_it_holds(dataset: Dataset):
    assert about_state(dataset, [{"query": "?mode=quiz&seed=3&organ=kidney&lang=xx"}]) == quiz_view(3)  # no such language here
    for junk in [None, [], [None], [{"query": 5}], [{"query": "?seed=2"}], "text", [{"nothing": 1}]]:
        state = about_state(dataset, junk)
        assert state.mode == "quiz" and state.organ == ""


# --------------------------------------------------------------------------- totality

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**12) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=60) | st.builds(lambda s, r: f"?mode=quiz&seed={s}{r}", st.text(max_size=8), st.text(max_size=20)))
def test_any_url_gives_a_quiz_panel(dataset: Dataset, query: str):
    state = ViewState.from_query(query).with_(mode="quiz").canonical(dataset)
    panel = quiz_panel(dataset, state)
    assert "Test yourself" in text_of(panel)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trigger=JSON, checks=st.lists(JSON, max_size=12), restart=st.lists(JSON, max_size=2), values=st.lists(JSON, max_size=12),
       stored=JSON, about=JSON)
def test_any_clicks_and_any_store_give_a_working_quiz(dataset: Dataset, seed3, trigger, checks, restart, values, stored, about):
    quiz = about_state(dataset, about)
    out = mark(seed3, quiz, trigger, checks, restart, values, stored)
    for name in ("feedback", "values", "options", "buttons"):
        assert len(out[name]) == len(checks)
    assert len(out["score"]) == len(restart)
    assert out["store"] is no_update or isinstance(out["store"], dict)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, 9), pick=st.integers(0, 3))
def test_the_score_counts_exactly_the_right_picks(seed3, index, pick):
    q = seed3[index]
    out, stored = answer(seed3, {index: pick % len(q.choices)})
    right = int(q.is_correct(pick % len(q.choices)))
    assert out["score"] == [f"{right} of 1 answered right (9 still to answer)."]


def test_a_dataset_in_two_languages_offers_the_quiz_in_the_other(tmp_path):
    from tests.unit.tiny import tiny_dataset

    small = tiny_dataset(tmp_path)
    assert small.languages == ("en", "es")
    panel = quiz_panel(small, quiz_view(5))
    links = {text_of(c): props(c)["href"] for c in walk(panel) if type(c).__name__ == "A"}
    assert ViewState.from_query(links["Español"]) == quiz_view(5, lang="es")
    assert "English" not in links  # the language on screen is not a link
    spanish = quiz_panel(small, quiz_view(5, lang="es"))
    legends = [text_of(c) for c in walk(spanish) if type(c).__name__ == "Legend"]
    assert legends and all(q.question in " ".join(legends) for q in generate(small, QUESTIONS, 5, lang="es"))
    assert quiz_key(quiz_view(5, lang="es")) != quiz_key(quiz_view(5))
    # The quiz's own words are Spanish too (its questions are quiz.py's, in their own catalog).
    shown = text_of(spanish)
    assert "Idioma" in shown and "Póngase a prueba" in shown
    for english in ["Test yourself", "Check", "New quiz", "Start again", "Back to exploring", "No answers yet", "Language"]:
        assert english not in shown, english
    assert not [c for c in walk(quiz_panel(load_one_language(tmp_path), quiz_view(5))) if type(c).__name__ == "A"]


def load_one_language(tmp_path) -> Dataset:
    path = tmp_path / "lone.yaml"
    path.write_text(LONE_YAML + LONE_ROUTE_YAML, encoding="utf-8")
    return load(path)
