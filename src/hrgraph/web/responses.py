"""Responses every surface writes the same way: an HTML page, and RDF in a format of the media-type table.

Both say `Vary: Accept` (the representation was negotiated) and take their Content-Type, charset included,
from the table (`hrgraph.formats.media`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from flask import Response

from hrgraph.formats import rdf
from hrgraph.formats.media import HTML, MediaFormat
from hrgraph.model.namespaces import PREFIXES


def html_page(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, content_type=HTML.content_type)
    response.headers["Vary"] = "Accept"
    return response


def rdf_document(triples: Iterable[ox.Triple], fmt: MediaFormat, *, context: Mapping[str, object] | None = None,
                 prefixes: Mapping[str, str] = PREFIXES) -> Response:
    """`triples` in `fmt`; JSON-LD compacted with `context` (the dump's, where the caller has it)."""
    response = Response(rdf.serialize(triples, fmt, prefixes=prefixes, context=context), content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response
