"""The figure builders: panels, selection, animation frames, layers, fallbacks (no browser)."""

from __future__ import annotations

import re
from pathlib import Path
import textwrap

import plotly.graph_objects as go
import pytest

from painmap.figures import (
    animation_steps,
    build_figure,
    compose,
    figure_dict,
    names,
    resolve_selection,
    route_layer,
    scene,
    style,
)
from painmap.figures.build import LAYER_LAYOUT_KEYS
from painmap.figures.cord import scene_segments
from painmap.figures.steps import converging_inputs
from painmap.loader import load
from painmap.model import text
from painmap.query import shared_segments
from painmap.viewstate import ANATOMY_VIEWS, LAYERS, ViewState

ORGANS = ("bladder", "uterus", "gut", "kidney")


# --------------------------------------------------------------------------- helpers


def traces(fig: dict, name: str) -> list[dict]:
    return [t for t in fig["data"] if t.get("name") == name]


def trace(fig: dict, name: str) -> dict:
    found = traces(fig, name)
    assert len(found) == 1, f"expected one trace named {name!r}, found {len(found)}"
    return found[0]


def names_of(fig: dict) -> set[str]:
    return {t.get("name") for t in fig["data"]}


def frame_trace(fig: dict, frame_index: int, name: str) -> dict:
    """The data of the trace called ``name`` at a frame (its base data when it never moves)."""
    frame = fig["frames"][frame_index]
    index = next(i for i, t in enumerate(fig["data"]) if t.get("name") == name)
    if index not in frame["traces"]:
        assert all(index not in f["traces"] for f in fig["frames"]), f"{name} moves, but not in {frame_index}"
        return fig["data"][index]
    return frame["data"][frame["traces"].index(index)]


def plain(html: str) -> str:
    """Annotation or caption text without plotly's line breaks and tags."""
    return re.sub(r"<[^>]+>", "", html.replace("<br>", " "))


def customdata(entry: dict) -> set[str]:
    return {c for c in entry.get("customdata", []) if c}


def points(entry: dict) -> list:
    return [x for x in entry.get("x", []) if x is not None]


@pytest.fixture(scope="module")
def ds(dataset):
    return dataset


# --------------------------------------------------------------------------- one organ at a time


@pytest.mark.parametrize("organ", ORGANS)
def test_organ_route_lights_its_segments_in_the_cord(ds, organ):
    fig = figure_dict(ds, ViewState(organ=organ))
    sel = resolve_selection(ds, ViewState(organ=organ))
    route = ds.route[sel.route]
    assert route.organ == organ and route.kind == "segmental"
    lit = trace(fig, names.SEGMENT_LIT)
    assert set(route.segments) <= set(lit["meta"]["segments"])
    drawn = [s for s in route.segments if s in ds.drawn_segments]
    assert drawn, "the route enters a drawn segment"
    assert {f"segment:{s}" for s in drawn} <= customdata(lit)
    assert not {f"segment:{s}" for s in ds.drawn_segments if s not in lit["meta"]["segments"]} & customdata(lit)


@pytest.mark.parametrize("organ", ORGANS)
def test_frames_follow_the_steps_and_light_the_zone_last(ds, organ):
    fig = figure_dict(ds, ViewState(organ=organ))
    sel = resolve_selection(ds, ViewState(organ=organ))
    steps = animation_steps(ds, sel.route)
    assert len(fig["frames"]) == len(steps)
    assert [f["name"] for f in fig["frames"]] == [str(i) for i in range(len(steps))]
    route = ds.route[sel.route]
    last = len(steps) - 1
    lit_last = customdata(frame_trace(fig, last, names.ZONE_LIT_FRONT)) | customdata(
        frame_trace(fig, last, names.ZONE_LIT_BACK)
    )
    assert {f"zone:{z}" for z in route.zones} <= lit_last
    for view in (names.ZONE_LIT_FRONT, names.ZONE_LIT_BACK):
        assert not points(frame_trace(fig, 0, view)), "nothing is lit before the signal arrives"
    zone_front = frame_trace(fig, last, names.ZONE_LIT_FRONT)
    zone_back = frame_trace(fig, last, names.ZONE_LIT_BACK)
    assert points(zone_front) or points(zone_back)
    caption = plain(frame_trace(fig, last, names.CAPTION)["text"][0])
    for zone in route.zones:
        assert text(ds.zone[zone].label) in caption
    first_caption = plain(frame_trace(fig, 0, names.CAPTION)["text"][0])
    assert steps[0].caption in first_caption and steps[0].term in first_caption


@pytest.mark.parametrize("organ", ORGANS)
def test_named_traces_and_click_targets(ds, organ):
    fig = figure_dict(ds, ViewState(organ=organ))
    present = names_of(fig)
    for name in (
        names.CAPTION,
        names.SIGNAL_VISCERAL,
        names.SIGNAL_TRAIL,
        names.SIGNAL_CORD,
        names.SIGNAL_HORN,
        names.SIGNAL_HORN_SOMATIC,
        names.SIGNAL_SOMATIC,
        names.ZONE_LIT_FRONT,
        names.ZONE_LIT_BACK,
        names.SEGMENT_LIT,
        names.SEGMENT_SHARED,
        names.PART_HIGHLIGHT,
        names.NEURON,
        names.NEURON_LIT,
        names.PART_HANDLES,
        names.HORN_VISCERAL,
    ):
        assert name in present, name
    parts = [t for t in fig["data"] if (t.get("name") or "").startswith(names.PART_PREFIX)]
    zones = [t for t in fig["data"] if (t.get("name") or "").startswith(names.ZONE_PREFIX)]
    segments = [t for t in fig["data"] if (t.get("name") or "").startswith(names.SEGMENT_PREFIX)]
    nerves = [t for t in fig["data"] if (t.get("name") or "").startswith(names.NERVE_PREFIX)]
    assert parts and zones and segments and nerves
    for group, kind in ((parts, "part"), (zones, "zone"), (segments, "segment"), (nerves, "nerve")):
        for t in group:
            expected = names.entity_of_trace(t["name"])
            assert expected and expected.startswith(kind + ":")
            assert not customdata(t), f"{t['name']}: its id is in its name, not repeated per point"
    assert {names.entity_of_trace(t["name"]) for t in segments} == {f"segment:{s}" for s in ds.drawn_segments}
    handles = trace(fig, names.PART_HANDLES)
    assert all(c.startswith("part:") for c in handles["customdata"])
    assert len(handles["customdata"]) == len(handles["hovertext"])


def clicked(fig: dict, index: int, point_customdata: object = None) -> str | None:
    """What a click on trace ``index`` selects: the point's customdata, else the trace's name
    (the rule of the app's clicked_entity: plotly.js gives no customdata on a filled area)."""
    if isinstance(point_customdata, str):
        return point_customdata
    return names.entity_of_trace(fig["data"][index].get("name"))


@pytest.mark.parametrize("state", [ViewState(), ViewState(organ="bladder"), ViewState(zone="flank")])
def test_every_click_target_is_found_from_the_composed_figure(ds, state):
    fig = figure_dict(ds, state)
    base = scene(ds)
    targets = [i for i, t in enumerate(base["data"]) if names.entity_of_trace(t.get("name"))]
    assert len(targets) > 50
    for i in targets:
        assert clicked(fig, i) == names.entity_of_trace(base["data"][i]["name"])
        assert fig["data"][i].get("hoverinfo") != "skip"
    kinds = {clicked(fig, i).split(":")[0] for i in targets}
    assert {"part", "zone", "segment", "deep"} <= kinds
    # layer traces drawn over click targets skip hover, so a click reaches the target below
    layer = route_layer(ds, state)
    overlays = (names.PART_HIGHLIGHT, names.SEGMENT_LIT, names.RAISED, names.ZONE_OUTLINE, names.LAMINA_LIT)
    for t in layer["data"]:
        if (t.get("name") or "").startswith(overlays):
            assert t["hoverinfo"] == "skip", t["name"]


def test_the_signal_travels(ds):
    fig = figure_dict(ds, ViewState(organ="bladder"))
    seen = {tuple(frame_trace(fig, k, names.SIGNAL_VISCERAL)["x"]) for k in range(3)}
    assert len(seen) == 3, "the visceral signal is somewhere else at each of the first steps"
    steps = animation_steps(ds, resolve_selection(ds, ViewState(organ="bladder")).route)
    entry = next(i for i, s in enumerate(steps) if s.kind == "entry")
    assert points(frame_trace(fig, entry, names.SIGNAL_CORD))
    assert not points(frame_trace(fig, 0, names.SIGNAL_CORD))
    somatic = next(i for i, s in enumerate(steps) if s.kind == "somatic")
    assert points(frame_trace(fig, somatic, names.SIGNAL_SOMATIC))
    assert not points(frame_trace(fig, 0, names.SIGNAL_SOMATIC))
    ascend = next(i for i, s in enumerate(steps) if s.kind == "ascend")
    assert points(frame_trace(fig, ascend, names.NEURON_LIT))


def test_hover_names_the_ontology_and_the_sources(ds):
    fig = figure_dict(ds, ViewState(organ="kidney"))
    kidney = trace(fig, f"{names.PART_PREFIX}kidney-upper-ureter")
    hover = kidney["text"]
    part = ds.part["kidney-upper-ureter"]
    assert part.ontology_match == "broader" and f"{part.ontology} (broader term)" in hover
    for source in ds.route["kidney-splanchnic"].sources:
        assert ds.source[source].title[:40] in plain(hover).replace("- ", "")
    matches = set()
    for organ in ds.organs:
        fig = figure_dict(ds, ViewState(organ=organ.id))
        for part in organ.parts:
            hover = trace(fig, f"{names.PART_PREFIX}{part.id}")["text"]
            broader = f"{part.ontology} (broader term)" in hover
            assert part.ontology in hover and broader == (part.ontology_match == "broader"), part.id
            matches.add(part.ontology_match)
    assert matches == {"exact", "broader"}


def test_paused_step_is_in_the_base_data(ds):
    for step in (0, 4):
        fig = figure_dict(ds, ViewState(organ="bladder", step=step))
        for i in fig["frames"][step]["traces"]:
            moving = fig["frames"][step]["data"][fig["frames"][step]["traces"].index(i)]
            for key, value in moving.items():
                if key != "type":
                    assert fig["data"][i][key] == value, (fig["data"][i]["name"], key)
        assert fig["layout"]["sliders"][0]["active"] == step
    late = figure_dict(ds, ViewState(organ="bladder", step=99))
    assert late["layout"]["sliders"][0]["active"] == len(late["frames"]) - 1


def test_every_frame_keeps_every_panel_drawn(ds):
    """plotly.js empties, on a redraw-free step, every subplot without a trace in the frame."""
    for state in (ViewState(organ="bladder"), ViewState(route="flu-cytokine-myalgia")):
        fig = figure_dict(ds, state)
        for frame in fig["frames"]:
            axes = {
                fig["data"][i]["xaxis"]
                for i, d in zip(frame["traces"], frame["data"], strict=True)
                if [x for x in d.get("x", []) if x is not None]
            }
            assert axes == {"x", "x2", "x3", "x4", "x5", "x6"}


def test_frames_are_sparse_and_playback_runs_in_the_browser(ds):
    fig = figure_dict(ds, ViewState(organ="uterus", speed=2.0))
    for frame in fig["frames"]:
        assert len(frame["traces"]) == len(frame["data"]) <= len(fig["data"]) // 3
        # what moves is scatter data; what the story reveals changes its opacity alone
        moving = [d for d in frame["data"] if set(d) != {"opacity"}]
        assert len(moving) <= len(fig["data"]) // 4
        assert all(d["type"] == "scatter" for d in moving)
    menus = {m["name"]: m for m in fig["layout"]["updatemenus"]}
    play, pause = menus["playback"]["buttons"]
    assert (play["label"], pause["label"]) == ("Play", "Pause")
    assert play["method"] == "animate" and play["args"][1]["frame"]["redraw"] is False
    speeds = menus["speed"]["buttons"]
    assert [b["label"] for b in speeds] == ["0.5x", "1x", "2x"]
    durations = [b["args"][1]["frame"]["duration"] for b in speeds]
    assert durations[0] == 2 * durations[1] == 4 * durations[2]
    assert menus["speed"]["active"] == 2
    assert play["args"][1]["frame"]["duration"] == durations[2]
    slider = fig["layout"]["sliders"][0]
    assert [s["args"][0] for s in slider["steps"]] == [[f["name"]] for f in fig["frames"]]


# --------------------------------------------------------------------------- route kinds


def test_disputed_cervix_route_says_sources_disagree(ds):
    """A standalone figure says what the sources disagree on (the page shows it beside the figure)."""
    assert not any("Sources disagree" in a.get("text", "") for a in figure_dict(ds, ViewState(part="cervix"))["layout"]["annotations"])
    fig = figure_dict(ds, ViewState(part="cervix"), notes=True)
    notes = [plain(a["text"]) for a in fig["layout"]["annotations"] if "Sources disagree" in a.get("text", "")]
    assert len(notes) == 1
    dispute = ds.disputed_routes["cervix-pelvic-splanchnic"]
    for route_id in dispute.routes:
        for source in ds.route[route_id].sources:
            assert ds.source[source].title in notes[0]
        assert text(ds.route[route_id].label) in notes[0]
    nerve_traces = [
        t for t in fig["data"] if (t.get("name") or "").startswith(names.NERVE_PREFIX) and t["xaxis"] == "x2"
    ]
    assert nerve_traces and all(t["line"]["dash"] == "dash" for t in nerve_traces)
    both = {n for r in dispute.routes for n in ds.route[r].chain if ds.outlines.get(n)}
    drawn = {names.entity_of_trace(t["name"]).split(":")[1] for t in nerve_traces}
    assert both - {"dorsal-root-ganglion", "dorsal-root"} <= drawn
    lit = set(trace(fig, names.SEGMENT_LIT)["meta"]["segments"])
    assert {"S2", "S3", "S4", "T10", "L1"} <= lit


def test_undisputed_route_has_no_disagreement_note(ds):
    fig = figure_dict(ds, ViewState(organ="kidney"), notes=True)
    assert not any("Sources disagree" in a.get("text", "") for a in fig["layout"]["annotations"])


def test_mechanical_route_strains_the_lumbar_discs(ds):
    state = ViewState(route="gut-flare-posture")
    steps = animation_steps(ds, "gut-flare-posture")
    assert steps[0].kind == "trigger" and steps[-1].kind == "felt"
    assert any(s.kind == "strain" and s.target == "lumbar-discs-l4-s1" for s in steps)
    fig = figure_dict(ds, state)
    strain = [t for t in fig["data"] if (t.get("name") or "").startswith(names.STRAIN + "/")]
    assert any("lumbar-discs-l4-s1" in t["meta"]["deep"] for t in strain)
    last = len(steps) - 1
    lit = set().union(*(customdata(frame_trace(fig, last, t["name"])) for t in strain))
    assert "deep:lumbar-discs-l4-s1" in lit
    assert not set().union(*(customdata(frame_trace(fig, 0, t["name"])) for t in strain))
    zigzags = [t for t in fig["data"] if (t.get("name") or "").startswith(names.STRAIN_ZIGZAG + "/")]
    assert zigzags and any(points(frame_trace(fig, last, t["name"])) for t in zigzags)
    spine = trace(fig, names.STRAIN_SPINE)
    assert spine["meta"]["segments"] == ["L4", "L5", "S1"]
    assert points(frame_trace(fig, last, names.STRAIN_SPINE))
    assert "Low back" in plain(frame_trace(fig, last, names.CAPTION)["text"][0])


def test_systemic_route_shades_the_whole_body(ds):
    steps = animation_steps(ds, "gut-systemic-inflammation")
    assert [s.kind for s in steps] == ["trigger", "cytokines", "felt"]
    fig = figure_dict(ds, ViewState(route="gut-systemic-inflammation"))
    for view in ("front", "back"):
        name = f"{names.SYSTEMIC_SHADE}/{view}"
        assert not points(frame_trace(fig, 0, name))
        assert len(points(frame_trace(fig, len(steps) - 1, name))) > 20
        cytokines = f"{names.SIGNAL_CYTOKINES}/{view}"
        assert points(frame_trace(fig, 1, cytokines))
    assert not points(trace(fig, names.SIGNAL_CORD)), "a systemic route enters no segment"
    assert not traces(fig, names.NEURON)


# --------------------------------------------------------------------------- reverse look-ups


def test_zone_selection_highlights_the_parts_that_refer_there(ds):
    fig = figure_dict(ds, ViewState(zone="low-back"))
    referring = {r.part for r in ds.routes if "low-back" in r.zones}
    assert referring
    highlight = trace(fig, names.PART_HIGHLIGHT)
    assert referring <= set(highlight["meta"]["parts"])
    assert points(highlight)
    lit = customdata(trace(fig, names.ZONE_LIT_BACK))
    assert lit == {"zone:low-back"}
    segments = set(trace(fig, names.SEGMENT_LIT)["meta"]["segments"])
    expected = {s for r in ds.routes if "low-back" in r.zones and r.kind == "segmental" for s in r.segments}
    assert segments == expected
    assert fig["frames"] == [] and "sliders" not in fig["layout"]


def test_segment_selection_highlights_the_parts_entering_it(ds):
    fig = figure_dict(ds, ViewState(segment="s3"))
    entering = {r.part for r in ds.routes if r.kind == "segmental" and "S3" in r.segments}
    assert {"bladder-neck-trigone", "cervix", "distal-sigmoid-rectum"} <= entering
    assert entering <= set(trace(fig, names.PART_HIGHLIGHT)["meta"]["parts"])
    assert "S3" in trace(fig, names.SEGMENT_LIT)["meta"]["segments"]
    assert any("Dorsal horn at S3" in a["text"] for a in fig["layout"]["annotations"])


def test_no_trace_an_animation_step_redraws_has_a_fill_pattern(ds):
    """plotly.js throws ("e.classed is not a function") when an animation step redraws a
    patterned fill, and the step is left half drawn: only what no frame lists is hatched."""
    for route in ds.route.values():
        for compare in ("", "gut" if route.organ != "gut" else "uterus"):
            fig = figure_dict(ds, ViewState(organ=route.organ, route=route.id, compare=compare))
            listed = {t for frame in fig.get("frames", []) for t in frame["traces"]}
            patterned = [fig["data"][t]["name"] for t in listed if fig["data"][t].get("fillpattern")]
            assert not patterned, (route.id, compare, patterned)


def test_compare_uterus_and_gut_marks_their_shared_segments(ds):
    fig = figure_dict(ds, ViewState(organ="uterus", compare="gut"))
    shared = trace(fig, names.SEGMENT_SHARED)
    expected = list(shared_segments(ds, "uterus", "gut").segments)
    assert {"T10", "T11", "T12", "L1", "S2", "S3", "S4"} <= set(expected)
    assert shared["meta"]["segments"] == expected
    assert customdata(shared) == {f"segment:{s}" for s in shared["meta"]["segments"]}
    assert shared["fillpattern"]["shape"], "shared segments are hatched, not only coloured"
    compared = trace(fig, names.COMPARE_HIGHLIGHT)
    assert set(compared["meta"]["parts"]) == {p.id for p in ds.organ["gut"].parts}
    assert {p.id for p in ds.organ["uterus"].parts} <= set(trace(fig, names.PART_HIGHLIGHT)["meta"]["parts"])


def test_unknown_ids_are_ignored(ds):
    state = ViewState(organ="nope", part="nope", route="nope", zone="nope", segment="Z9", compare="nope", lang="xx")
    sel = resolve_selection(ds, state)
    assert (sel.organ, sel.route, sel.zone, sel.segment, sel.compare) == ("", "", "", "", "")
    fig = figure_dict(ds, state)
    assert fig["frames"] == []
    assert "Choose an organ" in plain(trace(fig, names.CAPTION)["text"][0])


def test_organ_or_part_without_a_route_takes_its_first_segmental_route(ds):
    assert resolve_selection(ds, ViewState(organ="gut")).route == "small-intestine-splanchnic"
    assert resolve_selection(ds, ViewState(part="distal-sigmoid-rectum")).route == "rectum-pelvic-splanchnic"
    assert resolve_selection(ds, ViewState(organ="cervix")).route == "cervix-pelvic-splanchnic"
    sel = resolve_selection(ds, ViewState(organ="bladder", route="bladder-pelvic-floor-loop"))
    assert (sel.part, sel.kind) == ("bladder-neck-trigone", "mechanical")


# --------------------------------------------------------------------------- steps


def test_segmental_steps_tell_the_story_in_order(ds):
    steps = animation_steps(ds, "bladder-neck-pelvic-splanchnic")
    kinds = [s.kind for s in steps]
    assert kinds[0] == "stimulus" and kinds[-1] == "projection"
    tail = ["somatic", "convergence", "ascend", "projection"]
    assert [k for k in kinds if k in tail] == tail and kinds.index("somatic") == 4
    assert kinds.count("afferent") == 2 and kinds[3] == "entry"
    by_kind = {s.kind: s for s in steps}
    assert "bladder neck" in steps[0].caption.lower()
    assert "S2-S4" in steps[3].caption and steps[3].term == "dorsal root entry"
    convergence = by_kind["convergence"]
    assert "laminae I and V" in convergence.caption and convergence.term == "viscerosomatic convergence"
    assert by_kind["ascend"].term == "spinothalamic tract"
    assert steps[-1].term == "referred pain (convergence-projection)"
    inputs = converging_inputs(ds, ds.route["bladder-neck-pelvic-splanchnic"])
    assert text(ds.zone[inputs[0].target].label).lower()[:20] in by_kind["somatic"].caption.lower()


def test_route_steps_override_captions_by_name(ds):
    route = ds.route["kidney-splanchnic"].model_copy(update={"steps": {"entry": {"en": "In it goes"}}})
    steps = animation_steps(ds, route)
    entry = next(s for s in steps if s.name == "entry")
    assert entry.caption == "In it goes" and entry.term == "dorsal root entry"


# --------------------------------------------------------------------------- layers


def test_layers_off_remove_their_traces(ds):
    full = figure_dict(ds, ViewState(part="cervix"))
    groups = {t.get("legendgroup") for t in full["data"] if (t.get("name") or "").startswith(names.NERVE_PREFIX)}
    assert {"fibre-sympathetic", "fibre-parasympathetic", "fibre-somatic"} <= groups
    assert any(n.startswith(names.LABELS) for n in names_of(full))
    assert any(n.startswith(names.DERMATOME) for n in names_of(full))
    assert names.HORN_SOMATIC in names_of(full)
    for layer in LAYERS:
        fig = figure_dict(ds, ViewState(part="cervix", layers=frozenset(LAYERS) - {layer}))
        present = names_of(fig)
        nerve_groups = {
            t.get("legendgroup") for t in fig["data"] if (t.get("name") or "").startswith(names.NERVE_PREFIX)
        }
        if layer in ("sympathetic", "parasympathetic", "somatic"):
            assert f"fibre-{layer}" not in nerve_groups
            assert nerve_groups, "the other fibres stay"
        if layer == "somatic":
            assert names.HORN_SOMATIC not in present
        if layer == "labels":
            assert not any(n.startswith(names.LABELS) for n in present)
            words = [
                t["name"] for t in fig["data"]
                if "text" in (t.get("mode") or "") and t["name"] != names.CAPTION and not t["name"].startswith(names.FALLBACK)
            ]
            assert not words, "no text is written on the picture but the caption and placeholders"
        if layer == "dermatomes":
            # the bands are scene traces: still there (indices stay), hidden
            bands = [t for t in fig["data"] if (t.get("name") or "").startswith(names.DERMATOME)]
            assert bands and all(t.get("visible") is False for t in bands)
            assert not any(n.startswith(names.DERMATOME_LIT) for n in present)
        else:
            bands = [t for t in fig["data"] if (t.get("name") or "").startswith(names.DERMATOME)]
            assert bands and all(t.get("visible", True) is True for t in bands)
        assert len(fig["frames"]) == len(full["frames"]), "the animation still plays"


# --------------------------------------------------------------------------- fallbacks

EXTRA = textwrap.dedent(
    """
    extends: bundled
    organs:
      - id: test-organ
        label: {en: Test organ}
        ontology: "UBERON:0000062"
        ontology_match: broader
        colour: "#6a9a6a"
        parts:
          - {id: test-organ-part, label: {en: Test organ part}, ontology: "UBERON:0000062", ontology_match: broader}
    nerves:
      - {id: test-nerve, label: {en: Test nerve}, ontology: "UBERON:0001021", ontology_match: broader, kind: nerve,
         fibres: [sensory, sympathetic]}
    zones:
      - {id: test-zone, label: {en: Test zone}, ontology: "UBERON:0002097", ontology_match: broader,
         dermatomes: T9, views: [front]}
    routes:
      - id: test-route
        organ: test-organ
        part: test-organ-part
        kind: segmental
        chain: [test-nerve, dorsal-root-ganglion, dorsal-root]
        segments: T9-T10
        laminae: [i, v]
        zones: [test-zone]
        sources: [dermatome-charts]
    """
)


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    path = tmp_path_factory.mktemp("extra") / "extra.yaml"
    path.write_text(EXTRA)
    return load(path)


def test_an_organ_without_outlines_is_still_drawn(extended):
    fig = figure_dict(extended, ViewState())
    part = trace(fig, names.part_trace("test-organ-part"))
    assert names.entity_of_trace(part["name"]) == "part:test-organ-part" and points(part)
    assert "placeholder" in part["text"]
    fallback = trace(fig, names.per_panel(names.FALLBACK, "anatomy"))
    assert any("Test organ part" in plain(t) for t in fallback["text"])
    assert "part:test-organ-part" in fallback["customdata"]
    zone = trace(fig, names.per_panel(names.FALLBACK, "front"))
    assert "zone:test-zone" in zone["customdata"]
    go.Figure(fig)


def test_a_route_without_outlines_still_animates(extended):
    fig = figure_dict(extended, ViewState(organ="test-organ"))
    steps = animation_steps(extended, "test-route")
    assert len(fig["frames"]) == len(steps)
    nerve = trace(fig, f"{names.NERVE_PREFIX}test-nerve")
    assert "Approximate path" in nerve["hovertext"] and points(nerve)
    last = customdata(frame_trace(fig, len(steps) - 1, names.ZONE_LIT_FRONT))
    assert last == {"zone:test-zone"}
    afferent = next(i for i, s in enumerate(steps) if s.kind == "afferent")
    assert points(frame_trace(fig, afferent, names.SIGNAL_VISCERAL))
    go.Figure(fig)


def test_a_dataset_with_no_geometry_at_all_is_drawn_with_placeholders(ds):
    bare = ds.model_copy(update={"outlines": {}, "scaffold": {}})
    fig = figure_dict(bare, ViewState(organ="bladder", step=3))
    fallback = trace(fig, names.per_panel(names.FALLBACK, "anatomy"))
    assert len(fallback["customdata"]) == len(bare.part)
    assert len(fig["frames"]) == len(animation_steps(bare, resolve_selection(bare, ViewState(organ="bladder")).route))
    go.Figure(fig).to_json()


# --------------------------------------------------------------------------- plotly


@pytest.mark.parametrize(
    "state",
    [
        ViewState(),
        ViewState(organ="bladder", step=3),
        ViewState(part="cervix", anatomy="side"),
        ViewState(route="gut-flare-posture", step=2),
        ViewState(route="flu-cytokine-myalgia"),
        ViewState(zone="flank", segment="T11", compare="kidney"),
        ViewState(organ="uterus", compare="gut", layers=frozenset()),
    ],
    ids=["empty", "bladder", "cervix-side", "mechanical", "systemic", "zone-segment", "compare-no-layers"],
)
@pytest.mark.parametrize("arrangement", ["wide", "tall"])
def test_figure_validates_and_serialises(ds, state, arrangement):
    fig = go.Figure(figure_dict(ds, state, arrangement))
    assert fig.to_json().startswith("{")
    built = build_figure(ds, state, arrangement)
    assert isinstance(built, go.Figure)
    assert len(built.data) == len(fig.data) and len(built.frames) == len(fig.frames)


def test_tall_arrangement_is_taller_than_wide(ds):
    wide = figure_dict(ds, ViewState(organ="kidney"), "wide")["layout"]
    tall = figure_dict(ds, ViewState(organ="kidney"), "tall")["layout"]
    assert tall["height"] > wide["height"]
    assert wide["xaxis2"]["domain"][1] < 0.5 < wide["xaxis6"]["domain"][0], "wide: panels side by side"
    assert tall["yaxis2"]["domain"][0] > tall["yaxis6"]["domain"][1], "tall: panels stacked"
    for layout in (wide, tall):
        for suffix in ("2", "3", "4", "5", "6"):
            assert layout[f"yaxis{suffix}"]["scaleanchor"] == f"x{suffix}"
            assert layout[f"xaxis{suffix}"]["visible"] is False


def test_entity_of_trace():
    assert names.entity_of_trace("zone/flank/back") == "zone:flank"
    assert names.entity_of_trace("part/bladder-dome") == "part:bladder-dome"
    assert names.entity_of_trace("part/small-intestine/lines") == "part:small-intestine"
    assert names.entity_of_trace(names.CAPTION) is None


def test_horn_shows_the_chosen_segment_only_where_the_route_enters(ds):
    inside = resolve_selection(ds, ViewState(organ="bladder", part="bladder-neck-trigone", segment="S4"))
    assert inside.horn_segment == "S4"
    outside = resolve_selection(ds, ViewState(organ="bladder", segment="S4"))
    route = ds.route[outside.route]
    assert "S4" not in route.segments and outside.horn_segment in route.segments
    assert "S4" in outside.segments_lit


def test_the_cord_panel_widens_to_take_in_a_teachers_upper_thoracic_route():
    from painmap.loader import load as load_dataset

    heart = load_dataset(Path(__file__).resolve().parents[2] / "examples" / "heart")
    selection = resolve_selection(heart, ViewState(organ="heart"))
    assert selection.cord_segments[0] == "T1" and selection.cord_segments[-1] == "S5"
    fig = figure_dict(heart, ViewState(organ="heart"))
    lit = next(t for t in fig["data"] if t.get("name") == names.SEGMENT_LIT)
    assert {"T1", "T2", "T3", "T4"} <= set(lit["meta"]["segments"])
    assert any(t.get("name") == f"{names.SEGMENT_PREFIX}T2" for t in fig["data"])
    bladder = resolve_selection(heart, ViewState(organ="bladder"))
    assert bladder.cord_segments == heart.drawn_segments


# --------------------------------------------------------------------------- scene and route layer

SELECTIONS = [
    ViewState(),
    ViewState(organ="bladder", step=3),
    ViewState(part="cervix"),
    ViewState(route="gut-flare-posture", step=2),
    ViewState(route="flu-cytokine-myalgia"),
    ViewState(zone="flank", segment="T11", compare="kidney"),
    ViewState(organ="uterus", compare="gut", layers=frozenset()),
]


def test_the_scene_is_the_same_whatever_is_selected(ds):
    base = scene(ds)
    assert base == scene(ds, "wide", None, "en", "front")
    for state in SELECTIONS:
        fig = figure_dict(ds, state)
        drawn = [{k: v for k, v in t.items() if k != "visible"} for t in fig["data"][: len(base["data"])]]
        assert drawn == base["data"], state
        assert fig["layout"]["shapes"][: len(base["layout"]["shapes"])] == base["layout"]["shapes"]
    # it does change with the view, the arrangement and the width
    assert scene(ds, anatomy="side") != base
    assert scene(ds, "tall") != base and scene(ds, width=900) != base
    assert set(ANATOMY_VIEWS) == {"front", "lateral"}, "a new view needs outlines drawn for it"


def test_the_scene_draws_every_outline_unlit_and_the_dataset_wide_cord(ds):
    base = scene(ds)
    present = names_of(base)
    for part in ds.part:
        assert names.part_trace(part) in present or names.part_trace(part, "lines") in present, part
    for segment in scene_segments(ds):
        assert names.segment_trace(segment) in present
    lit = (
        names.SEGMENT_LIT, names.PART_HIGHLIGHT, names.ZONE_LIT, names.CAPTION, names.RAISED, names.NEURON,
        names.SIGNAL_VISCERAL, names.LABELS, names.KEEPER, names.ZONE_OUTLINE, names.LAMINA_LIT,
    )  # fmt: skip
    assert not [n for n in present if n.startswith(lit)]
    assert not any(n.startswith(names.NERVE_PREFIX) for n in present), "a route's nerves are the layer's"
    assert set(base["layout"]) >= {"height", "xaxis2", "yaxis6", "shapes", "annotations"}
    assert not set(base["layout"]) & set(LAYER_LAYOUT_KEYS)
    titles = [plain(a["text"]) for a in base["layout"]["annotations"]]
    assert "Spinal cord T9-S5" in titles and "Organs and nerves (front)" in titles
    assert "Organs and nerves (side)" in [plain(a["text"]) for a in scene(ds, anatomy="side")["layout"]["annotations"]]
    go.Figure(base)


def test_the_layer_holds_what_the_selection_lights(ds):
    state = ViewState(organ="bladder")
    layer = route_layer(ds, state)
    assert set(layer) == {"data", "shapes", "annotations", "frames", "layout"}
    assert set(layer["layout"]) <= set(LAYER_LAYOUT_KEYS)
    present = names_of(layer)
    for name in (
        names.CAPTION, names.SEGMENT_LIT, names.PART_HIGHLIGHT, names.ZONE_LIT_FRONT, names.ZONE_LIT_BACK,
        names.SIGNAL_VISCERAL, names.NEURON, names.HORN_VISCERAL, names.LAMINA_LIT,
    ):  # fmt: skip
        assert name in present, name
    sel = resolve_selection(ds, state)
    assert names.raised(sel.part) in present
    assert set(ds.route[sel.route].segments) <= set(trace(layer, names.SEGMENT_LIT)["meta"]["segments"])
    assert any(n.startswith(names.NERVE_PREFIX) for n in present)
    assert any("Dorsal horn at" in a["text"] for a in layer["annotations"])
    assert not any(a.get("name") == names.ROUTE_NOTE for a in layer["annotations"]), "the page shows it"
    standalone = route_layer(ds, state, notes=True)
    assert any(a.get("name") == names.ROUTE_NOTE for a in standalone["annotations"])
    assert layer["layout"]["meta"]["route"] == sel.route
    assert layer["layout"]["meta"]["playback"] == {"frame_ms": style.FRAME_MS, "transition_ms": style.TRANSITION_MS}
    empty = route_layer(ds, ViewState())
    assert empty["frames"] == [] and "sliders" not in empty["layout"]
    assert not points(trace(empty, names.PART_HIGHLIGHT))


@pytest.mark.parametrize("state", SELECTIONS[1:5], ids=["bladder", "cervix", "mechanical", "systemic"])
def test_compose_points_the_frames_at_the_layers_traces(ds, state):
    base, layer = scene(ds), route_layer(ds, state)
    fig = compose(base, layer)
    offset = len(base["data"])
    assert fig["data"][offset:] == layer["data"]
    assert len(fig["frames"]) == len(layer["frames"]) > 0
    for composed, own in zip(fig["frames"], layer["frames"], strict=True):
        assert composed["traces"] == [i + offset for i in own["traces"]]
        assert composed["data"] == own["data"]
        for i, data in zip(composed["traces"], composed["data"], strict=True):
            assert fig["data"][i]["name"] == layer["data"][i - offset]["name"]
            assert set(data) - {"type"} <= set(fig["data"][i]) | {"customdata", "text"}
    assert fig["layout"]["shapes"] == base["layout"]["shapes"] + layer["shapes"]
    assert fig["layout"]["annotations"] == base["layout"]["annotations"] + layer["annotations"]
    assert fig["layout"]["sliders"] == layer["layout"]["sliders"]
    assert fig == figure_dict(ds, state)
    go.Figure(fig)


def test_scene_and_layer_each_validate_as_plotly_figures(ds):
    go.Figure(scene(ds, "tall", lang="en", anatomy="side"))
    layer = route_layer(ds, ViewState(part="cervix"), "tall")
    go.Figure(
        {
            "data": layer["data"],
            "layout": {**layer["layout"], "shapes": layer["shapes"], "annotations": layer["annotations"]},
            "frames": layer["frames"],
        }
    )


def test_the_page_player_takes_its_timing_from_the_figure():
    """One playback timing (style.FRAME_MS/TRANSITION_MS), carried in layout.meta.playback."""
    js = (Path(__file__).resolve().parents[2] / "assets" / "painmap.js").read_text()
    assert "meta.playback" in js and "frame_ms" in js and "transition_ms" in js
    assert not re.search(r"\b(1200|2200|400|700)\b", js), "no timing of its own"


def test_wrap_breaks_between_words_with_plotly_line_breaks():
    from painmap.figures.geometry import wrap

    assert wrap("Pain is felt here", 8) == "Pain is<br>felt<br>here"
    assert wrap("spinothalamic tract", 5) == "spinothalamic<br>tract", "words are never broken"
    assert wrap("T10-L1 and S2-S4", 7) == "T10-L1<br>and<br>S2-S4", "nor at hyphens"
    assert wrap("", 10) == ""


def test_the_lateral_view_draws_the_far_side_behind(ds):
    """Seen from the patient's right, a part on the left (the descending colon) lies behind the
    near ones: drawn first, paler and dashed, not as a second colon beside the first."""
    fig = scene(ds, anatomy="lateral")
    order = [t["name"] for t in fig["data"]]
    far = fig["data"][order.index(names.part_trace("descending-sigmoid-colon"))]
    near = fig["data"][order.index(names.part_trace("appendix-caecum-ascending-colon"))]
    assert far["line"]["dash"] == "dash" and near["line"]["dash"] == "solid"
    assert far["fillcolor"] != near["fillcolor"]
    assert order.index(far["name"]) < order.index(near["name"])
    front = scene(ds, anatomy="front")
    assert front["data"][[t["name"] for t in front["data"]].index(far["name"])]["line"]["dash"] == "solid"


def _font_sizes(node: object) -> list[float]:
    """Every font size set anywhere in a figure dict (textfont, font, hoverlabel...)."""
    found: list[float] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("font", "textfont") and isinstance(value, dict) and "size" in value:
                size = value["size"]
                found += [float(s) for s in size] if isinstance(size, list) else [float(size)]
            found += _font_sizes(value)
    elif isinstance(node, list):
        for item in node:
            found += _font_sizes(item)
    return found


@pytest.mark.parametrize("arrangement", ["wide", "tall", "embed"])
def test_a_large_figure_sets_no_text_under_16_px(ds, arrangement):
    """Patient mode (``large``): every text the figure sets is 16 px or more, in the scene and
    the route layer alike (the ordinary figure has smaller ones)."""
    state = ViewState(organ="bladder")
    base = scene(ds, arrangement, large=True)
    layer = route_layer(ds, state, arrangement, large=True)
    sizes = _font_sizes(base) + _font_sizes(layer)
    assert sizes and min(sizes) >= 16
    assert min(_font_sizes(scene(ds, arrangement)) + _font_sizes(route_layer(ds, state, arrangement))) < 16
