"""The web layer: an app factory over an opened store, one blueprint per surface."""

from __future__ import annotations

from flask import Flask

from hrgraph.config import Settings
from hrgraph.store.base import Store


def create_app(settings: Settings, store: Store) -> Flask:
    """Build the WSGI app over an already opened store; no globals, so tests build as many as they like."""
    app = Flask(__name__)
    from hrgraph.web import context

    context.install(app, settings, store)  # read by routes through get_settings() / get_store()
    # Blueprints are registered by the modules that own them (sparql, resources, pages, downloads).
    from hrgraph.web import blueprints

    blueprints.register_all(app)
    from hrgraph.web import doccache, limits, resources, security

    security.install(app)  # CSP, nosniff, Referrer-Policy on every response; debug off
    limits.install(app)  # body cap (413), rate limiting (429), Retry-After
    doccache.install(app, settings, resources.document_path)  # kept documents answered before Flask
    return app


def serve(settings: Settings) -> None:
    """Serve the last published build with waitress (a production WSGI server, never Flask's dev server)."""
    import waitress

    from hrgraph.store.embedded import open_current, reconcile_published
    from hrgraph.store.pool import pooled

    if settings.store_backend == "remote":  # HRGRAPH_STORE=remote: a SPARQL 1.1 endpoint (HRGRAPH_SPARQL_URL)
        from hrgraph.store.remote import open_remote

        store = open_remote(settings)
    else:
        reconcile_published(settings.dist_dir, settings.store_dir)  # finish a publish a kill interrupted
        inner = open_current(settings.store_dir)
        store = pooled(inner, (settings.store_dir / "current").resolve(), settings)  # client queries in workers
    app = create_app(settings, store)
    print(f"hrgraph: serving build {store.build_id} on http://{settings.host}:{settings.port}/", flush=True)
    behind_proxy = {"trusted_proxy": settings.trusted_proxy, "trusted_proxy_headers": {"x-forwarded-for"},
                    "clear_untrusted_proxy_headers": True} if settings.trusted_proxy else {}
    waitress.serve(app, host=settings.host, port=settings.port, threads=8, ident="hrgraph", **behind_proxy)
