"""The embedded view (/embed), its iframe codes, the /oembed endpoint and the server's URL hygiene.

Why the same Dash app serves /embed: Dash serves one layout per app, and the embed shows the
same view from the same query with the same callbacks; a second app would duplicate every
callback and cache per worker. Dash already answers any path with its index page, so /embed
is that page with ``page embed`` as its class (``page()`` reads the path from the address)
and an "Open in painmap" link that the full app hides.

Server side, before Dash sees a request:
- a path with doubled slashes (``//?organ=bladder``, a proxy's mistake) is redirected to the
  same path with single slashes, keeping the query: Dash's ``pushState`` throws on ``//``;
- ``?embed=1`` on the app's page is redirected to ``/embed`` with the rest of the query.
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import dash
from dash import html
from flask import Response, jsonify, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from painmap.anatomy_sex import for_sex
from painmap.i18n import N_, gettext, translator
from painmap.model import Dataset, text
from painmap.viewstate import ViewState

#: The embedded view's path, below the app's own.
EMBED_PATH = "embed"
#: The iframe sizes the share panel offers (CSS pixels), smallest first.
EMBED_SIZES: dict[str, tuple[int, int]] = {"small": (480, 360), "medium": (680, 520), "large": (960, 640)}
#: The link in the embed that opens the full app in a new tab (hidden in the app itself).
OPEN_APP = "open-in-painmap"
OPEN_APP_TEXT = N_("Open in painmap")
PROVIDER = "painmap"
#: ``?embed=`` values that ask for the embedded view (old links).
EMBED_FLAGS = ("1", "true", "yes")

_SLASHES = re.compile(r"/{2,}")
#: Runs in the page head before Dash starts. Some servers never see the doubled slash that the
#: address bar still shows (Python's http.server, so Werkzeug, turns a leading '//' into '/'),
#: so the browser's own address is made single-slashed too, before Dash's pushState reads it.
SINGLE_SLASH_SCRIPT = (
    "<script>(function(){var p=window.location.pathname;if(/\\/\\//.test(p)){"
    "window.history.replaceState(window.history.state,'',p.replace(/\\/{2,}/g,'/')"
    "+window.location.search+window.location.hash);}})();</script>"
)
#: Characters a query string keeps as they are when it is put in a Location header.
_QUERY_SAFE = "/?:@&=+$,;%!*'()~[]"


# --------------------------------------------------------------------------- links (pure)


def _base(href: object) -> str:
    """The address without its query and fragment, doubled slashes in its path made single."""
    base = (href if isinstance(href, str) and href else "/").split("?")[0].split("#")[0]
    parts = urlsplit(base) if not base.startswith("//") else None
    if parts is not None and parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}{_SLASHES.sub('/', parts.path) or '/'}"
    return _SLASHES.sub("/", base)  # a path, never another host


def is_embed(href: object) -> bool:
    """True when the address is the embedded view (its path ends in /embed)."""
    return _base(href).rstrip("/").endswith("/" + EMBED_PATH)


def app_base(href: object) -> str:
    """The full app's address for the page at ``href`` (the app itself or its /embed)."""
    base = _base(href)
    if is_embed(base):
        return base.rstrip("/")[: -len(EMBED_PATH)]
    return base


def embed_base(href: object) -> str:
    """The embedded view's address for the page at ``href``."""
    base = app_base(href)
    return (base if base.endswith("/") else base.rsplit("/", 1)[0] + "/") + EMBED_PATH


def iframe_code(src: str, size: str, title: str) -> str:
    """The ``<iframe>`` that embeds ``src`` at one of :data:`EMBED_SIZES`."""
    width, height = EMBED_SIZES[size]
    return (
        f'<iframe src="{html_text.escape(src)}" width="{width}" height="{height}" style="border:0" '
        f'title="{html_text.escape(title)}" loading="lazy" allowfullscreen></iframe>'
    )


def embed_codes(src: str, title: str) -> str:
    """The share panel's embed code: one labelled iframe per size, to copy the one that fits."""
    return "\n\n".join(
        f"<!-- {size} ({w}\u00d7{h}) -->\n{iframe_code(src, size, title)}" for size, (w, h) in EMBED_SIZES.items()
    )


def view_title(ds: Dataset, state: ViewState) -> str:
    """A short title for the view (the iframe's accessible name, the oEmbed title)."""
    lang = state.lang
    if state.route in ds.route:
        shown = text(ds.route[state.route].label, lang) or state.route
    elif state.part in ds.part:
        shown = text(ds.part[state.part].label, lang)
    elif state.organ in ds.organ:
        shown = text(ds.organ[state.organ].label, lang)
    elif state.zone in ds.zone:
        shown = text(ds.zone[state.zone].label, lang)
    elif state.segment:
        shown = gettext(lang, "spinal segment {segment}").format(segment=state.segment)
    else:
        shown = gettext(lang, "why organ pain is felt in the back")
    return f"painmap: {shown}"


def with_open_link(layout: object, lang: str = "en") -> object:
    """The layout with the embed's "Open in painmap" link beside the figure (hidden until
    ``page()`` says the page is an embed). It opens a new tab, never the app inside the frame."""
    link = html.A(
        translator(lang)(OPEN_APP_TEXT), id=OPEN_APP, href="/", target="_blank", rel="noopener", className="open-in-app", hidden=True
    )

    def insert(node: object) -> bool:
        children = getattr(node, "children", None)
        if "figure-area" in (getattr(node, "className", None) or "").split() and isinstance(children, list):
            node.children = [*children, link]  # type: ignore[attr-defined]
            return True
        return any(insert(child) for child in children) if isinstance(children, list) else False

    if not insert(layout):
        children = getattr(layout, "children", None)
        layout.children = [link, *(children if isinstance(children, list) else [children])]  # type: ignore[attr-defined]
    return layout


# --------------------------------------------------------------------------- the server


def _query_of(raw: bytes) -> str:
    return quote(raw, safe=_QUERY_SAFE) if raw else ""


def register_routes(app: dash.Dash, ds: Dataset, anatomies: Mapping[str, Dataset] | None = None) -> None:
    """Add the path hygiene, the ``?embed=1`` redirect, /oembed and oEmbed discovery to ``app``."""
    server = app.server
    prefix = app.config.routes_pathname_prefix or "/"
    app_paths = {prefix, prefix.rstrip("/") or "/"}
    embed_paths = {prefix + EMBED_PATH, prefix + EMBED_PATH + "/"}

    def dataset(sex: str) -> Dataset:
        return anatomies[sex] if anatomies is not None and sex in anatomies else for_sex(ds, sex)

    @server.before_request
    def normalise_path() -> BaseResponse | None:
        path = request.path
        query = _query_of(request.query_string)
        sent = _path_sent(request.environ) or request.script_root + path
        if "//" in sent:  # Dash's pushState throws on '//': never let the page see it
            return redirect(quote(_SLASHES.sub("/", sent), safe=_QUERY_SAFE) + ("?" + query if query else ""), 308)
        if path in app_paths and request.method in ("GET", "HEAD") and request.args.get("embed") in EMBED_FLAGS:
            kept = [(k, v) for k, v in parse_qsl(request.query_string.decode("utf-8", "replace"), keep_blank_values=True)
                    if k != "embed"]
            rest = urlencode(kept)
            return redirect(request.script_root + prefix + EMBED_PATH + ("?" + rest if rest else ""), 302)
        return None

    @server.route(prefix + "oembed")
    def oembed() -> BaseResponse:
        fmt = request.args.get("format", "json")
        if fmt != "json":
            return Response("only format=json is served", status=501, mimetype="text/plain")
        url = request.args.get("url", "")
        if not url:
            return Response("url is required", status=400, mimetype="text/plain")
        try:
            parts = urlsplit(url)
            limits = [_limit(request.args.get(k)) for k in ("maxwidth", "maxheight")]
        except ValueError:
            return Response("bad url, maxwidth or maxheight", status=400, mimetype="text/plain")
        path = _SLASHES.sub("/", parts.path or "/")
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != request.host.lower():
            return Response("not a painmap link of this site", status=404, mimetype="text/plain")
        if path not in app_paths | embed_paths:
            return Response("not a painmap view", status=404, mimetype="text/plain")
        state = ViewState.from_query(parts.query)
        state = state.canonical(dataset(state.sex))
        base = f"{parts.scheme}://{parts.netloc}{request.script_root}{prefix}"
        src = base + EMBED_PATH + state.to_query()
        size = _size_within(*limits)
        title = view_title(dataset(state.sex), state)
        width, height = EMBED_SIZES[size] if size else _scaled(*limits)
        code = iframe_code(src, size or "small", title)
        if not size:
            code = re.sub(r'width="\d+" height="\d+"', f'width="{width}" height="{height}"', code, count=1)
        return jsonify(
            type="rich", version="1.0", html=code, width=width, height=height, title=title,
            provider_name=PROVIDER, provider_url=base,
        )

    original = app.interpolate_index

    def interpolate_index(**kwargs: str) -> str:
        """The index page with its oEmbed discovery link (it names this very address)."""
        try:
            page_url = request.url
            root = request.url_root.rstrip("/") + prefix
        except RuntimeError:  # outside a request: nothing to discover
            return original(**kwargs)
        href = f"{root}oembed?{urlencode({'url': page_url, 'format': 'json'})}"
        link = (
            f'<link rel="alternate" type="application/json+oembed" href="{html_text.escape(href)}" '
            f'title="{html_text.escape(PROVIDER)}">'
        )
        kwargs["metas"] = kwargs.get("metas", "") + "\n      " + link + "\n      " + SINGLE_SLASH_SCRIPT
        return original(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign,assignment]


def _path_sent(environ: Mapping[str, object]) -> str:
    """The path as the client sent it. Servers tidy PATH_INFO (Werkzeug turns '//' into '/'),
    but the browser's address keeps what was sent: RAW_URI (gunicorn, Werkzeug) or REQUEST_URI."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    if not isinstance(raw, str):
        return ""
    path = raw.split("?", 1)[0].split("#", 1)[0]
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", path):
        path = urlsplit(path).path  # an absolute-form target (through a proxy): its path
    return path


def _limit(raw: str | None) -> int | None:
    """An oEmbed maxwidth/maxheight: None when absent; ValueError unless a positive integer."""
    if raw is None or raw == "":
        return None
    if not re.fullmatch(r"[0-9]{1,6}", raw) or int(raw) == 0:
        raise ValueError(raw)
    return int(raw)


def _size_within(maxwidth: int | None, maxheight: int | None) -> str | None:
    """The largest embed size within the limits (medium when there are none), else None."""
    if maxwidth is None and maxheight is None:
        return "medium"
    fitting = [s for s, (w, h) in EMBED_SIZES.items() if w <= (maxwidth or w) and h <= (maxheight or h)]
    return fitting[-1] if fitting else None


def _scaled(maxwidth: int | None, maxheight: int | None) -> tuple[int, int]:
    """The small size scaled down to fit the limits, keeping its shape."""
    width, height = EMBED_SIZES["small"]
    scale = min((maxwidth or width) / width, (maxheight or height) / height, 1.0)
    return max(1, int(width * scale)), max(1, int(height * scale))
