"""Query limits that hold, a closed endpoint, and safe headers: each against the real server.

Figures (timeout observed, other clients' latency during a runaway query) are printed; run with `-s`.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import os
import re
import shutil
import signal
import socketserver
import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from conftest import Backend, LiveServer, children, embedded_only, serving, start_server, stop_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PATH_RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:x>)* ?b . ?c (!<urn:y>)* ?d }"
# Virtuoso refuses the three-way product up front (its cost estimate exceeds its limit: also a 504 here) and
# cannot evaluate an unbound path; a two-way product it runs, so its own time limit has something to stop.
SLOW = {"embedded": PATH_RUNAWAY,
        "virtuoso": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }"}
POOL_ONLY = "about the embedded store's worker pool (Virtuoso bounds memory and concurrency in its own ini)"
SIMPLE = "SELECT ?s WHERE { ?s a <https://w3id.org/hrgraph/ontology#Person> } LIMIT 5"


@pytest.fixture()
def server(built_root: Path, backend: Backend, monkeypatch: pytest.MonkeyPatch,
           request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """A server started with the environment in the test's `env` marker."""
    marker = request.node.get_closest_marker("env")
    for key, value in (marker.kwargs if marker else {}).items():
        monkeypatch.setenv(key, str(value))
    live = start_server(built_root, backend=backend)
    yield live
    stop_server(live.process)


def query(live: LiveServer, text: str, accept: str = "text/csv", **params: str) -> requests.Response:
    return requests.get(live.url + "/sparql", params={"query": text, **params}, headers={"Accept": accept},
                        timeout=120)


# --- time, rows, bytes --------------------------------------------------------------------------------------

def test_a_runaway_query_is_stopped_while_others_are_answered(server: LiveServer, backend: Backend) -> None:
    """The runaway is given 3 s by its own `timeout=`; the other client's queries keep the configured limit, so
    a machine slowed by the runaway (Virtuoso runs it on the cores they need) delays them but does not cut them."""
    def other_client() -> None:
        for r in (query(server, SIMPLE), requests.get(server.url + "/id/person/andrei-aliaksandrau", timeout=10)):
            assert r.status_code == 200

    other_client()  # warm: the first page compiles queries (Virtuoso) and templates, not what is measured here
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        runaway = pool.submit(query, server, SLOW["virtuoso"] if backend.remote else RUNAWAY, timeout="3")
        time.sleep(0.3)
        latencies = []
        while not runaway.done():
            t = time.monotonic()
            other_client()
            latencies.append(time.monotonic() - t)
        response = runaway.result()
    observed = time.monotonic() - started
    assert response.status_code == 504 and "time limit of 3 s" in response.text
    assert 2.9 < observed < (8 if backend.remote else 6)  # Virtuoso stops it itself, on cores shared with us
    p50, worst = statistics.median(latencies), max(latencies)
    print(f"\ntimeout observed {observed:.2f} s (limit 3 s); other clients during it: {len(latencies)} rounds "
          f"(query + dereference), median {p50 * 1000:.0f} ms, worst {worst * 1000:.0f} ms")
    # Over Virtuoso the runaway runs in the engine, on the cores other clients' queries need (a person page is
    # some ten queries, each compiled on first use): they are answered, more slowly on a loaded machine.
    assert worst < (8 if backend.remote else 1.5)
    assert query(server, SIMPLE).status_code == 200  # the replacement worker answers


@pytest.mark.env(HRGRAPH_QUERY_TIMEOUT=3)
def test_timeout_parameter_shortens_and_never_lengthens(server: LiveServer, backend: Backend) -> None:
    t = time.monotonic()
    r = query(server, SLOW[backend.name], timeout="1")
    assert r.status_code == 504 and "time limit of 1 s" in r.text and time.monotonic() - t < 2.5
    t = time.monotonic()
    r = query(server, RUNAWAY, timeout="600")
    assert r.status_code == 504 and "time limit of 3 s" in r.text and time.monotonic() - t < 6
    for bad in ("abc", "-1", "0", "nan", "inf"):
        r = query(server, SIMPLE, timeout=bad)
        assert r.status_code == 400 and "timeout" in r.text
    assert query(server, SIMPLE, timeout="2.5").status_code == 200


@pytest.mark.env(HRGRAPH_QUERY_TIMEOUT=0.001)
def test_the_client_limit_does_not_cut_the_servers_own_queries(server: LiveServer, backend: Backend) -> None:
    """An operator may give client queries a few seconds; pages and search run the server's own, bounded queries,
    which a busy endpoint may take longer over (a page of Virtuoso under load once got 504 at a 3 s limit)."""
    for path in ("/id/person/andrei-aliaksandrau.html", "/id/person/andrei-aliaksandrau.ttl", "/search?q=Kazak",
                 "/ontology.html", "/health"):
        r = requests.get(server.url + path, timeout=60)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
    r = query(server, SLOW[backend.name])
    assert r.status_code == 504 and "time limit of 0.001 s" in r.text


@pytest.mark.env(HRGRAPH_QUERY_MAX_ROWS=10)
def test_rows_are_capped_and_the_cut_is_signalled(server: LiveServer) -> None:
    r = query(server, "SELECT * WHERE { ?s ?p ?o }", accept="application/sparql-results+json")
    assert r.status_code == 200 and r.headers["X-HRGraph-Truncated"] == "rows=10"
    assert len(r.json()["results"]["bindings"]) == 10
    r = query(server, "CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
    assert r.headers["X-HRGraph-Truncated"] == "rows=10" and len(r.text.strip().splitlines()) == 10
    r = query(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10", accept="text/csv")
    assert "X-HRGraph-Truncated" not in r.headers


@pytest.mark.env(HRGRAPH_QUERY_MAX_ROWS=3)
def test_saved_queries_run_under_the_same_limits(server: LiveServer) -> None:
    """A saved query is a client query too: it runs in the workers, is cut at the caps and said to be, and a
    time limit answers 504 (not a 500) — at 10M triples some saved queries take longer than the limit."""
    r = requests.get(server.url + "/queries/political-prisoners", timeout=30,
                     headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.headers["X-HRGraph-Truncated"] == "rows=3"
    assert len(r.json()["results"]["bindings"]) == 3
    r = requests.get(server.url + "/queries/political-prisoners", timeout=30, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["X-HRGraph-Truncated"] == "rows=3"


def test_a_saved_query_past_the_time_limit_is_504(built_root: Path, backend: Backend, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "site"
    shutil.copytree(built_root, root, symlinks=True)
    (root / "queries/runaway.rq").write_text("# title: A runaway\n# description: every triple thrice\n"
                                             "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?o . ?b ?q ?r . ?c ?x ?y }\n")
    monkeypatch.setenv("HRGRAPH_QUERY_TIMEOUT", "1")
    with serving(root, backend=backend) as live:
        r = requests.get(live.url + "/queries/runaway", timeout=30,
                         headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 504 and "time limit" in r.text
        assert requests.get(live.url + "/queries/political-prisoners", timeout=30).status_code == 200


@pytest.mark.env(HRGRAPH_QUERY_MAX_BYTES=3000)
def test_bytes_are_capped_and_the_cut_is_signalled(server: LiveServer) -> None:
    r = query(server, "SELECT * WHERE { ?s ?p ?o }", accept="application/sparql-results+json")
    cut = r.headers["X-HRGraph-Truncated"]
    assert cut.startswith("bytes=") and len(r.json()["results"]["bindings"]) == int(cut[6:]) > 0
    assert len(r.content) < 6000


@embedded_only(POOL_ONLY)
@pytest.mark.env(HRGRAPH_QUERY_MEMORY_MB=1000, HRGRAPH_QUERY_TIMEOUT=20)
def test_memory_is_bounded(server: LiveServer) -> None:
    hog = ('SELECT (STRLEN(GROUP_CONCAT(CONCAT(STR(?a), STR(?b), STR(?c)))) AS ?n) '
           'WHERE { ?a ?p ?o . ?b ?q ?r . ?c ?x ?y }')
    r = query(server, hog)
    assert r.status_code in (503, 504) and r.text.strip()
    assert query(server, SIMPLE).status_code == 200


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (server processes and their query workers)."""
    found = set(children(pid))
    return found.union(*(descendants(child) for child in found))


@pytest.mark.parametrize(("text", "says"), [
    ("SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000, "nests too deeply: more than 400 levels of { }, "
                                                                 "( ) and [ ] at line 1, column 816"),
    ("SELECT * WHERE {\n  ?s ?p ?o FILTER" + "(" * 100_000 + "?o" + ")" * 100_000 + " }", "line 2, column 417"),
    ("SELECT * WHERE { ?s ?p " + "[ ?p " * 500 + "?o" + " ]" * 500 + " }", "line 1, column 2019"),
    ("SELECT ?a3000 WHERE {\n BIND(1 AS ?a0)\n" + "".join(f" BIND(?a{i} AS ?a{i + 1})\n" for i in range(3000)) + "}",
     "too large to evaluate safely: more than 1000 triple patterns, operators and clauses, the next at line 1002, "
     "column 2"),
], ids=["groups", "parentheses", "blank-nodes", "a-chain-of-binds"])
def test_deep_queries_are_refused_before_any_worker_sees_them(live: LiveServer, text: str, says: str) -> None:
    """A query whose algebra is a few thousand levels deep (nested, or a long chain) overflows the engine's stack
    and kills the worker running it; it is refused from the text, saying where, and no process is replaced."""
    before = descendants(live.process.pid)
    started = time.monotonic()
    r = requests.post(live.url + "/sparql", data={"query": text}, headers={"Accept": "text/csv"}, timeout=60)
    assert r.status_code == 400 and says in r.text, r.text[:300]
    assert time.monotonic() - started < 5
    assert query(live, SIMPLE).status_code == 200
    assert descendants(live.process.pid) == before  # no worker crashed and was replaced


@embedded_only("Virtuoso refuses groups nested 400 deep itself (its own 400: 'Curly brace is nested too deep')")
def test_nesting_up_to_the_limit_is_answered(live: LiveServer) -> None:
    text = "SELECT * WHERE " + "{ " * 400 + "?s ?p ?o" + " }" * 400 + " LIMIT 1"
    r = requests.post(live.url + "/sparql", data={"query": text}, headers={"Accept": "text/csv"}, timeout=60)
    assert r.status_code == 200 and sorted(r.text.splitlines()[0].split(",")) == ["o", "p", "s"], r.text[:300]


@embedded_only(POOL_ONLY)
@pytest.mark.env(HRGRAPH_QUERY_WORKERS=1, HRGRAPH_QUERY_QUEUE=1, HRGRAPH_QUERY_TIMEOUT=3)
def test_concurrent_queries_are_capped(server: LiveServer) -> None:
    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda _: query(server, RUNAWAY), range(4)))
    busy = [r for r in responses if r.status_code == 503]
    assert busy and all(r.headers.get("Retry-After") and "busy" in r.text for r in busy)


@pytest.mark.env(HRGRAPH_MAX_BODY=2000)
def test_request_body_is_capped(server: LiveServer) -> None:
    big = SIMPLE + " #" + "x" * 5000
    r = requests.post(server.url + "/sparql", data={"query": big}, timeout=10)
    assert r.status_code == 413 and "2000 bytes" in r.text
    r = requests.post(server.url + "/sparql", data=big.encode(), timeout=10,
                      headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and "2000 bytes" in r.text
    assert requests.post(server.url + "/sparql", data={"query": SIMPLE}, timeout=10).status_code == 200


@pytest.mark.env(HRGRAPH_RATE_LIMIT=2, HRGRAPH_RATE_BURST=5, HRGRAPH_RATE_LIMIT_LOOPBACK=1)
def test_rate_limit_answers_429_with_retry_after(server: LiveServer) -> None:
    statuses = [requests.get(server.url + "/sparql?format=ttl", timeout=10) for _ in range(12)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited and int(limited[0].headers["Retry-After"]) >= 1 and "too many requests" in limited[0].text
    time.sleep(1.2)
    assert requests.get(server.url + "/sparql?format=ttl", timeout=10).status_code == 200


@pytest.mark.env(HRGRAPH_RATE_LIMIT=2, HRGRAPH_RATE_BURST=5, HRGRAPH_TRUSTED_PROXY="127.0.0.1")
def test_behind_a_load_balancer_each_client_has_its_own_limit(server: LiveServer) -> None:
    def get(client: str) -> int:
        return requests.get(server.url + "/sparql?format=ttl", headers={"X-Forwarded-For": client},
                            timeout=10).status_code

    assert 429 in [get("203.0.113.7") for _ in range(12)]  # the trusted proxy passes the client's address on
    assert get("198.51.100.9") == 200  # another client behind the same balancer is not held back


def test_loopback_is_not_rate_limited_by_default(live: LiveServer) -> None:
    assert all(requests.get(live.url + "/sparql?format=ttl", timeout=10).status_code == 200 for _ in range(150))


@embedded_only(POOL_ONLY)
def test_a_killed_worker_is_replaced(server: LiveServer) -> None:
    workers = children(server.process.pid)
    assert len(workers) == 2
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.3)
    assert all(query(server, SIMPLE).status_code == 200 for _ in range(10))
    deadline = time.monotonic() + 10
    while len(children(server.process.pid)) != 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(set(children(server.process.pid)) - set(workers)) == 2


# --- read-only and closed -----------------------------------------------------------------------------------

class Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        Canary.hits.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

    do_POST = do_PUT = do_DELETE = do_HEAD = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def canary() -> Iterator[str]:
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/sparql"
    srv.shutdown()
    srv.server_close()


def service_shapes(url: str) -> list[str]:
    host = url.split("/sparql")[0]
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z . {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ # a comment\n SeRvIcE # another\n <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"PREFIX c: <{host}/> SELECT * WHERE {{ SERVICE c:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE<{url}>{{?s ?p ?o}} }}",
        f"BASE <{host}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o . FILTER(?s<1)SERVICE<{url}>{{}} }}",
    ]


def test_the_canary_is_reachable_by_an_unguarded_engine(canary: str) -> None:
    """The control: pyoxigraph itself does send SERVICE requests, so a silent canary below means something."""
    before = len(Canary.hits)
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{canary}> {{ ?s ?p ?o }} }}"))
    except (OSError, RuntimeError, SyntaxError):
        pass  # whatever the canary answered, the request was made
    assert len(Canary.hits) > before


def test_no_query_shape_reaches_the_canary(live: LiveServer, canary: str) -> None:
    Canary.hits.clear()
    for text in service_shapes(canary):
        for send in ("get", "form", "direct"):
            if send == "get":
                r = requests.get(live.url + "/sparql", params={"query": text}, timeout=30)
            elif send == "form":
                r = requests.post(live.url + "/sparql", data={"query": text}, timeout=30)
            else:
                r = requests.post(live.url + "/sparql", data=text.encode(), timeout=30,
                                  headers={"Content-Type": "application/sparql-query"})
            assert 400 <= r.status_code < 500 and r.text.strip(), (text, send, r.status_code)
    for text in (f"SELECT * FROM <{canary}> WHERE {{ ?s ?p ?o }} LIMIT 1",
                 f"SELECT * FROM NAMED <{canary}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
                 "SELECT * WHERE { ?s ?p ?o } LIMIT 1"):
        r = requests.get(live.url + "/sparql", params={"query": text, "default-graph-uri": canary}, timeout=30)
        assert r.status_code in (200, 400)
    assert Canary.hits == []


UPDATES = ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }", "LOAD <{c}>", "CLEAR ALL",
           "DROP ALL", "CREATE GRAPH <urn:g>", "clear default", "ADD DEFAULT TO <urn:g>", "COPY <urn:a> TO <urn:b>",
           "MOVE DEFAULT TO <urn:g>", "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
           "PREFIX x: <urn:x> # comment\n insert data { x:a x:b x:c }"]


def count(live: LiveServer) -> str:
    return query(live, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").text


def test_updates_are_refused_on_every_route(live: LiveServer, canary: str) -> None:
    Canary.hits.clear()
    before = count(live)
    for update in (u.replace("{c}", canary) for u in UPDATES):
        for r in (requests.get(live.url + "/sparql", params={"update": update}, timeout=10),
                  requests.post(live.url + "/sparql", data={"update": update}, timeout=10),
                  requests.post(live.url + "/sparql", data={"query": update}, timeout=10),
                  requests.post(live.url + "/sparql/", data=update.encode(), timeout=10,
                                headers={"Content-Type": "application/sparql-update"}),
                  requests.post(live.url + "/sparql", data=update.encode(), timeout=10,
                                headers={"Content-Type": "application/sparql-query"})):
            assert r.status_code in (400, 403) and r.text.strip(), (update, r.status_code)
    for path in ("/", "/sparql", "/id/person/andrei-aliaksandrau", "/dumps/void.ttl", "/queries", "/persons"):
        for method in ("PUT", "DELETE", "PATCH", "POST"):
            r = requests.request(method, live.url + path, data=UPDATES[0], timeout=10,
                                 headers={"Content-Type": "application/sparql-update"})
            assert 400 <= r.status_code < 500, (method, path, r.status_code)
    assert count(live) == before and Canary.hits == []


# --- headers ------------------------------------------------------------------------------------------------

ROUTES = ["/", "/sparql", "/persons", "/id/person/andrei-aliaksandrau", "/dumps/void.ttl", "/no/such/page",
          "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201", "/queries"]


@pytest.mark.parametrize("path", ROUTES)
def test_every_response_has_security_headers(live: LiveServer, path: str) -> None:
    r = requests.get(live.url + path, headers={"Accept": "text/html"}, timeout=10)
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["Referrer-Policy"] == "no-referrer"
    for body in re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*json)[^>]*>(.*?)</script>", r.text, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src  # our inline scripts still run


@pytest.mark.env(FLASK_DEBUG=1, FLASK_ENV="development")
def test_no_debug_mode_from_serve(server: LiveServer) -> None:
    assert requests.get(server.url + "/console", timeout=10).status_code == 404
    r = requests.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}, timeout=10)
    assert r.status_code == 400 and "Traceback" not in r.text and "werkzeug" not in r.text.lower()
