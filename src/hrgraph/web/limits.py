"""Limits a public endpoint needs: request body size (413), per-client rate (429 + Retry-After), and the
limits of client queries (time, rows, bytes) handed to the store.

- `MAX_CONTENT_LENGTH` is `Settings.max_body_bytes`; a larger body is answered 413 with the limit named.
- Rate limiting is a token bucket per client address (`rate_limit_per_s`, burst `rate_limit_burst`).
  Loopback clients are exempt unless `rate_limit_loopback` is set (tests, benchmarks, a local reverse
  proxy, which should then pass the real address on and do its own limiting).
- `timeout=` (seconds, as Fuseki and Virtuoso accept) may shorten the query time limit, never lengthen it.
- Each client's share of the query capacity (queries at once, strikes for runaways): `hrgraph.web.fairness`.
- A cut result carries `X-HRGraph-Truncated: rows=N` (the row cap) or `bytes=N` (the byte cap), N being
  the number of rows sent; 503 and 429 answers always carry `Retry-After`.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from hrgraph.config import Settings
from hrgraph.store.base import Dataset, Limits
from hrgraph.store.results import QueryResult
from hrgraph.web import errors
from hrgraph.web.context import SETTINGS, get_settings, get_store
from hrgraph.web.errors import Refused
from hrgraph.web.fairness import Fairness

TRUNCATED_HEADER = "X-HRGraph-Truncated"
FAIRNESS = "hrgraph_fairness"  # app.extensions key
RETRY_AFTER_DEFAULT = "5"
_MAX_CLIENTS = 10_000


# --- query limits -------------------------------------------------------------------------------------------

def requested_timeout() -> float | None:
    """The client's `timeout=` in seconds (a shorter limit), None when absent; Refused(400) when invalid."""
    raw = request.values.get("timeout") if request.method == "POST" else request.args.get("timeout")
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise Refused(400, f"timeout must be a positive number of seconds, not {raw[:40]!r}")
    return value


def run_query(query: str, dataset: Dataset, base_iri: str) -> QueryResult:
    """A client's query on this request's build, within the configured limits, the client's `timeout=` and its
    fair share (`fairness`). Raises the store's errors (QueryError, QueryTimeout, StoreError) and Refused, each
    carrying its HTTP status."""
    conf = get_settings()
    limits = Limits.of(conf).within(requested_timeout())
    client = request.remote_addr or "unknown"
    exempt = not conf.rate_limit_loopback and is_loopback(client)  # as from the rate limit
    with nullcontext() if exempt else current_app.extensions[FAIRNESS].admit(client):
        return get_store().run(query, dataset, limits, base_iri=base_iri)


def mark_truncated(response: Response, result: QueryResult) -> Response:
    if result.truncated:
        response.headers[TRUNCATED_HEADER] = result.truncated
    return response


# --- rate limiting ------------------------------------------------------------------------------------------

@dataclass
class Bucket:
    tokens: float
    stamp: float = field(default_factory=time.monotonic)


class RateLimiter:
    """Token buckets per client: `rate` tokens a second, at most `burst` saved up."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, max(1, burst)
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds until it could."""
        now = time.monotonic()
        with self._lock:
            if len(self._buckets) > _MAX_CLIENTS:
                self._forget_full(now)
            bucket = self._buckets.setdefault(client, Bucket(float(self.burst), now))
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        full = [c for c, b in self._buckets.items() if b.tokens + (now - b.stamp) * self.rate >= self.burst]
        for client in full:
            del self._buckets[client]


def is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def _check_rate(limiter: RateLimiter, exempt_loopback: bool) -> None:
    client = request.remote_addr or "unknown"
    if exempt_loopback and is_loopback(client):
        return
    wait = limiter.take(client)
    if wait > 0:
        retry = max(1, math.ceil(wait))
        raise Refused(429, f"too many requests from {client}: at most {limiter.rate:g} a second "
                           f"(bursts of {limiter.burst}); retry in {retry} s", retry_after=retry)


def _too_large(exc: RequestEntityTooLarge) -> Response:
    """Werkzeug's 413 with the limit named (an error handler answers: it cannot raise into the handler)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return errors.answer(Refused(413, f"the request body is larger than the limit of {limit} bytes; "
                                      "send a shorter query (or use GET for a short one)"))


def _retry_after(response: Response) -> Response:
    if response.status_code in (429, 503) and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = RETRY_AFTER_DEFAULT
    if response.status_code in (429, 503, 504) or TRUNCATED_HEADER in response.headers:
        response.headers["Access-Control-Expose-Headers"] = f"Retry-After, {TRUNCATED_HEADER}"
    return response


def install(app: Flask) -> None:
    """Body cap, rate limiting and Retry-After on every route of `app`."""
    conf: Settings = app.config[SETTINGS]
    app.extensions[FAIRNESS] = Fairness.of(conf)
    app.config["MAX_CONTENT_LENGTH"] = conf.max_body_bytes
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.after_request(_retry_after)
    if conf.rate_limit_per_s > 0:
        limiter = RateLimiter(conf.rate_limit_per_s, conf.rate_limit_burst)
        app.before_request(lambda: _check_rate(limiter, not conf.rate_limit_loopback))
