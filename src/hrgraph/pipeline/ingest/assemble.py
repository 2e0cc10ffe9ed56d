"""Documents → mentions and drafts → `Record`s with keys: the ingest stage end to end, one document at a time.

What each item of a document mentions is mentions.py's; here the mentions are keyed (namesakes kept apart) and
become entities, statements and claim drafts, then records with resolved keys and evidence.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hrgraph.model.records import Evidence, Origin, Problem, Record
from hrgraph.pipeline.ingest import lexicon as lx
from hrgraph.pipeline.ingest.claims import Draft, ItemContext, Ref, extract
from hrgraph.pipeline.ingest.document import Document, Item, Span
from hrgraph.pipeline.ingest.identity import KeyRegistry, Resolver
from hrgraph.pipeline.ingest.mentions import PagePersons, complete_mentions, item_mentions
from hrgraph.pipeline.ingest.names import slug
from hrgraph.pipeline.ingest.readers import ReadError, read_file
from hrgraph.pipeline.ingest.recognise import Mention, ident, norm, recognise
from hrgraph.pipeline.sources import line_of, occurrences

MAX_EVIDENCE = 8  # quotes kept for one claim stated again and again
BORN = re.compile(r"^[,\s\u00a0]*\(?(?:born|b\.)[\s\u00a0]+(?:in[\s\u00a0]+)?(\d{4})")


@dataclass
class Entity:
    kind: str
    canonical: str  # ident without the kind (+ "#born=YYYY" for a namesake)
    label: str
    fields: dict[str, Any] = field(default_factory=dict)
    variants: list[str] = field(default_factory=list)
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # (file, start, end)

    @property
    def ident(self) -> str:
        return f"{self.kind}:{self.canonical}"


@dataclass
class IngestResult:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # file -> stored text (extracted text for HTML)
    documents: list[Document] = field(default_factory=list)
    resolver: Resolver | None = None

    def explain(self, key: str) -> list[str]:
        return self.resolver.explain(key) if self.resolver else []


def doc_tag(file: str) -> str:
    m = re.match(r"(\d+)[_-]", file)
    return m.group(1) if m else slug(file.rsplit(".", 1)[0], 24)


def evidence(text: str, file: str, start: int, end: int) -> Evidence:
    """The exact words at [start, end) with the occurrence number the emitter's locate() will find."""
    while start < end and text[start] in " \t\n\u00a0,":
        start += 1
    while end > start and text[end - 1] in " \t\n\u00a0,":
        end -= 1
    quote = text[start:end]
    return Evidence(file, quote, max(bisect_left(occurrences(text, quote), start) + 1, 1))


class Ingest:
    """Collects entities and drafts over all documents, then resolves keys and builds records."""

    def __init__(self, known: list[Record], registry: KeyRegistry) -> None:
        self.known = known
        self.resolver = Resolver(known, registry)
        self.entities: dict[str, Entity] = {}
        self.drafts: list[tuple[Document, int, Draft]] = []
        self.statements: dict[str, Entity] = {}
        self.sites = {str(r.fields.get("file", "")): str(r.fields.get("site", ""))
                      for r in known if r.kind == "sources"}

    # --- entities --------------------------------------------------------------------------------------

    def entity(self, m: Mention, file: str, canonical: str | None = None) -> Entity:
        canonical = canonical or m.ident.split(":", 1)[1]
        e = self.entities.setdefault(f"{m.kind}:{canonical}", Entity(m.kind, canonical, m.label, {}))
        for k, v in m.attrs.items():
            if v is not None and k not in ("alone", "generic", "relative", "assumed", "part", "canonical",
                                                         "list_start", "list_end"):
                e.fields.setdefault(k, v)
        if m.attrs.get("assumed"):
            e.fields.setdefault("note", "The text does not name the instrument; the one named before is assumed.")
        if not m.attrs.get("alone"):
            e.variants.append(re.sub(r"[\s\u00a0]+", " ", m.text))
        if len([s for s in e.spans if s[0] == file]) < 2 and not m.attrs.get("alone"):
            e.spans.append((file, m.start, m.end))
        self._parents(e, file)
        return e

    def _parents(self, e: Entity, file: str) -> None:
        """The mechanism a session or mandate is part of, the instrument of a provision, the town of a colony."""
        for attr, kind, extra in (("part_of", "mechanisms", lx.MECHANISMS), ("instrument", "instruments",
                                                                             lx.INSTRUMENTS),
                                  ("located_in", "places", [])):
            label = e.fields.get(attr)
            if e.kind in ("mechanisms", "provisions", "places") and isinstance(label, str) and \
                    f"{kind}:{norm(label)}" not in self.entities:
                entry = next((x for x in extra if x.label == label), None)
                fields = dict(entry.fields) if entry else ({"place_kind": "country"} if kind == "places" and
                                                           label in lx.COUNTRIES else {})
                self.entities[f"{kind}:{norm(label)}"] = Entity(kind, norm(label), label, fields, [label])

    # --- documents -------------------------------------------------------------------------------------

    def add(self, doc: Document) -> None:
        if doc.language:
            return  # not English: the rules would invent facts; the text is kept as a source
        year = (doc.date or doc.issued or "")[:4] or None
        per_item = item_mentions(doc, year)
        people = [m for _, _, ms in per_item for m in ms if m.kind == "persons"]
        persons = PagePersons.of(people)
        self._births = {m.ident: b.group(1) for m in people if (b := BORN.match(doc.text[m.end:m.end + 30]))}
        for n, found in enumerate(per_item, 1):
            item, spans, _ = found
            mentions = [self._keyed(m, doc) for m in complete_mentions(doc, n, found, year, persons)]
            for m in mentions:
                if m.kind != "dates":
                    self.entity(m, doc.file)
            statement = self.statement(doc, n, item, spans)
            author = self.author(doc, item, mentions)
            ctx = ItemContext(doc, n, item, mentions, Ref(statement.ident), author, item.date or doc.date)
            statement.fields.setdefault("mentions", [])
            statement.fields["mentions"] += [Ref(m.ident) for m in mentions
                                             if m.kind in ("persons", "organisations", "mechanisms", "provisions")]
            if author:
                statement.fields.setdefault("publisher", author)
            self.drafts += [(doc, n, d) for d in extract(ctx)]

    def _keyed(self, m: Mention, doc: Document) -> Mention:
        """A person mention whose ident says which person: namesakes of different documents stay apart."""
        if m.kind != "persons":
            return m
        return Mention(m.kind, m.label, m.start, m.end, m.text, {**m.attrs, "canonical":
                                                                 self._person_canonical(m, doc)})

    def _person_canonical(self, m: Mention, doc: Document) -> str:
        """The person's name key, + the birth year the document gives (the same year in two documents is one
        person), else + the document: two documents naming "Ivan Petrash" are not merged on the name alone. A
        name a curated person carries is that person (the curator decided)."""
        base = m.ident.split(":", 1)[1]
        if year := getattr(self, "_births", {}).get(m.ident):
            return f"{base}#born={year}"
        if self.resolver.known_match("persons", base, [m.label], {}) is not None:
            return base
        return f"{base}#in={doc_tag(doc.file)}"

    def statement(self, doc: Document, n: int, item: Item, spans: list[Span]) -> Entity:
        title = item.headline.text if item.headline else ""
        canonical = norm(title) if title else f"{doc.file}#{n}"
        e = self.statements.setdefault(canonical, Entity("statements", canonical, title or _untitled(item), {}))
        e.fields.setdefault("sources", [])
        if doc.file not in e.fields["sources"]:
            e.fields["sources"].append(doc.file)
        first = item.headline or (item.paragraphs[0] if item.paragraphs else None)
        if first is not None:
            end = first.end if item.headline else first.start + len(_untitled(item).rstrip("…"))
            e.spans.append((doc.file, first.start, end))
        e.fields.update(_statement_fields(doc, item, title))
        e.fields.setdefault("__spans", []).extend((doc.file, s.start, s.end) for s in spans)
        return e

    def author(self, doc: Document, item: Item, mentions: list[Mention]) -> Ref | None:
        heads = ([item.headline] if item.headline else []) + list(item.subtitles)
        for h in heads:
            for m in mentions:
                if m.kind == "organisations" and h.start <= m.start < h.end and \
                        m.attrs.get("class") not in ("StateBody", "Court", "PenalInstitution") and \
                        re.search(r"(?i)^(?:\W|the|joint|statement|by|of)*$", doc.text[h.start:m.start]) or \
                        (m.kind == "organisations" and h.start <= m.start < h.end and
                         re.match(r"[\s\u00a0]+(?:statement|spoke|calls?|demands?|submitted|sent)\b",
                                  doc.text[m.end:m.end + 12])):
                    return Ref(m.ident)
        name = doc.publisher or lx.SITES.get(re.sub(r"^https?://(?:www\.)?|/.*$", "", self.sites.get(doc.file, "")))
        if not name:
            return None
        found = [m for m in recognise(name, 0, name, None) if m.kind == "organisations"]
        label = found[0].label if found else name
        entry = next((x for x in lx.ORGANISATIONS if x.label == label), None)
        e = self.entities.setdefault(ident("organisations", label).replace("organisations:", "organisations:", 1),
                                     Entity("organisations", norm(label), label,
                                            dict(entry.fields) if entry else {"class": "Organisation"}, [label]))
        return Ref(e.ident)

    # --- records ---------------------------------------------------------------------------------------

    def records(self, texts: dict[str, str]) -> list[Record]:
        out: list[Record] = []
        for e in self.entities.values():
            self._key(e)
        for e in self.statements.values():
            self._key(e)
        for e in list(self.entities.values()) + list(self.statements.values()):
            out.append(self._record(e, texts))
        out += self._claims(texts)
        return out

    def _key(self, e: Entity) -> str:
        file = e.spans[0][0] if e.spans else ""
        fields = dict(e.fields)
        preferred = ""
        if e.kind == "provisions":
            inst = self._key(self.entities[f"instruments:{norm(str(e.fields['instrument']))}"])
            fields["instrument_key"] = inst
            preferred = f"{inst}-{str(e.fields['number']).replace('.', '-')}"
        if e.kind == "statements":
            key = self._known_statement(e, texts_hint=None)
            if key:
                self.resolver.keys[e.ident] = key
                self.resolver.decisions[e.ident] = _decision(key, "matches a curated statement by title or quote")
                return key
        key = self.resolver.resolve(e.kind, e.canonical, e.label, [e.label, *e.variants], file, fields, preferred)
        extra = "namesake kept apart by birth year" if "#born=" in e.canonical else \
            "not merged with a namesake of another document on the name alone" if "#in=" in e.canonical else ""
        self.resolver.note(e.ident, e.variants, [s[0] for s in e.spans], extra)
        return key

    def _known_statement(self, e: Entity, texts_hint: object) -> str | None:
        for r in self.known:
            if r.kind != "statements":
                continue
            if e.label and norm(str(r.fields.get("title") or r.label)) == norm(e.label) and \
                    not e.canonical.startswith(tuple(e.fields.get("sources", []))):
                return r.key
            for ev in r.evidence:
                if any(ev.source == f and ev.quote and ev.quote in self._span_text(f, a, b)
                       for f, a, b in e.fields.get("__spans", [])):
                    return r.key
        return None

    def _span_text(self, file: str, a: int, b: int) -> str:
        return self._texts.get(file, "")[a:b]

    def _record(self, e: Entity, texts: dict[str, str]) -> Record:
        key = self.resolver.keys[e.ident]
        fields: dict[str, Any] = {"key": key, "label": e.label}
        alts = sorted({v for v in e.variants if v != e.label})
        if alts:
            fields["alt_labels"] = alts
        for k, v in e.fields.items():
            if k.startswith("__"):
                continue
            fields[k] = self._resolve(k, v, e.kind)
        if e.kind == "mechanisms" and "class" not in fields:
            fields["class"] = "Mechanism"
        evs = tuple(evidence(texts[f], f, a, b) for f, a, b in e.spans if f in texts)
        origin = Origin(f"data/sources/{e.spans[0][0]}" if e.spans else "ingest", _line(texts, e.spans))
        return Record(e.kind, key, fields, origin, evs)

    def _resolve(self, name: str, value: Any, kind: str) -> Any:
        if isinstance(value, Ref):
            return self.resolver.keys.get(value.ident, value.ident.split(":", 1)[-1])
        if isinstance(value, list):
            return list(dict.fromkeys(self._resolve(name, v, kind) for v in value))
        if name in ("part_of", "instrument", "located_in") and isinstance(value, str):
            parent = {"part_of": "mechanisms", "instrument": "instruments", "located_in": "places"}[name]
            return self.resolver.keys.get(f"{parent}:{norm(value)}", slug(value))
        return value

    def _claims(self, texts: dict[str, str]) -> list[Record]:
        """Candidate claims and events: one per (document, kind, what), its evidence the union of the
        repeats, its key a hash of what it says (so a curator's decision on it holds across rebuilds)."""
        seen: dict[tuple[Any, ...], tuple[Record, Draft]] = {}
        for doc, _n, d in self.drafts:
            fields = {k: self._resolve(k, v, d.kind) for k, v in d.fields.items()}
            what = "|".join(str(fields.get(k)) for k in WHAT.get(d.prefix, ()))
            signature = (doc.file, d.prefix, str(fields.get("statement")), what)
            if signature in seen and len(seen[signature][0].evidence) >= MAX_EVIDENCE and d.prefix != "dem":
                continue  # a claim stated a thousand times needs no thousand quotes (that was quadratic)
            evs = tuple(evidence(texts[doc.file], doc.file, a, b) for a, b in d.spans)
            if signature in seen:
                old, first = seen[signature]
                merged = dict(old.fields)
                if d.prefix == "dem":
                    merged["persons"] = list(dict.fromkeys(list(merged["persons"]) + list(fields["persons"])))
                seen[signature] = (Record(old.kind, old.key, merged, old.origin,
                                          old.evidence + tuple(x for x in evs if x not in old.evidence)[:2]), first)
                continue
            digest = hashlib.sha1("|".join(map(str, signature)).encode()).hexdigest()[:10]
            fields["key"] = f"{d.prefix}-{doc_tag(doc.file)}-{digest}"
            if d.kind == "events":
                who = ", ".join(self.entities[r.ident].label for r in d.fields.get("persons", [])
                                if r.ident in self.entities)
                fields["label"] = f"{EVENT_LABEL.get(str(d.fields.get('kind')), 'Event')} of {who}"
            fields["extracted_by"] = f"{EXTRACTOR_VERSION}/{d.rule}"
            fields["confidence"] = round(d.confidence, 2)
            fields["review"] = "unreviewed"  # a candidate until a curator decides (pipeline/review)
            seen[signature] = (Record(d.kind, fields["key"], fields, Origin(f"data/sources/{doc.file}", _line(
                texts, [(doc.file, *d.spans[0])] if d.spans else [])), evs), d)
        return [r for r, _ in seen.values()]


# What a candidate says, for telling repeats apart (and hashing its key).
WHAT = {"rec": ("person", "status"), "chg": ("person", "provision"), "dem": ("demand_type",),
        "sub": ("addressed_to", "submitted_by"), "sig": ("signatories",), "death": ("persons",),
        "detention": ("persons",)}
EXTRACTOR_VERSION = "2"
EVENT_LABEL = {"death": "Death", "death-in-custody": "Death in custody", "detention": "Detention"}


def _decision(key: str, reason: str) -> Any:
    from hrgraph.pipeline.ingest.identity import Decision

    return Decision(key, "statements", reason)


def _line(texts: dict[str, str], spans: list[tuple[str, int, int]]) -> int:
    if not spans or spans[0][0] not in texts:
        return 0
    return line_of(texts[spans[0][0]], spans[0][1])


def _untitled(item: Item) -> str:
    words = item.paragraphs[0].text.split() if item.paragraphs else ["(empty)"]
    return " ".join(words[:10]) + ("…" if len(words) > 10 else "")


def _statement_fields(doc: Document, item: Item, title: str) -> dict[str, Any]:
    heads = " ".join(s.text for s in ([item.headline] if item.headline else []) + list(item.subtitles))
    if re.search(r"(?i)joint statement", heads):
        cls, kind = "JointStatement", "joint-statement"
    elif re.search(r"(?i)^immediately|\bdemand|\bcall|\bfree\b", heads):
        cls, kind = "Statement", "appeal"
    elif re.search(r"(?i)\breport\b", heads):
        cls, kind = "Report", "report"
    elif re.search(r"(?i)\binterview", " ".join(p.text for p in item.paragraphs[:1])):
        cls, kind = "Interview", "interview"
    else:
        cls, kind = "NewsItem", "news-item"
    fields: dict[str, Any] = {"class": cls, "kind": kind, "language": "en"}
    if title:
        fields["title"] = title
    for name, value in (("date", item.date or doc.date), ("issued", doc.issued), ("modified", doc.modified)):
        if value:
            fields[name] = value
    return fields


def ingest_documents(paths: Iterable[Path], known: list[Record], registry: KeyRegistry) -> IngestResult:
    result = IngestResult()
    job = Ingest(known, registry)
    job._texts = result.texts  # type: ignore[attr-defined]
    for path in paths:
        try:
            doc = read_file(path)
        except ReadError as exc:
            result.problems.append(Problem(str(path), "ingest-read", f"{exc}; the file is skipped"))
            continue
        result.documents.append(doc)
        result.texts[doc.file] = doc.text
        if doc.from_html:
            result.problems.append(Problem(str(path), "ingest-html", "HTML page: the extracted text is the stored "
                                           "source text the evidence offsets point into", "Info"))
        result.problems += [Problem(str(path), "ingest-layout", w, "Warning") for w in doc.warnings]
        try:
            job.add(doc)
        except Exception as exc:  # a recogniser bug must not cost the other files  # noqa: BLE001
            result.problems.append(Problem(str(path), "ingest-internal", f"could not be ingested: {exc!r}"))
    result.records = job.records(result.texts)
    result.resolver = job.resolver
    return result
