"""What the lists of an embedded build are answered from — the persons' facet index (xref/facets.py) and the
catalogue of names (xref/catalogue.py) — made once per build by a short-lived process of its own and kept as
a file in the build's kept folder, which every server process (and a restart) reads.

Why a process of its own: each is made from scans of the whole store. At 10M triples, made in a server
process, the facet index took 18 s and left ~450 MiB behind (99 MiB of it the index, the rest the engine's
caches from the scans, which `malloc_trim` did not give back), the catalogue 27 s and ~580 MiB (270 MiB of it
the catalogue) — in each of the two server processes. Made apart, the scans' memory goes with the process;
a server holds only what it reads back.

One process per build makes each: an exclusive flock on a file beside it; the others wait for the lock and
read what it wrote. A remote build has no folder and no engine in this process: there they are made in place.
Should the process fail (said in the server's log), the value is made in place too, rather than not at all.

Formats: the facet index as marshal (`facets.dumps`: values only, nothing is called when it is read); the
catalogue, an object graph of name keys, as pickle read by an unpickler that builds only the catalogue's own
classes (so a file written by someone else cannot run code in the server). Each file starts with a line
naming hrgraph's version, Python's and `FORMAT`: a file of another version (a build folder outlives an
upgrade) is made again rather than read into classes that changed. A file that cannot be read is made again
too; a process that failed is not run again for `RETRY_S` (the value is made in place meanwhile).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import logging
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hrgraph.config import Settings
from hrgraph.model.dataset import version
from hrgraph.store.base import Store
from hrgraph.xref import catalogue as catalogues
from hrgraph.xref import facets
from hrgraph.xref.catalogue import Catalogue
from hrgraph.xref.facets import FacetIndex

TIMEOUT_S = 900.0  # the catalogue takes ~27 s at 10M triples
RETRY_S = 600.0  # after a failed process, the others make the value in place for this long
FORMAT = 1  # bump when FacetIndex's or the catalogue's classes change shape
_ENTRY = "import sys; from hrgraph.web.offload import main; main(int(sys.argv[1]), sys.argv[2])"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PerBuild:
    """One value made per build: how it is made from the store, written and read back."""

    name: str  # its file in the kept folder is `{name}.bin`, its lock `{name}.lock`
    make: Callable[[Store, Settings], Any]
    dumps: Callable[[Any], bytes]
    loads: Callable[[bytes], Any]  # raises ValueError for what is not one
    fits: Callable[[Any, Settings], bool] = lambda value, settings: True  # made for these settings


class _CatalogueUnpickler(pickle.Unpickler):
    """Builds the classes of a catalogue and nothing else."""

    ALLOWED = {("hrgraph.xref.catalogue", "Catalogue"), ("hrgraph.xref.catalogue", "Entity"),
               ("hrgraph.xref.catalogue", "Kind"), ("hrgraph.names.index", "NameIndex"),
               ("hrgraph.names.index", "Name"), ("hrgraph.names.titles", "TitleIndex")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is no part of a catalogue")
        return super().find_class(module, name)


def _unpickle_catalogue(data: bytes) -> Catalogue:
    try:
        value = _CatalogueUnpickler(io.BytesIO(data)).load()
    except Exception as exc:  # noqa: BLE001 - whatever a damaged or foreign pickle raises
        raise ValueError(f"not a catalogue: {exc}") from exc
    if not isinstance(value, Catalogue):
        raise ValueError(f"not a catalogue: {type(value).__name__}")
    return value


FACETS = PerBuild("facets", lambda store, settings: facets.load(store), facets.dumps, facets.loads)
CATALOGUE = PerBuild("catalogue", lambda store, settings: catalogues.load(store, settings.base),
                     lambda value: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), _unpickle_catalogue,
                     fits=lambda value, settings: value.base == settings.base)
KINDS = {k.name: k for k in (FACETS, CATALOGUE)}


def facet_index(store: Store, settings: Settings) -> FacetIndex:
    """The facet index of `store`'s build (see the module docstring)."""
    return made(FACETS, store, settings)


def catalogue(store: Store, settings: Settings) -> Catalogue:
    """The catalogue of names of `store`'s build (see the module docstring)."""
    return made(CATALOGUE, store, settings)


def made(kind: PerBuild, store: Store, settings: Settings) -> Any:
    """`kind`'s value for `store`'s build: read from its kept folder, made there by a process of its own when
    missing (waiting for whichever process is making it), made here without a folder or when that fails."""
    folder = _kept_folder(kind, store)
    if folder is None:
        return kind.make(store, settings)
    found = []

    def fresh() -> bool:
        value = read(kind, folder, store.build_id, settings)
        if value is not None:
            found.append(value)
        return value is not None

    if fresh() or _under_lock(kind, settings, folder, fresh):
        return found[-1]
    return kind.make(store, settings)


def prepare(kind: PerBuild, store: Store, settings: Settings) -> None:
    """Have `kind`'s file made for `store`'s build, without reading it into this process (the warm-up: the
    catalogue is only needed by searches, and a server nobody searched need not hold it)."""
    folder = _kept_folder(kind, store)
    if folder is not None and not _written_here(kind, folder):
        _under_lock(kind, settings, folder, lambda: _written_here(kind, folder))


def _kept_folder(kind: PerBuild, store: Store) -> Path | None:
    """The build's kept folder, made if need be; None for a remote build or a folder that cannot be made."""
    folder = store.cache_dir
    if folder is None:
        return None
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:  # read-only, or something else in its place: nobody can keep it for the others
        log.warning("%s made in the server: %s", kind.name, exc)
        return None
    return folder


def _under_lock(kind: PerBuild, settings: Settings, folder: Path, done: Callable[[], bool]) -> bool:
    """Holding the build's lock for `kind`: `done` already (another process made it meanwhile), or made now by
    a process of its own; whether it is done."""
    try:
        lock = os.open(folder / f"{kind.name}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        log.warning("%s made in the server: %s", kind.name, exc)
        return False
    failed = folder / f"{kind.name}.failed"
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released by close
        if done():
            return True
        if _recent(failed):  # it failed a moment ago: do not make every process wait for it again
            return False
        if _run(kind, settings, folder) and done():
            return True
        with contextlib.suppress(OSError):  # unmarked, the next caller runs it again: slower, nothing worse
            failed.touch()
        return False
    finally:
        os.close(lock)


def _recent(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime < RETRY_S
    except OSError:
        return False


def _written_here(kind: PerBuild, folder: Path) -> bool:
    """`kind`'s file is in `folder`, written by this version (its first line read, not the rest)."""
    header = _header(kind)
    try:
        with (folder / f"{kind.name}.bin").open("rb") as f:
            return f.read(len(header)) == header
    except OSError:
        return False


def read(kind: PerBuild, folder: Path, build_id: str, settings: Settings) -> Any:
    """`kind`'s value kept in `folder` for `build_id` and these settings, None when there is none (or it was
    written by another version, or cannot be read)."""
    header = _header(kind)
    try:
        data = (folder / f"{kind.name}.bin").read_bytes()
    except OSError:
        return None
    if not data.startswith(header):
        return None
    try:
        value = kind.loads(data[len(header):])
    except ValueError as exc:
        log.warning("%s in %s cannot be read (%s): made again", kind.name, folder, exc)
        return None
    return value if value.build_id == build_id and kind.fits(value, settings) else None


def write(kind: PerBuild, folder: Path, value: Any) -> None:
    """Keep `value` in `folder` (written beside and renamed into place: a reader sees all of it or nothing)."""
    tmp = folder / f".{kind.name}.bin.{os.getpid()}"
    try:
        tmp.write_bytes(_header(kind) + kind.dumps(value))
        os.replace(tmp, folder / f"{kind.name}.bin")
    finally:
        tmp.unlink(missing_ok=True)


def _header(kind: PerBuild) -> bytes:
    return f"hrgraph {version()} python {sys.version_info[0]}.{sys.version_info[1]} {kind.name} {FORMAT}\n".encode()


def _run(kind: PerBuild, settings: Settings, folder: Path) -> bool:
    """Run the process that writes `kind`'s value into `folder`; whether it did (a warning when not)."""
    try:
        done = subprocess.run([sys.executable, "-c", _ENTRY, str(os.getpid()), kind.name],
                              input=pickle.dumps((settings, folder)), capture_output=True, timeout=TIMEOUT_S,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("%s process failed: %s; made in the server instead", kind.name, exc)
        return False
    if done.returncode != 0:
        log.warning("%s process failed (exit %s): %s; made in the server instead", kind.name, done.returncode,
                    done.stderr.decode(errors="replace")[-1000:])
        return False
    return True


def main(server: int, name: str) -> None:
    """The process of `_run`: open the build of the kept folder read from stdin, make `name`'s value, keep it."""
    from hrgraph.store.embedded import open_build
    from hrgraph.web.processes import die_with_parent

    die_with_parent(server)
    settings, folder = pickle.loads(sys.stdin.buffer.read())
    kind = KINDS[name]
    store = open_build(folder.parent, settings, workers=False)
    try:
        write(kind, folder, kind.make(store, settings))
    finally:
        store.close()
