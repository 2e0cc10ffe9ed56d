"""Tables of persons: lines of cells split by "|" ("No. | Name | Article | Sentence", markdown's "| a | b |" with a
"|---|" rule, or an HTML table with a header row, which htmltext.py writes the same way). The first row names
the columns; each later row is one person's: the name column gives the person, the article column the charges
(bare numbers too: "361-1 (Part 1), 361-4"), and the sentence, court, detention and status columns what they
say. A row without a person in its name column gives nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.claims_base import Draft, ItemContext, Ref
from hrgraph.pipeline.ingest.document import Span
from hrgraph.pipeline.ingest.recognise import Mention

S = r"[\s\u00a0]"
RULE = re.compile(r"^[\s|:\-–—=+]*$")
COLUMNS = (("name", r"\b(?:name|full name|person|prisoner|who)\b"),
           ("articles", r"\b(?:art|article|articles|article\(s\)|charges?|criminal case)\b"),
           ("sentence", r"\b(?:sentence|penalty|term|verdict)\b"), ("court", r"\bcourt\b"),
           ("detained", r"\b(?:detained|arrested|date of (?:detention|arrest)|arrest date)\b"),
           ("status", r"\bstatus\b"))
BARE_ARTICLE = re.compile(rf"(?:(?:Part|part|p\.){S}*(?P<pre>\d+){S}+of{S}+)?(?<![\w.-])(?P<num>\d{{2,4}}(?:[.-]\d+)*)"
                          rf"(?![\w.-])(?:{S}*\({S}*(?:Part|part|p\.){S}*(?P<post>\d+){S}*\))?")
CODE = "Criminal Code of the Republic of Belarus"


@dataclass(frozen=True)
class Table:
    columns: dict[str, int]  # role -> column index
    rows: tuple[tuple[Span, ...], ...]
    last: Span  # the table's last line


def _cells(line: Span) -> list[Span]:
    text = line.text.strip()
    lead = line.text.index(text[:1]) if text else 0
    inner = text[1:] if text.startswith("|") else text
    offset = line.start + lead + (1 if text.startswith("|") else 0)
    inner = inner[:-1] if inner.endswith("|") else inner
    out, pos = [], 0
    for part in inner.split("|"):
        stripped = part.strip()
        begin = offset + pos + (part.index(stripped) if stripped else 0)
        out.append(Span(stripped, begin, begin + len(stripped)))
        pos += len(part) + 1
    return out


def tables(spans: list[Span]) -> list[Table]:
    """The tables among an item's lines: a run of lines with at least two "|", the first the header."""
    out: list[Table] = []
    run: list[Span] = []
    for span in [*spans, None]:
        if span is not None and span.text.count("|") >= 2:
            run.append(span)
            continue
        if len(run) >= 2:
            header = [c.text.lower() for c in _cells(run[0])]
            columns = {role: i for role, pattern in COLUMNS for i, h in reversed(list(enumerate(header)))
                       if re.search(pattern, h)}
            rows = tuple(tuple(_cells(r)) for r in run[1:] if not RULE.match(r.text))
            if "name" in columns:
                out.append(Table(columns, rows, run[-1]))
        run = []
    return out


def _cell(table: Table, row: tuple[Span, ...], role: str) -> Span | None:
    i = table.columns.get(role)
    return row[i] if i is not None and i < len(row) and row[i].text else None


def article_mentions(spans: list[Span], known: list[Mention]) -> list[Mention]:
    """Articles written as bare numbers in an article column, where the recogniser found none."""
    out = []
    for table in tables(spans):
        for row in table.rows:
            cell = _cell(table, row, "articles")
            if cell is None or any(m.kind == "provisions" and cell.start <= m.start < cell.end for m in known):
                continue
            for m in BARE_ARTICLE.finditer(cell.text):
                a, b = cell.start + m.start(), cell.start + m.end()
                out.append(Mention("provisions", f"{CODE}, Article {m.group('num')}", a, b, m.group(), {
                    "instrument": CODE, "number": m.group("num"), "part": m.group("pre") or m.group("post"),
                    "assumed": True, "list_start": cell.start, "list_end": cell.end}))
    return out


def table_claims(ctx: ItemContext, table: Table) -> list[Draft]:
    """Charges, detentions and recognitions of each row, each quoting the row (and the header)."""
    from hrgraph.pipeline.ingest.profiles import status_of
    from hrgraph.pipeline.ingest.terms import term

    text, out = ctx.doc.text, []
    for row in table.rows:
        name = _cell(table, row, "name")
        people = ctx.persons_in(name.start, name.end)[:1] if name else []
        if not people:
            continue
        person, quote = people[0], g.whole_words(text, row[0].start, row[-1].end)
        art, sent, court, det, status = (_cell(table, row, r) for r in ("articles", "sentence", "court", "detained",
                                                                       "status"))
        courts = [o for o in ctx.of_kind("organisations", court.start, court.end) if o.attrs.get("class") == "Court"] \
            if court else []
        for prov in ctx.of_kind("provisions", art.start, art.end) if art else []:
            fields: dict[str, Any] = {"type": "charge", "statement": ctx.statement, "person": Ref(person.ident),
                                      "provision": Ref(prov.ident), "stage": "convicted" if sent else "charged"}
            if sent and (length := term(text, sent.start, sent.end)):
                fields["sentence"] = length
            if courts:
                fields["court"] = Ref(courts[0].ident)
            out.append(Draft("claims", "chg", f"{person.ident}|{prov.ident}", fields, [quote], rule="table-row",
                             confidence=0.85))
        if det:
            out.append(Draft("events", "detention", person.ident, {
                "class": "Detention", "kind": "detention", "persons": [Ref(person.ident)],
                "statement": ctx.statement}, [quote], rule="table-detained", confidence=0.85))
        if status and (st := status_of(status.text)):
            out.append(Draft("claims", "rec", person.ident, {
                "type": "recognition", "statement": ctx.statement, "person": Ref(person.ident),
                "recognised_by": [ctx.author] if ctx.author else [], "criterion": "not-stated",
                "former": st == "former", "status": st}, [quote], rule="table-status", confidence=0.85))
    return out


def table_persons(ctx: ItemContext, table: Table) -> tuple[Mention, ...]:
    found: dict[str, Mention] = {}
    for row in table.rows:
        name = _cell(table, row, "name")
        for p in ctx.persons_in(name.start, name.end)[:1] if name else []:
            found.setdefault(p.ident, p)
    return tuple(found.values())
