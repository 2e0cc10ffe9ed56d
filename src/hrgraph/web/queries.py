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

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from hrgraph.store.base import Dataset, Limits, QueryError
from hrgraph.store.results import serialize, tabulate
from hrgraph.web import kept, limits, saved
from hrgraph.web.conneg import from_alias, negotiate, parse_accept, score
from hrgraph.web.context import get_settings, get_store
from hrgraph.web.describe import Presenter
from hrgraph.web.errors import Refused
from hrgraph.web.sparql import check_query, choose_format, with_cors

bp = Blueprint("queries", __name__)
bp.after_request(with_cors)  # every answer, errors included, is readable from any origin

HTML = "text/html"
QUERY_TEXT = "application/sparql-query"
RESERVED = ("format", "output", "run", "timeout")
MAX_VALUE = 2000
PARAM = re.compile(r"^#\s*param\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:[—–:-]+\s*(.*))?$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
LOOKS_LIKE_IRI = re.compile(r"^(https?|urn|ftp|mailto):", re.IGNORECASE)  # then it must be a valid one
EXAMPLES_FORMATS = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SH = "http://www.w3.org/ns/shacl#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
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
    """The query text with the requested parameter values in place of the defaults, and the values used."""
    params = {p.name: p for p in params_of(query)}
    unknown = sorted(set(args) - set(params) - set(RESERVED))
    if unknown:
        known = ", ".join(params) or "none"
        raise Refused(400, f"unknown parameter {', '.join(unknown)} for query '{query.name}' "
                                 f"(its parameters: {known})")
    text, used = query.text, {}
    for name, param in params.items():
        if name in args:
            term = str(term_for(args[name]))
            text = values_clause(name).sub(lambda _m, n=name, t=term: f"VALUES ?{n} {{ {t} }}", text, count=1)
            used[name] = args[name].strip().strip("<>")
        else:
            used[name] = param.default.strip("<>")
    return text, used


# --- routes -----------------------------------------------------------------------------------------------

@bp.get("/queries")
@bp.get("/queries/")
def index() -> Response:
    """The saved queries: JSON for programs (the default), an HTML list for browsers."""
    queries = saved.load_all(get_settings().queries_dir)
    chosen = from_alias(request.args.get("format"), ("application/json", HTML)) if request.args.get("format") \
        else negotiate(request.headers.get("Accept"), ("application/json", HTML))
    if chosen is None:
        raise Refused(406, "the list of saved queries is offered as application/json or text/html")
    if chosen == HTML:
        items = [(q, params_of(q)) for q in queries]
        return html_response(render_template("queries.html", items=items))
    items = [{"name": q.name, "title": q.title, "description": q.description, "url": f"/queries/{q.name}",
              "text": f"/queries/{q.name}.rq", "parameters": [p.__dict__ for p in params_of(q)]} for q in queries]
    response = current_app.json.response(items)
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/queries/<name>")
def run_saved(name: str) -> Response:
    """The query run (`?NAME=value` binds a parameter), negotiated like any SPARQL result; `.rq` is its text."""
    as_text = name.endswith(".rq") or asks_for_text()
    found = saved.load(get_settings().queries_dir, name.removesuffix(".rq"))
    if found is None:
        raise Refused(404, f"no saved query named '{name}'; the list is at /queries")
    text, used = bind(found, request.args.to_dict())
    if as_text:
        return Response(text, content_type=f"{QUERY_TEXT}; charset=utf-8")
    return answer(found, text, used)


def asks_for_text() -> bool:
    """Whether the client names `application/sparql-query` itself (not through `*/*`)."""
    q, specificity = score(parse_accept(request.headers.get("Accept")), QUERY_TEXT)
    return q > 0 and specificity >= 2 or request.args.get("format") in ("rq", "sparql", QUERY_TEXT)


def answer(query: saved.SavedQuery, text: str, used: dict[str, str]) -> Response:
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
    fmt = request.args.get("format") or request.args.get("output")
    media_type = choose_format(result, fmt)
    if media_type == HTML:
        table = tabulate(result, get_settings().max_result_rows)
        return limits.mark_truncated(html_response(render_template(
            "query.html", q=query, params=params_of(query), used=used, table=table, text=text,
            p=Presenter(get_settings().base), links=format_links(query, used),
            editor="/sparql?" + urlencode({"query": text}))), result)
    body = serialize(result, media_type)
    textual = media_type.startswith("text/") or media_type.endswith(("xml", "json"))
    response = Response(body, content_type=f"{media_type}; charset=utf-8" if textual else media_type)
    response.headers["Vary"] = "Accept"
    return limits.mark_truncated(response, result)


def format_links(query: saved.SavedQuery, used: dict[str, str]) -> dict[str, str]:
    defaults = {p.name: p.default.strip("<>") for p in params_of(query)}
    chosen = {k: v for k, v in used.items() if defaults.get(k) != v}
    out = {}
    for fmt in ("json", "xml", "csv", "tsv"):
        out[fmt.upper()] = f"/queries/{query.name}?" + urlencode({**chosen, "format": fmt})
    out["SPARQL text"] = f"/queries/{query.name}.rq" + (f"?{urlencode(chosen)}" if chosen else "")
    return out


def html_response(body: str) -> Response:
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


# --- /.well-known/sparql-examples -------------------------------------------------------------------------

@bp.get("/.well-known/sparql-examples")
def examples() -> Response:
    """The saved queries as SHACL SPARQL executables (the SIB sparql-examples convention)."""
    offers = (*EXAMPLES_FORMATS, HTML)
    fmt = request.args.get("format")
    chosen = from_alias(fmt, offers) if fmt else negotiate(request.headers.get("Accept"), offers)
    if chosen is None:
        raise Refused(406, f"the examples are offered as {', '.join(offers)}")
    if chosen == HTML:
        return index()
    root = request.url_root.rstrip("/")
    triples = examples_rdf(saved.load_all(get_settings().queries_dir), root + "/.well-known/sparql-examples/",
                           root + "/sparql")
    rdf_format = ox.RdfFormat.from_media_type(chosen)
    prefixes = {"sh": SH, "rdfs": RDFS, "rdf": RDF, "schema": SCHEMA, "ex": root + "/.well-known/sparql-examples/"}
    body = ox.serialize(triples, format=rdf_format,
                        prefixes=None if chosen == "application/n-triples" else prefixes)
    textual = chosen.startswith("text/") or chosen.endswith("xml")
    response = Response(body, content_type=f"{chosen}; charset=utf-8" if textual else chosen)
    response.headers["Vary"] = "Accept"
    return response


def examples_rdf(queries: list[saved.SavedQuery], base: str, endpoint: str) -> list[ox.Triple]:
    """One `ex:NAME` per query; the prefixes their texts declare hang off one shared `ex:prefixes` node as
    `sh:declare` (with IRIs: the graph has no blank nodes)."""
    def node(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    a, prefixes = node(RDF + "type"), node(base + "prefixes")
    triples, declared = [], {}
    for q in queries:
        ex = node(base + q.name)
        triples += [
            ox.Triple(ex, a, node(SH + "SPARQLExecutable")),
            ox.Triple(ex, a, node(SH + "SPARQLSelectExecutable")),
            ox.Triple(ex, node(RDFS + "label"), ox.Literal(q.title, language="en")),
            ox.Triple(ex, node(RDFS + "comment"), ox.Literal(q.description, language="en")),
            ox.Triple(ex, node(SH + "select"), ox.Literal(without_header(q.text))),
            ox.Triple(ex, node(SCHEMA + "target"), node(endpoint)),
            ox.Triple(ex, node(SH + "prefixes"), prefixes),
        ]
        declared.update({prefix: namespace for prefix, namespace in PREFIX_DECL.findall(q.text)})
    for prefix, namespace in sorted(declared.items()):
        decl = node(f"{base}prefixes/{prefix or 'default'}")
        triples += [ox.Triple(prefixes, node(SH + "declare"), decl),
                    ox.Triple(decl, node(SH + "prefix"), ox.Literal(prefix)),
                    ox.Triple(decl, node(SH + "namespace"), ox.Literal(namespace, datatype=node(XSD + "anyURI")))]
    return triples


def without_header(text: str) -> str:
    """The query without its leading `#` comment lines (title, description, parameters)."""
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n".join(lines).strip() + "\n"
