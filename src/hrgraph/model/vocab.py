"""The ontology's names, GENERATED from ontology/ by `python -m hrgraph.model.vocabgen`: do not edit.

Closed namespaces: a term the ontology does not have is an AttributeError, never a new IRI.
"""

# ruff: noqa: E501, E741, I001
from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VANN, XSD


ONTOLOGY = URIRef("https://w3id.org/hrgraph/ontology")


class HR(DefinedNamespace):
    """`hr:` — hrgraph ontology"""

    _fail = True
    _NS = Namespace("https://w3id.org/hrgraph/ontology#")
    addressedTo: URIRef  # addressed to
    Association: URIRef  # association
    characters: URIRef  # characters
    Charge: URIRef  # charge
    chargeStage: URIRef  # charge stage
    CharterBody: URIRef  # charter body
    Claim: URIRef  # claim
    Code: URIRef  # code
    confidence: URIRef  # confidence
    Constitution: URIRef  # constitution
    Court: URIRef  # court
    court: URIRef  # court
    criterion: URIRef  # criterion
    date: URIRef  # date
    DeathInCustody: URIRef  # death in custody
    Demand: URIRef  # demand
    demandedBy: URIRef  # demanded by
    demandType: URIRef  # demand type
    Detention: URIRef  # detention
    Event: URIRef  # event
    eventKind: URIRef  # event kind
    ExtractionActivity: URIRef  # extraction activity
    extractionRule: URIRef  # extraction rule
    extractorVersion: URIRef  # extractor version
    former: URIRef  # former
    Guidelines: URIRef  # guidelines
    hasEvidence: URIRef  # has evidence
    HumanRightsOrganisation: URIRef  # human rights organisation
    InternationalOrganisation: URIRef  # international organisation
    Interview: URIRef  # interview
    JointStatement: URIRef  # joint statement
    Law: URIRef  # law
    LegalInstrument: URIRef  # legal instrument
    LegalProvision: URIRef  # legal provision
    Liquidation: URIRef  # liquidation
    locatedIn: URIRef  # located in
    Mechanism: URIRef  # mechanism
    mechanismKind: URIRef  # mechanism kind
    MechanismSession: URIRef  # mechanism session
    MediaOrganisation: URIRef  # media organisation
    mentions: URIRef  # mentions
    NewsItem: URIRef  # news item
    Organisation: URIRef  # organisation
    organisation: URIRef  # organisation
    partOf: URIRef  # part of
    PenalInstitution: URIRef  # penal institution
    Person: URIRef  # person
    person: URIRef  # person
    Place: URIRef  # place
    place: URIRef  # place
    placeKind: URIRef  # place kind
    provision: URIRef  # provision
    publishedBy: URIRef  # published by
    qualifier: URIRef  # qualifier
    recognisedAsPoliticalPrisoner: URIRef  # recognised as political prisoner
    recognisedBy: URIRef  # recognised by
    Recognition: URIRef  # recognition
    recognitionStatus: URIRef  # recognition status
    RegionalMechanism: URIRef  # regional mechanism
    Report: URIRef  # report
    retrievedOn: URIRef  # retrieved on
    reviewedAt: URIRef  # reviewed at
    reviewStatus: URIRef  # review status
    sentence: URIRef  # sentence
    sessionNumber: URIRef  # session number
    sha256: URIRef  # SHA-256
    signatory: URIRef  # signatory
    Signature: URIRef  # signature
    SourceDocument: URIRef  # source document
    SpecialProcedure: URIRef  # special procedure
    Speech: URIRef  # speech
    StateBody: URIRef  # state body
    statedIn: URIRef  # stated in
    Statement: URIRef  # statement
    statementKind: URIRef  # statement kind
    StatisticalClaim: URIRef  # statistical claim
    statisticOf: URIRef  # statistic of
    statisticValue: URIRef  # statistic value
    subject: URIRef  # subject
    Submission: URIRef  # submission
    submittedBy: URIRef  # submitted by
    Treaty: URIRef  # treaty
    TreatyBody: URIRef  # treaty body
    Trial: URIRef  # trial
    WithdrawnRecord: URIRef  # withdrawn record


class SCHEMA(DefinedNamespace):
    """`schema:` <http://schema.org/>, the terms the ontology uses of it"""

    _fail = True
    _NS = Namespace("http://schema.org/")
    alternateName: URIRef
    birthDate: URIRef
    containedInPlace: URIRef
    CreativeWork: URIRef
    Event: URIRef
    familyName: URIRef
    givenName: URIRef
    GovernmentOrganization: URIRef
    Legislation: URIRef
    mentions: URIRef
    name: URIRef
    NGO: URIRef
    Organization: URIRef
    Person: URIRef
    Place: URIRef
    publisher: URIRef
    recipient: URIRef


class ELI(DefinedNamespace):
    """`eli:` <http://data.europa.eu/eli/ontology#>, the terms the ontology uses of it"""

    _fail = True
    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    is_part_of: URIRef
    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    number: URIRef
    title: URIRef


class OA(DefinedNamespace):
    """`oa:` <http://www.w3.org/ns/oa#>, the terms the ontology uses of it"""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")
    Annotation: URIRef
    describing: URIRef  # describing
    end: URIRef
    exact: URIRef
    hasBody: URIRef
    hasSelector: URIRef
    hasSource: URIRef
    hasTarget: URIRef
    identifying: URIRef  # identifying
    motivatedBy: URIRef
    Motivation: URIRef
    prefix: URIRef
    Selector: URIRef
    SpecificResource: URIRef
    start: URIRef
    suffix: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef


class DEMAND_TYPE(DefinedNamespace):
    """Concept scheme `demand-type`: Types of demand"""

    _fail = True
    _NS = Namespace("https://w3id.org/hrgraph/vocab/demand-type/")
    compensation: URIRef  # Compensation
    decriminalisation: URIRef  # Decriminalisation
    investigation: URIRef  # Investigation
    rehabilitation: URIRef  # Rehabilitation
    release: URIRef  # Release
    retrial: URIRef  # Retrial
    _extras = ['case-review', 'cessation-of-persecution', 'end-of-repression', 'establish-mechanism', 'reversal-of-sentence']  # keys that are not Python names: DEMAND_TYPE["..."]


class EVENT_KIND(DefinedNamespace):
    """Concept scheme `event-kind`: Kinds of event"""

    _fail = True
    _NS = Namespace("https://w3id.org/hrgraph/vocab/event-kind/")
    arrest: URIRef  # Arrest
    conviction: URIRef  # Conviction
    death: URIRef  # Death
    detention: URIRef  # Detention
    liquidation: URIRef  # Liquidation
    other: URIRef  # Other event
    release: URIRef  # Release
    search: URIRef  # Search
    trial: URIRef  # Trial
    _extras = ['death-in-custody', 'extremist-designation']  # keys that are not Python names: EVENT_KIND["..."]


class MECHANISM_KIND(DefinedNamespace):
    """Concept scheme `mechanism-kind`: Kinds of international mechanism"""

    _fail = True
    _NS = Namespace("https://w3id.org/hrgraph/vocab/mechanism-kind/")
    session: URIRef  # Session
    upr: URIRef  # Universal Periodic Review
    _extras = ['charter-body', 'coe-body', 'country-mandate', 'investigative-body', 'osce-mechanism', 'special-procedures-system', 'thematic-mandate', 'treaty-body', 'working-group']  # keys that are not Python names: MECHANISM_KIND["..."]


class PACE_1900(DefinedNamespace):
    """Concept scheme `pace-1900`: Political-prisoner criteria of PACE Resolution 1900 (2012)"""

    _fail = True
    _NS = Namespace("https://w3id.org/hrgraph/vocab/pace-1900/")
    a: URIRef  # Detention violating a fundamental Convention freedom
    b: URIRef  # Detention for purely political reasons
    c: URIRef  # Disproportionate length or conditions for political motives
    d: URIRef  # Discriminatory detention for political motives
    e: URIRef  # Detention after clearly unfair proceedings


class PP_GUIDELINES_2013(DefinedNamespace):
    """Concept scheme `pp-guidelines-2013`: Criteria of the 2013 Guidelines on the Definition of Political Prisoners"""

    _fail = True
    _NS = Namespace("https://w3id.org/hrgraph/vocab/pp-guidelines-2013/")
    _extras = ['3.1-a', '3.1-b', '3.1-c', 'not-stated', 'violence-clause']  # keys that are not Python names: PP_GUIDELINES_2013["..."]


class REVIEW_STATUS(DefinedNamespace):
    """Concept scheme `review-status`: Review status of extracted claims"""

    _fail = True
    _NS = Namespace("https://w3id.org/hrgraph/vocab/review-status/")
    accepted: URIRef  # Accepted
    edited: URIRef  # Edited
    unreviewed: URIRef  # Unreviewed


class STATEMENT_KIND(DefinedNamespace):
    """Concept scheme `statement-kind`: Kinds of statement"""

    _fail = True
    _NS = Namespace("https://w3id.org/hrgraph/vocab/statement-kind/")
    appeal: URIRef  # Appeal
    interview: URIRef  # Interview
    report: URIRef  # Report
    speech: URIRef  # Speech
    submission: URIRef  # Submission
    _extras = ['joint-statement', 'news-item']  # keys that are not Python names: STATEMENT_KIND["..."]


class WGAD_CATEGORIES(DefinedNamespace):
    """Concept scheme `wgad-categories`: Categories of the UN Working Group on Arbitrary Detention"""

    _fail = True
    _NS = Namespace("https://w3id.org/hrgraph/vocab/wgad-categories/")
    I: URIRef  # Category I: no legal basis
    II: URIRef  # Category II: exercise of rights and freedoms
    III: URIRef  # Category III: grave violation of fair-trial rights
    IV: URIRef  # Category IV: prolonged administrative custody of migrants
    V: URIRef  # Category V: discrimination


# Concept schemes by key (`/vocab/{key}`).
SCHEMES: dict[str, type[DefinedNamespace]] = {
    "demand-type": DEMAND_TYPE,
    "event-kind": EVENT_KIND,
    "mechanism-kind": MECHANISM_KIND,
    "pace-1900": PACE_1900,
    "pp-guidelines-2013": PP_GUIDELINES_2013,
    "review-status": REVIEW_STATUS,
    "statement-kind": STATEMENT_KIND,
    "wgad-categories": WGAD_CATEGORIES,
}


__all__ = ["ONTOLOGY", "HR", "OWL", "RDF", "RDFS", "XSD", "SKOS", "DCTERMS", "VANN", "SCHEMA", "FOAF", "ORG", "PROV", "ELI", "OA", "DEMAND_TYPE", "EVENT_KIND", "MECHANISM_KIND", "PACE_1900", "PP_GUIDELINES_2013", "REVIEW_STATUS", "STATEMENT_KIND", "WGAD_CATEGORIES", "SCHEMES"]
