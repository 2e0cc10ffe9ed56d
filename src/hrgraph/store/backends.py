"""The back-ends in one table: how a server opens the published store, and how a build publishes into it.

`HRGRAPH_STORE` names a row. `open_store(settings)` gives a server (or `hrgraph query`) the published builds,
followed across publishes; `publishers(settings)` gives the build the steps that publish into them, in order.
The embedded store is always published (it is what `hrgraph query` and a server without an endpoint read);
the remote back-end adds Virtuoso's loader.

A publish goes: every publisher `prepare`s beside the live build, then dist/ is swapped (the commit point),
then every publisher `activate`s. A kill before the swap leaves everything as it was (`clean` removes what
was prepared, at the next build); a kill after it is finished by `reconcile` from dist/'s build.json.

The build lock (`build_lock`) keeps two builds of one project from interleaving: the second is refused with
the first one's pid, rather than deleting what the other is preparing.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from hrgraph.config import Settings
from hrgraph.errors import HrgraphError, StoreError
from hrgraph.store import embedded_publish, lease
from hrgraph.store.base import Stores
from hrgraph.store.embedded import open_embedded
from hrgraph.store.remote import open_remote
from hrgraph.store.remote_publish import VirtuosoPublisher


class Publisher(Protocol):
    def prepare(self, graphs: Mapping[str, Path], build_id: str) -> None:
        """Load the build beside the live one, invisible to readers; StoreError leaves nothing behind."""
        ...

    def discard(self, build_id: str) -> None:
        """Drop a prepared build whose commit failed."""
        ...

    def activate(self, build_id: str, files: Path) -> None:
        """Make a prepared build the one readers see (after the dist/ swap); `files` is the build's dist/."""
        ...

    def reconcile(self, build_id: str, files: Path) -> bool:
        """Finish an activation a kill interrupted; True when something was activated."""
        ...

    def clean(self) -> None:
        """Remove what killed builds left behind and builds nobody reads any more (under the build lock)."""
        ...


class EmbeddedPublisher:
    def __init__(self, settings: Settings) -> None:
        self.store_dir = settings.store_dir
        self._prepared: dict[str, Path] = {}

    def prepare(self, graphs: Mapping[str, Path], build_id: str) -> None:
        self._prepared[build_id] = embedded_publish.prepare(graphs, self.store_dir, build_id)

    def discard(self, build_id: str) -> None:
        if (folder := self._prepared.pop(build_id, None)) is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def activate(self, build_id: str, files: Path) -> None:
        embedded_publish.activate(self.store_dir, self._prepared.pop(build_id), files)
        self.clean()

    def reconcile(self, build_id: str, files: Path) -> bool:
        return embedded_publish.reconcile(self.store_dir, build_id, files)

    def clean(self) -> None:
        embedded_publish.clean(self.store_dir)


@dataclass(frozen=True)
class Backend:
    open: Callable[[Settings, bool], Stores]  # (settings, workers: client queries in killable processes)
    publishers: tuple[Callable[[Settings], Publisher], ...]
    serve_reconciles: bool  # whether `serve` finishes an interrupted publish (it shares the build's folders)


BACKENDS: Mapping[str, Backend] = {
    "embedded": Backend(open_embedded, (EmbeddedPublisher,), serve_reconciles=True),
    # A server of an endpoint need not reach Virtuoso's SQL port: the next build finishes a cut publish.
    "remote": Backend(open_remote, (EmbeddedPublisher, VirtuosoPublisher), serve_reconciles=False),
}


def backend(settings: Settings) -> Backend:
    try:
        return BACKENDS[settings.store_backend]
    except KeyError:
        raise StoreError(f"unknown store back-end {settings.store_backend!r}",
                         hint=f"HRGRAPH_STORE is one of: {', '.join(BACKENDS)}") from None


def open_store(settings: Settings, workers: bool = True) -> Stores:
    """The published builds a server serves, followed across publishes; StoreError when there is none.
    `workers=False` (`hrgraph query`) runs the embedded store's client queries in-process, with no time limit."""
    return backend(settings).open(settings, workers)


def publishers(settings: Settings) -> list[Publisher]:
    return [make(settings) for make in backend(settings).publishers]


# --- the build lock, and finishing what a kill interrupted ---------------------------------------------------

class BuildRunning(HrgraphError):
    """Another build of this project holds the build lock."""

    status = 409


def build_lock(settings: Settings) -> lease.Lease:
    """The project's build lock, held until released; BuildRunning (exit 2) when another build has it."""
    note = f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}"
    try:
        return lease.exclusive(settings.build_lock, note)
    except lease.Busy as busy:
        raise BuildRunning(f"another build of this project is running ({busy.holder})", where=str(settings.root),
                           hint="wait for it to finish, then build again") from None


def reconcile(settings: Settings) -> bool:
    """Finish a publish a kill interrupted, from what dist/ says (its build.json is the commit record): a
    half-done dist/ swap is rolled back, and a build whose dist/ is in place but which is not yet active in
    every back-end is activated. The caller holds the build lock. True when something was activated."""
    embedded_publish.restore_dist(settings.dist_dir)
    build_id = embedded_publish.published_build_id(settings.dist_dir)
    if build_id is None:
        return False
    done = [p.reconcile(build_id, settings.dist_dir) for p in publishers(settings)]
    return any(done)


def reconcile_unless_building(settings: Settings) -> bool:
    """`reconcile` for `serve`: skipped while a build runs (that build finishes its own publish)."""
    if not backend(settings).serve_reconciles:
        return False
    try:
        held = build_lock(settings)
    except BuildRunning:
        return False
    with held:
        return reconcile(settings)
