"""Trace names: the app and the tests look traces up by these, never by position.

Every trace name is built here. Per-entity traces are named ``f"{PREFIX}{id}"`` (anatomy
and cord panels, one panel each) or ``f"{PREFIX}{id}/{view}"`` (entities drawn in both body
views): a click target carries its id once, in its name, and :func:`entity_of_trace` turns
the clicked trace's name into ``"part:<id>"``, ``"organ:<id>"``, ``"zone:<id>"``,
``"segment:<id>"``, ``"nerve:<id>"`` or ``"deep:<id>"``. Only traces that hold several
entities (handles, placeholders) carry a ``customdata`` string per point instead.

Scene traces (static) and layer traces (drawn by the selection) have different names, so a
trace's name also tells which of the two builders drew it.
"""

from __future__ import annotations

# ----------------------------------------------------------------------- moving (animated)
CAPTION = "caption"
#: Visceral signal in the anatomy panel (a short train of markers along the nerves).
SIGNAL_VISCERAL = "signal-visceral"
#: The stretch of nerve the visceral signal has travelled so far.
SIGNAL_TRAIL = "signal-trail"
#: The signal at the dorsal root ganglia and up the cord, in the cord panel.
SIGNAL_CORD = "signal-cord"
#: The visceral signal in the dorsal horn, then up the ascending tract.
SIGNAL_HORN = "signal-horn"
#: The somatic signal in the dorsal horn.
SIGNAL_HORN_SOMATIC = "signal-horn-somatic"
#: The somatic signal in the body panel: from the skin (or muscle) to the spine.
SIGNAL_SOMATIC = "signal-somatic"
#: Cytokines spreading (systemic routes), one trace per panel: f"{SIGNAL_CYTOKINES}/{panel}".
SIGNAL_CYTOKINES = "signal-cytokines"
#: Halo on the convergent dorsal-horn neuron once both signals arrive.
NEURON_LIT = "neuron-lit"
#: The referred zone(s), lit at the last step (fill 'toself'): one per body view.
ZONE_LIT = "zone-lit"
ZONE_LIT_FRONT = f"{ZONE_LIT}/front"
ZONE_LIT_BACK = f"{ZONE_LIT}/back"
#: The zone(s) of a route's later somatic phase, felt directly (not referred), lit at its last
#: step in their own style: one per body view, f"{ZONE_SOMATIC}/{view}".
ZONE_SOMATIC = "zone-somatic"
#: The somatic nerve of the somatic phase, from its zone to the spine, one per body view.
PHASE_NERVE = "phase-nerve"
#: The somatic phase's signal along that nerve, one per body view.
SIGNAL_PHASE = "signal-phase"
#: Cord segments the somatic phase's nerve enters (lit from its step on).
SEGMENT_SOMATIC = "segment-somatic"
#: The postsynaptic dorsal column pathway in the dorsal horn (ipsilateral, to the gracile nucleus).
DORSAL_COLUMN = "dorsal-column"
#: The neuron around the central canal (lamina X) that starts the dorsal column pathway.
NEURON_LAMINA_X = "neuron-lamina-x"
#: The signal up the dorsal column.
SIGNAL_DORSAL_COLUMN = "signal-dorsal-column"
#: The central canal in the dorsal-horn panel (scene), drawn over lamina X.
CENTRAL_CANAL = "central-canal"
#: A note on the cord panel that its levels are another species' (annotation name).
SPECIES_NOTE = "species-note"
#: Strained deep structures of a mechanical route, one per panel: f"{STRAIN}/{panel}".
STRAIN = "strain"
#: The zigzag drawn over each strained structure, one per panel.
STRAIN_ZIGZAG = "strain-zigzag"
#: The loaded vertebrae in the cord panel.
STRAIN_SPINE = "strain-spine"
#: Diffuse shading over the whole body (systemic routes), one per body view.
SYSTEMIC_SHADE = "systemic-shade"

# ----------------------------------------------------------------------- layer highlights
#: Cord segments (and their ganglia) lit: the route's, the chosen one, a zone's reverse look-up.
SEGMENT_LIT = "segment-lit"
#: Segments two compared organs share (distinct style).
SEGMENT_SHARED = "segment-shared"
#: Organ parts highlighted (selected part, reverse look-ups from a zone or segment).
PART_HIGHLIGHT = "part-highlight"
#: The compared organ's parts.
COMPARE_HIGHLIGHT = "compare-highlight"
#: The chosen organs' parts drawn again, stronger, over the scene: f"{RAISED}/{part id}[/lines]",
#: and f"{RAISED}/handle" for the chosen part's handle.
RAISED = "raised"
#: Laminae the route's afferents end in (horn panel).
LAMINA_LIT = "lamina-lit"
#: Dashed outline of the zones the route refers to (and the chosen zone), one per body view.
ZONE_OUTLINE = "zone-outline"
#: Lit dermatome bands (the lit segments'), one per body view: f"{DERMATOME_LIT}/{view}/{glow|fill}".
DERMATOME_LIT = "dermatome-lit"
#: Convergent neuron(s) in the dorsal horn.
NEURON = "neuron"
#: Afferent terminals drawn into the dorsal horn (meta {"nerve": id}).
HORN_VISCERAL = "horn-afferent-visceral"
HORN_SOMATIC = "horn-afferent-somatic"

# ----------------------------------------------------------------------- per entity
ORGAN_PREFIX = "organ/"
PART_PREFIX = "part/"
NERVE_PREFIX = "nerve/"
SEGMENT_PREFIX = "segment/"
ZONE_PREFIX = "zone/"
DEEP_PREFIX = "deep/"
LAMINA_PREFIX = "lamina/"
#: Markers at part centres: one trace, per-point customdata "part:<id>".
PART_HANDLES = "part-handles"
#: Placeholder blobs for entities with no outline in a view (always visible), per panel.
FALLBACK = "fallback"
#: Dermatome bands (scene): f"{DERMATOME}/{view}/{tint}/{glow|fill}"; handles carry "segment:<id>".
DERMATOME = "dermatome"
DERMATOME_HANDLES = "dermatome-handles"
#: Text labels, one trace per panel and pattern of steps that shows them: f"{LABELS}/{panel}",
#: then f"{LABELS}/{panel}/1"...; their leader lines f"{LEADERS}/{panel}"... Removed with the labels layer.
LABELS = "labels"
LEADERS = "leaders"
#: Legend-only entries: legend(key) in their meta (their name is the legend's text).
LEGEND = "legend/"

#: The in-figure player (standalone exports): the steps slider and the two button rows.
STEPS_SLIDER = "steps"
PLAYBACK_MENU = "playback"
PLAY_BUTTON = "play"
PAUSE_BUTTON = "pause"
SPEED_MENU = "speed"

#: Annotations (by their name): a route's note, or the note that sources disagree.
ROUTE_NOTE = "route-note"
DISPUTE_NOTE = "sources-disagree"

#: An invisible point per panel that every frame lists, so that plotly.js keeps the panel drawn.
KEEPER = "keeper"

#: Panels, in drawing order.
PANELS: tuple[str, ...] = ("caption", "anatomy", "cord", "horn", "front", "back")

_CUSTOMDATA_KIND = {
    ORGAN_PREFIX: "organ",
    PART_PREFIX: "part",
    NERVE_PREFIX: "nerve",
    SEGMENT_PREFIX: "segment",
    ZONE_PREFIX: "zone",
    DEEP_PREFIX: "deep",
}


def organ_trace(organ_id: str) -> str:
    return f"{ORGAN_PREFIX}{organ_id}"


def part_trace(part_id: str, suffix: str = "") -> str:
    """'part/<id>', or 'part/<id>/<suffix>' for a second trace of the same part (its open lines)."""
    return f"{PART_PREFIX}{part_id}" + (f"/{suffix}" if suffix else "")


def nerve_trace(nerve_id: str, view: str = "") -> str:
    """'nerve/<id>' in the anatomy or horn panel, 'nerve/<id>/<view>' in a body view."""
    return f"{NERVE_PREFIX}{nerve_id}" + (f"/{view}" if view else "")


def segment_trace(segment: str) -> str:
    return f"{SEGMENT_PREFIX}{segment}"


def lamina_trace(lamina_id: str) -> str:
    return f"{LAMINA_PREFIX}{lamina_id}"


def zone_trace(zone_id: str, view: str) -> str:
    return f"{ZONE_PREFIX}{zone_id}/{view}"


def deep_trace(deep_id: str, panel: str) -> str:
    return f"{DEEP_PREFIX}{deep_id}/{panel}"


def raised(part_id: str, suffix: str = "") -> str:
    return f"{RAISED}/{part_id}" + (f"/{suffix}" if suffix else "")


def dermatome(view: str, tint: str, layer: str) -> str:
    """A scene band trace: dermatome('back', 'odd', 'fill') -> 'dermatome/back/odd/fill'."""
    return f"{DERMATOME}/{view}/{tint}/{layer}"


def dermatome_lit(view: str, layer: str) -> str:
    """A layer band trace: dermatome_lit('back', 'fill') -> 'dermatome-lit/back/fill'."""
    return f"{DERMATOME_LIT}/{view}/{layer}"


def legend(key: str) -> str:
    return f"{LEGEND}{key}"


def speed_button(speed: float) -> str:
    """'speed-0.5', 'speed-1', 'speed-2'."""
    return f"speed-{speed:g}"


def per_panel(name: str, panel: str) -> str:
    """Name of a trace that exists once per panel, e.g. per_panel(STRAIN, 'back')."""
    return f"{name}/{panel}"


def entity_of_trace(name: str | None) -> str | None:
    """'zone/flank/back' -> 'zone:flank'; None for traces that are not one entity."""
    for prefix, kind in _CUSTOMDATA_KIND.items():
        if name and name.startswith(prefix):
            return f"{kind}:{name[len(prefix) :].split('/')[0]}"
    return None
