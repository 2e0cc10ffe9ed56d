"""A source document's page: its stored text with every quote marked where it stands, each with an anchor
(`#q-<annotation key>`, what claims link to) and a link to the claim it supports; where the text was published
and when it was fetched; and a title that says what the document is.

The text is the one the build published beside the dumps (`dist/sources/`, the file `dct:identifier` names):
evidence offsets count code points in it, and a quote is marked only where the text at its offsets is the quote
(`oa:exact`); one that is not is listed apart, never marked at a guessed place. Quotes overlap (a claim's
words inside another's), so the text is cut at every quote's start and end and each piece is marked with all
the quotes covering it.

The title: the curated label of a source says how it was kept ("… statement listing (5 items)"), not what it
is; a page gets the title of its one statement, or says how many statements it lists and where.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from rdflib.namespace import DCTERMS, PROV

from hrgraph.model.namespaces import HR, OA
from hrgraph.web.describe import Description
from hrgraph.web.downloads import SAFE_NAME
from hrgraph.web.labels import fetch_labels
from hrgraph.web.lookup import settings, store
from hrgraph.web.terms import sparql_iri

MAX_CHARS = 2_000_000  # a longer text is linked, not inlined


@dataclass(frozen=True)
class Quote:
    key: str  # the anchor: the annotation's last path segment
    annotation: str
    claim: str
    claim_label: str
    start: int | None
    end: int | None
    exact: str
    placed: bool  # the text at [start, end) is the quote


@dataclass(frozen=True)
class Piece:
    text: str
    quotes: tuple[str, ...]  # keys of the quotes covering it
    anchors: tuple[str, ...]  # keys of the quotes that start here


@dataclass
class SourceText:
    title: str
    site: str  # where the text was published (dct:source), "" when unknown
    retrieved: str  # when it was fetched (hr:retrievedOn), "" when not recorded
    stored: str  # the stored text's address on this server
    statements: list[tuple[str, str, str]] = field(default_factory=list)  # (IRI, title, date)
    pieces: list[Piece] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    too_long: bool = False

    @property
    def unplaced(self) -> list[Quote]:
        return [q for q in self.quotes if not q.placed]


def readable_url(url: str) -> str:
    """`https://belhelcom.org/en` → `belhelcom.org/en`: what a link to another site reads."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")) or url


def source_text(d: Description) -> SourceText:
    own = d.nodes().get(d.iri, {})
    value = {p: (own.get(str(p)) or [None])[0] for p in (DCTERMS.identifier, DCTERMS.source, DCTERMS.hasFormat,
                                                            HR.retrievedOn)}
    statements = _statements(d.iri)
    out = SourceText(_title(d, statements, value[DCTERMS.source]), _value(value[DCTERMS.source]),
                     _value(value[HR.retrievedOn]), _stored(_value(value[DCTERMS.hasFormat])), statements)
    text = _text(_value(value[DCTERMS.identifier]))
    out.too_long = text is not None and len(text) > MAX_CHARS
    out.quotes = _quotes(d.iri, None if out.too_long else text)
    if text is not None and not out.too_long:
        out.pieces = pieces(text, [q for q in out.quotes if q.placed])
    return out


def _value(term: object) -> str:
    return getattr(term, "value", "") or ""


def _stored(iri: str) -> str:
    base = settings().base
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def _text(identifier: str) -> str | None:
    if not SAFE_NAME.match(identifier):
        return None
    path: Path = settings().dist_dir / "sources" / identifier
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _statements(iri: str) -> list[tuple[str, str, str]]:
    rows = store().select(f"""SELECT ?st ?date WHERE {{ ?st a <{HR.Statement}> ;
  <{PROV.wasDerivedFrom}> {sparql_iri(iri)} OPTIONAL {{ ?st <{HR.date}> ?date }} }}""")
    dates = {r["st"].value: r["date"].value if "date" in r else "" for r in rows}
    titles = fetch_labels(store(), sorted(dates))
    return sorted(((st, titles.get(st, st), date) for st, date in dates.items()), key=lambda t: (t[2], t[1]))


def _title(d: Description, statements: list[tuple[str, str, str]], site: object) -> str:
    where = f" on {readable_url(_value(site))}" if _value(site) else ""
    if len(statements) == 1:
        return statements[0][1]
    if statements:
        return f"{len(statements)} statements as listed{where}"
    return d.label(d.iri)


def _quotes(iri: str, text: str | None) -> list[Quote]:
    """Each quote of the source with its claim and offsets, in two small queries: one joining targets with
    their selectors' optional offsets took 3 s at 10,000 persons (the engine scanned every selector)."""
    rows = store().select(f"""SELECT ?ann ?claim ?t WHERE {{
  ?t <{OA.hasSource}> {sparql_iri(iri)} . ?ann <{OA.hasTarget}> ?t ; <{OA.hasBody}> ?claim }}""")
    selected: dict[str, dict[str, str]] = {}
    targets = sorted({r["t"].value for r in rows})
    for i in range(0, len(targets), 500):
        values = " ".join(sparql_iri(t) for t in targets[i:i + 500])
        for r in store().select(f"""SELECT ?t ?p ?v WHERE {{ VALUES ?t {{ {values} }} ?t <{OA.hasSelector}> ?s .
  ?s ?p ?v FILTER(?p IN (<{OA.start}>, <{OA.end}>, <{OA.exact}>)) }}"""):
            selected.setdefault(r["t"].value, {})[r["p"].value] = r["v"].value
    labels = fetch_labels(store(), sorted({r["claim"].value for r in rows}))
    out: dict[str, Quote] = {}
    for r in rows:
        ann, claim, sel = r["ann"].value, r["claim"].value, selected.get(r["t"].value, {})
        start = int(sel[str(OA.start)]) if str(OA.start) in sel else None
        end = int(sel[str(OA.end)]) if str(OA.end) in sel else None
        exact = sel.get(str(OA.exact), "")
        placed = text is not None and start is not None and end is not None and text[start:end] == exact
        out[ann] = Quote(ann.rstrip("/").rsplit("/", 1)[-1], ann, claim, labels.get(claim, claim), start, end, exact,
                         placed)
    return sorted(out.values(), key=lambda q: (q.start if q.start is not None else -1, q.key))


def pieces(text: str, quotes: list[Quote]) -> list[Piece]:
    """The text cut at every quote's start and end, each piece with the quotes covering it."""
    cuts = sorted({0, len(text), *(q.start for q in quotes if q.start is not None),
                   *(q.end for q in quotes if q.end is not None)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        covering = tuple(q.key for q in quotes if q.start is not None and q.end is not None and q.start <= a < q.end)
        starting = tuple(q.key for q in quotes if q.start == a)
        out.append(Piece(text[a:b], covering, starting))
    return out
