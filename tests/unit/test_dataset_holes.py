"""A dataset that cannot lie: every odd file in a dataset folder, and every silent merge, is
an error naming the file (and line and field), or a warning where it can be intended.

Each case here once validated as "ok" and drew something else than its files say.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from painmap.loader import DatasetError, DatasetReadError, load, load_checked
from tests.unit.tiny import TINY_YAML

OUTLINE_YAML = """
outlines:
  pump:
    - {view: abdomen, points: [[10, 10], [20, 10], [20, 20]]}
"""


def tiny_folder(folder: Path) -> Path:
    (folder / "tiny.yaml").write_text(TINY_YAML, encoding="utf-8")
    return folder


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load(path)
    return [str(p) for p in caught.value.problems]


def validate(path: Path) -> subprocess.CompletedProcess:
    """``painmap validate --data path`` as a user runs it, in its own process (a hang fails, never blocks)."""
    command = [sys.executable, "-m", "painmap.cli", "validate", "--data", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


# --------------------------------------------------------------------------- files that are not what they are named


def test_an_upper_case_suffix_is_an_error_naming_the_file_not_an_empty_organ(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "pathways.YAML").write_text("routes: []\n", encoding="utf-8")
    found = problems_of(tmp_path)
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / 'pathways.YAML'}:1:1: ")
    assert "rename it pathways.yaml" in found[0]


def test_validate_exits_non_zero_and_prints_the_path_of_an_upper_case_suffix(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "extra.Yml").write_text("routes: []\n", encoding="utf-8")
    done = validate(tmp_path)
    assert done.returncode != 0
    assert str(tmp_path / "extra.Yml") in done.stderr
    assert "ok:" not in done.stdout


def _loop_to_itself(folder: Path) -> Path:
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    return folder / "loop.yaml"


def _two_way_loop(folder: Path) -> Path:
    (folder / "a.yaml").symlink_to(folder / "b.yaml")
    (folder / "b.yaml").symlink_to(folder / "a.yaml")
    return folder / "a.yaml"


def _link_to_a_folder(folder: Path) -> Path:
    (folder / "sub").mkdir()
    (folder / "sub.yaml").symlink_to(folder / "sub")
    return folder / "sub.yaml"


def _a_folder_named_yaml(folder: Path) -> Path:
    (folder / "more.yaml").mkdir()
    return folder / "more.yaml"


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.yaml")
    return folder / "pipe.yaml"


def _dev_zero(folder: Path) -> Path:
    (folder / "zero.yaml").symlink_to("/dev/zero")
    return folder / "zero.yaml"


def _dangling_link(folder: Path) -> Path:
    (folder / "gone.yaml").symlink_to(folder / "deleted.yaml")
    return folder / "gone.yaml"


ODD_FILES = {
    "link to itself": (_loop_to_itself, "loops"),
    "two-way link loop": (_two_way_loop, "loops"),
    "link to a folder": (_link_to_a_folder, "a folder, not a file"),
    "folder named .yaml": (_a_folder_named_yaml, "a folder, not a file"),
    "FIFO": (_fifo, "named pipe"),
    "link to /dev/zero": (_dev_zero, "a device (/dev/zero)"),
    "dangling link": (_dangling_link, "does not exist"),
}


@pytest.mark.parametrize("case", list(ODD_FILES))
def test_an_odd_file_named_yaml_is_an_error_naming_it_and_never_hangs(tmp_path, case):
    make, words = ODD_FILES[case]
    odd = make(tiny_folder(tmp_path))
    done = validate(tmp_path)  # a FIFO or /dev/zero read would hang here (the timeout fails the test)
    assert done.returncode != 0, done.stdout
    lines = [line for line in done.stderr.splitlines() if line.startswith(str(odd))]
    assert lines, done.stderr
    assert words in lines[0]


@pytest.mark.parametrize("case", ["FIFO", "link to /dev/zero", "link to itself"])
def test_an_odd_file_given_as_the_dataset_is_a_read_error_naming_it(tmp_path, case):
    make, words = ODD_FILES[case]
    odd = make(tmp_path)
    with pytest.raises(DatasetReadError) as caught:
        load(odd)
    assert str(odd) in str(caught.value)
    assert words in str(caught.value)


def test_the_same_file_linked_twice_into_a_folder_is_read_once_with_a_warning(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "zz-again.yaml").symlink_to(tmp_path / "tiny.yaml")
    loaded = load_checked(tmp_path)
    assert loaded.dataset.origin == (str(tmp_path / "tiny.yaml"),)
    assert [str(w) for w in loaded.warnings] == [
        f"{tmp_path / 'zz-again.yaml'}:1:1: the same file as {tmp_path / 'tiny.yaml'}: read once"
    ]


# --------------------------------------------------------------------------- what two files would merge silently


def test_one_outline_drawn_by_two_files_is_an_error_at_the_second_file(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "geometry.yaml").write_text(OUTLINE_YAML, encoding="utf-8")
    (tmp_path / "more-geometry.yaml").write_text(OUTLINE_YAML + "# drawn again\n", encoding="utf-8")
    found = problems_of(tmp_path)
    assert found == [
        f"{tmp_path / 'more-geometry.yaml'}:3:3: outlines.pump: 'pump' is already drawn in the abdomen view by "
        f"{tmp_path / 'geometry.yaml'}:3: two files drawing one id draw it twice (a copy of a file?); keep one"
    ]


def test_an_outline_in_another_view_from_another_file_is_fine(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "geometry.yaml").write_text(OUTLINE_YAML, encoding="utf-8")
    (tmp_path / "side.yaml").write_text(OUTLINE_YAML.replace("abdomen", "front"), encoding="utf-8")
    assert [o.view for o in load(tmp_path).outlines["pump"]] == ["abdomen", "front"]


def test_a_backup_copy_is_refused_as_a_copy_and_named_as_one(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "geometry.yaml").write_text(OUTLINE_YAML, encoding="utf-8")
    shutil.copy(tmp_path / "geometry.yaml", tmp_path / "geometry (copy).yaml")
    found = problems_of(tmp_path)
    assert found == [
        f"{tmp_path / 'geometry (copy).yaml'}:1:1: named like a backup copy, with the same content as "
        f"{tmp_path / 'geometry.yaml'}: a copy is read twice (its outlines drawn twice): remove it"
    ]
    done = validate(tmp_path)
    assert done.returncode != 0
    assert f"{tmp_path / 'geometry (copy).yaml'}:1:1: named like a backup copy" in done.stderr


def test_two_files_with_one_content_are_an_error_at_the_later_one(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "a.yaml").write_text(OUTLINE_YAML, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(OUTLINE_YAML, encoding="utf-8")
    assert problems_of(tmp_path) == [
        f"{tmp_path / 'b.yaml'}:1:1: with the same content as {tmp_path / 'a.yaml'}: "
        "a copy is read twice (its outlines drawn twice): remove it"
    ]


def test_an_edited_backup_copy_is_refused_by_its_outlines_and_named_as_a_copy(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "geometry.yaml").write_text(OUTLINE_YAML, encoding="utf-8")
    (tmp_path / "Copy of geometry.yaml").write_text(OUTLINE_YAML.replace("[20, 20]", "[25, 25]"), encoding="utf-8")
    found = problems_of(tmp_path)
    assert len(found) == 1 and found[0].startswith(f"{tmp_path / 'geometry.yaml'}:3:3: outlines.pump: ")
    assert f"already drawn in the abdomen view by {tmp_path / 'Copy of geometry.yaml'}:3" in found[0]


def test_a_file_named_like_a_backup_but_different_loads_with_a_warning(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "geometry-old.yaml").write_text(OUTLINE_YAML, encoding="utf-8")
    loaded = load_checked(tmp_path)
    assert len(loaded.dataset.outlines["pump"]) == 1
    assert [w.file for w in loaded.warnings] == [str(tmp_path / "geometry-old.yaml")]
    assert "named like a backup copy" in loaded.warnings[0].message


def test_a_second_file_replacing_a_fibre_style_is_a_warning_at_its_line(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "z-restyle.yaml").write_text(
        'fibre_styles:\n  sympathetic: {label: {en: Sympathetic}, colour: "#000000", dash: dot, symbol: x}\n',
        encoding="utf-8",
    )
    loaded = load_checked(tmp_path)
    assert loaded.dataset.fibre_styles["sympathetic"].colour == "#000000"  # the later file wins, as said
    assert [str(w) for w in loaded.warnings] == [
        f"{tmp_path / 'z-restyle.yaml'}:2:3: fibre_styles.sympathetic: replaces the style of 'sympathetic' given at "
        f"{tmp_path / 'tiny.yaml'}:19 (the later file wins)"
    ]
    done = validate(tmp_path)
    assert done.returncode == 0
    assert f"{tmp_path / 'z-restyle.yaml'}:2:3: fibre_styles.sympathetic: warning: replaces the style" in done.stderr


def test_a_route_in_two_disputes_is_an_error_at_the_second(tmp_path):
    tiny_folder(tmp_path)
    (tmp_path / "z-more.yaml").write_text(
        "disputes:\n"
        "  - id: pump-base-again\n"
        "    question: {en: Again?}\n"
        "    routes: [pump-base-lower, pump-base-upper]\n",
        encoding="utf-8",
    )
    found = problems_of(tmp_path)
    assert len(found) == 2
    assert found[0].startswith(f"{tmp_path / 'z-more.yaml'}:4:14: disputes[0].routes[0]: route 'pump-base-lower' is")
    assert "already an alternative in dispute 'pump-base-levels' (" in found[0]
    assert found[1].startswith(f"{tmp_path / 'z-more.yaml'}:4:31: disputes[0].routes[1]: route 'pump-base-upper'")


# --------------------------------------------------------------------------- languages


def test_a_language_no_text_has_is_not_offered_and_is_a_warning(tmp_path):
    tiny_folder(tmp_path)
    text = (tmp_path / "tiny.yaml").read_text(encoding="utf-8").replace("languages: [en, es]", "languages: [en, es, fr]")
    (tmp_path / "tiny.yaml").write_text(text, encoding="utf-8")
    loaded = load_checked(tmp_path)
    assert loaded.dataset.languages == ("en", "es")
    assert [str(w) for w in loaded.warnings] == [
        f"{tmp_path / 'tiny.yaml'}:2:21: languages[2]: no text of the dataset has 'fr': it is not offered in the "
        "language picker (add texts in it, or remove it from 'languages')"
    ]


def test_the_language_picker_offers_only_languages_with_texts(tmp_path):
    from painmap.app import ids
    from painmap.app.layout import build_layout

    tiny_folder(tmp_path)
    text = (tmp_path / "tiny.yaml").read_text(encoding="utf-8").replace("languages: [en, es]", "languages: [en, fr, es]")
    (tmp_path / "tiny.yaml").write_text(text, encoding="utf-8")
    layout = build_layout(load(tmp_path), "en")
    pickers = [c for c in _walk(layout) if getattr(c, "id", None) == ids.LANG]
    assert [o["value"] for o in pickers[0].options] == ["en", "es"]


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _walk(child)


# --------------------------------------------------------------------------- markup in texts

LINK = '<a href="https://evil.example/">Pump</a>'
STYLED = '<span style="font-size:80px">Sac</span>'


def _texts(value, key=""):
    """Every string plotly.js draws as markup in a figure dict, with its key."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in ("meta", "customdata", "x", "y"):
                yield from _texts(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v, key)
    elif isinstance(value, str) and key in ("text", "hovertext", "hovertemplate", "name", "label"):
        yield value


def _marked_up_dataset(tmp_path):
    text = (
        TINY_YAML.replace("label: {en: Pump, es: Bomba}", f"label: {{en: '{LINK}', es: Bomba}}")
        .replace("label: {en: Sac, es: Saco}", f"label: {{en: '{STYLED}', es: Saco}}")
        .replace("title: A tiny anatomy book", "title: A tiny <a href='https://evil.example/'>book</a>")
    )
    (tmp_path / "tiny.yaml").write_text(text, encoding="utf-8")
    return load(tmp_path)


@pytest.mark.parametrize(
    "view",
    [{"organ": "pump"}, {"organ": "sac"}, {"route": "pump-base-upper"}, {"zone": "belly"}, {"compare": "sac", "organ": "pump"}],
)
def test_html_in_a_dataset_text_is_drawn_as_written_never_as_a_link(tmp_path, view):
    from painmap import figures
    from painmap.viewstate import ViewState

    ds = _marked_up_dataset(tmp_path)
    figure = figures.figure_dict(ds, ViewState(**view))
    texts = list(_texts(figure))
    assert not [t for t in texts if "<a " in t or "<span" in t or "</a>" in t]
    shown = "\n".join(texts)
    assert "&lt;a href=&quot;" in shown or "&lt;a href=\"" in shown  # the label is there, as text
    assert "<b>" in shown and "<br>" in shown  # painmap's own markup still works


def test_the_side_panels_and_the_figure_show_the_same_words(tmp_path):
    """The figure escapes what the panels (Dash) escape: both show the label as written."""
    from painmap.figures.canvas import figure_markup

    assert figure_markup(LINK) == "&lt;a href=\"https://evil.example/\"&gt;Pump&lt;/a&gt;"
    assert figure_markup("<b>Pump</b> & <i>sac</i><br>x < y") == "<b>Pump</b> &amp; <i>sac</i><br>x &lt; y"
    assert figure_markup("&lt;b&gt;") == "&amp;lt;b&amp;gt;"  # an entity typed in a label shows as typed


# --------------------------------------------------------------------------- long answers at scale


def _crowded_folder(folder: Path, organs: int) -> Path:
    """The tiny dataset plus ``organs`` organs, each with one route felt in the belly (T10-T12),
    and a red flag for the last organ (listed far past the cap)."""
    tiny_folder(folder)
    lines = ["organs:"]
    for n in range(organs):
        lines += [
            f"  - {{id: organ-{n}, label: {{en: Organ {n}}}, ontology: 'UBERON:0000948', system: crowd, colour: teal,",
            f"     parts: [{{id: organ-{n}-part, label: {{en: Part of organ {n}}}, ontology: 'UBERON:0000948'}}]}}",
        ]
    lines.append("routes:")
    for n in range(organs):
        lines += [
            f"  - {{id: route-{n}, organ: organ-{n}, part: organ-{n}-part, kind: segmental, chain: [upper-nerve],",
            f"     segments: T10-T11, laminae: [one], zones: [belly], sources: [book]}}",
        ]
    lines += [
        "red_flags:",
        f"  - {{id: last-organ-flag, label: {{en: Last organ bleeds}}, text: {{en: Go now.}}, urgency: emergency,",
        f"     organs: [organ-{organs - 1}], sources: [book]}}",
    ]
    (folder / "crowd.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _strings(component) -> list[str]:
    if isinstance(component, str):
        return [component]
    if isinstance(component, list | tuple):
        return [s for c in component for s in _strings(c)]
    children = getattr(component, "children", None)
    return _strings(children) if children is not None else []


def test_a_zone_with_many_routes_lists_the_first_ones_says_how_many_more_and_keeps_every_red_flag(tmp_path):
    from painmap.app import panels
    from painmap.app.page import page

    ds = load(_crowded_folder(tmp_path, panels.ROUTES_LISTED + 25))
    answer = page(ds, ViewState_from("?zone=belly"))
    words = _strings(answer["summary"])
    listed = [w for w in words if w.startswith("Organ ")]
    assert len(listed) == panels.ROUTES_LISTED
    more = 25 + 2  # crowd.yaml comes first (name order); the tiny dataset's two belly routes are among the rest
    assert any(f"and {more} more routes" in w for w in words), words[-3:]
    assert "Last organ bleeds: " in _strings(answer["red_flags"])  # its organ is not listed; its red flag is


def test_a_segment_with_many_routes_is_capped_too(tmp_path):
    from painmap.app import panels

    ds = load(_crowded_folder(tmp_path, panels.ROUTES_LISTED + 5))
    words = _strings(panels.segment_summary(ds, "T10", "en"))
    assert len([w for w in words if w.startswith("Organ ")]) == panels.ROUTES_LISTED
    assert any("more routes" in w for w in words)


def test_the_reverse_indexes_answer_as_a_scan_of_every_route_does(tmp_path):
    from painmap import query

    ds = load(_crowded_folder(tmp_path, 30))
    for zone in ds.zone:
        scan = [r for r in ds.routes if zone in r.zones or (r.somatic_phase and zone in r.somatic_phase.zones)]
        assert query.routes_for_zone(ds, zone) == scan
    for segment in ds.segment:
        scan = [
            r for r in ds.routes if segment in (r.segments or ()) or (r.somatic_phase and segment in r.somatic_phase.segments)
        ]
        assert query.routes_for_segment(ds, segment) == scan
        inputs = [[s.id for s in query.somatic_inputs_for_route(ds, r)] for r in scan]
        assert inputs == [
            [s.id for s in ds.somatic_inputs if set(r.segments or ()) & set(s.segments) and set(r.laminae) & set(s.laminae)]
            if r.kind == "segmental"
            else []
            for r in scan
        ]
    assert query.routes_for_organ(ds, "organ-7") == [ds.route["route-7"]]


def ViewState_from(search: str):
    from painmap.viewstate import ViewState

    return ViewState.from_query(search)
