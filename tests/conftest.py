"""Shared fixtures: a real build in a temporary project folder, and the real server on a free port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from hrgraph.config import Settings
from hrgraph.pipeline.build import build

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("data", "ontology", "shapes", "queries")


def copy_project(dest: Path) -> Path:
    """A private copy of the inputs a build reads, so tests never touch the checkout's dist/ or var/."""
    for part in PROJECT_PARTS:
        if (REPO / part).exists():
            shutil.copytree(REPO / part, dest / part)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    settings: Settings
    process: subprocess.Popen

    @property
    def log(self) -> Path:
        """What the server printed (stdout and stderr)."""
        return self.settings.root / f"serve-{self.settings.port}.log"


@pytest.fixture(scope="session")
def built_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with a finished build (dist/ and var/store/current)."""
    root = copy_project(tmp_path_factory.mktemp("site"))
    result = build(Settings(root=root))
    assert result.published, f"the build of the real data published nothing: {result.problems}"
    return root


def start_server(root: Path, *extra: str) -> LiveServer:
    port = free_port()
    cmd = [sys.executable, "-m", "hrgraph.cli", "--root", str(root), "serve", "--port", str(port), *extra]
    # The server's output goes to a file, never an undrained pipe: once a pipe's buffer is full, the next log
    # line (waitress warns when its task queue grows) blocks the server's main loop and every client hangs.
    log = root / f"serve-{port}.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = log.read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"server exited with {proc.returncode}:\n{out}")
        try:
            requests.get(url + "/", timeout=1)
            return LiveServer(url, Settings(root=root, port=port), proc)
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not answer within 30 s")


@contextmanager
def serving(root: Path, *extra: str) -> Iterator[LiveServer]:
    """`start_server`, stopped again when the block ends."""
    server = start_server(root, *extra)
    try:
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def live(built_root: Path) -> Iterator[LiveServer]:
    """The real `hrgraph serve` (waitress) over the real build, on a free loopback port."""
    with serving(built_root) as server:
        yield server
