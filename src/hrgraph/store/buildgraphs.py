"""Builds side by side in one remote endpoint: each build's graphs under names of their own, one pointer.

A remote publish loads every graph of a build (`{base}graph/data`, `…/ontology`, `…/void`: the *public*
names) into a *physical* graph named after the build (`urn:hrgraph:build:<id>:<hash of the public name>`),
records the mapping in the control graph (`{base}graph/control`), and only then moves the `active` pointer
there in one SPARQL update; the previous build stays loaded until the next publish, so a server still on it
answers from an intact build. Readers never see a half-loaded build: they query the physical graphs of the one build the
pointer named when they read it.

`BuildView` is that reading side for one build: it rewrites a query's public graph names to the physical
ones, supplies the build's graphs as the protocol dataset (default graph = their union, as the embedded
store's), and maps physical names in the answer back, so clients and the web layer only see public names.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from hrgraph.store import querytext
from hrgraph.store.base import Dataset

C = "urn:hrgraph:control#"  # the control graph's few terms: active, previous, graph, name, loaded, activated
BUILD_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

# Tokens that matter here: strings and comments (skipped), IRIs, prefixed names, PREFIX/BASE declarations.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|\#[^\n]*"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|[?$]\w+"
    r"|(?P<pname>(?:[^\W\d][\w.-]*)?:[\w.:%-]*)"
    r"|[^\W\d]\w*|\S",
    re.DOTALL,
)
_GRAPH_POSITIONS = frozenset({"GRAPH", "FROM", "NAMED"})  # the keyword before a graph name
_PREFIX_DECL = re.compile(r"(?i)\bPREFIX\s+((?:[^\W\d][\w.-]*)?):\s*<([^<>\s]*)>")
# Virtuoso answers `GRAPH ?g { }` (one row per named graph in SPARQL 1.1) with no rows at all.
_EMPTY_GRAPH = re.compile(r"(?i)\bGRAPH\s+([?$]\w+)\s*\{\s*\}")


def control_graph(base: str) -> str:
    """One control graph per base IRI, so datasets with different bases can share an endpoint."""
    return f"{base}graph/control"


def build_node(build_id: str) -> str:
    return f"urn:hrgraph:build:{build_id}"


def physical_name(build_id: str, public: str) -> str:
    """Fixed-length names, so none is a prefix of another and answers can be mapped back by plain replace."""
    if not BUILD_ID.fullmatch(build_id):
        raise ValueError(f"a build id must match {BUILD_ID.pattern}, not {build_id!r}")
    return f"{build_node(build_id)}:{hashlib.sha256(public.encode()).hexdigest()[:16]}"


@dataclass(frozen=True)
class BuildView:
    """One loaded build as readers see it: its id and its graphs, public name -> physical name."""

    build_id: str
    graphs: Mapping[str, str]
    _back: dict[bytes, bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_back", {p.encode(): g.encode() for g, p in self.graphs.items()})

    def physical(self, public: str) -> str:
        """Unknown graph names stay as they are: the endpoint has no such graph, or it is not ours."""
        return self.graphs.get(public, public)

    def dataset(self, query: str, asked: Dataset | None) -> Dataset | None:
        """The protocol dataset to send: the client's (renamed), none when the query names its own with
        FROM, else every graph of the build as default (their union) and as named graphs."""
        if asked and (asked.default_graph_uris or asked.named_graph_uris):
            return Dataset(tuple(map(self.physical, asked.default_graph_uris)),
                           tuple(map(self.physical, asked.named_graph_uris)))
        if querytext.has_dataset_clause(query):
            return None
        every = tuple(sorted(self.graphs.values()))
        return Dataset(every, every)

    def rewrite(self, query: str, dataset: Dataset | None) -> str:
        """Public graph names where the text names a graph (`GRAPH`, `FROM`, `FROM NAMED`, as an IRI or a
        prefixed name) replaced by the physical ones. The same IRI elsewhere (a subject, a FILTER) is data."""
        prefixes = {p: ns for p, ns in _PREFIX_DECL.findall(query)}
        out, last, previous = [], 0, ""
        for m in _TOKEN.finditer(query):
            token = m.group(0)
            iri = None
            if m.group("iri"):
                iri = token[1:-1]
            elif m.group("pname") and token.split(":", 1)[0] in prefixes:
                ns_name, local = token.split(":", 1)
                iri = prefixes[ns_name] + local
            if iri in self.graphs and previous in _GRAPH_POSITIONS:
                out += [query[last:m.start()], f"<{self.graphs[iri]}>"]
                last = m.end()
            if not token.startswith("#"):
                previous = token.upper()
        text = "".join(out) + query[last:]
        return self._empty_graph_patterns(text, dataset)

    def _empty_graph_patterns(self, query: str, dataset: Dataset | None) -> str:
        """`GRAPH ?g { }` as the named graphs it ranges over, where we know them (our dataset or the client's)."""
        if dataset is None or not _EMPTY_GRAPH.search(query):
            return query
        values = " ".join(f"<{g}>" for g in dataset.named_graph_uris)
        return _EMPTY_GRAPH.sub(lambda m: f"VALUES {m.group(1)} {{ {values} }}", query)

    def unmap(self, answer: bytes) -> bytes:
        """Physical graph names in an answer (XML results, N-Triples) back to the public ones."""
        if b"urn:hrgraph:build:" not in answer:
            return answer
        for physical, public in self._back.items():
            answer = answer.replace(physical, public)
        return answer


def view_query(control: str, pinned: str | None) -> str:
    """The control graph's record of the active (or the pinned) build: its id and its graphs."""
    build = f'BIND("{pinned}" AS ?build)' if pinned else f"<{control}> <{C}active> ?build ."
    return (f"SELECT ?build ?graph ?name FROM <{control}> WHERE {{ {build} "
            f"BIND(IRI(CONCAT(\"urn:hrgraph:build:\", STR(?build))) AS ?b) "
            f"?b <{C}graph> ?graph . ?graph <{C}name> ?name }}")
