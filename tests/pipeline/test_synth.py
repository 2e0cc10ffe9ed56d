"""`hrgraph synth` (deterministic, valid, every claim kind, every saved query answered, quotes that really
occur) and `hrgraph build --input` (imported RDF validated and published like the rest, failing resources held
back one by one)."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from hrgraph.pipeline.synth import sample_parameters, sources_dir_for, synth
from hrgraph.web import saved
from hrgraph.web.queries import bind, params_of

from conftest import REPO, copy_project

OA = "http://www.w3.org/ns/oa#"
EXACT_AT = f"""
SELECT ?file ?exact ?start ?end WHERE {{
  ?t <{OA}hasSource> ?doc ; <{OA}hasSelector> ?q, ?p .
  ?doc <http://purl.org/dc/terms/identifier> ?file .
  ?q <{OA}exact> ?exact . ?p <{OA}start> ?start ; <{OA}end> ?end }}"""


def test_same_seed_same_bytes_and_about_120_triples_a_person(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    n = synth(200, a, seed=3, ontology_file=REPO / "ontology/hrgraph.ttl")
    synth(200, b, seed=3, ontology_file=REPO / "ontology/hrgraph.ttl")
    synth(200, c, seed=4, ontology_file=REPO / "ontology/hrgraph.ttl")
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    assert 100 * 200 <= n <= 140 * 200
    assert n == len(a.read_text(encoding="utf-8").splitlines())


def test_every_quote_occurs_at_its_offsets_in_a_generated_source(tmp_path: Path) -> None:
    out = tmp_path / "g.nt.gz"
    synth(60, out, ontology_file=REPO / "ontology/hrgraph.ttl")
    store = ox.Store()
    with gzip.open(out, "rb") as fh:
        store.bulk_load(fh, format=ox.RdfFormat.N_TRIPLES)
    rows = list(store.query(EXACT_AT))
    assert len(rows) > 150
    texts: dict[str, str] = {}
    for r in rows:
        file = r["file"].value
        text = texts.setdefault(file, (sources_dir_for(out) / file).read_text(encoding="utf-8"))
        assert text[int(r["start"].value):int(r["end"].value)] == r["exact"].value


def test_build_input_publishes_imported_rdf_and_holds_back_bad_resources(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "site")
    graph = tmp_path / "g.nt"
    synth(40, graph, ontology_file=REPO / "ontology/hrgraph.ttl")
    broken = tmp_path / "broken.ttl"
    broken.write_text("""
        @prefix hr: <https://w3id.org/hrgraph/ontology#> .
        <https://w3id.org/hrgraph/id/charge/imported-bad> a hr:Charge, hr:Claim ;
            hr:person <https://w3id.org/hrgraph/id/person/p000001> .
    """, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(root), "build", "--input", str(graph),
                           str(broken)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "imported-bad" in done.stdout
    published = (root / "dist/hrgraph.ttl").read_text(encoding="utf-8")
    assert "imported-bad" not in published and "p000039" in published and "andrei-aliaksandrau" in published
    assert "imported-bad" in (root / "dist/quarantine.ttl").read_text(encoding="utf-8")
    held = done.stdout[done.stdout.index("held back"):]
    assert held.count("\n  - ") == 1, held  # the broken resource only: no synthetic record clashes with curated


def test_a_broken_input_file_is_an_input_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "site")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> ", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(root), "build", "--input", str(bad)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and "bad.ttl" in done.stderr and "Traceback" not in done.stderr


def test_every_saved_query_answers_on_a_small_synthetic_graph_alone(tmp_path: Path) -> None:
    """No curated data beside it: each query of queries/ (its parameters bound to synthetic resources, as
    `?person=<IRI>` binds them on the web) returns rows, so the bench measures every query at any size."""
    out = tmp_path / "g.nt"
    synth(400, out, ontology_file=REPO / "ontology/hrgraph.ttl")
    store = ox.Store()
    store.bulk_load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
    samples = sample_parameters()
    empty = []
    for query in saved.load_all(REPO / "queries"):
        params = {p.name for p in params_of(query)}
        assert params <= set(samples), f"{query.name}: no synthetic value for {params - set(samples)}"
        text, used = bind(query, {name: samples[name] for name in params})
        assert all(used[name] == samples[name] for name in params)
        if not list(store.query(text)):  # type: ignore[arg-type]
            empty.append(query.name)
    assert not empty, f"no rows on the synthetic graph: {empty}"


def test_who_is_charged_under_an_article_agrees_with_the_count_per_article(tmp_path: Path) -> None:
    """`political-prisoners-by-article` counts, `political-prisoners-charged-under` lists: for every article of
    a synthetic graph (hundreds of charges, some persons charged twice), the list has as many persons as the
    count, so the count's "who" is one request away. (Every synthetic person is recognised: that the list
    leaves out persons nobody recognised is tested on the curated data, tests/web/test_saved_queries.py.)"""
    out = tmp_path / "g.nt"
    synth(400, out, ontology_file=REPO / "ontology/hrgraph.ttl")
    store = ox.Store()
    store.bulk_load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
    queries = {q.name: q for q in saved.load_all(REPO / "queries")}
    counts = {r["article"].value: int(r["politicalPrisoners"].value)  # type: ignore[index]
              for r in store.query(queries["political-prisoners-by-article"].text)}  # type: ignore[union-attr]
    assert len(counts) >= 10 and sum(counts.values()) > 100
    for article, n in counts.items():
        text, _ = bind(queries["political-prisoners-charged-under"], {"article": article})
        listed = {r["person"].value for r in store.query(text)}  # type: ignore[index, union-attr]
        assert len(listed) == n, article


def test_every_class_and_claim_kind_of_the_ontology_occurs(tmp_path: Path) -> None:
    """Each class the ontology defines in its own namespace has instances (claims, events, statements,
    legislation, mechanisms and organisations of every kind), and every demand type is demanded."""
    out = tmp_path / "g.nt"
    synth(400, out, ontology_file=REPO / "ontology/hrgraph.ttl")
    store = ox.Store()
    store.bulk_load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=str(REPO / "ontology/hrgraph.ttl"), format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode("urn:ontology"))
    missing = [r["c"].value for r in store.query("""
        SELECT ?c WHERE { GRAPH <urn:ontology> { ?c a <http://www.w3.org/2002/07/owl#Class> }
                          FILTER(STRSTARTS(STR(?c), "https://w3id.org/hrgraph/ontology#"))
                          FILTER NOT EXISTS { ?x a ?c } }""")]  # type: ignore[index, union-attr]
    assert not missing, missing
    store.bulk_load(path=str(REPO / "ontology/vocab/demand-type.ttl"), format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode("urn:vocab"))
    undemanded = [r["t"].value for r in store.query("""
        SELECT ?t WHERE { GRAPH <urn:vocab> { ?t a <http://www.w3.org/2004/02/skos/core#Concept> }
                          FILTER NOT EXISTS { ?d <https://w3id.org/hrgraph/ontology#demandType> ?t } }""")]  # type: ignore
    assert not undemanded, undemanded
