"""A person's page read as a case, the way an analyst works from it.

It opens with a summary — status, recognitions with their criterion and date, articles and sentences, the
organisations that recognised the person, the mechanisms their case was raised with — from xref/facts.py, the
same facts search, reconciliation and cross-referencing give. Then every claim and event about them, each with
a short title in words ("Recognised by Viasna", "Charged under Article 368 of the Criminal Code"), its date
(or, where the claim carries none, the date of the statement that makes it, said as such), the notes that
qualify it ("reported 7 May 2023, not the date of death"), and its quotes, each linked to where it stands in
the source text (web/source_text.py). The full property table stays below, and "Linked from" leaves out what
the page already shows (`Case.shown`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal
from rdflib.namespace import DCTERMS, SKOS

from hrgraph.model.namespaces import HR
from hrgraph.store.base import Term
from hrgraph.web import lookup
from hrgraph.web.describe import Description
from hrgraph.web.present import Presenter
from hrgraph.xref.facts import PersonFacts

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# Claim and event classes in the order the page lists kinds with the same date, and how a title begins.
KINDS = (("Recognition", "recognition"), ("Charge", "charge"), ("Trial", "trial"), ("Detention", "detention"),
         ("DeathInCustody", "death"), ("Demand", "demand"), ("Submission", "submission"), ("Event", "event"))
NOTE_PROPERTIES = (str(SKOS.note), str(DCTERMS.description))


@dataclass(frozen=True)
class Quote:
    text: str
    annotation: str  # the annotation's IRI
    source: str | None  # the source document's IRI
    anchor: str  # the quote's place in the source page (`#q-…`)


@dataclass
class Claim:
    iri: str
    kind: str
    title: str
    date: str  # as the claim gives it (ISO, possibly partial), "" when it gives none
    stated: list[tuple[str, str]] = field(default_factory=list)  # (statement IRI, its date)
    details: list[tuple[str, list[Term]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def when(self) -> str:
        """The date in words: the claim's own, else the statement's, said as such; else "undated"."""
        if self.date:
            return human_date(self.date)
        dated = sorted(d for _, d in self.stated if d)
        return f"undated (stated {human_date(dated[0])})" if dated else "undated"

    @property
    def order(self) -> tuple[int, str]:
        dated = [self.date] if self.date else sorted(d for _, d in self.stated if d and not d.startswith("--"))
        return (0, dated[0]) if dated else (1, "")


@dataclass
class Case:
    facts: PersonFacts
    claims: list[Claim]
    shown: set[str]  # IRIs the page shows above the property table


def human_date(value: str) -> str:
    """`2023-05-07` → `7 May 2023`, `2023-05` → `May 2023`, `--05-07` → `7 May (year not given)`."""
    text = value.split("T", 1)[0]
    try:
        if text.startswith("--"):
            month, day = int(text[2:4]), int(text[5:7])
            return f"{day} {MONTHS[month - 1]} (year not given)"
        parts = text.split("-")
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return text


def case(d: Description, p: Presenter) -> Case:
    """The case of the person `d` describes."""
    facts = lookup.facts([d.iri], d.reader)[d.iri]  # through the description's reader: what it read (the claims,
    # the person's own triples) is not read again
    nodes = d.nodes()
    claims = []
    for cls, kind in KINDS:
        for c in d.about(str(HR[cls])):
            if any(existing.iri == c for existing in claims):
                continue  # a Trial is an Event too: listed once, under its own kind
            claims.append(_claim(c, kind, nodes.get(c, {}), d, p))
    claims.sort(key=lambda c: c.order)
    shown = {c.iri for c in claims} | {q.annotation for c in claims for q in c.quotes}
    shown |= {s for c in claims for s, _ in c.stated} | {r.iri for r in facts.statements}
    shown |= {e.annotation for e in d.evidence(d.iri)}
    return Case(facts, claims, shown)


def _first(props: dict[str, list[Term]], prop: object) -> Term | None:
    values = props.get(str(prop))
    return values[0] if values else None


def _names(p: Presenter, props: dict[str, list[Term]], prop: object) -> str:
    return ", ".join(p.label(t) for t in props.get(str(prop), []))


def _claim(iri: str, kind: str, props: dict[str, list[Term]], d: Description, p: Presenter) -> Claim:
    date = _first(props, HR.date)
    claim = Claim(iri, kind, _title(kind, props, p), date.value if isinstance(date, Literal) else "")
    nodes = d.nodes()
    for st in props.get(str(HR.statedIn), []):
        st_date = _first(nodes.get(st.value, {}), HR.date) or _first(nodes.get(st.value, {}), DCTERMS.issued)
        claim.stated.append((st.value, st_date.value if st_date is not None else ""))
    claim.details = [(name, props[str(prop)]) for name, prop in _DETAILS.get(kind, ()) if props.get(str(prop))]
    claim.notes = [t.value for prop in NOTE_PROPERTIES for t in props.get(prop, []) if isinstance(t, Literal)]
    for e in d.evidence(iri):
        key = e.annotation.rstrip("/").rsplit("/", 1)[-1]
        anchor = f"{p.href(e.source)}#q-{key}" if e.source and p.href(e.source) else ""
        claim.quotes.append(Quote(e.exact, e.annotation, e.source, anchor))
    return claim


_DETAILS = {
    "recognition": (("criterion", HR.criterion),),
    "charge": (("court", HR.court), ("sentence", HR.sentence), ("stage", HR.chargeStage)),
    "demand": (("demanded by", HR.demandedBy),),
    "submission": (("submitted by", HR.submittedBy),),
    "trial": (("court", HR.court), ("place", HR.place)),
    "detention": (("place", HR.place),),
    "death": (("place", HR.place),),
    "event": (("kind", HR.eventKind), ("place", HR.place)),
}


def _title(kind: str, props: dict[str, list[Term]], p: Presenter) -> str:
    """A few words saying what the claim is; the quote and details say the rest."""
    former = _first(props, HR.former)
    status = _first(props, HR.recognitionStatus)
    if kind == "recognition":
        what = {"former": " as a former political prisoner", "deceased": " (deceased)"}.get(
            status.value if status is not None else "", "")
        if not what and former is not None and former.value in ("true", "1"):
            what = " as a former political prisoner"
        by = _names(p, props, HR.recognisedBy)
        return f"Recognised{what}" + (f" by {by}" if by else "")
    if kind == "charge":
        article = _names(p, props, HR.provision)
        return f"Charged under {article}" if article else "Charged"
    if kind == "demand":
        what = _names(p, props, HR.demandType) or "Action"
        return f"{what[:1].upper()}{what[1:]} demanded"
    if kind == "submission":
        to = _names(p, props, HR.addressedTo)
        return f"Raised with {to}" if to else "Submission"
    label = _names(p, props, HR.eventKind)
    default = {"trial": "Trial", "detention": "Detained", "death": "Died in custody"}.get(kind, "Event")
    return f"{label[:1].upper()}{label[1:]}" if label else default
