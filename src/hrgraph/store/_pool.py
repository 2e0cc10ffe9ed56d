"""The embedded store's query workers: client queries in processes that can be killed, the only real
timeout over pyoxigraph. Private to `hrgraph.store.embedded`.

pyoxigraph has no cancellation, so a runaway query (a cartesian product, an unbounded property path) would
hold a thread and its memory until it finished. Here each client query runs in one of a small pool of
workers (fresh interpreters, each with the build opened read-only, `RLIMIT_AS` set, and its own lease on the
build, so the build is never deleted under it). The worker evaluates the query and sends back a
`QueryResult` cut at the caps (`results.encode`). A worker that overruns its time is killed (SIGKILL) and
replaced in the background; one that dies (out of memory, a crash, killed from outside) is replaced too.
When every worker is busy and `queue` requests already wait, a request is refused at once (`StoreBusy`).

A worker that cannot be started again is retried with a growing pause for as long as the pool lives;
meanwhile `failure` says why, and a query that finds no worker at all is refused at once with that reason
rather than waiting out its whole time limit.

Every worker is started by the pool's one long-lived spawner thread: a worker asks the kernel to kill it when
its parent dies (PR_SET_PDEATHSIG), and Linux means the parent *thread*. Started from a short-lived thread, as
replacements once were, a worker was killed the moment that thread ended, often in the middle of another
client's query, which that client then saw fail.
"""

from __future__ import annotations

import ctypes
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from hrgraph.store.base import Dataset, Limits, QueryCrashed, QueryError, QueryTimeout, StoreBusy, WorkerFailed
from hrgraph.store.results import QueryResult, encode

# A fresh interpreter per worker (never a fork of the threaded server, nor multiprocessing's re-import of
# `__main__`); the job pipe is a socketpair fd handed over with `pass_fds`.
_ENTRY = "import sys; from hrgraph.store._pool import worker_entry; worker_entry(*sys.argv[1:])"
TOUCH = "ASK { GRAPH ?g { ?s ?p ?o } }"  # reads the data: a corrupt store fails at start, not later
MAX_PAUSE_S = 10.0  # between attempts to start a worker that keeps failing


@dataclass(frozen=True)
class Job:
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    base_iri: str | None
    max_rows: int
    max_bytes: int


# --- the worker side ----------------------------------------------------------------------------------------

def _limit_memory(memory_mb: int) -> None:
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _die_with_parent() -> None:
    """Linux: SIGKILL this worker when the server dies, even in the middle of a long query."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def worker_entry(fd: str, build_dir: str, memory_mb: str) -> None:
    _die_with_parent()
    worker_main(Connection(int(fd)), Path(build_dir), int(memory_mb))


def worker_main(conn: Connection, build_dir: Path, memory_mb: int) -> None:
    """A worker's life: lease the build, open it read-only, say ready, answer jobs until the pipe closes."""
    import pyoxigraph as ox

    from hrgraph.store.embedded import BUILD_FILE, evaluate
    from hrgraph.store.lease import hold

    lease = hold(build_dir / BUILD_FILE)  # kept until this process ends
    if lease is None:
        conn.send(("error", f"the build {build_dir.name} is gone"))
        return
    try:
        _limit_memory(memory_mb)
        store = ox.Store.read_only(str(build_dir))
        bool(evaluate(store, TOUCH))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which refuses to start
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return  # the server went away
        conn.send(_answer(store, job))


def _answer(store: Any, job: Job) -> tuple[str, Any]:
    from hrgraph.store.embedded import evaluate

    try:
        value = evaluate(store, job.query, Dataset(job.default_graphs, job.named_graphs), job.base_iri)
        return "ok", encode(value, job.max_rows, job.max_bytes)
    except QueryError as exc:
        return "query-error", exc.what
    except MemoryError:
        return "failed", "the query needed more memory than a query may use"
    except Exception as exc:  # noqa: BLE001 - an evaluation error (e.g. a bad regex) is the client's
        return "query-error", f"{type(exc).__name__}: {exc}"


# --- the server side ----------------------------------------------------------------------------------------

class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, build_dir: Path, memory_mb: int, start_timeout_s: float = 60.0) -> None:
        mine, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-c", _ENTRY, str(theirs.fileno()), str(build_dir), str(memory_mb)],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn = Connection(mine.detach())
        if not self.conn.poll(start_timeout_s):
            self.kill()
            raise WorkerFailed("a query worker did not start in time")
        try:
            status, message = self.conn.recv()
        except (EOFError, OSError) as exc:
            self.kill()
            raise WorkerFailed(f"a query worker died while opening the store (exit {self.process.returncode})",
                               hint="is HRGRAPH_QUERY_MEMORY_MB too low? a worker needs some 600 MB of "
                                    "address space") from exc
        if status != "ready":
            self.kill()
            raise WorkerFailed(f"a query worker could not open the store: {message}")

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()


class QueryPool:
    """`size` workers over the build at `build_dir`; `execute` hands a job to an idle one."""

    def __init__(self, build_dir: Path, size: int, queue_size: int, memory_mb: int) -> None:
        self._path, self._memory_mb, self._queue_size = build_dir, memory_mb, queue_size
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._waiting = 0
        self._closed = False
        self.failure: str | None = None  # why the last attempt to start a worker failed; None once one starts
        self.workers: set[Worker] = set()
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hrgraph-workers")
        try:
            for _ in range(max(1, size)):
                self._add(self._spawn())
        except BaseException:
            self.close()
            raise

    def _spawn(self) -> Worker:
        """A new worker, started from the spawner thread (see the module docstring); WorkerFailed if it cannot."""
        return self._spawner.submit(Worker, self._path, self._memory_mb).result()

    def _add(self, worker: Worker) -> None:
        with self._lock:
            if self._closed:  # a replacement that finished starting after the pool closed
                worker.kill()
                return
            self.workers.add(worker)
            self.failure = None
        self._idle.put(worker)

    def _retire(self, worker: Worker, background: bool = True) -> None:
        """Kill `worker` and start its replacement (in a thread, so the client is answered at once)."""
        with self._lock:
            self.workers.discard(worker)
        worker.kill()
        if self._closed:
            return
        if background:
            threading.Thread(target=self._replace, daemon=True).start()
        else:
            self._replace(attempts=1)

    def _replace(self, attempts: int | None = None) -> None:
        """Start a worker; on failure record why and try again after a growing pause, while the pool lives."""
        pause, tried = 0.5, 0
        while not self._closed and (attempts is None or tried < attempts):
            tried += 1
            try:
                self._add(self._spawn())
                return
            except RuntimeError:  # the spawner was shut down: the pool is closing
                return
            except WorkerFailed as exc:
                self.failure = exc.what
                print(f"hrgraph serve: cannot start a query worker on {self._path.name}: {exc.what}; "
                      f"trying again in {pause:g} s", file=sys.stderr, flush=True)
                time.sleep(pause)
                pause = min(MAX_PAUSE_S, pause * 2)

    def _checkout(self, wait_s: float) -> Worker:
        with self._lock:
            if not self.workers and self.failure:
                raise WorkerFailed(f"no query worker is running: {self.failure}")
            if self._idle.empty() and self._waiting >= self._queue_size:
                raise StoreBusy("too many queries at once: every query worker is busy and the queue is full")
            self._waiting += 1
        try:
            worker = self._idle.get(timeout=wait_s)
        except queue.Empty:
            raise StoreBusy(f"every query worker stayed busy for {wait_s:g} s; try again later") from None
        finally:
            with self._lock:
                self._waiting -= 1
        if not worker.alive():  # killed from outside while idle: nothing ran, so use a fresh one
            self._retire(worker, background=False)
            return self._checkout(wait_s)
        return worker

    def execute(self, job: Job, timeout_s: float) -> QueryResult:
        """Run `job` within `timeout_s` (waiting for a worker included); raises QueryError, QueryTimeout,
        StoreBusy or WorkerFailed."""
        started = time.monotonic()
        worker = self._checkout(timeout_s)
        remaining = max(0.1, timeout_s - (time.monotonic() - started))
        try:
            worker.conn.send(job)
            if not worker.conn.poll(remaining):
                self._retire(worker)
                raise QueryTimeout(f"the query did not finish within its time limit of {timeout_s:g} s and was "
                                   "stopped; narrow it (a LIMIT, fewer unbound patterns, a bounded path)")
            status, value = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._retire(worker)
            raise QueryCrashed("the query worker stopped (the query may have needed too much memory, or "
                               "crashed the engine); it is being replaced") from exc
        self._idle.put(worker)
        if status == "query-error":
            raise QueryError(value)
        if status != "ok":
            raise QueryCrashed(str(value))
        return value

    def run(self, query: str, dataset: Dataset, limits: Limits, base_iri: str | None) -> QueryResult:
        job = Job(query, tuple(dataset.default_graph_uris), tuple(dataset.named_graph_uris), base_iri,
                  limits.max_rows, limits.max_bytes)
        return self.execute(job, limits.timeout_s)

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self.workers if w.pid]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self.workers = list(self.workers), set()
        for worker in workers:
            worker.kill()
        self._spawner.shutdown(wait=False)
