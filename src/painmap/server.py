"""painmap's production server: uvicorn worker processes, each with its own app.

    serve(settings)          run it (``painmap serve``); returns when the server stops
    worker_app() -> ASGI     what each worker runs (uvicorn's factory; settings from the environment)

Why uvicorn (measured in bench/slowloris.py, see bench/README.md "Serving"): it reads every
connection's headers and body on an event loop, so clients that trickle their headers or their
body cost a coroutine each, never a worker; gunicorn's sync and threaded workers stalled under
the same attack, and gunicorn's gevent worker resists it but its monkey-patching hangs the
Chromium that draws downloads (kaleido). uvicorn's supervisor starts N worker processes and
replaces one that dies (``kill -9``) or stops answering its health check.

Each worker builds its own app with ``create_app`` (no state shared between workers) and runs
the Flask server in a small thread pool through a2wsgi. Before a request reaches that pool its
whole body is read here, asynchronously, within :data:`BODY_TIMEOUT_S` and at most
``security.MAX_REQUEST_BYTES`` (else the same 413 as the app's own), so a slow body holds no
thread either. No ``Server`` header is sent.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from painmap.app.security import DEFAULT_EMBED_ORIGINS, MAX_REQUEST_BYTES, parse_embed_origins, too_large_text

#: Environment through which ``serve`` hands its settings to the worker processes.
ENV_DATA = "PAINMAP_DATA"
ENV_EMBED_ORIGINS = "PAINMAP_EMBED_ORIGINS"
#: Threads per worker running the Flask app (downloads wait on Chromium; the rest is CPU).
THREADS_PER_WORKER = 8
#: A request body must arrive whole within this many seconds (else 408).
BODY_TIMEOUT_S = 15.0
#: Seconds an idle keep-alive connection stays open.
KEEP_ALIVE_S = 5
#: Open connections and requests per worker before uvicorn answers 503 (a flood, not a class).
CONNECTION_LIMIT = 2000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def default_workers() -> int:
    """One worker per core, at least 2 (a killed one is replaced while the other answers), at most 8."""
    return max(2, min(os.cpu_count() or 1, 8))


@dataclass(frozen=True)
class ServeSettings:
    """What ``painmap serve`` was asked for."""

    host: str = "127.0.0.1"
    port: int = 8050
    workers: int = 2
    data: str | None = None
    embed_origins: tuple[str, ...] = DEFAULT_EMBED_ORIGINS
    dev: bool = False


class WholeBody:
    """ASGI middleware: read a request's whole body (bounded in size and time) before the app
    sees it, and hand it on in one piece."""

    def __init__(self, app: ASGIApp, limit: int = MAX_REQUEST_BYTES, timeout: float = BODY_TIMEOUT_S):
        self.app, self.limit, self.timeout = app, limit, timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await _plain(send, 413, too_large_text(self.limit))
            return
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.limit:
                        await _plain(send, 413, too_large_text(self.limit))
                        return
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            await _plain(send, 408, f"Request body too slow: send it within {self.timeout:.0f} s.\n")
            return
        whole: list[Message] = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replay() -> Message:
            return whole.pop() if whole else await receive()

        await self.app(scope, replay, send)


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")],
    })
    await send({"type": "http.response.body", "body": body})


def worker_app() -> ASGIApp:
    """One worker's app: painmap (data and embed origins from the environment ``serve`` set)
    as ASGI, its bodies read whole first."""
    from a2wsgi import WSGIMiddleware

    from painmap.app import create_app

    origins = parse_embed_origins([os.environ.get(ENV_EMBED_ORIGINS, "*")])
    app = create_app(os.environ.get(ENV_DATA) or None, origins)
    return WholeBody(WSGIMiddleware(app.server, workers=THREADS_PER_WORKER))  # type: ignore[arg-type]


class CannotListen(Exception):
    """The address or port cannot be listened on (in use, not this machine's, not allowed)."""


def check_address(host: str, port: int) -> None:
    """CannotListen, naming --host and --port, unless a server could listen there now."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except (OSError, IndexError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or "refused"
        raise CannotListen(
            f"--host {host} --port {port}: cannot listen there ({reason}); is another server running on that "
            "port? Choose another --port, or a --host of this machine"
        ) from None


def serve(settings: ServeSettings) -> None:
    """Run painmap until interrupted: uvicorn workers, or Flask's debug server with ``dev``.
    CannotListen before anything starts when the address is taken or not this machine's."""
    check_address(settings.host, settings.port)
    if settings.dev:
        from painmap.app import create_app

        create_app(settings.data, settings.embed_origins).run(  # no version check: the CSP allows no other site
            host=settings.host, port=settings.port, debug=True, use_reloader=True, dev_tools_disable_version_check=True
        )
        return
    import uvicorn

    os.environ[ENV_DATA] = settings.data or ""
    os.environ[ENV_EMBED_ORIGINS] = " ".join(settings.embed_origins)
    uvicorn.run(
        "painmap.server:worker_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        lifespan="off",
        server_header=False,
        timeout_keep_alive=KEEP_ALIVE_S,
        limit_concurrency=CONNECTION_LIMIT,
        log_level="info",
    )


def settings_of(host: str, port: int, workers: int | None, data: str | None, origins: Sequence[str], dev: bool) -> ServeSettings:
    """ServeSettings from ``painmap serve``'s arguments (ValueError names a wrong one)."""
    if not 0 < port < 65536:
        raise ValueError(f"--port: {port} is not a port (1-65535)")
    if workers is not None and not 1 <= workers <= 64:
        raise ValueError(f"--workers: {workers}; give 1 to 64")
    return ServeSettings(
        host=host, port=port, workers=workers or default_workers(), data=data,
        embed_origins=parse_embed_origins(origins) if origins else DEFAULT_EMBED_ORIGINS, dev=dev,
    )
