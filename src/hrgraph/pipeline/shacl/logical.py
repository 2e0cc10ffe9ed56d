"""Logical constraint components: sh:not, sh:and, sh:or, sh:xone (whether each value node conforms to the
shapes given; conformance is computed for all value nodes at once and remembered by the validator)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hrgraph.pipeline.shacl.engine import Pairs, Validator
    from hrgraph.pipeline.shacl.report import Result
    from hrgraph.pipeline.shacl.shapes import Constraint, Shape


def _conforming(v: Validator, c: Constraint, pairs: Pairs) -> list[set]:
    """Per shape of the constraint, the value nodes that conform to it."""
    values = list(dict.fromkeys(x for _, xs in pairs for x in xs))
    return [set(values) - v.failing(s, values) for s in c.shapes]


def check_logical(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    good = _conforming(v, c, pairs)
    comp = c.component
    if c.kind == "not":
        fails = lambda x: x in good[0]  # noqa: E731
    elif c.kind == "and":
        fails = lambda x: not all(x in g for g in good)  # noqa: E731
    elif c.kind == "or":
        fails = lambda x: not any(x in g for g in good)  # noqa: E731
    else:
        fails = lambda x: sum(x in g for g in good) != 1  # noqa: E731
    return [v.result(shape, f, x, comp) for f, values in pairs for x in values if fails(x)]


CHECKS = dict.fromkeys(("not", "and", "or", "xone"), check_logical)
