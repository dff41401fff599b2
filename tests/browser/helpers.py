"""What a user sees, read from the page: texts, and the drawn figure's traces."""

from __future__ import annotations

import json

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

GRAPH_JS = "var gd = document.querySelector('#graph .js-plotly-plot');"
#: The figure is three layers in one place: the static scene (a plotly graph), the route's
#: still drawing (#graph-still, drawn by the page as SVG: assets/still.js) and what the
#: animation moves (#graph, a plotly graph with the frames). ``figures`` lists
#: the figure each draws ({data, layout}), bottom first, so their traces read in the order the
#: figure draws them; a still trace's opacity is the one the page's reveal gave its drawing.
GRAPH_IDS = ("#graph-scene", "#graph-still", "#graph")
FIGURES_JS = """
function stillAsDrawn(box) {
  var figure = box.painmapDrawn;
  if (!figure || !Array.isArray(figure.data)) { return null; }
  return {layout: figure.layout, data: figure.data.map(function (t, i) {
    var g = box.querySelector('svg.still-layer g.trace[data-trace="' + i + '"]');
    return g && g.style.opacity !== '' ? Object.assign({}, t, {opacity: parseFloat(g.style.opacity)}) : t;
  })};
}
var figures = [document.querySelector('#graph-scene .js-plotly-plot'), document.getElementById('graph-still'),
               document.querySelector('#graph .js-plotly-plot')].map(function (g, k) {
  var figure = !g ? null : k === 1 ? stillAsDrawn(g) : {data: g.data, layout: g.layout};
  return figure && Array.isArray(figure.data) ? figure : null;
}).filter(function (f) { return !!f; });
"""
#: Every layer's SVG texts (labels, caption, annotations), bottom layer first.
SVG_TEXTS_SELECTOR = ", ".join(f"{graph} svg text" for graph in GRAPH_IDS)
#: True once the route's still drawing shows the route the graph that animates shows.
STILL_DRAWN_JS = """
var layer = document.querySelector('#graph .js-plotly-plot'), still = document.getElementById('graph-still');
var drawn = still && still.painmapDrawn, meta = layer && layer.layout && layer.layout.meta;
return !!(drawn && drawn.layout && drawn.layout.meta && meta && drawn.layout.meta.route === meta.route
          && still.querySelector('svg.still-layer'));
"""


def traces_named(dash_duo, prefix: str) -> list[dict]:
    """The figure's drawn traces whose name starts with ``prefix`` (x, y, name, customdata, meta).

    The route layer carries no customdata or hover text (the pointer goes through it to the
    scene): what it lights is in its ``meta``."""
    script = FIGURES_JS + """
        var data = [];
        figures.forEach(function (figure) { data = data.concat(figure.data || []); });
        return JSON.stringify(data.filter(function (t) { return (t.name || '').indexOf(arguments[0]) === 0; })
            .map(function (t) { return {name: t.name, x: t.x, y: t.y, visible: t.visible, text: t.text,
                                         customdata: t.customdata, fillcolor: t.fillcolor, opacity: t.opacity,
                                         meta: t.meta}; }));
    """.replace("arguments[0]", json.dumps(prefix))
    return json.loads(dash_duo.driver.execute_script(script))


def figure_ready(dash_duo, timeout: float = 20) -> None:
    """Wait until the route layer has drawn a figure from the server (its meta): the graph that
    animates, and the still drawing of the same route under it."""
    WebDriverWait(dash_duo.driver, timeout).until(
        lambda d: d.execute_script(
            "var gd = document.querySelector('#graph .js-plotly-plot');"
            " if (!(gd && gd._fullLayout && gd.layout && gd.layout.meta)) { return false; }" + STILL_DRAWN_JS
        )
    )


def scene_ready(dash_duo, timeout: float = 20) -> None:
    """Wait until the static scene under the figure has drawn its traces too."""
    WebDriverWait(dash_duo.driver, timeout).until(
        lambda d: d.execute_script(
            "var gd = document.querySelector('#graph-scene .js-plotly-plot'); return !!(gd && gd.data && gd.data.length > 0);"
        )
    )


def frame_count(dash_duo) -> int:
    return dash_duo.driver.execute_script(
        GRAPH_JS + "return (gd && gd._transitionData && gd._transitionData._frames) ? gd._transitionData._frames.length : 0;"
    )


def svg_texts(dash_duo) -> str:
    """All text drawn inside the figure's SVG (labels, caption, annotations): all three layers."""
    return dash_duo.driver.execute_script(
        f"return Array.from(document.querySelectorAll('{SVG_TEXTS_SELECTOR}'))"
        ".map(function (t) { return t.textContent; }).join('\\n');"
    )


def wait_for_text(dash_duo, selector: str, fragment: str, timeout: float = 20) -> None:
    dash_duo.wait_for_contains_text(selector, fragment, timeout=timeout)


def choose(dash_duo, selector: str, label: str) -> None:
    """Pick ``label`` in a Dash 4 dropdown, as a user would."""
    dash_duo.select_dcc_dropdown(selector, value=label)


def click_figure_at(dash_duo, trace_name: str, x: float, y: float) -> None:
    """Click the figure where the trace ``trace_name`` draws data point (x, y), as a user would
    (whichever layer draws the trace; the click lands on whatever is on top there). Every layer
    has the scene's panels: the place is the scene's."""
    find = FIGURES_JS + """
        var named = null;
        figures.forEach(function (f) { (f.data || []).forEach(function (t) { if (t.name === arguments[0]) { named = t; } }); });
    """.replace("arguments[0]", json.dumps(trace_name))
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.execute_script(find + "return !!named;"))
    graph = dash_duo.driver.execute_script("return document.querySelector('#graph-scene .js-plotly-plot');")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", graph)
    offset = dash_duo.driver.execute_script(
        find + """
        var gd = document.querySelector('#graph-scene .js-plotly-plot');
        var xa = gd._fullLayout[(named.xaxis || 'x').replace('x', 'xaxis')], ya = gd._fullLayout[(named.yaxis || 'y').replace('y', 'yaxis')];
        return [xa._offset + xa.l2p(arguments[0]), ya._offset + ya.l2p(arguments[1])];
        """,
        x, y,
    )
    # dash[testing] pins selenium 4.2, whose offsets count from the element's top-left corner.
    ActionChains(dash_duo.driver).move_to_element_with_offset(graph, int(offset[0]), int(offset[1])).click().perform()


def current_step(dash_duo) -> int:
    """The step the page shows: the steps list's current item (-1 when there is none)."""
    found = dash_duo.driver.execute_script(
        "var li = document.querySelector('#steps-list li.current'); return li ? li.getAttribute('data-step') : null;"
    )
    return int(found) if found is not None else -1


def wait_for_step(dash_duo, step: int, timeout: float = 20) -> None:
    WebDriverWait(dash_duo.driver, timeout).until(lambda d: current_step(dash_duo) == step)


def figure_step(dash_duo) -> int:
    """The step the step slider under the picture is at (the page moves it with each step shown)."""
    return dash_duo.driver.execute_script(
        "var input = document.querySelector('#step-slider input[type=range]'); return input ? parseInt(input.value, 10) : -1;"
    )


def press(dash_duo, key: str) -> None:
    """Press ``key`` where the focus is, as a user would."""
    ActionChains(dash_duo.driver).send_keys(key).perform()
