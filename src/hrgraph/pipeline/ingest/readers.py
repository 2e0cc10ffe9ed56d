"""Statement pages → `Document`s: one reader per layout, every span an offset into the stored text.

Layouts: `listing` (bulleted headline + teaser ending ` //`, pager), `tag-listing` (heading + first paragraph,
RSS footer), `statement-page` (metadata line with ISO timestamps and the publisher, title, date line, body,
list of names, signatories), and `unknown` (one document, with a warning). Site boilerplate (cookie banners in
Belarusian and English, "Latest news", "Pages", "Subscribe to RSS", donation banners) is skipped. HTML is turned
into text by htmltext.py; the extracted text is then the stored source text. The values read here (`Document`,
`Item`, `Span`) are document.py's.
"""

from __future__ import annotations

import re
from pathlib import Path

from hrgraph.pipeline.ingest.document import Document, Item, Span, blocks, body_blocks, trim
from hrgraph.pipeline.ingest.htmltext import html_cut, html_to_text, looks_like_html
from hrgraph.pipeline.ingest.lexicon import GENERIC_ORG, ORGANISATIONS

ORG_NAMES = [GENERIC_ORG] + [e.pattern for e in ORGANISATIONS if e.fields.get("class") not in ("StateBody", "Court")]


class ReadError(Exception):
    """A file that cannot be ingested at all (empty, binary, not UTF-8, truncated)."""


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


def _indent(text: str, b: Span) -> int:
    """How far a block is indented: a listing's headline bullets sit at the margin, a list inside a teaser
    deeper (its items are paragraphs, not publications)."""
    return b.start - (text.rfind("\n", 0, b.start) + 1)


def is_boilerplate(span: Span) -> bool:
    text = span.text.lstrip("•· ").strip()
    return bool(BOILERPLATE.match(text) or CYRILLIC_LINE.match(text))


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
    for b in body_blocks(doc):
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


def _headline_bullets(text: str, all_blocks: list[Span]) -> int:
    """Bullets at the margin with an indented teaser below (a listing's publications), not a bulleted list."""
    return sum(b.text.startswith("•") and _indent(text, b) <= 2 and not nxt.text.startswith("•") and
               _indent(text, nxt) > _indent(text, b) for b, nxt in zip(all_blocks, all_blocks[1:], strict=False))


# --- tag listing -------------------------------------------------------------------------------------------

ITEM_LINE = re.compile(r"^(?:\d{1,3}[.)][\s\u00a0]|[-–*][\s\u00a0])|\|")
FIELD_LINE = re.compile(r"^[A-Z][A-Za-z .()]{1,30}:[\s\u00a0]+\S")


def list_lines(body: list[Span]) -> frozenset[int]:
    """The starts of lines that are list items, table rows or questions below the title, and of field lines beside
    another field line of another key (a title with a colon stands alone, or repeated as <title> and <h1>)."""
    out = {b.start for b in body if ITEM_LINE.search(b.text)}
    out |= {b.start for b in body[1:] if b.text.endswith("?")}  # a question of a Q&A; the page's title may ask
    keys = [b.text.split(":", 1)[0].lower() if FIELD_LINE.match(b.text) else None for b in body]
    for i, b in enumerate(body):
        near = [keys[j] for j in (i - 1, i + 1) if 0 <= j < len(body)]
        if keys[i] and any(k and k != keys[i] for k in near):
            out.add(b.start)
    return frozenset(out)


def is_heading(b: Span, listed: frozenset[int] = frozenset()) -> bool:
    """A short line without closing punctuation that is no list item, field line or table row."""
    return len(b.text) <= 200 and not re.search(r"[.:;,]$", b.text) and b.start not in listed


def read_tag_listing(doc: Document) -> None:
    body = [b for b in body_blocks(doc) if not is_boilerplate(b)]
    listed = list_lines(body)
    if body and is_heading(body[0], listed) and body[0].text[:1].islower():
        doc.title = body[0].text  # the tag the page lists
        body = body[1:]
    heads: list[Span] = []
    paragraphs: list[Span] = []
    for b in body:
        if is_heading(b, listed) and not date_of_line(b.text):
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


def read_text(file: str, text: str, from_html: bool = False, cut_html: bool = False) -> Document:
    """A `Document` from stored text: the layout is recognised, never assumed."""
    doc = Document(file, text, "unknown", from_html=from_html)
    all_blocks = blocks(text)
    meta = next((i for i, b in enumerate(all_blocks) if META_LINE.match(b.text)), None)
    if meta is not None:
        doc.layout = "statement-page"
        read_statement_page(doc, meta, all_blocks)
    elif _take_signatories(doc, all_blocks) or not from_html and (
            re.search(r"//\s*(?:\d{1,2}\.\d{1,2}\.\d{4})?\s*$", text, re.MULTILINE) or
            _headline_bullets(text, all_blocks) >= 2):
        doc.layout = "listing"
        read_listing(doc)
    else:
        read_tag_listing(doc)
        doc.layout = "tag-listing"
        if len(doc.items) < 2 and not doc.title:
            _as_article(doc)
    if lang := foreign_language(text):
        doc.language = lang
        doc.warnings.append(f"the page is not in English ({lang}): no facts are extracted from it; its text is "
                            "kept as a source")
    _check_truncated(doc, cut_html)
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


def _as_article(doc: Document) -> None:
    """One publication: a title (the first heading) and its body; a list after "Signed:" names signatories."""
    body = [b for b in body_blocks(doc) if not is_boilerplate(b)]
    listed = list_lines(body)
    heads = [b for b in body if is_heading(b, listed)]
    head = heads[0] if heads else None
    doc.items = [Item(head, tuple(b for b in body if b is not head and b.text != (head.text if head else None)))]
    doc.title = head.text if head else ""
    doc.layout = "article" if head is not None else "unknown"
    if head is None:
        doc.warnings.append("page layout not recognised (no heading, listing bullets, '//' separators or metadata "
                            "line); ingested as one document")


SIGNED = re.compile(r"(?i)^(?:signed(?:[\s\u00a0]+by)?|signatories|(?:the[\s\u00a0]+)?undersigned(?:[\s\u00a0]+"
                    r"organi[sz]ations)?)[\s\u00a0]*(?::[\s\u00a0]*|$)")


def _take_signatories(doc: Document, all_blocks: list[Span]) -> bool:
    """The lines after "Signed:" / "The undersigned organisations:" at the end of the page (or the rest of
    that line), or a closing run of short lines ending in ";" (the statement page's way), are the signatories,
    one organisation each; the body ends there. Always False (a step of the layout choice, not a layout)."""
    at = next((i for i in range(len(all_blocks) - 1, -1, -1) if SIGNED.match(all_blocks[i].text)), None)
    if at is None or len(all_blocks) - at > 40:
        body = [b for b in all_blocks if not is_boilerplate(b)]
        if len(body) > 3 and ((run := _signatories(body)) and all(_org_like(b.text) for b in run) or
                              len(run := _named_orgs(body)) >= 2):
            doc.signatories, doc.body_end = tuple(run), run[0].start
        return False
    inline = trim(all_blocks[at], SIGNED.pattern)
    lines = [inline] if inline.text else [b for b in all_blocks[at + 1:] if len(b.text) <= 120 and
                                          not is_boilerplate(b)]
    doc.signatories = tuple(p for b in lines for p in _split_signatories(trim(b, r"•\s*", r"[;.,]\s*$")))
    if doc.signatories:
        doc.body_end = all_blocks[at].start
    return False


def _org_like(line: str) -> bool:
    """A line that can be an organisation's name: a capital first, few words, most of them capitalised (a list
    of demands ending in ";" is none)."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line)
             if w.lower() not in ("of", "for", "the", "and", "in", "on")]
    return bool(re.match(r"[\"“«„]?[A-Z]", line)) and 0 < len(words) <= 10 and \
        sum(w[0].isupper() for w in words) * 2 > len(words)


def _named_orgs(body: list[Span]) -> list[Span]:
    """The closing run of lines that each name one organisation the lexicon knows or that ends like one
    ("Viasna Human Rights Centre", "Legal Initiative"): a joint statement's signatories without a "Signed:"."""
    run: list[Span] = []
    for b in reversed(body):
        if len(b.text) > 80 or not any(p.fullmatch(b.text) for p in ORG_NAMES):
            break
        run.insert(0, b)
    return run


def _split_signatories(line: Span) -> list[Span]:
    """"A; B; C" (or "A, B and C" with no semicolon) on one line: one organisation each."""
    sep = r"[\s\u00a0]*;[\s\u00a0]*" if ";" in line.text else \
        r",[\s\u00a0]*(?:and[\s\u00a0]+)?|[\s\u00a0]+and[\s\u00a0]+"
    out, start = [], 0
    for m in [*re.finditer(sep, line.text), None]:
        end = m.start() if m else len(line.text)
        if line.text[start:end].strip():
            out.append(Span(line.text[start:end], line.start + start, line.start + end))
        start = m.end() if m else start
    return out


def _check_truncated(doc: Document, cut_html: bool = False) -> None:
    """A page whose last paragraph stops without closing punctuation was cut off (a signatory line, a field
    line or a table row needs none); an HTML page that stops before its closing tags too."""
    signed = {(s.start, s.end) for s in doc.signatories}
    body = [b for b in blocks(doc.text) if not is_boilerplate(b) and not any(a <= b.start < e for a, e in signed)
            and not (doc.signatories and SIGNED.match(b.text))]
    tail = body[-1].text if body else ""
    prose = tail and len(tail.split()) >= 8 and not (ITEM_LINE.search(tail) or FIELD_LINE.match(tail))
    if cut_html or prose and not re.search(r"[.!?…\"”»)\]:;/’']\s*(?:\d{1,2}\.\d{1,2}\.\d{4})?$", tail):
        doc.truncated = True
        doc.warnings.append(("the HTML stops before its closing tags" if cut_html else "the text ends mid-sentence")
                            + "; the page is truncated (a name cut at the end is not taken as a person)")


def read_file(path: Path) -> Document:
    text = decode(path)
    if path.suffix.lower() in (".html", ".htm") or looks_like_html(text):
        return read_text(path.name, html_to_text(text), from_html=True, cut_html=html_cut(text))
    return read_text(path.name, text)
