"""One build stage in a process of its own, so its peak RSS is its own: prints one JSON line.

    python bench/stages.py synth PERSONS OUT | gate NT | load NT STORE_DIR | pyshacl NT | rdflib-parse NT
                           | build NT ROOT
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _graphs() -> tuple[object, object, object]:
    from hrgraph.pipeline.build import read_turtle

    vocab = read_turtle(sorted((ROOT / "ontology/vocab").glob("*.ttl")), ROOT)
    ontology = read_turtle(sorted((ROOT / "ontology").glob("*.ttl")), ROOT) + vocab
    shapes = read_turtle(sorted((ROOT / "shapes").glob("*.ttl")), ROOT)
    return shapes, ontology, vocab


def synth(persons: str, out: str) -> dict[str, object]:
    from hrgraph.pipeline.synth import synth as write

    t = time.perf_counter()
    n = write(int(persons), Path(out), seed=1, ontology_file=ROOT / "ontology/hrgraph.ttl")
    return {"seconds": time.perf_counter() - t, "triples": n}


def gate(nt: str) -> dict[str, object]:
    from hrgraph.pipeline.imports import import_rdf
    from hrgraph.pipeline.validate import gate as run_gate

    shapes, ontology, vocab = _graphs()
    t = time.perf_counter()
    emitted = import_rdf([Path(nt)])
    read = time.perf_counter() - t
    t = time.perf_counter()
    result = run_gate(emitted, shapes, ontology, vocab)  # type: ignore[arg-type]
    return {"seconds": time.perf_counter() - t, "read_seconds": read, "conforms": result.conforms,
            "held_back": len(result.held_back), "triples": sum(len(e.triples) for e in emitted)}


def pyshacl(nt: str) -> dict[str, object]:
    from pyshacl import validate
    from rdflib import Graph

    shapes, ontology, vocab = _graphs()
    data = Graph().parse(nt, format="nt")
    n = len(data)
    data += vocab  # type: ignore[operator]
    t = time.perf_counter()
    conforms, _, _ = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True,
                              allow_warnings=True)
    return {"seconds": time.perf_counter() - t, "triples": n, "conforms": conforms}


def load(nt: str, store_dir: str) -> dict[str, object]:
    from hrgraph.model.namespaces import CANONICAL_BASE
    from hrgraph.store.embedded_publish import publish

    t = time.perf_counter()
    publish({f"{CANONICAL_BASE}graph/data": Path(nt), f"{CANONICAL_BASE}graph/ontology": ROOT / "ontology/hrgraph.ttl"},
            Path(store_dir), build_id="bench")
    return {"seconds": time.perf_counter() - t}


def build(nt: str, root: str) -> dict[str, object]:
    """The real `hrgraph build --input NT`, end to end, over a fresh copy of the project (curated data + the
    graph): wall and CPU time, peak RSS of the build process, and the stage times it reports."""
    dest = Path(root)
    for part in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / part, dest / part)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(dest), "build", "--input", nt],
                          capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t
    if done.returncode not in (0, 1):  # 1: some records held back, the rest published
        raise SystemExit(f"hrgraph build failed ({done.returncode}):\n{done.stderr[-2000:]}")
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    stages = {m[1]: float(m[2]) for m in re.finditer(r"hrgraph build: (.+?) took ([\d.]+) s", done.stdout)}
    triples = re.search(r"published (\d+) triples", done.stdout)
    return {"seconds": seconds, "cpu_seconds": child.ru_utime + child.ru_stime, "build_rss_mib": child.ru_maxrss / 1024,
            "triples": int(triples[1]) if triples else 0, "stages": stages}


def rdflib_parse(nt: str) -> dict[str, object]:
    from rdflib import Graph

    t = time.perf_counter()
    n = len(Graph().parse(nt, format="nt"))
    return {"seconds": time.perf_counter() - t, "triples": n}


def query(store_dir: str, file: str, runs: str) -> dict[str, object]:
    """Median ms of a saved query on pyoxigraph in-process, results serialized as JSON (the ceiling)."""
    import statistics

    import pyoxigraph as ox

    store = ox.Store.read_only(str((Path(store_dir) / "current").resolve()))
    text = Path(file).read_text(encoding="utf-8")
    times = []
    for _ in range(int(runs)):
        t = time.perf_counter()
        store.query(text, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)
        times.append((time.perf_counter() - t) * 1000)
    return {"ms": statistics.median(times)}


STAGES = {"query": query, "synth": synth, "gate": gate, "pyshacl": pyshacl, "load": load, "rdflib-parse": rdflib_parse,
          "build": build}

if __name__ == "__main__":
    out = STAGES[sys.argv[1]](*sys.argv[2:])
    out["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))
