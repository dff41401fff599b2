"""Shared test set-up: headless Debian Chromium for dash_duo, dataset paths."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from selenium.webdriver.chrome.options import Options

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLES = ROOT / "examples"


def pytest_setup_options():
    """dash_duo's Chrome options: Debian's chromium, a desktop-sized window."""
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    options.add_argument("--window-size=1280,1000")
    options.add_argument("--disable-background-networking")
    options.add_argument("--disable-component-update")
    options.add_argument("--disable-sync")
    options.add_argument("--no-first-run")
    return options


@pytest.fixture(scope="session")
def dataset():
    """The bundled dataset, loaded once (it is immutable)."""
    from painmap.loader import load

    return load(DATA)
