"""Every IRI of the graph under the configured base, `{base}X`, answered at `/X` (Cool URIs).

Decision: a bare IRI path (`/id/person/k`, `/ontology`, `/vocab/demand-type`) answers **303 See Other** to
its description document, one per format (`/id/person/k.html`, `.ttl`, `.jsonld`, `.nt`, `.rdf`), chosen
by `Accept` (`Vary: Accept`). The documents themselves ignore Accept: the extension is the format, so each
URL has one representation, a stable ETag and can be linked, bookmarked and cached by any proxy. The 303
is sent only for IRIs the store knows; an unknown IRI gets 404 directly, in the format asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request
from flask.blueprints import BlueprintSetupState

from hrgraph.config import Settings
from hrgraph.model.namespaces import HR, PREFIXES
from hrgraph.web import conneg, errors, kept
from hrgraph.web.conneg import RESOURCE_FORMATS, Format
from hrgraph.web.context import SETTINGS, STORES, get_settings, get_store
from hrgraph.web.describe import Description, LabelMemo, Presenter, describe, sparql_iri
from hrgraph.web.doccache import MARK, Cached, DocumentCache, FastDocuments, Key

bp = Blueprint("resources", __name__)
CACHE = "hrgraph_document_cache"
FAST = "hrgraph_fast_documents"
LABELS = "hrgraph_label_memo"

CACHE_CONTROL = "public, max-age=300"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
DCT_DESCRIPTION = "http://purl.org/dc/terms/description"


@bp.record_once
def _install_cache(state: BlueprintSetupState) -> None:
    """Rendered documents are kept per build and served by a WSGI path in front of Flask (`doccache`)."""
    app = state.app
    conf: Settings = app.config[SETTINGS]
    cache = app.extensions[CACHE] = DocumentCache(conf.document_cache_mb * 1024 * 1024)
    app.extensions[LABELS] = LabelMemo()
    fast = app.extensions[FAST] = FastDocuments(app.wsgi_app, cache, conf, document_path, app.extensions[STORES],
                                                kept.of(app))
    app.wsgi_app = fast  # type: ignore[method-assign]


def document_path(path: str, page: int) -> tuple[str, str] | None:
    """(stem, format name) of a document path, None for a bare IRI path; what the fast path keys on."""
    stem, fmt = split_extension(path)
    return (stem, fmt.name) if fmt else None


def document_key(stem: str, fmt: Format, page: int) -> Key:
    return (get_store().build_id, stem, fmt.name, page)


@bp.get("/<path:path>")
def resource(path: str) -> Response:
    stem, fmt = split_extension(path)
    errors.answer_errors_as(fmt)  # a store failure on `/x.ttl` is answered in Turtle too
    iri = get_settings().base + stem
    page = page_number()
    if page is None:
        return errors.error_response(400, "page must be a positive integer", fmt=fmt or conneg.HTML)
    if fmt is None:
        return redirect_to_document(stem, iri)
    return document(stem, iri, fmt, page)


def split_extension(path: str) -> tuple[str, Format | None]:
    """`id/person/k.ttl` -> (`id/person/k`, Turtle); a path without a known extension names the IRI."""
    stem, dot, ext = path.rpartition(".")
    fmt = conneg.by_extension(ext) if dot and "/" not in ext else None
    return (stem, fmt) if fmt else (path, None)


def page_number() -> int | None:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) >= 1 else None


@dataclass(frozen=True)
class Status:
    """What the dataset says of an IRI: described, merged into another (301), withdrawn (410) or unknown."""

    live: bool = False
    moved_to: str | None = None
    gone: str | None = None  # the curators' reason, in general words


def status(iri: str) -> Status:
    """One query: a retired key answers before any description is built."""
    try:
        node = sparql_iri(iri)
    except ValueError:
        return Status()
    rows = get_store().select(f"""SELECT ?same ?why ?live WHERE {{
        {{ {node} <{OWL_SAME_AS}> ?same }}
        UNION {{ {node} a <{HR.WithdrawnRecord}> ; <{DCT_DESCRIPTION}> ?why }}
        UNION {{ FILTER EXISTS {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }} BIND(true AS ?live) }} }}""")
    same = next((r["same"].value for r in rows if "same" in r), None)
    why = next((r["why"].value for r in rows if "why" in r), None)
    return Status(live=any("live" in r for r in rows), moved_to=same, gone=why)


def retired_response(stem: str, st: Status, fmt: Format | None, document: bool) -> Response | None:
    """301 to the survivor of a merge (a document URL to its document), 410 with a tombstone in `fmt`."""
    base = get_settings().base
    if st.moved_to and st.moved_to.startswith(base):
        suffix = f".{fmt.extension}" if fmt and document else ""
        resp = Response(status=301)
        resp.headers["Location"] = f"/{st.moved_to[len(base):]}{suffix}"
        return resp
    if st.gone is not None:
        return errors.error_response(410, f"{base}{stem} was withdrawn by the curators: {st.gone}", fmt=fmt)
    return None


def redirect_to_document(stem: str, iri: str) -> Response:
    fmt = conneg.choose(request.headers.get("Accept"))
    if fmt is None:
        types = ", ".join(f.media_type for f in RESOURCE_FORMATS)
        resp = errors.error_response(406, f"none of the formats offered is acceptable: {types}")
    elif (retired := retired_response(stem, st := status(iri), fmt, document=False)) is not None:
        resp = retired
    elif not st.live:
        resp = errors.error_response(404, f"no resource {iri} in this dataset", fmt=fmt)
    else:
        resp = Response(status=303)
        query = f"?{request.query_string.decode('latin-1')}" if request.query_string else ""
        resp.headers["Location"] = f"/{stem}.{fmt.extension}{query}"
        resp.headers["Link"] = link_header(stem, None)
        resp.headers["Cache-Control"] = CACHE_CONTROL
    resp.headers["Vary"] = "Accept"
    return resp


def etag_for(path: str, fmt: Format, page: int) -> str:
    key = f"{get_store().build_id}|{path}|{fmt.name}|{page}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def document(stem: str, iri: str, fmt: Format, page: int) -> Response:
    key = document_key(stem, fmt, page)
    hit = current_app.extensions[FAST].lookup(key)  # a kept 200 of this build: not retired, no query needed
    if hit is None and (retired := retired_response(stem, status(iri), fmt, document=True)) is not None:
        return retired
    etag = etag_for(stem, fmt, page)
    if request.if_none_match.contains_weak(etag) or request.if_none_match.star_tag:
        resp = Response(status=304)
    elif hit is not None:
        return kept_response(hit)
    else:
        try:
            d = describe(get_store(), iri, page, get_settings().page_size, current_app.extensions[LABELS])
        except ValueError:
            return errors.error_response(404, f"not an IRI: {iri}", fmt=fmt)
        if not d.exists:
            return errors.error_response(404, f"no resource {iri} in this dataset", fmt=fmt)
        resp = render(d, stem, fmt)
        resp.headers["Link"] = link_header(stem, fmt, d)
        request.environ[MARK] = key  # the fast path keeps the response as it leaves the app
    resp.set_etag(etag)
    resp.headers["Cache-Control"] = CACHE_CONTROL
    resp.headers["Vary"] = "Accept"  # harmless here, and keeps caches honest if a client strips extensions
    return resp


def kept_response(hit: Cached) -> Response:
    """A kept document for a client the fast path does not serve (one the rate limiter counts)."""
    return Response(hit.body, headers=[(k, v) for k, v in hit.headers if k.lower() != "content-length"])


def alternates(stem: str, current: Format | None) -> list[tuple[str, Format]]:
    return [(f"/{stem}.{f.extension}", f) for f in RESOURCE_FORMATS if f != current]


def page_links(stem: str, fmt: Format, d: Description) -> dict[str, str]:
    links = {}
    if d.page > 1:
        links["prev"] = f"/{stem}.{fmt.extension}?page={d.page - 1}"
    if d.has_next:
        links["next"] = f"/{stem}.{fmt.extension}?page={d.page + 1}"
    return links


def link_header(stem: str, fmt: Format | None, d: Description | None = None) -> str:
    parts = [f'<{href}>; rel="alternate"; type="{f.media_type}"' for href, f in alternates(stem, fmt)]
    if fmt and d:
        parts += [f'<{href}>; rel="{rel}"' for rel, href in page_links(stem, fmt, d).items()]
    return ", ".join(parts)


def render(d: Description, stem: str, fmt: Format) -> Response:
    if fmt.serializer == "html":
        template = "person.html" if d.is_person else "resource.html"
        body = render_template(template, d=d, p=Presenter(get_settings().base, d.labels), stem=stem,
                               alternates=alternates(stem, fmt), paging=page_links(stem, fmt, d))
        return Response(body, mimetype="text/html")
    return Response(serialize(d.rdf(), fmt), content_type=content_type(fmt))


def serialize(triples: Sequence[ox.Triple], fmt: Format) -> bytes:
    """RDF written by the engine (pyoxigraph), never through rdflib graphs."""
    rdf_format = getattr(ox.RdfFormat, fmt.serializer)
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    if rdf_format in (ox.RdfFormat.N_TRIPLES,):
        return ox.serialize(triples, format=rdf_format)
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)


def content_type(fmt: Format) -> str:
    textual = fmt.media_type.startswith("text/") or fmt.media_type.endswith("xml")
    return f"{fmt.media_type}; charset=utf-8" if textual else fmt.media_type
