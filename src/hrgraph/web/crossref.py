"""`/xref`: cross-reference a list of names. GET is the page (an upload form, and how to do the same from the
command line or from OpenRefine); POST a CSV — a form upload (`file`), or the CSV itself as the body
(`Content-Type: text/csv`, e.g. `curl --data-binary @names.csv`) — and get each row's best matches back as an
HTML table, CSV (`/xref.csv`, `format=csv` or `Accept: text/csv`) or JSON (`/xref.json`, …).

Refusals (xref/table.py) keep their 4xx and message: wrong encoding, no header, too many rows
(`HRGRAPH_XREF_MAX_ROWS`), formula-like cells; a body past `HRGRAPH_MAX_BODY` is a 413 that says so
in words for a list of names. They come in the format the extension names (`/xref.json`: JSON), else by Accept.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from hrgraph.formats.media import CSV, HTML, JSON
from hrgraph.web import errors
from hrgraph.web.conneg import negotiate
from hrgraph.web.errors import Refused
from hrgraph.web.lookup import catalogue, settings, store
from hrgraph.web.present import Presenter
from hrgraph.xref import batch, table
from hrgraph.xref.properties import PROPERTIES

bp = Blueprint("crossref", __name__)
FORMATS = {f.extension: f.media_type for f in (HTML, CSV, JSON)}  # from the one media-type table


@bp.before_request
def _errors_as_the_extension_says() -> None:
    """`/xref.json` is asked by programs: its refusals come as JSON whatever the Accept (`.html` as a page)."""
    fmt = {JSON.extension: JSON, HTML.extension: HTML}.get((request.view_args or {}).get("ext", ""))
    if fmt is not None:
        errors.answer_errors_as(fmt)


@bp.get("/xref")
def page() -> str:
    return render_template("xref.html", max_rows=settings().xref_max_rows, max_body=settings().max_body_bytes,
                           root=request.host_url.rstrip("/"), properties=[p for p in PROPERTIES if p.conditional])


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge) -> Response:
    """Said for a list of names, not as the app's 413 says it to SPARQL clients (read wherever the body is:
    the form's fields are parsed before the route looks at the file)."""
    return errors.answer(Refused(413, f"the CSV is larger than {settings().max_body_bytes:,} bytes "
                                      f"(HRGRAPH_MAX_BODY): split the list into files of at most "
                                      f"{settings().xref_max_rows:,} rows and upload them one by one"))


@bp.post("/xref")
@bp.post("/xref.<ext>")
def cross_reference(ext: str | None = None) -> Response | str:
    if ext is not None and ext not in FORMATS:
        raise Refused(404, f"no format .{ext}: use .csv, .json or .html")
    wanted = request.values.get("format", "").lower()
    media = FORMATS.get(ext or wanted) or negotiate(request.headers.get("Accept"), list(FORMATS.values()))
    if media is None:
        raise Refused(406, "cross-reference answers in text/html, text/csv or application/json")
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data()
    if not data:
        raise Refused(400, "no CSV: upload a file in the form field `file`, or send the CSV as the body "
                           "(Content-Type: text/csv)")
    parsed = table.read(data, settings().xref_max_rows)  # a TableError carries its status to the one handler
    results = batch.cross_reference(catalogue(), store(), parsed, settings().search_max_chars)
    name = (upload.filename or "names.csv") if upload is not None else "names.csv"
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "names"
    if media == "text/csv":
        response = Response(batch.to_csv(parsed, results), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{_safe(stem)}-hrgraph.csv"'
        return response
    if media == "application/json":
        return Response(json.dumps(batch.to_json(parsed, results), ensure_ascii=False), mimetype="application/json")
    return render_template("xref_result.html", table=parsed, results=results, p=Presenter(settings().base),
                           summary=_summary(results), name=name)


def _summary(results: list[batch.RowResult]) -> dict[str, int]:
    return {s: sum(r.status == s for r in results) for s in ("match", "candidates", "no match", "empty", "too long")}


def _safe(stem: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)
