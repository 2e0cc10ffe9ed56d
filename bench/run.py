"""`make bench`: one table, every figure beside a baseline measured in the same run (medians; loopback; wrk).

    .venv/bin/python bench/run.py [--persons 8000] [--runs 3] [--seconds 4]      (`make bench`, < 15 min)
    .venv/bin/python bench/run.py --big-only [--rss-persons 80000]             (`make bench-10m`)

A synthetic graph (`hrgraph synth`, 8,000 persons ≈ 1.0M triples) goes through the real `hrgraph build
--input` (its stage report gives the gate and the build rows). The server then serves that build, side by
side with, on the same data:
- nginx holding the same documents (the ceiling of dereference), cold (never asked before) and warm;
- `oxigraph serve-read-only` on the same store files (`/sparql` against its own engine: one cheap query and
  the mix of saved queries, c=1 and c=8);
- Virtuoso 7.2 loaded with the same published graphs (every saved query, with the rows each answered).
Saved queries that take a parameter are run with the synthetic graph's values (`sample_parameters`).
A graph of `--rss-persons` persons (80,000 ≈ 10.1M triples) is loaded and served: RSS and cold dereference,
right after the load and once the kernel dropped the store's pages (as it does to files unread for a minute).
Its synthesis and load alone take ~10 minutes here, so it is a target of its own (`make bench-10m`).
The machine's load average is printed with the table: figures taken beside other work are noisy, the ratios
(each measured beside its baseline in the same minute) less so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import harness
import peers
from deref import claim_paths, cold_row, deref_rows, late_rows, person_paths, warmed_row
from harness import JSON, ROOT, TARGETS, against_target, bench_load, load_text

from hrgraph.model.namespaces import CANONICAL_BASE, Iris
from hrgraph.model.vocab import SCHEMA
from hrgraph.web import pagecache

# The synthetic graph's persons are p000000, p000001, ... under the canonical base.
CHEAP = (f"SELECT ?name WHERE {{{{ <{Iris(CANONICAL_BASE).record('persons', 'p')}{{n:06d}}> <{SCHEMA.name}> ?name }}}}")


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


@dataclass(frozen=True)
class Saved:
    text: str  # the query, each parameter bound to its synthetic sample value
    args: str  # the same values as `/queries/NAME`'s query string ("" for a query without parameters)


def saved_queries() -> dict[str, Saved]:
    """Every saved query, its parameters bound to the synthetic graph's values
    (`hrgraph.pipeline.synth.sample_parameters`): a parameterised query is measured on a person, statement,
    mechanism or article with thousands of triples behind it, not on its default from the curated data."""
    from hrgraph.pipeline.synth import sample_parameters
    from hrgraph.web import saved
    from hrgraph.web.queries import bind, params_of

    samples, out = sample_parameters(), {}
    for query in saved.load_all(ROOT / "queries"):
        values = {p.name: samples[p.name] for p in params_of(query)}
        out[query.name] = Saved(bind(query, values)[0], "?" + urllib.parse.urlencode(values) if values else "")
    return out


def query_paths(queries: list[str], prefix: str) -> list[str]:
    return [f"{prefix}?query=" + urllib.parse.quote(q) for q in queries]


def show(rows: list[list[str]]) -> list[list[str]]:
    """Print rows as they are measured (the table at the end repeats them aligned)."""
    for r in rows:
        print(" | ".join(r), flush=True)
    return rows


def build_rows(work: Path, nt: Path, emit: dict[str, float], args: argparse.Namespace) -> tuple[list[list[str]], Path]:
    """The build figures, and the project folder the real `build --input` published (the server serves it).
    Reading and gating are timed inside that build (its own stage report), not run a second time."""
    per_m = 1e6 / emit["triples"]
    tiny = work / "tiny.nt"
    stage("synth", str(args.pyshacl), str(tiny))
    ref = stage("pyshacl", str(tiny))
    root = work / "site"
    full = stage("build", str(nt), str(root))
    stages: dict[str, float] = full["stages"]  # type: ignore[assignment]
    read, gate = _stage_time(stages, "read inputs"), _stage_time(stages, "validate")
    ref_per_m = ref["seconds"] * 1e6 / ref["triples"]
    steps = ", ".join(f"{name.split(' (')[0]} {s:.0f}" for name, s in stages.items())
    return [
        ["build: RDF emit (synth)", f"{emit['seconds'] * per_m:.1f} s/1M, {emit['rss_mib']:.0f} MiB",
         "—", ""],
        ["build: read RDF into records", f"{read * per_m:.1f} s/1M", "—", ""],
        ["build: SHACL gate (fast)", f"{gate * per_m:.1f} s/1M", f"pySHACL {ref_per_m:.0f} s/1M (on "
         f"{ref['triples']:.0f} triples, linear)", against_target(gate * per_m, TARGETS["gate"], "s", lower=True)],
        [f"build: `hrgraph build --input` end to end ({full['triples'] / 1e6:.2f}M triples published)",
         f"{full['seconds']:.1f} s (CPU {full['cpu_seconds']:.1f} s), {full['build_rss_mib']:.0f} MiB peak",
         f"stages (s): {steps}", against_target(full["seconds"] * per_m, TARGETS["build"], "s/1M", lower=True)],
    ], root


def _stage_time(stages: dict[str, float], prefix: str) -> float:
    return next((s for name, s in stages.items() if name.startswith(prefix)), float("nan"))


def endpoint_rows(url: str, store_dir: Path, persons: int, args: argparse.Namespace) -> list[list[str]]:
    """`/sparql` beside `oxigraph serve-read-only` on the same store files: a one-triple lookup (cycling over
    1,000 persons) and the mix of every saved query, at c=1 and c=8."""
    cheap = [CHEAP.format(n=n) for n in range(0, persons, max(1, persons // 1000))]
    mix = [q.text for q in saved_queries().values()]
    started = peers.oxigraph_server(store_dir)
    if started is None:
        return [["/sparql vs oxigraph serve-read-only", "—", "oxigraph not installed (pip install -e '.[bench]')",
                 "not measured"]]
    proc, ourl = started
    rows = []
    try:
        for what, queries, seconds, runs in (("one-triple lookup", cheap, args.seconds, args.runs),
                                              ("saved-query mix", mix, args.mix_seconds, 1)):
            for conns in (1, 8):
                ours = bench_load(url, query_paths(queries, "/sparql"), JSON, conns, args, seconds, runs)
                theirs = bench_load(ourl, query_paths(queries, "/query"), JSON, conns, args, seconds, runs)
                ratio = ours.ok_rps / theirs.ok_rps if theirs.ok_rps else float("nan")
                verdict = f"{ratio:.2f}×" + (f" — {against_target(ratio, TARGETS['vs_oxigraph'], '×', lower=False)}"
                                             if what == "saved-query mix" else " (no target)")
                rows.append([f"/sparql {what} (c={conns})", load_text(ours), f"oxigraph server {load_text(theirs)}",
                             verdict])
    finally:
        harness.stop(proc)
    return rows


def saved_rows(url: str, files: Path, work: Path, args: argparse.Namespace) -> list[list[str]]:
    """Every saved query over HTTP at c=1 (median of `--runs` after one unmeasured run): hrgraph's
    `/queries/NAME` (what a user clicks: the answer is computed once per build and kept, `web/kept.py`), its
    `/sparql` with the same text (the engine, every time), and Virtuoso loaded with the same published graphs
    (Virtuoso keeps no answers); the rows each answered. The target is on `/queries`."""
    from hrgraph.model.namespaces import CANONICAL_BASE
    from hrgraph.store.base import published_graphs

    try:
        server = peers.virtuoso(work / "virtuoso", published_graphs(files, CANONICAL_BASE))
    except Exception as exc:  # noqa: BLE001 - virtuoso.Unavailable and what a failed load raises
        return [["saved queries vs Virtuoso", "—", f"Virtuoso unavailable: {exc}"[:200], "not measured"]]
    rows = []
    try:
        for name, query in saved_queries().items():
            page_url = f"{url}/queries/{name}{query.args}"
            page, page_rows = peers.timed(page_url, "", args.runs)
            ours, our_rows = peers.timed(f"{url}/sparql", query.text, args.runs)
            theirs, their_rows = peers.timed(server.sparql_url, peers.virtuoso_text(query.text), args.runs)
            said = {"hrgraph": peers.ERRORS.pop(page_url, "") or peers.ERRORS.pop(f"{url}/sparql", ""),
                    "Virtuoso": peers.ERRORS.pop(server.sparql_url, "")}
            peers.ERRORS.clear()
            empty = [f"{who} {f'answered an error ({said[who]})' if n < 0 else 'NO ROWS'}"
                     for who, n in (("hrgraph", min(page_rows, our_rows)), ("Virtuoso", their_rows)) if n <= 0]
            verdict = (f"/queries {page / theirs:.3f}× Virtuoso — " + ("met" if page <= theirs else
                       f"MISSED by {page - theirs:.1f} ms") + f"; /sparql (the engine) {ours / theirs:.2f}×"
                       + (f"; {', '.join(empty)}" if empty else ""))
            rows.append([f"query {name} (c=1)", f"/queries {page:.1f} ms ({page_rows} rows); /sparql {ours:.1f} "
                         f"ms ({our_rows} rows)", f"Virtuoso {theirs:.1f} ms ({their_rows} rows)", verdict])
    finally:
        server.stop()
    return rows


def exercise(url: str, persons: int) -> None:
    """Touch what a day of traffic touches: person documents in both formats, the home and persons pages, name
    searches (each server process then holds the catalogue of names), and every saved query once with a 3 s
    limit (so the query workers have run the heavy ones too)."""
    step = max(1, persons // 100)
    paths = [f"/id/person/p{n:06d}.{ext}" for n in range(0, persons, step) for ext in ("ttl", "html")]
    searches = [f"/search.json?q={urllib.parse.quote(q)}" for q in ("Bahdanovich", "Iryna Bahdanovich", "statement")]
    paths += ["/", "/persons", *searches * 4, *(f"/queries/{name}{q.args}{'&' if q.args else '?'}timeout=3"
                                               for name, q in saved_queries().items())]
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
    verdict = (against_target(max(peak), TARGETS["rss_10m_mib"], "MiB", lower=True) if triples > 5e6
               else "(target at 10M)")
    return [f"server RSS at {triples / 1e6:.2f}M triples", f"peak {max(peak):.0f} MiB under traffic, {after:.0f} "
            f"after, {idle:.0f} idle (server + query workers)", "—", verdict]


def later_rows(url: str, root: Path, label: str, claims: list[str], args: argparse.Namespace) -> list[list[str]]:
    """First requests once the store has sat unread for a while: the kernel drops file pages nobody read for
    about a minute (README "The store stays in RAM too"), done here at once with `POSIX_FADV_DONTNEED` on the
    store's tables; the server is then given up to a minute to read them back, and the rows say how much of
    them was in RAM when they began and after how long."""
    tables = sorted((root / "var/store/current").resolve().glob("*.sst"))
    for table in tables:
        pagecache.drop(table)
    dropped, deadline = time.monotonic(), time.monotonic() + 60
    while (share := resident_share(tables)) < 0.95 and time.monotonic() < deadline:
        time.sleep(1)
    persons = args.rss_persons // 4
    what = (f"{label}, after the kernel dropped the store's pages ({share:.0%} back in RAM "
            f"{time.monotonic() - dropped:.0f} s later)")
    return [cold_row(url, person_paths(range(persons, 2 * persons)), "html", args, f"distinct persons {what}", root),
            cold_row(url, claims, "html", args, f"distinct claims {what}", root)]


def resident_share(paths: list[Path]) -> float:
    """The share of the files' bytes in the page cache."""
    sizes = [p.stat().st_size for p in paths]
    return sum(pagecache.resident_share(p) * n for p, n in zip(paths, sizes, strict=True)) / max(1, sum(sizes))


def big_rows(work: Path, args: argparse.Namespace) -> list[list[str]]:
    """Serve a graph of `--rss-persons` persons (no gate or dumps: the store is what the server holds): its
    load, first requests for distinct persons, and the server's RSS."""
    nt = work / "big.nt"
    emit = stage("synth", str(args.rss_persons), str(nt))
    root, load = serving_root(work, nt, "big")
    nt.unlink()
    proc, url = harness.hrgraph_server(root)
    try:
        label = f"at {emit['triples'] / 1e6:.1f}M"
        half, claims = args.rss_persons // 2, claim_paths(url, 9000)  # the warm-up has just begun
        cold = [cold_row(url, person_paths(range(half, args.rss_persons)), "html", args, f"distinct persons {label}",
                         root),
                cold_row(url, claims[:3000], "html", args, f"distinct claims {label}", root),
                cold_row(url, claims[3000:6000], "ttl", args, f"distinct claims {label}", root)]
        row = rss_row(proc, url, emit["triples"], args.rss_persons)
        cold += later_rows(url, root, label, claims[6000:], args)  # after the RSS row: its day of traffic as before
    finally:
        harness.stop(proc)
    shutil.rmtree(root, ignore_errors=True)
    per_m = 1e6 / emit["triples"]
    return [[f"build: store load at {emit['triples'] / 1e6:.1f}M triples", f"{load['seconds'] * per_m:.1f} s/1M, "
             f"{load['rss_mib']:.0f} MiB peak", "—", ""], *cold, row]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--persons", type=int, default=8_000, help="persons of the 1M graph (8,000 ≈ 1.0M triples)")
    p.add_argument("--pyshacl", type=int, default=40, help="persons of the graph pySHACL validates (baseline)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seconds", type=float, default=4)
    p.add_argument("--mix-seconds", type=float, default=12, help="one run of the saved-query mix (slow queries)")
    p.add_argument("--warm-wait", type=float, default=240, help="seconds to wait for the persons' documents to be "
                   "rendered ahead after the server starts")
    p.add_argument("--rss-persons", type=int, default=0,
                   help="persons of the graph served for the 10M rows (80,000 ≈ 10.1M triples; 0 skips them)")
    p.add_argument("--big-only", action="store_true", help="only the 10M rows (`make bench-10m`)")
    args = p.parse_args()
    started, load_before = time.monotonic(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="hrgraph-bench-") as tmp:
        work = Path(tmp)
        if args.big_only:
            rows = show(big_rows(work, args))
            print_table(rows, 0, time.monotonic() - started, load_before)
            return 0
        nt = work / "graph.nt"
        emit = stage("synth", str(args.persons), str(nt))
        built, root = build_rows(work, nt, emit, args)
        rows = show(built)
        proc, url = harness.hrgraph_server(root)
        serving_since = time.monotonic()
        try:
            rows += show(deref_rows(url, root, work, args.persons, args))
            rows += show(endpoint_rows(url, root / "var/store/current", args.persons, args))
            rows += show(saved_rows(url, root / "dist", work, args))
            rows += show([rss_row(proc, url, emit["triples"], args.persons)])
            rows += show([warmed_row(url, root, serving_since), *late_rows(url, root, args)])
        finally:
            harness.stop(proc)
        if args.rss_persons:
            rows += show(big_rows(work, args))
    print_table(rows, emit["triples"], time.monotonic() - started, load_before)
    return 0


def print_table(rows: list[list[str]], triples: float, elapsed: float, load_before: tuple[float, ...]) -> None:
    head = ["measure", "hrgraph", "baseline (same run)", "target"]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    line = "+".join("-" * (w + 2) for w in widths)
    size = f"{triples:,.0f} triples, " if triples else ""
    loads = "/".join(f"{x:.1f}" for x in load_before), "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nhrgraph bench — {size}medians of runs, loopback, wrk, {elapsed:.0f} s; load average (1/5/15 min) "
          f"{loads[0]} at start, {loads[1]} at end, {os.cpu_count()} cores\n")
    for r in [head, None, *rows]:
        print(line if r is None else " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    sys.exit(main())
