"""The SPARQL endpoint over the real server (waitress on a free port), driven by real clients; and the
embedded store underneath (publish, atomic swap, read-only open).

Most tests run on a server over `tests/fixtures/sample.ttl` (`sample_live`), so what they assert about
the data (three persons, every saved query answering) does not move with the curated data; a few smoke
tests run on the full build (`live` from conftest) to show the endpoint serves it too.
"""

from __future__ import annotations

import csv
import gzip
import http.server
import io
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import requests
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from hrgraph.config import Settings
from hrgraph.errors import StoreError
from hrgraph.model.vocab import HR, SCHEMA
from hrgraph.store import querytext
from hrgraph.store.base import Dataset
from hrgraph.store.embedded import open_current
from hrgraph.store.embedded_publish import clean, publish
from hrgraph.store.results import serialize
from hrgraph.web import saved

from conftest import Backend, LiveServer, embedded_only, serving

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "fixtures" / "sample.ttl"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")  # the spec's, not ours: an oracle
PREFIX = f"PREFIX hr: <{HR}>\n"
PERSONS = PREFIX + "SELECT ?p WHERE { ?p a hr:Person } ORDER BY ?p"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
SAVED = saved.load_all(REPO / "queries")
EMBEDDED_STORE = "the embedded store's own publish and open (its remote twin is in test_remote_store.py)"


@pytest.fixture(scope="module")
def sample_live(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[LiveServer]:
    """The real server over a store published from the sample graph, with the checkout's saved queries."""
    root = tmp_path_factory.mktemp("sample-site")
    shutil.copytree(REPO / "queries", root / "queries")
    publish({"https://w3id.org/hrgraph/graph/data": SAMPLE}, root / "var" / "store", build_id="sample")
    with serving(root, backend=backend) as server:
        yield server


@pytest.fixture
def live_sample(sample_live: LiveServer) -> LiveServer:
    return sample_live


@pytest.fixture
def endpoint(sample_live: LiveServer) -> str:
    return sample_live.url + "/sparql"


def wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


def triple_count(endpoint: str) -> int:
    r = requests.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                     headers={"Accept": "application/sparql-results+json"}, timeout=10)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# --- results through SPARQLWrapper ------------------------------------------------------------------------

def test_select_json(endpoint: str) -> None:
    result = wrapper(endpoint, PERSONS, JSON).query().convert()
    persons = [b["p"]["value"] for b in result["results"]["bindings"]]
    assert len(persons) >= 3 and all(p.startswith("https://w3id.org/hrgraph/id/person/") for p in persons)


def test_select_xml(endpoint: str) -> None:
    doc = wrapper(endpoint, PERSONS, XML).query().convert()
    assert len(doc.getElementsByTagName("result")) >= 3


def test_select_csv(endpoint: str) -> None:
    body = wrapper(endpoint, PERSONS, CSV).query().convert()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["p"] and len(rows) >= 4


def test_ask(endpoint: str) -> None:
    yes = wrapper(endpoint, PREFIX + "ASK { ?p a hr:Person }", JSON).query().convert()
    no = wrapper(endpoint, PREFIX + "ASK { ?p a hr:NoSuchClass }", JSON).query().convert()
    assert yes["boolean"] is True and no["boolean"] is False


def test_construct_turtle_parses(endpoint: str) -> None:
    query = PREFIX + "CONSTRUCT { ?p a hr:Person ; ?x ?y } WHERE { ?p a hr:Person ; ?x ?y }"
    body = wrapper(endpoint, query, TURTLE).query().convert()
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert len(set(graph.subjects(rdflib.RDF.type, HR.Person))) >= 3


@pytest.mark.parametrize("media_type,rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_in_every_rdf_format(endpoint: str, media_type: str, rdflib_format: str) -> None:
    query = PREFIX + "CONSTRUCT WHERE { ?p a hr:Person ; ?x ?y }"
    r = requests.get(endpoint, params={"query": query}, headers={"Accept": media_type}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media_type)
    assert len(rdflib.Graph().parse(data=r.content, format=rdflib_format)) > 0
    assert "Accept" in r.headers["Vary"]


# --- negotiation and overrides ----------------------------------------------------------------------------

def test_accept_q_values_pick_the_preferred(endpoint: str) -> None:
    accept = "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"
    r = requests.get(endpoint, params={"query": PERSONS}, headers={"Accept": accept}, timeout=10)
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")


def test_default_is_json_and_tsv_is_offered(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": PERSONS}, timeout=10)
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    r = requests.get(endpoint, params={"query": PERSONS}, headers={"Accept": "text/tab-separated-values"},
                     timeout=10)
    assert r.text.splitlines()[0] == "?p"


@pytest.mark.parametrize("param", ["format", "output"])
def test_format_parameter_overrides_accept(endpoint: str, param: str) -> None:
    r = requests.get(endpoint, params={"query": PERSONS, param: "csv"},
                     headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert r.headers["Content-Type"].startswith("text/csv") and r.text.startswith("p\r\n")


def test_unacceptable_format_is_406(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": PERSONS}, headers={"Accept": "image/png"}, timeout=10)
    assert r.status_code == 406 and "application/sparql-results+json" in r.text


# --- protocol: methods, bodies, errors --------------------------------------------------------------------

def test_post_form(endpoint: str) -> None:
    r = requests.post(endpoint, data={"query": PERSONS}, headers={"Accept": "text/csv"}, timeout=10)
    assert r.status_code == 200 and len(r.text.splitlines()) >= 4


def test_post_direct(endpoint: str) -> None:
    r = requests.post(endpoint, data=PERSONS.encode(), timeout=10,
                      headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert r.status_code == 200 and len(r.text.splitlines()) >= 4


def test_protocol_dataset_selects_graphs(endpoint: str) -> None:
    params = {"query": PREFIX + "ASK { ?p a hr:Person }", "default-graph-uri": "http://example.org/none"}
    r = requests.get(endpoint, params=params, headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert r.json()["boolean"] is False  # the protocol dataset replaces the union default graph


def test_malformed_query_is_400_with_the_parsers_message(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p "}, timeout=10)
    assert r.status_code == 400
    assert "malformed query" in r.text and "1:" in r.text  # the parser says where
    r = requests.get(endpoint, params={"query": "SELECT *\nWHERE {\n ?s ?p ?o }\nLIMIT x"}, timeout=10)
    # Line 4 of the client's text (Virtuoso's own count includes the lines the store put before it), and only
    # the engine's message: neither the query as rewritten for the build's graphs nor a Python bytes repr.
    assert r.status_code == 400 and "4:" in r.text, r.text
    assert "urn:hrgraph:build" not in r.text and 'b"' not in r.text and "\\n" not in r.text, r.text


def test_common_prefixes_are_predeclared(endpoint: str) -> None:
    query = "SELECT ?name WHERE { ?p a hr:Person ; rdfs:label ?name } ORDER BY ?name"
    r = requests.get(endpoint, params={"query": query}, headers={"Accept": "text/csv"}, timeout=10)
    assert r.status_code == 200 and "Ivan Sample" in r.text
    # A query's own PREFIX line wins over the predeclared one.
    own = "PREFIX hr: <http://example.org/nothing#> ASK { ?p a hr:Person }"
    r = requests.get(endpoint, params={"query": own}, headers={"Accept": "application/sparql-results+json"},
                     timeout=10)
    assert r.status_code == 200 and r.json()["boolean"] is False


def test_an_unknown_prefix_is_named(endpoint: str, backend: Backend) -> None:
    r = requests.get(endpoint, params={"query": "SELECT * WHERE { ?s a foo:Person } LIMIT 1"}, timeout=10)
    assert r.status_code == 400 and r.text.startswith("400 Bad Request: unknown prefix foo:")
    assert "hr:, schema:" in r.text and "\\u{" not in r.text  # the predeclared ones, no parser character ranges
    # Another error in a query that leans on a predeclared prefix: the column is the query's own (pyoxigraph's
    # message; Virtuoso words its own).
    r = requests.get(endpoint, params={"query": "SELECT * WHERE { ?s a hr:Person . FILTER( }"}, timeout=10)
    assert r.status_code == 400 and ("error at 1:44" in r.text or backend.remote)


def test_the_editor_lists_the_predeclared_prefixes(endpoint: str) -> None:
    html = requests.get(endpoint, headers={"Accept": BROWSER}, timeout=10).text
    assert "Predeclared prefixes" in html and "<code>hr:</code>" in html
    assert "https://w3id.org/hrgraph/ontology#" in html
    assert 'id="starter"' in html and "PREFIX hr: " in html  # the editor opens with them spelt out


def test_more_than_one_query_is_400(endpoint: str) -> None:
    r = requests.get(endpoint + "?query=ASK%7B%7D&query=ASK%7B%7D", timeout=10)
    assert r.status_code == 400


def test_query_and_update_together_is_400(endpoint: str) -> None:
    r = requests.post(endpoint, data={"query": "ASK {}", "update": "CLEAR ALL"}, timeout=10)
    assert r.status_code == 400


@pytest.mark.parametrize("how", ["form", "direct", "get", "as-query"])
def test_updates_are_refused_and_change_nothing(endpoint: str, how: str) -> None:
    before = triple_count(endpoint)
    update = "CLEAR ALL"
    if how == "form":
        r = requests.post(endpoint, data={"update": update}, timeout=10)
    elif how == "direct":
        r = requests.post(endpoint, data=update, headers={"Content-Type": "application/sparql-update"}, timeout=10)
    elif how == "get":
        r = requests.get(endpoint, params={"update": update}, timeout=10)
    else:
        r = requests.get(endpoint, params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, timeout=10)
    assert 400 <= r.status_code < 500 and "read-only" in r.text
    assert triple_count(endpoint) == before > 0


def test_other_methods_are_405(endpoint: str) -> None:
    r = requests.put(endpoint, data="ASK {}", timeout=10)
    assert r.status_code == 405 and "POST" in r.headers["Allow"]


class Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[str]:
    """An HTTP server on loopback that records every request it gets."""
    Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX c: <{url}>\nASK {{ ?x ?y ?z . SeRvIcE c: {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_before_any_request(endpoint: str, canary: str, template: str) -> None:
    r = requests.get(endpoint, params={"query": template.format(url=canary)}, timeout=10)
    assert r.status_code == 400 and "SERVICE" in r.text
    time.sleep(0.3)  # a request sent by the server, had there been one, would have arrived by now
    assert Canary.hits == []


def test_canary_would_notice_a_request(canary: str) -> None:
    """The canary is not blind: a request to it is recorded (so an empty record above means something)."""
    requests.get(canary, timeout=5)
    assert Canary.hits == ["/sparql"]


# --- service description, CORS, editor --------------------------------------------------------------------

@pytest.mark.parametrize("media_type,rdflib_format", [
    ("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_service_description(endpoint: str, media_type: str, rdflib_format: str) -> None:
    r = requests.get(endpoint, headers={"Accept": media_type}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media_type)
    g = rdflib.Graph().parse(data=r.content, format=rdflib_format)
    service = g.value(None, rdflib.RDF.type, SD.Service)
    assert g.value(service, SD.endpoint) == rdflib.URIRef(endpoint)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in g
    dataset = g.value(service, SD.defaultDataset)
    names = {g.value(n, SD.name) for n in g.objects(dataset, SD.namedGraph)}
    assert names and all(str(n).startswith("http") for n in names)


def test_cors(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://example.org"}, timeout=10)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    pre = requests.options(endpoint, timeout=10, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code in (200, 204)
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "content-type" in pre.headers["Access-Control-Allow-Headers"].lower()


def test_editor_page_for_browsers(live_sample: LiveServer, endpoint: str) -> None:
    r = requests.get(endpoint, headers={"Accept": BROWSER}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    for q in SAVED:
        assert q.title.replace("'", "&#39;") in r.text or q.title in r.text
    assert 'src="http' not in r.text and "href=\"//" not in r.text  # no CDN: every script is ours
    if "yasgui.min.js" in r.text:
        assert requests.get(live_sample.url + "/static/yasgui/yasgui.min.js", timeout=10).status_code == 200
    assert '<textarea id="query" name="query"' in r.text  # the plain form is always there as a fallback


def test_editor_renders_results_server_side(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": PERSONS}, headers={"Accept": BROWSER}, timeout=10)
    assert r.status_code == 200 and '<table class="results">' in r.text
    assert "https://w3id.org/hrgraph/id/person/" in r.text
    assert "format=csv" in r.text  # the CSV download link


def test_result_tables_label_iris_and_keep_language_tags_apart(endpoint: str) -> None:
    query = "SELECT ?p ?name WHERE { ?p a hr:Person ; rdfs:label ?name } ORDER BY ?name"
    html = requests.get(endpoint, params={"query": query}, headers={"Accept": BROWSER}, timeout=10).text
    table = html.split('<table class="results">')[1].split("</table>")[0]
    # The IRI's label, linked, with the IRI beside it; the literal's text, with its language tag apart.
    assert '<a href="/id/person/ivan-sample">Ivan Sample</a> <span class="iri"' in table
    assert '<span lang="en">Ivan Sample</span> <span class="lang" title="language">en</span>' in table
    assert "Ivan Sample@en" not in table


def test_editor_shows_errors_in_the_page(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": "SELECT * {", "format": "html"}, timeout=10)
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("text/html")
    assert "malformed query" in r.text and "SELECT * {" in r.text


# --- saved queries: tests/web/test_saved_queries.py (on the real build, with their expected answers) ---


# --- the full build --------------------------------------------------------------------------------------

def test_full_build_is_served(live: LiveServer) -> None:
    """Smoke test on the real build: the endpoint answers and describes its named graphs."""
    ask = requests.get(live.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                       headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    sd = requests.get(live.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=10)
    g = rdflib.Graph().parse(data=sd.content, format="turtle")
    assert any(g.objects(None, SD.namedGraph))


# --- the query text scanner -------------------------------------------------------------------------------

@pytest.mark.parametrize("text,service", [
    ("SELECT * { SERVICE <http://x> { ?s ?p ?o } }", True),
    ("SELECT * { sErViCe SILENT ?e { } }", True),
    ('SELECT ?service { ?service ex:SERVICE "SERVICE" } # SERVICE', False),
    ("PREFIX service: <urn:x> SELECT * { service:a ?p ?o . FILTER(?a<?b) }", False),
    ('SELECT * { ?s ?p """a "SERVICE" \n b""" }', False),
])
def test_service_detection(text: str, service: bool) -> None:
    assert querytext.uses_service(text) is service


def test_update_and_dataset_detection() -> None:
    assert querytext.is_update("PREFIX a: <urn:a> INSERT DATA { a:x a:y a:z }")
    assert not querytext.is_update('SELECT * { ?s ?p "DELETE" }')
    assert querytext.has_dataset_clause("SELECT * FROM <urn:g> { ?s ?p ?o }")
    assert not querytext.has_dataset_clause("SELECT ?from { ?from ?p <urn:FROM> }")


def test_nesting_is_measured_outside_strings_iris_and_comments() -> None:
    assert querytext.excess("SELECT * WHERE " + "{" * 400 + "}" * 400) is None
    deep = "SELECT *\nWHERE " + "{ (" * 200 + "[" + "] )}" * 200
    assert querytext.excess(deep) == querytext.Excess("nesting", 2, 607)
    quoted = 'SELECT * { ?s ?p "' + "{" * 999 + '" . ?s ?q <urn:' + "(" * 999 + "> } # " + "[" * 999
    assert querytext.excess(quoted) is None
    assert querytext.excess("{" * 10, max_nesting=3) == querytext.Excess("nesting", 1, 4)


def test_chains_count_and_lists_do_not() -> None:
    """A chain nests in the algebra (each operand inside the next); a list of values does not."""
    binds = "SELECT ?a WHERE { BIND(1 AS ?a0) " + " ".join(f"BIND(?a{i} AS ?a{i + 1})" for i in range(3000)) + " }"
    assert querytext.excess(binds) == querytext.Excess("elements", 1, binds.index("BIND(?a999 ") + 1)
    ors = "ASK { FILTER(" + " || ".join(["?a = 2"] * 1000) + ") }"
    assert querytext.excess(ors) is not None and querytext.excess(ors, max_elements=2000) is None  # `||` and `=`
    triples = "SELECT * { " + " . ".join(f"?s <urn:p> ?o{i}" for i in range(1001)) + " }"
    assert querytext.excess(triples) is not None
    lists = ("SELECT * { VALUES (?x ?y) { " + " ".join(f"({i}.5 -{i})" for i in range(10_000)) + " } "
             "FILTER(?x IN (" + ", ".join(f'"{i}"' for i in range(10_000)) + ")) BIND(CONCAT(" +
             ", ".join(["?x"] * 10_000) + ") AS ?z) }")
    assert querytext.excess(lists) is None


# --- the embedded store -----------------------------------------------------------------------------------

G1, G2 = "https://w3id.org/hrgraph/graph/one", "https://w3id.org/hrgraph/graph/two"


def _nt_gz(path: Path, s: str) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(f"<{s}> <urn:p> <urn:o> .\n")
    return path


@embedded_only(EMBEDDED_STORE)
def test_publish_swaps_atomically_and_clean_keeps_only_what_is_held(tmp_path: Path) -> None:
    store_dir = tmp_path / "var" / "store"
    builds = [publish({G1: SAMPLE}, store_dir, build_id=f"b{n}") for n in range(2)]
    held = open_current(Settings(root=tmp_path))  # a server still on b1 holds its lease
    builds.append(publish({G1: SAMPLE}, store_dir, build_id="b2"))
    assert (store_dir / "current").resolve() == builds[2].resolve()
    assert not os.path.isabs(os.readlink(store_dir / "current"))  # relative: the folder can move
    assert clean(store_dir) == [builds[0].name]  # b0: nobody reads it; b1: held; b2: current
    held.close()
    assert clean(store_dir) == [builds[1].name]
    store = open_current(Settings(root=tmp_path))
    assert store.build_id == "b2" and store.ask(PREFIX + "ASK { ?p a hr:Person }")


@embedded_only(EMBEDDED_STORE)
def test_failed_load_leaves_current_untouched(tmp_path: Path) -> None:
    store_dir = tmp_path / "var" / "store"
    good = publish({G1: SAMPLE}, store_dir, build_id="good")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(StoreError, match="broken.ttl"):
        publish({G1: SAMPLE, G2: broken}, store_dir, build_id="bad")
    assert (store_dir / "current").resolve() == good.resolve()
    assert [p.name for p in store_dir.glob("build-*")] == [good.name]
    assert open_current(Settings(root=tmp_path)).build_id == "good"


@embedded_only(EMBEDDED_STORE)
def test_gzipped_ntriples_and_graph_selection(tmp_path: Path) -> None:
    store_dir = tmp_path / "var" / "store"
    publish({G1: _nt_gz(tmp_path / "one.nt.gz", "urn:s1"), G2: _nt_gz(tmp_path / "two.nt.gz", "urn:s2")},
            store_dir, build_id="gz")
    store = open_current(Settings(root=tmp_path))
    every = "SELECT ?s WHERE { ?s <urn:p> ?o } ORDER BY ?s"
    assert [r["s"].value for r in store.select(every)] == ["urn:s1", "urn:s2"]  # union default graph
    from_clause = store.select(f"SELECT ?s FROM <{G1}> WHERE {{ ?s <urn:p> ?o }}")
    assert [r["s"].value for r in from_clause] == ["urn:s1"]  # FROM is respected, not overridden by the union


@embedded_only(EMBEDDED_STORE)
def test_protocol_dataset_replaces_the_union(tmp_path: Path) -> None:
    store_dir = tmp_path / "var" / "store"
    publish({G1: _nt_gz(tmp_path / "one.nt.gz", "urn:s1"), G2: _nt_gz(tmp_path / "two.nt.gz", "urn:s2")},
            store_dir, build_id="ds")
    store = open_current(Settings(root=tmp_path))
    result = store.run("SELECT ?s WHERE { ?s <urn:p> ?o }", Dataset(default_graph_uris=(G2,)))
    body = serialize(result, "text/csv").decode()
    assert "urn:s2" in body and "urn:s1" not in body


@embedded_only(EMBEDDED_STORE)
def test_open_current_without_a_build_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no published store") as info:
        open_current(Settings(root=tmp_path / "nothing"))
    assert "hrgraph build" in str(info.value)


@embedded_only(EMBEDDED_STORE)
def test_open_current_on_a_corrupt_store(tmp_path: Path) -> None:
    store_dir = tmp_path / "var" / "store"
    (store_dir / "build-x").mkdir(parents=True)
    (store_dir / "build-x" / "BUILD").write_text("x\n")
    (store_dir / "build-x" / "CURRENT").write_text("garbage")
    os.symlink("build-x", store_dir / "current")
    with pytest.raises(StoreError, match="cannot open the store"):
        open_current(Settings(root=tmp_path))


# --- every query form and format through SPARQLWrapper, on the real build ------------------------------------

REAL_PERSON = "https://w3id.org/hrgraph/id/person/andrei-aliaksandrau"


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select_in_every_format_on_the_real_build(live: LiveServer, fmt: str) -> None:
    query = PREFIX + f"SELECT ?r WHERE {{ ?r a hr:Recognition ; hr:person <{REAL_PERSON}> }}"
    result = wrapper(live.url + "/sparql", query, fmt).query().convert()
    text = result if isinstance(result, (bytes, str)) else None
    if fmt == JSON:
        assert len(result["results"]["bindings"]) == 1
    elif fmt == XML:
        assert len(result.getElementsByTagName("result")) == 1
    else:
        lines = (text.decode("utf-8") if isinstance(text, bytes) else text).strip().splitlines()
        assert len(lines) == 2 and "recognition/rec-000-1-andrei-aliaksandrau" in lines[1]


@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD, N3])
def test_graph_forms_in_every_format_on_the_real_build(live: LiveServer, form: str, fmt: str) -> None:
    query = (f"DESCRIBE <{REAL_PERSON}>" if form == "DESCRIBE"
             else f"CONSTRUCT {{ <{REAL_PERSON}> ?p ?o }} WHERE {{ <{REAL_PERSON}> ?p ?o }}")
    result = wrapper(live.url + "/sparql", query, fmt).query().convert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(
        data=result, format={TURTLE: "turtle", N3: "n3"}[fmt])
    labels = {str(o) for o in graph.objects(rdflib.URIRef(REAL_PERSON), rdflib.RDFS.label)}
    assert labels == {"Andrei Aliaksandrau"}


def test_construct_turtle_writes_the_data_prefixes(live: LiveServer) -> None:
    """One prefix table: `schema:` is http://schema.org/ as in the data, so types come out as `schema:Person`."""
    query = f"CONSTRUCT {{ <{REAL_PERSON}> a ?c }} WHERE {{ <{REAL_PERSON}> a ?c }}"
    r = requests.get(live.url + "/sparql", params={"query": query}, headers={"Accept": "text/turtle"}, timeout=10)
    assert r.status_code == 200
    assert f"@prefix schema: <{SCHEMA}> ." in r.text and "schema:Person" in r.text and "hr:Person" in r.text
    assert f"<{SCHEMA.Person}>" not in r.text
    assert (rdflib.URIRef(REAL_PERSON), rdflib.RDF.type, SCHEMA.Person) in rdflib.Graph().parse(data=r.text)
