"""rdflib terms to canonical N-Triples, fast: the one way the build writes triples for pyoxigraph to read
(the SHACL gate's store, the dumps). rdflib's own `n3()` costs several times as much per term."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = str(XSD.string)
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')  # anything else is written as it is (canonical N-Triples)


def nt_literal(term: Literal) -> str:
    """A literal in canonical N-Triples; the rare one that needs escaping is escaped by pyoxigraph."""
    value = str(term)
    quoted = str(ox.Literal(value)) if _NEEDS_ESCAPE.search(value) else f'"{value}"'
    if term.language:
        return f"{quoted}@{term.language}"
    if term.datatype is not None and str(term.datatype) != _XSD_STRING:
        return f"{quoted}^^<{term.datatype}>"
    return quoted


def nt_term(term: Node) -> str:
    if isinstance(term, Literal):
        return nt_literal(term)
    return f"_:{term}" if isinstance(term, BNode) else f"<{term}>"


def nt_lines(triples: Iterable[tuple[Node, Node, Node]]) -> set[str]:
    """The distinct N-Triples lines of `triples` (newline included); IRIs are formatted once each."""
    names: dict[Node, str] = {}
    lines: set[str] = set()
    for s, p, o in triples:
        if (sn := names.get(s)) is None:
            sn = names[s] = nt_term(s)
        if (pn := names.get(p)) is None:
            pn = names[p] = nt_term(p)
        if type(o) is URIRef:  # exact type: a Literal would be hashed by rdflib's slow __hash__
            if (on := names.get(o)) is None:
                on = names[o] = f"<{o}>"
        else:
            on = nt_term(o)
        lines.add(f"{sn} {pn} {on} .\n")
    return lines
