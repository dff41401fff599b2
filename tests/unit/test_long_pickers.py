"""A dataset with hundreds of organs: its pickers send the organs asked for, not all of them.

At 50,000 routes (12,500 organs) the two organ pickers sent 1.85 MB with every page. Now a
picker holds at most ``PICKER_OPTIONS`` organs, and the organs whose name holds what the user
types; the organ chosen is always among them, so the picker can show its name.
"""

from __future__ import annotations

import json

import pytest
import yaml

from painmap.app import create_app, ids
from painmap.app.panels import PICKER_OPTIONS, organ_options
from painmap.loader import load

EXTRA = 2 * PICKER_OPTIONS + 5


def write_many_organs(folder) -> None:
    """The bundled dataset and 405 organs more ("Extra organ 000" ... "Extra organ 404") in ``folder``."""
    organs = [
        {
            "id": f"extra-organ-{i}",
            "label": {"en": f"Extra organ {i:03d}"},
            "ontology": "UBERON:0001255",
            "ontology_match": "broader",
            "system": "urinary",
            "colour": "#336699",
            "parts": [
                {
                    "id": f"extra-organ-{i}-wall",
                    "label": {"en": f"Wall of extra organ {i:03d}"},
                    "ontology": "UBERON:0001255",
                    "ontology_match": "broader",
                    "pain_line": "above",
                }
            ],
        }
        for i in range(EXTRA)
    ]
    (folder / "many.yaml").write_text(yaml.safe_dump({"extends": "bundled", "languages": ["en"], "organs": organs}))


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    folder = tmp_path_factory.mktemp("many-organs")
    write_many_organs(folder)
    return load(folder)


def values(options: list[dict]) -> list[str]:
    return [o["value"] for o in options]


def test_a_short_list_is_sent_whole(dataset):
    assert values(organ_options(dataset)) == [o.id for o in dataset.organs]
    assert values(organ_options(dataset, words="kid")) == [o.id for o in dataset.organs], "typing filters nothing"


def test_a_long_list_sends_a_page_and_what_is_typed(many):
    first = organ_options(many)
    assert len(first) == PICKER_OPTIONS and values(first) == [o.id for o in many.organs][:PICKER_OPTIONS]
    assert values(organ_options(many, words="  EXTRA ORGAN 404 ")) == ["extra-organ-404"]
    assert "extra-organ-404" in values(organ_options(many, chosen="extra-organ-404")), "the chosen organ is shown"
    assert values(organ_options(many, words="kidney")) == ["kidney"]
    assert organ_options(many, words="no such organ") == []
    for odd in (None, 5, ["kidney"], {"a": 1}):
        assert len(organ_options(many, lang="xx", chosen=odd, words=odd)) == PICKER_OPTIONS


def update(app, output: str, inputs: list[dict], state: list[dict], changed: str) -> dict:
    body = {
        "output": output,
        "outputs": {"id": output.split(".")[0], "property": output.split(".")[1].split("@")[0]},
        "inputs": inputs,
        "state": state,
        "changedPropIds": [changed],
    }
    reply = app.server.test_client().post("/_dash-update-component", json=body)
    assert reply.status_code == 200, reply.data[:300]
    return json.loads(reply.data)["response"]


@pytest.mark.parametrize("picker", [ids.ORGAN, ids.COMPARE])
def test_typing_in_a_long_picker_is_answered_with_the_matching_organs(many, picker):
    app = create_app(many)
    output = next(k for k in app.callback_map if k.startswith(f"{picker}.options@"))
    answer = update(
        app,
        output,
        [{"id": picker, "property": "search_value", "value": "organ 40"}],
        [
            {"id": picker, "property": "value", "value": "kidney"},
            {"id": ids.URL, "property": "search", "value": "?organ=kidney&lang=zz&sex=nonsense"},
        ],
        f"{picker}.search_value",
    )
    shown = values(answer[picker]["options"])
    assert shown == [f"extra-organ-{i}" for i in range(400, EXTRA)] + ["kidney"]


def test_the_page_sends_each_picker_one_page_of_organs(many):
    client = create_app(many).server.test_client()
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert layout.count('"value": "extra-organ-') + layout.count('"value":"extra-organ-') <= 2 * PICKER_OPTIONS


def test_a_short_list_registers_no_search(dataset):
    assert not [k for k in create_app(dataset).callback_map if ".options@" in k]
