"""The grammar the claim rules read: sentences, lists of persons, the subject or object of a predicate, and what
a pronoun refers to. Shallow on purpose (patterns over the words between mentions, no parser): a fact goes to the
person the clause is about, or to no one.

- A *run* is a list of persons ("X, Y and Z", "pensioner X and student Y").
- The *subject* of a predicate at offset p is the run that ends right before it, with only an apposition
  (", a teacher from Pinsk,"), a bracket ("(born 1971)"), a relative "who" and auxiliaries/adverbs between.
- The *object* of a verb is the run that starts right after it, with only descriptors between ("railway
  workers", "political prisoner", "the activist").
- A pronoun ("he", "she", "they", "all four", "both") refers to the subject of an earlier sentence of the item;
  "he"/"she" only to a single person whose name does not say the other gender.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hrgraph.pipeline.ingest.document import Span
from hrgraph.pipeline.ingest.names import fold
from hrgraph.pipeline.ingest.recognise import Mention

S = r"[\s\u00a0]"
HONORIFIC = rf"(?:Mr|Ms|Mrs|Dr|Mx)\.?{S}+"
SEP = re.compile(rf"{S}*(?:,|and|, and|&|,{S}+as well as){S}+(?:(?!(?:to|under|in|on|at|for|by|was|were|is|are|"
                 rf"has|had|who|whose|which|that|the{S}+court)\b)[a-z][a-z-]+{S}+){{0,2}}(?:{HONORIFIC})?|"
                 rf"{S}*(?:,|and|, and){S}*")
AUX = r"(?:was|were|is|are|has|have|had|been|being|later|also|reportedly|then|subsequently|allegedly|already|" \
      r"recently|again|first|unexpectedly|suddenly|tragically|himself|herself|themselves|both|all|each|now|finally|" \
      r"eventually|previously|once|still|not|never|formally|officially|only|on\s+\w+\s+\d+|on\s+\d+\s+\w+)"
APPOSITION = rf"(?:{S}*\([^()]*\))?(?:{S}*,(?:(?:[^,;:()]|\([^()]*\))*,){{1,3}})?"  # ", 46, a carpenter from Pinsk,"
SUBJECT_GAP = re.compile(rf"^{APPOSITION}(?:{S}*,?{S}*who|{S}*,{S}+(?:a|an|the){S}+[^,;:()]*?{S}+who|{S}*,)?"
                         rf"(?:{S}+{AUX})*{S}*$")
REDUCED_GAP = re.compile(rf"^{S}*,(?:{S}+(?:a|an|the){S}+[^,;:()]*?)?{S}*$")  # "X, a journalist serving ..."
DESCRIPTORS = re.compile(rf"^{S}*(?:(?:the|a|an|his|her|their|[Ff]ormer|[Pp]olitical|[Pp]risoners?|[a-z][a-z-]+){S}+|"
                         rf"\d{{1,3}}-year-old{S}+){{0,4}}(?:{HONORIFIC})?$")
NOT_DESCRIPTOR = re.compile(r"\b(?:to|under|in|on|at|for|with|from|after|that|which|who|was|were|is|are|of)\b|"
                            r"(?<!-)\b(?:years?|months?)\b(?!-)")
SENTENCE_END = re.compile(r"[.!?]+[\s\u00a0]+(?=[A-Z“\"•А-ЯЎІЁ])|;[\s\u00a0]*$")
PRONOUN = re.compile(r"(?i)\b(?P<p>he|she|they|him|her|his|them|their|all (?:four|three|two|five|six|of them)|"
                     r"both(?: of them)?"
                     r"|the (?:two|three|four) (?:men|women|activists|defendants)|the detained)\b")
FEMALE_ENDINGS = ("ava", "ova", "eva", "iva", "ina", "yna", "aya", "skaya", "tskaya", "kaya", "ya", "ia")
MALE_A_NAMES = {"mikita", "nikita", "illia", "ilya", "kuzma", "foma", "sava", "zmitrok", "ilia", "mikola", "luka"}


@dataclass(frozen=True)
class Run:
    persons: tuple[Mention, ...]
    start: int
    end: int


@dataclass
class Focus:
    """Who an item is about so far: the last subject, one person or a group."""

    single: Mention | None = None
    group: tuple[Mention, ...] = ()
    others: list[Mention] = field(default_factory=list)
    charged: dict[str, Mention] = field(default_factory=dict)  # persons convicted so far in the item ("all three")
    verdicts: dict[str, tuple[Mention | None, str]] = field(default_factory=dict)  # person -> (court, term)
    intro: Span | None = None  # the line that introduces the list being read ("... by the X Court:")

    def update(self, run: Run | None) -> None:
        if run is None:
            return
        if len(run.persons) == 1:
            self.single = run.persons[0]
        else:
            self.group = run.persons


def sentences(span: Span) -> list[Span]:
    """Sentences with offsets; an initial, "No." or "Art." does not end one."""
    out, start = [], 0
    for m in SENTENCE_END.finditer(span.text):
        before = span.text[max(0, m.start() - 5):m.start()]
        if re.search(r"(?:\b[A-Z]|\bNo|\bArt|\bSt|\bMr|\bMs|\bMrs|\bDr|\bPara|\bp|\bb)$", before):
            continue
        piece = span.text[start:m.end()].rstrip()
        out.append(Span(piece, span.start + start, span.start + start + len(piece)))
        start = m.end()
    if start < len(span.text):
        out.append(Span(span.text[start:], span.start + start, span.end))
    return [s for s in out if s.text.strip()]


def runs(text: str, people: list[Mention], start: int, end: int) -> list[Run]:
    """The lists of persons between offsets, in order."""
    mine = sorted((p for p in people if p.kind == "persons" and start <= p.start and p.end <= end),
                  key=lambda p: p.start)
    out: list[list[Mention]] = []
    ends: list[int] = []
    for p in mine:
        if out and p.start >= ends[-1] and p.ident == out[-1][-1].ident and \
                re.fullmatch(rf"{S}*\(", text[ends[-1]:p.start]) and text[p.end:p.end + 1] == ")":
            ends[-1] = p.end + 1  # the same person's other spelling in brackets: "X (Х)"
        elif out and p.start >= ends[-1] and SEP.fullmatch(text[ends[-1]:p.start]):
            out[-1].append(p)
            ends[-1] = p.end
        elif not out or p.start >= ends[-1]:
            out.append([p])
            ends.append(p.end)
    return [Run(_unique(r), r[0].start, e) for r, e in zip(out, ends, strict=True)]


def _unique(people: list[Mention]) -> tuple[Mention, ...]:
    seen: dict[str, Mention] = {}
    for p in people:
        seen.setdefault(p.ident, p)
    return tuple(seen.values())


def subject(text: str, all_runs: list[Run], at: int, start: int, reduced: bool = False) -> Run | None:
    """The run that is the subject of a predicate at `at` (a verb), within [start, at)."""
    before = [r for r in all_runs if start <= r.start and r.end <= at]
    if not before:
        return None
    r = before[-1]
    gap = text[r.end:at]
    if re.match(rf"{S}*\)", gap) and re.search(rf"\({S}*$", text[start:r.start]):
        gap = gap.split(")", 1)[1]  # "two journalists (X and Y) were detained": the bracket names the subject
    if SUBJECT_GAP.match(gap) or (reduced and REDUCED_GAP.match(gap)):
        return r
    return None


BE = re.compile(rf"\b(?:was|were|is|are|been|being|be|get|got|gets)\b(?:{S}+\w+)?{S}*$")
PREDICATE = re.compile(r"\b(?:was|were|is|are|has|have|had|[a-z]+ed)\b")
COORDINATED = re.compile(rf"(?:\band|,{S}*having{S}+been|\b(?:after|before|upon){S}+being)(?:{S}+{AUX})*{S}*$")


COUNT = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def named_after_colon(text: str, all_runs: list[Run], word: str, at: int, end: int) -> tuple[Mention, ...]:
    """A counted group named later in its sentence, after a colon ("found all six guilty under A: she sentenced
    X and Y to ..., Z to ..."): the persons after the colon, when there are exactly that many."""
    count = next((n for w, n in COUNT.items() if w in word.lower().split()), None)
    colon = text.find(":", at, end)
    if count is None or colon < 0:
        return ()
    people = tuple(dict.fromkeys(p for r in all_runs if colon < r.start and r.end <= end for p in r.persons))
    return people if len(people) == count else ()


def not_the_actor(text: str, all_runs: list[Run], at: int, start: int) -> list[Run]:
    """The runs before an active verb at `at` that its object pronoun may refer to: not the verb's own subject
    ("Judge X of the Y Court convicted him": never X), the run right before the verb with no predicate between."""
    before = [r for r in all_runs if r.end <= at]
    if before and before[-1].start >= start and not PREDICATE.search(text, before[-1].end, at):
        return before[:-1]
    return before


def shared_subject(text: str, all_runs: list[Run], at: int, start: int) -> Run | None:
    """The subject a second predicate shares with the first ("X was detained in May and sentenced ...", "X, who
    was convicted in 2022, has served it and is now ...", "X was released, having been sentenced ..."): the
    subject of the clause's first predicate, when no other person stands between it and the second."""
    m = COORDINATED.search(text, start, at)
    if m is None:
        return None
    for p in PREDICATE.finditer(text, start, m.start()):
        if (run := subject(text, all_runs, p.start(), start, reduced=True)) is not None:
            others = [r for r in all_runs if run.end <= r.start and r.end <= at]
            return None if others else run
    return None


LINE_HEAD = re.compile(rf"[•*\-–]{S}*(?:{S}*\S+){{0,4}}?{S}*[—–:]{S}*|[•*\-–]{S}*|(?:\d{{1,2}}{S}+[A-Z][a-z]+|"
                       rf"[A-Z][a-z]+{S}+\d{{1,2}},?|\d{{1,2}}[./]\d{{1,2}}[./])(?:{S}*\d{{4}})?{S}*[—–:-]{S}*")


def topic(text: str, all_runs: list[Run], focus: Focus, at: int, start: int) -> tuple[Mention, ...]:
    """The subject a list line leaves out ("• 16 September 2022 — charged under Article 342", under a title
    about one person): the person the item is about, when nothing but a bullet or a date stands before the
    predicate and no person follows it in the line."""
    if focus.single is None or not LINE_HEAD.fullmatch(text, start, at) or \
            any(r.start >= start for r in all_runs if r.start < at or r.start - at < 12):
        return ()
    return (focus.single,)


def passive(text: str, all_runs: list[Run], at: int, start: int) -> bool:
    """The verb at `at` is a passive participle: a form of "be" right before it (one adverb between allowed), or
    it follows a person and a comma ("X, detained in Lida, ...")."""
    before = [r for r in all_runs if start <= r.start and r.end <= at]
    head = text[before[-1].end if before else start:at]
    return bool(BE.search(head) or (before and REDUCED_GAP.match(head)))


def obj(text: str, all_runs: list[Run], at: int, end: int) -> Run | None:
    """The run that is the object of a verb ending at `at`: right after it, descriptors allowed between."""
    after = [r for r in all_runs if at <= r.start and r.end <= end]
    if not after:
        return None
    gap = text[at:after[0].start]
    if DESCRIPTORS.match(gap) and not NOT_DESCRIPTOR.search(gap):
        return after[0]
    return None


def gender(person: Mention) -> str | None:
    """'f', 'm' or None from the shape of a name of the region (surname ending first, then the given name)."""
    words = fold(person.label).split()
    if not words:
        return None
    last, first = words[-1], words[0].rstrip(".")
    if last.endswith(("skaya", "tskaya", "ava", "ova", "eva", "ina", "yna", "aya")):
        return "f"
    if last.endswith(("ski", "sky", "au", "ou", "ov", "ev", "in")):  # -ich / -vich: women carry them too
        return "m"
    if len(first) > 2 and first.endswith(("a", "ia", "ya")) and first not in MALE_A_NAMES:
        return "f"
    return "m" if len(first) > 2 else None


def antecedent(word: str, focus: Focus, local: list[Run]) -> tuple[Mention, ...]:
    """The persons a pronoun refers to: a run earlier in the sentence, else the item's focus."""
    w = word.lower()
    plural = w in ("they", "them", "their", "the detained") or w.startswith(("all ", "the ", "both"))
    if plural:
        group = next((r.persons for r in reversed(local) if len(r.persons) > 1), ()) or focus.group
        count = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}.get(w.split()[-1])
        if count is not None and len(group) != count and len(focus.charged) == count:
            return tuple(focus.charged.values())  # "All three were detained": the three sentenced before
        return group if count is None or len(group) == count else ()
    want = "f" if w in ("she", "her") else "m" if w in ("he", "him", "his") else None
    candidates = [r.persons[0] for r in reversed(local) if len(r.persons) == 1] + \
        ([focus.single] if focus.single else [])
    for p in candidates:
        g = gender(p)
        if g is None or want is None or g == want:
            return (p,)
        break  # the nearest person does not fit: refuse rather than skip to another one
    return ()


def clause_bounds(sentence: Span, start: int, end: int, text: str) -> tuple[int, int]:
    """The clause of a sentence around [start, end): cut at ';', at a colon, and before ', while', ', but'."""
    left = sentence.start
    for m in re.finditer(r";|:(?!\d)|,\s+(?:while|but|whereas)\s+", text[sentence.start:start]):
        left = sentence.start + m.end()
    right = sentence.end
    if m := re.search(r";|,\s+(?:while|but|whereas)\s+|\.\s*$", text[end:sentence.end]):
        right = end + m.start()
    return left, right


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to whole words and trimmed of spaces and dangling punctuation."""
    while 0 < start < len(text) and text[start].isalnum() and (text[start - 1].isalnum() or text[start - 1] in "-’'"):
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and (text[end].isalnum() or text[end] in "-’'"):
        end += 1
    while start < end and text[start] in " \t\n\u00a0,;:•":
        start += 1
    while end > start and text[end - 1] in " \t\n\u00a0,;:":
        end -= 1
    return start, end
