"""Errors a user can act on: what went wrong, where, and a hint. The CLI prints these, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class HrgraphError(Exception):
    what: str
    where: str = ""
    hint: str = ""

    def __str__(self) -> str:
        parts = [f"{self.where}: {self.what}" if self.where else self.what]
        if self.hint:
            parts.append(f"  hint: {self.hint}")
        return "\n".join(parts)


class DataError(HrgraphError):
    """Bad input data (YAML syntax, a record that cannot be read); the build leaves dist/ as it was."""


class StoreError(HrgraphError):
    """The published store is missing or unreadable."""
