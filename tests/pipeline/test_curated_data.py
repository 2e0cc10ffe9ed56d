"""Integrity checks for the hand-curated records in data/curated/ (format: data/curated/README.md)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import rdflib
import yaml

ROOT = Path(__file__).resolve().parents[2]
CURATED = ROOT / "data" / "curated"
SOURCES = ROOT / "data" / "sources"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# file -> kinds it holds
FILES = {
    "sources.yaml": ["sources"],
    "organisations.yaml": ["organisations"],
    "persons.yaml": ["persons"],
    "places.yaml": ["places"],
    "legislation.yaml": ["instruments", "provisions"],
    "mechanisms.yaml": ["mechanisms"],
    "statements.yaml": ["statements"],
    "events.yaml": ["events"],
    "claims.yaml": ["claims"],
}

KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|--\d{2}-\d{2})$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$")

ORG_CLASSES = {
    "HumanRightsOrganisation",
    "Association",
    "MediaOrganisation",
    "StateBody",
    "Court",
    "PenalInstitution",
    "InternationalOrganisation",
    "Organisation",
}
INSTRUMENT_CLASSES = {"Code", "Law", "Constitution", "Treaty", "Guidelines"}
MECHANISM_CLASSES = {
    "CharterBody",
    "MechanismSession",
    "SpecialProcedure",
    "TreatyBody",
    "RegionalMechanism",
    "Mechanism",
}
STATEMENT_CLASSES = {"JointStatement", "Report", "NewsItem", "Interview", "Speech", "Statement"}
EVENT_CLASSES = {"Detention", "Trial", "DeathInCustody", "Liquidation", "Event"}
LAYOUTS = {"listing", "tag-listing", "statement-page"}
QUALIFIERS = {"exactly", "at-least", "more-than", "about"}
CLAIM_TYPES = {"recognition", "charge", "demand", "submission", "signature", "statistic"}


@cache
def concepts(scheme: str) -> frozenset[str]:
    """The concept keys a scheme publishes, read from ontology/vocab/ (the one source of them)."""
    graph = rdflib.Graph().parse(ROOT / "ontology" / "vocab" / f"{scheme}.ttl")
    prefix = f"https://w3id.org/hrgraph/vocab/{scheme}/"
    return frozenset(str(c)[len(prefix):] for c in graph.subjects(rdflib.RDF.type, rdflib.SKOS.Concept)
                     if str(c).startswith(prefix))


@cache
def load(kind: str) -> list[dict]:
    for fname, kinds in FILES.items():
        if kind in kinds:
            data = yaml.safe_load((CURATED / fname).read_text(encoding="utf-8"))
            assert isinstance(data, dict), fname
            return data.get(kind) or []
    raise KeyError(kind)


ALL_KINDS = [k for kinds in FILES.values() for k in kinds]


def keys(kind: str) -> set[str]:
    return {r["key"] for r in load(kind)}


@cache
def source_text(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


def all_records():
    for kind in ALL_KINDS:
        for rec in load(kind):
            yield kind, rec


def quotes_of(kind: str, rec: dict):
    """Every (source, quote, occurrence) the record cites."""
    if kind in ("events", "claims"):
        yield rec["source"], rec["quote"], rec.get("occurrence", 1)
    for ev in rec.get("evidence") or []:
        yield ev["source"], ev["quote"], ev.get("occurrence", 1)


# --- files and shape -------------------------------------------------------------------------------
def test_files_are_mappings_with_their_kinds():
    for fname, kinds in FILES.items():
        data = yaml.safe_load((CURATED / fname).read_text(encoding="utf-8"))
        assert set(data) == set(kinds), fname
        for kind in kinds:
            assert isinstance(data[kind], list) and data[kind], (fname, kind)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_keys_unique_and_slug_shaped(kind):
    ks = [r.get("key") for r in load(kind)]
    bad = [k for k in ks if not isinstance(k, str) or not KEY_RE.match(k)]
    assert not bad, f"{kind}: malformed keys {bad}"
    dups = [k for k, n in Counter(ks).items() if n > 1]
    assert not dups, f"{kind}: duplicate keys {dups}"


def test_every_entity_has_a_label():
    for kind, rec in all_records():
        if kind == "claims":
            continue
        assert isinstance(rec.get("label"), str) and rec["label"].strip(), (kind, rec.get("key"))
        for alt in rec.get("alt_labels") or []:
            assert isinstance(alt, str) or (isinstance(alt, dict) and alt.get("text") and alt.get("lang")), (
                kind,
                rec["key"],
                alt,
            )


# --- (a) quotes ------------------------------------------------------------------------------------
def test_every_quote_occurs_verbatim_in_its_source():
    files = {p.name for p in SOURCES.glob("*.txt")}
    problems = []
    for kind, rec in all_records():
        for src, quote, occ in quotes_of(kind, rec):
            if src not in files:
                problems.append(f"{kind}/{rec['key']}: unknown source {src!r}")
                continue
            if not isinstance(quote, str) or not quote:
                problems.append(f"{kind}/{rec['key']}: empty quote")
                continue
            n = source_text(src).count(quote)
            if n < occ:
                problems.append(f"{kind}/{rec['key']}: {quote!r} occurs {n}x in {src} (occurrence {occ})")
    assert not problems, "\n".join(problems)


def test_entities_cited_in_sources_carry_evidence():
    # Reference records (provisions, mechanisms, the 2021 code) may have none; the rest must.
    for kind in ("organisations", "persons", "places", "statements"):
        for rec in load(kind):
            assert rec.get("evidence"), f"{kind}/{rec['key']} has no evidence"


# --- (b) references --------------------------------------------------------------------------------
def _check_ref(problems, where, value, kind):
    values = value if isinstance(value, list) else [value]
    for v in values:
        if v not in keys(kind):
            problems.append(f"{where}: {v!r} is not a {kind} key")


def test_references_resolve_to_the_right_kind():
    p: list[str] = []
    files = {p_.name for p_ in SOURCES.glob("*.txt")}
    every_key = set().union(*(keys(k) for k in ALL_KINDS))
    for rec in load("sources"):
        assert rec["file"] in files, rec
    for rec in load("places"):
        if "located_in" in rec:
            _check_ref(p, f"places/{rec['key']}.located_in", rec["located_in"], "places")
    for rec in load("instruments"):
        if "replaced_by" in rec:
            _check_ref(p, f"instruments/{rec['key']}.replaced_by", rec["replaced_by"], "instruments")
    for rec in load("provisions"):
        _check_ref(p, f"provisions/{rec['key']}.instrument", rec["instrument"], "instruments")
        if "replaced_by" in rec:
            _check_ref(p, f"provisions/{rec['key']}.replaced_by", rec["replaced_by"], "provisions")
    for rec in load("mechanisms"):
        if "part_of" in rec:
            _check_ref(p, f"mechanisms/{rec['key']}.part_of", rec["part_of"], "mechanisms")
    for rec in load("statements"):
        w = f"statements/{rec['key']}"
        assert rec.get("sources") and set(rec["sources"]) <= files, w
        if "publisher" in rec:
            _check_ref(p, w + ".publisher", rec["publisher"], "organisations")
        if "addressed_to" in rec:
            _check_ref(p, w + ".addressed_to", rec["addressed_to"], "mechanisms")
        for m in rec.get("mentions") or []:
            if m not in every_key:
                p.append(f"{w}.mentions: {m!r} is no record key")
    stm_sources = {r["key"]: set(r["sources"]) for r in load("statements")}
    for rec in load("events"):
        w = f"events/{rec['key']}"
        _check_ref(p, w + ".statement", rec["statement"], "statements")
        if rec["source"] not in stm_sources.get(rec["statement"], set()):
            p.append(f"{w}: source {rec['source']} is not a source of its statement")
        if "place" in rec:
            _check_ref(p, w + ".place", rec["place"], "places")
        _check_ref(p, w + ".persons", rec.get("persons") or [], "persons")
        _check_ref(p, w + ".organisations", rec.get("organisations") or [], "organisations")
    for rec in load("claims"):
        w = f"claims/{rec['key']}"
        _check_ref(p, w + ".statement", rec["statement"], "statements")
        if rec["source"] not in stm_sources.get(rec["statement"], set()):
            p.append(f"{w}: source {rec['source']} is not a source of its statement")
        for field, kind in (
            ("person", "persons"),
            ("persons", "persons"),
            ("recognised_by", "organisations"),
            ("demanded_by", "organisations"),
            ("submitted_by", "organisations"),
            ("signatories", "organisations"),
            ("court", "organisations"),
            ("addressed_to", "mechanisms"),
            ("provision", "provisions"),
        ):
            if field in rec:
                _check_ref(p, f"{w}.{field}", rec[field], kind)
    assert not p, "\n".join(p)


def test_courts_are_courts():
    classes = {r["key"]: r["class"] for r in load("organisations")}
    for rec in load("claims"):
        if "court" in rec:
            assert classes[rec["court"]] == "Court", rec["key"]


# --- vocabularies and field values --------------------------------------------------------------------
def test_classes_and_concepts_are_from_the_model():
    for rec in load("sources"):
        assert rec["layout"] in LAYOUTS, rec["key"]
        assert rec["site"].startswith("https://"), rec["key"]
    for rec in load("organisations"):
        assert rec["class"] in ORG_CLASSES, rec["key"]
    for rec in load("instruments"):
        assert rec["class"] in INSTRUMENT_CLASSES, rec["key"]
    for rec in load("provisions"):
        assert isinstance(rec["number"], str) and rec["number"], rec["key"]
        assert rec.get("subject"), rec["key"]
    for rec in load("mechanisms"):
        assert rec["class"] in MECHANISM_CLASSES, rec["key"]
        if "kind" in rec:
            assert rec["kind"] in concepts("mechanism-kind"), rec["key"]
        if rec["class"] == "MechanismSession":
            assert isinstance(rec.get("session"), int) and rec["session"] > 0, rec["key"]
    for rec in load("statements"):
        assert rec["class"] in STATEMENT_CLASSES, rec["key"]
        if "kind" in rec:
            assert rec["kind"] in concepts("statement-kind"), rec["key"]
        assert rec.get("title"), rec["key"]
        if "date" in rec:
            assert isinstance(rec["date"], str) and DATE_RE.match(rec["date"]), rec["key"]
        for f in ("issued", "modified"):
            if f in rec:
                assert isinstance(rec[f], str) and DATETIME_RE.match(rec[f]), (rec["key"], f)
    for rec in load("events"):
        assert rec["class"] in EVENT_CLASSES, rec["key"]
        assert rec["kind"] in concepts("event-kind"), rec["key"]
        if "date" in rec:
            assert isinstance(rec["date"], str) and DATE_RE.match(rec["date"]), rec["key"]


def test_claims_have_the_fields_of_their_type():
    for rec in load("claims"):
        k = rec["key"]
        t = rec["type"]
        assert t in CLAIM_TYPES, k
        if "date" in rec:
            assert isinstance(rec["date"], str) and DATE_RE.match(rec["date"]), k
        if t == "recognition":
            assert rec["person"] and rec["recognised_by"], k
            if "criterion" in rec:
                assert rec["criterion"] in concepts("pp-guidelines-2013"), k
            if "former" in rec:
                assert isinstance(rec["former"], bool), k
        elif t == "charge":
            assert rec["provision"], k
        elif t == "demand":
            assert rec["demand_type"] in concepts("demand-type"), k
            assert isinstance(rec.get("persons"), list), k
        elif t == "submission":
            assert rec["submitted_by"] and rec["addressed_to"], k
        elif t == "signature":
            assert rec["signatories"], k
        elif t == "statistic":
            assert isinstance(rec["value"], int) and not isinstance(rec["value"], bool), k
            assert rec["qualifier"] in QUALIFIERS and rec["of"], k


def test_one_recognition_per_person_per_statement():
    pairs = Counter((r["statement"], r["person"]) for r in load("claims") if r["type"] == "recognition")
    assert not [p for p, n in pairs.items() if n > 1]


# --- (d) coverage of the gold annotation ------------------------------------------------------------------
def gold_person_names() -> list[str]:
    lines = (FIXTURES / "gold_persons.txt").read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


def test_all_gold_persons_are_present():
    names = gold_person_names()
    assert len(names) == 41
    labels = set()
    for rec in load("persons"):
        labels.add(rec["label"])
        for alt in rec.get("alt_labels") or []:
            labels.add(alt if isinstance(alt, str) else alt["text"])
    missing = [n for n in names if n not in labels]
    assert not missing, f"missing persons: {missing}"


@pytest.mark.parametrize(
    ("kind", "minimum"),
    [("persons", 41), ("organisations", 15), ("statements", 18), ("provisions", 6), ("mechanisms", 5)],
)
def test_minimum_counts(kind, minimum):
    assert len(load(kind)) >= minimum
