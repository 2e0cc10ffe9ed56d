"""One index per class (`/persons`, `/organisations`, `/claims`, ...): search, facets, paging, and the list as
HTML, CSV or JSON (`/persons.csv`, `format=`, or `Accept`; web/lists.py).

Persons are answered from the build's facet index (xref/facets.py) and catalogue of names (xref/catalogue.py),
both built once per build: facets combine (several values of one facet: any of them; several facets: all of
them), each value shows how many persons choosing it would give, values of no person are hidden, a facet
with none is hidden, and `q` finds persons as `/search` does (word order, script, transliteration), best
match first, with the spelling that matched. Counting and paging a selection takes microseconds at 10,000
persons.

Organisations, statements, provisions and mechanisms searched (`q`) are found as `/search` finds them (the
catalogue: `ст. 342`, `Вясна`, words in any order), best match first with the spelling that matched, and then by
the engine's search below for what the catalogue's words miss (a part of a word).

The other classes are found, counted and paged by the engine with LIMIT/OFFSET, so a page never brings every
member into Python. Their search (`q`, over rdfs:label and skos:altLabel) is case- and accent-insensitive the
way `fold` is (NFKD without combining marks, plus a few letters that do not decompose, like `ł`); SPARQL has
no unaccent function, so the engine gets a regular expression in which each letter of the folded query is the
class of the letters folding to it (`z` -> `[zźżž…]`). Up to `index_sort_limit` matches are ordered by name;
beyond, pages come in the store's order and say so, because ORDER BY reads every term (over a second per
request at 10,000 persons). A class count is kept per build (web/memo.py).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask import Blueprint, Response, render_template, request

from hrgraph.model.vocab import HR, SKOS
from hrgraph.store.base import iris
from hrgraph.web import lists
from hrgraph.web.labels import LABEL_PROPERTIES, fetch_labels
from hrgraph.web.lookup import catalogue, facet_index, settings, store
from hrgraph.web.memo import per_build
from hrgraph.web.present import Presenter
from hrgraph.web.search import checked_query
from hrgraph.web.terms import sparql_iri, sparql_string
from hrgraph.xref.catalogue import KIND_BY_CLASS, Hit
from hrgraph.xref.facets import BY_NAME, SHOWN, Count, FacetIndex

bp = Blueprint("indexes", __name__)


@dataclass(frozen=True)
class Kind:
    slug: str
    cls: str
    title: str


KINDS = tuple(Kind(slug, str(HR[cls]), title) for slug, cls, title in (
    ("persons", "Person", "Persons"), ("organisations", "Organisation", "Organisations"),
    ("statements", "Statement", "Statements"), ("claims", "Claim", "Claims"),
    ("provisions", "LegalProvision", "Legal provisions"), ("mechanisms", "Mechanism", "Mechanisms"),
    ("events", "Event", "Events"), ("places", "Place", "Places"), ("sources", "SourceDocument", "Source documents"),
))
KINDS_BY_SLUG = {k.slug: k for k in KINDS}
FOLD = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss", "ı": "i", "’": "'"})
SEARCHED = (*LABEL_PROPERTIES, str(SKOS.altLabel))
REGEX_SPECIAL = set("\\.*+?()[]{}|^$-")


@dataclass
class Item:
    iri: str
    label: str
    values: dict[str, tuple[str, ...]] | None = None  # persons: facet -> values
    spelling: str = ""  # persons found by `q`: the spelling that matched
    score: float | None = None


@dataclass
class Listing:
    items: list[Item]  # this page
    total: int
    page: int
    has_next: bool
    ordered: bool = True  # by name (or by match); False: in the store's order


def index(slug: str, ext: str | None = None) -> Response:
    kind = KINDS_BY_SLUG[slug]
    media = lists.list_format(ext)
    page = lists.page_number()
    q = request.args.get("q", "").strip()
    if q:
        q = checked_query(q)
    if slug == "persons":
        return persons(kind, q, page, media)
    if q and kind.cls in KIND_BY_CLASS:
        return named(kind, q, page, media)
    if media == lists.CSV:
        return lists.csv_response(["id", "name"], ((s, label) for s, label in every_member(kind, q)), slug)
    listing = members(kind, q, page)
    if media == lists.JSON:
        return lists.json_response(listing_json(kind, q, {}, listing, {}))
    return lists.html_response(render(kind, q, listing, {}, {}))


for _kind in KINDS:
    bp.add_url_rule(f"/{_kind.slug}", f"index_{_kind.slug}", partial(index, _kind.slug))
    bp.add_url_rule(f"/{_kind.slug}.<ext>", f"index_{_kind.slug}_as", partial(index, _kind.slug))


def render(kind: Kind, q: str, listing: Listing, chosen: dict[str, list[str]],
           counts: dict[str, list[Count]], index: FacetIndex | None = None) -> str:
    return render_template("index.html", kind=kind, q=q, listing=listing,
                           facets=[f for f in SHOWN if counts.get(f.name)], chosen=chosen, counts=counts,
                           grouped=_grouped, index=index, p=Presenter(settings().base),
                           size=settings().page_size, sort_limit=settings().index_sort_limit, link=lists.link,
                           formats=lists.formats_of(request.path))


def _grouped(counts: list[Count]) -> list[tuple[str, list[Count]]]:
    """Facet values under their group's heading (articles under their code), in the order given."""
    out: dict[str, list[Count]] = defaultdict(list)
    for c in counts:
        out[c.group].append(c)
    return list(out.items())


# --- persons: the facet index ------------------------------------------------------------------------------

def chosen_values() -> dict[str, list[str]]:
    """Facet values from the query string (`org=A&org=B`), each facet's without repeats or blanks."""
    out = {}
    for facet in SHOWN:
        values = list(dict.fromkeys(v.strip() for v in request.args.getlist(facet.name) if v.strip()))
        if values:
            out[facet.name] = values
    return out


def persons(kind: Kind, q: str, page: int, media: str) -> Response:
    index, chosen = facet_index(), chosen_values()
    hits = person_hits(q, len(index.persons)) if q else []
    found = {h.entity.iri: h for h in hits}
    within = None
    if q:
        within = 0
        for iri in found:
            if iri in index.position:
                within |= 1 << index.position[iri]
    selected = index.mask(chosen) & (index.everyone if within is None else within)
    if q:  # best match first
        order = [index.position[h.entity.iri] for h in hits if h.entity.iri in index.position]
        order = [i for i in order if index.has(selected, i)]
    else:
        order = index.select(selected)
    counts = index.counts(chosen, within)

    def item(i: int) -> Item:
        hit = found.get(index.persons[i])
        return Item(index.persons[i], index.names[i], index.of(i), hit.spelling if hit else "",
                    hit.score if hit and hit.score else None)

    if media == lists.CSV:
        return person_csv([item(i) for i in order], index, bool(q))
    size = settings().page_size
    start = (page - 1) * size
    listing = Listing([item(i) for i in order[start:start + size]], len(order), page, len(order) > start + size)
    if media == lists.JSON:
        return lists.json_response(listing_json(kind, q, chosen, listing, counts, index))
    return lists.html_response(render(kind, q, listing, chosen, counts, index))


def person_hits(q: str, limit: int) -> list[Hit]:
    """Persons `q` names as /search finds them (any order, script, transliteration), best first; then those
    with `q` in a spelling, accents and case aside (`zlobinskaja` in `Žlobinskaja-Webtest`), in name order."""
    hits = catalogue().search(q, ["person"], limit=limit or 1)
    seen = {h.entity.iri for h in hits}
    folded = fold(q)
    for iri, spellings in per_build("person spellings", person_spellings):
        if iri not in seen and (spelling := next((s for f, s in spellings if folded in f), None)):
            hits.append(Hit(catalogue().entities[iri], 0.0, spelling, "words"))
    return hits


def person_spellings() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every person's spellings, folded, in name order (kept per build)."""
    people = [e for e in catalogue().entities.values() if e.kind.name == "person"]
    return [(e.iri, [(fold(s), s) for s in e.spellings]) for e in sorted(people, key=lambda e: (fold(e.name), e.iri))]


def person_csv(items: list[Item], index: FacetIndex, searched: bool) -> Response:
    facets = [BY_NAME[f.name] for f in SHOWN]
    header = ["id", "name", *(f.plural for f in facets), *(("matched_spelling", "score") if searched else ())]
    rows = []
    for it in items:
        values = it.values or {}
        row: list[Any] = [it.iri, it.label]
        row += [lists.cell((v, index.label(v)) for v in values.get(f.name, ())) for f in facets]
        rows.append(row + ([it.spelling, it.score] if searched else []))
    return lists.csv_response(header, rows, "persons")


def listing_json(kind: Kind, q: str, chosen: dict[str, list[str]], listing: Listing,
                 counts: dict[str, list[Count]], index: FacetIndex | None = None) -> dict[str, Any]:
    path = f"/{kind.slug}.json"
    links = {"html": lists.link(f"/{kind.slug}", {}), **{k.lower(): v for k, v in lists.formats_of(path).items()}}
    if listing.page > 1:
        links["prev"] = lists.link(path, {"page": str(listing.page - 1)})
    if listing.has_next:
        links["next"] = lists.link(path, {"page": str(listing.page + 1)})
    return {"kind": kind.slug, "class": kind.cls, "query": q, "chosen": chosen, "total": listing.total,
            "page": listing.page, "page_size": settings().page_size, "ordered_by_name": listing.ordered,
            "items": [item_json(it, index) for it in listing.items], "links": links,
            "facets": {name: [{"value": c.value, "label": c.label, "count": c.n, "chosen": c.chosen,
                               **({"group": c.group} if c.group else {})} for c in values]
                       for name, values in counts.items() if values}}


def item_json(it: Item, index: FacetIndex | None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": it.iri, "name": it.label}
    if it.values is not None and index is not None:
        for facet in SHOWN:
            vs = it.values.get(facet.name, ())
            if facet.name == "status":
                out["status"] = vs[0] if vs else ""
            else:
                out[facet.plural] = [{"id": v, "name": index.label(v)} if v.startswith(("http://", "https://"))
                                     else v for v in vs]
    if it.spelling:
        out["matched_spelling"], out["score"] = it.spelling, it.score
    return out


# --- organisations, statements, provisions, mechanisms searched: the catalogue, then the engine -------------

def named(kind: Kind, q: str, page: int, media: str) -> Response:
    """Members `q` names as /search finds them (`ст. 342`, `Вясна`, words in any order), best first, each with the
    spelling that matched; then those with `q` in a spelling (the engine's search below), in name order."""
    hits = catalogue().search(q, [KIND_BY_CLASS[kind.cls].name], limit=len(catalogue().entities) or 1)
    found = [Item(h.entity.iri, h.entity.name, spelling=h.spelling, score=h.score) for h in hits]
    seen = {it.iri for it in found}
    rest = [(s, label) for s, label in every_member(kind, q) if s not in seen]
    items = found + [Item(s, label) for s, label in rest]
    if media == lists.CSV:
        return lists.csv_response(["id", "name", "matched_spelling", "score"],
                                  ([it.iri, it.label, it.spelling, it.score] for it in items), kind.slug)
    size = settings().page_size
    start = (page - 1) * size
    listing = Listing(items[start:start + size], len(items), page, len(items) > start + size)
    if media == lists.JSON:
        return lists.json_response(listing_json(kind, q, {}, listing, {}))
    return lists.html_response(render(kind, q, listing, {}, {}))


# --- other classes: the engine -----------------------------------------------------------------------------

def fold(text: str) -> str:
    """Case- and accent-insensitive form: `Aleś Žlobič` and `ales zlobic` fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.translate(FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _variants() -> dict[str, str]:
    """For each folded letter, the letters (Latin, Greek, Cyrillic) that fold to it: `z` -> `zźżž…`."""
    out: dict[str, set[str]] = defaultdict(set)
    for c in [chr(cp) for cp in range(0x00C0, 0x0530)] + list("łŁđøıʼ’"):
        f = fold(c)
        if len(f) == 1 and f != c:
            out[f] |= {v for v in (c, c.lower(), c.upper()) if len(v) == 1}
    return {f: "".join(sorted(cs - {f})) for f, cs in out.items()}


VARIANTS = _variants()


def search_regex(q: str) -> str:
    """A SPARQL (XPath) regular expression matching `q` case- and accent-insensitively (with the `i` flag)."""
    return "".join(f"[{c}{VARIANTS[c]}]" if c in VARIANTS else "\\" + c if c in REGEX_SPECIAL else c
                   for c in fold(q))


def member_pattern(kind: Kind, q: str) -> str:
    """The graph pattern binding `?s` to the members of `kind` narrowed by the search."""
    search = ""
    if q:
        props = "|".join(f"<{p}>" for p in SEARCHED)
        # REGEX on the literal itself, not STR(): Virtuoso 7 turns STR() into bytes and then matches no letter
        # beyond ASCII (labels are literals; an IRI here is simply no match).
        search = f'?s {props} ?text . FILTER(REGEX(?text, {sparql_string(search_regex(q))}, "i"))'
    return f"?s a {sparql_iri(kind.cls)} . {search}"


def members(kind: Kind, q: str, page: int) -> Listing:
    """One page of members, found, counted and paged by the engine (see the module's docstring)."""
    pattern = member_pattern(kind, q)
    size, limit = settings().page_size, settings().index_sort_limit
    if q:  # one scan finds the matches; counting them separately would scan twice
        matches = iris(store().select(f"SELECT DISTINCT ?s WHERE {{ {pattern} }}"), "s")
        total = len(matches)
    else:  # a class count is a scan too: kept per build
        total = per_build(("count", pattern), partial(count, pattern))
        matches = [] if total > limit else iris(store().select(f"SELECT DISTINCT ?s WHERE {{ {pattern} }}"), "s")
    start = (page - 1) * size
    if total <= limit:
        labels = fetch_labels(store(), matches)
        ordered = sorted(matches, key=lambda s: (fold(labels.get(s, s)), s))[start:start + size]
        return Listing([Item(s, labels.get(s, s)) for s in ordered], total, page, total > start + size)
    chunk = matches[start:start + size] if q else iris(store().select(
        f"SELECT DISTINCT ?s WHERE {{ {pattern} }} LIMIT {size} OFFSET {start}"), "s")
    labels = fetch_labels(store(), chunk)
    return Listing([Item(s, labels.get(s, s)) for s in chunk], total, page, total > start + size, ordered=False)


def every_member(kind: Kind, q: str, chunk: int = 2000) -> list[tuple[str, str]]:
    """Every member (IRI, label) of the selection, by name: the CSV download of an index."""
    found = iris(store().select(f"SELECT DISTINCT ?s WHERE {{ {member_pattern(kind, q)} }}"), "s")
    labels: dict[str, str] = {}
    for i in range(0, len(found), chunk):
        labels.update(fetch_labels(store(), found[i:i + chunk]))
    return sorted(((s, labels.get(s, s)) for s in found), key=lambda t: (fold(t[1]), t[0]))


def count(pattern: str) -> int:
    rows = store().select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0
