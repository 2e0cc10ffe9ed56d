"""The W3C SHACL Core test suite (tests/pipeline/shacl-core/) run through hrgraph's SHACL engine.

A validator conforms on a test when its report has the test's sh:conforms and the same results, compared as a
multiset on focus node, path, value, source shape, constraint component and severity (messages are free): two
constraints failing on one node are two results. Every test whose shapes the engine reads must pass on it;
a test whose shapes it refuses (`Unsupported`) is handed to pySHACL, as the gate would, and must pass there.
The counts are printed at the end of the run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from hrgraph.model.namespaces import SH
from hrgraph.pipeline.shacl import DataGraph, Shapes, Unsupported, validate
from hrgraph.pipeline.shacl.command import read_graph
from hrgraph.pipeline.shacl.paths import read_path

SUITE = Path(__file__).parent / "shacl-core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
# pySHACL's own shortfalls on the suite, each with why (these tests are not the engine's: it hands them over).
PYSHACL_FAILS = {"property/uniqueLang-002": 'it reads "1"^^xsd:boolean as true; only "true" switches sh:uniqueLang on'}
Key = tuple[str, ...]


@dataclass(frozen=True)
class Case:
    name: str
    file: Path
    data: Path
    shapes: Path


def _parse(path: Path) -> Graph:
    """Read as `hrgraph validate` reads (pyoxigraph, literals as written: "1"^^xsd:boolean is not true)."""
    return read_graph([path])


def _cases(manifest: Path) -> list[Case]:
    g = _parse(manifest)
    out: list[Case] = []
    for m in g.subjects(RDF.type, MF.Manifest):
        for inc in g.objects(m, MF.include):
            out += _cases(Path(str(inc).removeprefix("file://")))
        for lst in g.objects(m, MF.entries):
            for entry in Collection(g, lst):
                if (entry, RDF.type, SHT.Validate) not in g:
                    continue
                action = g.value(entry, MF.action)
                data, shapes = (Path(str(g.value(action, p)).removeprefix("file://"))
                                for p in (SHT.dataGraph, SHT.shapesGraph))
                name = str(Path(str(entry).removeprefix("file://")).relative_to(SUITE))
                out.append(Case(name, manifest, data, shapes))
    return out


CASES = _cases(SUITE / "manifest.ttl")
OUTCOMES: dict[str, str] = {}


def _term(node: Node | None, graph: Graph, exact: bool, path: bool = False) -> str:
    if node is None:
        return ""
    if path and isinstance(node, BNode):
        return read_path(graph, node).sparql()
    if isinstance(node, BNode):  # blank nodes of another file cannot be matched by label
        return f"_:{node}" if exact else "_:"
    return node.n3()


def _key(graph: Graph, r: Node, paths: Graph, exact: bool) -> Key:
    v = graph.value
    return (_term(v(r, SH.focusNode), graph, exact), _term(v(r, SH.resultPath), paths, exact, path=True),
            _term(v(r, SH.value), graph, exact), _term(v(r, SH.sourceShape), graph, exact),
            _term(v(r, SH.sourceConstraintComponent), graph, exact), _term(v(r, SH.resultSeverity), graph, exact))


def _report(graph: Graph, report: Node, paths: Graph, exact: bool) -> tuple[bool, Counter[Key]]:
    conforms = graph.value(report, SH.conforms)
    return (conforms is not None and conforms.toPython() is True,
            Counter(_key(graph, r, paths, exact) for r in graph.objects(report, SH.result)))


def _graphs(case: Case) -> tuple[Graph, Graph, Graph, bool]:
    test = _parse(case.file)
    data = test if case.data == case.file else _parse(case.data)
    shapes = test if case.shapes == case.file else data if case.shapes == case.data else _parse(case.shapes)
    return test, data, shapes, case.data == case.shapes == case.file


def _expected(case: Case, test: Graph, shapes: Graph, exact: bool) -> tuple[bool, Counter[Key]]:
    entry = URIRef(case.file.parent.joinpath(Path(case.name).name).as_uri())
    return _report(test, test.value(entry, MF.result), test, exact)


def _engine(data: Graph, shapes: Graph, exact: bool) -> tuple[bool, Counter[Key]]:
    results = validate(DataGraph(data), Shapes(shapes))
    keys = Counter((_term(r.focus, data, exact), _term(r.path, shapes, exact, path=True),
                    _term(r.value, data, exact), _term(r.shape, shapes, exact), r.component.n3(), r.severity.n3())
                   for r in results)
    return not results, keys


def _pyshacl(data: Graph, shapes: Graph, exact: bool) -> tuple[bool, Counter[Key]]:
    _, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none")
    return _report(report, next(report.subjects(RDF.type, SH.ValidationReport)), report + shapes, exact)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_shacl_core(case: Case) -> None:
    test, data, shapes, exact = _graphs(case)
    expected = _expected(case, test, shapes, exact)
    try:
        Shapes(shapes)
    except Unsupported as why:
        OUTCOMES[case.name] = f"handed to pySHACL ({why})"
        if case.name in PYSHACL_FAILS:
            pytest.xfail(f"handed to pySHACL ({why}), which fails it: {PYSHACL_FAILS[case.name]}")
        assert _pyshacl(data, shapes, exact) == expected, f"handed to pySHACL ({why}); its report differs"
        OUTCOMES[case.name] += ": passed"
        return
    OUTCOMES[case.name] = "engine: failed"
    got = _engine(data, shapes, exact)
    assert got[0] == expected[0], f"sh:conforms {got[0]}, expected {expected[0]}"
    assert got[1] == expected[1], (f"only the engine: {sorted((got[1] - expected[1]).elements())}\n"
                                   f"only expected: {sorted((expected[1] - got[1]).elements())}")
    OUTCOMES[case.name] = "engine: passed"


def test_suite_counts(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs after the suite (pytest keeps the file's order): prints the counts, and checks every test ran."""
    assert len(CASES) == 98 and set(OUTCOMES) == {c.name for c in CASES}
    engine = [n for n, o in OUTCOMES.items() if o.startswith("engine")]
    passed = [n for n in engine if OUTCOMES[n].endswith("passed")]
    handed = {n: o for n, o in OUTCOMES.items() if not o.startswith("engine")}
    lines = [f"W3C SHACL Core: {len(CASES)} validation tests; the engine evaluates {len(engine)} and passes "
             f"{len(passed)}; {len(handed)} handed to pySHACL"]
    lines += [f"  {n}: {o}" for n, o in sorted(handed.items())]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert len(passed) == len(engine)
