"""Build the painmap Dash app for one dataset."""

from __future__ import annotations

import html as html_text
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import dash
from dash.types import RendererHooks
from flask import has_request_context, request

from painmap.anatomy_sex import by_sex
from painmap.app import ids
from painmap.app.callbacks import register_callbacks
from painmap.app.downloads import register_download_routes
from painmap.app.embed import register_routes, with_open_link
from painmap.app.layout import build_layout
from painmap.app.security import DEFAULT_EMBED_ORIGINS, apply_security
from painmap.app.wire import PANELS, store_id
from painmap.i18n import N_, translator
from painmap.loader import load
from painmap.model import Dataset
from painmap.viewstate import ViewState

#: Dash's page template, with two changes for screen readers. ``<html lang>`` is in the
#: server's HTML (a reader picks its voice before any script runs; ``{lang}`` is the view's
#: language). Dash's own template wraps its scripts in a ``<footer>``: a second contentinfo
#: landmark beside the page's own footer, so the scripts stand in the body here.
INDEX_STRING = """<!DOCTYPE html>
<html lang="{lang}">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        {{%css%}}
    </head>
    <body>
        {{%app_entry%}}
        {{%config%}}
        {{%scripts%}}
        {{%renderer%}}
    </body>
</html>"""


def renderer_hooks() -> RendererHooks:
    """Dash's request hooks: the text panels and the route's still drawing are drawn as soon as
    an answer is back, before Dash redraws the graph that animates with it (assets/panels.js and
    assets/still.js, ``answered``). A hook that failed would stop Dash's handling of the answer,
    so each is guarded; their clientside callbacks draw them anyway."""
    stores = json.dumps({container: store_id(container) for container in PANELS.values()})
    found = "var dc = window.dash_clientside || {}, panels = dc.panels, still = dc.still;"
    early = (
        f"if (panels) {{ panels.answered({stores}, payload, response); }}"
        f" if (still) {{ still.answered({json.dumps(ids.STILL_FIGURE)}, payload, response); }}"
    )
    # every answer, in its own guard: the graph that animates is placed before Dash applies it
    placed = f"try {{ {found} if (still) {{ still.movingAnswered({json.dumps(ids.GRAPH)}, response); }} }} catch (e) {{}}"
    return RendererHooks(
        request_pre=f"function (payload) {{ try {{ {found} if (panels) {{ panels.requested(payload); }} }} catch (e) {{}} }}",
        request_post=f"function (payload, response) {{ {placed} try {{ {found} {early} }} catch (e) {{}} }}",
    )


#: The browser tab's title (in the page's language: see _with_view_language).
TITLE = N_("painmap: why organ pain is felt in the back")


def assets_dir() -> Path:
    """assets/ inside an installed wheel, else at the repository root (absolute, see DESIGN.md)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "assets", here.parent.parent / "assets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("painmap's assets folder is missing from this installation")


def create_app(
    data: str | Path | Dataset | None = None, embed_origins: Sequence[str] = DEFAULT_EMBED_ORIGINS
) -> dash.Dash:
    """A new app on ``data`` (a path, a loaded Dataset, or None for the bundled dataset);
    ``embed_origins``: the sites that may frame its /embed (see app.security).

    Each call builds a fresh app with its own callbacks and caches: no global state, so
    tests can make many apps and gunicorn workers share nothing.
    """
    ds = data if isinstance(data, Dataset) else load(data)
    app = dash.Dash(
        __name__,
        title=TITLE,
        assets_folder=str(assets_dir()),
        compress=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        hooks=renderer_hooks(),
    )
    app.index_string = INDEX_STRING.format(lang="en")
    app.interpolate_index = _with_view_language(app, ds)  # type: ignore[method-assign]
    # One layout per language, built once (read-only); each page gets its language's.
    layouts = {lang: with_open_link(build_layout(ds, lang), lang) for lang in ds.languages}
    app.layout = lambda: layouts.get(layout_language(ds), layouts[ds.languages[0]])
    anatomies = by_sex(ds)  # female, male and both: built once, read-only
    register_callbacks(app, ds, anatomies)
    register_routes(app, ds, anatomies)
    register_download_routes(app, ds)
    apply_security(app, embed_origins)  # last: its CSP hashes every inline script registered above
    return app


def page_language(ds: Dataset, search: object) -> str:
    """The language a page opened with ``search`` (its query string) is written in: the
    view's ``lang`` when the dataset has it, else English (the rule of ViewState.canonical)."""
    lang = ViewState.from_query(search).lang
    return lang if lang in ds.languages else "en"


def layout_language(ds: Dataset) -> str:
    """The language of the page whose layout is asked for. Dash's renderer fetches the layout
    (``_dash-layout``) from the page, so the page's query is the request's referrer; the
    index request itself carries it. English outside a request (Dash's own validation) and
    when the referrer is withheld (a ``Referrer-Policy`` that strips it)."""
    if not has_request_context():
        return "en"
    if request.args.get("lang"):
        return page_language(ds, request.query_string.decode("utf-8", "replace"))
    referrer = request.referrer or ""
    return page_language(ds, referrer.split("?", 1)[1].split("#", 1)[0] if "?" in referrer else "")


def _with_view_language(app: dash.Dash, ds: Dataset) -> Callable[..., str]:
    """``app.interpolate_index`` that writes the requested view's language into ``<html lang>``."""
    original = app.interpolate_index

    def interpolate_index(**kwargs: str) -> str:
        page = original(**kwargs)
        if not has_request_context():
            return page
        lang = page_language(ds, request.query_string.decode("utf-8", "replace"))
        if lang == "en":
            return page
        title = html_text.escape(translator(lang)(TITLE), quote=False)
        page = page.replace(f"<title>{TITLE}</title>", f"<title>{title}</title>", 1)
        return page.replace('<html lang="en">', f'<html lang="{lang}">', 1)

    return interpolate_index
