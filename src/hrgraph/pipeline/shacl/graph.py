"""The data graph as plain dictionaries: predicate → subject → objects, built once from the triples the gate
already holds (no copy into a store, no serialisation), so each constraint is a dictionary walk.

Lists of objects keep the order the triples came in and carry no duplicates. The inverse index (predicate →
object → subjects) and the subclass closure are built on first use and dropped when triples are removed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
NONE: tuple[Node, ...] = ()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Indexing and checking a large graph makes millions of small objects that all stay alive: the cyclic
    collector would rescan every one of them again and again (half the time of a 1M-triple gate). Nothing
    here makes reference cycles, so it rests meanwhile."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class DataGraph:
    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self.out: dict[Node, dict[Node, list[Node]]] = {}
        self._in: dict[Node, dict[Node, list[Node]]] = {}
        self._sub: dict[Node, frozenset[Node]] = {}
        self.mirrors: list = []  # stores kept in step with this graph (SPARQL constraints: `sparql.Mirror`)
        self.add(triples)

    def add(self, triples: Iterable[Triple]) -> None:
        with paused_gc():
            self._add(triples)

    def _add(self, triples: Iterable[Triple]) -> None:
        out = self.out
        grown: dict[int, list[Node]] = {}
        for s, p, o in triples:
            by_s = out.get(p)
            if by_s is None:
                by_s = out[p] = {}
            objects = by_s.get(s)
            if objects is None:
                by_s[s] = [o]
            else:
                objects.append(o)
                grown[id(objects)] = objects
        for objects in grown.values():  # a repeated triple (two records stating it, ontology + data) counts once
            objects[:] = dict.fromkeys(objects)
        self._changed()

    def remove(self, triples: Iterable[Triple]) -> None:
        gone = list(triples)
        for s, p, o in gone:
            objects = self.out.get(p, {}).get(s)
            if objects is not None and o in objects:
                objects.remove(o)
                if not objects:
                    del self.out[p][s]
        for mirror in self.mirrors:
            mirror.remove(gone)
        self._changed()

    def _changed(self) -> None:
        self._in.clear()
        self._sub.clear()

    def objects(self, s: Node, p: Node) -> list[Node] | tuple[Node, ...]:
        return self.out.get(p, {}).get(s, NONE)

    def by_subject(self, p: Node) -> dict[Node, list[Node]]:
        return self.out.get(p, {})

    def by_object(self, p: Node) -> dict[Node, list[Node]]:
        """Object → subjects of `p`, built on first use."""
        inv = self._in.get(p)
        if inv is None:
            inv = self._in[p] = {}
            for s, objects in self.out.get(p, {}).items():
                for o in objects:
                    subjects = inv.get(o)
                    if subjects is None:
                        inv[o] = [s]
                    else:
                        subjects.append(s)
        return inv

    def predicates(self, s: Node) -> list[Node]:
        return [p for p, by_s in self.out.items() if s in by_s]

    def subclasses(self, cls: Node) -> frozenset[Node]:
        """`cls` and every class below it (rdfs:subClassOf*, from the data graph)."""
        hit = self._sub.get(cls)
        if hit is None:
            below = self.by_object(RDFS.subClassOf)
            seen, todo = {cls}, [cls]
            while todo:
                for sub in below.get(todo.pop(), NONE):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            hit = self._sub[cls] = frozenset(seen)
        return hit

    def instances(self, cls: Node) -> list[Node]:
        """SHACL instances of `cls`: rdf:type/rdfs:subClassOf* cls."""
        typed = self.by_object(RDF.type)
        return list(dict.fromkeys(n for c in self.subclasses(cls) for n in typed.get(c, NONE)))

    def class_set(self, cls: Node) -> frozenset[Node]:
        """`subclasses`, holding the very objects the data's rdf:type triples hold where it can, so that a
        membership test is an identity check rather than rdflib's __eq__ (a Python call)."""
        typed = self.by_object(RDF.type)
        same = {c: c for c in typed}
        return frozenset(same.get(c, c) for c in self.subclasses(cls))
