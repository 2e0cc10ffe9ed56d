"""SHACL shapes (shapes/*.ttl): well-formed, documented, and each rule caught by an invalid fixture.

How validation is run here, and how the build should run it:
- data graph = the data plus the SKOS vocabularies (ontology/vocab/*.ttl). pySHACL copies only class
  and property axioms from `ont_graph` into the data graph, not SKOS concepts, so the checks on
  hr:criterion / hr:demandType / ... (skos:inScheme) need the vocabularies in the data graph itself;
- ont_graph = ontology/hrgraph.ttl: its rdfs:subClassOf axioms make sh:targetClass and sh:class match
  subclass instances (hr:Court is an hr:Organisation, hr:Code an eli:LegalResource);
- inference='none'. RDFS inference would apply rdfs:range and type every value of hr:recognisedBy as
  an hr:Organisation, so wrong links could never fail sh:class (see test_rdfs_inference_would_hide_wrong_links).
  The build materialises superclass types itself, and the fixtures carry them too.

Fixtures: tests/ontology/shapes/valid/complete.ttl is a small complete example graph. Every other fixture is an
overlay on it; an invalid overlay adds one faulty resource, and INVALID below lists the exact results
it must produce (focus node, source shape, constraint component, path).
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import pytest
import rdflib.term
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "hrgraph.ttl"
VOCAB = sorted((ROOT / "ontology" / "vocab").glob("*.ttl"))
SHAPES = sorted((ROOT / "shapes").glob("*.ttl"))
FIXTURES = Path(__file__).resolve().parent / "shapes"
BASE_FIXTURE = FIXTURES / "valid" / "complete.ttl"

HR = Namespace("https://w3id.org/hrgraph/ontology#")
HRSH = Namespace("https://w3id.org/hrgraph/shapes#")
ID = Namespace("https://w3id.org/hrgraph/id/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


@functools.cache
def shapes_graph() -> Graph:
    graph = Graph()
    for path in SHAPES:
        graph.parse(path, format="turtle")
    return graph


@functools.cache
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def data_graph(*overlays: Path) -> Graph:
    graph = Graph()
    for path in (BASE_FIXTURE, *VOCAB, *overlays):
        graph.parse(path, format="turtle")
    return graph


@dataclass(frozen=True)
class Result:
    focus: URIRef
    shape: URIRef
    component: URIRef
    path: URIRef | None
    constraint: URIRef | None = None


def validate(*overlays: Path, inference: str = "none") -> tuple[bool, Graph, list[Result], str]:
    conforms, report, text = pyshacl.validate(
        data_graph(*overlays),
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference=inference,
        advanced=True,
        allow_warnings=False,
    )
    results = []
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        for node in report.objects(report_node, SH.result):  # top-level results only, not sh:detail
            results.append(
                Result(
                    focus=report.value(node, SH.focusNode),
                    shape=report.value(node, SH.sourceShape),
                    component=report.value(node, SH.sourceConstraintComponent),
                    path=report.value(node, SH.resultPath),
                    constraint=report.value(node, SH.sourceConstraint),
                )
            )
    return conforms, report, results, text


def _r(focus: str, shape: str, component: str, path: URIRef | None, constraint: str | None = None) -> Result:
    return Result(
        URIRef(focus) if focus.startswith("http") else ID[focus],
        HRSH[shape],
        SH[component + "ConstraintComponent"],
        path,
        HRSH[constraint] if constraint else None,
    )


EV = "https://w3id.org/hrgraph/id/evidence/"
CC = "https://w3id.org/hrgraph/eli/criminal-code/"

# fixture name -> the exact set of top-level validation results it must produce
INVALID: dict[str, set[Result]] = {
    "missing-label": {_r("person/no-label", "label", "MinCount", RDFS.label)},
    "label-without-language": {
        _r("person/plain-label", "label", "Datatype", RDFS.label),
        _r("person/plain-label", "label", "LanguageIn", RDFS.label),
    },
    "wrong-class-link": {_r("recognition/wrong-recogniser", "Recognition-recognisedBy", "Class", HR.recognisedBy)},
    "bad-date": {_r("demand/untyped-date", "date", "Or", HR.date)},
    "bad-article-number": {_r(CC + "art-342", "LegalProvision-number", "Pattern", ELI.number)},
    "provision-not-in-instrument": {_r(CC + "999", "LegalProvision-partOf", "Class", ELI.is_part_of)},
    "claim-without-source": {_r("demand/no-source", "derivedFromSource", "QualifiedMinCount", PROV.wasDerivedFrom)},
    "claim-without-evidence": {_r("submission/no-evidence", "evidenceRequired", "MinCount", HR.hasEvidence)},
    "empty-exact": {_r(EV + "empty-quote-1#quote", "Quote-exact", "MinLength", OA.exact)},
    "evidence-without-quote": {_r("evidence/no-quote-1", "Annotation-target", "Node", OA.hasTarget)},
    "start-not-before-end": {
        _r(EV + "empty-span-1#position", "TextPositionSelectorShape", "SPARQL", OA.end, "Position-startBeforeEnd")
    },
    "end-beyond-text": {
        _r(EV + "beyond-text-1#position", "TextPositionSelectorShape", "SPARQL", OA.end, "Position-endWithinText")
    },
    "recognition-without-person": {_r("recognition/no-person", "Recognition-person", "MinCount", HR.person)},
    "criterion-outside-scheme": {_r("recognition/pace-criterion", "Recognition-criterion", "Node", HR.criterion)},
    "charge-without-provision": {_r("charge/no-provision", "Charge-provision", "MinCount", HR.provision)},
    "submission-without-addressee": {
        _r("submission/no-addressee", "Submission-addressedTo", "MinCount", HR.addressedTo)
    },
}

# Classes of docs/model.md that have instances, each needing a node shape that targets it.
TARGETED_CLASSES = [
    HR.Person,
    HR.Organisation,
    HR.SourceDocument,
    HR.Statement,
    HR.LegalInstrument,
    HR.LegalProvision,
    HR.Mechanism,
    HR.Place,
    HR.Event,
    HR.Claim,
    HR.Recognition,
    HR.Charge,
    HR.Demand,
    HR.Submission,
    HR.Signature,
    HR.StatisticalClaim,
    OA.Annotation,
    OA.TextQuoteSelector,
    OA.TextPositionSelector,
    SKOS.Concept,
    SKOS.ConceptScheme,
]


# --- the shapes graph itself ---------------------------------------------------------------------------


def test_shapes_parse():
    assert SHAPES, "no shapes/*.ttl found"
    assert len(shapes_graph()) > 100


def test_shapes_are_valid_shacl_against_shacl_shacl():
    shacl_shacl = Graph().parse(
        str(importlib.resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"), format="turtle"
    )
    conforms, _, text = pyshacl.validate(shapes_graph(), shacl_graph=shacl_shacl, inference="none")
    assert conforms, text


def test_meta_shacl_accepts_the_shapes():
    # pySHACL's own meta check raises ReportableRuntimeError if the shapes graph is not valid SHACL
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True)
    assert conforms, text


def test_shacl_shacl_would_catch_a_broken_shape():
    shacl_shacl = Graph().parse(
        str(importlib.resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"), format="turtle"
    )
    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:shape> a sh:NodeShape ; sh:property [ sh:path <urn:x:p> ; sh:minCount "one" ] .
        """,
        format="turtle",
    )
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=shacl_shacl, inference="none")
    assert not conforms


@pytest.mark.parametrize("cls", TARGETED_CLASSES, ids=lambda c: c.n3().rsplit("/", 1)[-1])
def test_every_instantiated_class_has_a_node_shape(cls):
    assert list(shapes_graph().subjects(SH.targetClass, cls)), f"no node shape targets {cls}"


def test_every_shape_and_constraint_has_an_english_message():
    g = shapes_graph()
    # a node shape with SPARQL constraints is exempt: the constraints carry the messages, and pySHACL
    # would report the shape's message next to theirs
    nodes = (
        {s for s in g.subjects(RDF.type, SH.NodeShape) if (s, SH.sparql, None) not in g}
        | set(g.subjects(RDF.type, SH.PropertyShape))
        | set(g.subjects(RDF.type, SH.SPARQLConstraint))
        | set(g.objects(None, SH.property))
        | set(g.objects(None, SH.sparql))
    )
    missing = []
    for node in nodes:
        messages = [m for m in g.objects(node, SH.message) if getattr(m, "language", None) == "en"]
        if not messages or not all(str(m).strip() for m in messages):
            missing.append(node)
    assert not missing, f"shapes without an English sh:message: {missing}"


def test_shapes_are_named_not_blank():
    # stable IRIs so that sh:sourceShape in a report says which rule failed
    g = shapes_graph()
    for kind in (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint):
        for node in g.subjects(RDF.type, kind):
            assert isinstance(node, URIRef), node
    for prop in g.objects(None, SH.property):
        assert isinstance(prop, URIRef), prop


def test_target_classes_are_declared_in_the_ontology():
    from rdflib import OWL

    ontology = ontology_graph()
    for cls in set(shapes_graph().objects(None, SH.targetClass)):
        assert (cls, RDF.type, OWL.Class) in ontology, f"{cls} is targeted but not declared owl:Class"


# --- fixtures --------------------------------------------------------------------------------------------


def test_complete_example_conforms():
    conforms, _, results, text = validate()
    assert conforms, text
    assert results == []


@pytest.mark.parametrize("fixture", sorted(p.name for p in (FIXTURES / "valid").glob("*.ttl")))
def test_valid_fixture_conforms(fixture):
    overlay = FIXTURES / "valid" / fixture
    conforms, _, _, text = validate() if overlay == BASE_FIXTURE else validate(overlay)
    assert conforms, text


def test_every_invalid_fixture_has_expectations():
    on_disk = {p.stem for p in (FIXTURES / "invalid").glob("*.ttl")}
    assert on_disk == set(INVALID), f"fixtures vs INVALID table differ: {on_disk ^ set(INVALID)}"


@pytest.mark.parametrize("fixture", sorted(INVALID))
def test_invalid_fixture_fails_with_expected_result(fixture):
    conforms, report, results, text = validate(FIXTURES / "invalid" / f"{fixture}.ttl")
    assert not conforms
    assert set(results) == INVALID[fixture], text
    # every result carries the plain-words message of the rule that failed
    g = shapes_graph()
    for node in report.objects(None, SH.result):
        rule = report.value(node, SH.sourceConstraint) or report.value(node, SH.sourceShape)
        expected = {str(m) for m in g.objects(rule, SH.message)}
        got = {str(m) for m in report.objects(node, SH.resultMessage)}
        assert expected and got == expected, (fixture, got, expected)


def test_rdfs_inference_would_hide_wrong_links():
    """Why the build must validate with inference='none' (rdfs:range would make the person an organisation)."""
    fixture = FIXTURES / "invalid" / "wrong-class-link.ttl"
    assert not validate(fixture, inference="none")[0]
    # OWL-RL inference swaps rdflib's literal converters process-wide for its own, whose gMonthDay check
    # rejects every valid "--MM-DD": without the restore, later validations in this process see false violations.
    saved = dict(rdflib.term._toPythonMapping)
    try:
        assert validate(fixture, inference="rdfs")[0]
    finally:
        rdflib.term._toPythonMapping.clear()
        rdflib.term._toPythonMapping.update(saved)


def test_vocabularies_must_be_in_the_data_graph():
    """pySHACL does not copy SKOS concepts from ont_graph: without the vocabularies every kind check fails."""
    data = Graph().parse(BASE_FIXTURE, format="turtle")
    ont = ontology_graph() + Graph()
    for path in VOCAB:
        ont.parse(path, format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), ont_graph=ont, inference="none")
    assert not conforms
    shapes = set(report.objects(None, SH.sourceShape))
    assert HRSH["Recognition-criterion"] in shapes
