"""SPARQL-based constraints (sh:sparql, SHACL-SPARQL): run by pyoxigraph on a mirror of the data graph.

The mirror holds only the triples whose predicates the constraints' queries can match (read from their
algebra; a variable or negated predicate means every triple), so the gate copies a few percent of a large
graph rather than all of it. All focus nodes of a constraint go in at once: they are written as marker
triples in a graph of their own and the query, with $this as ?this, runs joined to them — the
pre-binding of $this, for all focus nodes in one query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import SH
from rdflib.paths import Path as RdflibPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from hrgraph.pipeline.ntriples import nt_term
from hrgraph.pipeline.oxterms import to_oxigraph, to_rdflib
from hrgraph.pipeline.shacl.graph import DataGraph, Triple, paused_gc
from hrgraph.pipeline.shacl.report import Result
from hrgraph.pipeline.shacl.shapes import BadShape, SparqlConstraint, Unsupported

if TYPE_CHECKING:
    from hrgraph.pipeline.shacl.engine import Pairs, Validator
    from hrgraph.pipeline.shacl.shapes import Constraint, Shape

FOCUS = "urn:x-hrgraph:shacl-focus"
SELECT = re.compile(r"(?is)^\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE\s*)?\{")
LEADING = re.compile(r"(?is)^(\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*)")
SH_COMPONENT = SH.SPARQLConstraintComponent


class Mirror:
    """A pyoxigraph store kept in step with the data graph, holding the triples of some predicates (or all)."""

    def __init__(self, data: DataGraph, predicates: frozenset[Node] | None) -> None:
        self.predicates = predicates
        self.store = ox.Store()
        with paused_gc():
            text = "".join(_lines(data, predicates)).encode("utf-8")
        self.store.bulk_load(text, format=ox.RdfFormat.N_TRIPLES)

    def remove(self, triples: Iterable[Triple]) -> None:
        for t in triples:
            if self.predicates is None or t[1] in self.predicates:
                self.store.remove(ox.Quad(*(to_oxigraph(x) for x in t)))  # type: ignore[misc]


def read_predicates(shapes: Iterable[Shape]) -> frozenset[Node] | None:
    """What the mirror must hold for every SPARQL constraint of the shapes: one mirror serves them all."""
    found: set[Node] = set()
    for shape in shapes:
        for c in shape.constraints:
            if c.kind == "sparql":
                preds = predicates(query_text(shape, c.options["sparql"]))  # type: ignore[arg-type]
                if preds is None:
                    return None
                found |= preds
    return frozenset(found)


def _lines(data: DataGraph, predicates: frozenset[Node] | None) -> Iterable[str]:
    """N-Triples of the data graph's triples with these predicates (its lists hold no duplicates)."""
    for p in data.out if predicates is None else predicates:
        by_subject = data.out.get(p)
        if not by_subject:
            continue
        pn = nt_term(p)
        for s, objects in by_subject.items():
            sn = nt_term(s)
            for o in objects:
                yield f"{sn} {pn} <{o}> .\n" if type(o) is URIRef else f"{sn} {pn} {nt_term(o)} .\n"


def mirror(data: DataGraph, predicates: frozenset[Node] | None) -> Mirror:
    for m in data.mirrors:
        if m.predicates is None or (predicates is not None and predicates <= m.predicates):
            return m
    made = Mirror(data, predicates)
    data.mirrors.append(made)
    return made


def predicates(query: str) -> frozenset[Node] | None:
    """The predicates a query's patterns can match, or None when it may match any."""
    try:
        algebra = prepareQuery(query).algebra
    except Exception:  # rdflib cannot read what pyoxigraph can: copy everything
        return None
    found: set[Node] = set()

    def path_iris(p: object) -> bool:
        if isinstance(p, URIRef):
            found.add(p)
            return True
        if isinstance(p, RdflibPath) and type(p).__name__ != "NegatedPath":
            parts = getattr(p, "args", None) or [getattr(p, "arg", None) or getattr(p, "path", None)]
            return all(path_iris(x) for x in parts)
        return False

    def walk(node: object) -> bool:
        if isinstance(node, CompValue):
            for key, value in node.items():
                if key == "triples" and isinstance(value, list):
                    if not all(path_iris(t[1]) for t in value):
                        return False
                elif not walk(value):
                    return False
        elif isinstance(node, (list, tuple)):
            return all(walk(x) for x in node)
        elif isinstance(node, dict):
            return all(walk(x) for x in node.values())
        return True

    return frozenset(found) if walk(algebra) else None


def query_text(shape: Shape, sc: SparqlConstraint) -> str:
    """The constraint's query as one SELECT joined to the focus markers, $this read as ?this."""
    text = sc.select.replace("$this", "?this").replace("$currentShape", _term(shape.node))
    if "$PATH" in text:
        if shape.path is None:
            raise BadShape(f"$PATH in {sc.node.n3()}, used by a node shape")
        text = text.replace("$PATH", shape.path.sparql())
    head = LEADING.match(text).group(1)  # type: ignore[union-attr]
    body = text[len(head):]
    m = SELECT.match(body)
    if m is None:
        raise BadShape(f"{sc.node.n3()}: sh:select is not a SELECT query")
    if m.group(1).strip() != "*" and not re.search(r"\?this\b", m.group(1)):
        body = body[:m.start(1)] + "?this " + body[m.start(1):]
    return (f"{sc.prefixes}\n{head}\nSELECT * WHERE {{ GRAPH <{FOCUS}> {{ <{FOCUS}#set> <{FOCUS}#in> ?this }}\n"
            f"{{ {body} }} }}")


def _term(node: Node) -> str:
    if isinstance(node, BNode):
        raise Unsupported("$currentShape of a blank-node shape")
    return node.n3()


def _message(template: Literal, row: ox.QuerySolution, names: list[str]) -> Literal:
    text = str(template)
    for name in names:
        value = row[name]
        if value is not None:
            text = text.replace(f"{{?{name}}}", value.value).replace(f"{{${name}}}", value.value)
    return Literal(text, lang=template.language)


def check_sparql(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    sc: SparqlConstraint = c.options["sparql"]  # type: ignore[assignment]
    if sc.deactivated or not pairs:
        return []
    text = query_text(shape, sc)
    store = mirror(v.data, v.shapes.sparql_predicates).store
    store.clear_graph(ox.NamedNode(FOCUS))
    marker, member, graph = ox.NamedNode(f"{FOCUS}#set"), ox.NamedNode(f"{FOCUS}#in"), ox.NamedNode(FOCUS)
    store.extend(ox.Quad(marker, member, to_oxigraph(f), graph) for f, _ in pairs)
    rows = store.query(text)
    names = [var.value for var in rows.variables]  # type: ignore[union-attr]
    out: dict[tuple, Result] = {}
    for row in rows:  # type: ignore[union-attr]
        if "failure" in names and row["failure"] is not None and row["failure"].value == "true":
            raise RuntimeError(f"the SPARQL constraint {sc.node.n3()} reports a failure (?failure)")
        focus = to_rdflib(row["this"])
        value = to_rdflib(row["value"]) if "value" in names else None
        if value is None and shape.path is None:
            value = focus
        path = to_rdflib(row["path"]) if "path" in names and row["path"] is not None else shape.path_node
        messages = tuple(_message(m, row, names) for m in (sc.messages or shape.messages))
        key = (focus, path, value)
        out.setdefault(key, Result(focus, path, value, SH_COMPONENT, shape.node,  # type: ignore[arg-type]
                                   sc.severity or shape.severity, messages, sc.node))
    store.clear_graph(graph)
    return list(out.values())


CHECKS = {"sparql": check_sparql}
