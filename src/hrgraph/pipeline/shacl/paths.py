"""SHACL property paths (an IRI, ^inverse, sequence, alternative, *, +, ?): read from the shapes graph,
evaluated on the data graph, and written as SPARQL for $PATH in SPARQL constraints."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from hrgraph.model.namespaces import SH
from hrgraph.pipeline.shacl.graph import NONE, DataGraph

UNARY = {SH.inversePath: "^", SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


class BadShape(ValueError):
    """The shapes graph is not well-formed SHACL (a path or list that cannot be read)."""


@dataclass(frozen=True)
class Path:
    """`op` is "iri" (with `iri`), "seq" / "alt" (with `parts`) or one of ^ * + ? (one part)."""

    op: str
    iri: URIRef | None = None
    parts: tuple[Path, ...] = ()

    def values(self, data: DataGraph, node: Node, inverse: bool = False) -> list[Node] | tuple[Node, ...]:
        """The distinct value nodes reached from `node` (walking the path backwards when `inverse`)."""
        if self.op == "iri":
            index = data.by_object(self.iri) if inverse else data.out.get(self.iri, {})  # type: ignore[arg-type]
            return index.get(node, NONE)
        if self.op == "^":
            return self.parts[0].values(data, node, not inverse)
        if self.op == "seq":
            nodes: list[Node] | tuple[Node, ...] = (node,)
            for part in reversed(self.parts) if inverse else self.parts:
                nodes = list(dict.fromkeys(v for n in nodes for v in part.values(data, n, inverse)))
            return nodes
        if self.op == "alt":
            return list(dict.fromkeys(v for part in self.parts for v in part.values(data, node, inverse)))
        step = self.parts[0]
        if self.op == "?":
            return list(dict.fromkeys((node, *step.values(data, node, inverse))))
        seen: dict[Node, None] = {node: None} if self.op == "*" else {}
        todo = [node]
        while todo:  # p+ holds `node` itself only when a cycle leads back to it
            for v in step.values(data, todo.pop(), inverse):
                if v not in seen:
                    seen[v] = None
                    todo.append(v)
        return list(seen)

    def sparql(self) -> str:
        if self.op == "iri":
            return f"<{self.iri}>"
        if self.op in ("seq", "alt"):
            return "(" + ("/" if self.op == "seq" else "|").join(p.sparql() for p in self.parts) + ")"
        return f"^{self.parts[0].sparql()}" if self.op == "^" else f"({self.parts[0].sparql()}){self.op}"

    def predicates(self) -> set[URIRef]:
        return {self.iri} if self.iri is not None else set().union(*(p.predicates() for p in self.parts))


def read_path(graph: Graph, node: Node) -> Path:
    if isinstance(node, URIRef):
        return Path("iri", iri=node)
    if not isinstance(node, BNode):
        raise BadShape(f"{node!r} is not a property path")
    if graph.value(node, RDF.first) is not None:
        parts = tuple(read_path(graph, n) for n in Collection(graph, node))
        if len(parts) < 2:
            raise BadShape("a sequence path needs at least two members")
        return Path("seq", parts=parts)
    if (alt := graph.value(node, SH.alternativePath)) is not None:
        parts = tuple(read_path(graph, n) for n in Collection(graph, alt))
        if len(parts) < 2:
            raise BadShape("an alternative path needs at least two members")
        return Path("alt", parts=parts)
    for pred, op in UNARY.items():
        if (inner := graph.value(node, pred)) is not None:
            return Path(op, parts=(read_path(graph, inner),))
    raise BadShape(f"blank node {node.n3()} is not a property path")
