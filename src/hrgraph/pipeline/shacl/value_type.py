"""Value type constraint components: sh:class, sh:datatype, sh:nodeKind."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from hrgraph.model.namespaces import SH
from hrgraph.pipeline.shacl.graph import NONE

if TYPE_CHECKING:
    from hrgraph.pipeline.shacl.engine import Pairs, Validator
    from hrgraph.pipeline.shacl.report import Result
    from hrgraph.pipeline.shacl.shapes import Constraint, Shape

_TZ = r"(Z|[+-][0-9]{2}:[0-9]{2})?"
_DATE = r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
# Lexical forms rdflib does not check itself (it leaves ill_typed unset for these types)
LEXICAL = {dt: re.compile(p) for dt, p in {
    XSD.gYear: f"^-?[0-9]{{4,}}{_TZ}$", XSD.gYearMonth: f"^-?[0-9]{{4,}}-(0[1-9]|1[0-2]){_TZ}$",
    XSD.gMonthDay: f"^--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){_TZ}$",
    XSD.gDay: f"^---(0[1-9]|[12][0-9]|3[01]){_TZ}$", XSD.gMonth: f"^--(0[1-9]|1[0-2]){_TZ}$",
    XSD.date: f"^{_DATE}{_TZ}$", XSD.dateTime: f"^{_DATE}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\\.[0-9]+)?{_TZ}$",
}.items()}
NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,), SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}


_LANG_STRING, _STRING = RDF.langString, XSD.string  # namespace attributes cost a Python call each


def has_datatype(value: Node, datatype: Node) -> bool:
    """A literal of `datatype` whose lexical form is valid for it (an ill-typed literal is not)."""
    if not isinstance(value, Literal):
        return False
    if value.language:
        return datatype == _LANG_STRING
    if (value.datatype or _STRING) != datatype or value.ill_typed:
        return False
    pattern = LEXICAL.get(datatype)  # type: ignore[call-overload]
    return pattern is None or pattern.match(value) is not None


def check_class(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    classes = v.data.class_set(c.value)
    types = v.data.by_subject(RDF.type)
    comp = c.component
    return [v.result(shape, f, x, comp) for f, values in pairs for x in values
            if classes.isdisjoint(types.get(x, NONE))]


def check_datatype(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    dt, comp = c.value, c.component
    if dt == _LANG_STRING:  # the common case (every label), without the general test's calls
        return [v.result(shape, f, x, comp) for f, values in pairs for x in values
                if not (type(x) is Literal and x.language)]
    return [v.result(shape, f, x, comp) for f, values in pairs for x in values if not has_datatype(x, dt)]


def check_node_kind(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    kinds, comp = NODE_KINDS[c.value], c.component
    return [v.result(shape, f, x, comp) for f, values in pairs for x in values if not isinstance(x, kinds)]


CHECKS = {"class": check_class, "datatype": check_datatype, "nodeKind": check_node_kind}
