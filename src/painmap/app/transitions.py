"""How a user's action changes the view: pure functions (ViewState -> ViewState).

The URL holds the view; a control or a click only says what changed. Choosing an organ,
a zone or a segment each starts a fresh question, so the other two are cleared.
"""

from __future__ import annotations

from painmap.app import ids
from painmap.model import Dataset
from painmap.viewstate import LAYERS, SPEEDS, ViewState

FRESH_QUESTION = {"organ": "", "part": "", "route": "", "zone": "", "segment": "", "step": 0}


def apply_control(ds: Dataset, state: ViewState, control: str, value: object) -> ViewState:
    """The state after ``control`` (an id from ``ids``) was set to ``value``."""
    value = value if value is not None else ""
    if control == ids.ORGAN:
        organ = value if value in ds.organ else ""
        return state.with_(**{**FRESH_QUESTION, "organ": organ, "compare": "" if state.compare == organ else state.compare})
    if control == ids.PART:
        part = value if value in ds.part else ""
        organ = ds.organ_of_part[part].id if part else state.organ
        return state.with_(organ=organ, part=part, route="", zone="", segment="", step=0)
    if control == ids.ROUTE:
        route = ds.route.get(str(value))
        if route is None:
            return state.with_(route="", step=0)
        return state.with_(organ=route.organ, part=route.part, route=route.id, zone="", segment="", step=0)
    if control == ids.ZONE:
        return state.with_(**{**FRESH_QUESTION, "zone": value if value in ds.zone else "", "compare": ""})
    if control == ids.SEGMENT:
        return state.with_(**{**FRESH_QUESTION, "segment": value if value in ds.segment else "", "compare": ""})
    if control == ids.COMPARE:
        return state.with_(compare=value if value in ds.organ and value != state.organ else "")
    if control == ids.LAYERS:
        chosen = set(value or ())
        return state.with_(layers=frozenset(layer for layer in LAYERS if layer in chosen))
    if control == ids.ANATOMY:
        return state.with_(anatomy=value if value in ("front", "side") else "front")
    if control == ids.LANG:
        return state.with_(lang=value if value in ds.languages else "en")
    if control == ids.SPEED:
        return state.with_(speed=value if value in SPEEDS else 1.0)
    return state


def apply_click(ds: Dataset, state: ViewState, customdata: object) -> ViewState:
    """The state after a click on a figure element tagged 'part:<id>', 'zone:<id>', ..."""
    if not isinstance(customdata, str) or ":" not in customdata:
        return state
    kind, _, ident = customdata.partition(":")
    if kind == "part" and ident in ds.part:
        return apply_control(ds, state, ids.PART, ident)
    if kind == "organ" and ident in ds.organ:
        return apply_control(ds, state, ids.ORGAN, ident)
    if kind == "zone" and ident in ds.zone:
        return apply_control(ds, state, ids.ZONE, ident)
    if kind == "segment" and ident in ds.segment:
        return apply_control(ds, state, ids.SEGMENT, ident)
    if kind == "route" and ident in ds.route:
        return apply_control(ds, state, ids.ROUTE, ident)
    return state


def clean(ds: Dataset, state: ViewState) -> ViewState:
    """Drop ids this dataset does not know (a link from another dataset, a typo in a URL)."""
    changes: dict[str, object] = {}
    for name, table in (("organ", ds.organ), ("part", ds.part), ("route", ds.route), ("zone", ds.zone),
                        ("segment", ds.segment), ("compare", ds.organ)):
        if getattr(state, name) and getattr(state, name) not in table:
            changes[name] = ""
    if state.part and state.part in ds.part:
        changes.setdefault("organ", ds.organ_of_part[state.part].id)
    if state.route and state.route in ds.route:
        route = ds.route[state.route]
        changes.update(organ=route.organ, part=route.part)
    if state.lang not in ds.languages:
        changes["lang"] = "en"
    return state.with_(**changes) if changes else state
