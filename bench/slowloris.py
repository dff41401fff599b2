"""Does a server keep answering while slow clients trickle their headers (slowloris)?

    python bench/slowloris.py                      # every candidate whose packages are installed
    python bench/slowloris.py --only gevent,sync   # some of them
    python bench/slowloris.py --readme             # also rewrite the results in bench/README.md

Each candidate serves painmap (``app:server``, the bundled dataset) with 2 worker processes on
127.0.0.1 at a free port. The attack opens ``--connections`` sockets that each send a request
line and then one more header line every ``--interval`` seconds, never the blank line that ends
the headers (``--attack headers``), or a callback POST that announces 60 KB and sends one byte
every ``--interval`` seconds (``--attack body``). Meanwhile one honest client GETs / one request after another for ``--duration``
seconds, each with a 10 s timeout (a user's patience; the load test's error threshold). A
candidate resists when every honest request is answered, and about as fast as with no attack.

Candidates (a missing package skips its candidate and says so):

- sync:    gunicorn's default worker (the README's old production line);
- gthread: gunicorn's threaded worker, 4 threads per worker;
- gevent:  gunicorn's gevent worker (one greenlet per connection);
- uvicorn: uvicorn --workers 2, the Flask app wrapped as ASGI by a2wsgi;
- serve:   ``painmap serve --workers 2``, whatever server it chooses (the shipped setting).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
README = HERE / "README.md"
START_MARK = "<!-- serving:results:start -->"
END_MARK = "<!-- serving:results:end -->"
#: An honest request slower than this counts as failed (a user gives up; locust's threshold too).
PATIENCE_S = 10.0
WORKERS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def asgi_app():  # pragma: no cover - loaded by uvicorn --factory in the candidate's process
    """painmap's Flask app as ASGI (the uvicorn candidate)."""
    from a2wsgi import WSGIMiddleware

    from painmap.app import create_app

    return WSGIMiddleware(create_app().server, workers=8)


def candidates(port: int) -> dict[str, tuple[list[str], tuple[str, ...]]]:
    """name -> (command, modules it needs)."""
    gunicorn = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT)]
    return {
        "sync": ([*gunicorn, "app:server"], ("gunicorn",)),
        "gthread": ([*gunicorn, "-k", "gthread", "--threads", "4", "app:server"], ("gunicorn",)),
        "gevent": ([*gunicorn, "-k", "gevent", "app:server"], ("gunicorn", "gevent")),
        "uvicorn": (
            [sys.executable, "-m", "uvicorn", "--workers", str(WORKERS), "--host", "127.0.0.1", "--port", str(port),
             "--app-dir", str(HERE), "--factory", "slowloris:asgi_app", "--log-level", "warning"],
            ("uvicorn", "a2wsgi"),
        ),
        "serve": ([str(BIN / "painmap"), "serve", "--workers", str(WORKERS), "--port", str(port)], ("painmap",)),
    }


@dataclass
class Result:
    name: str
    connections: int
    kind: str = "headers"
    before_ms: float = 0.0
    answered: int = 0
    failed: int = 0
    times_ms: list[float] = field(default_factory=list)
    note: str = ""

    def row(self) -> str:
        if self.note:
            return f"| {self.name} | {self.connections} slow {self.kind} | - | - | - | - | {self.note} |"
        p50 = f"{statistics.median(self.times_ms):.0f}" if self.times_ms else "-"
        worst = f"{max(self.times_ms):.0f}" if self.times_ms else "-"
        verdict = "resists" if self.failed == 0 and self.answered else "stalled"
        return (
            f"| {self.name} | {self.connections} slow {self.kind} | {self.before_ms:.0f} | {self.answered} / {self.answered + self.failed} "
            f"| {p50} | {worst} | {verdict} |"
        )


def get(url: str, timeout: float) -> float:
    """Milliseconds for a whole GET (status 200), or raise."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as reply:
        reply.read()
        if reply.status != 200:
            raise OSError(f"status {reply.status}")
    return (time.perf_counter() - start) * 1000


def wait_ready(url: str, process: subprocess.Popen, limit_s: float = 90.0) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            get(url, 5)
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
    raise RuntimeError("the server did not answer within 90 s")


#: What a slow socket sends first: headers never finished, or a callback POST whose body trickles.
OPENINGS = {
    "headers": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    "body": b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 60000\r\n\r\n{",
}


class Attack:
    """``count`` sockets trickling header lines (or body bytes), one every ``interval`` seconds each."""

    def __init__(self, port: int, count: int, interval: float, kind: str = "headers"):
        self.port, self.count, self.interval, self.kind = port, count, interval, kind
        self.sockets: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)

    def __enter__(self) -> Attack:
        for _ in range(self.count):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            s.sendall(OPENINGS[self.kind])
            self.sockets.append(s)
        self.thread.start()
        time.sleep(1.0)  # let the server take them in
        return self

    def _trickle(self) -> None:
        n = 0
        while not self.stop.wait(self.interval):
            n += 1
            for s in list(self.sockets):
                try:
                    s.sendall(f"X-Slow-{n}: {n}\r\n".encode() if self.kind == "headers" else b" ")
                except OSError:
                    self.sockets.remove(s)  # the server closed it: fine, that is a defence

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for s in self.sockets:
            s.close()


def measure(
    name: str, command: list[str], connections: int, duration: float, interval: float, port: int, kind: str
) -> Result:
    result = Result(name, connections, kind)
    url = f"http://127.0.0.1:{port}/"
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        wait_ready(url, process)
        result.before_ms = statistics.median(get(url, PATIENCE_S) for _ in range(5))
        with Attack(port, connections, interval, kind):
            end = time.monotonic() + duration
            while time.monotonic() < end:
                try:
                    result.times_ms.append(get(url, PATIENCE_S))
                    result.answered += 1
                except (OSError, urllib.error.URLError):
                    result.failed += 1
    except RuntimeError as exc:
        result.note = str(exc)
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
    return result


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START_MARK) + ".*?" + re.escape(END_MARK), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"{README}: no {START_MARK} ... {END_MARK} block to rewrite")
    README.write_text(pattern.sub(lambda _: f"{START_MARK}\n{text}\n{END_MARK}", readme), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated candidates (default: all installed)")
    parser.add_argument("--connections", default="2,200", help="slow connections, one run per number (default: 2,200)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of honest requests under attack (default: 20)")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between a slow socket's lines (default: 5)")
    parser.add_argument("--attack", default="headers,body", help="headers, body or both (default: headers,body)")
    parser.add_argument("--readme", action="store_true", help="rewrite the results in bench/README.md")
    args = parser.parse_args()
    chosen = candidates(0)
    names = args.only.split(",") if args.only else list(chosen)
    unknown = [n for n in names if n not in chosen]
    if unknown:
        parser.error(f"--only: unknown candidate(s) {', '.join(unknown)}; give some of {', '.join(chosen)}")
    counts = [int(c) for c in args.connections.split(",")]
    kinds = args.attack.split(",")
    if any(k not in OPENINGS for k in kinds):
        parser.error(f"--attack: give some of {', '.join(OPENINGS)}, not {args.attack!r}")
    results = []
    for kind in kinds:
        for name in names:
            missing = [m for m in chosen[name][1] if importlib.util.find_spec(m) is None]
            for count in counts:
                if missing:
                    result = Result(name, count, kind, note=f"not installed: {', '.join(missing)}")
                else:
                    port = free_port()
                    result = measure(name, candidates(port)[name][0], count, args.duration, args.interval, port, kind)
                print(result.row(), flush=True)
                results.append(result)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    table = "\n".join(
        [
            f"Run {stamp} on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}: "
            f"{WORKERS} workers each, honest GET / for {args.duration:.0f} s under attack, "
            f"a slow line every {args.interval:.0f} s, {PATIENCE_S:.0f} s patience.",
            "",
            "| server | attack | GET / before (ms) | answered under attack | p50 (ms) | slowest (ms) | verdict |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
            *(r.row() for r in results),
        ]
    )
    print(table)
    if args.readme:
        write_readme(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
