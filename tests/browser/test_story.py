"""A story in a real headless Chromium: open it by link, find it by the words a patient uses.

Each test builds a fresh app and ends with no browser console errors.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app, ids
from painmap.loader import load
from painmap.model import text
from tests.browser.helpers import figure_ready
from tests.conftest import DATA

pytestmark = pytest.mark.browser


def panel_text(dash_duo) -> str:
    return dash_duo.driver.find_element("id", ids.STORY_PANEL).get_attribute("textContent") or ""


def test_pm160_a_story_link_shows_its_narration_and_search_opens_another(dash_duo):
    ds = load(DATA)
    cystitis, period = ds.story["interstitial-cystitis"], ds.story["period-pain"]
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?story=interstitial-cystitis")
    figure_ready(dash_duo)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: text(cystitis.title) in panel_text(dash_duo))
    narration = dash_duo.driver.find_elements("css selector", f"#{ids.STORY_PANEL} .story-narration li")
    assert len(narration) == len(cystitis.steps)
    assert text(cystitis.steps[0].text) in narration[0].text
    assert "current" in (narration[0].get_attribute("class") or "").split()

    box = dash_duo.driver.find_element("id", ids.STORY_SEARCH)
    box.send_keys("period pain")
    link = WebDriverWait(dash_duo.driver, 20).until(
        lambda d: next(iter(d.find_elements("css selector", f"#{ids.STORY_RESULTS} .search-story a")), None)
    )
    assert link.text == "Story: " + text(period.condition)
    link.click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "story=period-pain" in d.current_url)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: text(period.title) in panel_text(dash_duo))
    assert text(cystitis.title) not in panel_text(dash_duo)
    share = dash_duo.driver.find_element("id", ids.SHARE_LINK).get_attribute("value") or ""
    assert "story=period-pain" in share
    assert dash_duo.get_logs() == []


def test_pm161_a_step_of_the_storys_next_route_opens_that_route_with_the_story_kept(dash_duo):
    ds = load(DATA)
    story = ds.story["interstitial-cystitis"]
    second = story.routes[1]
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?story=interstitial-cystitis")
    figure_ready(dash_duo)
    go = WebDriverWait(dash_duo.driver, 20).until(
        lambda d: next(iter(d.find_elements("css selector", f'#{ids.STORY_PANEL} li[data-route="{second}"] a.story-go')), None)
    )
    step = go.find_element("xpath", "..").get_attribute("data-step")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.execute_script("return document.title.indexOf('Updating') < 0;"))
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", go)
    go.click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: f"route={second}" in d.current_url)
    assert "story=interstitial-cystitis" in dash_duo.driver.current_url
    current = f'#{ids.STORY_PANEL} li.current[data-route="{second}"][data-step="{step}"]'
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.find_elements("css selector", current))
    assert text(story.title) in panel_text(dash_duo)
    assert dash_duo.get_logs() == []
