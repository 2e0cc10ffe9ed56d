"""`/health`: whether the store answers a query, which build it serves and how big it is."""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from rdflib.namespace import VOID

from hrgraph.web.context import get_store

bp = Blueprint("docs", __name__)


def triple_count() -> int | None:
    """The dataset's size as its VoID description states it (counted by the build), None when the served
    store has no VoID graph: counting here would walk the whole store (minutes at 10M triples), and a load
    balancer probes /health every few seconds."""
    rows = get_store().select(f"SELECT ?n WHERE {{ GRAPH ?g {{ ?d <{VOID.triples}> ?n ; <{VOID.uriSpace}> ?space }} }} "
                          "LIMIT 1")
    return int(rows[0]["n"].value) if rows else None


@bp.get("/health")
def health() -> Response:
    """200 with the build and its size when the store answers a query; 503 otherwise."""
    try:
        if not get_store().ask("ASK { ?s ?p ?o }"):
            raise RuntimeError("the store is empty")
        body, status = {"status": "ok", "build_id": get_store().build_id, "triples": triple_count()}, 200
    except Exception as exc:  # noqa: BLE001 — any failure of the store means "not healthy", never a 500
        body, status = {"status": "unavailable", "error": str(exc) or type(exc).__name__}, 503
    response = current_app.json.response(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
