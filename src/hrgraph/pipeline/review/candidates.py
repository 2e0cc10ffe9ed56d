"""Which extracted claims and events the build publishes, and what it says about the others.

By default only what a curator accepted (data/curated/reviews.yaml) is published, with the entities it needs; a
candidate no one reviewed yet is counted and left out, and so are the persons, statements and other entities
only unreviewed candidates would bring in. `publish_unreviewed` publishes every candidate marked
hr:reviewStatus unreviewed (and "(unreviewed)" in its label). Never silent: a candidate that states what a
curated claim states is reported as agreeing with it (the curated one is published), one that contradicts a
curated claim is a warning naming both, a rejected one is counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hrgraph.model.records import Problem, Record

FACTS = ("claims", "events")
# What makes two claims the same claim, and the attributes on which two versions of it can disagree.
IDENTITY = {"recognition": ("person",), "charge": ("person", "provision"), "demand": ("demand_type",),
            "submission": ("addressed_to",), "signature": ("signatories",), "statistic": ("of",)}
ATTRIBUTES = {"recognition": ("former", "status", "criterion"), "charge": ("court", "sentence", "stage"),
              "demand": ("persons",), "submission": ("submitted_by",)}


@dataclass
class Selection:
    records: list[Record] = field(default_factory=list)  # to emit
    problems: list[Problem] = field(default_factory=list)
    pending: list[Record] = field(default_factory=list)  # candidates awaiting a decision
    disputed: dict[str, Record] = field(default_factory=dict)  # candidate key -> the curated record it contradicts


def _set(value: Any) -> frozenset[str]:
    if isinstance(value, list):
        return frozenset(map(str, value))
    return frozenset([str(value)]) if value not in (None, "") else frozenset()


def _statements(r: Record) -> frozenset[str]:
    return _set(r.fields.get("statement"))


def _same(c: Record, k: Record) -> bool:
    """Two records about the same fact of the same statement (their attributes aside)."""
    if c.kind != k.kind or not (_statements(c) & _statements(k)):
        return False
    if c.kind == "events":
        return c.fields.get("kind", "").startswith("death") == str(k.fields.get("kind", "")).startswith("death") \
            and bool(_set(c.fields.get("persons")) & _set(k.fields.get("persons")))
    kind = str(c.fields.get("type"))
    if kind != k.fields.get("type"):
        return False
    return all(_set(c.fields.get(f)) <= _set(k.fields.get(f)) or not k.fields.get(f) for f in IDENTITY.get(kind, ()))


def _differences(c: Record, k: Record) -> list[str]:
    out = []
    for name in ATTRIBUTES.get(str(c.fields.get("type")), ()):
        a, b = c.fields.get(name), k.fields.get(name)
        if a not in (None, "", []) and b not in (None, "", []) and not _set(a) <= _set(b):
            out.append(f"{name}: extraction '{a}', curated '{b}'")
    return out


def select(curated: Iterable[Record], ingested: Iterable[Record], publish_unreviewed: bool = False) -> Selection:
    """The records to publish (curated, accepted candidates, the entities they need) and every message."""
    from hrgraph.pipeline.ingest import merge

    curated = list(curated)
    rejected = {r.key for r in curated if r.kind == "rejected"}
    curated = [r for r in curated if r.kind != "rejected"]
    decided = {r.key for r in curated if r.kind in FACTS and r.fields.get("review")} | rejected
    by_hand = [r for r in curated if r.kind in FACTS and not r.fields.get("review")]
    ingested = list(ingested)
    sel = Selection()
    chosen, agreed = [], 0
    for c in (r for r in ingested if r.kind in FACTS):
        if c.key in decided:
            continue
        same = next((k for k in by_hand if _same(c, k)), None)
        if same is not None and not (diffs := _differences(c, same)):
            agreed += 1
            continue
        if same is not None:
            sel.problems.append(Problem(c.ref(), "extraction-disagrees", f"the text is read as saying something "
                                        f"else than curated {same.ref()}: {'; '.join(diffs)} (curated stands; "
                                        "review with `hrgraph review`)", "Warning"))
            sel.disputed[c.key] = same
        sel.pending.append(c)
        if publish_unreviewed:
            chosen.append(c)
    entities = [r for r in ingested if r.kind not in FACTS]
    records, conflicts = merge(curated, entities + chosen)
    if not publish_unreviewed:
        records = _needed(records, {(r.kind, r.key) for r in curated})
    sel.records, sel.problems = records, sel.problems + conflicts
    summary = (f"{len(sel.pending)} extracted candidate(s) await review (`hrgraph review`): "
               + ("published marked unreviewed" if publish_unreviewed else "not published") +
               f"; {agreed} agree with curated claims; {len([k for k in rejected])} rejected")
    sel.problems.append(Problem("data/sources", "extraction-review", summary, "Info"))
    return sel


def _needed(records: list[Record], curated: set[tuple[str, str]]) -> list[Record]:
    """Curated records and the ingested entities they refer to (transitively); references from a kept
    ingested record to a left-out one (a statement's `mentions`) are dropped with it."""
    by_key: dict[str, list[Record]] = {}
    for r in records:
        by_key.setdefault(r.key, []).append(r)
    keep = {(r.kind, r.key) for r in records if (r.kind, r.key) in curated or r.kind == "sources"}
    todo = [r for r in records if (r.kind, r.key) in keep]
    while todo:
        r = todo.pop()
        for name, value in r.fields.items():
            if name == "mentions":
                continue  # a mention alone brings no one in
            for v in value if isinstance(value, list) else [value]:
                for k in by_key.get(str(v), []) if isinstance(v, str) else []:
                    if (k.kind, k.key) not in keep and k.kind not in FACTS:
                        keep.add((k.kind, k.key))
                        todo.append(k)
    keys = {key for _, key in keep}
    out = []
    for r in records:
        if (r.kind, r.key) not in keep:
            continue
        if (r.kind, r.key) not in curated and isinstance(r.fields.get("mentions"), list):
            r = Record(r.kind, r.key, {**r.fields, "mentions": [m for m in r.fields["mentions"] if m in keys]},
                       r.origin, r.evidence)
        out.append(r)
    return out


def pending(sel: Selection) -> list[Record]:
    """The candidates to propose, surest first."""
    return sorted(sel.pending, key=lambda r: (-float(r.fields.get("confidence") or 0), r.key))
