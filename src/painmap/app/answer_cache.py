"""The page callback's answers kept encoded, per worker: a repeated request costs no JSON.

The page's server callback (``callbacks.register_callbacks``'s ``render``) is a pure function
of its request: the URL, the controls, the click, the viewport and the page the browser says
it shows are all in the POSTed body. Its figures are already cached (``cached_page``,
``cached_answer``), but Dash still encodes 40-80 KB of JSON and gzips it at every request,
which is most of an answer's cost. This keeps the encoded answer (and its gzip) keyed by the
request body, so a choice another user (or the same one) made before is answered by Flask
alone. Bounded, one per app (never module-level), so every gunicorn worker has its own.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import OrderedDict

import flask

#: Where Dash answers callbacks (under the app's ``requests_pathname_prefix``).
UPDATE_PATH = "_dash-update-component"
#: Answers each worker keeps (a page's answer is 40-80 KB, its gzip 8-15 KB).
ANSWER_CACHE_SIZE = 128
#: The request's key, from ``before_request`` to ``after_request``.
_KEY = "painmap.answer_key"


def callback_of(body: bytes) -> str | None:
    """The ``output`` string of a Dash callback request (which callback it calls), or None."""
    try:
        found = json.loads(body)
    except ValueError:
        return None
    output = found.get("output") if isinstance(found, dict) else None
    return output if isinstance(output, str) else None


#: plotly's JSON encoder writes <, > and / as \u003c, \u003e and \u002f (6 bytes each), so that
#: its JSON can sit inside an HTML <script>. An answer to a callback is fetched as JSON, never
#: put in a page: the characters go as themselves. Only an escape that is one (its backslash
#: not itself escaped: an odd run of backslashes before the u) is undone. The pattern starts
#: with a plain backslash, which the regex engine finds fast (a look-behind made it 2 ms an answer).
_HTML_SAFE_ESCAPE = re.compile(rb"(\\+)u00(3c|3e|2f)", re.IGNORECASE)
_UNESCAPED = {b"3c": b"<", b"3e": b">", b"2f": b"/"}


def _unescaped(match: re.Match[bytes]) -> bytes:
    run = match.group(1)
    if len(run) % 2 == 0:  # every backslash is an escaped backslash: the text "\u003c" itself
        return match.group(0)
    return run[:-1] + _UNESCAPED[match.group(2).lower()]


def plain_json(body: bytes) -> bytes:
    """``body`` (JSON) with plotly's HTML-safe escapes of <, > and / written as the characters:
    the same JSON value, shorter (an organ choice's answer: 1-2 KB)."""
    return _HTML_SAFE_ESCAPE.sub(_unescaped, body)


def keep_answers(server: flask.Flask, callback: str, size: int = ANSWER_CACHE_SIZE) -> None:
    """Answer repeated requests to the Dash callback ``callback`` (its output string, the key
    of ``app.callback_map``) from their encoded answer. Only that callback's successful, plain
    answers are kept; a client that takes no gzip gets the plain bytes."""
    kept: OrderedDict[bytes, tuple[bytes, bytes]] = OrderedDict()

    @server.before_request
    def answer_kept() -> flask.Response | None:
        request = flask.request
        if request.method != "POST" or not request.path.endswith(UPDATE_PATH):
            return None
        body = request.get_data(cache=True)
        key = hashlib.blake2b(body, digest_size=16).digest()
        found = kept.get(key)
        if found is None:
            if callback_of(body) == callback:
                request.environ[_KEY] = key
            return None
        kept.move_to_end(key)
        plain, packed = found
        zipped = "gzip" in request.headers.get("Accept-Encoding", "").lower()
        reply = flask.Response(packed if zipped else plain, mimetype="application/json")
        if zipped:
            reply.headers["Content-Encoding"] = "gzip"
        reply.headers["Vary"] = "Accept-Encoding"
        return reply

    @server.after_request
    def keep_answer(reply: flask.Response) -> flask.Response:
        key = flask.request.environ.pop(_KEY, None)
        if key is None or reply.status_code != 200 or reply.direct_passthrough or "Content-Encoding" in reply.headers:
            return reply
        plain = plain_json(reply.get_data())
        reply.set_data(plain)
        kept[key] = (plain, gzip.compress(plain, compresslevel=6))
        while len(kept) > size:
            kept.popitem(last=False)
        return reply
