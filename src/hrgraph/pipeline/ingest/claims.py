"""Claims in one listing item or statement page: recognitions, demands, charges, submissions, signatures and
deaths in custody, each with its exact evidence span. References are `Ref`s (mention idents) until identity.py
gives them keys."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hrgraph.pipeline.ingest.readers import Document, Item, Span
from hrgraph.pipeline.ingest.recognise import WS, Mention

MAX_QUOTE = 160


@dataclass(frozen=True)
class Ref:
    ident: str  # "persons:siarhei|yfmv", "statement:<n>" ...


@dataclass
class Draft:
    """A record before identity: kind, key prefix and suffix, fields (Refs inside), evidence spans."""

    kind: str  # claims, events, statements
    prefix: str  # rec, dem, sig, sub, chg, death ...
    what: str | Ref
    fields: dict[str, Any]
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class ItemContext:
    doc: Document
    number: int  # 1-based position on the page
    item: Item
    mentions: list[Mention]
    statement: Ref
    author: Ref | None
    date: str | None

    def persons_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "persons" and start <= m.start and m.end <= end]

    def of_kind(self, kind: str, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind and start <= m.start and m.end <= end]

    def listed(self) -> list[Mention]:
        """Persons of the page's list of names."""
        return [m for m in self.mentions if m.kind == "persons" and any(s.start <= m.start < s.end
                                                                        for s in self.doc.names)]


def sentences(span: Span) -> list[Span]:
    """Sentences with offsets; an initial, "No." or "Art." does not end one."""
    out, start = [], 0
    for m in re.finditer(r"[.!?]+[\s\u00a0]+(?=[A-Z“\"•])|;[\s\u00a0]*$", span.text):
        before = span.text[max(0, m.start() - 4):m.start()]
        if re.search(r"(?:\b[A-Z]|\bNo|\bArt|\bSt|\bMr|\bMs|\bDr)$", before):
            continue
        out.append(Span(span.text[start:m.end()].rstrip(), span.start + start, span.start + m.end()))
        start = m.end()
    if start < len(span.text):
        out.append(Span(span.text[start:], span.start + start, span.end))
    return [s for s in out if s.text.strip()]


def person_run(ctx: ItemContext, at: int, limit: int) -> list[Mention]:
    """The persons named in a list starting at offset `at`: "X, Y and Z", "X and Y"."""
    people = sorted((m for m in ctx.mentions if m.kind == "persons" and at <= m.start < limit and
                     not m.attrs.get("alone")), key=lambda m: m.start)
    text = ctx.doc.text
    run: list[Mention] = []
    pos = at
    for p in people:
        gap = text[pos:p.start]
        if (not run and gap.strip(" \u00a0")) or (run and not re.fullmatch(r"[\s\u00a0]*(?:,|and|, and)[\s\u00a0]*",
                                                                          gap)):
            break
        run.append(p)
        pos = p.end
    return run


def _criterion(ctx: ItemContext) -> str:
    for m in ctx.mentions:
        if m.kind == "provisions" and str(m.attrs.get("number", "")).startswith("3.1-") and \
                "Guidelines" in str(m.attrs.get("instrument")) and "paragraph" in m.text:
            return str(m.attrs["number"])
    return "not-stated"


# --- recognitions ------------------------------------------------------------------------------------------

PP_BEFORE = re.compile(r"(?P<former>former" + WS + r")?political" + WS + r"prisoners?" + WS)
PP_AFTER = re.compile(r"(?:themselves" + WS + r")?as" + WS + r"(?P<former>former" + WS + r")?political" + WS +
                      r"prisoners?\b")
PP_VERB = re.compile(r"(?:recogni[sz]\w*|consider\w*|declare\w*)" + WS + r"(?:them|him|her|these persons)" + WS +
                     r"as" + WS + r"(?P<former>former" + WS + r")?political" + WS + r"prisoners?\b")
PP_LISTED = re.compile(r"(?:With" + WS + r"regard" + WS + r"to" + WS + r")?the" + WS + r"listed" + WS +
                       r"(?P<former>former" + WS + r")?political" + WS + r"prisoners\b")


def recognitions(ctx: ItemContext, sentence: Span) -> list[tuple[Mention, tuple[int, int], bool]]:
    """(person, evidence span, former) for every way a page says someone is a political prisoner."""
    text, base, out = sentence.text, sentence.start, []
    for m in PP_BEFORE.finditer(text):
        run = person_run(ctx, base + m.end(), sentence.end)
        if run:
            out += [(p, (base + m.start(), run[-1].end), bool(m.group("former"))) for p in run]
    for m in PP_AFTER.finditer(text):
        before = [p for p in ctx.persons_in(sentence.start, base + m.start()) if not p.attrs.get("alone")]
        gap = ctx.doc.text[before[-1].end:base + m.start()] if before else "x"
        if before and re.fullmatch(r"[\s\u00a0]*", gap):
            run = _run_ending_at(ctx, before)
            out += [(p, (run[0].start, base + m.end()), bool(m.group("former"))) for p in run]
    for m in PP_VERB.finditer(text):
        people = [p for p in ctx.persons_in(sentence.start, sentence.end) if not p.attrs.get("alone")]
        out += [(p, (base + m.start(), base + m.end()), bool(m.group("former"))) for p in people]
    for m in PP_LISTED.finditer(text):
        out += [(p, (base + m.start(), base + m.end()), bool(m.group("former"))) for p in ctx.listed()]
    return out


def _run_ending_at(ctx: ItemContext, before: list[Mention]) -> list[Mention]:
    run = [before[-1]]
    for p in reversed(before[:-1]):
        if re.fullmatch(r"[\s\u00a0]*(?:,|and|, and)[\s\u00a0]*", ctx.doc.text[p.end:run[0].start]):
            run.insert(0, p)
        else:
            break
    return run


# --- demands -----------------------------------------------------------------------------------------------

DEMAND_CUE = re.compile(r"(?i)\b(?:demand\w*|call\w*" + WS + r"(?:for|on|upon)|urge\w*|appeal\w*|immediately|"
                        r"should|must|insist\w*|free)\b")
DEMAND_TYPES = [
    ("release", r"\brelease\b(?!" + WS + r"of" + WS + r"another)"),
    ("retrial", r"\bretrials?\b|\bnew" + WS + r"trials?\b"),
    ("rehabilitation", r"\brehabilitat\w*"),
    ("compensation", r"\bcompensat\w*"),
    ("case-review", r"\breview" + WS + r"of" + WS + r"(?:their|the|his|her)" + WS + r"(?:criminal" + WS + r")?cases?"),
    ("reversal-of-sentence", r"\b(?:revers|cancel|quash|overturn)\w*" + WS + r"(?:\w+" + WS + r"){0,2}sentences?"),
    ("investigation", r"\binvestigat\w*|\binquiry\b"),
    ("decriminalisation", r"\bdecriminali[sz]\w*"),
    ("cessation-of-persecution", r"\b(?:cessation|stop\w*|end\w*)" + WS + r"(?:of" + WS + r")?(?:the" + WS +
     r")?(?:political" + WS + r")?persecution"),
    ("end-of-repression", r"\b(?:stop|end)\w*" + WS + r"(?:to" + WS + r")?(?:political" + WS + r")?repressions?"),
    ("establish-mechanism", r"\bestablish\w*" + WS + r"(?:an?" + WS + r")?(?:independent" + WS + r")?(?:\w+" + WS +
     r")?mechanism"),
]
DEMAND_RES = [(t, re.compile(p, re.IGNORECASE)) for t, p in DEMAND_TYPES]
LISTED_REF = re.compile(r"(?i)\b(?:their|them|listed|mentioned above|these persons)\b")


def demand_sentences(ctx: ItemContext, spans: list[Span]) -> list[Span]:
    """Sentences that demand: a cue word, or a bullet under a paragraph that ends "we demand that ...:"."""
    out, inherited = [], False
    for span in spans:
        bullet = span.text.startswith("•")
        for s in sentences(span):
            if DEMAND_CUE.search(s.text) or (bullet and inherited):
                out.append(s)
        if not bullet:
            inherited = bool(DEMAND_CUE.search(span.text) and span.text.rstrip().endswith(":"))
    return out


def clause(sentence: Span, start: int, end: int) -> tuple[int, int]:
    """The clause of the sentence around [start, end): cut at ';', ':' or ', and', at most MAX_QUOTE chars."""
    text, base = sentence.text, sentence.start
    left = max((m.end() for m in re.finditer(r"[;:]|,\s+(?:and|as well as|while)\s+|•\s*", text[:start - base])),
               default=0)
    right_m = re.search(r"[;:]|,\s+(?:and\s+)?(?:ensure|stop|as well as|while|given)\b|[.!?](?:\s|$)",
                        text[end - base:])
    right = end - base + (right_m.start() if right_m else len(text) - (end - base))
    if right_m and text[end - base + right_m.start()] in "!":
        right += 1
    if right - left > MAX_QUOTE:
        left, right = max(left, start - base - 40), min(right, end - base + 80)
    return base + left, base + right


def demands(ctx: ItemContext, spans: list[Span]) -> list[Draft]:
    found: dict[str, Draft] = {}
    for s in demand_sentences(ctx, spans):
        mechs = ctx.of_kind("mechanisms", s.start, s.end)
        for dtype, pattern in DEMAND_RES:
            for m in pattern.finditer(s.text):
                start, end = s.start + m.start(), s.start + m.end()
                if dtype == "investigation" and any(x.start <= start < x.end for x in mechs):
                    continue
                q = clause(s, start, end)
                people = ctx.persons_in(*q) or (ctx.listed() if LISTED_REF.search(ctx.doc.text[q[0]:q[1]]) else [])
                d = found.setdefault(dtype, Draft("claims", "dem", dtype, {
                    "type": "demand", "demand_type": dtype, "statement": ctx.statement, "persons": [],
                    "demanded_by": [ctx.author] if ctx.author else []}))
                refs = [Ref(p.ident) for p in people]
                d.fields["persons"] += [r for r in refs if r not in d.fields["persons"]]
                if q not in d.spans and len(d.spans) < 3:
                    d.spans.append(q)
                break
    return list(found.values())


# --- charges, submissions, deaths, signatures --------------------------------------------------------------

CHARGE_CUE = re.compile(r"(?i)\b(?:convicted|charged|sentenced|prosecuted|accused|offen[cs]e|tried|found guilty)"
                        r"(?:" + WS + r"\w+){0,3}" + WS + r"under\b")
SENTENCE_TERM = re.compile(r"\b(?:to|of)" + WS + r"(?P<term>\d+" + WS + r"(?:days?|months?|years?)(?:" + WS +
                           r"(?:of" + WS + r")?[a-z]+(?:" + WS + r"(?:detention|imprisonment|colony|arrest))?)?)")
SUBMIT_CUE = re.compile(r"(?i)\b(?:drew" + WS + r"(?:the" + WS + r")?attention|sent" + WS + r"to|submitted|"
                        r"spoke" + WS + r"at|received" + WS + r"information|appeal\w*" + WS + r"to|"
                        r"communication" + WS + r"to|informed|briefed|addressed)\b")
DEATH_CUE = re.compile(r"(?i)\b(?:died|death|passed" + WS + r"away)\b")


def charges(ctx: ItemContext, sentence: Span, last_person: Mention | None) -> list[Draft]:
    out = []
    for m in CHARGE_CUE.finditer(sentence.text):
        provs = [p for p in ctx.of_kind("provisions", sentence.start + m.end(), sentence.end) if "number" in p.attrs]
        people = [p for p in ctx.persons_in(sentence.start, sentence.end)] or ([last_person] if last_person else [])
        if not provs or not people:
            continue
        item_text = " ".join(p.text for p in ctx.item.paragraphs)
        term = SENTENCE_TERM.search(item_text)
        courts = [o for o in ctx.mentions if o.kind == "organisations" and o.attrs.get("class") == "Court"]
        fields: dict[str, Any] = {"type": "charge", "statement": ctx.statement, "person": Ref(people[0].ident),
                                  "provision": Ref(provs[0].ident)}
        if courts:
            fields["court"] = Ref(courts[0].ident)
        if term:
            fields["sentence"] = re.sub(WS, " ", term.group("term"))
        out.append(Draft("claims", "chg", Ref(people[0].ident), fields, [(sentence.start, provs[0].end)]))
    return out


def submissions(ctx: ItemContext, sentence: Span) -> list[Draft]:
    cue = SUBMIT_CUE.search(sentence.text)
    mechs = ctx.of_kind("mechanisms", sentence.start, sentence.end)
    if not mechs or not (cue or sentence.start == (ctx.item.headline.start if ctx.item.headline else -1)):
        return []
    if not cue and not re.search(r"(?i)received|report|information|submission", sentence.text):
        return []
    orgs = [o for o in ctx.of_kind("organisations", sentence.start, sentence.end)
            if o.attrs.get("class") not in ("StateBody", "Court", "PenalInstitution", "InternationalOrganisation")]
    by = [Ref(orgs[0].ident)] if orgs else ([ctx.author] if ctx.author else [])
    top = [m for m in mechs if not any(o is not m and o.start <= m.start and m.end <= o.end for o in mechs)]
    start = min([sentence.start + (cue.start() if cue else 0)] + [o.start for o in orgs[:1]] + [top[0].start])
    end = max(m.end for m in top)
    fields = {"type": "submission", "statement": ctx.statement, "addressed_to": [Ref(m.ident) for m in top],
              "submitted_by": by}
    if ctx.date:
        fields["date"] = ctx.date
    return [Draft("claims", "sub", Ref(top[0].ident), fields, [(start, end)])]


def deaths(ctx: ItemContext, sentence: Span) -> list[Draft]:
    cue = DEATH_CUE.search(sentence.text)
    people = [p for p in ctx.persons_in(sentence.start, sentence.end) if not p.attrs.get("alone")]
    if not cue or not people:
        return []
    custody = [p for p in ctx.of_kind("places", sentence.start, sentence.end) if p.attrs.get("place_kind") in
               ("penal-colony", "prison", "detention-centre")]
    in_custody = bool(custody) or bool(re.search(r"(?i)in" + WS + r"(?:custody|prison|detention|jail)",
                                                 sentence.text))
    person = people[0]
    start = min(person.start, sentence.start + cue.start())
    pp = re.search(r"political" + WS + r"prisoner" + WS + r"$", ctx.doc.text[max(0, person.start - 30):person.start])
    if pp:
        start = person.start - (len(ctx.doc.text[max(0, person.start - 30):person.start]) - pp.start())
    end = max(custody[0].end if custody else 0, sentence.start + cue.end())
    fields: dict[str, Any] = {"class": "DeathInCustody" if in_custody else "Event",
                              "kind": "death-in-custody" if in_custody else "other",
                              "persons": [Ref(person.ident)], "statement": ctx.statement}
    if custody:
        fields["place"] = Ref(custody[0].ident)
    return [Draft("events", "death", Ref(person.ident), fields, [(start, end)])]


def signatures(ctx: ItemContext) -> list[Draft]:
    out = []
    for line in ctx.doc.signatories:
        orgs = sorted(ctx.of_kind("organisations", line.start, line.end), key=lambda o: o.start - o.end)
        if not orgs:
            continue
        out.append(Draft("claims", "sig", Ref(orgs[0].ident), {
            "type": "signature", "statement": ctx.statement, "signatories": [Ref(orgs[0].ident)]},
            [(line.start, min(line.end + 1, len(ctx.doc.text)))]))
    return out


def extract(ctx: ItemContext) -> list[Draft]:
    """Every claim and event of one item."""
    spans = [s for s in ((ctx.item.headline,) if ctx.item.headline else ()) + ctx.item.subtitles + ctx.item.paragraphs]
    drafts: list[Draft] = []
    recs: dict[str, Draft] = {}
    last_person: Mention | None = None
    criterion = _criterion(ctx)
    for span in spans:
        for s in sentences(span):
            for person, q, former in recognitions(ctx, s):
                d = recs.setdefault(person.ident, Draft("claims", "rec", Ref(person.ident), {
                    "type": "recognition", "statement": ctx.statement, "person": Ref(person.ident),
                    "recognised_by": [ctx.author] if ctx.author else [], "criterion": criterion, "former": former}))
                if q not in d.spans and len(d.spans) < 3:
                    d.spans.append(q)
            drafts += charges(ctx, s, last_person) + submissions(ctx, s) + deaths(ctx, s)
            people = ctx.persons_in(s.start, s.end)
            last_person = people[-1] if people else last_person
    for d in recs.values():
        if ctx.date:
            d.fields["date"] = ctx.date
    return list(recs.values()) + demands(ctx, spans) + drafts + signatures(ctx)
