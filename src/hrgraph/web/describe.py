"""What a resource description is, as a fixed number of lookups whatever the resource (never one per link).

1. `own`: the resource's triples, plus those of its fragment resources (`{iri}#target`, `#quote`, the
   `ontology#Term`s of `/ontology`), which live in the same document;
2. for a person or organisation, the claims and events about it (`hr:person` / `hr:organisation`);
   for a claim or event, itself;
3. the evidence of those: annotations with their `oa:exact` quote and source document;
4. the statements those were stated in (or that mention the resource) and the mechanisms they address;
5. one page of incoming links (one query: `LIMIT page_size + 1` tells whether there is a next page, and the
   engine orders a hub's thousands of links without handing them all to Python);
6. the labels of everything named above.

Lookups (`Store.outgoing` / `Store.incoming`), not SPARQL: a query costs the engine 0.2-1 ms to parse and plan
before it reads a triple, a lookup 5-20 µs in memory (README "Serving on every core"). A lookup of many nodes
is one query over a remote store, so a page there still costs a handful of round trips.

The result is plain data: triples for the RDF twin and a few lookups the HTML templates use. Labels are
`hrgraph.web.labels`, their presentation `hrgraph.web.present`, the quoting of terms `hrgraph.web.terms`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from hrgraph.model.vocab import DCTERMS, HR, OA, PROV, RDF, RDFS
from hrgraph.store.base import Store, Term
from hrgraph.web.labels import LabelMemo, fetch_labels, label_of
from hrgraph.web.terms import sparql_iri, sparql_string

RDF_TYPE, RDFS_LABEL, DCT_TITLE = str(RDF.type), str(RDFS.label), str(DCTERMS.title)
RDFS_IS_DEFINED_BY = str(RDFS.isDefinedBy)
RDFS_LABEL_NODE = NamedNode(RDFS_LABEL)
MAX_LABELLED = 2000
MAX_INCOMING_READ = 2000  # links to a resource read and ordered in Python; a hub's beyond, by the engine
MAX_MENTIONS = 20  # statements that merely mention it; all of them are in the paged incoming links

# IRIs as plain strings, once: a namespace attribute costs microseconds, and these are read per triple.
HR_DATE, HR_PERSON, HR_ORGANISATION = str(HR.date), str(HR.person), str(HR.organisation)
HR_STATED_IN, HR_MENTIONS, HR_HAS_EVIDENCE = str(HR.statedIn), str(HR.mentions), str(HR.hasEvidence)
HR_PERSON_CLASS, HR_STATEMENT = str(HR.Person), str(HR.Statement)
OA_HAS_BODY, OA_HAS_TARGET, OA_HAS_SOURCE = str(OA.hasBody), str(OA.hasTarget), str(OA.hasSource)
OA_HAS_SELECTOR, OA_EXACT = str(OA.hasSelector), str(OA.exact)
OA_HAS_BODY_NODE, OA_HAS_TARGET_NODE, OA_HAS_SOURCE_NODE, OA_HAS_SELECTOR_NODE, OA_EXACT_NODE = (
    NamedNode(p) for p in (OA_HAS_BODY, OA_HAS_TARGET, OA_HAS_SOURCE, OA_HAS_SELECTOR, OA_EXACT))
AGENT_CLASSES = {str(HR.Person), str(HR.Organisation)}
CLAIM_CLASSES = {str(HR[c]) for c in ("Claim", "Recognition", "Charge", "Demand", "Submission", "Signature",
                                      "StatisticalClaim", "Event", "Detention", "Trial", "DeathInCustody",
                                      "Liquidation")}
STATEMENT_FIELDS = tuple(str(p) for p in (RDF.type, DCTERMS.title, HR.date, HR.addressedTo, DCTERMS.publisher,
                                          HR.publishedBy, PROV.wasDerivedFrom, DCTERMS.issued))


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
    reader: Store | None = field(default=None, repr=False, compare=False)  # what it was read from (`describe`)
    # Indexes built once per page render (templates ask for them per claim); see `_indexes`.
    _grouped: dict[str, dict[str, list[Term]]] | None = field(default=None, repr=False, compare=False)
    _by_type: dict[str, set[str]] | None = field(default=None, repr=False, compare=False)
    _types: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def exists(self) -> bool:
        return bool(self.triples or self.incoming)

    @property
    def types(self) -> list[str]:
        """The resource's classes, read once (a page asks five times) from `triples`, which are set before."""
        if self._types is None:
            self._types = [t.object.value for t in self.triples if t.subject.value == self.iri and
                           t.predicate.value == RDF_TYPE]
        return self._types

    @property
    def is_person(self) -> bool:
        return HR_PERSON_CLASS in self.types

    def label(self, term: Term | str) -> str:
        return label_of(term, self.labels)

    def nodes(self) -> dict[str, dict[str, list[Term]]]:
        """Every subject of the description and context, as predicate -> objects (in a stable order).
        Built on first use, once the description is complete: do not change the triples afterwards."""
        if self._grouped is None:
            self._grouped = group(self.triples + self.context)
        return self._grouped

    def about(self, cls: str) -> list[str]:
        """The context nodes of one class that concern this resource (recognitions, charges, ...)."""
        if self._by_type is None:
            self._by_type = defaultdict(set)
            for t in self.context + self.triples:
                if t.predicate.value == RDF_TYPE:
                    self._by_type[t.object.value].add(t.subject.value)
        return sorted(self._by_type.get(cls, ()), key=lambda s: (self._date(s), s))

    def statements(self) -> list[str]:
        return self.about(HR_STATEMENT) or sorted(
            {t.subject.value for t in self.context if t.predicate.value == DCT_TITLE})

    def evidence(self, claim: str) -> list[Evidence]:
        nodes = self.nodes()
        out = []
        for ann, props in nodes.items():
            if claim not in {o.value for o in props.get(OA_HAS_BODY, [])}:
                continue
            for target in props.get(OA_HAS_TARGET, []):
                tprops = nodes.get(target.value, {})
                source = next((s.value for s in tprops.get(OA_HAS_SOURCE, [])), None)
                for sel in tprops.get(OA_HAS_SELECTOR, []):
                    for exact in nodes.get(sel.value, {}).get(OA_EXACT, []):
                        out.append(Evidence(claim, ann, exact.value, source))
        return sorted(out, key=lambda e: (e.annotation, e.exact))

    def rdf(self) -> list[Triple]:
        """The RDF twin of the page: own, context, the incoming page and the labels of what is linked."""
        node = NamedNode(self.iri)
        incoming = [Triple(NamedNode(s), NamedNode(p), node) for s, p in self.incoming]
        nodes = self.nodes()
        labels = [Triple(NamedNode(i), RDFS_LABEL_NODE, Literal(v)) for i, v in sorted(self.labels.items())
                  if RDFS_LABEL not in nodes.get(i, ()) and i != self.iri]
        return unique(self.triples + self.context + incoming + labels)

    def _date(self, subject: str) -> str:
        """The first `hr:date` of a context node, "" without one."""
        dates = self.nodes().get(subject, {}).get(HR_DATE)
        return dates[0].value if dates else ""


def group(triples: Iterable[Triple]) -> dict[str, dict[str, list[Term]]]:
    """subject -> predicate -> objects, each object once, in the order found. Plain dicts, each term read once
    (reading a term of a pyoxigraph triple makes a new object: this took a third longer with defaultdicts)."""
    ordered: dict[str, dict[str, dict[Term, None]]] = {}
    for t in triples:
        s, p, o = t
        ordered.setdefault(s.value, {}).setdefault(p.value, {})[o] = None
    return {s: {p: list(objects) for p, objects in props.items()} for s, props in ordered.items()}


def unique(triples: Iterable[Triple]) -> list[Triple]:
    return list(dict.fromkeys(triples))


def describe(store: Store, iri: str, page: int = 1, page_size: int = 50, memo: LabelMemo | None = None) -> Description:
    """The description of `iri`; raises ValueError for a string that is not an IRI. What the caller has read
    already comes from `store` when it is a `store.recorded.Recorded` holding it (`resources.document`)."""
    node = NamedNode(iri)
    mine = store.outgoing([node])
    d = Description(iri, page, own(store, node, mine), reader=store)
    if set(d.types) & (AGENT_CLASSES | CLAIM_CLASSES):
        d.context = context(store, node, mine, about=bool(set(d.types) & AGENT_CLASSES))
    d.incoming = incoming(store, node, page_size + 1, (page - 1) * page_size)
    d.has_next = len(d.incoming) > page_size
    d.incoming = d.incoming[:page_size]
    d.labels = fetch_labels(store, linked(d), memo)
    return d


def own(store: Store, node: NamedNode, triples: list[Triple]) -> list[Triple]:
    """The resource's triples (`triples`, read by the caller) and its fragments' (`{iri}#…`): those it links
    to, those its fragments link to, and those defined by it (`rdfs:isDefinedBy`, the terms of `/ontology`).
    Lookups, not a query: a query costs the engine 0.2-1 ms to parse and plan before it reads anything, a lookup
    10-20 µs in memory."""
    prefix = node.value + "#"

    def fragments(triples: Iterable[Triple]) -> list[NamedNode]:
        return list(dict.fromkeys(t.object for t in triples if isinstance(t.object, NamedNode)
                                  and t.object.value.startswith(prefix)))

    first = store.outgoing(fragments(triples))
    second = store.outgoing(fragments(first))
    defined = [t.subject for t in store.incoming([node], [RDFS_IS_DEFINED_BY])
               if isinstance(t.subject, NamedNode) and t.subject.value.startswith(prefix)]
    return unique(triples + first + second + store.outgoing(defined))


def context(store: Store, node: NamedNode, mine: list[Triple], *, about: bool) -> list[Triple]:
    """Claims/events about an agent (or the claim itself), their evidence, and the statements involved.
    `mine`: the node's own triples, already read."""
    triples = list(mine)
    if about:
        claims = dict.fromkeys(t.subject for t in store.incoming([node], [HR_PERSON, HR_ORGANISATION]))
        claims.pop(node, None)
        triples += store.outgoing(claims)
    triples += evidence(store, triples)
    statements = {t.object for t in triples if t.predicate.value == HR_STATED_IN and isinstance(t.object, NamedNode)}
    mentions = sorted({t.subject for t in store.incoming([node], [HR_MENTIONS]) if isinstance(t.subject, NamedNode)},
                      key=lambda s: s.value)
    statements.update(mentions[:MAX_MENTIONS])
    if not statements:
        return triples
    return triples + store.outgoing(sorted(statements, key=lambda s: s.value), STATEMENT_FIELDS)


def evidence(store: Store, claims: list[Triple]) -> list[Triple]:
    """Each claim's evidence that is complete: annotation -> target -> source and selector -> exact quote,
    as `ann oa:hasBody claim`, `ann oa:hasTarget t`, `t oa:hasSource src`, `t oa:hasSelector sel`,
    `sel oa:exact quote` (a target without a source or a quoted selector is not evidence a page can show)."""
    bodies = [(t.object, t.subject) for t in claims if t.predicate.value == HR_HAS_EVIDENCE and
              isinstance(t.object, NamedNode | BlankNode)]
    targets = by_subject(store.outgoing(dict.fromkeys(a for a, _ in bodies), [OA_HAS_TARGET]))
    target_nodes = [o for objects in targets.values() for o in objects if isinstance(o, NamedNode | BlankNode)]
    parts = store.outgoing(dict.fromkeys(target_nodes), [OA_HAS_SOURCE, OA_HAS_SELECTOR])
    sources = by_subject(t for t in parts if t.predicate.value == OA_HAS_SOURCE)
    selectors = by_subject(t for t in parts if t.predicate.value == OA_HAS_SELECTOR)
    selector_nodes = [o for objects in selectors.values() for o in objects if isinstance(o, NamedNode | BlankNode)]
    exacts = by_subject(store.outgoing(dict.fromkeys(selector_nodes), [OA_EXACT]))
    out: list[Triple] = []
    for ann, claim in bodies:
        for target in targets.get(ann, []):
            quoted = [sel for sel in selectors.get(target, []) if exacts.get(sel)]
            if not sources.get(target) or not quoted:
                continue
            out += [Triple(ann, OA_HAS_BODY_NODE, claim), Triple(ann, OA_HAS_TARGET_NODE, target)]
            out += [Triple(target, OA_HAS_SOURCE_NODE, src) for src in sources[target]]
            for sel in quoted:
                out.append(Triple(target, OA_HAS_SELECTOR_NODE, sel))
                out += [Triple(sel, OA_EXACT_NODE, exact) for exact in exacts[sel]]
    return unique(out)


def by_subject(triples: Iterable[Triple]) -> dict[Term, list[Term]]:
    out: dict[Term, list[Term]] = defaultdict(list)
    for t in triples:
        out[t.subject].append(t.object)
    return out


def incoming(store: Store, node: NamedNode, limit: int, offset: int) -> list[tuple[str, str]]:
    """One page of the links to `node` from other resources, as (subject, predicate) ordered by predicate then
    subject. Read whole and ordered here when there are fewer than `MAX_INCOMING_READ` (nearly always);
    a hub's (a class, a much-cited statement) ordered and cut by the engine, which does not hand them all over."""
    found = store.incoming([node], limit=MAX_INCOMING_READ)
    if len(found) >= MAX_INCOMING_READ:
        return [(r["s"].value, r["p"].value) for r in store.select(incoming_query(node.value, limit, offset))]
    prefix = node.value + "#"
    links = sorted({(t.predicate.value, t.subject.value) for t in found
                    if isinstance(t.subject, NamedNode) and not t.subject.value.startswith(prefix)})
    return [(s, p) for p, s in links[max(offset, 0):max(offset, 0) + limit]]


def incoming_query(iri: str, limit: int, offset: int) -> str:
    node = sparql_iri(iri)
    return f"""SELECT DISTINCT ?s ?p WHERE {{
  ?s ?p {node} FILTER(isIRI(?s) && !STRSTARTS(STR(?s), {sparql_string(iri + "#")}))
}} ORDER BY ?p ?s LIMIT {int(limit)} OFFSET {max(int(offset), 0)}"""


def linked(d: Description) -> list[str]:
    """Every IRI the page names: subjects, predicates, objects and incoming links."""
    iris: dict[str, None] = {d.iri: None}
    for subject, props in d.nodes().items():
        if ":" in subject:  # an IRI (a blank node's label never has one)
            iris[subject] = None
        for predicate, objects in props.items():
            iris[predicate] = None
            iris.update((o.value, None) for o in objects if isinstance(o, NamedNode))
    for s, p in d.incoming:
        iris[s] = iris[p] = None
    return list(iris)[:MAX_LABELLED]
