"""The home page: what the dataset is, counts per class, charts, how to search, query and download.

The charts count persons from the facet index of the persons index (xref/facets.py), so a bar's number is the
number of persons its link lists, and say what they count: recognitions with no year are a bar of their own
("undated") rather than dropped, and articles are charted one legal code at a time (a Criminal Code article
and an Administrative Offences article never share a chart). Class counts are one engine aggregate, kept per
build (web/memo.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, render_template

from hrgraph.web.indexes import KINDS, Kind
from hrgraph.web.lookup import facet_index, store
from hrgraph.web.memo import per_build
from hrgraph.web.terms import sparql_iri
from hrgraph.xref.facets import UNDATED

bp = Blueprint("pages", __name__)
ARTICLES_PER_CHART = 15

Bar = tuple[str, int, str]  # label, count, the list it counts


@bp.get("/")
def home() -> str:
    dist = store().files  # the files published with the build this page counts
    dumps = sorted(p.name for p in dist.iterdir() if p.is_file()) if dist.is_dir() else []
    counts = facet_index().counts({})
    return render_template("home.html", counts=per_build("counts", class_counts), by_year=years(counts["year"]),
                           by_code=articles(counts["article"]), dumps=dumps, kinds=KINDS)


def class_counts() -> list[tuple[Kind, int]]:
    values = " ".join(sparql_iri(k.cls) for k in KINDS)
    rows = store().select(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }} "
                          "GROUP BY ?c")
    found = {r["c"].value: int(r["n"].value) for r in rows}
    return [(k, found.get(k.cls, 0)) for k in KINDS]


def years(counts: list) -> list[Bar]:
    """Persons per year of recognition, in year order, the undated last."""
    return [(c.label if c.value != UNDATED else "undated", c.n, persons_url(year=c.value)) for c in counts]


def articles(counts: list) -> list[tuple[str, list[Bar]]]:
    """Per legal code, the persons charged under each of its articles (the most charged first)."""
    codes: dict[str, list[Bar]] = {}
    for c in counts:
        bars = codes.setdefault(c.group or "Other provisions", [])
        bars.append((c.short or c.label, c.n, persons_url(article=c.value)))
    return [(code, sorted(bars, key=lambda b: -b[1])[:ARTICLES_PER_CHART]) for code, bars in codes.items()]


def persons_url(**facets: str) -> str:
    return "/persons?" + urlencode(facets)
