"""The gate's fast engine: records loaded into an in-memory pyoxigraph store, shapes run as SPARQL (fastshacl).

The store is loaded once; when the gate holds records back, their triples are removed and the shapes run
again, so a second round costs the queries but not another load. Results come back as the same rows the
pySHACL engine reads from its report (rdflib terms), so the gate treats both alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from hrgraph.pipeline.emit import Emitted
from hrgraph.pipeline.fastshacl import INTEGER_TYPES, Derived, Result, Shapes, Validator
from hrgraph.pipeline.ntriples import nt_lines


def to_rdflib(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value) if dt == str(XSD.string) else Literal(term.value, datatype=URIRef(dt))


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None and term.datatype != RDF.langString:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def _note_derived(triples: Iterable[tuple[Node, Node, Node]], derived: Derived) -> Iterator[tuple[Node, Node, Node]]:
    """Pass triples through, noting the datatype of integer literals the store will turn into xsd:integer."""
    for t in triples:
        o = t[2]
        if isinstance(o, Literal) and o.datatype in INTEGER_TYPES and o.datatype != XSD.integer:
            lexical = str(o)
            try:
                derived[(str(t[0]), str(t[1]), str(int(lexical)))] = (str(o.datatype), lexical)
            except ValueError:
                pass  # not an integer: the store keeps it as written
        yield t


def load_triples(store: ox.Store, triples: Iterable[tuple[Node, Node, Node]], derived: Derived | None = None) -> None:
    """Bulk-load rdflib triples, written as canonical N-Triples (`ntriples`, far cheaper than rdflib's n3())."""
    lines = nt_lines(_note_derived(triples, derived if derived is not None else {}))
    store.bulk_load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)


def row(result: Result) -> dict[str, object]:
    """A result in the shape of the gate's report rows (sh: property local name -> rdflib term)."""
    return {
        "focusNode": to_rdflib(result.focus),
        "resultPath": URIRef(result.path) if result.path else None,
        "value": to_rdflib(result.value),
        "resultMessage": result.messages[0] if result.messages else None,
        "resultSeverity": result.severity,
        "sourceConstraintComponent": URIRef(result.component),
    }


class FastEngine:
    """One store for all rounds of a gate: data + `extra` (vocabularies) + the ontology, as pySHACL mixes them."""

    def __init__(self, shapes: Graph, ontology: Graph, extra: Graph) -> None:
        self.shapes = Shapes(shapes)  # raises Unsupported before anything is loaded
        self.store: ox.Store | None = None
        self.derived: Derived = {}
        self.background = list(ontology) + list(extra)

    def validate(self, published: list[Emitted]) -> tuple[bool, list[dict[str, object]]]:
        if self.store is None:
            self.store = ox.Store()
            load_triples(self.store, self.background, self.derived)
            load_triples(self.store, (t for e in published for t in e.triples), self.derived)
        results = Validator(self.store, self.shapes, self.derived).run()
        rows = sorted((row(r) for r in results), key=lambda d: tuple(str(v) for v in d.values()))
        conforms = not any(str(r["resultSeverity"]).endswith("Violation") for r in rows)
        return conforms, rows

    def hold_back(self, records: Iterable[Emitted], remaining: list[Emitted]) -> None:
        """Remove the records' triples, unless a remaining record, the ontology or a vocabulary states them too."""
        assert self.store is not None
        removed = {t for e in records for t in e.triples} - set(self.background)
        removed -= {t for e in remaining for t in e.triples if t in removed}
        for t in removed:
            self.store.remove(ox.Quad(*(to_oxigraph(x) for x in t)))  # type: ignore[misc]
