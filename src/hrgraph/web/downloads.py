"""The build's files for download: `/dumps/<name>` serves the regular files directly in the served build's
files (`Store.files`: dist/ as it was published with the graph the server answers from; nothing below it,
nothing hidden, so no path traversal), with their media types, ETag / 304 and ranges, and
`/sources/<name>` the stored source texts the evidence offsets point into;
the listing at `/dumps` is `hrgraph.web.docs`; `/.well-known/void` answers 303 to the VoID description
(RFC 5785 / VoID §7.2).

`hrgraph.nt.gz` is served as `application/gzip` (the file as it is), not as N-Triples with
`Content-Encoding: gzip`, which would make clients store it decompressed under a `.gz` name.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, Response, redirect, send_from_directory

from hrgraph.web.context import get_store
from hrgraph.web.errors import error_response

bp = Blueprint("downloads", __name__)

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")  # bounded: a longer name is an OSError, not a 404
VOID_FILE = "void.ttl"
# Longest suffix first: `.nt.gz` before `.gz`.
MEDIA_TYPES = (
    (".nt.gz", "application/gzip"),
    (".ttl.gz", "application/gzip"),
    (".gz", "application/gzip"),
    (".ttl", "text/turtle; charset=utf-8"),
    (".nt", "application/n-triples"),
    (".nq", "application/n-quads"),
    (".trig", "application/trig"),
    (".jsonld", "application/ld+json"),
    (".rdf", "application/rdf+xml"),
    (".json", "application/json"),
    (".html", "text/html; charset=utf-8"),
    (".txt", "text/plain; charset=utf-8"),
    (".md", "text/markdown; charset=utf-8"),
    (".csv", "text/csv; charset=utf-8"),
)


def media_type(name: str) -> str:
    return next((mt for suffix, mt in MEDIA_TYPES if name.endswith(suffix)), "application/octet-stream")


def _send(folder: Path, name: str, what: str) -> Response:
    if not SAFE_NAME.match(name) or not (folder / name).is_file():
        return error_response(404, f"no {what} named {name!r}; see the list on the home page")
    resp = send_from_directory(folder, name, mimetype=media_type(name), conditional=True, etag=True,
                               max_age=300)
    resp.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return resp


@bp.get("/dumps/<name>")
def dump(name: str) -> Response:
    return _send(get_store().files, name, "download")


@bp.get("/sources/<name>")
def source_text(name: str) -> Response:
    """The stored text of a source document ({base}sources/{file}): evidence offsets count characters in it."""
    return _send(get_store().files / "sources", name, "source document")


@bp.get("/.well-known/void")
def well_known_void() -> Response:
    if not (get_store().files / VOID_FILE).is_file():
        return error_response(404, "the dataset description has not been built yet")
    return redirect(f"/dumps/{VOID_FILE}", code=303)
