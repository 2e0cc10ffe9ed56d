"""The web layer: an app factory over the published builds, one blueprint per surface (`server` runs it)."""

from __future__ import annotations

from flask import Flask

from hrgraph.config import Settings
from hrgraph.store.base import Stores


def create_app(settings: Settings, stores: Stores) -> Flask:
    """Build the WSGI app over opened stores; no globals, so tests build as many as they like."""
    app = Flask(__name__)
    from hrgraph.web import blueprints, context, doccache, kept, limits, resources, security

    context.install(app, settings, stores)  # read by routes through get_settings() / get_store()
    kept.install(app, settings)  # answers computed once per build, shared by processes (web/kept.py)
    blueprints.register_all(app)  # each module owns its blueprint; errors answer in one shape
    security.install(app)  # CSP, nosniff, Referrer-Policy on every response; debug off
    limits.install(app)  # body cap (413), rate limiting (429), Retry-After
    doccache.install(app, settings, resources.document_path)  # kept documents answered before Flask
    return app
