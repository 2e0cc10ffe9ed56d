"""`hrgraph serve` on every core: several server processes accepting on one listening socket.

pyoxigraph holds the GIL while it evaluates, and rendering a page is Python: one process uses one core. So the
server runs `HRGRAPH_PROCESSES` processes (0: one per core the process may run on). The parent binds the
socket, then starts each child as a fresh interpreter (never a fork of a threaded process) with the socket's
descriptor and its settings; every child runs the whole app (its own handles on the read-only store, its own
query workers, its own follower of publishes) and accepts from the shared socket, each taking an even share of
the connections (`web.balance`). The parent only watches: a child that dies is started again, and
SIGTERM or SIGINT stops them all.

Per-client limits across processes (decision): no client's state is shared between children, so each limit is set
so that the whole server never lets a client past it:
- the request rate and burst are divided among the processes (`rate_limit_per_s / N`, `ceil(burst / N)`),
  so a client's total is never above the configured rate; a client holding one kept-alive connection
  (served by one process) gets its share of it, one spreading its requests gets about the whole;
- the query workers and queries at once per client are per process (`web.fairness`): each process keeps
  `query_workers - per_client` workers free for others, so one client's share of the whole is the same
  share of each process's capacity as with one process;
- the strikes (queries that ran out of time or stopped a worker) are divided like the rate
  (`ceil(strikes / N)` per process), so a client is refused after about as many as with one process;
- the cap of connections per client applies per process.
Answers computed once per build (`web.kept`) are shared by the processes through the build's folder.
"""

from __future__ import annotations

import math
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

from hrgraph.config import Settings
from hrgraph.errors import HrgraphError
from hrgraph.web import balance

_ENTRY = ("import sys; from hrgraph.web.processes import child_main; "
          "child_main(*map(int, sys.argv[1:]))")
RESTART_PAUSE_S = 1.0


def count(settings: Settings) -> int:
    """How many server processes: the setting, or one per core this process may use."""
    if settings.processes > 0:
        return settings.processes
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def share(settings: Settings, processes: int) -> Settings:
    """The settings of one of `processes` children: the per-client rate, burst and strikes divided among them."""
    if processes <= 1:
        return settings
    if settings.query_strikes > 0:
        settings = settings.with_(query_strikes=max(1, math.ceil(settings.query_strikes / processes)))
    if settings.rate_limit_per_s > 0:
        settings = settings.with_(rate_limit_per_s=settings.rate_limit_per_s / processes,
                                  rate_limit_burst=max(1, math.ceil(settings.rate_limit_burst / processes)))
    return settings


def cannot_listen(settings: Settings, exc: OSError) -> HrgraphError:
    """A port in use or an address this machine does not have: said, not a traceback."""
    return HrgraphError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}",
                        hint="another server may hold the port: stop it, or choose another with --port "
                             "(HRGRAPH_PORT)")


def bind(settings: Settings) -> socket.socket:
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, settings.port))
    except OSError as exc:
        sock.close()
        raise cannot_listen(settings, exc) from None
    # Not listening yet: each child listens once its app is ready (waitress does), so until one is, a client
    # is refused at once rather than left waiting.
    sock.set_inheritable(True)
    return sock


@dataclass
class _Child:
    process: subprocess.Popen
    ready_fd: int  # read end of the pipe the child writes one byte to once its app is ready
    ready: bool = False

    def poll_ready(self) -> bool:
        if not self.ready:
            try:
                self.ready = bool(os.read(self.ready_fd, 1))
            except BlockingIOError:
                pass
        return self.ready


def _start_child(sock: socket.socket, settings: Settings, region: int, slot: int, processes: int) -> _Child:
    """Child `slot` of `processes`, given the shared socket and the balance's shared region (`web.balance`)."""
    ready_r, ready_w = os.pipe()
    os.set_blocking(ready_r, False)
    argv = [sys.executable, "-c", _ENTRY, *map(str, (sock.fileno(), ready_w, os.getpid(), region, slot, processes))]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, pass_fds=[sock.fileno(), ready_w, region])
    os.close(ready_w)
    assert proc.stdin is not None
    proc.stdin.write(pickle.dumps(settings))
    proc.stdin.close()
    return _Child(proc, ready_r)


def supervise(settings: Settings, processes: int) -> None:
    """Bind, start `processes` children, restart any that dies once it had served, stop them all on SIGTERM /
    SIGINT. A child that dies before it was ready (no store, a corrupt one: it said why on stderr) stops the
    server with its exit code rather than being restarted for ever."""
    sock = bind(settings)
    region = balance.shared_region(processes)  # where each child says how many connections it holds
    child_settings = share(settings, processes)
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    children = [_start_child(sock, child_settings, region, n, processes) for n in range(processes)]
    announced = False
    try:
        while not stopping:
            time.sleep(0.2)
            for n, child in enumerate(children):
                ready = child.poll_ready()
                if child.process.poll() is None or stopping:
                    continue
                if not ready:
                    raise SystemExit(child.process.returncode or 2)
                print(f"hrgraph serve: process {child.process.pid} exited with {child.process.returncode}; "
                      "starting another", file=sys.stderr, flush=True)
                os.close(child.ready_fd)
                time.sleep(RESTART_PAUSE_S)
                children[n] = _start_child(sock, child_settings, region, n, processes)
            if not announced and all(c.ready for c in children):
                announced = True
                print(f"hrgraph: serving on http://{settings.host}:{sock.getsockname()[1]}/ with {processes} "
                      "processes", flush=True)
    finally:
        for child in children:
            if child.process.poll() is None:
                child.process.terminate()
        for child in children:
            try:
                child.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.process.kill()
            os.close(child.ready_fd)
        sock.close()
        os.close(region)


def child_main(fd: int, ready_fd: int, parent: int, region: int, slot: int, processes: int) -> None:
    """One child: its settings from stdin, the app over the shared socket (accepting its share of connections,
    `web.balance`), until SIGTERM."""
    die_with_parent(parent)
    settings: Settings = pickle.loads(sys.stdin.buffer.read())
    sock = socket.socket(fileno=fd)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # finally: the stores close, the workers end
    from hrgraph.web.server import run_server

    def ready() -> None:
        os.write(ready_fd, b"r")
        os.close(ready_fd)

    try:
        run_server(settings, sock, ready, balance.AcceptBalance(region, slot, processes))
    except HrgraphError as exc:  # said as `hrgraph serve` says it; the parent then exits with this code
        print(f"hrgraph serve: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


def die_with_parent(parent: int) -> None:
    """Linux: this process gets SIGTERM when `parent` (the process that started it) dies, however it dies
    (SIGKILL included), so no server process outlives its supervisor; a parent already gone before the
    request took effect (it died while this interpreter started) ends this process at once."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        raise SystemExit(0)
