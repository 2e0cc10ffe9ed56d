"""The prefixes hrgraph writes, and the IRI patterns of its own resources (docs/model.md).

The ontology's names themselves are generated into `hrgraph.model.vocab` (closed namespaces: `HR.Person`);
they are re-exported here for the code that mints IRIs beside them.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
    Namespace,
)

from hrgraph.model.vocab import ELI, HR, OA, SCHEMA

__all__ = ["CANONICAL_BASE", "ELI", "FORMATS", "HR", "OA", "PREFIXES", "SCHEMA", "SD", "SH", "Iris", "curie"]

# Ontology, vocabularies and shapes are published under this base whatever base the data uses.
CANONICAL_BASE = "https://w3id.org/hrgraph/"

# The one prefix table: Turtle and RDF/XML output (dumps, pages, CONSTRUCT results), the JSON-LD context and
# compact names on pages. `schema:` is http://schema.org/, as the data uses it.
PREFIXES: Mapping[str, str] = {name: str(ns) for name, ns in (
    ("hr", HR), ("schema", SCHEMA), ("eli", ELI), ("oa", OA), ("prov", PROV), ("dct", DCTERMS), ("foaf", FOAF),
    ("org", ORG), ("skos", SKOS), ("owl", OWL), ("rdfs", RDFS), ("rdf", RDF), ("xsd", XSD), ("void", VOID),
    ("dcat", DCAT), ("sh", SH),
)}



class SD(DefinedNamespace):
    """SPARQL 1.1 Service Description: the terms `/sparql` describes itself with (a protocol's, not the data's)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/sparql-service-description#")
    Dataset: URIRef
    Graph: URIRef
    NamedGraph: URIRef
    Service: URIRef
    SPARQL11Query: URIRef
    UnionDefaultGraph: URIRef
    defaultDataset: URIRef
    defaultGraph: URIRef
    endpoint: URIRef
    feature: URIRef
    name: URIRef
    namedGraph: URIRef
    resultFormat: URIRef
    supportedLanguage: URIRef


FORMATS = Namespace("http://www.w3.org/ns/formats/")  # the W3C's IRIs of syntaxes (pyoxigraph's `.iri`)


def curie(iri: str) -> str | None:
    """`schema:Person` for an IRI under one of the prefixes, else None."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return None

# Path segment of each kind of data record under `{base}id/`.
ID_KINDS = {
    "persons": "person", "organisations": "organisation", "statements": "statement", "sources": "source",
    "mechanisms": "mechanism", "places": "place", "events": "event", "claims": "claim",
}
CLAIM_KINDS = {
    "recognition": "recognition", "charge": "charge", "demand": "demand", "submission": "submission",
    "signature": "signature", "statistic": "statistic",
}


class Iris:
    """Mints every IRI from the configured base, so one setting moves the whole dataset."""

    def __init__(self, base: str) -> None:
        self.base = base

    def record(self, kind: str, key: str) -> URIRef:
        return URIRef(f"{self.base}id/{ID_KINDS[kind]}/{key}")

    def claim(self, claim_type: str, key: str) -> URIRef:
        return URIRef(f"{self.base}id/{CLAIM_KINDS[claim_type]}/{key}")

    def instrument(self, key: str) -> URIRef:
        return URIRef(f"{self.base}eli/{key}")

    def provision(self, instrument_key: str, number: str) -> URIRef:
        return URIRef(f"{self.base}eli/{instrument_key}/art/{number}")

    def evidence(self, subject: URIRef, n: int) -> URIRef:
        """`{base}id/evidence/{kind}-{key}-{n}`: named after the record it supports, unique across kinds."""
        path = str(subject)[len(self.base):] if str(subject).startswith(self.base) else str(subject)
        slug = path.removeprefix("id/").replace("/art/", "-").replace("/", "-")
        return URIRef(f"{self.base}id/evidence/{slug}-{n}")

    def concept(self, scheme: str, key: str) -> URIRef:
        return URIRef(f"{CANONICAL_BASE}vocab/{scheme}/{key}")

    def dataset(self) -> URIRef:
        return URIRef(f"{self.base}dataset")

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{name}")

    def dump(self, file_name: str) -> URIRef:
        return URIRef(f"{self.base}dumps/{file_name}")
