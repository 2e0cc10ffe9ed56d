"""Keys for the parts of a name: every spelling, script and inflected form of one surname shares a key.

A folded word (fold.py) is normalised by rules that undo what the romanisations of Belarusian and Russian
disagree on (Belarusian h / Russian g / kh; ts and c for ц; dz for д; ŭ written u, w or v; ch for ч in
English and for х in Łacinka; y, j and i; x and ks; Polish cz, sz), then reduced to a consonant skeleton:
its first letter (any vowel, y or j as one class) and its consonants, doubled letters collapsed. Vowels go,
so akanne (Karatkevich / Korotkevich) and the vowel endings of case forms need no rule. Consonant case
endings (-am, -om, -ym, -aha/-ogo, -amu/-omu, English 's) are stripped from words found in text, never
from the names a key is made from, so one word has a few candidate keys and a name exactly one.

A skeleton shorter than 4 letters says too little ("Lis" would meet "less" and "loss"): such a surname is
keyed by its vowel-preserving form instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hrgraph.names.fold import fold_word, readings

_DIGRAPHS = [
    (re.compile(r"chtch"), "shch"), (re.compile(r"tsch|tch"), "ch"), (re.compile(r"s?sch|sc(?=[iyeu])"), "sh"),
    (re.compile(r"cz"), "ch"), (re.compile(r"sz"), "sh"), (re.compile(r"x"), "ks"), (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"), (re.compile(r"q"), "k"), (re.compile(r"kh|ch|g"), "h"), (re.compile(r"dz"), "d"),
    (re.compile(r"ts|c"), "t"), (re.compile(r"[yj]"), "i"),
]
_U_AS_V = re.compile(r"(?<=[aeiou])u(?=[^aeiou]|$)")  # Belarusian ў: Paulau / Pavlov, Siamaška / Semashko
_VOWELS = re.compile(r"[aeiou]")
_DOUBLE = re.compile(r"(.)\1+")
# Case endings of Belarusian and Russian surnames (and the English possessive), as normalised above; vowel
# endings need none, since the skeleton drops vowels. Stripped only from words of text, longest first.
ENDINGS = ("aiu", "oiu", "uiu", "iaha", "aha", "oho", "eho", "amu", "omu", "emu", "ami", "ovi", "evi", "es",
           "am", "om", "em", "im", "s")
# Case endings of given names with a soft stem (Игорь: Игоря, Игорю; Ігар: Ігара), as normalised: tried only
# against the table of given names, never to make a key.
SOFT_ENDINGS = ("iem", "iom", "ia", "iu", "ie")
MIN_SKELETON = 4
PATRONYMIC = re.compile(r"(?:vh|vn)$")  # -avich / -ovich / -evich, -auna / -ovna / -evna


def normalise(folded: str) -> str:
    """A folded word with the romanisations' disagreements undone (vowels kept)."""
    s = folded
    for pattern, repl in _DIGRAPHS:
        s = pattern.sub(repl, s)
    return s


def _skeleton(norm: str) -> str:
    if not norm:
        return ""
    norm = _U_AS_V.sub("v", norm)
    head = "_" if norm[0] in "aeiou" else norm[0]
    return _DOUBLE.sub(r"\1", head + _VOWELS.sub("", norm[1:]))


def _short_form(norm: str) -> str:
    """The vowel-keeping key of a short surname: akanne (o → a) and iotation (ie, io) undone."""
    s = norm.replace("ie", "e").replace("io", "o").replace("ou", "u").replace("o", "a")
    return "=" + _DOUBLE.sub(r"\1", s)


def _key(norm: str) -> str:
    skel = _skeleton(norm)
    return skel if len(skel) >= MIN_SKELETON else _short_form(norm)


@lru_cache(maxsize=262_144)
def surname_key(word: str) -> str:
    """The one key of a surname as a curator writes it (nominative, any script or spelling)."""
    return _key(normalise(fold_word(readings(word)[0])))


# Spellings that mean one thing in one system and another in the next: a word of text is tried both ways.
AMBIGUOUS = ((re.compile("cz"), "ts"),  # Polish ч, or GOST 7.79-B ц (Voronczevich)
             (re.compile("ou"), "u"),  # Belarusian оў (Tsikhanouski), or French у (Loutsik)
             (re.compile("(?<!t)ch"), "sh"))  # English ч, or French ш (Chpakovski; French ч is tch)


def _variants(folded: str) -> set[str]:
    out = {folded}
    for spelled, meant in AMBIGUOUS:
        out |= {spelled.sub(meant, v) for v in out if spelled.search(v)}
    return {normalise(v) for v in out}


@lru_cache(maxsize=262_144)
def word_keys(word: str) -> frozenset[str]:
    """Every key a word of running text may stand for: each reading, as written and without a case ending."""
    out: set[str] = set()
    for norm in {n for reading in readings(word) for n in _variants(fold_word(reading))}:
        out.add(_key(norm))
        for ending in ENDINGS:
            if norm.endswith(ending) and len(norm) - len(ending) >= 3:
                out.add(_key(norm[: -len(ending)]))
        if norm[-1:] in ("a", "e", "i", "o", "u") and len(_skeleton(norm)) < MIN_SKELETON + 1:
            out.add(_short_form(norm[:-1]))  # a vowel ending matters only to a short surname's vowel-keeping key
    out.discard("")
    out.discard("=")
    return frozenset(out)


@lru_cache(maxsize=65_536)
def initial(word: str) -> str:
    """The class of a word's first letter as an initial: vowels, y and j (Yury / Iurii / Juri / Юрый) are one."""
    folded = normalise(fold_word(readings(word)[0]))
    return "" if not folded else "_" if folded[0] in "aeiou" else folded[0]


def is_patronymic(word: str) -> bool:
    return any(PATRONYMIC.search(k) for k in word_keys(word))


@lru_cache(maxsize=1)
def _given_table() -> dict[str, str]:
    from hrgraph.names.given import GIVEN_NAMES

    return {normalise(fold_word(s)): group for group, spellings in GIVEN_NAMES.items() for s in spellings}


@lru_cache(maxsize=262_144)
def given_groups(word: str) -> frozenset[str]:
    """The given-name groups a word may be, in any case form ("Кірыла" → kiryl, "Ірыны" → iryna)."""
    table = _given_table()
    out: set[str] = set()
    for reading in readings(word):
        norm = normalise(fold_word(reading))
        stems = {norm} | {norm[: -len(e)] for e in ENDINGS + SOFT_ENDINGS if norm.endswith(e) and
                          len(norm) - len(e) >= 2}
        if norm[-1:] in ("a", "e", "i", "o", "u"):
            stems.add(norm[:-1])
        for stem in stems:
            for candidate in (stem, stem + "a", stem + "i"):
                if group := table.get(candidate):
                    out.add(group)
    return frozenset(out)


def given_keys(word: str, *, of_name: bool = False) -> frozenset[str]:
    """Keys of a given name: its group(s) in the table, and (for names the table lacks) its own surname-style
    key. `of_name`: the word is from a name a curator wrote (nominative), not from running text."""
    groups = {"@" + g for g in given_groups(word)}
    own = {surname_key(word)} if of_name else set(word_keys(word))
    return frozenset(groups | own)


@lru_cache(maxsize=4_096)
def group_initials(group: str) -> frozenset[str]:
    """Every initial the spellings of a given-name group start with (Yauhen / Evgeny / Яўген → {_})."""
    from hrgraph.names.given import GIVEN_NAMES

    return frozenset(initial(s) for s in GIVEN_NAMES.get(group, ())) - {""}
