"""Documents about the data on the real build: ontology documentation, shapes, concept schemes, the dump
listing with checksums, VoID, /health; and the read-only Graph Store Protocol at /rdf-graph-store."""

from __future__ import annotations

import hashlib

import pytest
import rdflib
import requests

from conftest import LiveServer

HTML = "text/html,application/xhtml+xml,*/*;q=0.8"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
HR = "https://w3id.org/hrgraph/ontology#"


def get(live: LiveServer, path: str, accept: str = "*/*", **params: str) -> requests.Response:
    return requests.get(live.url + path, params=params, headers={"Accept": accept}, timeout=30)


def test_ontology_html_documents_classes_and_properties(live: LiveServer) -> None:
    r = requests.get(live.url + "/ontology", headers={"Accept": HTML}, timeout=10)  # 303 followed
    assert r.status_code == 200 and r.url.endswith("/ontology.html")
    assert 'id="Recognition"' in r.text and "The claim that one or more organisations recognise" in r.text
    recognised_by = r.text.split('id="recognisedBy"')[1].split("</section>")[0]
    assert "http://www.w3.org/ns/prov#wasAttributedTo" in recognised_by  # superproperty (external alignment)
    assert 'href="#Recognition"' in recognised_by and 'href="#Organisation"' in recognised_by  # domain, range
    person = r.text.split('id="Person"')[1].split("</section>")[0]
    assert "http://schema.org/Person" in person and "http://xmlns.com/foaf/0.1/Person" in person
    turtle = requests.get(live.url + "/ontology", headers={"Accept": "text/turtle"}, timeout=10)
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    assert (rdflib.URIRef(HR + "Recognition"), rdflib.RDF.type, rdflib.OWL.Class) in \
        rdflib.Graph().parse(data=turtle.text, format="turtle")


def test_shapes_as_turtle_and_html(live: LiveServer) -> None:
    turtle = get(live, "/shapes", "text/turtle")
    g = rdflib.Graph().parse(data=turtle.text, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert len(set(g.subjects(rdflib.RDF.type, sh.NodeShape))) > 5
    page = get(live, "/shapes", HTML)
    assert page.headers["Content-Type"].startswith("text/html")
    assert 'id="RecognitionShape"' in page.text
    assert "A recognition of a political prisoner (hr:Recognition) is incomplete or wrong." in page.text
    assert get(live, "/shapes", "image/png").status_code == 406


def test_concept_scheme_page(live: LiveServer) -> None:
    r = requests.get(live.url + "/vocab/demand-type", headers={"Accept": HTML}, timeout=10)
    assert r.status_code == 200 and r.url.endswith("/vocab/demand-type.html")
    assert r.text.count('<tr id="') == 11 and 'id="rehabilitation"' in r.text  # docs/model.md: 11 demand types
    assert get(live, "/vocab/no-such-scheme.html", HTML).status_code == 404


def test_dumps_listing_with_sizes_and_checksums(live: LiveServer) -> None:
    files = {f["name"]: f for f in get(live, "/dumps", "application/json").json()}
    assert {"hrgraph.ttl", "hrgraph.nt.gz", "hrgraph.jsonld", "void.ttl"} <= set(files)
    body = requests.get(live.url + files["hrgraph.ttl"]["url"], timeout=30).content
    assert files["hrgraph.ttl"]["bytes"] == len(body)
    assert files["hrgraph.ttl"]["sha256"] == hashlib.sha256(body).hexdigest()
    page = get(live, "/dumps", HTML)
    assert page.headers["Content-Type"].startswith("text/html") and files["hrgraph.ttl"]["sha256"] in page.text
    assert get(live, "/dumps").text.splitlines()[0].startswith("/dumps/")  # plain for curl


def test_dumps_listing_by_format_parameter(live: LiveServer) -> None:
    """`format=` names a format of the one media-type table; `json` here is the listing, not SPARQL results."""
    listing = get(live, "/dumps", format="json")
    assert listing.status_code == 200 and listing.headers["Content-Type"] == "application/json"
    assert {"hrgraph.ttl", "void.ttl"} <= {f["name"] for f in listing.json()}
    assert get(live, "/dumps", format="html").headers["Content-Type"] == "text/html; charset=utf-8"
    assert get(live, "/dumps", HTML, format="txt").text.startswith("/dumps/")  # the parameter beats Accept
    assert get(live, "/dumps", format="csv").status_code == 406


def test_every_dump_has_one_content_type_with_one_charset(live: LiveServer) -> None:
    expected = {"hrgraph.ttl": "text/turtle; charset=utf-8", "void.ttl": "text/turtle; charset=utf-8",
                "hrgraph.jsonld": "application/ld+json", "context.jsonld": "application/ld+json",
                "hrgraph.nt.gz": "application/gzip", "build.json": "application/json",
                "validation-report.txt": "text/plain; charset=utf-8"}
    names = {f["name"] for f in get(live, "/dumps", format="json").json()}
    assert set(expected) <= names
    for name in sorted(names):
        content_type = requests.head(f"{live.url}/dumps/{name}", timeout=30).headers["Content-Type"]
        assert content_type.count("charset") <= 1, (name, content_type)
        assert content_type == expected.get(name, content_type), name


def test_void_declares_space_endpoint_dumps_and_class_counts(live: LiveServer) -> None:
    r = requests.get(live.url + "/.well-known/void", timeout=10)
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    ds = next(g.subjects(rdflib.RDF.type, VOID.Dataset))
    assert g.value(ds, VOID.uriSpace) is not None and g.value(ds, VOID.sparqlEndpoint) is not None
    assert len(list(g.objects(ds, VOID.dataDump))) == 3
    partitions = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities)) for p in g.objects(ds, VOID.classPartition)}
    assert partitions[rdflib.URIRef(HR + "Recognition")] == 37  # claims.yaml: 37 recognitions


def test_void_says_who_publishes_where_to_write_the_licence_and_the_services(live: LiveServer) -> None:
    g = rdflib.Graph().parse(data=requests.get(live.url + "/.well-known/void", timeout=10).text, format="turtle")
    ds, dct = rdflib.URIRef("https://w3id.org/hrgraph/dataset"), rdflib.namespace.DCTERMS
    assert g.value(ds, dct.license) == rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
    publisher = g.value(ds, dct.publisher)
    assert str(g.value(publisher, rdflib.namespace.FOAF.name)) == "hrgraph"
    modified = g.value(ds, dct.modified)
    assert modified is not None and modified.datatype == rdflib.namespace.XSD.date
    service = rdflib.URIRef("https://w3id.org/hrgraph/reconcile")
    assert (service, rdflib.namespace.DCAT.servesDataset, ds) in g
    assert g.value(service, dct.conformsTo) == rdflib.URIRef("https://reconciliation-api.github.io/specs/0.2/")
    # The contact is the operator's (HRGRAPH_CONTACT): none here, and the home page says so.
    assert g.value(ds, rdflib.namespace.DCAT.contactPoint) is None
    home = requests.get(live.url + "/", timeout=10).text
    assert "has not given a contact address" in home and "CC BY 4.0" in home and str(modified) in home


def test_every_page_states_the_licence_and_how_to_cite(live: LiveServer) -> None:
    for path in ("/", "/persons", "/search?q=Kazak", "/sparql", "/queries", "/xref",
                 "/id/person/zinaida-kazak", "/id/source/002_8785cdd713b65339", "/no/such/page"):
        html = requests.get(live.url + path, headers={"Accept": "text/html"}, timeout=30).text
        assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/"' in html, path
        assert "Cite the dataset: " in html and "https://w3id.org/hrgraph/dataset" in html, path
    person = requests.get(live.url + "/id/person/zinaida-kazak", timeout=30).text
    assert "Cite this record: " in person and "https://w3id.org/hrgraph/id/person/zinaida-kazak. Licensed" in person


def test_health(live: LiveServer) -> None:
    r = get(live, "/health")
    body = r.json()
    assert r.status_code == 200 and body["status"] == "ok" and body["triples"] > 10_000 and body["build_id"]


# --- Graph Store Protocol ---------------------------------------------------------------------------------

DATA_GRAPH = "https://w3id.org/hrgraph/graph/data"


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_graph_store_named_graph(live: LiveServer, accept: str, fmt: str) -> None:
    r = get(live, "/rdf-graph-store", accept, graph=DATA_GRAPH)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    person = rdflib.URIRef("https://w3id.org/hrgraph/id/person/mikalai-klimovich")
    assert (person, rdflib.RDF.type, rdflib.URIRef(HR + "Person")) in g


def test_graph_store_default_graph_and_head(live: LiveServer) -> None:
    r = get(live, "/rdf-graph-store?default", "application/n-triples")
    assert r.status_code == 200 and len(r.text.splitlines()) > 10_000
    head = requests.head(live.url + "/rdf-graph-store?default", headers={"Accept": "text/turtle"}, timeout=30)
    assert head.status_code == 200 and head.headers["Content-Type"].startswith("text/turtle") and not head.content


@pytest.mark.parametrize(("query", "accept", "status"), [
    ("graph=https://w3id.org/hrgraph/graph/nothing", "text/turtle", 404),
    ("graph=not%20an%20iri", "text/turtle", 400),
    ("", "text/turtle", 400),
    ("default&graph=" + DATA_GRAPH, "text/turtle", 400),
    ("default", "image/png", 406),
])
def test_graph_store_bad_requests(live: LiveServer, query: str, accept: str, status: int) -> None:
    r = requests.get(f"{live.url}/rdf-graph-store?{query}", headers={"Accept": accept}, timeout=10)
    assert r.status_code == status and r.text


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_graph_store_is_read_only(live: LiveServer, method: str) -> None:
    r = requests.request(method, live.url + "/rdf-graph-store?default", data="<urn:a> <urn:b> <urn:c> .",
                         headers={"Content-Type": "application/n-triples"}, timeout=10)
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"
