"""`hrgraph serve` on several processes: they share the port, the answers kept per build (and keep them in
RAM), and the limits.

Embedded store only where the kept file is looked at (a remote build has no folder: answers stay in memory).
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from hrgraph.config import Settings
from hrgraph.store.backends import open_store
from hrgraph.web import create_app, pagecache
from hrgraph.web import kept as kept_module
from hrgraph.web.kept import FILE, Kept
from hrgraph.web.pagecache import drop, resident_share
from hrgraph.web.warmup import warm

from conftest import Backend, children, embedded_only, load_into_virtuoso, remote_env, remote_only, serving

JSON = "application/sparql-results+json"


def kept_rows(root: Path) -> dict[str, int]:
    path = (root / "var/store/current").resolve() / "kept" / FILE
    if not path.is_file():
        return {}
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT kind, COUNT(*) FROM kept GROUP BY kind").fetchall())


def skip_where_nothing_drops(path: Path) -> None:
    """Before anything could read `path` back: a folder held in memory (tmpfs) has nothing to bring back."""
    drop(path)
    if resident_share(path) > 0.5:
        pytest.skip(f"{path.parent} keeps files in memory (tmpfs?): nothing to bring back")


linux_only = pytest.mark.skipif(sys.platform != "linux", reason="page cache residency: mincore, fadvise, sendfile")


@pytest.fixture
def site(built_root: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(built_root, root, symlinks=True)
    kept = (root / "var/store/current").resolve() / "kept"
    shutil.rmtree(kept, ignore_errors=True)  # what other servers of the session kept
    return root


@embedded_only("looks at the kept file inside the embedded build's folder")
def test_two_processes_answer_and_share_what_they_kept(site: Path) -> None:
    with serving(site, env={"HRGRAPH_PROCESSES": "2", "HRGRAPH_WARMUP": "1"}) as live:
        assert len(children(live.process.pid)) == 2  # the parent supervises two servers
        deadline = time.monotonic() + 60
        saved = len(list((site / "queries").glob("*.rq")))
        while kept_rows(site).get("result", 0) < saved and time.monotonic() < deadline:
            time.sleep(0.5)  # the saved queries are run once in the background, by one of the processes
        assert kept_rows(site).get("result") == saved
        persons = requests.get(live.url + "/sparql", headers={"Accept": JSON}, timeout=30, params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/hrgraph/ontology#Person> }"})
        documents = 2 * int(persons.json()["results"]["bindings"][0]["n"]["value"])  # HTML and Turtle of each
        while kept_rows(site).get("document", 0) < documents and time.monotonic() < deadline + 60:
            time.sleep(0.5)  # rendered ahead by a warmer process, through the app itself
        assert kept_rows(site).get("document", 0) >= documents
        found = requests.get(live.url + "/sparql", headers={"Accept": JSON}, timeout=30, params={
            "query": "SELECT ?p WHERE { ?p a <https://w3id.org/hrgraph/ontology#Person> } LIMIT 1"})
        path = found.json()["results"]["bindings"][0]["p"]["value"].removeprefix("https://w3id.org/hrgraph/")
        pages = {requests.get(f"{live.url}/{path}.html", timeout=30).text for _ in range(6)}  # new connections
        assert len(pages) == 1  # whichever process answered, the same page
        r = requests.get(live.url + "/queries/political-prisoners", headers={"Accept": JSON}, timeout=30)
        assert r.status_code == 200 and r.json()["results"]["bindings"]
    assert not children(live.process.pid)


def test_the_rate_limit_holds_across_processes(site: Path) -> None:
    """Each of 2 processes gets half the rate and burst: a client opening a new connection per request (so
    reaching both) gets no more than the configured burst plus the rate."""
    env = {"HRGRAPH_PROCESSES": "2", "HRGRAPH_RATE_LIMIT_LOOPBACK": "1", "HRGRAPH_RATE_LIMIT": "1",
           "HRGRAPH_RATE_BURST": "6"}
    with serving(site, env=env) as live:
        time.sleep(3)  # the probe of `serving` spent a token; let both buckets fill again
        started = time.monotonic()
        codes = [requests.get(live.url + "/ontology", timeout=30).status_code for _ in range(30)]
        elapsed = time.monotonic() - started
    assert codes.count(429) > 0 and set(codes) <= {200, 429}
    assert codes.count(200) <= 6 + int(elapsed) + 1


def test_kept_answers_are_bounded_and_survive_a_broken_folder(tmp_path: Path) -> None:
    kept = Kept(max_bytes=4000)
    folder = tmp_path / "build" / "kept"
    folder.parent.mkdir()
    kept.put("b1", folder, "document", "a", b"x" * 500)
    assert kept.get("b1", folder, "document", "a") == b"x" * 500
    kept.put("b1", folder, "document", "huge", b"x" * 2000)  # over a quarter of the bound: not kept
    assert kept.get("b1", folder, "document", "huge") is None
    assert kept.flush()  # written by the writer thread
    assert Kept(4000).get("b1", folder, "document", "a") == b"x" * 500  # another process, or a restart
    kept.put("b2", None, "result", "q", b"rows")  # no folder (a remote build): in memory, per build
    assert kept.get("b2", None, "result", "q") == b"rows" and kept.get("b3", None, "result", "q") is None
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    kept.put("b1", blocked / "kept", "document", "a", b"y")  # cannot be written: computed again next time
    assert kept.get("b1", blocked / "kept", "document", "a") == b"y"  # until the writer gave up on it
    assert kept.flush()
    assert kept.get("b1", blocked / "kept", "document", "a") is None


@linux_only
@pytest.mark.parametrize("given", [None, "4"])
def test_server_processes_run_with_few_malloc_arenas_and_hand_big_blocks_back(site: Path, given: str | None) -> None:
    """Each server process and what it starts allocate from at most 2 malloc arenas, and take blocks of 128 KiB
    and more from the OS, handed back when freed (an operator's own values win): with glibc's defaults each
    process held ~780 MiB at 10M triples, and kept the pages of a saved query's big answer after it was sent."""
    mine = {"MALLOC_ARENA_MAX": given, "MALLOC_MMAP_THRESHOLD_": f"{given}00000"} if given else {}
    env = {"HRGRAPH_PROCESSES": "2", "HRGRAPH_WARMUP": "0", **mine}
    with serving(site, env=env) as live:
        servers = children(live.process.pid)
        assert len(servers) == 2
        for pid in servers:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert f"MALLOC_ARENA_MAX={given or 2}".encode() in environ
            assert f"MALLOC_MMAP_THRESHOLD_={f'{given}00000' if given else 131072}".encode() in environ


def kept_writers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "hrgraph-kept-writer"]


def test_kept_values_are_written_by_a_writer_thread_and_read_back_meanwhile(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A request only queues what it keeps: one writer thread writes the queue in batches (one transaction),
    the queued values are answered until then, and the writer ends when idle."""
    monkeypatch.setattr(kept_module, "WRITER_IDLE_S", 0.2)
    folder = tmp_path / "build" / "kept"
    folder.parent.mkdir()
    kept = Kept(max_bytes=64 << 20)
    for n in range(500):
        kept.put("b1", folder, "document", f"k{n}", b"v%d" % n)
        assert kept.get("b1", folder, "document", f"k{n}") == b"v%d" % n  # queued or written: read back
    assert kept.flush()
    other = Kept(64 << 20)  # another process, or a restart
    assert [other.get("b1", folder, "document", f"k{n}") for n in (0, 250, 499)] == [b"v0", b"v250", b"v499"]
    deadline = time.monotonic() + 10
    while kept_writers() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not kept_writers()  # idle: ended; the next put starts another
    kept.put("b1", folder, "document", "late", b"x")
    assert kept.flush() and other.get("b1", folder, "document", "late") == b"x"


def test_a_write_waits_out_another_writer_holding_the_file_and_reads_go_on(tmp_path: Path) -> None:
    """Another process's writer may hold the write lock for seconds (a warmer at idle priority, starved while
    it holds it): at a 0.5 s timeout the batch was dropped, "database is locked", and its documents were never
    rendered ahead. Reads meanwhile are answered at once (WAL), the event loop's too."""
    folder = tmp_path / "build" / "kept"
    folder.parent.mkdir()
    kept = Kept(max_bytes=64 << 20)
    kept.put("b1", folder, "document", "first", b"1")
    assert kept.flush()
    holder = sqlite3.connect(folder / FILE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # the write lock
    try:
        kept.put("b1", folder, "document", "second", b"2")
        time.sleep(1.5)
        assert Kept(64 << 20).get("b1", folder, "document", "first", wait=False) == b"1"
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert kept.flush()
    other = Kept(64 << 20)  # another process, or a restart
    assert other.get("b1", folder, "document", "second") == b"2"


@embedded_only("the port is taken before any store is asked")
@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_port_in_use_is_said_not_a_traceback(built_root: Path, processes: str) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(built_root), "serve", "--port",
                               str(port)], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "HRGRAPH_PROCESSES": processes, "HRGRAPH_WARMUP": "0"})
    assert done.returncode == 2, done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@linux_only
def test_read_through_brings_back_what_the_kernel_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "build" / "kept"
    folder.parent.mkdir()
    kept = Kept(max_bytes=64 << 20)
    for n in range(300):
        kept.put("b1", folder, "document", f"id/person/p{n}|html|1", os.urandom(8000))
    assert kept.flush()
    with sqlite3.connect(folder / FILE) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
    path = folder / FILE
    skip_where_nothing_drops(path)
    assert pagecache.read_through([kept_module.files(folder)]) >= path.stat().st_size
    assert resident_share(path) > 0.95
    assert kept.get("b1", folder, "document", "id/person/p7|html|1") is not None  # read, not changed
    assert pagecache.read_through([kept_module.files(tmp_path / "gone"), [tmp_path / "gone.sst"]]) == 0  # deleted


@linux_only
def test_read_through_stops_at_the_files_that_would_not_fit_in_memory(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    small, big, after = tmp_path / "small", tmp_path / "big", tmp_path / "after"
    small.write_bytes(b"s" * 1000)
    big.write_bytes(b"b" * 5000)
    after.write_bytes(b"a" * 10)
    monkeypatch.setattr(pagecache, "_available_memory", lambda: 3000)
    assert pagecache.read_through([[small], [big], [after]]) == 1000  # the first groups matter most
    monkeypatch.setattr(pagecache, "_available_memory", lambda: 10_000)
    assert pagecache.read_through([[small], [big, after]]) == 6010


def warmers(server: int) -> list[int]:
    """The document warmers under a server (children of its processes)."""
    found = []
    for child in children(server):
        for pid in children(child):
            try:
                if b"documents_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.append(pid)
            except OSError:
                pass
    return found


@linux_only
@embedded_only("the kept file is inside the embedded build's folder")
def test_the_served_builds_kept_file_and_store_stay_in_ram(site: Path) -> None:
    """Pages of the kept file and of the store's own files that the kernel drops are read back by the server
    within seconds, before a visitor asks for them (the warm-up stops early here: a 1 MiB kept file is full
    after a few documents)."""
    env = {"HRGRAPH_PROCESSES": "2", "HRGRAPH_WARMUP": "1", "HRGRAPH_KEPT_MB": "1"}
    build = (site / "var/store/current").resolve()
    path = build / "kept" / FILE
    tables = sorted(build.glob("*.sst"))
    assert tables  # what `EmbeddedStore.disk_files` names
    skip_where_nothing_drops(tables[0])
    with serving(site, env=env) as live:
        deadline = time.monotonic() + 120
        while (not path.is_file() or warmers(live.process.pid)) and time.monotonic() < deadline:
            time.sleep(0.5)  # until the warmers found the file full and stopped writing
        assert path.is_file() and not warmers(live.process.pid)
        for dropped in (path, *tables):
            drop(dropped)
        while min(map(resident_share, (path, *tables))) < 0.95 and time.monotonic() < deadline + 60:
            time.sleep(1)
        assert resident_share(path) > 0.95
        assert min(map(resident_share, tables)) > 0.95
    assert not children(live.process.pid)


def test_a_containers_memory_limit_bounds_what_is_read_through(tmp_path: Path) -> None:
    cgroup = tmp_path / "cgroup"
    cgroup.mkdir()
    (cgroup / "memory.max").write_text("1000000\n")
    (cgroup / "memory.current").write_text("900000\n")
    (cgroup / "memory.stat").write_text("anon 700000\nfile 150000\nkernel 50000\n")
    assert pagecache._cgroup_headroom(cgroup) == 250_000  # the limit less what is used, its file cache room
    (cgroup / "memory.max").write_text("max\n")
    assert pagecache._cgroup_headroom(cgroup) == sys.maxsize
    assert pagecache._cgroup_headroom(tmp_path / "none") == sys.maxsize  # no cgroup v2 here: no bound


def test_the_memory_limits_that_count_are_this_processs_cgroup_and_those_above_it(tmp_path: Path) -> None:
    own = tmp_path / "cgroup"
    own.write_text("4:memory:/v1/ignored\n0::/system.slice/hrgraph.service\n")
    root = tmp_path / "fs"
    assert pagecache._cgroups(root, own) == [root / "system.slice/hrgraph.service", root / "system.slice", root]
    own.write_text("0::/\n")  # in a container of its own
    assert pagecache._cgroups(root, own) == [root]
    own.write_text("4:memory:/only/v1\n")
    assert pagecache._cgroups(root, own) == []


@linux_only
@embedded_only("the store's files are inside the embedded build's folder")
def test_the_store_stays_in_ram_without_the_warm_up(site: Path) -> None:
    tables = sorted((site / "var/store/current").resolve().glob("*.sst"))
    skip_where_nothing_drops(tables[0])
    with serving(site, env={"HRGRAPH_PROCESSES": "1", "HRGRAPH_WARMUP": "0"}) as live:
        deadline = time.monotonic() + 60
        for table in tables:
            drop(table)
        while min(map(resident_share, tables)) < 0.95 and time.monotonic() < deadline:
            time.sleep(1)
        assert min(map(resident_share, tables)) > 0.95
    assert not children(live.process.pid)


@remote_only("a remote build has no folder: nothing to elect a warming process with")
def test_warming_a_remote_build_leaves_the_output_open(built_root: Path, backend: Backend,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`warm` closes the lock it took; without a folder there is none (it once closed fd 1, stdout)."""
    for key, value in remote_env(backend, load_into_virtuoso(built_root, backend)).items():
        monkeypatch.setenv(key, value)
    settings = Settings.from_env(root=built_root)
    stores = open_store(settings)
    try:
        app = create_app(settings, stores)
        store = stores.checkout()
        before = os.fstat(1)
        assert store.cache_dir is None
        assert warm(app, store) > 0
        after = os.fstat(1)
        stores.checkin(store)
    finally:
        stores.close()
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
