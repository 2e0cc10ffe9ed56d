"""The servers hrgraph is measured against, on the same data: Oxigraph's own server over the same store
files, and Virtuoso 7.2 (Debian's) loaded with the same published graphs. Bench-only.

- `oxigraph_server(store)`: `oxigraph serve-read-only --union-default-graph` (the `oxigraph` package on PyPI,
  installed by `pip install -e '.[bench]'`) over the build folder hrgraph serves, so both read the same
  RocksDB files with the same engine; what differs is the server around it.
- `virtuoso(folder, graphs)`: a private Virtuoso (tests/virtuoso.py starts it on loopback ports in a
  temporary folder) with each file bulk-loaded into the named graph hrgraph serves it in; queries are sent
  as hrgraph's remote back-end sends them (`sparqlfix`), to its own `/sparql`.
- `timed(url, query)`: one query over HTTP, JSON results: (milliseconds, rows); the median of a few runs
  (of more for fast ones) after one unmeasured run (both servers then have the data they read in memory).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import harness
from harness import ROOT

sys.path.insert(0, str(ROOT / "tests"))
JSON = "application/sparql-results+json"
ERRORS: dict[str, str] = {}  # url -> the first line of the last error answer it gave (shown beside the row)


def oxigraph_server(store_dir: Path) -> tuple[subprocess.Popen, str] | None:
    """Oxigraph's read-only server on the build folder; None when the `oxigraph` package is missing."""
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if exe is None:
        return None
    port = harness.free_port()
    return harness.start([exe, "serve-read-only", "--location", str(store_dir.resolve()), "--union-default-graph",
                          "--bind", f"127.0.0.1:{port}"], "/query?query=ASK%7B%7D", port)


def virtuoso(folder: Path, graphs: Mapping[str, Path]):  # -> tests/virtuoso.Virtuoso
    """A fresh Virtuoso with each file bulk-loaded into its graph (raises virtuoso.Unavailable)."""
    import virtuoso as vt

    server = vt.start(folder)
    statements = ["log_enable(3,1);"]
    for n, (graph, path) in enumerate(sorted(graphs.items())):
        sub = server.load_dir / f"g{n}"
        sub.mkdir()
        shutil.copy(path, sub / path.name)
        statements.append(f"ld_dir('{sub}', '{path.name}', '{graph}');")
    server.isql().run("\n".join([*statements, "rdf_loader_run();", "checkpoint;"]) + "\n")
    return server


def virtuoso_text(query: str) -> str:
    """The query as hrgraph's remote back-end sends it to Virtuoso (engine bugs dodged, same meaning)."""
    from hrgraph.store import sparqlfix

    return sparqlfix.unit_before_exists(query)


def _rows(body: bytes) -> int:
    data = json.loads(body)
    return len(data["results"]["bindings"]) if "results" in data else int(bool(data.get("boolean")))


def once(url: str, query: str, timeout_s: float) -> tuple[float, int]:
    """(ms, rows) of one query over HTTP (`url` as it is for an empty `query`); rows -1 for an error answer."""
    target = url + "?" + urllib.parse.urlencode({"query": query}) if query else url
    request = urllib.request.Request(target, headers={"Accept": JSON})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        ERRORS[url] = f"{exc.code} " + exc.read().decode("utf-8", "replace").strip().split("\n")[0][:90]
        return (time.perf_counter() - started) * 1000, -1
    except (TimeoutError, OSError) as exc:
        ERRORS[url] = str(exc)[:90]
        return (time.perf_counter() - started) * 1000, -1
    return (time.perf_counter() - started) * 1000, _rows(body)


def timed(url: str, query: str, runs: int, timeout_s: float = 120.0) -> tuple[float, int]:
    """Median ms of at least `runs` answers after an unmeasured one (fast answers are repeated for at least a
    second, up to 25 times: a few milliseconds are easily swayed by other work on the machine), and the rows
    of the last (-1: refused)."""
    _, rows = once(url, query, timeout_s)
    times: list[float] = []
    while len(times) < runs or (sum(times) < 1000 and len(times) < 25):
        ms, rows = once(url, query, timeout_s)
        times.append(ms)
        if rows < 0 or ms > 10_000:  # a refusal or a very slow query: one run tells enough
            break
    return statistics.median(times), rows
