"""The baseline of bench/interaction.py: the smallest Dash app that answers a choice with a figure.

A dcc.Dropdown of eight organs and a dcc.Graph; one server callback turns the choice into a
tiny figure (one scatter trace of three points and a title). What it costs is Dash's and
plotly.js's own floor: painmap's interaction numbers are read as ratios to it.

    gunicorn -w 2 -b 127.0.0.1:8061 --chdir bench minimal_app:server
"""

from __future__ import annotations

import dash
from dash import Input, Output, dcc, html

ORGANS = ["Bladder", "Uterus", "Gut", "Kidney", "Airways", "Prostate", "Ovary", "Testis"]


def create_app() -> dash.Dash:
    app = dash.Dash(__name__, compress=True)
    app.layout = html.Div(
        [
            dcc.Dropdown(id="organ-picker", options=[{"label": o, "value": o.lower()} for o in ORGANS]),
            dcc.Graph(id="graph", style={"height": "400px"}),
        ]
    )

    @app.callback(Output("graph", "figure"), Input("organ-picker", "value"))
    def figure(organ):
        return {
            "data": [{"type": "scatter", "x": [1, 2, 3], "y": [len(organ or ""), 2, 3], "name": organ or "none"}],
            "layout": {"title": {"text": organ or "Choose an organ"}, "height": 400},
        }

    return app


app = create_app()
server = app.server
