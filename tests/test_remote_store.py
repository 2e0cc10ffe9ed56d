"""The remote back-end against a real Virtuoso (Debian's virtuoso-opensource, started on a loopback port in a
temporary folder; skipped with the reason where it cannot be installed or started).

The curated build is bulk-loaded with isql-vt (ld_dir + rdf_loader_run); the store answers like the embedded
one, and `hrgraph serve` with HRGRAPH_STORE=remote serves pages, RDF, /sparql and the saved queries from it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import virtuoso
from rdflib import Graph

from hrgraph.store.embedded import open_current
from hrgraph.store.remote import RemoteStore, graphs_of, publish

from conftest import LiveServer, start_server

PERSON = "id/person/andrei-aliaksandrau"
BASE = "https://w3id.org/hrgraph/"
PREFIXES = "PREFIX hr: <https://w3id.org/hrgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    try:
        v = virtuoso.start(tmp_path_factory.mktemp("virtuoso"), buffers=20_000)
    except virtuoso.Unavailable as exc:
        pytest.skip(f"Virtuoso unavailable, remote back-end not tested: {exc}")
    yield v
    v.stop()


@pytest.fixture(scope="session")
def loaded(server: virtuoso.Virtuoso, built_root: Path) -> virtuoso.Virtuoso:
    build_id = json.loads((built_root / "dist/build.json").read_text())["build_id"]
    publish(graphs_of(built_root / "dist", BASE), server.load_dir, server.isql(), build_id)
    return server


@pytest.fixture(scope="session")
def remote(loaded: virtuoso.Virtuoso) -> RemoteStore:
    return RemoteStore(loaded.sparql_url)


@pytest.fixture(scope="session")
def remote_live(loaded: virtuoso.Virtuoso, built_root: Path) -> Iterator[LiveServer]:
    saved = {k: os.environ.get(k) for k in ("HRGRAPH_STORE", "HRGRAPH_SPARQL_URL")}
    os.environ.update(HRGRAPH_STORE="remote", HRGRAPH_SPARQL_URL=loaded.sparql_url)
    try:
        live = start_server(built_root)
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    yield live
    live.process.terminate()
    live.process.wait(timeout=10)


def test_build_id_comes_from_the_published_void(remote: RemoteStore, built_root: Path) -> None:
    assert remote.build_id == json.loads((built_root / "dist/build.json").read_text())["build_id"]


def test_select_ask_construct_match_the_embedded_store(remote: RemoteStore, built_root: Path) -> None:
    local = open_current(built_root / "var/store")
    select = PREFIXES + "SELECT ?p ?name WHERE { ?p a hr:Person ; rdfs:label ?name }"
    assert {tuple(sorted((k, str(v)) for k, v in r.items())) for r in remote.select(select)} == \
        {tuple(sorted((k, str(v)) for k, v in r.items())) for r in local.select(select)}
    ask = PREFIXES + f"ASK {{ <{BASE}{PERSON}> a hr:Person }}"
    assert remote.ask(ask) is True and local.ask(ask) is True
    construct = f"CONSTRUCT {{ <{BASE}{PERSON}> ?p ?o }} WHERE {{ <{BASE}{PERSON}> ?p ?o }}"
    assert {str(t) for t in remote.construct(construct)} == {str(t) for t in local.construct(construct)}


def test_typed_literals_arrive_as_pyoxigraph_terms(remote: RemoteStore) -> None:
    rows = remote.select(PREFIXES + "SELECT ?d WHERE { ?c a hr:Claim ; hr:date ?d } LIMIT 1")
    assert rows and rows[0]["d"].datatype.value.startswith("http://www.w3.org/2001/XMLSchema#")


def test_person_page_html_and_turtle(remote_live: LiveServer) -> None:
    html = requests.get(f"{remote_live.url}/{PERSON}", headers={"Accept": "text/html"}, timeout=30)
    assert html.status_code == 200 and "Aliaksandrau" in html.text
    ttl = requests.get(f"{remote_live.url}/{PERSON}", headers={"Accept": "text/turtle"}, timeout=30)
    assert ttl.status_code == 200 and ttl.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=ttl.text, format="turtle", publicID=f"{remote_live.url}/{PERSON}")
    assert len(g) > 5


def test_sparql_select_ask_construct(remote_live: LiveServer) -> None:
    endpoint = f"{remote_live.url}/sparql"
    r = requests.get(endpoint, params={"query": PREFIXES + "SELECT ?p WHERE { ?p a hr:Person } LIMIT 3"},
                     headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3
    r = requests.post(endpoint, data={"query": PREFIXES + "ASK { ?p a hr:Person }"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is True
    r = requests.get(endpoint, params={"query": f"CONSTRUCT {{ <{BASE}{PERSON}> ?p ?o }} WHERE "
                                                f"{{ <{BASE}{PERSON}> ?p ?o }}"},
                     headers={"Accept": "text/turtle"}, timeout=30)
    assert r.status_code == 200 and len(Graph().parse(data=r.text, format="turtle")) > 5
    bad = requests.get(endpoint, params={"query": "SELECT ?x WHERE { ?x"}, timeout=30)
    assert bad.status_code == 400


def test_a_saved_query(remote_live: LiveServer) -> None:
    r = requests.get(f"{remote_live.url}/queries/political-prisoners", headers={"Accept": "text/csv"}, timeout=60)
    assert r.status_code == 200, r.text[:300]
    assert len(r.text.splitlines()) > 10
