"""Content negotiation against the Accept headers real clients send (pure: no server)."""

from __future__ import annotations

import pytest

from hrgraph.formats import media
from hrgraph.formats.media import HTML, RESOURCE_FORMATS, TURTLE, MediaFormat
from hrgraph.formats.media import JSON_LD as JSONLD
from hrgraph.formats.media import N_TRIPLES as NTRIPLES
from hrgraph.formats.media import RDF_XML as RDFXML
from hrgraph.web.conneg import choose, negotiate

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FIREFOX_OLD = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
CHROMIUM = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
            "application/signed-exchange;v=b3;q=0.7")
CURL = "*/*"
WGET = "*/*"
PYTHON_REQUESTS = "*/*"
# rdflib URLInputSource (rdflib/parser.py): per format, and without one the media types of all its parsers.
RDFLIB_TURTLE = "text/turtle, application/x-turtle, */*;q=0.1"
RDFLIB_XML = "application/rdf+xml, */*;q=0.1"
RDFLIB_NT = "text/plain, */*;q=0.1"
RDFLIB_JSONLD = "application/ld+json, application/json;q=0.9, */*;q=0.1"
RDFLIB_N3 = "text/n3, */*;q=0.1"
RDFLIB_ANY = ("application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
              "application/trix, application/trig, application/n-quads")
# SPARQLWrapper (Wrapper.py) for CONSTRUCT/DESCRIBE by return format; its default (XML) is RDF/XML.
SPARQLWRAPPER_TURTLE = "application/turtle,text/turtle"
SPARQLWRAPPER_XML = "application/rdf+xml"
SPARQLWRAPPER_JSONLD = "application/ld+json,application/x-json+ld"
# Apache Jena RIOT, WebContent.defaultRDFAcceptHeader.
JENA = ("text/turtle,application/n-triples;q=0.9,application/rdf+xml;q=0.7,application/trig,"
        "application/n-quads;q=0.9,application/ld+json;q=0.8,*/*;q=0.5")


@pytest.mark.parametrize(("accept", "expected"), [
    (FIREFOX, HTML), (FIREFOX_OLD, HTML), (CHROMIUM, HTML),
    (CURL, HTML), (WGET, HTML), (PYTHON_REQUESTS, HTML), (None, HTML), ("", HTML),
    (RDFLIB_TURTLE, TURTLE), (RDFLIB_XML, RDFXML), (RDFLIB_NT, NTRIPLES), (RDFLIB_JSONLD, JSONLD),
    (RDFLIB_N3, TURTLE), (RDFLIB_ANY, TURTLE),
    (SPARQLWRAPPER_TURTLE, TURTLE), (SPARQLWRAPPER_XML, RDFXML), (SPARQLWRAPPER_JSONLD, JSONLD),
    (JENA, TURTLE),
])
def test_real_clients_get_what_they_can_read(accept: str | None, expected: MediaFormat) -> None:
    assert choose(accept) == expected


def test_q_values_outrank_order() -> None:
    assert choose("text/html;q=0.5, application/ld+json") == JSONLD
    assert choose("application/n-triples;q=0.9, text/turtle;q=0.8") == NTRIPLES


def test_q_zero_excludes_even_under_a_wildcard() -> None:
    assert choose("text/html;q=0, */*") == TURTLE
    assert choose("*/*;q=0") is None


def test_more_specific_range_decides_the_q_value() -> None:
    # text/turtle is refused explicitly although text/* accepts it.
    assert choose("text/*;q=0.9, text/turtle;q=0, text/html;q=0.1") == HTML
    # At equal q, the format the client named beats the one a wildcard matched.
    assert choose("text/*, text/turtle") == TURTLE


def test_nothing_acceptable_is_none() -> None:
    assert choose("image/png") is None
    assert choose("application/pdf, image/*;q=0.5") is None


def test_malformed_items_are_skipped_not_fatal() -> None:
    assert choose("garbage, ;;, text/turtle;q=abc") == TURTLE
    assert choose("TEXT/TURTLE") == TURTLE


def test_params_after_q_are_extensions_and_charset_is_ignored() -> None:
    assert choose("text/turtle;charset=utf-8") == TURTLE
    assert choose("text/turtle;q=0.5;foo=bar, text/html;q=0.4") == TURTLE


def test_extensions() -> None:
    def by_extension(ext: str) -> MediaFormat | None:
        return media.for_extension(ext, RESOURCE_FORMATS)

    assert by_extension("ttl") == TURTLE and by_extension("JSONLD") == JSONLD
    assert by_extension("nt") == NTRIPLES and by_extension("rdf") == RDFXML and by_extension("html") == HTML
    assert by_extension("34") is None  # `/eli/code/art/23.34` is not a format
    assert by_extension("json") is None and by_extension("csv") is None  # not a resource document


def test_negotiate_on_plain_offers_keeps_route_preference() -> None:
    offers = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]
    assert negotiate("*/*", offers) == offers[0]
    assert negotiate("application/sparql-results+xml,*/*;q=0.1", offers) == offers[1]
    assert negotiate("image/png", offers) is None


# --- the media-type table ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "offered", "expected"), [
    ("json", media.offers(media.SOLUTION_FORMATS), "application/sparql-results+json"),  # SELECT
    ("json", media.offers(media.GRAPH_FORMATS), "application/ld+json"),  # CONSTRUCT
    ("json", ("text/plain", "text/html", "application/json"), "application/json"),  # /dumps
    ("json", ("application/json", "text/html"), "application/json"),  # /queries
    ("xml", media.offers(media.SOLUTION_FORMATS), "application/sparql-results+xml"),
    ("xml", media.offers(media.GRAPH_FORMATS), "application/rdf+xml"),
    ("TTL", media.offers(media.GRAPH_FORMATS), "text/turtle"),
    ("text/csv", media.offers(media.SOLUTION_FORMATS), "text/csv"),
    ("csv", media.offers(media.GRAPH_FORMATS), None),
    ("yaml", ("application/json",), None),
])
def test_a_format_name_means_what_the_route_offers(name: str, offered: tuple[str, ...], expected: str | None) -> None:
    assert media.resolve(name, offered) == expected


def test_one_charset_rule() -> None:
    textual = {f.name for f in media.FORMATS if f.content_type.endswith("; charset=utf-8")}
    assert {"turtle", "html", "csv", "tsv", "sparql-results-xml", "rdf-xml", "text"} <= textual
    assert not textual & {"json", "json-ld", "sparql-results-json", "n-triples", "gzip"}
    assert all(f.content_type.count("charset") <= 1 for f in media.FORMATS)


def test_files_by_extension() -> None:
    assert media.for_file("hrgraph.nt.gz") is media.GZIP and media.for_file("void.ttl") is TURTLE
    assert media.for_file("context.jsonld") is JSONLD and media.for_file("build.json") is media.JSON
    assert media.for_file("README") is media.BINARY and media.for_file("x.exe") is media.BINARY
