"""Records → RDF triples with provenance. Deterministic: IRIs only, no blank nodes, so rebuilds are identical."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from hrgraph.model.namespaces import ELI, HR, OA
from hrgraph.model.records import Origin, Problem, Record
from hrgraph.pipeline.fields import CLAIM_CLASS, COMMON, DEFAULT_CLASS, FIELDS, STRUCTURAL, Field
from hrgraph.pipeline.resolve import Index, source_key
from hrgraph.pipeline.sources import SourceText, Span, locate

Triple = tuple[URIRef, URIRef, URIRef | Literal]

PARTIAL_DATES = [
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date), (re.compile(r"^\d{4}-\d{2}$"), XSD.gYearMonth),
    (re.compile(r"^\d{4}$"), XSD.gYear), (re.compile(r"^--\d{2}-\d{2}$"), XSD.gMonthDay),
    (re.compile(r"^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?$"), XSD.dateTime),
]


@dataclass
class Emitted:
    """The triples one record contributes, kept apart so an invalid record can be held back whole."""

    record: Record
    subject: URIRef
    triples: list[Triple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def date_literal(value: Any) -> Literal | None:
    """A typed date that keeps its precision: a year stays a gYear, a day without a year a gMonthDay."""
    if isinstance(value, dt.datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    text = str(value).strip()
    for pattern, datatype in PARTIAL_DATES:
        if pattern.match(text):
            return Literal(text, datatype=datatype)
    return None


def _label_literal(value: Any) -> Literal:
    if isinstance(value, dict):
        return Literal(str(value.get("text", "")), lang=str(value.get("lang", "en")))
    return Literal(str(value), lang="en")


def _values(spec: Field, raw: Any, index: Index, rec: Emitted) -> Iterator[URIRef | Literal]:
    items = raw if isinstance(raw, list) else [raw]
    for item in items:
        if item is None or item == "":
            continue
        kind, _, arg = spec.value.partition(":")
        if kind == "ref":
            yield index.ref(arg, str(item))
        elif kind == "concept":
            yield index.iris.concept(arg, str(item))
        elif kind == "label":
            yield _label_literal(item)
        elif kind == "text":
            yield Literal(str(item).strip(), lang="en")
        elif kind in ("date", "datetime"):
            if (lit := date_literal(item)) is not None:
                yield lit
            else:
                msg = f"'{item}' is not a date (YYYY, YYYY-MM, YYYY-MM-DD, --MM-DD or an ISO datetime)"
                rec.problems.append(Problem(rec.record.ref(), "date", msg, focus=str(rec.subject)))
        elif kind in ("int", "posint"):
            datatype = XSD.positiveInteger if kind == "posint" else XSD.integer
            yield Literal(str(int(item)), datatype=datatype) if str(item).lstrip("-").isdigit() else Literal(str(item))
        elif kind == "bool":
            yield Literal(bool(item))
        elif kind == "decimal":
            yield Literal(str(item), datatype=XSD.decimal)
        elif kind == "activity":
            yield extraction_activity(index, str(item))
        elif kind == "uri":
            yield URIRef(str(item))
        else:
            yield Literal(str(item))


def extraction_activity(index: Index, made_by: str) -> URIRef:
    """The IRI of the extraction activity "<version>/<rule>" (its description: `activity_triples`)."""
    version, _, rule = made_by.partition("/")
    return URIRef(f"{index.iris.base}id/extraction/{version}/{rule or 'unknown'}")


def activity_triples(index: Index, made_by: str) -> list[Triple]:
    act = extraction_activity(index, made_by)
    version, _, rule = made_by.partition("/")
    label = Literal(f"Extraction by hrgraph ingest {version}, rule {rule}", lang="en")
    return [(act, RDF.type, HR.ExtractionActivity), (act, RDFS.label, label), (act, SKOS.prefLabel, label),
            (act, HR.extractorVersion, Literal(version)), (act, HR.extractionRule, Literal(rule))]


def _rdf_class(rec: Emitted) -> URIRef:
    """The record's class in the ontology; a `class:` the ontology does not have holds the record back (HR is
    closed: the name is checked, never minted)."""
    record = rec.record
    if record.kind == "claims":
        name = CLAIM_CLASS.get(str(record.fields.get("type")), "Claim")
    else:
        name = str(record.fields.get("class") or DEFAULT_CLASS.get(record.kind, ""))
    if name in HR:
        return HR[name]
    rec.problems.append(Problem(record.ref(), "class", f"'class: {name}' is not a class of the ontology "
                                "(ontology/hrgraph.ttl)", focus=str(rec.subject)))
    return OWL.Thing


def claim_label(record: Record, index: Index) -> str:
    """A readable label for a claim that has none: what, about whom, in which statement."""
    f = record.fields
    persons = [f["person"]] if f.get("person") else list(f.get("persons") or [])
    who = ", ".join(index.label("persons", p) for p in persons)
    stmt = f.get("statement")
    where = f" — {index.label('statements', stmt[0] if isinstance(stmt, list) else stmt)}" if stmt else ""
    kind = str(f.get("type", "claim"))
    what = {
        "recognition": f"Recognition of {who or 'persons'} as {'former ' if f.get('former') else ''}political prisoner",
        "charge": f"Charge against {who} under {index.label('provisions', str(f.get('provision')))}",
        "demand": f"Demand ({str(f.get('demand_type', '')).replace('-', ' ')})" + (f" for {who}" if who else ""),
        "submission": "Submission to " + ", ".join(index.label("mechanisms", m) for m in f.get("addressed_to") or []),
        "signature": "Signatories of the statement",
        "statistic": f"Statistic: {f.get('qualifier', '')} {f.get('value', '')} {f.get('of', '')}".replace("  ", " "),
    }.get(kind, kind)
    return (what + where).strip()


def _evidence(rec: Emitted, index: Index, texts: dict[str, SourceText]) -> None:
    for n, ev in enumerate(rec.record.evidence, 1):
        span = locate(ev, texts)
        if isinstance(span, str):
            rec.problems.append(Problem(rec.record.ref(), "evidence-quote", span, focus=str(rec.subject)))
            continue
        source = index.ref("sources", ev.source)
        rec.triples.append((rec.subject, PROV.wasDerivedFrom, source))
        rec.triples.extend(_annotation(index.iris.evidence(rec.subject, n), rec.subject, source, ev.source, span))


@dataclass(frozen=True)
class Lit:
    """A literal as plain data: text with a language tag, or a datatype IRI, or neither (a plain string)."""

    text: str
    lang: str | None = None
    datatype: str | None = None


Statement = tuple[str, str, "str | Lit"]  # subject, predicate, object: IRIs as text
_T, _LABEL = str(RDF.type), str(RDFS.label)
_NON_NEGATIVE = str(XSD.nonNegativeInteger)
_O = {name: str(OA[name]) for name in (
    "Annotation", "SpecificResource", "TextQuoteSelector", "TextPositionSelector", "describing", "motivatedBy",
    "hasBody", "hasTarget", "hasSource", "hasSelector", "exact", "prefix", "suffix", "start", "end")}
_HAS_EVIDENCE = str(HR.hasEvidence)


def annotation(ann: str, body: str, source: str, file: str, span: Span) -> list[Statement]:
    """The evidence annotation of one quote (W3C Web Annotation: a quote and a position selector on the source).
    The one description of its shape, as plain data: the build makes rdflib terms of it, `synth` N-Triples."""
    target, quote, position = ann + "#target", ann + "#quote", ann + "#position"
    o = _O
    return [
        (target, _LABEL, Lit(f"Characters {span.start}–{span.end} of {file}", "en")),
        (quote, _LABEL, Lit(f"Quote: “{span.exact}”", "en")),
        (position, _LABEL, Lit(f"Characters {span.start}–{span.end}", "en")),
        (body, _HAS_EVIDENCE, ann),
        (ann, _T, o["Annotation"]), (ann, _LABEL, Lit(f"Evidence: “{span.exact}”", "en")),
        (ann, o["motivatedBy"], o["describing"]), (ann, o["hasBody"], body), (ann, o["hasTarget"], target),
        (target, _T, o["SpecificResource"]), (target, o["hasSource"], source),
        (target, o["hasSelector"], quote), (target, o["hasSelector"], position),
        (quote, _T, o["TextQuoteSelector"]), (quote, o["exact"], Lit(span.exact)),
        (quote, o["prefix"], Lit(span.prefix)), (quote, o["suffix"], Lit(span.suffix)),
        (position, _T, o["TextPositionSelector"]),
        (position, o["start"], Lit(str(span.start), datatype=_NON_NEGATIVE)),
        (position, o["end"], Lit(str(span.end), datatype=_NON_NEGATIVE)),
    ]


def _term(value: str | Lit) -> URIRef | Literal:
    if isinstance(value, str):
        return URIRef(value)
    return Literal(value.text, lang=value.lang, datatype=URIRef(value.datatype) if value.datatype else None)


def _annotation(ann: URIRef, body: URIRef, source: URIRef, file: str, span: Span) -> list[Triple]:
    return [(URIRef(s), URIRef(p), _term(o)) for s, p, o in annotation(ann, body, source, file, span)]


def emit_retired(record: Record, index: Index) -> Emitted:
    """A key that left the dataset: merged into another record (owl:sameAs, served as 301 Moved Permanently)
    or withdrawn by the curators (a tombstone, served as 410 Gone). Nothing else about it is published."""
    f = record.fields
    try:
        rec = Emitted(record, index.iri(record))
    except KeyError:
        rec = Emitted(record, URIRef(f"{index.iris.base}id/unknown/{record.key}"))
        rec.problems.append(Problem(record.ref(), "retired", f"'of: {f.get('of')}' is not a kind of record"))
        return rec
    s = rec.subject
    if index.find(str(f.get("of")), record.key) is not None:
        rec.problems.append(Problem(record.ref(), "retired", "a retired key is still used by a live record"))
    if f.get("merged_into"):
        rec.triples.append((s, OWL.sameAs, index.ref(str(f.get("of")), str(f["merged_into"]))))
    elif f.get("withdrawn"):
        rec.triples += [(s, RDF.type, HR.WithdrawnRecord), (s, RDFS.label, Literal("Withdrawn record", lang="en")),
                        (s, DCTERMS.description, Literal(str(f["withdrawn"]), lang="en"))]
        if (when := date_literal(f["date"]) if f.get("date") else None) is not None:
            rec.triples.append((s, HR.date, when))
    else:
        rec.problems.append(Problem(record.ref(), "retired", "a retired key needs 'merged_into: KEY' or "
                                    "'withdrawn: why (in general words)'"))
    return rec


def emit_record(record: Record, index: Index, texts: dict[str, SourceText]) -> Emitted:
    if record.kind == "retired":
        return emit_retired(record, index)
    rec = Emitted(record, index.iri(record))
    s = rec.subject
    label = record.label or (claim_label(record, index) if record.kind == "claims" else "")
    if label and record.fields.get("review") == "unreviewed":
        label = f"(unreviewed) {label}"  # the mark every page, SPARQL result and dump shows
    rec.triples.append((s, RDF.type, _rdf_class(rec)))
    if label:
        rec.triples += [(s, RDFS.label, Literal(label, lang="en")), (s, SKOS.prefLabel, Literal(label, lang="en"))]
    if record.kind == "instruments" and label:
        rec.triples.append((s, ELI.title, Literal(label, lang="en")))
    specs = {**COMMON, **FIELDS.get(record.kind, {})}
    for name, raw in record.fields.items():
        if name in STRUCTURAL or name.startswith("__"):
            continue
        spec = specs.get(name)
        if spec is None:
            rec.problems.append(Problem(record.ref(), "unknown-field",
                                        f"field '{name}' means nothing for {record.kind} (see data/curated/README.md)",
                                        severity="Warning", focus=str(s)))
            continue
        rec.triples.extend((s, spec.predicate, v) for v in _values(spec, raw, index, rec))
    if record.fields.get("extracted_by"):
        rec.triples += activity_triples(index, str(record.fields["extracted_by"]))
    if record.kind == "claims":
        if record.fields.get("type") == "recognition" and not record.fields.get("criterion"):
            # The Guidelines' criterion is recorded only where the text states it; say so explicitly.
            rec.triples.append((s, HR.criterion, index.iris.concept("pp-guidelines-2013", "not-stated")))
        rec.triples.extend(_shortcuts(rec))
    _evidence(rec, index, texts)
    return rec


def _shortcuts(rec: Emitted) -> list[Triple]:
    """Edges derivable from a claim, materialised for easy SPARQL: the statement names the person, and a
    recognised person points to the recognition."""
    persons = [o for _, p, o in rec.triples if p == HR.person]
    statements = [o for _, p, o in rec.triples if p == HR.statedIn]
    out: list[Triple] = [(st, HR.mentions, p) for st in statements for p in persons]
    if (rec.subject, RDF.type, HR.Recognition) in rec.triples:
        out += [(p, HR.recognisedAsPoliticalPrisoner, rec.subject) for p in persons]
    return out


def emit_source(text: SourceText, meta: Record | None, index: Index) -> Emitted:
    """A stored document: its identity, size and hash, so a quote's offsets can be checked against it."""
    key = source_key(text.file)
    fields = dict(meta.fields) if meta else {}
    fields.setdefault("label", f"Source document {text.file}")
    origin = meta.origin if meta else Origin(f"data/sources/{text.file}", 0)
    rec = emit_record(Record("sources", key, fields, origin), index, {})
    s = rec.subject
    rec.triples += [
        (s, DCTERMS.identifier, Literal(text.file)), (s, DCTERMS.format, Literal("text/plain")),
        (s, HR.sha256, Literal(text.sha256)), (s, HR.characters, Literal(len(text.text))),
        # The stored text itself, published beside the dumps so every quote's offsets can be checked.
        (s, DCTERMS.hasFormat, URIRef(f"{index.iris.base}sources/{text.file}")),
    ]
    return rec
