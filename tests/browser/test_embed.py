"""The embedded view, old embed links, doubled slashes and the lateral view, in headless Chromium."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app
from painmap.app.embed import OPEN_APP
from tests.browser.helpers import choose, figure_ready

pytestmark = pytest.mark.browser


def open_page(dash_duo, target: str) -> None:
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + target)
    figure_ready(dash_duo)


def test_pm080_embed_shows_the_figure_its_player_and_a_link_out(dash_duo):
    open_page(dash_duo, "/embed?organ=kidney")
    dash_duo.wait_for_element("#page.embed")
    assert dash_duo.find_element("#graph").is_displayed()
    assert dash_duo.find_element("#step-play").is_displayed()
    assert not dash_duo.find_element("#controls").is_displayed()
    link = dash_duo.find_element(f"#{OPEN_APP}")
    assert link.is_displayed() and link.text == "Open in painmap"
    assert (link.get_attribute("target"), link.get_attribute("rel")) == ("_blank", "noopener")
    href = urlsplit(link.get_attribute("href"))
    assert href.path == "/" and "organ=kidney" in href.query, "it opens the full app on the same view"
    assert urlsplit(dash_duo.driver.current_url).path == "/embed"
    assert dash_duo.get_logs() == []


def test_pm081_an_old_embed_link_lands_on_embed(dash_duo):
    open_page(dash_duo, "/?organ=bladder&embed=1")
    dash_duo.wait_for_element("#page.embed")
    url = urlsplit(dash_duo.driver.current_url)
    assert url.path == "/embed" and "organ=bladder" in url.query and "embed=" not in url.query
    assert not dash_duo.find_element(f"#{OPEN_APP}").get_attribute("hidden")
    assert dash_duo.get_logs() == []


def test_pm082_the_app_hides_the_link_out(dash_duo):
    open_page(dash_duo, "/?organ=bladder")
    dash_duo.wait_for_contains_text("#selection-summary", "Bladder")
    assert not dash_duo.find_element(f"#{OPEN_APP}").is_displayed()
    assert "/embed?organ=bladder" in dash_duo.find_element("#embed-code").get_attribute("value")
    assert dash_duo.get_logs() == []


def test_pm083_a_doubled_slash_still_gives_a_working_page(dash_duo):
    open_page(dash_duo, "//?organ=bladder")
    dash_duo.wait_for_contains_text("#selection-summary", "Bladder")
    assert urlsplit(dash_duo.driver.current_url).path == "/"
    choose(dash_duo, "#organ-picker", "Kidney and ureter")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "organ=kidney" in d.current_url)
    dash_duo.wait_for_contains_text("#selection-summary", "Kidney")
    assert dash_duo.find_elements("#red-flags li"), "red flags are there"
    assert dash_duo.get_logs() == []


def test_pm084_the_lateral_view_is_named_so_and_old_side_links_open_it(dash_duo):
    open_page(dash_duo, "/?organ=bladder&anatomy=side")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "anatomy=lateral" in d.current_url)
    labels = [label.text for label in dash_duo.find_elements("#anatomy-view label")]
    assert labels == ["Front", "Lateral"]
    checked = dash_duo.find_element("#anatomy-view input[value=lateral]")
    assert checked.is_selected()
    dash_duo.find_elements("#anatomy-view label")[0].click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "anatomy=" not in d.current_url)
    assert dash_duo.get_logs() == []


IN_VIEW = """
function box(s) { var e = document.querySelector(s); if (!e) { return null; }
  var r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }
return {graph: box('#graph'), play: box('#step-play'), next: box('#step-forward'), flags: box('.redflag-link'),
        open: box('#""" + OPEN_APP + """'), height: innerHeight, width: innerWidth, scrollY: scrollY,
        scrollX: document.documentElement.scrollWidth - innerWidth};
"""


@pytest.mark.parametrize(("width", "height"), [(960, 640), (680, 520)])
def test_pm085_the_embed_fits_its_frame_without_scrolling(dash_duo, width, height):
    """The iframe sizes a lesson uses: the whole picture, the player, the red flags and the
    link out are on screen at once, with no scrolling either way."""
    dash_duo.start_server(create_app())
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
    )
    for query in ("?organ=kidney", "?part=cervix&step=4", "?route=gut-flare-posture"):
        dash_duo.driver.get(f"{dash_duo.server_url}/embed{query}")
        figure_ready(dash_duo)
        WebDriverWait(dash_duo.driver, 20).until(  # laid out for the frame's width
            lambda d: d.execute_script(
                "var gd = document.querySelector('#graph .js-plotly-plot'), box = document.querySelector('#graph');"
                "return !!(gd && gd.layout && gd.layout.meta && Math.abs(box.clientWidth - gd.layout.meta.width) < 40);"
            )
        )
        seen = dash_duo.driver.execute_script(IN_VIEW)
        assert seen["scrollY"] == 0 and seen["scrollX"] <= 0, query
        for name in ("graph", "play", "next", "flags", "open"):
            assert 0 <= seen[name]["top"] and seen[name]["bottom"] <= seen["height"], (query, name, str(seen))
            assert 0 <= seen[name]["left"] and seen[name]["right"] <= seen["width"], (query, name, seen)
    assert dash_duo.get_logs() == []
