"""Statement pages → `Document`s: one reader per layout, every span an offset into the stored text.

Layouts: `listing` (bulleted headline + teaser ending ` //`, pager), `tag-listing` (heading + first paragraph,
RSS footer), `statement-page` (metadata line with ISO timestamps and the publisher, title, date line, body,
list of names, signatories), and `unknown` (one document, with a warning). Site boilerplate (cookie banners in
Belarusian and English, "Latest news", "Pages", "Subscribe to RSS", donation banners) is skipped. HTML is turned
into text with the stdlib parser; the extracted text is then the stored source text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


class ReadError(Exception):
    """A file that cannot be ingested at all (empty, binary, not UTF-8, truncated)."""


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


BOILERPLATE = re.compile(
    r"^(?:Pages|Latest news|Subscribe to RSS.*|.*uses cookies.*|.*cookies.*Больш.*|.*on patreon|Read more|"
    r"Share\b.*|Print|Tags?:.*|Donate.*|Support us.*|©.*|All rights reserved.*)$", re.IGNORECASE)
CYRILLIC_LINE = re.compile(r"^[^A-Za-z]*[\u0400-\u04ff][^A-Za-z]*$")
META_LINE = re.compile(
    r"^(?P<year>\d{4}) (?P<created>\d{4}-\d\d-\d\dT[\d:]+[+-]\d{2}:?\d{2}) (?P<modified>\d{4}-\d\d-\d\dT[\d:]+"
    r"[+-]\d{2}:?\d{2}) (?P<lang>[a-z]{2})(?: (?:https?://)?\S+\.(?:jpe?g|png|gif|webp)\S*)? (?P<pub>.+)$")
ITEM_DATE = re.compile(r"\s*//\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"), 1)}
DATE_LINE = re.compile(r"^(?:[A-Z][a-z]+ [-–—] )?(?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})$|"
                       r"^(?:[A-Z][a-z]+ [-–—] )?(?P<day2>\d{1,2}) (?P<month2>[A-Z][a-z]+) (?P<year2>\d{4})$")


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


def _indent(text: str, b: Span) -> int:
    """How far a block is indented: a listing's headline bullets sit at the margin, a list inside a teaser
    deeper (its items are paragraphs, not publications)."""
    return b.start - (text.rfind("\n", 0, b.start) + 1)


def is_boilerplate(span: Span) -> bool:
    text = span.text.lstrip("•· ").strip()
    return bool(BOILERPLATE.match(text) or CYRILLIC_LINE.match(text))


def trim(span: Span, left: str = "", right: str = "") -> Span:
    """The span without a leading prefix pattern / trailing suffix pattern, offsets adjusted."""
    text, start = span.text, span.start
    if left and (m := re.match(left, text)):
        text, start = text[m.end():], start + m.end()
    if right and (m := re.search(right, text)):
        text = text[:m.start()]
    return Span(text, start, start + len(text))


def date_of_line(text: str) -> str | None:
    m = DATE_LINE.match(text.strip())
    if not m:
        return None
    month = MONTHS.get((m.group("month") or m.group("month2") or "").lower())
    if not month:
        return None
    day, year = int(m.group("day") or m.group("day2")), m.group("year") or m.group("year2")
    return f"{year}-{month:02d}-{day:02d}"


# --- listing -----------------------------------------------------------------------------------------------

def read_listing(doc: Document) -> None:
    headline: Span | None = None
    paragraphs: list[Span] = []
    for b in blocks(doc.text):
        if is_boilerplate(b):
            continue
        if b.text.startswith("•") and _indent(doc.text, b) <= 2:
            if headline is not None or paragraphs:
                doc.items.append(Item(headline, tuple(paragraphs)))
            headline, paragraphs = trim(b, r"•\s*"), []
            continue
        date = None
        if m := ITEM_DATE.search(b.text):
            date = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
        para = trim(b, right=r"\s*//(?:\s*\d{1,2}\.\d{1,2}\.\d{4})?\s*$")
        paragraphs.append(para)
        if b.text.rstrip().endswith("//") or date:
            doc.items.append(Item(headline, tuple(paragraphs), date=date))
            headline, paragraphs = None, []
    if headline is not None or paragraphs:
        doc.items.append(Item(headline, tuple(paragraphs)))


# --- tag listing -------------------------------------------------------------------------------------------

def is_heading(b: Span) -> bool:
    return len(b.text) <= 200 and not re.search(r"[.:;,]$", b.text)


def read_tag_listing(doc: Document) -> None:
    body = [b for b in blocks(doc.text) if not is_boilerplate(b)]
    if body and is_heading(body[0]) and body[0].text[:1].islower():
        doc.title = body[0].text  # the tag the page lists
        body = body[1:]
    heads: list[Span] = []
    paragraphs: list[Span] = []
    for b in body:
        if is_heading(b) and not date_of_line(b.text):
            if paragraphs:
                doc.items.append(_tag_item(heads, paragraphs))
                heads, paragraphs = [], []
            heads.append(b)
        elif date_of_line(b.text) and not paragraphs:
            heads.append(b)
        else:
            paragraphs.append(b)
    if heads or paragraphs:
        doc.items.append(_tag_item(heads, paragraphs))


def _tag_item(heads: list[Span], paragraphs: list[Span]) -> Item:
    date = next((d for h in heads if (d := date_of_line(h.text))), None)
    return Item(heads[0] if heads else None, tuple(paragraphs), tuple(heads[1:]), date)


# --- statement page ----------------------------------------------------------------------------------------

NAME_TOKEN = r"[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?"
NAME_LIST = re.compile(rf"^{NAME_TOKEN} {NAME_TOKEN}(?:, (?:and )?{NAME_TOKEN} {NAME_TOKEN}){{2,}}\.?$")


def read_statement_page(doc: Document, meta_index: int, all_blocks: list[Span]) -> None:
    m = META_LINE.match(all_blocks[meta_index].text)
    assert m is not None
    doc.issued, doc.modified = _iso(m.group("created")), _iso(m.group("modified"))
    pub = m.group("pub").strip()
    half = len(pub) // 2
    doc.publisher = pub[:half].strip() if pub[:half].strip() == pub[half:].strip() else pub
    before = [b for b in all_blocks[:meta_index] if not is_boilerplate(b)]
    headline = before[-1] if before else None
    doc.title = headline.text if headline else ""
    rest = [b for b in all_blocks[meta_index + 1:] if not is_boilerplate(b)]
    subtitles: list[Span] = []
    while rest and is_heading(rest[0]):
        b = rest.pop(0)
        if b.text == doc.publisher:
            continue
        if d := date_of_line(b.text):
            doc.date = d
        subtitles.append(b)
    doc.signatories = tuple(_signatories(rest))
    body = rest[:len(rest) - len(doc.signatories)]
    doc.names = tuple(b for b in body if NAME_LIST.match(b.text))
    doc.items.append(Item(headline, tuple(body), tuple(subtitles), doc.date))


def _signatories(rest: list[Span]) -> list[Span]:
    """The trailing run of short lines ending in ';' (the last may end in '.'), one organisation each."""
    run: list[Span] = []
    for b in reversed(rest):
        if len(b.text) <= 120 and (b.text.endswith(";") or (not run and b.text.endswith("."))) and \
                not b.text.startswith("•"):
            run.insert(0, b)
        else:
            break
    if not any(b.text.endswith(";") for b in run):
        return []
    return [trim(b, right=r"[;.]\s*$") for b in run]


def _iso(stamp: str) -> str:
    return re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", stamp)


# --- HTML and files ----------------------------------------------------------------------------------------

class _TextExtractor(HTMLParser):
    """Text of an HTML page: scripts, styles, navigation, forms and page footers are no text of the statement
    (a <header> only inside an <article> or <main> is); a table or definition row becomes "Field: value"."""

    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "header",
             "footer", "title", "ul", "ol", "blockquote", "table", "dl", "main", "dt"}
    SKIP = {"script", "style", "noscript", "template", "svg", "nav", "aside", "form", "button", "select", "iframe"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip: list[str] = []
        self.content = 0  # open <article>/<main> elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("article", "main"):
            self.content += 1
        if tag in self.SKIP or (tag in ("header", "footer") and not self.content) or self.skip:
            if tag not in ("br", "img", "meta", "link", "input", "hr"):
                self.skip.append(tag)
            return
        if tag == "li":
            self.parts.append("\n\n• ")
        elif tag in self.BLOCK:
            self.parts.append("\n\n")
        elif tag in ("td", "th", "dd"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("article", "main"):
            self.content = max(0, self.content - 1)
        if self.skip:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag in ("th", "dt"):
            self.parts.append(":")
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r" *: *(?=\S)", ": ", re.sub(r"(?<=\S) +:", ":", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def looks_like_html(text: str) -> bool:
    return bool(re.match(r"\s*(?:<!DOCTYPE html|<html|<head|<body|<div|<p[ >])", text, re.IGNORECASE))


def decode(path: Path) -> str:
    """The file as text, or a ReadError saying in words why it cannot be ingested."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read the file: {exc.strerror or exc}") from None
    if not raw.strip():
        raise ReadError("the file is empty")
    if b"\x00" in raw[:4096]:
        raise ReadError("the file is binary, not a text page")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end >= len(raw) and len(raw) - exc.start < 4:
            raise ReadError("the file is truncated (it ends inside a UTF-8 character)") from None
        raise ReadError(f"the file is not UTF-8 text (byte {exc.start}: 0x{raw[exc.start]:02x}); "
                        "re-save it as UTF-8") from None
    return text.removeprefix("\ufeff")


def read_text(file: str, text: str, from_html: bool = False) -> Document:
    """A `Document` from stored text: the layout is recognised, never assumed."""
    doc = Document(file, text, "unknown", from_html=from_html)
    all_blocks = blocks(text)
    meta = next((i for i, b in enumerate(all_blocks) if META_LINE.match(b.text)), None)
    if meta is not None:
        doc.layout = "statement-page"
        read_statement_page(doc, meta, all_blocks)
    elif not from_html and (re.search(r"//\s*(?:\d{1,2}\.\d{1,2}\.\d{4})?\s*$", text, re.MULTILINE) or
                            sum(b.text.startswith("•") and _indent(text, b) <= 2 for b in all_blocks) >= 2):
        doc.layout = "listing"
        read_listing(doc)
    else:
        read_tag_listing(doc)
        doc.layout = "tag-listing"
        if len(doc.items) < 2 and not doc.title:
            _as_article(doc, all_blocks)
    if lang := foreign_language(text):
        doc.language = lang
        doc.warnings.append(f"the page is not in English ({lang}): no facts are extracted from it; its text is "
                            "kept as a source")
    _check_truncated(doc)
    return doc


ENGLISH = {"the", "and", "of", "to", "in", "was", "is", "for", "on", "with", "by", "that", "a", "were", "has", "his",
           "her", "their", "we", "under", "as", "at", "from", "are", "be", "been", "who", "which", "it", "an"}


def foreign_language(text: str) -> str | None:
    """Why the page is not English text the rules can read (Cyrillic script, or too few English words)."""
    latin = len(re.findall(r"[A-Za-z]", text))
    cyrillic = len(re.findall(r"[\u0400-\u04ff]", text))
    if cyrillic > latin:
        return "Cyrillic script"
    words = re.findall(r"[A-Za-z]+", text)
    if len(words) >= 20 and sum(w.lower() in ENGLISH for w in words) / len(words) < 0.08:
        return "another language in Latin script"
    return None


def _as_article(doc: Document, all_blocks: list[Span]) -> None:
    """One publication: a title (the first heading) and its body; a list after "Signed:" names signatories."""
    body = [b for b in all_blocks if not is_boilerplate(b)]
    heads = [b for b in body if is_heading(b)]
    head = heads[0] if heads else None
    signed = next((i for i, b in enumerate(body) if re.fullmatch(r"(?i)(?:signed(?: by)?|signatories)\s*:?", b.text)),
                  None)
    if signed is not None:
        lines = [b for b in body[signed + 1:] if len(b.text) <= 120]
        doc.signatories = tuple(trim(b, r"•\s*", r"[;.,]\s*$") for b in lines)
        body = body[:signed]
    doc.items = [Item(head, tuple(b for b in body if b is not head and b.text != (head.text if head else None)))]
    doc.title = head.text if head else ""
    doc.layout = "article" if head is not None else "unknown"
    if head is None:
        doc.warnings.append("page layout not recognised (no heading, listing bullets, '//' separators or metadata "
                            "line); ingested as one document")


def _check_truncated(doc: Document) -> None:
    """A page whose last paragraph stops without closing punctuation was cut off."""
    body = [b for b in blocks(doc.text) if not is_boilerplate(b)]
    tail = body[-1].text if body else ""
    if tail and len(tail.split()) >= 8 and not re.search(r"[.!?…\"”»)\]:;/’']\s*(?:\d{1,2}\.\d{1,2}\.\d{4})?$",
                                                          tail):
        doc.truncated = True
        doc.warnings.append("the text ends mid-sentence; the page is truncated (a name cut at the end is not "
                            "taken as a person)")


def read_file(path: Path) -> Document:
    text = decode(path)
    if path.suffix.lower() in (".html", ".htm") or looks_like_html(text):
        return read_text(path.name, html_to_text(text), from_html=True)
    return read_text(path.name, text)
