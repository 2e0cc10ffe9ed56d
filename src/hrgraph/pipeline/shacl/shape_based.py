"""Shape-based constraint components: sh:node, sh:qualifiedValueShape with its counts and
sh:qualifiedValueShapesDisjoint. (sh:property is the validator's own traversal.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hrgraph.model.namespaces import SH

if TYPE_CHECKING:
    from hrgraph.pipeline.shacl.engine import Pairs, Validator
    from hrgraph.pipeline.shacl.report import Result
    from hrgraph.pipeline.shacl.shapes import Constraint, Shape


def check_node(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    bad = v.failing(c.shapes[0], (x for _, xs in pairs for x in xs))
    return [v.result(shape, f, x, c.component) for f, values in pairs for x in values if x in bad]


def check_qualified(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    low, high = c.options.get("qualifiedMinCount"), c.options.get("qualifiedMaxCount")
    if low is None and high is None:
        return []
    values = list(dict.fromkeys(x for _, xs in pairs for x in xs))
    bad = v.failing(c.shapes[0], values)
    for sibling in c.options.get("siblings", ()):  # type: ignore[attr-defined]
        bad |= set(values) - v.failing(sibling, values)  # conforming to a sibling disqualifies a value
    out = []
    for f, xs in pairs:
        n = sum(1 for x in xs if x not in bad)
        if low is not None and n < low:  # type: ignore[operator]
            out.append(v.result(shape, f, None, SH.QualifiedMinCountConstraintComponent))
        if high is not None and n > high:  # type: ignore[operator]
            out.append(v.result(shape, f, None, SH.QualifiedMaxCountConstraintComponent))
    return out


CHECKS = {"node": check_node, "qualifiedValueShape": check_qualified}
