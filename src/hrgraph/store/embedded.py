"""The embedded back-end: a pyoxigraph on-disk store, published beside the live one and swapped in atomically.

Layout under `store_dir`: one `build-<id>-<unique>/` directory per publish and a `current` symlink to the
one being served. A publish loads into a fresh directory and only then moves the symlink (`os.replace` is
atomic on POSIX), so a failed load leaves the served store untouched and a running server, which holds
its own open handle, keeps answering until it is restarted on the new build.
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
from hrgraph.store import querytext
from hrgraph.store.base import Dataset, Row
from hrgraph.store.results import QueryError, QueryResult
from hrgraph.store.results import serialize as serialize_result

CURRENT = "current"
BUILD_FILE = "BUILD"
_PREFIX = "build-"


# --- publishing -------------------------------------------------------------------------------------------

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


def _load(store: ox.Store, graph: str, path: Path) -> None:
    try:
        with _open_rdf(path) as fh:
            store.bulk_load(fh, format=_format_of(path), to_graph=ox.NamedNode(graph))
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"could not load into <{graph}>: {exc}", where=str(path)) from exc


def _swap_current(store_dir: Path, build_dir: Path) -> None:
    """Point `current` at `build_dir` atomically: a new symlink beside it, renamed over the old one."""
    tmp = store_dir / f".{CURRENT}-{uuid.uuid4().hex}"
    os.symlink(build_dir.name, tmp)  # relative, so the whole folder can be moved or copied
    os.replace(tmp, store_dir / CURRENT)


def _prune(store_dir: Path, keep: set[str]) -> None:
    """Remove builds other than `keep` (the new one and the previous, for a quick roll back)."""
    for child in store_dir.iterdir():
        if child.name.startswith(_PREFIX) and child.name not in keep and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def prepare(graphs: Mapping[str, Path], store_dir: Path, build_id: str) -> Path:
    """Load each file into its named graph of a new store beside the live one; `current` is not touched.

    Raises StoreError (and leaves nothing behind) when any file fails to load.
    """
    store_dir.mkdir(parents=True, exist_ok=True)
    build_dir = store_dir / f"{_PREFIX}{build_id}-{uuid.uuid4().hex[:12]}"
    try:
        store = ox.Store(str(build_dir))
        for graph, path in graphs.items():
            _load(store, graph, Path(path))
        store.flush()
        store.optimize()
        del store  # release RocksDB's lock before any reader opens the folder
        (build_dir / BUILD_FILE).write_text(build_id + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    return build_dir


def activate(store_dir: Path, build_dir: Path) -> None:
    """Make a prepared build `current` (one atomic rename) and drop all but it and the previous one."""
    previous = os.readlink(store_dir / CURRENT) if (store_dir / CURRENT).is_symlink() else None
    _swap_current(store_dir, build_dir)
    _prune(store_dir, {build_dir.name, Path(previous).name if previous else ""})


def publish(graphs: Mapping[str, Path], store_dir: Path, build_id: str) -> Path:
    """Prepare and activate in one go; returns the build folder."""
    build_dir = prepare(graphs, store_dir, build_id)
    activate(store_dir, build_dir)
    return build_dir


def reconcile(store_dir: Path, build_id: str) -> bool:
    """Finish a publish that was interrupted after its commit point (the dist/ swap): if `build_id` (the one
    dist/ describes) is prepared but not `current`, activate it. True when something was activated."""
    current = store_dir / CURRENT
    live = (current / BUILD_FILE).read_text(encoding="utf-8").strip() if (current / BUILD_FILE).is_file() else None
    if live == build_id or not store_dir.is_dir():
        return False
    for candidate in sorted(store_dir.glob(f"{_PREFIX}{build_id}-*")):
        if (candidate / BUILD_FILE).is_file():
            activate(store_dir, candidate)
            return True
    return False


def reconcile_published(dist_dir: Path, store_dir: Path) -> bool:
    """Finish a publish a kill interrupted, from what dist/ says (its build.json is the commit record): a
    dist/ swap cut between its two renames is rolled back (the store was not activated yet), and a build
    whose dist/ is in place but whose store is not yet `current` is activated."""
    old = dist_dir.with_name(dist_dir.name + ".old")
    if not dist_dir.exists() and old.is_dir():
        os.replace(old, dist_dir)
    build_json = dist_dir / "build.json"
    if not build_json.is_file():
        return False
    try:
        build_id = json.loads(build_json.read_text(encoding="utf-8"))["build_id"]
    except (ValueError, KeyError):
        return False
    return reconcile(store_dir, str(build_id))


# --- reading ----------------------------------------------------------------------------------------------

def open_current(store_dir: Path) -> EmbeddedStore:
    """Open the published build read-only; StoreError with a hint when there is none or it is unreadable."""
    current = store_dir / CURRENT
    if not current.exists():
        raise StoreError("no published store", where=str(current), hint="run `hrgraph build` first")
    build_file = current / BUILD_FILE
    if not build_file.is_file():
        raise StoreError("the published store has no BUILD file (an interrupted publish?)",
                         where=str(current.resolve()), hint="run `hrgraph build` again")
    try:
        store = ox.Store.read_only(str(current.resolve()))
    except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
        raise StoreError(f"cannot open the store: {exc}", where=str(current.resolve()),
                         hint="run `hrgraph build` again") from exc
    return EmbeddedStore(store, build_file.read_text(encoding="utf-8").strip())


class EmbeddedStore:
    """The Store protocol over a pyoxigraph store; the default graph is the union of the named graphs."""

    def __init__(self, store: ox.Store, build_id: str) -> None:
        self._store = store
        self._build_id = build_id

    @property
    def build_id(self) -> str:
        return self._build_id

    def _query(self, query: str, dataset: Dataset | None = None, base_iri: str | None = None) -> object:
        options: dict[str, object] = {"base_iri": base_iri} if base_iri else {}
        if dataset and (dataset.default_graph_uris or dataset.named_graph_uris):
            # A protocol dataset replaces both the union default and any FROM in the query (SPARQL 1.1
            # Protocol §2.1.4); graphs it does not list are simply absent.
            options["default_graph"] = [ox.NamedNode(u) for u in dataset.default_graph_uris]
            options["named_graphs"] = [ox.NamedNode(u) for u in dataset.named_graph_uris]
        elif not querytext.has_dataset_clause(query):
            # Only without FROM: pyoxigraph's union option would silently override the query's own dataset.
            options["use_default_graph_as_union"] = True
        try:
            return self._store.query(query, **options)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        except ValueError as exc:  # e.g. an invalid IRI in default-graph-uri
            raise QueryError(str(exc)) from exc

    def _own(self, query: str) -> object:
        """`select`/`construct`: the full keyword scan for FROM (it cost as much as evaluating one of the web
        layer's small queries) only when the word appears in the text at all."""
        if "FROM" in query.upper():
            return self._query(query)
        try:
            return self._store.query(query, use_default_graph_as_union=True)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(str(exc)) from exc

    def select(self, query: str) -> list[Row]:
        solutions = self._own(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query", where=query[:80])
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            values = zip(names, solution, strict=True)  # by position: cheaper than a lookup per name
            rows.append({n: v for n, v in values if v is not None})
        return rows  # type: ignore[return-value]

    def construct(self, query: str) -> list[ox.Triple]:
        triples = self._own(query)
        if isinstance(triples, ox.QuerySolutions | ox.QueryBoolean):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query", where=query[:80])
        return list(triples)  # type: ignore[call-overload]

    def ask(self, query: str) -> bool:
        return bool(self._query(query))

    def run(self, query: str, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult:
        return QueryResult.of(self._query(query, dataset, base_iri))

    def serialize(self, result: QueryResult, media_type: str) -> bytes:
        return serialize_result(result, media_type)

    def close(self) -> None:
        # pyoxigraph closes RocksDB when the object is dropped; drop our reference.
        self._store = None  # type: ignore[assignment]
