"""Other constraint components: sh:closed (with sh:ignoredProperties), sh:hasValue, sh:in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hrgraph.pipeline.shacl.shapes import true

if TYPE_CHECKING:
    from hrgraph.pipeline.shacl.engine import Pairs, Validator
    from hrgraph.pipeline.shacl.report import Result
    from hrgraph.pipeline.shacl.shapes import Constraint, Shape


def check_closed(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    """Each triple of a value node whose predicate no sh:property path and no sh:ignoredProperties allows."""
    if not true(c.value):
        return []
    allowed = {p.path.iri for p in shape.properties if p.path is not None and p.path.op == "iri"}
    allowed |= c.options["ignored"]  # type: ignore[arg-type]
    out = []
    for f, xs in pairs:
        for x in xs:
            for p in v.data.predicates(x):
                if p not in allowed:
                    out += [v.result(shape, f, o, c.component, path=p) for o in v.data.objects(x, p)]
    return out


def check_has_value(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    return [v.result(shape, f, None, c.component) for f, values in pairs if c.value not in values]


def check_in(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    allowed = set(c.items)
    return [v.result(shape, f, x, c.component) for f, values in pairs for x in values if x not in allowed]


CHECKS = {"closed": check_closed, "hasValue": check_has_value, "in": check_in}
