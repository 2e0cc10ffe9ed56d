"""The server's share of the machine: processes sharing one socket take even shares of the connections
(`web.balance`), the event loop does not spin on output a task thread is sending (`web.server`), and the
document warmers run only on CPU time the servers leave (SCHED_IDLE), and templates are compiled before a page
asks."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import weakref
from pathlib import Path

import pytest
from jinja2 import DictLoader

from hrgraph import web
from hrgraph.config import Settings
from hrgraph.web import balance, create_app
from hrgraph.web.balance import AcceptBalance
from hrgraph.web.server import GuardedChannel, GuardedServer
from hrgraph.web.warmup import compile_templates

from conftest import children, serving

CONNECTIONS = 16
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="/proc, SCHED_IDLE")


def settle() -> None:
    time.sleep(balance.RECHECK_S * 2)  # past the time an answer is kept


@pytest.mark.parametrize("memfd", [True, False], ids=["memfd", "temporary file"])
def test_a_process_holding_more_than_its_sibling_leaves_new_connections_to_it(memfd: bool,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if not memfd:  # as where there is no memfd (not Linux)
        monkeypatch.delattr(os, "memfd_create", raising=False)
    fd = balance.shared_region(2)
    try:
        first, second = AcceptBalance(fd, 0, 2), AcceptBalance(fd, 1, 2)
        assert first.accepting(3)  # the sibling has not said anything yet: not waited for
        assert second.accepting(1)
        settle()
        assert not first.accepting(3)  # 3 against 1: the sibling takes the next
        assert second.accepting(1)
        settle()
        assert first.accepting(1) and second.accepting(1)  # even: both poll, either may take it
        settle()
        assert not first.accepting(2)
        time.sleep(balance.GRACE_S + 0.01)
        assert first.accepting(2)  # the sibling did not take it in time: taken here, not left waiting
    finally:
        os.close(fd)


def test_a_silent_sibling_is_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sibling that stopped saying how many connections it holds (dead, stuck) is ignored after STALE_S."""
    fd = balance.shared_region(3)
    try:
        live, silent, me = AcceptBalance(fd, 0, 3), AcceptBalance(fd, 1, 3), AcceptBalance(fd, 2, 3)
        silent.accepting(0)
        live.accepting(5)
        settle()
        assert not me.accepting(4)  # the silent one holds 0
        monkeypatch.setattr(balance, "STALE_S", 0.05)
        time.sleep(0.06)
        live.accepting(5)
        settle()
        assert me.accepting(4)  # only the live one counts: 4 against 5
    finally:
        os.close(fd)


def established(pid: int, port: int) -> int:
    """Connections to `port` that process `pid` holds (its socket descriptors, matched in /proc/net/tcp)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
        count += local_port == port and state == "01" and inode in inodes
    return count


@linux_only
def test_a_burst_of_connections_is_spread_over_the_processes(built_root: Path) -> None:
    """Without the balance, each new connection went to whichever process the kernel woke first: 16 opened at
    once went 3/13, 3/13, 5/11, 7/9 over two processes; now each process takes its share."""
    with serving(built_root, env={"HRGRAPH_PROCESSES": "2", "HRGRAPH_WARMUP": "0"}) as live:
        deadline = time.monotonic() + 60
        while "with 2 processes" not in live.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)  # the first process answered; until the second is ready, the first takes everyone
        port = int(live.url.rsplit(":", 1)[1])
        held = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(CONNECTIONS)]  # a burst
        try:
            for sock in held:
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            for sock in held:
                assert sock.recv(65536).startswith(b"HTTP/1.1 200")  # accepted and answered, kept open
            time.sleep(0.2)  # the loops publish their counts
            spread = sorted(established(pid, port) for pid in children(live.process.pid))
        finally:
            for sock in held:
                sock.close()
    assert sum(spread) == CONNECTIONS, spread
    assert spread[-1] - spread[0] <= 2, spread


@linux_only
def test_document_warmers_run_only_on_idle_cpu(built_root: Path, tmp_path: Path) -> None:
    """At nice 19 the two warmers still took 15-25% of the cores from servers under load; SCHED_IDLE yields."""
    import shutil

    root = tmp_path / "site"
    shutil.copytree(built_root, root, symlinks=True)
    shutil.rmtree((root / "var/store/current").resolve() / "kept", ignore_errors=True)  # so there is work
    with serving(root, env={"HRGRAPH_PROCESSES": "1", "HRGRAPH_WARMUP": "1"}) as live:
        deadline, policies = time.monotonic() + 60, set()
        while os.SCHED_IDLE not in policies and time.monotonic() < deadline:
            for pid in children(live.process.pid):
                try:
                    if b"documents_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        policies.add(os.sched_getscheduler(pid))  # set first thing once it runs
                except (OSError, ProcessLookupError):
                    pass  # it has just ended
            time.sleep(0.02)
    assert os.SCHED_IDLE in policies, policies


def test_the_loop_leaves_output_to_the_task_thread_that_is_sending_it() -> None:
    """Waitress's loop polled for POLLOUT while a task thread held a connection's output lock (writing, then
    sending, then waiting for the GIL), got it at once and polled again: 47-80 turns per page rendered at c=8,
    each holding the GIL the task thread needed. Now the connection is not polled for output until the lock is
    free; the task thread pulls the trigger when it leaves bytes unsent."""
    server = GuardedServer(lambda environ, start: [], 30, 0, True, host="127.0.0.1", port=0, threads=1)
    client = socket.create_connection(server.socket.getsockname()[:2], timeout=10)
    accepted, addr = server.socket.accept()
    try:
        channel = GuardedChannel(server, accepted, addr, server.adj, map=server._map)
        assert not channel.writable()  # nothing to send
        channel.outbufs[-1].append(b"HTTP/1.1 200 OK\r\n\r\n")
        channel.total_outbufs_len = 19
        assert channel.writable()  # left over, no task running: the loop sends it
        channel.requests.append(object())  # a task is running on this connection
        assert channel.writable()  # and is not writing just now: the loop may send
        held, release = threading.Event(), threading.Event()

        def task_thread() -> None:
            with channel.outbuf_lock:
                held.set()
                release.wait(10)

        writer = threading.Thread(target=task_thread)
        writer.start()
        held.wait(10)
        assert not channel.writable()  # the task thread is sending: the loop does not spin on it
        channel.will_close = True
        assert channel.writable()  # but a connection to close is always flushed and closed
        channel.will_close = False
        release.set()
        writer.join(10)
        assert channel.writable()
    finally:
        for sock in (client, accepted):
            sock.close()
        server.close()
        server.task_dispatcher.shutdown()


def test_the_warm_up_compiles_every_template_before_a_page_asks() -> None:
    class NoStore:
        build_id = "none"

    app = create_app(Settings(), NoStore())  # type: ignore[arg-type]
    shipped = sorted(p.name for p in (Path(web.__file__).parent / "templates").glob("*.html"))
    assert compile_templates(app) == len(shipped)
    loaded = [app.jinja_env.cache.get((weakref.ref(app.jinja_env.loader), n)) for n in shipped]  # Jinja's own key
    assert all(t is not None for t in loaded)


def test_a_template_that_does_not_compile_does_not_stop_the_warm_up() -> None:
    class NoStore:
        build_id = "none"

    app = create_app(Settings(), NoStore())  # type: ignore[arg-type]
    app.jinja_env.loader = DictLoader({"good.html": "{{ 1 }}", "broken.html": "{% if %}"})
    assert compile_templates(app) == 1  # the broken one is left to its page, which says why
