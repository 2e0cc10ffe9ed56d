"""Materialise superclass types from the ontology, so a client that knows only schema:Person finds everyone."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from hrgraph.pipeline.emit import Emitted


def superclasses(ontology: Graph) -> dict[URIRef, list[URIRef]]:
    """Every named class → all its named superclasses (transitive), sorted for deterministic output."""
    direct: dict[URIRef, set[URIRef]] = {}
    for c, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(c, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(c, set()).add(sup)
    closure: dict[URIRef, list[URIRef]] = {}
    for c in direct:
        seen: set[URIRef] = set()
        todo = list(direct[c])
        while todo:
            s = todo.pop()
            if s not in seen and s != c:
                seen.add(s)
                todo.extend(direct.get(s, ()))
        closure[c] = sorted(seen)
    return closure


def materialise(emitted: list[Emitted], closure: dict[URIRef, list[URIRef]]) -> None:
    for e in emitted:
        # Only the (subject, class) pairs: a set of whole triples would hash every literal (slow in rdflib).
        types = [(s, o) for s, p, o in e.triples if p == RDF.type]
        have = set(types)
        for s, cls in types:
            for sup in closure.get(cls, ()):  # type: ignore[call-overload]
                if (s, sup) not in have:
                    have.add((s, sup))
                    e.triples.append((s, RDF.type, sup))
