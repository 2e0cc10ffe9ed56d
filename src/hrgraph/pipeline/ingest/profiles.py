"""Profiles and case summaries: "Field: value" lines (or an HTML table turned into them) about one person.

A block is a run of field lines; a page may hold several ("WHO: / WHAT: / COURT:" summaries, one per case). A
block is about the person its "Name:" / "Full name:" / "WHO:" field names, else (a page with one block) the only
person named in the title. At least two known fields make a block. "Charges:" / "Article:" give charges (every
article of the value), "Sentence:" and "Court:" their sentence and court, "Detained:" a detention, "Status:" a
recognition (political prisoner, former political prisoner, died in custody) and "Died:" a death. "WHAT:" is a
predicate without its subject, the block's person: "detained by the KGB; suspected under Article 361-2" is a
detention and a charge, "sentenced to 3 years under Article 342" a charge with its sentence.
"""

from __future__ import annotations

import re
from typing import Any

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.claims_base import Draft, ItemContext, Ref
from hrgraph.pipeline.ingest.document import Span
from hrgraph.pipeline.ingest.recognise import Mention
from hrgraph.pipeline.ingest.terms import term

FIELD = re.compile(r"^(?P<key>[A-Z][A-Za-z .]{1,30}?)[\s\u00a0]*:[\s\u00a0]*(?P<value>\S.*)$")
KEYS = {
    "name": "name", "full name": "name", "who": "name", "charges": "charges", "charge": "charges",
    "article": "charges", "articles": "charges", "art.": "charges", "criminal case": "charges", "sentence": "sentence",
    "penalty": "sentence", "court": "court", "detained": "detained", "date of detention": "detained",
    "arrested": "detained", "status": "status", "died": "died", "date of death": "died", "what": "what",
    "date of birth": "born", "born": "born", "place of detention": "place", "released": "released", "when": "when",
}
S = r"[\s\u00a0]"
WHAT_DETAINED = re.compile(rf"^(?:detained|arrested|taken{S}+into{S}+custody|apprehended)\b")
WHAT_CHARGE = re.compile(rf"^(?P<v>sentenced|convicted|found{S}+guilty|charged|accused|suspected|prosecuted)\b")
STAGES = {"sentenced": "convicted", "convicted": "convicted", "found": "convicted", "charged": "charged",
          "accused": "charged", "prosecuted": "charged", "suspected": "suspected"}


def _blocks(ctx: ItemContext) -> list[dict[str, Span]]:
    """Runs of field lines; a line of prose, or a key the run already has (the next case's "WHO:"), ends one."""
    out: list[dict[str, Span]] = []
    current: dict[str, Span] = {}
    for span in ([ctx.item.headline] if ctx.item.headline else []) + list(ctx.item.subtitles) + \
            list(ctx.item.paragraphs):
        m = FIELD.match(span.text)
        key = KEYS.get(m.group("key").strip().lower()) if m else None
        if m is None or key in current:
            if current:
                out.append(current)
            current = {}
        if key is not None and m is not None:
            current[key] = Span(m.group("value"), span.start + m.start("value"), span.end)
    if current:
        out.append(current)
    return [b for b in out if len(b) >= 2]


def _person(ctx: ItemContext, fields: dict[str, Span], alone: bool) -> Mention | None:
    if "name" in fields:
        found = ctx.persons_in(fields["name"].start, fields["name"].end)
        return found[0] if found else None
    if not alone:
        return None
    titles = [s for s in ([ctx.item.headline] if ctx.item.headline else []) + list(ctx.item.subtitles)]
    named = {p.ident: p for t in titles for p in ctx.persons_in(t.start, t.end)}
    return next(iter(named.values())) if len(named) == 1 else None


def profile(ctx: ItemContext) -> list[Draft]:
    blocks = _blocks(ctx)
    out: list[Draft] = []
    for fields in blocks:
        person = _person(ctx, fields, len(blocks) == 1)
        if person is not None:
            out += _block(ctx, person, fields)
    return out


def _block(ctx: ItemContext, person: Mention, fields: dict[str, Span]) -> list[Draft]:
    text, out = ctx.doc.text, []
    name_span = (person.start, person.end)
    if "charges" in fields:
        out += _charges(ctx, person, fields, fields["charges"], "convicted" if "sentence" in fields else "charged")
    if "detained" in fields:
        out.append(_detention(ctx, person, [_line(text, fields["detained"]), name_span], "profile-detained"))
    if "what" in fields:
        out += _what(ctx, person, fields, name_span)
    if "status" in fields and (status := status_of(fields["status"].text)):
        out.append(Draft("claims", "rec", person.ident, {
            "type": "recognition", "statement": ctx.statement, "person": Ref(person.ident),
            "recognised_by": [ctx.author] if ctx.author else [], "criterion": "not-stated",
            "former": status == "former", "status": status}, [_line(text, fields["status"]), name_span],
            rule="profile-status", confidence=0.9))
    if "died" in fields or (fields.get("status") and status_of(fields["status"].text) == "deceased"):
        f = fields.get("died") or fields["status"]
        out.append(Draft("events", "death", person.ident, {
            "class": "Event", "kind": "death", "persons": [Ref(person.ident)], "statement": ctx.statement},
            [_line(text, f), name_span], rule="profile-died", confidence=0.9))
    return out


def _what(ctx: ItemContext, person: Mention, fields: dict[str, Span], name_span: tuple[int, int]) -> list[Draft]:
    """The clauses of a "WHAT:" value that start with a participle: their subject is the block's person."""
    text, out = ctx.doc.text, []
    value = fields["what"]
    pos = value.start
    for part in value.text.split(";"):
        start = pos + len(part) - len(part.lstrip())
        clause = Span(text[start:pos + len(part)], start, pos + len(part))
        pos += len(part) + 1
        if WHAT_DETAINED.match(clause.text):
            out.append(_detention(ctx, person, [g.whole_words(text, clause.start, clause.end), name_span],
                                  "summary-what"))
        if m := WHAT_CHARGE.match(clause.text):
            out += _charges(ctx, person, fields, clause, STAGES[m.group("v").split()[0]])
    return out


def _detention(ctx: ItemContext, person: Mention, spans: list[tuple[int, int]], rule: str) -> Draft:
    return Draft("events", "detention", person.ident, {
        "class": "Detention", "kind": "detention", "persons": [Ref(person.ident)], "statement": ctx.statement},
        spans, rule=rule, confidence=0.9)


def _line(text: str, value: Span) -> tuple[int, int]:
    """The whole "Field: value" line."""
    start = text.rfind("\n", 0, value.start) + 1
    return g.whole_words(text, start, value.end)


def status_of(value: str) -> str | None:
    v = value.lower()
    if re.search(r"\b(?:died|dead|deceased|death)\b", v):
        return "deceased"
    if re.search(r"\bformer political prisoner", v):
        return "former"
    if re.search(r"\bpolitical prisoner\b", v) and not re.search(r"\bnot\b", v):
        return "current"
    return None


def _charges(ctx: ItemContext, person: Mention, fields: dict[str, Span], value: Span, stage: str) -> list[Draft]:
    text = ctx.doc.text
    provs = [p for p in ctx.of_kind("provisions", *_line(text, value)) if "number" in p.attrs and
             "Code" in str(p.attrs.get("instrument")) and value.start < p.end and p.start < value.end]
    extra: dict[str, Any] = {}
    if stage == "convicted":
        sentence = fields["sentence"].text.strip() if "sentence" in fields else term(text, value.start, value.end)
        if sentence is None and "what" in fields:
            sentence = term(text, fields["what"].start, fields["what"].end)
        if sentence:
            extra["sentence"] = sentence
    court = fields.get("court")
    if court and (courts := [o for o in ctx.of_kind("organisations", court.start, court.end)
                             if o.attrs.get("class") == "Court"]):
        extra["court"] = Ref(courts[0].ident)
    return [Draft("claims", "chg", f"{person.ident}|{prov.ident}", {
        "type": "charge", "statement": ctx.statement, "person": Ref(person.ident), "provision": Ref(prov.ident),
        "stage": stage, **extra}, [_line(text, value), (person.start, person.end)], rule="profile-charges",
        confidence=0.9) for prov in provs]
