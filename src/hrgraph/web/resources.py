"""Every IRI of the graph under the configured base, `{base}X`, answered at `/X` (Cool URIs).

Decision: a bare IRI path (`/id/person/k`, `/ontology`, `/vocab/demand-type`) answers **303 See Other** to
its description document, one per format (`/id/person/k.html`, `.ttl`, `.jsonld`, `.nt`, `.rdf`), chosen
by `Accept` (`Vary: Accept`). The documents themselves ignore Accept: the extension is the format, so each
URL has one representation, a stable ETag and can be linked, bookmarked and cached by any proxy. The 303
is sent only for IRIs the store knows; an unknown IRI gets 404 directly, in the format asked for.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request
from flask.blueprints import BlueprintSetupState
from pyoxigraph import NamedNode, Triple

from hrgraph.formats import media
from hrgraph.formats.media import HTML, RESOURCE_FORMATS, MediaFormat
from hrgraph.model.vocab import DCTERMS, HR, OWL, RDF
from hrgraph.store.recorded import Recorded
from hrgraph.web import conneg, doccache, errors, record_pages
from hrgraph.web.context import get_settings, get_store
from hrgraph.web.describe import Description, describe
from hrgraph.web.doccache import MARK, Cached, Key
from hrgraph.web.downloads import dump_context
from hrgraph.web.errors import Refused
from hrgraph.web.labels import LabelMemo
from hrgraph.web.present import Presenter
from hrgraph.web.responses import not_acceptable, rdf_document

bp = Blueprint("resources", __name__)
LABELS = "hrgraph_label_memo"

CACHE_CONTROL = "public, max-age=300"
OWL_SAME_AS, RDF_TYPE, DCT_DESCRIPTION, WITHDRAWN = (str(OWL.sameAs), str(RDF.type), str(DCTERMS.description),
                                                     str(HR.WithdrawnRecord))


@bp.record_once
def _install_labels(state: BlueprintSetupState) -> None:
    state.app.extensions[LABELS] = LabelMemo()


def document_path(path: str, page: int) -> tuple[str, str] | None:
    """(stem, format name) of a document path, None for a bare IRI path; what the fast path keys on."""
    stem, fmt = split_extension(path)
    return (stem, fmt.name) if fmt else None


def document_key(stem: str, fmt: MediaFormat, page: int) -> Key:
    return (get_store().build_id, stem, fmt.name, page)


@bp.get("/<path:path>")
def resource(path: str) -> Response:
    stem, fmt = split_extension(path)
    errors.answer_errors_as(fmt)  # a store failure on `/x.ttl` is answered in Turtle too
    iri = get_settings().base + stem
    page = page_number()
    if page is None:
        errors.answer_errors_as(fmt or HTML)
        raise Refused(400, "page must be a positive integer")
    if fmt is None:
        return redirect_to_document(stem, iri)
    return document(stem, iri, fmt, page)


def split_extension(path: str) -> tuple[str, MediaFormat | None]:
    """`id/person/k.ttl` -> (`id/person/k`, Turtle); a path without a known extension names the IRI."""
    stem, dot, ext = path.rpartition(".")
    fmt = media.for_extension(ext, RESOURCE_FORMATS) if dot and "/" not in ext else None
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
    own: tuple[Triple, ...] = ()  # the IRI's own triples, read once for the status and the description


def status(iri: str) -> Status:
    """A retired key answers before any description is built: the resource's own triples (a lookup), and
    only when it has none, whether anything links to it."""
    try:
        node = NamedNode(iri)
    except ValueError:
        return Status()
    store = get_store()
    own = store.outgoing([node])
    same = next((t.object.value for t in own if t.predicate.value == OWL_SAME_AS), None)
    withdrawn = any(t.predicate.value == RDF_TYPE and t.object.value == WITHDRAWN for t in own)
    why = next((t.object.value for t in own if t.predicate.value == DCT_DESCRIPTION), None) if withdrawn else None
    live = bool(own) or store.ask(f"ASK {{ ?s ?p {node} }}")
    return Status(live=live, moved_to=same, gone=why, own=tuple(own))


def retired_response(stem: str, st: Status, fmt: MediaFormat | None, document: bool) -> Response | None:
    """301 to the survivor of a merge (a document URL to its document), 410 with a tombstone in `fmt`."""
    base = get_settings().base
    if st.moved_to and st.moved_to.startswith(base):
        suffix = f".{fmt.extension}" if fmt and document else ""
        resp = Response(status=301)
        resp.headers["Location"] = f"/{st.moved_to[len(base):]}{suffix}"
        return resp
    if st.gone is not None:  # answered in the format the request named or negotiated (`answer_errors_as`)
        raise Refused(410, f"{base}{stem} was withdrawn by the curators: {st.gone}")
    return None


def redirect_to_document(stem: str, iri: str) -> Response:
    fmt = conneg.choose(request.headers.get("Accept"))
    if fmt is None:
        raise not_acceptable([f.media_type for f in RESOURCE_FORMATS])
    errors.answer_errors_as(fmt)  # a 404 or 410 in the format the client negotiated
    if (retired := retired_response(stem, st := status(iri), fmt, document=False)) is not None:
        resp = retired
    elif not st.live:
        raise Refused(404, f"no resource {iri} in this dataset")
    else:
        resp = Response(status=303)
        query = f"?{request.query_string.decode('latin-1')}" if request.query_string else ""
        resp.headers["Location"] = f"/{stem}.{fmt.extension}{query}"
        resp.headers["Link"] = link_header(stem, None)
        resp.headers["Cache-Control"] = CACHE_CONTROL
    resp.headers["Vary"] = "Accept"
    return resp


def etag_for(path: str, fmt: MediaFormat, page: int) -> str:
    key = f"{get_store().build_id}|{path}|{fmt.name}|{page}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def document(stem: str, iri: str, fmt: MediaFormat, page: int) -> Response:
    key = document_key(stem, fmt, page)
    hit = doccache.lookup(current_app, key, request.environ)  # a kept 200 of this build: not retired, no query needed
    st = status(iri) if hit is None else Status()
    if hit is None and (retired := retired_response(stem, st, fmt, document=True)) is not None:
        return retired
    etag = etag_for(stem, fmt, page)
    if request.if_none_match.contains_weak(etag) or request.if_none_match.star_tag:
        resp = Response(status=304)
    elif hit is not None:
        return kept_response(hit)
    else:
        try:
            reader = Recorded(get_store(), {NamedNode(iri): st.own})  # the page's parts read each triple once
            d = describe(reader, iri, page, get_settings().page_size, current_app.extensions[LABELS])
        except ValueError:
            raise Refused(404, f"not an IRI: {iri}") from None
        if not d.exists:
            raise Refused(404, f"no resource {iri} in this dataset")
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


def alternates(stem: str, current: MediaFormat | None) -> list[tuple[str, MediaFormat]]:
    return [(f"/{stem}.{f.extension}", f) for f in RESOURCE_FORMATS if f != current]


def page_links(stem: str, fmt: MediaFormat, d: Description) -> dict[str, str]:
    links = {}
    if d.page > 1:
        links["prev"] = f"/{stem}.{fmt.extension}?page={d.page - 1}"
    if d.has_next:
        links["next"] = f"/{stem}.{fmt.extension}?page={d.page + 1}"
    return links


def link_header(stem: str, fmt: MediaFormat | None, d: Description | None = None) -> str:
    parts = [f'<{href}>; rel="alternate"; type="{f.media_type}"' for href, f in alternates(stem, fmt)]
    if fmt and d:
        parts += [f'<{href}>; rel="{rel}"' for rel, href in page_links(stem, fmt, d).items()]
    return ", ".join(parts)


def render(d: Description, stem: str, fmt: MediaFormat) -> Response:
    if fmt is HTML:
        p = Presenter(get_settings().base, d.labels)
        template, extra = record_pages.view(d, p)
        body = render_template(template, d=d, p=p, stem=stem, alternates=alternates(stem, fmt),
                               paging=page_links(stem, fmt, d), **extra)
        return Response(body, content_type=HTML.content_type)
    # JSON-LD compacted with the dump's own @context; the other syntaxes written by the engine (pyoxigraph).
    return rdf_document(d.rdf(), fmt, context=dump_context(get_store().files))
