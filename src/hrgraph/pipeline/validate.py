"""The SHACL gate: validate, hold back every record with a violation (and what then dangles), publish the rest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from hrgraph.model.namespaces import SH
from hrgraph.model.records import Problem
from hrgraph.pipeline.emit import Emitted
from hrgraph.pipeline.fastgate import FastEngine
from hrgraph.pipeline.shacl import Unsupported, blocks

MAX_ROUNDS = 6  # holding a record back can leave links dangling; each round removes one layer


@dataclass
class GateResult:
    published: list[Emitted]
    held_back: list[Emitted] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    conforms: bool = False


def _owners(emitted: Iterable[Emitted]) -> dict[URIRef, Emitted]:
    """Which record a node belongs to: its own subject first, then the nodes it alone describes (evidence)."""
    owner: dict[URIRef, Emitted] = {}
    items = list(emitted)
    for e in items:
        owner.setdefault(e.subject, e)
    for e in items:
        for s, _, _ in e.triples:
            owner.setdefault(s, e)
    return owner


def _results(report: Graph) -> list[dict[str, object]]:
    rows = []
    # Only top-level results: nested sh:detail results (from sh:node) point at vocabulary concepts no record owns.
    top = {r for rep in report.subjects(RDF.type, SH.ValidationReport) for r in report.objects(rep, SH.result)}
    for r in top:
        rows.append({k: report.value(r, SH[k]) for k in (
            "focusNode", "resultPath", "value", "resultMessage", "resultSeverity", "sourceConstraintComponent")})
    return sorted(rows, key=lambda d: tuple(str(v) for v in d.values()))


def _problem(row: dict[str, object], owner: Emitted | None) -> Problem:
    component = str(row["sourceConstraintComponent"] or "").rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    path = str(row["resultPath"] or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    value = f" (value: {row['value']})" if row["value"] is not None else ""
    return Problem(
        record=owner.record.ref() if owner else str(row["focusNode"]),
        rule=f"{component} on {path}" if path else component,
        message=f"{row['resultMessage'] or 'violates ' + component}{value}",
        severity=str(row["resultSeverity"] or "").rsplit("#", 1)[-1] or "Violation",
        focus=str(row["focusNode"]),
    )


def gate(emitted: list[Emitted], shapes: Graph, ontology: Graph, extra: Graph, engine: str = "auto") -> GateResult:
    """Validate the union of records (+ `extra`, the published vocabularies); hold back failing records until
    what remains conforms. Records that failed before SHACL (unfound quotes, bad dates) are held back first.

    The shapes run on hrgraph's SHACL engine (pipeline/shacl), or with pySHACL when they use a feature the
    engine refuses or when `engine` is "pyshacl" (setting HRGRAPH_GATE); both give the same results. Only
    results that block (severity sh:Violation, not sh:Warning or sh:Info: `shacl.blocks`) hold records back;
    `conforms` then means that none remains, though a report with warnings does not conform in the SHACL sense."""
    result = GateResult(published=[e for e in emitted if not _has_violation(e.problems)])
    result.held_back = [e for e in emitted if _has_violation(e.problems)]
    result.problems = [p for e in emitted for p in e.problems]
    validator = _engine(shapes, ontology, extra, engine)
    for _ in range(MAX_ROUNDS):
        conforms, rows = validator.validate(result.published)
        owner = _owners(result.published)
        result.problems += [p for p in dict.fromkeys(_problem(r, owner.get(r["focusNode"])) for r in rows)  # type: ignore
                            if p not in result.problems]
        failing = {id(owner[r["focusNode"]]): owner[r["focusNode"]] for r in rows  # type: ignore[index]
                   if r["focusNode"] in owner and blocks(r["resultSeverity"])}  # type: ignore[arg-type]
        unowned = [r for r in rows if r["focusNode"] not in owner and blocks(r["resultSeverity"])]  # type: ignore
        if conforms or (not failing and not unowned):
            result.conforms = True
            return result
        if unowned or not failing:
            return result  # a violation no record can be blamed for (ontology, vocabularies): publish nothing
        result.held_back += failing.values()
        result.published = [e for e in result.published if id(e) not in failing]
        validator.hold_back(failing.values(), result.published)
    return result


class PyShaclEngine:
    """pySHACL over the whole graph (the reference; minutes at 1M triples)."""

    def __init__(self, shapes: Graph, ontology: Graph, extra: Graph) -> None:
        self.shapes, self.ontology, self.extra = shapes, ontology, extra

    def validate(self, published: list[Emitted]) -> tuple[bool, list[dict[str, object]]]:
        data = Graph()
        for e in published:
            for t in e.triples:
                data.add(t)
        data += self.extra
        conforms, report, _ = shacl_validate(data, shacl_graph=self.shapes, ont_graph=self.ontology,
                                             inference="none", advanced=True, allow_warnings=True)
        return bool(conforms), _results(report)

    def hold_back(self, records: Iterable[Emitted], remaining: list[Emitted]) -> None:
        pass


def _engine(shapes: Graph, ontology: Graph, extra: Graph, engine: str) -> PyShaclEngine | FastEngine:
    if engine == "pyshacl":
        return PyShaclEngine(shapes, ontology, extra)
    try:
        return FastEngine(shapes, ontology, extra)
    except Unsupported:
        return PyShaclEngine(shapes, ontology, extra)


def _has_violation(problems: list[Problem]) -> bool:
    return any(p.severity == "Violation" for p in problems)
