"""Claims of one listing item or statement page, each with the rule that made it, a confidence and evidence
spans of whole words that name the person (or a second span that does).

Recognitions: recognitions.py; demands: demands.py; charges: facts.py; detentions and deaths: events.py;
profiles and case summaries: profiles.py; tables: tables.py. Here:
- Submissions only where an organisation (or "we") sends, submits, addresses or speaks to a mechanism, or a
  document "has been sent to" one, or a mechanism "received submissions from" it ("the Rapporteur": the
  mechanism whose document it is), or the heading addresses it ("Joint letter to the UN Human Rights
  Council"); a mechanism acting (calling, sending, finding) submits nothing.
- Pronouns: a paragraph that speaks of "the table" or "the list below" refers to its rows; a sentence about
  people it does not name ("More than 1,100 political prisoners remain ...") ends what "all of them" can mean.
"""

from __future__ import annotations

import re
from typing import Any

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.claims_base import Draft, ItemContext, Ref, lines_below
from hrgraph.pipeline.ingest.demands import demands
from hrgraph.pipeline.ingest.document import Span
from hrgraph.pipeline.ingest.events import deaths, detained_below, detentions, releases
from hrgraph.pipeline.ingest.facts import charges, fill_verdicts, listed_below, verdicts
from hrgraph.pipeline.ingest.profiles import profile
from hrgraph.pipeline.ingest.recognise import Mention
from hrgraph.pipeline.ingest.recognitions import recognised_below, recognitions
from hrgraph.pipeline.ingest.tables import table_claims, table_persons, tables

__all__ = ["Draft", "ItemContext", "Ref", "extract"]
S = r"[\s\u00a0]"

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


# "the Rapporteur received written submissions from X and from Y": X and Y submitted to the mechanism.
RECEIVED_FROM = re.compile(rf"\breceived{S}+(?:[\w-]+{S}+){{0,2}}(?:submissions?|communications?|information|"
                           rf"reports?|complaints?|appeals?|letters?|petitions?)\b(?:{S}+[\w-]+){{0,3}}?{S}+from{S}+")
GENERIC_MECHANISM = re.compile(rf"\b[Tt]he{S}+(?:Special{S}+)?(?:Rapporteur|Working{S}+Group|Committee|Mission|"
                               rf"Experts?|Assembly|Commission|Mechanism)\b")


def received(ctx: ItemContext, s: Span) -> list[Draft]:
    """A mechanism that received submissions from organisations: each organisation submitted to it. The
    mechanism is named in the clause, or is the document's own ("the Rapporteur" of a Moscow Mechanism
    report: the letterhead)."""
    text = ctx.doc.text
    if (m := RECEIVED_FROM.search(text, s.start, s.end)) is None:
        return []
    left, right = g.clause_bounds(s, m.start(), m.end(), text)
    mechs = ctx.of_kind("mechanisms", left, m.start())
    to = mechs[-1] if mechs else ctx.letterhead() if GENERIC_MECHANISM.search(text, left, m.start()) else None
    orgs = [o for o in ctx.of_kind("organisations", m.end(), right) if o.attrs.get("class") not in STATE]
    if to is None or not orgs:
        return []
    fields: dict[str, Any] = {"type": "submission", "statement": ctx.statement, "addressed_to": [Ref(to.ident)],
                              "submitted_by": [Ref(o.ident) for o in orgs]}
    span = [g.whole_words(text, left, max(o.end for o in orgs))]
    return [Draft("claims", "sub", to.ident, fields, span, rule="submission-received", confidence=0.8)]


def submissions(ctx: ItemContext, s: Span, state: dict[str, Any]) -> list[Draft]:
    text = ctx.doc.text
    if found := received(ctx, s):
        return found
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


ADDRESSED = re.compile(rf"(?i)\W*(?:(?:joint|open|urgent){S}+)*(?:letter|appeal|submission|communication|"
                       rf"statement){S}+(?:[\w-]+{S}+){{0,3}}?to{S}+(?:the{S}+)?")


def addressed(ctx: ItemContext) -> list[Draft]:
    """A document whose heading addresses a mechanism ("Joint letter to the UN Human Rights Council ahead of its
    61st session", "Submission to the Universal Periodic Review"): a submission by its signatories (else its
    author) to that mechanism."""
    h = ctx.item.headline
    to = next((m for m in ctx.of_kind("mechanisms", h.start, h.end)
               if ADDRESSED.fullmatch(ctx.doc.text, h.start, m.start)), None) if h else None
    by = [Ref(o.ident) for o in ctx.mentions if o.kind == "organisations" and
          any(x.start <= o.start < x.end for x in ctx.doc.signatories)] or ([ctx.author] if ctx.author else [])
    if to is None or not by:
        return []
    fields: dict[str, Any] = {"type": "submission", "statement": ctx.statement, "addressed_to": [Ref(to.ident)],
                              "submitted_by": list(dict.fromkeys(by))}
    return [Draft("claims", "sub", to.ident, fields, [(h.start, h.end)], rule="submission-addressed",
                  confidence=0.8)]


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
    found = tables(spans)
    ends = {t.last.start: table_persons(ctx, t) for t in found}
    for i, span in enumerate(spans):
        if THE_TABLE.search(span.text) and (ahead := _listed_ahead(ctx, spans[i + 1:], found)):
            focus.group = ahead  # "The table lists ... All of them ...": the rows below
        for s in g.sentences(span):
            local = g.runs(text, ctx.mentions, s.start, s.end)
            foci[s.start] = g.Focus(focus.single, focus.group)
            verdicts(ctx, s, focus, local)
            drafts += recognitions(ctx, s, local, focus) + charges(ctx, s, focus, local)
            drafts += detentions(ctx, s, focus, local, previous) + deaths(ctx, s, focus, local)
            drafts += releases(ctx, s, focus, local)
            below = lines_below(ctx, spans[i + 1:])
            drafts += submissions(ctx, s, state) + listed_below(ctx, s, below) + detained_below(ctx, s, below)
            drafts += recognised_below(ctx, s, below)
            _refocus(focus, local, s, text)
            previous = s
        lines = lines_below(ctx, spans[i:i + 1])
        listed = listed + list(lines[0].persons) if lines else []
        focus.intro = span if span.text.rstrip().endswith(":") else focus.intro if lines else None
        if len(listed) > 1:  # list lines, one person each: a group ("all three")
            focus.group = tuple(dict.fromkeys(listed))
        if len(ends.get(span.start, ())) > 1:  # a table's rows: the same
            focus.group = ends[span.start]
    fill_verdicts(drafts, focus)
    first: dict[str, Mention] = {}
    for m in ctx.mentions:
        if m.kind == "persons" and not m.attrs.get("alone"):
            first.setdefault(m.ident, m)
    recognised = tuple(first[i] for i in dict.fromkeys(d.what for d in drafts if d.prefix == "rec") if i in first)
    dems, recs = demands(ctx, spans, foci, recognised)
    drafts += recs + dems + signatures(ctx) + addressed(ctx) + profile(ctx)
    drafts += [d for t in found for d in table_claims(ctx, t)]
    return _deceased(drafts)


THE_TABLE = re.compile(r"\b(?:[Tt]he|[Tt]his)\s+(?:table|list)\b(?!\s+of\b)|\b(?:listed|named)\s+below\b")


def _listed_ahead(ctx: ItemContext, rest: list[Span], found: list[Any]) -> tuple[Mention, ...]:
    """The persons of the table or list that follows (a paragraph that speaks of "the table" refers to it)."""
    after = [t for t in found if rest and t.last.start >= rest[0].start]
    if after:
        return table_persons(ctx, after[0])
    start = next((j for j, sp in enumerate(rest) if lines_below(ctx, [sp])), None)
    people = [p for r in lines_below(ctx, rest[start:]) for p in r.persons] if start is not None else []
    return tuple(dict.fromkeys(people)) if len(people) > 1 else ()


# A sentence about people it does not name ("More than 1,100 political prisoners remain behind bars"): a plural
# pronoun after it ("the release of all of them") refers to them, not to a group named before.
UNNAMED_PEOPLE = re.compile(r"(?i)\b(?:\d[\d,.]*|more than|over|many|hundreds of|thousands of|dozens of)\s+"
                            r"(?:other\s+)?(?:political prisoners|people|persons|prisoners|detainees|convicts|"
                            r"individuals)\b")


def _refocus(focus: g.Focus, local: list[g.Run], s: Span, text: str) -> None:
    if not local and UNNAMED_PEOPLE.search(s.text) and not g.PRONOUN.search(s.text):
        focus.group = ()
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
    """A recognition of a person whose death the same item reports is a recognition of a deceased person, and of
    one whose release it reports, of a former political prisoner; a death the item places in custody anywhere
    (the title may say "death", the body "died in penal colony No. 3") is a death in custody."""
    dead = {d.what for d in drafts if d.prefix == "death"}
    custody = {d.what for d in drafts if d.prefix == "death" and d.fields["kind"] == "death-in-custody"}
    freed = {d.what for d in drafts if d.prefix == "released"}
    for d in drafts:
        if d.prefix == "rec" and d.fields["status"] == "current" and d.what in dead | freed:
            d.fields["status"] = "deceased" if d.what in dead else "former"
            d.fields["former"] = d.what not in dead
        if d.prefix == "death" and d.what in custody:
            d.fields.update({"kind": "death-in-custody", "class": "DeathInCustody"})
    return [d for d in drafts if d.prefix != "released"]
