"""The build over the real curated data: dumps, the SHACL gate, provenance, determinism, bad input."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph

from conftest import REPO, copy_project

DUMPS = ("hrgraph.ttl", "hrgraph.nt.gz", "hrgraph.jsonld", "void.ttl", "context.jsonld")
PREFIXES = """
PREFIX hr: <https://w3id.org/hrgraph/ontology#>   PREFIX schema: <http://schema.org/>
PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>             PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def run_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(root), "build"],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def graph(built_root: Path) -> Graph:
    return Graph().parse(built_root / "dist" / "hrgraph.ttl")


def count(graph: Graph, where: str) -> int:
    return int(next(iter(graph.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {where} }}")))[0])


def test_build_writes_every_dump(built_root: Path) -> None:
    for name in DUMPS:
        assert (built_root / "dist" / name).stat().st_size > 0, name
    nt = Graph().parse(data=gzip.decompress((built_root / "dist/hrgraph.nt.gz").read_bytes()), format="nt")
    ld = Graph().parse(built_root / "dist/hrgraph.jsonld", format="json-ld")
    assert len(nt) == len(ld) == len(Graph().parse(built_root / "dist/hrgraph.ttl")) > 1000


def test_published_turtle_conforms_to_shapes_independently(built_root: Path, graph: Graph) -> None:
    shapes = Graph()
    for path in sorted((REPO / "shapes").glob("*.ttl")):
        shapes.parse(path)
    ontology = Graph().parse(REPO / "ontology" / "hrgraph.ttl")
    conforms, _, text = validate(graph, shacl_graph=shapes, ont_graph=ontology, advanced=True, inference="none")
    assert conforms, text


def test_entities_are_found_through_standard_classes(graph: Graph) -> None:
    assert count(graph, "?s a schema:Person ; rdfs:label ?l") >= 40
    assert count(graph, "?s a schema:Organization . FILTER NOT EXISTS { ?s a hr:Mechanism }") >= 15
    assert count(graph, "?s a schema:CreativeWork . FILTER NOT EXISTS { ?s a hr:SourceDocument }") >= 18
    assert count(graph, "?s a eli:LegalResource ; eli:is_part_of ?code") >= 6
    assert count(graph, "?s a schema:Legislation") >= 6
    assert count(graph, "?s a hr:Mechanism") >= 5


def test_every_person_named_in_the_seeds_is_in_the_graph(graph: Graph) -> None:
    names = {line.strip() for line in (REPO / "tests/fixtures/gold_persons.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")}
    labels = {str(r.l) for r in graph.query(
        PREFIXES + "SELECT ?l WHERE { ?p a schema:Person ; rdfs:label|skos:altLabel ?l }")}
    assert len(names) >= 40
    missing = sorted(names - labels)
    assert not missing, f"persons of the seeds missing from the graph: {missing}"


def test_every_claim_has_provenance_and_a_verbatim_quote(built_root: Path, graph: Graph) -> None:
    rows = list(graph.query(PREFIXES + """
        SELECT ?claim ?file ?exact WHERE {
          ?claim a hr:Claim .
          OPTIONAL { ?claim prov:wasDerivedFrom ?doc . ?doc dct:identifier ?file .
                     ?claim hr:hasEvidence ?ann . ?ann oa:hasTarget ?t . ?t oa:hasSource ?doc ;
                        oa:hasSelector ?sel . ?sel oa:exact ?exact } }"""))
    assert len({r.claim for r in rows}) >= 50
    for claim, file, exact in rows:
        assert file is not None and exact, f"{claim} has no source document or evidence quote"
        text = (built_root / "data" / "sources" / str(file)).read_text(encoding="utf-8")
        assert str(exact) in text, f"{claim}: quote not verbatim in {file}"


def test_two_builds_are_byte_identical(built_root: Path, tmp_path: Path) -> None:
    other = copy_project(tmp_path)
    assert run_build(other).returncode == 0
    for name in DUMPS + ("validation-report.txt",):
        assert (other / "dist" / name).read_bytes() == (built_root / "dist" / name).read_bytes(), name


def test_yaml_syntax_error_names_file_and_line_and_leaves_dist(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    assert run_build(root).returncode == 0
    before = (root / "dist" / "hrgraph.ttl").read_bytes()
    (root / "data/curated/persons.yaml").write_text("persons:\n  - key: x\n    label: [unclosed\n", encoding="utf-8")
    done = run_build(root)
    assert done.returncode == 2
    assert "data/curated/persons.yaml:" in done.stderr and "YAML syntax error" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert (root / "dist" / "hrgraph.ttl").read_bytes() == before


def test_a_broken_record_is_held_back_and_the_rest_published(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    claims = root / "data/curated/claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8") + """
  - key: broken-charge
    type: charge
    person: no-such-person
    provision: no-such-provision
    statement: no-such-statement
    source: 000_ea40ffb1ad6f29d2.txt
    quote: "these words are not in the seed"
""", encoding="utf-8")
    done = run_build(root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "broken-charge" in done.stdout and "data/curated/claims.yaml:" in done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    quarantine = (root / "dist" / "quarantine.ttl").read_text(encoding="utf-8")
    assert "broken-charge" in quarantine
    published = (root / "dist" / "hrgraph.ttl").read_text(encoding="utf-8")
    assert "broken-charge" not in published and "andrei-aliaksandrau" in published
    report = (root / "dist" / "validation-report.txt").read_text(encoding="utf-8")
    assert "broken-charge" in report and "does not occur verbatim" in report


def test_a_class_the_ontology_does_not_have_holds_the_record_back(tmp_path: Path) -> None:
    """The ontology's names are closed (hrgraph.model.vocab): a misspelt `class:` is a problem of its record
    with its file and line, never a traceback and never a new IRI in the ontology's namespace."""
    root = copy_project(tmp_path)
    organisations = root / "data/curated/organisations.yaml"
    text = organisations.read_text(encoding="utf-8")
    assert "class: Association" in text
    organisations.write_text(text.replace("class: Association", "class: Asociation", 1), encoding="utf-8")
    done = run_build(root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "'class: Asociation' is not a class of the ontology" in done.stdout
    assert "data/curated/organisations.yaml:" in done.stdout
    assert "Asociation" not in (root / "dist" / "hrgraph.ttl").read_text(encoding="utf-8")


def test_ontology_plus_built_data_is_consistent_under_hermit(built_root: Path) -> None:
    from owl_check import JAVA_MISSING, check_consistency, dl_typing_problems, java_available, merge

    files = [REPO / "ontology/hrgraph.ttl", built_root / "dist/hrgraph.ttl"]
    problems = dl_typing_problems(merge(files))
    assert not problems, "OWL 2 DL typing problems in ontology + data:\n" + "\n".join(problems)
    if not java_available():
        pytest.skip(JAVA_MISSING)
    result = check_consistency(files)
    assert result.consistent, result.message
