"""Cardinality constraint components: sh:minCount, sh:maxCount."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hrgraph.pipeline.shacl.engine import Pairs, Validator
    from hrgraph.pipeline.shacl.report import Result
    from hrgraph.pipeline.shacl.shapes import Constraint, Shape


def check_min_count(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    n, comp = int(c.value), c.component  # type: ignore[call-overload]
    return [v.result(shape, f, None, comp) for f, values in pairs if len(values) < n]


def check_max_count(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    n, comp = int(c.value), c.component  # type: ignore[call-overload]
    return [v.result(shape, f, None, comp) for f, values in pairs if len(values) > n]


CHECKS = {"minCount": check_min_count, "maxCount": check_max_count}
