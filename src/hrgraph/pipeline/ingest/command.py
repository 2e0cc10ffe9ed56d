"""`hrgraph ingest FILE... [--format turtle|nt|jsonld] [--out PATH] [--explain KEY] [--report] [--register-keys]`.

Prints the ingested records (and the curated records they point to, so the output stands alone) as RDF,
through the build's own preparation path (prepare.py: merge → restrict → resolve → emit → materialise →
gate), so protected persons are withheld exactly as in a build. Problems go to stderr, one line each, masked
like everything else; never a traceback. Ingest only reads: new keys stay in memory unless
`--register-keys` saves them to data/keys.tsv (atomically); `build` registers them too.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from rdflib import Graph

from hrgraph.config import Settings
from hrgraph.model.records import Record
from hrgraph.pipeline.emit import Triple
from hrgraph.pipeline.ingest.assemble import IngestResult
from hrgraph.pipeline.ingest.identity import KeyRegistry
from hrgraph.pipeline.ntriples import nt_lines
from hrgraph.pipeline.prepare import Select, load_model, prepare, read_inputs
from hrgraph.pipeline.restrict import Policy, register_keys
from hrgraph.pipeline.sources import SourceText

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


def _serialize(triples: Iterable[Triple], fmt: str) -> tuple[str, int]:
    """The RDF text in `fmt` and its number of triples; N-Triples without building an rdflib graph (sorted,
    canonical: a long page gives hundreds of thousands of triples)."""
    if fmt == "nt":
        lines = sorted(nt_lines(triples))
        return "".join(lines), len(lines)
    graph = Graph()
    for t in triples:
        graph.add(t)
    return graph.serialize(format=fmt), len(graph)


def _ingested_and_cited(result: IngestResult) -> Select:
    """What ingest prints: the ingested records (the curated version where both have a key), the curated
    records they refer to, and the source texts they cite."""
    def select(records: list[Record], texts: dict[str, SourceText], policy: Policy) -> tuple[list[Record], list[str]]:
        wanted = {(r.kind, policy.renamed.get(r.key, r.key)) for r in result.records}
        ingested = [r for r in records if (r.kind, r.key) in wanted and r.kind != "sources"]
        chosen = ingested + closure(ingested, [r for r in records if (r.kind, r.key) not in wanted])
        pages = {policy.renamed.get(f, f) for f in result.texts}
        return chosen, sorted({ev.source for r in chosen for ev in r.evidence} | pages)
    return select


def _withheld(kind: str, key: str, policy: Policy) -> bool:
    return (kind == "persons" and key in policy.persons) or key in policy.dropped


def _decisions(result: IngestResult, policy: Policy) -> list[str]:
    """The identity decisions (`--report`), none about a withheld person: which spellings were merged into
    them, and by which name key, is theirs."""
    decisions = sorted(result.resolver.decisions.values(), key=lambda d: (d.kind, d.key)) if result.resolver else []
    shown = [policy.redact(str(d)) for d in decisions if not _withheld(d.kind, d.key, policy)]
    hidden = len(decisions) - len(shown)
    return shown + ([f"({hidden} decision(s) about withheld persons not shown)"] if hidden else [])


def _explained(result: IngestResult, key: str, policy: Policy) -> str:
    """`--explain KEY`: why the entity got its key, or that it is withheld (and nothing more)."""
    if any(_withheld(d.kind, d.key, policy) for d in (result.resolver.decisions.values() if result.resolver
                                                      else ()) if d.key == key):
        return f"'{policy.redact(key)}' is withheld (a protected person): nothing about it is shown"
    return "\n".join(policy.redact(line) for line in result.explain(key)) or \
        f"no ingested entity has the key '{policy.redact(key)}'"


def run(settings: Settings, files: list[str], fmt: str, out: str | None, explain: str | None = None,
        report: bool = False, err: TextIO = sys.stderr, register: bool = False) -> int:
    """Read the pages and print their RDF; nothing in the checkout is written unless `register` (the key
    registry, atomically) or `out` (the file asked for)."""
    registry = KeyRegistry.load(settings.data_dir / "keys.tsv")
    inputs = read_inputs(settings.with_(inputs=()), [Path(f) for f in files], registry)
    result = inputs.ingested
    if not result.documents:
        for p in result.problems:
            print(f"hrgraph ingest: {p.severity.lower()}: {p.record}: {p.message}", file=err)
        print("hrgraph ingest: no file could be ingested", file=err)
        return 2
    prepared = prepare(settings, inputs, load_model(settings), io.StringIO(), _ingested_and_cited(result),
                       write_private=False, publish_unreviewed=True)  # shows the candidates, marked unreviewed
    policy = prepared.policy
    for p in prepared.problems:
        print(f"hrgraph ingest: {p.severity.lower()}: {p.record}: {p.message}", file=err)
    if explain:
        print(_explained(result, explain, policy), file=sys.stdout if out else err)
    if report:
        for line in _decisions(result, policy):
            print(f"  {line}", file=err)
    gated = prepared.gated
    for e in gated.held_back:
        print(policy.redact(f"hrgraph ingest: held back (violates shapes/): {e.record.ref()}"), file=err)
    for p in gated.problems:
        if p.severity == "Violation":
            print(f"hrgraph ingest: violation: {p}", file=err)
    data, triples = _serialize((t for e in gated.published for t in e.triples), FORMATS.get(fmt, "turtle"))
    if out:
        Path(out).write_text(data, encoding="utf-8")
    else:
        sys.stdout.write(data)
    if register:
        register_keys(registry, prepared.policy)
    conflicts = sum(p.rule == "ingest-conflict" for p in prepared.problems)
    print(f"hrgraph ingest: {len(result.documents)} document(s), {len(result.records)} records, "
          f"{triples} triples; {conflicts} conflict(s) with curated records; {len(gated.held_back)} held back"
          + ("; keys registered in data/keys.tsv" if register else ""), file=err)
    return 1 if gated.held_back else 0
