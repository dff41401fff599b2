"""The interface's catalogs (painmap.i18n) and the languages' coverage that validate prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from painmap import i18n, query
from painmap.app import create_app
from painmap.app.layout import build_layout
from painmap.app.page import page
from painmap.cli import main
from painmap.viewstate import ViewState
from tests.conftest import ROOT

#: The keywords `make messages` extracts with (Makefile, babel.cfg).
KEYWORDS = {"_": None, "N_": None, "gettext": (2,), "ngettext": (2, 3)}


def messages_in_the_code() -> set[str]:
    """Every message the code marks, extracted now (not read from the committed template)."""
    found = extract_from_dir(
        str(ROOT / "src" / "painmap"), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    )
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_every_message_in_the_code_has_a_spanish_translation():
    wanted = messages_in_the_code()
    template = Catalog(domain="painmap")
    for message in wanted:
        template.add(message)
    counted = i18n.coverage("es", template)
    assert counted.total == len(wanted) > 200
    assert counted.missing == (), "run `make messages` and translate these in locale/es/LC_MESSAGES/painmap.po"


def test_the_committed_template_holds_every_message_of_the_code():
    template = set(i18n.message_ids(i18n.read_catalog(i18n.template_path())))
    assert messages_in_the_code() <= template, "run `make messages` (the template is out of date)"


def test_a_translation_is_given_per_call_with_no_current_language():
    spanish, english = i18n.translator("es"), i18n.translator("en")
    assert spanish("Red flags: get medical help now") == "Señales de alarma: busque ayuda médica ya"
    assert english("Red flags: get medical help now") == "Red flags: get medical help now"
    assert spanish("Red flags: get medical help now") == "Señales de alarma: busque ayuda médica ya", "English did not stick"
    assert i18n.ngettext("es", "{count} skin", "{count} skins", 2) == "{count} skins", "no such message: English plural"


@pytest.mark.parametrize("lang", ["fr", "xx", "", "../es"])
def test_a_language_without_a_catalog_falls_back_to_english(lang):
    assert i18n.gettext(lang, "Explore") == "Explore"


def test_a_missing_or_fuzzy_translation_falls_back_to_english_and_is_counted(tmp_path: Path, monkeypatch):
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog = Catalog(locale="de", domain="painmap")
    catalog.add("Explore", "Erkunden")
    catalog.add("Show", "Zeigen", flags=("fuzzy",))
    catalog.add("Sources", "")
    from babel.messages.pofile import write_po

    with (folder / "painmap.po").open("wb") as handle:
        write_po(handle, catalog)
    template = Catalog(domain="painmap")
    for message in ("Explore", "Show", "Sources", "Layers"):
        template.add(message)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert i18n.gettext("de", "Explore") == "Erkunden"
        assert [i18n.gettext("de", m) for m in ("Show", "Sources", "Layers")] == ["Show", "Sources", "Layers"]
        counted = i18n.coverage("de", template)
        assert (counted.total, counted.translated, counted.missing) == (4, 1, ("Show", "Sources", "Layers"))
        assert counted.percent == 25.0
    finally:
        i18n.translations.cache_clear()


def test_the_spanish_catalog_covers_the_whole_template():
    counted = i18n.coverage("es")
    assert counted.total > 200 and counted.missing == ()


def test_the_page_in_spanish_is_written_in_spanish(dataset):
    layout = str(build_layout(dataset, "es").to_plotly_json())
    for words in ("Explorar", "Preguntar al revés", "Señales de alarma: busque ayuda médica ya", "Reproducir"):
        assert words in layout
    assert "Explore" not in layout and "Ask the other way" not in layout
    shown = page(dataset, ViewState(organ="bladder", lang="es"))
    assert shown["caption"].startswith("Estímulo en: ")
    assert "Urgencia: pida ayuda ya" in str(shown["red_flags"])


def test_the_layout_a_page_gets_is_in_its_language(dataset):
    client = create_app(dataset).server.test_client()
    spanish = client.get("/_dash-layout", headers={"Referer": "http://x.test/?organ=bladder&lang=es"}).get_data(as_text=True)
    english = client.get("/_dash-layout", headers={"Referer": "http://x.test/?organ=bladder"}).get_data(as_text=True)
    unknown = client.get("/_dash-layout", headers={"Referer": "http://x.test/?lang=%00"}).get_data(as_text=True)
    assert "Explorar" in spanish and "Explore" not in spanish
    assert "Explore" in english and "Explorar" not in english
    assert "Explore" in unknown
    index = client.get("/?organ=bladder&lang=es").get_data(as_text=True)
    assert '<html lang="es">' in index and "<title>painmap: por qué el dolor" in index


def test_plotly_gets_its_spanish_locale_on_a_spanish_page(dataset):
    graphs = [c for c in _walk(build_layout(dataset, "es")) if type(c).__name__ == "Graph"]
    assert graphs and all(g.config.get("locale") == "es" for g in graphs)
    assert all("locale" not in g.config for g in _walk(build_layout(dataset, "en")) if type(g).__name__ == "Graph")
    locale = (ROOT / "assets" / "plotly-locale-es.js").read_text(encoding="utf-8")
    assert "plotly.js-locales, version 3.7.0" in locale and "MIT" in locale and "plotly.register(locale)" in locale


def _walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _walk(child)


def test_the_bundled_dataset_has_every_text_in_spanish_and_counts_what_awaits_review(dataset):
    (spanish,) = query.text_coverage(dataset, {"es": 7})
    assert spanish.total > 300 and spanish.translated == spanish.total and spanish.awaiting_review == 7
    documents = [
        {"awaiting_review": ["es"], "red_flags": [{"label": {"en": "A", "es": "a"}, "text": {"en": "B"}}],
         "organs": [{"label": {"en": "C", "es": "c"}}]},
        {"red_flags": [{"label": {"en": "D", "es": "d"}}]},
    ]
    assert query.awaiting_review(documents) == {"es": 1}, "medical texts of marked files only, in that language"


def test_validate_prints_each_languages_coverage(capsys):
    assert main(["validate"]) == 0
    lines = capsys.readouterr().out.splitlines()
    spanish = next(line for line in lines if line.startswith("es: "))
    assert spanish.startswith("es: 100 % of ")
    assert " texts; " in spanish and " awaiting clinical review; interface 100 % of " in spanish


def test_validate_counts_a_text_shown_in_english(capsys, tmp_path: Path):
    path = tmp_path / "liver.yaml"
    path.write_text(
        "extends: bundled\nlanguages: [es]\norgans:\n  - id: liver\n    label: {en: Liver}\n"
        '    ontology: "UBERON:0002107"\n    system: digestive\n    colour: teal\n'
        '    parts:\n      - {id: liver-whole, label: {en: Liver, es: Hígado}, ontology: "UBERON:0002107"}\n',
        encoding="utf-8",
    )
    assert main(["validate", "--data", str(path)]) == 0
    spanish = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("es: "))
    assert "% of " in spanish and "(1 shown in English)" in spanish and not spanish.startswith("es: 100 %")


def test_the_wheel_ships_the_catalogs():
    """hatch puts every file under src/painmap in the wheel unless excluded: the .po files are read
    from there at run time (nothing is compiled at build time)."""
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    wheel = config.split("[tool.hatch.build.targets.wheel]", 1)[1].split("\n[tool.", 1)[0]
    assert 'packages = ["src/painmap"]' in wheel and "exclude" not in wheel
    assert i18n.po_path("es").is_file() and i18n.po_path("es").is_relative_to(ROOT / "src" / "painmap")


def test_no_message_hides_from_extraction():
    """``translator(lang)("words")`` translates, but `make messages` cannot see "words": mark it
    ``gettext(lang, "words")`` or ``_ = translator(lang)`` then ``_("words")``."""
    import re

    hidden = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "src" / "painmap").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"translator\([^()]*\)\(\s*[\"']", line)
    ]
    assert hidden == []
