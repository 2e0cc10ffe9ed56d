"""The vocabulary module: generated from ontology/, current, closed, and the only place ontology IRIs are
written in the code."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
import rdflib

from hrgraph.model import vocab, vocabgen
from hrgraph.model.namespaces import PREFIXES
from hrgraph.model.vocab import HR, OA, PP_GUIDELINES_2013, SCHEMA, SCHEMES

REPO = Path(__file__).resolve().parents[2]


def test_the_generated_module_is_current() -> None:
    assert vocabgen.generate(REPO) == Path(vocab.__file__).read_text(encoding="utf-8"), \
        "src/hrgraph/model/vocab.py is stale: run `python -m hrgraph.model.vocabgen`"


def test_a_changed_ontology_makes_it_stale(tmp_path: Path) -> None:
    shutil.copytree(REPO / "ontology", tmp_path / "ontology")
    ttl = tmp_path / "ontology" / "hrgraph.ttl"
    ttl.write_text(ttl.read_text(encoding="utf-8") + '\nhr:Appeal a owl:Class ; rdfs:label "appeal"@en .\n',
                   encoding="utf-8")
    text = vocabgen.generate(tmp_path)
    assert "    Appeal: URIRef  # appeal\n" in text and text != Path(vocab.__file__).read_text(encoding="utf-8")
    assert vocabgen.main(["--check", "--root", str(tmp_path)]) == 1


def test_namespaces_are_closed() -> None:
    assert str(HR.Person) == "https://w3id.org/hrgraph/ontology#Person"
    assert str(SCHEMA.Person) == "http://schema.org/Person"  # as the data has it, not https
    assert str(PP_GUIDELINES_2013["not-stated"]) == "https://w3id.org/hrgraph/vocab/pp-guidelines-2013/not-stated"
    assert str(SCHEMES["demand-type"].release) == "https://w3id.org/hrgraph/vocab/demand-type/release"
    for typo in (lambda: HR.Persn, lambda: OA.commenting, lambda: PP_GUIDELINES_2013["3.1-d"]):
        with pytest.raises(AttributeError):
            typo()


def test_every_term_of_the_ontology_is_named() -> None:
    graph = rdflib.Graph().parse(REPO / "ontology" / "hrgraph.ttl")
    ours = {t for triple in graph for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith(str(HR))}
    assert ours and all(t in HR for t in ours)


def namespaces() -> list[str]:
    """Every namespace the ontology's names live in: the prefix table and the concept schemes."""
    return sorted({*PREFIXES.values(), *(str(ns) for ns in SCHEMES.values())}, key=len, reverse=True)


def iri_strings(path: Path) -> list[str]:
    """String literals of a Python file (f-strings' text included; comments and docstrings, which are prose,
    left out) that spell out one of those namespaces."""
    pattern = re.compile("|".join(re.escape(ns) for ns in namespaces()))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and pattern.search(node.value)]


@pytest.mark.parametrize("folder", ["src", "bench"])
def test_no_ontology_iri_is_written_as_a_string(folder: str) -> None:
    """Tests are left out: there a literal IRI is often the oracle (the ontology checked against the published
    IRIs of schema.org or PROV) or part of an inline Turtle document."""
    generated = Path(vocab.__file__).resolve()
    found = {str(p.relative_to(REPO)): iri_strings(p) for p in sorted((REPO / folder).rglob("*.py"))
             if p.resolve() != generated}
    assert {path: strings for path, strings in found.items() if strings} == {}


def test_no_ontology_iri_is_written_in_a_template() -> None:
    """Templates are given the names they look up (the prefix table's, the vocabulary module's)."""
    pattern = re.compile("|".join(re.escape(ns) for ns in namespaces()))
    found = {str(p.relative_to(REPO)): pattern.findall(p.read_text(encoding="utf-8"))
             for p in sorted((REPO / "src" / "hrgraph" / "web" / "templates").rglob("*.html"))}
    assert {path: iris for path, iris in found.items() if iris} == {}
