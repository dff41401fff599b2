"""Every mode reopens from its link: the explorer, a story, patient mode (with and without the
technical terms), quiz mode and the embed each come back exactly as the link says, in a real
headless Chromium, with no console error."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app, ids
from painmap.app.quiz_view import QUESTIONS
from painmap.quiz import generate
from painmap.loader import load
from painmap.viewstate import ViewState
from tests.browser.helpers import figure_ready
from tests.conftest import DATA

pytestmark = pytest.mark.browser

SHOWN = "var e = document.getElementById(arguments[0]); return !!e && e.getBoundingClientRect().height > 0;"


def query_now(dash_duo) -> ViewState:
    return ViewState.from_query(dash_duo.driver.execute_script("return window.location.search;"))


def reopen(dash_duo, path: str) -> ViewState:
    """Open ``path`` as a pasted link, wait until the page has drawn it, and give the view its address holds."""
    dash_duo.driver.get(dash_duo.server_url + path)
    figure_ready(dash_duo)
    return query_now(dash_duo)


def test_pm180_each_mode_comes_back_from_its_link(dash_duo):
    ds = load(DATA)
    dash_duo.start_server(create_app())
    driver = dash_duo.driver

    explore = "/?organ=kidney&side=left&step=4&layers=somatic,labels&speed=0.5"
    assert reopen(dash_duo, explore) == ViewState.from_query(explore.split("?")[1])
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("var li = document.querySelector('#steps-list li.current'); return li && li.getAttribute('data-step');") == "4"
    )
    assert driver.find_element("id", ids.SIDE_GROUP).is_displayed()

    story = "/?story=period-pain&step=2"
    assert reopen(dash_duo, story).story == "period-pain"
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(SHOWN, ids.STORY_PANEL))
    assert driver.find_element("css selector", f"#{ids.STORY_PANEL} li.current").get_attribute("data-step") == "2"

    patient = "/?story=kidney-infection&mode=patient&step=3&sex=female"
    state = reopen(dash_duo, patient)
    assert (state.mode, state.story, state.step, state.sex, state.terms) == ("patient", "kidney-infection", 3, "female", False)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(SHOWN, ids.PATIENT_SIDE))
    dash_duo.wait_for_contains_text(".patient-narration li.current", "Step 4 of", timeout=20)
    assert not driver.execute_script(SHOWN, ids.SOURCES)

    terms = reopen(dash_duo, "/?organ=kidney&mode=patient&terms=1")
    assert terms.terms and terms.mode == "patient"
    WebDriverWait(driver, 20).until(lambda d: d.execute_script(SHOWN, ids.SOURCES))

    quiz = reopen(dash_duo, "/?mode=quiz&seed=12")
    assert (quiz.mode, quiz.seed) == ("quiz", 12)
    first = generate(ds, QUESTIONS, 12)[0]  # the quiz the page asks for seed 12
    dash_duo.wait_for_contains_text(f"#{ids.QUIZ_PANEL}", first.question, timeout=20)

    driver.get(dash_duo.server_url + "/embed?organ=bladder&step=2&mode=patient")
    figure_ready(dash_duo)
    WebDriverWait(driver, 20).until(lambda d: "embed" in (d.find_element("id", ids.PAGE).get_attribute("class") or ""))
    embedded = query_now(dash_duo)
    assert (embedded.organ, embedded.step) == ("bladder", 2)
    assert dash_duo.get_logs() == []
