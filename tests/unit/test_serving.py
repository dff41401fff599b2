"""Serving: security headers, framing, the request size limit, static caching, `painmap serve`."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from painmap import cli, server
from painmap.app import create_app, security
from painmap.app.security import MAX_REQUEST_BYTES, content_security_policy, parse_embed_origins

ROOT = Path(__file__).resolve().parents[2]
PAINMAP = Path(sys.executable).parent / "painmap"
YEAR = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def client(dataset):
    return create_app(dataset).server.test_client()


@pytest.fixture(scope="module")
def school_client(dataset):
    return create_app(dataset, ("https://school.example", "https://*.uni.example")).server.test_client()


def search_body(words: str) -> str:
    """The request the page's search box sends (a real callback of the app)."""
    return json.dumps({
        "output": "story-results.children",
        "outputs": {"id": "story-results", "property": "children"},
        "inputs": [{"id": "story-search", "property": "value", "value": words}],
        "changedPropIds": ["story-search.value"],
        "state": [{"id": "lang-picker", "property": "value", "value": "en"}, {"id": "url", "property": "search", "value": ""}],
    })


def directives(reply) -> dict[str, list[str]]:
    policy = reply.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def suite_urls(client) -> list[str]:
    page = client.get("/").get_data(as_text=True)
    return re.findall(r'src="(/_dash-component-suites/[^"]+)"', page)


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize("path", ["/", "/?organ=bladder", "/embed?organ=kidney", "/oembed?url=http://localhost/&format=json"])
def test_every_page_carries_the_security_headers(client, path):
    reply = client.get(path)
    assert reply.status_code == 200
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "same-origin"
    policy = directives(reply)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"]
    assert "Server" not in reply.headers


def test_the_page_s_inline_scripts_are_allowed_by_hash_and_no_other(client):
    page = client.get("/").get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S)
    assert inline, "the page has inline scripts (Dash's renderer, the slash fix)"
    allowed = directives(client.get("/"))["script-src"]
    for script in inline:
        assert security.script_hash(script) in allowed, script[:80]


def test_assets_and_callback_answers_carry_the_headers_too(client):
    asset = client.get(suite_urls(client)[0])
    answer = client.post("/_dash-update-component", data=search_body("kidney"), content_type="application/json")
    assert asset.status_code == answer.status_code == 200
    assert "Kidney" in answer.get_data(as_text=True)
    for reply in (asset, answer):
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'self'" in reply.headers["Content-Security-Policy"]


def test_the_app_cannot_be_framed_by_another_site(client):
    reply = client.get("/?organ=bladder")
    assert directives(reply)["frame-ancestors"] == ["'self'"]
    assert reply.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_embed_is_frameable_from_any_site_by_default(client):
    reply = client.get("/embed?organ=kidney")
    assert directives(reply)["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in reply.headers


def test_embed_origins_limit_who_may_frame_the_embed_and_never_open_the_app(school_client):
    embed = school_client.get("/embed?organ=kidney")
    assert directives(embed)["frame-ancestors"] == ["https://school.example", "https://*.uni.example"]
    app = school_client.get("/")
    assert directives(app)["frame-ancestors"] == ["'self'"] and app.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_the_handout_may_run_its_fit_script_and_print_button_only(client):
    from painmap import handout

    policy = directives(client.get("/handout?organ=nothing-such"))  # a 400 page: the same policy
    assert security.script_hash(handout.FIT_SCRIPT) in policy["script-src"]
    assert security.script_hash("window.print()") in policy["script-src"]
    assert "'unsafe-hashes'" in policy["script-src"]
    assert "'unsafe-hashes'" not in directives(client.get("/"))["script-src"]


def test_embed_origins_are_checked_with_a_message_naming_the_wrong_one():
    assert parse_embed_origins(["https://a.example, https://b.example:8443/"]) == (
        "https://a.example", "https://b.example:8443")
    assert parse_embed_origins(["self"]) == ("'self'",)
    assert parse_embed_origins(["none"]) == ("'none'",)
    assert parse_embed_origins([]) == ("*",)
    for wrong in ("school.example", "https://a.example/lessons", "javascript:alert(1)", "*; script-src *"):
        with pytest.raises(ValueError, match=re.escape(repr(wrong.split()[0]))):
            parse_embed_origins([wrong])


def test_the_policy_is_one_header_of_known_directives():
    policy = content_security_policy(["'sha256-abc'"], ["https://a.example"])
    assert policy.startswith("default-src 'self'; script-src 'self' 'sha256-abc';")
    assert policy.endswith("frame-ancestors https://a.example")
    assert "style-src 'self' 'unsafe-inline'" in policy  # plotly.js writes <style> and style attributes


# --------------------------------------------------------------------------- size limit


def test_an_oversized_callback_body_gets_a_clear_413_and_a_real_one_passes(client):
    big = search_body("x" * MAX_REQUEST_BYTES)
    reply = client.post("/_dash-update-component", data=big, content_type="application/json")
    assert reply.status_code == 413
    assert reply.get_data(as_text=True) == f"Request too large: painmap accepts requests of at most {MAX_REQUEST_BYTES // 1024} KB.\n"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    near = client.post("/_dash-update-component", data=search_body("kidney" + " " * 50_000), content_type="application/json")
    assert near.status_code == 200


def test_a_body_without_a_length_is_cut_off_at_the_limit_too(client):
    import io

    stream = io.BytesIO(search_body("y" * (2 * MAX_REQUEST_BYTES)).encode())
    reply = client.post("/_dash-update-component", input_stream=stream, content_type="application/json",
                        headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert reply.status_code == 413
    assert "at most 64 KB" in reply.get_data(as_text=True)


def test_the_limit_has_room_for_the_largest_real_request():
    # Measured in headless Chromium over every kind of page: the quiz's check, about 5.4 KB.
    assert MAX_REQUEST_BYTES >= 10 * 5_400


# --------------------------------------------------------------------------- caching


def test_fingerprinted_files_are_cached_for_a_year(client):
    urls = suite_urls(client)
    assert urls and all(re.search(r"\.v[0-9_]+m[0-9]+\.", u) for u in urls)
    for url in urls:
        assert client.get(url).headers["Cache-Control"] == YEAR, url
    page = client.get("/").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/assets/[^"]+\?m=[^"]+)"', page)
    assert assets
    for url in assets:
        assert client.get(url).headers["Cache-Control"] == YEAR, url
    assert client.get(re.search(r'href="(/_favicon\.ico\?v=[^"]+)"', page).group(1)).headers["Cache-Control"] == YEAR


def test_files_dash_loads_by_a_fixed_name_are_kept_an_hour_then_revalidated(client):
    reply = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js")
    assert reply.status_code == 200 and reply.headers["Cache-Control"] == "public, max-age=3600"
    again = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js",
                       headers={"If-None-Match": reply.headers["ETag"]})
    assert again.status_code == 304


def test_pages_and_answers_are_not_cached_as_static_files(client):
    assert "Cache-Control" not in client.get("/?organ=bladder").headers
    answer = client.post("/_dash-update-component", data=search_body("gut"), content_type="application/json")
    assert "immutable" not in answer.headers.get("Cache-Control", "")


def test_static_files_are_compressed_once_then_served_as_kept(dataset, monkeypatch):
    calls: list[int] = []
    real = security.compress

    def counting(body: bytes, encoding: str) -> bytes:
        calls.append(len(body))
        return real(body, encoding)

    monkeypatch.setattr(security, "compress", counting)
    client = create_app(dataset).server.test_client()
    url = suite_urls(client)[-1]
    plain = client.get(url, headers={"Accept-Encoding": "identity"}).get_data()
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    second = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == second.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.get_data()) == gzip.decompress(second.get_data()) == plain
    assert second.headers["Cache-Control"] == YEAR and second.headers["X-Content-Type-Options"] == "nosniff"
    assert len(calls) == 2, "once plain, once gzip; the repeat is served from the store"


def test_the_static_store_is_bounded_in_bytes():
    store = security.StaticStore(limit=100)
    for n in range(5):
        store.put((f"/f{n}", "gzip"), b"x" * 40, "text/css", None)
    assert store.size <= 100 and store.get(("/f4", "gzip")) is not None and store.get(("/f0", "gzip")) is None
    store.put(("/huge", "gzip"), b"x" * 101, "text/css", None)
    assert store.get(("/huge", "gzip")) is None


# --------------------------------------------------------------------------- the server


def test_serve_parses_its_arguments():
    args = cli.build_parser().parse_args(
        ["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "3", "--embed-origins", "https://a.example", "https://b.example"])
    settings = server.settings_of(args.host, args.port, args.workers, args.data, args.embed_origins, args.dev)
    assert settings == server.ServeSettings("0.0.0.0", 9000, 3, None, ("https://a.example", "https://b.example"), False)
    default = cli.build_parser().parse_args(["serve"])
    assert server.settings_of(default.host, default.port, default.workers, None, default.embed_origins, default.dev).workers >= 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--port", "0"], "--port: 0 is not a port"),
        (["serve", "--workers", "0"], "--workers: 0; give 1 to 64"),
        (["serve", "--embed-origins", "school.example"], "--embed-origins: 'school.example' is not an origin"),
    ],
)
def test_serve_refuses_wrong_arguments_in_plain_words(argv, message, capsys, monkeypatch):
    monkeypatch.setattr(server, "serve", lambda settings: pytest.fail("must not start"))
    assert cli.main(argv) == cli.EXIT_INVALID
    assert message in capsys.readouterr().err


def test_serve_runs_the_production_server_unless_dev(monkeypatch):
    import dash
    import uvicorn

    started: list[tuple[str, dict]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append((app, kw)))
    monkeypatch.setattr(dash.Dash, "run", lambda self, **kw: started.append(("flask", kw)))
    monkeypatch.setenv(server.ENV_DATA, "")
    monkeypatch.setenv(server.ENV_EMBED_ORIGINS, "*")
    port = free_port()
    assert cli.main(["serve", "--workers", "3", "--port", str(port), "--embed-origins", "https://a.example"]) == cli.EXIT_OK
    app, options = started.pop()
    assert app == "painmap.server:worker_app" and options["factory"] is True
    assert (options["workers"], options["port"], options["host"]) == (3, port, "127.0.0.1")
    assert options["server_header"] is False
    assert os.environ[server.ENV_EMBED_ORIGINS] == "https://a.example"
    assert cli.main(["serve", "--dev", "--port", str(port)]) == cli.EXIT_OK
    assert started == [("flask", {"host": "127.0.0.1", "port": port, "debug": True, "use_reloader": True,
                                  "dev_tools_disable_version_check": True})]


def test_serve_says_when_its_port_is_taken(capsys, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: pytest.fail("must not start"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == cli.EXIT_INVALID
    err = capsys.readouterr().err
    assert f"--host 127.0.0.1 --port {port}: cannot listen there" in err and "Traceback" not in err


def test_serve_reports_a_broken_dataset_before_starting(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(server, "serve", lambda settings: pytest.fail("must not start"))
    (tmp_path / "pathways.yaml").write_text("routes: [{id: x}]\n")
    assert cli.main(["serve", "--data", str(tmp_path)]) == cli.EXIT_INVALID
    assert "pathways.yaml" in capsys.readouterr().err


def run_asgi(app, chunks: list[bytes], headers: list[tuple[bytes, bytes]] | None = None, delay: float = 0.0):
    """Send ``chunks`` as one request's body to ASGI ``app``; return (status, body, body the app read)."""
    sent: list[dict] = []
    seen: list[bytes] = []

    async def inner(scope, receive, send):
        message = await receive()
        seen.append(message["body"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def go():
        queue = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]

        async def receive():
            await asyncio.sleep(delay)
            return queue.pop(0) if queue else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        await app(inner)({"type": "http", "headers": headers or []}, receive, send)

    asyncio.run(go())
    status = sent[0]["status"] if sent else None
    return status, b"".join(m.get("body", b"") for m in sent[1:]), seen


def test_the_server_reads_a_body_whole_before_the_app_sees_it():
    status, body, seen = run_asgi(lambda inner: server.WholeBody(inner, limit=100), [b"ab", b"cd", b"e"])
    assert (status, body, seen) == (200, b"ok", [b"abcde"])


def test_the_server_refuses_a_body_over_the_limit_with_the_same_413():
    status, body, seen = run_asgi(lambda inner: server.WholeBody(inner, limit=4), [b"abc", b"def"])
    assert status == 413 and body.decode() == security.too_large_text(4) and seen == []
    status, _, seen = run_asgi(lambda inner: server.WholeBody(inner, limit=4), [b"a"], [(b"content-length", b"999")])
    assert status == 413 and seen == []


def test_the_server_gives_up_on_a_body_that_trickles():
    status, body, seen = run_asgi(lambda inner: server.WholeBody(inner, timeout=0.2), [b"a"] * 10, delay=0.05)
    assert status == 408 and b"too slow" in body and seen == []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 10.0):
    with urllib.request.urlopen(url, timeout=timeout) as reply:
        return reply.status, reply.headers, reply.read()


def wait_for(url: str, process: subprocess.Popen, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        assert process.poll() is None, f"painmap serve exited with {process.returncode}"
        try:
            fetch(url, 5)
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"painmap serve did not answer {url} within {limit_s:.0f} s")


def workers_of(pid: int) -> set[int]:
    """The worker processes under uvicorn's supervisor (its children that serve)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdecimal():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and "spawn_main" in (entry / "cmdline").read_text():
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir() or not PAINMAP.exists(), reason="needs /proc and the painmap command")
def test_painmap_serve_answers_with_the_headers_and_replaces_a_killed_worker():
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([str(PAINMAP), "serve", "--workers", "2", "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_for(base + "/", process, 120)
        status, headers, page = fetch(base + "/")
        assert status == 200 and b"react-entry-point" in page
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"] and "Server" not in headers
        status, headers, _ = fetch(base + "/embed?organ=kidney")
        assert status == 200 and "frame-ancestors *" in headers["Content-Security-Policy"]
        workers = workers_of(process.pid)
        assert len(workers) == 2
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and (victim in workers_of(process.pid) or len(workers_of(process.pid)) < 2):
            time.sleep(0.5)
        assert victim not in workers_of(process.pid) and len(workers_of(process.pid)) == 2, "a new worker took over"
        for _ in range(4):
            assert fetch(base + "/?organ=bladder")[0] == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --------------------------------------------------------------------------- memory


def test_a_bytes_bounded_cache_keeps_within_its_bytes_and_drops_the_least_recently_used():
    from painmap.app.bounded import bytes_bounded

    built: list[int] = []

    @bytes_bounded(100, size_of=len)
    def block(n: int) -> bytes:
        built.append(n)
        return bytes(40)

    for n in (1, 2, 1, 3):  # 1 is used again before 3 comes: 2 is the one dropped
        block(n)
    assert block.cache_info() == (2, 80)  # type: ignore[attr-defined]
    block(1), block(3)
    assert built == [1, 2, 3]
    block(2)
    assert built == [1, 2, 3, 2]

    @bytes_bounded(100, size_of=len)
    def huge(n: int) -> bytes:
        return bytes(101)

    assert len(huge(1)) == 101 and huge.cache_info() == (0, 0)  # type: ignore[attr-defined]


def test_deep_size_counts_shared_objects_once_and_leaves_out_what_is_kept_elsewhere():
    from painmap.app.bounded import deep_size

    points = list(range(1000, 3000))
    alone = deep_size({"x": points})
    assert alone > sys.getsizeof(points) + 2000 * 24
    assert deep_size({"a": points, "b": points}) < alone + 200, "the shared list once"
    assert deep_size({"layer": [1.5], "x": points}, skip=[points]) < 1000


def test_the_json_estimate_of_a_kept_view_or_page_errs_high(dataset):
    """The views and pages cache counts them by their JSON (bounded.json_estimate): for every
    route of the bundled dataset, wide, tall and embedded, that is no less than their Python
    objects."""
    from painmap.app.bounded import deep_size, json_estimate
    from painmap.app.callbacks import kept_page_bytes
    from painmap.app.page import outputs_json, page, views
    from painmap.app.wire import on_the_wire
    from painmap.viewstate import ViewState

    for route in dataset.route.values():
        for arrangement, width in (("wide", 1240), ("tall", 360), ("embed", 960)):
            state = ViewState(organ=route.organ, route=route.id).canonical(dataset)
            built = views(dataset, state, arrangement, width)
            assert json_estimate(built[1:]) >= deep_size(built[1:], skip=[built[0]]), route.id
            out = on_the_wire(page(dataset, state, size=(arrangement, width)))
            kept = (out, outputs_json(out))
            assert kept_page_bytes(kept) >= deep_size(kept, skip=[out["scene"]]), route.id


def test_widths_past_the_figures_clamp_share_one_cache_entry(dataset):
    from painmap import figures
    from painmap.app.callbacks import drawn_size

    assert drawn_size(("wide", 2600)) == drawn_size(("wide", 4000)) == ("wide", 2560)
    assert drawn_size(("tall", 100)) == ("tall", 300) and drawn_size(("wide", 1280)) == ("wide", 1280)
    assert figures.scene(dataset, "wide", 2560) == figures.scene(dataset, "wide", 4000), "the same figure"
    assert figures.scene(dataset, "tall", 300) == figures.scene(dataset, "tall", 200)
