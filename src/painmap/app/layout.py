"""The page: controls, the figure with its player, the explanation panels, red flags."""

from __future__ import annotations

from dash import dcc, html

from painmap.app import ids
from painmap.anatomy_sex import SEX_LABELS
from painmap.app.panels import attributes
from painmap.model import Dataset, text
from painmap.viewstate import ANATOMY_VIEWS, LAYERS, SPEEDS

LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "pt": "Português"}
#: The figure's accessible name (plotly.js gives its SVG none); its description is generated per step.
FIGURE_NAME = "Diagram: how pain from an organ travels along nerves to the spinal cord and is felt in the skin"
#: plotly.js's options for the page's graphs. Its "Share chart..." button uploads the figure
#: to a cloud service (a Tab stop that leads off the site): the share panel is the way to share.
GRAPH_CONFIG: dcc.Graph.Config = {
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["sendChartToCloud"],
}
#: The static scene lies under the route layer: its mode bar would be a second row of Tab stops
#: under the layer's own (hidden under it, in the same place). The layer's bar serves both.
SCENE_CONFIG: dcc.Graph.Config = {**GRAPH_CONFIG, "displayModeBar": False}
LAYER_LABELS = {
    "sympathetic": "Sympathetic nerves",
    "parasympathetic": "Parasympathetic nerves",
    "somatic": "Skin and muscle input",
    "labels": "Labels",
    "dermatomes": "Dermatome bands",
}


def _field(label: str, control, hint: str | None = None) -> html.Div:
    return html.Div(
        [html.Label(label, htmlFor=control.id), control, html.Small(hint, className="hint") if hint else None],
        className="field",
    )


def _group(label: str, control, hint: str | None = None, role: str = "group", **wrapper) -> html.Div:
    """A radio or checkbox group, named by its visible label (a <label for> names one input,
    not a group): the wrapper carries the role and aria-labelledby."""
    label_id = f"{control.id}-label"
    return html.Div(
        [
            html.Span(label, id=label_id, className="group-label"),
            html.Div(control, role=role, **attributes(aria_labelledby=label_id)),
            html.Small(hint, className="hint") if hint else None,
        ],
        className="field",
        **wrapper,
    )


def controls(ds: Dataset) -> html.Aside:
    organ_options = [{"label": text(o.label), "value": o.id} for o in ds.organs]
    zone_options = [{"label": text(z.label), "value": z.id} for z in ds.zones]
    segment_options = [{"label": s, "value": s} for s in ds.segment]
    fields = [
        html.Div(
            [
                html.Label("What are you explaining?", htmlFor=ids.STORY_SEARCH),
                dcc.Input(
                    id=ids.STORY_SEARCH,
                    type="search",
                    placeholder="e.g. period pain, kidney, low back",
                    debounce=0.3,
                    autoComplete="off",
                    className="story-search",
                ),
                html.Div(id=ids.STORY_RESULTS, className="story-results", **attributes(aria_live="polite")),
            ],
            className="field search",
            role="search",
        ),
        html.H2("Explore"),
        _field("Organ", dcc.Dropdown(id=ids.ORGAN, options=organ_options, placeholder="Choose an organ", clearable=True)),
        _field("Part", dcc.Dropdown(id=ids.PART, options=[], placeholder="Whole organ", clearable=True)),
        _group("Pathway", dcc.RadioItems(id=ids.ROUTE, options=[], className="route-list"), role="radiogroup"),
        _group(
            "Side",
            dcc.RadioItems(
                id=ids.SIDE,
                options=[{"label": "Both", "value": ""}, {"label": "Left", "value": "left"}, {"label": "Right", "value": "right"}],
                value="",
                inline=True,
            ),
            "The patient's left or right: one kidney, ovary or testis.",
            role="radiogroup",
            id=ids.SIDE_GROUP,
            hidden=True,
        ),
        _field(
            "Compare with",
            dcc.Dropdown(id=ids.COMPARE, options=organ_options, placeholder="A second organ", clearable=True),
            "Shared segments: where two organs can sensitise each other.",
        ),
        html.H2("Ask the other way"),
        _field(
            "Pain felt here",
            dcc.Dropdown(id=ids.ZONE, options=zone_options, placeholder="Choose a skin zone", clearable=True),
            "Which organs can refer pain to this skin?",
        ),
        _field(
            "Spinal segment",
            dcc.Dropdown(id=ids.SEGMENT, options=segment_options, placeholder="e.g. S3", clearable=True),
            "What enters this segment?",
        ),
        html.H2("Show"),
        _group(
            "Anatomy view",
            dcc.RadioItems(
                id=ids.ANATOMY, options=[{"label": v.capitalize(), "value": v} for v in ANATOMY_VIEWS], value="front", inline=True
            ),
            role="radiogroup",
        ),
        _group(
            "Anatomy",
            dcc.RadioItems(
                id=ids.SEX,
                options=[{"label": label, "value": sex} for sex, label in SEX_LABELS.items()],
                value="",
                inline=True,
                className="sex-choice",
            ),
            "Organs, skin zones and names of a female or a male body, or both.",
            role="radiogroup",
        ),
        _group(
            "Layers",
            dcc.Checklist(id=ids.LAYERS, options=[{"label": LAYER_LABELS[k], "value": k} for k in LAYERS], value=list(LAYERS)),
        ),
    ]
    languages = [{"label": LANGUAGE_NAMES.get(lang, lang), "value": lang} for lang in ds.languages]
    fields.append(
        _field("Language", dcc.Dropdown(id=ids.LANG, options=languages, value="en", clearable=False))
        if len(languages) > 1
        else dcc.Store(id=ids.LANG, data="en")
    )
    return html.Aside(fields, id=ids.CONTROLS, className="controls")


def player() -> html.Div:
    """Step back, play, pause, step forward and speed: all run in the browser."""
    return html.Div(
        [
            html.Button("\u25c0 Back", id=ids.STEP_BACK, className="player-button", title="Previous step"),
            html.Button("\u25b6 Play", id=ids.STEP_PLAY, className="player-button play", title="Play the animation"),
            html.Button("\u275a\u275a Pause", id=ids.STEP_PAUSE, className="player-button", title="Pause"),
            html.Button("Next \u25b6", id=ids.STEP_FORWARD, className="player-button", title="Next step"),
            html.Span("Speed", id=ids.SPEED_LABEL, className="speed-label"),
            html.Div(
                dcc.RadioItems(
                    id=ids.SPEED,
                    options=[{"label": f"{s:g}\u00d7", "value": s} for s in SPEEDS],
                    value=1.0,
                    inline=True,
                    className="speed",
                ),
                role="radiogroup",
                **attributes(aria_labelledby=ids.SPEED_LABEL),
            ),
        ],
        id=ids.PLAYER,
        className="player",
        role="group",
        **attributes(aria_label="Animation player"),
    )


def build_layout(ds: Dataset) -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.VIEWPORT),
            dcc.Store(id=ids.STEP_STORE),
            dcc.Store(id=ids.SHOWN),
            dcc.Store(id=ids.QUIZ_SCORE, storage_type="session"),
            html.A("Skip to the figure", href=f"#{ids.FIGURE_AREA}", id=ids.SKIP_LINK, className="skip-link"),
            html.Header(
                [
                    html.Div(
                        [html.H1("painmap"), html.P("Why an organ's pain can be felt in the back", className="tagline")]
                    ),
                    html.A("Red flags: when to get help now", href="#red-flags", className="redflag-link"),
                ],
                className="site-header",
            ),
            html.Main(
                [
                    controls(ds),
                    html.Section(
                        [
                            html.Div(
                                [
                                    # The static scene, drawn once per page; the route layer over it
                                    # (transparent, clicks pass through to the scene: painmap-layers.css).
                                    dcc.Graph(
                                        id=ids.SCENE_GRAPH,
                                        config=SCENE_CONFIG,
                                        className="figure scene",
                                        style={"display": "none"},
                                    ),
                                    dcc.Graph(
                                        id=ids.GRAPH,
                                        config=GRAPH_CONFIG,
                                        className="figure layer",
                                    ),
                                ],
                                id=ids.FIGURE_BOX,
                                role="figure",
                                **attributes(aria_label=FIGURE_NAME, aria_describedby=ids.FIGURE_DESCRIPTION),
                            ),
                            player(),
                            html.P(id=ids.STEP_CAPTION, className="step-caption"),
                            # The figure in words, generated in the browser at each step (painmap.js).
                            html.P(
                                id=ids.FIGURE_DESCRIPTION,
                                className="visually-hidden",
                                **attributes(aria_live="polite", aria_atomic="true"),
                            ),
                        ],
                        id=ids.FIGURE_AREA,
                        className="figure-area",
                        tabIndex="-1",
                        **attributes(aria_label="Figure and player"),
                    ),
                    html.Section(
                        [
                            html.Div(id=ids.QUIZ_PANEL, className="panel quiz", hidden=True),
                            html.Div(id=ids.STORY_PANEL, className="panel story", hidden=True),
                            html.Div(id=ids.SUMMARY, className="panel summary"),
                            html.Div(id=ids.DISPUTE, className="panel dispute"),
                            html.Div([html.H3("Step by step"), html.Ol(id=ids.STEPS)], id=ids.STEPS_PANEL, className="panel steps"),
                            html.Div([html.H3("Sources"), html.Div(id=ids.SOURCES)], className="panel sources"),
                            html.Details(
                                [
                                    html.Summary("Share or embed this view"),
                                    html.Label("Link", htmlFor=ids.SHARE_LINK),
                                    dcc.Input(id=ids.SHARE_LINK, readOnly=True, className="share-link"),
                                    html.Label("Embed code", htmlFor=ids.EMBED_CODE),
                                    dcc.Textarea(id=ids.EMBED_CODE, readOnly=True, className="embed-code"),
                                ],
                                className="panel share",
                            ),
                        ],
                        className="info",
                    ),
                ],
                id=ids.MAIN,
                className="workspace",
            ),
            html.Footer(
                [
                    html.Section(
                        [
                            html.H2("Red flags: get medical help now"),
                            html.P(
                                "painmap explains how pain can travel; it cannot tell what is causing yours. "
                                "If any of these apply, see a doctor now, whatever the map shows."
                            ),
                            html.Ul(id=ids.RED_FLAGS),
                        ],
                        id="red-flags",
                        className="red-flags",
                    ),
                    html.P(
                        "Sources are listed for every pathway. Connectivity records from SCKAN "
                        "(release 2025-11-10, NIH SPARC, CC BY 4.0).",
                        className="credits",
                    ),
                ],
            ),
        ],
        id=ids.PAGE,
        className="page",
    )
