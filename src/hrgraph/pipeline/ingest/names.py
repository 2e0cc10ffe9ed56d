"""Name keys of ingest identity: the transliteration rules that make one person's spellings collapse to one key.

The given names (Belarusian Latin, Russian-style and English spellings, Cyrillic, grouped so that every
spelling of one name shares a group) are hrgraph.names.given, the project's one table; no surnames. Surnames
are compared by a phonetic skeleton that undoes the usual differences between the Belarusian, Russian and
English romanisations (-au/-ov, h/g, dz/d, -ski/-sky, ia/ya/e, akanne a/o).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from hrgraph.names.given import GIVEN_NAMES

# One table of given names for the whole project: hrgraph.names.given (restriction, identity, search).
GIVEN_GROUP: dict[str, str] = {spelling.casefold(): group for group, names in GIVEN_NAMES.items() for spelling in names}

CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўґє",
    ["a", "b", "v", "h", "d", "e", "io", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
     "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia", "i", "u", "g", "ie"], strict=True))

# ordered rewrites that undo romanisation differences (applied to lowercase ASCII)
_SKELETON_RULES = [
    (re.compile(r"x"), "ks"), (re.compile(r"w"), "v"), (re.compile(r"kh"), "h"), (re.compile(r"g"), "h"),
    (re.compile(r"dz"), "d"), (re.compile(r"ts"), "t"), (re.compile(r"sch"), "sh"), (re.compile(r"c(?!h)"), "t"),
    (re.compile(r"(?<=[aeiouy])[uw](?=[^aeiouy]|$)"), "v"),  # Belarusian ў: Paulau/Pavlov, Zvozskau/Zvozskov
    (re.compile(r"sk(?:i|y|ii|iy|ij|yi)$"), "sk"), (re.compile(r"y"), "i"), (re.compile(r"j"), "i"),
]
_VOWELS = re.compile(r"[aeiou]")


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Lowercase ASCII: Cyrillic transliterated, diacritics and apostrophes dropped (Vićba -> vicba)."""
    out = []
    for ch in text.casefold():
        if ch in CYRILLIC:
            out.append(CYRILLIC[ch])
            continue
        base = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in base if not unicodedata.combining(c)))
    return re.sub(r"['’ʼ`]", "", "".join(out))


@lru_cache(maxsize=65_536)
def skeleton(word: str) -> str:
    """A surname reduced to what every romanisation agrees on: first letter + consonants, doubled letters
    collapsed (Aliaksandrau / Aleksandrov / Alexandrov -> alksndrv)."""
    s = re.sub(r"[^a-z]", "", fold(word))
    for pattern, repl in _SKELETON_RULES:
        s = pattern.sub(repl, s)
    if not s:
        return ""
    body = _VOWELS.sub("", s[1:].replace("i", ""))
    return re.sub(r"(.)\1+", r"\1", s[0] + body)


def given_group(word: str) -> str | None:
    """The canonical group of a given name in any listed spelling, else None."""
    return GIVEN_GROUP.get(word.casefold()) or GIVEN_GROUP.get(fold(word))


def is_given_name(word: str) -> bool:
    return given_group(word) is not None


def initials_of(group: str) -> set[str]:
    """Every initial a name's spellings start with (Yauhen/Evgeny -> {y, e})."""
    return {fold(n)[:1] for n in GIVEN_NAMES.get(group, (group,)) if fold(n)}


@lru_cache(maxsize=65_536)
def name_key(name: str) -> str:
    """One key for every spelling of one name: `<given group>|<surname skeleton>`; an initial keeps its letter
    (`a.|lkshnk`), matched to full names by `same_person_name`."""
    tokens = [t for t in re.split(r"[\s\u00a0]+", name.strip()) if t]
    if len(tokens) < 2:
        return "|" + skeleton(name)
    first, last = tokens[0], tokens[-1]
    if re.fullmatch(r"[^\W\d_]\.", first):
        return f"{fold(first[0])}.|{skeleton(last)}"
    group = given_group(first) or fold(first)
    return f"{group}|{skeleton(last)}"


def same_person_name(a: str, b: str) -> bool:
    """Two name keys that may denote one person: equal, or an initial that fits the other's given name."""
    if a == b:
        return True
    ga, _, sa = a.partition("|")
    gb, _, sb = b.partition("|")
    if sa != sb or not sa:
        return False
    if ga.endswith(".") and not gb.endswith("."):
        return ga[0] in initials_of(gb)
    if gb.endswith(".") and not ga.endswith("."):
        return gb[0] in initials_of(ga)
    return False


def slug(text: str, limit: int = 60) -> str:
    """A key from a label: lowercase ASCII words joined by hyphens, cut at a word boundary."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > limit and out:
            break
        out = f"{out}-{w}" if out else w
    return out or "x"
