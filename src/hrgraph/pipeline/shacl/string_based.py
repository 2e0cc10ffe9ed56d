"""String-based constraint components: sh:minLength, sh:maxLength, sh:pattern, sh:languageIn, sh:uniqueLang."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import BNode, Literal

from hrgraph.pipeline.shacl.shapes import true

if TYPE_CHECKING:
    from hrgraph.pipeline.shacl.engine import Pairs, Validator
    from hrgraph.pipeline.shacl.report import Result
    from hrgraph.pipeline.shacl.shapes import Constraint, Shape

FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def check_length(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    n, comp, at_least = int(c.value), c.component, c.kind == "minLength"  # type: ignore[call-overload]
    return [v.result(shape, f, x, comp) for f, values in pairs for x in values
            if isinstance(x, BNode) or (len(x) < n if at_least else len(x) > n)]


def regex(c: Constraint) -> re.Pattern[str]:
    """sh:pattern with sh:flags as SPARQL's REGEX reads them (q: the pattern is a plain string)."""
    if "rx" not in c.options:
        flags = str(c.options.get("flags", ""))
        text = re.escape(str(c.value)) if "q" in flags else str(c.value)
        mode = 0
        for f in flags:
            mode |= FLAGS.get(f, 0)
        c.options["rx"] = re.compile(text, mode)
    return c.options["rx"]  # type: ignore[return-value]


def check_pattern(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    rx, comp = regex(c), c.component
    return [v.result(shape, f, x, comp) for f, values in pairs for x in values
            if isinstance(x, BNode) or rx.search(x) is None]


def lang_matches(tag: str, ranges: list[str]) -> bool:
    tag = tag.lower()
    return any((r == "*" and tag) or tag == r or tag.startswith(r + "-") for r in ranges)


def check_language_in(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    ranges, comp = [str(i).lower() for i in c.items], c.component
    exact = set(ranges)  # most tags are a range exactly ("en"): a set lookup, before the general match
    return [v.result(shape, f, x, comp) for f, values in pairs for x in values
            if not (isinstance(x, Literal) and (lang := x.language) and (lang in exact or lang_matches(lang, ranges)))]


def check_unique_lang(v: Validator, shape: Shape, c: Constraint, pairs: Pairs) -> list[Result]:
    """One result per language tag that two or more values of a focus node share."""
    if not true(c.value):
        return []
    out = []
    for f, values in pairs:
        if len(values) < 2:
            continue
        seen: dict[str, int] = {}
        for x in values:
            if isinstance(x, Literal) and x.language:
                seen[x.language.lower()] = seen.get(x.language.lower(), 0) + 1
        out += [v.result(shape, f, None, c.component) for n in seen.values() if n > 1]
    return out


CHECKS = {"minLength": check_length, "maxLength": check_length, "pattern": check_pattern,
          "languageIn": check_language_in, "uniqueLang": check_unique_lang}
