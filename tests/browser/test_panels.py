"""The text panels beside the figure, drawn by the page from compact data (app/wire.py,
assets/panels.js): what a user reads after a choice, and a dataset's words shown as written."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app.factory import create_app
from painmap.loader import load
from tests.browser.helpers import figure_ready, wait_for_text
from tests.unit.tiny import TINY_YAML

PANELS_JS = """
function words(sel) { var el = document.querySelector(sel); return el ? el.textContent : ''; }
return {
  flags: Array.from(document.querySelectorAll('#red-flag-list > li')).map(function (li) { return li.getAttribute('data-flag'); }),
  urgent: Array.from(document.querySelectorAll('#red-flag-list > li .urgency')).length,
  heading: words('#selection-summary h3'),
  steps: document.querySelectorAll('#steps-list > li').length,
  current: Array.from(document.querySelectorAll('#steps-list > li.current')).map(function (li) { return li.getAttribute('data-step'); }),
  sources: Array.from(document.querySelectorAll('#sources-panel li[data-source]')).map(function (li) { return li.getAttribute('data-source'); }),
  downloads: Array.from(document.querySelectorAll('#download-links a')).map(function (a) { return a.getAttribute('href'); }),
  cite: words('#cite'),
  webLinks: Array.from(document.querySelectorAll('#sources-panel a[href^="http"]')).map(function (a) {
    return [a.getAttribute('target'), a.getAttribute('rel')].join(' '); }),
  frames: (function () {
    var gd = document.querySelector('#graph .js-plotly-plot');
    var all = (gd && gd._transitionData && gd._transitionData._frames) || [];
    return all.filter(function (f) { return /^[0-9]+$/.test(String(f.name)); }).length;
  })()
};
"""


def pick(dash_duo, selector: str, label: str) -> None:
    """Choose ``label`` as a user of a long list does: open the picker, type, click the match."""
    dash_duo.driver.execute_script(f"document.querySelector('{selector}').scrollIntoView({{block: 'center'}});")
    dash_duo.find_element(selector).click()
    dash_duo.find_element(".dash-dropdown-search").send_keys(label)
    WebDriverWait(dash_duo.driver, 10).until(
        lambda d: [o for o in d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option") if o.text == label]
    )[0].click()


def test_pm340_after_each_choice_the_panels_tell_that_organ_and_keep_every_red_flag(dash_duo, dataset):
    dash_duo.start_server(create_app(dataset))
    dash_duo.driver.get(dash_duo.server_url + "/?organ=kidney")
    figure_ready(dash_duo, 60)
    wait_for_text(dash_duo, "#selection-summary h3", "Kidney")
    every_flag = sorted(f.id for f in dataset.red_flags)
    kidney = dash_duo.driver.execute_script(PANELS_JS)
    assert sorted(kidney["flags"]) == every_flag and kidney["urgent"] == len(every_flag)
    assert kidney["flags"][0] == "obstructed-infected-kidney", "the kidney's emergencies come first"
    assert kidney["steps"] == kidney["frames"] > 0 and kidney["current"] == ["0"]
    assert "sckan-kidney-139" in kidney["sources"]
    assert kidney["webLinks"] and set(kidney["webLinks"]) == {"_blank noopener"}, "a source opens in a new tab, apart from the page"

    pick(dash_duo, "#organ-picker", "Uterus")
    wait_for_text(dash_duo, "#selection-summary h3", "Uterine pain")
    WebDriverWait(dash_duo.driver, 30).until(lambda d: d.execute_script(PANELS_JS)["flags"][0] == "possible-ectopic-pregnancy")
    uterus = dash_duo.driver.execute_script(PANELS_JS)
    assert sorted(uterus["flags"]) == every_flag, "every red flag stays on the page, reordered"
    uterine = {f.id for f in dataset.red_flags if "uterus" in f.organs}
    assert set(uterus["flags"][: len(uterine)]) == uterine, "the uterus's flags lead"
    assert uterus["steps"] == uterus["frames"] > 0 and uterus["current"] == ["0"]
    assert uterus["sources"] != kidney["sources"] and all("organ=uterus" in h for h in uterus["downloads"])
    assert "organ=uterus" in uterus["cite"]

    pick(dash_duo, "#zone-picker", "Flank and loin (costovertebral angle)")  # a zone: the summary lists what refers there, no steps
    wait_for_text(dash_duo, "#selection-summary h3", "Flank")
    zone = dash_duo.driver.execute_script(PANELS_JS)
    assert zone["steps"] == 0 and sorted(zone["flags"]) == every_flag
    assert dash_duo.get_logs() == []


def test_pm341_markup_in_a_dataset_is_shown_as_its_words_in_the_panels(dash_duo, tmp_path):
    trap = '<img src=x onerror="document.title=42"> A tiny <b>anatomy</b> book'
    (tmp_path / "tiny.yaml").write_text(
        TINY_YAML.replace("title: A tiny anatomy book", f"title: '{trap}'"), encoding="utf-8"
    )
    dash_duo.start_server(create_app(load(tmp_path)))
    dash_duo.driver.get(dash_duo.server_url + "/?organ=pump")
    figure_ready(dash_duo, 60)
    wait_for_text(dash_duo, "#sources-panel", "A tiny <b>anatomy</b> book")
    seen = dash_duo.driver.execute_script(
        "return {imgs: document.querySelectorAll('#sources-panel img, #selection-summary img').length,"
        " bold: document.querySelectorAll('#sources-panel b').length, title: document.title};"
    )
    assert seen["imgs"] == 0 and seen["bold"] == 0 and seen["title"] != "42", seen
    assert dash_duo.get_logs() == []


#: At each drawing of the animated graph: its route and the panels' words at that moment.
RECORD_AT_DRAW_JS = """
var gd = document.querySelector('#graph .js-plotly-plot');
window.__atDraw = [];
gd.on('plotly_afterplot', function () {
  var meta = (gd.layout && gd.layout.meta) || {};
  window.__atDraw.push({route: meta.route || null, panels: (function () { %s })()});
});
""" % PANELS_JS.replace("frames: (function", "unused: (function")


def without_step(value):
    """``value`` (a text or a list of them) with any ``step=N`` parameter of a link left out."""
    if isinstance(value, list):
        return [without_step(item) for item in value]
    return re.sub(r"[&?]step=[0-9]+", "", value) if isinstance(value, str) else value


def test_pm342_the_words_of_a_choice_are_on_the_page_when_its_figure_is_drawn(dash_duo, dataset):
    """The panels are drawn from the server's answer before the figure (Dash's request_post
    hook, assets/panels.js): when the new figure is drawn, the words beside it already tell
    that organ, exactly as they read once everything has settled, including the red flags,
    which a choice sends as their new order alone."""
    dash_duo.start_server(create_app(dataset))
    dash_duo.driver.get(dash_duo.server_url + "/?organ=kidney")
    figure_ready(dash_duo, 60)
    wait_for_text(dash_duo, "#selection-summary h3", "Kidney")
    for label, heading in (("Uterus", "Uterine pain"), ("Bladder", "Bladder")):
        dash_duo.driver.execute_script(RECORD_AT_DRAW_JS)
        pick(dash_duo, "#organ-picker", label)
        wait_for_text(dash_duo, "#selection-summary h3", heading)
        drawn = WebDriverWait(dash_duo.driver, 30).until(
            lambda d: [r for r in d.execute_script("return window.__atDraw;") if r["route"]]
        )[0]
        dash_duo.driver.execute_script("return new Promise(function (done) { setTimeout(done, 1000); });")
        settled = dash_duo.driver.execute_script(PANELS_JS)
        assert heading in drawn["panels"]["heading"], (label, drawn["panels"]["heading"])
        # (the download links and the citation are the server's too, but the player then adds
        # its step to them: they are compared without it)
        for key in ("heading", "flags", "steps", "sources", "downloads", "cite"):
            assert without_step(drawn["panels"][key]) == without_step(settled[key]), (label, key)
    assert dash_duo.get_logs() == []


WHY_JS = """
var section = document.querySelector('.panel.summary .mechanisms');
var shown = Array.from(document.querySelectorAll('#mechanism-list > li')).map(function (li) { return li.getAttribute('data-mechanism'); });
var links = Array.from(document.querySelectorAll('#steps-list a.why')).map(function (a) {
  var target = document.querySelector(a.getAttribute('href'));
  return !!(target && target.closest('#mechanism-list') && target.getBoundingClientRect().height > 0);
});
return {visible: !!(section && section.getBoundingClientRect().height > 0), shown: shown, links: links};
"""


def test_pm343_why_a_pain_is_felt_there_shows_the_routes_mechanisms_and_the_steps_link_to_them(dash_duo, dataset):
    """The page holds every mechanism and shows those that explain the route on screen, in
    the summary's card; each step's "Why?" goes to one of them; with no route, none shows."""
    from painmap import figures
    from painmap.app.page import mechanisms_on_screen
    from painmap.model import text
    from painmap.viewstate import ViewState

    dash_duo.start_server(create_app(dataset))
    dash_duo.driver.get(dash_duo.server_url + "/")
    figure_ready(dash_duo, 60)
    landing = dash_duo.driver.execute_script(WHY_JS)
    assert landing == {"visible": False, "shown": [], "links": []}
    for organ in ("kidney", "uterus"):
        pick(dash_duo, "#organ-picker", text(dataset.organ[organ].label))
        state = ViewState(organ=organ).canonical(dataset)
        route = dataset.route[figures.resolve_selection(dataset, state).route]
        wanted = mechanisms_on_screen(dataset, route, figures.animation_steps(dataset, route))
        WebDriverWait(dash_duo.driver, 30).until(lambda d: d.execute_script(WHY_JS)["shown"] == wanted)
        why = dash_duo.driver.execute_script(WHY_JS)
        assert why["visible"] and why["links"] and all(why["links"]), (organ, why)
    assert dash_duo.get_logs() == []
