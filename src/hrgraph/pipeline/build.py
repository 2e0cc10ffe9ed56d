"""`hrgraph build`: curated records → RDF → SHACL gate → dist/ dumps and the store. Runs the stages in order."""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph

from hrgraph.config import Settings
from hrgraph.errors import DataError
from hrgraph.model.namespaces import Iris
from hrgraph.model.records import BuildResult, Problem
from hrgraph.pipeline import restrict
from hrgraph.pipeline.curated import load_curated
from hrgraph.pipeline.emit import Emitted, emit_record, emit_source
from hrgraph.pipeline.imports import import_rdf
from hrgraph.pipeline.ingest import ingest_files, source_paths
from hrgraph.pipeline.progress import stage
from hrgraph.pipeline.publish import publish
from hrgraph.pipeline.reason import materialise, superclasses
from hrgraph.pipeline.resolve import Index, source_key
from hrgraph.pipeline.review import select
from hrgraph.pipeline.sources import SourceText, read_sources
from hrgraph.pipeline.validate import gate
from hrgraph.store.embedded import reconcile_published


def read_turtle(paths: list[Path], root: Path) -> Graph:
    g = Graph()
    for path in paths:
        try:
            g.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser types; all mean "this file is broken"
            raise DataError(f"not valid Turtle: {exc}", str(path.relative_to(root))) from None
    return g


def _emit_all(settings: Settings) -> tuple[list[Emitted], list[Problem], dict[str, SourceText]]:
    texts, unreadable = read_sources(settings.sources_dir)
    records, problems = load_curated(settings.curated_dir, settings.root)
    ingested = ingest_files(source_paths(settings.sources_dir), records, settings.data_dir / "keys.tsv")
    # Extracted claims are candidates: only those a curator accepted are published (unless the setting says
    # otherwise); each disagreement with curated data is reported (pipeline/review).
    selection = select(records, ingested.records, settings.publish_unreviewed)
    records = selection.records
    problems += ingested.problems + selection.problems
    texts.update({f: SourceText(f, t) for f, t in ingested.texts.items()})  # HTML: quotes point into its text
    records, texts, problems = restrict.apply(records, texts, problems, settings)  # protected persons
    problems += [Problem(msg.split(":", 1)[0], "source-encoding", msg.split(": ", 1)[-1], "Warning")
                 for msg in unreadable]
    index = Index.of(records, Iris(settings.base))
    meta = {source_key(str(r.fields.get("file", r.key))): r for r in records if r.kind == "sources"}
    emitted = [emit_source(t, meta.get(source_key(name)), index) for name, t in sorted(texts.items())]
    emitted += [emit_record(r, index, texts) for r in records if r.kind != "sources"]
    return emitted, problems, texts


def build(settings: Settings, out=sys.stdout) -> BuildResult:
    """Run the pipeline; a data error raises DataError before anything under dist/ is touched."""
    reconcile_published(settings.dist_dir, settings.store_dir)  # finish a publish a kill interrupted
    ontology_files = sorted(settings.ontology_dir.glob("*.ttl"))
    vocab = read_turtle(sorted((settings.ontology_dir / "vocab").glob("*.ttl")), settings.root)
    ontology = read_turtle(ontology_files, settings.root) + vocab
    shapes = read_turtle(sorted(settings.shapes_dir.glob("*.ttl")), settings.root)
    with stage("read and emit", out):
        emitted, problems, texts = _emit_all(settings)
    if settings.inputs:
        with stage("read --input RDF", out):
            emitted += import_rdf(settings.inputs, settings.root)  # RDF files, gated per resource
    with stage("materialise superclass types", out):
        materialise(emitted, superclasses(ontology))
    print(f"hrgraph build: {len(emitted)} records emitted; validating against shapes/ ...", file=out, flush=True)
    with stage("validate", out):
        gated = gate(emitted, shapes, ontology, vocab, settings.gate_engine)
    result = BuildResult(problems=problems + gated.problems, held_back=[e.record.ref() for e in gated.held_back])
    if not gated.conforms:
        result.held_back.append("(the graph as a whole: a violation no single record could be blamed for)")
        _summary(result, settings, out)
        return result
    result.triples = publish(settings, gated, ontology, vocab, result.problems, texts, out)
    result.published = True
    _summary(result, settings, out)
    return result


def _summary(result: BuildResult, settings: Settings, out) -> None:
    for p in result.problems:
        print(f"  {p.severity.lower()}: {p}", file=out)
    if result.published:
        print(f"hrgraph build: published {result.triples} triples to {settings.dist_dir}", file=out)
    if result.held_back:
        print(f"hrgraph build: {len(result.held_back)} record(s) held back (see dist/quarantine.ttl and "
              "dist/validation-report.txt):", file=out)
        for ref in result.held_back:
            print(f"  - {ref}", file=out)
