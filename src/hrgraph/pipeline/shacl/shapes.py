"""The shapes graph read once into `Shape` values: targets, path, constraints (one per parameter value, so two
sh:class on a shape are two constraints with a result each) and the shapes they reach.

Read here and nowhere else: what the engine does not know raises `Unsupported` before any data is touched,
and the caller hands the whole validation to pySHACL (custom constraint components, SHACL-AF rules and
targets, recursive shapes, $shapesGraph in SPARQL). A shapes graph that is not well-formed raises `BadShape`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from hrgraph.model.namespaces import SH
from hrgraph.pipeline.shacl.paths import BadShape, Path, read_path

# sh: parameter -> the constraint component it declares (local name without "ConstraintComponent")
COMPONENTS = {
    "class": "Class", "datatype": "Datatype", "nodeKind": "NodeKind", "minCount": "MinCount",
    "maxCount": "MaxCount", "minExclusive": "MinExclusive", "minInclusive": "MinInclusive",
    "maxExclusive": "MaxExclusive", "maxInclusive": "MaxInclusive", "minLength": "MinLength",
    "maxLength": "MaxLength", "pattern": "Pattern", "languageIn": "LanguageIn", "uniqueLang": "UniqueLang",
    "equals": "Equals", "disjoint": "Disjoint", "lessThan": "LessThan", "lessThanOrEquals": "LessThanOrEquals",
    "not": "Not", "and": "And", "or": "Or", "xone": "Xone", "node": "Node",
    "qualifiedValueShape": "QualifiedValueShape", "closed": "Closed", "hasValue": "HasValue", "in": "In",
    "sparql": "SPARQL",
}
COMPANIONS = {"flags", "ignoredProperties", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint"}
NOT_CONSTRAINTS = {"path", "property", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf",
                   "severity", "message", "deactivated", "name", "description", "order", "group", "defaultValue"}
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
SHAPE_LISTS = {"and", "or", "xone"}
SHAPE_VALUED = {"not", "node", "qualifiedValueShape"}


class Unsupported(Exception):
    """The shapes use a feature this engine does not evaluate; validate with pySHACL instead."""


@dataclass(frozen=True)
class SparqlConstraint:
    node: Node
    select: str
    prefixes: str
    messages: tuple[Literal, ...]
    severity: Node | None
    deactivated: bool


@dataclass(eq=False)
class Constraint:
    kind: str  # the sh: parameter, e.g. "class"
    value: Node
    items: tuple[Node, ...] = ()  # the members of an RDF list parameter (in, languageIn, and, or, xone)
    shapes: tuple[Shape, ...] = ()  # the shapes a shape-based parameter points at
    options: dict[str, object] = field(default_factory=dict)  # companion parameters (flags, qualified counts)

    @property
    def component(self) -> URIRef:
        return SH[COMPONENTS[self.kind] + "ConstraintComponent"]


@dataclass(eq=False)
class Shape:
    node: Node
    path: Path | None = None
    path_node: Node | None = None
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    targets: list[tuple[str, Node]] = field(default_factory=list)
    severity: Node = SH.Violation
    messages: tuple[Literal, ...] = ()
    deactivated: bool = False

    def __repr__(self) -> str:
        return f"Shape({self.node.n3()})"


def true(node: Node | None) -> bool:
    """Only "true"^^xsd:boolean switches a parameter on ("1" is another literal: the W3C suite's uniqueLang-002)."""
    return isinstance(node, Literal) and node.datatype == XSD.boolean and str(node) == "true"


def _local(term: Node) -> str | None:
    text = str(term)
    return text[len(str(SH)):] if isinstance(term, URIRef) and text.startswith(str(SH)) else None


class Shapes:
    """Every shape with a target (explicit, or implicit: a shape that is also a class) and all it reaches."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._cache: dict[Node, Shape] = {}
        if any(graph.subjects(RDF.type, SH.ConstraintComponent)):
            raise Unsupported("custom constraint components (sh:ConstraintComponent)")
        self._class_shapes = self._implicit_class_shapes()
        roots = {s for t in TARGETS for s in graph.subjects(SH[t], None)} | self._class_shapes
        self.targeted = [self.shape(n) for n in sorted(roots, key=lambda n: (isinstance(n, BNode), str(n)))]
        self._refuse_recursion()
        from hrgraph.pipeline.shacl.sparql import read_predicates  # sparql reads shapes: imported when used

        self.sparql_predicates = read_predicates(self.all())

    def _implicit_class_shapes(self) -> set[Node]:
        g = self.graph
        classes = set(g.subjects(RDF.type, RDFS.Class)) | set(g.subjects(RDF.type, OWL.Class))
        shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
        return classes & shapes

    def shape(self, node: Node) -> Shape:
        if (hit := self._cache.get(node)) is not None:
            return hit
        g = self.graph
        shape = self._cache[node] = Shape(node)
        params: dict[str, list[Node]] = {}
        for p, o in g.predicate_objects(node):
            name = _local(p)
            if name is None:
                continue
            if name not in COMPONENTS and name not in COMPANIONS and name not in NOT_CONSTRAINTS:
                raise Unsupported(f"sh:{name} on shape {node.n3()}")
            params.setdefault(name, []).append(o)
        if "path" in params:
            shape.path_node = params["path"][0]
            shape.path = read_path(g, shape.path_node)
        shape.severity = params.get("severity", [SH.Violation])[0]
        shape.messages = tuple(sorted((m for m in params.get("message", []) if isinstance(m, Literal)), key=str))
        shape.deactivated = true(params.get("deactivated", [None])[0])
        shape.targets = [(t, v) for t in TARGETS for v in params.get(t, [])]
        if node in self._class_shapes:
            shape.targets.append(("targetClass", node))
        shape.properties = [self.shape(p) for p in params.get("property", [])]
        for kind in COMPONENTS:
            for value in params.get(kind, []):
                shape.constraints.append(self._constraint(shape, kind, value, params))
        return shape

    def _constraint(self, shape: Shape, kind: str, value: Node, params: dict[str, list[Node]]) -> Constraint:
        c = Constraint(kind, value)
        if kind in ("in", "languageIn") or kind in SHAPE_LISTS:
            c.items = tuple(self.items(value))
        if kind in SHAPE_LISTS:
            c.shapes = tuple(self.shape(m) for m in c.items)
        elif kind in SHAPE_VALUED:
            c.shapes = (self.shape(value),)
        if kind == "pattern":
            c.options["flags"] = str(params.get("flags", [""])[0])
        elif kind == "closed":
            c.options["ignored"] = frozenset(i for v in params.get("ignoredProperties", []) for i in self.items(v))
        elif kind == "qualifiedValueShape":
            for name in ("qualifiedMinCount", "qualifiedMaxCount"):
                if name in params:
                    c.options[name] = int(params[name][0])  # type: ignore[call-overload]
            if true(params.get("qualifiedValueShapesDisjoint", [None])[0]):
                c.options["siblings"] = self._siblings(shape.node, value)
        elif kind == "sparql":
            c.options["sparql"] = self._sparql(value)
        return c

    def items(self, node: Node) -> list[Node]:
        if node != RDF.nil and self.graph.value(node, RDF.first) is None:
            raise BadShape(f"{node.n3()} should be an RDF list")
        return list(Collection(self.graph, node))

    def _siblings(self, prop: Node, own: Node) -> tuple[Shape, ...]:
        """The other qualified value shapes of the property shapes beside `prop` (sh:qualifiedValueShapesDisjoint)."""
        g = self.graph
        found = {q for parent in g.subjects(SH.property, prop) for sibling in g.objects(parent, SH.property)
                 for q in g.objects(sibling, SH.qualifiedValueShape) if q != own}
        return tuple(self.shape(q) for q in sorted(found, key=str))

    def _sparql(self, node: Node) -> SparqlConstraint:
        g = self.graph
        select = g.value(node, SH.select)
        if select is None:
            raise BadShape(f"the SPARQL constraint {node.n3()} has no sh:select")
        if "$shapesGraph" in str(select):
            raise Unsupported("$shapesGraph in a SPARQL constraint")
        decls = {f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>"
                 for onto in g.objects(node, SH.prefixes) for d in g.objects(onto, SH.declare)}
        return SparqlConstraint(node, str(select), "\n".join(sorted(decls)),
                                tuple(sorted(g.objects(node, SH.message), key=str)),  # type: ignore[arg-type]
                                g.value(node, SH.severity), true(g.value(node, SH.deactivated)))

    def all(self) -> list[Shape]:
        return list(self._cache.values())

    def _refuse_recursion(self) -> None:
        """SHACL leaves the validation of recursive shapes undefined: hand them to pySHACL, which decides."""
        state: dict[int, int] = {}  # 1 = on the current walk, 2 = done

        def walk(shape: Shape) -> None:
            state[id(shape)] = 1
            for nxt in [*shape.properties, *(s for c in shape.constraints for s in c.shapes),
                        *(s for c in shape.constraints for s in c.options.get("siblings", ()))]:  # type: ignore
                mark = state.get(id(nxt))
                if mark == 1:
                    raise Unsupported(f"recursive shapes ({shape.node.n3()} reaches itself)")
                if mark is None:
                    walk(nxt)
            state[id(shape)] = 2

        for shape in self.all():
            if id(shape) not in state:
                walk(shape)
