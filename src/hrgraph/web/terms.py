"""Values from a request written into SPARQL text: pyoxigraph writes the term (and refuses what is not an
IRI), so a value is always one term of the query and never query text of its own."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode


def sparql_iri(iri: str) -> str:
    """An IRI as SPARQL text (`<…>`); ValueError for a string that is not an IRI."""
    return str(NamedNode(iri))


def sparql_string(text: str) -> str:
    """A plain string literal as SPARQL text, escaped."""
    return str(Literal(text))
