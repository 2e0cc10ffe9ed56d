"""What every surface does the same way: read which of its formats a request asks for (`format=`, else
Accept), say 406 when none, and write an HTML page or RDF in a format of the media-type table — with
`Vary: Accept` (the representation was negotiated) and the table's Content-Type, charset included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox
from flask import Response, request

from hrgraph.formats import rdf
from hrgraph.formats.media import HTML, MediaFormat
from hrgraph.model.namespaces import PREFIXES
from hrgraph.web.conneg import pick
from hrgraph.web.errors import Refused


def requested(offers: Sequence[str]) -> str:
    """The offer the request asks for by `format=`, else by Accept; Refused 406 when it accepts none."""
    chosen = pick(request.headers.get("Accept"), request.args.get("format"), offers)
    if chosen is None:
        raise not_acceptable(offers)
    return chosen


def not_acceptable(offers: Sequence[str]) -> Refused:
    """The one 406: what is offered, for the client to choose from."""
    return Refused(406, f"none of the formats offered is acceptable: {', '.join(offers)}")


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
