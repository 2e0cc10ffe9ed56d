"""Documents about the data, for people and machines: the ontology's documentation (`/ontology.html`, the
page `/ontology` sends browsers to), the SHACL shapes (`/shapes`), a concept scheme's concepts
(`/vocab/{scheme}.html`) and the dump files with sizes and checksums (`/dumps`).

The ontology and vocabularies are read from the store (the build publishes them in their own graph), the
shapes from `shapes/*.ttl`, the dumps from `dist/`. RDF of the ontology and vocabularies stays with
`hrgraph.web.resources` (`/ontology.ttl`, `/vocab/demand-type.jsonld`, ...).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from flask import Blueprint, Response, current_app, render_template, request
from rdflib.namespace import RDF, RDFS, SH

from hrgraph.model.namespaces import CANONICAL_BASE, HR, PREFIXES
from hrgraph.web.conneg import by_extension, from_alias, negotiate
from hrgraph.web.context import get_settings, get_store
from hrgraph.web.describe import Presenter, fetch_labels, local_name, sparql_iri
from hrgraph.web.downloads import SAFE_NAME
from hrgraph.web.errors import error_response

bp = Blueprint("docs", __name__)

HTML = "text/html"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_OFFERS = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
                  "application/rdf+xml": "xml"}


def chosen_format(offers: tuple[str, ...]) -> str | None:
    """`format=` first, then Accept; None when the client accepts none of the offers (406)."""
    fmt = request.args.get("format")
    return from_alias(fmt, offers) if fmt else negotiate(request.headers.get("Accept"), offers)


def not_acceptable(offers: tuple[str, ...]) -> Response:
    return error_response(406, f"none of the formats offered is acceptable: {', '.join(offers)}")


def html(body: str) -> Response:
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


# --- the ontology -----------------------------------------------------------------------------------------

@dataclass
class Term:
    iri: str
    kind: str
    label: str = ""
    definition: str = ""
    supers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return local_name(self.iri)


TERMS_QUERY = f"""SELECT ?t ?kind ?p ?o WHERE {{
  VALUES ?kind {{ <{OWL}Class> <{OWL}ObjectProperty> <{OWL}DatatypeProperty> <{OWL}AnnotationProperty> }}
  ?t a ?kind . FILTER(STRSTARTS(STR(?t), "{HR}"))
  VALUES ?p {{ <{RDFS}label> <{SKOS}definition> <{RDFS}comment> <{RDFS}subClassOf> <{OWL}equivalentClass>
              <{RDFS}subPropertyOf> <{RDFS}domain> <{RDFS}range> }}
  OPTIONAL {{ ?t ?p ?o }}
}}"""
FIELDS = {str(RDFS.subClassOf): "supers", OWL + "equivalentClass": "supers", str(RDFS.subPropertyOf): "supers",
          str(RDFS.domain): "domains", str(RDFS.range): "ranges"}


def ontology_terms() -> list[Term]:
    terms: dict[str, Term] = {}
    for row in get_store().select(TERMS_QUERY):
        iri, kind = row["t"].value, local_name(row["kind"].value)
        term = terms.setdefault(iri, Term(iri, kind))
        obj = row.get("o")
        if obj is None:
            continue
        prop = row["p"].value
        if prop == str(RDFS.label):
            term.label = obj.value
        elif prop in (SKOS + "definition", str(RDFS.comment)) and not term.definition:
            term.definition = obj.value
        elif prop in FIELDS and obj.value.startswith(("http://", "https://")):
            values = getattr(term, FIELDS[prop])
            if obj.value not in values:
                values.append(obj.value)
    return sorted(terms.values(), key=lambda t: t.anchor.lower())


@bp.get("/ontology.html")
def ontology_page() -> Response:
    terms = ontology_terms()
    if not terms:
        return error_response(404, "the ontology is not in the published store")
    linked = {i for t in terms for i in (t.iri, *t.supers, *t.domains, *t.ranges)}
    head = get_store().select(f"""SELECT ?p ?o WHERE {{ <{CANONICAL_BASE}ontology> ?p ?o
      FILTER(isLiteral(?o) || ?p = <{OWL}versionIRI>) }}""")
    about = {local_name(r["p"].value): r["o"].value for r in head}
    by_kind = defaultdict(list)
    for t in terms:
        by_kind[t.kind].append(t)
    p = Presenter(get_settings().base, fetch_labels(get_store(), sorted(linked)))
    return html(render_template("ontology.html", about=about, by_kind=by_kind, p=p, hr=str(HR),
                                iri=CANONICAL_BASE + "ontology"))


@bp.get("/ontology.<ext>")
def ontology_rdf(ext: str) -> Response:
    """The whole ontology (every class and property, not only the ontology header) as RDF."""
    fmt = by_extension(ext)
    if fmt is None or fmt.serializer == "html":
        return error_response(404, f"the ontology is offered as .html, .ttl, .jsonld, .nt or .rdf, not .{ext}")
    iri = sparql_iri(CANONICAL_BASE + "ontology")
    triples = get_store().construct(f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
      {{ SELECT ?g WHERE {{ GRAPH ?g {{ {iri} a <{OWL}Ontology> }} }} LIMIT 1 }} GRAPH ?g {{ ?s ?p ?o }} }}""")
    if not triples:
        return error_response(404, "the ontology is not in the published store")
    prefixes = None if fmt.serializer == "N_TRIPLES" else {n: str(ns) for n, ns in PREFIXES.items()}
    body = ox.serialize(triples, format=getattr(ox.RdfFormat, fmt.serializer), prefixes=prefixes)
    textual = fmt.media_type.startswith("text/") or fmt.media_type.endswith("xml")
    response = Response(body, content_type=f"{fmt.media_type}; charset=utf-8" if textual else fmt.media_type)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# --- concept schemes --------------------------------------------------------------------------------------

@bp.get("/vocab/<scheme>.html")
def scheme_page(scheme: str) -> Response:
    iri = f"{CANONICAL_BASE}vocab/{scheme}"
    try:
        node = sparql_iri(iri)
    except ValueError:
        return error_response(404, f"no concept scheme {scheme!r}")
    head = get_store().select(f"SELECT ?p ?o WHERE {{ {node} a <{SKOS}ConceptScheme> ; ?p ?o FILTER(isLiteral(?o)) }}")
    if not head:
        return error_response(404, f"no concept scheme {iri} in this dataset")
    about = {local_name(r["p"].value): r["o"].value for r in head}
    rows = get_store().select(f"""SELECT ?c ?p ?o WHERE {{ ?c <{SKOS}inScheme> {node} .
      VALUES ?p {{ <{SKOS}prefLabel> <{SKOS}notation> <{SKOS}definition> <{SKOS}altLabel> <{SKOS}closeMatch>
                  <{SKOS}exactMatch> <{SKOS}broader> <{SKOS}scopeNote> }}
      OPTIONAL {{ ?c ?p ?o }} }}""")
    concepts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        props = concepts[r["c"].value]
        if "o" in r and r["o"].value not in props[local_name(r["p"].value)]:
            props[local_name(r["p"].value)].append(r["o"].value)
    ordered = sorted(concepts.items(), key=lambda kv: (kv[1].get("notation", [""])[0], kv[0]))
    return html(render_template("scheme.html", iri=iri, scheme=scheme, about=about, concepts=ordered,
                                p=Presenter(get_settings().base), alternates=[]))


# --- shapes -----------------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _shapes_graph(paths: tuple[tuple[str, float], ...]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path, _mtime in paths:
        graph.parse(path, format="turtle")
    return graph


def shapes_graph() -> rdflib.Graph:
    """shapes/*.ttl as one graph, re-read when a file changes."""
    files = sorted(get_settings().shapes_dir.glob("*.ttl")) if get_settings().shapes_dir.is_dir() else []
    return _shapes_graph(tuple((str(p), p.stat().st_mtime) for p in files))


@dataclass
class Shape:
    iri: str
    kind: str
    targets: list[str]
    path: str | None
    messages: list[str]
    properties: list[str]


def shapes(graph: rdflib.Graph) -> list[Shape]:
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
    offers = (*RDF_OFFERS, HTML)
    chosen = chosen_format(offers)
    if chosen is None:
        return not_acceptable(offers)
    graph = shapes_graph()
    if not len(graph):
        return error_response(404, "no shapes are published")
    if chosen == HTML:
        return html(render_template("shapes.html", shapes=shapes(graph), p=Presenter(get_settings().base),
                                    iri=CANONICAL_BASE + "shapes"))
    body = graph.serialize(format=RDFLIB_FORMATS[chosen])
    response = Response(body, content_type=f"{chosen}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


# --- dumps ------------------------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _sha256(path: str, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dump_files(dist: Path) -> list[dict[str, object]]:
    files = sorted(p for p in dist.iterdir() if p.is_file() and SAFE_NAME.match(p.name)) if dist.is_dir() else []
    out = []
    for p in files:
        stat = p.stat()
        out.append({"name": p.name, "url": f"/dumps/{p.name}", "bytes": stat.st_size,
                    "sha256": _sha256(str(p), stat.st_size, stat.st_mtime)})
    return out


@bp.get("/dumps")
@bp.get("/dumps/")
def dumps_listing() -> Response:
    """The build's files: plain URLs for scripts (the default), HTML for people, JSON with checksums."""
    offers = ("text/plain", HTML, "application/json")
    chosen = chosen_format(offers)
    if chosen is None:
        return not_acceptable(offers)
    files = dump_files(get_store().files)
    if chosen == HTML:
        return html(render_template("dumps.html", files=files))
    if chosen == "application/json":
        response = current_app.json.response(files)
    else:
        response = Response("".join(f"{f['url']}\n" for f in files), content_type="text/plain; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
