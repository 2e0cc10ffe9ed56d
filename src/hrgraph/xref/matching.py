"""A name (and what else the client knows: birth year, article, ...) → scored candidates, the best first,
with a match flag: the one shared scoring of reconciliation and batch cross-reference.

Score (0–100): the name's score from the catalogue (names/: how closely the query's spelling fits the
matched one), +10 for each condition the candidate fits, −40 for each it contradicts (a birth year, an
article the graph records differently), nothing for a condition the graph cannot check. Features list each
part, so a client can weigh them itself.

A query with conditions and no name (a spreadsheet row with an article and a status but no name column) finds
the persons that fit every condition, from the facet index (xref/facets.py): scored by the conditions alone,
in name order, never a `match`, and nothing when a condition is on a property no facet holds.

`match` is the service's decision that the candidate is the one meant: a full name (given name and surname in
any order, script or spelling), an identifier, or the whole of another kind's name ("Viasna"); score at least
`MATCH_SCORE`; no condition contradicted; and no other candidate within `MATCH_MARGIN` points (two namesakes
are never matched automatically).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hrgraph.store.base import Store
from hrgraph.xref.catalogue import Catalogue, Hit
from hrgraph.xref.facets import FacetIndex
from hrgraph.xref.facts import PersonFacts, person_facts
from hrgraph.xref.properties import Property, condition

MATCH_SCORE = 85.0
MATCH_MARGIN = 10.0
FITS, CONTRADICTS = 10.0, -40.0
CONFIDENT_FORMS = ("full", "id")


@dataclass(frozen=True)
class Query:
    text: str
    kinds: tuple[str, ...] = ()  # entity kinds wanted (none: any)
    conditions: tuple[tuple[Property, tuple[str, ...]], ...] = ()
    limit: int = 5


@dataclass
class Candidate:
    hit: Hit
    facts: PersonFacts | None
    score: float
    match: bool = False
    checks: dict[str, bool | None] = field(default_factory=dict)  # property id -> fits / contradicts / unknown

    @property
    def features(self) -> list[tuple[str, float | bool]]:
        out: list[tuple[str, float | bool]] = [("name_score", self.hit.score), (f"name_{self.hit.form}", True)]
        return out + [(pid, ok) for pid, ok in self.checks.items() if ok is not None]


def candidates(catalogue: Catalogue, store: Store, queries: list[Query],
               facets: FacetIndex | None = None) -> list[list[Candidate]]:
    """Candidates for each query; the facts of all persons found are read once, for the whole batch."""
    hits = [catalogue.search(q.text, q.kinds, limit=max(q.limit, 1) + 5) if q.text.strip() else
            by_conditions(catalogue, facets, q) for q in queries]
    persons = {h.entity.iri for hs in hits for h in hs if h.entity.kind.name == "person"}
    facts = person_facts(store, sorted(persons)) if persons else {}
    return [_rank(q, hs, facts) for q, hs in zip(queries, hits, strict=True)]


def by_conditions(catalogue: Catalogue, facets: FacetIndex | None, query: Query) -> list[Hit]:
    """Persons fitting every condition of a query without a name, the first `limit` in name order."""
    if facets is None or not query.conditions or (query.kinds and "person" not in query.kinds):
        return []
    fitting = facets.fitting(query.conditions)
    if fitting is None:
        return []
    out = []
    for i in facets.select(fitting):
        entity = catalogue.entities.get(facets.persons[i])
        if entity is not None:
            out.append(Hit(entity, 0.0, "", "properties"))
        if len(out) == query.limit:
            break
    return out


def _rank(query: Query, hits: list[Hit], facts: dict[str, PersonFacts]) -> list[Candidate]:
    out = []
    for h in hits:
        f = facts.get(h.entity.iri)
        checks: dict[str, bool | None] = {}
        score = h.score
        for prop, wanted in query.conditions:
            ok = condition(prop, f, list(wanted)) if f is not None else None
            checks[prop.id] = ok
            score += 0.0 if ok is None else FITS if ok else CONTRADICTS
        out.append(Candidate(h, f, round(min(100.0, max(0.0, score)), 1), checks=checks))
    out.sort(key=lambda c: (-c.score, c.hit.entity.name, c.hit.entity.iri))
    out = out[:query.limit]
    if out:
        best, rest = out[0], out[1:]
        confident = best.hit.form in CONFIDENT_FORMS or (best.hit.form == "words" and best.hit.score >= 100)
        best.match = (confident and best.score >= MATCH_SCORE and
                      False not in best.checks.values() and
                      all(c.score <= best.score - MATCH_MARGIN for c in rest))
    return out
