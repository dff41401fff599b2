"""What the user is looking at, as one immutable value that round-trips through a URL.

Figures are built from ``(Dataset, ViewState)``; the app keeps a ViewState in the URL's
query string so that a link or an iframe embed reopens exactly the same view.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from urllib.parse import parse_qs, urlencode

#: Layers a user can switch on and off.
LAYERS: tuple[str, ...] = ("sympathetic", "parasympathetic", "somatic", "labels", "dermatomes")
DEFAULT_LAYERS: frozenset[str] = frozenset(LAYERS)
ANATOMY_VIEWS: tuple[str, ...] = ("front", "side")
SPEEDS: tuple[float, ...] = (0.5, 1.0, 2.0)


@dataclass(frozen=True)
class ViewState:
    """Everything that decides what the figure shows. Empty strings mean 'nothing chosen'."""

    organ: str = ""
    part: str = ""
    route: str = ""
    zone: str = ""
    segment: str = ""
    compare: str = ""  # a second organ: its shared segments are highlighted
    layers: frozenset[str] = field(default_factory=lambda: DEFAULT_LAYERS)
    step: int = 0  # animation step shown when paused
    speed: float = 1.0
    anatomy: str = "front"
    lang: str = "en"
    embed: bool = False  # figure only, for iframes

    def with_(self, **changes: object) -> ViewState:
        """A copy with ``changes`` (a frozen dataclass cannot be edited in place)."""
        return replace(self, **changes)

    def key(self) -> tuple:
        """A hashable key for caches of figures built from this state."""
        return tuple(sorted(self.layers)), *(v for k, v in asdict(self).items() if k != "layers")

    # ------------------------------------------------------------------ URL

    def to_query(self) -> str:
        """'?organ=bladder&route=...' with only what differs from the default."""
        default = ViewState()
        params: dict[str, str] = {}
        for name, value in asdict(self).items():
            if value == getattr(default, name):
                continue
            if name == "layers":
                params[name] = ",".join(layer for layer in LAYERS if layer in value) or "none"
            elif name == "embed":
                params[name] = "1"
            else:
                params[name] = str(value)
        return "?" + urlencode(params) if params else ""

    @classmethod
    def from_query(cls, search: str | None) -> ViewState:
        """Parse a query string leniently: unknown keys and bad values fall back to defaults."""
        raw = {k: v[-1] for k, v in parse_qs((search or "").lstrip("?")).items()}
        state = cls()
        changes: dict[str, object] = {}
        for name in ("organ", "part", "route", "zone", "segment", "compare", "lang"):
            if raw.get(name):
                changes[name] = raw[name][:80]
        if "layers" in raw:
            chosen = raw["layers"].split(",")
            changes["layers"] = frozenset(layer for layer in LAYERS if layer in chosen)
        if raw.get("step", "").isdigit():
            changes["step"] = min(int(raw["step"]), 99)
        try:
            speed = float(raw.get("speed", state.speed))
            changes["speed"] = min(SPEEDS, key=lambda s: abs(s - speed))
        except ValueError:
            pass
        if raw.get("anatomy") in ANATOMY_VIEWS:
            changes["anatomy"] = raw["anatomy"]
        changes["embed"] = raw.get("embed", "") in ("1", "true", "yes")
        return state.with_(**changes)
