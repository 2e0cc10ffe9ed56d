"""The stored source documents (`data/sources/`) and locating evidence quotes in their raw text."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hrgraph.model.records import Evidence

CONTEXT = 32  # characters of oa:prefix / oa:suffix around a quote


@dataclass(frozen=True)
class SourceText:
    file: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Span:
    """A located quote: offsets are code points into the raw text, end exclusive (Web Annotation)."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


def read_sources(sources_dir: Path) -> tuple[dict[str, SourceText], list[str]]:
    """Every readable text file by name, and a message for each file that cannot be read as UTF-8."""
    texts: dict[str, SourceText] = {}
    errors: list[str] = []
    for path in sorted(p for p in sources_dir.glob("*") if p.is_file() and not p.name.startswith(".")):
        try:
            texts[path.name] = SourceText(path.name, path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            errors.append(f"data/sources/{path.name}: not UTF-8 text (byte {exc.start}); skipped")
    return texts, errors


LONG = 64 * 1024  # texts longer than this are searched through an index of their words
WORDS = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def _scan(text: str, quote: str) -> list[int]:
    out, pos = [], text.find(quote) if quote else -1
    while pos >= 0:
        out.append(pos)
        pos = text.find(quote, pos + 1)
    return out


@lru_cache(maxsize=8)
def _word_index(text: str) -> dict[str, list[int]]:
    """Where each word of the text starts (one pass over the text)."""
    index: dict[str, list[int]] = {}
    for m in WORDS.finditer(text):
        index.setdefault(m.group(), []).append(m.start())
    return index


@lru_cache(maxsize=16_384)
def occurrences(text: str, quote: str) -> list[int]:
    """Every start of `quote` in `text`, overlapping ones too.

    A long text (over LONG characters) is not scanned once per quote (thousands of quotes into one long page
    made that quadratic): the quote is anchored on its rarest whole word, looked up in an index of the text's
    words, and checked there. A word inside the quote anchors every occurrence; a quote whose only whole word
    is its first is counted where it starts a word (a human counts so too)."""
    if len(text) <= LONG:
        return _scan(text, quote)
    index = _word_index(text)
    anchors = [(len(index.get(w.group(), ())), w.start(), w.group()) for w in WORDS.finditer(quote)
               if w.end() < len(quote)]
    if not anchors:
        return _scan(text, quote)
    _, offset, word = min(anchors)
    starts = (p - offset for p in index.get(word, ()))
    return sorted({p for p in starts if p >= 0 and text.startswith(quote, p)})


@lru_cache(maxsize=64)
def _newlines(text: str) -> list[int]:
    return [m.start() for m in re.finditer("\n", text)]


def line_of(text: str, offset: int) -> int:
    """The 1-based line of `offset` in `text` (logarithmic after one pass over the text)."""
    return bisect_left(_newlines(text), offset) + 1


def locate(evidence: Evidence, texts: dict[str, SourceText]) -> Span | str:
    """The span of the quote's n-th occurrence in its source, or a message saying why there is none."""
    source = texts.get(evidence.source)
    if source is None:
        return f"evidence cites '{evidence.source}', which is not a file in data/sources/"
    if not evidence.quote:
        return f"evidence from '{evidence.source}' has an empty quote"
    found = occurrences(source.text, evidence.quote)
    if len(found) < max(evidence.occurrence, 1):
        return f"the quote \"{evidence.quote[:60]}\" does not occur verbatim in '{evidence.source}'" + (
            f" {evidence.occurrence} times" if evidence.occurrence > 1 else "")
    start = found[max(evidence.occurrence, 1) - 1]
    end = start + len(evidence.quote)
    text = source.text
    return Span(evidence.quote, start, end, text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])
