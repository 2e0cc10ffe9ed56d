"""The one place that lists the web surfaces; each module owns its blueprint."""

from __future__ import annotations

from flask import Flask

from hrgraph.web import (
    citation,
    crossref,
    downloads,
    errors,
    graphstore,
    health,
    indexes,
    ontology,
    pages,
    queries,
    readable,
    reconcile,
    record_pages,
    resources,
    search,
    shapes,
    sparql,
    vocabularies,
)


def register_all(app: Flask) -> None:
    citation.install(app)  # every page: the licence and how to cite
    readable.install(app)  # property tables named for people
    record_pages.install(app)  # dates in words, links to other sites by their address
    search.install(app)  # search boxes as long as a search may be
    errors.install(app)  # one handler: our errors, Flask's own 404/405 and anything unexpected, one shape
    # resources last: it answers every other path
    for module in (sparql, queries, ontology, vocabularies, shapes, health, graphstore, downloads, pages, indexes,
                   search, reconcile, crossref, resources):
        app.register_blueprint(module.bp)
