"""The one error shape of the web layer: a status and a plain message, in the format the client asked for.

Every refusal is *raised*: an `HrgraphError` carries its HTTP meaning (`status`, `retry_after`: a store's
errors, `QueryError` 400, `QueryTimeout` 504, `StoreError` 503, …; `Refused` is the web layer's own), and
the one handler `install` registers answers it. Flask's own errors (unknown path, wrong method, a body over
the limit) and any unexpected exception (500, logged with its traceback) take the same path, so no client
ever sees Flask's default page. No route builds an error response itself: it raises (an error handler, which
cannot raise, returns `answer(Refused(...))`), and the body is written here alone. One deliberate exception:
a person at `/sparql`'s plain HTML form sees the message above their query, in the editor page, with the
error's status (web/sparql.py), rather than on a page without their query.

The body: browsers get a small HTML page, JSON clients `{"error": {"status", "title", "message"}}`, everyone
else (curl, SPARQL clients) plain text, which is where SPARQL clients look for the parser's message. A route
that serves a format named by the URL (`/id/person/k.ttl`) says so with `answer_errors_as(fmt)`: its errors
then come in that format (the JSON object for JSON-LD; for Turtle, N-Triples and RDF/XML a valid empty
document whose only content is the message as a comment).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

from flask import Flask, Response, current_app, g, render_template, request
from jinja2 import TemplateNotFound
from markupsafe import escape
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from hrgraph.errors import HrgraphError
from hrgraph.formats.media import HTML, JSON, JSON_LD, RDF_XML, TEXT, MediaFormat
from hrgraph.model.vocab import RDF
from hrgraph.web.conneg import negotiate

# Plain text first: a client that accepts anything (curl, most SPARQL libraries) gets the message as is.
_OFFERS = (TEXT.media_type, HTML.media_type, JSON.media_type, "application/problem+json")
_FORMAT = "error_format"  # flask.g slot set by `answer_errors_as`


class Refused(HrgraphError):
    """A request the web layer refuses (a protocol rule, a limit, nothing there): status, message, headers."""

    def __init__(self, status: int, what: str, headers: Mapping[str, str] | None = None,
                 retry_after: int | None = None) -> None:
        super().__init__(what)
        self.status = status  # type: ignore[misc]  # per instance, where other errors set it per class
        self.retry_after = retry_after  # type: ignore[misc]
        self.headers = dict(headers or {})


def answer_errors_as(fmt: MediaFormat | None) -> None:
    """Errors of this request come in `fmt` (a format the URL named), not by Accept."""
    setattr(g, _FORMAT, fmt)


def _response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """A response with `status` and `message`, in the format `answer_errors_as` named, else by Accept."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    fmt = g.get(_FORMAT)
    body, content_type = _in_format(status, title, message, fmt) if fmt else _negotiated(status, title, message)
    response = Response(body, status=status, content_type=content_type)
    response.headers["Vary"] = "Accept"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _negotiated(status: int, title: str, message: str) -> tuple[str, str]:
    chosen = negotiate(request.headers.get("Accept"), _OFFERS) or "text/plain"
    if chosen == HTML.media_type:
        return _html(status, title, message), HTML.content_type
    if chosen in (JSON.media_type, "application/problem+json"):
        return _json(status, title, message), JSON.content_type
    return f"{status} {title}: {message}\n", TEXT.content_type


def _in_format(status: int, title: str, message: str, fmt: MediaFormat) -> tuple[str, str]:
    line = " ".join(f"{status} {title}: {message}".splitlines())
    if fmt is HTML:
        return _html(status, title, message), fmt.content_type
    if fmt in (JSON_LD, JSON):
        return _json(status, title, message), fmt.content_type
    if fmt is RDF_XML:
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<!-- {escape(line).replace("--", "- -")} -->\n'
                f'<rdf:RDF xmlns:rdf="{RDF}"/>\n'), fmt.content_type
    return f"# {line}\n", fmt.content_type


def _json(status: int, title: str, message: str) -> str:
    return json.dumps({"error": {"status": status, "title": title, "message": message}}, ensure_ascii=False)


def _html(status: int, title: str, message: str) -> str:
    """The site's `error.html` (with its navigation) where the templates have one, else a page of its own."""
    try:
        return render_template("error.html", status=status, title=title, message=message)
    except TemplateNotFound:
        pass
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{status} {html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:3rem auto;padding:0 1rem}"
        "pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}</style></head>"
        f"<body><h1>{status} {html.escape(title)}</h1><pre>{html.escape(message)}</pre>"
        "<p><a href=\"/\">Home</a> · <a href=\"/sparql\">SPARQL</a></p></body></html>\n"
    )


def answer(exc: HrgraphError) -> Response:
    """The response for an error: its status, its message (and hint), Retry-After when it says when."""
    headers = dict(getattr(exc, "headers", {}))
    if exc.retry_after is not None:
        headers.setdefault("Retry-After", str(exc.retry_after))
    message = f"{exc.what} ({exc.hint})" if exc.hint else exc.what
    return _response(exc.status, message, headers)


def _from_http_exception(exc: HTTPException) -> Response:
    headers = {k: v for k, v in exc.get_headers() if k.lower() in ("allow", "retry-after")}
    return _response(exc.code or 500, exc.description or "", headers)


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):  # Flask routes these here too when no closer handler matched
        return _from_http_exception(exc)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return _response(500, "the server failed to answer this request; the error is logged")


def install(app: Flask) -> None:
    """One handler for the whole app: our errors, Flask's own, and anything unexpected, in one shape."""
    app.register_error_handler(HrgraphError, answer)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(Exception, _unexpected)
