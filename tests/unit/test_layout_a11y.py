"""What a screen reader is given before any script runs: the server's page and the layout's
landmarks, names and live region (the browser tier runs axe-core over the drawn page)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from dash import dcc, html

from painmap.app import create_app, ids
from painmap.app.factory import page_language
from painmap.app.layout import FIGURE_NAME
from tests.unit.tiny import tiny_dataset


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_dataset(tmp_path_factory.mktemp("tiny"))  # offers English and Spanish


@pytest.fixture(scope="module")
def app(tiny):
    return create_app(tiny)


class _Tags(HTMLParser):
    """Every start tag of a page, with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def served(app, target: str) -> list[tuple[str, dict[str, str | None]]]:
    reply = app.server.test_client().get(target)
    assert reply.status_code == 200
    parser = _Tags()
    parser.feed(reply.get_data(as_text=True))
    return parser.tags


def html_lang(app, target: str) -> str | None:
    return next(attrs.get("lang") for tag, attrs in served(app, target) if tag == "html")


@pytest.mark.parametrize("target", ["/", "/?organ=pump", "/embed?organ=pump"])
def test_the_served_page_says_it_is_in_english(app, target):
    assert html_lang(app, target) == "en"


def test_the_served_page_is_in_the_views_language_when_the_dataset_offers_it(app):
    assert html_lang(app, "/?organ=pump&lang=es") == "es"
    assert html_lang(app, "/embed?organ=pump&lang=es") == "es"


@pytest.mark.parametrize("lang", ["de", "", "es-x", '"><script>alert(1)</script>', "EN"])
def test_a_language_the_dataset_lacks_is_english(app, lang):
    """The text on the page is English then: a reader must not read it in another voice."""
    assert html_lang(app, "/?lang=" + lang) == "en"


def test_page_language_is_total(tiny):
    for search in [None, 3, "", "?", "lang", "lang=es&lang=fr", "lang=%ff"]:
        assert page_language(tiny, search) in ("en", "es")
    assert page_language(tiny, "?lang=es") == "es"


def test_the_served_page_has_no_footer_of_its_own(app):
    """Dash's template wrapped its scripts in <footer>: a second contentinfo landmark beside the
    layout's footer. The scripts stand in the body now, and still load."""
    tags = served(app, "/")
    assert [t for t, _ in tags if t == "footer"] == []
    assert any(t == "script" and (a.get("src") or "").endswith(".js") for t, a in tags)
    assert any(a.get("id") == "react-entry-point" for _, a in tags)


# --------------------------------------------------------------------------- the layout


def walk(node):
    if callable(node):  # the app's layout: one per language, chosen per page (English here)
        node = node()
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from walk(child)


def parents(layout) -> dict[int, object]:
    found: dict[int, object] = {}
    for node in walk(layout() if callable(layout) else layout):
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            if child is not None and not isinstance(child, str | int | float):
                found[id(child)] = node
    return found


def text_of(node) -> str:
    return " ".join(n if isinstance(n, str) else text_of(n) for n in _children(node))


def _children(node):
    children = getattr(node, "children", None)
    return [c for c in (children if isinstance(children, list | tuple) else [children]) if c is not None]


def test_one_main_landmark_and_one_footer(app):
    nodes = list(walk(app.layout))
    assert len([n for n in nodes if isinstance(n, html.Main)]) == 1
    assert len([n for n in nodes if isinstance(n, html.Footer)]) == 1
    assert len([n for n in nodes if isinstance(n, html.Header)]) == 1


def test_the_skip_link_is_first_and_leads_to_the_figure(app):
    focusable = [n for n in walk(app.layout) if isinstance(n, html.A | html.Button | dcc.Dropdown)]
    assert focusable[0].id == ids.SKIP_LINK
    assert focusable[0].href == f"#{ids.FIGURE_AREA}"
    target = next(n for n in walk(app.layout) if getattr(n, "id", None) == ids.FIGURE_AREA)
    assert getattr(target, "tabIndex", None) == "-1", "the figure area can take the focus the link sends"


def test_every_radio_and_checkbox_group_is_named_by_its_visible_label(app):
    nodes = list(walk(app.layout))
    by_id = {getattr(n, "id", None): n for n in nodes}
    up = parents(app.layout)
    groups = [n for n in nodes if isinstance(n, dcc.RadioItems | dcc.Checklist)]
    assert len(groups) >= 5
    for group in groups:
        wrapper = up[id(group)]
        role = getattr(wrapper, "role", None)
        assert role == ("radiogroup" if isinstance(group, dcc.RadioItems) else "group"), group.id
        label = by_id[wrapper.to_plotly_json()["props"]["aria-labelledby"]]
        assert text_of(label).strip(), f"{group.id}'s group is named by a label with words"


def test_every_dropdown_has_a_label_for_it(app):
    nodes = list(walk(app.layout))
    labelled = {getattr(n, "htmlFor", None) for n in nodes if isinstance(n, html.Label)}
    for dropdown in (n for n in nodes if isinstance(n, dcc.Dropdown)):
        assert dropdown.id in labelled


def test_the_figure_is_named_and_described_in_a_live_region(app):
    nodes = list(walk(app.layout))
    box = next(n for n in nodes if getattr(n, "id", None) == ids.FIGURE_BOX)
    props = box.to_plotly_json()["props"]
    assert (props["role"], props["aria-label"], props["aria-describedby"]) == ("figure", FIGURE_NAME, ids.FIGURE_DESCRIPTION)
    described = next(n for n in nodes if getattr(n, "id", None) == ids.FIGURE_DESCRIPTION).to_plotly_json()["props"]
    assert described["aria-live"] == "polite"


def test_no_graph_offers_to_upload_the_figure_to_a_cloud(app):
    graphs = [n for n in walk(app.layout) if isinstance(n, dcc.Graph)]
    assert graphs
    for graph in graphs:
        assert "sendChartToCloud" in graph.config.get("modeBarButtonsToRemove", [])
        assert graph.config.get("displaylogo") is False


def test_one_mode_bar_however_many_graphs_are_stacked(app):
    """The static scene lies under the route layer: two bars would put a row of Tab stops
    nobody can see under the visible one."""
    graphs = [n for n in walk(app.layout) if isinstance(n, dcc.Graph)]
    assert len([g for g in graphs if g.config.get("displayModeBar", True) is not False]) == 1
