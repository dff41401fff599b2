"""Trace names: the app and the tests look traces up by these, never by position.

Per-entity traces are named ``f"{PREFIX}{id}"`` (anatomy and cord panels, one panel each)
or ``f"{PREFIX}{id}/{view}"`` (entities drawn in both body views). Click targets carry
``customdata`` strings ``"part:<id>"``, ``"zone:<id>"``, ``"segment:<id>"``,
``"nerve:<id>"`` or ``"deep:<id>"``; a click on a filled area has no customdata in
plotly.js, so :func:`entity_of_trace` turns the clicked trace's name into the same string.
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
#: Labels of the lit zones, one per body view.
ZONE_LIT_LABELS = "zone-lit-labels"
#: Strained deep structures of a mechanical route, one per panel: f"{STRAIN}/{panel}".
STRAIN = "strain"
#: The zigzag drawn over each strained structure, one per panel.
STRAIN_ZIGZAG = "strain-zigzag"
#: Labels of the strained structures, one per panel.
STRAIN_LABELS = "strain-labels"
#: The loaded vertebrae in the cord panel.
STRAIN_SPINE = "strain-spine"
#: Diffuse shading over the whole body (systemic routes), one per body view.
SYSTEMIC_SHADE = "systemic-shade"

# ----------------------------------------------------------------------- static highlights
#: Cord segments (and their ganglia) lit: the route's, the chosen one, a zone's reverse look-up.
SEGMENT_LIT = "segment-lit"
#: Segments two compared organs share (distinct style).
SEGMENT_SHARED = "segment-shared"
#: Organ parts highlighted (selected part, reverse look-ups from a zone or segment).
PART_HIGHLIGHT = "part-highlight"
#: The compared organ's parts.
COMPARE_HIGHLIGHT = "compare-highlight"
#: Convergent neuron(s) in the dorsal horn.
NEURON = "neuron"
#: Afferent terminals drawn into the dorsal horn.
HORN_VISCERAL = "horn-afferent-visceral"
HORN_SOMATIC = "horn-afferent-somatic"
#: The signal's route marked out in the cord panel (dorsal roots of its segments).
CORD_ROOTS = "cord-roots"

# ----------------------------------------------------------------------- per entity
PART_PREFIX = "part/"
NERVE_PREFIX = "nerve/"
SEGMENT_PREFIX = "segment/"
ZONE_PREFIX = "zone/"
DEEP_PREFIX = "deep/"
LAMINA_PREFIX = "lamina/"
#: Markers at part centres: one trace, per-point customdata "part:<id>".
PART_HANDLES = "part-handles"
#: Placeholder blobs for entities with no outline in a view (always visible).
FALLBACK = "fallback"
#: Dorsal root ganglia of the drawn segments (one trace).
GANGLIA = "ganglia"
#: Dermatome bands: f"{DERMATOME}/{view}/{tint}/{layer}"; handles carry "segment:<id>".
DERMATOME = "dermatome"
DERMATOME_HANDLES = "dermatome-handles"
#: Text labels, one trace per panel: f"{LABELS}/{panel}". Removed with the labels layer.
LABELS = "labels"
#: Legend-only entries: f"{LEGEND}/{key}" (their display text is the legend label).
LEGEND = "legend/"

#: An invisible point per panel that every frame lists, so that plotly.js keeps the panel drawn.
KEEPER = "keeper"

#: Panels, in drawing order.
PANELS: tuple[str, ...] = ("caption", "anatomy", "cord", "horn", "front", "back")

_CUSTOMDATA_KIND = {
    PART_PREFIX: "part",
    NERVE_PREFIX: "nerve",
    SEGMENT_PREFIX: "segment",
    ZONE_PREFIX: "zone",
    DEEP_PREFIX: "deep",
}


def zone_trace(zone_id: str, view: str) -> str:
    return f"{ZONE_PREFIX}{zone_id}/{view}"


def deep_trace(deep_id: str, panel: str) -> str:
    return f"{DEEP_PREFIX}{deep_id}/{panel}"


def per_panel(name: str, panel: str) -> str:
    """Name of a trace that exists once per panel, e.g. per_panel(STRAIN, 'back')."""
    return f"{name}/{panel}"


def entity_of_trace(name: str | None) -> str | None:
    """'zone/flank/back' -> 'zone:flank'; None for traces that are not one entity."""
    for prefix, kind in _CUSTOMDATA_KIND.items():
        if name and name.startswith(prefix):
            return f"{kind}:{name[len(prefix) :].split('/')[0]}"
    return None
