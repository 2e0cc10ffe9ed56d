"""The one place that lists the web surfaces; each module owns its blueprint."""

from __future__ import annotations

from flask import Flask

from hrgraph.web import (
    crossref,
    downloads,
    errors,
    graphstore,
    health,
    indexes,
    ontology,
    pages,
    queries,
    reconcile,
    resources,
    search,
    shapes,
    sparql,
    vocabularies,
)


def register_all(app: Flask) -> None:
    errors.install(app)  # one handler: our errors, Flask's own 404/405 and anything unexpected, one shape
    # resources last: it answers every other path
    for module in (sparql, queries, ontology, vocabularies, shapes, health, graphstore, downloads, pages, indexes,
                   search, reconcile, crossref, resources):
        app.register_blueprint(module.bp)
