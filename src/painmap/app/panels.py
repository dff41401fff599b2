"""The text beside the figure, as pure functions: (Dataset, choice) -> Dash components.

Everything here reads plainly first and names the technical term second, so the same
panels serve a student, a clinician explaining to a patient, and a teacher.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from dash import dcc, html

from painmap import query
from painmap.i18n import N_, gettext, translator
from painmap.model import HUMAN, Dataset, Route, format_segment_range, text
from painmap.search import search_conditions
from painmap.viewstate import ViewState


def attributes(**values: str) -> Any:
    """HTML attributes with hyphens (``data_route=...`` -> ``data-route``) for a Dash component.

    Dash takes ``data-*`` and ``aria-*`` as keywords that Python cannot spell.
    """
    return {key.replace("_", "-"): value for key, value in values.items()}


def species_suffix(route: Route, lang: str = "en") -> str:
    """' (in Rattus norvegicus)' for a non-human route, '' for a human one."""
    if route.species.label == HUMAN.label:
        return ""
    return " " + gettext(lang, "(in {species})").format(species=route.species.label)


def _chain_text(ds: Dataset, route: Route, lang: str) -> str:
    """The chain in words; alternatives side by side: 'Renal plexus -> lesser or least splanchnic nerve -> ...'."""
    group_of = {m: g for g, group in enumerate(route.alternatives) for m in group}
    steps: list[str] = []
    done: set[int] = set()
    for step in route.chain:
        if step in group_of:
            g = group_of[step]
            if g not in done:
                done.add(g)
                alternatives = (text(ds.nerve[m].label, lang) for m in route.chain if group_of.get(m) == g)
                steps.append(gettext(lang, " or ").join(alternatives))
            continue
        steps.append(text(ds.nerve[step].label, lang))
    return " \u2192 ".join(steps)


ASCENDING_WORDS = {
    "spinothalamic": N_("the spinothalamic tract (from laminae I and V, crossing to the other side)"),
    "dorsal-column": N_("the dorsal columns (from around the central canal, lamina X: the postsynaptic dorsal column pathway)"),
}


def mechanism_anchor(mechanism_id: str) -> str:
    """The page anchor of a mechanism's explanation (steps link to it)."""
    return f"mechanism-{mechanism_id}"


def mechanisms_explaining(ds: Dataset, route: Route, also: tuple[str, ...] = ()) -> list[str]:
    """The ids of the mechanisms that explain a route (and ``also`` those its steps name), in order."""
    known = {m.id for m in ds.mechanisms}
    return [m for m in dict.fromkeys([*query.mechanisms_for_route(ds, route), *also]) if m in known]


def mechanism_item(ds: Dataset, mechanism_id: str, lang: str, hidden: bool = False) -> html.Li:
    """One mechanism: plain words first, the term second, then the sources; ``hidden`` where
    it explains nothing on screen."""
    _ = translator(lang)
    mechanism = next(m for m in ds.mechanisms if m.id == mechanism_id)
    cited = "; ".join(ds.source[s].title for s in mechanism.sources)
    return html.Li(
        [
            text(mechanism.text, lang),
            " ",
            html.Span(f"({text(mechanism.label, lang)})", className="term"),
            " ",
            html.Em(_("Sources: {titles}").format(titles=cited), className="mechanism-sources"),
        ],
        id=mechanism_anchor(mechanism_id),
        hidden=hidden or None,
        **attributes(data_mechanism=mechanism_id),
    )


def mechanisms_panel(ds: Dataset, shown: list[str], lang: str) -> list:
    """Every mechanism of the dataset, those in ``shown`` first and in its order, the others
    hidden: the page holds them all and a choice only says which to show (wire.KEYED_BY)."""
    rest = sorted(m.id for m in ds.mechanisms if m.id not in shown)
    return [*(mechanism_item(ds, mid, lang) for mid in shown), *(mechanism_item(ds, mid, lang, hidden=True) for mid in rest)]


def route_summary(ds: Dataset, route: Route, lang: str) -> list:
    """Where a route starts, what it runs through, where it enters and where it is felt. Why it
    is felt there is a list of its own (:func:`mechanisms_panel`)."""
    _ = translator(lang)
    part = ds.part[route.part]
    zones = [text(ds.zone[z].label, lang) for z in route.zones]
    rows = [
        html.H3((text(route.label, lang) or text(part.label, lang)) + species_suffix(route, lang)),
        html.P(
            [html.Strong(_("From: ")), text(part.label, lang), " ", html.Span(f"({part.ontology})", className="term")]
        ),
    ]
    if route.kind == "segmental":
        inputs = query.somatic_inputs_for_route(ds, route)
        rows += [
            html.P([html.Strong(_("Travels: ")), _chain_text(ds, route, lang)]),
            html.P([html.Strong(_("Enters the spinal cord at: ")), format_segment_range(route.segments or ())]),
            html.P(
                [
                    html.Strong(_("Meets the back's input in: ")),
                    ", ".join(text(ds.lamina[lam].label, lang) for lam in route.laminae),
                ]
            ),
            html.P([html.Strong(_("Rises to the brain in: ")), _(" and ").join(_(ASCENDING_WORDS[a]) for a in route.ascending)]),
        ]
        if inputs:
            rows.append(
                html.Details(
                    [
                        html.Summary(_("{count} skin and muscle inputs share these segments").format(count=len(inputs))),
                        html.Ul([html.Li(text(s.label, lang)) for s in inputs]),
                    ]
                )
            )
    elif route.kind == "mechanical":
        strains = ", ".join(text(ds.deep_structure[d].label, lang) for d in route.strains)
        rows.append(
            html.P(
                [
                    html.Strong(_("Strains: ")),
                    strains,
                    " " + _("(nerve levels {segments})").format(segments=format_segment_range(route.segments or ())),
                ]
            )
        )
    else:
        rows.append(html.P([html.Strong(_("Spreads: ")), _("through the blood (cytokines), not along one nerve")]))
    felt = _("Felt first in: ") if route.somatic_phase else _("Felt in: ")
    rows.append(html.P([html.Strong(felt), ", ".join(zones)]))
    phase = route.somatic_phase
    if phase is not None:
        rows.append(
            html.Div(
                [
                    html.P([html.Strong(_("Then: ")), text(phase.label, lang)]),
                    html.P(
                        [
                            html.Strong(_("Felt in: ")),
                            ", ".join(text(ds.zone[z].label, lang) for z in phase.zones),
                            _(
                                ", reported by the {nerve} ({segments}). This pain is somatic, not referred: "
                                "it is felt where the inflammation is."
                            ).format(
                                nerve=lower_first(text(ds.nerve[phase.nerve].label, lang)),
                                segments=format_segment_range(phase.segments),
                            ),
                        ]
                    ),
                    html.P(text(phase.note, lang), className="note") if phase.note else None,
                ],
                className="somatic-phase",
            )
        )
    if route.note:
        rows.append(html.P(text(route.note, lang), className="note"))
    if route.evidence == "weak":
        rows.append(html.P(_("Weak evidence: sources vary for this route."), className="evidence-weak"))
    if route.species.label != HUMAN.label:
        rows.append(html.P(_("Species: {species} (not a human finding)").format(species=route.species.label), className="evidence-weak"))
    return rows


#: The most organs a picker is sent at once. A dataset with more (thousands, at scale) sends the
#: first this many and, as the user types, the organs whose name holds the words typed
#: (``app.callbacks``); the chosen organ is always among them, so the picker can show it.
PICKER_OPTIONS = 200


def organ_options(ds: Dataset, lang: str = "en", chosen: object = None, words: object = "") -> list[dict[str, str]]:
    """The organ picker's choices (and the comparison's): every organ of the view's anatomy, or
    for a long list those matching ``words`` (up to :data:`PICKER_OPTIONS`) and ``chosen``."""
    organs = list(ds.organs)
    if len(organs) > PICKER_OPTIONS:
        wanted = words.strip().casefold() if isinstance(words, str) else ""
        kept = [o for o in organs if not wanted or wanted in text(o.label, lang).casefold() or wanted in o.id.casefold()]
        organs = kept[:PICKER_OPTIONS]
        if isinstance(chosen, str) and chosen in ds.organ and ds.organ[chosen] not in organs:
            organs.append(ds.organ[chosen])
    return [{"label": text(o.label, lang), "value": o.id} for o in organs]


def lower_first(words: str) -> str:
    """'Lower intercostal nerves' -> 'lower intercostal nerves' (an acronym stays as it is)."""
    return words[:1].lower() + words[1:] if words[1:2].islower() else words


def _group_item(ds: Dataset, kind: str, route: Route, lang: str) -> Any:
    if kind == "somatic_phase" and route.somatic_phase is not None:
        where = format_segment_range(route.somatic_phase.segments)
    else:
        where = format_segment_range(route.segments) if route.segments else ""
    return html.Li(
        [
            html.Strong(text(ds.organ[route.organ].label, lang)),
            f" \u2014 {text(ds.part[route.part].label, lang)}{species_suffix(route, lang)}",
            f" ({where})" if where else "",
        ],
        **attributes(data_route=route.id),
    )


#: A long answer (a zone or segment of a large dataset) lists this many routes per group, then "and N more".
ROUTES_LISTED = 40
#: ... and this many sources.
SOURCES_LISTED = 60


def route_groups(ds: Dataset, groups: list[query.RouteGroup], lang: str, empty: str) -> list:
    """One headed list per group that has routes, in the order of ``query.GROUPS``; a group of more
    than :data:`ROUTES_LISTED` routes lists that many and says how many more there are."""
    _ = translator(lang)
    shown = [g for g in groups if g.routes]
    if not shown:
        return [html.P(empty)]
    out: list = []
    for group in shown:
        items = [_group_item(ds, group.kind, r, lang) for r in group.routes[:ROUTES_LISTED]]
        more = len(group.routes) - ROUTES_LISTED
        if more > 0:
            organs = len(set(group.organs))
            items.append(
                html.Li(
                    _("... and {count} more routes, of {organs} organs in all: choose an organ to see its own").format(
                        count=more, organs=organs
                    ),
                    className="more",
                )
            )
        out.append(
            html.Section(
                [html.H4(_(group.label)), html.Ul(items)],
                className=f"route-group route-group-{group.kind}",
                **attributes(data_group=group.kind),
            )
        )
    return out


def zone_summary(ds: Dataset, zone_id: str, lang: str) -> list:
    """The clinician's reverse question: pain here, where could it come from? In groups by how."""
    _ = translator(lang)
    zone = ds.zone[zone_id]
    groups = query.zone_groups(ds, zone_id)
    if zone_id in query.whole_body_zones(ds):
        intro = _("The whole body: aches that spread through the blood, not the skin of particular segments.")
    else:
        intro = _("Skin of segments {segments}. What can hurt here, and how:").format(
            segments=format_segment_range(zone.dermatomes)
        )
    return [
        html.H3(_("Pain felt in: {zone}").format(zone=text(zone.label, lang))),
        html.P(intro),
        *route_groups(ds, groups, lang, _("No organ in this dataset refers pain here.")),
    ]


def segment_summary(ds: Dataset, segment: str, lang: str) -> list:
    """Everything that reaches one cord segment, in groups by how."""
    _ = translator(lang)
    name = query.segment_or_raise(ds, segment)
    groups = query.segment_groups(ds, name)
    inputs = query.somatic_inputs_for_segment(ds, name)
    return [
        html.H3(_("Spinal segment {segment}").format(segment=name)),
        *route_groups(ds, groups, lang, _("No organ route enters here.")),
        html.P(_("Skin and muscle that report here:")),
        html.Ul([html.Li(text(s.label, lang)) for s in inputs]) if inputs else html.P(_("none in this dataset")),
    ]


def compare_summary(ds: Dataset, organ_a: str, organ_b: str, lang: str) -> list:
    """Shared segments: where two organs can sensitise each other."""
    _ = translator(lang)
    shared = query.shared_segments(ds, organ_a, organ_b)
    a, b = text(ds.organ[shared.organ_a].label, lang), text(ds.organ[shared.organ_b].label, lang)
    if not shared.segments:
        return [html.H3(_("{a} and {b}").format(a=a, b=b)), html.P(_("They share no cord segment in this dataset."))]
    return [
        html.H3(_("{a} and {b} share {count} segments").format(a=a, b=b, count=len(shared.segments))),
        html.P(
            [
                _("Shared: "),
                html.Span(", ".join(shared.segments), className="shared-segments"),
                _(". Organs that share segments can sensitise each other "),
                html.Span(_("(viscero-visceral cross-sensitisation)"), className="term"),
                _(": pain in one can make the other hurt more."),
            ]
        ),
    ]


def dispute_box(ds: Dataset, route: Route | None, lang: str) -> list:
    """'Sources disagree': both alternatives, each with its sources."""
    if route is None or route.id not in ds.disputed_routes:
        return []
    _ = translator(lang)
    dispute = ds.disputed_routes[route.id]
    alternatives = []
    for rid in dispute.routes:
        alt = ds.route[rid]
        cited = "; ".join(ds.source[s].title for s in alt.sources)
        marker = " " + _("(shown)") if rid == route.id else ""
        alternatives.append(
            html.Li(
                [html.Strong(f"{text(alt.label, lang)}{marker}: "), f"{format_segment_range(alt.segments or ())}. ", html.Em(cited)],
                **attributes(data_route=rid),
            )
        )
    return [
        html.H3(_("Sources disagree")),
        html.P(text(dispute.question, lang)),
        html.Ul(alternatives),
        html.P(text(dispute.note, lang), className="note") if dispute.note else None,
    ]


def source_ids_on_screen(ds: Dataset, routes: list[Route]) -> list[str]:
    """Sources of the routes shown, their disputes' alternatives and converging inputs."""
    ids: list[str] = []
    known = {m.id: m for m in ds.mechanisms}
    converging: dict[tuple, list[str]] = {}  # routes of one kind, segments and laminae meet the same inputs
    for route in routes:
        ids += route.sources
        if route.id in ds.disputed_routes:
            ids += [s for rid in ds.disputed_routes[route.id].routes for s in ds.route[rid].sources]
        key = (route.kind, route.segments, route.laminae)
        if key not in converging:
            converging[key] = [s for inp in query.somatic_inputs_for_route(ds, route) for s in inp.sources]
        ids += converging[key]
        if route.somatic_phase is not None:
            ids += route.somatic_phase.sources
        ids += [s for mid in query.mechanisms_for_route(ds, route) for s in known[mid].sources]
    return list(dict.fromkeys(ids))


def sources_panel(ds: Dataset, source_ids: list[str], lang: str = "en") -> list:
    """A citation list: title, authors, year and a link where one is known."""
    _ = translator(lang)
    if not source_ids:
        return [html.P(_("Choose an organ, zone or segment to see its sources."))]
    items = []
    for sid in source_ids[:SOURCES_LISTED]:
        src = ds.source[sid]
        bits: list = [html.Span(src.title, className="source-title")]
        if src.authors or src.year:
            bits.append(f" \u2014 {src.authors or ''}{' ' if src.authors and src.year else ''}{src.year or ''}")
        link = (
            f"https://doi.org/{src.doi}"
            if src.doi
            else f"https://pubmed.ncbi.nlm.nih.gov/{src.pmid}/"
            if src.pmid
            else src.url
        )
        if link:
            bits += [" ", html.A(_("link"), href=link, target="_blank", rel="noopener")]
        if src.isbn:
            bits.append(f" ISBN {src.isbn}")
        if src.evidence == "weak":
            bits.append(html.Span(" " + _("weak source"), className="evidence-weak"))
        items.append(html.Li(bits, **attributes(data_source=sid)))
    more = len(source_ids) - SOURCES_LISTED
    if more > 0:
        return [html.Ol(items), html.P(_("... and {count} more sources.").format(count=more), className="more")]
    return [html.Ol(items)]


#: How each urgency reads on the page, most urgent first.
URGENCY_WORDS = {"emergency": N_("Emergency: get help now"), "today": N_("See a doctor today")}


def red_flags_panel(ds: Dataset, organ_ids: list[str], lang: str, first: tuple[str, ...] = ()) -> list:
    """Every red flag: ``first`` (a story's own flags, in its order) first, then those for the
    organs on screen, then the general ones, then the rest; within each group emergencies
    first, each marked with how urgent it is."""
    _ = translator(lang)
    order = list(URGENCY_WORDS)

    def by_urgency(flags: list) -> list:
        return sorted(flags, key=lambda f: order.index(f.urgency))

    known = {f.id: f for f in ds.red_flags}
    told = [known[i] for i in dict.fromkeys(first) if i in known]
    rest = [f for f in ds.red_flags if f not in told]
    relevant = [f for f in rest if set(f.organs).intersection(organ_ids)]
    general = [f for f in rest if not f.organs]
    others = [f for f in rest if f not in relevant and f not in general]
    return [
        html.Li(
            [
                html.Span(_(URGENCY_WORDS[f.urgency]), className=f"urgency urgency-{f.urgency}"),
                " ",
                html.Strong(text(f.label, lang) + ": "),
                text(f.text, lang),
            ],
            className=f"flag flag-{f.urgency}",
            **attributes(data_flag=f.id, data_urgency=f.urgency),
        )
        for f in by_urgency(told) + by_urgency(relevant) + by_urgency(general) + by_urgency(others)
    ]


def steps_list(steps: list, current: int, ds: Dataset | None = None, lang: str = "en") -> list:
    """The animation's steps in order: plain caption first, technical term second, then a
    link to the mechanism that explains the step (listed under "Why it is felt there")."""
    _ = translator(lang)
    known = {m.id: m for m in ds.mechanisms} if ds is not None else {}
    items = []
    for i, step in enumerate(steps):
        bits: list = [html.Span(step.caption, className="caption"), " ", html.Span(f"({step.term})", className="term")]
        mechanism = known.get(getattr(step, "mechanism", ""))
        if mechanism is not None:
            bits += [
                " ",
                html.A(
                    _("Why? {mechanism}").format(mechanism=text(mechanism.label, lang)),
                    href=f"#{mechanism_anchor(mechanism.id)}",
                    className="why",
                    **attributes(data_mechanism=mechanism.id),
                ),
            ]
        items.append(html.Li(bits, className="step current" if i == current else "step", **attributes(data_step=str(i))))
    return items


# --------------------------------------------------------------------------- stories


def _cited(ds: Dataset, source_ids: tuple[str, ...], lang: str = "en") -> Any:
    """'Sources: title; title' for a claim, as the mechanisms cite theirs."""
    titles = "; ".join(ds.source[s].title for s in source_ids if s in ds.source)
    return html.Em(
        gettext(lang, "Sources: {titles}").format(titles=titles),
        className="claim-sources",
        **attributes(data_sources=",".join(source_ids)),
    )


def _claims(ds: Dataset, heading: str, claims: tuple, lang: str, kind: str) -> Any:
    if not claims:
        return html.Div(
            [html.H4(heading), html.P(gettext(lang, "No source in this dataset reports this."), className="note")],
            className=f"story-claims story-{kind}",
        )
    items = [html.Li([text(c.text, lang), " ", _cited(ds, c.sources, lang)], className="claim") for c in claims]
    return html.Div([html.H4(heading), html.Ul(items)], className=f"story-claims story-{kind}")


def story_panel(
    ds: Dataset, story_id: str, route_id: str, step: int, lang: str, link: Any = None, close: str | None = None
) -> list:
    """A story as a clinician tells it: its condition and summary, the narration in order (the
    step of ``route_id`` shown now marked "current"; a step of another route links to that
    route's view, ``link(route, step)`` giving the address), what sets it off and what eases it
    with their sources, then the story's sources; ``close`` is the address of the view without
    the story. [] for a story the dataset does not know."""
    _ = translator(lang)
    story = ds.story.get(story_id)
    if story is None:
        return []
    try:
        narration = query.story_narration(ds, story.id, lang)
    except (LookupError, ValueError):  # a route of the other anatomy: narrate what this one shows
        narration = [
            (s.route, ds.step_names(s.route).index(s.step), text(s.text, lang))
            for s in story.steps
            if s.route in ds.route and s.step in ds.step_names(s.route)
        ]
    several = len({r for r, _, _ in narration}) > 1
    items = []
    for rid, index, words in narration:
        here = rid == route_id
        current = here and index == step
        body: Any = words
        if several and not here and rid in ds.route and link is not None:
            label = text(ds.route[rid].label, lang) or rid
            body = [words, " ", dcc.Link(_("Show: {route}").format(route=label), href=link(rid, index), className="story-go")]
        items.append(
            html.Li(
                body,
                className="story-step current" if current else "story-step",
                **attributes(data_route=rid, data_step=str(index), **({"aria_current": "step"} if current else {})),
            )
        )
    rows: list = [
        html.H3(text(story.title, lang)),
        html.P([html.Strong(_("Condition: ")), text(story.condition, lang)], className="story-condition"),
    ]
    if story.summary:
        rows.append(html.P(text(story.summary, lang), className="story-summary"))
    rows += [
        html.H4(_("Step by step, in plain words")),
        html.Ol(items, className="story-narration"),
        _claims(ds, _("What can set it off"), story.triggers, lang, "triggers"),
        _claims(ds, _("What can ease it"), story.eases, lang, "eases"),
    ]
    if story.note:
        rows.append(html.P(text(story.note, lang), className="note"))
    rows += [html.H4(_("Sources of this story")), *sources_panel(ds, [s for s in story.sources if s in ds.source], lang)]
    if close is not None:
        rows.append(html.P(dcc.Link(_("Close the story"), href=close or "?", className="story-close")))
    return rows


#: How each kind of search answer is named in the list.
MATCH_WORDS = {"story": N_("Story"), "organ": N_("Organ"), "part": N_("Part"), "zone": N_("Pain felt in")}
#: What a search answer asks afresh: the question (organ, zone, story...), not how it is shown.
_FRESH_QUESTION = {"organ": "", "part": "", "route": "", "zone": "", "segment": "", "compare": "", "story": "", "step": 0}


def _answer_link(keep: ViewState | None, kind: str, ident: str) -> str:
    """'?story=period-pain&lang=es&mode=patient': the answer, shown as the view ``keep`` shows things."""
    if keep is None or kind not in ("story", "organ", "part", "zone"):
        return f"?{kind}={quote(ident)}"
    return keep.with_(**{**_FRESH_QUESTION, kind: ident}).to_query()


#: Typed text longer than this is cut before it is searched (a pasted page is no question).
MAX_SEARCH_LENGTH = 200


def search_results(ds: Dataset, words: object, lang: str = "en", limit: int = 8, keep: ViewState | None = None) -> list:
    """The "What are you explaining?" answers: links to ``?story=``, ``?organ=``, ``?part=`` or
    ``?zone=``, stories first, each keeping how ``keep`` (the view now) shows things: its
    language, mode, anatomy, layers. Total: anything typed (or nothing) gives a list, perhaps empty."""
    if not isinstance(words, str) or not words.strip():
        return []
    lang = lang if isinstance(lang, str) else "en"
    _ = translator(lang)
    found = search_conditions(ds, words[:MAX_SEARCH_LENGTH], lang, limit)
    if not found:
        return [html.P(_("Nothing found: try an organ, a condition or where it hurts."), className="hint")]
    return [
        html.Ul(
            [
                html.Li(
                    dcc.Link(f"{_(MATCH_WORDS[m.kind]) if m.kind in MATCH_WORDS else m.kind}: {m.label}", href=_answer_link(keep, m.kind, m.id)),
                    className=f"search-result search-{m.kind}",
                    **attributes(data_kind=m.kind, data_id=m.id),
                )
                for m in found
            ],
            className="search-results",
        )
    ]
