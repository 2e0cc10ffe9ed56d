"""Protected persons: restricted records and fields are dropped before anything is emitted.

Curated data marks a person `restricted: true` (a victim who asked for anonymity, a minor) or lists single
fields of a record as `restricted_fields: [note, alt_labels, ...]`. Since everything served (dumps, the
store, VoID counts, pages, search, SPARQL) is made from the emitted records, withholding here, before emit,
is the one place that covers every output. The rules (see data/curated/README.md, "Restricted data"):

1. A restricted person's record is dropped, and so is every record *about* them (a claim or event whose
   `person`/`persons` are all withheld). Other references to them (a statement's `mentions`, one of several
   `persons`) are removed from the referring record. Claims are withheld, not pseudonymised: a pseudonym
   next to a date, an article and a court is often enough to re-identify someone.
2. Restricted fields are removed from their record.
3. Their names (label, alt labels), the words of those names that name no other person (a surname, 4
   letters or more), their key, and the values of restricted fields (6 characters or more) are secrets:
   every occurrence in any other string value, evidence quote, source text (published under dist/sources/)
   and build message is masked with `█`, one per character, so evidence offsets stay valid. Record keys
   that contain a secret are rewritten to `withheld-<hash>` (and every reference to them): keys are IRIs.
4. A saved query (queries/*.rq, the editor's examples) that contains a secret stops the build (exit 2).
5. What was withheld is listed, without the secrets, in `var/private/restricted.txt`, never under dist/.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from hrgraph.config import Settings
from hrgraph.errors import DataError
from hrgraph.model.records import Evidence, Problem, Record
from hrgraph.pipeline.sources import SourceText

FLAG = "restricted"
FIELDS = "restricted_fields"
ABOUT = ("person", "persons")  # the fields that say whom a claim or an event is about
MASK = "█"
MIN_VALUE_SECRET = 6
REPORT = ("var", "private", "restricted.txt")


@dataclass
class Policy:
    """What this build withholds: person keys, record keys, secrets, and the lines of the private report."""

    persons: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)
    secrets: set[str] = field(default_factory=set)
    renamed: dict[str, str] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)

    def pattern(self) -> re.Pattern[str] | None:
        if not self.secrets:
            return None
        parts = [r"\s+".join(map(re.escape, s.split())) for s in sorted(self.secrets, key=len, reverse=True)]
        return re.compile(r"(?<!\w)(?:" + "|".join(p for p in parts if p) + r")(?!\w)", re.IGNORECASE)


def _texts_of(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        yield str(value.get("text", ""))
    elif isinstance(value, list):
        for item in value:
            yield from _texts_of(item)
    elif value is not None:
        yield str(value)


def _names(record: Record) -> set[str]:
    return {t.strip() for t in (record.label, *_texts_of(record.fields.get("alt_labels"))) if t.strip()}


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _words(records: Iterable[Record]) -> set[str]:
    return {w for r in records for n in _names(r) for w in re.findall(r"\w+", n.casefold())}


def distinctive_words(withheld: list[Record], others: list[Record]) -> set[str]:
    """Words of withheld names that name nobody else (a surname, usually): a text or a key may use them alone."""
    return {w for w in _words(withheld) - _words(others) if len(w) >= 4}


def find_restricted(records: list[Record], policy: Policy) -> None:
    """Mark restricted persons (and records of the same name: ingestion may find them in the sources)."""
    flagged = [r for r in records if r.kind == "persons" and r.fields.get(FLAG) is True]
    names = {_fold(n) for r in flagged for n in _names(r)}
    withheld = [r for r in records if r.kind == "persons" and (r in flagged or _fold(r.label) in names)]
    for r in withheld:
        policy.persons.add(r.key)
        policy.secrets |= _names(r) | {r.key}
        policy.report.append(f"withheld person {r.ref()}")
    policy.secrets |= distinctive_words(withheld, [r for r in records if r.kind == "persons" and r not in withheld])
    for r in records:
        for name in r.fields.get(FIELDS) or []:
            if name in r.fields:
                policy.secrets |= {t for t in _texts_of(r.fields[name]) if len(t.strip()) >= MIN_VALUE_SECRET}
                policy.report.append(f"withheld field '{name}' of {r.ref()}")


def _unreference(record: Record, policy: Policy) -> Record | None:
    """The record without references to withheld records; None when it is about withheld persons only."""
    gone = policy.persons | policy.dropped
    fields: dict[str, Any] = {}
    for name, value in record.fields.items():
        if isinstance(value, list) and any(isinstance(v, str) and v in gone for v in value):
            kept = [v for v in value if not (isinstance(v, str) and v in gone)]
            if not kept and name in ABOUT:
                return None
            fields[name] = kept
        elif isinstance(value, str) and value in gone:
            if name in ABOUT:
                return None
        else:
            fields[name] = value
    return replace(record, fields=fields) if fields != dict(record.fields) else record


def _withhold(records: list[Record], policy: Policy) -> list[Record]:
    """Drop restricted persons and what is about them, to a fixpoint (a claim about a dropped claim...)."""
    kept = [r for r in records if not (r.kind == "persons" and r.key in policy.persons)]
    while True:
        out: list[Record] = []
        for r in kept:
            clean = _unreference(r, policy)
            if clean is None:
                policy.dropped.add(r.key)
                policy.report.append(f"withheld {r.ref()}: it is about a withheld person")
            else:
                out.append(clean)
        if len(out) == len(kept):
            return out
        kept = out


def mask(text: str, pattern: re.Pattern[str] | None) -> str:
    """Every secret in `text` replaced by as many `█`: lengths, hence evidence offsets, are kept."""
    return pattern.sub(lambda m: MASK * len(m.group(0)), text) if pattern else text


def _mask_value(value: Any, pattern: re.Pattern[str] | None) -> Any:
    if isinstance(value, str):
        return mask(value, pattern)
    if isinstance(value, list):
        return [_mask_value(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _mask_value(v, pattern) for k, v in value.items()}
    return value


def _rename(key: str, policy: Policy, pattern: re.Pattern[str] | None) -> str:
    if pattern and (pattern.search(key) or pattern.search(key.replace("-", " "))):
        policy.renamed.setdefault(key, "withheld-" + hashlib.sha256(key.encode()).hexdigest()[:10])
    return policy.renamed.get(key, key)


def _clean(record: Record, policy: Policy, pattern: re.Pattern[str] | None) -> Record:
    hidden = set(record.fields.get(FIELDS) or [])
    fields = {}
    for name, value in record.fields.items():
        if name in hidden or name in (FLAG, FIELDS):
            continue
        if isinstance(value, str) and value in policy.renamed:
            value = policy.renamed[value]
        elif isinstance(value, list):
            value = [policy.renamed.get(v, v) if isinstance(v, str) else v for v in value]
        fields[name] = value if name == "key" else _mask_value(value, pattern)
    key = policy.renamed.get(record.key, record.key)
    fields["key"] = key
    evidence = tuple(Evidence(e.source, mask(e.quote, pattern), e.occurrence) for e in record.evidence)
    return replace(record, key=key, fields=fields, evidence=evidence)


def _check_saved_queries(settings: Settings, pattern: re.Pattern[str] | None) -> None:
    if pattern is None or not settings.queries_dir.is_dir():
        return
    for path in sorted(settings.queries_dir.glob("*.rq")):
        if pattern.search(path.read_text(encoding="utf-8")):
            raise DataError("a saved query names restricted data, and saved queries are published as examples",
                            f"queries/{path.name}", "remove the name or value from the query")


def write_report(settings: Settings, policy: Policy) -> None:
    path = settings.root.joinpath(*REPORT)
    if not policy.report and not path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = policy.report + [f"renamed key {old} -> {new}" for old, new in sorted(policy.renamed.items())]
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(f"{line}\n" for line in lines) or "nothing withheld\n", encoding="utf-8")
    tmp.replace(path)


def apply(records: list[Record], texts: dict[str, SourceText], problems: list[Problem],
          settings: Settings) -> tuple[list[Record], dict[str, SourceText], list[Problem]]:
    """Records, source texts and build messages with restricted data withheld (the module's rules)."""
    policy = Policy()
    find_restricted(records, policy)
    kept = _withhold(records, policy)
    pattern = policy.pattern()
    for r in kept:
        _rename(r.key, policy, pattern)
    _check_saved_queries(settings, pattern)
    write_report(settings, policy)
    if pattern is None and not any(FLAG in r.fields or FIELDS in r.fields for r in records):
        return records, texts, problems
    kept = [_clean(r, policy, pattern) for r in kept]
    texts = {name: replace(t, text=mask(t.text, pattern)) for name, t in texts.items()}
    problems = [replace(p, record=mask(p.record, pattern), message=mask(p.message, pattern),
                        focus=mask(p.focus, pattern)) for p in problems]
    return kept, texts, problems
