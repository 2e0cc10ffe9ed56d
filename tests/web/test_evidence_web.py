"""Provenance end to end: every published quote can be checked against the stored text the server serves."""

from __future__ import annotations

import requests

from conftest import LiveServer

QUOTES = """
PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?text ?exact ?start ?end WHERE {
  ?t oa:hasSource ?doc ; oa:hasSelector ?q, ?p . ?doc dct:hasFormat ?text .
  ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }"""


def test_every_quote_is_at_its_offsets_in_the_served_source_text(live: LiveServer) -> None:
    rows = requests.post(f"{live.url}/sparql", data={"query": QUOTES},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30).json()
    bindings = rows["results"]["bindings"]
    assert len(bindings) > 100
    texts: dict[str, str] = {}
    for b in bindings:
        iri = b["text"]["value"]
        path = iri.split("/hrgraph/", 1)[1]  # the server answers for the path part of every IRI
        if iri not in texts:
            resp = requests.get(f"{live.url}/{path}", timeout=10)
            assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/plain")
            texts[iri] = resp.content.decode("utf-8")
        start, end = int(b["start"]["value"]), int(b["end"]["value"])
        assert texts[iri][start:end] == b["exact"]["value"], (iri, start, end)


def test_unknown_source_text_is_a_clear_404(live: LiveServer) -> None:
    resp = requests.get(f"{live.url}/sources/no-such-page.txt", timeout=10)
    assert resp.status_code == 404
    assert "source document" in resp.text
    assert requests.get(f"{live.url}/sources/..%2Fbuild.json", timeout=10).status_code == 404
