"""The Reconciliation Service API 0.2 (W3C Entity Reconciliation CG) at `/reconcile`: what OpenRefine and other
tools use to match a spreadsheet's names against this graph.

    GET  /reconcile                              the service manifest
    GET|POST /reconcile  queries={...}           a reconciliation query batch → result batch
    GET|POST /reconcile  extend={...}            data extension (status, articles, recognitions, evidence …)
    GET  /reconcile/properties?type=             properties proposed for data extension
    GET  /reconcile/suggest/{entity,type,property}?prefix=&cursor=   auto-completion
    GET  /reconcile/flyout/entity?id=            a small HTML summary for a suggestion (JSON)
    GET  /reconcile/preview?id=                  an HTML preview to show in an iframe
    GET  /reconcile/view?id=                     → 303 to the entity's page

Entity ids are the graph's IRIs (a key or path is accepted too); types are the kinds of xref/catalogue.py,
by IRI (`https://w3id.org/hrgraph/ontology#Person`) or short name (`person`). Candidates and match flags come
from xref/matching.py; conditions (`properties` of a query) and extension properties from one table
(xref/properties.py). Incoming batches are validated with the specification's own JSON Schemas, so a malformed
batch gets a 400 naming the problem; more queries or ids than `HRGRAPH_RECONCILE_BATCH` get 413.

Every answer allows any origin (CORS, as the specification requires), and JSON answers to GET wrap in
`callback(...)` when asked (JSONP, which OpenRefine before 3.3 used). The preview may be framed by any site.

Errors take the app's one path (web/errors.py) and, but for the preview and view a browser opens, come as
JSON whatever the Accept (`{"error": {"status", "title", "message"}}`, with the HTTP status): the API speaks
JSON, and specification 0.2 defines no error document. They are not wrapped in a JSONP callback: a browser
runs no script answered with an error status, so a JSONP caller sees the failure as the script's error event.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from werkzeug.exceptions import RequestEntityTooLarge

from hrgraph.formats.media import JSON
from hrgraph.model.namespaces import HR
from hrgraph.web import errors, lookup
from hrgraph.web.errors import Refused
from hrgraph.web.lookup import catalogue, facet_index, settings, store
from hrgraph.web.present import Presenter
from hrgraph.web.search import checked_query
from hrgraph.xref.catalogue import KIND_BY_CLASS, KIND_BY_NAME, KINDS, Entity, Kind
from hrgraph.xref.matching import Candidate, Query, candidates
from hrgraph.xref.properties import BY_ID, PROPERTIES, Property, Ref

bp = Blueprint("reconcile", __name__)
CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,99}$")
SUGGESTIONS = 10
PREVIEW_SIZE = (420, 260)


BROWSER_PAGES = ("reconcile.preview", "reconcile.view")  # errors by Accept; every other answer is JSON


@bp.before_request
def _json_errors() -> None:
    if request.endpoint not in BROWSER_PAGES:
        errors.answer_errors_as(JSON)


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge) -> Response:
    return errors.answer(Refused(413, f"the request is larger than {settings().max_body_bytes:,} bytes "
                                      f"(HRGRAPH_MAX_BODY): send the queries in smaller batches (the manifest's "
                                      f"batchSize is {settings().reconcile_batch:,})"))


@bp.route("/reconcile", methods=["OPTIONS"])
@bp.route("/reconcile/<path:_rest>", methods=["OPTIONS"])
def _preflight(_rest: str = "") -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def answer(body: Any) -> Response:
    """JSON, or JSONP when a GET names a `callback`."""
    text = json.dumps(body, ensure_ascii=False)
    callback = request.args.get("callback") if request.method == "GET" else None
    if callback:
        if not CALLBACK.match(callback):
            raise Refused(400, "callback must be a JavaScript name (letters, digits, _ $ .; up to 100)")
        return Response(f"/**/{callback}({text});", mimetype="application/javascript")
    return Response(text, mimetype="application/json")


def schemas() -> dict[str, dict[str, Any]]:
    """The specification's JSON Schemas (copied from it into web/reconciliation/), by file name."""
    folder = resources.files("hrgraph.web") / "reconciliation"
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".json")}


def registry(found: dict[str, dict[str, Any]]) -> Registry:
    """The schemas by their `$id`, so `$ref`s between them (type.json, Swagger's) resolve offline."""
    return Registry().with_resources((s["$id"].rstrip("#"), Resource.from_contents(s, default_specification=DRAFT7))
                                     for s in found.values())


@lru_cache(maxsize=1)
def _validators() -> dict[str, Draft7Validator]:
    found = schemas()
    return {name: Draft7Validator(found[name], registry=registry(found))
            for name in ("reconciliation-query-batch.json", "data-extension-query.json")}


def _parsed(field: str, schema: str) -> Any:
    raw = request.values.get(field, "")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise Refused(400, f"{field} is not JSON: {exc.msg} at character {exc.pos}") from None
    error = next(iter(sorted(_validators()[schema].iter_errors(value), key=lambda e: list(e.path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise Refused(400, f"{field} is not a valid {schema.removesuffix('.json')} (at {where}): {error.message[:300]}")
    return value


@bp.route("/reconcile", methods=["GET", "POST"])
def service() -> Response:
    if "queries" in request.values:
        return answer(reconcile(_parsed("queries", "reconciliation-query-batch.json")))
    if "extend" in request.values:
        return answer(extend(_parsed("extend", "data-extension-query.json")))
    if request.method == "POST":  # a POST is a batch: answering it with the manifest would look like success
        body = "a JSON body" if request.is_json else "a body" if request.content_length else "nothing"
        raise Refused(400, f"POST /reconcile got {body} but no form field `queries` (a reconciliation query "
                           "batch) or `extend` (a data extension query): send them form-encoded "
                           "(application/x-www-form-urlencoded, as OpenRefine does), e.g. "
                           "queries={\"q0\": {\"query\": \"Kazak Zinaida\"}}; GET /reconcile is the manifest")
    return answer(manifest())


def _root() -> str:
    return request.host_url.rstrip("/")


def _type(kind: Kind) -> dict[str, str]:
    return {"id": kind.cls, "name": kind.title}


def manifest() -> dict[str, Any]:
    root = _root()
    suggest = {kind: {"service_url": root, "service_path": f"/reconcile/suggest/{kind}"}
               for kind in ("entity", "type", "property")}
    suggest["entity"]["flyout_service_path"] = "/reconcile/flyout/entity?id=${id}"
    return {
        "versions": ["0.2"],
        "name": "hrgraph — Belarusian human-rights documentation (political prisoners, charges, statements)",
        "identifierSpace": settings().base,
        "schemaSpace": str(HR),
        "documentation": f"{root}/xref",
        "defaultTypes": [_type(k) for k in KINDS],
        "view": {"url": f"{root}/reconcile/view?id={{{{id}}}}"},
        "preview": {"url": f"{root}/reconcile/preview?id={{{{id}}}}", "width": PREVIEW_SIZE[0],
                    "height": PREVIEW_SIZE[1]},
        "suggest": suggest,
        "extend": {"propose_properties": {"service_url": root, "service_path": "/reconcile/properties"},
                   "property_settings": [{"name": "limit", "label": "Values per cell", "type": "number",
                                          "default": 0, "help_text": "at most this many values (0: all)"}]},
        "batchSize": settings().reconcile_batch,
    }


# Local names a client may use for a kind beside ours: schema.org's and FOAF's (every hr:Person is also a
# schema:Person and a foaf:Person in the graph), and the US spelling.
LOCAL_NAMES = {"organization": "organisation", "legislation": "provision", "legalprovision": "provision"}


def _kinds(value: Any) -> tuple[str, ...]:
    """Kinds from a query's `type`: our class IRI, a kind's name (`person`), or any IRI or CURIE whose local name
    is one (`hr:Person`, `http://schema.org/Person`, `schema:Organization`)."""
    types = [value] if isinstance(value, str) else list(value or [])
    out = []
    for t in types:
        local = re.split(r"[#/:]", str(t).strip())[-1].lower()
        kind = KIND_BY_CLASS.get(t) or KIND_BY_NAME.get(LOCAL_NAMES.get(local, local)) or \
            next((k for k in KINDS if k.cls.rsplit("#", 1)[-1].lower() == local), None)
        if kind is None:
            names = ", ".join(f"{k.cls} ({k.name})" for k in KINDS)
            raise Refused(400, f"unknown type {str(t)[:100]!r}: the types are {names}")
        out.append(kind.name)
    return tuple(out)


def _conditions(props: list[dict[str, Any]]) -> tuple[tuple[Property, tuple[str, ...]], ...]:
    out = []
    for p in props:
        prop = BY_ID.get(p["pid"])
        if prop is None or not prop.conditional:
            usable = ", ".join(q.id for q in PROPERTIES if q.conditional)
            raise Refused(400, f"unknown property {p['pid'][:100]!r} in a query: match on {usable}")
        values = p["v"] if isinstance(p["v"], list) else [p["v"]]
        out.append((prop, tuple(str(v["id"]) if isinstance(v, dict) else str(v) for v in values)))
    return tuple(out)


def reconcile(batch: dict[str, Any]) -> dict[str, Any]:
    if len(batch) > settings().reconcile_batch:
        raise Refused(413, f"{len(batch):,} queries in one batch; at most {settings().reconcile_batch:,} "
                           "(the manifest's batchSize, HRGRAPH_RECONCILE_BATCH)")
    queries = []
    for key, q in batch.items():
        text = q.get("query", "")
        if text:
            text = checked_query(text, f"query {key!r}")
        limit = q.get("limit", 5)
        if not isinstance(limit, int | float) or limit < 1:
            raise Refused(400, f"query {key!r}: limit must be a positive integer")
        queries.append(Query(text, _kinds(q.get("type")), _conditions(q.get("properties", [])), min(int(limit), 100)))
    found = candidates(catalogue(), store(), queries, facet_index())
    return {key: {"result": [_candidate(c) for c in cs]} for key, cs in zip(batch, found, strict=True)}


def _candidate(c: Candidate) -> dict[str, Any]:
    e = c.hit.entity
    description = c.facts.summary() if c.facts is not None else e.description
    out: dict[str, Any] = {"id": e.iri, "name": e.name, "score": c.score, "match": c.match,
                           "type": [_type(e.kind)],
                           "features": [{"id": fid, "value": v} for fid, v in c.features]}
    if description:
        out["description"] = description
    return out


def extend(query: dict[str, Any]) -> dict[str, Any]:
    ids, wanted = query["ids"], query["properties"]
    if len(ids) > settings().reconcile_batch:
        raise Refused(413, f"{len(ids):,} ids in one extension; at most {settings().reconcile_batch:,}")
    props = []
    for p in wanted:
        prop = BY_ID.get(p["id"])
        if prop is None:
            raise Refused(400, f"unknown property {p['id'][:100]!r}: the properties are "
                               f"{', '.join(q.id for q in PROPERTIES)}")
        limit = (p.get("settings") or {}).get("limit", 0)
        try:
            limit = max(int(limit), 0)
        except (TypeError, ValueError):
            raise Refused(400, f"property {prop.id}: the limit setting must be a number") from None
        props.append((prop, limit))
    cat = catalogue()
    entities = {i: cat.get(i) for i in ids}
    persons = sorted({e.iri for e in entities.values() if e is not None and e.kind.name == "person"})
    facts = lookup.facts(persons)
    rows = {}
    for i, e in entities.items():
        f = facts.get(e.iri) if e is not None else None
        rows[i] = {prop.id: [_value(v) for v in (prop.values(f) if f else [])][:limit or None] for prop, limit in props}
    return {"meta": [_meta(prop) for prop, _ in props], "rows": rows}


def _meta(prop: Property) -> dict[str, Any]:
    return {"id": prop.id, "name": prop.name}


def _value(v: Ref | str | int) -> dict[str, Any]:
    if isinstance(v, Ref):
        return {"id": v.iri, "name": v.label}
    if isinstance(v, int):
        return {"int": v}
    return {"str": v}


@bp.get("/reconcile/properties")
def propose() -> Response:
    raw_type = request.args.get("type", "")
    kinds = _kinds(raw_type) if raw_type else ("person",)
    limit = request.args.get("limit", "")
    if limit and not limit.isdigit():
        raise Refused(400, f"limit must be a whole number, not {limit[:40]!r}")
    props = list(PROPERTIES) if "person" in kinds else []
    body: dict[str, Any] = {"type": raw_type or KIND_BY_NAME["person"].cls,
                            "properties": [{"id": p.id, "name": p.name, "description": p.description}
                                           for p in props]}
    if limit.isdigit():
        body["limit"] = int(limit)
        body["properties"] = body["properties"][:int(limit)]
    return answer(body)


def _page(items: list[dict[str, Any]]) -> Response:
    cursor = request.args.get("cursor", "0") or "0"
    if not cursor.isdigit():
        raise Refused(400, f"cursor must be a whole number of suggestions to skip, not {cursor[:40]!r}")
    start = int(cursor)
    return answer({"result": items[start:start + SUGGESTIONS]})


@bp.get("/reconcile/suggest/entity")
def suggest_entity() -> Response:
    prefix = checked_query(request.args.get("prefix"), "prefix")
    kinds = _kinds(request.args.get("type")) if request.args.get("type") else ()
    hits = catalogue().search(prefix, kinds, limit=200, prefix=True)
    return _page([{"id": h.entity.iri, "name": h.entity.name, "notable": [_type(h.entity.kind)],
                   **({"description": h.entity.description} if h.entity.description else {})} for h in hits])


def _matches(prefix: str, *texts: str) -> bool:
    words = prefix.lower().split()
    return all(any(t.lower().startswith(w) or f" {w}" in t.lower() for t in texts) for w in words)


@bp.get("/reconcile/suggest/type")
def suggest_type() -> Response:
    prefix = (request.args.get("prefix") or "").strip()
    return _page([_type(k) for k in KINDS if _matches(prefix, k.title, k.name, k.cls)])


@bp.get("/reconcile/suggest/property")
def suggest_property() -> Response:
    prefix = (request.args.get("prefix") or "").strip()
    return _page([{"id": p.id, "name": p.name, "description": p.description} for p in PROPERTIES
                  if _matches(prefix, p.name, p.id)])


def _entity() -> Entity:
    ident = request.args.get("id", "")
    if not ident:
        raise Refused(400, "id is missing: give an entity's IRI")
    entity = catalogue().get(ident)
    if entity is None:
        raise Refused(404, f"no entity {ident[:200]!r} in this graph")
    return entity


@bp.get("/reconcile/flyout/entity")
def flyout() -> Response:
    entity = _entity()
    html = render_template("reconcile_preview.html", e=entity, f=_facts(entity), p=Presenter(settings().base),
                           flyout=True)
    return answer({"id": entity.iri, "html": html})


def _facts(entity: Entity):  # noqa: ANN202 - PersonFacts or None
    return lookup.facts([entity.iri])[entity.iri] if entity.kind.name == "person" else None


@bp.get("/reconcile/preview")
def preview() -> Response:
    entity = _entity()
    html = render_template("reconcile_preview.html", e=entity, f=_facts(entity), p=Presenter(settings().base),
                           flyout=False, root=_root())
    response = Response(html, mimetype="text/html")
    response.hrgraph_framable = True  # type: ignore[attr-defined]  # shown in the client's iframe (security.py)
    return response


@bp.get("/reconcile/view")
def view() -> Response:
    entity = _entity()
    return redirect(Presenter(settings().base).href(entity.iri) or entity.iri, code=303)
