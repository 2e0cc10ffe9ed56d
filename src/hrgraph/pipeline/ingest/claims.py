"""Claims of one listing item or statement page, each with the rule that made it, a confidence and evidence
spans of whole words that name the person (or a second span that does).

- Recognition only where the page itself recognises: "we recognise / consider / declare X (as) political
  prisoner(s)", "X has been recognised as ...", "X and Y themselves as political prisoners", "the listed former
  political prisoners", a demand to release or retry "political prisoner X", and a profile's status field. A
  memorial, a news mention ("political prisoner X was transferred") or a recollection ("was recognised in 2021")
  is none. Status: former (the text says so), deceased ("posthumously", or the page reports the death), else
  current. The criterion only where cited (paragraph 3.1 (a)).
- Demands only where the page's author demands: a sentence whose demanding verb has a mechanism, a state
  body or a person as its subject reports someone else's demand and is skipped.
- Submissions only where an organisation (or "we") sends, submits, addresses or speaks to a mechanism, or a
  document "has been sent to" one; a mechanism acting (calling, sending, finding) submits nothing.
"""

from __future__ import annotations

import re
from typing import Any

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.claims_base import Draft, ItemContext, Ref
from hrgraph.pipeline.ingest.facts import charges, deaths, detentions, listed_below
from hrgraph.pipeline.ingest.profiles import profile
from hrgraph.pipeline.ingest.readers import Span
from hrgraph.pipeline.ingest.recognise import Mention

__all__ = ["Draft", "ItemContext", "Ref", "extract"]
S = r"[\s\u00a0]"

# --- recognitions ------------------------------------------------------------------------------------------

RECOG_VERB = re.compile(r"\b(?:recogni[sz](?:e|es|ed|ing)|consider(?:s|ed|ing)?|declare[sd]?|deem(?:s|ed)?|"
                        r"regard(?:s|ed)?)\b")
PP = re.compile(rf"\b(?P<former>former{S}+)?political{S}+prisoners?\b")
RECOG_BETWEEN = re.compile(rf"^{S}*(?:(?:them|him|her|these{S}+persons|both(?:{S}+of{S}+them)?|all{S}+(?:four|three|"
                           rf"two|five|six|of{S}+them))"
                           rf"{S}+)?(?:themselves{S}+)?(?:to{S}+be{S}+)?(?:as{S}+)?(?:an?{S}+)?$")
THEMSELVES = re.compile(rf"{S}+themselves{S}+as{S}+(?P<former>former{S}+)?political{S}+prisoners?\b")
PP_LISTED = re.compile(rf"\bthe{S}+listed{S}+(?P<former>former{S}+)?political{S}+prisoners\b")
PAST_DATE = re.compile(rf"\b(?:in{S}+(?:19|20)\d\d|[Oo]n{S}+\d{{1,2}}{S}+[A-Z][a-z]+|[Oo]n{S}+[A-Z][a-z]+{S}+\d{{1,2}}|"
                       rf"last{S}+(?:year|month|week)|(?:19|20)\d\d)\b")
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
        if re.search(rf"\b(?:was|were|had{S}+been)(?:{S}+\w+ly)?{S}+$|\bnot{S}+$|\bno{S}+longer{S}+$", head):
            continue  # a recollection ("was recognised in 2021") or a denial
        if m.group().endswith("ed") and not re.search(r"(?i)\b(?:we|our|have|has)\b", head) and \
                PAST_DATE.search(text, left, right):
            continue  # "On 20 April Viasna recognised X", "... in 2023": the page reports a past recognition
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
        if not people and re.search(rf"(?:is|are|has{S}+been|have{S}+been){S}+$", head):
            run = g.subject(text, local, m.start(), left)
            people = run.persons if run else ()
        found.append((people, m.start(), pp.end(), bool(pp.group("former")), "recognise"))
    for m in THEMSELVES.finditer(text, s.start, s.end):
        run = next((r for r in reversed(local) if r.end == m.start()), None)
        if run is not None and RECOG_VERB.search(text, s.start, run.start):
            found.append((run.persons, run.start, m.end(), bool(m.group("former")), "recognise"))
    for m in PP_LISTED.finditer(text, s.start, s.end):
        found.append((tuple(ctx.listed()), m.start(), m.end(), bool(m.group("former")), "listed"))
    return [_recognition(ctx, s, p, a, b, former, rule) for people, a, b, former, rule in found for p in people]


def _recognition(ctx: ItemContext, s: Span, person: Mention, a: int, b: int, former: bool, rule: str,
                 confidence: float = 0.9) -> Draft:
    text = ctx.doc.text
    status = "former" if former else "deceased" if re.search(r"posthumous", s.text) else "current"
    fields = {"type": "recognition", "statement": ctx.statement, "person": Ref(person.ident),
              "recognised_by": [ctx.author] if ctx.author else [], "criterion": _criterion(ctx),
              "former": status == "former", "status": status}
    if ctx.date:
        fields["date"] = ctx.date
    short = s.end - s.start <= 320
    span = g.whole_words(text, s.start, s.end) if short else g.whole_words(text, min(a, person.start), b)
    spans = [span] + ([(person.start, person.end)] if not (span[0] <= person.start < span[1]) else [])
    return Draft("claims", "rec", person.ident, fields, spans, rule=f"recognition-{rule}", confidence=confidence)


# --- demands -----------------------------------------------------------------------------------------------

DEMAND_CUE = re.compile(rf"(?i)\b(?:demand\w*|call\w*{S}+(?:for|on|upon)|urge\w*|appeal\w*|immediately|should|"
                        rf"must|insist\w*|free)\b")
DEMAND_TYPES = [
    ("release", rf"\brelease[sd]?\b(?!{S}+of{S}+another)"),
    ("retrial", rf"\bretrials?\b|\bnew{S}+trials?\b"),
    ("rehabilitation", r"\brehabilitat\w*"),
    ("compensation", r"\bcompensat\w*"),
    ("case-review", rf"\breview{S}+of{S}+(?:their|the|his|her){S}+(?:criminal{S}+)?cases?"),
    ("reversal-of-sentence", rf"\b(?:revers|cancel|quash|overturn)\w*{S}+(?:\w+{S}+){{0,2}}sentences?"),
    ("investigation", r"\binvestigat\w*|\binquiry\b"),
    ("decriminalisation", r"\bdecriminali[sz]\w*"),
    ("cessation-of-persecution", rf"\b(?:cessation|stop\w*|end\w*){S}+(?:of{S}+)?(?:the{S}+)?(?:political{S}+)?"
                                 r"persecution"),
    ("end-of-repression", rf"\b(?:stop|end)\w*{S}+(?:to{S}+)?(?:political{S}+)?repressions?"),
    ("establish-mechanism", rf"\bestablish\w*{S}+(?:an?{S}+)?(?:independent{S}+)?(?:\w+{S}+)?mechanism"),
]
DEMAND_RES = [(t, re.compile(p, re.IGNORECASE)) for t, p in DEMAND_TYPES]
LISTED_REF = re.compile(r"(?i)\b(?:listed|mentioned above|these persons|the persons listed)\b")
OTHER_ACTOR = re.compile(r"(?i)\b(?:authorities|government|court|prosecutor|rapporteur|working group|committee|"
                         r"council|expert|experts|UN|OSCE|president|minister|ministry|lukashenk\w*)\b")
ALL_PP = re.compile(rf"(?i)\ball{S}+(?:the{S}+)?(?:other{S}+)?political{S}+prisoners\b")


def _others_demand(ctx: ItemContext, s: Span, cue: int) -> bool:
    """The demanding verb's subject is not the page's author: a mechanism, a state body, a person."""
    head = ctx.doc.text[g.clause_bounds(s, cue, cue, ctx.doc.text)[0]:cue]
    if re.search(r"(?i)\b(?:we|our|human rights (?:defenders|organi[sz]ations|community)|HRDs)\b", head):
        return False
    if re.match(r"(?i)\W*please\b", head):
        return False  # an appeal to the reader ("Please write ..., urging him to release X") is the author's
    if re.match(r"(?i)\W*(?:they|he|she|it)\b", head):
        return True  # a pronoun subject is someone the page reports on; the author says "we"
    return bool(OTHER_ACTOR.search(head) or ctx.of_kind("mechanisms", s.start, cue) or ctx.persons_in(s.start, cue))


def demand_sentences(ctx: ItemContext, spans: list[Span]) -> list[Span]:
    """Sentences that demand: a cue word, or a bullet under a paragraph that ends "we demand that ...:"."""
    out, inherited = [], False
    for span in spans:
        bullet = span.text.startswith("•")
        for s in g.sentences(span):
            cue = DEMAND_CUE.search(s.text)
            if (cue and not _others_demand(ctx, s, s.start + cue.start())) or (bullet and inherited):
                out.append(s)
        if not bullet:
            inherited = bool(DEMAND_CUE.search(span.text) and span.text.rstrip().endswith(":"))
    return out


def demands(ctx: ItemContext, spans: list[Span], foci: dict[int, g.Focus]) -> tuple[list[Draft], list[Draft]]:
    """Demands, and the recognitions a demand to release or retry "political prisoner X" makes."""
    found: dict[str, Draft] = {}
    recs: list[Draft] = []
    text = ctx.doc.text
    for s in demand_sentences(ctx, spans):
        mechs = ctx.of_kind("mechanisms", s.start, s.end)
        local = g.runs(text, ctx.mentions, s.start, s.end)
        for dtype, pattern in DEMAND_RES:
            for m in pattern.finditer(text, s.start, s.end):
                if dtype == "investigation" and any(x.start <= m.start() < x.end for x in mechs):
                    continue
                q = g.clause_bounds(s, m.start(), m.end(), text)
                people = _demanded_for(ctx, m, q, local, foci.get(s.start, g.Focus()))
                d = found.setdefault(dtype, Draft("claims", "dem", dtype, {
                    "type": "demand", "demand_type": dtype, "statement": ctx.statement, "persons": [],
                    "demanded_by": [ctx.author] if ctx.author else []}, rule="demand", confidence=0.85))
                d.fields["persons"] += [Ref(p.ident) for p in people if Ref(p.ident) not in d.fields["persons"]]
                span = g.whole_words(text, *q)
                if span not in d.spans and len(d.spans) < 3:
                    d.spans.append(span)
                named = {t for a, b in d.spans for t in range(a, b)}  # every person named by some quote
                d.spans += [(p.start, p.end) for p in people if p.start not in named]
                if dtype in ("release", "retrial"):
                    recs += _appeal_recognitions(ctx, s, q, local)
                break
    return list(found.values()), recs


WINDOW_END = re.compile(rf",{S}+(?:and{S}+)?(?:given|while|because|since|which|who|as{S}+it)\b|;|:|\.(?:{S}|$)|"
                        rf"\b(?:as{S}+well{S}+as)\b")


def _demanded_for(ctx: ItemContext, m: re.Match[str], q: tuple[int, int], local: list[g.Run], focus: g.Focus) -> \
        tuple[Mention, ...]:
    """Whom a demand is for: the persons its words govern ("release of X", "retrials in cases of X and Y",
    "X ... must be investigated"), a pronoun right there ("their release", "release her", "his death"), or
    the page's list ("the listed former political prisoners"); a general demand ("all political prisoners")
    is for no one in particular."""
    text = ctx.doc.text
    stop = WINDOW_END.search(text, m.end(), q[1])
    lead = re.search(rf"(?:\S+{S}+){{0,3}}$", text[q[0]:m.start()])
    window = (q[0] + (lead.start() if lead else m.start() - q[0]), stop.start() if stop else q[1])
    if ALL_PP.search(text, m.end(), min(window[1] + 20, q[1])) and not any(
            window[0] <= r.start < window[1] for r in local):
        return ()
    people = tuple(p for r in local if m.end() <= r.start < window[1] for p in r.persons)
    people += tuple(p for p in ctx.persons_in(m.end(), window[1]) if p.attrs.get("alone") and p not in people)
    if not people and re.search(rf"\bbe{S}+$", text[q[0]:m.start()]):
        run = next((r for r in reversed(local) if q[0] <= r.start and r.end <= m.start()), None)
        people = run.persons if run else ()
    if people:
        return people
    if LISTED_REF.search(text, *q):
        return tuple(ctx.listed())
    if pro := g.PRONOUN.search(text, *window):
        return g.antecedent(pro.group("p"), focus, [r for r in local if r.end <= pro.start()])
    return ()


def _appeal_recognitions(ctx: ItemContext, s: Span, q: tuple[int, int], local: list[g.Run]) -> list[Draft]:
    out = []
    for pp in PP.finditer(ctx.doc.text, *q):
        run = g.obj(ctx.doc.text, local, pp.end(), q[1])
        for p in run.persons if run else ():
            out.append(_recognition(ctx, s, p, pp.start(), run.end, bool(pp.group("former")), "appeal", 0.75))
    return out


# --- submissions -------------------------------------------------------------------------------------------

SUBMIT_VERB = re.compile(rf"\b(?:submitted|sent|filed|lodged|addressed|delivered|presented|spoke|informed|briefed|"
                         rf"appealed|wrote|drew{S}+(?:the{S}+)?attention|provided|transmitted|shared|communicated|"
                         rf"submits|sends|files|speaks|informs|appeals)\b")
PASSIVE_SENT = re.compile(rf"\b(?:report|communication|appeal|complaint|submission|letter|information|"
                          rf"statement)\b[^.;]*?\b(?:has|have|was|were){S}+been{S}+(?:sent|submitted|transmitted|"
                          rf"addressed){S}+to\b|\b(?:has|have){S}+received{S}+(?:information|a{S}+report|"
                          rf"a{S}+communication|a{S}+submission|an{S}+appeal)\b")
ANAPHOR = re.compile(r"(?i)^\W*(?:the|this|our)\s+(?:association|organi[sz]ation|group|network|committee|"
                     r"cent(?:er|re)|initiative|coalition)\b|^\W*(?:we|it|our\s+\w+)\b")
STATE = ("StateBody", "Court", "PenalInstitution", "InternationalOrganisation")


def submissions(ctx: ItemContext, s: Span, state: dict[str, Any]) -> list[Draft]:
    text = ctx.doc.text
    mechs = ctx.of_kind("mechanisms", s.start, s.end)
    top = [m for m in mechs if not any(o is not m and o.start <= m.start and m.end <= o.end for o in mechs)]
    if not top:
        return []
    by: list[Ref] | None = None
    targets: list[Mention] = []
    start = s.start
    if (v := SUBMIT_VERB.search(text, s.start, s.end)) is not None:
        left = g.clause_bounds(s, v.start(), v.end(), text)[0]
        head = text[left:v.start()]
        orgs = [o for o in ctx.of_kind("organisations", left, v.start()) if o.attrs.get("class") not in STATE]
        if not any(m.start < v.start() for m in top) and not ctx.persons_in(left, v.start()):
            if orgs:  # "X, together with Y and Z, has submitted": every organisation of the subject
                by = [Ref(o.ident) for o in orgs]
            elif ANAPHOR.search(head) or re.search(r"(?i)\b(?:we|our)\b", head):
                by = state.get("org") or ([ctx.author] if ctx.author else None)
            targets = [m for m in top if m.start > v.start() and _addressed(text, v, m)]
            start = orgs[-1].start if orgs else left
    elif PASSIVE_SENT.search(text, s.start, s.end) is not None and ctx.author:
        by, start = [ctx.author], s.start
        targets = top
    if by is None or not targets:
        return []
    state["org"] = by
    span = g.whole_words(text, start, max(m.end for m in targets))
    fields: dict[str, Any] = {"type": "submission", "statement": ctx.statement,
                              "addressed_to": [Ref(m.ident) for m in targets], "submitted_by": by}
    if ctx.date:
        fields["date"] = ctx.date
    return [Draft("claims", "sub", "|".join(m.ident for m in targets), fields, [span], rule="submission",
                  confidence=0.85)]


def _addressed(text: str, verb: re.Match[str], mech: Mention) -> bool:
    """The mechanism is whom the verb addresses ("sent ... to X", "spoke at X", "the attention of X",
    "informed X"), not a mechanism named further on, nor one that is only proposed."""
    gap = text[verb.end():mech.start]
    if len(gap) > 120 or "(proposed)" in mech.label:
        return False
    return bool(re.search(rf"\b(?:to|at|with|of|before|in){S}+(?:the{S}+)?$", gap) or
                (re.match(r"(?:informed|briefed|addressed|informs)", verb.group()) and
                 re.fullmatch(rf"{S}+(?:the{S}+)?", gap)))


def signatures(ctx: ItemContext) -> list[Draft]:
    out = []
    for line in ctx.doc.signatories:
        orgs = sorted(ctx.of_kind("organisations", line.start, line.end), key=lambda o: o.start - o.end)
        if not orgs:
            continue
        out.append(Draft("claims", "sig", orgs[0].ident, {
            "type": "signature", "statement": ctx.statement, "signatories": [Ref(orgs[0].ident)]},
            [(line.start, line.end)], rule="signature", confidence=0.95))
    return out


# --- one item ----------------------------------------------------------------------------------------------

def extract(ctx: ItemContext) -> list[Draft]:
    """Every claim and event of one item, in the order of the text."""
    spans = [s for s in ((ctx.item.headline,) if ctx.item.headline else ()) + ctx.item.subtitles + ctx.item.paragraphs]
    text, drafts = ctx.doc.text, []
    focus, foci, state = g.Focus(), {}, {}
    previous: Span | None = None
    listed: list[Mention] = []
    for i, span in enumerate(spans):
        for s in g.sentences(span):
            local = g.runs(text, ctx.mentions, s.start, s.end)
            foci[s.start] = g.Focus(focus.single, focus.group)
            drafts += recognitions(ctx, s, local, focus) + charges(ctx, s, focus, local)
            drafts += detentions(ctx, s, focus, local, previous) + deaths(ctx, s, focus, local)
            drafts += submissions(ctx, s, state) + listed_below(ctx, s, _lines_below(ctx, spans[i + 1:]))
            _refocus(focus, local, s, text)
            previous = s
        lines = _lines_below(ctx, spans[i:i + 1])
        listed = listed + list(lines[0].persons) if lines else []
        if len(listed) > 1:  # list lines, one person each: a group ("all three")
            focus.group = tuple(dict.fromkeys(listed))
    dems, recs = demands(ctx, spans, foci)
    drafts += recs + dems + signatures(ctx) + profile(ctx)
    return _deceased(drafts)


def _lines_below(ctx: ItemContext, spans: list[Span]) -> list[g.Run]:
    """The persons that start each of the lines of a list (until a line that starts with no person)."""
    out = []
    for span in spans:
        local = g.runs(ctx.doc.text, ctx.mentions, span.start, span.end)
        if not local or not re.fullmatch(r"[\s\u00a0•\-–]*", ctx.doc.text[span.start:local[0].start]):
            break
        out.append(local[0])
    return out


def _refocus(focus: g.Focus, local: list[g.Run], s: Span, text: str) -> None:
    singles = {p.ident: p for r in local for p in r.persons}
    if local and re.fullmatch(r"[\s\u00a0•]*(?:[A-Za-z-]+[\s\u00a0]+){0,3}", text[s.start:local[0].start]):
        focus.update(local[0])
    elif len(singles) == 1:
        focus.single = next(iter(singles.values()))
    for r in local:
        if len(r.persons) > 1:
            focus.group = r.persons
    if len(singles) > 1 and all(len(r.persons) == 1 for r in local):
        focus.group = tuple(singles.values())


def _deceased(drafts: list[Draft]) -> list[Draft]:
    """A recognition of a person whose death the same item reports is a recognition of a deceased person."""
    dead = {d.what for d in drafts if d.prefix == "death"}
    for d in drafts:
        if d.prefix == "rec" and d.what in dead and d.fields["status"] == "current":
            d.fields["status"] = "deceased"
    return drafts
