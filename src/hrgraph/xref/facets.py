"""The persons of a build by facet — status, criterion, article, recognising organisation, mechanism, year of
recognition — for the index pages and their exports, the home page's charts, and reconciliation by properties
alone.

Built once per build (web/lookup.py keeps it) with seven queries whatever the number of persons, each one scan
of one kind of claim; a selection is then answered in memory. Each facet value holds its persons as a bitmap
(a Python int, bit i for the i-th person in name order): the values chosen in one facet are OR-ed, facets are
AND-ed, and a count is `bit_count()`: microseconds per value at 10,000 persons, where asking the engine took
seconds per facet and per selection. The charts read the same bitmaps, so a bar, the facet value it links to
and the total of the list it opens always agree.

Decisions:
- Status is xref/facts.py's rule (`status_of`): current, former, deceased, or not recognised.
- Year is the year of a recognition; one with no year (undated, or a day and month only) counts under
  "undated" instead of being dropped.
- A person's mechanisms are those the statements about them were addressed to, directly or through a
  submission stated in them (as in xref/facts.py); an article is any provision they were charged under,
  grouped by its code (the instrument at the top of `eli:is_part_of`).
- A value the build does not know selects nobody (a list of 0), rather than being dropped without a word.
"""

from __future__ import annotations

import marshal
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields

from pyoxigraph import NamedNode
from rdflib.namespace import RDFS

from hrgraph.model.namespaces import ELI, HR, SCHEMA
from hrgraph.names.fold import fold
from hrgraph.store.base import Row, Store
from hrgraph.xref.facts import STATUSES, Ref, labels, status_of
from hrgraph.xref.properties import Property, Value, fits

UNDATED = "undated"


@dataclass(frozen=True)
class Facet:
    name: str  # its URL parameter
    title: str
    plural: str  # column heading of exports
    fixed: tuple[str, ...] = ()  # values in this order (else by count), each its own label
    shown: bool = True  # False: kept for reconciliation only
    prop: str = ""  # the xref property (xref/properties.py) it answers, for conditions without a name


FACETS = (
    Facet("status", "Status", "status", STATUSES, prop="status"),
    Facet("org", "Recognised by", "recognised_by", prop="recognisedBy"),
    Facet("criterion", "Criterion", "criterion", prop="criterion"),
    Facet("article", "Charged under", "article", prop="article"),
    Facet("mechanism", "Raised with", "mechanism", prop="mechanism"),
    Facet("year", "Year of recognition", "recognition_year"),
    Facet("born", "Year of birth", "birth_year", shown=False, prop="birthYear"),
)
BY_NAME = {f.name: f for f in FACETS}
BY_PROPERTY = {f.prop: f for f in FACETS if f.prop}
SHOWN = tuple(f for f in FACETS if f.shown)


@dataclass(frozen=True)
class Count:
    value: str
    label: str
    n: int
    chosen: bool
    group: str = ""  # articles: their code
    short: str = ""  # articles: the label under their code's heading


@dataclass
class FacetIndex:
    build_id: str
    persons: list[str] = field(default_factory=list)  # IRIs in name order
    names: list[str] = field(default_factory=list)
    position: dict[str, int] = field(default_factory=dict)
    bits: dict[str, dict[str, int]] = field(default_factory=dict)  # facet -> value -> bitmap of persons
    # Each person's values, compact (a dict per person was most of the index's memory at 10M triples):
    # person i's are table[ids[starts[i]:starts[i + 1]]], (facet, value) pairs in facet order.
    table: list[tuple[str, str]] = field(default_factory=list)
    ids: array = field(default_factory=lambda: array("I"))
    starts: array = field(default_factory=lambda: array("I", [0]))
    labels: dict[str, str] = field(default_factory=dict)  # value (an IRI) -> label
    groups: dict[str, str] = field(default_factory=dict)  # article -> its code's label
    short: dict[str, str] = field(default_factory=dict)  # article -> "Art. 342 (what it is about)", under its code

    @property
    def everyone(self) -> int:
        return (1 << len(self.persons)) - 1

    def label(self, value: str) -> str:
        return self.labels.get(value, value)

    def of(self, i: int) -> dict[str, tuple[str, ...]]:
        """Person i's values by facet."""
        out: dict[str, list[str]] = {}
        for n in self.ids[self.starts[i]:self.starts[i + 1]]:
            facet, value = self.table[n]
            out.setdefault(facet, []).append(value)
        return {facet: tuple(values) for facet, values in out.items()}

    def mask(self, chosen: Mapping[str, Sequence[str]], skip: str = "") -> int:
        """The persons every facet's choice allows (values of one facet: any of them), except facet `skip`."""
        out = self.everyone
        for name, values in chosen.items():
            if name != skip and values:
                facet = self.bits.get(name, {})
                out &= _union(facet.get(v, 0) for v in values)
        return out

    def counts(self, chosen: Mapping[str, Sequence[str]], within: int | None = None) -> dict[str, list[Count]]:
        """For each shown facet, its values with the persons each would give within the other facets' choice
        (and `within`, e.g. a search's matches). Values of no person are left out unless chosen."""
        scope = self.everyone if within is None else within
        out: dict[str, list[Count]] = {}
        for facet in SHOWN:
            base = self.mask(chosen, skip=facet.name) & scope
            picked = set(chosen.get(facet.name, ()))
            values = [Count(v, self.label(v), (base & b).bit_count(), v in picked, self.groups.get(v, ""),
                            self.short.get(v, ""))
                      for v, b in self.bits.get(facet.name, {}).items()]
            values += [Count(v, self.label(v), 0, True) for v in picked if v not in self.bits.get(facet.name, {})]
            out[facet.name] = _ordered(facet, [c for c in values if c.n or c.chosen])
        return out

    def select(self, bits: int) -> list[int]:
        """Positions of the persons in `bits`, in name order."""
        text = bin(bits)[:1:-1]
        return [i for i, c in enumerate(text) if c == "1"]

    def has(self, bits: int, position: int) -> bool:
        return bool(bits >> position & 1)

    def fitting(self, conditions: Iterable[tuple[Property, Sequence[str]]]) -> int | None:
        """The persons whose values fit every condition (reconciliation without a name), None when a condition
        is on a property no facet holds."""
        out = self.everyone
        for prop, wanted in conditions:
            facet = BY_PROPERTY.get(prop.id)
            if facet is None:
                return None
            values = self.bits.get(facet.name, {})
            out &= _union(b for v, b in values.items() if any(fits(w, self._value(facet, v)) for w in wanted))
        return out

    def _value(self, facet: Facet, value: str) -> Value:
        if facet.name == "born":
            return int(value)
        return Ref(value, self.label(value)) if value.startswith(("http://", "https://")) else value


def _union(bitmaps: Iterable[int]) -> int:
    out = 0
    for b in bitmaps:
        out |= b
    return out


def _ordered(facet: Facet, counts: list[Count]) -> list[Count]:
    if facet.fixed:
        return sorted(counts, key=lambda c: facet.fixed.index(c.value) if c.value in facet.fixed else len(facet.fixed))
    if facet.name in ("year", "born"):
        return sorted(counts, key=lambda c: (c.value == UNDATED, c.value))
    return sorted(counts, key=lambda c: (c.group, -c.n, fold(c.label)))


# --- building -------------------------------------------------------------------------------------------

def load(store: Store) -> FacetIndex:
    """The facet index of the store's build."""
    index = FacetIndex(store.build_id)
    names = _names(store.select(f"""SELECT ?p ?l WHERE {{ ?p a <{HR.Person}> .
  OPTIONAL {{ ?p <{RDFS.label}> ?l }} }}"""))
    index.persons = sorted(names, key=lambda p: (fold(names[p]), p))
    index.names = [names[p] for p in index.persons]
    index.position = {p: i for i, p in enumerate(index.persons)}
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # facet -> person -> values
    _recognitions(store, values)
    for row in store.select(f"SELECT DISTINCT ?p ?a WHERE {{ ?c a <{HR.Charge}> ; <{HR.person}> ?p ; "
                            f"<{HR.provision}> ?a }}"):
        values["article"][row["p"].value].add(row["a"].value)
    values["mechanism"].update(_mechanisms(store))
    for row in store.select(f"SELECT ?p ?b WHERE {{ ?p a <{HR.Person}> ; <{SCHEMA.birthDate}> ?b }}"):
        if row["b"].value[:4].isdigit():
            values["born"][row["p"].value].add(row["b"].value[:4])
    _fill(index, values)
    named = sorted({v for f in ("org", "criterion", "article", "mechanism") for vs in values[f].values() for v in vs})
    index.labels = labels(store, named)
    index.groups, index.short = _codes(store, sorted({v for vs in values["article"].values() for v in vs}))
    return index


def _names(rows: list[Row]) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in rows:
        p, label = row["p"].value, row.get("l")
        text = label.value if label is not None else p.rstrip("/").rsplit("/", 1)[-1]
        out[p] = min(out.get(p, text), text)
    return out


def _mechanisms(store: Store) -> dict[str, set[str]]:
    """Person -> the mechanisms the statements about them were addressed to. Two queries, joined here: as
    one query (statements about persons joined with what they were addressed to) the engine took minutes at
    10,000 persons; from the few statements addressed to a mechanism, each query takes well under a second."""
    addressed: dict[str, set[str]] = defaultdict(set)
    for row in store.select(f"""SELECT DISTINCT ?st ?m WHERE {{ {{ ?st a <{HR.Statement}> ; <{HR.addressedTo}> ?m }}
  UNION {{ ?sub <{HR.statedIn}> ?st ; <{HR.addressedTo}> ?m }} }}"""):
        addressed[row["st"].value].add(row["m"].value)
    out: dict[str, set[str]] = defaultdict(set)
    if not addressed:
        return out
    values = " ".join(str(NamedNode(st)) for st in sorted(addressed))
    for row in store.select(f"""SELECT DISTINCT ?p ?st WHERE {{ VALUES ?st {{ {values} }}
  {{ ?c <{HR.statedIn}> ?st ; <{HR.person}> ?p }} UNION {{ ?st <{HR.mentions}> ?p }} }}"""):
        out[row["p"].value] |= addressed[row["st"].value]
    return out


def _recognitions(store: Store, values: dict[str, dict[str, set[str]]]) -> None:
    """Status (with deaths in custody), recognising organisations, criteria and years, from two queries."""
    recognitions: dict[str, dict[str, tuple[str, str, bool, str]]] = defaultdict(dict)
    for row in store.select(f"""SELECT ?p ?r ?d ?f ?st ?c ?o WHERE {{ ?r a <{HR.Recognition}> ; <{HR.person}> ?p .
  OPTIONAL {{ ?r <{HR.date}> ?d }} OPTIONAL {{ ?r <{HR.former}> ?f }} OPTIONAL {{ ?r <{HR.recognitionStatus}> ?st }}
  OPTIONAL {{ ?r <{HR.criterion}> ?c }} OPTIONAL {{ ?r <{HR.recognisedBy}> ?o }} }}"""):
        p, r = row["p"].value, row["r"].value
        date = _text(row, "d")
        recognitions[p][r] = (date, r, _text(row, "f") in ("true", "1"), _text(row, "st"))
        values["year"][p].add(date[:4] if date[:4].isdigit() else UNDATED)
        for var, facet in (("o", "org"), ("c", "criterion")):
            if var in row:
                values[facet][p].add(row[var].value)
    died = {r["p"].value for r in store.select(f"SELECT DISTINCT ?p WHERE {{ ?e a <{HR.DeathInCustody}> ; "
                                               f"<{HR.person}> ?p }}")}
    for p in set(recognitions) | died:
        values["status"][p].add(status_of(p in died, recognitions[p].values()))


def _text(row: Row, var: str) -> str:
    term = row.get(var)
    return term.value if term is not None else ""


def _fill(index: FacetIndex, values: dict[str, dict[str, set[str]]]) -> None:
    """Bitmaps from the values of each person (built as bytes: OR-ing one bit at a time into a growing int
    would copy the int per person), and each person's values (`FacetIndex.of`)."""
    size = (len(index.persons) + 7) // 8
    of: list[list[int]] = [[] for _ in index.persons]
    ids: dict[tuple[str, str], int] = {}
    for facet in FACETS:
        members: dict[str, bytearray] = {}
        by_person = values.get(facet.name, {})
        if facet.name == "status":  # everyone has one
            by_person = {p: by_person.get(p) or {"not recognised"} for p in index.persons}
        for p, vs in by_person.items():
            i = index.position.get(p)
            if i is None:
                continue
            for v in sorted(vs):
                of[i].append(ids.setdefault((facet.name, v), len(ids)))
                buf = members.setdefault(v, bytearray(size))
                buf[i >> 3] |= 1 << (i & 7)
        index.bits[facet.name] = {v: int.from_bytes(buf, "little") for v, buf in members.items()}
    index.table = list(ids)
    index.ids, index.starts = array("I"), array("I", [0])
    for person in of:
        index.ids.extend(person)
        index.starts.append(len(index.ids))


def _codes(store: Store, provisions: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each provision's code (the top of `eli:is_part_of`) by label, and its short label under that code."""
    if not provisions:
        return {}, {}
    values = " ".join(str(NamedNode(p)) for p in provisions)
    rows = store.select(f"""SELECT ?a ?code ?n ?about WHERE {{ VALUES ?a {{ {values} }}
  OPTIONAL {{ ?a <{ELI.is_part_of}>+ ?code FILTER NOT EXISTS {{ ?code <{ELI.is_part_of}> ?up }} }}
  OPTIONAL {{ ?a <{ELI.number}> ?n }} OPTIONAL {{ ?a <{HR.subject}> ?about }} }}""")
    codes = {r["a"].value: r["code"].value for r in rows if "code" in r}
    named = labels(store, sorted(set(codes.values())))
    short = {}
    for r in rows:
        if "n" in r:
            about = f" ({r['about'].value})" if "about" in r else ""
            short[r["a"].value] = f"Art. {r['n'].value}{about}"
    return {a: named.get(code, code) for a, code in codes.items()}, short


# --- kept between processes -------------------------------------------------------------------------------
# marshal, not pickle: the file is read back by the server, and marshal builds values, never calls code. Which
# version wrote it is said by the file around it (web/offload.py).

def dumps(index: FacetIndex) -> bytes:
    """The index as bytes for `loads` (by a process of the same Python)."""
    state = {f.name: getattr(index, f.name) for f in fields(index) if f.name != "position"}
    state["ids"], state["starts"] = index.ids.tobytes(), index.starts.tobytes()
    return marshal.dumps(state)


def loads(data: bytes) -> FacetIndex:
    """The index `dumps` wrote; ValueError when `data` is not one (damaged, inconsistent)."""
    try:
        state = marshal.loads(data)
        ids, starts = array("I"), array("I")
        ids.frombytes(state.pop("ids"))
        starts.frombytes(state.pop("starts"))
        index = FacetIndex(**state, ids=ids, starts=starts)
    except Exception as exc:  # noqa: BLE001 - whatever damaged data makes marshal or the constructor raise
        raise ValueError(f"not a facet index: {exc!r}") from exc
    if len(starts) != len(index.persons) + 1 or starts[-1] != len(ids) or max(ids, default=-1) >= len(index.table):
        raise ValueError("not a facet index: its persons' values do not add up")
    index.position = {p: i for i, p in enumerate(index.persons)}
    return index
