"""A resource's property table as people read it: each property named in words ("source document", "other
spellings", not `wasDerivedFrom` or `altLabel`), each fact once (the kinds in the heading, not again in the
table; a preferred label or a title that repeats the label left out), the label first.

Names: ours come from the ontology's `rdfs:label` (in the page's labels); the vocabularies we reuse get the
names below; anything else its local name, camelCase taken apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from markupsafe import Markup
from pyoxigraph import Literal
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS

from hrgraph.model.namespaces import HR
from hrgraph.store.base import Term
from hrgraph.web.labels import local_name
from hrgraph.web.present import Presenter, html_text

NAMES = {str(k): v for k, v in (
    (RDFS.label, "name"), (SKOS.prefLabel, "preferred name"), (SKOS.altLabel, "other spellings"),
    (SKOS.note, "note"), (SKOS.definition, "definition"), (SKOS.notation, "notation"), (RDFS.comment, "comment"),
    (PROV.wasDerivedFrom, "source document"), (PROV.wasGeneratedBy, "made by"), (DCTERMS.source, "published at"),
    (DCTERMS.hasFormat, "stored text"), (DCTERMS.identifier, "file"), (DCTERMS.title, "title"),
    (DCTERMS.format, "format"), (DCTERMS.description, "description"), (DCTERMS.issued, "published on"),
    (DCTERMS.modified, "modified on"), (DCTERMS.language, "language"), (DCTERMS.publisher, "publisher"),
    (DCTERMS.isReplacedBy, "replaced by"), (OWL.sameAs, "same as"), (FOAF.name, "name"),
)}
HIDDEN = {str(RDF.type)}  # shown in the heading
REPEATS_LABEL = (str(SKOS.prefLabel), str(DCTERMS.title))  # left out when they say what the label says
FIRST = (str(RDFS.label), str(SKOS.altLabel), str(DCTERMS.title))
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass(frozen=True)
class Row:
    name: str
    property: str  # its IRI (the row's link)
    values: list[Term]


def property_name(iri: str, p: Presenter) -> str:
    if iri in NAMES:
        return NAMES[iri]
    label = p.labels.get(iri)
    if label:
        return label
    return _CAMEL.sub(" ", local_name(iri)).replace("_", " ").lower()


def rows(props: dict[str, list[Term]], p: Presenter) -> list[Row]:
    labels = {t.value for t in props.get(str(RDFS.label), []) if isinstance(t, Literal)}
    out = []
    for prop, values in props.items():
        if prop in HIDDEN:
            continue
        if prop in REPEATS_LABEL:
            values = [v for v in values if not (isinstance(v, Literal) and v.value in labels)]
            if not values:
                continue
        out.append(Row(property_name(prop, p), prop, values))
    return sorted(out, key=lambda r: (FIRST.index(r.property) if r.property in FIRST else len(FIRST), r.name))


GENERIC = {str(HR[c]) for c in ("Claim", "Event", "Organisation", "Statement", "LegalInstrument", "Mechanism")}


def kinds(types: list[str], p: Presenter) -> tuple[list[str], list[str]]:
    """(the kinds to say in words: ours, by their labels, the most specific only; the aligned ones from other
    vocabularies, compact)."""
    ours = [t for t in types if t.startswith(str(HR))]
    specific = [t for t in ours if t not in GENERIC] or ours
    return [p.label(t) for t in specific] or [p.curie(t) for t in types], [p.curie(t) for t in types if t not in ours]


def table(props: dict[str, list[Term]], p: Presenter) -> Markup:
    """The property table as HTML, in Python rather than a template macro: most pages have one or more, and a
    macro costs several times as much per row."""
    cells = [f'  <tr><th scope="row"><a href="{html_text(p.href(r.property) or r.property)}" '
             f'title="{html_text(r.property)}">{html_text(r.name)}</a></th><td>{p.terms_html(r.values)}</td></tr>\n'
             for r in rows(props, p)]
    return Markup(f'<table class="props">\n{"".join(cells)}</table>')


def install(app: Flask) -> None:
    """The property table, the names of properties and the kinds of a resource for every template
    (`readable_table(props, p)`, `readable_name(iri, p)`, `readable_kinds(types, p)`)."""
    app.jinja_env.globals.update(readable_table=table, readable_name=property_name, readable_kinds=kinds)
