"""The text panels on the wire (app/wire.py): compact, plain HTML only, and a choice sends the
red flags' new order rather than the flags again."""

from __future__ import annotations

import json

import pytest
from dash import dcc, html
from painmap.app import create_app, ids
from painmap.app.page import next_state, page
from painmap.app.wire import PANELS, compact, keyed, on_the_wire, store_id
from tests.unit.test_page import post_callback


def test_a_panel_travels_as_tags_attributes_and_text():
    panel = [
        html.H3("Kidney"),
        html.P([html.Strong("From: "), "the kidney ", 3], className="from", **{"data-part": "kidney", "aria-label": "x"}),
        html.Details([html.Summary("more"), html.Ul([html.Li("a"), html.Li("")])], open=True),
        None,
    ]
    assert compact(panel) == [
        ["h3", "Kidney"],
        ["p", {"class": "from", "data-part": "kidney", "aria-label": "x"}, ["strong", "From: "], "the kidney ", "3"],
        ["details", {"open": ""}, ["summary", "more"], ["ul", ["li", "a"], ["li"]]],
    ]


def test_a_web_link_travels_without_the_new_tab_the_page_gives_every_web_link():
    """assets/panels.js opens every web link in a new tab, without access to the page
    (target=_blank, rel=noopener): those two are left out of the wire for a web link, and kept
    for anything else (a place in this app, a link that asks for something else)."""
    web = html.A("link", href="https://doi.org/10.1/x", target="_blank", rel="noopener")
    here = html.A("handout", href="handout?organ=kidney", target="_blank", rel="noopener")
    other = html.A("link", href="https://example.org", target="_self")
    assert compact([web, here, other]) == [
        ["a", {"href": "https://doi.org/10.1/x"}, "link"],
        ["a", {"href": "handout?organ=kidney", "target": "_blank", "rel": "noopener"}, "handout"],
        ["a", {"href": "https://example.org", "target": "_self"}, "link"],
    ]


@pytest.mark.parametrize(
    "odd",
    [dcc.Link("go", href="?organ=x"), html.Script("alert(1)"), html.Iframe(src="x"), html.P("x", style={"color": "red"}), object()],
)
def test_only_plain_html_of_the_allowed_kinds_goes_on_the_wire(odd):
    with pytest.raises(TypeError):
        compact([html.Li(odd)])


def test_keyed_items_are_sent_once_in_a_fixed_order_and_fall_back_to_a_list():
    def flag(name):
        return html.Li(name, **{"data-flag": name})

    first, second = keyed([flag("b"), flag("a")], "data-flag"), keyed([flag("a"), flag("b")], "data-flag")
    assert first["order"] == ["b", "a"] and second["order"] == ["a", "b"]
    assert json.dumps(first["items"]) == json.dumps(second["items"]), "the same flags are the same JSON"
    assert keyed([flag("a"), html.Li("no id")], "data-flag") == [["li", {"data-flag": "a"}, "a"], ["li", "no id"]]
    assert isinstance(keyed([flag("a"), flag("a")], "data-flag"), list)


def test_every_bundled_view_puts_its_panels_on_the_wire(dataset):
    queries = [f"?organ={o}" for o in dataset.organ] + [f"?zone={z.id}" for z in dataset.zones]
    queries += ["", "?segment=T10", "?organ=uterus&lang=es", "?organ=bladder&compare=uterus", "?story=period-pain"]
    for search in queries:
        wired = on_the_wire(page(dataset, next_state(dataset, search), search=search))
        assert set(PANELS) <= set(wired)
        flags = wired["red_flags"]
        assert isinstance(flags, dict) and len(flags["order"]) == len(dataset.red_flags), search
        assert sorted(flags["items"]) == sorted(flags["order"]), search
        for name in PANELS:
            json.dumps(wired[name])


def test_a_choice_sends_the_red_flags_new_order_and_not_the_flags(dataset):
    app = create_app(dataset)
    base = {"url.search": "?organ=kidney", "url.href": "http://painmap.test/?organ=kidney",
            "viewport.data": {"width": 1280, "graph": 955}}
    first = post_callback(app, None, base)
    flags = first[store_id(ids.RED_FLAGS)]["data"]
    assert flags["order"][0] == "obstructed-infected-kidney"
    chose = post_callback(
        app, f"{ids.ORGAN}.value", {**base, f"{ids.ORGAN}.value": "uterus", f"{ids.SHOWN}.data": first[ids.SHOWN]["data"]}
    )
    change = json.dumps(chose[store_id(ids.RED_FLAGS)]["data"])
    assert "possible-ectopic-pregnancy" in change, "the uterus's flags come first"
    assert "get emergency care" not in change.lower() and '"items"' not in change, "no flag's words are sent again"
    assert "Uterine pain" in json.dumps(chose[store_id(ids.SUMMARY)]["data"])


def test_a_choice_sends_which_mechanisms_explain_it_and_not_their_words(dataset):
    """Every mechanism of the dataset is held by the page (its first answer sends them all,
    hidden ones without their mark); a choice sends which explain the route, in order."""
    app = create_app(dataset)
    base = {"url.search": "", "url.href": "http://painmap.test/", "viewport.data": {"width": 1280, "graph": 955}}
    first = post_callback(app, None, base)
    held = first[store_id(ids.MECHANISMS)]["data"]
    assert sorted(held["items"]) == sorted(m.id for m in dataset.mechanisms) and held["order"] == []
    assert "hidden" not in json.dumps(held)
    chose = post_callback(
        app, f"{ids.ORGAN}.value", {**base, f"{ids.ORGAN}.value": "uterus", f"{ids.SHOWN}.data": first[ids.SHOWN]["data"]}
    )
    change = json.dumps(chose[store_id(ids.MECHANISMS)]["data"])
    assert '"items"' not in change and "convergence-projection" in change, change
    assert "Why it is felt there" not in json.dumps(chose[store_id(ids.SUMMARY)]["data"]), "the why is its own list"


def test_keyed_items_marked_hidden_are_held_but_not_shown():
    items = [html.Li("b", **{"data-k": "b"}), html.Li("a", **{"data-k": "a"}, hidden=True)]
    assert keyed(items, "data-k") == {"items": {"a": ["li", {"data-k": "a"}, "a"], "b": ["li", {"data-k": "b"}, "b"]}, "order": ["b"]}
