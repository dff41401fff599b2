"""A lesson package: a folder of static HTML pages that any web server, CDN or LMS file area
can host with no Python (``painmap export --lesson DIR``).

    index.html            the stories, the organs, and a link to the quiz
    story-<id>.html       one per story: the animated figure, narration, red flags, sources
    organ-<id>.html       one per organ: its first route, animated, with its red flags and sources
    quiz.html             the quiz of :mod:`painmap.quiz`, the answers revealed with <details>
    plotly.min.js         plotly.js once, shared by every page

Links are relative, so the folder works from ``file://`` too; with ``base_url`` each page also
links (and shows a QR code) to the same view in the live app.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from painmap import export, quiz
from painmap.i18n import N_, gettext, translator
from painmap.model import Dataset, text
from painmap.viewstate import MAX_STEP, ViewState

#: Words shown inside f-strings, marked here so that `make messages` finds them (Python 3.11's
#: tokenizer hides calls inside an f-string from the extractor); shown with ``_(NAME)``.
MSG_ALL_LESSONS = N_("All lessons")
MSG_QUIZ = N_("Quiz")
MSG_LESSONS_TITLE = N_("painmap lessons: why organ pain is felt in the back")
MSG_STORIES = N_("Stories")
MSG_ORGANS = N_("Organs")
MSG_CHECK_WHAT_YOU_LEARNT = N_("Check what you learnt")
MSG_THE_QUIZ = N_("The quiz")
MSG_SEE_IT_IN_THE_APP = N_("See it in the app")
MSG_SHOW_THE_ANSWER = N_("Show the answer")
MSG_PAINMAP_QUIZ = N_("painmap quiz")

PLOTLY_FILE = "plotly.min.js"
#: The quiz page: this many questions, always the same ones for a dataset (a fixed seed).
QUIZ_QUESTIONS = 12
QUIZ_SEED = 1

PAGE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;margin:0 auto;max-width:960px;padding:16px;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:1.4em}
li{margin:.3em 0}details{margin:.3em 0 1em}summary{cursor:pointer;font-weight:600}
.choices{list-style:upper-alpha}.qr svg{width:120px;height:120px}
"""


def _page(title: str, body: str, lang: str) -> str:
    esc = html.escape
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
        f"<style>{PAGE_CSS}</style></head><body><main>{body}</main></body></html>\n"
    )


def _nav(lang: str = "en") -> str:
    _ = translator(lang)
    esc = html.escape
    return f'<nav><a href="index.html">{esc(_(MSG_ALL_LESSONS))}</a> \u00b7 <a href="quiz.html">{esc(_(MSG_QUIZ))}</a></nav>'


def _live(base_url: str, state: ViewState) -> str:
    """A link and QR code to the same view in the live app ('' without a base URL)."""
    if not base_url:
        return ""
    from painmap.handout import qr_svg

    link = export.view_link(base_url, state)
    words = gettext(state.lang, "Open this view in the live app")
    return (
        f'<p class="live"><a href="{html.escape(link)}">{html.escape(words)}</a></p>'
        f'<div class="qr">{qr_svg(link)}</div>'
    )


def index_html(ds: Dataset, lang: str = "en") -> str:
    esc = html.escape
    _ = translator(lang)
    stories = "".join(
        f'<li><a href="story-{esc(s.id)}.html">{esc(text(s.title, lang))}</a>: {esc(text(s.condition, lang))}</li>'
        for s in ds.stories
    )
    organs = "".join(
        f'<li><a href="organ-{esc(o.id)}.html">{esc(text(o.label, lang))}</a></li>' for o in ds.organs
    )
    body = (
        f"<h1>{esc(_(MSG_LESSONS_TITLE))}</h1>"
        + "<p>" + esc(_("Each page animates a pain signal from an organ to the spinal cord and out to the skin. "
                        "Press Play under a figure, or drag its slider.")) + "</p>"
        + (f"<h2>{esc(_(MSG_STORIES))}</h2><ul>{stories}</ul>" if stories else "")
        + f"<h2>{esc(_(MSG_ORGANS))}</h2><ul>{organs}</ul>"
        + f'<h2>{esc(_(MSG_CHECK_WHAT_YOU_LEARNT))}</h2><p><a href="quiz.html">{esc(_(MSG_THE_QUIZ))}</a></p>'
    )
    return _page(_("painmap lessons"), body, lang)


def quiz_html(ds: Dataset, lang: str = "en", base_url: str = "") -> str:
    """The quiz as a static page: numbered questions with lettered choices; each answer and its
    explanation inside a <details> the student opens."""
    esc = html.escape
    _ = translator(lang)
    questions = quiz.generate(ds, n=QUIZ_QUESTIONS, seed=QUIZ_SEED, lang=lang, base_url=base_url)
    items = []
    for q in questions:
        choices = "".join(f"<li>{esc(c)}</li>" for c in q.choices)
        see = f' <a href="{esc(q.link)}">{esc(_(MSG_SEE_IT_IN_THE_APP))}</a>' if base_url and q.link else ""
        items.append(
            f'<li class="question" data-kind="{esc(q.kind)}"><p>{esc(q.question)}</p><ol class="choices">{choices}</ol>'
            f"<details><summary>{esc(_(MSG_SHOW_THE_ANSWER))}</summary><p><strong>{esc(q.answer_letter)}: {esc(q.answer_text)}</strong></p>"
            f"<p>{esc(q.explanation)}{see}</p></details></li>"
        )
    intro = _("Pick an answer, then open \u201cShow the answer\u201d.")
    body = f"{_nav(lang)}<h1>{esc(_(MSG_PAINMAP_QUIZ))}</h1><p>{esc(intro)}</p><ol>{''.join(items)}</ol>"
    return _page(_("painmap quiz"), body, lang)


def views(ds: Dataset, lang: str = "en") -> list[tuple[str, ViewState]]:
    """(file name, view) of every figure page: each story, then each organ."""
    last = ViewState(step=MAX_STEP, lang=lang)
    found = [(f"story-{s.id}.html", last.with_(story=s.id)) for s in ds.stories]
    found += [(f"organ-{o.id}.html", last.with_(organ=o.id)) for o in ds.organs]
    return [(name, export.at_most_last_step(ds, state.canonical(ds))) for name, state in found]


def write_lesson(
    ds: Dataset, folder: Path, base_url: str = "", lang: str = "en",
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Path]:
    """Write the lesson package into ``folder`` (made if missing), each file atomically."""
    folder.mkdir(exist_ok=True)
    pages = views(ds, lang)
    total = len(pages) + 3
    written: list[Path] = []

    def put(name: str, content: str) -> None:
        path = folder / name
        export.write_atomically(path, content.encode("utf-8"))
        written.append(path)
        if progress is not None:
            progress(len(written), total, name)

    put(PLOTLY_FILE, export.plotly_js())
    for name, state in pages:
        page = export.standalone_html(ds, state, plotly_src=PLOTLY_FILE, extra=_live(base_url, state), header=_nav(lang))
        put(name, page)
    put("quiz.html", quiz_html(ds, lang, base_url))
    put("index.html", index_html(ds, lang))
    return written
