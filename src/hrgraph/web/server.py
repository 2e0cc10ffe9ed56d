"""`hrgraph serve`: the app under waitress, hardened against slow and idle connections.

Waitress reads each request in its event loop and hands only whole requests to its 8 threads, so a slow
client costs a connection, not a thread. What it lacks on its own is a bound on how long a request may take
to arrive (its `channel_timeout` counts *inactivity*: a client trickling a header byte every few seconds is
never idle) and a bound per client address (its `connection_limit` is global: at the stock 100, 101 slow
sockets made every normal request wait: 101 sockets trickling headers made every normal request time out, as
`tests/web/test_slow_clients.py` shows with the stock settings). So this server:

- accepts up to `HRGRAPH_CONNECTIONS` connections (1,000; `poll`, not `select`, so descriptors past 1,024
  work, and the open-files limit is raised to fit);
- disconnects a client that has not finished sending a request `HRGRAPH_REQUEST_TIMEOUT` seconds after its
  first byte (checked every second), and one idle between requests for 60 s;
- closes at once a client address's connections beyond `HRGRAPH_CONNECTIONS_PER_CLIENT` (not behind
  `HRGRAPH_TRUSTED_PROXY`: there every connection comes from the proxy, which should limit its clients; and
  loopback clients are exempt unless `HRGRAPH_RATE_LIMIT_LOOPBACK` is set, as from the rate limit).

It also keeps waitress's event loop from spinning on a connection whose output a task thread is sending
(`GuardedChannel.writable`), and among several processes accepts only its share of new connections
(`web.balance`).

A request the app can answer at once (`prepare`: a resource document already rendered for this build) is
served in the event loop itself, as soon as it has arrived, and never handed to a task thread. The handoff
costs more than the answer: waking a thread, and the GIL passed to it and back. Worse, in a thread the
answer's own read of the kept file gives the GIL up and has to win it back from the other threads. On a
saturated machine that wait is what made the tail. Measured at 1M triples, c=8, two processes, two
alternated runs each, persons rendered ahead (first request, read from the kept file): HTML 4,313-8,652 req/s
with p99 4-108 ms in a thread, 10,065-10,619 req/s with p99 4-5 ms from the loop; documents in memory 6,922-7,306
→ 14,946-14,964 req/s. Documents rendered on demand were served as before (they still go to a thread).

Decision: waitress with these bounds, not a front server we would have to ship and configure. Behind a load
balancer or on the open internet, a front server (nginx: `client_header_timeout`, `limit_conn`) is still
the place for per-client limits at scale; the README says so.
"""

from __future__ import annotations

import logging
import resource
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import WSGITask

from hrgraph.config import Settings, freeze_long_lived, limit_malloc_arenas, return_large_blocks
from hrgraph.web.balance import AcceptBalance
from hrgraph.web.doccache import Prepare
from hrgraph.web.limits import is_loopback

log = logging.getLogger(__name__)
IDLE_TIMEOUT_S = 60  # between two requests of a kept-alive connection
CHECK_EVERY_S = 1  # how often connections are checked against the timeouts
THREADS = 8
AT_ONCE_MAX_BYTES = 1 << 20  # a response written from the loop; never above half waitress's high watermark,
#                              where a write waits for the loop to send (from the loop: forever)


class PreparedTask(WSGITask):
    """Waitress's task, on the WSGI environ the server's `prepare` already saw, when it saw one (so the app
    finds what `prepare` left there, and the environ is not made twice)."""

    def get_environment(self) -> dict[str, Any]:
        if self.environ is None:
            self.environ = getattr(self.request, "prepared_environ", None)
        return super().get_environment()  # type: ignore[no-any-return]


class GuardedChannel(HTTPChannel):
    """A connection that must send each request within the server's `request_timeout_s` of its first byte."""

    task_class = PreparedTask
    request_started: float | None = None  # when the request being received began (None: between requests)
    serve_now = False  # the request first in line is answered by the loop, once it has read what came in

    def __init__(self, server: GuardedServer, sock: Any, addr: Any, adj: Any, map: Any = None) -> None:
        super().__init__(server, sock, addr, adj, map=map)
        if server.over_client_limit(addr):
            self.will_close = True  # closed by the loop before anything is read

    def writable(self) -> bool:
        """Waitress's answer, except while a task thread holds the output lock (it is writing and sending this
        very moment, and pulls the trigger if it leaves bytes unsent): waitress's loop asked for POLLOUT then,
        got it at once, found the lock taken and asked again, 47-80 times per page rendered at c=8, holding
        the GIL the task thread needed to finish."""
        if not super().writable():
            return False
        if not self.requests or self.will_close or self.close_when_flushed:
            return True
        if self.outbuf_lock.acquire(False):
            self.outbuf_lock.release()
            return True
        return False

    def handle_read(self) -> None:
        super().handle_read()
        while self.serve_now:  # set by the server's `add_task`, called while `received` held requests_lock
            self.serve_now = False
            self.service()  # writes the answer out; the next pipelined request goes through `add_task` again

    def received(self, data: bytes) -> bool:
        between = self.request is None
        done = super().received(data)
        if self.request is None:
            self.request_started = None
        elif between or self.request_started is None:
            self.request_started = time.time()
        return done


class GuardedServer(TcpWSGIServer):
    channel_class = GuardedChannel

    def __init__(self, app: Any, request_timeout_s: float, per_client: int, exempt_loopback: bool,
                 balance: AcceptBalance | None = None, prepare: Prepare | None = None, **adjustments: Any) -> None:
        self.request_timeout_s, self.per_client, self.exempt_loopback = request_timeout_s, per_client, exempt_loopback
        self.balance, self.prepare = balance, prepare
        self.loop_thread: int | None = None  # ident of the thread running the event loop, once it runs
        super().__init__(app, **adjustments)

    def run(self) -> None:
        self.loop_thread = threading.get_ident()
        super().run()

    def add_task(self, channel: GuardedChannel) -> None:
        """Hand the channel's first request to a task thread, unless the loop can answer it at once."""
        if self.answers_at_once(channel):
            channel.serve_now = True
        else:
            super().add_task(channel)

    def answers_at_once(self, channel: GuardedChannel) -> bool:
        """Whether the loop answers the channel's first request itself: only in the loop's own thread (a task
        thread that finished the request before calls this too), only when nothing of the connection waits to
        be sent, and only when the app's `prepare` says so, for a response small enough to be written without
        waiting."""
        if self.prepare is None or threading.get_ident() != self.loop_thread:
            return False
        request = channel.requests[0]
        if (request.error or channel.total_outbufs_len or not channel.connected or channel.will_close
                or channel.close_when_flushed):
            return False
        try:
            environ = channel.task_class(channel, request).get_environment()
            request.prepared_environ = environ  # made once, for the task that serves the request, here or not
            # While a task thread runs (a page rendered on demand), a read that gives up the GIL (the kept file)
            # would get it back only at that thread's switch interval, every connection of the process waiting:
            # measured at 10M triples, persons rendered on demand came ~10% slower. Memory only, then.
            idle = self.task_dispatcher.active_count == 0
            return self.prepare(environ, min(AT_ONCE_MAX_BYTES, self.adj.outbuf_high_watermark // 2), idle)
        except Exception:  # noqa: BLE001 - not the connection's fault: a task thread serves it, errors and all
            log.exception("a request could not be looked at in the event loop: left to a task thread")
            return False

    def readable(self) -> bool:
        """Whether the loop polls the socket for new connections: waitress's answer (below its connection
        limit), and among several processes, only while this one holds no more than its share (`web.balance`)."""
        ready = bool(super().readable())
        if self.balance is None:
            return ready
        return self.balance.accepting(len(self.active_channels)) and ready  # asked first: its count is published

    def over_client_limit(self, addr: Any) -> bool:
        if self.per_client <= 0 or self.adj.trusted_proxy or not addr:
            return False
        host = addr[0]
        if self.exempt_loopback and is_loopback(host):
            return False
        return sum(1 for c in list(self.active_channels.values()) if c.addr and c.addr[0] == host) > self.per_client

    def maintenance(self, now: float) -> None:
        super().maintenance(now)  # idle connections (channel_timeout)
        cutoff = now - self.request_timeout_s
        for channel in list(self.active_channels.values()):
            started = getattr(channel, "request_started", None)
            if started is not None and started < cutoff:
                channel.will_close = True


def _raise_open_files(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted,
                                                    hard))


def make_server(app: Any, settings: Settings, sock: socket.socket | None = None,
                balance: AcceptBalance | None = None, prepare: Prepare | None = None) -> GuardedServer:
    """The guarded server on the configured host and port, or on `sock` (bound by `web.processes` and shared
    by every server process, each taking its share of the connections by `balance`); `prepare` says which
    requests the event loop answers itself."""
    _raise_open_files(settings.connection_limit + 256)  # + the store's files, the workers' pipes
    behind_proxy = {"trusted_proxy": settings.trusted_proxy, "trusted_proxy_headers": {"x-forwarded-for"},
                    "clear_untrusted_proxy_headers": True} if settings.trusted_proxy else {}
    shared = {} if sock is None else {"_sock": sock, "bind_socket": False,
                                      "sockinfo": (sock.family, sock.type, sock.proto, sock.getsockname())}
    try:
        return GuardedServer(app, settings.request_timeout_s, settings.connections_per_client,
                             not settings.rate_limit_loopback, balance, prepare, host=settings.host, port=settings.port,
                             threads=THREADS, ident="hrgraph", connection_limit=settings.connection_limit,
                             channel_timeout=IDLE_TIMEOUT_S, cleanup_interval=CHECK_EVERY_S, asyncore_use_poll=True,
                             **shared, **behind_proxy)
    except OSError as exc:  # the port in use (one process: waitress binds it here)
        from hrgraph.web.processes import cannot_listen
        raise cannot_listen(settings, exc) from None


def serve(settings: Settings) -> None:
    """Serve the published build, following each new publish (`store.follow`), until interrupted: in one
    process per core (`web.processes`), or in this one."""
    from hrgraph.store.backends import reconcile_unless_building
    from hrgraph.web import processes

    limit_malloc_arenas()
    return_large_blocks()
    reconcile_unless_building(settings)  # finish a publish a kill interrupted
    count = processes.count(settings)
    if count > 1:
        processes.supervise(settings, count)
    else:
        run_server(settings)


def run_server(settings: Settings, sock: socket.socket | None = None,
               ready: Callable[[], None] | None = None, balance: AcceptBalance | None = None) -> None:
    """One server process: the app over the opened stores, on `sock` (shared with the other processes) or on
    the configured host and port; `ready` is called once the app is ready to serve."""
    from hrgraph.store.backends import open_store
    from hrgraph.web import create_app, doccache, pagecache, warmup

    stores = open_store(settings)
    try:
        app = create_app(settings, stores)
        pagecache.keep_resident(stores)  # the build's kept file and store files stay in RAM
        if settings.warmup:
            warmup.start(app)  # the saved queries and documents of each build answered before anyone asks
        server = make_server(app, settings, sock, balance, doccache.at_once(app))
        logging.basicConfig()  # waitress's own warnings (a growing task queue) reach the log
        if sock is None:
            print(f"hrgraph: serving build {stores.build_id} on http://{settings.host}:{server.effective_port}/",
                  flush=True)
        freeze_long_lived()  # what lives as long as the process is not walked by every full GC pass
        if ready is not None:
            ready()
        server.run()  # until SIGINT (waitress then stops its threads) or SIGTERM
    finally:
        stores.close()
