"""JSON-LD compacted with the context generated from the ontology: the dump, written as a stream (flattened,
one node object per subject, in the sorted order of the N-Triples, one node per line so it diffs well), and
each resource's document (`document`), with the same context inline.

rdflib's serializer built the whole document in memory, in hash order, and took minutes at 1M triples;
pyoxigraph's takes prefixes but not our term definitions. Compaction here is the small, safe subset of the
JSON-LD algorithm: a context term for its IRI (a string value under an `@type: @id` term is an IRI), else a
compact IRI by the longest prefix, else the full IRI; literals keep their exact lexical form.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

RDF_TYPE, XSD_STRING = str(RDF.type), str(XSD.string)
Value = str | dict[str, str]


@dataclass
class Compactor:
    """IRI → the shortest form the context expands back to the same IRI."""

    terms: dict[str, tuple[str, bool]]  # IRI → (term, whether its values are coerced to @id)
    prefixes: list[tuple[str, str]]  # (namespace, prefix), longest namespace first
    _cache: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, context: Mapping[str, object]) -> Compactor:
        namespaces = {name: v for name, v in context.items() if isinstance(v, str) and "://" in v}

        def expand(value: str) -> str:
            prefix, _, local = value.partition(":")
            return namespaces[prefix] + local if prefix in namespaces else value

        terms: dict[str, tuple[str, bool]] = {}
        for name, value in context.items():
            if name in namespaces:
                continue
            if isinstance(value, str):
                terms[expand(value)] = (name, False)
            elif isinstance(value, dict) and isinstance(value.get("@id"), str):
                terms[expand(value["@id"])] = (name, value.get("@type") == "@id")
        prefixes = sorted(((ns, name) for name, ns in namespaces.items()), key=lambda p: (-len(p[0]), p[1]))
        return cls(terms, prefixes)

    def iri(self, iri: str) -> str:
        """A compact IRI (`prefix:local`) when a prefix covers it, else the IRI itself."""
        if (hit := self._cache.get(iri)) is None:
            hit = self._cache[iri] = next(
                (f"{prefix}:{iri[len(ns):]}" for ns, prefix in self.prefixes
                 if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//")), iri)
        return hit

    def vocab(self, iri: str) -> str:
        """A property or class: its term when the context has one."""
        term = self.terms.get(iri)
        return term[0] if term else self.iri(iri)

    def coerced(self, iri: str) -> bool:
        term = self.terms.get(iri)
        return bool(term and term[1])


def _ref(term: object) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value  # type: ignore[attr-defined]


def _literal(lit: ox.Literal, c: Compactor, coerced: bool) -> Value:
    if lit.language:
        return {"@language": lit.language, "@value": lit.value}
    datatype = lit.datatype.value
    if datatype != XSD_STRING:
        return {"@type": c.iri(datatype), "@value": lit.value}
    return {"@value": lit.value} if coerced else lit.value  # a bare string under an @id term would be an IRI


def _put(node: dict[str, object], key: str, value: Value) -> None:
    """One value stays bare, more become an array (in the order of the N-Triples)."""
    have = node.get(key)
    if have is None:
        node[key] = value
    elif isinstance(have, list):
        have.append(value)
    else:
        node[key] = [have, value]


def nodes(triples: Iterable[ox.Triple], c: Compactor) -> Iterator[dict[str, object]]:
    """Node objects, one per subject; `triples` must be grouped by subject (the sorted N-Triples are)."""
    node: dict[str, object] | None = None
    subject = None
    for t in triples:
        if t.subject != subject:
            if node is not None:
                yield node
            subject, node = t.subject, {"@id": _ref(t.subject)}
        assert node is not None
        p, o = t.predicate.value, t.object
        if isinstance(o, ox.Literal):
            _put(node, c.vocab(p), _literal(o, c, c.coerced(p)))
        elif p == RDF_TYPE:
            _put(node, "@type", c.vocab(o.value) if isinstance(o, ox.NamedNode) else _ref(o))
        else:
            _put(node, c.vocab(p), _ref(o) if c.coerced(p) else {"@id": _ref(o)})
    if node is not None:
        yield node


def document(triples: Iterable[ox.Triple], context: Mapping[str, object]) -> bytes:
    """A small document (a resource's description): `triples` compacted with `context` (`{"@context": …}`),
    which is written inline, so the document reads without fetching anything."""
    ctx = context["@context"]
    assert isinstance(ctx, Mapping)
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    body = {"@context": ctx, "@graph": list(nodes(ordered, Compactor.of(ctx)))}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def write_jsonld(triples: Iterable[ox.Triple], path: Path, context: Mapping[str, object]) -> None:
    """The document with the context inline (self-contained); the same context is published as context.jsonld."""
    ctx = context["@context"]
    assert isinstance(ctx, Mapping)
    c = Compactor.of(ctx)
    head = json.dumps(ctx, ensure_ascii=False, indent=1, sort_keys=True).replace("\n", "\n ")
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f'{{\n "@context": {head},\n "@graph": [')
        sep = "\n  "
        for node in nodes(triples, c):
            fh.write(sep + json.dumps(node, ensure_ascii=False, sort_keys=True))
            sep = ",\n  "
        fh.write("\n ]\n}\n")
