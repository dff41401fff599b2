"""What the user is looking at, as one immutable value that round-trips through a URL.

Figures are built from ``(Dataset, ViewState)``; the app keeps a ViewState in the URL's
query string so that a link or an iframe embed reopens exactly the same view.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from painmap.anatomy_sex import SEXES, shown_for_sex
from painmap.model import Dataset, parse_segment

#: Layers a user can switch on and off.
LAYERS: tuple[str, ...] = ("sympathetic", "parasympathetic", "somatic", "labels", "dermatomes")
DEFAULT_LAYERS: frozenset[str] = frozenset(LAYERS)
#: Old URL names of anatomy views that links still carry: old name -> name in ANATOMY_VIEWS.
ANATOMY_ALIASES: dict[str, str] = {"side": "lateral"}


class _AnatomyViews(Mapping[str, str]):
    """URL name -> outline view. Lists and iterates the current names only; an old name
    (:data:`ANATOMY_ALIASES`) still looks up its view, so old links and callers keep working."""

    def __init__(self, views: dict[str, str]) -> None:
        self._views = dict(views)

    def __getitem__(self, name: str) -> str:
        return self._views[ANATOMY_ALIASES.get(name, name) if isinstance(name, str) else name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._views)

    def __len__(self) -> int:
        return len(self._views)

    def __repr__(self) -> str:
        return repr(self._views)


#: The anatomy panel's views, the one registry of them: URL name -> the outline view drawn.
ANATOMY_VIEWS: Mapping[str, str] = _AnatomyViews({"front": "abdomen", "lateral": "side"})
DEFAULT_ANATOMY = "front"
SPEEDS: tuple[float, ...] = (0.5, 1.0, 2.0)
#: The sides a paired organ's view can show (the patient's left or right); '' is both.
SIDES: tuple[str, ...] = ("left", "right")
#: How the page is used besides exploring (''): explaining to a patient, or a student's quiz.
MODES: tuple[str, ...] = ("patient", "quiz")
#: The highest quiz seed a URL may carry (a seed is any number a teacher writes on the board).
MAX_SEED = 999_999
#: The highest step a URL may ask for (no route has nearly as many).
MAX_STEP = 99
#: Ids and codes longer than this in a URL are not ours: they are dropped.
MAX_ID_LENGTH = 80
_DIGITS = re.compile(r"[0-9]{1,6}")  # ASCII digits only: int() refuses some characters that are digits to Unicode, like "²"


@dataclass(frozen=True)
class ViewState:
    """Everything that decides what the figure shows. Empty strings mean 'nothing chosen'."""

    organ: str = ""
    part: str = ""
    route: str = ""
    zone: str = ""
    segment: str = ""
    compare: str = ""  # a second organ: its shared segments are highlighted
    layers: frozenset[str] = field(default_factory=lambda: DEFAULT_LAYERS)
    step: int = 0  # animation step shown when paused
    speed: float = 1.0
    anatomy: str = DEFAULT_ANATOMY
    lang: str = "en"
    sex: str = ""  # the anatomy shown: '' both, 'female' or 'male' (see anatomy_sex)
    side: str = ""  # a paired organ's side ('left' or 'right', the patient's); '' both
    story: str = ""  # a story told over the animation (?story=ID): it decides its organ and route
    mode: str = ""  # '' exploring, 'patient' (large plain words) or 'quiz' (see MODES)
    terms: bool = False  # patient mode: also show the technical terms (?terms=1)
    seed: int = 0  # quiz mode: which quiz (the same seed gives the same questions)

    def with_(self, **changes: Any) -> ViewState:
        """A copy with ``changes`` (a frozen dataclass cannot be edited in place)."""
        return replace(self, **changes)

    def key(self) -> tuple:
        """A hashable key for caches of figures built from this state."""
        return tuple(sorted(self.layers)), *(v for k, v in asdict(self).items() if k != "layers")

    # ------------------------------------------------------------------ URL

    def to_query(self) -> str:
        """'?organ=bladder&route=...' with only what differs from the default."""
        default = ViewState()
        params: dict[str, str] = {}
        for name, value in asdict(self).items():
            if value == getattr(default, name):
                continue
            if name == "layers":
                params[name] = ",".join(layer for layer in LAYERS if layer in value) or "none"
            elif isinstance(value, bool):
                params[name] = "1" if value else "0"
            else:
                params[name] = str(value)
        return "?" + urlencode(params) if params else ""

    @classmethod
    def from_query(cls, search: object) -> ViewState:
        """Parse a query string leniently: unknown keys and bad values fall back to defaults.

        Total: any input (not even a string, unicode digits, huge numbers) gives a state.
        Whether the view is embedded is the page's path (/embed), not part of the state:
        an ``embed`` key here is ignored (the server redirects ``?embed=1`` to /embed).
        """
        query = search.lstrip("?") if isinstance(search, str) else ""
        raw = {k: v[-1] for k, v in parse_qs(query).items()}
        state = cls()
        changes: dict[str, object] = {}
        for name in ("organ", "part", "route", "zone", "segment", "compare", "lang", "story"):
            if raw.get(name) and len(raw[name]) <= MAX_ID_LENGTH:
                changes[name] = raw[name]
        if "layers" in raw:
            chosen = raw["layers"].split(",")
            changes["layers"] = frozenset(layer for layer in LAYERS if layer in chosen)
        if _DIGITS.fullmatch(raw.get("step", "")):
            changes["step"] = min(int(raw["step"]), MAX_STEP)
        try:
            speed = float(raw.get("speed", state.speed))
        except ValueError:
            speed = state.speed
        if math.isfinite(speed):  # not NaN, not Infinity
            changes["speed"] = min(SPEEDS, key=lambda s: abs(s - speed))
        anatomy = anatomy_view(raw.get("anatomy"))
        if anatomy:
            changes["anatomy"] = anatomy
        if raw.get("sex") in SEXES:
            changes["sex"] = raw["sex"]
        if raw.get("side") in SIDES:
            changes["side"] = raw["side"]
        if raw.get("mode") in MODES:
            changes["mode"] = raw["mode"]
        changes["terms"] = raw.get("terms") in ("1", "true", "yes")
        if _DIGITS.fullmatch(raw.get("seed", "")):
            changes["seed"] = min(int(raw["seed"]), MAX_SEED)
        return state.with_(**changes)

    # ------------------------------------------------------------------ meaning

    def canonical(self, ds: Dataset) -> ViewState:
        """The same view in this dataset's terms: the one rule for what the ids mean.

        Ids the dataset does not know are dropped (a link from another dataset, a typo in a
        URL); a part or a route decides its organ (and a route its part); a part id given as
        the organ is read as that part; a segment is written as the cord writes it ('l1' ->
        'L1'); a comparison with the organ itself is dropped; an unknown language is English;
        an organ, part, route, zone or comparison of the other anatomy than ``sex`` is dropped
        (``?sex=male&organ=uterus`` opens the male landing page), and an unknown sex is both;
        a side is kept only for a paired organ (the kidneys), else both sides are shown;
        ``terms`` means something in patient mode only, and ``seed`` in quiz mode only.
        A story the dataset does not know (or of the other anatomy) is dropped; a known one decides
        its organ, and its route when none of its own routes is chosen (its first).
        """
        changes: dict[str, object] = {}
        sex = self.sex if self.sex in SEXES else ""
        shown = shown_for_sex(ds, sex)  # ids of the other anatomy mean nothing in this view
        organ, part, route = (i if shown(i) else "" for i in (self.organ, self.part, self.route))
        story = ds.story.get(self.story) if isinstance(self.story, str) else None
        told = [r for r in story.routes if r in ds.route and shown(r)] if story is not None else []
        if story is None or not told or not shown(story.organ):
            story = None
        else:
            organ, part = story.organ, ""
            route = route if route in told else told[0]
        changes["story"] = story.id if story is not None else ""
        if organ and organ not in ds.organ and organ in ds.part and not part:
            organ, part = "", organ  # a part id given as the organ
        part = part if part in ds.part else ""
        organ = organ if organ in ds.organ else ""
        if part:
            organ = ds.organ_of_part[part].id
        if route in ds.route:
            organ, part = ds.route[route].organ, ds.route[route].part
        else:
            route = ""
        changes.update(organ=organ, part=part, route=route)
        changes["zone"] = self.zone if self.zone in ds.zone and shown(self.zone) else ""
        changes["segment"] = _canonical_segment(ds, self.segment)
        compare = self.compare if self.compare in ds.organ and shown(self.compare) else ""
        changes["compare"] = "" if compare == organ else compare
        changes["lang"] = self.lang if self.lang in ds.languages else "en"
        changes["anatomy"] = anatomy_view(self.anatomy) or DEFAULT_ANATOMY
        changes["step"] = min(max(self.step, 0), MAX_STEP)
        changes["speed"] = self.speed if self.speed in SPEEDS else 1.0
        changes["layers"] = frozenset(layer for layer in self.layers if layer in LAYERS)
        changes["sex"] = sex
        paired = organ in ds.organ and ds.organ[organ].paired
        changes["side"] = self.side if self.side in SIDES and paired else ""
        changes["mode"] = self.mode if self.mode in MODES else ""
        changes["terms"] = self.terms is True and changes["mode"] == "patient"
        changes["seed"] = min(max(self.seed, 0), MAX_SEED) if changes["mode"] == "quiz" and isinstance(self.seed, int) else 0
        new = self.with_(**changes)
        return self if new == self else new


def anatomy_view(name: object) -> str:
    """The anatomy view a URL or a control names ('side' is the old name of 'lateral'), else ''."""
    if not isinstance(name, str):
        return ""
    name = ANATOMY_ALIASES.get(name, name)
    return name if name in list(ANATOMY_VIEWS) else ""


def _canonical_segment(ds: Dataset, name: str) -> str:
    """'L1' for 'L1' or 'l1' when the dataset has L1, else ''."""
    if not name:
        return ""
    try:
        segment = parse_segment(name)
    except ValueError:
        return ""
    return segment if segment in ds.segment else ""
