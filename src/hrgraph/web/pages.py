"""Pages for people: the home page (counts, two charts, how to query and download) and one index per class
with search (`?q=` over rdfs:label and skos:altLabel, case- and accent-insensitive), facets and paging.

Search is case- and accent-insensitive the way `fold` is (NFKD without combining marks, plus a few letters
that do not decompose, like `ł`). SPARQL has no unaccent function, so the engine gets a regular expression
in which each letter of the folded query is the class of the letters folding to it (`z` -> `[zźżž…]`).
Counting, searching, faceting and paging all happen in the engine, with LIMIT/OFFSET: a page never brings
every member of a class into Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request
from flask.blueprints import BlueprintSetupState

from hrgraph.model.namespaces import HR
from hrgraph.store.base import iris
from hrgraph.web.context import get_settings, get_store
from hrgraph.web.describe import LABEL_PROPERTIES, SKOS, Presenter, fetch_labels, sparql_iri, sparql_string
from hrgraph.web.errors import error_response
from hrgraph.web.memo import PerBuild

bp = Blueprint("pages", __name__)
MEMO = "hrgraph_page_memo"
T = TypeVar("T")


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


@dataclass(frozen=True)
class Facet:
    """A way to narrow persons: `pattern` (triple patterns only) binds `?s` (the person) and `{d}` through
    helper `{x}`; the facet's value is the expression `value` over `{d}`, where the filter `valid` holds.

    Kept flat, with no group and no BIND inside: a `{ … BIND(…) }` group joined with `?s a hr:Person`
    made the engine take minutes on 1M triples (the same pattern flat, with BIND last: 3 s)."""

    name: str
    title: str
    pattern: str
    value: str = "{d}"
    valid: str = ""
    is_iri: bool = True

    def _vars(self) -> dict[str, str]:
        return {k: f"?{k}_{self.name}" for k in ("x", "d")}

    def triples(self) -> str:
        return self.pattern.format(**self._vars())

    def expression(self) -> str:
        return self.value.format(**self._vars())

    def condition(self) -> str:
        return f"FILTER({self.valid.format(**self._vars())})" if self.valid else ""

    def restrict(self, value: str) -> str:
        literal = sparql_iri(value) if self.is_iri else sparql_string(value)
        return f"{self.triples()} FILTER({self.expression()} = {literal})"


PERSON_FACETS = (
    Facet("article", "Charged under", f"{{x}} <{HR.person}> ?s ; <{HR.provision}> {{d}} ."),
    Facet("org", "Recognised by", f"{{x}} a <{HR.Recognition}> ; <{HR.person}> ?s ; <{HR.recognisedBy}> {{d}} ."),
    Facet("year", "Year of recognition", f"{{x}} a <{HR.Recognition}> ; <{HR.person}> ?s ; <{HR.date}> {{d}} .",
          value="SUBSTR(STR({d}), 1, 4)", valid='REGEX(STR({d}), "^[0-9]{{4}}")', is_iri=False),
)
YEAR = re.compile(r"^[0-9]{4}$")
FOLD = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss", "ı": "i", "’": "'"})
SEARCHED = (*LABEL_PROPERTIES, SKOS + "altLabel")
REGEX_SPECIAL = set("\\.*+?()[]{}|^$-")


@bp.record_once
def _install_memo(state: BlueprintSetupState) -> None:
    state.app.extensions[MEMO] = PerBuild()


def per_build(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per published build (see `memo.PerBuild`)."""
    return current_app.extensions[MEMO].get(get_store().build_id, key, compute)


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


def search_regex(q: str) -> str:
    """A SPARQL (XPath) regular expression matching `q` case- and accent-insensitively (with the `i` flag):
    SPARQL has no unaccent, so each letter becomes the class of the letters that fold to it."""
    parts = []
    for c in fold(q):
        if c in VARIANTS:
            parts.append(f"[{c}{VARIANTS[c]}]")
        else:
            parts.append("\\" + c if c in REGEX_SPECIAL else c)
    return "".join(parts)


# --- home -------------------------------------------------------------------------------------------------

VARIANTS = _variants()


@bp.get("/")
def home() -> str:
    dist = get_store().files
    dumps = sorted(p.name for p in dist.iterdir() if p.is_file()) if dist.is_dir() else []
    return render_template("home.html", counts=per_build("counts", counts),
                           by_year=per_build("by_year", recognitions_per_year),
                           by_article=per_build("by_article", persons_per_article), dumps=dumps, kinds=KINDS)


def counts() -> list[tuple[Kind, int]]:
    values = " ".join(sparql_iri(k.cls) for k in KINDS)
    rows = get_store().select(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }} "
                              "GROUP BY ?c")
    found = {r["c"].value: int(r["n"].value) for r in rows}
    return [(k, found.get(k.cls, 0)) for k in KINDS]


def recognitions_per_year() -> list[tuple[str, int, str]]:
    rows = get_store().select(f"""SELECT ?y (COUNT(DISTINCT ?r) AS ?n) WHERE {{
  ?r a <{HR.Recognition}> ; <{HR.date}> ?d . FILTER(REGEX(STR(?d), "^[0-9]{{4}}"))
  BIND(SUBSTR(STR(?d), 1, 4) AS ?y) }} GROUP BY ?y ORDER BY ?y""")
    return [(r["y"].value, int(r["n"].value), persons_url(year=r["y"].value)) for r in rows]


def persons_per_article(limit: int = 15) -> list[tuple[str, int, str]]:
    rows = get_store().select(f"""SELECT ?a (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?c <{HR.person}> ?p ; <{HR.provision}> ?a }} GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT {limit}""")
    labels = fetch_labels(get_store(), [r["a"].value for r in rows])
    return [(labels.get(r["a"].value, r["a"].value), int(r["n"].value), persons_url(article=r["a"].value))
            for r in rows]


def persons_url(**facets: str) -> str:
    return "/persons?" + urlencode(facets)


# --- indexes ----------------------------------------------------------------------------------------------

@dataclass
class Listing:
    items: list[tuple[str, str]]  # (iri, label) of this page
    total: int
    page: int
    has_next: bool
    ordered: bool = True  # by name; False: in the store's order (too many matches to sort per request)


def index(slug: str) -> Response | str:
    kind = KINDS_BY_SLUG[slug]
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        return error_response(400, "page must be a positive integer")
    q = request.args.get("q", "").strip()
    facets = PERSON_FACETS if slug == "persons" else ()
    chosen = chosen_facets(facets)
    listing = members(kind, q, chosen, int(page))
    chosen_key = tuple(sorted(chosen.items()))
    facet_values = {f.name: per_build(("facet", slug, f.name, chosen_key), partial(facet_counts, kind, f, chosen))
                    for f in facets}
    return render_template("index.html", kind=kind, q=q, listing=listing, facets=facets, chosen=chosen,
                           facet_values=facet_values, p=Presenter(get_settings().base), args=request.args,
                           size=get_settings().page_size, sort_limit=get_settings().index_sort_limit)


for _kind in KINDS:
    bp.add_url_rule(f"/{_kind.slug}", f"index_{_kind.slug}", lambda slug=_kind.slug: index(slug))


def chosen_facets(facets: tuple[Facet, ...]) -> dict[str, str]:
    """Facet values from the query string; values that could not be valid are dropped, never quoted in."""
    chosen = {}
    for f in facets:
        value = request.args.get(f.name, "").strip()
        if not value:
            continue
        try:
            valid = bool(YEAR.match(value)) if not f.is_iri else bool(sparql_iri(value))
        except ValueError:
            valid = False
        if valid:
            chosen[f.name] = value
    return chosen


def restrictions(chosen: dict[str, str], skip: str = "") -> str:
    by_name = {f.name: f for f in PERSON_FACETS}
    return " ".join(by_name[n].restrict(v) for n, v in chosen.items() if n != skip)


def member_pattern(kind: Kind, q: str, chosen: dict[str, str]) -> str:
    """The graph pattern binding `?s` to the members of `kind` narrowed by the facets and the search."""
    search = ""
    if q:
        props = "|".join(f"<{p}>" for p in SEARCHED)
        # REGEX on the literal itself, not STR(): Virtuoso 7 turns STR() into bytes and then matches no letter
        # beyond ASCII (labels are literals; an IRI here is simply no match).
        search = f'?s {props} ?text . FILTER(REGEX(?text, {sparql_string(search_regex(q))}, "i"))'
    return f"?s a {sparql_iri(kind.cls)} . {restrictions(chosen)} {search}"


def members(kind: Kind, q: str, chosen: dict[str, str], page: int) -> Listing:
    """One page of members, found, counted and paged by the engine. Up to `index_sort_limit` matches are
    ordered by name (folded as the search folds); more are paged in the store's own order with
    LIMIT/OFFSET, because ORDER BY reads every term: over a second per request at 10,000 persons.
    A search reads every label of the class (no text index): its matches come back in one query."""
    pattern = member_pattern(kind, q, chosen)
    size, limit = get_settings().page_size, get_settings().index_sort_limit
    if q:  # one scan finds the matches; counting them separately would scan twice
        matches = iris(get_store().select(f"SELECT DISTINCT ?s WHERE {{ {pattern} }}"), "s")
        total = len(matches)
    else:  # a class or facet count is a scan too (seconds for a facet at 10,000 persons): kept per build
        total = per_build(("count", pattern), partial(count, pattern))
        matches = [] if total > limit else iris(get_store().select(f"SELECT DISTINCT ?s WHERE {{ {pattern} }}"), "s")
    start = (page - 1) * size
    if total <= limit:
        labels = fetch_labels(get_store(), matches)
        ordered = sorted(matches, key=lambda s: (fold(labels.get(s, s)), s))[start:start + size]
        return Listing([(s, labels.get(s, s)) for s in ordered], total, page, total > start + size)
    chunk = matches[start:start + size] if q else iris(get_store().select(
        f"SELECT DISTINCT ?s WHERE {{ {pattern} }} LIMIT {size} OFFSET {start}"), "s")
    labels = fetch_labels(get_store(), chunk)
    return Listing([(s, labels.get(s, s)) for s in chunk], total, page, total > start + size, ordered=False)


def count(pattern: str) -> int:
    rows = get_store().select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0


def facet_counts(kind: Kind, facet: Facet, chosen: dict[str, str]) -> list[tuple[str, str, int]]:
    """(value, label, persons) for one facet, counted within the other facets chosen. Seconds at 10,000
    persons (an aggregate over every claim), hence kept per build by the caller."""
    rows = get_store().select(f"""SELECT ?v (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  {facet.triples()} {restrictions(chosen, skip=facet.name)} ?s a {sparql_iri(kind.cls)} . {facet.condition()}
  BIND({facet.expression()} AS ?v) }} GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 50""")
    values = [r["v"].value for r in rows]
    labels = fetch_labels(get_store(), values) if facet.is_iri else {}
    out = [(v, labels.get(v, v), int(r["n"].value)) for v, r in zip(values, rows, strict=True)]
    return sorted(out, key=lambda t: t[0]) if not facet.is_iri else out
