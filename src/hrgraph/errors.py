"""Errors a user can act on: what went wrong, where, and a hint. The CLI prints these, never a traceback;
the web layer answers them with `status` (and `Retry-After` when `retry_after` is set), in the asked format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass
class HrgraphError(Exception):
    what: str
    where: str = ""
    hint: str = ""
    status: ClassVar[int] = 500  # what a web client is answered
    retry_after: ClassVar[int | None] = None  # seconds, for a refusal that will pass

    def __str__(self) -> str:
        parts = [f"{self.where}: {self.what}" if self.where else self.what]
        if self.hint:
            parts.append(f"  hint: {self.hint}")
        return "\n".join(parts)


class DataError(HrgraphError):
    """Bad input data (YAML syntax, a record that cannot be read); the build leaves dist/ as it was."""


class StoreError(HrgraphError):
    """The published store is missing, unreadable or unreachable."""

    status = 503
