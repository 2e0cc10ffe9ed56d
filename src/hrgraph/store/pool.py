"""Client queries in worker processes that can be killed: the only real timeout over pyoxigraph.

pyoxigraph has no cancellation, so a runaway query (a cartesian product, an unbounded property path) would
hold a thread and its memory until it finished. Here each client query of `/sparql` runs in one of a small
pool of `multiprocessing` workers (spawned, each with the store opened read-only and `RLIMIT_AS` set). The
worker evaluates the query, cuts it at `max_rows` rows or `max_bytes` bytes (saying so), and sends back
SPARQL TSV results or N-Triples; the server re-reads that and serializes in the negotiated format, like a
remote back-end would. A worker that overruns its time is killed (SIGKILL) and replaced in the background;
one that dies (out of memory, killed from outside) is replaced too. When every worker is busy and
`queue` requests already wait, a request is refused at once (`PoolBusy`: 503 + Retry-After).

`PooledStore` implements the `Store` protocol: `run` goes to the pool, everything else (the web layer's own
small queries) to the in-process store, so routes do not change shape.
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
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from hrgraph.errors import HrgraphError
from hrgraph.store.base import Dataset, Row
from hrgraph.store.results import BOOLEAN, GRAPH, SOLUTIONS, QueryError, QueryResult
from hrgraph.store.results import serialize as serialize_result

TRUNCATED_HEADER = "X-HRGraph-Truncated"
# A fresh interpreter per worker (never a fork of the threaded server, nor multiprocessing's re-import of
# `__main__`); the job pipe is a socketpair fd handed over with `pass_fds`.
_ENTRY = "import sys; from hrgraph.store.pool import worker_entry; worker_entry(*sys.argv[1:])"


class PoolError(HrgraphError):
    """A query the pool could not answer; `status` and `retry_after` tell the web layer what to say."""

    status = 503
    retry_after: int | None = None


class QueryTimeout(PoolError):
    status = 504


class PoolBusy(PoolError):
    retry_after = 5


class WorkerFailed(PoolError):
    retry_after = 1


@dataclass
class PooledResult(QueryResult):
    """A `QueryResult` that may have been cut: `truncated` is `rows=N` or `bytes=N` (N rows kept) or None."""

    truncated: str | None = None


@dataclass(frozen=True)
class Job:
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    base_iri: str | None
    max_rows: int
    max_bytes: int


# --- the worker side ----------------------------------------------------------------------------------------

class _Full(Exception):
    """Raised by `_CappedLines.write` to stop the engine's serializer (and so the evaluation) at a cap."""


class _CappedLines:
    """A file-like sink for the engine's line-based serializers (SPARQL TSV, N-Triples: one row per line).

    It stops the engine (by raising `_Full`) once more than `max_rows` rows or clearly more than `max_bytes`
    bytes have come; `result` then keeps whole rows within both caps and names the one that cut. pyoxigraph
    writes in 8 KiB chunks, so the check costs nothing per row. The header line never counts against a cap.
    """

    SLACK = 64 * 1024  # room for the header line before the engine is stopped

    def __init__(self, max_rows: int, max_bytes: int, header_lines: int) -> None:
        self.max_rows, self.max_bytes, self.header = max_rows, max_bytes, header_lines
        self.parts: list[bytes] = []
        self.size = self.lines = 0

    def write(self, chunk: bytes) -> int:
        self.parts.append(bytes(chunk))
        self.size += len(chunk)
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_rows + self.header or self.size > self.max_bytes + self.SLACK:
            raise _Full
        return len(chunk)

    def flush(self) -> None:
        pass

    def result(self, stopped: bool) -> tuple[bytes, str | None]:
        """The kept bytes (whole lines) and the truncation note, `rows=N` or `bytes=N` (N rows kept)."""
        data = b"".join(self.parts)
        lines = data.split(b"\n")[:-1]  # what follows the last newline is an incomplete line (or nothing)
        kept, size = lines[:self.header], 0
        for line in lines[self.header:]:
            if len(kept) - self.header >= self.max_rows:
                return _joined(kept), f"rows={self.max_rows}"
            if size + len(line) + 1 > self.max_bytes:
                return _joined(kept), f"bytes={len(kept) - self.header}"
            kept.append(line)
            size += len(line) + 1
        return (_joined(kept), f"bytes={len(kept) - self.header}") if stopped else (data, None)


def _joined(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def encode(result: QueryResult, max_rows: int, max_bytes: int) -> tuple[str, bytes, str | None]:
    """The result as (kind, SPARQL TSV or N-Triples bytes, truncation) within the caps.

    The engine serializes (no Python object per row): both formats put one solution or triple per line with
    newlines escaped, so a cap cuts at a line and the server re-reads the rest exactly.
    """
    if result.kind == BOOLEAN:
        return BOOLEAN, b"true" if bool(result.payload) else b"false", None
    graph = result.kind == GRAPH
    sink = _CappedLines(max_rows, max_bytes, header_lines=0 if graph else 1)
    try:
        if graph:
            ox.serialize(result.payload, sink, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
        else:
            result.payload.serialize(sink, format=ox.QueryResultsFormat.TSV)  # type: ignore[attr-defined]
        stopped = False
    except _Full:
        stopped = True
    data, cut = sink.result(stopped)
    return (GRAPH if graph else SOLUTIONS), data, cut


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


def worker_entry(fd: str, store_path: str, memory_mb: str) -> None:
    _die_with_parent()
    worker_main(Connection(int(fd)), store_path, int(memory_mb))


def worker_main(conn: Connection, store_path: str, memory_mb: int) -> None:
    """A worker's life: open the store read-only, say ready, answer jobs until the pipe closes."""
    from hrgraph.store.embedded import EmbeddedStore

    try:
        _limit_memory(memory_mb)
        store = EmbeddedStore(ox.Store.read_only(store_path), "")
        store.ask("ASK { GRAPH ?g { ?s ?p ?o } }")  # touch the data: a corrupt store fails here, not later
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
    try:
        result = store.run(job.query, Dataset(job.default_graphs, job.named_graphs), base_iri=job.base_iri)
        return "ok", encode(result, job.max_rows, job.max_bytes)
    except QueryError as exc:
        return "query-error", exc.what
    except MemoryError:
        return "failed", "the query needed more memory than a query may use"
    except Exception as exc:  # noqa: BLE001 - an evaluation error (e.g. a bad regex) is the client's
        return "query-error", f"{type(exc).__name__}: {exc}"


# --- the server side ----------------------------------------------------------------------------------------

class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, store_path: Path, memory_mb: int, start_timeout_s: float = 60.0) -> None:
        mine, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-c", _ENTRY, str(theirs.fileno()), str(store_path), str(memory_mb)],
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
    """`size` workers over the store at `store_path`; `execute` hands a job to an idle one."""

    def __init__(self, store_path: Path, size: int, queue_size: int, memory_mb: int) -> None:
        self._path, self._memory_mb, self._queue_size = store_path, memory_mb, queue_size
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._waiting = 0
        self._closed = False
        self.workers: set[Worker] = set()
        for _ in range(max(1, size)):
            self._add(Worker(store_path, memory_mb))

    def _add(self, worker: Worker) -> None:
        with self._lock:
            self.workers.add(worker)
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
            self._replace()

    def _replace(self) -> None:
        for attempt in range(5):
            try:
                self._add(Worker(self._path, self._memory_mb))
                return
            except WorkerFailed:
                time.sleep(0.5 * (attempt + 1))

    def _checkout(self, wait_s: float) -> Worker:
        with self._lock:
            if self._idle.empty() and self._waiting >= self._queue_size:
                raise PoolBusy("too many queries at once: every query worker is busy and the queue is full")
            self._waiting += 1
        try:
            worker = self._idle.get(timeout=wait_s)
        except queue.Empty:
            raise PoolBusy(f"every query worker stayed busy for {wait_s:g} s; try again later") from None
        finally:
            with self._lock:
                self._waiting -= 1
        if not worker.alive():  # killed from outside while idle: nothing ran, so use a fresh one
            self._retire(worker, background=False)
            return self._checkout(wait_s)
        return worker

    def execute(self, job: Job, timeout_s: float) -> tuple[str, bytes, str | None]:
        """Run `job` within `timeout_s` (waiting for a worker included); raises QueryError or PoolError."""
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
            raise WorkerFailed("the query worker stopped (the query may have needed too much memory); "
                               "it has been replaced") from exc
        self._idle.put(worker)
        if status == "query-error":
            raise QueryError(value)
        if status != "ok":
            raise WorkerFailed(str(value))
        return value

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self.workers if w.pid]

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self.workers = list(self.workers), set()
        for worker in workers:
            worker.kill()


def decode(kind: str, data: bytes) -> object:
    """A payload for `QueryResult` from what a worker sent."""
    if kind == BOOLEAN:
        return data == b"true"
    if kind == GRAPH:
        return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)


class PooledStore:
    """The Store protocol: client queries (`run`) in the pool, the web layer's own queries in-process."""

    def __init__(self, inner: Any, pool: QueryPool, timeout_s: float, max_rows: int, max_bytes: int) -> None:
        self._inner, self.pool = inner, pool
        self.timeout_s, self._max_rows, self._max_bytes = timeout_s, max_rows, max_bytes

    @property
    def build_id(self) -> str:
        return self._inner.build_id

    def select(self, query: str) -> list[Row]:
        return self._inner.select(query)

    def construct(self, query: str) -> list[ox.Triple]:
        return self._inner.construct(query)

    def ask(self, query: str) -> bool:
        return self._inner.ask(query)

    def run(self, query: str, dataset: Dataset | None = None, base_iri: str | None = None,
            timeout_s: float | None = None) -> PooledResult:
        """As `Store.run`; `timeout_s` may shorten the configured limit, never lengthen it."""
        dataset = dataset or Dataset()
        limit = self.timeout_s if timeout_s is None else min(timeout_s, self.timeout_s)
        job = Job(query, tuple(dataset.default_graph_uris), tuple(dataset.named_graph_uris), base_iri,
                  self._max_rows, self._max_bytes)
        kind, data, cut = self.pool.execute(job, limit)
        return PooledResult(kind, decode(kind, data), cut)  # type: ignore[arg-type]

    def serialize(self, result: QueryResult, media_type: str) -> bytes:
        return serialize_result(result, media_type)

    def close(self) -> None:
        self.pool.close()
        self._inner.close()


def pooled(inner: Any, store_path: Path, settings: Any) -> PooledStore:
    """Wrap an opened store with a pool over the same build (`store_path` resolved, so a later publish
    does not move the workers to another build than the server's)."""
    pool = QueryPool(store_path, settings.query_workers, settings.query_queue, settings.query_memory_mb)
    return PooledStore(inner, pool, settings.query_timeout_s, settings.query_max_rows, settings.query_max_bytes)


def iter_pids(store: Any) -> Iterable[int]:
    """The worker pids of a pooled store (none for another store): for tests and diagnostics."""
    return store.pool.pids() if isinstance(store, PooledStore) else ()
