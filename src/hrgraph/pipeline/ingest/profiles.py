"""A prisoner's profile: "Field: value" lines (or an HTML table turned into them) about one person.

The person is the one the "Name:" / "Full name:" field names, else the only person named in the title. At least
two known fields make a profile. "Charges:" / "Article:" give charges (every article of the value), "Sentence:"
and "Court:" their sentence and court, "Detained:" a detention, "Status:" a recognition (political prisoner,
former political prisoner, died in custody) and "Died:" a death. A page without a profile gives nothing here.
"""

from __future__ import annotations

import re
from typing import Any

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.claims_base import Draft, ItemContext, Ref
from hrgraph.pipeline.ingest.readers import Span
from hrgraph.pipeline.ingest.recognise import Mention

FIELD = re.compile(r"^(?P<key>[A-Z][A-Za-z .]{1,30}?)[\s\u00a0]*:[\s\u00a0]*(?P<value>\S.*)$")
KEYS = {
    "name": "name", "full name": "name", "charges": "charges", "charge": "charges", "article": "charges",
    "articles": "charges", "art.": "charges", "criminal case": "charges", "sentence": "sentence",
    "penalty": "sentence", "court": "court", "detained": "detained", "date of detention": "detained",
    "arrested": "detained", "status": "status", "died": "died", "date of death": "died",
    "date of birth": "born", "born": "born", "place of detention": "place", "released": "released",
}


def _fields(ctx: ItemContext) -> dict[str, Span]:
    out: dict[str, Span] = {}
    for span in ([ctx.item.headline] if ctx.item.headline else []) + list(ctx.item.subtitles) + \
            list(ctx.item.paragraphs):
        if (m := FIELD.match(span.text)) and (key := KEYS.get(m.group("key").strip().lower())):
            out.setdefault(key, Span(m.group("value"), span.start + m.start("value"), span.end))
    return out


def _person(ctx: ItemContext, fields: dict[str, Span]) -> Mention | None:
    if "name" in fields:
        found = ctx.persons_in(fields["name"].start, fields["name"].end)
        return found[0] if found else None
    titles = [s for s in ([ctx.item.headline] if ctx.item.headline else []) + list(ctx.item.subtitles)]
    named = {p.ident: p for t in titles for p in ctx.persons_in(t.start, t.end)}
    return next(iter(named.values())) if len(named) == 1 else None


def profile(ctx: ItemContext) -> list[Draft]:
    fields = _fields(ctx)
    if len(fields) < 2:
        return []
    person = _person(ctx, fields)
    if person is None:
        return []
    out: list[Draft] = []
    text = ctx.doc.text
    name_span = (person.start, person.end)
    if "charges" in fields:
        out += _charges(ctx, person, fields, name_span)
    if "detained" in fields:
        f = fields["detained"]
        out.append(Draft("events", "detention", person.ident, {
            "class": "Detention", "kind": "detention", "persons": [Ref(person.ident)], "statement": ctx.statement},
            [_line(text, f), name_span], rule="profile-detained", confidence=0.9))
    if "status" in fields:
        status = _status(fields["status"].text)
        if status:
            out.append(Draft("claims", "rec", person.ident, {
                "type": "recognition", "statement": ctx.statement, "person": Ref(person.ident),
                "recognised_by": [ctx.author] if ctx.author else [], "criterion": "not-stated",
                "former": status == "former", "status": status}, [_line(text, fields["status"]), name_span],
                rule="profile-status", confidence=0.9))
    if "died" in fields or (fields.get("status") and _status(fields["status"].text) == "deceased"):
        f = fields.get("died") or fields["status"]
        out.append(Draft("events", "death", person.ident, {
            "class": "Event", "kind": "death", "persons": [Ref(person.ident)], "statement": ctx.statement},
            [_line(text, f), name_span], rule="profile-died", confidence=0.9))
    return out


def _line(text: str, value: Span) -> tuple[int, int]:
    """The whole "Field: value" line."""
    start = text.rfind("\n", 0, value.start) + 1
    return g.whole_words(text, start, value.end)


def _status(value: str) -> str | None:
    v = value.lower()
    if re.search(r"\b(?:died|dead|deceased|death)\b", v):
        return "deceased"
    if re.search(r"\bformer political prisoner", v):
        return "former"
    if re.search(r"\bpolitical prisoner\b", v) and not re.search(r"\bnot\b", v):
        return "current"
    return None


def _charges(ctx: ItemContext, person: Mention, fields: dict[str, Span], name_span: tuple[int, int]) -> list[Draft]:
    f = fields["charges"]
    text = ctx.doc.text
    provs = [p for p in ctx.of_kind("provisions", *_line(text, f)) if "number" in p.attrs and
             "Code" in str(p.attrs.get("instrument"))]
    out = []
    for prov in provs:
        extra: dict[str, Any] = {}
        if "sentence" in fields:
            extra["sentence"] = fields["sentence"].text.strip()
        if "court" in fields and (courts := [o for o in ctx.of_kind("organisations", fields["court"].start,
                                                                     fields["court"].end)
                                             if o.attrs.get("class") == "Court"]):
            extra["court"] = Ref(courts[0].ident)
        out.append(Draft("claims", "chg", f"{person.ident}|{prov.ident}", {
            "type": "charge", "statement": ctx.statement, "person": Ref(person.ident), "provision": Ref(prov.ident),
            "stage": "convicted" if "sentence" in fields else "charged", **extra},
            [_line(text, f), name_span], rule="profile-charges", confidence=0.9))
    return out
