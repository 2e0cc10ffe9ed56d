"""The persons' facet index (xref/facets.py) of an embedded build, computed once per build in a short-lived
process of its own and kept as a file in the build's kept folder, which every server process (and a restart)
reads.

Why a process of its own: the index takes seven scans of the store. At 10M triples, made in a server process,
it took 18 s and left ~450 MiB behind in each of the two server processes (99 MiB of it the index's Python
objects, the rest the engine's caches from the scans, which `malloc_trim` did not give back). Made apart, that
memory goes with the process; a server holds only the compact index it reads back (`facets.dumps`).

One process per build makes it: an exclusive flock on a file beside it; the others wait for the lock and read
what it wrote. A remote build has no folder and no engine in this process: there the index is made in place.
Should the process fail (said in the server's log), the index is made in place too, rather than not at all.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path

from hrgraph.config import Settings
from hrgraph.store.base import Store
from hrgraph.xref import facets
from hrgraph.xref.facets import FacetIndex

FILE = "facets.bin"
LOCK = "facets.lock"
TIMEOUT_S = 600.0  # ~18 s at 10M triples
_ENTRY = "import sys; from hrgraph.web.offload import main; main(int(sys.argv[1]))"
log = logging.getLogger(__name__)


def facet_index(store: Store, settings: Settings) -> FacetIndex:
    """The facet index of `store`'s build: read from its kept folder, made there by a process of its own when
    missing (waiting for whichever process is making it)."""
    folder = store.cache_dir
    if folder is None:
        return facets.load(store)
    try:
        folder.mkdir(exist_ok=True)
        lock = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:  # a read-only folder: nobody can keep it for the others
        log.warning("facet index made in the server: %s", exc)
        return facets.load(store)
    try:
        index = read(folder, store.build_id)
        if index is not None:
            return index
        fcntl.flock(lock, fcntl.LOCK_EX)  # released by close: another process may be making it
        index = read(folder, store.build_id)
        if index is None:
            index = _make(settings, folder, store.build_id)
    finally:
        os.close(lock)
    return index if index is not None else facets.load(store)


def read(folder: Path, build_id: str) -> FacetIndex | None:
    """The index kept in `folder` for `build_id`, None when there is none (or not of this build)."""
    try:
        index = facets.loads((folder / FILE).read_bytes())
    except (OSError, ValueError):
        return None
    return index if index.build_id == build_id else None


def _make(settings: Settings, folder: Path, build_id: str) -> FacetIndex | None:
    """Run the process that writes the index into `folder`; what it wrote (None, and a warning, if it failed)."""
    try:
        done = subprocess.run([sys.executable, "-c", _ENTRY, str(os.getpid())], input=pickle.dumps((settings, folder)),
                              capture_output=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("facet index process failed: %s; made in the server instead", exc)
        return None
    if done.returncode != 0:
        log.warning("facet index process failed (exit %s): %s; made in the server instead", done.returncode,
                    done.stderr.decode(errors="replace")[-1000:])
        return None
    return read(folder, build_id)


def write(folder: Path, index: FacetIndex) -> None:
    """Keep `index` in `folder` (written beside and renamed into place: a reader sees all of it or nothing)."""
    tmp = folder / f".{FILE}.{os.getpid()}"
    tmp.write_bytes(facets.dumps(index))
    os.replace(tmp, folder / FILE)


def main(server: int) -> None:
    """The process of `_make`: open the build of the kept folder read from stdin, make its index, keep it."""
    from hrgraph.store.embedded import open_build
    from hrgraph.web.processes import die_with_parent

    die_with_parent(server)
    settings, folder = pickle.loads(sys.stdin.buffer.read())
    store = open_build(folder.parent, settings, workers=False)
    try:
        write(folder, facets.load(store))
    finally:
        store.close()
