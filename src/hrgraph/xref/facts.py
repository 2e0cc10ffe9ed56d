"""What the graph says about persons, as an analyst reads a case: status, recognitions (by whom, under which
criterion, when), charges (article, sentence), the statements about them, the mechanisms those were raised
with, and the evidence (each quote, its source and the source's original address).

Read for many persons at once, in chunks of `CHUNK`, with a fixed number of lookups per chunk (`Store.outgoing`
/ `incoming`; one query each over a remote store) whatever the number of claims: claims about the persons,
statements mentioning them, what those statements were addressed to, the labels and numbers of everything
named, the persons' own names and birth dates, the evidence's sources.

Status, decided here once (`status_of`, also used by the facet index): `deceased` when a death in custody is
recorded or a recognition says so (`hr:recognitionStatus`); else what the latest recognition (undated ones count
as earliest) says: its stated status, else `former` when it is marked `hr:former`, `current` when not; else
`not recognised` (a person the data names without recognising, e.g. a judge).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, Triple
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from hrgraph.model.namespaces import ELI, HR, OA, SCHEMA
from hrgraph.store.base import Store

CHUNK = 200
MAX_KNOWN = 100_000  # statements whose mechanisms a caller's `addressed` keeps at most
STATUSES = ("current", "former", "deceased", "not recognised")
_TYPE, _LABEL, _PREF = str(RDF.type), str(RDFS.label), str(SKOS.prefLabel)
CLAIM_FIELDS = (_TYPE, str(HR.person), str(HR.date), str(HR.former), str(HR.recognitionStatus), str(HR.criterion),
                str(HR.recognisedBy),
                str(HR.provision), str(HR.sentence), str(HR.court), str(HR.statedIn), str(HR.hasEvidence),
                str(PROV.wasDerivedFrom))
NAMES = (_LABEL, _PREF)  # what names anything linked (`_label`); a provision's number and a statement's date besides


@dataclass(frozen=True)
class Ref:
    iri: str
    label: str


@dataclass(frozen=True)
class Recognition:
    iri: str
    date: str
    former: bool
    criterion: Ref | None
    by: tuple[Ref, ...]
    stated: str = ""  # the status the statement gives (hr:recognitionStatus): current, former, deceased, or ""


@dataclass(frozen=True)
class Charge:
    iri: str
    provision: Ref | None
    number: str  # the article's number as written ("342", "23.34")
    sentence: str
    date: str


@dataclass(frozen=True)
class Evidence:
    annotation: str
    quote: str
    source: str  # the source document's IRI
    original: str  # where the source was published (its URL), "" when unknown


@dataclass
class PersonFacts:
    iri: str
    name: str = ""
    other_names: list[str] = field(default_factory=list)
    birth_year: int | None = None
    status: str = "not recognised"
    died: str = ""  # date of the death in custody as recorded, "undated", or "" (none recorded)
    recognitions: list[Recognition] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    statements: list[Ref] = field(default_factory=list)
    mechanisms: list[Ref] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def recognised_by(self) -> list[Ref]:
        return list(dict.fromkeys(o for r in self.recognitions for o in r.by))

    @property
    def criteria(self) -> list[Ref]:
        return list(dict.fromkeys(r.criterion for r in self.recognitions if r.criterion))

    @property
    def provisions(self) -> list[Ref]:
        return list(dict.fromkeys(c.provision for c in self.charges if c.provision))

    def summary(self) -> str:
        """One line for a candidate's description: status, articles, who recognised them."""
        parts = [self.status]
        if self.provisions:
            parts.append("charged under " + "; ".join(p.label for p in self.provisions))
        if self.recognised_by:
            parts.append("recognised by " + "; ".join(o.label for o in self.recognised_by[:3]))
        return " · ".join(parts)


def person_facts(store: Store, persons: Iterable[str],
                 addressed: dict[str, frozenset[str]] | None = None) -> dict[str, PersonFacts]:
    """Facts for every person IRI given (an IRI the store does not know gets empty facts). `addressed`: the
    mechanisms of statements already read from `store`'s build, kept by the caller per build (a statement names
    many persons: 300 persons' pages at 10M triples named 12, and asking costs ~0.7 ms of a 5 ms page)."""
    wanted = list(dict.fromkeys(persons))
    out: dict[str, PersonFacts] = {}
    for i in range(0, len(wanted), CHUNK):
        out.update(_chunk(store, wanted[i:i + CHUNK], {} if addressed is None else addressed))
    return out


def _nodes(iris: Iterable[str]) -> list[NamedNode]:
    return [NamedNode(i) for i in dict.fromkeys(iris)]


def _grouped(triples: Iterable[Triple]) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        out[t.subject.value][t.predicate.value].append(t.object.value)
    return out


def _chunk(store: Store, persons: list[str], known: dict[str, frozenset[str]]) -> dict[str, PersonFacts]:
    nodes = _nodes(persons)
    about = [t.subject for t in store.incoming(nodes, [str(HR.person)])]
    claims = _grouped(store.outgoing(dict.fromkeys(about), CLAIM_FIELDS))
    mentions = defaultdict(set)
    for t in store.incoming(nodes, [str(HR.mentions)]):
        mentions[t.object.value].add(t.subject.value)
    statements = {st for c in claims.values() for st in c.get(str(HR.statedIn), ())} | \
        {st for sts in mentions.values() for st in sts}
    addressed = _addressed(store, statements, known)
    own = _grouped(store.outgoing(nodes, (_LABEL, str(SKOS.altLabel), str(SCHEMA.birthDate))))
    annotations = {a for c in claims.values() for a in c.get(str(HR.hasEvidence), ())}
    linked = {o for c in claims.values() for p in (HR.criterion, HR.recognisedBy, HR.provision, PROV.wasDerivedFrom)
              for o in c.get(str(p), ())} | statements | {m for ms in addressed.values() for m in ms} | annotations
    provisions = {o for c in claims.values() for o in c.get(str(HR.provision), ())}
    named = _naming(store, linked, {str(ELI.number): provisions, str(HR.date): statements})
    sources = _evidence_sources(store, annotations)
    by_person: dict[str, list[str]] = defaultdict(list)
    for c, props in claims.items():
        for p in props.get(str(HR.person), ()):
            by_person[p].append(c)
    return {p: _facts(p, own.get(p, {}), {c: claims[c] for c in sorted(by_person.get(p, ()))}, mentions.get(p, set()),
                      addressed, named, sources) for p in persons}


def _addressed(store: Store, statements: set[str],
               known: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Statement -> mechanisms it, or a submission stated in it, was addressed to. A query, not lookups: a
    statement states tens of claims, and the engine joins them to the few submissions faster than lookups.
    `known`: what was read from this build before (filled here, up to `MAX_KNOWN` statements)."""
    missing = sorted(st for st in statements if st not in known)
    found: dict[str, set[str]] = defaultdict(set)
    for i in range(0, len(missing), CHUNK):
        values = " ".join(str(n) for n in _nodes(missing[i:i + CHUNK]))
        for row in store.select(f"""SELECT ?st ?m WHERE {{ VALUES ?st {{ {values} }}
  {{ ?st <{HR.addressedTo}> ?m }} UNION {{ ?sub <{HR.statedIn}> ?st ; <{HR.addressedTo}> ?m }} }}"""):
            found[row["st"].value].add(row["m"].value)
    read = {st: frozenset(found.get(st, ())) for st in missing}
    if len(known) < MAX_KNOWN:
        known.update(read)
    return {st: m for st in statements if (m := known.get(st) or read.get(st))}


def _naming(store: Store, iris: set[str],
            besides: dict[str, set[str]] | None = None) -> dict[str, dict[str, list[str]]]:
    """The names of `iris`, and for each predicate in `besides` its values on the IRIs given there: only what is
    shown is read (a lookup per node and predicate: five predicates on every IRI took half a person's lookups)."""
    triples = store.outgoing(_nodes(sorted(iris)), NAMES)
    for predicate, which in (besides or {}).items():
        triples += store.outgoing(_nodes(sorted(which)), [predicate])
    return _grouped(triples)


def labels(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """The label of each IRI (rdfs:label, else skos:prefLabel, else its last path segment)."""
    wanted = set(iris)
    named = _naming(store, wanted)
    return {i: _label(named, i) for i in wanted}


def _evidence_sources(store: Store, annotations: set[str]) -> dict[str, tuple[str, str]]:
    """Annotation -> (source document, its original URL); of several, the first in order."""
    targets = _grouped(store.outgoing(_nodes(sorted(annotations)), [str(OA.hasTarget)]))
    target_iris = {t for props in targets.values() for t in props.get(str(OA.hasTarget), ())}
    sources = _grouped(store.outgoing(_nodes(sorted(target_iris)), [str(OA.hasSource)]))
    source_iris = {s for props in sources.values() for s in props.get(str(OA.hasSource), ())}
    urls = _grouped(store.outgoing(_nodes(sorted(source_iris)), [str(DCTERMS.source)]))
    out: dict[str, tuple[str, str]] = {}
    for a, props in targets.items():
        found = sorted((src, url) for t in props.get(str(OA.hasTarget), ())
                       for src in sources.get(t, {}).get(str(OA.hasSource), ())
                       for url in urls.get(src, {}).get(str(DCTERMS.source), [""]))
        if found:
            out[a] = found[0]
    return out


def _label(named: dict[str, dict[str, list[str]]], iri: str) -> str:
    props = named.get(iri, {})
    for p in (_LABEL, _PREF):
        if props.get(p):
            return sorted(props[p])[0]
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _ref(named: dict[str, dict[str, list[str]]], iri: str) -> Ref:
    return Ref(iri, _label(named, iri))


def _facts(person: str, own: dict[str, list[str]], claims: dict[str, dict[str, list[str]]], mentioned: set[str],
           addressed: dict[str, frozenset[str]], named: dict[str, dict[str, list[str]]],
           sources: dict[str, tuple[str, str]]) -> PersonFacts:
    f = PersonFacts(person, name=min(own.get(_LABEL, [""])), other_names=sorted(own.get(str(SKOS.altLabel), [])))
    births = [b[:4] for b in own.get(str(SCHEMA.birthDate), []) if b[:4].isdigit()]
    f.birth_year = int(births[0]) if births else None
    statements: set[str] = set(mentioned)
    for c, props in claims.items():
        def first(p: object, props: dict[str, list[str]] = props) -> str:
            return (props.get(str(p)) or [""])[0]
        types = set(props.get(_TYPE, ()))
        statements |= set(props.get(str(HR.statedIn), ()))
        if str(HR.Recognition) in types:
            crit = first(HR.criterion)
            by = tuple(_ref(named, o) for o in sorted(props.get(str(HR.recognisedBy), ())))
            f.recognitions.append(Recognition(c, first(HR.date), first(HR.former) in ("true", "1"),
                                              _ref(named, crit) if crit else None, by, first(HR.recognitionStatus)))
        elif str(HR.Charge) in types:
            prov = first(HR.provision)
            number = (named.get(prov, {}).get(str(ELI.number)) or [""])[0] if prov else ""
            f.charges.append(Charge(c, _ref(named, prov) if prov else None, number, first(HR.sentence),
                                    first(HR.date)))
        elif str(HR.DeathInCustody) in types:
            f.died = f.died or first(HR.date) or "undated"
        for a in sorted(props.get(str(HR.hasEvidence), ())):
            src, url = sources.get(a, ("", ""))
            quote = _label(named, a).removeprefix("Evidence: ").strip("“”")
            f.evidence.append(Evidence(a, quote, src, url))
    f.recognitions.sort(key=lambda r: (r.date, r.iri))
    f.charges.sort(key=lambda c: (c.date, c.iri))
    f.statements = sorted((_ref(named, s) for s in statements), key=lambda r: (_date(named, r.iri), r.label))
    f.mechanisms = sorted({_ref(named, m) for s in statements for m in addressed.get(s, ())}, key=lambda r: r.label)
    f.status = status_of(bool(f.died), ((r.date, r.iri, r.former, r.stated) for r in f.recognitions))
    return f


def _date(named: dict[str, dict[str, list[str]]], iri: str) -> str:
    return (named.get(iri, {}).get(str(HR.date)) or [""])[0]


def status_of(died: bool, recognitions: Iterable[tuple[str, str, bool, str]]) -> str:
    """A person's status from a recorded death and their recognitions as (date, IRI, former, stated status)."""
    ordered = sorted(recognitions)  # by date; "" (undated) and a day without a year ("--05-07") first
    if died or any(stated == "deceased" for *_, stated in ordered):
        return "deceased"
    if not ordered:
        return "not recognised"
    _, _, former, stated = ordered[-1]
    return stated if stated in ("current", "former") else "former" if former else "current"

