"""The reveal (issue 8), on the tiny dataset: at the first step only the organ part and the
stimulus stand out; each nerve, the cord segments, the dorsal-horn lines, the back's input
and the convergent neuron light at their own step, the skin zone last. Read from the route
layer's base data (the view's step) and its frames, by trace name.
"""

from __future__ import annotations

import pytest

from painmap.figures import animation_steps, names, route_layer
from painmap.viewstate import ViewState
from tests.unit.tiny import tiny_dataset_with_extras


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_dataset_with_extras(tmp_path_factory.mktemp("tiny-reveal"))


def index_of(layer: dict, name: str) -> int:
    found = [i for i, t in enumerate(layer["data"]) if t.get("name") == name]
    assert len(found) == 1, (name, len(found))
    return found[0]


def drawn(trace: dict) -> bool:
    """Whether a trace shows anything: not transparent, and with a point to draw."""
    return trace.get("opacity", 1) > 0 and any(v is not None for v in trace.get("x", ()))


def at_step(layer: dict, name: str, step: int) -> dict:
    """The trace as frame ``step`` leaves it (the base data, with the frame's entry over it)."""
    i = index_of(layer, name)
    trace = dict(layer["data"][i])
    frame = layer["frames"][step]
    if i in frame["traces"]:
        trace.update(frame["data"][frame["traces"].index(i)])
    return trace


def lit_steps(layer: dict, name: str) -> list[int]:
    return [k for k in range(len(layer["frames"])) if drawn(at_step(layer, name, k))]


def step_of(steps, key: str) -> int:
    return next(i for i, s in enumerate(steps) if key in (s.name, s.kind))


def test_at_the_first_step_only_the_part_and_the_stimulus_stand_out(tiny):
    layer = route_layer(tiny, ViewState(route="pump-top-upper", step=0))
    data = {t["name"]: t for t in layer["data"]}
    hidden = [
        names.SEGMENT_LIT,
        names.LAMINA_LIT,
        names.NEURON,
        names.HORN_VISCERAL,
        names.HORN_SOMATIC,
        names.nerve_trace("upper-nerve"),
        names.per_panel(names.ZONE_OUTLINE, "front"),
        names.per_panel(names.ZONE_LIT, "front"),
        names.NEURON_LIT,
    ]
    for name in hidden:
        assert not drawn(data[name]), f"{name} is lit at the first step"
    assert drawn(data[names.raised("pump-top")]), "the organ part stands out"
    assert drawn(data[names.SIGNAL_VISCERAL]), "the stimulus stands out"


def test_each_element_lights_at_its_own_step_and_stays_lit(tiny):
    steps = animation_steps(tiny, "pump-top-upper")
    layer = route_layer(tiny, ViewState(route="pump-top-upper"))
    last = len(steps) - 1
    expected = {
        names.nerve_trace("upper-nerve"): step_of(steps, "upper-nerve"),
        names.SEGMENT_LIT: step_of(steps, "entry"),
        names.HORN_VISCERAL: step_of(steps, "entry"),
        names.HORN_SOMATIC: step_of(steps, "somatic"),
        names.LAMINA_LIT: step_of(steps, "convergence"),
        names.NEURON: step_of(steps, "convergence"),
        names.per_panel(names.ZONE_OUTLINE, "front"): step_of(steps, "projection"),
        names.per_panel(names.ZONE_LIT, "front"): step_of(steps, "projection"),
    }
    assert len(set(expected.values())) >= 5, "the story lights in several steps, not at once"
    for name, first in expected.items():
        assert lit_steps(layer, name) == list(range(first, last + 1)), name
        meta = layer["data"][index_of(layer, name)].get("meta") or {}
        if name != names.per_panel(names.ZONE_LIT, "front"):
            assert meta.get("step") == steps[first].name, name
    zone = lit_steps(layer, names.per_panel(names.ZONE_LIT, "front"))[0]
    assert zone == last and all(zone >= first for first in expected.values()), "the skin zone lights last"


def test_the_base_data_shows_the_views_own_step(tiny):
    steps = animation_steps(tiny, "pump-top-upper")
    for k in range(len(steps)):
        layer = route_layer(tiny, ViewState(route="pump-top-upper", step=k))
        for name in (names.SEGMENT_LIT, names.NEURON, names.nerve_trace("upper-nerve")):
            assert drawn(layer["data"][index_of(layer, name)]) == drawn(at_step(layer, name, k)), (name, k)


def test_a_reveal_frame_entry_carries_the_opacity_alone(tiny):
    layer = route_layer(tiny, ViewState(route="pump-top-upper"))
    i = index_of(layer, names.SEGMENT_LIT)
    for frame in layer["frames"]:
        assert frame["data"][frame["traces"].index(i)] in ({"opacity": 0}, {"opacity": 0.85}, {"opacity": 1})


def test_the_fork_and_the_somatic_phase_follow_the_referred_story(tiny):
    steps = animation_steps(tiny, "sac-fork")
    layer = route_layer(tiny, ViewState(route="sac-fork"))
    assert lit_steps(layer, names.nerve_trace("hub"))[0] == step_of(steps, "hub")
    for trace in layer["data"]:  # every nerve of the chain at the step that names it
        if trace["name"].startswith(names.NERVE_PREFIX) and "step" in (trace.get("meta") or {}):
            assert lit_steps(layer, trace["name"])[0] == step_of(steps, trace["meta"]["step"]), trace["name"]
    assert lit_steps(layer, names.SEGMENT_LIT)[0] == step_of(steps, "entry")
    referred = lit_steps(layer, names.per_panel(names.ZONE_LIT, "front"))
    assert referred[0] == step_of(steps, "projection")
    somatic = lit_steps(layer, names.per_panel(names.ZONE_SOMATIC, "front"))
    assert somatic == [len(steps) - 1], "the somatic phase's zone lights at its own last step"


@pytest.mark.parametrize("route", ["sac-posture", "sac-fever"])
def test_mechanical_and_systemic_zones_light_when_felt(tiny, route):
    steps = animation_steps(tiny, route)
    layer = route_layer(tiny, ViewState(route=route))
    felt = step_of(steps, "felt")
    view = "back" if route == "sac-posture" else "front"
    assert lit_steps(layer, names.per_panel(names.ZONE_OUTLINE, view))[0] == felt
    assert lit_steps(layer, names.per_panel(names.ZONE_LIT, view)) == [felt]


def test_with_nothing_to_play_what_is_chosen_is_lit(tiny):
    """A zone's or a segment's view has no animation: its lit segments are drawn as they are."""
    layer = route_layer(tiny, ViewState(zone="belly"))
    assert layer["frames"] == []
    assert drawn(layer["data"][index_of(layer, names.SEGMENT_LIT)])
    assert drawn(layer["data"][index_of(layer, names.per_panel(names.ZONE_OUTLINE, "front"))])


def test_layers_decide_what_is_drawn_not_when(tiny):
    """With the somatic layer off, the horn's somatic line is not drawn; the rest lights as before."""
    steps = animation_steps(tiny, "pump-top-upper")
    layers = frozenset(ViewState().layers) - {"somatic"}
    layer = route_layer(tiny, ViewState(route="pump-top-upper", layers=layers))
    assert not [t for t in layer["data"] if t.get("name") == names.HORN_SOMATIC]
    assert lit_steps(layer, names.NEURON)[0] == step_of(steps, "convergence")


def test_what_the_user_chose_is_lit_from_the_start(tiny):
    """An organ with a chosen zone or segment: the choice is outlined at the first step."""
    layer = route_layer(tiny, ViewState(organ="pump", zone="belly", step=0))
    assert layer["frames"], "the organ's story still plays"
    assert drawn(at_step(layer, names.per_panel(names.ZONE_OUTLINE, "front"), 0))
    layer = route_layer(tiny, ViewState(organ="pump", segment="T11", step=0))
    assert drawn(layer["data"][index_of(layer, names.SEGMENT_LIT)])
