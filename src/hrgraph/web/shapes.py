"""The SHACL shapes the build validates with (`/shapes`): each shape with its target, path and the message a
curator reads, as HTML for people and as RDF. Read from `shapes/*.ttl` (re-read when a file changes), with
rdflib: the shapes hold blank nodes (lists, nested shapes), which rdflib keeps nested when it writes them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import rdflib
from flask import Blueprint, Response, render_template

from hrgraph.formats import media
from hrgraph.formats.media import HTML, RDF_DOCUMENT_FORMATS
from hrgraph.model.namespaces import CANONICAL_BASE, SH
from hrgraph.model.vocab import RDF
from hrgraph.web.context import get_settings
from hrgraph.web.errors import Refused
from hrgraph.web.labels import local_name
from hrgraph.web.present import Presenter
from hrgraph.web.responses import html_page, requested

bp = Blueprint("shapes", __name__)

RDFLIB_FORMATS = {"turtle": "turtle", "json-ld": "json-ld", "n-triples": "nt", "rdf-xml": "xml"}  # by our name


@lru_cache(maxsize=4)
def _shapes_graph(paths: tuple[tuple[str, float], ...]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path, _mtime in paths:
        graph.parse(path, format="turtle")
    return graph


def shapes_graph() -> rdflib.Graph:
    """shapes/*.ttl as one graph, re-read when a file changes."""
    folder = get_settings().shapes_dir
    files = sorted(folder.glob("*.ttl")) if folder.is_dir() else []
    return _shapes_graph(tuple((str(p), p.stat().st_mtime) for p in files))


@dataclass
class Shape:
    iri: str
    kind: str
    targets: list[str]
    path: str | None
    messages: list[str]
    properties: list[str]


def shape_list(graph: rdflib.Graph) -> list[Shape]:
    """The named shapes, node shapes first."""
    out = []
    for kind in (SH.NodeShape, SH.PropertyShape):
        for s in set(graph.subjects(RDF.type, kind)):
            if not isinstance(s, rdflib.URIRef):
                continue
            path = graph.value(s, SH.path)
            out.append(Shape(str(s), local_name(str(kind)),
                             sorted(str(t) for t in graph.objects(s, SH.targetClass)),
                             str(path) if isinstance(path, rdflib.URIRef) else None,
                             sorted(str(m) for m in graph.objects(s, SH.message)),
                             sorted(str(p) for p in graph.objects(s, SH.property) if isinstance(p, rdflib.URIRef))))
    return sorted(out, key=lambda sh: (sh.kind != "NodeShape", sh.iri))


@bp.get("/shapes")
@bp.get("/shapes/")
def shapes_document() -> Response:
    offers = (*(f.media_type for f in RDF_DOCUMENT_FORMATS), HTML.media_type)
    chosen = requested(offers)
    graph = shapes_graph()
    if not len(graph):
        raise Refused(404, "no shapes are published")
    if chosen == HTML.media_type:
        return html_page(render_template("shapes.html", shapes=shape_list(graph), p=Presenter(get_settings().base),
                                         iri=CANONICAL_BASE + "shapes"))
    fmt = media.by_offer(RDF_DOCUMENT_FORMATS)[chosen]
    response = Response(graph.serialize(format=RDFLIB_FORMATS[fmt.name]), content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response
