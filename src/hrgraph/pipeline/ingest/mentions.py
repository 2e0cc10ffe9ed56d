"""A document's mentions, item by item: what the recognisers find in each item, then what only the whole page
explains. assemble.py keys them and makes entities, statements and claims of them.

`item_mentions` recognises each item's headline, sub-headings and paragraphs, adds the bare numbers in a table's
article column, drops a name or an article number the end of a truncated page cuts, and gives a name written in
Cyrillic the Latin spelling the page puts beside it. `complete_mentions` then adds what needs the persons of the
whole page: the signatory lines (on the last item), surnames alone of persons the page names in full, and
shared surnames and given names alone (people.short_names). It is called item by item, as each is assembled.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from hrgraph.pipeline.ingest.document import Document, Item, Span
from hrgraph.pipeline.ingest.people import ShortNames, short_names
from hrgraph.pipeline.ingest.recognise import Mention, Surnames, recognise, surname_index, surname_mentions
from hrgraph.pipeline.ingest.tables import article_mentions

ItemMentions = tuple[Item, list[Span], list[Mention]]  # an item, its spans (headline first), what they mention


class Spans:
    """Sorted (start, end) spans: whether one overlaps a range, in logarithmic time (a scan per mention was
    quadratic on long pages)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts = [a for a, _ in spans]
        self.reach = list(accumulate((b for _, b in spans), max))  # the furthest end among the first i spans

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # spans starting before `end`
        return i > 0 and self.reach[i - 1] > start


@dataclass(frozen=True)
class PagePersons:
    """The persons a page names in full, as `complete_mentions` looks them up by surname or given name alone."""

    surnames: Surnames
    shorts: ShortNames

    @classmethod
    def of(cls, people: list[Mention]) -> PagePersons:
        first = {p.label: p.start for p in sorted(people, key=lambda p: -p.start)}
        return cls(surname_index(people), ShortNames.of({p.label for p in people}, first))


def item_mentions(doc: Document, year: str | None) -> list[ItemMentions]:
    """Every item's spans and what the recognisers find in them; `year` dates what the page does not."""
    end = len(doc.text.rstrip())
    per_item = []
    for item in doc.items:
        spans = ([item.headline] if item.headline else []) + list(item.subtitles) + list(item.paragraphs)
        mentions = [m for s in spans for m in recognise(s.text, s.start, doc.text, (item.date or "")[:4] or year)]
        mentions += article_mentions(spans, mentions)  # bare numbers in a table's article column
        if doc.truncated:  # a name or an article number cut by the end of the page is none
            mentions = [m for m in mentions if not (m.kind in ("persons", "provisions") and m.end >= end - 1)]
        per_item.append((item, spans, mentions))
    return _latin_labels(per_item)


def complete_mentions(doc: Document, n: int, found: ItemMentions, year: str | None,
                      persons: PagePersons) -> list[Mention]:
    """Item `n`'s mentions (extended in place) with what needs the whole page: signatories, surnames, short names."""
    item, spans, mentions = found
    if doc.signatories and n == len(doc.items):
        mentions += [m for s in doc.signatories for m in recognise(s.text, s.start, doc.text, year)]
        mentions += _signatory_orgs(doc, mentions)
    taken = Spans(sorted((m.start, m.end) for m in mentions))
    mentions += [m for s in spans for m in surname_mentions(s.text, s.start, persons.surnames)
                 if not taken.overlaps(m.start, m.end)]
    mentions += _short(item, spans, persons.shorts, mentions)
    return mentions


def _latin_labels(per_item: list[ItemMentions]) -> list[ItemMentions]:
    """A name written in Cyrillic is the person the page spells in Latin beside it ("Юрась Шыдлоўскі (Yuras
    Shydlouski)"): every Cyrillic mention of that name takes the Latin label."""
    latin = {m.text: m.label for _, _, ms in per_item for m in ms
             if m.kind == "persons" and re.search(r"[\u0400-\u04ff]", m.text) and not re.search(r"[\u0400-\u04ff]",
                                                                                                 m.label)}
    return [(item, spans, [Mention(m.kind, latin[m.text], m.start, m.end, m.text, m.attrs)
                           if m.kind == "persons" and m.text in latin else m for m in ms])
            for item, spans, ms in per_item]


def _short(item: Item, spans: list[Span], index: ShortNames, mentions: list[Mention]) -> list[Mention]:
    """Shared surnames and given names alone (people.short_names), where no other mention stands; the item's
    topic is whom its headline names."""
    heads = ([item.headline] if item.headline else []) + list(item.subtitles)
    topic = frozenset(m.label for m in mentions if m.kind == "persons" and
                      any(h.start <= m.start < h.end for h in heads))
    taken = Spans(sorted((m.start, m.end) for m in mentions))
    return [Mention("persons", n.label, s.start + n.start, s.start + n.end, s.text[n.start:n.end], {"alone": True})
            for s in spans for n in short_names(s.text, index, topic, s.start)
            if not taken.overlaps(s.start + n.start, s.start + n.end)]


def _signatory_orgs(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """A signatory line the lexicon does not know is still an organisation: the whole line names it."""
    out = []
    for line in doc.signatories:
        if not any(m.kind == "organisations" and line.start <= m.start < line.end for m in mentions):
            out.append(Mention("organisations", line.text, line.start, line.end, line.text,
                               {"class": "HumanRightsOrganisation" if "Rights" in line.text else "Organisation"}))
    return out
