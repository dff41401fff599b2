"""The interface's words in the view's language: gettext catalogs through Babel.

The catalogs are ``locale/<lang>/LC_MESSAGES/painmap.po`` beside this module, and
``locale/painmap.pot`` is the template extracted from the code (``make messages``). A ``.po``
is compiled in memory the first time a language is asked for (babel's pofile -> mofile), so
there is no compiled ``.mo`` to fall out of step with its ``.po``.

The language is passed with every call, never kept as a "current language": one process
serves many people in many languages at once::

    _ = translator(state.lang)
    _("Red flags: get medical help now")

A message with no translation (or a fuzzy one) is shown in English; :func:`coverage`
counts those, and ``painmap validate`` prints the count per language.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

#: Where the catalogs are: ``<lang>/LC_MESSAGES/painmap.po`` and the template ``painmap.pot``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "painmap"
#: The language the code is written in: its messages need no catalog.
SOURCE_LANGUAGE = "en"

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (a constant translated where
    it is shown, with ``translator(lang)(CONSTANT)``)."""
    return message


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_path() -> Path:
    return LOCALE_DIR / f"{DOMAIN}.pot"


def languages() -> tuple[str, ...]:
    """English and every language with a catalog."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *(lang for lang in found if lang != SOURCE_LANGUAGE))


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    """A ``.po`` or ``.pot`` file as a Babel catalog."""
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


@lru_cache(maxsize=16)
def translations(lang: str) -> NullTranslations:
    """The compiled catalog of ``lang`` (read-only once made; English and unknown languages
    get the identity)."""
    if not isinstance(lang, str) or lang == SOURCE_LANGUAGE or not po_path(lang).is_file():
        return NullTranslations()
    catalog = read_catalog(po_path(lang), lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translator(lang: str) -> Translate:
    """``_`` for one language: the message in ``lang``, else in English."""
    return translations(lang).gettext


def gettext(lang: str, message: str) -> str:
    """``message`` in ``lang``, else in English."""
    return translations(lang).gettext(message)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in ``lang``, else in English."""
    return translations(lang).ngettext(singular, plural, n)


@dataclass(frozen=True)
class Coverage:
    """How many of the interface's messages a language translates, and which it does not."""

    lang: str
    total: int
    missing: tuple[str, ...]

    @property
    def translated(self) -> int:
        return self.total - len(self.missing)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def message_ids(catalog: Catalog) -> list[str]:
    """The singular msgid of each message in ``catalog`` (its header left out)."""
    out = []
    for message in catalog:
        if not message.id:
            continue
        out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def coverage(lang: str, template: Catalog | None = None) -> Coverage:
    """How much of the template (``locale/painmap.pot`` unless given) ``lang`` translates:
    a message counts only with a non-empty, non-fuzzy translation."""
    template = template if template is not None else read_catalog(template_path())
    wanted = message_ids(template)
    if lang == SOURCE_LANGUAGE:
        return Coverage(lang, len(wanted), ())
    done: set[str] = set()
    if po_path(lang).is_file():
        for message in read_catalog(po_path(lang), lang):
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            if message.id and not message.fuzzy and all(strings):
                done.add(message.id if isinstance(message.id, str) else message.id[0])
    return Coverage(lang, len(wanted), tuple(m for m in wanted if m not in done))
