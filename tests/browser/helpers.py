"""What a user sees, read from the page: texts, and the drawn figure's traces."""

from __future__ import annotations

import json

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

GRAPH_JS = "var gd = document.querySelector('#graph .js-plotly-plot');"
#: The figure is three graphs in one place: the static scene, the route's still drawing
#: (#graph-still) and what the animation moves (#graph, with the frames and the slider).
#: ``gds`` lists them bottom first, so their traces read in the order the figure draws them.
GRAPH_IDS = ("#graph-scene", "#graph-still", "#graph")
GRAPHS_JS = (
    "var gds = %s.map(function (s) { return document.querySelector(s + ' .js-plotly-plot'); })"
    ".filter(function (g) { return !!g; });" % json.dumps(list(GRAPH_IDS))
)
#: Every graph's SVG texts (labels, caption, annotations), bottom graph first.
SVG_TEXTS_SELECTOR = ", ".join(f"{graph} svg text" for graph in GRAPH_IDS)


def traces_named(dash_duo, prefix: str) -> list[dict]:
    """The figure's drawn traces whose name starts with ``prefix`` (x, y, name, customdata, meta).

    The route layer carries no customdata or hover text (the pointer goes through it to the
    scene): what it lights is in its ``meta``."""
    script = GRAPHS_JS + """
        var data = [];
        gds.forEach(function (gd) { data = data.concat(gd.data || []); });
        return JSON.stringify(data.filter(function (t) { return (t.name || '').indexOf(arguments[0]) === 0; })
            .map(function (t) { return {name: t.name, x: t.x, y: t.y, visible: t.visible, text: t.text,
                                         customdata: t.customdata, fillcolor: t.fillcolor, opacity: t.opacity,
                                         meta: t.meta}; }));
    """.replace("arguments[0]", json.dumps(prefix))
    return json.loads(dash_duo.driver.execute_script(script))


def figure_ready(dash_duo, timeout: float = 20) -> None:
    """Wait until the route's two graphs have drawn a figure from the server (its meta)."""
    WebDriverWait(dash_duo.driver, timeout).until(
        lambda d: d.execute_script(
            "return ['#graph', '#graph-still'].every(function (s) { var gd = document.querySelector(s + ' .js-plotly-plot');"
            " return !!(gd && gd._fullLayout && gd.layout && gd.layout.meta); });"
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
    """All text drawn inside the figure's SVG (labels, caption, annotations): all three graphs."""
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
    (whichever of the two graphs draws the trace; the click lands on whatever is on top there)."""
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: d.execute_script(
            GRAPHS_JS + "return gds.some(function (gd) { return (gd._fullData || []).some(function (t) { return t.name === arguments[0]; }); });"
            .replace("arguments[0]", json.dumps(trace_name))
        )
    )
    graph = dash_duo.driver.execute_script(
        GRAPHS_JS + "return gds.find(function (gd) { return (gd._fullData || []).some(function (t) { return t.name === arguments[0]; }); });"
        .replace("arguments[0]", json.dumps(trace_name))
    )
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", graph)
    offset = dash_duo.driver.execute_script(
        """
        var gd = arguments[0], name = arguments[1];
        var t = gd._fullData.find(function (t) { return t.name === name; });
        var xa = gd._fullLayout[t.xaxis.replace('x', 'xaxis')], ya = gd._fullLayout[t.yaxis.replace('y', 'yaxis')];
        return [xa._offset + xa.l2p(arguments[2]), ya._offset + ya.l2p(arguments[3])];
        """,
        graph, trace_name, x, y,
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
    """The step the figure's own slider is at (plotly moves it with each animated frame)."""
    return dash_duo.driver.execute_script(
        GRAPH_JS + "var s = gd._fullLayout.sliders && gd._fullLayout.sliders[0]; return s ? s.active : -1;"
    )


def press(dash_duo, key: str) -> None:
    """Press ``key`` where the focus is, as a user would."""
    ActionChains(dash_duo.driver).send_keys(key).perform()
