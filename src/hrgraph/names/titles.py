"""Names that are not people's — organisations, statements, legal provisions, mechanisms — and any name typed
as the start of its words (auto-completion): found by the folded words they are written with.

    index = TitleIndex()
    index.add("by-cc-342", ["Criminal Code of Belarus, Article 342"])
    index.lookup("Art. 342")            # [Match("by-cc-342", score, "Criminal Code of Belarus, Article 342")]
    index.lookup("ст. 342")             # the same: "ст." / "арт." / "art." are the word "article"
    index.lookup("crim co", prefix=True) # every word of the query starts a word of the name

Words are folded as names are (fold.py: case, diacritics, homoglyphs, Cyrillic → Latin), so "Вясна", "Viasna"
and "Viasná" are one word. Every word of the query must be a word of one spelling — or, with `prefix`, the start
of one (never for numbers: "34" is not article 342); a few words say nothing ("of", "the", "и") and are skipped.
Candidates come from a dictionary of words (prefixes through a sorted list), so a look-up reads the entities
that hold the query's words, not the whole index. Scores (0–100) rank what was found by how much of the
spelling the query covers.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from hrgraph.names.fold import fold
from hrgraph.names.index import Match

# Abbreviations and translations of "article" in the lists of the field (English, Russian, Belarusian, Polish).
ARTICLE = {"art", "arts", "article", "articles", "st", "stat", "statia", "statya", "stati", "statyi", "artykul",
           "artykula", "artykuly", "par", "para", "paragraph"}
SKIPPED = {"of", "the", "and", "on", "for", "in", "a", "an", "to", "i", "y", "na", "pa", "po", "v", "u", "ob",
           "ab", "dlia", "da", "no", "nr", "n", "number"}


# An article number is one word (23.34, 361-1); digits inside a word ("0lga") are left to fold.
NUMBER = re.compile(r"(?<![^\W\d_])\d+(?:[.\-‐–]\d+)*(?![^\W\d_])")


def words(text: str) -> list[str]:
    """The folded words that count, "article" in any language written as one word, numbers whole."""
    out, pos = [], 0
    for m in NUMBER.finditer(text):
        out += fold(text[pos:m.start()]).split()
        out.append(re.sub("[‐–]", "-", m.group()))
        pos = m.end()
    out += fold(text[pos:]).split()
    return ["article" if w in ARTICLE else w for w in out if w not in SKIPPED]


@dataclass
class TitleIndex:
    """Entities (opaque strings) by the folded words of their spellings."""

    spellings: dict[str, list[str] | tuple[str, ...]] = field(default_factory=dict)
    by_word: dict[str, set[str] | tuple[str, ...]] = field(default_factory=dict)
    _sorted: list[str] | None = field(default=None, repr=False)

    def freeze(self) -> None:
        """Done adding: each word's entities and each entity's spellings as tuples (a set or a list each was a
        sixth of a catalogue's memory at 80,000 persons). Nothing can be added after."""
        self.spellings = {e: tuple(s) for e, s in self.spellings.items()}
        self.by_word = {w: tuple(es) for w, es in self.by_word.items()}

    def add(self, entity: str, spellings: Iterable[str]) -> None:
        for spelling in spellings:
            ws = words(spelling)
            if not ws:
                continue
            self.spellings.setdefault(entity, []).append(spelling)  # type: ignore[union-attr]
            for w in ws:
                self.by_word.setdefault(w, set()).add(entity)  # type: ignore[union-attr]
        self._sorted = None

    def _starting(self, start: str) -> set[str]:
        """Entities with a word that starts with `start`."""
        if self._sorted is None:
            self._sorted = sorted(self.by_word)
        out: set[str] = set()
        i = bisect_left(self._sorted, start)
        while i < len(self._sorted) and self._sorted[i].startswith(start):
            out.update(self.by_word[self._sorted[i]])
            i += 1
        return out

    def _holding(self, word: str, prefix: bool) -> set[str]:
        if prefix and not word[:1].isdigit():
            return self._starting(word)
        return set(self.by_word.get(word, ()))

    def lookup(self, query: str, limit: int = 10, *, prefix: bool = False) -> list[Match]:
        """Entities one of whose spellings holds every word of `query` (with `prefix`: words starting with
        them), best first, with that spelling and a 0–100 score."""
        qs = words(query)
        if not qs:
            return []
        found: set[str] | None = None
        for w in sorted(set(qs), key=lambda w: len(self.by_word.get(w, ())) if not prefix else -len(w)):
            holding = self._holding(w, prefix)
            found = holding if found is None else found & holding
            if not found:
                return []
        out = []
        for e in found or ():
            best = max((self._score(qs, s, prefix), s) for s in self.spellings[e]
                       if _holds(words(s), qs, prefix))
            out.append(Match(e, best[0], best[1], "words"))
        return sorted(out, key=lambda m: (-m.score, m.entity))[:limit]

    @staticmethod
    def _score(qs: list[str], spelling: str, prefix: bool) -> float:
        """How much of the spelling the query covers: the letters of its words the query's words (or their
        starts) account for, on a square-root scale, so a one-word name asked in full scores 100."""
        ws = words(spelling)
        typed = sum(len(q) for q in qs)
        total = sum(len(w) for w in ws)
        if prefix:  # a typed start also leaves the rest of its word uncovered
            total = max(total, typed)
        return 100.0 * min(1.0, typed / total) ** 0.5


def _holds(ws: list[str], qs: list[str], prefix: bool) -> bool:
    """Every query word is a word of `ws` (or starts one)."""
    return all(any(w == q or (prefix and not q[:1].isdigit() and w.startswith(q)) for w in ws) for q in qs)
