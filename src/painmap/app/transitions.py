"""How a user's action changes the view: pure functions (ViewState -> ViewState).

The URL holds the view; a control or a click only says what changed. Choosing an organ,
a zone or a segment each starts a fresh question, so the other two are cleared. What the
ids then mean is decided in one place, :meth:`ViewState.canonical`.
"""

from __future__ import annotations

from painmap.app import ids
from painmap.model import Dataset
from painmap.viewstate import DEFAULT_ANATOMY, LAYERS, SEXES, SIDES, SPEEDS, ViewState, anatomy_view

FRESH_QUESTION = {"organ": "", "part": "", "route": "", "zone": "", "segment": "", "step": 0, "story": ""}
#: Figure tags a click can carry ('part:<id>', ...) -> the control that choice stands for.
CLICK_KINDS = {"organ": ids.ORGAN, "part": ids.PART, "route": ids.ROUTE, "zone": ids.ZONE, "segment": ids.SEGMENT}


def _known(value: object, table) -> str:
    """``value`` when it is an id of ``table``, else ''."""
    return value if isinstance(value, str) and value in table else ""


def apply_control(ds: Dataset, state: ViewState, control: object, value: object) -> ViewState:
    """The state after ``control`` (an id from ``ids``) was set to ``value``; any value is safe."""
    if control == ids.ORGAN:
        organ = _known(value, ds.organ)
        return state.with_(**{**FRESH_QUESTION, "organ": organ}).canonical(ds)
    if control == ids.PART:
        part = _known(value, ds.part)
        return state.with_(part=part, route="", zone="", segment="", step=0, story=_story_keeping(ds, state, part=part)).canonical(ds)
    if control == ids.ROUTE:
        route = _known(value, ds.route)
        return state.with_(route=route, zone="", segment="", step=0, story=_story_keeping(ds, state, route=route)).canonical(ds)
    if control == ids.ZONE:
        return state.with_(**{**FRESH_QUESTION, "zone": _known(value, ds.zone), "compare": ""})
    if control == ids.SEGMENT:
        return state.with_(**{**FRESH_QUESTION, "segment": _known(value, ds.segment), "compare": ""})
    if control == ids.COMPARE:
        return state.with_(compare=_known(value, ds.organ)).canonical(ds)
    if control == ids.LAYERS:
        chosen = [v for v in value if isinstance(v, str)] if isinstance(value, (list, tuple)) else []
        return state.with_(layers=frozenset(layer for layer in LAYERS if layer in chosen))
    if control == ids.SEX:  # the other anatomy's organ, part, route or zone is dropped
        return state.with_(sex=value if isinstance(value, str) and value in SEXES else "").canonical(ds)
    if control == ids.SIDE:
        return state.with_(side=value if isinstance(value, str) and value in SIDES else "").canonical(ds)
    if control == ids.ANATOMY:
        return state.with_(anatomy=anatomy_view(value) or DEFAULT_ANATOMY)
    if control == ids.LANG:
        return state.with_(lang=_known(value, ds.languages) or "en")
    if control == ids.SPEED:
        speed = value if isinstance(value, (int, float)) and not isinstance(value, bool) else 1.0
        return state.with_(speed=speed if speed in SPEEDS else 1.0)
    return state


def _story_keeping(ds: Dataset, state: ViewState, part: str = "", route: str = "") -> str:
    """The open story, if the chosen part or route is one of its own; else none (a choice
    outside the story leaves it, rather than being pulled back into it)."""
    story = ds.story.get(state.story) if state.story else None
    if story is None:
        return ""
    if route:
        return story.id if route in story.routes else ""
    if part:
        return story.id if any(ds.route[r].part == part for r in story.routes if r in ds.route) else ""
    return story.id


def apply_click(ds: Dataset, state: ViewState, tag: object) -> ViewState:
    """The state after a click on a figure element tagged 'part:<id>', 'zone:<id>', ..."""
    if not isinstance(tag, str) or ":" not in tag:
        return state
    kind, _, ident = tag.partition(":")
    tables = {"organ": ds.organ, "part": ds.part, "route": ds.route, "zone": ds.zone, "segment": ds.segment}
    if kind not in CLICK_KINDS or ident not in tables[kind]:
        return state  # a stale or foreign tag: the click does nothing
    return apply_control(ds, state, CLICK_KINDS[kind], ident)


def clean(ds: Dataset, state: ViewState) -> ViewState:
    """Drop ids this dataset does not know and fill in what they imply (see ViewState.canonical)."""
    return state.canonical(ds)
