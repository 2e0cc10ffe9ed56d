"""The vocabularies hrgraph writes, and the IRI patterns of its own resources (docs/model.md)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

# Ontology, vocabularies and shapes are published under this base whatever base the data uses.
CANONICAL_BASE = "https://w3id.org/hrgraph/"
HR = Namespace(CANONICAL_BASE + "ontology#")
SCHEMA = Namespace("http://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, Namespace] = {
    "hr": HR, "schema": SCHEMA, "eli": ELI, "oa": OA, "prov": Namespace(str(PROV)),
    "dct": Namespace(str(DCTERMS)), "foaf": Namespace(str(FOAF)), "org": Namespace(str(ORG)),
    "skos": Namespace(str(SKOS)), "owl": Namespace(str(OWL)), "rdfs": Namespace(str(RDFS)),
    "rdf": Namespace(str(RDF)), "xsd": Namespace(str(XSD)), "void": Namespace(str(VOID)),
    "dcat": Namespace(str(DCAT)), "sh": SH,
}

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
