""""Where does it hurt?": a body map for patient mode, front and back, left and right labelled.

A plain figure of its own (not the animated one): the body's outline and every skin zone the
dataset outlines, each a click target named ``zone/<id>/<view>`` (see ``names.zone_trace``), so a
click opens that zone's look-up. Zones with no outline, and whole-body zones (aches all over,
which would cover the body and swallow every click), are offered beside the map instead
(:func:`zones_off_map`). A pure function of the dataset: the same figure for every request.
"""

from __future__ import annotations

from painmap import query
from painmap.figures import names, style
from painmap.figures.body import VIEWS, body_x_range, silhouettes
from painmap.figures.geometry import area
from painmap.i18n import translator
from painmap.model import Dataset, Zone

#: The map's height in CSS pixels (two bodies side by side; it takes its box's width) and its text size.
HEIGHT = 420
TEXT_PX = 16
ZONE_COLOUR = "rgba(230, 126, 34, 0.28)"
ZONE_CHOSEN = "rgba(214, 84, 0, 0.75)"
ZONE_LINE = "#b85c00"


def _outlines(ds: Dataset, zone: Zone, view: str) -> list[list[tuple[float, float]]]:
    return [list(o.points) for o in ds.outlines.get(zone.id, ()) if o.view == view and o.closed]


def mapped_zones(ds: Dataset) -> list[Zone]:
    """Zones drawn on the map: outlined in a body view, and not the whole body."""
    whole = query.whole_body_zones(ds)
    return [z for z in ds.zones if z.id not in whole and any(_outlines(ds, z, v) for v in VIEWS)]


def zones_off_map(ds: Dataset) -> list[Zone]:
    """Zones a patient can choose that the map cannot show (whole body, or no outline)."""
    drawn = {z.id for z in mapped_zones(ds)}
    return [z for z in ds.zones if z.id not in drawn]


def body_map(ds: Dataset, lang: str = "en", chosen: str = "", plain: dict[str, str] | None = None) -> dict:
    """The map as a plotly figure dict: front on the left, back on the right; ``chosen`` (a
    zone id) filled strongly; ``plain`` names each zone for its hover (default: its label)."""
    _ = translator(lang)
    x0, x1 = body_x_range(ds)
    data: list[dict] = []
    layout: dict = {
        "height": HEIGHT,
        "margin": {"l": 4, "r": 4, "t": 56, "b": 8},
        "showlegend": False,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": style.FONT, "size": TEXT_PX, "color": "#1f2933"},
        "hoverlabel": {"font": {"size": TEXT_PX}},
        "dragmode": False,
        "annotations": [],
        "meta": {"bodymap": True},
    }
    titles = {"front": _("Front (facing you)"), "back": _("Back")}
    # The patient's right is on the viewer's left from the front, and on the viewer's right from behind.
    sides = {"front": (_("Right"), _("Left")), "back": (_("Left"), _("Right"))}
    for k, view in enumerate(VIEWS):
        axis = "" if k == 0 else str(k + 1)
        xref, yref = f"x{axis}", f"y{axis}"
        layout[f"xaxis{axis}"] = {
            "domain": [k / 2 + 0.01, (k + 1) / 2 - 0.01], "range": [x0 - 6, x1 + 6], "visible": False, "fixedrange": True,
        }
        layout[f"yaxis{axis}"] = {
            "domain": [0, 1], "range": [0, 100], "visible": False, "fixedrange": True,
            "scaleanchor": xref, "scaleratio": 1,
        }
        for body in silhouettes(ds, view):
            data.append(_polygon(body, xref, yref, "#f3ede6", "#8a7f76", hover=False, name=f"body/{view}"))
        zones = sorted(
            ((z, poly) for z in mapped_zones(ds) for poly in _outlines(ds, z, view)), key=lambda zp: -area(zp[1])
        )
        for zone, poly in zones:
            label = (plain or {}).get(zone.id) or zone.label.get(lang) or zone.label["en"]
            fill = ZONE_CHOSEN if zone.id == chosen else ZONE_COLOUR
            trace = _polygon(poly, xref, yref, fill, ZONE_LINE, hover=True, name=names.zone_trace(zone.id, view))
            trace["hovertemplate"] = f"{_escape(label)}<extra></extra>"
            trace["customdata"] = [f"zone:{zone.id}"] * len(trace["x"])
            data.append(trace)
        title_x = (k + 0.5) / 2
        layout["annotations"].append(
            {"text": f"<b>{titles[view]}</b>", "xref": "paper", "yref": "paper", "x": title_x, "y": 1.0,
             "xanchor": "center", "yanchor": "bottom", "yshift": 26, "showarrow": False, "font": {"size": TEXT_PX + 2}}
        )
        for side, (x, anchor) in zip(sides[view], ((k / 2 + 0.02, "left"), ((k + 1) / 2 - 0.02, "right"))):
            layout["annotations"].append(
                {"text": side, "xref": "paper", "yref": "paper", "x": x, "y": 1.0, "xanchor": anchor,
                 "yanchor": "bottom", "showarrow": False, "font": {"size": TEXT_PX, "color": "#3d4852"}}
            )
    return {"data": data, "layout": layout}


def _polygon(points, xref: str, yref: str, fill: str, line: str, hover: bool, name: str) -> dict:
    xs = [round(p[0], 2) for p in points] + [round(points[0][0], 2)]
    ys = [round(p[1], 2) for p in points] + [round(points[0][1], 2)]
    return {
        "type": "scatter", "mode": "lines", "x": xs, "y": ys, "xaxis": xref, "yaxis": yref, "name": name,
        "fill": "toself", "fillcolor": fill, "line": {"color": line, "width": 1.2},
        "hoverinfo": "text" if hover else "skip", "hoveron": "fills" if hover else "points",  # a vertex near the pointer must not win over the zone under it
    }


def _escape(words: str) -> str:
    """Dataset text shown in a hover: never markup (a label may hold '<')."""
    return words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
