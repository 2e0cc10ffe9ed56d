"""Files a server reads on every request, kept in the OS page cache.

The kernel drops file pages nobody touched for a while (here a proactive reclaim pages out what was not used
for about a minute), and the next read of them waits for the disk. Two kinds of files are read that way:

- the build's kept file (`web.kept`): a document rendered ahead is written once and then not read until its
  first visitor, often minutes later. Measured at 1M triples, persons' HTML at c=8 went from p99 8 ms (file in
  RAM) to 265-300 ms after 150 s untouched; a kept file left alone for 150 s lost 4-11% of its pages;
- the store's own files (`Store.disk_files`), where a build too large to be held in memory is looked up
  (10M triples: 2.9 GB). A lookup of a person's triples took 370-580 µs on pages the kernel had dropped and
  43-86 µs on pages in RAM; a person's page at 10M, 200 lookups, 10.7 ms against 6.4 ms.

So one server process per build (an exclusive flock on `resident.lock` in the build's kept folder, taken over
by another process if it dies) reads them through the page cache every `RESIDENT_EVERY_S` seconds, from a
thread of its own that every server starts (`keep_resident`, with or without the warm-up): what the kernel
dropped comes back before a visitor asks for it, at the cost of a pass over pages already there (sendfile to
/dev/null: nothing is copied into Python; 0.05 s of kernel time per 2.9 GB here). The first pass comes within
a second of a build being served.
"""

from __future__ import annotations

import ctypes
import logging
import mmap
import os
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from hrgraph.store.base import Store, Stores
from hrgraph.web import kept

RESIDENT_LOCK = "resident.lock"
RESIDENT_EVERY_S = 10.0  # the reclaim measured here takes pages untouched for about a minute
CGROUP = Path("/sys/fs/cgroup")  # where cgroup v2 is mounted
log = logging.getLogger(__name__)


def keep_resident(stores: Stores) -> threading.Thread:
    """A daemon thread keeping the served build's files in RAM (`Resident`), on its own clock: at 10M triples
    the warm-up's saved queries alone take minutes, and a server may run without the warm-up."""
    thread = threading.Thread(target=_keep_resident, args=(stores,), name="hrgraph-resident", daemon=True)
    thread.start()
    return thread


def _keep_resident(stores: Stores) -> None:
    """Follow the served build by its folder (a rebuild of the same content is a new folder with the same id),
    and read its files through while holding it (its folder cannot be deleted meanwhile). Nothing stops this
    loop but a back-end without files: a failure is logged, and tried again a pass later."""
    resident = Resident()
    while True:
        try:
            store = stores.checkout()
            try:
                if store.cache_dir is None and not store.disk_files:
                    return  # a remote build: its files are the endpoint's, on its own machine
                if store.cache_dir != resident.folder:
                    resident.follow(store)
                resident.keep()
            finally:
                stores.checkin(store)
        except Exception:  # noqa: BLE001 - the next pass may well succeed (a build switched, a disk back)
            log.warning("the served build's files were not read through the page cache", exc_info=True)
            time.sleep(RESIDENT_EVERY_S)
        time.sleep(1.0)  # `keep` reads only every RESIDENT_EVERY_S; a new build is followed within a second


class Resident:
    """Keeps one build's kept file and store files in the page cache, from whichever server process holds its
    resident lock."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.store_files: list[Path] = []
        self.lock: int | None = None  # fd holding the lock of `folder`, once this process has it
        self.due = 0.0

    def follow(self, store: Store) -> None:
        """From now on, `store`'s build."""
        if self.lock is not None:
            os.close(self.lock)
        self.folder, self.store_files = store.cache_dir, store.disk_files
        self.lock, self.due = None, 0.0

    def keep(self) -> int:
        """Read the files through (`read_through`: the kept file first, it answers most requests) when due and
        this process holds the lock (taken here, or tried again next time); how many bytes were read."""
        if self.folder is None or time.monotonic() < self.due:
            return 0
        self.due = time.monotonic() + RESIDENT_EVERY_S
        if self.lock is None:
            lock = kept.claim(self.folder, RESIDENT_LOCK)
            if lock is False:  # another process keeps them
                return 0
            if lock is not True:  # True: no lock can be had here, so every process reads them
                self.lock = lock
        return read_through([kept.files(self.folder), self.store_files])


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
    """The memory files may take here, in bytes: MemAvailable of /proc/meminfo, bounded by the headroom of this
    process's cgroup and of each above it that has a limit (a container's or a service's `memory.max`; its own
    file cache counts as room, the kernel gives it back first); unbounded where neither can be read."""
    return min(_meminfo_available(), *(_cgroup_headroom(folder) for folder in _cgroups()))


def _cgroups(root: Path = CGROUP, own: Path = Path("/proc/self/cgroup")) -> list[Path]:
    """This process's cgroup v2 folder and those above it, up to `root` (none where there is no cgroup v2)."""
    try:
        line = next(x for x in own.read_text(encoding="ascii").splitlines() if x.startswith("0::"))
    except (OSError, StopIteration, UnicodeDecodeError):
        return []
    folder = root / line[3:].strip("/")
    return [folder, *folder.parents[:len(folder.relative_to(root).parts)]]


def _meminfo_available() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return sys.maxsize


def _cgroup_headroom(folder: Path) -> int:
    """`memory.max - memory.current + file` of the cgroup v2 at `folder`; unbounded without a limit (the root
    has none)."""
    try:
        limit = (folder / "memory.max").read_text(encoding="ascii").strip()
        if limit == "max":
            return sys.maxsize
        used = int((folder / "memory.current").read_text(encoding="ascii"))
        stat = dict(line.split() for line in (folder / "memory.stat").read_text(encoding="ascii").splitlines())
        return max(0, int(limit) - used + int(stat.get("file", 0)))
    except (OSError, ValueError):
        return sys.maxsize


def drop(path: Path) -> None:
    """What the kernel does to pages nobody read for a while: written back, then dropped from the page cache.
    For the tests and the bench, which watch them come back."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def resident_share(path: Path) -> float:
    """The share of `path`'s pages in the OS page cache (mincore over a mapping that is never read); 0 for an
    empty or unreadable file."""
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
