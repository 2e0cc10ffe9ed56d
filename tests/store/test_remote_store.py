"""The remote back-end against a real Virtuoso (Debian's virtuoso-opensource, started once per session on loopback
ports in a temporary folder; skipped with the reason where it cannot be installed or started).

The web suite runs over it too (every `[virtuoso]` test); here: the store against the embedded one, graph names,
and publishing: a build loaded beside the served one becomes visible only at the switch, readers see one
build or the other, never a mix or none, and a failed load (a broken file, an unreachable or refusing
Virtuoso) leaves the served build as it was, through the store API and through `hrgraph build`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import virtuoso

from hrgraph.config import Settings
from hrgraph.errors import StoreError
from hrgraph.store import sparqlfix
from hrgraph.store.base import Store, published_graphs
from hrgraph.store.buildgraphs import BuildView, control_graph
from hrgraph.store.embedded import open_current
from hrgraph.store.follow import Following
from hrgraph.store.remote import open_remote
from hrgraph.store.remote_publish import Isql, Target, active, load, mapped_graphs, publish, switch

from conftest import LiveServer, copy_project, free_port, serving

PERSON = "id/person/andrei-aliaksandrau"
BASE = "https://w3id.org/hrgraph/"
PREFIXES = "PREFIX hr: <https://w3id.org/hrgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


# --- the query rewrites (pure functions, no Virtuoso needed) -------------------------------------------------

def test_public_graph_names_are_rewritten_only_where_a_graph_is_named() -> None:
    view = BuildView("b1", {f"{BASE}graph/data": "urn:hrgraph:build:b1:0123456789abcdef"})
    physical = "<urn:hrgraph:build:b1:0123456789abcdef>"
    query = (f"PREFIX g: <{BASE}graph/> SELECT * FROM <{BASE}graph/data> FROM NAMED g:data WHERE {{ "
             f"<{BASE}graph/data> ?p ?o . GRAPH g:data {{ ?s ?p \"GRAPH <{BASE}graph/data>\" }} }} # GRAPH g:data")
    out = view.rewrite(query, None)
    assert out.count(physical) == 3  # FROM, FROM NAMED, GRAPH; not the subject, the string or the comment
    assert f"<{BASE}graph/data> ?p ?o" in out and out.endswith("# GRAPH g:data")
    answer = b"<uri>urn:hrgraph:build:b1:0123456789abcdef</uri>"
    assert view.unmap(answer) == f"<uri>{BASE}graph/data</uri>".encode()


def test_engine_rewrites_keep_the_meaning() -> None:
    text = 'SELECT ?x WHERE { { ?a ?b ?c } UNION { FILTER NOT EXISTS { ?x ?y "FILTER EXISTS" } BIND(1 AS ?x) } }'
    fixed = sparqlfix.unit_before_exists(text)
    assert fixed.count("VALUES ?hrgraph_unit { UNDEF }") == 1 and '"FILTER EXISTS"' in fixed
    assert sparqlfix.ask_as_select("PREFIX a: <urn:a#> ASK { ?s a:p ?o } # done") == \
        "PREFIX a: <urn:a#> SELECT * { ?s a:p ?o } # done\nLIMIT 1"
    assert sparqlfix.ask_as_select("ASK { ?s ?p ?o } VALUES ?s { <urn:x> }") is None  # left as ASK


def following(url: str, base: str = BASE, **settings: object) -> Following:
    """The endpoint's active build (or `remote_build`'s) as a server holds it; looks again on `refresh()`."""
    return open_remote(Settings(store_backend="remote", sparql_url=url, base=base, follow_s=0, **settings))


@pytest.fixture(scope="session")
def loaded(virtuoso_server: virtuoso.Virtuoso, built_root: Path) -> virtuoso.Virtuoso:
    build_id = json.loads((built_root / "dist/build.json").read_text())["build_id"]
    publish(published_graphs(built_root / "dist", BASE), build_id,
            Target(virtuoso_server.isql(), virtuoso_server.load_dir))
    return virtuoso_server


@pytest.fixture(scope="session")
def remote(loaded: virtuoso.Virtuoso) -> Store:
    return following(loaded.sparql_url).checkout()


def test_build_id_is_the_active_build(remote: Store, built_root: Path) -> None:
    assert remote.build_id == json.loads((built_root / "dist/build.json").read_text())["build_id"]


def test_select_ask_construct_match_the_embedded_store(remote: Store, built_root: Path) -> None:
    local = open_current(Settings(root=built_root))
    select = PREFIXES + "SELECT ?p ?name WHERE { ?p a hr:Person ; rdfs:label ?name }"
    assert {tuple(sorted((k, str(v)) for k, v in r.items())) for r in remote.select(select)} == \
        {tuple(sorted((k, str(v)) for k, v in r.items())) for r in local.select(select)}
    ask = PREFIXES + f"ASK {{ <{BASE}{PERSON}> a hr:Person }}"
    assert remote.ask(ask) is True and local.ask(ask) is True
    construct = f"CONSTRUCT {{ <{BASE}{PERSON}> ?p ?o }} WHERE {{ <{BASE}{PERSON}> ?p ?o }}"
    assert {str(t) for t in remote.construct(construct)} == {str(t) for t in local.construct(construct)}


def test_typed_literals_arrive_as_pyoxigraph_terms(remote: Store) -> None:
    rows = remote.select(PREFIXES + "SELECT ?d WHERE { ?c a hr:Claim ; hr:date ?d } LIMIT 1")
    assert rows and rows[0]["d"].datatype.value.startswith("http://www.w3.org/2001/XMLSchema#")



def test_clients_see_the_public_graph_names(remote: Store) -> None:
    names = {r["g"].value for r in remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}
    assert names == set(published_graphs(Path("dist"), BASE))  # not the build's physical graphs, nor Virtuoso's own
    assert remote.ask(f"ASK {{ GRAPH <{BASE}graph/void> {{ <{BASE}dataset> ?p ?o }} }}")
    assert not remote.ask(f"ASK {{ GRAPH <{BASE}graph/nothing> {{ ?s ?p ?o }} }}")
    count = f"SELECT (COUNT(*) AS ?n) FROM <{BASE}graph/ontology> WHERE {{ ?s ?p ?o }}"
    assert int(remote.select(count)[0]["n"].value) > 100


# --- publishing: load beside, switch, prune ----------------------------------------------------------------------

ATOMIC = "https://example.org/atomic/"  # a base of its own: its control graph does not touch the suite's builds


def one_label(tmp: Path, text: str) -> dict[str, Path]:
    path = tmp / f"{text}.nt"
    path.write_text(f'<{ATOMIC}id/thing> <{LABEL}> "{text}" .\n', encoding="utf-8")
    return {f"{ATOMIC}graph/data": path}


def labels(stores: Following) -> list[str]:
    """What a request started now sees: the build looked up again, then one query on it."""
    stores.refresh()
    store = stores.checkout()
    try:
        return [r["l"].value for r in store.select(f"SELECT ?l WHERE {{ <{ATOMIC}id/thing> <{LABEL}> ?l }}")]
    finally:
        stores.checkin(store)


@pytest.fixture()
def target(virtuoso_server: virtuoso.Virtuoso) -> Target:
    return Target(virtuoso_server.isql(), virtuoso_server.load_dir, control_graph(ATOMIC))


def test_a_loaded_build_is_seen_only_after_the_switch(virtuoso_server: virtuoso.Virtuoso, target: Target,
                                                     tmp_path: Path) -> None:
    publish(one_label(tmp_path, "one"), "atomic-1", target)
    reader = following(virtuoso_server.sparql_url, ATOMIC)  # `labels` re-reads the pointer each time
    assert reader.build_id == "atomic-1" and labels(reader) == ["one"]
    assert load(one_label(tmp_path, "two"), "atomic-2", target)
    assert labels(reader) == ["one"] and reader.build_id == "atomic-1"  # loaded, not yet active
    assert labels(following(virtuoso_server.sparql_url, ATOMIC, remote_build="atomic-2")) == ["two"]  # a preview
    seen: list[list[str]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(labels(reader))

    thread = threading.Thread(target=read)
    thread.start()
    time.sleep(0.3)
    assert switch(target, "atomic-2") == "atomic-1"
    time.sleep(0.3)
    stop.set()
    thread.join()
    assert {tuple(s) for s in seen} == {("one",), ("two",)}  # one build or the other, never none or both
    assert seen[-1] == ["two"] and reader.build_id == "atomic-2"
    assert labels(following(virtuoso_server.sparql_url, ATOMIC, remote_build="atomic-1")) == ["one"]  # kept: previous
    publish(one_label(tmp_path, "three"), "atomic-3", target)
    assert labels(reader) == ["three"] and mapped_graphs(target, "atomic-1") == 0  # pruned
    with pytest.raises(StoreError, match="not loaded"):
        following(virtuoso_server.sparql_url, ATOMIC, remote_build="atomic-1")


def test_a_build_left_moments_ago_is_kept_until_nobody_can_read_it(target: Target, tmp_path: Path) -> None:
    """The remote twin of the embedded store's leases: a build left less than the grace period ago (servers
    switch within HRGRAPH_FOLLOW, requests on it last at most the time limit) survives the next publishes."""
    for n in (1, 2):
        publish(one_label(tmp_path, f"grace-{n}"), f"grace-{n}", target)
    load(one_label(tmp_path, "grace-3"), "grace-3", target)
    assert switch(target, "grace-3", grace_s=60) == "grace-2"
    assert mapped_graphs(target, "grace-1") == 1  # left when grace-2 came, a moment ago: kept
    load(one_label(tmp_path, "grace-4"), "grace-4", target)
    switch(target, "grace-4", grace_s=0)
    assert mapped_graphs(target, "grace-1") == mapped_graphs(target, "grace-2") == 0
    assert mapped_graphs(target, "grace-3") == mapped_graphs(target, "grace-4") == 1


def test_a_failed_load_leaves_the_served_build(virtuoso_server: virtuoso.Virtuoso, target: Target,
                                              tmp_path: Path) -> None:
    publish(one_label(tmp_path, "good"), "atomic-good", target)
    broken = tmp_path / "broken.ttl"
    broken.write_text(f'<{ATOMIC}id/thing> <{LABEL}> "bad" .\n<{ATOMIC}id/x> <{LABEL}> "unterminated .\n')
    graphs = {**one_label(tmp_path, "bad"), f"{ATOMIC}graph/more": broken}
    with pytest.raises(StoreError, match="loaded 1 of 2 files"):
        publish(graphs, "atomic-bad", target)
    assert active(target) == "atomic-good" and mapped_graphs(target, "atomic-bad") == 0
    reader = following(virtuoso_server.sparql_url, ATOMIC)
    assert labels(reader) == ["good"]
    closed = Target(Isql(free_port(), password=virtuoso_server.password), virtuoso_server.load_dir, target.control)
    with pytest.raises(StoreError, match="isql failed"):
        publish(one_label(tmp_path, "unreached"), "atomic-unreached", closed)
    assert labels(reader) == ["good"]
    with pytest.raises(StoreError, match="unreachable"):
        following(f"http://127.0.0.1:{free_port()}/sparql", ATOMIC, query_timeout_s=2)


# --- `hrgraph build` with HRGRAPH_STORE=remote -------------------------------------------------------------------

CLI_BASE = "https://example.org/cli/"


def hrgraph_build(root: Path, server: virtuoso.Virtuoso, **env: str) -> subprocess.CompletedProcess[str]:
    settings = {"HRGRAPH_STORE": "remote", "HRGRAPH_SPARQL_URL": server.sparql_url, "HRGRAPH_BASE": CLI_BASE,
                "HRGRAPH_VIRTUOSO_ISQL": f"127.0.0.1:{server.sql_port}", "HRGRAPH_VIRTUOSO_PASSWORD": server.password,
                "HRGRAPH_VIRTUOSO_LOAD_DIR": str(server.load_dir), **env}
    return subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(root), "build"], capture_output=True,
                          text=True, timeout=600, env={**os.environ, **settings})


def served_label(server: LiveServer) -> str:
    query = f"SELECT ?l WHERE {{ <{CLI_BASE}{PERSON}> <{LABEL}> ?l }}"
    r = requests.get(server.url + "/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.text.splitlines()[1]


def test_hrgraph_build_publishes_to_the_remote_store(virtuoso_server: virtuoso.Virtuoso,
                                                      tmp_path_factory: pytest.TempPathFactory) -> None:
    root = copy_project(tmp_path_factory.mktemp("cli-remote"))
    first = hrgraph_build(root, virtuoso_server)
    assert first.returncode == 0, first.stderr + first.stdout
    first_id = json.loads((root / "dist/build.json").read_text())["build_id"]
    persons = root / "data/curated/persons.yaml"
    persons.write_text(persons.read_text(encoding="utf-8").replace("label: Andrei Aliaksandrau",
                                                                   "label: Andrei Aliaksandrau (renamed)"))
    env = {"HRGRAPH_STORE": "remote", "HRGRAPH_SPARQL_URL": virtuoso_server.sparql_url, "HRGRAPH_BASE": CLI_BASE,
           "HRGRAPH_FOLLOW": "0.2"}
    with serving(root, env=env) as server:
        assert served_label(server) == "Andrei Aliaksandrau"
        refused = hrgraph_build(root, virtuoso_server, HRGRAPH_VIRTUOSO_LOAD_DIR="/proc/no-such-folder")
        assert refused.returncode == 2 and "hrgraph build:" in refused.stderr and "load folder" in refused.stderr
        assert json.loads((root / "dist/build.json").read_text())["build_id"] == first_id  # dist/ as it was
        assert served_label(server) == "Andrei Aliaksandrau"
        second = hrgraph_build(root, virtuoso_server)
        assert second.returncode == 0, second.stderr + second.stdout
        time.sleep(0.5)
        assert served_label(server) == "Andrei Aliaksandrau (renamed)"
        health = requests.get(server.url + "/health", timeout=30).json()
        assert health["build_id"] == json.loads((root / "dist/build.json").read_text())["build_id"] != first_id
