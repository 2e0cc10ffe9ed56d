"""Answers kept per build on disk: what a request computed once from a published build, any later request of
any server process answers from, until the next publish.

Between two publishes every answer of the saved queries and every resource document is fixed (their ETags
already say so). So the first one computed is written to a SQLite file inside the build's own folder
(`Store.cache_dir`): all the server's processes share it, a restart finds it, and it is deleted with the build
when the publisher deletes the build once nobody holds it, so nothing stale can outlive its build. A
back-end without a local build folder (remote) keeps answers in memory instead, per build.

Decision: SQLite (WAL, one connection per thread and file) rather than files per key: one file per build,
atomic writes, concurrent readers and writers across processes, a read in tens of microseconds. Writing is
best-effort: a full disk or a locked file only means the answer is computed again next time. The total
size is bounded (`HRGRAPH_KEPT_MB`); beyond it nothing more is added for that build.

Tens of microseconds only while the file's pages are in the OS page cache: `web.pagecache` keeps them there.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import sys
import threading
from pathlib import Path

from flask import Flask

from hrgraph.config import Settings
from hrgraph.store.base import Limits, Store
from hrgraph.store.results import QueryResult

FILE = "kept.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS kept (kind TEXT, key TEXT, value BLOB, PRIMARY KEY (kind, key))"
_MEMORY_BUILDS = 2  # builds kept in memory by a back-end without a folder (the current and the one before)
MAX_QUEUED_BYTES = 64 << 20  # values waiting for the writer; beyond it a value is not kept
WRITER_IDLE_S = 2.0  # a writer thread with nothing to write for this long ends
READ_TIMEOUT_S = 0.5  # how long a request's read waits for another's lock on the file (in WAL mode: rarely)
WRITE_TIMEOUT_S = 30.0  # how long the writer thread waits for the write lock: the lock's holder may be a warmer
#                         at idle priority, starved for seconds while it holds it (at 0.5 s, batches of the
#                         warm-up's documents were lost that way, "database is locked", and never rendered ahead)


class Kept:
    """Values (bytes) by (kind, key) per build: on disk under each build's `cache_dir`, else in memory.

    Writes to disk are queued and made by one writer thread per instance, many per transaction: a request
    does not wait for the file's write lock (held by the other server processes and the warm-up in turn: with
    SQLite's busy handler a waiting writer sleeps 1, 2, 5, 10 ms...), and does not release the GIL for each of
    an insert's statements (each release under load meant a wait for the GIL to come back). Measured on
    claims rendered on demand at 1M triples, c=8, beside the warm-up: HTML p99 107-128 ms with writes made by
    the request, 44-59 ms queued. A value is read back from the queue (or the batch being written) until it
    is in the file."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._local = threading.local()
        self._lock = threading.Lock()
        self._memory: dict[str, dict[tuple[str, str], bytes]] = {}
        self._memory_bytes: dict[str, int] = {}  # per build: kept up to date, not summed on every put
        self._full: set[Path] = set()
        self._warned: set[Path] = set()
        self._queued: dict[tuple[Path, str, str], bytes] = {}  # to be written, in order of arrival
        self._queued_bytes = 0
        self._changed = threading.Condition()  # guards `_queued`; notified on a put and after each batch
        self._batch: dict[tuple[Path, str, str], bytes] = {}  # taken from the queue, being written
        self._writer: threading.Thread | None = None

    def get(self, build: str, folder: Path | None, kind: str, key: str, wait: bool = True) -> bytes | None:
        """The value kept, or None; `wait=False` (the server's event loop): None too when the file is locked
        (after a crash, SQLite's recovery), rather than wait up to the busy timeout."""
        if folder is None:
            return self._memory.get(build, {}).get((kind, key))
        item = (folder, kind, key)
        # Without the lock: a dict lookup is atomic, and the writer swaps the queue for a new dict, whole.
        if (queued := self._queued.get(item) or self._batch.get(item)) is not None:
            return queued
        db = self._connection(folder, READ_TIMEOUT_S if wait else 0.0)
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM kept WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def put(self, build: str, folder: Path | None, kind: str, key: str, value: bytes) -> None:
        if self.max_bytes <= 0 or len(value) > self.max_bytes // 4:
            return
        if folder is None:
            self._remember(build, kind, key, value)
            return
        if folder in self._full:
            return
        with self._changed:
            if self._queued_bytes + len(value) > MAX_QUEUED_BYTES:
                return  # the disk cannot keep up: computed again next time
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_queued, name="hrgraph-kept-writer", daemon=True)
                self._writer.start()
            self._queued_bytes += len(value) - len(self._queued.pop((folder, kind, key), b""))
            self._queued[(folder, kind, key)] = value
            self._changed.notify_all()

    def flush(self, timeout_s: float = 30.0) -> bool:
        """Wait until every value put so far is written (or given up); False when `timeout_s` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._queued and not self._batch, timeout_s)

    def _write_queued(self) -> None:
        """The writer thread: writes what is queued, and ends once nothing was queued for `WRITER_IDLE_S`
        (the next put starts another)."""
        while True:
            with self._changed:
                if not self._changed.wait_for(lambda: bool(self._queued), WRITER_IDLE_S):
                    self._writer = None
                    return
                self._batch, self._queued, self._queued_bytes = self._queued, {}, 0
            by_folder: dict[Path, list[tuple[str, str, bytes]]] = {}
            for (folder, kind, key), value in self._batch.items():
                by_folder.setdefault(folder, []).append((kind, key, value))
            for folder, rows in by_folder.items():
                self._write(folder, rows)
            with self._changed:
                self._batch = {}
                self._changed.notify_all()

    def _write(self, folder: Path, rows: list[tuple[str, str, bytes]]) -> None:
        db = self._connection(folder, WRITE_TIMEOUT_S)
        if db is None or folder in self._full:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO kept VALUES (?, ?, ?)", rows)
            pages, size = db.execute("PRAGMA page_count").fetchone()[0], db.execute("PRAGMA page_size").fetchone()[0]
            if pages * size > self.max_bytes:
                self._full.add(folder)
        except sqlite3.Error as exc:  # busy, read-only, disk full: computed again next time
            self._warn(folder, exc)

    def is_full(self, folder: Path) -> bool:
        """True once this instance found `folder`'s file at its bound (nothing more is added to it)."""
        return folder in self._full

    def _remember(self, build: str, kind: str, key: str, value: bytes) -> None:
        with self._lock:
            if build not in self._memory:
                while len(self._memory) >= _MEMORY_BUILDS:
                    oldest = next(iter(self._memory))
                    del self._memory[oldest], self._memory_bytes[oldest]
                self._memory[build], self._memory_bytes[build] = {}, 0
            items, before = self._memory[build], len(self._memory[build].get((kind, key), b""))
            if self._memory_bytes[build] - before + len(value) <= self.max_bytes:
                items[(kind, key)] = value
                self._memory_bytes[build] += len(value) - before

    def _connection(self, folder: Path, timeout_s: float) -> sqlite3.Connection | None:
        """This thread's connection to the folder's file that waits up to `timeout_s` for another's lock
        (opened, and the table made, on first use)."""
        conns: dict[tuple[Path, float], sqlite3.Connection] = self._local.__dict__.setdefault("conns", {})
        db = conns.get((folder, timeout_s))
        if db is not None:
            return db
        try:
            folder.mkdir(exist_ok=True)
            db = sqlite3.connect(folder / FILE, timeout=timeout_s, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # a lost write after a crash is only computed again
            db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            if db is not None:
                db.close()
            if timeout_s:  # one that does not wait may just have met a lock: tried again next time
                self._warn(folder, exc)
            return None
        for old in [c for c in conns if not c[0].exists()]:  # deleted builds: let their files' space go
            conns.pop(old).close()
        conns[(folder, timeout_s)] = db
        return db

    def _warn(self, folder: Path, exc: Exception) -> None:
        if folder not in self._warned:
            self._warned.add(folder)
            print(f"hrgraph serve: answers of build {folder.parent.name} are not kept on disk: {exc}",
                  file=sys.stderr, flush=True)


def files(folder: Path) -> list[Path]:
    """The kept file in `folder` and its WAL, those that exist (what `web.pagecache` keeps in RAM)."""
    return [p for p in (folder / FILE, folder / f"{FILE}-wal") if p.is_file()]


def claim(folder: Path | None, name: str) -> int | bool:
    """An fd holding the exclusive flock `name` in a build's kept `folder` (which process of the server warms,
    renders a share or keeps the files in RAM: released when the fd is closed or the process dies); True
    without a folder or where no lock can be had (nobody to share with: do it here); False when another
    process holds it."""
    if folder is None:
        return True
    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(folder / name, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    except OSError:  # no locks on this file system (ENOLCK)
        os.close(fd)
        return True
    return fd


# --- in the app: one `Kept` per app; saved-query results by query text ------------------------------------

EXTENSION = "hrgraph_kept"
RESULT = "result"  # kind of the saved queries' results


def install(app: Flask, settings: Settings) -> None:
    app.extensions[EXTENSION] = Kept(settings.kept_mb * 1024 * 1024)


def of(app: Flask) -> Kept:
    return app.extensions[EXTENSION]


def _result_key(query: str, limits: Limits) -> str:
    """What a kept result depends on besides the build: the text and the caps that may have cut it."""
    return f"{limits.max_rows} {limits.max_bytes}\n{query}"


def result_of(kept: Kept, store: Store, query: str, limits: Limits) -> QueryResult | None:
    """The result of `query` (a saved query's text, parameters bound) already computed from `store`'s build."""
    raw = kept.get(store.build_id, store.cache_dir, RESULT, _result_key(query, limits))
    if raw is None:
        return None
    kind, truncated, data = raw.split(b"\n", 2)
    return QueryResult(kind.decode(), data, truncated.decode() or None)  # type: ignore[arg-type]


def keep_result(kept: Kept, store: Store, query: str, limits: Limits, result: QueryResult) -> None:
    raw = b"\n".join((result.kind.encode(), (result.truncated or "").encode(), result.data))
    kept.put(store.build_id, store.cache_dir, RESULT, _result_key(query, limits), raw)
