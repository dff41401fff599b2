"""The app's callback logic called as plain functions (no browser, no server)."""

from __future__ import annotations

import html
from functools import lru_cache

import pytest
from painmap.app import create_app, ids
from painmap.app.page import clicked_entity, figure_size, outputs, page, page_link, views
from painmap.figures import figure_dict
from painmap.viewstate import ViewState


def text_of(component) -> str:
    """All the text a Dash component tree would show."""
    if isinstance(component, (list, tuple)):
        return " ".join(text_of(c) for c in component)
    if isinstance(component, str):
        return component
    children = getattr(component, "children", None)
    return text_of(children) if children is not None else ""


@pytest.fixture()
def render(dataset):
    @lru_cache(maxsize=None)
    def cached(state, arrangement, width):
        return views(dataset, state, arrangement, width)

    def run(state: ViewState, viewport=None, href="http://127.0.0.1:8050/"):
        return page(dataset, state, viewport, href, cached)

    return run


def test_the_callback_outputs_are_the_page_contract(dataset):
    app = create_app(dataset)
    key = next(k for k in app.callback_map if f"{ids.GRAPH}.figure" in k)
    registered = {o.strip(".") for o in key.split("...") if o.strip(".")}
    assert registered == {f"{component}.{prop}" for component, prop in outputs(dataset).values()}
    shown = page(dataset, ViewState(organ="kidney"))
    assert set(shown) == set(outputs(dataset)), "page() answers every output, and only those"


def test_choosing_the_kidney_names_its_segments_zones_and_red_flags(render):
    out = render(ViewState(organ="kidney"))
    assert out["search"] == "?organ=kidney"
    summary = text_of(out["summary"])
    assert "T10-L1" in summary and "Flank and loin" in summary
    assert out[ids.ROUTE] == "kidney-splanchnic"
    flags = [li.to_plotly_json()["props"]["data-flag"] for li in out["red_flags"]]
    assert flags[0] in {"kidney-infection", "obstructed-infected-kidney"} and "cauda-equina" in flags
    assert "sckan-kidney-139" in [li.to_plotly_json()["props"]["data-source"] for li in out["sources"][0].children]
    assert not out["player_hidden"] and out["caption"]


def test_a_zone_lists_every_organ_that_refers_there(render):
    out = render(ViewState(zone="sacrum"))
    summary = text_of(out["summary"])
    for organ in ("Bladder", "Uterus", "Gut (intestines)"):
        assert organ in summary
    assert out["player_hidden"] and out["steps"] == []


def test_links_and_embed_code_reopen_the_view(render):
    out = render(ViewState(route="lower-ureter-lumbar", step=3), href="http://example.test/painmap/?organ=x")
    view = "?organ=kidney&part=lower-ureter&route=lower-ureter-lumbar&step=3"
    assert out["share_link"] == "http://example.test/painmap/" + view
    assert f'<iframe src="{html.escape("http://example.test/painmap/embed" + view)}"' in out["embed_code"]
    assert render(ViewState(organ="gut"), href="http://example.test/painmap/embed")["page_class"] == "page embed"


def test_the_page_shows_its_own_player_not_the_figures(render):
    out = render(ViewState(organ="bladder"))
    assert "updatemenus" not in out["figure"]["layout"]
    assert "sliders" not in out["figure"]["layout"], "the page draws the step slider itself"
    assert out["figure"]["layout"]["meta"]["steps"] > 1, "and knows from the figure how many steps it has"
    assert out["graph_style"]["height"].endswith("px")


def test_figure_size_follows_the_graph_box():
    assert figure_size(None) == ("wide", 1280)
    assert figure_size({"width": 1280, "graph": 955}) == ("wide", 920)
    assert figure_size({"width": 390, "graph": 368}) == ("tall", 360)


def test_a_click_on_a_filled_area_is_found_by_its_trace_name(dataset):
    fig = figure_dict(dataset, ViewState())
    index = next(i for i, t in enumerate(fig["data"]) if t.get("name", "").startswith("zone/flank/"))
    assert clicked_entity({"points": [{"curveNumber": index}]}, fig) == "zone:flank"
    assert clicked_entity({"points": [{"customdata": "part:cervix"}]}, fig) == "part:cervix"
    assert clicked_entity({"points": [{}]}, fig) is None


def test_page_link_drops_the_old_query():
    assert page_link("http://h/p/?a=1#x", ViewState(organ="gut")) == "http://h/p/?organ=gut"
    assert page_link(None, ViewState()) == "/"
