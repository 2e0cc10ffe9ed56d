"""The OWL ontology (ontology/hrgraph.ttl) and the SKOS vocabularies (ontology/vocab/*.ttl).

(a) they parse, every hr: term is declared and documented, the alignments of docs/model.md are there,
    the schemes hold exactly the concepts of docs/model.md with their cross-walks;
(b) HermiT (through owlready2) finds the ontology + vocabularies consistent with no unsatisfiable class,
    also together with the example data of tests/ontology/shapes/valid/.

`check_consistency` (tests/owl_check.py) runs the same HermiT check on any list of files, e.g.
`check_consistency([ONTOLOGY, *VOCAB, Path("dist/hrgraph.nt.gz")])` once the build exists.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from owl_check import JAVA_MISSING, check_consistency, dl_typing_problems, java_available, merge
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "hrgraph.ttl"
VOCAB = sorted((ROOT / "ontology" / "vocab").glob("*.ttl"))
EXAMPLE_DATA = sorted((Path(__file__).resolve().parent / "shapes" / "valid").glob("*.ttl"))

HR = Namespace("https://w3id.org/hrgraph/ontology#")
HR_ONTOLOGY = URIRef("https://w3id.org/hrgraph/ontology")
VOCAB_BASE = "https://w3id.org/hrgraph/vocab/"
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("http://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


@functools.cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@functools.cache
def vocab() -> Graph:
    graph = Graph()
    for path in VOCAB:
        graph.parse(path, format="turtle")
    return graph


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == "en"]


# --- docs/model.md, as data -------------------------------------------------------------------------------

CLASSES = {
    "Person": [SCHEMA.Person, FOAF.Person, PROV.Agent],
    "Organisation": [SCHEMA.Organization, FOAF.Organization, ORG.Organization, PROV.Agent],
    "HumanRightsOrganisation": [HR.Organisation, SCHEMA.NGO],
    "Association": [HR.Organisation],
    "MediaOrganisation": [HR.Organisation],
    "StateBody": [HR.Organisation, SCHEMA.GovernmentOrganization],
    "Court": [HR.StateBody],
    "PenalInstitution": [HR.StateBody],
    "InternationalOrganisation": [HR.Organisation],
    "SourceDocument": [FOAF.Document, SCHEMA.CreativeWork, PROV.Entity],
    "Statement": [SCHEMA.CreativeWork, PROV.Entity],
    "JointStatement": [HR.Statement],
    "Report": [HR.Statement],
    "NewsItem": [HR.Statement],
    "Interview": [HR.Statement],
    "Speech": [HR.Statement],
    "LegalInstrument": [ELI.LegalResource, SCHEMA.Legislation],
    "Code": [HR.LegalInstrument],
    "Law": [HR.LegalInstrument],
    "Constitution": [HR.LegalInstrument],
    "Treaty": [HR.LegalInstrument],
    "Guidelines": [HR.LegalInstrument],
    "LegalProvision": [ELI.LegalResourceSubdivision, SCHEMA.Legislation],
    "Mechanism": [ORG.Organization, SCHEMA.Organization],
    "SpecialProcedure": [HR.Mechanism],
    "TreatyBody": [HR.Mechanism],
    "CharterBody": [HR.Mechanism],
    "RegionalMechanism": [HR.Mechanism],
    "MechanismSession": [HR.Mechanism, SCHEMA.Event],
    "Place": [SCHEMA.Place, PROV.Location],
    "Event": [SCHEMA.Event, PROV.Activity],
    "Detention": [HR.Event],
    "Trial": [HR.Event],
    "DeathInCustody": [HR.Event],
    "Liquidation": [HR.Event],
    "Claim": [PROV.Entity],
    "Recognition": [HR.Claim],
    "Charge": [HR.Claim],
    "Demand": [HR.Claim],
    "Submission": [HR.Claim],
    "Signature": [HR.Claim],
    "StatisticalClaim": [HR.Claim],
}

OBJECT_PROPERTIES = {
    "statedIn": [DCT.source],
    "hasEvidence": [PROV.wasDerivedFrom],
    "person": [DCT.subject],
    "organisation": [DCT.subject],
    "recognisedBy": [PROV.wasAttributedTo],
    "criterion": [DCT.type],
    "provision": [DCT.references],
    "court": [DCT.relation],
    "demandType": [DCT.type],
    "demandedBy": [PROV.wasAttributedTo],
    "addressedTo": [SCHEMA.recipient],
    "submittedBy": [PROV.wasAttributedTo],
    "signatory": [PROV.wasAttributedTo],
    "statementKind": [DCT.type],
    "publishedBy": [DCT.publisher, SCHEMA.publisher],
    "mentions": [SCHEMA.mentions],
    "partOf": [ORG.subOrganizationOf, DCT.isPartOf],
    "mechanismKind": [DCT.type],
    "locatedIn": [SCHEMA.containedInPlace],
    "eventKind": [DCT.type],
    "place": [PROV.atLocation],
    "recognisedAsPoliticalPrisoner": [],
}

DATATYPE_PROPERTIES = {
    "date": [DCT.date],
    "former": [],
    "sentence": [DCT.description],
    "statisticValue": [],
    "qualifier": [],
    "statisticOf": [DCT.description],
    "sha256": [],
    "characters": [],
    "sessionNumber": [],
    "subject": [DCT.description],
    "placeKind": [],
}

EXTERNAL_OBJECT_PROPERTIES = [
    DCT.publisher,
    DCT.source,
    DCT.subject,
    DCT.references,
    DCT.isPartOf,
    DCT.relation,
    DCT.type,
    DCT.isReplacedBy,
    PROV.wasDerivedFrom,
    PROV.wasAttributedTo,
    PROV.atLocation,
    OA.hasBody,
    OA.hasTarget,
    OA.hasSource,
    OA.hasSelector,
    OA.motivatedBy,
    ELI.is_part_of,
    ORG.subOrganizationOf,
    SCHEMA.recipient,
    SCHEMA.mentions,
    SCHEMA.containedInPlace,
    SCHEMA.publisher,
    SKOS.inScheme,
    SKOS.hasTopConcept,
    SKOS.topConceptOf,
    SKOS.closeMatch,
]
EXTERNAL_DATATYPE_PROPERTIES = [
    DCT.date,
    DCT.title,
    DCT.description,
    DCT.identifier,
    DCT.issued,
    DCT.modified,
    DCT.language,
    DCT["format"],
    ELI.number,
    ELI.title,
    OA.exact,
    OA.prefix,
    OA.suffix,
    OA.start,
    OA.end,
    SKOS.notation,
]
ANNOTATION_PROPERTIES = [RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.definition, DCT.license, DCT.created]

SCHEMES = {
    "pp-guidelines-2013": {
        "3.1-a": "3.1(a)",
        "3.1-b": "3.1(b)",
        "3.1-c": "3.1(c)",
        "violence-clause": None,
        "not-stated": None,
    },
    "pace-1900": {k: k for k in "abcde"},
    "wgad-categories": {k: k for k in ("I", "II", "III", "IV", "V")},
    "demand-type": dict.fromkeys(
        (
            "release",
            "retrial",
            "rehabilitation",
            "compensation",
            "case-review",
            "reversal-of-sentence",
            "investigation",
            "decriminalisation",
            "cessation-of-persecution",
            "end-of-repression",
            "establish-mechanism",
        )
    ),
    "statement-kind": dict.fromkeys(
        ("joint-statement", "report", "submission", "news-item", "interview", "speech", "appeal")
    ),
    "mechanism-kind": dict.fromkeys(
        (
            "charter-body",
            "session",
            "special-procedures-system",
            "country-mandate",
            "thematic-mandate",
            "working-group",
            "investigative-body",
            "treaty-body",
            "osce-mechanism",
            "coe-body",
            "upr",
        )
    ),
    "event-kind": dict.fromkeys(
        (
            "detention",
            "arrest",
            "trial",
            "conviction",
            "death-in-custody",
            "death",
            "liquidation",
            "extremist-designation",
            "release",
            "search",
            "other",
        )
    ),
    "review-status": dict.fromkeys(("accepted", "edited", "unreviewed")),
}

CROSSWALKS = [
    ("pp-guidelines-2013/3.1-a", "pace-1900/a"),
    ("pp-guidelines-2013/3.1-a", "wgad-categories/II"),
    ("pace-1900/a", "wgad-categories/II"),
    ("pp-guidelines-2013/3.1-c", "pace-1900/d"),
    ("pp-guidelines-2013/3.1-c", "wgad-categories/V"),
    ("pace-1900/d", "wgad-categories/V"),
]


def concept(path: str) -> URIRef:
    return URIRef(VOCAB_BASE + path)


# --- (a) structure -------------------------------------------------------------------------------------


def test_files_parse():
    assert len(ontology()) > 300
    assert len(VOCAB) >= 7
    assert len(vocab()) > 300


def test_ontology_header():
    g = ontology()
    assert (HR_ONTOLOGY, RDF.type, OWL.Ontology) in g
    assert (HR_ONTOLOGY, OWL.versionIRI, URIRef("https://w3id.org/hrgraph/ontology/0.1.0")) in g
    assert english(g, HR_ONTOLOGY, DCT.title)
    assert (HR_ONTOLOGY, DCT.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
    created = g.value(HR_ONTOLOGY, DCT.created)
    assert created is not None and created.datatype == XSD_DATE
    assert not list(g.objects(None, OWL.imports)), "the ontology must work offline: no owl:imports"


def test_every_hr_term_is_declared_with_english_label_and_definition():
    g = ontology()
    terms = {t for triple in g for t in triple if isinstance(t, URIRef) and t.startswith(str(HR))}
    assert terms
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for term in sorted(terms):
        declared = [k for k in kinds if (term, RDF.type, k) in g]
        assert len(declared) == 1, f"{term} must be declared exactly once as class or property: {declared}"
        assert len(english(g, term, RDFS.label)) == 1, f"{term} needs one rdfs:label @en"
        assert english(g, term, SKOS.definition), f"{term} needs a skos:definition @en"


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_model_class_and_alignment(name):
    g = ontology()
    cls = HR[name]
    assert (cls, RDF.type, OWL.Class) in g
    for parent in CLASSES[name]:
        assert (cls, RDFS.subClassOf, parent) in g, f"hr:{name} must be rdfs:subClassOf {parent}"


@pytest.mark.parametrize("name", sorted(OBJECT_PROPERTIES))
def test_model_object_property_and_alignment(name):
    g = ontology()
    assert (HR[name], RDF.type, OWL.ObjectProperty) in g
    for parent in OBJECT_PROPERTIES[name]:
        assert (HR[name], RDFS.subPropertyOf, parent) in g, f"hr:{name} must be rdfs:subPropertyOf {parent}"


@pytest.mark.parametrize("name", sorted(DATATYPE_PROPERTIES))
def test_model_datatype_property_and_alignment(name):
    g = ontology()
    assert (HR[name], RDF.type, OWL.DatatypeProperty) in g
    for parent in DATATYPE_PROPERTIES[name]:
        assert (HR[name], RDFS.subPropertyOf, parent) in g, f"hr:{name} must be rdfs:subPropertyOf {parent}"


def test_eli_subdivision_is_a_legal_resource():
    assert (ELI.LegalResourceSubdivision, RDFS.subClassOf, ELI.LegalResource) in ontology()


def test_external_terms_are_declared_for_owl_dl():
    g = ontology()
    for prop in EXTERNAL_OBJECT_PROPERTIES:
        assert (prop, RDF.type, OWL.ObjectProperty) in g, prop
    for prop in EXTERNAL_DATATYPE_PROPERTIES:
        assert (prop, RDF.type, OWL.DatatypeProperty) in g, prop
    for prop in ANNOTATION_PROPERTIES:
        assert (prop, RDF.type, OWL.AnnotationProperty) in g, prop
    for cls in (
        SKOS.Concept,
        SKOS.ConceptScheme,
        OA.Annotation,
        OA.SpecificResource,
        OA.TextQuoteSelector,
        OA.TextPositionSelector,
    ):
        assert (cls, RDF.type, OWL.Class) in g, cls


def test_no_disjointness_axioms():
    g = ontology()
    for prop in (OWL.disjointWith, OWL.propertyDisjointWith, OWL.disjointUnionOf):
        assert not list(g.triples((None, prop, None))), prop
    assert not list(g.subjects(RDF.type, OWL.AllDisjointClasses))


def test_owl_dl_typing_of_ontology_vocabularies_and_example_data():
    graph = merge([ONTOLOGY, *VOCAB, *EXAMPLE_DATA])
    assert dl_typing_problems(graph) == []


def test_dl_typing_check_catches_punning():
    graph = ontology() + Graph()
    graph.add((DCT.title, RDF.type, OWL.ObjectProperty))
    graph.add((URIRef("urn:x:s"), HR.person, Literal("a name")))
    problems = dl_typing_problems(graph)
    assert any("more than one kind" in p for p in problems)
    assert any("literal value" in p for p in problems)


# --- (a) vocabularies -------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_scheme_has_exactly_the_model_concepts(scheme):
    g = vocab()
    s = concept(scheme)
    assert (s, RDF.type, SKOS.ConceptScheme) in g
    for prop in (RDFS.label, SKOS.prefLabel, DCT.title):
        assert english(g, s, prop), f"{scheme} needs {prop} @en"
    members = set(g.subjects(SKOS.inScheme, s))
    expected = {concept(f"{scheme}/{key}") for key in SCHEMES[scheme]}
    assert members == expected
    assert set(g.objects(s, SKOS.hasTopConcept)) == expected
    for key, notation in SCHEMES[scheme].items():
        c = concept(f"{scheme}/{key}")
        assert (c, RDF.type, SKOS.Concept) in g
        assert (c, SKOS.topConceptOf, s) in g
        assert len(english(g, c, SKOS.prefLabel)) == 1, c
        assert len(english(g, c, RDFS.label)) == 1, c
        assert english(g, c, SKOS.definition), c
        notations = [str(n) for n in g.objects(c, SKOS.notation)]
        assert notations == ([notation] if notation else []), c


@pytest.mark.parametrize(("a", "b"), CROSSWALKS)
def test_criteria_crosswalks(a, b):
    g = vocab()
    assert (concept(a), SKOS.closeMatch, concept(b)) in g
    assert (concept(b), SKOS.closeMatch, concept(a)) in g


def test_close_match_is_stated_both_ways():
    g = vocab()
    for a, b in g.subject_objects(SKOS.closeMatch):
        assert (b, SKOS.closeMatch, a) in g, (a, b)


# --- (b) HermiT ---------------------------------------------------------------------------------------------

needs_java = pytest.mark.skipif(not java_available(), reason=JAVA_MISSING)


@needs_java
def test_hermit_ontology_and_vocabularies_are_consistent():
    # strict: the ontology itself uses only datatypes of the OWL 2 datatype map
    result = check_consistency([ONTOLOGY, *VOCAB], ignore_unsupported_datatypes=False)
    assert result.consistent, result.message
    assert result.inconsistent_classes == []


@needs_java
def test_hermit_consistent_with_example_data():
    result = check_consistency([ONTOLOGY, *VOCAB, *EXAMPLE_DATA])
    assert result.consistent, result.message


@needs_java
def test_hermit_check_detects_inconsistency(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        """
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix hr: <https://w3id.org/hrgraph/ontology#> .
        <urn:x:Robot> a owl:Class ; owl:disjointWith hr:Person .
        <urn:x:r2d2> a <urn:x:Robot> , hr:Person .
        """,
        encoding="utf-8",
    )
    result = check_consistency([ONTOLOGY, bad])
    assert not result.consistent
