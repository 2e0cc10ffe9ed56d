"""OWL 2 consistency check with HermiT (through owlready2), for the ontology alone or with built data.

owlready2 cannot read Turtle, so the inputs are merged with rdflib and written to one N-Triples file in a
temporary directory, which is loaded into a fresh owlready2 World (never the global default world).

Usage from a test:

    from owl_check import check_consistency, dl_typing_problems, java_available, merge
    result = check_consistency([ONTOLOGY, *VOCAB, Path("dist/hrgraph.nt.gz")])  # or dist/hrgraph.ttl
    assert dl_typing_problems(merge([ONTOLOGY, *VOCAB, Path("dist/hrgraph.nt.gz")])) == []
    assert result.consistent, result.message

Data literals typed xsd:date, xsd:gYear, xsd:gYearMonth or xsd:gMonthDay are outside the OWL 2 datatype
map; HermiT refuses them unless told to ignore unsupported datatypes, which is the default here
(`ignore_unsupported_datatypes=True`). Pass False to check that a graph uses OWL 2 datatypes only.
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

JAVA_MISSING = "Java is not installed: HermiT consistency check needs a JVM"


def java_available() -> bool:
    return shutil.which("java") is not None


@dataclass
class ConsistencyResult:
    consistent: bool
    inconsistent_classes: list[str] = field(default_factory=list)
    message: str = ""
    triples: int = 0


def _format_for(path: Path) -> str | None:
    suffixes = [x.lower() for x in path.suffixes if x.lower() != ".gz"]
    formats = {".nt": "nt", ".ttl": "turtle", ".rdf": "xml", ".owl": "xml", ".nq": "nquads", ".trig": "trig"}
    return formats.get(suffixes[-1]) if suffixes else None


def merge(paths: Iterable[Path]) -> rdflib.Graph:
    """Union of RDF files (Turtle, N-Triples, RDF/XML; `.gz` compressed too, e.g. dist/hrgraph.nt.gz)."""
    graph = rdflib.Graph()
    for path in map(Path, paths):
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                graph.parse(data=fh.read(), format=_format_for(path))
        else:
            graph.parse(path, format=_format_for(path))
    return graph


def check_consistency(
    paths: list[Path],
    *,
    ignore_unsupported_datatypes: bool = True,
    java_memory_mb: int = 2000,
) -> ConsistencyResult:
    """Run HermiT on the union of `paths` (Turtle, N-Triples, RDF/XML).

    Returns consistent=False when HermiT finds the ontology inconsistent or when some class is
    unsatisfiable (equivalent to owl:Nothing). A Java or parsing failure raises owlready2's error,
    so a broken input is never mistaken for a consistent one.
    """
    import owlready2

    graph = merge(paths)
    with tempfile.TemporaryDirectory(prefix="hrgraph-owl-") as tmp:
        nt = Path(tmp) / "merged.nt"
        graph.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            owlready2.JAVA_MEMORY = java_memory_mb
            onto = world.get_ontology(nt.as_uri()).load()
            try:
                owlready2.sync_reasoner_hermit(
                    world,
                    infer_property_values=False,
                    debug=0,
                    ignore_unsupported_datatypes=ignore_unsupported_datatypes,
                )
            except owlready2.OwlReadyInconsistentOntologyError:
                return ConsistencyResult(False, [], "HermiT: the ontology is inconsistent", len(graph))
            bad = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
            message = "unsatisfiable classes: " + ", ".join(bad) if bad else "consistent"
            del onto
            return ConsistencyResult(not bad, bad, message, len(graph))
        finally:
            world.close()


_PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# Built-in vocabulary that OWL 2 DL does not require to be declared.
_BUILTIN_PREDICATES = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo}


def _builtin(term: rdflib.term.Node) -> bool:
    text = str(term)
    return any(text.startswith(str(ns)) for ns in (RDF, RDFS, OWL)) and term not in _BUILTIN_PREDICATES


def dl_typing_problems(graph: rdflib.Graph, limit: int = 50) -> list[str]:
    """Cheap OWL 2 DL typing checks that HermiT does not report by itself.

    - a property declared with more than one of owl:ObjectProperty / DatatypeProperty / AnnotationProperty;
    - a predicate used without any declaration;
    - an object property with a literal value, or a datatype property with an IRI or blank-node value;
    - an rdf:type to a class that is not declared owl:Class.
    Pass the ontology together with the data (and vocabularies) so the declarations are visible.
    """
    problems: list[str] = []
    kinds: dict[rdflib.term.Node, set[rdflib.term.Node]] = {}
    for kind in _PROPERTY_KINDS:
        for prop in graph.subjects(RDF.type, kind):
            kinds.setdefault(prop, set()).add(kind)
    for prop, found in sorted(kinds.items()):
        if len(found) > 1:
            problems.append(f"{prop} is declared as more than one kind of property: {sorted(found)}")
    classes = set(graph.subjects(RDF.type, OWL.Class))
    seen: set[tuple[str, rdflib.term.Node]] = set()
    for s, p, o in graph:
        if p == RDF.type:
            if isinstance(o, rdflib.URIRef) and not _builtin(o) and o not in classes and ("class", o) not in seen:
                seen.add(("class", o))
                problems.append(f"{o} is used as a class (rdf:type) but not declared owl:Class")
            continue
        if _builtin(p) or p in _BUILTIN_PREDICATES:
            continue
        found = kinds.get(p)
        if not found:
            if ("undeclared", p) not in seen:
                seen.add(("undeclared", p))
                problems.append(f"{p} is used but not declared as an OWL property")
        elif OWL.ObjectProperty in found and isinstance(o, rdflib.Literal):
            if ("literal", p) not in seen:
                seen.add(("literal", p))
                problems.append(f"object property {p} has a literal value (e.g. on {s})")
        elif OWL.DatatypeProperty in found and not isinstance(o, rdflib.Literal):
            if ("resource", p) not in seen:
                seen.add(("resource", p))
                problems.append(f"datatype property {p} has a non-literal value (e.g. on {s})")
        if len(problems) >= limit:
            break
    return problems
