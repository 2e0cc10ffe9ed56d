"""Connections spread evenly over the server processes that accept on one listening socket.

With one shared socket the kernel wakes every process polling it and the first to call `accept` wins, so a
burst of connections (a crawler's pool, wrk's 8) lands wherever a process happened to be waiting: measured
here, 8 kept-alive connections went 6/2 or 8/0 as often as 4/4, and the loaded process then served at one
core's rate while the other core idled. Connections are long-lived and stay where they were accepted, so the
spread is decided at accept time.

So each process publishes how many connections it holds in a slot of a small shared memory region (one slot
per process, written from its event loop when the count changes, else at most once a millisecond), and a
process holding more than the least loaded live sibling stops polling the socket for new connections: the
sibling takes them. Two bounds keep a client from being stranded by a sibling that cannot accept (stuck,
dying): a slot not written for `STALE_S` is ignored (an idle loop writes at least once a second, waitress's
poll timeout), and a process that has declined for `GRACE_S` accepts again. Nothing sleeps: a connection is
always accepted by someone as soon as a loop turns. (Rejected: `SO_REUSEPORT`, which hashes each connection
to one socket and so splits 8 connections as unevenly as chance does and strands those hashed to a stuck
process; a pause after each accept, which throttled clients that open a connection per request 4,241 -> 880
req/s.)
"""

from __future__ import annotations

import mmap
import os
import tempfile
import time

STALE_S = 3.0  # a slot older than this is a process that is gone or stuck: not waited for
GRACE_S = 0.05  # how long a process leaves new connections to a less loaded sibling before it takes them
RECHECK_S = 0.001  # the loop asks before every poll (thousands of times a second): the answer is kept this long


def shared_region(processes: int) -> int:
    """A zeroed memory region with a slot per process, as a descriptor the children inherit: a Linux memfd,
    elsewhere an unlinked temporary file (mapped the same way)."""
    try:
        fd = os.memfd_create("hrgraph-balance", 0)
    except AttributeError:  # not Linux
        with tempfile.TemporaryFile() as held:
            fd = os.dup(held.fileno())  # the file lives on in this descriptor once its name is gone
    os.ftruncate(fd, 16 * processes)
    os.set_inheritable(fd, True)
    return fd


class AcceptBalance:
    """One process's view of the shared slots: `accepting(n)` says whether to poll the socket now."""

    def __init__(self, fd: int, slot: int, processes: int) -> None:
        self.region = mmap.mmap(fd, 16 * processes)
        view = memoryview(self.region)
        # Per process: the connections it holds, and when it said so (CLOCK_MONOTONIC: one clock for all).
        self.held, self.stamps = view[:8 * processes].cast("q"), view[8 * processes:].cast("d")
        self.slot = slot
        self.others = [n for n in range(processes) if n != slot]
        self.declining_since: float | None = None
        self.answer, self.asked, self.due = True, -1, 0.0

    def least_loaded_sibling(self, now: float) -> int | None:
        """The fewest connections a live sibling holds (None: no live sibling)."""
        return min((self.held[n] for n in self.others if now - self.stamps[n] < STALE_S), default=None)

    def accepting(self, connections: int) -> bool:
        """True unless a live sibling holds fewer connections than `connections` and this process has not yet
        declined for `GRACE_S`; worked out again when the count changes or `RECHECK_S` has passed."""
        now = time.monotonic()
        if connections == self.asked and now < self.due:
            return self.answer
        self.held[self.slot], self.stamps[self.slot] = connections, now
        self.asked, self.due = connections, now + RECHECK_S
        least = self.least_loaded_sibling(now)
        if least is None or connections <= least:
            self.declining_since = None
        elif self.declining_since is None:
            self.declining_since = now
        self.answer = self.declining_since is None or now - self.declining_since >= GRACE_S
        return self.answer
