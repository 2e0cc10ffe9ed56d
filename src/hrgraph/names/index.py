"""Which known people a name, a query or a stretch of text names: one index, looked up by key.

    index = NameIndex()
    index.add("kiryl-paplauski", ["Kiryl Paplauski", "Кірыл Паплаўскі"])
    index.match("Поплавский Кирилл")        # {"kiryl-paplauski"}: a name, in any order, script or spelling
    index.find(text)                        # [Mention(start, end, text, entities, form)] in running text
    index.lookup("kirill poplavsky")        # [Match(entity, score, spelling)] best first (search, reconciliation)

`find` tokenises the text once and looks each word's keys up in dictionaries, so its time is linear in the
text whatever the number of names indexed. A surname next to a given name or an initial is a full mention
of the people both fit; next to a given name that fits none of them it names somebody else, and is no
mention; alone it is a surname mention of everyone with that surname. `in_context` then narrows a surname
(or a lone given name) to the people named in full in the same text, as a reader would.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from hrgraph.names.fold import WORD, fold
from hrgraph.names.keys import (
    MIN_SKELETON,
    given_groups,
    given_keys,
    group_initials,
    initial,
    is_patronymic,
    normalise,
    surname_key,
    word_keys,
)

_CAMEL = re.compile(r"(?<=[a-zа-яёіў])(?=[A-ZА-ЯЁІЎ][a-zа-яёіў])")
_GAP = re.compile(r"[\s\-_.,+/:]{1,4}")  # what may stand between the parts of one name (slugs and IRIs too)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def is_initial(self) -> bool:
        return len(self.text) == 1 and self.text.isalpha()


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name taken apart: the keys of its given name and surname, and the initials it allows.
    Slotted, and its key sets shared within an index (`NameIndex.add`): a catalogue holds one per spelling of
    every person (160,000 at 80,000 persons), and these made most of its memory."""

    spelling: str
    surname: str
    given: frozenset[str] = frozenset()
    initials: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Mention:
    """Words of a text that may name the `entities`. form: full (given name + surname), initial (an initial
    + surname), surname (alone), given (alone, of someone named in full in the same text), near (a given name
    beside a surname one letter away from a known one: perhaps a misspelling)."""

    start: int
    end: int
    text: str
    entities: frozenset[str]
    form: str


@dataclass(frozen=True)
class Match:
    entity: str
    score: float  # 0..100
    spelling: str  # the indexed spelling that matched best
    form: str = "full"  # what the query gave: full (given name + surname), initial, surname, given (alone)


def tokens(text: str) -> list[Token]:
    """The words of a text with their offsets; a CamelCase word also yields its parts."""
    out = []
    for m in WORD.finditer(text):
        out.append(Token(m.start(), m.end(), m.group()))
        cuts = [c.start() for c in _CAMEL.finditer(m.group())]
        if cuts:
            bounds = [0, *cuts, len(m.group())]
            pairs = zip(bounds, bounds[1:], strict=False)
            out += [Token(m.start() + a, m.start() + b, m.group()[a:b]) for a, b in pairs]
    return out


def parse(name: str) -> Name | None:
    """A written name as given name + surname: given-first, or surname-first when only the last word (or the
    second of three) is a known given name; a middle word (a patronymic) is ignored."""
    words = [t.text for t in tokens(name) if not _CAMEL.search(t.text)] or [t.text for t in tokens(name)]
    if not words:
        return None
    if len(words) == 1:
        return Name(name, surname_key(words[0]))
    first, last = words[0], words[-1]
    if not given_groups(first) and len(first) > 1 and (given_groups(last) or len(last) == 1):
        first, last = last, first
    elif len(words) == 3 and not given_groups(first) and given_groups(words[1]):
        first, last = words[1], words[0]
    if len(first) == 1 or (len(first) == 2 and first.endswith(".")):
        return Name(name, surname_key(last), frozenset(), frozenset({initial(first)}))
    groups = given_groups(first)
    inits = set().union(*(group_initials(g) for g in groups)) | {initial(first)}
    return Name(name, surname_key(last), given_keys(first, of_name=True), frozenset(inits - {""}))


@dataclass
class NameIndex:
    """People by the keys of their names. Entities are opaque strings (record keys, IRIs)."""

    names: dict[str, list[Name]] = field(default_factory=dict)
    by_surname: dict[str, set[str]] = field(default_factory=dict)
    by_given: dict[str, set[str]] = field(default_factory=dict)
    keys: dict[frozenset[str], frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def add(self, entity: str, spellings: Iterable[str]) -> None:
        for spelling in (v for s in spellings for v in _double_surnames(s)):
            name = parse(spelling)
            if name is None or not name.surname:
                continue
            name = Name(name.spelling, name.surname, self._shared(name.given), self._shared(name.initials))
            self.names.setdefault(entity, []).append(name)
            self.by_surname.setdefault(name.surname, set()).add(entity)
            for key in name.given:
                self.by_given.setdefault(key, set()).add(entity)

    def __contains__(self, entity: str) -> bool:
        return entity in self.names

    def freeze(self) -> None:
        """Done adding: each key's people and each person's names as tuples (a set or a list each cost 150
        bytes more, at 80,000 persons 20 MiB a catalogue). Nothing can be added after."""
        self.names = {e: tuple(ns) for e, ns in self.names.items()}  # type: ignore[misc]
        self.by_surname = {k: tuple(es) for k, es in self.by_surname.items()}  # type: ignore[misc]
        self.by_given = {k: tuple(es) for k, es in self.by_given.items()}  # type: ignore[misc]
        self.keys = {}

    def _shared(self, keys: frozenset[str]) -> frozenset[str]:
        """One object per distinct set of keys in this index (a few hundred given names and initials among
        thousands of names)."""
        return self.keys.setdefault(keys, keys)

    def _fits(self, entity: str, surname_keys: frozenset[str], given: Token | None) -> bool:
        """The entity has a name with one of these surname keys whose given name (if any) fits `given`."""
        for n in self.names.get(entity, ()):
            if n.surname not in surname_keys:
                continue
            if given is None or not (n.given or n.initials):
                return True
            if given.is_initial:
                if initial(given.text) in n.initials:
                    return True
            elif n.given & given_keys(given.text):
                return True
        return False

    def match(self, name: str) -> set[str]:
        """The entities a written name may denote (word order, script, case and spelling set aside)."""
        parsed = parse(name)
        if parsed is None:
            return set()
        words = tokens(name)
        found: set[str] = set()
        for i, word in enumerate(words):
            keys = word_keys(word.text) | {surname_key(word.text)}
            people = {e for k in keys for e in self.by_surname.get(k, ())}
            others = words[:i] + words[i + 1:]
            for e in people:
                if not others or any(self._fits(e, keys, Token(o.start, o.end, o.text.rstrip("."))) for o in others):
                    found.add(e)
        return found

    def _given_like(self, tok: Token) -> bool:
        return tok.is_initial or bool(given_groups(tok.text)) or any(k in self.by_given for k in
                                                                        given_keys(tok.text))

    def find(self, text: str, near: Iterable[str] = ()) -> list[Mention]:
        """Every mention of an indexed person in `text` (an IRI or slug too: pass it percent-decoded), in order.
        `near`: entities whose misspelt full names (surname one letter off, beside their given name) are
        reported too, as form "near"."""
        toks = tokens(text)
        near_given = self._near_given(set(near))
        out: list[Mention] = []
        taken = -1  # the end of the last full mention: its words are not looked at again
        for i, tok in enumerate(toks):
            if tok.start < taken:
                continue
            keys = word_keys(tok.text)
            people = {e for k in keys for e in self.by_surname.get(k, ())}
            if people:
                mention = self._full(text, toks, i, keys, people, taken)
                if mention is not None:
                    if mention.entities:
                        out.append(mention)
                    taken = mention.end
                    continue
                out.append(Mention(tok.start, tok.end, tok.text, frozenset(people), "surname"))
            elif near_given and i + 1 < len(toks) and self._gap(text, tok, toks[i + 1]) and \
                    not any(k in self.by_surname for k in word_keys(toks[i + 1].text)):
                hit = self._near(tok, toks[i + 1], near_given)
                if hit:
                    out.append(Mention(tok.start, toks[i + 1].end, text[tok.start:toks[i + 1].end], hit, "near"))
                    taken = toks[i + 1].end
        return sorted(out, key=lambda m: m.start)

    @staticmethod
    def _gap(text: str, a: Token, b: Token) -> bool:
        """Words a and b may be parts of one name: CamelCase, or a short gap of spaces and joiners, with a full
        stop only after an initial or inside an identifier (never at the end of a sentence)."""
        if a.end == b.start:
            return text[a.end - 1].islower() and text[b.start].isupper()
        if a.end > b.start or _GAP.fullmatch(text, a.end, b.start) is None or text.count("\n", a.end, b.start) > 1:
            return False
        gap = text[a.end:b.start]
        return "." not in gap or a.is_initial or not any(c.isspace() for c in gap)

    def _full(self, text: str, toks: list[Token], i: int, keys: frozenset[str], people: set[str],
              taken: int) -> Mention | None:
        """The full mention around surname token i (given name or initial before it, or after it), an empty one
        when a given name beside it fits none of `people`, None when no given name stands beside it."""
        tok = toks[i]
        sides = []
        if i > 0 and toks[i - 1].start >= taken and self._gap(text, toks[i - 1], tok):
            j = i - 1
            if j > 0 and toks[j - 1].start >= taken and is_patronymic(toks[j].text) and \
                    self._gap(text, toks[j - 1], toks[j]):
                j -= 1  # given name, patronymic, surname
            sides.append((j, toks[j].start, tok.end))
        if i + 1 < len(toks) and self._gap(text, tok, toks[i + 1]):
            j = i + 1
            end = toks[j].end
            if j + 1 < len(toks) and is_patronymic(toks[j + 1].text) and self._gap(text, toks[j], toks[j + 1]):
                end = toks[j + 1].end  # surname, given name, patronymic
            sides.append((j, tok.start, end))
        seen_given = False
        for j, start, end in sides:
            other = toks[j]
            if not self._given_like(other):
                continue
            fit = frozenset(e for e in people if self._fits(e, keys, other))
            if fit:
                return Mention(start, end, text[start:end], fit, "initial" if other.is_initial else "full")
            # a given name that fits none of them makes somebody else's name, unless a comma stands between
            # (a list: "Zhdanovich, Mikalai Shpakouski" may be two people): then the surname stands alone
            seen_given |= "," not in text[min(tok.end, other.end):max(tok.start, other.start)]
        return Mention(tok.start, tok.end, tok.text, frozenset(), "other") if seen_given else None

    def _near_given(self, near: set[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for e in near:
            for n in self.names.get(e, ()):
                for k in n.given:
                    out.setdefault(k, set()).add(e)
        return out

    def _near(self, given: Token, surname: Token, near_given: dict[str, set[str]]) -> frozenset[str]:
        people = {e for k in given_keys(given.text) for e in near_given.get(k, ())}
        if not people or not surname.text[:1].isupper():
            return frozenset()
        keys = word_keys(surname.text)
        return frozenset(e for e in people for n in self.names[e] if len(n.surname) >= MIN_SKELETON and
                         any(Levenshtein.distance(n.surname, k, score_cutoff=1) <= 1 for k in keys))

    def find_in_iri(self, iri: str) -> list[Mention]:
        """Mentions in an IRI or a file name (percent-escapes decoded first; offsets are into the decoded text)."""
        return self.find(unquote(iri))

    def lookup(self, query: str, limit: int = 10, *, given_alone: bool = False) -> list[Match]:
        """Indexed people whose names fit `query` (any word order, script, case, diacritics or spelling), best
        first, each with the spelling that matched best (on a tie, one in the query's script), a 0–100 score
        and the form of the query. `given_alone`: a one-word query that is no indexed surname finds the
        people with that given name (in any of its spellings), as search does; identity never does."""
        folded = normalise(fold(_without_patronymic(query)))
        parsed = parse(query)
        people = self.match(query)
        form = "surname" if parsed is None or not (parsed.given or parsed.initials) else \
            "full" if parsed.given else "initial"
        words = tokens(query)
        if not people and given_alone and len(words) == 1 and not words[0].is_initial:
            people, form = {e for k in given_keys(words[0].text) for e in self.by_given.get(k, ())}, "given"
        cyrillic = _is_cyrillic(query)
        out = []
        for e in people:
            spellings = [(n.spelling, normalise(fold(n.spelling))) for n in self.names[e]]
            score = max(fuzz.token_sort_ratio(folded, f) for _, f in spellings)
            # Shown: a spelling in the query's script that holds the query's words best ("Лукашенко" shows
            # "Александр Лукашенко", not the closer-scoring "A. Lukashenka"); the score is the best of all.
            *_, spelling = max((_is_cyrillic(s) == cyrillic, fuzz.token_set_ratio(folded, f),
                                fuzz.token_sort_ratio(folded, f), s) for s, f in spellings)
            out.append(Match(e, score, spelling, form))
        return sorted(out, key=lambda m: (-m.score, m.entity))[:limit]


_DOUBLE = re.compile(r"\b([A-ZА-ЯЁІЎ][^\W\d_]+)-([A-ZА-ЯЁІЎ][^\W\d_]+)\b")


def _double_surnames(spelling: str) -> list[str]:
    """A name with a double surname (`Ihar Dabryniuk-Kavalenka`) and the name with each part alone: a text
    may write either part alone, and each part of the double one must be found as theirs."""
    m = _DOUBLE.search(spelling)
    if m is None or " " not in spelling.strip():
        return [spelling]
    return [spelling, *(spelling[:m.start()] + part + spelling[m.end():] for part in m.groups())]


def _without_patronymic(query: str) -> str:
    """A three-word name less its patronymic, for the spelling score: "Kazak Zinaida Ivanovna" and "Zinaida
    Ivanovna Kazak" are Zinaida Kazak written as court records and Russian-style lists write names, and the graph's
    spellings carry no patronymic to compare it with. Found by place, as parse() reads the name (a surname may
    end like a patronymic: Klimovich), and only a word that reads as one is left out."""
    words = tokens(query)
    if len(words) != 3 or any(w.is_initial for w in words):
        return query
    first, middle, last = words
    patronymic = middle if given_groups(first.text) else last if given_groups(middle.text) else None
    if patronymic is None or not is_patronymic(patronymic.text):
        return query
    return (query[:patronymic.start] + query[patronymic.end:]).strip()


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


def in_context(mentions: list[Mention], text: str) -> list[Mention]:
    """Mentions as a reader resolves them: a surname alone names whoever of its people the same text names in
    full; a lone given name of someone named in full becomes a mention of them."""
    anchors = {e for m in mentions if m.form in ("full", "initial") for e in m.entities}
    out = []
    for m in mentions:
        if m.form == "surname" and m.entities & anchors:
            m = Mention(m.start, m.end, m.text, m.entities & anchors, m.form)
        out.append(m)
    return out


def given_mentions(index: NameIndex, text: str, entities: set[str], taken: list[Mention]) -> Iterator[Mention]:
    """Lone given names of `entities` (people named in full in `text`) outside the mentions already found."""
    by_key: dict[str, set[str]] = {}
    for e in entities:
        for n in index.names.get(e, ()):
            for k in n.given:
                by_key.setdefault(k, set()).add(e)
    if not by_key:
        return
    spans = sorted((m.start, m.end) for m in taken)
    k = 0
    toks = tokens(text)
    for i, tok in enumerate(toks):
        while k < len(spans) and spans[k][1] <= tok.start:
            k += 1
        if k < len(spans) and spans[k][0] < tok.end:
            continue
        if not tok.text[:1].isupper() or tok.is_initial:
            continue
        if i + 1 < len(toks) and toks[i + 1].text[:1].isupper() and text[tok.end:toks[i + 1].start] == " ":
            continue  # "Dzmitry Kulakouski": the given name of someone else's full name
        people = {e for key in given_keys(tok.text) for e in by_key.get(key, ())}
        if people:
            yield Mention(tok.start, tok.end, tok.text, frozenset(people), "given")
