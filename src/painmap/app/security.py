"""The server's rules in one place: security headers, the request size limit, static caching.

    apply_security(app, embed_origins=("*",))   once per app, after every callback is registered
    content_security_policy(...) -> str          the CSP, a pure function (tests read it)
    parse_embed_origins(text) -> tuple           ``--embed-origins``: a clear ValueError when wrong

Every response gets:
- a Content-Security-Policy: scripts only from this origin or inline scripts whose SHA-256 Dash
  itself computes (``app.csp_hashes()``: its renderer and the clientside callbacks) plus the
  page's own inline scripts named here; no eval (plotly.js 4 draws without it); styles from this
  origin and inline (plotly.js writes ``<style>`` elements and style attributes as it draws);
  images also from ``data:`` and ``blob:`` (plotly's modebar and textures); nothing to plugins;
- ``frame-ancestors 'self'`` (and ``X-Frame-Options: SAMEORIGIN``) on the app; the embedded view
  (``/embed``) may be framed by the origins given to ``--embed-origins`` (default any);
- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin`` (the page's own
  requests keep their referrer: factory.layout_language reads it; other sites get none).

Callback requests (POST) larger than :data:`MAX_REQUEST_BYTES` are refused with a short 413
before their body is read. Static files with a fingerprint in their address (Dash's component
suites ``name.v4_4_1m123.js``, ``/assets/x.css?m=123``, ``/_favicon.ico?v=4.4.1``) are cached by
browsers for a year (``immutable``); the few Dash loads by a fixed name (plotly.min.js, the async
chunks) for an hour, then revalidated by ETag. Static bodies are compressed once per worker
(brotli or gzip) and kept, bounded in bytes: a repeat costs no compression.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

import dash
import flask
from werkzeug.exceptions import RequestEntityTooLarge

from painmap.app.embed import EMBED_PATH, SINGLE_SLASH_SCRIPT

try:  # brotli comes with dash[compress] (Flask-Compress); gzip when it is missing
    import brotli  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - depends on the installation
    brotli = None

#: The largest callback body a real page sends is about 5.4 KB (the quiz's answer check; an
#: organ choice 4.1-4.3 KB, measured in headless Chromium over every kind of page); 64 KB
#: leaves room for long comparisons and big datasets and refuses anything abusive at once.
MAX_REQUEST_BYTES = 64 * 1024
#: Seconds a browser keeps a fingerprinted file (a year: its address changes with its content).
YEAR = 31_536_000
#: Seconds a browser keeps a static file Dash loads by a fixed name before revalidating it.
UNVERSIONED_MAX_AGE = 3600
#: Compressed static bodies kept per worker (plotly.js is 4.8 MB, 1.27 MB as brotli).
STATIC_STORE_BYTES = 32 * 1024 * 1024
#: Brotli's quality for static files: plotly.js (4.8 MB) to 1.27 MB in about 0.1 s; quality 11
#: saves 12 % more but takes 26 s, which the first visitor after a start would wait.
BROTLI_QUALITY = 6
#: ``--embed-origins`` default: any site may frame the embedded view.
ANY_ORIGIN = "*"
DEFAULT_EMBED_ORIGINS: tuple[str, ...] = (ANY_ORIGIN,)
#: Where Dash serves its component suites and painmap's assets (below the app's prefix).
SUITES = "_dash-component-suites/"
ASSETS = "assets/"
FAVICON = "_favicon.ico"
#: Dash's fingerprint in a component suite's file name: ``bundle.v7_4_1m1796155396.js``.
_FINGERPRINT = re.compile(r"\.v[\w-]+m[0-9a-f]+\.")
_ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?")
_MEDIA_TYPES = ("javascript", "css", "json", "svg", "text/")


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script (or event handler) text."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _inline_body(tag: str) -> str:
    """The text between ``<script>`` and ``</script>`` of an inline script element."""
    return tag.split(">", 1)[1].rsplit("</script>", 1)[0]


def handout_sources() -> tuple[str, ...]:
    """What the printable handout (/handout) runs inline: its fit-to-page script and the Print
    button's ``onclick`` (allowed by hash only, through 'unsafe-hashes')."""
    from painmap import handout

    return ("'unsafe-hashes'", script_hash(handout.FIT_SCRIPT), script_hash("window.print()"))


def content_security_policy(script_sources: Iterable[str], frame_ancestors: Sequence[str] = ("'self'",)) -> str:
    """The Content-Security-Policy header: ``script_sources`` (hashes) beside 'self'."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_sources],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": list(frame_ancestors),
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def parse_embed_origins(values: Iterable[str]) -> tuple[str, ...]:
    """``--embed-origins`` as CSP sources: ``*`` (any site), ``self``, ``none``, or origins such as
    ``https://school.example`` or ``https://*.school.example:8443``. ValueError names the
    first value that is none of these."""
    origins: list[str] = []
    for raw in values:
        for value in raw.replace(",", " ").split():
            if value in (ANY_ORIGIN, "'self'", "self", "'none'", "none"):
                origins.append(value if value == ANY_ORIGIN else f"'{value.strip(chr(39))}'")
                continue
            parts = urlsplit(value)
            if not _ORIGIN.fullmatch(value.rstrip("/")) or parts.path not in ("", "/"):
                raise ValueError(
                    f"--embed-origins: {value!r} is not an origin; give '*', 'self', 'none' or origins like "
                    "https://school.example (scheme and host, no path)"
                )
            origins.append(value.rstrip("/"))
    return tuple(dict.fromkeys(origins)) or DEFAULT_EMBED_ORIGINS


def cache_control(path: str, args: flask.Request | None = None, prefix: str = "/") -> str | None:
    """The Cache-Control of a static file at ``path`` (below ``prefix``), None when not static.
    ``args``: the request (its ``m``/``v`` query fingerprint)."""
    rest = path[len(prefix):] if path.startswith(prefix) else None
    if rest is None:
        return None
    query = args.args if args is not None else {}
    if rest.startswith(SUITES):
        versioned = bool(_FINGERPRINT.search(rest.rsplit("/", 1)[-1]))
        return f"public, max-age={YEAR}, immutable" if versioned else f"public, max-age={UNVERSIONED_MAX_AGE}"
    if rest.startswith(ASSETS) or rest == FAVICON:
        versioned = bool(query.get("m") or query.get("v"))
        return f"public, max-age={YEAR}, immutable" if versioned else "no-cache"
    return None


class StaticStore:
    """Compressed static bodies, per app (so per worker), bounded by their total size; one
    lock, as a worker answers from several threads."""

    def __init__(self, limit: int = STATIC_STORE_BYTES):
        self.limit = limit
        self.size = 0
        self.kept: OrderedDict[tuple[str, str], tuple[bytes, str, str | None]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> tuple[bytes, str, str | None] | None:
        with self.lock:
            found = self.kept.get(key)
            if found is not None:
                self.kept.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], body: bytes, mimetype: str, etag: str | None) -> None:
        if len(body) > self.limit:
            return
        with self.lock:
            old = self.kept.pop(key, None)
            self.size -= len(old[0]) if old else 0
            self.kept[key] = (body, mimetype, etag)
            self.size += len(body)
            while self.size > self.limit:
                _, (dropped, _, _) = self.kept.popitem(last=False)
                self.size -= len(dropped)


def choose_encoding(accept: str) -> str:
    """'br', 'gzip' or '' (none) for an Accept-Encoding header."""
    offered = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    if brotli is not None and "br" in offered:
        return "br"
    return "gzip" if "gzip" in offered else ""


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br" and brotli is not None:
        return brotli.compress(body, quality=BROTLI_QUALITY)
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=6, mtime=0)
    return body


def too_large_text(limit: int) -> str:
    """What a 413 says (the app's and the server's alike)."""
    return f"Request too large: painmap accepts requests of at most {limit // 1024} KB.\n"


def too_large(limit: int) -> flask.Response:
    """The 413 answer: plain words, no traceback."""
    return flask.Response(too_large_text(limit), status=413, mimetype="text/plain")


def apply_security(
    app: dash.Dash, embed_origins: Sequence[str] = DEFAULT_EMBED_ORIGINS, max_request_bytes: int = MAX_REQUEST_BYTES
) -> None:
    """Give every response of ``app`` the headers, limits and caching above. Call it after
    every callback is registered: the CSP hashes the inline scripts they add."""
    server = app.server
    prefix = app.config.requests_pathname_prefix or "/"
    hashes = [*app.csp_hashes(), script_hash(_inline_body(SINGLE_SLASH_SCRIPT))]
    app_policy = content_security_policy(hashes)
    embed_policy = content_security_policy(hashes, embed_origins or DEFAULT_EMBED_ORIGINS)
    handout_policy = content_security_policy([*hashes, *handout_sources()])
    embed_paths = {prefix + EMBED_PATH, prefix + EMBED_PATH + "/"}
    handout_path = prefix + "handout"
    store = StaticStore()
    server.config["MAX_CONTENT_LENGTH"] = max_request_bytes  # a chunked body is cut off too

    def refuse_large() -> flask.Response | None:
        request = flask.request
        length = request.content_length
        if length is not None and length > max_request_bytes:
            return too_large(max_request_bytes)
        if length is None and request.environ.get("wsgi.input_terminated"):  # chunked: read it, bounded
            body = request.environ["wsgi.input"].read(max_request_bytes + 1)
            if len(body) > max_request_bytes:
                return too_large(max_request_bytes)
            request.environ["wsgi.input"] = io.BytesIO(body)
        return None

    def kept_static() -> flask.Response | None:
        request = flask.request
        if request.method not in ("GET", "HEAD") or cache_control(request.path, request, prefix) is None:
            return None
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        found = store.get((request.full_path, encoding))
        if found is None:
            return None
        body, mimetype, etag = found
        reply = flask.Response(body, mimetype=mimetype)
        if encoding:
            reply.headers["Content-Encoding"] = encoding
        if etag:
            reply.set_etag(etag)
        reply.make_conditional(request)
        return reply

    # Before every other hook (the answer cache reads the body): the limit first.
    hooks = server.before_request_funcs.setdefault(None, [])
    hooks[:0] = [refuse_large, kept_static]

    @server.errorhandler(RequestEntityTooLarge)
    def refuse_streamed(_: RequestEntityTooLarge) -> flask.Response:
        return too_large(max_request_bytes)

    @server.after_request
    def secure(reply: flask.Response) -> flask.Response:
        request = flask.request
        path = request.path
        headers = reply.headers
        policy = embed_policy if path in embed_paths else handout_policy if path == handout_path else app_policy
        headers["Content-Security-Policy"] = policy
        if path not in embed_paths:
            headers["X-Frame-Options"] = "SAMEORIGIN"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        rule = cache_control(path, request, prefix)
        if rule is None or reply.status_code not in (200, 304):
            return reply
        headers["Cache-Control"] = rule
        if reply.status_code == 200 and "Content-Encoding" not in headers:
            _compress_once(reply, request)
        return reply

    def _compress_once(reply: flask.Response, request: flask.Request) -> None:
        """Compress a static body (once: the next request is served from the store)."""
        if not any(kind in (reply.mimetype or "") for kind in _MEDIA_TYPES):
            return
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        reply.direct_passthrough = False
        body = compress(reply.get_data(), encoding)
        etag = reply.get_etag()[0]
        store.put((request.full_path, encoding), body, reply.mimetype or "application/octet-stream", etag)
        if encoding:
            reply.set_data(body)
            reply.headers["Content-Encoding"] = encoding
        reply.vary.add("Accept-Encoding")
