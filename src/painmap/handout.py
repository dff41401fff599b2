"""The one-page handout of a story (or of any view): what a patient takes home.

    handout_html(ds, state, figure_svg, base_url, print_button=False) -> str

The page holds the story in plain words (its narration, step by step), the figure at its last
step (inline SVG), the red flags ("see a doctor now if..."), and a QR code with the link that
reopens this exact view. Its print CSS fits ONE page of both A4 (210 x 297 mm) and Letter
(215.9 x 279.4 mm): the content box is the smaller of each dimension (210 x 279 mm) less 10 mm
margins. ``painmap export --format pdf`` prints it through headless Chromium; the app serves it
at /handout for the browser's own Print.

Why CDP ``Page.printToPDF`` (through choreographer, in :class:`painmap.export.Renderer`) rather
than ``chromium --headless --print-to-pdf``: the PDF comes from the same warm browser that has
just drawn the figure, so a batch (``--all``) starts one browser, not one per PDF (2-4 s each
here); the paper size is set per call (A4 or Letter) with no header or footer to switch off;
and a page that fails to load gives an error to report rather than an empty file.
"""

from __future__ import annotations

import html
import re

import segno

from painmap import export, figures
from painmap.i18n import N_, translator
from painmap.model import Dataset, text
from painmap.viewstate import ViewState

#: Words shown inside f-strings, marked here so that `make messages` finds them (Python 3.11's
#: tokenizer hides calls inside an f-string from the extractor); shown with ``_(NAME)``.
MSG_WHAT_IS_HAPPENING_STEP_BY_STEP = N_("What is happening, step by step")
MSG_WHAT_THE_PICTURE_SHOWS = N_("What the picture shows")
MSG_SEE_IT_MOVE = N_("See it move:")
MSG_SCAN_THE_CODE_OR_OPEN = N_("scan the code or open")
MSG_THIS_VIEW = N_("This view:")
MSG_PRINT = N_("Print")
MSG_HANDOUT = N_("handout")
MSG_SEE_A_DOCTOR_NOW_IF = N_("See a doctor now if...")

#: The page's box in millimetres: the smaller of A4 and Letter in each dimension, less margins.
MARGIN_MM = 10
PAGE_MM = (210, 279)
CONTENT_MM = (PAGE_MM[0] - 2 * MARGIN_MM, PAGE_MM[1] - 2 * MARGIN_MM)

HANDOUT_CSS = f"""
@page {{ margin: {MARGIN_MM}mm; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111;
  font-size: 8.5pt; line-height: 1.22; background: #e8e8e8; }}
.sheet {{ width: {CONTENT_MM[0]}mm; max-width: 100%; margin: 8mm auto; padding: 0; background: #fff; }}
.sheet > * {{ margin-left: 0; margin-right: 0; }}
h1 {{ font-size: 15pt; margin: 0 0 1mm; }}
h2 {{ font-size: 11pt; margin: 2mm 0 1mm; }}
.lead {{ margin: 0 0 1.5mm; font-size: 9.5pt; }}
figure {{ margin: 0 0 1.5mm; }}
figure svg {{ width: 100%; height: auto; max-height: 100mm; display: block; }}
/* the figure's technical description is for screen readers (its aria-label); the steps tell it in plain words */
figcaption {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }}
.columns {{ display: grid; grid-template-columns: 4fr 5fr; gap: 4mm; }}
ol, ul {{ margin: 0; padding-left: 4.5mm; }}
li {{ margin: 0 0 0.8mm; }}
.flags li {{ font-size: 7.8pt; }}
.flags {{ border: 0.6mm solid #b3261e; padding: 1.5mm 2.5mm; border-radius: 1.5mm; }}
.flags h2 {{ color: #b3261e; margin-top: 0; }}
.urgency {{ font-weight: 700; color: #8a1c00; }}
.reopen {{ display: flex; gap: 4mm; align-items: center; margin-top: 2mm; font-size: 8pt;
  border-top: 0.3mm solid #999; padding-top: 1.5mm; }}
.reopen svg {{ width: 24mm; height: 24mm; flex: none; }}
.reopen a {{ word-break: break-all; color: #0b3d91; }}
.print {{ font-size: 12pt; padding: 2mm 5mm; margin: 4mm auto 0; display: block; cursor: pointer; }}
@media screen {{ .sheet {{ padding: {MARGIN_MM}mm; width: {PAGE_MM[0]}mm; box-shadow: 0 1px 6px rgba(0,0,0,.25); }} }}
@media print {{
  body {{ background: #fff; }}
  .sheet {{ margin: 0; width: {CONTENT_MM[0]}mm; }}
  .no-print {{ display: none !important; }}
  figcaption {{ display: none; }}  /* the figure's words stay in its aria-label */
}}
"""


#: A longer story than the bundled ones (a teacher's own) still prints on one page: when the
#: sheet is taller than the page's box, it is zoomed out to fit (the same width on screen and paper).
FIT_SCRIPT = f"""
(function(){{
  var sheet = document.querySelector('.sheet');
  if (!sheet) {{ return; }}
  var probe = document.createElement('div');
  probe.style.height = '{CONTENT_MM[1]}mm';
  document.body.appendChild(probe);
  var room = probe.getBoundingClientRect().height;
  probe.remove();
  var style = getComputedStyle(sheet);
  var tall = sheet.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  if (tall > room) {{ sheet.style.zoom = String(Math.floor(room / tall * 1000) / 1000); sheet.setAttribute('data-zoom', sheet.style.zoom); }}
}})();
"""


def scalable_svg(svg: str) -> str:
    """``svg`` (kaleido's, with pixel width and height) made to scale with its box: a viewBox,
    and no fixed size on the root element."""
    start = svg.find("<svg")
    end = svg.find(">", start)
    head = svg[start:end]
    width = re.search(r'\swidth="([0-9.]+)"', head)
    height = re.search(r'\sheight="([0-9.]+)"', head)
    if width is None or height is None:
        return svg
    head = head.replace(width.group(0), "", 1).replace(height.group(0), "", 1)
    if "viewBox" not in head:
        head += f' viewBox="0 0 {width.group(1)} {height.group(1)}" preserveAspectRatio="xMidYMid meet"'
    return svg[:start] + head + svg[end:]


def qr_svg(link: str) -> str:
    """A QR code of ``link`` as inline SVG (it scales with its box)."""
    code = segno.make(link, error="m")
    return scalable_svg(code.svg_inline(scale=4, title="QR code: " + link))


def handout_html(
    ds: Dataset, state: ViewState, figure_svg: str, base_url: str = "", print_button: bool = False
) -> str:
    """The handout page for ``state``. ``figure_svg`` is the figure at the view's step (see
    :func:`painmap.export.svg_file`); ``base_url`` (the app's address) gives the QR code and the
    link that reopen the view; ``print_button`` adds a Print button the printout hides."""
    esc = html.escape
    seen = export.seen_dataset(ds, state)
    lang = state.lang
    _ = translator(lang)
    story = seen.story.get(state.story)
    heading = text(story.condition, lang) if story is not None else export.view_title(seen, state).removeprefix("painmap: ")
    description = export.describe(ds, state)
    if story is not None:
        lead = text(story.summary, lang) if story.summary else ""
        words = export.story_words(seen, story.id, lang)
        told = f"<h2>{esc(_(MSG_WHAT_IS_HAPPENING_STEP_BY_STEP))}</h2><ol>" + "".join(f"<li>{esc(w)}</li>" for w in words) + "</ol>"
    else:
        lead = ""
        route = seen.route.get(figures.resolve_selection(seen, state).route)
        steps = figures.animation_steps(seen, route, lang) if route is not None else []
        told = f"<h2>{esc(_(MSG_WHAT_THE_PICTURE_SHOWS))}</h2>" + (
            "<ol>" + "".join(f"<li>{esc(s.caption)}</li>" for s in steps) + "</ol>" if steps else f"<p>{esc(description)}</p>"
        )
    flags = "".join(
        f'<li><span class="urgency">{esc(_(export.URGENCY_WORDS.get(f.urgency, f.urgency)))}:</span> '
        f"<strong>{esc(text(f.label, lang))}.</strong> {esc(text(f.text, lang))}</li>"
        for f in export.red_flags_for(ds, state)
    )
    link = export.view_link(base_url, state) if base_url else ""
    caveat = esc(_("painmap explains how pain can travel; it cannot tell what is causing yours."))
    if link:
        reopen = (
            f'<div class="reopen">{qr_svg(link)}<div><strong>{esc(_(MSG_SEE_IT_MOVE))}</strong> '
            f'{esc(_(MSG_SCAN_THE_CODE_OR_OPEN))} <a href="{esc(link)}">{esc(link)}</a><br>{caveat}</div></div>'
        )
    else:
        reopen = (
            f'<div class="reopen"><div>{caveat} {esc(_(MSG_THIS_VIEW))} <code>{esc(state.to_query() or "/")}</code></div></div>'
        )
    button = (
        f'<button class="print no-print" type="button" onclick="window.print()">{esc(_(MSG_PRINT))}</button>'
        if print_button else ""
    )
    figure = scalable_svg(figure_svg)
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(export.view_title(seen, state))} ({esc(_(MSG_HANDOUT))})</title><style>{HANDOUT_CSS}</style></head><body>"
        f'{button}<main class="sheet"><h1>{esc(heading)}</h1>'
        + (f'<p class="lead">{esc(lead)}</p>' if lead else "")
        + f'<figure role="img" aria-label="{esc(description)}">{figure}<figcaption>{esc(description)}</figcaption></figure>'
        f'<div class="columns"><section>{told}</section>'
        f'<section class="flags"><h2>{esc(_(MSG_SEE_A_DOCTOR_NOW_IF))}</h2><ul>{flags}</ul></section></div>'
        f"{reopen}</main><script>{FIT_SCRIPT}</script></body></html>\n"
    )
