""""How to cite this figure": painmap's version, the dataset's version and licence, the link that
reopens the view, and the sources of what is on screen. Pure, apart from reading the dataset's
own files once to fingerprint them (a teacher's edited dataset cites as a different version)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from dash import html

from painmap import __version__
from painmap.i18n import translator
from painmap.model import Dataset

#: The licence painmap and its bundled dataset are published under (pyproject.toml), and the
#: licence of the SCKAN connectivity records some routes are imported from.
LICENCE = "MIT"
SCKAN_LICENCE = "CC BY 4.0"


@lru_cache(maxsize=8)
def _fingerprint(origin: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name in origin:
        digest.update(Path(name).name.encode())
        try:
            digest.update(Path(name).read_bytes())
        except OSError:
            digest.update(b"?")  # a file gone since loading: still a version, never an error
    return digest.hexdigest()[:10]


def dataset_version(ds: Dataset) -> str:
    """A short fingerprint of the files the dataset was read from: the same files, the same version."""
    return _fingerprint(tuple(ds.origin)) if ds.origin else "in-memory"


def short_source(ds: Dataset, source_id: str) -> str:
    """'Woolf 2011' for a source id (its first author or issuing body, and its year)."""
    source = ds.source.get(source_id)
    if source is None:
        return source_id
    who = (source.authors or source.title).split(",")[0].split(";")[0].strip()
    who = who.split(" ")[0] if source.authors and len(who.split(" ")) > 1 and who.split(" ")[-1].isupper() else who
    return f"{who} {source.year}" if source.year else who


def citation(ds: Dataset, link: str, source_ids: Sequence[str], lang: str = "en") -> list:
    """The share panel's "How to cite this figure" block for the view at ``link`` (no date of
    access: the page is cached across days, so the reader adds the day they saw it)."""
    _ = translator(lang)
    cited = ", ".join(short_source(ds, s) for s in source_ids if s in ds.source)
    words = _("painmap {version}, dataset {dataset} ({licence}). View: {link} (accessed: the day you saw it).").format(
        version=__version__, dataset=dataset_version(ds), licence=LICENCE, link=link
    )
    rows: list = [html.H4(_("How to cite this figure")), html.P(words, className="citation")]
    if cited:
        rows.append(html.P(_("Sources of this view: {sources}.").format(sources=cited), className="citation-sources"))
    rows.append(
        html.P(
            _("Connectivity records imported from SCKAN are {licence}: credit NIH SPARC.").format(licence=SCKAN_LICENCE),
            className="hint",
        )
    )
    return rows
