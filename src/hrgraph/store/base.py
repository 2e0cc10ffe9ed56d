"""The one store protocol the web layer talks to; embedded (pyoxigraph) and remote back-ends implement it.

Terms crossing this interface are pyoxigraph terms (NamedNode, BlankNode, Literal, Triple): a remote
back-end converts what it receives into them, so routes never check which back-end they have.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from hrgraph.store.results import QueryResult

Term = NamedNode | BlankNode | Literal
Row = dict[str, Term]


@dataclass(frozen=True)
class Dataset:
    """A SPARQL Protocol dataset description (default-graph-uri / named-graph-uri); empty means the
    store's default: the union of all graphs."""

    default_graph_uris: Sequence[str] = field(default_factory=tuple)
    named_graph_uris: Sequence[str] = field(default_factory=tuple)


class Store(Protocol):
    @property
    def build_id(self) -> str:
        """Identifies the published build: ETags derive from it, so caches hold until the next publish."""
        ...

    def select(self, query: str) -> list[Row]:
        """Rows of a SELECT the web layer itself runs (labels, incoming links, counts)."""
        ...

    def construct(self, query: str) -> list[Triple]:
        """Triples of a CONSTRUCT/DESCRIBE the web layer itself runs."""
        ...

    def ask(self, query: str) -> bool: ...

    def run(self, query: str, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult:
        """Evaluate a client's query for the SPARQL endpoint; the result is handed to `serialize`.
        `base_iri` resolves relative IRIs (the endpoint's URL, as the Protocol suggests).
        Raises `results.QueryError` (message from the parser) for a malformed query."""
        ...

    def serialize(self, result: QueryResult, media_type: str) -> bytes:
        """Serialize a `run` result (solutions, boolean or triples) in a SPARQL results / RDF media type;
        ValueError when the media type does not fit the result's kind."""
        ...

    def close(self) -> None: ...


def iris(rows: Iterable[Row], var: str) -> list[str]:
    """The IRI values of one variable across rows (helper for routes)."""
    return [r[var].value for r in rows if isinstance(r.get(var), NamedNode)]
