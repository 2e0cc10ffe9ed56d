"""The dereference rows of `make bench`: documents on first request (rendered ahead by the warm-up, or not yet)
and warm, beside nginx serving the same files, and how far the warm-up got."""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
import urllib.parse
import urllib.request
from pathlib import Path

import harness
from harness import HTML, JSON, TTL, bench_load, deref_verdict, load_text, median_load, wrk

from hrgraph.model.namespaces import CANONICAL_BASE
from hrgraph.model.vocab import HR


def prerender(url: str, paths: list[str], folder: Path) -> None:
    """Fetch `paths` (8 at a time) into `folder`, for the static server."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path: str) -> None:
        target = folder / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(urllib.request.urlopen(url + path, timeout=60).read())

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(fetch, paths))


CONNECTIONS = 8  # c=8, as in every dereference row
MIN_SLICE = 4000  # documents one run of one second may ask for: more than served in a second, rendered ahead


def cold_row(url: str, paths: list[str], ext: str, args: argparse.Namespace, what: str,
             root: Path | None = None) -> list[str]:
    """Documents nobody asked for before (`paths`: IRI paths without extension), at c=8: each run takes its
    own slice, so no request is answered from a document another request of the bench made. Runs of one
    second (documents rendered ahead come at thousands a second; fewer runs when `paths` cannot give each run
    `MIN_SLICE`); a slice answered whole before its second is up is not asked again (wrk stops), and the row
    then says its rate is a floor: wrk divides by the whole second. With `root`, the row says how many of
    the documents the warm-up had rendered ahead when the row began."""
    accept = HTML if ext == "html" else TTL
    if root is not None:
        name = "html" if ext == "html" else "turtle"  # the format's name in the kept keys (formats.media)
        ahead = kept_documents(root, {f"{p.lstrip('/')}|{name}|1" for p in paths})
        what += f", {ahead / max(1, len(paths)):.0%} of them rendered ahead"
    runs, exhausted = [], False
    count = max(1, min(args.runs, len(paths) // MIN_SLICE))  # fewer runs rather than slices served twice
    size = len(paths) // count
    for r in range(count):
        chunk = paths[r * size:(r + 1) * size]
        load = wrk(url, [f"{p}.{ext}" for p in chunk], accept, CONNECTIONS, 1, once=True)
        exhausted |= load.requests >= len(chunk) - CONNECTIONS  # one may be in flight per connection as wrk stops
        runs.append(load)
    cold = median_load(runs)
    note = f" (≥: each slice of {size} answered whole within its run's second)" if exhausted else ""
    return [f"dereference {ext.upper()} first request, {what} (c=8)", load_text(cold) + note, "—", deref_verdict(cold)]


def person_paths(persons: range) -> list[str]:
    return [f"/id/person/p{n:06d}" for n in persons]


def claim_paths(url: str, limit: int, classes: tuple[object, ...] = (HR.Charge, HR.Recognition)) -> list[str]:
    """Claims of `classes` (the warm-up renders claims after the persons, organisations and statements)."""
    union = " UNION ".join(f"{{ ?c a <{c}> }}" for c in classes)
    query = f"SELECT DISTINCT ?c WHERE {{ {union} }} LIMIT {limit}"
    found = urllib.request.Request(url + "/sparql?" + urllib.parse.urlencode({"query": query}),
                                   headers={"Accept": JSON})
    rows = json.loads(urllib.request.urlopen(found, timeout=120).read())["results"]["bindings"]
    return [r["c"]["value"].replace(CANONICAL_BASE, "/") for r in rows]


def kept_documents(root: Path, among: set[str] | None = None) -> int:
    """Documents kept in the served build's file (rendered ahead by the warm-up, or by requests); with `among`
    (keys: `id/person/p000001|html|1`), how many of those."""
    path = (root / "var/store/current").resolve() / "kept" / "kept.sqlite"
    if not path.is_file():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            if among is None:
                return db.execute("SELECT COUNT(*) FROM kept WHERE kind = 'document'").fetchone()[0]
            return sum(1 for (key,) in db.execute("SELECT key FROM kept WHERE kind = 'document'") if key in among)
    except sqlite3.Error:
        return 0


def warm_row(root: Path, persons: int, args: argparse.Namespace) -> list[str]:
    """Wait (at most `--warm-wait` s) for the warm-up to render every person's HTML and Turtle after the
    server started on a freshly published build; how many it did, how fast. Counted by the persons' own keys:
    the two warmers each take half of the persons and go on to other resources when done, so the file's count
    of documents passed 2 × persons while a few dozen persons of the slower half were still to come (and
    the row "persons rendered ahead" then met them rendered on demand, at the tail of its p99)."""
    started, wanted = time.monotonic(), 2 * persons
    keys = {f"{p.lstrip('/')}|{name}|1" for p in person_paths(range(persons)) for name in ("html", "turtle")}
    done = kept_documents(root, keys)
    while done < wanted and time.monotonic() - started < args.warm_wait:
        time.sleep(2)
        done = kept_documents(root, keys)
    took = time.monotonic() - started
    verdict = "all rendered ahead" if done >= wanted else f"{wanted - done} not yet (waited {args.warm_wait:g} s)"
    return ["warm-up after a publish: the persons' HTML + Turtle rendered ahead (idle priority; then the rest)",
            f"{done} of {wanted} documents in {took:.0f} s ({done / max(took, 1e-9):.0f}/s)", "—", verdict]


def warmed_row(url: str, root: Path, since: float) -> list[str]:
    """How far the warm-up got with every resource's two documents by the end of the run (it renders persons
    first, then organisations and statements, claims and events, evidence last)."""
    query = (f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER(isIRI(?s) && STRSTARTS(STR(?s), "
             f"'{CANONICAL_BASE}') && !CONTAINS(STR(?s), '#')) }}")
    found = urllib.request.Request(url + "/sparql?" + urllib.parse.urlencode({"query": query}),
                                   headers={"Accept": JSON})
    resources = int(json.loads(urllib.request.urlopen(found, timeout=120).read())["results"]["bindings"][0]["n"]
                    ["value"])
    done, took = kept_documents(root), time.monotonic() - since
    return ["warm-up by the end of the run: documents of every resource (HTML + Turtle)",
            f"{done} of {2 * resources} in {took:.0f} s ({done / max(took, 1e-9):.0f}/s, beside the bench's load)",
            "—", "all rendered ahead" if done >= 2 * resources else f"{2 * resources - done} not yet"]


def late_rows(url: str, root: Path, args: argparse.Namespace) -> list[list[str]]:
    """First requests for claims and events no row asked for before (detentions, demands, trials, ...), at the
    end of the run, when the warm-up has had the bench's minutes: what a visitor meets a few minutes after a
    publish (the row says how many were rendered ahead)."""
    late = claim_paths(url, 2 * MIN_SLICE, (HR.Detention, HR.Demand, HR.Trial, HR.Submission, HR.Signature,
                                            HR.DeathInCustody, HR.StatisticalClaim))
    half = len(late) // 2
    return [cold_row(url, late[:half], "html", args, "distinct other claims, late in the run", root),
            cold_row(url, late[half:], "ttl", args, "distinct other claims, late in the run", root)]


def deref_rows(url: str, root: Path, work: Path, persons: int, args: argparse.Namespace) -> list[list[str]]:
    """Documents at c=8: first requests for persons (rendered ahead once the warm-up is done) and for claims
    (never rendered ahead), then warm (1,000 persons per format, loaded again), beside nginx serving the same
    1,000 documents from files."""
    rows = [warm_row(root, persons, args)]
    pools = {"html": range(0, persons), "ttl": range(0, persons)}  # a person's HTML and Turtle: two documents
    claims = claim_paths(url, 4 * MIN_SLICE)
    claim_pools = {"html": claims[:len(claims) // 2], "ttl": claims[len(claims) // 2:]}
    warm_ids = [f"/id/person/p{n:06d}" for n in range(1, persons, max(1, persons // 1000))][:1000]
    static = work / "static"
    for ext, accept in (("html", HTML), ("ttl", TTL)):
        rows.append(cold_row(url, person_paths(pools[ext]), ext, args, "distinct persons", root))
        rows.append(cold_row(url, claim_pools[ext], ext, args, "distinct claims", root))
        paths = [f"{i}.{ext}" for i in warm_ids]
        prerender(url, paths, static)  # the static server's files
        warm = bench_load(url, paths, accept, CONNECTIONS, args)
        proc, surl = harness.static_server(static)
        try:
            ceiling = bench_load(surl, paths, accept, CONNECTIONS, args)
        finally:
            harness.stop(proc)
        rows.append([f"dereference {ext.upper()} warm, {len(paths)} persons (c=8)", load_text(warm),
                     f"nginx {load_text(ceiling)}", deref_verdict(warm)])
    return rows
