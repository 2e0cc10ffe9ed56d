"""The properties of a person a client can ask for (data extension, CSV columns) or match on (reconciliation
conditions, the optional columns of a batch): one table, so the four always agree.

A value is a `Ref` (an entity of the graph: organisation, provision, statement, mechanism, evidence), a string
or an integer. A condition compares what the client wrote with a person's values and says True (fits), False
(contradicts) or None (the graph has no value to compare: a birth year, when the data records none).

What fits: an identifier (IRI, key) equal to a value's; a number equal to an article's number ("Art. 342",
"ст. 342" and "342" all fit Article 342 of any code; "342 CC" too); a year of birth written alone or in a date
("1960", "01.05.1960", "1960-05-01"; no four-digit year: not compared); else every word of the text (folded as
names are) among the words of the value's label ("Viasna" fits "Human Rights Center “Viasna”").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hrgraph.names.titles import NUMBER, words
from hrgraph.xref.facts import PersonFacts, Ref

Value = Ref | str | int
YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    description: str
    values: Callable[[PersonFacts], list[Value]]
    conditional: bool = True  # may be used as a reconciliation condition / CSV column to match on


def _unique(values: Iterable[Value]) -> list[Value]:
    return list(dict.fromkeys(values))


PROPERTIES: tuple[Property, ...] = (
    Property("status", "Status", "current, former or deceased political prisoner, or not recognised",
             lambda f: [f.status]),
    Property("birthYear", "Year of birth", "year of birth, where the graph records it",
             lambda f: [f.birth_year] if f.birth_year is not None else []),
    Property("article", "Charged under (article)", "the legal provisions the person was charged under",
             lambda f: list(f.provisions)),
    Property("sentence", "Sentence", "sentences as the sources state them",
             lambda f: _unique(c.sentence for c in f.charges if c.sentence), conditional=False),
    Property("recognisedBy", "Recognised by", "organisations that recognised the person as a political prisoner",
             lambda f: f.recognised_by),
    Property("criterion", "Criterion", "criteria of the recognitions (2013 Guidelines)", lambda f: f.criteria),
    Property("recognitionDate", "Recognised on", "dates of the recognitions (as precise as the source)",
             lambda f: _unique(r.date for r in f.recognitions if r.date)),
    Property("mechanism", "Raised with (mechanism)",
             "UN and regional mechanisms the statements about the person were addressed to",
             lambda f: list(f.mechanisms)),
    Property("statement", "Statements", "statements that make claims about or mention the person",
             lambda f: list(f.statements)),
    Property("evidence", "Evidence", "the quoted words supporting each claim (annotations)",
             lambda f: [Ref(e.annotation, f"“{e.quote}”") for e in f.evidence], conditional=False),
    Property("sourceUrl", "Published at", "where the sources of the evidence were published",
             lambda f: _unique(e.original for e in f.evidence if e.original), conditional=False),
    Property("otherNames", "Other spellings", "other spellings of the name in the graph",
             lambda f: list(f.other_names), conditional=False),
)
BY_ID = {p.id: p for p in PROPERTIES}
# What a CSV header or a loose client may call them (folded, spaces dropped).
ALIASES = {
    "birthyear": "birthYear", "yearbirth": "birthYear", "godrozhdeniya": "birthYear", "born": "birthYear",
    "godnaradzhennya": "birthYear", "datarozhdeniya": "birthYear", "datanaradzhennya": "birthYear",
    "birth": "birthYear", "dateofbirth": "birthYear", "dob": "birthYear", "birthdate": "birthYear",
    "article": "article", "articles": "article", "art": "article", "charge": "article", "charges": "article",
    "provision": "article", "status": "status", "recognisedby": "recognisedBy", "recognizedby": "recognisedBy",
    "organisation": "recognisedBy", "organization": "recognisedBy", "criterion": "criterion",
    "mechanism": "mechanism", "mechanisms": "mechanism"}


def resolve(pid: str) -> Property | None:
    """A property by its id, or by a loose name ("year of birth", "Article")."""
    return BY_ID.get(pid) or BY_ID.get(ALIASES.get("".join(words(pid)) or pid.lower(), ""))


def condition(prop: Property, facts: PersonFacts, wanted: list[str]) -> bool | None:
    """Whether the person's values of `prop` fit any of the `wanted` values (None: no value to compare)."""
    have = prop.values(facts)
    if not have:  # the graph records nothing (no birth date, no charge): unknown, not a contradiction
        return None
    if all(isinstance(v, int) for v in have) and not any(YEAR.search(w) for w in wanted):
        return None  # no year written ("60", "unknown"): nothing to compare a birth year with
    return any(fits(w, v) for w in wanted for v in have)


def fits(wanted: str, value: Value) -> bool:
    wanted = wanted.strip()
    if isinstance(value, int):  # a year, written alone or in a date ("1960", "01.05.1960", "1960-05-01")
        return str(value) in YEAR.findall(wanted)
    if isinstance(value, Ref):
        if wanted == value.iri or wanted == value.iri.rstrip("/").rsplit("/", 1)[-1]:
            return True
        numbers = NUMBER.findall(wanted)
        if numbers and "/art/" in value.iri:  # an article: its number decides, whatever else is written
            return value.iri.rsplit("/art/", 1)[1] in numbers
        label = value.label
    else:
        label = value
    asked, words_of_value = words(wanted), set(words(label))
    return bool(asked) and all(w in words_of_value for w in asked)


def as_text(value: Value) -> str:
    return value.label if isinstance(value, Ref) else str(value)
