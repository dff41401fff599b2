"""A quiz generated from the dataset, as pure functions (no Dash, no Plotly).

Every question comes from the data, so a teacher's own dataset gets its own quiz::

    questions = generate(ds, n=10, seed=7)          # the same seed gives the same quiz
    questions[0].choices[questions[0].answer]       # the right choice, as displayed
    questions[0].is_correct(2)                      # check a student's pick (an index)
    questions[0].link                               # '?organ=...&route=...&step=99': the view that shows it
    as_text(questions)                              # printable: questions, then the answer key
    [q.to_json() for q in questions]                # what `painmap quiz --json` prints

Kinds (:data:`KINDS`), each asked about one thing of the dataset:

- ``part-segments``: which cord segments does pain from this organ part enter (segmental routes)?
- ``zone-organs``: which of these organs can cause pain felt in this skin zone (any route:
  referred, later somatic, mechanical or systemic)?
- ``route-nerve``: which nerve, plexus or ganglion does this route's signal pass?
- ``segment-organs``: what converges at this segment: which organ's pain enters it?
- ``story-mechanism``: which mechanism (segmental, mechanical, systemic) explains this story?
  Only when the dataset has stories (``Dataset.stories``).

Every question has **exactly one correct choice** (``answer`` is its index into ``choices``).
Where the fact has several right answers (a zone reached by three organs), the question says
"which of these" and the wrong choices are things the dataset says are *not* so: an organ with no
route to the zone, a segment range with a segment the part never enters, a nerve none of the
part's routes passes. Wrong choices come from the same dataset. A dataset too small for a kind
gives fewer questions of it (or none), never an error.

The question sentences are English; the dataset's labels are in ``lang`` (falling back to English).
A finding from an animal says so: "In the rat, ...", as the captions do.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from painmap.i18n import N_, gettext, ngettext, translator
from painmap.model import SEGMENT_ORDER, Dataset, Route, Species, format_segment_range, parse_segment_range, text
from painmap.query import GROUP_LABELS, routes_for_segment, routes_for_zone, somatic_inputs_for_route
from painmap.viewstate import MAX_STEP, ViewState

#: Question kinds, in the order a quiz first tries them (each quiz shuffles it with its seed).
KINDS: tuple[str, ...] = ("part-segments", "zone-organs", "route-nerve", "segment-organs", "story-mechanism")
#: At most this many choices per question (one right, the rest wrong); at least :data:`MIN_CHOICES`.
MAX_CHOICES = 4
MIN_CHOICES = 2
#: Chain members a route-nerve question may ask about or offer as a wrong choice.
_NERVE_KINDS = ("nerve", "plexus", "ganglion")
#: The three mechanisms a story can have, as the choices show them (the look-ups' group labels).
STORY_MECHANISMS: tuple[str, ...] = ("segmental", "mechanical", "systemic")
LETTERS = "ABCDEFGHIJ"


@dataclass(frozen=True)
class Question:
    """One multiple-choice question with exactly one correct choice.

    ``answer`` is the 0-based index of the correct choice in ``choices``; ``link`` is the query
    string (with the quiz's base URL in front, if one was given) that opens the view showing
    the answer; ``explanation`` says why, in plain words, naming the sources of the fact.
    """

    kind: str
    question: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    link: str

    @property
    def answer_text(self) -> str:
        """The correct choice as displayed."""
        return self.choices[self.answer]

    @property
    def answer_letter(self) -> str:
        return LETTERS[self.answer]

    def is_correct(self, choice: int | str) -> bool:
        """Whether a pick is right: an index into ``choices``, a letter ('B', 'b') or the choice's text."""
        if isinstance(choice, int):
            return choice == self.answer
        if len(choice) == 1 and choice.upper() in LETTERS[: len(self.choices)]:
            return LETTERS.index(choice.upper()) == self.answer
        return choice == self.answer_text

    def to_json(self) -> dict[str, Any]:
        """The object `painmap quiz --json` prints: kind, question, choices, answer (an index), explanation, link."""
        return {
            "kind": self.kind,
            "question": self.question,
            "choices": list(self.choices),
            "answer": self.answer,
            "explanation": self.explanation,
            "link": self.link,
        }


# --------------------------------------------------------------------------- the quiz


def generate(
    ds: Dataset,
    n: int = 10,
    seed: int | str | None = None,
    lang: str = "en",
    kinds: Iterable[str] | None = None,
    base_url: str = "",
) -> list[Question]:
    """Up to ``n`` questions about ``ds``, the kinds spread evenly, no question twice.

    The same ``seed`` (and dataset, ``lang``, ``kinds``) gives the same quiz; ``seed=None`` a
    fresh one. Fewer than ``n`` come back when the dataset has no more to ask. ``kinds`` limits
    the quiz to some of :data:`KINDS`; ``base_url`` goes in front of every link
    ('https://example.org/painmap/' gives 'https://example.org/painmap/?zone=flank').
    """
    chosen = tuple(KINDS if kinds is None else dict.fromkeys(kinds))
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown question kind {', '.join(map(repr, unknown))} (known: {', '.join(KINDS)})")
    if n < 0:
        raise ValueError(f"a quiz has 0 or more questions, not {n}")
    rng = random.Random(seed)
    ask = _Asker(ds, rng, lang, base_url)
    pools: dict[str, list[Question]] = {}
    for kind in KINDS:  # always the same order, so the generator draws the same numbers for a seed
        pool = _BUILDERS[kind](ask) if kind in chosen else []
        rng.shuffle(pool)
        pools[kind] = pool
    order = list(chosen)
    rng.shuffle(order)
    quiz: list[Question] = []
    seen: set[str] = set()
    while len(quiz) < n and any(pools[k] for k in order):
        for kind in order:  # one of each kind in turn: the kinds spread evenly
            pool = pools[kind]
            while pool and len(quiz) < n:
                question = pool.pop(0)
                if question.question not in seen:
                    seen.add(question.question)
                    quiz.append(question)
                    break
    return quiz


def as_text(questions: Sequence[Question], title: str = "", lang: str = "en") -> str:
    """A printable quiz in ``lang``: numbered questions with lettered choices, then, after a cut
    line, the answer key (letter, answer, explanation, the view that shows it)."""
    lines = [title, ""] if title else []
    for number, q in enumerate(questions, 1):
        lines.append(f"{number}. {q.question}")
        lines += [f"   {LETTERS[i]}. {choice}" for i, choice in enumerate(q.choices)]
        lines.append("")
    key = gettext(lang, "Answer key")
    lines += ["-" * 72, key + (f" ({title})" if title else ""), ""]
    for number, q in enumerate(questions, 1):
        lines.append(f"{number}. {q.answer_letter}: {q.answer_text}")
        lines.append(f"   {q.explanation}")
        if q.link:
            lines.append("   " + gettext(lang, "See: {link}").format(link=q.link))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def quiz_title(count: int, seed: int | str, lang: str = "en") -> str:
    """'painmap quiz: 10 questions (seed 7)': the seed in the title, so that a printed quiz can be printed again."""
    return ngettext(lang, "painmap quiz: {count} question (seed {seed})", "painmap quiz: {count} questions (seed {seed})", count).format(
        count=count, seed=seed
    )


# --------------------------------------------------------------------------- shared words


def species_words(species: Species) -> str:
    """'' for a human finding; 'the rat' for a species whose common name is 'rat'; else its label
    (the captions' rule; not imported from the figures, so the quiz needs no plotly)."""
    if species.label == "Homo sapiens":
        return ""
    return f"the {species.common}" if species.common else species.label


def _in_species(routes: Sequence[Route], lang: str = "en") -> str:
    """'In the rat, ' when every route behind a fact is from one non-human species, else ''
    (in another language the species' Latin name, as the captions say it)."""
    words = {species_words(r.species) if lang == "en" else r.species.label for r in routes if species_words(r.species)}
    if len(words) == 1 and all(species_words(r.species) for r in routes):
        return gettext(lang, "In {species}, ").format(species=words.pop())
    return ""


def _sentence(prefix: str, rest: str) -> str:
    """'In the rat, ' + 'Pain ...' -> 'In the rat, pain ...'; '' + 'pain' -> 'Pain'."""
    at = next((i for i, letter in enumerate(rest) if letter.isalpha()), 0)  # past an opening '¿' or '«'
    head, letter, tail = rest[:at], rest[at : at + 1], rest[at + 1 :]
    if prefix:
        return prefix + head + letter.lower() + tail
    return head + letter.upper() + tail


_PERSON = re.compile(r"^(?P<surname>\S.*?) [A-Z]{1,3}$")


def _short_authors(authors: str) -> str:
    """'Al-Chaer ED, Lawand NB' -> 'Al-Chaer et al.'; 'Dawood MY' -> 'Dawood'; a body stays whole."""
    people = [a.strip() for a in authors.split(",") if a.strip()]
    if not people:
        return ""
    first = _PERSON.match(people[0])
    if not first:
        return authors.strip()
    return first["surname"] + (" et al." if len(people) > 1 else "")


def cite(ds: Dataset, source_ids: Iterable[str], limit: int = 2, lang: str = "en") -> str:
    """'Source: Dawood (2006), Primary dysmenorrhea: ...' for the first ``limit`` sources the dataset has."""
    known = [ds.source[s] for s in dict.fromkeys(source_ids) if s in ds.source]
    if not known:
        return ""
    named = []
    for source in known[:limit]:
        who = _short_authors(source.authors or "")
        when = f" ({source.year})" if source.year else ""
        named.append(f"{who}{when}, {source.title}" if who else f"{source.title}{when}")
    more = len(known) - limit
    tail = gettext(lang, "; and {count} more").format(count=more) if more > 0 else ""
    heading = gettext(lang, "Sources: {sources}") if len(known) > 1 else gettext(lang, "Source: {sources}")
    return heading.format(sources="; ".join(named) + tail) + "."


def _words(value: object, lang: str) -> str:
    """A dataset text in ``lang`` (a mapping per language), or a plain string as it is."""
    if isinstance(value, Mapping):
        return text(value, lang)
    return str(value) if value else ""


def _lower(label: str) -> str:
    """A label in the middle of a sentence: 'Dorsal root' -> 'dorsal root'; 'IBS' stays 'IBS'."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _picked(right: str, wrong: Iterable[str]) -> list[str]:
    """The wrong choices a question shows: the first MAX_CHOICES - 1 distinct ones that are not ``right``."""
    return [w for w in dict.fromkeys(wrong) if w != right][: MAX_CHOICES - 1]


def _listed(items: Sequence[str], lang: str = "en") -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + gettext(lang, " and ") + items[-1]


# --------------------------------------------------------------------------- the kinds


class _Asker:
    """What every kind's builder needs: the dataset, the seeded generator, the language, the links."""

    def __init__(self, ds: Dataset, rng: random.Random, lang: str, base_url: str):
        self.ds, self.rng, self.lang, self.base_url = ds, rng, lang, base_url
        self._ = translator(lang)
        self.segmental = [r for r in ds.routes if r.kind == "segmental" and r.segments]

    def label(self, table: Mapping[str, Any], entity_id: str) -> str:
        return text(table[entity_id].label, self.lang) if entity_id in table else entity_id

    def link(self, **ids: Any) -> str:
        lang = self.lang if self.lang != "en" and self.lang in self.ds.languages else "en"
        return self.base_url + ViewState(lang=lang, **ids).to_query()

    def chain(self, route: Route, joiner: str) -> str:
        """The route's chain in plain words, a fork's alternatives joined by 'or'."""
        forks = {n: group for group in route.alternatives for n in group}
        words: list[str] = []
        for n in route.chain:
            group = forks.get(n, (n,))
            if n == group[0]:
                words.append(gettext(self.lang, " or ").join(_lower(self.label(self.ds.nerve, m)) for m in group))
        return joiner.join(words)

    def route_link(self, route: Route) -> str:
        """The route's view at its last step (the app stops at the route's own last step)."""
        return self.link(organ=route.organ, part=route.part, route=route.id, step=MAX_STEP)

    def question(self, kind: str, question: str, right: str, wrong: Sequence[str], explanation: str, link: str) -> Question | None:
        """A question with ``right`` and up to MAX_CHOICES - 1 of ``wrong`` (already in order of
        preference), shuffled; None when there are not enough wrong choices."""
        distinct = _picked(right, wrong)
        if len(distinct) + 1 < MIN_CHOICES:
            return None
        choices = [right, *distinct]
        self.rng.shuffle(choices)
        return Question(kind, question, tuple(choices), choices.index(right), explanation, link)

    def shuffled(self, items: Iterable[str], first: Callable[[str], bool] = lambda _: False) -> list[str]:
        """``items`` in the generator's order, those for which ``first`` holds before the rest."""
        found = list(dict.fromkeys(items))
        self.rng.shuffle(found)
        return sorted(found, key=lambda item: not first(item))  # sorted() is stable


def _part_segments(ask: _Asker) -> list[Question]:
    """Which segments does pain from this part enter? One question per part with a segmental route."""
    ds = ask.ds
    questions = []
    known = sorted(ds.segment, key=SEGMENT_ORDER.__getitem__)
    ranges_in_data = [tuple(r.segments) for r in ds.routes if r.segments]
    for part_id in dict.fromkeys(r.part for r in ask.segmental):
        own = [r for r in ask.segmental if r.part == part_id]
        entered = {s for r in own for s in r.segments or ()}
        route = ask.rng.choice(own)
        right = tuple(route.segments or ())
        # Wrong: ranges with at least one segment this part's pain never enters (so no wrong
        # choice is a part of a right one): first the dataset's own ranges, then shifted windows.
        windows = [tuple(known[i : i + len(right)]) for i in range(len(known) - len(right) + 1)]
        candidates = [*ask.shuffled(map(format_segment_range, ranges_in_data)), *ask.shuffled(map(format_segment_range, windows))]
        wrong = [c for c in candidates if not set(parse_segment_range(c)) <= entered]
        part = _lower(ask.label(ds.part, part_id))
        others = [format_segment_range(tuple(r.segments or ())) for r in own if tuple(r.segments or ()) != right]
        _, lang = ask._, ask.lang
        words = _sentence(_in_species([route], lang), _("pain from the {part} enters the spinal cord at which of these segments?").format(part=part))
        chain = ask.chain(route, _(", then the "))
        zones = "; ".join(ask.label(ds.zone, z) for z in route.zones)
        explanation = _sentence(
            _in_species([route], lang),
            (
                _("pain from the {part} runs through the {chain}, into {segments}, so it can be felt in: {zones}.")
                if zones
                else _("pain from the {part} runs through the {chain}, into {segments}, so it can be felt in the skin of those segments.")
            ).format(part=part, chain=chain, segments=format_segment_range(right), zones=zones),
        )
        if others:
            explanation += " " + _("Another route of the {part} enters {segments}.").format(
                part=part, segments=_listed(list(dict.fromkeys(others)), lang)
            )
            if route.id in ds.disputed_routes:
                explanation += " " + _("Sources disagree on which it takes.")
        explanation = _join(explanation, cite(ds, route.sources, lang=lang))
        q = ask.question("part-segments", words, format_segment_range(right), wrong, explanation, ask.route_link(route))
        if q:
            questions.append(q)
    return questions


#: How each of the look-ups' groups gets pain to a zone, in plain words.
#: A route's kind (the story's mechanism) in a sentence.
KIND_WORDS = {"segmental": N_("segmental"), "mechanical": N_("mechanical"), "systemic": N_("systemic")}
_HOW = {
    "segmental": N_("its pain is referred there through the spinal cord{levels}"),
    "somatic_phase": N_("later, its pain is felt there over the organ itself{levels}: somatic, not referred"),
    "mechanical": N_("its pain changes posture and strains the muscles there{levels}: mechanical"),
    "systemic": N_("it can make the whole body ache: systemic"),
}


def _zone_organs(ask: _Asker) -> list[Question]:
    """Which of these organs can cause pain in this zone? One question per zone anything reaches."""
    ds = ask.ds
    questions = []
    for zone in ds.zones:
        routes = routes_for_zone(ds, zone.id)
        if not routes:
            continue
        reaching = list(dict.fromkeys(r.organ for r in routes))
        organ_id = ask.rng.choice(reaching)
        own = [r for r in routes if r.organ == organ_id]
        human = [r for r in own if not species_words(r.species)] or own
        route = ask.rng.choice(human)
        wrong_ids = ask.shuffled(
            (o.id for o in ds.organs if o.id not in reaching),
            first=lambda o: ds.organ[o].sex in (None, zone.sex),  # plausible: the same anatomy first
        )
        wrong = [ask.label(ds.organ, o) for o in wrong_ids]
        zone_label, organ = ask.label(ds.zone, zone.id), ask.label(ds.organ, organ_id)
        _, lang = ask._, ask.lang
        words = _sentence(_in_species(own, lang), _("which of these organs can cause pain felt here: {zone}?").format(zone=zone_label))
        how: str
        if zone.id in route.zones:
            how, segments, sources = route.kind, route.segments, route.sources
        else:  # only its later, somatic stage reaches the zone
            phase = route.somatic_phase
            assert phase is not None  # routes_for_zone found it there
            how, segments, sources = "somatic_phase", phase.segments, phase.sources
        levels = " " + _("(segments {segments})").format(segments=format_segment_range(tuple(segments))) if segments else ""
        explanation = _sentence(
            _in_species([route], lang), _("the {organ} can: {how}.").format(organ=_lower(organ), how=_(_HOW[how]).format(levels=levels))
        )
        shown_wrong = _picked(organ, wrong)
        if shown_wrong:
            explanation += " " + _("The others ({others}) have no route there in this dataset.").format(others="; ".join(shown_wrong))
        explanation = _join(explanation, cite(ds, sources, lang=lang))
        q = ask.question("zone-organs", words, organ, wrong, explanation, ask.link(zone=zone.id))
        if q:
            questions.append(q)
    return questions


def _route_nerve(ask: _Asker) -> list[Question]:
    """Which of these does the route's signal pass? One question per segmental route with a
    distinctive nerve, plexus or ganglion (the one fewest routes share; never one of a fork)."""
    ds = ask.ds
    questions = []
    used = {n: sum(n in r.chain for r in ask.segmental) for n in ds.nerve}
    for route in ask.segmental:
        forked = {n for group in route.alternatives for n in group}
        candidates = [
            n for n in route.chain if n in ds.nerve and ds.nerve[n].kind in _NERVE_KINDS and n not in forked
        ]
        if not candidates:
            continue
        fewest = min(used[n] for n in candidates)
        nerve_id = ask.rng.choice([n for n in candidates if used[n] == fewest])
        # Wrong: a nerve, plexus or ganglion no route of this part passes (nor its somatic stage).
        same_part = [r for r in ds.routes if r.part == route.part]
        passed = {n for r in same_part for n in r.chain}
        passed |= {r.somatic_phase.nerve for r in same_part if r.somatic_phase is not None}
        wrong_ids = ask.shuffled(
            (n.id for n in ds.nerves if n.kind in _NERVE_KINDS and n.id not in passed),
            first=lambda n: ds.nerve[n].kind == ds.nerve[nerve_id].kind,
        )
        right = ask.label(ds.nerve, nerve_id)
        wrong = [ask.label(ds.nerve, n) for n in wrong_ids if ask.label(ds.nerve, n) != right]
        part = _lower(ask.label(ds.part, route.part))
        levels = format_segment_range(tuple(route.segments or ()))
        _, lang = ask._, ask.lang
        words = _sentence(
            _in_species([route], lang),
            _("pain from the {part} travels to the spinal cord at {segments}. Which of these does it pass on the way?").format(
                part=part, segments=levels
            ),
        )
        explanation = _sentence(
            _in_species([route], lang),
            _("the signal runs through the {chain}, into {segments}.").format(chain=ask.chain(route, _(", then the ")), segments=levels),
        )
        explanation = _join(explanation, cite(ds, route.sources, lang=lang))
        q = ask.question("route-nerve", words, right, wrong, explanation, ask.route_link(route))
        if q:
            questions.append(q)
    return questions


def _segment_organs(ask: _Asker) -> list[Question]:
    """What converges at this segment? One question per segment a segmental route enters:
    which of these organs sends its pain there (to meet the body wall's input)?"""
    ds = ask.ds
    questions = []
    for segment in ds.segment:
        entering = [r for r in ask.segmental if segment in (r.segments or ())]
        if not entering:
            continue
        route = ask.rng.choice([r for r in entering if not species_words(r.species)] or entering)
        touching = {r.organ for r in routes_for_segment(ds, segment)}  # every kind, somatic stages too
        wrong_ids = ask.shuffled(o.id for o in ds.organs if o.id not in touching)
        wrong = [ask.label(ds.organ, o) for o in wrong_ids]
        organ, part = ask.label(ds.organ, route.organ), _lower(ask.label(ds.part, route.part))
        meets = [s for s in somatic_inputs_for_route(ds, route) if segment in s.segments]
        targets = list(dict.fromkeys(_lower(ask.label(ds.zone if s.target in ds.zone else ds.deep_structure, s.target)) for s in meets))
        _, lang = ask._, ask.lang
        body_wall = "; ".join(targets[:3]) + (_("; and more") if len(targets) > 3 else "")
        if body_wall:
            words = _(
                "At spinal segment {segment}, pain signals from an organ converge on the same neurons "
                "as signals from the body wall ({body_wall}). Which of these organs sends its pain into {segment}?"
            ).format(segment=segment, body_wall=body_wall)
        else:
            words = _("Which of these organs sends its pain signals into spinal segment {segment}?").format(segment=segment)
        words = _sentence(_in_species([route], lang), words)
        levels = format_segment_range(tuple(route.segments or ()))
        explanation = _sentence(
            _in_species([route], lang),
            _("pain from the {part} ({organ}) enters {segments}, {segment} among them").format(
                part=part, organ=_lower(organ), segments=levels, segment=segment
            ),
        )
        if body_wall:
            explanation += _(
                ", where it meets the input from the {body_wall} on the same dorsal-horn neurons: the brain can blame the body wall."
            ).format(body_wall=body_wall)
        else:
            explanation += "."
        shown_wrong = _picked(organ, wrong)
        if shown_wrong:
            explanation += " " + _("The others ({others}) have no route to {segment} in this dataset.").format(
                others="; ".join(shown_wrong), segment=segment
            )
        explanation = _join(explanation, cite(ds, [*route.sources, *(s for i in meets for s in i.sources)], lang=lang))
        q = ask.question("segment-organs", words, organ, wrong, explanation, ask.link(segment=segment))
        if q:
            questions.append(q)
    return questions


def _story_mechanism(ask: _Asker) -> list[Question]:
    """Which mechanism explains this story? One question per story of the dataset (none without stories).

    Reads only ``id``, ``title`` (or ``condition``), ``mechanism``, ``routes`` and ``sources`` of
    each story (:class:`painmap.model.Story`), so it works with any object that has them."""
    ds = ask.ds
    questions = []
    for story in getattr(ds, "stories", ()) or ():
        mechanism = getattr(story, "mechanism", "")
        if mechanism not in STORY_MECHANISMS:
            continue
        title = _words(getattr(story, "title", None), ask.lang) or _words(getattr(story, "condition", None), ask.lang)
        if not title:
            continue
        condition = _words(getattr(story, "condition", None), ask.lang)
        routes = [ds.route[r] for r in getattr(story, "routes", ()) or () if r in ds.route]
        _, lang = ask._, ask.lang
        words = _sentence(_in_species(routes, lang), _('the story "{title}": which mechanism explains the pain it tells of?').format(title=title))
        choices = {m: _(GROUP_LABELS[m]) for m in STORY_MECHANISMS}
        told = [f"{text(r.label, lang) or r.id} ({_(KIND_WORDS.get(r.kind, r.kind))})" for r in routes]
        about = f" ({condition})" if condition and condition != title else ""
        explanation = _('"{title}"{about} is {mechanism}: {how}.').format(
            title=title, about=about, mechanism=_(KIND_WORDS.get(mechanism, mechanism)), how=_(GROUP_LABELS[mechanism]).split(" (")[0].lower()
        )
        if told:
            explanation += " " + (_("Its routes: {routes}.") if len(told) > 1 else _("Its route: {routes}.")).format(routes="; ".join(told))
        own_sources = tuple(getattr(story, "sources", ()) or ())
        explanation = _join(explanation, cite(ds, [*own_sources, *(s for r in routes for s in r.sources)], lang=lang))
        q = ask.question(
            "story-mechanism",
            words,
            choices[mechanism],
            [choices[m] for m in STORY_MECHANISMS if m != mechanism],
            explanation,
            _story_link(ask, getattr(story, "id", ""), routes),
        )
        if q:
            questions.append(q)
    return questions


def _story_link(ask: _Asker, story_id: str, routes: Sequence[Route]) -> str:
    """``?story=ID`` when the view state knows stories, else the story's first route's view."""
    if story_id and "story" in {f.name for f in fields(ViewState)}:
        return ask.link(story=story_id)
    return ask.route_link(routes[0]) if routes else ""


def _join(explanation: str, sources: str) -> str:
    return f"{explanation} {sources}" if sources else explanation


_BUILDERS: dict[str, Callable[[_Asker], list[Question]]] = {
    "part-segments": _part_segments,
    "zone-organs": _zone_organs,
    "route-nerve": _route_nerve,
    "segment-organs": _segment_organs,
    "story-mechanism": _story_mechanism,
}
