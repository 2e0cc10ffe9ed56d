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

SOLUTIONS: Kind = "solutions"
BOOLEAN: Kind = "boolean"
GRAPH: Kind = "graph"

# Media type -> engine format. The first entry of each table is the default when the client accepts anything.
RESULTS_FORMATS: Mapping[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    # Generic types some clients (SPARQLWrapper, browsers' fetch) send instead of the SPARQL ones.
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
}
RDF_FORMATS: Mapping[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/n3": ox.RdfFormat.TURTLE,  # Turtle is a subset of N3
    "text/rdf+n3": ox.RdfFormat.TURTLE,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples' historical media type
    "application/json": ox.RdfFormat.JSON_LD,
    "application/xml": ox.RdfFormat.RDF_XML,
    "text/xml": ox.RdfFormat.RDF_XML,
}

PREFIXES: Mapping[str, str] = {
    "hr": "https://w3id.org/hrgraph/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}


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
