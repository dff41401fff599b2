"""Build the painmap Dash app for one dataset."""

from __future__ import annotations

from pathlib import Path

import dash

from painmap.anatomy_sex import by_sex
from painmap.app.callbacks import register_callbacks
from painmap.app.embed import register_routes, with_open_link
from painmap.app.layout import build_layout
from painmap.loader import load
from painmap.model import Dataset


def assets_dir() -> Path:
    """assets/ inside an installed wheel, else at the repository root (absolute, see DESIGN.md)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "assets", here.parent.parent / "assets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("painmap's assets folder is missing from this installation")


def create_app(data: str | Path | Dataset | None = None) -> dash.Dash:
    """A new app on ``data`` (a path, a loaded Dataset, or None for the bundled dataset).

    Each call builds a fresh app with its own callbacks and caches: no global state, so
    tests can make many apps and gunicorn workers share nothing.
    """
    ds = data if isinstance(data, Dataset) else load(data)
    app = dash.Dash(
        __name__,
        title="painmap: why organ pain is felt in the back",
        assets_folder=str(assets_dir()),
        compress=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = with_open_link(build_layout(ds))
    anatomies = by_sex(ds)  # female, male and both: built once, read-only
    register_callbacks(app, ds, anatomies)
    register_routes(app, ds, anatomies)
    return app
