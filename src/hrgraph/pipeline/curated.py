"""Read `data/curated/*.yaml` into `Record`s, keeping each record's file and line for every message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from hrgraph.errors import DataError
from hrgraph.model.records import Evidence, Origin, Problem, Record

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line each mapping starts on."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def read_yaml(path: Path, root: Path) -> dict[str, Any]:
    """Parse one file; a syntax error becomes a DataError naming the file and line."""
    name = _rel(path, root)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 (SafeLoader)
    except UnicodeDecodeError as exc:
        raise DataError("the file is not UTF-8 text", name, f"byte {exc.start}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise DataError(f"YAML syntax error: {exc.problem or exc}", where, "fix the YAML and build again") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise DataError("expected a mapping of kind -> list of records at the top", name)
    return doc


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _evidence(raw: dict[str, Any]) -> Iterator[Evidence]:
    items = list(raw.get("evidence") or [])
    if raw.get("quote"):
        items.insert(0, {"source": raw.get("source"), "quote": raw["quote"]})
    for item in items:
        if isinstance(item, dict):
            yield Evidence(str(item.get("source", "")), str(item.get("quote", "")), int(item.get("occurrence", 1)))


def _records_of(kind: str, items: Any, file: str) -> Iterator[Record | Problem]:
    if not isinstance(items, list):
        yield Problem(f"{file}: {kind}", "structure", f"'{kind}' must be a list of records")
        return
    for i, raw in enumerate(items, 1):
        if not isinstance(raw, dict):
            yield Problem(f"{file}: {kind} #{i}", "structure", "a record must be a mapping of field: value")
            continue
        origin = Origin(file, raw.pop(LINE, 0))
        key = raw.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key):
            yield Problem(f"{kind} #{i} ({origin})", "key",
                          f"record has no valid 'key' (lowercase letters, digits, '-', '.'): {key!r}")
            continue
        clean = {k: v for k, v in raw.items() if k not in ("evidence",)}
        yield Record(kind, key, clean, origin, tuple(_evidence(raw)))


def load_curated(curated_dir: Path, root: Path) -> tuple[list[Record], list[Problem]]:
    """All records of all files, in file order; structural problems are returned, not raised."""
    records: list[Record] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Record] = {}
    for path in sorted(curated_dir.glob("*.yaml")):
        file = _rel(path, root)
        for kind, items in read_yaml(path, root).items():
            if kind == LINE:
                continue
            for item in _records_of(kind, items, file):
                if isinstance(item, Problem):
                    problems.append(item)
                elif (item.kind, item.key) in seen:
                    problems.append(Problem(item.ref(), "unique-key",
                                            f"key '{item.key}' is already used by {seen[(item.kind, item.key)].ref()}"))
                else:
                    seen[(item.kind, item.key)] = item
                    records.append(item)
    return records, problems
