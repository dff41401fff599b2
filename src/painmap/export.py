"""Exports of a view: a static PNG or SVG, a one-page PDF handout, a standalone animated HTML file.

    view_from(ds, query, **fields) -> ViewState       the view an export names, checked strictly
    static_figure(ds, state) -> dict                   the figure at its step, no slider or buttons
    describe(ds, state) -> str                         the figure in words (its alt text)
    standalone_html(ds, state, plotly_js=...) -> str   one file that animates offline
    export_view(ds, state, fmt, renderer) -> bytes     any of FORMATS
    Renderer()                                         one warm headless Chromium for a batch

Figures come from the same pure builders as the app (:mod:`painmap.figures`). PNG, SVG and PDF
are drawn by the *system* Chromium (``BROWSER_PATH`` or ``chromium`` on the PATH), one warm
browser per batch (:class:`Renderer`): nothing is ever downloaded. Every file carries a generated description of what it shows:
PNG an iTXt ``Description`` chunk, SVG ``<title>`` and ``<desc>``, PDF its document Title and
Subject, HTML the figure's ``aria-label`` and a visible description that follows the player.
"""

from __future__ import annotations

import asyncio
import difflib
import html
import json
import os
import shutil
import struct
import tempfile
import threading
import zlib
from collections.abc import Callable, Coroutine, Iterable, Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode

from painmap import figures, query
from painmap.anatomy_sex import SEXES, for_sex
from painmap.i18n import N_, gettext, translator
from painmap.model import Dataset, RedFlag, Route, format_segment_range, parse_segment, text
from painmap.viewstate import LAYERS, MAX_STEP, MODES, SIDES, ViewState, anatomy_view

#: Words shown inside f-strings, marked here so that `make messages` finds them (Python 3.11's
#: tokenizer hides calls inside an f-string from the extractor); shown with ``_(NAME)``.
MSG_STEP_BY_STEP = N_("Step by step")
MSG_OPEN_THIS_VIEW_IN_PAINMAP = N_("Open this view in painmap")
MSG_RED_FLAGS_GET_MEDICAL_HELP_NOW = N_("Red flags: get medical help now")

#: What an export can be, and the media type each is served as.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "html")
MEDIA_TYPES: Mapping[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
#: The width (CSS pixels) a static figure is laid out for; PNGs are drawn at twice that.
STATIC_WIDTH = 1280
PNG_SCALE = 2
#: Paper sizes a PDF handout can be printed on (width, height in inches, as Chromium takes them).
PAPERS: Mapping[str, tuple[float, float]] = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
#: The view's fields an export takes (``--organ``, ``--step``, ... or the same keys in ``--query``).
VIEW_KEYS: tuple[str, ...] = (
    "organ", "part", "route", "story", "zone", "segment", "compare", "step", "lang", "mode", "side", "sex",
    "layers", "anatomy", "speed", "terms", "seed",
)
RENDER_TIMEOUT_S = 90.0
#: Closing waits this long for the browser to quit (at the process's exit the loop may be gone).
CLOSE_TIMEOUT_S = 10.0

T = TypeVar("T")


class ExportError(ValueError):
    """A user's mistake in what to export (an unknown id, a bad format): its message says which
    argument and offers the closest valid values."""


class BrowserUnavailable(RuntimeError):
    """The system Chromium could not be found or started."""


# --------------------------------------------------------------------------- the view


def closest(word: str, choices: Iterable[str]) -> str:
    """' (closest: a, b)' for the choices nearest to ``word``, else ' (known: the first few)'."""
    options = sorted(set(choices))
    near = difflib.get_close_matches(word, options, n=3, cutoff=0.5)
    if near:
        return f" (closest: {', '.join(near)})"
    return f" (known: {', '.join(options[:8])}{', ...' if len(options) > 8 else ''})" if options else ""


def _unknown(name: str, value: str, choices: Iterable[str]) -> ExportError:
    return ExportError(f"--{name}: unknown {name} {value!r}{closest(value, choices)}")


def view_from(ds: Dataset, query_string: str = "", **fields: object) -> ViewState:
    """The view an export names: ``query_string`` ('organ=kidney&step=4') with ``fields`` over it.

    Strict where the app is lenient: an unknown key, id, number or choice raises
    :class:`ExportError` naming it with the closest valid values, and so does an id the chosen
    anatomy (``sex``) does not have. Without a step the view is at its last step (the referred
    zone lit). The state returned is canonical in the dataset of its anatomy.
    """
    raw: dict[str, str] = {}
    if query_string:
        parsed = parse_qs(query_string.lstrip("?"), keep_blank_values=True)
        for key, values in parsed.items():
            if key not in VIEW_KEYS:
                raise ExportError(f"--query: unknown key {key!r}{closest(key, VIEW_KEYS)}")
            raw[key] = values[-1]
    for key, value in fields.items():
        if key not in VIEW_KEYS:
            raise ExportError(f"unknown view field {key!r}{closest(key, VIEW_KEYS)}")
        if value is not None and value != "":
            raw[key] = str(value)
    _check(ds, raw)
    if "step" not in raw or int(raw["step"]) > MAX_STEP:
        raw["step"] = str(MAX_STEP)  # the last step (at most the route's own last, below)
    state = ViewState.from_query(urlencode(raw))
    seen = for_sex(ds, state.sex)
    canonical = state.canonical(seen)
    for key in ("organ", "part", "route", "zone", "story", "compare"):
        asked = raw.get(key, "")
        if asked and asked in _ids(ds, key) and asked not in _ids(seen, key):
            raise ExportError(f"--{key}: {asked!r} is not in the {state.sex} anatomy (--sex {state.sex})")
    return at_most_last_step(ds, canonical)


def at_most_last_step(ds: Dataset, state: ViewState) -> ViewState:
    """``state`` with its step no further than its route's last (links and names then say which)."""
    seen = seen_dataset(ds, state)
    route = seen.route.get(figures.resolve_selection(seen, state).route)
    last = len(figures.animation_steps(seen, route, state.lang)) - 1 if route is not None else 0
    return state.with_(step=min(state.step, max(last, 0)))


def _ids(ds: Dataset, key: str) -> list[str]:
    """The ids a view field may name."""
    if key in ("organ", "compare"):
        return [o.id for o in ds.organs]
    if key == "part":
        return list(ds.part)
    if key == "route":
        return [r.id for r in ds.routes]
    if key == "zone":
        return [z.id for z in ds.zones]
    if key == "story":
        return [s.id for s in ds.stories]
    return []


def _check(ds: Dataset, raw: Mapping[str, str]) -> None:
    """Refuse any value of ``raw`` that the view would silently drop."""
    for key in ("organ", "part", "route", "zone", "story", "compare"):
        value = raw.get(key)
        if not value:
            continue
        known = _ids(ds, key) + (list(ds.part) if key == "organ" else [])  # a part id names its organ
        if value not in known:
            raise _unknown(key, value, known)
    if raw.get("segment"):
        try:
            segment = parse_segment(raw["segment"])
        except ValueError:
            segment = ""
        if segment not in ds.segment:
            raise _unknown("segment", raw["segment"], ds.segment)
    choices: dict[str, Iterable[str]] = {
        "lang": ds.languages, "mode": MODES, "side": SIDES, "sex": SEXES, "anatomy": ("front", "lateral", "side"),
    }
    for key, allowed in choices.items():
        if raw.get(key) and raw[key] not in allowed:
            raise _unknown(key, raw[key], allowed)
    if "layers" in raw:
        for layer in raw["layers"].split(","):
            if layer and layer != "none" and layer not in LAYERS:
                raise ExportError(f"--layers: unknown layer {layer!r}{closest(layer, LAYERS)}")
    for key in ("step", "seed"):
        if key in raw and not (raw[key].isascii() and raw[key].isdigit()):
            raise ExportError(f"--{key}: {raw[key]!r} is not a whole number (0 or more)")
    if raw.get("anatomy") and not anatomy_view(raw["anatomy"]):
        raise _unknown("anatomy", raw["anatomy"], ("front", "lateral"))


def seen_dataset(ds: Dataset, state: ViewState) -> Dataset:
    """The dataset the view's anatomy sees (its ``sex``)."""
    return for_sex(ds, state.sex)


def file_stem(state: ViewState) -> str:
    """A file name for a view: 'painmap-kidney-splanchnic-step8', 'painmap-story-period-pain'."""
    bits = ["painmap"]
    if state.story:
        bits += ["story", state.story]
    elif state.route:
        bits.append(state.route)
    elif state.part:
        bits.append(state.part)
    elif state.organ:
        bits.append(state.organ)
    if state.zone:
        bits += ["zone", state.zone]
    if state.segment:
        bits += ["segment", state.segment]
    for extra in (state.sex, state.side, state.mode, "" if state.lang == "en" else state.lang):
        if extra:
            bits.append(extra)
    return "-".join(bits)


# --------------------------------------------------------------------------- words


def view_title(ds: Dataset, state: ViewState) -> str:
    """'painmap: Kidney infection (pyelonephritis)': what the view shows, in a few words."""
    lang = state.lang
    _ = translator(lang)
    if state.story in ds.story:
        shown = text(ds.story[state.story].title, lang)
    elif state.route in ds.route:
        shown = text(ds.route[state.route].label, lang) or state.route
    elif state.part in ds.part:
        shown = text(ds.part[state.part].label, lang)
    elif state.organ in ds.organ:
        shown = text(ds.organ[state.organ].label, lang)
    elif state.zone in ds.zone:
        shown = _("pain felt in the {zone}").format(zone=text(ds.zone[state.zone].label, lang).lower())
    elif state.segment:
        shown = _("spinal segment {segment}").format(segment=state.segment)
    else:
        shown = _("why organ pain is felt in the back")
    return f"painmap: {shown}"


def _words(items: list[str], lang: str = "en") -> str:
    """'a, b and c' in ``lang``."""
    if len(items) < 2:
        return "".join(items)
    return _and(lang).format(first=", ".join(items[:-1]), last=items[-1])


def _and(lang: str) -> str:
    return gettext(lang, "{first} and {last}")


def step_descriptions(ds: Dataset, state: ViewState) -> list[str]:
    """The figure in words at each step of the view's route (the same facts the app's
    description gives): the step, the nerves the signal has passed, the segments lit once it
    has entered the cord, and at the last step the skin zones where the pain is felt."""
    ds = seen_dataset(ds, state)
    selection = figures.resolve_selection(ds, state)
    route = ds.route.get(selection.route)
    if route is None:
        return []
    steps = figures.animation_steps(ds, route, state.lang)
    layer = figures.route_layer(ds, state)
    names = [s.name for s in steps]
    nerves: list[tuple[int, str]] = []
    segments: list[str] = []
    zones: list[str] = []
    for trace in layer["data"]:
        meta = trace.get("meta")
        name = str(trace.get("name") or "")
        if not isinstance(meta, dict):
            continue
        if name.startswith("nerve/") and isinstance(meta.get("nerve"), str) and meta.get("step") in names:
            label = meta.get("label") if isinstance(meta.get("label"), str) else meta["nerve"].replace("-", " ")
            nerves.append((names.index(meta["step"]), str(label)))
        if name == "segment-lit" and isinstance(meta.get("segments"), list):
            segments += [s for s in meta["segments"] if s not in segments]
        if name.startswith("zone-lit/") and isinstance(meta.get("zones"), list):
            labels: list = meta["zone_labels"] if isinstance(meta.get("zone_labels"), list) else meta["zones"]
            zones += [str(z) for z in labels if str(z) not in zones]
    lang = state.lang
    _ = translator(lang)
    part = ds.part.get(route.part)
    where = f"{text(part.label, lang)}. " if part is not None else ""
    side = " " + _("({side} side only)").format(side=_(state.side)) if state.side else ""
    entry = names.index("entry") if "entry" in names else None
    out = []
    for i, step in enumerate(steps):
        head = _("Step {number} of {total}").format(number=i + 1, total=len(steps))
        bits = [f"{where}{head}{side}: {step.caption} ({step.term})."]
        passed = list(dict.fromkeys(label for at, label in nerves if at <= i))
        if passed:
            bits.append(_("The signal has passed: {nerves}.").format(nerves=_words(passed, lang)))
        if segments and entry is not None and i >= entry:
            bits.append(_("Spinal cord segments lit: {segments}.").format(segments=format_segment_range(tuple(segments))))
        if zones and i == len(steps) - 1:
            bits.append(_("Pain is felt in the skin zone: {zones}.").format(zones=_words(zones, lang)))
        out.append(" ".join(bits))
    return out


def describe(ds: Dataset, state: ViewState) -> str:
    """The figure in words at the view's step: its alt text in every export."""
    per_step = step_descriptions(ds, state)
    if per_step:
        return per_step[min(max(state.step, 0), len(per_step) - 1)]
    seen = seen_dataset(ds, state)
    lang = state.lang
    _ = translator(lang)
    if state.zone in seen.zone:
        routes = query.routes_for_zone(seen, state.zone)
        parts = list(dict.fromkeys(text(seen.part[r.part].label, lang) for r in routes if r.part in seen.part))
        zone = text(seen.zone[state.zone].label, lang)
        found = (
            _("The organ parts that can refer pain there are outlined: {parts}.").format(parts=_words(parts, lang))
            if parts else _("No organ in this dataset refers pain there.")
        )
        return _("Pain felt in the {zone}, lit on the body.").format(zone=zone.lower()) + " " + found
    if state.segment:
        routes = query.routes_for_segment(seen, state.segment)
        parts = list(dict.fromkeys(text(seen.part[r.part].label, lang) for r in routes if r.part in seen.part))
        found = (
            _("The organ parts whose pain enters it are outlined: {parts}.").format(parts=_words(parts, lang))
            if parts else _("No organ's pain enters it in this dataset.")
        )
        return _("Spinal cord segment {segment} is lit.").format(segment=state.segment) + " " + found
    return _(
        "The organs and nerves of the abdomen and pelvis, the spinal cord, a dorsal horn and the body "
        "from the front and the back. Nothing is chosen: no pain signal is drawn."
    )


def red_flags_for(ds: Dataset, state: ViewState, everything: bool = False) -> list[RedFlag]:
    """The red flags a view must show: a story's own first, then those for its organs, then the
    general ones (``everything`` adds the rest), emergencies first within each group."""
    seen = seen_dataset(ds, state)
    urgency = {"emergency": 0, "today": 1}
    story = seen.story.get(state.story)
    known = {f.id: f for f in seen.red_flags}
    told = [known[i] for i in dict.fromkeys(story.red_flags if story else ()) if i in known]
    organs = {o for o in (state.organ, state.compare) if o}
    if state.zone:
        organs |= {r.organ for r in query.routes_for_zone(seen, state.zone)}
    if state.segment:
        organs |= {r.organ for r in query.routes_for_segment(seen, state.segment)}
    rest = [f for f in seen.red_flags if f not in told]
    relevant = [f for f in rest if organs.intersection(f.organs)]
    general = [f for f in rest if not f.organs]
    others = [f for f in rest if f not in relevant and f not in general] if everything else []
    if story is not None:  # a story's list is its clinician's choice: the rest only when asked
        relevant, general = ([], []) if not everything else (relevant, general)
    groups = (told, relevant, general, others)
    return [f for group in groups for f in sorted(group, key=lambda f: urgency.get(f.urgency, 2))]


URGENCY_WORDS: Mapping[str, str] = {"emergency": N_("Emergency: get help now"), "today": N_("See a doctor today")}


def sources_for(ds: Dataset, state: ViewState) -> list[str]:
    """The ids of the sources of what the view shows: its story's, its routes' and their mechanisms'."""
    seen = seen_dataset(ds, state)
    selection = figures.resolve_selection(seen, state)
    routes: list[Route] = [seen.route[r] for r in selection.routes if r in seen.route]
    if state.zone:
        routes += query.routes_for_zone(seen, state.zone)
    elif state.segment:
        routes += query.routes_for_segment(seen, state.segment)
    ids: list[str] = list(seen.story[state.story].sources) if state.story in seen.story else []
    mechanisms = {m.id: m for m in seen.mechanisms}
    for route in routes:
        ids += route.sources
        ids += [s for m in query.mechanisms_for_route(seen, route) if m in mechanisms for s in mechanisms[m].sources]
    return [s for s in dict.fromkeys(ids) if s in seen.source]


def source_line(ds: Dataset, source_id: str) -> tuple[str, str]:
    """(citation, link) of a source: 'Title. Authors, 2019.' and its DOI, PubMed or web address."""
    src = ds.source[source_id]
    who = ", ".join(str(x) for x in (src.authors, src.year) if x)
    link = (
        f"https://doi.org/{src.doi}" if src.doi
        else f"https://pubmed.ncbi.nlm.nih.gov/{src.pmid}/" if src.pmid
        else src.url or ""
    )
    return f"{src.title}{'. ' + who if who else ''}.", str(link)


def view_link(base_url: str, state: ViewState) -> str:
    """The address that reopens ``state`` in the app at ``base_url`` ('' gives the query alone)."""
    return (base_url or "") + (state.to_query() or ("?" if not base_url else ""))


# --------------------------------------------------------------------------- figures


def static_figure(ds: Dataset, state: ViewState, width: int = STATIC_WIDTH, notes: bool = True) -> dict:
    """The figure at the view's step as plain data, without frames, slider or Play buttons."""
    seen = seen_dataset(ds, state)
    figure = figures.figure_dict(seen, state, "wide", width, notes=notes, large=state.mode == "patient")
    layout = {k: v for k, v in figure["layout"].items() if k not in ("sliders", "updatemenus")}
    layout["width"] = width
    return {"data": figure["data"], "layout": layout}


def animated_figure(ds: Dataset, state: ViewState, width: int = STATIC_WIDTH) -> dict:
    """The standalone figure: frames, its own slider and Play buttons, the route's note."""
    seen = seen_dataset(ds, state)
    return figures.figure_dict(seen, state, "wide", width, notes=True, large=state.mode == "patient")


# --------------------------------------------------------------------------- alt text in files


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_with_text(png: bytes, entries: Mapping[str, str]) -> bytes:
    """``png`` with an iTXt chunk (UTF-8 text) per entry ('Title', 'Description') after IHDR."""
    signature = b"\x89PNG\r\n\x1a\n"
    if not png.startswith(signature):
        raise ValueError("not a PNG")
    ihdr_end = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    chunks = b"".join(
        _png_chunk(b"iTXt", key.encode("latin-1") + b"\x00\x00\x00" + b"\x00" + b"\x00" + value.encode("utf-8"))
        for key, value in entries.items()
    )
    return png[:ihdr_end] + chunks + png[ihdr_end:]


def png_text(png: bytes) -> dict[str, str]:
    """The tEXt and iTXt entries of a PNG (key -> text)."""
    out: dict[str, str] = {}
    at = 8
    while at + 8 <= len(png):
        length = struct.unpack(">I", png[at : at + 4])[0]
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"tEXt" and b"\x00" in data:
            key, value = data.split(b"\x00", 1)
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt" and b"\x00" in data:
            key, rest = data.split(b"\x00", 1)
            compressed, rest = rest[0], rest[2:]
            _language, rest = rest.split(b"\x00", 1)
            _translated, value = rest.split(b"\x00", 1)
            out[key.decode("latin-1")] = (zlib.decompress(value) if compressed else value).decode("utf-8")
        at += 12 + length
    return out


def svg_with_text(svg: str, title: str, description: str) -> str:
    """``svg`` with ``<title>`` and ``<desc>`` first inside its root, and role="img" naming them."""
    start = svg.find("<svg")
    end = svg.find(">", start)
    if start < 0 or end < 0:
        raise ValueError("not an SVG")
    head = svg[start:end]
    if head.endswith("/"):
        raise ValueError("an empty SVG")
    opening = head + ' role="img" aria-labelledby="painmap-title painmap-desc">'
    inner = (
        f'<title id="painmap-title">{html.escape(title)}</title>'
        f'<desc id="painmap-desc">{html.escape(description)}</desc>'
    )
    return svg[:start] + opening + inner + svg[end + 1 :]


def _pdf_text(value: str) -> str:
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


def pdf_with_info(pdf: bytes, title: str, subject: str) -> bytes:
    """``pdf`` with its document Title and Subject set, as an incremental update (a new Info
    dictionary and a cross-reference section pointing back at the old one)."""
    import re

    start = pdf.rfind(b"startxref")
    trailer_at = pdf.rfind(b"trailer", 0, start)
    size = re.search(rb"/Size\s+(\d+)", pdf[trailer_at:start]) if trailer_at >= 0 else None
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", pdf[trailer_at:start]) if trailer_at >= 0 else None
    previous = re.search(rb"startxref\s+(\d+)", pdf[start:])
    if start < 0 or size is None or root is None or previous is None:
        raise ValueError("not a PDF with a classic trailer")
    number = int(size.group(1))
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    info = (
        f"{number} 0 obj\n<< /Title {_pdf_text(title)} /Subject {_pdf_text(subject)} /Producer (painmap) >>\nendobj\n"
    ).encode("ascii")
    info_at = len(body)
    xref_at = info_at + len(info)
    tail = (
        f"xref\n{number} 1\n{info_at:010d} 00000 n \ntrailer\n<< /Size {number + 1} /Root {root.group(1).decode()} "
        f"/Info {number} 0 R /Prev {int(previous.group(1))} >>\nstartxref\n{xref_at}\n%%EOF\n"
    ).encode("ascii")
    return body + info + tail


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF has (its /Type /Page objects)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


# --------------------------------------------------------------------------- the browser


def chromium_path() -> str:
    """The system Chromium (``BROWSER_PATH``, else chromium or google-chrome on the PATH)."""
    chosen = os.environ.get("BROWSER_PATH")
    if chosen:
        if Path(chosen).is_file() and os.access(chosen, os.X_OK):
            return chosen
        raise BrowserUnavailable(f"BROWSER_PATH={chosen} is not a program: point it at Chrome or Chromium, or unset it")
    for candidate in (shutil.which("chromium"), shutil.which("chromium-browser"), shutil.which("google-chrome"),
                      "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise BrowserUnavailable(
        "PNG, SVG and PDF exports need Chromium: install it (Debian: apt-get install chromium) "
        "or set BROWSER_PATH to a Chrome or Chromium program"
    )


class RenderError(RuntimeError):
    """plotly.js could not draw a figure (its message says why)."""


#: The drawing tab's page: plotly.js (the installed plotly package's, from a file beside it)
#: and one function that draws a figure to a data URL with plotly.js's own Plotly.toImage.
DRAWING_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><script src="plotly.min.js"></script>
<script>
window.painmapDraw = function (figure, options) {
  return Plotly.toImage({data: figure.data, layout: figure.layout, config: {staticPlot: true}}, options);
};
</script></head><body></body></html>
"""
#: The drawing tab is reloaded after this many images (plotly.js keeps some state per plot).
RELOAD_EVERY = 200


class Renderer:
    """One warm headless Chromium for a batch of exports: one tab that has loaded plotly.js
    once and draws each figure with ``Plotly.toImage``, and a tab per PDF it prints.

    The browser is the system's Chromium, driven through choreographer (the library kaleido
    drives it with). kaleido itself reloads its page, plotly.js included, after every image:
    2-3 times slower per image here (bench/README.md, "Exports"). Use it as a context manager;
    the first image starts the browser (a few seconds). Safe to call from several threads:
    images are drawn one at a time.
    """

    def __init__(self, browser: str | None = None, timeout: float = RENDER_TIMEOUT_S) -> None:
        self._browser_path = browser
        self._timeout = timeout
        self._lock = threading.Lock()  # starting and closing
        self._drawing = threading.Lock()  # one image at a time in the drawing tab
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._browser: Any = None
        self._tab: Any = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._drawn = 0

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(self._timeout)
        except FutureTimeout as exc:
            future.cancel()
            raise BrowserUnavailable(f"Chromium did not answer within {self._timeout:g} s") from exc

    def _started(self) -> Any:
        with self._lock:
            if self._browser is not None:
                return self._browser
            import choreographer  # type: ignore[import-untyped]  # imported late: only images need it

            path = self._browser_path or chromium_path()
            folder = tempfile.TemporaryDirectory(prefix="painmap-draw-")
            (Path(folder.name) / "plotly.min.js").write_text(plotly_js(), encoding="utf-8")
            (Path(folder.name) / "index.html").write_text(DRAWING_PAGE, encoding="utf-8")
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="painmap-renderer", daemon=True)
            thread.start()
            self._loop, self._thread, self._folder = loop, thread, folder

            async def start() -> Any:
                browser = choreographer.Browser(path=path, headless=True)
                await browser.open()
                return browser

            try:
                self._browser = self._run(start())
                self._tab = self._run(self._drawing_tab())
            except Exception as exc:
                self._stop_loop()
                if isinstance(exc, BrowserUnavailable):
                    raise
                raise BrowserUnavailable(f"Chromium ({path}) could not be started: {exc}") from exc
            return self._browser

    async def _drawing_tab(self) -> Any:
        from choreographer.protocol.devtools_async_helpers import navigate_and_wait  # type: ignore[import-untyped]

        assert self._folder is not None
        tab = await self._browser.create_tab("")
        await navigate_and_wait(tab, (Path(self._folder.name) / "index.html").as_uri(), timeout=self._timeout)
        return tab

    async def _draw(self, figure: dict, options: dict) -> str:
        from plotly.io.json import to_json_plotly  # type: ignore[import-untyped]

        if self._drawn and self._drawn % RELOAD_EVERY == 0:
            await self._browser.close_tab(self._tab)
            self._tab = await self._drawing_tab()
        self._drawn += 1
        expression = f"window.painmapDraw({to_json_plotly(figure)}, {json.dumps(options)})"
        answer = await self._tab.send_command(
            "Runtime.evaluate", params={"expression": expression, "awaitPromise": True, "returnByValue": True}
        )
        result = answer.get("result", {}) if isinstance(answer, dict) else {}
        if "error" in answer or "exceptionDetails" in result:
            details = answer.get("error") or result["exceptionDetails"].get("exception", {}).get("description")
            raise RenderError(f"plotly.js could not draw the figure: {details}")
        value = result.get("result", {}).get("value")
        if not isinstance(value, str):
            raise RenderError("plotly.js drew nothing")
        return value

    def image(self, figure: dict, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
        """``figure`` drawn as PNG or SVG bytes (``width`` x ``height`` CSS pixels, ``scale`` times the pixels)."""
        if fmt not in ("png", "svg"):
            raise ValueError(f"images are png or svg, not {fmt!r}")
        import base64
        from urllib.parse import unquote

        self._started()
        options = {"format": fmt, "width": width, "height": height, "scale": scale}
        with self._drawing:
            url = self._run(self._draw(figure, options))
        head, _, data = url.partition(",")
        return base64.b64decode(data) if head.endswith(";base64") else unquote(data).encode("utf-8")

    def print_pdf(self, page: str, paper: str = "a4") -> bytes:
        """An HTML page printed to PDF by Chromium (its print CSS applies), on ``paper``."""
        import base64

        from choreographer.protocol.devtools_async_helpers import navigate_and_wait  # type: ignore[import-untyped]

        browser = self._started()
        width, height = PAPERS[paper]
        with tempfile.TemporaryDirectory(prefix="painmap-print-") as folder:
            path = Path(folder) / "page.html"
            path.write_text(page, encoding="utf-8")

            async def printed() -> bytes:
                tab = await browser.create_tab("")
                try:
                    await navigate_and_wait(tab, path.as_uri(), timeout=self._timeout)
                    answer = await tab.send_command(
                        "Page.printToPDF",
                        params={"paperWidth": width, "paperHeight": height, "printBackground": True,
                                "preferCSSPageSize": False, "marginTop": 0, "marginBottom": 0,
                                "marginLeft": 0, "marginRight": 0},
                    )
                finally:
                    await browser.close_tab(tab)
                if "error" in answer:
                    raise RenderError(f"Chromium could not print: {answer['error']}")
                return base64.b64decode(answer["result"]["data"])

            return self._run(printed())

    def _stop_loop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        if self._loop is not None and not self._loop.is_running():
            self._loop.close()
        self._loop = self._thread = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def close(self, quick: bool = False) -> None:
        """Close the browser (a later image starts a new one). ``quick`` (at the process's exit,
        when its event loop may no longer run) ends the browser's processes at once."""
        with self._lock:
            if quick and self._browser is not None:
                from choreographer.utils._kill import kill  # type: ignore[import-untyped]

                process = getattr(self._browser, "subprocess", None)
                if process is not None and process.poll() is None:
                    kill(process)
                self._browser = None
            if self._browser is not None and self._loop is not None and self._loop.is_running():
                future = asyncio.run_coroutine_threadsafe(self._browser.close(), self._loop)
                try:
                    future.result(CLOSE_TIMEOUT_S)
                except Exception:  # noqa: BLE001  # closing: a browser already gone is closed
                    future.cancel()
            self._browser = self._tab = None
            self._drawn = 0
            self._stop_loop()


# --------------------------------------------------------------------------- files


def png_file(ds: Dataset, state: ViewState, renderer: Renderer) -> bytes:
    figure = static_figure(ds, state)
    png = renderer.image(figure, "png", STATIC_WIDTH, int(figure["layout"]["height"]), scale=PNG_SCALE)
    return png_with_text(png, {"Title": view_title(ds, state), "Description": describe(ds, state)})


def svg_file(ds: Dataset, state: ViewState, renderer: Renderer, notes: bool = True, width: int = STATIC_WIDTH) -> str:
    figure = static_figure(ds, state, width, notes=notes)
    svg = renderer.image(figure, "svg", width, int(figure["layout"]["height"])).decode("utf-8")
    return svg_with_text(svg, view_title(ds, state), describe(ds, state))


#: The handout's figure is drawn this wide, in patient mode's plain words and large type, and
#: printed 190 mm (about 720 CSS px) wide: its words print at about 13 px (10 pt), not 9.
HANDOUT_FIGURE_WIDTH = 900


def handout_figure(ds: Dataset, state: ViewState, renderer: Renderer) -> str:
    """The figure a patient takes home: the view in plain words and large type (patient mode)."""
    return svg_file(ds, state.with_(mode="patient", terms=False), renderer, notes=False, width=HANDOUT_FIGURE_WIDTH)


def pdf_file(ds: Dataset, state: ViewState, renderer: Renderer, base_url: str = "", paper: str = "a4") -> bytes:
    """The view's one-page handout as a PDF (see :mod:`painmap.handout`)."""
    from painmap import handout

    page = handout.handout_html(ds, state, handout_figure(ds, state, renderer), base_url)
    pdf = renderer.print_pdf(page, paper)
    return pdf_with_info(pdf, view_title(ds, state), describe(ds, state))


def export_view(
    ds: Dataset, state: ViewState, fmt: str, renderer: Renderer | None = None, base_url: str = "", paper: str = "a4"
) -> bytes:
    """The view as a file of ``fmt`` (one of :data:`FORMATS`). PNG, SVG and PDF need ``renderer``."""
    if fmt == "html":
        return standalone_html(ds, state, base_url=base_url).encode("utf-8")
    if fmt not in FORMATS:
        raise ExportError(f"--format: unknown format {fmt!r}{closest(fmt, FORMATS)}")
    if renderer is None:
        raise ValueError(f"a {fmt} export needs a Renderer")
    if fmt == "png":
        return png_file(ds, state, renderer)
    if fmt == "svg":
        return svg_file(ds, state, renderer).encode("utf-8")
    if paper not in PAPERS:
        raise ExportError(f"--paper: unknown paper {paper!r}{closest(paper, PAPERS)}")
    return pdf_file(ds, state, renderer, base_url, paper)


def all_views(ds: Dataset, lang: str = "en") -> list[ViewState]:
    """Every organ, route and story of ``ds``, each at its last step (what ``--all`` exports)."""
    last = ViewState(step=MAX_STEP, lang=lang)
    views = [last.with_(organ=o.id) for o in ds.organs]
    views += [last.with_(route=r.id) for r in ds.routes]
    views += [last.with_(story=s.id) for s in ds.stories]
    return [at_most_last_step(ds, v.canonical(ds)) for v in views]


# --------------------------------------------------------------------------- standalone HTML


def plotly_js() -> str:
    """plotly.js as the installed plotly package ships it (no network)."""
    from plotly.offline import get_plotlyjs  # type: ignore[import-untyped]  # plotly ships no type hints

    return str(get_plotlyjs())


def _json_for_script(value: object) -> str:
    """JSON that is safe inside a <script> element."""
    from plotly.io.json import to_json_plotly  # type: ignore[import-untyped]

    return str(to_json_plotly(value)).replace("</", "<\\/")


STANDALONE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;margin:0 auto;max-width:1320px;padding:16px;line-height:1.45}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.15rem;margin:1.2em 0 .4em}
.caption{font-size:1.1rem;font-weight:600;min-height:1.5em;margin:.4em 0}
.description{color:#333;margin:.2em 0 1em}
.steps li.current{font-weight:700}
.flags li{margin:.3em 0}.urgency{font-weight:700;color:#8a1c00}
.figure{width:100%;overflow-x:auto}
.note{font-size:.9rem;color:#444}
.qr svg{width:120px;height:120px}
"""

#: The player: each step shown (frame or slider) updates the caption, the description and the
#: steps list. Written for plotly.js alone (no Dash).
STANDALONE_JS = """
(function(){
  var fig = JSON.parse(document.getElementById('painmap-figure-data').textContent);
  var words = JSON.parse(document.getElementById('painmap-step-words').textContent);
  var gd = document.getElementById('painmap-figure');
  function show(i){
    if(isNaN(i)||!words.captions.length){return;}
    i=Math.max(0,Math.min(words.captions.length-1,i));
    document.getElementById('painmap-caption').textContent=words.captions[i];
    document.getElementById('painmap-description').textContent=words.descriptions[i];
    gd.setAttribute('data-step', String(i));
    document.querySelectorAll('#painmap-steps li').forEach(function(li){
      var here=li.getAttribute('data-step')===String(i);
      li.classList.toggle('current',here);
      if(here){li.setAttribute('aria-current','step');}else{li.removeAttribute('aria-current');}
    });
  }
  Plotly.newPlot(gd, fig.data, fig.layout, {displaylogo:false, responsive:true, modeBarButtonsToRemove:['toImage']})
    .then(function(){ return fig.frames && fig.frames.length ? Plotly.addFrames(gd, fig.frames) : null; })
    .then(function(){
      gd.on('plotly_animatingframe', function(e){ show(parseInt(e && e.name, 10)); });
      gd.on('plotly_sliderchange', function(e){ show(parseInt(e && e.step && e.step.args && e.step.args[0] && e.step.args[0][0], 10)); });
      document.documentElement.setAttribute('data-painmap-ready','1');
    });
  show(words.start);
})();
"""


def standalone_html(
    ds: Dataset, state: ViewState, base_url: str = "", plotly_src: str | None = None, extra: str = "", header: str = ""
) -> str:
    """One HTML page that shows and animates the view with no network and no server.

    plotly.js is inline unless ``plotly_src`` names a shared file (the lesson package). The
    page has the figure with its slider and Play buttons, the step's caption and description
    (updated as it plays), the steps, a story's narration, the red flags and the sources;
    ``base_url`` adds a link that reopens the view in the app; ``extra`` is HTML put after the
    figure, ``header`` before the title.
    """
    seen = seen_dataset(ds, state)
    lang = state.lang
    _ = translator(lang)
    title = view_title(seen, state)
    figure = animated_figure(ds, state)
    selection = figures.resolve_selection(seen, state)
    route = seen.route.get(selection.route)
    steps = figures.animation_steps(seen, route, lang) if route is not None else []
    start = min(max(state.step, 0), len(steps) - 1) if steps else 0
    descriptions = step_descriptions(ds, state) or [describe(ds, state)]
    captions = [f"{i + 1}/{len(steps)} {s.caption} ({s.term})" for i, s in enumerate(steps)] or [""]
    words = {"captions": captions, "descriptions": descriptions, "start": start}
    esc = html.escape
    parts = [
        header,
        f'<h1>{esc(title)}</h1>',
        f'<div class="figure" id="painmap-figure" role="img" aria-label="{esc(title)}. {esc(descriptions[start])}" '
        f'aria-describedby="painmap-description"></div>',
        f'<p class="caption" id="painmap-caption" aria-live="polite">{esc(captions[start])}</p>',
        f'<p class="description" id="painmap-description">{esc(descriptions[start])}</p>',
        extra,
    ]
    story = seen.story.get(state.story)
    if story is not None:
        parts.append(_story_html(seen, story.id, lang))
    if steps:
        items = "".join(
            f'<li data-step="{i}"{" class=current" if i == start else ""}>{esc(s.caption)} <i>({esc(s.term)})</i></li>'
            for i, s in enumerate(steps)
        )
        parts.append(f'<h2>{esc(_(MSG_STEP_BY_STEP))}</h2><ol class="steps" id="painmap-steps">{items}</ol>')
    parts.append(red_flags_html(ds, state, everything=True))
    parts.append(sources_html(ds, state))
    if base_url:
        link = view_link(base_url, state)
        parts.append(f'<p><a href="{esc(link)}">{esc(_(MSG_OPEN_THIS_VIEW_IN_PAINMAP))}</a></p>')
    script = (
        f'<script src="{esc(plotly_src)}"></script>' if plotly_src
        else f'<script type="text/javascript">{plotly_js()}</script>'
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
        f"<style>{STANDALONE_CSS}</style></head><body><main>{''.join(parts)}</main>"
        f'<script type="application/json" id="painmap-figure-data">{_json_for_script(figure)}</script>'
        f'<script type="application/json" id="painmap-step-words">{_json_for_script(words)}</script>'
        f"{script}<script>{STANDALONE_JS}</script></body></html>\n"
    )


def _story_html(ds: Dataset, story_id: str, lang: str) -> str:
    story = ds.story[story_id]
    esc = html.escape
    narration = story_words(ds, story_id, lang)
    items = "".join(f"<li>{esc(words)}</li>" for words in narration)
    summary = f"<p>{esc(text(story.summary, lang))}</p>" if story.summary else ""
    claims = ""
    _ = translator(lang)
    for heading, found in ((_("What sets it off"), story.triggers), (_("What eases it"), story.eases)):
        if found:
            claims += f"<h3>{esc(heading)}</h3><ul>" + "".join(f"<li>{esc(text(c.text, lang))}</li>" for c in found) + "</ul>"
    return f"<h2>{esc(text(story.condition, lang))}</h2>{summary}<ol class=\"story\">{items}</ol>{claims}"


def story_words(ds: Dataset, story_id: str, lang: str) -> list[str]:
    """A story's narration in plain words, step by step (only the steps this anatomy shows)."""
    story = ds.story[story_id]
    return [
        text(s.text, lang) for s in story.steps if s.route in ds.route and s.step in ds.step_names(s.route)
    ]


def red_flags_html(ds: Dataset, state: ViewState, everything: bool = False) -> str:
    esc = html.escape
    lang = state.lang
    _ = translator(lang)
    items = "".join(
        f'<li data-flag="{esc(f.id)}"><span class="urgency">{esc(_(URGENCY_WORDS.get(f.urgency, f.urgency)))}:</span> '
        f"<strong>{esc(text(f.label, lang))}.</strong> {esc(text(f.text, lang))}</li>"
        for f in red_flags_for(ds, state, everything)
    )
    return (
        f'<section class="flags" aria-labelledby="flags-heading"><h2 id="flags-heading">{esc(_(MSG_RED_FLAGS_GET_MEDICAL_HELP_NOW))}</h2>'
        f"<p>{esc(_(FLAGS_INTRO))}</p><ul>{items}</ul></section>"
    )


FLAGS_INTRO = N_(
    "painmap explains how pain can travel; it cannot tell what is causing yours. "
    "If any of these apply, see a doctor now, whatever the map shows."
)


def sources_html(ds: Dataset, state: ViewState) -> str:
    esc = html.escape
    seen = seen_dataset(ds, state)
    items = []
    for sid in sources_for(ds, state):
        citation, link = source_line(seen, sid)
        anchor = f' <a href="{esc(link)}">{esc(link)}</a>' if link else ""
        items.append(f"<li>{esc(citation)}{anchor}</li>")
    if not items:
        return ""
    heading = gettext(state.lang, "Sources")
    return f'<section class="sources"><h2>{esc(heading)}</h2><ol>{"".join(items)}</ol></section>'


# --------------------------------------------------------------------------- writing


def write_atomically(path: Path, content: bytes) -> None:
    """``content`` into ``path`` through a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # readable as any new file (a web server serves a lesson)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_of(path: str, fmt: str | None) -> str:
    """The format asked for, else the one ``path``'s suffix names."""
    if fmt:
        if fmt not in FORMATS:
            raise ExportError(f"--format: unknown format {fmt!r}{closest(fmt, FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix == "htm":
        return "html"
    raise ExportError(f"--out {path}: give --format ({', '.join(FORMATS)}) or a file name ending in one of them")


def export_all(
    ds: Dataset, folder: Path, formats: Iterable[str], renderer: Renderer, base_url: str = "", lang: str = "en",
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Path]:
    """Every view of :func:`all_views` in each of ``formats`` into ``folder``, each file written
    atomically; ``progress(done, total, name)`` after each."""
    jobs = [(view, fmt) for view in all_views(ds, lang) for fmt in formats]
    written = []
    for done, (view, fmt) in enumerate(jobs, 1):
        path = folder / f"{file_stem(view)}.{fmt}"
        write_atomically(path, export_view(ds, view, fmt, renderer, base_url))
        written.append(path)
        if progress is not None:
            progress(done, len(jobs), path.name)
    return written


def json_summary(paths: list[Path]) -> str:
    return json.dumps([str(p) for p in paths], indent=2)
