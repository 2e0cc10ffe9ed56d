"""A private Virtuoso for tests and benchmarks: Debian's virtuoso-opensource, installed when missing, started
from a copy of its stock ini with every path in a temporary folder and both ports on 127.0.0.1.

`start(folder)` returns a running `Virtuoso` (query URL, isql settings, load folder) or raises `Unavailable`
with the reason, which the tests turn into a skip message.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

STOCK_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
PASSWORD = "hrgraphtest"  # the stock dba/dba is changed at start


class Unavailable(RuntimeError):
    """Virtuoso cannot be installed or started here."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_installed() -> str:
    exe = shutil.which("virtuoso-t")
    if exe and shutil.which("isql-vt"):
        return exe
    if not shutil.which("apt-get") or os.geteuid() != 0:
        raise Unavailable("virtuoso-opensource is not installed and cannot be (needs apt-get as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "install", "-y", "-qq", "virtuoso-opensource"], env=env, check=True,
                       capture_output=True, timeout=900)
    except (subprocess.SubprocessError, OSError) as exc:
        raise Unavailable(f"apt-get install virtuoso-opensource failed: {exc}") from exc
    exe = shutil.which("virtuoso-t")
    if not exe or not STOCK_INI.is_file():
        raise Unavailable("virtuoso-opensource installed without virtuoso-t or its stock ini")
    return exe


def _ini(folder: Path, sql_port: int, http_port: int, load_dir: Path, buffers: int) -> Path:
    text = STOCK_INI.read_text(encoding="utf-8")
    text = re.sub(r"/var/lib/virtuoso-opensource-7/db/", f"{folder}/", text)
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*1111\s*$", f"ServerPort = 127.0.0.1:{sql_port}", text)
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*8890\s*$", f"ServerPort = 127.0.0.1:{http_port}", text)
    dirs = f"DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, {load_dir}"
    text = re.sub(r"(?m)^DirsAllowed\s*=.*$", dirs, text)
    text = re.sub(r"(?m)^NumberOfBuffers\s*=.*$", f"NumberOfBuffers = {buffers}", text)
    text = re.sub(r"(?m)^MaxDirtyBuffers\s*=.*$", f"MaxDirtyBuffers = {buffers * 3 // 4}", text)
    text = re.sub(r"(?m)^ResultSetMaxRows\s*=.*$", "ResultSetMaxRows = 10000000", text)
    ini = folder / "virtuoso.ini"
    ini.write_text(text, encoding="utf-8")
    return ini


@dataclass
class Virtuoso:
    folder: Path
    process: subprocess.Popen
    sql_port: int
    http_port: int
    load_dir: Path
    password: str = PASSWORD

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self):  # -> hrgraph.store.remote_publish.Isql
        from hrgraph.store.remote_publish import Isql

        return Isql(self.sql_port, password=self.password)

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _wait_http(url: str, process: subprocess.Popen, log: Path, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"virtuoso-t exited with {process.returncode}: {log.read_text(errors='replace')[-600:]}")
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise Unavailable(f"virtuoso-t did not answer within {timeout_s:.0f} s")


def _change_password(server: Virtuoso, timeout_s: float = 30.0) -> None:
    """The stock dba/dba, replaced; the SQL listener may refuse logins for a moment after HTTP is up."""
    from hrgraph.errors import StoreError

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            server.isql().run(f"SET PASSWORD dba {PASSWORD};\n")
            return
        except StoreError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def start(folder: Path, buffers: int = 170_000) -> Virtuoso:
    """Start a fresh Virtuoso whose database lives in `folder` (NumberOfBuffers 8 KiB pages: 170,000 ≈ 1.3 GiB
    at most, the stock ini's line for 2 GB of RAM)."""
    exe = ensure_installed()
    folder.mkdir(parents=True, exist_ok=True)
    load_dir = folder / "load"
    load_dir.mkdir(exist_ok=True)
    sql_port, http_port = _free_port(), _free_port()
    ini = _ini(folder, sql_port, http_port, load_dir, buffers)
    log = folder / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=out,
                                   stderr=subprocess.STDOUT)
    server = Virtuoso(folder, process, sql_port, http_port, load_dir, password="dba")
    try:
        _wait_http(server.sparql_url, process, log)
        _change_password(server)
    except BaseException:
        server.stop()
        raise
    server.password = PASSWORD
    return server
