"""Protected persons in `--input` RDF: the same rules as for records (restrict.py), on triples.

A resource is withheld when its IRI is a withheld person's, when it is a person (hr:, schema: or foaf:
Person) whose name may be a withheld person's, or when it is about withheld persons only (its hr:person
values, as for claims and events). Triples pointing to a withheld resource go; every literal is masked;
an IRI that names a withheld person is renamed (masking.py), and an xsd:anyURI literal that does is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS, XSD

from hrgraph.model.namespaces import HR, SCHEMA
from hrgraph.pipeline.emit import Emitted
from hrgraph.pipeline.restrict import Policy

PERSON_TYPES = {HR.Person, SCHEMA.Person, FOAF.Person}
NAME_PREDICATES = {RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SCHEMA.name, SCHEMA.alternateName,
                   FOAF.name, FOAF.nick}
GIVEN = {SCHEMA.givenName, FOAF.givenName, FOAF.firstName}
FAMILY = {SCHEMA.familyName, FOAF.familyName, FOAF.surname, FOAF.lastName}
ABOUT = {HR.person}


def persons_of_imports(imports: Iterable[Emitted]) -> list[tuple[str, list[str], bool]]:
    """(IRI, names) of every imported person: its labels and names, and given + family name together."""
    out = []
    for e in imports:
        own = [(p, o) for s, p, o in e.triples if s == e.subject]
        if not any(p == RDF.type and o in PERSON_TYPES for p, o in own):
            continue
        names = [str(o) for p, o in own if p in NAME_PREDICATES]
        given = [str(o) for p, o in own if p in GIVEN]
        family = [str(o) for p, o in own if p in FAMILY]
        names += [f"{g} {f}" for g in given for f in family] + (family if not given else [])
        out.append((str(e.subject), names, False))
    return out


def _about_withheld(e: Emitted, gone: set[str]) -> bool:
    persons = [str(o) for s, p, o in e.triples if s == e.subject and p in ABOUT]
    return bool(persons) and all(p in gone for p in persons)


def restrict_imports(imports: list[Emitted], policy: Policy) -> list[Emitted]:
    """The imported resources with the withheld ones dropped and the rest masked and renamed."""
    if not policy.masker.active:
        return imports
    gone = set(policy.masker.withheld)
    kept = [e for e in imports if str(e.subject) not in gone]
    for e in imports:
        if str(e.subject) in gone:
            policy.report.append(f"withheld a resource of {e.record.origin.file}: a withheld person")
    while True:
        about = [e for e in kept if _about_withheld(e, gone)]
        if not about:
            break
        for e in about:
            gone.add(str(e.subject))
            policy.report.append(f"withheld a resource of {e.record.origin.file}: it is about a withheld person")
        kept = [e for e in kept if str(e.subject) not in gone]
    terms: dict[object, object] = {}
    out = []
    for e in kept:
        triples = []
        for s, p, o in e.triples:
            if str(s) in gone or str(o) in gone:
                continue
            o2 = _term(o, policy, terms)
            if o2 is not None:
                triples.append((_term(s, policy, terms), p, o2))
        subject = _term(e.subject, policy, terms)
        record = e.record if subject == e.subject else e.record.__class__(
            e.record.kind, str(subject), e.record.fields, e.record.origin)
        out.append(Emitted(record, subject, triples, e.problems))  # type: ignore[arg-type]
    return out


def _term(term: object, policy: Policy, cache: dict[object, object]) -> object:
    if term in cache:
        return cache[term]
    new: object = term
    if isinstance(term, URIRef):
        new = URIRef(policy.masker.rename_iri(str(term)))
    elif isinstance(term, Literal) and isinstance(term.value, str) or isinstance(term, Literal) and \
            term.datatype in (None, XSD.string, XSD.anyURI):
        if term.datatype == XSD.anyURI:
            new = None if policy.masker.names(str(term)) else term
        else:
            masked = policy.mask(str(term))
            new = term if masked == str(term) else Literal(masked, lang=term.language, datatype=term.datatype)
    cache[term] = new
    return new
