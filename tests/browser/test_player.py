"""The player keeps its place, and the page works with a keyboard and a screen reader.

Each test builds a fresh app and ends with no browser console errors.
"""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app, ids
from painmap.figures import animation_steps, resolve_selection
from painmap.loader import load
from painmap.viewstate import ViewState
from tests.browser.helpers import (
    GRAPH_JS,
    choose,
    current_step,
    figure_ready,
    figure_step,
    press,
    wait_for_step,
)
from tests.conftest import DATA
from tests.unit.tiny import tiny_dataset

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bundled():
    return load(DATA)


def kidney_steps(bundled) -> list:
    route = bundled.route[resolve_selection(bundled, ViewState(organ="kidney")).route]
    return animation_steps(bundled, route)


def start(dash_duo, query: str = "") -> None:
    dash_duo.start_server(create_app())
    if query:
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
    figure_ready(dash_duo)


def next_step(dash_duo, times: int = 1) -> None:
    for _ in range(times):
        dash_duo.find_element(f"#{ids.STEP_FORWARD}").click()


def test_pm100_speed_change_keeps_the_step(dash_duo, bundled):
    steps = kidney_steps(bundled)
    start(dash_duo, "?organ=kidney")
    wait_for_step(dash_duo, 0)
    next_step(dash_duo, 3)
    dash_duo.wait_for_contains_text(f"#{ids.STEP_CAPTION}", steps[3].caption)
    drawn = dash_duo.driver.execute_script(GRAPH_JS + "return gd.layout;")

    dash_duo.find_element(f"#{ids.SPEED} input[value='2']").click()
    # The server answers with a new figure (drawn at its own step); the player keeps step 3.
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: d.execute_script(GRAPH_JS + "return gd.layout !== arguments[0];", drawn)
    )
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "speed=2" in d.current_url and "step=3" in d.current_url)
    wait_for_step(dash_duo, 3)
    assert figure_step(dash_duo) == 3, "the figure shows the player's step"
    assert steps[3].caption in dash_duo.find_element(f"#{ids.STEP_CAPTION}").get_attribute("textContent")
    assert current_step(dash_duo) == 3

    next_step(dash_duo)  # goes on from where it was, no jump
    dash_duo.wait_for_contains_text(f"#{ids.STEP_CAPTION}", steps[4].caption)
    wait_for_step(dash_duo, 4)
    assert dash_duo.get_logs() == []


def test_pm101_layers_change_keeps_the_step(dash_duo, bundled):
    steps = kidney_steps(bundled)
    start(dash_duo, "?organ=kidney")
    next_step(dash_duo, 2)
    wait_for_step(dash_duo, 2)
    drawn = dash_duo.driver.execute_script(GRAPH_JS + "return gd.layout;")
    box = [b for b in dash_duo.find_elements(f"#{ids.LAYERS} input") if b.get_attribute("value") == "labels"][0]
    box.click()
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: d.execute_script(GRAPH_JS + "return gd.layout !== arguments[0];", drawn)
    )
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "layers=" in d.current_url and "step=2" in d.current_url)
    assert figure_step(dash_duo) == 2
    assert steps[2].caption in dash_duo.find_element(f"#{ids.STEP_CAPTION}").get_attribute("textContent")
    assert dash_duo.get_logs() == []


def test_pm102_pause_and_interrupt_throw_nothing(dash_duo, bundled):
    start(dash_duo, "?organ=kidney&speed=2")
    play = dash_duo.find_element(f"#{ids.STEP_PLAY}")
    pause = dash_duo.find_element(f"#{ids.STEP_PAUSE}")
    play.click()
    time.sleep(0.6)
    pause.click()  # pause mid-transition
    time.sleep(0.3)
    play.click()
    time.sleep(0.4)
    next_step(dash_duo)  # Next while playing
    time.sleep(0.3)
    play.click()
    time.sleep(0.3)
    play.click()  # Play again while playing
    time.sleep(0.5)
    pause.click()
    time.sleep(0.5)
    step = current_step(dash_duo)
    assert f"step={step}" in dash_duo.driver.current_url or step == 0
    assert dash_duo.get_logs() == []


def test_pm103_player_hidden_where_nothing_plays(dash_duo):
    start(dash_duo)
    player = f"#{ids.PLAYER}"
    WebDriverWait(dash_duo.driver, 10).until(lambda d: not dash_duo.find_element(player).is_displayed())
    choose(dash_duo, f"#{ids.ZONE}", "Over the sacrum")
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "Over the sacrum")
    assert not dash_duo.find_element(player).is_displayed(), "a zone view has nothing to play"
    choose(dash_duo, f"#{ids.ORGAN}", "Kidney and ureter")
    WebDriverWait(dash_duo.driver, 10).until(lambda d: dash_duo.find_element(player).is_displayed())
    assert dash_duo.find_element(f"#{ids.STEP_PLAY}").is_displayed()
    assert dash_duo.get_logs() == []


def test_pm104_links_hold_the_step(dash_duo):
    start(dash_duo, "?organ=kidney")
    wait_for_step(dash_duo, 0)
    next_step(dash_duo, 2)
    wait_for_step(dash_duo, 2)
    WebDriverWait(dash_duo.driver, 10).until(lambda d: "step=2" in d.current_url)
    share = dash_duo.find_element(f"#{ids.SHARE_LINK}")
    embed = dash_duo.find_element(f"#{ids.EMBED_CODE}")
    WebDriverWait(dash_duo.driver, 10).until(lambda d: "step=2" in share.get_attribute("value"))
    assert "organ=kidney" in share.get_attribute("value")
    code = embed.get_attribute("value")
    src = code.split('src="', 1)[1].split('"', 1)[0]
    assert "step=2" in src and "embed" in src
    assert dash_duo.get_logs() == []


def test_pm105_keys_step_and_play(dash_duo, bundled):
    steps = kidney_steps(bundled)
    start(dash_duo, "?organ=kidney&speed=2")
    wait_for_step(dash_duo, 0)
    press(dash_duo, Keys.ARROW_RIGHT)
    wait_for_step(dash_duo, 1)
    press(dash_duo, Keys.ARROW_RIGHT)
    wait_for_step(dash_duo, 2)
    press(dash_duo, Keys.ARROW_LEFT)
    wait_for_step(dash_duo, 1)
    dash_duo.wait_for_contains_text(f"#{ids.STEP_CAPTION}", steps[1].caption)

    press(dash_duo, Keys.SPACE)  # play
    WebDriverWait(dash_duo.driver, 20).until(lambda d: current_step(dash_duo) >= 2)
    assert dash_duo.driver.execute_script("return window.scrollY;") == 0, "Space plays; it does not scroll"
    press(dash_duo, Keys.SPACE)  # pause
    time.sleep(0.3)
    paused = current_step(dash_duo)
    time.sleep(1.5)
    assert current_step(dash_duo) == paused, "Space paused the animation"
    assert paused < len(steps) - 1 or True

    # In a text field the keys are the field's own.
    field = dash_duo.find_element(f"#{ids.SHARE_LINK}")
    dash_duo.driver.execute_script("arguments[0].closest('details').open = true;", field)
    field.click()
    before = current_step(dash_duo)
    field.send_keys(Keys.ARROW_LEFT)
    time.sleep(0.3)
    assert current_step(dash_duo) == before
    assert dash_duo.get_logs() == []


def test_pm106_landmarks_language_and_names(dash_duo, bundled):
    steps = kidney_steps(bundled)
    start(dash_duo, "?organ=kidney")
    driver = dash_duo.driver
    assert driver.execute_script("return document.documentElement.lang;") == "en"
    assert driver.execute_script("return document.querySelectorAll('main, [role=main]').length;") == 1
    footers = driver.execute_script(
        "return Array.from(document.querySelectorAll('footer, [role=contentinfo]'))"
        ".filter(function (f) { return f.getAttribute('role') !== 'none'; }).length;"
    )
    assert footers == 1
    box = dash_duo.find_element(f"#{ids.FIGURE_BOX}")
    assert box.get_attribute("aria-label")
    assert box.find_elements("css selector", ".js-plotly-plot")
    # Every radio and checkbox group has a name.
    unnamed = driver.execute_script(
        """
        return Array.from(document.querySelectorAll('input[type=radio], input[type=checkbox]')).filter(function (input) {
            var group = input.closest('[role=radiogroup], [role=group]');
            return !group || !(group.getAttribute('aria-label') || group.getAttribute('aria-labelledby'));
        }).map(function (input) { return input.name || input.value; });
        """
    )
    assert unnamed == []
    skip = dash_duo.find_element(f"#{ids.SKIP_LINK}")
    assert skip.get_attribute("href").endswith(f"#{ids.FIGURE_AREA}")
    # The figure in words, in a live region, changes with the step.
    live = dash_duo.find_element(f"#{ids.FIGURE_DESCRIPTION}")
    assert live.get_attribute("aria-live") == "polite"
    WebDriverWait(driver, 10).until(lambda d: steps[0].caption in live.get_attribute("textContent"))
    first = live.get_attribute("textContent")
    assert "Step 1 of" in first
    next_step(dash_duo, len(steps) - 1)
    WebDriverWait(driver, 10).until(lambda d: steps[-1].caption in live.get_attribute("textContent"))
    last = live.get_attribute("textContent")
    assert last != first and f"Step {len(steps)} of {len(steps)}" in last
    assert "T10" in last and "flank" in last.lower()
    assert dash_duo.get_logs() == []


def test_pm107_language_sets_html_lang(dash_duo, tmp_path):
    # A dataset that offers the language: a view asks only for a language the dataset has
    # (the bundled one is English only, so ?lang=de is an English page).
    dash_duo.start_server(create_app(tiny_dataset(tmp_path)))
    dash_duo.driver.get(dash_duo.server_url + "/?organ=pump&lang=es")
    figure_ready(dash_duo)
    WebDriverWait(dash_duo.driver, 10).until(
        lambda d: d.execute_script("return document.documentElement.lang;") == "es"
    )
    assert dash_duo.get_logs() == []


def test_pm108_focus_is_visible(dash_duo):
    start(dash_duo, "?organ=kidney")
    ActionChains(dash_duo.driver).send_keys(Keys.TAB).perform()
    active = dash_duo.driver.switch_to.active_element
    assert active.get_attribute("id") == ids.SKIP_LINK
    assert active.is_displayed()
    button = dash_duo.find_element(f"#{ids.STEP_PLAY}")
    dash_duo.driver.execute_script("arguments[0].focus();", button)
    outline = dash_duo.driver.execute_script("return getComputedStyle(arguments[0]).outlineWidth;", button)
    assert outline == "3px"
    assert dash_duo.get_logs() == []


def test_pm109_resize_lays_the_figure_out_again(dash_duo):
    start(dash_duo, "?organ=kidney")
    driver = dash_duo.driver
    before = driver.execute_script(GRAPH_JS + "return [gd._fullLayout.width, gd.layout.height, gd.layout];")
    driver.set_window_size(1000, 1000)
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script(GRAPH_JS + "return gd.layout !== arguments[0];", before[2])
    )
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script(GRAPH_JS + "return gd._fullLayout.width;") != before[0]
    )
    after = driver.execute_script(GRAPH_JS + "return [gd._fullLayout.width, gd.layout.height];")
    assert after[0] < before[0]
    assert dash_duo.get_logs() == []


def test_pm110_no_request_while_playing(dash_duo, bundled):
    steps = kidney_steps(bundled)
    start(dash_duo, "?organ=kidney&speed=2")
    wait_for_step(dash_duo, 0)
    time.sleep(1)  # the first figure's own requests are done
    driver = dash_duo.driver
    before = driver.execute_script("return performance.getEntriesByType('resource').length;")
    url = driver.current_url
    dash_duo.find_element(f"#{ids.STEP_PLAY}").click()
    WebDriverWait(driver, 20).until(lambda d: current_step(dash_duo) >= 3)
    during = driver.execute_script(
        "return performance.getEntriesByType('resource').slice(arguments[0]).map(function (e) { return e.name; });", before
    )
    assert during == [], "no request while the animation plays"
    assert driver.current_url == url, "the address bar waits for a pause"
    dash_duo.find_element(f"#{ids.STEP_PAUSE}").click()
    WebDriverWait(driver, 10).until(lambda d: f"step={current_step(dash_duo)}" in d.current_url)
    assert 3 <= current_step(dash_duo) < len(steps)
    assert dash_duo.get_logs() == []


def test_pm111_dash_widgets_are_wrapped_for_screen_readers(dash_duo):
    """What axe-core reported on Dash 4's own widgets (nested-interactive, an unnamed listbox,
    aria-hidden-focus) is wrapped in the browser; axe itself is not a test dependency here."""
    start(dash_duo, "?organ=kidney")
    driver = dash_duo.driver
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script(
            "return document.querySelectorAll('.dash-radioitems[role], .dash-checklist[role], "
            ".dash-radioitems > [role=option], .dash-dropdown-focus-target[aria-hidden]').length;"
        )
        == 0
    )
    names = driver.execute_script(
        """
        return Array.from(document.querySelectorAll('.dash-dropdown-focus-target')).map(function (t) {
            return [t.getAttribute('role'), (t.getAttribute('aria-labelledby') || '').trim().split(' ').map(function (id) {
                var el = document.getElementById(id); return el ? el.textContent : '';
            }).join(' ')];
        });
        """
    )
    assert names and all(role == "combobox" and label.strip() for role, label in names)
    assert any(label.startswith("Organ") and "Kidney" in label for _, label in names)
    # The widgets still work: a choice made after the wrapping reaches the page.
    choose(dash_duo, f"#{ids.COMPARE}", "Bladder")
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "share")
    dash_duo.find_element(f"#{ids.ANATOMY} input[value=lateral]").click()
    WebDriverWait(driver, 10).until(lambda d: "anatomy=lateral" in d.current_url or "anatomy=side" in d.current_url)
    assert dash_duo.get_logs() == []


def test_pm112_speed_change_while_playing_goes_on_from_the_step(dash_duo, bundled):
    steps = kidney_steps(bundled)
    start(dash_duo, "?organ=kidney")
    dash_duo.find_element(f"#{ids.STEP_PLAY}").click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: current_step(dash_duo) >= 1)
    reached = current_step(dash_duo)
    dash_duo.find_element(f"#{ids.SPEED} input[value='2']").click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "speed=2" in d.current_url or current_step(dash_duo) > reached)
    assert current_step(dash_duo) >= reached, "the new figure does not send the player back"
    WebDriverWait(dash_duo.driver, 30).until(lambda d: current_step(dash_duo) == len(steps) - 1)
    assert dash_duo.get_logs() == []


def test_pm113_a_step_pressed_while_a_new_figure_is_on_its_way_is_not_lost(dash_duo):
    """The page asks for a figure of another size (a resize, patient mode's narrower column) and
    the user presses Next before it comes: Dash holds the press until the figure arrives and
    reports both at once. The press applies to the new figure."""
    start(dash_duo, "?organ=kidney")
    wait_for_step(dash_duo, 0)
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: d.execute_script(GRAPH_JS + "return !!(gd && gd._painmapBound);")
    )
    width = dash_duo.driver.execute_script(GRAPH_JS + "return gd.layout.meta.width;")
    dash_duo.driver.execute_script(
        "window.dash_clientside.set_props('viewport', {data: {width: 1280, height: 800, graph: 700, embed: false}});"
        "document.getElementById('step-forward').click();"
    )
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: d.execute_script(GRAPH_JS + "return gd.layout.meta.width;") != width, "the new figure came"
    )
    wait_for_step(dash_duo, 1)
    time.sleep(1)  # anything still on its way has arrived
    assert current_step(dash_duo) == 1 and figure_step(dash_duo) == 1
    assert dash_duo.get_logs() == []


def test_pm114_the_step_slider_takes_the_player_to_a_step(dash_duo, bundled):
    """A click on the step slider under the picture (its step number "5") takes the player there,
    as Next does: the steps list, the slider and the address all say step 4 (counted from 0), and the
    figure draws that step: the signal's trail, sent as its new points at steps 2 to 4 (page.grown_part),
    is made whole again exactly as the figure builders draw it, placed where the scene drew its panel
    (the graph that animates draws in one panel over the scene's: assets/still.js, onePanel)."""
    from painmap import figures
    from painmap.app.page import coarse

    state = ViewState(organ="uterus").canonical(bundled)
    layer = figures.route_layer(bundled, state, "wide", 1240)
    trail = next(i for i, t in enumerate(layer["data"]) if t["name"] == "signal-trail")
    drawn_at = {}
    for k, frame in enumerate(layer["frames"]):
        for t, entry in zip(frame["traces"], frame["data"]):
            if t == trail:
                drawn_at[k] = [coarse(v) for v in entry["x"]]
    start(dash_duo, "?organ=uterus")
    wait_for_step(dash_duo, 0)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.execute_script(GRAPH_JS + "return !!(gd && gd._painmapBound);"))
    number = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#step-slider .step-numbers span')).find(function (t) { return t.textContent === '5'; });"
    )
    ActionChains(dash_duo.driver).move_to_element(number).click().perform()
    wait_for_step(dash_duo, 4)
    WebDriverWait(dash_duo.driver, 10).until(lambda d: "step=4" in d.current_url)
    assert figure_step(dash_duo) == 4
    assert dash_duo.driver.execute_script(
        GRAPH_JS + "return Object.keys(gd._fullLayout).filter(function (k) { return /^[xy]axis/.test(k); }).sort().join();"
    ) == "xaxis,yaxis", "the graph that animates draws in one panel"
    panel = "xaxis" + layer["data"][trail]["xaxis"][1:]
    WebDriverWait(dash_duo.driver, 10).until(
        lambda d: d.execute_script(
            GRAPH_JS + """
            var t = gd._fullData.find(function (t) { return t.name === 'signal-trail'; });
            var full = document.querySelector('#graph-scene .js-plotly-plot')._fullLayout, xa = full[arguments[1]];
            var want = arguments[0].map(function (v) { return xa._offset + xa.l2p(v) - full._size.l; });
            return t.x.length === want.length && t.x.every(function (x, i) { return Math.abs(x - want[i]) < 0.02; });
            """,
            drawn_at[4], panel,
        ),
        "the trail drawn at step 4 is the figure's",
    )
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize("route", ["uterosacral-ligament-pull", "midgut-appendix"])
def test_pm115_a_route_with_a_strain_or_a_somatic_phase_plays_to_its_end_without_an_error(dash_duo, bundled, route):
    """A strained structure and a zone felt directly are shaded fills that appear at a step.
    plotly.js throws when an animation step redraws a patterned fill, so playing these routes
    raised page errors and left steps half drawn; they now play to the end with none."""
    organ = bundled.route[route].organ
    last = len(animation_steps(bundled, bundled.route[route])) - 1
    start(dash_duo, f"?organ={organ}&route={route}&speed=2")
    wait_for_step(dash_duo, 0)
    dash_duo.find_element(f"#{ids.STEP_PLAY}").click()
    wait_for_step(dash_duo, last, timeout=60)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: f"step={last}" in d.current_url)
    assert figure_step(dash_duo) == last
    assert dash_duo.get_logs() == []


def test_pm117_the_step_slider_is_a_named_range_the_keys_move_shown_only_where_there_is_a_story(dash_duo):
    """The step slider under the picture: a range input named for screen readers, which the
    arrow keys move a step at a time (the page follows: steps list, address); none on the
    landing page, where nothing plays, and none in the embed, whose figure keeps no room for it."""
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.execute_script(GRAPH_JS + "return !!(gd && gd._painmapBound);"))
    assert not dash_duo.find_element(f"#{ids.STEP_SLIDER}").is_displayed()
    dash_duo.driver.get(dash_duo.server_url + "/?organ=kidney")
    wait_for_step(dash_duo, 0)
    slider = dash_duo.find_element(f"#{ids.STEP_SLIDER} input[type=range]")
    WebDriverWait(dash_duo.driver, 10).until(lambda d: slider.is_displayed())
    assert slider.get_attribute("aria-label") == "Step"
    assert slider.get_attribute("aria-valuetext").startswith("Step 1 of ")
    slider.send_keys(Keys.ARROW_RIGHT)
    wait_for_step(dash_duo, 1)
    WebDriverWait(dash_duo.driver, 10).until(lambda d: "step=1" in d.current_url)
    assert figure_step(dash_duo) == 1 and slider.get_attribute("aria-valuetext").startswith("Step 2 of ")
    dash_duo.driver.get(dash_duo.server_url + "/embed?organ=kidney")
    wait_for_step(dash_duo, 0)
    assert not dash_duo.find_element(f"#{ids.STEP_SLIDER}").is_displayed()
    assert dash_duo.get_logs() == []
