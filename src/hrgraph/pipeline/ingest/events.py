"""Detentions and deaths in one sentence, attached to the subject or object of their clause (grammar.py).

Detentions: "X was detained / arrested / taken into custody" (subject, pronoun, apposition), "the police detained
X" (object), a custody that says one ("X has been held in pre-trial detention since May", "X has been in custody
since July"), a second predicate that shares the subject ("she was summoned for questioning and subsequently
detained"), "... detained together with X", "Among those detained are X", and "The following persons were
arrested:" above a list of names. "The detention of X" is a noun, not a clause: none. Deaths: "X died / passed
away / was found dead" and "the death of X"; a verb of death of someone else in the sentence ("X, whose father
died") is none.
"""

from __future__ import annotations

import re
from typing import Any

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.claims_base import Draft, ItemContext, Ref
from hrgraph.pipeline.ingest.document import Span
from hrgraph.pipeline.ingest.facts import INTRO, _evidence, _who
from hrgraph.pipeline.ingest.recognise import Mention

S = r"[\s\u00a0]"
DEATH_VERB = re.compile(rf"\b(?P<v>died|passed{S}+away|was{S}+found{S}+dead|perished|was{S}+killed)\b")
DEATH_NOUN = re.compile(rf"\b(?:the{S}+)?death{S}+of{S}+")
CUSTODY = re.compile(r"(?i)\b(?:in custody|in (?:a |the )?prison|prison hospital|behind bars|penal colony|colony|"
                     r"pre-trial detention|detention centre|detention center|remand|jail)\b")
HELD_IN = rf"in{S}+(?:custody|(?i:pre-trial{S}+detention(?:{S}+cent(?:re|er))?)|detention|remand)"
DETAIN_VERB = re.compile(rf"\b(?P<v>detained|arrested|taken{S}+into{S}+custody|apprehended|placed{S}+in{S}+(?:the{S}+)?"
                         rf"pre-trial{S}+detention|(?:taken|brought|returned)(?:{S}+back)?{S}+to{S}+(?:the{S}+|a{S}+)?"
                         rf"(?:pre-trial{S}+detention{S}+cent(?:re|er)|remand{S}+prison|detention{S}+cent(?:re|er))|(?:held|kept|remains?|remained)(?:{S}+\w+)?{S}+{HELD_IN}|"
                         rf"(?<=been{S})in{S}+custody)\b")
ADJECTIVE = re.compile(r"(?i)\b(?:the|a|an|his|her|their|its|of|for|with|to|other|two|three|four|five|many)\s+$")
NEGATED = re.compile(rf"\b(?:not|never|nobody|no{S}+one|no{S}+longer)\b")
AMONG = re.compile(rf"(?:Among{S}+(?:them|those{S}+detained|the{S}+detained){S}+(?:are|were|is|was)|"
                   rf"They{S}+include){S}+")
COORDINATED = re.compile(rf"\band(?:{S}+{g.AUX})*{S}*$")
FIRST_AUX = re.compile(rf"\b(?:was|were|is|are|has{S}+been|have{S}+been|had{S}+been)\b")
TOGETHER = re.compile(rf"\b(?:together|along){S}+with{S}+")


def _coordinated(ctx: ItemContext, s: Span, m: re.Match[str], focus: g.Focus, local: list[g.Run]) -> \
        tuple[tuple[Mention, ...], str]:
    """"X was searched and (subsequently) detained": the subject of the first predicate."""
    text = ctx.doc.text
    left = g.clause_bounds(s, m.start(), m.end(), text)[0]
    if not COORDINATED.search(text, left, m.start()):
        return (), ""
    aux = next(FIRST_AUX.finditer(text, left, m.start()), None)
    if aux is None:
        return (), ""
    return _who(ctx, s, aux.start(), aux.start(), focus, local, "is")  # the subject of "was", whatever it does


def detentions(ctx: ItemContext, s: Span, focus: g.Focus, local: list[g.Run], previous: Span | None) -> list[Draft]:
    text = ctx.doc.text
    found: list[tuple[tuple[Mention, ...], str, int, int]] = []
    for m in DETAIN_VERB.finditer(text, s.start, s.end):
        head = text[g.clause_bounds(s, m.start(), m.end(), text)[0]:m.start()]
        if NEGATED.search(head[-25:]) or ADJECTIVE.search(head):
            continue  # "the detention", "the mother of detained student X": an adjective or a noun, no clause
        people, how = _who(ctx, s, m.start(), m.end(), focus, local, m.group("v"))
        if not people:
            people, how = _coordinated(ctx, s, m, focus, local)
        if not people and not re.search(rf"{S}(?:was|were|is|are|been|be){S}*$", head) and \
                (run := g.obj(text, local, m.end(), s.end)):
            people, how = run.persons, "object"
        if people:
            found.append((people, how, m.start(), m.end()))
            right = g.clause_bounds(s, m.start(), m.end(), text)[1]
            if (t := TOGETHER.search(text, m.end(), right)) and (run := g.obj(text, local, t.end(), right)):
                found.append((run.persons, "together", m.start(), run.end))
    if (m := AMONG.match(text, s.start)) and previous is not None and DETAIN_VERB.search(previous.text) and \
            (run := g.obj(text, local, m.end(), s.end)):
        found.append((run.persons, "among", s.start, m.end()))
    return [d for people, how, a, b in found for d in _detention_drafts(ctx, _evidence(
        ctx, s, min([p.start for p in people] + [a]), b, people), people, how)]


def _detention_drafts(ctx: ItemContext, spans: list[tuple[int, int]], people: tuple[Mention, ...], how: str) -> \
        list[Draft]:
    return [Draft("events", "detention", person.ident, {
        "class": "Detention", "kind": "detention", "persons": [Ref(person.ident)], "statement": ctx.statement},
        spans, rule=f"detention-{how}", confidence=0.85 if how in ("subject", "object") else 0.7) for person in people]


def detained_below(ctx: ItemContext, s: Span, following: list[g.Run]) -> list[Draft]:
    """"The following persons were arrested and are held in ...:" and a list of names below: each was detained."""
    if not INTRO.search(s.text) or not following or not (m := DETAIN_VERB.search(ctx.doc.text, s.start, s.end)) or \
            NEGATED.search(ctx.doc.text, s.start, m.start()):
        return []
    text = ctx.doc.text
    out = []
    for run in following:
        line_end = text.find("\n", run.end)
        line_end = len(text) if line_end < 0 else line_end
        spans = [g.whole_words(text, s.start, s.end), g.whole_words(text, run.start, line_end)]
        out += _detention_drafts(ctx, spans, run.persons, "list-below")
    return out


RELEASE_VERB = re.compile(rf"\b(?P<v>released|freed|pardoned)\b(?!{S}+(?:after{S}+questioning|on{S}+bail|under{S}+))")


def releases(ctx: ItemContext, s: Span, focus: g.Focus, local: list[g.Run]) -> list[Draft]:
    """Who the sentence says was released or pardoned: no claim of its own, a mark (prefix "released") that
    turns the item's recognition of that person into one of a former political prisoner (claims.py)."""
    text, out = ctx.doc.text, []
    for m in RELEASE_VERB.finditer(text, s.start, s.end):
        head = text[g.clause_bounds(s, m.start(), m.end(), text)[0]:m.start()]
        if NEGATED.search(head[-25:]) or not g.passive(text, local, m.start(), s.start):
            continue
        people, _ = _who(ctx, s, m.start(), m.end(), focus, local, "is")
        out += [Draft("events", "released", p.ident, {}, [], rule="release") for p in people]
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
