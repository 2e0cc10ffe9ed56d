"""Masking protected persons in text, keys, file names and IRIs: the names index applied to every string.

A `Masker` knows every person whose name shares a surname with a protected one (so that a namesake can be
told apart) and which of them are withheld. A mention whose people are all withheld is masked: in what is published
(`hide`) and printed (`redact`) it becomes `███` whatever its length, since a length narrows down who it is
(evidence offsets are mapped onto the masked text: `Hidden.at`); `mask` keeps lengths, for a tool that cuts
context out of the original around the same offsets. A mention that may be a withheld person or someone else (a
surname two people share, a misspelt name beside the protected person's given name) is *ambiguous*: masked
in a value, and the caller withholds a source text that has one. Values of restricted fields are masked
wherever they occur, as strings (they are not names). Keys, file names and IRIs that name a withheld person
are replaced by `withheld-<12 hex>`: a keyed hash (HMAC) with a salt that never leaves var/private/, so the
replacement is stable across builds and cannot be reversed by hashing candidate names.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from urllib.parse import unquote

from hrgraph.names import NameIndex, given_mentions, in_context, parse

MASK = "█"
TOKEN = MASK * 3  # what a masked name becomes in anything published or printed: the same whatever its length
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_])")  # a word hyphenated at the end of a line
_RUN = re.compile(rf"{MASK}+(?:[\s.,'’-]*{MASK}+)*")  # one masked name, or several side by side
MIN_VALUE_SECRET = 6


@dataclass
class Masker:
    index: NameIndex = field(default_factory=NameIndex)
    withheld: set[str] = field(default_factory=set)  # entities (IRIs) whose every mention is masked
    secrets: set[str] = field(default_factory=set)  # restricted field values, masked as strings
    salt: bytes = b""
    _secret_re: re.Pattern[str] | None = None

    @property
    def active(self) -> bool:
        return bool(self.withheld or self.secrets)

    def add_person(self, entity: str, names: list[str], withheld: bool) -> None:
        self.index.add(entity, names)
        if withheld:
            self.withheld.add(entity)

    def shares_a_surname(self, names: list[str]) -> bool:
        """Whether a person with these names could be confused with an indexed one (same surname key)."""
        return any((n := parse(s)) is not None and n.surname in self.index.by_surname for s in names)

    def add_secret(self, value: str) -> None:
        if len(value.strip()) >= MIN_VALUE_SECRET:
            self.secrets.add(value.strip())
            self._secret_re = None

    def _secret_pattern(self) -> re.Pattern[str] | None:
        if self._secret_re is None and self.secrets:
            parts = [r"\s+".join(map(re.escape, s.split())) for s in sorted(self.secrets, key=len, reverse=True)]
            self._secret_re = re.compile("|".join(p for p in parts if p), re.IGNORECASE)
        return self._secret_re

    def spans(self, text: str) -> tuple[list[tuple[int, int]], bool]:
        """The spans to mask in `text`, and whether a mention could not be told apart from a withheld person."""
        if not self.active or not text:
            return [], False
        out: list[tuple[int, int]] = []
        ambiguous = False
        text = _HYPHENATED.sub("\u00ad\u00ad", text)  # "Dabry-\nniuk" is one word (same length: offsets hold)
        if self.withheld:
            mentions = in_context(self.index.find(text, near=self.withheld), text)
            named = {e for m in mentions if m.form in ("full", "initial") for e in m.entities} & self.withheld
            mentions += list(given_mentions(self.index, text, named, mentions))
            for m in mentions:
                hit = m.entities & self.withheld
                if not hit:
                    continue
                out.append((m.start, m.end))
                ambiguous |= m.form == "near" or hit != m.entities
        if (pattern := self._secret_pattern()) is not None:
            out += [(m.start(), m.end()) for m in pattern.finditer(text)]
        return out, ambiguous

    def leaks(self, text: str) -> bool:
        """Whether `text` still names a withheld person for certain (their people are all withheld), or holds
        a secret: the check of what is about to be published, read without the document around it."""
        if not self.active or not text:
            return False
        text = _HYPHENATED.sub("\u00ad\u00ad", text)
        if self.withheld and any(m.entities and m.entities <= self.withheld and m.form != "near"
                                 for m in in_context(self.index.find(unquote(text)), text)):
            return True
        pattern = self._secret_pattern()
        return pattern is not None and pattern.search(text) is not None

    def mask(self, text: str) -> tuple[str, bool]:
        """`text` with every span masked (same length), and whether it had an ambiguous mention."""
        spans, ambiguous = self.spans(text)
        if not spans:
            return text, ambiguous
        chars = list(text)
        for a, b in spans:
            chars[a:b] = MASK * (b - a)
        return "".join(chars), ambiguous

    def redact(self, text: str) -> str:
        """`text` for a message (build, ingest, review, the private report): masked, each masked name one
        `███` whatever its length (a length narrows down who it is; messages have no offsets to keep)."""
        return _RUN.sub(TOKEN, self.mask(text)[0])

    def hide(self, text: str) -> Hidden:
        """`text` as published: each masked span (a name, a restricted value) replaced by `███`, whatever
        its length (a length narrows down who it is), with the way back to the offsets of the original."""
        spans, ambiguous = self.spans(text)
        if not spans:
            return Hidden(text, ambiguous)
        merged: list[tuple[int, int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        parts, last = [], 0
        for a, b in merged:
            parts += [text[last:a], TOKEN]
            last = b
        parts.append(text[last:])
        shifts = tuple(accumulate((len(TOKEN) - (b - a) for a, b in merged), initial=0))
        return Hidden("".join(parts), ambiguous, tuple(merged), tuple(a for a, _ in merged), shifts)

    def names(self, text: str) -> bool:
        """Whether a key, file name, IRI or URL names (or may name) a withheld person or holds a secret."""
        return bool(self.spans(unquote(text))[0])

    def token(self, text: str) -> str:
        return "withheld-" + hmac.new(self.salt, text.encode("utf-8"), hashlib.sha256).hexdigest()[:12]

    def rename_iri(self, iri: str) -> str:
        """An IRI whose path names a withheld person, with that path segment replaced (fragment kept)."""
        base, hash_, fragment = iri.partition("#")
        if fragment and self.names(fragment):
            fragment = self.token(fragment)
        if self.names(base):
            head = base.rstrip("/").rpartition("/")[0]
            if self.names(head):  # keep only scheme and host
                scheme, _, rest = head.partition("//")
                head = f"{scheme}//{rest.split('/')[0]}"
            base = f"{head}/{self.token(base)}"
        return base + (hash_ + fragment if hash_ else "")


@dataclass(frozen=True)
class Hidden:
    """A text with its masked spans replaced by `TOKEN`, and the spans (merged, in order) they replaced."""

    text: str
    ambiguous: bool = False
    spans: tuple[tuple[int, int], ...] = ()
    starts: tuple[int, ...] = ()
    shifts: tuple[int, ...] = (0,)  # how far the text after the first i spans moved

    def at(self, offset: int, end: bool = False) -> int:
        """Where an offset of the original text is in `text`: one inside a masked span goes to the start of
        its token (an `end` offset to the token's end), so a quote cut inside a name takes the whole token."""
        i = bisect_right(self.starts, offset - 1 if end else offset) - 1
        if i < 0:
            return offset
        a, b = self.spans[i]
        if offset >= b:
            return offset + self.shifts[i + 1]
        return a + self.shifts[i] + (len(TOKEN) if end and offset > a else 0)

