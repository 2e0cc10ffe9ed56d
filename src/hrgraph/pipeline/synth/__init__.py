"""`hrgraph synth`: a deterministic graph in the project's ontology that looks like the real one, valid under
shapes/, so every saved query has rows to return and the bench measures them all at any size.

Every class and every claim kind of the ontology occurs: persons recognised as political prisoners (current,
former, died in custody) with charges under every kind of legislation and events of every kind (detention,
trial, arrest, release, death in custody, an organisation's liquidation); statements of every kind, the
joint ones co-signed by two to five organisations (hr:Signature); demands of every type of the demand-type
scheme; submissions to mechanisms of every kind (sessions and mandates within the Human Rights Council, so
hr:partOf* reaches them); statistics in reports; organisations of every kind; withdrawn records. Proportions
are in `statements` (per person) and follow the curated data where it has them. Each claim and event carries
prov:wasDerivedFrom, hr:statedIn and the emitter's own evidence annotation (`emit.annotation`), whose quote
stands verbatim at its offsets in a generated source document written beside the graph.

N-Triples are written directly as text (no rdflib graph): about 120 triples per person, so 10,000 persons
give about 1.2M triples in seconds. The same (N, seed) gives byte-identical output. Keys are prefixed
`synth-` / `p…` so the graph can be built beside the curated data.
"""

from __future__ import annotations

import gzip
import hashlib
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from hrgraph.model.namespaces import CANONICAL_BASE, Iris
from hrgraph.pipeline.synth.statements import PERSONS_PER_STATEMENT, statement
from hrgraph.pipeline.synth.world import LEGISLATION, build_world
from hrgraph.pipeline.synth.writer import DC, RS, Doc, H, Writer, en, iri

__all__ = ["sample_parameters", "sources_dir_for", "synth"]
WITHDRAWN_EVERY = 1000  # one withdrawn record per thousand persons (persons w000005, w001005, ...)


def ontology_closure(ontology_file: Path) -> dict[str, list[str]]:
    """Superclasses of every class of the ontology, as the build's `reason` step materialises them."""
    from rdflib import Graph

    from hrgraph.pipeline.reason import superclasses

    graph = Graph().parse(ontology_file, format="turtle")
    return {str(c): [str(s) for s in sups] for c, sups in superclasses(graph).items()}


def sample_parameters(base: str = CANONICAL_BASE) -> dict[str, str]:
    """A value for each parameter of the saved queries that names a synthetic resource (person, statement,
    mechanism, article of the synthetic Criminal Code), so every query can be run on a synthetic graph alone."""
    iris = Iris(base)
    return {"person": str(iris.record("persons", "p000000")),
            "statement": str(iris.record("statements", "synth-00000")),
            "mechanism": str(iris.record("mechanisms", "synth-un-hrc")),
            "article": str(iris.provision(LEGISLATION[0][0], "342"))}


@contextmanager
def _open_out(path: Path) -> Iterator[IO[str]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1, newline="\n") as fh:
            yield fh
    else:
        with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
            yield fh


def sources_dir_for(out: Path) -> Path:
    """Where the generated source documents go: `<out without suffixes>-sources/` beside the graph."""
    return out.with_name(out.name.split(".", 1)[0] + "-sources")


def _withdrawn(w: Writer, persons: int) -> None:
    for n in range(5, persons, WITHDRAWN_EVERY):
        s = iri(w.iris.record("persons", f"w{n:06d}"))
        w.typed(s, H.WithdrawnRecord)
        w.t(s, RS.label, en("Withdrawn record"))
        w.t(s, DC.description, en("withdrawn at the request of the person concerned"))


def synth(persons: int, out: Path, seed: int = 0, ontology_file: Path | None = None, base: str = CANONICAL_BASE,
          sources: Path | None = None) -> int:
    """Write the graph to `out` (.nt or .nt.gz) and the source documents to `sources`; returns the triple count."""
    ontology_file = ontology_file or Path(__file__).resolve().parents[4] / "ontology" / "hrgraph.ttl"
    sources = sources or sources_dir_for(out)
    sources.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)

    def write_doc(doc: Doc) -> str:
        data = doc.text.encode("utf-8")
        (sources / doc.file).write_bytes(data)
        return hashlib.sha256(data).hexdigest()

    with _open_out(out) as fh:
        w = Writer(fh, ontology_closure(ontology_file), Iris(base))
        world = build_world(w)
        for j, first in enumerate(range(0, persons, PERSONS_PER_STATEMENT)):
            statement(w, world, rnd, j, range(first, min(first + PERSONS_PER_STATEMENT, persons)), write_doc)
        _withdrawn(w, persons)
    return w.count
