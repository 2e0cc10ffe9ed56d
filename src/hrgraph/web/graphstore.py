"""`/rdf-graph-store`: the SPARQL 1.1 Graph Store HTTP Protocol, read-only (GET and HEAD).

`?default` is the default graph (here the union of the named graphs, as on `/sparql`), `?graph=IRI` one
named graph (404 when the store has no such graph). Exactly one of them is required (400 otherwise).
The graph is written as Turtle, JSON-LD, N-Triples or RDF/XML by `Accept` or `format=`. PUT, POST, DELETE
and PATCH answer 405 with `Allow: GET, HEAD`: the store is published by the build, never over HTTP.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request

from hrgraph.formats import media
from hrgraph.formats.media import RDF_DOCUMENT_FORMATS, MediaFormat
from hrgraph.web.conneg import choose
from hrgraph.web.context import get_store
from hrgraph.web.downloads import dump_context
from hrgraph.web.errors import Refused
from hrgraph.web.responses import not_acceptable, rdf_document
from hrgraph.web.terms import sparql_iri

bp = Blueprint("graphstore", __name__)

ALLOW = "GET, HEAD"



@bp.route("/rdf-graph-store", methods=["PUT", "POST", "DELETE", "PATCH"])
def refuse() -> Response:
    raise Refused(405, "the graph store is read-only: use GET or HEAD", {"Allow": ALLOW})


@bp.get("/rdf-graph-store")
def get_graph() -> Response:
    has_default, graphs = "default" in request.args, request.args.getlist("graph")
    if has_default == bool(graphs) or len(graphs) > 1:
        raise Refused(400, "give either ?default or exactly one ?graph=IRI")
    fmt = chosen_format()
    if fmt is None:
        raise not_acceptable([f.media_type for f in RDF_DOCUMENT_FORMATS])
    if has_default:
        triples = get_store().construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    else:
        try:
            node = sparql_iri(graphs[0])
        except ValueError:
            raise Refused(400, f"not an IRI: {graphs[0]!r}") from None
        if not get_store().ask(f"ASK {{ GRAPH {node} {{ ?s ?p ?o }} }}"):
            raise Refused(404, f"no graph {graphs[0]} in this store")
        triples = get_store().construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}")
    return respond(triples, fmt)


def chosen_format() -> MediaFormat | None:
    name = request.args.get("format")
    if name:
        media_type = media.resolve(name, [f.media_type for f in RDF_DOCUMENT_FORMATS])
        return media.for_media_type(media_type, RDF_DOCUMENT_FORMATS) if media_type else None
    return choose(request.headers.get("Accept"), RDF_DOCUMENT_FORMATS)


def respond(triples: list[ox.Triple], fmt: MediaFormat) -> Response:
    response = rdf_document(triples, fmt, context=dump_context(get_store().files))
    response.headers["Allow"] = ALLOW
    return response
