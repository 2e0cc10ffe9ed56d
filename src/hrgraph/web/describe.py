"""What a resource description is, as a fixed number of queries whatever the resource (never one per link).

1. `own`: the resource's triples, plus those of its fragment resources (`{iri}#target`, `#quote`, the
   `ontology#Term`s of `/ontology`), which live in the same document.
2. for a person or organisation, the claims and events about it (`hr:person` / `hr:organisation`);
   for a claim or event, itself;
3. the evidence of those: annotations with their `oa:exact` quote and source document;
4. the statements those were stated in (or that mention the resource) and the mechanisms they address;
5. one page of incoming links (`LIMIT page_size + 1` tells whether there is a next page);
6. the labels of everything named above, in one query.

The result is plain data: triples for the RDF twin and a few lookups the HTML templates use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from hrgraph.model.namespaces import HR, OA, PREFIXES
from hrgraph.store.base import Store, Term

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
ELI_TITLE = "http://data.europa.eu/eli/ontology#title"
RDFS_LABEL = RDFS + "label"
# Label properties in order of preference.
LABEL_PROPERTIES = (RDFS_LABEL, SKOS + "prefLabel", DCT + "title", ELI_TITLE, DCT + "identifier")
MAX_LABELLED = 2000
MAX_MENTIONS = 20  # statements that merely mention it; all of them are in the paged incoming links

AGENT_CLASSES = {str(HR.Person), str(HR.Organisation)}
CLAIM_CLASSES = {str(HR[c]) for c in ("Claim", "Recognition", "Charge", "Demand", "Submission", "Signature",
                                      "StatisticalClaim", "Event", "Detention", "Trial", "DeathInCustody",
                                      "Liquidation")}
STATEMENT_FIELDS = (RDF_TYPE, DCT + "title", str(HR.date), str(HR.addressedTo), DCT + "publisher",
                    str(HR.publishedBy), "http://www.w3.org/ns/prov#wasDerivedFrom", DCT + "issued")


def sparql_iri(iri: str) -> str:
    """An IRI as SPARQL text; NamedNode validates it (raises ValueError), so nothing can be injected."""
    return str(NamedNode(iri))


def sparql_string(text: str) -> str:
    return str(Literal(text))


@dataclass(frozen=True)
class Evidence:
    claim: str
    annotation: str
    exact: str
    source: str | None


@dataclass
class Description:
    iri: str
    page: int
    triples: list[Triple]  # own + fragments
    context: list[Triple] = field(default_factory=list)  # claims, statements, evidence around it
    incoming: list[tuple[str, str]] = field(default_factory=list)  # (subject, predicate), one page
    has_next: bool = False
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return bool(self.triples or self.incoming)

    @property
    def types(self) -> list[str]:
        return [t.object.value for t in self.triples if t.subject.value == self.iri and
                t.predicate.value == RDF_TYPE]

    @property
    def is_person(self) -> bool:
        return str(HR.Person) in self.types

    def label(self, term: Term | str) -> str:
        if isinstance(term, Literal):
            return term.value
        iri = term if isinstance(term, str) else term.value
        return self.labels.get(iri) or local_name(iri)

    def nodes(self) -> dict[str, dict[str, list[Term]]]:
        """Every subject of the description and context, as predicate -> objects (in a stable order)."""
        return group(self.triples + self.context)

    def about(self, cls: str) -> list[str]:
        """The context nodes of one class that concern this resource (recognitions, charges, ...)."""
        subjects = {t.subject.value for t in self.context + self.triples
                    if t.predicate.value == RDF_TYPE and t.object.value == cls}
        return sorted(subjects, key=lambda s: (self._date(s), s))

    def statements(self) -> list[str]:
        return self.about(str(HR.Statement)) or sorted(
            {t.subject.value for t in self.context if t.predicate.value == DCT + "title"})

    def evidence(self, claim: str) -> list[Evidence]:
        nodes = self.nodes()
        out = []
        for ann, props in nodes.items():
            if claim not in {o.value for o in props.get(str(OA.hasBody), [])}:
                continue
            for target in props.get(str(OA.hasTarget), []):
                tprops = nodes.get(target.value, {})
                source = next((s.value for s in tprops.get(str(OA.hasSource), [])), None)
                for sel in tprops.get(str(OA.hasSelector), []):
                    for exact in nodes.get(sel.value, {}).get(str(OA.exact), []):
                        out.append(Evidence(claim, ann, exact.value, source))
        return sorted(out, key=lambda e: (e.annotation, e.exact))

    def rdf(self) -> list[Triple]:
        """The RDF twin of the page: own, context, the incoming page and the labels of what is linked."""
        node = NamedNode(self.iri)
        incoming = [Triple(NamedNode(s), NamedNode(p), node) for s, p in self.incoming]
        seen = {(t.subject.value, t.predicate.value) for t in self.triples + self.context}
        labels = [Triple(NamedNode(i), NamedNode(RDFS_LABEL), Literal(v)) for i, v in sorted(self.labels.items())
                  if (i, RDFS_LABEL) not in seen and i != self.iri]
        return unique(self.triples + self.context + incoming + labels)

    def _date(self, subject: str) -> str:
        for t in self.context:
            if t.subject.value == subject and t.predicate.value == str(HR.date):
                return t.object.value
        return ""


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri.rstrip("/"):
            tail = iri.rstrip("/").rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def group(triples: Iterable[Triple]) -> dict[str, dict[str, list[Term]]]:
    out: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        objects = out[t.subject.value][t.predicate.value]
        if t.object not in objects:
            objects.append(t.object)
    return out


def unique(triples: Iterable[Triple]) -> list[Triple]:
    return list(dict.fromkeys(triples))


def describe(store: Store, iri: str, page: int = 1, page_size: int = 50) -> Description:
    """The description of `iri`; raises ValueError for a string that is not an IRI."""
    d = Description(iri, page, store.construct(own_query(iri)))
    if set(d.types) & (AGENT_CLASSES | CLAIM_CLASSES):
        d.context = context(store, iri, about=bool(set(d.types) & AGENT_CLASSES))
    rows = store.select(incoming_query(iri, page_size + 1, (page - 1) * page_size))
    d.incoming = [(r["s"].value, r["p"].value) for r in rows]
    d.has_next = len(d.incoming) > page_size
    d.incoming = d.incoming[:page_size]
    d.labels = fetch_labels(store, linked(d))
    return d


def own_query(iri: str) -> str:
    node, prefix = sparql_iri(iri), sparql_string(iri + "#")
    fragment = f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix}))"
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ BIND({node} AS ?s) {node} ?p ?o }}
  UNION {{ {{ {node} ?p1 ?s {fragment} }} UNION {{ {node} ?p1 ?m . ?m ?p2 ?s {fragment} }}
          UNION {{ ?s <{RDFS}isDefinedBy> {node} {fragment} }}
          ?s ?p ?o }}
}}"""


def context(store: Store, iri: str, *, about: bool) -> list[Triple]:
    """Claims/events about an agent (or the claim itself), their evidence, and the statements involved.

    A few small queries, each starting from bound resources: one combined UNION made the engine scan every
    statement's fields and took 140 ms on 300k triples (over a second on 1M); these take under 1 ms each."""
    node = sparql_iri(iri)
    claims = (f"{{ ?c <{HR.person}> {node} }} UNION {{ ?c <{HR.organisation}> {node} }} "
              f"UNION {{ BIND({node} AS ?c) }}") if about else f"BIND({node} AS ?c)"
    triples = store.construct(f"CONSTRUCT {{ ?c ?cp ?co }} WHERE {{ {claims} ?c ?cp ?co }}")
    triples += store.construct(f"""CONSTRUCT {{ ?ann <{OA.hasBody}> ?c ; <{OA.hasTarget}> ?t .
          ?t <{OA.hasSource}> ?src ; <{OA.hasSelector}> ?sel . ?sel <{OA.exact}> ?exact }}
        WHERE {{ {claims} ?c <{HR.hasEvidence}> ?ann . ?ann <{OA.hasTarget}> ?t . ?t <{OA.hasSource}> ?src ;
          <{OA.hasSelector}> ?sel . ?sel <{OA.exact}> ?exact }}""")
    statements = {t.object.value for t in triples if t.predicate.value == str(HR.statedIn)}
    rows = store.select(f"SELECT DISTINCT ?st WHERE {{ ?st <{HR.mentions}> {node} }} ORDER BY ?st LIMIT {MAX_MENTIONS}")
    statements |= {r["st"].value for r in rows if "st" in r}
    if not statements:
        return triples
    values = " ".join(sparql_iri(st) for st in sorted(statements))
    fields = ", ".join(f"<{p}>" for p in STATEMENT_FIELDS)
    return triples + store.construct(
        f"CONSTRUCT {{ ?st ?sp ?so }} WHERE {{ VALUES ?st {{ {values} }} ?st ?sp ?so FILTER(?sp IN ({fields})) }}")


def incoming_query(iri: str, limit: int, offset: int) -> str:
    node = sparql_iri(iri)
    return f"""SELECT DISTINCT ?s ?p WHERE {{
  ?s ?p {node} FILTER(isIRI(?s) && !STRSTARTS(STR(?s), {sparql_string(iri + "#")}))
}} ORDER BY ?p ?s LIMIT {int(limit)} OFFSET {max(int(offset), 0)}"""


def linked(d: Description) -> list[str]:
    """Every IRI the page names: subjects, predicates, objects and incoming links."""
    iris: dict[str, None] = {d.iri: None}
    for t in d.triples + d.context:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, NamedNode):
                iris[term.value] = None
    for s, p in d.incoming:
        iris[s] = iris[p] = None
    return list(iris)[:MAX_LABELLED]


def label_query(iris: Iterable[str]) -> str:
    values = " ".join(sparql_iri(i) for i in iris)
    props = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    # FILTER, not a second VALUES: with two VALUES blocks the engine scanned every label in the store
    # (300 ms on 300k triples); this way it reads only the subjects' own triples (4 ms).
    return f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?l FILTER(?p IN ({props})) }}"


def fetch_labels(store: Store, iris: list[str]) -> dict[str, str]:
    """The best label of each IRI in one query: by property preference, then @en, untagged, any language."""
    return best_labels(store.select(label_query(iris))) if iris else {}


def best_labels(rows: Iterable[dict[str, Term]], x: str = "x") -> dict[str, str]:
    """From rows of (?x ?p ?l), each subject's best label; rows with other properties are ignored."""
    best: dict[str, tuple[tuple[int, int, str], str]] = {}
    for row in rows:
        label, prop = row.get("l"), row.get("p")
        if not isinstance(label, Literal) or prop is None or prop.value not in LABEL_PROPERTIES:
            continue
        rank = (LABEL_PROPERTIES.index(prop.value), _language_rank(label.language), label.value)
        key = row[x].value
        if key not in best or rank < best[key][0]:
            best[key] = (rank, label.value)
    return {k: v for k, (_, v) in best.items()}


def _language_rank(language: str | None) -> int:
    return {"en": 0, None: 1, "": 1}.get(language, 2)


@dataclass(frozen=True)
class Presenter:
    """What templates need to show terms: labels, and links that stay on this server for our own IRIs.
    Only http(s) IRIs become links (a `javascript:` IRI in the data stays text)."""

    base: str
    labels: dict[str, str] = field(default_factory=dict)

    def href(self, term: Term | str) -> str | None:
        iri = term if isinstance(term, str) else term.value
        if isinstance(term, Literal):
            return None
        if iri.startswith(self.base):
            return "/" + iri[len(self.base):]
        return iri if iri.startswith(("http://", "https://")) else None

    def label(self, term: Term | str) -> str:
        if isinstance(term, Literal):
            return term.value
        iri = term if isinstance(term, str) else term.value
        return self.labels.get(iri) or local_name(iri)

    def curie(self, term: Term | str) -> str:
        """`schema:Person` rather than a bare label: classes of several vocabularies share local names."""
        iri = term if isinstance(term, str) else term.value
        for prefix, ns in PREFIXES.items():
            if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
                return f"{prefix}:{iri[len(str(ns)):]}"
        return self.label(term)

    def is_iri(self, term: Term | str) -> bool:
        return isinstance(term, str) or isinstance(term, NamedNode)

    def language(self, term: Term) -> str | None:
        return term.language if isinstance(term, Literal) else None
