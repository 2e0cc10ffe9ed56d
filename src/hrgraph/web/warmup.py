"""Saved queries answered before anyone asks: when a server starts serving a build, it runs each saved query
(with its default parameters) once in the background and keeps the result for the build (`web.kept`).

A saved query over the whole graph takes seconds at a million triples; its answer is fixed until the next
publish, so its first visitor should not pay for it. One process per build does the work (an exclusive
flock on a file in the build's folder; the others find the results in the shared file); over a remote
back-end, which has no folder, each process keeps its own. The queries run one at a time through the
store's query workers under the configured limits, so clients keep the other workers; a query that fails or
runs out of time is simply left to its first visitor.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

from flask import Flask

from hrgraph.errors import HrgraphError
from hrgraph.store.base import Dataset, Limits, Store
from hrgraph.web import kept, saved
from hrgraph.web.context import SETTINGS, STORES

LOCK = "warmup.lock"


def start(app: Flask) -> threading.Thread:
    """A daemon thread warming each build the app serves, looking for a new one every `follow_s`."""
    thread = threading.Thread(target=_follow, args=(app,), name="hrgraph-warmup", daemon=True)
    thread.start()
    return thread


def _follow(app: Flask) -> None:
    stores, settings = app.extensions[STORES], app.config[SETTINGS]
    done = None
    while True:
        if stores.build_id != done:
            store = stores.checkout()
            try:
                done = store.build_id
                warm(app, store)
            finally:
                stores.checkin(store)
        threading.Event().wait(max(1.0, settings.follow_s))


def warm(app: Flask, store: Store) -> int:
    """Run and keep each saved query `store`'s build has no result for; how many were run (0 when another
    process is warming this build)."""
    lock = _claim(store.cache_dir)
    if lock is False:
        return 0
    settings, memory, ran = app.config[SETTINGS], kept.of(app), 0
    limits = Limits.of(settings)
    try:
        for query in saved.load_all(settings.queries_dir):
            if kept.result_of(memory, store, query.text, limits) is not None:
                continue
            try:
                result = store.run(query.text, Dataset(), limits)
            except HrgraphError:  # too slow, or refused: its first visitor will see why
                continue
            kept.keep_result(memory, store, query.text, limits, result)
            ran += 1
    finally:
        if isinstance(lock, int):
            os.close(lock)
    return ran


def _claim(folder: Path | None) -> int | bool:
    """An fd holding the build's warm-up lock; True without a folder (nothing to share); False when another
    process holds it."""
    if folder is None:
        return True
    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    return fd
