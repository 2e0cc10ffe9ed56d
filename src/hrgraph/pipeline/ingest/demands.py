"""Demands only where the page's author demands: a sentence whose demanding verb has a mechanism, a state body
or a person as its subject reports someone else's demand and is skipped, unless the page is that mechanism's
own document (its name alone as the heading: "The Assembly calls on ... to: 7.1. release ...").
Whom a demand is for: the persons its words govern, a pronoun, "the following political prisoners:" above a
list, "the political prisoners" the item recognised, those "named in paragraph 6" of a numbered document, or no
one ("all political prisoners", "all persons detained": a general demand).
"""

from __future__ import annotations

import re

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.claims_base import Draft, ItemContext, Ref, lines_below
from hrgraph.pipeline.ingest.document import Span
from hrgraph.pipeline.ingest.recognise import Mention
from hrgraph.pipeline.ingest.recognitions import FOLLOWING, PP, _recognition

S = r"[\s\u00a0]"

DEMAND_CUE = re.compile(rf"(?i)\b(?:demand\w*|call\w*{S}+(?:for|on|upon)|urge\w*|appeal\w*|immediately|should|"
                        rf"must|insist\w*|free|recommend\w*)\b")
# The document's own mechanism speaking ("The Rapporteur recommends", "The Assembly calls on"): the author.
OWN_MECHANISM = re.compile(rf"(?i)^\W*(?:\d+(?:\.\d+)*\.?{S}+)?the{S}+(?:special{S}+)?(?:rapporteur|working{S}+group|"
                           rf"committee|mission|experts?|assembly|commission)\b")
DEMAND_TYPES = [
    ("release", rf"\brelease[sd]?\b(?!{S}+of{S}+another)"),
    ("retrial", rf"\bretrials?\b|\bnew{S}+trials?\b"),
    ("rehabilitation", r"\brehabilitat\w*"),
    ("compensation", r"\bcompensat\w*"),
    ("case-review", rf"\breview{S}+of{S}+(?:their|the|his|her){S}+(?:criminal{S}+)?cases?"),
    ("reversal-of-sentence", rf"\b(?:revers|cancel|quash|overturn)\w*{S}+(?:\w+{S}+){{0,2}}sentences?"),
    ("investigation", r"\binvestigat\w*|\binquiry\b"),
    ("decriminalisation", r"\bdecriminali[sz]\w*"),
    ("cessation-of-persecution", rf"\b(?:cessation|stop\w*|end\w*){S}+(?:of{S}+|to{S}+)?(?:the{S}+|all{S}+)?"
                                 rf"(?:acts{S}+of{S}+)?(?:political{S}+)?(?:persecution|harassment|reprisals)|"
                                 rf"\b(?:stop|cease|end)\w*{S}+(?:to{S}+)?(?:persecuting|harassing)\b"),
    ("end-of-repression", rf"\b(?:stop|end)\w*{S}+(?:to{S}+)?(?:political{S}+)?repressions?"),
    ("establish-mechanism", rf"\bestablish\w*{S}+(?:an?{S}+)?(?:independent{S}+)?(?:\w+{S}+)?mechanism"),
]
DEMAND_RES = [(t, re.compile(p, re.IGNORECASE)) for t, p in DEMAND_TYPES]
LISTED_REF = re.compile(r"(?i)\b(?:listed|mentioned above|these persons|the persons listed)\b")
OTHER_ACTOR = re.compile(r"(?i)\b(?:authorities|director|commissioner|spokes\w+|representative|government|court|"
                         r"prosecutor|rapporteur|working group|committee|council|expert|experts|UN|OSCE|president|"
                         r"minister|ministry|lukashenk\w*)\b")
ALL_PP = re.compile(rf"(?i)\ball{S}+(?:the{S}+)?(?:other{S}+)?(?:political{S}+prisoners|persons|people|individuals|"
                    rf"those)\b")


QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»")
SPEECH = re.compile(r"(?i)\b(?:said|says|stated|states|noted|added|told|declared|stressed|emphasi[sz]ed)\b")


def _others_demand(ctx: ItemContext, s: Span, cue: int) -> bool:
    """The demanding verb's subject is not the page's author: a mechanism, a state body, a person."""
    head = QUOTED.sub(" ", ctx.doc.text[g.clause_bounds(s, cue, cue, ctx.doc.text)[0]:cue])
    if re.search(r"(?i)\b(?:we|our|human rights (?:defenders|organi[sz]ations|community)|HRDs)\b", head):
        return False
    if OWN_MECHANISM.match(head):  # the author when the document is the mechanism's own, else someone reported
        return ctx.letterhead() is None
    if SPEECH.search(head):
        return True  # '"...," the Director said, calling on ...': a demand the page reports
    if re.match(r"(?i)\W*please\b", head):
        return False  # an appeal to the reader ("Please write ..., urging him to release X") is the author's
    if re.match(r"(?i)\W*(?:they|he|she|it)\b", head):
        return True  # a pronoun subject is someone the page reports on; the author says "we"
    return bool(OTHER_ACTOR.search(head) or ctx.of_kind("mechanisms", s.start, cue) or ctx.persons_in(s.start, cue))


def demand_sentences(ctx: ItemContext, spans: list[Span]) -> list[tuple[Span, list[Mention]]]:
    """Sentences that demand: a cue word, or a bullet under a paragraph that ends "we demand that ...:"; each
    with the persons of the list lines below it (for "release the following political prisoners:")."""
    out, inherited = [], False
    for i, span in enumerate(spans):
        bullet = bool(re.match(r"[•*\-–]|\d{1,2}(?:\.\d{1,2})*[.)]\s", span.text))  # a bullet, "3.", "7.1."
        for s in g.sentences(span):
            quoted = [(q.start(), q.end()) for q in QUOTED.finditer(s.text)]
            cue = next((c for c in DEMAND_CUE.finditer(s.text) if not any(a <= c.start() < b for a, b in quoted)),
                       None)  # a demand inside a quotation is the speaker's
            if (cue and not _others_demand(ctx, s, s.start + cue.start())) or (bullet and inherited):
                below = [p for r in lines_below(ctx, spans[i + 1:]) for p in r.persons] \
                    if s.text.rstrip().endswith(":") else []
                out.append((s, below))
        intro = bool(DEMAND_CUE.search(span.text) and span.text.rstrip().endswith(":"))
        if intro or not bullet:  # "7. The Assembly calls on the authorities to:" above "7.1. release ..."
            inherited = intro
    return out


def demands(ctx: ItemContext, spans: list[Span], foci: dict[int, g.Focus], recognised: tuple[Mention, ...]) -> \
        tuple[list[Draft], list[Draft]]:
    """Demands, and the recognitions a demand to release or retry "political prisoner X" (or "the following
    political prisoners:" above a list) makes. "The political prisoners" are those the item recognised."""
    found: dict[str, Draft] = {}
    recs: list[Draft] = []
    text = ctx.doc.text
    for s, below in demand_sentences(ctx, spans):
        mechs = ctx.of_kind("mechanisms", s.start, s.end)
        local = g.runs(text, ctx.mentions, s.start, s.end)
        for dtype, pattern in DEMAND_RES:
            for m in pattern.finditer(text, s.start, s.end):
                if dtype == "investigation" and any(x.start <= m.start() < x.end for x in mechs):
                    continue
                q = g.clause_bounds(s, m.start(), m.end(), text)
                people = _demanded_for(ctx, m, q, local, foci.get(s.start, g.Focus()))
                if not people and below and FOLLOWING.search(text, m.end(), q[1]):
                    people = tuple(below)  # "release the following political prisoners:" and the list
                elif not people and recognised and THE_PP.match(text, _skip_words(text, m.end(), q[1])):
                    people = recognised  # "the release of the political prisoners": those the item recognised
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
                    recs += _appeal_recognitions(ctx, s, q, local, below)
                break
    return list(found.values()), recs


WINDOW_END = re.compile(rf",{S}+(?:and{S}+)?(?:given|while|because|since|which|who|as{S}+it)\b|;|:|"
                        rf"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)\.(?:{S}|$)|\b(?:as{S}+well{S}+as)\b|"
                        rf",?{S}+and{S}+(?:to{S}+)?(?:demand|call|urge|insist|appeal)\w*")  # a second demand
THE_PP = re.compile(rf"\b(?:the|these|those){S}+(?:above-mentioned{S}+|said{S}+)?political{S}+prisoners\b")


def _demanded_for(ctx: ItemContext, m: re.Match[str], q: tuple[int, int], local: list[g.Run], focus: g.Focus) -> \
        tuple[Mention, ...]:
    """Whom a demand is for: the persons its words govern ("release of X", "retrials in cases of X and Y",
    "X ... must be investigated"), a pronoun right there ("their release", "release her", "his death"), or
    the page's list ("the listed former political prisoners"); a general demand ("all political prisoners")
    is for no one in particular."""
    text = ctx.doc.text
    if ref := NAMED_IN_PARAGRAPH.search(text, m.end(), q[1]):  # "including those named in paragraph 6"
        return _paragraph_persons(ctx, ref.group("n"))
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
    if LISTED_REF.search(text, *q):  # "these persons": the page's list of names, else the list lines above
        return tuple(ctx.listed()) or focus.group
    if pro := g.PRONOUN.search(text, *window):
        return g.antecedent(pro.group("p"), focus, [r for r in local if r.end <= pro.start()])
    return ()


NAMED_IN_PARAGRAPH = re.compile(rf"\b(?:those|the{S}+persons|the{S}+people|the{S}+individuals){S}+(?:named|listed|"
                                rf"mentioned){S}+in{S}+paragraph{S}+(?P<n>\d+(?:\.\d+)*)\b")


def _paragraph_persons(ctx: ItemContext, number: str) -> tuple[Mention, ...]:
    """The persons named in full in the item's paragraph numbered `number` ("6. The Assembly considers ...")."""
    for span in ctx.item.paragraphs:
        if re.match(rf"{re.escape(number)}\.?{S}", span.text):
            named = {p.ident: p for p in ctx.persons_in(span.start, span.end) if not p.attrs.get("alone")}
            return tuple(named.values())
    return ()


def _appeal_recognitions(ctx: ItemContext, s: Span, q: tuple[int, int], local: list[g.Run],
                         below: list[Mention]) -> list[Draft]:
    out = []
    for pp in PP.finditer(ctx.doc.text, *q):
        run = g.obj(ctx.doc.text, local, pp.end(), q[1])
        people = run.persons if run else tuple(below) if FOLLOWING.search(ctx.doc.text, pp.start() - 20,
                                                                          pp.start()) else ()
        for p in people:
            out.append(_recognition(ctx, s, p, pp.start(), run.end if run else pp.end(), bool(pp.group("former")),
                                    "appeal", 0.75))
    return out


def _skip_words(text: str, at: int, end: int) -> int:
    """The offset after "of" and adverbs that follow a demand word ("release of", "immediately release")."""
    m = re.compile(rf"(?:{S}+(?:of|immediately|unconditionally|and|the{S}+immediate))*{S}*").match(text, at, end)
    return m.end() if m else at
