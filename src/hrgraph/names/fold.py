"""Text → comparable ASCII, one word at a time: homoglyphs, diacritics, transliteration systems, case.

A word is folded to lowercase ASCII in which every romanisation of one Belarusian or Russian name agrees as
far as letters can: Cyrillic goes through anyascii (a maintained Unicode → ASCII table), and the Latin letters
that the field's transliteration systems write with diacritics are first spelled out the way the English-style
systems write them (Łacinka and the national 2007 system "č, š, ž, ŭ, ć", ISO 9 "ŝ, â, û, ë", ALA-LC's
tie bars), so that "Klimovič", "Klimovich" and "Клімовіч" fold alike. Letters of another script hidden in a
word (a Cyrillic "К" or "а" inside a Latin word, a Latin "o" inside a Cyrillic one) are mapped to their
look-alike in the word's own script first, from the Unicode confusables table (confusable-homoglyphs):
anyascii alone would read a Cyrillic "р" inside a Latin word as "r".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Latin letters of the field's transliteration systems whose plain ASCII base would lose a distinction.
LATIN_LETTERS = {
    "č": "ch", "š": "sh", "ž": "zh", "ŝ": "shch", "ć": "ts", "ś": "s", "ź": "z", "ń": "n", "ł": "l", "ŭ": "u",
    "ǔ": "u", "â": "ia", "û": "iu", "ë": "io", "è": "e", "ì": "i", "ė": "e", "ǯ": "dzh", "ẑ": "zh", "ĉ": "ch",
    "ĥ": "kh", "ŷ": "y", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ŀ": "l",
}
# Characters that may sit inside a written word without being letters: combining marks (ALA-LC tie bars,
# decomposed accents), apostrophes of Belarusian and Ukrainian spelling, soft hyphens and zero-width marks.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
APOSTROPHES = "'’ʼ`ʹʺ′"
WORD = re.compile(rf"(?:[^\W_]|[\u0300-\u036f{INVISIBLE}])+(?:[{APOSTROPHES}](?:[^\W_]|[\u0300-\u036f{INVISIBLE}])+)*")
_DROP = re.compile(rf"[\u0300-\u036f{INVISIBLE}{APOSTROPHES}]")
DIGIT_LOOKALIKES = {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"}


def _script(ch: str) -> str:
    if ch.isascii():
        return "latin" if ch.isalpha() else ""
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0].lower() if ch.isalpha() else ""


def _prefer_same_case(table: dict[str, str], key: str, value: str) -> None:
    """Map `key` to `value` unless it has a look-alike already, one of its own case over one of the other."""
    if key not in table or (table[key].isupper() != key.isupper() and value.isupper() == key.isupper()):
        table[key] = value


@lru_cache(maxsize=1)
def _lookalikes() -> tuple[dict[str, str], dict[str, str]]:
    """Letter → its look-alike in Latin, and Latin letter → its look-alike in Cyrillic (Unicode confusables)."""
    from confusable_homoglyphs import confusables

    to_latin: dict[str, str] = {}
    to_cyrillic: dict[str, str] = {}
    for latin in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for hit in confusables.is_confusable(latin, preferred_aliases=["cyrillic"], greedy=True) or []:
            for glyph in hit["homoglyphs"]:
                c = glyph["c"]
                if len(c) == 1 and c.isalpha():
                    _prefer_same_case(to_latin, c, latin)  # a capital І is an I, not an l
                    if _script(c) == "cyrillic":
                        _prefer_same_case(to_cyrillic, latin, c)
    for lat, cyr in (("K", "К"), ("k", "к"), ("M", "М"), ("H", "Н"), ("T", "Т"), ("B", "В"), ("I", "І")):
        _prefer_same_case(to_latin, cyr, lat)  # capitals the table pairs only one way (or with an l)
        _prefer_same_case(to_cyrillic, lat, cyr)
    return to_latin, to_cyrillic


@lru_cache(maxsize=262_144)
def readings(word: str) -> tuple[str, ...]:
    """The word as it may be meant: itself, or (a word mixing scripts or letters with digits) with the
    look-alikes of the minority script mapped to the majority's, trying both when it is a tie."""
    word = unicodedata.normalize("NFKC", word)
    scripts: dict[str, int] = {}
    for ch in word:
        if s := _script(ch):
            scripts[s] = scripts.get(s, 0) + 1
    digits = any(ch.isdigit() for ch in word)
    if not scripts or (len(scripts) == 1 and not digits):  # a number is itself, never the letters it resembles
        return (word,)
    to_latin, to_cyrillic = _lookalikes()
    out = []
    latin = "".join(to_latin.get(ch, DIGIT_LOOKALIKES.get(ch, ch)) for ch in word)
    cyrillic = "".join(to_cyrillic.get(to_latin.get(ch, DIGIT_LOOKALIKES.get(ch, ch)), ch)
                       if _script(ch) in ("latin", "") else ch for ch in word)
    lat, cyr = scripts.get("latin", 0), scripts.get("cyrillic", 0)
    if lat >= cyr:
        out.append(latin)
        if "1" in word:  # a digit one stands for an l or an i
            out.append("".join("i" if a == "1" else b for a, b in zip(word, latin, strict=True)))
    if cyr >= lat and cyr:
        out.append(cyrillic)
    return tuple(dict.fromkeys(out or [latin]))


@lru_cache(maxsize=262_144)
def fold_word(word: str) -> str:
    """One reading of a word as lowercase ASCII letters (no apostrophes, marks or invisible characters)."""
    word = _DROP.sub("", unicodedata.normalize("NFC", word)).casefold()
    spelled = "".join(LATIN_LETTERS.get(ch, ch) for ch in word)
    return re.sub(r"[^a-z0-9]", "", anyascii(spelled).lower())


def fold(text: str) -> str:
    """Text compared loosely: every word folded (first reading), joined by single spaces."""
    return " ".join(fold_word(readings(m.group())[0]) for m in WORD.finditer(text))
