"""`make bench`: one table, every figure beside a baseline measured in the same run (medians; loopback; wrk).

    .venv/bin/python bench/run.py [--persons 10000] [--small 300] [--runs 3] [--seconds 5]

Build stages run on a synthetic graph (`hrgraph synth`, 10,000 persons ≈ 1.26M triples), each in its own
process (peak RSS). The server serves that graph; dereference is compared with a static server holding the
same documents pre-rendered, the saved queries with pyoxigraph in-process (the ceiling) and, on a small graph
(`--small` persons: rdflib-endpoint parses and queries in pure Python), with rdflib-endpoint.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import harness
from harness import ROOT, Load, median_load, wrk

TARGETS = {"gate": 20.0, "build": 120.0, "deref_rps": 1000.0, "deref_p99": 50.0, "rss_10m_mib": 1024.0}
SLOW_MS = 5000.0
# rdflib-endpoint answers 8 concurrent queries about together, ~1 s each: a run must outlast a round.
PEER_SECONDS = 8.0
HTML, TTL, JSON = "text/html", "text/turtle", "application/sparql-results+json"


def stage(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(ROOT / "bench/stages.py"), *args], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def serving_root(work: Path, nt: Path, name: str) -> tuple[Path, dict[str, float]]:
    """A project folder serving `nt` (the saved queries and a loaded store), and the load stage's figures."""
    root = work / name
    root.mkdir()
    shutil.copytree(ROOT / "queries", root / "queries")
    return root, stage("load", str(nt), str(root / "var/store"))


def saved_queries() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))}


def in_process(root: Path, queries: dict[str, str], runs: int) -> dict[str, float]:
    """Median ms of each saved query in-process (a process per query, killed after SLOW_MS × runs)."""
    out = {}
    for name in queries:
        try:
            done = subprocess.run([sys.executable, str(ROOT / "bench/stages.py"), "query", str(root / "var/store"),
                                   str(ROOT / "queries" / f"{name}.rq"), str(runs)], capture_output=True, text=True,
                                  timeout=SLOW_MS / 1000 * runs + 10, cwd=ROOT)
            out[name] = json.loads(done.stdout.strip().splitlines()[-1])["ms"]
        except subprocess.TimeoutExpired:
            out[name] = float("inf")
    return out


def sparql_paths(queries: dict[str, str], prefix: str = "/sparql") -> dict[str, str]:
    return {n: f"{prefix}?query=" + urllib.parse.quote(q) for n, q in queries.items()}


def bench_load(url: str, paths: list[str], accept: str, conns: int, args: argparse.Namespace,
               seconds: float | None = None) -> Load:
    return median_load([wrk(url, paths, accept, conns, seconds or args.seconds) for _ in range(args.runs)])


def prerender(url: str, paths: list[str], folder: Path) -> None:
    for path in paths:
        target = folder / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(urllib.request.urlopen(url + path, timeout=60).read())


def show(rows: list[list[str]]) -> list[list[str]]:
    """Print rows as they are measured (the table at the end repeats them aligned)."""
    for r in rows:
        print(" | ".join(r), flush=True)
    return rows


def build_rows(work: Path, nt: Path, small: Path, emit: dict[str, float],
               args: argparse.Namespace) -> tuple[list[list[str]], Path]:
    """The build figures, and the project folder the real `build --input` published (the server serves it).
    Reading and gating are timed inside that build (its own stage report), not run a second time."""
    per_m = 1e6 / emit["triples"]
    tiny = work / "tiny.nt"
    stage("synth", str(args.pyshacl), str(tiny))
    ref = stage("pyshacl", str(tiny))
    load = stage("load", str(nt), str(work / "loadtest"))
    shutil.rmtree(work / "loadtest", ignore_errors=True)
    parse = stage("rdflib-parse", str(small))
    root = work / "site"
    full = stage("build", str(nt), str(root))
    stages: dict[str, float] = full["stages"]  # type: ignore[assignment]
    read, gate = _stage_time(stages, "read --input"), _stage_time(stages, "validate")
    ref_per_m = ref["seconds"] * 1e6 / ref["triples"]
    steps = ", ".join(f"{name.split(' (')[0]} {s:.0f}" for name, s in stages.items())
    return [
        ["build: RDF emit (synth)", f"{emit['seconds'] * per_m:.1f} s/1M, {emit['rss_mib']:.0f} MiB",
         "—", ""],
        ["build: read RDF into records", f"{read * per_m:.1f} s/1M", "—", ""],
        ["build: SHACL gate (fast)", f"{gate * per_m:.1f} s/1M", f"pySHACL {ref_per_m:.0f} s/1M (on "
         f"{ref['triples']:.0f} triples, linear)", _target(gate * per_m, TARGETS["gate"], "s", lower=True)],
        ["build: store load (pyoxigraph)", f"{load['seconds'] * per_m:.1f} s/1M, {load['rss_mib']:.0f} MiB",
         f"rdflib parse {parse['seconds'] * 1e6 / parse['triples']:.1f} s/1M", ""],
        [f"build: `hrgraph build --input` end to end ({full['triples'] / 1e6:.2f}M triples published)",
         f"{full['seconds']:.1f} s (CPU {full['cpu_seconds']:.1f} s), {full['build_rss_mib']:.0f} MiB peak",
         f"stages (s): {steps}", _target(full["seconds"], TARGETS["build"], "s", lower=True)],
    ], root


def _stage_time(stages: dict[str, float], prefix: str) -> float:
    return next((s for name, s in stages.items() if name.startswith(prefix)), float("nan"))


def _target(value: float, target: float, unit: str, lower: bool) -> str:
    ok = value <= target if lower else value >= target
    if ok:
        return f"met (≤ {target:g} {unit})" if lower else f"met (≥ {target:g} {unit})"
    return f"MISSED by {abs(value - target):.1f} {unit} ({value / target:.2f}× target)"


def deref_rows(url: str, work: Path, persons: int, args: argparse.Namespace) -> list[list[str]]:
    """Documents of many distinct persons at c=8, cold and warm separately (the server keeps rendered
    documents per build, `web/doccache.py`):

    - cold: each run takes its own slice of persons never asked for before, so every request renders
      (the per-build label memo does warm up as in real use); a slice served to its end before the run's
      time is up would start hitting the cache, and the row then says so;
    - warm: 1,000 persons (per format) fetched once, then loaded: every request is answered from the cache.
    """
    half = persons // 2
    pools = {"html": range(0, half), "ttl": range(half, persons)}  # cold: disjoint per format and per run
    warm_ids = [f"/id/person/p{n:06d}" for n in range(0, persons, max(1, persons // 1000))][:1000]
    rows = []
    static = work / "static"
    for ext, accept in (("html", HTML), ("ttl", TTL)):
        cold_runs, exhausted = [], False
        size = len(pools[ext]) // max(1, args.runs)
        for r in range(args.runs):
            chunk = pools[ext][r * size:(r + 1) * size]
            load = wrk(url, [f"/id/person/p{n:06d}.{ext}" for n in chunk], accept, 8, args.seconds)
            exhausted |= load.rps * args.seconds > len(chunk)
            cold_runs.append(load)
        cold = median_load(cold_runs)
        paths = [f"{i}.{ext}" for i in warm_ids]
        prerender(url, paths, static)  # also fills the server's cache: the warm run follows
        warm = bench_load(url, paths, accept, 8, args)
        proc, surl = harness.static_server(static)
        try:
            ceiling = bench_load(surl, paths, accept, 8, args)
        finally:
            harness.stop(proc)
        note = " (slice exhausted: partly warm)" if exhausted else ""
        rows.append([f"dereference {ext.upper()} cold, distinct persons (c=8)", _fmt(cold) + note, "—",
                     _verdict(cold)])
        rows.append([f"dereference {ext.upper()} warm, {len(paths)} persons (c=8)", _fmt(warm),
                     f"static {_fmt(ceiling)}", _verdict(warm)])
    return rows


def _verdict(load: Load) -> str:
    if not load.ok_rps:
        return f"MISSED: no response within wrk's {harness.WRK_TIMEOUT} timeout"
    return (_target(load.ok_rps, TARGETS["deref_rps"], "req/s", lower=False) + "; p99 " +
            _target(load.p99_ms, TARGETS["deref_p99"], "ms", lower=True))


def _fmt(load: Load) -> str:
    err = f" ({load.errors} errors not counted)" if load.errors else ""
    return f"{load.ok_rps:.1f} req/s p50 {load.p50_ms:.1f} p99 {load.p99_ms:.1f} ms{err}"


def sparql_rows(url: str, root: Path, args: argparse.Namespace) -> list[list[str]]:
    queries = saved_queries()
    ceiling = in_process(root, queries, args.runs)
    rows = []
    for name, path in sparql_paths(queries).items():
        if ceiling[name] > SLOW_MS:
            rows.append([f"query {name} (c=1)", "not loaded over HTTP", f"in-process > {SLOW_MS / 1000:.0f} s",
                         "slow query in the engine itself"])
            continue
        # A run must outlast a few answers (wrk counts none that ends after its run); a slow query gets one
        # longer run instead of several short ones.
        slow = ceiling[name] > 1000
        one = median_load([wrk(url, [path], JSON, 1, max(args.query_seconds, ceiling[name] * 3 / 1000 + 1))
                           for _ in range(1 if slow else args.runs)])
        limit = ceiling[name] * 1.5 + 1
        if not one.ok_rps:
            rows.append([f"query {name} (c=1)", f"no answer within {harness.WRK_TIMEOUT}", f"in-process "
                         f"{ceiling[name]:.1f} ms", "MISSED (timed out over HTTP)"])
            continue
        errors = f" ({one.errors} errors)" if one.errors else ""
        figure = f"p50 {one.p50_ms:.1f} p99 {one.p99_ms:.1f} ms, {one.ok_rps:.1f} q/s{errors}"
        rows.append([f"query {name} (c=1)", figure,
                     f"in-process {ceiling[name]:.1f} ms", _target(one.p50_ms, limit, "ms", lower=True)])
    return rows


def peer_rows(work: Path, small: Path, args: argparse.Namespace) -> list[list[str]]:
    """Endpoint throughput at c=8 over all saved queries, hrgraph vs rdflib-endpoint, on the small graph."""
    paths = list(sparql_paths(saved_queries()).values())
    peer_paths = list(sparql_paths(saved_queries(), prefix="/").values())  # rdflib-endpoint answers at /
    root, _ = serving_root(work, small, "small")
    proc, url = harness.hrgraph_server(root)
    try:
        ours = bench_load(url, paths, JSON, 8, args, PEER_SECONDS)
    finally:
        harness.stop(proc)
    port = harness.free_port()
    exe = shutil.which("rdflib-endpoint", path=str(Path(sys.executable).parent))
    if exe is None:
        return [["SPARQL saved queries mix (c=8, small graph)", _fmt(ours),
                 "rdflib-endpoint not installed (pip install -e '.[bench]')", "not measured"]]
    proc, purl = harness.start([exe or "rdflib-endpoint", "serve", "--host", "127.0.0.1", "--port", str(port),
                                str(small)], "/sparql?query=ASK%7B%7D", port)
    try:
        peer = bench_load(purl, peer_paths, JSON, 8, args, PEER_SECONDS)
    finally:
        harness.stop(proc)
    if not peer.ok_rps or not ours.ok_rps:
        return [["SPARQL saved queries mix (c=8, small graph)", _fmt(ours), f"rdflib-endpoint {_fmt(peer)}",
                 "not comparable: one side answered nothing in time"]]
    ratio = ours.ok_rps / peer.ok_rps
    return [["SPARQL saved queries mix (c=8, small graph)", _fmt(ours), f"rdflib-endpoint {_fmt(peer)}",
             f"{ratio:.1f}× — " + ("met (≥ 10×)" if ratio >= 10 else f"MISSED ({ratio:.1f}× of 10×)")]]


def exercise(url: str, persons: int) -> None:
    """Touch what a day of traffic touches: person documents in both formats, the home and persons pages, and
    every saved query once with a 3 s limit (so the query workers have run the heavy ones too)."""
    step = max(1, persons // 100)
    paths = [f"/id/person/p{n:06d}.{ext}" for n in range(0, persons, step) for ext in ("ttl", "html")]
    paths += ["/", "/persons", *(f"/queries/{q}?timeout=3" for q in saved_queries())]
    for path in paths:
        try:
            urllib.request.urlopen(url + path, timeout=120).read()
        except OSError:  # a refusal (504 at the time limit) is an answer too; RSS is what is measured here
            pass


def rss_row(proc: subprocess.Popen, url: str, triples: float, persons: int) -> list[str]:
    """RSS of the server and its query workers: idle, the peak while `exercise` runs (sampled every 0.2 s:
    a worker killed at its time limit would otherwise take its peak with it), and after."""
    idle = harness.rss_mib(proc.pid)
    peak, done = [idle], threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak.append(harness.rss_mib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        exercise(url, persons)
    finally:
        done.set()
        sampler.join()
    after = harness.rss_mib(proc.pid)
    verdict = _target(max(peak), TARGETS["rss_10m_mib"], "MiB", lower=True) if triples > 5e6 else "(target at 10M)"
    return [f"server RSS at {triples / 1e6:.2f}M triples", f"peak {max(peak):.0f} MiB under traffic, {after:.0f} "
            f"after, {idle:.0f} idle (server + query workers)", "—", verdict]


def big_rss_rows(work: Path, args: argparse.Namespace) -> list[list[str]]:
    """Serve a graph of `--rss-persons` persons (no gate or dumps: the store is what the server holds)."""
    nt = work / "big.nt"
    emit = stage("synth", str(args.rss_persons), str(nt))
    root, load = serving_root(work, nt, "big")
    nt.unlink()
    proc, url = harness.hrgraph_server(root)
    try:
        row = rss_row(proc, url, emit["triples"], args.rss_persons)
    finally:
        harness.stop(proc)
    shutil.rmtree(root, ignore_errors=True)
    per_m = 1e6 / emit["triples"]
    return [[f"build: store load at {emit['triples'] / 1e6:.1f}M triples", f"{load['seconds'] * per_m:.1f} s/1M, "
             f"{load['rss_mib']:.0f} MiB peak", "—", ""], row]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--persons", type=int, default=10_000)
    p.add_argument("--small", type=int, default=300)
    p.add_argument("--pyshacl", type=int, default=40, help="persons of the graph pySHACL validates (baseline)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seconds", type=float, default=4)
    p.add_argument("--query-seconds", type=float, default=1.5, help="each run of one saved query at c=1")
    p.add_argument("--rss-persons", type=int, default=100_000,
                   help="persons of the graph served for the RSS row (100,000 ≈ 12.6M triples; 0 skips it)")
    args = p.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hrgraph-bench-") as tmp:
        work = Path(tmp)
        nt, small = work / "graph.nt", work / "small.nt"
        emit = stage("synth", str(args.persons), str(nt))
        stage("synth", str(args.small), str(small))
        built, root = build_rows(work, nt, small, emit, args)
        rows = show(built)
        proc, url = harness.hrgraph_server(root)
        try:
            rows += show(deref_rows(url, work, args.persons, args))
            rows += show(sparql_rows(url, root, args))
            rows += show([rss_row(proc, url, emit["triples"], args.persons)])
        finally:
            harness.stop(proc)
        rows += show(peer_rows(work, small, args))
        if args.rss_persons:
            rows += show(big_rss_rows(work, args))
    print_table(rows, emit["triples"], time.monotonic() - started)
    return 0


def print_table(rows: list[list[str]], triples: float, elapsed: float) -> None:
    head = ["measure", "hrgraph", "baseline (same run)", "target"]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    line = "+".join("-" * (w + 2) for w in widths)
    print(f"\nhrgraph bench — {triples:,.0f} triples, medians of runs, loopback, wrk, {elapsed:.0f} s\n")
    for r in [head, None, *rows]:
        print(line if r is None else " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    sys.exit(main())
