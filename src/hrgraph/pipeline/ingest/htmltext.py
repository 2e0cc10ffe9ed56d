"""HTML page → the text the rules read (and the evidence offsets point into), with the stdlib parser.

Scripts, styles, navigation, forms and page footers are no text of the statement (a <header> only inside an
<article> or <main> is). A table whose first row is all headers and that has more columns than two becomes a
pipe table ("Name | Article | Sentence", one row a line: tables.py reads it); any other table or definition
list row becomes "Field: value". A page that stops before its closing tags was cut off (`html_cut`).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _TextExtractor(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "header",
             "footer", "title", "ul", "ol", "blockquote", "table", "dl", "main", "dt"}
    SKIP = {"script", "style", "noscript", "template", "svg", "nav", "aside", "form", "button", "select", "iframe"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip: list[str] = []
        self.content = 0  # open <article>/<main> elements
        self.rows: list[list[tuple[str, str]]] | None = None  # the open table: rows of (tag, text) cells

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("article", "main"):
            self.content += 1
        if tag in self.SKIP or (tag in ("header", "footer") and not self.content) or self.skip:
            if tag not in ("br", "img", "meta", "link", "input", "hr"):
                self.skip.append(tag)
            return
        if tag == "table" and self.rows is None:
            self.rows = []
        elif self.rows is not None and tag == "tr":
            self.rows.append([])
        elif self.rows is not None and tag in ("td", "th"):
            if not self.rows:
                self.rows.append([])
            self.rows[-1].append((tag, ""))
        elif tag == "li":
            self.parts.append("\n\n• ")
        elif tag in self.BLOCK:
            self._text("\n\n")
        elif tag in ("td", "th", "dd"):
            self._text(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("article", "main"):
            self.content = max(0, self.content - 1)
        if self.skip:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag == "table" and self.rows is not None:
            rows, self.rows = self.rows, None
            self.parts.append(_table_text(rows))
        elif tag == "dt":
            self.parts.append(":")
        elif tag in self.BLOCK and self.rows is None:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._text(re.sub(r"[ \t\r\n]+", " ", data))

    def _text(self, text: str) -> None:
        if self.rows is not None and self.rows and self.rows[-1]:
            tag, cell = self.rows[-1][-1]
            self.rows[-1][-1] = (tag, cell + (" " if text.startswith("\n") else text))
        elif self.rows is None:
            self.parts.append(text)

    def close(self) -> None:
        super().close()
        if self.rows is not None:  # a page cut inside a table: keep what it had
            self.parts.append(_table_text(self.rows))
            self.rows = None


def _table_text(rows: list[list[tuple[str, str]]]) -> str:
    rows = [[(t, c.strip()) for t, c in r] for r in rows if any(c.strip() for _, c in r)]
    if len(rows) >= 2 and len(rows[0]) > 2 and all(t == "th" for t, _ in rows[0]):
        return "\n\n" + "\n".join(" | ".join(c for _, c in r) for r in rows) + "\n\n"
    lines = []
    for r in rows:
        heads = [c for t, c in r if t == "th"]
        cells = [c for t, c in r if t == "td"]
        lines.append(f"{' '.join(heads)}: {' '.join(cells)}" if heads and cells else " ".join(c for _, c in r))
    return "\n\n" + "\n\n".join(lines) + "\n\n"


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


def html_cut(html: str) -> bool:
    """The page stops before its closing tags: a full document without </html>, or text after the last tag."""
    lower = html.lower()
    return not html.rstrip().endswith(">") or ("<html" in lower and "</html>" not in lower)
