"""YAML for curated data, read strictly: bounded, no aliases, no duplicate keys, every key's line kept.

PyYAML's SafeLoader with three changes: an anchor or alias is refused where it appears (an alias bomb is
refused at its first alias, in bounded memory); a mapping with a key twice (a second `restricted: false`, a
second top-level `persons:` block) is an error naming both lines, never "the last one wins"; each mapping
carries the line of every key (`LINES`) so a schema error names the line of the field. A file larger than
MAX_BYTES, a file that is not UTF-8 text (binary) or an empty file is refused before parsing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node

from hrgraph.errors import DataError

MAX_BYTES = 8 * 1024 * 1024  # curated files are kilobytes; this bounds the memory a mistaken file can take
LINE = "__line__"  # the line a mapping starts on
LINES = "__lines__"  # field -> the line of its key


class StrictLoader(yaml.SafeLoader):
    def compose_node(self, parent: Node | None, index: object) -> Node | None:  # type: ignore[override]
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if isinstance(event, AliasEvent) or anchor is not None:
            raise yaml.MarkedYAMLError(problem="YAML anchors and aliases (&name, *name) are not allowed in "
                                       "curated data: write the value out", problem_mark=event.start_mark)
        return super().compose_node(parent, index)  # type: ignore[arg-type]

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            line = key_node.start_mark.line + 1
            if not isinstance(key, str | int | float | bool) or key is None:
                raise yaml.MarkedYAMLError(problem=f"a key must be a plain word, not {key!r}",
                                           problem_mark=key_node.start_mark)
            if key in seen:
                raise yaml.MarkedYAMLError(problem=f"'{key}' is given twice in one mapping (first on line "
                                           f"{seen[key]}): one of them would be silently lost",
                                           problem_mark=key_node.start_mark)
            seen[key] = line
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        mapping[LINES] = {str(k): v for k, v in seen.items()}
        return mapping


def read_text(path: Path, shown: str) -> str:
    """The file as text, refused quickly when too large, binary, not UTF-8 or empty."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DataError(f"the file is {size:,} bytes; curated files are limited to {MAX_BYTES:,}", shown,
                        "split it, or check that it is the file you meant")
    data = path.read_bytes()
    if (nul := data.find(b"\x00")) >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise DataError("the file is binary, not YAML text", f"{shown}:{line}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError(f"the file is not UTF-8 text (byte {exc.start})", f"{shown}:{line}") from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise DataError("the file is empty: a curated file holds `kind:` and a list of records", f"{shown}:1",
                        "delete the file or add records")
    return text


def load(path: Path, shown: str) -> dict[str, Any]:
    """One curated file, parsed strictly; every problem a DataError naming the file and line."""
    text = read_text(path, shown)
    try:
        doc = yaml.load(text, Loader=StrictLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        raise DataError(f"YAML syntax error: {exc.problem or exc}", where, "fix the YAML and build again") from None
    except yaml.YAMLError as exc:
        raise DataError(f"YAML syntax error: {exc}", shown) from None
    except RecursionError:
        raise DataError("YAML nested too deeply", shown) from None
    if not isinstance(doc, dict):
        raise DataError("expected a mapping of kind -> list of records at the top", f"{shown}:1")
    return doc
