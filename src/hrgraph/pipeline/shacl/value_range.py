"""Value range constraint components (sh:min/maxExclusive, sh:min/maxInclusive) and the comparison of two
literals they share with sh:lessThan: SPARQL's <, where values of different kinds cannot be compared (an
incomparable value fails the constraint)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from rdflib import Literal
from rdflib.term import Node

if TYPE_CHECKING:
    from hrgraph.pipeline.shacl.engine import Pairs, Validator
    from hrgraph.pipeline.shacl.report import Result
    from hrgraph.pipeline.shacl.shapes import Constraint, Shape


def _kind(value: object) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, dt.datetime):
        return "datetime" if value.tzinfo is None else "datetime-tz"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, str):
        return "string"
    return None


def compare(a: Node, b: Node) -> int | None:
    """-1, 0 or 1 as SPARQL orders the two literals; None when they cannot be compared."""
    if not (isinstance(a, Literal) and isinstance(b, Literal)) or a.ill_typed or b.ill_typed:
        return None
    if a.language or b.language:
        return None
    x, y = a.toPython(), b.toPython()
    if isinstance(x, Literal) or isinstance(y, Literal):  # a datatype rdflib cannot map to a Python value
        return None
    kind = _kind(x)
    if kind is None or kind != _kind(y) or kind == "boolean":
        return None
    return (x > y) - (x < y)  # type: ignore[operator]


TESTS = {"minExclusive": lambda r: r > 0, "minInclusive": lambda r: r >= 0,
         "maxExclusive": lambda r: r < 0, "maxInclusive": lambda r: r <= 0}


def check_range(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    test, bound, comp = TESTS[c.kind], c.value, c.component
    out = []
    for f, values in pairs:
        for x in values:
            r = compare(x, bound)
            if r is None or not test(r):
                out.append(v.result(shape, f, x, comp))
    return out


CHECKS = dict.fromkeys(TESTS, check_range)
