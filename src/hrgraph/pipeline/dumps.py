"""Serialise graphs deterministically: the same input gives byte-identical files."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from hrgraph.model.namespaces import HR, PREFIXES

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def sorted_graph(triples: Iterable[Triple]) -> Graph:
    """A graph whose insertion order is sorted, so every serializer walks it in the same order each run."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    for t in sorted(set(triples), key=lambda t: (str(t[0]), str(t[1]), t[2].n3())):
        g.add(t)
    return g


def write_turtle(graph: Graph, path: Path) -> None:
    path.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))


def ntriples_lines(graph: Graph) -> list[str]:
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted(line for line in text.splitlines() if line.strip())


def write_ntriples_gz(graph: Graph, path: Path) -> bytes:
    """Sorted N-Triples, gzipped with no timestamp or name in the header; returns the uncompressed bytes."""
    data = ("\n".join(ntriples_lines(graph)) + "\n").encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(data)
    return data


def jsonld_context(ontology: Graph) -> dict[str, object]:
    """The @context, generated from the ontology: every hr: term by its local name, object properties as @id."""
    ctx: dict[str, object] = {p: str(ns) for p, ns in PREFIXES.items() if p not in ("sh",)}
    for term in sorted(set(ontology.subjects()), key=str):
        if not isinstance(term, URIRef) or not str(term).startswith(str(HR)):
            continue
        name = str(term)[len(str(HR)):]
        if (term, RDF.type, OWL.ObjectProperty) in ontology:
            ctx[name] = {"@id": f"hr:{name}", "@type": "@id"}
        else:
            ctx[name] = f"hr:{name}"
    return {"@context": ctx}


def write_jsonld(graph: Graph, path: Path, context: dict[str, object]) -> None:
    """JSON-LD with the context inline (self-contained) — the same context is published as context.jsonld."""
    text = graph.serialize(format="json-ld", context=context["@context"], auto_compact=True, indent=1)
    doc = _canonical(json.loads(text))
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _canonical(doc: dict) -> dict:
    """rdflib's JSON-LD walks the graph in hash order; sort nodes by @id and unordered value arrays."""
    def sort_values(node: dict) -> dict:
        return {k: sorted(v, key=lambda x: json.dumps(x, sort_keys=True)) if isinstance(v, list) else v
                for k, v in node.items()}

    if isinstance(doc.get("@graph"), list):
        doc["@graph"] = sorted((sort_values(n) for n in doc["@graph"]), key=lambda n: str(n.get("@id", "")))
    return doc


def write_json(obj: object, path: Path) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
