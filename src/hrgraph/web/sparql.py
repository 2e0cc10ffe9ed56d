"""`/sparql`: the SPARQL 1.1 Protocol (query operation only), a Service Description and the query editor
(the saved queries are served by `hrgraph.web.queries`).

Read-only by construction (the store is opened read-only) and by policy: update requests are refused with
403 before reaching the store, and a query using `SERVICE` is refused with 400 before evaluation, so the
server never makes outgoing requests on a client's behalf.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from hrgraph.errors import HrgraphError
from hrgraph.formats import media
from hrgraph.model.namespaces import FORMATS, PREFIXES, SD
from hrgraph.model.vocab import RDF
from hrgraph.store import querytext
from hrgraph.store.base import Dataset, QueryError
from hrgraph.store.results import QueryResult, serialize, tabulate
from hrgraph.web import limits, saved, tables
from hrgraph.web.conneg import negotiate, pick
from hrgraph.web.context import get_settings, get_store
from hrgraph.web.errors import Refused
from hrgraph.web.responses import html_page, rdf_document

bp = Blueprint("sparql", __name__)

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
HTML = media.HTML.media_type
SD_FORMATS = media.RDF_DOCUMENT_FORMATS
DOWNLOADS = {f.media_type: f.extension for f in (media.CSV, media.TSV)}  # `format=csv`: a file to save
CORS = {"Access-Control-Allow-Origin": "*"}
RDF_TYPE = ox.NamedNode(str(RDF.type))
# Prefixes a query may use without declaring them: the one prefix table, in its order.
PREDECLARED = dict(PREFIXES)
ERROR_AT = re.compile(r"\berror at 1:(\d+)")
# What the editor opens with: the prefixes spelt out (the editor checks them) and a first question.
STARTER = "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in PREDECLARED.items() if name in (
    "hr", "rdfs", "skos", "schema", "dct", "prov", "oa", "eli", "xsd")) + """
# Persons recognised as political prisoners, with who recognised them and when
SELECT ?person ?name ?organisation ?date WHERE {
  ?recognition a hr:Recognition ; hr:person ?person ; hr:recognisedBy ?organisation .
  OPTIONAL { ?recognition hr:date ?date }
  ?person rdfs:label ?name .
} ORDER BY ?name LIMIT 100
"""


@dataclass(frozen=True)
class Operation:
    """What a protocol request asks for, independent of how it was sent."""

    query: str | None
    dataset: Dataset
    format: str | None  # the `format=` / `output=` override, as given


# --- reading a request ------------------------------------------------------------------------------------

def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise Refused(400, f"give exactly one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


def _check_charset() -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise Refused(415, f"the request body must be UTF-8, not {charset}")


def parse_request() -> Operation:
    """The operation of a GET, a form POST or a direct POST; Refused for anything else."""
    params = request.args
    if request.method == "POST":
        _check_charset()
        if request.mimetype == FORM:
            params = request.values  # form fields and query string: both may carry the dataset
        elif request.mimetype == UPDATE:
            raise Refused(403, "this endpoint is read-only: SPARQL Update is not accepted")
        elif request.mimetype != QUERY:
            given = request.mimetype or "no Content-Type"
            raise Refused(415, f"POST a query as {FORM} or {QUERY}, not {given}")
    if "update" in params:
        if "query" in params:
            raise Refused(400, "a request carries either 'query' or 'update', not both")
        raise Refused(403, "this endpoint is read-only: SPARQL Update is not accepted")
    query = _single(params.getlist("query"), "query")
    if request.method == "POST" and request.mimetype == QUERY:
        if query is not None:
            raise Refused(400, "a direct POST carries the query in its body, not also as 'query='")
        query = request.get_data(as_text=True)
        if not query.strip():
            raise Refused(400, "the request body holds no query")
    elif request.method == "POST" and query is None:
        raise Refused(400, "the form has no 'query' field")
    dataset = Dataset(tuple(params.getlist("default-graph-uri")), tuple(params.getlist("named-graph-uri")))
    return Operation(query, dataset, params.get("format") or params.get("output"))


# --- answering --------------------------------------------------------------------------------------------

@bp.route("/sparql", methods=["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
@bp.route("/sparql/", methods=["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return preflight()
    if request.method not in ("GET", "HEAD", "POST"):
        raise Refused(405, f"use GET or POST, not {request.method}", {"Allow": ALLOWED_METHODS})
    op = parse_request()
    if op.query is None:
        return describe_service(op)
    try:
        return answer(op.query, op.dataset, op.format)
    except HrgraphError as exc:
        if not prefers_html(op.format):
            raise  # the app's error handler answers, in the client's format
        # A person at the plain form: show the message above their query rather than a bare page.
        response = editor_page(query=op.query, status=exc.status, error=exc.what)
        if exc.retry_after is not None:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response


def prefers_html(fmt: str | None) -> bool:
    if fmt:
        return fmt.lower() in ("html", HTML)
    return negotiate(request.headers.get("Accept"), ("text/plain", HTML)) == HTML


def answer(query: str, dataset: Dataset, fmt: str | None) -> Response:
    """Evaluate a client's query and write the result in the negotiated format."""
    check_query(query)
    text, added = with_prefixes(query)
    try:
        # Relative IRIs resolve against the endpoint's own URL (SPARQL 1.1 Protocol: the service's BASE).
        result = limits.run_query(text, dataset, request.base_url)
    except QueryError as exc:
        raise Refused(400, f"malformed query: {shifted(exc.what, added)}") from exc
    media_type = choose_format(result, fmt)
    if media_type == HTML:
        return limits.mark_truncated(editor_page(query=query, result=result, status=200), result)
    response = result_response(result, media_type)
    if fmt and media_type in DOWNLOADS:  # a download link in the editor
        response.headers["Content-Disposition"] = f'attachment; filename="results.{DOWNLOADS[media_type]}"'
    return response


def result_response(result: QueryResult, media_type: str) -> Response:
    """A query's result written in `media_type`, marked `X-HRGraph-Truncated` when a cap cut it."""
    response = Response(serialize(result, media_type), content_type=media.content_type_for(media_type))
    response.headers["Vary"] = "Accept"
    return limits.mark_truncated(response, result)


def with_prefixes(query: str) -> tuple[str, int]:
    """The query with the predeclared prefixes (the one prefix table, model/namespaces.py) it uses without
    declaring them, and how many characters that added to its first line; Refused naming a prefix that is
    neither declared nor predeclared (rather than the parser's list of the characters it expected)."""
    used, declared = querytext.prefixes(query)
    unknown = sorted(used - declared - set(PREDECLARED))
    if unknown:
        name = unknown[0]
        raise Refused(400, f"unknown prefix {name or '(empty)'}: declare it before the query "
                           f"(PREFIX {name}: <…>), or use one of the prefixes predeclared here: "
                           f"{', '.join(p + ':' for p in PREDECLARED)}")
    return querytext.predeclare(query, PREDECLARED)


def shifted(message: str, added: int) -> str:
    """A parser message's column on line 1 as the client wrote the query, before prefixes were added to it."""
    if not added:
        return message
    return ERROR_AT.sub(lambda m: f"error at 1:{max(int(m.group(1)) - added, 1)}", message)


def check_query(query: str) -> None:
    """Refusals decided on the text alone, before any evaluation (and before any query worker sees it)."""
    excess = querytext.excess(query)
    if excess is not None and excess.bound == "nesting":
        raise Refused(400, f"the query nests too deeply: more than {querytext.MAX_NESTING} levels of {{ }}, ( ) "
                           f"and [ ] at line {excess.line}, column {excess.column}; flatten it")
    if excess is not None:
        raise Refused(400, f"the query is too large to evaluate safely: more than {querytext.MAX_ELEMENTS} triple "
                           f"patterns, operators and clauses, the next at line {excess.line}, column "
                           f"{excess.column}; split it, or put long lists in VALUES or IN (…), which do not count")
    if querytext.is_update(query):
        raise Refused(403, "this endpoint is read-only: SPARQL Update is not accepted")
    if querytext.uses_service(query):
        raise Refused(400, "SERVICE (federated query) is not allowed on this endpoint")


def choose_format(result: QueryResult, fmt: str | None) -> str:
    offers = (*result.media_types, HTML)
    chosen = pick(request.headers.get("Accept"), fmt, offers)
    if chosen is None and fmt:
        raise Refused(400, f"unknown format '{fmt}' for this query; use one of: {', '.join(offers)}")
    if chosen is None:
        raise Refused(406, f"none of the formats offered is acceptable: {', '.join(offers)}")
    return chosen


@bp.after_request
def with_cors(response: Response) -> Response:
    """Every answer of the endpoint (errors included: the handler's answers pass here too) is readable
    from any origin."""
    response.headers.update(CORS)
    return response


def preflight() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Allow"] = ALLOWED_METHODS
    return with_cors(response)


# --- service description and editor -----------------------------------------------------------------------

def describe_service(op: Operation) -> Response:
    """Without a query: the Service Description for machines, the editor for browsers."""
    if request.method == "POST":
        raise Refused(400, "the request has no query")
    offers = (*(f.media_type for f in SD_FORMATS), HTML)
    chosen = pick(request.headers.get("Accept"), op.format, offers)
    if chosen is None:
        raise Refused(406, f"none of the formats offered is acceptable: {', '.join(offers)}")
    if chosen == HTML:
        return editor_page()
    return rdf_document(service_description(request.base_url), media.by_offer(SD_FORMATS)[chosen],
                        prefixes={"sd": str(SD), "formats": str(FORMATS)})


def named_graphs() -> list[str]:
    rows = get_store().select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
    return [r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode)]


def service_description(endpoint_url: str) -> list[ox.Triple]:
    """sd:Service with its endpoint, language, result formats and default dataset (IRIs, no blank nodes)."""
    def sd(term: str) -> ox.NamedNode:
        return ox.NamedNode(str(SD[term]))

    service, dataset = ox.NamedNode(endpoint_url + "#service"), ox.NamedNode(endpoint_url + "#dataset")
    default_graph = ox.NamedNode(endpoint_url + "#default-graph")
    formats = [f.iri for f in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
                               ox.QueryResultsFormat.TSV)]
    formats += [f.rdf.iri for f in SD_FORMATS if f.rdf]
    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint_url)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, sd("Graph")),
    ]
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(iri)) for iri in formats]
    for n, name in enumerate(named_graphs(), start=1):
        node = ox.NamedNode(f"{endpoint_url}#named-graph-{n}")
        triples += [ox.Triple(dataset, sd("namedGraph"), node), ox.Triple(node, RDF_TYPE, sd("NamedGraph")),
                    ox.Triple(node, sd("name"), ox.NamedNode(name))]
    return triples


def yasgui_available() -> bool:
    """YASGUI is copied into static/ by `make` when npm is there; without it the page is a plain form."""
    static = Path(current_app.static_folder or "")
    return (static / "yasgui" / "yasgui.min.js").is_file() and (static / "yasgui" / "yasgui.min.css").is_file()


def editor_page(query: str | None = None, result: QueryResult | None = None, status: int = 200,
                error: str | None = None) -> Response:
    table = tabulate(result, get_settings().max_result_rows) if result is not None else None
    examples = saved.load_all(get_settings().queries_dir)
    text = query if query is not None else STARTER
    links = {fmt: "/sparql?" + urlencode({"query": query, "format": fmt}) for fmt in ("csv", "json")} if query else {}
    html = render_template("sparql.html", query=text, table=table, examples=examples, error=error,
                           p=tables.presenter(table), prefixes=PREDECLARED, starter=STARTER,
                           saved_json=[asdict(q) for q in examples],
                           yasgui=yasgui_available(), links=links, kind=result.kind if result else None,
                           permalink="/sparql?" + urlencode({"query": query}) if query else None)
    return html_page(html, status)
