"""The Dash app: ``create_app()`` builds a fresh app (no global state, callbacks inside)."""

from painmap.app.factory import create_app

__all__ = ["create_app"]
