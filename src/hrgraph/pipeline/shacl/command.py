"""`hrgraph validate DATA... [--shapes S...]`: the SHACL validation report of RDF files, as Turtle on stdout.

Without --shapes the project's shapes/ are used and the ontology with its vocabularies is added to the data,
as the build's gate does (rdfs:subClassOf for sh:class, skos:inScheme for the vocabularies); with --shapes
the data is validated as it is. Files are read by pyoxigraph with their literals as written, relative IRIs
against the file's own location. Shapes the engine refuses (`Unsupported`) are validated with pySHACL.

Exit codes: 0 the data conforms; 1 a result of severity sh:Violation (the gate would hold records back);
3 only sh:Warning / sh:Info results (sh:conforms is false, yet a build would publish); 2 an input error
(a file that cannot be read or parsed, shapes that are not well-formed SHACL), with the file and line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import IO

from pyshacl import validate as pyshacl_validate
from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from hrgraph.config import Settings
from hrgraph.errors import DataError
from hrgraph.model.namespaces import SH
from hrgraph.pipeline.imports import read_quads
from hrgraph.pipeline.oxterms import to_rdflib
from hrgraph.pipeline.shacl.engine import validate
from hrgraph.pipeline.shacl.graph import DataGraph, Triple
from hrgraph.pipeline.shacl.paths import BadShape
from hrgraph.pipeline.shacl.report import blocks, report_graph
from hrgraph.pipeline.shacl.shapes import Shapes, Unsupported

OK, VIOLATION, INPUT_ERROR, WARNINGS_ONLY = 0, 1, 2, 3


def files(paths: Iterable[Path]) -> list[Path]:
    """The paths, a folder standing for the Turtle files in it."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(p.glob("*.ttl"))
        elif p.is_file():
            out.append(p)
        else:
            raise DataError("no such file or folder", str(p))
    return out


def read_triples(paths: Iterable[Path], prefixes: dict[str, str] | None = None) -> list[Triple]:
    """The triples of the files (quads' graph names dropped), literals exactly as written. A term that recurs
    is converted once (and is then the same object, which makes the engine's lookups identity checks).
    `prefixes` receives the files' prefix declarations, for a readable report."""
    out: list[Triple] = []
    terms: dict[object, Node] = {}

    def conv(term: object) -> Node:
        if (hit := terms.get(term)) is None:
            hit = terms[term] = to_rdflib(term, normalize=False)  # type: ignore[assignment]
        return hit  # type: ignore[return-value]

    for path in files(paths):
        try:
            out += [(conv(q.subject), conv(q.predicate), conv(q.object))
                    for q in read_quads(path, base_iri=path.resolve().as_uri(), prefixes=prefixes)]
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"cannot read: {exc}", str(path)) from None
    return out


def read_graph(paths: Iterable[Path], prefixes: dict[str, str] | None = None) -> Graph:
    g = Graph()
    for t in read_triples(paths, prefixes):
        g.add(t)
    return g


def report_for(data: list[Triple], shapes: Graph, background: list[Triple]) -> Graph:
    """The validation report: hrgraph's engine, or pySHACL for shapes the engine refuses."""
    try:
        compiled = Shapes(shapes)
        return report_graph(validate(DataGraph(chain(data, background)), compiled), shapes)
    except Unsupported:
        graph, ontology = Graph(), Graph()
        for t in data:
            graph.add(t)
        for t in background:
            ontology.add(t)
        _, report, _ = pyshacl_validate(graph, shacl_graph=shapes, ont_graph=ontology or None, inference="none",
                                        advanced=True, allow_warnings=False)
        return report


def exit_code(report: Graph) -> int:
    severities = [report.value(r, SH.resultSeverity) for rep in report.subjects(RDF.type, SH.ValidationReport)
                  for r in report.objects(rep, SH.result)]
    if not severities:
        return OK
    return VIOLATION if any(blocks(s) for s in severities) else WARNINGS_ONLY


def run(settings: Settings, data: list[Path], shapes: list[Path] | None, out: IO[bytes] | None = None) -> int:
    prefixes: dict[str, str] = {}
    triples = read_triples(data, prefixes)
    if shapes:
        shapes_graph, background = read_graph(shapes, prefixes), []
    else:
        shapes_graph = read_graph([settings.shapes_dir], prefixes)
        background = read_triples([settings.ontology_dir, settings.ontology_dir / "vocab"])
    for prefix, namespace in prefixes.items():  # the report names terms as the inputs did
        shapes_graph.bind(prefix, namespace, override=False)
    try:
        report = report_for(triples, shapes_graph, background)
    except BadShape as exc:
        where = ", ".join(str(p) for p in shapes) if shapes else str(settings.shapes_dir)
        raise DataError(f"the shapes are not well-formed SHACL: {exc}", where) from None
    (out or sys.stdout.buffer).write(report.serialize(format="turtle", encoding="utf-8"))
    code = exit_code(report)
    counts = {}
    for r in report.objects(None, SH.resultSeverity):
        name = str(r).rsplit("#", 1)[-1]
        counts[name] = counts.get(name, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no results"
    print(f"hrgraph validate: {len(triples)} triples read, {summary}: "
          f"{'conforms' if code == OK else 'does not conform'}", file=sys.stderr)
    return code
