"""Quiz mode (?mode=quiz&seed=S) in a real headless Chromium: answers are checked, the score is
kept through a reload, "Show me" opens the view of the answer, "New quiz" shares another seed,
and a phone has the question and its choices in view.

The right answers are worked out here with ``painmap.quiz.generate``, as a teacher's answer key
would be. Each test builds a fresh app and ends with no browser console errors.
"""

from __future__ import annotations

import json

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait as SeleniumWait

from painmap.app import create_app, ids
from painmap.app.quiz_view import QUESTIONS, next_seed
from painmap.loader import load
from painmap.quiz import LETTERS, generate
from painmap.viewstate import ViewState
from tests.browser.helpers import figure_ready, press
from tests.browser.test_accessibility import axe_violations
from tests.conftest import DATA
from tests.unit.test_quiz import LONE_ROUTE_YAML, LONE_YAML

pytestmark = pytest.mark.browser

def WebDriverWait(driver, timeout: float) -> SeleniumWait:
    """Selenium's wait, through the page redrawing an element it was reading (the quiz's
    callback replaces the feedback and the choices it marks)."""
    return SeleniumWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException])


PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}


@pytest.fixture(scope="module")
def bundled():
    return load(DATA)


def open_quiz(dash_duo, query: str, data=None) -> None:
    dash_duo.start_server(create_app(data))
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    figure_ready(dash_duo)
    wait_for_questions(dash_duo)


def wait_for_questions(dash_duo) -> None:
    """The quiz is drawn and its callback has answered (the score line says how it stands)."""
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: d.find_elements("css selector", "#quiz-question-1 fieldset legend")
        and d.execute_script("return document.title.indexOf('Updating') < 0;")
    )


def question(n: int) -> str:
    return f"#quiz-question-{n}"


def legend(dash_duo, n: int) -> str:
    return dash_duo.find_element(f"{question(n)} legend").text


def score(dash_duo) -> str:
    return dash_duo.find_element(f"#{ids.QUIZ_PANEL} .quiz-score").text


def feedback(dash_duo, n: int) -> str:
    return dash_duo.find_element(f"{question(n)} .quiz-feedback").text


def pick(dash_duo, n: int, choice: int) -> None:
    """Click choice ``choice`` (0 = A) of question ``n``, then its Check button, as a student would."""
    label = dash_duo.driver.find_elements("css selector", f"{question(n)} .quiz-choices label")[choice]
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
    label.click()
    WebDriverWait(dash_duo.driver, 10).until(lambda d: checked(dash_duo, n) == choice)
    dash_duo.find_element(f"{question(n)} .quiz-check").click()


def checked(dash_duo, n: int) -> int | None:
    """The index of question ``n``'s checked radio (None when none is)."""
    return dash_duo.driver.execute_script(
        "var inputs = Array.from(document.querySelectorAll(arguments[0] + ' .quiz-choices input'));"
        "var i = inputs.findIndex(function (x) { return x.checked; }); return i < 0 ? null : i;",
        question(n),
    )


def figure_meta(dash_duo) -> dict:
    return json.loads(
        dash_duo.driver.execute_script(
            "var gd = document.querySelector('#graph .js-plotly-plot'); return JSON.stringify((gd && gd.layout.meta) || {});"
        )
    )


def test_pm170_answers_are_checked_scored_kept_through_a_reload_and_shown(dash_duo, bundled):
    questions = generate(bundled, QUESTIONS, 3)
    first, second = questions[0], questions[1]
    wrong = next(i for i in range(len(second.choices)) if i != second.answer)
    open_quiz(dash_duo, "?mode=quiz&seed=3")
    assert legend(dash_duo, 1) == f"QUESTION 1 OF {QUESTIONS}\n{first.question}"
    assert score(dash_duo) == f"No answers yet: {QUESTIONS} questions to go."

    pick(dash_duo, 1, first.answer)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: feedback(dash_duo, 1).startswith("Right:"))
    assert f"{LETTERS[first.answer]}, {first.answer_text}" in feedback(dash_duo, 1)
    pick(dash_duo, 2, wrong)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: feedback(dash_duo, 2).startswith("Not quite:"))
    assert f"the answer is {LETTERS[second.answer]}, {second.answer_text}." in feedback(dash_duo, 2)
    assert second.explanation[:60] in feedback(dash_duo, 2)
    WebDriverWait(dash_duo.driver, 10).until(lambda d: score(dash_duo).startswith("1 of 2 answered right"))
    # A checked question is locked: its choices no longer take a click.
    assert dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#quiz-question-2 .quiz-choices input')).every(function (x) { return x.disabled; });"
    )

    dash_duo.driver.refresh()
    figure_ready(dash_duo)
    wait_for_questions(dash_duo)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: score(dash_duo).startswith("1 of 2 answered right"))
    assert checked(dash_duo, 1) == first.answer and checked(dash_duo, 2) == wrong and checked(dash_duo, 3) is None
    assert feedback(dash_duo, 1).startswith("Right:") and feedback(dash_duo, 2).startswith("Not quite:")

    # "Show me" opens the view of the first answer beside the quiz, which keeps its place.
    asked = ViewState.from_query(first.link)
    show = dash_duo.find_element(f"{question(1)} a.quiz-show")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", show)
    before = dash_duo.driver.execute_script("return window.scrollY;")
    show.click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: f"route={asked.route}" in d.current_url)
    shown = ViewState.from_query("?" + dash_duo.driver.current_url.split("?", 1)[1])
    assert (shown.organ, shown.part, shown.route, shown.mode, shown.seed) == (asked.organ, asked.part, asked.route, "quiz", 3)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: figure_meta(dash_duo).get("route") == asked.route)
    meta = figure_meta(dash_duo)
    assert meta["step"] == meta["steps"] - 1, "the answer's route is shown at its last step"
    assert abs(dash_duo.driver.execute_script("return window.scrollY;") - before) < 5, "the quiz stays where the student was"
    assert score(dash_duo).startswith("1 of 2 answered right") and feedback(dash_duo, 2).startswith("Not quite:")
    assert checked(dash_duo, 2) == wrong
    assert dash_duo.get_logs() == []


def test_pm171_new_quiz_shares_another_seed_and_the_header_leads_in_and_out(dash_duo, bundled):
    open_quiz(dash_duo, "?mode=quiz&seed=3")
    assert not dash_duo.find_element(f"#{ids.CONTROLS}").is_displayed(), "the quiz is the main thing on screen"
    new_seed = next_seed(3)
    dash_duo.find_element(f"#{ids.QUIZ_PANEL} a.quiz-new").click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: f"seed={new_seed}" in d.current_url)
    other = generate(bundled, QUESTIONS, new_seed)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: legend(dash_duo, 1).endswith(other[0].question))
    assert [legend(dash_duo, n).split("\n", 1)[1] for n in range(1, QUESTIONS + 1)] == [q.question for q in other]
    assert [q.question for q in other] != [q.question for q in generate(bundled, QUESTIONS, 3)]
    assert score(dash_duo).startswith("No answers yet")

    dash_duo.find_element(f"#{ids.QUIZ_PANEL} a.quiz-exit").click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "mode=quiz" not in d.current_url)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.find_element("id", ids.CONTROLS).is_displayed())
    assert not dash_duo.find_element(f"#{ids.QUIZ_PANEL}").is_displayed()
    link = dash_duo.find_element(f"#{ids.QUIZ_LINK}")
    assert link.text == "Test yourself"
    link.click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "mode=quiz" in d.current_url)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.find_elements("css selector", "#quiz-question-1 legend"))
    assert legend(dash_duo, 1).endswith(generate(bundled, QUESTIONS, 0)[0].question)
    assert dash_duo.get_logs() == []


def test_pm172_a_phone_has_the_question_and_its_choices_in_view(dash_duo, bundled):
    # Headless Chromium's windows are at least 500 px wide: emulate the phone's screen instead.
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    first = generate(bundled, QUESTIONS, 3)[0]
    open_quiz(dash_duo, "?mode=quiz&seed=3")
    assert dash_duo.driver.execute_script("return [window.innerWidth, document.documentElement.scrollWidth];") == [390, 390]
    boxes = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#quiz-question-1 legend, #quiz-question-1 .quiz-choices label, "
        "#quiz-question-1 .quiz-check')).map(function (e) { var r = e.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; });"
    )
    assert len(boxes) == 2 + len(first.choices)
    assert all(0 <= top and bottom <= 844 and 0 <= left and right <= 390 for top, bottom, left, right in boxes), boxes

    # On a phone the figure is under the quiz: "Show me" brings it into view, and a button leads back.
    pick(dash_duo, 1, first.answer)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: feedback(dash_duo, 1).startswith("Right:"))
    show = dash_duo.find_element(f"{question(1)} a.quiz-show")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", show)
    show.click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: figure_meta(dash_duo).get("route") == ViewState.from_query(first.link).route)

    def top_of(selector: str) -> float:
        return dash_duo.driver.execute_script("return document.querySelector(arguments[0]).getBoundingClientRect().top;", selector)

    WebDriverWait(dash_duo.driver, 10).until(lambda d: 0 <= top_of(f"#{ids.FIGURE_AREA}") <= 844 / 3)
    back = dash_duo.find_element(f"#{ids.QUIZ_PANEL} .quiz-back")
    WebDriverWait(dash_duo.driver, 10).until(lambda d: back.is_displayed())
    back.click()
    WebDriverWait(dash_duo.driver, 10).until(lambda d: 0 <= top_of(question(1)) <= 844 / 2)
    assert not back.is_displayed()
    assert dash_duo.get_logs() == []


def test_pm173_the_keyboard_answers_and_axe_finds_no_serious_violation(dash_duo, bundled):
    first = generate(bundled, QUESTIONS, 3)[0]
    open_quiz(dash_duo, "?mode=quiz&seed=3")
    radios = dash_duo.driver.find_elements("css selector", f"{question(1)} .quiz-choices input")
    dash_duo.driver.execute_script("arguments[0].focus();", radios[0])
    press(dash_duo, Keys.SPACE)  # the first choice
    for _ in range(first.answer):
        press(dash_duo, Keys.ARROW_DOWN)  # a radio group moves its choice with the arrows
    WebDriverWait(dash_duo.driver, 10).until(lambda d: checked(dash_duo, 1) == first.answer)
    assert feedback(dash_duo, 1) == "", "moving through the choices answers nothing: Check does"
    press(dash_duo, Keys.TAB)
    focused = dash_duo.driver.switch_to.active_element
    assert focused.text == "Check"
    press(dash_duo, Keys.ENTER)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: feedback(dash_duo, 1).startswith("Right:"))
    assert dash_duo.driver.switch_to.active_element == focused, "the focus stays where the student is"
    found = axe_violations(dash_duo.driver)
    assert not found, json.dumps(found, indent=1)
    assert dash_duo.get_logs() == []


def test_pm174_a_bad_seed_on_a_small_teachers_dataset_gives_its_default_quiz_and_starts_again(dash_duo, tmp_path):
    path = tmp_path / "lone.yaml"
    path.write_text(LONE_YAML + LONE_ROUTE_YAML, encoding="utf-8")
    small = load(path)
    only = generate(small, QUESTIONS, 0)
    assert len(only) == 1
    open_quiz(dash_duo, "?mode=quiz&seed=not-a-number", data=path)
    assert legend(dash_duo, 1) == f"QUESTION 1 OF 1\n{only[0].question}"
    assert not dash_duo.driver.find_elements("css selector", question(2))
    pick(dash_duo, 1, only[0].answer)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: score(dash_duo) == "All done: 1 of 1 answered right.")
    # "Start again": the same questions, nothing picked, nothing locked, no score.
    dash_duo.find_element(f"#{ids.QUIZ_PANEL} .quiz-restart").click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: score(dash_duo) == "No answers yet: 1 question to go.")
    assert checked(dash_duo, 1) is None and feedback(dash_duo, 1) == ""
    assert dash_duo.find_element(f"{question(1)} .quiz-check").text == "Check"
    pick(dash_duo, 1, only[0].answer)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: score(dash_duo) == "All done: 1 of 1 answered right.")
    assert dash_duo.get_logs() == []
