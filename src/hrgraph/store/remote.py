"""The remote back-end: the Store protocol over the SPARQL 1.1 Protocol (SPARQLWrapper), for a graph beyond one
machine (Virtuoso, Fuseki, QLever, GraphDB). Publishing into it is `hrgraph.store.remote_publish`.

Answers are fetched as SPARQL XML results (the one results format every engine writes the same way; Virtuoso's
JSON still says "typed-literal") or N-Triples for graphs, and parsed by pyoxigraph, so the web layer receives
the same pyoxigraph terms and results as from the embedded store and serializes them with the same code.

An endpoint published by hrgraph holds builds side by side (`buildgraphs`). `open_remote` follows its active
build (or the one pinned with HRGRAPH_REMOTE_BUILD) like the embedded store follows `current`: the control
graph's pointer is read every `follow_s` seconds, and each `RemoteStore` is one build, so every query of one
request runs against the graphs of the same build. An endpoint without a control graph is queried as it is
(its own default graph), with the build id taken from the VoID description.
"""

from __future__ import annotations

import ast
import re
import socket
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.error import HTTPError, URLError

import pyoxigraph as ox
from rdflib.namespace import DCTERMS
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from hrgraph.config import Settings
from hrgraph.errors import StoreError
from hrgraph.store import sparqlfix
from hrgraph.store.base import Dataset, Limits, Node, QueryError, QueryTimeout, Row, lookup_query
from hrgraph.store.buildgraphs import BuildView, control_graph, view_query
from hrgraph.store.follow import Following
from hrgraph.store.results import QueryResult, encode

XML_RESULTS = "application/sparql-results+xml"
NTRIPLES = "application/n-triples"
LOOKUP_CHUNK = 200  # nodes named in one lookup query
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
DCT_IDENTIFIER = str(DCTERMS.identifier)
TIMEOUT_GRACE_S = 1.0  # the socket gives up this long after the engine should have stopped the query itself
ANYTIME_TIMEOUT = "S1TAT"  # Virtuoso's X-SQL-State on a result cut short by its `timeout`
ESTIMATE_REFUSED = "estimated execution time"  # Virtuoso's refusal of a query it expects to overrun
# The server's own queries (a page's description, the search catalogue, the build's control graph) are bounded
# by construction and are not cut at the client limit, which an operator may set to a few seconds (a page of a
# busy endpoint then failed with 504); this bound only ends them when the endpoint hangs.
OWN_QUERIES_TIMEOUT_S = 60.0


class Endpoint:
    """The transport to one SPARQL endpoint. Thread-safe: every call builds its own SPARQLWrapper request."""

    def __init__(self, url: str, base: str, timeout_s: float = 30.0) -> None:
        self.url, self.base, self.timeout_s = url, base, timeout_s
        self._virtuoso = False  # learnt from the first answer's Server header

    def view(self, build_id: str | None = None) -> BuildView | None:
        """The control graph's record of the active build (or of `build_id`); None when the endpoint has none."""
        control = control_graph(self.base)
        rows = self._request(view_query(control, build_id), XML_RESULTS, Dataset((control,), ()), view=None)
        solutions = ox.parse_query_results(rows, format=ox.QueryResultsFormat.XML)
        found = [(s["build"].value, s["name"].value, s["graph"].value) for s in solutions]  # type: ignore[union-attr]
        if not found:
            return None
        builds = {b for b, _, _ in found}
        if len(builds) > 1:  # cannot happen after an atomic switch; refuse rather than mix builds
            raise StoreError(f"the control graph names several active builds: {sorted(builds)}", where=self.url)
        return BuildView(found[0][0], {name: graph for _, name, graph in found})

    def _request(self, query: str, accept: str, dataset: Dataset | None, view: BuildView | None,
                 timeout_s: float | None = None) -> bytes:
        if view is not None:
            dataset = view.dataset(query, dataset)
            query = view.rewrite(query, dataset)
        limit = timeout_s or max(self.timeout_s, OWN_QUERIES_TIMEOUT_S)  # None: one of the server's own queries
        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setTimeout(max(1, round(limit + TIMEOUT_GRACE_S)))  # the engine's own limit should answer first
        client.setQuery(query)
        client.addCustomHttpHeader("Accept", accept)
        client.setOnlyConneg(True)
        if self._virtuoso:  # Virtuoso stops its own work at `timeout` (ms): an abandoned query costs nothing
            client.addParameter("timeout", str(int(limit * 1000)))
        for uri in dataset.default_graph_uris if dataset else ():
            client.addDefaultGraph(uri)
        for uri in dataset.named_graph_uris if dataset else ():
            client.addNamedGraph(uri)
        answer = self._send(client, limit)
        return view.unmap(answer) if view is not None else answer

    def _send(self, client: SPARQLWrapper, timeout_s: float) -> bytes:
        try:
            response = client.query().response
            self._virtuoso = response.headers.get("Server", "").startswith("Virtuoso")
            if response.headers.get("X-SQL-State") == ANYTIME_TIMEOUT:  # a partial answer: not an answer
                raise QueryTimeout(_timeout_message(timeout_s))
            return response.read()
        except SPARQLWrapperException as exc:  # QueryBadFormed (400) and friends: the engine's message
            body = _wrapped_body(exc)
            if ESTIMATE_REFUSED in body:  # Virtuoso sends its cost refusal as a 400 or a 500, by the plan
                raise QueryTimeout(_timeout_message(timeout_s, _engine_message(body))) from exc
            raise QueryError(_engine_message(body)) from exc
        except HTTPError as exc:
            body = exc.read().decode(errors="replace")
            if ESTIMATE_REFUSED in body:  # refused before running: it would overrun the engine's limit
                raise QueryTimeout(_timeout_message(timeout_s, _engine_message(body))) from exc
            raise QueryError(f"the endpoint answered {exc.code}: {_engine_message(body)}") from exc
        except TimeoutError as exc:
            raise QueryTimeout(_timeout_message(timeout_s)) from exc
        except URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise QueryTimeout(_timeout_message(timeout_s)) from exc
            raise StoreError(f"the SPARQL endpoint is unreachable: {exc.reason}", where=self.url) from exc
        except OSError as exc:
            raise StoreError(f"the SPARQL endpoint is unreachable: {exc}", where=self.url) from exc

    @staticmethod
    def _form(query: str) -> str:
        client = SPARQLWrapper("http://localhost/")
        client.setQuery(query)
        return str(client.queryType).upper()

    def results(self, query: str, view: BuildView | None, dataset: Dataset | None = None,
                timeout_s: float | None = None) -> object:
        """Triples, solutions or a bool, as pyoxigraph values (the engine bugs of `sparqlfix` dodged), from the
        graphs of the build `view` names (the endpoint's own dataset without one)."""
        form = self._form(query)
        query = sparqlfix.unit_before_exists(query)
        if form in GRAPH_FORMS:
            data = self._request(query, NTRIPLES, dataset, view, timeout_s)
            try:
                return [q.triple if isinstance(q, ox.Quad) else q
                        for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
            except SyntaxError as exc:
                raise StoreError(f"the endpoint sent N-Triples pyoxigraph cannot read: {exc}", where=self.url) from exc
        as_select = sparqlfix.ask_as_select(query) if form == "ASK" else None
        data = self._request(as_select or query, XML_RESULTS, dataset, view, timeout_s)
        result = ox.parse_query_results(sparqlfix.normalise_results(data), format=ox.QueryResultsFormat.XML)
        return any(True for _ in result) if as_select else result  # type: ignore[union-attr]


class RemoteStore:
    """One build of a remote endpoint (its `BuildView`; None for an endpoint hrgraph does not manage)."""

    def __init__(self, endpoint: Endpoint, view: BuildView | None, files: Path) -> None:
        self.endpoint, self.view, self._files = endpoint, view, files
        self._unmanaged_id: str | None = None

    @property
    def build_id(self) -> str:
        if self.view is not None:
            return self.view.build_id
        if self._unmanaged_id is None:
            base = self.endpoint.base
            rows = self.select(f"SELECT ?id WHERE {{ <{base}dataset> <{DCT_IDENTIFIER}> ?id }} LIMIT 1")
            self._unmanaged_id = rows[0]["id"].value if rows and "id" in rows[0] else "remote"
        return self._unmanaged_id

    @property
    def files(self) -> Path:
        return self._files

    @property
    def cache_dir(self) -> Path | None:
        return None  # the build lives in the endpoint: answers are kept in memory (web.kept)

    @property
    def disk_files(self) -> list[Path]:
        return []  # the endpoint's own files, on its own machine

    def select(self, query: str) -> list[Row]:
        solutions = self.endpoint.results(query, self.view)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("expected a SELECT query", where=query[:80])
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in solutions]  # type: ignore[misc]

    def construct(self, query: str) -> list[ox.Triple]:
        triples = self.endpoint.results(query, self.view)
        if not isinstance(triples, list):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query", where=query[:80])
        return triples

    def ask(self, query: str) -> bool:
        return bool(self.endpoint.results(query, self.view))

    def outgoing(self, subjects: Iterable[Node], predicates: Sequence[str] = ()) -> list[ox.Triple]:
        return self._lookup(subjects, predicates, incoming=False)

    def incoming(self, objects: Iterable[ox.NamedNode], predicates: Sequence[str] = (),
                 limit: int | None = None) -> list[ox.Triple]:
        return self._lookup(objects, predicates, incoming=True, limit=limit)

    def _lookup(self, nodes: Iterable[Node], predicates: Sequence[str], incoming: bool,
                limit: int | None = None) -> list[ox.Triple]:
        """One query per `LOOKUP_CHUNK` nodes (a query text of bounded size), each triple once."""
        named = list(dict.fromkeys(n for n in nodes if isinstance(n, ox.NamedNode)))
        found: dict[ox.Triple, None] = {}
        for i in range(0, len(named), LOOKUP_CHUNK):
            if limit is not None and len(found) >= limit:
                break
            found.update(dict.fromkeys(self.construct(lookup_query(named[i:i + LOOKUP_CHUNK], predicates,
                                                                   incoming=incoming, limit=limit))))
        return list(found)[:limit]

    def run(self, query: str, dataset: Dataset | None = None, limits: Limits | None = None,
            base_iri: str | None = None) -> QueryResult:
        """A client's query, cut at the row and byte caps like the embedded store's (`truncated` says so)."""
        limits = limits or Limits(timeout_s=self.endpoint.timeout_s)
        text = f"BASE <{base_iri}>\n{query}" if base_iri else query
        try:
            value = self.endpoint.results(text, self.view, dataset, limits.timeout_s)
        except QueryError as exc:  # the engine counts the BASE line: say where in the client's own text
            raise QueryError(_client_line(exc.what, int(bool(base_iri)), query.count("\n") + 1),
                             exc.where, exc.hint) from exc
        return encode(value, limits.max_rows, limits.max_bytes)

    def close(self) -> None:
        pass


_ENGINE_LINE = re.compile(r"\bline (\d+):")  # Virtuoso: "SPARQL compiler, line 3: syntax error at ..."


def _client_line(message: str, added: int, lines: int) -> str:
    """An engine's "line N" as the client numbers its query: `added` lines were put before it, and an error
    at the end of the text (Virtuoso counts a line past it) is on the client's last line."""
    return _ENGINE_LINE.sub(lambda m: f"line {min(max(int(m.group(1)) - added, 1), lines)}:", message, count=1)


def _wrapped_body(exc: SPARQLWrapperException) -> str:
    """The endpoint's answer inside a SPARQLWrapper error, which keeps it only as the `repr` of its bytes at
    the end of its message (read back here, so the client never sees `b"..."` and escaped line breaks)."""
    text = str(exc)
    head, _, raw = text.partition("\n\nResponse:\n")
    try:
        body = ast.literal_eval(raw) if raw else None
    except (ValueError, SyntaxError):
        return text
    return body.decode("utf-8", errors="replace") if isinstance(body, bytes) else head


def _engine_message(text: str) -> str:
    """The useful line of an engine's error page (Virtuoso: "Virtuoso 37000 Error SP030: …")."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    useful = [line for line in lines if "Error" in line or "error" in line] or lines or [text]
    return useful[0][:500]


def _timeout_message(timeout_s: float, refusal: str = "") -> str:
    hint = "narrow it (a LIMIT, fewer unbound patterns, a bounded path)"
    if refusal:
        return f"the query was refused as it would overrun its time limit of {timeout_s:g} s ({refusal}); {hint}"
    return f"the query did not finish within its time limit of {timeout_s:g} s and was stopped; {hint}"



def open_remote(settings: Settings, workers: bool = True) -> Following:
    """The endpoint's active build (or HRGRAPH_REMOTE_BUILD's), followed; StoreError when it is unreachable.
    (`workers` is the embedded store's: the endpoint runs queries its own way.)"""
    if not settings.sparql_url:
        raise StoreError("HRGRAPH_STORE=remote needs HRGRAPH_SPARQL_URL (the endpoint's query URL)")
    endpoint = Endpoint(settings.sparql_url, settings.base, settings.query_timeout_s)
    pinned = settings.remote_build or None
    managed: list[bool] = []  # once the endpoint had an active build, never fall back to the whole endpoint

    def locate() -> str:
        if pinned:
            return pinned
        view = endpoint.view()
        return view.build_id if view is not None else ""

    def open_build(name: str) -> RemoteStore:
        view = endpoint.view(name) if name else None
        if name and view is None:
            raise StoreError(f"build {name} is not loaded in the endpoint", where=endpoint.url,
                             hint="publish it first, or unset HRGRAPH_REMOTE_BUILD to follow the active build")
        if view is None and managed:
            raise StoreError("the endpoint no longer names an active build", where=endpoint.url)
        managed.append(view is not None)
        return RemoteStore(endpoint, view, settings.dist_dir)

    return Following(locate, open_build, settings.follow_s, what=endpoint.url)
