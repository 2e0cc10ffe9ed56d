"""A concept scheme's concepts for people (`/vocab/{scheme}.html`): notation, labels, definitions and the
cross-walks to other schemes (`skos:closeMatch`, `skos:exactMatch`). The schemes as RDF are resources like
any other (`hrgraph.web.resources`: `/vocab/demand-type.ttl`)."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, Response, render_template

from hrgraph.model.namespaces import CANONICAL_BASE
from hrgraph.model.vocab import SKOS
from hrgraph.web.context import get_settings, get_store
from hrgraph.web.errors import Refused
from hrgraph.web.labels import local_name
from hrgraph.web.present import Presenter
from hrgraph.web.responses import html_page
from hrgraph.web.terms import sparql_iri

bp = Blueprint("vocabularies", __name__)

CONCEPT_FIELDS = " ".join(f"<{p}>" for p in (SKOS.prefLabel, SKOS.notation, SKOS.definition, SKOS.altLabel,
                                             SKOS.closeMatch, SKOS.exactMatch, SKOS.broader, SKOS.scopeNote))


@bp.get("/vocab/<scheme>.html")
def scheme_page(scheme: str) -> Response:
    iri = f"{CANONICAL_BASE}vocab/{scheme}"
    try:
        node = sparql_iri(iri)
    except ValueError:
        raise Refused(404, f"no concept scheme {scheme!r}") from None
    head = get_store().select(f"SELECT ?p ?o WHERE {{ {node} a <{SKOS.ConceptScheme}> ; ?p ?o FILTER(isLiteral(?o)) }}")
    if not head:
        raise Refused(404, f"no concept scheme {iri} in this dataset")
    about = {local_name(r["p"].value): r["o"].value for r in head}
    rows = get_store().select(f"""SELECT ?c ?p ?o WHERE {{ ?c <{SKOS.inScheme}> {node} .
      VALUES ?p {{ {CONCEPT_FIELDS} }} OPTIONAL {{ ?c ?p ?o }} }}""")
    concepts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        props = concepts[r["c"].value]
        if "o" in r and r["o"].value not in props[local_name(r["p"].value)]:
            props[local_name(r["p"].value)].append(r["o"].value)
    ordered = sorted(concepts.items(), key=lambda kv: (kv[1].get("notation", [""])[0], kv[0]))
    return html_page(render_template("scheme.html", iri=iri, scheme=scheme, about=about, concepts=ordered,
                                     p=Presenter(get_settings().base), alternates=[]))
