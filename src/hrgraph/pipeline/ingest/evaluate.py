"""Precision and recall of ingestion against a gold standard (the `seeds.yaml` format).

Entities (persons, provisions, mechanisms, organisations, places): a predicted record matches the gold entity
whose evidence spans its own evidence overlaps most (ties: the shorter gold span), or, for persons, whose name
has the same canonical key. Precision = predicted records that match / predicted; recall = gold entities
matched / gold. Provisions are the explicitly cited, numbered ones (the gold's "implied" paraphrases are left
out: no citation to find). Claims: recall of (file, person) recognitions, (file, demand type, person or "any")
demands and (file, signatory span) signatures.
"""

from __future__ import annotations

import re
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
    scores, maps = [], {}
    for kind in ("persons", "provisions", "mechanisms", "organisations", "places"):
        score, maps[kind] = score_entities(kind, records, gold, texts)
        scores.append(score)
    signature_spans(records, texts)
    return scores + score_claims(records, gold, maps["persons"]) + score_facts(records, gold, maps)


def score_facts(records: list[Record], gold: dict[str, Any], maps: dict[str, dict[str, str]]) -> list[Score]:
    """Charges (file, person, provision), deaths (file, person) and submissions (file, mechanism) of the seeds."""
    rels = gold.get("relations") or []
    persons, provs, mechs = maps["persons"], maps["provisions"], maps["mechanisms"]
    gold_chg = {(f, r["subject"], r["object"]) for r in rels if r["type"] in ("convictedUnder", "heldLiableUnder")
                for f in _files(r)}
    gold_death = {(f, r["subject"]) for r in rels if r["type"] in ("died", "diedIn") for f in _files(r)}
    gold_sub = {(f, r["object"]) for r in rels if r["type"] in ("submittedTo", "spokeAt") for f in _files(r)}
    pred_chg, pred_death, pred_sub = set(), set(), set()
    for c in records:
        for f in _stated_files(c):
            if c.fields.get("type") == "charge":
                pred_chg.add((f, persons.get(str(c.fields["person"]), "?"), provs.get(str(c.fields["provision"]), "?")))
            elif c.fields.get("type") == "submission":
                pred_sub |= {(f, mechs.get(str(m), "?")) for m in c.fields.get("addressed_to") or []}
            elif c.kind == "events" and str(c.fields.get("kind", "")).startswith("death"):
                pred_death |= {(f, persons.get(str(p), "?")) for p in c.fields.get("persons") or []}
    return [_set_score("claims: charges", pred_chg, gold_chg), _set_score("events: deaths", pred_death, gold_death),
            _set_score("claims: submissions", pred_sub, gold_sub)]


def signature_spans(records: list[Record], texts: dict[str, str]) -> None:
    """Signature claims are matched by their evidence spans; compute them once."""
    for r in records:
        if r.kind == "claims" and r.fields.get("type") == "signature":
            object.__setattr__(r, "_spans", spans_of(r.evidence, texts))


def table(scores: list[Score]) -> str:
    return "\n".join([HEADER] + [s.row() for s in scores])


# --- pages with hand-written gold (tests/fixtures/devset/gold.yaml and heldout/gold.yaml) -------------------

PAGE_KINDS = ("persons", "recognitions", "charges", "detentions", "deaths", "submissions", "demands", "signatures")


def _person_names(records: list[Record]) -> dict[str, list[str]]:
    return {r.key: [r.label] + [str(a) for a in r.fields.get("alt_labels") or []]
            for r in records if r.kind == "persons"}


def _gold_person(names: list[str], gold: list[str]) -> str:
    """The gold name one of `names` denotes, else the first predicted name (a false positive)."""
    for n in names:
        for gname in gold:
            if same_person_name(name_key(n), name_key(gname)):
                return gname
    return names[0] if names else "?"


def _norm_org(label: str) -> str:
    from hrgraph.pipeline.ingest.recognise import norm

    return norm(label).replace("center", "centre")


def _same_org(a: str, b: str) -> bool:
    x, y = _norm_org(a), _norm_org(b)
    return bool(x and y) and (x == y or x in y or y in x)


def predicted_facts(records: list[Record], gold_pages: dict[str, Any]) -> dict[str, set[tuple[Any, ...]]]:
    """Every fact the records state, as tuples (file, ...) comparable with `gold_facts`."""
    names, labels = _person_names(records), {(r.kind, r.key): r.label for r in records}
    out: dict[str, set[tuple[Any, ...]]] = {k: set() for k in PAGE_KINDS}
    for r in records:
        files = {ev.source for ev in r.evidence}
        for f in files:
            gp = list((gold_pages.get(f) or {}).get("persons") or [])

            def who(key: object, gp: list[str] = gp) -> str:
                return _gold_person(names.get(str(key), [str(key)]), gp)

            f_ = r.fields
            if r.kind == "persons":
                out["persons"].add((f, who(r.key)))
            elif f_.get("type") == "recognition":
                out["recognitions"].add((f, who(f_["person"]), f_.get("status") or
                                         ("former" if f_.get("former") else "current")))
            elif f_.get("type") == "charge":
                number = labels.get(("provisions", str(f_["provision"])), str(f_["provision"])).rsplit(" ", 1)[-1]
                out["charges"].add((f, who(f_["person"]), number))
            elif f_.get("type") == "demand":
                out["demands"].add((f, f_["demand_type"], None))
                out["demands"] |= {(f, f_["demand_type"], who(p)) for p in f_.get("persons") or []}
            elif f_.get("type") == "submission":
                for by in f_.get("submitted_by") or ["?"]:
                    for to in f_.get("addressed_to") or []:
                        out["submissions"].add((f, labels.get(("organisations", by), by),
                                                labels.get(("mechanisms", to), to)))
            elif f_.get("type") == "signature":
                out["signatures"] |= {(f, labels.get(("organisations", o), o)) for o in f_["signatories"]}
            elif r.kind == "events" and f_.get("kind") in ("death", "death-in-custody"):
                out["deaths"] |= {(f, who(p)) for p in f_.get("persons") or []}
            elif r.kind == "events" and f_.get("kind") == "detention":
                out["detentions"] |= {(f, who(p)) for p in f_.get("persons") or []}
    return out


def gold_facts(gold_pages: dict[str, Any]) -> dict[str, set[tuple[Any, ...]]]:
    out: dict[str, set[tuple[Any, ...]]] = {k: set() for k in PAGE_KINDS}
    for f, page in gold_pages.items():
        page = page or {}
        out["persons"] |= {(f, p) for p in page.get("persons") or []}
        out["recognitions"] |= {(f, r["person"], r["status"]) for r in page.get("recognitions") or []}
        out["charges"] |= {(f, c["person"], str(c["article"])) for c in page.get("charges") or []}
        out["detentions"] |= {(f, p) for p in page.get("detentions") or []}
        out["deaths"] |= {(f, p) for p in page.get("deaths") or []}
        out["submissions"] |= {(f, s["by"], s["to"]) for s in page.get("submissions") or []}
        out["demands"] |= {(f, d["type"], d.get("person")) for d in page.get("demands") or []}
        out["signatures"] |= {(f, s) for s in page.get("signatures") or []}
    return out


def _matches(kind: str, p: tuple[Any, ...], g: tuple[Any, ...]) -> bool:
    if p[0] != g[0]:
        return False
    if kind == "submissions":
        return _same_org(p[1], g[1]) and _same_org(p[2], g[2])
    if kind == "signatures":
        return _same_org(p[1], g[1])
    if kind == "demands" and p[2] is None:
        return p[1] == g[1]  # a general demand is right when the page demands that at all
    return p == g


def score_pages(records: list[Record], gold_pages: dict[str, Any]) -> list[Score]:
    """Precision and recall per kind of fact over pages with hand-written gold."""
    pred, gold = predicted_facts(records, gold_pages), gold_facts(gold_pages)
    scores = []
    for kind in PAGE_KINDS:
        true_pred = sum(any(_matches(kind, p, g) for g in gold[kind]) for p in pred[kind])
        true_gold = sum(any(_matches(kind, p, g) for p in pred[kind] if p[2:3] != (None,) or kind != "demands")
                        for g in gold[kind])
        if kind == "demands":  # recall: a general gold demand is found by the general prediction too
            true_gold = sum(any(p == g or (g[2] is None and p[:2] == g[:2]) for p in pred[kind]) for g in gold[kind])
        scores.append(Score(kind, len(pred[kind]), len(gold[kind]), true_pred, true_gold))
    return scores + detail_scores(records, gold_pages)


# --- what a charge says besides (person, article): the court and the sentence ------------------------------

DETAILS = ("charge courts", "charge sentences")


NUMBERS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
NUMBERS.update({"a": 1, "an": 1, "fifteen": 15, "twenty": 20, "thirty": 30})
PENALTIES = ("imprisonment", "restricted freedom", "restriction of", "arrest", "fine", "correctional labour")


def _duration(text: str) -> tuple[float | None, str | None]:
    """A penalty's length in months and its kind, from "two and a half years of imprisonment", "3 years and 6
    months", "a five-year sentence", "one more year"."""
    t = text.lower()
    months = 0.0
    for num, half, unit in re.findall(r"\b(\d+(?:\.\d+)?|[a-z]+)(?:\s+(?:more|additional))?(\s+and\s+a\s+half)?"
                                      r"[\s-]+(year|month|day)s?\b", t):
        n = float(num) if num[0].isdigit() else NUMBERS.get(num)
        if n is not None:
            months += (n + (0.5 if half else 0)) * {"year": 12, "month": 1, "day": 1 / 30}[unit]
    kind = next((k for k in PENALTIES if k in t), None)
    return (months or None), kind


def _same_detail(kind: str, p: str, g: str) -> bool:
    """The same court, or the same length of penalty (and the same kind of penalty where both say it)."""
    if kind == "charge courts":
        return _same_org(p, g)
    (a, ka), (b, kb) = _duration(p), _duration(g)
    return a is not None and a == b and (ka is None or kb is None or ka == kb)


def _details(records: list[Record], gold_pages: dict[str, Any]) -> tuple[dict[str, list[tuple[Any, ...]]],
                                                                          dict[str, dict[tuple[Any, ...], str]]]:
    """Predicted (file, person, article, value) and gold {(file, person, article): value} per detail kind."""
    names, labels = _person_names(records), {(r.kind, r.key): r.label for r in records}
    pred: dict[str, list[tuple[Any, ...]]] = {k: [] for k in DETAILS}
    for r in records:
        f_ = r.fields
        if f_.get("type") != "charge":
            continue
        number = labels.get(("provisions", str(f_["provision"])), str(f_["provision"])).rsplit(" ", 1)[-1]
        for f in {ev.source for ev in r.evidence}:
            gp = list((gold_pages.get(f) or {}).get("persons") or [])
            who = _gold_person(names.get(str(f_["person"]), [str(f_["person"])]), gp)
            if f_.get("court"):
                pred["charge courts"].append((f, who, number, labels.get(("organisations", str(f_["court"])),
                                                                          str(f_["court"]))))
            if f_.get("sentence"):
                pred["charge sentences"].append((f, who, number, str(f_["sentence"])))
    gold: dict[str, dict[tuple[Any, ...], str]] = {k: {} for k in DETAILS}
    for f, page in gold_pages.items():
        for c in (page or {}).get("charges") or []:
            for kind, key in (("charge courts", "court"), ("charge sentences", "sentence")):
                if c.get(key):
                    gold[kind][(f, c["person"], str(c["article"]))] = str(c[key])
    return pred, gold


def detail_scores(records: list[Record], gold_pages: dict[str, Any]) -> list[Score]:
    """A court or sentence attached to a charge is right when the gold charge has that court or sentence (a
    sentence matches when one text contains the other: "four years" in "four years in a penal colony")."""
    pred, gold = _details(records, gold_pages)
    out = []
    for kind in DETAILS:
        right = {p for p in pred[kind] if p[:3] in gold[kind] and _same_detail(kind, p[3], gold[kind][p[:3]])}
        found = {p[:3] for p in right}
        out.append(Score(kind, len(set(pred[kind])), len(gold[kind]), len(right), len(found)))
    return out


def misses(records: list[Record], gold_pages: dict[str, Any]) -> list[str]:
    """Each false positive and each miss, one line each (for tuning on the dev set, never on held-out pages)."""
    pred, gold = predicted_facts(records, gold_pages), gold_facts(gold_pages)
    lines = []
    for kind in PAGE_KINDS:
        lines += [f"FP {kind}: {p}" for p in sorted(pred[kind], key=str)
                  if not any(_matches(kind, p, g) for g in gold[kind])]
        lines += [f"FN {kind}: {g}" for g in sorted(gold[kind], key=str)
                  if not any(_matches(kind, p, g) for p in pred[kind] if kind != "demands" or p[2] is not None)
                  and not (kind == "demands" and g[2] is None and (g[0], g[1], None) in pred[kind])]
    dpred, dgold = _details(records, gold_pages)
    for kind in DETAILS:
        lines += [f"FP {kind}: {p} (gold: {dgold[kind].get(p[:3])})" for p in sorted(set(dpred[kind]), key=str)
                  if not (p[:3] in dgold[kind] and _same_detail(kind, p[3], dgold[kind][p[:3]]))]
        got = {p[:3] for p in dpred[kind] if p[:3] in dgold[kind] and _same_detail(kind, p[3], dgold[kind][p[:3]])}
        lines += [f"FN {kind}: {g} {v}" for g, v in sorted(dgold[kind].items(), key=str) if g not in got]
    return lines
