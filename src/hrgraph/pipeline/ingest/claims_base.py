"""The values the claim rules share: a reference before identity (`Ref`), a claim or event before it has a key
(`Draft`, with the rule that made it and a confidence), and what one item of a page offers the rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hrgraph.pipeline.ingest import grammar as g
from hrgraph.pipeline.ingest.document import Document, Item, Span
from hrgraph.pipeline.ingest.recognise import Mention


@dataclass(frozen=True)
class Ref:
    ident: str  # "persons:siarhei|yfmv", "statement:<n>" ...


@dataclass
class Draft:
    """A claim or event before identity: kind, key prefix, what it is about (for merging repeats), fields (Refs
    inside), evidence spans, and how it was made (`rule`, `confidence` in 0..1)."""

    kind: str  # claims, events
    prefix: str  # rec, dem, sig, sub, chg, death, detention
    what: str
    fields: dict[str, Any]
    spans: list[tuple[int, int]] = field(default_factory=list)
    rule: str = ""
    confidence: float = 0.5


# What may stand around a mechanism's name in the heading of its own document.
OWN_ACT = re.compile(r"(?i)\W*(?:(?:opinions?|resolution|decision|views|report|recommendations?|concluding "
                     r"observations)(?:\s+\S+){0,3}?\s+(?:adopted\s+by|of)\s+)?(?:the\s+|UN\s+)?")
OWN_ACT_END = re.compile(r"(?i)(?:\s+at\s+its\s+[\w-]+\s+session)?\W*")


@dataclass
class ItemContext:
    doc: Document
    number: int  # 1-based position on the page
    item: Item
    mentions: list[Mention]
    statement: Ref
    author: Ref | None
    date: str | None

    def persons_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "persons" and start <= m.start and m.end <= end]

    def of_kind(self, kind: str, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind and start <= m.start and m.end <= end]

    def letterhead(self) -> Mention | None:
        """The mechanism whose document this is: a heading that is nothing but its name ("OSCE Moscow
        Mechanism", "Parliamentary Assembly of the Council of Europe") or the title of its own act ("Opinions
        adopted by the Working Group on Arbitrary Detention at its 99th session", "Report of the Special
        Rapporteur on ..."); a headline that says something about a mechanism is no letterhead."""
        heads = ([self.item.headline] if self.item.headline else []) + list(self.item.subtitles)
        for h in heads:
            for m in self.of_kind("mechanisms", h.start, h.end):
                if OWN_ACT.fullmatch(self.doc.text[h.start:m.start]) and \
                        OWN_ACT_END.fullmatch(self.doc.text[m.end:h.end]):
                    return m
        return None

    def listed(self) -> list[Mention]:
        """Persons of the page's list of names."""
        return [m for m in self.mentions if m.kind == "persons" and any(s.start <= m.start < s.end
                                                                        for s in self.doc.names)]


LINE_START = re.compile(r"[\s\u00a0•\-–]*(?:\d{1,3}[.)][\s\u00a0]*)?")  # a bullet or a number before the name


MARKED = re.compile(r"[\s\u00a0]*(?:[•\-–]|\d{1,3}[.)])")


def lines_below(ctx: ItemContext, spans: list[Span]) -> list[g.Run]:
    """The persons that start each of the lines of a list (until a line that starts with no person, or one of
    another shape: after "1) X ..., 2) Y ...", a paragraph "Z was convicted" is no list item)."""
    out, marked = [], None
    for span in spans:
        local = g.runs(ctx.doc.text, ctx.mentions, span.start, span.end)
        if not local or not LINE_START.fullmatch(ctx.doc.text[span.start:local[0].start]):
            break
        shape = bool(MARKED.match(span.text))
        if marked is not None and shape != marked:
            break
        marked = shape
        out.append(local[0])
    return out
