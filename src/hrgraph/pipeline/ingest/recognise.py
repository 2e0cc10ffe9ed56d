"""Recognisers: persons, organisations, legal provisions, mechanisms, places and dates in a span of raw text.

Every mention keeps its exact words and offsets into the stored text, and an `ident` (kind + canonical form)
that identity.py turns into a record key. Overlaps are settled longest-first, so "Barys Zvozskau Belarusian
Human Rights House" is an organisation, not a person called Barys Zvozskau.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from hrgraph.pipeline.ingest import lexicon as lx
from hrgraph.pipeline.ingest.names import fold, name_key, skeleton
from hrgraph.pipeline.ingest.people import names
from hrgraph.pipeline.ingest.readers import MONTHS

WS = r"[\s\u00a0]+"


@dataclass(frozen=True)
class Mention:
    kind: str  # persons, organisations, mechanisms, places, provisions, instruments, dates
    label: str  # the canonical name (or the normalised date)
    start: int
    end: int
    text: str  # the exact words
    attrs: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def ident(self) -> str:
        if self.attrs.get("canonical"):  # a person told apart from namesakes (assemble.py)
            return f"{self.kind}:{self.attrs['canonical']}"
        return ident(self.kind, self.label)


def ident(kind: str, label: str) -> str:
    if kind == "persons":
        return f"persons:{name_key(label)}"
    return f"{kind}:{norm(label)}"


def norm(label: str) -> str:
    """A label compared loosely: folded, without quotes, brackets' content, articles and a leading "UN"."""
    s = fold(label)
    s = re.sub(r"[^a-z0-9. ]+", " ", s)
    s = re.sub(r"\b(?:the|un|united nations)\b", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _m(of: str, label: str, text: str, base: int, m: re.Match[str], group: int | str = 0, **attrs: object) -> Mention:
    return Mention(of, label, base + m.start(group), base + m.end(group), m.group(group), dict(attrs))


# --- persons -----------------------------------------------------------------------------------------------

TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)?")


def persons(text: str, base: int) -> Iterator[Mention]:
    for n in names(text):
        yield Mention("persons", n.label, base + n.start, base + n.end, text[n.start:n.end])


@dataclass(frozen=True)
class Surnames:
    """The persons named in full in a document, by the fold and the skeleton of their surname: built once per
    document (built per paragraph, it made long pages quadratic)."""

    people: dict[str, Mention]
    by_fold: dict[str, set[str]]
    by_skel: dict[str, set[str]]


def surname_index(known: list[Mention]) -> Surnames:
    by_fold: dict[str, set[str]] = {}
    by_skel: dict[str, set[str]] = {}
    for p in known:
        last = p.label.split()[-1]
        by_fold.setdefault(fold(last), set()).add(p.label)
        by_skel.setdefault(skeleton(last), set()).add(p.label)
    return Surnames({p.label: p for p in known}, by_fold, by_skel)


def surname_mentions(text: str, base: int, known: list[Mention] | Surnames) -> Iterator[Mention]:
    """A surname alone ("Klimovich's death") of a person named in full elsewhere in the same document: the
    same spelling first, else one romanisation; two persons the surname could be (a son and his mother) leave
    it unattributed."""
    index = known if isinstance(known, Surnames) else surname_index(known)
    for t in TOKEN.finditer(text):
        word = re.sub(r"['’]s$", "", t.group())
        if not (word[:1].isupper() and len(word) > 3):
            continue
        labels = index.by_fold.get(fold(word)) or index.by_skel.get(skeleton(word)) or set()
        if len(labels) == 1:
            p = index.people[next(iter(labels))]
            yield Mention("persons", p.label, base + t.start(), base + t.start() + len(word), word,
                          {"alone": True, **({"canonical": p.attrs["canonical"]} if "canonical" in p.attrs else {})})


# --- lexicon entries ---------------------------------------------------------------------------------------

@lru_cache(maxsize=512)
def cue(pattern: str, context: str) -> bool:
    """A document-wide cue, searched once per document (not once per paragraph: that was quadratic)."""
    return re.search(pattern, context) is not None


_DOC_HITS: dict[tuple[int, int], list[tuple[list[int], list[int]]]] = {}


def _candidates(entries: list[lx.Entry], text: str, base: int, context: str) -> list[lx.Entry]:
    """The entries with a match in the whole document that overlaps this span: each entry's pattern runs over
    the document once, not once per paragraph. (A match in the span is, or overlaps, a match in the document.)"""
    if len(context) < 20_000 or context[base:base + len(text)] != text:
        return entries
    key = (id(entries), id(context))
    if key not in _DOC_HITS:
        if len(_DOC_HITS) > 64:
            _DOC_HITS.clear()
        _DOC_HITS[key] = [([m.start() for m in hits], list(accumulate((m.end() for m in hits), max)))
                          for hits in (list(e.pattern.finditer(context)) for e in entries)]
    end = base + len(text)
    out = []
    for e, (starts, reach) in zip(entries, _DOC_HITS[key], strict=True):
        i = bisect_left(starts, end)  # hits starting before the span's end; one of them reaching into it?
        if i and reach[i - 1] > base:
            out.append(e)
    return out


def entries(text: str, base: int, entries: list[lx.Entry], context: str) -> Iterator[Mention]:
    for e in _candidates(entries, text, base, context):
        if e.needs and not cue(e.needs, context):
            continue
        for m in e.pattern.finditer(text):
            yield _m(e.kind, e.label, text, base, m, **e.fields)


def generic_orgs(text: str, base: int) -> Iterator[Mention]:
    for m in lx.GENERIC_ORG.finditer(text):
        words = m.group().split()
        start = 1 if words[0] in ("The", "A", "An", "On", "In", "We", "Our") else 0
        if len(words) - start < 2:
            continue
        sub = re.search(re.escape(words[start]), m.group())
        off = sub.start() if sub else 0
        label = m.group()[off:]
        yield Mention("organisations", re.sub(WS, " ", label), base + m.start() + off, base + m.end(), label,
                      {"class": "HumanRightsOrganisation" if "Rights" in label else "Organisation", "generic": True})


def courts(text: str, base: int) -> Iterator[Mention]:
    """A court is an organisation (the body that sentences), not a place; its town stays a place of its own."""
    for m in lx.COURT.finditer(text):
        yield _m("organisations", re.sub(WS, " ", m.group("name")), text, base, m, "name", **{"class": "Court"})


# --- mechanisms --------------------------------------------------------------------------------------------

SESSION = re.compile(r"(\d+)(?:st|nd|rd|th)" + WS + r"session" + WS + r"of" + WS + r"the" + WS +
                     r"(?:UN" + WS + r"|United Nations" + WS + r")?Human" + WS + r"Rights" + WS + r"Council")
MANDATE = re.compile(r"(?:UN" + WS + r"|United Nations" + WS + r")?(?P<title>Special" + WS + r"Rapporteur|Independent" +
                     WS + r"Expert)(?:" + WS + r"on" + WS + r"(?P<mandate>[^.,;:()]+?))?(?=[.,;:()]|" + WS +
                     r"(?:has|have|is|was|to|and|that|who|about|in" + WS + r"(?:his|her|its))\b|$)")
ACTION_PLAN = re.compile(r"Council" + WS + r"of" + WS + r"Europe" + WS + r"Action" + WS + r"Plan" + WS + r"for" + WS +
                         r"(?P<country>[A-Z]\w+)")
PROPOSED = re.compile(r"(?:an|the)" + WS + r"(?P<name>independent" + WS + r"(?:international" + WS + r")?mechanism" +
                      WS + r"to" + WS + r"investigate[^.,;:]*)")


def mechanisms(text: str, base: int, context: str) -> Iterator[Mention]:
    yield from entries(text, base, lx.MECHANISMS, context)
    for m in SESSION.finditer(text):
        n = int(m.group(1))
        yield _m("mechanisms", f"{_ordinal(n)} session of the UN Human Rights Council", text, base, m,
                 **{"class": "MechanismSession", "kind": "session", "part_of": "UN Human Rights Council", "session": n})
    for m in MANDATE.finditer(text):
        yield _mandate(m, text, base)
    for m in ACTION_PLAN.finditer(text):
        yield _m("mechanisms", f"Council of Europe Action Plan for {m.group('country')}", text, base, m,
                 **{"class": "Mechanism", "part_of": "Council of Europe"})
    for m in PROPOSED.finditer(text):
        label = re.sub(WS, " ", m.group("name"))
        yield _m("mechanisms", label[0].upper() + label[1:] + " (proposed)", text, base, m, "name",
                 **{"class": "Mechanism", "kind": "investigative-body"})


def _mandate(m: re.Match[str], text: str, base: int) -> Mention:
    title, mandate = re.sub(WS, " ", m.group("title")), re.sub(WS, " ", m.group("mandate") or "").strip()
    if not mandate:
        return _m("mechanisms", f"UN {title} (mandate not named in the source)", text, base, m,
                  **{"class": "SpecialProcedure", "part_of": "UN Special Procedures"})
    for phrase, label, kind in lx.MANDATES:
        if hit := re.search(phrase, mandate):
            return _m("mechanisms", label.format(**hit.groupdict()), text, base, m,
                      **{"class": "SpecialProcedure", "kind": kind, "part_of": "UN Special Procedures"})
    kind = "country-mandate" if re.search(r"situation .* in [A-Z]", mandate) else "thematic-mandate"
    return _m("mechanisms", f"{title} on {mandate}", text, base, m,
              **{"class": "SpecialProcedure", "kind": kind, "part_of": "UN Special Procedures"})


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- legal provisions --------------------------------------------------------------------------------------

NUM = r"\d{1,4}(?:[.-]\d+)*"
PART = r"(?:(?:Part|part|Paragraph|paragraph|Para\.|para\.)" + WS + r"(?P<part>\d+)" + WS + r"of" + WS + r")?"
ART_WORD = r"(?:Articles|Article|articles|article|Arts\.|Art\.|Art|art\.)"
NOT_A_NUMBER_AFTER = r"(?![\d\w%]|[\s\u00a0]*(?:years?|months?|days?|people|persons|kg|per|hours?|-year|-month)\b)"
ART_GAP = r"(?::?[\s\u00a0]+)"
PART_AFTER = r"(?:,?" + WS + r"(?:part|Part)" + WS + r"(?P<part2>\d+)(?!" + WS + r"of\b))?"  # "Art. 342, Part 1"
ARTICLE_ITEM = re.compile(PART + r"(?:" + ART_WORD + ART_GAP + r")?(?P<num>" + NUM + r")" + NOT_A_NUMBER_AFTER +
                          PART_AFTER)
_PART = PART.replace("?P<part>", "?:")
_AFTER = PART_AFTER.replace("?P<part2>", "?:")
_SEP = r"(?:[\s\u00a0]*,[\s\u00a0]*(?:and" + WS + r")?|" + WS + r"and" + WS + r"|[\s\u00a0]*&[\s\u00a0]*)"
ARTICLE_LIST = re.compile(
    _PART + ART_WORD + ART_GAP + NUM + NOT_A_NUMBER_AFTER + _AFTER +
    r"(?:" + _SEP + _PART + r"(?:" + ART_WORD + WS + r")?" + NUM + NOT_A_NUMBER_AFTER + _AFTER + r")*" +
    r"(?:" + WS + r"of" + WS + r"the" + WS + r"(?P<instr>[A-Z][^.,;:()“”\"]*))?")
GUIDELINE_PARA = re.compile(r"paragraph" + WS + r"(?P<num>\d+(?:\.\d+)*)" + r"[\s\u00a0]*\(?(?P<letter>[a-z])\)" +
                            WS + r"of" + WS + r"the" + WS + r"Guidelines")
CRITERION_ITEM = re.compile(r"(?<![\w])(?P<letter>[a-e])\)" + WS + r"the" + WS + r"deprivation" + WS + r"of" + WS +
                            r"liberty")
GUIDELINES = "Guidelines on the Definition of Political Prisoners"


INSTRUMENT_WORD = re.compile(r"\b(?:Code|Law|Constitution|Convention|Covenant|Declaration|Guidelines|Act|Charter)\b")


OTHER_JURISDICTION = re.compile(r"[\s\u00a0]+of[\s\u00a0]+(?:the[\s\u00a0]+)?(?!Republic of Belarus|Belarus)"
                                r"(?P<where>[A-Z][\w]+(?:[\s\u00a0]+[A-Z][\w]+)*)")


def _instrument(name: str | None, context_instruments: list[Mention]) -> tuple[str, int, bool]:
    """The instrument an article belongs to and how many characters of `name` name it: the one named after
    the article (another country's code keeps its country), else the last one named before it (assumed)."""
    if name:
        for e in lx.INSTRUMENTS:
            if m := e.pattern.match(name):
                if other := OTHER_JURISDICTION.match(name[m.end():]):
                    used = m.end() + other.end()
                    return re.sub(WS, " ", name[:used]), used, False
                return e.label, m.end(), False
        if m := INSTRUMENT_WORD.search(name):
            return name[:m.end()], m.end(), False
    if context_instruments:
        return context_instruments[-1].label, 0, True
    return lx.INSTRUMENTS[0].label, 0, True


def provisions(text: str, base: int, context: str) -> Iterator[Mention]:
    """Cited articles, a list of them read as one mention per article ("Articles 290-1, 361-2", "Part 4 of
    Article 228, and Part 2 of Article 342", "Art. 368 and 361-4"); every article of a list carries the list's
    offsets (`list_start`, `list_end`) and the instrument named after the list."""
    named = [m for m in entries(text, base, lx.INSTRUMENTS, context)]
    yield from named
    for lst in ARTICLE_LIST.finditer(text):
        before = [i for i in named if i.end <= base + lst.start()]
        instrument, used, assumed = _instrument(lst.group("instr"), before)
        stop = lst.start("instr") if lst.group("instr") else lst.end()
        list_end = lst.start("instr") + used if used else stop
        for m in ARTICLE_ITEM.finditer(text, lst.start(), stop):
            end = m.end()
            yield Mention("provisions", f"{instrument}, Article {m.group('num')}", base + m.start(), base + end,
                          text[m.start():end], {"instrument": instrument, "number": m.group("num"),
                                                "part": m.group("part") or m.group("part2"), "assumed": assumed,
                                                "list_start": base + lst.start(), "list_end": base + list_end})
    for m in GUIDELINE_PARA.finditer(text):
        number = f"{m.group('num')}-{m.group('letter')}"
        yield Mention("provisions", f"{GUIDELINES}, paragraph {number}", base + m.start(), base + m.end(),
                      m.group(), {"instrument": GUIDELINES, "number": number})
    if cue(r"(?i)definition of (?:a )?\W?political prisoner", context):
        for m in CRITERION_ITEM.finditer(text):
            number = f"3.1-{m.group('letter')}"
            yield Mention("provisions", f"{GUIDELINES}, paragraph {number}", base + m.start(), base + m.end(),
                          m.group(), {"instrument": GUIDELINES, "number": number})


# --- places and dates --------------------------------------------------------------------------------------

COLONY = re.compile(r"[Pp]enal" + WS + r"[Cc]olony" + WS + r"No\.?[\s\u00a0]*(?P<n>\d+)(?:," + WS +
                    r"(?:in" + WS + r")?(?P<town>[A-Z][^\W\d_]+)(?:" + WS + r"(?:town|city|village))?)?")
PLACE_WORDS = re.compile(r"(?<![\w])(?:" + "|".join(sorted(map(re.escape, lx.COUNTRIES + lx.CITIES), key=len,
                                                             reverse=True)) + r")(?![\w])")


def places(text: str, base: int) -> Iterator[Mention]:
    for m in COLONY.finditer(text):
        town = lx.CITY_ALIASES.get(m.group("town") or "", m.group("town"))
        label = f"Penal Colony No. {m.group('n')}" + (f" ({town})" if town else "")
        yield _m("places", label, text, base, m, place_kind="penal-colony", located_in=town)
        yield _m("organisations", label, text, base, m, **{"class": "PenalInstitution"})
    for m in PLACE_WORDS.finditer(text):
        name = lx.CITY_ALIASES.get(m.group(), m.group())
        kind = "country" if m.group() in lx.COUNTRIES else "city"
        yield _m("places", name, text, base, m, place_kind=kind, located_in=None if kind == "country" else "Belarus")


ABS_DATE = re.compile(r"(?P<month>[A-Z][a-z]+)" + WS + r"(?P<day>\d{1,2})(?!\d)(?:," + WS + r"(?P<year>\d{4}))?|"
                      r"(?P<day2>\d{1,2})" + WS + r"(?P<month2>[A-Z][a-z]+)(?:" + WS + r"(?P<year2>\d{4}))?|"
                      r"(?P<d3>\d{2})[.-](?P<m3>\d{2})[.-](?P<y3>\d{4})")


def dates(text: str, base: int, doc_year: str | None) -> Iterator[Mention]:
    """Absolute dates; a day and month without a year take the document's year when it has one, else stay
    partial (--MM-DD)."""
    for m in ABS_DATE.finditer(text):
        if m.group("d3"):
            value = f"{m.group('y3')}-{m.group('m3')}-{m.group('d3')}"
        else:
            month = MONTHS.get((m.group("month") or m.group("month2") or "").lower())
            if not month:
                continue
            day, year = int(m.group("day") or m.group("day2")), m.group("year") or m.group("year2")
            relative = year is None
            year = year or doc_year
            value = f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
            if relative and year:
                yield _m("dates", value, text, base, m, relative=True)
                continue
        yield _m("dates", value, text, base, m)


# --- all together ------------------------------------------------------------------------------------------

# What hides a mention: a person inside an organisation's or a law's name is no person; nested mechanisms
# (a session of the Council), places (a town in a colony's name) and instruments in a provision all stand.
BLOCKED_BY = {
    "persons": {"persons", "organisations", "mechanisms", "provisions", "instruments"},
    "organisations": {"organisations", "mechanisms", "instruments", "provisions"},
    "mechanisms": set(), "places": set(), "instruments": {"instruments"}, "provisions": {"provisions"},
    "dates": {"dates", "provisions"},
}


def settle(mentions: list[Mention]) -> list[Mention]:
    """Longest first; a mention is dropped when a kept one of a kind that blocks it overlaps it (a generic
    organisation also gives way to a lexicon one of any length), or when it repeats a kept one exactly."""
    ranked = sorted(mentions, key=lambda m: (bool(m.attrs.get("generic")), -(m.end - m.start), m.start))
    kept: list[Mention] = []
    seen: set[tuple[str, str, int, int]] = set()
    for m in ranked:
        if (m.kind, m.label, m.start, m.end) in seen:
            continue
        blockers = BLOCKED_BY.get(m.kind, set())
        if m.attrs.get("generic"):
            blockers = blockers | {"persons"}
        if any(k.kind in blockers and k.start < m.end and m.start < k.end and k is not m for k in kept):
            continue
        seen.add((m.kind, m.label, m.start, m.end))
        kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.kind))


def recognise(text: str, base: int, context: str, doc_year: str | None) -> list[Mention]:
    """Every mention in `text` (which starts at offset `base` of the stored text); `context` is the whole
    document, for cues that hold document-wide (a criteria list after a mention of the Guidelines)."""
    found: list[Mention] = [*persons(text, base), *entries(text, base, lx.ORGANISATIONS, context),
                            *generic_orgs(text, base), *courts(text, base), *mechanisms(text, base, context),
                            *provisions(text, base, context), *places(text, base), *dates(text, base, doc_year)]
    return settle(found)
