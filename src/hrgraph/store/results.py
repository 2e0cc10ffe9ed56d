"""A client query's result as it crosses the Store protocol, and its serialization by the engine itself.

Every back-end answers `Store.run` with one `QueryResult`: the answer in a line-based form the engine writes
and reads fast (SPARQL TSV, N-Triples), cut at the row and byte caps by `encode` (which says so). The embedded
store's query workers send it over a pipe as it is; the remote store encodes what the endpoint sent. One
serializer table then writes it in the negotiated format, with pyoxigraph (far faster than rdflib graphs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal as Kind

import pyoxigraph as ox

from hrgraph.formats import media
from hrgraph.model.namespaces import PREFIXES
from hrgraph.model.vocab import XSD

SOLUTIONS: Kind = "solutions"
BOOLEAN: Kind = "boolean"
GRAPH: Kind = "graph"

# Media type -> engine format, from the one media-type table: each format's own type, then the types clients
# send instead (SPARQLWrapper's application/json, N-Triples' text/plain); the first is the default.
RESULTS_FORMATS: Mapping[str, ox.QueryResultsFormat] = {
    mt: f.results for mt, f in media.by_offer(media.SOLUTION_FORMATS).items() if f.results}
RDF_FORMATS: Mapping[str, ox.RdfFormat] = {mt: f.rdf for mt, f in media.by_offer(media.GRAPH_FORMATS).items() if f.rdf}


@dataclass(frozen=True)
class QueryResult:
    """What `Store.run` returns from every back-end: the kind, the answer as the engine wrote it in a
    line-based form (SPARQL TSV for solutions, N-Triples for a graph, `true`/`false` for a boolean), and
    whether a cap cut it (`rows=N` or `bytes=N`, N rows kept; None when whole). Bytes cross a process or a
    network as they are, and `serialize` writes them in the format the client asked for."""

    kind: Kind
    data: bytes
    truncated: str | None = None

    @property
    def media_types(self) -> tuple[str, ...]:
        """What this result can be written as, the default first."""
        return tuple(RDF_FORMATS if self.kind == GRAPH else RESULTS_FORMATS)

    def value(self) -> object:
        """The answer as pyoxigraph values: QuerySolutions, a list of Triples, or a bool."""
        if self.kind == BOOLEAN:
            return self.data == b"true"
        if self.kind == GRAPH:
            return [q.triple for q in ox.parse(self.data, format=ox.RdfFormat.N_TRIPLES)]
        return ox.parse_query_results(self.data, format=ox.QueryResultsFormat.TSV)


def kind_of(value: object) -> Kind:
    if isinstance(value, ox.QuerySolutions):
        return SOLUTIONS
    if isinstance(value, ox.QueryBoolean | bool):
        return BOOLEAN
    return GRAPH


class _Full(Exception):
    """Raised by `_CappedLines.write` to stop the engine's serializer (and so the evaluation) at a cap."""


class _CappedLines:
    """A file-like sink for the engine's line-based serializers (SPARQL TSV, N-Triples: one row per line).

    It stops the engine (by raising `_Full`) once more than `max_rows` rows or clearly more than `max_bytes`
    bytes have come; `result` then keeps whole rows within both caps and names the one that cut. pyoxigraph
    writes in 8 KiB chunks, so the check costs nothing per row. The header line never counts against a cap.
    """

    SLACK = 64 * 1024  # room for the header line before the engine is stopped

    def __init__(self, max_rows: int, max_bytes: int, header_lines: int) -> None:
        self.max_rows, self.max_bytes, self.header = max_rows, max_bytes, header_lines
        self.parts: list[bytes] = []
        self.size = self.lines = 0

    def write(self, chunk: bytes) -> int:
        self.parts.append(bytes(chunk))
        self.size += len(chunk)
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_rows + self.header or self.size > self.max_bytes + self.SLACK:
            raise _Full
        return len(chunk)

    def flush(self) -> None:
        pass

    def result(self, stopped: bool) -> tuple[bytes, str | None]:
        """The kept bytes (whole lines) and the truncation note, `rows=N` or `bytes=N` (N rows kept)."""
        data = b"".join(self.parts)
        lines = data.split(b"\n")[:-1]  # what follows the last newline is an incomplete line (or nothing)
        kept, size = lines[:self.header], 0
        for line in lines[self.header:]:
            if len(kept) - self.header >= self.max_rows:
                return _joined(kept), f"rows={self.max_rows}"
            if size + len(line) + 1 > self.max_bytes:
                return _joined(kept), f"bytes={len(kept) - self.header}"
            kept.append(line)
            size += len(line) + 1
        return (_joined(kept), f"bytes={len(kept) - self.header}") if stopped else (data, None)


def _joined(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def encode(value: object, max_rows: int, max_bytes: int) -> QueryResult:
    """An engine answer (QuerySolutions, QueryBoolean/bool, or Triples) as a `QueryResult` within the caps.

    The engine serializes (no Python object per row): both formats put one solution or triple per line with
    newlines escaped, so a cap cuts at a line and the reader re-reads the rest exactly.
    """
    kind = kind_of(value)
    if kind == BOOLEAN:
        return QueryResult(BOOLEAN, b"true" if bool(value) else b"false")
    sink = _CappedLines(max_rows, max_bytes, header_lines=0 if kind == GRAPH else 1)
    try:
        if kind == GRAPH:
            ox.serialize(value, sink, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[arg-type]
        else:
            value.serialize(sink, format=ox.QueryResultsFormat.TSV)  # type: ignore[attr-defined]
        stopped = False
    except _Full:
        stopped = True
    data, cut = sink.result(stopped)
    return QueryResult(kind, data, cut)


def _bare(media_type: str) -> str:
    return media_type.split(";")[0].strip().lower()


def serialize(result: QueryResult, media_type: str, prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """The result in `media_type`; ValueError when that type does not fit the result's kind."""
    mt = _bare(media_type)
    if result.kind == GRAPH:
        if mt not in RDF_FORMATS:
            raise ValueError(f"a graph result cannot be written as {mt}")
        fmt = RDF_FORMATS[mt]
        if fmt == ox.RdfFormat.N_TRIPLES:
            return result.data  # already N-Triples
        wants_prefixes = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
        return ox.serialize(result.value(), format=fmt,  # type: ignore[arg-type]
                            prefixes=dict(prefixes) if wants_prefixes else None) or b""
    if mt not in RESULTS_FORMATS:
        raise ValueError(f"a {result.kind} result cannot be written as {mt}")
    if result.kind == BOOLEAN:
        return _boolean(result.data == b"true", RESULTS_FORMATS[mt])
    if RESULTS_FORMATS[mt] == ox.QueryResultsFormat.TSV:
        return result.data  # already SPARQL TSV
    return result.value().serialize(format=RESULTS_FORMATS[mt]) or b""  # type: ignore[attr-defined]


def _boolean(value: bool, fmt: ox.QueryResultsFormat) -> bytes:
    if fmt in (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV):  # as pyoxigraph writes them
        return b"true" if value else b"false"
    if fmt == ox.QueryResultsFormat.JSON:
        return b'{"head":{},"boolean":%s}' % (b"true" if value else b"false")
    return (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            b"<boolean>%s</boolean></sparql>" % (b"true" if value else b"false"))


@dataclass(frozen=True)
class Cell:
    """One value of a result table: an IRI, a literal (its language tag or datatype kept apart from the text),
    a blank node, or nothing (an unbound variable)."""

    value: str
    kind: str = "literal"  # iri, literal, bnode, or "" (unbound)
    language: str = ""
    datatype: str = ""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Table:
    """A result for an HTML page: column names, rows of cells, and whether rows were cut at the cap."""

    columns: list[str]
    rows: list[list[Cell]]
    truncated: bool = False


def tabulate(result: QueryResult, limit: int) -> Table:
    """At most `limit` rows; fetch one more than that so the page can say honestly that it was cut."""
    if result.kind == BOOLEAN:
        return Table(["boolean"], [[Cell(result.data.decode())]])
    value = result.value()
    if result.kind == GRAPH:
        triples: list[ox.Triple] = value  # type: ignore[assignment]
        rows = _take(([_cell(t.subject), _cell(t.predicate), _cell(t.object)] for t in triples), limit + 1)
        return Table(["subject", "predicate", "object"], rows[:limit], len(rows) > limit)
    solutions: ox.QuerySolutions = value  # type: ignore[assignment]
    columns = [v.value for v in solutions.variables]
    rows = _take(([_cell(s[c]) for c in columns] for s in solutions), limit + 1)
    return Table(columns, rows[:limit], len(rows) > limit)


def _take(rows: Iterable[list[Cell]], n: int) -> list[list[Cell]]:
    out = []
    for row in rows:
        if len(out) >= n:
            break
        out.append(row)
    return out


XSD_STRING = str(XSD.string)


def _cell(term: object) -> Cell:
    if term is None:
        return Cell("", "")
    if isinstance(term, ox.NamedNode):
        return Cell(term.value, "iri")
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if not term.language and term.datatype.value != XSD_STRING else ""
        return Cell(term.value, "literal", term.language or "", datatype)
    if isinstance(term, ox.BlankNode):
        return Cell(f"_:{term.value}", "bnode")
    return Cell(str(term))
