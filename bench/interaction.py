"""How instant painmap's page feels, as ratios to a minimal Dash app measured in the same run.

    python bench/interaction.py               # everything; rewrites the interaction results in bench/README.md
    python bench/interaction.py --no-readme   # prints only
    python bench/interaction.py --quick       # fewer rounds (a smoke run, about 2 minutes)
    python bench/interaction.py --worktree    # the working tree as it is, not the last commit

Both apps run under ``gunicorn -w 2`` on 127.0.0.1 (painmap: ``app:server`` of a clean copy of
the commit, made with ``git archive``; the baseline: bench/minimal_app.py, a dcc.Dropdown and a
dcc.Graph with a three-point figure). Measured, each app's runs interleaved with the other's:

- click-to-draw: headless Chromium (Playwright, the system's /usr/bin/chromium) chooses an
  organ in the dropdown; from the option's click to the first animation frame after the
  figure's ``plotly_afterplot`` and (painmap) after its summary panel has changed too: the
  figure and the words beside it drawn;
- response bytes: the body of that choice's ``/_dash-update-component`` answer, decompressed;
- throughput: ``ab`` (apache2-utils) POSTs the very request body the browser sent for an organ
  choice, 8 at a time for a fixed time, to each app in turn;
- playback (painmap only; absolute targets): frames per second counted with
  requestAnimationFrame while the page's own player plays a route at 1x, long tasks from
  PerformanceObserver('longtask'), and every request the page makes meanwhile.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
README = HERE / "README.md"
START_MARK = "<!-- interaction:results:start -->"
END_MARK = "<!-- interaction:results:end -->"
CHROMIUM = "/usr/bin/chromium"
CONCURRENCY = 8
#: The issue's targets.
CLICK_RATIO_MAX = 2.0
RESPONSE_MAX_BYTES = 40 * 1024
THROUGHPUT_RATIO_MIN = 0.5
FPS_MIN = 57.0
LONG_TASK_MS = 50.0
PLAYBACK_ORGANS = ("kidney", "uterus")

# Installed in every page before its scripts: when an option of a dropdown is clicked, and when
# the figure (#graph) has drawn after it (the first animation frame after plotly_afterplot).
INSTRUMENT = """
window.__bench = {t0: null, drawn: [], still: [], told: [], answered: []};
document.addEventListener('click', function (e) {
  if (e.target && e.target.closest && e.target.closest('.dash-dropdown-option')) { window.__bench.t0 = performance.now(); }
}, true);
/* when each callback answer is back (Dash posts with fetch): the server's share of a click */
var benchFetch = window.fetch;
window.fetch = function (url) {
  var reply = benchFetch.apply(this, arguments);
  if (String(url && url.url || url).indexOf('_dash-update-component') >= 0) {
    reply.then(function () { window.__bench.answered.push(performance.now()); }, function () {});
  }
  return reply;
};
/* painmap's words beside the figure (its summary panel): a choice is drawn once they are too */
new MutationObserver(function () {
  var summary = document.getElementById('selection-summary');
  if (!summary || summary.__benchBound) { return; }
  summary.__benchBound = true;
  new MutationObserver(function () {
    requestAnimationFrame(function () { window.__bench.told.push(performance.now()); });
  }).observe(summary, {childList: true, subtree: true, characterData: true});
}).observe(document, {childList: true, subtree: true});
"""
#: The first moment after the click when the figure is drawn (on painmap's page both parts of
#: the route layer: what the animation moves, #graph, and the still drawing the page draws
#: itself, #graph-still) and, on a page that has one, the summary beside it has changed too (the
#: minimal app has only the figure).
DRAWN_AFTER_CLICK = """
() => {
  var b = window.__bench;
  function first(times) { var later = times.filter(function (t) { return t > b.t0; }); return later.length ? Math.min.apply(null, later) : null; }
  var drawn = first(b.drawn);
  var still = document.getElementById('graph-still') ? first(b.still) : drawn;
  var told = document.getElementById('selection-summary') ? first(b.told) : drawn;
  return (b.t0 === null || drawn === null || still === null || told === null) ? null : Math.max(drawn, still, told) - b.t0;
}
"""
#: Where a painmap click's time goes: ms from the click to the answer back, to each part drawn
#: and to the words drawn (each the first after the click).
CLICK_PARTS = """
() => {
  var b = window.__bench;
  function first(times) { var later = times.filter(function (t) { return t > b.t0; }); return later.length ? Math.min.apply(null, later) - b.t0 : null; }
  return {answer: first(b.answered), still: first(b.still), moving: first(b.drawn), words: first(b.told)};
}
"""
WATCH_GRAPH = """
() => {
  function watch(selector, key) {
    var gd = document.querySelector(selector + ' .js-plotly-plot');
    if (!gd || !gd.on) { return false; }
    if (!gd.__benchBound) {
      gd.__benchBound = true;
      gd.on('plotly_afterplot', function () { requestAnimationFrame(function () { window.__bench[key].push(performance.now()); }); });
    }
    return true;
  }
  var moving = watch('#graph', 'drawn');
  /* painmap's still drawing is drawn by the page (assets/still.js), which says when */
  if (document.getElementById('graph-still') && !window.__benchStill) {
    window.__benchStill = true;
    document.addEventListener('painmap:stilldrawn', function () {
      requestAnimationFrame(function () { window.__bench.still.push(performance.now()); });
    });
  }
  return moving;
}
"""
PLAYBACK_START = """
() => {
  var p = window.__play = {frames: [], long: [], steps: [], on: true};
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { p.long.push([e.startTime, e.duration]); });
    }).observe({type: 'longtask'});
  } catch (e) { p.long = null; }
  var gd = document.querySelector('#graph .js-plotly-plot');
  gd.on('plotly_animatingframe', function (ev) { p.steps.push([performance.now(), ev && ev.name]); });
  function tick(t) { p.frames.push(t); if (p.on) { requestAnimationFrame(tick); } }
  requestAnimationFrame(tick);
}
"""


@dataclass
class Server:
    name: str
    args: list[str]
    cwd: Path
    env: dict[str, str]
    port: int = 0
    proc: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, logdir: Path) -> None:
        self.port = free_port()
        self.log = logdir / f"{self.name}.log"
        cmd = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{self.port}", *self.args]
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not start; see {self.log}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Results:
    click_ms: dict[str, list[float]] = field(default_factory=lambda: {"painmap": [], "minimal": []})
    #: Per click, ms from the click to the answer back, each part drawn, the words drawn (CLICK_PARTS).
    click_parts: dict[str, list[dict]] = field(default_factory=lambda: {"painmap": [], "minimal": []})
    response_bytes: dict[str, list[int]] = field(default_factory=lambda: {"painmap": [], "minimal": []})
    bodies: dict[str, bytes] = field(default_factory=dict)
    #: Every organ choice's request body (painmap), for the in-process first/repeat timing.
    choices: list[bytes] = field(default_factory=list)
    #: In-process ms per answer: the first time a request is seen, and repeated (medians).
    in_process: dict[str, float] = field(default_factory=dict)
    #: (answer bytes, from, to) of every organ choice, in-process (:func:`measure_every_choice`).
    every_choice: list[tuple[int, str, str]] = field(default_factory=list)
    rps: dict[str, list[float]] = field(default_factory=lambda: {"painmap": [], "minimal": []})
    failed: dict[str, int] = field(default_factory=lambda: {"painmap": 0, "minimal": 0})
    playback: list[dict] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def snapshot(tree: bool, rev: str = "HEAD") -> tuple[Path, str, tempfile.TemporaryDirectory | None]:
    """The code to measure: a clean copy of ``rev`` (git archive), or the working tree itself."""
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if tree:
        return ROOT, f"{commit} + working tree", None
    holder = tempfile.TemporaryDirectory(prefix="painmap-bench-")
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", holder.name], input=archive, check=True)
    return Path(holder.name), commit, holder


# --------------------------------------------------------------------------- in the browser


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(INSTRUMENT)
    page.goto(url)
    page.wait_for_function(WATCH_GRAPH, timeout=60_000)
    page.wait_for_function(
        "() => { var gd = document.querySelector('#graph .js-plotly-plot'); return !!(gd && gd.data && (gd.data.length || (gd.layout && gd.layout.meta))); }",
        timeout=60_000,
    )
    page.wait_for_timeout(1500)  # the first answers (viewport, ...) settle
    return page


def choose_option(page, index: int, posts: list) -> tuple[float, int, bytes, dict]:
    """Choose the dropdown's option ``index``: (click-to-draw ms, answer bytes, request body,
    where the time went: :data:`CLICK_PARTS`)."""
    page.evaluate("() => { var b = window.__bench; b.t0 = null; b.drawn = []; b.still = []; b.told = []; b.answered = []; }")
    posts.clear()
    page.click("#organ-picker")
    options = page.locator(".dash-dropdown-option")
    options.first.wait_for()
    options.nth(index % options.count()).click()
    page.wait_for_function(DRAWN_AFTER_CLICK, timeout=30_000)  # null until both are drawn
    elapsed = page.evaluate(DRAWN_AFTER_CLICK)
    parts = page.evaluate(CLICK_PARTS)
    page.wait_for_timeout(300)
    answers = [r for r in posts if "_dash-update-component" in r.url and r.request.method == "POST"]
    if not answers:
        raise RuntimeError("no callback answered the choice")
    biggest = max(answers, key=lambda r: len(r.body()))
    return float(elapsed), len(biggest.body()), biggest.request.post_data_buffer or b"", parts


def measure_clicks(browser, urls: dict[str, str], rounds: int, per_round: int, results: Results) -> None:
    pages = {}
    posts: dict[str, list] = {}
    for name, url in urls.items():
        posts[name] = []
        pages[name] = open_page(browser, url)
        pages[name].on("response", lambda response, seen=posts[name]: seen.append(response))
    counter = dict.fromkeys(urls, 0)
    for r in range(rounds):
        order = list(urls) if r % 2 == 0 else list(reversed(urls))
        for name in order:
            for _ in range(per_round):
                ms, size, body, parts = choose_option(pages[name], counter[name], posts[name])
                results.click_parts[name].append(parts)
                counter[name] += 1
                results.click_ms[name].append(ms)
                results.response_bytes[name].append(size)
                results.bodies.setdefault(name, body)
                if name == "painmap" and body not in results.choices:
                    results.choices.append(body)
    for page in pages.values():
        page.close()


def measure_playback(browser, url: str, organ: str) -> dict:
    page = open_page(browser, f"{url}/?organ={organ}")
    requests: list[str] = []
    steps = page.evaluate("() => document.querySelectorAll('#steps-list li').length")
    page.evaluate(PLAYBACK_START)
    page.on("request", lambda r: requests.append(r.url))
    started = time.monotonic()
    page.click("#step-play")
    page.wait_for_function(
        f"() => {{ var li = document.querySelector('#steps-list li.current'); return li && li.getAttribute('data-step') === '{steps - 1}'; }}",
        timeout=120_000,
    )
    page.wait_for_timeout(1000)  # the last transition
    seconds = time.monotonic() - started
    data = page.evaluate("() => { window.__play.on = false; return window.__play; }")
    page.wait_for_timeout(100)
    page.close()
    frames = data["frames"]
    gaps = [b - a for a, b in zip(frames, frames[1:])]
    fps = 1000 * (len(frames) - 1) / (frames[-1] - frames[0]) if len(frames) > 1 else 0.0
    long_tasks = [d for _, d in (data["long"] or [])]
    return {
        "organ": organ,
        "steps": steps,
        "seconds": seconds,
        "fps": fps,
        "slow_frames": sum(1 for g in gaps if g > 1000 / 30),
        "worst_frame_ms": max(gaps) if gaps else 0.0,
        "long_tasks": len(long_tasks),
        "longest_task_ms": max(long_tasks) if long_tasks else 0.0,
        "long_tasks_supported": data["long"] is not None,
        "requests": len(requests),
        "request_urls": sorted(set(requests))[:5],
    }


# --------------------------------------------------------------------------- throughput


def ab(url: str, body: bytes, seconds: int, workdir: Path) -> tuple[float, int]:
    """Requests per second and failures of ``ab`` POSTing ``body`` for ``seconds``."""
    path = workdir / "body.json"
    path.write_bytes(body)
    out = subprocess.run(
        ["ab", "-q", "-t", str(seconds), "-n", "1000000", "-c", str(CONCURRENCY), "-p", str(path),
         "-T", "application/json", "-H", "Accept-Encoding: gzip, deflate", f"{url}/_dash-update-component"],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests per second:\s+([0-9.]+)", out).group(1))
    failed = int(re.search(r"Failed requests:\s+([0-9]+)", out).group(1))
    non2xx = re.search(r"Non-2xx responses:\s+([0-9]+)", out)
    return rps, failed + (int(non2xx.group(1)) if non2xx else 0)


def measure_throughput(servers: dict[str, Server], results: Results, rounds: int, seconds: int, workdir: Path) -> None:
    for name, server in servers.items():  # warm both workers' caches
        ab(server.url, results.bodies[name], 2, workdir)
    for r in range(rounds):
        order = list(servers) if r % 2 == 0 else list(reversed(servers))
        for name in order:
            rps, failed = ab(servers[name].url, results.bodies[name], seconds, workdir)
            results.rps[name].append(rps)
            results.failed[name] += failed


# In a fresh process, with the app of the measured code: each choice's request answered the
# first time (figures built, JSON encoded, gzipped) and again (the kept encoded answer).
IN_PROCESS = """
import json, statistics, sys, time
from painmap.app import create_app
bodies = [bytes.fromhex(h) for h in json.load(sys.stdin)]
client = create_app().server.test_client()
def post(body):
    began = time.perf_counter()
    reply = client.post("/_dash-update-component", data=body, content_type="application/json",
                        headers={"Accept-Encoding": "gzip, deflate"})
    assert reply.status_code == 200, reply.status_code
    return 1000 * (time.perf_counter() - began)
post(bodies[0])  # the page's first answer builds the scene: not a choice's cost
first = [post(b) for b in bodies[1:]]
again = [post(b) for b in bodies[1:] for _ in range(20)]
print(json.dumps({"first_ms": statistics.median(first), "again_ms": statistics.median(again), "n": len(first)}))
"""


# Every organ choice the page can be asked, answered in one process: from the landing page to
# each organ, and from each organ to each other one. The request is the browser's own choice
# (its viewport and inputs), with the organ, the address and the page's record of what it shows
# changed as the page would change them.
EVERY_CHOICE = """
import json, sys
from painmap.app import create_app, ids
from painmap.loader import load
sent = json.loads(bytes.fromhex(sys.stdin.read()))
app = create_app()
client = app.server.test_client()
organs = [o.id for o in load(None).organs]
def ask(search, organ, shown):
    def fill(item):
        key = item["id"] + "." + item["property"]
        value = {"url.search": search, "url.href": "http://127.0.0.1/" + search}.get(key, item.get("value"))
        if key == ids.ORGAN + ".value":
            value = organ
        if key == ids.SHOWN + ".data":
            value = shown
        return {**item, "value": value}
    body = {**sent, "inputs": [fill(i) for i in sent["inputs"]], "state": [fill(i) for i in sent["state"]],
            "changedPropIds": [ids.ORGAN + ".value"] if organ else []}
    reply = client.post("/_dash-update-component", json=body)
    assert reply.status_code == 200, reply.status_code
    return len(reply.data), json.loads(reply.data)["response"]
_, landing = ask("", None, None)
sizes = []
for b in organs:
    sizes.append((ask("", b, landing[ids.SHOWN]["data"])[0], "landing", b))
for a in organs:
    _, page = ask("?organ=" + a, None, None)
    for b in organs:
        if b != a:
            sizes.append((ask("?organ=" + a, b, page[ids.SHOWN]["data"])[0], a, b))
print(json.dumps(sizes))
"""


def measure_every_choice(code: Path, env: dict[str, str], body: bytes) -> list[tuple[int, str, str]]:
    """(answer bytes, from, to) of every organ choice, from the landing page and between organs,
    in one process (the browser's clicks sample only some of them)."""
    if not body:
        return []
    done = subprocess.run(
        [sys.executable, "-c", EVERY_CHOICE], input=body.hex(), env=env, cwd=code, capture_output=True, text=True
    )
    if done.returncode != 0:
        print(f"every-choice sizes failed (left out of the results):\n{done.stderr[-2000:]}", file=sys.stderr)
        return []
    return [tuple(row) for row in json.loads(done.stdout.strip().splitlines()[-1])]


def measure_in_process(code: Path, env: dict[str, str], bodies: list[bytes]) -> dict[str, float]:
    """Milliseconds per organ-choice answer in one process: first seen, and repeated."""
    if len(bodies) < 2:
        return {}
    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS], input=json.dumps([b.hex() for b in bodies]), env=env, cwd=code,
        capture_output=True, text=True,
    )
    if done.returncode != 0:
        print(f"in-process timing failed (left out of the results):\n{done.stderr[-2000:]}", file=sys.stderr)
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- report


def report(results: Results, commit: str, minutes: float, quick: bool) -> str:
    med = statistics.median
    click = {k: med(v) for k, v in results.click_ms.items()}
    size = results.response_bytes
    rps = {k: med(v) for k, v in results.rps.items()}
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    ratio_click = click["painmap"] / click["minimal"]
    ratio_rps = rps["painmap"] / rps["minimal"]
    # the largest answer of all: the browser's clicks sample some choices, the in-process pass takes every one
    worst = max([*size["painmap"], *(n for n, _, _ in results.every_choice)])

    def ok(good: bool) -> str:
        return "met" if good else "**not met**"

    lines = [
        f"Run {now} on {os.cpu_count()} CPUs, Python {platform.python_version()}, headless Chromium "
        f"(Playwright), gunicorn -w 2 for both apps; commit {commit}; {'quick' if quick else 'full'} run, "
        f"{minutes:.1f} minutes in all.",
        "",
        "| measured | painmap | minimal Dash app | ratio | target | |",
        "|---|--:|--:|--:|---|---|",
        f"| organ choice, click to drawn figure (median of {len(results.click_ms['painmap'])}) | "
        f"{click['painmap']:.0f} ms | {click['minimal']:.0f} ms | {ratio_click:.2f}x | <= {CLICK_RATIO_MAX:g}x | {ok(ratio_click <= CLICK_RATIO_MAX)} |",
        f"| organ-choice answer, JSON before compression (median; largest) | {med(size['painmap']) / 1024:.1f} KB; "
        f"{worst / 1024:.1f} KB | {med(size['minimal']) / 1024:.2f} KB | {med(size['painmap']) / med(size['minimal']):.0f}x | "
        f"<= 40 KB | {ok(worst <= RESPONSE_MAX_BYTES)} |",
        f"| organ choices per second, gunicorn -w 2, `ab -c {CONCURRENCY}` (median of {len(results.rps['painmap'])}) | "
        f"{rps['painmap']:.0f}/s | {rps['minimal']:.0f}/s | {ratio_rps:.2f}x | >= {THROUGHPUT_RATIO_MIN:g}x | {ok(ratio_rps >= THROUGHPUT_RATIO_MIN)} |",
    ]
    if results.in_process:
        lines.append(
            f"| one organ-choice answer in-process, first time; repeated (median of {results.in_process['n']:.0f}) | "
            f"{results.in_process['first_ms']:.1f} ms; {results.in_process['again_ms']:.2f} ms | | | | |"
        )
    lines += ["", click_breakdown(results.click_parts)]
    lines += [
        "",
        "| playback at 1x | steps | frames/s | frames over 33 ms | worst frame | long tasks (longest) | requests while playing |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for p in results.playback:
        tasks = f"{p['long_tasks']} ({p['longest_task_ms']:.0f} ms)" if p["long_tasks_supported"] else "not reported"
        lines.append(
            f"| {p['organ']} | {p['steps']} | {p['fps']:.1f} | {p['slow_frames']} | {p['worst_frame_ms']:.0f} ms | {tasks} | {p['requests']} |"
        )
    fps_ok = all(p["fps"] >= FPS_MIN for p in results.playback)
    tasks_ok = all(p["long_tasks"] == 0 for p in results.playback)
    quiet = all(p["requests"] == 0 for p in results.playback)
    lines += [
        "",
        f"- Playback: at least {FPS_MIN:g} frames/s {ok(fps_ok)}; no long task (over {LONG_TASK_MS:g} ms) while playing "
        f"{ok(tasks_ok)}; no request while playing {ok(quiet)}.",
        f"- Failed or non-2xx answers under load: painmap {results.failed['painmap']}, minimal {results.failed['minimal']}.",
        "- Answer sizes per choice (bytes): " + ", ".join(str(s) for s in size["painmap"][:16]) + ".",
    ]
    if results.every_choice:
        every = sorted(results.every_choice, reverse=True)
        over = [row for row in every if row[0] > RESPONSE_MAX_BYTES]
        lines.append(
            f"- Every organ choice in-process ({len(every)}: from the landing page and between organs): largest "
            + "; ".join(f"{n:,} bytes ({a} to {b})" for n, a, b in every[:3])
            + f"; {len(over)} over 40 KB: {ok(not over)}."
        )
    return "\n".join(lines)


def click_breakdown(parts: dict[str, list[dict]]) -> str:
    """One line: where each app's click goes, as medians of ms from the click."""
    def median_of(name: str, key: str) -> str:
        found = [p[key] for p in parts.get(name, []) if isinstance(p.get(key), (int, float))]
        return f"{statistics.median(found):.0f}" if found else "-"

    words = {"answer": "answer back", "still": "still drawing drawn", "moving": "animated graph drawn", "words": "words drawn"}
    painmap = "; ".join(f"{label} {median_of('painmap', key)}" for key, label in words.items())
    minimal = "; ".join(f"{words[key]} {median_of('minimal', key)}" for key in ("answer", "moving"))
    return (
        f"- Where a click goes (medians, ms from the click): painmap: {painmap}; "
        f"the minimal app: {minimal} (its only graph)."
    )


def write_readme(text: str) -> None:
    readme = README.read_text()
    if START_MARK not in readme:
        readme += f"\n{START_MARK}\n{END_MARK}\n"
    head, rest = readme.split(START_MARK, 1)
    _, tail = rest.split(END_MARK, 1)
    README.write_text(f"{head}{START_MARK}\n{text}\n{END_MARK}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rounds; prints only")
    parser.add_argument("--no-readme", action="store_true", help="print the results only")
    parser.add_argument("--worktree", action="store_true", help="measure the working tree, not a clean copy of HEAD")
    parser.add_argument("--commit", default="HEAD", help="measure this commit (a clean copy); the results go to the README only for HEAD")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    began = time.monotonic()
    code, commit, holder = snapshot(args.worktree, args.commit)
    env = {**os.environ, "PYTHONPATH": str(code / "src")}
    env.pop("PAINMAP_DATA", None)
    servers = {
        "painmap": Server("painmap", ["app:server"], code, env),
        "minimal": Server("minimal", ["minimal_app:server"], HERE, env),
    }
    results = Results()
    rounds, per_round, ab_rounds, ab_seconds = (2, 4, 2, 3) if args.quick else (6, 8, 5, 6)
    with tempfile.TemporaryDirectory(prefix="painmap-bench-logs-") as logs:
        try:
            for server in servers.values():
                server.start(Path(logs))
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
                try:
                    measure_clicks(browser, {k: s.url for k, s in servers.items()}, rounds, per_round, results)
                    for organ in PLAYBACK_ORGANS[: 1 if args.quick else None]:
                        results.playback.append(measure_playback(browser, servers["painmap"].url, organ))
                finally:
                    browser.close()
            measure_throughput(servers, results, ab_rounds, ab_seconds, Path(logs))
            results.in_process = measure_in_process(code, env, results.choices)
            results.every_choice = measure_every_choice(code, env, results.bodies.get("painmap", b""))
        finally:
            for server in servers.values():
                server.stop()
            if holder is not None:
                holder.cleanup()
    text = report(results, commit, (time.monotonic() - began) / 60, args.quick)
    print(text)
    print(json.dumps({"click_ms": results.click_ms, "click_parts": results.click_parts, "rps": results.rps, "playback": results.playback}, indent=1))
    if not args.quick and not args.no_readme and args.commit == "HEAD" and not args.worktree:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
