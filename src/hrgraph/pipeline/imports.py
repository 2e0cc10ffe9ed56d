"""`hrgraph build --input FILE...`: RDF files (Turtle, N-Triples, N-Quads' triples; optionally gzipped) added
to a build as records, so the gate validates them and holds back failing resources one by one.

A record is a focus resource: a subject IRI together with the fragment IRIs under it (an evidence
annotation owns its `#target`, `#quote` and `#position`). Files are parsed by pyoxigraph (fast, strict);
a syntax error is an input error naming the file and line, like a broken YAML file.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from hrgraph.errors import DataError
from hrgraph.model.records import Origin, Record
from hrgraph.pipeline.emit import Emitted
from hrgraph.pipeline.oxterms import to_rdflib

FORMATS = {"ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
           "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def _format(path: Path) -> ox.RdfFormat:
    suffix = path.name.removesuffix(".gz").rsplit(".", 1)[-1].lower()
    if suffix not in FORMATS:
        raise DataError(f"cannot tell the RDF syntax of {path.name}: name it .ttl, .nt, .nq or .trig (+ .gz)",
                        str(path))
    return FORMATS[suffix]


def owner_key(subject: ox.NamedNode | ox.BlankNode) -> str:
    """The focus resource a subject belongs to: the IRI without its fragment."""
    return subject.value.split("#", 1)[0] if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"


def read_quads(path: Path, base_iri: str | None = None, prefixes: dict[str, str] | None = None) -> Iterable[ox.Quad]:
    """The file's quads; a syntax error is a DataError naming the file and line. Relative IRIs need `base_iri`;
    `prefixes`, when given, receives the file's prefix declarations once it is read."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        try:
            parser = ox.parse(fh, format=_format(path), base_iri=base_iri)
            yield from parser
            if prefixes is not None:
                prefixes.update(parser.prefixes)
        except SyntaxError as exc:
            raise DataError(f"not valid RDF: {exc}", str(path)) from None


def import_rdf(paths: Iterable[Path], root: Path | None = None) -> list[Emitted]:
    """One Emitted per focus resource of the files, in the files' order of first appearance."""
    records: dict[str, Emitted] = {}
    terms: dict[object, object] = {}  # conversion cache: IRIs repeat a lot, and so do literals (label = prefLabel)

    def conv(term: object) -> object:
        if (hit := terms.get(term)) is None:
            hit = terms[term] = to_rdflib(term)
        return hit

    for path in paths:
        shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        origin = Origin(shown, 0)
        last, rec, subject = None, None, None
        for q in read_quads(path):
            if q.subject != last:  # files list a subject's triples together: look its record up once
                last = q.subject
                key = owner_key(last)  # type: ignore[arg-type]
                rec = records.get(key)
                if rec is None:
                    focus = conv(ox.NamedNode(key)) if isinstance(last, ox.NamedNode) else conv(last)
                    rec = records[key] = Emitted(Record("imports", key, {}, origin), focus)  # type: ignore[arg-type]
                subject = conv(last)
            rec.triples.append((subject, conv(q.predicate), conv(q.object)))  # type: ignore[union-attr]
    return list(records.values())
