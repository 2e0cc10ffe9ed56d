"""`/search?q=`: one search across persons, organisations, statements, legal provisions and mechanisms, as HTML,
JSON or CSV (`/search.json`, `/search.csv`, or by `Accept`).

Matching is the catalogue's (xref/catalogue.py over names/): word order, case, diacritics, script and the
transliteration systems of the field set aside, ranked, with the spelling that matched. `kind=` (repeatable)
narrows to kinds; the counts per kind are of the whole result. `page=` pages it. A query that is blank, or
longer than `HRGRAPH_SEARCH_MAX_CHARS`, is refused with 400 saying so; `/search` without `q` is the search page.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from flask import Blueprint, Response, render_template, request

from hrgraph.formats.media import CSV, HTML, JSON
from hrgraph.web.conneg import negotiate
from hrgraph.web.errors import error_response
from hrgraph.web.lookup import catalogue, settings, store
from hrgraph.web.present import Presenter
from hrgraph.xref.catalogue import KIND_BY_NAME, KINDS, Hit
from hrgraph.xref.facts import person_facts
from hrgraph.xref.table import write

bp = Blueprint("search", __name__)
MAX_HITS = 1000
FORMATS = {f.extension: f.media_type for f in (HTML, JSON, CSV)}  # from the one media-type table


class BadQuery(ValueError):
    """A query that cannot be searched; the message says why."""


def checked_query(raw: str | None, what: str = "q") -> str:
    """The query text, or BadQuery for a blank one or one past the length limit."""
    text = (raw or "").strip()
    if not text:
        raise BadQuery(f"{what} is empty: give a name, a word or an article number to search for "
                       "(e.g. `Kazak Zinaida`, `Вясна`, `Art. 342`)")
    limit = settings().search_max_chars
    if len(text) > limit:
        raise BadQuery(f"{what} is {len(text):,} characters long; at most {limit:,} are searched "
                       "(HRGRAPH_SEARCH_MAX_CHARS)")
    return text


@bp.get("/search")
@bp.get("/search.<ext>")
def search(ext: str | None = None) -> Response | str:
    if ext is not None and ext not in FORMATS:
        return error_response(404, f"no search format .{ext}: use .html, .json or .csv")
    media = FORMATS[ext] if ext else negotiate(request.headers.get("Accept"), list(FORMATS.values()))
    if media is None:
        return error_response(406, "search answers in text/html, application/json or text/csv")
    if "q" not in request.args and media == "text/html":
        return _page("", [], Counter(), [], 1)
    try:
        q = checked_query(request.args.get("q"))
    except BadQuery as exc:
        return error_response(400, str(exc))
    kinds = [k for k in request.args.getlist("kind") if k]
    unknown = [k for k in kinds if k not in KIND_BY_NAME]
    if unknown:
        return error_response(400, f"unknown kind {unknown[0]!r}: kinds are {', '.join(KIND_BY_NAME)}")
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        return error_response(400, "page must be a positive integer")
    hits = catalogue().search(q, limit=MAX_HITS)
    per_kind = Counter(h.entity.kind.name for h in hits)
    chosen = [h for h in hits if not kinds or h.entity.kind.name in kinds]
    size = settings().page_size
    shown = chosen[(int(page) - 1) * size:int(page) * size]
    if media == "text/csv":
        return _csv(chosen)
    if media == "application/json":
        return _json(q, chosen, shown, int(page), size)
    return _page(q, shown, per_kind, kinds, int(page), total=len(chosen))


def _descriptions(hits: list[Hit]) -> dict[str, str]:
    """A line per hit: for persons what the graph says of them (status, articles), else the catalogue's."""
    persons = [h.entity.iri for h in hits if h.entity.kind.name == "person"]
    facts = person_facts(store(), persons) if persons else {}
    return {h.entity.iri: facts[h.entity.iri].summary() if h.entity.iri in facts else h.entity.description
            for h in hits}


def _row(h: Hit, description: str = "") -> dict[str, Any]:
    return {"id": h.entity.iri, "kind": h.entity.kind.name, "name": h.entity.name, "score": h.score,
            "matched_spelling": h.spelling, "match_form": h.form, "description": description}


def _json(q: str, chosen: list[Hit], shown: list[Hit], page: int, size: int) -> Response:
    described = _descriptions(shown)
    body = {"query": q, "total": len(chosen), "page": page, "page_size": size,
            "results": [_row(h, described[h.entity.iri]) for h in shown]}
    return _vary(Response(json.dumps(body, ensure_ascii=False), mimetype="application/json"))


def _csv(chosen: list[Hit]) -> Response:
    header = ["kind", "name", "id", "score", "matched_spelling", "match_form", "description"]
    rows = [[h.entity.kind.name, h.entity.name, h.entity.iri, h.score, h.spelling, h.form, h.entity.description]
            for h in chosen]
    response = Response(write(header, rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="search.csv"'
    return _vary(response)


def _page(q: str, shown: list[Hit], per_kind: Counter, kinds: list[str], page: int, total: int = 0) -> str:
    return render_template("search.html", q=q, hits=shown, described=_descriptions(shown), per_kind=per_kind,
                           kinds=KINDS, chosen=kinds, page=page, total=total, size=settings().page_size,
                           p=Presenter(settings().base), args=request.args)


def _vary(response: Response) -> Response:
    response.headers["Vary"] = "Accept"
    return response
