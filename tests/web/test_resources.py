"""Cool URIs over the real server (waitress in a subprocess): 303 + Vary, ETag/304, HEAD, 404 in the asked
format, 406, extension override, Link headers, every RDF format parsed back with rdflib, escaping, paging.

`site` is a server over `tests/fixtures/sample.ttl`, `tests/fixtures/web.ttl` (a person page's worth of
claims, accents, a `<script>` label) and a generated graph of 55 statements mentioning one person (more
incoming links than a page holds); `live` is the real build, checked for what holds whatever the data.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import requests
from rdflib import RDF, RDFS, Literal, URIRef

from hrgraph.config import Settings

from conftest import Backend, LiveServer, serving

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BASE = "https://w3id.org/hrgraph/"
HR = rdflib.Namespace(BASE + "ontology#")
ALES = "/id/person/webtest-ales"
HUB = "/id/person/webtest-hub"
HUB_MENTIONS = 55
RDF_FORMATS = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
               "nt": ("application/n-triples", "nt"), "rdf": ("application/rdf+xml", "xml")}


def hub_graph() -> str:
    lines = [f"<{BASE}id/person/webtest-hub> a <{HR}Person> ; <{RDFS.label}> \"Hub Webtest\"@en ."]
    for i in range(HUB_MENTIONS):
        st = f"<{BASE}id/statement/webtest-hub-{i:03d}>"
        lines.append(f"{st} a <{HR}Statement> ; <{RDFS.label}> \"Hub statement {i:03d}\"@en ; "
                     f"<{HR}mentions> <{BASE}id/person/webtest-hub> .")
    return "\n".join(lines) + "\n"


def write_dist(dist: Path) -> None:
    dist.mkdir(parents=True)
    (dist / "void.ttl").write_text(f"<{BASE}dataset> a <http://rdfs.org/ns/void#Dataset> .\n")
    (dist / "hrgraph.ttl").write_bytes((FIXTURES / "web.ttl").read_bytes())
    (dist / "hrgraph.nt.gz").write_bytes(gzip.compress(b"<urn:a> <urn:b> <urn:c> .\n"))
    (dist / "context.jsonld").write_text('{"@context": {}}\n')


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[LiveServer]:
    from hrgraph.store.embedded_publish import publish

    root = tmp_path_factory.mktemp("website")
    (root / "hub.ttl").write_text(hub_graph(), encoding="utf-8")
    graphs = {BASE + "graph/web": FIXTURES / "web.ttl", BASE + "graph/hub": root / "hub.ttl"}
    if (FIXTURES / "sample.ttl").exists():
        graphs[BASE + "graph/data"] = FIXTURES / "sample.ttl"
    publish(graphs, root / "var" / "store", build_id="webtest")
    write_dist(root / "dist")
    with serving(root, backend=backend) as server:
        yield server


def get(server: LiveServer, path: str, accept: str | None = None, **kw: object) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    headers.update(kw.pop("headers", {}))  # type: ignore[arg-type]
    return requests.get(server.url + path, headers=headers, allow_redirects=False, timeout=10, **kw)


# --- Cool URIs -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "ext"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"), ("*/*", "html"),
])
def test_303_to_the_document_in_the_negotiated_format(site: LiveServer, accept: str, ext: str) -> None:
    r = get(site, ALES, accept)
    assert r.status_code == 303
    assert r.headers["Location"] == f"{ALES}.{ext}"
    assert "Accept" in r.headers["Vary"]


def test_following_the_redirect_gives_rdf_about_the_iri(site: LiveServer) -> None:
    r = requests.get(site.url + ALES, headers={"Accept": "text/turtle"}, timeout=10)
    assert r.status_code == 200 and r.url.endswith(".ttl")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (URIRef(BASE + ALES[1:]), RDF.type, HR.Person) in g


@pytest.mark.parametrize("ext", sorted(RDF_FORMATS))
def test_each_rdf_format_parses_and_holds_the_claims(site: LiveServer, ext: str) -> None:
    media_type, parser = RDF_FORMATS[ext]
    r = get(site, f"{ALES}.{ext}", "text/html")  # the extension overrides Accept
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media_type
    g = rdflib.Graph().parse(data=r.content, format=parser)
    person = URIRef(BASE + ALES[1:])
    assert (person, RDFS.label, Literal("Ales Webtestovich", lang="en")) in g
    recognition = URIRef(BASE + "id/recognition/webtest-rec-1")
    assert (recognition, HR.person, person) in g  # claims about the person come with it
    exact = rdflib.Namespace("http://www.w3.org/ns/oa#").exact
    assert any("political prisoner" in str(o) for o in g.objects(None, exact))
    # The labels of what it links to travel along (one query, not one per link).
    assert (URIRef(BASE + "id/organisation/webtest-viasna"), RDFS.label, None) in g


def test_rdflib_parses_the_iri_itself(site: LiveServer) -> None:
    """rdflib's URLInputSource sends its own Accept header and follows the 303."""
    g = rdflib.Graph().parse(site.url + ALES, format="turtle")
    assert len(g) > 5


def test_etag_304_and_head(site: LiveServer) -> None:
    r = get(site, f"{ALES}.ttl")
    etag = r.headers["ETag"]
    again = get(site, f"{ALES}.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    assert get(site, f"{ALES}.nt").headers["ETag"] != etag  # the format is part of the tag
    head = requests.head(site.url + f"{ALES}.ttl", timeout=10)
    assert head.status_code == 200 and head.content == b"" and head.headers["ETag"] == etag
    assert requests.head(site.url + ALES, headers={"Accept": "text/turtle"}, timeout=10).status_code == 303


def test_link_headers_and_html_alternates(site: LiveServer) -> None:
    r = get(site, f"{ALES}.html")
    links = r.headers["Link"]
    for ext, (media_type, _) in RDF_FORMATS.items():
        assert f'<{ALES}.{ext}>; rel="alternate"; type="{media_type}"' in links
        assert f'<link rel="alternate" type="{media_type}" href="{ALES}.{ext}">' in r.text
    assert 'type="text/html"' in get(site, f"{ALES}.ttl").headers["Link"]


@pytest.mark.parametrize(("path", "accept", "media_type"), [
    ("/id/person/nobody", "text/turtle", "text/turtle"),
    ("/id/person/nobody.ttl", None, "text/turtle"),
    ("/id/person/nobody.nt", None, "application/n-triples"),
    ("/id/person/nobody.jsonld", None, "application/ld+json"),
    ("/id/person/nobody.rdf", None, "application/rdf+xml"),
    ("/id/person/nobody", "text/html", "text/html"),
])
def test_404_in_the_asked_format(site: LiveServer, path: str, accept: str | None, media_type: str) -> None:
    r = get(site, path, accept)
    assert r.status_code == 404
    assert r.headers["Content-Type"].split(";")[0] == media_type
    if media_type != "text/html":
        parser = {v[0]: v[1] for v in RDF_FORMATS.values()}[media_type]
        if parser != "json-ld":
            assert len(rdflib.Graph().parse(data=r.content, format=parser)) == 0  # valid, empty
        assert "nobody" in r.text


def test_406_when_nothing_is_acceptable(site: LiveServer) -> None:
    r = get(site, ALES, "image/png")
    assert r.status_code == 406
    assert "text/turtle" in r.text


def test_bad_page_is_400(site: LiveServer) -> None:
    assert get(site, f"{ALES}.ttl?page=0").status_code == 400


# --- HTML ------------------------------------------------------------------------------------------------

def test_person_page_shows_claims_with_evidence(site: LiveServer) -> None:
    html = get(site, f"{ALES}.html").text
    for text in ("Recognised by Viasna Webtest Centre", "Charged under Webtest Article 342", "Minsk Webtest Court",
                 "Release demanded", "Working Group on Webtest Detention",
                 "charged under Article 342 of the Criminal Code"):
        assert text in html
    assert 'href="/id/source/webtest-000#q-webtest-rec-1-1"' in html  # each quote links to where it stands
    assert "political prisoner &lt;b&gt;now&lt;/b&gt;" in html  # quotes are text, not markup
    assert "three years &lt;of&gt; colony" in html


def test_labels_are_escaped(site: LiveServer) -> None:
    html = get(site, "/id/person/webtest-xss.html").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; Webtest &amp; Co" in html


def incoming_section(html: str) -> str:
    return html.split('id="incoming"', 1)[1]


def test_incoming_links_are_paged(site: LiveServer) -> None:
    size = Settings().page_size
    first = get(site, f"{HUB}.html")
    # A person's page lists the statements about them once, and "Linked from" does not repeat them.
    assert first.text.count('href="/id/statement/webtest-hub-') == HUB_MENTIONS
    assert "Hub statement" not in incoming_section(first.text)
    assert f'<{HUB}.html?page=2>; rel="next"' in first.headers["Link"]
    second = get(site, f"{HUB}.html?page=2")
    assert 'rel="prev"' in second.headers["Link"] and 'rel="next"' not in second.headers["Link"]
    assert first.headers["ETag"] != second.headers["ETag"]
    g = rdflib.Graph().parse(data=get(site, f"{HUB}.ttl?page=2").text, format="turtle")
    assert len(set(g.subjects(HR.mentions, URIRef(BASE + HUB[1:])))) == HUB_MENTIONS - size
    # The bare IRI keeps the page through the redirect.
    assert get(site, f"{HUB}?page=2", "text/turtle").headers["Location"] == f"{HUB}.ttl?page=2"


def test_fragment_resources_are_in_their_document(site: LiveServer) -> None:
    g = rdflib.Graph().parse(data=get(site, "/id/evidence/webtest-rec-1-1.ttl").text, format="turtle")
    quote = URIRef(BASE + "id/evidence/webtest-rec-1-1#quote")
    assert (quote, rdflib.Namespace("http://www.w3.org/ns/oa#").exact, None) in g


def test_jsonld_is_compacted_with_the_dump_context_and_says_what_the_turtle_says(live: LiveServer) -> None:
    """A resource's JSON-LD uses the @context of the dump (dist/context.jsonld), inline, so it reads without
    a fetch; parsed back by rdflib (an independent processor) it is the same graph as the Turtle document."""
    context = requests.get(live.url + "/dumps/context.jsonld", timeout=10).json()["@context"]
    path = "/id/person/andrei-aliaksandrau"
    doc = requests.get(live.url + path + ".jsonld", timeout=10)
    assert doc.status_code == 200 and doc.headers["Content-Type"] == "application/ld+json"
    body = doc.json()
    assert body["@context"] == context
    person = next(n for n in body["@graph"] if n["@id"] == live.settings.base + path[1:])
    assert "Person" in person["@type"] and "schema:Person" in person["@type"]  # a term, and a compact IRI
    assert not [key for node in body["@graph"] for key in node if key.startswith(("http://", "https://"))]
    from_jsonld = rdflib.Graph().parse(data=doc.text, format="json-ld")
    from_turtle = rdflib.Graph().parse(data=requests.get(live.url + path + ".ttl", timeout=10).text, format="turtle")
    assert len(from_turtle) > 20 and set(from_jsonld) == set(from_turtle)


# --- downloads -------------------------------------------------------------------------------------------

def test_dumps(site: LiveServer) -> None:
    r = get(site, "/dumps/hrgraph.ttl")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
    assert get(site, "/dumps/hrgraph.ttl", headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    gz = get(site, "/dumps/hrgraph.nt.gz")
    assert gz.headers["Content-Type"] == "application/gzip" and gzip.decompress(gz.content).startswith(b"<urn:a>")
    assert get(site, "/dumps/context.jsonld").headers["Content-Type"] == "application/ld+json"
    for bad in ("/dumps/nothing.ttl", "/dumps/..%2F..%2Fetc%2Fpasswd", "/dumps/.hidden", "/dumps/%2Fetc%2Fpasswd",
                "/dumps/" + "a" * 300, "/sources/" + "a" * 300):  # longer than a file name may be: 404, not 500
        assert get(site, bad).status_code == 404, bad


def test_well_known_void(site: LiveServer) -> None:
    r = get(site, "/.well-known/void")
    assert r.status_code == 303 and r.headers["Location"].endswith("/dumps/void.ttl")


# --- the real build ----------------------------------------------------------------------------------------

def test_real_build_every_listed_person_resolves(live: LiveServer) -> None:
    index = requests.get(live.url + "/persons", timeout=10)
    assert index.status_code == 200
    paths = re.findall(r'href="(/id/person/[^"#?]+)"', index.text)[:5]
    assert paths, "the index of the real build lists no persons"
    for path in paths:
        r = requests.get(live.url + path, headers={"Accept": "text/turtle"}, allow_redirects=False, timeout=10)
        assert r.status_code == 303 and r.headers["Vary"] == "Accept"
        doc = requests.get(live.url + r.headers["Location"], timeout=10)
        g = rdflib.Graph().parse(data=doc.text, format="turtle")
        assert (URIRef(live.settings.base + path[1:]), RDF.type, None) in g
