"""Precision and recall of ingestion against a gold standard (the `seeds.yaml` format).

Entities (persons, provisions, mechanisms, organisations, places): a predicted record matches the gold entity
whose evidence spans its own evidence overlaps most (ties: the shorter gold span), or, for persons, whose name
has the same canonical key. Precision = predicted records that match / predicted; recall = gold entities
matched / gold. Provisions are the explicitly cited, numbered ones (the gold's "implied" paraphrases are left
out: no citation to find). Claims: recall of (file, person) recognitions, (file, demand type, person or "any")
demands and (file, signatory span) signatures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hrgraph.model.records import Evidence, Record
from hrgraph.pipeline.ingest.names import name_key, same_person_name

Span3 = tuple[str, int, int]
DEMAND_TYPES = {
    "demandsRelease": "release", "demandsRetrial": "retrial", "demandsRehabilitation": "rehabilitation",
    "demandsCompensation": "compensation", "demandsReviewOfCase": "case-review",
    "demandsReversalOfSentence": "reversal-of-sentence", "demandsInvestigation": "investigation",
    "demandsDecriminalization": "decriminalisation", "demandsCessationOfPersecution": "cessation-of-persecution",
    "demandsEndOfRepression": "end-of-repression", "callsForEstablishmentOf": "establish-mechanism",
}
RECOGNITIONS = ("recognizesAsPoliticalPrisoner", "recognizesAsFormerPoliticalPrisoner", "refersToAsPoliticalPrisoner")
GOLD_KEYS = {"persons": "persons", "organisations": "organizations", "mechanisms": "mechanisms", "places": "places",
             "provisions": "legal_provisions"}


@dataclass(frozen=True)
class Score:
    kind: str
    predicted: int
    gold: int
    true_pred: int  # predicted items that match
    true_gold: int  # gold items found

    @property
    def precision(self) -> float:
        return self.true_pred / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_gold / self.gold if self.gold else 1.0

    def row(self) -> str:
        return f"{self.kind:<22}{self.predicted:>6}{self.gold:>6}{self.precision:>11.2f}{self.recall:>9.2f}"


HEADER = f"{'kind':<22}{'pred':>6}{'gold':>6}{'precision':>11}{'recall':>9}"


def spans_of(evidence: Iterable[Evidence], texts: dict[str, str]) -> list[Span3]:
    out = []
    for ev in evidence:
        text, pos = texts.get(ev.source, ""), -1
        for _ in range(max(ev.occurrence, 1)):
            pos = text.find(ev.quote, pos + 1)
            if pos < 0:
                break
        if pos >= 0:
            out.append((ev.source, pos, pos + len(ev.quote)))
    return out


def gold_entities(gold: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    items = gold.get(GOLD_KEYS[kind]) or []
    if kind == "persons":
        return [g for g in items if g.get("name")]
    if kind == "provisions":
        return [g for g in items if g.get("number") and "implied" not in str(g.get("id")) and
                "implied" not in str(g.get("kind"))]
    return list(items)


def _gold_spans(g: dict[str, Any]) -> list[Span3]:
    return [(e["file"], int(e["start"]), int(e["end"])) for e in g.get("evidence") or []]


def _overlap(a: Span3, b: Span3) -> int:
    return max(0, min(a[2], b[2]) - max(a[1], b[1])) if a[0] == b[0] else 0


def match(record: Record, gold: list[dict[str, Any]], texts: dict[str, str]) -> str | None:
    """The id of the gold entity a predicted record stands for, or None."""
    mine = spans_of(record.evidence, texts)
    best: tuple[int, int, str] | None = None
    for g in gold:
        for gs in _gold_spans(g):
            ov = sum(_overlap(s, gs) for s in mine)
            if ov and (best is None or (ov, -(gs[2] - gs[1])) > best[:2]):
                best = (ov, -(gs[2] - gs[1]), g["id"])
    if best:
        return best[2]
    if record.kind == "persons":
        labels = [record.label] + [str(a) for a in record.fields.get("alt_labels") or []]
        for g in gold:
            if any(same_person_name(name_key(lb), name_key(f)) for lb in labels
                   for f in [g["name"]] + list(g.get("surface_forms") or [])):
                return str(g["id"])
    return None


def score_entities(kind: str, records: list[Record], gold: dict[str, Any], texts: dict[str, str]) -> \
        tuple[Score, dict[str, str]]:
    """The score of one kind and the map predicted key -> gold id (persons' map feeds the claim scores)."""
    entities = gold_entities(gold, kind)
    mine = [r for r in records if r.kind == kind and r.evidence]
    mapping = {r.key: m for r in mine if (m := match(r, entities, texts))}
    return Score(kind, len(mine), len(entities), len(mapping), len(set(mapping.values()))), mapping


def _files(rel: dict[str, Any]) -> set[str]:
    return {e["file"] for e in rel.get("evidence") or []}


def _stated_files(record: Record) -> set[str]:
    return {ev.source for ev in record.evidence}


def score_claims(records: list[Record], gold: dict[str, Any], persons: dict[str, str]) -> list[Score]:
    rels = gold.get("relations") or []
    claims = [r for r in records if r.kind == "claims"]
    out = []
    # recognitions: (file, gold person)
    gold_rec = {(f, r["object"]) for r in rels if r["type"] in RECOGNITIONS for f in _files(r)}
    pred_rec = {(f, persons.get(str(c.fields.get("person")), "?")) for c in claims
                if c.fields.get("type") == "recognition" for f in _stated_files(c)}
    out.append(_set_score("claims: recognitions", pred_rec, gold_rec))
    # demands: (file, type, gold person or None)
    gold_dem = {(f, DEMAND_TYPES[r["type"]], r["object"] if str(r["object"]).startswith("per:") else None)
                for r in rels if r["type"] in DEMAND_TYPES for f in _files(r)}
    pred_dem: set[tuple[str, str, str | None]] = set()
    for c in (c for c in claims if c.fields.get("type") == "demand"):
        for f in _stated_files(c):
            pred_dem.add((f, str(c.fields.get("demand_type")), None))
            pred_dem |= {(f, str(c.fields.get("demand_type")), persons.get(str(p), "?"))
                         for p in c.fields.get("persons") or []}
    found = {g for g in gold_dem if g in pred_dem}
    true_pred = {p for p in pred_dem if p in gold_dem or (p[2] is None and any(g[:2] == p[:2] for g in gold_dem))}
    out.append(Score("claims: demands", len(pred_dem), len(gold_dem), len(true_pred), len(found)))
    # signatures: the signatory line
    gold_sig = [(r, s) for r in rels if r["type"] == "signedBy" for s in _gold_spans(r)]
    sigs = [c for c in claims if c.fields.get("type") == "signature"]
    hits = {id(r) for r, s in gold_sig for c in sigs if any(_overlap(x, s) for x in c.__dict__.get("_spans", []))}
    out.append(Score("claims: signatures", len(sigs), len(gold_sig), len(hits), len(hits)))
    return out


def _set_score(kind: str, pred: set[Any], gold: set[Any]) -> Score:
    return Score(kind, len(pred), len(gold), len(pred & gold), len(pred & gold))


def evaluate(records: list[Record], gold: dict[str, Any], texts: dict[str, str]) -> list[Score]:
    scores, persons = [], {}
    for kind in ("persons", "provisions", "mechanisms", "organisations", "places"):
        score, mapping = score_entities(kind, records, gold, texts)
        scores.append(score)
        if kind == "persons":
            persons = mapping
    signature_spans(records, texts)
    return scores + score_claims(records, gold, persons)


def signature_spans(records: list[Record], texts: dict[str, str]) -> None:
    """Signature claims are matched by their evidence spans; compute them once."""
    for r in records:
        if r.kind == "claims" and r.fields.get("type") == "signature":
            object.__setattr__(r, "_spans", spans_of(r.evidence, texts))


def table(scores: list[Score]) -> str:
    return "\n".join([HEADER] + [s.row() for s in scores])
