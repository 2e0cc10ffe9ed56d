"""Recognitions: "X is a political prisoner" only where the page (or the human rights community it speaks
for) recognises, with the status the text gives and the criterion it cites.

Recognised: "we recognise / consider / declare X (as) political prisoner(s)" (honorifics too: "considers Mr X
... to be"), "we recognise the following persons as ...:" above a list (each line's own criterion), "five of them
are political prisoners: X, Y, ...", "X has been / was recognised as
...", "ORG recognised X as a political prisoner in November 2023" (a recognition the page reports), "X and Y
themselves as political prisoners", "the listed former political prisoners", "Among those recognised in March
are X; Y", "the persons listed above are recognised as ..." (a list or table above), a demand to release or retry
"political prisoner X" (demands.py), a profile's or a table's status field. None: a memorial, a news mention
("political prisoner X was transferred"), a recollection ("recalls that X was already recognised in 2011", "had
been recognised"), a denial ("had not been recognised"), or the view of a mechanism, a state body or a person
("UN experts consider ..."). Status: former (the text says so, or the item reports the release), deceased
("posthumously", or the item reports the death), else current. The criterion only where cited (paragraph 3.1 (a)).
"""

from __future__ import annotations

import re

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.claims_base import Draft, ItemContext, Ref
from hrgraph.pipeline.ingest.document import Span
from hrgraph.pipeline.ingest.recognise import Mention

S = r"[\s\u00a0]"

RECOG_VERB = re.compile(r"\b(?:recogni[sz](?:e|es|ed|ing)|consider(?:s|ed|ing)?|declare[sd]?|deem(?:s|ed)?|"
                        r"regard(?:s|ed)?)\b")
PP = re.compile(rf"\b(?P<former>former{S}+)?political{S}+prisoners?\b")
GROUP_NOUN = rf"(?:{S}+(?:defendants|men|women|activists|journalists|students|brothers|sisters))?"
RECOG_BETWEEN = re.compile(rf"^{S}*(?:(?:them|him|her|these{S}+persons|both(?:{S}+of{S}+them)?|all{S}+(?:four|three|"
                           rf"two|five|six|of{S}+them)){GROUP_NOUN}{S}+)?(?:{g.HONORIFIC})?(?:themselves{S}+)?"
                           rf"(?:to{S}+be{S}+)?(?:as{S}+)?(?:an?{S}+)?$")
# "... are political prisoners: X, Y and Z" (the list after the colon is the subject's content)
COPULA_LIST = re.compile(rf"\b(?:is|are)(?:{S}+(?:also|all|now))?{S}+(?P<former>former{S}+)?political{S}+"
                         rf"prisoners?{S}*:{S}*")
FOLLOWING = re.compile(rf"\bthe{S}+following\b")
PASSIVE_FOLLOWING = re.compile(rf"(?i)\bthe{S}+following{S}+(?:[\w-]+{S}+){{0,3}}?(?:were|are|have{S}+been|has{S}+been)"
                               rf"(?:{S}+(?:also|today|newly))?{S}+$")
CRITERION_CITED = re.compile(rf"\b3\.1{S}*\(?(?P<letter>[a-c])\)")
THEMSELVES = re.compile(rf"{S}+themselves{S}+as{S}+(?P<former>former{S}+)?political{S}+prisoners?\b")
PP_LISTED = re.compile(rf"\bthe{S}+listed{S}+(?P<former>former{S}+)?political{S}+prisoners\b")
RECALLED = re.compile(r"(?i)\b(?:recall\w*|remind\w*|remember\w*)\b")
EARLIER = re.compile(rf"\b(?:already|once|previously|earlier|formerly|first|had{S}+been|had)(?:{S}+been)?{S}+$")
DENIED = re.compile(rf"\b(?:not|never|no{S}+longer|refused{S}+to|declined{S}+to)(?:{S}+\w+){{0,2}}{S}+$")
LISTED_ABOVE = re.compile(r"(?i)\b(?:listed|named|mentioned) (?:above|below)\b|\bthe above-\w+|\bthe persons listed\b")
AMONG_RECOGNISED = re.compile(rf"\bAmong{S}+(?:those|the{S}+(?:people|persons))?{S}*(?:newly{S}+)?recogni[sz]ed\b"
                              rf"[^.;:]*?{S}+(?:are|were){S}+|\bAmong{S}+the{S}+new(?:ly{S}+recogni[sz]ed)?{S}+"
                              rf"political{S}+prisoners{S}+(?:are|were){S}+|\bAmong{S}+the{S}+new{S}+names{S}+(?:is|are|"
                              rf"was|were){S}+")
COPULA_PP = re.compile(rf"(?<={S})(?:also{S}+|both{S}+|all{S}+)?(?:an?{S}+)?(?P<former>former{S}+)?political{S}+"
                       rf"prisoners?(?={S}*[.;]|{S}*$)")
CRITERION = re.compile(rf"paragraph{S}+3\.1{S}*\(?(?P<letter>[a-c])\)")


def _criterion(ctx: ItemContext) -> str:
    spans = ([ctx.item.headline] if ctx.item.headline else []) + list(ctx.item.paragraphs)
    for span in spans:
        if m := CRITERION.search(span.text):
            return f"3.1-{m.group('letter')}"
    return "not-stated"


def recognitions(ctx: ItemContext, s: Span, local: list[g.Run], focus: g.Focus) -> list[Draft]:
    text, found = ctx.doc.text, []
    for m in RECOG_VERB.finditer(text, s.start, s.end):
        left, right = g.clause_bounds(s, m.start(), m.end(), text)
        head = text[left:m.start()]
        if DENIED.search(head) or RECALLED.search(head) or EARLIER.search(head) or \
                _others_view(ctx, local, left, m.start()):
            continue  # a denial, a recollection ("recalls that X was already recognised"), someone else's view
        pp = PP.search(text, m.end(), right)
        if pp is None:
            continue
        between_runs = [r for r in local if m.end() <= r.start and r.end <= pp.start()]
        rest = text[m.end():pp.start()]
        for r in between_runs:
            rest = rest.replace(text[r.start:r.end], "", 1)
        if not RECOG_BETWEEN.match(rest):
            continue
        people: tuple[Mention, ...] = tuple(p for r in between_runs for p in r.persons)
        if not people and (pro := g.PRONOUN.search(text, m.end(), pp.start())):
            people = g.antecedent(pro.group("p"), focus, [r for r in local if r.end <= m.start()])
        if not people and re.search(rf"(?:is|are|was|were|has{S}+been|have{S}+been){S}+$", head):
            people = _subject_of(text, local, focus, m.start(), left)
        if not people and m.group().endswith("ed"):
            people = g.topic(text, local, focus, m.start(), s.start)  # "• 10 March 2023 — recognised as ..."
        found.append((people, m.start(), pp.end(), bool(pp.group("former")), "recognise"))
    for m in COPULA_PP.finditer(text, s.start, s.end):  # "All three are political prisoners."
        left = g.clause_bounds(s, m.start(), m.end(), text)[0]
        if not re.search(rf"{S}(?:is|are)(?:{S}+(?:now|still))?{S}*$", text[left:m.start()]) or \
                DENIED.search(text, left, m.start()):
            continue
        found.append((_subject_of(text, local, focus, m.start(), left), m.start(), m.end(),
                      bool(m.group("former")), "copula"))
    if (m := AMONG_RECOGNISED.search(text, s.start, s.end)) and (PP.search(m.group()) or (
            not re.search(r"\bas\b", m.group()) and PP.search(text))):  # "recognised as extremist": none
        for part in re.split(r";", text[m.end():s.end]):
            at = text.index(part, m.end())
            run = g.obj(text, local, at + len(part) - len(part.lstrip(" \u00a0and")), at + len(part))
            found += [(run.persons, m.start(), run.end, False, "among")] if run else []
    for m in COPULA_LIST.finditer(text, s.start, s.end):
        left = g.clause_bounds(s, m.start(), m.end(), text)[0]
        if not DENIED.search(text, left, m.start()) and (run := g.obj(text, local, m.end(), s.end)):
            found.append((run.persons, m.start(), run.end, bool(m.group("former")), "copula-list"))
    for m in THEMSELVES.finditer(text, s.start, s.end):
        run = next((r for r in reversed(local) if r.end == m.start()), None)
        if run is not None and RECOG_VERB.search(text, s.start, run.start):
            found.append((run.persons, run.start, m.end(), bool(m.group("former")), "recognise"))
    for m in PP_LISTED.finditer(text, s.start, s.end):
        found.append((tuple(ctx.listed()), m.start(), m.end(), bool(m.group("former")), "listed"))
    return [_recognition(ctx, s, p, a, b, former, rule) for people, a, b, former, rule in found for p in people]


def recognised_below(ctx: ItemContext, s: Span, below: list[g.Run]) -> list[Draft]:
    """"We recognise the following persons as political prisoners ...:" / "The following persons were recognised
    as political prisoners:" and a list of names below: each is recognised, with the criterion its own line cites
    (else the one the item cites)."""
    text = ctx.doc.text
    verb = RECOG_VERB.search(text, s.start, s.end)
    if verb is None or not below or not s.text.rstrip().endswith(":") or \
            not (pp := PP.search(text, verb.end(), s.end)):
        return []
    head = text[g.clause_bounds(s, verb.start(), verb.end(), text)[0]:verb.start()]
    if not (FOLLOWING.search(text, verb.end(), pp.start()) or PASSIVE_FOLLOWING.search(head)):
        return []  # "The following persons, whom Viasna recognised as ..., have died:" recognises no one
    if DENIED.search(head) or RECALLED.search(head) or EARLIER.search(head) or \
            _others_view(ctx, g.runs(text, ctx.mentions, s.start, s.end), s.start, verb.start()):
        return []
    out = []
    for run in below:
        line_end = text.find("\n", run.end)
        line = (run.start, len(text) if line_end < 0 else line_end)
        cited = CRITERION_CITED.search(text, *line)
        for p in run.persons:
            d = _recognition(ctx, s, p, verb.start(), pp.end(), bool(pp.group("former")), "list-below")
            d.spans = [g.whole_words(text, s.start, s.end), g.whole_words(text, *line)]
            if cited:
                d.fields["criterion"] = f"3.1-{cited.group('letter')}"
            out.append(d)
    return out


def _subject_of(text: str, local: list[g.Run], focus: g.Focus, at: int, left: int) -> tuple[Mention, ...]:
    """Who "is / was / has been" what follows: the run before, a pronoun ("All three are"), or the list or
    table above ("The persons listed above are")."""
    if run := g.subject(text, local, at, left) or g.shared_subject(text, local, at, left):
        return run.persons
    head = text[left:at]
    if LISTED_ABOVE.search(head):
        return focus.group
    if (pro := list(g.PRONOUN.finditer(head))) and \
            re.fullmatch(rf"(?:{S}+[a-z]+)?{S}*(?:{g.AUX}{S}*)*", head[pro[-1].end():]):
        return g.antecedent(pro[-1].group("p"), focus, [r for r in local if r.end <= at])
    return ()


STATE_CLASSES = ("StateBody", "Court", "PenalInstitution", "InternationalOrganisation")
OTHER_SUBJECT = re.compile(rf"(?i)\b(?:experts?|authorities|government|court|judge|prosecutor|rapporteur|committee|"
                           rf"council|president|minister|ministry|KGB|police|officials?)(?:{S}+{g.AUX})*{S}*$")


def _others_view(ctx: ItemContext, local: list[g.Run], left: int, at: int) -> bool:
    """An active recognising verb whose subject is a mechanism, a state body or a person: their view, not the
    page's ("UN experts consider ...", "the court considered him ...")."""
    text = ctx.doc.text
    if g.passive(text, local, at, left):
        return False
    actors = ctx.of_kind("mechanisms", left, at) + ctx.persons_in(left, at) + \
        [o for o in ctx.of_kind("organisations", left, at) if o.attrs.get("class") in STATE_CLASSES]
    return any(g.SUBJECT_GAP.match(text[a.end:at]) for a in actors) or bool(OTHER_SUBJECT.search(text, left, at))


def _recognisers(ctx: ItemContext, s: Span, at: int) -> list[Ref]:
    """The organisations the clause names as recognising ("The Belarusian human rights community recognised",
    "... by Viasna and the Belarusian Helsinki Committee"), or the signatories of a statement that says "we
    recognise"; none named: the page's author (its publisher) recognises."""
    left, right = g.clause_bounds(s, at, at, ctx.doc.text)
    named = [o for o in ctx.of_kind("organisations", left, right) if o.attrs.get("class") not in STATE_CLASSES]
    if not named and re.search(r"(?i)\bwe\b", ctx.doc.text[left:at]):
        named = [o for o in ctx.mentions if o.kind == "organisations" and
                 any(x.start <= o.start < x.end for x in ctx.doc.signatories)]
    return list(dict.fromkeys(Ref(o.ident) for o in named))


def _recognition(ctx: ItemContext, s: Span, person: Mention, a: int, b: int, former: bool, rule: str,
                 confidence: float = 0.9) -> Draft:
    text = ctx.doc.text
    status = "former" if former else "deceased" if re.search(r"posthumous", s.text) else "current"
    fields = {"type": "recognition", "statement": ctx.statement, "person": Ref(person.ident),
              "recognised_by": _recognisers(ctx, s, a) or ([ctx.author] if ctx.author else []),
              "criterion": _criterion(ctx), "former": status == "former", "status": status}
    if ctx.date:
        fields["date"] = ctx.date
    short = s.end - s.start <= 320
    span = g.whole_words(text, s.start, s.end) if short else g.whole_words(text, min(a, person.start), b)
    spans = [span] + ([(person.start, person.end)] if not (span[0] <= person.start < span[1]) else [])
    return Draft("claims", "rec", person.ident, fields, spans, rule=f"recognition-{rule}", confidence=confidence)
