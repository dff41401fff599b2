"""The Spanish page in a real headless Chromium: no English left on screen (issue 9, "Languages").

What a user reads is collected from the page (its visible text, the figure's words, the
controls' placeholders, titles and accessible names) and compared with the English of the
interface catalog (every msgid whose Spanish differs) and of the dataset (every text whose
Spanish differs). Citations are left out: a source keeps its title in its own language. A text
the dataset has in English only is shown in English and counted by ``painmap validate``; the
bundled dataset has none (tests/unit/test_i18n.py), so none is allowed here.

Each test builds a fresh app and ends with no browser console errors.
"""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app, ids
from painmap.i18n import gettext, message_ids, read_catalog, template_path
from painmap.loader import load
from painmap.query import _texts
from tests.browser.helpers import figure_ready, svg_texts
from tests.conftest import DATA

pytestmark = pytest.mark.browser

#: What a user reads besides the visible text: the words a control says to a screen reader or
#: on hover. Citations (titles of sources, in their own language) are left out.
READ_JS = """
var skip = '#sources, .sources, .mechanism-sources, .claim-sources, .source-title, .credits';
function shown(e) {
    return !!e && !e.closest(skip) && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
}
var words = [document.title];
document.querySelectorAll('[placeholder], [title], [aria-label]').forEach(function (e) {
    if (!shown(e)) { return; }
    ['placeholder', 'title', 'aria-label'].forEach(function (a) { if (e.getAttribute(a)) { words.push(e.getAttribute(a)); } });
});
var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (var node = walker.nextNode(); node; node = walker.nextNode()) {
    var parent = node.parentElement;
    if (parent && !parent.closest('script, style, svg') && shown(parent) && node.nodeValue.trim()) {
        words.push(node.nodeValue);
    }
}
return words.join('\\n');
"""


#: Names that read the same in every language.
NAMES = frozenset({"painmap", "SCKAN", "NIH SPARC"})


def english_fragments(ds) -> dict[str, str]:
    """Fragment -> where it comes from: the English pieces a Spanish page must not show.

    A message is cut at its placeholders ({zone}); a piece counts when it has two words or
    more, or is one word of four letters or more (shorter ones, 'and', 'or', are too common)."""
    found: dict[str, str] = {}

    def add(english: str, where: str) -> None:
        for piece in re.split(r"\{[a-z_]+\}", english):
            piece = piece.strip(" .,:;()\u2014-")
            if piece in NAMES:
                continue
            if len(piece.split()) >= 2 or (len(piece) >= 4 and piece.isalpha()):
                found.setdefault(piece, where)

    for msgid in message_ids(read_catalog(template_path())):
        if gettext("es", msgid) != msgid:
            add(msgid, f"catalog: {msgid!r}")
    for value in _texts(ds.model_dump(exclude={"origin", "outlines", "scaffold", "languages", "sources"})):
        if value.get("es") and value["es"] != value["en"]:
            add(value["en"], f"dataset: {value['en'][:60]!r}")
    return found


def english_left(dash_duo, fragments: dict[str, str]) -> list[str]:
    """The English fragments the page shows (as whole words, case as written)."""
    shown = dash_duo.driver.execute_script(READ_JS) + "\n" + svg_texts(dash_duo)
    shown = re.sub(r"https?://\S+|[?&][\w-]+=[^\s&]*", " ", shown)  # links name ids, not words
    return sorted(
        f"{piece!r} ({where})"
        for piece, where in fragments.items()
        if re.search(r"(?<![\w-])" + re.escape(piece) + r"(?![\w-])", shown)
    )


def open_page(dash_duo, query: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    figure_ready(dash_duo, timeout=60)
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: d.execute_script("return document.documentElement.lang;") == "es"
        and "Explorar" in d.execute_script("return document.body.textContent;")
    )


@pytest.fixture(scope="module")
def fragments():
    return english_fragments(load(DATA))


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("?organ=bladder&lang=es", "Vejiga"),
        ("?story=period-pain&lang=es", "Dolor de regla que se nota en la zona lumbar"),
        ("?zone=low-back&lang=es", "Dolor que se nota en: Zona lumbar (parte baja de la espalda)"),
    ],
)
def test_pm190_the_spanish_page_shows_no_english_interface_text(dash_duo, fragments, query, shown):
    dash_duo.start_server(create_app())
    open_page(dash_duo, query)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: shown in d.execute_script(READ_JS))
    caption = dash_duo.find_element(f"#{ids.STEP_CAPTION}").text if "zone" not in query else ""
    flags = [e.get_attribute("textContent") for e in dash_duo.driver.find_elements(By.CSS_SELECTOR, f"#{ids.RED_FLAGS} li")]
    assert flags and all("Urgencia: pida ayuda ya" in f or "Consulte a un médico hoy" in f for f in flags)
    assert english_left(dash_duo, fragments) == [], f"English on the Spanish page {query} (caption: {caption!r})"
    assert dash_duo.get_logs() == []


def test_pm191_plotly_speaks_spanish_on_the_spanish_page(dash_duo):
    dash_duo.start_server(create_app())
    open_page(dash_duo, "?organ=kidney&lang=es")
    titles = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#graph .modebar-btn')).map(function (b) {"
        " return b.getAttribute('data-title'); });"
    )
    assert "Descargar gráfica como PNG" in titles, titles
    assert "Download plot as a PNG" not in titles
    assert dash_duo.get_logs() == []


def test_pm192_the_language_picker_opens_the_page_in_spanish(dash_duo):
    dash_duo.start_server(create_app())
    dash_duo.driver.get(dash_duo.server_url + "/?organ=bladder")
    figure_ready(dash_duo, timeout=60)
    assert "Ask the other way" in dash_duo.driver.execute_script(READ_JS)
    picker = dash_duo.find_element(f"#{ids.LANG}")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", picker)
    picker.click()
    option = WebDriverWait(dash_duo.driver, 10).until(
        lambda d: next((o for o in d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option") if o.text.strip() == "Español"), None)
    )
    option.click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "lang=es" in d.current_url)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.execute_script("return document.documentElement.lang;") == "es")
    WebDriverWait(dash_duo.driver, 30).until(lambda d: "Preguntar al revés" in d.execute_script(READ_JS))
    figure_ready(dash_duo, timeout=60)
    assert "organ=bladder" in dash_duo.driver.current_url, "the view is kept"
    assert "Vejiga" in dash_duo.driver.execute_script(READ_JS)
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize("query", ["?organ=kidney&mode=patient&lang=es", "?mode=quiz&seed=3&lang=es"])
def test_pm193_patient_mode_and_the_quiz_in_spanish_show_no_english(dash_duo, fragments, query):
    dash_duo.start_server(create_app())
    open_page(dash_duo, query)
    WebDriverWait(dash_duo.driver, 30).until(
        lambda d: "Consulte ya a un médico si..." in d.execute_script(READ_JS) or "Pregunta 1 de" in d.execute_script(READ_JS)
    )
    assert english_left(dash_duo, fragments) == [], f"English on the Spanish page {query}"
    assert dash_duo.get_logs() == []
