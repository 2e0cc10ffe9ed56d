"""The dumps: sorted N-Triples written from the terms, Turtle by pyoxigraph, the streaming JSON-LD writer and
the VoID counts. Each dump must parse back (with rdflib, an independent parser) to exactly the graph given."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from hrgraph.formats.jsonld import Compactor, write_jsonld
from hrgraph.model.namespaces import HR, Iris
from hrgraph.pipeline import dumps, ntriples
from hrgraph.pipeline.dumps import Dump
from hrgraph.pipeline.void import DatasetPublisher, describe_dataset, graph_stats, modified_day

BASE = "https://w3id.org/hrgraph/"
P1, P2 = URIRef(f"{BASE}id/person/p1"), URIRef(f"{BASE}id/person/p2")
CONTEXT = {"@context": {"hr": str(HR), "rdfs": str(RDFS), "xsd": str(XSD), "skos": str(SKOS),
                        "Person": "hr:Person", "person": {"@id": "hr:person", "@type": "@id"},
                        "sentence": "hr:sentence"}}
TRICKY = [
    (P1, RDF.type, HR.Person), (P1, RDF.type, URIRef("http://schema.org/Person")),
    (P1, RDFS.label, Literal("Ales \"the\" Bialiatski\\ \n\r\t\x01 end", lang="en")),
    (P1, RDFS.label, Literal("Алесь Бяляцкі", lang="be")),
    (P1, SKOS.altLabel, Literal("plain string")),
    (P1, HR.sentence, Literal("2021-08-04", datatype=XSD.date)),
    (P1, HR.sentence, URIRef(f"{BASE}id/event/e1")),  # an IRI under a term that is not @id-coerced
    (P1, HR.person, P2),  # an @id-coerced term: a bare string is an IRI
    (P1, HR.person, Literal("not an IRI")),  # ... so a plain literal under it needs {"@value": ...}
    (P1, HR.person, Literal("7", datatype=XSD.integer)),
    (P2, URIRef("urn:example:no-prefix"), Literal("x")),
    (P2, RDFS.seeAlso, BNode("b1")), (BNode("b1"), RDFS.label, Literal("a blank node")),
    (P2, RDF.type, BNode("b2")),
]


def triples_of(graph: Graph) -> set[tuple[object, object, object]]:
    return set(graph)


def expected() -> set[tuple[object, object, object]]:
    g = Graph()
    for t in TRICKY:
        g.add(t)
    return set(g)


def canonical(triples: set[tuple[object, object, object]]) -> set[tuple[str, str, str]]:
    """Blank node labels are not kept by every parser: compare them as '_'."""
    return {tuple("_" if isinstance(x, BNode) else x.n3() for x in t) for t in triples}  # type: ignore[misc]


def test_ntriples_are_sorted_unique_and_parse_back_to_the_graph() -> None:
    dump = Dump.of(TRICKY + TRICKY[:3])
    lines = dump.ntriples.decode("utf-8").splitlines()
    assert lines == sorted(set(lines)) and len(lines) == len(TRICKY) == len(dump)
    assert canonical(set(Graph().parse(data=dump.ntriples, format="nt"))) == canonical(expected())
    ox_literals = [ox.Literal(str(o)) for _, _, o in TRICKY if isinstance(o, Literal) and not o.language
                   and o.datatype is None]
    for lit in ox_literals:  # our fast path writes what pyoxigraph (canonical N-Triples) writes
        assert ntriples.nt_term(Literal(lit.value)) == str(lit)
    assert ntriples.nt_term(TRICKY[2][2]) == str(ox.Literal(TRICKY[2][2], language="en"))


def test_the_same_graph_in_any_order_gives_the_same_bytes(tmp_path: Path) -> None:
    a, b = Dump.of(TRICKY), Dump.of(list(reversed(TRICKY)))
    assert a.ntriples == b.ntriples
    for name, dump in (("a", a), ("b", b)):
        dumps.write_turtle(dump, tmp_path / f"{name}.ttl")
        dumps.write_ntriples_gz(dump, tmp_path / f"{name}.nt.gz")
        write_jsonld(dump.triples, tmp_path / f"{name}.jsonld", CONTEXT)
    for ext in ("ttl", "nt.gz", "jsonld"):
        assert (tmp_path / f"a.{ext}").read_bytes() == (tmp_path / f"b.{ext}").read_bytes(), ext
    assert gzip.decompress((tmp_path / "a.nt.gz").read_bytes()) == a.ntriples


def test_turtle_uses_the_prefixes_and_parses_back(tmp_path: Path) -> None:
    dumps.write_turtle(Dump.of(TRICKY), tmp_path / "g.ttl")
    text = (tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "@prefix hr: <https://w3id.org/hrgraph/ontology#> ." in text and "\thr:person " in text
    assert canonical(set(Graph().parse(tmp_path / "g.ttl", format="turtle"))) == canonical(expected())


def test_jsonld_expands_to_the_same_triples_and_is_compacted_with_the_context(tmp_path: Path) -> None:
    write_jsonld(Dump.of(TRICKY).triples, tmp_path / "g.jsonld", CONTEXT)
    assert canonical(set(Graph().parse(tmp_path / "g.jsonld", format="json-ld"))) == canonical(expected())
    doc = json.loads((tmp_path / "g.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == CONTEXT["@context"]
    p1 = next(n for n in doc["@graph"] if n["@id"] == str(P1))
    assert sorted(p1["@type"]) == ["Person", "http://schema.org/Person"]
    assert str(P2) in p1["person"] and {"@value": "not an IRI"} in p1["person"]
    assert p1["skos:altLabel"] == "plain string"
    assert {"@type": "xsd:date", "@value": "2021-08-04"} in p1["sentence"]


def test_an_empty_graph_is_valid_everywhere(tmp_path: Path) -> None:
    empty = Dump.of([])
    assert empty.ntriples == b"" and len(empty) == 0
    write_jsonld(empty.triples, tmp_path / "e.jsonld", CONTEXT)
    assert json.loads((tmp_path / "e.jsonld").read_text(encoding="utf-8"))["@graph"] == []


def test_compaction_never_makes_a_name_the_context_cannot_expand() -> None:
    c = Compactor.of(CONTEXT["@context"])
    assert c.vocab(str(HR.person)) == "person" and c.coerced(str(HR.person))
    assert c.vocab(f"{HR}other") == "hr:other"  # not in the ontology: a compact IRI, never an undefined bare name
    assert c.iri("http://www.w3.org/2001/XMLSchema#") == "http://www.w3.org/2001/XMLSchema#"  # empty local part
    assert c.iri("https://example.org/x") == "https://example.org/x"


def test_void_counts_our_entities_by_class() -> None:
    doc = URIRef(f"{BASE}id/source/s1")
    extra = [(doc, RDF.type, HR.SourceDocument), (URIRef(f"{BASE}id/evidence/e#quote"), RDF.type, HR.Person)]
    stats = graph_stats(dumps.sorted_lines(TRICKY + TRICKY + extra), BASE)
    assert stats.triples == len(TRICKY) + 2
    assert stats.entities == 3  # p1, p2 and the source; not the fragment, not the blank node
    assert stats.classes == {str(HR.Person): 1, "http://schema.org/Person": 1, str(HR.SourceDocument): 1}
    assert stats.sources == [str(doc)]


def test_void_names_publisher_contact_modified_and_the_reconciliation_service(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text("a"), new.write_text("b")
    os.utime(old, (0, 86_400 * 10)), os.utime(new, (0, 86_400 * 20))
    assert modified_day([tmp_path]) == "1970-01-21" and modified_day([old]) == "1970-01-11"
    assert modified_day([tmp_path], epoch=86_400 * 365) == "1971-01-01"  # SOURCE_DATE_EPOCH wins
    triples = describe_dataset(graph_stats([], BASE), Iris(BASE), "1.0", "b1",
                               DatasetPublisher("Example NGO", "mailto:data@example.org", "2026-05-01"))
    g = Graph()
    for t in triples:
        g.add(t)
    ds = URIRef(f"{BASE}dataset")
    point = g.value(ds, DCAT.contactPoint)
    assert g.value(point, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")) == URIRef("mailto:data@example.org")
    assert str(g.value(g.value(ds, DCTERMS.publisher), FOAF.name)) == "Example NGO"
    assert str(g.value(ds, DCTERMS.modified)) == "2026-05-01"
    assert (URIRef(f"{BASE}reconcile"), DCAT.servesDataset, ds) in g


@pytest.fixture(scope="module")
def published(built_root: Path) -> dict[str, set[tuple[object, object, object]]]:
    dist = built_root / "dist"
    return {"nt": set(Graph().parse(data=gzip.decompress((dist / "hrgraph.nt.gz").read_bytes()), format="nt")),
            "ttl": set(Graph().parse(dist / "hrgraph.ttl", format="turtle")),
            "jsonld": set(Graph().parse(dist / "hrgraph.jsonld", format="json-ld"))}


def test_the_real_dumps_hold_exactly_the_same_triples(published: dict[str, set[object]]) -> None:
    assert len(published["nt"]) > 1000
    assert published["ttl"] == published["nt"] == published["jsonld"]


def test_the_build_id_hashes_the_ntriples_and_void_counts_them(built_root: Path) -> None:
    dist = built_root / "dist"
    nt = gzip.decompress((dist / "hrgraph.nt.gz").read_bytes())
    build = json.loads((dist / "build.json").read_text(encoding="utf-8"))
    assert build["build_id"] == hashlib.sha256(nt).hexdigest()[:16]
    assert build["triples"] == len(nt.splitlines())
    void = Graph().parse(dist / "void.ttl")
    assert int(void.value(URIRef(f"{BASE}dataset"), URIRef("http://rdfs.org/ns/void#triples"))) == build["triples"]
    context = json.loads((dist / "context.jsonld").read_text(encoding="utf-8"))
    assert json.loads((dist / "hrgraph.jsonld").read_text(encoding="utf-8"))["@context"] == context["@context"]
