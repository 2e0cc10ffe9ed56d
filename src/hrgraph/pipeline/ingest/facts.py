"""Facts about persons in one sentence: charges (person, article), detentions and deaths, each attached to the
subject or object of its clause (grammar.py), never to the nearest name.

Charges: "X was convicted under Articles A, B" (subject), "the court sentenced X ... under A" (object), "He was
charged under A" (pronoun), "X, charged under A," / "X, a journalist serving a sentence under A" (apposition),
"case against X under A", and the verbless list item "X, under Article A, ..." / "X (Art. A), ...". A list of
persons and a list of articles give every pair. The stage (suspected, charged, convicted) comes from the verb;
the court only from the same clause; the sentence length (digits or words) from the same clause.
"""

from __future__ import annotations

import re
from typing import Any

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.claims_base import Draft, ItemContext, Ref
from hrgraph.pipeline.ingest.readers import Span
from hrgraph.pipeline.ingest.recognise import Mention

S = r"[\s\u00a0]"
CHARGE_VERB = re.compile(
    rf"\b(?P<v>convicted|sentenced|charged|accused|prosecuted|tried|found(?=[^.;]*\bguilty\b)|suspected|indicted|"
    rf"fined|"
    rf"received|serving|detained|arrested|taken{S}+into{S}+custody|held|on{S}+suspicion|"
    rf"(?:criminal{S}+)?(?:case|charges|proceedings){S}+(?:\w+{S}+){{0,3}}against)\b")
STAGE = {"suspected": "suspected", "detained": "suspected", "arrested": "suspected", "taken": "suspected",
         "on": "suspected", "held": "suspected", "charged": "charged", "accused": "charged", "prosecuted": "charged",
         "indicted": "charged", "case": "charged", "charges": "charged", "proceedings": "charged",
         "criminal": "charged"}
ACTIVE_SUBJECT = re.compile(r"(?i)\b(?:court|judge|prosecutor|investigators?|police|security forces|officers|"
                            r"authorities|KGB|they)\b")
NUMBER_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|\d+(?:[.,]\d+)?)"
TERM = re.compile(
    rf"\b{NUMBER_WORD}(?:{S}+and{S}+a{S}+half)?{S}+(?:years?|months?|days?)(?:{S}+and{S}+{NUMBER_WORD}{S}+months?)?"
    rf"(?:{S}+(?:of{S}+)?(?:imprisonment|restricted{S}+freedom|restriction{S}+of{S}+(?:liberty|freedom)|"
    rf"administrative{S}+detention|arrest|home{S}+confinement|correctional{S}+labou?r|"
    rf"deprivation{S}+of{S}+liberty)(?:{S}+in{S}+an?{S}+[\w-]+(?:{S}+[\w-]+)?{S}+colony)?)?", re.IGNORECASE)
LIST_ITEM = re.compile(rf"^{S}*(?:•{S}*)?$")
LIST_ITEM_LINK = re.compile(rf"^(?:,{S}*(?:under|Art|Part)|{S}*\({S}*(?:Art|Part|under)|"
                            rf"{S}*[—–-]{S}*(?:Art|Part|under))")
DEATH_VERB = re.compile(rf"\b(?P<v>died|passed{S}+away|was{S}+found{S}+dead|perished|was{S}+killed)\b")
DEATH_NOUN = re.compile(rf"\b(?:the{S}+)?death{S}+of{S}+")
CUSTODY = re.compile(r"(?i)\b(?:in custody|in (?:a |the )?prison|prison hospital|behind bars|penal colony|colony|"
                     r"pre-trial detention|detention centre|detention center|remand|jail)\b")
DETAIN_VERB = re.compile(rf"\b(?P<v>detained|arrested|taken{S}+into{S}+custody|apprehended|placed{S}+in{S}+(?:the{S}+)?"
                         rf"pre-trial{S}+detention)\b")
NEGATED = re.compile(rf"\b(?:not|never|nobody|no{S}+one|no{S}+longer)\b")
AMONG = re.compile(rf"(?:Among{S}+(?:them|those{S}+detained|the{S}+detained){S}+(?:are|were|is|was)|"
                   rf"They{S}+include){S}+")


def _who(ctx: ItemContext, s: Span, at: int, end: int, focus: g.Focus, local: list[g.Run],
         verb: str) -> tuple[tuple[Mention, ...], str]:
    """The persons a predicate at [at, end) is about, and how they were found."""
    text = ctx.doc.text
    clause_start = g.clause_bounds(s, at, end, text)[0]
    reduced = verb.split()[0] in ("charged", "convicted", "sentenced", "accused", "suspected", "serving", "detained")
    if (run := g.subject(text, local, at, clause_start, reduced)) is not None:
        return run.persons, "subject"
    head = text[clause_start:at]
    if re.search(r"(?:case|charges|proceedings)", verb):
        if run := g.obj(text, local, end, s.end):
            return run.persons, "against"
        if pro := re.match(rf"{S}+(?P<p>him|her|them)\b", text[end:end + 6]):
            return g.antecedent(pro.group("p"), focus, [r for r in local if r.end <= at]), "pronoun"
    if ACTIVE_SUBJECT.search(head):
        if run := g.obj(text, local, end, s.end):
            return run.persons, "object"
        if pro := re.match(rf"{S}+(?P<p>him|her|them)\b", text[end:end + 6]):
            return g.antecedent(pro.group("p"), focus, [r for r in local if r.end <= at]), "pronoun"
    pro = list(g.PRONOUN.finditer(head))
    if pro and re.fullmatch(rf"{S}*(?:{g.AUX}{S}*)*", head[pro[-1].end():]) and \
            pro[-1].group("p").lower() not in ("his", "their", "her", "him", "them"):
        people = g.antecedent(pro[-1].group("p"), focus, [r for r in local if r.end <= clause_start + pro[-1].start()])
        return people, "pronoun"
    return (), ""


def _evidence(ctx: ItemContext, s: Span, start: int, end: int, people: tuple[Mention, ...]) -> list[tuple[int, int]]:
    """The sentence (or its clause when long), in whole words; a second span naming the person when the
    sentence names them only by a pronoun."""
    text = ctx.doc.text
    a, b = (s.start, s.end) if s.end - s.start <= 320 else g.clause_bounds(s, start, end, text)
    spans = [g.whole_words(text, a, b)]
    spans += [(p.start, p.end) for p in people if not (a <= p.start and p.end <= b)]
    return spans


def _court(ctx: ItemContext, s: Span, at: int, end: int) -> Mention | None:
    left, right = g.clause_bounds(s, at, end, ctx.doc.text)
    courts = [o for o in ctx.of_kind("organisations", left, right) if o.attrs.get("class") == "Court"]
    return courts[0] if courts else None


def _term(text: str, start: int, end: int) -> str | None:
    m = TERM.search(text, start, end)
    return re.sub(rf"{S}+", " ", m.group()) if m else None


def charges(ctx: ItemContext, s: Span, focus: g.Focus, local: list[g.Run]) -> list[Draft]:
    text, out = ctx.doc.text, []
    lists: dict[int, list[Mention]] = {}
    for p in ctx.of_kind("provisions", s.start, s.end):
        if "list_start" in p.attrs and "Code" in str(p.attrs.get("instrument")):
            lists.setdefault(int(p.attrs["list_start"]), []).append(p)
    for start, provs in sorted(lists.items()):
        list_end = int(provs[0].attrs["list_end"])
        verbs = [m for m in CHARGE_VERB.finditer(text, s.start, start)]
        people, how, verb = (), "", None
        for v in reversed(verbs):  # "was taken into custody on suspicion under": the verb that has a subject
            people, how = _who(ctx, s, v.start(), v.end(), focus, local, v.group("v"))
            if people:
                verb = v
                break
        if not people:
            people, how = _list_item(ctx, s, start, local)
        if not people:
            continue
        left, right = g.clause_bounds(s, start, list_end, text)
        court = _court(ctx, s, verb.start() if verb else start, list_end)
        term = _term(text, verb.end() if verb else left, right)
        stage = STAGE.get(verb.group("v").split()[0], "convicted") if verb else "convicted"
        if how == "pronoun" and verb and {p.ident for p in ctx.of_kind("persons", s.start, verb.start())} - \
                {p.ident for p in people}:
            continue  # another name stands before the pronoun in the sentence: too unsure
        spans = _evidence(ctx, s, min(p.start for p in people), list_end, people)
        for person in people:
            for prov in provs:
                fields: dict[str, Any] = {"type": "charge", "statement": ctx.statement, "person": Ref(person.ident),
                                          "provision": Ref(prov.ident), "stage": stage}
                if court:
                    fields["court"] = Ref(court.ident)
                if term and stage == "convicted":
                    fields["sentence"] = term
                if ctx.date:
                    fields["date"] = ctx.date
                out.append(Draft("claims", "chg", f"{person.ident}|{prov.ident}", fields, spans,
                                 rule=f"charge-{how}", confidence=0.9 if how in ("subject", "object", "list-item")
                                 else 0.75))
    return out


INTRO = re.compile(rf"(?i)\bthe{S}+following{S}+(?:\w+{S}+)?(?:persons|people|individuals|activists|defendants|"
                   rf"students|journalists)\b[^:]*:{S}*$")


def listed_below(ctx: ItemContext, s: Span, following: list[g.Run]) -> list[Draft]:
    """"The following persons were convicted under Article N:" and a list of names below: each is charged."""
    if not INTRO.search(s.text) or not following:
        return []
    text, out = ctx.doc.text, []
    provs = [p for p in ctx.of_kind("provisions", s.start, s.end) if "Code" in str(p.attrs.get("instrument"))]
    verb = CHARGE_VERB.search(text, s.start, s.end)
    if not provs or verb is None:
        return []
    stage = STAGE.get(verb.group("v").split()[0], "convicted")
    for run in following:
        line_end = text.find("\n", run.end)
        line_end = len(text) if line_end < 0 else line_end
        spans = [g.whole_words(text, s.start, s.end), g.whole_words(text, run.start, line_end)]
        term = _term(text, run.end, line_end) if stage == "convicted" else None
        for person in run.persons:
            for prov in provs:
                fields: dict[str, Any] = {"type": "charge", "statement": ctx.statement, "person": Ref(person.ident),
                                          "provision": Ref(prov.ident), "stage": stage}
                if term:
                    fields["sentence"] = term
                out.append(Draft("claims", "chg", f"{person.ident}|{prov.ident}", fields, spans,
                                 rule="charge-list-below", confidence=0.8))
    return out


def _list_item(ctx: ItemContext, s: Span, at: int, local: list[g.Run]) -> tuple[tuple[Mention, ...], str]:
    """A verbless list item: the line starts with the persons, then the articles with no verb and no other name
    between ("X, under Article A, ...", "X (Art. A), ...", "X — Articles A, B", "X: 5 years (Art. A)")."""
    text = ctx.doc.text
    first = next((r for r in local if r.start >= s.start), None)
    if first is None or first.end > at or not LIST_ITEM.match(text[s.start:first.start]):
        return (), ""
    between = text[first.end:at]
    if LIST_ITEM_LINK.match(text[first.end:at + 12]) or (
            re.match(rf"{S}*[:—–-]", between) and len(between) <= 80 and "(" in between[-8:]):
        if not CHARGE_VERB.search(text, first.end, at) and not any(first.end <= r.start < at for r in local):
            return first.persons, "list-item"
    return (), ""


def detentions(ctx: ItemContext, s: Span, focus: g.Focus, local: list[g.Run], previous: Span | None) -> list[Draft]:
    text, out = ctx.doc.text, []
    found: list[tuple[tuple[Mention, ...], str, int, int]] = []
    for m in DETAIN_VERB.finditer(text, s.start, s.end):
        head = text[g.clause_bounds(s, m.start(), m.end(), text)[0]:m.start()]
        if NEGATED.search(head[-25:]) or re.search(r"(?i)\b(?:the|his|her|their)\s+$", head):
            continue
        people, how = _who(ctx, s, m.start(), m.end(), focus, local, m.group("v"))
        if not people and not re.search(rf"{S}(?:was|were|is|are|been|be){S}*$", head) and \
                (run := g.obj(text, local, m.end(), s.end)):
            people, how = run.persons, "object"
        if people:
            found.append((people, how, m.start(), m.end()))
    if (m := AMONG.match(text, s.start)) and previous is not None and DETAIN_VERB.search(previous.text) and \
            (run := g.obj(text, local, m.end(), s.end)):
        found.append((run.persons, "among", s.start, m.end()))
    for people, how, a, b in found:
        spans = _evidence(ctx, s, min([p.start for p in people] + [a]), b, people)
        for person in people:
            out.append(Draft("events", "detention", person.ident, {
                "class": "Detention", "kind": "detention", "persons": [Ref(person.ident)],
                "statement": ctx.statement}, spans, rule=f"detention-{how}",
                confidence=0.85 if how in ("subject", "object") else 0.7))
    return out


def deaths(ctx: ItemContext, s: Span, focus: g.Focus, local: list[g.Run]) -> list[Draft]:
    text, out = ctx.doc.text, []
    found: list[tuple[tuple[Mention, ...], str, int, int]] = []
    for m in DEATH_VERB.finditer(text, s.start, s.end):
        head = text[s.start:m.start()]
        if NEGATED.search(head[-30:]) or re.search(r"\bwhose\b[^,]*$", head):
            continue
        run = g.subject(text, local, m.start(), s.start)
        if run is not None and not re.search(r"\bwhose\b", text[run.end:m.start()]):
            found.append((run.persons, "subject", m.start(), m.end()))
        elif (pro := list(g.PRONOUN.finditer(head))) and pro[-1].group("p").lower() in ("he", "she") and \
                re.fullmatch(rf"{S}*(?:{g.AUX}{S}*)*", head[pro[-1].end():]) and \
                (people := g.antecedent(pro[-1].group("p"), focus, local)):
            found.append((people, "pronoun", m.start(), m.end()))
    for m in DEATH_NOUN.finditer(text, s.start, s.end):
        if (run := g.obj(text, local, m.end(), s.end)) is not None:
            found.append((run.persons, "death-of", m.start(), m.end()))
    seen: set[str] = set()
    for people, how, a, b in found:
        custody = bool(CUSTODY.search(text, s.start, s.end))
        place = next((p for p in ctx.of_kind("places", s.start, s.end) if p.attrs.get("place_kind") ==
                      "penal-colony"), None)
        for person in people:
            if person.ident in seen:
                continue
            seen.add(person.ident)
            fields: dict[str, Any] = {"class": "DeathInCustody" if custody else "Event",
                                      "kind": "death-in-custody" if custody else "death",
                                      "persons": [Ref(person.ident)], "statement": ctx.statement}
            if place:
                fields["place"] = Ref(place.ident)
            out.append(Draft("events", "death", person.ident, fields,
                             _evidence(ctx, s, min(person.start, a), b, people), rule=f"death-{how}",
                             confidence=0.9 if how != "pronoun" else 0.75))
    return out
