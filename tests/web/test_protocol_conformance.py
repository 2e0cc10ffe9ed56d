"""The W3C SPARQL 1.1 Protocol tests (tests/web/conformance/manifest.ttl), each run as HTTP against a live server.

The server here publishes the suite's data files into the named graphs the manifest names (`ut:graphData`:
the file, and the graph IRI as its rdfs:label) and serves them with the real `hrgraph serve`.
Our endpoint is read-only, so the update tests are run with the opposite expectation: the update request
must be refused with a 4xx, and the data must be unchanged afterwards.
"""

from __future__ import annotations

import json
import xml.dom.minidom
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import rdflib
import requests
from rdflib.collection import Collection

from hrgraph.store.embedded_publish import publish

from conftest import Backend, LiveServer, serving

HERE = Path(__file__).resolve().parent / "conformance"
MANIFEST = HERE / "manifest.ttl"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

# Tests not run, each with the reason. Empty: every test of the suite runs (updates with the read-only
# expectation described above).
EXCLUDED: dict[str, str] = {}

RESULT_TYPES = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "text/plain", "application/xhtml+xml"),
}


@dataclass
class Expected:
    statuses: set[int]  # status classes: 2, 3, 4
    boolean: bool | None = None
    format: str | None = None


@dataclass
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    expected: Expected = field(default_factory=lambda: Expected(set()))


@dataclass
class ProtocolTest:
    name: str
    title: str
    graphs: dict[str, Path]
    requests: list[HttpRequest]

    @property
    def is_update(self) -> bool:
        return self.name.startswith("update_")


# --- reading the manifest ---------------------------------------------------------------------------------

def _list(g: rdflib.Graph, head: rdflib.term.Node | None) -> list[rdflib.term.Node]:
    return list(Collection(g, head)) if head is not None else []


def _expected(g: rdflib.Graph, resp: rdflib.term.Node) -> Expected:
    statuses = {int(str(s).removeprefix(HTS)[0]) for s in g.objects(resp, MF.expectedStatus)}
    boolean = g.value(resp, MF.expectedBoolean)
    fmt = g.value(resp, MF.expectedFormat)
    return Expected(statuses, boolean.toPython() if boolean is not None else None, str(fmt) if fmt else None)


def _request(g: rdflib.Graph, node: rdflib.term.Node) -> HttpRequest:
    headers = {str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
               for h in _list(g, g.value(node, HT.headers))}
    body = None
    if (b := g.value(node, HT.body)) is not None:
        encoding = str(g.value(b, CNT.characterEncoding) or "UTF-8")
        body = str(g.value(b, CNT.chars)).encode(encoding)
    return HttpRequest(str(g.value(node, HT.methodName)), str(g.value(node, HT.absolutePath)), headers, body,
                       _expected(g, g.value(node, HT.resp)))


def load_manifest() -> list[ProtocolTest]:
    g = rdflib.Graph().parse(MANIFEST, format="turtle", publicID=BASE)
    manifest = g.value(None, rdflib.RDF.type, MF.Manifest)
    tests = []
    for entry in _list(g, g.value(manifest, MF.entries)):
        graphs = {str(g.value(d, rdflib.RDFS.label)): HERE / Path(str(g.value(d, UT.graph))).name
                  for d in g.objects(entry, UT.graphData)}
        action = g.value(entry, MF.action)
        reqs = [_request(g, r) for r in _list(g, g.value(action, HT.requests))]
        tests.append(ProtocolTest(str(entry).removeprefix(BASE), str(g.value(entry, MF.name)), graphs, reqs))
    return tests


TESTS = load_manifest()


# --- the server -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def conformance_server(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[LiveServer]:
    """`hrgraph serve` over a store holding every data file of the suite in its named graph."""
    graphs: dict[str, Path] = {}
    for test in TESTS:
        graphs.update(test.graphs)
    root = tmp_path_factory.mktemp("conformance")
    publish(graphs, root / "var" / "store", build_id="sparql11-protocol")
    with serving(root, backend=backend) as server:
        yield server


def send(server: LiveServer, req: HttpRequest) -> requests.Response:
    path = req.path.replace("/sparql/", "/sparql", 1)  # the manifest's endpoint path -> ours
    return requests.request(req.method, server.url + path, headers=req.headers, data=req.body, timeout=15)


def check_result(resp: requests.Response, expected: Expected) -> None:
    media_type = resp.headers.get("Content-Type", "").split(";")[0].strip()
    if expected.format:
        assert media_type in RESULT_TYPES[expected.format], f"{media_type} is not a {expected.format} format"
    if expected.format == "RDF":
        rdflib.Graph().parse(data=resp.content, format=rdflib.util.guess_format("x.ttl") if media_type ==
                             "text/turtle" else {"application/rdf+xml": "xml"}.get(media_type, "nt"))
    if expected.boolean is not None:
        assert _boolean(resp.content, media_type) is expected.boolean


def _boolean(body: bytes, media_type: str) -> bool:
    if media_type.endswith("json"):
        return json.loads(body)["boolean"]
    doc = xml.dom.minidom.parseString(body)
    return doc.getElementsByTagName("boolean")[0].firstChild.data.strip() == "true"


def _triples(server: LiveServer) -> int:
    r = requests.get(server.url + "/sparql", timeout=10, headers={"Accept": "application/sparql-results+json"},
                     params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol(conformance_server: LiveServer, test: ProtocolTest) -> None:
    if test.name in EXCLUDED:
        pytest.skip(EXCLUDED[test.name])
    if test.is_update:
        # Read-only: the update must be refused (4xx) and leave the data as it was. The requests after it
        # check the update's effect, which a refused update does not have, so they are not sent.
        before = _triples(conformance_server)
        resp = send(conformance_server, test.requests[0])
        assert 400 <= resp.status_code < 500, f"{test.title}: update answered {resp.status_code}"
        assert _triples(conformance_server) == before
        return
    for req in test.requests:
        resp = send(conformance_server, req)
        assert resp.status_code // 100 in req.expected.statuses, (
            f"{test.title}: {req.method} {req.path} answered {resp.status_code}: {resp.text[:300]}")
        if resp.ok:
            check_result(resp, req.expected)


def test_manifest_is_complete() -> None:
    """The suite was read whole: 34 tests, and every update test is recognised as one."""
    assert len(TESTS) == 34
    assert sum(t.is_update for t in TESTS) == 7
