"""A class at 9:00: 300 students open a story link and click through it (`make load`, not in CI).

    make load                             # 300 students, 60 s each app; rewrites "Load" in bench/README.md
    .venv/bin/python bench/load.py -u 30 -t 10 --no-readme    # a smoke run; prints only

locust lives in its own venv (.venv-load, made by `make load`): it needs urllib3 2, and the test
extra's selenium pins urllib3 1. It runs as a separate process and imports nothing of painmap.

What it does, on the loopback and bounded in time:
1. Starts `painmap serve --workers 4` and the minimal Dash app (bench/minimal_app.py) served the
   same way: uvicorn, 4 workers, its bodies read whole first (painmap.server.WholeBody).
2. Records, in headless Chromium, what a student's browser sends: the page and Dash's own
   requests, then each callback request of clicking through the story (its next routes' links,
   then two organ choices) and, for the minimal app, of its organ choices.
3. Replays that with locust: ``-u`` students, arriving over 10 s, each opening the page and then
   clicking every 1-3 s for ``-t`` seconds. A request slower than 10 s counts as an error.
4. Midway through painmap's run, kills one worker with SIGKILL: uvicorn starts another, and only
   the requests that worker held are lost.

Reported per app: requests, errors, and p50 / p95 / p99 of the page (its GETs) and of the choices
(callback POSTs). The minimal app ran in the same session, on the same machine.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "bench" / "README.md"
STORY = "/?story=period-pain"
SLOW_S = 10.0

LOCUSTFILE = '''
import json, os, random
from locust import HttpUser, between, task

SESSION = json.loads(open(os.environ["PAINMAP_LOAD_SESSION"]).read())
SLOW = float(os.environ.get("PAINMAP_LOAD_SLOW", "10"))


class Student(HttpUser):
    wait_time = between(1, 3)

    def _get(self, path, name):
        with self.client.get(path, name=name, catch_response=True, timeout=SLOW + 5) as answer:
            if answer.elapsed.total_seconds() > SLOW:
                answer.failure("slower than %ss" % SLOW)

    def _post(self, body, name):
        with self.client.post("/_dash-update-component", data=body, name=name, catch_response=True, timeout=SLOW + 5,
                              headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"}) as answer:
            if answer.status_code != 200:
                answer.failure("status %s" % answer.status_code)
            elif answer.elapsed.total_seconds() > SLOW:
                answer.failure("slower than %ss" % SLOW)

    def on_start(self):
        for path in SESSION["page"]:
            self._get(path, "page")
        for body in SESSION["opening"]:
            self._post(body, "page")
        self.step = 0

    @task
    def click(self):
        clicks = SESSION["clicks"]
        self._post(clicks[self.step % len(clicks)], "choice")
        self.step += 1
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {seconds:.0f} s")


def start_painmap(port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "painmap.cli", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def start_minimal(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "bench") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "minimal_asgi:app", "--factory", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--no-server-header", "--lifespan", "off"],
        cwd=ROOT / "bench", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# --------------------------------------------------------------------------- recording


def record(base: str, path: str, clicks) -> dict:
    """What one student's browser sends: the page's GETs, the callbacks of opening it, then the
    callbacks of each click ``clicks(page)`` makes (a list of actions)."""
    from playwright.sync_api import sync_playwright

    posts: list[bytes] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("request", lambda r: posts.append(r.post_data_buffer or b"")
                if r.method == "POST" and "_dash-update-component" in r.url else None)
        page.goto(base + path)
        page.wait_for_function(
            "() => { var g = document.querySelector('#graph .js-plotly-plot'); return !!(g && g.data && (g.data.length || (g.layout && g.layout.meta))); }",
            timeout=60_000,
        )
        page.wait_for_timeout(2000)
        opening = list(posts)
        recorded = []
        for action in clicks:
            posts.clear()
            action(page)
            page.wait_for_timeout(1500)
            recorded += [p for p in posts if p]
        browser.close()
    gets = [path, "/_dash-layout", "/_dash-dependencies"]
    return {"page": gets, "opening": [p.decode() for p in opening if p],
            "clicks": [p.decode() for p in recorded] or [p.decode() for p in opening if p]}


def painmap_clicks():
    def follow_story_link(index: int):
        def action(page):
            links = page.locator("#story-panel a.story-go")
            if links.count() > index:
                links.nth(index).click()
        return action

    return [follow_story_link(0), follow_story_link(1), choose_organ(0), choose_organ(3)]


def minimal_clicks():
    return [choose_organ(0), choose_organ(3), choose_organ(1), choose_organ(5)]


def choose_organ(index: int):
    """A click through the organ picker (both apps name it #organ-picker): its option ``index``."""
    def action(page):
        page.click("#organ-picker")
        options = page.locator(".dash-dropdown-option")
        options.first.wait_for()
        options.nth(index % options.count()).click()
    return action


# --------------------------------------------------------------------------- load


def locust(locust_bin: str, host: str, session: dict, users: int, seconds: int, workdir: Path, name: str, during=None) -> dict:
    """Run locust headless against ``host``; {request name: stats} from its CSV."""
    sessionfile = workdir / f"{name}-session.json"
    sessionfile.write_text(json.dumps(session))
    locustfile = workdir / "locustfile.py"
    locustfile.write_text(LOCUSTFILE)
    prefix = workdir / name
    env = {**os.environ, "PAINMAP_LOAD_SESSION": str(sessionfile), "PAINMAP_LOAD_SLOW": str(SLOW_S)}
    command = [locust_bin, "-f", str(locustfile), "--headless", "-u", str(users),
               "-r", str(max(1, users // 10)), "-t", f"{seconds}s", "--host", host, "--csv", str(prefix),
               "--only-summary", "--stop-timeout", "15", "--loglevel", "WARNING"]
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if during is not None:
        time.sleep(seconds / 2)
        during()
    run.wait(timeout=seconds + 120)
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "p50": float(row["50%"] or 0), "p95": float(row["95%"] or 0), "p99": float(row["99%"] or 0),
            }
    return stats


def _workers(server: subprocess.Popen) -> set[int]:
    """The server's worker processes (uvicorn spawns them; its resource tracker is not one)."""
    found = set()
    for pid in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split():
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.add(int(pid))
    return found


def kill_one_worker(server: subprocess.Popen) -> str:
    """SIGKILL one of the server's workers; what happened next, in words."""
    before = _workers(server)
    if not before:
        return "no worker found to kill"
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    time.sleep(8)
    after = _workers(server)
    new = after - before
    return (f"killed worker {victim} of {len(before)}; 8 s later {len(after)} workers run, "
            f"{len(new)} of them new ({', '.join(map(str, sorted(new))) or 'none'})")


def report(results: dict, users: int, seconds: int, workers: int, killed: str, commit: str) -> str:
    load = os.getloadavg()
    lines = [
        f"Measured {datetime.date.today().isoformat()} at {commit}, {users} students for {seconds} s per app, "
        f"{workers} workers each, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average afterwards {load[0]:.1f}. Milliseconds; an error is a failed or >{SLOW_S:.0f} s request.",
        "",
        "| app | requests | errors | page p50 / p95 / p99 | choice p50 / p95 / p99 |",
        "|---|--:|--:|---|---|",
    ]
    for app, stats in results.items():
        total = stats.get("Aggregated", {})
        page, choice = stats.get("page", {}), stats.get("choice", {})

        def cut(s: dict) -> str:
            return f"{s.get('p50', 0):.0f} / {s.get('p95', 0):.0f} / {s.get('p99', 0):.0f}" if s else "-"

        lines.append(f"| {app} | {total.get('requests', 0)} | {total.get('failures', 0)} | {cut(page)} | {cut(choice)} |")
    lines += ["", f"Worker killed midway through painmap's run: {killed}."]
    return "\n".join(lines)


def write_readme(text: str) -> None:
    """Rewrite the README's "Load" section: how it is run, then these results (a "## Findings"
    written under them by hand is kept)."""
    readme = README.read_text(encoding="utf-8")
    head = "# Load: a class opens a story link"
    section = head + "\n\n" + (__doc__ or "").split("\n\n", 1)[1].strip("\n") + "\n\n## Results\n\n" + text + "\n"
    if head in readme:
        start = readme.index(head)
        rest = readme[start + len(head):]
        end = rest.find("\n# ")
        old = rest[:end] if end >= 0 else rest
        if "\n## Findings" in old:
            section += old[old.index("\n## Findings"):].rstrip("\n") + "\n"
        readme = readme[:start] + section + (rest[end:] if end >= 0 else "")
    else:
        readme = readme.rstrip("\n") + "\n\n" + section
    README.write_text(readme, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-u", "--users", type=int, default=300)
    parser.add_argument("-t", "--seconds", type=int, default=60)
    parser.add_argument("-w", "--workers", type=int, default=4)
    parser.add_argument("--no-readme", action="store_true", help="print only")
    parser.add_argument("--locust", default=str(ROOT / ".venv-load" / "bin" / "locust"), help="the locust program (default: .venv-load's)")
    args = parser.parse_args(argv)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    ports = {"painmap": free_port(), "minimal": free_port()}
    servers = {"painmap": start_painmap(ports["painmap"], args.workers), "minimal": start_minimal(ports["minimal"], args.workers)}
    results: dict[str, dict] = {}
    killed = "not tried"
    try:
        for name, port in ports.items():
            wait_up(f"http://127.0.0.1:{port}/")
        sessions = {
            "painmap": record(f"http://127.0.0.1:{ports['painmap']}", STORY, painmap_clicks()),
            "minimal": record(f"http://127.0.0.1:{ports['minimal']}", "/", minimal_clicks()),
        }
        with tempfile.TemporaryDirectory(prefix="painmap-load-") as tmp:
            for name in ("minimal", "painmap"):
                note: list[str] = []
                during = (lambda: note.append(kill_one_worker(servers["painmap"]))) if name == "painmap" else None
                results[name] = locust(args.locust, f"http://127.0.0.1:{ports[name]}", sessions[name], args.users, args.seconds,
                                       Path(tmp), name, during)
                if note:
                    killed = note[0]
    finally:
        for server in servers.values():
            stop(server)
    text = report(results, args.users, args.seconds, args.workers, killed, commit)
    print(text)
    if not args.no_readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
