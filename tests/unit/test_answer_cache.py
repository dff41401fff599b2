"""Encoded answers kept per request body (painmap.app.answer_cache), on a tiny Dash app."""

from __future__ import annotations

import gzip
import json

import dash
from dash import Input, Output, dcc, html

from hypothesis import given
from hypothesis import strategies as st
from plotly.io.json import to_json_plotly

from painmap.app.answer_cache import callback_of, keep_answers, plain_json


def tiny_app(calls: list[str]) -> dash.Dash:
    app = dash.Dash(__name__, compress=True)
    app.layout = html.Div([dcc.Input(id="words"), html.Div(id="echo"), html.Div(id="other")])

    @app.callback(Output("echo", "children"), Input("words", "value"))
    def echo(words):
        calls.append(words)
        return f"{words} " * 400  # big enough to be compressed

    @app.callback(Output("other", "children"), Input("words", "value"))
    def other(words):
        calls.append(f"other {words}")
        return str(words)

    keep_answers(app.server, "echo.children")
    return app


def body(output: str, words: str) -> str:
    return json.dumps(
        {
            "output": output,
            "outputs": {"id": output.split(".")[0], "property": "children"},
            "inputs": [{"id": "words", "property": "value", "value": words}],
            "changedPropIds": ["words.value"],
            "state": [],
        }
    )


def post(client, data: str, encoding: str = "identity"):
    return client.post("/_dash-update-component", data=data, content_type="application/json",
                       headers={"Accept-Encoding": encoding})


def test_a_repeated_request_gets_the_same_answer_without_running_the_callback_again():
    calls: list[str] = []
    client = tiny_app(calls).server.test_client()
    first = post(client, body("echo.children", "kidney"))
    again = post(client, body("echo.children", "kidney"))
    packed = post(client, body("echo.children", "kidney"), "gzip, deflate")
    assert first.status_code == again.status_code == packed.status_code == 200
    assert "kidney" in json.loads(first.get_data())["response"]["echo"]["children"]
    assert again.get_data() == first.get_data()
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == first.get_data()
    assert calls == ["kidney"]
    other = post(client, body("echo.children", "bladder"))
    assert "bladder" in json.loads(other.get_data())["response"]["echo"]["children"]
    assert calls == ["kidney", "bladder"]


def test_other_callbacks_and_bad_requests_are_not_kept():
    calls: list[str] = []
    client = tiny_app(calls).server.test_client()
    for _ in range(2):
        assert post(client, body("other.children", "gut")).status_code == 200
    assert calls == ["other gut", "other gut"]
    assert post(client, "{not json").status_code >= 400
    assert post(client, "{not json").status_code >= 400


def test_callback_of_reads_the_output_of_a_request_and_nothing_else():
    assert callback_of(body("echo.children", "x").encode()) == "echo.children"
    assert callback_of(b"[1, 2]") is None
    assert callback_of(b"\xff\xfe") is None
    assert callback_of(b'{"output": 3}') is None


def test_an_answer_writes_angle_brackets_and_slashes_as_themselves():
    client = tiny_app([]).server.test_client()
    sent = post(client, body("echo.children", "<b>kidney</b>/ureter")).get_data()
    assert b"<b>kidney</b>/ureter" in sent and b"\\u003c" not in sent
    assert json.loads(sent)["response"]["echo"]["children"].startswith("<b>kidney</b>/ureter ")


tricky_text = st.text(alphabet=st.sampled_from(["<", ">", "/", "\\", "u", "0", "3", "c", "2", "f", "e", "a", '"']), max_size=30)


@given(st.recursive(tricky_text, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3)))
def test_plain_json_is_the_same_json_value(value):
    encoded = to_json_plotly(value).encode()
    assert json.loads(plain_json(encoded)) == json.loads(encoded)
