"""Exports checked as files: PNG, SVG, PDF (the one-page handout) and HTML, the command's
arguments, atomic writes and the lesson package.

The PNG, SVG and PDF tests draw through one headless Chromium for the module (kaleido and
the system Chromium, as `painmap export` does).
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

import pytest

from painmap import export, lesson
from painmap.cli import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, main
from painmap.loader import load

BASE = "https://example.org/painmap/"


@pytest.fixture(scope="module")
def ds():
    return load(None)


@pytest.fixture(scope="module")
def renderer():
    """One warm browser for every image of this module."""
    with export.Renderer() as warm:
        yield warm


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def pdf_info(pdf: bytes, key: str) -> str:
    """A document-information string (UTF-16 hex, as painmap writes it) of the last Info."""
    found = re.findall(rb"/" + key.encode() + rb" <FEFF([0-9A-F]*)>", pdf)
    return bytes.fromhex(found[-1].decode()).decode("utf-16-be") if found else ""


# --------------------------------------------------------------------------- the view


def test_view_defaults_to_the_last_step_where_the_zone_is_lit(ds):
    state = export.view_from(ds, organ="kidney")
    assert state.organ == "kidney"
    assert state.step == 7  # 8 steps: the projection onto the skin
    assert "Pain is felt in the skin zone: Flank and loin" in export.describe(ds, state)
    early = export.view_from(ds, "organ=kidney&step=1")
    assert early.step == 1
    assert "Pain is felt" not in export.describe(ds, early)
    assert "Step 2 of 8" in export.describe(ds, early)


def test_query_and_fields_name_the_same_view(ds):
    by_query = export.view_from(ds, "story=period-pain&sex=female&side=left&step=3")
    by_fields = export.view_from(ds, story="period-pain", sex="female", side="left", step=3)
    assert by_query == by_fields
    assert by_query.organ == "uterus" and by_query.sex == "female"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--organ", "kidny"], "--organ: unknown organ 'kidny' (closest: kidney)"),
        (["--story", "period"], "--story: unknown story 'period' (closest: period-pain)"),
        (["--route", "kidney-splanchnc"], "(closest: kidney-splanchnic"),
        (["--zone", "flnk"], "(closest: flank)"),
        (["--segment", "T99"], "--segment: unknown segment 'T99'"),
        (["--query", "organ=kidney&stp=3"], "--query: unknown key 'stp' (closest: step"),
        (["--organ", "kidney", "--layers", "somatc"], "--layers: unknown layer 'somatc' (closest: somatic"),
        (["--organ", "kidney", "--step", "two"], "--step: 'two' is not a whole number"),
        (["--organ", "kidney", "--side", "lft"], "(closest: left)"),
        (["--sex", "male", "--organ", "uterus"], "--organ: 'uterus' is not in the male anatomy"),
        (["--organ", "kidney", "--format", "jpg"], "--format: unknown format 'jpg'"),
        (["--organ", "kidney", "--lang", "xx"], "--lang: unknown language 'xx'"),
        (["--all", "--organ", "kidney"], "--all exports every view: drop --organ"),
    ],
)
def test_bad_arguments_say_what_is_wrong_with_the_closest_ids(capsys, tmp_path, argv, words):
    out = tmp_path / "view.png"
    code, _, err = run(capsys, "export", *argv, "--out", str(out))
    assert code == EXIT_INVALID
    assert words in err
    assert "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_out_file_of_no_known_kind_or_in_a_missing_folder_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "export", "--organ", "kidney", "--out", str(tmp_path / "view.jpeg"))
    assert code == EXIT_INVALID and "give --format" in err
    code, _, err = run(capsys, "export", "--organ", "kidney", "--out", str(tmp_path / "missing" / "view.png"))
    assert code == EXIT_UNREADABLE and "does not exist" in err


# --------------------------------------------------------------------------- files


def test_png_is_a_picture_at_twice_the_width_with_its_description(ds, renderer):
    state = export.view_from(ds, organ="kidney")
    png = export.export_view(ds, state, "png", renderer)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert width == export.STATIC_WIDTH * export.PNG_SCALE and height > 600
    assert len(png) > 100_000  # a drawn figure, not an empty canvas
    words = export.png_text(png)
    assert words["Title"] == "painmap: Kidney and ureter"
    assert "Pain is felt in the skin zone: Flank and loin" in words["Description"]
    assert "Renal plexus" in words["Description"]


def test_svg_parses_names_itself_and_has_no_player(ds, renderer):
    state = export.view_from(ds, story="kidney-infection")
    svg = export.export_view(ds, state, "svg", renderer).decode("utf-8")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.find(f"{ns}title").text == "painmap: A kidney infection and pain in the side"
    assert "Flank and loin" in root.find(f"{ns}desc").text
    assert root.get("role") == "img"
    # plotly draws a slider as g.slider-container and buttons as g.updatemenu-button
    assert "slider-container" not in svg and "updatemenu-button" not in svg
    assert ">Play<" not in svg and ">Pause<" not in svg
    # the caption of the last step is drawn
    assert "The brain projects it onto the skin" in svg


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_story_handout_prints_on_exactly_one_page(ds, renderer, paper):
    views = [export.view_from(ds, story=story.id) for story in ds.stories]
    views += [export.view_from(ds, organ="bladder"), export.view_from(ds, zone="low-back")]
    for state in views:
        pdf = export.export_view(ds, state, "pdf", renderer, base_url=BASE, paper=paper)
        assert pdf.startswith(b"%PDF-")
        assert export.pdf_pages(pdf) == 1, f"{state.to_query()} on {paper}"
        assert pdf_info(pdf, "Title") == export.view_title(ds, state)
        assert pdf_info(pdf, "Subject") == export.describe(ds, state)


def test_a_handout_that_is_too_long_still_prints_on_one_page(ds, renderer):
    """A teacher's story can be longer than the bundled ones: the sheet zooms out to fit."""
    from painmap import handout

    state = export.view_from(ds, story="kidney-infection")
    page = handout.handout_html(ds, state, export.handout_figure(ds, state, renderer), BASE)
    longer = page.replace("</ol>", "".join(f"<li>Another long step of the story, number {i}.</li>" for i in range(25)) + "</ol>", 1)
    assert export.pdf_pages(renderer.print_pdf(longer, "letter")) == 1
    unfitted = re.sub(r"<script>.*?</script>", "", longer, flags=re.S)
    assert export.pdf_pages(renderer.print_pdf(unfitted, "letter")) > 1  # the zoom is what keeps it on one


def test_the_handouts_figure_is_in_plain_words_and_large_type(ds, renderer):
    """A patient takes the handout home: its picture speaks as patient mode does."""
    state = export.view_from(ds, story="period-pain")
    svg = export.handout_figure(ds, state, renderer)
    drawn = " ".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S))
    assert "womb" in drawn and "lamina" not in drawn.lower() and "afferent" not in drawn.lower()
    sizes = [float(size) for size in re.findall(r"font-size:\s*([0-9.]+)px", svg)]
    assert sizes and min(sizes) >= 16


def test_the_handout_tells_the_story_lists_its_red_flags_and_links_back(ds, renderer):
    from painmap import handout

    state = export.view_from(ds, story="period-pain")
    page = handout.handout_html(ds, state, "<svg width=\"10\" height=\"5\"></svg>", BASE)
    first_step = ds.story["period-pain"].steps[0].text["en"]
    assert first_step in page
    flags = [f for f in ds.red_flags if f.id in ds.story["period-pain"].red_flags]
    assert flags and all(f.label["en"] in page for f in flags)
    assert "See a doctor now if..." in page
    link = BASE + state.to_query()
    assert f'href="{link.replace("&", "&amp;")}"' in page
    assert 'class="segno"' in page  # the QR code, inline
    assert "@page" in page and 'viewBox="0 0 10 5"' in page


def test_html_is_one_file_that_animates_offline(ds):
    state = export.view_from(ds, story="kidney-infection")
    page = export.export_view(ds, state, "html").decode("utf-8")
    assert "plotly.js v" in page  # plotly.js inline
    assert not re.search(r'<script[^>]+src="http', page)
    frames = re.search(r'<script type="application/json" id="painmap-figure-data">(.*?)</script>', page, re.S)
    assert frames is not None
    import json

    figure = json.loads(frames.group(1))
    assert len(figure["frames"]) == 8
    assert figure["layout"]["sliders"] and figure["layout"]["updatemenus"]
    assert 'aria-label="painmap: A kidney infection and pain in the side.' in page
    assert 'id="painmap-description"' in page and "Pain is felt in the skin zone" in page
    assert "Fever with flank pain" in page  # a red flag
    assert "Sources" in page


# --------------------------------------------------------------------------- writing


def test_the_command_writes_the_file_its_suffix_names(capsys, tmp_path):
    out = tmp_path / "kidney.html"
    code, _, err = run(capsys, "export", "--query", "organ=kidney&step=2", "--out", str(out))
    assert code == EXIT_OK, err
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["kidney.html"]


def test_an_interrupted_write_leaves_no_file(ds, tmp_path, monkeypatch):
    out = tmp_path / "view.html"

    class Interrupted(BaseException):
        pass

    def fail(*args):
        raise Interrupted()

    monkeypatch.setattr(export.os, "replace", fail)
    with pytest.raises(Interrupted):
        export.write_atomically(out, b"x" * 1_000_000)
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_batch_keeps_only_whole_files(ds, tmp_path, monkeypatch):
    made = []
    real = export.export_view

    def export_some(ds, view, fmt, renderer=None, base_url=""):
        if len(made) == 2:
            raise KeyboardInterrupt
        made.append(view)
        return real(ds, view, fmt, renderer, base_url)

    monkeypatch.setattr(export, "export_view", export_some)
    with pytest.raises(KeyboardInterrupt):
        export.export_all(ds, tmp_path, ["html"], renderer=None)  # type: ignore[arg-type]
    files = sorted(tmp_path.iterdir())
    assert [p.name for p in files] == sorted(f"{export.file_stem(v)}.html" for v in made)
    assert all(p.read_text(encoding="utf-8").rstrip().endswith("</html>") for p in files)


def test_all_exports_every_organ_route_and_story_with_progress(capsys, tmp_path, ds):
    out = tmp_path / "all"
    code, _, err = run(capsys, "export", "--all", "--format", "html", "--out", str(out))
    assert code == EXIT_OK, err
    total = len(ds.organs) + len(ds.routes) + len(ds.stories)
    assert len(list(out.glob("*.html"))) == total
    lines = [line for line in err.splitlines() if re.match(r"\d+/\d+ ", line)]
    assert len(lines) == total and lines[-1].startswith(f"{total}/{total} ")


# --------------------------------------------------------------------------- lesson


def test_the_lesson_package_is_static_relative_and_shares_plotly_once(tmp_path, ds, capsys):
    folder = tmp_path / "lesson"
    code, _, err = run(capsys, "export", "--lesson", str(folder), "--base-url", BASE)
    assert code == EXIT_OK, err
    names = {p.name for p in folder.iterdir()}
    assert {"index.html", "quiz.html", lesson.PLOTLY_FILE} <= names
    assert {f"story-{s.id}.html" for s in ds.stories} <= names
    index = (folder / "index.html").read_text(encoding="utf-8")
    for story in ds.stories:
        assert f'href="story-{story.id}.html"' in index
    assert 'href="quiz.html"' in index
    for page in folder.glob("*.html"):
        body = page.read_text(encoding="utf-8")
        assert "plotly.js v" not in body, f"{page.name} inlines plotly.js"
        for link in re.findall(r'(?:src|href)="([^"]+)"', body):
            if not link.startswith(("http://", "https://")):
                assert (folder / link).is_file(), f"{page.name} links to {link}"
        assert not re.search(r'<script[^>]+src="http', body)
    story = (folder / "story-period-pain.html").read_text(encoding="utf-8")
    assert '<script src="plotly.min.js"></script>' in story and 'class="segno"' in story
    quiz = (folder / "quiz.html").read_text(encoding="utf-8")
    assert quiz.count("<details>") == quiz.count('class="question"') >= 5
    assert (folder / lesson.PLOTLY_FILE).read_text(encoding="utf-8").startswith("/**\n* plotly.js v")


# --------------------------------------------------------------------------- alt text helpers


def test_png_text_round_trips_unicode():
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + b"\x00" * 13 + b"\x00\x00\x00\x00"
    tagged = export.png_with_text(png, {"Description": "Dolor lumbar: riñón \u2192 flanco"})
    assert export.png_text(tagged) == {"Description": "Dolor lumbar: riñón \u2192 flanco"}


def test_files_are_readable_like_any_new_file(tmp_path):
    """A web server serves a lesson's files: not the private mode of a temporary file."""
    import os

    path = tmp_path / "page.html"
    old = os.umask(0o022)
    try:
        export.write_atomically(path, b"<!DOCTYPE html>")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


# --------------------------------------------------------------------------- the app's downloads


@pytest.fixture(scope="module")
def client(ds):
    from painmap.app import create_app

    app = create_app(ds)
    return app.server.test_client()


def test_the_download_menu_follows_the_view(ds):
    from painmap.app.page import page
    from painmap.viewstate import ViewState

    state = ViewState(story="kidney-infection", step=3).canonical(ds)
    items = page(ds, state)["download_links"]
    hrefs = [item.children.href for item in items]
    assert hrefs[:4] == [f"download{state.to_query()}&format={fmt}" for fmt in ("png", "svg", "pdf", "html")]
    assert hrefs[4] == f"handout{state.to_query()}"
    assert "step=3" in hrefs[0] and "story=kidney-infection" in hrefs[0]


def test_download_answers_a_file_to_save(client):
    answer = client.get("/download?organ=kidney&step=2&format=html")
    assert answer.status_code == 200
    assert answer.mimetype == "text/html"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="painmap-kidney.html"'
    body = answer.get_data(as_text=True)
    assert "plotly.js v" in body and "Step 3 of 8" in body
    assert 'href="http://localhost/?organ=kidney&amp;step=2"' in body  # reopens the view in this app


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("organ=kidny&format=png", "organ: unknown organ &#x27;kidny&#x27; (closest: kidney)"),
        ("organ=kidney&format=jpg", "format: give one of png, svg, pdf, html, not &#x27;jpg&#x27;"),
        ("organ=kidney", "format: give one of png, svg, pdf, html"),
        ("organ=kidney&format=pdf&paper=a5", "paper: give a4 or letter, not &#x27;a5&#x27;"),
        ("organ=kidney&step=%C2%B2&format=png", "step: &#x27;²&#x27; is not a whole number"),
        ("%ff%fe=%00&format=svg", "unknown key"),
        ("story=" + "x" * 5000 + "&format=pdf", "unknown story"),
    ],
)
def test_a_bad_download_is_a_clear_400_page(client, query, words):
    answer = client.get("/download?" + query)
    assert answer.status_code == 400
    assert words in answer.get_data(as_text=True)


def test_the_handout_page_has_a_print_button_and_its_print_css(client):
    answer = client.get("/handout?story=period-pain")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert 'onclick="window.print()">Print</button>' in page and "@page" in page and "@media print" in page
    assert "http://localhost/?organ=uterus" in page  # the QR's link: this app's own address
    assert client.get("/handout?organ=spleen").status_code == 400


def test_the_progress_is_a_redrawn_bar_on_a_terminal_and_lines_elsewhere():
    import io

    from painmap.cli import _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen, log = Terminal(), io.StringIO()
    for done in (1, 2, 4):
        _progress(screen)(done, 4, f"file-{done}.png")
        _progress(log)(done, 4, f"file-{done}.png")
    assert log.getvalue().splitlines() == ["1/4 file-1.png", "2/4 file-2.png", "4/4 file-4.png"]
    shown = screen.getvalue()
    assert shown.count("\r") == 3 and shown.endswith("\n") and shown.count("\n") == 1
    assert "[" + "#" * 30 + "] 4/4 file-4.png" in shown


def test_a_wrong_browser_path_is_named_and_nothing_is_written(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    out = tmp_path / "kidney.png"
    code, _, err = run(capsys, "export", "--organ", "kidney", "--out", str(out))
    assert code == EXIT_UNREADABLE
    assert f"BROWSER_PATH={tmp_path / 'no-chromium'} is not a program" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
