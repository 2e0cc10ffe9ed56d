"""The web layer: an app factory over the published builds, one blueprint per surface."""

from __future__ import annotations

import socket
from collections.abc import Callable

from flask import Flask

from hrgraph.config import Settings
from hrgraph.store.base import Stores


def create_app(settings: Settings, stores: Stores) -> Flask:
    """Build the WSGI app over opened stores; no globals, so tests build as many as they like."""
    app = Flask(__name__)
    from hrgraph.web import blueprints, context, kept, limits, security

    context.install(app, settings, stores)  # read by routes through get_settings() / get_store()
    kept.install(app, settings)  # answers computed once per build, shared by processes (web/kept.py)
    blueprints.register_all(app)  # each module owns its blueprint; errors answer in one shape
    security.install(app)  # CSP, nosniff, Referrer-Policy on every response; debug off
    limits.install(app)  # body cap (413), rate limiting (429), Retry-After
    return app


def serve(settings: Settings) -> None:
    """Serve the published build with waitress (a production WSGI server, never Flask's dev server),
    following each new publish (`store.follow`), in one process per core (`web.processes`)."""
    from hrgraph.store.backends import reconcile_unless_building
    from hrgraph.web import processes

    reconcile_unless_building(settings)  # finish a publish a kill interrupted
    count = processes.count(settings)
    if count > 1:
        processes.supervise(settings, count)
    else:
        run_server(settings)


def run_server(settings: Settings, sock: socket.socket | None = None,
               ready: Callable[[], None] | None = None) -> None:
    """One server process: the app over the opened stores, on `sock` (shared with other processes) or on
    the configured host and port; `ready` is called once the app is ready to serve."""
    import waitress

    from hrgraph.store.backends import open_store
    from hrgraph.web import warmup

    stores = open_store(settings)
    app = create_app(settings, stores)
    if settings.warmup:
        warmup.start(app)  # the saved queries of each build answered before anyone asks
    if sock is None:
        print(f"hrgraph: serving build {stores.build_id} on http://{settings.host}:{settings.port}/", flush=True)
    behind_proxy = {"trusted_proxy": settings.trusted_proxy, "trusted_proxy_headers": {"x-forwarded-for"},
                    "clear_untrusted_proxy_headers": True} if settings.trusted_proxy else {}
    where = {"sockets": [sock]} if sock is not None else {"host": settings.host, "port": settings.port}
    if ready is not None:
        ready()
    try:
        waitress.serve(app, threads=8, ident="hrgraph", **where, **behind_proxy)
    finally:
        stores.close()
