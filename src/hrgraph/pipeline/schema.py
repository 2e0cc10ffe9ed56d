"""The schema of curated records: one pydantic model per kind, made from the field table (fields.py).

Every field has a type, checked strictly (no coercion): `restricted` and `former` are booleans, not the
strings "true" / "false" or the number 1; a label is a string, not a list; `restricted_fields` is a list of
the kind's own field names; references are keys. A field the table does not know is an error, not a
warning. The table in data/curated/README.md is printed from these models (`python -m
hrgraph.pipeline.schema`), and a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    create_model,
)

from hrgraph.pipeline.fields import CLAIM_CLASS, COMMON, FIELDS
from hrgraph.pipeline.fields import Field as Spec

KEY = r"^[a-z0-9][a-z0-9.-]*$"
Key = Annotated[StrictStr, Field(pattern=KEY)]
FileName = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]  # a file in data/sources/
Text = Annotated[StrictStr, Field(min_length=1)]
Date = StrictStr | dt.date | dt.datetime  # YAML reads an unquoted 2021-03-01 as a date


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class AltLabel(Strict):
    text: Text
    lang: Annotated[StrictStr, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")]


class Evidence(Strict):
    source: Text
    quote: Text
    occurrence: Annotated[StrictInt, Field(ge=1)] = 1


Label = Text | AltLabel

VALUE_TYPES: dict[str, Any] = {
    "text": Text, "string": Text, "label": Label, "date": Date, "datetime": Date, "int": StrictInt,
    "posint": Annotated[StrictInt, Field(ge=1)], "bool": StrictBool,
    "uri": Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9+.-]*://\S+$")],
    "activity": Text, "decimal": StrictFloat | StrictInt,
}
# Fields the emitter reads itself (fields.STRUCTURAL), by kind.
STRUCTURAL: dict[str, dict[str, Any]] = {
    "*": {"key": Key, "label": Text, "evidence": list[Evidence], "source": Text, "quote": Text},
    "organisations": {"class": Text}, "statements": {"class": Text}, "mechanisms": {"class": Text},
    "instruments": {"class": Text, "jurisdiction": Text},
    "sources": {"file": Text, "layout": Literal["listing", "tag-listing", "statement-page"]},
    "persons": {"restricted": StrictBool},
    "claims": {"type": Literal[tuple(CLAIM_CLASS)], "reviewed_by": Text, "candidate": Text},  # type: ignore[misc]
    "events": {"class": Text, "reviewed_by": Text, "candidate": Text},
}
RETIRED = {"of": Literal[tuple(FIELDS)], "merged_into": Key, "withdrawn": Text, "date": Date}  # type: ignore[misc]
# A candidate a curator turned down (data/curated/reviews.yaml, written by `hrgraph review`; never published).
REJECTED = {"reviewed_by": Text, "reviewed_at": Date, "reason": Text, "was": dict[str, Any]}
OTHER_KINDS = {"retired": RETIRED, "rejected": REJECTED}
KINDS = (*FIELDS, *OTHER_KINDS)
UNION_TAG = re.compile(r"^(?:.*\[.*|constrained-.*|str|int|bool|date|datetime|AltLabel|Evidence|literal.*)$")


WORDS = {"activity": "extractor/rule", "decimal": "number", "text": "text", "string": "text",
         "label": "text or {text, lang}", "date": "date", "datetime": "datetime", "int": "integer",
         "posint": "positive integer", "bool": "boolean", "uri": "URL", "ref": "key ({})", "concept": "concept ({})"}
STRUCTURAL_WORDS = {"key": "key", "label": "text", "evidence": "list of {source, quote, occurrence}",
                    "source": "file in data/sources/", "quote": "text", "class": "class name", "jurisdiction": "text",
                    "file": "file in data/sources/", "layout": "listing, tag-listing or statement-page",
                    "type": ", ".join(CLAIM_CLASS), "restricted": "boolean", "of": "kind of record",
                    "merged_into": "key", "withdrawn": "text (why, in general words)", "date": "date",
                    "note": "text", "reviewed_by": "the curator's name (never published)",
                    "candidate": "text", "reviewed_at": "datetime", "reason": "text",
                    "was": "the candidate's fields"}


def _value_type(spec: Spec) -> tuple[Any, str]:
    kind, _, arg = spec.value.partition(":")
    one = FileName if spec.value == "ref:sources" else Key if kind in ("ref", "concept") else VALUE_TYPES[kind]
    words = WORDS[kind].replace("{}", "record" if arg == "*" else arg.removesuffix("s") if kind == "ref" else arg)
    return (list[one] | one, f"{words} (or a list)") if spec.many else (one, words)  # a single value: a list of one


def field_types(kind: str, words: bool = False) -> dict[str, Any]:
    """Every field a record of `kind` may have, with its type (or, `words`, the type in words)."""
    if kind in OTHER_KINDS:
        fields = {"key": Key, **OTHER_KINDS[kind], "note": Text}
        return {n: STRUCTURAL_WORDS[n] for n in fields} if words else fields
    out = {n: (STRUCTURAL_WORDS[n] if words else t) for n, t in {**STRUCTURAL["*"], **STRUCTURAL.get(kind, {})}.items()}
    for name, spec in {**COMMON, **FIELDS[kind]}.items():
        out[name] = _value_type(spec)[1 if words else 0]
    return out


@cache
def model(kind: str) -> type[BaseModel]:
    types = field_types(kind)
    names = tuple(n for n in types if n not in ("key", "restricted"))
    fields: dict[str, Any] = {n: (t, ...) if n == "key" else (t | None, None) for n, t in types.items()}
    fields["restricted_fields"] = (list[Literal[names]] | None, None)  # type: ignore[valid-type]
    return create_model(f"{kind.title()}Record", __base__=Strict, **fields)


def problems(kind: str, raw: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for every way `raw` breaks the schema of `kind`; [] when it conforms."""
    try:
        model(kind).model_validate(raw)
    except ValidationError as exc:
        out: dict[str, str] = {}
        for e in exc.errors():  # a union reports each of its branches: keep the first word on each field
            where = ".".join(str(p) for p in e["loc"] if not (isinstance(p, str) and UNION_TAG.match(p)))
            out.setdefault(where or "(record)", _message(e))
        return list(out.items())
    return []


def _message(error: Any) -> str:
    value = error.get("input")
    shown = repr(value) if isinstance(value, str | int | float | bool) or value is None else type(value).__name__
    if error["type"] == "extra_forbidden":
        return "is not a field of this kind of record (see data/curated/README.md)"
    return f"{error['msg'].lower()} (got {shown[:60]})"


def readme_table() -> str:
    """The field table of data/curated/README.md (one source: this module, made from fields.py)."""
    rows = ["| kind | fields (every record: `restricted_fields`, a list of its kind's field names) |", "|---|---|"]
    for kind in KINDS:
        fields = "; ".join(f"`{n}`: {w}" for n, w in field_types(kind, words=True).items())
        rows.append(f"| {kind} | {fields} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(readme_table())
