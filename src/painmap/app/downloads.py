"""The app's downloads: /download (PNG, SVG, PDF handout, HTML of the view) and /handout (the
printable one-page handout), and the page's Download menu whose links follow the view.

    register_download_routes(app, ds)       the two Flask routes, on the app's own prefix
    download_links(state) -> list           the Download menu's items for a view (page() output)

Both routes are total: any query string gives the file, or a short 400 page that says which
parameter was wrong and the closest valid ids (never a 500). Images are drawn by one headless
Chromium per app (per gunicorn worker), started by the first image asked for and closed when
the process exits; it is the app's own object, not module state.
"""

from __future__ import annotations

import atexit
import html as html_text
import logging
from urllib.parse import parse_qsl, urlencode

import dash
from dash import html
from flask import Response, request

from painmap import export, handout
from painmap.app.panels import attributes
from painmap.i18n import N_, translator
from painmap.model import Dataset
from painmap.viewstate import ViewState

#: The Download menu's list (page() fills it for the view on screen).
DOWNLOAD_LINKS = "download-links"
DOWNLOAD_PATH = "download"
HANDOUT_PATH = "handout"
#: Menu label per format, in the menu's order.
LINK_LABELS: dict[str, str] = {
    "png": N_("Picture (PNG)"),
    "svg": N_("Drawing (SVG)"),
    "pdf": N_("One-page handout (PDF)"),
    "html": N_("Animated page (HTML, works offline)"),
}
PRINT_LABEL = N_("Print a handout")
_log = logging.getLogger(__name__)


def download_links(state: ViewState) -> list:
    """The Download menu's items for ``state``: one link per format and "Print a handout".

    The links are relative to the page (the app's prefix), and carry the view's query; a view
    at its first step downloads at its last, where the pain is felt (see export.view_from)."""
    _ = translator(state.lang)
    query = state.to_query()
    joiner = "&" if query else "?"
    stem = export.file_stem(state)
    items = [
        html.Li(
            html.A(_(label), href=f"{DOWNLOAD_PATH}{query}{joiner}format={fmt}", download=f"{stem}.{fmt}", rel="nofollow",
                   **attributes(data_format=fmt))
        )
        for fmt, label in LINK_LABELS.items()
    ]
    items.append(html.Li(html.A(_(PRINT_LABEL), href=f"{HANDOUT_PATH}{query}", target="_blank", rel="noopener")))
    return items


def _problem(status: int, message: str) -> Response:
    """A short HTML page that says what was wrong."""
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>painmap: cannot make this file</title></head>'
        f"<body><h1>painmap cannot make this file</h1><p>{html_text.escape(message)}</p>"
        '<p><a href="./">Back to painmap</a></p></body></html>'
    )
    return Response(page, status=status, mimetype="text/html")


def _view(ds: Dataset, drop: tuple[str, ...] = ()) -> ViewState:
    """The view the request's query names (ExportError when a parameter is wrong)."""
    raw = request.query_string.decode("utf-8", "replace")
    kept = [(k, v) for k, v in parse_qsl(raw, keep_blank_values=True) if k not in drop]
    return export.view_from(ds, urlencode(kept))


def _web_words(error: Exception) -> str:
    """An export error as a web page says it: 'organ: ...' rather than '--organ: ...'."""
    return str(error).replace("--query: ", "").lstrip("-")


def register_download_routes(app: dash.Dash, ds: Dataset) -> None:
    """Add /download and /handout to ``app`` (under its routes prefix)."""
    server = app.server
    prefix = app.config.routes_pathname_prefix or "/"
    renderer = export.Renderer()
    atexit.register(renderer.close, True)

    def app_address() -> str:
        return request.url_root.rstrip("/") + prefix

    @server.route(prefix + DOWNLOAD_PATH)
    def download() -> Response:
        fmt = request.args.get("format", "")
        if fmt not in export.FORMATS:
            near = export.closest(fmt, export.FORMATS) if fmt else ""
            return _problem(400, f"format: give one of {', '.join(export.FORMATS)}, not {fmt!r}{near}")
        paper = request.args.get("paper", "a4")
        if paper not in export.PAPERS:
            return _problem(400, f"paper: give a4 or letter, not {paper!r}{export.closest(paper, export.PAPERS)}")
        try:
            state = _view(ds, drop=("format", "paper"))
            content = export.export_view(ds, state, fmt, renderer, base_url=app_address(), paper=paper)
        except export.ExportError as exc:
            return _problem(400, _web_words(exc))
        except export.BrowserUnavailable as exc:
            _log.warning("download: %s", exc)
            return _problem(503, "The server cannot draw pictures right now (its browser is unavailable). Try the HTML file.")
        except Exception:  # a bug must not be a 500 page with a traceback
            _log.exception("download failed for %s", request.query_string)
            return _problem(503, "painmap could not make this file. Please try again, or try another format.")
        name = f"{export.file_stem(state)}.{fmt}"
        return Response(
            content,
            mimetype=export.MEDIA_TYPES[fmt].split(";")[0],
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "public, max-age=3600"},
        )

    @server.route(prefix + HANDOUT_PATH)
    def handout_page() -> Response:
        try:
            state = _view(ds)
            figure = export.handout_figure(ds, state, renderer)
            page = handout.handout_html(ds, state, figure, base_url=app_address(), print_button=True)
        except export.ExportError as exc:
            return _problem(400, _web_words(exc))
        except export.BrowserUnavailable as exc:
            _log.warning("handout: %s", exc)
            return _problem(503, "The server cannot draw the handout's picture right now (its browser is unavailable).")
        except Exception:
            _log.exception("handout failed for %s", request.query_string)
            return _problem(503, "painmap could not make this handout. Please try again.")
        return Response(page, mimetype="text/html")
