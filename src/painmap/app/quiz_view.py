"""Quiz mode (?mode=quiz): questions from :mod:`painmap.quiz`, answered and scored in the page."""

from __future__ import annotations

import dash

from painmap.model import Dataset
from painmap.viewstate import ViewState


def quiz_panel(ds: Dataset, state: ViewState) -> list:
    """The quiz panel's children for ``state`` (quiz mode): not written yet."""
    return []


def register_quiz_callbacks(app: dash.Dash, ds: Dataset) -> None:
    """The quiz's own callbacks (checking answers, keeping the score): none yet."""
