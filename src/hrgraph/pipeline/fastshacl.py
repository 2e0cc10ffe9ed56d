"""A SHACL Core subset compiled into SPARQL and run on pyoxigraph: the gate's engine at scale.

Each constraint of each shape becomes one query that returns only the violations, over all focus nodes at
once (pySHACL walks focus nodes one by one in Python and takes minutes over 1M triples). Shapes reached
through sh:node, sh:or, sh:and and sh:qualifiedValueShape are validated against the set of value nodes
they apply to, and their failing nodes decide the outer result. Constraint kinds: class, datatype (with
lexical well-formedness of the common XSD types), nodeKind, pattern, in, languageIn, min/maxLength,
min/max In/Exclusive, hasValue, min/maxCount, uniqueLang, node, or, and, qualifiedMin/MaxCount, SPARQL
SELECT constraints; targets: targetClass (with rdfs:subClassOf*), targetNode, targetSubjectsOf/ObjectsOf.
Anything else raises `Unsupported`, and the gate falls back to pySHACL. tests/pipeline/test_fast_gate.py proves both
engines report the same (focus node, path, constraint component) on a graph with one error of each kind.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from hrgraph.model.namespaces import SH

Focus = Callable[[str], str]  # variable name -> a group pattern binding it to the focus nodes
FOCUS_GRAPH = "urn:x-hrgraph:shacl-focus"  # marker triples of the focus sets, apart from the data

_TZ = r"(Z|[+-][0-9]{2}:[0-9]{2})?"
_DATE = r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
LEXICAL = {  # well-formed lexical forms: pySHACL reports ill-typed literals under sh:datatype
    XSD.integer: r"^[+-]?[0-9]+$", XSD.nonNegativeInteger: r"^(\+?[0-9]+|-0+)$",
    XSD.positiveInteger: r"^\+?0*[1-9][0-9]*$", XSD.boolean: r"^(true|false|1|0)$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD.date: f"^{_DATE}{_TZ}$", XSD.dateTime: f"^{_DATE}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\\.[0-9]+)?{_TZ}$",
    XSD.gYear: f"^-?[0-9]{{4,}}{_TZ}$", XSD.gYearMonth: f"^-?[0-9]{{4,}}-(0[1-9]|1[0-2]){_TZ}$",
    XSD.gMonthDay: f"^--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){_TZ}$",
}
# pyoxigraph stores every integer-valued literal of a derived type (nonNegativeInteger, int, ...) as
# xsd:integer; the original datatype of such literals is kept aside by the loader (`Derived`).
INTEGER_TYPES = {XSD[t] for t in ("integer", "nonNegativeInteger", "positiveInteger",
                                  "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
                                  "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
Derived = dict[tuple[str, str, str], tuple[str, str]]  # (subject, predicate, canonical value) -> (datatype, lexical)
NODE_KINDS = {"IRI": "isIRI({v})", "Literal": "isLiteral({v})", "BlankNode": "isBlank({v})",
              "BlankNodeOrIRI": "!isLiteral({v})", "BlankNodeOrLiteral": "!isIRI({v})",
              "IRIOrLiteral": "!isBlank({v})"}
COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
VALUE_PARAMS = {"datatype", "nodeKind", "pattern", "flags", "in", "languageIn", "minLength", "maxLength",
                *COMPARISONS}
KNOWN = VALUE_PARAMS | {"class", "hasValue", "minCount", "maxCount", "uniqueLang", "node", "or", "and",
                        "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "sparql", "property",
                        "path", "message", "severity", "deactivated", "name", "description", "order", "group",
                        "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "declare", "prefix",
                        "namespace", "prefixes", "select", "qualifiedValueShapesDisjoint"}


class Unsupported(Exception):
    """A shape uses a feature this engine does not compile; validate with pySHACL instead."""


@dataclass(frozen=True)
class Result:
    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    path: str | None
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None
    component: str
    shape: Node
    messages: tuple[Literal, ...]
    severity: URIRef


@dataclass
class Shape:
    node: Node
    path: str | None
    params: dict[str, list[Node]]
    messages: tuple[Literal, ...]
    severity: URIRef
    properties: list[Shape] = field(default_factory=list)
    targets: list[tuple[str, Node]] = field(default_factory=list)
    deactivated: bool = False


def _local(term: Node) -> str:
    return str(term)[len(str(SH)):] if str(term).startswith(str(SH)) else ""


class Shapes:
    """The shapes graph parsed once: the targeted node shapes and every shape they reach."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._cache: dict[Node, Shape] = {}
        roots = {s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
                 for s in graph.subjects(p, None)}
        for cls in (RDFS.Class, OWL.Class):
            if any(graph.subjects(RDF.type, cls)) and set(graph.subjects(RDF.type, cls)) & set(
                    graph.subjects(RDF.type, SH.NodeShape)):
                raise Unsupported("implicit class targets")
        self.targeted = [self.shape(s) for s in sorted(roots, key=str)]

    def shape(self, node: Node) -> Shape:
        if node in self._cache:
            return self._cache[node]
        g = self.graph
        params: dict[str, list[Node]] = {}
        for p, o in g.predicate_objects(node):
            if p == RDF.type or p in (RDFS.label, RDFS.comment):
                continue
            name = _local(p)
            if not name or name not in KNOWN:
                if str(p).startswith(str(SH)):
                    raise Unsupported(f"sh:{name or p}")
                continue
            params.setdefault(name, []).append(o)
        path = params.pop("path", [None])[0]
        if path is not None and not isinstance(path, URIRef):
            raise Unsupported("property paths other than a single IRI")
        shape = Shape(node, str(path) if path is not None else None, params,
                      tuple(sorted(params.pop("message", []), key=str)),  # type: ignore[arg-type]
                      params.pop("severity", [SH.Violation])[0],  # type: ignore[arg-type]
                      deactivated=str(params.pop("deactivated", ["false"])[0]).lower() == "true")
        self._cache[node] = shape
        shape.properties = [self.shape(p) for p in sorted(params.pop("property", []), key=str)]
        shape.targets = [(k, t) for k in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
                         for t in params.pop(k, [])]
        if shape.path and shape.properties:
            raise Unsupported("sh:property inside a property shape")
        if params.get("qualifiedValueShapesDisjoint") and str(params["qualifiedValueShapesDisjoint"][0]) == "true":
            raise Unsupported("sh:qualifiedValueShapesDisjoint")
        return shape

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.graph, node))

    def prefixes(self, constraint: Node) -> str:
        decls = []
        for onto in self.graph.objects(constraint, SH.prefixes):
            for d in self.graph.objects(onto, SH.declare):
                decls.append(f"PREFIX {self.graph.value(d, SH.prefix)}: <{self.graph.value(d, SH.namespace)}>")
        return "\n".join(sorted(set(decls)))


def _sparql_term(term: Node) -> str:
    if isinstance(term, BNode):
        raise Unsupported("blank nodes as constraint parameters")
    return term.n3()


class Validator:
    """Runs compiled shapes on one pyoxigraph store whose default graph holds data + ontology."""

    def __init__(self, store: ox.Store, shapes: Shapes, derived: Derived | None = None) -> None:
        self.store = store
        self.shapes = shapes
        self.derived = derived or {}
        self._vars = itertools.count()
        self._sub = self._subclasses()
        self._focus: dict[str, str] = {}
        store.clear_graph(ox.NamedNode(FOCUS_GRAPH))

    def _subclasses(self) -> dict[str, set[str]]:
        """Every class -> itself and all its subclasses (rdfs:subClassOf*, from data + ontology)."""
        direct: dict[str, set[str]] = {}
        for row in self.store.query(f"SELECT ?c ?s WHERE {{ ?c <{RDFS.subClassOf}> ?s }}"):
            direct.setdefault(row["s"].value, set()).add(row["c"].value)
        closure: dict[str, set[str]] = {}
        for cls in direct:
            seen, todo = {cls}, [cls]
            while todo:
                for sub in direct.get(todo.pop(), ()):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            closure[cls] = seen
        return closure

    def classes(self, cls: Node) -> str:
        return " ".join(f"<{c}>" for c in sorted(self._sub.get(str(cls), {str(cls)})))

    def var(self) -> str:
        return f"v{next(self._vars)}"

    def query(self, text: str) -> ox.QuerySolutions:
        return self.store.query(text)  # type: ignore[return-value]

    # --- entry points -------------------------------------------------------------------------------------

    def run(self) -> list[Result]:
        """Each property shape runs once over the union of the focus nodes of every node shape using it
        (hrsh:label is shared by 16 node shapes): same results as a set, far fewer queries."""
        out: list[Result] = []
        shared: dict[Node, tuple[Shape, set[str]]] = {}
        for shape in self.shapes.targeted:
            if shape.deactivated:
                continue
            classes = {str(t) for k, t in shape.targets if k == "targetClass"}
            others = [(k, t) for k, t in shape.targets if k != "targetClass"]
            own = Shape(shape.node, None, shape.params, shape.messages, shape.severity)
            for kind, target in shape.targets:
                out += self.check(own, self.target_focus(kind, target))
            for prop in shape.properties:
                shared.setdefault(prop.node, (prop, set()))[1].update(classes)
                for kind, target in others:
                    out += self.check(prop, self.target_focus(kind, target))
        for prop, classes in shared.values():
            if classes:
                out += self.check(prop, self.classes_focus(classes))
        return list(dict.fromkeys(out))

    def classes_focus(self, classes: Iterable[str]) -> Focus:
        values = " ".join(sorted({c for cls in classes for c in self.classes(cls).split()}))
        return self.materialise(lambda v: f"?{v} a ?cls_{v} . VALUES ?cls_{v} {{ {values} }}")

    def materialise(self, pattern: Focus) -> Focus:
        """Store a focus set once, as marker triples in a graph of its own, so each of the many queries over
        it is an index lookup rather than a DISTINCT over a join. Cached by the pattern's text."""
        text = pattern("x")
        if text not in self._focus:
            group = f"{FOCUS_GRAPH}/{len(self._focus)}"
            # An update, so the engine writes the markers itself (no Python object per focus node).
            self.store.update(f"INSERT {{ GRAPH <{FOCUS_GRAPH}> {{ <{group}> <{FOCUS_GRAPH}#in> ?x }} }} "
                              f"WHERE {{ SELECT DISTINCT ?x WHERE {{ {text} }} }}")
            self._focus[text] = f"<{group}>"
        group = self._focus[text]
        return lambda v: f"GRAPH <{FOCUS_GRAPH}> {{ {group} <{FOCUS_GRAPH}#in> ?{v} }}"

    def target_focus(self, kind: str, target: Node) -> Focus:
        if kind == "targetClass":
            return self.classes_focus([str(target)])
        t = _sparql_term(target)
        pattern = {"targetNode": lambda v: f"VALUES ?{v} {{ {t} }}",
                   "targetSubjectsOf": lambda v: f"?{v} {t} ?o_{v} .",
                   "targetObjectsOf": lambda v: f"?s_{v} {t} ?{v} ."}[kind]
        return self.materialise(pattern)

    def check(self, shape: Shape, focus: Focus) -> list[Result]:
        if shape.deactivated:
            return []
        out: list[Result] = []
        for name, values in sorted(shape.params.items()):
            handler = getattr(self, f"_c_{name}", None)
            if handler is not None:
                for value in values:
                    out += handler(shape, focus, value)
            elif name in VALUE_PARAMS and name != "flags":
                for value in values:
                    out += self._value_filter(shape, focus, name, value)
        for prop in shape.properties:
            out += self.check(prop, focus)
        return out

    def failing(self, shape: Shape, focus: Focus) -> set:
        return {r.focus for r in self.check(shape, focus)}

    # --- helpers ------------------------------------------------------------------------------------------

    def _result(self, shape: Shape, component: str, focus: object, value: object = None) -> Result:
        return Result(focus, shape.path, value, f"{SH}{component}ConstraintComponent", shape.node,  # type: ignore
                      shape.messages, shape.severity)

    def _pairs(self, shape: Shape, focus: Focus, extra: str = "", head: str = "?this ?v") -> ox.QuerySolutions:
        vp = f"?this <{shape.path}> ?v ." if shape.path else "BIND(?this AS ?v)"
        return self.query(f"SELECT {head} WHERE {{ {focus('this')} {vp} {extra} }}")

    def value_focus(self, shape: Shape, focus: Focus) -> Focus:
        """The value nodes of `shape` as a focus set, for the shapes sh:node / sh:or / ... apply to them."""
        if not shape.path:
            return focus
        outer = self.var()
        return self.materialise(lambda v: f"{focus(outer)} ?{outer} <{shape.path}> ?{v} .")

    def _report_failing(self, shape: Shape, focus: Focus, component: str, bad: set) -> list[Result]:
        if not bad:
            return []
        return [self._result(shape, component, s["this"], s["v"]) for s in self._pairs(shape, focus)
                if s["v"] in bad]

    # --- value-level constraints (one FILTER each) --------------------------------------------------------

    def _expression(self, name: str, value: Node, shape: Shape) -> str:
        v = "?v"
        if name == "datatype":
            if value == RDF.langString:
                return f"isLiteral({v}) && LANG({v}) != ''"
            ok = f"isLiteral({v}) && sameTerm(DATATYPE({v}), <{value}>)"
            if value == XSD.string:
                ok += f" && LANG({v}) = ''"
            if value in LEXICAL:
                ok += f' && REGEX(STR({v}), "{LEXICAL[value]}")'.replace("\\", "\\\\")
            return ok
        if name == "nodeKind":
            return NODE_KINDS[_local(value)].format(v=v)
        if name == "pattern":
            flags = shape.params.get("flags", [""])[0]
            return f"!isBlank({v}) && REGEX(STR({v}), {Literal(str(value)).n3()}, {Literal(str(flags)).n3()})"
        if name == "in":
            return " || ".join(f"sameTerm({v}, {_sparql_term(t)})" for t in self.shapes.items(value)) or "false"
        if name == "languageIn":
            tags = " || ".join(f"langMatches(LANG({v}), {Literal(str(t)).n3()})" for t in self.shapes.items(value))
            return f"isLiteral({v}) && ({tags or 'false'})"
        if name in ("minLength", "maxLength"):
            op = ">=" if name == "minLength" else "<="
            return f"!isBlank({v}) && STRLEN(STR({v})) {op} {int(value)}"  # type: ignore[call-overload]
        return f"isLiteral({v}) && {v} {COMPARISONS[name]} {_sparql_term(value)}"

    def _value_filter(self, shape: Shape, focus: Focus, name: str, value: Node) -> list[Result]:
        if name == "datatype" and value in INTEGER_TYPES:
            return self._integer_datatype(shape, focus, value)
        expr = self._expression(name, value, shape)
        comp = name[0].upper() + name[1:]
        rows = self._pairs(shape, focus, f"FILTER(!COALESCE({expr}, false))")
        return [self._result(shape, comp, s["this"], s["v"]) for s in rows]

    def _integer_datatype(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        """Integer types: the store only knows xsd:integer, the loader's side table the datatype written."""
        if not shape.path:
            raise Unsupported("sh:datatype of an integer type on a node shape")
        integer = f"<{XSD.integer}>"
        out = [self._result(shape, "Datatype", s["this"], s["v"]) for s in self._pairs(
            shape, focus, f"FILTER(!(isLiteral(?v) && sameTerm(DATATYPE(?v), {integer})))")]
        pattern = re.compile(LEXICAL.get(value, r"^[+-]?[0-9]+$"))  # type: ignore[call-overload]
        for s in self._pairs(shape, focus, f"FILTER(isLiteral(?v) && sameTerm(DATATYPE(?v), {integer}))"):
            written, lexical = self.derived.get((s["this"].value, shape.path, s["v"].value), (str(XSD.integer),
                                                                                               s["v"].value))
            if written != str(value) or not pattern.match(lexical):
                out.append(self._result(shape, "Datatype", s["this"], s["v"]))
        return out

    def _c_class(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        rows = self._pairs(shape, focus, f"MINUS {{ ?v a ?t . VALUES ?t {{ {self.classes(value)} }} }}")
        return [self._result(shape, "Class", s["this"], s["v"]) for s in rows]

    # --- counts -------------------------------------------------------------------------------------------

    def _counted(self, shape: Shape, focus: Focus, having: str, optional: bool) -> ox.QuerySolutions:
        vp = f"?this <{shape.path}> ?v ."
        body = f"OPTIONAL {{ {vp} }}" if optional else vp
        return self.query(f"SELECT ?this WHERE {{ {focus('this')} {body} }} GROUP BY ?this HAVING ({having})")

    def _c_minCount(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        n = int(value)  # type: ignore[call-overload]
        if n == 1:
            absent = f"FILTER NOT EXISTS {{ ?this <{shape.path}> ?v }}"
            rows = self.query(f"SELECT ?this WHERE {{ {focus('this')} {absent} }}")
        else:
            rows = self._counted(shape, focus, f"COUNT(?v) < {n}", optional=True)
        return [self._result(shape, "MinCount", s["this"]) for s in rows]

    def _c_maxCount(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        rows = self._counted(shape, focus, f"COUNT(?v) > {int(value)}", optional=False)  # type: ignore
        return [self._result(shape, "MaxCount", s["this"]) for s in rows]

    def _c_uniqueLang(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        if str(value).lower() != "true":
            return []
        p = f"<{shape.path}>"
        rows = self.query(f"SELECT DISTINCT ?this WHERE {{ {focus('this')} ?this {p} ?v . ?this {p} ?w . "
                          "FILTER(!sameTerm(?v, ?w) && LANG(?v) != '' && LANG(?v) = LANG(?w)) }")
        return [self._result(shape, "UniqueLang", s["this"]) for s in rows]

    def _c_hasValue(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        t = _sparql_term(value)
        cond = f"FILTER NOT EXISTS {{ ?this <{shape.path}> {t} }}" if shape.path else f"FILTER(!sameTerm(?this, {t}))"
        return [self._result(shape, "HasValue", s["this"]) for s in self.query(
            f"SELECT ?this WHERE {{ {focus('this')} {cond} }}")]

    # --- shape-based constraints --------------------------------------------------------------------------

    def _c_node(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        bad = self.failing(self.shapes.shape(value), self.value_focus(shape, focus))
        return self._report_failing(shape, focus, "Node", bad)

    def _c_or(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        inner = self.value_focus(shape, focus)
        bad: set | None = None
        for member in self.shapes.items(value):
            failing = self.failing(self.shapes.shape(member), inner)
            bad = failing if bad is None else bad & failing
            if not bad:
                return []
        return self._report_failing(shape, focus, "Or", bad or set())

    def _c_and(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        inner = self.value_focus(shape, focus)
        bad = set().union(*(self.failing(self.shapes.shape(m), inner) for m in self.shapes.items(value)))
        return self._report_failing(shape, focus, "And", bad)

    def _c_qualifiedValueShape(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        bad = self.failing(self.shapes.shape(value), self.value_focus(shape, focus))
        out: list[Result] = []
        for name, op, comp in (("qualifiedMinCount", "<", "QualifiedMinCount"),
                               ("qualifiedMaxCount", ">", "QualifiedMaxCount")):
            for limit in shape.params.get(name, []):
                n = int(limit)  # type: ignore[call-overload]
                out += [self._result(shape, comp, this) for this in self._qualified(shape, focus, bad, op, n)]
        return out

    def _qualified(self, shape: Shape, focus: Focus, bad: set, op: str, n: int) -> Iterable[object]:
        if not bad:
            return [s["this"] for s in self._counted(shape, focus, f"COUNT(?v) {op} {n}", optional=True)]
        counts: dict[object, int] = {}
        for s in self.query(f"SELECT ?this ?v WHERE {{ {focus('this')} OPTIONAL {{ ?this <{shape.path}> ?v }} }}"):
            counts.setdefault(s["this"], 0)
            if s["v"] is not None and s["v"] not in bad:
                counts[s["this"]] += 1
        return [t for t, c in counts.items() if (c < n if op == "<" else c > n)]

    def _c_sparql(self, shape: Shape, focus: Focus, value: Node) -> list[Result]:
        g = self.shapes.graph
        if str(g.value(value, SH.deactivated)).lower() == "true":
            return []
        select = str(g.value(value, SH.select))
        if "$PATH" in select or "PREFIX" in select.upper().split("SELECT", 1)[0]:
            raise Unsupported("SPARQL constraints with $PATH or their own PREFIX declarations")
        rows = self.query(f"{self.shapes.prefixes(value)}\nSELECT ?this ?value ?path WHERE {{ {focus('this')} "
                          f"{{ {select} }} }}")
        messages = tuple(sorted(g.objects(value, SH.message), key=str)) or shape.messages
        severity = g.value(value, SH.severity) or shape.severity
        comp = f"{SH}SPARQLConstraintComponent"
        return [Result(s["this"], s["path"].value if s["path"] is not None else shape.path,
                       s["value"], comp, shape.node, messages, severity) for s in rows]  # type: ignore[arg-type]


def validate(store: ox.Store, shapes: Graph | Shapes, derived: Derived | None = None) -> list[Result]:
    """Every top-level result of the shapes over the store's default graph (data + ontology)."""
    compiled = shapes if isinstance(shapes, Shapes) else Shapes(shapes)
    return Validator(store, compiled, derived).run()
