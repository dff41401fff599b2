"""The text panels on the wire: compact data the page draws itself (assets/panels.js).

The panels beside the figure (summary, steps, sources, red flags, citation, downloads) are
plain HTML. Sent as Dash components, each element costs about 60 bytes of
``{"props": ..., "type": ..., "namespace": ...}`` around its words, and Dash's React renderer
spends about 100 ms redrawing them at each organ choice. Here they travel as nested lists,
``["li", {"class": "flag", "data-flag": "x"}, "words", ["strong", "more words"]]``, kept in
one ``dcc.Store`` per panel; the page builds the elements from them (``createElement`` and
text nodes: no HTML is ever parsed, so the dataset's words cannot inject markup).

A link to a web address opens in a new tab, without access to this page (the page adds
``target="_blank" rel="noopener"`` to each, so they are not sent).

The red flags are always all there, reordered for the organs on screen: they travel as
``{"items": {flag id: element}, "order": [flag ids]}``, so a choice sends the order alone. The
mechanisms (why a pain is felt where it is) travel the same way: all of the dataset's are held,
and a choice says which explain the route on screen.

``page.page`` still returns Dash components (tests read them as such); :func:`on_the_wire`
turns the panels into this form for the callback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from painmap.app import ids
from painmap.app.downloads import DOWNLOAD_LINKS

#: page() output name -> the element the page draws it into.
PANELS: dict[str, str] = {
    "summary": ids.SUMMARY,
    "mechanisms": ids.MECHANISMS,
    "dispute": ids.DISPUTE,
    "steps": ids.STEPS,
    "sources": ids.SOURCES,
    "red_flags": ids.RED_FLAGS,
    "cite": ids.CITE,
    "download_links": DOWNLOAD_LINKS,
}
#: The attribute that names each item of a panel sent as items and their order.
KEYED_BY = {"red_flags": "data-flag", "mechanisms": "data-mechanism"}

#: The HTML elements a panel may hold (assets/panels.js draws these and no others).
TAGS = frozenset(
    "a abbr b br code details div em h3 h4 h5 i li ol p section small span strong sub summary sup ul".split()
)
#: Attributes a panel element may carry besides ``data-*`` and ``aria-*`` (the same list as panels.js).
ATTRIBUTES = frozenset("class id href target rel download role title lang hidden open".split())


def store_id(container: str) -> str:
    """The ``dcc.Store`` that carries a panel's data to the page."""
    return f"{container}-data"


def compact(node: object) -> list:
    """A Dash html component tree (or a list of them, or text) as a list of compact nodes.

    Raises TypeError for anything else (a ``dcc`` component, a Python object): a panel is
    plain HTML, and a programming mistake should fail in the tests, not on the page."""
    if node is None or node is False:
        return []
    if isinstance(node, (list, tuple)):
        return [part for child in node for part in compact(child)]
    if isinstance(node, str):
        return [node] if node else []
    if isinstance(node, (int, float)) and not isinstance(node, bool):
        return [str(node)]
    to_json = getattr(node, "to_plotly_json", None)
    described = to_json() if callable(to_json) else None
    if not isinstance(described, dict) or described.get("namespace") != "dash_html_components":
        raise TypeError(f"a panel holds plain HTML, not {type(node).__name__}")
    tag = str(described["type"]).lower()
    if tag not in TAGS:
        raise TypeError(f"a panel holds no <{tag}>")
    props = dict(described.get("props", {}))
    children = props.pop("children", None)
    attributes: dict[str, str] = {}
    for key, value in props.items():
        name = "class" if key == "className" else key
        if value is None or value is False:
            continue
        if name not in ATTRIBUTES and not name.startswith(("data-", "aria-")):
            raise TypeError(f"a panel's <{tag}> has no {key!r} on the page")
        attributes[name] = "" if value is True else str(value)
    if tag == "a" and web_link(attributes):
        del attributes["target"], attributes["rel"]  # the page adds them to every web link
    return [[tag, *([attributes] if attributes else []), *compact(children)]]


def web_link(attributes: Mapping[str, str]) -> bool:
    """A link to a web address that opens in a new tab, as assets/panels.js opens every web
    link (``target="_blank" rel="noopener"``): those two need not travel."""
    href = attributes.get("href", "").strip().lower()
    return href.startswith(("http://", "https://")) and attributes.get("target") == "_blank" and attributes.get("rel") == "noopener"


def keyed(items: list, key: str) -> dict[str, Any] | list:
    """``{"items": {key value: node}, "order": [key values]}`` for a list whose every item
    carries ``key`` once (an item marked ``hidden`` is held, not shown: it is left out of the
    order, and travels without the mark); the plain compact list otherwise."""
    nodes = compact(items)
    found: dict[str, Any] = {}
    shown: list[str] = []
    for node in nodes:
        attributes = node[1] if isinstance(node, list) and len(node) > 1 and isinstance(node[1], dict) else {}
        name = attributes.get(key)
        if not isinstance(name, str) or name in found:
            return nodes
        if "hidden" in attributes:
            node = [node[0], {k: v for k, v in attributes.items() if k != "hidden"}, *node[2:]]
        else:
            shown.append(name)
        found[name] = node
    if not found:
        return nodes
    return {"items": {name: found[name] for name in sorted(found)}, "order": shown}  # the same items, the same JSON


def on_the_wire(out: Mapping[str, object]) -> dict[str, object]:
    """The page's outputs with each panel in its compact form (see the module's docstring)."""
    wired = dict(out)
    for name in PANELS:
        if name in wired:
            wired[name] = keyed(wired[name], KEYED_BY[name]) if name in KEYED_BY else compact(wired[name])  # type: ignore[arg-type]
    return wired
