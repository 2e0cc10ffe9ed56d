"""The embedded back-end: a published build (`embedded_publish`) opened read-only with pyoxigraph.

The web layer's own small queries (labels, pages, counts) run in-process; a client's query (`run`) goes to
the build's private pool of worker processes (`_pool`), which can be killed at its time limit. With
`workers=False` (`hrgraph query`, tests) it runs in-process instead, without a time limit.

A server also holds a build of at most `HRGRAPH_MEMORY_TRIPLES` triples in memory (`in_memory`) and runs its
own queries there. Why: a page is built from some ten small queries, each a handful of index lookups, and an
index lookup in the read-only RocksDB store costs 60-110 µs (an iterator over its column families) against
5-10 µs in pyoxigraph's in-memory store; measured at 1M triples, a claim's Turtle document took 5.4 ms on disk
and 2.8 ms in memory, a person's 12.6 and 3.6 ms. The copy is loaded from the build's own published files (the
same files into the same named graphs as the on-disk store) while the previous build is still served
(`follow`), and costs ~420 MiB per process per 1M triples; larger builds are served from disk only. Clients'
queries stay on disk, in the workers, where their limits are enforced.

`open_embedded` returns what a server holds: the `current` build, followed to the next one when a publish
moves the symlink (`follow.Following`). Each opened build holds a lease on its folder for as long as it is
open, and each of its workers holds one too, so a publish never deletes a build that is still being read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from hrgraph.config import Settings
from hrgraph.errors import StoreError
from hrgraph.store import querytext
from hrgraph.store._pool import QueryPool
from hrgraph.store.base import Dataset, Limits, Node, QueryError, Row, published_graphs
from hrgraph.store.embedded_publish import BUILD_FILE, CURRENT, FILES, current_build, load_graph
from hrgraph.store.follow import Following
from hrgraph.store.lease import Lease, hold
from hrgraph.store.results import QueryResult, encode

Pattern = tuple[Node | None, ox.NamedNode | None, ox.NamedNode | None]
KEPT = "kept"  # answers computed from the build (web.kept), in its own folder so they go with it

__all__ = ["BUILD_FILE", "EmbeddedStore", "evaluate", "open_build", "open_current", "open_embedded"]


def evaluate(store: ox.Store, query: str, dataset: Dataset | None = None, base_iri: str | None = None) -> object:
    """pyoxigraph's answer to `query`; the default graph is the union of the named graphs unless the query
    (FROM) or the protocol dataset names its own. QueryError for what the parser or the engine rejects."""
    options: dict[str, object] = {"base_iri": base_iri} if base_iri else {}
    if dataset and (dataset.default_graph_uris or dataset.named_graph_uris):
        # A protocol dataset replaces both the union default and any FROM in the query (SPARQL 1.1
        # Protocol §2.1.4); graphs it does not list are simply absent.
        options["default_graph"] = [ox.NamedNode(u) for u in dataset.default_graph_uris]
        options["named_graphs"] = [ox.NamedNode(u) for u in dataset.named_graph_uris]
    elif "FROM" not in query.upper() or not querytext.has_dataset_clause(query):
        # Only without FROM: pyoxigraph's union option would silently override the query's own dataset. (The
        # keyword scan costs as much as one of the web layer's small queries: only when the word is there.)
        options["use_default_graph_as_union"] = True
    try:
        return store.query(query, **options)  # type: ignore[arg-type]
    except (SyntaxError, ValueError) as exc:  # ValueError: e.g. an invalid IRI in default-graph-uri
        raise QueryError(str(exc)) from exc


class EmbeddedStore:
    """The Store protocol over one published build folder; `close` ends its workers and drops its lease."""

    def __init__(self, store: ox.Store, build_id: str, files: Path, pool: QueryPool | None = None,
                 lease: Lease | None = None, folder: Path | None = None, memory: ox.Store | None = None) -> None:
        self._store, self._build_id, self._files = store, build_id, files
        self.pool, self._lease, self._folder = pool, lease, folder
        self._local = memory if memory is not None else store  # where the web layer's own queries run

    @property
    def in_memory(self) -> bool:
        return self._local is not self._store

    @property
    def build_id(self) -> str:
        return self._build_id

    @property
    def files(self) -> Path:
        return self._files

    @property
    def cache_dir(self) -> Path | None:
        """`KEPT` inside the build folder: deleted with the build, once nobody holds it."""
        return self._folder / KEPT if self._folder is not None else None

    @property
    def disk_files(self) -> list[Path]:
        """RocksDB's sorted tables: what a lookup reads (its write-ahead log and manifest are read once, on open).
        Those of the read-only store, which the query workers use even when the web layer has a copy in memory."""
        if self._folder is None:
            return []
        try:
            return sorted(self._folder.glob("*.sst"))
        except OSError:  # the build was deleted under us
            return []

    def select(self, query: str) -> list[Row]:
        solutions = evaluate(self._local, query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query", where=query[:80])
        names = [v.value for v in solutions.variables]
        rows = []
        for solution in solutions:
            values = zip(names, solution, strict=True)  # by position: cheaper than a lookup per name
            rows.append({n: v for n, v in values if v is not None})
        return rows  # type: ignore[return-value]

    def construct(self, query: str) -> list[ox.Triple]:
        triples = evaluate(self._local, query)
        if isinstance(triples, ox.QuerySolutions | ox.QueryBoolean):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query", where=query[:80])
        return list(triples)  # type: ignore[call-overload]

    def ask(self, query: str) -> bool:
        return bool(evaluate(self._local, query))

    def outgoing(self, subjects: Iterable[Node], predicates: Sequence[str] = ()) -> list[ox.Triple]:
        kinds = [ox.NamedNode(p) for p in predicates] or [None]
        return self._lookup((s, p, None) for s in subjects for p in kinds)

    def incoming(self, objects: Iterable[ox.NamedNode], predicates: Sequence[str] = (),
                 limit: int | None = None) -> list[ox.Triple]:
        kinds = [ox.NamedNode(p) for p in predicates] or [None]
        return self._lookup(((None, p, o) for o in objects for p in kinds), limit)

    def _lookup(self, patterns: Iterable[Pattern], limit: int | None = None) -> list[ox.Triple]:
        """The triples matching any of `patterns` in the union of the graphs, each once (in order found), at
        most `limit` of them."""
        found: dict[ox.Triple, None] = {}
        for s, p, o in patterns:
            for quad in self._local.quads_for_pattern(s, p, o):
                found[quad.triple] = None
                if limit is not None and len(found) >= limit:
                    return list(found)
        return list(found)

    def run(self, query: str, dataset: Dataset | None = None, limits: Limits | None = None,
            base_iri: str | None = None) -> QueryResult:
        limits = limits or Limits()
        if self.pool is not None:
            return self.pool.run(query, dataset or Dataset(), limits, base_iri)
        return encode(evaluate(self._store, query, dataset, base_iri), limits.max_rows, limits.max_bytes)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        self._store = self._local = None  # type: ignore[assignment]  # pyoxigraph closes RocksDB when it goes
        if self._lease is not None:
            self._lease.release()


def _read_only(build_dir: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(build_dir))
    except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
        raise StoreError(f"cannot open the store: {exc}", where=str(build_dir),
                         hint="run `hrgraph build` again") from exc


def in_memory(build_dir: Path, settings: Settings) -> ox.Store | None:
    """The build's graphs in an in-memory store when it has at most `settings.memory_triples` triples (see the
    module docstring), loaded from its published files; None for a larger build or one without files."""
    files = build_dir / FILES
    try:
        about = json.loads((files / "build.json").read_text(encoding="utf-8"))
        triples, base = int(about["triples"]), str(about["base"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # built before files/ were attached, or not by `hrgraph build`: served from disk
    if not 0 < triples <= settings.memory_triples:
        return None
    memory = ox.Store()
    for graph, path in published_graphs(files, base).items():
        if path.is_file():
            load_graph(memory, graph, path)
    return memory


def open_build(build_dir: Path, settings: Settings, workers: bool = True, memory: bool = False) -> EmbeddedStore:
    """One build folder opened read-only, leased, with its `settings.query_workers` query workers (or none),
    and with `memory` its copy in memory when it is small enough (`in_memory`)."""
    lease = hold(build_dir / BUILD_FILE)
    if lease is None:
        raise StoreError("the published store has no BUILD file (an interrupted publish?)", where=str(build_dir),
                         hint="run `hrgraph build` again")
    try:
        build_id = (build_dir / BUILD_FILE).read_text(encoding="utf-8").strip()
        store = _read_only(build_dir)
        files = build_dir / FILES if (build_dir / FILES).is_dir() else settings.dist_dir  # built before files/
        copy = in_memory(build_dir, settings) if memory else None
        pool = QueryPool(build_dir, settings.query_workers, settings.query_queue, settings.query_memory_mb) \
            if workers else None
    except BaseException:
        lease.release()
        raise
    return EmbeddedStore(store, build_id, files, pool, lease, build_dir, copy)


def _open_named(settings: Settings, name: str, workers: bool, memory: bool = False) -> EmbeddedStore:
    if not name:
        raise StoreError("no published store", where=str(settings.store_dir / CURRENT),
                         hint="run `hrgraph build` first")
    return open_build(settings.store_dir / name, settings, workers, memory)


def open_embedded(settings: Settings, workers: bool = True) -> Following:
    """The `current` build, followed: a publish that moves the symlink is served within `follow_s` seconds."""
    return Following(lambda: current_build(settings.store_dir) or "",
                     lambda name: _open_named(settings, name, workers, memory=True), settings.follow_s,
                     what=str(settings.store_dir))


def open_current(settings: Settings, workers: bool = False) -> EmbeddedStore:
    """The build `current` points to now, not followed, its client queries in-process unless `workers`
    (`hrgraph query`, tests); the caller closes it."""
    return _open_named(settings, current_build(settings.store_dir) or "", workers)
