"""Interactions that feel instant: the scene is drawn once per page, a choice redraws the route.

What a user sees (the route lit, clicks that work) and what the page promises (the scene's
outlines neither re-sent nor redrawn by a choice; playback through sparse frames ends where
a jump to the last step lands). Timings are in bench/interaction.py, never here.
"""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app, ids
from painmap.figures import names
from tests.browser.helpers import (
    GRAPH_JS,
    choose,
    click_figure_at,
    figure_ready,
    figure_step,
    frame_count,
    scene_ready,
    traces_named,
    wait_for_step,
)

pytestmark = pytest.mark.browser

# Counts the scene graph's redraws, and keeps the text of every callback answer.
WATCH_JS = """
var scene = document.querySelector('#graph-scene .js-plotly-plot');
window.__sceneDraws = 0;
scene.on('plotly_afterplot', function () { window.__sceneDraws += 1; });
window.__answers = [];
if (!window.__fetchWrapped) {
  window.__fetchWrapped = true;
  var original = window.fetch;
  window.fetch = function (url, options) {
    return original.apply(this, arguments).then(function (response) {
      if (String(url).indexOf('_dash-update-component') >= 0) {
        response.clone().text().then(function (text) { window.__answers.push(text); });
      }
      return response;
    });
  };
}
"""


def answers(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script("return window.__answers;")


def test_pm160_choosing_an_organ_lights_its_route_without_redrawing_the_scene(dash_duo):
    dash_duo.start_server(create_app())
    figure_ready(dash_duo)
    scene_ready(dash_duo)
    dash_duo.driver.execute_script(WATCH_JS)
    # The page settles first (its size, the fonts): a redraw for a new size is no choice's doing.
    dash_duo.driver.execute_script("return new Promise(function (done) { setTimeout(done, 1500); });")
    dash_duo.driver.execute_script("window.__sceneDraws = 0;")
    choose(dash_duo, f"#{ids.ORGAN}", "Kidney and ureter")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: traces_named(dash_duo, names.SEGMENT_LIT))
    WebDriverWait(dash_duo.driver, 20).until(lambda d: answers(dash_duo))
    lit = traces_named(dash_duo, names.SEGMENT_LIT)[0]
    assert lit["x"], "the kidney's segments are drawn in the route layer"
    assert frame_count(dash_duo) > 1, "its animation came with it"
    sent = "\n".join(answers(dash_duo))
    assert '"graph-scene"' not in sent, "the scene is not sent again"
    for scene_trace in (names.PART_HANDLES, names.DERMATOME_HANDLES):
        assert scene_trace not in sent, f"the scene's {scene_trace} came again"
    assert dash_duo.driver.execute_script("return window.__sceneDraws;") == 0, "the scene was not redrawn"
    assert dash_duo.get_logs() == []


def test_pm161_the_scene_under_the_route_still_answers_clicks(dash_duo):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?organ=kidney")
    figure_ready(dash_duo)
    scene_ready(dash_duo)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: traces_named(dash_duo, names.SEGMENT_LIT))
    zone = traces_named(dash_duo, names.zone_trace("flank", "back"))[0]
    xs, ys = [x for x in zone["x"] if x is not None], [y for y in zone["y"] if y is not None]
    click_figure_at(dash_duo, zone["name"], sum(xs) / len(xs), sum(ys) / len(ys))
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "zone=flank" in d.current_url)
    assert dash_duo.get_logs() == []


#: The route layer (the still drawing, then the graph that animates): each trace's data and
#: how opaque its drawn group is on screen.
STATE_JS = """
var still = document.getElementById('graph-still'), drawn = {};
still.querySelectorAll('svg.still-layer g.trace').forEach(function (g) {
  drawn[g.getAttribute('data-trace')] = Math.round(100 * parseFloat(getComputedStyle(g).opacity));
});
var stillState = still.painmapDrawn.data.map(function (t, i) { return [t.name, t.x, t.y, t.text, t.visible, drawn[String(i)]]; });
var gd = document.querySelector('#graph .js-plotly-plot'), moving = {};
gd.querySelectorAll('.cartesianlayer g.trace.scatter').forEach(function (g) {
  var cd = g.__data__, trace = cd && cd[0] && cd[0].trace;
  if (trace) { moving[trace.index] = Math.round(100 * parseFloat(getComputedStyle(g).opacity)); }
});
return JSON.stringify([stillState, gd.data.map(function (t, i) {
  return [t.name, t.x, t.y, t.text, t.opacity === undefined ? 1 : t.opacity, t.visible, moving[i]];
})]);
"""


def test_pm162_playback_ends_where_a_jump_to_the_last_step_lands(dash_duo):
    """The player plays sparse frames (only what a step changes, the reveal drawn by the page):
    the figure it ends with, as data and as drawn, is the figure of the last step."""
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?organ=uterus&speed=2")
    figure_ready(dash_duo)
    last = frame_count(dash_duo) - 1
    dash_duo.find_element(f"#{ids.STEP_PLAY}").click()
    wait_for_step(dash_duo, last, timeout=60)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: figure_step(dash_duo) == last)
    dash_duo.driver.execute_script("return new Promise(function (done) { setTimeout(done, 1500); });")
    played = json.loads(dash_duo.driver.execute_script(STATE_JS))
    dash_duo.driver.execute_script(
        GRAPH_JS + "return Plotly.animate(gd, [arguments[0]], {mode: 'immediate', frame: {duration: 0, redraw: false},"
        " transition: {duration: 0}}).then(function () { return true; });",
        str(last),
    )
    jumped = json.loads(dash_duo.driver.execute_script(STATE_JS))
    assert played == jumped
    assert dash_duo.get_logs() == []


# Catches what the page downloads (a link it clicks) instead of saving it.
CATCH_DOWNLOADS_JS = """
window.__saved = [];
HTMLAnchorElement.prototype.click = function () { window.__saved.push([this.download, this.href]); };
"""

# Size, share of opaque pixels and strongly coloured pixels of the saved PNG and of the scene alone.
SAVED_PIXELS_JS = """
var done = arguments[arguments.length - 1];
var scene = document.querySelector('#graph-scene .js-plotly-plot');
function pixels(src) {
  return new Promise(function (resolve) {
    var img = new Image();
    img.onload = function () {
      var c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
      var x = c.getContext('2d'); x.drawImage(img, 0, 0);
      var d = x.getImageData(0, 0, c.width, c.height).data, opaque = 0, strong = 0;
      for (var i = 0; i < d.length; i += 4) {
        var hi = Math.max(d[i], d[i + 1], d[i + 2]), lo = Math.min(d[i], d[i + 1], d[i + 2]);
        if (d[i + 3] === 255) { opaque++; }
        if (d[i + 3] > 200 && hi > 90 && hi - lo > 0.45 * hi) { strong++; }
      }
      resolve({w: c.width, h: c.height, opaque: opaque / (d.length / 4), strong: strong});
    };
    img.src = src;
  });
}
Plotly.toImage(scene, {format: 'png', width: scene._fullLayout.width, height: scene._fullLayout.height})
  .then(function (alone) { return Promise.all([pixels(window.__saved[0][1]), pixels(alone)]); })
  .then(function (found) { done(JSON.stringify(found)); });
"""


def test_pm163_the_mode_bar_saves_the_scene_and_the_route_together(dash_duo):
    """Over the figure the mode bar shows and takes the pointer (the layer under it lets the
    pointer through); it offers only the download, and the PNG it saves holds the anatomy and
    the lit route, not the transparent route layer alone."""
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?organ=kidney")
    figure_ready(dash_duo)
    scene_ready(dash_duo)
    ActionChains(dash_duo.driver).move_to_element(dash_duo.find_element("#figure-box")).perform()
    buttons = dash_duo.driver.find_elements("css selector", "#graph .modebar-btn")
    assert len(buttons) == 1
    reachable = dash_duo.driver.execute_script(
        "var b = arguments[0], r = b.getBoundingClientRect();"
        "var hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
        "return [getComputedStyle(b.closest('.modebar-group')).opacity, !!hit && b.contains(hit)];",
        buttons[0],
    )
    assert reachable == ["1", True]
    dash_duo.driver.execute_script(CATCH_DOWNLOADS_JS)
    ActionChains(dash_duo.driver).move_to_element(buttons[0]).click().perform()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.execute_script("return window.__saved.length;") == 1)
    name = dash_duo.driver.execute_script("return window.__saved[0][0];")
    assert name.startswith("painmap-") and name.endswith(".png")
    saved, scene_alone = json.loads(dash_duo.driver.execute_async_script(SAVED_PIXELS_JS))
    size = dash_duo.driver.execute_script(GRAPH_JS + "return [gd._fullLayout.width, gd._fullLayout.height];")
    assert [saved["w"], saved["h"]] == size
    assert saved["opaque"] == 1.0  # the scene's paper under the transparent layer
    assert saved["strong"] > 1.2 * scene_alone["strong"]  # the lit route over the anatomy
    assert dash_duo.get_logs() == []
