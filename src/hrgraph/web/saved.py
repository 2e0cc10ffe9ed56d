"""Saved queries: `queries/*.rq`, each opening with `# title:` and `# description:` comment lines.

They are the editor's examples and are served at `/queries/NAME` (Datasette's canned queries, in SPARQL).
Read from disk on each call: there are a handful, and an edited file shows up without a restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEADER = re.compile(r"^#\s*(title|description)\s*:\s*(.*)$", re.IGNORECASE)
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,127}$")  # bounded: a longer name is no file (the OS would raise)


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    text: str


def parse(name: str, text: str) -> SavedQuery:
    """The query with its header; the title falls back to the file name, so a bare .rq still shows."""
    header = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := _HEADER.match(line):
            header[m.group(1).lower()] = m.group(2).strip()
    return SavedQuery(name, header.get("title", name.replace("-", " ")), header.get("description", ""), text)


def load_all(directory: Path) -> list[SavedQuery]:
    """Every saved query, sorted by name; none when the folder is missing."""
    if not directory.is_dir():
        return []
    return [parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.rq"))
            if NAME.match(p.stem)]


def load(directory: Path, name: str) -> SavedQuery | None:
    """One saved query by name; the name is checked so a request can never reach outside the folder."""
    if not NAME.match(name):
        return None
    path = directory / f"{name}.rq"
    return parse(name, path.read_text(encoding="utf-8")) if path.is_file() else None
