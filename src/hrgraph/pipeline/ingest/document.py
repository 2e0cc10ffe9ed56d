"""The page model every ingest stage shares: a `Document` (the stored source text, its layout and metadata), its
`Item`s (one publication each) and `Span`s (words with offsets into the stored text), with the line-level
operations on spans (`blocks`, `trim`, `body_blocks`). How a page's layout is recognised and read into these
values is readers.py's business; the claim rules read them and never a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Item:
    """One publication on a page: its headline (None when the listing shows only the teaser), paragraphs,
    optional sub-headings (subtitle, date/place line) and the date the page prints for it."""

    headline: Span | None
    paragraphs: tuple[Span, ...]
    subtitles: tuple[Span, ...] = ()
    date: str | None = None


@dataclass
class Document:
    file: str
    text: str  # the stored source text all offsets point into
    layout: str
    title: str = ""
    date: str | None = None
    issued: str | None = None
    modified: str | None = None
    publisher: str | None = None
    items: list[Item] = field(default_factory=list)
    names: tuple[Span, ...] = ()  # a list of persons' names (statement pages)
    signatories: tuple[Span, ...] = ()
    warnings: list[str] = field(default_factory=list)
    from_html: bool = False
    language: str | None = None  # set when the page is not in English: no facts are extracted from it
    truncated: bool = False
    body_end: int | None = None  # where the signatories start (listing and article layouts)


def blocks(text: str) -> list[Span]:
    """Non-empty lines, stripped, with offsets into `text` (a block never spans a line break)."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        lead = len(line) - len(line.lstrip(" \t\u00a0"))
        stripped = line.strip(" \t\u00a0\r")
        if stripped:
            out.append(Span(stripped, m.start() + lead, m.start() + lead + len(stripped)))
    return out


def body_blocks(doc: Document) -> list[Span]:
    """The page's lines before its signatories."""
    return [b for b in blocks(doc.text) if doc.body_end is None or b.start < doc.body_end]


def trim(span: Span, left: str = "", right: str = "") -> Span:
    """The span without a leading prefix pattern / trailing suffix pattern, offsets adjusted."""
    text, start = span.text, span.start
    if left and (m := re.match(left, text)):
        text, start = text[m.end():], start + m.end()
    if right and (m := re.search(right, text)):
        text = text[:m.start()]
    return Span(text, start, start + len(text))
