"""The embedded view, its codes, /oembed and the server's URL hygiene, through Flask's test client."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from painmap.app import create_app
from painmap.app.embed import EMBED_SIZES, OPEN_APP, app_base, embed_base, is_embed
from tests.unit.tiny import tiny_dataset

HOST = "http://localhost"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_dataset(tmp_path_factory.mktemp("tiny"))


def get_raw(client, target: str):
    """GET ``target`` as a server receives it (the test client would read '//host/...' as a host)."""
    path, _, query = target.partition("?")
    return client.get("/", environ_overrides={"PATH_INFO": path, "QUERY_STRING": query, "RAW_URI": target})


@pytest.fixture(scope="module")
def client(tiny):
    return create_app(tiny).server.test_client()


def test_embed_is_served_as_the_app_page(client):
    reply = client.get("/embed?organ=pump")
    assert reply.status_code == 200 and b"_dash-app-content" in reply.data or b"react-entry-point" in reply.data


@pytest.mark.parametrize("word", ["1", "true", "yes"])
def test_an_old_embed_link_redirects_to_embed_keeping_the_view(client, word):
    reply = client.get(f"/?organ=pump&embed={word}&step=2")
    assert reply.status_code == 302
    location = urlsplit(reply.headers["Location"])
    assert location.path == "/embed" and parse_qs(location.query) == {"organ": ["pump"], "step": ["2"]}
    assert client.get("/?organ=pump&embed=no").status_code == 200


@pytest.mark.parametrize(
    "path, expected",
    [
        ("//?organ=bladder", "/?organ=bladder"),
        ("///embed?organ=pump&step=%C2%B2", "/embed?organ=pump&step=%C2%B2"),
        ("//embed//", "/embed/"),
        ("//", "/"),
    ],
)
def test_doubled_slashes_are_redirected_to_single_ones_keeping_the_query(client, path, expected):
    reply = get_raw(client, path)
    assert reply.status_code == 308
    assert reply.headers["Location"] in (expected, HOST + expected)
    assert not reply.headers["Location"].startswith("//"), "never a link to another host"


def test_a_doubled_slash_never_leads_to_another_host(client):
    reply = get_raw(client, "//evil.test/x")
    location = urlsplit(reply.headers["Location"])
    assert location.netloc in ("", "localhost") and location.path == "/evil.test/x"


def test_the_page_head_names_its_oembed(client):
    page = client.get("/?organ=pump").data.decode()
    assert 'type="application/json+oembed"' in page
    assert "/oembed?url=http%3A%2F%2Flocalhost%2F%3Forgan%3Dpump&amp;format=json" in page


def test_oembed_answers_a_link_of_the_app_with_an_iframe_of_its_embed(client):
    reply = client.get("/oembed", query_string={"url": f"{HOST}/?organ=pump&compare=sac&step=2", "format": "json"})
    assert reply.status_code == 200 and reply.mimetype == "application/json"
    answer = json.loads(reply.data)
    assert {k: answer[k] for k in ("type", "version", "provider_name")} == {
        "type": "rich", "version": "1.0", "provider_name": "painmap"
    }
    assert (answer["width"], answer["height"]) == EMBED_SIZES["medium"]
    assert answer["title"] == "painmap: Pump"
    assert f'src="{HOST}/embed?organ=pump&amp;compare=sac&amp;step=2"' in answer["html"]
    assert "allowfullscreen" in answer["html"] and 'width="680" height="520"' in answer["html"]


def test_oembed_takes_an_embed_link_and_honours_the_size_limits(client):
    answer = json.loads(client.get("/oembed", query_string={"url": f"{HOST}/embed?route=sac-rat", "maxwidth": "700"}).data)
    assert (answer["width"], answer["height"]) == (680, 520)
    assert answer["title"] == "painmap: Sac wall in the rat"
    tiny = json.loads(client.get("/oembed", query_string={"url": f"{HOST}/", "maxwidth": "240"}).data)
    assert tiny["width"] <= 240 and 'width="240"' in tiny["html"]


@pytest.mark.parametrize(
    "query, status",
    [
        ({"url": "https://elsewhere.test/?organ=pump"}, 404),
        ({"url": f"{HOST}/_dash-layout"}, 404),
        ({"url": "javascript:alert(1)"}, 404),
        ({"url": "//localhost/?organ=pump"}, 404),
        ({}, 400),
        ({"url": f"{HOST}/", "maxwidth": "wide"}, 400),
        ({"url": f"{HOST}/", "maxheight": "0"}, 400),
        ({"url": "http://[::1"}, 400),
        ({"url": f"{HOST}/", "format": "xml"}, 501),
    ],
)
def test_oembed_refuses_other_hosts_and_bad_input_without_a_500(client, query, status):
    assert client.get("/oembed", query_string=query).status_code == status


def test_oembed_survives_any_query_of_the_app(client):
    for view in ("?step=%C2%B2", "?organ=%00", "?speed=inf&organ=" + "x" * 500, "?organ=pump&organ=sac"):
        assert client.get("/oembed", query_string={"url": HOST + "/" + view}).status_code == 200, view


def test_links_between_the_app_and_its_embed():
    assert is_embed("http://x.test/app/embed?organ=gut") and is_embed("/embed/") and not is_embed("/")
    assert app_base("http://x.test/app/embed?organ=gut#f") == "http://x.test/app/"
    assert embed_base("http://x.test/app/?organ=gut") == "http://x.test/app/embed"
    assert embed_base("http://x.test/app/embed") == "http://x.test/app/embed"
    assert app_base("//") == "/" and app_base(None) == "/" and app_base(5) == "/"


def test_the_embed_has_a_link_that_opens_the_app_in_a_new_tab(tiny):
    from painmap.app.page import page

    embedded = page(tiny, __import__("painmap.viewstate").viewstate.ViewState(organ="pump"), href="http://x.test/embed?organ=pump")
    assert embedded["open_link"] == "http://x.test/?organ=pump" and embedded["open_link_hidden"] is False
    assert embedded["share_link"] == "http://x.test/?organ=pump", "the share link names the app, not the frame"
    layout = create_app(tiny).layout()  # the English page's layout (one per language)
    link = next(c for c in _walk(layout) if getattr(c, "id", None) == OPEN_APP)
    assert (link.target, link.rel, link.children) == ("_blank", "noopener", "Open in painmap")


def test_the_share_panel_offers_three_sizes_each_allowing_fullscreen(tiny):
    from painmap.app.page import page
    from painmap.viewstate import ViewState

    code = page(tiny, ViewState(organ="pump"), href="http://x.test/")["embed_code"]
    assert code.count("<iframe") == 3 and code.count("allowfullscreen") == 3
    for width, height in EMBED_SIZES.values():
        assert f'width="{width}" height="{height}"' in code
    assert 'src="http://x.test/embed?organ=pump"' in code


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        yield from _walk(child)
