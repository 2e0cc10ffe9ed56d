"""One key per real entity across documents: curated records first, then the key registry, else a new key.

Persons match on the canonical name key (names.py), so "Pavel Seviarynets" and "Paval Sevyarynets" are one
person; every spelling seen becomes an alt_label. Two people with one name stay apart when the pages give
different birth years. Every decision is logged (`Decision`), for `hrgraph ingest --explain KEY`.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hrgraph.model.records import Record
from hrgraph.names import NameIndex, tokens
from hrgraph.pipeline.ingest.names import name_key, same_person_name, slug
from hrgraph.pipeline.ingest.recognise import norm

REGISTRY_HEADER = ["key", "kind", "canonical", "first_seen", "discriminator"]


@dataclass
class Decision:
    key: str
    kind: str
    reason: str
    variants: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        spellings = " / ".join(dict.fromkeys(self.variants))
        return f"{self.kind[:-1]} {self.key}: {self.reason}" + (f"; spellings seen: {spellings}" if spellings else "") \
            + (f"; in {', '.join(dict.fromkeys(self.files))}" if self.files else "")


@dataclass
class KeyRegistry:
    """`data/keys.tsv`: key, kind, canonical form, first seen (file), discriminator — so keys survive rebuilds."""

    path: Path | None = None
    rows: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (kind, canonical#disc) -> row
    taken: set[tuple[str, str]] = field(default_factory=set)  # (kind, key)
    changed: bool = False

    @classmethod
    def load(cls, path: Path | None) -> KeyRegistry:
        reg = cls(path)
        if path is not None and path.is_file():
            with path.open(encoding="utf-8", newline="") as f:
                for row in csv.reader(f, delimiter="\t"):
                    if row and row[0] != "key" and len(row) >= 4:
                        row = (row + [""])[:5]
                        reg.rows[(row[1], _canon(row[2], row[4]))] = row
                        reg.taken.add((row[1], row[0]))
        return reg

    def get(self, kind: str, canonical: str) -> list[str] | None:
        return self.rows.get((kind, canonical))

    def add(self, key: str, kind: str, canonical: str, first_seen: str) -> None:
        base, _, disc = canonical.partition("#")
        self.rows[(kind, canonical)] = [key, kind, base, first_seen, disc]
        self.taken.add((kind, key))
        self.changed = True

    def save(self, row: Callable[[list[str]], list[str] | None] = lambda r: r) -> None:
        """Write the registry (an explicit step: `build`, or `ingest --register-keys`), to a temporary file
        renamed over the old one, so a reader sees the old registry or the new one. `row` may rewrite or
        (None) leave out a row: restriction keeps names of withheld persons out of this tracked file."""
        if self.path is None or not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        rows = [r for r in (row(list(x)) for x in sorted(self.rows.values(), key=lambda r: (r[1], r[0]))) if r]
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n")
            w.writerow(REGISTRY_HEADER)
            w.writerows(rows)
        os.replace(tmp, self.path)
        self.changed = False


def _canon(base: str, disc: str) -> str:
    return f"{base}#{disc}" if disc else base


def _labels(record: Record) -> list[str]:
    alts = record.fields.get("alt_labels") or []
    return [record.label] + [str(a.get("text", "")) if isinstance(a, dict) else str(a) for a in alts]


class Resolver:
    """Keys for idents (`kind:canonical`), matched against the curated records and the registry."""

    def __init__(self, known: Iterable[Record], registry: KeyRegistry) -> None:
        self.known = [r for r in known]
        self.registry = registry
        self.keys: dict[str, str] = {}
        self.decisions: dict[str, Decision] = {}
        self.taken = {(r.kind, r.key) for r in self.known} | set(registry.taken)
        self._by_label: dict[tuple[str, str], Record] = {}
        self._persons: dict[str, list[tuple[str, str, Record]]] = {}  # surname skeleton -> (name key, label, record)
        self._names = NameIndex()  # every spelling of the curated persons' names (hrgraph.names)
        self._person_records: dict[str, Record] = {}
        for r in self.known:
            for label in _labels(r):
                if r.kind == "persons":
                    key = name_key(label)
                    self._persons.setdefault(key.partition("|")[2], []).append((key, label, r))
                else:
                    self._by_label.setdefault((r.kind, norm(label)), r)
            if r.kind == "persons":
                self._names.add(r.key, _labels(r))
                self._person_records[r.key] = r

    def known_match(self, kind: str, canonical: str, variants: list[str], fields: dict[str, object]) -> \
            tuple[Record, str] | None:
        if kind == "persons":
            return self._known_person(canonical.partition("#")[0], variants)
        if kind == "provisions":
            instrument, number = fields.get("instrument_key"), fields.get("number")
            for r in self.known:
                if r.kind == "provisions" and r.fields.get("instrument") == instrument and \
                        str(r.fields.get("number")) == str(number):
                    return r, f"matches curated {r.ref()} by instrument '{instrument}' and number {number}"
        for v in variants:
            if r := self._by_label.get((kind, norm(v))):
                return r, f"matches curated {r.ref()} by the name '{v}'"
        return None

    def _known_person(self, base: str, variants: list[str]) -> tuple[Record, str] | None:
        """A curated person by name key (same surname skeleton, a fitting given name or initial), else by any
        spelling of a full name (hrgraph.names: Cyrillic, case forms, other romanisations) when exactly one
        curated person fits. Looked up by key: no scan of every curated person per mention."""
        for key, label, r in self._persons.get(base.partition("|")[2], ()):
            if same_person_name(base, key):
                return r, f"matches curated {r.ref()} by its label or alt label '{label}' (name key {key})"
        for v in variants:
            if len(tokens(v)) < 2:
                continue  # a surname alone could be anyone who bears it
            hits = self._names.match(v)
            if len(hits) == 1:
                r = self._person_records[next(iter(hits))]
                return r, f"matches curated {r.ref()} by a spelling of its name ('{v}')"
        return None

    def resolve(self, kind: str, canonical: str, label: str, variants: list[str], first_seen: str,
                fields: dict[str, object] | None = None, preferred: str = "") -> str:
        """The key of an entity: curated, registered, or minted (and registered)."""
        ident = f"{kind}:{canonical}"
        if ident in self.keys:
            return self.keys[ident]
        fields = fields or {}
        hit = self.known_match(kind, canonical, variants, fields)
        if hit is not None and "#" not in canonical:
            key, reason = hit[0].key, hit[1]
        elif row := self.registry.get(kind, canonical):
            key, reason = row[0], f"registered in data/keys.tsv (first seen in {row[3]})"
        else:
            key = self._mint(kind, preferred or slug(label))
            self.registry.add(key, kind, canonical, first_seen)
            reason = f"new key, first seen in {first_seen}"
        self.keys[ident] = key
        self.decisions[ident] = Decision(key, kind, reason)
        return key

    def _mint(self, kind: str, base: str) -> str:
        key, n = base, 2
        while (kind, key) in self.taken:
            key, n = f"{base}-{n}", n + 1
        self.taken.add((kind, key))
        return key

    def note(self, ident: str, variants: list[str], files: list[str], extra: str = "") -> None:
        d = self.decisions.get(ident)
        if d is None:
            return
        d.variants += variants
        d.files += files
        if extra and extra not in d.reason:
            d.reason += f"; {extra}"

    def explain(self, key: str) -> list[str]:
        return [str(d) for d in self.decisions.values() if d.key == key]

    def report(self) -> list[str]:
        return [str(d) for _, d in sorted(self.decisions.items(), key=lambda kv: (kv[1].kind, kv[1].key))]
