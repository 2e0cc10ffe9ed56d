"""The web layer: an app factory over the published builds, one blueprint per surface."""

from __future__ import annotations

from flask import Flask

from hrgraph.config import Settings
from hrgraph.store.base import Stores


def create_app(settings: Settings, stores: Stores) -> Flask:
    """Build the WSGI app over opened stores; no globals, so tests build as many as they like."""
    app = Flask(__name__)
    from hrgraph.web import blueprints, context, doccache, limits, resources, security

    context.install(app, settings, stores)  # read by routes through get_settings() / get_store()
    blueprints.register_all(app)  # each module owns its blueprint; errors answer in one shape
    security.install(app)  # CSP, nosniff, Referrer-Policy on every response; debug off
    limits.install(app)  # body cap (413), rate limiting (429), Retry-After
    doccache.install(app, settings, resources.document_path)  # kept documents answered before Flask
    return app


def serve(settings: Settings) -> None:
    """Serve the published build with waitress (a production WSGI server, never Flask's dev server),
    following each new publish (`store.follow`)."""
    import waitress

    from hrgraph.store.backends import open_store, reconcile_unless_building

    reconcile_unless_building(settings)  # finish a publish a kill interrupted
    stores = open_store(settings)
    app = create_app(settings, stores)
    print(f"hrgraph: serving build {stores.build_id} on http://{settings.host}:{settings.port}/", flush=True)
    behind_proxy = {"trusted_proxy": settings.trusted_proxy, "trusted_proxy_headers": {"x-forwarded-for"},
                    "clear_untrusted_proxy_headers": True} if settings.trusted_proxy else {}
    try:
        waitress.serve(app, host=settings.host, port=settings.port, threads=8, ident="hrgraph", **behind_proxy)
    finally:
        stores.close()
