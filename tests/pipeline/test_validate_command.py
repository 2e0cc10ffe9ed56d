"""`hrgraph validate DATA [--shapes S]`: a SHACL report in Turtle on stdout, exit codes that say what it found,
and bad input named by file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from hrgraph.model.namespaces import SH
from hrgraph.pipeline.synth import synth

from conftest import REPO

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def hrgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(REPO), "validate", *args],
                          capture_output=True, text=True, timeout=300)


def report_of(done: subprocess.CompletedProcess[str]) -> tuple[bool, set[tuple[str, str]]]:
    g = Graph().parse(data=done.stdout, format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    results = {(str(g.value(r, SH.focusNode)), str(g.value(r, SH.sourceConstraintComponent)).split("#")[1])
               for r in g.objects(report, SH.result)}
    return g.value(report, SH.conforms).toPython(), results


def write(path: Path, text: str) -> Path:
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def test_a_synthetic_graph_conforms_to_the_project_shapes(tmp_path: Path) -> None:
    graph = tmp_path / "g.nt"
    synth(30, graph, ontology_file=REPO / "ontology/hrgraph.ttl")
    done = hrgraph(str(graph))
    assert done.returncode == 0, done.stderr
    assert report_of(done) == (True, set())
    assert "conforms" in done.stderr


def test_violations_exit_1_with_each_result_in_the_report(tmp_path: Path) -> None:
    data = write(tmp_path / "d.ttl", """
        ex:a a ex:Person ; ex:age "old" .
        ex:b a ex:Person ; ex:age 30, 31 .""")
    shapes = write(tmp_path / "s.ttl", """
        ex:S a sh:NodeShape ; sh:targetClass ex:Person ;
            sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:maxCount 1 ] .""")
    done = hrgraph(str(data), "--shapes", str(shapes))
    assert done.returncode == 1, done.stderr
    assert report_of(done) == (False, {("http://example.org/a", "DatatypeConstraintComponent"),
                                       ("http://example.org/b", "MaxCountConstraintComponent")})


def test_warnings_alone_do_not_conform_yet_exit_3(tmp_path: Path) -> None:
    """sh:conforms is false for any result (the SHACL spec); the exit code says a build would still publish."""
    data = write(tmp_path / "d.ttl", "ex:a a ex:Person .")
    shapes = write(tmp_path / "s.ttl", """
        ex:S a sh:NodeShape ; sh:targetClass ex:Person ; sh:severity sh:Warning ;
            sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity sh:Info ] ;
            sh:class ex:Agent .""")
    done = hrgraph(str(data), "--shapes", str(shapes))
    assert done.returncode == 3, done.stderr
    assert report_of(done) == (False, {("http://example.org/a", "ClassConstraintComponent"),
                                       ("http://example.org/a", "MinCountConstraintComponent")})


def test_shapes_the_engine_refuses_are_validated_by_pyshacl(tmp_path: Path) -> None:
    data = write(tmp_path / "d.ttl", "ex:a a ex:Person ; ex:knows ex:b .")
    shapes = write(tmp_path / "s.ttl", """
        ex:S a sh:NodeShape ; sh:targetClass ex:Person ;
            sh:property [ sh:path ex:knows ; sh:node ex:S ] ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .""")
    done = hrgraph(str(data), "--shapes", str(shapes))
    assert done.returncode == 1, done.stderr
    assert ("http://example.org/a", "MinCountConstraintComponent") in report_of(done)[1]


@pytest.mark.parametrize("text, where", [
    ("ex:a ex:p ex:b .\nex:a ex:p \"unterminated .\n", "line 5"),  # three lines of prefixes above
    ("ex:a ex:p ex:b ;\n  ex:q [ .\n", "line 5"),  # three lines of prefixes above
])
def test_broken_data_is_named_by_file_and_line(tmp_path: Path, text: str, where: str) -> None:
    data = write(tmp_path / "broken.ttl", text)
    done = hrgraph(str(data))
    assert done.returncode == 2 and "broken.ttl" in done.stderr and where in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_missing_files_and_bad_shapes_are_input_errors(tmp_path: Path) -> None:
    done = hrgraph(str(tmp_path / "nothing.ttl"))
    assert done.returncode == 2 and "nothing.ttl" in done.stderr and "Traceback" not in done.stderr
    data = write(tmp_path / "d.ttl", "ex:a a ex:Person .")
    shapes = write(tmp_path / "s.ttl", "ex:S sh:targetClass ex:Person ; sh:property [ sh:path [ ex:x ex:y ] ] .")
    done = hrgraph(str(data), "--shapes", str(shapes))
    assert done.returncode == 2 and "s.ttl" in done.stderr and "path" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_the_report_names_complex_paths_in_full(tmp_path: Path) -> None:
    data = write(tmp_path / "d.ttl", "ex:a a ex:Person . ex:b ex:parent ex:a .")
    shapes = write(tmp_path / "s.ttl", """
        ex:S a sh:NodeShape ; sh:targetClass ex:Person ;
            sh:property [ sh:path [ sh:inversePath ex:parent ] ; sh:class ex:Person ] .""")
    done = hrgraph(str(data), "--shapes", str(shapes))
    assert done.returncode == 1
    g = Graph().parse(data=done.stdout, format="turtle")
    path = next(g.objects(None, SH.resultPath))
    assert g.value(path, SH.inversePath) == URIRef("http://example.org/parent")
