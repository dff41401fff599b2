"""The page: controls, the figure with its player, the explanation panels, red flags."""

from __future__ import annotations

import json

from dash import dcc, html

from painmap.app import ids
from painmap.i18n import N_, translator
from painmap.anatomy_sex import SEX_LABELS
from painmap.app.downloads import DOWNLOAD_LINKS
from painmap.app.wire import PANELS, store_id
from painmap.app import panels
from painmap.app.panels import attributes
from painmap.model import Dataset, text
from painmap.viewstate import ANATOMY_VIEWS, LAYERS, SPEEDS

LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "pt": "Português"}
#: The figure's accessible name (plotly.js gives its SVG none); its description is generated per step.
FIGURE_NAME = N_("Diagram: how pain from an organ travels along nerves to the spinal cord and is felt in the skin")
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
#: The patient's body map ("Where does it hurt?"): a picture to touch, nothing to zoom or save.
BODY_MAP_CONFIG: dcc.Graph.Config = {**SCENE_CONFIG, "doubleClick": False}
LAYER_LABELS = {
    "sympathetic": N_("Sympathetic nerves"),
    "parasympathetic": N_("Parasympathetic nerves"),
    "somatic": N_("Skin and muscle input"),
    "labels": N_("Labels"),
    "dermatomes": N_("Dermatome bands"),
}
#: How the anatomy views and the anatomies read in the controls.
ANATOMY_VIEW_LABELS = {"front": N_("Front"), "lateral": N_("Lateral")}
SEX_CHOICE_LABELS = {"": N_("Both"), "female": N_("Female"), "male": N_("Male")}


def description_words(lang: str) -> str:
    """The sentences painmap.js writes the figure's description with, in ``lang`` (JSON)."""
    _ = translator(lang)
    return json.dumps(
        {
            "step": _("Step {number} of {total}"),
            "passed": _("The signal has passed: {nerves}."),
            "segments": _("Spinal cord segments lit: {segments}."),
            "zones": _("Pain is felt in the skin zone: {zones}."),
            "and": _(" and "),
        },
        ensure_ascii=False,
    )


def graph_config(config: dcc.Graph.Config, lang: str) -> dcc.Graph.Config:
    """``config`` in ``lang``: plotly.js's own words (mode bar) from its locale
    (assets/plotly-locale-<lang>.js registers it); English needs none."""
    return config if lang == "en" else {**config, "locale": lang}


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


def controls(ds: Dataset, lang: str = "en") -> html.Aside:
    _ = translator(lang)
    organ_options = panels.organ_options(ds, lang)
    zone_options = [{"label": text(z.label, lang), "value": z.id} for z in ds.zones]
    segment_options = [{"label": s, "value": s} for s in ds.segment]
    fields = [
        html.Div(
            [
                html.Label(_("What are you explaining?"), htmlFor=ids.STORY_SEARCH),
                dcc.Input(
                    id=ids.STORY_SEARCH,
                    type="search",
                    placeholder=_("e.g. period pain, kidney, low back"),
                    debounce=0.3,
                    autoComplete="off",
                    className="story-search",
                ),
                html.Div(id=ids.STORY_RESULTS, className="story-results", **attributes(aria_live="polite")),
            ],
            className="field search",
            role="search",
        ),
        html.H2(_("Explore")),
        _field(_("Organ"), dcc.Dropdown(id=ids.ORGAN, options=organ_options, placeholder=_("Choose an organ"), clearable=True)),
        _field(_("Part"), dcc.Dropdown(id=ids.PART, options=[], placeholder=_("Whole organ"), clearable=True)),
        _group(_("Pathway"), dcc.RadioItems(id=ids.ROUTE, options=[], className="route-list"), role="radiogroup"),
        _group(
            _("Side"),
            dcc.RadioItems(
                id=ids.SIDE,
                options=[{"label": _("Both"), "value": ""}, {"label": _("Left"), "value": "left"}, {"label": _("Right"), "value": "right"}],
                value="",
                inline=True,
            ),
            _("The patient's left or right: one kidney, ovary or testis."),
            role="radiogroup",
            id=ids.SIDE_GROUP,
            hidden=True,
        ),
        _field(
            _("Compare with"),
            dcc.Dropdown(id=ids.COMPARE, options=organ_options, placeholder=_("A second organ"), clearable=True),
            _("Shared segments: where two organs can sensitise each other."),
        ),
        html.H2(_("Ask the other way")),
        _field(
            _("Pain felt here"),
            dcc.Dropdown(id=ids.ZONE, options=zone_options, placeholder=_("Choose a skin zone"), clearable=True),
            _("Which organs can refer pain to this skin?"),
        ),
        _field(
            _("Spinal segment"),
            dcc.Dropdown(id=ids.SEGMENT, options=segment_options, placeholder=_("e.g. S3"), clearable=True),
            _("What enters this segment?"),
        ),
        html.H2(_("Show")),
        _group(
            _("Anatomy view"),
            dcc.RadioItems(
                id=ids.ANATOMY, options=[{"label": _(ANATOMY_VIEW_LABELS.get(v, v.capitalize())), "value": v} for v in ANATOMY_VIEWS], value="front", inline=True
            ),
            role="radiogroup",
        ),
        _group(
            _("Anatomy"),
            dcc.RadioItems(
                id=ids.SEX,
                options=[{"label": _(SEX_CHOICE_LABELS.get(sex, label)), "value": sex} for sex, label in SEX_LABELS.items()],
                value="",
                inline=True,
                className="sex-choice",
            ),
            _("Organs, skin zones and names of a female or a male body, or both."),
            role="radiogroup",
        ),
        _group(
            _("Layers"),
            dcc.Checklist(id=ids.LAYERS, options=[{"label": _(LAYER_LABELS[k]), "value": k} for k in LAYERS], value=list(LAYERS)),
        ),
    ]
    languages = [{"label": LANGUAGE_NAMES.get(lang, lang), "value": lang} for lang in ds.languages]
    fields.append(
        _field(_("Language"), dcc.Dropdown(id=ids.LANG, options=languages, value=lang, clearable=False))
        if len(languages) > 1
        else dcc.Store(id=ids.LANG, data="en")
    )
    return html.Aside(fields, id=ids.CONTROLS, className="controls")


def player(lang: str = "en") -> html.Div:
    """Step back, play, pause, step forward and speed: all run in the browser."""
    _ = translator(lang)
    return html.Div(
        [
            html.Button("\u25c0 " + _("Back"), id=ids.STEP_BACK, className="player-button", title=_("Previous step")),
            html.Button("\u25b6 " + _("Play"), id=ids.STEP_PLAY, className="player-button play", title=_("Play the animation")),
            html.Button("\u275a\u275a " + _("Pause"), id=ids.STEP_PAUSE, className="player-button", title=_("Pause")),
            html.Button(_("Next") + " \u25b6", id=ids.STEP_FORWARD, className="player-button", title=_("Next step")),
            html.Span(_("Speed"), id=ids.SPEED_LABEL, className="speed-label"),
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
        **attributes(aria_label=_("Animation player")),
    )


def build_layout(ds: Dataset, lang: str = "en") -> html.Div:
    """The page in ``lang`` (its words; the dataset's texts follow the view's language)."""
    return with_dropdown_words(_page(ds, lang), lang)


def dropdown_words(lang: str) -> dict[str, str]:
    """What Dash's dropdowns say of themselves (a clear button's name, an empty search), in ``lang``."""
    _ = translator(lang)
    return {
        "select_all": _("Select All"),
        "deselect_all": _("Deselect All"),
        "selected_count": _("{num_selected} selected"),
        "search": _("Search"),
        "clear_search": _("Clear search"),
        "clear_selection": _("Clear selection"),
        "no_options_found": _("No options found"),
    }


def with_dropdown_words(layout: html.Div, lang: str) -> html.Div:
    """``layout`` with every dropdown's own words in ``lang`` (English needs none)."""
    if lang == "en":
        return layout
    words = dropdown_words(lang)

    def visit(node: object) -> None:
        if isinstance(node, dcc.Dropdown):
            setattr(node, "labels", words)  # a Dropdown prop its type stub does not declare as an attribute
        children = getattr(node, "children", None)
        for child in children if isinstance(children, (list, tuple)) else [children]:
            if child is not None and not isinstance(child, (str, int, float)):
                visit(child)

    visit(layout)
    return layout


def _page(ds: Dataset, lang: str) -> html.Div:
    _ = translator(lang)
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.VIEWPORT),
            dcc.Store(id=ids.STEP_STORE),
            dcc.Store(id=ids.SHOWN),
            dcc.Store(id=ids.QUIZ_SCORE, storage_type="session"),
            *(dcc.Store(id=store_id(container)) for container in PANELS.values()),  # the text panels' data (wire.py)
            html.A(_("Skip to the figure"), href=f"#{ids.FIGURE_AREA}", id=ids.SKIP_LINK, className="skip-link"),
            html.Header(
                [
                    html.Div(
                        [html.H1("painmap"), html.P(_("Why an organ's pain can be felt in the back"), className="tagline")]
                    ),
                    dcc.Link(_("Test yourself"), href="?mode=quiz", id=ids.QUIZ_LINK, className="quiz-link"),
                    html.A(_("Red flags: when to get help now"), href="#red-flags", className="redflag-link"),
                ],
                className="site-header",
            ),
            html.Main(
                [
                    controls(ds, lang),
                    html.Section(
                        [
                            html.Div(
                                [
                                    # The static scene, drawn once per page; the route layer over it
                                    # (transparent, clicks pass through to the scene: painmap-layers.css).
                                    dcc.Graph(
                                        id=ids.SCENE_GRAPH,
                                        config=graph_config(SCENE_CONFIG, lang),
                                        className="figure scene",
                                        style={"display": "none"},
                                    ),
                                    # What no step of the animation moves, under the graph that animates:
                                    # drawn by the page as SVG from its figure (assets/still.js).
                                    html.Div(id=ids.STILL_GRAPH, className="figure still", style={"display": "none"}),
                                    dcc.Store(id=ids.STILL_FIGURE),
                                    dcc.Graph(
                                        id=ids.GRAPH,
                                        config=graph_config(GRAPH_CONFIG, lang),
                                        className="figure layer",
                                    ),
                                    # The step slider, in the room the figure keeps under its
                                    # legend: drawn by the page for the route on screen (painmap.js).
                                    html.Div(
                                        id=ids.STEP_SLIDER,
                                        className="step-slider",
                                        hidden=True,
                                        **attributes(data_label=_("Step")),
                                    ),
                                ],
                                id=ids.FIGURE_BOX,
                                role="figure",
                                **attributes(aria_label=_(FIGURE_NAME), aria_describedby=ids.FIGURE_DESCRIPTION),
                            ),
                            player(lang),
                            html.P(id=ids.STEP_CAPTION, className="step-caption"),
                            # The figure in words, generated in the browser at each step (painmap.js).
                            html.P(
                                id=ids.FIGURE_DESCRIPTION,
                                className="visually-hidden",
                                **attributes(aria_live="polite", aria_atomic="true", data_words=description_words(lang)),
                            ),
                        ],
                        id=ids.FIGURE_AREA,
                        className="figure-area",
                        tabIndex="-1",
                        **attributes(aria_label=_("Figure and player")),
                    ),
                    # Patient mode only (?mode=patient): plain words, choices in one click, the body map,
                    # and under them "See a doctor now if...", which stays in view (patient.css).
                    html.Section(
                        [
                            html.Div(
                                [
                                    html.Div(id=ids.PATIENT_PANEL, className="patient-panel"),
                                    html.H3(_("Where does it hurt?"), id="body-map-title"),
                                    html.P(
                                        _("Touch the body where it hurts, front or back. Left and right are the patient's own."),
                                        className="hint",
                                    ),
                                    html.Div(
                                        dcc.Graph(id=ids.BODY_MAP, config=graph_config(BODY_MAP_CONFIG, lang), className="body-map"),
                                        role="group",
                                        **attributes(aria_labelledby="body-map-title"),
                                    ),
                                    html.Div(id=ids.PATIENT_MORE, className="patient-more"),
                                ],
                                className="patient-scroll",
                            ),
                            html.Div(id=ids.PATIENT_FLAGS, className="patient-flags", role="region", **attributes(aria_label=_("See a doctor now if..."))),
                        ],
                        id=ids.PATIENT_SIDE,
                        className="patient-side",
                        hidden=True,
                        **attributes(aria_label=_("Explained in plain words")),
                    ),
                    html.Section(
                        [
                            html.Div(id=ids.QUIZ_PANEL, className="panel quiz", hidden=True),
                            html.Div(id=ids.STORY_PANEL, className="panel story", hidden=True),
                            html.Div(
                                [
                                    html.Div(id=ids.SUMMARY),
                                    html.Div([html.H4(_("Why it is felt there")), html.Ul(id=ids.MECHANISMS)], className="mechanisms"),
                                ],
                                className="panel summary",
                            ),
                            html.Div(id=ids.DISPUTE, className="panel dispute"),
                            html.Div([html.H3(_("Step by step")), html.Ol(id=ids.STEPS)], id=ids.STEPS_PANEL, className="panel steps"),
                            html.Div([html.H3(_("Sources")), html.Div(id=ids.SOURCES)], className="panel sources"),
                            html.Details(
                                [
                                    html.Summary(_("Share or embed this view")),
                                    html.Label(_("Link"), htmlFor=ids.SHARE_LINK),
                                    dcc.Input(id=ids.SHARE_LINK, readOnly=True, className="share-link"),
                                    html.Label(_("Embed code"), htmlFor=ids.EMBED_CODE),
                                    dcc.Textarea(id=ids.EMBED_CODE, readOnly=True, className="embed-code"),
                                    html.Div(id=ids.CITE, className="cite"),
                                ],
                                className="panel share",
                            ),
                            html.Details(
                                [html.Summary(_("Download")), html.Ul(id=DOWNLOAD_LINKS, className="download-links")],
                                className="panel download",
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
                            html.H2(_("Red flags: get medical help now")),
                            html.P(
                                _(
                                    "painmap explains how pain can travel; it cannot tell what is causing yours. "
                                    "If any of these apply, see a doctor now, whatever the map shows."
                                )
                            ),
                            html.Ul(id=ids.RED_FLAGS),
                        ],
                        id="red-flags",
                        className="red-flags",
                    ),
                    html.P(
                        _(
                            "Sources are listed for every pathway. Connectivity records from SCKAN "
                            "(release 2025-11-10, NIH SPARC, CC BY 4.0)."
                        ),
                        className="credits",
                    ),
                ],
            ),
        ],
        id=ids.PAGE,
        className="page",
        # the language this layout is written in: the language picker reloads the page for another
        **attributes(data_layout_lang=lang),
    )
