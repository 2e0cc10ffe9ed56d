"""The ontology for people and machines: its documentation (`/ontology.html`, where `/ontology` sends
browsers) and the whole ontology as RDF (`/ontology.ttl`, `.jsonld`, `.nt`, `.rdf`: every class and property,
not only the ontology's own description, which is all `/ontology` as a resource would give).

Read from the store: the build publishes the ontology in a graph of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import Blueprint, Response, render_template

from hrgraph.formats import media
from hrgraph.formats.media import HTML, RESOURCE_FORMATS
from hrgraph.model.vocab import HR, ONTOLOGY, OWL, RDFS, SKOS
from hrgraph.web.context import get_settings, get_store
from hrgraph.web.downloads import dump_context
from hrgraph.web.errors import Refused
from hrgraph.web.labels import fetch_labels, local_name
from hrgraph.web.present import Presenter
from hrgraph.web.responses import html_page, rdf_document

bp = Blueprint("ontology", __name__)


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
  VALUES ?kind {{ <{OWL.Class}> <{OWL.ObjectProperty}> <{OWL.DatatypeProperty}> <{OWL.AnnotationProperty}> }}
  ?t a ?kind . FILTER(STRSTARTS(STR(?t), "{HR}"))
  VALUES ?p {{ <{RDFS.label}> <{SKOS.definition}> <{RDFS.comment}> <{RDFS.subClassOf}> <{OWL.equivalentClass}>
              <{RDFS.subPropertyOf}> <{RDFS.domain}> <{RDFS.range}> }}
  OPTIONAL {{ ?t ?p ?o }}
}}"""
FIELDS = {str(RDFS.subClassOf): "supers", str(OWL.equivalentClass): "supers", str(RDFS.subPropertyOf): "supers",
          str(RDFS.domain): "domains", str(RDFS.range): "ranges"}
HEAD_QUERY = f"SELECT ?p ?o WHERE {{ <{ONTOLOGY}> ?p ?o FILTER(isLiteral(?o) || ?p = <{OWL.versionIRI}>) }}"
# The graph that holds the ontology, whole.
GRAPH_QUERY = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ SELECT ?g WHERE {{ GRAPH ?g {{ <{ONTOLOGY}> a <{OWL.Ontology}> }} }} LIMIT 1 }} GRAPH ?g {{ ?s ?p ?o }} }}"""


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
        elif prop in (str(SKOS.definition), str(RDFS.comment)) and not term.definition:
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
        raise Refused(404, "the ontology is not in the published store")
    linked = {i for t in terms for i in (t.iri, *t.supers, *t.domains, *t.ranges)}
    about = {local_name(r["p"].value): r["o"].value for r in get_store().select(HEAD_QUERY)}
    by_kind = defaultdict(list)
    for t in terms:
        by_kind[t.kind].append(t)
    p = Presenter(get_settings().base, fetch_labels(get_store(), sorted(linked)))
    return html_page(render_template("ontology.html", about=about, by_kind=by_kind, p=p, hr=str(HR),
                                     iri=str(ONTOLOGY)))


@bp.get("/ontology.<ext>")
def ontology_rdf(ext: str) -> Response:
    """The whole ontology as RDF; its JSON-LD compacted with the dump's context."""
    fmt = media.for_extension(ext, RESOURCE_FORMATS)
    if fmt is None or fmt is HTML:
        raise Refused(404, f"the ontology is offered as .html, .ttl, .jsonld, .nt or .rdf, not .{ext}")
    triples = get_store().construct(GRAPH_QUERY)
    if not triples:
        raise Refused(404, "the ontology is not in the published store")
    response = rdf_document(triples, fmt, context=dump_context(get_store().files))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
