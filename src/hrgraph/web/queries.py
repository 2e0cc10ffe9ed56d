"""Saved queries as a web surface: `/queries` (the list), `/queries/NAME` (the query run, in every SPARQL
results format and as an HTML table), `/queries/NAME.rq` (its text) and `/.well-known/sparql-examples`
(the same queries as RDF, in the SIB sparql-examples convention: `sh:SPARQLExecutable` +
`sh:SPARQLSelectExecutable`, `sh:select`, `rdfs:comment`, `schema:target` the endpoint).

Parameters: a query declares `# param: NAME — what it is` and binds `?NAME` by a one-value
`VALUES ?NAME { <default> }`; a request `?NAME=<IRI>` (or a plain string) replaces that VALUES clause.
The value is validated (an IRI pyoxigraph accepts, or a plain literal), then written by pyoxigraph's own
term serializer, so nothing from the request is ever spliced into the query as text.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request
from rdflib.namespace import RDF, RDFS, SDO, SH, XSD

from hrgraph.formats import media
from hrgraph.store.base import Dataset, Limits, QueryError
from hrgraph.store.results import Table, serialize, tabulate
from hrgraph.web import kept, limits, lists, query_params, saved, tables
from hrgraph.web.conneg import negotiate, parse_accept, pick, score
from hrgraph.web.context import get_settings, get_store
from hrgraph.web.errors import Refused
from hrgraph.web.lookup import catalogue
from hrgraph.web.responses import html_page, rdf_document
from hrgraph.web.sparql import check_query, choose_format, result_response, with_cors

bp = Blueprint("queries", __name__)
bp.after_request(with_cors)  # every answer, errors included, is readable from any origin

HTML, JSON = media.HTML.media_type, media.JSON.media_type
QUERY_TEXT = media.SPARQL_QUERY.media_type
RESERVED = ("format", "output", "run", "timeout")
EXTENSIONS = ("rq", "csv", "json", "tsv", "xml", "html")
MAX_VALUE = 2000
PARAM = re.compile(r"^#\s*param\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:[—–:-]+\s*(.*))?$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
LOOKS_LIKE_IRI = re.compile(r"^(https?|urn|ftp|mailto):", re.IGNORECASE)  # then it must be a valid one

PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    default: str  # the term in the VALUES clause, as written


# --- parameters -------------------------------------------------------------------------------------------

def values_clause(name: str) -> re.Pattern[str]:
    return re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{([^{}]*)\}")


def params_of(query: saved.SavedQuery) -> list[Param]:
    """The parameters a query declares in its header and binds with a one-value VALUES clause."""
    out = []
    for line in query.text.splitlines():
        if not line.startswith("#"):
            break
        m = PARAM.match(line)
        clause = values_clause(m.group(1)).search(query.text) if m else None
        if m and clause:
            out.append(Param(m.group(1), (m.group(2) or "").strip(), clause.group(1).strip()))
    return out


def term_for(raw: str) -> ox.NamedNode | ox.Literal:
    """A request value as an RDF term: `<IRI>` or `scheme:...` is an IRI, anything else a plain literal."""
    value = raw.strip()
    if not value or len(value) > MAX_VALUE:
        raise Refused(400, f"a parameter value must be 1 to {MAX_VALUE} characters long")
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    elif not SCHEME.match(value) and not LOOKS_LIKE_IRI.match(value):
        return ox.Literal(value)
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise Refused(400, f"not a valid IRI: {value!r} ({exc})") from exc


def bind(query: saved.SavedQuery, args: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The query text with the requested parameter values in place of the defaults, and the values used (an
    entity given by name or key as the IRI it resolved to)."""
    params = {p.name: p for p in params_of(query)}
    unknown = sorted(set(args) - set(params) - set(RESERVED))
    if unknown:
        known = ", ".join(params) or "none"
        raise Refused(400, f"unknown parameter {', '.join(unknown)} for query '{query.name}' "
                                 f"(its parameters: {known})")
    text, used = query.text, {}
    for name, param in params.items():
        if name in args:
            value = entity(name, param, args[name])
            term = str(term_for(value))
            text = values_clause(name).sub(lambda _m, n=name, t=term: f"VALUES ?{n} {{ {t} }}", text, count=1)
            used[name] = value.strip().strip("<>")
        else:
            used[name] = param.default.strip("<>")
    return text, used


def entity(name: str, param: Param, raw: str) -> str:
    """A parameter that takes an entity (its default is one), given by name, key, path or IRI, as `<IRI>`
    (web/query_params.py); any other parameter's value as given."""
    kind = query_params.kind_of(param.default)
    value = raw.strip()
    if kind is None or not value or len(value) > MAX_VALUE or query_params.LOOKS_LIKE_IRI.match(value):
        return raw  # an IRI is taken as given (and checked as one); nothing to look up
    try:
        return f"<{query_params.resolve(catalogue(), name, value, kind)}>"
    except query_params.Unresolved as exc:
        raise Refused(400, str(exc)) from None


# --- routes -----------------------------------------------------------------------------------------------

@bp.get("/queries")
@bp.get("/queries/")
@bp.get("/queries.<ext>")
def index(ext: str | None = None) -> Response:
    """The saved queries: JSON for programs (the default), an HTML list for browsers (`.json`, `.html`)."""
    queries = saved.load_all(get_settings().queries_dir)
    if ext is not None and ext not in ("json", "html"):
        raise Refused(404, f"the list of saved queries is offered as /queries.json or /queries.html, not .{ext}")
    named = {"json": JSON, "html": HTML}.get(ext or "") or request.args.get("format")
    chosen = pick(request.headers.get("Accept"), named, (JSON, HTML))
    if chosen is None:
        raise Refused(406, f"the list of saved queries is offered as {JSON} or {HTML}")
    if chosen == HTML:
        items = [(q, params_of(q)) for q in queries]
        return html_page(render_template("queries.html", items=items))
    items = [{"name": q.name, "title": q.title, "description": q.description, "url": f"/queries/{q.name}",
              "text": f"/queries/{q.name}.rq", "parameters": [p.__dict__ for p in params_of(q)]} for q in queries]
    response = current_app.json.response(items)
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/queries/<name>")
def run_saved(name: str) -> Response:
    """The query run (`?NAME=value` binds a parameter), negotiated like any SPARQL result, or in the format its
    extension names (`.csv`, `.json`, `.tsv`, `.xml`, `.html`); `.rq` is its text."""
    stem, dot, ext = name.rpartition(".")
    ext = ext.lower() if dot and ext.lower() in EXTENSIONS else ""
    name = stem if ext else name
    as_text = ext == "rq" or asks_for_text()
    found = saved.load(get_settings().queries_dir, name)
    if found is None:
        raise Refused(404, f"no saved query named '{name}'; the list is at /queries")
    fmt = (ext if ext != "rq" else None) or request.args.get("format") or request.args.get("output")
    try:
        text, used = bind(found, request.args.to_dict())
    except Refused as exc:
        if as_text or not wants_html(fmt):
            raise
        return page(found, found.text, {}, None, exc.what, exc.status)  # the form again, with what was wrong
    if as_text:
        return Response(text, content_type=media.SPARQL_QUERY.content_type)
    return answer(found, text, used, fmt)


def wants_html(fmt: str | None) -> bool:
    return fmt == "html" if fmt else negotiate(request.headers.get("Accept"), ("text/plain", HTML)) == HTML


def asks_for_text() -> bool:
    """Whether the client names `application/sparql-query` itself (not through `*/*`)."""
    q, specificity = score(parse_accept(request.headers.get("Accept")), QUERY_TEXT)
    return q > 0 and specificity >= 2 or request.args.get("format") in ("rq", "sparql", QUERY_TEXT)


def answer(query: saved.SavedQuery, text: str, used: dict[str, str], fmt: str | None) -> Response:
    check_query(text)
    # A saved query's answer is fixed until the next publish: computed once per build (web/kept.py). Its
    # IRIs are absolute (bound parameters must be), so the text alone is the key.
    store, memory, caps = get_store(), kept.of(current_app), Limits.of(get_settings())
    if (result := kept.result_of(memory, store, text, caps)) is None:
        try:  # in the query workers, under the same limits as /sparql: a saved query can be slow at scale too
            result = limits.run_query(text, Dataset(), request.url_root.rstrip("/") + "/sparql")
        except QueryError as exc:
            raise Refused(400, f"the saved query failed: {exc.what}") from exc
        kept.keep_result(memory, store, text, caps, result)
    media_type = choose_format(result, fmt)
    if media_type == HTML:
        table = tabulate(result, get_settings().max_result_rows)
        return limits.mark_truncated(page(query, text, used, table), result)
    if media_type == media.CSV.media_type:  # a download for a spreadsheet: the writer that writes no formula
        return limits.mark_truncated(lists.csv_response(*csv_rows(serialize(result, media_type)), query.name), result)
    return result_response(result, media_type)


def csv_rows(body: bytes) -> tuple[list[str], list[list[str]]]:
    """The engine's SPARQL CSV as a header and rows (a boolean result is one cell)."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    return (rows[0], rows[1:]) if rows else ([], [])


def page(query: saved.SavedQuery, text: str, used: dict[str, str], table: Table | None, error: str = "",
         status: int = 200) -> Response:
    body = render_template("query.html", q=query, params=params_of(query), used=used, table=table, text=text,
                           p=tables.presenter(table, used.values()), links=format_links(query, used), error=error,
                           asked=request.args, editor="/sparql?" + urlencode({"query": text}))
    return html_page(body, status)


def format_links(query: saved.SavedQuery, used: dict[str, str]) -> dict[str, str]:
    defaults = {p.name: p.default.strip("<>") for p in params_of(query)}
    chosen = {k: v for k, v in used.items() if defaults.get(k) != v}
    query_string = f"?{urlencode(chosen)}" if chosen else ""
    out = {fmt.upper(): f"/queries/{query.name}.{fmt}{query_string}" for fmt in ("csv", "json", "xml", "tsv")}
    out["SPARQL text"] = f"/queries/{query.name}.rq{query_string}"
    return out


# --- /.well-known/sparql-examples -------------------------------------------------------------------------

@bp.get("/.well-known/sparql-examples")
def examples() -> Response:
    """The saved queries as SHACL SPARQL executables (the SIB sparql-examples convention)."""
    offers = (*(f.media_type for f in media.RDF_DOCUMENT_FORMATS), HTML)
    chosen = pick(request.headers.get("Accept"), request.args.get("format"), offers)
    if chosen is None:
        raise Refused(406, f"the examples are offered as {', '.join(offers)}")
    if chosen == HTML:
        return index()
    root = request.url_root.rstrip("/")
    triples = examples_rdf(saved.load_all(get_settings().queries_dir), root + "/.well-known/sparql-examples/",
                           root + "/sparql")
    # schema: is https://schema.org/ here, as in the SIB convention (the data's is http://schema.org/).
    prefixes = {"sh": str(SH), "rdfs": str(RDFS), "rdf": str(RDF), "schema": str(SDO),
                "ex": root + "/.well-known/sparql-examples/"}
    return rdf_document(triples, media.by_offer(media.RDF_DOCUMENT_FORMATS)[chosen], prefixes=prefixes)


def examples_rdf(queries: list[saved.SavedQuery], base: str, endpoint: str) -> list[ox.Triple]:
    """One `ex:NAME` per query; the prefixes their texts declare hang off one shared `ex:prefixes` node as
    `sh:declare` (with IRIs: the graph has no blank nodes)."""
    def node(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    a, prefixes = node(RDF.type), node(base + "prefixes")
    triples, declared = [], {}
    for q in queries:
        ex = node(base + q.name)
        triples += [
            ox.Triple(ex, a, node(SH.SPARQLExecutable)),
            ox.Triple(ex, a, node(SH.SPARQLSelectExecutable)),
            ox.Triple(ex, node(RDFS.label), ox.Literal(q.title, language="en")),
            ox.Triple(ex, node(RDFS.comment), ox.Literal(q.description, language="en")),
            ox.Triple(ex, node(SH.select), ox.Literal(without_header(q.text))),
            ox.Triple(ex, node(SDO.target), node(endpoint)),
            ox.Triple(ex, node(SH.prefixes), prefixes),
        ]
        declared.update({prefix: namespace for prefix, namespace in PREFIX_DECL.findall(q.text)})
    for prefix, namespace in sorted(declared.items()):
        decl = node(f"{base}prefixes/{prefix or 'default'}")
        triples += [ox.Triple(prefixes, node(SH.declare), decl),
                    ox.Triple(decl, node(SH.prefix), ox.Literal(prefix)),
                    ox.Triple(decl, node(SH.namespace), ox.Literal(namespace, datatype=node(XSD.anyURI)))]
    return triples


def without_header(text: str) -> str:
    """The query without its leading `#` comment lines (title, description, parameters)."""
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n".join(lines).strip() + "\n"
