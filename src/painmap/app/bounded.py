"""A least-recently-used cache bounded by the bytes of what it keeps, not by a count.

    @bytes_bounded(64 * 2**20, size_of=lambda value: deep_size(value))
    def build(key...) -> value

Views differ a lot in size (a plain organ's route layer is small, a comparison's is several
times larger), so a count bounds nothing; the estimate here is the Python objects' own size
(``sys.getsizeof`` summed over dicts, lists, tuples and their strings and numbers), each object
counted once (:func:`deep_size`), or, where walking every object would cost more than the value
took to build (a page built at a choice), from the length of its JSON (:func:`json_estimate`). One cache per decorated function, so per app and per worker; a lock, because a
worker answers from several threads. A value bigger than the whole limit is returned, not kept.
"""

from __future__ import annotations

import json
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from functools import wraps
from typing import Any, TypeVar

T = TypeVar("T")


def _walk(value: object, seen: set[int]) -> int:
    """Bytes of ``value`` and what it holds that is not in ``seen`` (which this fills)."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
    return total


def deep_size(value: object, skip: Iterable[object] = ()) -> int:
    """Bytes of ``value`` and everything it holds (dicts, lists, tuples, sets), each object
    once; the objects in ``skip`` (kept and counted elsewhere, e.g. a shared scene) are left out
    whole. They are not walked: a scene is 0.5-2 MB of objects, and walking it to leave it out
    cost more than building a page. What ``value`` shares with their insides is counted, so the
    estimate stays an upper bound."""
    seen: set[int] = {id(shared) for shared in skip}
    return _walk(value, seen)


#: Bytes of Python objects per byte of their JSON in the route layers and pages the app keeps
#: (deep_size over JSON length: 4.9-6.1 on every route of the bundled dataset, wide, tall and
#: embedded): an estimate that errs high.
OBJECT_BYTES_PER_JSON_BYTE = 8


def json_estimate(value: object) -> int:
    """About the bytes ``value``'s Python objects take, from its JSON (a JSON text counts as
    its own length): one pass of the C encoder, where :func:`deep_size` walks every object in
    Python (8 ms for a route layer: a fifth of building a page)."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), default=str)
    return OBJECT_BYTES_PER_JSON_BYTE * len(text)


def bytes_bounded(limit: int, size_of: Callable[[Any], int]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorate a pure function of hashable arguments with an LRU cache of at most ``limit``
    bytes (``size_of(value)`` each). The wrapper's ``cache_info()`` gives (entries, bytes)."""

    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        kept: OrderedDict[Hashable, tuple[T, int]] = OrderedDict()
        lock = threading.Lock()
        used = [0]

        @wraps(function)
        def cached(*args: Hashable) -> T:
            with lock:
                found = kept.get(args)
                if found is not None:
                    kept.move_to_end(args)
                    return found[0]
            value = function(*args)
            size = size_of(value)
            if size > limit:
                return value
            with lock:
                old = kept.pop(args, None)
                used[0] -= old[1] if old else 0
                kept[args] = (value, size)
                used[0] += size
                while used[0] > limit:
                    _, (_, dropped) = kept.popitem(last=False)
                    used[0] -= dropped
            return value

        cached.cache_info = lambda: (len(kept), used[0])  # type: ignore[attr-defined]
        return cached

    return decorate
