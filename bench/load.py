"""Load: N concurrent clients mixing dereferences and saved queries against a real `hrgraph serve`.

    .venv/bin/python bench/load.py [--url URL] [--clients 64] [--seconds 60] [--runs 3]

Without --url it builds nothing: it serves the checkout's last build (`make build` first) on a free port.
Uses wrk (with a Lua script for the mix) when it is installed, else an aiohttp load generator. Reports
requests, errors (any non-2xx/3xx or transport error), p50/p99 latency, and the server's RSS (its own plus
its query workers') after each run, so a leak shows as growth across runs. Exit 1 on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from hrgraph.model.vocab import HR

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else 0.0


def targets(url: str) -> list[tuple[str, dict[str, str]]]:
    """The mix: every saved query (run, as CSV), and a dereference of persons, claims and statements in
    HTML and Turtle; roughly two dereferences to one query."""
    import requests

    saved = [q["url"] for q in requests.get(url + "/queries", timeout=10, headers={"Accept": "application/json"})
             .json()]
    rows = requests.get(url + "/sparql", timeout=30, headers={"Accept": "application/sparql-results+json"}, params={
        "query": f"SELECT ?s WHERE {{ ?s a ?c VALUES ?c {{ <{HR.Person}> <{HR.Claim}> <{HR.Statement}> }} }}"
                 " LIMIT 200"}).json()["results"]["bindings"]
    paths = ["/" + r["s"]["value"].split("/hrgraph/", 1)[1] for r in rows]  # the served path of each IRI
    mix = [(f"{q}?run=1&format=csv", {}) for q in saved]
    for path in paths[:: max(1, len(paths) // 60)]:
        mix += [(path, {"Accept": "text/html"}), (path, {"Accept": "text/turtle"})]
    return mix


async def client(session: aiohttp.ClientSession, url: str, mix: list, until: float, tally: Tally) -> None:
    rng = random.Random()
    while time.monotonic() < until:
        path, headers = rng.choice(mix)
        started = time.monotonic()
        try:
            async with session.get(url + path, headers=headers, allow_redirects=False) as r:
                await r.read()
                if r.status >= 400:
                    tally.error(f"{r.status} {path}")
        except (TimeoutError, aiohttp.ClientError) as exc:
            tally.error(type(exc).__name__)
        tally.latencies.append(time.monotonic() - started)


async def run_aiohttp(url: str, clients: int, seconds: float) -> Tally:
    tally = Tally()
    mix = targets(url)
    until = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.gather(*(client(session, url, mix, until, tally) for _ in range(clients)))
    return tally


LUA = """
local paths = {%s}
local accepts = {%s}
request = function()
  local i = math.random(#paths)
  return wrk.format("GET", paths[i], {["Accept"] = accepts[i]})
end
"""


def run_wrk(url: str, clients: int, seconds: float) -> dict[str, object]:
    mix = targets(url)
    script = LUA % (", ".join(json.dumps(p) for p, _ in mix), ", ".join(json.dumps(h.get("Accept", "*/*"))
                                                                         for _, h in mix))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--latency", "-s", fh.name, url],
                         capture_output=True, text=True, check=True).stdout
    return {"wrk": out}


def rss_kib(pid: int) -> int:
    """Resident memory of the server and its children (the query workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if stat.parent.name == str(pid) or int(fields[1]) == pid:
                status = (stat.parent / "status").read_text()
                total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
        except (OSError, StopIteration, ValueError):
            continue
    return total


def start(root: Path) -> tuple[str, subprocess.Popen]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "hrgraph.cli", "--root", str(root), "serve", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import requests

    for _ in range(300):
        try:
            requests.get(url + "/", timeout=1)
            return url, proc
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def measure(url: str, clients: int, seconds: float, runs: int, pid: int | None,
            generator: str = "auto") -> list[dict[str, object]]:
    reports = []
    for n in range(1, runs + 1):
        if generator == "wrk" or (generator == "auto" and shutil.which("wrk")):
            report: dict[str, object] = run_wrk(url, clients, seconds)
        else:
            tally = asyncio.run(run_aiohttp(url, clients, seconds))
            report = {"requests": len(tally.latencies), "errors": sum(tally.errors.values()),
                      "error_kinds": tally.errors, "rps": round(len(tally.latencies) / seconds),
                      "p50_ms": round(tally.percentile(0.50), 1), "p99_ms": round(tally.percentile(0.99), 1)}
        report.update(run=n, clients=clients, seconds=seconds)
        if pid:
            report["server_rss_mib"] = round(rss_kib(pid) / 1024, 1)
        reports.append(report)
        print(json.dumps(report), flush=True)
    return reports


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url")
    ap.add_argument("--root", default=str(ROOT))
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--generator", choices=["auto", "wrk", "aiohttp"], default="auto")
    args = ap.parse_args()
    proc = None
    url = args.url
    if not url:
        url, proc = start(Path(args.root))
    try:
        reports = measure(url, args.clients, args.seconds, args.runs, proc.pid if proc else None, args.generator)
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=10)
    return 1 if any(r.get("errors") for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
