"""Exports in headless Chromium: the standalone HTML plays with the network off, the app's
Download menu answers with files of the right kind, and the handout prints on one page."""

from __future__ import annotations

import base64
import urllib.request

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from painmap import export
from painmap.app import create_app
from painmap.app.downloads import DOWNLOAD_LINKS
from painmap.loader import load
from tests.browser.helpers import figure_ready

pytestmark = pytest.mark.browser

#: Chromium's paper sizes in inches (as Page.printToPDF takes them).
PAPERS = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}


def free_port() -> int:
    """A port nobody listens on now (other test runs may hold dash_duo's default 8050)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def caption(dash_duo) -> str:
    return dash_duo.driver.execute_script("return document.getElementById('painmap-caption').textContent;")


def test_pm301_the_exported_html_plays_with_the_network_off(dash_duo, tmp_path):
    ds = load(None)
    state = export.view_from(ds, story="kidney-infection", step=0)
    page = tmp_path / "kidney-infection.html"
    page.write_bytes(export.export_view(ds, state, "html"))
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    try:
        driver.get(page.as_uri())
        WebDriverWait(driver, 20).until(
            lambda d: d.execute_script("return document.documentElement.getAttribute('data-painmap-ready') === '1';")
        )
        assert caption(dash_duo).startswith("1/8 Stimulus in the kidney")
        label = driver.find_element("css selector", "#painmap-figure").get_attribute("aria-label")
        assert label.startswith("painmap: A kidney infection and pain in the side.")
        play = [b for b in driver.find_elements("css selector", "#painmap-figure .updatemenu-button") if b.text == "Play"]
        assert play, "the figure has its own Play button"
        play[0].click()
        WebDriverWait(driver, 15).until(lambda d: caption(dash_duo).startswith(("2/8", "3/8")))
        WebDriverWait(driver, 15).until(
            lambda d: d.execute_script("return document.getElementById('painmap-figure').getAttribute('data-step');") != "0"
        )
        current = driver.find_element("css selector", "#painmap-steps li.current")
        assert current.get_attribute("data-step") != "0", "the steps list follows the player"
        requested = driver.execute_script(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"
        )
        assert [r for r in requested if r.startswith("http")] == [], "the file asks the network for nothing"
        assert "Fever with flank pain" in driver.find_element("css selector", "section.flags").text
    finally:
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )


def test_pm302_the_download_menu_links_answer_with_files_of_their_kind(dash_duo):
    dash_duo.start_server(create_app(), port=free_port())
    dash_duo.driver.get(dash_duo.server_url + "/?organ=kidney&step=2")
    figure_ready(dash_duo)
    menu = dash_duo.find_element("details.download")
    menu.find_element("css selector", "summary").click()
    dash_duo.wait_for_element(f"#{DOWNLOAD_LINKS} a")
    links = {a.text: a.get_attribute("href") for a in dash_duo.find_elements(f"#{DOWNLOAD_LINKS} a")}
    assert list(links) == [
        "Picture (PNG)", "Drawing (SVG)", "One-page handout (PDF)", "Animated page (HTML, works offline)", "Print a handout",
    ]
    assert all("organ=kidney" in href and "step=2" in href for href in links.values())
    # the files follow the player: after Next, every link asks for step 3
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: d.execute_script("var g = document.querySelector('#graph .js-plotly-plot'); return !!(g && g._painmapBound);")
    )
    dash_duo.find_element("#step-forward").click()
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: all("step=3" in (a.get_attribute("href") or "") for a in d.find_elements("css selector", f"#{DOWNLOAD_LINKS} a"))
    )
    links = {a.text: a.get_attribute("href") for a in dash_duo.find_elements(f"#{DOWNLOAD_LINKS} a")}
    expected = {
        "Picture (PNG)": ("image/png", b"\x89PNG"),
        "Drawing (SVG)": ("image/svg+xml", b"<svg"),
        "One-page handout (PDF)": ("application/pdf", b"%PDF-"),
        "Animated page (HTML, works offline)": ("text/html", b"<!DOCTYPE html>"),
        "Print a handout": ("text/html", b"<!DOCTYPE html>"),
    }
    for label, (kind, start) in expected.items():
        with urllib.request.urlopen(links[label], timeout=120) as answer:
            assert answer.headers.get_content_type() == kind, label
            body = answer.read()
            assert body.startswith(start), label
            if label != "Print a handout":
                assert answer.headers["Content-Disposition"].startswith("attachment; filename=\"painmap-kidney"), label
    assert dash_duo.get_logs() == []


def test_pm303_the_handout_page_prints_on_one_page_of_a4_and_letter(dash_duo):
    dash_duo.start_server(create_app(), port=free_port())
    for story in ("kidney-infection", "interstitial-cystitis"):
        dash_duo.driver.get(dash_duo.server_url + f"/handout?story={story}")
        button = dash_duo.wait_for_element("button.print")
        assert button.text == "Print" and button.is_displayed()
        assert dash_duo.find_element(".flags h2").text == "See a doctor now if..."
        for paper, (width, height) in PAPERS.items():
            pdf = dash_duo.driver.execute_cdp_cmd(
                "Page.printToPDF",
                {"paperWidth": width, "paperHeight": height, "preferCSSPageSize": False, "printBackground": True},
            )
            assert export.pdf_pages(base64.b64decode(pdf["data"])) == 1, f"{story} on {paper}"


def test_pm304_the_lesson_package_works_from_file_urls(dash_duo, tmp_path):
    from painmap import lesson

    folder = tmp_path / "lesson"
    lesson.write_lesson(load(None), folder)
    driver = dash_duo.driver
    driver.get((folder / "index.html").as_uri())
    driver.find_element("link text", "A kidney infection and pain in the side").click()
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.documentElement.getAttribute('data-painmap-ready') === '1';")
    )
    drawn = driver.execute_script("var gd = document.getElementById('painmap-figure'); return gd.data.length;")
    assert drawn > 50, "plotly.js came from the shared plotly.min.js beside the page"
    assert caption(dash_duo).startswith("8/8 The brain projects it onto the skin")
    driver.find_element("link text", "Quiz").click()
    question = driver.find_element("css selector", "li.question")
    answer = question.find_element("css selector", "details")
    assert not answer.find_element("css selector", "p").is_displayed()
    answer.find_element("css selector", "summary").click()
    assert answer.find_element("css selector", "p strong").is_displayed()
