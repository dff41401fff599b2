"""Patient mode (``?mode=patient``): the view a clinician turns towards the patient.

Large type, plain words one step at a time, the "see a doctor now if..." box always in view,
side and anatomy in one click, and "Where does it hurt?" on a body map. Technical panels
(sources, laminae, ontology ids, Latin) stay hidden until "Show the technical terms" (``terms=1``).
Every function here is pure: (dataset, state, ...) -> Dash components.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import dcc, html

from painmap import plain, query
from painmap.app.panels import attributes
from painmap.figures.bodymap import body_map, zones_off_map
from painmap.figures.steps import Step
from painmap.i18n import translator
from painmap.model import Dataset, Route, text
from painmap.viewstate import ViewState


def link(state: ViewState, label: str, class_name: str = "choice", current: bool = False, **changes) -> Any:
    """A one-click choice: a link to the view with ``changes``; the choice in force is shown,
    marked, but is no link (clicking it would change nothing)."""
    if current:
        return html.Span(label, className=f"{class_name} current", **attributes(aria_current="true"))
    return dcc.Link(label, href=state.with_(**changes).to_query() or "?", className=class_name)


def narration(ds: Dataset, state: ViewState, route: Route, steps: Sequence[Step], step: int) -> html.Div:
    """The route's steps in plain words, the current one shown (the rest follow the player:
    assets/painmap.js marks the current item); a story's own sentences where it has them."""
    _ = translator(state.lang)
    sentences = plain.step_sentences(ds, route, steps, state.lang)
    told = ds.story.get(state.story)
    if told is not None:
        try:
            for rid, index, words in query.story_narration(ds, told.id, state.lang):
                if rid == route.id and 0 <= index < len(sentences):
                    sentences[index] = words
        except (LookupError, ValueError):
            pass  # a story route of the other anatomy: the plain sentences stand
    items = [
        html.Li(
            [html.Span(_("Step {n} of {total}").format(n=i + 1, total=len(sentences)), className="step-count"), " ", words],
            className="story-step current" if i == step else "story-step",
            **attributes(data_route=route.id, data_step=str(i), **({"aria_current": "step"} if i == step else {})),
        )
        for i, words in enumerate(sentences)
    ]
    return html.Div(
        [html.Ol(items, className="patient-narration", **attributes(aria_live="polite"))],
        className="patient-story",
    )


def zone_answer(ds: Dataset, state: ViewState) -> list:
    """"Where does it hurt?" answered: what can cause pain in the chosen zone, in plain words,
    each cause a link to its own view (still in patient mode)."""
    _ = translator(state.lang)
    lang = state.lang
    answers = plain.zone_answer(ds, state.zone, lang)
    heading = html.H3(_("Pain felt here: {zone}").format(zone=plain.plain_name(ds, state.zone, lang)))
    if not answers:
        return [heading, html.P(_("Nothing in this map explains pain here. A doctor can look for other causes."))]
    rows: list = [heading, html.P(_("These can cause pain here. Only a doctor can tell which, if any, it is."))]
    for answer in answers:
        routes = [r for r in query.routes_for_zone(ds, state.zone) if _group_of(ds, r, state.zone) == answer.kind]
        causes = []
        for route in routes:
            name = plain.plain_name(ds, route.part if answer.kind == "segmental" else route.organ, lang)
            causes.append(html.Li(link(state, name, "cause", zone="", organ=route.organ, part=route.part, route=route.id, step=0)))
        rows.append(
            html.Section(
                [html.H4(answer.heading), html.P(answer.explanation), html.Ul(_unique(causes), className="causes")],
                className=f"answer answer-{answer.kind}",
            )
        )
    return rows


def _group_of(ds: Dataset, route: Route, zone_id: str) -> str:
    for group in query.zone_groups(ds, zone_id):
        if route in group.routes:
            return group.kind
    return ""


def _unique(items: list) -> list:
    """Links to the same name once (two routes of one part read as one cause)."""
    seen: set[str] = set()
    out = []
    for item in items:
        name = item.children.children
        if name not in seen:
            seen.add(name)
            out.append(item)
    return out


def choices(ds: Dataset, state: ViewState) -> list:
    """Side and anatomy, each in one click."""
    _ = translator(state.lang)
    rows = []
    if state.organ in ds.organ and ds.organ[state.organ].paired:
        rows.append(
            html.Div(
                [
                    html.Span(_("Side:"), className="choice-label"),
                    link(state, _("Left"), current=state.side == "left", side="left"),
                    link(state, _("Right"), current=state.side == "right", side="right"),
                    link(state, _("Both"), current=state.side == "", side=""),
                ],
                className="choice-row",
                role="group",
                **attributes(aria_label=_("Side")),
            )
        )
    rows.append(
        html.Div(
            [
                html.Span(_("Body:"), className="choice-label"),
                link(state, _("Female"), current=state.sex == "female", sex="female"),
                link(state, _("Male"), current=state.sex == "male", sex="male"),
                link(state, _("Both"), current=state.sex == "", sex=""),
            ],
            className="choice-row",
            role="group",
            **attributes(aria_label=_("Body")),
        )
    )
    return rows


def starting_points(ds: Dataset, state: ViewState) -> list:
    """With nothing chosen: the stories, then the organs, as big buttons."""
    _ = translator(state.lang)
    lang = state.lang
    rows: list = []
    if ds.stories:
        rows += [
            html.H3(_("What are you explaining?")),
            html.Ul([html.Li(link(state, text(s.title, lang), "start", story=s.id, step=0)) for s in ds.stories], className="starts"),
        ]
    rows += [
        html.H3(_("Or start from an organ")),
        html.Ul(
            [html.Li(link(state, plain.plain_name(ds, o.id, lang).capitalize(), "start", organ=o.id, step=0)) for o in ds.organs],
            className="starts",
        ),
    ]
    return rows


def patient_panel(ds: Dataset, state: ViewState, route: Route | None, steps: Sequence[Step], step: int) -> list:
    """Everything patient mode shows beside the figure, for ``state`` (already canonical)."""
    _ = translator(state.lang)
    lang = state.lang
    told = ds.story.get(state.story)
    if told is not None:
        title = text(told.title, lang)
    elif state.zone:
        title = _("Where does it hurt?")
    elif route is not None:
        title = _("Why pain from the {organ} can be felt elsewhere").format(organ=plain.plain_name(ds, route.organ, lang))
    else:
        title = _("How pain from inside the body can be felt in the back")
    rows: list = [
        html.Div(
            [
                link(
                    state,
                    _("Hide the technical terms") if state.terms else _("Show the technical terms"),
                    "terms-toggle",
                    terms=not state.terms,
                ),
                link(state, _("Leave the patient view"), "leave", mode="", terms=False),
            ],
            className="patient-tools",
        ),
        html.H2(title, className="patient-title"),
    ]
    if route is not None and steps and not state.zone:
        rows.append(narration(ds, state, route, steps, step))
    if state.zone:
        rows += zone_answer(ds, state)
    rows += choices(ds, state)
    return rows


def patient_more(ds: Dataset, state: ViewState, route: Route | None) -> list:
    """Under the body map: the zones it cannot show (aches all over), and where to start when
    nothing is chosen yet."""
    lang = state.lang
    rows: list = []
    off_map = zones_off_map(ds)
    if off_map:
        rows.append(
            html.Ul(
                [
                    html.Li(link(state, plain.plain_name(ds, z.id, lang).capitalize(), "start", zone=z.id, organ="", story="", step=0))
                    for z in off_map
                ],
                className="starts off-map",
            )
        )
    if route is None and not state.zone:
        rows += starting_points(ds, state)
    return rows


def body_map_figure(ds: Dataset, state: ViewState) -> dict:
    """The "Where does it hurt?" map, the chosen zone filled, zones named in plain words."""
    names = {z.id: plain.plain_name(ds, z.id, state.lang).capitalize() for z in ds.zones}
    return body_map(ds, state.lang, state.zone, names)


def red_flags_box(ds: Dataset, organ_ids: Sequence[str], lang: str, first: Sequence[str] = ()) -> list:
    """"See a doctor now if...": the flags of the organs on screen (a story's own first) and
    the general ones, emergencies first; each a short line that opens to its full text."""
    _ = translator(lang)
    known = {f.id: f for f in ds.red_flags}
    chosen = [known[i] for i in dict.fromkeys(first) if i in known]
    chosen += [f for f in ds.red_flags if f not in chosen and (not f.organs or set(f.organs) & set(organ_ids))]
    if not organ_ids and not first:  # nothing chosen yet: every emergency
        chosen += [f for f in ds.red_flags if f not in chosen and f.urgency == "emergency"]
    chosen.sort(key=lambda f: 0 if f.urgency == "emergency" else 1)
    words = {"emergency": _("Now"), "today": _("Today")}
    return [
        html.H2(_("See a doctor now if...")),
        html.Ul(
            [
                html.Li(
                    html.Details(
                        [
                            html.Summary([html.Span(words.get(f.urgency, f.urgency), className=f"urgency urgency-{f.urgency}"), " ", text(f.label, lang)]),
                            html.P(text(f.text, lang)),
                        ]
                    ),
                    className=f"flag flag-{f.urgency}",
                    **attributes(data_flag=f.id, data_urgency=f.urgency),
                )
                for f in chosen
            ]
        ),
        html.P(_("This picture explains; it cannot tell what is causing your pain."), className="hint"),
    ]

