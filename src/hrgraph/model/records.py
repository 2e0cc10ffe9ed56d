"""Values that cross pipeline stages: records as read, the problems found in them, the build's outcome."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for every message a curator reads."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Evidence:
    source: str  # a file name in data/sources/
    quote: str
    occurrence: int = 1


@dataclass(frozen=True)
class Record:
    kind: str  # the YAML list it came from: persons, claims, provisions, ...
    key: str
    fields: Mapping[str, Any]
    origin: Origin
    evidence: tuple[Evidence, ...] = ()

    @property
    def label(self) -> str:
        return str(self.fields.get("label", ""))

    def ref(self) -> str:
        return f"{self.kind[:-1]} '{self.key}' ({self.origin})"


REF = re.compile(r"\b([a-z]+) '([^'\s]+)' \(")  # a record's reference in a message (Record.ref): kind, key


@dataclass(frozen=True)
class Problem:
    """One reason a record is held back (or a warning): what rule, in words, on which record."""

    record: str  # the record's reference as a curator reads it
    rule: str
    message: str
    severity: str = "Violation"
    focus: str = ""  # the IRI concerned, when there is one

    def __str__(self) -> str:
        return f"{self.record}: {self.message} [{self.rule}]"


@dataclass
class BuildResult:
    triples: int = 0
    published: bool = False
    held_back: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all published; 1 some records held back (the rest published)."""
        return 1 if self.held_back else 0
