"""data/curated/reviews.yaml: a curator's decisions on extracted candidates, written atomically under a lock.

    claims: / events:   accepted or edited candidates, as curated records (+ review, reviewed_by, reviewed_at)
    rejected:           {key, reviewed_by, reviewed_at, reason, was: what the candidate said}

The curated loader reads claims and events like any curated file; `rejected` records are taken out by
`candidates.select` before anything is emitted. Who reviewed stays here: it is not published.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from hrgraph.errors import DataError
from hrgraph.model.records import Record

REVIEWS_FILE = "reviews.yaml"
DECISIONS = ("accepted", "edited", "rejected")
HEADER = ("# Decisions of `hrgraph review` on extracted candidates (written by the tool; edit with care).\n"
          "# claims / events: accepted or edited candidates, published like curated records.\n"
          "# rejected: candidates a curator turned down; they are not proposed again.\n")
NOT_COPIED = {"review", "reviewed_by", "reviewed_at", "key"}


@contextmanager
def _locked(curated_dir: Path) -> Iterator[None]:
    curated_dir.mkdir(parents=True, exist_ok=True)
    with (curated_dir / ".reviews.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read(curated_dir: Path) -> dict[str, list[dict[str, Any]]]:
    path = curated_dir / REVIEWS_FILE
    if not path.is_file():
        return {}
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"not valid YAML: {exc}", str(path)) from None
    if not isinstance(doc, dict):
        raise DataError("expected a mapping of kind -> list", str(path))
    return {k: list(v or []) for k, v in doc.items()}


def _write(curated_dir: Path, doc: dict[str, list[dict[str, Any]]]) -> None:
    """Replace the file in one step: a crash leaves the old file or the new one, never half of one."""
    path = curated_dir / REVIEWS_FILE
    body = HEADER + yaml.safe_dump({k: v for k, v in doc.items() if v}, sort_keys=False, allow_unicode=True,
                                   width=120)
    fd, tmp = tempfile.mkstemp(prefix=".reviews.", suffix=".tmp", dir=curated_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def as_curated(candidate: Record) -> dict[str, Any]:
    """A candidate as a curated record: its fields, its first quote as source/quote, the rest as evidence."""
    out: dict[str, Any] = {"key": candidate.key}
    out.update({k: v for k, v in candidate.fields.items() if k not in NOT_COPIED})
    if candidate.evidence:
        first, *rest = candidate.evidence
        out["source"], out["quote"] = first.source, first.quote
        if first.occurrence != 1:
            out["evidence"] = [{"source": first.source, "quote": first.quote, "occurrence": first.occurrence}]
            out.pop("quote")
        out.setdefault("evidence", [])
        out["evidence"] += [{"source": e.source, "quote": e.quote, **({"occurrence": e.occurrence}
                                                                      if e.occurrence != 1 else {})} for e in rest]
        if not out["evidence"]:
            out.pop("evidence")
    return out


def decide(curated_dir: Path, candidate: Record, decision: str, by: str, changes: dict[str, Any] | None = None,
           reason: str = "", now: dt.datetime | None = None) -> dict[str, Any]:
    """Record one decision (replacing an earlier one on the same candidate); returns the entry written."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    if not by.strip():
        raise ValueError("a decision needs the curator's name (--by NAME or HRGRAPH_CURATOR)")
    stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    with _locked(curated_dir):
        doc = read(curated_dir)
        for kind in ("claims", "events", "rejected"):
            doc[kind] = [e for e in doc.get(kind, []) if e.get("key") != candidate.key]
        if decision == "rejected":
            entry: dict[str, Any] = {"key": candidate.key, "reviewed_by": by, "reviewed_at": stamp,
                                     "reason": reason or "rejected by the curator",
                                     "was": {k: v for k, v in candidate.fields.items() if k not in NOT_COPIED}}
            doc["rejected"].append(entry)
        else:
            changed = {k: v for k, v in (changes or {}).items() if candidate.fields.get(k) != v}
            entry = as_curated(candidate)
            entry.update(changed)
            entry.update({"review": "edited" if changed else "accepted", "reviewed_by": by, "reviewed_at": stamp})
            if reason:
                entry["note"] = reason
            doc[candidate.kind].append(entry)
        _write(curated_dir, doc)
    return entry
