"""What each curated field means in RDF: one table instead of a ladder of ifs per kind."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from hrgraph.model.namespaces import ELI, HR


@dataclass(frozen=True)
class Field:
    predicate: URIRef
    value: str  # text (@en), string, date, datetime, int, posint, bool, uri, ref:<kind>, concept:<scheme>
    many: bool = False


COMMON = {
    "alt_labels": Field(SKOS.altLabel, "label", many=True),
    "note": Field(SKOS.note, "text"),
    "description": Field(DCTERMS.description, "text"),
}

# How a machine-made claim or event was made and reviewed (pipeline/review.py).
EXTRACTED = {
    "extracted_by": Field(PROV.wasGeneratedBy, "activity"),
    "confidence": Field(HR.confidence, "decimal"),
    "review": Field(HR.reviewStatus, "concept:review-status"),
    "reviewed_at": Field(HR.reviewedAt, "datetime"),
}

FIELDS: dict[str, dict[str, Field]] = {
    "persons": {},
    "organisations": {},
    "places": {"place_kind": Field(HR.placeKind, "string"), "located_in": Field(HR.locatedIn, "ref:places")},
    "sources": {"site": Field(DCTERMS.source, "uri"), "retrieved": Field(HR.retrievedOn, "date")},
    "statements": {
        "title": Field(DCTERMS.title, "text"),
        "kind": Field(HR.statementKind, "concept:statement-kind"),
        "sources": Field(PROV.wasDerivedFrom, "ref:sources", many=True),
        "date": Field(HR.date, "date"),
        "issued": Field(DCTERMS.issued, "datetime"),
        "modified": Field(DCTERMS.modified, "datetime"),
        "publisher": Field(HR.publishedBy, "ref:organisations"),
        "addressed_to": Field(HR.addressedTo, "ref:mechanisms", many=True),
        "mentions": Field(HR.mentions, "ref:*", many=True),
        "language": Field(DCTERMS.language, "string"),
    },
    "instruments": {"replaced_by": Field(DCTERMS.isReplacedBy, "ref:instruments")},
    "provisions": {
        "instrument": Field(ELI.is_part_of, "ref:instruments"),
        "number": Field(ELI.number, "string"),
        "subject": Field(HR.subject, "text"),
        "replaced_by": Field(DCTERMS.isReplacedBy, "ref:provisions"),
    },
    "mechanisms": {
        "kind": Field(HR.mechanismKind, "concept:mechanism-kind"),
        "part_of": Field(HR.partOf, "ref:mechanisms"),
        "session": Field(HR.sessionNumber, "posint"),
    },
    "events": {
        "kind": Field(HR.eventKind, "concept:event-kind"),
        "date": Field(HR.date, "date"),
        "place": Field(HR.place, "ref:places"),
        "persons": Field(HR.person, "ref:persons", many=True),
        "organisations": Field(HR.organisation, "ref:organisations", many=True),
        "statement": Field(HR.statedIn, "ref:statements", many=True),
        **EXTRACTED,
    },
    "claims": {
        "statement": Field(HR.statedIn, "ref:statements", many=True),
        "person": Field(HR.person, "ref:persons"),
        "persons": Field(HR.person, "ref:persons", many=True),
        "recognised_by": Field(HR.recognisedBy, "ref:organisations", many=True),
        "criterion": Field(HR.criterion, "concept:pp-guidelines-2013"),
        "former": Field(HR.former, "bool"),
        "date": Field(HR.date, "date"),
        "provision": Field(HR.provision, "ref:provisions"),
        "court": Field(HR.court, "ref:organisations"),
        "sentence": Field(HR.sentence, "text"),
        "demand_type": Field(HR.demandType, "concept:demand-type"),
        "demanded_by": Field(HR.demandedBy, "ref:organisations", many=True),
        "submitted_by": Field(HR.submittedBy, "ref:organisations", many=True),
        "addressed_to": Field(HR.addressedTo, "ref:mechanisms", many=True),
        "signatories": Field(HR.signatory, "ref:organisations", many=True),
        "value": Field(HR.statisticValue, "int"),
        "qualifier": Field(HR.qualifier, "string"),
        "of": Field(HR.statisticOf, "text"),
        "stage": Field(HR.chargeStage, "string"),
        "status": Field(HR.recognitionStatus, "string"),
        **EXTRACTED,
    },
}

# Fields read by the emitter itself (class, identity, evidence) rather than mapped by the table.
STRUCTURAL = {"key", "label", "class", "type", "source", "quote", "file", "layout", "jurisdiction",
              "reviewed_by", "candidate"}  # a curator's name stays in data/curated/, never published

# rdf:type of a record: its `class` field where the kind allows several, else the kind's class.
DEFAULT_CLASS = {
    "persons": "Person", "organisations": "Organisation", "places": "Place", "sources": "SourceDocument",
    "statements": "Statement", "instruments": "LegalInstrument", "provisions": "LegalProvision",
    "mechanisms": "Mechanism", "events": "Event",
}
CLAIM_CLASS = {
    "recognition": "Recognition", "charge": "Charge", "demand": "Demand", "submission": "Submission",
    "signature": "Signature", "statistic": "StatisticalClaim",
}
