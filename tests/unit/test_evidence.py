"""`validate --strict`: sources a reader can find, strong routes on more than weak or lay sources.

Each rule is tried on a small standalone dataset (tests/unit/tiny.py), broken and then fixed;
the bundled dataset and every example dataset must pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from painmap import evidence
from painmap.cli import EXIT_INVALID, EXIT_OK, main
from painmap.loader import load

from tests.unit.tiny import TINY_YAML

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<field>[\w.\[\]-]+): (?P<message>.+)$")

BOOK = "  - {id: book, title: A tiny anatomy book, authors: Author A, year: 2001, isbn: 978-0-00-000000-2, evidence: strong}"
RUMOUR = '  - {id: rumour, title: A weak rumour, year: 2002, url: "https://example.org/rumour", evidence: weak}'
STRONG_ROUTE_SOURCES = "    sources: [book]\n    evidence: strong"


def tiny(tmp_path: Path, *replacements: tuple[str, str]):
    """The tiny dataset with ``(old, new)`` text replacements, loaded (each old text must be there)."""
    text = TINY_YAML
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def findings(ds) -> set[tuple[str, str, str]]:
    return {(f.section, f.entry, f.field) for f in evidence.strict_findings(ds)}


def source_findings(ds) -> set[tuple[str, str, str]]:
    """Only the untraceable-source findings (a lay 'book' also leaves its strong route on lay support)."""
    return {(f.section, f.entry, f.field) for f in evidence.untraceable_sources(ds)}


def with_book(**fields: str) -> tuple[str, str]:
    """Replace the tiny dataset's 'book' source with one written from ``fields``."""
    body = ", ".join(f"{k}: {v}" for k, v in {"id": "book", "title": "A tiny anatomy book", **fields}.items())
    return BOOK, "  - {" + body + "}"


def test_the_tiny_dataset_passes(tmp_path):
    assert findings(tiny(tmp_path)) == set()


# --------------------------------------------------------------------------- untraceable sources


@pytest.mark.parametrize("locator", ["isbn: 978-0-00-000000-2", "doi: 10.1000/book", "pmid: '123'", 'url: "https://example.org/b"'])
def test_a_source_needs_a_doi_pmid_isbn_or_url(tmp_path, locator):
    assert ("sources", "book", "") in findings(tiny(tmp_path, with_book(year="2001")))
    assert findings(tiny(tmp_path, with_book(year="2001", **dict([locator.split(": ", 1)])))) == set()


def test_a_source_needs_a_year(tmp_path):
    assert findings(tiny(tmp_path, with_book(isbn="978-0-00-000000-2"))) == {("sources", "book", "year")}
    assert findings(tiny(tmp_path, with_book(isbn="978-0-00-000000-2", year="2001"))) == set()


@pytest.mark.parametrize("kind", ["web", "lay", "guideline"])
def test_a_web_lay_or_guideline_page_needs_the_date_it_was_accessed(tmp_path, kind):
    page = dict(year="2020", kind=kind, url='"https://example.org/page"')
    assert source_findings(tiny(tmp_path, with_book(**page))) == {("sources", "book", "accessed")}
    assert source_findings(tiny(tmp_path, with_book(**page, accessed='"2026-12-01"'))) == set()


def test_an_article_with_a_url_needs_no_access_date(tmp_path):
    assert findings(tiny(tmp_path, with_book(year="2020", kind="article", url='"https://example.org/a"'))) == set()


@pytest.mark.parametrize("kind", ["web", "lay"])
def test_an_undated_web_or_lay_page_gives_its_access_date_instead_of_a_year(tmp_path, kind):
    page = dict(kind=kind, url='"https://example.org/page"')
    assert ("sources", "book", "year") in source_findings(tiny(tmp_path, with_book(**page)))
    assert source_findings(tiny(tmp_path, with_book(**page, accessed='"2026-12-01"'))) == set()


def test_an_undated_guideline_or_article_still_needs_a_year(tmp_path):
    for kind in ("guideline", "article"):
        page = dict(kind=kind, url='"https://example.org/page"', accessed='"2026-12-01"')
        assert findings(tiny(tmp_path, with_book(**page))) == {("sources", "book", "year")}


def test_an_unverified_source_fails(tmp_path):
    book = dict(year="2001", isbn="978-0-00-000000-2")
    assert findings(tiny(tmp_path, with_book(**book, verified="false"))) == {("sources", "book", "verified")}
    assert findings(tiny(tmp_path, with_book(**book, verified="true"))) == set()


# --------------------------------------------------------------------------- strong routes


def test_a_strong_route_whose_only_sources_are_weak_fails(tmp_path):
    weak_only = (STRONG_ROUTE_SOURCES, "    sources: [rumour]\n    evidence: strong")
    assert findings(tiny(tmp_path, weak_only)) == {("routes", "pump-top-upper", "evidence")}
    with_strong = (STRONG_ROUTE_SOURCES, "    sources: [rumour, book]\n    evidence: strong")
    assert findings(tiny(tmp_path, with_strong)) == set()
    graded_down = (STRONG_ROUTE_SOURCES, "    sources: [rumour]\n    evidence: moderate")
    assert findings(tiny(tmp_path, graded_down)) == set()


def test_a_lay_source_is_weak_support_whatever_its_grade(tmp_path):
    lay = (RUMOUR, '  - {id: rumour, title: A blog, year: 2002, kind: lay, url: "https://example.org/b", accessed: "2026-12-01", evidence: strong}')
    only_lay = (STRONG_ROUTE_SOURCES, "    sources: [rumour]\n    evidence: strong")
    assert findings(tiny(tmp_path, lay, only_lay)) == {("routes", "pump-top-upper", "evidence")}
    assert findings(tiny(tmp_path, lay)) == set()
    assert "rumour (lay)" in str(evidence.strict_findings(tiny(tmp_path, lay, only_lay))[0])


# --------------------------------------------------------------------------- where, and the command


def test_each_problem_is_placed_on_the_line_of_its_entry(tmp_path):
    ds = tiny(tmp_path, with_book(year="2001", isbn="978-0-00-000000-2", verified="false"))
    (problem,) = evidence.strict_problems(ds)
    lines = (tmp_path / "tiny.yaml").read_text(encoding="utf-8").splitlines()
    assert problem.file.endswith("tiny.yaml")
    assert "verified: false" in lines[problem.line - 1] and problem.field == "sources[0].verified"
    assert "'book'" in problem.message
    (missing,) = evidence.strict_problems(tiny(tmp_path, with_book(isbn="978-0-00-000000-2")))
    assert missing.field == "sources[0].year"
    assert "id: book" in lines[missing.line - 1]


def test_validate_strict_exits_1_with_one_line_per_problem(tmp_path, capsys):
    tiny(tmp_path, with_book(year="2001"), (STRONG_ROUTE_SOURCES, "    sources: [rumour]\n    evidence: strong"))
    code = main(["validate", "--strict", "--data", str(tmp_path / "tiny.yaml")])
    out, err = capsys.readouterr()
    assert code == EXIT_INVALID and out == ""
    lines = err.splitlines()
    assert lines[-1].startswith("2 problem(s) found")
    matched = [PROBLEM_LINE.match(line) for line in lines[:-1]]
    assert all(matched) and len(matched) == 2
    assert {m["field"] for m in matched if m} == {"sources[0]", "routes[0].evidence"}


def test_validate_without_strict_warns_and_keeps_its_exit_code(tmp_path, capsys):
    tiny(tmp_path, with_book(year="2001"))
    code = main(["validate", "--data", str(tmp_path / "tiny.yaml")])
    out, err = capsys.readouterr()
    assert code == EXIT_OK and out.startswith("ok: ")
    assert "warning: 'book': untraceable" in err
    assert err.splitlines()[-1].startswith("1 warning(s)")


def test_a_clean_dataset_validates_strictly_without_a_word_on_stderr(tmp_path, capsys):
    tiny(tmp_path)
    assert main(["validate", "--strict", "--data", str(tmp_path / "tiny.yaml")]) == EXIT_OK
    out, err = capsys.readouterr()
    assert out.startswith("ok: ") and err == ""


# --------------------------------------------------------------------------- the shipped data


def example_datasets(tmp_path: Path) -> list[Path]:
    """Every dataset under examples/: folders of YAML, and SCKAN extracts imported both ways."""
    found = []
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        if any(folder.glob("*.yaml")):
            found.append(folder)
        for extract in sorted(folder.glob("*.json")):
            for species in ("Homo sapiens", "all"):
                out = tmp_path / f"{extract.stem}-{species.split()[0].lower()}.yaml"
                assert main(["import-sckan", str(extract), "-o", str(out), "--species", species]) == EXIT_OK
                found.append(out)
    return found


def test_the_bundled_dataset_passes_validate_strict(capsys):
    assert main(["validate", "--strict"]) == EXIT_OK, capsys.readouterr().err
    assert evidence.strict_findings(load()) == []


def test_every_example_dataset_passes_validate_strict(tmp_path, capsys):
    datasets = example_datasets(tmp_path)
    assert {p.name for p in datasets} >= {"heart", "sckan-pelvic-2025-11-10-homo.yaml", "sckan-pelvic-2025-11-10-all.yaml"}
    for path in datasets:
        capsys.readouterr()
        assert main(["validate", "--strict", "--data", str(path)]) == EXIT_OK, (path, capsys.readouterr().err)


def test_no_bundled_route_rests_on_a_rodent_record_alone():
    ds = load()
    for route in ds.routes:
        cited = [ds.source[s] for s in route.sources]
        if route.species.label == "Homo sapiens" and any(s.id == "sckan-sdcol-c" for s in cited):
            assert len(cited) > 1, f"{route.id}: sdcol-c is rodent T13-L5, not human levels"


def test_bundled_every_organ_has_its_own_red_flags_with_an_emergency_among_them():
    """A clinician explaining any organ on screen has that organ's red flags, each sourced."""
    from painmap.loader import load

    ds = load()
    for organ in ds.organs:
        flags = [f for f in ds.red_flags if organ.id in f.organs]
        assert flags, f"{organ.id} has no red flag of its own"
        assert any(f.urgency == "emergency" for f in flags), f"{organ.id}: no emergency named"
        assert all(f.sources for f in flags)
