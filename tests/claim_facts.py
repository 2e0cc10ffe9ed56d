"""What an ingested page states, as comparable tuples: the helpers every claim test asserts with (names and
texts of the tests are invented)."""

from __future__ import annotations

from pathlib import Path

from hrgraph.pipeline.ingest import ingest_files


def facts(tmp_path: Path, text: str, name: str = "page.txt") -> set[tuple[str | None, ...]]:
    """What a page states, as (kind, who, what) tuples with labels instead of keys."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    return page_facts(ingest_files([tmp_path / name]).records)


def page_facts(records) -> set[tuple[str | None, ...]]:
    label = {r.key: r.label for r in records}
    out: set[tuple[str | None, ...]] = set()
    for r in records:
        f = r.fields
        if f.get("type") == "charge":
            out.add(("charge", label[f["person"]], label[f["provision"]].rsplit(" ", 1)[-1]))
        elif f.get("type") == "recognition":
            out.add(("recognition", label[f["person"]], f["status"]))
        elif f.get("type") == "submission":
            out |= {("submission", label[b], label[t]) for b in f["submitted_by"] for t in f["addressed_to"]}
        elif f.get("type") == "demand":
            out |= {("demand", f["demand_type"], label[p]) for p in f["persons"]} or {("demand", f["demand_type"],
                                                                                         None)}
        elif r.kind == "events":
            out |= {(str(f["kind"]).replace("-in-custody", ""), label[p], None) for p in f["persons"]}
    return out


def persons(records) -> set[str]:
    return {r.label for r in records if r.kind == "persons"}
