"""The fast gate (shapes compiled to SPARQL on pyoxigraph) reports what pySHACL reports.

A synthetic graph gets one injected error of each constraint kind the shapes use; both engines must find
the same set of (focus node, path, constraint component). The curated build must gate identically too.
"""

from __future__ import annotations

from itertools import chain
from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from hrgraph.model.namespaces import ELI, HR, OA, SH
from hrgraph.pipeline.shacl import DataGraph, Shapes, Unsupported, validate
from hrgraph.pipeline.synth import synth

from conftest import REPO

BASE = "https://w3id.org/hrgraph/"
Key = tuple[str, str, str]


def _id(path: str) -> URIRef:
    return URIRef(BASE + path)


def read(paths: list[Path]) -> Graph:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, Graph, Graph]:
    out = tmp_path_factory.mktemp("synth") / "g.nt"
    synth(30, out, seed=7, ontology_file=REPO / "ontology/hrgraph.ttl")
    vocab = read(sorted((REPO / "ontology/vocab").glob("*.ttl")))
    ontology = read([REPO / "ontology/hrgraph.ttl"]) + vocab
    shapes = read(sorted((REPO / "shapes").glob("*.ttl")))
    data = Graph().parse(out, format="nt") + vocab
    return data, shapes, ontology


def inject(g: Graph) -> set[tuple[str, str]]:
    """One error per constraint kind; returns the (focus, component) pairs that must be found."""
    person, charge, rec = _id("id/person/p000003"), _id("id/charge/chg-p000004-1"), _id("id/recognition/rec-p000005")
    stmt, src = _id("id/statement/synth-00000"), _id("id/source/synth-00000")
    pos, quote = _id("id/evidence/charge-chg-p000006-1-1#position"), _id("id/evidence/charge-chg-p000007-1-1#quote")
    ann, mech = _id("id/evidence/recognition-rec-p000008-1"), _id("id/mechanism/synth-wgad")
    art, place = _id("eli/by-cc-synth/art/368"), _id("id/places/minsk")
    g.remove((person, RDFS.label, None))                                           # minCount
    g.add((rec, HR.person, _id("id/person/p000009")))                              # maxCount
    g.set((charge, HR.provision, person))                                          # class
    g.add((mech, HR.sessionNumber, Literal(52)))                                   # datatype (integer, not positive)
    g.set((_id("id/charge/chg-p000010-1"), HR.sentence, Literal("ten years")))      # datatype (no language)
    g.set((_id("id/charge/chg-p000011-1"), HR.date, Literal("5 May 2021")))         # or (no date type)
    g.set((_id("id/charge/chg-p000012-1"), HR.date, Literal("2021-13-45", datatype=XSD.date)))  # ill-formed
    g.set((src, HR.sha256, Literal("XYZ")))                                        # pattern
    g.set((art, ELI.number, Literal("Art. 368")))                                  # pattern
    g.add((_id("id/person/p000014"), RDFS.label, Literal("Person", lang="ru")))    # languageIn
    g.add((stmt, DCTERMS.title, Literal("Second title", lang="en")))               # uniqueLang
    g.set((ann, OA.motivatedBy, URIRef(f"{OA}commenting")))                        # in (not in the ontology)
    g.add((stmt, HR.mentions, Literal("a name, not a record")))                    # nodeKind
    g.set((rec, HR.criterion, URIRef(BASE + "vocab/demand-type/release")))         # node (+ hasValue inside)
    g.remove((_id("id/charge/chg-p000013-1"), PROV.wasDerivedFrom, None))          # qualifiedMinCount
    g.add((_id("id/charge/chg-p000013-1"), PROV.wasDerivedFrom, stmt))
    g.set((quote, OA.exact, Literal("")))                                          # minLength
    g.set((src, HR.characters, Literal(-1)))                                       # minInclusive + sparql
    g.set((pos, OA.start, Literal(10_000, datatype=XSD.nonNegativeInteger)))       # sparql (start >= end)
    g.add((place, RDF.type, HR.Place))                                             # a place with no label at all
    return {(str(f), c) for f, c in [
        (person, "MinCount"), (rec, "MaxCount"), (charge, "Class"), (mech, "Datatype"), (src, "Pattern"),
        (art, "Pattern"), (_id("id/person/p000014"), "LanguageIn"), (stmt, "UniqueLang"), (ann, "In"),
        (stmt, "NodeKind"),
        (rec, "Node"), (_id("id/charge/chg-p000013-1"), "QualifiedMinCount"), (quote, "MinLength"),
        (src, "MinInclusive"), (pos, "SPARQL"), (_id("id/charge/chg-p000011-1"), "Or"),
        (_id("id/charge/chg-p000012-1"), "Or"), (_id("id/charge/chg-p000010-1"), "Datatype")]}


def pyshacl_keys(data: Graph, shapes: Graph, ontology: Graph) -> set[Key]:
    _, report, _ = pyshacl_validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True,
                                    allow_warnings=True)
    top = {r for rep in report.subjects(RDF.type, SH.ValidationReport) for r in report.objects(rep, SH.result)}
    return {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath) or ""),
             str(report.value(r, SH.sourceConstraintComponent))) for r in top}


def fast_keys(data: Graph, shapes: Graph, ontology: Graph) -> set[Key]:
    results = validate(DataGraph(chain(ontology, data)), Shapes(shapes))
    return {(str(r.focus), str(r.path or ""), str(r.component)) for r in results}


def test_synthetic_graph_conforms_under_both_engines(inputs: tuple[Graph, Graph, Graph]) -> None:
    data, shapes, ontology = inputs
    assert fast_keys(data, shapes, ontology) == set()
    assert pyshacl_keys(data, shapes, ontology) == set()


def test_fast_gate_reports_what_pyshacl_reports(inputs: tuple[Graph, Graph, Graph]) -> None:
    data, shapes, ontology = inputs
    broken = Graph() + data
    expected = inject(broken)
    reference = pyshacl_keys(broken, shapes, ontology)
    fast = fast_keys(broken, shapes, ontology)
    assert fast == reference, f"only pySHACL: {sorted(reference - fast)}\nonly fast: {sorted(fast - reference)}"
    found = {(f, c.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")) for f, _, c in fast}
    assert expected <= found, f"injected errors not found: {sorted(expected - found)}"


@pytest.mark.parametrize("shape", [
    "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:rule [ a sh:TripleRule ] .",  # SHACL-AF
    "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:node <urn:s> ] .",
    "<urn:c> a sh:ConstraintComponent ; sh:parameter [ sh:path <urn:q> ] .",
])
def test_unsupported_shapes_fall_back(shape: str) -> None:
    shapes = Graph().parse(data=f"@prefix sh: <http://www.w3.org/ns/shacl#> .\n{shape}", format="turtle")
    with pytest.raises(Unsupported):
        Shapes(shapes)


def test_curated_build_gates_identically() -> None:
    from hrgraph.config import Settings
    from hrgraph.pipeline.prepare import emit_inputs, read_inputs, read_turtle
    from hrgraph.pipeline.reason import materialise, superclasses
    from hrgraph.pipeline.validate import gate

    settings = Settings(root=REPO)
    vocab = read_turtle(sorted((settings.ontology_dir / "vocab").glob("*.ttl")), REPO)
    ontology = read_turtle(sorted(settings.ontology_dir.glob("*.ttl")), REPO) + vocab
    shapes = read_turtle(sorted(settings.shapes_dir.glob("*.ttl")), REPO)
    emitted = emit_inputs(settings, read_inputs(settings), write_private=False).emitted
    materialise(emitted, superclasses(ontology))
    # a broken record, so that both engines have something to hold back
    bad = emitted[-1]
    bad.triples.append((bad.subject, HR.date, Literal("someday")))
    fast = gate(emitted, shapes, ontology, vocab)
    slow = gate(emitted, shapes, ontology, vocab, engine="pyshacl")
    key = [(p.record, p.rule, p.focus, p.severity) for p in slow.problems]
    assert [(p.record, p.rule, p.focus, p.severity) for p in fast.problems] == key
    assert [e.record.ref() for e in fast.held_back] == [e.record.ref() for e in slow.held_back]
    assert fast.conforms and slow.conforms and len(fast.published) == len(slow.published)


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_warnings_are_reported_and_published_violations_held_back(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Warning or Info result never keeps a record from being published (the curated data has some by
    design); a Violation holds its record back. Both engines decide alike."""
    from hrgraph.model.records import Origin, Record
    from hrgraph.pipeline.emit import Emitted
    from hrgraph.pipeline.validate import gate

    if engine == "pyshacl":
        monkeypatch.setenv("HRGRAPH_GATE", "pyshacl")
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:Named a sh:NodeShape ; sh:targetClass ex:Person ;
            sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity sh:Warning ] ;
            sh:property [ sh:path ex:note ; sh:maxCount 0 ; sh:severity sh:Info ] ;
            sh:property [ sh:path ex:age ; sh:maxCount 1 ] .""", format="turtle")
    ex = "http://example.org/"

    def record(key: str, *triples: tuple[str, str, object]) -> Emitted:
        s = URIRef(ex + key)
        e = Emitted(Record("persons", key, {}, Origin("persons.yaml", 1)), s)
        e.triples = [(s, RDF.type, URIRef(ex + "Person"))] + [(s, URIRef(ex + p), o) for _, p, o in triples]
        return e

    quiet = record("a", ("a", "name", Literal("A")))
    warned = record("b", ("b", "note", Literal("a note")))  # no name (Warning), a note (Info)
    wrong = record("c", ("c", "name", Literal("C")), ("c", "age", Literal(1)), ("c", "age", Literal(2)))
    result = gate([quiet, warned, wrong], shapes, Graph(), Graph())
    assert result.conforms
    assert [e.record.key for e in result.published] == ["a", "b"]
    assert [e.record.key for e in result.held_back] == ["c"]
    assert sorted(p.severity for p in result.problems if p.focus == ex + "b") == ["Info", "Warning"]


def test_random_damage_is_reported_alike(inputs: tuple[Graph, Graph, Graph]) -> None:
    """Damage no one chose (triples dropped, objects swapped for other nodes or literals of other types, extra
    values): both engines find the same. Literals that are plain strings are left out of the pool: rdflib's
    SPARQL orders "x" after 5700 where SPARQL makes it a type error, so pySHACL would differ there, wrongly."""
    import random

    data, shapes, ontology = inputs
    vocab = read(sorted((REPO / "ontology/vocab").glob("*.ttl")))
    triples = sorted(set(data) - set(vocab), key=str)  # the vocabularies are part of the ontology graph too
    nodes = sorted({s for s, _, _ in triples}, key=str)
    pool = [Literal(5), Literal(-3), Literal("2021-13-01", datatype=XSD.date), Literal("abc", datatype=XSD.integer),
            Literal(True), Literal("7", datatype=XSD.nonNegativeInteger), Literal("2021", datatype=XSD.gYear),
            Literal("1.5", datatype=XSD.decimal), Literal("y", lang="en"), Literal("y", lang="ru")]
    rnd, found = random.Random(11), 0
    for _ in range(4):
        g = Graph() + data
        for _ in range(rnd.randint(2, 8)):
            s, p, o = rnd.choice(triples)
            op = rnd.random()
            if op < 0.75:
                g.remove((s, p, o))
            if op >= 0.3:
                g.add((s, p, rnd.choice(pool if op < 0.55 else nodes if op < 0.8 else pool + nodes)))
        reference, fast = pyshacl_keys(g, shapes, ontology), fast_keys(g, shapes, ontology)
        assert fast == reference, f"only pySHACL: {sorted(reference - fast)}\nonly fast: {sorted(fast - reference)}"
        found += bool(fast)
    assert found >= 2, "the damage should mostly be found"
