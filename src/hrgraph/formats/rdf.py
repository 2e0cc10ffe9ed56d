"""Triples written in a format of the media-type table: one function for resource documents, graph-store
graphs, the ontology, CONSTRUCT results and the saved-query examples.

Turtle, TriG and RDF/XML get the project's prefixes (`hrgraph.model.namespaces.PREFIXES`, the one table);
JSON-LD is compacted (`hrgraph.formats.jsonld`) with the context given — the dump's, where the caller has
it — else with the prefixes alone (pyoxigraph writes only expanded JSON-LD); N-Triples and N-Quads have no
prefixes to write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from hrgraph.formats import jsonld
from hrgraph.formats.media import JSON_LD, MediaFormat
from hrgraph.model.namespaces import PREFIXES

WITH_PREFIXES = (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)


def serialize(triples: Iterable[ox.Triple], fmt: MediaFormat, *, prefixes: Mapping[str, str] = PREFIXES,
              context: Mapping[str, object] | None = None) -> bytes:
    """`triples` in `fmt` (a format with `rdf` set; ValueError otherwise)."""
    if fmt.rdf is None:
        raise ValueError(f"{fmt.media_type} is not an RDF syntax")
    if fmt is JSON_LD:
        return jsonld.document(triples, context or {"@context": dict(prefixes)})
    return ox.serialize(triples, format=fmt.rdf, prefixes=dict(prefixes) if fmt.rdf in WITH_PREFIXES else None) or b""
