"""The one preparation path: every input of every command passes merge → restrict → resolve → emit →
materialise → gate, in that order, here and nowhere else.

    inputs = read_inputs(settings)                     # curated YAML, data/sources/ (or the pages given), --input RDF
    prepared = prepare(settings, inputs, load_model(settings), out)

`build` publishes what comes out; `ingest` prints it. Neither can reach emit without restriction: restriction
is not a step a command calls, it is a step of this function. After the gate, what is about to be published
(every triple, source text and message) is read once more for a withheld person named for certain; one found
stops the command (exit 2) before anything is written, without saying who.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from hrgraph.config import Settings
from hrgraph.errors import DataError
from hrgraph.model.namespaces import Iris
from hrgraph.model.records import Problem, Record
from hrgraph.pipeline import restrict, review
from hrgraph.pipeline.curated import load_curated
from hrgraph.pipeline.emit import Emitted, emit_record, emit_source
from hrgraph.pipeline.imports import import_rdf
from hrgraph.pipeline.ingest import IngestResult, KeyRegistry, ingest_files, source_paths
from hrgraph.pipeline.masking import Masker
from hrgraph.pipeline.progress import stage
from hrgraph.pipeline.reason import materialise, superclasses
from hrgraph.pipeline.resolve import Index, source_key
from hrgraph.pipeline.restrict_rdf import persons_of_imports, restrict_imports
from hrgraph.pipeline.sources import SourceText, read_sources
from hrgraph.pipeline.validate import GateResult, gate


@dataclass
class Model:
    ontology: Graph
    vocab: Graph
    shapes: Graph


@dataclass
class Inputs:
    curated: list[Record]
    ingested: IngestResult
    texts: dict[str, SourceText]  # data/sources/ and the pages ingested (HTML: the extracted text)
    imports: list[Emitted] = field(default_factory=list)  # --input RDF, one per focus resource
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Prepared:
    gated: GateResult
    problems: list[Problem]
    texts: dict[str, SourceText]
    policy: restrict.Policy
    records: list[Record]  # after restriction: what was emitted (and the records references resolve to)


# What a command emits of the restricted records: all (build), or the ingested ones and what they cite.
Select = Callable[[list[Record], dict[str, SourceText], restrict.Policy], tuple[list[Record], list[str]]]


def read_turtle(paths: list[Path], root: Path) -> Graph:
    g = Graph()
    for path in paths:
        try:
            g.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser types; all mean "this file is broken"
            raise DataError(f"not valid Turtle: {exc}", str(path.relative_to(root))) from None
    return g


def load_model(settings: Settings) -> Model:
    vocab = read_turtle(sorted((settings.ontology_dir / "vocab").glob("*.ttl")), settings.root)
    ontology = read_turtle(sorted(settings.ontology_dir.glob("*.ttl")), settings.root) + vocab
    return Model(ontology, vocab, read_turtle(sorted(settings.shapes_dir.glob("*.ttl")), settings.root))


def read_inputs(settings: Settings, pages: list[Path] | None = None, registry: KeyRegistry | None = None) -> Inputs:
    """Every input, read: curated records (schema-checked), the pages (default: data/sources/), --input RDF."""
    curated, problems = load_curated(settings.curated_dir, settings.root) if settings.curated_dir.is_dir() \
        else ([], [])
    texts, unreadable = read_sources(settings.sources_dir) if settings.sources_dir.is_dir() else ({}, [])
    problems += [Problem(msg.split(":", 1)[0], "source-encoding", msg.split(": ", 1)[-1], "Warning")
                 for msg in unreadable]
    paths = source_paths(settings.sources_dir) if pages is None else pages
    ingested = ingest_files(paths, curated, registry)
    texts.update({f: SourceText(f, t) for f, t in ingested.texts.items()})
    imports = import_rdf(settings.inputs, settings.root) if settings.inputs else []
    return Inputs(curated, ingested, texts, imports, problems + ingested.problems)


def everything(records: list[Record], texts: dict[str, SourceText], _: restrict.Policy) -> tuple[list[Record],
                                                                                                   list[str]]:
    return [r for r in records if r.kind != "sources"], sorted(texts)


def _restrict(settings: Settings, inputs: Inputs, records: list[Record], problems: list[Problem],
              write_private: bool) -> tuple[list[Record], dict[str, SourceText], list[Emitted], list[Problem],
                                            restrict.Policy]:
    iris = Iris(settings.base)
    policy = restrict.Policy(Masker(salt=restrict.salt(settings, write_private)))
    persons = restrict.persons_of_records(records, iris) + persons_of_imports(inputs.imports)
    restrict.protect(persons, policy.masker)
    records, texts, problems = restrict.restrict_records(records, inputs.texts, problems, policy, iris)
    imports = restrict_imports(inputs.imports, policy)
    restrict.check_saved_queries(settings, policy)
    if write_private:
        restrict.write_report(settings, policy)
    return records, texts, imports, problems, policy


@dataclass
class Emission:
    """What merge → restrict → resolve → emit hands on: the emitted records and what restriction left."""

    emitted: list[Emitted]
    problems: list[Problem]
    texts: dict[str, SourceText]  # the source texts emitted (masked, renamed)
    policy: restrict.Policy
    records: list[Record]


def emit_inputs(settings: Settings, inputs: Inputs, select: Select = everything, write_private: bool = True,
                publish_unreviewed: bool | None = None) -> Emission:
    """merge → restrict → resolve → emit. `write_private`: keep the report and salt under var/private/ (build).

    Merge is pipeline/review's selection: curated records win, and extracted claims are candidates, published
    only once a curator accepted them unless `publish_unreviewed` (default: the setting)."""
    unreviewed = settings.publish_unreviewed if publish_unreviewed is None else publish_unreviewed
    merged = review.select(inputs.curated, inputs.ingested.records, unreviewed)
    records, texts, imports, problems, policy = _restrict(settings, inputs, merged.records,
                                                          inputs.problems + merged.problems, write_private)
    chosen, files = select(records, texts, policy)
    index = Index.of(records, Iris(settings.base))
    meta = {source_key(str(r.fields.get("file", r.key))): r for r in records if r.kind == "sources"}
    emitted = [emit_source(texts[f], meta.get(source_key(f)), index) for f in files if f in texts]
    emitted += [emit_record(r, index, texts) for r in chosen] + imports
    return Emission(emitted, problems, {f: texts[f] for f in files if f in texts}, policy, records)


def prepare(settings: Settings, inputs: Inputs, model: Model, out=sys.stdout, select: Select = everything,
            write_private: bool = True, publish_unreviewed: bool | None = None) -> Prepared:
    """Inputs → gated RDF, checked for restricted data (see the module's docstring)."""
    with stage("merge, restrict, resolve and emit", out):
        em = emit_inputs(settings, inputs, select, write_private, publish_unreviewed)
    with stage("materialise superclass types", out):
        materialise(em.emitted, superclasses(model.ontology))
    print(f"hrgraph: {len(em.emitted)} records emitted; validating against shapes/ ...", file=out, flush=True)
    with stage("validate", out):
        gated = gate(em.emitted, model.shapes, model.ontology, model.vocab, settings.gate_engine) \
            if len(model.shapes) else GateResult(em.emitted, conforms=True)
    masker = em.policy.masker
    if masker.active:
        gated.problems = em.policy.messages(gated.problems)
    verify(masker, gated, em.texts, em.problems + gated.problems)
    return Prepared(gated, em.problems, em.texts, em.policy, em.records)


def verify(masker: Masker, gated: GateResult, texts: dict[str, SourceText], problems: list[Problem]) -> None:
    """Nothing about to be published names a withheld person for certain (restriction's own check)."""
    if not masker.active:
        return
    seen: set[object] = set()
    for e in [*gated.published, *gated.held_back]:
        for t in e.triples:
            for term in t:
                if term in seen or not isinstance(term, URIRef | Literal):
                    continue
                seen.add(term)
                if str(term) in masker.withheld or masker.leaks(str(term)):
                    _leak("the graph")
    if any(masker.leaks(t.text) or masker.leaks(f) for f, t in texts.items()):
        _leak("a source text")
    if any(masker.leaks(f"{p.record} {p.message} {p.focus}") for p in problems):
        _leak("a build message")


def _leak(where: str) -> None:
    raise DataError(f"restricted data survived restriction in {where}; nothing was published",
                    hint="this is a bug in hrgraph's restriction: report it (var/private/restricted.txt lists "
                         "what was withheld)")
