"""Write dist/ (dumps, VoID, report, quarantine) beside the live one and swap it in; then publish the store.

The store back-ends publish through `store.backends.publishers` (embedded, plus Virtuoso with
HRGRAPH_STORE=remote); `build` holds the build lock throughout, so `clean_leftovers` may remove whatever a
killed build left (`dist.new-<pid>`, stores it had prepared) without touching another build's work.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from hrgraph.config import Settings
from hrgraph.formats.jsonld import write_jsonld
from hrgraph.model.dataset import version
from hrgraph.model.namespaces import SH, Iris
from hrgraph.model.records import Problem
from hrgraph.pipeline import dumps, progress
from hrgraph.pipeline.dumps import Dump
from hrgraph.pipeline.sources import SourceText
from hrgraph.pipeline.validate import GateResult
from hrgraph.pipeline.void import DatasetPublisher, describe_dataset, graph_stats, modified_day
from hrgraph.store.backends import Publisher, publishers
from hrgraph.store.base import published_graphs


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
    build_id: str
    triples: int


def stage_name(settings: Settings) -> str:
    return f"{settings.dist_dir.name}.new-"


def clean_leftovers(settings: Settings) -> None:
    """What killed builds left: staged dist/ folders, and (each back-end's `clean`) prepared stores and builds
    nobody serves any more. Only under the build lock: another build's staging would look the same."""
    for stale in settings.dist_dir.parent.glob(stage_name(settings) + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    if settings.dist_dir.is_dir():
        shutil.rmtree(settings.dist_dir.with_name(settings.dist_dir.name + ".old"), ignore_errors=True)
    for publisher in publishers(settings):
        publisher.clean()


def publish(settings: Settings, gated: GateResult, ontology: Graph, vocab: Graph, problems: list[Problem],
            texts: dict[str, SourceText], out) -> int:
    steps = publishers(settings)
    with progress.stage("write dist/ and load the store (in parallel)", out):
        staged = _stage(settings, steps, gated, ontology, vocab, problems, texts)
    # Commit order: every back-end has the new build prepared beside the live one, dist/ is swapped (the
    # commit point), then each back-end activates it. A kill before the swap leaves all as it was; a kill
    # after it is completed by `backends.reconcile` at the next build or serve.
    _swap(staged.dist, settings.dist_dir)
    for step in steps:
        step.activate(staged.build_id, settings.dist_dir)
    print(f"hrgraph build: build {staged.build_id} is now live", file=out)
    return staged.triples


def _stage(settings: Settings, steps: list[Publisher], gated: GateResult, ontology: Graph, vocab: Graph,
           problems: list[Problem], texts: dict[str, SourceText]) -> Staged:
    """Every file of dist/ into a new folder beside it, and the build prepared in every back-end from it.

    The files the stores load (N-Triples, ontology, VoID) come first, written without parsing anything; the
    stores then load in a thread while the other dumps are written (pyoxigraph releases the GIL while it
    loads: on two cores the two overlap). Any failure leaves no staged dist/ and no prepared build."""
    iris = Iris(settings.base)
    lines = dumps.sorted_lines(chain((t for e in gated.published for t in e.triples), vocab))
    stats = graph_stats(lines, iris.base)
    data = Dump.of_lines(lines)
    del lines
    stage = settings.dist_dir.with_name(stage_name(settings) + str(os.getpid()))
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    build_id = hashlib.sha256(data.ntriples).hexdigest()[:16]
    try:
        dumps.write_ntriples_gz(data, stage / "hrgraph.nt.gz")
        dumps.write_turtle(Dump.of(describe_dataset(stats, iris, version(), build_id, _publisher(settings))),
                           stage / "void.ttl")
        dumps.write_ontology(ontology - vocab, stage / "ontology.ttl")
        with ThreadPoolExecutor(max_workers=1) as pool:
            prepared = pool.submit(_prepare, steps, published_graphs(stage, settings.base), build_id)
            try:
                _write_rest(settings, stage, data, ontology, problems, gated, texts, iris, build_id)
            finally:
                done = prepared.exception() is None  # waits for the loads to finish either way
            if not done:
                raise prepared.exception()  # type: ignore[misc]
    except BaseException:
        for step in steps:
            step.discard(build_id)
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return Staged(stage, build_id, len(data))


def _publisher(settings: Settings) -> DatasetPublisher:
    inputs = (settings.curated_dir, settings.sources_dir, *settings.inputs)
    modified = modified_day((p for p in inputs if p.exists()), settings.source_date_epoch)
    return DatasetPublisher(settings.publisher, settings.contact_iri, modified)


def _prepare(steps: list[Publisher], graphs: dict[str, Path], build_id: str) -> None:
    for step in steps:
        step.prepare(graphs, build_id)


def _write_rest(settings: Settings, stage: Path, data: Dump, ontology: Graph, problems: list[Problem],
                gated: GateResult, texts: dict[str, SourceText], iris: Iris, build_id: str) -> None:
    dumps.write_turtle(data, stage / "hrgraph.ttl")
    context = dumps.jsonld_context(ontology)
    dumps.write_json(context, stage / "context.jsonld")
    write_jsonld(data.triples, stage / "hrgraph.jsonld", context)
    (stage / "validation-report.txt").write_text(report_text(problems), encoding="utf-8")
    dumps.write_turtle(report_graph(problems, iris), stage / "validation-report.ttl")
    dumps.write_turtle(Dump.of(t for e in gated.held_back for t in e.triples), stage / "quarantine.ttl")
    dumps.write_json({"build_id": build_id, "triples": len(data), "version": version(),
                      "base": settings.base}, stage / "build.json")
    _write_sources(gated, texts, stage / "sources")


def _write_sources(gated: GateResult, texts: dict[str, SourceText], dest: Path) -> None:
    """The stored texts the published evidence offsets point into, served at {base}sources/{file}."""
    dest.mkdir()
    for e in gated.published:
        if e.record.kind == "sources":
            name = next(str(o) for _, p, o in e.triples if p == DCTERMS.identifier)
            (dest / name).write_text(texts[name].text, encoding="utf-8")
