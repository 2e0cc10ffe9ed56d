"""The one place that lists the web surfaces; each module owns its blueprint."""

from __future__ import annotations

from flask import Flask

from hrgraph.web import downloads, errors, pages, resources, sparql


def register_all(app: Flask) -> None:
    errors.install(app)  # Flask's own 404/405/500 answer in the same shape as ours
    for module in (sparql, downloads, pages, resources):  # resources last: it answers every other path
        app.register_blueprint(module.bp)
