"""Ingest statement pages: read → recognise → claims → identity → the same `Record`s the curated loader makes.

    result = ingest_files(paths, known_records)          # IngestResult(records, problems, texts, ...)
    records, problems = merge(curated, result.records)   # curated wins on a key conflict, which is reported

The modules a page passes through: readers.py (its layout read into the page model of document.py; HTML by
htmltext.py) → mentions.py (what each item mentions: recognise.py and people.py over lexicon.py) → claims.py
(the claim and event rules of recognitions.py, demands.py, facts.py, terms.py, events.py, profiles.py and
tables.py, over grammar.py) → identity.py (keys, by names.py) → assemble.py, which drives these one document at
a time and makes the records. command.py is `hrgraph ingest`; evaluate.py scores the rules against a gold standard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from hrgraph.model.records import Problem, Record
from hrgraph.pipeline.ingest.assemble import IngestResult, ingest_documents
from hrgraph.pipeline.ingest.identity import KeyRegistry
from hrgraph.pipeline.ingest.recognise import norm

__all__ = ["IngestResult", "KeyRegistry", "ingest_files", "merge"]


def ingest_files(paths: Iterable[Path | str], known_records: Iterable[Record] = (),
                 registry: Path | KeyRegistry | None = None) -> IngestResult:
    """Every readable page as records; a file that cannot be read is a Problem naming it, never an exception.
    `registry` is the key registry (`data/keys.tsv`) to read and extend; None keeps keys in memory only."""
    reg = registry if isinstance(registry, KeyRegistry) else KeyRegistry.load(registry)
    return ingest_documents([Path(p) for p in paths], list(known_records), reg)


def _alt(record: Record) -> set[str]:
    alts = record.fields.get("alt_labels") or []
    return {norm(record.label)} | {norm(str(a.get("text", "")) if isinstance(a, dict) else str(a)) for a in alts}


CLAIM_FIELDS = ("type", "person", "provision", "demand_type")


def _differences(curated: Record, ingested: Record) -> list[str]:
    diffs = []
    if curated.kind != "claims" and ingested.label and norm(ingested.label) not in _alt(curated):
        diffs.append(f"label '{ingested.label}' vs '{curated.label}'")
    if curated.kind == "claims":
        for name in CLAIM_FIELDS:
            a, b = curated.fields.get(name), ingested.fields.get(name)
            if b is not None and a is not None and str(a) != str(b):
                diffs.append(f"{name} '{b}' vs '{a}'")
    return diffs


def merge(curated: Iterable[Record], ingested: Iterable[Record]) -> tuple[list[Record], list[Problem]]:
    """Curated records plus the ingested ones. Curated wins: on a (kind, key) both have (a Warning names what
    the ingested one said differently), and on an ingested entity whose name a curated record of another kind
    carries (it was curated as something else). Ingested claims and events pass through: which of them are
    published, and how they compare with curated claims, is pipeline/review's business (never silent)."""
    out = list(curated)
    have = {(r.kind, r.key): r for r in out}
    names = {n: r for r in out if r.kind not in ("claims", "sources") for n in _alt(r) if n}
    problems: list[Problem] = []
    for r in ingested:
        mine = have.get((r.kind, r.key))
        if mine is not None:
            if diffs := _differences(mine, r):
                problems.append(Problem(r.ref(), "ingest-conflict", f"curated {mine.ref()} wins over the ingested "
                                        f"record: {'; '.join(diffs)}", "Warning"))
            continue
        other = names.get(norm(r.label)) if r.kind not in ("claims", "sources") else None
        if other is not None and other.kind != r.kind:
            problems.append(Problem(r.ref(), "ingest-conflict", f"left out: the same name is curated as "
                                    f"{other.ref()}", "Warning"))
            continue
        have[(r.kind, r.key)] = r
        out.append(r)
    return out, problems


def source_paths(sources_dir: Path) -> list[Path]:
    """The pages of a folder that ingest reads: text and HTML files, hidden files skipped."""
    return sorted(p for p in sources_dir.glob("*") if p.is_file() and not p.name.startswith(".") and
                  re.search(r"\.(?:txt|html?|text)$", p.name, re.IGNORECASE))
