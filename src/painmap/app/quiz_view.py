"""Quiz mode (?mode=quiz&seed=S): the questions of :func:`painmap.quiz.generate`, answered and
scored in the page.

The panel is a pure function of (dataset, view), ``quiz_panel(ds, state)``, drawn by the page's
main callback: the same for every view of one quiz, so "Show me" (which changes the view, not
the quiz) leaves the student's picks on screen. What the student does lives in the browser tab:
each checked answer goes into the session store ``ids.QUIZ_SCORE`` as ``{quiz key: {question:
choice}}``, so a reload shows the same picks, feedback and score. The quiz's own callback marks
answers with :func:`mark`, a pure function of the questions, the clicks and the store.

"Show me" keeps quiz mode: the figure beside the quiz opens the view of the answer (a route at
its last step, a zone, a segment, a story), with the quiz, its picks and score where they were;
"Explore it" opens the same view outside the quiz, and "Back to exploring" leaves the quiz.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from painmap.anatomy_sex import for_sex
from painmap.app import ids
from painmap.app.layout import LANGUAGE_NAMES
from painmap.i18n import N_, gettext, ngettext, translator
from painmap.model import Dataset
from painmap.quiz import LETTERS, Question, generate
from painmap.viewstate import MAX_SEED, ViewState

#: Questions in one quiz (fewer when the dataset has less to ask).
QUESTIONS = 10
#: Quizzes whose answers one browser tab keeps (the oldest are forgotten first).
MAX_KEPT_QUIZZES = 30
TITLE = N_("Test yourself")
#: Below this window width (CSS pixels) quiz.css stacks the figure under the quiz.
STACKED_WIDTH = 900
_INDEX = re.compile(r"[0-9]{1,3}")


def choice_id(index: int) -> dict[str, Any]:
    return {"type": ids.QUIZ_CHOICE, "index": index}


def check_id(index: int) -> dict[str, Any]:
    return {"type": ids.QUIZ_CHECK, "index": index}


def feedback_id(index: int) -> dict[str, Any]:
    return {"type": ids.QUIZ_FEEDBACK, "index": index}


def _attributes(**values: str) -> Any:
    """``aria_live=...`` -> ``aria-live=...`` (Dash takes aria-* as keywords Python cannot spell)."""
    return {key.replace("_", "-"): value for key, value in values.items()}


# --------------------------------------------------------------------------- the quiz of a view


def quiz_state(state: ViewState) -> ViewState:
    """The view that names a quiz: its seed, language, anatomy and look, nothing chosen on the
    figure. Every view of one quiz (after "Show me") has the same one."""
    return state.with_(organ="", part="", route="", zone="", segment="", compare="", story="", side="", step=0, mode="quiz")


def quiz_of(ds: Dataset, state: ViewState) -> list[Question]:
    """The questions of ``state``'s quiz: its seed (0 is the default quiz), in its language."""
    return generate(ds, QUESTIONS, state.seed, lang=state.lang)


def quiz_key(state: ViewState) -> str:
    """Where a tab's session store keeps this quiz's answers: one quiz is a seed, a language and an anatomy."""
    return f"{state.seed}|{state.lang}|{state.sex}"


def next_seed(seed: int) -> int:
    """The seed "New quiz" opens from quiz ``seed``: another one, the same for everyone who
    presses it (so a class that follows the teacher's link gets the teacher's next quiz too)."""
    found = random.Random(f"painmap-next-quiz-{seed}").randint(1, MAX_SEED)
    return found if found != seed else found % MAX_SEED + 1


def shown_state(quiz: ViewState, question: Question) -> ViewState:
    """The view that shows ``question``'s answer, in quiz ``quiz`` (its mode, seed, language, look):
    what the question's link chooses (organ, part, route, zone, segment, story, step)."""
    link = ViewState.from_query("?" + question.link.split("?", 1)[-1]) if question.link else ViewState()
    return quiz.with_(
        organ=link.organ, part=link.part, route=link.route, zone=link.zone, segment=link.segment, story=link.story, step=link.step
    )


def choice_options(question: Question, pick: int | None = None, lang: str = "en") -> list[dict[str, Any]]:
    """The radio choices "A. ...", "B. ...". Once ``pick`` is checked they are locked, and the
    right answer and a wrong pick say so in words (not by colour alone)."""
    _ = translator(lang)
    options = []
    for k, choice in enumerate(question.choices):
        label = f"{LETTERS[k]}. {choice}"
        if pick is not None and k == question.answer:
            label += " " + _("(the right answer)")
        elif pick is not None and k == pick:
            label += " " + _("(your answer)")
        options.append({"label": label, "value": k, "disabled": pick is not None})
    return options


# --------------------------------------------------------------------------- the panel


def quiz_panel(ds: Dataset, state: ViewState) -> list:
    """The quiz panel's children for ``state`` in quiz mode: a title, the score line, the
    questions (each a fieldset: its question as the legend, radio choices, a Check button
    and a live feedback region), "New quiz", "Start again" and "Back to exploring"."""
    quiz = quiz_state(state)
    lang = quiz.lang
    _ = translator(lang)
    questions = quiz_of(ds, quiz)
    leave = quiz.with_(mode="", seed=0).to_query() or "?"
    exit_link = dcc.Link(_("Back to exploring"), href=leave, className="quiz-exit")
    if not questions:
        return [
            html.H2(_(TITLE)),
            html.P(
                _(
                    "This dataset has nothing to ask yet: a quiz needs organs with pathways into the spinal "
                    "cord, or skin zones they reach, to make questions from."
                ),
                className="quiz-intro",
            ),
            html.P(exit_link, className="quiz-actions"),
        ]
    count = len(questions)
    items = [
        html.Li(
            html.Fieldset(
                [
                    html.Legend(
                        [html.Span(_("Question {number} of {count}").format(number=i + 1, count=count), className="quiz-number"), html.Span(q.question, className="quiz-question")]
                    ),
                    dcc.RadioItems(id=choice_id(i), options=choice_options(q, None, lang), value=None, className="quiz-choices"),
                    html.Button(_("Check"), id=check_id(i), className="quiz-check", type="button"),
                    html.Div(id=feedback_id(i), className="quiz-feedback", **_attributes(aria_live="polite")),
                ],
                className="quiz-question-box",
                **_attributes(data_kind=q.kind),
            ),
            className="quiz-item",
            id=f"quiz-question-{i + 1}",
        )
        for i, q in enumerate(questions)
    ]
    new = quiz.with_(seed=next_seed(quiz.seed))
    return [
        html.Div(
            [
                html.H2(_(TITLE)),
                html.P(score_line(questions, {}, lang), id={"type": ids.QUIZ_SCORE_LINE, "index": 0}, className="quiz-score"),
            ],
            className="quiz-head",
        ),
        html.P(
            ngettext(
                lang,
                "{count} question from this map's pathways. Choose an answer and press Check; "
                "\u201cShow me\u201d opens the picture of the answer.",
                "{count} questions from this map's pathways. Choose an answer and press Check; "
                "\u201cShow me\u201d opens the picture of the answer.",
                count,
            ).format(count=count),
            className="quiz-intro",
        ),
        *language_links(ds, quiz),
        html.Ol(items, className="quiz-questions"),
        html.Div(
            [
                dcc.Link(_("New quiz"), href=new.to_query(), className="quiz-new", title=_("Other questions, with their own link to share")),
                html.Button(_("Start again"), id={"type": ids.QUIZ_RESTART, "index": 0}, className="quiz-restart", type="button"),
                exit_link,
            ],
            className="quiz-actions",
        ),
        html.P(
            [
                dcc.Link(_("Link to this quiz (quiz {seed})").format(seed=quiz.seed), href=quiz.to_query() or "?mode=quiz", className="quiz-share"),
                " ",
                _("Everyone who opens it gets the same questions."),
            ],
            className="quiz-share-line",
        ),
        # Shown on a narrow screen while the figure under the quiz is in view after "Show me".
        html.Button(_("\u2191 Back to the question"), className="quiz-back", type="button"),
        dcc.Store(id={"type": ids.QUIZ_ABOUT, "index": 0}, data={"query": quiz.to_query()}),
    ]


def language_links(ds: Dataset, quiz: ViewState) -> list:
    """The quiz in the dataset's other languages (the explorer's language picker is not shown in
    quiz mode): links that load the page anew, so that its whole interface changes; [] for one language."""
    if len(ds.languages) < 2:
        return []
    _ = translator(quiz.lang)
    links: list = []
    for lang in ds.languages:
        name = LANGUAGE_NAMES.get(lang, lang)
        links += [
            " \u00b7 " if links else "",
            html.Strong(name, lang=lang) if lang == quiz.lang else html.A(name, href=quiz.with_(lang=lang).to_query() or "?", lang=lang, hrefLang=lang),
        ]
    return [html.P([_("Language"), ": ", *links], className="quiz-languages")]


# --------------------------------------------------------------------------- marking


def score_line(questions: Sequence[Question], picks: Mapping[int, int], lang: str = "en") -> str:
    """'3 of 5 answered right (5 still to answer)', or how many questions wait when none is answered."""
    _ = translator(lang)
    count, answered = len(questions), len(picks)
    right = sum(1 for i, pick in picks.items() if i < count and questions[i].is_correct(pick))
    if not answered:
        return ngettext(lang, "No answers yet: {count} question to go.", "No answers yet: {count} questions to go.", count).format(
            count=count
        )
    if answered >= count:
        return _("All done: {right} of {answered} answered right.").format(right=right, answered=answered)
    return _("{right} of {answered} answered right ({left} still to answer).").format(right=right, answered=answered, left=count - answered)


def feedback(question: Question, pick: int, shown: ViewState) -> list:
    """What a checked answer gets: right or not (and the right answer), why, and the view that
    shows it (``shown``, in its language) in the quiz and outside it."""
    _ = translator(shown.lang)
    right = question.is_correct(pick)
    said = f"{LETTERS[question.answer]}, {question.answer_text}"
    verdict: list = (
        [html.Strong(_("Right:")), " ", f"{said}."]
        if right
        else [
            html.Strong(_("Not quite:")),
            " ",
            _("the answer is {answer}. You chose {choice}.").format(answer=said, choice=f"{LETTERS[pick]}, {question.choices[pick]}"),
        ]
    )
    rows: list = [html.P(verdict, className="quiz-verdict"), html.P(question.explanation, className="quiz-explanation")]
    if question.link:
        rows.append(
            html.P(
                [
                    dcc.Link(_("Show me"), href=shown.to_query(), className="quiz-show"),
                    dcc.Link(_("Explore it"), href=shown.with_(mode="", seed=0).to_query() or "?", className="quiz-explore"),
                ],
                className="quiz-links",
            )
        )
    return [html.Div(rows, className="quiz-right" if right else "quiz-wrong")]


def picks_of(stored: object, key: str, questions: Sequence[Question]) -> dict[int, int]:
    """The checked answers the session store keeps for quiz ``key``: {question: choice}, only
    those that name a question and one of its choices (the store is the browser's to change)."""
    kept = stored.get(key) if isinstance(stored, dict) else None
    picks: dict[int, int] = {}
    if not isinstance(kept, dict):
        return picks
    for index, pick in kept.items():
        if not isinstance(index, str) or not _INDEX.fullmatch(index) or isinstance(pick, bool) or not isinstance(pick, int):
            continue
        i = int(index)
        if i < len(questions) and 0 <= pick < len(questions[i].choices):
            picks[i] = pick
    return picks


def stored_with(stored: object, key: str, picks: Mapping[int, int]) -> dict[str, dict[str, int]]:
    """The session store with quiz ``key``'s answers (last, so that it is forgotten last); other
    quizzes kept as they were, at most :data:`MAX_KEPT_QUIZZES` in all."""
    others = {
        k: v for k, v in (stored.items() if isinstance(stored, dict) else ()) if isinstance(k, str) and k != key and isinstance(v, dict)
    }
    kept = list(others.items())[-(MAX_KEPT_QUIZZES - 1) :] if MAX_KEPT_QUIZZES > 1 else []
    return {**dict(kept), key: {str(i): pick for i, pick in sorted(picks.items())}}


def _count(value: object) -> int:
    """A button's n_clicks as a number (0 for anything else)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _choice(value: object, question: Question) -> int | None:
    """A radio group's value when it is one of the question's choices, else None."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(question.choices):
        return value
    return None


def mark(
    questions: Sequence[Question],
    quiz: ViewState,
    trigger: object,
    checks: Sequence[object],
    restart: Sequence[object],
    values: Sequence[object],
    stored: object,
) -> dict[str, Any]:
    """What the quiz shows after ``trigger`` (the id of the Check or "Start again" button
    pressed, or anything else: the panel was just drawn, so the kept answers come back).

    ``checks``, ``restart`` and ``values`` are the buttons' clicks and the radio groups' values,
    in the order of the questions on the page; ``stored`` is the session store. Total: any of
    them may be missing, of another length or of another type. Returns the lists for the
    outputs (``feedback``, ``values``, ``options``, ``buttons``, ``score``, one per component on
    the page) and ``store``, the new session store (``no_update`` when unchanged)."""
    _ = translator(quiz.lang)
    shown = len(checks)
    questions = list(questions)[:shown]
    key = quiz_key(quiz)
    picks = picks_of(stored, key, questions)
    before = dict(picks)
    prompts: dict[int, list] = {}
    kind = trigger.get("type") if isinstance(trigger, dict) else None
    index = trigger.get("index") if isinstance(trigger, dict) else None
    restarted = kind == ids.QUIZ_RESTART and any(_count(n) for n in restart)
    if restarted:
        picks = {}
    elif kind == ids.QUIZ_CHECK and isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(questions) and _count(checks[index]):
        chosen = _choice(values[index] if index < len(values) else None, questions[index])
        if index not in picks and chosen is not None:
            picks[index] = chosen
        elif index not in picks:
            prompts[index] = [html.P(gettext(quiz.lang, "Choose an answer first, then press Check."), className="quiz-prompt")]
    out_feedback: list[list] = []
    out_values: list[int | None] = []
    out_options: list[list[dict[str, Any]]] = []
    out_buttons: list[str] = []
    for i in range(shown):
        if i >= len(questions):  # a page drawn for another dataset: nothing to mark
            out_feedback.append([])
            out_values.append(None)
            out_options.append([])
            out_buttons.append(_("Check"))
            continue
        q, pick = questions[i], picks.get(i)
        out_feedback.append(feedback(q, pick, shown_state(quiz, q)) if pick is not None else prompts.get(i, []))
        current = None if restarted else _choice(values[i] if i < len(values) else None, q)
        out_values.append(pick if pick is not None else current)
        out_options.append(choice_options(q, pick, quiz.lang))
        out_buttons.append(_("Checked") if pick is not None else _("Check"))
    return {
        "feedback": out_feedback,
        "values": out_values,
        "options": out_options,
        "buttons": out_buttons,
        "score": [score_line(questions, picks, quiz.lang)] * len(restart),
        "store": no_update if picks == before else stored_with(stored, key, picks),
    }


def about_state(ds: Dataset, about: object, seen: Callable[[Dataset, str], Dataset] = for_sex) -> ViewState:
    """The quiz the panel on the page shows, from its ``about`` store (a list of one
    ``{"query": ...}``, the browser's to change): a quiz view whatever it holds. ``seen(ds, sex)``
    is the dataset an anatomy sees (the callback passes one it keeps built)."""
    first = about[0] if isinstance(about, list) and about else None
    query = first.get("query") if isinstance(first, dict) else None
    state = ViewState.from_query(query if isinstance(query, str) else "").with_(mode="quiz")
    return quiz_state(state.canonical(seen(ds, state.sex)))


# --------------------------------------------------------------------------- callbacks

#: Keeps the header's "Test yourself" link in the view's language and anatomy.
_QUIZ_LINK_JS = """
function (search) {
    var asked = new URLSearchParams(typeof search === "string" ? search : "");
    var kept = new URLSearchParams();
    ["anatomy", "lang", "sex"].forEach(function (name) { var v = asked.get(name); if (v) { kept.set(name, v); } });
    kept.set("mode", "quiz");
    return "?" + kept.toString();
}
"""
#: dcc.Link scrolls the page to its top: after "Show me", the page goes back to where the student
#: was (the figure is beside the quiz), or on a narrow screen (the figure under the quiz) to the
#: figure, where a "Back to the question" button then leads back. Installed once per page, on
#: the document (the links come and go with the feedback).
_SHOW_JS = """
function (pathname) {
    var quiz = window.painmapQuiz || (window.painmapQuiz = {question: null});
    if (quiz.listening) { return; }
    quiz.listening = true;
    var narrow = window.matchMedia("(max-width: %(stacked)dpx)");
    function figureInView() {
        var area = document.getElementById("%(figure)s");
        return !!area && area.getBoundingClientRect().top < window.innerHeight / 2;
    }
    function update() {
        var on = !!quiz.question && narrow.matches && !!document.querySelector(".page.mode-quiz") && figureInView();
        document.body.classList.toggle("quiz-showing", on);
    }
    document.addEventListener("click", function (event) {
        var target = event.target && event.target.closest ? event.target : null;
        var show = target ? target.closest("a.quiz-show") : null;
        var back = target ? target.closest(".quiz-back") : null;
        if (show && !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button)) {
            var item = show.closest(".quiz-item");
            quiz.question = item ? item.id : null;
            var y = window.scrollY;
            window.setTimeout(function () {  /* after the link's own scroll to the top */
                var area = document.getElementById("%(figure)s");
                if (area && narrow.matches) { area.scrollIntoView({block: "start"}); } else { window.scrollTo(0, y); }
                update();
            }, 0);
        } else if (back) {
            var question = quiz.question ? document.getElementById(quiz.question) : null;
            if (question) {
                question.scrollIntoView({block: "start"});
                var link = question.querySelector("a.quiz-show");
                if (link) { link.focus({preventScroll: true}); }
            }
            quiz.question = null;
            update();
        }
    }, true);
    window.addEventListener("scroll", update, {passive: true});
}
""" % {"figure": ids.FIGURE_AREA, "stacked": STACKED_WIDTH}


def register_quiz_callbacks(app: dash.Dash, ds: Dataset) -> None:
    """The quiz's own callbacks: marking answers and keeping them in the tab's session store,
    the header's link into quiz mode, and bringing the figure into view after "Show me"."""

    @lru_cache(maxsize=4)
    def seen(sex: str) -> Dataset:
        return for_sex(ds, sex)

    @lru_cache(maxsize=64)
    def questions_of(quiz: ViewState) -> tuple[Question, ...]:
        return tuple(quiz_of(seen(quiz.sex), quiz))

    def anatomy(_: Dataset, sex: str) -> Dataset:
        return seen(sex if isinstance(sex, str) else "")

    def each(kind: str, prop: str) -> Output:
        return Output({"type": kind, "index": ALL}, prop)

    @app.callback(
        output={
            "feedback": each(ids.QUIZ_FEEDBACK, "children"),
            "values": each(ids.QUIZ_CHOICE, "value"),
            "options": each(ids.QUIZ_CHOICE, "options"),
            "buttons": each(ids.QUIZ_CHECK, "children"),
            "score": each(ids.QUIZ_SCORE_LINE, "children"),
            "store": Output(ids.QUIZ_SCORE, "data"),
        },
        inputs={
            "checks": Input({"type": ids.QUIZ_CHECK, "index": ALL}, "n_clicks"),
            "restart": Input({"type": ids.QUIZ_RESTART, "index": ALL}, "n_clicks"),
            "values": State({"type": ids.QUIZ_CHOICE, "index": ALL}, "value"),
            "about": State({"type": ids.QUIZ_ABOUT, "index": ALL}, "data"),
            "stored": State(ids.QUIZ_SCORE, "data"),
        },
    )
    def check(checks, restart, values, about, stored):
        quiz = about_state(ds, about, anatomy)
        questions = questions_of(quiz) if checks else ()
        return mark(questions, quiz, ctx.triggered_id, checks or [], restart or [], values or [], stored)

    app.clientside_callback(_QUIZ_LINK_JS, Output(ids.QUIZ_LINK, "href"), Input(ids.URL, "search"))
    app.clientside_callback(_SHOW_JS, Input(ids.URL, "pathname"))
