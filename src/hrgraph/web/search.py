"""`/search?q=`: one search across persons, organisations, statements, legal provisions and mechanisms, as HTML,
JSON or CSV (`/search.json`, `/search.csv`, or by `Accept`).

Matching is the catalogue's (xref/catalogue.py over names/): word order, case, diacritics, script and the
transliteration systems of the field set aside, ranked, with the spelling that matched. `kind=` (repeatable)
narrows to kinds; the counts per kind are of the whole result. `page=` pages it. A query that is blank, or
longer than `HRGRAPH_SEARCH_MAX_CHARS`, is refused with 400 saying so; `/search` without `q` is the search page.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, Flask, Response, render_template, request

from hrgraph.web import lists, lookup
from hrgraph.web.errors import Refused
from hrgraph.web.lookup import catalogue, settings
from hrgraph.web.present import Presenter
from hrgraph.xref.catalogue import KIND_BY_NAME, KINDS, Hit

bp = Blueprint("search", __name__)
MAX_HITS = 1000


class BadQuery(Refused):
    """A query that cannot be searched (400); the message says why."""

    def __init__(self, what: str) -> None:
        super().__init__(400, what)


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


def install(app: Flask) -> None:
    """Every search box stops typing where the server would refuse (`maxlength` = HRGRAPH_SEARCH_MAX_CHARS)."""
    app.context_processor(lambda: {"search_max_chars": settings().search_max_chars})


@bp.get("/search")
@bp.get("/search.<ext>")
def search(ext: str | None = None) -> Response:
    media = lists.list_format(ext)
    if "q" not in request.args and media == lists.HTML:
        return _page("", [], Counter(), [], 1)
    q = checked_query(request.args.get("q"))
    kinds = list(dict.fromkeys(k for k in request.args.getlist("kind") if k))  # several: any of them
    unknown = [k for k in kinds if k not in KIND_BY_NAME]
    if unknown:
        raise Refused(400, f"unknown kind {unknown[0]!r}: kinds are {', '.join(KIND_BY_NAME)}")
    page = lists.page_number()
    hits = catalogue().search(q, limit=MAX_HITS)
    per_kind = Counter(h.entity.kind.name for h in hits)
    chosen = [h for h in hits if not kinds or h.entity.kind.name in kinds]
    size = settings().page_size
    shown = chosen[(page - 1) * size:page * size]
    if media == lists.CSV:
        return _csv(chosen)
    if media == lists.JSON:
        return _json(q, chosen, shown, page, size)
    return _page(q, shown, per_kind, kinds, page, total=len(chosen))


def _descriptions(hits: list[Hit]) -> dict[str, str]:
    """A line per hit: for persons what the graph says of them (status, articles), else the catalogue's."""
    persons = [h.entity.iri for h in hits if h.entity.kind.name == "person"]
    facts = lookup.facts(persons)
    return {h.entity.iri: facts[h.entity.iri].summary() if h.entity.iri in facts else h.entity.description
            for h in hits}


def _row(h: Hit, description: str = "") -> dict[str, Any]:
    return {"id": h.entity.iri, "kind": h.entity.kind.name, "name": h.entity.name, "score": h.score,
            "matched_spelling": h.spelling, "match_form": h.form, "description": description}


def _json(q: str, chosen: list[Hit], shown: list[Hit], page: int, size: int) -> Response:
    described = _descriptions(shown)
    links = {"html": lists.link("/search", {}), **{k.lower(): v for k, v in lists.formats_of("/search").items()}}
    if page > 1:
        links["prev"] = lists.link("/search.json", {"page": str(page - 1)})
    if len(chosen) > page * size:
        links["next"] = lists.link("/search.json", {"page": str(page + 1)})
    body = {"query": q, "total": len(chosen), "page": page, "page_size": size,
            "results": [_row(h, described[h.entity.iri]) for h in shown], "links": links}
    return lists.json_response(body)


def _csv(chosen: list[Hit]) -> Response:
    header = ["kind", "name", "id", "score", "matched_spelling", "match_form", "description"]
    rows = [[h.entity.kind.name, h.entity.name, h.entity.iri, h.score, h.spelling, h.form, h.entity.description]
            for h in chosen]
    return lists.csv_response(header, rows, "search")


def _page(q: str, shown: list[Hit], per_kind: Counter, kinds: list[str], page: int, total: int = 0) -> Response:
    return lists.html_response(render_template(
        "search.html", q=q, hits=shown, described=_descriptions(shown), per_kind=per_kind, kinds=KINDS,
        chosen=kinds, page=page, total=total, size=settings().page_size, p=Presenter(settings().base),
        link=lists.link, formats=lists.formats_of("/search")))
