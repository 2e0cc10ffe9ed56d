"""Every list is data: an index, a facet selection, search results and a saved query's results are HTML for
people and CSV and JSON for programs and spreadsheets, chosen by extension (`/persons.csv`), by `format=`, or
by `Accept`, with the IRIs in them.

One decision for all lists: JSON is paged like the HTML (`page=`, with `next` and `prev` links), since a
program follows links; CSV is the whole selection, since it is a download for a spreadsheet. CSV is written by
xref/table.py's writer, the one that never writes a cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from flask import Response, request

from hrgraph.formats import media
from hrgraph.web.conneg import negotiate
from hrgraph.web.errors import Refused, answer_errors_as
from hrgraph.web.responses import html_page
from hrgraph.xref.table import write

HTML, CSV, JSON = media.HTML.media_type, media.CSV.media_type, media.JSON.media_type
FORMATS = {f.extension: f.media_type for f in (media.HTML, media.CSV, media.JSON)}  # from the one table
JSON_ERRORS = media.JSON  # errors of a `.json` list: the JSON error object


def list_format(ext: str | None) -> str:
    """The media type a list is asked in: the URL's extension, else `format=`, else `Accept` (HTML first)."""
    named = ext or request.args.get("format")
    if named:
        chosen = FORMATS.get(named.lower())
        if chosen is None:
            raise Refused(404 if ext else 400, f"lists are offered as .html, .csv or .json, not {named!r}")
        if chosen == JSON:
            answer_errors_as(JSON_ERRORS)
        return chosen
    chosen = negotiate(request.headers.get("Accept"), (HTML, CSV, JSON))
    if chosen is None:
        raise Refused(406, f"this list is offered as {HTML}, {CSV} or {JSON}")
    return chosen


def page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        raise Refused(400, f"page must be a positive integer, not {raw[:20]!r}")
    return int(raw)


def link(path: str, changes: Mapping[str, str | Sequence[str] | None]) -> str:
    """`path` with the request's query string changed: a value replaces, a list replaces all values of that
    name, None removes it. Parameters keep their order; `format` and `page` are dropped unless changed."""
    params = [(k, v) for k, v in request.args.items(multi=True) if k not in changes and k not in ("format", "page")]
    for key, value in changes.items():
        if isinstance(value, str):
            params.append((key, value))
        elif value is not None:
            params += [(key, v) for v in value]
    return path + (f"?{urlencode(params)}" if params else "")


def csv_response(header: Sequence[str], rows: Iterable[Sequence[object]], name: str) -> Response:
    response = Response(write(header, rows), content_type=media.CSV.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.headers["Vary"] = "Accept"
    return response


def json_response(body: Any) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), content_type=JSON)
    response.headers["Vary"] = "Accept"
    return response


def html_response(body: str) -> Response:
    return html_page(body)


def cell(items: Iterable[tuple[str, str]]) -> str:
    """Entities in one CSV cell as xref's batch writes them: `label <IRI>`, joined by ` | `."""
    return " | ".join(f"{label} <{iri}>" if iri.startswith(("http://", "https://")) else label
                      for iri, label in items)


def formats_of(path: str) -> dict[str, str]:
    """Links to this list (all pages' selection) in each format."""
    stem = path.rsplit(".", 1)[0] if path.rsplit("/", 1)[-1].count(".") else path
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k not in ("format", "page")])
    return {ext.upper(): f"{stem}.{ext}" + (f"?{query}" if query else "") for ext in ("csv", "json")}
