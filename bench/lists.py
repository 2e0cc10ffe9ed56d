"""Lists at scale: the persons' facet index (xref/facets.py) and the list routes over a served build.

Prints, for the build under ROOT (default: a 10,000-person synthetic build made here with `hrgraph synth` and
`hrgraph build --input`, which takes some minutes): the time to build the facet index and the catalogue of names
(once per build), the in-memory cost of a facet selection (mask, counts of every value, the page's positions),
and the wall time of list requests over HTTP — the first ones (which build the per-build indexes) and the
following ones (medians), for HTML, JSON and CSV, with facets combined and a name search. Baseline in the same
run: the engine's own count of one facet selection (what the index pages asked per new selection before).

    .venv/bin/python bench/lists.py [--root ROOT] [--persons 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import harness
from harness import ROOT

from hrgraph.config import Settings
from hrgraph.model.namespaces import HR
from hrgraph.store.embedded import open_current
from hrgraph.xref import catalogue, facets


def synthetic_root(work: Path, persons: int) -> Path:
    root = work / "lists"
    root.mkdir()
    for folder in ("ontology", "shapes", "queries", "data"):
        (root / folder).symlink_to(ROOT / folder)
    nt = work / "g.nt"
    cli = [sys.executable, "-m", "hrgraph.cli", "--root", str(root)]
    subprocess.run([*cli, "synth", "--persons", str(persons), "--out", str(nt)], check=True, capture_output=True)
    done = subprocess.run([*cli, "build", "--input", str(nt)], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"build failed: {done.stderr[-2000:]}")
    return root


def timed(fn, runs: int = 1) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, value = [], None
    for _ in range(runs):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def in_process(root: Path, runs: int) -> list[tuple[str, str]]:
    store = open_current(Settings(root=root))
    rows = []
    t, index = timed(lambda: facets.load(store))
    rows.append(("facet index, built once per build", f"{t:.2f} s ({len(index.persons):,} persons)"))
    t, _ = timed(lambda: catalogue.load(store, Settings(root=root).base))
    rows.append(("catalogue of names, built once per build", f"{t:.2f} s"))
    orgs = sorted(index.bits["org"], key=lambda v: -index.bits["org"][v].bit_count())[:2]
    years = sorted(index.bits["year"])[:2]
    chosen = {"org": orgs, "year": years, "status": ["current"]}
    t, counts = timed(lambda: index.counts(chosen), runs * 20)
    rows.append(("counts of every facet value, 3 facets chosen", f"{t * 1000:.2f} ms"))
    t, order = timed(lambda: index.select(index.mask(chosen)), runs * 20)
    rows.append(("the selection's members in name order", f"{t * 1000:.2f} ms ({len(order):,} persons)"))
    values = " ".join(f"<{o}>" for o in orgs)
    engine = (f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?r a <{HR.Recognition}> ; <{HR.person}> ?s ; "
              f"<{HR.recognisedBy}> ?o . VALUES ?o {{ {values} }} ?s a <{HR.Person}> }}")
    t, _ = timed(lambda: store.select(engine), runs)
    rows.append(("baseline: the engine counting one facet selection", f"{t * 1000:.0f} ms"))
    return rows


def over_http(root: Path, runs: int) -> list[tuple[str, str]]:
    proc, url = harness.hrgraph_server(root)
    try:
        first = []
        for path in ("/persons", "/persons?q=Mikalai"):  # build the facet index, then the catalogue
            t, _ = timed(lambda p=path: urllib.request.urlopen(url + p, timeout=600).read())
            first.append((f"first {path} (builds the per-build index)", f"{t:.2f} s"))
        store = open_current(Settings(root=root))
        index = facets.load(store)
        org = sorted(index.bits["org"], key=lambda v: -index.bits["org"][v].bit_count())[0]
        query = urllib.parse.urlencode([("org", org), ("year", "2021"), ("year", "2022"), ("status", "current")])
        rows = []
        for label, path in (("HTML, 3 facets, 2 values in one", f"/persons?{query}"),
                            ("JSON, same selection, page 3", f"/persons.json?{query}&page=3"),
                            ("CSV, same selection (every member)", f"/persons.csv?{query}"),
                            ("CSV, every person", "/persons.csv"),
                            ("HTML, name search within a facet", f"/persons?q=Mikalai&{query}"),
                            ("home page (charts from the same counts)", "/")):
            t, body = timed(lambda p=path: urllib.request.urlopen(url + p, timeout=600).read(), runs)
            rows.append((label, f"{t * 1000:.0f} ms ({len(body) / 1024:,.0f} KiB)"))  # type: ignore[arg-type]
        return first + rows
    finally:
        harness.stop(proc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, help="a project folder with a published build (default: synthetic)")
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hrgraph-lists-") as work:
        root = args.root or synthetic_root(Path(work), args.persons)
        rows = in_process(root, args.runs) + over_http(root, args.runs)
    width = max(len(r[0]) for r in rows)
    print(f"lists at scale ({root}); medians of {args.runs} runs after the first")
    for label, figure in rows:
        print(f"  {label:<{width}}  {figure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
