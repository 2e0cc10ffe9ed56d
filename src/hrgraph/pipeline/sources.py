"""The stored source documents (`data/sources/`) and locating evidence quotes in their raw text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
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


def locate(evidence: Evidence, texts: dict[str, SourceText]) -> Span | str:
    """The span of the quote's n-th occurrence in its source, or a message saying why there is none."""
    source = texts.get(evidence.source)
    if source is None:
        return f"evidence cites '{evidence.source}', which is not a file in data/sources/"
    if not evidence.quote:
        return f"evidence from '{evidence.source}' has an empty quote"
    start = -1
    for _ in range(max(evidence.occurrence, 1)):
        start = source.text.find(evidence.quote, start + 1)
        if start < 0:
            return f"the quote \"{evidence.quote[:60]}\" does not occur verbatim in '{evidence.source}'" + (
                f" {evidence.occurrence} times" if evidence.occurrence > 1 else "")
    end = start + len(evidence.quote)
    text = source.text
    return Span(evidence.quote, start, end, text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])
