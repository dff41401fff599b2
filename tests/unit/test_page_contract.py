"""The page contract's edges, on the tiny dataset: every output lands on a real property of
the layout, the figure's size follows the browser's box, links keep their view, the controls
show the state. Gaps the mutation run found (`make mutate`).
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from painmap.app import create_app, ids
from painmap.app.page import clicked_entity, figure_size, outputs, page, page_link, views
from painmap.figures import figure_dict, names
from painmap.viewstate import ViewState
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_dataset(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def show(tiny):
    @lru_cache(maxsize=None)
    def build(state, arrangement, width):
        return views(tiny, state, arrangement, width)

    return lambda state, viewport=None, href="http://painmap.test/": page(tiny, state, viewport, href, build)


def components_by_id(node, found=None) -> dict:
    found = {} if found is None else found
    if isinstance(node, (list, tuple)):
        for child in node:
            components_by_id(child, found)
    elif hasattr(node, "_prop_names"):
        if isinstance(getattr(node, "id", None), str):
            found[node.id] = node
        components_by_id(getattr(node, "children", None), found)
    return found


def test_every_output_is_a_property_of_a_component_in_the_layout(tiny):
    app = create_app(tiny)
    layout = components_by_id(app.layout() if callable(app.layout) else app.layout)
    wrong = [
        (name, cid, prop) for name, (cid, prop) in outputs(tiny).items()
        if cid not in layout or prop not in layout[cid]._prop_names
    ]
    assert wrong == []
    assert outputs(tiny)[ids.LANG] == (ids.LANG, "value"), "two languages: the picker is a real control"


@pytest.mark.parametrize(
    "viewport, expected",
    [
        (None, ("wide", 1280)),
        ({"width": 390}, ("tall", 390)),
        ({"width": 700, "graph": 1000}, ("wide", 1000)),
        ({"width": 599, "graph": 395}, ("tall", 390)),
        ({"width": 680, "graph": 664}, ("wide", 640)),  # an embed in a 680 px lesson column
        ({"width": 1400, "graph": 1019}, ("wide", 1000)),
        ({"width": 9000, "graph": 9000}, ("wide", 4000)),
        ({"width": 0, "graph": -5}, ("wide", 1280)),
        ({"width": True, "graph": float("inf")}, ("wide", 1280)),
    ],
)
def test_the_figure_fits_the_box_the_browser_reports(viewport, expected):
    assert figure_size(viewport) == expected


def test_links_drop_the_old_query_and_fragment_and_add_extras():
    state = ViewState(organ="pump")
    assert page_link("http://x.test/app/?organ=sac#top", state) == "http://x.test/app/?organ=pump"
    assert page_link("http://x.test/#top", ViewState()) == "http://x.test/"
    assert page_link("http://x.test/", state, source="share") == "http://x.test/?organ=pump&source=share"
    assert page_link("http://x.test/", ViewState(), source="share") == "http://x.test/?source=share"


def test_a_click_on_the_first_trace_counts_and_one_past_the_last_does_not(tiny):
    traces = figure_dict(tiny, ViewState())["data"]
    seat = next(t for t in traces if names.entity_of_trace(t.get("name")) == "zone:seat")
    figure = {"data": [seat, {"name": "not a target"}]}
    assert clicked_entity({"points": [{"curveNumber": 0}]}, figure) == "zone:seat"
    assert clicked_entity({"points": [{"curveNumber": 2}]}, figure) is None
    assert clicked_entity({"points": [{"curveNumber": 0}]}, {}) is None


def test_the_controls_show_the_view(show):
    organ = show(ViewState(organ="pump", compare="sac", layers=frozenset({"labels", "somatic"})))
    assert (organ[ids.ORGAN], organ[ids.PART], organ[ids.COMPARE]) == ("pump", None, "sac")
    assert organ[ids.ROUTE] == "pump-top-upper", "the route the animation follows is shown as chosen"
    assert organ[ids.LAYERS] == ["somatic", "labels"], "layers in the layout's order, only those on"
    assert [o["value"] for o in organ["part_options"]] == ["pump-top", "pump-base"]
    assert [o["value"] for o in organ["route_options"]] == ["pump-top-upper", "pump-base-upper", "pump-base-lower"]
    zone = show(ViewState(zone="belly"))
    assert (zone[ids.ZONE], zone[ids.ORGAN], zone[ids.ROUTE], zone[ids.SEGMENT]) == ("belly", None, None, None)
    assert zone["part_options"] == [] and zone["route_options"] == []
    assert show(ViewState(segment="T11"))[ids.SEGMENT] == "T11"
    assert show(ViewState(route="pump-base-lower"))[ids.PART] == "pump-base"


def test_an_embedded_page_is_marked_for_its_own_style(show):
    assert show(ViewState(organ="pump"))["page_class"] == "page"
    assert show(ViewState(organ="pump"), href="http://painmap.test/embed?organ=pump")["page_class"] == "page embed"


def test_zone_and_segment_summaries_and_a_comparison_follow_the_language(show):
    assert "Piel del vientre" in str(show(ViewState(zone="belly", lang="es"))["summary"])
    assert "Bomba" in str(show(ViewState(segment="T11", lang="es"))["summary"])
    assert "Bomba y Saco comparten" in str(show(ViewState(organ="pump", compare="sac", lang="es"))["summary"])
    assert "Base por el nervio bajo" in str(show(ViewState(route="pump-base-lower", lang="es"))["dispute"])
