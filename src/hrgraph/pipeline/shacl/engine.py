"""The validator: focus nodes of every targeted shape, value nodes along each path, each constraint checked
over all its focus nodes at once by the component family that owns it (one module per family, as pySHACL).

Each (shape, focus node) is evaluated once, however many parents reach it; a shape reached along several
sh:property routes repeats its results once per route (the W3C suite's validation-reports/shared), while
the focus nodes a shape's own targets give are a set. Whether a node conforms to a shape (sh:node, sh:not,
sh:and, sh:or, sh:xone, qualified value shapes) is computed for many nodes at a time and remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rdflib import URIRef
from rdflib.term import Node

from hrgraph.pipeline.shacl import (
    cardinality,
    logical,
    other,
    property_pair,
    shape_based,
    sparql,
    string_based,
    value_range,
    value_type,
)
from hrgraph.pipeline.shacl.graph import NONE, DataGraph, paused_gc
from hrgraph.pipeline.shacl.report import Result
from hrgraph.pipeline.shacl.shapes import Constraint, Shape, Shapes

Pairs = Sequence[tuple[Node, Sequence[Node]]]  # (focus node, its value nodes)
Check = Callable[["Validator", Shape, Constraint, Pairs], list[Result]]
CHECKS: dict[str, Check] = {}
for family in (value_type, cardinality, value_range, string_based, property_pair, logical, shape_based, other, sparql):
    CHECKS.update(family.CHECKS)


class Validator:
    def __init__(self, data: DataGraph, shapes: Shapes) -> None:
        self.data = data
        self.shapes = shapes
        self._conforms: dict[Shape, dict[Node, bool]] = {}

    # --- the report --------------------------------------------------------------------------------------

    def run(self) -> list[Result]:
        out: list[Result] = []
        for shape, counts in self._focus().items():
            for r in self.evaluate(shape, list(counts)):
                n = counts.get(r.focus, 1)
                out.extend([r] * n if n > 1 else (r,))
        return out

    def targets(self, shape: Shape) -> dict[Node, int]:
        """The shape's focus nodes from its own targets (a set, each counted once)."""
        nodes: dict[Node, int] = {}
        for kind, t in shape.targets:
            if kind == "targetNode":
                nodes[t] = 1
            elif kind == "targetClass":
                nodes.update(dict.fromkeys(self.data.instances(t), 1))
            elif kind == "targetSubjectsOf":
                nodes.update(dict.fromkeys(self.data.by_subject(t), 1))
            else:
                nodes.update(dict.fromkeys(self.data.by_object(t), 1))
        return nodes

    def _focus(self) -> dict[Shape, dict[Node, int]]:
        """Focus node -> how many routes reach it, per shape: targets first, then down sh:property."""
        order: list[Shape] = []
        seen: set[Shape] = set()

        def visit(shape: Shape) -> None:
            seen.add(shape)
            for child in shape.properties:
                if child not in seen:
                    visit(child)
            order.append(shape)

        for shape in self.shapes.targeted:
            if shape not in seen:
                visit(shape)
        given: dict[Shape, list[dict[Node, int]]] = {}
        for shape in self.shapes.targeted:
            if shape.targets:
                given.setdefault(shape, []).append(self.targets(shape))
        focus: dict[Shape, dict[Node, int]] = {}
        for shape in reversed(order):  # parents before children (recursive shapes were refused)
            parts = given.get(shape)
            if not parts or shape.deactivated:
                continue
            counts = parts[0] if len(parts) == 1 else _add(parts)
            if not counts:
                continue
            focus[shape] = counts
            if shape.properties:
                below = counts if shape.path is None else self._values_counted(shape, counts)
                for child in shape.properties:
                    given.setdefault(child, []).append(below)
        return focus

    def _values_counted(self, shape: Shape, counts: dict[Node, int]) -> dict[Node, int]:
        out: dict[Node, int] = {}
        for f, n in counts.items():
            for v in self.values(shape, f):
                out[v] = out.get(v, 0) + n
        return out

    # --- evaluation --------------------------------------------------------------------------------------

    def values(self, shape: Shape, focus: Node) -> Sequence[Node]:
        return (focus,) if shape.path is None else shape.path.values(self.data, focus)

    def pairs(self, shape: Shape, nodes: Iterable[Node]) -> Pairs:
        if shape.path is None:
            return [(f, (f,)) for f in nodes]
        if shape.path.op == "iri":
            index = self.data.by_subject(shape.path.iri)  # type: ignore[arg-type]
            return [(f, index.get(f, NONE)) for f in nodes]
        return [(f, shape.path.values(self.data, f)) for f in nodes]

    def evaluate(self, shape: Shape, nodes: list[Node]) -> list[Result]:
        """The results of the shape's own constraints (not those of its sh:property shapes) on `nodes`."""
        if shape.deactivated or not shape.constraints:
            return []
        pairs = self.pairs(shape, nodes)
        out: list[Result] = []
        for c in shape.constraints:
            out += CHECKS[c.kind](self, shape, c, pairs)
        return out

    def failing(self, shape: Shape, nodes: Iterable[Node]) -> set[Node]:
        """The nodes among `nodes` that do not conform to `shape` (a result of any severity, at any depth)."""
        if shape.deactivated:
            return set()
        known = self._conforms.setdefault(shape, {})
        nodes = list(dict.fromkeys(nodes))
        todo = [n for n in nodes if n not in known]
        if todo:
            bad = {r.focus for r in self.evaluate(shape, todo)}
            if shape.path is None:
                for child in shape.properties:
                    bad |= self.failing(child, todo)
            elif shape.properties:
                values = {f: self.values(shape, f) for f in todo}
                flat = [v for vs in values.values() for v in vs]
                bad_values = set().union(*(self.failing(child, flat) for child in shape.properties))
                bad |= {f for f, vs in values.items() if any(v in bad_values for v in vs)}
            for n in todo:
                known[n] = n not in bad
        return {n for n in nodes if not known[n]}

    def result(self, shape: Shape, focus: Node, value: Node | None, component: URIRef,
               path: Node | None = None) -> Result:
        return Result(focus, path if path is not None else shape.path_node, value, component, shape.node,
                      shape.severity, shape.messages)


def _add(parts: list[dict[Node, int]]) -> dict[Node, int]:
    total: dict[Node, int] = dict(parts[0])
    for part in parts[1:]:
        for n, c in part.items():
            total[n] = total.get(n, 0) + c
    return total


def validate(data: DataGraph, shapes: Shapes) -> list[Result]:
    """Every result of `shapes` on `data` (which holds the ontology too, for rdfs:subClassOf)."""
    with paused_gc():
        return Validator(data, shapes).run()
