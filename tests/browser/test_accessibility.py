"""What a keyboard user and a screen reader meet, checked in headless Chromium.

axe-core runs inside the dash_duo page (one browser stack, selenium's): its script is the
``axe.min.js`` shipped in the ``axe-playwright-python`` wheel, read from the installed
package and injected with ``execute_script``. Landmarks and names are read from Chromium's
own accessibility tree (what a screen reader is given), through the DevTools protocol.

Each test builds a fresh app and ends with no browser console errors.
"""

from __future__ import annotations

import json
import re
import urllib.request
from html.parser import HTMLParser
from importlib.util import find_spec
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app, ids
from painmap.app.layout import FIGURE_NAME
from tests.browser.helpers import choose, figure_ready

pytestmark = pytest.mark.browser

#: axe-core's own impact levels that fail a page.
FAILING = ("serious", "critical")


def axe_source() -> str:
    spec = find_spec("axe_playwright_python")
    assert spec is not None and spec.origin, "axe-playwright-python (the test extra) ships axe-core"
    return (Path(spec.origin).parent / "axe.min.js").read_text(encoding="utf-8")


AXE = axe_source()


def axe_violations(driver) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    driver.set_script_timeout(120)
    if not driver.execute_script("return !!window.axe;"):
        driver.execute_script(AXE)
    found = driver.execute_async_script(
        """
        var done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then(
            function (r) { done(JSON.stringify(r.violations)); },
            function (e) { done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])); });
        """
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "where": [n["target"] for n in v["nodes"]][:5]}
        for v in json.loads(found)
        if v["impact"] in FAILING
    ]


def settled(dash_duo, describes_a_step: bool) -> None:
    """The page has drawn its figure and answered every callback (Dash titles the page
    "Updating..." while one runs); a route's view has described its step in words."""
    figure_ready(dash_duo)
    driver = dash_duo.driver
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script(
            "return document.title.indexOf('Updating') < 0 && document.querySelectorAll('#%s li').length > 0;"
            % ids.RED_FLAGS
        )
    )
    if describes_a_step:
        WebDriverWait(driver, 20).until(
            lambda d: "Step " in (d.find_element("id", ids.FIGURE_DESCRIPTION).get_attribute("textContent") or "")
        )


def open_view(dash_duo, path: str) -> None:
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + path)
    settled(dash_duo, describes_a_step="organ=" in path)


#: The views the issue names: the landing page, organ views (one at a later step), a zone, the embed.
VIEWS = {
    "landing": "/",
    "organ": "/?organ=kidney",
    "organ-step": "/?organ=bladder&step=3",
    "zone": "/?zone=flank",
    "embed": "/embed?organ=kidney",
    "story": "/?story=kidney-infection",
}


@pytest.mark.parametrize("path", list(VIEWS.values()), ids=list(VIEWS))
def test_pm140_axe_finds_no_serious_violation(dash_duo, path):
    open_view(dash_duo, path)
    found = axe_violations(dash_duo.driver)
    assert not found, json.dumps(found, indent=1)
    assert dash_duo.get_logs() == []


def test_pm141_axe_on_a_phone(dash_duo):
    # Headless Chromium's windows are at least 500 px wide: emulate the phone's screen instead.
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
    )
    open_view(dash_duo, "/?organ=kidney")
    assert dash_duo.driver.execute_script("return window.innerWidth;") == 390
    assert axe_violations(dash_duo.driver) == []
    assert dash_duo.get_logs() == []


def test_pm142_an_open_dropdown_reads_as_a_named_choice_and_still_works(dash_duo):
    """Dash 4's open dropdown (a popover of options around native radios) is wrapped: axe
    finds nothing while it is open, and choosing from it still changes the view."""
    open_view(dash_duo, "/?organ=kidney")
    driver = dash_duo.driver
    dash_duo.find_element(f"#{ids.ORGAN}").click()
    dash_duo.wait_for_element(".dash-dropdown-content .dash-dropdown-option")
    WebDriverWait(driver, 10).until(
        lambda d: not d.execute_script("return document.querySelector('.dash-dropdown-option[role=option]');")
    )
    assert axe_violations(driver) == []
    # The keyboard focus is on the chosen organ's radio, named by its option and its field.
    tree = ax_nodes(driver)
    focused = [n for n in tree if role(n) != "RootWebArea" and any(
        p["name"] == "focused" and p["value"]["value"] for p in n.get("properties", []))]
    assert [(role(n), name(n)) for n in focused] == [("radio", "Kidney and ureter")]
    assert any(role(n) == "dialog" and name(n) == "Organ" for n in tree)
    # Choosing still works after the wrapping, with the keyboard (Bladder is three above)...
    for organ in ("gut", "uterus", "bladder"):
        ActionChains(driver).send_keys(Keys.ARROW_UP).perform()
        WebDriverWait(driver, 10).until(lambda d: d.switch_to.active_element.get_attribute("value") == organ)
    ActionChains(driver).send_keys(Keys.SPACE).perform()
    WebDriverWait(driver, 10).until(lambda d: "organ=bladder" in d.current_url)
    # ... and with the mouse.
    choose(dash_duo, f"#{ids.COMPARE}", "Kidney and ureter")
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "share")
    assert dash_duo.get_logs() == []


# --------------------------------------------------------------------------- what a screen reader is given


def ax_nodes(driver) -> list[dict]:
    """Chromium's accessibility tree, without the nodes it leaves out of it."""
    return [n for n in driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"] if not n.get("ignored")]


def role(node: dict) -> str:
    return (node.get("role") or {}).get("value", "")


def name(node: dict) -> str:
    return (node.get("name") or {}).get("value", "")


def description(node: dict) -> str:
    return (node.get("description") or {}).get("value", "")


class _Root(HTMLParser):
    """The attributes of the first <html> tag, and how many <footer> tags the page has."""

    def __init__(self) -> None:
        super().__init__()
        self.html: dict[str, str | None] | None = None
        self.footers = 0

    def handle_starttag(self, tag, attrs):
        if tag == "html" and self.html is None:
            self.html = dict(attrs)
        self.footers += tag == "footer"


def test_pm143_landmarks_names_and_language(dash_duo):
    open_view(dash_duo, "/?organ=kidney")
    # The server's own HTML, as a screen reader's browser gets it before any script runs.
    with urllib.request.urlopen(dash_duo.server_url + "/?organ=kidney", timeout=10) as reply:
        served = _Root()
        served.feed(reply.read().decode("utf-8"))
    assert served.html is not None and served.html.get("lang") == "en"
    assert served.footers == 0, "the page's only footer is its own (Dash's template wrapped its scripts in one)"

    tree = ax_nodes(dash_duo.driver)
    roles = [role(n) for n in tree]
    assert roles.count("main") == 1
    assert roles.count("contentinfo") <= 1
    assert roles.count("banner") <= 1
    figures = [n for n in tree if role(n) == "figure"]
    assert [name(n) for n in figures] == [FIGURE_NAME]
    assert "Step 1 of" in description(figures[0]), "the figure is described in words"
    regions = {name(n) for n in tree if role(n) == "region"}
    assert "Figure and player" in regions
    # Every group of radio buttons or checkboxes is named by its visible label.
    groups = {(role(n), name(n)) for n in tree if role(n) in ("radiogroup", "group") and name(n)}
    for expected in [("radiogroup", "Pathway"), ("radiogroup", "Anatomy view"), ("radiogroup", "Anatomy"),
                     ("group", "Layers"), ("radiogroup", "Speed"), ("group", "Animation player")]:
        assert expected in groups
    combos = {name(n) for n in tree if role(n) == "combobox"}
    assert "Organ Kidney and ureter" in combos
    assert dash_duo.get_logs() == []


# --------------------------------------------------------------------------- visible focus

#: The focused element's ring (outline, or box-shadow's spread) with its colour, or the ring of
#: the widget box snugly around it (Dash 4 rings its text field's box, not the input, which
#: that box clips); how opaque it and its ancestors are, its box, whether something else is
#: drawn over its middle, and the background behind it.
#: Answers once the page has drawn two more frames (async script).
NEXT_FRAMES = """
var done = arguments[arguments.length - 1];
requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); });
"""

FOCUS_JS = """
var el = document.activeElement;
if (!el || el === document.body) { return null; }
var r = el.getBoundingClientRect();
function ring(node) {
  var s = getComputedStyle(node);
  return {outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
          outlineColor: s.outlineColor, boxShadow: s.boxShadow};
}
var rings = [ring(el)];
for (var p = el.parentElement, i = 0; p && i < 2; p = p.parentElement, i++) {
  var q = p.getBoundingClientRect();
  var snug = q.width * q.height <= 4 * r.width * r.height + 2000 && q.left <= r.left + 1 && q.top <= r.top + 1
             && q.right >= r.right - 1 && q.bottom >= r.bottom - 1;
  if (!snug) { break; }
  rings.push(ring(p));
}
var opacity = 1, hidden = false;
for (var a = el; a && a.nodeType === 1; a = a.parentElement) {
  var s = getComputedStyle(a);
  opacity *= parseFloat(s.opacity);
  if (s.visibility === 'hidden' || s.display === 'none') { hidden = true; }
}
var behind = 'rgb(255, 255, 255)';
for (var b = el.parentElement; b; b = b.parentElement) {
  var bg = getComputedStyle(b).backgroundColor;
  if (bg && bg !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(bg)) { behind = bg; break; }
}
// What is drawn over its middle: hit-tested with the element made hittable for the moment (a
// control may sit in a layer that lets the mouse through, pointer-events: none).
var before = el.style.getPropertyValue('pointer-events'), priority = el.style.getPropertyPriority('pointer-events');
el.style.setProperty('pointer-events', 'auto', 'important');
var hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
el.style.setProperty('pointer-events', before, priority);
return {
  covered: !!hit && !(el.contains(hit) || hit.contains(el)),
  coveredBy: hit ? hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '') : null,
  what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
        + ' "' + ((el.getAttribute('aria-label') || el.textContent || el.value || '') + '').trim().slice(0, 40) + '"',
  focusVisible: el.matches(':focus-visible'), rings: rings, opacity: opacity, hidden: hidden, behind: behind,
  box: [r.left, r.top, r.width, r.height], viewport: [window.innerWidth, window.innerHeight],
  key: el.id || null
};
"""


def _rgb(colour: str) -> tuple[float, float, float]:
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", colour)[:3])
    return r, g, b


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [c / 255 for c in _rgb(colour)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def focus_ring_problem(seen: dict) -> str | None:
    """Why the focused control's indicator is not visible, or None when it is."""
    if not seen["focusVisible"]:
        return "does not match :focus-visible after Tab"
    if seen["hidden"] or seen["opacity"] < 0.5:
        return f"is hidden or faint (opacity {seen['opacity']:.2f})"
    left, top, width, height = seen["box"]
    if width < 1 or height < 1 or left + width <= 0 or top + height <= 0 or left >= seen["viewport"][0] or top >= seen["viewport"][1]:
        return f"is not on screen (box {seen['box']})"
    if seen["covered"]:
        return f"is covered by {seen['coveredBy']}"
    colours = [c for c in map(_ring_colour, seen["rings"]) if c]
    if not colours:
        drawn = ", ".join(f"outline {r['outlineStyle']} {r['outlineWidth']}px, box-shadow {r['boxShadow']}" for r in seen["rings"])
        return f"has no ring of 2 px or more ({drawn})"
    if max(_contrast(c, seen["behind"]) for c in colours) < 3:
        return f"has a ring of too little contrast ({colours[0]} on {seen['behind']})"
    return None


def _ring_colour(ring: dict) -> str | None:
    """The colour of a ring at least 2 px wide (an outline, or a box-shadow's spread), else None."""
    if ring["outlineStyle"] != "none" and ring["outlineWidth"] >= 2:
        return ring["outlineColor"]
    for shadow in re.split(r",(?![^(]*\))", ring["boxShadow"]):
        lengths = re.findall(r"(-?[\d.]+)px", shadow)
        colour = re.search(r"rgba?\([^)]*\)", shadow)
        if len(lengths) >= 4 and float(lengths[3]) >= 2 and colour:
            return colour.group(0)
    return None


def tab_through(dash_duo, limit: int = 150) -> list[dict]:
    """Press Tab from the top of a page nobody has clicked yet, until the focus leaves the
    page or comes round again."""
    driver = dash_duo.driver
    seen: list[dict] = []
    first = None
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        # measured as the user sees it: once the page has drawn the frame after the key (the
        # scroll that brings a focused control into view is applied with it; a loaded CI run
        # once read a link's place from before that scroll)
        driver.execute_async_script(NEXT_FRAMES)
        here = driver.execute_script(FOCUS_JS)
        element = driver.switch_to.active_element
        if here is None or (first is not None and element == first):
            break
        first = first or element
        seen.append(here)
    return seen


@pytest.mark.parametrize("path", ["/?organ=kidney", "/embed?organ=kidney"], ids=["app", "embed"])
def test_pm144_every_control_reached_by_tab_shows_its_focus(dash_duo, path):
    dash_duo.start_server(create_app())
    dash_duo.driver.set_window_size(1280, 800)
    dash_duo.driver.get(dash_duo.server_url + path)
    settled(dash_duo, describes_a_step=True)
    embed = path.startswith("/embed")
    if not embed:  # the share panel's fields count too: opened without a click, so Tab starts at the top
        dash_duo.driver.execute_script("document.querySelector('.share').open = true;")
    seen = tab_through(dash_duo)
    reached = {s["key"] for s in seen}
    expected = {ids.SKIP_LINK, ids.STEP_PLAY, ids.STEP_FORWARD}
    if not embed:
        expected |= {ids.ORGAN, ids.ZONE, ids.SHARE_LINK, ids.EMBED_CODE}
    assert expected <= reached, f"Tab reaches the page's controls; reached {sorted(k for k in reached if k)}"
    problems = [f"{s['what']} {problem}" for s in seen if (problem := focus_ring_problem(s))]
    assert not problems, "focus not visible on:\n" + "\n".join(problems)
    assert dash_duo.get_logs() == []


def test_pm145_the_skip_link_lands_on_the_figure_with_a_visible_ring(dash_duo):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?organ=kidney")
    settled(dash_duo, describes_a_step=True)
    ActionChains(dash_duo.driver).send_keys(Keys.TAB).perform()
    assert dash_duo.driver.switch_to.active_element.get_attribute("id") == ids.SKIP_LINK
    ActionChains(dash_duo.driver).send_keys(Keys.ENTER).perform()
    WebDriverWait(dash_duo.driver, 10).until(
        lambda d: d.switch_to.active_element.get_attribute("id") == ids.FIGURE_AREA
    )
    assert focus_ring_problem(dash_duo.driver.execute_script(FOCUS_JS)) is None
    # The next Tab goes on from the figure: to the player, not back to the page's top.
    ActionChains(dash_duo.driver).send_keys(Keys.TAB).perform()
    assert dash_duo.driver.switch_to.active_element.get_attribute("id") != ids.SKIP_LINK
    assert dash_duo.get_logs() == []
