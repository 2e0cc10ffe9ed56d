"""The names of a published build, indexed: who and what a query names, ranked, with the spelling that matched.

One query reads every label, preferred label, alternative label and title of the five kinds that lists
name (persons, organisations, statements, legal provisions, mechanisms); persons go into a `NameIndex`
(word order, script, transliteration system, case endings), everything — persons too, for completion of
typed starts — into a `TitleIndex` (folded words). A build never changes, so the catalogue is built once
per build (for an embedded build by a process of its own, web/offload.py) and shared by all requests.

Identifiers: entities are their IRIs; a key (`andrei-aliaksandrau`), a path (`/id/person/andrei-aliaksandrau`)
or the IRI under another base finds the entity too, with score 100.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib.namespace import DCTERMS, RDFS, SKOS

from hrgraph.model.namespaces import ELI, HR
from hrgraph.names import Match, NameIndex, TitleIndex
from hrgraph.store.base import Store


@dataclass(frozen=True)
class Kind:
    """A kind of entity lists name: `name` is its short id (also the reconciliation type's name)."""

    name: str
    cls: str
    title: str
    plural: str


KINDS = tuple(Kind(n, str(HR[c]), t, p) for n, c, t, p in (
    ("person", "Person", "Person", "Persons"), ("organisation", "Organisation", "Organisation", "Organisations"),
    ("provision", "LegalProvision", "Legal provision", "Legal provisions"),
    ("mechanism", "Mechanism", "Mechanism", "Mechanisms"), ("statement", "Statement", "Statement", "Statements"),
))
KIND_BY_NAME = {k.name: k for k in KINDS}
KIND_BY_CLASS = {k.cls: k for k in KINDS}
NAME_PROPERTIES = (str(RDFS.label), str(SKOS.prefLabel), str(SKOS.altLabel), str(DCTERMS.title), str(ELI.title))
DESCRIPTION_PROPERTIES = (str(HR.subject), str(HR.date))


@dataclass(frozen=True, slots=True)
class Entity:
    """One named resource (slotted: a catalogue holds one per person, 80,000 at 10M triples)."""

    iri: str
    kind: Kind
    name: str  # the label shown
    spellings: tuple[str, ...]  # every name it is known by, the label first
    description: str = ""


@dataclass(frozen=True)
class Hit:
    entity: Entity
    score: float  # 0..100
    spelling: str  # the spelling that matched
    form: str  # full, initial, surname, given (persons), words (other names), id (an identifier)


@dataclass
class Catalogue:
    build_id: str
    base: str
    entities: dict[str, Entity] = field(default_factory=dict)
    people: NameIndex = field(default_factory=NameIndex)
    titles: TitleIndex = field(default_factory=TitleIndex)
    by_key: dict[str, str] = field(default_factory=dict)  # last path segment (key) -> IRI, when unambiguous

    def add(self, entity: Entity) -> None:
        self.entities[entity.iri] = entity
        if entity.kind.name == "person":
            self.people.add(entity.iri, entity.spellings)
        self.titles.add(entity.iri, entity.spellings)
        key = entity.iri.rstrip("/").rsplit("/", 1)[-1]
        self.by_key[key] = "" if key in self.by_key else entity.iri  # "": two entities share the key

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, ident: str) -> Entity | None:
        """The entity an identifier names: its IRI, its path on this server, the IRI under another base (a
        server on another host), or its key."""
        ident = ident.strip()
        if ident in self.entities:
            return self.entities[ident]
        for marker in ("/id/", "/eli/"):
            if marker in ident:
                iri = self.base + marker[1:] + ident.split(marker, 1)[1]
                if iri in self.entities:
                    return self.entities[iri]
        iri = self.by_key.get(ident)
        return self.entities.get(iri) if iri else None

    def search(self, query: str, kinds: Iterable[str] = (), limit: int = 50, *, prefix: bool = False) -> list[Hit]:
        """Entities `query` names, best first: an identifier; persons by name in any order, script or
        spelling (a given name alone too); any entity whose name holds the query's words (with `prefix`,
        words starting with them, as typed). `kinds` narrows to those kinds (none: all)."""
        wanted = set(kinds) or set(KIND_BY_NAME)
        best: dict[str, Hit] = {}

        def keep(iri: str, m: Match | None, score: float, spelling: str, form: str) -> None:
            e = self.entities.get(iri)
            if e is None or e.kind.name not in wanted:
                return
            if iri not in best or score > best[iri].score:
                best[iri] = Hit(e, round(score, 1), spelling, form)

        if (e := self.get(query)) is not None:
            keep(e.iri, None, 100.0, e.name, "id")
        if "person" in wanted:
            for m in self.people.lookup(query, limit=max(limit, 200), given_alone=True):
                keep(m.entity, m, m.score, m.spelling, m.form)
        for m in self.titles.lookup(query, limit=max(limit, 200), prefix=prefix):
            if m.entity not in best:  # a person found by name keeps the name's score and form
                keep(m.entity, m, m.score, m.spelling, m.form)
        return sorted(best.values(), key=lambda h: (-h.score, h.entity.name, h.entity.iri))[:limit]


def load(store: Store, base: str) -> Catalogue:
    """The catalogue of the store's build: two queries (names, descriptions), whatever the graph's size."""
    catalogue = Catalogue(store.build_id, base)
    kinds: dict[str, Kind] = {}
    names: dict[str, dict[str, list[str]]] = {}
    for row in store.select(_query(NAME_PROPERTIES)):
        iri, cls = row["s"].value, row["c"].value
        kind = KIND_BY_CLASS[cls]
        if iri not in kinds or KINDS.index(kind) < KINDS.index(kinds[iri]):
            kinds[iri] = kind
        names.setdefault(iri, {}).setdefault(row["p"].value, []).append(row["l"].value)
    described: dict[str, dict[str, str]] = {}
    for row in store.select(_query(DESCRIPTION_PROPERTIES)):
        described.setdefault(row["s"].value, {})[row["p"].value] = row["l"].value
    for iri in sorted(names):
        spellings = _spellings(names[iri])
        if spellings:
            catalogue.add(Entity(iri, kinds[iri], spellings[0], spellings, _description(described.get(iri, {}))))
    catalogue.people.freeze()
    catalogue.titles.freeze()
    return catalogue


def _query(properties: tuple[str, ...]) -> str:
    classes = " ".join(f"<{k.cls}>" for k in KINDS)
    props = ", ".join(f"<{p}>" for p in properties)
    return (f"SELECT ?s ?c ?p ?l WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c ; ?p ?l . "
            f"FILTER(?p IN ({props}) && isLiteral(?l)) }}")


def _spellings(by_property: dict[str, list[str]]) -> tuple[str, ...]:
    """Label first (rdfs:label, then skos:prefLabel, dct:title, eli:title), then the other spellings."""
    ordered = [s for p in (str(RDFS.label), str(SKOS.prefLabel), str(DCTERMS.title), str(ELI.title),
                           str(SKOS.altLabel)) for s in sorted(by_property.get(p, ()))]
    return tuple(dict.fromkeys(s.strip() for s in ordered if s.strip()))


def _description(values: dict[str, str]) -> str:
    return values.get(str(HR.subject)) or (f"dated {values[str(HR.date)]}" if str(HR.date) in values else "")
