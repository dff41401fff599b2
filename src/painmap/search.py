"""What are you explaining? The words a person types, matched to stories first, then to organs,
their parts and skin zones. A pure function of a loaded dataset: no Dash, no Plotly.

Case, accents, plurals and apostrophes do not matter ('Crohn's', 'crohns', 'CROHN'; 'riñón',
'rinon'; 'periods', 'period'), and a word may be typed in part ('cyst' finds cystitis). Every
language's words of an entry are searched; the label shown is in the language asked for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from painmap.model import Dataset, text

#: Kinds of answer, in the order they are offered: a story first.
KINDS: tuple[str, ...] = ("story", "organ", "part", "zone")
#: Words that say nothing about which condition or place is meant ('pain in the back').
STOPWORDS = frozenset(
    "a an and the of in my with pain pains ache aches sore de del la las el los en y mi con dolor dolores".split()
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Match:
    """One answer: what it is (``kind``: story, organ, part or zone), its id, its label, how well it matched."""

    kind: str
    id: str
    label: str
    score: float
    matched: str  # the dataset's words it matched


def normalise(words: str) -> str:
    """Lower case, no accents, no apostrophes: "Crohn's Riñón" -> 'crohns rinon'."""
    decomposed = unicodedata.normalize("NFKD", words.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("'", "").replace("\u2019", "")


def _stem(word: str) -> str:
    """A word without its plural ending: 'periods' -> 'period', 'infecciones' -> 'infeccion'."""
    if len(word) > 5 and word.endswith("ones"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(words: str) -> list[str]:
    """The words of ``words``, normalised and without plural endings."""
    return [_stem(w) for w in _WORD.findall(normalise(words))]


def _token_score(typed: str, known: str) -> float:
    """1 for the same word, less for a word typed in part (or with a different ending), else 0."""
    if typed == known:
        return 1.0
    if len(typed) >= 3 and known.startswith(typed):
        return 0.6 + 0.4 * len(typed) / len(known)
    if len(known) >= 4 and typed.startswith(known) and len(typed) - len(known) <= 2:
        return 0.8
    return 0.0


def _phrase_score(typed: list[str], phrase: str) -> float:
    """How well the typed words match one phrase of the dataset (0: not at all)."""
    known = tokens(phrase)
    if not known or not typed:
        return 0.0
    best = [max(_token_score(t, k) for k in known) for t in typed]
    if not any(best):
        return 0.0
    covered = sum(best) / len(typed)  # how much of what was typed is found
    used = sum(1 for k in known if any(_token_score(t, k) for t in typed)) / len(known)  # how much of the phrase
    return covered + 0.25 * used + (0.5 if typed == known else 0.0)


def _texts(value: Mapping[str, str] | None) -> list[str]:
    return list(value.values()) if value else []


def _candidates(ds: Dataset, lang: str) -> Iterable[tuple[str, str, str, list[str]]]:
    """(kind, id, label in ``lang``, every phrase to search) of every story, organ, part and zone."""
    for story in ds.stories:
        phrases = _texts(story.condition) + _texts(story.title)
        phrases += [word for words in story.synonyms.values() for word in words]
        yield "story", story.id, text(story.condition, lang), phrases
    for organ in ds.organs:
        yield "organ", organ.id, text(organ.label, lang), _texts(organ.label)
        for part in organ.parts:
            yield "part", part.id, text(part.label, lang), _texts(part.label)
    for zone in ds.zones:
        yield "zone", zone.id, text(zone.label, lang), _texts(zone.label)


def search_conditions(ds: Dataset, words: object, lang: str = "en", limit: int = 10) -> list[Match]:
    """What ``words`` may mean: stories first, then organs, parts and zones, best match first.

    Total: any input (empty, nonsense, not even text) gives a list, perhaps empty.
    """
    if not isinstance(words, str):
        return []
    typed = tokens(words)
    meaningful = [t for t in typed if t not in STOPWORDS]
    typed = meaningful or typed
    if not typed:
        return []
    found = []
    for kind, ident, label, phrases in _candidates(ds, lang):
        scored = [(_phrase_score(typed, phrase), phrase) for phrase in phrases]
        score, phrase = max(scored, default=(0.0, ""))
        if score > 0:
            found.append(Match(kind, ident, label, round(score, 3), phrase))
    found.sort(key=lambda m: (m.kind != "story", -m.score, KINDS.index(m.kind), m.label))
    return found[:limit]
