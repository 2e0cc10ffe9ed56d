"""The remote back-end: the Store protocol over the SPARQL 1.1 Protocol (SPARQLWrapper), for a graph beyond one
machine (Virtuoso, Fuseki, QLever, GraphDB), and publishing through Virtuoso's bulk loader.

Answers are fetched as SPARQL XML results (the one results format every engine writes the same way; Virtuoso's
JSON still says "typed-literal") or Turtle for graphs, and parsed by pyoxigraph, so the web layer receives the
same pyoxigraph terms and results as from the embedded store and serializes them with the same code.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError

import pyoxigraph as ox
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from hrgraph.errors import StoreError
from hrgraph.store.base import Dataset, Row
from hrgraph.store.results import QueryError, QueryResult
from hrgraph.store.results import serialize as serialize_result

XML_RESULTS = "application/sparql-results+xml"
TURTLE = "text/turtle"
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")


class RemoteStore:
    """A SPARQL endpoint as a Store. Thread-safe: every call builds its own SPARQLWrapper request."""

    def __init__(self, query_url: str, build_id: str | None = None, timeout_s: float = 30.0,
                 base: str = "https://w3id.org/hrgraph/") -> None:
        self.url = query_url
        self.timeout_s = timeout_s
        self._build_id = build_id or self._published_build_id(base)

    def _published_build_id(self, base: str) -> str:
        """The build id the publish wrote into the VoID graph (dct:identifier of the dataset)."""
        try:
            rows = self.select(f"SELECT ?id WHERE {{ <{base}dataset> <http://purl.org/dc/terms/identifier> ?id }}")
        except StoreError:
            raise
        return rows[0]["id"].value if rows and "id" in rows[0] else "remote"

    @property
    def build_id(self) -> str:
        return self._build_id

    # --- transport ----------------------------------------------------------------------------------------

    def _request(self, query: str, accept: str, dataset: Dataset | None = None) -> bytes:
        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setTimeout(int(self.timeout_s) or 1)
        client.setQuery(query)
        client.addCustomHttpHeader("Accept", accept)
        client.setOnlyConneg(True)
        if dataset:
            for uri in dataset.default_graph_uris:
                client.addDefaultGraph(uri)
            for uri in dataset.named_graph_uris:
                client.addNamedGraph(uri)
        try:
            response = client.query().response
            return response.read()
        except SPARQLWrapperException as exc:  # QueryBadFormed (400) and friends
            raise QueryError(str(exc).splitlines()[0][:500]) from exc
        except HTTPError as exc:
            raise QueryError(f"the endpoint answered {exc.code}: {exc.read()[:300]!r}") from exc
        except (URLError, OSError) as exc:
            raise StoreError(f"the SPARQL endpoint is unreachable: {exc}", where=self.url) from exc

    @staticmethod
    def _form(query: str) -> str:
        client = SPARQLWrapper("http://localhost/")
        client.setQuery(query)
        return str(client.queryType).upper()

    def _results(self, query: str, dataset: Dataset | None = None) -> object:
        if self._form(query) in GRAPH_FORMS:
            data = self._request(query, TURTLE, dataset)
            try:
                return list(ox.parse(data, format=ox.RdfFormat.TURTLE))
            except SyntaxError as exc:
                raise StoreError(f"the endpoint sent Turtle pyoxigraph cannot read: {exc}", where=self.url) from exc
        data = self._request(query, XML_RESULTS, dataset)
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.XML)

    # --- the Store protocol -------------------------------------------------------------------------------

    def select(self, query: str) -> list[Row]:
        solutions = self._results(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query", where=query[:80])
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in solutions]  # type: ignore[misc]

    def construct(self, query: str) -> list[ox.Triple]:
        triples = self._results(query)
        if not isinstance(triples, list):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query", where=query[:80])
        return [q.triple if isinstance(q, ox.Quad) else q for q in triples]

    def ask(self, query: str) -> bool:
        return bool(self._results(query))

    def run(self, query: str, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult:
        text = f"BASE <{base_iri}>\n{query}" if base_iri else query
        result = self._results(text, dataset)
        if isinstance(result, list):
            result = [q.triple if isinstance(q, ox.Quad) else q for q in result]
        return QueryResult.of(result)

    def serialize(self, result: QueryResult, media_type: str) -> bytes:
        return serialize_result(result, media_type)

    def close(self) -> None:
        pass


def open_remote(settings: object) -> RemoteStore:
    url = getattr(settings, "sparql_url", "")
    if not url:
        raise StoreError("HRGRAPH_STORE=remote needs HRGRAPH_SPARQL_URL (the endpoint's query URL)")
    return RemoteStore(url, timeout_s=getattr(settings, "query_timeout_s", 30.0),
                       base=getattr(settings, "base", "https://w3id.org/hrgraph/"))


# --- publishing through Virtuoso's bulk loader ----------------------------------------------------------------

@dataclass(frozen=True)
class Isql:
    """How to reach Virtuoso's SQL port with isql-vt (the Debian name of Virtuoso's isql)."""

    port: int
    user: str = "dba"
    password: str = "dba"
    host: str = "127.0.0.1"
    command: str = "isql-vt"

    def run(self, script: str, timeout_s: float = 600.0) -> str:
        exe = shutil.which(self.command) or shutil.which("isql")
        if exe is None:
            raise StoreError("isql-vt is not installed", hint="apt-get install virtuoso-opensource")
        done = subprocess.run([exe, f"{self.host}:{self.port}", self.user, self.password], input=script,
                              capture_output=True, text=True, timeout=timeout_s)
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise StoreError(f"isql failed: {(done.stdout + done.stderr)[-800:]}")
        return done.stdout


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish(graphs: Mapping[str, Path], load_dir: Path, isql: Isql, build_id: str = "") -> None:
    """Replace each named graph with its file via ld_dir + rdf_loader_run. `load_dir` must be listed in
    Virtuoso's DirsAllowed; files are copied into a folder of their own there, one per graph."""
    statements = ["log_enable(3,1);"]
    for n, (graph, path) in enumerate(sorted(graphs.items())):
        folder = load_dir / f"{build_id or 'load'}-{n}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        shutil.copy(path, folder / Path(path).name)
        statements += [f"SPARQL CLEAR GRAPH <{graph}>;",
                       f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {_sql_string(str(folder) + '/%')};",
                       f"ld_dir({_sql_string(str(folder))}, {_sql_string(Path(path).name)}, {_sql_string(graph)});"]
    statements += ["rdf_loader_run();", "checkpoint;",
                   "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;"]
    out = isql.run("\n".join(statements) + "\n")
    errors = [line for line in out.splitlines() if line.strip().startswith(str(load_dir))]
    if errors:
        raise StoreError("Virtuoso's bulk loader reported errors: " + "; ".join(errors)[:800])


def graphs_of(dist: Path, base: str) -> dict[str, Path]:
    """The files of a build in dist/ and the named graphs they go to (as the embedded publish loads them)."""
    return {f"{base}graph/data": dist / "hrgraph.nt.gz", f"{base}graph/ontology": dist / "ontology.ttl",
            f"{base}graph/void": dist / "void.ttl"}


__all__: Sequence[str] = ("RemoteStore", "open_remote", "Isql", "publish", "graphs_of")
