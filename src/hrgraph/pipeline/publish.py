"""Write dist/ (dumps, VoID, report, quarantine) beside the live one and swap it in; then publish the store."""

from __future__ import annotations

import hashlib
import os
import shutil
from importlib.metadata import version as package_version
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from hrgraph.config import Settings
from hrgraph.model.namespaces import SH, Iris
from hrgraph.model.records import Problem
from hrgraph.pipeline import dumps
from hrgraph.pipeline.sources import SourceText
from hrgraph.pipeline.validate import GateResult
from hrgraph.pipeline.void import describe_dataset
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


def report_graph(problems: list[Problem], iris: Iris) -> Graph:
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
    return dumps.sorted_graph(triples)


def _swap(new: Path, live: Path) -> None:
    """Replace `live` with `new` by renames: readers see the old dist/ or the new one, never a half-written one."""
    old = live.with_name(live.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if live.exists():
        os.replace(live, old)
    os.replace(new, live)
    shutil.rmtree(old, ignore_errors=True)


def publish(settings: Settings, gated: GateResult, ontology: Graph, vocab: Graph, problems: list[Problem],
            texts: dict[str, SourceText], out) -> int:
    iris = Iris(settings.base)
    data = dumps.sorted_graph([t for e in gated.published for t in e.triples] + list(vocab))
    stage = settings.dist_dir.with_name(f"{settings.dist_dir.name}.new-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    dumps.write_turtle(data, stage / "hrgraph.ttl")
    nt = dumps.write_ntriples_gz(data, stage / "hrgraph.nt.gz")
    build_id = hashlib.sha256(nt).hexdigest()[:16]
    context = dumps.jsonld_context(ontology)
    dumps.write_json(context, stage / "context.jsonld")
    dumps.write_jsonld(data, stage / "hrgraph.jsonld", context)
    dumps.write_turtle(dumps.sorted_graph(describe_dataset(data, iris, _version(), build_id)), stage / "void.ttl")
    dumps.write_turtle(dumps.sorted_graph(ontology - vocab), stage / "ontology.ttl")
    (stage / "validation-report.txt").write_text(report_text(problems), encoding="utf-8")
    dumps.write_turtle(report_graph(problems, iris), stage / "validation-report.ttl")
    dumps.write_turtle(dumps.sorted_graph(t for e in gated.held_back for t in e.triples), stage / "quarantine.ttl")
    dumps.write_json({"build_id": build_id, "triples": len(data), "version": _version(), "base": settings.base},
                     stage / "build.json")
    _write_sources(gated, texts, stage / "sources")
    # Commit order: the new store is prepared beside the live one, dist/ is swapped (the commit point), then
    # the store is activated. A kill before the swap leaves both as they were; a kill after it is completed
    # by `reconcile` at the next build or serve.
    prepared = _prepare_store(settings, stage, iris, build_id)
    remote_publish.load_build(settings, stage, build_id)  # HRGRAPH_STORE=remote: loaded beside the served build
    _swap(stage, settings.dist_dir)
    embedded.activate(settings.store_dir, prepared)
    remote_publish.activate_build(settings, build_id)
    print(f"hrgraph build: store {prepared.name} is now live", file=out)
    return len(data)


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
