"""Property pair constraint components: sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals (the value
nodes against the values of another property of the same focus node)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hrgraph.pipeline.shacl.value_range import compare

if TYPE_CHECKING:
    from hrgraph.pipeline.shacl.engine import Pairs, Validator
    from hrgraph.pipeline.shacl.report import Result
    from hrgraph.pipeline.shacl.shapes import Constraint, Shape


def check_equals(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    index, comp, out = v.data.by_subject(c.value), c.component, []
    for f, values in pairs:
        others = index.get(f, ())
        out += [v.result(shape, f, x, comp) for x in values if x not in others]
        out += [v.result(shape, f, x, comp) for x in others if x not in values]
    return out


def check_disjoint(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    index, comp = v.data.by_subject(c.value), c.component
    return [v.result(shape, f, x, comp) for f, values in pairs for x in values if x in index.get(f, ())]


def check_less_than(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    """A result for each pair (value, other) that is not in order or cannot be compared."""
    index, comp, out = v.data.by_subject(c.value), c.component, []
    ok = (lambda r: r < 0) if c.kind == "lessThan" else (lambda r: r <= 0)
    for f, values in pairs:
        for x in values:
            for y in index.get(f, ()):
                r = compare(x, y)
                if r is None or not ok(r):
                    out.append(v.result(shape, f, x, comp))
    return out


CHECKS = {"equals": check_equals, "disjoint": check_disjoint, "lessThan": check_less_than,
          "lessThanOrEquals": check_less_than}
