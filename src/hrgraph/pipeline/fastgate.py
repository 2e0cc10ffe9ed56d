"""The gate's fast engine: the records and the ontology indexed once (shacl.DataGraph), the shapes checked
by hrgraph's SHACL engine (pipeline/shacl). When the gate holds records back, their triples are removed and
the shapes run again: a second round costs the checks, not another load. Results come back as the same
rows the pySHACL engine reads from its report (rdflib terms), so the gate treats both alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from rdflib import Graph

from hrgraph.pipeline.emit import Emitted
from hrgraph.pipeline.shacl import DataGraph, Result, Shapes, validate


def row(result: Result) -> dict[str, object]:
    """A result in the shape of the gate's report rows (sh: property local name -> rdflib term)."""
    return {
        "focusNode": result.focus,
        "resultPath": result.path,
        "value": result.value,
        "resultMessage": result.messages[0] if result.messages else None,
        "resultSeverity": result.severity,
        "sourceConstraintComponent": result.component,
    }


class FastEngine:
    """One data graph for all rounds of a gate: data + `extra` (vocabularies) + the ontology. pySHACL adds only
    the ontology's RDFS/OWL axioms to the data; the rest of `ontology` is the vocabularies, which are data too."""

    def __init__(self, shapes: Graph, ontology: Graph, extra: Graph) -> None:
        self.shapes = Shapes(shapes)  # raises Unsupported before anything is loaded
        self.data: DataGraph | None = None
        self.background = list(ontology) + list(extra)

    def validate(self, published: list[Emitted]) -> tuple[bool, list[dict[str, object]]]:
        """(sh:conforms — no result of any severity, the rows of the distinct results)."""
        if self.data is None:
            self.data = DataGraph(chain(self.background, (t for e in published for t in e.triples)))
        results = list(dict.fromkeys(validate(self.data, self.shapes)))
        rows = sorted((row(r) for r in results), key=lambda d: tuple(str(v) for v in d.values()))
        return not rows, rows

    def hold_back(self, records: Iterable[Emitted], remaining: list[Emitted]) -> None:
        """Remove the records' triples, unless a remaining record, the ontology or a vocabulary states them too."""
        assert self.data is not None
        removed = {t for e in records for t in e.triples} - set(self.background)
        removed -= {t for e in remaining for t in e.triples if t in removed}
        self.data.remove(removed)
