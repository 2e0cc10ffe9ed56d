"""Fair shares of the query capacity: one client cannot starve the others.

Client queries (`/sparql`, saved queries) are admitted per client address:
- **at once**: a client runs at most `per_client` queries at a time (default: one fewer than the query
  workers, at least one), so some capacity is always left for the others; one more is refused at once with
  429 and `Retry-After`, instead of queueing behind its own runaway queries.
- **strikes**: a query that runs out of time or stops its worker (too much memory, an engine crash) is a
  strike; a client with `strikes` of them within `penalty_s` seconds has its queries refused (429) for
  `penalty_s` seconds, so a client spamming queries that crash workers cannot keep the pool restarting.

Pages and the web layer's own queries are not counted (they are cheap and bounded). Loopback clients are
exempt, as from the rate limit, unless `rate_limit_loopback` is set; behind a load balancer
(`HRGRAPH_TRUSTED_PROXY`) the client is the address it forwards. State is kept per address for at most
`_MAX_CLIENTS` addresses; idle ones are forgotten first.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from hrgraph.config import Settings
from hrgraph.store.base import QueryCrashed, QueryTimeout
from hrgraph.web.errors import Refused

_MAX_CLIENTS = 10_000
RETRY_BUSY_S = 2  # Retry-After for a client at its limit of queries at once


@dataclass
class _Client:
    running: int = 0
    strikes: deque[float] = field(default_factory=deque)
    refused_until: float = 0.0

    def idle(self, now: float) -> bool:
        return not self.running and not self.strikes and self.refused_until <= now


class Fairness:
    def __init__(self, per_client: int, strikes: int, penalty_s: float) -> None:
        self.per_client, self.strikes, self.penalty_s = max(1, per_client), strikes, penalty_s
        self._clients: dict[str, _Client] = {}
        self._lock = threading.Lock()

    @classmethod
    def of(cls, settings: Settings) -> Fairness:
        per_client = settings.query_per_client or max(1, settings.query_workers - 1)
        return cls(per_client, settings.query_strikes, settings.query_penalty_s)

    @contextmanager
    def admit(self, client: str) -> Iterator[None]:
        """Run one query of `client` (Refused 429 when it may not now); a timeout or a crash is a strike."""
        self._enter(client)
        try:
            yield
        except (QueryTimeout, QueryCrashed):
            self._strike(client)
            raise
        finally:
            with self._lock:
                self._clients[client].running -= 1

    def _enter(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._clients) > _MAX_CLIENTS:
                self._clients = {c: s for c, s in self._clients.items() if not s.idle(now)}
            state = self._clients.setdefault(client, _Client())
            if state.refused_until > now:
                wait = math.ceil(state.refused_until - now)
                raise Refused(429, f"queries from {client} ran out of time or stopped a query worker {self.strikes} "
                                   f"times within {self.penalty_s:g} s, so they are refused for {wait} s more; "
                                   "narrow them (a LIMIT, fewer unbound patterns, a bounded path)", retry_after=wait)
            if state.running >= self.per_client:
                raise Refused(429, f"{client} already runs {state.running} quer{'y' if state.running == 1 else 'ies'}: "
                                   f"at most {self.per_client} at once per client, so others keep their share; "
                                   "send the next one when one has finished", retry_after=RETRY_BUSY_S)
            state.running += 1

    def _strike(self, client: str) -> None:
        if self.strikes <= 0:
            return
        now = time.monotonic()
        with self._lock:
            state = self._clients[client]
            state.strikes.append(now)
            while state.strikes and state.strikes[0] < now - self.penalty_s:
                state.strikes.popleft()
            if len(state.strikes) >= self.strikes:
                state.refused_until, state.strikes = now + self.penalty_s, deque()
