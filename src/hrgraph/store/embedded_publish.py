"""Publishing into the embedded back-end: a pyoxigraph on-disk store per build, loaded beside the live one and
switched in atomically.

Layout under `store_dir`: one `build-<id>-<unique>/` folder per publish and a `current` symlink to the one
being served. A publish loads into a fresh folder and only then moves the symlink (`os.replace` is atomic on
POSIX), so a failed load leaves the served store untouched. Each build folder also gets `files/`: hard links
to the dist/ files published with it (dumps, VoID, source texts), so a server serves a build's graph and its
files together, whatever dist/ holds by then.

Running servers follow `current` (`store.follow`) and hold a shared lease on the `BUILD` file of each build
they still answer from (`store.lease`); `clean` deletes only builds nobody holds, so a build disappears once
its last server has moved on (at the next build after that). `clean` runs only under the build lock, so it
never deletes a build another build is still preparing.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from hrgraph.errors import StoreError
from hrgraph.store.lease import unheld

CURRENT = "current"
BUILD_FILE = "BUILD"
FILES = "files"
PREFIX = "build-"


def _format_of(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a file by its suffix; `.gz` is looked through (gzipped N-Triples from dist/)."""
    name = path.name.removesuffix(".gz")
    fmt = ox.RdfFormat.from_extension(name.rsplit(".", 1)[-1]) if "." in name else None
    if fmt is None:
        raise StoreError(f"cannot tell the RDF syntax of {path.name}", where=str(path),
                         hint="name it .ttl, .nt or .nt.gz")
    return fmt


@contextmanager
def _open_rdf(path: Path) -> Iterator[IO[bytes]]:
    with (gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")) as fh:
        yield fh


def load_graph(store: ox.Store, graph: str, path: Path) -> None:
    """One published file into its named graph of `store` (on disk or in memory)."""
    try:
        with _open_rdf(path) as fh:
            store.bulk_load(fh, format=_format_of(path), to_graph=ox.NamedNode(graph))
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"could not load into <{graph}>: {exc}", where=str(path)) from exc


def prepare(graphs: Mapping[str, Path], store_dir: Path, build_id: str) -> Path:
    """Load each file into its named graph of a new store beside the live one; `current` is not touched.

    Raises StoreError (and leaves nothing behind) when any file fails to load.
    """
    store_dir.mkdir(parents=True, exist_ok=True)
    build_dir = store_dir / f"{PREFIX}{build_id}-{uuid.uuid4().hex[:12]}"
    try:
        store = ox.Store(str(build_dir))
        for graph, path in graphs.items():
            load_graph(store, graph, Path(path))
        store.flush()
        store.optimize()
        del store  # release RocksDB's lock before any reader opens the folder
        (build_dir / BUILD_FILE).write_text(build_id + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    return build_dir


def attach(build_dir: Path, files: Path) -> None:
    """`files/` in the build folder: hard links to everything under `files` (a copy across file systems).
    Written beside and renamed into place, so a build has all its files or none; kept when already there."""
    target = build_dir / FILES
    if target.is_dir() or not files.is_dir():
        return
    staging = build_dir / f".{FILES}-{uuid.uuid4().hex}"
    try:
        shutil.copytree(files, staging, copy_function=_link_or_copy)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _swap_current(store_dir: Path, build_dir: Path) -> None:
    """Point `current` at `build_dir` atomically: a new symlink beside it, renamed over the old one."""
    tmp = store_dir / f".{CURRENT}-{uuid.uuid4().hex}"
    os.symlink(build_dir.name, tmp)  # relative, so the whole folder can be moved or copied
    os.replace(tmp, store_dir / CURRENT)


def activate(store_dir: Path, build_dir: Path, files: Path | None = None) -> None:
    """Make a prepared build `current` (one atomic rename), with its published `files` attached first."""
    if files is not None:
        attach(build_dir, files)
    _swap_current(store_dir, build_dir)


def publish(graphs: Mapping[str, Path], store_dir: Path, build_id: str, files: Path | None = None) -> Path:
    """Prepare and activate in one go; returns the build folder."""
    build_dir = prepare(graphs, store_dir, build_id)
    activate(store_dir, build_dir, files)
    return build_dir


def current_build(store_dir: Path) -> str | None:
    """The name of the build folder `current` points to, None when there is none."""
    try:
        return Path(os.readlink(store_dir / CURRENT)).name
    except OSError:
        return None


def clean(store_dir: Path) -> list[str]:
    """Delete every build folder but the current one that no server or worker holds (older builds, builds a
    kill left half-prepared), and stray temporary links; returns the names deleted. Call it only under the
    build lock: a build being prepared has no lease yet."""
    if not store_dir.is_dir():
        return []
    keep, deleted = current_build(store_dir), []
    for child in sorted(store_dir.iterdir()):
        if child.name.startswith(f".{CURRENT}-") and child.is_symlink():
            child.unlink(missing_ok=True)
        elif child.name.startswith(PREFIX) and child.name != keep and child.is_dir() and not child.is_symlink():
            with unheld(child / BUILD_FILE) as free:
                if free:
                    shutil.rmtree(child, ignore_errors=True)
                    deleted.append(child.name)
    return deleted


def reconcile(store_dir: Path, build_id: str, files: Path | None = None) -> bool:
    """Finish a publish that was interrupted after its commit point (the dist/ swap): if `build_id` (the one
    dist/ describes) is prepared but not `current`, activate it. True when something was activated."""
    current = store_dir / CURRENT
    live = (current / BUILD_FILE).read_text(encoding="utf-8").strip() if (current / BUILD_FILE).is_file() else None
    if live == build_id or not store_dir.is_dir():
        return False
    for candidate in sorted(store_dir.glob(f"{PREFIX}{build_id}-*")):
        if (candidate / BUILD_FILE).is_file():
            activate(store_dir, candidate, files)
            return True
    return False


def published_build_id(dist_dir: Path) -> str | None:
    """The build dist/ describes (its build.json is the publish's commit record), None without one."""
    try:
        return str(json.loads((dist_dir / "build.json").read_text(encoding="utf-8"))["build_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def restore_dist(dist_dir: Path) -> None:
    """A dist/ swap cut between its two renames is rolled back (the store was not activated yet)."""
    old = dist_dir.with_name(dist_dir.name + ".old")
    if not dist_dir.exists() and old.is_dir():
        os.replace(old, dist_dir)


def reconcile_published(dist_dir: Path, store_dir: Path) -> bool:
    """Finish a publish a kill interrupted, from what dist/ says: a half-done dist/ swap rolled back, and a
    build whose dist/ is in place but whose store is not yet `current` activated (with dist/ as its files)."""
    restore_dist(dist_dir)
    build_id = published_build_id(dist_dir)
    return reconcile(store_dir, build_id, dist_dir) if build_id else False
