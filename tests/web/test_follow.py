"""A running server follows publishes, on both back-ends: within seconds of `hrgraph build` every surface (pages,
search, SPARQL, saved queries, dumps, `/dumps/build.json`, `/health`) answers from the new build, no response
mixes two builds while the switch happens, and the server still answers `/sparql` after runaway queries.
`/health` says 503 when the query path is broken, and a failing remote store is a 5xx in the asked format.

Under Virtuoso the site is built with `HRGRAPH_STORE=remote` (its own base IRI, so its control graph is its
own) and the server follows the endpoint's active build, as a web node of a remote deployment does.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from hrgraph.store.follow import Following

from conftest import Backend, LiveServer, children, copy_project, embedded_only, remote_only, serving

PERSON = "id/person/andrei-aliaksandrau"
LABEL = "Andrei Aliaksandrau"
FOLLOW_BASE = "https://example.org/follow/"  # under Virtuoso: a control graph of its own
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def settings_env(backend: Backend) -> dict[str, str]:
    env = {"HRGRAPH_FOLLOW": "0.2", "HRGRAPH_QUERY_TIMEOUT": "3"}
    if backend.remote:
        assert backend.virtuoso is not None
        v = backend.virtuoso
        env.update({"HRGRAPH_STORE": "remote", "HRGRAPH_SPARQL_URL": v.sparql_url, "HRGRAPH_BASE": FOLLOW_BASE,
                    "HRGRAPH_VIRTUOSO_ISQL": f"127.0.0.1:{v.sql_port}", "HRGRAPH_VIRTUOSO_PASSWORD": v.password,
                    "HRGRAPH_VIRTUOSO_LOAD_DIR": str(v.load_dir)})
    return env


def hrgraph_build(root: Path, env: dict[str, str]) -> str:
    """`hrgraph build` as a user runs it; the id of the build it published."""
    done = subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(root), "build"], capture_output=True,
                          text=True, timeout=600, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads((root / "dist" / "build.json").read_text(encoding="utf-8"))["build_id"]


def rename(root: Path, label: str) -> None:
    persons = root / "data" / "curated" / "persons.yaml"
    text = persons.read_text(encoding="utf-8")
    current = text.split("label: Andrei Aliaksandrau", 1)[1].split("\n", 1)[0]
    persons.write_text(text.replace(f"label: Andrei Aliaksandrau{current}\n", f"label: {label}\n", 1),
                       encoding="utf-8")


@pytest.fixture()
def site(tmp_path: Path, backend: Backend) -> Iterator[tuple[LiveServer, dict[str, str], str]]:
    root = copy_project(tmp_path / "site")
    env = settings_env(backend)
    first = hrgraph_build(root, env)
    with serving(root, env=env) as server:
        yield server, env, first


def get(server: LiveServer, path: str, **kw: object) -> requests.Response:
    r = requests.get(server.url + path, timeout=30, **kw)  # type: ignore[arg-type]
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r


def served_build(server: LiveServer) -> str:
    return requests.get(server.url + "/health", timeout=30).json().get("build_id", "")


def wait_for_build(server: LiveServer, build_id: str, within_s: float = 20.0) -> float:
    started = time.monotonic()
    while served_build(server) != build_id:
        assert time.monotonic() - started < within_s, f"still serving {served_build(server)}, not {build_id}"
        time.sleep(0.1)
    return time.monotonic() - started


def every_surface(server: LiveServer, base: str, label: str) -> dict[str, object]:
    """What each surface says: the build id where it names one, else whether it shows `label`."""
    sparql = f"SELECT ?l WHERE {{ <{base}{PERSON}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    saved = get(server, "/queries/political-prisoners", headers={"Accept": "text/csv"}).text
    dump = gzip.decompress(get(server, "/dumps/hrgraph.nt.gz").content).decode()
    return {
        "health": served_build(server),
        "build.json": get(server, "/dumps/build.json").json()["build_id"],
        "page": label in get(server, f"/{PERSON}.html").text,
        "search": f"/{PERSON}" in get(server, "/persons", params={"q": label}).text,
        "sparql": get(server, "/sparql", params={"query": sparql}, headers={"Accept": "text/csv"}).text
        .splitlines()[1:] == [label],
        "saved query": label in saved,
        "dump": f'"{label}"' in dump,
    }


def etag(build_id: str, path: str, fmt: str = "turtle", page: int = 1) -> str:
    """The document ETag the server derives from the build (web/resources.py `etag_for`)."""
    return '"' + hashlib.sha256(f"{build_id}|{path}|{fmt}|{page}".encode()).hexdigest()[:32] + '"'


def test_a_server_follows_two_publishes(site: tuple[LiveServer, dict[str, str], str], backend: Backend) -> None:
    server, env, first = site
    base = env.get("HRGRAPH_BASE", "https://w3id.org/hrgraph/")
    root = server.settings.root
    assert every_surface(server, base, LABEL) == {"health": first, "build.json": first, "page": True,
                                                    "search": True, "sparql": True, "saved query": True,
                                                    "dump": True}
    labels, seen, stop = {first: LABEL}, [], threading.Event()

    def watch() -> None:  # one document over and over while builds are published: never a mix
        while not stop.is_set():
            r = requests.get(f"{server.url}/{PERSON}.ttl", timeout=30)
            seen.append((r.headers.get("ETag"), r.text))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for n in (1, 2):
            label = f"{LABEL} (publish {n})"
            rename(root, label)
            build_id = hrgraph_build(root, env)
            labels[build_id] = label
            waited = wait_for_build(server, build_id)
            print(f"\npublish {n}: served {waited:.2f} s after `hrgraph build` returned")
            assert every_surface(server, base, label) == {"health": build_id, "build.json": build_id, "page": True,
                                                           "search": True, "sparql": True, "saved query": True,
                                                           "dump": True}
    finally:
        stop.set()
        watcher.join()
    by_tag = {etag(b, PERSON): label for b, label in labels.items()}
    assert {tag for tag, _ in seen} <= set(by_tag)  # every response came from one of the builds
    for tag, body in seen:  # and its body from the same one
        assert f'"{by_tag[tag]}"' in body, (tag, [line for line in body.splitlines() if "label" in line])
    assert len({tag for tag, _ in seen}) == 3
    if not backend.remote:  # the two builds left are deleted at the next build, once no server holds them
        builds = sorted(p.name for p in (root / "var" / "store").glob("build-*"))
        assert len(builds) <= 2, builds
    with requests.Session() as client:  # then runaway queries: stopped, and the endpoint still answers
        for _ in range(2):
            r = client.get(server.url + "/sparql", params={"query": RUNAWAY, "timeout": "1"}, timeout=60)
            assert r.status_code == 504, r.text
        ask, deadline = f"ASK {{ <{base}{PERSON}> ?p ?o }}", time.monotonic() + 20
        while (r := client.get(server.url + "/sparql", params={"query": ask}, timeout=60,
                               headers={"Accept": "application/sparql-results+json"})).status_code == 503:
            assert "Retry-After" in r.headers and time.monotonic() < deadline, r.text  # workers restarting
            time.sleep(float(r.headers["Retry-After"]))
        assert r.status_code == 200 and r.json()["boolean"] is True, r.text


@embedded_only("the embedded store's leases; the remote store keeps what may still be read by time "
               "(test_remote_store.py)")
def test_a_build_left_by_the_server_is_deleted_at_the_next_build(site: tuple[LiveServer, dict[str, str], str]) -> None:
    server, env, first = site
    store_dir = server.settings.root / "var" / "store"
    held = {p.name for p in store_dir.glob("build-*")}
    rename(server.settings.root, f"{LABEL} (moved)")
    second = hrgraph_build(server.settings.root, env)
    assert {p.name for p in store_dir.glob("build-*")} > held  # the server still held the first: kept
    wait_for_build(server, second)
    time.sleep(0.5)  # its last request has handed it back
    rename(server.settings.root, f"{LABEL} (moved again)")
    third = hrgraph_build(server.settings.root, env)
    wait_for_build(server, third)
    left = {p.name for p in store_dir.glob("build-*")}
    assert not held & left, "the first build was not deleted once no server held it"


# --- a broken query path ------------------------------------------------------------------------------------

@embedded_only("the embedded store's query workers; a failing endpoint is the remote twin below")
def test_health_is_503_when_no_query_worker_can_start(built_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "site"
    import shutil

    shutil.copytree(built_root, root, symlinks=True)
    with serving(root) as server:
        assert requests.get(server.url + "/health", timeout=30).status_code == 200
        build = (root / "var" / "store" / "current").resolve()
        (build / "CURRENT").write_text("MANIFEST-999999\n")  # RocksDB's pointer: a new reader cannot open it
        for pid in children(server.process.pid):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while (r := requests.get(server.url + "/health", timeout=30)).status_code == 200:
            assert time.monotonic() < deadline, "health stayed 200 with no worker able to start"
            time.sleep(0.2)
        assert r.status_code == 503 and r.json()["status"] == "unavailable" and "worker" in r.json()["error"]
        started = time.monotonic()
        r = requests.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=60)
        assert r.status_code == 503 and r.headers["Retry-After"] and "worker" in r.text
        assert time.monotonic() - started < 5  # said at once, not after the query's whole time limit
        assert requests.get(server.url + f"/{PERSON}.html", timeout=30).status_code == 200  # pages still served


class Relay:
    """A TCP relay in front of a real server, which can be cut (connections refused) as a failing network is."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target, self.cut = target, threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            if self.cut.is_set():
                conn.close()
                continue
            upstream = socket.create_connection(self.target)
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        """Copy one direction; at its end, end both (the other direction's thread then closes its own side)."""
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            src.close()

    def close(self) -> None:
        self.listener.close()


@remote_only("an endpoint that stops answering; the embedded store's broken query path is the test above")
def test_a_failing_remote_store_is_a_5xx_in_the_asked_format(built_root: Path, backend: Backend) -> None:
    assert backend.virtuoso is not None
    relay = Relay(("127.0.0.1", backend.virtuoso.http_port))
    try:
        from conftest import load_into_virtuoso

        build_id = load_into_virtuoso(built_root, backend)
        env = {"HRGRAPH_STORE": "remote", "HRGRAPH_SPARQL_URL": f"http://127.0.0.1:{relay.port}/sparql",
               "HRGRAPH_REMOTE_BUILD": build_id}
        with serving(built_root, env=env) as server:
            assert get(server, f"/{PERSON}.html").status_code == 200
            relay.cut.set()
            asked = {"text/html": "text/html", "application/json": "application/json", "text/plain": "text/plain",
                     "text/csv": "text/plain"}
            for accept, expected in asked.items():
                r = requests.get(server.url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": accept},
                                 timeout=60)
                assert r.status_code == 503 and r.headers["Content-Type"].startswith(expected), (accept, r.headers)
                assert "unreachable" in r.text and "Traceback" not in r.text
            r = requests.get(server.url + f"/{PERSON}.ttl", timeout=60)
            assert r.status_code == 503 and r.headers["Content-Type"].startswith("text/turtle")
            assert r.text.startswith("# 503") and "unreachable" in r.text
            # An engine-searched list (the persons index is answered from a per-build index once built).
            r = requests.get(server.url + "/claims?q=release", headers={"Accept": "application/json"}, timeout=60)
            assert r.status_code == 503 and r.json()["error"]["message"]
            health = requests.get(server.url + "/health", timeout=60)
            assert health.status_code == 503 and "unreachable" in health.json()["error"]
    finally:
        relay.close()


def test_the_last_request_holding_a_build_let_go_does_not_wait_for_it_to_close() -> None:
    """Closing a build stops its query workers (up to seconds): the request, or the server's event loop, that
    checks the build in last goes on at once, and the build is closed beside it."""
    closed: list[int] = []
    done = threading.Event()

    class Build:
        def __init__(self, name: str) -> None:
            self.build_id = name

        def close(self) -> None:
            time.sleep(0.5)
            closed.append(threading.get_ident())
            done.set()

    serving = ["one"]
    stores = Following(lambda: serving[0], Build, interval_s=0)
    try:
        held = stores.checkout()
        serving[0] = "two"
        assert stores.refresh()  # "one" is left, still held
        started = time.monotonic()
        stores.checkin(held)
        assert time.monotonic() - started < 0.25
        assert done.wait(10) and closed != [threading.get_ident()]
    finally:
        stores.close()
