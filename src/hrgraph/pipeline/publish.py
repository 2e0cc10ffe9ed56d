"""Write dist/ (dumps, VoID, report, quarantine) beside the live one and swap it in; then publish the store."""

from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version as package_version
from itertools import chain
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from hrgraph.config import Settings
from hrgraph.formats.jsonld import write_jsonld
from hrgraph.model.namespaces import SH, Iris
from hrgraph.model.records import Problem
from hrgraph.pipeline import dumps, progress
from hrgraph.pipeline.dumps import Dump
from hrgraph.pipeline.sources import SourceText
from hrgraph.pipeline.validate import GateResult
from hrgraph.pipeline.void import describe_dataset, graph_stats
from hrgraph.store import embedded, remote_publish


def _version() -> str:
    try:
        return package_version("hrgraph")
    except Exception:  # running from a source tree without installed metadata
        return "0.0.0"


def report_text(problems: list[Problem]) -> str:
    if not problems:
        return "All records conform to shapes/.\n"
    lines = [f"{p.severity}: {p.record}\n  rule: {p.rule}\n  {p.message}\n" for p in problems]
    return "\n".join(lines)


def report_graph(problems: list[Problem], iris: Iris) -> Dump:
    """The report as RDF too (sh:ValidationReport), with IRIs instead of blank nodes so it diffs cleanly."""
    rep = URIRef(f"{iris.base}build/validation-report")
    triples = [(rep, RDF.type, SH.ValidationReport), (rep, SH.conforms, Literal(not problems))]
    for n, p in enumerate(problems, 1):
        r = URIRef(f"{rep}#result-{n}")
        triples += [(rep, SH.result, r), (r, RDF.type, SH.ValidationResult),
                    (r, SH.resultMessage, Literal(p.message, lang="en")),
                    (r, SH.resultSeverity, SH[p.severity if p.severity in ("Violation", "Warning") else "Info"]),
                    (r, RDFS.comment, Literal(f"{p.record} [{p.rule}]", lang="en"))]
        if p.focus:
            triples.append((r, SH.focusNode, URIRef(p.focus)))
    return Dump.of(triples)


def _swap(new: Path, live: Path) -> None:
    """Replace `live` with `new` by renames: readers see the old dist/ or the new one, never a half-written one."""
    old = live.with_name(live.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if live.exists():
        os.replace(live, old)
    os.replace(new, live)
    shutil.rmtree(old, ignore_errors=True)


@dataclass(frozen=True)
class Staged:
    """A build ready to commit: dist/ written beside the live one, the store prepared beside the live one."""

    dist: Path
    store: Path
    build_id: str
    triples: int


def publish(settings: Settings, gated: GateResult, ontology: Graph, vocab: Graph, problems: list[Problem],
            texts: dict[str, SourceText], out) -> int:
    with progress.stage("write dist/ and load the store (in parallel)", out):
        staged = _stage(settings, gated, ontology, vocab, problems, texts)
    # Commit order: the new store is prepared beside the live one, dist/ is swapped (the commit point), then
    # the store is activated. A kill before the swap leaves both as they were; a kill after it is completed
    # by `reconcile` at the next build or serve.
    try:
        remote_publish.load_build(settings, staged.dist, staged.build_id)  # HRGRAPH_STORE=remote: beside the live one
    except BaseException:  # nothing was committed: leave no staged dist/ or store behind
        shutil.rmtree(staged.dist, ignore_errors=True)
        shutil.rmtree(staged.store, ignore_errors=True)
        raise
    _swap(staged.dist, settings.dist_dir)
    embedded.activate(settings.store_dir, staged.store)
    remote_publish.activate_build(settings, staged.build_id)
    print(f"hrgraph build: store {staged.store.name} is now live", file=out)
    return staged.triples


def _stage(settings: Settings, gated: GateResult, ontology: Graph, vocab: Graph, problems: list[Problem],
           texts: dict[str, SourceText]) -> Staged:
    """Every file of dist/ into a new folder beside it, and the store prepared from it.

    The files the store loads (N-Triples, ontology, VoID) come first, written without parsing anything; the
    store then loads in a thread while the other dumps are written (pyoxigraph releases the GIL while it
    loads: on two cores the two overlap)."""
    iris = Iris(settings.base)
    lines = dumps.sorted_lines(chain((t for e in gated.published for t in e.triples), vocab))
    stats = graph_stats(lines, iris.base)
    data = Dump.of_lines(lines)
    del lines
    stage = settings.dist_dir.with_name(f"{settings.dist_dir.name}.new-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    dumps.write_ntriples_gz(data, stage / "hrgraph.nt.gz")
    build_id = hashlib.sha256(data.ntriples).hexdigest()[:16]
    dumps.write_turtle(Dump.of(describe_dataset(stats, iris, _version(), build_id)), stage / "void.ttl")
    dumps.write_ontology(ontology - vocab, stage / "ontology.ttl")
    with ThreadPoolExecutor(max_workers=1) as pool:
        store = pool.submit(_prepare_store, settings, stage, iris, build_id)
        try:
            dumps.write_turtle(data, stage / "hrgraph.ttl")
            context = dumps.jsonld_context(ontology)
            dumps.write_json(context, stage / "context.jsonld")
            write_jsonld(data.triples, stage / "hrgraph.jsonld", context)
            (stage / "validation-report.txt").write_text(report_text(problems), encoding="utf-8")
            dumps.write_turtle(report_graph(problems, iris), stage / "validation-report.ttl")
            dumps.write_turtle(Dump.of(t for e in gated.held_back for t in e.triples), stage / "quarantine.ttl")
            dumps.write_json({"build_id": build_id, "triples": len(data), "version": _version(),
                              "base": settings.base}, stage / "build.json")
            _write_sources(gated, texts, stage / "sources")
        except BaseException:
            _discard(store)
            raise
        return Staged(stage, store.result(), build_id, len(data))


def _discard(store: Future[Path]) -> None:
    """A store prepared for a dist/ that failed: never activated, so remove it rather than leave it to `_prune`."""
    try:
        shutil.rmtree(store.result(), ignore_errors=True)
    except Exception:  # its own failure is not the one to report
        pass


def _write_sources(gated: GateResult, texts: dict[str, SourceText], dest: Path) -> None:
    """The stored texts the published evidence offsets point into, served at {base}sources/{file}."""
    dest.mkdir()
    for e in gated.published:
        if e.record.kind == "sources":
            name = next(str(o) for _, p, o in e.triples if p == DCTERMS.identifier)
            (dest / name).write_text(texts[name].text, encoding="utf-8")


def _prepare_store(settings: Settings, stage: Path, iris: Iris, build_id: str) -> Path:
    graphs = {str(iris.graph("data")): stage / "hrgraph.nt.gz", str(iris.graph("ontology")): stage / "ontology.ttl",
              str(iris.graph("void")): stage / "void.ttl"}
    return embedded.prepare(graphs, settings.store_dir, build_id=build_id)
