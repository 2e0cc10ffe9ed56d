"""Validation results and the SHACL validation report they make.

`sh:conforms` follows the specification: a report with any result, whatever its severity, does not conform.
Whether a build may publish is a different question, answered by `blocks`: only results of severity
sh:Violation (or a severity of the shapes' own making) hold records back; sh:Warning and sh:Info are
reported to the curators and published around (the curated data has Warning-level results by design).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from hrgraph.model.namespaces import PREFIXES, SH

NOT_BLOCKING = frozenset({SH.Warning, SH.Info})


@dataclass(frozen=True, slots=True)
class Result:
    focus: Node
    path: Node | None  # the sh:path node of the shapes graph, or the predicate (sh:closed)
    value: Node | None
    component: URIRef
    shape: Node
    severity: Node
    messages: tuple[Literal, ...]
    constraint: Node | None = None  # sh:sourceConstraint, for SPARQL constraints


def conforms(results: Iterable[Result]) -> bool:
    return not any(True for _ in results)


def blocks(severity: Node | None) -> bool:
    """Does a result of this severity hold its record back from publication?"""
    return severity not in NOT_BLOCKING


def _copy(report: Graph, shapes: Graph, node: Node, fresh: bool = False) -> Node:
    """A complex path or a shape without an IRI is a structure of blank nodes in the shapes graph: the report
    carries its copy, so that it says which path and which shape. A `fresh` copy has blank nodes of its own
    (a path is a value: each result gets its own, which Turtle then writes inline as ( a b ))."""
    if not isinstance(node, BNode):
        return node
    names: dict[Node, Node] = {}
    todo = [node]
    while todo:
        n = todo.pop()
        if n in names:
            continue
        names[n] = BNode() if fresh else n
        todo += [o for o in shapes.objects(n) if isinstance(o, BNode)]
    for old, new in names.items():
        for p, o in shapes.predicate_objects(old):
            report.add((new, p, names.get(o, o)))
    return names[node]


def report_graph(results: list[Result], shapes: Graph) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for prefix, ns in shapes.namespaces():
        if prefix not in PREFIXES:
            g.bind(prefix, ns)
    report = BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, Literal(not results, datatype=XSD.boolean)))
    for r in results:
        node = BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, r.focus))
        g.add((node, SH.resultSeverity, r.severity))
        g.add((node, SH.sourceConstraintComponent, r.component))
        g.add((node, SH.sourceShape, r.shape))
        _copy(g, shapes, r.shape)
        if r.path is not None:
            g.add((node, SH.resultPath, _copy(g, shapes, r.path, fresh=True)))
        if r.value is not None:
            g.add((node, SH.value, r.value))
        if r.constraint is not None:
            g.add((node, SH.sourceConstraint, r.constraint))
        for message in r.messages:
            g.add((node, SH.resultMessage, message))
    return g
