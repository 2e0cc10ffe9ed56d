"""`describe` reads a resource through lookups (`Store.outgoing` / `Store.incoming`), not queries: these tests
hold it to the SPARQL it replaced (kept here as the reference), for every resource of the real build and of a
generated graph with every claim kind, from the in-memory copy a server holds and from the store on disk."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrgraph.config import Settings
from hrgraph.model.vocab import DCTERMS, HR, OA, RDFS
from hrgraph.pipeline.synth import synth
from hrgraph.store.embedded import EmbeddedStore, in_memory, open_build, open_current, open_embedded
from hrgraph.store.embedded_publish import current_build, load_graph, publish
from hrgraph.store.recorded import Recorded
from hrgraph.web.describe import (
    AGENT_CLASSES,
    CLAIM_CLASSES,
    MAX_MENTIONS,
    STATEMENT_FIELDS,
    Description,
    describe,
    incoming_query,
    linked,
)
from hrgraph.web.labels import LABEL_PROPERTIES, best_of
from hrgraph.web.terms import sparql_iri, sparql_string
from hrgraph.xref.facts import person_facts

REPO = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/hrgraph/"


# --- the reference: the queries `describe` ran before it looked things up ----------------------------------

def reference(store: EmbeddedStore, iri: str) -> Description:
    node, prefix = sparql_iri(iri), sparql_string(iri + "#")
    frag = f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix}))"
    mid = f"FILTER(isIRI(?m) && STRSTARTS(STR(?m), {prefix}))"
    d = Description(iri, 1, store.construct(f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
      {{ BIND({node} AS ?s) {node} ?p ?o }} UNION {{ {node} ?p1 ?s {frag} ?s ?p ?o }}
      UNION {{ {node} ?p1 ?m {mid} ?m ?p2 ?s {frag} ?s ?p ?o }}
      UNION {{ ?s <{RDFS.isDefinedBy}> {node} {frag} ?s ?p ?o }} }}"""))
    if set(d.types) & (AGENT_CLASSES | CLAIM_CLASSES):
        claims = (f"{{ ?c <{HR.person}> {node} }} UNION {{ ?c <{HR.organisation}> {node} }} "
                  f"UNION {{ BIND({node} AS ?c) }}") if set(d.types) & AGENT_CLASSES else f"BIND({node} AS ?c)"
        ctx = store.construct(f"CONSTRUCT {{ ?c ?cp ?co }} WHERE {{ {claims} ?c ?cp ?co }}")
        ctx += store.construct(f"""CONSTRUCT {{ ?ann <{OA.hasBody}> ?c ; <{OA.hasTarget}> ?t .
              ?t <{OA.hasSource}> ?src ; <{OA.hasSelector}> ?sel . ?sel <{OA.exact}> ?exact }}
            WHERE {{ {claims} ?c <{HR.hasEvidence}> ?ann . ?ann <{OA.hasTarget}> ?t . ?t <{OA.hasSource}> ?src ;
              <{OA.hasSelector}> ?sel . ?sel <{OA.exact}> ?exact }}""")
        statements = {t.object.value for t in ctx if t.predicate.value == str(HR.statedIn)}
        rows = store.select(f"SELECT DISTINCT ?st WHERE {{ ?st <{HR.mentions}> {node} }} ORDER BY ?st "
                            f"LIMIT {MAX_MENTIONS}")
        statements |= {r["st"].value for r in rows}
        if statements:
            values = " ".join(sparql_iri(st) for st in sorted(statements))
            fields = ", ".join(f"<{p}>" for p in STATEMENT_FIELDS)
            ctx += store.construct(f"CONSTRUCT {{ ?st ?sp ?so }} WHERE {{ VALUES ?st {{ {values} }} "
                                   f"?st ?sp ?so FILTER(?sp IN ({fields})) }}")
        d.context = ctx
    d.incoming = [(r["s"].value, r["p"].value) for r in store.select(incoming_query(iri, 51, 0))][:50]
    values = " ".join(sparql_iri(i) for i in linked(d))
    props = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    found = store.construct(f"CONSTRUCT {{ ?x ?p ?l }} WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?l "
                            f"FILTER(?p IN ({props})) }}")
    d.labels = best_of((t.subject.value, t.predicate.value, t.object) for t in found)
    return d


def same(a: Description, b: Description) -> None:
    assert set(a.triples) == set(b.triples), a.iri
    assert set(a.context) == set(b.context), a.iri
    assert a.incoming == b.incoming, a.iri
    assert a.labels == b.labels, a.iri


def resources(store: EmbeddedStore) -> list[str]:
    rows = store.select(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), '{BASE}') "
                        "&& !CONTAINS(STR(?s), '#')) }")
    return sorted(r["s"].value for r in rows)


def test_the_real_build_is_described_alike_in_memory_and_on_disk(built_root: Path) -> None:
    settings = Settings(root=built_root)
    disk = open_current(settings)
    memory = open_build(settings.store_dir / current_build(settings.store_dir), settings, workers=False, memory=True)
    try:
        assert memory.in_memory and not disk.in_memory  # the seed build is far below HRGRAPH_MEMORY_TRIPLES
        everything = resources(disk)
        assert len(everything) > 300
        described = 0
        for iri in everything:
            expected = reference(disk, iri)
            same(describe(disk, iri), expected)
            same(describe(memory, iri), expected)
            described += bool(expected.context)
        assert described > 100  # persons, organisations, claims and events with their context
    finally:
        disk.close()
        memory.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[EmbeddedStore, EmbeddedStore]:
    """A generated graph (every claim kind, evidence on every claim) on disk and the same in memory."""
    root = tmp_path_factory.mktemp("generated")
    synth(60, root / "g.nt", ontology_file=REPO / "ontology/hrgraph.ttl")
    graphs = {BASE + "graph/data": root / "g.nt", BASE + "graph/ontology": REPO / "ontology/hrgraph.ttl"}
    publish(graphs, root / "var/store", build_id="generated")
    disk = open_current(Settings(root=root))
    copy = ox.Store()
    for graph, path in graphs.items():
        load_graph(copy, graph, path)
    return disk, EmbeddedStore(copy, "generated", root, memory=copy)


def test_a_generated_graph_is_described_as_the_queries_describe_it(generated: tuple[EmbeddedStore, ...]) -> None:
    disk, memory = generated
    everything = resources(disk)
    assert len(everything) > 500
    for iri in everything:
        expected = reference(disk, iri)
        same(describe(disk, iri), expected)
        same(describe(memory, iri), expected)
    ontology = BASE + "ontology"  # not a subject under BASE/id, but a document of its own
    same(describe(memory, ontology), reference(disk, ontology))


def test_a_server_holds_a_small_build_in_memory_and_a_large_one_on_disk(built_root: Path) -> None:
    for triples, held in ((2_000_000, True), (1000, False)):
        stores = open_embedded(Settings(root=built_root, memory_triples=triples), workers=False)
        try:
            store = stores.checkout()
            assert store.in_memory is held
            assert describe(store, BASE + "ontology").triples
            stores.checkin(store)
        finally:
            stores.close()


def test_a_build_too_large_or_without_its_files_is_served_from_disk(built_root: Path, tmp_path: Path) -> None:
    settings = Settings(root=built_root)
    build = settings.store_dir / current_build(settings.store_dir)
    assert in_memory(build, settings) is not None
    assert in_memory(build, settings.with_(memory_triples=1000)) is None  # the seed build has more
    assert in_memory(build, settings.with_(memory_triples=0)) is None
    assert in_memory(tmp_path, settings) is None  # no files/build.json: not a build of `hrgraph build`


def test_lookups_take_every_graph_once_and_skip_what_they_cannot_name(generated: tuple[EmbeddedStore, ...]) -> None:
    disk, memory = generated
    person = ox.NamedNode(BASE + "id/person/p000001")
    for store in (disk, memory):
        own = store.outgoing([person, person])
        assert own and len(own) == len(set(own))
        assert {t.predicate.value for t in store.outgoing([person], [str(RDFS.label)])} <= {str(RDFS.label)}
        claims = store.incoming([person], [str(HR.person)])
        assert claims and all(t.object == person for t in claims)
        assert store.outgoing([]) == []
        assert store.outgoing([ox.NamedNode(BASE + "id/person/nobody")]) == []
    statements = [t.subject for t in disk.incoming([ox.NamedNode(str(HR.Statement))])]
    titles = disk.outgoing(statements, [str(DCTERMS.title), str(HR.date)])
    assert titles and {t.predicate.value for t in titles} <= {str(DCTERMS.title), str(HR.date)}


def test_pages_of_incoming_links_are_the_engines_read_whole_or_cut_by_it(
        generated: tuple[EmbeddedStore, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    """Links are ordered by predicate then subject and paged alike whether Python reads them all (a resource's
    few) or the engine orders and cuts them (a hub's, here forced by a tiny `MAX_INCOMING_READ`)."""
    from hrgraph.web import describe as module

    disk, memory = generated
    hubs = [str(HR.Charge), str(HR.Recognition), BASE + "id/person/p000001"]
    for iri in hubs:
        pages = [[(r["s"].value, r["p"].value) for r in disk.select(incoming_query(iri, 11, offset))]
                 for offset in (0, 10, 20)]
        assert pages[0], iri
        for store in (disk, memory):
            assert [module.incoming(store, ox.NamedNode(iri), 11, offset) for offset in (0, 10, 20)] == pages
            monkeypatch.setattr(module, "MAX_INCOMING_READ", 3)
            assert [module.incoming(store, ox.NamedNode(iri), 11, offset) for offset in (0, 10, 20)] == pages
            monkeypatch.undo()


class Counting:
    """A store whose outgoing and incoming count the (node, predicate) patterns asked of it."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store, self.patterns, self.queries = store, 0, 0

    def select(self, query: str) -> list[dict[str, ox.NamedNode]]:
        self.queries += 1
        return self.store.select(query)

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)

    def outgoing(self, subjects: list, predicates: tuple[str, ...] = ()) -> list[ox.Triple]:
        subjects = list(subjects)
        self.patterns += len(subjects) * max(1, len(predicates))
        return self.store.outgoing(subjects, predicates)

    def incoming(self, objects: list, predicates: tuple[str, ...] = (), limit: int | None = None) -> list[ox.Triple]:
        objects = list(objects)
        self.patterns += len(objects) * max(1, len(predicates))
        return self.store.incoming(objects, predicates, limit)


def test_a_page_read_through_one_recorded_store_reads_each_triple_once_and_gets_what_the_store_says(
        generated: tuple[EmbeddedStore, ...]) -> None:
    """A person's description and case facts read through one `Recorded` get exactly what each would get from
    the store (same triples, same order), and the facts no longer read the claims and names again."""
    disk, _ = generated
    persons = [iri for iri in resources(disk) if "/id/person/p0000" in iri]
    assert len(persons) >= 10
    direct = person_facts(disk, persons)
    for iri in persons:
        counting = Counting(disk)
        reader = Recorded(counting)
        d = describe(reader, iri)
        same(d, describe(disk, iri))
        before = counting.patterns
        assert person_facts(reader, [iri])[iri] == direct[iri]
        again = Counting(disk)
        person_facts(again, [iri])
        assert counting.patterns - before < again.patterns  # the claims and the person's names were read already
        node = ox.NamedNode(iri)
        claims = [t.subject for t in disk.incoming([node], [str(HR.person)])]
        for fields in ((), (str(HR.date), str(RDFS.label)), (str(HR.statedIn),)):
            assert reader.outgoing(claims + [node, node], fields) == disk.outgoing(claims + [node, node], fields)
        assert reader.incoming([node], [str(HR.person)]) == disk.incoming([node], [str(HR.person)])
        assert reader.incoming([node], limit=2) == disk.incoming([node], limit=2)
    assert Recorded(disk).outgoing([]) == [] and Recorded(disk).build_id == disk.build_id


def test_what_statements_were_addressed_to_is_asked_once_for_what_the_caller_keeps(
        generated: tuple[EmbeddedStore, ...]) -> None:
    """The mechanisms each statement was raised with are the same on every page naming it within a build: asked
    once into what the caller keeps for the build, answered the same from there, asked again without it."""
    disk, _ = generated
    persons = [iri for iri in resources(disk) if "/id/person/p0000" in iri]
    kept: dict[str, frozenset[str]] = {}
    first = Counting(disk)
    facts = person_facts(first, persons, kept)
    assert first.queries >= 1 and kept and any(f.mechanisms for f in facts.values())
    again = Counting(disk)
    assert person_facts(again, persons, kept) == facts and again.queries == 0
    alone = Counting(disk)
    assert person_facts(alone, persons) == facts and alone.queries >= 1
