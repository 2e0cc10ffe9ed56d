"""The rows of an uploaded list → for each, its best matches in the graph with what the graph says about
them: the annex of a communication, cross-referenced.

Each row is one reconciliation query (xref/matching.py) for a person: the name, and as conditions the columns
the table names as properties (`birth year`, `article`, `status`, `recognised by`, `mechanism`). Row status:
`match` (the service is confident: matching.py says when), `candidates` (possible matches, none certain),
`no match`, `empty` (no name in the row), `too long` (a name past the search limit).

Output keeps every input column, then adds ours (renamed `… (hrgraph)` where the input already has one of
that name): the best candidate's IRI, name, score, matched spelling and facts, and the other candidates as
`name (score) <IRI>`. Several values in one cell are joined by ` | `; entities are written `label <IRI>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hrgraph.store.base import Store
from hrgraph.xref.catalogue import Catalogue
from hrgraph.xref.matching import Candidate, Query, candidates
from hrgraph.xref.properties import PROPERTIES, Property, Ref, as_text, resolve
from hrgraph.xref.table import Table, unqualified, write

CANDIDATES = 3
COLUMNS = ("match_status", "match_iri", "match_name", "match_score", "match_spelling", "person_status")
FACT_COLUMNS = tuple(p for p in PROPERTIES if p.id not in ("status", "otherNames"))


@dataclass
class RowResult:
    line: int
    values: list[str]
    query: str
    status: str
    candidates: list[Candidate] = field(default_factory=list)


def condition_columns(table: Table) -> list[tuple[int, Property]]:
    """The columns that name a property to match on (birth year, article, ...), not the name columns."""
    names = {table.name, table.surname, table.given}
    out = []
    for i, h in enumerate(table.header):
        prop = resolve(unqualified(h)) if i not in names else None
        if prop is not None and prop.conditional:
            out.append((i, prop))
    return out


def cross_reference(catalogue: Catalogue, store: Store, table: Table, max_chars: int) -> list[RowResult]:
    conditions = condition_columns(table)
    results, queries, asked = [], [], []
    for line, row in zip(table.lines, table.rows, strict=True):
        name = table.name_of(row)
        result = RowResult(line, row, name, "empty" if not name else "too long" if len(name) > max_chars else "")
        results.append(result)
        if not result.status:
            wanted = tuple((prop, (row[i].strip(),)) for i, prop in conditions if row[i].strip())
            queries.append(Query(name, ("person",), wanted, CANDIDATES))
            asked.append(result)
    for result, found in zip(asked, candidates(catalogue, store, queries), strict=True):
        result.candidates = found
        result.status = "no match" if not found else "match" if found[0].match else "candidates"
    return results


def _cell(values: list[Any]) -> str:
    return " | ".join(f"{v.label} <{v.iri}>" if isinstance(v, Ref) else as_text(v) for v in values)


def _ours(header: list[str]) -> list[str]:
    taken = set(header)
    names = [*COLUMNS, *(p.id for p in FACT_COLUMNS), "other_candidates"]
    return [n if n not in taken else f"{n} (hrgraph)" for n in names]


def to_csv(table: Table, results: list[RowResult]) -> str:
    rows = []
    for r in results:
        best = r.candidates[0] if r.candidates else None
        ours: list[Any] = [r.status]
        if best is None:
            ours += [""] * (len(COLUMNS) - 1 + len(FACT_COLUMNS) + 1)
        else:
            f = best.facts
            ours += [best.hit.entity.iri, best.hit.entity.name, best.score, best.hit.spelling,
                     f.status if f else ""]
            ours += [_cell(p.values(f)) if f else "" for p in FACT_COLUMNS]
            ours.append(" | ".join(f"{c.hit.entity.name} ({c.score}) <{c.hit.entity.iri}>" for c in r.candidates[1:]))
        rows.append([*r.values, *ours])
    return write([*table.header, *_ours(table.header)], rows)


def candidate_json(c: Candidate) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.hit.entity.iri, "name": c.hit.entity.name, "score": c.score, "match": c.match,
                           "matched_spelling": c.hit.spelling, "name_form": c.hit.form,
                           "checks": {k: v for k, v in c.checks.items()}}
    if c.facts is not None:
        out["status"] = c.facts.status
        for p in FACT_COLUMNS:
            out[p.id] = [{"id": v.iri, "name": v.label} if isinstance(v, Ref) else v for v in p.values(c.facts)]
    return out


def to_json(table: Table, results: list[RowResult]) -> dict[str, Any]:
    return {"columns": table.header,
            "rows": [{"line": r.line, "input": dict(zip(table.header, r.values, strict=True)), "query": r.query,
                      "status": r.status, "candidates": [candidate_json(c) for c in r.candidates]}
                     for r in results],
            "summary": {s: sum(r.status == s for r in results)
                        for s in ("match", "candidates", "no match", "empty", "too long")}}
