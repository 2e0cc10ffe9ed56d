"""The one error shape of the web layer: a status and a plain message, in the format the client negotiated.

Browsers get a small HTML page, JSON clients `{"error": {"status", "title", "message"}}`, everyone else
(curl, SPARQL clients) plain text, which is where SPARQL clients look for the parser's message.
Every surface answers errors through `error_response`; `install(app)` routes Flask's own 404/405/500 here too.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

from flask import Flask, Response, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from hrgraph.web.conneg import negotiate

# Plain text first: a client that accepts anything (curl, most SPARQL libraries) gets the message as is.
_OFFERS = ("text/plain", "text/html", "application/json", "application/problem+json")


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """A response with `status` and `message`, as HTML, JSON or text by the request's Accept header."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    chosen = negotiate(request.headers.get("Accept"), _OFFERS) or "text/plain"
    if chosen == "text/html":
        body, mimetype = _html(status, title, message), "text/html"
    elif chosen in ("application/json", "application/problem+json"):
        body = json.dumps({"error": {"status": status, "title": title, "message": message}}, ensure_ascii=False)
        mimetype = "application/json"
    else:
        body, mimetype = f"{status} {title}: {message}\n", "text/plain"
    response = Response(body, status=status, mimetype=mimetype)
    response.headers["Vary"] = "Accept"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


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


def _from_http_exception(exc: HTTPException) -> Response:
    headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
    return error_response(exc.code or 500, exc.description or "", headers)


def install(app: Flask) -> None:
    """Answer Flask's own errors (unknown path, wrong method) in the same shape as ours."""
    app.register_error_handler(HTTPException, _from_http_exception)
