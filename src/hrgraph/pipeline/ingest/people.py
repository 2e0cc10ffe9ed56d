"""Persons' names in raw text, beyond the given-name lexicon.

A pair of capitalised words is a name when the first is a known given name (names.py), or when the shape and
the context say so: a surname ending of the region (-vich, -enka, -skaya, -au, -dze, ...), a person word before
it ("blogger", "political prisoner", "Judge"), a person's predicate after it ("(born 1971)", "was detained",
"died"), or a place in a list beside other names. Also: an initial and a surname ("A. Dziarzhynskaya"), the
surname first in capitals or before a patronymic ("HARDZEI Stanislava Piatrouna" -> Stanislava Hardzei), and a
name in Cyrillic with its Latin spelling in brackets after it. No surname is listed anywhere: the rules read the
shape of the text, so that names nobody listed are found, and capitalised words that name no one (months,
places, institutions, titles) are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from hrgraph.names import given_groups, surname_key
from hrgraph.names.fold import readings
from hrgraph.pipeline.ingest import lexicon as lx
from hrgraph.pipeline.ingest.names import fold

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
SURNAME_END = re.compile(
    r"(?:vich|ich|ych|enka|enko|onak|ski|sky|skaya|skaja|skiy|tski|dzki|ava|ova|eva|iva|yna|ina|aya|au|ou|eu|iu|"
    r"uk|iuk|yuk|chuk|chyk|ik|ak|iak|ets|shyn|shin|ov|ev|in|yn|dze|shvili|li|ly|zade|yan|ian|ka|ko|ha|cha|sha|"
    r"ia|ya|ei|ai|oi|ay|ey|ash|ush|ets|ts|rz|cz|ek)$")
# Endings only surnames of the region have: an unknown given name in capitals ("TARAS ANISKEVICH") needs one
# ("VIASNA REPORTS", "RADIO SVABODA" are none).
STRONG_SURNAME = re.compile(r"(?:vich|ich|ych|enka|enko|ski|sky|skaya|skaja|tski|dzki|ava|ova|eva|au|ou|eu|iuk|yuk|"
                            r"chuk|chyk|onak|shyn|shvili|dze)$")
PATRONYMIC = re.compile(r"^[A-Z][a-z]+(?:avich|ovich|evich|ievich|yevich|ich|auna|ouna|euna|eŭna|aŭna|ovna|evna|"
                        r"ievna|yevna|ivna)$")
# A woman's patronymic is never a surname (a man's, "-avich", is one of the commonest surname shapes).
NOT_A_SURNAME = re.compile(r"^[A-Z][a-z]+(?:auna|ouna|euna|eŭna|aŭna|ovna|evna|ievna|yevna|ivna)$")
COMMON_NOUN = re.compile(r"(?:tions?|sions?|ments?|ities|ity|ness|ships?|ances?|ences?|isms?|ists|ures?|ies)$")
# Words that start a capitalised pair but are no given name: function words, titles, institutions, places.
NOT_GIVEN = {
    "the", "a", "an", "on", "in", "at", "by", "for", "from", "to", "of", "and", "but", "or", "as", "after", "before",
    "during", "since", "until", "today", "yesterday", "we", "our", "his", "her", "their", "this", "that", "these",
    "those", "he", "she", "they", "it", "its", "also", "according", "among", "all", "both", "each", "every", "when",
    "while", "where", "who", "whose", "what", "why", "how", "if", "however", "nevertheless", "meanwhile", "then",
    "there", "here", "no", "not", "mr", "ms", "mrs", "dr", "judge", "minister", "president", "prosecutor",
    "political", "prisoner", "prisoners", "activist", "journalist", "blogger", "lawyer", "teacher", "pensioner",
    "student", "reporter", "editor", "engineer", "human", "rights", "criminal", "code", "article", "articles", "part",
    "penal", "colony", "court", "district", "regional", "city", "supreme", "state", "university", "belarusian",
    "russian", "ukrainian", "polish", "lithuanian", "azerbaijani", "georgian", "un", "united", "nations", "special",
    "rapporteur", "working", "group", "council", "committee", "european", "international", "statement", "joint",
    "profile", "name", "status", "sentence", "charges", "born", "released", "detained", "place", "date", "full",
    "signed", "latest", "news", "pages", "share", "home", "about", "donate", "read", "more", "subscribe", "free",
    "monthly", "verdicts", "solidarity", "communication", "wave", "mechanic",
    "veterinarian", "railway", "immediately", "release", "new", "pardon", "journalists", "lawyers",
    "ten", "four", "three", "seven", "two", "five", "six", "eight", "nine", "one", "twelve", "first", "second",
    "memory", "deaths", "death", "office", "ministry", "government", "authorities", "republic", "national",
    "chairman", "chairwoman", "head", "founder", "member", "members", "moscow", "helsinki", "final", "act",
    "colonel", "major", "captain", "lieutenant", "general", "sergeant", "officer", "leader", "leaders",
    "defendant", "defendants", "case", "list", "remembering", "urgent", "appeal", "observatory", "write", "letters",
    "brothers", "sisters", "spouses", "sons", "daughters", "twins", "couple", "parents", "cousins", "siblings",
    "parliamentary", "assembly", "resolution", "recommendation", "opinion", "mission", "delegation", "professor",
    "prof",
}
NOT_SURNAME = NOT_GIVEN | {"district", "region", "street", "square", "station", "prison", "museum", "center", "centre",
                           "association", "union", "initiative", "network", "institute", "coalition", "movement",
                           "party", "house", "foundation", "society", "platform", "project", "market", "law",
                           "constitution", "convention", "covenant", "declaration", "guidelines", "forum"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
PLACES = {fold(p) for p in lx.COUNTRIES + lx.CITIES} | {"azerbaijan", "georgia", "tbilisi", "baku", "kyiv", "riga",
                                                          "berlin", "geneva", "europe", "asia"}
PERSON_BEFORE = re.compile(
    r"(?i)(?:\b(?:political prisoners?|prisoners? of conscience|activists?|journalists?|bloggers?|lawyers?|"
    r"teachers?|pensioners?|students?|reporters?|editors?|engineers?|defenders?|citizens?|residents?|workers?|"
    r"colleagues?|husband|wife|son|daughter|brother|sister|mother|father|friend|cellmate|judge|minister|"
    r"prosecutor|investigator|founders?|chair(?:man|woman|person)?|head|director|leader|mr|ms|mrs|dr|prof|professor|"
    r"veterinarian|mechanic|driver|doctor|nurse|artist|musician|poet|writer|priest|entrepreneur|leaders?|"
    r"members?|defendants?|accountant|unionists?|officers?|colonel|major|captain|"
    r"by|of|named|including|and|mourn|remember|sentenced|convicted|detained|arrested|charged|acquitted|"
    r"pardoned|released)\.?,?|\b\d{1,3}-year-old|\baged[\s\u00a0]+\d{1,3},?)[\s\u00a0]+$")
PERSON_AFTER = re.compile(
    r"^(?:[\s\u00a0]*\((?:born|b\.|aged|\d{4})|,[\s\u00a0]+(?:\d{1,3}|aged|born|a|an|the|who|whose)\b|"
    r"[\s\u00a0]+(?:was|were|is|has|had|died|passed)\b|['’]s\b|,[\s\u00a0]+under\b|[\s\u00a0]*\((?:Art|Part)|"
    r"[\s\u00a0]+[—–-][\s\u00a0]+(?:Art|Part))")


def is_given_name(word: str) -> bool:
    """A given name of the region in any spelling, Łacinka and Cyrillic included (hrgraph.names)."""
    return bool(given_groups(word)) and fold(word) not in NOT_GIVEN


@dataclass(frozen=True)
class Name:
    label: str  # "Given Surname" in the text's spelling (surname-first names reordered)
    start: int
    end: int


def _word_ok(word: str, stop: set[str]) -> bool:
    f = fold(word)
    return len(f) >= 2 and f not in stop and f not in MONTHS and f not in PLACES


def _title(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or word[1:2].islower())


def _caps(word: str) -> bool:
    """A surname in capitals, double-barrelled too ("HALUBOK-SHYMANSKI")."""
    return len(word) >= 3 and word.isupper() and word.replace("-", "").isalpha()


def names(text: str) -> Iterator[Name]:
    """Every name in `text` (offsets into it); overlapping finds are settled by the caller. A name in brackets
    right after a name, with the same surname in another spelling or script ("Mikola Dubrouski (Mikałaj
    Dubroŭski)", "Uładzimir Škłarevič (Уладзімір Шклярэвіч)"), is the same person: it takes the first label."""
    found = sorted(set(_names(text)), key=lambda n: (n.start, -n.end))
    for n in found:
        first = next((f for f in found if f.end < n.start and re.fullmatch(r"[ \u00a0]*\(", text[f.end:n.start])),
                     None)
        if first is not None and text[n.end:n.end + 1] == ")" and _same_surname(first.label, n.label):
            n = Name(first.label, n.start, n.end)
        yield n


def _latin(word: str) -> str:
    """A Latin word with a look-alike Cyrillic letter in it ("Аles" with a Cyrillic А) read as Latin."""
    return readings(word)[0] if CYRILLIC.search(word) and re.search(r"[A-Za-z]", word) else word


def _same_surname(a: str, b: str) -> bool:
    return surname_key(a.split()[-1]) == surname_key(b.split()[-1])


def _names(text: str) -> Iterator[Name]:
    words = list(WORD.finditer(text))
    accepted: list[tuple[int, int]] = []
    for i, (a, b) in enumerate(zip(words, words[1:], strict=False)):
        gap = text[a.end():b.start()]
        if not re.fullmatch(r"[ \u00a0]", gap):
            continue
        first, last = _latin(a.group()), _latin(re.sub(r"['’]s$", "", b.group()))
        end = b.start() + len(last)
        nxt = words[i + 2] if i + 2 < len(words) else None
        if _caps(first) and _title(last) and is_name_pair(last, first.title()):  # SURNAME Given (Patronymic)
            patronymic = nxt is not None and PATRONYMIC.match(nxt.group()) and text[b.end():nxt.start()] == " "
            yield Name(f"{last} {first.title()}", a.start(), nxt.end() if patronymic and nxt else end)
            continue
        if (_title(first) or _caps(first)) and _caps(last) and _word_ok(last, NOT_SURNAME) and (
                is_given_name(first.title()) or _caps(first) and STRONG_SURNAME.search(fold(last)) and
                is_name_pair(first.title(), last.title())):
            yield Name(f"{first.title()} {last.title()}", a.start(), end)  # "Hanna ZUYEVICH", "TARAS ANISKEVICH"
            continue
        if not (_title(first) and _title(last)) or CYRILLIC.search(first + last):
            continue  # Cyrillic names: _cyrillic_with_latin
        if nxt is not None and PATRONYMIC.match(nxt.group()) and text[b.end():nxt.start()] == " " and \
                _word_ok(first, NOT_SURNAME) and _word_ok(last, NOT_GIVEN) and \
                (is_given_name(last) or SURNAME_END.search(fold(first))) and not is_given_name(first):
            yield Name(f"{last} {first}", a.start(), nxt.end())  # Surname Given Patronymic
            continue
        if is_name_pair(first, last, text[max(0, a.start() - 40):a.start()], text[end:end + 30],
                        listed=_in_list(text, a.start(), accepted)):
            accepted.append((a.start(), end))
            yield Name(f"{first} {last}", a.start(), end)
    yield from _listed_after(text, words, accepted)
    yield from _shared_surname(text, accepted)
    yield from _initials(text)
    yield from _cyrillic_with_latin(text)
    yield from _surname_comma_given(text)


def _listed_after(text: str, words: list[re.Match[str]], accepted: list[tuple[int, int]]) -> Iterator[Name]:
    """A pair of capitalised words right before an accepted name in a list ("X Y and Raisa Pratasevich")."""
    for a, b in zip(words, words[1:], strict=False):
        if (a.start(), b.end()) in accepted or text[a.end():b.start()] != " " or CYRILLIC.search(a.group()):
            continue
        if any(re.fullmatch(r"[ \u00a0]*(?:,|and|, and)[ \u00a0]*", text[b.end():s]) for s, _ in accepted) and \
                _title(a.group()) and _title(b.group()) and is_name_pair(a.group(), b.group(), listed=True):
            yield Name(f"{a.group()} {b.group()}", a.start(), b.end())


SHARED = re.compile(r"(?<![\w])([A-Z][^\W\d_]+)[ \u00a0]+and[ \u00a0]+$")


def _shared_surname(text: str, accepted: list[tuple[int, int]]) -> Iterator[Name]:
    """A given name coordinated with a full name shares its surname ("Iryna and Pavel Zhuravel")."""
    for start, end in accepted:
        m = SHARED.search(text, max(0, start - 40), start)
        words = text[start:end].split()
        if m and is_given_name(m.group(1)) and len(words) == 2 and is_given_name(words[0]):
            yield Name(f"{m.group(1)} {words[1]}", m.start(1), m.end(1))


SURNAME_COMMA = re.compile(r"(?m)^[ \t\u00a0]*(?:[•\-–][ \t\u00a0]*)?(?P<s>[A-Z][a-z]+(?:-[A-Z][a-z]+)?),[ \u00a0]"
                           r"(?P<g>[A-Z][a-z]+)(?=[ \u00a0]*(?:[—–-][ \u00a0]|\(|;|$))")


def _surname_comma_given(text: str) -> Iterator[Name]:
    """A list line "Surname, Given — ..." (a register's order)."""
    for m in SURNAME_COMMA.finditer(text):
        if _word_ok(m.group("s"), NOT_SURNAME) and _word_ok(m.group("g"), NOT_GIVEN):
            yield Name(f"{m.group('g')} {m.group('s')}", m.start("s"), m.end("g"))


def is_name_pair(first: str, last: str, before: str = "", after: str = "", listed: bool = False) -> bool:
    """Two capitalised words as a given name and a surname, judged by their shape and their context. A
    patronymic ("Mikalaeuna") or an English common noun ("Investigations") is no surname."""
    if not _word_ok(last, NOT_SURNAME) or len(fold(last)) < 2 or NOT_A_SURNAME.match(last) or \
            COMMON_NOUN.search(fold(last)):
        return False
    if is_given_name(first):
        return True
    if not _word_ok(first, NOT_GIVEN) or first.isupper() or PERSON_BEFORE.search(first + " "):
        return False  # an occupation or a title ("Musician Tsimafei Ruk") is no given name
    context = bool(PERSON_BEFORE.search(before) or PERSON_AFTER.match(after) or listed)
    shaped = bool(SURNAME_END.search(fold(last))) or (len(fold(last)) >= 5 and fold(last).endswith("a"))
    return shaped and (context or len(fold(last)) >= 5) or (context and len(fold(last)) >= 3)


def _in_list(text: str, start: int, accepted: list[tuple[int, int]]) -> bool:
    """The pair follows a name already accepted, separated by a comma or 'and' (a list of names)."""
    return any(re.fullmatch(r"[ \u00a0]*(?:,|and|, and)[ \u00a0]*", text[e:start]) for _, e in accepted[-1:])


INITIAL = re.compile(r"(?<![\w.])([A-ZА-ЯЎІЁ])\.[ \u00a0]?(?:([A-ZА-ЯЎІЁ])\.[ \u00a0]?)?"
                     r"([A-ZА-ЯЎІЁ][a-zа-яўіё'’]+(?:-[A-ZА-ЯЎІЁ][a-zа-яўіё]+)?|[A-Z]{3,}(?:-[A-Z]{3,})?)(?![\w-])")


def _initials(text: str) -> Iterator[Name]:
    """"A. Dziarzhynskaya", "S. V. NIAKRASAU" (a surname in capitals only in a surname's shape or before a
    person's apposition, ", a teacher": "U.S. ARMY" is none)."""
    for m in INITIAL.finditer(text):
        surname, caps = m.group(3), m.group(3).isupper()
        if caps and not (SURNAME_END.search(fold(surname)) or PERSON_AFTER.match(text[m.end():m.end() + 30])):
            continue
        surname = surname.title() if caps else surname
        if _word_ok(surname, NOT_SURNAME) and not re.match(r"[\s\u00a0]*\d", text[m.end():m.end() + 3]):
            second = f" {m.group(2)}." if m.group(2) else ""
            yield Name(f"{m.group(1)}.{second} {surname}", m.start(), m.end())


CYRILLIC = re.compile(r"[\u0400-\u04ff]")
CYRILLIC_PAIR = re.compile(r"(?<![\w])([А-ЯЎІЁ][а-яўіё'’]+) ([А-ЯЎІЁ][а-яўіё'’-]+)(?: \(([A-Z][a-z]+ [A-Z][\w-]+)\))?")


def _cyrillic_with_latin(text: str) -> Iterator[Name]:
    """A Cyrillic name with its Latin spelling in brackets ("Юрась Шыдлоўскі (Yuras Shydlouski)"), or a
    Cyrillic given name of the lexicon with a surname: labelled in Latin where the page gives it."""
    for m in CYRILLIC_PAIR.finditer(text):
        if m.group(3):
            yield Name(m.group(3), m.start(), m.end(2))
        elif is_given_name(m.group(1)) or PERSON_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
            yield Name(f"{m.group(1)} {m.group(2)}", m.start(), m.end())


@dataclass(frozen=True)
class ShortNames:
    """The persons a document names in full, by surname key and by given-name group: built once per document."""

    by_surname: dict[str, frozenset[str]]
    by_given: dict[str, frozenset[str]]
    first: dict[str, int] = field(default_factory=dict)  # label -> offset of the first full mention

    @classmethod
    def of(cls, labels: set[str], first: dict[str, int] | None = None) -> ShortNames:
        by_surname: dict[str, set[str]] = {}
        by_given: dict[str, set[str]] = {}
        for label in labels:
            words = label.split()
            by_surname.setdefault(surname_key(words[-1]), set()).add(label)
            for group in given_groups(words[0]):
                by_given.setdefault(group, set()).add(label)
        return cls({k: frozenset(v) for k, v in by_surname.items()}, {k: frozenset(v) for k, v in by_given.items()},
                   dict(first or {}))


def short_names(text: str, index: ShortNames, topic: frozenset[str], base: int = 0) -> Iterator[Name]:
    """A name written short, of a person the document names in full: a surname several of them share
    ("Khadasevich" in an obituary that also names his wife) is the one the title names (`topic`), else the only
    one of them named in full before it ("Ramanchuk was sentenced ..." before "his mother, Zinaida Ramanchuk",
    `base` being the offset of `text`); a given name
    alone ("Yulia was arrested") is the only person of the document with that given name. (A surname only one
    of them carries: recognise.surname_mentions.)"""
    for m in WORD.finditer(text):
        word = re.sub(r"['’]s$", "", m.group())
        if not _title(word) or len(word) < 3:
            continue
        shared = index.by_surname.get(surname_key(word), frozenset())
        before = {lb for lb in shared if index.first.get(lb, base + m.start()) < base + m.start()}
        if len(shared) > 1 and (len(shared & topic) == 1 or len(before) == 1):
            yield Name(next(iter(shared & topic if len(shared & topic) == 1 else before)), m.start(),
                       m.start() + len(word))
        if shared:
            continue
        nxt = re.match(r"[ \u00a0]+[A-Z]", text[m.end():m.end() + 3])
        givens = {lb for g in given_groups(word) for lb in index.by_given.get(g, frozenset())}
        if len(givens) == 1 and not nxt and is_given_name(word):
            yield Name(next(iter(givens)), m.start(), m.start() + len(word))
