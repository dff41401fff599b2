"""Build the painmap Dash app for one dataset."""

from __future__ import annotations

from pathlib import Path

import dash
from dash import html

from painmap.loader import load
from painmap.model import Dataset, format_segment_range, text


def assets_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "assets", here.parent.parent / "assets"):
        if candidate.is_dir():
            return candidate
    return here / "assets"


def create_app(data: str | Path | Dataset | None = None) -> dash.Dash:
    """A new app on ``data`` (a path, a loaded Dataset, or None for the bundled dataset)."""
    ds = data if isinstance(data, Dataset) else load(data)
    app = dash.Dash(
        __name__,
        title="painmap",
        assets_folder=str(assets_dir()),
        compress=False,
    )
    app.layout = html.Main(
        [
            html.H1("painmap"),
            html.P("Why an organ's pain is felt in the back."),
            html.Ul(
                [
                    html.Li(
                        f"{text(o.label)}: "
                        + ", ".join(
                            f"{r.id} ({format_segment_range(r.segments or ())})" for r in ds.routes if r.organ == o.id
                        ),
                        id=f"organ-{o.id}",
                    )
                    for o in ds.organs
                ]
            ),
        ]
    )
    return app
