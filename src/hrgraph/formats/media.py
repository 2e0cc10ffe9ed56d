"""The one media-type table: every syntax hrgraph serves or reads, with its media type, the other media types
clients send for it, its file extensions, the short names a `format=` parameter may use, the pyoxigraph
format that writes it, and whether its Content-Type carries `charset=utf-8`.

Content negotiation (`hrgraph.web.conneg`), query results (`hrgraph.store.results`), resource documents and
downloads all read this table; none keeps a list of its own.

Decisions:
- The charset rule: text formats and XML formats say `charset=utf-8`; JSON formats do not (RFC 8259 §11
  defines no charset parameter: JSON is UTF-8), nor do N-Triples and N-Quads (UTF-8 by definition) or binary
  files. It is a column of the table (`charset`), applied by `content_type` and nowhere else.
- A short name may name several formats: `json` is SPARQL JSON results, JSON-LD and plain JSON; `xml` SPARQL
  XML results and RDF/XML. A route takes the first of them, in table order, that it offers — so
  `/sparql?format=json` on a SELECT is SPARQL JSON, on a CONSTRUCT JSON-LD, and on `/dumps` or `/queries` the
  JSON listing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class MediaFormat:
    name: str
    media_type: str
    aliases: tuple[str, ...] = ()  # other media types clients use for the same syntax
    extensions: tuple[str, ...] = ()  # the first is the one we write
    names: tuple[str, ...] = ()  # short names for `format=` / `output=`
    rdf: ox.RdfFormat | None = None  # writes a graph
    results: ox.QueryResultsFormat | None = None  # writes solutions or a boolean
    charset: bool = False  # the Content-Type says charset=utf-8

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @property
    def content_type(self) -> str:
        return content_type(self.media_type, self.charset)


def content_type(media_type: str, charset: bool) -> str:
    return f"{media_type}; charset=utf-8" if charset else media_type


def content_type_for(media_type: str) -> str:
    """The Content-Type for a negotiated media type: a format's own type as the table says; a type clients
    send instead (`application/xml`, `text/plain`) with the charset when it is text or XML."""
    own = next((f for f in FORMATS if f.media_type == media_type), None)
    return content_type(media_type, own.charset if own else media_type.startswith("text/") or
                        media_type.endswith("xml"))


# SPARQL results first: `json` and `xml` mean results where a route offers them (see the module's docstring).
SPARQL_JSON = MediaFormat("sparql-results-json", "application/sparql-results+json", ("application/json",), ("srj",),
                          ("json", "srj"), results=ox.QueryResultsFormat.JSON)
SPARQL_XML = MediaFormat("sparql-results-xml", "application/sparql-results+xml", ("application/xml", "text/xml"),
                         ("srx",), ("xml", "srx"), results=ox.QueryResultsFormat.XML, charset=True)
CSV = MediaFormat("csv", "text/csv", (), ("csv",), ("csv",), results=ox.QueryResultsFormat.CSV, charset=True)
TSV = MediaFormat("tsv", "text/tab-separated-values", (), ("tsv",), ("tsv",), results=ox.QueryResultsFormat.TSV,
                  charset=True)
HTML = MediaFormat("html", "text/html", ("application/xhtml+xml",), ("html",), ("html",), charset=True)
TURTLE = MediaFormat("turtle", "text/turtle", ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
                     ("ttl",), ("ttl", "turtle", "n3"), rdf=ox.RdfFormat.TURTLE, charset=True)  # N3 ⊃ Turtle
JSON_LD = MediaFormat("json-ld", "application/ld+json", ("application/json",), ("jsonld",),
                      ("jsonld", "json-ld", "json"), rdf=ox.RdfFormat.JSON_LD)
N_TRIPLES = MediaFormat("n-triples", "application/n-triples", ("text/plain",), ("nt",),
                        ("nt", "ntriples", "n-triples"), rdf=ox.RdfFormat.N_TRIPLES)  # text/plain: its historical type
RDF_XML = MediaFormat("rdf-xml", "application/rdf+xml", ("application/xml", "text/xml"), ("rdf",),
                      ("rdf", "rdfxml", "rdf+xml", "xml"), rdf=ox.RdfFormat.RDF_XML, charset=True)
N_QUADS = MediaFormat("n-quads", "application/n-quads", (), ("nq",), ("nq", "nquads"), rdf=ox.RdfFormat.N_QUADS)
TRIG = MediaFormat("trig", "application/trig", (), ("trig",), ("trig",), rdf=ox.RdfFormat.TRIG, charset=True)
JSON = MediaFormat("json", "application/json", (), ("json",), ("json",))
TEXT = MediaFormat("text", "text/plain", (), ("txt",), ("txt", "text"), charset=True)
MARKDOWN = MediaFormat("markdown", "text/markdown", (), ("md",), ("md",), charset=True)
SPARQL_QUERY = MediaFormat("sparql-query", "application/sparql-query", (), ("rq",), ("rq", "sparql"), charset=True)
GZIP = MediaFormat("gzip", "application/gzip", (), ("gz",))  # a dump as it is (`.nt.gz`), never Content-Encoding
BINARY = MediaFormat("binary", "application/octet-stream")

FORMATS: tuple[MediaFormat, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV, HTML, TURTLE, JSON_LD, N_TRIPLES, RDF_XML,
                                    N_QUADS, TRIG, JSON, TEXT, MARKDOWN, SPARQL_QUERY, GZIP)

# What each kind of answer is offered in, the default first.
SOLUTION_FORMATS: tuple[MediaFormat, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
GRAPH_FORMATS: tuple[MediaFormat, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
# A resource's description: a client that says nothing (`*/*`: curl, wget, requests) gets HTML.
RESOURCE_FORMATS: tuple[MediaFormat, ...] = (HTML, TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
RDF_DOCUMENT_FORMATS: tuple[MediaFormat, ...] = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)


def offers(formats: Iterable[MediaFormat]) -> tuple[str, ...]:
    """The media types `formats` can be asked for: their own, then the aliases (so that `text/*` picks a
    format's own type before another's alias)."""
    formats = tuple(formats)
    own = [f.media_type for f in formats]
    return tuple(dict.fromkeys(own + [a for f in formats for a in f.aliases]))


def by_offer(formats: Sequence[MediaFormat]) -> dict[str, MediaFormat]:
    """Each media type `formats` can be asked for (in the order of `offers`) -> the format it names."""
    return {mt: f for mt in offers(formats) if (f := for_media_type(mt, formats)) is not None}


def for_media_type(media_type: str, formats: Sequence[MediaFormat] = FORMATS) -> MediaFormat | None:
    """The format of `formats` that `media_type` (parameters ignored) names, its own type before an alias."""
    bare = media_type.split(";")[0].strip().lower()
    return (next((f for f in formats if f.media_type == bare), None)
            or next((f for f in formats if bare in f.aliases), None))


def for_extension(extension: str, formats: Sequence[MediaFormat] = FORMATS) -> MediaFormat | None:
    return next((f for f in formats if extension.lower() in f.extensions), None)


def for_file(name: str) -> MediaFormat:
    """The format of a file by its last extension (`hrgraph.nt.gz` is gzip); octet-stream when unknown."""
    _, dot, ext = name.rpartition(".")
    return (for_extension(ext) if dot else None) or BINARY


def resolve(name: str | None, offered: Sequence[str]) -> str | None:
    """A `format=` value (short name or media type) as one of the `offered` media types, or None: the first
    format it names whose own media type is offered, else whose alias is."""
    if not name:
        return None
    key = name.strip().lower()
    if "/" in key:
        return key if key in offered else None
    named = [f for f in FORMATS if key in f.names]
    return (next((f.media_type for f in named if f.media_type in offered), None)
            or next((a for f in named for a in f.aliases if a in offered), None))
