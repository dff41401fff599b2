"""The security headers in headless Chromium: each kind of page opens and plays under the strict
Content-Security-Policy with no violation, a script injected into the page does not run, and the
printable handout's own script and Print button are allowed."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app
from tests.browser.helpers import current_step, figure_ready

pytestmark = pytest.mark.browser

#: One address per kind of page the app serves.
PAGES = (
    "/",
    "/?organ=bladder",
    "/?story=interstitial-cystitis",
    "/?organ=kidney&mode=patient",
    "/?mode=quiz&seed=3",
    "/?organ=gut&lang=es",
    "/embed?organ=uterus",
)

POLICY_OF_PAGE = "return fetch(window.location.href).then(function (r) { return r.headers.get('content-security-policy'); });"


def test_pm310_every_kind_of_page_opens_and_plays_under_the_policy_with_no_violation(dash_duo):
    dash_duo.start_server(create_app())
    for target in PAGES:
        dash_duo.driver.get(dash_duo.server_url + target)
        figure_ready(dash_duo)
        policy = dash_duo.driver.execute_script(POLICY_OF_PAGE)
        assert policy and "script-src 'self' 'sha256-" in policy, target
        assert "'unsafe-eval'" not in policy
        if "organ=" in target or "story=" in target:
            WebDriverWait(dash_duo.driver, 20).until(lambda d: current_step(dash_duo) >= 0, f"{target} has steps")
            before = current_step(dash_duo)
            dash_duo.find_element("#step-play").click()  # plotly.js animates the route: no eval needed
            WebDriverWait(dash_duo.driver, 20).until(lambda d: current_step(dash_duo) != before, f"{target} plays")
        assert dash_duo.get_logs() == [], target


def test_pm311_a_script_injected_into_the_page_does_not_run_and_is_reported(dash_duo):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?organ=bladder")
    figure_ready(dash_duo)
    ran = dash_duo.driver.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.__injected = 1;';"
        "document.head.appendChild(s); return window.__injected === 1;"
    )
    assert ran is False
    logs = dash_duo.get_logs()
    assert logs and all("Content Security Policy" in entry["message"] for entry in logs), logs


def test_pm312_the_handout_fits_itself_and_its_print_button_works_under_the_policy(dash_duo):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/handout?story=kidney-infection")
    button = dash_duo.wait_for_element("button.print")
    dash_duo.driver.execute_script("window.print = function () { window.__printed = true; };")
    button.click()
    assert dash_duo.driver.execute_script("return window.__printed === true;"), "the inline onclick ran"
    assert dash_duo.get_logs() == []
