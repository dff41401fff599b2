"""painmap in a real headless Chromium: what a student, clinician or teacher clicks and sees.

Each test builds a fresh app and ends with no browser console errors.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app, ids
from painmap.figures import animation_steps, names, resolve_selection
from painmap.loader import load
from painmap.viewstate import ViewState
from tests.browser.helpers import choose, click_figure_at, figure_ready, frame_count, svg_texts, traces_named
from tests.conftest import DATA, EXAMPLES
from tests.unit.test_long_pickers import write_many_organs

pytestmark = pytest.mark.browser

#: organ label in the picker -> (segments named on the page, a referred zone's label)
ORGANS = {
    "bladder": ("Bladder", "T11-L2", "Above the pubic bone"),
    "uterus": ("Uterus", "T10-L1", "Lower abdominal wall"),
    "gut": ("Gut (intestines)", "T9-T10", "Around the navel"),
    "kidney": ("Kidney and ureter", "T10-L1", "Flank and loin"),
}


@pytest.fixture(scope="module")
def bundled():
    return load(DATA)


def start(dash_duo, data=None, query: str = "") -> None:
    app = create_app(data)
    dash_duo.start_server(app)
    if query:
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
    figure_ready(dash_duo)


def lit_segments(dash_duo) -> set[str]:
    """Segments the figure draws lit in the cord panel (its meta names them), when shown: the
    story reveals them (opacity 0 until the signal enters the cord)."""
    found = set()
    for trace in traces_named(dash_duo, names.SEGMENT_LIT):
        if trace.get("opacity") == 0 or not any(x is not None for x in trace.get("x") or []):
            continue
        found |= set((trace.get("meta") or {}).get("segments") or [])
    return found


def zone_is_lit(dash_duo) -> bool:
    """True when a lit-zone trace in either body view has points drawn."""
    return any(
        any(v is not None for v in (trace.get("x") or []))
        for trace in traces_named(dash_duo, names.ZONE_LIT)
    )


@pytest.mark.parametrize("organ", list(ORGANS))
def test_pm010_select_organ_and_play_to_the_end(dash_duo, bundled, organ):
    label, segments, zone_label = ORGANS[organ]
    route = bundled.route[resolve_selection(bundled, ViewState(organ=organ)).route]
    steps = animation_steps(bundled, route)
    start(dash_duo, query="?speed=2")

    choose(dash_duo, "#organ-picker", label)
    dash_duo.wait_for_contains_text("#selection-summary", segments, timeout=20)
    dash_duo.wait_for_contains_text("#selection-summary", zone_label, timeout=10)
    WebDriverWait(dash_duo.driver, 10).until(lambda d: traces_named(dash_duo, names.SEGMENT_LIT))
    assert f"organ={organ}" in dash_duo.driver.current_url
    assert frame_count(dash_duo) == len(steps)
    assert not zone_is_lit(dash_duo), "the referred zone lights only at the end of the story"
    assert not lit_segments(dash_duo), "the cord segments light when the signal enters them, not before"

    dash_duo.find_element("#step-play").click()
    dash_duo.wait_for_contains_text("#step-caption", steps[-1].caption, timeout=40)
    WebDriverWait(dash_duo.driver, 10).until(lambda d: zone_is_lit(dash_duo))
    WebDriverWait(dash_duo.driver, 10).until(lambda d: set(route.segments) <= lit_segments(dash_duo))
    WebDriverWait(dash_duo.driver, 10).until(lambda d: steps[-1].caption[:30] in svg_texts(dash_duo))
    current = dash_duo.find_element("#steps-list li.current")
    assert current.get_attribute("data-step") == str(len(steps) - 1)
    assert dash_duo.get_logs() == []


def test_pm011_step_forward_and_back(dash_duo, bundled):
    route = bundled.route[resolve_selection(bundled, ViewState(organ="kidney")).route]
    steps = animation_steps(bundled, route)
    start(dash_duo, query="?organ=kidney")
    dash_duo.wait_for_contains_text("#steps-list", steps[0].caption)
    dash_duo.find_element("#step-forward").click()
    dash_duo.find_element("#step-forward").click()
    dash_duo.wait_for_contains_text("#step-caption", steps[2].caption)
    assert "step=2" in dash_duo.driver.current_url
    dash_duo.find_element("#step-back").click()
    dash_duo.wait_for_contains_text("#step-caption", steps[1].caption)
    assert dash_duo.get_logs() == []


def test_pm020_reverse_lookup_from_a_zone(dash_duo):
    start(dash_duo)
    choose(dash_duo, "#zone-picker", "Over the sacrum")
    dash_duo.wait_for_contains_text("#selection-summary", "Pain felt in: Over the sacrum")
    summary = dash_duo.find_element("#selection-summary").text
    for organ in ("Bladder", "Uterus", "Gut (intestines)"):
        assert organ in summary
    assert "Kidney" not in summary
    WebDriverWait(dash_duo.driver, 10).until(lambda d: {"S2", "S3", "S4"} <= lit_segments(dash_duo))
    assert zone_is_lit(dash_duo)
    assert dash_duo.get_logs() == []


def test_pm021_everything_that_enters_a_segment(dash_duo):
    start(dash_duo)
    choose(dash_duo, "#segment-picker", "L1")
    dash_duo.wait_for_contains_text("#selection-summary", "Spinal segment L1")
    summary = dash_duo.find_element("#selection-summary").text
    for text in ("Bladder", "Uterus", "Kidney and ureter", "Ilioinguinal"):
        assert text.lower() in summary.lower()
    assert "L1" in lit_segments(dash_duo)
    assert dash_duo.get_logs() == []


def test_pm022_two_organs_share_segments(dash_duo):
    start(dash_duo, query="?organ=uterus")
    choose(dash_duo, "#compare-picker", "Gut (intestines)")
    dash_duo.wait_for_contains_text("#selection-summary", "share")
    shared = dash_duo.find_element("#selection-summary .shared-segments").text
    assert "T10" in shared and "S3" in shared
    shared_drawn = {
        segment
        for trace in traces_named(dash_duo, names.SEGMENT_SHARED)
        if any(x is not None for x in trace.get("x") or [])
        for segment in (trace.get("meta") or {}).get("segments") or []
    }
    assert {"T10", "L1", "S2"} <= shared_drawn
    assert dash_duo.get_logs() == []


def test_pm023_disputed_cervix_shows_both_sources(dash_duo, bundled):
    start(dash_duo, query="?organ=uterus&part=cervix")
    dash_duo.wait_for_contains_text("#dispute-box", "Sources disagree")
    box = dash_duo.find_element("#dispute-box").text
    assert "S2-S4" in box and "T10-L2" in box  # the sympathetic view's level, as its sources give it
    sources = dash_duo.find_element("#sources-panel").text
    assert "femrep 101" in sources and "femrep 103" in sources
    assert dash_duo.get_logs() == []


def test_pm030_link_reopens_the_same_view(dash_duo, bundled):
    route = bundled.route["lower-ureter-lumbar"]
    steps = animation_steps(bundled, route)
    start(dash_duo, query="?route=lower-ureter-lumbar&step=3&layers=somatic,labels")
    dash_duo.wait_for_contains_text("#steps-list li.current", steps[3].caption)
    assert "Kidney and ureter" in dash_duo.find_element("#organ-picker").text
    link = dash_duo.find_element("#share-link").get_attribute("value")
    assert "route=lower-ureter-lumbar" in link and "step=3" in link and "layers=somatic%2Clabels" in link
    layer_boxes = {
        box.get_attribute("value"): box.is_selected() for box in dash_duo.find_elements("#layers input[type=checkbox]")
    }
    assert layer_boxes["somatic"] and not layer_boxes["sympathetic"]
    assert dash_duo.get_logs() == []


def test_pm031_embed_shows_the_figure_only(dash_duo):
    start(dash_duo, query="?organ=bladder&embed=1")
    dash_duo.wait_for_element("#page.embed")
    assert not dash_duo.find_element("#controls").is_displayed()
    assert dash_duo.find_element("#graph").is_displayed()
    assert dash_duo.find_element("#step-play").is_displayed()
    assert dash_duo.get_logs() == []


def test_pm032_red_flags_are_always_in_reach(dash_duo):
    start(dash_duo, query="?organ=kidney")
    dash_duo.wait_for_contains_text("#red-flags", "Fever with flank pain")
    first = dash_duo.find_elements("#red-flags li")[0]
    assert first.get_attribute("data-flag") in {"kidney-infection", "obstructed-infected-kidney"}
    assert "cauda" in dash_duo.find_element("#red-flags").text.lower() or "saddle" in dash_duo.find_element("#red-flags").text.lower()
    assert dash_duo.find_element(".redflag-link").is_displayed()
    assert dash_duo.get_logs() == []


def test_pm040_layers_switch_traces_off(dash_duo):
    start(dash_duo, query="?organ=bladder&part=bladder-neck-trigone")
    assert traces_named(dash_duo, names.LABELS)
    label_box = [b for b in dash_duo.find_elements("#layers input[type=checkbox]") if b.get_attribute("value") == "labels"][0]
    label_box.click()
    WebDriverWait(dash_duo.driver, 10).until(lambda d: not traces_named(dash_duo, names.LABELS))
    assert "layers=" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_pm050_teacher_example_organ_appears(dash_duo):
    start(dash_duo, data=EXAMPLES / "heart")
    choose(dash_duo, "#organ-picker", "Heart")
    dash_duo.wait_for_contains_text("#selection-summary", "T1-T4")
    parts = [t["name"] for t in traces_named(dash_duo, names.PART_PREFIX)]
    assert any("heart" in name for name in parts)
    drawn = {t["name"] for t in traces_named(dash_duo, names.SEGMENT_PREFIX)}
    assert {f"{names.SEGMENT_PREFIX}T{i}" for i in range(1, 5)} <= drawn, "the cord panel widens to the heart's segments"
    assert not lit_segments(dash_duo), "they light when the signal enters them, not at the first step"
    assert dash_duo.get_logs() == []


def test_pm060_phone_screen(dash_duo):
    # Headless Chromium's windows are at least 500 px wide: emulate the phone's screen instead.
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
    )
    start(dash_duo, query="?organ=gut")
    assert dash_duo.driver.execute_script("return window.innerWidth;") == 390
    height = dash_duo.driver.execute_script(
        "return document.querySelector('#graph .js-plotly-plot')._fullLayout.height;"
    )
    assert height > 900, "panels stack on a phone"
    overflow = dash_duo.driver.execute_script("return document.documentElement.scrollWidth;")
    assert overflow <= 400, "no sideways scrolling on a 390-pixel screen"
    assert dash_duo.find_element("#step-play").is_displayed()
    figure_top = dash_duo.find_element("#graph").location["y"]
    assert figure_top < dash_duo.find_element("#organ-picker").location["y"], "the picture comes first on a phone"
    assert dash_duo.get_logs() == []


def test_pm061_phone_shows_the_picture_and_the_player_together_after_a_choice(dash_duo):
    """On a phone the organ picker is under the picture: after choosing there, the page brings
    the picture back, with the player held under it on the screen."""
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
    )
    start(dash_duo)
    dash_duo.driver.execute_script("document.querySelector('#organ-picker').scrollIntoView({block: 'center'});")
    choose(dash_duo, "#organ-picker", "Kidney and ureter")
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: d.execute_script(
            "var gd = document.querySelector('#graph .js-plotly-plot');"
            "return !!(gd && gd.layout && gd.layout.meta && gd.layout.meta.route);"
        )
    )

    def seen():
        return dash_duo.driver.execute_script(
            "var g = document.querySelector('#graph').getBoundingClientRect();"
            "var p = document.querySelector('#player').getBoundingClientRect();"
            "return {graph_top: g.top, graph_bottom: g.bottom, player_top: p.top, player_bottom: p.bottom, height: innerHeight};"
        )

    WebDriverWait(dash_duo.driver, 10).until(lambda d: 0 <= seen()["graph_top"] <= 844 / 3)
    view = seen()
    assert view["player_bottom"] <= view["height"] + 1 and view["player_top"] > view["graph_top"] + 300, view
    assert view["graph_bottom"] > view["player_top"], "the player sits over the picture's lower part, not below it"
    dash_duo.driver.execute_script("window.scrollBy(0, 500);")
    view = seen()
    assert view["player_bottom"] <= view["height"] + 1 and view["graph_top"] < 0 < view["graph_bottom"], (
        "scrolling down the picture, the player stays on screen"
    )
    assert dash_duo.get_logs() == []


def test_pm063_the_panels_follow_the_figure_on_a_wide_screen(dash_duo):
    """At 1920 px the controls column is taller than the figure: its extra height goes under the
    panels, not into an empty band between the figure and the panels."""
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False}
    )
    start(dash_duo, query="?organ=gut")
    boxes = dash_duo.driver.execute_script(
        "var f = document.querySelector('#figure-area').getBoundingClientRect();"
        "var i = document.querySelector('#main .info').getBoundingClientRect();"
        "var c = document.querySelector('#controls').getBoundingClientRect();"
        "return {figure_bottom: f.bottom, info_top: i.top, controls_height: c.height, figure_height: f.height};"
    )
    assert boxes["controls_height"] > boxes["figure_height"], boxes  # the case this guards
    assert 0 <= boxes["info_top"] - boxes["figure_bottom"] <= 16, boxes
    assert dash_duo.get_logs() == []


def test_pm062_a_paired_organ_shows_one_side_in_one_click(dash_duo):
    start(dash_duo, query="?organ=bladder")
    assert not dash_duo.find_element("#side-group").is_displayed(), "the bladder has no side"
    dash_duo.driver.get(dash_duo.server_url + "/?organ=kidney&step=99")
    figure_ready(dash_duo)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.find_element("css selector", "#side-group").is_displayed())
    left = next(e for e in dash_duo.find_elements("#side-picker label") if e.text.strip() == "Left")
    left.click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "side=left" in d.current_url)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "left side only" in svg_texts(dash_duo))
    assert dash_duo.get_logs() == []


def test_pm070_click_an_organ_in_the_figure(dash_duo):
    start(dash_duo)
    handles = traces_named(dash_duo, names.PART_HANDLES)
    assert handles, "organ parts have click handles"
    index = handles[0]["customdata"].index("part:bladder-dome")
    click_figure_at(dash_duo, names.PART_HANDLES, handles[0]["x"][index], handles[0]["y"][index])
    dash_duo.wait_for_contains_text("#selection-summary", "Bladder dome")
    assert "part=bladder-dome" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_pm071_click_a_skin_zone_in_the_figure(dash_duo):
    start(dash_duo)
    zone = traces_named(dash_duo, names.zone_trace("flank", "back"))[0]
    points = [(x, y) for x, y in zip(zone["x"], zone["y"]) if x is not None]
    centre = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    click_figure_at(dash_duo, zone["name"], *centre)
    dash_duo.wait_for_contains_text("#selection-summary", "Pain felt in: Flank and loin")
    assert "Kidney" in dash_duo.find_element("#selection-summary").text
    assert "zone=flank" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_pm072_click_a_segment_in_the_cord(dash_duo):
    start(dash_duo)
    segment = traces_named(dash_duo, f"{names.SEGMENT_PREFIX}S3")[0]
    points = [(x, y) for x, y in zip(segment["x"], segment["y"]) if x is not None]
    centre = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    click_figure_at(dash_duo, segment["name"], *centre)
    dash_duo.wait_for_contains_text("#selection-summary", "Spinal segment S3")
    assert "Bladder" in dash_duo.find_element("#selection-summary").text
    assert "S3" in lit_segments(dash_duo)
    assert dash_duo.get_logs() == []


def test_pm181_a_long_organ_list_finds_the_organ_typed(dash_duo, tmp_path):
    """405 organs more than the bundled ones: the picker holds a page of them, and typing
    brings the organ asked for, which opens as any other."""
    write_many_organs(tmp_path)
    dash_duo.start_server(create_app(tmp_path))
    dash_duo.wait_for_element(f"#{ids.ORGAN}").click()
    search = dash_duo.wait_for_element(".dash-dropdown-search")
    assert "Extra organ 404" not in dash_duo.find_element(".dash-dropdown-options").text
    search.send_keys("organ 404")
    dash_duo.wait_for_contains_text(".dash-dropdown-options", "Extra organ 404", timeout=10)
    option = next(o for o in dash_duo.find_elements(".dash-dropdown-option") if o.text == "Extra organ 404")
    option.click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "organ=extra-organ-404" in d.current_url)
    dash_duo.wait_for_contains_text(f"#{ids.ORGAN}", "Extra organ 404", timeout=10)
    assert dash_duo.get_logs() == []
