"""`hrgraph build`: every input through the one preparation path (prepare.py) → dist/ dumps and the store."""

from __future__ import annotations

import sys

from hrgraph.config import Settings
from hrgraph.model.records import BuildResult
from hrgraph.pipeline.ingest import KeyRegistry
from hrgraph.pipeline.prepare import load_model, prepare, read_inputs, read_turtle
from hrgraph.pipeline.progress import stage
from hrgraph.pipeline.publish import clean_leftovers, publish
from hrgraph.pipeline.restrict import register_keys
from hrgraph.store.backends import build_lock, reconcile

__all__ = ["build", "read_turtle"]


def build(settings: Settings, out=sys.stdout) -> BuildResult:
    """Run the pipeline under the build lock (a second build at once exits 2: `backends.BuildRunning`);
    a data error raises DataError before anything under dist/ is touched."""
    with build_lock(settings):
        reconcile(settings)  # finish a publish a kill interrupted
        clean_leftovers(settings)  # and remove what killed builds left
        return _build(settings, out)


def _build(settings: Settings, out) -> BuildResult:
    """Every input through the one preparation path, then publish. New keys are registered in data/keys.tsv
    (atomically, nothing that names a withheld person) once the gate has run."""
    model = load_model(settings)
    registry = KeyRegistry.load(settings.data_dir / "keys.tsv")
    with stage("read inputs", out):
        inputs = read_inputs(settings, registry=registry)
    prepared = prepare(settings, inputs, model, out)
    gated = prepared.gated
    result = BuildResult(problems=prepared.problems + gated.problems,
                         held_back=[e.record.ref() for e in gated.held_back])
    if not gated.conforms:
        result.held_back.append("(the graph as a whole: a violation no single record could be blamed for)")
        _summary(result, settings, out, prepared.policy.redact)
        return result
    register_keys(registry, prepared.policy)
    result.triples = publish(settings, gated, model.ontology, model.vocab, result.problems, prepared.texts, out)
    result.published = True
    _summary(result, settings, out, prepared.policy.redact)
    return result


def _summary(result: BuildResult, settings: Settings, out, mask) -> None:
    for p in result.problems:
        print(f"  {p.severity.lower()}: {mask(str(p))}", file=out)
    if result.published:
        print(f"hrgraph build: published {result.triples} triples to {settings.dist_dir}", file=out)
    if result.held_back:
        print(f"hrgraph build: {len(result.held_back)} record(s) held back (see dist/quarantine.ttl and "
              "dist/validation-report.txt):", file=out)
        for ref in result.held_back:
            print(f"  - {mask(ref)}", file=out)
