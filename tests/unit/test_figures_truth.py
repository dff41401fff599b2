"""What the figure says is true to the model (issue 7): forks, the somatic phase, the dorsal
column, species, mechanical strain and the mechanism behind each step.

Everything here runs on a small standalone dataset written below (no bundled ids), so a
curator's change to the bundled data breaks none of it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from painmap.figures import animation_steps, figure_dict, names, resolve_selection
from painmap.figures.horn import MIDLINE_X
from painmap.loader import load
from painmap.model import Dataset, text
from painmap.viewstate import ViewState
from tests.unit.tiny import CORD_YAML

TRUTH_YAML = """
languages: [en]
""" + CORD_YAML.strip("\n") + """
fibre_styles:
  sensory: {label: {en: Sensory}, colour: "#2A62F6", dash: solid, symbol: circle}
  sympathetic: {label: {en: Sympathetic}, colour: "#EA3423", dash: dash, symbol: triangle-up}
  parasympathetic: {label: {en: Parasympathetic}, colour: "#3F8F4A", dash: dot, symbol: square}
  somatic: {label: {en: Somatic}, colour: "#98561D", dash: longdash, symbol: diamond}
  cns: {label: {en: Central}, colour: "#9B1FC1", dash: solid, symbol: star}
laminae:
  - {id: i, label: {en: Lamina I}, ontology: "UBERON:0002256", depth: 0.1}
  - {id: v, label: {en: Lamina V}, ontology: "UBERON:0002256", depth: 0.6}
  - {id: x, label: {en: Lamina X (around the central canal)}, ontology: "UBERON:0002256", depth: 0.95}
sources:
  - {id: book, title: A tiny anatomy book, authors: Author A, year: 2001, isbn: 978-0-00-000000-2, evidence: strong}
  - {id: rat-study, title: A study in rats, authors: Author R, year: 2003, doi: 10.1000/rat, evidence: moderate}
mechanisms:
  - {id: convergence-projection, label: {en: Convergence-projection}, text: {en: Organ and skin share a neuron.}, sources: [book]}
  - {id: pelvic-pain-line, label: {en: The pelvic pain line}, text: {en: "Above it, sympathetic; below, sacral."}, sources: [book]}
  - {id: parietal-peritoneal-pain, label: {en: Parietal pain}, text: {en: The lining has somatic nerves.}, sources: [book]}
  - {id: mechanical-strain, label: {en: Mechanical strain}, text: {en: Posture strains muscles.}, sources: [book]}
  - {id: systemic-cytokines, label: {en: Cytokines}, text: {en: Cytokines make muscles ache.}, sources: [book]}
organs:
  - id: pump
    label: {en: Pump}
    ontology: "UBERON:0000948"
    colour: teal
    parts:
      - {id: pump-top, label: {en: Pump top}, ontology: "UBERON:0000948"}
  - id: tube
    label: {en: Tube}
    ontology: "UBERON:0001153"
    colour: "#8a6d3b"
    parts:
      - {id: tube-end, label: {en: Tube end}, ontology: "UBERON:0001153"}
  - id: sac
    label: {en: Sac}
    ontology: "UBERON:0001255"
    colour: "#E3B23C"
    parts:
      - {id: sac-wall, label: {en: Sac wall}, ontology: "UBERON:0001255"}
nerves:
  - {id: hub-plexus, label: {en: Hub plexus}, ontology: "UBERON:0001021", kind: plexus, fibres: [sensory, sympathetic],
     precedes: [lesser-splanchnic-nerve, least-splanchnic-nerve]}
  - {id: lesser-splanchnic-nerve, label: {en: Lesser splanchnic nerve}, ontology: "UBERON:0001021", kind: nerve,
     fibres: [sensory, sympathetic], precedes: [dorsal-root-ganglion]}
  - {id: least-splanchnic-nerve, label: {en: Least splanchnic nerve}, ontology: "UBERON:0001021", kind: nerve,
     fibres: [sensory, sympathetic], precedes: [dorsal-root-ganglion]}
  - {id: pelvic-nerves, label: {en: Pelvic nerves}, ontology: "UBERON:0001021", kind: nerve, fibres: [sensory, parasympathetic],
     precedes: [dorsal-root-ganglion]}
  - {id: dorsal-root-ganglion, label: {en: Dorsal root ganglion}, ontology: "UBERON:0000044", kind: ganglion, fibres: [sensory],
     precedes: [dorsal-root]}
  - {id: dorsal-root, label: {en: Dorsal root}, ontology: "UBERON:0002261", kind: root, fibres: [sensory]}
  - {id: wall-nerves, label: {en: Wall nerves}, ontology: "UBERON:0001021", kind: nerve, fibres: [somatic]}
  - {id: spinothalamic-tract, label: {en: Spinothalamic tract}, ontology: "UBERON:0007703", kind: tract, fibres: [cns]}
zones:
  - {id: belly, label: {en: Belly skin}, ontology: "UBERON:0002097", dermatomes: T10-T12, views: [front]}
  - {id: lower-right, label: {en: Lower right belly}, ontology: "UBERON:0002097", dermatomes: T12-L1, views: [front]}
  - {id: low-back, label: {en: Low back skin}, ontology: "UBERON:0002097", dermatomes: L1-L3, views: [back]}
  - {id: seat, label: {en: Seat skin}, ontology: "UBERON:0002097", dermatomes: S2-S3, views: [back]}
  - {id: everywhere, label: {en: All over}, ontology: "UBERON:0002097", dermatomes: T10-S3, views: [front, back]}
deep_structures:
  - {id: back-muscle, label: {en: Back muscle (extensors)}, ontology: "UBERON:0001134", kind: muscle, segments: L1-L5}
  - {id: low-joints, label: {en: Low joints and discs (L4-S1)}, ontology: "UBERON:0001134", kind: joint, segments: L4-S1}
somatic_inputs:
  - {id: belly-input, label: {en: Belly skin input}, nerve: wall-nerves, segments: T10-L1, target: belly, sources: [book]}
  - {id: seat-input, label: {en: Seat skin input}, nerve: wall-nerves, segments: S2-S3, target: seat, sources: [book]}
  - {id: back-input, label: {en: Low back input}, nerve: wall-nerves, segments: L1-L3, target: low-back, sources: [book]}
routes:
  - id: pump-fork
    organ: pump
    part: pump-top
    kind: segmental
    chain: [hub-plexus, lesser-splanchnic-nerve, least-splanchnic-nerve, dorsal-root-ganglion, dorsal-root]
    alternatives: [[lesser-splanchnic-nerve, least-splanchnic-nerve]]
    segments: T10-L1
    laminae: [i, v]
    zones: [belly]
    mechanisms: [convergence-projection, pelvic-pain-line]
    sources: [book]
  - id: tube-shift
    organ: tube
    part: tube-end
    kind: segmental
    chain: [hub-plexus, lesser-splanchnic-nerve, dorsal-root-ganglion, dorsal-root]
    segments: T10-T12
    laminae: [i, v]
    zones: [belly]
    somatic_phase:
      label: {en: Then the lower right}
      nerve: wall-nerves
      segments: T12-L1
      zones: [lower-right]
      sources: [book]
    sources: [book]
  - id: sac-pelvic
    organ: sac
    part: sac-wall
    kind: segmental
    chain: [pelvic-nerves, dorsal-root-ganglion, dorsal-root]
    segments: S2-S3
    laminae: [i, v, x]
    ascending: [spinothalamic, dorsal-column]
    zones: [seat]
    sources: [book]
  - id: sac-rat
    organ: sac
    part: sac-wall
    kind: segmental
    chain: [pelvic-nerves, dorsal-root-ganglion, dorsal-root]
    segments: L1-L2
    laminae: [i]
    zones: [low-back]
    sources: [rat-study]
    species: {ontology: "NCBITaxon:10116", label: Rattus norvegicus, common: rat}
  - id: sac-posture
    organ: sac
    part: sac-wall
    kind: mechanical
    label: {en: Curling up during a flare}
    segments: L1-S1
    strains: [back-muscle, low-joints]
    zones: [low-back]
    sources: [book]
  - id: sac-muscle-only
    organ: sac
    part: sac-wall
    kind: mechanical
    segments: L1-L5
    strains: [back-muscle]
    zones: [low-back]
    sources: [book]
  - id: sac-fever
    organ: sac
    part: sac-wall
    kind: systemic
    zones: [everywhere]
    sources: [book]
outlines:
  hub-plexus:
    - {view: abdomen, points: "40,50 44,50 44,54 40,54"}
  lesser-splanchnic-nerve:
    - {view: abdomen, closed: false, points: "44,55 46,62 47,70 48,80"}
"""


@pytest.fixture(scope="module")
def ds(tmp_path_factory) -> Dataset:
    path = tmp_path_factory.mktemp("truth") / "truth.yaml"
    path.write_text(TRUTH_YAML, encoding="utf-8")
    return load(path)


def trace(fig: dict, name: str) -> dict:
    found = [t for t in fig["data"] if t.get("name") == name]
    assert len(found) == 1, f"expected one trace named {name!r}, found {len(found)}"
    return found[0]


def has_trace(fig: dict, name: str) -> bool:
    return any(t.get("name") == name for t in fig["data"])


def frame_trace(fig: dict, frame_index: int, name: str) -> dict:
    """The data of the trace ``name`` at a frame (its base data when it never moves)."""
    frame = fig["frames"][frame_index]
    index = next(i for i, t in enumerate(fig["data"]) if t.get("name") == name)
    if index not in frame["traces"]:
        return fig["data"][index]
    return frame["data"][frame["traces"].index(index)]


def first_path(entry: dict) -> list[tuple[float, float]]:
    """The points of a trace up to its first break (None)."""
    out = []
    for x, y in zip(entry["x"], entry["y"], strict=True):
        if x is None:
            break
        out.append((x, y))
    return out


def vertices(entry: dict) -> list[tuple[float, float]]:
    """A nerve trace's own corners, up to its first break (not the symbols added between them)."""
    sizes = entry["marker"]["size"]
    return [p for p, size in zip(first_path(entry), sizes, strict=False) if size == 0]


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html.replace("<br>", " "))


def customdata(entry: dict) -> set[str]:
    return {c for c in entry.get("customdata", []) if c}


# --------------------------------------------------------------------------- forks


def test_a_fork_is_drawn_as_two_branches_that_share_their_ends(ds):
    fig = figure_dict(ds, ViewState(route="pump-fork"))
    lesser = trace(fig, names.nerve_trace("lesser-splanchnic-nerve"))
    least = trace(fig, names.nerve_trace("least-splanchnic-nerve"))
    a, b = first_path(lesser), first_path(least)
    assert a[0] == b[0], "both alternatives start where the chain has reached"
    assert a[-1] == b[-1], "and rejoin where it goes on"
    assert a != b and set(a[1:-1]) != set(b[1:-1]), "two branches, not one line drawn twice"
    assert lesser["meta"]["fork"] == least["meta"]["fork"] == ["lesser-splanchnic-nerve", "least-splanchnic-nerve"]
    hub = trace(fig, names.nerve_trace("hub-plexus"))
    assert min(abs(a[0][0] - x) + abs(a[0][1] - y) for x, y in zip(hub["x"], hub["y"]) if x is not None) < 1e-6


def test_the_signal_takes_both_branches_of_a_fork(ds):
    steps = animation_steps(ds, "pump-fork")
    k = next(i for i, s in enumerate(steps) if len(s.targets) == 2)
    fig = figure_dict(ds, ViewState(route="pump-fork"))
    lesser = vertices(trace(fig, names.nerve_trace("lesser-splanchnic-nerve")))
    least = vertices(trace(fig, names.nerve_trace("least-splanchnic-nerve")))
    trail = frame_trace(fig, len(steps) - 1, names.SIGNAL_TRAIL)
    trail_points = set(zip(trail["x"], trail["y"]))
    assert set(lesser) <= trail_points and set(least) <= trail_points, "the trail follows both alternatives"
    comet = frame_trace(fig, k, names.SIGNAL_VISCERAL)
    assert len({(x, y) for x, y in zip(comet["x"], comet["y"])}) == len(comet["x"])


def test_captions_name_the_alternatives_once(ds):
    steps = animation_steps(ds, "pump-fork")
    mentioning = [s for s in steps if "splanchnic" in s.caption]
    assert len(mentioning) == 1
    fork = mentioning[0]
    assert "the lesser or the least splanchnic nerve" in fork.caption
    assert fork.targets == ("lesser-splanchnic-nerve", "least-splanchnic-nerve")
    assert fork.name == "lesser-splanchnic-nerve|least-splanchnic-nerve"
    assert not any(s.name in ("lesser-splanchnic-nerve", "least-splanchnic-nerve") for s in steps)


# --------------------------------------------------------------------------- the somatic phase


def test_the_somatic_phase_follows_the_referred_stage_and_is_not_referred(ds):
    steps = animation_steps(ds, "tube-shift")
    stages = [s.stage for s in steps]
    assert stages == sorted(stages, key=["referred", "somatic"].index), "the somatic steps come last"
    phase = [s for s in steps if s.stage == "somatic"]
    assert [s.kind for s in phase] == ["peritoneum", "parietal-afferent", "localised"]
    assert steps.index(phase[0]) > next(i for i, s in enumerate(steps) if s.kind == "projection")
    for step in phase:
        words = f"{step.caption} {step.term}".lower()
        assert "project" not in words and "convergence" not in words, step.caption
    assert "parietal peritoneum" in phase[0].caption
    assert "wall nerves" in phase[1].caption and "T12-L1" in phase[1].caption
    last = phase[-1]
    assert "Lower right belly" in last.caption and "not referred" in last.caption and "somatic" in last.caption
    projection = next(s for s in steps if s.kind == "projection")
    assert "first" in projection.caption.lower() and projection.term.startswith("early")
    assert "Lower right belly" not in projection.caption


def test_the_somatic_zone_lights_last_in_its_own_style(ds):
    steps = animation_steps(ds, "tube-shift")
    last = len(steps) - 1
    fig = figure_dict(ds, ViewState(route="tube-shift"))
    name = names.per_panel(names.ZONE_SOMATIC, "front")
    somatic = trace(fig, name)
    assert customdata(frame_trace(fig, last, name)) == {"zone:lower-right"}
    assert all(not customdata(frame_trace(fig, k, name)) for k in range(last))
    referred = trace(fig, names.ZONE_LIT_FRONT)
    assert somatic["fillcolor"] != referred["fillcolor"]
    outline = trace(fig, names.per_panel(names.ZONE_OUTLINE, "front"))
    assert outline["line"]["dash"] != "solid" and somatic["line"].get("dash", "solid") == "solid", "not by colour alone"
    assert "zone:lower-right" not in customdata(frame_trace(fig, last, names.ZONE_LIT_FRONT))
    projection = next(i for i, s in enumerate(steps) if s.kind == "projection")
    assert "zone:belly" in customdata(frame_trace(fig, projection, names.ZONE_LIT_FRONT))
    legend = {t["meta"]: t["name"] for t in fig["data"] if str(t.get("meta", "")).startswith(names.LEGEND)}
    assert "not referred" in legend[names.legend("pain-somatic")]
    cord = trace(fig, names.SEGMENT_SOMATIC)
    assert cord["meta"]["segments"] == ["T12", "L1"]


def test_a_route_without_a_somatic_phase_draws_none(ds):
    fig = figure_dict(ds, ViewState(route="pump-fork"))
    assert not has_trace(fig, names.per_panel(names.ZONE_SOMATIC, "front"))
    assert not any(s.stage == "somatic" for s in animation_steps(ds, "pump-fork"))


# --------------------------------------------------------------------------- the dorsal column


def test_the_dorsal_column_is_drawn_when_the_route_ascends_there(ds):
    fig = figure_dict(ds, ViewState(route="sac-pelvic"))
    column = trace(fig, names.DORSAL_COLUMN)
    xs = [x for x in column["x"] if x is not None]
    ys = [y for y in column["y"] if y is not None]
    assert max(xs) < MIDLINE_X, "it stays on the same side (it does not cross)"
    assert ys[-1] == max(ys) and ys[0] == min(ys), "from around the central canal up to the gracile nucleus"
    assert has_trace(fig, names.NEURON_LAMINA_X)
    assert has_trace(fig, names.nerve_trace("spinothalamic-tract")), "besides the spinothalamic tract"
    lamina_lit = trace(fig, names.LAMINA_LIT)
    assert "x" in lamina_lit["meta"]["laminae"]
    steps = animation_steps(ds, "sac-pelvic")
    kinds = [s.kind for s in steps]
    assert kinds.index("ascend") < kinds.index("dorsal-column") < kinds.index("projection")
    column_step = steps[kinds.index("dorsal-column")]
    assert "postsynaptic dorsal column pathway" in column_step.caption
    assert "central canal" in column_step.caption and "gracile" in column_step.caption
    assert "spinothalamic" in steps[kinds.index("ascend")].caption
    convergence = steps[kinds.index("convergence")]
    assert "laminae I and V" in convergence.caption, "lamina X is the dorsal column's, not the convergence's"
    signal = frame_trace(fig, kinds.index("dorsal-column"), names.SIGNAL_DORSAL_COLUMN)
    assert [x for x in signal["x"] if x is not None]


def test_a_spinothalamic_route_draws_no_dorsal_column(ds):
    fig = figure_dict(ds, ViewState(route="pump-fork"))
    for name in (names.DORSAL_COLUMN, names.NEURON_LAMINA_X, names.SIGNAL_DORSAL_COLUMN):
        assert not has_trace(fig, name)
    steps = animation_steps(ds, "pump-fork")
    assert not any(s.kind == "dorsal-column" or "dorsal column" in s.caption for s in steps)


# --------------------------------------------------------------------------- species


def test_a_rat_route_says_so_in_every_caption_and_on_the_cord(ds):
    steps = animation_steps(ds, "sac-rat")
    assert steps and all(s.caption.startswith("In the rat: ") for s in steps)
    fig = figure_dict(ds, ViewState(route="sac-rat"))
    for k in range(len(steps)):
        assert "In the rat: " in plain(frame_trace(fig, k, names.CAPTION)["text"][0])
    notes = [a for a in fig["layout"]["annotations"] if a.get("name") == names.SPECIES_NOTE]
    assert len(notes) == 1 and "Rat levels" in plain(notes[0]["text"]) and notes[0]["xref"] == "x3"
    assert any("Dorsal horn at" in a["text"] and "rat" in a["text"] for a in fig["layout"]["annotations"])
    legend = [t["name"] for t in fig["data"] if t.get("meta") == names.legend("segments-lit")]
    assert legend and "rat" in legend[0]


def test_a_human_route_names_no_species(ds):
    for route in ("pump-fork", "sac-pelvic", "sac-posture", "sac-fever"):
        assert not any("In the " in s.caption[:7] for s in animation_steps(ds, route))
        fig = figure_dict(ds, ViewState(route=route))
        assert not any(a.get("name") == names.SPECIES_NOTE for a in fig["layout"]["annotations"])
    assert resolve_selection(ds, ViewState(route="pump-fork")).species == ""


# --------------------------------------------------------------------------- mechanical strain


def test_mechanical_captions_say_what_is_strained_and_where_it_hurts(ds):
    steps = animation_steps(ds, "sac-posture")
    captions = " ".join(s.caption for s in steps)
    assert not re.search(r"spine is loaded|loaded at|L1-S1", captions)
    felt = steps[-1]
    assert felt.kind == "felt" and "back muscle" in felt.caption and "low joints and discs" in felt.caption
    assert "Low back skin" in felt.caption
    for strain in ("back-muscle", "low-joints"):
        assert any(s.kind == "strain" and s.target == strain for s in steps)


def test_only_strained_joints_are_drawn_on_the_spine(ds):
    fig = figure_dict(ds, ViewState(route="sac-posture"))
    assert trace(fig, names.STRAIN_SPINE)["meta"]["segments"] == ["L4", "L5", "S1"]
    assert not has_trace(figure_dict(ds, ViewState(route="sac-muscle-only")), names.STRAIN_SPINE)


# --------------------------------------------------------------------------- mechanisms


def test_every_step_names_a_mechanism_that_exists(ds):
    known = {m.id for m in ds.mechanisms}
    for route in ds.routes:
        for step in animation_steps(ds, route):
            assert step.mechanism in known, (route.id, step.name, step.mechanism)


@pytest.mark.parametrize(
    ("route", "stage", "expected"),
    [
        ("tube-shift", "referred", "convergence-projection"),
        ("tube-shift", "somatic", "parietal-peritoneal-pain"),
        ("sac-posture", "mechanical", "mechanical-strain"),
        ("sac-fever", "systemic", "systemic-cytokines"),
    ],
)
def test_each_stage_is_explained_by_its_own_mechanism(ds, route, stage, expected):
    steps = [s for s in animation_steps(ds, route) if s.stage == stage]
    assert steps and {s.mechanism for s in steps} == {expected}


def test_a_routes_own_mechanism_explains_the_steps_it_fits(ds):
    steps = animation_steps(ds, "pump-fork")
    by_kind = {s.kind: s.mechanism for s in steps}
    assert by_kind["afferent"] == "pelvic-pain-line" and by_kind["entry"] == "pelvic-pain-line"
    assert by_kind["convergence"] == "convergence-projection"


def test_the_figure_meta_says_which_stage_each_new_element_belongs_to(ds):
    fig = figure_dict(ds, ViewState(route="tube-shift"))
    assert trace(fig, names.per_panel(names.ZONE_SOMATIC, "front"))["meta"]["step"] == "localised"
    fork = figure_dict(ds, ViewState(route="pump-fork"))
    step_names = {s.name for s in animation_steps(ds, "pump-fork")}
    assert trace(fork, names.nerve_trace("least-splanchnic-nerve"))["meta"]["step"] in step_names
    assert text(ds.nerve["least-splanchnic-nerve"].label) == "Least splanchnic nerve"


def test_the_figure_carries_each_steps_stage_and_mechanism(ds):
    steps = animation_steps(ds, "tube-shift")
    meta = figure_dict(ds, ViewState(route="tube-shift"))["layout"]["meta"]
    assert meta["step_names"] == [s.name for s in steps]
    assert meta["step_stages"] == [s.stage for s in steps]
    assert meta["step_mechanisms"] == [s.mechanism for s in steps]
    assert meta["step_mechanisms"][-1] == "parietal-peritoneal-pain"
