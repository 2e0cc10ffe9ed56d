"""One IRI per record: keys → IRIs, and the lookups references and generated labels need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from hrgraph.model.namespaces import Iris
from hrgraph.model.records import Record

# Kinds a reference field may point to, in the order an unqualified key is looked up (`mentions`).
REFERABLE = ("persons", "organisations", "mechanisms", "places", "statements", "provisions", "instruments",
             "events", "sources")


def source_key(file_name: str) -> str:
    return file_name.rsplit(".", 1)[0] if file_name.endswith((".txt", ".html", ".htm")) else file_name


@dataclass
class Index:
    iris: Iris
    by_kind: dict[tuple[str, str], Record] = field(default_factory=dict)

    @classmethod
    def of(cls, records: Iterable[Record], iris: Iris) -> Index:
        index = cls(iris)
        for r in records:
            index.by_kind[(r.kind, r.key)] = r
        return index

    def iri(self, record: Record) -> URIRef:
        if record.kind == "instruments":
            return self.iris.instrument(record.key)
        if record.kind == "provisions":
            instrument = str(record.fields.get("instrument", "unknown"))
            return self.iris.provision(instrument, str(record.fields.get("number", record.key)))
        if record.kind == "claims":
            return self.iris.claim(str(record.fields.get("type", "recognition")), record.key)
        if record.kind == "retired":  # a key no longer in use keeps its IRI of the kind it had
            return self.iris.record(str(record.fields.get("of", "")), record.key)
        return self.iris.record(record.kind, record.key)

    def find(self, kind: str, key: str) -> Record | None:
        if kind != "*":
            return self.by_kind.get((kind, key))
        return next((r for k in REFERABLE if (r := self.by_kind.get((k, key)))), None)

    def ref(self, kind: str, key: str) -> URIRef:
        """The IRI a reference stands for. An unknown key still gets an IRI (of the kind's pattern), so the
        dangling link reaches the SHACL gate and is reported there with the record that made it."""
        if kind == "sources":  # documents are named by their file: `000_x.txt` and `000_x` are one source
            return self.iris.record("sources", source_key(key))
        record = self.find(kind, key)
        if record is not None:
            return self.iri(record)
        if kind == "provisions":
            return URIRef(f"{self.iris.base}eli/unknown/art/{key}")
        if kind == "instruments":
            return self.iris.instrument(key)
        return self.iris.record(kind if kind in ("persons", "organisations", "mechanisms", "places",
                                                 "statements", "events", "sources") else "persons", key)

    def label(self, kind: str, key: str) -> str:
        record = self.find(kind, key)
        return record.label if record is not None and record.label else key
