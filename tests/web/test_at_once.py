"""Documents already kept are answered by the server's event loop itself (`web.server`, `doccache.at_once`),
with no task thread: over real HTTP, on `hrgraph serve`'s own server in a thread with one task thread, which
a test route in front of the app can hold."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
from test_scale_web import PERSON, app_server, following, store_of
from werkzeug.test import EnvironBuilder

from hrgraph.config import Settings
from hrgraph.web import create_app, kept
from hrgraph.web.doccache import CACHE, FAST, MISSED, PREPARED, WsgiApp


def holding(gate: threading.Event, entered: threading.Event) -> Callable[[WsgiApp], WsgiApp]:
    """A route `/hold` in front of the app that keeps its task thread until `gate` is set."""
    def around(app: WsgiApp) -> WsgiApp:
        def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            if environ["PATH_INFO"] != "/hold":
                return app(environ, start_response)
            entered.set()
            gate.wait(30)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"released"]
        return wrapped
    return around


def without_date(response: requests.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k != "Date"}


def test_a_kept_document_is_answered_while_every_thread_is_busy_and_one_not_kept_waits(tmp_path: Path) -> None:
    site = store_of(tmp_path, "Loop Name", "build-loop")
    gate, entered = threading.Event(), threading.Event()
    settings = Settings(root=tmp_path)
    with app_server(settings, following({"s": site}, ["s"]), threads=1, around=holding(gate, entered)) as (url, app):
        fresh = requests.get(url + PERSON + ".ttl", timeout=10)  # rendered by the one task thread, and kept
        assert fresh.status_code == 200 and "Loop Name" in fresh.text
        assert requests.get(url + PERSON + ".jsonld", timeout=10).status_code == 200
        assert kept.of(app).flush()  # in the build's kept file too, for the server below
    # A new server over the same build: nothing in its memory, both documents in the kept file.
    with app_server(settings, following({"s": site}, ["s"]), threads=1, around=holding(gate, entered)) as (url, app), \
            ThreadPoolExecutor(3) as pool:
        first = requests.get(url + PERSON + ".ttl", timeout=5)  # the loop reads it from the file (no thread busy)
        assert first.content == fresh.content and without_date(first) == without_date(fresh)
        held = pool.submit(requests.get, url + "/hold", timeout=30)
        assert entered.wait(10)  # the only task thread is taken
        try:
            again = requests.get(url + PERSON + ".ttl", timeout=5)  # from memory, by the loop
            assert again.status_code == 200 and again.content == fresh.content
            assert without_date(again) == without_date(fresh)
            head = requests.head(url + PERSON + ".ttl", timeout=5)
            assert head.status_code == 200 and head.content == b""
            assert head.headers["Content-Length"] == str(len(fresh.content))
            same = requests.get(url + PERSON + ".ttl", headers={"If-None-Match": fresh.headers["ETag"]}, timeout=5)
            assert same.status_code == 304 and same.content == b""
            # Kept in the file only: while a thread runs, the loop does not give up the GIL to read it.
            in_file = pool.submit(requests.get, url + PERSON + ".jsonld", timeout=30)
            waiting = pool.submit(requests.get, url + PERSON + ".html", timeout=30)  # not kept: needs a thread
            time.sleep(0.5)
            assert not in_file.done() and not waiting.done()
        finally:
            gate.set()
        assert held.result().text == "released"
        assert in_file.result().status_code == 200
        page = waiting.result()
        assert page.status_code == 200 and "Loop Name" in page.text


def responses(raw: bytes) -> list[tuple[int, bytes]]:
    """(status, body) of each HTTP/1.1 response in `raw`, in order (bodies by Content-Length)."""
    out = []
    while raw:
        head, rest = raw.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        length = next(int(v) for k, v in (line.split(b": ", 1) for line in lines[1:]) if k.lower() == b"content-length")
        out.append((int(lines[0].split()[1]), rest[:length]))
        raw = rest[length:]
    return out


def test_pipelined_requests_are_answered_in_order_whoever_answers_them(tmp_path: Path) -> None:
    site = store_of(tmp_path, "Pipe Name", "build-pipe")
    with app_server(Settings(root=tmp_path), following({"s": site}, ["s"]), threads=1) as (url, _app):
        ttl = requests.get(url + PERSON + ".ttl", timeout=10).content  # kept; the HTML and JSON-LD are not
        host, port = url.removeprefix("http://").split(":")
        asks = [f"GET {PERSON}.{ext} HTTP/1.1\r\nHost: x\r\n\r\n" for ext in ("ttl", "html", "ttl", "jsonld")]
        with socket.create_connection((host, int(port)), timeout=10) as client:
            client.sendall("".join(asks).encode() + f"GET {PERSON}.ttl HTTP/1.1\r\nHost: x\r\n"
                                                    "Connection: close\r\n\r\n".encode())
            raw = b""
            while chunk := client.recv(65536):
                raw += chunk
    got = responses(raw)
    assert [status for status, _ in got] == [200] * 5
    assert got[0][1] == got[2][1] == got[4][1] == ttl
    assert got[1][1].lower().startswith(b"<!doctype html>") and b"Pipe Name" in got[1][1]
    assert b'"@context"' in got[3][1]


def test_the_loop_answers_only_what_the_fast_path_would_and_never_renders(tmp_path: Path) -> None:
    site = store_of(tmp_path, "Rule Name", "build-rule")
    stores = following({"s": site}, ["s"])
    try:
        app = create_app(Settings(root=tmp_path), stores)

        def asked(path: str, max_bytes: int = 1 << 20, **environ: Any) -> tuple[bool, dict[str, Any]]:
            env = EnvironBuilder(path=path, environ_base={"REMOTE_ADDR": "127.0.0.1", **environ}).get_environ()
            return app.extensions[FAST].prepare(env, max_bytes), env

        answered, env = asked(PERSON + ".ttl")  # not kept yet: a thread renders it, without reading the file again
        assert not answered and PREPARED not in env and env[MISSED][1:] == ("id/person/cache-test", "turtle", 1)
        rendered = app.test_client().get(PERSON + ".ttl")
        assert rendered.status_code == 200
        hits = app.extensions[CACHE].hits  # the first request, queued meanwhile, finds it rendered: not again
        assert b"".join(app.wsgi_app(env, lambda *_: None)) == rendered.data
        assert app.extensions[CACHE].hits == hits + 1
        answered, env = asked(PERSON + ".ttl")
        assert answered and env[PREPARED].body == rendered.data
        assert not asked(PERSON + ".ttl", max_bytes=10)[0]  # too big to be written from the loop
        assert kept.of(app).flush()
        fresh_app = create_app(Settings(root=tmp_path), stores)  # another process: the document in the file only
        env = EnvironBuilder(path=PERSON + ".ttl", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()
        assert not fresh_app.extensions[FAST].prepare(env, 1 << 20, False) and MISSED not in env  # a thread runs
        assert fresh_app.extensions[FAST].prepare(env, 1 << 20, True)  # none does: read from the file
        answered, env = asked("/sparql")
        assert not answered and MISSED not in env  # not a document
        assert not asked(PERSON + ".ttl", REMOTE_ADDR="192.0.2.7")[0]  # a client the rate limit counts
        behind_proxy = create_app(Settings(root=tmp_path, trusted_proxy="127.0.0.1"), stores)
        env = EnvironBuilder(path=PERSON + ".ttl", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()
        assert not behind_proxy.extensions[FAST].prepare(env, 1 << 20)  # the client is known once the app reads
        #                                                                  the proxy's headers
    finally:
        stores.close()
