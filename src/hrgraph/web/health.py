"""`/health`: whether this server can answer a client's query now, and which build it serves.

It runs a real query through the same path as `/sparql` (`Store.run`: the embedded store's query workers,
or the remote endpoint) under a short time limit, so a pool that lost its workers, a store that cannot be
read or an endpoint that is down answer 503, which is what a load balancer needs to know. The body names the
build (`build_id`) and its size as its VoID description states it, and says when a newly published build
could not be switched to (`following`: the server then keeps serving the one it has).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from rdflib.namespace import VOID

from hrgraph.errors import HrgraphError
from hrgraph.store.base import Limits, Store
from hrgraph.web.context import STORES, get_store

bp = Blueprint("health", __name__)

PROBE = "ASK { ?s ?p ?o }"
PROBE_LIMITS = Limits(timeout_s=10.0, max_rows=1, max_bytes=1024)


def triple_count(store: Store) -> int | None:
    """The dataset's size as its VoID description states it (counted by the build), None without one: counting
    here would walk the whole store (minutes at 10M triples), and a load balancer probes every few seconds."""
    rows = store.select(f"SELECT ?n WHERE {{ GRAPH ?g {{ ?d <{VOID.triples}> ?n ; <{VOID.uriSpace}> ?space }} }} "
                        "LIMIT 1")
    return int(rows[0]["n"].value) if rows else None


@bp.get("/health")
def health() -> Response:
    """200 with the build and its size when a client query is answered; 503 with the reason otherwise."""
    body: dict[str, object] = {"status": "ok"}
    status = 200
    try:
        store = get_store()
        body["build_id"] = store.build_id
        if store.run(PROBE, limits=PROBE_LIMITS).data != b"true":
            raise RuntimeError("the store is empty")
        body["triples"] = triple_count(store)
    except (HrgraphError, RuntimeError, OSError) as exc:  # a broken query path means "not healthy", not a 500
        message = exc.what if isinstance(exc, HrgraphError) else str(exc)
        body.update(status="unavailable", error=message or type(exc).__name__)
        status = 503
    if (problem := current_app.extensions[STORES].problem) is not None:
        body["following"] = problem
    response = current_app.json.response(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
