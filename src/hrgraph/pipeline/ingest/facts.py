"""Charges (person, article) in one sentence, each attached to the subject or object of its clause (grammar.py),
never to the nearest name.

Charges: "X was convicted under Articles A, B" (subject), "the court sentenced X ... under A" and "Judge Y
sentenced X" (object: an active verb's subject is the court or the judge, never the accused), "He was charged
under A" (pronoun), "X, charged under A," / "X, a journalist serving a sentence under A" (apposition), "case
against X under A", "his conviction under A" (a possessive), "... under the same article" (the articles cited
last; "the same articles": every list of the sentence that cited last), "X was detained in May and sentenced
under A" / "X was released, having been sentenced under A" (a second predicate shares the subject), "Judge Y of
the Z Court convicted him" (the pronoun is never the verb's own subject), "found all six guilty under A: ... X
to six years, Y to five" (a counted group named after the colon, each with the term after it), "X got N years
under A", and the verbless list item "X, under Article A, ..." / "X (Art. A), ...". A list of persons and a list of
articles give every pair; a verb with another person between it and the articles gives none. The stage
(suspected, charged, convicted) comes from the verb; the court from the same clause ("the same court": the one
named before); the sentence from the same clause (terms.py), else from the sentence that sentenced that person
earlier in the item ("The court sentenced X to four years. He was found guilty under A and B").
"""

from __future__ import annotations

import re
from typing import Any

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.claims_base import Draft, ItemContext, Ref
from hrgraph.pipeline.ingest.document import Span
from hrgraph.pipeline.ingest.recognise import Mention
from hrgraph.pipeline.ingest.terms import respective_terms, term, term_before

S = r"[\s\u00a0]"
CHARGE_VERB = re.compile(
    rf"\b(?P<v>convicted|sentenced|sentences|convicts|charged|accused|prosecuted|tried|found(?=(?:[^.;]|(?<=Mr|Ms|Dr)\.|(?<=Mrs)\.)*\bguilty\b)|suspected|indicted|"
    rf"fined|given|handed|received|got|gets|serving|served|detained|arrested|taken{S}+into{S}+custody|held|wanted|acquitted|"
    rf"on{S}+suspicion|(?:criminal{S}+)?(?:case|charges|proceedings){S}+(?:\w+{S}+){{0,3}}against)\b")
STAGE = {**dict.fromkeys(("suspected", "wanted", "detained", "arrested", "taken", "on", "held"), "suspected"),
         **dict.fromkeys(("charged", "accused", "prosecuted", "indicted", "case", "charges", "proceedings",
                          "criminal", "acquitted"), "charged")}
# Verbs whose active subject is the one who acts (a court, a judge, the police), never the accused.
AGENTIVE = {"convicted", "sentenced", "sentences", "convicts", "charged", "accused", "prosecuted", "tried", "found",
            "acquitted",
            "indicted", "fined", "detained", "arrested", "handed"}
AFTER_PASSIVE = re.compile(rf"(?:{S}+(?:to|under|in|on|for|at|by|after|before|with|from|of|as|guilty|again|twice|"
                           rf"last|this|yesterday|today|earlier|together)\b|{S}*[,.;:()—–-]|{S}*$)")
ACTIVE_SUBJECT = re.compile(r"(?i)\b(?:court|judge|prosecutor|investigators?|police|security forces|officers|"
                            r"authorities|KGB|they)\b")
LIST_ITEM = re.compile(rf"^{S}*(?:[•*\-–]{S}*|\d{{1,3}}[.)]{S}*)?$")
LIST_ITEM_LINK = re.compile(rf"^(?:{S}*\((?:b\.|born|aged|\d)[^()]*\))?(?:,{S}*(?:under|Art|Part)|"
                            rf"{S}*\({S}*(?:Art|Part|under)|{S}*[—–-]{S}*(?:Art|Part|under))")
POSSESSIVE = re.compile(rf"\b(?P<p>his|her|their)(?:{S}+[\w-]+){{0,3}}?{S}+(?P<n>convictions?|sentences?|charges?)"
                        rf"(?:{S}+(?:was|were|is|are))?(?::{S}*[^.;:]{{1,60}}?)?{S}+(?:under|for){S}*\(?{S}*$")
APPEAL = re.compile(r"(?i)\b(?:appeal|upheld|uphold|cassation)")  # the appeal court is not the sentencing one
SAME_ARTICLE = re.compile(rf"\bunder{S}+the{S}+same{S}+articles?\b")
SAME_COURT = re.compile(rf"\b[Tt]he{S}+same{S}+court\b")


def _who(ctx: ItemContext, s: Span, at: int, end: int, focus: g.Focus, local: list[g.Run],
         verb: str) -> tuple[tuple[Mention, ...], str]:
    """The persons a predicate at [at, end) is about, and how they were found."""
    text = ctx.doc.text
    clause_start = g.clause_bounds(s, at, end, text)[0]
    word = verb.split()[0]
    if word in AGENTIVE and not g.passive(text, local, at, clause_start) and \
            not AFTER_PASSIVE.match(text, end, min(end + 20, len(text))):
        if run := g.obj(text, local, end, s.end):  # "Judge Y sentenced X": X, whoever stands before the verb
            return run.persons, "object"
        if pro := re.match(rf"{S}+(?P<p>him|her|them)\b", text[end:end + 6]):
            return g.antecedent(pro.group("p"), focus, g.not_the_actor(text, local, at, clause_start)), "pronoun"
        if (pro := re.match(rf"{S}+", text[end:end + 3])) and (grp := g.PRONOUN.match(text, end + pro.end())):
            people = g.antecedent(grp.group("p"), focus, g.not_the_actor(text, local, at, clause_start)) or \
                g.named_after_colon(text, local, grp.group("p"), grp.end(), s.end)
            return people, "pronoun" if people else ""
        return (), ""
    reduced = word in ("charged", "convicted", "sentenced", "accused", "suspected", "serving", "detained")
    if (run := g.subject(text, local, at, clause_start, reduced)) is not None:
        return run.persons, "subject"
    if (run := g.shared_subject(text, local, at, clause_start)) is not None:
        return run.persons, "shared-subject"
    head = text[clause_start:at]
    if re.search(r"(?:case|charges|proceedings)", verb):
        if run := g.obj(text, local, end, s.end):
            return run.persons, "against"
        if pro := re.match(rf"{S}+(?P<p>him|her|them)\b", text[end:end + 6]):
            return g.antecedent(pro.group("p"), focus, [r for r in local if r.end <= at]), "pronoun"
    if ACTIVE_SUBJECT.search(head):
        if run := g.obj(text, local, end, s.end):
            return run.persons, "object"
    pro = list(g.PRONOUN.finditer(head))
    if pro and re.fullmatch(rf"{S}*(?:{g.AUX}{S}*)*", head[pro[-1].end():]) and \
            pro[-1].group("p").lower() not in ("his", "their", "her", "him", "them"):
        people = g.antecedent(pro[-1].group("p"), focus, [r for r in local if r.end <= clause_start + pro[-1].start()])
        return people, "pronoun"
    if people := g.topic(text, local, focus, at, s.start):
        return people, "topic"
    if (person := _headline_person(ctx)) and not local and DESCRIBED.match(text, s.start, at):
        return (person,), "described"
    return (), ""


# "A student from Vitebsk, detained in May and sentenced ...": a description standing for the person the
# section's heading names (a profile under "MIKITA ZABOLOTSKI - 5 July").
DESCRIBED = re.compile(rf"{S}*(?:An?|The){S}+[a-z][^,;:.()]{{0,60}}?,(?:[^,;:.()]*?\band)?(?:{S}+{g.AUX})*{S}*$")


def _headline_person(ctx: ItemContext) -> Mention | None:
    """The one person the item's heading names, if it names exactly one."""
    h = ctx.item.headline
    found = {p.ident: p for p in ctx.persons_in(h.start, h.end)} if h else {}
    return next(iter(found.values())) if len(found) == 1 else None


def _evidence(ctx: ItemContext, s: Span, start: int, end: int, people: tuple[Mention, ...]) -> list[tuple[int, int]]:
    """The sentence (or its clause when long), in whole words; a second span naming the person when the
    sentence names them only by a pronoun."""
    text = ctx.doc.text
    a, b = (s.start, s.end) if s.end - s.start <= 320 else g.clause_bounds(s, start, end, text)
    spans = [g.whole_words(text, a, b)]
    spans += [(p.start, p.end) for p in people if not (a <= p.start and p.end <= b)]
    return spans


def _court(ctx: ItemContext, s: Span, at: int, end: int) -> Mention | None:
    """The court of the clause; "the same court" is the last one the item named before."""
    left, right = g.clause_bounds(s, at, end, ctx.doc.text)
    courts = [o for o in ctx.of_kind("organisations", left, right) if o.attrs.get("class") == "Court"]
    if courts and APPEAL.search(ctx.doc.text, left, right):
        return None
    if courts:
        return courts[0]
    if SAME_COURT.search(ctx.doc.text, left, right):
        before = [o for o in ctx.mentions if o.kind == "organisations" and o.attrs.get("class") == "Court" and
                  o.end <= s.start]
        return before[-1] if before else None
    return None


def _lists(ctx: ItemContext, s: Span) -> list[tuple[int, int, list[Mention]]]:
    """The lists of Criminal Code articles the sentence cites, (start, end, articles); "under the same article"
    stands for the list cited last before the sentence."""
    lists: dict[int, list[Mention]] = {}
    for p in ctx.of_kind("provisions", s.start, s.end):
        if "list_start" in p.attrs and "Code" in str(p.attrs.get("instrument")):
            lists.setdefault(int(p.attrs["list_start"]), []).append(p)
    out = [(start, int(provs[0].attrs["list_end"]), provs) for start, provs in sorted(lists.items())]
    if same := SAME_ARTICLE.search(ctx.doc.text, s.start, s.end):
        earlier = [p for p in ctx.mentions if p.kind == "provisions" and "list_start" in p.attrs and p.end <= s.start
                   and "Code" in str(p.attrs.get("instrument"))]
        if earlier:
            out.append((same.start(), same.end(), _last_cited(ctx.doc.text, earlier, same.group().endswith("s"))))
    return sorted(out, key=lambda x: x[0])


def _last_cited(text: str, earlier: list[Mention], plural: bool) -> list[Mention]:
    """What "the same article" stands for: the list cited last; "the same articles", every list of the sentence
    that cited last ("under Article 356 (treason) and Part 1 of Article 361-1" is two lists)."""
    starts = sorted({int(p.attrs["list_start"]) for p in earlier})
    keep = [starts[-1]]
    while plural and len(keep) < len(starts):
        before = starts[-len(keep) - 1]
        end = max(int(p.attrs["list_end"]) for p in earlier if int(p.attrs["list_start"]) == before)
        if re.search(r"[.!?;]", text[end:keep[-1]]) or keep[-1] - end > 80:
            break
        keep.append(before)
    return [p for p in earlier if int(p.attrs["list_start"]) in keep]


def _by_possessive(ctx: ItemContext, s: Span, start: int, focus: g.Focus, local: list[g.Run]) -> \
        tuple[tuple[Mention, ...], str, str]:
    """"his conviction under A", "their convictions under A": the persons the possessive refers to."""
    m = POSSESSIVE.search(ctx.doc.text, max(s.start, start - 80), start)
    if m is None:
        return (), "", ""
    stage = "charged" if m.group("n").startswith("charge") else "convicted"
    return g.antecedent(m.group("p"), focus, [r for r in local if r.end <= m.start()]), "possessive", stage


def charges(ctx: ItemContext, s: Span, focus: g.Focus, local: list[g.Run]) -> list[Draft]:
    text, out = ctx.doc.text, []
    for start, list_end, provs in _lists(ctx, s):
        verbs = [m for m in CHARGE_VERB.finditer(text, s.start, start)]
        people, how, verb, stage = (), "", None, "convicted"
        for v in reversed(verbs):  # "was taken into custody on suspicion under": the verb that has a subject
            people, how = _who(ctx, s, v.start(), v.end(), focus, local, v.group("v"))
            if people:
                verb, stage = v, STAGE.get(v.group("v").split()[0], "convicted")
                break
        if verb is not None and any(r.start >= verb.end() and r.end <= start and not set(r.persons) & set(people)
                                    for r in local):
            people, how, verb = (), "", None  # another person stands between the verb and the articles
        if not people:
            people, how = _list_item(ctx, s, start, local)
        if not people and verbs:
            people, how, verb = _gapped(ctx, s, start, local, focus, verbs)
            stage = STAGE.get(verb.group("v").split()[0], "convicted") if verb else stage
        if not people:
            people, how, stage = _by_possessive(ctx, s, start, focus, local)
        if not people:
            continue
        if how == "pronoun" and verb and {p.ident for r in g.not_the_actor(text, local, verb.start(), s.start)
                                          for p in r.persons} - {p.ident for p in people}:
            continue  # another name stands before the pronoun in the sentence (not the verb's actor): too unsure
        out += _drafts(ctx, s, focus, local, people, provs, how, stage, verb, (start, list_end))
    return out


def _drafts(ctx: ItemContext, s: Span, focus: g.Focus, local: list[g.Run], people: tuple[Mention, ...],
            provs: list[Mention], how: str, stage: str, verb: re.Match[str] | None, at: tuple[int, int]) -> list[Draft]:
    text, out = ctx.doc.text, []
    start, list_end = at
    left, right = g.clause_bounds(s, start, list_end, text)
    right = min([right] + [r.start for r in local if r.start >= list_end and not set(r.persons) & set(people)])
    court = _court(ctx, s, verb.start() if verb else start, list_end)
    a = verb.end() if verb else left
    terms = respective_terms(text, a, right, len(people)) if len(people) > 1 else None
    if len(people) > 1 and not terms and (own := distributed(text, local, a, right)):
        terms = [own.get(p.ident, (p, None))[1] for p in people]
    one = None if terms or re.search(r"\brespectively\b", text[a:right]) else term(text, a, right)
    if one is None and not terms and verb is not None and stage == "convicted":
        one = term_before(text, left, verb.start())  # "the three years he was given under A"
    spans = _evidence(ctx, s, min(p.start for p in people), list_end, people)
    for i, person in enumerate(people):
        sentence = terms[i] if terms else one
        earlier = focus.verdicts.get(person.ident)
        if earlier and stage == "convicted":
            court, sentence = court or earlier[0], sentence or earlier[1]
        if how == "list-item" and court is None and focus.intro is not None:
            court = _court(ctx, focus.intro, focus.intro.start, focus.intro.end)  # "... by the X Court:" above
        if stage == "convicted":
            focus.charged.setdefault(person.ident, person)
        for prov in provs:
            fields: dict[str, Any] = {"type": "charge", "statement": ctx.statement, "person": Ref(person.ident),
                                      "provision": Ref(prov.ident), "stage": stage}
            if court:
                fields["court"] = Ref(court.ident)
            if sentence and stage == "convicted":
                fields["sentence"] = sentence
            if ctx.date:
                fields["date"] = ctx.date
            out.append(Draft("claims", "chg", f"{person.ident}|{prov.ident}", fields, spans, rule=f"charge-{how}",
                             confidence=0.9 if how in ("subject", "object", "list-item") else 0.75))
    return out


VERDICT = re.compile(rf"\b(?P<v>sentenced|sentences|sentencing{S}+of|given|received|gets|got|serving|served)\b")


def distributed(text: str, local: list[g.Run], start: int, end: int) -> dict[str, tuple[Mention, str]]:
    """"sentenced A and B to six years each, C to five years, and D to four years": each run of persons takes
    the term right after it ("to ..."), before the next run; none unless every run has one."""
    runs = [r for r in local if start <= r.start and r.end <= end]
    own: dict[str, tuple[Mention, str]] = {}
    if len(runs) < 2:
        return own
    for r, nxt in zip(runs, [*runs[1:], None], strict=True):
        stop = nxt.start if nxt else end
        length = term(text, r.end, stop) if re.match(rf"{S}+to{S}+", text[r.end:stop]) else None
        if length is None:
            return {}
        own.update({p.ident: (p, length) for p in r.persons})
    return own


def verdicts(ctx: ItemContext, s: Span, focus: g.Focus, local: list[g.Run]) -> None:
    """A clause that sentences persons without citing the articles ("the Homel Regional Court sentenced X to
    four years", "he received three years"): its court and terms go to the charges the item gives those persons
    in another sentence (`fill_verdicts`)."""
    text = ctx.doc.text
    lists = [a for a, _, _ in _lists(ctx, s)]
    for v in VERDICT.finditer(text, s.start, s.end):
        left, right = g.clause_bounds(s, v.start(), v.end(), text)
        if any(left <= a < right for a in lists):
            continue  # the clause cites its articles: charges() takes its court and term there
        if v.group("v").startswith("sentencing"):
            run = g.obj(text, local, v.end(), s.end)
            people = run.persons if run else ()
        else:
            people, _ = _who(ctx, s, v.start(), v.end(), focus, local, v.group("v"))
        lengths: list[str | None] | None = None
        if own := distributed(text, local, v.end(), right):  # "sentenced A to six years, B to five years"
            people, lengths = tuple(p for p, _ in own.values()), [t for _, t in own.values()]
        elif len(people) > 1:
            lengths = respective_terms(text, v.end(), right, len(people))
        lengths = lengths or [term(text, v.end(), right)] * len(people)
        court = _court(ctx, s, v.start(), v.end())
        for person, length in zip(people, lengths, strict=True):
            old = focus.verdicts.get(person.ident, (None, ""))
            focus.verdicts[person.ident] = (old[0] or court, old[1] or length or "")


def fill_verdicts(drafts: list[Draft], focus: g.Focus) -> None:
    """A conviction without a court or sentence takes those of the person's verdict elsewhere in the item."""
    for d in drafts:
        if d.prefix == "chg" and d.fields["stage"] == "convicted" and \
                (v := focus.verdicts.get(d.fields["person"].ident)):
            if v[0] is not None and "court" not in d.fields:
                d.fields["court"] = Ref(v[0].ident)
            if v[1] and "sentence" not in d.fields:
                d.fields["sentence"] = v[1]


INTRO = re.compile(rf"(?i)\bthe{S}+following{S}+(?:[\w-]+{S}+){{0,2}}?(?:persons|people|individuals|[\w-]+s)\b"
                   rf"[^:]*:{S}*$")  # "The following persons / miners / political prisoners were ...:"


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
        length = term(text, run.end, line_end) if stage == "convicted" else None
        for person in run.persons:
            for prov in provs:
                fields: dict[str, Any] = {"type": "charge", "statement": ctx.statement, "person": Ref(person.ident),
                                          "provision": Ref(prov.ident), "stage": stage}
                if length:
                    fields["sentence"] = length
                out.append(Draft("claims", "chg", f"{person.ident}|{prov.ident}", fields, spans,
                                 rule="charge-list-below", confidence=0.8))
    return out


# "X (45), Barysau: 2 years of imprisonment under Art. 342": an age, a town, then the penalty and the articles.
ITEM_HEAD = re.compile(rf"^(?:{S}*\([^()]{{1,30}}\))?(?:,{S}*[A-Z][\w-]+(?:{S}+[A-Z][\w-]+)?)?{S}*[:—–-]{S}+"
                       rf"(?:[^.;]|(?<=Art)\.|(?<=Arts)\.|(?<=No)\.)*$")
GAP = re.compile(rf"{S}*[,;]{S}*(?:and{S}+)?$")


def _gapped(ctx: ItemContext, s: Span, at: int, local: list[g.Run], focus: g.Focus, verbs: list[re.Match[str]]) -> \
        tuple[tuple[Mention, ...], str, re.Match[str] | None]:
    """"Ivan was charged under Article 342, Piotr under Article 369": the second clause leaves the verb out; its
    person stands right before "under" and after the comma that ends the first clause, which has that verb."""
    text = ctx.doc.text
    run = next((r for r in reversed(local) if r.end <= at), None)
    if run is None or not re.fullmatch(rf"{S}+under{S}+", text[run.end:at]):
        return (), "", None
    verb = next((v for v in reversed(verbs) if v.end() <= run.start), None)
    if verb is None or not GAP.search(text, verb.end(), run.start) or \
            not _who(ctx, s, verb.start(), verb.end(), focus, local, verb.group("v"))[0]:
        return (), "", None
    return run.persons, "gapped", verb


def _list_item(ctx: ItemContext, s: Span, at: int, local: list[g.Run]) -> tuple[tuple[Mention, ...], str]:
    """A verbless list item: the line starts with the persons, then the articles with no verb and no other name
    between ("X, under Article A, ...", "X (Art. A), ...", "X — Articles A, B", "X: 5 years (Art. A)")."""
    text = ctx.doc.text
    first = next((r for r in local if r.start >= s.start), None)
    if first is None or first.end > at or not LIST_ITEM.match(text[s.start:first.start]):
        return (), ""
    between = text[first.end:at]
    if LIST_ITEM_LINK.match(text[first.end:at + 12]) or (
            re.match(rf"{S}*[:—–-]", between) and len(between) <= 80 and "(" in between[-8:]) or \
            (ITEM_HEAD.match(between) and len(between) <= 120):
        if not CHARGE_VERB.search(text, first.end, at) and not any(first.end <= r.start < at for r in local):
            return first.persons, "list-item"
    return (), ""
