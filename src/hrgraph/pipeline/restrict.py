"""Protected persons: withheld by person, not by string, from every input before anything is emitted.

Curated data marks a person `restricted: true` (a victim who asked for anonymity, a minor) or lists single
fields of a record as `restricted_fields: [note, ...]`. This step of the one preparation path (prepare.py)
sees every input at once (curated records, ingested pages, `--input` RDF) and is the only place anything
is withheld; the rules (data/curated/README.md, "Restricted data"):

1. Who is withheld: every flagged person, and every other person (ingested from a page, given in an RDF
   file, or curated twice) whose name may be theirs in any spelling, or whose IRI is theirs (names/).
2. Their records and every record *about* them (a claim or event whose `person`/`persons` are all withheld;
   in RDF, a resource whose hr:person values are) are dropped; other references to them are removed.
   Claims are withheld, not pseudonymised: a pseudonym next to a date, an article and a court often
   identifies someone. Restricted fields are removed from their record.
3. Every mention of a withheld person in any string (values, labels, evidence quotes, RDF literals, source
   texts, build messages) is masked, `███` whatever its length; a source text with a mention that cannot be
   told apart from a withheld person is withheld whole, with the evidence that quotes it. Keys, file names
   and IRIs that name them are renamed `withheld-<hash>` (masking.py); a URL that names them is dropped.
4. A saved query (queries/*.rq, published as an example) that names them stops the build (exit 2).
5. What was withheld is listed in var/private/restricted.txt by file and line, never by name or key.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from hrgraph.config import Settings
from hrgraph.errors import DataError
from hrgraph.model.namespaces import Iris
from hrgraph.model.records import REF, Evidence, Problem, Record
from hrgraph.names import NameIndex, parse
from hrgraph.pipeline.ingest.identity import KeyRegistry
from hrgraph.pipeline.masking import Hidden, Masker
from hrgraph.pipeline.sources import SourceText, locate, occurrences

FLAG = "restricted"
FIELDS = "restricted_fields"
ABOUT = ("person", "persons")  # the fields that say whom a claim or an event is about
REPORT = ("var", "private", "restricted.txt")
SALT = ("var", "private", "salt")
SOURCE_REFS = ("file", "source", "sources")  # fields whose values are source file names


@dataclass
class Policy:
    """What this build withholds, and the lines of the private report (no names, no keys made from names)."""

    masker: Masker
    persons: set[str] = field(default_factory=set)  # withheld person keys
    dropped: set[str] = field(default_factory=set)  # keys of records withheld for being about them
    renamed: dict[str, str] = field(default_factory=dict)  # key or file name -> withheld-<hash>
    withheld_sources: set[str] = field(default_factory=set)
    hidden: dict[str, Hidden] = field(default_factory=dict)  # published file name -> its text as masked
    report: list[str] = field(default_factory=list)

    def mask(self, text: str) -> str:
        """A value as published: each masked name one `███`."""
        return self.masker.hide(text).text

    def redact(self, text: str) -> str:
        """A message as shown: files and keys renamed, every mention masked to a fixed `███` (no length)."""
        for old in sorted(self.renamed, key=len, reverse=True):
            if old in text:
                text = text.replace(old, self.renamed[old])
        return self.masker.redact(text)

    def about_withheld(self, text: str) -> bool:
        """Whether a message is about a withheld record (refers to one, or to a line of a page withheld whole):
        such a message is not shown at all, since what it says of them (a line, a rule, a label) is theirs."""
        gone = self.persons | self.dropped
        return any(key in gone for _, key in REF.findall(text)) or \
            any(f"data/sources/{name}:" in text for name in self.withheld_sources)

    def messages(self, problems: list[Problem]) -> list[Problem]:
        """Build messages as shown: none about a withheld record (counted in the private report), the rest
        redacted."""
        shown = [p for p in problems if not self.about_withheld(f"{p.record} {p.message}")]
        if len(shown) < len(problems):
            self.report.append(f"{len(problems) - len(shown)} build message(s) about withheld records not shown")
        return [replace(p, record=self.redact(p.record), message=self.redact(p.message),
                        focus=self.masker.rename_iri(p.focus) if p.focus else "") for p in shown]


def _texts_of(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        yield str(value.get("text", ""))
    elif isinstance(value, list):
        for item in value:
            yield from _texts_of(item)
    elif value is not None:
        yield str(value)


def person_names(record: Record, with_key: bool = False) -> list[str]:
    """The names of a person record; `with_key`: its key too, when it spells one of their surnames
    (`kirill-zhvalevsky`): a placeholder key (`protected-17`, `protected-b`) would make an ordinary word of every
    text ("protected") a surname of theirs."""
    names = [t.strip() for t in (record.label, *_texts_of(record.fields.get("alt_labels"))) if t.strip()]
    key = re.sub(r"-\d+$", "", record.key)
    surnames = {n.surname for n in map(parse, names) if n is not None}
    return names + ([key] if with_key and (n := parse(key)) is not None and n.surname in surnames else [])


def salt(settings: Settings, write: bool) -> bytes:
    """The private salt of renamed keys (var/private/salt); a read-only run without one gets a fresh one."""
    path = settings.root.joinpath(*SALT)
    if path.is_file():
        return path.read_bytes()
    value = secrets.token_hex(32).encode()
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(value)
        tmp.replace(path)
    return value


def protect(persons: list[tuple[str, list[str], bool]], masker: Masker) -> set[str]:
    """The withheld among `persons` (entity, names, flagged): flagged, or named like a flagged one. Fills the
    masker with them and with every person it must tell them apart from (a shared surname)."""
    flagged = NameIndex()
    for entity, names, flag in persons:
        if flag:
            flagged.add(entity, names)
    flagged_ids = set(flagged.names)
    withheld = set(flagged_ids)
    for entity, names, flag in persons:
        if flag or entity in flagged_ids:
            continue
        if any(flagged.match(n) or flagged.find(n, near=flagged_ids) for n in names):
            withheld.add(entity)
    for entity, names, _ in persons:
        if entity in withheld:
            masker.add_person(entity, names, withheld=True)
    for entity, names, _ in persons:
        if entity not in withheld and masker.shares_a_surname(names):
            masker.add_person(entity, names, withheld=False)
    return withheld


def withheld_persons(records: list[Record], iris: Iris, masker: Masker | None = None) -> set[str]:
    """The keys of the person records withheld (flagged, or named like a flagged person), for a tool that
    shows records outside the preparation path (`hrgraph review`): what is about them is never proposed, and
    `masker` (filled here) masks their names in what it shows."""
    masker = Masker() if masker is None else masker
    prefix = str(iris.record("persons", ""))
    return {e[len(prefix):] for e in protect(persons_of_records(records, iris), masker) if e.startswith(prefix)}


def is_about(record: Record, persons: set[str]) -> bool:
    """Whether the record is about withheld persons only (the records restriction drops with them)."""
    return bool(persons) and _unreference(record, persons) is None


def _unreference(record: Record, gone: set[str]) -> Record | None:
    """The record without references to withheld records; None when it is about withheld persons only."""
    fields: dict[str, Any] = {}
    for name, value in record.fields.items():
        if isinstance(value, list) and any(isinstance(v, str) and v in gone for v in value):
            kept = [v for v in value if not (isinstance(v, str) and v in gone)]
            if not kept and name in ABOUT:
                return None
            fields[name] = kept
        elif isinstance(value, str) and value in gone and name != "key":
            if name in ABOUT:
                return None
        else:
            fields[name] = value
    return replace(record, fields=fields) if fields != dict(record.fields) else record


def _withhold(records: list[Record], policy: Policy) -> list[Record]:
    """Drop withheld persons and what is about them, to a fixpoint (a claim about a dropped claim...)."""
    kept = [r for r in records if not (r.kind == "persons" and r.key in policy.persons)]
    pages = {f"data/sources/{name}" for name in policy.withheld_sources}
    for r in [r for r in kept if r.origin.file in pages]:  # ingested from a page withheld whole
        policy.dropped.add(r.key)
        policy.report.append(f"withheld {r.kind[:-1]} at {r.origin}: it comes from a withheld source text")
    kept = [r for r in kept if r.origin.file not in pages]
    while True:
        gone = policy.persons | policy.dropped | policy.withheld_sources
        out: list[Record] = []
        for r in kept:
            clean = _unreference(r, gone)
            if clean is None:
                policy.dropped.add(r.key)
                policy.report.append(f"withheld {r.kind[:-1]} at {r.origin}: it is about a withheld person")
            else:
                out.append(clean)
        if len(out) == len(kept):
            return out
        kept = out


def _mask_value(value: Any, policy: Policy) -> Any:
    if isinstance(value, str):
        if policy.masker.names(value) and re.match(r"^[a-z][a-z0-9+.-]*://", value):
            return None  # a URL that names them: dropped, not broken
        return policy.renamed.get(value) or policy.mask(value)
    if isinstance(value, list):
        return [v for v in (_mask_value(v, policy) for v in value) if v is not None]
    if isinstance(value, dict):
        return {k: _mask_value(v, policy) for k, v in value.items()}
    return value


def _evidence(record: Record, policy: Policy, raw: dict[str, SourceText],
              masked: dict[str, SourceText]) -> tuple[Evidence, ...]:
    """Evidence with quotes masked exactly as their (masked) source text is, so they are still found there."""
    out = []
    for e in record.evidence:
        if e.source in policy.withheld_sources:
            policy.report.append(f"evidence of the {record.kind[:-1]} at {record.origin} withheld with its source")
            continue
        source = policy.renamed.get(e.source, e.source)
        span = locate(e, raw)
        if isinstance(span, str) or source not in policy.hidden:
            out.append(Evidence(source, policy.mask(e.quote), e.occurrence))
            continue
        hidden = policy.hidden[source]
        start = hidden.at(span.start)
        quote = hidden.text[start:hidden.at(span.end, end=True)]
        found = occurrences(hidden.text, quote)  # masking may make two different quotes alike: count again
        out.append(Evidence(source, quote, found.index(start) + 1 if start in found else e.occurrence))
    return tuple(out)


def _clean(record: Record, policy: Policy, raw: dict[str, SourceText], masked: dict[str, SourceText]) -> Record:
    hidden = set(record.fields.get(FIELDS) or [])
    fields: dict[str, Any] = {}
    for name, value in record.fields.items():
        if name in hidden or name in (FLAG, FIELDS):
            continue
        value = _mask_value(value, policy) if name != "key" else value
        if value is not None:
            fields[name] = value
    key = policy.renamed.get(record.key, record.key)
    fields["key"] = key
    return replace(record, key=key, fields=fields, evidence=_evidence(record, policy, raw, masked))


def _restricted_fields(records: list[Record], policy: Policy) -> None:
    for r in records:
        for name in r.fields.get(FIELDS) or []:
            if name in r.fields:
                for text in _texts_of(r.fields[name]):
                    policy.masker.add_secret(text)
                policy.report.append(f"withheld field '{name}' of the {r.kind[:-1]} at {r.origin}")


def _texts(texts: dict[str, SourceText], policy: Policy) -> dict[str, SourceText]:
    """Source texts masked and renamed; a text with a mention that cannot be told apart is withheld whole."""
    out = {}
    for name, t in texts.items():
        hidden = policy.masker.hide(t.text)
        if hidden.ambiguous:
            policy.withheld_sources |= {name, name.rsplit(".", 1)[0]}
            policy.report.append(f"withheld source text {_shown(name, policy)}: a mention in it may be a "
                                 "withheld person and cannot be told apart")
            continue
        new = policy.renamed.get(name, name)
        out[new] = SourceText(new, hidden.text)
        policy.hidden[new] = hidden
    return out


def _shown(file_name: str, policy: Policy) -> str:
    return policy.renamed.get(file_name) or policy.mask(file_name)


def _rename_keys(records: list[Record], policy: Policy) -> None:
    """Keys that name a withheld person (or hold a secret) get a withheld-<hash> name."""
    for r in records:
        if r.key not in policy.renamed and policy.masker.names(r.key):
            policy.renamed[r.key] = policy.masker.token(r.key)
            policy.report.append(f"renamed the key of the {r.kind[:-1]} at {r.origin} to {policy.renamed[r.key]}")


def _rename_files(texts: dict[str, SourceText], policy: Policy) -> None:
    """Source file names that name a withheld person get a withheld-<hash> name (and so does their IRI)."""
    for name in texts:
        if policy.masker.names(name):
            stem, dot, suffix = name.rpartition(".")
            new = policy.masker.token(stem or name) + (f".{suffix}" if dot else "")
            policy.renamed[name] = new
            if dot:
                policy.renamed[stem] = new.rsplit(".", 1)[0]
            policy.report.append(f"renamed a source text (and its IRI) to {new}")


def register_keys(registry: KeyRegistry, policy: Policy) -> None:
    """Save the key registry without a row that names a withheld person (key, name key or file)."""
    def row(r: list[str]) -> list[str] | None:
        key, kind, canonical = r[0], r[1], r[2]
        if (kind == "persons" and key in policy.persons) or key in policy.renamed or \
                policy.masker.names(f"{key} {canonical.replace('|', ' ')}"):
            return None
        return [*r[:3], _shown(r[3], policy), *r[4:]]
    registry.save(row)


def check_saved_queries(settings: Settings, policy: Policy) -> None:
    if not policy.masker.active or not settings.queries_dir.is_dir():
        return
    for path in sorted(settings.queries_dir.glob("*.rq")):
        if policy.masker.names(path.read_text(encoding="utf-8")) or policy.masker.names(path.stem):
            raise DataError("a saved query names restricted data, and saved queries are published as examples",
                            f"queries/{policy.mask(path.name)}", "remove the name or value from the query")


def write_report(settings: Settings, policy: Policy) -> None:
    path = settings.root.joinpath(*REPORT)
    if not policy.report and not path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    lines = list(dict.fromkeys(policy.redact(line) for line in policy.report))
    tmp.write_text("".join(f"{line}\n" for line in lines) or "nothing withheld\n", encoding="utf-8")
    tmp.replace(path)


def persons_of_records(records: list[Record], iris: Iris) -> list[tuple[str, list[str], bool]]:
    return [(str(iris.record("persons", r.key)), person_names(r, with_key=r.fields.get(FLAG) is True),
             r.fields.get(FLAG) is True) for r in records if r.kind == "persons"]


def restrict_records(records: list[Record], texts: dict[str, SourceText], problems: list[Problem],
                     policy: Policy, iris: Iris) -> tuple[list[Record], dict[str, SourceText], list[Problem]]:
    """Records, source texts and build messages with withheld persons and fields taken out (rules above)."""
    prefix = str(iris.record("persons", ""))
    policy.persons |= {e[len(prefix):] for e in policy.masker.withheld if e.startswith(prefix)}
    for r in records:
        if r.kind == "persons" and r.key in policy.persons:
            origin = r.origin if r.fields.get(FLAG) is True else "an ingested or repeated record"
            policy.report.append(f"withheld person at {origin}" + ("" if r.fields.get(FLAG) is True else
                                                                    ": named like a withheld person"))
    _restricted_fields(records, policy)
    if not policy.masker.active and not any(FLAG in r.fields or FIELDS in r.fields for r in records):
        return records, texts, problems
    _rename_files(texts, policy)
    masked = _texts(texts, policy)
    kept = _withhold(records, policy)
    _rename_keys(kept, policy)
    kept = [_clean(r, policy, texts, masked) for r in kept]
    return kept, masked, policy.messages(problems)

