"""Who holds what on disk: shared leases that keep a published build from being deleted while it is served,
and the exclusive lock a build takes on the project's outputs.

Both are flock(2) locks: they belong to an open file, are dropped when the process ends however it ends
(SIGKILL included), and so never go stale: no pid files to reason about. A server and each of its query
workers hold a shared lease on the `BUILD` file of the build they read; the publisher deletes a build only
when it can take that file exclusively (`unheld`), and only while it holds the build lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Lease:
    """A flock on one file, held until `release` (or until the process ends)."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the lock
            self._fd = None

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _same_file(fd: int, path: Path) -> bool:
    """Whether `path` still names the file `fd` has open (a deleted or replaced file does not)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def hold(path: Path) -> Lease | None:
    """A shared lease on an existing file; None when it is gone or being deleted (the caller looks again)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:  # a publisher holds it exclusively: it is deleting this build
        os.close(fd)
        return None
    if not _same_file(fd, path):  # deleted between our open and our lock
        os.close(fd)
        return None
    return Lease(fd, path)


@contextmanager
def unheld(path: Path) -> Iterator[bool]:
    """True (holding `path` exclusively, so nobody can take a lease meanwhile) when nobody holds a lease on
    it; False when someone does. A missing file counts as unheld."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        yield True
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


class Busy(Exception):
    """The exclusive lock is held by another process; `holder` is what it wrote there (its pid and more)."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


def _note(fd: int, tries: int = 10) -> str:
    """What the holder wrote into the lock file; it writes just after taking the lock, so wait a moment for it."""
    for _ in range(tries):
        try:
            text = os.pread(fd, 4096, 0).decode("utf-8", errors="replace").strip()
        except OSError:
            return ""
        if text:
            return text
        time.sleep(0.05)
    return ""


def exclusive(path: Path, note: str) -> Lease:
    """Take the exclusive lock `path` (created if missing) and write `note` into it for whoever finds it
    taken; Busy (with the holder's note) when another process has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _note(fd)
        os.close(fd)
        raise Busy(holder or "another process") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, note.encode(), 0)
    return Lease(fd, path)
