"""The penalty a clause gives a person: "two and a half years of imprisonment", "3 years 6 months", "six years in
prison", "four years in a medium-security penal colony", "a five-year sentence", and the term a relative clause
names before its verb ("served two of the three years he was given under A").

A length that is no one's sentence is left alone: a range for a group ("terms from 12 to 16 years"), a maximum
of the law ("up to six years") or what a prosecutor asked for ("asked for five years"). Lengths given "...
respectively" go to the persons in their order, or to no one when the counts differ.
"""

from __future__ import annotations

import re

S = r"[\s\u00a0]"
NUMBER_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|\d+(?:[.,]\d+)?)"
HALF = rf"(?:{S}+and{S}+a{S}+half)?"
PENALTY = (rf"(?:{S}+(?:of{S}+)?(?:imprisonment|restricted{S}+freedom|restriction{S}+of{S}+(?:liberty|freedom)|"
           rf"administrative{S}+detention|arrest|home{S}+confinement|correctional{S}+labou?r|"
           rf"deprivation{S}+of{S}+liberty)(?:{S}+in{S}+an?{S}+[\w-]+(?:{S}+[\w-]+)?{S}+colony)?|"
           rf"{S}+in{S}+(?:prison|jail|an?{S}+(?:[\w-]+{S}+){{0,2}}(?:penal{S}+)?colony))?")
DURATION = (rf"{NUMBER_WORD}{HALF}{S}+(?:years?|months?|days?)(?:,?{S}+(?:and{S}+)?{NUMBER_WORD}{S}+months?)?")
TERM = re.compile(rf"\b(?:{DURATION}{PENALTY}|(?:an?{S}+)?{NUMBER_WORD}-(?:year|month){S}+(?:prison{S}+)?"
                  rf"(?:sentence|term)|(?:an?|one){S}+(?:more|additional|further){S}+(?:year|month){PENALTY})",
                  re.IGNORECASE)
NOT_A_SENTENCE = re.compile(rf"(?:\bfrom{S}+\S+{S}+to|\bup{S}+to|\bbetween{S}+\S+{S}+and|\b(?:asked|requested|"
                            rf"demanded|sought)(?:{S}+for)?(?:{S}+\S+){{0,3}}|\bfaces?(?:{S}+\S+){{0,2}}){S}*$")
RESPECTIVE = re.compile(rf"\b(?P<list>{NUMBER_WORD}{HALF}(?:(?:,{S}*|{S}+and{S}+){NUMBER_WORD}{HALF})+){S}+"
                        rf"(?P<unit>years?|months?)(?P<penalty>{PENALTY})", re.IGNORECASE)
ONE = re.compile(rf"{NUMBER_WORD}{HALF}", re.IGNORECASE)


def _clean(text: str) -> str:
    return re.sub(rf"{S}+", " ", text).strip()


def term(text: str, start: int, end: int) -> str | None:
    """The first sentence length in [start, end) that is someone's sentence."""
    for m in TERM.finditer(text, start, end):
        if not NOT_A_SENTENCE.search(text, max(0, m.start() - 40), m.start()):
            return _clean(m.group())
    return None


# "the three years (that) he was given", "the five years Ivan Lis received": a term the verb's own clause names
# before its subject (a relative clause on the sentence).
RELATIVE_SUBJECT = re.compile(rf"{S}+(?:that{S}+|which{S}+)?(?:he|she|they|[A-Z][\w'’-]+(?:{S}+[A-Z][\w'’-]+){{0,2}})"
                              rf"(?:{S}+(?:was|were|had|has|have)(?:{S}+been)?)?{S}+$")


def term_before(text: str, start: int, at: int) -> str | None:
    """The term of a relative clause whose verb is at `at` ("served two of the three years he was given")."""
    found = [m for m in TERM.finditer(text, start, at) if RELATIVE_SUBJECT.fullmatch(text, m.end(), at)]
    return _clean(found[-1].group()) if found else None


def respective_terms(text: str, start: int, end: int, count: int) -> list[str] | None:
    """"four and three years of imprisonment respectively": one length per person, in order."""
    if not re.search(r"\brespectively\b", text[start:end]):
        return None
    m = RESPECTIVE.search(text, start, end)
    if m is None:
        return None
    numbers = [n.group() for n in ONE.finditer(m.group("list"))]
    if len(numbers) != count:
        return None
    unit = m.group("unit").rstrip("s")
    return [_clean(f"{n} {unit}{'' if n.strip() in ('one', '1') else 's'}{m.group('penalty') or ''}")
            for n in numbers]
