"""The one place that lists the web surfaces; each module owns its blueprint."""

from __future__ import annotations

from flask import Flask

from hrgraph.web import (
    crossref,
    docs,
    downloads,
    errors,
    graphstore,
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
    errors.install(app)  # Flask's own 404/405/500 answer in the same shape as ours
    # resources last: it answers every other path
    for module in (sparql, queries, ontology, vocabularies, shapes, docs, graphstore, downloads, pages, search,
                   reconcile, crossref):
        app.register_blueprint(module.bp)
    app.register_blueprint(resources.bp)
