"""bench/minimal_app.py served as painmap serves itself (bench/load.py): ASGI through a2wsgi,
its request bodies read whole first, for uvicorn workers (``uvicorn minimal_asgi:app --factory``)."""

from __future__ import annotations

from a2wsgi import WSGIMiddleware
from minimal_app import create_app

from painmap.server import THREADS_PER_WORKER, WholeBody


def app() -> WholeBody:
    return WholeBody(WSGIMiddleware(create_app().server, workers=THREADS_PER_WORKER))  # type: ignore[arg-type]
