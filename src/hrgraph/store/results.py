"""A client query's result as it crosses the Store protocol, and its serialization by the engine itself.

The payload is a pyoxigraph value (QuerySolutions, QueryBoolean, or an iterable of Triples), which a
remote back-end obtains with `pyoxigraph.parse_query_results` / `pyoxigraph.parse`, so one serializer
table serves both back-ends. pyoxigraph writes every format we offer, far faster than rdflib graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal as Kind

import pyoxigraph as ox

from hrgraph.errors import HrgraphError
from hrgraph.formats import media
from hrgraph.model.namespaces import PREFIXES

SOLUTIONS: Kind = "solutions"
BOOLEAN: Kind = "boolean"
GRAPH: Kind = "graph"

# Media type -> engine format, from the one media-type table: each format's own type, then the types clients
# send instead (SPARQLWrapper's application/json, N-Triples' text/plain); the first is the default.
RESULTS_FORMATS: Mapping[str, ox.QueryResultsFormat] = {
    mt: f.results for mt, f in media.by_offer(media.SOLUTION_FORMATS).items() if f.results}
RDF_FORMATS: Mapping[str, ox.RdfFormat] = {mt: f.rdf for mt, f in media.by_offer(media.GRAPH_FORMATS).items() if f.rdf}


class QueryError(HrgraphError):
    """The query text was rejected by the parser (the message says where); the web layer answers 400."""


@dataclass
class QueryResult:
    """What `Store.run` returns. The payload is a one-shot iterator: serialize or tabulate it once."""

    kind: Kind
    payload: object

    @classmethod
    def of(cls, value: object) -> QueryResult:
        if isinstance(value, ox.QuerySolutions):
            return cls(SOLUTIONS, value)
        if isinstance(value, ox.QueryBoolean | bool):
            return cls(BOOLEAN, value)
        return cls(GRAPH, value)

    @property
    def media_types(self) -> tuple[str, ...]:
        """What this result can be written as, the default first."""
        return tuple(RDF_FORMATS if self.kind == GRAPH else RESULTS_FORMATS)


def _bare(media_type: str) -> str:
    return media_type.split(";")[0].strip().lower()


def serialize(result: QueryResult, media_type: str, prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """The result in `media_type`; ValueError when that type does not fit the result's kind."""
    mt = _bare(media_type)
    if result.kind == GRAPH:
        if mt not in RDF_FORMATS:
            raise ValueError(f"a graph result cannot be written as {mt}")
        fmt = RDF_FORMATS[mt]
        wants_prefixes = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
        return ox.serialize(_triples(result.payload), format=fmt,
                            prefixes=dict(prefixes) if wants_prefixes else None) or b""
    if mt not in RESULTS_FORMATS:
        raise ValueError(f"a {result.kind} result cannot be written as {mt}")
    payload = result.payload
    if isinstance(payload, bool):  # a remote back-end's plain bool
        return _boolean(payload, RESULTS_FORMATS[mt])
    return payload.serialize(format=RESULTS_FORMATS[mt]) or b""  # type: ignore[attr-defined]


def _triples(payload: object) -> Iterable[ox.Triple]:
    return payload  # type: ignore[return-value]  # QueryTriples and lists of Triples both iterate Triples


def _boolean(value: bool, fmt: ox.QueryResultsFormat) -> bytes:
    if fmt in (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV):  # as pyoxigraph writes them
        return b"true" if value else b"false"
    if fmt == ox.QueryResultsFormat.JSON:
        return b'{"head":{},"boolean":%s}' % (b"true" if value else b"false")
    return (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            b"<boolean>%s</boolean></sparql>" % (b"true" if value else b"false"))


@dataclass(frozen=True)
class Table:
    """A result as strings for an HTML page: column names, rows, and whether rows were cut at the cap."""

    columns: list[str]
    rows: list[list[str]]
    truncated: bool = False


def tabulate(result: QueryResult, limit: int) -> Table:
    """At most `limit` rows; fetch one more than that so the page can say honestly that it was cut."""
    if result.kind == BOOLEAN:
        return Table(["boolean"], [[str(bool(result.payload)).lower()]])
    if result.kind == GRAPH:
        rows = _take(([_text(t.subject), _text(t.predicate), _text(t.object)] for t in _triples(result.payload)),
                     limit + 1)
        return Table(["subject", "predicate", "object"], rows[:limit], len(rows) > limit)
    solutions: ox.QuerySolutions = result.payload  # type: ignore[assignment]
    columns = [v.value for v in solutions.variables]
    rows = _take(([_text(s[c]) if s[c] is not None else "" for c in columns] for s in solutions), limit + 1)
    return Table(columns, rows[:limit], len(rows) > limit)


def _take(rows: Iterable[list[str]], n: int) -> list[list[str]]:
    out = []
    for row in rows:
        if len(out) >= n:
            break
        out.append(row)
    return out


def _text(term: object) -> str:
    """IRIs bare, literals as their lexical form with a language tag where there is one."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)
