"""What `Store.run` returns from every back-end: the engine's own TSV / N-Triples, cut at whole rows by the
caps, re-read exactly by the server (so no Python object is built per row on either side)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from hrgraph.store.results import GRAPH, encode, serialize

JSON, NT = "application/sparql-results+json", "application/n-triples"
TRICKY = ["tab\there", "new\nline", 'quote " and \\ backslash', "é ☃ 𝄞", "", "  spaced  "]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for n, text in enumerate(TRICKY * 10):
        s.add(ox.Quad(ox.NamedNode(f"http://ex.org/s{n:03d}"), ox.NamedNode("http://ex.org/label"),
                      ox.Literal(text, language="be") if n % 2 else ox.Literal(text)))
        s.add(ox.Quad(ox.NamedNode(f"http://ex.org/s{n:03d}"), ox.NamedNode("http://ex.org/n"),
                      ox.Literal(str(n), datatype=ox.NamedNode(xsd + "integer"))))
        s.add(ox.Quad(ox.NamedNode(f"http://ex.org/s{n:03d}"), ox.NamedNode("http://ex.org/b"), ox.BlankNode(f"b{n}")))
    return s


def roundtrip(store: ox.Store, query: str, max_rows: int = 10_000, max_bytes: int = 10**7) -> tuple[bytes, str | None]:
    result = encode(store.query(query), max_rows, max_bytes)
    return serialize(result, NT if result.kind == GRAPH else JSON), result.truncated


SELECT = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("query", [SELECT, CONSTRUCT, "SELECT * WHERE {}", "SELECT ?x WHERE { ?x ?x ?x }",
                                   "SELECT (<<( <http://a> <http://b> 'c' )>> AS ?t) WHERE {}", "ASK { ?s ?p ?o }"])
def test_uncut_results_come_back_exactly(store: ox.Store, query: str) -> None:
    direct = store.query(query)  # the engine's own serialization, without the round trip
    if isinstance(direct, ox.QuerySolutions | ox.QueryBoolean):
        expected = direct.serialize(format=ox.QueryResultsFormat.JSON)
    else:
        expected = ox.serialize(direct, format=ox.RdfFormat.N_TRIPLES)
    assert roundtrip(store, query) == (expected, None)


def test_row_cap_keeps_exactly_that_many_rows(store: ox.Store) -> None:
    body, cut = roundtrip(store, SELECT, max_rows=7)
    assert cut == "rows=7"
    assert ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).variables  # still a valid document
    assert len(list(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))) == 7
    body, cut = roundtrip(store, CONSTRUCT, max_rows=7)
    assert cut == "rows=7" and len(body.splitlines()) == 7


def test_byte_cap_cuts_at_a_whole_row(store: ox.Store) -> None:
    body, cut = roundtrip(store, SELECT, max_bytes=500)
    rows = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
    assert cut == f"bytes={len(rows)}" and 0 < len(rows) < 180
    full, _ = roundtrip(store, SELECT)
    assert [str(r["o"]) for r in rows] == [str(r["o"]) for r in
                                           ox.parse_query_results(full, format=ox.QueryResultsFormat.JSON)][:len(rows)]


def test_a_cap_of_zero_keeps_the_header_only(store: ox.Store) -> None:
    body, cut = roundtrip(store, SELECT, max_bytes=0)
    assert cut == "bytes=0"
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    assert [v.value for v in parsed.variables] == ["s", "o", "unbound"] and list(parsed) == []
    assert roundtrip(store, "SELECT ?x WHERE { ?x ?x ?x }", max_bytes=0)[1] is None  # nothing to cut
