"""Shared fixtures: a real build in a temporary project folder, and the real server on a free port.

Every server-backed fixture takes `backend`, parametrized over the embedded store and Virtuoso, so each web
test runs twice: `test_x[embedded]` over pyoxigraph, `test_x[virtuoso]` with HRGRAPH_STORE=remote over one
Virtuoso per session (started on first use; those variants skip, with the reason, where it cannot start).
Under Virtuoso, `serving(root, backend=…)` copies the site's embedded store into the endpoint as a build of
its own (`remote_publish.load`) and pins the server to it with HRGRAPH_REMOTE_BUILD, so sites with different
data share the one Virtuoso without seeing each other.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
import virtuoso

from hrgraph.config import Settings
from hrgraph.pipeline.build import build

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("data", "ontology", "shapes", "queries")
BACKENDS = ("embedded", "virtuoso")


@dataclass
class Backend:
    """Which store the servers of a test run on; `virtuoso` is the running server for the remote one."""

    name: str
    virtuoso: virtuoso.Virtuoso | None = None
    loaded: dict[str, str] | None = None  # build id -> the site it came from, to catch two sites on one id

    @property
    def remote(self) -> bool:
        return self.virtuoso is not None


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    """One Virtuoso for the whole session (Debian's virtuoso-opensource on loopback ports)."""
    try:
        server = virtuoso.start(tmp_path_factory.mktemp("virtuoso"), buffers=20_000)
    except virtuoso.Unavailable as exc:
        pytest.skip(f"Virtuoso unavailable, the remote back-end is not tested: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "virtuoso":
        return Backend("virtuoso", request.getfixturevalue("virtuoso_server"), {})
    return Backend("embedded")


def embedded_only(reason: str) -> pytest.MarkDecorator:
    """Mark a test that is about the embedded store itself; it runs only in the `embedded` variant."""
    return pytest.mark.embedded_only(reason=reason)


def remote_only(reason: str) -> pytest.MarkDecorator:
    """Mark a test that is about the remote store itself; it runs only in the `virtuoso` variant."""
    return pytest.mark.remote_only(reason=reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Drop the variant a test marked embedded_only or remote_only is not about (the reason is in the marker)."""
    items[:] = [item for item in items
                if not (item.get_closest_marker("embedded_only") and "[virtuoso" in item.nodeid)
                and not (item.get_closest_marker("remote_only") and "[embedded" in item.nodeid)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "embedded_only(reason): about the embedded store; not run over Virtuoso")
    config.addinivalue_line("markers", "remote_only(reason): about the remote store; not run over the embedded one")


def copy_project(dest: Path) -> Path:
    """A private copy of the inputs a build reads, so tests never touch the checkout's dist/ or var/."""
    for part in PROJECT_PARTS:
        if (REPO / part).exists():
            shutil.copytree(REPO / part, dest / part)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (a server's query workers)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@dataclass
class LiveServer:
    url: str
    settings: Settings
    process: subprocess.Popen

    @property
    def log(self) -> Path:
        """What the server printed (stdout and stderr)."""
        return self.settings.root / f"serve-{self.settings.port}.log"


@pytest.fixture(scope="session")
def built_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with a finished build (dist/ and var/store/current)."""
    root = copy_project(tmp_path_factory.mktemp("site"))
    result = build(Settings(root=root))
    assert result.published, f"the build of the real data published nothing: {result.problems}"
    return root


def load_into_virtuoso(root: Path, backend: Backend) -> str:
    """The site's published embedded store, graph by graph, loaded as a build of its own; returns its id."""
    from hrgraph.store.remote_publish import Target, load

    current = root / "var" / "store" / "current"
    build_id = (current / "BUILD").read_text(encoding="utf-8").strip()
    assert backend.loaded is not None and backend.virtuoso is not None
    site = backend.loaded.setdefault(build_id, str(root))
    assert site == str(root) or (root / "dist").exists(), f"two sites publish build {build_id}: {site}, {root}"
    export = root / "remote-export"
    export.mkdir(exist_ok=True)
    store = ox.Store.read_only(str(current.resolve()))
    graphs = {}
    for n, graph in enumerate(sorted(store.named_graphs(), key=str)):
        path = export / f"graph-{n}.nt"
        ox.serialize((q.triple for q in store.quads_for_pattern(None, None, None, graph)), path,
                     format=ox.RdfFormat.N_TRIPLES)
        graphs[graph.value] = path
    del store
    load(graphs, build_id, Target(backend.virtuoso.isql(), backend.virtuoso.load_dir))
    return build_id


def remote_env(backend: Backend, build_id: str) -> dict[str, str]:
    assert backend.virtuoso is not None
    return {"HRGRAPH_STORE": "remote", "HRGRAPH_SPARQL_URL": backend.virtuoso.sparql_url,
            "HRGRAPH_REMOTE_BUILD": build_id}


def start_server(root: Path, *extra: str, backend: Backend | None = None,
                 env: dict[str, str] | None = None) -> LiveServer:
    """`hrgraph serve` over the site in `root`: its embedded store, or (a remote backend) Virtuoso; `env` is
    added to the server's environment."""
    # One server process and no background warm-up unless a test asks for them (tests/web/test_processes.py):
    # the rate-limit, pool and timing tests count what one process does with all its query workers free.
    env = {**os.environ, **{k: os.environ.get(k, v) for k, v in (("HRGRAPH_PROCESSES", "1"), ("HRGRAPH_WARMUP", "0"))},
           **(env or {})}
    if backend is not None and backend.remote:
        env.update(remote_env(backend, load_into_virtuoso(root, backend)))
    port = free_port()
    cmd = [sys.executable, "-m", "hrgraph.cli", "--root", str(root), "serve", "--port", str(port), *extra]
    # The server's output goes to a file, never an undrained pipe: once a pipe's buffer is full, the next log
    # line (waitress warns when its task queue grows) blocks the server's main loop and every client hangs.
    log = root / f"serve-{port}.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                out = log.read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"server exited with {proc.returncode}:\n{out}")
            try:
                requests.get(url + "/", timeout=5)
                return LiveServer(url, Settings(root=root, port=port), proc)
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or slow on a loaded machine
                time.sleep(0.1)
        raise RuntimeError("server did not answer within 30 s")
    except BaseException:
        stop_server(proc)
        raise


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (server processes, query workers, warmers), children first."""
    out, todo = [], [pid]
    while todo:
        found = children(todo.pop())
        out += found
        todo += found
    return out


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM to `hrgraph serve` (it stops what it started), then SIGKILL to whatever of its tree is left:
    a test leaves no process behind, even when the server failed to stop cleanly."""
    below = descendants(proc.pid)
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while (alive := [p for p in below if _alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in alive:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@contextmanager
def serving(root: Path, *extra: str, backend: Backend | None = None,
            env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """`start_server`, stopped again when the block ends."""
    server = start_server(root, *extra, backend=backend, env=env)
    try:
        yield server
    finally:
        stop_server(server.process)


@pytest.fixture(scope="session")
def live(built_root: Path, backend: Backend) -> Iterator[LiveServer]:
    """The real `hrgraph serve` (waitress) over the real build, on a free loopback port, on each back-end."""
    with serving(built_root, backend=backend) as server:
        yield server
