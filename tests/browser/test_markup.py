"""A dataset's text is shown as written: HTML in a label never becomes a link or a style in
the drawn figure (the side panels, drawn by Dash, escape it already)."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app.factory import create_app
from painmap.loader import load
from tests.browser.helpers import figure_ready
from tests.unit.tiny import TINY_YAML

LINK = '<a href="https://evil.example/">Pump top</a>'

#: Texts drawn in the figure (every layer), and how many link elements their SVGs hold.
FIGURE_TEXTS = """
var texts = [], links = 0, bold = 0;
document.querySelectorAll('.js-plotly-plot svg, #graph-still svg').forEach(function (svg) {
  links += svg.querySelectorAll('a').length;
  bold += svg.querySelectorAll('tspan[style*="bold"]').length;
  svg.querySelectorAll('text').forEach(function (t) { texts.push(t.textContent); });
});
return {texts: texts, links: links, bold: bold};
"""


def test_pm330_a_label_holding_a_link_is_drawn_as_its_words(dash_duo, tmp_path):
    (tmp_path / "tiny.yaml").write_text(
        TINY_YAML.replace("label: {en: Pump top, es:", f"label: {{en: '{LINK}', es:"), encoding="utf-8"
    )
    dash_duo.start_server(create_app(load(tmp_path)))
    dash_duo.driver.get(dash_duo.server_url + "/?organ=pump")
    figure_ready(dash_duo, 60)
    WebDriverWait(dash_duo.driver, 60).until(  # the caption names the part as written
        lambda d: any(LINK in t for t in d.execute_script(FIGURE_TEXTS)["texts"])
    )
    seen = dash_duo.driver.execute_script(FIGURE_TEXTS)
    assert seen["links"] == 0, "a dataset label became a link in the figure"
    assert seen["bold"] > 0, "painmap's own bold markup stopped working"
    assert dash_duo.driver.execute_script("return document.querySelectorAll('a[href*=\"evil.example\"]').length;") == 0
    assert LINK in dash_duo.driver.find_element(By.TAG_NAME, "body").text  # the panels show the words too
    assert dash_duo.get_logs() == []
