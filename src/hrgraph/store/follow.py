"""A server follows publishes: the build it serves is swapped for the newly published one within seconds, and
the build it leaves stays open until the last request that started on it has finished.

`Following` is back-end neutral: `locate()` names the published build cheaply (the embedded store's `current`
symlink, the remote endpoint's active-build pointer) and `open(name)` opens it. A watcher thread calls
`locate` every `interval_s`; when the name changes it opens the new build *before* switching, so requests
never wait for an open, and a build that cannot be opened (corrupt, gone, an endpoint down) is not switched
to: the server keeps serving what it has, `problem` says why, and the next look tries again.

Requests take the current build with `checkout` and hand it back with `checkin` (the web layer does both,
once per request): the count of requests on each build decides when a left build is closed, which ends its
query workers and drops its lease, so the publisher may then delete it.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

from hrgraph.errors import StoreError
from hrgraph.store.base import Store

_OPEN_TRIES = 5  # a publish may move the pointer while we open what it named


@dataclass
class _Held:
    name: str
    store: Store
    users: int = 0
    left: bool = False  # no longer current: closed once `users` drops to 0


def _let_go(store: Store) -> None:
    """Close a build no longer served, and give what the server froze out of the garbage collector
    (`config.freeze_long_lived`, which the warm-up calls again for the next build) back to it: the build's
    objects, an in-memory copy of the graph among them, are then collected even where they hold reference
    cycles, with or without the warm-up."""
    store.close()
    gc.unfreeze()


class Following:
    """The Stores protocol over a `locate` / `open` pair (see the module docstring)."""

    def __init__(self, locate: Callable[[], str], open_: Callable[[str], Store], interval_s: float,
                 what: str = "") -> None:
        self._locate, self._open, self.interval_s, self.what = locate, open_, interval_s, what
        self._lock = threading.Lock()
        self._held: dict[int, _Held] = {}  # id(store) -> its record, for every build still open
        self._current = self._open_latest()
        self._held[id(self._current.store)] = self._current
        self.problem: str | None = None
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="hrgraph-follow", daemon=True)
        if interval_s > 0:
            self._watcher.start()

    def _open_latest(self) -> _Held:
        for _ in range(_OPEN_TRIES):
            name = self._locate()
            try:
                return _Held(name, self._open(name))
            except StoreError:
                if self._locate() == name:  # not a race with a publish: the build itself is the problem
                    raise
        raise StoreError("the published build kept changing while it was being opened", where=self.what)

    # --- the Stores protocol --------------------------------------------------------------------------------

    def checkout(self) -> Store:
        with self._lock:
            self._current.users += 1
            return self._current.store

    def checkin(self, store: Store) -> None:
        with self._lock:
            held = self._held.get(id(store))
            if held is None:
                return
            held.users -= 1
            done = held.left and held.users <= 0
            if done:
                del self._held[id(store)]
        if done:  # closing stops the build's query workers (up to seconds): not in the request, or the server's
            #       event loop, that happened to hold the build last
            threading.Thread(target=_let_go, args=(held.store,), name="hrgraph-let-go", daemon=True).start()

    @property
    def build_id(self) -> str:
        return self._current.store.build_id

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            stores, self._held = [h.store for h in self._held.values()], {}
        for store in stores:
            store.close()

    # --- following ------------------------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Look once; switch to a newly published build. True when it switched."""
        name = self._locate()
        if name == self._current.name:
            return False
        fresh = self._open_latest()
        with self._lock:
            if self._stop.is_set():  # closed meanwhile
                closing, switched = [fresh], False
            else:
                old, self._current = self._current, fresh
                self._held[id(fresh.store)] = fresh
                old.left, closing, switched = True, [], True
                if old.users <= 0:
                    del self._held[id(old.store)]
                    closing = [old]
        for held in closing:
            _let_go(held.store)
        if switched:
            print(f"hrgraph serve: now serving build {fresh.store.build_id}", file=sys.stderr, flush=True)
        return switched

    def _watch(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.refresh()
                self.problem = None
            except Exception as exc:  # noqa: BLE001 - keep serving what we have; say why, and look again
                message = str(exc) or type(exc).__name__
                if message != self.problem:
                    print(f"hrgraph serve: cannot switch to the newly published build: {message}",
                          file=sys.stderr, flush=True)
                self.problem = message
