"""Files a server reads on every request, kept in the OS page cache.

The kernel drops file pages nobody touched for a while (here a proactive reclaim pages out what was not used
for about a minute), and the next read of them waits for the disk. Two kinds of files are read that way:

- the build's kept file (`web.kept`): a document rendered ahead is written once and then not read until its
  first visitor, often minutes later. Measured at 1M triples, persons' HTML at c=8 went from p99 8 ms (file in
  RAM) to 265-300 ms after 150 s untouched; a kept file left alone for 150 s lost 4-11% of its pages;
- the store's own files (`Store.disk_files`), where a build too large to be held in memory is looked up
  (10M triples: 2.9 GB). A lookup of a person's triples took 370-580 µs on pages the kernel had dropped and
  43-86 µs on pages in RAM; a person's page at 10M, 200 lookups, 10.7 ms against 6.4 ms.

So one server process per build (`web.warmup`) reads them through the page cache every few seconds: what the
kernel dropped comes back before a visitor asks for it, at the cost of a pass over pages already there
(sendfile to /dev/null: nothing is copied into Python; 0.05 s of kernel time per 2.9 GB here).
"""

from __future__ import annotations

import ctypes
import mmap
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")  # this process's cgroup, where cgroup v2 is mounted as in a container


def read_through(groups: Iterable[Sequence[Path]]) -> int:
    """Read each group of files through the OS page cache in turn, discarding the bytes, while all read so far
    fits in the memory available (files larger than that would only push out something else: the first
    groups matter most); how many bytes were read. Missing files are skipped (a build deleted meanwhile);
    nothing is read where sendfile cannot write to a file (not Linux)."""
    try:
        sink = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return 0
    done, room = 0, _available_memory()
    try:
        for paths in groups:
            sizes = {p: _size(p) for p in paths}
            if done + sum(sizes.values()) > room:
                break
            done += sum(_send(path, sink) for path, size in sizes.items() if size)
    finally:
        os.close(sink)
    return done


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _send(path: Path, sink: int) -> int:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # deleted with its build meanwhile
        return 0
    done = 0
    try:
        size = os.fstat(fd).st_size
        while done < size and (sent := os.sendfile(sink, fd, done, size - done)) > 0:
            done += sent
    except OSError:
        pass
    finally:
        os.close(fd)
    return done


def _available_memory() -> int:
    """The memory files may take here, in bytes: MemAvailable of /proc/meminfo, bounded by this cgroup's
    headroom where it has a limit (a container's `memory.max`; its own file cache counts as room, the kernel
    gives it back first); unbounded where neither can be read."""
    return min(_meminfo_available(), _cgroup_headroom())


def _meminfo_available() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return sys.maxsize


def _cgroup_headroom(folder: Path = CGROUP) -> int:
    """`memory.max - memory.current + file` of the cgroup v2 at `folder`; unbounded without a limit."""
    try:
        limit = (folder / "memory.max").read_text(encoding="ascii").strip()
        if limit == "max":
            return sys.maxsize
        used = int((folder / "memory.current").read_text(encoding="ascii"))
        stat = dict(line.split() for line in (folder / "memory.stat").read_text(encoding="ascii").splitlines())
        return max(0, int(limit) - used + int(stat.get("file", 0)))
    except (OSError, ValueError):
        return sys.maxsize


def resident_share(path: Path) -> float:
    """The share of `path`'s pages in the OS page cache (mincore over a mapping that is never read); 0 for an
    empty or unreadable file. For the tests and the bench, which drop pages and watch them come back."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except OSError:
        return 0.0
    if not size:
        handle.close()
        return 0.0
    pages = (ctypes.c_ubyte * -(-size // mmap.PAGESIZE))()
    with handle:
        address = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, handle.fileno(), 0)
        if address in (None, ctypes.c_void_p(-1).value):
            return 0.0
        try:
            if libc.mincore(address, size, pages) != 0:
                return 0.0
        finally:
            libc.munmap(address, size)
    return sum(b & 1 for b in pages) / len(pages)
