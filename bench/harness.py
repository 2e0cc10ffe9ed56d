"""Bench helpers: wrk runs (with a Lua script cycling through paths), servers on free loopback ports, RSS."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRK_TIMEOUT = "30s"  # wrk's default 2 s counts slow answers as socket timeouts
# Each wrk thread runs its own Lua state: without `setup`, every thread would walk the same paths from the
# start, so each "distinct" document would be asked once per thread (the second time often answered from what
# the first request kept). Thread k of t asks paths k, k + t, k + 2t, ...: each path once until all are asked.
LUA = """
paths = {%s}
nthreads = %d
once = %s
local threads = {}
setup = function(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
init = function(args)
  n = id - nthreads
end
request = function()
  n = n + nthreads
  if once and n >= #paths then
    wrk.thread:stop()
  end
  return wrk.format(%s, paths[(n %% #paths) + 1], {["Accept"] = "%s"}%s)
end
"""


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    ok_rps: float = 0.0  # successful responses a second (errors are not throughput)
    requests: int = 0  # responses counted in the run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    assert m, text
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]


def wrk(url: str, paths: list[str], accept: str, connections: int, seconds: float, body: str | None = None,
        once: bool = False) -> Load:
    """One wrk run: `connections` connections (2 threads, or 1 for one connection), paths in turn; `once`: each
    path asked at most once, a thread stopping when its share is asked (wrk still divides by the whole run's
    time: the rate is then at least the one given)."""
    quoted = ",".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    method = '"POST"' if body is not None else '"GET"'
    extra = ', "' + body.replace('"', '\\"') + '"' if body is not None else ""
    threads = min(2, connections)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(LUA % (quoted, threads, "true" if once else "false", method, accept, extra))
    try:
        duration = f"-d{max(1, round(seconds))}s"
        cmd = ["wrk", f"-t{threads}", f"-c{connections}", duration, "--latency", "--timeout", WRK_TIMEOUT]
        done = subprocess.run([*cmd, "-s", fh.name, url], capture_output=True, text=True, timeout=seconds + 90)
    finally:
        os.unlink(fh.name)
    out = done.stdout
    if "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed on {url}: {out[-500:]} {done.stderr[-500:]}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"(?m)^\s+50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"(?m)^\s+99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errs = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(errs.group(1)) if errs else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return Load(rps, p50, p99, errors, rps * (total - errors) / total if total else 0.0, total)


def median_load(runs: list[Load]) -> Load:
    return Load(statistics.median(r.rps for r in runs), statistics.median(r.p50_ms for r in runs),
                statistics.median(r.p99_ms for r in runs), sum(r.errors for r in runs),
                statistics.median(r.ok_rps for r in runs), sum(r.requests for r in runs))


def wait_http(url: str, proc: subprocess.Popen, timeout_s: float = 600.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {url}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"no answer from {url} within {timeout_s} s")


def start(cmd: list[str], probe: str, port: int, env: dict[str, str] | None = None, cwd: Path | None = None,
          timeout_s: float = 600.0) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})},
                            cwd=cwd, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    wait_http(url + probe, proc, timeout_s)
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    """Stop a server started by `start` and everything it started (its own process group)."""
    _signal_group(proc, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        _signal_group(proc, signal.SIGKILL)
        proc.wait(timeout=10)
    _signal_group(proc, signal.SIGKILL)  # whatever of the group outlived its leader


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def rss_mib(pid: int) -> float:
    """RSS of a process and all its descendants (the server and its query workers)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except (OSError, AttributeError):
            continue
        todo += [int(c) for c in children]
    return total / 1024


def hrgraph_server(root: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    return start([sys.executable, "-m", "hrgraph.cli", "--root", str(root), "serve", "--port", str(port)], "/health",
                 port)


def static_server(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    if shutil.which("nginx"):
        conf = folder.parent / "nginx.conf"
        # As root, nginx's workers would run as nobody and get 403 for the bench's private temporary folder.
        user = "user root; " if os.geteuid() == 0 else ""
        conf.write_text(f"{user}daemon off; pid {folder.parent}/nginx.pid; error_log /dev/null; worker_processes 2;"
                        f"events {{}} http {{ access_log off; types {{ text/html html; text/turtle ttl; }}"
                        f" server {{ listen 127.0.0.1:{port}; root {folder}; }} }}")
        return start(["nginx", "-c", str(conf)], "/", port)
    return start([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(folder), str(port)],
                 "/", port)


# --- figures and verdicts shared by the rows (run.py, deref.py) ---------------------------------------------

TARGETS = {"gate": 20.0, "build": 60.0, "deref_rps": 1000.0, "deref_p99": 50.0, "rss_10m_mib": 1024.0,
           "vs_oxigraph": 0.5}
HTML, TTL, JSON = "text/html", "text/turtle", "application/sparql-results+json"


def bench_load(url: str, paths: list[str], accept: str, conns: int, args: argparse.Namespace,
               seconds: float | None = None, runs: int | None = None) -> Load:
    return median_load([wrk(url, paths, accept, conns, seconds or args.seconds) for _ in range(runs or args.runs)])


def against_target(value: float, target: float, unit: str, lower: bool) -> str:
    ok = value <= target if lower else value >= target
    if ok:
        return f"met (≤ {target:g} {unit})" if lower else f"met (≥ {target:g} {unit})"
    return f"MISSED by {abs(value - target):.1f} {unit} ({value / target:.2f}× target)"


def deref_verdict(load: Load) -> str:
    if not load.ok_rps:
        return f"MISSED: no response within wrk's {WRK_TIMEOUT} timeout"
    return (against_target(load.ok_rps, TARGETS["deref_rps"], "req/s", lower=False) + "; p99 " +
            against_target(load.p99_ms, TARGETS["deref_p99"], "ms", lower=True))


def load_text(load: Load) -> str:
    err = f" ({load.errors} errors not counted)" if load.errors else ""
    return f"{load.ok_rps:.1f} req/s p50 {load.p50_ms:.1f} p99 {load.p99_ms:.1f} ms{err}"
