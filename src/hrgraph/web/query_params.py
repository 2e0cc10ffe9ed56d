"""A saved query's parameter as people give it: an IRI, a key (`andrei-aliaksandrau`), a path, or a name in
any spelling (`Andrei Aliaksandrau`, `Аляксандраў`), resolved to the IRI the query needs with the build's
catalogue of names (xref/catalogue.py: the names index of names/).

What a parameter is about is read from its default value: `<…/id/person/…>` takes a person, `<…/eli/…>` a
legal provision, and so on; a literal default takes the text as it is. A name resolves when one entity of
that kind fits it clearly (an identifier, a full name, or one candidate well ahead of the next); otherwise the
client is told what was not found, or which entities the name could mean, with their IRIs.
"""

from __future__ import annotations

import re

from hrgraph.xref.catalogue import Catalogue, Hit

KIND_OF_PATH = (("/id/person/", "person"), ("/id/organisation/", "organisation"), ("/id/mechanism/", "mechanism"),
                ("/id/statement/", "statement"), ("/eli/", "provision"))
LOOKS_LIKE_IRI = re.compile(r"^(?:<.*>|[A-Za-z][A-Za-z0-9+.-]*:\S+)$")
CLEAR_FORMS = ("id", "full")
MARGIN = 10.0  # points the best candidate must lead by when the name alone is not clear
SHOWN = 5


class Unresolved(ValueError):
    """A value that names no entity, or several; the message says which and how to be precise."""


def kind_of(default: str) -> str | None:
    """The kind of entity a parameter takes, from its default (`<https://…/id/person/k>` -> person)."""
    iri = default.strip().strip("<>")
    return next((kind for marker, kind in KIND_OF_PATH if marker in iri), None) if iri.startswith("http") else None


def resolve(catalogue: Catalogue, name: str, value: str, kind: str) -> str:
    """The IRI `value` names (`kind` of entity), or Unresolved saying what was not found or is ambiguous."""
    text = value.strip()
    if LOOKS_LIKE_IRI.match(text):  # an IRI as given
        return text.strip("<>")
    hits = catalogue.search(text, [kind], limit=SHOWN + 1)
    if hits and (hits[0].form in CLEAR_FORMS and (len(hits) == 1 or hits[1].score < hits[0].score)
                 or len(hits) == 1 or hits[0].score - hits[1].score >= MARGIN):
        return hits[0].entity.iri
    if not hits:
        raise Unresolved(f"no {kind} in this dataset is named or keyed {text!r} (parameter {name}): try another "
                         f"spelling, the surname alone, or the {kind}'s IRI; /search?q= finds names in any spelling")
    raise Unresolved(f"{text!r} (parameter {name}) could mean {_listed(hits)}: give the one you mean by its IRI or key")


def _listed(hits: list[Hit]) -> str:
    shown = "; ".join(f"{h.entity.name} <{h.entity.iri}>" for h in hits[:SHOWN])
    return shown + (" …" if len(hits) > SHOWN else "")
