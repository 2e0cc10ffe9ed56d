"""`hrgraph ingest FILE... [--format turtle|nt|jsonld] [--out PATH] [--explain KEY] [--report]`.

Writes the ingested records (and the curated records they point to, so the output stands alone) as RDF, after
the same SHACL gate as the build. Problems go to stderr, one line each, naming the file; never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from rdflib import Graph

from hrgraph.config import Settings
from hrgraph.model.namespaces import Iris
from hrgraph.model.records import Record
from hrgraph.pipeline.curated import load_curated
from hrgraph.pipeline.emit import Emitted, emit_record, emit_source
from hrgraph.pipeline.ingest import ingest_files, merge
from hrgraph.pipeline.resolve import Index, source_key
from hrgraph.pipeline.sources import SourceText, read_sources

FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "jsonld": "json-ld", "json-ld": "json-ld"}


def closure(ingested: list[Record], known: list[Record]) -> list[Record]:
    """The curated records the ingested ones refer to by key, transitively."""
    by_key: dict[str, list[Record]] = {}
    for r in known:
        by_key.setdefault(r.key, []).append(r)
    have = {(r.kind, r.key) for r in ingested}
    todo, out = list(ingested), []
    while todo:
        r = todo.pop()
        for value in r.fields.values():
            for v in value if isinstance(value, list) else [value]:
                for k in by_key.get(str(v), []) if isinstance(v, str) else []:
                    if (k.kind, k.key) not in have and k.kind not in ("sources", "claims", "events"):
                        have.add((k.kind, k.key))
                        out.append(k)
                        todo.append(k)
    return out


def _emit(settings: Settings, records: list[Record], texts: dict[str, SourceText], files: list[str],
          index_records: list[Record]) -> list[Emitted]:
    index = Index.of(index_records, Iris(settings.base))
    meta = {source_key(str(r.fields.get("file", r.key))): r for r in index_records if r.kind == "sources"}
    emitted = [emit_source(texts[f], meta.get(source_key(f)), index) for f in sorted(files) if f in texts]
    return emitted + [emit_record(r, index, texts) for r in records]


def _ontology(settings: Settings) -> tuple[Graph, Graph, Graph]:
    ontology, vocab, shapes = Graph(), Graph(), Graph()
    for path in sorted(settings.ontology_dir.glob("*.ttl")):
        ontology.parse(path, format="turtle")
    for path in sorted((settings.ontology_dir / "vocab").glob("*.ttl")):
        vocab.parse(path, format="turtle")
    for path in sorted(settings.shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return ontology + vocab, vocab, shapes


def run(settings: Settings, files: list[str], fmt: str, out: str | None, explain: str | None = None,
        report: bool = False, err: TextIO = sys.stderr) -> int:
    from hrgraph.pipeline.reason import materialise, superclasses
    from hrgraph.pipeline.validate import gate

    known, _ = load_curated(settings.curated_dir, settings.root) if settings.curated_dir.is_dir() else ([], [])
    result = ingest_files(files, known, settings.data_dir / "keys.tsv")
    for p in result.problems:
        print(f"hrgraph ingest: {p.severity.lower()}: {p.record}: {p.message}", file=err)
    if explain:
        for line in result.explain(explain) or [f"no ingested entity has the key '{explain}'"]:
            print(line, file=sys.stdout if out else err)
    if report:
        for line in result.resolver.report() if result.resolver else []:
            print(f"  {line}", file=err)
    if not result.documents:
        print("hrgraph ingest: no file could be ingested", file=err)
        return 2
    texts, _ = read_sources(settings.sources_dir) if settings.sources_dir.is_dir() else ({}, [])
    texts.update({f: SourceText(f, t) for f, t in result.texts.items()})
    merged, conflicts = merge(known, result.records)
    wanted = {(r.kind, r.key) for r in result.records}
    ingested = [r for r in merged if (r.kind, r.key) in wanted]  # the curated version where both have a key
    records = ingested + closure(ingested, known)
    cited = {ev.source for r in records for ev in r.evidence} | set(result.texts)
    emitted = _emit(settings, records, texts, sorted(cited), merged)
    ontology, vocab, shapes = _ontology(settings)
    materialise(emitted, superclasses(ontology))
    held = 0
    if len(shapes):
        gated = gate(emitted, shapes, ontology, vocab, settings.gate_engine)
        emitted, held = gated.published, len(gated.held_back)
        for e in gated.held_back:
            print(f"hrgraph ingest: held back (violates shapes/): {e.record.ref()}", file=err)
        for p in gated.problems:
            if p.severity == "Violation":
                print(f"hrgraph ingest: violation: {p}", file=err)
    graph = Graph()
    for e in emitted:
        for t in e.triples:
            graph.add(t)
    data = graph.serialize(format=FORMATS.get(fmt, "turtle"))
    if out:
        Path(out).write_text(data, encoding="utf-8")
    else:
        sys.stdout.write(data)
    print(f"hrgraph ingest: {len(result.documents)} document(s), {len(result.records)} records, "
          f"{len(graph)} triples; {len(conflicts)} conflict(s) with curated records; {held} held back", file=err)
    return 1 if held else 0
