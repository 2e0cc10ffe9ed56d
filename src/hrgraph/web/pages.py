"""Pages for people: the home page (counts, two charts, how to query and download) and one index per class
with search (`?q=` over rdfs:label and skos:altLabel, case- and accent-insensitive), facets and paging.

Search folds accents in Python (NFKD without combining marks, plus a few letters that do not decompose,
like `ł`): SPARQL has no unaccent function. The candidates of a class (already narrowed by the facets) are
fetched with their labels in one query and filtered here — fine for tens of thousands of resources.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request

from hrgraph.config import Settings
from hrgraph.model.namespaces import HR
from hrgraph.store.base import Row, Store
from hrgraph.web.describe import LABEL_PROPERTIES, SKOS, Presenter, best_labels, fetch_labels, sparql_iri
from hrgraph.web.errors import error_response

bp = Blueprint("pages", __name__)


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
    """A way to narrow persons: `pattern` binds `?s` (the person) to `{v}` (the value) via helper `{x}`."""

    name: str
    title: str
    pattern: str
    is_iri: bool = True

    def group(self) -> str:
        names = {k: f"?{k}_{self.name}" for k in ("v", "x", "d")}
        return "{ " + self.pattern.format(**names) + " }"

    def restrict(self, value: str) -> str:
        literal = sparql_iri(value) if self.is_iri else f'"{value}"'
        return f"{self.group()} FILTER(?v_{self.name} = {literal})"


PERSON_FACETS = (
    Facet("article", "Charged under", f"{{x}} <{HR.person}> ?s ; <{HR.provision}> {{v}} ."),
    Facet("org", "Recognised by", f"{{x}} a <{HR.Recognition}> ; <{HR.person}> ?s ; <{HR.recognisedBy}> {{v}} ."),
    Facet("year", "Year of recognition",
          f"{{x}} a <{HR.Recognition}> ; <{HR.person}> ?s ; <{HR.date}> {{d}} . "
          'FILTER(REGEX(STR({d}), "^[0-9]{{4}}")) BIND(SUBSTR(STR({d}), 1, 4) AS {v})',
          is_iri=False),
)
YEAR = re.compile(r"^[0-9]{4}$")
FOLD = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss", "ı": "i", "’": "'"})


def settings() -> Settings:
    return current_app.config["HRGRAPH"]


def store() -> Store:
    return current_app.extensions["hrgraph_store"]


def fold(text: str) -> str:
    """Case- and accent-insensitive form: `Aleś Žlobič` and `ales zlobic` fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.translate(FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# --- home -------------------------------------------------------------------------------------------------

@bp.get("/")
def home() -> str:
    dist = settings().dist_dir
    dumps = sorted(p.name for p in dist.iterdir() if p.is_file()) if dist.is_dir() else []
    return render_template("home.html", counts=counts(), by_year=recognitions_per_year(),
                           by_article=persons_per_article(), dumps=dumps, kinds=KINDS)


def counts() -> list[tuple[Kind, int]]:
    values = " ".join(sparql_iri(k.cls) for k in KINDS)
    rows = store().select(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }} "
                          "GROUP BY ?c")
    found = {r["c"].value: int(r["n"].value) for r in rows}
    return [(k, found.get(k.cls, 0)) for k in KINDS]


def recognitions_per_year() -> list[tuple[str, int, str]]:
    rows = store().select(f"""SELECT ?y (COUNT(DISTINCT ?r) AS ?n) WHERE {{
  ?r a <{HR.Recognition}> ; <{HR.date}> ?d . FILTER(REGEX(STR(?d), "^[0-9]{{4}}"))
  BIND(SUBSTR(STR(?d), 1, 4) AS ?y) }} GROUP BY ?y ORDER BY ?y""")
    return [(r["y"].value, int(r["n"].value), persons_url(year=r["y"].value)) for r in rows]


def persons_per_article(limit: int = 15) -> list[tuple[str, int, str]]:
    rows = store().select(f"""SELECT ?a (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?c <{HR.person}> ?p ; <{HR.provision}> ?a }} GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT {limit}""")
    labels = fetch_labels(store(), [r["a"].value for r in rows])
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


def index(slug: str) -> Response | str:
    kind = KINDS_BY_SLUG[slug]
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        return error_response(400, "page must be a positive integer")
    q = request.args.get("q", "").strip()
    facets = PERSON_FACETS if slug == "persons" else ()
    chosen = chosen_facets(facets)
    listing = members(kind, q, chosen, int(page))
    facet_values = {f.name: facet_counts(kind, f, chosen) for f in facets}
    return render_template("index.html", kind=kind, q=q, listing=listing, facets=facets, chosen=chosen,
                           facet_values=facet_values, p=Presenter(settings().base), args=request.args,
                           size=settings().page_size)


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


def members(kind: Kind, q: str, chosen: dict[str, str], page: int) -> Listing:
    props = ", ".join(f"<{p}>" for p in (*LABEL_PROPERTIES, SKOS + "altLabel"))
    rows = store().select(f"""SELECT DISTINCT ?s ?p ?l WHERE {{
  ?s a {sparql_iri(kind.cls)} . {restrictions(chosen)}
  OPTIONAL {{ ?s ?p ?l FILTER(?p IN ({props})) }} }}""")  # FILTER: a VALUES here scans every label
    labels = best_labels(rows, "s")
    matching = [s for s, texts in searchable(rows).items() if not q or any(fold(q) in t for t in texts)]
    ordered = sorted(matching, key=lambda s: (fold(labels.get(s, s)), s))
    size = settings().page_size
    chunk = ordered[(page - 1) * size: page * size]
    return Listing([(s, labels.get(s, s)) for s in chunk], len(ordered), page, len(ordered) > page * size)


def searchable(rows: list[Row]) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        texts[r["s"].value]  # every member appears, labelled or not
        if "l" in r:
            texts[r["s"].value].append(fold(r["l"].value))
    return texts


def facet_counts(kind: Kind, facet: Facet, chosen: dict[str, str]) -> list[tuple[str, str, int]]:
    """(value, label, persons) for one facet, counted within the other facets chosen."""
    rows = store().select(f"""SELECT ?v (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a {sparql_iri(kind.cls)} . {restrictions(chosen, skip=facet.name)} {facet.group()}
  BIND(?v_{facet.name} AS ?v) }} GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 50""")
    values = [r["v"].value for r in rows]
    labels = fetch_labels(store(), values) if facet.is_iri else {}
    out = [(v, labels.get(v, v), int(r["n"].value)) for v, r in zip(values, rows, strict=True)]
    return sorted(out, key=lambda t: t[0]) if not facet.is_iri else out
