"""The one store protocol the web layer talks to; embedded (pyoxigraph) and remote back-ends implement it.

Terms crossing this interface are pyoxigraph terms (NamedNode, BlankNode, Literal, Triple): a remote
back-end converts what it receives into them, so routes never check which back-end they have.

A `Store` is one published build. What a server holds is `Stores`: the build it serves now, handed out per
request (`checkout` / `checkin`), and followed to the next one when a publish lands (`store.follow`).

Errors carry their HTTP meaning (`status`, `retry_after`): the web layer answers every `HrgraphError` with one
handler, so a store never needs to know about HTTP beyond these two numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from hrgraph.config import Settings
from hrgraph.errors import HrgraphError, StoreError
from hrgraph.store.results import QueryResult

Term = NamedNode | BlankNode | Literal
Node = NamedNode | BlankNode
Row = dict[str, Term]


@dataclass(frozen=True)
class Dataset:
    """A SPARQL Protocol dataset description (default-graph-uri / named-graph-uri); empty means the
    store's default: the union of all graphs."""

    default_graph_uris: Sequence[str] = field(default_factory=tuple)
    named_graph_uris: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class Limits:
    """What one client query may use: wall time, and the rows and bytes of its answer (cut beyond, and said so)."""

    timeout_s: float = 30.0
    max_rows: int = 100_000
    max_bytes: int = 32 * 1024 * 1024

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(settings.query_timeout_s, settings.query_max_rows, settings.query_max_bytes)

    def within(self, timeout_s: float | None) -> Limits:
        """These limits with a shorter time limit (a client's `timeout=`); never a longer one."""
        return self if timeout_s is None or timeout_s >= self.timeout_s else replace(self, timeout_s=timeout_s)


class QueryError(HrgraphError):
    """The query text was rejected by the parser or the engine (the message says where): the client's to fix."""

    status = 400


class QueryTimeout(HrgraphError):
    """The query did not finish within its time limit and was stopped."""

    status = 504


class StoreBusy(StoreError):
    """Every query worker is busy and the queue is full: try again shortly."""

    retry_after = 5


class WorkerFailed(StoreError):
    """No query worker could take the query (none could be started)."""

    retry_after = 1


class QueryCrashed(WorkerFailed):
    """The worker evaluating the query died under it (more memory than a query may use, an engine crash)."""


class Store(Protocol):
    @property
    def build_id(self) -> str:
        """Identifies the published build: ETags derive from it, so caches hold until the next publish."""
        ...

    @property
    def files(self) -> Path:
        """The build's published files (dumps, VoID, source texts), as they were published with this graph."""
        ...

    @property
    def cache_dir(self) -> Path | None:
        """A folder that lives and dies with this build, for answers computed from it (`web.kept`); None for a
        back-end without a local build folder."""
        ...

    @property
    def disk_files(self) -> list[Path]:
        """The files the engine looks this build up in, which a server keeps in the OS page cache
        (`web.pagecache`); none for a back-end without a local build folder."""
        ...

    def select(self, query: str) -> list[Row]:
        """Rows of a SELECT the web layer itself runs (labels, incoming links, counts)."""
        ...

    def construct(self, query: str) -> list[Triple]:
        """Triples of a CONSTRUCT/DESCRIBE the web layer itself runs."""
        ...

    def ask(self, query: str) -> bool: ...

    def outgoing(self, subjects: Iterable[Node], predicates: Sequence[str] = ()) -> list[Triple]:
        """Every triple whose subject is one of `subjects` (and whose predicate is one of `predicates`, when
        given), each once: the lookups a page is built from (`web.describe`), without a query to parse."""
        ...

    def incoming(self, objects: Iterable[NamedNode], predicates: Sequence[str] = (),
                 limit: int | None = None) -> list[Triple]:
        """Every triple whose object is one of `objects` (and whose predicate is one of `predicates`, when given),
        each once; at most `limit` of them (any), when given. Mind an object with many links (a class, a
        much-cited statement): without a limit, all of them are read."""
        ...

    def run(self, query: str, dataset: Dataset | None = None, limits: Limits | None = None,
            base_iri: str | None = None) -> QueryResult:
        """Evaluate a client's query within `limits` (default: the configured ones); `base_iri` resolves relative
        IRIs (the endpoint's URL, as the Protocol suggests). Raises QueryError, QueryTimeout or a StoreError."""
        ...

    def close(self) -> None: ...


class Stores(Protocol):
    """The builds a server serves: the current one for each new request, followed across publishes."""

    def checkout(self) -> Store:
        """The current build, kept open (and its files kept on disk) until `checkin`."""
        ...

    def checkin(self, store: Store) -> None: ...

    @property
    def build_id(self) -> str:
        """The current build's id, without holding it (cache keys)."""
        ...

    @property
    def problem(self) -> str | None:
        """Why the last look for a newer build failed (it is retried), None when all is well."""
        ...

    def close(self) -> None: ...


def lookup_query(nodes: Iterable[Node], predicates: Sequence[str] = (), *, incoming: bool = False,
                 limit: int | None = None) -> str:
    """`outgoing` (triples of `nodes` as subjects) or `incoming` (as objects) as one CONSTRUCT, for a back-end
    that answers only queries (remote). A blank node cannot be named in a query to another store: left out."""
    named = " ".join(str(n) for n in nodes if isinstance(n, NamedNode))
    where = f"VALUES {'?o' if incoming else '?s'} {{ {named} }} ?s ?p ?o"
    if predicates:
        where += f" FILTER(?p IN ({', '.join(f'<{p}>' for p in predicates)}))"
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}" + (f" LIMIT {int(limit)}" if limit is not None else "")


def published_graphs(files: Path, base: str) -> dict[str, Path]:
    """The files of a build that every back-end loads, by the named graph each goes to."""
    return {f"{base}graph/data": files / "hrgraph.nt.gz", f"{base}graph/ontology": files / "ontology.ttl",
            f"{base}graph/void": files / "void.ttl"}


def iris(rows: Iterable[Row], var: str) -> list[str]:
    """The IRI values of one variable across rows (helper for routes)."""
    return [r[var].value for r in rows if isinstance(r.get(var), NamedNode)]
